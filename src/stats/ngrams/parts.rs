//! Counting one part's windows exactly: every occurrence of the part's n-grams is in it.

use tantivy::DocId;

use super::rows::IdRows;
use super::windows::PartedWindows;
use super::{join, CountedWindows, Detail, Key, Words, HOLE};
use crate::fasthash::FastMap;
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
    ids: FastMap<Key, u32>,
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
            keys,
            totals,
            slots,
            kept,
            first,
            details,
        } = scratch;
        ids.clear();
        keys.clear();
        totals.clear();
        slots.clear();
        // Sized for the worst case (every window a new n-gram): growing the map rehashed it
        // several times per part.
        ids.reserve(count);
        for (_, (segment, runs)) in runs() {
            for run in runs {
                for window in run.part(part) {
                    let key = key_of(&segment.words, window);
                    let id = *ids.entry(key).or_insert_with(|| {
                        keys.push(key);
                        totals.push(0);
                        keys.len() as u32 - 1
                    });
                    totals[id as usize] += 1;
                    slots.push(id);
                }
            }
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
