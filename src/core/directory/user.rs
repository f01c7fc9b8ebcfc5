//! The user's directory: `providers.toml` beside the profiles folder, holding added
//! and overriding providers and the ids of hidden bundled ones. Every change is
//! validated, then written atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{Directory, DirectoryFile, Origin, Provider, ProviderIssue, bundled, parse_file};
use crate::core::journal::{ConfigLock, JournalError, Transaction};
use crate::core::store::{Paths, Store, atomic_write};
use crate::core::toml_doc::{DocError, FORMAT};
use crate::i18n::{self, Localize};

#[derive(Debug, Error)]
pub enum DirectoryError {
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: {error}", .path.display())]
    Document { path: PathBuf, error: DocError },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ProviderIssue>),
    #[error("provider `{id}` is used by the profiles {}", .profiles.join(", "))]
    InUse { id: String, profiles: Vec<String> },
    #[error("no provider has the id `{0}`")]
    NotFound(String),
    #[error("provider `{0}` is not in the bundled directory")]
    NotBundled(String),
    #[error("the user's directory file is damaged; repair or remove it first: {0}")]
    Damaged(Box<DirectoryError>),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl Localize for DirectoryError {
    fn localize(&self) -> String {
        let path_arg = |p: &Path| ("path", p.display().to_string());
        match self {
            DirectoryError::Io { path, source } => i18n::tr_args(
                "store-io",
                &[path_arg(path), ("reason", source.to_string())],
            ),
            DirectoryError::Document { path, error } => {
                format!("{}: {}", path.display(), error.localize())
            }
            DirectoryError::Invalid(issues) => issues
                .iter()
                .map(Localize::localize)
                .collect::<Vec<_>>()
                .join("; "),
            DirectoryError::InUse { id, profiles } => i18n::tr_args(
                "directory-in-use",
                &[("id", id.clone()), ("profiles", profiles.join(", "))],
            ),
            DirectoryError::NotFound(id) => {
                i18n::tr_args("directory-not-found", &[("id", id.clone())])
            }
            DirectoryError::NotBundled(id) => {
                i18n::tr_args("directory-not-bundled", &[("id", id.clone())])
            }
            DirectoryError::Damaged(inner) => {
                i18n::tr_args("directory-damaged", &[("reason", inner.localize())])
            }
            DirectoryError::Journal(error) => error.localize(),
        }
    }
}

/// The user's directory file and the store whose profiles may use its providers.
#[derive(Debug, Clone)]
pub struct UserDirectory {
    path: PathBuf,
    store: Store,
}

impl UserDirectory {
    pub fn new(paths: &Paths) -> Self {
        UserDirectory {
            path: paths.config.join("providers.toml"),
            store: Store::new(paths.clone()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The user's file; a missing file is an empty one.
    pub fn read(&self) -> Result<DirectoryFile, DirectoryError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(DirectoryFile {
                    format: FORMAT,
                    ..DirectoryFile::default()
                });
            }
            Err(source) => {
                return Err(DirectoryError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let file = parse_file(&text).map_err(|error| DirectoryError::Document {
            path: self.path.clone(),
            error,
        })?;
        let issues: Vec<ProviderIssue> =
            file.provider.iter().flat_map(Provider::validate).collect();
        if !issues.is_empty() {
            return Err(DirectoryError::Invalid(issues));
        }
        Ok(file)
    }

    /// The effective directory, and the reason the user's part is missing from it
    /// when the user's file cannot be read: the bundled directory works regardless.
    pub fn load(&self) -> (Directory, Option<DirectoryError>) {
        match self.read() {
            Ok(file) => (Directory::layered(bundled(), &file), None),
            Err(error) => (Directory::bundled_only(), Some(error)),
        }
    }

    /// Adds a provider, or replaces the user's version of it; a bundled id becomes
    /// an override. Returns what the entry is now.
    pub fn upsert(&self, provider: Provider) -> Result<Origin, DirectoryError> {
        let issues = provider.validate();
        if !issues.is_empty() {
            return Err(DirectoryError::Invalid(issues));
        }
        let _lock = self.lock()?;
        let mut file = self.read_for_change()?;
        file.hidden.retain(|id| *id != provider.id);
        let origin = if bundled().iter().any(|p| p.id == provider.id) {
            Origin::Override
        } else {
            Origin::User
        };
        match file.provider.iter_mut().find(|p| p.id == provider.id) {
            Some(existing) => *existing = provider,
            None => file.provider.push(provider),
        }
        self.write(&file)?;
        Ok(origin)
    }

    /// Removes a provider from the effective directory: a user one is deleted, a
    /// bundled one hidden. Refused while profiles use it, naming them.
    pub fn delete(&self, id: &str) -> Result<(), DirectoryError> {
        let _lock = self.lock()?;
        let mut file = self.read_for_change()?;
        let directory = Directory::layered(bundled(), &file);
        let entry = directory
            .get(id)
            .ok_or_else(|| DirectoryError::NotFound(id.to_owned()))?;
        let users = self.profiles_using(&entry.provider);
        if !users.is_empty() {
            return Err(DirectoryError::InUse {
                id: id.to_owned(),
                profiles: users,
            });
        }
        file.provider.retain(|p| p.id != id);
        if entry.origin != Origin::User && !file.hidden.iter().any(|h| h == id) {
            file.hidden.push(id.to_owned());
        }
        self.write(&file)
    }

    /// Puts a bundled provider back as shipped: drops the user's version and unhides it.
    pub fn reset(&self, id: &str) -> Result<(), DirectoryError> {
        if !bundled().iter().any(|p| p.id == id) {
            return Err(DirectoryError::NotBundled(id.to_owned()));
        }
        let _lock = self.lock()?;
        let mut file = self.read_for_change()?;
        file.provider.retain(|p| p.id != id);
        file.hidden.retain(|h| h != id);
        self.write(&file)
    }

    /// The names of the profiles (both scopes) whose SMTP host is one of the provider's.
    pub fn profiles_using(&self, provider: &Provider) -> Vec<String> {
        let mut names: Vec<String> = self
            .store
            .load_all()
            .profiles
            .iter()
            .filter(|p| {
                p.profile.delivery == crate::core::profile::Delivery::Smtp
                    && provider.serves_host(&p.profile.smtp.host)
            })
            .map(|p| p.profile.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// For an import of `[[provider]]` tables: validates every provider, lays them
    /// over the user's file (same id replaces) and stages the result in
    /// `change`, the import's, without changing anything yet.
    pub fn stage_merge(
        &self,
        change: &mut Transaction<'_>,
        providers: Vec<Provider>,
    ) -> Result<(), DirectoryError> {
        let issues: Vec<ProviderIssue> = providers.iter().flat_map(Provider::validate).collect();
        if !issues.is_empty() {
            return Err(DirectoryError::Invalid(issues));
        }
        let mut file = self.read_for_change()?;
        for provider in providers {
            file.hidden.retain(|id| *id != provider.id);
            match file.provider.iter_mut().find(|p| p.id == provider.id) {
                Some(existing) => *existing = provider,
                None => file.provider.push(provider),
            }
        }
        change
            .put(
                &self.path,
                render(&file).as_bytes(),
                crate::core::store::PRIVATE_MODE,
            )
            .map_err(|source| DirectoryError::Io {
                path: self.path.clone(),
                source,
            })
    }

    /// Read, change and write of the file under the configuration folder's
    /// lock: a concurrent import's providers are never lost.
    fn lock(&self) -> Result<ConfigLock, DirectoryError> {
        Ok(ConfigLock::acquire(self.store.paths().config.as_path())?)
    }

    /// A damaged file is never overwritten by a change: the user would lose it.
    fn read_for_change(&self) -> Result<DirectoryFile, DirectoryError> {
        self.read()
            .map_err(|e| DirectoryError::Damaged(Box::new(e)))
    }

    fn write(&self, file: &DirectoryFile) -> Result<(), DirectoryError> {
        let text = render(file);
        atomic_write(&self.path, text.as_bytes()).map_err(|source| DirectoryError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

/// The text of a directory file.
pub fn render(file: &DirectoryFile) -> String {
    let file = DirectoryFile {
        format: FORMAT,
        ..file.clone()
    };
    // Plain structs of strings, numbers and enums always serialise.
    #[allow(clippy::expect_used)]
    toml::to_string(&file).expect("a directory serialises to TOML")
}
