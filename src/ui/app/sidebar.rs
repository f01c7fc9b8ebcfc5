//! The sidebar's messages and what its events start: opening a profile, New,
//! Duplicate, Delete, import and export, the other pages.

use iced::Task;

use super::files::pick;
use super::{App, Editor, Message, Page, Purpose};
use crate::core::profile::Profile;
use crate::core::store::Scope;
use crate::ui::pages::profiles;
use crate::ui::tasks;

impl App {
    pub(super) fn on_sidebar(&mut self, message: profiles::Message) -> Task<Message> {
        let loaded = matches!(message, profiles::Message::Loaded { .. });
        let (task, event) = self.sidebar.update(message);
        let mut tasks = vec![task.map(Message::Sidebar)];
        if loaded {
            tasks.push(self.refresh_editors());
        }
        if let Some(event) = event {
            tasks.push(self.on_sidebar_event(event));
        }
        Task::batch(tasks)
    }

    fn on_sidebar_event(&mut self, event: profiles::Event) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        match event {
            profiles::Event::Selected(name, scope) => self.open_profile(&name, scope),
            profiles::Event::New => {
                let mut profile = Profile::named("profile");
                profile.smtp.timeout_secs = self.preferences.default_timeout_secs;
                let asked_on = self.page;
                Task::perform(
                    tasks::create(store, profile, "new_profile".to_owned(), None),
                    move |result| Message::Created { asked_on, result },
                )
            }
            profiles::Event::Duplicate => {
                let Some(editor) = self.editor() else {
                    return Task::none();
                };
                let profile = editor.draft.clone();
                let base = format!("{}_copy", profile.name);
                let original = editor
                    .saved_name()
                    .map(|name| (editor.scope, name.to_owned()));
                let asked_on = self.page;
                let create = tasks::create(store, profile, base, original);
                Task::perform(create, move |result| Message::Created { asked_on, result })
            }
            profiles::Event::Delete => match self.editor() {
                Some(editor) if editor.is_editable() => {
                    let id = editor.id;
                    let name = editor.saved_name().unwrap_or_default().to_owned();
                    let delete =
                        tasks::delete(store, self.secrets.clone(), editor.scope, name.clone());
                    Task::perform(delete, move |result| Message::Deleted {
                        editor: id,
                        name: name.clone(),
                        result,
                    })
                }
                _ => Task::none(),
            },
            profiles::Event::Import => pick(Purpose::Import),
            profiles::Event::Export => pick(Purpose::Export),
            profiles::Event::Preferences => {
                self.page = Page::Preferences;
                Task::none()
            }
            profiles::Event::Quick => {
                self.page = Page::Quick;
                Task::none()
            }
            profiles::Event::Bulk => {
                self.page = Page::Bulk;
                Task::none()
            }
            profiles::Event::Directory => {
                self.page = Page::Directory;
                self.reload_directory()
            }
        }
    }

    /// Shows a listed profile, in the editor it already has if it was opened before.
    fn open_profile(&mut self, name: &str, scope: Scope) -> Task<Message> {
        if let Some(editor) = self.editors.iter().find(|e| e.is(name, scope)) {
            self.page = Page::Profile(editor.id);
            return self.on_shown();
        }
        let Some(row) = self
            .sidebar
            .rows()
            .iter()
            .find(|r| r.profile.name == name && r.scope == scope)
        else {
            return Task::none();
        };
        let editor = Editor::open(row.profile.clone(), scope, row.writable);
        let id = editor.id;
        self.editors.push(editor);
        self.page = Page::Profile(id);
        Task::batch([self.ask_password(id), self.on_shown()])
    }

    /// After the list is read again, editors without unsaved changes follow the
    /// files; each one reloaded asks the keyring again (the profile may have been
    /// replaced, its password set or removed from elsewhere).
    fn refresh_editors(&mut self) -> Task<Message> {
        let rows = self.sidebar.rows();
        let mut reloaded = Vec::new();
        for editor in self.editors.iter_mut().filter(|e| !e.has_changes()) {
            let current = rows.iter().find(|r| {
                Some(r.profile.name.as_str()) == editor.saved_name() && r.scope == editor.scope
            });
            if let Some(row) = current
                && editor.saved.as_ref() != Some(&row.profile)
            {
                editor.reload(row.profile.clone());
                reloaded.push(editor.id);
            }
        }
        Task::batch(reloaded.into_iter().map(|id| self.ask_password(id)))
    }
}
