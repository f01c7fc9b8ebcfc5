//! Routing to the Bulk check page: its file dialogs (the list to read, the
//! report to write) and what a run needs (the saved profiles, the paths).

use iced::{Element, Task};

use super::files::pick;
use super::{App, Message, Purpose};
use crate::ui::pages::bulk;

impl App {
    pub(super) fn on_bulk(&mut self, message: bulk::Message) -> Task<Message> {
        let paths = self.store.as_ref().map(|s| s.paths().clone());
        let profiles = self.sidebar.rows().iter().map(|r| r.profile.clone());
        let context = || bulk::Context {
            paths,
            profiles: profiles.collect(),
        };
        let (task, event) = self.bulk.update(message, context);
        let task = task.map(Message::Bulk);
        let dialog = match event {
            None => return task,
            Some(bulk::Event::PickList) => pick(Purpose::BulkList),
            Some(bulk::Event::PickReport) => pick(Purpose::BulkReport),
        };
        Task::batch([task, dialog])
    }

    pub(super) fn bulk_view(&self) -> Element<'_, Message> {
        let names: Vec<String> = self
            .sidebar
            .rows()
            .iter()
            .map(|r| r.profile.name.clone())
            .collect();
        self.bulk.view(&names).map(Message::Bulk)
    }
}
