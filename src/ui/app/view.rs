//! What the application draws: the sidebar, the opened profile with its tabs,
//! the other pages, prompts and the status line.

use iced::widget::{
    button, center, column, container, opaque, row, rule, scrollable, stack, text, text_input,
};
use iced::{Element, Length, Theme};

use super::quit::{QuitChoice, Quitting};
use super::{App, Editor, Message, Page, Status, Tab};
use crate::core::exchange::OnConflict;
use crate::core::profile::Delivery;
use crate::fl;
use crate::ui::pages::{delivery, profiles};
use crate::ui::widget::form;
use crate::ui::widget::icon::{self, Icon, Tone};

impl App {
    pub fn view(&self) -> Element<'_, Message> {
        let marks = profiles::Marks {
            open: self
                .editor()
                .and_then(|e| e.saved_name().map(|n| (n, e.scope))),
            dirty: self
                .editors
                .iter()
                .filter(|e| e.has_changes())
                .filter_map(|e| e.saved_name().map(|name| (name, e.scope)))
                .collect(),
            preferences: self.page == Page::Preferences,
            directory: self.page == Page::Directory,
            quick: self.page == Page::Quick,
            bulk: self.page == Page::Bulk,
        };
        let main: Element<'_, Message> = match self.page {
            Page::Profile(id) => match self.editor_by_id(id) {
                Some(editor) => self.profile_view(editor),
                None => text("").into(),
            },
            Page::Directory => self.directory.view().map(Message::Directory),
            Page::Bulk => self.bulk_view(),
            Page::Preferences => self
                .preferences_page
                .view(&self.preferences)
                .map(Message::Preferences),
            Page::Quick => scrollable(self.quick.view().map(Message::Quick))
                .height(Length::Fill)
                .into(),
        };
        let mut right = column![container(main).height(Length::Fill)];
        if let Some(prompt) = self.prompt_view() {
            right = right.push(prompt);
        }
        if let Some(status) = &self.status {
            right = right.push(
                container(match status {
                    Status::Info(message) => form::note(message.clone()),
                    Status::Error(message) => form::error_text(message.clone()),
                })
                .padding([8, 20]),
            );
        }
        let window = row![
            self.sidebar.view(marks).map(Message::Sidebar),
            rule::vertical(1),
            right
        ];
        match self.quit_view() {
            // Over the window, dimmed, taking every click: the question must be answered.
            Some(question) => {
                let backdrop = center(question).style(|_: &iced::Theme| container::Style {
                    background: Some(iced::Color::from_rgba(0.0, 0.0, 0.0, 0.45).into()),
                    ..container::Style::default()
                });
                stack![window, opaque(backdrop)].into()
            }
            None => window.into(),
        }
    }

    /// "Save the unsaved profiles before quitting?", naming them.
    fn quit_view(&self) -> Option<Element<'_, Message>> {
        let body: Element<'_, Message> = match self.quit_question()? {
            Quitting::Asking => column![
                text(fl!(
                    "quit-unsaved-question",
                    names = self.unsaved_names().join(", ")
                )),
                row![
                    button(text(fl!("quit-save"))).on_press(Message::QuitChoice(QuitChoice::Save)),
                    button(text(fl!("quit-discard")))
                        .style(button::danger)
                        .on_press(Message::QuitChoice(QuitChoice::Discard)),
                    button(text(fl!("cancel")))
                        .style(button::secondary)
                        .on_press(Message::QuitChoice(QuitChoice::Cancel)),
                ]
                .spacing(8)
                .wrap()
                .vertical_spacing(8),
            ]
            .spacing(12)
            .into(),
            Quitting::Saving { .. } => text(fl!("quit-saving")).into(),
        };
        Some(
            container(body)
                .padding(20)
                .max_width(520)
                .style(container::bordered_box)
                .into(),
        )
    }

    fn profile_view<'a>(&'a self, editor: &'a Editor) -> Element<'a, Message> {
        let editable = editor.is_editable();
        let issues = editor.issues();
        let mut title = row![text(editor.draft.name.clone()).size(22)].spacing(12);
        if editor.has_changes() {
            title = title.push(container(form::warning_text(fl!("unsaved"))).padding([6, 0]));
        }
        if !editable {
            title = title.push(container(form::note(fl!("scope-read-only"))).padding([6, 0]));
        }
        let can_save = editable && editor.has_changes() && !editor.saving;
        let header = row![
            title,
            iced::widget::space::horizontal(),
            button(text(fl!("revert")))
                .style(button::secondary)
                .on_press_maybe(can_save.then_some(Message::Revert)),
            button(text(fl!("save"))).on_press_maybe(can_save.then_some(Message::Save)),
        ]
        .spacing(8)
        .padding([12, 20]);
        let tab = |label: String, icon: Icon, tab: Tab, used: bool| {
            let style: fn(&Theme, button::Status) -> button::Style = match (self.tab == tab, used) {
                (true, _) => button::primary,
                (false, true) => button::secondary,
                (false, false) => unused_tab,
            };
            let tone = if self.tab == tab {
                Tone::OnPrimary
            } else {
                Tone::Text
            };
            button(icon::labelled(icon, tone, label))
                .style(style)
                .on_press(Message::Tab(tab))
        };
        let smtp_used = editor.draft.delivery == Delivery::Smtp;
        let tabs = row![
            tab(fl!("tab-delivery"), Icon::Delivery, Tab::Delivery, true),
            tab(fl!("tab-smtp"), Icon::Smtp, Tab::Smtp, smtp_used),
            tab(
                fl!("tab-sendmail"),
                Icon::Sendmail,
                Tab::Sendmail,
                !smtp_used
            ),
            tab(fl!("tab-incoming"), Icon::Incoming, Tab::Incoming, true),
            tab(fl!("tab-check"), Icon::Check, Tab::Check, true),
        ]
        .spacing(6)
        .padding([0, 20])
        // A narrow window (800 px, longer Russian labels) puts the last tabs on a
        // second line instead of cutting them off.
        .wrap()
        .vertical_spacing(6);
        // The tab of the method not chosen keeps its settings, shown read-only.
        let (page, used) = match self.tab {
            Tab::Delivery => (
                editor
                    .delivery
                    .view(
                        &editor.draft,
                        &issues,
                        editable,
                        delivery::Context {
                            default_profile: &self.preferences.default_profile,
                            saved_name: editor.saved_name(),
                            mta: self.mta.as_ref(),
                            scope: Some(editor.scope),
                            queue: self.queue.as_deref(),
                            queue_problem: self.queue_problem.as_deref(),
                            queue_busy: self.queue_busy,
                        },
                    )
                    .map(Message::Delivery),
                true,
            ),
            Tab::Smtp => (
                editor
                    .smtp
                    .view(&editor.draft, &issues, editable && smtp_used)
                    .map(Message::Smtp),
                smtp_used,
            ),
            Tab::Sendmail => (
                {
                    let id = editor.id;
                    editor
                        .sendmail
                        .view(&editor.draft, &issues, editable && !smtp_used)
                        .map(move |message| Message::Sendmail(id, message))
                },
                !smtp_used,
            ),
            Tab::Incoming => {
                let id = editor.id;
                let page = editor
                    .incoming
                    .view(&editor.draft, &issues, editable)
                    .map(move |message| Message::Incoming(id, message));
                (page, true)
            }
            Tab::Check => {
                let id = editor.id;
                let page = editor
                    .check
                    .view(&editor.draft, &issues, editable)
                    .map(move |message| Message::Check(id, message));
                (page, true)
            }
        };
        let mut body = column![].spacing(0);
        if !used {
            body = body.push(container(form::note(fl!("tab-not-used"))).padding([8, 20]));
        }
        body = body.push(page);
        column![header, tabs, scrollable(body).height(Length::Fill)]
            .spacing(8)
            .into()
    }

    fn prompt_view(&self) -> Option<Element<'_, Message>> {
        if let Some(pending) = &self.pending_import {
            let names = pending.conflicts.join(", ");
            return Some(
                container(
                    column![
                        text(fl!("import-conflict-question", names = names)),
                        row![
                            button(text(fl!("import-skip")))
                                .on_press(Message::ImportChoice(Some(OnConflict::Skip))),
                            button(text(fl!("import-replace")))
                                .on_press(Message::ImportChoice(Some(OnConflict::Replace))),
                            button(text(fl!("import-rename")))
                                .on_press(Message::ImportChoice(Some(OnConflict::Rename))),
                            button(text(fl!("cancel")))
                                .style(button::secondary)
                                .on_press(Message::ImportChoice(None)),
                        ]
                        .spacing(8),
                    ]
                    .spacing(8),
                )
                .padding([8, 20])
                .into(),
            );
        }
        let prompt = self.path_prompt.as_ref()?;
        let label = match prompt.purpose {
            super::Purpose::Export => fl!("path-prompt-export"),
            super::Purpose::Import => fl!("path-prompt-import"),
            super::Purpose::SaveLog(_) => fl!("path-prompt-log"),
            super::Purpose::ImportAutoconfig | super::Purpose::ExportAutoconfig(_) => {
                fl!("path-prompt-autoconfig")
            }
            super::Purpose::Msmtprc => fl!("path-prompt-msmtprc"),
            super::Purpose::BulkList => fl!("path-prompt-bulk-list"),
            super::Purpose::BulkReport => fl!("path-prompt-bulk-report"),
        };
        Some(
            container(
                column![
                    form::note(fl!("path-prompt-no-dialog")),
                    row![
                        text_input(&label, &prompt.text)
                            .id("path-prompt")
                            .on_input(Message::PathText)
                            .on_submit(Message::PathSubmit)
                            .padding(6),
                        button(text(fl!("ok"))).on_press(Message::PathSubmit),
                        button(text(fl!("cancel")))
                            .style(button::secondary)
                            .on_press(Message::PathCancel),
                    ]
                    .spacing(8),
                ]
                .spacing(6),
            )
            .padding([8, 20])
            .into(),
        )
    }
}

/// The tab of the delivery method not chosen: still a tab (a button with its
/// frame, it opens the settings kept read-only), only quieter than the others.
fn unused_tab(theme: &Theme, status: button::Status) -> button::Style {
    let mut style = button::secondary(theme, status);
    let palette = theme.extended_palette();
    style.background = Some(iced::Background::Color(
        palette.background.weak.color.scale_alpha(0.5),
    ));
    style.text_color = style.text_color.scale_alpha(0.65);
    style.border = style.border.color(palette.background.strong.color).width(1);
    style
}
