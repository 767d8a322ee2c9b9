//! Extractions of small documents made here, checked char for char.

use super::*;

/// A zip with these parts, deflated.
pub fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let notes = footnotes.map(|f| format!(r#"<?xml version="1.0"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>{f}</w:footnotes>"#));
    let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Interview 7</dc:title></cp:coreProperties>"#;
    let header = format!(r#"<w:hdr {W}><w:p><w:r><w:t>RUNNING HEADER</w:t></w:r></w:p></w:hdr>"#);
    let mut parts = vec![
        ("word/document.xml", document.as_str()),
        ("docProps/core.xml", core),
        ("word/header1.xml", header.as_str()),
    ];
    if let Some(n) = &notes {
        parts.push(("word/footnotes.xml", n.as_str()));
    }
    zip_of(&parts)
}

#[test]
fn word_runs_join_into_whole_words_and_structure_becomes_text() {
    let body = r#"
      <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Drone “strikes” — a report</w:t></w:r></w:p>
      <w:p><w:r><w:t>The anno</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>tation</w:t></w:r><w:r><w:t xml:space="preserve"> stays whole</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>.</w:t></w:r></w:p>
      <w:p><w:r><w:t>Q:</w:t></w:r><w:r><w:tab/><w:t>café 😀 العربية 中文</w:t><w:br/><w:t>second line</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t> added</w:t></w:r></w:ins></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>first point</w:t></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>name</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>role</w:t></w:r></w:p></w:tc></w:tr>
             <w:tr><w:tc><w:p><w:r><w:t>Ana</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>source</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
      <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>end</w:t></w:r></w:p>"#;
    let notes = r#"<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Said on 3 May.</w:t></w:r></w:p></w:footnote>"#;
    let got = extract(Kind::Docx, &docx(body, Some(notes))).unwrap();
    assert_eq!(
        got.text,
        "Drone “strikes” — a report\n\n\
         The annotation stays whole[1].\n\n\
         Q:\tcafé 😀 العربية 中文\nsecond line added\n\n\
         • first point\n\n\
         name\trole\nAna\tsource\n\n\
         end\n\n\
         Footnotes\n\n\
         [1] Said on 3 May."
    );
    assert_eq!(got.title.as_deref(), Some("Interview 7"));
    assert_eq!(got.extractor, "gloss-docx/2");
    assert!(!got.text.contains("RUNNING HEADER"), "headers are left out");
    // Deterministic: the same file gives the same text.
    assert_eq!(
        extract(Kind::Docx, &docx(body, Some(notes))).unwrap().text,
        got.text
    );
}

#[test]
fn opendocument_text_reads_the_same_way() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <office:body><office:text>
  <text:sequence-decls/>
  <text:h text:outline-level="1">Drone “strikes”</text:h>
  <text:p>The anno<text:span>tation</text:span>   stays
     whole<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Said on 3 May.</text:p></text:note-body></text:note>.</text:p>
  <text:p>Q:<text:tab/>café<text:s text:c="2"/>😀<text:line-break/>العربية<office:annotation><text:p>a comment</text:p></office:annotation></text:p>
  <text:list><text:list-item><text:p>first point</text:p></text:list-item></text:list>
  <table:table><table:table-row><table:table-cell><text:p>name</text:p></table:table-cell><table:table-cell><text:p>role</text:p></table:table-cell></table:table-row></table:table>
  <text:h text:outline-level="2">Next</text:h>
 </office:text></office:body>
</office:document-content>"#;
    let meta = r#"<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Field notes</dc:title></office:meta></office:document-meta>"#;
    let bytes = zip_of(&[("content.xml", content), ("meta.xml", meta)]);
    let got = extract(Kind::Odt, &bytes).unwrap();
    assert_eq!(
        got.text,
        "Drone “strikes”\n\n\
         The annotation stays whole[1].\n\n\
         Q:\tcafé  😀\nالعربية\n\n\
         • first point\n\n\
         name\trole\n\n\
         Next\n\n\
         Footnotes\n\n\
         [1] Said on 3 May."
    );
    assert_eq!(got.title.as_deref(), Some("Field notes"));
    let next = got.text[..got.text.find("Next").unwrap()].chars().count();
    assert_eq!(
        got.blocks,
        vec![(0, Block::Heading(1)), (next, Block::Heading(2))]
    );
}

#[test]
fn broken_and_hostile_files_are_refused_with_a_reason() {
    let body = r#"<w:p><w:r><w:t>text</w:t></w:r></w:p>"#;
    let good = docx(body, None);
    // Truncated: not a readable zip.
    let err = extract(Kind::Docx, &good[..good.len() / 2]).unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
    // A zip without the document part.
    let err = extract(Kind::Docx, &zip_of(&[("other.xml", "<a/>")])).unwrap_err();
    assert!(err.to_string().contains("word/document.xml"), "{err}");
    // Not XML.
    let err = extract(Kind::Odt, &zip_of(&[("content.xml", "<office:text>")])).unwrap_err();
    assert!(err.to_string().contains("not valid XML"), "{err}");
    // A part that inflates past the budget is refused, not unpacked.
    let big = "x".repeat(100_000);
    let bytes = zip_of(&[("content.xml", big.as_str())]);
    let mut zip = zipped::Zipped::open(&bytes, "test")
        .unwrap()
        .with_budget(10_000);
    let err = zip.text("content.xml").unwrap_err();
    assert!(err.to_string().contains("refuses"), "{err}");
    // Entities cannot expand: DTDs are not read.
    let bomb = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><w:document {W}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let err = extract(Kind::Docx, &zip_of(&[("word/document.xml", bomb.as_str())])).unwrap_err();
    assert!(err.to_string().contains("not valid XML"), "{err}");
}

#[test]
fn kinds_come_from_extensions() {
    assert_eq!(Kind::of(std::path::Path::new("a/Report.DOCX")), Kind::Docx);
    assert_eq!(Kind::of(std::path::Path::new("b.odt")), Kind::Odt);
    assert_eq!(Kind::of(std::path::Path::new("c.txt")), Kind::Text);
    assert_eq!(Kind::of(std::path::Path::new("no-extension")), Kind::Text);
}

#[test]
fn a_web_page_gives_the_text_a_reader_sees() {
    let page = r#"<!DOCTYPE html>
<html><head><title>  Drone   strikes — report </title><style>p { color: red }</style>
<script>var hidden = "not text";</script></head>
<body>
  <nav hidden>Menu Home About</nav>
  <h1>Drone “strikes”</h1>
  <p>The <b>anno</b>tation   stays
     whole &amp; entities &mdash; &#8220;decoded&#8221;; soft&shy;hyphen gone.</p>
  <!-- a comment -->
  <p style="display: none">invisible</p>
  <template><p>template text</p></template>
  <ul><li>first point</li><li>second <i>point</i></li></ul>
  <table><tr><th>name</th><th>role</th></tr><tr><td>Ana</td><td>source</td></tr></table>
  <blockquote>Quoted: café 😀 العربية 中文</blockquote>
  <p>line one<br>line two</p>
  <pre>  keeps   its
    spacing</pre>
</body></html>"#;
    let got = extract(Kind::Html, page.as_bytes()).unwrap();
    assert_eq!(
        got.text,
        "Drone “strikes”\n\n\
         The annotation stays whole & entities — “decoded”; softhyphen gone.\n\n\
         • first point\n\
         • second point\n\n\
         name\trole\n\
         Ana\tsource\n\n\
         Quoted: café 😀 العربية 中文\n\n\
         line one\nline two\n\n  keeps   its\n    spacing"
    );
    assert_eq!(got.title.as_deref(), Some("Drone strikes — report"));
    assert_eq!(got.extractor, "gloss-html/2");
    // The view learns which lines are headings and quotes (char offsets).
    let quote = got.text[..got.text.find("Quoted").unwrap()].chars().count();
    assert_eq!(
        got.blocks,
        vec![(0, Block::Heading(1)), (quote, Block::Quote)]
    );
}

#[test]
fn a_web_page_is_decoded_by_its_meta_charset() {
    // "café — “naïve”" in windows-1252, declared by the page; a guess
    // from so few bytes could pick another single-byte encoding.
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body><p>caf".to_vec();
    page.extend([
        0xE9, b' ', 0x97, b' ', 0x93, b'n', b'a', 0xEF, b'v', b'e', 0x94,
    ]);
    page.extend(b"</p></body></html>");
    assert_eq!(extract(Kind::Html, &page).unwrap().text, "café — “naïve”");
    let short = b"<meta charset='iso-8859-7'><p>\xe1\xe2\xe3</p>";
    assert_eq!(extract(Kind::Html, short).unwrap().text, "αβγ");
    // A byte order mark wins over the declaration.
    let bom = "\u{feff}<meta charset=\"windows-1252\"><p>café</p>";
    assert_eq!(extract(Kind::Html, bom.as_bytes()).unwrap().text, "café");
}

#[test]
fn word_lists_are_numbered_as_word_numbers_them_and_headings_are_marked() {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Berschrift1"/></w:pPr><w:r><w:t>Befunde</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>first</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>sub a</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>sub b</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>second</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="8"/></w:numPr></w:pPr><w:r><w:t>dot</w:t></w:r></w:p>
      <w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Direct heading</w:t></w:r></w:p>"#;
    let document =
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Berschrift1"><w:name w:val="heading 1"/></w:style></w:styles>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {W}>
        <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl></w:abstractNum>
        <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum>
        <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="4"/></w:num></w:numbering>"#
    );
    let bytes = zip_of(&[
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles.as_str()),
        ("word/numbering.xml", numbering.as_str()),
    ]);
    let got = extract(Kind::Docx, &bytes).unwrap();
    let want =
        "Befunde\n\n1. first\n\n1.a) sub a\n\n1.b) sub b\n\n2. second\n\n• dot\n\nDirect heading";
    assert_eq!(got.text, want);
    let direct = want[..want.find("Direct").unwrap()].chars().count();
    assert_eq!(
        got.blocks,
        vec![(0, Block::Heading(1)), (direct, Block::Heading(2))]
    );
}

#[test]
fn opendocument_lists_are_numbered_by_their_list_styles() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
 <office:automatic-styles><text:list-style style:name="L1">
   <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>
   <text:list-level-style-number text:level="2" style:num-prefix="(" style:num-suffix=")" style:num-format="i"/>
 </text:list-style><text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="–"/></text:list-style></office:automatic-styles>
 <office:body><office:text>
  <text:list text:style-name="L1">
   <text:list-item><text:p>first</text:p></text:list-item>
   <text:list-item><text:p>second</text:p><text:list><text:list-item><text:p>inner</text:p></text:list-item><text:list-item><text:p>more</text:p></text:list-item></text:list></text:list-item>
  </text:list>
  <text:list text:style-name="L2"><text:list-item><text:p>dash</text:p></text:list-item></text:list>
 </office:text></office:body>
</office:document-content>"#;
    let got = extract(Kind::Odt, &zip_of(&[("content.xml", content)])).unwrap();
    assert_eq!(
        got.text,
        "1. first\n\n2. second\n\n(i) inner\n\n(ii) more\n\n• dash"
    );
}

/// Words a browser shows apart stay apart: whitespace between inline
/// elements is one space (as Chromium's `innerText` gives), none at the
/// edges of blocks, and `<pre>` or `white-space: pre` keep theirs. A list
/// item's first paragraph continues its marker's line.
#[test]
fn whitespace_between_inline_elements_is_one_space_never_none() {
    let page = r##"<html><body>
<p><span class="pre">[--object</span> <span class="pre">OBJECTDEF]</span></p>
<p><code>-f</code><code>FMT</code> and <code>import</code>
   <code>xdg</code></p>
<p>  <em>void</em>  <a href="#">ffi_closure_free</a>  </p>
<ul> <li> <p>first</p> </li> <li>second</li> </ul>
<table><tr> <td>a</td> <td>b</td> </tr></table>
<div style="white-space: pre">kept   <b>as</b>  is</div>
<pre>  <span>x</span>   <span>y</span></pre>
</body></html>"##;
    let got = extract(Kind::Html, page.as_bytes()).unwrap();
    assert_eq!(
        got.text,
        "[--object OBJECTDEF]\n\n\
         -fFMT and import xdg\n\n\
         void ffi_closure_free\n\n\
         • first\n\n\
         • second\n\n\
         a\tb\n\n\
         kept   as  is\n\n\
         \u{20}\u{20}x   y"
    );
}

/// Hidden text (Format → Font → Hidden) is not extracted, whether the run,
/// its character style or its paragraph's style hides it; a paragraph
/// style's numbering ("List Number", based on another style) numbers it.
#[test]
fn word_hidden_text_is_left_out_and_list_styles_number_their_paragraphs() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Seen </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>unseen </w:t></w:r><w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>secret </w:t></w:r><w:r><w:t>text.</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr><w:r><w:t>All hidden.</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>Shown anyway.</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>first</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="MyList"/></w:pPr><w:r><w:t>second</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>dot</w:t></w:r></w:p>"#;
    let document =
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {W}>
        <w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="HiddenBase"><w:name w:val="Hidden base"/><w:rPr><w:vanish/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="Hidden para"/><w:basedOn w:val="HiddenBase"/></w:style>
        <w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="MyList"><w:name w:val="My list"/><w:basedOn w:val="ListNumber"/></w:style>
        <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="8"/></w:numPr></w:pPr></w:style>
        </w:styles>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {W}>
        <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
        <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum>
        <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="4"/></w:num></w:numbering>"#
    );
    let bytes = zip_of(&[
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles.as_str()),
        ("word/numbering.xml", numbering.as_str()),
    ]);
    let got = extract(Kind::Docx, &bytes).unwrap();
    assert_eq!(
        got.text,
        "Seen text.\n\nShown anyway.\n\n1. first\n\n2. second\n\n• dot"
    );
    assert_eq!(got.extractor, "gloss-docx/2");
}

/// OpenDocument's hidden text is left out as Word's is: a style that says
/// `text:display="none"` (or whose parent does), a hidden section, hidden
/// text and paragraph fields.
#[test]
fn opendocument_hidden_text_is_left_out() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>
  <style:style style:name="P9" style:family="paragraph" style:parent-style-name="T1"/>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p>Seen <text:span text:style-name="T1">unseen </text:span>text.<text:hidden-text text:condition="ooow:1" text:string-value="secret" text:is-hidden="true">secret</text:hidden-text></text:p>
  <text:p text:style-name="P9">Hidden by its parent style.</text:p>
  <text:p><text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/>A hidden paragraph.</text:p>
  <text:section text:name="S" text:display="none"><text:p>A hidden section.</text:p></text:section>
  <text:p>End.</text:p>
 </office:text></office:body>
</office:document-content>"#;
    let got = extract(Kind::Odt, &zip_of(&[("content.xml", content)])).unwrap();
    assert_eq!(got.text, "Seen text.\n\nEnd.");
    assert_eq!(got.extractor, "gloss-odt/2");
}

/// Hostile nesting ends in seconds with the text, never a stack overflow
/// (which no error handling can catch: the whole window would go).
#[test]
fn deeply_nested_documents_give_their_text_not_a_crash() {
    let n = 100_000;
    let html = format!(
        "<html><body><p>before</p>{}deep{}<p>after</p></body></html>",
        "<span>".repeat(n),
        "</span>".repeat(n)
    );
    let got = extract(Kind::Html, html.as_bytes()).unwrap();
    assert_eq!(got.text, "before\n\ndeep\n\nafter");
    let divs = format!(
        "<html><body>{}deep{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    assert_eq!(extract(Kind::Html, divs.as_bytes()).unwrap().text, "deep");
    // Word: content controls in content controls; OpenDocument: spans in
    // spans. Either the text or a clear refusal, never a crash.
    let sdt = format!(
        "{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}",
        "<w:sdt><w:sdtContent>".repeat(n),
        "</w:sdtContent></w:sdt>".repeat(n)
    );
    match extract(Kind::Docx, &docx(&sdt, None)) {
        Ok(got) => assert!(got.text.contains("deep")),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let spans = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>{}deep{}</text:p></office:text></office:body></office:document-content>"#,
        "<text:span>".repeat(n),
        "</text:span>".repeat(n)
    );
    match extract(Kind::Odt, &zip_of(&[("content.xml", spans.as_str())])) {
        Ok(got) => assert!(got.text.contains("deep")),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn the_depth_bound_leaves_ordinary_pages_alone() {
    // Many unclosed paragraphs and list items, scripts with "<" in them,
    // comments: nothing is dropped.
    let mut page = String::from("<html><body>");
    for i in 0..600 {
        page.push_str(&format!(
            "<p>para {i}<li>item<script>if (a<b) x()</script><!-- <div> -->"
        ));
    }
    page.push_str("<div><h2>Heading</h2><span>end</span></div></body></html>");
    let got = extract(Kind::Html, page.as_bytes()).unwrap();
    assert!(got.text.contains("para 599"));
    assert!(
        got.text.ends_with("Heading\n\nend"),
        "{}",
        &got.text[got.text.len() - 40..]
    );
    assert!(
        got.blocks.iter().any(|(_, b)| *b == Block::Heading(2)),
        "the heading's tags were kept"
    );
    assert_eq!(got.text.matches("item").count(), 600);
}

/// The fuzz seeds for hostile nesting (`fuzz/seeds/extract`) stay what
/// they are meant to be: files past every depth bound that still give
/// their text.
#[test]
fn the_nesting_fuzz_seeds_give_their_text() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/extract");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let got = extract(Kind::of(&path), &std::fs::read(&path).unwrap());
        let text = got
            .map(|e| e.text)
            .unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert!(text.contains("deep"), "{path:?}: {text:?}");
        seen += 1;
    }
    assert_eq!(seen, 5);
}
