//! Runs the default check on each photo given, `PHOTOLINT_REPEAT` times
//! (default 20), for a profiler: `valgrind --tool=callgrind
//! target/release/examples/profile testdata/examples/compliant.jpg`. The
//! model is compiled and one check run before the loop, so the profile's
//! `check_bytes` calls are the steady state of a batch.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repeat: usize = std::env::var("PHOTOLINT_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let checker = photolint::Checker::new(photolint::Profile::built_in("chsi-diploma")?);
    let photos = std::env::args()
        .skip(1)
        .map(std::fs::read)
        .collect::<Result<Vec<_>, _>>()?;
    for p in &photos {
        checker.check(p).map(|c| c.report)?;
    }
    let start = std::time::Instant::now();
    for _ in 0..repeat {
        for p in &photos {
            std::hint::black_box(checker.check(p).map(|c| c.report)?);
        }
    }
    let n = (repeat * photos.len()).max(1);
    eprintln!(
        "{n} checks, {:.2} ms each",
        start.elapsed().as_secs_f64() * 1e3 / n as f64
    );
    Ok(())
}
