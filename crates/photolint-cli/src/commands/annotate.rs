//! `photolint annotate`: the photo with the bands, the face and the findings drawn on it.

use std::path::Path;
use std::process::ExitCode;

use photolint::{Checker, Verdict};

use crate::{load_profile, usage_error};

pub(crate) fn annotate(
    file: &Path,
    out: &Path,
    profile: &str,
    limits: photolint::DecodeLimits,
) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    if file
        .canonicalize()
        .ok()
        .is_some_and(|a| out.canonicalize().ok() == Some(a))
    {
        return usage_error("the output would overwrite the photo; choose another file");
    }
    let checker = Checker::new(profile).with_limits(limits);
    let checked = match checker.check(file) {
        Ok(c) => c,
        Err(e) => return usage_error(format!("{}: [{}] {e}", file.display(), e.code())),
    };
    let img = photolint::annotate::annotate(&checked.image, &checked.report, checker.profile());
    if let Err(e) = img.save_with_format(out, image::ImageFormat::Png) {
        return usage_error(format!("{}: {e}", out.display()));
    }
    let codes: Vec<&str> = checked
        .report
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    out!(
        "{}: {} -> {}{}",
        file.display(),
        if checked.report.verdict == Verdict::Pass {
            "PASS"
        } else {
            "FAIL"
        },
        out.display(),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", codes.join(", "))
        }
    );
    if checked.report.verdict == Verdict::Pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
