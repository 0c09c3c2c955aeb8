//! `photolint fix`: photos whose only faults are the framing or the file,
//! cropped, scaled and written again into an output folder, in parallel;
//! the rest refused with the reason.
//!
//! Inputs are only read. Every photo is written to a temporary name in the
//! output folder and linked to its own name once complete, never over a
//! file already there, so an interrupted run leaves no half-written photo
//! (the next run clears the temporary files). Results come in path order
//! whatever the number of threads.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use photolint::fix::{Action, Fixed, Refusal};
use photolint::{Checker, Report};

use crate::batch::{self, Entry};
use crate::fix_report::{counts, render, Done, HtmlReport, Row};
use crate::lang::Lang;
use crate::style::Paint;
use crate::usage_error;

/// Suffix of the temporary files a photo is written to before it gets its
/// name; cleared at the start of every run.
const TMP_SUFFIX: &str = ".photolint-tmp";

/// Report formats of `fix`: those of `scan` (CSV here is one row per
/// photo; HTML shows each photo before and after).
pub(crate) use crate::output::Format as FixFormat;

pub(crate) struct FixOpts {
    pub(crate) out_dir: PathBuf,
    pub(crate) dry_run: bool,
    pub(crate) format: FixFormat,
    pub(crate) jobs: Option<usize>,
    pub(crate) lang: Lang,
    pub(crate) hidden: bool,
    pub(crate) paint: Paint,
    /// More reports, each written to its file.
    pub(crate) reports: Vec<(FixFormat, PathBuf)>,
}

impl FixOpts {
    /// Whether some report shows the photos (HTML).
    fn pictures(&self) -> bool {
        self.format == FixFormat::Html || self.reports.iter().any(|(f, _)| *f == FixFormat::Html)
    }
}

/// What the parallel part hands to the writer: a photo to write (with its
/// pictures for the HTML report) or the row that says why not.
enum Work {
    Write(Box<Fixed>, Option<(Option<String>, Option<String>)>),
    Done(Row),
}

/// The annotated photo of `bytes` with `report`, 240 px wide, as a `data:`
/// URI.
fn picture(bytes: &[u8], report: &Report, checker: &Checker, lang: Lang) -> Option<String> {
    let img = photolint::decode_upright(bytes, checker.limits()).ok()?;
    let a =
        photolint::annotate::annotate_to_width(&img, report, checker.profile(), 240, lang.into());
    batch::data_uri(&a, 75)
}

/// Every path's canonical form, or its own when it cannot be resolved
/// (not there yet): the nearest existing ancestor, resolved, plus the rest.
fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let mut rest = Vec::new();
    let mut at = p;
    loop {
        if let Some(name) = at.file_name() {
            rest.push(name.to_owned());
        }
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => {
                if let Ok(c) = parent.canonicalize() {
                    let mut out = c;
                    for n in rest.iter().rev() {
                        out.push(n);
                    }
                    return out;
                }
                at = parent;
            }
            _ => {
                let mut out = std::env::current_dir().unwrap_or_default();
                for n in rest.iter().rev() {
                    out.push(n);
                }
                return out;
            }
        }
    }
}

/// The output path of `path` (an entry under `inputs`): its place under the
/// input folder it was found in, or its name when it was named itself,
/// with the profile's extension.
fn planned(path: &Path, inputs: &[PathBuf], ext: &str) -> PathBuf {
    let rel = inputs
        .iter()
        .filter(|i| i.is_dir())
        .find_map(|i| path.strip_prefix(i).ok())
        .filter(|r| !r.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| path.file_name().map(PathBuf::from).unwrap_or_default());
    rel.with_extension(ext)
}

/// Removes the temporary files an interrupted run left in `dir`: those of
/// a process that is no longer running (its id is in the name).
fn clear_stale(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = e.file_name().to_string_lossy();
        let Some(stem) = name.strip_suffix(TMP_SUFFIX) else {
            continue;
        };
        let pid = stem.rsplit('.').next().unwrap_or_default();
        let running = !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && Path::new("/proc").join(pid).exists();
        if e.file_type().is_file() && !running {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes `bytes` to `target` through a temporary file beside it, never
/// over an existing file. `Ok(false)` when `target` already holds exactly
/// these bytes (a run done before).
fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if target.exists() {
        return match std::fs::read(target) {
            Ok(old) if old == bytes => Ok(false),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists",
            )),
        };
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        // A hard link is made only where no file has the name (unlike a
        // rename, which would replace one written meanwhile).
        match std::fs::hard_link(&tmp, target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: rename, having looked.
            Err(_) if !target.exists() => std::fs::rename(&tmp, target),
            Err(e) => Err(e),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map(|()| true)
}

fn fix_one(entry: &Entry, checker: &Checker, o: &FixOpts) -> Option<Work> {
    let dry_run = o.dry_run;
    let (path, named) = match entry {
        Entry::File { path, named } => (path, *named),
        Entry::Unreadable { path, error } => {
            return Some(Work::Done(Row::failed(
                path.display().to_string(),
                photolint::ErrorInfo::unreadable_path(error),
                dry_run,
            )))
        }
    };
    let shown = path.display().to_string();
    if !named && !batch::is_photo_candidate(path) {
        return None;
    }
    let unreadable =
        |e: photolint::Error| Work::Done(Row::failed(shown.clone(), e.info(), dry_run));
    let bytes = match photolint::read_file(path, checker.limits()) {
        Ok(b) => b,
        Err(e) => return Some(unreadable(e)),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match checker.fix(photolint::Source::named(&bytes, &name)) {
        Ok(f) => {
            let pictures = o.pictures().then(|| {
                let before = picture(&bytes, &f.before, checker, o.lang);
                let after = (f.action == Action::Fixed)
                    .then(|| picture(&f.bytes, &f.after, checker, o.lang))
                    .flatten();
                (before, after)
            });
            Some(Work::Write(Box::new(f), pictures))
        }
        Err(Refusal { reason, before }) => {
            if let photolint::fix::Reason::Unreadable(e) = reason {
                return Some(unreadable(e));
            }
            let mut row = Row::new(shown, Done::Refused, dry_run).because(
                reason.code(),
                reason.message(photolint::Lang::En),
                reason.message(photolint::Lang::Zh),
            );
            if let Some(b) = before {
                row = row.with_before(&b);
                if o.pictures() {
                    row.pictures = Some((picture(&bytes, &b, checker, o.lang), None));
                }
            }
            Some(Work::Done(row))
        }
    }
}

pub(crate) fn fix_command(inputs: &[PathBuf], checker: Checker, o: &FixOpts) -> ExitCode {
    let out_dir = &o.out_dir;
    if out_dir.exists() && !out_dir.is_dir() {
        return usage_error(format!(
            "{}: is a file; -o needs a folder to write the photos into",
            out_dir.display()
        ));
    }
    let out_real = resolved(out_dir);
    for i in inputs.iter().filter(|i| i.is_dir()) {
        let real = resolved(i);
        if out_real != real && out_real.starts_with(&real) {
            return usage_error(format!(
                "{}: is inside the input folder {}; photolint writes into an input folder only when -o is that folder",
                out_dir.display(),
                i.display()
            ));
        }
    }
    let entries = batch::collect(inputs, o.hidden);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    if !o.dry_run && out_dir.is_dir() {
        clear_stale(out_dir);
    }
    let ext = checker
        .profile()
        .file
        .extensions
        .first()
        .cloned()
        .unwrap_or_else(|| "jpg".into());
    // Inputs resolved once, to refuse writing over any of them.
    let input_files: std::collections::HashSet<PathBuf> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::File { path, .. } => path.canonicalize().ok(),
            Entry::Unreadable { .. } => None,
        })
        .collect();
    for (_, file) in &o.reports {
        if file.canonicalize().is_ok_and(|c| input_files.contains(&c)) {
            return usage_error(format!(
                "{}: is one of the photos being fixed; choose another report file",
                file.display()
            ));
        }
    }
    // HTML reports are written card by card as the photos are done (their
    // pictures are not kept); the other formats at the end, from the rows.
    let mut pages = Vec::new();
    if o.format == FixFormat::Html {
        match HtmlReport::start(Box::new(std::io::stdout()), o, checker.profile()) {
            Ok(p) => pages.push(p),
            Err(e) => return usage_error(format!("cannot write the report: {e}")),
        }
    }
    for (_, file) in o.reports.iter().filter(|(f, _)| *f == FixFormat::Html) {
        let page = std::fs::File::create(file).and_then(|f| {
            HtmlReport::start(Box::new(std::io::BufWriter::new(f)), o, checker.profile())
        });
        match page {
            Ok(p) => pages.push(p),
            Err(e) => {
                return usage_error(format!("cannot write the report {}: {e}", file.display()))
            }
        }
    }
    let mut claimed: HashMap<PathBuf, String> = HashMap::new();
    let mut rows = Vec::new();
    let on_panic = |e: &Entry, error: photolint::Error| {
        Work::Done(Row::failed(entry_path(e.path()), error.info(), o.dry_run))
    };
    // The photos are mended in parallel; named, written and reported one
    // by one in path order.
    let sunk = batch::run_with(
        &entries,
        &pool,
        &|e| fix_one(e, &checker, o),
        &on_panic,
        &|_| {},
        &mut |entry, work| {
            let mut row = match work {
                Work::Done(row) => row,
                Work::Write(fixed, pictures) => {
                    let mut row = write_one(
                        entry.path(),
                        &fixed,
                        inputs,
                        &ext,
                        o,
                        &input_files,
                        &mut claimed,
                    );
                    row.pictures = pictures;
                    row
                }
            };
            for page in &mut pages {
                // A reader of standard output that went away stops the
                // report, not the mending.
                match page.card(&row) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    written => written?,
                }
            }
            row.pictures = None;
            rows.push(row);
            Ok(())
        },
    );
    let finished = sunk.and_then(|()| {
        pages
            .into_iter()
            .try_for_each(|p| match p.finish(&rows, o) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                done => done,
            })
    });
    if let Err(e) = finished {
        return usage_error(format!("cannot write the report: {e}"));
    }
    report(&rows, o, checker.profile())
}

/// Writes the report to standard output and each `--report` to its file
/// (never over an input photo), and gives the exit code.
fn report(rows: &[Row], o: &FixOpts, profile: &photolint::Profile) -> ExitCode {
    // HTML went out as the photos were done.
    let text = match render(o.format, rows, o, profile) {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => return usage_error(format!("cannot write the report: {e}")),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return usage_error(format!("cannot write the report: {e}"));
        }
    }
    for (format, file) in o.reports.iter().filter(|(f, _)| *f != FixFormat::Html) {
        let written = render(*format, rows, o, profile)
            .map_err(std::io::Error::other)
            .and_then(|t| t.map_or(Ok(()), |t| std::fs::write(file, t)));
        if let Err(e) = written {
            return usage_error(format!("cannot write the report {}: {e}", file.display()));
        }
    }
    let [_, _, refused, errors] = counts(rows);
    ExitCode::from(if errors > 0 {
        2
    } else if refused > 0 {
        1
    } else {
        0
    })
}

fn entry_path(p: &Path) -> String {
    p.display().to_string()
}

/// Names, checks and writes one accepted photo, in path order.
fn write_one(
    path: &Path,
    fixed: &Fixed,
    inputs: &[PathBuf],
    ext: &str,
    o: &FixOpts,
    input_files: &std::collections::HashSet<PathBuf>,
    claimed: &mut HashMap<PathBuf, String>,
) -> Row {
    let shown = entry_path(path);
    let rel = match fixed.action {
        Action::Fixed => planned(path, inputs, ext),
        // A photo that passes keeps its own name.
        Action::Unchanged => planned(
            path,
            inputs,
            &path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
    };
    let target = o.out_dir.join(&rel);
    let done = match fixed.action {
        Action::Fixed => Done::Fixed,
        Action::Unchanged => Done::Unchanged,
    };
    let mut row = Row::new(shown.clone(), done, o.dry_run).with_before(&fixed.before);
    row.after = Some(fixed.after.verdict);
    row.output = Some(target.display().to_string());
    if let Some(c) = fixed.crop {
        row.crop = Some([c.x, c.y, c.w, c.h].map(|v| (v as f64 * 10.0).round() / 10.0));
        row.scale = Some((fixed.scale * 1000.0).round() / 1000.0);
    }
    row.quality = fixed.quality;
    let refuse = |mut row: Row, code: &str, en: String, zh: String| {
        row.action = Done::Refused;
        row.after = None;
        row.because(code, en, zh)
    };
    let real = resolved(&target);
    // A photo that passes, asked to be copied onto itself (-o its own
    // folder), is already where it belongs.
    if fixed.action == Action::Unchanged && path.canonicalize().is_ok_and(|p| p == real) {
        claimed.insert(real, shown);
        return row;
    }
    if let Some(other) = claimed.get(&real) {
        return refuse(
            row,
            "R008-name-taken",
            format!(
                "{} is the output of {other} too; not overwritten (rename one of them)",
                target.display()
            ),
            format!(
                "{} 与 {other} 的输出同名，未覆盖（请改名其中一个）",
                target.display()
            ),
        );
    }
    claimed.insert(real.clone(), shown);
    if input_files.contains(&real) {
        return refuse(
            row,
            "R008-name-taken",
            format!(
                "{} is an input photo; photolint never writes over its input",
                target.display()
            ),
            format!(
                "{} 是输入照片，photolint 不会覆盖输入文件",
                target.display()
            ),
        );
    }
    if o.dry_run {
        if target.exists() && std::fs::read(&target).ok().as_deref() != Some(&fixed.bytes[..]) {
            return refuse(
                row,
                "R008-name-taken",
                format!(
                    "{} already exists; it would not be overwritten",
                    target.display()
                ),
                format!("{} 已存在，不会覆盖", target.display()),
            );
        }
        return row;
    }
    match write_new(&target, &fixed.bytes) {
        Ok(_) => row,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => refuse(
            row,
            "R008-name-taken",
            format!("{} already exists; not overwritten", target.display()),
            format!("{} 已存在，未覆盖", target.display()),
        ),
        Err(e) => {
            let err = photolint::Error::Io {
                path: target.display().to_string(),
                source: e,
            };
            let mut row = row.because(
                err.code(),
                format!("cannot write: {err}"),
                err.message(photolint::Lang::Zh),
            );
            row.action = Done::Error;
            row.after = None;
            row
        }
    }
}
