//! The `annalist` binary: parse the command line, run the command, print, exit.

use std::io::IsTerminal;
use std::process::ExitCode;

use annalist::build::BuildOptions;
use annalist::cli::{Cli, Command};
use annalist::diagnostics::TextStyle;
use clap::Parser;

/// A faster allocator than the system's for the many small, short-lived
/// strings and values of rendering, across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = TextStyle {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
    };
    let result = match &cli.command {
        Command::Check(args) => annalist::check::check(&cli.root, args.strict, args.format, style),
        Command::Serve(args) => {
            let options = annalist::serve::ServeOptions {
                root: cli.root.clone(),
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
                root: cli.root.clone(),
                output: args.output.clone(),
                base_url: args.base_url.clone(),
                drafts: args.drafts,
            };
            let (text, code) = annalist::build::run(&options, style, args.verbose);
            eprint!("{text}");
            return ExitCode::from(code as u8);
        }
        Command::Export(args) => {
            let options = annalist::export::ExportOptions {
                root: cli.root.clone(),
                sqlite: args.sqlite.clone(),
                force: args.force,
                drafts: args.drafts,
            };
            let (text, code) = annalist::export::run(&options, style);
            eprint!("{text}");
            return ExitCode::from(code as u8);
        }
        Command::Init(args) => return finish(annalist::init::run(&args.dir)),
        Command::New(args) => return finish(annalist::new::run(&cli.root, &args.kind)),
    };
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
