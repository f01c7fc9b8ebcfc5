//! The SMTP tab's OAuth 2.0 sign-in (issue 13): whether the profile holds
//! tokens, and Sign in (the browser flow, with a countdown and Cancel while it
//! waits) and Sign out. The effects are the app's (`ui::app::oauth`); this is
//! what the tab shows of them.

use iced::Element;
use iced::widget::{button, column, row, text};

use crate::fl;
use crate::ui::widget::form;

/// How long the window's sign-in waits for the browser's redirect.
pub const WAIT_SECS: u64 = crate::core::oauth::BROWSER_WAIT_SECS;

/// Whether the keyring holds tokens for the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Out,
    /// Signed in; the access token's expiry in seconds since the Unix epoch.
    In {
        expires_at: Option<u64>,
    },
}

#[derive(Debug, Clone)]
struct Waiting {
    seconds_left: u64,
    /// The authorization URL, once known, and why the browser did not open
    /// it (then the person opens it by hand).
    url: Option<(String, Option<String>)>,
    /// Aborting the sign-in drops its future, which closes the loopback
    /// listener; so does dropping this (the editor closed).
    handle: iced::task::Handle,
}

#[derive(Debug, Clone, Default)]
pub struct SignIn {
    /// `None` until the keyring answered.
    pub held: Option<Held>,
    waiting: Option<Waiting>,
    problem: Option<String>,
}

impl SignIn {
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// A sign-in started: its task's handle, so Cancel can stop it.
    pub fn start(&mut self, handle: iced::task::Handle) {
        self.problem = None;
        self.waiting = Some(Waiting {
            seconds_left: WAIT_SECS,
            url: None,
            handle: handle.abort_on_drop(),
        });
    }

    pub fn cancel(&mut self) {
        if let Some(waiting) = self.waiting.take() {
            waiting.handle.abort();
        }
    }

    /// The sign-in's authorization URL is known; `failure` says why the
    /// browser did not open it.
    pub fn announce(&mut self, url: String, failure: Option<String>) {
        if let Some(waiting) = &mut self.waiting {
            waiting.url = Some((url, failure));
        }
    }

    /// The authorization URL of the sign-in waiting, once known.
    pub fn announced_url(&self) -> Option<&str> {
        let waiting = self.waiting.as_ref()?;
        waiting.url.as_ref().map(|(url, _)| url.as_str())
    }

    /// One second of the wait went by.
    pub fn tick(&mut self) {
        if let Some(waiting) = &mut self.waiting {
            waiting.seconds_left = waiting.seconds_left.saturating_sub(1);
        }
    }

    /// The keyring's answer (after asking, a sign-in or a sign-out).
    pub fn answer(&mut self, result: Result<Held, String>, ends_wait: bool) {
        if ends_wait {
            self.waiting = None;
        }
        match result {
            Ok(held) => {
                self.held = Some(held);
                self.problem = None;
            }
            Err(reason) => self.problem = Some(reason),
        }
    }

    pub fn view<'a, M: Clone + 'a>(
        &'a self,
        account: &str,
        editable: bool,
        sign_in: M,
        sign_out: M,
        cancel: M,
        copy_url: fn(String) -> M,
    ) -> Element<'a, M> {
        let state = match self.held {
            Some(Held::In { expires_at }) => {
                let until = expires_at.map_or_else(|| fl!("oauth-no-expiry"), utc_time);
                fl!(
                    "oauth-signed-in",
                    account = account.to_owned(),
                    until = until
                )
            }
            Some(Held::Out) => fl!("oauth-signed-out"),
            None => fl!("oauth-state-unknown"),
        };
        let mut column = column![form::note(state)].spacing(6);
        if let Some(waiting) = &self.waiting {
            column = column.push(
                row![
                    text(fl!(
                        "oauth-waiting",
                        seconds = waiting.seconds_left.to_string()
                    )),
                    button(text(fl!("oauth-cancel")))
                        .style(button::secondary)
                        .on_press(cancel),
                ]
                .spacing(8),
            );
            // No browser (a server over SSH, a broken default): the address
            // to open elsewhere, and a way to copy it.
            if let Some((url, failure)) = &waiting.url {
                if let Some(failure) = failure {
                    column = column.push(form::warning_text(fl!(
                        "oauth-no-browser",
                        reason = failure.clone()
                    )));
                    column = column.push(text(url.clone()).size(12));
                }
                column = column.push(
                    button(text(fl!("oauth-copy-url")))
                        .style(button::secondary)
                        .on_press(copy_url(url.clone())),
                );
            }
        } else {
            let signed_in = matches!(self.held, Some(Held::In { .. }));
            column = column.push(
                row![
                    button(text(fl!("oauth-sign-in"))).on_press_maybe(editable.then_some(sign_in)),
                    button(text(fl!("oauth-sign-out")))
                        .style(button::secondary)
                        .on_press_maybe((editable && signed_in).then_some(sign_out)),
                ]
                .spacing(8),
            );
        }
        if let Some(problem) = &self.problem {
            column = column.push(form::error_text(problem.clone()));
        }
        column.into()
    }
}

/// `2026-12-03 09:15 UTC`.
fn utc_time(seconds: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    i64::try_from(seconds)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}
