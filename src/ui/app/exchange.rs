//! File → Export… and File → Import…: pick a format, then a file.

use crate::formats::{self, Format};
use crate::ui::app::GlossApp;
use crate::ui::command::{Command, Incoming};
use crate::ui::notices::Level;
use crate::ui::path_prompt::Purpose;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExchangeWindow {
    #[default]
    Closed,
    Export,
    Import,
}

impl GlossApp {
    pub(super) fn exchange_window(&mut self, ctx: &egui::Context) {
        let mode = self.exchange;
        if mode == ExchangeWindow::Closed {
            return;
        }
        let mut open = true;
        let mut go = false;
        let title = if mode == ExchangeWindow::Export {
            "Export annotations"
        } else {
            "Import annotations"
        };
        egui::Window::new(title).open(&mut open).collapsible(false).resizable(false).show(ctx, |ui| {
            let (choice, formats): (&mut Format, Vec<Format>) = match mode {
                ExchangeWindow::Export => (&mut self.prefs.export_format, Format::ALL.to_vec()),
                _ => (&mut self.prefs.import_format, Format::ALL.into_iter().filter(|f| f.can_import()).collect()),
            };
            for f in formats {
                ui.radio_value(choice, f, f.label());
            }
            ui.add_space(6.0);
            let n = self.session.store().annotations.len();
            ui.weak(match mode {
                ExchangeWindow::Export => format!("{} of {}. Offsets are Unicode code points (brat: of its LF copy).", crate::words::plural(n, "annotation"), self.session.doc().name),
                _ if *choice == Format::Qdpx && self.documents.is_some() => "A REFI-QDA project comes in as a project: every document of it (new ones written beside the others), its codebook and memos, written to the annotation files at once; annotations already here are not added twice.".to_string(),
                _ => "Annotations already here are not added twice. One undo removes the whole import.".to_string(),
            });
            ui.add_space(6.0);
            go = ui.button(if mode == ExchangeWindow::Export { "Export…" } else { "Choose file…" }).clicked();
        });
        if !open {
            self.exchange = ExchangeWindow::Closed;
        }
        if go {
            self.exchange = ExchangeWindow::Closed;
            match mode {
                ExchangeWindow::Export => self.export_dialog(),
                _ => self.import_dialog(),
            }
        }
    }

    fn exchange_dir(&self) -> Option<PathBuf> {
        self.prefs.exchange_dir.clone().or_else(|| {
            self.session
                .path()
                .as_ref()
                .and_then(|p| p.parent())
                .map(Path::to_path_buf)
        })
    }

    fn export_dialog(&mut self) {
        let format = self.prefs.export_format;
        let mut dialog = rfd::FileDialog::new();
        if let Some(dir) = self.exchange_dir() {
            dialog = dialog.set_directory(dir);
        }
        let name = format!("{}.{}", self.session.doc().name, format.extension());
        let dir = self
            .exchange_dir()
            .unwrap_or_else(|| self.beside_document());
        // brat writes a folder of its own inside the one chosen.
        let suggested = if format == Format::Brat {
            dir
        } else {
            dir.join(&name)
        };
        self.pick(Purpose::Export(format), suggested, || {
            if format == Format::Brat {
                dialog.set_title("Folder for the brat files").pick_folder()
            } else {
                dialog
                    .set_file_name(name)
                    .add_filter(format.label(), &[format.extension()])
                    .save_file()
            }
        });
    }

    /// Exports to `path` (a folder for brat, which gets a folder of its
    /// own inside) on another thread, and tells the user what happened.
    /// Never writes over a document, an annotation file or a backup; an
    /// existing export file is replaced only with `force`, after the user
    /// confirmed.
    pub fn export_to(&mut self, format: Format, path: &Path, force: bool) {
        if self.exchanging.is_some() {
            return self.notices.push(
                Level::Info,
                "An import or export is still running; try again when it is done.",
            );
        }
        let mut known: Vec<PathBuf> = self.prefs.recent.clone();
        known.extend(self.session.path().clone());
        let snapshot = self.session.export_snapshot();
        let name = self.session.doc().name.clone();
        let target = path.to_path_buf();
        let what = format!(
            "Exporting {} as {}",
            crate::words::plural(snapshot.annotations.len(), "annotation"),
            format.name()
        );
        let work = move || {
            let result = export(format, &snapshot, &name, &target, force, known);
            Done::Exported {
                format,
                path: target,
                result,
            }
        };
        self.exchanging = Some(crate::ui::jobs::Job::start(what, &self.ctx, work));
    }

    /// Takes in a finished import or export.
    pub(super) fn exchange_done(&mut self, done: Option<Done>) {
        match done {
            None => self.notices.push(
                Level::Error,
                "The import or export stopped unexpectedly; nothing was changed.",
            ),
            Some(Done::Exported {
                format,
                path,
                result,
            }) => self.exported(format, &path, result),
            Some(Done::Imported {
                format,
                path,
                result,
            }) => match result {
                Ok(imported) => self.push(Command::Merge {
                    format,
                    path,
                    imported: Incoming::new(imported),
                }),
                Err(e) => self.notices.push(
                    Level::Error,
                    format!("Could not import {}: {e:#}.", path.display()),
                ),
            },
            Some(Done::ProjectImported { path, result }) => self.project_imported(&path, result),
        }
    }

    /// Says what importing a whole project did, and lists the folder again
    /// (the document shown takes in its new annotations as any outside
    /// change: merged with what is here, and said).
    fn project_imported(
        &mut self,
        path: &Path,
        result: anyhow::Result<crate::project::refi::RefiImport>,
    ) {
        self.prefs.import_format = Format::Qdpx;
        self.prefs.exchange_dir = path.parent().map(Path::to_path_buf);
        match result {
            Ok(report) => {
                let mut msg = format!(
                    "Imported the project {}: {}.",
                    path.display(),
                    crate::words::plural(report.created.len(), "new document")
                );
                for line in report.lines.iter().take(8) {
                    msg.push_str(&format!("\n{line}"));
                }
                if report.lines.len() > 8 {
                    msg.push_str(&format!("\n…and {} more.", report.lines.len() - 8));
                }
                let level = if report.problems > 0 {
                    Level::Warning
                } else {
                    Level::Info
                };
                self.notices.push(level, msg);
                let cache = self.cache_dir();
                let ctx = self.ctx.clone();
                if let Some(d) = &mut self.documents {
                    d.relist(cache, &ctx);
                }
            }
            Err(e) => self.notices.push(
                Level::Error,
                format!("Could not import {}: {e:#}.", path.display()),
            ),
        }
    }

    fn exported(
        &mut self,
        format: Format,
        path: &Path,
        result: Result<String, formats::FormatError>,
    ) {
        match result {
            Ok(msg) => {
                self.prefs.export_format = format;
                self.prefs.exchange_dir = if format == Format::Brat {
                    Some(path.to_path_buf())
                } else {
                    path.parent().map(Path::to_path_buf)
                };
                self.notices.push(Level::Info, msg);
            }
            Err(formats::FormatError::Exists(existing)) => self.notices.push_with(
                Level::Warning,
                format!(
                    "{} already exists. Replace it with this export?",
                    existing.display()
                ),
                Some((
                    "Replace".into(),
                    Command::Export {
                        format,
                        path: path.to_path_buf(),
                        force: true,
                    },
                )),
            ),
            Err(e) => self
                .notices
                .push(Level::Error, format!("Export failed: {e}.")),
        }
    }

    fn import_dialog(&mut self) {
        let format = self.prefs.import_format;
        let mut dialog = rfd::FileDialog::new()
            .add_filter(format.label(), &[format.extension(), "json"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = self.exchange_dir() {
            dialog = dialog.set_directory(dir);
        }
        let dir = self
            .exchange_dir()
            .unwrap_or_else(|| self.beside_document());
        self.pick(Purpose::Import(format), dir, || dialog.pick_file());
    }

    /// Reads and parses `path` on another thread; what it holds is then
    /// merged into the open document by [`Command::Merge`], one undo step.
    pub fn import_from(&mut self, format: Format, path: &Path) {
        if self.exchanging.is_some() {
            return self.notices.push(
                Level::Info,
                "An import or export is still running; try again when it is done.",
            );
        }
        // With a project open, a REFI-QDA project comes in as a project:
        // every document of it, the codebook and the memos.
        if format == Format::Qdpx
            && let Some(folder) = self.documents.as_ref().map(|d| d.folder.clone())
        {
            let target = path.to_path_buf();
            let what = format!("Importing the project {}", path.display());
            let work = move || {
                let result = (|| -> anyhow::Result<crate::project::refi::RefiImport> {
                    let bytes = formats::read_import_file(&target)?;
                    Ok(crate::project::refi::import_project(
                        &folder, &bytes, false, None,
                    )?)
                })();
                Done::ProjectImported {
                    path: target,
                    result,
                }
            };
            self.exchanging = Some(crate::ui::jobs::Job::start(what, &self.ctx, work));
            return;
        }
        let doc = self.session.doc().clone();
        let target = path.to_path_buf();
        let what = format!("Reading {}", path.display());
        let work = move || {
            let result = (|| -> anyhow::Result<formats::Imported> {
                let bytes = formats::read_import_file(&target)?;
                Ok(formats::import(format, &doc, &bytes)?)
            })();
            Done::Imported {
                format,
                path: target,
                result,
            }
        };
        self.exchanging = Some(crate::ui::jobs::Job::start(what, &self.ctx, work));
    }

    /// Merges what an import read, and says what was taken and skipped.
    pub(super) fn merge_import(
        &mut self,
        format: Format,
        path: &Path,
        imported: formats::Imported,
    ) -> Result<(), crate::session::CommandError> {
        let report = self.session.import(imported, false)?;
        self.prefs.import_format = format;
        self.prefs.exchange_dir = path.parent().map(Path::to_path_buf);
        let mut msg = format!("Imported from {}: {report}.", path.display());
        for why in report.skipped.iter().take(5) {
            msg.push_str(&format!("\nSkipped: {why}"));
        }
        if report.skipped.len() > 5 {
            msg.push_str(&format!(
                "\n…and {} more skipped.",
                report.skipped.len() - 5
            ));
        }
        let level = if report.skipped.is_empty() {
            Level::Info
        } else {
            Level::Warning
        };
        self.notices.push(level, msg);
        Ok(())
    }
}

/// What a finished import or export job hands back.
pub enum Done {
    Exported {
        format: Format,
        path: PathBuf,
        result: Result<String, formats::FormatError>,
    },
    Imported {
        format: Format,
        path: PathBuf,
        result: anyhow::Result<formats::Imported>,
    },
    /// A whole REFI-QDA project, imported into the open project's folder.
    ProjectImported {
        path: PathBuf,
        result: anyhow::Result<crate::project::refi::RefiImport>,
    },
}

/// Exports and writes; returns what to tell the user.
fn export(
    format: Format,
    snapshot: &formats::Snapshot,
    name: &str,
    path: &Path,
    force: bool,
    known: Vec<PathBuf>,
) -> Result<String, formats::FormatError> {
    let mut guard = formats::ExportGuard::new(force, known);
    let source = snapshot.source();
    let exported = formats::export(format, &source, name)?;
    let written = exported.write(path, format == Format::Brat, &mut guard)?;
    let n = source.annotations.len()
        - source
            .annotations
            .iter()
            .filter(|a| a.is_orphaned() && !matches!(format, Format::Csv | Format::W3c))
            .count();
    let shown = written.first().and_then(|w| {
        if format == Format::Brat {
            w.parent().map(Path::to_path_buf)
        } else {
            Some(w.clone())
        }
    });
    let mut msg = format!(
        "Exported {} as {} to {}.",
        crate::words::plural(n, "annotation"),
        format.name(),
        shown.unwrap_or_else(|| path.to_path_buf()).display()
    );
    for w in exported.warnings {
        msg.push(' ');
        msg.push_str(&w);
    }
    Ok(msg)
}
