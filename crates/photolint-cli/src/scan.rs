//! Finding the photos under the paths given and checking them in parallel,
//! handing the results on in path order.
//!
//! The walk only lists paths (a few hundred bytes a file); the photos are
//! read, decoded and checked a batch at a time by the rayon pool, so at
//! most one batch of photos is in memory whatever the number of files. Each
//! batch's results go to the reports in path order before the next batch
//! starts, so the output does not depend on the number of threads.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use photolint::{Checker, Error, Report};
use rayon::prelude::*;

/// Files larger than this are not read: no ID photo comes near it, and a
/// batch must not take the memory of a video someone left in the folder.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// File-name extensions of image formats (lower case). A file with one of
/// these is checked even when its content is not an image (it then gets an
/// error result: a broken upload is worth reporting).
const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif",
    "avif", "jp2",
];

/// One path to check, or a path the walk could not enter.
#[derive(Debug)]
pub enum Entry {
    /// A file to look at; `named` when the user gave it by name (then it is
    /// checked whatever its content).
    File {
        /// The path as shown in reports.
        path: PathBuf,
        /// Named on the command line.
        named: bool,
    },
    /// A path the walk could not read.
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why.
        error: String,
    },
}

impl Entry {
    fn path(&self) -> &Path {
        match self {
            Entry::File { path, .. } | Entry::Unreadable { path, .. } => path,
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Lists the files under `inputs` (folders walked recursively, symbolic
/// links followed, loops detected and skipped with a warning on standard
/// error), sorted by path. Hidden files and folders (names starting with a
/// dot) are left out unless `hidden`.
pub fn collect(inputs: &[PathBuf], hidden: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            out.push(Entry::File {
                path: input.clone(),
                named: true,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(input)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| hidden || e.depth() == 0 || !is_hidden(e.file_name()));
        for item in walker {
            match item {
                Ok(e) if e.file_type().is_file() => out.push(Entry::File {
                    path: e.into_path(),
                    named: false,
                }),
                Ok(_) => {}
                Err(e) if e.loop_ancestor().is_some() => {
                    let p = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    eprintln!("photolint: warning: {p}: symbolic link loop, skipped");
                }
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                    // A dangling symbolic link is not a photo: skip it quietly.
                    if e.io_error().map(std::io::Error::kind) == Some(std::io::ErrorKind::NotFound)
                        && path.is_symlink()
                    {
                        continue;
                    }
                    out.push(Entry::Unreadable {
                        path,
                        error: e.to_string(),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out.dedup_by(|a, b| a.path() == b.path());
    out
}

/// True when `head` starts like an image file of any common format.
pub fn looks_like_image(head: &[u8]) -> bool {
    let starts = |m: &[u8]| head.starts_with(m);
    starts(&[0xFF, 0xD8, 0xFF])
        || starts(b"\x89PNG\r\n\x1a\n")
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || starts(b"II*\0")
        || starts(b"MM\0*")
        || starts(b"\0\0\0\x0cjP  ")
        || (starts(b"BM") && head.len() >= 14)
        || (starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        || (head.get(4..8) == Some(b"ftyp")
            && matches!(
                head.get(8..12),
                Some(b"heic" | b"heix" | b"mif1" | b"msf1" | b"avif")
            ))
}

fn has_image_extension(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

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
    /// Not checked: the file could not be read or is no photo photolint reads.
    Failed {
        /// Stable error code, e.g. `E004-decode`.
        code: &'static str,
        /// Why, English.
        message_en: String,
        /// Why, Chinese.
        message_zh: String,
        /// The file could not be read at all (exit code 2), rather than read
        /// and found broken (the photo fails).
        io: bool,
    },
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
}

/// A file that could not be checked. Read but broken (empty, damaged,
/// another format, too large) fails the photo; not read at all, or a
/// failure of photolint itself (model, profile), is an error (exit code 2).
fn failed(e: &Error) -> Outcome {
    let io = matches!(e, Error::Io { .. } | Error::Model(_) | Error::Profile(_));
    Outcome::Failed {
        code: e.code(),
        message_en: crate::lang::Lang::En.error(e),
        message_zh: crate::lang::Lang::Zh.error(e),
        io,
    }
}

fn data_uri(img: &image::RgbImage, quality: u8) -> Option<String> {
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
                outcome: Outcome::Failed {
                    code: "E005-io",
                    message_en: format!("cannot read: {error}"),
                    message_zh: "无法读取该路径".into(),
                    io: true,
                },
            })
        }
    };
    let shown = path.display().to_string();
    let io_error = |source: std::io::Error| Error::Io {
        path: shown.clone(),
        source,
    };
    let read = || -> Result<Option<Vec<u8>>, Error> {
        let mut file = std::fs::File::open(path).map_err(io_error)?;
        let mut head = [0u8; 16];
        let n = read_up_to(&mut file, &mut head).map_err(io_error)?;
        if !named && !looks_like_image(&head[..n]) && !has_image_extension(path) {
            return Ok(None);
        }
        let len = file.metadata().map_err(io_error)?.len();
        if len > MAX_FILE_BYTES {
            return Err(Error::TooLarge(format!(
                "the file is {} MB, more than any photo ({} MB)",
                len >> 20,
                MAX_FILE_BYTES >> 20
            )));
        }
        let mut bytes = head[..n].to_vec();
        file.read_to_end(&mut bytes).map_err(io_error)?;
        Ok(Some(bytes))
    };
    let outcome = match read() {
        Ok(None) => return None,
        Err(e) => failed(&e),
        Ok(Some(bytes)) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match checker.check_bytes_as(&bytes, &name) {
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
        photolint::annotate::annotate_to_width(img, &checked.report, checker.profile(), p.annotated)
    });
    (
        data_uri(&thumb, 75),
        annotated.and_then(|a| data_uri(&a, 70)),
    )
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
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
    // Large enough to keep every thread busy past a slow photo, small
    // enough that a batch of decoded photos stays a few tens of MB.
    let batch = (pool.current_num_threads() * 16).max(32);
    for chunk in entries.chunks(batch) {
        let results: Vec<Option<Item>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|e| {
                    let r = process(e, checker, pictures);
                    tick(1);
                    r
                })
                .collect()
        });
        for item in results.into_iter().flatten() {
            sink(item)?;
        }
    }
    Ok(())
}
