//! Per-stage costs of one check on the bundled compliant example (480x640 JPEG).
//!
//! Run: `cargo bench -p photolint-benches --bench stages`
use criterion::{criterion_group, criterion_main, Criterion};
use photolint::{face::Detector, input, measure, segment, Checker, Profile};
use std::hint::black_box;

const PHOTO: &[u8] = include_bytes!("../testdata/examples/compliant.jpg");

fn stages(c: &mut Criterion) {
    let decoded = input::decode(PHOTO, Default::default()).expect("example decodes");
    let det = Detector::shared().expect("model compiles");
    let faces = det.detect(&decoded.rgb).expect("detector runs");
    let face = faces.first().expect("one face").clone();
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    c.bench_function("decode", |b| {
        b.iter(|| input::decode(black_box(PHOTO), Default::default()))
    });
    c.bench_function("face detect", |b| {
        b.iter(|| det.detect(black_box(&decoded.rgb)))
    });
    c.bench_function("eye refine", |b| {
        b.iter(|| {
            let mut f = face.clone();
            photolint::face::refine_eyes(black_box(&decoded.rgb), &mut f);
            f
        })
    });
    c.bench_function("silhouette", |b| {
        b.iter(|| segment::silhouette(black_box(&decoded.rgb), &face))
    });
    let sil = segment::silhouette(&decoded.rgb, &face);
    let profile = checker.profile().clone();
    c.bench_function("colour grid", |b| {
        b.iter(|| measure::Grid::new(black_box(&decoded.rgb), &sil))
    });
    let grid = measure::Grid::new(&decoded.rgb, &sil);
    c.bench_function("background", |b| {
        b.iter(|| measure::background(black_box(&grid), &face, 1.0, &profile.background))
    });
    c.bench_function("clothing", |b| {
        b.iter(|| {
            measure::clothing(
                black_box(&grid),
                &face,
                None,
                [sil.shoulder_left, sil.shoulder_right],
                1.0,
                &profile.clothing,
            )
        })
    });
    c.bench_function("light", |b| {
        b.iter(|| measure::light(black_box(&decoded.rgb), &face, &sil, None, 1.0))
    });
    c.bench_function("jpeg headers", |b| {
        b.iter(|| {
            photolint::jpeg::estimate_quality(&photolint::jpeg::headers(black_box(PHOTO)).tables)
        })
    });
    c.bench_function("full check", |b| {
        b.iter(|| checker.check_bytes(black_box(PHOTO)))
    });
}

/// Refusing hostile headers: the 100000x100000 PNG and a JPEG claiming
/// 65500x65500 must be turned away from the header alone.
fn hostile(c: &mut Criterion) {
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let bomb = photolint_testkit::bad::png_bomb();
    c.bench_function("refuse 100000x100000 PNG header", |b| {
        b.iter(|| checker.check_bytes(black_box(&bomb)).is_err())
    });
    let mut huge = PHOTO.to_vec();
    if let Some(at) = huge.windows(2).position(|w| w == [0xFF, 0xC0]) {
        huge[at + 5..at + 9].copy_from_slice(&[0xFF, 0xDC, 0xFF, 0xDC]);
    }
    c.bench_function("refuse 65500x65500 JPEG header", |b| {
        b.iter(|| checker.check_bytes(black_box(&huge)).is_err())
    });
}

criterion_group!(benches, stages, hostile);
criterion_main!(benches);
