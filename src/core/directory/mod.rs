//! The providers and domains directory: the bundled one (`resources/providers.toml`,
//! embedded), the user's additions and overrides laid over it, lookup of a mail
//! domain or an MX host, and filling a profile from an address.

mod model;
mod user;

use std::collections::HashMap;

pub use model::{Auth, Login, Provider, ProviderIssue, Server, normalise_domain};
pub use user::{DirectoryError, UserDirectory, render};

use crate::core::profile::{AuthMethod, Delivery, ImapAuth, Profile};
use crate::core::toml_doc::{self, DocError};

/// The bundled directory's text, as shipped.
pub const BUNDLED: &str = include_str!("../../../resources/providers.toml");

/// A directory file: `format = 1`, `[[provider]]` tables, and (in the user's
/// file only) the ids of bundled providers the user has hidden.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryFile {
    pub format: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<String>,
    #[serde(default)]
    pub provider: Vec<Provider>,
}

/// Parses a directory file (checks `format` first).
pub fn parse_file(text: &str) -> Result<DirectoryFile, DocError> {
    toml_doc::parse(text)
}

/// The bundled providers. The file is part of the binary and a test checks it,
/// so failing to parse it is a build defect, reported as an empty list plus a log line.
pub fn bundled() -> Vec<Provider> {
    match parse_file(BUNDLED) {
        Ok(file) => file.provider,
        Err(error) => {
            tracing::error!("the bundled directory does not parse: {error}");
            Vec::new()
        }
    }
}

/// Where an entry of the effective directory comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Bundled,
    /// Added by the user; no bundled provider has this id.
    User,
    /// The user's version of a bundled provider.
    Override,
}

impl Origin {
    /// Whether the entry comes from the user's file.
    pub fn is_user(self) -> bool {
        self != Origin::Bundled
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub provider: Provider,
    pub origin: Origin,
}

/// The effective directory: bundled providers, minus hidden ones, with the user's
/// laid over them; indexed by normalised domain and by MX suffix.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
    /// Normalised suffixes, longest first, so the most specific one matches.
    mx_suffixes: Vec<(String, usize)>,
}

impl Directory {
    /// Lays `user` over `bundled`: a user provider replaces the bundled one with its
    /// id, a hidden id disappears, and a domain the user claims is the user's.
    pub fn layered(bundled: Vec<Provider>, user: &DirectoryFile) -> Directory {
        let user_ids: HashMap<&str, &Provider> =
            user.provider.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut entries = Vec::new();
        let mut bundled_ids = std::collections::HashSet::new();
        for provider in bundled {
            bundled_ids.insert(provider.id.clone());
            if let Some(mine) = user_ids.get(provider.id.as_str()) {
                entries.push(Entry {
                    provider: (*mine).clone(),
                    origin: Origin::Override,
                });
            } else if !user.hidden.contains(&provider.id) {
                entries.push(Entry {
                    provider,
                    origin: Origin::Bundled,
                });
            }
        }
        for provider in &user.provider {
            if !bundled_ids.contains(&provider.id) {
                entries.push(Entry {
                    provider: provider.clone(),
                    origin: Origin::User,
                });
            }
        }
        Directory::index(entries)
    }

    /// The bundled directory alone.
    pub fn bundled_only() -> Directory {
        Directory::layered(bundled(), &DirectoryFile::default())
    }

    fn index(entries: Vec<Entry>) -> Directory {
        let mut by_id = HashMap::new();
        let mut by_domain = HashMap::new();
        let mut mx_suffixes = Vec::new();
        // User entries are indexed last so that their claims win.
        let order = (0..entries.len())
            .filter(|&i| !entries[i].origin.is_user())
            .chain((0..entries.len()).filter(|&i| entries[i].origin.is_user()));
        for i in order {
            let provider = &entries[i].provider;
            by_id.insert(provider.id.clone(), i);
            for domain in &provider.domains {
                if let Some(domain) = normalise_domain(domain) {
                    by_domain.insert(domain, i);
                }
            }
            for suffix in &provider.mx_suffixes {
                if let Some(suffix) = normalise_domain(suffix) {
                    mx_suffixes.retain(|(s, _): &(String, usize)| *s != suffix);
                    mx_suffixes.push((suffix, i));
                }
            }
        }
        mx_suffixes.sort_by_key(|(suffix, _)| std::cmp::Reverse(suffix.len()));
        Directory {
            entries,
            by_id,
            by_domain,
            mx_suffixes,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The provider serving a mail domain (any case, Unicode or punycode), in constant time.
    pub fn lookup(&self, domain: &str) -> Option<&Entry> {
        let domain = normalise_domain(domain)?;
        self.by_domain.get(&domain).map(|&i| &self.entries[i])
    }

    /// The provider whose MX suffix ends `mx_host` at a label boundary.
    pub fn lookup_mx(&self, mx_host: &str) -> Option<&Entry> {
        let host = normalise_domain(mx_host)?;
        self.mx_suffixes
            .iter()
            .find(|(suffix, _)| {
                host == *suffix
                    || host
                        .strip_suffix(suffix.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            })
            .map(|&(_, i)| &self.entries[i])
    }

    /// The providers whose SMTP servers a profile uses (see [`Provider::serves_host`]).
    pub fn used_by<'a>(&'a self, profile: &Profile) -> impl Iterator<Item = &'a Entry> {
        let host = profile.smtp.host.clone();
        self.entries
            .iter()
            .filter(move |e| profile.delivery == Delivery::Smtp && e.provider.serves_host(&host))
    }
}

/// The parts of an e-mail address, the domain normalised to ASCII lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub local_part: String,
    pub domain: String,
    /// The address as typed, with the domain normalised.
    pub full: String,
}

/// Splits `local@domain`; `None` when it is not an address.
pub fn parse_address(text: &str) -> Option<Address> {
    let text = text.trim();
    let (local, domain) = text.rsplit_once('@')?;
    if local.is_empty() || local.chars().any(char::is_whitespace) {
        return None;
    }
    let domain = normalise_domain(domain)?;
    Some(Address {
        local_part: local.to_owned(),
        full: format!("{local}@{domain}"),
        domain,
    })
}

/// How a profile of a provider may log in, as Detect offers it: providers
/// that sign in with OAuth 2.0 often still take a password of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginChoice {
    /// The provider's password rules (the one choice of most providers).
    Password,
    /// OAuth 2.0 sign-in in the browser (XOAUTH2).
    SignIn,
    /// Google's app password: PLAIN over TLS; needs 2-Step Verification.
    AppPassword,
    /// Microsoft 365's Basic authentication, where the tenant still allows it.
    BasicPassword,
}

impl LoginChoice {
    /// The stable name, a Fluent id suffix (`login-choice-…`).
    pub fn as_str(self) -> &'static str {
        match self {
            LoginChoice::Password => "password",
            LoginChoice::SignIn => "sign-in",
            LoginChoice::AppPassword => "app-password",
            LoginChoice::BasicPassword => "basic-password",
        }
    }
}

impl Provider {
    /// The ways to log in Detect offers, the provider's preferred one first.
    pub fn login_choices(&self) -> Vec<LoginChoice> {
        let Auth::Oauth2 { auth_url, .. } = &self.auth else {
            return vec![LoginChoice::Password];
        };
        let url = url::Url::parse(auth_url).ok();
        let host = url
            .as_ref()
            .and_then(url::Url::host_str)
            .unwrap_or_default();
        let password = if host == crate::core::oauth::GOOGLE_AUTH_HOST {
            LoginChoice::AppPassword
        } else if host == crate::core::oauth::MICROSOFT_AUTH_HOST {
            LoginChoice::BasicPassword
        } else {
            LoginChoice::Password
        };
        vec![LoginChoice::SignIn, password]
    }
}

/// Fills a profile's SMTP settings from a provider for an address:
/// [`fill_profile_as`] with the provider's preferred way to log in.
pub fn fill_profile(profile: &mut Profile, provider: &Provider, address: &Address) {
    let preferred = provider.login_choices()[0];
    fill_profile_as(profile, provider, address, preferred);
}

/// Fills a profile's SMTP settings from a provider for an address: delivery, host,
/// port, security, authentication as `choice` says, and the user name by the
/// login format (left as it was for `manual`). The sender address is set when
/// empty. The incoming side (IMAP) follows the provider's `imap` server when it
/// has one (its user name stays empty: the SMTP one).
pub fn fill_profile_as(
    profile: &mut Profile,
    provider: &Provider,
    address: &Address,
    choice: LoginChoice,
) {
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = provider.smtp.host_for(&address.domain);
    profile.smtp.port = provider.smtp.port;
    profile.smtp.security = provider.smtp.security;
    let (smtp_auth, imap_auth) = match (choice, &provider.auth) {
        (LoginChoice::SignIn, _) => (AuthMethod::Xoauth2, ImapAuth::Xoauth2),
        // Google takes an app password with PLAIN (over TLS).
        (LoginChoice::AppPassword, _) => (AuthMethod::Plain, ImapAuth::Auto),
        (LoginChoice::Password | LoginChoice::BasicPassword, Auth::PasswordEncrypted) => {
            (AuthMethod::CramMd5, ImapAuth::CramMd5)
        }
        (LoginChoice::Password | LoginChoice::BasicPassword, Auth::Ntlm) => {
            (AuthMethod::Ntlm, ImapAuth::Ntlm)
        }
        (LoginChoice::Password | LoginChoice::BasicPassword, Auth::Gssapi) => {
            (AuthMethod::Gssapi, ImapAuth::Gssapi)
        }
        (LoginChoice::Password | LoginChoice::BasicPassword, _) => {
            (AuthMethod::Auto, ImapAuth::Auto)
        }
    };
    profile.smtp.auth = smtp_auth;
    match provider.login {
        Login::Email => profile.smtp.username = address.full.clone(),
        Login::LocalPart => profile.smtp.username = address.local_part.clone(),
        Login::Manual => {}
    }
    if profile.sender.address.trim().is_empty() {
        profile.sender.address = address.full.clone();
    }
    if let Some(imap) = &provider.imap {
        profile.imap.host = imap.host_for(&address.domain);
        profile.imap.port = imap.port;
        profile.imap.security = imap.security;
        profile.imap.auth = imap_auth;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_providers_offer_sign_in_and_their_kind_of_password() {
        let directory = Directory::bundled_only();
        let choices = |id: &str| {
            directory
                .entries()
                .iter()
                .find(|e| e.provider.id == id)
                .map(|e| e.provider.login_choices())
                .unwrap()
        };
        use LoginChoice::*;
        assert_eq!(choices("gmail"), [SignIn, AppPassword]);
        assert_eq!(choices("microsoft-365"), [SignIn, BasicPassword]);
        assert_eq!(choices("yahoo"), [Password]);
        let address = parse_address("ann@gmail.com").unwrap();
        let gmail = directory
            .entries()
            .iter()
            .find(|e| e.provider.id == "gmail")
            .unwrap();
        let mut profile = Profile::named("p");
        fill_profile_as(&mut profile, &gmail.provider, &address, AppPassword);
        assert_eq!(profile.smtp.auth, AuthMethod::Plain);
        fill_profile(&mut profile, &gmail.provider, &address);
        assert_eq!(profile.smtp.auth, AuthMethod::Xoauth2);
    }

    #[test]
    fn mx_suffixes_match_at_label_boundaries_only() {
        let directory = Directory::bundled_only();
        let google = directory
            .lookup_mx("alt1.aspmx.l.google.com.")
            .map(|e| e.provider.id.as_str());
        assert_eq!(google, Some("google-workspace"));
        assert!(directory.lookup_mx("aspmx.l.notgoogle.com").is_none());
    }

    #[test]
    fn the_incoming_side_is_filled_from_the_provider() {
        let directory = Directory::bundled_only();
        let entry = directory.lookup("yandex.ru").unwrap();
        let address = parse_address("user@yandex.ru").unwrap();
        let mut profile = Profile::named("p");
        fill_profile(&mut profile, &entry.provider, &address);
        assert_eq!(
            (profile.imap.host.as_str(), profile.imap.port),
            ("imap.yandex.ru", 993)
        );
        assert_eq!(profile.imap.security, crate::core::profile::Security::Tls);
        assert_eq!(
            profile.imap.effective_username(&profile.smtp.username),
            "user@yandex.ru"
        );
    }

    #[test]
    fn addresses_split_and_normalise() {
        let a = parse_address(" Иван@Пример.РФ ").unwrap();
        assert_eq!(a.domain, "xn--e1afmkfd.xn--p1ai");
        assert_eq!(a.local_part, "Иван");
        assert!(parse_address("no-at-sign").is_none());
        assert!(parse_address("@example.org").is_none());
    }
}
