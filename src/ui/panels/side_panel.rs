//! The right-hand panel: the selected annotation's editor, then the list of
//! all annotations with filters.

use crate::formats::report::clip as shorten;
use crate::model::{Annotation, AnnotationId, Change, CharRange};
use crate::session::Session;
use crate::ui::command::Command;
use crate::ui::theme;
use crate::ui::widgets::{tag_chip, tag_toggle};
use egui::{RichText, Sense};

const ROW_HEIGHT: f32 = 58.0;

/// The filters the list's rows were derived with.
/// The codes are the filter's code and those under it (none: untagged
/// highlights).
type Filters = (
    String,
    Option<Vec<String>>,
    Option<Flag>,
    (Vec<String>, Vec<String>),
);

/// The list's rows: positions in the set.
#[derive(Default)]
enum Rows {
    /// No filter: every annotation, without a copy of 100,000 positions.
    #[default]
    All,
    Some(Vec<usize>),
}

/// Whether `text`, lower-cased, contains `needle` (already lower-case),
/// without allocating for the usual ASCII text.
fn contains_folded(text: &str, needle: &str) -> bool {
    if text.is_ascii() && needle.is_ascii() {
        let (t, n) = (text.as_bytes(), needle.as_bytes());
        n.is_empty() || t.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        text.to_lowercase().contains(needle)
    }
}

/// Annotations that need the user: orphans, and fuzzy placements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Orphans,
    Review,
}

#[derive(Default)]
pub struct SidePanel {
    pub filter_text: String,
    /// Show only annotations with this tag (`Some("")`: untagged highlights).
    pub filter_tag: Option<String>,
    /// Show only orphans, or only annotations awaiting review.
    pub filter_flag: Option<Flag>,
    /// The codes `filter_tag` shows: it and the codes under it.
    filter_codes: Option<Vec<String>>,
    /// Whose annotations the list and the reading view show.
    pub authors: crate::ui::authors::AuthorView,
    /// Positions in the annotation set, as of (revision, filters).
    rows: Rows,
    rows_key: Option<(u64, Filters)>,
    /// Annotations checked against the filters so far (for the tests that
    /// keep an edit's cost independent of the number of annotations).
    checked: std::cell::Cell<usize>,
    /// The text field that had the focus last frame (a note, the memo),
    /// with the coalesce key of its typing: undo inside it stays in it.
    field: Option<(egui::Id, String)>,
    /// Said under that field when its undo found nothing more of its own.
    pub field_hint: Option<String>,
}

impl SidePanel {
    /// Annotations checked against the list's filters so far.
    pub fn checked(&self) -> usize {
        self.checked.get()
    }

    /// The coalesce key of the text field that has the focus, if one of
    /// this panel's does.
    pub fn focused_field(&self, ctx: &egui::Context) -> Option<String> {
        let (id, key) = self.field.as_ref()?;
        ctx.memory(|m| m.has_focus(*id)).then(|| key.clone())
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        selected: Option<&AnnotationId>,
        has_selection: bool,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut field = Field {
            focused: None,
            hint: self.field_hint.take(),
            was: self.field.take(),
        };
        memo_ui(ui, session, &mut field, &mut commands);
        if let Some(a) = selected.and_then(|id| session.annotation(id)) {
            details_ui(ui, session, a, has_selection, &mut field, &mut commands);
            ui.separator();
        } else {
            ui.weak("Select text and press a tag's number key, or click a highlight to edit it.");
            ui.separator();
        }
        self.list_ui(ui, session, selected, &mut commands);
        // The word about undo lasts while its field keeps the focus.
        if field.focused.is_some()
            && field.focused.as_ref().map(|f| &f.1) == field.was.as_ref().map(|f| &f.1)
        {
            self.field_hint = field.hint;
        }
        self.field = field.focused;
        commands
    }

    fn matches(&self, a: &Annotation, needle: &str) -> bool {
        self.checked.set(self.checked.get() + 1);
        (match &self.filter_codes {
            Some(codes) if codes.is_empty() => a.tags.is_empty(),
            Some(codes) => a.tags.iter().any(|t| codes.contains(t)),
            None => true,
        }) && (match self.filter_flag {
            Some(Flag::Orphans) => a.is_orphaned(),
            Some(Flag::Review) => a.needs_review(),
            None => true,
        }) && self.authors.shows(&a.author)
            && (needle.is_empty()
                || contains_folded(&a.quote, needle)
                || contains_folded(&a.note, needle)
                || contains_folded(&a.author, needle))
    }

    /// Brings the list's rows up to date: with no filter the rows are the
    /// set itself; otherwise each change since the last frame is applied
    /// to the filtered positions (a keystroke in a note re-checks one
    /// annotation, not 100,000), and only a new filter or a large batch
    /// filters everything again.
    fn refresh_rows(&mut self, session: &Session) {
        let set = &session.store().annotations;
        // A parent code shows the codes under it too.
        self.filter_codes = self.filter_tag.as_ref().map(|t| match t.as_str() {
            "" => Vec::new(),
            t => session.codebook().with_descendants(t),
        });
        let filters = (
            self.filter_text.clone(),
            self.filter_codes.clone(),
            self.filter_flag,
            self.authors.key(),
        );
        let unfiltered = filters.0.is_empty()
            && filters.1.is_none()
            && filters.2.is_none()
            && filters.3.0.is_empty()
            && filters.3.1.is_empty();
        if unfiltered {
            self.rows = Rows::All;
            self.rows_key = None;
            return;
        }
        let needle = self.filter_text.to_lowercase();
        let old = std::mem::take(&mut self.rows);
        if let (Rows::Some(mut rows), Some((rev, key))) = (old, &self.rows_key)
            && *key == filters
            && let Some(changes) = set.changes_since(*rev)
        {
            for change in changes {
                match change {
                    Change::Inserted(i) => {
                        let at = rows.partition_point(|&r| r < i);
                        rows[at..].iter_mut().for_each(|r| *r += 1);
                        if set.at(i).is_some_and(|a| self.matches(a, &needle)) {
                            rows.insert(at, i);
                        }
                    }
                    Change::Removed(i) => {
                        let at = rows.partition_point(|&r| r < i);
                        if rows.get(at) == Some(&i) {
                            rows.remove(at);
                        }
                        rows[at..].iter_mut().for_each(|r| *r -= 1);
                    }
                    Change::Replaced(i) => {
                        let at = rows.partition_point(|&r| r < i);
                        let listed = rows.get(at) == Some(&i);
                        let keep = set.at(i).is_some_and(|a| self.matches(a, &needle));
                        if listed && !keep {
                            rows.remove(at);
                        } else if keep && !listed {
                            rows.insert(at, i);
                        }
                    }
                }
            }
            self.rows = Rows::Some(rows);
            self.rows_key = Some((set.revision(), filters));
            return;
        }
        let rows = set
            .iter()
            .enumerate()
            .filter(|(_, a)| self.matches(a, &needle))
            .map(|(i, _)| i)
            .collect();
        self.rows = Rows::Some(rows);
        self.rows_key = Some((set.revision(), filters));
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        selected: Option<&AnnotationId>,
        commands: &mut Vec<Command>,
    ) {
        self.refresh_rows(session);
        let set = &session.store().annotations;
        let codebook = session.codebook();
        ui.horizontal(|ui| {
            ui.heading("Annotations");
            ui.label(RichText::new(format!("{}", set.len())).weak());
        });
        ui.add(
            egui::TextEdit::singleline(&mut self.filter_text)
                .hint_text("Filter by text, note or author")
                .desired_width(f32::INFINITY),
        );
        ui.horizontal_wrapped(|ui| {
            if ui
                .selectable_label(self.filter_tag.is_none(), "All")
                .clicked()
            {
                self.filter_tag = None;
            }
            for (i, depth) in codebook.tree() {
                let tag = &codebook.tags[i];
                let count = set.counts().of(&tag.name);
                let on = self.filter_tag.as_deref() == Some(tag.name.as_str());
                let label = format!("{}{} {count}", "› ".repeat(depth), tag.name);
                let under = codebook.with_descendants(&tag.name).len() > 1;
                let hint = if under {
                    format!("Show only “{}” and the codes under it", tag.name)
                } else {
                    format!("Show only “{}”", tag.name)
                };
                if tag_toggle(ui, tag, label, on)
                    .on_hover_text(hint)
                    .clicked()
                {
                    self.filter_tag = if on { None } else { Some(tag.name.clone()) };
                }
            }
            for (flag, n, name, hint) in [
                (Flag::Orphans, set.counts().orphans, "⚠ orphans", "Annotations whose text is gone: kept as they were; attach them to new text or delete them"),
                (Flag::Review, set.counts().review, "review", "Annotations placed on edited text: check and confirm them"),
            ] {
                if n > 0 {
                    let on = self.filter_flag == Some(flag);
                    if ui
                        .selectable_label(on, format!("{name} {n}"))
                        .on_hover_text(hint)
                        .clicked()
                    {
                        self.filter_flag = if on { None } else { Some(flag) };
                    }
                }
            }
            let untagged = set.counts().untagged;
            if untagged > 0 {
                let on = self.filter_tag.as_deref() == Some("");
                if ui
                    .selectable_label(on, format!("highlights {untagged}"))
                    .clicked()
                {
                    self.filter_tag = if on { None } else { Some(String::new()) };
                }
            }
        });
        self.authors.chips(ui, &set.counts().authors);
        self.refresh_rows(session);
        let shown = match &self.rows {
            Rows::All => set.len(),
            Rows::Some(rows) => rows.len(),
        };
        if shown == 0 {
            ui.weak(if set.is_empty() {
                "No annotations yet."
            } else {
                "Nothing matches the filter."
            });
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("annotation list")
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, shown, |ui, range| {
                for k in range {
                    let i = match &self.rows {
                        Rows::All => k,
                        Rows::Some(rows) => rows[k],
                    };
                    if let Some(a) = set.at(i) {
                        row_ui(ui, session, a, selected == Some(&a.id), commands);
                    }
                }
            });
    }
}

/// The PDF page a placed annotation starts on.
fn page_of(session: &Session, a: &Annotation) -> Option<usize> {
    (!a.is_orphaned())
        .then(|| session.doc().structure().page_of(a.start))
        .flatten()
}

fn row_ui(
    ui: &mut egui::Ui,
    session: &Session,
    a: &Annotation,
    is_selected: bool,
    commands: &mut Vec<Command>,
) {
    let codebook = session.codebook();
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), Sense::click());
    let label = format!(
        "{}{}",
        if a.is_orphaned() { "⚠ " } else { "" },
        shorten(&a.quote, 60)
    );
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::ListItem, true, is_selected, &label)
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        if is_selected {
            ui.painter()
                .rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.35));
        } else if response.hovered() {
            ui.painter()
                .rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
        }
        let bar = egui::Rect::from_min_size(rect.min, egui::vec2(4.0, rect.height()));
        let color = theme::tag_color(a.tags.first().and_then(|t| codebook.get(t)));
        ui.painter().rect_filled(bar, 2.0, color);
        let mut child = ui.new_child(
            egui::UiBuilder::new().max_rect(
                rect.shrink2(egui::vec2(8.0, 3.0))
                    .translate(egui::vec2(4.0, 0.0)),
            ),
        );
        child.spacing_mut().item_spacing.y = 2.0;
        child.horizontal(|ui| {
            if let Some(page) = page_of(session, a) {
                ui.label(RichText::new(format!("p. {page}")).small().weak())
                    .on_hover_text("The PDF page the passage starts on");
            }
            if a.is_orphaned() {
                ui.colored_label(ui.visuals().warn_fg_color, "⚠")
                    .on_hover_text("No longer matches the text");
            } else if a.needs_review() {
                ui.colored_label(ui.visuals().warn_fg_color, "review")
                    .on_hover_text("Placed on edited text: check and confirm");
            }
            ui.add(egui::Label::new(RichText::new(shorten(&a.quote, 70)).italics()).truncate());
        });
        child.horizontal(|ui| {
            for t in &a.tags {
                tag_chip(ui, t, codebook);
            }
            if !a.note.is_empty() {
                ui.add(egui::Label::new(RichText::new(shorten(&a.note, 60)).small()).truncate());
            }
        });
        child.label(RichText::new(crate::ui::authors::who(a)).small().weak());
    }
    if response.clicked() {
        commands.push(Command::Reveal(a.id.clone()));
    }
}

fn details_ui(
    ui: &mut egui::Ui,
    session: &Session,
    a: &Annotation,
    has_selection: bool,
    field: &mut Field,
    commands: &mut Vec<Command>,
) {
    let codebook = session.codebook();
    ui.horizontal(|ui| {
        ui.heading("Annotation");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("🗑 Delete")
                .on_hover_text("Delete this annotation (Delete)")
                .clicked()
            {
                commands.push(Command::Delete(a.id.clone()));
            }
        });
    });
    if a.is_orphaned() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "⚠ This annotation no longer matches the document text. It is kept as it was.",
        );
        let attach = ui.add_enabled(has_selection, egui::Button::new("Attach to selection"));
        if attach
            .on_hover_text("Select the passage in the text first")
            .clicked()
        {
            commands.push(Command::AttachToSelection(a.id.clone()));
        }
    }
    if a.needs_review() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "The text changed here; this annotation was placed on the closest match. It was: “{}”",
                shorten(a.review.as_deref().unwrap_or(""), 200)
            ),
        );
        ui.horizontal(|ui| {
            if ui
                .button("✔ Confirm")
                .on_hover_text("Keep it where it is now")
                .clicked()
            {
                commands.push(Command::ConfirmReview(a.id.clone()));
            }
            let attach = ui.add_enabled(has_selection, egui::Button::new("Attach to selection"));
            if attach
                .on_hover_text("Select the right passage in the text first")
                .clicked()
            {
                commands.push(Command::AttachToSelection(a.id.clone()));
            }
        });
    }
    let quote = shorten(&a.quote, 240);
    let quoted = if quote.starts_with(['“', '"', '‘', '\'']) {
        quote
    } else {
        format!("“{quote}”")
    };
    ui.label(RichText::new(quoted).italics());
    let page = page_of(session, a)
        .map(|p| format!("page {p} · "))
        .unwrap_or_default();
    ui.label(RichText::new(format!("{page}chars {}", CharRange::new(a.start, a.end))).small().weak())
        .on_hover_text("Position in Unicode characters, end exclusive. Shift+Left/Right moves the end, Alt+Shift+Left/Right the start.");
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        for (i, tag) in codebook.tags.iter().enumerate() {
            let on = a.has_tag(&tag.name);
            let hint = if i < 9 {
                format!("Toggle “{}” ({})", tag.name, i + 1)
            } else {
                format!("Toggle “{}”", tag.name)
            };
            if tag_toggle(ui, tag, tag.name.as_str(), on)
                .on_hover_text(hint)
                .clicked()
            {
                commands.push(Command::ToggleTag(a.id.clone(), tag.name.clone()));
            }
        }
        // Tags not in the codebook (e.g. imported) are shown and removable.
        for t in a.tags.iter().filter(|t| codebook.get(t).is_none()) {
            if ui
                .add(egui::Button::selectable(true, format!("{t} ✖")))
                .on_hover_text("Not in the codebook; click to remove")
                .clicked()
            {
                commands.push(Command::ToggleTag(a.id.clone(), t.clone()));
            }
        }
    });
    ui.add_space(4.0);
    let label = ui.label("Note");
    let mut note = a.note.clone();
    let key = format!("note:{}", a.id);
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut note)
                // One editor state per annotation: nothing (cursor, egui's
                // own undo) carries over from another annotation's note.
                .id_salt(("note", &a.id))
                .hint_text("Write a note…")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if response.changed() {
        commands.push(Command::SetNote(a.id.clone(), note));
    }
    if response.lost_focus() {
        commands.push(Command::SealUndo);
    }
    // The key is the one `Session::set_note` records the note's typing under.
    field.track(ui, &response, key);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    ui.label(
        RichText::new(format!(
            "{} · created {} · modified {}",
            crate::ui::authors::who(a),
            a.created.format(&fmt).unwrap_or_default(),
            a.modified.format(&fmt).unwrap_or_default()
        ))
        .small()
        .weak(),
    );
}

/// The document's memo: what the researcher thinks of the whole text.
fn memo_ui(ui: &mut egui::Ui, session: &Session, field: &mut Field, commands: &mut Vec<Command>) {
    let memo = &session.store().memo;
    let title = if memo.trim().is_empty() {
        "Memo"
    } else {
        "Memo ✎"
    };
    egui::CollapsingHeader::new(title)
        .id_salt("document memo")
        .default_open(!memo.trim().is_empty())
        .show(ui, |ui| {
            let mut text = memo.clone();
            let label = ui.weak("On this document (saved with its annotations)");
            let r = ui
                .add_enabled(
                    session.read_only().is_none(),
                    egui::TextEdit::multiline(&mut text)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY)
                        .hint_text("What it is, what stands out, what to check"),
                )
                .labelled_by(label.id);
            if r.changed() {
                commands.push(Command::SetMemo(text));
            }
            if r.lost_focus() {
                commands.push(Command::SealUndo);
            }
            // As `Session::set_memo` records the memo's typing.
            field.track(ui, &r, "memo".into());
        });
    ui.separator();
}

/// This frame's focused text field, and the word under it about undo.
struct Field {
    focused: Option<(egui::Id, String)>,
    hint: Option<String>,
    /// Last frame's.
    was: Option<(egui::Id, String)>,
}

impl Field {
    fn track(&mut self, ui: &mut egui::Ui, response: &egui::Response, key: String) {
        if !response.has_focus() {
            return;
        }
        if response.changed() {
            self.hint = None;
        }
        if let Some(hint) = &self.hint {
            ui.label(RichText::new(hint).small().weak());
        }
        self.focused = Some((response.id, key));
    }
}
