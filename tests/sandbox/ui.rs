//! Driving the window's real `update`/`view` in tests: tasks run to their end as
//! the runtime would run them, and the simulator acts on the current view.
#![allow(dead_code)]

use iced::Task;
use iced_test::core::event;
use iced_test::runtime::{Action, task::into_stream};
use iced_test::selector::{Bounded, Selector};
use iced_test::{Simulator, simulator};
use outbound::ui::app::{App, Message};

/// Runs a task to its end, feeding every message it produces back into the app.
/// Returns whether anything asked the application to exit.
pub async fn settle(app: &mut App, task: Task<Message>) -> bool {
    use iced_test::futures::futures::StreamExt;
    let mut exited = false;
    let mut queue = vec![task];
    while let Some(task) = queue.pop() {
        let Some(mut stream) = into_stream(task) else {
            continue;
        };
        while let Some(action) = stream.next().await {
            match action {
                Action::Output(message) => queue.push(app.update(message)),
                Action::Exit => exited = true,
                _ => {}
            }
        }
    }
    exited
}

/// Sends a message and runs what it starts to the end; whether the app exited.
pub async fn send(app: &mut App, message: Message) -> bool {
    let task = app.update(message);
    settle(app, task).await
}

/// Lets the simulator act on the current view, then applies what it produced.
/// Returns whether the application asked to exit.
pub async fn interact(app: &mut App, act: impl FnOnce(&mut Simulator<'_, Message>)) -> bool {
    let tasks = press(app, act);
    settle(app, tasks).await
}

/// Like `interact`, but the tasks the messages start are handed back, not run:
/// the test decides when their answers arrive (a slow keyring, a slow disk).
pub fn press(app: &mut App, act: impl FnOnce(&mut Simulator<'_, Message>)) -> Task<Message> {
    let messages: Vec<Message> = {
        let mut ui = simulator(app.view());
        act(&mut ui);
        ui.into_messages().collect()
    };
    Task::batch(messages.into_iter().map(|message| app.update(message)))
}

/// Clicks what `target` selects. The test fails, naming the target, when
/// nothing matches, when it is not visible, or when nothing takes the click
/// (plain text, a disabled button).
#[track_caller]
pub fn click<S>(ui: &mut Simulator<'_, Message>, target: S)
where
    S: Selector + Send,
    S::Output: Bounded + Clone + Send + Sync + 'static,
{
    let description = target.description();
    let found = ui
        .find(target)
        .unwrap_or_else(|error| panic!("nothing to click at {description}: {error}"));
    let Some(bounds) = found.visible_bounds() else {
        panic!("{description} is not visible, so it cannot be clicked");
    };
    ui.point_at(bounds.center());
    let statuses = ui.simulate(simulator::click());
    assert!(
        statuses.contains(&event::Status::Captured),
        "{description} did not take the click (not a control, or disabled)"
    );
}

pub fn shows(app: &App, text: &str) -> bool {
    simulator(app.view()).find(text).is_ok()
}
