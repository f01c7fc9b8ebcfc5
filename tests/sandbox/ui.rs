//! Driving the window's real `update`/`view` in tests: tasks run to their end as
//! the runtime would run them, and the simulator acts on the current view.
#![allow(dead_code)]

use iced::Task;
use iced_test::runtime::{Action, task::into_stream};
use iced_test::simulator;
use outbound::ui::app::{App, Message};

/// Runs a task to its end, feeding every message it produces back into the app.
pub async fn settle(app: &mut App, task: Task<Message>) {
    use iced_test::futures::futures::StreamExt;
    let mut queue = vec![task];
    while let Some(task) = queue.pop() {
        let Some(mut stream) = into_stream(task) else {
            continue;
        };
        while let Some(action) = stream.next().await {
            if let Action::Output(message) = action {
                queue.push(app.update(message));
            }
        }
    }
}

pub async fn send(app: &mut App, message: Message) {
    let task = app.update(message);
    settle(app, task).await;
}

/// Lets the simulator act on the current view, then applies what it produced.
pub async fn interact(app: &mut App, act: impl FnOnce(&mut iced_test::Simulator<'_, Message>)) {
    let messages: Vec<Message> = {
        let mut ui = simulator(app.view());
        act(&mut ui);
        ui.into_messages().collect()
    };
    for message in messages {
        send(app, message).await;
    }
}

pub fn shows(app: &App, text: &str) -> bool {
    simulator(app.view()).find(text).is_ok()
}
