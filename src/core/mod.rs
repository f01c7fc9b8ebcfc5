//! The model and every effect: files, keyring, network, processes. No iced here.

pub mod bulk;
pub mod check;

pub mod directory;
pub mod discover;
pub mod domain;
pub mod exchange;
pub mod imap;
pub mod journal;
pub mod msmtp;
pub mod mta;
pub mod oauth;
pub mod preferences;
pub mod profile;
pub mod queue;
pub mod quick;
pub mod roundtrip;
pub mod secret;
pub mod secrets;
pub mod send;
pub mod store;
pub mod toml_doc;
pub mod trust;
