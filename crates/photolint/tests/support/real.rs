//! photolint's results on the real-photo development set, for the
//! real-photo scorecard (`photolint_testkit::realdev`).

use std::path::Path;

use photolint::report::Severity;
use photolint::Checker;
use photolint_testkit::realdev::{Judged, Reported};

/// Checks one file the way the command line does.
pub fn judge(checker: &Checker, path: &Path) -> Judged {
    match checker.check(path).map(|c| c.report) {
        Ok(report) => Judged::Report(
            report
                .findings
                .iter()
                .map(|f| Reported {
                    code: f.code.clone(),
                    error: f.severity == Severity::Error,
                    value: f.value,
                    allowed: f.allowed,
                })
                .collect(),
        ),
        Err(e) => Judged::Unjudged(e.code().to_string()),
    }
}
