//! Copies and talking points: near-duplicate documents across the index, found by MinHash
//! over word shingles with locality-sensitive hashing and confirmed by the estimated Jaccard
//! similarity; stored documents in, clusters and a per-group summary out.
//!
//! Ingest already marks exact cross-outlet copies (`copy_of`); an exact copy is a cluster
//! member at similarity 1.0 here, and near duplicates (a lead phrase, a dropped or swapped
//! sentence, a new title, other letter case) join it.

pub mod lsh;
pub mod planted;
pub mod signature;
pub mod summary;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::stats::scan::Accumulator;
use signature::Signature;
pub use summary::{CopySummary, Flow, GroupCopies, TalkingPoint};

/// Default `--min-similarity`.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.8;

/// What is kept of a document while clusters are found.
#[derive(Debug, Clone)]
pub struct CopyRecord {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Category (group label from the registry).
    pub category: String,
    /// The document's group under the chosen grouping.
    pub group: String,
    /// Publication instant, if known.
    pub published: Option<DateTime<Utc>>,
    /// Title (shown for talking points).
    pub title: String,
    /// MinHash signature of title and text.
    pub signature: Signature,
}

impl CopyRecord {
    /// The record of a document (`None` for a document without words).
    pub fn of(doc: &StoredDocument, group: &str, scratch: &mut Vec<u64>) -> Option<CopyRecord> {
        Some(CopyRecord {
            signature: signature::signature(&doc.title, &doc.text, scratch)?,
            id: doc.id.clone(),
            outlet: doc.outlet.clone(),
            category: doc.category.clone(),
            group: group.to_string(),
            published: doc.published.map(|p| p.at),
            title: doc.title.clone(),
        })
    }

    /// Earlier publication first; undated last; ties by id.
    fn order_key(&self) -> (bool, Option<DateTime<Utc>>, &str) {
        (self.published.is_none(), self.published, &self.id)
    }
}

/// Signatures of every document of a subset, computed in parallel during the scan.
#[derive(Default)]
pub struct CopyCollector {
    records: Vec<CopyRecord>,
    /// Documents per group, with or without words.
    group_documents: std::collections::BTreeMap<String, u64>,
    scratch: Vec<u64>,
}

impl Accumulator for CopyCollector {
    type Output = (Vec<CopyRecord>, std::collections::BTreeMap<String, u64>);

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        *self.group_documents.entry(group.to_string()).or_default() += 1;
        if let Some(record) = CopyRecord::of(doc, group, &mut self.scratch) {
            self.records.push(record);
        }
    }

    fn merge(&mut self, other: Self) {
        self.records.extend(other.records);
        for (group, n) in other.group_documents {
            *self.group_documents.entry(group).or_default() += n;
        }
    }

    fn finish(mut self) -> Self::Output {
        // Merge order varies between runs: a fixed order makes the output deterministic.
        self.records
            .sort_by(|a, b| a.id.cmp(&b.id).then(a.outlet.cmp(&b.outlet)));
        (self.records, self.group_documents)
    }
}

/// A document as a cluster lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterDocument {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Category.
    pub category: String,
    /// Publication instant (RFC 3339), `null` when unknown.
    pub published: Option<String>,
    /// Estimated similarity to the cluster's first document (1 for the first).
    pub similarity: f64,
    /// Hours after the first document (`null` when either date is unknown).
    pub lag_hours: Option<f64>,
}

/// The first publisher of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstDocument {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Category.
    pub category: String,
    /// Publication instant (RFC 3339).
    pub published: Option<String>,
}

/// One group of near-duplicate documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// Number of the cluster (1 = most outlets; then larger; then earlier).
    pub id: usize,
    /// Documents in it.
    pub size: usize,
    /// Distinct outlets, sorted.
    pub outlets: Vec<String>,
    /// The earliest document (ties by id).
    pub first: FirstDocument,
    /// Every document, the first first, then by publication.
    pub documents: Vec<ClusterDocument>,
    /// Title of the first document.
    #[serde(skip)]
    pub title: String,
    /// Groups of the documents, in the order of `documents`.
    #[serde(skip)]
    pub groups: Vec<String>,
}

/// Clusters of near duplicates and their summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Copies {
    /// The clusters, most outlets first.
    pub clusters: Vec<Cluster>,
    /// Shares of copies per group, who copies whom, talking points.
    pub summary: CopySummary,
}

fn rfc3339(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Clusters of documents whose estimated similarity is at least `min_similarity`.
pub fn clusters(records: &[CopyRecord], min_similarity: f64) -> Vec<Cluster> {
    let signatures: Vec<Signature> = records.iter().map(|r| r.signature.clone()).collect();
    let pairs = lsh::similar_pairs(&signatures, min_similarity);
    let mut clusters: Vec<Cluster> = lsh::components(records.len(), &pairs)
        .into_iter()
        .map(|members| {
            let mut members: Vec<&CopyRecord> =
                members.iter().map(|&i| &records[i as usize]).collect();
            members.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            let first = members[0];
            let mut outlets: Vec<String> = members.iter().map(|m| m.outlet.clone()).collect();
            outlets.sort();
            outlets.dedup();
            Cluster {
                id: 0,
                size: members.len(),
                outlets,
                first: FirstDocument {
                    id: first.id.clone(),
                    outlet: first.outlet.clone(),
                    category: first.category.clone(),
                    published: rfc3339(first.published),
                },
                documents: members
                    .iter()
                    .map(|m| ClusterDocument {
                        id: m.id.clone(),
                        outlet: m.outlet.clone(),
                        category: m.category.clone(),
                        published: rfc3339(m.published),
                        similarity: m.signature.similarity(&first.signature),
                        lag_hours: match (m.published, first.published) {
                            (Some(t), Some(f)) => Some((t - f).num_seconds() as f64 / 3600.0),
                            _ => None,
                        },
                    })
                    .collect(),
                title: first.title.clone(),
                groups: members.iter().map(|m| m.group.clone()).collect(),
            }
        })
        .collect();
    clusters.sort_by(|a, b| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.size.cmp(&a.size))
            .then_with(|| a.first.published.cmp(&b.first.published))
            .then_with(|| a.first.id.cmp(&b.first.id))
    });
    for (i, cluster) in clusters.iter_mut().enumerate() {
        cluster.id = i + 1;
    }
    clusters
}

/// Clusters and summary of collected records (`group_documents`: every group's documents).
pub fn copies(
    records: &[CopyRecord],
    group_documents: &std::collections::BTreeMap<String, u64>,
    min_similarity: f64,
    talking_points: usize,
) -> Copies {
    let clusters = clusters(records, min_similarity);
    let summary = summary::summarize(&clusters, group_documents, min_similarity, talking_points);
    Copies { clusters, summary }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planted::{generate, pairwise_precision_recall, PlantedDocument};

    fn records(docs: &[PlantedDocument]) -> Vec<CopyRecord> {
        let mut scratch = Vec::new();
        docs.iter()
            .enumerate()
            .map(|(i, d)| CopyRecord {
                id: format!("{i:06}"),
                outlet: d.outlet.clone(),
                category: "state".into(),
                group: "state".into(),
                published: None,
                title: d.title.clone(),
                signature: signature::signature(&d.title, &d.text, &mut scratch).unwrap(),
            })
            .collect()
    }

    fn precision_recall(seed: u64) -> (f64, f64) {
        let docs = generate(seed, 400, 150);
        let found = clusters(&records(&docs), DEFAULT_MIN_SIMILARITY);
        let as_indexes: Vec<Vec<usize>> = found
            .iter()
            .map(|c| c.documents.iter().map(|d| d.id.parse().unwrap()).collect())
            .collect();
        pairwise_precision_recall(&docs, &as_indexes)
    }

    // Developed on seed 1; 20261206 is the held-out seed, checked once the method was fixed.
    #[test]
    fn planted_copies_are_found_with_high_pairwise_precision_and_recall() {
        for seed in [1, 20_261_206] {
            let (precision, recall) = precision_recall(seed);
            eprintln!("planted seed {seed}: pairwise precision {precision:.4}, recall {recall:.4}");
            assert!(
                precision >= 0.95 && recall >= 0.95,
                "seed {seed}: P {precision} R {recall}"
            );
        }
    }

    // Held out: seed 1_592_463_477 was chosen after the method and its parameters were fixed
    // (2026-12-06) and run once; it was never used while developing or tuning.
    #[test]
    fn a_planted_set_with_a_held_out_seed_keeps_precision_and_recall() {
        let (precision, recall) = precision_recall(1_592_463_477);
        eprintln!("held-out planted seed: pairwise precision {precision:.4}, recall {recall:.4}");
        assert!(
            precision >= 0.95 && recall >= 0.95,
            "P {precision} R {recall}"
        );
    }

    #[test]
    fn a_shared_quoted_sentence_does_not_make_a_cluster() {
        let docs = generate(5, 0, 50);
        assert!(clusters(&records(&docs), DEFAULT_MIN_SIMILARITY).is_empty());
    }
}
