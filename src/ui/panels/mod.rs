//! Panels: parts of the window that are always there or slide in beside
//! the text (side panel, tag bar, Documents, notices, the find bars). Each
//! takes what it draws and returns commands; none knows the app.

pub(crate) mod corpus;
pub(crate) mod documents;
pub mod find;
pub(crate) mod notices;
pub mod side_panel;
pub(crate) mod tag_bar;
