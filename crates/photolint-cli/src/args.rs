//! The command line: every command, argument and option (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use photolint::Severity;

use crate::lang::Lang;
use crate::output::Format;
use crate::style::ColorArg;

/// Checks portrait photos against ID-photo rules (default: the Chinese diploma photo).
#[derive(Parser)]
#[command(name = "photolint", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Decoder limits: what is refused (E003-too-large) before it takes memory.
/// Only the commands that read photos take them.
#[derive(clap::Args)]
#[command(next_help_heading = "Decoder limits")]
pub(crate) struct LimitArgs {
    /// Refuse images wider or higher than this many pixels.
    #[arg(long, value_name = "PIXELS", default_value_t = photolint::DecodeLimits::default().max_side)]
    pub(crate) max_side: u32,
    /// Refuse images whose decoding needs more than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = photolint::DecodeLimits::default().max_alloc >> 20)]
    pub(crate) max_decode_mb: u64,
    /// Refuse files larger than this many MiB without reading them.
    #[arg(long, value_name = "MIB", default_value_t = photolint::DecodeLimits::default().max_file_bytes >> 20)]
    pub(crate) max_file_mb: u64,
}

impl LimitArgs {
    pub(crate) fn get(&self) -> photolint::DecodeLimits {
        photolint::DecodeLimits {
            max_side: self.max_side,
            max_alloc: self.max_decode_mb.saturating_mul(1 << 20),
            max_file_bytes: self.max_file_mb.saturating_mul(1 << 20),
        }
    }
}

/// The least severity that fails a photo.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Errors fail the photo; warnings are reported only.
    Error,
    /// Warnings fail the photo too.
    Warning,
}

impl FailOn {
    pub(crate) fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Check photos and print a verdict per file, with what was measured.
    ///
    /// Exit code: 0 all pass, 1 some photo fails, 2 some file could not be read.
    Check {
        /// Photo files (JPEG, PNG or WebP).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Language of the messages (default: from LC_ALL / LC_MESSAGES / LANG).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// The least severity that fails a photo.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Scan folders (recursively) and files in parallel and write a report.
    ///
    /// Image files are recognised by their content as well as their name;
    /// hidden files are skipped unless --hidden. Results come in path order
    /// whatever the number of threads. Exit code: 0 all pass, 1 every file
    /// was judged and some photo fails, 2 some file could not be judged
    /// (unreadable, damaged, truncated, not an image) or a usage error; 2
    /// comes after every other file was checked and reported.
    Scan {
        /// Folders and files to scan.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        /// Report format.
        #[arg(long, short, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Also write a report of another format, as FORMAT=FILE (e.g.
        /// junit=results.xml); may be given several times.
        #[arg(long = "report", value_name = "FORMAT=FILE")]
        reports: Vec<String>,
        /// Photos checked at once (default: every core).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Language of the messages (default: from LC_ALL / LC_MESSAGES / LANG).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// The least severity that fails a photo.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Also scan hidden files and folders (names starting with a dot).
        #[arg(long)]
        hidden: bool,
        /// Never show the progress bar (it is shown only on a terminal, and
        /// never when the CI variable is set).
        #[arg(long)]
        no_progress: bool,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Crop, scale and save photos whose only faults are the framing or the
    /// file, into an output folder; refuse the rest, with the reason.
    ///
    /// The head is put at the middle of the profile's bands using the
    /// photo's own pixels, the photo resampled to the profile's size and
    /// written as a JPEG at its dpi, at the highest quality within its size
    /// band, then checked again. A wrong backdrop, clothing, light, glare,
    /// glasses, hair or closed eyes are never edited. Inputs are never
    /// changed, and no file in the output folder is overwritten. Exit code:
    /// 0 every photo fixed or already passing, 1 some photo refused, 2 some
    /// file could not be read or written, or a usage error.
    Fix {
        /// Photos and folders (walked as `scan` does).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The folder to write into (created if missing; photos passing
        /// already are copied there as they are).
        #[arg(long, short)]
        output: PathBuf,
        /// Say what would be done, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        /// Report format, on standard output (csv: one row per photo; html:
        /// each photo before and after, side by side).
        #[arg(long, short, value_enum, default_value_t = crate::commands::fix::FixFormat::Text)]
        format: crate::commands::fix::FixFormat,
        /// Also write a report of another format, as FORMAT=FILE (e.g.
        /// html=fixed.html: each photo before and after); may be given
        /// several times.
        #[arg(long = "report", value_name = "FORMAT=FILE")]
        reports: Vec<String>,
        /// Photos fixed at once (default: every core).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Language of the messages (default: from LC_ALL / LC_MESSAGES / LANG).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Also take hidden files and folders (names starting with a dot).
        #[arg(long)]
        hidden: bool,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Write the annotated photo: allowed bands for the top of the head and
    /// the eye line, the face box, the eye line and a box round each finding.
    Annotate {
        /// The photo.
        file: PathBuf,
        /// Where to write the annotated image: a .png or .jpg name (it sets the format).
        #[arg(long, short)]
        output: PathBuf,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        /// Language of the labels on the photo (default: from LC_ALL / LC_MESSAGES / LANG).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// List the built-in profiles, or print one.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Print what a rule checks, why, and the profile keys that tune it
    /// (by code, e.g. F003, or by name), in English and Chinese.
    Explain {
        /// Rule code or name; "all" for every rule.
        code: String,
        /// Profile whose values of the keys are shown.
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Print a shell completion script (e.g. `photolint completions bash >
    /// /etc/bash_completion.d/photolint`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
pub(crate) enum ProfilesAction {
    /// List the built-in profiles (the default).
    List,
    /// Print a profile: a built-in one as shipped, with the reason for each
    /// number, or a profile file.
    Show {
        /// Built-in profile name or path to a profile file.
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CheckFormat {
    /// Readable verdicts.
    Text,
    /// The full reports, as one JSON array.
    Json,
}
