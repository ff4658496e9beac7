//! The `mediawatch` command line: parses flags, calls the library, prints results.

mod cli;
mod generate;

use std::process::ExitCode;

use clap::Parser;

// Ingest allocates a record's strings on one thread and frees them on another, which glibc's
// allocator makes costly (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`| head`) is not an error.
        Err(failure) if failure.is_broken_pipe() => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("mediawatch: {:#}{}", failure.error, failure.advice);
            ExitCode::from(failure.exit_code)
        }
    }
}
