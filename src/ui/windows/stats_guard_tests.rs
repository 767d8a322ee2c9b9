//! A chart is saved under the export guard's rules, as File → Export is.

use super::*;
use crate::formats::ExportGuard;

/// Saves the chart's numbers to `path` and waits for the writer thread.
fn save(w: &mut StatsWindow, path: &Path, replace: bool) {
    let ctx = egui::Context::default();
    let guard = ExportGuard::new(replace, Vec::new());
    w.save(
        Kind::Csv,
        path.to_path_buf(),
        guard,
        &Codebook::default(),
        &ctx,
    );
    for _ in 0..500 {
        w.poll();
        if w.saving.is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the save did not finish");
}

#[test]
fn a_chart_never_replaces_an_annotation_file_and_asks_before_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = StatsWindow {
        stats: Some(Stats::default()),
        ..Default::default()
    };
    let doc = dir.path().join("a.txt");
    std::fs::write(&doc, "text").unwrap();
    let sidecar = crate::sidecar::sidecar_path(&doc);
    let project = dir.path().join(crate::sidecar::PROJECT_FILE_NAME);
    for kept in [&sidecar, &project, &doc] {
        std::fs::write(kept, "kept").unwrap();
        // Not even when the user said "Replace".
        save(&mut w, kept, true);
        let m = w.message.clone().unwrap_or_default();
        assert!(m.contains("will not write"), "{}: {m}", kept.display());
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "kept");
    }
    std::fs::write(&doc, "text").unwrap();
    let chart = dir.path().join("chart.csv");
    std::fs::write(&chart, "old").unwrap();
    save(&mut w, &chart, false);
    assert_eq!(
        w.replace,
        Some((Kind::Csv, chart.clone())),
        "{:?}",
        w.message
    );
    assert_eq!(std::fs::read_to_string(&chart).unwrap(), "old");
    save(&mut w, &chart, true);
    assert!(w.replace.is_none());
    assert_ne!(std::fs::read_to_string(&chart).unwrap(), "old");
}
