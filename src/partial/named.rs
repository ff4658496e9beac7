//! Term counts whose outlets are known by name: an index numbers its outlets in sorted order,
//! so counts of different indexes are renumbered over the union of their outlets before
//! they are added.

use std::collections::BTreeSet;

use crate::stats::counter::Counter;
use crate::stats::counts::{GroupCounts, TermCount, TermCounts};

/// [`TermCounts`] with the outlet names its outlet numbers stand for (number `i` is
/// `outlets[i]`, and the names are sorted, as an index numbers them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedCounts {
    counts: TermCounts,
    outlets: Vec<String>,
}

impl NamedCounts {
    /// Counts whose outlet number `i` is `outlets[i]` (sorted, as [`crate::stats`] numbers
    /// an index's outlets).
    pub fn new(counts: TermCounts, outlets: &[String]) -> NamedCounts {
        NamedCounts {
            counts,
            outlets: outlets.to_vec(),
        }
    }

    /// The counts and the names of their outlet numbers.
    pub fn parts(&self) -> (&TermCounts, &[String]) {
        (&self.counts, &self.outlets)
    }

    /// Adds `other` in: both are renumbered over the union of their outlets (sorted), so
    /// the result is the same in any order of merging.
    pub fn merge(&mut self, other: NamedCounts) {
        if self.counts.groups.is_empty() && self.outlets.is_empty() {
            // Nothing merged yet: take the other as it is (no renumbering of its maps).
            *self = other;
            return;
        }
        if self.outlets == other.outlets {
            self.counts.merge(other.counts);
            return;
        }
        let union: Vec<String> = self
            .outlets
            .iter()
            .chain(&other.outlets)
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut mine = renumber(std::mem::take(&mut self.counts), &self.outlets, &union);
        mine.merge(renumber(other.counts, &other.outlets, &union));
        self.counts = mine;
        self.outlets = union;
    }

    /// The counts, numbered over the outlets merged so far (in sorted order, as one index
    /// holding them all numbers them).
    pub fn into_counts(self) -> TermCounts {
        self.counts
    }
}

/// `counts` numbered by `from` renumbered by `to` (every name of `from` is in `to`).
fn renumber(counts: TermCounts, from: &[String], to: &[String]) -> TermCounts {
    let map: Vec<u32> = from
        .iter()
        .map(|name| {
            to.binary_search(name)
                .expect("the union holds every outlet") as u32
        })
        .collect();
    let number = |n: &u32| map.get(*n as usize).copied().unwrap_or(u32::MAX);
    let remap = |counter: Counter<u32>| -> Counter<u32> {
        counter.iter().map(|(n, c)| (number(n), c)).collect()
    };
    TermCounts {
        groups: counts
            .groups
            .into_iter()
            .map(|(label, group)| {
                let group = GroupCounts {
                    documents: group.documents,
                    tokens: group.tokens,
                    outlet_tokens: remap(group.outlet_tokens),
                    outlet_documents: remap(group.outlet_documents),
                    terms: group
                        .terms
                        .into_iter()
                        .map(|(term, count)| {
                            let count = TermCount {
                                by_outlet: remap(count.by_outlet),
                                ..count
                            };
                            (term, count)
                        })
                        .collect(),
                };
                (label, group)
            })
            .collect(),
        ..TermCounts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(outlet: u32, term: &str) -> TermCounts {
        let mut counts = TermCounts::default();
        counts.add_document("g", outlet, vec![(term.into(), term.into())]);
        counts
    }

    #[test]
    fn merging_renumbers_over_the_union_in_any_order() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Shard a numbers "b" 0; shard b numbers "a" 0 and "c" 1.
        let a = NamedCounts::new(counts(0, "x"), &names(&["b"]));
        let b = NamedCounts::new(counts(1, "y"), &names(&["a", "c"]));
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, ba);
        let merged = ab.into_counts();
        let group = &merged.groups["g"];
        // Over the union a=0, b=1, c=2: "x" came from b, "y" from c.
        assert_eq!(
            group.terms["x"].by_outlet.iter().collect::<Vec<_>>(),
            [(&1, 1)]
        );
        assert_eq!(
            group.terms["y"].by_outlet.iter().collect::<Vec<_>>(),
            [(&2, 1)]
        );
        assert_eq!(
            group.outlet_documents.iter().collect::<Vec<_>>(),
            [(&1, 1), (&2, 1)]
        );
        assert_eq!((group.documents, group.tokens), (2, 2));
    }
}
