//! Providers & domains: the bundled and the user's providers, searchable; an
//! editor for one provider (servers, login format, authentication, domains);
//! import and export of Thunderbird autoconfig files; reset to bundled; and the
//! refusal, naming the profiles, to delete a provider in use.
//!
//! The directory is read again after every change (an import, a save of
//! another provider); an open draft with unsaved changes is kept across those
//! reloads, and says so when its provider changed or vanished underneath.

use iced::widget::{Column, button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Task};

use crate::core::directory::{Auth, Entry, Login, Origin, Provider, Server};
use crate::core::profile::Security;
use crate::fl;
use crate::ui::widget::form::{self, field};
use crate::ui::widget::server;

mod draft;

use draft::{Conflict, Draft, edit};

#[derive(Debug, Default)]
pub struct State {
    entries: Vec<Entry>,
    /// The user's file could not be read: the bundled directory is shown alone.
    problem: Option<String>,
    search: String,
    /// The provider being edited, and whether it is new.
    draft: Option<Draft>,
    status: Option<Result<String, String>>,
    /// The provider last sent to be saved, until its answer arrives.
    saving: Option<Provider>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    Password,
    PasswordEncrypted,
    Ntlm,
    Gssapi,
    Oauth2,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Vec<Entry>, Option<String>),
    Search(String),
    Select(String),
    New,
    Id(String),
    Name(String),
    SmtpHost(String),
    SmtpPort(String),
    SmtpSecurity(Security),
    ImapHost(String),
    ImapPort(String),
    ImapSecurity(Security),
    Login(Login),
    Auth(AuthKind),
    ClientId(String),
    AuthUrl(String),
    TokenUrl(String),
    DeviceUrl(String),
    Tenant(String),
    Scopes(String),
    NewDomain(String),
    AddDomain,
    RemoveDomain(String),
    Save,
    Delete,
    Reset,
    Import,
    Export,
    /// The result of a change, with a message for the user.
    Done(Result<String, String>),
}

/// What the app must act on: the effects, which need the paths and dialogs.
#[derive(Debug, Clone)]
pub enum Event {
    Save(Box<Provider>),
    Delete(String),
    Reset(String),
    Import,
    Export(Box<Provider>),
}

fn login_label(login: Login) -> String {
    match login {
        Login::Email => fl!("login-email"),
        Login::LocalPart => fl!("login-local-part"),
        Login::Manual => fl!("login-manual"),
    }
}

fn auth_label(kind: AuthKind) -> String {
    match kind {
        AuthKind::Password => fl!("provider-auth-password"),
        AuthKind::PasswordEncrypted => fl!("provider-auth-encrypted"),
        AuthKind::Ntlm => fl!("auth-ntlm"),
        AuthKind::Gssapi => fl!("auth-gssapi"),
        AuthKind::Oauth2 => "OAuth 2.0".to_owned(),
    }
}

fn origin_label(origin: Origin) -> String {
    match origin {
        Origin::Bundled => fl!("directory-origin-bundled"),
        Origin::User => fl!("directory-origin-user"),
        Origin::Override => fl!("directory-origin-override"),
    }
}

impl State {
    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        if let Some(event) = self.act(&message) {
            return (Task::none(), Some(event));
        }
        match message {
            Message::Loaded(entries, problem) => {
                self.entries = entries;
                self.problem = problem;
                if let Some(draft) = self.draft.take() {
                    let stored = self
                        .entries
                        .iter()
                        .find(|e| e.provider.id == draft.provider.id);
                    self.draft = draft.follow(stored);
                }
            }
            Message::Search(text) => self.search = text,
            Message::Select(id) => {
                self.status = None;
                self.draft = self
                    .entries
                    .iter()
                    .find(|e| e.provider.id == id)
                    .map(|e| Draft::of(e.provider.clone(), Some(e.origin)));
            }
            Message::New => {
                self.status = None;
                let provider = Provider {
                    id: String::new(),
                    name: String::new(),
                    login: Login::Email,
                    domains: Vec::new(),
                    mx_suffixes: Vec::new(),
                    notes: Vec::new(),
                    smtp: Server {
                        host: String::new(),
                        port: 465,
                        security: Security::Tls,
                    },
                    smtp_alternatives: Vec::new(),
                    imap: None,
                    auth: Auth::Password,
                };
                self.draft = Some(Draft::of(provider, None));
            }
            Message::Done(result) => {
                // A saved draft has no unsaved changes from then on.
                if let (Ok(_), Some(saved)) = (&result, self.saving.take())
                    && let Some(draft) = &mut self.draft
                    && draft.provider.id == saved.id
                {
                    draft.base = saved;
                    draft.origin = draft.origin.or(Some(Origin::User));
                    draft.conflict = None;
                }
                self.status = Some(result);
            }
            other => {
                if let Some(draft) = &mut self.draft {
                    edit(draft, other);
                }
            }
        }
        (Task::none(), None)
    }

    /// The messages that leave the page as events.
    fn act(&mut self, message: &Message) -> Option<Event> {
        let draft = self.draft.as_ref();
        match message {
            Message::Save => match draft.map(Draft::provider) {
                Some(Ok(provider)) => {
                    self.saving = Some(provider.clone());
                    Some(Event::Save(Box::new(provider)))
                }
                Some(Err(problem)) => {
                    self.status = Some(Err(problem));
                    None
                }
                None => None,
            },
            Message::Delete => draft.map(|d| Event::Delete(d.provider.id.clone())),
            Message::Reset => draft.map(|d| Event::Reset(d.provider.id.clone())),
            Message::Import => Some(Event::Import),
            Message::Export => draft
                .and_then(|d| d.provider().ok())
                .map(|p| Event::Export(Box::new(p))),
            _ => None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        // Beside the list the editor's fields need some 300 px: a narrower page
        // (the window at 800 px) puts the list above the editor instead.
        iced::widget::responsive(move |size| self.layout(size.width < 600.0)).into()
    }

    fn layout(&self, narrow: bool) -> Element<'_, Message> {
        let needle = self.search.trim().to_lowercase();
        let mut list = Column::new().spacing(2);
        for entry in &self.entries {
            let p = &entry.provider;
            let matches = needle.is_empty()
                || p.name.to_lowercase().contains(&needle)
                || p.id.contains(&needle)
                || p.domains.iter().any(|d| d.contains(&needle));
            if !matches {
                continue;
            }
            let selected = self.draft.as_ref().is_some_and(|d| d.provider.id == p.id);
            let label = format!("{}  ({})", p.name, origin_label(entry.origin));
            list = list.push(
                button(text(label))
                    .width(Length::Fill)
                    .style(if selected {
                        button::primary
                    } else {
                        button::text
                    })
                    .on_press(Message::Select(p.id.clone())),
            );
        }
        let mut left = column![
            text_input(&fl!("directory-search"), &self.search)
                .id("directory.search")
                .on_input(Message::Search)
                .padding(6),
        ]
        .spacing(8)
        .width(if narrow {
            Length::Fill
        } else {
            Length::Fixed(300.0)
        });
        if let Some(problem) = &self.problem {
            left = left.push(form::error_text(problem.clone()));
        }
        left = left.push(scrollable(list).height(Length::Fill));
        left = left.push(
            row![
                button(text(fl!("action-new"))).on_press(Message::New),
                button(text(fl!("directory-import")))
                    .style(button::secondary)
                    .on_press(Message::Import),
            ]
            .spacing(6),
        );
        let right: Element<'_, Message> = match &self.draft {
            Some(draft) => scrollable(self.editor(draft))
                .width(Length::Fill)
                .height(Length::Fill)
                .into(),
            // What a change said stays shown when it closed the draft (a delete).
            // On a card of its own: the software renderer repaints only what
            // changed since the last frame, and a bare sentence where another
            // page had other text was drawn cut; the card's own background
            // makes its whole area new.
            None => container(
                container(
                    column![form::note(fl!("directory-choose")), self.status_view()]
                        .spacing(8)
                        .width(Length::Fill),
                )
                .padding(16)
                .width(Length::Fill)
                .style(container::bordered_box),
            )
            .padding(20)
            .width(Length::Fill)
            .into(),
        };
        if narrow {
            column![container(left).padding(12).height(220), right].into()
        } else {
            row![container(left).padding(12), right].into()
        }
    }

    fn editor<'a>(&'a self, draft: &'a Draft) -> Element<'a, Message> {
        let p = &draft.provider;
        let input = |id: &'static str, value: &'a str, on: fn(String) -> Message| {
            form::input(id, "", value, Some(on))
        };
        let logins = [Login::Email, Login::LocalPart, Login::Manual];
        let kinds = [
            AuthKind::Password,
            AuthKind::PasswordEncrypted,
            AuthKind::Ntlm,
            AuthKind::Gssapi,
            AuthKind::Oauth2,
        ];
        let id_field: Element<'a, Message> = if draft.origin.is_none() {
            input("provider.id", &p.id, Message::Id).into()
        } else {
            text(p.id.clone()).into()
        };
        let mut rows = vec![
            form::heading(if p.name.is_empty() {
                fl!("directory-new")
            } else {
                p.name.clone()
            }),
            field(fl!("provider-id"), id_field, None),
            field(
                fl!("provider-name"),
                input("provider.name", &p.name, Message::Name),
                None,
            ),
            field(
                fl!("provider-smtp"),
                input("provider.smtp.host", &p.smtp.host, Message::SmtpHost),
                None,
            ),
            field(
                fl!("field-port"),
                row![
                    input("provider.smtp.port", &draft.smtp_port, Message::SmtpPort).width(100),
                    server::security_picker(p.smtp.security, Message::SmtpSecurity),
                ]
                .spacing(8),
                None,
            ),
            field(
                fl!("provider-imap"),
                input("provider.imap.host", &draft.imap_host, Message::ImapHost),
                None,
            ),
            field(
                fl!("field-port"),
                row![
                    input("provider.imap.port", &draft.imap_port, Message::ImapPort).width(100),
                    server::security_picker(draft.imap_security, Message::ImapSecurity),
                ]
                .spacing(8),
                None,
            ),
            field(
                fl!("provider-login"),
                form::picker(&logins, p.login, login_label, Message::Login),
                None,
            ),
            field(
                fl!("field-auth"),
                form::picker(&kinds, draft.auth_kind(), auth_label, Message::Auth),
                None,
            ),
        ];
        if let Auth::Oauth2 {
            client_id,
            auth_url,
            token_url,
            device_url,
            tenant,
            ..
        } = &p.auth
        {
            // What the administrator registers with the provider: Outbound
            // ships no client id (a public one may not be copied).
            rows.push(form::note(fl!("provider-oauth-register")));
            rows.push(field(
                fl!("provider-client-id"),
                input("provider.client_id", client_id, Message::ClientId),
                None,
            ));
            rows.push(field(
                fl!("provider-auth-url"),
                input("provider.auth_url", auth_url, Message::AuthUrl),
                None,
            ));
            rows.push(field(
                fl!("provider-token-url"),
                input("provider.token_url", token_url, Message::TokenUrl),
                None,
            ));
            rows.push(field(
                fl!("provider-device-url"),
                input("provider.device_url", device_url, Message::DeviceUrl),
                None,
            ));
            rows.push(field(
                fl!("provider-tenant"),
                input("provider.tenant", tenant, Message::Tenant),
                None,
            ));
            rows.push(field(
                fl!("provider-scopes"),
                input("provider.scopes", &draft.scopes, Message::Scopes),
                None,
            ));
        }
        let mut domains = Column::new().spacing(4);
        for domain in &p.domains {
            domains = domains.push(
                row![
                    text(domain.clone()).width(Length::Fill),
                    button(text("✕"))
                        .style(button::text)
                        .on_press(Message::RemoveDomain(domain.clone())),
                ]
                .spacing(8),
            );
        }
        domains = domains.push(
            row![
                text_input("example.org", &draft.new_domain)
                    .id("provider.new_domain")
                    .on_input(Message::NewDomain)
                    .on_submit(Message::AddDomain)
                    .padding(6),
                button(text(fl!("directory-add-domain"))).on_press(Message::AddDomain),
            ]
            .spacing(8),
        );
        rows.push(field(fl!("provider-domains"), domains, None));
        for note in &p.notes {
            rows.push(form::note(note.clone()));
        }
        let mut actions = row![button(text(fl!("save"))).on_press(Message::Save)].spacing(8);
        if let Some(origin) = draft.origin {
            actions = actions.push(
                button(text(fl!("directory-export")))
                    .style(button::secondary)
                    .on_press(Message::Export),
            );
            if origin == Origin::Override {
                actions = actions.push(
                    button(text(fl!("directory-reset")))
                        .style(button::secondary)
                        .on_press(Message::Reset),
                );
            }
            actions = actions.push(
                button(text(fl!("action-delete")))
                    .style(button::danger)
                    .on_press(Message::Delete),
            );
        }
        rows.push(actions.into());
        match draft.conflict {
            Some(Conflict::Changed) => {
                rows.push(form::warning_text(fl!("directory-draft-changed")))
            }
            Some(Conflict::Vanished) => {
                rows.push(form::warning_text(fl!("directory-draft-vanished")))
            }
            None => {}
        }
        rows.push(self.status_view());
        form::page(rows)
    }

    fn status_view(&self) -> Element<'_, Message> {
        match &self.status {
            Some(Ok(message)) => form::note(message.clone()),
            Some(Err(message)) => form::error_text(message.clone()),
            None => column![].into(),
        }
    }
}
