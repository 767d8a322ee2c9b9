//! Parsing a large sidecar on several cores.
//!
//! RON is parsed by one thread; 100,000 annotations take about a third of
//! a second. A sidecar Gloss wrote has one annotation per `    (` … `    ),`
//! block inside `  annotations: [` … `  ],`, so the list can be cut into
//! parts at block boundaries and the parts parsed at the same time. Any
//! surprise (a hand-edited layout, a part that does not parse) gives up:
//! the caller then parses the whole text the ordinary way, which also
//! gives the exact error position.

use super::Sidecar;
use crate::model::Annotation;

/// Smaller files are parsed on one thread.
const MIN_BYTES: usize = 4 << 20;
const OPEN: &str = "\n  annotations: [\n";
const CLOSE: &str = "\n  ],\n)";
const ITEM_END: &str = "\n    ),\n";

/// The sidecar in `text`, parsed in parts, or `None` to parse it whole.
pub(super) fn parse(text: &str) -> Option<Sidecar> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if text.len() < MIN_BYTES {
        return None;
    }
    parse_in(text, threads.max(2))
}

fn parse_in(text: &str, threads: usize) -> Option<Sidecar> {
    let start = text.find(OPEN)? + OPEN.len();
    let end = text.rfind(CLOSE)? + 1;
    if end <= start || text[end..].trim_end() != "  ],\n)".trim_end() {
        return None;
    }
    let list = &text[start..end];
    // Cut points just after an item's `),`, near equal shares.
    let mut cuts = vec![0];
    for k in 1..threads {
        let target = list.len() * k / threads;
        let at = *cuts.last()?;
        if target <= at {
            continue;
        }
        match list[target..].find(ITEM_END) {
            Some(p) => cuts.push(target + p + ITEM_END.len() - 1),
            None => break,
        }
    }
    cuts.push(list.len());
    let header = format!("{}{}", &text[..start], &text[end..]);
    let parts: Vec<&str> = cuts.windows(2).map(|w| &list[w[0]..w[1]]).collect();
    let (head, lists) = std::thread::scope(|s| {
        let workers: Vec<_> = parts
            .iter()
            .map(|part| {
                s.spawn(move || ron::from_str::<Vec<Annotation>>(&format!("[{part}]")).ok())
            })
            .collect();
        let head = ron::from_str::<Sidecar>(&header).ok();
        let lists: Option<Vec<Vec<Annotation>>> = workers
            .into_iter()
            .map(|w| w.join().ok().flatten())
            .collect();
        (head, lists)
    });
    let mut sidecar = head?;
    if !sidecar.annotations.is_empty() {
        return None;
    }
    sidecar.annotations = lists?.into_iter().flatten().collect();
    Some(sidecar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn parts_parse_to_what_the_whole_does_and_surprises_give_up() {
        let doc = Document::new("t.txt", crate::sample::prose(200_000, false));
        let mut anns = crate::sample::annotations(&doc, 600);
        anns[7].note = "a note\n    ),\n    (\n with the layout inside".into();
        let text = Sidecar::new(&doc, Default::default(), anns)
            .to_ron()
            .unwrap();
        let whole: Sidecar = ron::from_str(&text).unwrap();
        for threads in [2, 3, 7] {
            let parts = parse_in(&text, threads).expect("a sidecar Gloss wrote");
            assert!(parts == whole, "{threads} parts");
        }
        // A part that does not parse, or a layout Gloss does not write:
        // no result, so the whole text is parsed and the error located.
        let broken = text.replacen("start: ", "start: oops ", 300);
        assert!(parse_in(&broken, 3).is_none());
        let err = Sidecar::from_ron(&broken, std::path::Path::new("t.ron")).unwrap_err();
        assert!(err.to_string().contains("t.ron"), "{err}");
        let edited = text.replace("\n  ],\n)", "\n],\n)");
        assert!(parse_in(&edited, 3).is_none());
    }
}
