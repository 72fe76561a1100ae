//! `annalist init`: a new archive with an example story, two people, an about page
//! and a GitHub Pages workflow, written from the files in `src/init/`.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use clap::CommandFactory;

use crate::skeleton::{toml_string, write_new};

/// The annalist version, pinned in the workflow as the tag `vVERSION`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What stands for the owner of annalist's repository when the package names none.
const REPO_PLACEHOLDER: &str = "OWNER/annalist";

/// Why `init` stopped.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder already holds files.
    #[error("{0} is not empty: `annalist init` makes a new archive in a new or empty folder and never overwrites a file (nothing was written)")]
    NotEmpty(PathBuf),
    /// The path exists and is not a folder.
    #[error("{0} is not a folder: give `annalist init` a new or empty folder")]
    NotAFolder(PathBuf),
    /// A file or folder could not be read or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// The archive folder.
    pub root: PathBuf,
    /// The files written, relative to `root`, with `/` separators, in writing order.
    pub files: Vec<String>,
    /// Whether the workflow still needs the owner of annalist's repository filled in.
    pub repo_placeholder: bool,
}

/// Writes a new archive into `dir` (created if missing), dated `today`.
pub fn init(dir: &Path, today: NaiveDate) -> Result<Created, InitError> {
    prepare_folder(dir)?;
    let repo = annalist_repo();
    let title = title_from_folder(dir);
    let mut files = Vec::new();
    for (path, text) in archive_files(&title, today, repo.as_deref()) {
        let full = dir.join(&path);
        write_new(&full, &text).map_err(|source| InitError::Io { path: full, source })?;
        files.push(path);
    }
    Ok(Created {
        root: dir.to_path_buf(),
        files,
        repo_placeholder: repo.is_none(),
    })
}

/// Runs `annalist init` for the command line: the text to print on success.
pub fn run(dir: &Path) -> Result<String, InitError> {
    let today = chrono::Local::now().date_naive();
    let created = init(dir, today)?;
    Ok(report(&created))
}

/// Creates `dir` if it is missing; refuses a file, or a folder with anything in it
/// but `.git` (so that `git init` may come first).
fn prepare_folder(dir: &Path) -> Result<(), InitError> {
    let io = |source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::NotAFolder(dir.to_path_buf()));
    }
    fs::create_dir_all(dir).map_err(io)?;
    for entry in fs::read_dir(dir).map_err(io)? {
        if entry.map_err(io)?.file_name() != ".git" {
            let shown = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            return Err(InitError::NotEmpty(shown));
        }
    }
    Ok(())
}

/// The files of a new archive: path relative to the archive folder, and text.
fn archive_files(title: &str, today: NaiveDate, repo: Option<&str>) -> Vec<(String, String)> {
    let date = today.format("%Y-%m-%d").to_string();
    let year = today.year();
    let repo_value = match repo {
        Some(repo) => repo.to_string(),
        None => format!("{REPO_PLACEHOLDER} # replace OWNER: the account that hosts annalist"),
    };
    let fill = |text: &str| {
        text.replace("@TITLE@", &toml_string(title))
            .replace("@DATE@", &date)
            .replace("@VERSION@", VERSION)
            .replace("@REPO@", &repo_value)
    };
    let files: [(String, &str); 8] = [
        ("archive.toml".into(), include_str!("init/archive.toml")),
        (
            format!("content/stories/{year}/first-story.md"),
            include_str!("init/first-story.md"),
        ),
        (
            format!("content/stories/{year}/first-story.ann.toml"),
            include_str!("init/first-story.ann.toml"),
        ),
        (
            "content/people/halvard-penrose.md".into(),
            include_str!("init/halvard-penrose.md"),
        ),
        (
            "content/people/noor-elsworth.md".into(),
            include_str!("init/noor-elsworth.md"),
        ),
        (
            "content/pages/about.md".into(),
            include_str!("init/about.md"),
        ),
        (".gitignore".into(), include_str!("init/gitignore")),
        (
            ".github/workflows/pages.yml".into(),
            include_str!("init/pages.yml"),
        ),
    ];
    files
        .into_iter()
        .map(|(path, text)| (path, fill(text)))
        .collect()
}

/// The archive's title, made from its folder's name: `harbour-files` → `Harbour Files`.
fn title_from_folder(dir: &Path) -> String {
    let name = fs::canonicalize(dir)
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c == '.' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map(capitalize)
        .collect();
    if words.is_empty() {
        "My Archive".to_string()
    } else {
        words.join(" ")
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The GitHub repository (`OWNER/NAME`) that annalist is installed from, when
/// `repository` in annalist's Cargo.toml names one.
fn annalist_repo() -> Option<String> {
    let url = env!("CARGO_PKG_REPOSITORY");
    let rest = url.strip_prefix("https://github.com/")?;
    let rest = rest.trim_end_matches('/').trim_end_matches(".git");
    let parts: Vec<&str> = rest.split('/').collect();
    (parts.len() == 2 && parts.iter().all(|p| !p.is_empty())).then(|| rest.to_string())
}

/// What to print after `init`: the files written and the next steps.
fn report(created: &Created) -> String {
    let root = created.root.display();
    let mut out = format!("created a new archive in {root}:\n");
    for file in &created.files {
        out.push_str(&format!("  {file}\n"));
    }
    out.push_str("\nnext steps:\n");
    if created.root != Path::new(".") {
        out.push_str(&format!("  cd {root}\n"));
    }
    if has_command("serve") {
        out.push_str("  annalist serve    preview the site while you edit\n");
    }
    out.push_str("  annalist check    report every problem in the archive\n");
    out.push_str("  annalist build    write the site into public/\n");
    if !has_command("serve") {
        out.push_str(
            "(`annalist serve`, a live preview while you edit, is coming in a later version)\n",
        );
    }
    out.push_str(
        "\nTo publish on GitHub Pages, push the archive to a GitHub repository and set\n\
         Settings > Pages > Source to \"GitHub Actions\": .github/workflows/pages.yml\n\
         builds and deploys the site on every push to main.\n",
    );
    if created.repo_placeholder {
        out.push_str(
            "First set ANNALIST_REPO in that workflow to the GitHub repository annalist is\n\
             installed from (OWNER/annalist).\n",
        );
    }
    out
}

/// Whether this build of annalist has the subcommand `name`.
fn has_command(name: &str) -> bool {
    crate::cli::Cli::command()
        .get_subcommands()
        .any(|c| c.get_name() == name)
}
