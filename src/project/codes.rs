//! Keeping a document's codebook and the project's one alike: a document
//! opened in a project takes the project's codes (and the renames, merges
//! and deletions made since it was last opened); a document's codebook
//! changes go back to the project file when it is saved.

use super::file::{self, ProjectFile};
use crate::session::Session;

/// Gives a document inside a project the project's codebook (see
/// [`conform`]) and remembers the project. Nothing is written until the
/// document is next saved. Returns whether anything changed.
pub fn apply_codebook(session: &mut Session) -> bool {
    let Some(folder) = session.path().as_deref().and_then(super::project_of) else {
        return false;
    };
    let Ok(Some(project)) = file::ProjectFile::load(&folder) else {
        return false;
    };
    session.join_project(folder);
    conform(session, &project)
}

/// Gives the project file a saved document's codebook (the codes it added,
/// described, renamed, merged or deleted), merged three ways against what
/// the document last took from the project, as the window does after each
/// save. Nothing happens outside a project.
pub fn give_codebook(session: &mut Session) -> Result<(), String> {
    let Some(folder) = session.project().clone() else {
        return Ok(());
    };
    let codebook = session.store().codebook.clone();
    let base = session.project_codebook().clone();
    let retired = &session.retired();
    file::update(&folder, |f| {
        f.take_codebook(&codebook, base.as_ref(), retired)
    })?;
    // Only once it landed: a failed write leaves them for the next save.
    session.gave_codebook(codebook);
    Ok(())
}

/// Brings a document's codebook in line with the project's: codes the
/// project retired are renamed, merged or removed on its annotations
/// (notes kept), the project's codes join it or take the project's
/// colour, description, parent and key. Not an undo step: the document
/// only catches up with changes made elsewhere. Returns whether anything
/// changed.
pub fn conform(session: &mut Session, project: &ProjectFile) -> bool {
    let changed = session.catch_up(
        &project.codebook,
        &|name| project.is_retired(name),
        &|name| project.successor(name).map(str::to_string),
        time::OffsetDateTime::now_utc(),
    );
    session.took_project_codebook(project.codebook.clone());
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharRange, Codebook, Document, Tag};
    use time::OffsetDateTime;

    fn project(tags: Vec<Tag>) -> ProjectFile {
        ProjectFile {
            codebook: Codebook { tags },
            ..ProjectFile::default()
        }
    }

    #[test]
    fn a_document_catches_up_with_renames_merges_and_deletions() {
        let text = "Officials “said” — 😀 drone strikes were near.";
        let mut s = Session::new(Document::new("d.txt", text.into()), None);
        let now = OffsetDateTime::UNIX_EPOCH;
        let a = s
            .annotate(
                CharRange::new(0, 9),
                vec!["claim".into(), "evidence".into()],
                "A",
                now,
            )
            .unwrap();
        s.set_note(&a, "kept", now).unwrap();
        let b = s
            .annotate(CharRange::new(10, 16), vec!["question".into()], "A", now)
            .unwrap();
        let c = s
            .annotate(CharRange::new(21, 26), vec!["source".into()], "A", now)
            .unwrap();
        let mut p = project(vec![
            Tag::new("claim", "#111111", "An assertion."),
            Tag::new("said", "#222222", "").under("claim"),
        ]);
        // evidence was merged into claim, source renamed to "attributed"
        // and then to "said", question deleted.
        let retired = [
            ("evidence".to_string(), Some("claim".to_string())),
            ("source".into(), Some("attributed".into())),
            ("attributed".into(), Some("said".into())),
            ("question".into(), None),
        ];
        let base = p.codebook.clone();
        assert!(p.take_codebook(&base.clone(), Some(&base), &retired));
        assert!(conform(&mut s, &p));
        let tags = |id| s.annotation(id).unwrap().tags.clone();
        assert_eq!(tags(&a), ["claim"]);
        assert_eq!(s.annotation(&a).unwrap().note, "kept");
        assert!(tags(&b).is_empty(), "a deleted code leaves a highlight");
        assert_eq!(tags(&c), ["said"]);
        let names: Vec<&str> = s.codebook().tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["claim", "said"]);
        assert_eq!(
            s.codebook().get("claim").unwrap().description,
            "An assertion."
        );
        assert!(!conform(&mut s, &p), "nothing more to do");
    }

    #[test]
    fn documents_take_the_projects_order_so_keys_agree() {
        let mut s = Session::new(Document::new("d.txt", "text".into()), None);
        s.add_tag().unwrap(); // "tag 5", the document's own
        assert!(s.history().can_undo());
        let p = project(vec![
            Tag::new("source", "#111111", ""),
            Tag::new("factual", "#222222", "").under("claim"),
            Tag::new("claim", "#333333", ""),
        ]);
        assert!(conform(&mut s, &p));
        let names: Vec<&str> = s.codebook().tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "source", "factual", "claim", "evidence", "question", "tag 5"
            ]
        );
        assert_eq!(s.codebook().by_key(2).unwrap().name, "factual");
        assert!(
            !s.history().can_undo(),
            "undo steps by position no longer fit"
        );
        assert!(
            s.history()
                .barrier_reason()
                .is_some_and(|why| why.contains("caught up with the project")),
            "and the history says why undo stops there"
        );
    }

    #[test]
    fn the_project_takes_a_documents_codebook_and_forgets_revived_names() {
        let mut p = project(vec![
            Tag::new("claim", "#111111", ""),
            Tag::new("old", "#000000", ""),
        ]);
        let mut doc = Codebook {
            tags: vec![
                Tag::new("claim", "#999999", "new words"),
                Tag::new("new", "#000000", ""),
            ],
        };
        let base = p.codebook.clone();
        assert!(p.take_codebook(&doc, Some(&base), &[("old".into(), Some("new".into()))]));
        let names: Vec<&str> = p.codebook.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["claim", "new"]);
        assert_eq!(p.codebook.get("claim").unwrap().color, "#999999");
        let base = p.codebook.clone();
        assert!(!p.take_codebook(&doc, Some(&base), &[]), "unchanged");
        // A code named like a retired one again is a code again.
        doc.tags.push(Tag::new("old", "#000000", ""));
        assert!(p.take_codebook(&doc, Some(&base), &[]));
        assert!(!p.is_retired("old"));
        assert!(p.retired.is_empty());
        // Joining a project skips codes retired in it.
        p.retired.insert("gone".into(), None);
        let joined = p.adopt(&Codebook {
            tags: vec![Tag::new("gone", "#000000", "")],
        });
        assert!(joined.is_empty());
    }

    #[test]
    fn two_documents_edits_of_different_codes_both_reach_the_project() {
        let mut p = project(vec![
            Tag::new("claim", "#111111", ""),
            Tag::new("evidence", "#222222", ""),
        ]);
        // Two windows (or machines) took the project's codebook as it was.
        let base = p.codebook.clone();
        let mut a = base.clone();
        a.tags[0].color = "#abcdef".into();
        let mut b = base.clone();
        b.tags[1].description = "Facts offered in support.".into();
        b.tags.push(Tag::new("source", "#333333", ""));
        assert!(p.take_codebook(&a, Some(&base), &[]));
        assert!(p.take_codebook(&b, Some(&base), &[]));
        assert_eq!(
            p.codebook.get("claim").unwrap().color,
            "#abcdef",
            "A's colour stays"
        );
        let evidence = p.codebook.get("evidence").unwrap();
        assert_eq!(evidence.description, "Facts offered in support.");
        assert!(p.codebook.get("source").is_some());
    }

    #[test]
    fn after_a_retired_code_leaves_undo_never_reaches_the_wrong_code() {
        let mut s = Session::new(Document::new("d.txt", "text".into()), None);
        // The user's own code, at the end (undo: remove the code at 4).
        s.add_tag().unwrap();
        let mut p = project(s.codebook().tags.clone());
        // Elsewhere, "source" (at 1) was deleted and "extra" added: the
        // codes shift left, and "extra" comes to stand at 4.
        p.codebook.tags.retain(|t| t.name != "source");
        p.codebook.tags.push(Tag::new("extra", "#123456", ""));
        p.retired.insert("source".into(), None);
        assert!(conform(&mut s, &p));
        let _ = s.undo();
        let now: Vec<&str> = s.codebook().tags.iter().map(|t| t.name.as_str()).collect();
        assert!(now.contains(&"extra"), "undo removed another code: {now:?}");
    }
}
