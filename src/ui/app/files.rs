//! Files chosen in dialogs (or typed when no dialog answers): export, import
//! with its conflict question, a saved check log, autoconfig files.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use iced::Task;

use super::{App, Message, PathPrompt, Purpose, Status};
use crate::core::exchange::{Contents, ImportReport, OnConflict};
use crate::fl;
use crate::ui::pages::directory;
use crate::ui::tasks::{self, Dialog, PendingImport};

impl App {
    pub(super) fn on_picked(
        &mut self,
        purpose: Purpose,
        path: Option<PathBuf>,
        after: Duration,
    ) -> Task<Message> {
        match path {
            Some(path) => self.use_path(purpose, path),
            // An answer this quick means no portal asked anyone: offer a path field.
            None if after < Duration::from_millis(400) => {
                self.path_prompt = Some(PathPrompt {
                    purpose,
                    text: String::new(),
                });
                Task::none()
            }
            None => Task::none(),
        }
    }

    pub(super) fn on_path_text(&mut self, text: String) -> Task<Message> {
        if let Some(prompt) = &mut self.path_prompt {
            prompt.text = text;
        }
        Task::none()
    }

    pub(super) fn on_path_submit(&mut self) -> Task<Message> {
        match self.path_prompt.take() {
            Some(prompt) if !prompt.text.trim().is_empty() => {
                self.use_path(prompt.purpose, PathBuf::from(prompt.text.trim()))
            }
            other => {
                self.path_prompt = other;
                Task::none()
            }
        }
    }

    pub(super) fn on_path_cancel(&mut self) -> Task<Message> {
        self.path_prompt = None;
        Task::none()
    }

    fn use_path(&mut self, purpose: Purpose, path: PathBuf) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        match purpose {
            Purpose::Export => Task::perform(tasks::export(store, path), Message::Exported),
            Purpose::Import => Task::perform(tasks::read_import(store, path), Message::ImportRead),
            Purpose::SaveLog(text) => {
                Task::perform(tasks::write_text(path, text), Message::LogSaved)
            }
            Purpose::ImportAutoconfig => {
                let change = tasks::DirectoryChange::ImportAutoconfig(path);
                self.change_directory(store.paths().clone(), change)
            }
            Purpose::Msmtprc => Task::perform(
                tasks::write_msmtprc(store, path, crate::core::msmtp::program()),
                Message::MsmtpWritten,
            ),
            Purpose::BulkList => self.on_bulk(crate::ui::pages::bulk::Message::ListChosen(path)),
            Purpose::BulkReport => self.on_bulk(crate::ui::pages::bulk::Message::ExportTo(path)),
            Purpose::ExportAutoconfig(provider) => {
                let text = crate::core::discover::autoconfig::export(&provider);
                Task::perform(tasks::write_text(path, text), |result| {
                    Message::Directory(directory::Message::Done(
                        result
                            .map(|path| fl!("status-log-saved", file = path.display().to_string())),
                    ))
                })
            }
        }
    }

    pub(super) fn on_log_saved(&mut self, result: Result<PathBuf, String>) -> Task<Message> {
        self.status = Some(match result {
            Ok(path) => Status::Info(fl!("status-log-saved", file = path.display().to_string())),
            Err(error) => Status::Error(error),
        });
        Task::none()
    }

    pub(super) fn on_exported(&mut self, result: Result<usize, String>) -> Task<Message> {
        self.status = Some(match result {
            Ok(count) => Status::Info(fl!("status-exported", count = count)),
            Err(error) => Status::Error(error),
        });
        Task::none()
    }

    pub(super) fn on_import_read(
        &mut self,
        result: Result<PendingImport, String>,
    ) -> Task<Message> {
        match result {
            Ok(pending) if pending.conflicts.is_empty() => {
                self.apply_import(pending.contents, None)
            }
            Ok(pending) => {
                self.pending_import = Some(pending);
                Task::none()
            }
            Err(error) => self.fail(error),
        }
    }

    pub(super) fn on_import_choice(&mut self, choice: Option<OnConflict>) -> Task<Message> {
        match (self.pending_import.take(), choice) {
            (Some(pending), Some(policy)) => self.apply_import(pending.contents, Some(policy)),
            _ => Task::none(),
        }
    }

    fn apply_import(&mut self, contents: Contents, policy: Option<OnConflict>) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        Task::perform(
            tasks::apply_import(store, contents, policy),
            Message::Imported,
        )
    }

    /// After an import the list is read again; editors without unsaved
    /// changes then follow the files (and ask the keyring again).
    pub(super) fn on_imported(&mut self, result: Result<ImportReport, String>) -> Task<Message> {
        let report = match result {
            Ok(report) => report,
            Err(error) => return self.fail(error),
        };
        let count = report.added.len() + report.replaced.len() + report.renamed.len();
        let mut text = fl!(
            "status-imported",
            count = count,
            skipped = report.skipped.len()
        );
        let mut reloads = vec![self.sidebar.reload().map(Message::Sidebar)];
        if !report.providers.is_empty() {
            let ids = report.providers.join(", ");
            text = format!("{text} {}", fl!("status-imported-providers", ids = ids));
            reloads.push(self.reload_directory());
        }
        self.status = Some(Status::Info(text));
        Task::batch(reloads)
    }
}

/// Opens the desktop's file dialog, timing its answer (an instant "no"
/// offers a path field instead).
pub(super) fn pick(purpose: Purpose) -> Task<Message> {
    let dialog = dialog(&purpose);
    Task::perform(
        async move {
            let started = Instant::now();
            let path = tasks::pick_file(dialog).await;
            (path, started.elapsed())
        },
        move |(path, after)| Message::Picked {
            purpose: purpose.clone(),
            path,
            after,
        },
    )
}

/// The dialog each purpose asks for.
fn dialog(purpose: &Purpose) -> Dialog {
    match purpose {
        Purpose::Export => Dialog::save("outbound-profiles.toml"),
        Purpose::SaveLog(_) => Dialog::save("outbound-check.log"),
        Purpose::ExportAutoconfig(provider) => Dialog::save(format!("{}.xml", provider.id)),
        Purpose::Msmtprc => Dialog::save("msmtprc"),
        Purpose::BulkReport => Dialog::save("outbound-bulk.html")
            .filter("HTML", &["html"])
            .filter("CSV", &["csv"])
            .filter("JSON", &["json"]),
        Purpose::BulkList => Dialog::open().filter("CSV, TSV", &["csv", "tsv", "txt"]),
        Purpose::Import | Purpose::ImportAutoconfig => Dialog::open().filter("TOML", &["toml"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bulk_page_asks_the_shared_dialog_for_its_list_and_its_report() {
        let list = dialog(&Purpose::BulkList);
        assert_eq!(list.save_as, None);
        assert_eq!(list.filters, [("CSV, TSV", &["csv", "tsv", "txt"][..])]);
        let report = dialog(&Purpose::BulkReport);
        assert_eq!(report.save_as.as_deref(), Some("outbound-bulk.html"));
        let kinds: Vec<&str> = report.filters.iter().map(|(name, _)| *name).collect();
        assert_eq!(kinds, ["HTML", "CSV", "JSON"]);
        assert_eq!(dialog(&Purpose::Import).filters, [("TOML", &["toml"][..])]);
        assert!(dialog(&Purpose::Export).filters.is_empty());
    }
}
