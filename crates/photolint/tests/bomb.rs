//! A PNG whose header claims 100000 x 100000 pixels (30 GB decoded) and a
//! JPEG claiming 65500 x 65500 are refused from their headers, without
//! taking the memory they ask for. Alone in this test binary, so the
//! process's peak resident memory (VmHWM) is this test's. (The time it
//! takes is measured by `cargo bench -p photolint-benches --bench stages`,
//! "refuse ...".)

use photolint::{Checker, Error, Profile};

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn decompression_bombs_are_refused_from_the_header_without_taking_memory() {
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let bomb = photolint_testkit::bad::png_bomb();
    let huge = photolint_testkit::bad::generated()
        .into_iter()
        .find(|f| f.name == "huge-header.jpg")
        .expect("huge-header.jpg is generated");
    for _ in 0..10 {
        match checker.check(&bomb).map(|c| c.report) {
            Err(Error::TooLarge(m)) => assert!(m.contains("100000x100000"), "{m}"),
            other => panic!("the PNG bomb must be refused as too large, got {other:?}"),
        }
        match checker.check(&huge.bytes).map(|c| c.report) {
            Err(Error::TooLarge(m)) => assert!(m.contains("65500x65500"), "{m}"),
            other => panic!("the huge JPEG header must be refused as too large, got {other:?}"),
        }
    }
    match peak_rss_kb() {
        // The generator drew a 480x640 portrait to make the JPEG: a few MB.
        Some(kb) => {
            eprintln!("peak memory of the bomb test: {kb} KB");
            assert!(kb < 100 * 1024, "peak memory {kb} KB, over 100 MB")
        }
        None => eprintln!("SKIPPED: peak memory not measured (no /proc/self/status here)"),
    }
}
