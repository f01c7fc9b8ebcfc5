//! `outbound check --imap`: the IMAP check of a saved profile's incoming side
//! (`--profile NAME`, password from the keyring: the profile's own, or its
//! separate IMAP one) or of ad-hoc flags (`--host H --port P --security S
//! --user U --auth A --folder F`). Output, `--json` and exit codes as the SMTP
//! check's. A saved profile that is signed in (OAuth 2.0) sends its access
//! token, refreshed as the SMTP check's is (`core::imap::credentials`).

use super::check::{
    AuthChoice, CheckArgs, Interrupt, cancelled, cannot_start, finish, interruptible,
};
use super::{Failure, Status};
use crate::core::check::Report;
use crate::core::check::saved::Account;
use crate::core::imap::{self, Options};
use crate::core::profile::{ImapAuth, Profile, imap_default_port, is_host, normalise_host};
use crate::core::secret::Secret;
use crate::core::store::{Paths, Store, StoreError};
use crate::i18n::{self, Localize};

/// Bad input for the IMAP check (exit 2).
#[derive(Debug, thiserror::Error)]
enum ImapUsage {
    #[error("invalid host {0}")]
    Host(String),
    #[error("--auth {0} is not an IMAP method")]
    Auth(&'static str),
    #[error("the profile has no incoming server")]
    NoHost(String),
}

impl Localize for ImapUsage {
    fn localize(&self) -> String {
        match self {
            ImapUsage::Host(host) => i18n::tr_args("cli-check-bad-host", &[("host", host.clone())]),
            ImapUsage::Auth(auth) => {
                i18n::tr_args("cli-imap-bad-auth", &[("auth", (*auth).to_owned())])
            }
            ImapUsage::NoHost(name) => i18n::tr_args("cli-imap-no-host", &[("name", name.clone())]),
        }
    }
}

pub async fn run(args: CheckArgs) -> Result<Status, Failure> {
    let (profile, saved, password) = match prepare(&args) {
        Ok(ready) => ready,
        Err(failure) => return Ok(cannot_start(&args, &failure)),
    };
    let mut interrupt = Interrupt::new();
    let (password, token) = match (password, &saved) {
        (Some(password), _) => (Some(password), false),
        (None, Some(saved)) => tokio::select! {
            biased;
            () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
            fetched = token_or_password(saved, &profile) => match fetched {
                Ok(secret) => secret,
                Err(report) => return Ok(finish(&args, &report)),
            },
        },
        (None, None) => (None, false),
    };
    let outcome = interruptible(&mut interrupt, args.json, |progress| {
        imap::check(
            &profile,
            Options {
                password,
                token,
                extra_roots: Vec::new(),
                progress,
            },
        )
    })
    .await;
    match outcome {
        Ok(report) => Ok(finish(&args, &report)),
        Err(steps) => Ok(cancelled(&args, steps)),
    }
}

/// The profile to check, the saved one it comes from (to find its password
/// or token in the keyring), and a password given on the command line.
fn prepare(args: &CheckArgs) -> Result<(Profile, Option<Account>, Option<Secret>), Failure> {
    let (mut profile, saved) = match &args.profile {
        Some(name) => {
            let paths = Paths::from_environment()?;
            let stored = Store::new(paths.clone())
                .load_all()
                .find(name)
                .cloned()
                .ok_or_else(|| StoreError::NotFound(name.clone()))?;
            let saved = Account {
                paths,
                scope: stored.scope,
                saved: stored.profile.clone(),
            };
            (stored.profile, Some(saved))
        }
        None => (ad_hoc(args)?, None),
    };
    apply_flags(&mut profile, args)?;
    if profile.imap.host.trim().is_empty() {
        return Err(ImapUsage::NoHost(profile.name.clone()).into());
    }
    let password = args.password.read()?;
    Ok((profile, saved, password))
}

fn ad_hoc(args: &CheckArgs) -> Result<Profile, ImapUsage> {
    let mut profile = Profile::named("command_line");
    let pasted = args.host.clone().unwrap_or_default();
    let imap = &mut profile.imap;
    match normalise_host(&pasted) {
        Some(normalised) => {
            imap.host = normalised.host;
            if let Some(security) = normalised.security {
                imap.security = security;
            }
            imap.port = normalised.port.unwrap_or(imap_default_port(imap.security));
        }
        None => {
            imap.host = pasted.trim().to_owned();
            imap.port = imap_default_port(imap.security);
        }
    }
    if !is_host(&imap.host) {
        return Err(ImapUsage::Host(pasted));
    }
    Ok(profile)
}

fn apply_flags(profile: &mut Profile, args: &CheckArgs) -> Result<(), ImapUsage> {
    let imap = &mut profile.imap;
    if let Some(security) = args.security {
        imap.security = security;
        if args.profile.is_none() && args.port.is_none() {
            imap.port = imap_default_port(security);
        }
    }
    if let Some(port) = args.port {
        imap.port = port;
    }
    if let Some(auth) = args.auth {
        imap.auth = imap_auth(auth)?;
    }
    if let Some(user) = &args.user {
        imap.username = user.clone();
    }
    if let Some(folder) = &args.folder {
        imap.folder = folder.clone();
    }
    if let Some(timeout) = args.timeout {
        profile.smtp.timeout_secs = timeout;
    }
    if args.accept_invalid_certs {
        profile.smtp.accept_invalid_certs = true;
    }
    Ok(())
}

fn imap_auth(choice: AuthChoice) -> Result<ImapAuth, ImapUsage> {
    Ok(match choice {
        AuthChoice::None => return Err(ImapUsage::Auth("none")),
        AuthChoice::Auto => ImapAuth::Auto,
        AuthChoice::Plain => ImapAuth::Plain,
        AuthChoice::Login => ImapAuth::Login,
        AuthChoice::CramMd5 => ImapAuth::CramMd5,
        AuthChoice::Xoauth2 => ImapAuth::Xoauth2,
        AuthChoice::Oauthbearer => ImapAuth::Oauthbearer,
        AuthChoice::Ntlm => ImapAuth::Ntlm,
        AuthChoice::Gssapi => ImapAuth::Gssapi,
    })
}

/// The access token of a signed-in profile (and that it is one), else the
/// IMAP password from the keyring.
async fn token_or_password(
    account: &Account,
    checked: &Profile,
) -> Result<(Option<Secret>, bool), Report> {
    match imap::credentials::token(account, checked).await? {
        Some(token) => Ok((Some(token), true)),
        // Kerberos signs in with the user's ticket: no keyring to ask.
        None if !checked.imap.auth.needs_password() => Ok((None, false)),
        None => {
            let separate = checked.imap.separate_password;
            let password = imap::credentials::keyring_password(account, separate).await?;
            Ok((password, false))
        }
    }
}
