//! The file name: a profile's naming rule (a resident ID number or a
//! regular expression).

use super::text::{Arg, Text};
use super::{Ctx, Found, RuleInfo};
use crate::decode::FileFacts;
use crate::profile::Naming;
use crate::report::{Severity, Unit};

/// File name.
pub const FILE_NAME: RuleInfo = RuleInfo {
    code: "N001",
    name: "file-name",
    severity: Severity::Error,
    doc_en: "The file name (without extension) must follow the profile's naming rule: an 18-character resident ID number (GB 11643: a known province code, a valid birth date and the MOD 11-2 check character) or a regular expression. Graduate offices that collect photos named by ID number use it to catch typing errors before the upload. Off unless the profile sets naming.rule.",
    keys: &["naming.rule", "naming.pattern"],
};

pub(super) fn judge(cx: &mut Ctx, f: &FileFacts) {
    let Some(name) = f.file_name.as_deref() else {
        return;
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let problem = match &cx.profile.naming {
        Naming::None => None,
        Naming::ResidentId => crate::naming::resident_id_problem(stem),
        Naming::Regex { pattern } => match compiled(pattern) {
            Ok(re) if re.is_match(stem) => None,
            Ok(_) => Some(
                Text::new(
                    "N001.pattern",
                    "does not match the naming pattern {pattern}",
                )
                .plain("pattern", pattern),
            ),
            Err(_) => Some(Text::new(
                "N001.invalid",
                "cannot be checked: the profile's naming pattern is invalid",
            )),
        },
    };
    if let Some(problem) = problem {
        // English quotes the name as Rust does ("name"); Chinese uses “name”.
        let quoted = Arg::Own {
            en: format!("{stem:?}"),
            zh: format!("“{stem}”"),
        };
        let text = Text::new("N001", "file name {stem} {problem}")
            .arg("stem", quoted)
            .nested("problem", problem);
        cx.push(Found::new(&FILE_NAME, text, Unit::Name));
    }
}

/// The naming pattern, anchored and compiled once per process (a batch
/// checks thousands of names against the same one).
fn compiled(pattern: &str) -> Result<regex::Regex, regex::Error> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, regex::Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::Regex::new(&format!("^(?:{pattern})$"))?;
    if let Ok(mut c) = cache.lock() {
        c.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}
