//! File → Export… and File → Import…: pick a format, then a file.

use super::app::GlossApp;
use super::notices::Level;
use crate::formats::{self, Format, Source};
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
            let n = self.session.store.annotations.len();
            ui.weak(match mode {
                ExchangeWindow::Export => format!("{n} annotations of {}. Offsets are Unicode code points (brat: of its LF copy).", self.session.doc.name),
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
                .path
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
        let name = format!("{}.{}", self.session.doc.name, format.extension());
        let target = self.dialog(|| {
            if format == Format::Brat {
                dialog.set_title("Folder for the brat files").pick_folder()
            } else {
                dialog
                    .set_file_name(name)
                    .add_filter(format.label(), &[format.extension()])
                    .save_file()
            }
        });
        if let Some(path) = target {
            self.export_to(format, &path, false);
        }
    }

    /// Exports to `path` (a folder for brat, which gets a folder of its
    /// own inside) and tells the user what happened. Never writes over a
    /// document, an annotation file or a backup; an existing export file is
    /// replaced only with `force`, after the user confirmed.
    pub fn export_to(&mut self, format: Format, path: &Path, force: bool) {
        let mut known: Vec<PathBuf> = self.prefs.recent.clone();
        known.extend(self.session.path.clone());
        let mut guard = formats::ExportGuard::new(force, known);
        let result = (|| -> Result<(String, Vec<PathBuf>), formats::FormatError> {
            let exported =
                formats::export(format, &Source::of(&self.session), &self.session.doc.name)?;
            let written = exported.write(path, format == Format::Brat, &mut guard)?;
            let n = self.session.store.annotations.len()
                - self
                    .session
                    .store
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
                "Exported {n} annotations as {} to {}.",
                format.name(),
                shown.unwrap_or_else(|| path.to_path_buf()).display()
            );
            for w in exported.warnings {
                msg.push(' ');
                msg.push_str(&w);
            }
            Ok((msg, written))
        })();
        match result {
            Ok((msg, _)) => {
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
                    super::command::Command::Export {
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
        if let Some(path) = self.dialog(|| dialog.pick_file()) {
            self.import_from(format, &path);
        }
    }

    /// Imports `path` into the open document and reports what was read and skipped.
    pub fn import_from(&mut self, format: Format, path: &Path) {
        let result = (|| -> anyhow::Result<crate::session::MergeReport> {
            let bytes = formats::read_import_file(path)?;
            let imported = formats::import(format, &self.session.doc, &bytes)?;
            Ok(self.session.merge(imported, false)?)
        })();
        match result {
            Ok(report) => {
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
                if report.added > 0 {
                    self.mark_changed();
                }
            }
            Err(e) => self.notices.push(
                Level::Error,
                format!("Could not import {}: {e:#}.", path.display()),
            ),
        }
    }
}
