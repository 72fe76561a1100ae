//! Measures `annalist serve`: the time from saving one story to the new page
//! being served, over several edits, and prints the median.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example serve_latency -- --root /tmp/annalist-bench/10000/archive --edits 10
//! ```
//! The archive is edited in place and restored afterwards.
//!
//! `--edit paragraph` (the default) adds a paragraph to the first story: the
//! story is replaced in the last archive. `--edit date` moves its date by a day
//! at each edit, which reorders the stories: the archive is indexed anew.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

/// Options.
#[derive(Parser)]
struct Options {
    /// The archive to serve (it is edited and restored).
    #[arg(long)]
    root: PathBuf,
    /// How many edits to time.
    #[arg(long, default_value_t = 10)]
    edits: usize,
    /// What each edit changes: `paragraph` or `date`.
    #[arg(long, default_value = "paragraph")]
    edit: String,
    /// The annalist binary (default: beside this example's folder).
    #[arg(long)]
    annalist: Option<PathBuf>,
}

fn main() -> Result<(), String> {
    let options = Options::parse();
    let binary = options.annalist.clone().unwrap_or_else(default_binary);
    let story = first_story(&options.root).ok_or("no story found under content/stories")?;
    let slug = story
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("bad story name")?
        .to_string();
    let original = std::fs::read_to_string(&story).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args([
            "--root",
            options.root.to_str().ok_or("bad root")?,
            "serve",
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let url = loop {
        let line = lines
            .next()
            .ok_or("serve stopped")?
            .map_err(|e| e.to_string())?;
        if let Some(url) = line.strip_prefix("Serving ") {
            break url.split_whitespace().next().unwrap_or("").to_string();
        }
    };
    println!(
        "first build and serve: {} ms",
        started.elapsed().as_millis()
    );
    std::thread::spawn(move || for _ in lines {});
    let (port, prefix) = split_url(&url)?;
    let page = format!("{prefix}stories/{slug}/");

    let mut times = Vec::new();
    for edit in 1..=options.edits {
        let marker = format!("Benchmark marker {edit} {}.", std::process::id());
        let edited = original.replacen("\n\n", &format!("\n\n{marker}\n\n"), 1);
        let edited = match options.edit.as_str() {
            "paragraph" => edited,
            "date" => shift_date(&edited, edit)?,
            other => return Err(format!("unknown --edit {other}: paragraph or date")),
        };
        // Let the watcher settle between edits.
        std::thread::sleep(Duration::from_millis(300));
        let saved = Instant::now();
        std::fs::write(&story, edited).map_err(|e| e.to_string())?;
        loop {
            if get(port, &page).contains(&marker) {
                break;
            }
            if saved.elapsed() > Duration::from_secs(120) {
                return Err("the edit never appeared".into());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let took = saved.elapsed();
        println!("edit {edit}: {} ms", took.as_millis());
        times.push(took);
    }
    std::fs::write(&story, &original).map_err(|e| e.to_string())?;
    let _ = child.kill();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "save to served, {} edits: median {} ms, min {} ms, max {} ms",
        times.len(),
        median.as_millis(),
        times[0].as_millis(),
        times[times.len() - 1].as_millis()
    );
    Ok(())
}

/// The story with its front matter's `date = YYYY-MM-DD` moved `days` days on.
fn shift_date(story: &str, days: usize) -> Result<String, String> {
    let start = story
        .find("\ndate = ")
        .ok_or("the story has no date line")?
        + "\ndate = ".len();
    let text = story.get(start..start + 10).ok_or("short date")?;
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| e.to_string())?;
    let moved = date + chrono::Duration::days(days as i64);
    Ok(format!(
        "{}{}{}",
        &story[..start],
        moved.format("%Y-%m-%d"),
        &story[start + 10..]
    ))
}

fn default_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| {
            p.parent()
                .and_then(Path::parent)
                .map(|d| d.join("annalist"))
        })
        .unwrap_or_else(|| PathBuf::from("annalist"))
}

fn first_story(root: &Path) -> Option<PathBuf> {
    let mut stories: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/stories"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    stories.sort();
    stories.into_iter().next()
}

fn split_url(url: &str) -> Result<(u16, String), String> {
    let rest = url.strip_prefix("http://").ok_or("not an http URL")?;
    let (host, path) = rest.split_once('/').ok_or("no path")?;
    let port = host
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or("no port")?;
    Ok((port, format!("/{path}")))
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}
