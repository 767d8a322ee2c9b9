//! User preferences: written to `prefs.ron` in Gloss's data folder as soon
//! as they change (eframe's own store only saves every 30 s and at a clean
//! exit, so a name typed on the first run was lost to a crash or a kill).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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
            // Empty when the login name is unknown: the first run asks,
            // with the field's hint, rather than offering a made-up name.
            author: login_name().unwrap_or_default(),
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
    /// Puts `path` first among the recent files, once: an entry that is
    /// the same file or folder under another name is dropped.
    pub fn add_recent(&mut self, path: PathBuf) {
        self.recent.retain(|p| !crate::storage::same_file(p, &path));
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Documents named at startup after the first: at the top of Open
    /// Recent in the order given (the one opened goes above them once
    /// open), as many as the list holds besides it; what is said about
    /// them, counting only what really waits there.
    pub fn wait_in_recent(&mut self, waiting: &[PathBuf]) -> Option<String> {
        let name = |p: &PathBuf| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        };
        let (there, missing): (Vec<&PathBuf>, Vec<&PathBuf>) =
            waiting.iter().partition(|p| p.exists());
        let kept = there.len().min(MAX_RECENT - 1);
        for path in there[..kept].iter().rev() {
            self.add_recent(crate::storage::absolute(path));
        }
        let mut said = Vec::new();
        if kept > 0 {
            let what = match kept {
                1 => "1 more document is".to_string(),
                n => format!("{n} more documents are"),
            };
            let names: Vec<String> = there[..kept].iter().map(|p| name(p)).collect();
            said.push(format!(
                "{what} in File → Open Recent: {}",
                names.join(", ")
            ));
        }
        if there.len() > kept {
            said.push(format!(
                "{} more did not fit in Open Recent (it holds {MAX_RECENT}); open a folder as a project to list them all",
                there.len() - kept
            ));
        }
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|p| name(p)).collect();
            said.push(format!("not found: {}", names.join(", ")));
        }
        (!said.is_empty()).then(|| said.join(". "))
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

/// The preferences file in Gloss's data folder (where eframe keeps its
/// own, and which `GLOSS_DATA_DIR` and tests redirect).
pub const FILE_NAME: &str = "prefs.ron";

/// The preferences written in `dir`, if there are any that parse (a
/// damaged file counts as none: eframe's copy or the defaults are used).
pub fn load(dir: &Path) -> Option<Prefs> {
    let text = std::fs::read_to_string(dir.join(FILE_NAME)).ok()?;
    ron::from_str::<Prefs>(&text).ok().map(Prefs::validated)
}

/// Writes `prefs` to `dir`, atomically (a kill mid-write leaves the old
/// file whole).
pub fn store(dir: &Path, prefs: &Prefs) -> Result<(), crate::storage::WriteError> {
    use crate::storage::{WriteError, WriteMode, atomic_write};
    let err = |source| WriteError {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let text = ron::ser::to_string_pretty(prefs, ron::ser::PrettyConfig::default())
        .map_err(|e| err(std::io::Error::other(e)))?;
    atomic_write(&dir.join(FILE_NAME), text.as_bytes(), WriteMode::Replace)
}

/// Keeps `prefs.ron` in step with the preferences: [`PrefsFile::sync`]
/// (once a frame) hands a changed value to a writer thread, which writes
/// the latest one, so the window never waits for the disk and a slider
/// dragged over many frames makes few writes.
#[derive(Default)]
pub struct PrefsFile {
    dir: Option<PathBuf>,
    /// What was last handed to the writer (or read); `None`: write the
    /// next value even if unchanged.
    written: Option<Prefs>,
    writer: Option<std::sync::mpsc::Sender<Prefs>>,
}

impl PrefsFile {
    /// For the data folder `dir` (`None`: nowhere to write), whose file
    /// holds `on_disk`.
    pub fn new(dir: Option<&Path>, on_disk: Option<Prefs>) -> Self {
        Self {
            dir: dir.map(Path::to_path_buf),
            written: on_disk,
            writer: None,
        }
    }

    /// The next [`sync`](Self::sync) writes, changed or not: the user
    /// confirmed them (the first run's name), so they are to be kept.
    pub fn confirmed(&mut self) {
        self.written = None;
    }

    /// Writes `prefs` (in the background) if they differ from what was
    /// last written.
    pub fn sync(&mut self, prefs: &Prefs) {
        if self.written.as_ref() == Some(prefs) {
            return;
        }
        let Some(dir) = self.dir.clone() else {
            return;
        };
        self.written = Some(prefs.clone());
        let writer = self.writer.get_or_insert_with(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Prefs>();
            std::thread::spawn(move || {
                while let Ok(mut latest) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        latest = newer;
                    }
                    if let Err(e) = store(&dir, &latest) {
                        eprintln!("gloss: could not save preferences: {e}");
                    }
                }
            });
            tx
        });
        if writer.send(prefs.clone()).is_err() {
            // The writer is gone (it cannot panic, but be sure): a new one
            // takes the next change.
            self.writer = None;
            self.written = None;
        }
    }
}

pub const MIN_FONT_SIZE: f32 = 9.0;
pub const MAX_FONT_SIZE: f32 = 48.0;

/// The login name: known at once, without starting a process (the window
/// uses it until `git_user_name` answers).
pub fn login_name() -> Option<String> {
    login_name_from(|key| std::env::var(key).ok())
}

/// The login name in the variables `var` reads (`USER`, else `USERNAME`);
/// an empty one is none.
fn login_name_from(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    ["USER", "USERNAME"]
        .into_iter()
        .filter_map(var)
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
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
    fn documents_waiting_fill_open_recent_as_far_as_it_holds_and_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = (0..12)
            .map(|i| {
                let p = dir.path().join(format!("d{i}.txt"));
                std::fs::write(&p, "x").unwrap();
                p
            })
            .collect();
        let mut prefs = Prefs::default();
        let mut waiting = files.clone();
        waiting.insert(1, dir.path().join("typo.txt"));
        let said = prefs.wait_in_recent(&waiting).unwrap();
        assert_eq!(prefs.recent, files[..MAX_RECENT - 1]);
        assert!(
            said.starts_with("9 more documents are in File → Open Recent: d0.txt, d1.txt"),
            "{said}"
        );
        assert!(said.contains("3 more did not fit in Open Recent"), "{said}");
        assert!(said.ends_with("not found: typo.txt"), "{said}");
        assert_eq!(Prefs::default().wait_in_recent(&[]), None);
    }

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

    /// Waits (a bounded time) for the writer thread.
    fn written(dir: &Path, done: impl Fn(&Prefs) -> bool) -> Prefs {
        for _ in 0..500 {
            if let Some(p) = load(dir).filter(&done) {
                return p;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("not written: {:?}", load(dir));
    }

    #[test]
    fn a_changed_name_is_written_at_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut prefs = Prefs::default();
        let mut file = PrefsFile::new(Some(&data), Some(prefs.clone()));
        file.sync(&prefs);
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(load(&data).is_none(), "nothing changed, nothing written");
        prefs.author = "Ana Lima".into();
        file.sync(&prefs);
        assert_eq!(
            written(&data, |p| p.author == "Ana Lima").author,
            "Ana Lima"
        );
        prefs.font_size = 20.0;
        file.sync(&prefs);
        assert_eq!(written(&data, |p| p.font_size == 20.0), prefs);
        // Confirming writes even what did not change.
        std::fs::remove_file(data.join(FILE_NAME)).unwrap();
        file.confirmed();
        file.sync(&prefs);
        assert_eq!(written(&data, |_| true), prefs);
        assert!(
            !std::fs::read_dir(&data)
                .unwrap()
                .any(|e| e.unwrap().file_name() != FILE_NAME),
            "no temporary file left"
        );
    }

    #[test]
    fn no_login_name_means_no_name_never_a_made_up_one() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                vars.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(login_name_from(env(&[])), None);
        assert_eq!(login_name_from(env(&[("USER", " ")])), None);
        assert_eq!(
            login_name_from(env(&[("USER", ""), ("USERNAME", "nora")])).as_deref(),
            Some("nora")
        );
        assert_eq!(
            login_name_from(env(&[("USER", "ana"), ("USERNAME", "nora")])).as_deref(),
            Some("ana")
        );
    }
}
