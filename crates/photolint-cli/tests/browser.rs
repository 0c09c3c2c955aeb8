//! The browser self-check page (web/), built by web/build.sh and driven in
//! Debian's chromium by web/tests/browser.mjs (playwright-core, no
//! downloaded browser): the verdicts and codes it shows for the example
//! photos, some broken files and a dropped folder equal this command
//! line's, and it asks for nothing after it has loaded.
//!
//! It needs the wasm32-unknown-unknown target, wasm-bindgen-cli at the
//! pinned version, Node.js with `npm ci` run in web/tests, and chromium.
//! `.ci/run` installs them all and sets `CI`, where a missing one fails
//! the test; elsewhere the test says loudly that it was skipped.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::scratch;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// What is missing for the browser test, if anything.
fn missing() -> Vec<String> {
    let root = root();
    let mut missing = Vec::new();
    let runs = |cmd: &str, args: &[&str]| {
        Command::new(cmd)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let targets = runs("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        missing.push(
            "the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)".into(),
        );
    }
    let manifest = std::fs::read_to_string(root.join("crates/photolint-wasm/Cargo.toml"))
        .expect("the wasm crate's manifest");
    let pin = manifest
        .lines()
        .find_map(|l| l.strip_prefix("wasm-bindgen = \"="))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("wasm-bindgen is pinned");
    let have = runs("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(pin.as_str()) {
        missing.push(format!(
            "wasm-bindgen {pin} (cargo install wasm-bindgen-cli --version {pin})"
        ));
    }
    if runs("node", &["--version"]).is_none() {
        missing.push("Node.js".into());
    }
    if !root.join("web/tests/node_modules/playwright-core").is_dir() {
        missing.push("playwright-core (npm ci --prefix web/tests)".into());
    }
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("chromium (apt-get install chromium)".into());
    }
    missing
}

#[test]
fn page_gives_the_command_lines_verdicts_in_chromium() {
    let missing = missing();
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var_os("CI").is_some() {
            panic!("the browser test needs, in CI (.ci/run installs them): {what}");
        }
        eprintln!("SKIPPED: browser page test: missing {what}");
        return;
    }
    let root = root();
    let dir = scratch("browser");
    let dist = dir.join("dist");
    // Its own target folder: this test runs inside `cargo test`, which
    // holds the workspace's.
    let built = Command::new(root.join("web/build.sh"))
        .arg(&dist)
        .env("CARGO_TARGET_DIR", root.join("target/web-build"))
        .output()
        .expect("web/build.sh runs");
    assert!(
        built.status.success(),
        "web/build.sh: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let said = String::from_utf8_lossy(&built.stdout);
    eprintln!("{said}");

    // The budgets that are sizes, not times (times are measured by
    // `node web/tests/browser.mjs --bench`, see docs/PERFORMANCE.md).
    let module = std::fs::metadata(root.join("target/web-build/web-pkg/photolint_wasm_bg.wasm"))
        .expect("the module")
        .len();
    assert!(module <= 4 << 20, "the .wasm is {module} bytes, over 4 MB");
    let page: u64 = std::fs::read_dir(&dist)
        .expect("dist")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum();
    assert!(page <= 5 << 20, "the page is {page} bytes, over 5 MB");

    // Photos: the examples first (the first one gets the card), the
    // committed broken files, and two made here.
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("testdata/examples"))
        .expect("examples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    files.sort();
    files.sort_by_key(|p| p.file_name().is_none_or(|n| n != "compliant.jpg"));
    for bad in ["cmyk.jpg", "photo.heic", "photo.webp"] {
        files.push(root.join("testdata/bad").join(bad));
    }
    let empty = dir.join("empty.jpg");
    std::fs::write(&empty, b"").expect("write");
    let text = dir.join("text-named.jpg");
    std::fs::write(&text, b"not a photo\n").expect("write");
    // Over the 64 MB read at most: refused by its size, unread.
    let huge = dir.join("huge.jpg");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(65 << 20))
        .expect("write");
    files.extend([empty, text, huge]);

    // A folder as an office drops one: a photo in a subfolder without an
    // extension, a hidden file, a note and a video that are no photos, an
    // empty upload. Its own name starts with a dot: the folder given is
    // walked all the same (hidden files are those inside it).
    let folder = dir.join(".class");
    std::fs::create_dir_all(folder.join("sub")).expect("mkdir");
    std::fs::create_dir_all(folder.join(".cache")).expect("mkdir");
    let example = |n: &str| root.join("testdata/examples").join(n);
    std::fs::copy(example("compliant.jpg"), folder.join("a.jpg")).expect("copy");
    std::fs::copy(example("yellow-top.jpg"), folder.join("sub/photo")).expect("copy");
    std::fs::copy(example("compliant.jpg"), folder.join(".cache/x.jpg")).expect("copy");
    std::fs::write(folder.join("notes.txt"), b"class of 2027\n").expect("write");
    std::fs::write(folder.join("upload.jpg"), b"").expect("write");
    // A video in the folder: no photo by name or content, never read.
    std::fs::File::create(folder.join("ceremony.mp4"))
        .and_then(|f| f.set_len(80 << 20))
        .expect("write");

    let out = root.join("target/web-test");
    let run = Command::new("node")
        .arg(root.join("web/tests/browser.mjs"))
        .arg("--dist")
        .arg(&dist)
        .arg("--cli")
        .arg(env!("CARGO_BIN_EXE_photolint"))
        .arg("--out")
        .arg(&out)
        .arg("--folder")
        .arg(&folder)
        .args(&files)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(run.status.success(), "the browser test failed:\n{stderr}");
    assert!(stdout.contains(&format!("files: {n} of {n} the same", n = files.len())));
    assert!(stdout.contains("folder: 3 photos, the same as photolint scan"));
    assert!(stdout.contains("dropped: head-too-low.jpg fail, as the CLI"));
    assert!(stdout.contains("0 after"));
    for shot in ["card-zh.png", "card-en.png", "table-en.png"] {
        let len = std::fs::metadata(out.join(shot)).map_or(0, |m| m.len());
        assert!(len > 10_000, "{shot}: {len} bytes");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
