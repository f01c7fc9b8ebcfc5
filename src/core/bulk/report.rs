//! A bulk run's report as JSON, CSV or one self-contained HTML page: per row
//! its line, address, server, code and time, with the counts per code. The
//! check reports inside are the engine's own (their transcripts redacted
//! before they were recorded); no password is in a row's outcome at all.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use super::{Outcome, counts};
use crate::i18n;

/// The formats a report is written in, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Html,
}

impl Format {
    pub fn for_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// The rows sorted by line, as every format lists them.
fn by_line(outcomes: &[Outcome]) -> Vec<&Outcome> {
    let mut rows: Vec<&Outcome> = outcomes.iter().collect();
    rows.sort_by_key(|o| o.line);
    rows
}

/// The whole run as JSON: `rows` (each with the check's own JSON under
/// `check`), `skipped` (rows that could not become a check) and `counts`.
pub fn json(outcomes: &[Outcome], skipped: &[String]) -> Value {
    let rows: Vec<Value> = by_line(outcomes)
        .into_iter()
        .map(|o| {
            json!({
                "line": o.line,
                "address": o.address,
                "server": o.server,
                "code": o.code().as_str(),
                "ok": o.report.ok(),
                "millis": o.elapsed.as_millis() as u64,
                "message": o.report.diagnosis.message(),
                "check": o.report.to_json(),
            })
        })
        .collect();
    json!({
        "rows": rows,
        "skipped": skipped,
        "counts": counts(outcomes),
    })
}

/// One CSV line per row (RFC 4180 quoting), header first.
pub fn csv(outcomes: &[Outcome]) -> String {
    let mut out = String::from("line,address,server,code,ok,millis,message\r\n");
    for o in by_line(outcomes) {
        let fields = [
            o.line.to_string(),
            o.address.clone(),
            o.server.clone(),
            o.code().as_str().to_owned(),
            o.report.ok().to_string(),
            o.elapsed.as_millis().to_string(),
            o.report.diagnosis.message(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(text: &str) -> String {
    // A leading = + - @ would be a formula to a spreadsheet: quote it as text.
    let formula = text.starts_with(['=', '+', '-', '@']);
    if formula || text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One HTML page that reads offline: the counts, then a section per row with
/// its steps, diagnosis, hint and redacted transcript.
pub fn html(outcomes: &[Outcome], skipped: &[String]) -> String {
    let mut page = String::new();
    let title = i18n::tr("bulk-report-title");
    let _ = write!(
        page,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #bbb;padding:.2em .5em;text-align:left}}\
         .ok{{color:#176a1f}}.bad{{color:#a11}}pre{{background:#f4f4f4;padding:.5em;overflow:auto}}\
         </style></head><body><h1>{}</h1><table><tr><th>{}</th><th>{}</th></tr>",
        escape(&title),
        escape(&title),
        escape(&i18n::tr("bulk-report-code")),
        escape(&i18n::tr("bulk-report-count")),
    );
    for (code, count) in counts(outcomes) {
        let _ = write!(page, "<tr><td>{}</td><td>{count}</td></tr>", escape(code));
    }
    page.push_str("</table>");
    if !skipped.is_empty() {
        let _ = write!(
            page,
            "<h2>{}</h2><ul>",
            escape(&i18n::tr("bulk-report-skipped"))
        );
        for reason in skipped {
            let _ = write!(page, "<li>{}</li>", escape(reason));
        }
        page.push_str("</ul>");
    }
    for o in by_line(outcomes) {
        let class = if o.report.ok() { "ok" } else { "bad" };
        let _ = write!(
            page,
            "<h2>{} <small>({}, {} {})</small></h2><p class=\"{class}\"><b>{}</b>: {}</p><p>{}</p><ol>",
            escape(&o.address),
            escape(&o.server),
            escape(&i18n::tr("bulk-report-line")),
            o.line,
            escape(o.code().as_str()),
            escape(&o.report.diagnosis.message()),
            escape(&o.report.diagnosis.hint()),
        );
        for step in &o.report.steps {
            let _ = write!(
                page,
                "<li>{} — {} ({} ms) {}</li>",
                escape(step.name.as_str()),
                escape(step.status.as_str()),
                step.elapsed_ms,
                escape(&step.detail),
            );
        }
        page.push_str("</ol><pre>");
        for line in &o.report.transcript {
            let _ = writeln!(page, "{}", escape(&line.text));
        }
        page.push_str("</pre>");
    }
    page.push_str("</body></html>\n");
    page
}

fn escape(text: &str) -> String {
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

    #[test]
    fn csv_quotes_separators_and_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "\"=cmd()\"");
    }

    #[test]
    fn html_escapes_what_a_server_says() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::for_path(Path::new("r.HTML")), Some(Format::Html));
        assert_eq!(Format::for_path(Path::new("r.csv")), Some(Format::Csv));
        assert_eq!(Format::for_path(Path::new("r.json")), Some(Format::Json));
        assert_eq!(Format::for_path(Path::new("r.txt")), None);
    }
}
