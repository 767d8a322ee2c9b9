//! Coding as a team: merging what two people coded (git's merge driver and
//! its setup), measuring how alike they code (agreement), and finding and
//! curating where they differ (compare).
//!
//! Sits beside `project`: it reads the model, sidecars and project files,
//! and the views and the CLI call it.

pub mod git;
pub mod merge;

pub use merge::{MergeError, MergeReport, merge_files, merge_sidecars};
pub mod agreement;
pub mod agreement_io;
pub mod compare;
