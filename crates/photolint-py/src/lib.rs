//! photolint for Python: the library's one-call check and fix, the
//! built-in profiles, the rules' documentation and the annotated photo. The GIL is
//! released while photos are checked, so threads scale over cores.
//!
//! Results are the JSON the command line writes, as Python objects (a
//! report as `dict`); a file that cannot be judged raises `PhotoError`
//! with its E-code in `check`, and is an E-coded entry in `scan`.

use std::path::PathBuf;

use photolint::{Checker as Core, DecodeLimits, Lang, Profile, Source};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;

/// The command line's allocator, for the Rust side of the extension: with
/// glibc's malloc a check ran 7.4 ms against the command line's 5 ms.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _native,
    PhotoError,
    PyException,
    "A photo that cannot be judged: `.code` is the E-code (E001-empty ... E009-internal), `.message_zh` the Chinese message."
);

create_exception!(
    _native,
    FixRefused,
    PyException,
    "A photo `fix` left unwritten: `.code` is the reason (R001-no-fix-rules ... R007-still-fails), `.message_zh` the Chinese message, `.before` the report on the photo as given (a dict, or None)."
);

/// The photo a Python argument names: a path (`str` or `os.PathLike`) or
/// the encoded bytes (`bytes`, `bytearray`, `memoryview`).
enum Input {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

fn input_of(obj: &Bound<'_, PyAny>) -> PyResult<Input> {
    if obj.is_none() {
        return Err(PyTypeError::new_err(
            "expected a path or the photo's bytes, got None",
        ));
    }
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(Input::Bytes(b.as_bytes().to_vec()));
    }
    if obj.downcast::<PyString>().is_ok() || obj.hasattr("__fspath__")? {
        return Ok(Input::Path(obj.extract::<PathBuf>()?));
    }
    // bytearray, memoryview and other buffers.
    match obj.extract::<Vec<u8>>() {
        Ok(v) => Ok(Input::Bytes(v)),
        Err(_) => Err(PyTypeError::new_err(format!(
            "expected a path or the photo's bytes, got {}",
            obj.get_type().name()?
        ))),
    }
}

fn profile_of(name: &str) -> PyResult<Profile> {
    Profile::load(name).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn photo_error(e: &photolint::Error) -> PyErr {
    let err = PhotoError::new_err(format!("[{}] {e}", e.code()));
    Python::with_gil(|py| {
        let value = err.value(py);
        let _ = value.setattr("code", e.code());
        let _ = value.setattr("message_en", e.to_string());
        let _ = value.setattr("message_zh", e.message(Lang::Zh));
    });
    err
}

/// The report as Python values, built directly (no JSON text between):
/// the same dict `json.loads` of the command line's JSON gives, keys in
/// the same order.
fn json_to_py(py: Python<'_>, v: &serde_json::Value) -> PyResult<PyObject> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any().unbind(),
            _ => n
                .as_f64()
                .unwrap_or(f64::NAN)
                .into_pyobject(py)?
                .into_any()
                .unbind(),
        },
        Value::String(t) => PyString::new(py, t).into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A reusable, thread-safe checker for one profile.
#[pyclass(frozen)]
struct Checker {
    core: Core,
}

impl Checker {
    /// A checker for `profile` with the default decoder limits.
    fn for_profile(profile: &str) -> PyResult<Checker> {
        Ok(Checker {
            core: Core::new(profile_of(profile)?),
        })
    }

    fn run(&self, py: Python<'_>, input: Input, name: Option<String>) -> PyResult<PyObject> {
        let core = &self.core;
        let result = py.allow_threads(|| match &input {
            Input::Path(p) => core.check(p),
            Input::Bytes(b) => core.check(Source::Bytes {
                bytes: b,
                name: name.as_deref(),
            }),
        });
        let checked = result.map_err(|e| photo_error(&e))?;
        let v = serde_json::to_value(&checked.report)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        json_to_py(py, &v)
    }
}

impl Checker {
    fn run_fix(&self, py: Python<'_>, input: Input, name: Option<String>) -> PyResult<PyObject> {
        use photolint::fix::{Action, Reason};
        let core = &self.core;
        let result = py.allow_threads(|| match &input {
            Input::Path(p) => core.fix(p.as_path()),
            Input::Bytes(b) => core.fix(Source::Bytes {
                bytes: b,
                name: name.as_deref(),
            }),
        });
        let to_py = |py: Python<'_>, r: &photolint::Report| -> PyResult<PyObject> {
            let v = serde_json::to_value(r).map_err(|e| PyValueError::new_err(e.to_string()))?;
            json_to_py(py, &v)
        };
        match result {
            Ok(f) => {
                let d = PyDict::new(py);
                let action = match f.action {
                    Action::Fixed => "fixed",
                    Action::Unchanged => "unchanged",
                };
                d.set_item("action", action)?;
                d.set_item("bytes", PyBytes::new(py, &f.bytes))?;
                d.set_item("file_name", f.file_name)?;
                d.set_item(
                    "crop",
                    f.crop
                        .map(|c| vec![c.x as f64, c.y as f64, c.w as f64, c.h as f64]),
                )?;
                d.set_item("scale", f.scale)?;
                d.set_item("quality", f.quality)?;
                d.set_item("before", to_py(py, &f.before)?)?;
                d.set_item("after", to_py(py, &f.after)?)?;
                Ok(d.into_any().unbind())
            }
            Err(refusal) => {
                if let Reason::Unreadable(e) = &refusal.reason {
                    return Err(photo_error(e));
                }
                let r = &refusal.reason;
                let err = FixRefused::new_err(format!("[{}] {r}", r.code()));
                let value = err.value(py);
                value.setattr("code", r.code())?;
                value.setattr("message_en", r.message(Lang::En))?;
                value.setattr("message_zh", r.message(Lang::Zh))?;
                let before = match &refusal.before {
                    Some(b) => to_py(py, b)?,
                    None => py.None(),
                };
                value.setattr("before", before)?;
                Err(err)
            }
        }
    }
}

#[pymethods]
impl Checker {
    /// Fixes one photo whose only faults are the framing or the file (a
    /// path or its bytes): a dict with `action` (`fixed` or `unchanged`),
    /// the JPEG `bytes` to write, `file_name`, `crop`, `scale`, `quality`
    /// and the reports `before` and `after`. Raises `FixRefused` (with the
    /// reason) for anything else, `PhotoError` for a file it cannot read.
    /// Writes nothing.
    #[pyo3(signature = (photo, *, name = None))]
    fn fix(
        &self,
        py: Python<'_>,
        photo: &Bound<'_, PyAny>,
        name: Option<String>,
    ) -> PyResult<PyObject> {
        self.run_fix(py, input_of(photo)?, name)
    }

    /// A checker for `profile` (a built-in name or a profile file), with
    /// decoder limits `max_side` pixels, `max_decode_mb` and `max_file_mb`.
    #[new]
    #[pyo3(signature = (profile = "chsi-diploma", *, max_side = None, max_decode_mb = None, max_file_mb = None))]
    fn new(
        profile: &str,
        max_side: Option<u32>,
        max_decode_mb: Option<u64>,
        max_file_mb: Option<u64>,
    ) -> PyResult<Self> {
        let d = DecodeLimits::default();
        let limits = DecodeLimits {
            max_side: max_side.unwrap_or(d.max_side),
            max_alloc: max_decode_mb.map_or(d.max_alloc, |m| m << 20),
            max_file_bytes: max_file_mb.map_or(d.max_file_bytes, |m| m << 20),
        };
        Ok(Checker {
            core: Core::new(profile_of(profile)?).with_limits(limits),
        })
    }

    /// Checks one photo (a path or its bytes; `name` is the file name bytes
    /// came under) and returns the report as a dict.
    #[pyo3(signature = (photo, *, name = None))]
    fn check(
        &self,
        py: Python<'_>,
        photo: &Bound<'_, PyAny>,
        name: Option<String>,
    ) -> PyResult<PyObject> {
        self.run(py, input_of(photo)?, name)
    }

    /// The profile's name.
    #[getter]
    fn profile(&self) -> String {
        self.core.profile().name.clone()
    }
}

/// Checks one photo against `profile` and returns the report as a dict.
#[pyfunction]
#[pyo3(signature = (photo, *, profile = "chsi-diploma", name = None))]
fn check(
    py: Python<'_>,
    photo: &Bound<'_, PyAny>,
    profile: &str,
    name: Option<String>,
) -> PyResult<PyObject> {
    Checker::for_profile(profile)?.run(py, input_of(photo)?, name)
}

/// Fixes one photo for `profile`: see `Checker.fix`.
#[pyfunction]
#[pyo3(signature = (photo, *, profile = "chsi-diploma", name = None))]
fn fix(
    py: Python<'_>,
    photo: &Bound<'_, PyAny>,
    profile: &str,
    name: Option<String>,
) -> PyResult<PyObject> {
    Checker::for_profile(profile)?.run_fix(py, input_of(photo)?, name)
}

/// Results of a folder scan, in path order, checked a batch at a time.
#[pyclass]
struct Scan {
    checker: Core,
    files: Vec<photolint::walk::Entry>,
    next: usize,
    ready: std::collections::VecDeque<serde_json::Value>,
    batch: usize,
    pool: rayon::ThreadPool,
}

/// One file's result, as the command line's scan gives it; `None` for a
/// file in the folder that is not a photo (a note, a spreadsheet).
fn entry(checker: &Core, e: &photolint::walk::Entry) -> Option<serde_json::Value> {
    use photolint::walk::{is_photo_candidate, Entry};
    let shown = e.path().display().to_string();
    let path = match e {
        Entry::File { path, named } => {
            if !named && !is_photo_candidate(path) {
                return None;
            }
            path
        }
        Entry::Unreadable { error, .. } => {
            return Some(serde_json::json!({
                "path": shown,
                "status": "error",
                "error": photolint::ErrorInfo::unreadable_path(error),
            }))
        }
    };
    Some(match checker.check(path) {
        Ok(c) => {
            let fails = c.report.verdict == photolint::Verdict::Fail;
            serde_json::json!({
                "path": shown,
                "status": if fails { "fail" } else { "pass" },
                "report": c.report,
            })
        }
        Err(e) => serde_json::json!({
            "path": shown,
            "status": "error",
            "error": e.info(),
        }),
    })
}

#[pymethods]
impl Scan {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        // A batch of notes and spreadsheets yields nothing: go on to the next.
        while self.ready.is_empty() && self.next < self.files.len() {
            let end = (self.next + self.batch).min(self.files.len());
            let chunk = &self.files[self.next..end];
            let (checker, pool) = (&self.checker, &self.pool);
            let results: Vec<serde_json::Value> = py.allow_threads(|| {
                pool.install(|| chunk.par_iter().filter_map(|e| entry(checker, e)).collect())
            });
            self.ready.extend(results);
            self.next = end;
        }
        match self.ready.pop_front() {
            Some(v) => Ok(Some(json_to_py(py, &v)?)),
            None => Ok(None),
        }
    }
}

/// Checks every photo under `folder` (recognised by name or content, as
/// the command line's scan does; hidden files left out) on `jobs` threads (default: every core) and yields one
/// dict per file, in path order: `path`, `status` (pass, fail, error) and
/// the `report` or the `error`.
#[pyfunction]
#[pyo3(signature = (folder, *, profile = "chsi-diploma", jobs = None))]
fn scan(folder: PathBuf, profile: &str, jobs: Option<usize>) -> PyResult<Scan> {
    if !folder.is_dir() {
        return Err(PyValueError::new_err(format!(
            "{}: not a folder",
            folder.display()
        )));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let batch = (pool.current_num_threads() * 8).max(16);
    Ok(Scan {
        checker: Core::new(profile_of(profile)?),
        files: photolint::walk::collect(&[folder], false, &mut |_| {}),
        next: 0,
        ready: Default::default(),
        batch,
        pool,
    })
}

/// The names of the built-in profiles.
#[pyfunction]
fn profiles() -> Vec<&'static str> {
    Profile::built_in_names()
}

/// What a rule checks and why, with `profile`'s numbers, in `lang` (`zh`
/// or `en`).
#[pyfunction]
#[pyo3(signature = (code, lang = "zh", profile = "chsi-diploma"))]
fn explain(code: &str, lang: &str, profile: &str) -> PyResult<String> {
    let rule = photolint::rules::find(code)
        .ok_or_else(|| PyValueError::new_err(format!("no rule {code:?}")))?;
    let lang = match lang {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => return Err(PyValueError::new_err(format!("no language {other:?}"))),
    };
    Ok(rule.doc_for(lang, &profile_of(profile)?))
}

/// The annotated photo as PNG bytes: the profile's bands, the face, the
/// measured lines and a box round each finding, labelled in `lang`.
#[pyfunction]
#[pyo3(signature = (photo, *, profile = "chsi-diploma", lang = "zh", name = None))]
fn annotate<'py>(
    py: Python<'py>,
    photo: &Bound<'py, PyAny>,
    profile: &str,
    lang: &str,
    name: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let input = input_of(photo)?;
    let core = Core::new(profile_of(profile)?);
    let lang = if lang == "en" { Lang::En } else { Lang::Zh };
    let png = py.allow_threads(|| -> Result<Vec<u8>, photolint::Error> {
        let checked = match &input {
            Input::Path(p) => core.check(p),
            Input::Bytes(b) => core.check(Source::Bytes {
                bytes: b,
                name: name.as_deref(),
            }),
        }?;
        let img =
            photolint::annotate::annotate(&checked.image, &checked.report, core.profile(), lang);
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| photolint::Error::Internal(e.to_string()))?;
        Ok(out)
    });
    let png = png.map_err(|e| photo_error(&e))?;
    Ok(PyBytes::new(py, &png))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("PhotoError", m.py().get_type::<PhotoError>())?;
    m.add("FixRefused", m.py().get_type::<FixRefused>())?;
    m.add_class::<Checker>()?;
    m.add_class::<Scan>()?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(fix, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(profiles, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(annotate, m)?)?;
    Ok(())
}
