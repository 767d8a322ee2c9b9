//! What some lines of a document are, where the extractor that made its
//! text knows: headings, block quotes, PDF pages and their running heads,
//! EPUB chapters. The view draws these; offsets, annotations and exports
//! never depend on them (the text alone is the truth).

use std::sync::Arc;

/// What a line of extracted text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Where each element of a web page starts, with its XPath.
    elements: Arc<[(usize, String)]>,
    /// Offsets of the chapter breaks, when the document has chapters (a book).
    chapter_breaks: Option<Arc<[usize]>>,
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
        let chaptered = marks.iter().any(|(_, b)| *b == Block::Chapter);
        let chapter_breaks = chaptered.then(|| {
            marks
                .iter()
                .filter(|(_, b)| *b == Block::ChapterBreak)
                .map(|(at, _)| *at)
                .collect()
        });
        Self {
            marks: marks.into(),
            breaks,
            elements: Arc::new([]),
            chapter_breaks,
        }
    }

    /// With the elements of a web page: (char offset where each starts,
    /// its XPath), in text order.
    pub fn with_elements(mut self, elements: Vec<(usize, String)>) -> Self {
        self.elements = elements.into();
        self
    }

    /// The XPath of the element `range` lies in, when it lies in one.
    pub fn element_of(&self, range: crate::model::CharRange) -> Option<&str> {
        let i = self
            .elements
            .partition_point(|(at, _)| *at <= range.start)
            .checked_sub(1)?;
        let next = self.elements.get(i + 1).map_or(usize::MAX, |(at, _)| *at);
        (range.end <= next).then(|| self.elements[i].1.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty() && self.breaks.is_none() && self.elements.is_empty()
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

    /// The chapter (from 1) holding char `offset`, and how many there are,
    /// for books.
    pub fn chapter_of(&self, offset: usize) -> Option<(usize, usize)> {
        let breaks = self.chapter_breaks.as_ref()?;
        Some((
            1 + breaks.partition_point(|b| *b < offset),
            breaks.len() + 1,
        ))
    }

    /// How many pages, for paged documents.
    pub fn pages(&self) -> Option<usize> {
        self.breaks.as_ref().map(|b| b.len() + 1)
    }

    pub fn marks(&self) -> &[(usize, Block)] {
        &self.marks
    }

    /// Where page `n` (from 1) begins: just after the break before it
    /// (whose line is drawn as the page's top rule).
    pub fn page_start(&self, n: usize) -> Option<usize> {
        start_after(self.breaks.as_deref()?, n)
    }

    /// Where chapter `n` (from 1) begins, for books.
    pub fn chapter_start(&self, n: usize) -> Option<usize> {
        start_after(self.chapter_breaks.as_deref()?, n)
    }

    /// The headings (and a book's chapter titles), in text order: (line
    /// start, level, 1 the largest; a chapter title counts as level 1).
    pub fn headings(&self) -> impl Iterator<Item = (usize, u8)> + '_ {
        self.marks.iter().filter_map(|(at, b)| match b {
            Block::Heading(level) => Some((*at, *level)),
            Block::Chapter => Some((*at, 1)),
            _ => None,
        })
    }

    /// The first heading that starts after `offset`.
    pub fn next_heading(&self, offset: usize) -> Option<usize> {
        let from = self.marks.partition_point(|(at, _)| *at <= offset);
        self.marks[from..]
            .iter()
            .find(|(_, b)| matches!(b, Block::Heading(_) | Block::Chapter))
            .map(|(at, _)| *at)
    }

    /// The last heading that starts before `offset`.
    pub fn previous_heading(&self, offset: usize) -> Option<usize> {
        let to = self.marks.partition_point(|(at, _)| *at < offset);
        self.marks[..to]
            .iter()
            .rev()
            .find(|(_, b)| matches!(b, Block::Heading(_) | Block::Chapter))
            .map(|(at, _)| *at)
    }
}

/// Where part `n` (from 1) of a text cut at `breaks` begins: just after
/// the break before it.
fn start_after(breaks: &[usize], n: usize) -> Option<usize> {
    match n {
        0 => None,
        1 => Some(0),
        n => breaks.get(n - 2).map(|b| b + 1),
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
        let book = Structure::new(
            vec![
                (0, Block::Chapter),
                (8, Block::ChapterBreak),
                (10, Block::Chapter),
            ],
            false,
        );
        assert_eq!(book.chapter_of(3), Some((1, 2)));
        assert_eq!(book.chapter_of(10), Some((2, 2)));
        assert_eq!(s.chapter_of(3), None);
    }

    #[test]
    fn pages_chapters_and_headings_are_found_by_number_and_by_position() {
        let pdf = Structure::new(
            vec![
                (10, Block::PageBreak),
                (12, Block::Heading(2)),
                (20, Block::PageBreak),
                (30, Block::Heading(1)),
            ],
            true,
        );
        assert_eq!(
            [0, 1, 2, 3, 4].map(|n| pdf.page_start(n)),
            [None, Some(0), Some(11), Some(21), None]
        );
        // Each page starts on the page it names.
        for n in 1..=3 {
            let at = pdf.page_start(n).unwrap_or(usize::MAX);
            assert_eq!(pdf.page_of(at), Some(n));
        }
        assert_eq!(pdf.chapter_start(1), None);
        assert_eq!(pdf.headings().collect::<Vec<_>>(), [(12, 2), (30, 1)]);
        assert_eq!(pdf.next_heading(0), Some(12));
        assert_eq!(pdf.next_heading(12), Some(30));
        assert_eq!(pdf.next_heading(30), None);
        assert_eq!(pdf.previous_heading(30), Some(12));
        assert_eq!(pdf.previous_heading(12), None);
        assert_eq!(pdf.previous_heading(31), Some(30));
        let book = Structure::new(
            vec![
                (0, Block::Chapter),
                (8, Block::ChapterBreak),
                (10, Block::Chapter),
            ],
            false,
        );
        assert_eq!(
            [1, 2, 3].map(|n| book.chapter_start(n)),
            [Some(0), Some(9), None]
        );
        assert_eq!(book.next_heading(0), Some(10));
        assert_eq!(book.headings().count(), 2);
    }

    #[test]
    fn a_range_lies_in_the_element_it_starts_in_only_if_it_ends_there_too() {
        use crate::model::CharRange;
        let s = Structure::new(Vec::new(), false).with_elements(vec![
            (0, "/html/body/h1[1]".into()),
            (10, "/html/body/p[1]".into()),
        ]);
        assert_eq!(s.element_of(CharRange::new(2, 5)), Some("/html/body/h1[1]"));
        assert_eq!(
            s.element_of(CharRange::new(2, 10)),
            Some("/html/body/h1[1]")
        );
        assert_eq!(s.element_of(CharRange::new(8, 12)), None);
        assert_eq!(
            s.element_of(CharRange::new(12, 400)),
            Some("/html/body/p[1]")
        );
        assert_eq!(Structure::default().element_of(CharRange::new(0, 1)), None);
    }
}
