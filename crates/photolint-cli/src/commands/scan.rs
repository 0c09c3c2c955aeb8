//! `photolint scan`: folders and files checked in parallel, into reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use photolint::{Checker, Severity};

use crate::batch;
use crate::lang::Lang;
use crate::output;
use crate::output::{Ctx, Format, Summary};
use crate::style::ColorChoice;
use crate::usage_error;

pub(crate) struct ScanOpts {
    pub(crate) format: Format,
    pub(crate) output: Option<PathBuf>,
    pub(crate) reports: Vec<String>,
    pub(crate) jobs: Option<usize>,
    pub(crate) lang: Lang,
    pub(crate) fail_on: Severity,
    pub(crate) hidden: bool,
    pub(crate) progress: bool,
    pub(crate) color: ColorChoice,
}

/// Opens a report file for writing, refusing to write over a file that is
/// being scanned (photolint never changes its input).
fn create_report(path: &Path, entries: &[batch::Entry]) -> Result<Box<dyn Write>, String> {
    if let Ok(target) = path.canonicalize() {
        let hit = entries.iter().any(|e| match e {
            batch::Entry::File { path, .. } => path.canonicalize().ok().as_ref() == Some(&target),
            batch::Entry::Unreadable { .. } => false,
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

pub(crate) fn scan_command(paths: &[PathBuf], checker: Checker, o: &ScanOpts) -> ExitCode {
    let mut targets = vec![(o.format, o.output.clone())];
    match output::report_specs(&o.reports) {
        Ok(more) => targets.extend(more.into_iter().map(|(f, file)| (f, Some(file)))),
        Err(e) => return usage_error(e),
    }
    let entries = batch::collect(paths, o.hidden);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let mut sinks = Vec::new();
    let mut html = false;
    let mut written = Vec::new();
    for (format, file) in targets {
        html |= format == Format::Html;
        let (out, paint): (Box<dyn Write>, _) = match file {
            None => (Box::new(std::io::stdout().lock()), o.color.stdout()),
            Some(path) => match create_report(&path, &entries) {
                Ok(w) => {
                    written.push(path.display().to_string());
                    (w, o.color.resolve(false))
                }
                Err(e) => return usage_error(e),
            },
        };
        sinks.push(output::sink(format, out, paint));
    }
    let cx = Ctx {
        lang: o.lang,
        profile: checker.profile(),
        fail_on: o.fail_on,
    };
    let bar = if o.progress {
        let bar = indicatif::ProgressBar::new(entries.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            // Every file found is counted here; the summary counts only
            // the images among them and says how many were left out.
            "{spinner} {pos}/{len} files looked at {bar:40} {elapsed} eta {eta}",
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
    let pictures = html.then_some(batch::Pictures {
        thumbnail: 120,
        annotated: 320,
        lang: o.lang.into(),
    });
    let mut summary = Summary::default();
    let mut write_err = None;
    let result = batch::run(&entries, &checker, &pool, pictures, &tick, &mut |item| {
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
    summary.skipped = (entries.len() as u64).saturating_sub(summary.files);
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
    if !written.is_empty() {
        // Reports went to files: the terminal still gets the counts and
        // where to look.
        let paint = o.color.resolve(std::io::stderr().is_terminal());
        let counts = output::counts_line(
            o.lang,
            paint,
            summary.files,
            [summary.pass, summary.fail, summary.error],
        );
        let files = written.join(", ");
        match o.lang {
            Lang::En => eprintln!("photolint: {counts}; report written to {files}"),
            Lang::Zh => eprintln!("photolint：{counts}；报告已写入 {files}"),
        }
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
