//! The menu bar: File, Edit, View, Tags, Project, Team and Help.

use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use crate::ui::shortcuts;
use std::path::PathBuf;

/// Which recent entries are folders (opened as projects), looked up when
/// the list changes rather than on every frame the menu is open: a file
/// system that is slow to answer (a network share, a sleeping disk) must
/// never stall painting.
#[derive(Default)]
pub struct RecentKinds {
    /// The list the answers are for.
    for_list: Vec<PathBuf>,
    folders: Vec<bool>,
}

impl RecentKinds {
    /// Whether each of `recent` is a folder; asks the disk only when the
    /// list is not the one last asked about.
    pub fn of(&mut self, recent: &[PathBuf]) -> &[bool] {
        if self.for_list != recent {
            self.folders = recent.iter().map(|p| p.is_dir()).collect();
            self.for_list = recent.to_vec();
        }
        &self.folders
    }
}

impl GlossApp {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // As printed on the keys (egui spells "Equals", "Minus").
        let sc = |s: &egui::KeyboardShortcut| {
            ctx.format_shortcut(s)
                .replace("Equals", "=")
                .replace("Minus", "-")
                .replace("Plus", "+")
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(sc(&shortcuts::OPEN)))
                    .clicked()
                {
                    self.queue.push(Command::OpenDialog);
                }
                if ui.button("Open Folder…").clicked() {
                    self.queue.push(Command::OpenFolderDialog);
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.weak("Nothing yet");
                    }
                    let kinds = self.recent_kinds.of(&self.prefs.recent);
                    for (p, &folder) in self.prefs.recent.iter().zip(kinds) {
                        // A folder opens as a project.
                        let label = if folder {
                            format!("{} — project", p.display())
                        } else {
                            p.display().to_string()
                        };
                        if ui.button(label).clicked() {
                            self.queue.push(Command::Open(p.clone()));
                        }
                    }
                });
                ui.separator();
                if ui.button("Export…").clicked() {
                    self.exchange = crate::ui::exchange::ExchangeWindow::Export;
                }
                if ui.button("Import…").clicked() {
                    self.exchange = crate::ui::exchange::ExchangeWindow::Import;
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Save Annotations").shortcut_text(sc(&shortcuts::SAVE)))
                    .clicked()
                {
                    self.queue.push(Command::Save);
                }
                if ui.button("Save Annotations As…").clicked() {
                    self.queue.push(Command::SaveAs);
                }
                ui.separator();
                if ui.button("Preferences…").clicked() {
                    self.prefs_window.open = true;
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Quit").shortcut_text(sc(&shortcuts::QUIT)))
                    .clicked()
                {
                    self.queue.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                // Named, as what it reaches may be out of sight (another
                // annotation's note).
                let history = &self.session.history();
                let named = |what: &str, label: Option<String>| {
                    label.map_or(what.to_string(), |l| format!("{what}: {l}"))
                };
                let undo = named("Undo", history.undo_label(self.session.store()));
                let undo = egui::Button::new(undo).shortcut_text(sc(&shortcuts::UNDO));
                let undo = ui.add_enabled(self.session.history().can_undo(), undo);
                let undo = match history.barrier_reason() {
                    Some(why) => undo.on_disabled_hover_text(format!("Undo starts here: {why}.")),
                    None => undo,
                };
                if undo.clicked() {
                    self.queue.push(Command::Undo);
                }
                let redo = named("Redo", history.redo_label(self.session.store()));
                let redo = egui::Button::new(redo).shortcut_text(sc(&shortcuts::REDO));
                if ui
                    .add_enabled(self.session.history().can_redo(), redo)
                    .clicked()
                {
                    self.queue.push(Command::Redo);
                }
                ui.separator();
                let copy =
                    egui::Button::new("Copy Selected Text").shortcut_text(sc(&shortcuts::COPY));
                if ui
                    .add_enabled(self.reader.selection.is_some(), copy)
                    .clicked()
                {
                    self.queue.push(Command::Copy);
                }
                let delete = egui::Button::new("Delete Annotation").shortcut_text("Delete");
                if let Some(id) = self.selected.clone()
                    && ui.add(delete).clicked()
                {
                    self.queue.push(Command::Delete(id));
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add(egui::Button::new("Larger Text").shortcut_text(sc(&shortcuts::ZOOM_IN)))
                    .clicked()
                {
                    self.queue.push(Command::Zoom(1));
                }
                if ui
                    .add(egui::Button::new("Smaller Text").shortcut_text(sc(&shortcuts::ZOOM_OUT)))
                    .clicked()
                {
                    self.queue.push(Command::Zoom(-1));
                }
                if ui
                    .add(
                        egui::Button::new("Default Size").shortcut_text(sc(&shortcuts::ZOOM_RESET)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::Zoom(0));
                }
                ui.separator();
                use crate::ui::prefs::ThemeChoice;
                for (choice, name) in [
                    (ThemeChoice::System, "Follow System Theme"),
                    (ThemeChoice::Light, "Light Theme"),
                    (ThemeChoice::Dark, "Dark Theme"),
                ] {
                    if ui.radio(self.prefs.theme == choice, name).clicked() {
                        self.prefs.theme = choice;
                        ui.ctx().set_theme(choice.preference());
                    }
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Next Annotation").shortcut_text("N"))
                    .clicked()
                {
                    self.queue.push(Command::Next);
                }
                if ui
                    .add(egui::Button::new("Previous Annotation").shortcut_text("P"))
                    .clicked()
                {
                    self.queue.push(Command::Previous);
                }
                if ui
                    .add(egui::Button::new("Next to Review").shortcut_text("R"))
                    .clicked()
                {
                    self.queue.push(Command::NextFlagged);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Go To…").shortcut_text(sc(&shortcuts::GO_TO)))
                    .clicked()
                {
                    self.go_to.open();
                }
                let mut caret = self.reader.caret().is_some();
                if ui
                    .checkbox(&mut caret, "Caret Browsing")
                    .on_hover_text("A caret you move with the arrow keys; Shift+arrows select")
                    .clicked()
                {
                    self.reader.toggle_caret(&self.session);
                }
            });
            ui.menu_button("Tags", |ui| {
                if ui.button("Codebook…").clicked() {
                    self.codebook_window.open = true;
                }
                if ui.button("Add Tag").clicked() {
                    self.queue.push(Command::AddTag);
                }
                ui.separator();
                let codebook = self.session.codebook();
                for (i, depth) in codebook.tree() {
                    let tag = &codebook.tags[i];
                    let indent = "    ".repeat(depth);
                    let b = egui::Button::new(format!("{indent}Tag Selection “{}”", tag.name));
                    let b = match codebook.key_of(i) {
                        Some(k) => b.shortcut_text(format!("{k}")),
                        None => b,
                    };
                    if ui.add(b).clicked() {
                        self.queue.push(Command::UseTag(tag.name.clone()));
                    }
                }
                if ui
                    .add(egui::Button::new("Highlight Selection").shortcut_text("H"))
                    .clicked()
                {
                    self.queue.push(Command::Annotate(Vec::new()));
                }
            });
            ui.menu_button("Project", |ui| {
                if ui
                    .add(egui::Button::new("Passages…").shortcut_text(sc(&shortcuts::PASSAGES)))
                    .on_hover_text("Every passage with a code, across the project")
                    .clicked()
                {
                    self.queue.push(Command::ShowPassages);
                }
                if ui
                    .button("Statistics…")
                    .on_hover_text("Charts: codes per document, co-occurrence, coverage, authors")
                    .clicked()
                {
                    self.stats.open = true;
                }
            });
            ui.menu_button("Team", |ui| {
                let compare = if self.compare.open {
                    "Close Compare"
                } else {
                    "Compare and Curate…"
                };
                if ui
                    .button(compare)
                    .on_hover_text(
                        "Annotators side by side; step through their disagreements and curate them",
                    )
                    .clicked()
                {
                    if self.compare.open {
                        self.compare.open = false;
                    } else {
                        self.compare
                            .start(&self.session.store().annotations.counts().authors);
                    }
                }
                if ui
                    .button("Agreement…")
                    .on_hover_text("Krippendorff's α, Cohen's κ and span F1 between annotators")
                    .clicked()
                {
                    self.agreement.open = true;
                }
                ui.separator();
                if ui
                    .button(format!("Your Name: {}…", self.prefs.author))
                    .clicked()
                {
                    self.ask_name();
                }
            });
            ui.menu_button("Help", |ui| {
                if ui
                    .add(
                        egui::Button::new("Keyboard Shortcuts").shortcut_text(sc(&shortcuts::HELP)),
                    )
                    .clicked()
                {
                    self.shortcuts_window.open = true;
                }
                if ui.button("About Gloss").clicked() {
                    self.about_open = true;
                }
            });
        });
    }
}
