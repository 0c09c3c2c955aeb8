//! What a person at a terminal sees: the README's examples as the tool
//! prints them, errors on standard error in plain words, colour only when
//! wanted, closing summaries, and options only where they do something.

mod support;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::scratch;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `photolint ARGS` in the repository root, English, no colour asked.
fn run(args: &[&str]) -> Output {
    support::photolint()
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("photolint runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// (exit code, stdout, stderr)
fn ran(args: &[&str]) -> (i32, String, String) {
    let o = run(args);
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
    )
}

/// The README's example blocks (`<!-- example: ARGS -->` and the text
/// block after it) are what the tool prints today. With
/// PHOTOLINT_BLESS=1 the README is rewritten instead.
#[test]
fn readme_examples_are_what_the_tool_prints() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let mut out = Vec::new();
    let mut lines = readme.lines();
    let mut examples = 0;
    let mut stale = Vec::new();
    while let Some(line) = lines.next() {
        out.push(line.to_string());
        let Some(args) = line
            .strip_prefix("<!-- example: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        examples += 1;
        let fence = lines.next().unwrap_or_default();
        assert_eq!(fence, "```text", "the example {args:?} needs a text block");
        let mut old = Vec::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            old.push(l.to_string());
        }
        let argv: Vec<&str> = args.split_whitespace().collect();
        let (code, stdout, _) = ran(&argv);
        let mut new = vec![format!("$ photolint {args}")];
        new.extend(stdout.lines().map(str::to_string));
        new.push(format!("(exit code {code})"));
        if new != old {
            stale.push(format!(
                "--- README\n{}\n+++ photolint {args}\n{}",
                old.join("\n"),
                new.join("\n")
            ));
        }
        out.push(fence.to_string());
        out.extend(new);
        out.push("```".into());
    }
    assert!(examples >= 3, "the README lost its examples");
    if std::env::var_os("PHOTOLINT_BLESS").is_some() {
        std::fs::write(&path, out.join("\n") + "\n").expect("rewrite README.md");
        return;
    }
    assert!(
        stale.is_empty(),
        "README examples differ from the tool (PHOTOLINT_BLESS=1 rewrites them):\n{}",
        stale.join("\n\n")
    );
}

#[test]
fn errors_about_the_command_go_to_stderr_in_plain_words() {
    // A file that is not there: stderr, no "(os error 2)", nothing on stdout.
    let (code, out, err) = ran(&["check", "nope.jpg"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "stdout: {out}");
    assert!(
        err.contains("nope.jpg") && err.contains("no such file") && !err.contains("os error"),
        "{err}"
    );
    // The other files are still checked.
    let (code, out, err) = ran(&["check", "nope.jpg", "testdata/examples/compliant.jpg"]);
    assert_eq!(code, 2);
    assert!(out.contains("compliant.jpg: PASS"), "{out}");
    assert!(err.contains("nope.jpg"), "{err}");

    // A folder given to `check` points to `scan`.
    let (code, out, err) = ran(&["check", "testdata/examples"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("is a folder") && err.contains("photolint scan"),
        "{err}"
    );

    // A mistyped profile gets the nearest name and the list.
    let (code, _, err) = ran(&["check", "--profile", "chsi-diplome", "x.jpg"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"chsi-diploma\""), "{err}");
    assert!(
        err.contains("icao-passport") && err.contains("cn-resident-id"),
        "{err}"
    );
    // A profile file that is not there is said to be a missing file.
    let (code, _, err) = ran(&["check", "--profile", "./my.toml", "x.jpg"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("profile file ./my.toml does not exist"),
        "{err}"
    );
    assert!(!err.contains("built-in"), "{err}");
    // The same for `profiles show` and `explain`.
    let (code, _, err) = ran(&["profiles", "show", "icao-pasport"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"icao-passport\""), "{err}");
    let (code, _, err) = ran(&["explain", "F003", "--profile", "nope/p.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn options_are_offered_only_where_they_work() {
    for (cmd, has_limits) in [
        (&["check", "--help"][..], true),
        (&["scan", "--help"], true),
        (&["annotate", "--help"], true),
        (&["explain", "--help"], false),
        (&["profiles", "--help"], false),
        (&["completions", "--help"], false),
    ] {
        let (code, out, _) = ran(cmd);
        assert_eq!(code, 0, "{cmd:?}");
        assert_eq!(out.contains("--max-side"), has_limits, "{cmd:?}:\n{out}");
    }
    let (code, _, err) = ran(&["explain", "F003", "--max-side", "100"]);
    assert_eq!(code, 2, "{err}");
}

const ESC: &str = "\x1b[";

#[test]
fn colour_when_asked_never_into_a_pipe_by_default() {
    let photos = [
        "testdata/examples/compliant.jpg",
        "testdata/examples/head-tilted.jpg",
    ];
    let (_, plain, _) = ran(&["check", photos[0], photos[1]]);
    assert!(
        !plain.contains(ESC),
        "a pipe gets no colour by default:\n{plain}"
    );
    let (_, never, _) = ran(&["check", "--color", "never", photos[0], photos[1]]);
    assert_eq!(never, plain);
    let (_, always, _) = ran(&["check", "--color", "always", photos[0], photos[1]]);
    // Verdicts green and red, the error code red, the warning code yellow.
    for coloured in [
        "\x1b[1;32mPASS\x1b[0m",
        "\x1b[1;31mFAIL\x1b[0m",
        "\x1b[31mF006\x1b[0m",
        "\x1b[33mF009\x1b[0m",
    ] {
        assert!(always.contains(coloured), "{coloured:?} in\n{always}");
    }
    // Without the escape codes it is the plain output, letter for letter.
    let stripped = regex_lite_strip(&always);
    assert_eq!(stripped, plain);
    let (_, scan, _) = ran(&["scan", "--color", "always", "testdata/examples"]);
    assert!(scan.contains("\x1b[1;31mFAIL\x1b[0m"), "{scan}");
}

/// Removes ANSI colour sequences (`ESC [ ... m`).
fn regex_lite_strip(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(ESC) {
        out.push_str(&rest[..i]);
        rest = rest[i..].find('m').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    out
}

/// On a terminal (a pseudo-terminal from `script`), `auto` colours, and
/// NO_COLOR or TERM=dumb turn it off.
#[test]
fn auto_colour_follows_the_terminal_and_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED auto_colour_follows_the_terminal_and_no_color: `script` (util-linux) is not installed"
        );
        return;
    }
    let on_tty = |env: &[(&str, &str)]| -> String {
        let cmd = format!(
            "{} check testdata/examples/compliant.jpg",
            env!("CARGO_BIN_EXE_photolint")
        );
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"])
            .current_dir(root())
            .env("LANG", "C")
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        text(&c.output().expect("script runs").stdout)
    };
    assert!(on_tty(&[]).contains("\x1b[1;32mPASS"), "{}", on_tty(&[]));
    assert!(!on_tty(&[("NO_COLOR", "1")]).contains(ESC));
    assert!(!on_tty(&[("TERM", "dumb")]).contains(ESC));
}

#[test]
fn several_files_end_with_a_count_and_reports_say_where_they_went() {
    let (_, one, _) = ran(&["check", "testdata/examples/compliant.jpg"]);
    assert!(!one.contains("files:"), "{one}");
    let (code, many, _) = ran(&[
        "check",
        "testdata/examples/compliant.jpg",
        "testdata/examples/head-tilted.jpg",
        "testdata/bad/photo.heic",
    ]);
    assert_eq!(code, 2);
    assert!(
        many.trim_end()
            .ends_with("3 files: 1 pass, 1 fail, 1 could not be checked"),
        "{many}"
    );

    let dir = scratch("terminal-report");
    let report = dir.join("report.html");
    let junit = dir.join("j.xml");
    let o = run(&[
        "scan",
        "testdata/examples",
        "-f",
        "html",
        "-o",
        report.to_str().expect("utf-8 path"),
        "--report",
        &format!("junit={}", junit.display()),
    ]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1));
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("7 files: 1 pass, 6 fail, 0 could not be checked")
            && err.contains(&report.display().to_string())
            && err.contains(&junit.display().to_string()),
        "{err}"
    );
    assert!(report.is_file() && junit.is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scan_summary_names_files_with_warnings_and_what_it_left_out() {
    let dir = scratch("terminal-warned");
    // The compliant photo with 30 KB after its end: 70 KB, over the
    // profile's 20-40 KB, a warning (D006) on a passing photo.
    let mut bytes = std::fs::read(root().join("testdata/examples/compliant.jpg")).expect("photo");
    bytes.resize(bytes.len() + (30 << 10), 0);
    std::fs::write(dir.join("large.jpg"), &bytes).expect("write");
    std::fs::write(dir.join("notes.txt"), "not a photo").expect("write");
    std::fs::copy(
        root().join("testdata/examples/head-tilted.jpg"),
        dir.join("tilted.jpg"),
    )
    .expect("copy");
    let d = dir.to_str().expect("utf-8 path");
    let (code, out, _) = ran(&["scan", d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("2 files, 1 pass, 1 fail"), "{out}");
    assert!(
        out.contains("1 other file(s) in the folders, not images, left out"),
        "{out}"
    );
    let warned = out
        .split("Passing files with warnings:")
        .nth(1)
        .unwrap_or_else(|| panic!("no warnings section:\n{out}"));
    assert!(
        warned.contains("large.jpg: PASS") && warned.contains("D006"),
        "{out}"
    );
    assert!(!warned.contains("tilted.jpg"), "{out}");
    let (_, json, _) = ran(&["scan", "-f", "json", d]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["summary"]["skipped"], 1, "{json}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_says_the_severity_and_the_chosen_profiles_numbers() {
    let (code, out, _) = ran(&["explain", "F002"]);
    assert_eq!(code, 0);
    assert!(out.contains("severity: error (the photo fails)"), "{out}");
    assert!(out.contains("chsi-diploma: 50-110 px of 640"), "{out}");
    assert!(
        out.contains("chsi-diploma：640 像素中的 50-110 像素"),
        "{out}"
    );
    let (_, icao, _) = ran(&["explain", "all", "--profile", "icao-passport"]);
    assert!(icao.contains("icao-passport: 10-120 px of 531"), "{icao}");
    assert!(
        !icao.contains("50-110"),
        "chsi numbers in the icao text:\n{icao}"
    );
    for placeholder in [
        "{profile}",
        "{framing.",
        "{file.",
        "{background.",
        "{reference_",
    ] {
        assert!(
            !icao.contains(placeholder),
            "{placeholder} unfilled:\n{icao}"
        );
    }
    assert!(
        icao.contains("white RGB 255,255,255 or light grey RGB 240,240,240"),
        "{icao}"
    );
    let (_, warn, _) = ran(&["explain", "D006"]);
    assert!(
        warn.contains("severity: warning (reported; the photo still passes)"),
        "{warn}"
    );
}

#[test]
fn chinese_lists_and_formats_are_said_in_chinese() {
    let (_, out, _) = ran(&[
        "check",
        "--lang",
        "zh",
        "testdata/examples/head-too-low.jpg",
    ]);
    let colours = out
        .lines()
        .find(|l| l.contains("衣物"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        colours.contains('，') && !colours.contains(", "),
        "{colours}"
    );
    let (code, out, _) = ran(&["check", "--lang", "zh", "testdata/bad/photo.heic"]);
    assert_eq!(code, 2);
    assert!(out.contains("实际为 heic"), "{out}");
}

#[test]
fn annotated_photo_has_the_shoulder_line_white_measured_lines_and_chinese_labels() {
    let dir = scratch("terminal-annotate");
    let photo = "testdata/examples/head-tilted.jpg";
    let (en, zh) = (dir.join("en.png"), dir.join("zh.png"));
    for (lang, out) in [("en", &en), ("zh", &zh)] {
        let (code, _, err) = ran(&[
            "annotate",
            photo,
            "--lang",
            lang,
            "-o",
            out.to_str().expect("utf-8 path"),
        ]);
        assert_eq!(code, 1, "{err}");
    }
    let (_, json, _) = ran(&["check", "--format", "json", photo]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let fr = &v[0]["report"]["measurements"]["framing"];
    let pts = &fr["shoulder_points"];
    let (l, r) = (&pts[0], &pts[1]);
    let f = |p: &serde_json::Value, k: &str| p[k].as_f64().unwrap_or(f64::NAN);
    let img = image::open(&en).expect("PNG").to_rgb8();
    // The shoulder line runs between the two points; this photo's F009
    // warning paints it orange.
    let mid = ((f(l, "x") + f(r, "x")) / 2.0, (f(l, "y") + f(r, "y")) / 2.0);
    let p = img.get_pixel(mid.0.round() as u32, mid.1.round() as u32).0;
    assert_eq!(p, [243, 140, 18], "shoulder line at {mid:?}");
    // The measured crown line, inside its band, is white, not the band's
    // green (at the right edge, clear of the band's label).
    let crown = fr["crown_y"]["px"].as_f64().expect("crown");
    let p = img.get_pixel(img.width() - 10, crown.round() as u32).0;
    assert_eq!(p, [255, 255, 255], "crown line at y {crown}");
    // Chinese labels change only the labels: the photo area above the
    // strip differs in few pixels, the strip does differ.
    let zimg = image::open(&zh).expect("PNG").to_rgb8();
    assert_eq!(img.dimensions(), zimg.dimensions());
    let differ = img
        .pixels()
        .zip(zimg.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        differ > 200,
        "Chinese labels drew nothing different ({differ} px)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
