//! The sample article shipped inside the binary, and where its annotations live.
//!
//! The text and its annotations are embedded. On first use they are copied to
//! the user's data folder (`$GLOSS_DATA_DIR`, else e.g.
//! `~/.local/share/gloss/sample/`), and the sample is opened from there like
//! any other document, so its annotations are saved beside that copy. The
//! repository's `annotations/article.txt.annotations.ron` is never written by
//! the app.

// Test fixtures, with md-5: only under `testkit` (on for every test build).
#[cfg(feature = "testkit")]
pub mod epub;
#[cfg(feature = "testkit")]
pub mod pdf;
mod prose;
pub use prose::{annotations, prose};

use crate::storage::{WriteError, WriteMode, atomic_write};
use std::path::{Path, PathBuf};

pub const ARTICLE: &str = include_str!("../../assets/article.txt");
pub const ANNOTATIONS: &str = include_str!("../../annotations/article.txt.annotations.ron");
pub const FILE_NAME: &str = "article.txt";

/// The folder for Gloss's own data (`GLOSS_DATA_DIR` overrides it).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("GLOSS_DATA_DIR") {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "gloss").map(|p| p.data_dir().to_path_buf())
}

/// Copies the sample into `dir/sample/` unless already there; returns the
/// article's path. Existing copies (and the user's annotations) are kept.
pub fn install(dir: &Path) -> Result<PathBuf, WriteError> {
    let folder = dir.join("sample");
    std::fs::create_dir_all(&folder).map_err(|source| WriteError {
        path: folder.clone(),
        source,
    })?;
    let article = folder.join(FILE_NAME);
    // Create-only: a copy that appeared meanwhile (another window) is kept.
    let create = |path: &Path, bytes: &[u8]| match atomic_write(path, bytes, WriteMode::CreateNew) {
        Err(e) if e.is_exists() => Ok(()),
        other => other,
    };
    create(&article, ARTICLE.as_bytes())?;
    create(
        &crate::sidecar::sidecar_path(&article),
        ANNOTATIONS.as_bytes(),
    )?;
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn shipped_annotations_anchor_exactly_on_the_shipped_article() {
        let dir = tempfile::tempdir().unwrap();
        let article = install(dir.path()).unwrap();
        let s = Session::open(&article).unwrap();
        assert!(s.read_only().is_none(), "{:?}", s.read_only());
        assert!(
            s.notices().is_empty() && s.infos().is_empty(),
            "{:?} {:?}",
            s.notices(),
            s.infos()
        );
        let anns: Vec<_> = s.store().annotations.iter().collect();
        assert!(anns.len() >= 8, "at least eight sample annotations");
        for a in anns {
            assert!(!a.is_orphaned(), "{} does not match: {:?}", a.id, a.quote);
            assert!(!a.tags.is_empty() && !a.note.is_empty(), "{:?}", a.quote);
        }
        let sc = s.to_sidecar();
        assert_eq!(sc.document.sha256, s.doc().sha256());
        let written = sc.to_ron().unwrap();
        // The shipped file is edited by hand (or copied from a sample
        // annotated in the window); this rewrites it as Gloss writes it.
        // Only a yes value blesses, as for the golden files.
        if std::env::var("GLOSS_BLESS").is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes")) {
            let shipped = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/annotations/article.txt.annotations.ron"
            );
            std::fs::write(shipped, &written).unwrap();
            return;
        }
        assert_eq!(
            written, ANNOTATIONS,
            "the shipped sidecar is exactly what Gloss writes (after editing it, \
             `GLOSS_BLESS=1 cargo test --lib sample` rewrites it so)"
        );
    }

    #[test]
    fn install_keeps_existing_copies() {
        let dir = tempfile::tempdir().unwrap();
        let article = install(dir.path()).unwrap();
        let sidecar = crate::sidecar::sidecar_path(&article);
        std::fs::write(&sidecar, "user's own").unwrap();
        install(dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), "user's own");
    }
}
