//! The Delivery tab's parts beyond the profile draft: the default-profile
//! preference (saved like the other preferences; its answer names the editor
//! that asked) and the msmtp configuration written to a chosen file.

use std::path::PathBuf;

use iced::Task;

use super::files::pick;
use super::{App, Message, Page, Purpose, Status, Tab};
use crate::fl;
use crate::ui::pages::delivery;
use crate::ui::tasks;

impl App {
    pub(super) fn on_delivery(&mut self, message: delivery::Message) -> Task<Message> {
        if message.edits_profile() {
            return self.edit(|e| {
                let (task, _) = e.delivery.update(&mut e.draft, message);
                task.map(Message::Delivery)
            });
        }
        // The preference and the msmtp file are the user's, not the profile's:
        // a read-only profile's page offers them too.
        let Some(editor) = self.editor_mut() else {
            return Task::none();
        };
        let (task, event) = editor.delivery.update(&mut editor.draft, message);
        let (id, name) = (editor.id, editor.saved_name().map(str::to_owned));
        let task = task.map(Message::Delivery);
        match (event, name) {
            (Some(delivery::Event::DefaultProfile(on)), Some(name)) => {
                Task::batch([task, self.set_default_profile(id, name, on)])
            }
            (Some(delivery::Event::WriteMsmtp), _) => Task::batch([task, pick(Purpose::Msmtprc)]),
            (Some(delivery::Event::Delete(queued)), _) => {
                Task::batch([task, self.change_queue(tasks::QueueChange::Delete(queued))])
            }
            (Some(delivery::Event::Flush), Some(name)) => {
                let scope = self.editor().map(|e| e.scope);
                let ids = self
                    .queue
                    .iter()
                    .flatten()
                    .filter(|q| q.profile == name && Some(q.scope) == scope)
                    .map(|q| q.id.clone())
                    .collect();
                Task::batch([task, self.change_queue(tasks::QueueChange::Flush(ids))])
            }
            _ => task,
        }
    }

    /// Makes `name` the default profile, or no default when `on` is false and
    /// it was; saves the preferences in the background.
    fn set_default_profile(&mut self, editor: u64, name: String, on: bool) -> Task<Message> {
        let previous = self.preferences.default_profile.clone();
        let wanted = if on {
            name.clone()
        } else if previous == name {
            String::new()
        } else {
            return Task::none(); // another profile is the default: nothing to clear
        };
        if wanted == previous {
            return Task::none();
        }
        self.preferences.default_profile = wanted;
        let Some(store) = &self.store else {
            return Task::none();
        };
        let config = store.paths().config.clone();
        Task::perform(
            tasks::save_preferences(config, self.preferences.clone()),
            move |result| Message::DefaultProfileSaved {
                editor,
                name: name.clone(),
                on,
                previous: previous.clone(),
                result,
            },
        )
    }

    pub(super) fn on_default_profile_saved(
        &mut self,
        editor: u64,
        name: String,
        on: bool,
        previous: String,
        result: Result<(), String>,
    ) -> Task<Message> {
        let wanted = if on { name.as_str() } else { "" };
        match result {
            Err(error) => {
                // Not saved: the window shows what is on disk, unless a later
                // choice changed it again.
                if self.preferences.default_profile == wanted {
                    self.preferences.default_profile = previous;
                }
                self.status = Some(Status::Error(error));
            }
            // Told only while the profile that asked is still shown.
            Ok(()) if self.editor().is_some_and(|e| e.id == editor) => {
                self.status = Some(Status::Info(if on {
                    fl!("status-default-set", name = name)
                } else {
                    fl!("status-default-cleared", name = name)
                }));
            }
            Ok(()) => {}
        }
        Task::none()
    }

    pub(super) fn on_msmtp_written(
        &mut self,
        result: Result<(PathBuf, usize), String>,
    ) -> Task<Message> {
        self.status = Some(match result {
            Ok((path, count)) => Status::Info(fl!(
                "cli-msmtprc-written",
                count = count,
                file = path.display().to_string()
            )),
            Err(error) => Status::Error(error),
        });
        Task::none()
    }
}

impl App {
    /// The editor whose Delivery tab is shown, if one is.
    fn delivery_shown(&self) -> Option<u64> {
        match self.page {
            Page::Profile(id) if self.tab == Tab::Delivery => Some(id),
            _ => None,
        }
    }

    /// What a Delivery tab shows beside the profile, read when it is shown
    /// (opened, or its profile shown on it): the machine's sendmail program
    /// (it may have been switched meanwhile) and the queue.
    pub(super) fn on_shown(&mut self) -> Task<Message> {
        let Some(id) = self.delivery_shown() else {
            return Task::none();
        };
        let mta = Task::perform(tasks::detect_mta(), move |found| Message::Mta(id, found));
        Task::batch([mta, self.list_queue()])
    }

    /// Reads the queue on a blocking thread for the Delivery tab shown.
    pub(super) fn list_queue(&mut self) -> Task<Message> {
        let (Some(store), Some(editor)) = (&self.store, self.delivery_shown()) else {
            return Task::none();
        };
        self.queue_asked += 1;
        let asked = self.queue_asked;
        Task::perform(tasks::list_queue(store.paths().clone()), move |result| {
            Message::QueueListed {
                editor,
                asked,
                result,
            }
        })
    }

    /// An answer for a Delivery tab no longer shown is dropped: showing it
    /// again reads anew.
    pub(super) fn on_mta(&mut self, editor: u64, found: crate::core::mta::Found) -> Task<Message> {
        if self.delivery_shown() == Some(editor) {
            self.mta = Some(found);
        }
        Task::none()
    }

    fn change_queue(&mut self, change: tasks::QueueChange) -> Task<Message> {
        let Some(store) = &self.store else {
            return Task::none();
        };
        if self.queue_busy {
            return Task::none();
        }
        self.queue_busy = true;
        Task::perform(
            tasks::change_queue(store.paths().clone(), change),
            Message::QueueChanged,
        )
    }

    pub(super) fn on_queue_listed(
        &mut self,
        editor: u64,
        asked: u64,
        result: Result<Vec<crate::core::queue::Queued>, String>,
    ) -> Task<Message> {
        if self.delivery_shown() != Some(editor) || asked < self.queue_shown {
            return Task::none();
        }
        self.queue_shown = asked;
        match result {
            Ok(queue) => {
                self.queue = Some(queue);
                self.queue_problem = None;
            }
            // The last list stays shown beside the reason.
            Err(problem) => self.queue_problem = Some(problem),
        }
        Task::none()
    }

    pub(super) fn on_queue_changed(&mut self, result: Result<String, String>) -> Task<Message> {
        self.queue_busy = false;
        self.status = Some(match result {
            Ok(done) => Status::Info(done),
            Err(error) => Status::Error(error),
        });
        self.list_queue()
    }
}
