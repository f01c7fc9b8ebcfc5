//! Profiles on disk: one TOML file per profile, atomic writes, the user's and
//! the system's scope.
//!
//! A user's files are private to the user (0600). System profiles are for every
//! user of the machine and hold no secret (passwords live in the keyring), so
//! they are written 0644: a system profile saved in the administrator's session
//! must stay readable for everyone else.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::journal::{ConfigLock, JournalError, KeyringDue, KeyringStep, Transaction};
use crate::core::preferences;
use crate::core::profile::{Issue, Profile};
use crate::core::secrets::SecretKey;
use crate::core::toml_doc::{self, DocError, FORMAT};
use crate::i18n::{self, Localize};

/// Where Outbound keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `$XDG_CONFIG_HOME/outbound` on Linux.
    pub config: PathBuf,
    /// `$XDG_DATA_HOME/outbound` on Linux: logs and counters.
    pub data: PathBuf,
    /// Read-only profiles for every user of the machine.
    pub system_profiles: PathBuf,
}

impl Paths {
    /// The platform's folders; `OUTBOUND_SYSTEM_DIR` replaces `/etc/outbound/profiles`.
    pub fn from_environment() -> Result<Paths, StoreError> {
        let dirs = directories::ProjectDirs::from("", "", "outbound").ok_or(StoreError::NoHome)?;
        let system_profiles = std::env::var_os("OUTBOUND_SYSTEM_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_system_dir);
        Ok(Paths {
            config: dirs.config_dir().to_path_buf(),
            data: dirs.data_dir().to_path_buf(),
            system_profiles,
        })
    }

    /// Every folder under one root (`config`, `data`, `system`): a private home
    /// for tests, or a portable setup.
    pub fn under(root: &Path) -> Paths {
        Paths {
            config: root.join("config"),
            data: root.join("data"),
            system_profiles: root.join("system"),
        }
    }

    pub fn profiles(&self) -> PathBuf {
        self.config.join("profiles")
    }

    pub fn profile_file(&self, name: &str) -> PathBuf {
        self.profile_file_in(Scope::User, name)
    }

    /// The folder of a scope's profiles.
    pub fn profiles_of(&self, scope: Scope) -> PathBuf {
        match scope {
            Scope::User => self.profiles(),
            Scope::System => self.system_profiles.clone(),
        }
    }

    /// The file of profile `name` in `scope`.
    pub fn profile_file_in(&self, scope: Scope, name: &str) -> PathBuf {
        self.profiles_of(scope).join(format!("{name}.toml"))
    }
}

fn default_system_dir() -> PathBuf {
    if cfg!(windows) {
        std::env::var_os("ProgramData")
            .map(|p| PathBuf::from(p).join("Outbound").join("profiles"))
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData\Outbound\profiles"))
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Outbound/profiles")
    } else {
        PathBuf::from("/etc/outbound/profiles")
    }
}

/// Which scope a profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    User,
    /// Given by the administrator to every user; read-only unless its folder
    /// is writable for this user (the administrator's own session).
    System,
}

impl Scope {
    /// `user` or `system`, as the keyring's keys and the daily counts name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::System => "system",
        }
    }

    /// The permission bits of this scope's profile files (Unix).
    pub fn file_mode(self) -> u32 {
        match self {
            Scope::User => PRIVATE_MODE,
            Scope::System => SHARED_MODE,
        }
    }
}

/// Files of one user: settings, counts, user profiles.
pub const PRIVATE_MODE: u32 = 0o600;
/// System profiles: readable by every user, written by their folder's owner.
pub const SHARED_MODE: u32 = 0o644;

#[derive(Debug, Clone, PartialEq)]
pub struct StoredProfile {
    pub profile: Profile,
    pub scope: Scope,
    pub path: PathBuf,
}

/// Everything that loaded, and every file that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub profiles: Vec<StoredProfile>,
    pub problems: Vec<StoreError>,
}

impl Loaded {
    /// The profile with this name; a user profile shadows a system one.
    pub fn find(&self, name: &str) -> Option<&StoredProfile> {
        let mut matches = self.profiles.iter().filter(|p| p.profile.name == name);
        let first = matches.next()?;
        Some(matches.find(|p| p.scope == Scope::User).unwrap_or(first))
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no home folder is known for this user")]
    NoHome,
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {error}")]
    Document { path: PathBuf, error: DocError },
    #[error("{path}: {}", issues.iter().map(|i| format!("{}: {}", i.field, i.id)).collect::<Vec<_>>().join(", "))]
    Invalid { path: PathBuf, issues: Vec<Issue> },
    #[error("{path}: the profile inside is named `{inner}`, the file `{file}`")]
    NameMismatch {
        path: PathBuf,
        inner: String,
        file: String,
    },
    #[error("no profile is named `{0}`")]
    NotFound(String),
    #[error("`{0}` is a system profile, and the system profiles' folder is read-only")]
    ReadOnly(String),
    #[error("a profile named `{0}` exists already")]
    Exists(String),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl StoreError {
    fn io(path: &Path, source: io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Localize for StoreError {
    fn localize(&self) -> String {
        let path_arg = |p: &Path| ("path", p.display().to_string());
        match self {
            StoreError::NoHome => i18n::tr("store-no-home"),
            StoreError::Io { path, source } => i18n::tr_args(
                "store-io",
                &[path_arg(path), ("reason", source.to_string())],
            ),
            StoreError::Document { path, error } => {
                format!("{}: {}", path.display(), error.localize())
            }
            StoreError::Invalid { path, issues } => {
                let list: Vec<String> = issues.iter().map(Localize::localize).collect();
                format!("{}: {}", path.display(), list.join("; "))
            }
            StoreError::NameMismatch { path, inner, file } => i18n::tr_args(
                "store-name-mismatch",
                &[
                    path_arg(path),
                    ("inner", inner.clone()),
                    ("file", file.clone()),
                ],
            ),
            StoreError::NotFound(name) => {
                i18n::tr_args("store-not-found", &[("name", name.clone())])
            }
            StoreError::ReadOnly(name) => {
                i18n::tr_args("store-read-only", &[("name", name.clone())])
            }
            StoreError::Exists(name) => i18n::tr_args("store-exists", &[("name", name.clone())]),
            StoreError::Journal(error) => error.localize(),
        }
    }
}

/// One stored profile file: `format = 1` and a `[profile]` table, the same shape
/// as the `[[profile]]` tables of an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    format: u32,
    profile: Profile,
}

/// The profile files of both scopes.
#[derive(Debug, Clone)]
pub struct Store {
    paths: Paths,
}

impl Store {
    pub fn new(paths: Paths) -> Self {
        Store { paths }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Loads every profile of both scopes. A file that does not load is reported
    /// and does not stop the others.
    pub fn load_all(&self) -> Loaded {
        let mut loaded = Loaded::default();
        for (dir, scope) in [
            (self.paths.profiles(), Scope::User),
            (self.paths.system_profiles.clone(), Scope::System),
        ] {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    loaded.problems.push(StoreError::io(&dir, e));
                    continue;
                }
            };
            // Temporary files of unfinished writes are removed at start-up
            // (`journal::recover`), not here: only a locked sweep is safe.
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for path in files {
                match read_profile(&path) {
                    Ok(profile) => loaded.profiles.push(StoredProfile {
                        profile,
                        scope,
                        path,
                    }),
                    Err(e) => loaded.problems.push(e),
                }
            }
        }
        loaded
    }

    /// Whether profiles of `scope` can be changed: the user's always, the
    /// system's when their folder's permissions let this user write to it.
    pub fn is_writable(&self, scope: Scope) -> bool {
        match scope {
            Scope::User => true,
            Scope::System => permits_writing(&self.paths.system_profiles),
        }
    }

    /// Writes a user profile (validated first) atomically, creating or replacing it.
    pub fn save(&self, profile: &Profile) -> Result<PathBuf, StoreError> {
        self.save_in(Scope::User, profile)
    }

    /// Writes a profile of `scope` (validated first) atomically, creating or
    /// replacing it; a read-only scope is refused.
    pub fn save_in(&self, scope: Scope, profile: &Profile) -> Result<PathBuf, StoreError> {
        let path = self.paths.profile_file_in(scope, &profile.name);
        if !self.is_writable(scope) {
            return Err(StoreError::ReadOnly(profile.name.clone()));
        }
        let issues = profile.validate();
        if !issues.is_empty() {
            return Err(StoreError::Invalid { path, issues });
        }
        let _lock = self.lock()?;
        atomic_write_with_mode(&path, render(profile).as_bytes(), scope.file_mode())
            .map_err(|e| StoreError::io(&path, e))?;
        Ok(path)
    }

    /// The configuration folder's lock, for a change to make under it.
    pub fn lock(&self) -> Result<ConfigLock, StoreError> {
        Ok(ConfigLock::acquire(&self.paths.config)?)
    }

    /// Removes a profile's file: the user's profile of that name, else a system
    /// one when the system scope is writable. Returns its password's removal,
    /// to finish with the keyring.
    pub fn delete(&self, name: &str) -> Result<KeyringDue, StoreError> {
        let scope = self.scope_by_name(name)?;
        self.delete_in(scope, name)
    }

    /// Removes the profile `name` of `scope`, and then (from the journal, even
    /// after a crash) its password.
    pub fn delete_in(&self, scope: Scope, name: &str) -> Result<KeyringDue, StoreError> {
        let lock = self.lock()?;
        let path = self.file_of(scope, name)?;
        let mut change = lock.transaction();
        change.remove(&path);
        self.default_follows(&mut change, scope, name, None)?;
        change.keyring(KeyringStep::DeleteProfileSecret {
            scope,
            name: name.to_owned(),
            // Decided while the file is there (whose an old unscoped entry is).
            legacy: SecretKey::profile(&self.paths, scope, name).claims_legacy(),
        });
        let due = change.commit()?;
        // Its sendmail command's import record goes too (still under the lock);
        // one left behind only ever asks for a confirmation again.
        if let Err(error) = crate::core::trust::forget(&self.paths, scope, name) {
            tracing::warn!("{}", error.localize());
        }
        Ok(due)
    }

    /// Renames the profile `old` (the user's of that name, else the system's
    /// when that scope is writable).
    pub fn rename(&self, old: &str, new: &str) -> Result<(Profile, KeyringDue), StoreError> {
        let scope = self.scope_by_name(old)?;
        self.rename_in(scope, old, new)
    }

    /// Renames a profile within its scope, as one change with the move of its
    /// password.
    pub fn rename_in(
        &self,
        scope: Scope,
        old: &str,
        new: &str,
    ) -> Result<(Profile, KeyringDue), StoreError> {
        let old_path = self.file_of(scope, old)?;
        let mut profile = read_profile(&old_path)?;
        profile.name = new.to_owned();
        let due = self.save_renamed(scope, old, &profile)?;
        Ok((profile, due))
    }

    /// Saves `profile` under its (new) name in place of the profile `old`, as
    /// one change: the new file, the old one's removal and the move of the
    /// password, which the returned steps finish.
    pub fn save_renamed(
        &self,
        scope: Scope,
        old: &str,
        profile: &Profile,
    ) -> Result<KeyringDue, StoreError> {
        let path = self.paths.profile_file_in(scope, &profile.name);
        let issues = profile.validate();
        if !issues.is_empty() {
            return Err(StoreError::Invalid { path, issues });
        }
        let lock = self.lock()?;
        let old_path = self.file_of(scope, old)?;
        if path.exists() {
            return Err(StoreError::Exists(profile.name.clone()));
        }
        let mut change = lock.transaction();
        change
            .put(&path, render(profile).as_bytes(), scope.file_mode())
            .map_err(|e| StoreError::io(&path, e))?;
        change.remove(&old_path);
        self.default_follows(&mut change, scope, old, Some(&profile.name))?;
        change.keyring(KeyringStep::MoveProfileSecret {
            scope,
            from: old.to_owned(),
            to: profile.name.clone(),
            legacy: SecretKey::profile(&self.paths, scope, old).claims_legacy(),
        });
        Ok(change.commit()?)
    }

    /// Adds to `change` the scope's preferences naming `new` as the default
    /// profile (none for a delete) when they name `old`.
    fn default_follows(
        &self,
        change: &mut Transaction<'_>,
        scope: Scope,
        old: &str,
        new: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some((path, text)) = preferences::following_default(&self.paths, scope, old, new)? {
            change
                .put(&path, text.as_bytes(), scope.file_mode())
                .map_err(|e| StoreError::io(&path, e))?;
        }
        Ok(())
    }

    /// The existing file of `name` in `scope`, refused when the scope is read-only.
    fn file_of(&self, scope: Scope, name: &str) -> Result<PathBuf, StoreError> {
        let path = self.paths.profile_file_in(scope, name);
        if crate::core::profile::check_name(name).is_err() || !path.is_file() {
            return Err(StoreError::NotFound(name.to_owned()));
        }
        if !self.is_writable(scope) {
            return Err(StoreError::ReadOnly(name.to_owned()));
        }
        Ok(path)
    }

    /// The scope whose profile `name` a change by name means: the user's if
    /// there is one (it shadows the system's), else the system's.
    pub fn scope_by_name(&self, name: &str) -> Result<Scope, StoreError> {
        let exists = |scope| self.paths.profile_file_in(scope, name).is_file();
        if crate::core::profile::check_name(name).is_err() {
            Err(StoreError::NotFound(name.to_owned()))
        } else if exists(Scope::User) {
            Ok(Scope::User)
        } else if exists(Scope::System) {
            Ok(Scope::System)
        } else {
            Err(StoreError::NotFound(name.to_owned()))
        }
    }
}

/// Whether `dir`'s permission bits let this process write to it: the owner's
/// bits for its owner, the group's for its group, the others' otherwise. The
/// bits, not `access(2)`: the superuser may write anywhere, but an
/// administrator who made the folder read-only meant it for everyone.
#[cfg(unix)]
fn permits_writing(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::metadata(dir) else {
        return false;
    };
    if !meta.is_dir() {
        return false;
    }
    let mode = meta.mode();
    let bit = if meta.uid() == rustix::process::geteuid().as_raw() {
        0o200
    } else if meta.gid() == rustix::process::getegid().as_raw() {
        0o020
    } else {
        0o002
    };
    mode & bit != 0
}

/// Elsewhere the system profiles stay read-only: their folders belong to the
/// administrator and the permission model differs.
#[cfg(not(unix))]
fn permits_writing(_dir: &Path) -> bool {
    false
}

/// The stored text of a profile.
pub fn render(profile: &Profile) -> String {
    let file = ProfileFile {
        format: FORMAT,
        profile: profile.clone(),
    };
    // Serialising plain structs of strings, numbers and enums cannot fail.
    #[allow(clippy::expect_used)]
    toml::to_string(&file).expect("a profile serialises to TOML")
}

/// Reads and validates one profile file.
pub fn read_profile(path: &Path) -> Result<Profile, StoreError> {
    let text = fs::read_to_string(path).map_err(|e| StoreError::io(path, e))?;
    let file: ProfileFile = toml_doc::parse(&text).map_err(|error| StoreError::Document {
        path: path.to_path_buf(),
        error,
    })?;
    let profile = file.profile;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if profile.name != stem {
        return Err(StoreError::NameMismatch {
            path: path.to_path_buf(),
            inner: profile.name,
            file: stem,
        });
    }
    let issues = profile.validate();
    if !issues.is_empty() {
        return Err(StoreError::Invalid {
            path: path.to_path_buf(),
            issues,
        });
    }
    Ok(profile)
}

/// Replaces `path` with `bytes` so that a crash at any moment leaves the old or the
/// new file, never a torn one: a temporary file in the same folder, fsync, rename,
/// fsync the folder. The file is private to the user (0600).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with_mode(path, bytes, PRIVATE_MODE)
}

/// [`atomic_write`] with the file's permission bits (Unix; ignored elsewhere).
pub fn atomic_write_with_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let temp = stage_with_mode(path, bytes, mode)?;
    commit(&temp, path)
}

/// Writes `bytes` into a synced temporary file beside `path` and returns its path;
/// [`commit`] puts it in place. Lets a caller stage several files before changing any.
/// The file is private to the user (0600).
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    stage_with_mode(path, bytes, PRIVATE_MODE)
}

/// [`stage`] with the file's permission bits (Unix; ignored elsewhere).
pub fn stage_with_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    loop {
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        // A name the project owns (`journal::is_owned_temporary`): a crash's
        // leftover is recognised and removed at the next start.
        let temp = dir.join(format!(".outbound-{}-{unique}.tmp", std::process::id()));
        let mut file = match new_file(&temp, mode) {
            Ok(file) => file,
            // A leftover of an earlier process that had this process's id.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        return Ok(temp);
    }
}

/// Renames a staged file into place and syncs the folder.
pub fn commit(temp: &Path, path: &Path) -> io::Result<()> {
    if let Err(e) = fs::rename(temp, path) {
        let _ = fs::remove_file(temp);
        return Err(e);
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// A new file with exactly `mode`: set again after creating it, because the
/// process's umask narrows the mode given to open(2) (an administrator's umask
/// 077 would make a system profile unreadable to everyone else).
fn new_file(path: &Path, mode: u32) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(mode);
        let file = options.open(path)?;
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        options.open(path)
    }
}

/// Makes a folder's entries (new, renamed, removed files) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    // Folders cannot be opened for syncing on Windows; rename is durable there.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}
