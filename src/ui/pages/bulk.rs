//! The Bulk check page: a list of mailboxes (CSV or TSV) checked N at a time
//! with the SMTP check's engine (`core::bulk`), a progress bar with the counts
//! per diagnosis and an ETA, Cancel (the finished rows stay), the rows sortable
//! and filterable by code, a bar chart of the counts, and the report exported
//! or copied as text.
//!
//! A run is one task whose handle this page keeps: Cancel aborts it, which
//! drops the run and with it every check still going (their connections
//! close). Every answer names its run; those of a cancelled or older run are
//! dropped. The list's passwords stay inside the run's jobs: no message, row
//! or report of this page holds one.

mod chart;
mod rows;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::task::Handle;
use iced::widget::{button, column, pick_list, progress_bar, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length, Task};

use crate::core::bulk::{self, Outcome, Settings, files};
use crate::core::profile::Profile;
use crate::core::store::Paths;
use crate::fl;
use crate::i18n::Localize;
use crate::ui::tasks::blocking;
use crate::ui::widget::form::{self, field};

pub use rows::Column;

#[derive(Debug)]
pub struct State {
    list: Option<PathBuf>,
    template: Option<String>,
    concurrency: String,
    run: u64,
    /// Aborts the running checks when Cancel is pressed or a new run starts.
    running: Option<Handle>,
    /// Rows planned into checks in this run (known once the list is read).
    total: Option<usize>,
    started: Option<Instant>,
    outcomes: Vec<Arc<Outcome>>,
    /// How many of `outcomes` ended with each code, kept as they come (the
    /// view shows them on every redraw).
    counts: BTreeMap<&'static str, usize>,
    /// Rows that could not become a check, each naming its line.
    skipped: Vec<bulk::Skipped>,
    /// Why the list could not be read at all.
    problem: Option<String>,
    cancelled: bool,
    finished: bool,
    /// The table's rows in their order, with its sort and filter.
    shown: rows::Shown,
    notice: Option<Result<String, String>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            list: None,
            template: None,
            concurrency: bulk::DEFAULT_CONCURRENCY.to_string(),
            run: 0,
            running: None,
            total: None,
            started: None,
            outcomes: Vec::new(),
            counts: BTreeMap::new(),
            skipped: Vec::new(),
            problem: None,
            cancelled: false,
            finished: false,
            shown: rows::Shown::default(),
            notice: None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Choose list…: the app opens the file dialog.
    ChooseList,
    /// The list's file, from the dialog (or a test).
    ListChosen(PathBuf),
    /// A template profile by name, or none.
    Template(Option<String>),
    Concurrency(String),
    Start,
    Cancel,
    /// The list of run `run` was read: how many checks, and the rows skipped.
    Planned {
        run: u64,
        total: usize,
        skipped: Vec<bulk::Skipped>,
    },
    /// The list of run `run` could not be read.
    Failed(u64, String),
    /// One row's result in run `run`.
    Outcome(u64, Arc<Outcome>),
    Finished(u64),
    Sort(Column),
    /// Show only the rows with this code (`None`: all).
    Filter(Option<&'static str>),
    /// Export report…: the app asks for a file.
    ChooseReport,
    /// The report's file, from the dialog (or a test).
    ExportTo(PathBuf),
    Exported(u64, Result<PathBuf, String>),
    CopyText,
}

/// What the app must act on.
#[derive(Debug, Clone)]
pub enum Event {
    /// Open the dialog for the list's file.
    PickList,
    /// Open the dialog for the report's file.
    PickReport,
}

/// What a run needs from outside the page.
pub struct Context {
    pub paths: Option<Paths>,
    /// The saved profiles (a template, or a row's `profile` column).
    pub profiles: Vec<Profile>,
}

/// The concurrency typed, when it is a number from 1 to the most allowed.
fn concurrency(text: &str) -> Option<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=bulk::MAX_CONCURRENCY).contains(n))
}

impl State {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Every finished row of the shown run, in the order they ended.
    pub fn outcomes(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().map(|o| o.as_ref())
    }

    /// The rows the table shows, in its order (sorted, filtered).
    pub fn shown(&self) -> impl Iterator<Item = &Outcome> {
        self.shown.rows(&self.outcomes)
    }

    /// The rows not checked, each with its line.
    pub fn skipped(&self) -> &[bulk::Skipped] {
        &self.skipped
    }

    /// How many rows ended with each code.
    pub fn counts(&self) -> &BTreeMap<&'static str, usize> {
        &self.counts
    }

    pub fn was_cancelled(&self) -> bool {
        self.cancelled
    }

    pub fn update(
        &mut self,
        message: Message,
        context: impl FnOnce() -> Context,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::ChooseList => return (Task::none(), Some(Event::PickList)),
            Message::ChooseReport => return (Task::none(), Some(Event::PickReport)),
            Message::ListChosen(path) => self.list = Some(path),
            Message::Template(name) => self.template = name,
            Message::Concurrency(text) => self.concurrency = text,
            Message::Start => return (self.start(context()), None),
            Message::Cancel => {
                if let Some(handle) = self.running.take() {
                    handle.abort();
                    // Whatever the aborted run sent before it stopped is stale.
                    self.run += 1;
                    self.cancelled = true;
                }
            }
            Message::Planned {
                run,
                total,
                skipped,
            } if run == self.run => {
                self.total = Some(total);
                self.skipped = skipped;
                self.started = Some(Instant::now());
            }
            Message::Failed(run, reason) if run == self.run => {
                self.running = None;
                self.problem = Some(reason);
            }
            Message::Outcome(run, outcome) if run == self.run => {
                *self.counts.entry(outcome.code().as_str()).or_default() += 1;
                self.outcomes.push(outcome);
                self.shown.arrived(&self.outcomes);
            }
            Message::Finished(run) if run == self.run => {
                self.running = None;
                self.finished = true;
            }
            Message::Planned { .. }
            | Message::Failed(..)
            | Message::Outcome(..)
            | Message::Finished(..) => {}
            Message::Sort(column) => self.shown.sort_by(column, &self.outcomes),
            Message::Filter(code) => self.shown.filter_by(code, &self.outcomes),
            Message::ExportTo(path) => {
                // The rows are shared, not copied with their reports.
                let outcomes = self.outcomes.clone();
                let skipped = self.skipped.clone();
                let run = self.run;
                let write = blocking(move || {
                    files::write_report(&path, &outcomes, &skipped)
                        .map(|()| path)
                        .map_err(|e| e.localize())
                });
                return (
                    Task::perform(write, move |done| Message::Exported(run, done)),
                    None,
                );
            }
            Message::Exported(run, done) if run == self.run => {
                self.notice =
                    Some(done.map(|path| fl!("bulk-exported", file = path.display().to_string())));
            }
            Message::Exported(..) => {}
            Message::CopyText => {
                return (
                    iced::clipboard::write(files::text(&self.outcomes, &self.skipped)),
                    None,
                );
            }
        }
        (Task::none(), None)
    }

    /// A new run over the chosen list: read and planned off the UI thread, then
    /// checked, each result sent as it ends.
    fn start(&mut self, context: Context) -> Task<Message> {
        let (Some(path), Some(concurrency)) = (self.list.clone(), concurrency(&self.concurrency))
        else {
            return Task::none();
        };
        if let Some(handle) = self.running.take() {
            handle.abort();
        }
        self.run += 1;
        self.total = None;
        self.started = None;
        self.outcomes.clear();
        self.counts.clear();
        self.skipped.clear();
        self.problem = None;
        self.cancelled = false;
        self.finished = false;
        self.shown.clear();
        self.notice = None;
        let run = self.run;
        let template = self.template.clone();
        let settings = Settings {
            concurrency,
            ..Settings::default()
        };
        let stream = iced::stream::channel(64, async move |mut output| {
            use iced::futures::SinkExt;
            let planned = blocking(move || plan(&path, template.as_deref(), context)).await;
            let (jobs, skipped) = match planned {
                Ok(planned) => planned,
                Err(reason) => {
                    let _ = output.send(Message::Failed(run, reason)).await;
                    return;
                }
            };
            let total = jobs.len();
            let _ = output
                .send(Message::Planned {
                    run,
                    total,
                    skipped,
                })
                .await;
            let (results, mut done) = tokio::sync::mpsc::unbounded_channel();
            let checks = bulk::run(jobs, settings, results);
            tokio::pin!(checks);
            let mut ended = false;
            loop {
                tokio::select! {
                    // `None` once every check has ended (each holds a sender).
                    received = done.recv() => match received {
                        Some(outcome) => {
                            let _ = output.send(Message::Outcome(run, Arc::new(outcome))).await;
                        }
                        None => break,
                    },
                    () = &mut checks, if !ended => ended = true,
                }
            }
            let _ = output.send(Message::Finished(run)).await;
        });
        let (task, handle) = Task::run(stream, |message| message).abortable();
        self.running = Some(handle.abort_on_drop());
        task
    }

    /// Estimated time left, from the pace so far.
    fn eta(&self) -> Option<Duration> {
        let (total, started) = (self.total?, self.started?);
        let done = self.outcomes.len();
        if done == 0 || done >= total || !self.is_running() {
            return None;
        }
        let per_row = started.elapsed().as_secs_f64() / done as f64;
        Some(Duration::from_secs_f64(per_row * (total - done) as f64))
    }

    pub fn view<'a>(&'a self, profiles: &[String]) -> Element<'a, Message> {
        let none = fl!("bulk-template-none");
        let mut choices = vec![none.clone()];
        choices.extend(profiles.iter().cloned());
        let selected = Some(self.template.clone().unwrap_or_else(|| none.clone()));
        let template = pick_list(choices, selected, move |name: String| {
            Message::Template((name != none).then_some(name))
        })
        .padding(6);
        let list_name = match &self.list {
            // A path has no spaces to wrap at: it wraps anywhere rather than run off.
            Some(path) => text(path.display().to_string()).wrapping(text::Wrapping::WordOrGlyph),
            None => text(fl!("bulk-no-list")),
        };
        let can_start = self.list.is_some() && concurrency(&self.concurrency).is_some();
        let mut rows = vec![
            form::heading(fl!("bulk-heading")),
            form::note(fl!("bulk-intro")),
            field(
                fl!("bulk-list"),
                row![
                    button(text(fl!("bulk-choose-list")))
                        .style(button::secondary)
                        .on_press(Message::ChooseList),
                    list_name.width(Length::Fill),
                ]
                .spacing(12)
                .align_y(Alignment::Center),
                None,
            ),
            field(fl!("bulk-template"), template, None),
            field(
                fl!("bulk-concurrency"),
                text_input("8", &self.concurrency)
                    .id("bulk.concurrency")
                    .on_input(Message::Concurrency)
                    .padding(6)
                    .width(80),
                concurrency(&self.concurrency)
                    .is_none()
                    .then(|| fl!("bulk-concurrency-invalid", max = bulk::MAX_CONCURRENCY)),
            ),
            row![
                iced::widget::space::horizontal(),
                button(text(fl!("bulk-start")))
                    .on_press_maybe((can_start && !self.is_running()).then_some(Message::Start)),
                button(text(fl!("cancel")))
                    .style(button::secondary)
                    .on_press_maybe(self.is_running().then_some(Message::Cancel)),
            ]
            .spacing(12)
            .into(),
        ];
        if let Some(problem) = &self.problem {
            rows.push(form::error_text(problem.clone()));
        }
        if let Some(total) = self.total {
            rows.push(self.progress(total));
        }
        if self.cancelled {
            rows.push(form::warning_text(fl!("bulk-cancelled")));
        }
        if !self.outcomes.is_empty() {
            let counts = &self.counts;
            rows.push(form::heading(fl!("bulk-summary-heading")));
            rows.push(chart::view(counts));
            rows.push(rows::filters(counts, self.shown.filter()));
            rows.push(rows::table(&self.outcomes, &self.shown));
            rows.push(
                row![
                    button(text(fl!("bulk-export")))
                        .style(button::secondary)
                        .on_press(Message::ChooseReport),
                    button(text(fl!("bulk-copy")))
                        .style(button::secondary)
                        .on_press(Message::CopyText),
                ]
                .spacing(8)
                .into(),
            );
        }
        match &self.notice {
            Some(Ok(note)) => rows.push(form::note(note.clone())),
            Some(Err(error)) => rows.push(form::error_text(error.clone())),
            None => {}
        }
        if !self.skipped.is_empty() {
            rows.push(form::heading(fl!("bulk-report-skipped")));
            for reason in &self.skipped {
                rows.push(form::error_text(reason.reason.clone()));
            }
        }
        scrollable(form::page(rows)).height(Length::Fill).into()
    }

    /// The progress bar, how many are done and ok, and the time left.
    fn progress(&self, total: usize) -> Element<'_, Message> {
        let done = self.outcomes.len();
        let ok = self.counts().get("ok").copied().unwrap_or(0);
        let mut line = row![
            text(fl!("bulk-progress", done = done, total = total)),
            text(fl!("bulk-ok-count", ok = ok)),
        ]
        .spacing(16);
        if let Some(eta) = self.eta() {
            line = line.push(text(fl!("bulk-eta", seconds = eta.as_secs().max(1))));
        } else if self.finished {
            line = line.push(text(fl!("bulk-finished")));
        }
        column![
            progress_bar(0.0..=total.max(1) as f32, done as f32).girth(10),
            line
        ]
        .spacing(6)
        .into()
    }
}

/// Reads the list and makes each row a check; rows that cannot be one are
/// named by their line.
fn plan(
    path: &std::path::Path,
    template: Option<&str>,
    context: Context,
) -> Result<(Vec<bulk::Job>, Vec<bulk::Skipped>), String> {
    let list = files::read_list(path).map_err(|e| e.localize())?;
    let profiles = context.profiles;
    let find = |name: &str| profiles.iter().find(|p| p.name == name).cloned();
    let template =
        match template {
            Some(name) => Some(find(name).ok_or_else(|| {
                crate::core::store::StoreError::NotFound(name.to_owned()).localize()
            })?),
            None => None,
        };
    let (directory, problem) = crate::core::quick::load_directory(context.paths.as_ref());
    let (jobs, mut skipped) = bulk::plan_list(list, template.as_ref(), &find, &directory);
    // A damaged user directory is said where the run's notices are, not dropped.
    if let Some(reason) = problem {
        skipped.insert(
            0,
            bulk::Skipped::notice(crate::fl!("directory-user-file-skipped", reason = reason)),
        );
    }
    Ok((jobs, skipped))
}
