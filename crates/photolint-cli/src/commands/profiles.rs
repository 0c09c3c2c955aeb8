//! `photolint profiles`: the built-in profiles, listed or printed.

use std::process::ExitCode;

use photolint::Profile;

use crate::args::ProfilesAction;
use crate::style::Paint;
use crate::usage_error;

pub(crate) fn profiles(action: Option<ProfilesAction>, paint: Paint) -> ExitCode {
    match action.unwrap_or(ProfilesAction::List) {
        ProfilesAction::List => {
            for name in Profile::built_in_names() {
                match Profile::built_in(name) {
                    Ok(p) => {
                        let default = if name == photolint::profile::DEFAULT_PROFILE {
                            " (default)"
                        } else {
                            ""
                        };
                        out!(
                            "{} {}x{}{default}\n                 {}\n                 {}",
                            paint.strong(&format!("{name:<16}")),
                            p.reference_width,
                            p.reference_height,
                            p.title_en,
                            p.title_zh
                        );
                    }
                    Err(e) => return usage_error(e),
                }
            }
            ExitCode::SUCCESS
        }
        ProfilesAction::Show { name } => {
            if let Some(text) = Profile::built_in_source(&name) {
                out!("{}", text.trim_end());
                return ExitCode::SUCCESS;
            }
            match std::fs::read_to_string(&name) {
                Ok(text) => match Profile::from_toml(&text) {
                    Ok(_) => {
                        out!("{}", text.trim_end());
                        ExitCode::SUCCESS
                    }
                    Err(e) => usage_error(format!("{name}: {e}")),
                },
                Err(e) if std::path::Path::new(&name).exists() => {
                    usage_error(format!("{name}: {e}"))
                }
                Err(_) => usage_error(
                    crate::profile_arg::load(&name)
                        .err()
                        .unwrap_or_else(|| format!("{name}: cannot be read")),
                ),
            }
        }
    }
}

/// The value a dotted key (`framing.eye_y`) has in `profile`, as TOML.
pub(crate) fn key_value(profile: &Profile, key: &str) -> String {
    let Ok(value) = toml::Value::try_from(profile) else {
        return "?".into();
    };
    let mut v = Some(&value);
    for part in key.split('.') {
        v = v.and_then(|x| x.get(part));
    }
    v.map_or_else(|| "(not set / 未设定)".into(), toml::Value::to_string)
}
