//! Annotators in the window: whose annotations the reading view and the
//! list show, colouring by author, and asking the user's name once.

use egui::{Color32, RichText};
use std::collections::{BTreeMap, BTreeSet};

/// Whose annotations are shown, and how they are coloured. Shared by the
/// reading view and the list, so both show the same.
#[derive(Clone, Debug, Default)]
pub struct AuthorView {
    /// Only these authors' annotations; empty: everyone's.
    pub shown: BTreeSet<String>,
    /// Colour highlights by author instead of by code.
    pub by_author: bool,
    /// Compare mode: these annotators, each in its own underline lane (in
    /// this order), coloured by author; everyone else's hidden.
    pub lanes: Vec<String>,
}

/// Colours for authors: Okabe–Ito without black (unreadable on a dark
/// background), in an order that keeps the first few far apart.
const AUTHOR_COLOURS: [[u8; 3]; 7] = [
    [0x00, 0x72, 0xB2],
    [0xE6, 0x9F, 0x00],
    [0x00, 0x9E, 0x73],
    [0xCC, 0x79, 0xA7],
    [0xD5, 0x5E, 0x00],
    [0x56, 0xB4, 0xE9],
    [0xF0, 0xE4, 0x42],
];

fn palette(i: usize) -> Color32 {
    let [r, g, b] = AUTHOR_COLOURS[i % AUTHOR_COLOURS.len()];
    Color32::from_rgb(r, g, b)
}

impl AuthorView {
    pub fn shows(&self, author: &str) -> bool {
        if !self.lanes.is_empty() {
            return self.lanes.iter().any(|a| a == author);
        }
        self.shown.is_empty() || self.shown.contains(author)
    }

    pub fn colours_by_author(&self) -> bool {
        self.by_author || !self.lanes.is_empty()
    }

    /// The underline lane of `author` in compare mode.
    pub fn lane_of(&self, author: &str) -> Option<usize> {
        self.lanes.iter().position(|a| a == author)
    }

    /// The colour of `author`: by place among the compared annotators, or
    /// among the document's authors (`authors`, sorted).
    pub fn color(&self, author: &str, authors: &BTreeMap<String, usize>) -> Color32 {
        let i = self
            .lane_of(author)
            .or_else(|| authors.keys().position(|a| a == author))
            .unwrap_or(0);
        palette(i)
    }

    /// Whether the list's author filter is on (the rows then need it).
    pub fn key(&self) -> (Vec<String>, Vec<String>) {
        (self.shown.iter().cloned().collect(), self.lanes.clone())
    }

    /// A chip per author (with their count) to show or hide them, and
    /// “colour by author”; drawn only when the document has two authors or
    /// more.
    pub fn chips(&mut self, ui: &mut egui::Ui, authors: &BTreeMap<String, usize>) {
        if authors.len() < 2 || !self.lanes.is_empty() {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.weak("by");
            for (name, n) in authors {
                let on = self.shown.contains(name);
                let shown = if name.is_empty() { "(no author)" } else { name };
                let text = RichText::new(format!("{shown} {n}")).color(if self.by_author {
                    crate::ui::theme::readable(self.color(name, authors), ui.visuals().panel_fill)
                } else {
                    ui.visuals().text_color()
                });
                if ui
                    .selectable_label(on, text)
                    .on_hover_text(format!(
                        "Show {} annotations by {shown} (click others to add them)",
                        if on { "all, not only the" } else { "the" }
                    ))
                    .clicked()
                {
                    if on {
                        self.shown.remove(name);
                    } else {
                        self.shown.insert(name.clone());
                    }
                }
            }
            ui.checkbox(&mut self.by_author, "colour by author")
                .on_hover_text("Colour highlights by who made them instead of by code");
        });
    }
}

/// Asks the user's name the first time Gloss runs (prefilled from git or
/// the login name, when known), since every annotation records it.
#[derive(Default)]
pub struct NamePrompt {
    pub open: bool,
    name: String,
    /// The field was given the keyboard focus when the prompt opened.
    focused: bool,
    /// The name was pre-filled: select it at the next frame, so what the
    /// user types replaces it instead of being added to it.
    select: bool,
}

impl NamePrompt {
    /// Opens the prompt with `name` in the field, selected (empty: the
    /// field shows its hint; a made-up name is never offered).
    pub fn ask(&mut self, name: &str) {
        self.open = true;
        self.name = name.to_string();
        self.focused = false;
        self.select = true;
    }

    /// A better guess (git's `user.name`) than `was`, taken only if the
    /// user has not started typing.
    pub fn suggest(&mut self, was: &str, name: &str) {
        if self.open && self.name == was {
            self.name = name.to_string();
            self.select = true;
        }
    }

    /// What the field holds.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the name once the user confirms it.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<String> {
        if !self.open {
            return None;
        }
        let mut done = None;
        egui::Modal::new(egui::Id::unique("your name")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("Welcome to Gloss");
            ui.label("Your name is recorded as the author of the annotations you make, so a team can tell who coded what.");
            let label = ui.label("Your name:");
            let mut output = egui::TextEdit::singleline(&mut self.name)
                .desired_width(260.0)
                .hint_text("e.g. Ana Ruiz")
                .show(ui);
            let edit = output.response.response.labelled_by(label.id);
            if !self.focused {
                edit.request_focus();
                self.focused = true;
            }
            if self.select {
                // Kept while the field has the focus (egui collapses a
                // selection only in a field without it).
                let all = egui::text::CCursorRange::select_all_str(&self.name);
                output.state.cursor.set_char_range(Some(all));
                output.state.store(ui.ctx(), edit.id);
                self.select = false;
            }
            // Enter confirms, in the field or not (as a dialog's default button).
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.weak("You can change it later in Preferences.");
            let ok = !self.name.trim().is_empty();
            if ui.add_enabled(ok, egui::Button::new("OK")).clicked() || (ok && enter) {
                done = Some(self.name.trim().to_string());
            }
        });
        if done.is_some() {
            self.open = false;
            self.focused = false;
        }
        done
    }
}

/// Who an annotation is by, and who last changed it when that was someone
/// else ("Ana · changed by Ben"), so a colleague's edit is never passed off
/// as the author's.
pub fn who(a: &crate::model::Annotation) -> String {
    if a.changed_by.is_empty() || a.changed_by == a.author {
        a.author.clone()
    } else if a.author.is_empty() {
        format!("changed by {}", a.changed_by)
    } else {
        format!("{} · changed by {}", a.author, a.changed_by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_lanes_show_only_their_annotators_in_their_colours() {
        let mut v = AuthorView::default();
        assert!(v.shows("anyone"));
        v.shown.insert("Ana".into());
        assert!(v.shows("Ana") && !v.shows("Ben"));
        v.lanes = vec!["Ben".into(), "Cy".into()];
        assert!(v.shows("Ben") && v.shows("Cy") && !v.shows("Ana"));
        assert_eq!(v.lane_of("Cy"), Some(1));
        let authors = BTreeMap::new();
        assert_ne!(v.color("Ben", &authors), v.color("Cy", &authors));
    }
}
