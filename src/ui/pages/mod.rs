//! One module per page. Pages never reach into each other: the app routes
//! messages down and acts on their events.

pub mod bulk;
pub mod check;
pub mod delivery;
pub mod directory;
pub mod incoming;
pub mod preferences;
pub mod profiles;
pub mod quick;
pub mod sendmail;
pub mod smtp;
