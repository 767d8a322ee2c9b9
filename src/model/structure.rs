//! What some lines of a document are, where the extractor that made its
//! text knows: headings, block quotes, PDF pages and their running heads,
//! EPUB chapters. The view draws these; offsets, annotations and exports
//! never depend on them (the text alone is the truth).

use std::sync::Arc;

/// What a line of extracted text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading, level 1 (largest) to 6.
    Heading(u8),
    /// A block quote.
    Quote,
    /// The form feed between two PDF pages.
    PageBreak,
    /// A running header or footer of a PDF page.
    Running,
    /// A chapter's title in an EPUB.
    Chapter,
    /// The break between two EPUB chapters (a form feed).
    ChapterBreak,
}

/// Blocks by the char offset where their line starts, in text order.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    marks: Arc<[(usize, Block)]>,
    /// Offsets of the page breaks, when the document has pages (a PDF).
    breaks: Option<Arc<[usize]>>,
}

impl Structure {
    /// `marks` in any order; `paged`: the document is made of pages, each
    /// after a [`Block::PageBreak`].
    pub fn new(mut marks: Vec<(usize, Block)>, paged: bool) -> Self {
        marks.sort_by_key(|(at, _)| *at);
        let breaks = paged.then(|| {
            marks
                .iter()
                .filter(|(_, b)| *b == Block::PageBreak)
                .map(|(at, _)| *at)
                .collect()
        });
        Self {
            marks: marks.into(),
            breaks,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.breaks.is_none()
    }

    /// The block of the line starting at char `line_start`.
    pub fn block_at(&self, line_start: usize) -> Option<Block> {
        self.marks
            .binary_search_by_key(&line_start, |(at, _)| *at)
            .ok()
            .map(|i| self.marks[i].1)
    }

    /// The page (from 1) holding char `offset`, for paged documents.
    pub fn page_of(&self, offset: usize) -> Option<usize> {
        let breaks = self.breaks.as_ref()?;
        Some(1 + breaks.partition_point(|b| *b < offset))
    }

    /// How many pages, for paged documents.
    pub fn pages(&self) -> Option<usize> {
        self.breaks.as_ref().map(|b| b.len() + 1)
    }

    pub fn marks(&self) -> &[(usize, Block)] {
        &self.marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_from_the_breaks_and_blocks_found_by_line_start() {
        let s = Structure::new(
            vec![
                (10, Block::PageBreak),
                (0, Block::Running),
                (20, Block::PageBreak),
            ],
            true,
        );
        assert_eq!(s.block_at(0), Some(Block::Running));
        assert_eq!(s.block_at(10), Some(Block::PageBreak));
        assert_eq!(s.block_at(5), None);
        assert_eq!(
            [0, 9, 10, 11, 20, 21].map(|o| s.page_of(o)),
            [1, 1, 1, 2, 2, 3].map(Some)
        );
        assert_eq!(s.pages(), Some(3));
        let plain = Structure::new(vec![(0, Block::Heading(1))], false);
        assert_eq!(plain.page_of(5), None);
        assert_eq!(plain.pages(), None);
        assert!(Structure::default().is_empty());
    }
}
