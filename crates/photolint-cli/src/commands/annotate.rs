//! `photolint annotate`: the photo with the bands, the face and the findings drawn on it.

use std::path::Path;
use std::process::ExitCode;

use photolint::{Checker, Verdict};

use crate::lang::Lang;
use crate::style::Paint;
use crate::{load_profile, usage_error};

pub(crate) fn annotate(
    file: &Path,
    out: &Path,
    profile: &str,
    limits: photolint::DecodeLimits,
    lang: Lang,
    paint: Paint,
) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    // The name says the format: a PNG written into a .jpg name is the very
    // mix-up rule D001 catches.
    let format = match out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .as_deref()
    {
        Some("png") => image::ImageFormat::Png,
        Some("jpg" | "jpeg") => image::ImageFormat::Jpeg,
        _ => {
            return usage_error(format!(
                "{}: the output's name must end in .png or .jpg (it sets the format)",
                out.display()
            ))
        }
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return usage_error(format!(
                "cannot write {}: the folder {} does not exist",
                out.display(),
                dir.display()
            ));
        }
    }
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
    let img = photolint::annotate::annotate(
        &checked.image,
        &checked.report,
        checker.profile(),
        lang.into(),
    );
    if let Err(e) = save(&img, out, format) {
        return usage_error(format!("cannot write {}: {e}", out.display()));
    }
    let codes: Vec<&str> = checked
        .report
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    out!(
        "{}: {} -> {}{}",
        paint.strong(&file.display().to_string()),
        match (checked.report.verdict == Verdict::Pass, lang) {
            (true, Lang::En) => paint.pass("PASS"),
            (false, Lang::En) => paint.fail("FAIL"),
            (true, Lang::Zh) => paint.pass("合格"),
            (false, Lang::Zh) => paint.fail("不合格"),
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

/// Writes the annotated photo as PNG, or as JPEG at quality 95 (the lines
/// and labels stay crisp).
fn save(img: &image::RgbImage, out: &Path, format: image::ImageFormat) -> image::ImageResult<()> {
    if format == image::ImageFormat::Jpeg {
        let file = std::io::BufWriter::new(std::fs::File::create(out)?);
        image::codecs::jpeg::JpegEncoder::new_with_quality(file, 95).encode_image(img)
    } else {
        img.save_with_format(out, format)
    }
}
