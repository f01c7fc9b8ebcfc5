//! All or nothing across files, and one writer at a time.
//!
//! A change that touches several files (an import of profiles and providers, a
//! rename, a delete with its password) commits as one: every new file is
//! staged beside its target under a name the project owns
//! (`.outbound-<pid>-<n>.tmp`), then a small record (the journal) naming the
//! staged files, the files to remove and the keyring steps is put in place —
//! the moment the change counts as made — then the files are renamed into place
//! and the record shrinks to the keyring steps, which are done last because
//! they cannot be undone. A process killed at any moment leaves either staged
//! files and no record (the old state; the files are removed at the next start)
//! or a record that the next start, or the next commit, rolls forward.
//!
//! One lock file in the configuration folder serialises every commit of every
//! Outbound process (the window and commands), held only while committing.

mod keyring;
mod start;

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

pub use keyring::{KeyringDue, KeyringStep};
pub use start::{is_owned_temporary, recover, recover_at_start};

use crate::core::store;
use crate::i18n::{self, Localize};

/// The lock every commit holds, in the configuration folder.
pub const LOCK_FILE: &str = ".outbound-lock";
/// The record of a commit in progress, in the configuration folder.
pub const JOURNAL_FILE: &str = ".outbound-journal.json";
const RECORD_FORMAT: u32 = 1;
/// How long a waiting process is silent before it says why it waits.
const NOTICE_AFTER: Duration = Duration::from_secs(3);
/// How long a process waits for the lock before it gives up. A commit takes
/// milliseconds; a keyring that asks to be unlocked is never waited for under
/// the lock, so this is only reached when another process hangs.
const GIVE_UP_AFTER: Duration = Duration::from_secs(120);

#[derive(Debug, Error)]
pub enum JournalError {
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("another Outbound kept {} locked for {} s; nothing was changed", .path.display(), .waited.as_secs())]
    Busy { path: PathBuf, waited: Duration },
    #[error("{}: the record of an unfinished change cannot be read: {reason}", .path.display())]
    Damaged { path: PathBuf, reason: String },
}

impl JournalError {
    fn io(path: &Path, source: io::Error) -> Self {
        JournalError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Localize for JournalError {
    fn localize(&self) -> String {
        match self {
            JournalError::Io { path, source } => i18n::tr_args(
                "store-io",
                &[
                    ("path", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
            JournalError::Busy { path, waited } => i18n::tr_args(
                "journal-busy",
                &[
                    ("path", path.display().to_string()),
                    ("seconds", waited.as_secs().to_string()),
                ],
            ),
            JournalError::Damaged { path, reason } => i18n::tr_args(
                "journal-damaged",
                &[
                    ("path", path.display().to_string()),
                    ("reason", reason.clone()),
                ],
            ),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    format: u32,
    #[serde(default)]
    put: Vec<Put>,
    #[serde(default)]
    remove: Vec<PathBuf>,
    #[serde(default)]
    keyring: Vec<KeyringStep>,
}

impl Record {
    fn has_files(&self) -> bool {
        !self.put.is_empty() || !self.remove.is_empty()
    }

    fn is_empty(&self) -> bool {
        !self.has_files() && self.keyring.is_empty()
    }
}

/// A staged file and where it goes; the digest tells a file already renamed
/// into place from one that was lost.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Put {
    staged: PathBuf,
    target: PathBuf,
    sha256: String,
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The configuration folder's lock, held while it lives. Taking it first
/// completes (or undoes) the files of a commit whose process died.
#[derive(Debug)]
pub struct ConfigLock {
    _file: File,
    config: PathBuf,
}

impl ConfigLock {
    /// Waits for the lock (saying so after a few seconds, giving up after a
    /// bound), then rolls a leftover record's files forward or back.
    pub fn acquire(config: &Path) -> Result<ConfigLock, JournalError> {
        fs::create_dir_all(config).map_err(|e| JournalError::io(config, e))?;
        let path = config.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&path)
            .map_err(|e| JournalError::io(&path, e))?;
        let started = Instant::now();
        let give_up = give_up_after();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => return Err(JournalError::io(&path, e)),
            }
            let waited = started.elapsed();
            if waited >= give_up {
                return Err(JournalError::Busy { path, waited });
            }
            if !told && waited >= NOTICE_AFTER {
                eprintln!("{}", i18n::tr("journal-waiting"));
                told = true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let lock = ConfigLock {
            _file: file,
            config: config.to_path_buf(),
        };
        lock.roll_files()?;
        Ok(lock)
    }

    /// A change to make under this lock.
    pub fn transaction(&self) -> Transaction<'_> {
        Transaction {
            lock: self,
            record: Record::default(),
            committed: false,
        }
    }

    fn journal(&self) -> PathBuf {
        self.config.join(JOURNAL_FILE)
    }

    fn read_record(&self) -> Result<Option<Record>, JournalError> {
        let path = self.journal();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(JournalError::io(&path, e)),
        };
        let record: Record = serde_json::from_slice(&bytes).map_err(|e| JournalError::Damaged {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if record.format != RECORD_FORMAT {
            return Err(JournalError::Damaged {
                path,
                reason: format!("format {}", record.format),
            });
        }
        Ok(Some(record))
    }

    /// Puts `record` in place atomically, or removes the journal when it is empty.
    fn write_record(&self, record: &Record) -> Result<(), JournalError> {
        let path = self.journal();
        if record.is_empty() {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(JournalError::io(&path, e)),
            }
            return store::sync_dir(&self.config).map_err(|e| JournalError::io(&self.config, e));
        }
        // Serialising plain structs of paths and strings cannot fail.
        #[allow(clippy::expect_used)]
        let text = serde_json::to_vec_pretty(record).expect("a journal record serialises");
        store::atomic_write(&path, &text).map_err(|e| JournalError::io(&path, e))
    }

    /// Finishes or undoes the files of a record left by a process that died:
    /// forward when every staged file is there or already in place (the
    /// record is only written once all were staged), back when nothing was put
    /// in place yet and a staged file is missing.
    fn roll_files(&self) -> Result<(), JournalError> {
        let Some(mut record) = self.read_record()? else {
            return Ok(());
        };
        if !record.has_files() {
            return Ok(());
        }
        let mut any_in_place = false;
        let mut any_lost = false;
        for put in &record.put {
            if put.staged.exists() {
                continue;
            }
            let in_place = fs::read(&put.target).is_ok_and(|bytes| digest(&bytes) == put.sha256);
            any_in_place |= in_place;
            any_lost |= !in_place;
        }
        if any_lost && !any_in_place {
            tracing::warn!("an unfinished change lost a staged file; it is undone");
            for put in &record.put {
                let _ = fs::remove_file(&put.staged);
            }
        } else {
            tracing::info!("an unfinished change is completed");
            put_in_place(&record)?;
        }
        record.put.clear();
        record.remove.clear();
        self.write_record(&record)
    }

    /// Drops finished (or given up) keyring steps from the record.
    fn forget(&self, steps: &[KeyringStep]) -> Result<(), JournalError> {
        let Some(mut record) = self.read_record()? else {
            return Ok(());
        };
        let before = record.keyring.len();
        record.keyring.retain(|step| !steps.contains(step));
        if record.keyring.len() == before {
            return Ok(());
        }
        self.write_record(&record)
    }
}

/// Renames every staged file still there into place, removes the files to
/// remove, and syncs their folders. Safe to repeat.
fn put_in_place(record: &Record) -> Result<(), JournalError> {
    let mut folders = BTreeSet::new();
    for put in &record.put {
        if put.staged.exists() {
            fs::rename(&put.staged, &put.target).map_err(|e| JournalError::io(&put.target, e))?;
            pause();
        }
        folders.insert(parent(&put.target));
    }
    for path in &record.remove {
        match fs::remove_file(path) {
            Ok(()) => pause(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(JournalError::io(path, e)),
        }
        folders.insert(parent(path));
    }
    for folder in folders {
        store::sync_dir(&folder).map_err(|e| JournalError::io(&folder, e))?;
    }
    Ok(())
}

fn parent(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// The files and keyring steps of one change, staged under a lock; dropped
/// without [`Transaction::commit`], its staged files are removed.
#[derive(Debug)]
pub struct Transaction<'lock> {
    lock: &'lock ConfigLock,
    record: Record,
    committed: bool,
}

impl Transaction<'_> {
    /// Stages `bytes` as the new content of `target`, with the permission bits
    /// `mode` (Unix); nothing changes yet.
    pub fn put(&mut self, target: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
        let staged = store::stage_with_mode(target, bytes, mode)?;
        self.record.put.push(Put {
            staged,
            target: target.to_path_buf(),
            sha256: digest(bytes),
        });
        pause();
        Ok(())
    }

    /// Removes `path` with the change.
    pub fn remove(&mut self, path: &Path) {
        self.record.remove.push(path.to_path_buf());
    }

    /// A keyring step done after the files.
    pub fn keyring(&mut self, step: KeyringStep) {
        self.record.keyring.push(step);
    }

    /// Makes the change: the record first (from then on the change counts as
    /// made, whatever happens to this process), then the files. Returns the
    /// keyring steps, to be finished by the caller.
    pub fn commit(mut self) -> Result<KeyringDue, JournalError> {
        let new_steps = std::mem::take(&mut self.record.keyring);
        if !self.record.has_files() && new_steps.is_empty() {
            return Ok(KeyringDue::none());
        }
        let staged_in: BTreeSet<PathBuf> =
            self.record.put.iter().map(|p| parent(&p.staged)).collect();
        for folder in staged_in {
            store::sync_dir(&folder).map_err(|e| JournalError::io(&folder, e))?;
        }
        // Keyring steps of earlier commits not finished yet stay in the record.
        let mut keyring = self
            .lock
            .read_record()?
            .map(|r| r.keyring)
            .unwrap_or_default();
        keyring.extend(new_steps.iter().cloned());
        let mut record = Record {
            format: RECORD_FORMAT,
            put: std::mem::take(&mut self.record.put),
            remove: std::mem::take(&mut self.record.remove),
            keyring,
        };
        if let Err(e) = self.lock.write_record(&record) {
            self.record.put = record.put;
            return Err(e);
        }
        self.committed = true;
        pause();
        put_in_place(&record)?;
        record.put.clear();
        record.remove.clear();
        self.lock.write_record(&record)?;
        Ok(KeyringDue {
            config: Some(self.lock.config.clone()),
            steps: new_steps,
        })
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.committed {
            for put in &self.record.put {
                let _ = fs::remove_file(&put.staged);
            }
        }
    }
}

fn give_up_after() -> Duration {
    test_setting("OUTBOUND_TEST_LOCK_WAIT_MS").unwrap_or(GIVE_UP_AFTER)
}

/// A pause between the steps of a commit, so that tests can kill a process
/// inside it: `OUTBOUND_TEST_COMMIT_DELAY_MS`, read by debug builds only.
fn pause() {
    if let Some(delay) = commit_delay() {
        std::thread::sleep(delay);
    }
}

async fn pause_async() {
    if let Some(delay) = commit_delay() {
        tokio::time::sleep(delay).await;
    }
}

fn commit_delay() -> Option<Duration> {
    static DELAY: OnceLock<Option<Duration>> = OnceLock::new();
    *DELAY.get_or_init(|| test_setting("OUTBOUND_TEST_COMMIT_DELAY_MS"))
}

/// A duration in milliseconds from a test-only variable. Release builds never
/// read these, so no user's environment can slow or shorten their commits.
fn test_setting(name: &str) -> Option<Duration> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(name)
        .ok()?
        .parse()
        .ok()
        .map(Duration::from_millis)
}
