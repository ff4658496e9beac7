//! Counting one part's windows exactly: every occurrence of the part's n-grams is in it.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use tantivy::DocId;

use super::rows::IdRows;
use super::windows::PartedWindows;
use super::{join, CountedWindows, Detail, Key, Words, HOLE};
use crate::fasthash::{fold_multiply, FastMap};
use crate::stats::counter::Counter;
use crate::stats::counts::{RowCount, TermCount};

/// No entry (the end of a list of [`GroupDetail`]s).
const NONE: u32 = u32::MAX;

/// The counts of one n-gram in one group, by ids: one of a list per n-gram, linked in the
/// order the groups were first seen.
struct GroupDetail {
    /// The next group's entry of the same n-gram, or [`NONE`].
    next: u32,
    group: u32,
    freq: u64,
    docs: u64,
    /// The last document counted (segment, document), so each counts once.
    last: (usize, DocId),
    /// (outlet number, occurrences): an n-gram has few outlets, so a list beats a map.
    by_outlet: Vec<(u32, u64)>,
    /// (exact forms, occurrences).
    forms: Vec<(Key, u64)>,
}

/// The working memory of [`CountedWindows::tally_part`], kept from part to part: a part's
/// maps and lists are large, and allocating them afresh for each of the parts had the
/// system zero new pages for most of the counting time.
#[derive(Default)]
pub(super) struct Scratch {
    /// The number of each n-gram of the part, by its ids ...
    ids: FastMap<Key, u32>,
    /// ... or by its ids packed in one number (see [`pack`]), when they fit.
    packed: HashMap<u64, u32, BuildHasherDefault<PackedHasher>>,
    keys: Vec<Key>,
    totals: Vec<u64>,
    slots: Vec<u32>,
    kept: Vec<bool>,
    /// Per n-gram, its first [`GroupDetail`] in `details` (or [`NONE`]): one list for all,
    /// so that no n-gram allocates its own.
    first: Vec<u32>,
    details: Vec<GroupDetail>,
}

impl CountedWindows {
    /// One part's n-grams tallied into `scratch` by [`CountedWindows::tally_part`], as
    /// (group, n-gram, count) with the details it was tallied with.
    pub(super) fn counts_of_part(&self, scratch: &mut Scratch) -> Vec<(u32, String, TermCount)> {
        let vocabulary = &self.vocabulary;
        let mut out = Vec::new();
        let mut term = (usize::MAX, String::new());
        scratch.each_detail(|id, key, detail| {
            if term.0 != id {
                term = (id, join(key, &vocabulary.terms));
            }
            let by_outlet = std::mem::take(&mut detail.by_outlet);
            let count = TermCount {
                freq: detail.freq,
                docs: detail.docs,
                by_outlet: by_outlet.into_iter().collect::<Counter<u32>>(),
                forms: detail
                    .forms
                    .iter()
                    .map(|(form, k)| (join(form, &vocabulary.forms), *k))
                    .collect(),
            };
            out.push((detail.group, term.1.clone(), count));
        });
        out
    }

    /// Fills `scratch` with one part's n-grams over every segment's `windows`: their keys and
    /// totals first, then the counts per group, with `what`, of those that `keep` (given the
    /// n-gram's counted-form ids and its total) holds. Read them out with
    /// [`CountedWindows::counts_of_part`] or [`Scratch::rows`].
    pub(super) fn tally_part(
        &self,
        scratch: &mut Scratch,
        windows: &[Vec<PartedWindows>],
        part: usize,
        keep: &(dyn Fn(&Key, u64) -> bool + Sync),
        what: Detail,
    ) {
        let segments = &self.segments;
        // A window is its words, then its document.
        let key_of = |words: &Words, window: &[u32]| -> Key {
            let mut key = [HOLE; 3];
            for (k, &w) in window[..window.len() - 1].iter().enumerate() {
                if w != HOLE {
                    key[k] = words.terms[w as usize];
                }
            }
            key
        };
        let runs = || segments.iter().zip(windows).enumerate();
        let count: usize = windows
            .iter()
            .flatten()
            .map(|run| run.part(part).len())
            .sum();
        let Scratch {
            ids,
            packed,
            keys,
            totals,
            slots,
            kept,
            first,
            details,
        } = scratch;
        keys.clear();
        totals.clear();
        slots.clear();
        let windows_keys = || {
            runs().flat_map(move |(_, (segment, runs))| {
                runs.iter()
                    .flat_map(move |run| run.part(part).map(move |w| key_of(&segment.words, w)))
            })
        };
        let numbered = Numbered {
            keys,
            totals,
            slots,
        };
        if self.packs() {
            numbered.number(packed, count, windows_keys(), pack);
        } else {
            numbered.number(ids, count, windows_keys(), |key| key);
        }
        kept.clear();
        kept.extend(
            keys.iter()
                .zip(totals.iter())
                .map(|(key, &total)| keep(key, total)),
        );
        // Per kept n-gram, its groups' details.
        details.clear();
        first.clear();
        first.resize(keys.len(), NONE);
        let mut slot = slots.iter();
        for (s, (segment, runs)) in runs() {
            for run in runs {
                for window in run.part(part) {
                    let id = *slot.next().expect("one slot per window") as usize;
                    if !kept[id] {
                        continue;
                    }
                    let (&doc, words) = window.split_last().expect("a window's document");
                    let local_group = segment.groups.doc_group[doc as usize];
                    let group = segment.group[local_group as usize];
                    let at = entry_of(&mut first[id], details, group);
                    let detail = &mut details[at];
                    detail.freq += 1;
                    if detail.last != (s, doc) {
                        detail.last = (s, doc);
                        detail.docs += 1;
                    }
                    if what.outlets {
                        add_one(&mut detail.by_outlet, segment.groups.outlet(doc));
                    }
                    if what.forms {
                        let mut form = [HOLE; 3];
                        for (k, &w) in words.iter().enumerate() {
                            if w != HOLE {
                                form[k] = segment.words.forms[w as usize];
                            }
                        }
                        add_one(&mut detail.forms, form);
                    }
                }
            }
        }
    }
}

/// What numbering a part's windows fills: each distinct n-gram's key and total, and each
/// window's n-gram number.
struct Numbered<'a> {
    keys: &'a mut Vec<Key>,
    totals: &'a mut Vec<u64>,
    slots: &'a mut Vec<u32>,
}

impl Numbered<'_> {
    /// Numbers the n-grams of `count` windows with these `windows` (their counted-form ids)
    /// in the order first seen, looked up in `ids` by `as_key`.
    fn number<K: Hash + Eq, S: BuildHasher>(
        self,
        ids: &mut HashMap<K, u32, S>,
        count: usize,
        windows: impl Iterator<Item = Key>,
        as_key: impl Fn(Key) -> K,
    ) {
        ids.clear();
        // Sized for half the windows being distinct n-grams: growing the map rehashed it
        // several times per part, and sized for every window being one it spread over twice
        // the cache it needs.
        ids.reserve(count / 2);
        self.slots.reserve(count);
        // `for_each` walks the nested runs without a `next` through each level per window.
        windows.for_each(|key| {
            let id = *ids.entry(as_key(key)).or_insert_with(|| {
                self.keys.push(key);
                self.totals.push(0);
                self.keys.len() as u32 - 1
            });
            self.totals[id as usize] += 1;
            self.slots.push(id);
        });
    }
}

/// An n-gram's counted-form ids in one number: two of 32 bits, or three of 21 (see
/// [`CountedWindows::packs`]).
#[inline]
fn pack(key: Key) -> u64 {
    if key[2] == HOLE {
        u64::from(key[0]) << 32 | u64::from(key[1])
    } else {
        u64::from(key[0]) << 42 | u64::from(key[1]) << 21 | u64::from(key[2])
    }
}

/// A hasher for packed n-grams: one multiply whose halves are folded, so that every bit of
/// the key moves the bits a table indexes by (a bare multiply left the low bits to the
/// last word alone).
#[derive(Default)]
pub(super) struct PackedHasher(u64);

impl Hasher for PackedHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.0 = fold_multiply(self.0 ^ value, 0x9e37_79b9_7f4a_7c15);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl CountedWindows {
    /// Whether the counted-form ids of every n-gram fit in one number (see [`pack`]).
    fn packs(&self) -> bool {
        self.n == 2 || self.vocabulary.terms.strings.len() <= 1 << 21
    }
}

impl Scratch {
    /// Calls `each(n-gram number, key, detail)` with every group's details of every kept
    /// n-gram of the part tallied, one n-gram after the other.
    fn each_detail(&mut self, mut each: impl FnMut(usize, &Key, &mut GroupDetail)) {
        for (id, &head) in self.first.iter().enumerate() {
            let mut at = head;
            while at != NONE {
                let detail = &mut self.details[at as usize];
                at = detail.next;
                each(id, &self.keys[id], detail);
            }
        }
    }

    /// The part tallied, only the frequencies and documents of its n-grams per group, by
    /// ids: what keyness ranks by (tallied with [`Detail::NONE`]).
    pub(super) fn rows(&mut self) -> IdRows {
        let mut rows = IdRows::default();
        self.each_detail(|_, key, detail| {
            let count = RowCount {
                group: detail.group,
                docs: detail.docs as u32,
                freq: detail.freq,
            };
            rows.add(*key, count);
        });
        rows
    }
}

/// The index in `details` of the entry of `group` in the list that begins at `head`, appended
/// (empty) at the list's end when the group has none yet.
fn entry_of(head: &mut u32, details: &mut Vec<GroupDetail>, group: u32) -> usize {
    let new = details.len() as u32;
    let mut tail = None;
    let mut at = *head;
    while at != NONE {
        let detail = &details[at as usize];
        if detail.group == group {
            return at as usize;
        }
        tail = Some(at as usize);
        at = detail.next;
    }
    match tail {
        Some(tail) => details[tail].next = new,
        None => *head = new,
    }
    details.push(GroupDetail {
        next: NONE,
        group,
        freq: 0,
        docs: 0,
        last: (usize::MAX, 0),
        by_outlet: Vec::new(),
        forms: Vec::new(),
    });
    new as usize
}

/// Adds one occurrence of `key` to a short list of counts.
fn add_one<K: PartialEq>(list: &mut Vec<(K, u64)>, key: K) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => list.push((key, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ngrams_keep_their_words_and_order_apart() {
        assert_eq!(pack([1, 2, HOLE]), 1 << 32 | 2);
        assert_ne!(pack([1, 2, HOLE]), pack([2, 1, HOLE]));
        let top = (1 << 21) - 1;
        assert_eq!(pack([top, 0, 1]), (top as u64) << 42 | 1);
        assert_ne!(pack([1, 2, 3]), pack([3, 2, 1]));
        assert_ne!(pack([0, top, 0]), pack([0, 0, top]));
    }

    #[test]
    fn packed_hashes_spread_ngrams_that_share_their_last_word() {
        let buckets: std::collections::HashSet<u64> = (0..1000u32)
            .map(|first| {
                let mut hasher = PackedHasher::default();
                hasher.write_u64(pack([first, 5, HOLE]));
                hasher.finish() & 0xfff
            })
            .collect();
        // 1,000 keys into 4,096 buckets: about 890 distinct when spread at random.
        assert!(buckets.len() > 800, "{}", buckets.len());
    }
}
