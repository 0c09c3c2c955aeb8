//! `photolint`: the command-line front end. It owns the terminal, the files
//! and the exit codes; the judging is the library's.
//!
//! Exit codes: 0 every photo passes; 1 every file was read and some photo
//! fails a rule at or above `--fail-on`; 2 some file could not be judged
//! (unreadable, empty, damaged, truncated, not an image, too large), or a
//! usage error or a profile that does not load. 2 is given only after every
//! file was looked at.

mod html;
mod lang;
mod output;
mod scan;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use photolint::{Checker, Profile, Report, Severity, Verdict};

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
use output::{Ctx, Format, Summary};

/// `println!` that does not panic when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        print_line(format_args!($($arg)*))
    };
}

/// Checks portrait photos against ID-photo rules (default: the Chinese diploma photo).
#[derive(Parser)]
#[command(name = "photolint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Decoder limits: what is refused (E003-too-large) before it takes memory.
#[derive(clap::Args)]
struct LimitArgs {
    /// Refuse images wider or higher than this many pixels.
    #[arg(long, global = true, value_name = "PIXELS", default_value_t = photolint::DecodeLimits::default().max_side)]
    max_side: u32,
    /// Refuse images whose decoding needs more than this many MiB.
    #[arg(long, global = true, value_name = "MIB", default_value_t = photolint::DecodeLimits::default().max_alloc >> 20)]
    max_decode_mb: u64,
    /// Refuse files larger than this many MiB without reading them.
    #[arg(long, global = true, value_name = "MIB", default_value_t = photolint::DecodeLimits::default().max_file_bytes >> 20)]
    max_file_mb: u64,
}

impl LimitArgs {
    fn get(&self) -> photolint::DecodeLimits {
        photolint::DecodeLimits {
            max_side: self.max_side,
            max_alloc: self.max_decode_mb.saturating_mul(1 << 20),
            max_file_bytes: self.max_file_mb.saturating_mul(1 << 20),
        }
    }
}

/// The least severity that fails a photo.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Errors fail the photo; warnings are reported only.
    Error,
    /// Warnings fail the photo too.
    Warning,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

#[derive(Subcommand)]
enum Command {
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
    },
    /// Write the annotated photo: allowed bands for the top of the head and
    /// the eye line, the face box, the eye line and a box round each finding.
    Annotate {
        /// The photo.
        file: PathBuf,
        /// Where to write the annotated image (PNG).
        #[arg(long, short)]
        output: PathBuf,
        /// Built-in profile name or path to a profile file (TOML).
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
    },
    /// List the built-in profiles, or print one.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Print what a rule checks, why, and the profile keys that tune it
    /// (by code, e.g. F003, or by name), in English and Chinese.
    Explain {
        /// Rule code or name; "all" for every rule.
        code: String,
        /// Profile whose values of the keys are shown.
        #[arg(long, default_value = photolint::profile::DEFAULT_PROFILE)]
        profile: String,
    },
    /// Print a shell completion script (e.g. `photolint completions bash >
    /// /etc/bash_completion.d/photolint`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum ProfilesAction {
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
enum CheckFormat {
    /// Readable verdicts.
    Text,
    /// The full reports, as one JSON array.
    Json,
}

fn load_profile(spec: &str) -> Result<Profile, photolint::Error> {
    let path = Path::new(spec);
    if Profile::built_in_names().contains(&spec) || !path.exists() {
        Profile::built_in(spec)
    } else {
        Profile::from_file(path)
    }
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
    scan::quiet_guarded_panics();
    let cli = Cli::parse();
    let limits = cli.limits.get();
    match cli.command {
        Command::Check {
            files,
            profile,
            format,
            lang,
            fail_on,
        } => check(
            &files,
            &profile,
            limits,
            format,
            lang.unwrap_or_else(Lang::from_env),
            fail_on.severity(),
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
            };
            scan_command(&paths, Checker::new(profile).with_limits(limits), &opts)
        }
        Command::Annotate {
            file,
            output,
            profile,
        } => annotate(&file, &output, &profile, limits),
        Command::Profiles { action } => profiles(action),
        Command::Explain { code, profile } => explain(&code, &profile),
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

struct ScanOpts {
    format: Format,
    output: Option<PathBuf>,
    reports: Vec<String>,
    jobs: Option<usize>,
    lang: Lang,
    fail_on: Severity,
    hidden: bool,
    progress: bool,
}

/// Opens a report file for writing, refusing to write over a file that is
/// being scanned (photolint never changes its input).
fn create_report(path: &Path, entries: &[scan::Entry]) -> Result<Box<dyn Write>, String> {
    if let Ok(target) = path.canonicalize() {
        let hit = entries.iter().any(|e| match e {
            scan::Entry::File { path, .. } => path.canonicalize().ok().as_ref() == Some(&target),
            scan::Entry::Unreadable { .. } => false,
        });
        if hit {
            return Err(format!(
                "{}: is one of the files being scanned; choose another report file",
                path.display()
            ));
        }
    }
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Box::new(std::io::BufWriter::new(f)))
}

fn scan_command(paths: &[PathBuf], checker: Checker, o: &ScanOpts) -> ExitCode {
    let mut targets = vec![(o.format, o.output.clone())];
    for spec in &o.reports {
        let Some((fmt, file)) = spec.split_once('=') else {
            return usage_error(format!("--report {spec:?}: expected FORMAT=FILE"));
        };
        match Format::from_str(fmt, true) {
            Ok(f) => targets.push((f, Some(PathBuf::from(file)))),
            Err(_) => return usage_error(format!("--report {spec:?}: unknown format {fmt:?}")),
        }
    }
    for p in paths {
        if !p.exists() && !p.is_symlink() {
            return usage_error(format!("{}: no such file or folder", p.display()));
        }
    }
    let entries = scan::collect(paths, o.hidden);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let mut sinks = Vec::new();
    let mut html = false;
    for (format, file) in targets {
        html |= format == Format::Html;
        let out: Box<dyn Write> = match file {
            None => Box::new(std::io::stdout().lock()),
            Some(path) => match create_report(&path, &entries) {
                Ok(w) => w,
                Err(e) => return usage_error(e),
            },
        };
        sinks.push(output::sink(format, out));
    }
    let cx = Ctx {
        lang: o.lang,
        profile: checker.profile(),
        fail_on: o.fail_on,
    };
    let bar = if o.progress {
        let bar = indicatif::ProgressBar::new(entries.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} files {bar:40} {elapsed} eta {eta}",
        ) {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let tick = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let pictures = html.then_some(scan::Pictures {
        thumbnail: 120,
        annotated: 320,
    });
    let mut summary = Summary::default();
    let mut write_err = None;
    let result = scan::run(&entries, &checker, &pool, pictures, &tick, &mut |item| {
        summary.add(&item, o.fail_on);
        for s in sinks.iter_mut() {
            s.item(&item, &cx)?;
        }
        Ok(())
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Err(e) = result {
        write_err = Some(e);
    }
    for s in sinks.iter_mut() {
        if let Err(e) = s.finish(&summary, &cx) {
            write_err.get_or_insert(e);
        }
    }
    if let Some(e) = write_err {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(exit_code(&summary));
        }
        return usage_error(format!("cannot write the report: {e}"));
    }
    ExitCode::from(exit_code(&summary))
}

fn exit_code(s: &Summary) -> u8 {
    if s.error > 0 {
        2
    } else if s.fail > 0 {
        1
    } else {
        0
    }
}

fn annotate(file: &Path, out: &Path, profile: &str, limits: photolint::DecodeLimits) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    if file
        .canonicalize()
        .ok()
        .is_some_and(|a| out.canonicalize().ok() == Some(a))
    {
        return usage_error("the output would overwrite the photo; choose another file");
    }
    let checker = Checker::new(profile).with_limits(limits);
    let checked = match checker.check_file_keep(file) {
        Ok(c) => c,
        Err(e) => return usage_error(format!("{}: [{}] {e}", file.display(), e.code())),
    };
    let img = photolint::annotate::annotate(&checked.image, &checked.report, checker.profile());
    if let Err(e) = img.save_with_format(out, image::ImageFormat::Png) {
        return usage_error(format!("{}: {e}", out.display()));
    }
    let codes: Vec<&str> = checked
        .report
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    out!(
        "{}: {} -> {}{}",
        file.display(),
        if checked.report.verdict == Verdict::Pass {
            "PASS"
        } else {
            "FAIL"
        },
        out.display(),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", codes.join(", "))
        }
    );
    if checked.report.verdict == Verdict::Pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn profiles(action: Option<ProfilesAction>) -> ExitCode {
    match action.unwrap_or(ProfilesAction::List) {
        ProfilesAction::List => {
            for name in Profile::built_in_names() {
                match Profile::built_in(name) {
                    Ok(p) => {
                        let default = if name == photolint::profile::DEFAULT_PROFILE {
                            " (default)"
                        } else {
                            ""
                        };
                        out!(
                            "{name:<16} {}x{}{default}\n                 {}\n                 {}",
                            p.reference_width,
                            p.reference_height,
                            p.title_en,
                            p.title_zh
                        );
                    }
                    Err(e) => return usage_error(e),
                }
            }
            ExitCode::SUCCESS
        }
        ProfilesAction::Show { name } => {
            if let Some(text) = Profile::built_in_source(&name) {
                out!("{}", text.trim_end());
                return ExitCode::SUCCESS;
            }
            match std::fs::read_to_string(&name) {
                Ok(text) => match Profile::from_toml(&text) {
                    Ok(_) => {
                        out!("{}", text.trim_end());
                        ExitCode::SUCCESS
                    }
                    Err(e) => usage_error(format!("{name}: {e}")),
                },
                Err(_) => usage_error(format!(
                    "no built-in profile or profile file {name:?} (built in: {})",
                    Profile::built_in_names().join(", ")
                )),
            }
        }
    }
}

/// The value a dotted key (`framing.eye_y`) has in `profile`, as TOML.
fn key_value(profile: &Profile, key: &str) -> String {
    let Ok(value) = toml::Value::try_from(profile) else {
        return "?".into();
    };
    let mut v = Some(&value);
    for part in key.split('.') {
        v = v.and_then(|x| x.get(part));
    }
    v.map_or_else(|| "(not set / 未设定)".into(), toml::Value::to_string)
}

fn explain(code: &str, profile: &str) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let rules: Vec<&photolint::rules::RuleInfo> = if code.eq_ignore_ascii_case("all") {
        photolint::rules::ALL.iter().collect()
    } else {
        match photolint::rules::find(code) {
            Some(r) => vec![r],
            None => return usage_error(format!("no rule {code:?} (try `photolint explain all`)")),
        }
    };
    for (i, r) in rules.iter().enumerate() {
        if i > 0 {
            out!("\n----\n");
        }
        let (sev_en, sev_zh) = match r.severity {
            Severity::Error => ("error: the photo fails", "错误：照片不合格"),
            Severity::Warning => (
                "warning: reported, the photo still passes",
                "提示：照片仍合格",
            ),
        };
        out!("{} {}", r.code, r.name);
        out!("{sev_en}\n{sev_zh}\n");
        out!("{}\n\n{}\n", r.doc_en, r.doc(photolint::Lang::Zh));
        let state = if profile.is_disabled(r.code) {
            " — switched off by disabled_rules / 已通过 disabled_rules 关闭"
        } else {
            ""
        };
        if r.keys.is_empty() {
            out!(
                "Profile keys / 规格参数 ({}){state}: none; the rule has no numbers to tune / 无可调参数",
                profile.name
            );
        } else {
            out!("Profile keys / 规格参数 ({}){state}:", profile.name);
            for k in r.keys {
                out!("  {k} = {}", key_value(&profile, k));
            }
        }
    }
    ExitCode::SUCCESS
}

fn check(
    files: &[PathBuf],
    profile: &str,
    limits: photolint::DecodeLimits,
    format: CheckFormat,
    lang: Lang,
    fail_on: Severity,
) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let checker = Checker::new(profile).with_limits(limits);
    let mut failed = false;
    let mut unreadable = false;
    let mut json = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let result = scan::guarded(|| checker.check_file(path))
            .unwrap_or_else(|message| Err(photolint::Error::Internal(message)));
        match result {
            Ok(report) => {
                failed |= report.findings.iter().any(|f| f.severity >= fail_on);
                match format {
                    CheckFormat::Text => print_text(&shown, &report, lang, fail_on),
                    CheckFormat::Json => {
                        json.push(serde_json::json!({"path": shown, "report": report}))
                    }
                }
            }
            Err(e) => {
                unreadable = true;
                match format {
                    CheckFormat::Text => out!(
                        "{shown}: {} [{}] {}",
                        lang.pick("ERROR", "无法检查"),
                        e.code(),
                        lang.error(&e)
                    ),
                    CheckFormat::Json => json.push(serde_json::json!({
                        "path": shown,
                        "error": {"code": e.code(), "message_en": Lang::En.error(&e), "message_zh": Lang::Zh.error(&e)},
                    })),
                }
            }
        }
    }
    if let CheckFormat::Json = format {
        match serde_json::to_string_pretty(&json) {
            Ok(s) => out!("{s}"),
            Err(e) => return usage_error(e),
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

fn print_text(path: &str, r: &Report, lang: Lang, fail_on: Severity) {
    let fails = r.findings.iter().any(|f| f.severity >= fail_on);
    let verdict = match (fails, lang) {
        (false, Lang::En) => "PASS",
        (true, Lang::En) => "FAIL",
        (false, Lang::Zh) => "合格",
        (true, Lang::Zh) => "不合格",
    };
    out!("{path}: {verdict}");
    for line in output::finding_lines(&r.findings, lang) {
        out!("{line}");
    }
    if let Some(fr) = &r.measurements.framing {
        let crown = fr
            .crown_y
            .map(|c| format!("{:.0}", c.reference))
            .unwrap_or_else(|| "-".into());
        let (eyes, width, centre, roll) = (
            fr.eye_y.reference,
            fr.face_width.reference,
            fr.face_centre_x.reference,
            fr.roll_degrees,
        );
        match lang {
            Lang::En => out!(
                "  measured: crown {crown}, eyes {eyes:.0}, face width {width:.0}, centre x {centre:.0}, roll {roll:.1} deg ({} reference px)",
                r.profile
            ),
            Lang::Zh => out!(
                "  测量：头顶 {crown}，眼睛 {eyes:.0}，脸宽 {width:.0}，中心 x {centre:.0}，倾斜 {roll:.1} 度（{} 参考像素）",
                r.profile
            ),
        }
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
            out!(
                "  颜色：背景{}（RGB {red},{green},{blue}，色差 {:.1}，渐变 {:.1}），衣物 {top}",
                b.colour.zh(),
                b.delta_e,
                b.gradient.max()
            );
        } else {
            out!(
                "  colour: background {} (RGB {red},{green},{blue}, delta E {:.1}, gradient {:.1}), clothing {top}",
                b.colour.en(),
                b.delta_e,
                b.gradient.max()
            );
        }
    }
}
