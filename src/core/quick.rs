//! The quick test: an e-mail address and a password, no saved profile. Detect
//! finds the settings (the directory first, without the network, then the
//! whole discovery), they make a profile draft, and the outgoing (SMTP) and
//! incoming (IMAP) checks run side by side. Nothing is written here: the
//! window saves the draft only when the person asks, the command line never.

use rustls::pki_types::CertificateDer;
use serde_json::{Value, json};

use crate::core::check::{Progress, Report, smtp};
use crate::core::directory::{self, Address, Directory, LoginChoice, UserDirectory};
use crate::core::discover::{self, Found};
use crate::core::imap;
use crate::core::profile::{AuthMethod, Profile};
use crate::core::secret::Secret;
use crate::core::store::Paths;
use crate::i18n::{self, Localize};

/// Why a quick test found no settings to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuickError {
    #[error("not an e-mail address: {0}")]
    BadAddress(String),
    #[error("no settings found for {0}")]
    NotFound(String),
}

impl QuickError {
    /// The stable code (JSON).
    pub fn code(&self) -> &'static str {
        match self {
            QuickError::BadAddress(_) => "bad_address",
            QuickError::NotFound(_) => "not_found",
        }
    }
}

impl Localize for QuickError {
    fn localize(&self) -> String {
        match self {
            QuickError::BadAddress(text) => {
                i18n::tr_args("detect-bad-address", &[("address", text.clone())])
            }
            QuickError::NotFound(domain) => {
                i18n::tr_args("detect-none", &[("domain", domain.clone())])
            }
        }
    }
}

/// What Detect found for an address, and the profile draft made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    pub address: Address,
    pub found: Found,
    pub profile: Profile,
}

impl Detected {
    /// The draft signs in with OAuth2: a password check cannot pass, a
    /// sign-in is needed first.
    pub fn sign_in_required(&self) -> bool {
        self.profile.smtp.auth.is_oauth()
    }

    /// The ways in the provider offers (sign-in, its kind of password).
    pub fn login_choices(&self) -> Vec<LoginChoice> {
        self.found.login_choices()
    }

    /// Makes the draft log in as `choice` (the person's pick of
    /// [`Detected::login_choices`]); the settings' other edits are redone
    /// from what was found.
    pub fn log_in_as(&mut self, choice: LoginChoice) {
        self.profile = draft_as(&self.address, &self.found, choice);
    }
}

/// The user's directory over the bundled one (blocking: it reads a file). A
/// user file that cannot be read leaves the bundled entries, and why it
/// could not be read comes back to be shown.
pub fn load_directory(paths: Option<&Paths>) -> (Directory, Option<String>) {
    match paths {
        Some(paths) => {
            let (directory, problem) = UserDirectory::new(paths).load();
            (directory, problem.map(|p| p.localize()))
        }
        None => (Directory::bundled_only(), None),
    }
}

/// Detects the settings for `text`: the directory's entry when it has one
/// (no network), else the whole discovery.
pub async fn detect(
    directory: &Directory,
    text: &str,
    options: &discover::Options,
) -> Result<Detected, QuickError> {
    let address =
        directory::parse_address(text).ok_or_else(|| QuickError::BadAddress(text.to_owned()))?;
    let found = match discover::from_directory(directory, &address.domain) {
        Some(found) => found,
        None => discover::detect(&address, directory, options)
            .await
            .winner
            .ok_or_else(|| QuickError::NotFound(address.domain.clone()))?,
    };
    let profile = draft(&address, &found);
    Ok(Detected {
        address,
        found,
        profile,
    })
}

/// The profile a quick test checks (and saves, when asked): `found` filled in
/// for `address`, named after the address.
pub fn draft(address: &Address, found: &Found) -> Profile {
    draft_as(address, found, found.login_choices()[0])
}

/// [`draft`], logging in as `choice`.
fn draft_as(address: &Address, found: &Found, choice: LoginChoice) -> Profile {
    let mut profile = Profile::named(&profile_name(address));
    found.fill_as(&mut profile, address, choice);
    // Without a provider entry the login format is unknown; the whole address
    // is what most servers take, and the person sees and can edit it.
    if profile.smtp.username.trim().is_empty() {
        profile.smtp.username = address.full.clone();
    }
    if profile.smtp.auth == AuthMethod::None {
        profile.smtp.auth = AuthMethod::Auto;
    }
    profile
}

/// A profile name (`[A-Za-z0-9_]+`) from an address: `u45@outbound.test` is
/// `u45_outbound_test`.
pub fn profile_name(address: &Address) -> String {
    let name: String = address
        .full
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = name.trim_matches('_');
    if name.is_empty() {
        "quick_test".to_owned()
    } else {
        name.to_owned()
    }
}

/// Whether the draft has an incoming side to check.
pub fn has_incoming(profile: &Profile) -> bool {
    !profile.imap.host.trim().is_empty()
}

/// The outgoing check of the draft: EHLO, TLS, AUTH; no message is sent.
/// Dropping the future closes the connection.
pub async fn check_outgoing(
    profile: &Profile,
    password: Option<Secret>,
    token_held: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    progress: Progress,
) -> Report {
    let options = smtp::Options {
        password,
        token_held,
        extra_roots,
        progress,
        ..smtp::Options::default()
    };
    smtp::check(profile, options).await
}

/// The incoming check of the draft (the same password). Dropping the future
/// closes the connection.
pub async fn check_incoming(
    profile: &Profile,
    password: Option<Secret>,
    extra_roots: Vec<CertificateDer<'static>>,
    progress: Progress,
) -> Report {
    let options = imap::Options {
        password,
        token: false,
        extra_roots,
        progress,
    };
    imap::check(profile, options).await
}

/// Both checks' reports; `imap` is `None` when it did not run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub smtp: Report,
    pub imap: Option<Report>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.smtp.ok() && self.imap.as_ref().is_none_or(Report::ok)
    }
}

/// What a quick test needs besides the draft.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub password: Option<Secret>,
    /// `password` is an OAuth access token (the quick test signed in).
    pub token_held: bool,
    /// Certificates trusted in addition to the platform's (tests, private CAs).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Run the incoming check (when the draft has an incoming server).
    pub incoming: bool,
}

/// Runs the outgoing and the incoming check at once, each telling its own
/// progress. Dropping the future closes both connections.
pub async fn run(
    profile: &Profile,
    options: Options,
    outgoing_progress: Progress,
    incoming_progress: Progress,
) -> Outcome {
    let outgoing = check_outgoing(
        profile,
        options.password.clone(),
        options.token_held,
        options.extra_roots.clone(),
        outgoing_progress,
    );
    if options.incoming && has_incoming(profile) {
        let incoming = check_incoming(
            profile,
            options.password,
            options.extra_roots,
            incoming_progress,
        );
        let (smtp, imap) = tokio::join!(outgoing, incoming);
        Outcome {
            smtp,
            imap: Some(imap),
        }
    } else {
        Outcome {
            smtp: outgoing.await,
            imap: None,
        }
    }
}

/// The settings a quick test found, as JSON (never a password).
pub fn settings_json(detected: &Detected) -> Value {
    let profile = &detected.profile;
    let imap = has_incoming(profile).then(|| {
        json!({
            "host": profile.imap.host,
            "port": profile.imap.port,
            "security": profile.imap.security.as_str(),
            "username": profile.imap.effective_username(&profile.smtp.username),
            "auth": profile.imap.auth.as_str(),
        })
    });
    json!({
        "source": detected.found.source.as_str(),
        "detail": detected.found.detail,
        "insecure": detected.found.insecure,
        "provider": detected.found.provider.as_ref().map(|p| p.id.clone()),
        "sign_in_required": detected.sign_in_required(),
        "smtp": {
            "host": profile.smtp.host,
            "port": profile.smtp.port,
            "security": profile.smtp.security.as_str(),
            "username": profile.smtp.username,
            "auth": profile.smtp.auth.as_str(),
        },
        "imap": imap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_entry_makes_a_draft_named_after_the_address() {
        let directory = Directory::bundled_only();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let detected = runtime
            .block_on(detect(
                &directory,
                " User@Yandex.RU ",
                &discover::Options::default(),
            ))
            .unwrap();
        assert_eq!(detected.profile.name, "User_yandex_ru");
        assert_eq!(detected.profile.smtp.host, "smtp.yandex.ru");
        assert_eq!(detected.profile.imap.host, "imap.yandex.ru");
        assert!(!detected.sign_in_required());
        assert!(crate::core::profile::check_name(&detected.profile.name).is_ok());
    }

    #[test]
    fn a_bad_address_is_named() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let error = runtime
            .block_on(detect(
                &Directory::bundled_only(),
                "nobody",
                &discover::Options::default(),
            ))
            .unwrap_err();
        assert_eq!(error, QuickError::BadAddress("nobody".into()));
    }
}
