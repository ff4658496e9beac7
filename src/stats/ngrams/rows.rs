//! N-gram counts by ids for keyness to rank: each n-gram's counted-form ids with its
//! frequency and documents per group, in flat arrays. Strings are made only for the n-grams a
//! comparison lists (at a million documents millions of n-grams are ranked; as strings, each
//! with a map entry per group, they took more memory than counting them).

use std::cmp::Ordering;

use super::{join, CountedWindows, Key, HOLE};
use crate::stats::counts::{RowCount, TermRows};

/// N-grams with their counts per group, numbered in the order they were added.
#[derive(Default)]
pub(super) struct IdRows {
    /// Each n-gram's counted-form ids.
    keys: Vec<Key>,
    /// Where each n-gram's counts end in `counts` (they begin where the previous one's end).
    ends: Vec<usize>,
    /// Every n-gram's counts, one per group that has it.
    counts: Vec<RowCount>,
}

impl IdRows {
    /// Adds one group's `count` of the n-gram `key`: a new n-gram unless it is the last one
    /// added.
    pub(super) fn add(&mut self, key: Key, count: RowCount) {
        if self.keys.last() != Some(&key) {
            self.keys.push(key);
            self.ends.push(self.counts.len());
        }
        self.counts.push(count);
        *self.ends.last_mut().expect("pushed above") = self.counts.len();
    }

    /// Makes room for every n-gram of `parts` at once (appended one by one, the lists grew
    /// and were copied again several times).
    pub(super) fn reserve(&mut self, parts: &[IdRows]) {
        let keys: usize = parts.iter().map(|part| part.keys.len()).sum();
        let counts: usize = parts.iter().map(|part| part.counts.len()).sum();
        self.keys.reserve(keys);
        self.ends.reserve(keys);
        self.counts.reserve(counts);
    }

    /// Adds every n-gram of `other` after these.
    pub(super) fn append(&mut self, other: IdRows) {
        let base = self.counts.len();
        self.keys.extend(other.keys);
        self.ends
            .extend(other.ends.into_iter().map(|end| base + end));
        self.counts.extend(other.counts);
    }

    /// Frees the room reserved beyond what is held.
    pub(super) fn shrink_to_fit(&mut self) {
        self.keys.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.counts.shrink_to_fit();
    }

    /// The number of n-grams.
    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }

    /// N-gram `row`'s counts.
    fn counts(&self, row: usize) -> &[RowCount] {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.counts[start..self.ends[row]]
    }
}

impl CountedWindows {
    /// The bytes of the n-gram with counted-form ids `key`, its words joined by spaces.
    fn key_bytes<'a>(&'a self, key: &'a Key) -> impl Iterator<Item = u8> + 'a {
        let strings = &self.vocabulary.terms.strings;
        key.iter()
            .take_while(|&&id| id != HOLE)
            .enumerate()
            .flat_map(move |(k, &id)| {
                let space: &[u8] = if k == 0 { b"" } else { b" " };
                space.iter().chain(strings[id as usize].as_bytes()).copied()
            })
    }

    /// The rows counted for ranking (set only when they were).
    fn id_rows(&self) -> &IdRows {
        self.rows
            .as_ref()
            .expect("rows are asked for only when counted")
    }
}

impl TermRows for CountedWindows {
    fn len(&self) -> usize {
        self.rows.as_ref().map_or(0, IdRows::len)
    }

    fn group_number(&self, label: &str) -> Option<u32> {
        self.vocabulary.groups.get(label)
    }

    fn counts(&self, term: usize) -> &[RowCount] {
        self.id_rows().counts(term)
    }

    fn cmp_terms(&self, a: usize, b: usize) -> Ordering {
        let keys = &self.id_rows().keys;
        // Byte order of the joined strings is their order as `String`s.
        self.key_bytes(&keys[a]).cmp(self.key_bytes(&keys[b]))
    }

    fn term(&self, term: usize) -> String {
        join(&self.id_rows().keys[term], &self.vocabulary.terms)
    }
}
