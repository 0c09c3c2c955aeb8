//! Per-stage costs of one check, on three bundled example photos (480x640
//! JPEG): `compliant` (passes), `yellow-top` (fails on clothing) and
//! `glare-forehead` (fails on glare). Each stage runs on the output of the
//! stage before it, computed once outside the timing.
//!
//! Run: `cargo bench -p photolint-benches --bench stages`
//! (one stage: `... --bench stages -- "light/compliant"`).
use criterion::{criterion_group, criterion_main, Criterion};
use photolint::internals::{self as stages, Detector, MeshModel};
use photolint::{rules, Checker, Profile};
use std::hint::black_box;

/// The command-line tool's allocator (see its main.rs), as in the
/// throughput bench.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PHOTOS: [(&str, &[u8]); 3] = [
    (
        "compliant",
        include_bytes!("../testdata/examples/compliant.jpg"),
    ),
    (
        "yellow-top",
        include_bytes!("../testdata/examples/yellow-top.jpg"),
    ),
    (
        "glare-forehead",
        include_bytes!("../testdata/examples/glare-forehead.jpg"),
    ),
];

fn stages(c: &mut Criterion) {
    let det = Detector::shared().expect("model reads");
    let mesh = MeshModel::shared().expect("mesh model reads");
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let p = checker.profile().clone();
    for (name, photo) in PHOTOS {
        let id = |stage: &str| format!("{stage}/{name}");
        let decoded = stages::decode(photo, Default::default()).expect("example decodes");
        let img = &decoded.rgb;
        let ref_scale = p.reference_width as f32 / img.width() as f32;
        c.bench_function(&id("decode"), |b| {
            b.iter(|| stages::decode(black_box(photo), Default::default()))
        });
        c.bench_function(&id("jpeg headers"), |b| {
            b.iter(|| stages::estimate_quality(&stages::headers(black_box(photo)).tables))
        });
        c.bench_function(&id("2x2 blocks"), |b| {
            b.iter(|| stages::Blocks::new(black_box(img)))
        });
        let blocks = stages::Blocks::new(img);
        c.bench_function(&id("face detect"), |b| {
            b.iter(|| det.detect_with(black_box(img), Some(&blocks)))
        });
        let mut face = det
            .detect_with(img, Some(&blocks))
            .expect("detector runs")
            .first()
            .expect("one face")
            .clone();
        c.bench_function(&id("eye refine"), |b| {
            b.iter(|| {
                let mut f = face.clone();
                stages::refine_eyes(black_box(img), &mut f);
                f
            })
        });
        stages::refine_eyes(img, &mut face);
        c.bench_function(&id("silhouette"), |b| {
            b.iter(|| stages::silhouette(black_box(img), &blocks, &face))
        });
        let sil = stages::silhouette(img, &blocks, &face);
        c.bench_function(&id("colour grid"), |b| {
            b.iter(|| stages::Grid::new(black_box(&blocks), &sil))
        });
        let grid = stages::Grid::new(&blocks, &sil);
        c.bench_function(&id("background"), |b| {
            b.iter(|| stages::background(black_box(&grid), &face, ref_scale, &p.background))
        });
        let bg = stages::background(&grid, &face, ref_scale, &p.background);
        c.bench_function(&id("clothing"), |b| {
            b.iter(|| {
                stages::clothing(
                    black_box(&grid),
                    &face,
                    bg.as_ref().map(|b| b.mean),
                    [sil.shoulder_left, sil.shoulder_right],
                    ref_scale,
                    &p.clothing,
                )
            })
        });
        c.bench_function(&id("light"), |b| {
            b.iter(|| stages::light(black_box(img), &blocks, &face, &sil, None, ref_scale))
        });
        c.bench_function(&id("face mesh"), |b| {
            b.iter(|| mesh.mesh(black_box(img), &face))
        });
        c.bench_function(&id("framing"), |b| {
            b.iter(|| {
                stages::framing(
                    black_box(&face),
                    &sil,
                    p.reference_width,
                    p.reference_height,
                )
            })
        });
        let report = checker
            .check(photo)
            .map(|c| c.report)
            .expect("example checks");
        c.bench_function(&id("rules"), |b| {
            b.iter(|| {
                rules::judge(
                    black_box(&report.measurements),
                    &report.file,
                    &p,
                    img.width(),
                )
            })
        });
        c.bench_function(&id("report to JSON"), |b| {
            b.iter(|| serde_json::to_vec(black_box(&report)))
        });
        c.bench_function(&id("full check"), |b| {
            b.iter(|| checker.check(black_box(photo)).map(|c| c.report))
        });
    }
}

/// Refusing hostile headers: the 100000x100000 PNG and a JPEG claiming
/// 65500x65500 must be turned away from the header alone.
fn hostile(c: &mut Criterion) {
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let bomb = photolint_testkit::bad::png_bomb();
    c.bench_function("refuse 100000x100000 PNG header", |b| {
        b.iter(|| checker.check(black_box(&bomb)).map(|c| c.report).is_err())
    });
    let mut huge = PHOTOS[0].1.to_vec();
    if let Some(at) = huge.windows(2).position(|w| w == [0xFF, 0xC0]) {
        huge[at + 5..at + 9].copy_from_slice(&[0xFF, 0xDC, 0xFF, 0xDC]);
    }
    c.bench_function("refuse 65500x65500 JPEG header", |b| {
        b.iter(|| checker.check(black_box(&huge)).map(|c| c.report).is_err())
    });
}

criterion_group!(benches, stages, hostile);
criterion_main!(benches);
