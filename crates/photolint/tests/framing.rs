//! Framing rules on real pixels: fixtures built from the sample portraits,
//! each with the verdict it must get.

use photolint::{Checker, Profile, Report, Verdict};
use photolint_testkit::{framing_fixtures, problems, Fixture};

fn checker() -> Checker {
    Checker::new(Profile::built_in("chsi-diploma").expect("built-in profile"))
}

fn check(f: &Fixture) -> Report {
    checker()
        .check(&f.bytes)
        .map(|c| c.report)
        .unwrap_or_else(|e| panic!("{}: {e}", f.label.name))
}

fn codes(r: &Report) -> Vec<String> {
    r.findings.iter().map(|f| f.code.clone()).collect()
}

#[test]
fn every_fixture_gets_its_verdict_and_its_rule() {
    let p = problems(&framing_fixtures(), |f| {
        let r = check(f);
        (r.verdict == Verdict::Pass, codes(&r))
    });
    assert!(p.is_empty(), "{}", p.join("\n"));
}

#[test]
fn compliant_fixtures_measure_within_tolerance() {
    let mut n = 0;
    for f in framing_fixtures() {
        if f.label.expected != "pass" {
            continue;
        }
        n += 1;
        let r = check(&f);
        let l = &f.label;
        assert!(r.findings.is_empty(), "{}: {:?}", l.name, r.findings);
        let m = r.measurements.framing.as_ref().expect("framing measured");
        let eye = m.eye_y.reference as f32;
        let crown = m.crown_y.expect("crown found").reference as f32;
        let fw = m.face_width.reference as f32;
        let roll = m.roll_degrees as f32;
        let (te, tc, tw, tr) = (
            l.eye_y.expect("label"),
            l.crown_y.expect("label"),
            l.face_width.expect("label"),
            l.roll_degrees.expect("label"),
        );
        eprintln!(
            "{}: eye {eye:.1}/{te:.1} crown {crown:.1}/{tc:.1} width {fw:.1}/{tw:.1} roll {roll:.2}/{tr:.2}",
            l.name
        );
        assert!((eye - te).abs() <= 6.0, "{}: eye_y {eye} vs {te}", l.name);
        assert!(
            (crown - tc).abs() <= 8.0,
            "{}: crown_y {crown} vs {tc}",
            l.name
        );
        assert!(
            (fw - tw).abs() <= 0.08 * tw,
            "{}: face width {fw} vs {tw}",
            l.name
        );
        assert!((roll - tr).abs() <= 1.5, "{}: roll {roll} vs {tr}", l.name);
    }
    assert!(n >= 5, "only {n} compliant fixtures");
}

#[test]
fn rolled_fixtures_measure_the_roll() {
    for f in framing_fixtures()
        .iter()
        .filter(|f| f.label.name.ends_with("rolled"))
    {
        let r = check(f);
        let m = r.measurements.framing.as_ref().expect("framing measured");
        let truth = f.label.roll_degrees.expect("label");
        assert!(
            (m.roll_degrees as f32 - truth).abs() <= 1.5,
            "{}: roll {} vs {truth}",
            f.label.name,
            m.roll_degrees
        );
    }
}

#[test]
fn exif_rotated_photo_is_judged_upright() {
    let f = photolint_testkit::exif_rotated_fixture();
    let r = check(&f);
    assert_eq!((r.file.width, r.file.height), (480, 640));
    assert_eq!(r.file.exif_orientation, Some(6));
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.findings);
}

#[test]
fn astronaut_has_one_face_with_the_eyes_where_they_are() {
    let bytes = include_bytes!("../../../testdata/samples/astronaut.png");
    let r = checker()
        .check(bytes)
        .map(|c| c.report)
        .expect("astronaut decodes");
    assert_eq!(r.measurements.face_count, 1);
    assert!(!r.has("F001"));
    // Iris centres read off a 4x enlargement of the eye area.
    let f = &r.faces[0];
    for (got, want) in [(f.eye_left, (203.5, 102.0)), (f.eye_right, (247.0, 103.5))] {
        let d = (got.x - want.0).hypot(got.y - want.1);
        assert!(d <= 4.0, "eye at {got:?}, expected near {want:?}");
    }
    // The photo is 512x512 with the face small and high: framing fails.
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.has("F003") && r.has("F004"), "{:?}", r.findings);
}

#[test]
fn plain_blue_image_is_a_no_face_finding_not_an_error() {
    let img = image::RgbImage::from_pixel(480, 640, image::Rgb([100, 197, 255]));
    let jpeg = photolint_testkit::encode_jpeg(&img);
    let r = checker()
        .check(&jpeg)
        .map(|c| c.report)
        .expect("a blue JPEG is readable");
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.measurements.face_count, 0);
    assert!(r.has("F001"));
}

#[test]
fn png_and_jpeg_are_sniffed_by_content() {
    let png = include_bytes!("../../../testdata/samples/sample_id_1.png");
    let r = checker().check(png).map(|c| c.report).expect("png");
    assert_eq!(r.file.format.as_str(), "png");
    assert_eq!(r.file.channels, 4);
    let f = &framing_fixtures()[0];
    assert_eq!(check(f).file.format.as_str(), "jpeg");
}

#[test]
fn results_do_not_depend_on_threads_or_order() {
    let fixtures = framing_fixtures();
    let one = |f: &Fixture| serde_json::to_string(&check(f)).expect("report serialises");
    let sequential: Vec<String> = fixtures.iter().map(one).collect();
    // The same photos in reverse order, split over two threads sharing the model.
    let (a, b) = fixtures.split_at(fixtures.len() / 2);
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(|| a.iter().rev().map(one).collect::<Vec<_>>());
        let hb = s.spawn(|| b.iter().rev().map(one).collect::<Vec<_>>());
        (ha.join().expect("thread"), hb.join().expect("thread"))
    });
    let mut parallel: Vec<String> = ra.into_iter().rev().collect();
    parallel.extend(rb.into_iter().rev());
    assert_eq!(sequential, parallel);
}

#[test]
fn other_sizes_are_judged_in_the_reference_frame() {
    let f = &framing_fixtures()[0];
    let base = check(f);
    let m0 = base.measurements.framing.clone().expect("framing");
    for (w, h) in [(960, 1280), (360, 480)] {
        let img = image::imageops::resize(&f.pixels, w, h, image::imageops::FilterType::Triangle);
        let r = checker()
            .check(&photolint_testkit::encode_jpeg(&img))
            .map(|c| c.report)
            .expect("decodes");
        // The file rule wants exactly 480x640 (and a large photo outgrows
        // 40 KB, a warning); nothing else may fire.
        let c = codes(&r);
        assert!(
            c.contains(&"D002".to_string()) && c.iter().all(|c| c == "D002" || c == "D006"),
            "{w}x{h}: {:?}",
            r.findings
        );
        let m = r.measurements.framing.expect("framing");
        let scale = w as f64 / 480.0;
        assert!(
            (m.eye_y.px - m0.eye_y.px * scale).abs() <= 3.0 * scale,
            "{w}x{h} eye px"
        );
        assert!(
            (m.eye_y.reference - m0.eye_y.reference).abs() <= 3.0,
            "{w}x{h} eye ref"
        );
        assert!(
            (m.face_width.reference - m0.face_width.reference).abs() <= 8.0,
            "{w}x{h} face width {} against {} (reference px)",
            m.face_width.reference,
            m0.face_width.reference
        );
    }
}
