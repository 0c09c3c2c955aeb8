//! The command line: verdicts, JSON and exit codes on the bundled examples.
mod support;

fn photolint(args: &[&str]) -> (i32, String) {
    let (code, out, _) = photolint_both(args);
    (code, out)
}

/// (exit code, stdout, stderr)
fn photolint_both(args: &[&str]) -> (i32, String, String) {
    let out = support::photolint()
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("photolint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn compliant_example_passes_with_exit_0() {
    let (code, out) = photolint(&["check", "testdata/examples/compliant.jpg"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("PASS"), "{out}");
}

#[test]
fn failing_example_names_its_rules_and_exits_1() {
    let (code, out) = photolint(&[
        "check",
        "testdata/examples/compliant.jpg",
        "testdata/examples/head-too-low.jpg",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("F003 eye-line-position"), "{out}");
    assert!(out.contains("allowed 200-300"), "{out}");
}

#[test]
fn chinese_messages_on_request() {
    let (_, out) = photolint(&["check", "--lang", "zh", "testdata/examples/head-tilted.jpg"]);
    assert!(out.contains("不合格") && out.contains("头部倾斜"), "{out}");
}

#[test]
fn json_has_measurements_and_findings() {
    let (code, out) = photolint(&[
        "check",
        "--format",
        "json",
        "testdata/examples/head-too-low.jpg",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let r = &v[0]["report"];
    let fr = &r["measurements"]["framing"];
    for key in [
        "crown_y",
        "eye_y",
        "eye_distance",
        "face_width",
        "face_centre_x",
        "head_height",
    ] {
        assert!(
            fr[key]["px"].is_number() && fr[key]["reference"].is_number(),
            "{key}: {fr}"
        );
    }
    assert!(fr["roll_degrees"].is_number() && fr["shoulder_tilt_degrees"].is_number());
    let f = &r["findings"][0];
    for key in [
        "code",
        "rule",
        "severity",
        "message_en",
        "message_zh",
        "value",
        "allowed",
        "unit",
        "region",
    ] {
        assert!(!f[key].is_null(), "{key} missing in {f}");
    }
}

#[test]
fn unreadable_file_exits_2_after_checking_the_others() {
    let (code, out, err) = photolint_both(&[
        "check",
        "testdata/examples/compliant.jpg",
        "testdata/examples/README.md",
        "no-such-file.jpg",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("compliant.jpg: PASS"), "{out}");
    // A file that is no photo is a result; a file that is not there is
    // an error about the command line, on stderr.
    assert!(out.contains("E002-unsupported-format"), "{out}");
    assert!(
        err.contains("E005-io") && err.contains("no-such-file.jpg"),
        "{err}"
    );
}

#[test]
fn explain_prints_both_languages() {
    let (code, out) = photolint(&["explain", "F003"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("eye-line-position") && out.contains("眼睛"),
        "{out}"
    );
}

#[test]
fn a_users_own_profile_file_is_used() {
    let dir = std::env::temp_dir().join(format!("photolint-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../photolint/profiles/chsi-diploma.toml"
    ))
    .expect("built-in profile file");
    // The same standard, but wanting the eyes lower than the example has them.
    let mine = builtin
        .replace("name = \"chsi-diploma\"", "name = \"eyes-low\"")
        .replace("eye_y = [200.0, 300.0]", "eye_y = [300.0, 400.0]");
    let path = dir.join("eyes-low.toml");
    std::fs::write(&path, mine).expect("write profile");
    let p = path.to_string_lossy().into_owned();
    let (code, out) = photolint(&["check", "--profile", &p, "testdata/examples/compliant.jpg"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("F003") && out.contains("allowed 300-400"),
        "{out}"
    );
    let (code, out) = photolint(&["check", "--profile", "no-such-profile", "x.jpg"]);
    assert_eq!(code, 2, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
