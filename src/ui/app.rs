//! The application: the sidebar, the opened profile's tabs and the other pages.
//! Routes messages down to pages and acts on their events; every effect is a
//! `Task` from `ui::tasks`.

use std::path::PathBuf;
use std::time::Duration;

use iced::keyboard::{self, Key};
use iced::{Subscription, Task, Theme};

use crate::core::exchange::{ImportReport, OnConflict};
use crate::core::preferences::{self, Preferences, ThemeChoice};
use crate::core::profile::Profile;
use crate::core::secrets::Secrets;
use crate::core::store::{Paths, Scope, Store};
use crate::fl;
use crate::i18n;
use crate::ui::editor::Editor;
use crate::ui::pages::{
    check, delivery, directory, preferences as preferences_page, profiles, sendmail, smtp,
};
use crate::ui::tasks::{self, PendingImport, Saved};

mod effects;
mod saving;
mod view;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Delivery,
    Smtp,
    Sendmail,
    Check,
}

/// What the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    /// An index into `editors`.
    Profile(usize),
    Directory,
    Preferences,
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
    sidebar: profiles::State,
    editors: Vec<Editor>,
    open: Open,
    tab: Tab,
    status: Option<Status>,
    pending_import: Option<PendingImport>,
    path_prompt: Option<PathPrompt>,
    /// Whether to use the keyring at all (tests of other parts leave it out).
    keyring_wanted: bool,
    /// The keyring is reached only when a profile first needs it, so start-up
    /// touches no session bus.
    keyring_asked: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Sidebar(profiles::Message),
    Delivery(delivery::Message),
    Smtp(smtp::Message),
    Sendmail(sendmail::Message),
    /// A Check page's message, with its editor's id: a check may finish while
    /// another profile is shown.
    Check(u64, check::Message),
    Directory(directory::Message),
    Preferences(preferences_page::Message),
    Tab(Tab),
    Save,
    Revert,
    Saved(Result<Saved, String>),
    Created(Result<Profile, String>),
    Deleted(Result<(), String>),
    KeyringReady(Secrets),
    Password {
        name: String,
        result: Result<Option<crate::core::secret::Secret>, String>,
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
    Quit,
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
            preferences,
            sidebar,
            editors: Vec::new(),
            open: Open::Nothing,
            tab: Tab::Delivery,
            status: None,
            pending_import: None,
            path_prompt: None,
            keyring_wanted: keyring,
            keyring_asked: false,
        };
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
        keyboard::listen().filter_map(|event| match event {
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
        })
    }

    /// The sidebar's state, for tests.
    pub fn sidebar(&self) -> &profiles::State {
        &self.sidebar
    }

    /// The opened profile's editor, for tests and the view.
    pub fn editor(&self) -> Option<&Editor> {
        match self.open {
            Open::Profile(index) => self.editors.get(index),
            _ => None,
        }
    }

    fn editor_mut(&mut self) -> Option<&mut Editor> {
        match self.open {
            Open::Profile(index) => self.editors.get_mut(index),
            _ => None,
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Quit => iced::exit(),
            Message::Sidebar(message) => {
                let (task, event) = self.sidebar.update(message.clone());
                if let profiles::Message::Loaded { .. } = message {
                    self.refresh_editors();
                }
                let follow = event.map_or_else(Task::none, |event| self.on_sidebar(event));
                Task::batch([task.map(Message::Sidebar), follow])
            }
            Message::Delivery(message) => self.edit(|e| {
                e.delivery
                    .update(&mut e.draft, message)
                    .map(Message::Delivery)
            }),
            Message::Smtp(message) => self.on_smtp(message),
            Message::Detected(id, result) => {
                if let Some(editor) = self.editors.iter_mut().find(|e| e.id == id) {
                    let _ = editor
                        .smtp
                        .update(&mut editor.draft, smtp::Message::Detected(result));
                }
                Task::none()
            }
            // What was found at the path is shown for read-only profiles too.
            Message::Sendmail(message @ sendmail::Message::Located(..)) => {
                match self.editor_mut() {
                    Some(e) => e
                        .sendmail
                        .update(&mut e.draft, message)
                        .map(Message::Sendmail),
                    None => Task::none(),
                }
            }
            Message::Sendmail(message) => self.edit(|e| {
                e.sendmail
                    .update(&mut e.draft, message)
                    .map(Message::Sendmail)
            }),
            Message::Check(id, message) => self.on_check(id, message),
            Message::Directory(message) => self.on_directory(message),
            Message::Preferences(message) => {
                let (task, event) = self.preferences_page.update(&self.preferences, message);
                let mut tasks = vec![task.map(Message::Preferences)];
                if let Some(preferences_page::Event::Changed(preferences)) = event {
                    if preferences.language != self.preferences.language {
                        i18n::init(preferences.language.tag());
                    }
                    self.preferences = preferences.clone();
                    if let Some(store) = &self.store {
                        let config = store.paths().config.clone();
                        tasks.push(Task::perform(
                            tasks::save_preferences(config, preferences),
                            Message::PreferencesSaved,
                        ));
                    }
                }
                Task::batch(tasks)
            }
            Message::PreferencesSaved(result) => {
                if let Err(error) = result {
                    self.status = Some(Status::Error(error));
                }
                Task::none()
            }
            Message::Tab(tab) => {
                self.tab = tab;
                match (tab, self.editor()) {
                    // What program is behind the path is looked at each time the tab opens.
                    (Tab::Sendmail, Some(editor)) => editor
                        .sendmail
                        .locate(&editor.draft.sendmail.path)
                        .map(Message::Sendmail),
                    _ => Task::none(),
                }
            }
            Message::Save => self.save(),
            Message::Revert => {
                let Some(editor) = self.editor_mut() else {
                    return Task::none();
                };
                editor.revert();
                let name = editor.draft.name.clone();
                self.status = None;
                self.ask_password(name)
            }
            Message::Saved(result) => self.saved(result),
            Message::Created(result) => match result {
                Ok(profile) => {
                    self.status = Some(Status::Info(fl!(
                        "status-created",
                        name = profile.name.clone()
                    )));
                    let name = profile.name.clone();
                    self.editors.push(Editor::open(profile, Scope::User, true));
                    self.open = Open::Profile(self.editors.len() - 1);
                    self.tab = Tab::Delivery;
                    Task::batch([
                        self.sidebar.reload().map(Message::Sidebar),
                        self.ask_password(name),
                    ])
                }
                Err(error) => self.fail(error),
            },
            Message::Deleted(result) => match result {
                Ok(()) => {
                    if let Open::Profile(index) = self.open {
                        let name = self.editors.remove(index).draft.name;
                        self.status = Some(Status::Info(fl!("cli-deleted", name = name)));
                    }
                    self.open = Open::Nothing;
                    self.sidebar.reload().map(Message::Sidebar)
                }
                Err(error) => self.fail(error),
            },
            Message::KeyringReady(secrets) => {
                self.secrets = Some(secrets);
                match self.editor() {
                    Some(editor) => {
                        let name = editor.draft.name.clone();
                        self.ask_password(name)
                    }
                    None => Task::none(),
                }
            }
            Message::Password { name, result } => {
                if let Some(editor) = self
                    .editors
                    .iter_mut()
                    .find(|e| e.saved_name() == Some(name.as_str()))
                {
                    let (state, password) = match result {
                        Ok(Some(password)) => (smtp::KeyringState::Saved, Some(password)),
                        Ok(None) => (smtp::KeyringState::NotSaved, None),
                        Err(reason) => (smtp::KeyringState::Unavailable(reason), None),
                    };
                    editor.smtp.set_keyring(state, password);
                }
                Task::none()
            }
            Message::Picked {
                purpose,
                path,
                after,
            } => match path {
                Some(path) => self.use_path(purpose, path),
                // An answer this quick means no portal asked anyone: offer a path field.
                None if after < Duration::from_millis(400) => {
                    self.path_prompt = Some(PathPrompt {
                        purpose,
                        text: String::new(),
                    });
                    Task::none()
                }
                None => Task::none(),
            },
            Message::LogSaved(result) => {
                self.status = Some(match result {
                    Ok(path) => {
                        Status::Info(fl!("status-log-saved", file = path.display().to_string()))
                    }
                    Err(error) => Status::Error(error),
                });
                Task::none()
            }
            Message::PathText(text) => {
                if let Some(prompt) = &mut self.path_prompt {
                    prompt.text = text;
                }
                Task::none()
            }
            Message::PathSubmit => match self.path_prompt.take() {
                Some(prompt) if !prompt.text.trim().is_empty() => {
                    self.use_path(prompt.purpose, PathBuf::from(prompt.text.trim()))
                }
                other => {
                    self.path_prompt = other;
                    Task::none()
                }
            },
            Message::PathCancel => {
                self.path_prompt = None;
                Task::none()
            }
            Message::Exported(result) => {
                self.status = Some(match result {
                    Ok(count) => Status::Info(fl!("status-exported", count = count)),
                    Err(error) => Status::Error(error),
                });
                Task::none()
            }
            Message::ImportRead(result) => match result {
                Ok(pending) if pending.conflicts.is_empty() => {
                    self.apply_import(pending.contents, None)
                }
                Ok(pending) => {
                    self.pending_import = Some(pending);
                    Task::none()
                }
                Err(error) => self.fail(error),
            },
            Message::ImportChoice(choice) => match (self.pending_import.take(), choice) {
                (Some(pending), Some(policy)) => self.apply_import(pending.contents, Some(policy)),
                _ => Task::none(),
            },
            Message::Imported(result) => match result {
                Ok(report) => {
                    let count = report.added.len() + report.replaced.len() + report.renamed.len();
                    let mut text = fl!(
                        "status-imported",
                        count = count,
                        skipped = report.skipped.len()
                    );
                    let mut reloads = vec![self.sidebar.reload().map(Message::Sidebar)];
                    if !report.providers.is_empty() {
                        let ids = report.providers.join(", ");
                        text = format!("{text} {}", fl!("status-imported-providers", ids = ids));
                        reloads.push(self.reload_directory());
                    }
                    self.status = Some(Status::Info(text));
                    Task::batch(reloads)
                }
                Err(error) => self.fail(error),
            },
        }
    }

    /// Applies an edit to the opened profile; system profiles are read-only.
    fn edit(&mut self, apply: impl FnOnce(&mut Editor) -> Task<Message>) -> Task<Message> {
        match self.editor_mut() {
            Some(editor) if editor.is_editable() => apply(editor),
            _ => Task::none(),
        }
    }

    fn fail(&mut self, error: String) -> Task<Message> {
        self.status = Some(Status::Error(error));
        Task::none()
    }

    fn on_sidebar(&mut self, event: profiles::Event) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        match event {
            profiles::Event::Selected(name, scope) => {
                if let Some(index) = self.editors.iter().position(|e| e.is(&name, scope)) {
                    self.open = Open::Profile(index);
                    return Task::none();
                }
                let Some(row) = self
                    .sidebar
                    .rows()
                    .iter()
                    .find(|r| r.profile.name == name && r.scope == scope)
                else {
                    return Task::none();
                };
                self.editors
                    .push(Editor::open(row.profile.clone(), scope, row.writable));
                self.open = Open::Profile(self.editors.len() - 1);
                self.ask_password(name)
            }
            profiles::Event::New => {
                let mut profile = Profile::named("profile");
                profile.smtp.timeout_secs = self.preferences.default_timeout_secs;
                Task::perform(
                    tasks::create(store, profile, "new_profile".to_owned()),
                    Message::Created,
                )
            }
            profiles::Event::Duplicate => {
                let Some(editor) = self.editor() else {
                    return Task::none();
                };
                let profile = editor.draft.clone();
                let base = format!("{}_copy", profile.name);
                Task::perform(tasks::create(store, profile, base), Message::Created)
            }
            profiles::Event::Delete => match self.editor() {
                Some(editor) if editor.is_editable() => {
                    let name = editor.saved_name().unwrap_or_default().to_owned();
                    Task::perform(
                        tasks::delete(store, self.secrets.clone(), editor.scope, name),
                        Message::Deleted,
                    )
                }
                _ => Task::none(),
            },
            profiles::Event::Import => pick(Purpose::Import),
            profiles::Event::Export => pick(Purpose::Export),
            profiles::Event::Preferences => {
                self.open = Open::Preferences;
                Task::none()
            }
            profiles::Event::Directory => {
                self.open = Open::Directory;
                self.reload_directory()
            }
        }
    }

    /// After the list is read again, editors without unsaved changes follow the files.
    fn refresh_editors(&mut self) {
        let rows = self.sidebar.rows();
        for editor in self.editors.iter_mut().filter(|e| !e.has_changes()) {
            let current = rows.iter().find(|r| {
                Some(r.profile.name.as_str()) == editor.saved_name() && r.scope == editor.scope
            });
            if let Some(row) = current
                && editor.saved.as_ref() != Some(&row.profile)
            {
                editor.reload(row.profile.clone());
            }
        }
    }

    /// Asks the keyring for a profile's password, connecting to it the first time.
    fn ask_password(&mut self, name: String) -> Task<Message> {
        match &self.secrets {
            Some(secrets) => Task::perform(
                tasks::password(secrets.clone(), name.clone()),
                move |result| Message::Password {
                    name: name.clone(),
                    result,
                },
            ),
            // The answer asks again for the profile then open.
            None if self.keyring_wanted && !self.keyring_asked => {
                self.keyring_asked = true;
                Task::perform(Secrets::connect(), Message::KeyringReady)
            }
            None => Task::none(),
        }
    }
}

use effects::pick;

/// The tab a field is on.
fn tab_of(field: &str) -> Tab {
    if field.starts_with("smtp.") {
        Tab::Smtp
    } else if field.starts_with("sendmail.") {
        Tab::Sendmail
    } else {
        Tab::Delivery
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("open", &self.open).finish()
    }
}
