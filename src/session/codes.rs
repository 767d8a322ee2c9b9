//! Changes to the codebook: adding, renaming, describing, re-parenting,
//! merging, splitting and deleting codes, and binding number keys. Each is
//! one undo step that also retags the annotations it concerns.

use super::{CommandError, Session};
use crate::model::{AnnotationId, Codebook, EditError, Op, Tag};
use time::OffsetDateTime;

impl Session {
    /// Catches up with a codebook kept elsewhere (a project's): codes
    /// `is_retired` are renamed to their `successor`, merged or removed on
    /// the annotations (notes kept); the other codebook's codes come first,
    /// in its order (so keys 1–9 agree across documents), with its colour,
    /// description, parent and key, then this document's own. Not an undo
    /// step, as the document only catches up with changes made elsewhere:
    /// when codes moved, undo stops here, and says why. Returns whether
    /// anything changed.
    pub fn catch_up(
        &mut self,
        codebook: &crate::model::Codebook,
        is_retired: &dyn Fn(&str) -> bool,
        successor: &dyn Fn(&str) -> Option<String>,
        now: OffsetDateTime,
    ) -> bool {
        let names =
            |tags: &[crate::model::Tag]| tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        // Before anything leaves: undo steps address codes by position.
        let before = names(&self.store.codebook.tags);
        let mut ops = Vec::new();
        for t in &self.store.codebook.tags {
            if !is_retired(&t.name) {
                continue;
            }
            let next = successor(&t.name);
            for a in self.store.annotations.iter().filter(|a| a.has_tag(&t.name)) {
                let mut a = a.clone();
                a.tags = retag(&a.tags, &t.name, next.as_deref());
                a.modified = now;
                ops.push(Op::Replace(a));
            }
            ops.push(Op::RemoveTag(t.name.clone()));
        }
        let mut changed = !ops.is_empty();
        if changed && self.store.apply(ops).is_err() {
            return false;
        }
        let own = std::mem::take(&mut self.store.codebook.tags);
        let mut tags = codebook.tags.clone();
        tags.extend(
            own.iter()
                .filter(|t| codebook.get(&t.name).is_none())
                .cloned(),
        );
        changed |= tags != own;
        let after = names(&tags);
        self.store.codebook.tags = tags;
        if !after.starts_with(&before) {
            self.history
                .barrier("the codebook caught up with the project's, which moved codes");
        }
        changed
    }
}

impl Session {
    /// Adds a new code with a fresh name and colour; returns its name.
    /// Codes are addressed by name in every command: a position can change
    /// between asking and doing (a merge, another window's edit).
    pub fn add_tag(&mut self) -> Result<String, CommandError> {
        let cb = self.codebook();
        let tag = Tag::new(&cb.fresh_name(), cb.next_color(), "");
        let name = tag.name.clone();
        self.apply(vec![Op::InsertTag(cb.tags.len(), tag)], None)?;
        Ok(name)
    }

    fn tag_named(&self, name: &str) -> Result<Tag, CommandError> {
        Ok(self
            .codebook()
            .get(name)
            .cloned()
            .ok_or_else(|| EditError::NoSuchCode(name.to_string()))?)
    }

    /// Renames a tag everywhere it is used (its annotations, the codes
    /// under it), as one undo step.
    pub fn rename_tag(
        &mut self,
        name: &str,
        new_name: &str,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let new_name = new_name.trim();
        let tag = self.tag_named(name)?;
        if tag.name == new_name {
            return Ok(());
        }
        let mut ops = vec![Op::ReplaceTag(
            tag.name.clone(),
            Tag {
                name: new_name.to_string(),
                ..tag.clone()
            },
        )];
        ops.extend(adopted(self.codebook(), &tag.name, Some(new_name)));
        ops.extend(self.retagged(&tag.name, Some(new_name), None, now));
        self.apply(ops, None)?;
        self.retire(&tag.name, Some(new_name));
        Ok(())
    }

    /// Edits a tag's colour, description or key; not its name or parent
    /// (those have their own commands, which keep the rest consistent).
    pub fn edit_tag(&mut self, name: &str, tag: Tag) -> Result<(), CommandError> {
        let old = self.tag_named(name)?;
        if old.name != tag.name || old.parent != tag.parent {
            return Err(CommandError::Edit(EditError::NoSuchCode(tag.name)));
        }
        let coalesce = Some(format!("tag:{name}"));
        self.apply(vec![Op::ReplaceTag(old.name, tag)], coalesce)
    }

    /// Puts a code under `parent` (`None`: at the top). Refused when that
    /// would put it under itself.
    pub fn reparent_tag(&mut self, name: &str, parent: Option<&str>) -> Result<(), CommandError> {
        let tag = self.tag_named(name)?;
        if !self.codebook().can_reparent(&tag.name, parent) {
            return Err(CommandError::Edit(EditError::ParentLoop {
                code: tag.name,
                parent: parent.unwrap_or_default().to_string(),
            }));
        }
        if tag.parent.as_deref() == parent {
            return Ok(());
        }
        let name = tag.name.clone();
        let moved = Tag {
            parent: parent.map(str::to_string),
            ..tag
        };
        self.apply(vec![Op::ReplaceTag(name, moved)], None)
    }

    /// Binds number key `key` (1–9) to a code, taking it from the code
    /// that had it; `None` unbinds (the code falls back to a free key).
    pub fn bind_key(&mut self, name: &str, key: Option<u8>) -> Result<(), CommandError> {
        let tag = self.tag_named(name)?;
        let mut ops = Vec::new();
        for t in &self.codebook().tags {
            if t.name != name && key.is_some() && t.key == key {
                ops.push(Op::ReplaceTag(
                    t.name.clone(),
                    Tag {
                        key: None,
                        ..t.clone()
                    },
                ));
            }
        }
        ops.push(Op::ReplaceTag(tag.name.clone(), Tag { key, ..tag }));
        self.apply(ops, None)
    }

    /// Merges code `from` into code `into`: every annotation coded `from`
    /// is coded `into` instead (notes kept), codes under `from` move under
    /// `into`, and `from` leaves the codebook. One undo step.
    pub fn merge_tags(
        &mut self,
        from: &str,
        into: &str,
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let (gone, kept) = (self.tag_named(from)?, self.tag_named(into)?);
        if from == into {
            return Ok(());
        }
        let (cb, mut ops) = self.pinned();
        for t in &cb.tags {
            if t.parent.as_deref() == Some(gone.name.as_str()) {
                // `into` may itself sit under `from`: it takes `from`'s place.
                let parent = if t.name == into {
                    gone.parent.clone()
                } else {
                    Some(kept.name.clone())
                };
                ops.push(Op::ReplaceTag(
                    t.name.clone(),
                    Tag {
                        parent,
                        ..t.clone()
                    },
                ));
            }
        }
        ops.extend(self.retagged(&gone.name, Some(&kept.name), None, now));
        ops.push(Op::RemoveTag(gone.name.clone()));
        self.apply(ops, None)?;
        self.retire(&gone.name, Some(&kept.name));
        Ok(())
    }

    /// Splits code `code`: the annotations `moving` (those of them that
    /// carry it) get a new code `name` (a sibling, placed after it)
    /// instead. One undo step.
    pub fn split_tag(
        &mut self,
        code: &str,
        name: &str,
        moving: &[AnnotationId],
        now: OffsetDateTime,
    ) -> Result<(), CommandError> {
        let tag = self.tag_named(code)?;
        let index = self
            .codebook()
            .tags
            .iter()
            .position(|t| t.name == code)
            .unwrap_or_default();
        let name = name.trim();
        // Keys first pinned, so the codes after it keep theirs; the new
        // code takes a free key (if any) and a colour no code has.
        let (cb, mut ops) = self.pinned();
        let new = Tag {
            name: name.to_string(),
            color: cb.next_color().to_string(),
            description: String::new(),
            parent: tag.parent.clone(),
            key: None,
        };
        ops.push(Op::InsertTag(index + 1, new));
        ops.extend(self.retagged(&tag.name, Some(name), Some(moving), now));
        self.apply(ops, None)
    }

    /// Deletes a tag from the codebook and from every annotation that has
    /// it; codes under it move up to its parent. The annotations are kept
    /// (untagged ones become highlights).
    pub fn delete_tag(&mut self, name: &str, now: OffsetDateTime) -> Result<(), CommandError> {
        let tag = self.tag_named(name)?;
        let (cb, mut ops) = self.pinned();
        ops.extend(adopted(&cb, &tag.name, tag.parent.as_deref()));
        ops.extend(self.retagged(&tag.name, None, None, now));
        ops.push(Op::RemoveTag(tag.name.clone()));
        self.apply(ops, None)?;
        self.retire(&tag.name, None);
        Ok(())
    }

    /// The codebook with every key a code types by its place bound to it
    /// ([`Codebook::pin_keys`]), and the ops that bind them: put first in a
    /// step that inserts or removes a code, so no other code's key moves.
    /// Later ops of the step are built from the pinned codebook returned.
    fn pinned(&self) -> (Codebook, Vec<Op>) {
        let mut cb = self.codebook().clone();
        cb.pin_keys();
        let ops = cb
            .tags
            .iter()
            .zip(&self.codebook().tags)
            .enumerate()
            .filter(|(_, (new, old))| new.key != old.key)
            .map(|(_, (new, _))| Op::ReplaceTag(new.name.clone(), new.clone()))
            .collect();
        (cb, ops)
    }

    /// Ops that rename (or, with `None`, remove) a tag on every annotation
    /// (or only on those in `only`).
    pub(super) fn retagged(
        &self,
        old: &str,
        new: Option<&str>,
        only: Option<&[AnnotationId]>,
        now: OffsetDateTime,
    ) -> Vec<Op> {
        let pick = |a: &&crate::model::Annotation| only.is_none_or(|ids| ids.contains(&a.id));
        self.store
            .annotations
            .iter()
            .filter(|a| a.has_tag(old))
            .filter(pick)
            .map(|a| {
                let mut a = a.clone();
                a.tags = retag(&a.tags, old, new);
                a.modified = now;
                Op::Replace(a)
            })
            .collect()
    }

    /// Remembers that a code left the codebook, for the project.
    fn retire(&mut self, old: &str, new: Option<&str>) {
        if self.project.is_some() {
            self.retired
                .push((old.to_string(), new.map(str::to_string)));
        }
    }
}

/// Ops that give the codes under `old` the parent `new`.
fn adopted(cb: &Codebook, old: &str, new: Option<&str>) -> Vec<Op> {
    cb.tags
        .iter()
        .filter(|t| t.parent.as_deref() == Some(old))
        .map(|t| {
            Op::ReplaceTag(
                t.name.clone(),
                Tag {
                    parent: new.map(str::to_string),
                    ..t.clone()
                },
            )
        })
        .collect()
}

/// `tags` with `old` replaced by `new` (or dropped), each code once, in
/// their order.
pub fn retag(tags: &[String], old: &str, new: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let t = if t == old { new } else { Some(t.as_str()) };
        if let Some(t) = t
            && !out.iter().any(|x| x == t)
        {
            out.push(t.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharRange, Document};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-02 12:00 UTC);

    /// "claim" with "factual" under it; three annotations.
    fn session() -> (Session, Vec<AnnotationId>) {
        let text = "“Crime fell 12%” — said the mayor 👩‍👩‍👧. 市长说。";
        let mut s = Session::new(Document::new("a.txt", text.into()), None);
        s.store
            .codebook
            .tags
            .push(Tag::new("factual", "#000000", "").under("claim"));
        let a = s
            .annotate(
                CharRange::new(0, 16),
                vec!["claim".into(), "source".into()],
                "A",
                NOW,
            )
            .unwrap();
        s.set_note(&a, "check the figure", NOW).unwrap();
        let b = s
            .annotate(CharRange::new(19, 33), vec!["source".into()], "A", NOW)
            .unwrap();
        let c = s
            .annotate(
                CharRange::new(34, 38),
                vec!["claim".into(), "factual".into()],
                "A",
                NOW,
            )
            .unwrap();
        s.history.seal();
        (s, vec![a, b, c])
    }

    fn tags(s: &Session, id: &AnnotationId) -> Vec<String> {
        s.annotation(id).unwrap().tags.clone()
    }

    fn names(s: &Session) -> Vec<String> {
        s.codebook().tags.iter().map(|t| t.name.clone()).collect()
    }

    #[test]
    fn merging_retags_keeps_notes_moves_children_and_undoes_in_one_step() {
        let (mut s, ids) = session();
        let before = s.store.codebook.clone();
        s.merge_tags("claim", "source", NOW).unwrap();
        assert_eq!(tags(&s, &ids[0]), ["source"], "one code once");
        assert_eq!(s.annotation(&ids[0]).unwrap().note, "check the figure");
        assert_eq!(tags(&s, &ids[2]), ["source", "factual"]);
        assert!(s.codebook().get("claim").is_none());
        assert_eq!(
            s.codebook().get("factual").unwrap().parent.as_deref(),
            Some("source")
        );
        s.undo().unwrap();
        assert_eq!(s.store.codebook, before);
        assert_eq!(tags(&s, &ids[0]), ["claim", "source"]);
        assert_eq!(tags(&s, &ids[2]), ["claim", "factual"]);
    }

    #[test]
    fn merging_a_parent_into_its_child_lifts_the_child() {
        let (mut s, ids) = session();
        s.merge_tags("claim", "factual", NOW).unwrap();
        assert_eq!(names(&s), ["source", "evidence", "question", "factual"]);
        assert_eq!(s.codebook().get("factual").unwrap().parent, None);
        assert_eq!(tags(&s, &ids[2]), ["factual"]);
        assert!(s.codebook().tree().len() == 4);
    }

    #[test]
    fn splitting_moves_only_the_chosen_passages_to_a_sibling() {
        let (mut s, ids) = session();
        s.store.codebook.tags[0].parent = None;
        s.split_tag(
            "claim",
            "claim (reported)",
            &[ids[2].clone(), ids[1].clone()],
            NOW,
        )
        .unwrap();
        assert_eq!(s.codebook().tags[1].name, "claim (reported)", "after it");
        assert_eq!(tags(&s, &ids[0]), ["claim", "source"], "not chosen");
        assert_eq!(tags(&s, &ids[1]), ["source"], "chosen but not coded claim");
        assert_eq!(tags(&s, &ids[2]), ["claim (reported)", "factual"]);
        assert!(
            s.split_tag("claim", "source", &[], NOW).is_err(),
            "a name in use"
        );
        s.undo().unwrap();
        assert_eq!(tags(&s, &ids[2]), ["claim", "factual"]);
        assert!(s.codebook().get("claim (reported)").is_none());
    }

    /// Splitting "claim" puts the new code after it; "source", "evidence"
    /// and the rest keep the number keys they had, and the new code gets
    /// a free key and a colour no other code has. Merging and deleting
    /// move no key either; undo puts the codebook back as it was.
    #[test]
    fn codebook_edits_keep_every_code_on_its_key() {
        let (mut s, ids) = session();
        // What the palette by count would give a sixth code.
        s.store.codebook.tags[4].color = crate::model::PALETTE[5].into();
        let keys = |s: &Session| -> Vec<(String, Option<usize>)> {
            let cb = s.codebook();
            let mut v: Vec<_> = (0..cb.tags.len())
                .map(|i| (cb.tags[i].name.clone(), cb.key_of(i)))
                .collect();
            v.sort();
            v
        };
        let before = keys(&s);
        let book = s.store.codebook.clone();
        s.split_tag("claim", "attribution", &[ids[0].clone()], NOW)
            .unwrap();
        let new = 1;
        assert_eq!(s.codebook().tags[new].name, "attribution");
        let mut expect = before.clone();
        expect.insert(0, ("attribution".to_string(), Some(6)));
        assert_eq!(keys(&s), expect);
        let colour = &s.codebook().tags[new].color;
        assert!(
            s.codebook()
                .tags
                .iter()
                .filter(|t| &t.color == colour)
                .count()
                == 1,
            "{colour} is another code's colour"
        );
        s.delete_tag("source", NOW).unwrap();
        let after: Vec<_> = expect.into_iter().filter(|(n, _)| n != "source").collect();
        assert_eq!(keys(&s), after, "deleting frees only its own key");
        s.undo().unwrap();
        s.undo().unwrap();
        assert_eq!(s.store.codebook, book);
    }

    #[test]
    fn renaming_and_deleting_keep_children_attached() {
        let (mut s, ids) = session();
        s.rename_tag("claim", "assertion", NOW).unwrap();
        assert_eq!(
            s.codebook().get("factual").unwrap().parent.as_deref(),
            Some("assertion")
        );
        assert_eq!(tags(&s, &ids[0]), ["assertion", "source"]);
        s.reparent_tag("assertion", Some("source")).unwrap();
        s.delete_tag("assertion", NOW).unwrap();
        assert_eq!(
            s.codebook().get("factual").unwrap().parent.as_deref(),
            Some("source"),
            "moves up to the deleted code's parent"
        );
        assert_eq!(tags(&s, &ids[2]), ["factual"]);
    }

    #[test]
    fn re_parenting_refuses_loops_and_undoes() {
        let (mut s, _) = session();
        let err = s.reparent_tag("claim", Some("factual")).unwrap_err();
        assert!(err.to_string().contains("cannot go under"), "{err}");
        s.reparent_tag("factual", Some("source")).unwrap();
        assert_eq!(s.codebook().path("factual"), "source › factual");
        s.reparent_tag("factual", None).unwrap();
        assert_eq!(s.codebook().path("factual"), "factual");
        s.undo().unwrap();
        s.undo().unwrap();
        assert_eq!(s.codebook().path("factual"), "claim › factual");
    }

    #[test]
    fn binding_a_key_takes_it_from_the_code_that_had_it() {
        let (mut s, _) = session();
        s.bind_key("factual", Some(2)).unwrap();
        assert_eq!(s.codebook().by_key(2).unwrap().name, "factual");
        s.bind_key("question", Some(2)).unwrap();
        assert_eq!(s.codebook().by_key(2).unwrap().name, "question");
        assert_eq!(s.codebook().get("factual").unwrap().key, None);
        s.bind_key("question", None).unwrap();
        assert_eq!(s.codebook().by_key(2).unwrap().name, "source");
    }

    #[test]
    fn retagging_never_doubles_a_code() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(retag(&t(&["a", "b", "c"]), "c", Some("a")), t(&["a", "b"]));
        assert_eq!(retag(&t(&["c", "b", "a"]), "c", Some("a")), t(&["a", "b"]));
        assert_eq!(retag(&t(&["a", "b"]), "a", None), t(&["b"]));
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;
    use crate::formats::{Format, import};
    use crate::model::{Codebook, Document};

    #[test]
    fn a_refi_qda_codebook_imports_into_the_open_document_in_one_step() {
        let mut s = Session::new(Document::new("a.txt", "Text — 😀.".into()), None);
        let before = s.store.codebook.clone();
        let file = Codebook {
            tags: vec![
                Tag::new("claim", "#112233", "Said to be so; not opinion."),
                Tag::new("factual", "#445566", "Checkable.").under("claim"),
            ],
        };
        let bytes = crate::formats::qdpx::codebook(&file).into_bytes();
        let imported = import(Format::Qdc, &s.doc, &bytes).unwrap();
        let report = s.import(imported, false).unwrap();
        assert_eq!(report.new_tags, ["factual"]);
        assert_eq!(report.updated_tags, ["claim"]);
        assert_eq!(report.added, 0);
        let claim = s.codebook().get("claim").unwrap();
        assert_eq!(
            (claim.color.as_str(), claim.description.as_str()),
            ("#112233", "Said to be so; not opinion.")
        );
        assert_eq!(s.codebook().path("factual"), "claim › factual");
        s.undo().unwrap();
        assert_eq!(s.store.codebook, before);
    }
}
