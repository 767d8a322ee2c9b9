//! Messages for the user, shown as dismissable bars over the bottom of the
//! reading view: over it, not in the layout, so that a notice arriving
//! (a reload while the user reads) never moves the text under the pointer.

use crate::ui::command::Command;

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
    /// The undo depth the change this notice reports left: once undo goes
    /// below it, the change is gone and so is the notice.
    pub until_undone: Option<usize>,
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
        self.add(level, text.into(), action);
    }

    /// Shows a notice unless the same text is shown already; returns
    /// where it is in the list either way.
    fn add(&mut self, level: Level, text: String, action: Option<(String, Command)>) -> usize {
        // The same message twice in a row is noise.
        if let Some(i) = self.items.iter().position(|n| n.text == text) {
            return i;
        }
        self.items.push(Notice {
            level,
            text,
            action,
            until_undone: None,
        });
        self.items.len() - 1
    }

    /// A notice about a change the user can undo (`depth`: the session's
    /// undo depth just after it): it goes when the change is undone.
    pub fn push_undoable(&mut self, level: Level, text: impl Into<String>, depth: usize) {
        let i = self.add(level, text.into(), None);
        self.items[i].until_undone = Some(depth);
    }

    /// Drops the notices whose change was undone.
    pub fn forget_undone(&mut self, depth: usize) {
        self.items
            .retain(|n| n.until_undone.is_none_or(|d| depth >= d));
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Shows the notices over the bottom of `over` (the reading view).
    pub fn overlay(&mut self, ctx: &egui::Context, over: egui::Rect) -> Vec<Command> {
        if self.items.is_empty() {
            return Vec::new();
        }
        const MARGIN: f32 = 12.0;
        egui::Area::new(egui::Id::unique("notices"))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::LEFT_BOTTOM)
            .fixed_pos(over.left_bottom() + egui::vec2(MARGIN, -MARGIN))
            .constrain_to(over)
            .show(ctx, |ui| {
                let width = (over.width() - 2.0 * MARGIN).max(120.0);
                ui.set_width(width);
                ui.set_max_width(width);
                self.ui(ui)
            })
            .inner
    }

    fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut dismiss = None;
        for (i, n) in self.items.iter().enumerate() {
            let (icon, color) = match n.level {
                Level::Info => ("ℹ", ui.visuals().hyperlink_color),
                Level::Warning => ("⚠", ui.visuals().warn_fg_color),
                Level::Error => ("⛔", ui.visuals().error_fg_color),
            };
            // Opaque: the text it covers must not show through.
            let fill = ui.visuals().window_fill.lerp_to_gamma(color, 0.12);
            egui::Frame::new()
                .fill(fill)
                .shadow(ui.visuals().popup_shadow)
                .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
                .corner_radius(4.0)
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(color, icon);
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if crate::ui::widgets::icon_button(ui, "✖", "Dismiss").clicked() {
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
