//! What an IMAP server told about itself during the IMAP check: both
//! CAPABILITY lists (before and after STARTTLS or LOGIN), the ID reply, and
//! the folder's figures from SELECT and GETQUOTAROOT.

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImapFacts {
    /// The capabilities before STARTTLS (with implicit TLS: the only list
    /// before login).
    pub capabilities: Vec<String>,
    /// The capabilities after STARTTLS (empty without STARTTLS).
    pub capabilities_tls: Vec<String>,
    /// The capabilities the server sent after login, when it sent them.
    pub capabilities_auth: Vec<String>,
    /// The server's `ID` reply (RFC 2971) as name/value pairs.
    pub id: Vec<(String, String)>,
    /// The folder selected and what SELECT said of it.
    pub mailbox: Option<MailboxFacts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MailboxFacts {
    pub name: String,
    pub exists: Option<u64>,
    pub recent: Option<u64>,
    pub uidvalidity: Option<u64>,
    pub uidnext: Option<u64>,
    /// `read-write` or `read-only` (the tagged OK's response code).
    pub access: Option<String>,
    /// STORAGE quota in KiB (RFC 9208): used and limit, when the server has QUOTA.
    pub quota_used_kib: Option<u64>,
    pub quota_limit_kib: Option<u64>,
}

impl ImapFacts {
    /// The list in force now: after login, after STARTTLS, else the first.
    pub fn current(&self) -> &[String] {
        if !self.capabilities_auth.is_empty() {
            &self.capabilities_auth
        } else if !self.capabilities_tls.is_empty() {
            &self.capabilities_tls
        } else {
            &self.capabilities
        }
    }

    /// Whether the list in force has `name` (case-insensitive).
    pub fn has(&self, name: &str) -> bool {
        has_capability(self.current(), name)
    }

    /// The SASL mechanisms offered (`AUTH=PLAIN` → `PLAIN`), upper-case.
    pub fn mechanisms(&self) -> Vec<String> {
        sasl_mechanisms(self.current())
    }
}

/// Whether a CAPABILITY list has `name` (case-insensitive).
pub fn has_capability(capabilities: &[String], name: &str) -> bool {
    capabilities.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// The SASL mechanisms a CAPABILITY list offers (`AUTH=PLAIN` → `PLAIN`),
/// upper-case.
pub fn sasl_mechanisms(capabilities: &[String]) -> Vec<String> {
    capabilities
        .iter()
        .filter_map(|c| {
            let (key, value) = c.split_once('=')?;
            key.eq_ignore_ascii_case("AUTH")
                .then(|| value.to_ascii_uppercase())
        })
        .collect()
}
