//! Term frequencies: documents in, the most frequent terms of each group and, for chosen
//! terms, a series per interval normalized per million tokens of that interval out.

use serde::Serialize;

use crate::fasthash::FastSet;
use crate::index::stored::StoredDocument;
use crate::stats::counter::{Counter, GroupBucket, ItemBucket};
use crate::stats::counts::{TermCounts, TermExtractor};
use crate::stats::measures::per_million;
use crate::stats::scan::Accumulator;
use crate::stats::timeline::Buckets;

/// One frequent term of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermFrequency {
    /// The term as shown (a readable word, see [`crate::analysis::display`]).
    pub term: String,
    /// The counted index term.
    pub index_term: String,
    /// Most frequent surface forms.
    pub forms: Vec<String>,
    /// Occurrences.
    pub freq: u64,
    /// Documents containing it.
    pub documents: u64,
    /// Occurrences per million tokens of the group.
    pub per_million: f64,
}

/// The most frequent terms of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTerms {
    /// Group label.
    pub label: String,
    /// Documents.
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
    /// Terms by frequency (ties by term).
    pub terms: Vec<TermFrequency>,
}

/// The most frequent terms per group, from finished counts.
pub fn top_terms(counts: &TermCounts, top: usize) -> Vec<GroupTerms> {
    counts
        .groups
        .iter()
        .map(|(label, group)| {
            let mut terms: Vec<(&String, u64, u64)> = group
                .terms
                .iter()
                .map(|(t, c)| (t, c.freq, c.docs))
                .collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            GroupTerms {
                label: label.clone(),
                documents: group.documents,
                tokens: group.tokens,
                terms: terms
                    .into_iter()
                    .take(top)
                    .map(|(term, freq, docs)| TermFrequency {
                        term: counts.display_form(term),
                        index_term: term.clone(),
                        forms: counts.top_forms(term, 3),
                        freq,
                        documents: docs,
                        per_million: per_million(freq as f64, group.tokens as f64),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Counts chosen terms per group and time bucket.
pub struct TermSeriesCounter<'a> {
    extractor: &'a TermExtractor,
    wanted: &'a FastSet<String>,
    buckets: Buckets,
    /// Occurrences of each wanted term per group and bucket.
    freq: Counter<ItemBucket>,
    /// Tokens per group and bucket.
    tokens: Counter<GroupBucket>,
}

impl<'a> TermSeriesCounter<'a> {
    /// An empty counter for the analyzed terms in `wanted`.
    pub fn new(
        extractor: &'a TermExtractor,
        wanted: &'a FastSet<String>,
        buckets: Buckets,
    ) -> Self {
        TermSeriesCounter {
            extractor,
            wanted,
            buckets,
            freq: Counter::default(),
            tokens: Counter::default(),
        }
    }
}

impl Accumulator for TermSeriesCounter<'_> {
    type Output = Vec<TermPoint>;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let Some(bucket) = self.buckets.of(doc) else {
            return;
        };
        let mut terms = self.extractor.terms(&doc.title);
        terms.extend(self.extractor.terms(&doc.text));
        let key = GroupBucket {
            group: group.to_string(),
            bucket,
        };
        for (term, _) in &terms {
            if self.wanted.contains(term) {
                self.freq.add(
                    ItemBucket {
                        item: term.clone(),
                        group: key.group.clone(),
                        bucket: key.bucket.clone(),
                    },
                    1,
                );
            }
        }
        self.tokens.add(key, terms.len() as u64);
    }

    fn merge(&mut self, other: Self) {
        self.freq.merge(other.freq);
        self.tokens.merge(other.tokens);
    }

    /// Every (term, group, bucket with output), zeros included.
    fn finish(self) -> Vec<TermPoint> {
        let mut wanted: Vec<&String> = self.wanted.iter().collect();
        wanted.sort();
        let mut out = Vec::new();
        for term in wanted {
            for (key, tokens) in self.tokens.iter() {
                let freq = self.freq.get(&ItemBucket {
                    item: term.clone(),
                    group: key.group.clone(),
                    bucket: key.bucket.clone(),
                });
                out.push(TermPoint {
                    term: term.clone(),
                    group: key.group.clone(),
                    bucket: key.bucket.clone(),
                    freq,
                    tokens,
                    per_million: per_million(freq as f64, tokens as f64),
                });
            }
        }
        out
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `FramePoint` (stats/frames.rs), `FrameGap` (report/data.rs) and 1 more: different facts, no
// shared type.
/// One point of a term series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermPoint {
    /// Counted term.
    pub term: String,
    /// Group label.
    pub group: String,
    /// Bucket label.
    pub bucket: String,
    /// Occurrences.
    pub freq: u64,
    /// Tokens of the group in the bucket.
    pub tokens: u64,
    /// Occurrences per million tokens of the group in the bucket.
    pub per_million: f64,
}

/// Top terms per group and series of chosen terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermStats {
    /// Most frequent terms per group.
    pub groups: Vec<GroupTerms>,
    /// Series of the chosen terms (empty when none were chosen).
    pub series: Vec<TermPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;

    #[test]
    fn top_terms_by_frequency_with_ties_by_term() {
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        let mut counts = TermCounts::default();
        counts.add_document("state", 0, extractor.terms("б а б в в"));
        let groups = top_terms(&counts, 2);
        let terms: Vec<(&str, u64)> = groups[0]
            .terms
            .iter()
            .map(|t| (t.term.as_str(), t.freq))
            .collect();
        assert_eq!(terms, [("б", 2), ("в", 2)]);
        assert!((groups[0].terms[0].per_million - 2.0 / 5.0 * 1e6).abs() < 1e-6);
    }
}
