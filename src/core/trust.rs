//! Imported sendmail commands wait for a confirmation before their first run.
//!
//! An export file can carry `sendmail.path` and `sendmail.args`, which a check
//! executes. Every profile an import writes that could run such a command is
//! recorded here with the exact command imported, in `unconfirmed-sendmail.toml`
//! in the config folder, until someone here confirms it (Run in the window,
//! `--confirm-sendmail` on the command line) or changes the command (then it is
//! their own). Profiles made here, or placed by an administrator, are never
//! recorded, so they run as before.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::profile::{Delivery, Profile, Sendmail};
use crate::core::store::{self, Paths, Scope, StoreError};
use crate::core::toml_doc::{self, FORMAT};
use crate::i18n::{self, Localize};

const FILE_NAME: &str = "unconfirmed-sendmail.toml";

/// A sendmail command as a profile holds it: the program and its argument text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub path: String,
    pub args: String,
}

impl Command {
    pub fn of(sendmail: &Sendmail) -> Self {
        Command {
            path: sendmail.path.clone(),
            args: sendmail.args.clone(),
        }
    }

    /// Each argument as the program receives it (split like a shell would, never
    /// run through one); text that does not split is shown whole.
    pub fn arguments(&self) -> Vec<String> {
        shell_words::split(&self.args).unwrap_or_else(|_| vec![self.args.clone()])
    }

    /// The program and its arguments on one line, quoted where a word needs it.
    pub fn line(&self) -> String {
        let mut words = vec![self.path.trim().to_owned()];
        words.extend(self.arguments());
        shell_words::join(words)
    }
}

/// The scope as the record file spells it (the store's `Scope` only serialises).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RecordScope {
    User,
    System,
}

impl From<Scope> for RecordScope {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::User => RecordScope::User,
            Scope::System => RecordScope::System,
        }
    }
}

/// One imported profile whose command nobody here has confirmed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    scope: RecordScope,
    name: String,
    path: String,
    args: String,
}

impl Record {
    /// The record of `profile`'s command, stored as its name in `scope`.
    fn of(scope: Scope, profile: &Profile) -> Self {
        Record {
            scope: scope.into(),
            name: profile.name.clone(),
            path: profile.sendmail.path.clone(),
            args: profile.sendmail.args.clone(),
        }
    }

    fn is(&self, scope: Scope, name: &str) -> bool {
        self.scope == RecordScope::from(scope) && self.name == name
    }

    fn command(&self) -> Command {
        Command {
            path: self.path.clone(),
            args: self.args.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordFile {
    format: u32,
    #[serde(default)]
    unconfirmed: Vec<Record>,
}

/// The file holding the records.
pub fn file(paths: &Paths) -> PathBuf {
    paths.config.join(FILE_NAME)
}

fn read(path: &Path) -> Result<Vec<Record>, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let file: RecordFile = toml_doc::parse(&text).map_err(|error| StoreError::Document {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(file.unconfirmed)
}

fn write(path: &Path, records: Vec<Record>) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if records.is_empty() {
        return match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io(error)),
            _ => Ok(()),
        };
    }
    let file = RecordFile {
        format: FORMAT,
        unconfirmed: records,
    };
    // Plain strings and a unit enum always serialise.
    #[allow(clippy::expect_used)]
    let text = toml::to_string(&file).expect("records serialise to TOML");
    store::atomic_write(path, text.as_bytes()).map_err(io)
}

/// Reads the records, changes them, and writes them back when they changed.
fn change(paths: &Paths, apply: impl FnOnce(&mut Vec<Record>)) -> Result<(), StoreError> {
    let path = file(paths);
    let before = read(&path)?;
    let mut records = before.clone();
    apply(&mut records);
    if records == before {
        return Ok(());
    }
    write(&path, records)
}

/// Whether an imported profile could run a command the import chose: it
/// delivers through sendmail, or it carries a command other than the default
/// (which runs as soon as someone switches it to sendmail).
pub fn carries_command(profile: &Profile) -> bool {
    profile.delivery == Delivery::Sendmail || profile.sendmail != Sendmail::default()
}

/// Records the profiles an import writes into `scope`: each one that carries a
/// command waits for a confirmation; one that does not drops an older record of
/// its name (it replaced that profile).
pub fn record_imported(
    paths: &Paths,
    scope: Scope,
    profiles: &[Profile],
) -> Result<(), StoreError> {
    change(paths, |records| {
        for profile in profiles {
            records.retain(|r| !r.is(scope, &profile.name));
            if carries_command(profile) {
                records.push(Record::of(scope, profile));
            }
        }
    })
}

/// The command a check of `profile` (stored as `name` in `scope`) would run
/// that was imported and not yet confirmed here; `None` when the check may run.
/// A command changed since the import is the user's own and runs as it is.
pub fn pending(
    paths: &Paths,
    scope: Scope,
    name: &str,
    profile: &Profile,
) -> Result<Option<Command>, StoreError> {
    if profile.delivery != Delivery::Sendmail {
        return Ok(None);
    }
    let command = Command::of(&profile.sendmail);
    Ok(read(&file(paths))?
        .iter()
        .find(|r| r.is(scope, name) && r.command() == command)
        .map(Record::command))
}

/// The user confirmed the imported command of `name`: it runs from now on.
pub fn confirm(paths: &Paths, scope: Scope, name: &str) -> Result<(), StoreError> {
    forget(paths, scope, name)
}

/// A deleted profile's record goes with it, so a later profile of that name
/// with the same command is not taken for the imported one.
pub fn forget(paths: &Paths, scope: Scope, name: &str) -> Result<(), StoreError> {
    change(paths, |records| records.retain(|r| !r.is(scope, name)))
}

/// A copy (`copy`, a new user profile) of the profile `name` of `scope` waits
/// for the same confirmation as its original while it carries the same
/// unconfirmed command: duplicating must not make an imported command runnable.
pub fn follow_copy(
    paths: &Paths,
    scope: Scope,
    name: &str,
    copy: &Profile,
) -> Result<(), StoreError> {
    let command = Command::of(&copy.sendmail);
    change(paths, |records| {
        let original = records
            .iter()
            .any(|r| r.is(scope, name) && r.command() == command);
        records.retain(|r| !r.is(Scope::User, &copy.name));
        if original {
            records.push(Record::of(Scope::User, copy));
        }
    })
}

/// Follows a save of `profile` (stored before as `old_name`): a command the
/// user changed is theirs, so its record goes; a renamed profile keeps waiting
/// under its new name.
pub fn follow_save(
    paths: &Paths,
    scope: Scope,
    old_name: Option<&str>,
    profile: &Profile,
) -> Result<(), StoreError> {
    let old_name = old_name.unwrap_or(&profile.name);
    change(paths, |records| {
        let Some(index) = records.iter().position(|r| r.is(scope, old_name)) else {
            return;
        };
        let mut record = records.remove(index);
        records.retain(|r| !r.is(scope, &profile.name));
        if record.command() == Command::of(&profile.sendmail) {
            record.name = profile.name.clone();
            records.push(record);
        }
    })
}

/// Why a check does not run the profile's sendmail command.
#[derive(Debug, Error)]
pub enum Refusal {
    #[error("profile `{name}` runs the imported, unconfirmed command {}", .command.line())]
    Unconfirmed { name: String, command: Command },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Localize for Refusal {
    fn localize(&self) -> String {
        match self {
            Refusal::Unconfirmed { name, command } => i18n::tr_args(
                "trust-cli-unconfirmed",
                &[("name", name.clone()), ("command", command.line())],
            ),
            Refusal::Store(error) => error.localize(),
        }
    }
}

/// The command line's gate before a check of a stored profile: an unconfirmed
/// imported command is refused, unless `confirmed` (the user said so with
/// `--confirm-sendmail`), which confirms it for good.
pub fn gate(
    paths: &Paths,
    scope: Scope,
    profile: &Profile,
    confirmed: bool,
) -> Result<(), Refusal> {
    let Some(command) = pending(paths, scope, &profile.name, profile)? else {
        return Ok(());
    };
    if confirmed {
        confirm(paths, scope, &profile.name)?;
        return Ok(());
    }
    Err(Refusal::Unconfirmed {
        name: profile.name.clone(),
        command,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sendmail_profile(name: &str, path: &str, args: &str) -> Profile {
        let mut profile = Profile::named(name);
        profile.delivery = Delivery::Sendmail;
        profile.sendmail.path = path.to_owned();
        profile.sendmail.args = args.to_owned();
        profile
    }

    fn smtp_profile(name: &str) -> Profile {
        let mut profile = Profile::named(name);
        profile.delivery = Delivery::Smtp;
        profile
    }

    #[test]
    fn an_imported_command_waits_until_confirmed() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let imported = sendmail_profile("relay", "/opt/x/send", "-i -ap 'two words'");
        record_imported(&paths, Scope::User, std::slice::from_ref(&imported)).unwrap();
        let command = pending(&paths, Scope::User, "relay", &imported)
            .unwrap()
            .expect("the imported command waits");
        assert_eq!(command.path, "/opt/x/send");
        assert_eq!(command.arguments(), ["-i", "-ap", "two words"]);
        assert_eq!(command.line(), "/opt/x/send -i -ap 'two words'");
        // Another scope's profile of the same name is not the imported one.
        assert_eq!(
            pending(&paths, Scope::System, "relay", &imported).unwrap(),
            None
        );
        confirm(&paths, Scope::User, "relay").unwrap();
        assert_eq!(
            pending(&paths, Scope::User, "relay", &imported).unwrap(),
            None
        );
        assert!(!file(&paths).exists(), "no records leave no file");
    }

    #[test]
    fn profiles_made_here_and_smtp_checks_are_not_affected() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let made_here = sendmail_profile("local", "/usr/sbin/sendmail", "-i");
        assert_eq!(
            pending(&paths, Scope::User, "local", &made_here).unwrap(),
            None
        );
        // An SMTP profile carrying a command is recorded, and asks only once it
        // delivers through sendmail.
        let mut smtp = smtp_profile("mixed");
        smtp.sendmail.path = "/tmp/evil".into();
        let plain_smtp = smtp_profile("plain");
        record_imported(&paths, Scope::User, &[smtp.clone(), plain_smtp.clone()]).unwrap();
        assert_eq!(pending(&paths, Scope::User, "mixed", &smtp).unwrap(), None);
        smtp.delivery = Delivery::Sendmail;
        assert!(
            pending(&paths, Scope::User, "mixed", &smtp)
                .unwrap()
                .is_some()
        );
        let mut plain = plain_smtp;
        plain.delivery = Delivery::Sendmail;
        assert_eq!(pending(&paths, Scope::User, "plain", &plain).unwrap(), None);
    }

    #[test]
    fn a_changed_command_is_the_users_and_a_rename_keeps_waiting() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let imported = sendmail_profile("relay", "/opt/x/send", "-i");
        record_imported(&paths, Scope::User, std::slice::from_ref(&imported)).unwrap();

        let mut renamed = imported.clone();
        renamed.name = "relay2".into();
        follow_save(&paths, Scope::User, Some("relay"), &renamed).unwrap();
        assert_eq!(
            pending(&paths, Scope::User, "relay", &imported).unwrap(),
            None
        );
        assert!(
            pending(&paths, Scope::User, "relay2", &renamed)
                .unwrap()
                .is_some()
        );

        let mut edited = renamed.clone();
        edited.sendmail.args = "-i -v".into();
        // Before saving, the typed command is not the imported one.
        assert_eq!(
            pending(&paths, Scope::User, "relay2", &edited).unwrap(),
            None
        );
        follow_save(&paths, Scope::User, Some("relay2"), &edited).unwrap();
        // Typed back as imported, it is still confirmed: the record went with the save.
        assert_eq!(
            pending(&paths, Scope::User, "relay2", &renamed).unwrap(),
            None
        );
    }

    #[test]
    fn the_gate_refuses_then_confirms_and_a_damaged_file_refuses() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        let imported = sendmail_profile("relay", "/opt/x/send", "-i");
        record_imported(&paths, Scope::User, std::slice::from_ref(&imported)).unwrap();
        let refused = gate(&paths, Scope::User, &imported, false).unwrap_err();
        assert!(matches!(refused, Refusal::Unconfirmed { .. }), "{refused}");
        gate(&paths, Scope::User, &imported, true).unwrap();
        gate(&paths, Scope::User, &imported, false).unwrap();

        std::fs::write(file(&paths), "format = 1\n[[unconfirmed]\n").unwrap();
        assert!(matches!(
            gate(&paths, Scope::User, &imported, false),
            Err(Refusal::Store(StoreError::Document { .. }))
        ));
    }
}
