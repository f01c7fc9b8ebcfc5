//! `outbound directory …`: the providers and domains directory.

use std::path::Path;

use serde_json::json;

use super::output::{errln, out, outln};
use super::{DirectoryCommand, Failure, Status, print_json};
use crate::core::directory::{
    self, Directory, DirectoryError, DirectoryFile, Entry, Origin, UserDirectory, normalise_domain,
};
use crate::core::discover::autoconfig;
use crate::core::store::{Paths, atomic_write};
use crate::core::toml_doc::FORMAT;
use crate::fl;
use crate::i18n::Localize;

/// `directory lookup` was given something that is not a domain name (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a domain name")]
struct BadDomain(String);

impl Localize for BadDomain {
    fn localize(&self) -> String {
        fl!("cli-directory-bad-domain", domain = self.0.clone())
    }
}

pub fn run(action: DirectoryCommand) -> Result<Status, Failure> {
    let user = UserDirectory::new(&Paths::from_environment()?);
    match action {
        DirectoryCommand::List { json } => {
            let directory = load(&user);
            if json {
                let items: Vec<_> = directory.entries().iter().map(entry_json).collect();
                print_json(&json!(items));
            } else {
                for entry in directory.entries() {
                    let p = &entry.provider;
                    outln!(
                        "{}\t{}\t{}:{} {}\t{}\t{}",
                        p.id,
                        p.name,
                        p.smtp.host,
                        p.smtp.port,
                        p.smtp.security.as_str(),
                        origin_label(entry.origin),
                        fl!("directory-domain-count", count = p.domains.len()),
                    );
                }
            }
            Ok(Status::Success)
        }
        DirectoryCommand::Show { id, json } => {
            let directory = load(&user);
            let entry = directory.get(&id).ok_or(DirectoryError::NotFound(id))?;
            show(entry, json);
            Ok(Status::Success)
        }
        DirectoryCommand::Lookup { domain, json } => {
            // Bad input, not a domain that is merely unknown.
            if normalise_domain(&domain).is_none() {
                return Err(BadDomain(domain).into());
            }
            let directory = load(&user);
            match directory.lookup(&domain) {
                Some(entry) => {
                    show(entry, json);
                    Ok(Status::Success)
                }
                None => {
                    if json {
                        print_json(&json!(null));
                    }
                    errln!("{}", fl!("directory-lookup-none", domain = domain));
                    Ok(Status::Problem)
                }
            }
        }
        DirectoryCommand::ImportAutoconfig { file, json } => {
            let text = autoconfig::read_file(&file)?;
            let provider =
                autoconfig::parse(&text, None).map_err(|error| autoconfig::FileError {
                    path: file.display().to_string(),
                    error,
                })?;
            let origin = user.upsert(provider.clone())?;
            if json {
                print_json(&json!({ "id": provider.id, "origin": origin, "provider": provider }));
            } else {
                outln!(
                    "{}",
                    fl!(
                        "directory-imported",
                        id = provider.id.clone(),
                        name = provider.name.clone()
                    )
                );
                for note in &provider.notes {
                    outln!("  {note}");
                }
            }
            Ok(Status::Success)
        }
        DirectoryCommand::Export {
            output,
            autoconfig: Some(id),
        } => {
            let directory = load(&user);
            let entry = directory.get(&id).ok_or(DirectoryError::NotFound(id))?;
            write(&output, autoconfig::export(&entry.provider).as_bytes())?;
            errln!(
                "{}",
                fl!(
                    "directory-exported",
                    count = 1,
                    file = output.display().to_string()
                )
            );
            Ok(Status::Success)
        }
        DirectoryCommand::Export {
            output,
            autoconfig: None,
        } => {
            let directory = load(&user);
            let file = DirectoryFile {
                format: FORMAT,
                hidden: Vec::new(),
                provider: directory
                    .entries()
                    .iter()
                    .map(|e| e.provider.clone())
                    .collect(),
            };
            write(&output, directory::render(&file).as_bytes())?;
            errln!(
                "{}",
                fl!(
                    "directory-exported",
                    count = file.provider.len(),
                    file = output.display().to_string()
                )
            );
            Ok(Status::Success)
        }
        DirectoryCommand::Delete { id } => {
            user.delete(&id)?;
            errln!("{}", fl!("directory-deleted", id = id));
            Ok(Status::Success)
        }
        DirectoryCommand::Reset { id } => {
            user.reset(&id)?;
            errln!("{}", fl!("directory-reset-done", id = id));
            Ok(Status::Success)
        }
    }
}

/// The effective directory; a damaged user file is reported and the bundled one used.
pub fn load(user: &UserDirectory) -> Directory {
    let (directory, problem) = user.load();
    if let Some(problem) = problem {
        errln!(
            "{}",
            fl!("directory-user-file-skipped", reason = problem.localize())
        );
    }
    directory
}

pub fn origin_label(origin: Origin) -> String {
    match origin {
        Origin::Bundled => fl!("directory-origin-bundled"),
        Origin::User => fl!("directory-origin-user"),
        Origin::Override => fl!("directory-origin-override"),
    }
}

fn entry_json(entry: &Entry) -> serde_json::Value {
    let mut value = serde_json::to_value(&entry.provider).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("origin".into(), json!(entry.origin));
    }
    value
}

fn show(entry: &Entry, json: bool) {
    if json {
        print_json(&entry_json(entry));
        return;
    }
    let file = DirectoryFile {
        format: FORMAT,
        hidden: Vec::new(),
        provider: vec![entry.provider.clone()],
    };
    outln!("# {}", origin_label(entry.origin));
    out!("{}", directory::render(&file));
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), DirectoryError> {
    atomic_write(path, bytes).map_err(|source| DirectoryError::Io {
        path: path.to_path_buf(),
        source,
    })
}
