//! The Documents panel of a project (a folder opened with `gloss FOLDER`,
//! File → Open Folder… or a dropped folder): its documents with their size,
//! annotation count and status, a filter, and a click to open one. The
//! folder is listed on another thread.

use crate::project::Entry;
use crate::project::file::Status;
use crate::session::Session;
use crate::ui::reader::ReaderView;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

pub struct DocumentsPanel {
    pub folder: PathBuf,
    entries: Vec<Entry>,
    filter: String,
    listing: Option<Receiver<std::io::Result<crate::project::Listing>>>,
    error: Option<String>,
    /// What opening the project file said (codes that joined it, why it
    /// is read-only), once.
    pub news: Vec<String>,
    /// Why the project file must not be written, if so.
    read_only: Option<String>,
    /// The project file as this window last wrote it: documents opened or
    /// switched to take its codebook, even before the file is written.
    pub project: Option<crate::project::file::ProjectFile>,
    /// The project memo as typed, and when it was last typed in (it is
    /// written a second after typing stops).
    pub memo: String,
    memo_typed: Option<std::time::Instant>,
    /// Documents opened earlier in this project, kept as they were (undo
    /// history, scroll, selection) so switching back is instant; the most
    /// recent last.
    parked: Vec<Parked>,
    /// Statuses and the project memo being written (joined before the
    /// window closes, so a status set just before quitting lands).
    writes: Vec<std::thread::JoinHandle<()>>,
    /// Which entry the open document is, for the path it was asked for
    /// (found by file identity once per document shown: the list is drawn
    /// every frame, and a frame never asks the disk).
    here: Option<(PathBuf, Option<usize>)>,
    /// The listing running is a fresh look at the folder (documents an
    /// import added): it opens nothing and says nothing new.
    relisting: bool,
    /// The open document's share coded, as its edits change it.
    share: OpenShare,
}

/// The open document's share coded, counted from a snapshot of its
/// annotations on another thread whenever which there are, or where,
/// changes (a sweep over all of them: never per frame, never on the UI
/// thread).
#[derive(Default)]
struct OpenShare {
    /// The entry and the set's shape revision last counted (or being
    /// counted).
    counted: Option<(usize, u64)>,
    /// A count running, for that entry.
    running: Option<(usize, Receiver<f64>)>,
}

/// A document put aside while another is shown.
pub struct Parked {
    pub session: Session,
    pub reader: ReaderView,
}

/// How many documents stay parked (each holds its text and annotations).
const MAX_PARKED: usize = 16;

impl DocumentsPanel {
    /// Lists `folder` on another thread (with the index of counts kept in
    /// `cache`, if given).
    pub fn open(folder: &Path, cache: Option<PathBuf>, ctx: &egui::Context) -> Self {
        let (tx, rx) = channel();
        let (owned, ctx) = (folder.to_path_buf(), ctx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(crate::project::listing_cached(&owned, cache.as_deref()));
            ctx.request_repaint();
        });
        Self {
            folder: folder.to_path_buf(),
            entries: Vec::new(),
            filter: String::new(),
            listing: Some(rx),
            error: None,
            news: Vec::new(),
            read_only: None,
            project: None,
            memo: String::new(),
            memo_typed: None,
            parked: Vec::new(),
            writes: Vec::new(),
            here: None,
            relisting: false,
            share: OpenShare::default(),
        }
    }

    /// Lists the folder again (documents an import wrote) and takes the
    /// project file as it is now, keeping the document shown; a memo being
    /// typed is kept as typed.
    pub fn relist(&mut self, cache: Option<PathBuf>, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let (owned, ctx) = (self.folder.clone(), ctx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(crate::project::listing_cached(&owned, cache.as_deref()));
            ctx.request_repaint();
        });
        self.listing = Some(rx);
        self.relisting = true;
    }

    /// The first document, once listed (to open when the folder opens).
    pub fn poll(&mut self) -> Option<Option<PathBuf>> {
        let rx = self.listing.as_ref()?;
        let result = rx.try_recv().ok()?;
        self.listing = None;
        if std::mem::take(&mut self.relisting) {
            if let Ok(listing) = result {
                self.entries = listing.entries;
                self.here = None;
                self.share = OpenShare::default();
                if let Ok(opened) = listing.project
                    && opened.read_only.is_none()
                {
                    if self.memo_typed.is_none() {
                        self.memo = opened.file.memo.clone();
                    }
                    self.project = Some(opened.file);
                }
            }
            return None;
        }
        match result {
            Ok(listing) => {
                self.entries = listing.entries;
                self.here = None;
                self.share = OpenShare::default();
                if !listing.skipped_links.is_empty() {
                    let names: Vec<String> = listing
                        .skipped_links
                        .iter()
                        .map(|l| {
                            l.strip_prefix(&self.folder)
                                .unwrap_or(l)
                                .display()
                                .to_string()
                        })
                        .collect();
                    self.news.push(format!(
                        "Not followed: {} ({}).",
                        names.join(", "),
                        crate::project::LINK_SKIPPED
                    ));
                }
                match listing.project {
                    Ok(opened) => {
                        if !opened.joined.is_empty() {
                            self.news.push(format!(
                                "Joined the project's codebook from its documents: {}.",
                                opened.joined.join(", ")
                            ));
                        }
                        match opened.read_only {
                            Some(why) => {
                                self.news.push(why.clone());
                                self.read_only = Some(why);
                            }
                            None => {
                                self.memo = opened.file.memo.clone();
                                self.project = Some(opened.file);
                            }
                        }
                    }
                    Err(e) => {
                        let why = format!("The project file could not be written: {e}.");
                        self.news.push(why.clone());
                        self.read_only = Some(why);
                    }
                }
            }
            Err(e) => self.error = Some(format!("could not list {}: {e}", self.folder.display())),
        }
        Some(self.entries.first().map(|e| e.path.clone()))
    }

    /// Keeps a document (saved) to switch back to.
    pub fn park(&mut self, parked: Parked) {
        let path = parked.session.path().clone();
        self.parked
            .retain(|p| !same_document(p.session.path().as_deref(), path.as_deref()));
        self.parked.push(parked);
        if self.parked.len() > MAX_PARKED {
            self.parked.remove(0);
        }
    }

    /// The parked document at `path`, taken out.
    pub fn unpark(&mut self, path: &Path) -> Option<Parked> {
        let i = self
            .parked
            .iter()
            .position(|p| same_document(p.session.path().as_deref(), Some(path)))?;
        Some(self.parked.remove(i))
    }

    /// Why the project file is not written, if it is not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    pub fn is_listing(&self) -> bool {
        self.listing.is_some()
    }

    /// A document got `n` more annotations elsewhere (a project-wide tagging).
    pub fn add_to_count(&mut self, path: &Path, n: usize) {
        if let Some(i) = entry_of(&self.entries, path) {
            let e = &mut self.entries[i];
            e.annotations = Some(e.annotations.unwrap_or(0) + n);
        }
    }

    /// The open document's count and share coded follow its edits (the
    /// share counted on another thread, `ctx` woken when it is known).
    pub fn update_count(&mut self, session: &Session, ctx: &egui::Context) {
        let Some(i) = session.path().as_deref().and_then(|p| self.open_entry(p)) else {
            return;
        };
        let set = &session.store().annotations;
        self.entries[i].annotations = Some(set.len());
        if let Some((at, rx)) = &self.share.running {
            match rx.try_recv() {
                Ok(share) => {
                    if let Some(e) = self.entries.get_mut(*at) {
                        e.coverage = Some(share);
                    }
                    self.share.running = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.share.running = None,
            }
        }
        let now = (i, set.shape_revision());
        if self.share.counted == Some(now) {
            return;
        }
        self.share.counted = Some(now);
        let (annotations, chars) = (set.snapshot(), session.doc().char_len());
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let share =
                crate::project::stats::share_coded(annotations.iter().map(|a| a.as_ref()), chars);
            let _ = tx.send(share);
            ctx.request_repaint();
        });
        self.share.running = Some((i, rx));
    }

    /// The entry that is the open document at `path` (remembered for that
    /// path until the list changes).
    fn open_entry(&mut self, path: &Path) -> Option<usize> {
        if let Some((asked, i)) = &self.here
            && asked == path
        {
            return *i;
        }
        let i = entry_of(&self.entries, path);
        self.here = Some((path.to_path_buf(), i));
        i
    }

    /// Draws the list; returns the document clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, current: Option<&Path>) -> Option<PathBuf> {
        let name = self
            .folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.folder.display().to_string());
        ui.heading(name);
        if self.is_listing() {
            ui.add(egui::Spinner::new());
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if let Some(why) = &self.read_only {
            ui.colored_label(ui.visuals().warn_fg_color, "⚠ Project file read-only")
                .on_hover_text(why);
        }
        self.memo_ui(ui);
        ui.add(egui::TextEdit::singleline(&mut self.filter).hint_text("Filter documents"));
        let needle = self.filter.to_lowercase();
        let here = current.and_then(|c| self.open_entry(c));
        let mut clicked = None;
        let mut set_status = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (i, e) in self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.rel.to_lowercase().contains(&needle))
            {
                let here = here == Some(i);
                let r = ui.selectable_label(here, &e.rel);
                if self.read_only.is_none() {
                    r.context_menu(|ui| {
                        for (status, label) in [
                            (Status::ToDo, "To do"),
                            (Status::InProgress, "In progress"),
                            (Status::Done, "Done"),
                        ] {
                            if ui.radio(e.status == status, label).clicked() {
                                set_status = Some((e.rel.clone(), status));
                                ui.close();
                            }
                        }
                    });
                }
                ui.label(egui::RichText::new(details(e)).small().weak());
                if r.clicked() && !here {
                    clicked = Some(e.path.clone());
                }
            }
            if self.entries.is_empty() && !self.is_listing() {
                ui.label("No documents Gloss opens in this folder.");
            }
        });
        if let Some((rel, status)) = set_status {
            self.set_status(&rel, status);
        }
        clicked
    }

    /// The project memo, written to the project file a second after
    /// typing stops.
    fn memo_ui(&mut self, ui: &mut egui::Ui) {
        let title = if self.memo.trim().is_empty() {
            "Project memo"
        } else {
            "Project memo ✎"
        };
        egui::CollapsingHeader::new(title)
            .id_salt("project memo")
            .default_open(!self.memo.trim().is_empty())
            .show(ui, |ui| {
                let editable = self.read_only.is_none() && self.project.is_some();
                let label = ui.weak("On the whole project (saved in its project file)");
                let r = ui
                    .add_enabled(
                        editable,
                        egui::TextEdit::multiline(&mut self.memo)
                            .desired_rows(3)
                            .desired_width(f32::INFINITY)
                            .hint_text("Questions, decisions, the codebook's story"),
                    )
                    .labelled_by(label.id);
                if r.changed() {
                    self.memo_typed = Some(std::time::Instant::now());
                }
            });
        if let Some(at) = self.memo_typed {
            let wait = std::time::Duration::from_secs(1);
            if at.elapsed() >= wait {
                self.save_memo(false);
            } else {
                ui.ctx().request_repaint_after(wait - at.elapsed());
            }
        }
    }

    /// Writes the project memo if it was typed in (on another thread
    /// unless `now`, as when the window closes).
    pub fn save_memo(&mut self, now: bool) {
        if self.memo_typed.take().is_none() {
            return;
        }
        if let Some(p) = &mut self.project {
            p.memo = self.memo.clone();
        }
        let (folder, memo) = (self.folder.clone(), self.memo.clone());
        let write = move || {
            let done = crate::project::file::update(&folder, |file| {
                let changed = file.memo != memo;
                file.memo = memo;
                changed
            });
            if let Err(e) = done {
                eprintln!("gloss: the project memo was not saved: {e}");
            }
        };
        if now {
            write();
        } else {
            self.writes.push(std::thread::spawn(write));
        }
    }

    /// Records a document's status in the project file (a small file,
    /// written on another thread like every save).
    fn set_status(&mut self, rel: &str, status: Status) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.rel == rel) {
            e.status = status;
        }
        let (folder, rel) = (self.folder.clone(), rel.to_string());
        self.writes.retain(|w| !w.is_finished());
        self.writes.push(std::thread::spawn(move || {
            let done = crate::project::file::update(&folder, |file| {
                file.statuses.insert(rel, status) != Some(status)
            });
            if let Err(e) = done {
                eprintln!("gloss: {e}");
            }
        }));
    }

    /// Waits for the statuses and memo being written.
    pub fn finish_writes(&mut self) {
        for w in self.writes.drain(..) {
            let _ = w.join();
        }
    }
}

/// What the list says under a document's name: "8 KB · 3 annotations ·
/// 12% coded · in progress". One wording for every row, the open
/// document's included.
fn details(e: &Entry) -> String {
    let count = match e.annotations.unwrap_or(0) {
        0 => "no annotations".to_string(),
        n => crate::words::plural(n, "annotation"),
    };
    let share = match e.coverage {
        Some(c) if e.annotations.unwrap_or(0) > 0 => {
            // A share under 10 % gets a decimal, so a little coding
            // does not read as none.
            let digits = usize::from(c < 0.1);
            format!(" · {:.digits$}% coded", c * 100.0)
        }
        _ => String::new(),
    };
    let status = match e.status {
        Status::ToDo => "",
        Status::InProgress => " · in progress",
        Status::Done => " · done",
    };
    format!("{} · {count}{share}{status}", size(e.bytes))
}

/// A file's size as file managers show it: bytes under a kilobyte, whole
/// kilobytes (rounded to the nearest) under a megabyte, then megabytes
/// and gigabytes with one decimal (1,024 to the next unit).
fn size(bytes: u64) -> String {
    const K: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        return crate::words::plural(bytes as usize, "byte");
    }
    let kb = (b / K).round();
    if kb < K {
        return format!("{kb:.0} KB");
    }
    let mb = b / (K * K);
    // 1,023.96 MB would print as "1024.0 MB": that is a gigabyte.
    if (mb * 10.0).round() / 10.0 < K {
        return format!("{mb:.1} MB");
    }
    format!("{:.1} GB", mb / K)
}

/// The entry for the document at `path`: as named, else the same file
/// under another name ([`crate::storage::same_file`]).
fn entry_of(entries: &[Entry], path: &Path) -> Option<usize> {
    entries.iter().position(|e| e.path == path).or_else(|| {
        entries
            .iter()
            .position(|e| crate::storage::same_file(&e.path, path))
    })
}

/// Whether two paths name the same document (the same file, however the
/// path was written: one identity, [`crate::storage::same_file`]).
fn same_document(a: Option<&Path>, b: Option<&Path>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => crate::storage::same_file(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_rounded_to_the_nearest_unit_as_file_managers_show_them() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(289), "289 bytes");
        assert_eq!(size(1023), "1023 bytes");
        assert_eq!(size(1024), "1 KB");
        assert_eq!(size(8_294), "8 KB");
        assert_eq!(size(8_800), "9 KB");
        assert_eq!(size(1024 * 1024 - 1), "1.0 MB");
        assert_eq!(size(5 * 1024 * 1024 + 300 * 1024), "5.3 MB");
        assert_eq!(size(3 * 1024 * 1024 * 1024), "3.0 GB");
    }

    #[test]
    fn every_row_says_its_count_in_one_wording_with_its_share() {
        let entry = |annotations, coverage| Entry {
            rel: "a.txt".into(),
            path: "a.txt".into(),
            bytes: 289,
            annotations,
            coverage,
            status: Status::InProgress,
        };
        let none = "289 bytes · no annotations · in progress";
        assert_eq!(details(&entry(None, None)), none);
        assert_eq!(details(&entry(Some(0), Some(0.0))), none);
        assert_eq!(
            details(&entry(Some(1), Some(0.25))),
            "289 bytes · 1 annotation · 25% coded · in progress"
        );
        assert_eq!(
            details(&entry(Some(3), Some(0.052))),
            "289 bytes · 3 annotations · 5.2% coded · in progress"
        );
    }
}
