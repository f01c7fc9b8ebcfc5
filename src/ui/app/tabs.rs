//! Routing to the opened profile's tabs: Delivery, SMTP (with Detect),
//! Sendmail and Check. Input comes from the profile shown; answers of the
//! tabs' tasks carry their editor's id and go to that editor, shown or not.

use iced::Task;

use super::files::pick;
use super::{App, Editor, Message, Purpose, Tab};
use crate::core::check::saved;
use crate::ui::pages::{check, incoming, sendmail, smtp};
use crate::ui::tasks;

impl App {
    /// Applies an edit to the opened profile; system profiles are read-only.
    pub(super) fn edit(
        &mut self,
        apply: impl FnOnce(&mut Editor) -> Task<Message>,
    ) -> Task<Message> {
        match self.editor_mut() {
            Some(editor) if editor.is_editable() => apply(editor),
            _ => Task::none(),
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
            (Some(smtp::Event::SignIn), _) => {
                let id = editor.id;
                Task::batch([task, self.start_sign_in(id)])
            }
            (Some(smtp::Event::SignOut), _) => {
                let id = editor.id;
                Task::batch([task, self.start_sign_out(id)])
            }
            _ => task,
        }
    }

    pub(super) fn on_detected(
        &mut self,
        id: u64,
        result: Box<Result<tasks::Detected, String>>,
    ) -> Task<Message> {
        if let Some(editor) = self.editor_by_id_mut(id) {
            let _ = editor
                .smtp
                .update(&mut editor.draft, smtp::Message::Detected(result));
        }
        Task::none()
    }

    pub(super) fn on_sendmail(&mut self, id: u64, message: sendmail::Message) -> Task<Message> {
        let Some(editor) = self.editor_by_id_mut(id) else {
            return Task::none();
        };
        // What was found at the path is shown for read-only profiles too.
        if !editor.is_editable() && !matches!(message, sendmail::Message::Located(..)) {
            return Task::none();
        }
        editor
            .sendmail
            .update(&mut editor.draft, message)
            .map(move |message| Message::Sendmail(id, message))
    }

    pub(super) fn on_check(&mut self, id: u64, message: check::Message) -> Task<Message> {
        let store = self.store.as_ref();
        let extra_roots = &self.extra_roots;
        let Some(editor) = self.editors.iter_mut().find(|e| e.id == id) else {
            return Task::none();
        };
        // Built only when the page starts a check, not for every step it shows.
        let (smtp, saved, scope) = (&editor.smtp, &editor.saved, editor.scope);
        let (incoming, draft) = (&editor.incoming, &editor.draft);
        let imap_password = incoming.password_for(draft, smtp.password_for_check());
        let context = || check::Context {
            paths: store.map(|s| s.paths().clone()),
            password: smtp.password_for_check(),
            saved: saved.clone().map(|saved| (scope, saved)),
            imap_password,
            extra_roots: extra_roots.clone(),
        };
        let (task, event) = editor.check.update(&mut editor.draft, message, context);
        let task = task.map(move |message| Message::Check(id, message));
        match event {
            Some(check::Event::Applied) => {
                editor.smtp.sync_numbers(&editor.draft);
                task
            }
            // The sign-in's countdown and Cancel are on the SMTP tab.
            Some(check::Event::SignIn) => {
                editor.smtp.sync_numbers(&editor.draft);
                self.tab = Tab::Smtp;
                Task::batch([task, self.start_sign_in(id)])
            }
            Some(check::Event::SaveLog(text)) => Task::batch([task, pick(Purpose::SaveLog(text))]),
            None => task,
        }
    }

    pub(super) fn on_incoming(&mut self, id: u64, message: incoming::Message) -> Task<Message> {
        let (store, extra_roots) = (self.store.as_ref(), &self.extra_roots);
        let Some(editor) = self.editors.iter_mut().find(|e| e.id == id) else {
            return Task::none();
        };
        // A check's answers reach read-only profiles too; edits do not.
        let answer = matches!(
            message,
            incoming::Message::Step(..) | incoming::Message::Finished(..)
        );
        if !editor.is_editable() && !answer && !matches!(message, incoming::Message::Check) {
            return Task::none();
        }
        // Built only when the page starts a check, not for every step it shows.
        let (smtp, saved, scope) = (&editor.smtp, &editor.saved, editor.scope);
        let context = || incoming::Context {
            smtp_password: smtp.password_for_check(),
            account: saved::Account::of(store.map(|s| s.paths()), scope, saved.as_ref()),
            extra_roots: extra_roots.clone(),
        };
        editor
            .incoming
            .update(&mut editor.draft, message, context)
            .map(move |message| Message::Incoming(id, message))
    }

    pub(super) fn on_tab(&mut self, tab: Tab) -> Task<Message> {
        self.tab = tab;
        match (tab, self.editor()) {
            // What program is behind the path is looked at each time the tab opens.
            (Tab::Sendmail, Some(editor)) => {
                let id = editor.id;
                editor
                    .sendmail
                    .locate(&editor.draft.sendmail.path)
                    .map(move |message| Message::Sendmail(id, message))
            }
            (Tab::Delivery, Some(_)) => self.on_shown(),
            _ => Task::none(),
        }
    }
}
