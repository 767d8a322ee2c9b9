//! What a file looks like from its first bytes, for an import that was
//! given the wrong file: "expected a W3C Web Annotation JSON file, but
//! notes.csv looks like CSV (it begins “id,quote,code”)" says more than
//! the JSON parser's "expected value at line 1 column 1".

use super::FormatError;

/// What import reads, to choose from.
const IMPORTS: &str = "Gloss imports W3C JSON, brat .ann, JSON Lines, .qdpx and .qdc: import \
     the file as the one it is, or export one of those from the tool that made it";

/// What `bytes` look like: "plain text", "CSV", "XML", "a zip archive"…
pub fn looks_like(bytes: &[u8]) -> &'static str {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(&bytes[..bytes.len().min(4096)]) {
        Ok(t) => t,
        // Cut inside a character: what came before it is text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => "",
    };
    let start = text.trim_start();
    let lower = start
        .get(..start.len().min(64))
        .unwrap_or("")
        .to_lowercase();
    let first = start.lines().next().unwrap_or("");
    if bytes.starts_with(b"PK\x03\x04") {
        "a zip archive (such as a .qdpx project or a Word document)"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.iter().all(u8::is_ascii_whitespace) {
        "an empty file"
    } else if text.is_empty() || text.contains('\0') {
        "a binary file"
    } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "HTML"
    } else if start.starts_with('<') {
        "XML"
    } else if start.starts_with('(') && start.contains("annotations:") {
        "a Gloss annotation file (it is read from beside its document, not imported)"
    } else if start.starts_with('{') || start.starts_with('[') {
        "JSON"
    } else if brat_line(first) {
        "a brat .ann file"
    } else if first.contains(',') || first.contains('\t') || first.contains(';') {
        "CSV (a table)"
    } else {
        "plain text"
    }
}

/// A brat standoff line: `T1<TAB>label 0 5<TAB>text`.
fn brat_line(line: &str) -> bool {
    let mut parts = line.split('\t');
    let id = parts.next().unwrap_or("");
    id.len() > 1
        && id.starts_with(['T', 'A', 'N', '#', 'R', 'E'])
        && id[1..].bytes().all(|b| b.is_ascii_digit())
        && parts.next().is_some()
}

/// The start of the file's first line, to quote ("id,quote,code"), when
/// it is text.
fn beginning(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(200)];
    let text = String::from_utf8_lossy(head);
    let line = text.trim_start().lines().next()?.trim_end();
    if line.is_empty() || line.contains(['\0', '\u{FFFD}']) {
        return None;
    }
    Some(crate::formats::report::clip(line, 40))
}

/// The error for a file that is not `expected` ("a W3C Web Annotation
/// JSON file"): what it looks like instead, or, when it looks like what
/// was expected, why it does not read (`why`, the parser's words).
pub fn not_a(expected: &str, bytes: &[u8], why: impl std::fmt::Display) -> FormatError {
    let seems = looks_like(bytes);
    if seems == "JSON" {
        return FormatError::Invalid(format!(
            "expected {expected}, but the file is not valid JSON: {why}"
        ));
    }
    let begins = beginning(bytes)
        .map(|b| format!(" (it begins “{b}”)"))
        .unwrap_or_default();
    FormatError::Invalid(format!(
        "expected {expected}, but the file looks like {seems}{begins}. {IMPORTS}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_first_bytes() {
        assert_eq!(looks_like(b"hello,world\n1,2\n"), "CSV (a table)");
        assert_eq!(looks_like(b"Dear diary, today"), "CSV (a table)");
        assert_eq!(looks_like(b"Dear diary\ntoday"), "plain text");
        assert_eq!(
            looks_like(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>"),
            "XML"
        );
        assert_eq!(looks_like(b"<!DOCTYPE html><p>x"), "HTML");
        assert_eq!(looks_like(b"PK\x03\x04rest"), looks_like(b"PK\x03\x04"));
        assert!(looks_like(b"PK\x03\x04\x14\x00").starts_with("a zip archive"));
        assert_eq!(looks_like(b"%PDF-1.7"), "a PDF document");
        assert_eq!(looks_like(b"  \n"), "an empty file");
        assert_eq!(looks_like(b"\x00\x01\x02"), "a binary file");
        assert_eq!(looks_like(b"{\"a\": 1"), "JSON");
        assert_eq!(looks_like(b"T1\tclaim 0 5\tDrone\n"), "a brat .ann file");
        assert!(looks_like(b"(\n  format: 1,\n  annotations: [],\n)").starts_with("a Gloss"));
    }

    #[test]
    fn the_error_says_what_was_expected_and_what_came() {
        let e = not_a("a W3C file", b"id,quote\n1,x\n", "expected value").to_string();
        assert_eq!(
            e,
            format!(
                "expected a W3C file, but the file looks like CSV (a table) (it begins “id,quote”). {IMPORTS}"
            )
        );
        let e = not_a("a W3C file", b"{\"a\": ", "EOF while parsing").to_string();
        assert_eq!(
            e,
            "expected a W3C file, but the file is not valid JSON: EOF while parsing"
        );
        let e = not_a("a W3C file", b"PK\x03\x04\x00\x00", "x").to_string();
        assert!(!e.contains("begins"), "{e}");
    }
}
