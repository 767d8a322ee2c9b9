//! What the window, the CLI and the project read of a session, and the few
//! changes that are not edits of the annotations (where the session saves,
//! which project it belongs to). The fields stay the session's own.

use super::Session;
use crate::anchor::AnchorReport;
use crate::model::{Codebook, Document, History, Store};
use std::path::PathBuf;
use std::sync::Arc;

impl Session {
    /// The document's text and what is known of its structure.
    pub fn doc(&self) -> &Arc<Document> {
        &self.doc
    }

    /// The document file; `None` for text that lives only in memory.
    pub fn path(&self) -> &Option<PathBuf> {
        &self.path
    }

    /// Where annotations are saved; `None` when they cannot be saved.
    pub fn sidecar_path(&self) -> &Option<PathBuf> {
        &self.sidecar_path
    }

    /// The annotations, codebook, memo and rejected places, to read.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The undo history, to read (labels, whether undo stops here).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Why edits are refused (e.g. a sidecar that could not be parsed).
    pub fn read_only(&self) -> &Option<String> {
        &self.read_only
    }

    /// Things the user should know about this document (encoding, orphans).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Things worth knowing that need no action (annotations that moved).
    pub fn infos(&self) -> &[String] {
        &self.infos
    }

    /// The encoding the document was decoded from.
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// What the decoder had to say (a guessed encoding, replaced bytes).
    pub fn decoding(&self) -> &Option<String> {
        &self.decoding
    }

    /// Changes not yet written to the sidecar.
    pub fn dirty(&self) -> bool {
        self.dirty
    }

    /// How the annotations were placed when last anchored.
    pub fn anchor_report(&self) -> &AnchorReport {
        &self.anchor_report
    }

    /// A sidecar that could not be read: never written, nor its `.bak`.
    pub fn unreadable(&self) -> &Option<PathBuf> {
        &self.unreadable
    }

    /// The password the document was opened with (a protected PDF).
    pub fn password(&self) -> &Option<String> {
        &self.password
    }

    /// The project folder whose codebook this document codes with.
    pub fn project(&self) -> &Option<PathBuf> {
        &self.project
    }

    /// Codes renamed, merged away or deleted here and not yet told to the
    /// project (old name, new name or `None`), oldest first.
    pub fn retired(&self) -> &[(String, Option<String>)] {
        &self.retired
    }

    /// The project's codebook as this document last took it.
    pub fn project_codebook(&self) -> &Option<Codebook> {
        &self.project_codebook
    }

    /// What had to be mended in the sidecar as it was read.
    pub fn mended(&self) -> &[String] {
        &self.mended
    }

    /// Whose changes these are (the window's user, `--author` in the CLI).
    pub fn editor(&self) -> &str {
        &self.editor
    }

    /// Ends the typing step being coalesced (a note, a memo), so the next
    /// edit is an undo step of its own.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    /// Refuses edits from now on, saying why (the sample where it cannot
    /// be saved, say). Nothing is written while read-only.
    pub fn make_read_only(&mut self, why: String) {
        self.read_only = Some(why);
    }

    /// This document codes with the project in `folder`.
    pub fn join_project(&mut self, folder: PathBuf) {
        self.project = Some(folder);
    }

    /// The project's codebook, as this document just took it: the common
    /// ancestor of the next three-way merge into the project file.
    pub fn took_project_codebook(&mut self, codebook: Codebook) {
        self.project_codebook = Some(codebook);
    }

    /// This document's codebook landed in the project file: the codes it
    /// retired were told, and `codebook` is the new common ancestor.
    pub fn gave_codebook(&mut self, codebook: Codebook) {
        self.retired.clear();
        self.project_codebook = Some(codebook);
    }

    /// Whose changes these are from now on.
    pub fn set_editor(&mut self, name: &str) {
        self.editor = name.to_string();
    }

    /// What the project file is to take from this document after a save:
    /// its codebook, the codebook it last took from the project (the
    /// common ancestor; from now on, this codebook) and the codes it
    /// retired since (told once). `None` outside a project.
    pub fn hand_codebook_to_project(&mut self) -> Option<CodebookHandover> {
        let folder = self.project.clone()?;
        let codebook = self.store.codebook.clone();
        let retired = std::mem::take(&mut self.retired);
        let base = self.project_codebook.replace(codebook.clone());
        Some(CodebookHandover {
            folder,
            codebook,
            base,
            retired,
        })
    }
}

/// What [`Session::hand_codebook_to_project`] hands over.
pub struct CodebookHandover {
    pub folder: PathBuf,
    pub codebook: Codebook,
    pub base: Option<Codebook>,
    pub retired: Vec<(String, Option<String>)>,
}
