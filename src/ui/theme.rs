//! Colours derived from the codebook for the current theme.

use crate::model::Tag;
use egui::Color32;

/// Colour used for highlights without a tag.
pub const UNTAGGED: [u8; 3] = [0xE6, 0xC2, 0x00];

pub fn tag_color(tag: Option<&Tag>) -> Color32 {
    let [r, g, b] = tag.map(Tag::rgb).unwrap_or(UNTAGGED);
    Color32::from_rgb(r, g, b)
}

/// A translucent fill that keeps text readable in both themes and lets
/// overlapping highlights show through each other.
pub fn fill(color: Color32, dark: bool) -> Color32 {
    let alpha = if dark { 70 } else { 52 };
    Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha)
}

/// Text colour that reads on top of a solid `bg`.
pub fn on(bg: Color32) -> Color32 {
    let luma = 0.299 * bg.r() as f32 + 0.587 * bg.g() as f32 + 0.114 * bg.b() as f32;
    if luma > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// Fill of a find match (stronger for the one shown): a light grey-violet
/// that no codebook colour uses, so matches read apart from highlights.
pub fn found_fill(current: bool, dark: bool) -> Color32 {
    match (current, dark) {
        (true, true) => Color32::from_rgba_unmultiplied(200, 190, 255, 120),
        (true, false) => Color32::from_rgba_unmultiplied(90, 60, 200, 90),
        (false, true) => Color32::from_rgba_unmultiplied(200, 190, 255, 55),
        (false, false) => Color32::from_rgba_unmultiplied(90, 60, 200, 40),
    }
}
