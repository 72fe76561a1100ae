//! The command line: commands and their flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::Format;

/// A static site generator for annotated story archives.
#[derive(Debug, Parser)]
#[command(
    name = "annalist",
    version,
    about,
    after_help = "Example:\n  annalist init my-archive && cd my-archive && annalist serve"
)]
pub struct Cli {
    /// The archive folder (the one holding archive.toml).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Show no progress line, even on a terminal (the closing summary stays).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder.
    #[command(
        after_help = "Examples:\n  annalist build                       the site into public/\n  annalist build -o site --base-url https://user.github.io/repo/\n  annalist --root ../my-archive build  an archive elsewhere"
    )]
    Build(BuildArgs),
    /// Report every error and warning in the archive, without writing anything.
    #[command(
        after_help = "Examples:\n  annalist check                    errors fail, warnings are listed\n  annalist check --strict           warnings fail too (for CI)\n  annalist check --format json      for editors and scripts"
    )]
    Check(CheckArgs),
    /// Write the archive as data: a SQLite database of stories, people, quotes, mentions and links.
    #[command(
        after_help = "Example:\n  annalist export --sqlite archive.sqlite && sqlite3 archive.sqlite 'select count(*) from quotes'"
    )]
    Export(ExportArgs),
    /// Make a new archive: settings, an example story, people, a GitHub Pages workflow.
    #[command(
        after_help = "Example:\n  annalist init my-archive && cd my-archive && annalist serve"
    )]
    Init(InitArgs),
    /// Write a skeleton story or person into the archive.
    #[command(
        after_help = "Examples:\n  annalist new story \"Council approves the harbour budget\"\n  annalist new person \"Ilse Varnham\""
    )]
    New(NewArgs),
    /// Build into memory and serve with live reload while you write.
    #[command(
        after_help = "Examples:\n  annalist serve                    http://127.0.0.1:1111 under base_url's path\n  annalist serve --port 8080 --open\n  annalist serve --poll             where the file system sends no change events"
    )]
    Serve(ServeArgs),
}

/// Flags of `annalist serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Serve at this URL's path instead of `base_url`'s.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Serve drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes (for file systems where native events do not work).
    #[arg(long)]
    pub poll: bool,
}

/// Flags of `annalist build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The output folder (relative to the archive folder).
    #[arg(short, long, default_value = "public")]
    pub output: PathBuf,
    /// Publish at this URL instead of `base_url` from archive.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Publish drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Print how long each stage took.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Flags of `annalist check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Flags of `annalist export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The SQLite database to write (relative to the current folder).
    #[arg(long, value_name = "FILE")]
    pub sqlite: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Export drafts too.
    #[arg(long)]
    pub drafts: bool,
}

/// Arguments of `annalist init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to make the archive in (created if missing; must be empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Arguments of `annalist new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// What to write.
    #[command(subcommand)]
    pub kind: NewKind,
}

/// What `annalist new` writes.
#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A story dated today, in content/stories/YEAR/, with an empty sidecar.
    #[command(
        after_help = "Example:\n  annalist new story \"Council approves the harbour budget\""
    )]
    Story {
        /// The headline; the file name is made from it.
        title: String,
    },
    /// A person in content/people/.
    #[command(after_help = "Example:\n  annalist new person \"Ilse Varnham\"")]
    Person {
        /// The full name; the id (file name) is made from it.
        name: String,
    },
}
