//! A project of 1,000 documents of 50 KB with 100 annotations each:
//! listing it for the Documents panel (first time and with its cached
//! index), a passages query over all of it, and switching documents.

use super::report::{Report, Table, mark, ms, once};
use gloss::model::Document;
use gloss::project::Query;
use gloss::session::Session;
use std::time::Duration;

pub fn project(quick: bool, report: &mut Report) {
    let n = if quick { 100 } else { 1_000 };
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path();
    let cache = dir.path().join(".cache");
    for i in 0..n {
        let text = gloss::sample::prose(50 * 1024, false).replacen("the", &format!("doc{i}"), 1);
        let path = folder.join(format!("interview-{i:04}.txt"));
        std::fs::write(&path, &text).expect("written");
        let mut s = Session::open(&path).expect("opened");
        let doc = Document::new("d", text);
        s.add_all(gloss::sample::annotations(&doc, 100))
            .expect("added");
        s.save().expect("saved");
    }
    let mut t = Table::new(
        &format!("A project of {n} documents"),
        "Each document is 50 KB of generated prose with 100 annotations in its own sidecar. \
         Listing is what the Documents panel shows (size, annotation count, share coded), \
         on a background thread; with the index cached it only looks at file sizes and times. \
         Switching opens a document that is not kept in memory (the sixteen last shown are, \
         and switch at once). Targets: listed in under 1 s, a passages query in under 200 ms, \
         a switch in under 100 ms.",
        &["what", "time", "target"],
    );
    report.start(&t);
    let (cold, listing) =
        once(|| gloss::project::listing_cached(folder, Some(&cache)).expect("listed"));
    assert_eq!(listing.entries.len(), n);
    t.row(vec![
        "list, first time".into(),
        ms(cold),
        mark(cold < Duration::from_secs(1)).into(),
    ]);
    let (warm, _) = once(|| gloss::project::listing_cached(folder, Some(&cache)).expect("listed"));
    t.row(vec![
        "list, index cached".into(),
        ms(warm),
        mark(warm < Duration::from_secs(1)).into(),
    ]);
    let query = Query {
        codes: vec!["claim".into()],
        and: vec!["source".into()],
        ..Query::default()
    };
    let (took, found) =
        once(|| gloss::project::passages(folder, &query, &mut |_, _| {}).expect("queried"));
    t.row(vec![
        format!(
            "passages, reading every document (`gloss passages`; {} found)",
            found.len()
        ),
        ms(took),
        "".into(),
    ]);
    // The window keeps the documents it read and re-reads only those that
    // changed: what a researcher's second and later queries cost.
    let mut loaded = gloss::project::loaded::Loaded::new(folder);
    loaded.refresh().expect("read");
    let (took, again) = once(|| {
        loaded.refresh().expect("checked");
        loaded.passages(&query, None)
    });
    assert_eq!(again.len(), found.len());
    t.row(vec![
        "passages in the window, documents read before".into(),
        ms(took),
        mark(took < Duration::from_millis(200)).into(),
    ]);
    let (took, _) = once(|| {
        Session::open(
            &folder
                .join("interview-0500.txt")
                .with_file_name(format!("interview-{:04}.txt", n / 2)),
        )
        .expect("opened")
    });
    t.row(vec![
        "switch to a document".into(),
        ms(took),
        mark(took < Duration::from_millis(100)).into(),
    ]);
    report.add(t);
}
