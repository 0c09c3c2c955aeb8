//! `photolint check`: a verdict per file, with what was measured.

use std::path::PathBuf;
use std::process::ExitCode;

use photolint::{Checker, Report, Severity};

use crate::args::CheckFormat;
use crate::lang::Lang;
use crate::style::Paint;
use crate::{batch, output};
use crate::{load_profile, usage_error};

pub(crate) fn check(
    files: &[PathBuf],
    profile: &str,
    limits: photolint::DecodeLimits,
    format: CheckFormat,
    lang: Lang,
    fail_on: Severity,
    paint: Paint,
) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let checker = Checker::new(profile).with_limits(limits);
    let mut failed = false;
    let mut unreadable = false;
    // Passing, failing and unjudged files, for the closing line.
    let mut counts = [0usize; 3];
    let mut json = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        if path.is_dir() {
            // A folder is the other command's job; say which.
            unreadable = true;
            counts[2] += 1;
            eprintln!(
                "photolint: {shown}: {}",
                lang.pick(
                    "is a folder; to check the photos in it use `photolint scan`",
                    "是文件夹；检查其中的照片请用 `photolint scan`"
                )
            );
            continue;
        }
        let result = batch::guarded(|| checker.check(path).map(|c| c.report))
            .unwrap_or_else(|message| Err(photolint::Error::Internal(message)));
        match result {
            Ok(report) => {
                let fails = report.findings.iter().any(|f| f.severity >= fail_on);
                failed |= fails;
                counts[usize::from(fails)] += 1;
                match format {
                    CheckFormat::Text => print_text(&shown, &report, lang, fail_on, paint),
                    CheckFormat::Json => {
                        json.push(serde_json::json!({"path": shown, "report": report}))
                    }
                }
            }
            Err(e) => {
                unreadable = true;
                counts[2] += 1;
                if let photolint::Error::Io { .. } = e {
                    // A file named on the command line that cannot be read is
                    // about the command, not a photo's result: stderr.
                    match lang {
                        Lang::En => eprintln!("photolint: [{}] {e}", e.code()),
                        Lang::Zh => {
                            eprintln!("photolint: {shown}: [{}] {}", e.code(), lang.error(&e))
                        }
                    }
                    if let CheckFormat::Text = format {
                        continue;
                    }
                }
                match format {
                    CheckFormat::Text => out!(
                        "{}: {} [{}] {}",
                        paint.strong(&shown),
                        paint.unreadable(lang.pick("ERROR", "无法检查")),
                        e.code(),
                        lang.error(&e)
                    ),
                    CheckFormat::Json => json.push(serde_json::json!({
                        "path": shown,
                        "error": e.info(),
                    })),
                }
            }
        }
    }
    match format {
        CheckFormat::Json => match serde_json::to_string_pretty(&json) {
            Ok(s) => out!("{s}"),
            Err(e) => return usage_error(e),
        },
        CheckFormat::Text if files.len() > 1 => {
            let [pass, fail, bad] = counts.map(|n| n as u64);
            let line = output::counts_line(lang, paint, files.len() as u64, [pass, fail, bad]);
            out!("\n{line}");
        }
        CheckFormat::Text => {}
    }
    if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(path: &str, r: &Report, lang: Lang, fail_on: Severity, paint: Paint) {
    let fails = r.findings.iter().any(|f| f.severity >= fail_on);
    let verdict = match (fails, lang) {
        (false, Lang::En) => paint.pass("PASS"),
        (true, Lang::En) => paint.fail("FAIL"),
        (false, Lang::Zh) => paint.pass("合格"),
        (true, Lang::Zh) => paint.fail("不合格"),
    };
    out!("{}: {verdict}", paint.strong(path));
    for line in output::finding_lines(&r.findings, lang, paint) {
        out!("{line}");
    }
    // Rules that could not be judged are said, never passed in silence.
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for u in &r.unjudged {
        let why = lang.pick(&u.reason_en, &u.reason_zh);
        match reasons.iter_mut().find(|(w, _)| *w == why) {
            Some((_, codes)) => codes.push(&u.code),
            None => reasons.push((why, vec![&u.code])),
        }
    }
    for (why, codes) in reasons {
        let line = match lang {
            Lang::En => format!("  not judged: {} ({why})", codes.join(", ")),
            Lang::Zh => format!("  未判定：{}（{why}）", codes.join("、")),
        };
        out!("{}", paint.quiet(&line));
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
        let line = match lang {
            Lang::En => format!(
                "  measured: crown {crown}, eyes {eyes:.0}, face width {width:.0}, centre x {centre:.0}, roll {roll:.1} deg ({} reference px)",
                r.profile
            ),
            Lang::Zh => format!(
                "  测量：头顶 {crown}，眼睛 {eyes:.0}，脸宽 {width:.0}，中心 x {centre:.0}，倾斜 {roll:.1} 度（{} 参考像素）",
                r.profile
            ),
        };
        out!("{}", paint.quiet(&line));
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
            top.join(lang.pick(", ", "，"))
        };
        let line = if lang == Lang::Zh {
            format!(
                "  颜色：背景{}（RGB {red},{green},{blue}，色差 {:.1}，渐变 {:.1}），衣物 {top}",
                b.colour.zh(),
                b.delta_e,
                b.gradient.max()
            )
        } else {
            format!(
                "  colour: background {} (RGB {red},{green},{blue}, delta E {:.1}, gradient {:.1}), clothing {top}",
                b.colour.en(),
                b.delta_e,
                b.gradient.max()
            )
        };
        out!("{}", paint.quiet(&line));
    }
}
