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

/// What Help → Keyboard shortcuts lists: (keys, action).
pub const TABLE: &[(&str, &str)] = &[
    ("Drag", "Select text (across paragraphs too)"),
    ("Double-click", "Select a word"),
    ("Shift+click", "Extend the selection"),
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
        "Shift+Left / Shift+Right",
        "Move the selected annotation's end",
    ),
    (
        "Alt+Shift+Left / Alt+Shift+Right",
        "Move the selected annotation's start",
    ),
    ("Delete", "Delete the selected annotation"),
    ("N / P", "Next / previous annotation"),
    (
        "R",
        "Next annotation to review (orphaned or placed on edited text)",
    ),
    ("Esc", "Clear the selection"),
    ("Ctrl+C", "Copy the selected text"),
    (
        "Ctrl+Z",
        "Undo (in a note or the memo: only its own typing; Edit → Undo names what it takes back)",
    ),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    (
        "Ctrl+S",
        "Save annotations now (they also save automatically)",
    ),
    ("Ctrl+O", "Open a document"),
    (
        "Ctrl+Shift+P",
        "Passages: every passage with a code, across the project",
    ),
    (
        "Ctrl+= / Ctrl+- / Ctrl+0",
        "Larger / smaller / default text",
    ),
    ("F1", "This list"),
];

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
    }
}
