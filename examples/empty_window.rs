//! An empty iced window built with Outbound's own iced features: the reference
//! the start-up benchmark (`benches/startup`) measures Outbound against.

use iced::Element;
use iced::widget::text;

fn main() -> iced::Result {
    iced::application(|| (), |_: &mut (), _: ()| {}, view)
        .title(|_: &()| "Empty iced window".to_owned())
        .run()
}

fn view(_: &()) -> Element<'_, ()> {
    text("").into()
}
