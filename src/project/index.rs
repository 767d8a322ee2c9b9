//! The Documents panel's numbers, cached: for each document, its size and
//! its sidecar's size and time, with the annotation count and share coded
//! read from that sidecar. Listing a project of a thousand documents then
//! reads only the sidecars that changed since. The cache lives outside the
//! project (in the app's cache folder), so it never shows up in a
//! researcher's folder or their git history; losing it only costs time.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// A file's length and modification time (nanoseconds since 1970); zero
/// for a file that is not there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified: u128,
}

impl Stamp {
    pub fn of(path: &Path) -> Self {
        match std::fs::metadata(path) {
            Ok(m) => Self {
                len: m.len(),
                modified: m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos()),
            },
            Err(_) => Self::default(),
        }
    }
}

/// What the panel shows of one document, and the stamps it was read at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cached {
    pub document: Stamp,
    pub sidecar: Stamp,
    pub annotations: Option<usize>,
    pub coverage: Option<f64>,
}

/// By document path relative to the folder.
pub type Index = BTreeMap<String, Cached>;

/// Where `folder`'s index is kept in `cache_dir`.
fn file_for(cache_dir: &Path, folder: &Path) -> PathBuf {
    // A stable name (not `identity_key`, whose device numbers can change
    // between runs), the same however the folder was named.
    let folder = crate::storage::comparable(folder);
    let digest = Sha256::digest(folder.to_string_lossy().as_bytes());
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    cache_dir.join("projects").join(format!("{name}.ron"))
}

/// The cached index of `folder` (empty when there is none or it cannot be
/// read: it is only a cache).
pub fn load(cache_dir: &Path, folder: &Path) -> Index {
    std::fs::read_to_string(file_for(cache_dir, folder))
        .ok()
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// Keeps `index` for next time; a failure only means a slower next listing.
pub fn save(cache_dir: &Path, folder: &Path, index: &Index) {
    let path = file_for(cache_dir, folder);
    let Ok(text) = ron::to_string(index) else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ =
        crate::storage::atomic_write(&path, text.as_bytes(), crate::storage::WriteMode::Replace);
}

/// The share of a sidecar's document that its placed annotations cover.
pub fn coverage(sidecar: &crate::sidecar::Sidecar) -> f64 {
    let mut ranges: Vec<crate::model::CharRange> = sidecar
        .annotations
        .iter()
        .filter(|a| !a.is_orphaned() && a.end > a.start)
        .map(|a| a.range())
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let chars = sidecar.document.chars;
    if chars == 0 {
        return 0.0;
    }
    super::stats::covered(ranges.into_iter()) as f64 / chars as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;
    use crate::session::Session;

    #[test]
    fn listing_reads_only_sidecars_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (folder, cache) = (dir.path().join("p"), dir.path().join("cache"));
        std::fs::create_dir(&folder).unwrap();
        let a = folder.join("a.txt");
        std::fs::write(&a, "He said “no” — 😀 twice.\r\nThen left.").unwrap();
        std::fs::write(folder.join("b.txt"), "Nothing coded.").unwrap();
        let mut s = Session::open(&a).unwrap();
        let now = time::OffsetDateTime::UNIX_EPOCH;
        s.annotate(CharRange::new(8, 12), vec!["claim".into()], "A", now)
            .unwrap();
        s.save().unwrap();
        let first = crate::project::listing_cached(&folder, Some(&cache)).unwrap();
        let counts = |l: &crate::project::Listing| -> Vec<(Option<usize>, Option<f64>)> {
            l.entries
                .iter()
                .map(|e| (e.annotations, e.coverage))
                .collect()
        };
        let chars = s.doc().char_len() as f64;
        assert_eq!(counts(&first), [(Some(1), Some(4.0 / chars)), (None, None)]);
        // The cache is what the next listing believes while stamps match.
        let mut index = load(&cache, &folder);
        index.get_mut("a.txt").unwrap().annotations = Some(99);
        save(&cache, &folder, &index);
        let cached = crate::project::listing_cached(&folder, Some(&cache)).unwrap();
        assert_eq!(cached.entries[0].annotations, Some(99));
        // A sidecar that changed is read again.
        s.annotate(CharRange::new(0, 2), vec!["source".into()], "A", now)
            .unwrap();
        s.save().unwrap();
        let fresh = crate::project::listing_cached(&folder, Some(&cache)).unwrap();
        assert_eq!(fresh.entries[0].annotations, Some(2));
        // A cache that cannot be read is no cache.
        std::fs::write(file_for(&cache, &folder), "garbage").unwrap();
        let again = crate::project::listing_cached(&folder, Some(&cache)).unwrap();
        assert_eq!(again.entries[0].annotations, Some(2));
        assert!(
            !folder.join(".gloss").exists(),
            "nothing is written into the project"
        );
    }
}
