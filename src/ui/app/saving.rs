//! Saving the opened profile: refused with the first invalid field focused,
//! then the file and the keyring, and what the status line says after.

use iced::Task;

use super::{App, Message, Status, tab_of};
use crate::fl;
use crate::ui::pages::smtp;
use crate::ui::tasks::{self, Saved};

impl App {
    pub(super) fn save(&mut self) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        let secrets = self.secrets.clone();
        let Some(editor) = self.editor() else {
            return Task::none();
        };
        if !editor.is_editable() {
            return Task::none();
        }
        let issues = editor.issues();
        if let Some(first) = issues.first() {
            let field = first.field;
            self.tab = tab_of(field);
            self.status = Some(Status::Error(fl!("status-fix-fields")));
            return iced::widget::operation::focus(field);
        }
        let password = (editor.smtp.password_edited && !editor.smtp.session_only)
            .then(|| editor.smtp.password.clone());
        let old_name = editor.saved_name().map(str::to_owned);
        let profile = editor.draft.clone();
        let scope = editor.scope;
        Task::perform(
            tasks::save(store, secrets, scope, old_name, profile, password),
            Message::Saved,
        )
    }

    pub(super) fn saved(&mut self, result: Result<Saved, String>) -> Task<Message> {
        let saved = match result {
            Ok(saved) => saved,
            Err(error) => return self.fail(error),
        };
        if let Some(editor) = self.editor_mut() {
            editor.saved = Some(saved.profile.clone());
            if saved.keyring.as_ref().is_some_and(Result::is_ok) {
                editor.smtp.password_edited = false;
                editor.smtp.keyring = smtp::KeyringState::Saved;
            }
        }
        self.status = Some(match saved.keyring {
            Some(Err(reason)) => {
                Status::Error(fl!("status-saved-without-password", reason = reason))
            }
            _ => Status::Info(fl!("status-saved", name = saved.profile.name.clone())),
        });
        self.sidebar.reload().map(Message::Sidebar)
    }
}
