//! `photolint explain`: what a rule checks, why, and the keys that tune it.

use std::process::ExitCode;

use photolint::Severity;

use crate::commands::profiles::key_value;
use crate::load_profile;
use crate::style::Paint;
use crate::usage_error;

pub(crate) fn explain(code: &str, profile: &str, paint: Paint) -> ExitCode {
    let profile = match load_profile(profile) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let rules: Vec<&photolint::rules::RuleInfo> = if code.eq_ignore_ascii_case("all") {
        photolint::rules::ALL.iter().collect()
    } else {
        match photolint::rules::find(code) {
            Some(r) => vec![r],
            None => return usage_error(format!("no rule {code:?} (try `photolint explain all`)")),
        }
    };
    for (i, r) in rules.iter().enumerate() {
        if i > 0 {
            out!("\n----\n");
        }
        let (sev_en, sev_zh) = match r.severity {
            Severity::Error => ("error (the photo fails)", "错误（照片不合格）"),
            Severity::Warning => (
                "warning (reported; the photo still passes)",
                "警告（提示问题，照片仍合格）",
            ),
        };
        out!(
            "{} {}",
            paint.severity(r.severity, r.code),
            paint.strong(r.name)
        );
        out!(
            "severity: {}\n严重程度：{}\n",
            paint.severity(r.severity, sev_en),
            paint.severity(r.severity, sev_zh)
        );
        out!(
            "{}\n\n{}\n",
            r.doc_for(photolint::Lang::En, &profile),
            r.doc_for(photolint::Lang::Zh, &profile)
        );
        let state = if profile.is_disabled(r.code) {
            " — switched off by disabled_rules / 已通过 disabled_rules 关闭"
        } else {
            ""
        };
        if r.keys.is_empty() {
            out!(
                "Profile keys / 规格参数 ({}){state}: none; the rule has no numbers to tune / 无可调参数",
                profile.name
            );
        } else {
            out!("Profile keys / 规格参数 ({}){state}:", profile.name);
            for k in r.keys {
                out!("  {k} = {}", key_value(&profile, k));
            }
        }
    }
    ExitCode::SUCCESS
}
