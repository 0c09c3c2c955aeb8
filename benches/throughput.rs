//! Whole-batch throughput: photos per second for a folder of 480x640 JPEGs
//! (quality 90), checked as `photolint scan` checks them, with one thread
//! and with every core, against the rate at which the same files are only
//! read and decoded by photolint's own decoder, all in one run.
//!
//! Run: `cargo bench -p photolint-benches --bench throughput`
//!
//! Options (after `--`): `--photos N` (at least this many files, default
//! 1000), `--repeat N` (timed passes per mode, the fastest is kept, default
//! 3; decode-only and full-check passes are taken in turn), `--dir DIR`
//! (where the photos are written, default `target/throughput-photos`),
//! `--generate-only` (write the folder and stop, e.g. for a memory
//! measurement of `photolint scan` on it).
//!
//! Then `photolint fix` against a check of the same photos, one thread:
//! over the folder (most photos there are refused after their check), and
//! over the test kit's photos that fix mends (raw 720x960 shots, faces too
//! small or too low, file faults), each fixed and checked again.
//!
//! The photos are the test kit's labelled evaluation corpus (the sample
//! portraits framed, lit, dressed and backed in every way the rules judge,
//! passing and failing), each also mirrored and at two exposures, encoded
//! at quality 90 until there are enough. They are made once and reused
//! while the folder holds the same number.

/// The command-line tool's allocator (see its main.rs), so the bench
/// measures what a scan does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::codecs::jpeg::PixelDensity;
use image::RgbImage;
use photolint::{Checker, DecodeLimits, Profile};
use rayon::prelude::*;

const QUALITY: u8 = 90;

struct Options {
    photos: usize,
    repeat: usize,
    dir: PathBuf,
    generate_only: bool,
}

fn options() -> Options {
    let mut o = Options {
        photos: 1000,
        repeat: 3,
        dir: PathBuf::from(
            std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../target".into()),
        )
        .join("throughput-photos"),
        generate_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |d: usize| args.next().and_then(|v| v.parse().ok()).unwrap_or(d);
        match a.as_str() {
            "--photos" => o.photos = number(o.photos),
            "--repeat" => o.repeat = number(o.repeat).max(1),
            "--dir" => o.dir = args.next().map(PathBuf::from).unwrap_or(o.dir),
            "--generate-only" => o.generate_only = true,
            // cargo bench passes --bench; anything else is ignored.
            _ => {}
        }
    }
    o
}

/// Variant `v` of a fixture's pixels: as made, mirrored, and each at a
/// slightly higher and lower exposure.
fn variant(img: &RgbImage, v: usize) -> RgbImage {
    let mut out = if v % 2 == 1 {
        image::imageops::flip_horizontal(img)
    } else {
        img.clone()
    };
    let shift: i16 = match v / 2 % 3 {
        0 => 0,
        1 => 6,
        _ => -6,
    };
    if shift != 0 {
        for p in out.pixels_mut() {
            for c in p.0.iter_mut() {
                *c = (*c as i16 + shift).clamp(0, 255) as u8;
            }
        }
    }
    out
}

/// The photo folder, made if it does not already hold `n` or more photos
/// written by this bench.
fn photo_folder(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let marker = dir.join(format!("photos-{n}-q{QUALITY}.done"));
    if !marker.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        eprintln!("writing at least {n} photos to {} ...", dir.display());
        let fixtures: Vec<RgbImage> = photolint_testkit::corpus::evaluation_corpus()
            .into_iter()
            .map(|f| f.pixels)
            .filter(|p| p.dimensions() == (480, 640))
            .collect();
        let mut k = 0;
        'outer: for v in 0.. {
            for f in &fixtures {
                if k >= n {
                    break 'outer;
                }
                let bytes = photolint_testkit::encode_jpeg_with(
                    &variant(f, v),
                    QUALITY,
                    PixelDensity::dpi(300),
                    None,
                );
                std::fs::write(dir.join(format!("{k:05}.jpg")), bytes)?;
                k += 1;
            }
        }
        std::fs::write(&marker, b"")?;
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// The fastest of `repeat` passes of `work` over every path on `pool`.
fn fastest(
    paths: &[PathBuf],
    pool: &rayon::ThreadPool,
    repeat: usize,
    work: &(dyn Fn(&Path) -> usize + Sync),
) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..repeat {
        let start = Instant::now();
        bytes = pool.install(|| paths.par_iter().map(|p| work(p)).sum());
        best = best.min(start.elapsed());
    }
    (best, bytes)
}

/// The fastest of `repeat` passes each of `first` and `second` on `pool`,
/// the passes taken in turn (one of `first`, one of `second`, and again),
/// so that a machine that speeds up or slows down during the run does not
/// favour the one timed first; with the bytes of `second`'s last pass.
fn fastest_of_both(
    paths: &[PathBuf],
    pool: &rayon::ThreadPool,
    repeat: usize,
    first: &(dyn Fn(&Path) -> usize + Sync),
    second: &(dyn Fn(&Path) -> usize + Sync),
) -> (Duration, Duration, usize) {
    let (mut a, mut b, mut bytes) = (Duration::MAX, Duration::MAX, 0);
    for _ in 0..repeat {
        a = a.min(fastest(paths, pool, 1, first).0);
        let (t, n) = fastest(paths, pool, 1, second);
        (b, bytes) = (b.min(t), n);
    }
    (a, b, bytes)
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("thread pool: {e}"))
}

fn main() {
    let o = options();
    let paths = photo_folder(&o.dir, o.photos)
        .unwrap_or_else(|e| panic!("writing the photos to {}: {e}", o.dir.display()));
    if o.generate_only {
        println!("{} photos in {}", paths.len(), o.dir.display());
        return;
    }
    let limits = DecodeLimits::default();
    let checker = Checker::new(
        Profile::built_in("chsi-diploma").unwrap_or_else(|e| panic!("built-in profile: {e}")),
    );
    // What `photolint scan` does per file: read, decode, check, and turn
    // the report into JSON; a file that fails to read counts as an error.
    let decode = |p: &Path| -> usize {
        photolint::read_file(p, limits)
            .ok()
            .and_then(|b| photolint::internals::decode(&b, limits).ok())
            .map_or(0, |i| std::hint::black_box(i.rgb).len())
    };
    let check = |p: &Path| -> usize {
        checker
            .check(p)
            .map(|c| c.report)
            .ok()
            .and_then(|r| serde_json::to_vec(&r).ok())
            .map_or(0, |j| std::hint::black_box(j).len())
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let one = pool(1);
    let all = pool(cores);
    // Untimed: the model is read and the files are in the page cache.
    fastest(&paths[..paths.len().min(20)], &one, 1, &check);
    fastest(&paths, &one, 1, &decode);
    let n = paths.len() as f64;
    let (d1, c1, json) = fastest_of_both(&paths, &one, o.repeat, &decode, &check);
    let (dn, cn, _) = fastest_of_both(&paths, &all, o.repeat, &decode, &check);
    let rate = |d: Duration| n / d.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / n;
    println!(
        "{} photos, 480x640 JPEG q{QUALITY}, fastest of {} passes",
        paths.len(),
        o.repeat
    );
    println!("{:<28} {:>12} {:>14}", "", "photos/s", "ms per photo");
    println!(
        "{:<28} {:>12.1} {:>14.3}",
        "decode only, 1 thread",
        rate(d1),
        ms(d1)
    );
    println!(
        "{:<28} {:>12.1} {:>14.3}",
        "full check, 1 thread",
        rate(c1),
        ms(c1)
    );
    println!(
        "{:<28} {:>12.1} {:>14.3}",
        format!("decode only, {cores} threads"),
        rate(dn),
        ms(dn)
    );
    println!(
        "{:<28} {:>12.1} {:>14.3}",
        format!("full check, {cores} threads"),
        rate(cn),
        ms(cn)
    );
    println!(
        "full check / decode only (1 thread): {:.2}x the time",
        c1.as_secs_f64() / d1.as_secs_f64()
    );
    println!(
        "full check, {cores} threads / 1 thread: {:.2}x the throughput",
        c1.as_secs_f64() / cn.as_secs_f64()
    );
    println!(
        "10,000 photos at {cores} threads: {:.1} s; JSON per pass: {json} bytes",
        10_000.0 / rate(cn)
    );

    // fix: what `photolint fix` does per file short of writing it.
    let fix = |p: &Path| -> usize {
        checker
            .fix(p)
            .map_or(0, |f| std::hint::black_box(f.bytes).len())
    };
    let (c, f, _) = fastest_of_both(&paths, &one, o.repeat, &check, &fix);
    println!(
        "fix / check over the folder (1 thread): {:.2}x the time ({:.3} vs {:.3} ms per photo)",
        f.as_secs_f64() / c.as_secs_f64(),
        ms(f),
        ms(c)
    );
    // A file's name and its bytes.
    type Named = (String, Vec<u8>);
    let mendable: Vec<Named> = photolint_testkit::raw_fixtures()
        .into_iter()
        .chain(
            photolint_testkit::framing_fixtures()
                .into_iter()
                .filter(|f| {
                    f.label.name.ends_with("face-small") || f.label.name.ends_with("eyes-low")
                }),
        )
        .chain(
            photolint_testkit::file_fixtures()
                .into_iter()
                .filter(|f| f.label.must_fire.iter().any(|c| c != "D006")),
        )
        .map(|f| (f.label.file_name, f.bytes))
        .collect();
    let timed = |work: &dyn Fn(&Named) -> bool| -> (Duration, usize) {
        let mut best = Duration::MAX;
        let mut ok = 0;
        for _ in 0..o.repeat {
            let start = Instant::now();
            ok = mendable.iter().filter(|x| work(x)).count();
            best = best.min(start.elapsed());
        }
        (best, ok)
    };
    let (tc, _) =
        timed(&|(name, bytes)| checker.check(photolint::Source::named(bytes, name)).is_ok());
    let (tf, fixed) = timed(&|(name, bytes)| {
        checker
            .fix(photolint::Source::named(bytes, name))
            .is_ok_and(|f| f.action == photolint::fix::Action::Fixed)
    });
    let m = mendable.len() as f64;
    println!(
        "fix / check on {} photos fix mends ({fixed} fixed, 1 thread): {:.2}x the time ({:.3} vs {:.3} ms per photo)",
        mendable.len(),
        tf.as_secs_f64() / tc.as_secs_f64(),
        tf.as_secs_f64() * 1e3 / m,
        tc.as_secs_f64() * 1e3 / m
    );
}
