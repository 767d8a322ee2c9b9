//! Small pieces of UI shared by several views.

use super::theme;
use crate::model::{Annotation, Codebook};
use egui::RichText;

/// A non-interactive coloured tag label.
pub fn tag_chip(ui: &mut egui::Ui, name: &str, codebook: &Codebook) {
    let color = theme::tag_color(codebook.get(name));
    egui::Frame::new()
        .fill(color)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(5, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(name).small().color(theme::on(color)));
        });
}

/// A tag as a toggle: filled with its colour when on, coloured text when off.
pub fn tag_toggle(
    ui: &mut egui::Ui,
    tag: &crate::model::Tag,
    label: impl Into<String>,
    on: bool,
) -> egui::Response {
    let color = theme::tag_color(Some(tag));
    let off = theme::readable(color, ui.visuals().panel_fill);
    let text = RichText::new(label.into()).color(if on { theme::on(color) } else { off });
    let mut button = egui::Button::selectable(on, text);
    if on {
        button = button.fill(color);
    }
    ui.add(button)
}

/// A small icon button whose accessible name (what screen readers say and
/// tests find) is `name`, shown as a tooltip too.
pub fn icon_button(ui: &mut egui::Ui, icon: &str, name: &str) -> egui::Response {
    let r = ui.small_button(icon);
    let label = name.to_string();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    r.on_hover_text(name)
}

/// Tags, quote and note of one annotation (tooltips).
pub fn annotation_summary(ui: &mut egui::Ui, a: &Annotation, codebook: &Codebook) {
    ui.horizontal_wrapped(|ui| {
        if a.tags.is_empty() {
            ui.weak("highlight");
        }
        for t in &a.tags {
            tag_chip(ui, t, codebook);
        }
    });
    if !a.note.is_empty() {
        ui.label(&a.note);
    }
    ui.label(
        RichText::new(format!("— {}", a.author))
            .small()
            .color(ui.visuals().weak_text_color()),
    );
}
