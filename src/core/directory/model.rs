//! A provider of the directory and its checks.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::core::profile::{Security, is_host};
use crate::i18n::{self, Localize};

/// The placeholder a server host may hold: the domain of the address being set up
/// (Thunderbird's `%EMAILDOMAIN%`, for providers that run `mail.<your domain>`).
pub const DOMAIN_PLACEHOLDER: &str = "%EMAILDOMAIN%";

/// A server: host (possibly with [`DOMAIN_PLACEHOLDER`]), port, security.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl Server {
    /// The host for an address at `domain`.
    pub fn host_for(&self, domain: &str) -> String {
        self.host.replace(DOMAIN_PLACEHOLDER, domain)
    }
}

/// What the user name is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Login {
    /// The whole address.
    #[default]
    Email,
    /// The part before the `@`.
    LocalPart,
    /// Something else: the user types it.
    Manual,
}

impl Login {
    pub fn as_str(self) -> &'static str {
        match self {
            Login::Email => "email",
            Login::LocalPart => "local_part",
            Login::Manual => "manual",
        }
    }
}

/// How a provider authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Auth {
    /// A password (or application password), sent under TLS; the best mechanism offered.
    #[default]
    Password,
    /// A password sent only as a challenge response (CRAM-MD5).
    PasswordEncrypted,
    /// Windows authentication with the password: NTLMv2.
    Ntlm,
    /// Windows authentication with the user's Kerberos ticket: GSSAPI.
    Gssapi,
    /// OAuth 2.0; the client secret, when any, lives in the keyring (`provider:<id>`).
    /// An empty client id means the user registers their own application.
    /// `device_url` (RFC 8628) and `tenant` are newer: files without them load
    /// unchanged and are written back without them.
    Oauth2 {
        #[serde(default)]
        client_id: String,
        auth_url: String,
        token_url: String,
        scopes: Vec<String>,
        /// The device authorization endpoint, for sign-in without a browser.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        device_url: String,
        /// Microsoft's tenant (`common`, `organizations` or a tenant id): it
        /// replaces the `common` path segment of the three URLs.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        tenant: String,
    },
}

impl Auth {
    pub fn as_str(&self) -> &'static str {
        match self {
            Auth::Password => "password",
            Auth::PasswordEncrypted => "password-encrypted",
            Auth::Ntlm => "ntlm",
            Auth::Gssapi => "gssapi",
            Auth::Oauth2 { .. } => "oauth2",
        }
    }
}

/// One entry of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub login: Login,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub mx_suffixes: Vec<String>,
    /// Things an import could not express (unsupported authentication, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub smtp: Server,
    /// Other outgoing servers the provider publishes, in its order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub smtp_alternatives: Vec<Server>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imap: Option<Server>,
    #[serde(default)]
    pub auth: Auth,
}

impl Provider {
    /// Whether `host` is one of this provider's SMTP servers (any case). This is how
    /// a profile is known to use a provider: profiles hold no provider reference.
    pub fn serves_host(&self, host: &str) -> bool {
        let host = host.trim().trim_end_matches('.');
        !host.is_empty()
            && std::iter::once(&self.smtp)
                .chain(&self.smtp_alternatives)
                .any(|s| s.host.eq_ignore_ascii_case(host) || self.domains_fill(s, host))
    }

    fn domains_fill(&self, server: &Server, host: &str) -> bool {
        server.host.contains(DOMAIN_PLACEHOLDER)
            && self
                .domains
                .iter()
                .any(|d| server.host_for(d).eq_ignore_ascii_case(host))
    }

    /// Every problem of the entry, each naming its field.
    pub fn validate(&self) -> Vec<ProviderIssue> {
        let mut issues = Vec::new();
        let mut push = |field: &str, id: &'static str| {
            issues.push(ProviderIssue {
                provider: self.id.clone(),
                field: field.to_owned(),
                id,
            })
        };
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !id_ok {
            push("id", "provider-bad-id");
        }
        if self.name.trim().is_empty() {
            push("name", "provider-no-name");
        }
        check_server(&self.smtp, "smtp", &mut push);
        for server in &self.smtp_alternatives {
            check_server(server, "smtp_alternatives", &mut push);
        }
        if let Some(imap) = &self.imap {
            // Any port: the IMAP check connects to it (a private server may
            // listen elsewhere than 143 or 993).
            check_server(imap, "imap", &mut push);
        }
        if self.domains.is_empty() && self.mx_suffixes.is_empty() {
            push("domains", "provider-no-domains");
        }
        let mut seen = HashSet::new();
        for domain in &self.domains {
            match normalise_domain(domain) {
                Some(d) if d.contains('.') => {
                    if !seen.insert(d) {
                        push("domains", "provider-domain-twice");
                    }
                }
                _ => push("domains", "provider-bad-domain"),
            }
        }
        for suffix in &self.mx_suffixes {
            if normalise_domain(suffix).is_none_or(|s| !s.contains('.')) {
                push("mx_suffixes", "provider-bad-domain");
            }
        }
        if let Auth::Oauth2 {
            auth_url,
            token_url,
            scopes,
            device_url,
            ..
        } = &self.auth
        {
            if !endpoint_url_ok(auth_url) {
                push("auth.auth_url", "provider-bad-url");
            }
            if !endpoint_url_ok(token_url) {
                push("auth.token_url", "provider-bad-url");
            }
            if !device_url.is_empty() && !endpoint_url_ok(device_url) {
                push("auth.device_url", "provider-bad-url");
            }
            if scopes.is_empty() {
                push("auth.scopes", "provider-no-scopes");
            }
        }
        issues
    }
}

/// An OAuth endpoint: HTTPS, or plain HTTP to this machine's loopback address
/// (a local authorization server, such as the tests' own; nothing leaves the host).
fn endpoint_url_ok(url: &str) -> bool {
    url.starts_with("https://")
        || [
            "http://127.0.0.1:",
            "http://127.0.0.1/",
            "http://[::1]:",
            "http://[::1]/",
        ]
        .iter()
        .any(|prefix| url.starts_with(prefix))
}

fn check_server(server: &Server, field: &str, push: &mut impl FnMut(&str, &'static str)) {
    let host = server.host.replace(DOMAIN_PLACEHOLDER, "example.org");
    if !is_host(&host) {
        push(&format!("{field}.host"), "provider-bad-host");
    }
    if server.port == 0 {
        push(&format!("{field}.port"), "provider-bad-port");
    }
}

/// One problem of a provider entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderIssue {
    pub provider: String,
    pub field: String,
    pub id: &'static str,
}

impl std::fmt::Display for ProviderIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.provider, self.field, self.id)
    }
}

impl Localize for ProviderIssue {
    fn localize(&self) -> String {
        i18n::tr_args(
            self.id,
            &[
                ("provider", self.provider.clone()),
                ("field", self.field.clone()),
            ],
        )
    }
}

/// A mail domain as the directory keys it: trimmed, without a final dot, lower
/// case, international names in their ASCII (punycode) form. `None` when it is
/// not a domain.
pub fn normalise_domain(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.');
    if domain.is_empty() {
        return None;
    }
    let ascii = idna::domain_to_ascii(domain).ok()?;
    is_host(&ascii).then_some(ascii)
}
