//! `outbound bulk FILE [--template PROFILE] [--concurrency N] [--report FILE]
//! [--json]`: checks every mailbox of a CSV/TSV list (`core::bulk`). Prints a
//! line per mailbox as its check ends (or, with --json, one JSON document
//! whose rows are written as they end), the counts per result, and writes the
//! report as HTML, CSV or JSON by the file's extension, row by row too. Exit 0 when every row passed, 1 when a row found a
//! problem or could not be checked, 2 for a list or option that cannot be
//! used, 130 when Ctrl+C cut the run short (the rows already done are in the
//! report).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use tokio::sync::mpsc;

use super::check::Interrupt;
use super::output::{errln, outln, write_stdout_bytes};
use super::{Failure, Status};
use crate::core::bulk::files::{self, FileError, ReportFile};
use crate::core::bulk::report::{Format, JsonRows, Summary};
use crate::core::bulk::{self, Outcome, Settings};
use crate::core::directory::{Directory, UserDirectory};
use crate::core::store::{Paths, Store, StoreError};
use crate::fl;
use crate::i18n::Localize;

#[derive(Debug, Args)]
pub struct BulkArgs {
    pub file: PathBuf,
    #[arg(long, value_name = "PROFILE")]
    pub template: Option<String>,
    #[arg(long, value_name = "N", default_value_t = bulk::DEFAULT_CONCURRENCY as u16,
          value_parser = clap::value_parser!(u16).range(1..=bulk::MAX_CONCURRENCY as i64))]
    pub concurrency: u16,
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// For rows without a password: a program run with the row's address as
    /// its last argument, whose first line of output is the password.
    #[arg(long, value_name = "COMMAND")]
    pub password_command: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// A `--password-command` that cannot be split into words.
#[derive(Debug, thiserror::Error)]
#[error("--password-command: {0}")]
struct BadPasswordCommand(String);

impl Localize for BadPasswordCommand {
    fn localize(&self) -> String {
        fl!("cli-bulk-password-command", reason = self.0.clone())
    }
}

pub async fn run(args: BulkArgs) -> Result<Status, Failure> {
    // A report that could not be written is known before the run, not after.
    if let Some(path) = &args.report
        && Format::for_path(path).is_none()
    {
        return Err(FileError::ReportFormat(path.clone()).into());
    }
    let password_command = match &args.password_command {
        Some(text) => Some(
            shell_words::split(text)
                .map_err(|e| BadPasswordCommand(e.to_string()))
                .and_then(|words| {
                    if words.is_empty() {
                        Err(BadPasswordCommand(text.clone()))
                    } else {
                        Ok(words)
                    }
                })?,
        ),
        None => None,
    };
    let list = files::read_list(&args.file)?;
    let wants_saved = args.template.is_some()
        || list
            .rows
            .iter()
            .any(|r| r.as_ref().is_ok_and(|r| r.profile.is_some()));
    // Saved profiles only when a template is named: a plain list runs on a
    // machine without a configuration folder too.
    let paths = if wants_saved {
        Some(Paths::from_environment()?)
    } else {
        Paths::from_environment().ok()
    };
    let loaded = match (&paths, wants_saved) {
        (Some(paths), true) => {
            let loaded = Store::new(paths.clone()).load_all();
            super::profile::report_problems(&loaded);
            Some(loaded)
        }
        _ => None,
    };
    // The user's profile of a name, else the system's (as `check --profile`).
    let find = |name: &str| {
        loaded
            .as_ref()
            .and_then(|l| l.find(name))
            .map(|s| s.profile.clone())
    };
    let template = match &args.template {
        Some(name) => Some(find(name).ok_or_else(|| StoreError::NotFound(name.clone()))?),
        None => None,
    };
    let directory = match &paths {
        Some(paths) => super::directory::load(&UserDirectory::new(paths)),
        None => Directory::bundled_only(),
    };

    // Rows that cannot become a check are reported by their line, the rest run.
    let (jobs, skipped) = bulk::plan_list(list, template.as_ref(), &find, &directory);
    for skipped in &skipped {
        errln!("{skipped}");
    }
    // Before the run: a folder the report cannot go into is known now.
    let mut report_file = match &args.report {
        Some(path) => Some(ReportFile::create(path)?),
        None => None,
    };
    // --json goes out row by row as rows end; only a summary of each stays.
    let mut json = if args.json {
        // Standard output that went away (or failed) shows in its fate.
        JsonRows::start(StdoutBytes).ok()
    } else {
        None
    };
    let mut report_error = None;

    let total = jobs.len();
    let settings = Settings {
        concurrency: usize::from(args.concurrency),
        password_command,
        ..Settings::default()
    };
    let mut bar = ProgressLine::new(total, !args.json);
    let (results, mut done) = mpsc::unbounded_channel();
    let mut running = Box::pin(bulk::run(jobs, settings, results));
    let mut interrupt = Interrupt::new();
    let mut summaries: Vec<Summary> = Vec::with_capacity(total);
    let mut finished = false;
    let mut cancelled = false;
    let mut take = |outcome: Outcome, summaries: &mut Vec<Summary>| {
        if let Some(rows) = &mut json {
            let _ = rows.row(&outcome);
        }
        if let Some(report) = &mut report_file
            && let Err(error) = report.row(&outcome)
        {
            // The run goes on; the report's failure is said at the end.
            report_error = Some(error);
            report_file = None;
        }
        summaries.push(Summary::of(&outcome));
    };
    loop {
        tokio::select! {
            biased;
            () = interrupt.heard() => { cancelled = true; break; }
            // `None` once every check has ended (each holds a sender).
            received = done.recv() => match received {
                Some(outcome) => {
                    if !args.json {
                        bar.clear();
                        print_row(&outcome, summaries.len() + 1, total);
                    }
                    take(outcome, &mut summaries);
                    bar.draw(&summaries);
                }
                None => break,
            },
            () = &mut running, if !finished => finished = true,
        }
    }
    bar.clear();
    // Ends the checks still running: their connections close.
    drop(running);
    while let Ok(outcome) = done.try_recv() {
        take(outcome, &mut summaries);
    }

    // The results first: a report that cannot be written must not lose them.
    let counts = bulk::count_codes(summaries.iter().map(|s| s.code));
    match json {
        Some(rows) => {
            let _ = rows.finish(&skipped, &counts);
        }
        None => print_counts(&counts, summaries.len(), skipped.len(), total, cancelled),
    }
    if let Some(error) = report_error {
        return Err(error.into());
    }
    if let Some(report) = report_file {
        report.finish(&summaries, &skipped)?;
    }
    Ok(if cancelled {
        Status::Cancelled
    } else if skipped.is_empty() && summaries.iter().all(|s| s.ok) {
        Status::Success
    } else {
        Status::Problem
    })
}

/// Standard output as a writer for the streamed JSON (its closed pipe and
/// errors handled as every other output of the command).
struct StdoutBytes;

impl std::io::Write for StdoutBytes {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        write_stdout_bytes(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn print_row(outcome: &Outcome, done: usize, total: usize) {
    outln!(
        "[{done}/{total}] {} {:<26} {:>6} ms  {}  ({}, {})",
        fl!("cli-bulk-line", line = outcome.line.to_string()),
        outcome.code().as_str(),
        outcome.elapsed.as_millis(),
        outcome.address,
        outcome.server,
        outcome.report.diagnosis.message(),
    );
}

fn print_counts(
    counts: &BTreeMap<&'static str, usize>,
    done: usize,
    skipped: usize,
    total: usize,
    cancelled: bool,
) {
    outln!();
    if cancelled {
        outln!(
            "{}",
            fl!(
                "cli-bulk-cancelled",
                done = done.to_string(),
                total = total.to_string()
            )
        );
    }
    for (code, count) in counts {
        outln!("{count:>6}  {code}");
    }
    if skipped > 0 {
        outln!("{skipped:>6}  {}", fl!("cli-bulk-skipped"));
    }
}

/// On a terminal, a progress line on stderr under the rows: a bar, the
/// counts and an estimate of the time left; nothing when stderr is not a
/// terminal (a log, a pipe), where the rows alone tell the progress.
struct ProgressLine {
    total: usize,
    started: std::time::Instant,
    shown: bool,
    on: bool,
}

impl ProgressLine {
    fn new(total: usize, wanted: bool) -> Self {
        use std::io::IsTerminal;
        ProgressLine {
            total,
            started: std::time::Instant::now(),
            shown: false,
            on: wanted && std::io::stderr().is_terminal(),
        }
    }

    fn draw(&mut self, summaries: &[Summary]) {
        if !self.on || self.total == 0 {
            return;
        }
        let done = summaries.len();
        let ok = summaries.iter().filter(|s| s.ok).count();
        const WIDTH: usize = 24;
        let filled = WIDTH * done / self.total;
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = if done == 0 {
            0.0
        } else {
            elapsed / done as f64 * (self.total - done) as f64
        };
        let line = fl!(
            "cli-bulk-progress",
            done = done.to_string(),
            total = self.total.to_string(),
            ok = ok.to_string(),
            problems = (done - ok).to_string(),
            left = format!("{left:.0}")
        );
        let bar = format!("[{}{}]", "#".repeat(filled), "-".repeat(WIDTH - filled));
        self.write(&format!("\r\x1b[2K{bar} {line}"));
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            self.write("\r\x1b[2K");
            self.shown = false;
        }
    }

    fn write(&self, text: &str) {
        use std::io::Write;
        let mut stderr = std::io::stderr().lock();
        // A terminal that went away loses only the progress line.
        let _ = stderr.write_all(text.as_bytes());
        let _ = stderr.flush();
    }
}
