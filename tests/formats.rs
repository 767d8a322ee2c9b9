//! Golden files for every export format on the sample article, and the
//! standards' own conformance material (W3C JSON Schemas, REFI-QDA XSDs),
//! read from `../shared/conformance/` when it is there.
//!
//! Regenerate the golden files after an intended change with
//! `GLOSS_BLESS=1 cargo test --test formats`.

use gloss::formats::{self, Format, Source};
use gloss::model::{AnnotationSet, Codebook, Document};
use gloss::sidecar::Sidecar;
use std::path::{Path, PathBuf};

struct Sample {
    doc: Document,
    codebook: Codebook,
    annotations: AnnotationSet,
}

fn sample() -> Sample {
    let doc = Document::new("article.txt", gloss::sample::ARTICLE.to_string());
    let sc = Sidecar::from_ron(gloss::sample::ANNOTATIONS, Path::new("sample")).unwrap();
    Sample {
        doc,
        codebook: sc.codebook,
        annotations: AnnotationSet::from_vec(sc.annotations),
    }
}

impl Sample {
    fn source(&self) -> Source<'_> {
        Source {
            doc: &self.doc,
            codebook: &self.codebook,
            annotations: self.annotations.iter().collect(),
            uri: "file:///corpus/article.txt".into(),
            // A memo with what escaping must survive, in every report.
            memo: "Check the <b>figures</b> & the “sources”.\n\n# Not a heading — 1. not a list 😀",
        }
    }
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

mod common;
use common::conformance;

#[test]
fn golden_files_for_every_format() {
    let s = sample();
    let bless = common::bless();
    for format in Format::ALL {
        let exported = formats::export(format, &s.source(), "article.txt").unwrap();
        for (name, bytes) in exported.files {
            // brat's files sit in a folder of their own; the goldens do not.
            let file = Path::new(&name).file_name().unwrap();
            let golden = golden_dir().join(file);
            if format == Format::Qdpx {
                // Compare the zip's contents, not its bytes (compression may change).
                let (project, _) = formats::qdpx::project_xml(&s.source());
                let golden = golden_dir().join("article.qde");
                if bless {
                    std::fs::write(&golden, &project).unwrap();
                }
                assert_eq!(
                    std::fs::read_to_string(&golden).unwrap(),
                    project,
                    "{}",
                    golden.display()
                );
                assert!(bytes.starts_with(b"PK"));
                continue;
            }
            if format == Format::Xlsx {
                // The sheets and their strings, not the zip (it records
                // when it was written).
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut parts = String::new();
                for part in [
                    "xl/workbook.xml",
                    "xl/worksheets/sheet1.xml",
                    "xl/worksheets/sheet2.xml",
                    "xl/sharedStrings.xml",
                ] {
                    use std::io::Read;
                    parts.push_str(&format!("<!-- {part} -->\n"));
                    zip.by_name(part)
                        .unwrap()
                        .read_to_string(&mut parts)
                        .unwrap();
                    parts.push('\n');
                }
                let golden = golden_dir().join("article.xlsx.xml");
                if bless {
                    std::fs::write(&golden, &parts).unwrap();
                }
                assert_eq!(
                    std::fs::read_to_string(&golden).unwrap_or_default(),
                    parts,
                    "{} differs (GLOSS_BLESS=1 rewrites it)",
                    golden.display()
                );
                continue;
            }
            if bless {
                std::fs::write(&golden, &bytes).unwrap();
            }
            let expected = std::fs::read(&golden)
                .unwrap_or_else(|_| panic!("missing {}; run with GLOSS_BLESS=1", golden.display()));
            assert!(
                expected == bytes,
                "{} differs from its golden file",
                golden.display()
            );
        }
    }
}

#[test]
fn only_a_yes_value_blesses_golden_files() {
    use std::ffi::OsStr;
    for yes in ["1", "true", "yes"] {
        assert!(common::bless_value(Some(OsStr::new(yes))), "{yes}");
    }
    for no in ["0", "", "false", "no"] {
        assert!(!common::bless_value(Some(OsStr::new(no))), "{no:?}");
    }
    assert!(!common::bless_value(None));
}

/// Validates `instance` against the W3C test suite's schema `assertion`
/// (with everything it refers to); returns the error messages.
fn w3c_errors(root: &Path, assertion: &Path, instance: &serde_json::Value) -> Vec<String> {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let mut schema = read(assertion);
    // The suite's files name each other relatively ("id.json#/…"); give them
    // all one base so references resolve without a network.
    let base = "https://w3c.test/annotation-model/";
    let file = assertion
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    schema["id"] = format!("{base}{file}").into();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .with_retriever(Definitions(root.join("definitions")))
        .build(&schema)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| {
            format!(
                "{file}: at {}: {}",
                e.instance_path(),
                e.to_string().chars().take(300).collect::<String>()
            )
        })
        .collect()
}

/// Serves `https://w3c.test/annotation-model/NAME` from the suite's definitions folder.
struct Definitions(PathBuf);

impl jsonschema::Retrieve for Definitions {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .path()
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let mut def: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.0.join(&name))?)?;
        if let Some(o) = def.as_object_mut() {
            o.remove("id");
        }
        Ok(def)
    }
}

fn musts(root: &Path, list: &str) -> Vec<PathBuf> {
    let test: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join(list)).unwrap()).unwrap();
    test["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .map(|a| root.join(a))
        .collect()
}

#[test]
fn w3c_export_passes_the_must_level_schemas() {
    let Some(conf) = conformance() else { return };
    let root = conf.join("w3c-annotation-schemas");
    let s = sample();
    let collection: serde_json::Value =
        serde_json::from_slice(&gloss::formats::w3c::export(&s.source()).unwrap()).unwrap();
    let mut errors = Vec::new();
    let annotation_musts = musts(&root, "annotations/annotationMusts.test");
    assert!(annotation_musts.len() > 40, "read the MUST list");
    for item in collection["first"]["items"].as_array().unwrap() {
        for a in &annotation_musts {
            errors.extend(w3c_errors(&root, a, item));
        }
    }
    for a in musts(&root, "collections/collectionMusts.test") {
        errors.extend(w3c_errors(&root, &a, &collection));
    }
    for a in musts(&root, "collections/pages/pageMusts.test") {
        errors.extend(w3c_errors(&root, &a, &collection["first"]));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_w3c_checker_rejects_a_broken_annotation() {
    // Guards the test above: the validator must be able to fail.
    let Some(conf) = conformance() else { return };
    let root = conf.join("w3c-annotation-schemas");
    let bad =
        serde_json::json!({"@context": "http://example.org/wrong", "type": "Note", "target": 5});
    let errors: Vec<String> = musts(&root, "annotations/annotationMusts.test")
        .iter()
        .flat_map(|a| w3c_errors(&root, a, &bad))
        .collect();
    assert!(errors.len() >= 3, "{errors:?}");
}

fn xmllint(schema: &Path, xml: &str) -> Option<Result<(), String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(&file)
        .output();
    match out {
        Err(_) => {
            common::skip(
                "xmllint is not installed (Debian: libxml2-utils); REFI-QDA schema checks did not run",
            );
            None
        }
        Ok(o) if o.status.success() => Some(Ok(())),
        Ok(o) => Some(Err(String::from_utf8_lossy(&o.stderr).into_owned())),
    }
}

#[test]
fn refi_qda_exports_validate_against_the_official_schemas() {
    let Some(conf) = conformance() else { return };
    let s = sample();
    let (project, _) = formats::qdpx::project_xml(&s.source());
    let Some(result) = xmllint(&conf.join("refi-qda/Project.xsd"), &project) else {
        return;
    };
    result.unwrap();
    // A project: memos on documents and on the project (as descriptions
    // and notes), a document with no annotations.
    let empty = gloss::model::Document::new("empty.txt", "Nothing coded.".into());
    let book = gloss::model::Codebook::default();
    let sources = [
        s.source(),
        gloss::formats::Source {
            doc: &empty,
            codebook: &book,
            annotations: Vec::new(),
            uri: "file:///empty.txt".into(),
            memo: "A memo & <a> note.",
        },
    ];
    let (many, _) = formats::qdpx::project_xml_many("p", &sources, "Project memo.");
    assert!(many.contains("<Description>Project memo.</Description>"));
    xmllint(&conf.join("refi-qda/Project.xsd"), &many)
        .unwrap()
        .unwrap();
    let qdc = formats::qdpx::codebook(&s.codebook);
    xmllint(&conf.join("refi-qda/Codebook.xsd"), &qdc)
        .unwrap()
        .unwrap();
    // And the checker can fail: a selection without its required position.
    let broken = project.replacen("startPosition=", "beginning=", 1);
    assert!(
        xmllint(&conf.join("refi-qda/Project.xsd"), &broken)
            .unwrap()
            .is_err()
    );
}
