//! The Check tab: runs the profile against the real server (or sendmail), shows
//! each step as it finishes, then the diagnosis with what to do, the server's
//! facts and the transcript.
//!
//! The running check is a task whose handle this page keeps: Cancel aborts it,
//! which closes the connection, and shows the `cancelled` diagnosis with the
//! steps done so far; results of an older run are ignored. The page lives with
//! its profile, so leaving the tab keeps the check visibly running.
//!
//! A sendmail command that came with an imported profile is shown whole, with
//! Run and Cancel, before its first run (`core::trust`).

mod cards;
pub mod roundtrip;
mod waterfall;

use std::sync::Arc;

use iced::task::Handle;
use iced::widget::{button, checkbox, row, text, text_editor, text_input};
use iced::{Element, Font, Task};

use crate::core::check::{self, Fix, Report, Step, credential, saved};
use crate::core::domain::{self, SenderDomain};
use crate::core::profile::{Delivery, Issue, Profile};
use crate::core::secret::Secret;
use crate::core::store::{Paths, Scope};
use crate::core::trust;
use crate::fl;
use crate::i18n::Localize;
use crate::ui::issues::Issues;
use crate::ui::tasks::{self, blocking};
use crate::ui::widget::form::{self, field};

pub(crate) use cards::{StepsLayout, diagnosis_box, steps_view};
use cards::{confirmation_card, diagnosis_card, facts_view, sender_domain_card};

#[derive(Debug, Default)]
pub struct State {
    run: u64,
    /// Aborts the running check when Cancel is pressed or the page is dropped.
    running: Option<Handle>,
    steps: Vec<Step>,
    report: Option<Arc<Report>>,
    /// A check that could not start, or notes of one that ended.
    notes: Vec<String>,
    cancelled: bool,
    /// An imported sendmail command waiting for Run or Cancel.
    confirming: Option<trust::Command>,
    show_facts: bool,
    /// The sender domain's DNS row of this run, looked up beside the check.
    sender_domain: Option<Arc<SenderDomain>>,
    sender_domain_lookup: Option<Handle>,
    transcript: text_editor::Content,
    /// The round trip, beside the check.
    pub roundtrip: roundtrip::State,
}

#[derive(Debug, Clone)]
pub enum Message {
    Recipients(String),
    SendMessage(bool),
    Start,
    Cancel,
    /// Whether the profile's sendmail command waits for a confirmation.
    Trust(u64, Result<Option<trust::Command>, String>),
    /// Run: the shown imported command is confirmed.
    Confirm,
    Confirmed(u64, Result<(), String>),
    Step(u64, Step),
    Finished(u64, Result<Arc<saved::Outcome>, String>),
    SenderDomain(u64, Option<Arc<SenderDomain>>),
    Apply(Fix),
    /// Sign in again (after `oauth_sign_in_required`): the app starts it.
    SignIn,
    ToggleFacts,
    Transcript(text_editor::Action),
    CopyLog,
    SaveLog,
    RoundTrip(roundtrip::Message),
}

/// What the app must act on.
#[derive(Debug, Clone)]
pub enum Event {
    /// A diagnosis's fix was applied to the draft: the SMTP page shows new values.
    Applied,
    /// The draft now signs in with OAuth: the app starts the sign-in.
    SignIn,
    /// Save the log: the app asks for a file.
    SaveLog(String),
}

/// What a check needs from outside the page.
pub struct Context {
    pub paths: Option<Paths>,
    pub password: Option<Secret>,
    /// The profile as saved and its scope, when it is saved: the check of the
    /// draft counts and logs under it, and its `enabled` and daily limit apply.
    pub saved: Option<(Scope, Profile)>,
    /// The IMAP password for the round trip (the SMTP one unless separate).
    pub imap_password: Option<Secret>,
    /// Certificates trusted besides the platform's (a private authority).
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

impl Context {
    /// The saved profile a check counts and logs under, when there is one.
    fn account(&self) -> Option<saved::Account> {
        let (scope, saved) = self.saved.as_ref()?;
        saved::Account::of(self.paths.as_ref(), *scope, Some(saved))
    }
}

impl State {
    /// The last finished check's report.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_deref()
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The imported sendmail command shown for confirmation, if one is.
    pub fn confirming(&self) -> Option<&trust::Command> {
        self.confirming.as_ref()
    }

    /// Problems that keep the check from starting.
    pub fn start_issues(profile: &Profile) -> Vec<Issue> {
        let mut issues = Vec::new();
        if profile.test.send_message && profile.sender.address.trim().is_empty() {
            issues.push(Issue::new("sender.address", "check-needs-sender"));
        }
        issues
    }

    pub fn update(
        &mut self,
        profile: &mut Profile,
        message: Message,
        context: impl FnOnce() -> Context,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Recipients(text) => profile.test.recipients = text,
            Message::SendMessage(on) => profile.test.send_message = on,
            Message::Start => return (self.start(profile, context()), None),
            Message::Cancel => {
                // Declining the confirmation runs nothing.
                self.confirming = None;
                if let Some(handle) = self.sender_domain_lookup.take() {
                    handle.abort();
                }
                if let Some(handle) = self.running.take() {
                    handle.abort();
                    // A message the aborted run sent before it stopped is stale.
                    self.run += 1;
                    self.cancelled = true;
                    self.report = Some(Arc::new(Report::cancelled(self.steps.clone())));
                }
            }
            Message::Trust(run, answer) if run == self.run => match answer {
                Ok(None) => return (self.launch(profile, context()), None),
                Ok(Some(command)) => self.confirming = Some(command),
                Err(reason) => self.notes = vec![reason],
            },
            Message::Confirm => {
                if self.confirming.take().is_some() {
                    let context = context();
                    if let (Some(paths), Some((scope, saved))) = (context.paths, context.saved) {
                        let name = saved.name;
                        let run = self.run;
                        let confirm = blocking(move || {
                            trust::confirm(&paths, scope, &name).map_err(|e| e.localize())
                        });
                        return (
                            Task::perform(confirm, move |done| Message::Confirmed(run, done)),
                            None,
                        );
                    }
                }
            }
            Message::Confirmed(run, done) if run == self.run => match done {
                // Asked again: the command run is the one the draft holds now.
                Ok(()) => return (self.start(profile, context()), None),
                Err(reason) => {
                    self.notes = vec![fl!("check-confirm-failed", reason = reason)];
                }
            },
            Message::Trust(..) | Message::Confirmed(..) => {}
            Message::Step(run, step) if run == self.run => self.steps.push(step),
            Message::Finished(run, outcome) if run == self.run => {
                self.running = None;
                match outcome {
                    Ok(outcome) => {
                        self.transcript = text_editor::Content::with_text(
                            &check::transcript::render(&outcome.report.transcript),
                        );
                        self.steps = outcome.report.steps.clone();
                        self.notes = outcome.notes.clone();
                        self.report = Some(Arc::new(outcome.report.clone()));
                    }
                    Err(reason) => self.notes = vec![reason],
                }
            }
            Message::SenderDomain(run, row) if run == self.run => {
                self.sender_domain_lookup = None;
                self.sender_domain = row;
            }
            Message::Step(..) | Message::Finished(..) | Message::SenderDomain(..) => {}
            Message::SignIn => return (Task::none(), Some(Event::SignIn)),
            Message::Apply(fix) => {
                match fix {
                    Fix::Security { security, port } => {
                        profile.smtp.security = security;
                        profile.smtp.port = port;
                    }
                    Fix::Auth { auth } => profile.smtp.auth = auth,
                    Fix::SignIn { auth } => {
                        profile.smtp.auth = auth;
                        return (Task::none(), Some(Event::SignIn));
                    }
                }
                return (Task::none(), Some(Event::Applied));
            }
            Message::RoundTrip(message) => {
                let context = || {
                    let context = context();
                    roundtrip::Context {
                        account: context.account(),
                        smtp_password: context.password,
                        imap_password: context.imap_password,
                        extra_roots: context.extra_roots,
                    }
                };
                let task = self.roundtrip.update(profile, message, context);
                return (task.map(Message::RoundTrip), None);
            }
            Message::ToggleFacts => self.show_facts = !self.show_facts,
            Message::Transcript(action) => {
                // Read-only: selecting and copying, never editing.
                if !action.is_edit() {
                    self.transcript.perform(action);
                }
            }
            Message::CopyLog => {
                if let Some(report) = &self.report {
                    return (
                        iced::clipboard::write(check::log::entry(profile, "check", report)),
                        None,
                    );
                }
            }
            Message::SaveLog => {
                if let Some(report) = &self.report {
                    return (
                        Task::none(),
                        Some(Event::SaveLog(check::log::entry(profile, "check", report))),
                    );
                }
            }
        }
        (Task::none(), None)
    }

    /// A new run: an imported sendmail command is looked up first, and shown for
    /// confirmation when it has not run here yet.
    fn start(&mut self, profile: &Profile, context: Context) -> Task<Message> {
        if let Some(handle) = self.running.take() {
            handle.abort();
        }
        if let Some(handle) = self.sender_domain_lookup.take() {
            handle.abort();
        }
        self.run += 1;
        self.steps.clear();
        self.sender_domain = None;
        self.report = None;
        self.notes.clear();
        self.cancelled = false;
        self.confirming = None;
        self.transcript = text_editor::Content::new();
        match (&context.paths, &context.saved) {
            (Some(paths), Some((scope, saved))) if profile.delivery == Delivery::Sendmail => {
                let (paths, scope, name, profile) =
                    (paths.clone(), *scope, saved.name.clone(), profile.clone());
                let run = self.run;
                let lookup = blocking(move || {
                    trust::pending(&paths, scope, &name, &profile).map_err(|e| e.localize())
                });
                Task::perform(lookup, move |answer| Message::Trust(run, answer))
            }
            _ => self.launch(profile, context),
        }
    }

    /// Starts the check of the current run.
    fn launch(&mut self, profile: &Profile, context: Context) -> Task<Message> {
        let recipients = if profile.test.send_message {
            match check::message::recipients(&profile.test.recipients) {
                Ok(list) if !list.is_empty() => list,
                Ok(_) => {
                    self.notes = vec![crate::i18n::tr("invalid-no-recipients")];
                    return Task::none();
                }
                Err(error) => {
                    self.notes = vec![error.localize()];
                    return Task::none();
                }
            }
        } else {
            Vec::new()
        };
        let run = self.run;
        let (lookup, handle) = Task::perform(
            domain::look_up(domain::Query::for_profile(profile)),
            move |row| Message::SenderDomain(run, row.map(Arc::new)),
        )
        .abortable();
        self.sender_domain_lookup = Some(handle);
        let profile = profile.clone();
        let account = context.account();
        let password = context.password;
        let extra_roots = context.extra_roots;
        let check = move |progress| async move {
            // A signed-in profile sends its access token (refreshed when near
            // expiry); `auto` then authenticates with XOAUTH2 or OAUTHBEARER.
            let credential = match &account {
                Some(account) => {
                    let typed = credential::Password::Typed(password);
                    match credential::credential(account, profile.smtp.auth, typed).await {
                        Ok(credential) => credential,
                        Err(error) => {
                            return Ok(saved::Outcome {
                                report: error.report(),
                                notes: Vec::new(),
                            });
                        }
                    }
                }
                None => credential::Credential {
                    secret: password,
                    token_held: false,
                },
            };
            let marked = saved::Marked {
                token_held: credential.token_held,
                extra_roots,
                ..saved::Marked::default()
            };
            saved::run_marked(
                &profile,
                account.as_ref(),
                credential.secret,
                recipients,
                marked,
                progress,
            )
            .await
        };
        let (task, handle) = tasks::with_progress(run, check, Message::Step, |run, outcome| {
            Message::Finished(run, outcome.map(Arc::new).map_err(|e| e.localize()))
        });
        self.running = Some(handle);
        Task::batch([task, lookup])
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
    ) -> Element<'a, Message> {
        let controls = row![
            checkbox(profile.test.send_message)
                .label(fl!("check-send-message"))
                .on_toggle_maybe(editable.then_some(Message::SendMessage)),
            iced::widget::space::horizontal(),
            button(text(fl!("check-start"))).on_press_maybe(
                (!self.is_running() && self.confirming.is_none()).then_some(Message::Start)
            ),
            button(text(fl!("roundtrip-start"))).on_press_maybe(
                (!self.roundtrip.is_running() && roundtrip_ready(profile))
                    .then_some(Message::RoundTrip(roundtrip::Message::Start))
            ),
            button(text(fl!("cancel")))
                .style(button::secondary)
                .on_press_maybe(if self.roundtrip.is_running() {
                    Some(Message::RoundTrip(roundtrip::Message::Cancel))
                } else {
                    (self.is_running() || self.confirming.is_some()).then_some(Message::Cancel)
                }),
        ]
        .spacing(12)
        .align_y(iced::Alignment::Center)
        // Longer labels (Russian) go on to a second line, not past the edge.
        .wrap()
        .vertical_spacing(8);
        let mut rows = vec![
            form::heading(fl!("tab-check")),
            field(
                fl!("field-recipients"),
                text_input("a@example.org, b@example.org", &profile.test.recipients)
                    .id("test.recipients")
                    .on_input_maybe(editable.then_some(Message::Recipients))
                    .padding(6),
                issues.get("test.recipients"),
            ),
            controls.into(),
        ];
        if !roundtrip_ready(profile) {
            rows.push(form::note(fl!("roundtrip-needs")));
        }
        if let Some(command) = &self.confirming {
            rows.push(confirmation_card(command));
        }
        if let Some(trip) = self.roundtrip.view() {
            rows.push(trip.map(Message::RoundTrip));
        }
        if self.is_running() {
            rows.push(form::note(fl!("check-running")));
        }
        if self.cancelled {
            rows.push(form::warning_text(fl!("check-cancelled")));
        }
        // The verdict first, with its Apply: the steps and the waterfall
        // below say how it was reached.
        if let Some(report) = &self.report {
            rows.push(diagnosis_card(report));
        }
        rows.push(steps_view(&self.steps, StepsLayout::Wide));
        if self.report.is_some()
            && let Some(waterfall) = waterfall::view(&self.steps)
        {
            rows.push(form::heading(fl!("check-waterfall")));
            rows.push(waterfall);
        }
        for note in &self.notes {
            rows.push(form::error_text(note.clone()));
        }
        if let Some(report) = &self.report {
            if let Some(row) = &self.sender_domain {
                rows.push(sender_domain_card(row));
            }
            rows.push(
                row![
                    button(text(if self.show_facts {
                        fl!("check-hide-facts")
                    } else {
                        fl!("check-show-facts")
                    }))
                    .style(button::secondary)
                    .on_press(Message::ToggleFacts),
                    button(text(fl!("check-copy-log")))
                        .style(button::secondary)
                        .on_press(Message::CopyLog),
                    button(text(fl!("check-save-log")))
                        .style(button::secondary)
                        .on_press(Message::SaveLog),
                ]
                .spacing(8)
                // Russian's three labels do not fit in a row at 800 px.
                .wrap()
                .vertical_spacing(8)
                .into(),
            );
            if self.show_facts {
                rows.push(facts_view(report));
            }
            rows.push(form::heading(fl!("check-transcript")));
            rows.push(
                text_editor(&self.transcript)
                    .on_action(Message::Transcript)
                    .font(Font::MONOSPACE)
                    .size(13)
                    .height(280)
                    .into(),
            );
        }
        form::page(rows)
    }
}

/// A round trip needs a mailbox to read and a sender to send from.
fn roundtrip_ready(profile: &Profile) -> bool {
    !profile.imap.host.trim().is_empty()
        && !profile.sender.address.trim().is_empty()
        && !profile.smtp.host.trim().is_empty()
}
