//! The user's preferences: language, theme, default timeout for new profiles.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::store::{self, Paths, Scope, StoreError};
use crate::core::toml_doc::{self, FORMAT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Follow the system's locale.
    #[default]
    System,
    En,
    Ru,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::System, Language::En, Language::Ru];

    /// The tag to ask the translation loader for; `None` follows the system.
    pub fn tag(self) -> Option<&'static str> {
        match self {
            Language::System => None,
            Language::En => Some("en"),
            Language::Ru => Some("ru"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    pub language: Language,
    pub theme: ThemeChoice,
    /// The SMTP timeout new profiles start with, 1–300 s.
    pub default_timeout_secs: u32,
    /// The profile `outbound send` uses when no profile's senders match;
    /// empty means none (the system's preferences may name one).
    pub default_profile: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            language: Language::default(),
            theme: ThemeChoice::default(),
            default_timeout_secs: 20,
            default_profile: String::new(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreferencesFile {
    format: u32,
    preferences: Preferences,
}

pub fn file(config: &Path) -> PathBuf {
    config.join("preferences.toml")
}

/// Loads the preferences; a missing file gives the defaults.
pub fn load(config: &Path) -> Result<Preferences, StoreError> {
    let path = file(config);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Preferences::default()),
        Err(source) => return Err(StoreError::Io { path, source }),
    };
    let parsed: PreferencesFile =
        toml_doc::parse(&text).map_err(|error| StoreError::Document { path, error })?;
    Ok(parsed.preferences)
}

/// Saves the preferences atomically.
pub fn save(config: &Path, preferences: &Preferences) -> Result<(), StoreError> {
    let path = file(config);
    let text = render(preferences);
    // Under the lock, so that no other Outbound's start-up sweep takes this
    // write's temporary file for a crash's leftover.
    let _lock = crate::core::journal::ConfigLock::acquire(config)?;
    store::atomic_write(&path, text.as_bytes()).map_err(|source| StoreError::Io { path, source })
}

/// The preferences file's text.
fn render(preferences: &Preferences) -> String {
    let file = PreferencesFile {
        format: FORMAT,
        preferences: preferences.clone(),
    };
    // Plain enums, numbers and strings always serialise.
    #[allow(clippy::expect_used)]
    let text = toml::to_string(&file).expect("preferences serialise to TOML");
    text
}

/// The folder of `scope`'s preferences: the user's configuration folder, or
/// the folder above the system profiles' (`/etc/outbound/preferences.toml`),
/// whose `default_profile` is the system's default.
pub fn dir(paths: &Paths, scope: Scope) -> PathBuf {
    match scope {
        Scope::User => paths.config.clone(),
        Scope::System => paths
            .system_profiles
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| paths.system_profiles.clone()),
    }
}

/// When `scope`'s default profile is `old`: the preferences file and its new
/// text, naming `new` (a rename) or no default (`None`: a delete). A store
/// change writes it in the same transaction as the profile's file, so a
/// default never names a profile that is gone. `None` when the default is
/// another profile (or there is no preferences file).
pub fn following_default(
    paths: &Paths,
    scope: Scope,
    old: &str,
    new: Option<&str>,
) -> Result<Option<(PathBuf, String)>, StoreError> {
    let dir = dir(paths, scope);
    let mut preferences = load(&dir)?;
    if preferences.default_profile.trim() != old {
        return Ok(None);
    }
    preferences.default_profile = new.unwrap_or_default().to_owned();
    Ok(Some((file(&dir), render(&preferences))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), Preferences::default());
        let chosen = Preferences {
            language: Language::Ru,
            theme: ThemeChoice::Dark,
            default_timeout_secs: 60,
            default_profile: "office".into(),
        };
        save(dir.path(), &chosen).unwrap();
        assert_eq!(load(dir.path()).unwrap(), chosen);
    }
}
