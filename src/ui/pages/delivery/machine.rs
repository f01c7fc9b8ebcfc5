//! What this computer's `sendmail` is (found by `core::mta` off the UI
//! thread), and "Write an msmtp configuration" for machines that keep msmtp.

use iced::Element;
use iced::widget::{button, column, text};

use crate::core::mta::{Found, Kind};
use crate::fl;
use crate::ui::widget::form;

/// The sentence saying what `sendmail` is: "/usr/sbin/sendmail is Postfix".
pub fn describe(found: &Found) -> String {
    let path = found.path.display().to_string();
    if found.kind == Kind::None {
        return fl!("mta-none");
    }
    let mut sentence = fl!("mta-found", path = path, kind = found.kind.as_str());
    if found.program() != found.path {
        sentence = format!(
            "{sentence} {}",
            fl!("mta-via", program = found.program().display().to_string())
        );
    }
    sentence
}

/// The section's rows; `on_write` is the message of the msmtp button.
pub fn view<'a, Message: Clone + 'a>(
    found: Option<&Found>,
    on_write: Message,
) -> Vec<Element<'a, Message>> {
    let mut rows = vec![form::heading(fl!("section-machine"))];
    let what = match found {
        None => form::note(fl!("mta-looking")),
        Some(found) => {
            let mut lines = column![text(describe(found))].spacing(4);
            if found.alternatives {
                lines = lines.push(form::note(fl!("mta-alternatives")));
            }
            if found.kind != Kind::Outbound {
                lines = lines.push(form::note(fl!("mta-switch")));
            }
            lines.into()
        }
    };
    rows.push(what);
    let keeps_msmtp = found.is_some_and(|f| f.kind == Kind::Msmtp);
    let write = button(text(fl!("msmtp-write"))).on_press(on_write);
    rows.push(
        column![
            if keeps_msmtp {
                write
            } else {
                write.style(button::secondary)
            },
            form::note(fl!("msmtp-help")),
        ]
        .spacing(4)
        .into(),
    );
    rows
}
