//! photolint in the browser: the library compiled to WebAssembly for the
//! self-check page in `web/`. The photo's bytes come from the page and
//! never leave it; the verdict is the command line's, made by the same
//! code with the same built-in profiles and models.
//!
//! Every function takes the photo's bytes and the name it was dropped
//! under (the name's extension is judged, as `photolint check` judges a
//! file's). Results are JSON strings with the shape of one entry of
//! `photolint check --format json`: `{"path", "report"}` for a judged photo,
//! `{"path", "error": {"code", "message_en", "message_zh"}}` for one that
//! cannot be read.

use std::cell::RefCell;

use photolint::{Checker, Error, Lang, Profile};
use wasm_bindgen::prelude::*;

thread_local! {
    // The checker of the profile last asked for: the page asks for one
    // profile photo after photo.
    static CHECKER: RefCell<Option<Checker>> = const { RefCell::new(None) };
}

/// The checker for the built-in profile `profile`, made once and kept.
fn checker(profile: &str) -> Result<Checker, Error> {
    CHECKER.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(checker) = c.as_ref().filter(|k| k.profile().name == profile) {
            return Ok(checker.clone());
        }
        let checker = Checker::new(Profile::built_in(profile)?);
        *c = Some(checker.clone());
        Ok(checker)
    })
}

fn lang(code: &str) -> Lang {
    if code.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// What one photo gave: the JSON entry and, for a judged photo, the
/// annotated picture as RGBA pixels.
#[wasm_bindgen]
pub struct Outcome {
    json: String,
    names: String,
    rules: String,
    rgba: Vec<u8>,
    width: u32,
    height: u32,
}

#[wasm_bindgen]
impl Outcome {
    /// The JSON entry (see the crate documentation).
    #[wasm_bindgen(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }

    /// The colours the report names (backdrop, clothing), as a JSON object
    /// from the report's name (`light-blue`) to `[English, Chinese]`.
    #[wasm_bindgen(getter)]
    pub fn names(&self) -> String {
        self.names.clone()
    }

    /// What each rule in the report (findings and rules not judged) checks
    /// and why, with the profile's numbers, as `photolint explain` says it:
    /// a JSON object from the code to `{title_en, title_zh, doc_en,
    /// doc_zh}`.
    #[wasm_bindgen(getter)]
    pub fn rules(&self) -> String {
        self.rules.clone()
    }

    /// The annotated photo, four bytes a pixel, rows top to bottom; empty
    /// when the photo could not be read or no picture was asked for.
    #[wasm_bindgen(getter)]
    pub fn rgba(&self) -> Vec<u8> {
        self.rgba.clone()
    }

    /// The annotated photo's width in pixels (0 without one).
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The annotated photo's height in pixels (0 without one).
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.height
    }
}

/// The built-in profiles as a JSON array of `{"name", "title_en",
/// "title_zh"}`, the default (chsi-diploma) first.
#[wasm_bindgen]
pub fn profiles() -> String {
    let mut names = Profile::built_in_names();
    names.sort_by_key(|n| *n != "chsi-diploma");
    let list: Vec<serde_json::Value> = names
        .into_iter()
        .filter_map(|n| Profile::built_in(n).ok())
        .map(
            |p| serde_json::json!({"name": p.name, "title_en": p.title_en, "title_zh": p.title_zh}),
        )
        .collect();
    serde_json::Value::from(list).to_string()
}

/// Whether a file found in a dropped folder is a photo to check, by the
/// command line's rule for files found in folders: an image's extension in
/// `name`, or `head` (its first 16 bytes) starting like an image.
#[wasm_bindgen]
pub fn is_photo(name: &str, head: &[u8]) -> bool {
    photolint::walk::is_photo(std::path::Path::new(name), head)
}

/// The JSON entry of a file of `size` bytes that is too large to be read
/// at all (`E003-too-large`, as the command line says without reading
/// it), or an empty string when it is not: the page asks before it reads.
#[wasm_bindgen]
pub fn size_error(name: &str, size: f64) -> String {
    match photolint::DecodeLimits::default().check_file_size(size.max(0.0) as u64) {
        Ok(()) => String::new(),
        Err(e) => error_entry(name, &e).to_string(),
    }
}

fn error_entry(path: &str, e: &Error) -> serde_json::Value {
    serde_json::json!({
        "path": path,
        "error": e.info(),
    })
}

/// Checks one photo against the built-in profile `profile` and returns the
/// JSON entry.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str, profile: &str) -> String {
    inspect(bytes, name, profile, "", 0).json
}

/// The annotated photo as PNG bytes (bands, face box, finding boxes and
/// the list of findings below, labelled in `lang`: `en` or `zh`); empty
/// when the photo cannot be read.
#[wasm_bindgen]
pub fn annotate(bytes: &[u8], name: &str, profile: &str, lang_code: &str) -> Vec<u8> {
    let Ok(checker) = checker(profile) else {
        return Vec::new();
    };
    let Ok(checked) = checker.check(photolint::Source::named(bytes, name)) else {
        return Vec::new();
    };
    let picture = photolint::annotate::annotate(
        &checked.image,
        &checked.report,
        checker.profile(),
        lang(lang_code),
    );
    let mut png = Vec::new();
    match picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png) {
        Ok(()) => png,
        Err(_) => Vec::new(),
    }
}

/// Checks one photo and draws its annotated picture `width` pixels wide (0:
/// the photo's own width; a smaller width for thumbnails), labelled in
/// `lang` (`en` or `zh`). One decode serves both.
#[wasm_bindgen]
pub fn inspect(bytes: &[u8], name: &str, profile: &str, lang_code: &str, width: u32) -> Outcome {
    let path = name.to_string();
    let none = |json: serde_json::Value| Outcome {
        json: json.to_string(),
        names: "{}".into(),
        rules: "{}".into(),
        rgba: Vec::new(),
        width: 0,
        height: 0,
    };
    let error = |e: &Error| none(error_entry(&path, e));
    let checker = match checker(profile) {
        Ok(c) => c,
        Err(e) => return error(&e),
    };
    let checked = match checker.check(photolint::Source::named(bytes, name)) {
        Ok(c) => c,
        Err(e) => return error(&e),
    };
    let json = serde_json::json!({"path": path, "report": checked.report});
    // `check`: the entry alone; the names, the explanations and the
    // picture are for the page's card.
    if width == 0 && lang_code.is_empty() {
        return none(json);
    }
    let m = &checked.report.measurements;
    let named = m.background.iter().map(|b| b.colour).chain(
        m.clothing
            .iter()
            .flat_map(|c| c.colours.iter().map(|c| c.name)),
    );
    let mut names = serde_json::Map::new();
    for c in named {
        if let Ok(serde_json::Value::String(key)) = serde_json::to_value(c) {
            names.insert(key, serde_json::json!([c.en(), c.zh()]));
        }
    }
    let names = serde_json::Value::Object(names).to_string();
    let report = &checked.report;
    let codes = report.findings.iter().map(|f| f.code.as_str());
    let codes = codes.chain(report.unjudged.iter().map(|u| u.code.as_str()));
    let mut rules = serde_json::Map::new();
    for rule in codes.filter_map(photolint::rules::find) {
        let profile = checker.profile();
        rules.insert(
            rule.code.to_string(),
            serde_json::json!({
                "title_en": rule.title(Lang::En),
                "title_zh": rule.title(Lang::Zh),
                "doc_en": rule.doc_for(Lang::En, profile),
                "doc_zh": rule.doc_for(Lang::Zh, profile),
            }),
        );
    }
    let rules = serde_json::Value::Object(rules).to_string();
    let width = if width == 0 {
        checked.image.width()
    } else {
        width
    };
    let picture = photolint::annotate::annotate_to_width(
        &checked.image,
        &checked.report,
        checker.profile(),
        width,
        lang(lang_code),
    );
    let (w, h) = picture.dimensions();
    Outcome {
        json: json.to_string(),
        names,
        rules,
        rgba: image::DynamicImage::ImageRgb8(picture)
            .into_rgba8()
            .into_raw(),
        width: w,
        height: h,
    }
}
