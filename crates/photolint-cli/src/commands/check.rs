//! `photolint check`: a verdict per file, with what was measured.

use std::path::PathBuf;
use std::process::ExitCode;

use photolint::{Checker, Report, Severity};

use crate::args::CheckFormat;
use crate::lang::Lang;
use crate::{batch, output};
use crate::{load_profile, usage_error};

pub(crate) fn check(
    files: &[PathBuf],
    profile: &str,
    limits: photolint::DecodeLimits,
    format: CheckFormat,
    lang: Lang,
    fail_on: Severity,
) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let checker = Checker::new(profile).with_limits(limits);
    let mut failed = false;
    let mut unreadable = false;
    let mut json = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let result = batch::guarded(|| checker.check(path).map(|c| c.report))
            .unwrap_or_else(|message| Err(photolint::Error::Internal(message)));
        match result {
            Ok(report) => {
                failed |= report.findings.iter().any(|f| f.severity >= fail_on);
                match format {
                    CheckFormat::Text => print_text(&shown, &report, lang, fail_on),
                    CheckFormat::Json => {
                        json.push(serde_json::json!({"path": shown, "report": report}))
                    }
                }
            }
            Err(e) => {
                unreadable = true;
                match format {
                    CheckFormat::Text => out!(
                        "{shown}: {} [{}] {}",
                        lang.pick("ERROR", "无法检查"),
                        e.code(),
                        lang.error(&e)
                    ),
                    CheckFormat::Json => json.push(serde_json::json!({
                        "path": shown,
                        "error": {"code": e.code(), "message_en": Lang::En.error(&e), "message_zh": Lang::Zh.error(&e)},
                    })),
                }
            }
        }
    }
    if let CheckFormat::Json = format {
        match serde_json::to_string_pretty(&json) {
            Ok(s) => out!("{s}"),
            Err(e) => return usage_error(e),
        }
    }
    if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(path: &str, r: &Report, lang: Lang, fail_on: Severity) {
    let fails = r.findings.iter().any(|f| f.severity >= fail_on);
    let verdict = match (fails, lang) {
        (false, Lang::En) => "PASS",
        (true, Lang::En) => "FAIL",
        (false, Lang::Zh) => "合格",
        (true, Lang::Zh) => "不合格",
    };
    out!("{path}: {verdict}");
    for line in output::finding_lines(&r.findings, lang) {
        out!("{line}");
    }
    if let Some(fr) = &r.measurements.framing {
        let crown = fr
            .crown_y
            .map(|c| format!("{:.0}", c.reference))
            .unwrap_or_else(|| "-".into());
        let (eyes, width, centre, roll) = (
            fr.eye_y.reference,
            fr.face_width.reference,
            fr.face_centre_x.reference,
            fr.roll_degrees,
        );
        match lang {
            Lang::En => out!(
                "  measured: crown {crown}, eyes {eyes:.0}, face width {width:.0}, centre x {centre:.0}, roll {roll:.1} deg ({} reference px)",
                r.profile
            ),
            Lang::Zh => out!(
                "  测量：头顶 {crown}，眼睛 {eyes:.0}，脸宽 {width:.0}，中心 x {centre:.0}，倾斜 {roll:.1} 度（{} 参考像素）",
                r.profile
            ),
        }
    }
    let m = &r.measurements;
    if let Some(b) = &m.background {
        let [red, green, blue] = b.mean_rgb;
        let top: Vec<String> = m
            .clothing
            .iter()
            .filter(|c| c.visible)
            .flat_map(|c| c.colours.iter().take(3))
            .map(|k| {
                let name = if lang == Lang::Zh {
                    k.name.zh()
                } else {
                    k.name.en()
                };
                format!("{name} {:.0}%", k.share * 100.0)
            })
            .collect();
        let top = if top.is_empty() {
            "-".to_string()
        } else {
            top.join(", ")
        };
        if lang == Lang::Zh {
            out!(
                "  颜色：背景{}（RGB {red},{green},{blue}，色差 {:.1}，渐变 {:.1}），衣物 {top}",
                b.colour.zh(),
                b.delta_e,
                b.gradient.max()
            );
        } else {
            out!(
                "  colour: background {} (RGB {red},{green},{blue}, delta E {:.1}, gradient {:.1}), clothing {top}",
                b.colour.en(),
                b.delta_e,
                b.gradient.max()
            );
        }
    }
}
