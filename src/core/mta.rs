//! What the machine's `sendmail` is: `/usr/sbin/sendmail` (then
//! `/usr/lib/sendmail`) followed through its symbolic links and Debian's
//! alternatives (`/etc/alternatives/…`) to the program behind it, and that
//! program recognised: Outbound itself, Postfix, Exim, msmtp, ssmtp,
//! nullmailer, another program, or none at all.
//!
//! Every function takes the file system's root as a parameter, so the tests
//! stand a temporary folder in for `/`. The reads are blocking: the window
//! calls [`detect`] from a `Task` on a blocking thread.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The programs this module tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `outbound-sendmail`, or the `outbound` binary itself.
    Outbound,
    Postfix,
    Exim,
    Msmtp,
    Ssmtp,
    Nullmailer,
    /// A program this module does not know (the original Sendmail, OpenSMTPD, …).
    Other,
    /// No `sendmail` at either path, or a link that leads nowhere.
    None,
}

impl Kind {
    /// A stable name, for JSON and the translations' `$kind` selector.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Outbound => "outbound",
            Kind::Postfix => "postfix",
            Kind::Exim => "exim",
            Kind::Msmtp => "msmtp",
            Kind::Ssmtp => "ssmtp",
            Kind::Nullmailer => "nullmailer",
            Kind::Other => "other",
            Kind::None => "none",
        }
    }
}

/// What the machine's `sendmail` is and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// The path programs call (`/usr/sbin/sendmail`), as seen from the root.
    pub path: PathBuf,
    /// Every link followed from `path`, ending with the program itself (or
    /// the missing target of a dangling link), as seen from the root.
    pub chain: Vec<PathBuf>,
    /// Whether Debian's alternatives system chose it (a link through
    /// `/etc/alternatives`).
    pub alternatives: bool,
}

impl Found {
    /// No `sendmail` at all (also what a failed look reports).
    pub fn nothing() -> Found {
        Found {
            kind: Kind::None,
            path: PathBuf::from(PATHS[0]),
            chain: Vec::new(),
            alternatives: false,
        }
    }

    /// The program behind the links (the last of the chain).
    pub fn program(&self) -> &Path {
        self.chain
            .last()
            .map_or(self.path.as_path(), PathBuf::as_path)
    }
}

/// Where programs look for `sendmail`, in that order.
pub const PATHS: [&str; 2] = ["/usr/sbin/sendmail", "/usr/lib/sendmail"];

/// Links are followed at most this many times (a loop ends there).
const MAX_LINKS: usize = 40;
/// How much of a program is read to recognise it: Postfix's and nullmailer's
/// `sendmail` are small; the `outbound` binary is recognised by its name.
const MAX_READ: u64 = 16 << 20;

/// What `sendmail` is on the file system under `root` (`/` for the machine).
pub fn detect(root: &Path) -> Found {
    let mut first_missing = None;
    for path in PATHS {
        let found = follow(root, Path::new(path));
        if found.kind != Kind::None {
            return found;
        }
        first_missing.get_or_insert(found);
    }
    // Both paths are absent or dangling: report the first.
    first_missing.unwrap_or_else(Found::nothing)
}

/// Follows `path` (absolute, as seen from `root`) through its links and
/// recognises the program it ends at.
fn follow(root: &Path, path: &Path) -> Found {
    let mut chain = Vec::new();
    let mut alternatives = false;
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let on_disk = under(root, &current);
        let metadata = match std::fs::symlink_metadata(&on_disk) {
            Ok(metadata) => metadata,
            Err(_) => {
                // The path itself missing is "no sendmail"; a link to nowhere too,
                // with the chain showing where it pointed.
                if current != path {
                    chain.push(current);
                }
                return Found {
                    kind: Kind::None,
                    path: path.to_path_buf(),
                    chain,
                    alternatives,
                };
            }
        };
        if current.starts_with("/etc/alternatives") {
            alternatives = true;
        }
        if !metadata.file_type().is_symlink() {
            chain.push(current.clone());
            let kind = if metadata.is_file() {
                recognise(&current, &on_disk)
            } else {
                Kind::Other
            };
            return Found {
                kind,
                path: path.to_path_buf(),
                chain,
                alternatives,
            };
        }
        if current != path {
            chain.push(current.clone());
        }
        let Ok(target) = std::fs::read_link(&on_disk) else {
            break;
        };
        // A relative target is relative to the link's folder.
        let parent = current.parent().unwrap_or(Path::new("/"));
        current = normalise(&parent.join(target));
    }
    // A loop of links, or one that cannot be read: it runs nothing.
    Found {
        kind: Kind::None,
        path: path.to_path_buf(),
        chain,
        alternatives,
    }
}

/// `path` (absolute, as programs see it) inside `root`.
fn under(root: &Path, path: &Path) -> PathBuf {
    let relative: PathBuf = path
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    root.join(relative)
}

/// Resolves `.` and `..` without touching the disk (links are followed one by
/// one by the caller); never climbs above `/`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// The program by its file name, then by what its file says about itself.
fn recognise(path: &Path, on_disk: &Path) -> Kind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let by_name = [
        ("outbound", Kind::Outbound),
        ("msmtp", Kind::Msmtp),
        ("ssmtp", Kind::Ssmtp),
        ("nullmailer", Kind::Nullmailer),
        ("exim", Kind::Exim),
        ("postfix", Kind::Postfix),
    ];
    if let Some((_, kind)) = by_name.iter().find(|(prefix, _)| name.starts_with(prefix)) {
        return *kind;
    }
    // A `sendmail` that is a program of its own (Postfix's and nullmailer's
    // are): the names it carries inside tell.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(on_disk).and_then(|f| f.take(MAX_READ).read_to_end(&mut bytes));
    if read.is_err() {
        return Kind::Other;
    }
    let markers: [(&[u8], Kind); 6] = [
        (b"org.outbound.Outbound", Kind::Outbound),
        (b"libpostfix", Kind::Postfix),
        (b"/etc/postfix", Kind::Postfix),
        (b"nullmailer", Kind::Nullmailer),
        (b"exim", Kind::Exim),
        (b"msmtp", Kind::Msmtp),
    ];
    markers
        .iter()
        .find(|(marker, _)| contains(&bytes, marker))
        .map_or(Kind::Other, |(_, kind)| *kind)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn root() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["usr/sbin", "usr/lib", "usr/bin", "etc/alternatives"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        dir
    }

    fn file(root: &Path, path: &str, bytes: &[u8]) {
        std::fs::write(root.join(path.trim_start_matches('/')), bytes).unwrap();
    }

    fn link(root: &Path, path: &str, target: &str) {
        symlink(target, root.join(path.trim_start_matches('/'))).unwrap();
    }

    #[test]
    fn nothing_at_either_path_is_none() {
        let root = root();
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::None);
        assert_eq!(found.path, Path::new("/usr/sbin/sendmail"));
    }

    #[test]
    fn postfix_and_nullmailer_are_known_by_what_their_program_says() {
        let root = root();
        file(
            root.path(),
            "/usr/sbin/sendmail",
            b"\x7fELF..libpostfix-global.so..",
        );
        link(root.path(), "/usr/lib/sendmail", "../sbin/sendmail");
        assert_eq!(detect(root.path()).kind, Kind::Postfix);

        let root = self::root();
        file(
            root.path(),
            "/usr/sbin/sendmail",
            b"\x7fELF../etc/nullmailer/remotes",
        );
        assert_eq!(detect(root.path()).kind, Kind::Nullmailer);

        let root = self::root();
        file(
            root.path(),
            "/usr/sbin/sendmail",
            b"\x7fELF..something else",
        );
        assert_eq!(detect(root.path()).kind, Kind::Other);
    }

    #[test]
    fn exim_and_msmtp_are_followed_through_their_links() {
        let root = root();
        file(root.path(), "/usr/sbin/exim4", b"\x7fELF");
        link(root.path(), "/usr/sbin/sendmail", "exim4");
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::Exim);
        assert_eq!(found.program(), Path::new("/usr/sbin/exim4"));
        assert!(!found.alternatives);

        // msmtp-mta's link is relative, into /usr/bin.
        let root = self::root();
        file(root.path(), "/usr/bin/msmtp", b"\x7fELF");
        link(root.path(), "/usr/sbin/sendmail", "../bin/msmtp");
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::Msmtp);
        assert_eq!(found.chain, [PathBuf::from("/usr/bin/msmtp")]);

        let root = self::root();
        file(root.path(), "/usr/sbin/ssmtp", b"\x7fELF");
        link(root.path(), "/usr/sbin/sendmail", "ssmtp");
        assert_eq!(detect(root.path()).kind, Kind::Ssmtp);
    }

    #[test]
    fn outbound_through_debian_alternatives_with_absolute_links() {
        let root = root();
        file(root.path(), "/usr/bin/outbound", b"\x7fELF");
        link(root.path(), "/usr/bin/outbound-sendmail", "outbound");
        // Absolute targets stay inside the root standing for `/`.
        link(
            root.path(),
            "/etc/alternatives/sendmail",
            "/usr/bin/outbound-sendmail",
        );
        link(
            root.path(),
            "/usr/sbin/sendmail",
            "/etc/alternatives/sendmail",
        );
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::Outbound);
        assert!(found.alternatives);
        assert_eq!(
            found.chain,
            [
                PathBuf::from("/etc/alternatives/sendmail"),
                PathBuf::from("/usr/bin/outbound-sendmail"),
                PathBuf::from("/usr/bin/outbound"),
            ]
        );
    }

    #[test]
    fn only_usr_lib_sendmail_is_found_too() {
        let root = root();
        file(root.path(), "/usr/lib/sendmail", b"libpostfix");
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::Postfix);
        assert_eq!(found.path, Path::new("/usr/lib/sendmail"));
    }

    #[test]
    fn dangling_links_and_loops_are_none_without_hanging() {
        let root = root();
        link(root.path(), "/usr/sbin/sendmail", "/usr/bin/gone");
        let found = detect(root.path());
        assert_eq!(found.kind, Kind::None);
        assert_eq!(found.chain, [PathBuf::from("/usr/bin/gone")]);

        let root = self::root();
        link(root.path(), "/usr/sbin/sendmail", "/usr/sbin/loop");
        link(root.path(), "/usr/sbin/loop", "/usr/sbin/sendmail");
        assert_eq!(detect(root.path()).kind, Kind::None);

        // `..` never climbs out of the root.
        let root = self::root();
        link(
            root.path(),
            "/usr/sbin/sendmail",
            "../../../../../../etc/passwd",
        );
        assert_eq!(detect(root.path()).kind, Kind::None);
    }
}
