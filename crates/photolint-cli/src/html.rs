//! The HTML report: one self-contained page (pictures inline as `data:`
//! URIs, no fetches), written card by card as results come. The summary
//! is written last and shown first (CSS `order`); a few lines of script
//! filter the cards by rule and status and sort them.

use std::io::{self, Write};

use crate::batch::{Item, Outcome};
use crate::lang::Lang;
use crate::output::{status, xml_escape, Ctx, Sink, Status, Summary};

/// The HTML report being written.
pub struct Html<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
}

impl<'w> Html<'w> {
    /// A report written to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Html<'w> {
        Html {
            out,
            started: false,
        }
    }

    fn start(&mut self, cx: &Ctx) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let l = cx.lang;
        let title = format!(
            "photolint · {}",
            xml_escape(l.pick(&cx.profile.title_en, &cx.profile.title_zh))
        );
        let t = |en: &'static str, zh: &'static str| l.pick(en, zh);
        write!(
            self.out,
            r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f5f7;color:#222;display:flex;flex-direction:column}}
header{{order:0;padding:12px 20px;background:#223;color:#fff}} header h1{{margin:0;font-size:20px}}
#summary{{order:1;padding:8px 20px}} #controls{{order:2;padding:8px 20px;position:sticky;top:0;background:#f4f5f7;border-bottom:1px solid #ccd}}
#cards{{order:3;display:flex;flex-wrap:wrap;align-items:flex-start;gap:12px;padding:12px 20px}}
table{{border-collapse:collapse;background:#fff}} td,th{{padding:3px 10px;border-bottom:1px solid #e3e3e8;text-align:left}}
tr.rule{{cursor:pointer}} tr.rule:hover{{background:#eef}}
.card{{background:#fff;border-radius:6px;box-shadow:0 1px 3px #0002;padding:8px;display:flex;gap:8px;max-width:760px}}
.card.pass{{border-left:6px solid #27ae60}} .card.fail{{border-left:6px solid #e74c3c}} .card.error{{border-left:6px solid #7f8c8d}}
.card img{{display:block;border:1px solid #ddd;height:auto;align-self:flex-start}} .info{{min-width:220px;max-width:360px}}
.info h3{{font-size:13px;margin:0 0 4px;word-break:break-all}} .st{{font-weight:bold;margin:0 0 4px}}
.pass .st{{color:#27ae60}} .fail .st{{color:#e74c3c}} .error .st{{color:#7f8c8d}}
ul{{margin:0;padding-left:18px;font-size:13px}} li.warning{{color:#b9770e}} li.error{{color:#c0392b}}
.hidden{{display:none}}
</style></head><body>
<header><h1>{title}</h1><div>photolint {version} · {profile_label} {profile}</div></header>
<div id="controls">{rule_label} <select id="rule"><option value="">{all}</option></select>
 {status_label} <select id="status"><option value="">{all}</option><option value="fail">{fail}</option><option value="pass">{pass}</option><option value="error">{error}</option></select>
 {sort_label} <select id="sort"><option value="path">{by_path}</option><option value="n">{by_count}</option></select>
 <span id="shown"></span></div>
<main id="cards">
"#,
            lang = if l == Lang::Zh { "zh-CN" } else { "en" },
            version = env!("CARGO_PKG_VERSION"),
            profile_label = t("profile", "规格"),
            profile = xml_escape(&cx.profile.name),
            rule_label = t("Rule", "规则"),
            status_label = t("Status", "结果"),
            sort_label = t("Sort", "排序"),
            all = t("all", "全部"),
            fail = t("fail", "不合格"),
            pass = t("pass", "合格"),
            error = t("unreadable", "无法读取"),
            by_path = t("by path", "按路径"),
            by_count = t("by number of findings", "按问题数"),
        )
    }
}

impl Sink for Html<'_> {
    fn item(&mut self, item: &Item, cx: &Ctx) -> io::Result<()> {
        self.start(cx)?;
        let l = cx.lang;
        let st = status(item, cx.fail_on);
        let word = match st {
            Status::Pass => l.pick("PASS", "合格"),
            Status::Fail => l.pick("FAIL", "不合格"),
            Status::Error => l.pick("UNREADABLE", "无法读取"),
        };
        let path = xml_escape(&item.path);
        let (codes, pictures, list) = match &item.outcome {
            Outcome::Checked {
                report,
                thumbnail,
                annotated,
            } => {
                let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
                let mut pics = String::new();
                if let Some(t) = thumbnail {
                    pics.push_str(&format!(
                        "<img class=\"thumb\" src=\"{t}\" alt=\"{}\" width=\"120\">",
                        l.pick("photo", "照片")
                    ));
                }
                if let Some(a) = annotated {
                    pics.push_str(&format!(
                        "<img class=\"annot\" src=\"{a}\" alt=\"{}\" width=\"320\">",
                        l.pick("annotated photo", "标注图")
                    ));
                }
                let list: String = report
                    .findings
                    .iter()
                    .map(|f| {
                        let sev = match f.severity {
                            photolint::Severity::Error => "error",
                            photolint::Severity::Warning => "warning",
                        };
                        format!(
                            "<li class=\"{sev}\"><b>{}</b> {} — {}</li>",
                            f.code,
                            f.rule,
                            xml_escape(l.message(f))
                        )
                    })
                    .collect();
                (codes.join(" "), pics, list)
            }
            Outcome::Failed(photolint::ErrorInfo {
                code,
                message_en,
                message_zh,
            }) => (
                code.to_string(),
                String::new(),
                format!(
                    "<li class=\"error\"><b>{code}</b> {}</li>",
                    xml_escape(l.pick(message_en, message_zh))
                ),
            ),
        };
        let n = codes.split_whitespace().count();
        writeln!(
            self.out,
            "<article class=\"card {k}\" data-status=\"{k}\" data-codes=\"{codes}\" data-n=\"{n}\" data-path=\"{path}\">{pictures}<div class=\"info\"><h3>{path}</h3><p class=\"st\">{word}</p><ul>{list}</ul></div></article>",
            k = st.key(),
        )
    }

    fn finish(&mut self, sum: &Summary, cx: &Ctx) -> io::Result<()> {
        self.start(cx)?;
        let l = cx.lang;
        let mut rows = String::new();
        for (code, n) in sum.rules_in_rule_order() {
            let (name, doc) = photolint::rules::find(code).map_or(("", String::new()), |r| {
                (r.name, r.doc_for(l.into(), cx.profile))
            });
            rows.push_str(&format!(
                "<tr class=\"rule\" data-code=\"{code}\" title=\"{}\"><td><b>{code}</b></td><td>{name}</td><td>{n}</td></tr>",
                xml_escape(&doc)
            ));
        }
        for (code, n) in &sum.errors {
            rows.push_str(&format!(
                "<tr class=\"rule\" data-code=\"{code}\"><td><b>{code}</b></td><td>{}</td><td>{n}</td></tr>",
                l.pick("file could not be checked", "文件无法检查")
            ));
        }
        write!(
            self.out,
            r#"</main>
<section id="summary"><p><b>{files}</b> {files_label} · <b>{pass}</b> {pass_label} · <b>{fail}</b> {fail_label} · <b>{error}</b> {error_label}</p>
<table><thead><tr><th>{code_label}</th><th>{rule_label}</th><th>{photos_label}</th></tr></thead><tbody>{rows}</tbody></table></section>
<script>
(function(){{
var cards=Array.prototype.slice.call(document.querySelectorAll('#cards .card'));
var rule=document.getElementById('rule'),status=document.getElementById('status'),sort=document.getElementById('sort');
document.querySelectorAll('tr.rule').forEach(function(tr){{
 var o=document.createElement('option');o.value=tr.dataset.code;o.textContent=tr.dataset.code+' '+tr.children[1].textContent;rule.appendChild(o);
 tr.addEventListener('click',function(){{rule.value=tr.dataset.code;apply();}});
}});
function apply(){{
 var r=rule.value,s=status.value,shown=0;
 cards.forEach(function(c){{var ok=(!r||c.dataset.codes.split(' ').indexOf(r)>=0)&&(!s||c.dataset.status===s);c.classList.toggle('hidden',!ok);if(ok)shown++;}});
 var sorted=cards.slice().sort(function(a,b){{return sort.value==='n'?(b.dataset.n-a.dataset.n)||(a.dataset.path<b.dataset.path?-1:1):(a.dataset.path<b.dataset.path?-1:1);}});
 var box=document.getElementById('cards');sorted.forEach(function(c){{box.appendChild(c);}});
 document.getElementById('shown').textContent=shown+' / '+cards.length;
}}
[rule,status,sort].forEach(function(e){{e.addEventListener('change',apply);}});apply();
}})();
</script>
</body></html>
"#,
            files = sum.files,
            pass = sum.pass,
            fail = sum.fail,
            error = sum.error,
            files_label = l.pick("files", "个文件"),
            pass_label = l.pick("pass", "合格"),
            fail_label = l.pick("fail", "不合格"),
            error_label = l.pick("unreadable", "无法读取"),
            code_label = l.pick("Code", "代码"),
            rule_label = l.pick("Rule", "规则"),
            photos_label = l.pick("Photos", "照片数"),
        )?;
        self.out.flush()
    }
}
