//! What views ask the app to do. Panels push commands; the app applies them
//! in one place each frame (see `GlossApp::execute`).

use crate::model::{AnnotationId, CharRange, Tag};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What a background import read, carried by a command to where commands
/// are applied. Taken once; equal only to itself.
#[derive(Clone)]
pub struct Incoming(Arc<Mutex<Option<crate::formats::Imported>>>);

impl Incoming {
    pub fn new(imported: crate::formats::Imported) -> Self {
        Self(Arc::new(Mutex::new(Some(imported))))
    }

    /// The import, the first time it is asked for.
    pub fn take(&self) -> Option<crate::formats::Imported> {
        self.0.lock().ok().and_then(|mut i| i.take())
    }
}

impl PartialEq for Incoming {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Incoming(..)")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Annotate the current text selection with these tags (none: a highlight).
    Annotate(Vec<String>),
    /// Number key / tag bar: tag the selection, or toggle on the selected annotation.
    UseTag(String),
    ToggleTag(AnnotationId, String),
    SetNote(AnnotationId, String),
    /// The document's memo becomes this text.
    SetMemo(String),
    /// Typing in a note ended: the next edit is a new undo step.
    SealUndo,
    SetRange(AnnotationId, CharRange),
    /// Move an annotation (e.g. an orphan) onto the current text selection.
    AttachToSelection(AnnotationId),
    /// Accept where an approximately re-anchored annotation was placed.
    ConfirmReview(AnnotationId),
    /// Step to the next annotation that is orphaned or awaits review.
    NextFlagged,
    /// Export to a file or folder; `force` replaces existing export files
    /// (after the user confirmed).
    Export {
        format: crate::formats::Format,
        path: PathBuf,
        force: bool,
    },
    Delete(AnnotationId),
    Select(Option<AnnotationId>),
    /// Select, scroll to and flash an annotation.
    Reveal(AnnotationId),
    /// Select and scroll to some text (a search hit).
    ShowRange(CharRange),
    /// Tag every match of the find bar in every document of the project
    /// with this tag (after a preview).
    TagAllInProject(String),
    /// Take back a tagging across the project (by its number).
    UndoProjectTag(usize),
    /// The next or previous annotation (in Compare: disagreement).
    Next,
    Previous,
    /// Accept or reject a disagreement's versions (Compare).
    Curate(super::compare::Curate),
    /// Nudge the selected annotation's start or end by one grapheme.
    Nudge {
        start: bool,
        forward: bool,
    },
    ClearSelection,
    Copy,
    Undo,
    Redo,
    /// Undo or redo in one text field only: the steps with this coalesce
    /// key (a note's `note:<id>`, the memo's `memo`).
    UndoIn(String),
    RedoIn(String),
    Save,
    SaveAs,
    OpenDialog,
    /// Opens a document, or a folder as a project.
    Open(PathBuf),
    OpenFolderDialog,
    AddTag,
    // Codes by name, never by position: a merge or another window may move
    // them between the frame that asks and the one that does.
    /// Rename code (old name, new name).
    RenameTag(String, String),
    EditTag(String, Tag),
    DeleteTag(String),
    /// Put a code under another (`None`: at the top).
    ReparentTag(String, Option<String>),
    /// Merge code `from` into code `into` (one undo step).
    MergeTags {
        from: String,
        into: String,
    },
    /// Move these passages of code `code` to a new code `name`.
    SplitTag {
        code: String,
        name: String,
        moving: Vec<AnnotationId>,
    },
    /// Bind number key 1–9 to a code (`None`: unbind).
    BindKey(String, Option<u8>),
    Zoom(i32),
    /// Open the Passages window.
    ShowPassages,
    /// Open the find bar (Ctrl+F) and put the cursor in it.
    Find,
    FindNext,
    FindPrevious,
    CloseFind,
    /// Tag every match of the find bar with this tag, as one undo step.
    TagAllMatches(String),
    /// Merge what a background import read from `path`, as one undo step.
    Merge {
        format: crate::formats::Format,
        path: PathBuf,
        imported: Incoming,
    },
    Quit,
}
