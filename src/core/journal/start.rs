//! The start of the window or of any command: an interrupted change is
//! completed and the temporary files of writes that never finished go.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use super::keyring::run_on_own_runtime;
use super::{ConfigLock, JOURNAL_FILE, JournalError, KeyringStep};
use crate::core::store::{Paths, Scope, Store};
use crate::i18n::{self, Localize};

/// The start of the window or of any command, before anything reads the
/// profiles: completes an unfinished change (its files, then its keyring
/// steps, tried once more) and removes the temporary files of writes that
/// never finished. Does nothing, and takes no lock, when there is nothing to do.
pub fn recover_at_start() -> Result<(), JournalError> {
    match Paths::from_environment() {
        Ok(paths) => recover(&paths),
        // Without a home there are no files to recover; the command says why.
        Err(_) => Ok(()),
    }
}

/// [`recover_at_start`] for given folders.
pub fn recover(paths: &Paths) -> Result<(), JournalError> {
    let started = process_started();
    let folders = swept_folders(paths);
    let journal = paths.config.join(JOURNAL_FILE);
    let litter = |folders: &[PathBuf]| -> Vec<PathBuf> {
        folders
            .iter()
            .flat_map(|f| owned_temporaries(f, started))
            .collect()
    };
    if !journal.exists() && litter(&folders).is_empty() {
        return Ok(());
    }
    let lock = ConfigLock::acquire(&paths.config)?;
    // Under the lock no write of a live process is staged, and the age rule
    // keeps this process's own and any unlocked writer's files.
    for path in litter(&folders) {
        let _ = fs::remove_file(path);
    }
    let Some(record) = lock.read_record()? else {
        return Ok(());
    };
    if record.keyring.is_empty() {
        return Ok(());
    }
    let due: Vec<KeyringStep> = record
        .keyring
        .iter()
        .filter(|step| step.still_due(paths))
        .cloned()
        .collect();
    if !due.is_empty() {
        for (step, error) in run_on_own_runtime(due) {
            eprintln!(
                "{}",
                i18n::tr_args(
                    "journal-keyring-failed",
                    &[
                        ("name", step.profile().to_owned()),
                        ("reason", error.localize())
                    ],
                )
            );
        }
    }
    // Done, tried once more, or out of date: none stays for the next start.
    lock.forget(&record.keyring)
}

/// The folders Outbound writes into: the configuration folder, the user's
/// profiles and, when this user may write there, the system's.
fn swept_folders(paths: &Paths) -> Vec<PathBuf> {
    let mut folders = vec![paths.config.clone(), paths.profiles()];
    if Store::new(paths.clone()).is_writable(Scope::System) {
        folders.push(paths.system_profiles.clone());
    }
    folders
}

/// The temporary files in `folder` with a name the project owns and older
/// than this process. A user's own files never have such names.
fn owned_temporaries(folder: &Path, started: SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_str().is_some_and(is_owned_temporary))
        .filter(|entry| {
            entry.metadata().is_ok_and(|meta| {
                meta.is_file() && meta.modified().is_ok_and(|modified| modified < started)
            })
        })
        .map(|entry| entry.path())
        .collect()
}

/// `.outbound-<pid>-<n>.tmp`, and `.<name>.toml.<pid>.<n>.tmp` of earlier versions.
pub fn is_owned_temporary(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = name
        .strip_prefix(".outbound-")
        .and_then(|r| r.strip_suffix(".tmp"))
    {
        return rest
            .split_once('-')
            .is_some_and(|(pid, n)| digits(pid) && digits(n));
    }
    let Some(rest) = name.strip_prefix('.').and_then(|r| r.strip_suffix(".tmp")) else {
        return false;
    };
    let mut parts = rest.rsplitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(n), Some(pid), Some(file)) => {
            digits(n) && digits(pid) && file.len() > ".toml".len() && file.ends_with(".toml")
        }
        _ => false,
    }
}

/// When this process started, as near as it knows: the first call, which the
/// start-up hook makes before anything else.
fn process_started() -> SystemTime {
    static STARTED: OnceLock<SystemTime> = OnceLock::new();
    *STARTED.get_or_init(SystemTime::now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_names_only() {
        assert!(is_owned_temporary(".outbound-123-0.tmp"));
        assert!(is_owned_temporary(".relay.toml.4242.7.tmp"));
        assert!(!is_owned_temporary(".outbound-lock"));
        assert!(!is_owned_temporary(JOURNAL_FILE));
        assert!(!is_owned_temporary(".outbound-x-1.tmp"));
        assert!(!is_owned_temporary(".notes.tmp"));
        assert!(!is_owned_temporary(".my.toml.tmp"));
        assert!(!is_owned_temporary(".toml.1.2.tmp"));
        assert!(!is_owned_temporary("relay.toml"));
        assert!(!is_owned_temporary(".draft.txt.1.2.tmp"));
    }
}
