//! Export and import of profiles as files an administrator can deploy.
//!
//! An export carries the chosen profiles and the user's own providers that they
//! use (added or changed in the directory), so Detect and the directory work
//! the same on the machine that imports it. An import parses and validates the
//! whole file first and changes nothing if anything is wrong; then it commits
//! every file (profiles and the user's directory) as one change (`journal`).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::directory::{DirectoryError, Provider, ProviderIssue, UserDirectory};
use crate::core::profile::{Delivery, Issue, Profile};
use crate::core::store::{self, Store, StoreError};
use crate::core::toml_doc::{self, DocError, FORMAT, Position};
use crate::i18n::{self, Localize};

/// An export file: `format = 1`, `[[profile]]` tables and the `[[provider]]`
/// tables they use, never a secret.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: u32,
    #[serde(default)]
    profile: Vec<Profile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    provider: Vec<Provider>,
}

/// What an export file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contents {
    pub profiles: Vec<Profile>,
    /// Providers of the user's directory the profiles use.
    pub providers: Vec<Provider>,
}

impl Contents {
    /// Profiles alone, without providers.
    pub fn of_profiles(profiles: Vec<Profile>) -> Self {
        Contents {
            profiles,
            providers: Vec::new(),
        }
    }

    /// `profiles` with the providers of the user's directory (added or
    /// changed there; bundled ones travel with the program) whose SMTP hosts
    /// they use.
    pub fn with_providers(
        directory: &UserDirectory,
        profiles: Vec<Profile>,
    ) -> Result<Self, DirectoryError> {
        let providers = directory
            .read()?
            .provider
            .into_iter()
            .filter(|provider| {
                profiles
                    .iter()
                    .any(|p| p.delivery == Delivery::Smtp && provider.serves_host(&p.smtp.host))
            })
            .collect();
        Ok(Contents {
            profiles,
            providers,
        })
    }
}

/// What to do when an imported profile's name is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnConflict {
    Skip,
    Replace,
    /// Import under the first free `name_2`, `name_3`, …
    Rename,
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {error}", .path.display())]
    Document { path: PathBuf, error: DocError },
    #[error("{}: line {}: {}", .path.display(), .at.line, .issue.field)]
    Invalid {
        path: PathBuf,
        at: Position,
        profile: String,
        issue: Issue,
    },
    #[error("{}: line {}: {issue}", .path.display(), .at.line)]
    InvalidProvider {
        path: PathBuf,
        at: Position,
        issue: ProviderIssue,
    },
    #[error("{}: line {}: provider `{id}` appears twice", .path.display(), .at.line)]
    DuplicateProvider {
        path: PathBuf,
        at: Position,
        id: String,
    },
    #[error("{}: line {}: profile `{name}` appears twice", .path.display(), .at.line)]
    Duplicate {
        path: PathBuf,
        at: Position,
        name: String,
    },
    #[error("these profiles exist already: {}", .names.join(", "))]
    Conflicts { names: Vec<String> },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

impl Localize for ImportError {
    fn localize(&self) -> String {
        let file = |p: &Path| ("file", p.display().to_string());
        match self {
            ImportError::Read { path, source } => i18n::tr_args(
                "store-io",
                &[
                    ("path", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
            ImportError::Document { path, error } => {
                format!("{}: {}", path.display(), error.localize())
            }
            ImportError::Invalid {
                path,
                at,
                profile,
                issue,
            } => i18n::tr_args(
                "import-invalid",
                &[
                    file(path),
                    ("line", at.line.to_string()),
                    ("profile", profile.clone()),
                    ("problem", issue.localize()),
                ],
            ),
            ImportError::InvalidProvider { path, at, issue } => i18n::tr_args(
                "import-invalid-provider",
                &[
                    file(path),
                    ("line", at.line.to_string()),
                    ("provider", issue.provider.clone()),
                    ("problem", issue.localize()),
                ],
            ),
            ImportError::DuplicateProvider { path, at, id } => i18n::tr_args(
                "import-duplicate-provider",
                &[
                    file(path),
                    ("line", at.line.to_string()),
                    ("id", id.clone()),
                ],
            ),
            ImportError::Duplicate { path, at, name } => i18n::tr_args(
                "import-duplicate",
                &[
                    file(path),
                    ("line", at.line.to_string()),
                    ("name", name.clone()),
                ],
            ),
            ImportError::Conflicts { names } => {
                i18n::tr_args("import-conflicts", &[("names", names.join(", "))])
            }
            ImportError::Store(e) => e.localize(),
            ImportError::Directory(e) => e.localize(),
        }
    }
}

/// The text of an export.
pub fn render_export(contents: &Contents) -> String {
    let file = ExportFile {
        format: FORMAT,
        profile: contents.profiles.clone(),
        provider: contents.providers.clone(),
    };
    // Plain structs of strings, numbers and enums always serialise.
    #[allow(clippy::expect_used)]
    toml::to_string(&file).expect("profiles serialise to TOML")
}

/// Writes an export file atomically.
pub fn export(contents: &Contents, path: &Path) -> Result<(), StoreError> {
    store::atomic_write(path, render_export(contents).as_bytes()).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses and validates an export file, every profile and provider of it,
/// before anything is applied.
pub fn read_import(path: &Path) -> Result<Contents, ImportError> {
    let text = fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_import(path, &text)
}

pub fn parse_import(path: &Path, text: &str) -> Result<Contents, ImportError> {
    let file: ExportFile = toml_doc::parse(text).map_err(|error| ImportError::Document {
        path: path.to_path_buf(),
        error,
    })?;
    let mut seen = HashSet::new();
    for (index, profile) in file.profile.iter().enumerate() {
        if let Some(issue) = profile.validate().into_iter().next() {
            let at = toml_doc::line_of_key(text, Some(index), issue.field)
                .or_else(|| toml_doc::line_of_key(text, Some(index), "name"))
                .unwrap_or_default();
            return Err(ImportError::Invalid {
                path: path.to_path_buf(),
                at,
                profile: profile.name.clone(),
                issue,
            });
        }
        if !seen.insert(profile.name.as_str()) {
            return Err(ImportError::Duplicate {
                path: path.to_path_buf(),
                at: toml_doc::line_of_key(text, Some(index), "name").unwrap_or_default(),
                name: profile.name.clone(),
            });
        }
    }
    let mut seen = HashSet::new();
    for (index, provider) in file.provider.iter().enumerate() {
        let line = |field: &str| {
            toml_doc::line_of_key_in(text, "provider", Some(index), field)
                .or_else(|| toml_doc::line_of_key_in(text, "provider", Some(index), "id"))
                .unwrap_or_default()
        };
        if let Some(issue) = provider.validate().into_iter().next() {
            return Err(ImportError::InvalidProvider {
                path: path.to_path_buf(),
                at: line(&issue.field),
                issue,
            });
        }
        if !seen.insert(provider.id.as_str()) {
            return Err(ImportError::DuplicateProvider {
                path: path.to_path_buf(),
                at: line("id"),
                id: provider.id.clone(),
            });
        }
    }
    Ok(Contents {
        profiles: file.profile,
        providers: file.provider,
    })
}

/// What an import did, name by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    /// (name in the file, name given)
    pub renamed: Vec<(String, String)>,
    pub skipped: Vec<String>,
    /// Ids of the providers added to or replaced in the user's directory.
    pub providers: Vec<String>,
}

/// The names of `incoming` profiles that user profiles already have.
pub fn conflicts(store: &Store, incoming: &[Profile]) -> Vec<String> {
    incoming
        .iter()
        .filter(|p| store.paths().profile_file(&p.name).exists())
        .map(|p| p.name.clone())
        .collect()
}

/// Applies validated contents, all or nothing: the profiles to the user's scope,
/// the providers to the user's directory (the same id replaces). With profile
/// conflicts and no policy, nothing is changed and the names are returned in
/// the error.
pub fn apply_import(
    store: &Store,
    contents: Contents,
    policy: Option<OnConflict>,
) -> Result<ImportReport, ImportError> {
    let Contents {
        profiles: incoming,
        providers,
    } = contents;
    // Held from reading what exists to the last file in place: two imports
    // never interleave, and the later one sees the earlier one's profiles.
    let lock = store.lock()?;
    let existing: BTreeSet<String> = store
        .load_all()
        .profiles
        .into_iter()
        .filter(|p| p.scope == store::Scope::User)
        .map(|p| p.profile.name)
        .chain(conflicts(store, &incoming))
        .collect();
    let mut taken = existing.clone();
    taken.extend(incoming.iter().map(|p| p.name.clone()));
    let mut report = ImportReport::default();
    let mut to_write = Vec::new();
    for mut profile in incoming {
        if !existing.contains(&profile.name) {
            report.added.push(profile.name.clone());
            to_write.push(profile);
            continue;
        }
        match policy {
            None => report.skipped.push(profile.name.clone()),
            Some(OnConflict::Skip) => report.skipped.push(profile.name),
            Some(OnConflict::Replace) => {
                report.replaced.push(profile.name.clone());
                to_write.push(profile);
            }
            Some(OnConflict::Rename) => {
                let new_name = free_name(&profile.name, &taken);
                taken.insert(new_name.clone());
                report
                    .renamed
                    .push((profile.name.clone(), new_name.clone()));
                profile.name = new_name;
                to_write.push(profile);
            }
        }
    }
    if policy.is_none() && !report.skipped.is_empty() {
        return Err(ImportError::Conflicts {
            names: report.skipped,
        });
    }
    // Recorded first, so no imported command is ever in place unrecorded.
    crate::core::trust::record_imported(store.paths(), store::Scope::User, &to_write)?;
    let mut change = lock.transaction();
    if !providers.is_empty() {
        report.providers = providers.iter().map(|p| p.id.clone()).collect();
        UserDirectory::new(store.paths()).stage_merge(&mut change, providers)?;
    }
    for profile in &to_write {
        let path = store.paths().profile_file(&profile.name);
        change
            .put(
                &path,
                store::render(profile).as_bytes(),
                store::PRIVATE_MODE,
            )
            .map_err(|source| StoreError::Io { path, source })?;
    }
    // Profiles and providers are one change: after a crash at any moment the
    // next start finds the old set or the new one, never a mix.
    change.commit().map_err(StoreError::from)?;
    Ok(report)
}

/// `name_2`, `name_3`, … whichever is free first.
pub fn free_name(name: &str, taken: &BTreeSet<String>) -> String {
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| format!("{name}_copy"))
}
