//! The codebook window: the codes as a tree (drag a code onto another to
//! put it under it), with their keys, colours, descriptions and use; a
//! code's menu moves, merges, splits or deletes it.

use crate::model::{AnnotationId, Tag, to_hex_color};
use crate::session::Session;
use crate::ui::command::Command;

#[derive(Default)]
pub struct CodebookWindow {
    pub open: bool,
    // Codes by name here as in commands: a merge may move them meanwhile.
    /// A name being typed: (code, text). Applied when the field loses focus.
    editing_name: Option<(String, String)>,
    /// A delete waiting for confirmation because the code is in use.
    confirm_delete: Option<String>,
    split: Option<Split>,
}

/// A code being split: its passages here, which move, and the new name.
struct Split {
    code: String,
    name: String,
    moving: Vec<AnnotationId>,
}

/// What a code row carries while dragged.
#[derive(Clone)]
struct Dragged(String);

impl CodebookWindow {
    pub fn show(&mut self, ctx: &egui::Context, session: &Session) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut open = self.open;
        egui::Window::new("Codebook")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| self.ui(ui, session, &mut commands));
        self.open = open;
        self.confirm_ui(ctx, session, &mut commands);
        self.split_ui(ctx, session, &mut commands);
        commands
    }

    fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let codebook = session.codebook();
        egui::Grid::new("codebook grid")
            .num_columns(6)
            .spacing([8.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                ui.strong("Code");
                ui.strong("Key");
                ui.strong("Colour");
                ui.strong("Description");
                ui.strong("Used");
                ui.label("");
                ui.end_row();
                for (i, depth) in codebook.tree() {
                    self.row(ui, session, i, depth, commands);
                    ui.end_row();
                }
            });
        if egui::DragAndDrop::has_payload_of_type::<Dragged>(ui.ctx()) {
            let zone = ui.add(
                egui::Label::new(
                    egui::RichText::new("Drop here to move it to the top level").weak(),
                )
                .sense(egui::Sense::hover()),
            );
            if let Some(d) = zone.dnd_release_payload::<Dragged>() {
                commands.push(Command::ReparentTag(d.0.clone(), None));
            }
        }
        ui.add_space(6.0);
        if ui.button("+ Add tag").clicked() {
            commands.push(Command::AddTag);
        }
        ui.weak(
            "Drag a code by its handle onto another to put it under it. Keys 1–9 go to the first \
             nine codes unless you bind them. Renaming a code renames it on every annotation.",
        );
    }

    fn row(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        i: usize,
        depth: usize,
        commands: &mut Vec<Command>,
    ) {
        let codebook = session.codebook();
        let tag = &codebook.tags[i];
        let cell = ui.horizontal(|ui| {
            ui.add_space(depth as f32 * 16.0);
            let handle = egui::Label::new("⠿").selectable(false);
            let id = egui::Id::unique(("drag code", &tag.name));
            let grip = ui
                .dnd_drag_source(id, Dragged(tag.name.clone()), |ui| ui.add(handle))
                .response;
            let label = format!("Move code {}", tag.name);
            grip.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            grip.on_hover_text(format!(
                "Drag “{}” onto another code to put it under it",
                tag.name
            ));
            let mut name = match &self.editing_name {
                Some((code, s)) if *code == tag.name => s.clone(),
                _ => tag.name.clone(),
            };
            // Fixed sizes: a grid would otherwise shrink its fields to
            // their content, frame after frame.
            let r = ui.add_sized(
                [130.0 - depth as f32 * 16.0, 20.0],
                egui::TextEdit::singleline(&mut name).hint_text(format!("Name of tag {}", i + 1)),
            );
            if r.changed() {
                self.editing_name = Some((tag.name.clone(), name.clone()));
            }
            if r.lost_focus()
                && self
                    .editing_name
                    .as_ref()
                    .is_some_and(|(code, _)| *code == tag.name)
            {
                commands.push(Command::RenameTag(tag.name.clone(), name));
                self.editing_name = None;
            }
        });
        if let Some(d) = cell.response.dnd_release_payload::<Dragged>()
            && d.0 != tag.name
        {
            commands.push(Command::ReparentTag(d.0.clone(), Some(tag.name.clone())));
        }
        let key = codebook.key_of(i);
        let combo = egui::ComboBox::from_id_salt(("key", i))
            .width(40.0)
            .selected_text(key.map(|k| k.to_string()).unwrap_or("–".into()))
            .show_ui(ui, |ui| {
                if ui.selectable_label(tag.key.is_none(), "auto").clicked() {
                    commands.push(Command::BindKey(tag.name.clone(), None));
                }
                for k in 1..=9u8 {
                    if ui
                        .selectable_label(key == Some(k as usize), k.to_string())
                        .clicked()
                    {
                        commands.push(Command::BindKey(tag.name.clone(), Some(k)));
                    }
                }
            });
        let label = format!("Key of {}", tag.name);
        combo
            .response
            .on_hover_text("The number key that codes with it")
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
        let mut rgb = tag.rgb();
        if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
            let color = to_hex_color(rgb);
            commands.push(Command::EditTag(
                tag.name.clone(),
                Tag {
                    color,
                    ..tag.clone()
                },
            ));
        }
        let mut description = tag.description.clone();
        let r = ui.add_sized(
            [240.0, 20.0],
            egui::TextEdit::singleline(&mut description).hint_text(format!(
                "What “{}” means; when to use it, when not",
                tag.name
            )),
        );
        let r = if tag.description.is_empty() {
            r
        } else {
            r.on_hover_text(&tag.description)
        };
        if r.changed() {
            commands.push(Command::EditTag(
                tag.name.clone(),
                Tag {
                    description,
                    ..tag.clone()
                },
            ));
        }
        let used = session.store().annotations.count_tag(&tag.name);
        ui.label(format!("{used}"));
        self.menu(ui, session, i, used, commands);
    }

    /// The ⋯ menu of a code: move, merge, split, delete.
    fn menu(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        i: usize,
        used: usize,
        commands: &mut Vec<Command>,
    ) {
        let codebook = session.codebook();
        let tag = &codebook.tags[i];
        ui.menu_button("⋯", |ui| {
            ui.menu_button("Put under", |ui| {
                if ui
                    .add_enabled(tag.parent.is_some(), egui::Button::new("(top level)"))
                    .clicked()
                {
                    commands.push(Command::ReparentTag(tag.name.clone(), None));
                }
                for t in &codebook.tags {
                    let ok = codebook.can_reparent(&tag.name, Some(&t.name))
                        && tag.parent.as_deref() != Some(t.name.as_str());
                    if ok && ui.button(codebook.path(&t.name)).clicked() {
                        commands.push(Command::ReparentTag(tag.name.clone(), Some(t.name.clone())));
                    }
                }
            });
            ui.menu_button("Merge into", |ui| {
                for t in codebook.tags.iter().filter(|t| t.name != tag.name) {
                    if ui.button(codebook.path(&t.name)).clicked() {
                        commands.push(Command::MergeTags {
                            from: tag.name.clone(),
                            into: t.name.clone(),
                        });
                    }
                }
            });
            if ui
                .add_enabled(used > 0, egui::Button::new("Split…"))
                .clicked()
            {
                self.split = Some(Split {
                    code: tag.name.clone(),
                    name: format!("{} (2)", tag.name),
                    moving: Vec::new(),
                });
            }
            if ui.button("Delete…").clicked() {
                if used > 0 {
                    self.confirm_delete = Some(tag.name.clone());
                } else {
                    commands.push(Command::DeleteTag(tag.name.clone()));
                }
            }
        })
        .response
        .on_hover_text(format!("Move, merge, split or delete “{}”", tag.name))
        .widget_info(|| {
            let label = format!("Code menu {}", tag.name);
            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
        });
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let Some(code) = self.confirm_delete.clone() else {
            return;
        };
        let Some(tag) = session.codebook().get(&code) else {
            self.confirm_delete = None;
            return;
        };
        let used = session.store().annotations.count_tag(&tag.name);
        let modal = egui::Modal::new(egui::Id::unique("confirm delete tag")).show(ctx, |ui| {
            ui.heading(format!("Delete tag “{}”?", tag.name));
            ui.label(format!(
                "{used} annotation{} use{} this tag. The annotations are kept; they only lose this tag \
                 (those left without tags become plain highlights). Codes under it move up. You can undo this.",
                if used == 1 { "" } else { "s" },
                if used == 1 { "s" } else { "" },
            ));
            ui.horizontal(|ui| {
                if ui.button("Delete tag").clicked() {
                    commands.push(Command::DeleteTag(code.clone()));
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

    /// Choosing which passages of a code move to a new one.
    fn split_ui(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let Some(split) = &mut self.split else { return };
        let Some(tag) = session.codebook().get(&split.code) else {
            self.split = None;
            return;
        };
        let mut done = false;
        let modal = egui::Modal::new(egui::Id::unique("split code")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(format!("Split “{}”", tag.name));
            ui.label("Tick the passages that move to the new code:");
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    let doc = &session.doc();
                    for a in session
                        .store()
                        .annotations
                        .iter()
                        .filter(|a| a.has_tag(&tag.name))
                    {
                        let mut on = split.moving.contains(&a.id);
                        // The passage highlighted in its sentence: two
                        // passages of one sentence must read apart.
                        let context = crate::project::passages::context(doc, a.range());
                        let width = ui.available_width() - 32.0;
                        let job = super::passages::in_sentence(ui, &context, &a.quote, width, 0);
                        if ui.checkbox(&mut on, job).changed() {
                            if on {
                                split.moving.push(a.id.clone());
                            } else {
                                split.moving.retain(|x| *x != a.id);
                            }
                        }
                    }
                });
            ui.horizontal(|ui| {
                let label = ui.label("New code:");
                ui.add(egui::TextEdit::singleline(&mut split.name).desired_width(180.0))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                let ok =
                    !split.moving.is_empty() && session.codebook().get(split.name.trim()).is_none();
                if ui.add_enabled(ok, egui::Button::new("Split")).clicked() {
                    commands.push(Command::SplitTag {
                        code: split.code.clone(),
                        name: split.name.trim().to_string(),
                        moving: std::mem::take(&mut split.moving),
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        if done || modal.should_close() {
            self.split = None;
        }
    }
}
