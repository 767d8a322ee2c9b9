//! Messages for the user, shown as dismissable bars above the text.

use super::command::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
    /// An optional button: (label, what it does).
    pub action: Option<(String, Command)>,
}

#[derive(Default)]
pub struct Notices {
    pub items: Vec<Notice>,
}

impl Notices {
    pub fn push(&mut self, level: Level, text: impl Into<String>) {
        self.push_with(level, text, None);
    }

    pub fn push_with(
        &mut self,
        level: Level,
        text: impl Into<String>,
        action: Option<(String, Command)>,
    ) {
        let text = text.into();
        // The same message twice in a row is noise.
        if self.items.iter().any(|n| n.text == text) {
            return;
        }
        self.items.push(Notice {
            level,
            text,
            action,
        });
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut dismiss = None;
        for (i, n) in self.items.iter().enumerate() {
            let (icon, color) = match n.level {
                Level::Info => ("ℹ", ui.visuals().hyperlink_color),
                Level::Warning => ("⚠", ui.visuals().warn_fg_color),
                Level::Error => ("⛔", ui.visuals().error_fg_color),
            };
            egui::Frame::new()
                .fill(color.gamma_multiply(0.12))
                .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
                .corner_radius(4.0)
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(color, icon);
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if super::widgets::icon_button(ui, "✖", "Dismiss").clicked() {
                                dismiss = Some(i);
                            }
                            if let Some((label, cmd)) = &n.action
                                && ui.button(label).clicked()
                            {
                                commands.push(cmd.clone());
                                dismiss = Some(i);
                            }
                            ui.with_layout(
                                egui::Layout::left_to_right(egui::Align::Center),
                                |ui| {
                                    ui.add(egui::Label::new(&n.text).wrap());
                                },
                            );
                        });
                    });
                });
        }
        if let Some(i) = dismiss {
            self.items.remove(i);
        }
        commands
    }
}
