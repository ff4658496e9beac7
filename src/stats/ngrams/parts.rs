//! Counting one part's windows exactly: every occurrence of the part's n-grams is in it.

use tantivy::DocId;

use super::windows::PartedWindows;
use super::{join, CountedWindows, Detail, Key, Window, Word, HOLE};
use crate::stats::counter::Counter;
use crate::stats::counts::TermCount;

/// The counts of one n-gram in one group, by ids.
struct GroupDetail {
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

impl CountedWindows {
    /// Counts one part's n-grams over every segment's `windows`: totals first, then the
    /// counts of those that `keep` (given the n-gram's counted-form ids and its total) holds,
    /// with `what`, as (group, n-gram, count).
    pub(super) fn count_part(
        &self,
        windows: &[Vec<PartedWindows>],
        part: usize,
        keep: &(dyn Fn(&Key, u64) -> bool + Sync),
        what: Detail,
    ) -> Vec<(u32, String, TermCount)> {
        let (segments, vocabulary) = (&self.segments, &self.vocabulary);
        let key_of = |words: &[Word], window: &Window| -> Key {
            let mut key = [HOLE; 3];
            for (k, &w) in window[..3].iter().enumerate() {
                if w != HOLE {
                    key[k] = words[w as usize].term;
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
        // Sized for the worst case (every window a new n-gram): growing the map rehashed it
        // several times per part.
        let mut ids: crate::fasthash::FastMap<Key, u32> =
            crate::fasthash::FastMap::with_capacity_and_hasher(count, Default::default());
        let mut keys: Vec<Key> = Vec::with_capacity(count);
        let mut totals: Vec<u64> = Vec::with_capacity(count);
        let mut slots: Vec<u32> = Vec::with_capacity(count);
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
        let kept: Vec<bool> = keys
            .iter()
            .zip(&totals)
            .map(|(key, &total)| keep(key, total))
            .collect();
        // Per kept n-gram, its groups' details.
        let mut details: Vec<Vec<GroupDetail>> = (0..keys.len()).map(|_| Vec::new()).collect();
        let mut slot = slots.iter();
        for (s, (segment, runs)) in runs() {
            for run in runs {
                for window in run.part(part) {
                    let id = *slot.next().expect("one slot per window") as usize;
                    if !kept[id] {
                        continue;
                    }
                    let doc = window[3];
                    let local_group = segment.groups.doc_group[doc as usize];
                    let group = segment.group[local_group as usize];
                    let list = &mut details[id];
                    let detail = match list.iter().position(|d| d.group == group) {
                        Some(i) => &mut list[i],
                        None => {
                            list.push(GroupDetail {
                                group,
                                freq: 0,
                                docs: 0,
                                last: (usize::MAX, 0),
                                by_outlet: Vec::new(),
                                forms: Vec::new(),
                            });
                            list.last_mut().expect("just pushed")
                        }
                    };
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
                        for (k, &w) in window[..3].iter().enumerate() {
                            if w != HOLE {
                                form[k] = segment.words[w as usize].form;
                            }
                        }
                        add_one(&mut detail.forms, form);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (id, list) in details.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let term = join(&keys[id], &vocabulary.terms);
            for detail in list {
                let count = TermCount {
                    freq: detail.freq,
                    docs: detail.docs,
                    by_outlet: detail.by_outlet.into_iter().collect::<Counter<u32>>(),
                    forms: detail
                        .forms
                        .iter()
                        .map(|(form, k)| (join(form, &vocabulary.forms), *k))
                        .collect(),
                };
                out.push((detail.group, term.clone(), count));
            }
        }
        out
    }
}

/// Adds one occurrence of `key` to a short list of counts.
fn add_one<K: PartialEq>(list: &mut Vec<(K, u64)>, key: K) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => list.push((key, 1)),
    }
}
