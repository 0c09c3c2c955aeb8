//! Finding the photos under folders, as `photolint scan` and `fix` and the
//! Python package's `scan` do: folders walked recursively (symbolic links
//! followed, loops skipped), hidden files and folders left out unless
//! asked, sorted by path; a file found in a folder is a photo when its name
//! or its first bytes say so, a file named by the user always is.

use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// The path, as given or found.
    pub fn path(&self) -> &Path {
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
pub fn collect(inputs: &[PathBuf], hidden: bool, warn: &mut dyn FnMut(String)) -> Vec<Entry> {
    let mut out = Vec::new();
    for input in inputs {
        // A path that is not there gets its result like any unreadable
        // file, and the others are still checked (exit 2 at the end).
        if !input.exists() && !input.is_symlink() {
            out.push(Entry::Unreadable {
                path: input.clone(),
                error: "no such file or folder".into(),
            });
            continue;
        }
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
                    warn(format!("{p}: symbolic link loop, skipped"));
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

/// The walk's judgement on a file whose name and first bytes (up to 16) are
/// at hand rather than on disk, as in the browser page's folder drop: a
/// photo when its name is an image's or its bytes start like one.
pub fn is_photo(name: &Path, head: &[u8]) -> bool {
    has_image_extension(name) || looks_like_image(head)
}

/// True when a file the walk found is to be looked at: its name is an
/// image's, or its first bytes are (a file that cannot be opened is, so
/// that it gets its error).
pub fn is_photo_candidate(path: &Path) -> bool {
    if has_image_extension(path) {
        return true;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return true;
    };
    let mut head = [0u8; 16];
    match read_up_to(&mut file, &mut head) {
        Ok(n) => looks_like_image(&head[..n]),
        Err(_) => true,
    }
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
