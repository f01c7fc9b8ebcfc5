//! Saving, reverting, creating and deleting profiles. A save is refused with
//! the first invalid field focused; its answer, like a delete's, goes to the
//! editor that started it, wherever the user is by then.

use iced::Task;

use super::{App, Editor, Message, Page, Status, tab_of};
use crate::core::profile::Profile;
use crate::core::store::Scope;
use crate::fl;
use crate::ui::pages::smtp;
use crate::ui::tasks::{self, Saved};

impl App {
    pub(super) fn on_save(&mut self) -> Task<Message> {
        let Some(id) = self.editor().map(|e| e.id) else {
            return Task::none();
        };
        if let Some(refusal) = self.refuse_invalid(id) {
            return refusal;
        }
        self.start_save(id).unwrap_or_else(Task::none)
    }

    /// When the editor's draft has problems: shows the first one, its field focused.
    pub(super) fn refuse_invalid(&mut self, id: u64) -> Option<Task<Message>> {
        let editor = self.editor_by_id(id).filter(|e| e.is_editable())?;
        let field = editor.issues().first()?.field;
        self.page = Page::Profile(id);
        self.tab = tab_of(field);
        self.status = Some(Status::Error(fl!("status-fix-fields")));
        Some(Task::batch([
            iced::widget::operation::focus(field),
            self.on_shown(),
        ]))
    }

    /// Starts writing the editor's draft (and its typed password); `None` when
    /// there is nothing to start: no store, a read-only profile, a save running.
    pub(super) fn start_save(&mut self, id: u64) -> Option<Task<Message>> {
        let store = self.store.clone()?;
        let secrets = self.secrets.clone();
        let editor = self.editor_by_id_mut(id)?;
        if !editor.is_editable() || editor.saving {
            return None;
        }
        editor.saving = true;
        let password = (editor.smtp.password_edited && !editor.smtp.session_only)
            .then(|| editor.smtp.password.clone());
        let imap_password = editor.incoming.password_to_save(&editor.draft);
        let old_name = editor.saved_name().map(str::to_owned);
        let profile = editor.draft.clone();
        let scope = editor.scope;
        Some(Task::perform(
            tasks::save(
                store,
                secrets,
                scope,
                old_name,
                profile,
                password,
                imap_password,
            ),
            move |result| Message::Saved(id, result),
        ))
    }

    pub(super) fn on_saved(&mut self, id: u64, result: Result<Saved, String>) -> Task<Message> {
        let reload = self.sidebar.reload().map(Message::Sidebar);
        // An editor deleted meanwhile has nothing to show it in; the list shows
        // the files as they are.
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::batch([reload, self.quit_after_save(id, None)]);
        };
        editor.saving = false;
        let saved = match result {
            Ok(saved) => saved,
            Err(error) => {
                let name = editor.saved_name().unwrap_or(&editor.draft.name).to_owned();
                self.status = Some(Status::Error(error.clone()));
                return Task::batch([reload, self.quit_after_save(id, Some((name, error)))]);
            }
        };
        // The draft may have changed since the save started: it stays unsaved then.
        let renamed_from = editor
            .saved
            .as_ref()
            .map(|p| p.name.clone())
            .filter(|old| *old != saved.profile.name);
        let scope = editor.scope;
        editor.saved = Some(saved.profile.clone());
        if saved.keyring.as_ref().is_some_and(Result::is_ok) {
            editor.smtp.password_edited = false;
            editor.smtp.keyring = smtp::KeyringState::Saved;
        }
        if saved.imap_saved {
            editor.incoming.password_edited = false;
            editor.incoming.keyring = smtp::KeyringState::Saved;
        }
        // The file now names the new name as the default (the store changed
        // both at once); a later save of the preferences must not undo it.
        if scope == Scope::User
            && renamed_from.is_some_and(|old| old == self.preferences.default_profile)
        {
            self.preferences.default_profile = saved.profile.name.clone();
        }
        let failure = match saved.keyring {
            Some(Err(reason)) => {
                let text = fl!("status-saved-without-password", reason = reason);
                self.status = Some(Status::Error(text.clone()));
                Some((saved.profile.name, text))
            }
            _ => {
                self.status = Some(Status::Info(fl!(
                    "status-saved",
                    name = saved.profile.name.clone()
                )));
                None
            }
        };
        Task::batch([reload, self.quit_after_save(id, failure)])
    }

    pub(super) fn on_revert(&mut self) -> Task<Message> {
        let Some(editor) = self.editor_mut() else {
            return Task::none();
        };
        editor.revert();
        let id = editor.id;
        self.status = None;
        self.ask_password(id)
    }

    /// A new profile is shown if the user is still on the page that asked for
    /// it; otherwise it is only listed.
    pub(super) fn on_created(
        &mut self,
        asked_on: Page,
        result: Result<Profile, String>,
    ) -> Task<Message> {
        let profile = match result {
            Ok(profile) => profile,
            Err(error) => return self.fail(error),
        };
        self.status = Some(Status::Info(fl!(
            "status-created",
            name = profile.name.clone()
        )));
        let reload = self.sidebar.reload().map(Message::Sidebar);
        if self.page != asked_on {
            return reload;
        }
        let editor = Editor::open(profile, Scope::User, true);
        let id = editor.id;
        self.editors.push(editor);
        self.page = Page::Profile(id);
        self.tab = super::Tab::Delivery;
        Task::batch([reload, self.ask_password(id), self.on_shown()])
    }

    /// Closes the deleted profile's editor, not whichever is shown now.
    pub(super) fn on_deleted(
        &mut self,
        id: u64,
        name: String,
        result: Result<(), String>,
    ) -> Task<Message> {
        if let Err(error) = result {
            return self.fail(error);
        }
        let user_scope = self
            .editors
            .iter()
            .any(|e| e.id == id && e.scope == Scope::User);
        // The store cleared the default with the file (see `on_saved`).
        if user_scope && name == self.preferences.default_profile {
            self.preferences.default_profile.clear();
        }
        self.editors.retain(|e| e.id != id);
        if self.page == Page::Profile(id) {
            self.page = Page::Quick;
        }
        self.status = Some(Status::Info(fl!("cli-deleted", name = name)));
        Task::batch([
            self.sidebar.reload().map(Message::Sidebar),
            self.quit_after_save(id, None),
        ])
    }
}
