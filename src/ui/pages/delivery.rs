//! The Delivery method tab: how the profile delivers, who sends (with the
//! extra sender identities and the default-profile choice), its name, logging
//! and limits; then what this computer's `sendmail` is. Edits the profile
//! draft the app passes in; the preference and the msmtp file are the app's
//! (events).

use iced::widget::{checkbox, pick_list, radio, row};
use iced::{Element, Task};

use crate::core::mta::Found;
use crate::core::profile::{Delivery, Issue, LogLevel, Profile};
use crate::fl;
use crate::ui::issues::Issues;
use crate::ui::widget::form::{self, field, labelled};

pub mod machine;
pub mod queue;
pub mod senders;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The daily limit as typed, so a bad entry can be shown rather than lost.
    daily_text: String,
    senders: senders::State,
}

/// What the page shows beside the profile: the user's default profile and
/// what this computer's `sendmail` is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The name of the default profile (empty for none).
    pub default_profile: &'a str,
    /// The name this profile is saved under (`None` while it is not saved).
    pub saved_name: Option<&'a str>,
    pub mta: Option<&'a Found>,
    /// The profile's scope, to tell its queued messages from those of a
    /// profile of the same name in the other scope.
    pub scope: Option<crate::core::store::Scope>,
    /// Every queued message (`None` until the queue was first read).
    pub queue: Option<&'a [crate::core::queue::Queued]>,
    pub queue_problem: Option<&'a str>,
    /// A flush or delete is running.
    pub queue_busy: bool,
}

/// What the app must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Make this profile the default (`true`) or no longer the default.
    DefaultProfile(bool),
    /// Ask where to write an msmtp configuration, then write it.
    WriteMsmtp,
    /// Send this profile's queued messages now.
    Flush,
    /// Remove this message from the queue.
    Delete(crate::core::queue::QueueId),
}

#[derive(Debug, Clone)]
pub enum Message {
    Method(Delivery),
    Name(String),
    Description(String),
    Enabled(bool),
    SenderAddress(String),
    SenderName(String),
    SubjectPrefix(String),
    LogLevel(LogLevel),
    LogFile(String),
    DailyLimit(String),
    Senders(senders::Message),
    DefaultProfile(bool),
    WriteMsmtp,
    Flush,
    Delete(crate::core::queue::QueueId),
}

impl Message {
    /// Whether the message changes the profile (read-only profiles refuse
    /// those) rather than the user's preferences or a file of the machine.
    pub fn edits_profile(&self) -> bool {
        !matches!(
            self,
            Message::DefaultProfile(_) | Message::WriteMsmtp | Message::Flush | Message::Delete(_)
        )
    }
}

pub fn log_level_label(level: LogLevel) -> String {
    match level {
        LogLevel::Full => fl!("log-full"),
        LogLevel::Errors => fl!("log-errors"),
        LogLevel::Off => fl!("log-off"),
    }
}

impl State {
    pub fn from_profile(profile: &Profile) -> Self {
        State {
            daily_text: profile.limits.daily.to_string(),
            senders: senders::State::default(),
        }
    }

    /// Problems of what was typed that the profile itself cannot hold.
    pub fn issues(&self) -> Vec<Issue> {
        match self.daily_text.trim().parse::<u32>() {
            Ok(_) => Vec::new(),
            Err(_) => vec![Issue::new("limits.daily", "invalid-daily")],
        }
    }

    pub fn update(
        &mut self,
        profile: &mut Profile,
        message: Message,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Senders(message) => self.senders.update(profile, message),
            Message::DefaultProfile(on) => return (Task::none(), Some(Event::DefaultProfile(on))),
            Message::WriteMsmtp => return (Task::none(), Some(Event::WriteMsmtp)),
            Message::Flush => return (Task::none(), Some(Event::Flush)),
            Message::Delete(id) => return (Task::none(), Some(Event::Delete(id))),
            Message::Method(method) => profile.delivery = method,
            Message::Name(name) => profile.name = name,
            Message::Description(text) => profile.description = text,
            Message::Enabled(enabled) => profile.enabled = enabled,
            Message::SenderAddress(text) => profile.sender.address = text,
            Message::SenderName(text) => profile.sender.name = text,
            Message::SubjectPrefix(text) => profile.subject_prefix = text,
            Message::LogLevel(level) => profile.log.level = level,
            Message::LogFile(text) => profile.log.file = text,
            Message::DailyLimit(text) => {
                if let Ok(limit) = text.trim().parse() {
                    profile.limits.daily = limit;
                }
                self.daily_text = text;
            }
        }
        (Task::none(), None)
    }

    pub fn view<'a>(
        &'a self,
        profile: &'a Profile,
        issues: &Issues,
        editable: bool,
        context: Context<'a>,
    ) -> Element<'a, Message> {
        let input =
            |id: &'static str, placeholder: String, value: &'a str, on: fn(String) -> Message| {
                form::input(id, &placeholder, value, editable.then_some(on))
            };
        let method = row![
            radio(
                fl!("delivery-sendmail"),
                Delivery::Sendmail,
                Some(profile.delivery),
                Message::Method
            ),
            radio(
                fl!("delivery-smtp"),
                Delivery::Smtp,
                Some(profile.delivery),
                Message::Method
            ),
        ]
        .spacing(24)
        // At 800 px (Russian, or English beside a scrollbar) the two do not
        // fit side by side: the second goes under the first, not off the edge.
        .wrap()
        .vertical_spacing(8);
        let (levels, level) = labelled(
            &[LogLevel::Full, LogLevel::Errors, LogLevel::Off],
            profile.log.level,
            log_level_label,
        );
        let is_default = context
            .saved_name
            .is_some_and(|name| !name.is_empty() && name == context.default_profile);
        let mut default_row = iced::widget::column![
            checkbox(is_default)
                .label(fl!("default-profile-label"))
                // The preference is the user's: a read-only profile can be it too.
                .on_toggle_maybe(
                    context
                        .saved_name
                        .is_some()
                        .then_some(Message::DefaultProfile)
                ),
        ]
        .spacing(4);
        if !is_default && !context.default_profile.is_empty() {
            default_row = default_row.push(form::note(fl!(
                "default-profile-other",
                name = context.default_profile
            )));
        }
        let mine: Option<Vec<&crate::core::queue::Queued>> = context.queue.map(|all| {
            all.iter()
                .filter(|q| {
                    Some(q.profile.as_str()) == context.saved_name && Some(q.scope) == context.scope
                })
                .collect()
        });
        let queue_rows = queue::view(
            mine.as_deref(),
            context.queue_problem,
            context.queue_busy,
            Message::Flush,
            Message::Delete,
        );
        let mut rows = vec![
            form::heading(fl!("tab-delivery")),
            field(fl!("field-delivery"), method, None),
            field(
                fl!("field-sender-address"),
                input(
                    "sender.address",
                    "someone@example.org".into(),
                    &profile.sender.address,
                    Message::SenderAddress,
                ),
                issues.get("sender.address"),
            ),
            field(
                fl!("field-sender-name"),
                input(
                    "sender.name",
                    String::new(),
                    &profile.sender.name,
                    Message::SenderName,
                ),
                issues.get("sender.name"),
            ),
            field(
                fl!("field-subject-prefix"),
                input(
                    "subject_prefix",
                    "[Outbound]".into(),
                    &profile.subject_prefix,
                    Message::SubjectPrefix,
                ),
                issues.get("subject_prefix"),
            ),
            form::heading(fl!("section-senders")),
            field(
                fl!("field-senders"),
                self.senders.view(profile, editable).map(Message::Senders),
                issues.get("senders"),
            ),
            field(fl!("field-default-profile"), default_row, None),
        ];
        // The queue next to who sends, where the page opens.
        rows.extend(queue_rows);
        rows.extend(vec![
            form::heading(fl!("section-profile")),
            field(
                fl!("field-name"),
                input("name", "office_relay".into(), &profile.name, Message::Name),
                issues.get("name"),
            ),
            field(
                fl!("field-description"),
                input(
                    "description",
                    String::new(),
                    &profile.description,
                    Message::Description,
                ),
                None,
            ),
            field(
                fl!("field-enabled"),
                checkbox(profile.enabled)
                    .label(fl!("field-enabled-label"))
                    .on_toggle_maybe(editable.then_some(Message::Enabled)),
                None,
            ),
            form::heading(fl!("section-log")),
            field(
                fl!("field-log-level"),
                pick_list(levels, level, |l: form::Labelled<LogLevel>| {
                    Message::LogLevel(l.value)
                }),
                None,
            ),
            field(
                fl!("field-log-file"),
                input(
                    "log.file",
                    fl!("field-log-file-default"),
                    &profile.log.file,
                    Message::LogFile,
                ),
                None,
            ),
            field(
                fl!("field-daily-limit"),
                input(
                    "limits.daily",
                    "0".into(),
                    &self.daily_text,
                    Message::DailyLimit,
                ),
                issues.get("limits.daily"),
            ),
        ]);
        rows.extend(machine::view(context.mta, Message::WriteMsmtp));
        form::page(rows)
    }
}
