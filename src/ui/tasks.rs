//! The effects the window asks for, each a future for a `Task`: files and the
//! keyring through `core`, on blocking threads, never on the UI thread.

use crate::core::directory::UserDirectory;
use crate::core::exchange::{self, Contents, ImportReport, OnConflict};
use crate::core::preferences::{self, Preferences};
use crate::core::profile::Profile;
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};
use crate::core::store::{Scope, Store, StoreError};
use crate::i18n::Localize;

/// What saving did: the profile as saved, and how the keyring part went.
#[derive(Debug, Clone)]
pub struct Saved {
    pub profile: Profile,
    /// `Some(Err)` when the file was saved but the password could not be.
    pub keyring: Option<Result<(), String>>,
    /// The separate IMAP password was written under its own key.
    pub imap_saved: bool,
}

/// A profile's passwords as the keyring has them: its own and its separate
/// IMAP one, each `Err` with why the keyring could not say.
#[derive(Debug, Clone)]
pub struct Passwords {
    pub smtp: Result<Option<Secret>, String>,
    pub imap: Result<Option<Secret>, String>,
    /// Whether it holds OAuth tokens (issue 13).
    pub oauth: Result<crate::ui::pages::smtp::Held, String>,
}

/// Runs blocking file work off the UI thread.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| Err(join.to_string()))
}

/// Saves a profile (renaming its file first when its name changed), then moves and
/// stores its passwords in the keyring: its own, and the separate IMAP one
/// under its own key.
pub async fn save(
    store: Store,
    secrets: Option<Secrets>,
    scope: Scope,
    old_name: Option<String>,
    profile: Profile,
    password: Option<Secret>,
    imap_password: Option<Secret>,
) -> Result<Saved, String> {
    let renamed_from = old_name.filter(|old| *old != profile.name);
    let paths = store.paths().clone();
    // A rename is one change with its password's move (`journal`).
    let (saved, moved) = blocking(move || {
        let moved = match &renamed_from {
            Some(old) => Some(
                store
                    .save_renamed(scope, old, &profile)
                    .map_err(|e| e.localize())?,
            ),
            None => {
                store.save_in(scope, &profile).map_err(|e| e.localize())?;
                None
            }
        };
        // A sendmail command edited here is the user's; a rename keeps its record.
        crate::core::trust::follow_save(store.paths(), scope, renamed_from.as_deref(), &profile)
            .map_err(|e| e.localize())?;
        Ok((profile, moved))
    })
    .await?;
    let mut imap_saved = false;
    let keyring = match secrets {
        Some(secrets) if moved.is_some() || password.is_some() || imap_password.is_some() => {
            let key = SecretKey::profile(&paths, scope, &saved.name);
            let mut result = Ok(());
            if let Some(moved) = moved {
                result = moved.finish(Some(&secrets)).await;
            }
            if let (Ok(()), Some(password)) = (&result, password) {
                result = secrets.set(&key, &password).await;
            }
            if let (Ok(()), Some(password)) = (&result, imap_password) {
                result = secrets.set(&key.imap(), &password).await;
                imap_saved = result.is_ok();
            }
            Some(result.map_err(|e| e.localize()))
        }
        _ => None,
    };
    Ok(Saved {
        profile: saved,
        keyring,
        imap_saved,
    })
}

/// Creates a profile with the first free name from `base` (`base`, `base_2`, …).
/// `copied_from`, the stored profile a duplicate was made of.
pub async fn create(
    store: Store,
    mut profile: Profile,
    base: String,
    copied_from: Option<(Scope, String)>,
) -> Result<Profile, String> {
    blocking(move || {
        let taken = store
            .load_all()
            .profiles
            .into_iter()
            .map(|p| p.profile.name)
            .collect();
        profile.name = if store.paths().profile_file(&base).exists() {
            exchange::free_name(&base, &taken)
        } else {
            base
        };
        store.save(&profile).map_err(|e| e.localize())?;
        if let Some((scope, name)) = copied_from {
            crate::core::trust::follow_copy(store.paths(), scope, &name, &profile)
                .map_err(|e| e.localize())?;
        }
        Ok(profile)
    })
    .await
}

/// Deletes a profile's file, then its password.
pub async fn delete(
    store: Store,
    secrets: Option<Secrets>,
    scope: Scope,
    name: String,
) -> Result<(), String> {
    let password =
        blocking(move || store.delete_in(scope, &name).map_err(|e| e.localize())).await?;
    password
        .finish(secrets.as_ref())
        .await
        .map_err(|e| e.localize())
}

/// The passwords of the profile `name` of `scope`, or why there are none.
pub async fn passwords(
    secrets: Secrets,
    paths: crate::core::store::Paths,
    scope: Scope,
    name: String,
) -> Passwords {
    let key = SecretKey::profile(&paths, scope, &name);
    let smtp = secrets.get(&key).await.map_err(|e| e.localize());
    // A keyring that did not answer once is not asked again at once.
    let imap = match &smtp {
        Ok(_) => secrets
            .get(&key.clone().imap())
            .await
            .map_err(|e| e.localize()),
        Err(reason) => Err(reason.clone()),
    };
    let oauth = match &smtp {
        Ok(_) => crate::core::oauth::load_tokens(&secrets, &key.oauth())
            .await
            .map(|held| match held {
                Some(tokens) => crate::ui::pages::smtp::Held::In {
                    expires_at: tokens.expires_at,
                },
                None => crate::ui::pages::smtp::Held::Out,
            })
            .map_err(|e| e.localize()),
        Err(reason) => Err(reason.clone()),
    };
    Passwords { smtp, imap, oauth }
}

pub async fn save_preferences(
    config: std::path::PathBuf,
    preferences: Preferences,
) -> Result<(), String> {
    blocking(move || preferences::save(&config, &preferences).map_err(|e| e.localize())).await
}

/// Exports every profile of both scopes to `path`, with the providers of the
/// user's directory they use.
pub async fn export(store: Store, path: std::path::PathBuf) -> Result<usize, String> {
    blocking(move || {
        let profiles: Vec<Profile> = store
            .load_all()
            .profiles
            .into_iter()
            .map(|p| p.profile)
            .collect();
        let directory = UserDirectory::new(store.paths());
        let contents = Contents::with_providers(&directory, profiles).map_err(|e| e.localize())?;
        exchange::export(&contents, &path).map_err(|e: StoreError| e.localize())?;
        Ok(contents.profiles.len())
    })
    .await
}

/// A validated import file and the names in it that exist already.
#[derive(Debug, Clone)]
pub struct PendingImport {
    pub contents: Contents,
    pub conflicts: Vec<String>,
}

pub async fn read_import(store: Store, path: std::path::PathBuf) -> Result<PendingImport, String> {
    blocking(move || {
        let contents = exchange::read_import(&path).map_err(|e| e.localize())?;
        let conflicts = exchange::conflicts(&store, &contents.profiles);
        Ok(PendingImport {
            contents,
            conflicts,
        })
    })
    .await
}

pub async fn apply_import(
    store: Store,
    contents: Contents,
    policy: Option<OnConflict>,
) -> Result<ImportReport, String> {
    blocking(move || exchange::apply_import(&store, contents, policy).map_err(|e| e.localize()))
        .await
}

/// What Detect found for an address: the answer, if any, and where it came from.
#[derive(Debug, Clone)]
pub struct Detected {
    pub address: crate::core::directory::Address,
    pub found: Option<crate::core::discover::Found>,
}

/// Settings for an address: the directory first (no network), then discovery.
pub async fn detect(paths: crate::core::store::Paths, text: String) -> Result<Detected, String> {
    use crate::core::{directory, discover};
    let address = directory::parse_address(&text)
        .ok_or_else(|| crate::i18n::tr_args("detect-bad-address", &[("address", text.clone())]))?;
    let (directory, _problem) =
        blocking(move || Ok(directory::UserDirectory::new(&paths).load())).await?;
    if let Some(found) = discover::from_directory(&directory, &address.domain) {
        return Ok(Detected {
            address,
            found: Some(found),
        });
    }
    let detection = discover::detect(&address, &directory, &discover::Options::default()).await;
    Ok(Detected {
        address,
        found: detection.winner,
    })
}

/// The effective directory's entries, and why the user's part is missing if it is.
pub async fn load_directory(
    paths: crate::core::store::Paths,
) -> (Vec<crate::core::directory::Entry>, Option<String>) {
    blocking(move || {
        let (directory, problem) = crate::core::directory::UserDirectory::new(&paths).load();
        Ok((directory.entries().to_vec(), problem.map(|e| e.localize())))
    })
    .await
    .unwrap_or_else(|error| (Vec::new(), Some(error)))
}

/// A change to the user's directory.
#[derive(Debug, Clone)]
pub enum DirectoryChange {
    Save(Box<crate::core::directory::Provider>),
    Delete(String),
    Reset(String),
    ImportAutoconfig(std::path::PathBuf),
}

/// Applies a change to the user's directory; the answer is a message for the user.
pub async fn change_directory(
    paths: crate::core::store::Paths,
    change: DirectoryChange,
) -> Result<String, String> {
    use crate::core::directory::UserDirectory;
    use crate::core::discover::autoconfig;
    blocking(move || {
        let user = UserDirectory::new(&paths);
        match change {
            DirectoryChange::Save(provider) => {
                let id = provider.id.clone();
                user.upsert(*provider).map_err(|e| e.localize())?;
                Ok(crate::fl!("directory-saved", id = id))
            }
            DirectoryChange::Delete(id) => {
                user.delete(&id).map_err(|e| e.localize())?;
                Ok(crate::fl!("directory-deleted", id = id))
            }
            DirectoryChange::Reset(id) => {
                user.reset(&id).map_err(|e| e.localize())?;
                Ok(crate::fl!("directory-reset-done", id = id))
            }
            DirectoryChange::ImportAutoconfig(path) => {
                let text = autoconfig::read_file(&path).map_err(|e| e.localize())?;
                let provider = autoconfig::parse(&text, None).map_err(|error| {
                    autoconfig::FileError {
                        path: path.display().to_string(),
                        error,
                    }
                    .localize()
                })?;
                let (id, name) = (provider.id.clone(), provider.name.clone());
                user.upsert(provider).map_err(|e| e.localize())?;
                Ok(crate::fl!("directory-imported", id = id, name = name))
            }
        }
    })
    .await
}

/// Writes a text file atomically (a saved check log).
pub async fn write_text(
    path: std::path::PathBuf,
    text: String,
) -> Result<std::path::PathBuf, String> {
    blocking(move || {
        crate::core::store::atomic_write(&path, text.as_bytes()).map_err(|source| {
            StoreError::Io {
                path: path.clone(),
                source,
            }
            .localize()
        })?;
        Ok(path)
    })
    .await
}

/// What a file dialog asks for: a file to write under a suggested name, or
/// one to open; and the kinds of file it offers (a name and its extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub save_as: Option<String>,
    pub filters: Vec<(&'static str, &'static [&'static str])>,
}

impl Dialog {
    pub fn save(name: impl Into<String>) -> Self {
        Dialog {
            save_as: Some(name.into()),
            filters: Vec::new(),
        }
    }

    pub fn open() -> Self {
        Dialog {
            save_as: None,
            filters: Vec::new(),
        }
    }

    pub fn filter(mut self, name: &'static str, extensions: &'static [&'static str]) -> Self {
        self.filters.push((name, extensions));
        self
    }
}

/// A file chosen in the desktop's dialog; `None` when cancelled or when no portal answers.
pub async fn pick_file(dialog: Dialog) -> Option<std::path::PathBuf> {
    let mut files = rfd::AsyncFileDialog::new();
    for (name, extensions) in &dialog.filters {
        files = files.add_filter(*name, extensions);
    }
    let file = match dialog.save_as {
        Some(name) => files.set_file_name(name).save_file().await,
        None => files.pick_file().await,
    };
    file.map(|f| f.path().to_path_buf())
}

/// What this computer's `sendmail` is (reads links and a program's file).
pub async fn detect_mta() -> crate::core::mta::Found {
    let root = std::path::Path::new("/");
    tokio::task::spawn_blocking(move || crate::core::mta::detect(root))
        .await
        .unwrap_or_else(|_| crate::core::mta::Found::nothing())
}

/// Writes the msmtp configuration of every profile to `path` (0600); the file
/// and how many accounts it has.
pub async fn write_msmtprc(
    store: Store,
    path: std::path::PathBuf,
    program: std::path::PathBuf,
) -> Result<(std::path::PathBuf, usize), String> {
    use crate::core::msmtp;
    blocking(move || {
        let config = msmtp::for_store(&store, &program);
        msmtp::write(&path, &config).map_err(|e| e.localize())?;
        Ok((path, config.accounts.len()))
    })
    .await
}

/// Every queued message, oldest first.
pub async fn list_queue(
    paths: crate::core::store::Paths,
) -> Result<Vec<crate::core::queue::Queued>, String> {
    blocking(move || crate::core::queue::list(&paths).map_err(|e| e.localize())).await
}

/// What the Delivery tab does to the queue.
#[derive(Debug, Clone)]
pub enum QueueChange {
    Delete(crate::core::queue::QueueId),
    /// Send these messages now (one profile's).
    Flush(Vec<crate::core::queue::QueueId>),
}

/// Applies a change to the queue; the answer is a sentence for the status line.
pub async fn change_queue(
    paths: crate::core::store::Paths,
    change: QueueChange,
) -> Result<String, String> {
    use crate::core::queue::{self, FlushOptions};
    match change {
        QueueChange::Delete(id) => {
            let text = id.to_string();
            blocking(move || queue::delete(&paths, &id).map_err(|e| e.localize())).await?;
            Ok(crate::fl!("queue-deleted", id = text))
        }
        QueueChange::Flush(ids) => {
            let options = FlushOptions {
                due_only: false,
                retry_uncertain: false,
                only: Some(ids),
            };
            // The same transport as `outbound queue flush`.
            let transport = queue::transport::LocalTransport;
            let summary = queue::flush(&paths, &transport, &options).await;
            if let Some(problem) = summary.problems.first() {
                return Err(problem.clone());
            }
            let failed: usize = summary.failed + summary.gave_up;
            Ok(crate::fl!(
                "cli-queue-flushed",
                sent = summary.sent,
                deferred = summary.deferred,
                failed = failed,
                uncertain = summary.uncertain
            ))
        }
    }
}

/// Runs a check that reports its steps as it goes (an SMTP or IMAP check, a
/// round trip): each step, then its end, as messages naming the run `run`, so
/// a page drops those of a run it replaced. Dropping the handle stops it (the
/// connection closes with it).
pub fn with_progress<M, T, F>(
    run: u64,
    check: impl FnOnce(crate::core::check::Progress) -> F + Send + 'static,
    step: fn(u64, crate::core::check::Step) -> M,
    finished: impl FnOnce(u64, T) -> M + Send + 'static,
) -> (iced::Task<M>, iced::task::Handle)
where
    M: Send + 'static,
    T: Send + 'static,
    F: std::future::Future<Output = T> + Send,
{
    use iced::futures::SinkExt;
    let stream = iced::stream::channel(64, async move |mut output| {
        let (progress, mut steps) = crate::core::check::Progress::channel();
        let check = check(progress);
        tokio::pin!(check);
        let outcome = loop {
            tokio::select! {
                Some(done) = steps.recv() => {
                    let _ = output.send(step(run, done)).await;
                }
                outcome = &mut check => break outcome,
            }
        };
        let _ = output.send(finished(run, outcome)).await;
    });
    let (task, handle) = iced::Task::run(stream, |message| message).abortable();
    (task, handle.abort_on_drop())
}

/// A browser sign-in as a task: `announced` once the authorization URL is
/// known (with why the browser did not open it, if it did not), then
/// `finished` with the flow's outcome. Dropping the handle stops the flow,
/// which closes its loopback listener.
pub fn sign_in<M, T, F>(
    flow: impl FnOnce(crate::core::oauth::Announce) -> F + Send + 'static,
    announced: impl FnOnce(String, Option<String>) -> M + Send + 'static,
    finished: impl FnOnce(T) -> M + Send + 'static,
) -> (iced::Task<M>, iced::task::Handle)
where
    M: Send + 'static,
    T: Send + 'static,
    F: std::future::Future<Output = T> + Send,
{
    use iced::futures::SinkExt;
    let stream = iced::stream::channel(4, async move |mut output| {
        let (tell, mut told) = tokio::sync::oneshot::channel::<(String, Option<String>)>();
        let announce: crate::core::oauth::Announce = Box::new(move |url, failure| {
            let _ = tell.send((url.to_owned(), failure));
        });
        let flow = flow(announce);
        tokio::pin!(flow);
        let mut announced = Some(announced);
        let outcome = loop {
            tokio::select! {
                Ok((url, failure)) = &mut told, if announced.is_some() => {
                    if let Some(announced) = announced.take() {
                        let _ = output.send(announced(url, failure)).await;
                    }
                }
                outcome = &mut flow => break outcome,
            }
        };
        let _ = output.send(finished(outcome)).await;
    });
    let (task, handle) = iced::Task::run(stream, |message| message).abortable();
    (task, handle)
}
