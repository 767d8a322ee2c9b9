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
/// overlapping highlights show through each other: text over one or two
/// fills of any palette colour stays at 4.5:1 or more (tested below).
pub fn fill(color: Color32, dark: bool) -> Color32 {
    // Any stronger in the dark theme and light text over two fills
    // falls below 4.5:1.
    let alpha = if dark { 48 } else { 52 };
    Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), alpha)
}

/// Gloss's look in a theme: egui's, with text that meets WCAG AA (4.5:1
/// for text; secondary text too) and a grey selection that no code's
/// colour is mistaken for.
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let (text, weak, selection) = if dark {
        (
            Color32::from_gray(225),
            Color32::from_gray(150),
            Color32::from_gray(92),
        )
    } else {
        (
            Color32::from_gray(20),
            Color32::from_gray(92),
            Color32::from_gray(170),
        )
    };
    v.widgets.noninteractive.fg_stroke.color = text;
    v.weak_text_color = Some(weak);
    if dark {
        v.error_fg_color = Color32::from_rgb(255, 100, 100);
    } else {
        v.error_fg_color = Color32::from_rgb(180, 0, 0);
        v.warn_fg_color = Color32::from_rgb(160, 80, 0);
        v.hyperlink_color = Color32::from_rgb(0, 90, 170);
    }
    v.selection.bg_fill = selection;
    // Disabled controls (the code buttons with nothing selected) stay
    // legible: egui halves their opacity.
    v.disabled_alpha = 0.7;
    v.selection.stroke.color = text;
    v
}

/// Sets Gloss's look for both themes (the user's choice picks one).
pub fn apply(ctx: &egui::Context) {
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true));
    ctx.set_visuals_of(egui::Theme::Light, visuals(false));
}

/// The colour of running heads and feet: fainter than the text, still
/// readable (the weak text colour, at least 4.5:1).
pub fn faint(visuals: &egui::Visuals) -> Color32 {
    visuals.weak_text_color()
}

/// Text colour that reads on top of a solid `bg`: black or white,
/// whichever has more contrast with it.
pub fn on(bg: Color32) -> Color32 {
    let [r, g, b] = crate::model::text_on([bg.r(), bg.g(), bg.b()]);
    Color32::from_rgb(r, g, b)
}

/// `color` as text on `bg`: the code's hue, lightened (on a dark ground)
/// or darkened (on a light one) just enough to reach 4.5:1.
pub fn readable(color: Color32, bg: Color32) -> Color32 {
    let toward = on(bg);
    (0..=20)
        .map(|step| color.lerp_to_gamma(toward, step as f32 / 20.0))
        .find(|c| contrast(*c, bg) >= 4.5)
        .unwrap_or(toward)
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    crate::model::contrast([a.r(), a.g(), a.b()], [b.r(), b.g(), b.b()])
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `top` (translucent, unmultiplied alpha) painted over opaque `bg`.
    fn over(top: Color32, bg: Color32) -> Color32 {
        let [r, g, b, a] = top.to_srgba_unmultiplied();
        let a = f32::from(a) / 255.0;
        let mix = |t: u8, u: u8| (f32::from(t) * a + f32::from(u) * (1.0 - a)).round() as u8;
        Color32::from_rgb(mix(r, bg.r()), mix(g, bg.g()), mix(b, bg.b()))
    }

    fn palette() -> Vec<Color32> {
        let mut colors: Vec<Color32> = crate::model::PALETTE
            .iter()
            .filter_map(|h| crate::model::parse_hex_color(h))
            .map(|[r, g, b]| Color32::from_rgb(r, g, b))
            .collect();
        let [r, g, b] = UNTAGGED;
        colors.push(Color32::from_rgb(r, g, b));
        colors
    }

    #[test]
    fn every_text_meets_wcag_aa_in_both_themes() {
        for dark in [true, false] {
            let v = visuals(dark);
            let text = v.text_color();
            let grounds = [v.panel_fill, v.window_fill, v.extreme_bg_color];
            for bg in grounds {
                let at = |what: &str, fg: Color32, need: f64| {
                    let c = contrast(fg, bg);
                    assert!(c >= need, "{what} on {bg:?} (dark {dark}): {c:.2} < {need}");
                };
                at("text", text, 4.5);
                at("secondary text", v.weak_text_color(), 4.5);
                at("running heads", faint(&v), 3.0);
                at("links", v.hyperlink_color, 4.5);
                at("errors", v.error_fg_color, 4.5);
                at("warnings", v.warn_fg_color, 4.5);
                // Text over the selection, as the reader paints it.
                let selection = over(v.selection.bg_fill.gamma_multiply(0.6), bg);
                at("selected text", text, 1.0);
                assert!(
                    contrast(text, selection) >= 4.5,
                    "selected text (dark {dark})"
                );
                // Text over one and two highlights of any code colour.
                for a in palette() {
                    let one = over(fill(a, dark), bg);
                    assert!(contrast(text, one) >= 4.5, "text on {a:?} (dark {dark})");
                    for b in palette() {
                        let two = over(fill(b, dark), one);
                        let c = contrast(text, two);
                        assert!(c >= 4.5, "text on {a:?} + {b:?} (dark {dark}): {c:.2}");
                    }
                }
            }
            // Buttons' text on their fills, at rest, hovered and pressed.
            for w in [&v.widgets.inactive, &v.widgets.hovered, &v.widgets.active] {
                let c = contrast(w.fg_stroke.color, w.weak_bg_fill);
                assert!(c >= 4.5, "button text (dark {dark}): {c:.2}");
            }
            // A tag chip's label on its code's colour, and a code's name
            // in its colour (the list's filters).
            for a in palette() {
                let c = contrast(on(a), a);
                assert!(c >= 4.5, "chip label on {a:?}: {c:.2}");
                let c = contrast(readable(a, v.panel_fill), v.panel_fill);
                assert!(c >= 4.5, "{a:?} as text (dark {dark}): {c:.2}");
            }
            // The selection is not a code's colour: it is grey.
            let [r, g, b, _] = v.selection.bg_fill.to_array();
            assert!(r == g && g == b, "the selection is neutral");
        }
    }
}
