//! Fuzz target: any bytes through the library's entry point,
//! `Checker::check` on bytes, with the default profile and decoder limits.
//! Every input must give a report or a typed error, never a panic, an
//! abort or a runaway allocation.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use photolint::{Checker, Profile};

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| match Profile::built_in("chsi-diploma") {
        Ok(p) => Checker::new(p),
        Err(e) => panic!("the built-in profile must load: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    // Both outcomes are fine; only a crash is a finding.
    let _ = checker().check(data).map(|c| c.report);
});
