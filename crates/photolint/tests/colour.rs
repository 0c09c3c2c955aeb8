//! Background and clothing colour on real pixels: fixtures built from the
//! sample portraits (backdrops changed, tops recoloured with their shading
//! kept), each with the verdict and the finding it must get; and the sample
//! portraits as they were photographed.

use std::sync::OnceLock;

use photolint::report::ColourName;
use photolint::{Checker, Profile, Report, Verdict};
use photolint_testkit::{background_fixtures, clothing_fixtures, problems, Fixture};

fn diploma() -> Profile {
    Profile::built_in("chsi-diploma").expect("built-in profile")
}

fn check_with(profile: Profile, f: &Fixture) -> Report {
    Checker::new(profile)
        .check(&f.bytes)
        .map(|c| c.report)
        .unwrap_or_else(|e| panic!("{}: {e}", f.label.name))
}

fn codes(r: &Report) -> Vec<String> {
    r.findings.iter().map(|f| f.code.clone()).collect()
}

/// Every colour fixture, generated once for all the tests here.
fn all() -> &'static [Fixture] {
    static ALL: OnceLock<Vec<Fixture>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v = background_fixtures();
        v.extend(clothing_fixtures());
        v
    })
}

fn exactly_as_labelled(prefix: &str) {
    let fixtures: Vec<&Fixture> = all()
        .iter()
        .filter(|f| {
            f.label
                .name
                .split_once('-')
                .is_some_and(|(_, n)| n.starts_with(prefix))
        })
        .collect();
    assert!(fixtures.len() >= 20, "{prefix}: {}", fixtures.len());
    let p = problems(fixtures, |f| {
        let r = check_with(diploma(), f);
        (r.verdict == Verdict::Pass, codes(&r))
    });
    assert!(p.is_empty(), "{}", p.join("\n"));
}

#[test]
fn every_backdrop_fixture_gets_exactly_its_finding() {
    exactly_as_labelled("bg-");
}

#[test]
fn every_clothing_fixture_gets_exactly_its_finding() {
    exactly_as_labelled("top-");
}

fn fixture(name: &str) -> &'static Fixture {
    all()
        .iter()
        .find(|f| f.label.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

#[test]
fn wrong_backdrops_are_named_by_the_colour_seen() {
    for (name, colour, en, zh) in [
        ("id1-bg-white", ColourName::White, "white", "白色"),
        ("id2-bg-red", ColourName::Red, "red", "红色"),
        (
            "id3-bg-dark-blue",
            ColourName::DarkBlue,
            "dark blue",
            "深蓝色",
        ),
        ("id4-bg-grey", ColourName::Grey, "grey", "灰色"),
    ] {
        let r = check_with(diploma(), fixture(name));
        let b = r
            .measurements
            .background
            .as_ref()
            .expect("background measured");
        assert_eq!(b.colour, colour, "{name}");
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "B001")
            .expect("B001 fired");
        assert!(
            f.message_en.starts_with(&format!("background is {en} ")),
            "{name}: {}",
            f.message_en
        );
        assert!(
            f.message_zh.starts_with(&format!("背景为{zh}")),
            "{}",
            f.message_zh
        );
        assert!(f.value.is_some_and(|v| v > 8.0), "{name}: {:?}", f.value);
    }
}

#[test]
fn json_report_carries_background_and_clothing_figures() {
    let r = check_with(diploma(), fixture("id3-top-white-yellow-tie"));
    let v: serde_json::Value = serde_json::to_value(&r).expect("report serialises");
    let b = &v["measurements"]["background"];
    for key in [
        "mean",
        "mean_rgb",
        "colour",
        "delta_e",
        "spread",
        "gradient",
        "shadow",
        "clutter_share",
    ] {
        assert!(!b[key].is_null(), "background.{key} missing: {b}");
    }
    assert_eq!(b["colour"], "light-blue");
    assert!(b["delta_e"].as_f64().is_some_and(|d| d < 2.0), "{b}");
    let c = &v["measurements"]["clothing"];
    let colours = c["colours"].as_array().expect("dominant colours");
    assert_eq!(colours[0]["name"], "light-grey", "{c}");
    let share = colours[0]["share"].as_f64().expect("share");
    assert!(
        share > 0.8,
        "the white shirt covers most of the clothing: {c}"
    );
    // The tie is measured, and too small to count as the top.
    let clothing = r.measurements.clothing.as_ref().expect("clothing measured");
    let tie = clothing.class_share("yellow");
    assert!(tie > 0.01 && tie < 0.2, "tie share {tie}");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn sample_portraits_as_photographed_fail_the_backdrop_only() {
    // The four idpass samples stand on light grey and wear black tops (one
    // shows only hair and neck): the backdrop is wrong, nothing about
    // clothing is.
    let samples: [&[u8]; 4] = [
        include_bytes!("../../../testdata/samples/sample_id_1.png"),
        include_bytes!("../../../testdata/samples/sample_id_2.png"),
        include_bytes!("../../../testdata/samples/sample_id_3.png"),
        include_bytes!("../../../testdata/samples/sample_id_4.png"),
    ];
    let checker = Checker::new(diploma());
    for (i, bytes) in samples.iter().enumerate() {
        let r = checker
            .check(*bytes)
            .map(|c| c.report)
            .expect("sample decodes");
        let b = r
            .measurements
            .background
            .as_ref()
            .expect("background measured");
        assert_eq!(b.colour, ColourName::LightGrey, "sample {}", i + 1);
        assert!(r.has("B001"), "sample {}: {:?}", i + 1, codes(&r));
        let other: Vec<String> = codes(&r)
            .into_iter()
            .filter(|c| c.starts_with('B') && c != "B001" || c.starts_with('C'))
            .collect();
        assert!(other.is_empty(), "sample {}: {other:?}", i + 1);
    }
}

#[test]
fn the_shadow_is_located_where_it_was_cast() {
    // The fixtures cast the head's shadow 22 px right and 8 px down.
    for base in ["id1", "id2", "id3", "id4"] {
        let r = check_with(diploma(), fixture(&format!("{base}-bg-shadow")));
        let f = r.findings.iter().find(|f| f.code == "B003").expect("B003");
        let region = f.region.expect("shadow region");
        let face = r.faces[0].bbox;
        assert!(
            region.x + region.w / 2.0 > face.x + face.w / 2.0,
            "{base}: shadow {region:?} should lie right of the face {face:?}"
        );
        let b = r.measurements.background.as_ref().expect("background");
        assert!(
            (0.2..0.5).contains(&b.shadow.darkening),
            "{base}: {}",
            b.shadow.darkening
        );
    }
}

#[test]
fn the_astronaut_portrait_has_a_cluttered_backdrop() {
    // A real studio portrait: a flag on one side, a shuttle model on the other.
    let r = Checker::new(diploma())
        .check(photolint_testkit::ASTRONAUT_PNG)
        .map(|c| c.report)
        .expect("astronaut decodes");
    let b = r
        .measurements
        .background
        .as_ref()
        .expect("background measured");
    assert!(b.clutter_share > 0.1, "clutter {}", b.clutter_share);
    assert!(r.has("B004"), "{:?}", codes(&r));
    let f = r.findings.iter().find(|f| f.code == "B004").expect("B004");
    assert!(f.region.is_some(), "the clutter is located");
}

#[test]
fn a_profile_can_allow_white_and_switch_a_clothing_rule_off() {
    let text = include_str!("../profiles/chsi-diploma.toml");
    let white = format!(
        "{text}\n[[background.allowed]]\nname_en = \"white\"\nname_zh = \"白色\"\nrgb = [255, 255, 255]\n"
    );
    let p = Profile::from_toml(&white).expect("profile with white parses");
    let r = check_with(p, fixture("id1-bg-white"));
    assert!(!r.has("B001"), "{:?}", codes(&r));
    let r = check_with(diploma(), fixture("id1-bg-white"));
    assert!(r.has("B001"));

    let relaxed = text.replacen(
        "name = \"chsi-diploma\"",
        "name = \"relaxed\"\ndisabled_rules = [\"C003\"]",
        1,
    );
    let p = Profile::from_toml(&relaxed).expect("profile with a disabled rule parses");
    let r = check_with(p, fixture("id4-top-yellow"));
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", codes(&r));
    let bad = text.replacen(
        "name = \"chsi-diploma\"",
        "name = \"bad\"\ndisabled_rules = [\"Z999\"]",
        1,
    );
    assert!(Profile::from_toml(&bad).is_err());
}

/// A share's value keeps the precision its message shows: the value of
/// "98 % of the clothing" is 0.98x, not 1.0 (CSV and JSON carry it).
#[test]
fn share_values_say_what_their_messages_say() {
    let photo = include_bytes!("../../../testdata/examples/yellow-top.jpg");
    let r = Checker::new(diploma())
        .check(photo)
        .map(|c| c.report)
        .expect("example checks");
    let f = r.findings.iter().find(|f| f.code == "C003").expect("C003");
    let shown: f64 = f
        .message_en
        .split(": ")
        .nth(1)
        .and_then(|m| m.split(' ').next())
        .and_then(|p| p.parse().ok())
        .expect("a percentage in the message");
    let v = f.value.expect("a value");
    assert_eq!((v * 100.0).round(), shown, "{v} vs {}", f.message_en);
    assert!(
        v < 1.0 && (v * 1000.0 - (v * 1000.0).round()).abs() < 1e-6,
        "{v}"
    );
}
