//! A bulk run's report as JSON, CSV or one self-contained HTML page: per row
//! its line, address, server, code and time, with the counts per code. The
//! check reports inside are the engine's own (their transcripts redacted
//! before they were recorded); no password is in a row's outcome at all. The
//! HTML page shows each row as the single check's page does (`check::html`).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use super::{Outcome, counts};
use crate::core::check::html::{self, escape};
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
/// its diagnosis, hint, steps, server facts and redacted transcript (the
/// single check's page parts, `check::html::section`).
pub fn html(outcomes: &[Outcome], skipped: &[String]) -> String {
    let mut page = String::new();
    let title = i18n::tr("bulk-report-title");
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title>\
         <style>{}</style></head><body><h1>{}</h1><table><tr><th>{}</th><th>{}</th></tr>",
        escape(&i18n::current()),
        escape(&title),
        html::STYLE,
        escape(&title),
        escape(&i18n::tr("bulk-report-code")),
        escape(&i18n::tr("bulk-report-count")),
    );
    for (code, count) in counts(outcomes) {
        let _ = write!(
            page,
            "<tr><td><code>{}</code></td><td class=\"ms\">{count}</td></tr>",
            escape(code)
        );
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
    // A line per row first, each leading to its section: the list at a glance.
    let _ = write!(
        page,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(&i18n::tr("bulk-report-rows")),
        escape(&i18n::tr("bulk-column-line")),
        escape(&i18n::tr("bulk-column-address")),
        escape(&i18n::tr("bulk-column-server")),
        escape(&i18n::tr("bulk-column-code")),
        escape(&i18n::tr("bulk-column-time")),
    );
    for o in by_line(outcomes) {
        let class = if o.report.ok() { "ok" } else { "failed" };
        let _ = write!(
            page,
            "<tr><td class=\"ms\">{}</td><td><a href=\"#line-{}\">{}</a></td><td>{}</td>\
             <td class=\"mark {class}\"><code>{}</code></td><td class=\"ms\">{}</td></tr>",
            o.line,
            o.line,
            escape(&o.address),
            escape(&o.server),
            escape(o.code().as_str()),
            escape(&html::millis(o.elapsed.as_millis() as u64)),
        );
    }
    page.push_str("</table>");
    for o in by_line(outcomes) {
        let _ = write!(
            page,
            "<h2 id=\"line-{}\">{} <small>({}, {} {}, {})</small></h2>",
            o.line,
            escape(&o.address),
            escape(&o.server),
            escape(&i18n::tr("bulk-report-line")),
            o.line,
            escape(&html::millis(o.elapsed.as_millis() as u64)),
        );
        html::section(&mut page, &o.report);
    }
    page.push_str("</body></html>\n");
    page
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
    fn formats_by_extension() {
        assert_eq!(Format::for_path(Path::new("r.HTML")), Some(Format::Html));
        assert_eq!(Format::for_path(Path::new("r.csv")), Some(Format::Csv));
        assert_eq!(Format::for_path(Path::new("r.json")), Some(Format::Json));
        assert_eq!(Format::for_path(Path::new("r.txt")), None);
    }
}
