//! The keyring's part in the window: connecting on first need, and each
//! editor's password, asked for by that editor and answered to it.

use iced::Task;

use super::{App, Message};
use crate::core::secret::Secret;
use crate::core::secrets::Secrets;
use crate::ui::pages::smtp;
use crate::ui::tasks;

impl App {
    /// Asks the keyring for an editor's password, connecting to it the first time.
    pub(super) fn ask_password(&mut self, id: u64) -> Task<Message> {
        match (&self.secrets, &self.store) {
            (Some(secrets), Some(store)) => {
                let Some((scope, name)) = self
                    .editor_by_id(id)
                    .and_then(|e| Some((e.scope, e.saved_name()?.to_owned())))
                else {
                    return Task::none();
                };
                Task::perform(
                    tasks::passwords(secrets.clone(), store.paths().clone(), scope, name.clone()),
                    move |result| Message::Password {
                        editor: id,
                        name: name.clone(),
                        result: Box::new(result),
                    },
                )
            }
            // The answer asks again for every editor open by then.
            (None, _) if self.keyring_wanted && !self.keyring_asked => {
                self.keyring_asked = true;
                Task::perform(Secrets::connect(), Message::KeyringReady)
            }
            // Without a keyring the separate IMAP password is the session's.
            (None, _) if !self.keyring_wanted => {
                if let Some(editor) = self.editor_by_id_mut(id) {
                    editor.incoming.keyring = smtp::KeyringState::Unused;
                }
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// Every editor opened while the keyring was connecting waits for its answer.
    pub(super) fn on_keyring_ready(&mut self, secrets: Secrets) -> Task<Message> {
        self.secrets = Some(secrets);
        let ids: Vec<u64> = self.editors.iter().map(|e| e.id).collect();
        Task::batch(ids.into_iter().map(|id| self.ask_password(id)))
    }

    /// The answer goes to the editor that asked, shown or not; an answer for an
    /// editor closed since, or for a name the profile no longer has, is dropped.
    pub(super) fn on_password(
        &mut self,
        id: u64,
        name: String,
        result: tasks::Passwords,
    ) -> Task<Message> {
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::none();
        };
        if editor.saved_name() != Some(name.as_str()) {
            return Task::none();
        }
        let (state, password) = keyring_state(result.smtp);
        editor.smtp.set_keyring(state, password);
        let (state, password) = keyring_state(result.imap);
        editor.incoming.set_keyring(state, password);
        editor.smtp.sign_in.answer(result.oauth, false);
        Task::none()
    }
}

/// What the keyring's answer for one password says, and the password.
fn keyring_state(result: Result<Option<Secret>, String>) -> (smtp::KeyringState, Option<Secret>) {
    match result {
        Ok(Some(password)) => (smtp::KeyringState::Saved, Some(password)),
        Ok(None) => (smtp::KeyringState::NotSaved, None),
        Err(reason) => (smtp::KeyringState::Unavailable(reason), None),
    }
}
