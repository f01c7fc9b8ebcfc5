//! A bulk run's report as JSON, CSV or one self-contained HTML page: per row
//! its line, address, server, code and time, with the counts per code. JSON
//! and HTML are written row by row as rows end, so a run holds no finished
//! row's transcript; the CSV needs only each row's [`Summary`]. The
//! check reports inside are the engine's own (their transcripts redacted
//! before they were recorded); no password is in a row's outcome at all. The
//! HTML page shows each row as the single check's page does (`check::html`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::{Outcome, Skipped};
use crate::core::check::Code;
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

/// What a finished row leaves once its whole report has been written: its
/// code and the few facts the counts, the CSV and the command's summary need.
/// A run of 10 000 rows keeps these, not 10 000 transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub line: usize,
    pub address: String,
    pub server: String,
    pub code: Code,
    pub ok: bool,
    pub millis: u64,
    pub paused_ms: u64,
    pub message: String,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        Summary {
            line: outcome.line,
            address: outcome.address.clone(),
            server: outcome.server.clone(),
            code: outcome.code(),
            ok: outcome.report.ok(),
            millis: outcome.elapsed.as_millis() as u64,
            paused_ms: outcome.paused.as_millis() as u64,
            message: outcome.report.diagnosis.message(),
        }
    }
}

/// One row as JSON, with the check's own JSON under `check`.
pub fn row_json(o: &Outcome) -> Value {
    json!({
        "line": o.line,
        "address": o.address,
        "server": o.server,
        "code": o.code().as_str(),
        "ok": o.report.ok(),
        "millis": o.elapsed.as_millis() as u64,
        "paused_ms": o.paused.as_millis() as u64,
        "message": o.report.diagnosis.message(),
        "check": o.report.to_json(),
    })
}

fn skipped_json(skipped: &[Skipped]) -> Value {
    skipped
        .iter()
        .map(|s| json!({ "line": s.line, "reason": s.reason }))
        .collect()
}

/// The run as JSON, written as it goes: `rows` (one a line, in the order
/// they ended; each row's `line` says where it was in the list), then
/// `skipped` (each with its `line` and `reason`) and `counts`. Nothing of a
/// row stays here once it is written.
pub struct JsonRows<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonRows<W> {
    pub fn start(mut out: W) -> io::Result<JsonRows<W>> {
        out.write_all(b"{\"rows\": [")?;
        Ok(JsonRows { out, first: true })
    }

    pub fn row(&mut self, outcome: &Outcome) -> io::Result<()> {
        // One write a row: the writer may flush each (standard output does).
        let mut text = if self.first {
            b"\n".to_vec()
        } else {
            b",\n".to_vec()
        };
        serde_json::to_writer(&mut text, &row_json(outcome))?;
        self.first = false;
        self.out.write_all(&text)
    }

    pub fn finish(
        mut self,
        skipped: &[Skipped],
        counts: &BTreeMap<&'static str, usize>,
    ) -> io::Result<W> {
        let mut text = b"\n],\n\"skipped\": ".to_vec();
        serde_json::to_writer(&mut text, &skipped_json(skipped))?;
        text.extend_from_slice(b",\n\"counts\": ");
        serde_json::to_writer(&mut text, counts)?;
        text.extend_from_slice(b"}\n");
        self.out.write_all(&text)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One CSV line per row by line (RFC 4180 quoting), header first, then a
/// line per skipped row: its line, code `skipped` and the reason as message.
pub fn csv(summaries: &[Summary], skipped: &[Skipped]) -> String {
    let mut out = String::from("line,address,server,code,ok,millis,message\r\n");
    let rows = by_line(summaries);
    let mut push = |fields: [String; 7]| {
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    for s in rows {
        push([
            s.line.to_string(),
            s.address.clone(),
            s.server.clone(),
            s.code.as_str().to_owned(),
            s.ok.to_string(),
            s.millis.to_string(),
            s.message.clone(),
        ]);
    }
    for s in skipped {
        push([
            s.line.map(|l| l.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            "skipped".to_owned(),
            "false".to_owned(),
            String::new(),
            s.reason.clone(),
        ]);
    }
    out
}

/// The summaries in the order of their lines, borrowed.
fn by_line(summaries: &[Summary]) -> Vec<&Summary> {
    let mut rows: Vec<&Summary> = summaries.iter().collect();
    rows.sort_by_key(|s| s.line);
    rows
}

/// One CSV field (RFC 4180), a spreadsheet formula quoted as text.
pub(crate) fn csv_field(text: &str) -> String {
    // A leading = + - @ would be a formula to a spreadsheet: quote it as text.
    let formula = text.starts_with(['=', '+', '-', '@']);
    if formula || text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One HTML page that reads offline: the counts, the skipped rows, a line
/// per row (by line number, each leading to its section), then a section per
/// row with its diagnosis, hint, steps, server facts and redacted transcript
/// (the single check's page parts, `check::html::section`). The sections go
/// to a temporary file as rows end (the counts and the row list come first on
/// the page but are known last), and are copied after the head at the end;
/// the row list comes from the [`Summary`]s the caller keeps anyway.
pub struct HtmlRows<F: Read + Write + Seek> {
    sections: io::BufWriter<F>,
}

impl<F: Read + Write + Seek> HtmlRows<F> {
    /// `sections`: an empty file the sections wait in.
    pub fn start(sections: F) -> HtmlRows<F> {
        HtmlRows {
            sections: io::BufWriter::new(sections),
        }
    }

    pub fn row(&mut self, outcome: &Outcome) -> io::Result<()> {
        self.sections.write_all(html_section(outcome).as_bytes())
    }

    /// Writes the page to `out`: `summaries` (one for each row written, in
    /// any order) make the row list.
    pub fn finish(
        self,
        out: &mut impl Write,
        summaries: &[Summary],
        counts: &BTreeMap<&'static str, usize>,
        skipped: &[Skipped],
    ) -> io::Result<()> {
        out.write_all(html_head(counts, skipped, &by_line(summaries)).as_bytes())?;
        let mut sections = self.sections.into_inner().map_err(|e| e.into_error())?;
        sections.seek(SeekFrom::Start(0))?;
        io::copy(&mut sections, out)?;
        out.write_all(b"</body></html>\n")
    }
}

fn html_head(
    counts: &BTreeMap<&'static str, usize>,
    skipped: &[Skipped],
    rows: &[&Summary],
) -> String {
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
    for (code, count) in counts {
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
        for skipped in skipped {
            let _ = write!(page, "<li>{}</li>", escape(&skipped.reason));
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
    for row in rows {
        let class = if row.ok { "ok" } else { "failed" };
        let _ = write!(
            page,
            "<tr><td class=\"ms\">{}</td><td><a href=\"#line-{}\">{}</a></td><td>{}</td>\
             <td class=\"mark {class}\"><code>{}</code></td><td class=\"ms\">{}</td></tr>",
            row.line,
            row.line,
            escape(&row.address),
            escape(&row.server),
            escape(row.code.as_str()),
            escape(&html::millis(row.millis)),
        );
    }
    page.push_str("</table>");
    page
}

fn html_section(o: &Outcome) -> String {
    let mut page = String::new();
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

    fn summary(line: usize, code: Code, message: &str) -> Summary {
        Summary {
            line,
            address: format!("u{line}@example.org"),
            server: "mx.example:587".to_owned(),
            code,
            ok: code == Code::Ok,
            millis: 40,
            paused_ms: 0,
            message: message.to_owned(),
        }
    }

    #[test]
    fn csv_lists_rows_by_line_then_the_skipped_rows_with_line_and_reason() {
        let rows = [
            summary(3, Code::AuthFailed, "wrong password"),
            summary(2, Code::Ok, "fine"),
        ];
        let skipped = [
            Skipped {
                line: Some(4),
                reason: "line 4: port \"smtp\" is not a number".to_owned(),
            },
            Skipped::notice("the user directory is damaged".to_owned()),
        ];
        assert_eq!(
            csv(&rows, &skipped),
            "line,address,server,code,ok,millis,message\r\n\
             2,u2@example.org,mx.example:587,ok,true,40,fine\r\n\
             3,u3@example.org,mx.example:587,auth_failed,false,40,wrong password\r\n\
             4,,,skipped,false,,\"line 4: port \"\"smtp\"\" is not a number\"\r\n\
             ,,,skipped,false,,the user directory is damaged\r\n"
        );
    }

    #[test]
    fn streamed_json_is_one_document_with_rows_skipped_and_counts() {
        let outcome = Outcome {
            line: 7,
            address: "a@example.org".to_owned(),
            server: "mx.example:587".to_owned(),
            report: crate::core::check::Report::cancelled(Vec::new()),
            elapsed: std::time::Duration::from_millis(5),
            paused: std::time::Duration::from_millis(1500),
        };
        let mut rows = JsonRows::start(Vec::new()).unwrap();
        rows.row(&outcome).unwrap();
        rows.row(&outcome).unwrap();
        let skipped = [Skipped {
            line: Some(9),
            reason: "line 9: no address".to_owned(),
        }];
        let counts = super::super::counts([&outcome, &outcome]);
        let text = rows.finish(&skipped, &counts).unwrap();
        let value: Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(value["rows"].as_array().unwrap().len(), 2);
        assert_eq!(value["rows"][1]["line"], 7);
        assert_eq!(value["rows"][1]["paused_ms"], 1500);
        assert_eq!(value["skipped"][0]["line"], 9);
        assert_eq!(value["counts"]["cancelled"], 2);
        let empty = JsonRows::start(Vec::new())
            .unwrap()
            .finish(&[], &BTreeMap::new())
            .unwrap();
        let value: Value = serde_json::from_slice(&empty).unwrap();
        assert_eq!(value["rows"], json!([]));
    }

    #[test]
    fn html_lists_the_rows_by_line_from_the_summaries_then_their_sections() {
        let outcome = |line: usize| Outcome {
            line,
            address: format!("u{line}@example.org"),
            server: "mx.example:587".to_owned(),
            report: crate::core::check::Report::cancelled(Vec::new()),
            elapsed: std::time::Duration::from_millis(5),
            paused: std::time::Duration::ZERO,
        };
        let (late, early) = (outcome(5), outcome(2));
        let mut rows = HtmlRows::start(io::Cursor::new(Vec::new()));
        rows.row(&late).unwrap();
        rows.row(&early).unwrap();
        let summaries = [Summary::of(&late), Summary::of(&early)];
        let counts = super::super::counts([&late, &early]);
        let mut page = Vec::new();
        rows.finish(&mut page, &summaries, &counts, &[]).unwrap();
        let page = String::from_utf8(page).unwrap();
        let at = |needle: &str| {
            page.find(needle)
                .unwrap_or_else(|| panic!("{needle}: {page}"))
        };
        assert!(at("href=\"#line-2\"") < at("href=\"#line-5\""));
        assert!(at("href=\"#line-5\"") < at("id=\"line-5\""));
        assert!(
            at("id=\"line-5\"") < at("id=\"line-2\""),
            "sections as rows ended"
        );
        assert!(page.ends_with("</body></html>\n"));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::for_path(Path::new("r.HTML")), Some(Format::Html));
        assert_eq!(Format::for_path(Path::new("r.csv")), Some(Format::Csv));
        assert_eq!(Format::for_path(Path::new("r.json")), Some(Format::Json));
        assert_eq!(Format::for_path(Path::new("r.txt")), None);
    }
}
