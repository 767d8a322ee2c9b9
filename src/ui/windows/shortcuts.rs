//! Keyboard shortcuts: one table, used by the key handler, the menus and
//! Help → Keyboard shortcuts, so they can never disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const COPY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::C);
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
pub const ZOOM_IN_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
pub const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const FIND_NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F3);
pub const FIND_PREVIOUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F3);
pub const PASSAGES: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::P);

pub const GO_TO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::G);
pub const CARET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F7);

/// Every shortcut above, for the test that each is in [`TABLE`].
#[cfg(test)]
const ALL: &[&KeyboardShortcut] = &[
    &OPEN,
    &SAVE,
    &QUIT,
    &UNDO,
    &REDO,
    &REDO_Y,
    &COPY,
    &ZOOM_IN,
    &ZOOM_IN_PLUS,
    &ZOOM_OUT,
    &ZOOM_RESET,
    &HELP,
    &FIND,
    &FIND_NEXT,
    &FIND_PREVIOUS,
    &PASSAGES,
    &GO_TO,
    &CARET,
];

/// Every key Gloss answers to: (keys, what they do). Help → Keyboard
/// shortcuts shows this list and the README's table is generated from it
/// (`readme_keys_are_this_list` fails when they differ; `GLOSS_BLESS=1`
/// rewrites the README), so the two cannot disagree.
pub const TABLE: &[(&str, &str)] = &[
    ("Drag", "Select text (across paragraphs too)"),
    ("Double-click", "Select a word"),
    ("Shift+click", "Extend the selection"),
    (
        "↑ / ↓",
        "Scroll a line (caret browsing: move the caret a row)",
    ),
    (
        "Page Up / Page Down, Shift+Space / Space",
        "Scroll a screen",
    ),
    (
        "Home / End, Ctrl+Home / Ctrl+End",
        "Go to the start / end of the document (caret browsing: Home / End go to the start / end of the row)",
    ),
    (
        "Ctrl+G",
        "Go to a page (PDF), a chapter (EPUB), a heading, or a character offset",
    ),
    ("Ctrl+↑ / Ctrl+↓, Alt+↑ / Alt+↓", "Previous / next heading"),
    (
        "F7",
        "Caret browsing on / off: a caret you move with the arrow keys, so text can be selected without a mouse",
    ),
    (
        "← / →, Ctrl+← / Ctrl+→",
        "Caret browsing: move the caret a character / a word",
    ),
    (
        "Shift+arrows, Shift+Ctrl+← / Shift+Ctrl+→, Shift+Home / Shift+End, Shift+Page Up / Shift+Page Down",
        "Caret browsing: select from the caret (by word with Ctrl, to the row's start or end, a screen at a time); then 1 – 9 or H tags the selection",
    ),
    (
        "1 – 9",
        "Tag the selection (or toggle that tag on the selected annotation)",
    ),
    ("H", "Highlight the selection without a tag"),
    ("Click a highlight", "Select its annotation"),
    (
        "Drag a grip",
        "Move the selected annotation's start (grip above its first letter) or end (grip below its last); a drag on the text itself selects text",
    ),
    (
        "Shift+← / Shift+→",
        "Without caret browsing: move the selected annotation's end",
    ),
    (
        "Alt+Shift+← / Alt+Shift+→",
        "Move the selected annotation's start (with caret browsing too)",
    ),
    ("Delete, Backspace", "Delete the selected annotation"),
    ("N / P", "Next / previous annotation"),
    (
        "R",
        "Next annotation to review (orphaned, or placed on edited text)",
    ),
    (
        "Esc",
        "Clear the selection; close the find bar or this list",
    ),
    ("Ctrl+C", "Copy the selected text"),
    (
        "Ctrl+F",
        "Find in the document; Enter / Shift+Enter for next / previous; Esc closes",
    ),
    ("F3 / Shift+F3", "Next / previous match"),
    (
        "Ctrl+Z",
        "Undo (in a note or the memo: only its own typing; Edit → Undo names what it takes back)",
    ),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    (
        "Ctrl+S",
        "Save annotations now (they also save automatically a second after each change)",
    ),
    ("Ctrl+O", "Open a document"),
    (
        "Ctrl+Shift+P",
        "Passages: every passage with a code, across the project",
    ),
    (
        "Ctrl+= or Ctrl++ / Ctrl+- / Ctrl+0",
        "Larger / smaller / default text",
    ),
    ("F1", "Keyboard shortcuts (this list)"),
    ("Ctrl+Q", "Quit (after saving)"),
];

/// The README's table of keys, as generated from [`TABLE`].
#[cfg(test)]
pub fn markdown_table() -> String {
    let mut out = String::from("| Keys | Action |\n|---|---|\n");
    for (keys, what) in TABLE {
        out.push_str(&format!("| {keys} | {what} |\n"));
    }
    out
}

/// The Help → Keyboard shortcuts window.
#[derive(Default)]
pub struct ShortcutsWindow {
    pub open: bool,
}

impl ShortcutsWindow {
    pub fn show(&mut self, ctx: &egui::Context) {
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                let tall = ui.ctx().content_rect().height() * 0.7;
                egui::ScrollArea::vertical()
                    .max_height(tall)
                    .show(ui, |ui| {
                        egui::Grid::new("shortcuts")
                            .striped(true)
                            .spacing([16.0, 6.0])
                            .show(ui, |ui| {
                                for (keys, what) in TABLE {
                                    ui.strong(*keys);
                                    ui.label(*what);
                                    ui.end_row();
                                }
                            });
                    });
            });
    }
}

#[cfg(test)]
mod tests {
    /// Every shortcut constant is listed, as egui names it (Ctrl on Linux
    /// and Windows).
    #[test]
    fn every_shortcut_is_in_the_table() {
        for s in super::ALL {
            // The table writes keys as they are printed on them.
            let name = s
                .format(&egui::ModifierNames::NAMES, false)
                .replace("Equals", "=")
                .replace("Plus", "+")
                .replace("Minus", "-");
            let listed = super::TABLE.iter().any(|(keys, _)| {
                keys.split([',', '/'])
                    .flat_map(|k| k.split(" or "))
                    .any(|k| k.trim() == name)
            });
            assert!(listed, "{name} is not in the table of keys");
        }
    }

    /// The README's key table is [`super::TABLE`]; `GLOSS_BLESS=1`
    /// rewrites it there.
    #[test]
    fn readme_keys_are_this_list() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap_or_default();
        let begin = "<!-- keys: generated from src/ui/windows/shortcuts.rs -->\n";
        let end = "<!-- end of keys -->";
        let (Some(a), Some(b)) = (readme.find(begin), readme.find(end)) else {
            panic!("README.md has no generated key table between {begin:?} and {end:?}");
        };
        let wanted = super::markdown_table();
        let have = &readme[a + begin.len()..b];
        if have != wanted && std::env::var_os("GLOSS_BLESS").is_some() {
            let new = format!("{}{wanted}{}", &readme[..a + begin.len()], &readme[b..]);
            std::fs::write(&path, new).expect("README.md is writable");
            return;
        }
        assert_eq!(
            have, wanted,
            "run GLOSS_BLESS=1 cargo test --lib readme_keys"
        );
    }
}
