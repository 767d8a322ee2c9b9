//! Choosing a file where no file dialog can be shown. Without
//! xdg-desktop-portal or zenity, rfd returns at once as if the user had
//! cancelled; then (or always, with `GLOSS_NO_FILE_DIALOG=1`, for tests, CI
//! and desktops whose dialog misbehaves) a field to type the path in is
//! shown instead, prefilled beside the document. What is typed goes exactly
//! where a dialog's answer goes, so the same checks apply: the export guard
//! and its Replace question, and Save As's refusals.

use crate::formats::Format;
use crate::project::passages::Output;
use crate::ui::app::GlossApp;
use crate::ui::command::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A file dialog that returns faster than this never showed up.
const DIALOG_MIN: Duration = Duration::from_millis(150);

/// The environment variable that turns native file dialogs off.
pub const NO_DIALOG_VAR: &str = "GLOSS_NO_FILE_DIALOG";

const NO_DIALOG: &str = "No file dialog could be shown here (on Linux it needs \
    xdg-desktop-portal or zenity), so type the path instead.";

/// What the chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Purpose {
    Open,
    OpenFolder,
    Import(Format),
    Export(Format),
    SaveAs,
    Chart(crate::ui::stats::Kind),
    Passages(Output),
}

impl Purpose {
    /// The window's title and its button.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Purpose::Open => ("Open a document", "Open"),
            Purpose::OpenFolder => ("Open a folder as a project", "Open"),
            Purpose::Import(_) => ("Import annotations", "Import"),
            Purpose::Export(Format::Brat) => ("Export to a folder", "Export"),
            Purpose::Export(_) => ("Export annotations", "Export"),
            Purpose::SaveAs => ("Save annotations as", "Save"),
            Purpose::Chart(_) => ("Save the chart", "Save"),
            Purpose::Passages(_) => ("Export the passages", "Export"),
        }
    }
}

struct Asking {
    purpose: Purpose,
    text: String,
    /// What a relative path is taken against: the suggestion's folder.
    base: PathBuf,
    /// Why no dialog was shown, when one was tried.
    note: Option<&'static str>,
    focus: bool,
}

#[derive(Default)]
pub struct PathPrompt {
    /// Never try a native dialog (`GLOSS_NO_FILE_DIALOG=1`).
    pub forced: bool,
    asking: Option<Asking>,
}

impl PathPrompt {
    /// Forced when the environment says so.
    pub fn from_env() -> Self {
        Self {
            forced: forced(std::env::var_os(NO_DIALOG_VAR).as_deref()),
            asking: None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.asking.is_some()
    }

    fn ask(&mut self, purpose: Purpose, suggested: PathBuf, note: Option<&'static str>) {
        let base = if matches!(purpose, Purpose::Open | Purpose::Import(_)) {
            suggested.clone()
        } else {
            (suggested.parent().map(Path::to_path_buf)).unwrap_or_default()
        };
        let mut text = suggested.display().to_string();
        // A folder to pick a file in ends with a separator, ready for a name.
        if matches!(purpose, Purpose::Open | Purpose::Import(_))
            && !text.ends_with(std::path::MAIN_SEPARATOR)
        {
            text.push(std::path::MAIN_SEPARATOR);
        }
        self.asking = Some(Asking {
            purpose,
            text,
            base,
            note,
            focus: true,
        });
    }

    /// The prompt; `Some` with the purpose and the path once the user
    /// confirmed (`None` inside: cancelled).
    fn ui(&mut self, ctx: &egui::Context) -> Option<Option<(Purpose, PathBuf)>> {
        let asking = self.asking.as_mut()?;
        let (title, verb) = asking.purpose.words();
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("path prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            if let Some(note) = asking.note {
                ui.label(note);
            }
            let label = ui.label("Path:");
            let field = ui
                .add(egui::TextEdit::singleline(&mut asking.text).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if std::mem::take(&mut asking.focus) {
                field.request_focus();
            }
            let path = resolve(&asking.text, &asking.base);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let go = ui.add_enabled(path.is_some(), egui::Button::new(verb));
                if go.clicked() || (enter && path.is_some()) {
                    answer = Some(path.map(|p| (asking.purpose, p)));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(None);
        }
        if answer.is_some() {
            self.asking = None;
        }
        answer
    }
}

/// Whether the variable's value turns dialogs off: `1`, `true` or `yes`.
pub fn forced(value: Option<&std::ffi::OsStr>) -> bool {
    value
        .and_then(|v| v.to_str())
        .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// The typed path: `~/` is the home folder, a relative path is taken
/// beside the document (where the field started), not in whatever folder
/// Gloss was started from. `None` for nothing typed.
pub fn resolve(text: &str, base: &Path) -> Option<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let path = match (text.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(text),
    };
    Some(crate::storage::absolute_in(base, &path))
}

impl GlossApp {
    /// Asks for a path for `purpose`: through `dialog` (a native dialog)
    /// unless dialogs are off, and in a typed field when none can be
    /// shown; `suggested` prefills the field.
    pub(super) fn pick(
        &mut self,
        purpose: Purpose,
        suggested: PathBuf,
        dialog: impl FnOnce() -> Option<PathBuf>,
    ) {
        if self.path_prompt.forced {
            return self.path_prompt.ask(purpose, suggested, None);
        }
        let started = Instant::now();
        match dialog() {
            Some(path) => self.picked(purpose, path),
            // Too fast to have been shown: there is no dialog here.
            None if started.elapsed() < DIALOG_MIN => {
                self.path_prompt.ask(purpose, suggested, Some(NO_DIALOG));
            }
            None => {}
        }
    }

    /// Where a new file goes by default: the document's folder (or the
    /// folder Gloss keeps its data in, for text with no file).
    pub(super) fn beside_document(&self) -> PathBuf {
        (self.session.path().as_deref().and_then(Path::parent))
            .map(Path::to_path_buf)
            .or_else(|| self.data_dir.clone())
            .unwrap_or_default()
    }

    pub(super) fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        if let Some(Some((purpose, path))) = self.path_prompt.ui(ctx) {
            self.picked(purpose, path);
        }
    }

    /// Takes a chosen path where a dialog's answer goes.
    fn picked(&mut self, purpose: Purpose, path: PathBuf) {
        let ctx = self.ctx.clone();
        match purpose {
            Purpose::Open | Purpose::OpenFolder => self.queue.push(Command::Open(path)),
            Purpose::Import(format) => self.import_from(format, &path),
            Purpose::Export(format) => self.export_to(format, &path, false),
            Purpose::SaveAs => self.save_as_to(&path),
            Purpose::Chart(kind) => {
                let guard = self.export_guard(false);
                (self.stats).save(kind, path, guard, self.session.codebook(), &ctx);
            }
            Purpose::Passages(output) => {
                let guard = self.export_guard(false);
                self.passages.export(path, output, guard, &ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_yes_turns_dialogs_off() {
        for (value, off) in [
            (None, false),
            (Some(""), false),
            (Some("0"), false),
            (Some("no"), false),
            (Some("1"), true),
            (Some(" TRUE "), true),
            (Some("yes"), true),
        ] {
            assert_eq!(forced(value.map(std::ffi::OsStr::new)), off, "{value:?}");
        }
    }

    #[test]
    fn a_typed_path_is_taken_beside_the_document() {
        let base = Path::new("/docs/project");
        assert_eq!(resolve("   ", base), None);
        assert_eq!(
            resolve("out.csv", base),
            Some(PathBuf::from("/docs/project/out.csv"))
        );
        assert_eq!(
            resolve(" /tmp/x.csv ", base),
            Some(PathBuf::from("/tmp/x.csv"))
        );
    }
}
