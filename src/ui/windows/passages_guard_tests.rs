//! The list of passages is exported under the export guard's rules, as
//! File → Export is.

use super::*;
use crate::formats::ExportGuard;

/// Exports the (empty) list to `path` and waits for the job.
fn export(w: &mut PassagesWindow, path: &Path, replace: bool) {
    let ctx = egui::Context::default();
    let guard = ExportGuard::new(replace, Vec::new());
    w.export(path.to_path_buf(), Output::Csv, guard, &ctx);
    for _ in 0..500 {
        w.poll();
        if w.exporting.is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the export did not finish");
}

#[test]
fn passages_never_replace_an_annotation_file_and_ask_before_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = PassagesWindow::default();
    let doc = dir.path().join("a.txt");
    let sidecar = crate::sidecar::sidecar_path(&doc);
    let backup = crate::storage::backup_path(&sidecar);
    let project = dir.path().join(crate::sidecar::PROJECT_FILE_NAME);
    for kept in [&sidecar, &backup, &project, &doc] {
        std::fs::write(kept, "kept").unwrap();
        export(&mut w, kept, true);
        let m = w.message.clone().unwrap_or_default();
        assert!(m.contains("will not write"), "{}: {m}", kept.display());
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "kept");
    }
    let list = dir.path().join("passages.csv");
    std::fs::write(&list, "old").unwrap();
    export(&mut w, &list, false);
    assert_eq!(
        w.replace,
        Some((Output::Csv, list.clone())),
        "{:?}",
        w.message
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "old");
    export(&mut w, &list, true);
    assert!(w.replace.is_none());
    assert_ne!(std::fs::read_to_string(&list).unwrap(), "old");
}
