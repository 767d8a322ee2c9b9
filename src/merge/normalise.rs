//! Making a sidecar read from outside well-formed before it is merged or
//! used, saying what was changed.

use super::same_annotation;
use crate::model::{Annotation, AnnotationId, Tag};
use crate::sidecar::Sidecar;
use std::collections::{HashMap, HashSet};

/// The name an unnamed code gets: a code needs a name to be chosen, shown
/// and exported.
const UNNAMED: &str = "unnamed code";

/// Makes a sidecar read from outside well-formed, and says what it changed
/// (nothing is changed silently): codes with no name get one, a code
/// defined twice keeps its first definition, codes annotations use but the
/// codebook lacks are defined, an annotation listed twice is kept once (or,
/// if the two differ, both are kept, the second under a new id), reversed
/// ranges are turned round, rejected ids are sorted and unique.
pub fn normalise(sc: &mut Sidecar) -> Vec<String> {
    let mut said = Vec::new();
    // Codes with no name.
    let blank = |n: &str| n.trim().is_empty();
    let renamed = if sc.codebook.tags.iter().any(|t| blank(&t.name))
        || sc
            .annotations
            .iter()
            .any(|a| a.tags.iter().any(|t| blank(t)))
    {
        let mut name = UNNAMED.to_string();
        let mut i = 2;
        while sc.codebook.get(&name).is_some() {
            name = format!("{UNNAMED} {i}");
            i += 1;
        }
        said.push(format!("a code with no name is now called “{name}”"));
        Some(name)
    } else {
        None
    };
    if let Some(name) = &renamed {
        for t in &mut sc.codebook.tags {
            if blank(&t.name) {
                t.name = name.clone();
            }
            if t.parent.as_deref().is_some_and(blank) {
                t.parent = Some(name.clone());
            }
        }
        for a in &mut sc.annotations {
            for t in &mut a.tags {
                if blank(t) {
                    *t = name.clone();
                }
            }
        }
    }
    // A code defined twice.
    let mut names = HashSet::new();
    let before = sc.codebook.tags.len();
    sc.codebook.tags.retain(|t| names.insert(t.name.clone()));
    if sc.codebook.tags.len() < before {
        said.push(format!(
            "{} code definition(s) repeated a name; the first of each kept",
            before - sc.codebook.tags.len()
        ));
    }
    // Annotations: the same code twice, reversed ranges, ids listed twice.
    let mut ids: HashMap<AnnotationId, usize> = HashMap::new();
    let (mut reversed, mut twice, mut reid) = (0, 0, 0);
    let mut keep = Vec::with_capacity(sc.annotations.len());
    for mut a in std::mem::take(&mut sc.annotations) {
        let mut seen = HashSet::new();
        a.tags.retain(|t| seen.insert(t.clone()));
        if a.start > a.end {
            std::mem::swap(&mut a.start, &mut a.end);
            reversed += 1;
        }
        match ids.get(&a.id) {
            Some(&i) if same_annotation(&keep[i], &a) => twice += 1,
            Some(_) => {
                // From the content, not at random: every reading of the
                // file (and each side of a merge) gives the same id, so
                // the second version is neither duplicated nor "changed".
                a.id = id_from_content(&a);
                reid += 1;
                ids.insert(a.id.clone(), keep.len());
                keep.push(a);
            }
            None => {
                ids.insert(a.id.clone(), keep.len());
                keep.push(a);
            }
        }
    }
    sc.annotations = keep;
    if reversed + reid > 0 {
        // Kept in document order, as every sidecar is.
        sc.annotations
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }
    if reversed > 0 {
        let had = if reversed == 1 {
            "had its"
        } else {
            "had their"
        };
        said.push(format!(
            "{} {had} start after {} end; turned round",
            crate::words::plural(reversed, "annotation"),
            if reversed == 1 { "its" } else { "their" }
        ));
    }
    if twice > 0 {
        said.push(format!(
            "{} listed twice; kept once",
            crate::words::plural_of(twice, "annotation was", "annotations were")
        ));
    }
    if reid > 0 {
        said.push(format!(
            "{} an id with a different annotation; both kept, the second under a new id",
            crate::words::plural_of(reid, "annotation shared", "annotations shared")
        ));
    }
    // Codes used but not defined.
    let mut missing: Vec<String> = Vec::new();
    for a in &sc.annotations {
        for t in &a.tags {
            if sc.codebook.get(t).is_none() && !missing.contains(t) {
                missing.push(t.clone());
            }
        }
    }
    for name in &missing {
        let color = sc.codebook.next_color().to_string();
        sc.codebook.tags.push(Tag::new(name, &color, ""));
    }
    for name in &missing {
        said.push(format!(
            "annotations use “{name}”, which is not in the codebook: added to it"
        ));
    }
    let n = sc.rejected.len();
    sc.rejected.sort();
    sc.rejected.dedup();
    if sc.rejected.len() < n {
        said.push("a rejected place was listed twice; kept once".into());
    }
    said
}

/// A stable id for the second of two different annotations that shared an
/// id: derived from its old id and content.
fn id_from_content(a: &Annotation) -> AnnotationId {
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
        a.id,
        a.start,
        a.end,
        a.quote,
        a.tags.join("\u{1}"),
        a.note,
        a.author,
        a.created
    );
    AnnotationId(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string())
}
