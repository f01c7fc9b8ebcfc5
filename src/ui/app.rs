//! The application: routes messages down to pages and acts on their events.

use iced::keyboard::{self, Key};
use iced::{Element, Subscription, Task};

use crate::core::store::{Paths, Store};
use crate::fl;
use crate::ui::pages::profiles;

#[derive(Debug)]
pub struct App {
    profiles: profiles::State,
}

#[derive(Debug, Clone)]
pub enum Message {
    Profiles(profiles::Message),
    /// Ctrl+Q, as desktop applications close.
    Quit,
}

impl App {
    /// Starts with an empty window and loads the profiles in the background.
    pub fn new() -> (Self, Task<Message>) {
        let store = Paths::from_environment().map(Store::new);
        let (profiles, task) = profiles::State::new(store);
        (App { profiles }, task.map(Message::Profiles))
    }

    pub fn title(&self) -> String {
        fl!("app-title")
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Quit => iced::exit(),
            Message::Profiles(message) => {
                let (task, event) = self.profiles.update(message);
                match event {
                    // Selection is shown by the page itself until the editor pages land.
                    Some(profiles::Event::Selected(_)) | None => {}
                }
                task.map(Message::Profiles)
            }
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        keyboard::listen().filter_map(|event| match event {
            keyboard::Event::KeyPressed {
                key: Key::Character(c),
                modifiers,
                ..
            } if modifiers.command() && c.as_str() == "q" => Some(Message::Quit),
            _ => None,
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        self.profiles.view().map(Message::Profiles)
    }
}
