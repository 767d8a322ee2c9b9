//! Commands that read or tag one document: list, check, reanchor, tag.

use super::*;
use crate::words::{plural, plural_of};

pub(super) fn list(doc: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let session = open(doc)?;
    writeln!(
        out,
        "{:>13}  {:<24}  {:<50}  NOTE",
        "POSITION", "TAGS", "QUOTE"
    )?;
    for a in session.store().annotations.iter() {
        let mark = if a.is_orphaned() {
            "!"
        } else if a.needs_review() {
            "?"
        } else {
            ""
        };
        let pos = format!("{mark}{}..{}", a.start, a.end);
        let tags = if a.tags.is_empty() {
            "-".to_string()
        } else {
            a.tags.join(",")
        };
        writeln!(
            out,
            "{pos:>13}  {:<24}  {:<50}  {}",
            formats::report::clip(&tags, 24),
            formats::report::clip(&a.quote, 50),
            formats::report::clip(&a.note, 60)
        )?;
    }
    let orphans = session
        .store()
        .annotations
        .iter()
        .filter(|a| a.is_orphaned())
        .count();
    let review = session
        .store()
        .annotations
        .iter()
        .filter(|a| a.needs_review())
        .count();
    let mut summary = plural(session.store().annotations.len(), "annotation");
    if orphans > 0 {
        let verb = if orphans == 1 { "matches" } else { "match" };
        summary.push_str(&format!(", {orphans} no longer {verb} the text (marked !)"));
    }
    if review > 0 {
        let verb = if review == 1 { "awaits" } else { "await" };
        summary.push_str(&format!(
            ", {review} placed on edited text {verb} review (marked ?)"
        ));
    }
    writeln!(out, "{summary}")?;
    Ok(())
}

pub(super) fn check(paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<bool> {
    let mut problems = 0;
    let docs = documents(paths)?;
    for doc in &docs {
        let sc = sidecar_path(doc);
        let mut report = Vec::new();
        match Session::open(doc) {
            Err(e) => report.push(format!("{e}")),
            Ok(s) => {
                if let Some(n) = &s.decoding() {
                    writeln!(out, "{}: encoding: {n}", doc.display())?;
                }
                if let Some(why) = &s.read_only() {
                    report.push(why.clone());
                } else if Sidecar::load(&sc).ok().flatten().is_none() {
                    writeln!(out, "{}: no annotations yet", doc.display())?;
                    continue;
                }
                for n in s.infos() {
                    writeln!(
                        out,
                        "{}: note: {n} `gloss reanchor --write` or opening it in Gloss saves the new positions.",
                        doc.display()
                    )?;
                }
                for m in s.mended() {
                    report.push(format!("the annotation file needs mending: {m}"));
                }
                for a in s.store().annotations.iter() {
                    if a.is_orphaned() {
                        report.push(format!(
                            "annotation {} at {}..{} is orphaned: its quote “{}” was not found in the text",
                            a.id,
                            a.start,
                            a.end,
                            formats::report::clip(&a.quote, 50)
                        ));
                    } else if a.needs_review() {
                        report.push(format!(
                            "annotation {} was placed approximately at {}..{} (“{}”, was “{}”): review it",
                            a.id,
                            a.start,
                            a.end,
                            formats::report::clip(&a.quote, 40),
                            formats::report::clip(a.review.as_deref().unwrap_or(""), 40)
                        ));
                    }
                    for t in a.tags.iter().filter(|t| s.codebook().get(t).is_none()) {
                        report.push(format!(
                            "annotation {} uses the tag “{t}”, which is not in the codebook",
                            a.id
                        ));
                    }
                }
            }
        }
        if report.is_empty() {
            writeln!(out, "{}: ok", doc.display())?;
        } else {
            problems += report.len();
            writeln!(
                out,
                "{}: {}",
                doc.display(),
                plural(report.len(), "problem")
            )?;
            for r in report {
                writeln!(out, "  - {r}")?;
            }
        }
    }
    writeln!(
        out,
        "{} checked, {}",
        plural(docs.len(), "document"),
        plural(problems, "problem")
    )?;
    Ok(problems > 0)
}

pub(super) fn reanchor(
    doc: &Path,
    from: Option<&Path>,
    write: bool,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let mut session = open(doc)?;
    let Some(sidecar) = Sidecar::load(&sidecar_path(doc))? else {
        writeln!(out, "{}: no annotations yet", doc.display())?;
        return Ok(false);
    };
    let old = match from {
        Some(p) => Some(
            Session::open(p)
                .with_context(|| format!("could not read the old version {}", p.display()))?
                .doc()
                .clone(),
        ),
        None => None,
    };
    // Plan from what is stored, not from what opening already placed.
    let stored = sidecar.annotations;
    let plan = crate::anchor::plan(session.doc(), &stored, old.as_ref().map(|d| d.text()));
    writeln!(
        out,
        "{:<36}  {:>15}  {:>15}  HOW",
        "ANNOTATION", "OLD", "NEW"
    )?;
    for (a, outcome) in stored.iter().zip(&plan) {
        let new = match outcome {
            crate::anchor::Outcome::Kept => format!("{}..{}", a.start, a.end),
            crate::anchor::Outcome::Moved { range, .. }
            | crate::anchor::Outcome::Fuzzy { range } => {
                format!("{}..{}", range.start, range.end)
            }
            crate::anchor::Outcome::Orphan => "-".into(),
        };
        writeln!(
            out,
            "{:<36}  {:>15}  {:>15}  {}",
            a.id.0,
            format!("{}..{}", a.start, a.end),
            new,
            outcome.tier()
        )?;
    }
    let mut placed = stored;
    let report = crate::anchor::apply(session.doc(), &mut placed, &plan);
    writeln!(out, "{report}")?;
    if !write {
        if report.changed() {
            writeln!(
                out,
                "nothing written: add --write to save the new positions"
            )?;
        }
        return Ok(false);
    }
    if report.moved + report.fuzzy == 0 {
        writeln!(out, "nothing to save")?;
        return Ok(false);
    }
    session.take_placed(placed, report)?;
    super::save(&mut session)?;
    writeln!(out, "saved to {}", sidecar_path(doc).display())?;
    Ok(false)
}

pub(super) fn tag_matches(
    doc: &Path,
    query: &crate::search::Query,
    tag: &str,
    author: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut session = open(doc)?;
    let found = crate::search::find(session.doc(), query)?;
    let now = time::OffsetDateTime::now_utc();
    let made = session.tag_all(&found, tag, author, now, dry_run)?;
    let already = found.len() - made;
    let summary = format!(
        "{}, {made} new “{tag}” {}{}",
        plural_of(found.len(), "match", "matches"),
        if made == 1 {
            "annotation"
        } else {
            "annotations"
        },
        if already > 0 {
            format!(" ({already} already tagged)")
        } else {
            String::new()
        }
    );
    if dry_run {
        for r in &found {
            writeln!(
                out,
                "{:>13}  {}",
                format!("{}..{}", r.start, r.end),
                formats::report::clip(session.doc().slice(*r), 70)
            )?;
        }
        writeln!(out, "dry run: {summary}; nothing was written")?;
        return Ok(());
    }
    if made > 0 {
        super::save(&mut session)?;
        writeln!(out, "{summary}; saved to {}", sidecar_path(doc).display())?;
    } else {
        writeln!(out, "{summary}; nothing to save")?;
    }
    Ok(())
}
