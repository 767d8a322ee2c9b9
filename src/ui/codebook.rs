//! The codebook window: add, rename, recolour, describe and delete tags.

use super::command::Command;
use crate::model::{Tag, to_hex_color};
use crate::session::Session;

#[derive(Default)]
pub struct CodebookWindow {
    pub open: bool,
    /// A name being typed: (tag index, text). Applied when the field loses focus.
    editing_name: Option<(usize, String)>,
    /// A delete waiting for confirmation because the tag is in use.
    confirm_delete: Option<usize>,
}

impl CodebookWindow {
    pub fn show(&mut self, ctx: &egui::Context, session: &Session) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut open = self.open;
        egui::Window::new("Codebook")
            .open(&mut open)
            .default_width(460.0)
            .show(ctx, |ui| self.ui(ui, session, &mut commands));
        self.open = open;
        self.confirm_ui(ctx, session, &mut commands);
        commands
    }

    fn count(&mut self, session: &Session, tag: &str) -> usize {
        // Kept up to date by the set itself, change by change.
        session.store.annotations.count_tag(tag)
    }

    fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let codebook = session.codebook();
        egui::Grid::new("codebook grid")
            .num_columns(5)
            .spacing([8.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                ui.strong("Key");
                ui.strong("Colour");
                ui.strong("Name");
                ui.strong("Description");
                ui.strong("Used");
                ui.end_row();
                for (i, tag) in codebook.tags.iter().enumerate() {
                    ui.label(if i < 9 {
                        format!("{}", i + 1)
                    } else {
                        String::new()
                    });
                    let mut rgb = tag.rgb();
                    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
                        commands.push(Command::EditTag(
                            i,
                            Tag {
                                color: to_hex_color(rgb),
                                ..tag.clone()
                            },
                        ));
                    }
                    let mut name = match &self.editing_name {
                        Some((j, s)) if *j == i => s.clone(),
                        _ => tag.name.clone(),
                    };
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut name)
                            .desired_width(110.0)
                            .hint_text(format!("Name of tag {}", i + 1)),
                    );
                    if r.changed() {
                        self.editing_name = Some((i, name.clone()));
                    }
                    if r.lost_focus() && self.editing_name.as_ref().is_some_and(|(j, _)| *j == i) {
                        commands.push(Command::RenameTag(i, name));
                        self.editing_name = None;
                    }
                    let mut description = tag.description.clone();
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut description)
                            .desired_width(180.0)
                            .hint_text(format!("What “{}” means", tag.name)),
                    );
                    if r.changed() {
                        commands.push(Command::EditTag(
                            i,
                            Tag {
                                description,
                                ..tag.clone()
                            },
                        ));
                    }
                    let used = self.count(session, &tag.name);
                    ui.horizontal(|ui| {
                        ui.label(format!("{used}"));
                        let name = format!("Delete tag “{}”", tag.name);
                        if super::widgets::icon_button(ui, "🗑", &name).clicked() {
                            if used > 0 {
                                self.confirm_delete = Some(i);
                            } else {
                                commands.push(Command::DeleteTag(i));
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        if ui.button("+ Add tag").clicked() {
            commands.push(Command::AddTag);
        }
        ui.weak("Tags 1–9 get the number keys in their order. Renaming a tag renames it on every annotation.");
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let Some(i) = self.confirm_delete else { return };
        let Some(tag) = session.codebook().tags.get(i) else {
            self.confirm_delete = None;
            return;
        };
        let used = self.count(session, &tag.name);
        let modal = egui::Modal::new(egui::Id::unique("confirm delete tag")).show(ctx, |ui| {
            ui.heading(format!("Delete tag “{}”?", tag.name));
            ui.label(format!(
                "{used} annotation{} use{} this tag. The annotations are kept; they only lose this tag \
                 (those left without tags become plain highlights). You can undo this.",
                if used == 1 { "" } else { "s" },
                if used == 1 { "s" } else { "" },
            ));
            ui.horizontal(|ui| {
                if ui.button("Delete tag").clicked() {
                    commands.push(Command::DeleteTag(i));
                    self.confirm_delete = None;
                }
                if ui.button("Cancel").clicked() {
                    self.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_delete = None;
        }
    }
}
