//! Shared pieces of the pages: form rows with inline messages, headings, notes.

pub mod bar;
pub mod form;
pub mod icon;
pub mod server;
