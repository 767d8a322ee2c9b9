//! The desktop window (feature `gui`): a thin view over [`crate::session`].

mod app;
pub mod command;
mod jobs;
mod panels;
pub mod reader;
mod theme;
mod widgets;
mod windows;

// Flat names, so any part of the window says `crate::ui::codebook`
// wherever the file lives.
pub use app::path_prompt;
use app::{document, exchange, handover, menu};
use panels::{corpus, documents, notices, tag_bar};
pub use panels::{find, side_panel};
use windows::{agreement, codebook, goto, passages, password, shortcuts};
pub use windows::{authors, compare, prefs, stats};

pub use app::{AppOptions, GlossApp, Work};
pub use notices::{Level, Notice};

/// The window's id, as desktops match it to `packaging/linux/APP_ID.desktop`
/// (Wayland's app id, X11's `WM_CLASS`), and the AppStream id.
pub const APP_ID: &str = "io.github.gloss.Gloss";

/// The window icon (the packages' 256 px icon).
fn icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!(
        "../../packaging/icons/hicolor/256x256/apps/io.github.gloss.Gloss.png"
    ))
    .ok()
}

/// Opens the main window and runs until it is closed.
pub fn run(options: AppOptions) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Gloss")
        .with_app_id(APP_ID)
        .with_inner_size([1200.0, 800.0])
        .with_min_inner_size([480.0, 320.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions {
        viewport,
        // eframe names its storage folder after the app id once one is
        // set; it stays where earlier versions kept it (`…/gloss/app.ron`),
        // so the window's stored state survives the id.
        // `GLOSS_DATA_DIR` keeps it too, so a data folder of its own is a
        // first run of its own.
        persistence_path: match std::env::var_os("GLOSS_DATA_DIR") {
            Some(dir) => Some(std::path::PathBuf::from(dir).join("app.ron")),
            None => eframe::storage_dir("gloss").map(|d| d.join("app.ron")),
        },
        ..Default::default()
    };
    eframe::run_native(
        "gloss",
        native,
        Box::new(|cc| Ok(Box::new(GlossApp::new(cc, options)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open a window: {e}"))
}
