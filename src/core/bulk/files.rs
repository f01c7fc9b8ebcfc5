//! The files of a bulk run as the window uses them: the list read once (never
//! copied), and the report written atomically in the format its extension
//! names. The command line reads and writes the same way.

use std::io::{BufWriter, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::list::{ListError, MAX_LIST_BYTES, MailboxList, parse};
use super::report::{self, Format, HtmlRows, JsonRows, Summary};
use super::{Outcome, Skipped, count_codes, counts};
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

/// A report being written while its run goes: JSON and HTML rows go to disk
/// as they end, the file appears whole and at once when the run is done
/// (a temporary file beside it, renamed), private to the user.
pub struct ReportFile {
    path: PathBuf,
    body: Body,
}

enum Body {
    Json(JsonRows<BufWriter<Staged>>),
    Csv,
    Html(HtmlRows<Staged>),
}

impl ReportFile {
    /// Refuses an unknown extension and a folder it cannot write into now,
    /// before a run is spent.
    pub fn create(path: &Path) -> Result<ReportFile, FileError> {
        let format =
            Format::for_path(path).ok_or_else(|| FileError::ReportFormat(path.to_path_buf()))?;
        let body = match format {
            Format::Json => {
                Body::Json(JsonRows::start(BufWriter::new(staged(path)?)).map_err(io(path))?)
            }
            Format::Csv => {
                // Nothing written before the end; the folder is tried now.
                drop(staged(path)?);
                Body::Csv
            }
            // The sections wait in a second file beside it until the head is known.
            Format::Html => Body::Html(HtmlRows::start(staged(path)?)),
        };
        Ok(ReportFile {
            path: path.to_path_buf(),
            body,
        })
    }

    pub fn row(&mut self, outcome: &Outcome) -> Result<(), FileError> {
        let path = &self.path;
        match &mut self.body {
            Body::Json(rows) => rows.row(outcome).map_err(io(path)),
            Body::Csv => Ok(()),
            Body::Html(rows) => rows.row(outcome).map_err(io(path)),
        }
    }

    /// Ends the report with the counts and the skipped rows, and puts it in place.
    pub fn finish(self, summaries: &[Summary], skipped: &[Skipped]) -> Result<(), FileError> {
        let path = &self.path;
        let counts = count_codes(summaries.iter().map(|s| s.code));
        match self.body {
            Body::Json(rows) => {
                let file = rows
                    .finish(skipped, &counts)
                    .and_then(|out| out.into_inner().map_err(|e| e.into_error()))
                    .map_err(io(path))?;
                commit(file, path)
            }
            Body::Csv => store::atomic_write(path, report::csv(summaries, skipped).as_bytes())
                .map_err(io(path)),
            Body::Html(rows) => {
                let mut out = BufWriter::new(staged(path)?);
                rows.finish(&mut out, summaries, &counts, skipped)
                    .map_err(io(path))?;
                let file = out.into_inner().map_err(|e| io(path)(e.into_error()))?;
                commit(file, path)
            }
        }
    }
}

/// A private temporary file beside a report (the store's own staging, 0600),
/// removed unless it is committed.
pub struct Staged {
    temp: PathBuf,
    file: std::fs::File,
}

impl std::io::Write for Staged {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl std::io::Read for Staged {
    fn read(&mut self, bytes: &mut [u8]) -> std::io::Result<usize> {
        self.file.read(bytes)
    }
}

impl std::io::Seek for Staged {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.file.seek(to)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Gone already when it was committed (renamed).
        let _ = std::fs::remove_file(&self.temp);
    }
}

fn staged(path: &Path) -> Result<Staged, FileError> {
    let temp = store::stage(path, b"").map_err(io(path))?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&temp);
    match file {
        Ok(file) => Ok(Staged { temp, file }),
        Err(error) => {
            let _ = std::fs::remove_file(&temp);
            Err(io(path)(error))
        }
    }
}

fn commit(staged: Staged, path: &Path) -> Result<(), FileError> {
    staged.file.sync_all().map_err(io(path))?;
    store::commit(&staged.temp, path).map_err(io(path))
}

/// Writes the report of a run kept whole (the window's), rows by line.
pub fn write_report(
    path: &Path,
    outcomes: &[Arc<Outcome>],
    skipped: &[Skipped],
) -> Result<(), FileError> {
    let mut report = ReportFile::create(path)?;
    let mut rows: Vec<&Outcome> = outcomes.iter().map(|o| &**o).collect();
    rows.sort_by_key(|o| o.line);
    for outcome in &rows {
        report.row(outcome)?;
    }
    let summaries: Vec<Summary> = rows.into_iter().map(Summary::of).collect();
    report.finish(&summaries, skipped)
}

/// The run as plain text for a ticket: the counts, then a line per row
/// (line, address, server, code, milliseconds), then the rows not checked.
pub fn text(outcomes: &[Arc<Outcome>], skipped: &[Skipped]) -> String {
    let mut out = String::new();
    let mut rows: Vec<&Outcome> = outcomes.iter().map(|o| &**o).collect();
    for (code, count) in counts(rows.iter().copied()) {
        out.push_str(&format!("{code}: {count}\n"));
    }
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
    for skipped in skipped {
        out.push_str(&skipped.reason);
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
            paused: Duration::ZERO,
        }
    }

    #[test]
    fn text_has_the_counts_then_the_rows_by_line_then_the_skipped() {
        let rows = [
            Arc::new(outcome(3, "b@example.org")),
            Arc::new(outcome(2, "a@example.org")),
        ];
        let skipped = Skipped {
            line: Some(4),
            reason: "line 4: no address".to_owned(),
        };
        let text = text(&rows, &[skipped]);
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
        write_report(&csv, &[Arc::new(outcome(2, "a@example.org"))], &[]).unwrap();
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
