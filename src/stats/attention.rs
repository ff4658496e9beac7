//! Attention: per group and interval, the documents matching a query against the group's
//! total output (Media Cloud's normalized attention): a query's subset and the same filters'
//! whole in, matches, totals and shares out.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::stats::measures::share;
use crate::stats::scan::Accumulator;
use crate::stats::timeline::{fill_range, Buckets, Interval};

/// Documents per group and bucket (documents off the timeline are counted apart).
pub struct BucketCounter {
    buckets: Buckets,
    counts: BTreeMap<String, BTreeMap<String, u64>>,
    undated: BTreeMap<String, u64>,
}

impl BucketCounter {
    /// An empty counter over `buckets`.
    pub fn new(buckets: Buckets) -> Self {
        BucketCounter {
            buckets,
            counts: BTreeMap::new(),
            undated: BTreeMap::new(),
        }
    }
}

impl BucketCounter {
    /// A counter holding finished `counts` (from another counter), to merge more into.
    pub fn from_counts(buckets: Buckets, (counts, undated): BucketCounts) -> Self {
        BucketCounter {
            buckets,
            counts,
            undated,
        }
    }
}

/// Documents per group per bucket, and per group off the timeline.
pub type BucketCounts = (
    BTreeMap<String, BTreeMap<String, u64>>,
    BTreeMap<String, u64>,
);

impl Accumulator for BucketCounter {
    type Output = BucketCounts;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        match self.buckets.of(doc) {
            Some(bucket) => {
                *self
                    .counts
                    .entry(group.to_string())
                    .or_default()
                    .entry(bucket)
                    .or_default() += 1;
            }
            None => *self.undated.entry(group.to_string()).or_default() += 1,
        }
    }

    fn merge(&mut self, other: Self) {
        for (group, buckets) in other.counts {
            let ours = self.counts.entry(group).or_default();
            for (bucket, n) in buckets {
                *ours.entry(bucket).or_default() += n;
            }
        }
        for (group, n) in other.undated {
            *self.undated.entry(group).or_default() += n;
        }
    }

    fn finish(self) -> BucketCounts {
        (self.counts, self.undated)
    }
}

/// One group in one interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttentionPoint {
    /// Group label.
    pub group: String,
    /// Bucket label.
    pub bucket: String,
    /// Documents matching the query.
    pub matches: u64,
    /// All the group's documents in the bucket (same filters, no query).
    pub documents: u64,
    /// matches / documents (0 when the group published nothing).
    pub share: f64,
}

/// One group over the whole range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttentionTotal {
    /// Group label.
    pub group: String,
    /// Documents matching the query (dated or not).
    pub matches: u64,
    /// All the group's documents.
    pub documents: u64,
    /// matches / documents.
    pub share: f64,
}

/// Attention to a query per group and interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    /// The query.
    pub query: String,
    /// Bucket size.
    pub interval: Interval,
    /// Per group, over the whole range (every group of the whole, even without matches).
    pub totals: Vec<AttentionTotal>,
    /// Per group and bucket, every bucket of the range (zeros included).
    pub series: Vec<AttentionPoint>,
}

/// Attention from the query's counts and the whole's counts.
pub fn attention(
    query: &str,
    interval: Interval,
    matching: BucketCounts,
    whole: BucketCounts,
) -> Attention {
    let labels: BTreeSet<String> = whole.0.values().flat_map(|b| b.keys().cloned()).collect();
    let filled = fill_range(&labels, interval);
    let groups: BTreeSet<&String> = whole.0.keys().chain(whole.1.keys()).collect();
    let mut totals = Vec::new();
    let mut series = Vec::new();
    for group in groups {
        let sum = |counts: &BucketCounts| {
            counts.0.get(group).map_or(0, |b| b.values().sum::<u64>())
                + counts.1.get(group).copied().unwrap_or(0)
        };
        let (matches, documents) = (sum(&matching), sum(&whole));
        totals.push(AttentionTotal {
            group: group.clone(),
            matches,
            documents,
            share: share(matches, documents),
        });
        for bucket in &filled {
            let get = |counts: &BucketCounts| {
                counts
                    .0
                    .get(group)
                    .and_then(|b| b.get(bucket))
                    .copied()
                    .unwrap_or(0)
            };
            let (matches, documents) = (get(&matching), get(&whole));
            series.push(AttentionPoint {
                group: group.clone(),
                bucket: bucket.clone(),
                matches,
                documents,
                share: share(matches, documents),
            });
        }
    }
    Attention {
        query: query.to_string(),
        interval,
        totals,
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(entries: &[(&str, &str, u64)], undated: &[(&str, u64)]) -> BucketCounts {
        let mut by_group: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for (g, b, n) in entries {
            by_group
                .entry(g.to_string())
                .or_default()
                .insert(b.to_string(), *n);
        }
        let undated = undated.iter().map(|(g, n)| (g.to_string(), *n)).collect();
        (by_group, undated)
    }

    #[test]
    fn shares_are_matches_over_the_groups_whole_output_with_zeros_kept() {
        let whole = counts(
            &[
                ("state", "2022-01-04", 10),
                ("state", "2022-01-06", 4),
                ("independent", "2022-01-04", 5),
            ],
            &[("independent", 1)],
        );
        let matching = counts(
            &[("state", "2022-01-06", 1), ("independent", "2022-01-04", 2)],
            &[],
        );
        let a = attention("протест", Interval::Day, matching, whole);
        let point = |g: &str, b: &str| {
            let p = a
                .series
                .iter()
                .find(|p| p.group == g && p.bucket == b)
                .unwrap();
            (p.matches, p.documents, p.share)
        };
        assert_eq!(point("state", "2022-01-04"), (0, 10, 0.0));
        // The day between is filled in for every group.
        assert_eq!(point("state", "2022-01-05"), (0, 0, 0.0));
        assert_eq!(point("state", "2022-01-06"), (1, 4, 0.25));
        assert_eq!(point("independent", "2022-01-04"), (2, 5, 0.4));
        assert_eq!(point("independent", "2022-01-06"), (0, 0, 0.0));
        assert_eq!(a.series.len(), 6);
        // Totals include the undated document: 2 of 6.
        let indie = a.totals.iter().find(|t| t.group == "independent").unwrap();
        assert_eq!((indie.matches, indie.documents), (2, 6));
        assert!((indie.share - 2.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn a_group_without_matches_is_kept() {
        let whole = counts(
            &[("state", "2022-01-04", 3), ("independent", "2022-01-04", 2)],
            &[],
        );
        let matching = counts(&[("state", "2022-01-04", 3)], &[]);
        let a = attention("x", Interval::Day, matching, whole);
        let groups: Vec<&str> = a.totals.iter().map(|t| t.group.as_str()).collect();
        assert_eq!(groups, ["independent", "state"]);
        assert_eq!(a.totals[0].matches, 0);
    }
}
