//! Searching a whole project: every document's text and memo, and the
//! project memo, for the find bar's "All documents"; and tagging every
//! match across the project, each document saved in turn, with what was
//! made recorded so it can be taken back.

use super::Current;
use crate::model::{AnnotationId, CharRange};
use crate::search::{Query, SearchError};
use crate::session::Session;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use time::OffsetDateTime;

/// Where a hit is.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// In the document's text.
    Text(CharRange),
    /// In the document's memo.
    Memo,
    /// In the project memo (`document` is empty).
    ProjectMemo,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Relative to the folder, `/`-separated.
    pub document: String,
    pub path: PathBuf,
    pub place: Place,
    /// The sentence around the match, on one line.
    pub context: String,
}

/// Searches every document under `folder` Gloss opens (the window's open
/// one as it is now), their memos and the project memo, in path order,
/// passing each document's hits to `found`. A document that cannot be
/// read goes to `skipped`. Stops when `cancel` is set.
pub fn search_folder(
    folder: &Path,
    query: &Query,
    current: Option<&Current>,
    cancel: &AtomicBool,
    skipped: &mut dyn FnMut(&Path, String),
    found: &mut dyn FnMut(Vec<Hit>),
) -> Result<(), SearchError> {
    let Some(re) = query.pattern()? else {
        return Ok(());
    };
    let memo_hit = |document: &str, path: &Path, memo: &str, place: Place| {
        re.find(memo).map(|m| Hit {
            document: document.to_string(),
            path: path.to_path_buf(),
            place,
            context: around(memo, m.start(), m.end()),
        })
    };
    if let Ok(Some(project)) = super::file::ProjectFile::load(folder) {
        found(
            memo_hit("", folder, &project.memo, Place::ProjectMemo)
                .into_iter()
                .collect(),
        );
    }
    let listed = super::listing_paths(folder).unwrap_or_default();
    let key = crate::storage::identity_key;
    let open_one = current.map(|c| key(&c.path));
    for path in listed {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let rel = super::relative(folder, &path);
        let (doc, memo) = match current.filter(|_| open_one.as_ref() == Some(&key(&path))) {
            Some(c) => (c.doc.clone(), c.memo.clone()),
            None => match crate::session::read_document(&path) {
                Ok((doc, _, _)) => {
                    let memo = crate::sidecar::Sidecar::load(&crate::sidecar::sidecar_path(&path))
                        .ok()
                        .flatten()
                        .map(|s| s.memo)
                        .unwrap_or_default();
                    (std::sync::Arc::new(doc), memo)
                }
                Err(e) => {
                    skipped(&path, e.to_string());
                    continue;
                }
            },
        };
        let mut hits: Vec<Hit> = memo_hit(&rel, &path, &memo, Place::Memo)
            .into_iter()
            .collect();
        crate::search::find_all(&doc, query, cancel, |batch| {
            hits.extend(batch.into_iter().map(|r| Hit {
                document: rel.clone(),
                path: path.clone(),
                place: Place::Text(r),
                context: super::passages::context(&doc, r),
            }))
        })?;
        if !hits.is_empty() {
            found(hits);
        }
    }
    Ok(())
}

/// The text around bytes `start..end` of `text`, on one line.
fn around(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(b, _)| b);
    let to = text[end..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(b, _)| end + b);
    text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What tagging across a project made in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Tagged {
    pub path: PathBuf,
    pub ids: Vec<AnnotationId>,
}

/// Tags `ranges` of the document at `path` with `tag` (skipping those
/// already tagged so) and saves it; returns the annotations made.
pub fn tag_in(
    path: &Path,
    ranges: &[CharRange],
    tag: &str,
    author: &str,
    now: OffsetDateTime,
) -> Result<Tagged, String> {
    let mut s = Session::open(path).map_err(|e| e.to_string())?;
    super::apply_codebook(&mut s);
    if let Some(why) = &s.read_only() {
        return Err(why.clone());
    }
    let ids = s
        .tag_all_ids(ranges, tag, author, now)
        .map_err(|e| e.to_string())?;
    if !ids.is_empty() {
        s.save().map_err(|e| e.to_string())?;
    }
    Ok(Tagged {
        path: path.to_path_buf(),
        ids,
    })
}

/// Takes back what [`tag_in`] made (the annotations, if still there).
pub fn untag_in(tagged: &Tagged) -> Result<usize, String> {
    let mut s = Session::open(&tagged.path).map_err(|e| e.to_string())?;
    let n = s.delete_all(&tagged.ids).map_err(|e| e.to_string())?;
    if n > 0 {
        s.save().map_err(|e| e.to_string())?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "The drone — 😀 — flew.\r\nNo drone here? Drone!",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "无人机 drone strikes.").unwrap();
        std::fs::write(dir.path().join("c.txt"), "nothing").unwrap();
        dir
    }

    fn hits(dir: &Path, text: &str) -> Vec<Hit> {
        let mut all = Vec::new();
        search_folder(
            dir,
            &Query::plain(text),
            None,
            &AtomicBool::new(false),
            &mut |p, why| panic!("{}: {why}", p.display()),
            &mut |h| all.extend(h),
        )
        .unwrap();
        all
    }

    #[test]
    fn the_whole_project_is_searched_memos_included() {
        let dir = corpus();
        let d = dir.path();
        let mut s = Session::open(&d.join("c.txt")).unwrap();
        s.set_memo("Ask about the drone footage").unwrap();
        s.save().unwrap();
        let project = super::super::file::ProjectFile {
            memo: "Drones everywhere".into(),
            ..Default::default()
        };
        project.save(d).unwrap();
        let found = hits(d, "drone");
        let summary: Vec<(&str, &Place)> = found
            .iter()
            .map(|h| (h.document.as_str(), &h.place))
            .collect();
        assert_eq!(
            summary,
            [
                ("", &Place::ProjectMemo),
                ("a.txt", &Place::Text(CharRange::new(4, 9))),
                ("a.txt", &Place::Text(CharRange::new(26, 31))),
                ("a.txt", &Place::Text(CharRange::new(38, 43))),
                ("c.txt", &Place::Memo),
                ("sub/b.txt", &Place::Text(CharRange::new(4, 9))),
            ]
        );
        assert_eq!(found[5].context, "无人机 drone strikes.");
        assert_eq!(found[4].context, "Ask about the drone footage");
    }

    #[test]
    fn tagging_across_the_project_saves_each_document_and_can_be_taken_back() {
        let dir = corpus();
        let d = dir.path();
        let now = OffsetDateTime::UNIX_EPOCH;
        let a = d.join("a.txt");
        let ranges = [CharRange::new(4, 9), CharRange::new(26, 31)];
        let made = tag_in(&a, &ranges, "claim", "Ana", now).unwrap();
        assert_eq!(made.ids.len(), 2);
        let again = tag_in(&a, &ranges, "claim", "Ana", now).unwrap();
        assert!(again.ids.is_empty(), "already tagged so");
        let s = Session::open(&a).unwrap();
        let quotes: Vec<&str> = s
            .store()
            .annotations
            .iter()
            .map(|x| x.quote.as_str())
            .collect();
        assert_eq!(quotes, ["drone", "drone"]);
        assert_eq!(untag_in(&made).unwrap(), 2);
        assert!(Session::open(&a).unwrap().store().annotations.is_empty());
    }
}
