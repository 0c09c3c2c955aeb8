//! The reports of `photolint fix`: one row per input (what was done, where
//! it went, why not), as text, JSON, JSON Lines, CSV, JUnit or a
//! self-contained HTML page showing each fixed photo before and after.

use serde::Serialize;

use crate::commands::fix::{FixFormat, FixOpts};
use crate::lang::Lang;
use crate::output::xml_escape;
use photolint::{Report, Verdict};

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Done {
    /// Fixed and written (or, in a dry run, to be written).
    Fixed,
    /// Already passing: copied as it is.
    Unchanged,
    /// Left unwritten, with the reason.
    Refused,
    /// Could not be read, or its output could not be written.
    Error,
}

/// One input's line in the report.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) path: String,
    pub(crate) action: Done,
    /// Where the photo was (or would be) written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) output: Option<String>,
    /// Why it was refused or failed: an R- or E-code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message_en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) before: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) after: Option<Verdict>,
    /// The rules the photo as given failed.
    pub(crate) before_errors: Vec<String>,
    /// The part of the photo used, photo pixels: x, y, width, height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) crop: Option<[f64; 4]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scale: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) quality: Option<u8>,
    pub(crate) dry_run: bool,
    /// The annotated photo before and, when fixed, after (HTML report
    /// only), as `data:` URIs.
    #[serde(skip)]
    pub(crate) pictures: Option<(Option<String>, Option<String>)>,
}

impl Row {
    pub(crate) fn new(path: String, action: Done, dry_run: bool) -> Row {
        Row {
            path,
            action,
            output: None,
            code: None,
            message_en: None,
            message_zh: None,
            before: None,
            after: None,
            before_errors: Vec::new(),
            crop: None,
            scale: None,
            quality: None,
            dry_run,
            pictures: None,
        }
    }

    pub(crate) fn because(mut self, code: &str, en: String, zh: String) -> Row {
        self.code = Some(code.into());
        self.message_en = Some(en);
        self.message_zh = Some(zh);
        self
    }

    /// The row of an input that could not be read or checked: the error's
    /// code and its words in both languages.
    pub(crate) fn failed(path: String, e: photolint::ErrorInfo, dry_run: bool) -> Row {
        Row::new(path, Done::Error, dry_run).because(e.code, e.message_en, e.message_zh)
    }

    pub(crate) fn with_before(mut self, r: &Report) -> Row {
        self.before = Some(r.verdict);
        self.before_errors = r
            .findings
            .iter()
            .filter(|f| f.severity == photolint::Severity::Error)
            .map(|f| f.code.clone())
            .collect();
        self
    }
}

/// How many inputs came to each end: fixed, unchanged, refused, errors.
pub(crate) fn counts(rows: &[Row]) -> [usize; 4] {
    let count = |d: Done| rows.iter().filter(|r| r.action == d).count();
    [
        count(Done::Fixed),
        count(Done::Unchanged),
        count(Done::Refused),
        count(Done::Error),
    ]
}

/// The report in `format`, or `None` for HTML, which [`HtmlReport`]
/// writes as the photos are done.
pub(crate) fn render(
    format: FixFormat,
    rows: &[Row],
    o: &FixOpts,
    profile: &photolint::Profile,
) -> serde_json::Result<Option<String>> {
    Ok(Some(match format {
        FixFormat::Json => serde_json::to_string_pretty(rows)? + "\n",
        FixFormat::Jsonl => rows
            .iter()
            .map(|r| serde_json::to_string(r).map(|s| s + "\n"))
            .collect::<serde_json::Result<String>>()?,
        FixFormat::Csv => csv_text(rows),
        FixFormat::Text => text_lines(rows, o, counts(rows)),
        FixFormat::Junit => junit(rows, o.lang, profile),
        FixFormat::Html => return Ok(None),
    }))
}

fn junit(rows: &[Row], l: Lang, profile: &photolint::Profile) -> String {
    let [_, _, refused, errors] = counts(rows);
    let class = xml_escape(&format!("photolint.fix.{}", profile.name));
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"photolint fix\" tests=\"{}\" failures=\"{refused}\" errors=\"{errors}\">\n",
        rows.len()
    );
    for r in rows {
        let name = xml_escape(&r.path);
        let why = xml_escape(l.pick(
            r.message_en.as_deref().unwrap_or(""),
            r.message_zh.as_deref().unwrap_or(""),
        ));
        let code = xml_escape(r.code.as_deref().unwrap_or(""));
        match r.action {
            Done::Fixed | Done::Unchanged => {
                let out = xml_escape(r.output.as_deref().unwrap_or(""));
                s.push_str(&format!(
                    "    <testcase classname=\"{class}\" name=\"{name}\">\n      <system-out>{} {out}</system-out>\n    </testcase>\n",
                    if r.action == Done::Fixed { "fixed" } else { "unchanged" }
                ));
            }
            Done::Refused => s.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <failure type=\"{code}\" message=\"{why}\">{why}</failure>\n    </testcase>\n"
            )),
            Done::Error => s.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <error type=\"{code}\" message=\"{why}\">{why}</error>\n    </testcase>\n"
            )),
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// The HTML report, written card by card as the photos are done (each card
/// holds two pictures, about 50 KB: a run of many thousands of photos must
/// not keep them all); the counts come last in the file and are shown
/// first (CSS `order`).
pub(crate) struct HtmlReport<'w> {
    out: Box<dyn std::io::Write + 'w>,
    lang: Lang,
}

impl<'w> HtmlReport<'w> {
    /// Writes the page's head to `out`.
    pub(crate) fn start(
        mut out: Box<dyn std::io::Write + 'w>,
        o: &FixOpts,
        profile: &photolint::Profile,
    ) -> std::io::Result<HtmlReport<'w>> {
        out.write_all(html_head(o, profile).as_bytes())?;
        Ok(HtmlReport { out, lang: o.lang })
    }

    /// Writes one input's card.
    pub(crate) fn card(&mut self, r: &Row) -> std::io::Result<()> {
        self.out.write_all(html_card(r, self.lang).as_bytes())
    }

    /// Writes the counts and closes the page.
    pub(crate) fn finish(mut self, rows: &[Row], o: &FixOpts) -> std::io::Result<()> {
        self.out.write_all(html_tail(rows, o).as_bytes())?;
        self.out.flush()
    }
}

fn html_head(o: &FixOpts, profile: &photolint::Profile) -> String {
    let l = o.lang;
    let t = |en: &'static str, zh: &'static str| l.pick(en, zh);
    let title = format!(
        "photolint fix · {}",
        xml_escape(l.pick(&profile.title_en, &profile.title_zh))
    );
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f5f7;color:#222;display:flex;flex-direction:column}}
header{{order:0;padding:12px 20px;background:#223;color:#fff}} header h1{{margin:0;font-size:20px}}
#summary{{order:1;padding:8px 20px}} main{{order:2;display:flex;flex-wrap:wrap;align-items:flex-start;gap:12px;padding:12px 20px}}
.card{{background:#fff;border-radius:6px;box-shadow:0 1px 3px #0002;padding:8px;max-width:560px}}
.fixed{{border-left:6px solid #2980b9}} .unchanged{{border-left:6px solid #27ae60}} .refused{{border-left:6px solid #e74c3c}} .error{{border-left:6px solid #7f8c8d}}
.pics{{display:flex;gap:8px}} figure{{margin:0}} figcaption{{font-size:12px;color:#555;text-align:center}}
img{{display:block;border:1px solid #ddd;height:auto}} h3{{font-size:13px;margin:0 0 4px;word-break:break-all}}
.st{{font-weight:bold;margin:4px 0}} .fixed .st{{color:#2980b9}} .unchanged .st{{color:#27ae60}} .refused .st{{color:#e74c3c}} .error .st{{color:#7f8c8d}}
p{{font-size:13px;margin:4px 0}}
</style></head><body>
<header><h1>{title}</h1><div>photolint {version} · {profile_label} {profile}{dry}</div></header>
<main>
"#,
        lang = if l == Lang::Zh { "zh-CN" } else { "en" },
        version = env!("CARGO_PKG_VERSION"),
        profile_label = t("profile", "规格"),
        profile = xml_escape(&profile.name),
        dry = if o.dry_run {
            t(" · dry run: nothing written", " · 试运行：未写入任何文件")
        } else {
            ""
        },
    )
}

fn html_card(r: &Row, l: Lang) -> String {
    let t = |en: &'static str, zh: &'static str| l.pick(en, zh);
    let (class, word) = match r.action {
        Done::Fixed => ("fixed", t("FIXED", "已修正")),
        Done::Unchanged => ("unchanged", t("ALREADY PASSES", "已合格")),
        Done::Refused => ("refused", t("REFUSED", "未修正")),
        Done::Error => ("error", t("ERROR", "错误")),
    };
    let mut pics = String::new();
    if let Some((before, after)) = &r.pictures {
        for (uri, caption) in [
            (before, t("before", "修正前")),
            (after, t("after", "修正后")),
        ] {
            if let Some(u) = uri {
                pics.push_str(&format!(
                    "<figure><img src=\"{u}\" width=\"240\" alt=\"{caption}\"><figcaption>{caption}</figcaption></figure>"
                ));
            }
        }
    }
    let mut info = String::new();
    if !r.before_errors.is_empty() {
        info.push_str(&format!(
            "<p>{} {}</p>",
            t("Faults before:", "修正前的问题："),
            xml_escape(&r.before_errors.join(" "))
        ));
    }
    if let Some(out) = &r.output {
        if matches!(r.action, Done::Fixed | Done::Unchanged) {
            info.push_str(&format!("<p>→ {}</p>", xml_escape(out)));
        }
    }
    if let (Some(sc), Some(q)) = (r.scale, r.quality) {
        info.push_str(&format!(
            "<p>{} {sc:.2} · {} {q}</p>",
            t("scale", "缩放"),
            t("JPEG quality", "JPEG 质量")
        ));
    }
    if let Some(code) = &r.code {
        let why = l.pick(
            r.message_en.as_deref().unwrap_or(""),
            r.message_zh.as_deref().unwrap_or(""),
        );
        info.push_str(&format!(
            "<p><b>{}</b> {}</p>",
            xml_escape(code),
            xml_escape(why)
        ));
    }
    format!(
        "<article class=\"card {class}\"><h3>{}</h3><p class=\"st\">{word}</p><div class=\"pics\">{pics}</div>{info}</article>\n",
        xml_escape(&r.path)
    )
}

fn html_tail(rows: &[Row], o: &FixOpts) -> String {
    let l = o.lang;
    let t = |en: &'static str, zh: &'static str| l.pick(en, zh);
    let [fixed, unchanged, refused, errors] = counts(rows);
    format!(
        "</main>\n<section id=\"summary\"><p><b>{n}</b> {photos} · <b>{fixed}</b> {fixed_label} · <b>{unchanged}</b> {unchanged_label} · <b>{refused}</b> {refused_label} · <b>{errors}</b> {errors_label}</p></section>\n</body></html>\n",
        n = rows.len(),
        photos = t("photos", "张照片"),
        fixed_label = t("fixed", "已修正"),
        unchanged_label = t("already passing", "已合格"),
        refused_label = t("refused", "未修正"),
        errors_label = t("errors", "错误"),
    )
}

fn csv_text(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "path",
        "action",
        "output",
        "code",
        "message_en",
        "message_zh",
        "before",
        "after",
        "before_errors",
        "scale",
        "quality",
        "dry_run",
    ]);
    let verdict = |v: Option<Verdict>| match v {
        Some(Verdict::Pass) => "pass",
        Some(Verdict::Fail) => "fail",
        None => "",
    };
    for r in rows {
        let action = match r.action {
            Done::Fixed => "fixed",
            Done::Unchanged => "unchanged",
            Done::Refused => "refused",
            Done::Error => "error",
        };
        let _ = w.write_record([
            r.path.as_str(),
            action,
            r.output.as_deref().unwrap_or(""),
            r.code.as_deref().unwrap_or(""),
            r.message_en.as_deref().unwrap_or(""),
            r.message_zh.as_deref().unwrap_or(""),
            verdict(r.before),
            verdict(r.after),
            &r.before_errors.join(" "),
            &r.scale.map(|s| format!("{s:.3}")).unwrap_or_default(),
            &r.quality.map(|q| q.to_string()).unwrap_or_default(),
            if r.dry_run { "true" } else { "false" },
        ]);
    }
    // UTF-8 with a byte-order mark, so that Excel reads the Chinese.
    let body = w.into_inner().unwrap_or_default();
    let mut out = String::from("\u{feff}");
    out.push_str(&String::from_utf8_lossy(&body));
    out
}

fn text_lines(
    rows: &[Row],
    o: &FixOpts,
    [fixed, unchanged, refused, errors]: [usize; 4],
) -> String {
    let l = o.lang;
    let p = o.paint;
    let mut s = String::new();
    for r in rows {
        let out = r.output.as_deref().unwrap_or("");
        let why = l.pick(
            r.message_en.as_deref().unwrap_or(""),
            r.message_zh.as_deref().unwrap_or(""),
        );
        let line = match r.action {
            Done::Fixed => {
                let verb = match (o.dry_run, l) {
                    (true, Lang::En) => "WOULD FIX",
                    (false, Lang::En) => "FIXED",
                    (true, Lang::Zh) => "将修正",
                    (false, Lang::Zh) => "已修正",
                };
                let how = match (r.scale, r.quality) {
                    (Some(sc), Some(q)) => format!(" (scale {sc:.2}, quality {q})"),
                    (Some(sc), None) => format!(" (scale {sc:.2})"),
                    _ => String::new(),
                };
                format!(
                    "{}: {} {} -> {out}{how}",
                    r.path,
                    p.pass(verb),
                    r.before_errors.join(" ")
                )
            }
            Done::Unchanged => format!(
                "{}: {} -> {out}",
                r.path,
                p.pass(l.pick("UNCHANGED (passes)", "无需修正（已合格）"))
            ),
            Done::Refused => format!(
                "{}: {} {}: {why}",
                r.path,
                p.fail(l.pick("REFUSED", "未修正")),
                r.code.as_deref().unwrap_or("")
            ),
            Done::Error => format!(
                "{}: {} {}: {why}",
                r.path,
                p.unreadable(l.pick("ERROR", "错误")),
                r.code.as_deref().unwrap_or("")
            ),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str(&match (l, o.dry_run) {
        (Lang::En, false) => format!(
            "{} photos: {fixed} fixed, {unchanged} already passing, {refused} refused, {errors} errors\n",
            rows.len()
        ),
        (Lang::En, true) => format!(
            "{} photos: {fixed} to fix, {unchanged} already passing, {refused} refused, {errors} errors (dry run: nothing written)\n",
            rows.len()
        ),
        (Lang::Zh, false) => format!(
            "共 {} 张：修正 {fixed}，已合格 {unchanged}，未修正 {refused}，错误 {errors}\n",
            rows.len()
        ),
        (Lang::Zh, true) => format!(
            "共 {} 张：将修正 {fixed}，已合格 {unchanged}，未修正 {refused}，错误 {errors}（试运行：未写入任何文件）\n",
            rows.len()
        ),
    });
    s
}
