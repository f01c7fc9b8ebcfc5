//! The files of a bulk run as the window uses them: the list read once (never
//! copied), and the report written atomically in the format its extension
//! names. The command line reads and writes the same way.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::list::{ListError, MAX_LIST_BYTES, MailboxList, parse};
use super::report::{self, Format};
use super::{Outcome, counts};
use crate::core::store::{self, StoreError};
use crate::i18n::{self, Localize};

/// Why a list could not be read or a report not written, with the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Io(StoreError),
    #[error("{path}: {error}")]
    List { path: PathBuf, error: ListError },
    #[error("{0}: a report is written as .html, .csv or .json")]
    ReportFormat(PathBuf),
}

impl Localize for FileError {
    fn localize(&self) -> String {
        match self {
            FileError::Io(error) => error.localize(),
            FileError::List { path, error } => {
                format!("{}: {}", path.display(), error.localize())
            }
            FileError::ReportFormat(path) => i18n::tr_args(
                "cli-bulk-report-format",
                &[("path", path.display().to_string())],
            ),
        }
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> FileError + '_ {
    move |source| {
        FileError::Io(StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Reads a list, refusing a file too big before reading it.
pub fn read_list(path: &Path) -> Result<MailboxList, FileError> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    let size = file.metadata().map_err(io(path))?.len();
    let list_error = |error| FileError::List {
        path: path.to_path_buf(),
        error,
    };
    if size > MAX_LIST_BYTES {
        return Err(list_error(ListError::TooBig {
            size,
            max: MAX_LIST_BYTES,
        }));
    }
    // One more byte than allowed: a file that grew since is still refused.
    let mut bytes = Vec::new();
    file.take(MAX_LIST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    parse(&bytes).map_err(list_error)
}

/// Writes the report in the format of the path's extension, atomically.
pub fn write_report(
    path: &Path,
    outcomes: &[Outcome],
    skipped: &[String],
) -> Result<(), FileError> {
    let format =
        Format::for_path(path).ok_or_else(|| FileError::ReportFormat(path.to_path_buf()))?;
    let text = match format {
        Format::Json => report::json(outcomes, skipped).to_string(),
        Format::Csv => report::csv(outcomes),
        Format::Html => report::html(outcomes, skipped),
    };
    store::atomic_write(path, text.as_bytes()).map_err(io(path))
}

/// The run as plain text for a ticket: the counts, then a line per row
/// (line, address, server, code, milliseconds), then the rows not checked.
pub fn text(outcomes: &[Outcome], skipped: &[String]) -> String {
    let mut out = String::new();
    for (code, count) in counts(outcomes) {
        out.push_str(&format!("{code}: {count}\n"));
    }
    let mut rows: Vec<&Outcome> = outcomes.iter().collect();
    rows.sort_by_key(|o| o.line);
    for o in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{} ms\n",
            o.line,
            o.address,
            o.server,
            o.code().as_str(),
            o.elapsed.as_millis()
        ));
    }
    for reason in skipped {
        out.push_str(reason);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::core::check::Report;

    fn outcome(line: usize, address: &str) -> Outcome {
        Outcome {
            line,
            address: address.to_owned(),
            server: "mx.example:587".to_owned(),
            report: Report::cancelled(Vec::new()),
            elapsed: Duration::from_millis(12),
        }
    }

    #[test]
    fn text_has_the_counts_then_the_rows_by_line_then_the_skipped() {
        let rows = [outcome(3, "b@example.org"), outcome(2, "a@example.org")];
        let text = text(&rows, &["line 4: no address".to_owned()]);
        assert_eq!(
            text,
            "cancelled: 2\n\
             2\ta@example.org\tmx.example:587\tcancelled\t12 ms\n\
             3\tb@example.org\tmx.example:587\tcancelled\t12 ms\n\
             line 4: no address\n"
        );
    }

    #[test]
    fn a_report_needs_a_known_extension_and_a_list_a_readable_file() {
        let dir = tempfile::tempdir().unwrap();
        let txt = dir.path().join("report.txt");
        assert!(matches!(
            write_report(&txt, &[], &[]),
            Err(FileError::ReportFormat(_))
        ));
        assert!(!txt.exists());
        let csv = dir.path().join("report.csv");
        write_report(&csv, &[outcome(2, "a@example.org")], &[]).unwrap();
        assert!(
            std::fs::read_to_string(&csv)
                .unwrap()
                .contains("a@example.org")
        );
        let missing = dir.path().join("missing.csv");
        assert!(matches!(read_list(&missing), Err(FileError::Io(_))));
        let big = dir.path().join("big.csv");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_LIST_BYTES + 1)
            .unwrap();
        assert!(matches!(
            read_list(&big),
            Err(FileError::List {
                error: ListError::TooBig { .. },
                ..
            })
        ));
    }
}
