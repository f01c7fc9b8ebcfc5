//! `outbound profile …`

use serde_json::json;

use super::output::{errln, out, outln};
use super::password::PasswordError;
use super::{Failure, PasswordSource, ProfileCommand, Status, print_json};
use crate::core::directory::UserDirectory;
use crate::core::exchange::{self, Contents, ImportReport};
use crate::core::secrets::{SecretKey, Secrets, SecretsError};
use crate::core::store::{Loaded, Paths, Scope, Store, StoreError, StoredProfile};
use crate::fl;
use crate::i18n::Localize;

pub async fn run(action: ProfileCommand) -> Result<Status, Failure> {
    let store = Store::new(Paths::from_environment()?);
    match action {
        ProfileCommand::List { json } => Ok(list(&store, json)),
        ProfileCommand::Show { name, json } => show(&store, &name, json).await,
        ProfileCommand::Delete { name } => delete(&store, &name).await,
        ProfileCommand::Rename { old, new } => rename(&store, &old, &new).await,
        ProfileCommand::Export { names, output } => {
            let loaded = store.load_all();
            report_problems(&loaded);
            let chosen = choose(&loaded, &names)?;
            let directory = UserDirectory::new(store.paths());
            let contents = Contents::with_providers(&directory, chosen)?;
            exchange::export(&contents, &output)?;
            errln!(
                "{}",
                fl!(
                    "cli-exported",
                    count = contents.profiles.len(),
                    file = output.display().to_string()
                )
            );
            if !contents.providers.is_empty() {
                errln!(
                    "{}",
                    fl!("cli-exported-providers", count = contents.providers.len())
                );
            }
            Ok(Status::Success)
        }
        ProfileCommand::Import {
            file,
            on_conflict,
            json,
        } => {
            let incoming = exchange::read_import(&file)?;
            let report = exchange::apply_import(&store, incoming, on_conflict)?;
            print_import_report(&report, json);
            Ok(Status::Success)
        }
        ProfileCommand::SetPassword { name, source } => {
            let stored = existing(&store, &name)?;
            let password = read_password(&source)?;
            let secrets = connected().await?;
            let key = SecretKey::profile(store.paths(), stored.scope, &name);
            secrets.set(&key, &password).await?;
            errln!("{}", fl!("cli-password-saved", name = name));
            Ok(Status::Success)
        }
        ProfileCommand::Msmtprc { output } => super::msmtprc::write(&store, output),
        ProfileCommand::Password { name, force } => {
            super::msmtprc::password(&store, &name, force).await
        }
        ProfileCommand::SignIn {
            name,
            device,
            no_browser,
        } => super::oauth::sign_in(&name, device, no_browser).await,
        ProfileCommand::SignOut { name } => super::oauth::sign_out(&name).await,
        ProfileCommand::ClearPassword { name } => {
            // The profile this name means (the user's first); a password left
            // by a deleted profile is the user scope's.
            let scope = store.scope_by_name(&name).unwrap_or(Scope::User);
            let secrets = connected().await?;
            let key = SecretKey::profile(store.paths(), scope, &name);
            secrets.delete(&key).await?;
            errln!("{}", fl!("cli-password-cleared", name = name));
            Ok(Status::Success)
        }
    }
}

/// The keyring, or the reason there is none as the command's error.
pub(super) async fn connected() -> Result<Secrets, SecretsError> {
    let secrets = Secrets::connect().await;
    match secrets.unavailable() {
        Some(reason) => Err(reason.clone()),
        None => Ok(secrets),
    }
}

pub(super) fn report_problems(loaded: &Loaded) {
    for problem in &loaded.problems {
        errln!("{}", fl!("cli-skipped-file", reason = problem.localize()));
    }
}

pub(super) fn existing(store: &Store, name: &str) -> Result<StoredProfile, StoreError> {
    store
        .load_all()
        .find(name)
        .cloned()
        .ok_or_else(|| StoreError::NotFound(name.to_owned()))
}

fn choose(
    loaded: &Loaded,
    names: &[String],
) -> Result<Vec<crate::core::profile::Profile>, StoreError> {
    if names.is_empty() {
        return Ok(loaded.profiles.iter().map(|p| p.profile.clone()).collect());
    }
    names
        .iter()
        .map(|name| {
            loaded
                .find(name)
                .map(|p| p.profile.clone())
                .ok_or_else(|| StoreError::NotFound(name.clone()))
        })
        .collect()
}

fn scope_label(scope: Scope) -> String {
    match scope {
        Scope::User => fl!("scope-user"),
        Scope::System => fl!("scope-system"),
    }
}

fn list(store: &Store, json: bool) -> Status {
    let loaded = store.load_all();
    report_problems(&loaded);
    if json {
        let items: Vec<_> = loaded
            .profiles
            .iter()
            .map(|p| {
                json!({
                    "name": p.profile.name,
                    "scope": p.scope,
                    "delivery": p.profile.delivery,
                    "enabled": p.profile.enabled,
                    "description": p.profile.description,
                    "path": p.path,
                })
            })
            .collect();
        print_json(&json!(items));
    } else if loaded.profiles.is_empty() {
        outln!("{}", fl!("cli-no-profiles"));
    } else {
        for p in &loaded.profiles {
            let delivery = match p.profile.delivery {
                crate::core::profile::Delivery::Smtp => {
                    format!("smtp {}:{}", p.profile.smtp.host, p.profile.smtp.port)
                }
                crate::core::profile::Delivery::Sendmail => {
                    format!("sendmail {}", p.profile.sendmail.path)
                }
            };
            let disabled = if p.profile.enabled {
                String::new()
            } else {
                format!(" ({})", fl!("profile-disabled"))
            };
            outln!(
                "{}\t{}\t{delivery}{disabled}",
                p.profile.name,
                scope_label(p.scope)
            );
        }
    }
    // Files that did not load are reported on stderr; the listing itself succeeded.
    Status::Success
}

async fn show(store: &Store, name: &str, json: bool) -> Result<Status, Failure> {
    let stored = existing(store, name)?;
    let secrets = Secrets::connect().await;
    let key = SecretKey::profile(store.paths(), stored.scope, name);
    let password = match secrets.get(&key).await {
        Ok(Some(_)) => ("saved", fl!("password-saved")),
        Ok(None) => ("not_saved", fl!("password-not-saved")),
        Err(error) => ("unavailable", error.localize()),
    };
    if json {
        let mut value = serde_json::to_value(&stored.profile).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("scope".into(), json!(stored.scope));
            object.insert("path".into(), json!(stored.path));
            object.insert("password".into(), json!(password.0));
        }
        print_json(&value);
    } else {
        outln!(
            "# {} ({})",
            stored.path.display(),
            scope_label(stored.scope)
        );
        out!("{}", crate::core::store::render(&stored.profile));
        outln!("# {}", password.1);
    }
    Ok(Status::Success)
}

async fn delete(store: &Store, name: &str) -> Result<Status, Failure> {
    let password = store.delete(name)?;
    // The file is gone; a keyring that cannot be reached keeps the password,
    // which the user is told, and the deletion stands.
    let secrets = Secrets::connect().await;
    if let Err(error) = password.finish(Some(&secrets)).await {
        errln!("{}", fl!("cli-password-left", reason = error.localize()));
    }
    errln!("{}", fl!("cli-deleted", name = name));
    Ok(Status::Success)
}

async fn rename(store: &Store, old: &str, new: &str) -> Result<Status, Failure> {
    let (_, password) = store.rename(old, new)?;
    // The file has its new name; a keyring that cannot be reached keeps the
    // password under the old one, which the user is told.
    let secrets = Secrets::connect().await;
    if let Err(error) = password.finish(Some(&secrets)).await {
        errln!(
            "{}",
            fl!("cli-password-not-moved", reason = error.localize())
        );
    }
    errln!("{}", fl!("cli-renamed", old = old, new = new));
    Ok(Status::Success)
}

/// The password `set-password` saves: clap requires one of the two sources.
fn read_password(source: &PasswordSource) -> Result<crate::core::secret::Secret, PasswordError> {
    source.read()?.ok_or(PasswordError::Empty)
}

fn print_import_report(report: &ImportReport, json: bool) {
    if json {
        let renamed: Vec<_> = report
            .renamed
            .iter()
            .map(|(from, to)| json!({"from": from, "to": to}))
            .collect();
        print_json(&json!({
            "added": report.added,
            "replaced": report.replaced,
            "renamed": renamed,
            "skipped": report.skipped,
            "providers": report.providers,
        }));
        return;
    }
    for name in &report.added {
        outln!("{}", fl!("import-added", name = name.clone()));
    }
    for name in &report.replaced {
        outln!("{}", fl!("import-replaced", name = name.clone()));
    }
    for (from, to) in &report.renamed {
        outln!(
            "{}",
            fl!("import-renamed", from = from.clone(), to = to.clone())
        );
    }
    for name in &report.skipped {
        outln!("{}", fl!("import-skipped", name = name.clone()));
    }
    for id in &report.providers {
        outln!("{}", fl!("import-provider", id = id.clone()));
    }
}
