//! The strip of tag buttons above the text: click (or press the number) to
//! tag the selection.

use crate::session::Session;
use crate::ui::command::Command;
use crate::ui::theme;
use egui::RichText;

pub fn tag_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    has_selection: bool,
    has_annotation: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        let enabled = (has_selection || has_annotation) && session.read_only().is_none();
        let codebook = session.codebook();
        // Top-level and keyed codes get a button; every code is in the menu.
        for (i, depth) in codebook.tree() {
            let key = codebook.key_of(i);
            if depth > 0 && key.is_none() {
                continue;
            }
            let tag = &codebook.tags[i];
            let color = theme::tag_color(Some(tag));
            let text = match key {
                Some(k) => format!("{k} {}", tag.name),
                None => tag.name.clone(),
            };
            let button = egui::Button::new(RichText::new(text).color(theme::on(color)).strong())
                .fill(color)
                .corner_radius(8.0);
            if ui
                .add_enabled(enabled, button)
                .on_hover_text(hint(codebook, tag))
                .on_disabled_hover_text(format!(
                    "{}\n\nSelect some text first",
                    hint(codebook, tag)
                ))
                .clicked()
            {
                commands.push(Command::UseTag(tag.name.clone()));
            }
        }
        if codebook.tree().iter().any(|(_, d)| *d > 0) {
            ui.add_enabled_ui(enabled, |ui| {
                ui.menu_button("All codes ▾", |ui| {
                    code_tree_menu(ui, codebook, &mut commands)
                })
                .response
                .on_hover_text("Every code, as a tree")
            });
        }
        let highlight = egui::Button::new(
            RichText::new("H highlight").color(theme::on(theme::tag_color(None))),
        )
        .fill(theme::tag_color(None))
        .corner_radius(8.0);
        if ui
            .add_enabled(has_selection && session.read_only().is_none(), highlight)
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

/// Why the document cannot be annotated, said once, here; with a way on
/// when its annotation file could not be read: annotating into a new file
/// (Save As, which never writes the unreadable file or its backup).
pub fn read_only_ui(ui: &mut egui::Ui, session: &Session) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(why) = &session.read_only() else {
        return commands;
    };
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(ui.visuals().warn_fg_color, why);
        if session.unreadable().is_some()
            && ui
                .button("Annotate in a new file…")
                .on_hover_text(
                    "Choose a new annotation file: tagging works again and is saved there. \
                     The file that could not be read stays as it is.",
                )
                .clicked()
        {
            commands.push(Command::SaveAs);
        }
    });
    commands
}

/// What hovering a code shows: its path, key and description (its
/// definition, when to use it and when not).
fn hint(codebook: &crate::model::Codebook, tag: &crate::model::Tag) -> String {
    let mut out = codebook.path(&tag.name);
    if !tag.description.is_empty() {
        out.push_str("\n\n");
        out.push_str(&tag.description);
    }
    out
}

/// The codebook as a tree of menu entries, children indented under their
/// parent; clicking one codes the selection with it.
fn code_tree_menu(
    ui: &mut egui::Ui,
    codebook: &crate::model::Codebook,
    commands: &mut Vec<Command>,
) {
    for (i, depth) in codebook.tree() {
        let tag = &codebook.tags[i];
        let key = codebook
            .key_of(i)
            .map(|k| format!("  ({k})"))
            .unwrap_or_default();
        let label = format!("{}{}{key}", "    ".repeat(depth), tag.name);
        let swatch = RichText::new("■").color(theme::tag_color(Some(tag)));
        ui.horizontal(|ui| {
            ui.label(swatch);
            if ui
                .button(label)
                .on_hover_text(hint(codebook, tag))
                .clicked()
            {
                commands.push(Command::UseTag(tag.name.clone()));
                ui.close();
            }
        });
    }
}
