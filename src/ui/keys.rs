//! Keyboard: shortcuts and keys that become commands.

use super::app::GlossApp;
use super::command::Command;
use super::shortcuts;
use egui::{Key, Modifiers};

impl GlossApp {
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.text_edit_focused();
        let mut cmds = Vec::new();
        // Esc closes the find bar from its field (before the field sees it),
        // or from the text when nothing else is being typed.
        let in_find = self
            .find
            .field
            .is_some_and(|id| ctx.memory(|m| m.has_focus(id)));
        if self.find.open
            && (in_find || !typing)
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            cmds.push(Command::CloseFind);
        }
        ctx.input_mut(|i| {
            let mut shortcut = |s: &egui::KeyboardShortcut, c: Command| {
                if i.consume_shortcut(s) {
                    cmds.push(c);
                }
            };
            shortcut(&shortcuts::SAVE, Command::Save);
            shortcut(&shortcuts::OPEN, Command::OpenDialog);
            shortcut(&shortcuts::FIND, Command::Find);
            shortcut(&shortcuts::PASSAGES, Command::ShowPassages);
            // Shift+F3 before F3: a lenient F3 would match both.
            shortcut(&shortcuts::FIND_PREVIOUS, Command::FindPrevious);
            shortcut(&shortcuts::FIND_NEXT, Command::FindNext);
            shortcut(&shortcuts::QUIT, Command::Quit);
            shortcut(&shortcuts::ZOOM_IN, Command::Zoom(1));
            shortcut(&shortcuts::ZOOM_IN_PLUS, Command::Zoom(1));
            shortcut(&shortcuts::ZOOM_OUT, Command::Zoom(-1));
            shortcut(&shortcuts::ZOOM_RESET, Command::Zoom(0));
            // One undo history, the session's, also while typing a note:
            // egui's own text-edit undo is kept per widget and could bring
            // back another annotation's note. Consumed here, before any
            // text field sees the keys. Redo before undo: Ctrl+Shift+Z
            // would also match a lenient Ctrl+Z.
            shortcut(&shortcuts::REDO, Command::Redo);
            shortcut(&shortcuts::REDO_Y, Command::Redo);
            shortcut(&shortcuts::UNDO, Command::Undo);
            if typing {
                return;
            }
            shortcut(&shortcuts::COPY, Command::Copy);
        });
        if ctx.input_mut(|i| i.consume_shortcut(&shortcuts::HELP)) {
            self.shortcuts_window.open = !self.shortcuts_window.open;
        }
        if !typing {
            let codebook = self.session.codebook();
            const NUMS: [Key; 9] = [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
                Key::Num7,
                Key::Num8,
                Key::Num9,
            ];
            ctx.input_mut(|i| {
                for (n, key) in NUMS.iter().enumerate() {
                    if let Some(tag) = codebook.by_key(n + 1)
                        && i.consume_key(Modifiers::NONE, *key)
                    {
                        cmds.push(Command::UseTag(tag.name.clone()));
                    }
                }
                let mut key = |m: Modifiers, k: Key, c: Command| {
                    if i.consume_key(m, k) {
                        cmds.push(c);
                    }
                };
                key(Modifiers::NONE, Key::H, Command::Annotate(Vec::new()));
                key(Modifiers::NONE, Key::N, Command::Next);
                key(Modifiers::NONE, Key::P, Command::Previous);
                key(Modifiers::NONE, Key::R, Command::NextFlagged);
                key(Modifiers::NONE, Key::Escape, Command::ClearSelection);
                let alt_shift = Modifiers::ALT.plus(Modifiers::SHIFT);
                key(
                    alt_shift,
                    Key::ArrowLeft,
                    Command::Nudge {
                        start: true,
                        forward: false,
                    },
                );
                key(
                    alt_shift,
                    Key::ArrowRight,
                    Command::Nudge {
                        start: true,
                        forward: true,
                    },
                );
                key(
                    Modifiers::SHIFT,
                    Key::ArrowLeft,
                    Command::Nudge {
                        start: false,
                        forward: false,
                    },
                );
                key(
                    Modifiers::SHIFT,
                    Key::ArrowRight,
                    Command::Nudge {
                        start: false,
                        forward: true,
                    },
                );
            });
            if let Some(id) = self.selected.clone()
                && ctx.input_mut(|i| {
                    i.consume_key(Modifiers::NONE, Key::Delete)
                        || i.consume_key(Modifiers::NONE, Key::Backspace)
                })
            {
                cmds.push(Command::Delete(id));
            }
        }
        self.queue.extend(cmds);
    }
}
