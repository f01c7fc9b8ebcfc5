//! The profile list: the user's and the system's profiles, and files that did not load.

use iced::widget::{button, column, container, scrollable, text};
use iced::{Element, Length, Task};

use crate::core::store::{Scope, Store, StoreError};
use crate::fl;
use crate::i18n::Localize;

#[derive(Debug)]
pub struct State {
    store: Result<Store, String>,
    loading: bool,
    rows: Vec<Row>,
    problems: Vec<String>,
    selected: Option<String>,
}

/// What the list shows of one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub scope: Scope,
    pub enabled: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded { rows: Vec<Row>, problems: Vec<String> },
    Select(String),
}

/// What the application must act on.
#[derive(Debug, Clone)]
pub enum Event {
    Selected(String),
}

impl State {
    pub fn new(store: Result<Store, StoreError>) -> (Self, Task<Message>) {
        let mut state = State {
            store: store.map_err(|e| e.localize()),
            loading: true,
            rows: Vec::new(),
            problems: Vec::new(),
            selected: None,
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
            async move { tokio::task::spawn_blocking(move || store.load_all()).await },
            |loaded| match loaded {
                Ok(loaded) => Message::Loaded {
                    rows: loaded
                        .profiles
                        .iter()
                        .map(|p| Row {
                            name: p.profile.name.clone(),
                            scope: p.scope,
                            enabled: p.profile.enabled,
                        })
                        .collect(),
                    problems: loaded.problems.iter().map(Localize::localize).collect(),
                },
                Err(join) => Message::Loaded {
                    rows: Vec::new(),
                    problems: vec![join.to_string()],
                },
            },
        )
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Loaded { rows, problems } => {
                self.loading = false;
                self.rows = rows;
                self.problems = problems;
                (Task::none(), None)
            }
            Message::Select(name) => {
                self.selected = Some(name.clone());
                (Task::none(), Some(Event::Selected(name)))
            }
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut list = column![text(fl!("profiles-heading")).size(20)].spacing(6);
        if let Err(reason) = &self.store {
            list = list.push(text(reason.clone()));
        } else if self.loading {
            list = list.push(text(fl!("profiles-loading")));
        } else if self.rows.is_empty() {
            list = list.push(text(fl!("cli-no-profiles")));
        }
        for row in &self.rows {
            let mut label = row.name.clone();
            if row.scope == Scope::System {
                label = format!("{label}  ({})", fl!("scope-read-only"));
            }
            if !row.enabled {
                label = format!("{label}  ({})", fl!("profile-disabled"));
            }
            let style = if self.selected.as_ref() == Some(&row.name) {
                button::primary
            } else {
                button::text
            };
            list = list.push(button(text(label)).style(style).on_press(Message::Select(row.name.clone())));
        }
        for problem in &self.problems {
            list = list.push(text(problem.clone()).size(13));
        }
        container(scrollable(list.padding(16)).height(Length::Fill))
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }
}
