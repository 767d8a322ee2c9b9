//! EPUB books written from scratch, for benchmarks and tests: generated
//! prose in chapters, a spine, and an EPUB 3 navigation document.

use std::io::Write;

/// A book of about `bytes` of prose in chapters of about 40 KB.
pub fn book(bytes: usize) -> Vec<u8> {
    let prose = super::prose(bytes, false);
    let mut chapters: Vec<String> = Vec::new();
    let mut current = String::new();
    for para in prose.split("\n\n") {
        current.push_str(&format!("<p>{}</p>\n", escape(para)));
        if current.len() > 40_000 {
            chapters.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        chapters.push(current);
    }
    let mut items = String::new();
    let mut spine = String::new();
    let mut toc = String::new();
    for i in 0..chapters.len() {
        items.push_str(&format!(
            r#"<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>"#
        ));
        spine.push_str(&format!(r#"<itemref idref="c{i}"/>"#));
        toc.push_str(&format!(
            r#"<li><a href="c{i}.xhtml">Chapter {}</a></li>"#,
            i + 1
        ));
    }
    let opf = format!(
        r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Sample book</dc:title></metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{items}</manifest><spine>{spine}</spine></package>"#
    );
    let nav = format!(
        r#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol>{toc}</ol></nav></body></html>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut add = |name: &str, text: &str| {
        // Writing to memory cannot fail.
        let _ = zip.start_file(name, deflated);
        let _ = zip.write_all(text.as_bytes());
    };
    add("mimetype", "application/epub+zip");
    add(
        "META-INF/container.xml",
        r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#,
    );
    add("OEBPS/book.opf", &opf);
    add("OEBPS/nav.xhtml", &nav);
    for (i, body) in chapters.iter().enumerate() {
        add(
            &format!("OEBPS/c{i}.xhtml"),
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter {}</title></head><body><h1>Chapter {}</h1>{body}</body></html>"#,
                i + 1,
                i + 1
            ),
        );
    }
    let _ = zip.finish();
    out.into_inner()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
