//! Asking for the password of a protected PDF, as every PDF reader does.
//! The password opens the file in memory; it is never written anywhere.

use std::path::PathBuf;

pub struct PasswordPrompt {
    pub path: PathBuf,
    text: String,
    /// The last password tried was not the file's.
    wrong: bool,
}

impl PasswordPrompt {
    pub fn new(path: PathBuf, wrong: bool) -> Self {
        Self {
            path,
            text: String::new(),
            wrong,
        }
    }

    /// Draws the prompt; `Some(Some(password))` to open, `Some(None)` to give
    /// up, `None` while the user is typing.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<String>> {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("pdf password")).show(ctx, |ui| {
            ui.heading("Password needed");
            ui.label(format!(
                "{name} is protected by a password. Enter it to open the file."
            ));
            if self.wrong {
                ui.colored_label(ui.visuals().error_fg_color, "That is not its password.");
            }
            let field = ui
                .horizontal(|ui| {
                    let label = ui.label("Password");
                    ui.add(egui::TextEdit::singleline(&mut self.text).password(true))
                        .labelled_by(label.id)
                })
                .inner;
            field.request_focus();
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button("Open").clicked() || entered {
                    answer = Some(Some(std::mem::take(&mut self.text)));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(None);
        }
        answer
    }
}
