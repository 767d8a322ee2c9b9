//! A vector in shared chunks: copying it copies one pointer per thousand
//! items, and a change copies only the chunk it touches. The annotation
//! set keeps its annotations in one, so a background save takes a
//! snapshot of 100,000 annotations in microseconds, and an edit made while
//! that save runs still costs microseconds.

use std::sync::Arc;

/// Items per chunk: chunks split at twice this and are dropped when empty.
const CHUNK: usize = 512;

#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Arc<Vec<T>>>,
    /// Index of each chunk's first item.
    starts: Vec<usize>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            starts: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    pub fn from_vec(items: Vec<T>) -> Self {
        let len = items.len();
        let mut chunks = Vec::with_capacity(len / CHUNK + 1);
        let mut it = items.into_iter().peekable();
        while it.peek().is_some() {
            chunks.push(Arc::new(it.by_ref().take(CHUNK).collect::<Vec<T>>()));
        }
        let mut s = Self {
            chunks,
            starts: Vec::new(),
            len,
        };
        s.restart(0);
        s
    }

    /// Recomputes chunk starts from chunk `k` on.
    fn restart(&mut self, k: usize) {
        self.starts.truncate(k);
        let mut at = match k {
            0 => 0,
            _ => self.starts[k - 1] + self.chunks[k - 1].len(),
        };
        for c in &self.chunks[k..] {
            self.starts.push(at);
            at += c.len();
        }
        self.len = at;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk holding item `i`, and `i`'s place in it.
    fn locate(&self, i: usize) -> (usize, usize) {
        let k = self.starts.partition_point(|s| *s <= i).saturating_sub(1);
        (k, i - self.starts.get(k).copied().unwrap_or(0))
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let (k, j) = self.locate(i);
        self.chunks[k].get(j)
    }

    /// Replaces item `i`; returns the old one.
    pub fn set(&mut self, i: usize, item: T) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let (k, j) = self.locate(i);
        Some(std::mem::replace(
            &mut Arc::make_mut(&mut self.chunks[k])[j],
            item,
        ))
    }

    /// Inserts at `i` (at most `len`).
    pub fn insert(&mut self, i: usize, item: T) {
        if self.chunks.is_empty() {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        let (k, j) = if i >= self.len {
            let k = self.chunks.len() - 1;
            (k, self.chunks[k].len())
        } else {
            self.locate(i)
        };
        let chunk = Arc::make_mut(&mut self.chunks[k]);
        chunk.insert(j, item);
        if chunk.len() >= 2 * CHUNK {
            let tail = chunk.split_off(CHUNK);
            self.chunks.insert(k + 1, Arc::new(tail));
        }
        self.restart(k);
    }

    pub fn remove(&mut self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let (k, j) = self.locate(i);
        let chunk = Arc::make_mut(&mut self.chunks[k]);
        let item = chunk.remove(j);
        if chunk.is_empty() {
            self.chunks.remove(k);
        }
        self.restart(k);
        Some(item)
    }

    /// The first index whose item fails `pred`, for items ordered so that
    /// `pred` holds for a prefix (as `slice::partition_point`).
    pub fn partition_point(&self, pred: impl Fn(&T) -> bool) -> usize {
        let k = self.chunks.partition_point(|c| c.last().is_some_and(&pred));
        match self.chunks.get(k) {
            Some(c) => self.starts[k] + c.partition_point(&pred),
            None => self.len,
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Items `from..` in order.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = &T> + Clone {
        let (k, j) = self.locate(from.min(self.len));
        self.chunks
            .get(k..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .flat_map(move |(n, c)| c[if n == 0 { j.min(c.len()) } else { 0 }..].iter())
    }

    /// Items `..to` from last to first.
    pub fn iter_before(&self, to: usize) -> impl Iterator<Item = &T> + Clone {
        let to = to.min(self.len);
        let (k, j) = if to == self.len {
            (self.chunks.len(), 0)
        } else {
            self.locate(to)
        };
        let head: &[T] = self.chunks.get(k).map_or(&[], |c| &c[..j]);
        head.iter()
            .rev()
            .chain(self.chunks[..k].iter().rev().flat_map(|c| c.iter().rev()))
    }

    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        let mut keep = keep;
        let items: Vec<T> = self.iter().filter(|x| keep(x)).cloned().collect();
        *self = Self::from_vec(items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_vec_through_inserts_removals_and_shared_copies() {
        let mut plain: Vec<u32> = (0..3000).map(|i| i * 2).collect();
        let mut c = Chunked::from_vec(plain.clone());
        let copy = c.clone();
        for step in 0..4000u32 {
            let i = (step as usize * 7919) % (plain.len() + 1);
            if step % 3 == 0 && !plain.is_empty() {
                let i = i.min(plain.len() - 1);
                assert_eq!(c.remove(i), Some(plain.remove(i)));
            } else {
                plain.insert(i, step);
                c.insert(i, step);
            }
            if step % 5 == 0 && !plain.is_empty() {
                let i = i.min(plain.len() - 1);
                assert_eq!(c.set(i, 7), Some(std::mem::replace(&mut plain[i], 7)));
            }
        }
        assert_eq!(c.len(), plain.len());
        assert!(c.iter().eq(plain.iter()));
        for i in [0, 1, 511, 512, 1023, 1024, plain.len() - 1] {
            assert_eq!(c.get(i), plain.get(i));
            assert!(c.iter_from(i).eq(plain[i..].iter()));
            assert!(c.iter_before(i).eq(plain[..i].iter().rev()));
        }
        assert_eq!(c.get(plain.len()), None);
        // The copy taken before every change is untouched.
        assert!(copy.iter().copied().eq((0..3000).map(|i| i * 2)));
        let sorted = Chunked::from_vec((0..5000).collect::<Vec<u32>>());
        for x in [0, 1, 777, 2048, 4999, 5000, 9000] {
            assert_eq!(sorted.partition_point(|v| *v < x), x.min(5000) as usize);
        }
        c.retain(|v| v % 2 == 0);
        plain.retain(|v| v % 2 == 0);
        assert!(c.iter().eq(plain.iter()));
    }
}
