//! Finding text in a document: plain (escaped) or a regular expression,
//! case-insensitive by default, optionally whole words. Matches are char
//! ranges widened to whole graphemes, so tagging one never splits a
//! character. Results come in batches, so a view can show the first matches
//! of a 50 MB document at once and stop a search that is no longer wanted.

use crate::model::{CharRange, Document};
use std::sync::atomic::{AtomicBool, Ordering};
use thiserror::Error;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    pub text: String,
    pub case_sensitive: bool,
    pub whole_word: bool,
    pub regex: bool,
}

#[derive(Debug, Error, PartialEq)]
pub enum SearchError {
    #[error("not a valid regular expression: {0}")]
    BadPattern(String),
}

/// Matches are handed over this many at a time.
pub const BATCH: usize = 1000;

impl Query {
    pub fn plain(text: &str) -> Self {
        Self {
            text: text.to_string(),
            ..Self::default()
        }
    }

    /// The compiled pattern; `None` for an empty query.
    pub fn pattern(&self) -> Result<Option<regex::Regex>, SearchError> {
        if self.text.is_empty() {
            return Ok(None);
        }
        let body = if self.regex {
            self.text.clone()
        } else {
            regex::escape(&self.text)
        };
        let body = if self.whole_word {
            format!(r"\b(?:{body})\b")
        } else {
            body
        };
        regex::RegexBuilder::new(&body)
            .case_insensitive(!self.case_sensitive)
            .multi_line(true)
            .size_limit(50 * 1024 * 1024)
            .build()
            .map(Some)
            .map_err(|e| SearchError::BadPattern(e.to_string()))
    }
}

/// Finds every match of `query` in `doc`, in document order, passing them
/// to `found` in batches of [`BATCH`]. Stops early (returning what it
/// found so far) when `cancel` is set. Empty matches are skipped.
pub fn find_all(
    doc: &Document,
    query: &Query,
    cancel: &AtomicBool,
    mut found: impl FnMut(Vec<CharRange>),
) -> Result<(), SearchError> {
    let Some(re) = query.pattern()? else {
        return Ok(());
    };
    let text = doc.text();
    let mut batch = Vec::with_capacity(BATCH);
    // Bytes to chars by walking forward from the last match: linear overall.
    let (mut at_byte, mut at_char) = (0, 0);
    let mut char_of = |b: usize| {
        at_char += text[at_byte..b].chars().count();
        at_byte = b;
        at_char
    };
    let mut last_end = 0;
    for m in re.find_iter(text) {
        if m.start() == m.end() {
            continue;
        }
        let start = char_of(m.start());
        let end = char_of(m.end());
        let r = doc.snap_to_graphemes(CharRange::new(start, end));
        // Widening may reach into the previous match: keep them apart.
        if r.start < last_end {
            continue;
        }
        last_end = r.end;
        batch.push(r);
        if batch.len() == BATCH {
            found(std::mem::take(&mut batch));
            if cancel.load(Ordering::Relaxed) {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        found(batch);
    }
    Ok(())
}

/// Every match at once (the CLI's `gloss tag`).
pub fn find(doc: &Document, query: &Query) -> Result<Vec<CharRange>, SearchError> {
    let mut all = Vec::new();
    find_all(doc, query, &AtomicBool::new(false), |b| all.extend(b))?;
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::new("t", s.into())
    }

    fn texts(d: &Document, q: &Query) -> Vec<String> {
        find(d, q)
            .unwrap()
            .iter()
            .map(|r| d.slice(*r).to_string())
            .collect()
    }

    #[test]
    fn plain_search_is_case_insensitive_and_counts_chars() {
        let d = doc("😀 Drone strikes; DRONE strikes—“drone” e\u{301}tude.\r\nDrones.");
        let q = Query::plain("drone");
        let found = find(&d, &q).unwrap();
        assert_eq!(found.len(), 4);
        assert_eq!(found[0], CharRange::new(2, 7), "an emoji is one char");
        assert_eq!(texts(&d, &q), ["Drone", "DRONE", "drone", "Drone"]);
        let exact = Query {
            case_sensitive: true,
            ..q.clone()
        };
        assert_eq!(texts(&d, &exact), ["drone"]);
        let word = Query {
            whole_word: true,
            ..q.clone()
        };
        assert_eq!(find(&d, &word).unwrap().len(), 3, "not “Drones”");
        // Special characters are literal in plain mode.
        assert_eq!(texts(&d, &Query::plain("s;")), ["s;"]);
        // A match never splits a character: "e" widens to "é".
        assert_eq!(texts(&d, &Query::plain("e\u{301}t")), ["e\u{301}t"]);
        assert_eq!(texts(&d, &Query::plain("tude")), ["tude"]);
    }

    #[test]
    fn regex_search_and_bad_patterns() {
        let d = doc("claims: 2024, 2025 and 1999.");
        let q = Query {
            text: r"20\d\d".into(),
            regex: true,
            ..Query::default()
        };
        assert_eq!(texts(&d, &q), ["2024", "2025"]);
        let bad = Query {
            text: "(unclosed".into(),
            regex: true,
            ..Query::default()
        };
        assert!(matches!(find(&d, &bad), Err(SearchError::BadPattern(_))));
        assert!(find(&d, &Query::plain("")).unwrap().is_empty());
        let empty_matches = Query {
            text: "x*".into(),
            regex: true,
            ..Query::default()
        };
        assert!(find(&d, &empty_matches).unwrap().is_empty());
    }

    #[test]
    fn results_stream_in_batches_and_stop_when_cancelled() {
        let d = doc(&"ab ".repeat(5000));
        let cancel = AtomicBool::new(false);
        let mut batches = Vec::new();
        find_all(&d, &Query::plain("ab"), &cancel, |b| batches.push(b.len())).unwrap();
        assert_eq!(batches, [1000, 1000, 1000, 1000, 1000]);
        cancel.store(true, Ordering::Relaxed);
        let mut got = 0;
        find_all(&d, &Query::plain("ab"), &cancel, |b| got += b.len()).unwrap();
        assert_eq!(got, BATCH, "stops after the first batch");
    }
}
