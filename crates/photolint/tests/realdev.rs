//! The real-photo development set (`../shared/realdev`, read in place):
//! the minimums photolint must hold on real photos of real people. None of
//! the compliant variants may fail, every fault code must be found on at
//! least 95 % of the variants that carry it, and no unedited photo may get
//! a finding its label forbids or miss one its label requires, but for the
//! failures listed in `KNOWN`, each with its reason, which the test prints
//! on every run. Skipped, loudly, where the set is absent (a clone without
//! `../shared`). The whole scorecard is written by
//! `cargo run --release -p photolint --example scorecard -- --real ../shared/realdev`.

#[path = "support/real.rs"]
mod real;

use photolint::{Checker, Profile};
use photolint_testkit::realdev::score_real;
use std::path::{Path, PathBuf};

/// Where the development set is, relative to the project root: it stays in
/// `../shared` (its licences do not cover copying it into the project).
fn realdev_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realdev")
}

/// Least recall of each fault code on the variants.
const MIN_RECALL: f64 = 0.95;

/// Labels photolint does not hold yet, each with its reason: printed on
/// every run, and the test fails as soon as one holds (take it off the list)
/// or anything else breaks. Compliant variants that fail are named by file;
/// `must_not` labels reported and `must` labels missed on the unedited
/// photos as `file: CODE`.
const KNOWN: &[(&str, &str)] = &[(
    "dlib__Tom_Cruise_avp_2014_4.jpg: HEAD_CROPPED",
    "F007 does not fire on a close-up whose crown is cut (F002 does)",
)];

/// Writes to the terminal even while the test harness captures output (it
/// captures the print macros, not the stderr handle): a skip or a known
/// failure must be seen without `--nocapture`.
fn loud(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

#[test]
fn real_photos_hold_their_labels() {
    let root = realdev_root();
    if !root.join("variants/labels.jsonl").is_file() {
        loud(&format!(
            "\n*** SKIPPED: the real-photo test found no development set at {} \
             (it lives in ../shared beside the project, not in the repository); \
             the real-photo minimums were NOT checked ***\n",
            root.display()
        ));
        return;
    }
    let checker = Checker::new(Profile::built_in("chsi-diploma").expect("profile"));
    let card = score_real(&root, &mut |p| real::judge(&checker, p)).expect("labels read");
    eprintln!("{}", card.markdown());
    let mut broken = Vec::new();
    let mut failing: Vec<String> = card.compliant_failures.clone();
    failing.extend(card.must_not_broken.iter().cloned());
    failing.extend(card.must_missed.iter().cloned());
    for f in &failing {
        match KNOWN.iter().find(|(k, _)| k == f) {
            Some((_, why)) => loud(&format!(
                "*** KNOWN real-photo failure, not yet fixed: {f}: {why}"
            )),
            None => broken.push(format!("fails: {f}")),
        }
    }
    for (k, _) in KNOWN {
        if !failing.iter().any(|f| f == k) {
            broken.push(format!("now holds, take it off KNOWN: {k}"));
        }
    }
    for (code, s) in &card.codes {
        if let Some(r) = s.recall() {
            if r < MIN_RECALL {
                broken.push(format!(
                    "{code}: recall {r:.3} ({} of {})",
                    s.found, s.positives
                ));
            }
        }
    }
    assert!(
        card.compliant >= 14,
        "{} compliant variants",
        card.compliant
    );
    assert!(card.photos >= 44, "{} photos", card.photos);
    assert!(
        broken.is_empty(),
        "real-photo minimums broken:\n{}",
        broken.join("\n")
    );
}
