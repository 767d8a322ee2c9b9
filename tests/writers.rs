//! Several programs writing one sidecar at once: every `gloss import`
//! that says it saved really did, and nothing another one wrote is lost.

use std::path::Path;
use std::process::Command;

const TEXT: &str = "“Six former officials” — said 😀 👩‍👩‍👧 e\u{301}té 中文 עברית.\r\nSecond line, and a third clause here.";

fn import(dir: &Path, i: usize) -> std::process::Child {
    let file = dir.join(format!("in{i}.jsonl"));
    let line = serde_json::json!({"text": TEXT, "label": [[i * 4, i * 4 + 3, format!("code{i}")]]});
    std::fs::write(&file, format!("{line}\n")).expect("write the import file");
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import"])
        .arg(dir.join("a.txt"))
        .args(["--from", "jsonl"])
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gloss runs")
}

#[test]
fn eight_imports_at_once_all_land() {
    for round in 0..3 {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), TEXT).expect("write the document");
        let children: Vec<_> = (0..8).map(|i| import(dir.path(), i)).collect();
        for child in children {
            let out = child.wait_with_output().expect("gloss finishes");
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{said}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                said.contains("1 annotation added") && said.contains("saved to"),
                "{said}"
            );
        }
        let sidecar = dir.path().join("a.txt.annotations.ron");
        let text = std::fs::read_to_string(&sidecar).expect("the sidecar is there");
        let sc = gloss::sidecar::Sidecar::from_ron(&text, &sidecar).expect("it parses");
        for i in 0..8 {
            let code = format!("code{i}");
            assert!(
                sc.annotations.iter().any(|a| a.tags.contains(&code)),
                "round {round}: import {i}'s annotation was lost:\n{text}"
            );
            assert!(sc.codebook.get(&code).is_some(), "and its code");
        }
        assert_eq!(sc.annotations.len(), 8, "round {round}");
    }
}

/// `gloss tag` in a project gives the project file the code it added, as
/// a save in the window does, merged with what the file had.
#[test]
fn a_code_the_cli_adds_joins_the_project_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), TEXT).expect("write");
    let mut project = gloss::project::file::ProjectFile::default();
    let mut claim = gloss::model::Tag::new("claim", "#E69F00", "");
    claim.description = "The project's own words.".into();
    project.codebook.tags.push(claim);
    project
        .save_to(&dir.path().join("gloss-project.ron"))
        .expect("write the project file");
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["tag", "a.txt", "--match", "former", "--tag", "attribution"])
        .current_dir(dir.path())
        .env("GLOSS_DATA_DIR", dir.path().join(".data"))
        .output()
        .expect("gloss runs");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(dir.path().join("gloss-project.ron")).expect("read");
    let project =
        gloss::project::file::ProjectFile::from_ron(&text, Path::new("p")).expect("parses");
    assert!(project.codebook.get("attribution").is_some(), "{text}");
    let claim = project.codebook.get("claim").expect("kept");
    assert_eq!(claim.description, "The project's own words.");
}
