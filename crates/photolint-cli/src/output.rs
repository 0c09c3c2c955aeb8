//! The reports a scan writes: a readable summary, JSON, JSON Lines, CSV,
//! JUnit XML and HTML. Every one is written as the results arrive (in path
//! order); none carries a time or a thread count, so the same photos give
//! the same bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use clap::ValueEnum;
use photolint::{ErrorInfo, Finding, Profile, Severity};
use serde_json::json;

use crate::batch::{Item, Outcome};
use crate::lang::Lang;
use crate::style::Paint;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Counts per rule, then the failing files with their findings.
    Text,
    /// One JSON document: every result, then the summary.
    Json,
    /// One JSON object per photo and line, written as results come.
    Jsonl,
    /// One row per photo and finding, UTF-8 with a byte-order mark (Excel).
    Csv,
    /// JUnit XML: one test case per photo.
    Junit,
    /// One self-contained HTML page with thumbnails and annotated photos.
    Html,
}

/// The `--report FORMAT=FILE` options of `scan` and `fix`, read.
pub fn report_specs(specs: &[String]) -> Result<Vec<(Format, std::path::PathBuf)>, String> {
    specs
        .iter()
        .map(|spec| {
            let (fmt, file) = spec
                .split_once('=')
                .ok_or_else(|| format!("--report {spec:?}: expected FORMAT=FILE"))?;
            let f = Format::from_str(fmt, true)
                .map_err(|_| format!("--report {spec:?}: unknown format {fmt:?}"))?;
            Ok((f, std::path::PathBuf::from(file)))
        })
        .collect()
}

/// What every report needs to know besides the results.
pub struct Ctx<'a> {
    /// Language of messages and headings.
    pub lang: Lang,
    /// The profile the photos were judged by.
    pub profile: &'a Profile,
    /// The least severity that fails a photo.
    pub fail_on: Severity,
}

/// How one file came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No finding at or above the fail-on severity.
    Pass,
    /// A finding at or above the fail-on severity, or a file that is no
    /// readable photo (damaged, empty, another format).
    Fail,
    /// The file could not be read at all.
    Error,
}

impl Status {
    /// `pass`, `fail` or `error`.
    pub fn key(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }

    fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Pass, Lang::En) => "PASS",
            (Status::Fail, Lang::En) => "FAIL",
            (Status::Error, Lang::En) => "ERROR",
            (Status::Pass, Lang::Zh) => "合格",
            (Status::Fail, Lang::Zh) => "不合格",
            (Status::Error, Lang::Zh) => "无法读取",
        }
    }
}

/// The status of `item` under `fail_on`.
pub fn status(item: &Item, fail_on: Severity) -> Status {
    match &item.outcome {
        Outcome::Checked { report, .. } => {
            if report.findings.iter().any(|f| f.severity >= fail_on) {
                Status::Fail
            } else {
                Status::Pass
            }
        }
        Outcome::Failed(_) => Status::Error,
    }
}

/// Counts over a whole scan.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Files with a result.
    pub files: u64,
    /// Passing photos.
    pub pass: u64,
    /// Failing photos.
    pub fail: u64,
    /// Files that could not be read.
    pub error: u64,
    /// Photos with a finding of each rule (any severity), by code.
    pub rules: BTreeMap<String, u64>,
    /// Files that could not be checked, by error code.
    pub errors: BTreeMap<String, u64>,
    /// Files found in the folders that are not images (by name or
    /// content), left out; the progress bar counts them, the rest does not.
    pub skipped: u64,
}

impl Summary {
    /// Counts one result.
    pub fn add(&mut self, item: &Item, fail_on: Severity) {
        self.files += 1;
        match status(item, fail_on) {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Error => self.error += 1,
        }
        match &item.outcome {
            Outcome::Checked { report, .. } => {
                let mut codes: Vec<&str> =
                    report.findings.iter().map(|f| f.code.as_str()).collect();
                codes.dedup();
                for c in codes {
                    *self.rules.entry(c.to_string()).or_default() += 1;
                }
            }
            Outcome::Failed(ErrorInfo { code, .. }) => {
                *self.errors.entry(code.to_string()).or_default() += 1;
            }
        }
    }

    /// The per-rule counts in the order of the rule list (framing,
    /// background, clothing, light, glare, file, naming).
    pub fn rules_in_rule_order(&self) -> Vec<(&String, &u64)> {
        let rank = |code: &str| {
            photolint::rules::ALL
                .iter()
                .position(|r| r.code == code)
                .unwrap_or(usize::MAX)
        };
        let mut v: Vec<(&String, &u64)> = self.rules.iter().collect();
        v.sort_by_key(|(c, _)| rank(c));
        v
    }

    fn to_json(&self) -> serde_json::Value {
        json!({
            "files": self.files,
            "pass": self.pass,
            "fail": self.fail,
            "error": self.error,
            "rules": self.rules,
            "errors": self.errors,
            "skipped": self.skipped,
        })
    }
}

/// A report being written.
pub trait Sink {
    /// Writes one result.
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()>;
    /// Writes what follows the results and flushes.
    fn finish(&mut self, summary: &Summary, cx: &Ctx) -> io::Result<()>;
}

/// A new report of `format` written to `out`; `paint` colours the text
/// report only.
pub fn sink<'w>(format: Format, out: Box<dyn Write + 'w>, paint: Paint) -> Box<dyn Sink + 'w> {
    match format {
        Format::Text => Box::new(Text {
            out,
            failing: Vec::new(),
            warned: Vec::new(),
            paint,
        }),
        Format::Json => Box::new(Json { out, first: true }),
        Format::Jsonl => Box::new(Jsonl { out }),
        Format::Csv => Box::new(Csv {
            out: None,
            raw: Some(out),
        }),
        Format::Junit => Box::new(Junit {
            out,
            cases: String::new(),
        }),
        Format::Html => Box::new(crate::html::Html::new(out)),
    }
}

/// The JSON object of one result (json and jsonl).
pub fn item_json(item: &Item, fail_on: Severity) -> serde_json::Value {
    let st = status(item, fail_on).key();
    match &item.outcome {
        Outcome::Checked { report, .. } => json!({
            "path": item.path,
            "status": st,
            "report": report,
        }),
        Outcome::Failed(info) => json!({
            "path": item.path,
            "status": st,
            "error": info,
        }),
    }
}

fn to_io(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

struct Text<'w> {
    out: Box<dyn Write + 'w>,
    /// The failing files' lines, printed after the counts.
    failing: Vec<String>,
    /// The passing files with warnings, printed after the failing ones.
    warned: Vec<String>,
    paint: Paint,
}

/// "N files: P pass, F fail, B could not be checked", in `lang`, the
/// counts coloured by `paint`.
pub fn counts_line(lang: Lang, paint: Paint, files: u64, [pass, fail, bad]: [u64; 3]) -> String {
    let (pass, fail, bad) = (
        paint.pass(&pass.to_string()),
        paint.fail(&fail.to_string()),
        paint.unreadable(&bad.to_string()),
    );
    match lang {
        Lang::En => format!("{files} files: {pass} pass, {fail} fail, {bad} could not be checked"),
        Lang::Zh => format!("共 {files} 个文件：合格 {pass}，不合格 {fail}，无法检查 {bad}"),
    }
}

/// `s` padded with spaces to `columns` terminal columns: a Chinese
/// character takes two.
pub fn pad(s: &str, columns: usize) -> String {
    let wide = |c: char| ('\u{2e80}'..='\u{ffdc}').contains(&c);
    let used: usize = s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(columns.saturating_sub(used)))
}

/// The lines the text report prints for one file (without its status line).
pub fn finding_lines(findings: &[Finding], lang: Lang, paint: Paint) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            // Padded before it is coloured: escape codes take no columns.
            let sev = pad(lang.severity(f.severity), 7);
            format!(
                "  {} {:<22} {} {}",
                paint.severity(f.severity, &f.code),
                f.rule,
                paint.severity(f.severity, &sev),
                lang.message(f)
            )
        })
        .collect()
}

impl Sink for Text<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        let st = status(item, cx.fail_on);
        let paint = self.paint;
        let word = match st {
            Status::Pass => paint.pass(st.word(cx.lang)),
            Status::Fail => paint.fail(st.word(cx.lang)),
            Status::Error => paint.unreadable(st.word(cx.lang)),
        };
        let mut s = format!("{}: {word}\n", paint.strong(&item.path));
        match &item.outcome {
            Outcome::Checked { report, .. } => {
                if report.findings.is_empty() {
                    return Ok(());
                }
                for l in finding_lines(&report.findings, cx.lang, paint) {
                    s.push_str(&l);
                    s.push('\n');
                }
            }
            Outcome::Failed(ErrorInfo {
                code,
                message_en,
                message_zh,
            }) => {
                s.push_str(&format!(
                    "  [{code}] {}\n",
                    cx.lang.pick(message_en, message_zh)
                ));
            }
        }
        if st == Status::Pass {
            self.warned.push(s);
        } else {
            self.failing.push(s);
        }
        Ok(())
    }

    fn finish(&mut self, sum: &Summary, cx: &Ctx) -> io::Result<()> {
        let o = &mut self.out;
        let p = cx.profile;
        let paint = self.paint;
        let (pass, fail, bad) = (
            paint.pass(&sum.pass.to_string()),
            paint.fail(&sum.fail.to_string()),
            paint.unreadable(&sum.error.to_string()),
        );
        match cx.lang {
            Lang::En => writeln!(
                o,
                "photolint: {} files, {pass} pass, {fail} fail, {bad} unreadable (profile {}: {})",
                sum.files, p.name, p.title_en
            )?,
            Lang::Zh => writeln!(
                o,
                "photolint：共 {} 个文件，合格 {pass}，不合格 {fail}，无法读取 {bad}（规格 {}：{}）",
                sum.files, p.name, p.title_zh
            )?,
        }
        if sum.skipped > 0 {
            match cx.lang {
                Lang::En => writeln!(
                    o,
                    "  and {} other file(s) in the folders, not images, left out",
                    sum.skipped
                )?,
                Lang::Zh => writeln!(o, "  另有 {} 个非图像文件未检查", sum.skipped)?,
            }
        }
        if !sum.rules.is_empty() || !sum.errors.is_empty() {
            writeln!(
                o,
                "\n{}",
                paint.strong(cx.lang.pick("Photos per rule:", "各规则涉及的照片数："))
            )?;
            for (code, n) in sum.rules_in_rule_order() {
                let (name, sev) = photolint::rules::find(code).map_or(("?", String::new()), |r| {
                    let word = pad(cx.lang.severity(r.severity), 7);
                    (r.name, paint.severity(r.severity, &word))
                });
                writeln!(o, "  {code} {name:<22} {sev} {n:>6}")?;
            }
            for (code, n) in &sum.errors {
                writeln!(
                    o,
                    "  {code:<27} {} {n:>6}",
                    pad(cx.lang.pick("file", "文件"), 7)
                )?;
            }
        }
        for (files, en, zh) in [
            (
                &self.failing,
                "Failing and unreadable files:",
                "不合格及无法读取的文件：",
            ),
            (
                &self.warned,
                "Passing files with warnings:",
                "合格但有警告的文件：",
            ),
        ] {
            if !files.is_empty() {
                writeln!(o, "\n{}", paint.strong(cx.lang.pick(en, zh)))?;
                for s in files {
                    o.write_all(s.as_bytes())?;
                }
            }
        }
        o.flush()
    }
}

struct Json<'w> {
    out: Box<dyn Write + 'w>,
    first: bool,
}

impl Json<'_> {
    /// Writes the header's fields and opens the results array, once.
    fn open(&mut self, cx: &Ctx) -> io::Result<()> {
        if !self.first {
            return Ok(());
        }
        self.first = false;
        let head = json!({
            "photolint": env!("CARGO_PKG_VERSION"),
            "profile": cx.profile.name,
            "fail_on": cx.fail_on,
        });
        let head = serde_json::to_string(&head).map_err(to_io)?;
        write!(self.out, "{},\"results\":[", head.trim_end_matches('}'))
    }
}

impl Sink for Json<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        let sep: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.open(cx)?;
        self.out.write_all(sep)?;
        serde_json::to_writer(&mut self.out, &item_json(item, cx.fail_on)).map_err(to_io)
    }

    fn finish(&mut self, sum: &Summary, cx: &Ctx) -> io::Result<()> {
        self.open(cx)?;
        let s = serde_json::to_string(&sum.to_json()).map_err(to_io)?;
        writeln!(self.out, "\n],\"summary\":{s}}}")?;
        self.out.flush()
    }
}

struct Jsonl<'w> {
    out: Box<dyn Write + 'w>,
}

impl Sink for Jsonl<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &item_json(item, cx.fail_on)).map_err(to_io)?;
        self.out.write_all(b"\n")?;
        // Written as results come: a reader sees each line at once.
        self.out.flush()
    }

    fn finish(&mut self, _: &Summary, _: &Ctx) -> io::Result<()> {
        self.out.flush()
    }
}

/// The CSV columns.
pub const CSV_HEADER: [&str; 10] = [
    "path",
    "status",
    "code",
    "rule",
    "severity",
    "message",
    "value",
    "allowed_min",
    "allowed_max",
    "unit",
];

struct Csv<'w> {
    out: Option<csv::Writer<Box<dyn Write + 'w>>>,
    raw: Option<Box<dyn Write + 'w>>,
}

impl<'w> Csv<'w> {
    fn writer(&mut self) -> io::Result<&mut csv::Writer<Box<dyn Write + 'w>>> {
        if let Some(mut raw) = self.raw.take() {
            // The byte-order mark makes Excel read the file as UTF-8.
            raw.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::Writer::from_writer(raw);
            w.write_record(CSV_HEADER)?;
            self.out = Some(w);
        }
        self.out
            .as_mut()
            .ok_or_else(|| io::Error::other("CSV writer gone"))
    }
}

fn num(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| format!("{v}"))
        .unwrap_or_default()
}

impl Sink for Csv<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        let st = status(item, cx.fail_on).key();
        let lang = cx.lang;
        let w = self.writer()?;
        match &item.outcome {
            Outcome::Checked { report, .. } if report.findings.is_empty() => {
                w.write_record([item.path.as_str(), st, "", "", "", "", "", "", "", ""])?;
            }
            Outcome::Checked { report, .. } => {
                for f in &report.findings {
                    let sev = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    w.write_record([
                        item.path.as_str(),
                        st,
                        &f.code,
                        &f.rule,
                        sev,
                        lang.message(f),
                        &num(f.value),
                        &num(f.allowed.map(|a| a[0])),
                        &num(f.allowed.map(|a| a[1])),
                        f.unit.as_str(),
                    ])?;
                }
            }
            Outcome::Failed(ErrorInfo {
                code,
                message_en,
                message_zh,
            }) => {
                w.write_record([
                    item.path.as_str(),
                    st,
                    code,
                    "",
                    "error",
                    lang.pick(message_en, message_zh),
                    "",
                    "",
                    "",
                    "",
                ])?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary, _: &Ctx) -> io::Result<()> {
        self.writer()?.flush()
    }
}

/// Escapes text for XML attribute values and element content; characters
/// XML 1.0 cannot carry (most control characters) become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML. The test cases are held until the end because the counts
/// come first in the file (a few hundred bytes a photo).
struct Junit<'w> {
    out: Box<dyn Write + 'w>,
    cases: String,
}

impl Sink for Junit<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        let class = xml_escape(&format!("photolint.{}", cx.profile.name));
        let name = xml_escape(&item.path);
        let c = &mut self.cases;
        c.push_str(&format!(
            "    <testcase classname=\"{class}\" name=\"{name}\""
        ));
        let lines = |fs: &[&Finding]| -> String {
            fs.iter()
                .map(|f| format!("{} {}: {}\n", f.code, f.rule, cx.lang.message(f)))
                .collect()
        };
        match &item.outcome {
            Outcome::Checked { report, .. } => {
                let (failing, other): (Vec<&Finding>, Vec<&Finding>) = report
                    .findings
                    .iter()
                    .partition(|f| f.severity >= cx.fail_on);
                if failing.is_empty() && other.is_empty() {
                    c.push_str("/>\n");
                    return Ok(());
                }
                c.push_str(">\n");
                if !failing.is_empty() {
                    let codes: Vec<&str> = failing.iter().map(|f| f.code.as_str()).collect();
                    c.push_str(&format!(
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                        // Every failing code, as the message names them all.
                        xml_escape(&codes.join(" ")),
                        xml_escape(&format!(
                            "{}: {}",
                            codes.join(" "),
                            cx.lang.message(failing[0])
                        )),
                        xml_escape(&lines(&failing))
                    ));
                }
                if !other.is_empty() {
                    c.push_str(&format!(
                        "      <system-out>{}</system-out>\n",
                        xml_escape(&lines(&other))
                    ));
                }
            }
            Outcome::Failed(ErrorInfo {
                code,
                message_en,
                message_zh,
            }) => {
                let msg = xml_escape(cx.lang.pick(message_en, message_zh));
                c.push_str(&format!(
                    ">\n      <error type=\"{code}\" message=\"{msg}\">{msg}</error>\n"
                ));
            }
        }
        c.push_str("    </testcase>\n");
        Ok(())
    }

    fn finish(&mut self, sum: &Summary, cx: &Ctx) -> io::Result<()> {
        let name = xml_escape(&format!("photolint {}", cx.profile.name));
        let o = &mut self.out;
        writeln!(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            o,
            "<testsuites name=\"photolint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            sum.files, sum.fail, sum.error
        )?;
        writeln!(
            o,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            sum.files, sum.fail, sum.error
        )?;
        o.write_all(self.cases.as_bytes())?;
        writeln!(o, "  </testsuite>\n</testsuites>")?;
        o.flush()
    }
}
