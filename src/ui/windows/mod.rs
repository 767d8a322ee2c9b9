//! Windows and dialogs over the text (codebook, preferences, shortcuts,
//! Passages, Statistics, Agreement, Compare, password, your name). Each
//! takes what it draws and returns commands; none knows the app.

pub(crate) mod agreement;
pub mod authors;
pub(crate) mod codebook;
pub mod compare;
pub(crate) mod goto;
pub(crate) mod passages;
pub(crate) mod password;
pub mod prefs;
pub(crate) mod shortcuts;
pub mod stats;
