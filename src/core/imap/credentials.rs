//! What the IMAP side of a saved profile signs in with: its OAuth 2.0 access
//! token when it is signed in (issue 13), through the very read and refresh
//! the SMTP check uses ([`credential::signed_in_token`]), else its password
//! as before.

use crate::core::check::credential::{self, CredentialError};
use crate::core::check::{Report, saved};
use crate::core::profile::{ImapAuth, Profile};
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};
use crate::i18n::Localize;

/// Whether the IMAP check of `profile` may send its OAuth token: XOAUTH2 and
/// OAUTHBEARER always; `auto` when the SMTP side may (the profile signs in).
pub fn may_use_token(profile: &Profile) -> bool {
    match profile.imap.auth {
        ImapAuth::Xoauth2 | ImapAuth::Oauthbearer => true,
        ImapAuth::Auto => credential::may_use_token(profile.smtp.auth),
        ImapAuth::Plain
        | ImapAuth::Login
        | ImapAuth::CramMd5
        | ImapAuth::Ntlm
        | ImapAuth::Gssapi => false,
    }
}

/// The saved profile's access token for its IMAP check, refreshed when near
/// expiry; `None` when it may not use one or is not signed in (the caller
/// then reads the password). A refused refresh is a report that did not
/// start, diagnosis `oauth_sign_in_required`.
pub async fn token(account: &saved::Account, profile: &Profile) -> Result<Option<Secret>, Report> {
    if !may_use_token(profile) {
        return Ok(None);
    }
    credential::signed_in_token(account)
        .await
        .map_err(|error| error.report())
}

/// The IMAP password in the keyring: the profile's own, or with "separate
/// IMAP password" its second entry (`None`: none kept).
pub async fn keyring_password(
    account: &saved::Account,
    separate: bool,
) -> Result<Option<Secret>, Report> {
    let secrets = Secrets::connect().await;
    let kept = if separate {
        let key = SecretKey::profile(&account.paths, account.scope, &account.saved.name).imap();
        secrets
            .get(&key)
            .await
            .map_err(|error| CredentialError::Keyring(error.localize()))
    } else {
        credential::keyring_password(account, &secrets).await
    };
    kept.map_err(|error| error.report())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::profile::AuthMethod;

    #[test]
    fn the_token_goes_where_the_profile_signs_in() {
        let mut profile = Profile::named("p");
        profile.smtp.auth = AuthMethod::Xoauth2;
        for (auth, expected) in [
            (ImapAuth::Auto, true),
            (ImapAuth::Xoauth2, true),
            (ImapAuth::Oauthbearer, true),
            (ImapAuth::Plain, false),
            (ImapAuth::CramMd5, false),
        ] {
            profile.imap.auth = auth;
            assert_eq!(may_use_token(&profile), expected, "{auth:?}");
        }
        profile.smtp.auth = AuthMethod::Plain;
        profile.imap.auth = ImapAuth::Auto;
        assert!(
            !may_use_token(&profile),
            "a password profile keeps its password"
        );
        profile.imap.auth = ImapAuth::Oauthbearer;
        assert!(may_use_token(&profile));
    }
}
