//! The bundled face models are the ones we measured, byte for byte.
use sha2::{Digest, Sha256};

/// The sum SHA256SUMS lists for `file`.
fn listed(file: &str) -> &'static str {
    include_str!("../models/SHA256SUMS")
        .lines()
        .find_map(|l| l.split_once("  ").filter(|(_, f)| *f == file))
        .map(|(sum, _)| sum)
        .unwrap_or_else(|| panic!("{file} is not in SHA256SUMS"))
}

#[test]
fn bundled_models_match_their_sha256() {
    // The files the library embeds with include_bytes!.
    for (file, bytes, len) in [
        (
            "face_detection_yunet_2023mar.onnx",
            &include_bytes!("../models/face_detection_yunet_2023mar.onnx")[..],
            232_589,
        ),
        (
            "face_landmark.onnx",
            &include_bytes!("../models/face_landmark.onnx")[..],
            2_429_145,
        ),
    ] {
        assert_eq!(
            format!("{:x}", Sha256::digest(bytes)),
            listed(file),
            "{file}"
        );
        assert_eq!(bytes.len(), len, "{file}");
    }
}

#[test]
fn built_in_profile_parses_and_bad_profiles_are_refused() {
    let p = photolint::Profile::built_in("chsi-diploma").expect("parses");
    assert_eq!(p.framing.eye_y, [200.0, 300.0]);
    assert_eq!(p.framing.crown_y, [50.0, 110.0]);
    assert!(photolint::Profile::built_in("nope").is_err());
    let bad =
        include_str!("../profiles/chsi-diploma.toml").replace("[200.0, 300.0]", "[300.0, 200.0]");
    assert!(photolint::Profile::from_toml(&bad).is_err());
    let text = include_str!("../profiles/chsi-diploma.toml");
    for (from, to) in [
        ("size_kb = [20.0, 40.0]", "size_kb = [40.0, 20.0]"),
        ("max_glare_eyes = 30.0", "max_glare_eyes = -1.0"),
        ("hue = [75.0, 110.0]", "hue = [75.0, 400.0]"),
        ("rgb = [100, 197, 255]", "rgb = [100, 197, 256]"),
    ] {
        assert!(text.contains(from), "{from}");
        let bad = text.replace(from, to);
        assert!(
            photolint::Profile::from_toml(&bad).is_err(),
            "{to} accepted"
        );
    }
    let p = photolint::Profile::built_in("chsi-diploma").expect("parses");
    assert_eq!(p.background.allowed[0].rgb, [100, 197, 255]);
    assert_eq!(p.file.width, 480);
}
