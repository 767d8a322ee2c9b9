//! EPUBs assembled here: spine order, navigation titles, hostile archives.

use super::tests::zip_of;
use super::*;

const CONTAINER: &str = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

fn chapter(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body>{body}</body></html>"#
    )
}

/// An EPUB 3 book whose manifest lists chapters out of reading order.
fn book(spine: &[&str], nav: bool) -> Vec<u8> {
    let itemrefs: String = spine
        .iter()
        .map(|id| format!(r#"<itemref idref="{id}"/>"#))
        .collect();
    let opf = format!(
        r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Field Notes</dc:title></metadata>
        <manifest>
          <item id="c2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/>
          <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
          <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
          <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
          <item id="evil" href="../../etc/passwd" media-type="application/xhtml+xml"/>
          <item id="gone" href="text/missing.xhtml" media-type="application/xhtml+xml"/>
        </manifest><spine toc="ncx">{itemrefs}</spine></package>"#
    );
    let nav_doc = r#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol>
        <li><a href="text/ch1.xhtml">Arrival</a></li><li><a href="text/ch%202.xhtml#top">The “Interview”</a></li></ol></nav></body></html>"#;
    let ncx = r#"<?xml version="1.0"?><!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd"><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>
        <navPoint id="p1"><navLabel><text>Arrival (NCX)</text></navLabel><content src="text/ch1.xhtml"/></navPoint>
        <navPoint id="p2"><navLabel><text>Second (NCX)</text></navLabel><content src="text/ch%202.xhtml"/></navPoint></navMap></ncx>"#;
    let ch1 = chapter("<h1>Arrival</h1><p>We landed in São Paulo — “late”, 😀.</p>");
    let ch2 = chapter("<p>مرحبا and 中文 in the <i>inter</i>view.</p>");
    let mut parts = vec![
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", opf.as_str()),
        ("OEBPS/toc.ncx", ncx),
        ("OEBPS/text/ch 2.xhtml", ch2.as_str()),
        ("OEBPS/text/ch1.xhtml", ch1.as_str()),
    ];
    if nav {
        parts.push(("OEBPS/nav.xhtml", nav_doc));
    }
    zip_of(&parts)
}

#[test]
fn chapters_come_in_spine_order_with_their_navigation_titles() {
    let got = extract(Kind::Epub, &book(&["c1", "c2"], true)).unwrap();
    let want = "Arrival\n\nWe landed in São Paulo — “late”, 😀.\n\u{c}\n\
                The “Interview”\n\nمرحبا and 中文 in the interview.";
    assert_eq!(got.text, want);
    assert_eq!(got.title.as_deref(), Some("Field Notes"));
    assert_eq!(got.extractor, "gloss-epub/2");
    let at = |needle: &str| want[..want.find(needle).unwrap()].chars().count();
    assert_eq!(
        got.blocks,
        vec![
            (0, Block::Chapter),
            (at("\u{c}"), Block::ChapterBreak),
            (at("The “Interview”"), Block::Chapter),
        ]
    );
    // The spine, not the manifest, decides the order.
    let reversed = extract(Kind::Epub, &book(&["c2", "c1"], true)).unwrap();
    assert!(
        reversed.text.starts_with("The “Interview”"),
        "{}",
        reversed.text
    );
    // EPUB 2: titles from the NCX (its DOCTYPE declares nothing).
    let epub2 = extract(Kind::Epub, &book(&["c1", "c2"], false)).unwrap();
    assert!(
        epub2.text.contains("\u{c}\nSecond (NCX)\n\n"),
        "{}",
        epub2.text
    );
    assert!(
        epub2.text.starts_with("Arrival (NCX)\n\nArrival\n\n"),
        "{}",
        epub2.text
    );
}

#[test]
fn a_spine_outside_the_archive_or_at_a_missing_file_is_refused() {
    for (spine, why) in [
        (&["c1", "evil"][..], "outside the book"),
        (&["c1", "gone"][..], "not in the book"),
        (&["c1", "nobody"][..], "not in its manifest"),
        (&[][..], "no chapters"),
    ] {
        let err = extract(Kind::Epub, &book(spine, true)).unwrap_err();
        assert!(err.to_string().contains(why), "{spine:?}: {err}");
    }
    let truncated = book(&["c1"], true);
    let err = extract(Kind::Epub, &truncated[..truncated.len() / 2]).unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
}
