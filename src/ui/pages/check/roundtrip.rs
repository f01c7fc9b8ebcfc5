//! The Check tab's round trip: Round trip beside Check sends a marked test
//! message and waits for it in the mailbox, with a live timer and Cancel; the
//! result shows when it arrived, where, the verdicts, and the delivery path as
//! a timeline of hops (`timeline`).
//!
//! The running round trip is a task whose handle this part keeps: Cancel
//! aborts it (both connections close), and its answers carry their run, so a
//! late one of an older run is dropped.

mod timeline;

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::task::Handle;
use iced::widget::{column, text};
use iced::{Element, Font, Subscription, Task};

use crate::core::check::{Step, saved};
use crate::core::profile::Profile;
use crate::core::roundtrip::{self, Cleanup, Report};
use crate::core::secret::Secret;
use crate::fl;
use crate::ui::tasks;
use crate::ui::widget::form;

#[derive(Debug, Default)]
pub struct State {
    run: u64,
    running: Option<Handle>,
    started: Option<Instant>,
    /// The timer's last tick (the view shows the time waited so far).
    now: Option<Instant>,
    steps: Vec<Step>,
    report: Option<Arc<Report>>,
    cancelled: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Start,
    Cancel,
    Tick(Instant),
    Step(u64, Step),
    Finished(u64, Arc<Report>),
}

/// What a round trip needs from outside.
pub struct Context {
    pub account: Option<saved::Account>,
    pub smtp_password: Option<Secret>,
    pub imap_password: Option<Secret>,
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

impl State {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_deref()
    }

    /// Seconds waited so far, as the timer shows them.
    pub fn waited(&self) -> Option<Duration> {
        let started = self.started?;
        Some(
            self.now
                .unwrap_or(started)
                .saturating_duration_since(started),
        )
    }

    /// The timer ticks while a round trip runs.
    pub fn subscription(&self) -> Subscription<Instant> {
        if self.is_running() {
            iced::time::every(Duration::from_millis(250))
        } else {
            Subscription::none()
        }
    }

    pub fn update(
        &mut self,
        profile: &Profile,
        message: Message,
        context: impl FnOnce() -> Context,
    ) -> Task<Message> {
        match message {
            Message::Start => return self.start(profile, context()),
            Message::Cancel => {
                if let Some(handle) = self.running.take() {
                    handle.abort();
                    self.run += 1;
                    self.cancelled = true;
                    self.report =
                        Some(Arc::new(Report::cancelled(std::mem::take(&mut self.steps))));
                }
            }
            Message::Tick(at) => {
                if self.is_running() {
                    self.now = Some(at);
                }
            }
            Message::Step(run, step) if run == self.run => self.steps.push(step),
            Message::Finished(run, report) if run == self.run => {
                self.running = None;
                self.now = Some(Instant::now());
                self.steps = report.steps();
                self.report = Some(report);
            }
            Message::Step(..) | Message::Finished(..) => {}
        }
        Task::none()
    }

    fn start(&mut self, profile: &Profile, context: Context) -> Task<Message> {
        if let Some(handle) = self.running.take() {
            handle.abort();
        }
        self.run += 1;
        self.steps.clear();
        self.report = None;
        self.cancelled = false;
        self.started = Some(Instant::now());
        self.now = self.started;
        let run = self.run;
        let profile = profile.clone();
        let to = profile.test.recipients.trim().to_owned();
        let check = move |progress| async move {
            let mut options = roundtrip::Options {
                // The Check tab's recipient, when one is given, else the sender.
                to: (!to.is_empty() && !to.contains(',')).then_some(to),
                smtp_password: context.smtp_password,
                imap_password: context.imap_password,
                extra_roots: context.extra_roots,
                progress,
                ..roundtrip::Options::default()
            };
            if let Some(account) = &context.account
                && let Err(report) = roundtrip::with_token(account, &profile, &mut options).await
            {
                return report;
            }
            roundtrip::run(&profile, context.account.as_ref(), options).await
        };
        let (task, handle) = tasks::with_progress(run, check, Message::Step, |run, report| {
            Message::Finished(run, Arc::new(report))
        });
        self.running = Some(handle);
        task
    }

    /// The running timer or the result, below the check's own rows.
    pub fn view(&self) -> Option<Element<'_, Message>> {
        if !self.is_running() && self.report.is_none() {
            return None;
        }
        let mut rows = column![form::heading(fl!("roundtrip-title"))].spacing(8);
        if self.is_running() {
            let waited = self.waited().unwrap_or_default().as_secs();
            rows = rows.push(text(fl!("roundtrip-waiting", seconds = waited.to_string())));
        }
        if self.cancelled {
            rows = rows.push(form::warning_text(fl!("roundtrip-cancelled")));
        }
        rows = rows.push(super::steps_view(&self.steps, super::StepsLayout::Wide));
        if let Some(report) = &self.report {
            rows = rows.push(super::diagnosis_box(&report.diagnosis));
            rows = rows.push(summary(report));
            if !report.hops.is_empty() {
                rows = rows.push(text(fl!("roundtrip-path")).size(15));
                rows = rows.push(timeline::view(report));
                rows = rows.push(hop_list(report));
            }
        }
        Some(rows.into())
    }
}

fn seconds(ms: i64) -> String {
    // One decimal, in the interface language's words ("1.2 s", "1,2 с").
    let tenths = ms / 100;
    fl!(
        "roundtrip-seconds",
        value = format!("{}.{}", tenths / 10, (tenths % 10).abs())
    )
}

pub(crate) fn delay_text(ms: i64) -> String {
    if ms.abs() < 1000 {
        fl!("roundtrip-milliseconds", value = ms.to_string())
    } else {
        seconds(ms)
    }
}

fn summary(report: &Report) -> Element<'_, Message> {
    let mut lines: Vec<(String, String)> = Vec::new();
    lines.push((fl!("roundtrip-to"), report.to.clone()));
    lines.push((fl!("roundtrip-token"), report.token.clone()));
    if let Some(at) = report.submitted_at {
        lines.push((
            fl!("roundtrip-submitted"),
            roundtrip::headers::rfc3339_text(at),
        ));
    }
    if let Some(at) = report.arrived_at {
        lines.push((
            fl!("roundtrip-arrived"),
            roundtrip::headers::rfc3339_text(at),
        ));
    }
    if let Some(ms) = report.delay_ms {
        lines.push((
            fl!("roundtrip-delay"),
            delay_text(i64::try_from(ms).unwrap_or(i64::MAX)),
        ));
    }
    if let Some(folder) = &report.folder {
        lines.push((fl!("roundtrip-folder"), folder.clone()));
    }
    for verdict in &report.verdicts {
        lines.push((
            verdict.method.to_ascii_uppercase(),
            format!("{} ({})", verdict.result, verdict.by),
        ));
    }
    let cleanup = match report.cleanup {
        Cleanup::Nothing => None,
        Cleanup::Deleted => Some(fl!("roundtrip-deleted")),
        Cleanup::Kept => Some(fl!("roundtrip-kept")),
        Cleanup::Failed => Some(fl!("roundtrip-delete-failed")),
    };
    if let Some(cleanup) = cleanup {
        lines.push((fl!("roundtrip-cleanup"), cleanup));
    }
    form::facts(lines)
}

/// The hops in words too, for reading aloud and copying.
fn hop_list(report: &Report) -> Element<'_, Message> {
    let mut list = column![].spacing(2);
    for (number, hop) in (1_usize..).zip(&report.hops) {
        let by = hop.by.clone().unwrap_or_else(|| "?".to_owned());
        let from = hop.from.clone().unwrap_or_else(|| "?".to_owned());
        let with = hop.with.clone().unwrap_or_default();
        let delay = hop.delay_ms.map(delay_text).unwrap_or_default();
        list = list.push(
            text(fl!(
                "roundtrip-hop",
                number = number.to_string(),
                from = from,
                by = by,
                with = with,
                delay = delay
            ))
            .font(Font::MONOSPACE)
            .size(13),
        );
    }
    list.into()
}
