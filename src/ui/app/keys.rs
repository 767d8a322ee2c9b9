//! Keyboard: shortcuts and keys that become commands.

use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use crate::ui::reader::{Align, ReaderKey};
use crate::ui::shortcuts;
use egui::{Key, Modifiers};

impl GlossApp {
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        // A question is open (another coder's annotation, quitting): keys
        // are its, never shortcuts that change the document behind it.
        if self.handover_pending() || self.confirm_quit {
            return;
        }
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
        // In a note (or the memo), undo stays in that field, as in a text
        // editor: only its own typing is taken back, never another
        // annotation's change. Consumed before the field sees the keys.
        if let Some(key) = self.side.focused_field(ctx) {
            ctx.input_mut(|i| {
                if i.consume_shortcut(&shortcuts::REDO) || i.consume_shortcut(&shortcuts::REDO_Y) {
                    cmds.push(Command::RedoIn(key.clone()));
                }
                if i.consume_shortcut(&shortcuts::UNDO) {
                    cmds.push(Command::UndoIn(key));
                }
            });
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
            // One undo history, the session's, also in text fields: egui's
            // own text-edit undo is kept per widget and could bring back
            // another annotation's note. Consumed here, before any text
            // field sees the keys. Redo before undo: Ctrl+Shift+Z would
            // also match a lenient Ctrl+Z.
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
        // Esc closes Go to (egui has taken the keyboard from its field by
        // now) and the list of keys, before it clears a selection.
        if self.go_to.open && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.go_to.open = false;
        }
        if self.shortcuts_window.open
            && !typing
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.shortcuts_window.open = false;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&shortcuts::GO_TO)) {
            self.go_to.open();
        }
        if !typing {
            self.reading_keys(ctx);
        }
        if !typing {
            let caret = self.reader.caret().is_some();
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
                if caret {
                    return;
                }
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

impl GlossApp {
    /// Keys that move through the text: scrolling, headings, caret
    /// browsing. Arrows and Space only when no other widget has the
    /// keyboard (a focused button keeps its Space, a list its arrows).
    fn reading_keys(&mut self, ctx: &egui::Context) {
        let focus = ctx.memory(|m| m.focused());
        let free = focus.is_none() || focus == self.reader.document_id();
        if ctx.input_mut(|i| i.consume_shortcut(&shortcuts::CARET)) {
            self.reader.toggle_caret(&self.session);
        }
        let caret = self.reader.caret().is_some();
        let shift = Modifiers::SHIFT;
        let ctrl = Modifiers::COMMAND;
        let ctrl_shift = ctrl.plus(shift);
        // The arrows are the text's while it has the keyboard, not egui's
        // way to move focus to the next widget.
        if let Some(id) = self.reader.document_id().filter(|id| focus == Some(*id)) {
            ctx.memory_mut(|m| {
                m.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        ..Default::default()
                    },
                )
            });
        }
        // Alt+Shift+←/→ move an annotation's start in caret mode too: taken
        // before Shift+←/→, which egui would match with Alt held.
        if caret {
            let alt_shift = Modifiers::ALT.plus(shift);
            ctx.input_mut(|i| {
                for (k, forward) in [(Key::ArrowLeft, false), (Key::ArrowRight, true)] {
                    if i.consume_key(alt_shift, k) {
                        self.queue.push(Command::Nudge {
                            start: true,
                            forward,
                        });
                    }
                }
            });
        }
        let mut keys: Vec<(Modifiers, Key, ReaderKey)> = Vec::new();
        for (m, select) in [(Modifiers::NONE, false), (shift, true)] {
            keys.extend([
                (m, Key::PageDown, ReaderKey::PageDown { select }),
                (m, Key::PageUp, ReaderKey::PageUp { select }),
                (ctrl.plus(m), Key::Home, ReaderKey::Top { select }),
                (ctrl.plus(m), Key::End, ReaderKey::Bottom { select }),
            ]);
            keys.extend(if caret {
                [
                    (m, Key::Home, ReaderKey::RowStart { select }),
                    (m, Key::End, ReaderKey::RowEnd { select }),
                ]
            } else {
                [
                    (m, Key::Home, ReaderKey::Top { select }),
                    (m, Key::End, ReaderKey::Bottom { select }),
                ]
            });
        }
        if free {
            keys.extend([
                (
                    Modifiers::NONE,
                    Key::Space,
                    ReaderKey::PageDown { select: false },
                ),
                (shift, Key::Space, ReaderKey::PageUp { select: false }),
            ]);
            if caret {
                for (m, select, word) in [
                    (Modifiers::NONE, false, false),
                    (shift, true, false),
                    (ctrl, false, true),
                    (ctrl_shift, true, true),
                ] {
                    keys.push((m, Key::ArrowLeft, ReaderKey::Left { select, word }));
                    keys.push((m, Key::ArrowRight, ReaderKey::Right { select, word }));
                }
                keys.extend([
                    (
                        Modifiers::NONE,
                        Key::ArrowUp,
                        ReaderKey::Up { select: false },
                    ),
                    (
                        Modifiers::NONE,
                        Key::ArrowDown,
                        ReaderKey::Down { select: false },
                    ),
                    (shift, Key::ArrowUp, ReaderKey::Up { select: true }),
                    (shift, Key::ArrowDown, ReaderKey::Down { select: true }),
                ]);
            } else {
                keys.extend([
                    (Modifiers::NONE, Key::ArrowUp, ReaderKey::LineUp),
                    (Modifiers::NONE, Key::ArrowDown, ReaderKey::LineDown),
                ]);
            }
        }
        // egui ignores extra Shift and Alt when matching (Alt+↓ would be
        // ↓): headings first, then the most modifiers first.
        let headings = ctx.input_mut(|i| {
            [ctrl, Modifiers::ALT].iter().find_map(|m| {
                if i.consume_key(*m, Key::ArrowDown) {
                    Some(true)
                } else if i.consume_key(*m, Key::ArrowUp) {
                    Some(false)
                } else {
                    None
                }
            })
        });
        keys.sort_by_key(|(m, _, _)| {
            std::cmp::Reverse(u8::from(m.shift) + u8::from(m.alt) + u8::from(m.command))
        });
        let pressed: Vec<ReaderKey> = ctx.input_mut(|i| {
            keys.iter()
                .filter(|(m, k, _)| i.consume_key(*m, *k))
                .map(|(_, _, r)| *r)
                .collect()
        });
        for k in pressed {
            self.reader.key(ctx, &self.session, k);
        }
        if let Some(forward) = headings {
            self.step_heading(forward);
        }
    }

    /// Ctrl+↓ / Ctrl+↑: to the next (previous) heading from the caret, or
    /// from the top of the view.
    fn step_heading(&mut self, forward: bool) {
        let doc = self.session.doc();
        let from = self
            .reader
            .caret()
            .unwrap_or_else(|| self.reader.top_offset(doc));
        let structure = doc.structure();
        let found = if forward {
            structure.next_heading(from)
        } else {
            structure.previous_heading(from)
        };
        match found {
            Some(at) => {
                let said = crate::ui::goto::line_text(doc, at);
                self.reader.go_to(&self.session, at, Align::Top);
                self.reader.announce(format!("Heading: {said}"));
            }
            None => {
                let said = if structure.headings().next().is_none() {
                    "This document has no headings."
                } else if forward {
                    "No heading after this point."
                } else {
                    "No heading before this point."
                };
                self.reader.announce(said);
                self.notices.push(crate::ui::Level::Info, said);
            }
        }
    }

    /// Undo (or redo) in one text field: only the steps whose coalesce key
    /// is `key`; when there are none, nothing happens but a word under
    /// the field.
    pub(super) fn undo_in(
        &mut self,
        key: &str,
        redo: bool,
    ) -> Result<(), crate::session::CommandError> {
        let done = self.session.undo_in(key, redo)?;
        self.side.field_hint = (!done).then(|| {
            if redo {
                "Nothing more to redo here.".to_string()
            } else {
                "Nothing more to undo in this field. Edit → Undo reaches other changes.".into()
            }
        });
        Ok(())
    }
}
