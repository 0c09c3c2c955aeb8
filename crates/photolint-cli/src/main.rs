//! `photolint`: the command-line front end. It owns the terminal, the files
//! and the exit codes; the judging is the library's.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use photolint::{Checker, Profile, Report, Verdict};

/// Checks portrait photos against ID-photo rules (default: the Chinese diploma photo).
#[derive(Parser)]
#[command(name = "photolint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check photos and print a verdict per file.
    ///
    /// Exit code: 0 all pass, 1 some photo fails a rule, 2 some file could not be read.
    Check {
        /// Photo files (JPEG or PNG).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the messages.
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Print what a rule checks (by code, e.g. F003, or name).
    Explain {
        /// Rule code or name.
        code: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Readable verdicts.
    Text,
    /// The full reports, as one JSON array.
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

fn default_lang() -> Lang {
    let v = std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    if v.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn load_profile(spec: &str) -> Result<Profile, photolint::Error> {
    let path = std::path::Path::new(spec);
    if Profile::built_in_names().contains(&spec) || !path.exists() {
        Profile::built_in(spec)
    } else {
        Profile::from_file(path)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            profile,
            format,
            lang,
        } => check(&files, &profile, format, lang.unwrap_or_else(default_lang)),
        Command::Explain { code } => match photolint::rules::find(&code) {
            Some(r) => {
                println!(
                    "{} {} ({:?})\n\n{}\n\n{}",
                    r.code, r.name, r.severity, r.doc_en, r.doc_zh
                );
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("photolint: no rule {code:?}");
                ExitCode::from(2)
            }
        },
    }
}

fn check(files: &[PathBuf], profile: &str, format: Format, lang: Lang) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("photolint: {e}");
            return ExitCode::from(2);
        }
    };
    let checker = Checker::new(profile);
    let mut failed = false;
    let mut unreadable = false;
    let mut json = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        match checker.check_file(path) {
            Ok(report) => {
                failed |= report.verdict == Verdict::Fail;
                match format {
                    Format::Text => print_text(&shown, &report, lang),
                    Format::Json => json.push(serde_json::json!({"path": shown, "report": report})),
                }
            }
            Err(e) => {
                unreadable = true;
                match format {
                    Format::Text => println!("{shown}: ERROR [{}] {e}", e.code()),
                    Format::Json => json.push(serde_json::json!({
                        "path": shown,
                        "error": {"code": e.code(), "message": e.to_string()},
                    })),
                }
            }
        }
    }
    if let Format::Json = format {
        match serde_json::to_string_pretty(&json) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("photolint: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(path: &str, r: &Report, lang: Lang) {
    let verdict = match (r.verdict, lang) {
        (Verdict::Pass, Lang::En) => "PASS",
        (Verdict::Fail, Lang::En) => "FAIL",
        (Verdict::Pass, Lang::Zh) => "合格",
        (Verdict::Fail, Lang::Zh) => "不合格",
    };
    println!("{path}: {verdict}");
    for f in &r.findings {
        let msg = if lang == Lang::Zh {
            &f.message_zh
        } else {
            &f.message_en
        };
        let sev = match f.severity {
            photolint::Severity::Error => "error",
            photolint::Severity::Warning => "warning",
        };
        println!("  {} {:<20} {sev:<7} {msg}", f.code, f.rule);
    }
    if let Some(fr) = &r.measurements.framing {
        let crown = fr
            .crown_y
            .map(|c| format!("{:.0}", c.reference))
            .unwrap_or_else(|| "-".into());
        println!(
            "  measured: crown {crown}, eyes {:.0}, face width {:.0}, centre x {:.0}, roll {:.1} deg ({} reference px)",
            fr.eye_y.reference,
            fr.face_width.reference,
            fr.face_centre_x.reference,
            fr.roll_degrees,
            r.profile
        );
    }
    let m = &r.measurements;
    if let Some(b) = &m.background {
        let [red, green, blue] = b.mean_rgb;
        let top: Vec<String> = m
            .clothing
            .iter()
            .filter(|c| c.visible)
            .flat_map(|c| c.colours.iter().take(3))
            .map(|k| {
                let name = if lang == Lang::Zh {
                    k.name.zh()
                } else {
                    k.name.en()
                };
                format!("{name} {:.0}%", k.share * 100.0)
            })
            .collect();
        let top = if top.is_empty() {
            "-".to_string()
        } else {
            top.join(", ")
        };
        if lang == Lang::Zh {
            println!(
                "  颜色：背景{}（RGB {red},{green},{blue}，色差 {:.1}，渐变 {:.1}），衣物 {top}",
                b.colour.zh(),
                b.delta_e,
                b.gradient.max()
            );
        } else {
            println!(
                "  colour: background {} (RGB {red},{green},{blue}, delta E {:.1}, gradient {:.1}), clothing {top}",
                b.colour.en(),
                b.delta_e,
                b.gradient.max()
            );
        }
    }
}
