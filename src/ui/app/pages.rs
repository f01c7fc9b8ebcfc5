//! Routing to the pages beside the profiles: the providers directory and the
//! preferences.

use iced::Task;

use super::files::pick;
use super::{App, Message, Purpose, Status};
use crate::core::store::Paths;
use crate::i18n;
use crate::ui::pages::{directory, preferences as preferences_page};
use crate::ui::tasks;

impl App {
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

    pub(super) fn on_preferences(&mut self, message: preferences_page::Message) -> Task<Message> {
        let (task, event) = self.preferences_page.update(&self.preferences, message);
        let mut tasks = vec![task.map(Message::Preferences)];
        if let Some(preferences_page::Event::Changed(preferences)) = event {
            if preferences.language != self.preferences.language {
                i18n::init(preferences.language.tag());
            }
            self.preferences = preferences.clone();
            if let Some(store) = &self.store {
                let config = store.paths().config.clone();
                tasks.push(Task::perform(
                    tasks::save_preferences(config, preferences),
                    Message::PreferencesSaved,
                ));
            }
        }
        Task::batch(tasks)
    }

    pub(super) fn on_preferences_saved(&mut self, result: Result<(), String>) -> Task<Message> {
        if let Err(error) = result {
            self.status = Some(Status::Error(error));
        }
        Task::none()
    }
}
