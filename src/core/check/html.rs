//! A check's report as one self-contained HTML page (no script, no fetched
//! file: it reads offline and in a ticket's attachment viewer): the diagnosis
//! with its hint, the steps, what the server told about itself and the
//! transcript. The transcript is redacted before it is recorded, so no
//! password can reach the page. A bulk run's page shows each row with
//! [`section`].

use std::fmt::Write as _;

use super::{Report, StepStatus, transcript};
use crate::i18n;

/// The page's style: readable at a ticket's width, printed too.
pub const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:70em;padding:0 1em;\
line-height:1.4;color:#222}\
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}\
h3{font-size:1.05em;margin:1em 0 .3em}\
table{border-collapse:collapse;margin:.3em 0}\
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f2f2f2}td.ms{text-align:right;white-space:nowrap}\
td.name,code{font-family:monospace,monospace;font-size:.9em}td.name,td.mark{white-space:nowrap}\
.facts th{font-weight:normal;color:#555;background:none;white-space:nowrap}\
.facts td{overflow-wrap:anywhere}\
.diagnosis{padding:.6em 1em;border-radius:4px;margin:.6em 0}\
.diagnosis.ok{background:#e6f4e6;border:1px solid #9c9}\
.diagnosis.bad{background:#fbe9e9;border:1px solid #d99}\
.diagnosis p{margin:.3em 0}code{background:#f2f2f2;padding:0 .2em}a{color:#1a4f9c}\
.ok .mark,.mark.ok{color:#176a1f}.mark.failed{color:#a11}.mark.warning{color:#8a5a00}\
.mark.skipped{color:#777}\
pre{background:#f4f4f4;padding:.6em;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9em}";

/// The whole page of one check: `title` as its heading (the profile or the
/// server checked), then [`section`].
pub fn page(title: &str, report: &Report) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\
         <style>{STYLE}</style></head><body><h1>{}</h1>",
        escape(&i18n::current()),
        escape(title),
        escape(title),
    );
    section(&mut page, report);
    page.push_str("</body></html>\n");
    page
}

/// One check's parts, appended to `page`: diagnosis and hint, the steps, the
/// server's facts and the transcript.
pub fn section(page: &mut String, report: &Report) {
    let diagnosis = &report.diagnosis;
    let class = if report.ok() { "ok" } else { "bad" };
    let _ = write!(
        page,
        "<div class=\"diagnosis {class}\"><p><b>{}</b> <code>{}</code></p>",
        escape(&diagnosis.message()),
        escape(diagnosis.code.as_str()),
    );
    if !report.ok() {
        let _ = write!(
            page,
            "<p>{}</p>",
            escape(&i18n::tr_args(
                "cli-check-hint",
                &[("hint", diagnosis.hint())]
            ))
        );
    }
    page.push_str("</div>");
    if !report.steps.is_empty() {
        let _ = write!(
            page,
            "<h3>{}</h3><table class=\"steps\">",
            escape(&i18n::tr("report-steps"))
        );
        for step in &report.steps {
            let status = step.status.as_str();
            let _ = write!(
                page,
                "<tr><td class=\"mark {status}\">{} {}</td><td class=\"name\">{}</td>\
                 <td class=\"ms\">{}</td><td>{}</td></tr>",
                mark(step.status),
                escape(&i18n::tr(&format!("check-status-{status}"))),
                escape(step.name.as_str()),
                escape(&millis(step.elapsed_ms)),
                escape(&step.detail),
            );
        }
        page.push_str("</table>");
    }
    let facts = report.server.labelled();
    if !facts.is_empty() {
        let _ = write!(
            page,
            "<h3>{}</h3><table class=\"facts\">",
            escape(&i18n::tr("check-show-facts"))
        );
        for (label, value) in facts {
            let _ = write!(
                page,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(&label),
                escape(&value)
            );
        }
        page.push_str("</table>");
    }
    if !report.transcript.is_empty() {
        let _ = write!(
            page,
            "<h3>{}</h3><pre>{}</pre>",
            escape(&i18n::tr("check-transcript")),
            escape(&transcript::render(&report.transcript)),
        );
    }
}

/// `12 ms` in the interface language (`12 мс`).
pub fn millis(ms: u64) -> String {
    i18n::tr_args("ms-value", &[("ms", ms.to_string())])
}

fn mark(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Ok => "✓",
        StepStatus::Warning => "!",
        StepStatus::Failed => "✗",
        StepStatus::Skipped => "–",
    }
}

/// Text made safe inside an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::check::{Code, Diagnosis};

    #[test]
    fn escapes_what_a_server_says() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn a_page_has_the_diagnosis_and_its_code() {
        let report = Report::not_started(Diagnosis::new(Code::Cancelled), Some("<b>".into()));
        let page = page("Outbound: check", &report);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<code>cancelled</code>"), "{page}");
        assert!(page.contains("&lt;b&gt;"), "{page}");
    }
}
