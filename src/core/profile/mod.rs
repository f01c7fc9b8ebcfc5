//! The profile: one outgoing-mail configuration, its defaults, validation and
//! the normalisation of pasted server addresses.

use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::{self, Localize};

mod imap;
mod senders;
pub use imap::{Imap, ImapAuth, default_port as imap_default_port};
pub use senders::{SenderPattern, parse_sender_pattern};

/// How a profile delivers mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    #[default]
    Sendmail,
    Smtp,
}

/// Transport security of the SMTP connection. (`ValueEnum`: the command line
/// takes the same names as the file, and refuses any other.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    None,
    #[default]
    Starttls,
    /// Implicit TLS from the first byte, shown as "SSL/TLS".
    Tls,
}

impl Security {
    /// The port this security is usually served on.
    pub fn default_port(self) -> u16 {
        match self {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::Starttls => "starttls",
            Security::Tls => "tls",
        }
    }
}

/// How the client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    #[default]
    None,
    /// The best mechanism the server offers.
    Auto,
    Plain,
    Login,
    CramMd5,
    Xoauth2,
    /// OAUTHBEARER (RFC 7628): an OAuth 2.0 bearer token, like XOAUTH2.
    Oauthbearer,
    /// NTLMv2 ("Windows authentication"), with `auth_domain` as the domain.
    Ntlm,
    /// Kerberos (SASL GSSAPI) with the logged-on user's ticket: no password.
    Gssapi,
}

impl AuthMethod {
    /// Whether the secret is an OAuth 2.0 access token rather than a password.
    pub fn is_oauth(self) -> bool {
        matches!(self, AuthMethod::Xoauth2 | AuthMethod::Oauthbearer)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::None => "none",
            AuthMethod::Auto => "auto",
            AuthMethod::Plain => "plain",
            AuthMethod::Login => "login",
            AuthMethod::CramMd5 => "cram-md5",
            AuthMethod::Xoauth2 => "xoauth2",
            AuthMethod::Oauthbearer => "oauthbearer",
            AuthMethod::Ntlm => "ntlm",
            AuthMethod::Gssapi => "gssapi",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Full,
    #[default]
    Errors,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sender {
    pub address: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub auth: AuthMethod,
    pub username: String,
    pub auth_domain: String,
    /// Empty means the local host name.
    pub ehlo_name: String,
    pub accept_invalid_certs: bool,
    pub timeout_secs: u32,
}

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            host: String::new(),
            port: Security::default().default_port(),
            security: Security::default(),
            auth: AuthMethod::default(),
            username: String::new(),
            auth_domain: String::new(),
            ehlo_name: String::new(),
            accept_invalid_certs: false,
            timeout_secs: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sendmail {
    pub path: String,
    /// Split like a shell would (quotes), never run through a shell.
    pub args: String,
}

impl Default for Sendmail {
    fn default() -> Self {
        Sendmail {
            path: "/usr/sbin/sendmail".to_owned(),
            args: "-i".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    pub level: LogLevel,
    /// Empty means the default file in the application's data folder.
    pub file: String,
}

/// What `limits.daily` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LimitCount {
    /// One per message, however many recipients it has.
    #[default]
    Message,
    /// One per recipient (the way providers count).
    Recipient,
}

/// What `outbound send` does with a message over the daily limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LimitOver {
    /// Keep it in the queue until the next day's allowance.
    #[default]
    Queue,
    /// Refuse it: EX_UNAVAILABLE (69) to the caller, see `SendError::exit`.
    Refuse,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Messages (or recipients, see `count`) per day; 0 means no limit.
    pub daily: u32,
    pub count: LimitCount,
    pub over: LimitOver,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TestSettings {
    /// Comma-separated mailboxes.
    pub recipients: String,
    pub send_message: bool,
}

/// One delivery configuration. Passwords are never part of it: see `secrets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub enabled: bool,
    pub delivery: Delivery,
    pub subject_prefix: String,
    /// Extra sender identities routed through this profile by `outbound send`:
    /// `Name <address>`, `address` or `*@domain` (see [`SenderPattern`]).
    pub senders: Vec<String>,
    pub sender: Sender,
    pub smtp: Smtp,
    /// The incoming side of the mailbox, for the IMAP check and the round trip.
    pub imap: Imap,
    pub sendmail: Sendmail,
    pub log: Log,
    pub limits: Limits,
    pub test: TestSettings,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: String::new(),
            description: String::new(),
            enabled: true,
            delivery: Delivery::default(),
            subject_prefix: String::new(),
            senders: Vec::new(),
            sender: Sender::default(),
            smtp: Smtp::default(),
            imap: Imap::default(),
            sendmail: Sendmail::default(),
            log: Log::default(),
            limits: Limits::default(),
            test: TestSettings::default(),
        }
    }
}

impl Profile {
    /// A new profile with every default and the given name.
    pub fn named(name: &str) -> Self {
        Profile {
            name: name.to_owned(),
            ..Profile::default()
        }
    }

    /// Every problem of the profile at once, each naming its field, including
    /// what is at `log.file` on disk now (a folder, a link, a device). For files
    /// being read, written or imported; the window's redraws use
    /// [`Profile::validate_fields`], which touches no disk.
    pub fn validate(&self) -> Vec<Issue> {
        let mut issues = self.validate_fields();
        let log_file = self.log.file.trim();
        if !log_file.is_empty()
            && !issues.iter().any(|i| i.field == "log.file")
            && let Some(problem) = LogFileProblem::on_disk(std::path::Path::new(log_file))
        {
            issues.push(Issue::new("log.file", problem.message_id()).arg("value", log_file));
        }
        issues
    }

    /// The problems the fields show by themselves, without looking at any file.
    pub fn validate_fields(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        if let Err(id) = check_name(&self.name) {
            issues.push(Issue::new("name", id));
        }
        if !self.sender.address.trim().is_empty()
            && lettre::Address::from_str(self.sender.address.trim()).is_err()
        {
            issues.push(
                Issue::new("sender.address", "invalid-mailbox").arg("value", &self.sender.address),
            );
        }
        for (field, value) in [
            ("sender.name", &self.sender.name),
            ("subject_prefix", &self.subject_prefix),
            ("smtp.auth_domain", &self.smtp.auth_domain),
        ] {
            if value.contains(['\r', '\n']) {
                issues.push(Issue::new(field, "invalid-line-break"));
            }
        }
        self.validate_smtp(&mut issues);
        for pattern in &self.senders {
            if parse_sender_pattern(pattern).is_err() {
                issues.push(Issue::new("senders", "invalid-sender-pattern").arg("value", pattern));
            }
        }
        self.imap.validate(&mut issues);
        if self.sendmail.path.trim().is_empty() {
            issues.push(Issue::new("sendmail.path", "invalid-required"));
        }
        if let Err(error) = split_args(&self.sendmail.args) {
            issues
                .push(Issue::new("sendmail.args", "invalid-args").arg("reason", error.to_string()));
        }
        let log_file = self.log.file.trim();
        if !log_file.is_empty()
            && let Some(problem) = LogFileProblem::of_text(std::path::Path::new(log_file))
        {
            issues.push(Issue::new("log.file", problem.message_id()).arg("value", log_file));
        }
        if let Err(bad) = parse_recipients(&self.test.recipients) {
            issues.push(Issue::new("test.recipients", "invalid-mailbox").arg("value", bad));
        }
        if self.test.send_message && self.test.recipients.trim().is_empty() {
            issues.push(Issue::new("test.recipients", "invalid-no-recipients"));
        }
        issues
    }

    fn validate_smtp(&self, issues: &mut Vec<Issue>) {
        let smtp = &self.smtp;
        if smtp.host.trim().is_empty() {
            if self.delivery == Delivery::Smtp {
                issues.push(Issue::new("smtp.host", "invalid-required"));
            }
        } else if !is_host(&smtp.host) {
            issues.push(Issue::new("smtp.host", "invalid-host").arg("value", &smtp.host));
        }
        if smtp.port == 0 {
            issues.push(Issue::new("smtp.port", "invalid-port"));
        }
        if !smtp.ehlo_name.is_empty() && !is_host(&smtp.ehlo_name) {
            issues.push(Issue::new("smtp.ehlo_name", "invalid-host").arg("value", &smtp.ehlo_name));
        }
        if !(1..=300).contains(&smtp.timeout_secs) {
            issues.push(Issue::new("smtp.timeout_secs", "invalid-timeout"));
        }
    }

    /// The sendmail arguments as separate words.
    pub fn sendmail_args(&self) -> Result<Vec<String>, shell_words::ParseError> {
        split_args(&self.sendmail.args)
    }
}

/// A validation problem: the field (as its path in the file, e.g. `smtp.port`)
/// and a Fluent message id with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub field: &'static str,
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Issue {
    pub fn new(field: &'static str, id: &'static str) -> Self {
        Issue {
            field,
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

impl Localize for Issue {
    /// "smtp.port: the port must be a number from 1 to 65535".
    fn localize(&self) -> String {
        format!("{}: {}", self.field, i18n::tr_args(self.id, &self.args))
    }
}

/// Why a log file is refused: the log is appended to and rotated, and
/// `log.file` may come from an imported profile, so it must name a regular
/// file by an absolute path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LogFileProblem {
    #[error("the path is not absolute")]
    Relative,
    #[error("it is a folder")]
    Directory,
    #[error("it is a symbolic link")]
    Symlink,
    #[error("it is a device, a FIFO or a socket, not a regular file")]
    Special,
}

impl LogFileProblem {
    /// The Fluent id of the explanation, also the validation issue's id.
    pub fn message_id(self) -> &'static str {
        match self {
            LogFileProblem::Relative => "invalid-log-file-relative",
            LogFileProblem::Directory => "invalid-log-file-directory",
            LogFileProblem::Symlink => "invalid-log-file-symlink",
            LogFileProblem::Special => "invalid-log-file-special",
        }
    }

    /// What is wrong with a file of this type as a log, if anything.
    pub fn of_type(file_type: std::fs::FileType) -> Option<LogFileProblem> {
        if file_type.is_symlink() {
            Some(LogFileProblem::Symlink)
        } else if file_type.is_dir() {
            Some(LogFileProblem::Directory)
        } else if !file_type.is_file() {
            Some(LogFileProblem::Special)
        } else {
            None
        }
    }

    /// What is wrong with `path` as a log file as written, before looking at
    /// the disk.
    pub fn of_text(path: &std::path::Path) -> Option<LogFileProblem> {
        if !path.is_absolute() {
            return Some(LogFileProblem::Relative);
        }
        let text = path.as_os_str().to_string_lossy();
        if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
            return Some(LogFileProblem::Directory);
        }
        None
    }

    /// What is wrong with what is at `path` now (a file not there yet is fine:
    /// it is created).
    pub fn on_disk(path: &std::path::Path) -> Option<LogFileProblem> {
        std::fs::symlink_metadata(path)
            .ok()
            .and_then(|meta| LogFileProblem::of_type(meta.file_type()))
    }
}

/// Every message id validation can produce; tests check each is translated.
pub const ISSUE_IDS: [&str; 16] = [
    "invalid-name-empty",
    "invalid-name-chars",
    "invalid-mailbox",
    "invalid-line-break",
    "invalid-required",
    "invalid-host",
    "invalid-port",
    "invalid-timeout",
    "invalid-args",
    "invalid-no-recipients",
    "invalid-log-file-relative",
    "invalid-log-file-directory",
    "invalid-log-file-symlink",
    "invalid-log-file-special",
    "invalid-sender-pattern",
    "invalid-folder",
];

/// The system name rule: `[A-Za-z0-9_]+`.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("invalid-name-empty")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Err("invalid-name-chars")
    } else {
        Ok(())
    }
}

/// Splits sendmail arguments as a POSIX shell would split words; nothing is expanded.
pub fn split_args(args: &str) -> Result<Vec<String>, shell_words::ParseError> {
    shell_words::split(args)
}

/// Parses a comma-separated list of mailboxes; on failure returns the first bad item.
pub fn parse_recipients(list: &str) -> Result<Vec<lettre::message::Mailbox>, String> {
    let mut out = Vec::new();
    for item in split_list(list)
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match lettre::message::Mailbox::from_str(item) {
            Ok(mailbox) => out.push(mailbox),
            Err(_) => return Err(item.to_owned()),
        }
    }
    Ok(out)
}

/// Splits a comma-separated address list at the commas outside quotes and `<…>`,
/// so `"Doe, Jane" <j@example.org>` stays one item.
fn split_list(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut angle, mut escaped) = (0, false, false, false);
    for (index, c) in list.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                items.push(&list[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

/// A DNS name (letters of any script, digits, hyphens) or an IP literal, optionally in brackets.
pub fn is_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if bare.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// What normalising a pasted server address changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostNormalisation {
    pub host: String,
    pub port: Option<u16>,
    pub security: Option<Security>,
}

impl HostNormalisation {
    /// The visible note: what was understood from the pasted text.
    pub fn note(&self, pasted: &str) -> String {
        let mut args = vec![("pasted", pasted.to_owned()), ("host", self.host.clone())];
        args.push(("port", self.port.map(|p| p.to_string()).unwrap_or_default()));
        args.push((
            "security",
            self.security
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        ));
        i18n::tr_args("host-normalised", &args)
    }
}

/// Turns a pasted `ssl://host`, `smtps://host:465`, `smtp://host:587` or `host:port` into
/// its parts. Returns `None` when the text is already a bare host.
pub fn normalise_host(input: &str) -> Option<HostNormalisation> {
    let text = input.trim();
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, text),
    };
    let rest = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // A pasted `user@host` keeps only the host.
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let (host, port) = split_host_port(rest);
    let port = match port {
        Some(text) => Some(text.parse::<u16>().ok().filter(|p| *p != 0)?),
        None => None,
    };
    let security = match scheme.as_deref() {
        Some("ssl" | "smtps" | "tls") => Some(Security::Tls),
        Some("smtp") => Some(if port == Some(25) {
            Security::None
        } else {
            Security::Starttls
        }),
        Some(_) => return None,
        None => None,
    };
    let port = port.or(security.map(Security::default_port));
    if host.is_empty() || (scheme.is_none() && port.is_none() && host == text) {
        return None;
    }
    Some(HostNormalisation {
        host: host.to_owned(),
        port,
        security,
    })
}

fn split_host_port(text: &str) -> (&str, Option<&str>) {
    if let Some(inner) = text.strip_prefix('[') {
        // [v6]:port
        if let Some((host, after)) = inner.split_once(']') {
            return (host, after.strip_prefix(':'));
        }
    }
    match text.rsplit_once(':') {
        // A bare IPv6 address has several colons and no port.
        Some((host, port)) if !host.contains(':') => (host, Some(port)),
        _ => (text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_design() {
        let p = Profile::default();
        assert!(p.enabled);
        assert_eq!(p.delivery, Delivery::Sendmail);
        assert_eq!(p.smtp.auth, AuthMethod::None);
        assert_eq!(p.smtp.timeout_secs, 20);
        assert_eq!(p.smtp.port, 587);
        assert_eq!(p.sendmail.path, "/usr/sbin/sendmail");
        assert_eq!(p.sendmail.args, "-i");
        assert_eq!(p.log.level, LogLevel::Errors);
        assert!(!p.test.send_message);
    }

    #[test]
    fn hosts() {
        for good in [
            "smtp.example.org",
            "localhost",
            "127.0.0.1",
            "::1",
            "[::1]",
            "почта.рф",
            "a-b.c",
        ] {
            assert!(is_host(good), "{good}");
        }
        for bad in [
            "",
            "smtp example",
            "-a.org",
            "a..b",
            "smtp://x",
            "a_b.org",
            "x:25",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
    }

    #[test]
    fn args_split_like_a_shell() {
        assert_eq!(split_args("-i -oi 'a b'").unwrap(), ["-i", "-oi", "a b"]);
        assert_eq!(split_args("'$(rm -rf /)' ;").unwrap(), ["$(rm -rf /)", ";"]);
        assert!(split_args("'open").is_err());
    }

    /// The window judges the fields on every redraw without touching the disk;
    /// what is at `log.file` (here a folder) is judged by the full validation
    /// that saving, loading and importing use.
    #[test]
    fn only_the_full_validation_looks_at_the_log_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut profile = Profile::named("p");
        profile.log.file = dir.path().display().to_string();
        assert!(profile.validate_fields().is_empty());
        let issues = profile.validate();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "invalid-log-file-directory");
        profile.log.file = "relative.log".to_owned();
        assert_eq!(profile.validate_fields()[0].id, "invalid-log-file-relative");
        assert_eq!(profile.validate().len(), 1, "one issue per field");
    }
}
