//! `outbound profile sign-in NAME [--device]`, `outbound profile sign-out NAME`,
//! and the access token `outbound check --profile NAME` sends (issue 13).

use std::time::Duration;

use super::output::{errln, outln};
use super::{Failure, Status};
use crate::core::oauth::{self, OauthError};
use crate::core::secrets::{SecretKey, Secrets};
use crate::core::store::{Paths, Scope, Store, StoreError};
use crate::fl;

/// How long the browser sign-in waits for the redirect (the window's wait).
const BROWSER_WAIT: Duration = Duration::from_secs(oauth::BROWSER_WAIT_SECS);

fn token_key(paths: &Paths, scope: Scope, name: &str) -> SecretKey {
    SecretKey::profile(paths, scope, name).oauth()
}

pub async fn sign_in(name: &str, device: bool, no_browser: bool) -> Result<Status, Failure> {
    let store = Store::new(Paths::from_environment()?);
    let stored = store
        .load_all()
        .find(name)
        .cloned()
        .ok_or_else(|| StoreError::NotFound(name.to_owned()))?;
    let secrets = Secrets::connect().await;
    if let Some(error) = secrets.unavailable() {
        return Err(error.clone().into());
    }
    let client = oauth::client_for(store.paths(), &stored.profile, &secrets).await?;
    let tokens = if device {
        oauth::sign_in_device(&client, |code| {
            let url = code
                .verification_uri_complete
                .clone()
                .unwrap_or_else(|| code.verification_uri.clone());
            errln!(
                "{}",
                fl!(
                    "cli-oauth-device",
                    url = code.verification_uri.clone(),
                    code = code.user_code.clone()
                )
            );
            // On stdout alone, for a script (or a test) that opens it.
            outln!("{url}");
        })
        .await?
    } else {
        let opener = |url: &str| {
            if no_browser {
                Err(String::new())
            } else {
                oauth::open_in_browser(url)
            }
        };
        let flow = oauth::sign_in_browser(&client, opener, |url, _| {
            errln!(
                "{}",
                fl!("cli-oauth-browser", seconds = BROWSER_WAIT.as_secs())
            );
            outln!("{url}");
        });
        match tokio::time::timeout(BROWSER_WAIT, flow).await {
            Ok(result) => result?,
            Err(_) => return Err(OauthError::Expired.into()),
        }
    };
    oauth::save_tokens(
        &secrets,
        &token_key(store.paths(), stored.scope, name),
        &tokens,
    )
    .await?;
    errln!("{}", fl!("cli-oauth-signed-in", name = name));
    Ok(Status::Success)
}

pub async fn sign_out(name: &str) -> Result<Status, Failure> {
    let store = Store::new(Paths::from_environment()?);
    let scope = store.scope_by_name(name).unwrap_or(Scope::User);
    let secrets = Secrets::connect().await;
    if let Some(error) = secrets.unavailable() {
        return Err(error.clone().into());
    }
    oauth::delete_tokens(&secrets, &token_key(store.paths(), scope, name)).await?;
    errln!("{}", fl!("cli-oauth-signed-out", name = name));
    Ok(Status::Success)
}
