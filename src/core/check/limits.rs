//! The daily limit: how many messages Outbound sent through each profile today
//! (UTC), kept in `<data>/sent-today.json`. Over `limits.daily`, sending is refused.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::profile::Profile;
use crate::core::store::{Paths, atomic_write};
use crate::i18n::{self, Localize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Count {
    day: String,
    sent: u32,
}

#[derive(Debug, Error)]
pub enum LimitError {
    #[error("profile {name} has sent its {limit} messages for today")]
    Reached { name: String, limit: u32 },
    #[error("cannot keep the sent-message count in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl Localize for LimitError {
    fn localize(&self) -> String {
        match self {
            LimitError::Reached { name, limit } => i18n::tr_args(
                "check-limit-reached",
                &[("name", name.clone()), ("limit", limit.to_string())],
            ),
            LimitError::Io { path, source } => i18n::tr_args(
                "check-limit-io",
                &[
                    ("path", path.display().to_string()),
                    ("reason", source.to_string()),
                ],
            ),
        }
    }
}

fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn counts_file(paths: &Paths) -> PathBuf {
    paths.data.join("sent-today.json")
}

fn read(paths: &Paths) -> BTreeMap<String, Count> {
    std::fs::read(counts_file(paths))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Messages sent through the profile today.
pub fn sent_today(paths: &Paths, name: &str) -> u32 {
    let day = today();
    read(paths)
        .get(name)
        .filter(|c| c.day == day)
        .map_or(0, |c| c.sent)
}

/// Whether one more message may go through the profile today.
pub fn allow(profile: &Profile, paths: &Paths) -> Result<(), LimitError> {
    let limit = profile.limits.daily;
    if limit > 0 && sent_today(paths, &profile.name) >= limit {
        return Err(LimitError::Reached {
            name: profile.name.clone(),
            limit,
        });
    }
    Ok(())
}

/// Counts one message sent through the profile; returns today's count.
pub fn record_sent(paths: &Paths, name: &str) -> Result<u32, LimitError> {
    let day = today();
    let mut counts = read(paths);
    let count = counts.entry(name.to_owned()).or_default();
    if count.day != day {
        *count = Count { day, sent: 0 };
    }
    count.sent += 1;
    let sent = count.sent;
    let path = counts_file(paths);
    let io_error = |source| LimitError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&paths.data).map_err(io_error)?;
    let bytes = serde_json::to_vec_pretty(&counts).map_err(|e| io_error(io::Error::other(e)))?;
    atomic_write(&path, &bytes).map_err(io_error)?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_limit_counts_per_profile_and_day() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let mut profile = Profile::named("p");
        profile.limits.daily = 2;
        assert!(allow(&profile, &paths).is_ok());
        assert_eq!(record_sent(&paths, "p").unwrap(), 1);
        assert_eq!(record_sent(&paths, "other").unwrap(), 1);
        assert!(allow(&profile, &paths).is_ok());
        assert_eq!(record_sent(&paths, "p").unwrap(), 2);
        let refused = allow(&profile, &paths).unwrap_err();
        assert!(refused.localize().contains('2'), "{}", refused.localize());
        // No limit.
        profile.limits.daily = 0;
        assert!(allow(&profile, &paths).is_ok());
        // A count from another day does not hold.
        std::fs::write(
            counts_file(&paths),
            r#"{"p": {"day": "2000-01-01", "sent": 99}}"#,
        )
        .unwrap();
        assert_eq!(sent_today(&paths, "p"), 0);
        assert_eq!(record_sent(&paths, "p").unwrap(), 1);
    }
}
