//! Anchoring: deciding where stored annotations sit in the current text.
//!
//! Each annotation is placed by the first of these that holds:
//! 1. its stored range still holds its quote → **kept**;
//! 2. the old text is known (the document changed while open, or an old
//!    copy was given): its range mapped through a real diff holds the quote
//!    → **moved**; or both ends landed in unchanged text and only the quote
//!    itself was edited → **fuzzy** (placed, marked for review);
//! 3. the exact quote elsewhere, the occurrence whose prefix, suffix and
//!    distance to the expected position fit best (near that position first)
//!    → **moved**;
//! 4. an approximate match (Myers' bit-parallel search, up to half the
//!    quote's length in errors), scored on quote, prefix, suffix and position
//!    as the Hypothesis client's `match-quote` does → **fuzzy**;
//! 5. nothing fits well → **orphan**: kept unchanged, with everything it had.
//!
//! A doubtful match is never taken silently: a candidate must score at
//! least [`ACCEPT`] (out of 1), which an exact quote reaches only with one
//! side of its context, and an edited quote only with most of its context;
//! an exact quote of a sentence's length (32 chars) that occurs only once
//! is taken too. A shorter unique quote whose context is gone is placed but
//! marked for review.

pub mod approx;
pub mod diff;

pub use diff::PositionMap;

use crate::model::{Anchoring, Annotation, CharRange, Document};
use std::cell::OnceCell;

/// The lowest score (see [`score`]) at which a candidate is taken.
pub const ACCEPT: f64 = 0.75;
/// Occurrences this close to the expected position are tried first.
const NEAR: usize = 4096;
/// Exact occurrences scored at most; past this only those whose nearest
/// context matches exactly are (one-character quotes in a book).
const MAX_SCORED: usize = 2000;
/// The context compared cheaply before scoring.
const CONTEXT_CHECK: usize = 8;
/// A quote this long is its own evidence: found exactly, once, it is the
/// same passage whatever happened around it.
const SURE_LEN: usize = 32;
/// Edited quotes are compared char by char up to this length.
const MAX_DISTANCE_LEN: usize = 4096;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnchorReport {
    /// Still at their stored range.
    pub kept: usize,
    /// Found, exactly, at a new range (their offsets were updated).
    pub moved: usize,
    /// Found approximately: placed and marked for review.
    pub fuzzy: usize,
    /// Not found with certainty: kept unchanged and marked.
    pub orphaned: usize,
}

impl AnchorReport {
    pub fn total(&self) -> usize {
        self.kept + self.moved + self.fuzzy + self.orphaned
    }

    /// Whether anything is not where it was.
    pub fn changed(&self) -> bool {
        self.moved + self.fuzzy + self.orphaned > 0
    }
}

impl std::fmt::Display for AnchorReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} kept, {} moved, {} fuzzy, {} orphaned",
            self.kept, self.moved, self.fuzzy, self.orphaned
        )
    }
}

/// How one annotation was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    /// The exact quote at a new range; `by_diff` when the diff placed it.
    Moved {
        range: CharRange,
        by_diff: bool,
    },
    /// An approximate match, to be reviewed.
    Fuzzy {
        range: CharRange,
    },
    Orphan,
}

impl Outcome {
    pub fn tier(&self) -> &'static str {
        match self {
            Outcome::Kept => "kept",
            Outcome::Moved { by_diff: true, .. } => "moved (diff)",
            Outcome::Moved { .. } => "moved",
            Outcome::Fuzzy { .. } => "fuzzy",
            Outcome::Orphan => "orphan",
        }
    }
}

/// A stored TextQuoteSelector: the quote and the context either side.
#[derive(Clone, Copy, Debug)]
pub struct Quote<'a> {
    pub exact: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// A scored place for a quote.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub range: CharRange,
    pub errors: usize,
    pub score: f64,
}

/// Places annotations in one document; holds what is shared between them.
pub struct Anchorer<'a> {
    doc: &'a Document,
    chars: OnceCell<Vec<char>>,
    map: Option<PositionMap>,
    /// How far the last placed annotation moved: the next is expected to
    /// have moved as much (annotations come in document order).
    shift: isize,
    /// What is left of the work allowed for approximate searches of the
    /// whole text (chars × 64-char pattern blocks): enough for hundreds of
    /// edited quotes in a book, but a document rewritten from scratch does
    /// not freeze the app for minutes. Past it, quotes not found exactly
    /// near their place are orphans (kept; re-attach them by hand).
    budget: std::cell::Cell<u64>,
    /// Likewise for exact searches of the whole text (bytes scanned).
    scan_budget: std::cell::Cell<u64>,
    /// Once `scan_budget` is spent, every `PROBE_EVERY`-th annotation that
    /// needs a whole-text search still gets one, from this: after a long
    /// deleted stretch has used up the budget on its own annotations, the
    /// first found beyond it sets the shift, and the rest follow it
    /// without a search.
    probe_budget: std::cell::Cell<u64>,
    since_probe: std::cell::Cell<usize>,
}

const PROBE_EVERY: usize = 16;

/// Exact occurrences near the expected place scored at most; past this
/// only those whose nearest context matches exactly are.
const NEAR_SCORED: usize = 64;
/// See `Anchorer::scan_budget`: a few hundred searches of a book.
const SCAN_BUDGET: u64 = 1_000_000_000;

/// See `Anchorer::budget`: about a second of searching on a laptop.
const APPROX_BUDGET: u64 = 200_000_000;

impl<'a> Anchorer<'a> {
    /// `old_text`: the text the annotations were made on, when known.
    pub fn new(doc: &'a Document, old_text: Option<&str>) -> Self {
        Self {
            doc,
            chars: OnceCell::new(),
            map: old_text.map(|old| PositionMap::new(old, doc.text())),
            shift: 0,
            budget: std::cell::Cell::new(APPROX_BUDGET),
            scan_budget: std::cell::Cell::new(SCAN_BUDGET),
            probe_budget: std::cell::Cell::new(SCAN_BUDGET),
            since_probe: std::cell::Cell::new(0),
        }
    }

    fn chars(&self) -> &[char] {
        self.chars.get_or_init(|| self.doc.text().chars().collect())
    }

    /// Decides where one annotation goes (nothing is changed).
    pub fn place(&mut self, a: &Annotation) -> Outcome {
        let outcome = self.on_whole_graphemes(a, self.place_inner(a));
        if let Outcome::Moved { range, .. } | Outcome::Fuzzy { range } = outcome {
            self.shift = range.start as isize - a.start as isize;
        } else if outcome == Outcome::Kept {
            self.shift = 0;
        }
        outcome
    }

    /// A place that splits a character the user sees (a combining mark
    /// added after the quote, an exact match inside "é") is widened to whole
    /// graphemes; the quote then differs, so it is for review.
    fn on_whole_graphemes(&self, a: &Annotation, outcome: Outcome) -> Outcome {
        let range = match outcome {
            Outcome::Kept => a.range(),
            Outcome::Moved { range, .. } | Outcome::Fuzzy { range } => range,
            Outcome::Orphan => return outcome,
        };
        let whole = self.doc.snap_to_graphemes(range);
        if whole == range {
            outcome
        } else if whole.is_empty() {
            Outcome::Orphan
        } else {
            Outcome::Fuzzy { range: whole }
        }
    }

    fn place_inner(&self, a: &Annotation) -> Outcome {
        let doc = self.doc;
        if a.quote.is_empty() {
            return Outcome::Orphan;
        }
        let stands = stands_at(doc, a.start, a.end, &a.quote);
        // A short quote at its old place with all its context changed may
        // be a coincidence (" " or "the" shifted onto another one): look
        // for a better place first, and keep it only if there is none.
        if stands && (a.quote.chars().count() >= SURE_LEN || self.context_nearby(a)) {
            return Outcome::Kept;
        }
        match self.search(a) {
            Outcome::Orphan if stands => Outcome::Kept,
            Outcome::Moved { range, .. } if range == a.range() => Outcome::Kept,
            found => found,
        }
    }

    /// Whether the chars right next to the stored range still match the
    /// stored context on at least one side (a cheap, exact check).
    fn context_nearby(&self, a: &Annotation) -> bool {
        context_nearby(self.doc, a)
    }

    fn search(&self, a: &Annotation) -> Outcome {
        let doc = self.doc;
        let quote = Quote {
            exact: &a.quote,
            prefix: &a.prefix,
            suffix: &a.suffix,
        };
        let qlen = a.quote.chars().count();
        // A stored start past the end, even moved as much as the one before
        // (a hand-edited file), says nothing about where the quote is now —
        // unless the old text is known: then it is a place in that text,
        // which the diff maps.
        let mut hint =
            Some(a.start.saturating_add_signed(self.shift)).filter(|h| *h <= doc.char_len());
        if let Some(map) = &self.map
            && a.start <= a.end
            && a.end <= map.old_len()
        {
            let (s, e) = (map.start(a.start), map.end(a.end));
            hint = Some(s.pos);
            if s.pos < e.pos && stands_at(doc, s.pos, e.pos, &a.quote) {
                return Outcome::Moved {
                    range: CharRange::new(s.pos, e.pos),
                    by_diff: true,
                };
            }
            // Both ends in unchanged text: the quote itself was edited.
            if s.exact && e.exact && s.pos < e.pos && qlen >= 3 {
                let range = CharRange::new(s.pos, e.pos);
                let q: Vec<char> = a.quote.chars().collect();
                let n: Vec<char> = doc.slice(range).chars().collect();
                if q.len().max(n.len()) <= MAX_DISTANCE_LEN
                    && approx::distance(&q, &n) * 2 <= q.len()
                {
                    return Outcome::Fuzzy { range };
                }
                // A long insertion (or rewrite) inside the quote, with its
                // beginning and end still in place: the whole edited
                // passage, to be reviewed, never just the part after it.
                let k = (q.len() / 4).clamp(1, 32);
                if n.len() >= 2 * k && n[..k] == q[..k] && n[n.len() - k..] == q[q.len() - k..] {
                    return Outcome::Fuzzy { range };
                }
            }
        }
        let hint = hint.map(|h| h.min(doc.char_len()));
        // Right where it is expected (moved as much as the one before),
        // with the context either side intact: the common case after an
        // edit, decided without a search.
        if let Some(h) = hint {
            let r = CharRange::new(h, h + qlen);
            if stands_at(doc, r.start, r.end, &a.quote) && self.context_intact(quote, r) {
                return Outcome::Moved {
                    range: r,
                    by_diff: false,
                };
            }
        }
        // The exact quote: near the expected place first, then anywhere.
        let near = hint.map(|h| CharRange::new(h.saturating_sub(NEAR), h + NEAR + qlen));
        if let Some(near) = near
            && let Some(c) = best(self.exact_candidates(quote, hint, Some(near), NEAR_SCORED))
            && c.score >= ACCEPT
            && self.context_certain(quote, c.range)
        {
            return Outcome::Moved {
                range: c.range,
                by_diff: false,
            };
        }
        let scan = doc.text().len() as u64;
        if scan <= self.scan_budget.get() {
            self.scan_budget.set(self.scan_budget.get() - scan);
        } else {
            let n = self.since_probe.get() + 1;
            if n < PROBE_EVERY || scan > self.probe_budget.get() {
                self.since_probe.set(n);
                return Outcome::Orphan;
            }
            self.since_probe.set(0);
            self.probe_budget.set(self.probe_budget.get() - scan);
        }
        let exact = self.exact_candidates(quote, hint, None, MAX_SCORED);
        let unique = exact.len() == 1;
        if let Some(c) = best(exact) {
            if c.score >= ACCEPT || (unique && qlen >= SURE_LEN) {
                return Outcome::Moved {
                    range: c.range,
                    by_diff: false,
                };
            }
            // The only place these words occur, but not among the words
            // they stood among: placed, for the user to confirm.
            if unique && qlen >= 8 {
                return Outcome::Fuzzy { range: c.range };
            }
        }
        // An edited quote: approximately, near first, then anywhere.
        if qlen >= 3 {
            let local = near.and_then(|near| {
                let window: Vec<char> = doc.slice(near).chars().collect();
                best(self.approx_candidates(quote, hint, &window, near.start))
                    .filter(|c| c.score >= ACCEPT)
            });
            // With the old text known, the diff already said where the
            // passage went: an edited quote is looked for near there only.
            let found = local.or_else(|| {
                let cost = self.doc.char_len() as u64 * qlen.div_ceil(64) as u64;
                if self.map.is_some() || cost > self.budget.get() {
                    return None;
                }
                self.budget.set(self.budget.get() - cost);
                best(self.approx_candidates(quote, hint, self.chars(), 0))
            });
            if let Some(c) = found.filter(|c| c.score >= ACCEPT) {
                return if c.errors == 0 {
                    Outcome::Moved {
                        range: c.range,
                        by_diff: false,
                    }
                } else {
                    Outcome::Fuzzy {
                        range: self.whole_words(a, c.range),
                    }
                };
            }
        }
        Outcome::Orphan
    }

    /// An approximate match counts edits, not words: "Six former" matches
    /// "ven former" in "Seven former" with fewer edits than the whole word.
    /// Where the quote began (ended) at a word boundary, so does its new
    /// place: the match is widened to whole words, and whole graphemes.
    fn whole_words(&self, a: &Annotation, r: CharRange) -> CharRange {
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let chars = self.chars();
        let at = |i: usize| chars.get(i).copied();
        let (mut start, mut end) = (r.start, r.end);
        if word(a.quote.chars().next()) && !word(a.prefix.chars().last()) {
            while start > 0 && word(at(start - 1)) && word(at(start)) {
                start -= 1;
            }
        }
        if word(a.quote.chars().last()) && !word(a.suffix.chars().next()) {
            while end < chars.len() && word(at(end)) && word(at(end - 1)) {
                end += 1;
            }
        }
        self.doc.snap_to_graphemes(CharRange::new(start, end))
    }

    /// Whether the chars right next to `r` are the stored context's nearest
    /// chars, on both sides (sides with no stored context count as intact).
    /// A second look at orphans, from the end: one that stands exactly,
    /// with its context, where the annotation after it moved it to is
    /// placed there. Annotations right after a long deleted stretch are
    /// orphaned in the first pass until one of them is found by a search;
    /// this finds those before it. Costs a comparison per orphan.
    fn backfill(&self, annotations: &[Annotation], plan: &mut [Outcome]) {
        let mut next_shift: Option<isize> = None;
        for (a, outcome) in annotations.iter().zip(plan.iter_mut()).rev() {
            match *outcome {
                Outcome::Kept => next_shift = Some(0),
                Outcome::Moved { range, .. } => {
                    next_shift = Some(range.start as isize - a.start as isize)
                }
                Outcome::Fuzzy { .. } => next_shift = None,
                Outcome::Orphan => {
                    let Some(shift) = next_shift else { continue };
                    let start = a.start.saturating_add_signed(shift);
                    // Saturating: a hand-edited (or imported) start can be anything.
                    let r = CharRange::new(start, start.saturating_add(a.quote.chars().count()));
                    let quote = Quote {
                        exact: &a.quote,
                        prefix: &a.prefix,
                        suffix: &a.suffix,
                    };
                    if !a.quote.is_empty()
                        && stands_at(self.doc, r.start, r.end, &a.quote)
                        && self.context_intact(quote, r)
                        && self.doc.snap_to_graphemes(r) == r
                    {
                        *outcome = Outcome::Moved {
                            range: r,
                            by_diff: false,
                        };
                    }
                }
            }
        }
    }

    fn context_intact(&self, quote: Quote<'_>, r: CharRange) -> bool {
        let text = self.doc.text();
        let (b0, b1) = (self.doc.byte_offset(r.start), self.doc.byte_offset(r.end));
        let prefix = tail(quote.prefix, CONTEXT_CHECK);
        let suffix = head(quote.suffix, CONTEXT_CHECK);
        text[..b0].ends_with(prefix) && text[b1..].starts_with(suffix)
    }

    /// Whether both sides of the context fit well enough that no occurrence
    /// farther away could fit better.
    fn context_certain(&self, quote: Quote<'_>, range: CharRange) -> bool {
        let (p, s) = self.context_scores(quote, range);
        p >= 0.99 && s >= 0.99
    }

    /// Every exact occurrence (in `within`, if given), scored.
    fn exact_candidates(
        &self,
        quote: Quote<'_>,
        hint: Option<usize>,
        within: Option<CharRange>,
        max_scored: usize,
    ) -> Vec<Candidate> {
        let doc = self.doc;
        let text = doc.text();
        let (lo, hi) = match within {
            Some(r) => (doc.byte_offset(r.start), doc.byte_offset(r.end)),
            None => (0, text.len()),
        };
        let qlen = quote.exact.chars().count();
        let starts: Vec<usize> = text[lo..hi]
            .match_indices(quote.exact)
            .map(|(b, _)| lo + b)
            .collect();
        let prefix = tail(quote.prefix, CONTEXT_CHECK);
        let suffix = head(quote.suffix, CONTEXT_CHECK);
        let crowded = starts.len() > max_scored;
        let mut places: Vec<CharRange> = starts
            .into_iter()
            .filter(|&b| {
                !crowded
                    || (!prefix.is_empty() && text[..b].ends_with(prefix))
                    || (!suffix.is_empty() && text[b + quote.exact.len()..].starts_with(suffix))
            })
            .map(|b| {
                let start = doc.char_offset(b);
                CharRange::new(start, start + qlen)
            })
            .collect();
        if places.len() > max_scored {
            // Score the nearest to where it is expected.
            let h = hint.unwrap_or(0);
            places.sort_by_key(|r| (r.start.abs_diff(h), r.start));
            places.truncate(max_scored);
            places.sort();
        }
        places
            .into_iter()
            .map(|range| Candidate {
                range,
                errors: 0,
                score: self.score(quote, range, 0, hint),
            })
            .collect()
    }

    /// The best approximate matches of the quote in `text` (which starts at
    /// char `offset` of the document), scored.
    fn approx_candidates(
        &self,
        quote: Quote<'_>,
        hint: Option<usize>,
        text: &[char],
        offset: usize,
    ) -> Vec<Candidate> {
        let pattern: Vec<char> = quote.exact.chars().collect();
        let max_errors = (pattern.len() / 2).min(256);
        approx::search(text, &pattern, max_errors)
            .into_iter()
            .take(MAX_SCORED)
            .map(|m| {
                let range = CharRange::new(offset + m.start, offset + m.end);
                Candidate {
                    range,
                    errors: m.errors,
                    score: self.score(quote, range, m.errors, hint),
                }
            })
            .collect()
    }

    /// How well the text either side of `range` matches the stored prefix
    /// and suffix, each in [0, 1]; a side with no stored context scores 1.
    fn context_scores(&self, quote: Quote<'_>, range: CharRange) -> (f64, f64) {
        let doc = self.doc;
        let side = |stored: &str, r: CharRange| {
            if stored.is_empty() {
                return 1.0;
            }
            let want: Vec<char> = stored.chars().collect();
            let have: Vec<char> = doc.slice(r).chars().collect();
            approx::min_errors(&have, &want).map_or(0.0, |e| 1.0 - e as f64 / want.len() as f64)
        };
        let plen = quote.prefix.chars().count();
        let slen = quote.suffix.chars().count();
        (
            side(
                quote.prefix,
                CharRange::new(range.start.saturating_sub(plen), range.start),
            ),
            side(quote.suffix, CharRange::new(range.end, range.end + slen)),
        )
    }

    /// The Hypothesis client's match score in [0, 1]: quote similarity
    /// weighs 50, prefix and suffix similarity 20 each, closeness to the
    /// expected position 2.
    pub fn score(
        &self,
        quote: Quote<'_>,
        range: CharRange,
        errors: usize,
        hint: Option<usize>,
    ) -> f64 {
        let qlen = quote.exact.chars().count().max(1);
        let q = 1.0 - errors as f64 / qlen as f64;
        let (p, s) = self.context_scores(quote, range);
        let pos = match hint {
            Some(h) if self.doc.char_len() > 0 => {
                1.0 - range.start.abs_diff(h) as f64 / self.doc.char_len() as f64
            }
            _ => 1.0,
        };
        (50.0 * q + 20.0 * p + 20.0 * s + 2.0 * pos) / 92.0
    }

    /// The Hypothesis client's `matchQuote` on this document: every exact
    /// occurrence, or else the best approximate matches (up to half the
    /// quote in errors), and the one that scores highest.
    pub fn match_quote(&self, quote: Quote<'_>, hint: Option<usize>) -> Option<Candidate> {
        if quote.exact.is_empty() {
            return None;
        }
        let exact = self.exact_candidates(quote, hint, None, MAX_SCORED);
        if !exact.is_empty() {
            return best(exact);
        }
        best(self.approx_candidates(quote, hint, self.chars(), 0))
    }
}

/// The highest score; the first (earliest) of equals.
fn best(candidates: Vec<Candidate>) -> Option<Candidate> {
    candidates
        .into_iter()
        .fold(None, |b: Option<Candidate>, c| match b {
            Some(b) if b.score >= c.score => Some(b),
            _ => Some(c),
        })
}

/// Decides where each annotation goes, in order; changes nothing.
pub fn plan(doc: &Document, annotations: &[Annotation], old_text: Option<&str>) -> Vec<Outcome> {
    plan_with_progress(
        doc,
        annotations,
        old_text,
        &std::sync::atomic::AtomicUsize::new(0),
    )
}

/// [`plan`], counting placed annotations in `done` (for a progress bar
/// while it runs on another thread).
pub fn plan_with_progress(
    doc: &Document,
    annotations: &[Annotation],
    old_text: Option<&str>,
    done: &std::sync::atomic::AtomicUsize,
) -> Vec<Outcome> {
    let mut anchorer = Anchorer::new(doc, old_text);
    let kept = kept_in_parallel(doc, annotations, done);
    let mut plan: Vec<Outcome> = annotations
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if kept.get(i).copied().unwrap_or(false) {
                // What `place` would say, and the state it would leave.
                anchorer.shift = 0;
                return Outcome::Kept;
            }
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            anchorer.place(a)
        })
        .collect();
    anchorer.backfill(annotations, &mut plan);
    plan
}

/// Which annotations stand exactly where they were, with their context
/// (the usual case when a document is opened): checked on all cores, as
/// it depends on nothing but the annotation and the text. The rest are
/// placed in order afterwards.
fn kept_in_parallel(
    doc: &Document,
    annotations: &[Annotation],
    done: &std::sync::atomic::AtomicUsize,
) -> Vec<bool> {
    const MIN: usize = 4096;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if annotations.len() < MIN || threads < 2 {
        return Vec::new();
    }
    let share = annotations.len().div_ceil(threads);
    std::thread::scope(|s| {
        let workers: Vec<_> = annotations
            .chunks(share)
            .map(|part| {
                s.spawn(move || {
                    let kept: Vec<bool> = part.iter().map(|a| stays(doc, a)).collect();
                    let n = kept.iter().filter(|k| **k).count();
                    done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                    kept
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// Applies a plan: moved annotations get their new range (and fresh
/// context); fuzzy ones also remember the quote they had, for review;
/// orphans keep everything. Never drops an annotation.
pub fn apply(doc: &Document, annotations: &mut [Annotation], plan: &[Outcome]) -> AnchorReport {
    let mut report = AnchorReport::default();
    for (a, outcome) in annotations.iter_mut().zip(plan) {
        match *outcome {
            Outcome::Kept => {
                a.anchoring = Anchoring::Kept;
                report.kept += 1;
            }
            Outcome::Moved { range, .. } => {
                a.set_range(doc, range);
                a.anchoring = Anchoring::Moved;
                report.moved += 1;
            }
            Outcome::Fuzzy { range } => {
                if a.review.is_none() {
                    a.review = Some(a.quote.clone());
                }
                a.set_range(doc, range);
                a.anchoring = Anchoring::Fuzzy;
                report.fuzzy += 1;
            }
            Outcome::Orphan => {
                a.anchoring = Anchoring::Orphaned;
                report.orphaned += 1;
            }
        }
    }
    report
}

/// Places every annotation on `doc` (see the module doc). `old_text` is
/// the text they were made on, when known.
pub fn anchor_all(
    doc: &Document,
    annotations: &mut [Annotation],
    old_text: Option<&str>,
) -> AnchorReport {
    let plan = plan(doc, annotations, old_text);
    apply(doc, annotations, &plan)
}

/// Whether `quote` stands exactly at `start..end` (which may be garbage from
/// a hand-edited file: reversed or past the end).
fn context_nearby(doc: &Document, a: &Annotation) -> bool {
    let text = doc.text();
    let (b0, b1) = (doc.byte_offset(a.start), doc.byte_offset(a.end));
    let prefix = tail(&a.prefix, CONTEXT_CHECK);
    let suffix = head(&a.suffix, CONTEXT_CHECK);
    (!prefix.is_empty() && text[..b0].ends_with(prefix))
        || (!suffix.is_empty() && text[b1..].starts_with(suffix))
        || (prefix.is_empty() && suffix.is_empty())
}

/// Whether `a` is kept where it is without a search: its quote stands
/// there (with its context, for a short one) on whole graphemes — what
/// [`Anchorer::place`] decides first.
fn stays(doc: &Document, a: &Annotation) -> bool {
    !a.quote.is_empty()
        && stands_at(doc, a.start, a.end, &a.quote)
        && (a.quote.chars().count() >= SURE_LEN || context_nearby(doc, a))
        && doc.snap_to_graphemes(a.range()) == a.range()
}

fn stands_at(doc: &Document, start: usize, end: usize, quote: &str) -> bool {
    start < end && end <= doc.char_len() && doc.slice(CharRange::new(start, end)) == quote
}

fn tail(s: &str, n: usize) -> &str {
    let skip = s.chars().count().saturating_sub(n);
    s.char_indices().nth(skip).map_or("", |(b, _)| &s[b..])
}

fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(b, _)| &s[..b])
}

/// Where a quote belongs in `doc`: at `hint` if the quote is there, else the
/// best-scoring exact occurrence (context, then nearness to `hint`).
/// `None` when the quote does not occur at all. Used by importers, whose
/// offsets may be off by a format's own counting.
pub fn place(
    doc: &Document,
    hint: CharRange,
    quote: &str,
    prefix: &str,
    suffix: &str,
) -> Option<CharRange> {
    if stands_at(doc, hint.start, hint.end, quote) {
        return Some(hint);
    }
    let anchorer = Anchorer::new(doc, None);
    let q = Quote {
        exact: quote,
        prefix,
        suffix,
    };
    if quote.is_empty() {
        return None;
    }
    best(anchorer.exact_candidates(q, Some(hint.start), None, MAX_SCORED)).map(|c| c.range)
}

#[cfg(test)]
mod tests;
