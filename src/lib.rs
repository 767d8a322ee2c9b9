//! Gloss: a desktop annotation tool for researchers.
//!
//! See `docs/ARCHITECTURE.md` for how the modules fit together.

pub mod anchor;
pub mod cli;
pub mod decode;
pub mod extract;
pub mod formats;
pub mod merge;
pub mod model;
pub mod project;
pub mod sample;
pub mod search;
pub mod session;
pub mod sidecar;
pub mod storage;
pub mod team;
pub mod words;

#[cfg(feature = "gui")]
pub mod ui;
