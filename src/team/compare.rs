//! Where annotators differ, and curating those places into a gold set.
//!
//! The chosen annotators' annotations are grouped into places: runs of
//! annotations that overlap (share a code point; touching is not
//! overlapping). A place where every annotator has the same spans with the
//! same codes is agreed; any other is a disagreement: only some marked it,
//! they marked it with different boundaries, or with different codes. A
//! place the curator has annotated is resolved; one whose annotations the
//! curator all rejected (`Store::rejected`, saved in the sidecar) is too.

use crate::model::{Annotation, AnnotationId, CharRange, Document};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Some annotators did not mark it.
    OnlySome,
    /// Everyone marked it, with different boundaries.
    Boundaries,
    /// Everyone marked the same spans, with different codes.
    Codes,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::OnlySome => "not everyone marked it",
            Kind::Boundaries => "different boundaries",
            Kind::Codes => "different codes",
        }
    }
}

/// One place the annotators disagree.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// The union of the place's annotations.
    pub range: CharRange,
    pub kind: Kind,
    /// Each chosen annotator's annotations here (empty: did not mark it),
    /// in the order the annotators were chosen.
    pub versions: Vec<(String, Vec<AnnotationId>)>,
    /// The curator has annotated here.
    pub resolved: bool,
    /// The curator rejected every version here.
    pub rejected: bool,
}

impl Disagreement {
    pub fn is_done(&self) -> bool {
        self.resolved || self.rejected
    }

    /// Every annotation of the place.
    pub fn ids(&self) -> Vec<AnnotationId> {
        self.versions
            .iter()
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect()
    }
}

impl Disagreement {
    /// Who marked it, for "only Ana marked it".
    pub fn summary(&self) -> String {
        let marked: Vec<&str> = self
            .versions
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(who, _)| who.as_str())
            .collect();
        match self.kind {
            Kind::OnlySome => format!("only {} marked it", marked.join(", ")),
            k => k.describe().to_string(),
        }
    }
}

/// What a place holds for one annotator: sorted (start, end, sorted codes).
fn signature(anns: &[&Annotation]) -> Vec<(usize, usize, Vec<String>)> {
    let mut v: Vec<_> = anns
        .iter()
        .map(|a| {
            let mut tags = a.tags.clone();
            tags.sort();
            (a.start, a.end, tags)
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The disagreements among `annotators` in `annotations` (document order),
/// with those the `curator` has annotated marked resolved, and those whose
/// annotations are all in `rejected` (sorted) marked rejected.
pub fn disagreements<'a>(
    annotations: impl IntoIterator<Item = &'a Annotation>,
    annotators: &[String],
    curator: &str,
    rejected: &[AnnotationId],
) -> Vec<Disagreement> {
    let mut chosen: Vec<&Annotation> = Vec::new();
    let mut curated: Vec<CharRange> = Vec::new();
    for a in annotations {
        if a.is_orphaned() || a.end <= a.start {
            continue;
        }
        if a.author == curator {
            curated.push(a.range());
        } else if annotators.contains(&a.author) {
            chosen.push(a);
        }
    }
    chosen.sort_by_key(|a| (a.start, a.end));
    curated.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chosen.len() {
        let (start, mut end) = (chosen[i].start, chosen[i].end);
        let mut j = i + 1;
        while j < chosen.len() && chosen[j].start < end {
            end = end.max(chosen[j].end);
            j += 1;
        }
        let place = &chosen[i..j];
        i = j;
        let per: Vec<Vec<&Annotation>> = annotators
            .iter()
            .map(|who| place.iter().copied().filter(|a| &a.author == who).collect())
            .collect();
        let sigs: Vec<_> = per.iter().map(|v| signature(v)).collect();
        if sigs.windows(2).all(|w| w[0] == w[1]) && !sigs[0].is_empty() {
            continue;
        }
        let kind = if sigs.iter().any(Vec::is_empty) {
            Kind::OnlySome
        } else {
            let spans = |s: &Vec<(usize, usize, Vec<String>)>| {
                s.iter().map(|(a, b, _)| (*a, *b)).collect::<Vec<_>>()
            };
            if sigs.windows(2).all(|w| spans(&w[0]) == spans(&w[1])) {
                Kind::Codes
            } else {
                Kind::Boundaries
            }
        };
        let range = CharRange::new(start, end);
        let k = curated.partition_point(|r| r.start < end);
        let resolved = curated[..k].iter().any(|r| r.end > start);
        let rejected = place.iter().all(|a| rejected.binary_search(&a.id).is_ok());
        out.push(Disagreement {
            range,
            kind,
            versions: annotators
                .iter()
                .cloned()
                .zip(per.iter().map(|v| v.iter().map(|a| a.id.clone()).collect()))
                .collect(),
            resolved,
            rejected,
        });
    }
    out
}

/// The curated copies of `version` (one annotator's annotations at a
/// place): new ids, the curator as author, the notes kept, the originals
/// untouched.
pub fn accept(
    doc: &Document,
    version: &[&Annotation],
    curator: &str,
    now: OffsetDateTime,
) -> Vec<Annotation> {
    version
        .iter()
        .map(|a| {
            let mut c = Annotation::new(doc, a.range(), a.tags.clone(), curator, now);
            c.note = a.note.clone();
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(doc: &Document, who: &str, s: usize, e: usize, tags: &[&str]) -> Annotation {
        Annotation::new(
            doc,
            CharRange::new(s, e),
            tags.iter().map(|t| t.to_string()).collect(),
            who,
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn places_are_agreed_or_say_how_they_differ() {
        let doc = Document::new(
            "t",
            "“One” 😀 two three four five six seven.\r\nEight".into(),
        );
        let anns = vec![
            // Agreed.
            ann(&doc, "A", 0, 5, &["claim"]),
            ann(&doc, "B", 0, 5, &["claim"]),
            // Codes differ.
            ann(&doc, "A", 8, 11, &["claim"]),
            ann(&doc, "B", 8, 11, &["source"]),
            // Boundaries differ.
            ann(&doc, "A", 12, 17, &["claim"]),
            ann(&doc, "B", 12, 22, &["claim"]),
            // Only A; touching B's span at 28 is another place.
            ann(&doc, "A", 23, 27, &["claim"]),
            ann(&doc, "B", 27, 31, &["claim"]),
        ];
        let who = ["A".to_string(), "B".to_string()];
        let d = disagreements(&anns, &who, "curated", &[]);
        let kinds: Vec<Kind> = d.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Codes,
                Kind::Boundaries,
                Kind::OnlySome,
                Kind::OnlySome
            ]
        );
        assert_eq!(d[1].range, CharRange::new(12, 22));
        assert_eq!(d[2].summary(), "only A marked it");
        assert!(d.iter().all(|d| !d.resolved));

        // The curator accepts A's version of the first: resolved, and A's
        // annotation is untouched.
        let a_version: Vec<&Annotation> = anns
            .iter()
            .filter(|a| d[0].versions[0].1.contains(&a.id))
            .collect();
        let mut with = anns.clone();
        let copies = accept(&doc, &a_version, "curated", OffsetDateTime::UNIX_EPOCH);
        assert_eq!(copies[0].author, "curated");
        assert_ne!(copies[0].id, a_version[0].id);
        with.extend(copies);
        let d = disagreements(&with, &who, "curated", &[]);
        assert!(d[0].resolved && !d[1].resolved);
        // Rejecting every version of the second settles it too.
        let mut ids = d[1].ids();
        ids.sort();
        let d = disagreements(&with, &who, "curated", &ids);
        assert!(d[1].rejected && d[1].is_done() && !d[2].is_done());
        // A third annotator who marked nothing makes the agreed place a
        // disagreement.
        let three = ["A".to_string(), "B".to_string(), "C".to_string()];
        assert_eq!(disagreements(&anns, &three, "curated", &[]).len(), 5);
    }
}
