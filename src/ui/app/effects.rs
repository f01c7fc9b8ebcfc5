//! The app's routing to the pages that start effects: files chosen in dialogs,
//! Detect, the check, and the providers directory.

use std::path::PathBuf;
use std::time::Instant;

use iced::Task;

use super::{App, Message, Purpose};
use crate::core::exchange::{Contents, OnConflict};
use crate::core::store::Paths;
use crate::fl;
use crate::ui::pages::{check, directory, smtp};
use crate::ui::tasks;

impl App {
    pub(super) fn use_path(&mut self, purpose: Purpose, path: PathBuf) -> Task<Message> {
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

    pub(super) fn on_smtp(&mut self, message: smtp::Message) -> Task<Message> {
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let Some(editor) = self.editor_mut().filter(|e| e.is_editable()) else {
            return Task::none();
        };
        let (task, event) = editor.smtp.update(&mut editor.draft, message);
        let task = task.map(Message::Smtp);
        match (event, paths) {
            (Some(smtp::Event::Detect(address)), Some(paths)) => {
                let id = editor.id;
                let detect = Task::perform(tasks::detect(paths, address), move |result| {
                    Message::Detected(id, Box::new(result))
                });
                Task::batch([task, detect])
            }
            _ => task,
        }
    }

    pub(super) fn reload_directory(&self) -> Task<Message> {
        let Some(store) = &self.store else {
            return Task::none();
        };
        Task::perform(
            tasks::load_directory(store.paths().clone()),
            |(entries, problem)| Message::Directory(directory::Message::Loaded(entries, problem)),
        )
    }

    pub(super) fn on_directory(&mut self, message: directory::Message) -> Task<Message> {
        let (task, event) = self.directory.update(message);
        let task = task.map(Message::Directory);
        let Some(paths) = self.store.as_ref().map(|s| s.paths().clone()) else {
            return task;
        };
        let change = match event {
            None => return task,
            Some(directory::Event::Import) => {
                return Task::batch([task, pick(Purpose::ImportAutoconfig)]);
            }
            Some(directory::Event::Export(provider)) => {
                return Task::batch([task, pick(Purpose::ExportAutoconfig(provider))]);
            }
            Some(directory::Event::Save(provider)) => tasks::DirectoryChange::Save(provider),
            Some(directory::Event::Delete(id)) => tasks::DirectoryChange::Delete(id),
            Some(directory::Event::Reset(id)) => tasks::DirectoryChange::Reset(id),
        };
        Task::batch([task, self.change_directory(paths, change)])
    }

    /// Applies a change to the user's directory, then shows the directory as it is.
    pub(super) fn change_directory(
        &self,
        paths: Paths,
        change: tasks::DirectoryChange,
    ) -> Task<Message> {
        Task::perform(tasks::change_directory(paths, change), |result| {
            Message::Directory(directory::Message::Done(result))
        })
        .chain(self.reload_directory())
    }

    pub(super) fn on_check(&mut self, id: u64, message: check::Message) -> Task<Message> {
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let Some(editor) = self.editors.iter_mut().find(|e| e.id == id) else {
            return Task::none();
        };
        let context = check::Context {
            paths,
            password: editor.smtp.password_for_check(),
            saved: !editor.is_dirty(),
            stored: editor
                .saved_name()
                .map(|name| (editor.scope, name.to_owned())),
        };
        let (task, event) = editor.check.update(&mut editor.draft, message, || context);
        let task = task.map(move |message| Message::Check(id, message));
        match event {
            Some(check::Event::Applied) => {
                editor.smtp.sync_numbers(&editor.draft);
                task
            }
            Some(check::Event::SaveLog(text)) => Task::batch([task, pick(Purpose::SaveLog(text))]),
            None => task,
        }
    }

    pub(super) fn apply_import(
        &mut self,
        contents: Contents,
        policy: Option<OnConflict>,
    ) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        Task::perform(
            tasks::apply_import(store, contents, policy),
            Message::Imported,
        )
    }
}

/// Opens the desktop's file dialog, timing its answer.
pub(super) fn pick(purpose: Purpose) -> Task<Message> {
    let suggested = match &purpose {
        Purpose::Export => Some("outbound-profiles.toml".to_owned()),
        Purpose::SaveLog(_) => Some("outbound-check.log".to_owned()),
        Purpose::ExportAutoconfig(provider) => Some(format!("{}.xml", provider.id)),
        Purpose::Import | Purpose::ImportAutoconfig => None,
    };
    Task::perform(
        async move {
            let started = Instant::now();
            let path = tasks::pick_file(suggested).await;
            (path, started.elapsed())
        },
        move |(path, after)| Message::Picked {
            purpose: purpose.clone(),
            path,
            after,
        },
    )
}
