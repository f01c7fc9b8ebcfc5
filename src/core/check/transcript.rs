//! The transcript of a check: what the client sent, what the server answered and
//! what happened in between, each line with the milliseconds since the start.
//!
//! Secrets never enter it: the SMTP layer records `AUTH` payloads as
//! [`REDACTED`] before anything is written to the wire, so a transcript can be
//! shown, copied and logged as it is.

use std::time::Instant;

use serde::Serialize;

/// What the client sent in place of a secret.
pub use crate::core::secret::REDACTED;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Client,
    Server,
    Info,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Client => "client",
            Direction::Server => "server",
            Direction::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub direction: Direction,
    pub elapsed_ms: u64,
    pub text: String,
}

/// Lines in the order they happened, timed from one start.
#[derive(Debug, Clone)]
pub struct Transcript {
    started: Instant,
    lines: Vec<Line>,
}

/// A server that floods the transcript must not grow it without bound.
const MAX_LINES: usize = 2000;

impl Transcript {
    pub fn new(started: Instant) -> Self {
        Transcript {
            started,
            lines: Vec::new(),
        }
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    pub fn elapsed_ms(&self) -> u64 {
        self.started
            .elapsed()
            .as_millis()
            .try_into()
            .unwrap_or(u64::MAX)
    }

    pub fn push(&mut self, direction: Direction, text: impl Into<String>) {
        if self.lines.len() >= MAX_LINES {
            return;
        }
        let elapsed_ms = self.elapsed_ms();
        self.lines.push(Line {
            direction,
            elapsed_ms,
            text: text.into(),
        });
    }

    pub fn client(&mut self, text: impl Into<String>) {
        self.push(Direction::Client, text);
    }

    pub fn server(&mut self, text: impl Into<String>) {
        self.push(Direction::Server, text);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Direction::Info, text);
    }

    /// Replaces the last server line's text after its reply code with
    /// [`REDACTED`]: an AUTH exchange's challenge token (NTLM's CHALLENGE).
    pub fn redact_last_server(&mut self) {
        if let Some(line) = self
            .lines
            .iter_mut()
            .rev()
            .find(|line| line.direction == Direction::Server)
        {
            // The reply code and its space (`334 `), or IMAP's `+ `.
            let kept = line.text.find(' ').map_or(0, |space| (space + 1).min(4));
            line.text = format!("{}{REDACTED}", &line.text[..kept]);
        }
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn into_lines(self) -> Vec<Line> {
        self.lines
    }
}

/// The transcript as plain text, one line each: `  12 ms  client  EHLO host`.
pub fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        let arrow = match line.direction {
            Direction::Client => "C:",
            Direction::Server => "S:",
            Direction::Info => "--",
        };
        out.push_str(&format!(
            "{:>7} ms  {arrow} {}\n",
            line.elapsed_ms, line.text
        ));
    }
    out
}
