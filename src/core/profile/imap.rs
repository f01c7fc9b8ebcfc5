//! The incoming side of a profile: where its mailbox is read by IMAP, for the
//! IMAP check and the round trip.

use serde::{Deserialize, Serialize};

use super::{Issue, Security, is_host};

/// How the IMAP client signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ImapAuth {
    /// The best mechanism the server offers (LOGIN when it offers none).
    #[default]
    Auto,
    Plain,
    Login,
    CramMd5,
    Xoauth2,
    Oauthbearer,
    /// NTLMv2 with the password; the domain as for SMTP (`DOMAIN\\user`,
    /// `user@domain`, or the profile's `smtp.auth_domain`).
    Ntlm,
    /// Kerberos with the logged-on user's ticket for `imap@HOST`: no password.
    Gssapi,
}

impl ImapAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            ImapAuth::Auto => "auto",
            ImapAuth::Plain => "plain",
            ImapAuth::Login => "login",
            ImapAuth::CramMd5 => "cram-md5",
            ImapAuth::Xoauth2 => "xoauth2",
            ImapAuth::Oauthbearer => "oauthbearer",
            ImapAuth::Ntlm => "ntlm",
            ImapAuth::Gssapi => "gssapi",
        }
    }

    /// Whether signing in needs a password (or token): all but Kerberos.
    pub fn needs_password(self) -> bool {
        self != ImapAuth::Gssapi
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Imap {
    /// Empty: the profile has no incoming side configured.
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty means the SMTP user name.
    pub username: String,
    pub auth: ImapAuth,
    pub folder: String,
    /// The IMAP password is its own keyring entry, not the SMTP one.
    pub separate_password: bool,
}

impl Default for Imap {
    fn default() -> Self {
        Imap {
            host: String::new(),
            port: default_port(Security::Tls),
            security: Security::Tls,
            username: String::new(),
            auth: ImapAuth::default(),
            folder: "INBOX".to_owned(),
            separate_password: false,
        }
    }
}

/// The port IMAP is usually served on with this security.
pub fn default_port(security: Security) -> u16 {
    match security {
        Security::Tls => 993,
        Security::None | Security::Starttls => 143,
    }
}

impl Imap {
    /// The user name to sign in with: its own, else the SMTP one.
    pub fn effective_username<'a>(&'a self, smtp_username: &'a str) -> &'a str {
        if self.username.trim().is_empty() {
            smtp_username
        } else {
            &self.username
        }
    }

    pub(super) fn validate(&self, issues: &mut Vec<Issue>) {
        if !self.host.trim().is_empty() && !is_host(&self.host) {
            issues.push(Issue::new("imap.host", "invalid-host").arg("value", &self.host));
        }
        if self.port == 0 {
            issues.push(Issue::new("imap.port", "invalid-port"));
        }
        if self.folder.trim().is_empty() || self.folder.contains(['\r', '\n', '\0']) {
            issues.push(Issue::new("imap.folder", "invalid-folder"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_user_name() {
        let imap = Imap::default();
        assert_eq!((imap.port, imap.security), (993, Security::Tls));
        assert_eq!(imap.folder, "INBOX");
        assert_eq!(imap.effective_username("smtp-user"), "smtp-user");
        let own = Imap {
            username: "imap-user".into(),
            ..Imap::default()
        };
        assert_eq!(own.effective_username("smtp-user"), "imap-user");
        let mut issues = Vec::new();
        Imap {
            host: "bad host".into(),
            port: 0,
            folder: " ".into(),
            ..Imap::default()
        }
        .validate(&mut issues);
        let fields: Vec<_> = issues.iter().map(|i| i.field).collect();
        assert_eq!(fields, ["imap.host", "imap.port", "imap.folder"]);
    }
}
