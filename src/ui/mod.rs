//! The iced window. Pages follow one pattern (`State`, `Message`, `Event`,
//! `update`, `view`); every effect is a `Task` calling into `core`.

pub mod app;
pub mod issues;
pub mod pages;
pub mod tasks;
pub mod widget;

/// The application id used for the window class, desktop file and metainfo.
pub const APP_ID: &str = "org.outbound.Outbound";

/// Opens the window and runs until it is closed.
pub fn run() -> iced::Result {
    iced::application(app::App::new, app::App::update, app::App::view)
        .title(app::App::title)
        .subscription(app::App::subscription)
        .theme(app::App::theme)
        .window(iced::window::Settings {
            size: iced::Size::new(960.0, 640.0),
            min_size: Some(iced::Size::new(640.0, 480.0)),
            platform_specific: platform_settings(),
            // The app asks about unsaved changes first (`App::subscription`).
            exit_on_close_request: false,
            ..iced::window::Settings::default()
        })
        .run()
}

fn platform_settings() -> iced::window::settings::PlatformSpecific {
    #[cfg(target_os = "linux")]
    {
        iced::window::settings::PlatformSpecific {
            application_id: APP_ID.to_owned(),
            ..Default::default()
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Default::default()
    }
}
