//! Outbound: outgoing mail settings. `core` is the model and every effect (no UI),
//! `cli` the command line, `ui` the iced window.

// Outside tests a panic must be a stated invariant, allowed where it stands.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod core;
pub mod i18n;
pub mod ui;
