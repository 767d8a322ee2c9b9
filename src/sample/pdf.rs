//! Small PDFs written from scratch, for tests and benchmarks: text placed
//! where a page layout would put it (columns, running heads, a hyphen at a
//! line end), in any script, so extraction is checked against files whose
//! every word we know, with nothing downloaded.
//!
//! The text is shown through one Type 0 font with a `ToUnicode` map and no
//! embedded glyphs: extractors read text through that map, as they do for
//! the subset fonts word processors embed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One line of text at `(x, y)` (points from the bottom left), `size` high.
#[derive(Clone, Debug)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
    /// Set in the italic face (a second font of the same glyphs).
    pub italic: bool,
}

/// A page: lines of text, or (a scan) only an image.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub lines: Vec<Line>,
    pub image_only: bool,
}

impl Page {
    pub fn line(mut self, x: f32, y: f32, size: f32, text: &str) -> Self {
        self.lines.push(Line {
            x,
            y,
            size,
            text: text.to_string(),
            italic: false,
        });
        self
    }

    /// One line set in runs of two faces, each run drawn where the one
    /// before it ends (with no space between unless a run has one), as
    /// DocBook sets a bibliography's "GNOME" label and its italic title.
    pub fn runs(mut self, x: f32, y: f32, size: f32, runs: &[(&str, bool)]) -> Self {
        let mut at = x;
        for (text, italic) in runs {
            self.lines.push(Line {
                x: at,
                y,
                size,
                text: text.to_string(),
                italic: *italic,
            });
            at += width(text, size);
        }
        self
    }

    /// Lines of `size` points stacked downwards from `y`, one per string
    /// (an empty string leaves a paragraph gap).
    pub fn block(mut self, x: f32, mut y: f32, size: f32, lines: &[&str]) -> Self {
        for line in lines {
            if !line.is_empty() {
                self = self.line(x, y, size, line);
            }
            y -= size * 1.3;
        }
        self
    }

    /// A scanned page: an image and no text layer.
    pub fn scan() -> Self {
        Page {
            lines: Vec::new(),
            image_only: true,
        }
    }
}

/// Glyph advance in thousandths of the font size (one width for every
/// glyph keeps the layout predictable; spaces are narrower).
const ADVANCE: u32 = 500;
const SPACE_ADVANCE: u32 = 250;

/// A PDF with these pages (A4).
pub fn pdf(pages: &[Page]) -> Vec<u8> {
    write(pages, None)
}

/// A PDF encrypted with the standard security handler (RC4, 40-bit key,
/// revision 2): `user` is the password needed to open it (empty: anyone
/// may), `owner` the one that lifts the restrictions.
pub fn encrypted(pages: &[Page], user: &str, owner: &str) -> Vec<u8> {
    write(pages, Some(&Seal::new(user, owner)))
}

/// The standard security handler, revision 2 (ISO 32000-1, 7.6.3).
struct Seal {
    key: Vec<u8>,
    o: Vec<u8>,
    u: Vec<u8>,
}

const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];
const FILE_ID: &[u8] = b"gloss-sample-id!";
const PERMISSIONS: i32 = -64;

fn padded(password: &str) -> Vec<u8> {
    password.bytes().chain(PAD).take(32).collect()
}

fn md5(parts: &[&[u8]]) -> Vec<u8> {
    use md5::Digest;
    let mut h = md5::Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: Vec<u8> = (0..=255).collect();
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            b ^ s[s[i as usize].wrapping_add(s[j as usize]) as usize]
        })
        .collect()
}

impl Seal {
    fn new(user: &str, owner: &str) -> Self {
        let o = rc4(&md5(&[&padded(owner)])[..5], &padded(user));
        let key = md5(&[&padded(user), &o, &PERMISSIONS.to_le_bytes(), FILE_ID])[..5].to_vec();
        let u = rc4(&key, &PAD);
        Seal { key, o, u }
    }

    fn apply(&self, object: usize, data: &[u8]) -> Vec<u8> {
        let n = (object as u32).to_le_bytes();
        let key = md5(&[&self.key, &n[..3], &[0, 0]]);
        rc4(&key[..10], data)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A PDF object's body: a dictionary, or a stream with its data.
enum Obj {
    Dict(String),
    Stream(String, Vec<u8>),
}

fn write(pages: &[Page], seal: Option<&Seal>) -> Vec<u8> {
    // Every char used gets a glyph id; the ToUnicode map gives it back.
    let mut cids: BTreeMap<char, u16> = BTreeMap::new();
    for line in pages.iter().flat_map(|p| &p.lines) {
        for c in line.text.chars() {
            let next = cids.len() as u16 + 1;
            cids.entry(c).or_insert(next);
        }
    }
    let string = |object: usize, s: &str| match seal {
        Some(seal) => format!("<{}>", hex(&seal.apply(object, s.as_bytes()))),
        None => format!("({s})"),
    };
    let mut objects: Vec<Obj> = Vec::new();
    // 1 catalog, 2 pages, 3 font, 4 descendant, 5 ToUnicode, 6 image, then
    // two objects (page, content) per page, then the italic face.
    let first_page = 7;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objects.push(Obj::Dict("<< /Type /Catalog /Pages 2 0 R >>".into()));
    objects.push(Obj::Dict(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    )));
    objects.push(Obj::Dict(
        "<< /Type /Font /Subtype /Type0 /BaseFont /GlossSans /Encoding /Identity-H \
         /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
            .into(),
    ));
    let mut widths = String::new();
    for (c, cid) in &cids {
        let w = if *c == ' ' { SPACE_ADVANCE } else { ADVANCE };
        let _ = write!(widths, "{cid} [{w}] ");
    }
    objects.push(Obj::Dict(format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlossSans \
         /CIDSystemInfo << /Registry {} /Ordering {} /Supplement 0 >> \
         /FontDescriptor << /Type /FontDescriptor /FontName /GlossSans /Flags 32 \
         /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 \
         /CapHeight 700 /StemV 80 >> /DW {ADVANCE} /W [{widths}] >>",
        string(4, "Adobe"),
        string(4, "Identity"),
    )));
    objects.push(Obj::Stream(String::new(), to_unicode(&cids).into_bytes()));
    objects.push(Obj::Stream(
        "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
         /BitsPerComponent 8"
            .into(),
        vec![0x7f],
    ));
    let italic = first_page + 2 * pages.len();
    for (i, page) in pages.iter().enumerate() {
        objects.push(Obj::Dict(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R \
             /Resources << /Font << /F1 3 0 R /F2 {italic} 0 R >> /XObject << /Im1 6 0 R >> >> >>",
            first_page + 2 * i + 1
        )));
        objects.push(Obj::Stream(
            String::new(),
            content(page, &cids).into_bytes(),
        ));
    }
    objects.push(Obj::Dict(
        "<< /Type /Font /Subtype /Type0 /BaseFont /GlossSans-Italic /Encoding /Identity-H \
         /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
            .into(),
    ));
    let mut out: Vec<u8> = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        let number = i + 1;
        offsets.push(out.len());
        out.extend(format!("{number} 0 obj\n").bytes());
        match obj {
            Obj::Dict(body) => out.extend(body.bytes()),
            Obj::Stream(dict, data) => {
                let data = match seal {
                    Some(seal) => seal.apply(number, data),
                    None => data.clone(),
                };
                out.extend(format!("<< {dict} /Length {} >>\nstream\n", data.len()).bytes());
                out.extend(data);
                out.extend(b"\nendstream");
            }
        }
        out.extend(b"\nendobj\n");
    }
    let mut trailer = String::from("/Root 1 0 R");
    if let Some(seal) = seal {
        offsets.push(out.len());
        out.extend(
            format!(
                "{} 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P {PERMISSIONS} >>\nendobj\n",
                objects.len() + 1,
                hex(&seal.o),
                hex(&seal.u)
            )
            .bytes(),
        );
        let id = hex(FILE_ID);
        let _ = write!(
            trailer,
            " /Encrypt {} 0 R /ID [<{id}> <{id}>]",
            objects.len() + 1
        );
    }
    let xref = out.len();
    let offsets_len = offsets.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", offsets_len + 1);
    for off in offsets {
        let _ = writeln!(tail, "{off:010} 00000 n ");
    }
    let size = offsets_len + 1;
    let _ = write!(
        tail,
        "trailer\n<< /Size {size} {trailer} >>\nstartxref\n{xref}\n%%EOF\n"
    );
    out.extend(tail.bytes());
    out
}

fn is_rtl(c: char) -> bool {
    matches!(c, '\u{590}'..='\u{8FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A line as word processors draw it: runs of one direction, each shown
/// on its own at its place, right-to-left runs (with the spaces inside
/// them) in drawing order, that is reversed.
fn runs(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if is_rtl(chars[i]) {
            let mut end = i;
            while i < chars.len() && (is_rtl(chars[i]) || chars[i] == ' ') {
                if is_rtl(chars[i]) {
                    end = i + 1;
                }
                i += 1;
            }
            i = end;
            out.push(chars[start..end].iter().rev().collect());
        } else {
            while i < chars.len() && !is_rtl(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        }
    }
    out
}

fn content(page: &Page, cids: &BTreeMap<char, u16>) -> String {
    let mut s = String::new();
    if page.image_only {
        s.push_str("q 595 0 0 842 0 0 cm /Im1 Do Q\n");
    }
    for line in &page.lines {
        let mut x = line.x;
        for run in runs(&line.text) {
            let hex: String = run
                .chars()
                .map(|c| format!("{:04X}", cids.get(&c).copied().unwrap_or(0)))
                .collect();
            let _ = writeln!(
                s,
                "BT /F{} {} Tf 1 0 0 1 {} {} Tm <{hex}> Tj ET",
                if line.italic { 2 } else { 1 },
                line.size,
                x,
                line.y
            );
            x += width(&run, line.size);
        }
    }
    s
}

fn to_unicode(cids: &BTreeMap<char, u16>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let entries: Vec<(&char, &u16)> = cids.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (c, cid) in chunk {
            let mut utf16 = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut utf16)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(s, "<{cid:04X}> <{hex}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap CMapName currentdict /CMap defineresource pop end end");
    s
}

/// Width in points of `text` at `size` in the generated font.
pub fn width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if c == ' ' { SPACE_ADVANCE } else { ADVANCE } as f32)
        .sum::<f32>()
        * size
        / 1000.0
}

/// `text` broken into lines of at most `columns` chars at spaces.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A report of `pages` pages of prose in one column, with a running header
/// and a page number, for benchmarks.
pub fn report(pages: usize) -> Vec<u8> {
    let prose = super::prose(pages * 3_000, false);
    let mut words = prose.split_whitespace();
    let per_page = 45;
    let out: Vec<Page> = (0..pages)
        .map(|n| {
            let mut page = Page::default().line(60.0, 800.0, 9.0, "Annual report 2026");
            let mut y = 760.0;
            for _ in 0..per_page {
                let line: Vec<&str> = words.by_ref().take(12).collect();
                if line.is_empty() {
                    break;
                }
                page = page.line(60.0, y, 10.0, &line.join(" "));
                y -= 14.0;
            }
            page.line(290.0, 40.0, 9.0, &(n + 1).to_string())
        })
        .collect();
    pdf(&out)
}
