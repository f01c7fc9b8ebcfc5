//! Outbound: outgoing mail settings. `core` is the model and every effect (no UI),
//! `cli` the command line, `ui` the iced window.

pub mod cli;
pub mod core;
pub mod i18n;
pub mod ui;
