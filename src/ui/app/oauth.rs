//! The SMTP tab's OAuth sign-in and sign-out (issue 13), run by `core::oauth`
//! in tasks whose answers name the editor that started them.

use std::time::Duration;

use iced::Task;

use super::{App, Message};
use crate::core::oauth;
use crate::core::profile::Profile;
use crate::core::secrets::{SecretKey, Secrets};
use crate::core::store::{Paths, Scope};
use crate::fl;
use crate::i18n::Localize;
use crate::ui::pages::quick as quick_page;
use crate::ui::pages::smtp::Held;
use crate::ui::tasks;

impl App {
    /// Starts the browser sign-in for the editor `id`'s saved profile.
    pub(super) fn start_sign_in(&mut self, id: u64) -> Task<Message> {
        let secrets = self.secrets.clone();
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::none();
        };
        let (Some(secrets), Some(paths), Some(name)) =
            (secrets, paths, editor.saved_name().map(str::to_owned))
        else {
            editor
                .smtp
                .sign_in
                .answer(Err(fl!("oauth-needs-saved-profile")), true);
            return Task::none();
        };
        let reply_name = name.clone();
        let (scope, profile) = (editor.scope, editor.draft.clone());
        let (task, handle) = tasks::sign_in(
            move |announce| sign_in(secrets, paths, scope, name, profile, announce),
            move |url, failure| Message::OauthAnnounced {
                editor: id,
                url,
                failure,
            },
            move |result| Message::OauthHeld {
                editor: id,
                name: reply_name,
                ends_wait: true,
                result,
            },
        );
        editor.smtp.sign_in.start(handle);
        task
    }

    /// Deletes the editor `id`'s profile's tokens.
    pub(super) fn start_sign_out(&mut self, id: u64) -> Task<Message> {
        let secrets = self.secrets.clone();
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::none();
        };
        let (Some(secrets), Some(paths), Some(name)) =
            (secrets, paths, editor.saved_name().map(str::to_owned))
        else {
            return Task::none();
        };
        // A sign-in still waiting would store tokens after this sign-out.
        editor.smtp.sign_in.cancel();
        let key = SecretKey::profile(&paths, editor.scope, &name).oauth();
        Task::perform(
            async move {
                oauth::delete_tokens(&secrets, &key)
                    .await
                    .map(|()| Held::Out)
                    .map_err(|e| e.localize())
            },
            move |result| Message::OauthHeld {
                editor: id,
                name: name.clone(),
                ends_wait: false,
                result,
            },
        )
    }

    /// A sign-in's, a sign-out's answer: to the editor that started it, if it
    /// still shows the same profile.
    pub(super) fn on_oauth_held(
        &mut self,
        id: u64,
        name: String,
        ends_wait: bool,
        result: Result<Held, String>,
    ) -> Task<Message> {
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::none();
        };
        if editor.saved_name() == Some(name.as_str()) {
            editor.smtp.sign_in.answer(result, ends_wait);
        } else if ends_wait {
            // Renamed while the browser was waited for: the answer is of the
            // old name, but the wait is over all the same.
            editor.smtp.sign_in.cancel();
        }
        Task::none()
    }

    /// The sign-in's authorization URL: shown when no browser opened it.
    pub(super) fn on_oauth_announced(
        &mut self,
        id: u64,
        url: String,
        failure: Option<String>,
    ) -> Task<Message> {
        if let Some(editor) = self.editor_by_id_mut(id) {
            editor.smtp.sign_in.announce(url, failure);
        }
        Task::none()
    }

    pub(super) fn on_oauth_tick(&mut self, id: u64) -> Task<Message> {
        if let Some(editor) = self.editor_by_id_mut(id) {
            editor.smtp.sign_in.tick();
        }
        Task::none()
    }

    /// A one-second timer for each editor whose sign-in waits.
    pub(super) fn sign_in_timers(&self) -> Vec<iced::Subscription<Message>> {
        let mut timers: Vec<_> = self
            .editors
            .iter()
            .filter(|e| e.smtp.sign_in.is_waiting())
            .map(|e| {
                iced::time::every(Duration::from_secs(1))
                    .with(e.id)
                    .map(|(id, _)| Message::OauthTick(id))
            })
            .collect();
        // The quick test's own sign-in.
        if self.quick.sign_in.is_waiting() {
            timers.push(
                iced::time::every(Duration::from_secs(1))
                    .map(|_| Message::Quick(quick_page::Message::SignInTick)),
            );
        }
        timers
    }
}

/// The browser sign-in; the tokens go to the keyring and only their expiry
/// comes back.
async fn sign_in(
    secrets: Secrets,
    paths: Paths,
    scope: Scope,
    name: String,
    profile: Profile,
    announce: oauth::Announce,
) -> Result<Held, String> {
    let tokens = oauth::sign_in_window(&paths, &profile, &secrets, announce)
        .await
        .map_err(|e| e.localize())?;
    let key = SecretKey::profile(&paths, scope, &name).oauth();
    oauth::save_tokens(&secrets, &key, &tokens)
        .await
        .map_err(|e| e.localize())?;
    Ok(Held::In {
        expires_at: tokens.expires_at,
    })
}
