//! Messages: one description of each finding, rendered in any language.
//!
//! A rule describes what it found as a `Text`: a message id, its English
//! template (beside the judging, in the rule's file) and named arguments.
//! Other languages are catalogues (`locales/<lang>.toml`) that map the same
//! ids to templates with the same `{name}` placeholders, and English terms
//! (directions, colour and body-part names, list separators) to their
//! translation. A third language is a third catalogue, not an edit of every
//! rule; a test checks that each catalogue covers every id and keeps its
//! placeholders.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A language photolint writes messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English: the templates in the code.
    En,
    /// Chinese (简体中文): `locales/zh.toml`.
    Zh,
}

/// One argument of a message.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    /// The same in every language: a number already formatted, a file name.
    Plain(String),
    /// An English term the catalogues translate (a direction, a colour).
    Term(Cow<'static, str>),
    /// Words that come with their own translations (a profile's colour names).
    Own { en: String, zh: String },
    /// Items joined by a separator term (e.g. `" or "`).
    List(Vec<Arg>, &'static str),
    /// A message inside a message (an optional fragment).
    Nested(Box<Text>),
}

/// A message: its id, its English template and its arguments.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    id: &'static str,
    en: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Text {
    /// The message `id` whose English is `en`.
    pub(crate) fn new(id: &'static str, en: &'static str) -> Text {
        Text {
            id,
            en,
            args: Vec::new(),
        }
    }

    /// The empty fragment.
    pub(crate) fn empty() -> Text {
        Text::new("", "")
    }

    /// Sets `{name}` to any argument.
    pub(crate) fn arg(mut self, name: &'static str, a: Arg) -> Text {
        self.args.push((name, a));
        self
    }

    /// Sets `{name}` to `v` with `decimals` digits after the point.
    pub(crate) fn num(self, name: &'static str, v: f64, decimals: usize) -> Text {
        self.arg(name, Arg::Plain(format!("{v:.decimals$}")))
    }

    /// Sets `{name}` to `v` with its sign and `decimals` digits.
    pub(crate) fn signed(self, name: &'static str, v: f64, decimals: usize) -> Text {
        self.arg(name, Arg::Plain(format!("{v:+.decimals$}")))
    }

    /// Sets `{name}` to text that reads the same in every language.
    pub(crate) fn plain(self, name: &'static str, v: impl ToString) -> Text {
        self.arg(name, Arg::Plain(v.to_string()))
    }

    /// Sets `{name}` to an English term the catalogues translate.
    pub(crate) fn term(self, name: &'static str, t: impl Into<Cow<'static, str>>) -> Text {
        self.arg(name, Arg::Term(t.into()))
    }

    /// Sets `{name}` to a nested message.
    pub(crate) fn nested(self, name: &'static str, t: Text) -> Text {
        self.arg(name, Arg::Nested(Box::new(t)))
    }

    /// The message in `lang`; English where a catalogue lacks the id.
    pub(crate) fn render(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::En => self.en,
            _ => catalogue(lang)
                .and_then(|c| c.messages.get(self.id))
                .map_or(self.en, String::as_str),
        };
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match self.args.iter().find(|(n, _)| *n == name) {
                        Some((_, a)) => out.push_str(&a.render(lang)),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl Arg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Plain(s) => s.clone(),
            Arg::Term(t) => term(lang, t).to_string(),
            Arg::Own { en, zh } => match lang {
                Lang::En => en.clone(),
                Lang::Zh => zh.clone(),
            },
            Arg::List(items, sep) => {
                let items: Vec<String> = items.iter().map(|a| a.render(lang)).collect();
                items.join(term(lang, sep))
            }
            Arg::Nested(t) => t.render(lang),
        }
    }
}

/// An English term in `lang` (itself where the catalogue lacks it).
pub fn term(lang: Lang, en: &str) -> &str {
    match lang {
        Lang::En => en,
        _ => catalogue(lang)
            .and_then(|c| c.terms.get(en))
            .map_or(en, String::as_str),
    }
}

/// A rule's documentation in `lang` (English where the catalogue lacks it).
pub(crate) fn doc(lang: Lang, code: &str, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        _ => catalogue(lang)
            .and_then(|c| c.docs.get(code))
            .map_or(en, String::as_str),
    }
}

/// A rule's short title in `lang`: the catalogue's, or the rule's name.
pub(crate) fn title(lang: Lang, code: &str, name: &'static str) -> &'static str {
    catalogue(lang)
        .and_then(|c| c.titles.get(code))
        .map_or(name, String::as_str)
}

/// `template` with `{profile}` replaced by the profile's name and each
/// `{dotted.key}` by that key's value in `profile`, said in `lang`.
pub(crate) fn fill_doc(template: &str, lang: Lang, profile: &crate::Profile) -> String {
    let value = toml::Value::try_from(profile).ok();
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let key = &rest[open + 1..open + len];
        if key == "profile" {
            out.push_str(&profile.name);
        } else {
            let mut v = value.as_ref();
            for part in key.split('.') {
                v = v.and_then(|x| x.get(part));
            }
            out.push_str(&match v {
                Some(v) => say_value(v, lang),
                None => match lang {
                    Lang::Zh => "未设定".to_string(),
                    _ => "not set".to_string(),
                },
            });
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A profile value as a reader wants it: `50-110` for a range, `60` for a
/// whole number, `jpg, jpeg` for a list, a colour by its name and RGB.
fn say_value(v: &toml::Value, lang: Lang) -> String {
    use toml::Value as V;
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    match v {
        V::Float(f) if f.fract() == 0.0 && f.abs() < 1e9 => format!("{}", *f as i64),
        V::Float(f) => format!("{f}"),
        V::Integer(i) => i.to_string(),
        V::String(s) => s.clone(),
        V::Boolean(b) => b.to_string(),
        V::Array(a) if a.len() == 2 && a.iter().all(|x| x.is_float() || x.is_integer()) => {
            format!("{}-{}", say_value(&a[0], lang), say_value(&a[1], lang))
        }
        V::Array(a) => a
            .iter()
            .map(|x| say_value(x, lang))
            .collect::<Vec<_>>()
            .join(if a.iter().all(V::is_table) {
                if lang == Lang::Zh {
                    "或"
                } else {
                    " or "
                }
            } else {
                sep
            }),
        V::Table(t) => {
            let name = t
                .get(if lang == Lang::Zh {
                    "name_zh"
                } else {
                    "name_en"
                })
                .and_then(V::as_str);
            match (name, t.get("rgb").and_then(V::as_array)) {
                (Some(name), Some(rgb)) => {
                    let rgb: Vec<String> = rgb.iter().map(|c| say_value(c, lang)).collect();
                    format!("{name} RGB {}", rgb.join(","))
                }
                _ => v.to_string(),
            }
        }
        V::Datetime(d) => d.to_string(),
    }
}

/// One language's catalogue.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Catalogue {
    /// Rule documentation by code.
    #[serde(default)]
    pub docs: HashMap<String, String>,
    /// Short rule titles by code (labels on the annotated photo).
    #[serde(default)]
    pub titles: HashMap<String, String>,
    /// Message templates by id.
    #[serde(default)]
    pub messages: HashMap<String, String>,
    /// Translations of English terms.
    #[serde(default)]
    pub terms: HashMap<String, String>,
}

/// The catalogue files, built in.
pub(crate) const CATALOGUES: &[(Lang, &str)] = &[(Lang::Zh, include_str!("../../locales/zh.toml"))];

/// The parsed catalogue of `lang` (none for English, the templates' own).
fn catalogue(lang: Lang) -> Option<&'static Catalogue> {
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    // A catalogue that does not parse is caught by the tests; at run time
    // the messages then stay English rather than fail a photo.
    let parse = |lang: Lang| {
        CATALOGUES
            .iter()
            .find(|(l, _)| *l == lang)
            .and_then(|(_, src)| toml::from_str(src).ok())
            .unwrap_or_default()
    };
    match lang {
        Lang::En => None,
        Lang::Zh => Some(ZH.get_or_init(|| parse(Lang::Zh))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files that write messages.
    const SOURCES: &[(&str, &str)] = &[
        ("framing.rs", include_str!("framing.rs")),
        ("background.rs", include_str!("background.rs")),
        ("clothing.rs", include_str!("clothing.rs")),
        ("light.rs", include_str!("light.rs")),
        ("face.rs", include_str!("face.rs")),
        ("file.rs", include_str!("file.rs")),
        ("naming.rs", include_str!("naming.rs")),
        ("../naming.rs", include_str!("../naming.rs")),
    ];

    fn placeholders(t: &str) -> Vec<String> {
        let re = regex::Regex::new(r"\{(\w+)\}").expect("valid pattern");
        let mut v: Vec<String> = re.captures_iter(t).map(|c| c[1].to_string()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Every catalogue parses, documents every rule, has every message id
    /// the rules use, with the English template's placeholders, and no id
    /// that no rule uses; every term passed as a literal is translated.
    #[test]
    fn catalogues_cover_every_message() {
        let new = regex::Regex::new(r#"Text::new\(\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)""#)
            .expect("valid pattern");
        let term = regex::Regex::new(r#"\.term\(\s*"\w+",\s*"([^"]+)"\)"#).expect("valid");
        let mut ids = std::collections::BTreeMap::new();
        let mut terms = Vec::new();
        for (file, src) in SOURCES {
            for c in new.captures_iter(src) {
                let previous = ids.insert(c[1].to_string(), c[2].to_string());
                assert!(
                    previous.is_none_or(|p| p == c[2]),
                    "{file}: id {} has two English templates",
                    &c[1]
                );
            }
            terms.extend(term.captures_iter(src).map(|c| c[1].to_string()));
        }
        assert!(ids.len() > 40, "only {} message ids found", ids.len());
        for (lang, src) in CATALOGUES {
            let cat: Catalogue = toml::from_str(src).expect("catalogue parses");
            for r in crate::rules::ALL {
                assert!(
                    cat.docs.contains_key(r.code),
                    "{lang:?}: no doc for {}",
                    r.code
                );
            }
            for (id, en) in &ids {
                let t = cat
                    .messages
                    .get(id)
                    .unwrap_or_else(|| panic!("{lang:?}: no message {id}"));
                assert_eq!(placeholders(t), placeholders(en), "{lang:?}: {id}");
            }
            for id in cat.messages.keys() {
                assert!(ids.contains_key(id), "{lang:?}: message {id} is not used");
            }
            for t in &terms {
                assert!(cat.terms.contains_key(t), "{lang:?}: term {t:?}");
            }
        }
    }

    /// Rendering fills placeholders, keeps unknown ones, nests and lists.
    #[test]
    fn templates_render() {
        let t = Text::new("test", "{a} and {b} {missing}")
            .num("a", 1.25, 1)
            .arg(
                "b",
                Arg::List(
                    vec![Arg::Term("blue".into()), Arg::Term("green".into())],
                    " or ",
                ),
            );
        assert_eq!(t.render(Lang::En), "1.2 and blue or green {missing}");
        // No Chinese template for "test": English, with Chinese terms.
        assert_eq!(t.render(Lang::Zh), "1.2 and 蓝色或绿色 {missing}");
        let outer = Text::new("test", "x{inner}y").nested("inner", Text::empty());
        assert_eq!(outer.render(Lang::En), "xy");
    }
}
