//! User preferences, persisted by eframe between runs.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub const STORAGE_KEY: &str = "gloss-prefs";
pub const MAX_RECENT: usize = 10;
pub const DEFAULT_FONT_SIZE: f32 = 17.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Recorded as the author of new annotations.
    pub author: String,
    pub theme: ThemeChoice,
    /// Reading text size in points (zoom changes it).
    pub font_size: f32,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    pub export_format: crate::formats::Format,
    pub import_format: crate::formats::Format,
    /// Where the last export or import went.
    pub exchange_dir: Option<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            author: login_name(),
            theme: ThemeChoice::System,
            font_size: DEFAULT_FONT_SIZE,
            recent: Vec::new(),
            export_format: crate::formats::Format::Csv,
            import_format: crate::formats::Format::W3c,
            exchange_dir: None,
        }
    }
}

impl Prefs {
    pub fn add_recent(&mut self, path: PathBuf) {
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    pub fn zoom(&mut self, step: i32) {
        self.font_size = match step {
            0 => DEFAULT_FONT_SIZE,
            s => (self.font_size + s as f32).clamp(MIN_FONT_SIZE, MAX_FONT_SIZE),
        };
    }

    /// Preferences read from disk may have been hand-edited or written by
    /// another version: a size of 0, NaN or 1e30 would break the reader,
    /// so anything out of range falls back to its default.
    pub fn validated(mut self) -> Self {
        if !self.font_size.is_finite() || !(MIN_FONT_SIZE..=MAX_FONT_SIZE).contains(&self.font_size)
        {
            self.font_size = DEFAULT_FONT_SIZE;
        }
        self.recent.retain(|p| !p.as_os_str().is_empty());
        self.recent.truncate(MAX_RECENT);
        if self.author.chars().count() > 200 {
            self.author = self.author.chars().take(200).collect();
        }
        self
    }
}

pub const MIN_FONT_SIZE: f32 = 9.0;
pub const MAX_FONT_SIZE: f32 = 48.0;

/// `git config user.name`, else the login name, else "anonymous".
pub fn default_author() -> String {
    git_user_name().unwrap_or_else(login_name)
}

/// The login name, else "anonymous": known at once, without starting a
/// process (the window uses it until `git_user_name` answers).
pub fn login_name() -> String {
    std::env::var("USER")
        .ok()
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "anonymous".into())
}

/// `git config user.name`; starts a process, so the window asks it on
/// another thread.
pub fn git_user_name() -> Option<String> {
    std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The Preferences window.
#[derive(Default)]
pub struct PrefsWindow {
    pub open: bool,
}

impl PrefsWindow {
    pub fn show(&mut self, ctx: &egui::Context, prefs: &mut Prefs) {
        egui::Window::new("Preferences")
            .open(&mut self.open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("prefs")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Your name");
                        ui.text_edit_singleline(&mut prefs.author)
                            .labelled_by(label.id)
                            .on_hover_text("Recorded as the author of the annotations you make.");
                        ui.end_row();
                        ui.label("Theme");
                        ui.horizontal(|ui| {
                            for (choice, name) in [
                                (ThemeChoice::System, "Follow system"),
                                (ThemeChoice::Light, "Light"),
                                (ThemeChoice::Dark, "Dark"),
                            ] {
                                ui.selectable_value(&mut prefs.theme, choice, name);
                            }
                        });
                        ui.end_row();
                        let label = ui.label("Text size");
                        ui.add(
                            egui::Slider::new(&mut prefs.font_size, MIN_FONT_SIZE..=MAX_FONT_SIZE)
                                .suffix(" pt"),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_capped() {
        let mut p = Prefs::default();
        for i in 0..12 {
            p.add_recent(PathBuf::from(format!("/d/{i}.txt")));
        }
        p.add_recent(PathBuf::from("/d/5.txt"));
        assert_eq!(p.recent.len(), MAX_RECENT);
        assert_eq!(p.recent[0], PathBuf::from("/d/5.txt"));
        assert_eq!(p.recent.iter().filter(|r| r.ends_with("5.txt")).count(), 1);
    }

    #[test]
    fn zoom_is_clamped_and_resets() {
        let mut p = Prefs::default();
        for _ in 0..100 {
            p.zoom(1);
        }
        assert_eq!(p.font_size, 48.0);
        p.zoom(0);
        assert_eq!(p.font_size, DEFAULT_FONT_SIZE);
    }

    #[test]
    fn preferences_from_disk_are_validated() {
        for bad in [0.0, -3.0, f32::NAN, f32::INFINITY, 1e30] {
            let p = Prefs {
                font_size: bad,
                ..Prefs::default()
            }
            .validated();
            assert_eq!(p.font_size, DEFAULT_FONT_SIZE, "{bad}");
        }
        let ok = Prefs {
            font_size: 20.0,
            ..Prefs::default()
        };
        assert_eq!(ok.clone().validated(), ok);
        // A RON value with a NaN size, as a hand-edited file could have.
        let parsed: Prefs = ron::from_str("(font_size: NaN)").unwrap();
        assert_eq!(parsed.validated().font_size, DEFAULT_FONT_SIZE);
    }

    #[test]
    fn author_defaults_to_something() {
        assert!(!default_author().is_empty());
    }
}
