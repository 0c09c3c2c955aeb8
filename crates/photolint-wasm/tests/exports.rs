//! The functions the page calls, run natively on real photos: the same
//! Rust as in the browser (the browser test, crates/photolint-cli/tests/
//! browser.rs, runs them compiled to WebAssembly).

const COMPLIANT: &[u8] = include_bytes!("../../../testdata/examples/compliant.jpg");
const LOW: &[u8] = include_bytes!("../../../testdata/examples/head-too-low.jpg");

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

#[test]
fn check_gives_the_report_of_the_library() {
    let got = json(&photolint_wasm::check(
        COMPLIANT,
        "compliant.jpg",
        "chsi-diploma",
    ));
    assert_eq!(got["path"], "compliant.jpg");
    assert_eq!(got["report"]["verdict"], "pass");
    let text = photolint_wasm::check(LOW, "head-too-low.jpg", "chsi-diploma");
    let low = json(&text);
    let checker =
        photolint::Checker::new(photolint::Profile::built_in("chsi-diploma").expect("profile"));
    let want = checker
        .check(photolint::Source::named(LOW, "head-too-low.jpg"))
        .expect("checks");
    let want = serde_json::json!({"path": "head-too-low.jpg", "report": want.report});
    assert_eq!(text, want.to_string(), "byte for byte");
    let codes: Vec<&str> = low["report"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes, ["F002", "F003"]);
}

#[test]
fn unreadable_files_and_unknown_profiles_get_typed_errors() {
    let empty = json(&photolint_wasm::check(b"", "empty.jpg", "chsi-diploma"));
    assert_eq!(empty["error"]["code"], "E001-empty");
    assert_eq!(empty["error"]["message_zh"], "文件为空");
    let text = json(&photolint_wasm::check(
        b"not a photo\n",
        "a.jpg",
        "chsi-diploma",
    ));
    assert_eq!(text["error"]["code"], "E002-unsupported-format");
    let profile = json(&photolint_wasm::check(
        COMPLIANT,
        "c.jpg",
        "no-such-profile",
    ));
    assert!(profile["error"]["code"].is_string(), "{profile}");
    assert!(photolint_wasm::annotate(b"", "e.jpg", "chsi-diploma", "en").is_empty());
    let huge = json(&photolint_wasm::size_error("video.jpg", 3e9));
    assert_eq!(huge["error"]["code"], "E003-too-large");
    assert!(photolint_wasm::size_error("photo.jpg", 40_000.0).is_empty());
}

#[test]
fn inspect_draws_the_annotated_photo_at_the_width_asked() {
    let o = photolint_wasm::inspect(LOW, "head-too-low.jpg", "chsi-diploma", "zh", 96);
    assert_eq!(o.width(), 96);
    assert!(
        o.height() > 128,
        "the photo and the strip of findings below it"
    );
    assert_eq!(o.rgba().len(), (o.width() * o.height() * 4) as usize);
    assert_eq!(json(&o.json())["report"]["verdict"], "fail");
    let names = json(&o.names());
    assert_eq!(names["light-blue"][1], "浅蓝色", "{names}");
    let rules = json(&o.rules());
    assert_eq!(rules["F002"]["title_en"], "crown-position");
    assert!(
        rules["F002"]["doc_en"]
            .as_str()
            .is_some_and(|d| d.contains("50-110")),
        "{rules}"
    );
    assert!(rules["F003"]["doc_zh"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    let png = photolint_wasm::annotate(LOW, "head-too-low.jpg", "chsi-diploma", "en");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let picture = image::load_from_memory(&png).expect("decodes");
    assert_eq!(picture.width(), 480);
}

#[test]
fn folder_files_are_photos_by_name_or_content_as_the_walk_says() {
    assert!(photolint_wasm::is_photo("a/b.JPG", b""));
    assert!(photolint_wasm::is_photo("sub/photo", &COMPLIANT[..16]));
    assert!(!photolint_wasm::is_photo("notes.txt", b"class of 2027\n"));
}

#[test]
fn profiles_list_the_default_first() {
    let list = json(&photolint_wasm::profiles());
    let names: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names.first(), Some(&"chsi-diploma"));
    assert_eq!(names.len(), photolint::Profile::built_in_names().len());
}
