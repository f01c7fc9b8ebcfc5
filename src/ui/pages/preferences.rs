//! Preferences: language (switching live), theme, the timeout new profiles start with.

use iced::widget::{pick_list, text_input};
use iced::{Element, Task};

use crate::core::preferences::{Language, Preferences, ThemeChoice};
use crate::fl;
use crate::ui::widget::form::{self, Labelled, field, labelled};

#[derive(Debug, Clone, Default)]
pub struct State {
    timeout_text: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Language(Language),
    Theme(ThemeChoice),
    DefaultTimeout(String),
}

/// What the app must act on: every change is saved and applied at once.
#[derive(Debug, Clone)]
pub enum Event {
    Changed(Preferences),
}

pub fn language_label(language: Language) -> String {
    match language {
        Language::System => fl!("language-system"),
        // Each language is named in itself, so it can be found whatever is shown now.
        Language::En => "English".to_owned(),
        Language::Ru => "Русский".to_owned(),
    }
}

pub fn theme_label(theme: ThemeChoice) -> String {
    match theme {
        ThemeChoice::System => fl!("theme-system"),
        ThemeChoice::Light => fl!("theme-light"),
        ThemeChoice::Dark => fl!("theme-dark"),
    }
}

impl State {
    pub fn new(preferences: &Preferences) -> Self {
        State {
            timeout_text: preferences.default_timeout_secs.to_string(),
        }
    }

    pub fn update(
        &mut self,
        preferences: &Preferences,
        message: Message,
    ) -> (Task<Message>, Option<Event>) {
        let mut changed = preferences.clone();
        match message {
            Message::Language(language) => changed.language = language,
            Message::Theme(theme) => changed.theme = theme,
            Message::DefaultTimeout(text) => {
                if let Ok(secs @ 1..=300) = text.trim().parse::<u32>() {
                    changed.default_timeout_secs = secs;
                }
                self.timeout_text = text;
            }
        }
        let event = (changed != *preferences).then_some(Event::Changed(changed));
        (Task::none(), event)
    }

    pub fn view<'a>(&'a self, preferences: &Preferences) -> Element<'a, Message> {
        let (languages, language) = labelled(&Language::ALL, preferences.language, language_label);
        let (themes, theme) = labelled(&ThemeChoice::ALL, preferences.theme, theme_label);
        let timeout_ok = matches!(self.timeout_text.trim().parse::<u32>(), Ok(1..=300));
        form::page(vec![
            form::heading(fl!("nav-preferences")),
            field(
                fl!("field-language"),
                pick_list(languages, language, |l: Labelled<Language>| {
                    Message::Language(l.value)
                }),
                None,
            ),
            field(
                fl!("field-theme"),
                pick_list(themes, theme, |t: Labelled<ThemeChoice>| {
                    Message::Theme(t.value)
                }),
                None,
            ),
            field(
                fl!("field-default-timeout"),
                text_input("20", &self.timeout_text)
                    .id("preferences.timeout")
                    .on_input(Message::DefaultTimeout)
                    .padding(6)
                    .width(100),
                (!timeout_ok).then(|| crate::i18n::tr("invalid-timeout")),
            ),
        ])
    }
}
