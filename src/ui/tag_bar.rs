//! The strip of tag buttons above the text: click (or press the number) to
//! tag the selection.

use super::command::Command;
use super::theme;
use crate::session::Session;
use egui::RichText;

pub fn tag_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    has_selection: bool,
    has_annotation: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        let enabled = (has_selection || has_annotation) && session.read_only.is_none();
        for (i, tag) in session.codebook().tags.iter().enumerate() {
            let color = theme::tag_color(Some(tag));
            let text = if i < 9 {
                format!("{} {}", i + 1, tag.name)
            } else {
                tag.name.clone()
            };
            let button = egui::Button::new(RichText::new(text).color(theme::on(color)).strong())
                .fill(color)
                .corner_radius(8.0);
            let hint = if tag.description.is_empty() {
                tag.name.clone()
            } else {
                tag.description.clone()
            };
            if ui
                .add_enabled(enabled, button)
                .on_hover_text(hint)
                .on_disabled_hover_text("Select some text first")
                .clicked()
            {
                commands.push(Command::UseTag(tag.name.clone()));
            }
        }
        let highlight = egui::Button::new(
            RichText::new("H highlight").color(theme::on(theme::tag_color(None))),
        )
        .fill(theme::tag_color(None))
        .corner_radius(8.0);
        if ui
            .add_enabled(has_selection && session.read_only.is_none(), highlight)
            .on_hover_text("Highlight without a tag (H)")
            .clicked()
        {
            commands.push(Command::Annotate(Vec::new()));
        }
        if ui
            .button("+ Tag…")
            .on_hover_text("Add or edit tags (the codebook)")
            .clicked()
        {
            commands.push(Command::AddTag);
        }
    });
    commands
}
