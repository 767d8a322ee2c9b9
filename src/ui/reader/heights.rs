//! The heights of the reading view's pieces, in whole pixels, as a Fenwick
//! (binary indexed) tree: the top of a piece, the piece at a height, and a
//! change of one piece's height each cost O(log n). Measuring a piece as it
//! scrolls into view never walks the pieces below it — a 50 MB document
//! has a million of them. 4 bytes a piece.
//!
//! Sums wrap at 2^32 px; every prefix sum is exact while the document's
//! total height stays below that (about 300 million lines of text).

#[derive(Clone, Debug, Default)]
pub struct Heights {
    /// `tree[i - 1]` holds the sum of heights `(i - lowbit(i), i]`.
    tree: Vec<u32>,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Heights {
    /// Built in O(n).
    pub fn new(heights: impl IntoIterator<Item = u32>) -> Self {
        let mut tree: Vec<u32> = heights.into_iter().collect();
        let n = tree.len();
        for i in 1..=n {
            let j = i + lowbit(i);
            if j <= n {
                tree[j - 1] = tree[j - 1].wrapping_add(tree[i - 1]);
            }
        }
        tree.shrink_to_fit();
        Self { tree }
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// Sum of the heights of pieces `0..i`: the top of piece `i`.
    pub fn prefix(&self, i: usize) -> u32 {
        let mut i = i.min(self.tree.len());
        let mut sum = 0u32;
        while i > 0 {
            sum = sum.wrapping_add(self.tree[i - 1]);
            i -= lowbit(i);
        }
        sum
    }

    pub fn total(&self) -> u32 {
        self.prefix(self.tree.len())
    }

    pub fn get(&self, i: usize) -> u32 {
        self.prefix(i + 1).wrapping_sub(self.prefix(i))
    }

    /// Sets piece `i`'s height; returns how much everything below moved.
    pub fn set(&mut self, i: usize, height: u32) -> i64 {
        let delta = i64::from(height) - i64::from(self.get(i));
        let d = delta as u32; // two's complement: wrapping adds subtract
        let mut k = i + 1;
        while k <= self.tree.len() {
            self.tree[k - 1] = self.tree[k - 1].wrapping_add(d);
            k += lowbit(k);
        }
        delta
    }

    /// The piece whose span `[top, top + height)` holds `y`: the last
    /// piece whose top is at most `y` (the last piece below the end).
    pub fn index_at(&self, y: u32) -> usize {
        let n = self.tree.len();
        if n == 0 {
            return 0;
        }
        // Binary lifting: the largest `pos` with prefix(pos) <= y.
        let mut pos = 0;
        let mut rest = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next - 1] <= rest {
                pos = next;
                rest -= self.tree[next - 1];
            }
            step /= 2;
        }
        // prefix(pos) <= y < prefix(pos + 1): piece `pos`, skipping empty
        // pieces is not needed as every piece has a height.
        pos.min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_plain_prefix_sum_through_changes() {
        let mut plain: Vec<u32> = (0..1000).map(|i| 10 + (i * 7919) % 53).collect();
        let mut h = Heights::new(plain.iter().copied());
        for step in 0..300 {
            let i = (step * 104_729) % plain.len();
            let new = 5 + (step * 31) as u32 % 90;
            let moved = h.set(i, new);
            assert_eq!(moved, i64::from(new) - i64::from(plain[i]));
            plain[i] = new;
        }
        let mut top = 0u32;
        for (i, &p) in plain.iter().enumerate() {
            assert_eq!(h.prefix(i), top);
            assert_eq!(h.get(i), p);
            assert_eq!(h.index_at(top), i, "at its top");
            assert_eq!(h.index_at(top + p - 1), i, "at its bottom");
            top += p;
        }
        assert_eq!(h.total(), top);
        assert_eq!(h.index_at(top + 500), plain.len() - 1, "past the end");
        assert_eq!(Heights::new([]).index_at(3), 0);
    }
}
