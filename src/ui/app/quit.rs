//! Quitting (Ctrl+Q or the window's close button) with unsaved changes: the
//! window asks Save / Discard / Cancel, naming the profiles, as desktop
//! editors do. Save writes every unsaved profile and quits once all are saved;
//! a save that fails keeps the window open and says why.

use iced::Task;

use super::{App, Message, Status};
use crate::fl;

/// The answer to "save the unsaved profiles before quitting?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitChoice {
    Save,
    Discard,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Quitting {
    /// The question is shown.
    Asking,
    /// Save was chosen: these editors' saves are awaited; what failed so far.
    Saving {
        waiting: Vec<u64>,
        failures: Vec<String>,
    },
}

impl App {
    /// The editors whose changes quitting would lose.
    fn unsaved(&self) -> Vec<u64> {
        self.editors
            .iter()
            .filter(|e| e.is_editable() && e.has_changes())
            .map(|e| e.id)
            .collect()
    }

    /// The names of the unsaved profiles, as their editors show them.
    pub(super) fn unsaved_names(&self) -> Vec<String> {
        self.editors
            .iter()
            .filter(|e| e.is_editable() && e.has_changes())
            .map(|e| e.draft.name.clone())
            .collect()
    }

    pub(super) fn quit_question(&self) -> Option<&Quitting> {
        self.quitting.as_ref()
    }

    pub(super) fn on_quit(&mut self) -> Task<Message> {
        if self.unsaved().is_empty() {
            return iced::exit();
        }
        if self.quitting.is_none() {
            self.quitting = Some(Quitting::Asking);
        }
        Task::none()
    }

    pub(super) fn on_quit_choice(&mut self, choice: QuitChoice) -> Task<Message> {
        if self.quitting != Some(Quitting::Asking) {
            return Task::none();
        }
        match choice {
            QuitChoice::Discard => iced::exit(),
            QuitChoice::Cancel => {
                self.quitting = None;
                Task::none()
            }
            QuitChoice::Save => self.save_all_and_quit(),
        }
    }

    fn save_all_and_quit(&mut self) -> Task<Message> {
        let unsaved = self.unsaved();
        // Nothing is written unless everything can be: the first invalid field is shown.
        for id in &unsaved {
            if let Some(refusal) = self.refuse_invalid(*id) {
                self.quitting = None;
                return refusal;
            }
        }
        let saves: Vec<Task<Message>> = unsaved
            .iter()
            .filter_map(|id| self.start_save(*id))
            .collect();
        // A save started before is awaited as well.
        let waiting: Vec<u64> = unsaved
            .into_iter()
            .filter(|id| self.editor_by_id(*id).is_some_and(|e| e.saving))
            .collect();
        if waiting.is_empty() {
            return iced::exit();
        }
        self.quitting = Some(Quitting::Saving {
            waiting,
            failures: Vec::new(),
        });
        Task::batch(saves)
    }

    /// After a save (or a delete) of editor `id` ends; `failure` names the
    /// profile and says why it is not saved whole. When the last awaited save
    /// is done: quits if nothing is unsaved any more, else stays open and says
    /// what failed (after the other saves' own status lines).
    pub(super) fn quit_after_save(
        &mut self,
        id: u64,
        failure: Option<(String, String)>,
    ) -> Task<Message> {
        let Some(Quitting::Saving { waiting, failures }) = &mut self.quitting else {
            return Task::none();
        };
        if let Some((name, reason)) = failure {
            failures.push(fl!("quit-save-failed", name = name, reason = reason));
        }
        waiting.retain(|w| *w != id);
        if !waiting.is_empty() {
            return Task::none();
        }
        let failures = std::mem::take(failures);
        self.quitting = None;
        if !failures.is_empty() {
            self.status = Some(Status::Error(failures.join(" ")));
            Task::none()
        } else if self.unsaved().is_empty() {
            iced::exit()
        } else {
            Task::none()
        }
    }
}
