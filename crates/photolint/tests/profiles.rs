//! The built-in profiles and the naming rule, on fixture photos.

use photolint::{Checker, Profile};
use photolint_testkit::compose::{Backdrop, Dress};
use photolint_testkit::{
    encode_jpeg, eye_y_for_crown, framing_fixtures, scene, Fixture, Placement, BASES,
};

fn compliant() -> Fixture {
    framing_fixtures()
        .into_iter()
        .find(|f| f.label.name == "id1-compliant")
        .expect("compliant fixture")
}

fn codes(checker: &Checker, bytes: &[u8], name: &str) -> Vec<String> {
    checker
        .check(photolint::Source::named(bytes, name))
        .expect("checks")
        .report
        .findings
        .iter()
        .map(|f| f.code.clone())
        .collect()
}

#[test]
fn every_built_in_profile_loads_and_shows_its_reasons() {
    let names = Profile::built_in_names();
    assert_eq!(
        names,
        [
            "chsi-diploma",
            "cn-resident-id",
            "cn-1inch",
            "cn-2inch",
            "icao-passport"
        ]
    );
    for name in names {
        let p = Profile::built_in(name).expect("loads");
        assert_eq!(p.name, name);
        let text = Profile::built_in_source(name).expect("source");
        assert!(
            text.lines().filter(|l| l.starts_with('#')).count() >= 10,
            "{name}: reasons"
        );
        // Every rule's keys exist in the profile, or are optional keys.
        let value = toml::Value::try_from(&p).expect("serialises");
        for r in photolint::rules::ALL {
            for k in r.keys {
                let mut v = Some(&value);
                for part in k.split('.') {
                    v = v.and_then(|x| x.get(part));
                }
                let optional = [
                    "framing.head_height",
                    "framing.min_eye_distance",
                    "naming.pattern",
                    "file.size_kb",
                    "clothing.blue",
                    "clothing.yellow",
                    "clothing.green",
                    "clothing.yellow_green",
                ];
                assert!(
                    v.is_some() || optional.contains(k),
                    "{name}: {} key {k}",
                    r.code
                );
            }
        }
    }
}

#[test]
fn a_diploma_photo_judged_as_a_studio_one_inch_photo_keeps_its_framing() {
    // cn-1inch keeps the diploma's proportions: the framing passes; the
    // pixel size and the diploma blue (not a studio colour) do not.
    let f = compliant();
    let checker = Checker::new(Profile::built_in("cn-1inch").expect("profile"));
    let fired = codes(&checker, &f.bytes, "photo.jpg");
    assert!(fired.contains(&"D002".to_string()), "{fired:?}");
    assert!(fired.contains(&"B001".to_string()), "{fired:?}");
    assert!(!fired.iter().any(|c| c.starts_with('F')), "{fired:?}");
    // ICAO measures the head height; this diploma framing has a head well
    // under 70 % of the height.
    let icao = Checker::new(Profile::built_in("icao-passport").expect("profile"));
    let fired = codes(&icao, &f.bytes, "photo.jpg");
    assert!(fired.contains(&"F010".to_string()), "{fired:?}");
    assert!(
        !fired.contains(&"F011".to_string()),
        "eyes over 90 px apart: {fired:?}"
    );
}

fn with_naming(naming: &str) -> Result<Profile, photolint::Error> {
    let text = Profile::built_in_source("chsi-diploma").expect("source");
    let text = text.replace("rule = \"none\"", naming);
    Profile::from_toml(&text)
}

#[test]
fn resident_id_file_names_are_checked() {
    let f = compliant();
    let checker = Checker::new(with_naming("rule = \"resident-id\"").expect("profile"));
    assert_eq!(
        codes(&checker, &f.bytes, "11010519491231002X.jpg"),
        Vec::<String>::new()
    );
    let report = checker
        .check(photolint::Source::named(&f.bytes, "110105194912310021.jpg"))
        .expect("checks")
        .report;
    let n = report
        .findings
        .iter()
        .find(|f| f.code == "N001")
        .expect("N001");
    assert!(n.message_en.contains("'X'"), "{}", n.message_en);
    assert!(n.message_zh.contains("校验码应为“X”"), "{}", n.message_zh);
    for bad in [
        "zhang-san.jpg",
        "11010519491331002X.jpg",
        "00010519491231002X.jpg",
    ] {
        assert!(
            codes(&checker, &f.bytes, bad).contains(&"N001".to_string()),
            "{bad}"
        );
    }
    // Without a name (bytes from memory) there is nothing to judge.
    assert!(!checker
        .check(&f.bytes)
        .map(|c| c.report)
        .expect("checks")
        .has("N001"));
}

#[test]
fn pattern_file_names_are_checked_whole() {
    let f = compliant();
    let checker =
        Checker::new(with_naming("rule = \"regex\"\npattern = \"[0-9]{10}\"").expect("profile"));
    assert!(!codes(&checker, &f.bytes, "2020123456.jpg").contains(&"N001".to_string()));
    assert!(codes(&checker, &f.bytes, "x2020123456.jpg").contains(&"N001".to_string()));
    assert!(codes(&checker, &f.bytes, "20201234567.jpg").contains(&"N001".to_string()));
    let bad = with_naming("rule = \"regex\"\npattern = \"[0-9\"");
    assert!(matches!(bad, Err(photolint::Error::Profile(_))));
    let unknown = with_naming("rule = \"student-number\"");
    assert!(matches!(unknown, Err(photolint::Error::Profile(_))));
}

#[test]
fn icao_head_height_and_eye_distance_pass_and_fail() {
    let icao = Checker::new(Profile::built_in("icao-passport").expect("profile"));
    // A passport framing: a 270 px face with the crown 25 px from the top
    // puts the head at about three quarters of the height.
    let base = &BASES[0];
    let p = Placement {
        face_width: 270.0,
        eye_y: eye_y_for_crown(base, 270.0, 25.0),
        ..Placement::COMPLIANT
    };
    let f = scene(
        base,
        "passport",
        "passport framing on white",
        p,
        Backdrop::Flat([250, 250, 250]),
        Dress::AsPhotographed,
        &[],
        &[],
    );
    let c = icao
        .check(photolint::Source::named(&f.bytes, "passport.jpg"))
        .expect("checks");
    let head = c
        .report
        .measurements
        .framing
        .as_ref()
        .and_then(|fr| fr.head_height);
    let fired: Vec<&str> = c.report.findings.iter().map(|x| x.code.as_str()).collect();
    assert!(!fired.contains(&"F010"), "head {head:?}: {fired:?}");
    assert!(!fired.contains(&"F011"), "{fired:?}");
    // The same photo at a third of the size: the eyes are about 40 px apart.
    let small = image::imageops::resize(&f.pixels, 160, 213, image::imageops::FilterType::Triangle);
    let fired = codes(&icao, &encode_jpeg(&small), "small.jpg");
    assert!(fired.contains(&"F011".to_string()), "{fired:?}");
}
