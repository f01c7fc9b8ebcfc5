//! The sidebar: the user's and the system's profiles, the files that did not
//! load, the profile actions and the way to the other pages.

use iced::widget::{Column, button, column, container, row, rule, scrollable, text};
use iced::{Element, Length, Task, Theme};

use crate::core::store::{Scope, Store, StoreError};
use crate::fl;
use crate::i18n::Localize;
use crate::ui::widget::form;
use crate::ui::widget::icon::{self, Icon, Tone};

#[derive(Debug)]
pub struct State {
    store: Result<Store, String>,
    loading: bool,
    rows: Vec<Row>,
    problems: Vec<String>,
    confirm_delete: bool,
}

/// What the list shows of one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub profile: crate::core::profile::Profile,
    pub scope: Scope,
    /// Whether its scope can be written here.
    pub writable: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded {
        rows: Vec<Row>,
        problems: Vec<String>,
    },
    Select(String, Scope),
    New,
    Duplicate,
    Delete,
    ConfirmDelete,
    CancelDelete,
    Import,
    Export,
    Directory,
    Preferences,
    Quick,
    Bulk,
}

/// What the application must act on.
#[derive(Debug, Clone)]
pub enum Event {
    Selected(String, Scope),
    New,
    Duplicate,
    Delete,
    Import,
    Export,
    Directory,
    Preferences,
    Quick,
    Bulk,
}

/// What the sidebar marks: the open profile and whether it has unsaved changes.
#[derive(Debug, Clone, Default)]
pub struct Marks<'a> {
    pub open: Option<(&'a str, Scope)>,
    /// Profiles with unsaved changes.
    pub dirty: Vec<(&'a str, Scope)>,
    pub preferences: bool,
    pub directory: bool,
    pub quick: bool,
    pub bulk: bool,
}

/// Reads both scopes (blocking: run it off the UI thread).
pub fn load(store: &Store) -> Message {
    let loaded = store.load_all();
    // Once per load, not per row: it reads the system folder's permissions.
    let system_writable = store.is_writable(Scope::System);
    Message::Loaded {
        rows: loaded
            .profiles
            .iter()
            .map(|p| Row {
                profile: p.profile.clone(),
                scope: p.scope,
                writable: p.scope == Scope::User || system_writable,
            })
            .collect(),
        problems: loaded.problems.iter().map(Localize::localize).collect(),
    }
}

impl State {
    pub fn new(store: Result<Store, StoreError>) -> (Self, Task<Message>) {
        let mut state = State {
            store: store.map_err(|e| e.localize()),
            loading: true,
            rows: Vec::new(),
            problems: Vec::new(),
            confirm_delete: false,
        };
        let task = state.reload();
        (state, task)
    }

    /// Reads the profiles off the UI thread.
    pub fn reload(&mut self) -> Task<Message> {
        let Ok(store) = self.store.clone() else {
            self.loading = false;
            return Task::none();
        };
        self.loading = true;
        Task::perform(
            async move { tokio::task::spawn_blocking(move || load(&store)).await },
            |loaded| {
                loaded.unwrap_or_else(|join| Message::Loaded {
                    rows: Vec::new(),
                    problems: vec![join.to_string()],
                })
            },
        )
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        let event = match message {
            Message::Loaded { rows, problems } => {
                self.loading = false;
                self.rows = rows;
                self.problems = problems;
                None
            }
            Message::Select(name, scope) => Some(Event::Selected(name, scope)),
            Message::New => Some(Event::New),
            Message::Duplicate => Some(Event::Duplicate),
            Message::Delete => {
                self.confirm_delete = true;
                None
            }
            Message::ConfirmDelete => {
                self.confirm_delete = false;
                Some(Event::Delete)
            }
            Message::CancelDelete => {
                self.confirm_delete = false;
                None
            }
            Message::Import => Some(Event::Import),
            Message::Export => Some(Event::Export),
            Message::Directory => Some(Event::Directory),
            Message::Preferences => Some(Event::Preferences),
            Message::Quick => Some(Event::Quick),
            Message::Bulk => Some(Event::Bulk),
        };
        (Task::none(), event)
    }

    pub fn view(&self, marks: Marks<'_>) -> Element<'_, Message> {
        let mut list = Column::new().spacing(2);
        if let Err(reason) = &self.store {
            list = list.push(form::error_text(reason.clone()));
        } else if self.loading && self.rows.is_empty() {
            list = list.push(text(fl!("profiles-loading")));
        } else if self.rows.is_empty() {
            list = list.push(form::note(fl!("cli-no-profiles")));
        }
        let mut shown_system_heading = false;
        for row in &self.rows {
            if row.scope == Scope::System && !shown_system_heading {
                shown_system_heading = true;
                list = list.push(container(text(fl!("sidebar-system")).size(13)).padding([8, 0]));
            }
            let name = row.profile.name.as_str();
            let open = marks.open == Some((name, row.scope));
            let mut label = name.to_owned();
            if marks.dirty.contains(&(name, row.scope)) {
                label = format!("{label}  *");
            }
            if !row.writable {
                label = format!("{label}  ({})", fl!("scope-read-only"));
            }
            if !row.profile.enabled {
                label = format!("{label}  ({})", fl!("profile-disabled"));
            }
            let style = if open { button::primary } else { button::text };
            list = list.push(
                button(text(label))
                    .style(style)
                    .width(Length::Fill)
                    .on_press(Message::Select(row.profile.name.clone(), row.scope)),
            );
        }
        for problem in &self.problems {
            list = list.push(form::error_text(problem.clone()));
        }
        let has_open = marks.open.is_some();
        let can_delete = self
            .rows
            .iter()
            .any(|r| marks.open == Some((r.profile.name.as_str(), r.scope)) && r.writable);
        let actions: Element<'_, Message> = if self.confirm_delete {
            row![
                button(text(fl!("delete-confirm")))
                    .style(button::danger)
                    .on_press(Message::ConfirmDelete),
                button(text(fl!("cancel")))
                    .style(button::secondary)
                    .on_press(Message::CancelDelete),
            ]
            .spacing(6)
            .into()
        } else {
            column![
                row![
                    button(text(fl!("action-new"))).on_press(Message::New),
                    button(text(fl!("action-duplicate")))
                        .on_press_maybe(has_open.then_some(Message::Duplicate)),
                    button(text(fl!("action-delete")))
                        .style(button::danger)
                        .on_press_maybe(can_delete.then_some(Message::Delete)),
                ]
                .spacing(6)
                // Longer labels (Russian) go on to a second line rather than past the edge.
                .wrap()
                .vertical_spacing(6),
                row![
                    button(text(fl!("action-import")))
                        .style(button::secondary)
                        .on_press(Message::Import),
                    button(text(fl!("action-export")))
                        .style(button::secondary)
                        .on_press(Message::Export),
                ]
                .spacing(6)
                .wrap()
                .vertical_spacing(6),
            ]
            .spacing(6)
            .into()
        };
        let nav = |label: String, icon: Icon, open: bool, message: Message| {
            let (style, tone): (fn(&Theme, button::Status) -> button::Style, _) = if open {
                (button::primary, Tone::OnPrimary)
            } else {
                (button::text, Tone::Text)
            };
            button(icon::labelled(icon, tone, label))
                .style(style)
                .width(Length::Fill)
                .on_press(message)
        };
        column![
            text(fl!("profiles-heading")).size(13),
            scrollable(list).height(Length::Fill),
            actions,
            rule::horizontal(1),
            nav(fl!("nav-quick"), Icon::Check, marks.quick, Message::Quick),
            nav(fl!("nav-bulk"), Icon::Check, marks.bulk, Message::Bulk),
            nav(
                fl!("nav-directory"),
                Icon::Directory,
                marks.directory,
                Message::Directory
            ),
            nav(
                fl!("nav-preferences"),
                Icon::Preferences,
                marks.preferences,
                Message::Preferences
            ),
        ]
        .spacing(10)
        .padding(12)
        .width(280)
        .into()
    }
}
