//! The application: the sidebar, the opened profiles' tabs and the other pages.
//! `update` routes each message to the part of the app it is for (one method
//! per kind, in the submodules); every effect is a `Task` from `ui::tasks`.
//!
//! Every answer of a background task names the editor (or page) that asked for
//! it, never "the profile open now": the user may have switched since.

use std::path::PathBuf;
use std::time::Duration;

use iced::keyboard::{self, Key};
use iced::{Subscription, Task, Theme};

use crate::core::exchange::{ImportReport, OnConflict};
use crate::core::preferences::{self, Preferences, ThemeChoice};
use crate::core::profile::Profile;
use crate::core::secrets::Secrets;
use crate::core::store::{Paths, Store};
use crate::fl;
use crate::i18n;
use crate::ui::pages::{
    bulk, check, delivery, directory, incoming, preferences as preferences_page, profiles,
    quick as quick_page, sendmail, smtp,
};
use crate::ui::tasks::{self, PendingImport, Saved};

mod bulk_page;
pub mod editor;
mod files;
mod keyring;
mod machine;
mod oauth;
mod pages;
mod quick;
mod quit;
mod saving;
mod sidebar;
mod tabs;
mod view;

pub use editor::Editor;
pub use quit::QuitChoice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Delivery,
    Smtp,
    Sendmail,
    Incoming,
    Check,
}

/// What the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The editor with this id.
    Profile(u64),
    Directory,
    Preferences,
    /// The quick test (the first screen).
    Quick,
    /// The bulk check of many mailboxes.
    Bulk,
}

/// What a chosen file is for.
#[derive(Debug, Clone)]
pub enum Purpose {
    Export,
    Import,
    /// Write this log text.
    SaveLog(String),
    ImportAutoconfig,
    /// Write this provider as a Thunderbird autoconfig file.
    ExportAutoconfig(Box<crate::core::directory::Provider>),
    /// Write an msmtp configuration for the profiles.
    Msmtprc,
    /// The bulk page's list of mailboxes.
    BulkList,
    /// Write the bulk run's report.
    BulkReport,
}

/// A file dialog's stand-in when no desktop portal answers: a path typed by hand.
#[derive(Debug, Clone)]
struct PathPrompt {
    purpose: Purpose,
    text: String,
}

#[derive(Debug, Clone)]
enum Status {
    Info(String),
    Error(String),
}

pub struct App {
    store: Option<Store>,
    secrets: Option<Secrets>,
    preferences: Preferences,
    preferences_page: preferences_page::State,
    directory: directory::State,
    bulk: bulk::State,
    sidebar: profiles::State,
    editors: Vec<Editor>,
    page: Page,
    tab: Tab,
    status: Option<Status>,
    pending_import: Option<PendingImport>,
    path_prompt: Option<PathPrompt>,
    /// Whether to use the keyring at all (tests of other parts leave it out).
    keyring_wanted: bool,
    /// The keyring is reached only when a profile first needs it, so start-up
    /// touches no session bus.
    keyring_asked: bool,
    /// Quitting with unsaved changes: the question, or the saves awaited.
    quitting: Option<quit::Quitting>,
    /// What this computer's `sendmail` is, as a Delivery tab last looked.
    mta: Option<crate::core::mta::Found>,
    /// Every queued message, as a Delivery tab last read it (`None` before
    /// one was shown: start-up reads neither).
    queue: Option<Vec<crate::core::queue::Queued>>,
    /// The number of the last read of the queue asked for, and of the last
    /// one shown: a slower, older read never replaces a newer one.
    queue_asked: u64,
    queue_shown: u64,
    /// Why the queue could not be read, or what the last flush could not do.
    queue_problem: Option<String>,
    /// A flush or delete from the Delivery tab is running.
    queue_busy: bool,
    /// The quick test page.
    quick: quick_page::State,
    /// Certificates trusted beside the platform's by the quick test (tests:
    /// the local mail stack's authority).
    extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Sidebar(profiles::Message),
    Delivery(delivery::Message),
    Smtp(smtp::Message),
    /// A Sendmail page's message, with its editor's id: the program behind a
    /// path and a file dialog answer after another profile may be shown.
    Sendmail(u64, sendmail::Message),
    /// A Check page's message, with its editor's id: a check may finish while
    /// another profile is shown.
    Check(u64, check::Message),
    /// An Incoming page's message, with its editor's id (its IMAP check may
    /// finish while another profile is shown).
    Incoming(u64, incoming::Message),
    Directory(directory::Message),
    Preferences(preferences_page::Message),
    Bulk(bulk::Message),
    Tab(Tab),
    Save,
    Revert,
    /// A save's answer for the editor with this id.
    Saved(u64, Result<Saved, String>),
    /// A new profile, with the page shown when it was asked for: it is opened
    /// only if the user is still there.
    Created {
        asked_on: Page,
        result: Result<Profile, String>,
    },
    /// A delete's answer for the editor with this id, whose profile was `name`.
    Deleted {
        editor: u64,
        name: String,
        result: Result<(), String>,
    },
    KeyringReady(Secrets),
    /// The keyring's answer for the editor with this id, asked for the
    /// profile then called `name`: its password and its separate IMAP one.
    Password {
        editor: u64,
        name: String,
        result: Box<tasks::Passwords>,
    },
    PreferencesSaved(Result<(), String>),
    /// A dialog's answer, with how long it took (an instant "no" means no portal).
    Picked {
        purpose: Purpose,
        path: Option<PathBuf>,
        after: Duration,
    },
    LogSaved(Result<PathBuf, String>),
    /// Detect's answer for the editor with this id.
    Detected(u64, Box<Result<tasks::Detected, String>>),
    PathText(String),
    PathSubmit,
    PathCancel,
    Exported(Result<usize, String>),
    ImportRead(Result<PendingImport, String>),
    /// `None` cancels the import.
    ImportChoice(Option<OnConflict>),
    Imported(Result<ImportReport, String>),
    /// Ctrl+Q.
    Quit,
    /// The window manager's close button.
    CloseRequested(iced::window::Id),
    /// The answer to "save the unsaved profiles before quitting?".
    QuitChoice(QuitChoice),
    /// What this computer's `sendmail` is (`core::mta`), looked at for the
    /// Delivery tab of the editor with this id.
    Mta(u64, crate::core::mta::Found),
    /// The default-profile preference's save, started by the editor with this
    /// id for its profile `name` (`on`: made it the default); `previous` is
    /// the default before, restored if the save failed.
    DefaultProfileSaved {
        editor: u64,
        name: String,
        on: bool,
        previous: String,
        result: Result<(), String>,
    },
    /// The msmtp configuration's file and how many accounts it has.
    MsmtpWritten(Result<(PathBuf, usize), String>),
    /// Time to read the queue again (while a Delivery tab is shown).
    QueueTick,
    /// The queue as read for the Delivery tab of the editor `editor`, by the
    /// read numbered `asked`.
    QueueListed {
        editor: u64,
        asked: u64,
        result: Result<Vec<crate::core::queue::Queued>, String>,
    },
    /// A flush's or delete's answer, as a sentence for the status line.
    QueueChanged(Result<String, String>),
    Quick(quick_page::Message),
    /// A second of an editor's OAuth sign-in wait went by.
    OauthTick(u64),
    /// Whether the profile `name` of the editor `editor` holds OAuth tokens,
    /// after a sign-in (`ends_wait`) or a sign-out.
    OauthHeld {
        editor: u64,
        name: String,
        ends_wait: bool,
        result: Result<smtp::Held, String>,
    },
    /// The sign-in of the editor `editor` knows its authorization URL;
    /// `failure` says why no browser opened it.
    OauthAnnounced {
        editor: u64,
        url: String,
        failure: Option<String>,
    },
    /// Save as profile's answer on the quick test page.
    QuickSaved(Result<quick::QuickSaved, String>),
}

impl App {
    /// Starts with the window drawn at once; profiles, preferences and the keyring
    /// arrive from background tasks.
    pub fn new() -> (Self, Task<Message>) {
        let paths = Paths::from_environment();
        let preferences = paths
            .as_ref()
            .ok()
            .and_then(|p| preferences::load(&p.config).ok())
            .unwrap_or_default();
        if preferences.language.tag().is_some() {
            i18n::init(preferences.language.tag());
        }
        Self::with(paths.map(Store::new), preferences, true)
    }

    /// The app over a given store; `keyring` false leaves the keyring out (tests).
    pub fn with(
        store: Result<Store, crate::core::store::StoreError>,
        preferences: Preferences,
        keyring: bool,
    ) -> (Self, Task<Message>) {
        let usable = store.as_ref().ok().cloned();
        let (sidebar, load) = profiles::State::new(store);
        let app = App {
            store: usable,
            secrets: None,
            preferences_page: preferences_page::State::new(&preferences),
            directory: directory::State::default(),
            bulk: bulk::State::default(),
            preferences,
            sidebar,
            editors: Vec::new(),
            page: Page::Quick,
            tab: Tab::Delivery,
            status: None,
            pending_import: None,
            path_prompt: None,
            keyring_wanted: keyring,
            keyring_asked: false,
            quitting: None,
            mta: None,
            queue: None,
            queue_asked: 0,
            queue_shown: 0,
            queue_problem: None,
            queue_busy: false,
            quick: quick_page::State::default(),
            extra_roots: Vec::new(),
        };
        // The sendmail program and the queue are read by the Delivery tab when
        // it is shown, not here: start-up reads only the profiles.
        (app, load.map(Message::Sidebar))
    }

    pub fn title(&self) -> String {
        fl!("app-title")
    }

    pub fn theme(&self) -> Option<Theme> {
        match self.preferences.theme {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some(Theme::Light),
            ThemeChoice::Dark => Some(Theme::Dark),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        // A round trip's timer, for each editor whose round trip runs.
        let timers = self.editors.iter().map(|editor| {
            editor
                .check
                .roundtrip
                .subscription()
                .with(editor.id)
                .map(|(id, at)| {
                    Message::Check(
                        id,
                        check::Message::RoundTrip(check::roundtrip::Message::Tick(at)),
                    )
                })
        });
        let mut subscriptions: Vec<Subscription<Message>> = vec![
            keyboard::listen().filter_map(|event| shortcut(&event)),
            // The window does not close by itself (see `ui::run`): unsaved
            // changes are asked about first.
            iced::window::close_requests().map(Message::CloseRequested),
        ];
        // The queue's counts stay live while a Delivery tab shows them
        // (`outbound send` and flushes change it from other processes).
        if matches!(self.page, Page::Profile(_)) && self.tab == Tab::Delivery {
            subscriptions
                .push(iced::time::every(Duration::from_secs(2)).map(|_| Message::QueueTick));
        }
        subscriptions.extend(self.sign_in_timers());
        Subscription::batch(subscriptions.into_iter().chain(timers))
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let on_quick = self.page == Page::Quick;
        let task = self.route(message);
        // Leaving the quick test stops it; its answers are dropped from then on.
        if on_quick && self.page != Page::Quick {
            self.quick.leave();
        }
        task
    }

    fn route(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Sidebar(message) => self.on_sidebar(message),
            Message::Delivery(message) => self.on_delivery(message),
            Message::Smtp(message) => self.on_smtp(message),
            Message::Detected(id, result) => self.on_detected(id, result),
            Message::Sendmail(id, message) => self.on_sendmail(id, message),
            Message::Check(id, message) => self.on_check(id, message),
            Message::Incoming(id, message) => self.on_incoming(id, message),
            Message::Tab(tab) => self.on_tab(tab),
            Message::Directory(message) => self.on_directory(message),
            Message::Bulk(message) => self.on_bulk(message),
            Message::Preferences(message) => self.on_preferences(message),
            Message::PreferencesSaved(result) => self.on_preferences_saved(result),
            Message::Save => self.on_save(),
            Message::Revert => self.on_revert(),
            Message::Saved(id, result) => self.on_saved(id, result),
            Message::Created { asked_on, result } => self.on_created(asked_on, result),
            Message::Deleted {
                editor,
                name,
                result,
            } => self.on_deleted(editor, name, result),
            Message::KeyringReady(secrets) => self.on_keyring_ready(secrets),
            Message::Password {
                editor,
                name,
                result,
            } => self.on_password(editor, name, *result),
            Message::Picked {
                purpose,
                path,
                after,
            } => self.on_picked(purpose, path, after),
            Message::LogSaved(result) => self.on_log_saved(result),
            Message::PathText(text) => self.on_path_text(text),
            Message::PathSubmit => self.on_path_submit(),
            Message::PathCancel => self.on_path_cancel(),
            Message::Exported(result) => self.on_exported(result),
            Message::ImportRead(result) => self.on_import_read(result),
            Message::ImportChoice(choice) => self.on_import_choice(choice),
            Message::Imported(result) => self.on_imported(result),
            Message::Quit | Message::CloseRequested(_) => self.on_quit(),
            Message::QuitChoice(choice) => self.on_quit_choice(choice),
            Message::Mta(editor, found) => self.on_mta(editor, found),
            Message::DefaultProfileSaved {
                editor,
                name,
                on,
                previous,
                result,
            } => self.on_default_profile_saved(editor, name, on, previous, result),
            Message::MsmtpWritten(result) => self.on_msmtp_written(result),
            Message::QueueTick => self.list_queue(),
            Message::QueueListed {
                editor,
                asked,
                result,
            } => self.on_queue_listed(editor, asked, result),
            Message::QueueChanged(result) => self.on_queue_changed(result),
            Message::Quick(message) => self.on_quick(message),
            Message::QuickSaved(result) => self.on_quick_saved(result),
            Message::OauthTick(id) => self.on_oauth_tick(id),
            Message::OauthHeld {
                editor,
                name,
                ends_wait,
                result,
            } => self.on_oauth_held(editor, name, ends_wait, result),
            Message::OauthAnnounced {
                editor,
                url,
                failure,
            } => self.on_oauth_announced(editor, url, failure),
        }
    }

    /// The preferences as the window holds them (saved in the background).
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }

    /// The sidebar's state, for tests.
    pub fn sidebar(&self) -> &profiles::State {
        &self.sidebar
    }

    /// What this computer's `sendmail` is, as last looked at (for tests).
    pub fn mta(&self) -> Option<&crate::core::mta::Found> {
        self.mta.as_ref()
    }

    /// Every queued message, as last read (for tests).
    pub fn queue(&self) -> Option<&[crate::core::queue::Queued]> {
        self.queue.as_deref()
    }

    /// The quick test page's state, for tests.
    pub fn quick(&self) -> &quick_page::State {
        &self.quick
    }

    /// Trusts these certificates beside the platform's in the quick test and
    /// the Incoming tab's check (a private authority; the tests' mail stack).
    pub fn trust_roots(&mut self, roots: Vec<rustls::pki_types::CertificateDer<'static>>) {
        self.extra_roots = roots;
    }

    /// The bulk check page's state (for tests).
    pub fn bulk(&self) -> &bulk::State {
        &self.bulk
    }

    /// What the main area shows.
    pub fn page(&self) -> Page {
        self.page
    }

    /// Every opened profile's editor, shown or not.
    pub fn editors(&self) -> &[Editor] {
        &self.editors
    }

    /// The opened profile's editor, for tests and the view.
    pub fn editor(&self) -> Option<&Editor> {
        match self.page {
            Page::Profile(id) => self.editor_by_id(id),
            _ => None,
        }
    }

    fn editor_mut(&mut self) -> Option<&mut Editor> {
        match self.page {
            Page::Profile(id) => self.editor_by_id_mut(id),
            _ => None,
        }
    }

    pub fn editor_by_id(&self, id: u64) -> Option<&Editor> {
        self.editors.iter().find(|e| e.id == id)
    }

    fn editor_by_id_mut(&mut self, id: u64) -> Option<&mut Editor> {
        self.editors.iter_mut().find(|e| e.id == id)
    }

    fn fail(&mut self, error: String) -> Task<Message> {
        self.status = Some(Status::Error(error));
        Task::none()
    }
}

/// The window's keyboard shortcuts: Ctrl+Q quits (asking first when something
/// is unsaved), Ctrl+S saves the opened profile.
pub fn shortcut(event: &keyboard::Event) -> Option<Message> {
    match event {
        keyboard::Event::KeyPressed {
            key: Key::Character(c),
            modifiers,
            ..
        } if modifiers.command() => match c.as_str() {
            "q" => Some(Message::Quit),
            "s" => Some(Message::Save),
            _ => None,
        },
        _ => None,
    }
}

/// The tab a field is on.
fn tab_of(field: &str) -> Tab {
    if field.starts_with("smtp.") {
        Tab::Smtp
    } else if field.starts_with("sendmail.") {
        Tab::Sendmail
    } else if field.starts_with("imap.") {
        Tab::Incoming
    } else {
        Tab::Delivery
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("page", &self.page).finish()
    }
}
