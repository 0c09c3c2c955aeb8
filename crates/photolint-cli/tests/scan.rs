//! `photolint scan` on folders of fixture photos built from the sample
//! portraits: per-rule counts, every report format, determinism, streaming,
//! exit codes, and the HTML report rendered by headless Chromium.

mod support;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use support::scratch;

use photolint::{Checker, Profile};
use photolint_testkit::{all_fixtures, label_problems, Fixture};

fn exe() -> Command {
    support::photolint()
}

/// The exit code of `photolint ARGS`.
fn exit_of(args: &[&str]) -> Option<i32> {
    exe().args(args).output().expect("runs").status.code()
}

fn fixtures() -> &'static [Fixture] {
    static F: OnceLock<Vec<Fixture>> = OnceLock::new();
    F.get_or_init(all_fixtures)
}

/// What the library says of one file: the rule codes that fired, or the
/// error code.
fn library_outcome(
    checker: &Checker,
    bytes: &[u8],
    name: &str,
) -> Result<(Vec<String>, bool), String> {
    checker
        .check(photolint::Source::named(bytes, name))
        .map(|c| {
            let mut codes: Vec<String> = c.report.findings.iter().map(|f| f.code.clone()).collect();
            codes.dedup();
            // A rule's finding may be a warning where the rule's default is an
            // error (a fringe over part of the forehead): its own severity counts.
            let passed = !c
                .report
                .findings
                .iter()
                .any(|f| f.severity == photolint::Severity::Error);
            (codes, passed)
        })
        .map_err(|e| e.code().to_string())
}

/// Files that are not fixtures but turn up in real folders.
fn odd_files(fx: &[Fixture]) -> Vec<(String, Vec<u8>)> {
    let jpeg = &fx[0].bytes;
    vec![
        // A transfer cut short.
        ("truncated.jpg".into(), jpeg[..jpeg.len() / 3].to_vec()),
        // A note saved with a photo's name.
        ("not-a-photo.jpg".into(), b"this is not a photo\n".to_vec()),
        // An empty upload.
        ("empty.jpeg".into(), Vec::new()),
        // A photo without an extension: found by its content.
        ("upload-without-extension".into(), jpeg.clone()),
    ]
}

/// Writes `copies` copies of every fixture, plus the odd files, into a
/// nested tree under `root` (school / class folders), with files that must
/// be left out: notes, a hidden photo, a hidden folder and a symbolic-link
/// loop. Returns the files that must be scanned, relative to `root`.
fn build_tree(root: &Path, copies: usize, fx: &[Fixture]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for copy in 0..copies {
        for (i, f) in fx.iter().enumerate() {
            let rel = PathBuf::from(format!("school-{:02}", copy))
                .join(format!("class-{}", i % 5))
                .join(&f.label.file_name);
            files.push((rel, f.bytes.clone()));
        }
    }
    for (name, bytes) in odd_files(fx) {
        files.push((PathBuf::from("odd").join(name), bytes));
    }
    for (rel, bytes) in &files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write fixture");
    }
    // Left out: not images, hidden, or reached through a loop.
    std::fs::write(root.join("odd/notes.txt"), "photo list\n").expect("notes");
    std::fs::write(root.join("odd/.hidden-photo.jpg"), &fx[0].bytes).expect("hidden");
    std::fs::create_dir_all(root.join(".thumbnails")).expect("hidden dir");
    std::fs::write(root.join(".thumbnails/t.jpg"), &fx[0].bytes).expect("hidden file");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", root.join("odd/loop")).expect("symlink loop");
    files
}

#[test]
fn scan_of_two_thousand_nested_photos_counts_every_rule_in_every_format() {
    let fx = fixtures();
    let copies = 2000usize.div_ceil(fx.len());
    let root = scratch("big");
    let tree = root.join("photos");
    let files = build_tree(&tree, copies, fx);
    assert!(files.len() >= 2000, "{} files", files.len());

    // What the library says of each distinct file, and what the labels ask.
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let mut problems = Vec::new();
    let mut per_fixture = Vec::new();
    for f in fx {
        let (codes, passed) =
            library_outcome(&checker, &f.bytes, &f.label.file_name).expect("fixture reads");
        match photolint_testkit::score::KNOWN_MISSES
            .iter()
            .find(|m| m.0 == f.label.name)
        {
            Some((name, code, why)) => assert!(
                !codes.iter().any(|c| c == code),
                "{name} now gets {code}: take it off KNOWN_MISSES ({why})"
            ),
            None => problems.extend(label_problems(&f.label, passed, &codes)),
        }
        per_fixture.push(codes);
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let mut want_rules: BTreeMap<String, u64> = BTreeMap::new();
    let mut want_errors: BTreeMap<String, u64> = BTreeMap::new();
    for codes in &per_fixture {
        for c in codes {
            *want_rules.entry(c.clone()).or_default() += copies as u64;
        }
    }
    for (name, bytes) in odd_files(fx) {
        match library_outcome(&checker, &bytes, &name) {
            Ok((codes, _)) => {
                for c in codes {
                    *want_rules.entry(c).or_default() += 1;
                }
            }
            Err(code) => *want_errors.entry(code).or_default() += 1,
        }
    }
    assert!(
        want_errors.contains_key("E001-empty")
            && want_errors.contains_key("E002-unsupported-format"),
        "{want_errors:?}"
    );

    // One scan writes every machine format; JSON Lines on standard output.
    let out = |n: &str| root.join(n);
    let mut child = exe()
        .current_dir(&root)
        .args(["scan", "photos", "--format", "jsonl", "--jobs", "2"])
        .arg(format!("--report=json={}", out("r.json").display()))
        .arg(format!("--report=csv={}", out("r.csv").display()))
        .arg(format!("--report=junit={}", out("r.xml").display()))
        .arg(format!("--report=text={}", out("r.txt").display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("photolint starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a first line").expect("utf-8");
    // The stream starts while photos are still being checked.
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the first JSON line came only after the scan ended"
    );
    let mut jsonl = vec![first];
    jsonl.extend(lines.map(|l| l.expect("line")));
    let status = child.wait_with_output().expect("scan ends");
    let stderr = String::from_utf8_lossy(&status.stderr);
    // The truncated, empty and text files could not be judged: exit 2.
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic link loop"), "{stderr}");

    // JSON Lines: one line per file, in path order, nothing left out or added.
    assert_eq!(jsonl.len(), files.len());
    let items: Vec<serde_json::Value> = jsonl
        .iter()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let paths: Vec<String> = items
        .iter()
        .map(|v| v["path"].as_str().expect("path").to_string())
        .collect();
    let mut want_paths: Vec<String> = files
        .iter()
        .map(|(rel, _)| Path::new("photos").join(rel).display().to_string())
        .collect();
    want_paths.sort();
    assert_eq!(paths, want_paths);

    // JSON: the same results and the per-rule counts.
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out("r.json")).expect("json"))
            .expect("one JSON document");
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results, &items);
    let sum = &doc["summary"];
    let got_rules: BTreeMap<String, u64> =
        serde_json::from_value(sum["rules"].clone()).expect("rules");
    let got_errors: BTreeMap<String, u64> =
        serde_json::from_value(sum["errors"].clone()).expect("errors");
    assert_eq!(got_rules, want_rules);
    assert_eq!(got_errors, want_errors);
    assert_eq!(sum["files"], files.len() as u64);
    let fails = items.iter().filter(|v| v["status"] == "fail").count() as u64;
    assert_eq!(sum["fail"], fails);
    let errors: u64 = want_errors.values().sum();
    assert_eq!(sum["error"], errors);

    // Every Chinese message is Chinese (codes, units, format names and
    // quoted file names aside).
    for v in results {
        for f in v["report"]["findings"].as_array().into_iter().flatten() {
            let zh = f["message_zh"].as_str().expect("message_zh");
            assert!(is_chinese_message(zh), "{}: {zh}", f["code"]);
        }
    }

    // CSV: byte-order mark, header, a row per finding (or per clean photo),
    // and a round trip through a CSV reader and writer gives the same bytes.
    let csv_bytes = std::fs::read(out("r.csv")).expect("csv");
    assert!(csv_bytes.starts_with("\u{feff}".as_bytes()));
    let body = &csv_bytes[3..];
    let mut reader = csv::Reader::from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header[..6],
        ["path", "status", "code", "rule", "severity", "message"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let want_rows: usize = items
        .iter()
        .map(|v| {
            v["report"]["findings"]
                .as_array()
                .map_or(1, |f| f.len().max(1))
        })
        .sum();
    assert_eq!(rows.len(), want_rows);
    let mut again = csv::Writer::from_writer(Vec::new());
    again.write_record(&header).expect("header");
    for r in &rows {
        again.write_record(r).expect("row");
    }
    assert_eq!(again.into_inner().expect("bytes"), body);

    // JUnit: valid XML; one test case per file, failures as counted.
    let xml = std::fs::read_to_string(out("r.xml")).expect("junit");
    let parsed = roxmltree::Document::parse(&xml).expect("JUnit is valid XML");
    let cases: Vec<_> = parsed
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), files.len());
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(failed as u64, fails);
    // A failure's type carries every failing code its message names.
    for f in parsed.descendants().filter(|n| n.has_tag_name("failure")) {
        let ty = f.attribute("type").expect("a type");
        let msg = f.attribute("message").expect("a message");
        assert_eq!(msg.split(": ").next(), Some(ty), "{msg}");
    }
    let suite = parsed
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("testsuite");
    assert_eq!(
        suite.attribute("tests"),
        Some(files.len().to_string().as_str())
    );
    assert_eq!(
        suite.attribute("failures"),
        Some(fails.to_string().as_str())
    );
    assert_eq!(suite.attribute("errors"), Some(errors.to_string().as_str()));

    // Text: the per-rule counts as in the JSON.
    let text = std::fs::read_to_string(out("r.txt")).expect("text");
    for (code, n) in &want_rules {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(code.as_str()))
            .expect("rule line");
        assert!(line.trim_end().ends_with(&format!(" {n}")), "{line}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// True when `s` has no English words: ASCII letters only in codes, units
/// and format names, and in quoted file names.
fn is_chinese_message(s: &str) -> bool {
    const ALLOWED: &[&str] = &[
        "jpeg", "jpg", "png", "rgb", "dpi", "kb", "jfif", "exif", "cmyk", "phys", "mod", "gb", "x",
    ];
    let mut rest = s.to_string();
    // Drop quoted file names: “...”.
    while let (Some(a), Some(b)) = (rest.find('“'), rest.find('”')) {
        if b < a {
            break;
        }
        rest.replace_range(a..b + '”'.len_utf8(), "");
    }
    rest.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| ALLOWED.contains(&w.to_lowercase().as_str()))
        && s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count_file_order_and_instruction_set() {
    let fx: Vec<Fixture> = fixtures().iter().step_by(4).cloned().collect();
    let a = scratch("order-a");
    let b = scratch("order-b");
    let files_a = build_tree(&a, 1, &fx);
    // The second tree is written in the opposite order, with the same
    // file that is left out (the summary counts it).
    for (rel, bytes) in files_a.iter().rev() {
        let p = b.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
    }
    std::fs::write(b.join("odd/notes.txt"), "photo list\n").expect("notes");
    let written = std::cell::RefCell::new(Vec::new());
    let run_with = |dir: &Path, jobs: &str, simd: &str| -> Vec<Vec<u8>> {
        let outs: Vec<PathBuf> = ["json", "jsonl", "csv", "junit", "text"]
            .iter()
            .map(|f| dir.with_extension(format!("{jobs}{simd}.{f}")))
            .collect();
        let st = exe()
            .env("PHOTOLINT_SIMD", simd)
            .current_dir(dir)
            .args(["scan", ".", "--jobs", jobs, "--format", "json", "-o"])
            .arg(&outs[0])
            .arg(format!("--report=jsonl={}", outs[1].display()))
            .arg(format!("--report=csv={}", outs[2].display()))
            .arg(format!("--report=junit={}", outs[3].display()))
            .arg(format!("--report=text={}", outs[4].display()))
            .status()
            .expect("scan runs");
        // The odd files include unreadable ones: exit 2.
        assert_eq!(st.code(), Some(2));
        written.borrow_mut().extend(outs.iter().cloned());
        outs.iter()
            .map(|p| std::fs::read(p).expect("report"))
            .collect()
    };
    let run = |dir: &Path, jobs: &str| run_with(dir, jobs, "");
    let one = run(&a, "1");
    assert_eq!(one, run(&a, "2"), "thread count changed the output");
    assert_eq!(one, run(&b, "3"), "file order changed the output");
    // The hot loops' baseline (SSE2) instructions instead of AVX2: the same
    // arithmetic, so the same bytes.
    assert_eq!(
        one,
        run_with(&a, "2", "baseline"),
        "the instruction set changed the output"
    );
    for d in [&a, &b] {
        let _ = std::fs::remove_dir_all(d);
    }
    for f in written.borrow().iter() {
        let _ = std::fs::remove_file(f);
    }
}

fn fixture_named(name: &str) -> &'static Fixture {
    fixtures()
        .iter()
        .find(|f| f.label.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

#[test]
fn exit_codes_follow_fail_on_and_usage_errors() {
    let dir = scratch("exit");
    // The quality-95 fixture breaks only the file-size band: a warning.
    let f = fixture_named("id1-file-quality-95");
    let p = dir.join(&f.label.file_name);
    std::fs::write(&p, &f.bytes).expect("write");
    let code = |args: &[&str]| {
        exe()
            .args(args)
            .arg(&p)
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(code(&["scan"]), Some(0));
    assert_eq!(code(&["scan", "--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["check", "--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["scan", "--report", "yaml=x"]), Some(2));
    assert_eq!(code(&["scan", "--profile", "no-such-profile"]), Some(2));
    let missing = exe()
        .args(["scan", "no/such/folder"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    // A missing path does not stop the others: it gets its E005 result,
    // every photo of the folder beside it is checked, then exit 2.
    let both = exe()
        .args(["scan", "-f", "jsonl", "no/such/folder"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(both.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&both.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let photos = std::fs::read_dir(&dir).expect("folder").count();
    assert_eq!(lines.len(), photos + 1, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.to_string().contains("E005-io") && l.to_string().contains("no such file")),
        "{lines:?}"
    );
    // A report is never written over a photo being scanned.
    let st = exe()
        .arg("scan")
        .arg(&p)
        .arg("-o")
        .arg(&p)
        .output()
        .expect("runs");
    assert_eq!(st.status.code(), Some(2));
    assert_eq!(std::fs::read(&p).expect("still there"), f.bytes);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hidden_files_are_scanned_only_on_request() {
    let dir = scratch("hidden");
    std::fs::write(dir.join(".a.jpg"), &fixture_named("id1-compliant").bytes).expect("write");
    std::fs::write(dir.join("b.jpg"), &fixture_named("id1-compliant").bytes).expect("write");
    let lines = |extra: &[&str]| {
        let out = exe()
            .args(["scan", "-f", "jsonl"])
            .args(extra)
            .arg(&dir)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert_eq!(lines(&[]), 1);
    assert_eq!(lines(&["--hidden"]), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn chinese_summary_and_environment_language() {
    // stdout of photolint run from the repository root with LANG=zh_CN.
    let zh = |args: &[&str]| {
        let out = exe()
            .env("LANG", "zh_CN.UTF-8")
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = zh(&["scan", "testdata/examples"]);
    assert!(
        text.contains("不合格") && text.contains("各规则涉及的照片数"),
        "{text}"
    );
    assert!(text.contains("头部倾斜"), "{text}");
    assert!(!text.contains("head tilted"), "{text}");
    // A warning is 警告 (提示 would be a mere hint).
    let text = zh(&["check", "testdata/examples/head-tilted.jpg"]);
    assert!(text.contains("F009") && text.contains("警告"), "{text}");
    assert!(!text.contains("提示"), "{text}");
}

#[test]
fn explain_documents_every_rule_in_both_languages_with_its_keys() {
    let chsi = Profile::built_in("chsi-diploma").expect("built in");
    for r in photolint::rules::ALL {
        let out = exe().args(["explain", r.code]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", r.code);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&r.doc_for(photolint::Lang::En, &chsi))
                && text.contains(&r.doc_for(photolint::Lang::Zh, &chsi)),
            "{text}"
        );
        for k in r.keys {
            assert!(
                text.contains(&format!("  {k} = ")),
                "{}: {k} missing\n{text}",
                r.code
            );
        }
    }
    let out = exe().args(["explain", "F003"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("framing.eye_y = [200.0, 300.0]"), "{text}");
    let out = exe()
        .args(["explain", "F010", "--profile", "icao-passport"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("framing.head_height = [372.0, 425.0]"),
        "{text}"
    );
    assert_eq!(exit_of(&["explain", "Z999"]), Some(2));
}

#[test]
fn profiles_are_listed_and_shown() {
    let out = exe().arg("profiles").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "chsi-diploma",
        "cn-resident-id",
        "cn-1inch",
        "cn-2inch",
        "icao-passport",
    ] {
        assert!(text.contains(name), "{text}");
        let shown = exe()
            .args(["profiles", "show", name])
            .output()
            .expect("runs");
        let toml = String::from_utf8_lossy(&shown.stdout);
        let p = Profile::from_toml(&toml).expect("shown profile parses");
        assert_eq!(p.name, name);
        assert!(toml.contains("# "), "the reasons are shown too");
    }
    assert_eq!(exit_of(&["profiles", "show", "nope"]), Some(2));
}

#[test]
fn shell_completions_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = exe().args(["completions", shell]).output().expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("scan") && text.contains("annotate") && text.contains("fail-on"),
            "{shell}"
        );
    }
}

#[test]
fn annotate_writes_the_format_its_name_asks_for_and_leaves_the_photo_alone() {
    let dir = scratch("annotate");
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/examples/head-too-low.jpg"
    ));
    let before = std::fs::read(src).expect("example");
    let out_png = dir.join("a.png");
    let st = exe()
        .arg("annotate")
        .arg(src)
        .arg("-o")
        .arg(&out_png)
        .output()
        .expect("runs");
    assert_eq!(st.status.code(), Some(1));
    let img = image::open(&out_png).expect("a PNG").to_rgb8();
    assert_eq!(img.width(), 480);
    assert!(
        img.height() > 640,
        "a strip lists the findings below the photo"
    );
    // The measured crown and eye lines are drawn in red: the rows at the
    // measured heights are mostly the error colour.
    let red_rows = (0..640)
        .filter(|&y| {
            (0..480)
                .filter(|&x| img.get_pixel(x, y).0 == [231, 36, 36])
                .count()
                > 400
        })
        .count();
    assert!(red_rows >= 2, "{red_rows} red rows");
    assert_eq!(std::fs::read(src).expect("example"), before);
    // A .jpg name gets a JPEG (by its content), a name without a known
    // image extension or in a missing folder is refused with a reason,
    // and nothing is written.
    let out_jpg = dir.join("a.JPG");
    let st = exe()
        .arg("annotate")
        .arg(src)
        .arg("-o")
        .arg(&out_jpg)
        .output()
        .expect("runs");
    assert_eq!(st.status.code(), Some(1));
    let bytes = std::fs::read(&out_jpg).expect("written");
    assert_eq!(
        image::guess_format(&bytes).expect("an image"),
        image::ImageFormat::Jpeg
    );
    for (name, says) in [
        (dir.join("a.gif"), ".png or .jpg"),
        (dir.join("noext"), ".png or .jpg"),
        (dir.join("no/such/dir/a.png"), "does not exist"),
    ] {
        let st = exe()
            .arg("annotate")
            .arg(src)
            .arg("-o")
            .arg(&name)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&st.stderr);
        assert_eq!(st.status.code(), Some(2), "{}: {err}", name.display());
        assert!(err.contains(says), "{}: {err}", name.display());
        assert!(!name.exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Headless Chromium, or `None` (with a loud note) when it is not installed
/// outside CI. In CI (`CI` set) a missing browser fails the test.
fn chromium() -> Option<PathBuf> {
    for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(c).exists() {
            return Some(PathBuf::from(c));
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is required in CI (.ci/run installs Debian's chromium)");
    }
    eprintln!("SKIPPED: html_report_renders_in_chromium: chromium not installed (apt-get install chromium)");
    None
}

#[test]
fn html_report_renders_in_chromium_with_thumbnails_and_annotations() {
    let dir = scratch("html");
    let report = dir.join("report.html");
    let st = exe()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(["scan", "testdata/examples", "--format", "html", "-o"])
        .arg(&report)
        .output()
        .expect("scan runs");
    assert_eq!(st.status.code(), Some(1));
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    assert_eq!(
        html.matches("class=\"thumb\"").count(),
        7,
        "a thumbnail per photo"
    );
    assert_eq!(
        html.matches("class=\"annot\"").count(),
        6,
        "an annotated photo per failing photo"
    );
    let Some(browser) = chromium() else {
        return;
    };
    let shot = dir.join("shot.png");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,1400",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", report.display()))
        .output()
        .expect("chromium runs");
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&shot).expect("screenshot PNG").to_rgb8();
    let count = |pred: &dyn Fn([u8; 3]) -> bool| img.pixels().filter(|p| pred(p.0)).count();
    let near = |c: [u8; 3], t: [u8; 3], tol: i32| {
        c.iter()
            .zip(t)
            .all(|(&a, b)| (a as i32 - b as i32).abs() <= tol)
    };
    // The photos' light-blue backdrop: thumbnails and annotated photos.
    let backdrop = count(&|c| near(c, [100, 197, 255], 20));
    // The annotation colours: error red and the crown band's green labels.
    let red = count(&|c| near(c, [231, 36, 36], 30));
    assert!(
        backdrop > 20_000,
        "backdrop pixels {backdrop}: thumbnails not shown"
    );
    assert!(red > 300, "red pixels {red}: annotations not shown");
    if let Ok(keep) = std::env::var("PHOTOLINT_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).expect("keep screenshot");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
