//! `annalist serve` as an author meets it: edits show up, errors show up in the
//! page, fixing them clears it, and nothing outside the site is ever served.

mod common;
#[path = "common/serve.rs"]
mod http;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `annalist serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    prefix: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_in(
        root,
        &["--root", root.to_str().unwrap(), "serve", "--port", "0"],
    )
}

/// Starts `annalist ARGS` in the folder `cwd`, as a person types it there.
fn start_in(cwd: &std::path::Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(url) = line.strip_prefix("Serving ") {
            break url.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let parsed = url::Url::parse(&url).unwrap();
    Server {
        child,
        port: parsed.port().unwrap(),
        prefix: parsed.path().to_string(),
    }
}

impl Server {
    fn get(&self, path: &str) -> (u16, String) {
        let (status, body) = http::get_raw(self.port, &format!("{}{path}", self.prefix));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Listens to the live-reload events; each event name arrives on the channel.
    fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {}__annalist/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n", self.prefix).unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(name) = line.strip_prefix("event: ") {
                    if sender.send(name.to_string()).is_err() {
                        break;
                    }
                }
            }
        });
        std::thread::sleep(Duration::from_millis(100));
        receiver
    }

    /// Waits for the event `name`, skipping others (an editor's save may cause two rebuilds).
    fn expect_event(events: &mpsc::Receiver<String>, name: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            if let Ok(event) = events.recv_timeout(Duration::from_millis(200)) {
                if event == name {
                    return;
                }
            }
        }
        panic!("no `{name}` event");
    }

    /// Polls `path` until `test` holds on its body; returns how long it took.
    fn wait_for(&self, path: &str, what: &str, test: impl Fn(&str) -> bool) -> Duration {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if test(&self.get(path).1) {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{what} did not happen within 10 s");
    }
}

const STORY: &str = "content/stories/vote.md";

/// Saves an edit of the story and waits until the served page shows it.
fn a_saved_story_is_served(server: &Server, archive: &std::path::Path, words: &str) {
    let story = std::fs::read_to_string(archive.join(STORY)).unwrap();
    // A new sentence after the quoted passage, which ends at "she left".
    common::write(
        archive,
        STORY,
        &story.replace("Then she left.", &format!("Then she left. {words}")),
    );
    let took = server.wait_for("stories/vote/", "the story's edit", |p| p.contains(words));
    assert!(took < Duration::from_secs(2), "the edit took {took:?}");
}

#[test]
fn serve_in_the_archive_folder_without_root_serves_every_kind_of_edit() {
    // As the README and `init` say it: `cd ARCHIVE && annalist serve`.
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let root = archive.path();
    common::write(root, "static/extra.css", "p { color: black }\n");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let server = start_in(root, &["serve", "--port", "0"]);
    let events = server.events();

    a_saved_story_is_served(&server, root, "She came back by Harbour Street.");
    Server::expect_event(&events, "reload");

    let sidecar = std::fs::read_to_string(root.join(SIDECAR)).unwrap();
    common::write(
        root,
        SIDECAR,
        &sidecar.replace("Tuesday, *4 March*.", "Wednesday, *5 March*."),
    );
    server.wait_for("stories/vote/", "the sidecar's edit", |p| {
        p.contains("Wednesday, <em>5 March</em>.")
    });

    let footer = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/footer.html"),
    )
    .unwrap();
    common::write(
        root,
        "templates/footer.html",
        &footer.replace("built with", "lovingly built with"),
    );
    server.wait_for("stories/vote/", "the template's edit", |p| {
        p.contains("lovingly built with")
    });

    common::write(root, "static/extra.css", "p { color: navy }\n");
    server.wait_for("extra.css", "the stylesheet's edit", |css| {
        css.contains("navy")
    });
    Server::expect_event(&events, "css");
}

#[test]
fn serve_with_a_relative_root_sees_edits() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("site/small"), &dir.path().join("x"));
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let server = start_in(
        &dir.path().join("elsewhere"),
        &["--root", "../x", "serve", "--port", "0"],
    );
    a_saved_story_is_served(&server, &dir.path().join("x"), "She came back at noon.");
}

#[cfg(unix)]
#[test]
fn serve_through_a_symlinked_folder_sees_edits() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("site/small"), &dir.path().join("real"));
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
    // Given as a path through the link, and edited through the link too.
    let link = dir.path().join("link");
    let server = start_in(dir.path(), &["--root", "link", "serve", "--port", "0"]);
    a_saved_story_is_served(&server, &link, "She came back by tram.");
    drop(server);
    // The link as the current folder (a shell's `cd link`).
    let server = start_in(&link, &["serve", "--port", "0"]);
    a_saved_story_is_served(&server, &link, "She came back by ferry.");
}
const SIDECAR: &str = "content/stories/vote.ann.toml";

#[test]
fn an_edit_appears_and_a_broken_sidecar_shows_an_overlay_until_fixed() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let server = start(archive.path());
    let (status, page) = server.get("stories/vote/");
    assert_eq!(status, 200);
    assert!(
        page.contains("data-annalist-live-reload"),
        "serve injects the reload script"
    );
    let events = server.events();

    let story = std::fs::read_to_string(archive.path().join(STORY)).unwrap();
    common::write(
        archive.path(),
        STORY,
        &story.replace("Then she left.", "Then she left for Harbour Street."),
    );
    let took = server.wait_for("stories/vote/", "the edit", |p| {
        p.contains("Harbour Street")
    });
    assert!(took < Duration::from_secs(2), "the edit took {took:?}");
    Server::expect_event(&events, "reload");

    let sidecar = std::fs::read_to_string(archive.path().join(SIDECAR)).unwrap();
    common::write(
        archive.path(),
        SIDECAR,
        &sidecar.replace("speaker = \"mara-okafor\"", "speaker = \"mara-okafr\""),
    );
    server.wait_for("stories/vote/", "the overlay", |p| {
        p.contains("annalist-error-overlay") && p.contains("content/stories/vote.ann.toml")
    });
    Server::expect_event(&events, "error");
    let (_, other) = server.get("");
    assert!(
        other.contains("annalist-error-overlay"),
        "every page carries the overlay"
    );
    assert!(other.contains("unknown person `mara-okafr`"));

    common::write(archive.path(), SIDECAR, &sidecar);
    server.wait_for("stories/vote/", "the overlay to go", |p| {
        !p.contains("annalist-error-overlay") && p.contains("Harbour Street")
    });
    Server::expect_event(&events, "reload");
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    common::write(archive.path(), "static/extra.css", "p { color: black }\n");
    let server = start(archive.path());
    let events = server.events();
    common::write(archive.path(), "static/extra.css", "p { color: navy }\n");
    server.wait_for("extra.css", "the new stylesheet", |css| {
        css.contains("navy")
    });
    Server::expect_event(&events, "css");
}

#[test]
fn traversal_never_serves_a_file_from_outside_the_site() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let server = start(archive.path());
    let p = server.prefix.clone();
    for target in [
        "/../archive.toml".to_string(),
        "/%2e%2e/archive.toml".into(),
        "/..%2farchive.toml".into(),
        "/..%5carchive.toml".into(),
        format!("{p}../archive.toml"),
        format!("{p}%2e%2e/archive.toml"),
        format!("{p}..%2farchive.toml"),
        format!("{p}..%2f..%2farchive.toml"),
        format!("{p}..\\archive.toml"),
        format!("{p}%2e%2e%5carchive.toml"),
        format!("{p}content/stories/vote.md"),
    ] {
        let (status, body) = http::get_raw(server.port, &target);
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("base_url"), "{target} leaked archive.toml");
        assert!(!body.contains("+++"), "{target} leaked a story");
        assert_eq!(status, 404, "{target}");
    }
}

#[test]
fn http_answers_head_etags_and_the_theme_404() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let server = start(archive.path());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stream, "HEAD {}style.css HTTP/1.0\r\n\r\n", server.prefix).unwrap();
    let mut head = String::new();
    std::io::Read::read_to_string(&mut stream, &mut head).unwrap();
    assert!(
        head.lines().next().unwrap_or("").contains(" 200 "),
        "{head}"
    );
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    let etag = head
        .lines()
        .find_map(|l| {
            l.to_lowercase()
                .starts_with("etag:")
                .then(|| l[5..].trim().to_string())
        })
        .expect("etag");
    assert!(!head.contains("\r\n\r\np"), "HEAD has no body");

    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET {}style.css HTTP/1.0\r\nIf-None-Match: {etag}\r\n\r\n",
        server.prefix
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(
        response.lines().next().unwrap_or("").contains(" 304 "),
        "{response}"
    );

    let (status, body) = server.get("no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("not found") || body.contains("Not found"),
        "{body}"
    );
    let (status, _) = http::get_raw(server.port, "/");
    assert_eq!(status, 302, "the root redirects to the base path");

    // Files that are not pages are served too: a story's annotations (made on
    // request, like its page) and the data downloads (made with the search index).
    let (status, body) = server.get("stories/vote/annotations.jsonld");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"AnnotationPage\""), "{body}");
    let (status, body) = server.get("stories/no-such-story/annotations.jsonld");
    assert_eq!(status, 404, "{body}");
    let (status, body) = server.get("data/quotes.json");
    assert_eq!(status, 200, "{body}");
}
