//! The `annalist` binary: parse the command line, run the command, print, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use annalist::build::BuildOptions;
use annalist::cli::{Cli, Command};
use annalist::diagnostics::TextStyle;
use clap::Parser;

/// A faster allocator than the system's for the many small, short-lived
/// strings and values of rendering, across threads (about a quarter less CPU
/// in a 10,000-story build).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (its place in `mi_option_e`).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
/// mimalloc's `mi_option_purge_delay`, in milliseconds.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system after a quarter of a second, not a
/// second, and commits memory as it is used: a build's peak memory stays near
/// the system allocator's (a 10,000-story build with search peaks at 450-460
/// MB, 25 MB more than with 5 ms). Not sooner: memory given back is
/// zeroed anew when taken again, and the search index frees and takes back
/// hundreds of megabytes shard after shard (5 ms made the 10,000-story build
/// with search 10% slower, 4% without).
fn tune_allocator() {
    // Set in the environment, mimalloc's own variables win (to measure).
    // SAFETY: setting an option only changes a number mimalloc reads later.
    unsafe {
        if std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_none() {
            libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 250);
        }
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let style = TextStyle {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
    };
    // The archive folder, resolved once: every stage sees one absolute,
    // canonical path however it was given (`init` makes its folder itself).
    let root = match &cli.command {
        Command::Init(_) => cli.root.clone(),
        _ => match annalist::root::resolve(&cli.root) {
            Ok(root) => root,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(1);
            }
        },
    };
    // A long build, check or export shows its stage and count on a terminal.
    let long = matches!(
        cli.command,
        Command::Build(_) | Command::Check(_) | Command::Export(_)
    );
    if long && !cli.quiet && std::io::stderr().is_terminal() {
        annalist::progress::install();
    }
    let result = match &cli.command {
        Command::Check(args) => annalist::check::check(&root, args.strict, args.format, style),
        Command::Serve(args) => {
            let options = annalist::serve::ServeOptions {
                root: root.clone(),
                bind: args.bind,
                port: args.port,
                base_url: args.base_url.clone(),
                drafts: args.drafts,
                open: args.open,
                poll: args.poll,
            };
            return match annalist::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Build(args) => {
            let options = BuildOptions {
                root: root.clone(),
                output: args.output.clone(),
                base_url: args.base_url.clone(),
                drafts: args.drafts,
            };
            let (text, code) = annalist::build::run(&options, style, args.verbose);
            annalist::progress::finish();
            eprint!("{text}");
            return ExitCode::from(code as u8);
        }
        Command::Export(args) => {
            let options = annalist::export::ExportOptions {
                root: root.clone(),
                sqlite: args.sqlite.clone(),
                force: args.force,
                drafts: args.drafts,
            };
            let (text, code) = annalist::export::run(&options, style);
            annalist::progress::finish();
            eprint!("{text}");
            return ExitCode::from(code as u8);
        }
        Command::Init(args) => return finish(annalist::init::run(&args.dir)),
        Command::New(args) => return finish(annalist::new::run(&root, &args.kind)),
    };
    annalist::progress::finish();
    match result {
        Ok(report) => {
            print!("{}", report.stdout);
            eprint!("{}", report.stderr);
            ExitCode::from(report.exit_code as u8)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

/// Prints what a command that writes files did, or why it did not; the exit code.
fn finish<E: std::fmt::Display>(result: Result<String, E>) -> ExitCode {
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_options_are_the_ones_meant() {
        // Their defaults, unless set in the environment: a mimalloc whose
        // options were renumbered fails here rather than tuning something else.
        // SAFETY: reading an option has no effect on allocation.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
                1000
            );
        }
        if std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_none() {
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_EAGER_COMMIT) },
                2
            );
        }
    }
}
