//! The quick test page's part in the app: its context (the user's folders for
//! the directory, the extra trusted roots), and Save as profile, which writes
//! the draft as a new user profile under a free name and its password to the
//! keyring under the profile's key, as the editor's save does; then opens it.

use iced::Task;

use super::{App, Editor, Message, Page, Status};
use crate::core::oauth::{self, Tokens};
use crate::core::profile::Profile;
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};
use crate::core::store::{Scope, Store};
use crate::fl;
use crate::i18n::Localize;
use crate::ui::pages::quick as quick_page;
use crate::ui::tasks;

/// Save as profile's answer: the profile as written, the keyring's answer for
/// its password (`None`: no keyring in use), and the keyring connection made
/// for it when the window had none yet.
#[derive(Debug, Clone)]
pub struct QuickSaved {
    pub profile: Profile,
    pub keyring: Option<Result<(), String>>,
    pub secrets: Option<Secrets>,
}

impl App {
    pub(super) fn on_quick(&mut self, message: quick_page::Message) -> Task<Message> {
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let extra_roots = self.extra_roots.clone();
        let (task, event) = self
            .quick
            .update(message, || quick_page::Context { paths, extra_roots });
        let task = task.map(Message::Quick);
        match event {
            Some(quick_page::Event::Save(profile, password, tokens)) => {
                let Some(store) = self.store.clone() else {
                    self.quick.saved();
                    let failed = self.fail(fl!("quick-save-no-store"));
                    return Task::batch([task, failed]);
                };
                let secrets = self.secrets.clone();
                let connect = self.keyring_wanted;
                let save = save(store, secrets, connect, *profile, password, tokens);
                Task::batch([task, Task::perform(save, Message::QuickSaved)])
            }
            None => task,
        }
    }

    /// The new profile is listed, and opened when the quick test is still shown.
    pub(super) fn on_quick_saved(&mut self, result: Result<QuickSaved, String>) -> Task<Message> {
        self.quick.saved();
        let saved = match result {
            Ok(saved) => saved,
            Err(error) => return self.fail(error),
        };
        if self.secrets.is_none()
            && let Some(secrets) = saved.secrets
        {
            self.secrets = Some(secrets);
            self.keyring_asked = true;
        }
        let name = saved.profile.name.clone();
        self.status = Some(match saved.keyring {
            Some(Err(reason)) => {
                Status::Error(fl!("status-saved-without-password", reason = reason))
            }
            _ => Status::Info(fl!("status-saved", name = name)),
        });
        let reload = self.sidebar.reload().map(Message::Sidebar);
        if self.page != Page::Quick {
            return reload;
        }
        let editor = Editor::open(saved.profile, Scope::User, true);
        let id = editor.id;
        self.editors.push(editor);
        self.page = Page::Profile(id);
        self.tab = super::Tab::Delivery;
        Task::batch([reload, self.ask_password(id), self.on_shown()])
    }
}

/// Writes the profile under the first free name from its own, then its
/// password under the profile's keyring key, or the sign-in's tokens under
/// its OAuth key.
async fn save(
    store: Store,
    secrets: Option<Secrets>,
    connect: bool,
    profile: Profile,
    password: Secret,
    tokens: Option<Tokens>,
) -> Result<QuickSaved, String> {
    let base = profile.name.clone();
    let paths = store.paths().clone();
    let profile = tasks::create(store, profile, base, None).await?;
    let (secrets, connected) = match secrets {
        Some(secrets) => (Some(secrets), None),
        None if connect => {
            let secrets = Secrets::connect().await;
            (Some(secrets.clone()), Some(secrets))
        }
        None => (None, None),
    };
    let keyring = match (&secrets, &tokens) {
        (Some(secrets), Some(tokens)) => {
            let key = SecretKey::profile(&paths, Scope::User, &profile.name).oauth();
            let saved = oauth::save_tokens(secrets, &key, tokens).await;
            Some(saved.map_err(|e| e.localize()))
        }
        (Some(secrets), None) if !password.is_empty() => {
            let key = SecretKey::profile(&paths, Scope::User, &profile.name);
            Some(secrets.set(&key, &password).await.map_err(|e| e.localize()))
        }
        _ => None,
    };
    Ok(QuickSaved {
        profile,
        keyring,
        secrets: connected,
    })
}
