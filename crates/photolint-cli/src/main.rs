//! `photolint`: the command-line front end. It owns the terminal, the files
//! and the exit codes; the judging is the library's.
//!
//! Exit codes: 0 every photo passes; 1 every file was read and some photo
//! fails a rule at or above `--fail-on`; 2 some file could not be judged
//! (unreadable, empty, damaged, truncated, not an image, too large), or a
//! usage error or a profile that does not load. 2 is given only after every
//! file was looked at.

/// `println!` that does not panic when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::print_line(format_args!($($arg)*))
    };
}

mod args;
mod batch;
mod commands;
mod fix_report;
mod html;
mod lang;
mod output;
mod profile_arg;
mod style;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use photolint::{Checker, Profile};

use args::{Cli, Command};
use commands::scan::ScanOpts;
use lang::Lang;

/// mimalloc, not the system allocator: a check allocates and frees a few
/// MB per photo, and glibc's malloc hands the freed top of the heap back to
/// the kernel after each photo (its trim threshold), so every photo
/// faulted its pages in again: about 140 page faults and 1 ms of a 5 ms
/// check on a worker thread (measured with the throughput bench and `perf
/// stat`: 570k faults per run against 4.6k). mimalloc keeps freed pages for
/// reuse.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load_profile(spec: &str) -> Result<Profile, String> {
    profile_arg::load(spec)
}

/// Writes one line to standard output. A reader that went away (`| head`)
/// is its choice: the rest of the output is dropped quietly, never a panic.
fn print_line(line: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_fmt(line)
        .and_then(|()| stdout.write_all(b"\n"))
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("photolint: cannot write to standard output: {e}");
        }
    }
}

fn usage_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("photolint: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    batch::quiet_guarded_panics();
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            profile,
            format,
            lang,
            fail_on,
            limits,
            color,
        } => commands::check::check(
            &files,
            &profile,
            limits.get(),
            format,
            lang.unwrap_or_else(Lang::from_env),
            fail_on.severity(),
            color.color.stdout(),
        ),
        Command::Scan {
            paths,
            profile,
            format,
            output,
            reports,
            jobs,
            lang,
            fail_on,
            hidden,
            no_progress,
            limits,
            color,
        } => {
            let profile = match load_profile(&profile) {
                Ok(p) => p,
                Err(e) => return usage_error(e),
            };
            let opts = ScanOpts {
                format,
                output,
                reports,
                jobs,
                lang: lang.unwrap_or_else(Lang::from_env),
                fail_on: fail_on.severity(),
                hidden,
                progress: !no_progress
                    && std::io::stderr().is_terminal()
                    && std::env::var_os("CI").is_none(),
                color: color.color,
            };
            commands::scan::scan_command(
                &paths,
                Checker::new(profile).with_limits(limits.get()),
                &opts,
            )
        }
        Command::Fix {
            inputs,
            output,
            reports,
            dry_run,
            profile,
            format,
            jobs,
            lang,
            hidden,
            limits,
            color,
        } => {
            let profile = match load_profile(&profile) {
                Ok(p) => p,
                Err(e) => return usage_error(e),
            };
            let more = match output::report_specs(&reports) {
                Ok(m) => m,
                Err(e) => return usage_error(e),
            };
            let opts = commands::fix::FixOpts {
                reports: more,
                out_dir: output,
                dry_run,
                format,
                jobs,
                lang: lang.unwrap_or_else(Lang::from_env),
                hidden,
                paint: color.color.stdout(),
            };
            commands::fix::fix_command(
                &inputs,
                Checker::new(profile).with_limits(limits.get()),
                &opts,
            )
        }
        Command::Annotate {
            file,
            output,
            profile,
            limits,
            color,
            lang,
        } => commands::annotate::annotate(
            &file,
            &output,
            &profile,
            limits.get(),
            lang.unwrap_or_else(Lang::from_env),
            color.color.stdout(),
        ),
        Command::Profiles { action, color } => {
            commands::profiles::profiles(action, color.color.stdout())
        }
        Command::Explain {
            code,
            profile,
            color,
        } => commands::explain::explain(&code, &profile, color.color.stdout()),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "photolint",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}
