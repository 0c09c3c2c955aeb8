//! Finding the photos under the paths given and checking them in parallel,
//! handing the results on in path order.
//!
//! The walk only lists paths (a few hundred bytes a file); the photos are
//! read, decoded and checked a batch at a time by the rayon pool, so at
//! most one batch of photos is in memory whatever the number of files. Each
//! batch's results go to the reports in path order before the next batch
//! starts, so the output does not depend on the number of threads.

pub use photolint::walk::{is_photo_candidate, Entry};

/// The photos under `inputs` ([`photolint::walk::collect`]), with its
/// warnings (a symbolic link loop) on standard error.
pub fn collect(inputs: &[std::path::PathBuf], hidden: bool) -> Vec<Entry> {
    photolint::walk::collect(inputs, hidden, &mut |w| {
        eprintln!("photolint: warning: {w}")
    })
}

use base64::Engine;
use photolint::{Checker, Error, ErrorInfo, Report};
use rayon::prelude::*;

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    /// Checked: a report, and the pictures for the HTML report when asked.
    Checked {
        /// The report.
        report: Box<Report>,
        /// A small JPEG of the photo, as a `data:` URI.
        thumbnail: Option<String>,
        /// The annotated photo (failing photos only), as a `data:` URI.
        annotated: Option<String>,
    },
    /// Not checked: the file could not be read or is no photo photolint
    /// reads; its code and why, in both languages.
    Failed(ErrorInfo),
}

/// One file's result.
#[derive(Debug)]
pub struct Item {
    /// The path as given or found.
    pub path: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// Pixel widths of the pictures the HTML report carries.
#[derive(Debug, Clone, Copy)]
pub struct Pictures {
    /// Width of every photo's thumbnail.
    pub thumbnail: u32,
    /// Width of the annotated photo of a failing photo.
    pub annotated: u32,
    /// Language of the labels on the annotated photo.
    pub lang: photolint::Lang,
}

/// A file that could not be judged: unreadable, empty, damaged, not an
/// image, too large, or a failure of photolint itself (exit code 2).
fn failed(e: &Error) -> Outcome {
    Outcome::Failed(e.info())
}

pub(crate) fn data_uri(img: &image::RgbImage, quality: u8) -> Option<String> {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality);
    img.write_with_encoder(enc).ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&buf)
    ))
}

/// Reads and checks one entry; `None` when it is a file found by the walk
/// that is not an image (a note, a spreadsheet), which is skipped.
fn process(entry: &Entry, checker: &Checker, pictures: Option<Pictures>) -> Option<Item> {
    let (path, named) = match entry {
        Entry::File { path, named } => (path, *named),
        Entry::Unreadable { path, error } => {
            return Some(Item {
                path: path.display().to_string(),
                outcome: Outcome::Failed(ErrorInfo::unreadable_path(error)),
            })
        }
    };
    let shown = path.display().to_string();
    // A file the walk found is looked at only when it looks like an image
    // (by its first bytes or its name); a file named by the user always is.
    // Both reads refuse what is not a regular file and what is over the
    // checker's file-size limit.
    let read = || -> Result<Option<Vec<u8>>, Error> {
        if !named && !is_photo_candidate(path) {
            return Ok(None);
        }
        photolint::read_file(path, checker.limits()).map(Some)
    };
    let outcome = match read() {
        Ok(None) => return None,
        Err(e) => failed(&e),
        Ok(Some(bytes)) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match checker.check(photolint::Source::named(&bytes, &name)) {
                Err(e) => failed(&e),
                Ok(checked) => {
                    let (thumbnail, annotated) = match pictures {
                        None => (None, None),
                        Some(p) => pictures_of(&checked, checker, p),
                    };
                    Outcome::Checked {
                        report: Box::new(checked.report),
                        thumbnail,
                        annotated,
                    }
                }
            }
        }
    };
    Some(Item {
        path: shown,
        outcome,
    })
}

fn pictures_of(
    checked: &photolint::Checked,
    checker: &Checker,
    p: Pictures,
) -> (Option<String>, Option<String>) {
    let img = &checked.image;
    let tw = p.thumbnail.min(img.width()).max(1);
    let th = ((img.height() as u64 * tw as u64 / img.width().max(1) as u64) as u32).max(1);
    let thumb = image::imageops::thumbnail(img, tw, th);
    let annotated = (!checked.report.findings.is_empty()).then(|| {
        photolint::annotate::annotate_to_width(
            img,
            &checked.report,
            checker.profile(),
            p.annotated,
            p.lang,
        )
    });
    (
        data_uri(&thumb, 75),
        annotated.and_then(|a| data_uri(&a, 70)),
    )
}

/// Checks `entries` on `pool`, a batch at a time, and hands every result
/// to `sink` in the order of `entries`. `tick` is called once per entry
/// (for a progress bar). Stops at the first error `sink` returns.
pub fn run(
    entries: &[Entry],
    checker: &Checker,
    pool: &rayon::ThreadPool,
    pictures: Option<Pictures>,
    tick: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Item) -> std::io::Result<()>,
) -> std::io::Result<()> {
    run_with(
        entries,
        pool,
        &|e| process(e, checker, pictures),
        &|e, error| Item {
            path: e.path().display().to_string(),
            outcome: failed(&error),
        },
        tick,
        &mut |_, item| sink(item),
    )
}

/// Runs `work` on every entry on `pool`, a batch at a time, and hands each
/// result with its entry to `sink` in the order of `entries` (so the
/// output does not depend on the number of threads); `None` from `work`
/// is a file left out. A panic inside `work` (a bug) is caught here, at
/// the batch's edge: `on_panic` turns it into that file's result (an
/// `E009-internal` error) and the batch goes on. Used by scan (through
/// [`run`]) and by fix.
pub fn run_with<T: Send>(
    entries: &[Entry],
    pool: &rayon::ThreadPool,
    work: &(dyn Fn(&Entry) -> Option<T> + Sync),
    on_panic: &(dyn Fn(&Entry, Error) -> T + Sync),
    tick: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(&Entry, T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // Large enough to keep every thread busy past a slow photo, small
    // enough that a batch of decoded photos stays a few tens of MB.
    let batch = (pool.current_num_threads() * 16).max(32);
    for chunk in entries.chunks(batch) {
        let results: Vec<Option<T>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|e| {
                    let r = guarded(|| work(e))
                        .unwrap_or_else(|message| Some(on_panic(e, Error::Internal(message))));
                    tick(1);
                    r
                })
                .collect()
        });
        for (entry, result) in chunk.iter().zip(results) {
            if let Some(result) = result {
                sink(entry, result)?;
            }
        }
    }
    Ok(())
}

thread_local! {
    /// Set while [`guarded`] runs work on this thread.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last guarded panic on this thread happened.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs a panic hook that keeps quiet about panics inside [`guarded`]
/// (they are reported in that file's result, with where they happened,
/// instead of sprayed over the terminal and the progress bar); any other
/// panic is printed as usual.
pub fn quiet_guarded_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if GUARDED.with(std::cell::Cell::get) {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(at));
        } else {
            default(info);
        }
    }));
}

/// Runs `f`, turning a panic into its message (with where it happened,
/// when [`quiet_guarded_panics`] is in force).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default();
        format!("{what}{at}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn entry(name: &str) -> Entry {
        Entry::File {
            path: PathBuf::from(name),
            named: true,
        }
    }

    /// A panic in one file's work becomes that file's E009-internal result;
    /// the files before and after it still get theirs, in order, whatever
    /// the number of threads.
    #[test]
    fn a_panic_in_one_file_becomes_its_error_and_the_batch_goes_on() {
        let entries: Vec<Entry> = (0..40).map(|i| entry(&format!("{i:02}.jpg"))).collect();
        let work = |e: &Entry| -> Option<Item> {
            let path = e.path().display().to_string();
            if path == "07.jpg" {
                panic!("index out of bounds in a measurement");
            }
            Some(Item {
                path,
                outcome: failed(&Error::Empty),
            })
        };
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            let mut got = Vec::new();
            let on_panic = |e: &Entry, error: Error| Item {
                path: e.path().display().to_string(),
                outcome: failed(&error),
            };
            run_with(
                &entries,
                &pool,
                &work,
                &on_panic,
                &|_| {},
                &mut |_, item| {
                    got.push(item);
                    Ok(())
                },
            )
            .expect("sink never fails");
            assert_eq!(got.len(), 40);
            for (i, item) in got.iter().enumerate() {
                assert_eq!(item.path, format!("{i:02}.jpg"));
                let Outcome::Failed(ErrorInfo {
                    code, message_en, ..
                }) = &item.outcome
                else {
                    panic!("no report expected");
                };
                if i == 7 {
                    assert_eq!(*code, "E009-internal");
                    assert!(
                        message_en.contains("index out of bounds in a measurement"),
                        "{message_en}"
                    );
                } else {
                    assert_eq!(*code, "E001-empty");
                }
            }
        }
    }

    #[test]
    fn guarded_passes_values_through_and_names_the_panic() {
        assert_eq!(guarded(|| 41 + 1), Ok(42));
        let e = guarded(|| -> u8 { panic!("bad {}", 7) }).expect_err("panics");
        assert!(e.starts_with("bad 7"), "{e}");
    }
}
