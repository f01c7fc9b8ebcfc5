//! The Quick test page, the window's first screen: an e-mail address and a
//! password, Test. Detect (`core::quick`) fills the settings (shown, editable,
//! folded by default), then the outgoing and the incoming check run side by
//! side with their steps live. Nothing is saved unless Save as profile is
//! pressed; the password stays in this page for the session only.
//!
//! Every answer carries the run that started it: a newer Test, or leaving the
//! page, makes the older answers stale and they are dropped.

mod view;

use std::sync::Arc;

use iced::Task;
use iced::task::Handle;
use rustls::pki_types::CertificateDer;

use crate::core::check::{Report, Step};
use crate::core::directory::LoginChoice;
use crate::core::discover;
use crate::core::oauth::{self, Tokens};
use crate::core::profile::{Profile, Security, imap_default_port, normalise_host};
use crate::core::quick::{self, Detected, QuickError};
use crate::core::secret::Secret;
use crate::core::secrets::Secrets;
use crate::core::store::Paths;
use crate::ui::pages::smtp::{Held, SignIn};
use crate::ui::tasks::{self, blocking};
use crate::ui::widget::server;

/// One check's side of the page.
#[derive(Debug, Default)]
pub struct Side {
    running: Option<Handle>,
    steps: Vec<Step>,
    report: Option<Arc<Report>>,
}

impl Side {
    fn clear(&mut self) {
        self.running = None;
        self.steps.clear();
        self.report = None;
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_deref()
    }
}

#[derive(Debug, Default)]
pub struct State {
    address: String,
    password: Secret,
    show_password: bool,
    settings_open: bool,
    run: u64,
    detecting: Option<Handle>,
    /// The address the shown settings were detected for.
    detected_for: String,
    detected: Option<Detected>,
    problem: Option<String>,
    smtp_port: String,
    imap_port: String,
    pub outgoing: Side,
    pub incoming: Side,
    saving: bool,
    /// The provider's sign-in, when the draft signs in with OAuth2.
    pub sign_in: SignIn,
    /// Counts sign-ins, so an answer for an abandoned one is dropped.
    sign_in_run: u64,
    /// The user's directory could not be read for the last Detect: why.
    directory_problem: Option<String>,
    /// The tokens of this page's sign-in: kept for the session only, in the
    /// keyring only when the draft is saved as a profile.
    tokens: Option<Tokens>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Address(String),
    Password(Secret),
    ShowPassword(bool),
    ToggleSettings,
    Test,
    /// Detect's answer, and why the user's directory could not be read
    /// (its bundled entries were used).
    Detected(u64, Box<Result<Detected, QuickError>>, Option<String>),
    OutgoingStep(u64, Step),
    OutgoingFinished(u64, Arc<Report>),
    IncomingStep(u64, Step),
    IncomingFinished(u64, Arc<Report>),
    Edit(Edit),
    SaveAsProfile,
    /// Log in as this choice instead (an app password rather than a sign-in).
    LogInAs(LoginChoice),
    SignIn,
    CancelSignIn,
    SignInTick,
    SignInAnnounced(u64, String, Option<String>),
    SignedIn(u64, Result<Tokens, String>),
    CopySignInUrl(String),
}

/// A change to the detected settings.
#[derive(Debug, Clone)]
pub enum Edit {
    SmtpHost(String),
    SmtpPort(String),
    SmtpSecurity(Security),
    SmtpUser(String),
    ImapHost(String),
    ImapPort(String),
    ImapSecurity(Security),
    ImapUser(String),
}

/// What the app must act on.
#[derive(Debug, Clone)]
pub enum Event {
    /// Save the draft as a new profile, its password (or the sign-in's
    /// tokens) in the keyring.
    Save(Box<Profile>, Secret, Option<Tokens>),
}

/// What a test needs from outside the page.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The user's folders, for their directory of providers.
    pub paths: Option<Paths>,
    pub extra_roots: Vec<CertificateDer<'static>>,
}

impl State {
    /// What Detect found and the draft made of it, edits included.
    pub fn detected(&self) -> Option<&Detected> {
        self.detected.as_ref()
    }

    /// Why the user's directory could not be read for the last Detect.
    pub fn directory_problem(&self) -> Option<&str> {
        self.directory_problem.as_deref()
    }

    pub fn is_busy(&self) -> bool {
        self.detecting.is_some() || self.outgoing.is_running() || self.incoming.is_running()
    }

    /// The page was left: whatever runs stops, and its answers are stale.
    pub fn leave(&mut self) {
        if self.is_busy() {
            self.run += 1;
            self.detecting = None;
            self.outgoing.running = None;
            self.incoming.running = None;
        }
        // A sign-in waiting for the browser stops too (its listener closes),
        // or its answer would start checks on a page nobody sees.
        if self.sign_in.is_waiting() {
            self.sign_in.cancel();
            self.sign_in_run += 1;
        }
    }

    /// Save as profile's answer (the app has written the profile or failed).
    pub fn saved(&mut self) {
        self.saving = false;
    }

    pub fn update(
        &mut self,
        message: Message,
        context: impl FnOnce() -> Context,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Address(text) => self.address = text,
            Message::Password(secret) => self.password = secret,
            Message::ShowPassword(on) => self.show_password = on,
            Message::ToggleSettings => self.settings_open = !self.settings_open,
            Message::Test => return (self.start(context()), None),
            Message::Detected(run, result, directory_problem) if run == self.run => {
                self.detecting = None;
                self.directory_problem = directory_problem;
                match *result {
                    Ok(detected) => {
                        self.smtp_port = detected.profile.smtp.port.to_string();
                        self.imap_port = detected.profile.imap.port.to_string();
                        self.detected = Some(detected);
                        return (self.check(context()), None);
                    }
                    Err(error) => {
                        use crate::i18n::Localize;
                        self.problem = Some(error.localize());
                    }
                }
            }
            Message::OutgoingStep(run, step) if run == self.run => self.outgoing.steps.push(step),
            Message::IncomingStep(run, step) if run == self.run => self.incoming.steps.push(step),
            Message::OutgoingFinished(run, report) if run == self.run => {
                finish(&mut self.outgoing, report);
            }
            Message::IncomingFinished(run, report) if run == self.run => {
                finish(&mut self.incoming, report);
            }
            Message::Detected(..)
            | Message::OutgoingStep(..)
            | Message::IncomingStep(..)
            | Message::OutgoingFinished(..)
            | Message::IncomingFinished(..) => {}
            Message::Edit(edit) => self.edit(edit),
            Message::SaveAsProfile => {
                if let Some(detected) = &self.detected
                    && !self.saving
                {
                    self.saving = true;
                    let tokens = self.tokens.clone().filter(|_| detected.sign_in_required());
                    let event = Event::Save(
                        Box::new(detected.profile.clone()),
                        self.password.clone(),
                        tokens,
                    );
                    return (Task::none(), Some(event));
                }
            }
            Message::LogInAs(choice) => {
                if let Some(detected) = &mut self.detected
                    && !self.outgoing.is_running()
                {
                    self.sign_in.cancel();
                    detected.log_in_as(choice);
                    self.smtp_port = detected.profile.smtp.port.to_string();
                    self.imap_port = detected.profile.imap.port.to_string();
                }
            }
            Message::SignIn if !self.sign_in.is_waiting() => {
                return (self.start_sign_in(context()), None);
            }
            Message::SignIn => {}
            Message::CancelSignIn => self.sign_in.cancel(),
            Message::SignInTick => self.sign_in.tick(),
            Message::SignInAnnounced(run, url, failure) if run == self.sign_in_run => {
                self.sign_in.announce(url, failure);
            }
            Message::SignedIn(run, result) if run == self.sign_in_run => {
                let held = result.map(|tokens| {
                    let expires_at = tokens.expires_at;
                    self.tokens = Some(tokens);
                    Held::In { expires_at }
                });
                let signed_in = held.is_ok();
                self.sign_in.answer(held, true);
                // Signed in: the checks run at once with the token.
                if signed_in {
                    return (self.check(context()), None);
                }
            }
            Message::SignInAnnounced(..) | Message::SignedIn(..) => {}
            Message::CopySignInUrl(url) => return (iced::clipboard::write(url), None),
        }
        (Task::none(), None)
    }

    /// The browser sign-in for the draft's provider; the tokens come back
    /// to this page only.
    fn start_sign_in(&mut self, context: Context) -> Task<Message> {
        let (Some(detected), Some(paths)) = (&self.detected, context.paths) else {
            // No settings folder: the directory with the provider's client
            // cannot be read.
            self.sign_in
                .answer(Err(crate::fl!("oauth-needs-settings-folder")), true);
            return Task::none();
        };
        self.sign_in_run += 1;
        let run = self.sign_in_run;
        let profile = detected.profile.clone();
        let (task, handle) = tasks::sign_in(
            move |announce| async move {
                use crate::i18n::Localize;
                let secrets = Secrets::connect().await;
                oauth::sign_in_window(&paths, &profile, &secrets, announce)
                    .await
                    .map_err(|e| e.localize())
            },
            move |url, failure| Message::SignInAnnounced(run, url, failure),
            move |result| Message::SignedIn(run, result),
        );
        self.sign_in.start(handle);
        task
    }

    /// Test: detects first when the address is new, else checks the shown
    /// (perhaps edited) settings again.
    fn start(&mut self, context: Context) -> Task<Message> {
        if self.is_busy() || !self.address.contains('@') {
            return Task::none();
        }
        self.run += 1;
        self.problem = None;
        self.outgoing.clear();
        self.incoming.clear();
        let address = self.address.trim().to_owned();
        if self.detected.is_some() && self.detected_for == address {
            return self.check(context);
        }
        self.detected = None;
        // Another address is another account: its sign-in starts afresh.
        self.tokens = None;
        self.sign_in = SignIn::default();
        self.detected_for = address.clone();
        let run = self.run;
        let paths = context.paths;
        let detect = async move {
            let (directory, problem) = blocking(move || Ok(quick::load_directory(paths.as_ref())))
                .await
                .unwrap_or_else(|reason| {
                    (
                        crate::core::directory::Directory::bundled_only(),
                        Some(reason),
                    )
                });
            let detected = quick::detect(&directory, &address, &discover::Options::default()).await;
            (detected, problem)
        };
        let (task, handle) = Task::perform(detect, move |(result, problem)| {
            Message::Detected(run, Box::new(result), problem)
        })
        .abortable();
        self.detecting = Some(handle.abort_on_drop());
        task
    }

    /// Both checks of the current run, side by side.
    fn check(&mut self, context: Context) -> Task<Message> {
        let Some(detected) = &self.detected else {
            return Task::none();
        };
        // A provider that signs in with OAuth2 takes no password: the sign-in
        // comes first (`view::sign_in`), then its token is sent.
        let (password, token_held) = match (&self.tokens, detected.sign_in_required()) {
            (Some(tokens), true) => (Some(tokens.access.clone()), true),
            (None, true) => return Task::none(),
            (_, false) => (Some(self.password.clone()), false),
        };
        let run = self.run;
        let profile = detected.profile.clone();
        let (outgoing, handle) = {
            let (profile, password, roots) = (
                profile.clone(),
                password.clone(),
                context.extra_roots.clone(),
            );
            tasks::with_progress(
                run,
                move |progress| async move {
                    quick::check_outgoing(&profile, password, token_held, roots, progress).await
                },
                Message::OutgoingStep,
                |run, report| Message::OutgoingFinished(run, Arc::new(report)),
            )
        };
        self.outgoing.running = Some(handle);
        if !quick::has_incoming(&profile) {
            return outgoing;
        }
        let roots = context.extra_roots;
        let (incoming, handle) = tasks::with_progress(
            run,
            move |progress| async move {
                quick::check_incoming(&profile, password, roots, progress).await
            },
            Message::IncomingStep,
            |run, report| Message::IncomingFinished(run, Arc::new(report)),
        );
        self.incoming.running = Some(handle);
        Task::batch([outgoing, incoming])
    }

    fn edit(&mut self, edit: Edit) {
        let Some(detected) = &mut self.detected else {
            return;
        };
        let profile = &mut detected.profile;
        match edit {
            Edit::SmtpHost(text) => {
                profile.smtp.host = host_of(&text, &mut profile.smtp.port, &mut self.smtp_port);
            }
            Edit::SmtpPort(text) => {
                server::type_port(&mut profile.smtp.port, &mut self.smtp_port, text);
            }
            Edit::SmtpSecurity(security) => server::follow_security(
                &mut profile.smtp.port,
                &mut self.smtp_port,
                &mut profile.smtp.security,
                security,
                Security::default_port,
            ),
            Edit::SmtpUser(text) => profile.smtp.username = text,
            Edit::ImapHost(text) => {
                profile.imap.host = host_of(&text, &mut profile.imap.port, &mut self.imap_port);
            }
            Edit::ImapPort(text) => {
                server::type_port(&mut profile.imap.port, &mut self.imap_port, text);
            }
            Edit::ImapSecurity(security) => server::follow_security(
                &mut profile.imap.port,
                &mut self.imap_port,
                &mut profile.imap.security,
                security,
                imap_default_port,
            ),
            Edit::ImapUser(text) => profile.imap.username = text,
        }
    }
}

/// A host as typed; a pasted `host:port` sets the port too.
fn host_of(text: &str, port: &mut u16, port_text: &mut String) -> String {
    match normalise_host(text) {
        Some(normalised) => {
            if let Some(typed) = normalised.port {
                *port = typed;
                *port_text = typed.to_string();
            }
            normalised.host
        }
        None => text.trim().to_owned(),
    }
}

fn finish(side: &mut Side, report: Arc<Report>) {
    side.running = None;
    side.steps = report.steps.clone();
    side.report = Some(report);
}
