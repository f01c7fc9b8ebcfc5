//! The spool's files and locks.
//!
//! Enqueueing writes `ID.eml` then `ID.json`, each atomically (temporary file,
//! fsync, rename, fsync of the folder): a crash before the `.json` is in place
//! leaves a lone `.eml` that is no queued message (removed by a later scan once
//! it is an hour old, so that an enqueue under way is never touched); after,
//! the message is queued whole.
//!
//! The lock of a message is an exclusive `flock` on its `ID.eml` (std's
//! `File::try_lock`), a file that is never rewritten, so the lock stays on the
//! same file while `ID.json` is replaced. The lock goes with the process, also
//! when it is killed. Whoever holds it may send, change or remove the message;
//! after taking it, the `.json` is read again, because another process may have
//! sent and removed the message in between ([`Claim::take`]).
//!
//! Removing a message unlinks `ID.json` first (from then on it is not queued),
//! then `ID.eml`.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::core::store::{Paths, atomic_write, sync_dir};

use super::{META_VERSION, Meta, ProfileRef, QueueError, QueueId, Queued, QueuedDsn, schedule};

/// A lone `.eml` older than this is the leftover of a crashed enqueue or removal.
const ORPHAN_SECS: u64 = 3600;

/// The spool folder.
pub fn folder(paths: &Paths) -> PathBuf {
    paths.data.join("queue")
}

fn eml(paths: &Paths, id: &QueueId) -> PathBuf {
    folder(paths).join(format!("{id}.eml"))
}

fn json(paths: &Paths, id: &QueueId) -> PathBuf {
    folder(paths).join(format!("{id}.json"))
}

/// The spool folder, made private (0700) when it is new.
fn ensure_folder(paths: &Paths) -> Result<PathBuf, QueueError> {
    let dir = folder(paths);
    if !dir.is_dir() {
        fs::create_dir_all(&dir).map_err(|e| QueueError::io(&dir, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| QueueError::io(&dir, e))?;
        }
    }
    Ok(dir)
}

/// A new id: time in milliseconds, process and a counter, so ids sort by age
/// and two processes never make the same one.
fn new_id(now_millis: u128) -> QueueId {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    QueueId(format!("{now_millis:013x}-{:x}-{n:x}", std::process::id()))
}

fn now_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Puts a message in the queue, due at once (or at `not_before`, e.g. the next
/// day's allowance), with `reason` as its last error. Returns its id.
#[allow(clippy::too_many_arguments)] // The envelope's parts, as `send` has them.
pub fn enqueue_parts(
    paths: &Paths,
    profile: ProfileRef,
    sender: &str,
    recipients: &[String],
    dsn: QueuedDsn,
    message: &[u8],
    reason: Option<String>,
    not_before: Option<i64>,
) -> Result<QueueId, QueueError> {
    let dir = ensure_folder(paths)?;
    let id = loop {
        let id = new_id(now_millis());
        if !eml(paths, &id).exists() && !json(paths, &id).exists() {
            break id;
        }
    };
    let now = schedule::now();
    let meta = Meta {
        version: META_VERSION,
        profile,
        sender: sender.to_owned(),
        recipients: recipients.to_vec(),
        dsn,
        size: message.len() as u64,
        queued_at: now,
        attempts: 0,
        next_attempt: not_before.unwrap_or(now),
        last_error: reason,
        sending_since: None,
        uncertain: false,
    };
    let eml_path = eml(paths, &id);
    atomic_write(&eml_path, message).map_err(|e| QueueError::io(&eml_path, e))?;
    // The commit point: from here the message is queued.
    write_meta(paths, &id, &meta)?;
    let _ = dir;
    Ok(id)
}

/// Replaces `ID.json` atomically.
pub(crate) fn write_meta(paths: &Paths, id: &QueueId, meta: &Meta) -> Result<(), QueueError> {
    let path = json(paths, id);
    let bytes =
        serde_json::to_vec_pretty(meta).map_err(|e| QueueError::io(&path, io::Error::other(e)))?;
    atomic_write(&path, &bytes).map_err(|e| QueueError::io(&path, e))
}

/// Replaces `ID.json` by a rename without syncing it: many of these are made
/// durable at once by [`sync_spool`] (one sync for a batch, not two per message).
fn write_meta_unsynced(paths: &Paths, id: &QueueId, meta: &Meta) -> Result<(), QueueError> {
    let path = json(paths, id);
    let bytes =
        serde_json::to_vec_pretty(meta).map_err(|e| QueueError::io(&path, io::Error::other(e)))?;
    let temp = folder(paths).join(format!(".{id}.json.{}.tmp", std::process::id()));
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        io::Write::write_all(&mut file, &bytes)?;
        fs::rename(&temp, &path)
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        QueueError::io(&path, e)
    })
}

/// Makes every change to the spool's files durable: `syncfs` of its file
/// system on Linux, one call for a whole batch.
pub fn sync_spool(paths: &Paths) -> Result<(), QueueError> {
    let dir = folder(paths);
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let handle = File::open(&dir).map_err(|e| QueueError::io(&dir, e))?;
        // SAFETY: a valid open descriptor, for the call's duration.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
            return Err(QueueError::io(&dir, io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        sync_dir(&dir).map_err(|e| QueueError::io(&dir, e))
    }
}

/// `ID.json`; `None` when the message is not (or no longer) queued.
fn read_meta(paths: &Paths, id: &QueueId) -> Result<Option<Meta>, QueueError> {
    let path = json(paths, id);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(QueueError::io(&path, e)),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| QueueError::Damaged {
            path,
            reason: e.to_string(),
        })
}

/// Every queued message, oldest first, and the files that could not be read.
/// Lone `.eml` files an hour old are removed on the way (see the module).
pub fn scan(paths: &Paths) -> (Vec<(QueueId, Meta)>, Vec<QueueError>) {
    let dir = folder(paths);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => return (Vec::new(), vec![QueueError::io(&dir, e)]),
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut emls = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".json").and_then(QueueId::parse) {
            match read_meta(paths, &stem) {
                Ok(Some(meta)) => found.push((stem, meta)),
                Ok(None) => {} // sent and removed meanwhile
                Err(e) => problems.push(e),
            }
        } else if let Some(stem) = name.strip_suffix(".eml").and_then(QueueId::parse) {
            emls.push((stem, entry.path()));
        }
    }
    for (id, path) in emls {
        if json(paths, &id).exists() {
            continue;
        }
        let old = fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= ORPHAN_SECS);
        if old && let Ok(Some(claim)) = Claim::lock(paths, &id) {
            // Locked and still without its `.json`: nobody is enqueueing it.
            if !json(paths, &id).exists() {
                let _ = fs::remove_file(&path);
            }
            drop(claim);
        }
    }
    found.sort_by(|a, b| a.1.queued_at.cmp(&b.1.queued_at).then(a.0.cmp(&b.0)));
    (found, problems)
}

/// Every queued message, oldest first (damaged files are left out; [`scan`] has them).
pub fn list(paths: &Paths) -> Result<Vec<Queued>, QueueError> {
    let (found, mut problems) = scan(paths);
    if found.is_empty()
        && let Some(QueueError::Io { .. }) = problems.first()
    {
        return Err(problems.remove(0));
    }
    Ok(found
        .into_iter()
        .map(|(id, meta)| Queued::new(id, &meta))
        .collect())
}

/// The lock of one message, held while it lives (also when the process is
/// killed, the kernel lets it go).
#[derive(Debug)]
pub struct Claim {
    pub id: QueueId,
    file: File,
}

impl Claim {
    /// The message's lock, if nobody else holds it; `Ok(None)` when another
    /// process does (it is sending or removing it) or the message is gone.
    fn lock(paths: &Paths, id: &QueueId) -> Result<Option<Claim>, QueueError> {
        let path = eml(paths, id);
        let file = match OpenOptions::new().read(true).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(QueueError::io(&path, e)),
        };
        match file.try_lock() {
            Ok(()) => Ok(Some(Claim {
                id: id.clone(),
                file,
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(QueueError::io(&path, e)),
        }
    }

    /// Takes the message: its lock, then its state as it is now (another
    /// process may have sent and removed it after it was listed). `None` when
    /// it is busy or gone.
    pub fn take(paths: &Paths, id: &QueueId) -> Result<Option<(Claim, Meta)>, QueueError> {
        let Some(claim) = Claim::lock(paths, id)? else {
            return Ok(None);
        };
        match read_meta(paths, id)? {
            Some(meta) => Ok(Some((claim, meta))),
            None => Ok(None),
        }
    }

    /// The message's bytes.
    pub fn message(&mut self, paths: &Paths) -> Result<Vec<u8>, QueueError> {
        let mut bytes = Vec::new();
        self.file
            .read_to_end(&mut bytes)
            .map_err(|e| QueueError::io(eml(paths, &self.id), e))?;
        Ok(bytes)
    }

    /// Writes the message's new state.
    pub fn update(&self, paths: &Paths, meta: &Meta) -> Result<(), QueueError> {
        write_meta(paths, &self.id, meta)
    }

    /// Writes the message's new state without syncing (see [`sync_spool`]).
    pub fn update_unsynced(&self, paths: &Paths, meta: &Meta) -> Result<(), QueueError> {
        write_meta_unsynced(paths, &self.id, meta)
    }

    /// Removes the message from the queue: `.json` first, then `.eml`.
    pub fn remove(self, paths: &Paths) -> Result<(), QueueError> {
        let meta_path = json(paths, &self.id);
        match fs::remove_file(&meta_path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(QueueError::io(&meta_path, e)),
        }
        let dir = folder(paths);
        sync_dir(&dir).map_err(|e| QueueError::io(&dir, e))?;
        let eml_path = eml(paths, &self.id);
        match fs::remove_file(&eml_path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(QueueError::io(&eml_path, e)),
        }
        Ok(())
    }
}

/// Removes one message; refused while another process is sending it.
pub fn delete(paths: &Paths, id: &QueueId) -> Result<(), QueueError> {
    let known = json(paths, id).exists() || eml(paths, id).exists();
    if !known {
        return Err(QueueError::NotFound { id: id.to_string() });
    }
    match Claim::lock(paths, id)? {
        Some(claim) => claim.remove(paths),
        None if eml(paths, id).exists() => Err(QueueError::Busy { id: id.to_string() }),
        None => {
            // A `.json` without its `.eml`: a removal cut short.
            let path = json(paths, id);
            fs::remove_file(&path).map_err(|e| QueueError::io(&path, e))
        }
    }
}

/// Removes every message nobody is sending now; returns how many.
pub fn purge(paths: &Paths) -> Result<usize, QueueError> {
    let (found, problems) = scan(paths);
    if let Some(problem) = problems
        .into_iter()
        .find(|p| matches!(p, QueueError::Io { .. }))
    {
        return Err(problem);
    }
    let mut removed = 0;
    for (id, _) in found {
        match delete(paths, &id) {
            Ok(()) => removed += 1,
            Err(QueueError::Busy { .. } | QueueError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

/// The path of a message's bytes, for a test or a user looking at the spool.
pub fn message_file(paths: &Paths, id: &QueueId) -> PathBuf {
    eml(paths, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::Scope;

    fn profile() -> ProfileRef {
        ProfileRef {
            scope: Scope::User,
            name: "p".into(),
        }
    }

    fn put(paths: &Paths, body: &[u8]) -> QueueId {
        enqueue_parts(
            paths,
            profile(),
            "a@example.org",
            &["b@example.org".to_owned()],
            QueuedDsn::default(),
            body,
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn a_message_is_queued_listed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        assert!(list(&paths).unwrap().is_empty());
        let first = put(&paths, b"Subject: 1\r\n\r\nx\r\n");
        let second = put(&paths, b"Subject: 2\r\n\r\ny\r\n");
        let listed = list(&paths).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].size, 17);
        assert_eq!(listed[0].recipients, ["b@example.org"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(folder(&paths)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
            let mode = fs::metadata(message_file(&paths, &first))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        delete(&paths, &first).unwrap();
        assert!(matches!(
            delete(&paths, &first),
            Err(QueueError::NotFound { .. })
        ));
        assert_eq!(list(&paths).unwrap()[0].id, second);
        put(&paths, b"3");
        assert_eq!(purge(&paths).unwrap(), 2);
        assert!(list(&paths).unwrap().is_empty());
        assert!(fs::read_dir(folder(&paths)).unwrap().next().is_none());
    }

    #[test]
    fn a_message_being_sent_is_not_taken_or_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let id = put(&paths, b"x");
        let (mut claim, meta) = Claim::take(&paths, &id).unwrap().unwrap();
        assert_eq!(claim.message(&paths).unwrap(), b"x");
        assert_eq!(meta.attempts, 0);
        // A second handle (as another process has) does not get it.
        assert!(Claim::take(&paths, &id).unwrap().is_none());
        assert!(matches!(delete(&paths, &id), Err(QueueError::Busy { .. })));
        assert_eq!(purge(&paths).unwrap(), 0);
        claim.remove(&paths).unwrap();
        // Gone: taking it again finds nothing.
        assert!(Claim::take(&paths, &id).unwrap().is_none());
    }

    #[test]
    fn a_lone_message_file_is_not_queued_and_a_damaged_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let id = put(&paths, b"x");
        fs::remove_file(json(&paths, &id)).unwrap();
        assert!(list(&paths).unwrap().is_empty());
        let other = put(&paths, b"y");
        fs::write(json(&paths, &other), "{\"version\": 1, ").unwrap();
        let (found, problems) = scan(&paths);
        assert!(found.is_empty());
        assert!(matches!(problems[0], QueueError::Damaged { .. }));
        assert!(QueueId::parse("../x").is_none());
        assert!(QueueId::parse("").is_none());
    }
}
