//! The desktop window (feature `gui`): a thin view over [`crate::session`].

mod actions;
mod agreement;
mod app;
pub mod authors;
mod codebook;
pub mod command;
pub mod compare;
mod corpus;
mod document;
mod documents;
mod exchange;
pub mod find;
mod handover;
mod jobs;
mod keys;
mod menu;
mod notices;
mod passages;
mod password;
pub mod path_prompt;
pub mod prefs;
mod project;
mod project_search;
pub mod reader;
mod saving;
mod shortcuts;
pub mod side_panel;
pub mod stats;
mod tag_bar;
mod theme;
mod widgets;

pub use app::{AppOptions, GlossApp, Work};
pub use notices::{Level, Notice};

/// Opens the main window and runs until it is closed.
pub fn run(options: AppOptions) -> anyhow::Result<()> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Gloss")
            .with_app_id("gloss")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([480.0, 320.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "gloss",
        native,
        Box::new(|cc| Ok(Box::new(GlossApp::new(cc, options)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open a window: {e}"))
}
