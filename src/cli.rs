//! The command line: commands and their flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::check::Format;

/// A static site generator for annotated story archives.
#[derive(Debug, Parser)]
#[command(name = "annalist", version, about)]
pub struct Cli {
    /// The archive folder (the one holding archive.toml).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder.
    Build(BuildArgs),
    /// Report every error and warning in the archive, without writing anything.
    Check(CheckArgs),
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
