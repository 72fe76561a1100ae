//! Writes a deterministic synthetic annalist archive, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_archive -- --stories 2000 --seed 1 --out /tmp/gen2000 [--hugo /tmp/gen2000-hugo]
//! ```
//!
//! The same `--stories` and `--seed` always give byte-identical files. The archive
//! passes `annalist check` with no errors and no warnings; `--hugo` also writes the
//! same stories as a Hugo site, for comparison.

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Writes a deterministic synthetic annalist archive (and optionally a Hugo twin).
#[derive(Debug, Parser)]
#[command(name = "gen_archive")]
struct Args {
    /// How many stories to write.
    #[arg(long)]
    stories: usize,
    /// The seed: the same seed and story count give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The archive folder to write (must be empty or absent).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write the stories as a Hugo site in this folder (must be empty or absent).
    #[arg(long, value_name = "HUGO_DIR")]
    hugo: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let options = generate::Options {
        stories: args.stories,
        seed: args.seed,
        out: args.out,
        hugo: args.hugo,
    };
    match generate::generate(&options) {
        Ok(summary) => {
            println!("{summary}");
            println!("done in {:.2?}", started.elapsed());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
