//! Coding as a team: merging what two people coded (git's merge driver and
//! its setup), measuring how alike they code (agreement), and finding and
//! curating where they differ (compare).
//!
//! Sits beside `project`: it reads the model, sidecars and project files,
//! and the views and the CLI call it.

pub mod git;
pub mod merge;

pub use crate::merge::{MergeReport, merge_sidecars};
pub use merge::{MergeError, merge_files};
pub mod agreement;
pub mod agreement_io;
pub mod compare;
