//! Copies and talking points: near-duplicate documents across the index, found by MinHash
//! over word shingles with locality-sensitive hashing and confirmed by the estimated Jaccard
//! similarity; stored documents in, clusters and a per-group summary out.
//!
//! Ingest already marks exact cross-outlet copies (`copy_of`); an exact copy is a cluster
//! member at similarity 1.0 here, and near duplicates (a lead phrase, a dropped or swapped
//! sentence, a new title, other letter case) join it.

pub mod lsh;
pub(crate) mod pages;
pub mod planted;
pub mod read;
pub mod records;
pub mod summary;

/// MinHash signatures (made at ingest, see [`crate::index::signature`]).
pub use crate::index::signature;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::search::SearchError;

pub use read::{collect, collect_candidates, collect_from_texts};
pub use records::{Fields, Record, Records};
pub use summary::{CopySummary, Flow, GroupCopies, TalkingPoint};

/// Default `--min-similarity`.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.8;

/// Earlier publication first; undated last; ties by id.
fn order_key<'a>(r: &Record<'a>) -> (bool, Option<DateTime<Utc>>, &'a str) {
    (r.published.is_none(), r.published, r.id)
}

/// A document as a cluster lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterDocument {
    /// Which document.
    #[serde(flatten)]
    pub document: DocumentRef,
    /// Estimated similarity to the cluster's first document (1 for the first).
    pub similarity: f64,
    /// Hours after the first document (`null` when either date is unknown).
    pub lag_hours: Option<f64>,
}

/// A document as a cluster names it (its first publisher, or any member).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRef {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Category.
    pub category: String,
    /// Publication instant (RFC 3339), `null` when unknown.
    pub published: Option<String>,
}

impl DocumentRef {
    /// The reference to a record.
    fn of(record: &Record) -> DocumentRef {
        DocumentRef {
            id: record.id.to_string(),
            outlet: record.outlet.to_string(),
            category: record.category.to_string(),
            published: rfc3339(record.published),
        }
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Header`
// (partial/mod.rs): different facts, no shared type.
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
    pub first: DocumentRef,
    /// Every document, the first first, then by publication.
    pub documents: Vec<ClusterDocument>,
    /// Title of the first document (in [`Copies`], of the talking points' clusters only:
    /// nothing else shows it).
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

/// Clusters of documents whose estimated similarity is at least `min_similarity` (a
/// cluster's title is read from the index for records made from one).
pub fn clusters(records: &Records, min_similarity: f64) -> Result<Vec<Cluster>, SearchError> {
    let mut clusters = untitled(records, min_similarity)?;
    for (cluster, first) in &mut clusters {
        cluster.title = records.title(*first as usize)?;
    }
    Ok(clusters.into_iter().map(|(c, _)| c).collect())
}

/// [`clusters`] with empty titles: for a caller that shows no text (collapsing copies), no
/// stored document is read.
pub fn untitled_clusters(
    records: &Records,
    min_similarity: f64,
) -> Result<Vec<Cluster>, SearchError> {
    Ok(untitled(records, min_similarity)?
        .into_iter()
        .map(|(c, _)| c)
        .collect())
}

/// [`clusters`] with empty titles, each with the record number of its first document.
fn untitled(records: &Records, min_similarity: f64) -> Result<Vec<(Cluster, u32)>, SearchError> {
    let (pairs, signatures) = lsh::similar_records(records, min_similarity)?;
    // Every record in a pair had its signature gathered.
    let slots = |number: u32| signatures.of(number).expect("a paired record's signature");
    let mut clusters = lsh::components(records.len(), &pairs)
        .into_iter()
        .map(|mut members| {
            members.sort_by(|&a, &b| {
                order_key(&records.get(a as usize)).cmp(&order_key(&records.get(b as usize)))
            });
            let first_number = members[0];
            let first = records.get(members[0] as usize);
            let first_slots = slots(members[0]);
            let members: Vec<(u32, Record)> = members
                .iter()
                .map(|&i| (i, records.get(i as usize)))
                .collect();
            let mut outlets: Vec<String> =
                members.iter().map(|(_, m)| m.outlet.to_string()).collect();
            outlets.sort();
            outlets.dedup();
            let cluster = Cluster {
                id: 0,
                size: members.len(),
                outlets,
                first: DocumentRef::of(&first),
                documents: members
                    .iter()
                    .map(|&(i, m)| ClusterDocument {
                        document: DocumentRef::of(&m),
                        similarity: signature::similarity(slots(i), first_slots),
                        lag_hours: match (m.published, first.published) {
                            (Some(t), Some(f)) => Some((t - f).num_seconds() as f64 / 3600.0),
                            _ => None,
                        },
                    })
                    .collect(),
                title: String::new(),
                groups: members.iter().map(|(_, m)| m.group.to_string()).collect(),
            };
            (cluster, first_number)
        })
        .collect::<Vec<(Cluster, u32)>>();
    clusters.sort_by(|(a, _), (b, _)| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.size.cmp(&a.size))
            .then_with(|| a.first.published.cmp(&b.first.published))
            .then_with(|| a.first.id.cmp(&b.first.id))
    });
    for (i, (cluster, _)) in clusters.iter_mut().enumerate() {
        cluster.id = i + 1;
    }
    Ok(clusters)
}

/// Clusters and summary of collected records (`group_documents`: every group's documents).
pub fn copies(
    records: &Records,
    group_documents: &std::collections::BTreeMap<String, u64>,
    min_similarity: f64,
    talking_points: usize,
) -> Result<Copies, SearchError> {
    let mut clusters = untitled(records, min_similarity)?;
    // Only the talking points show a title: at a million documents the others' titles
    // would be thousands of reads of stored documents, from every segment.
    for (cluster, first) in summary::talking_points_mut(&mut clusters, talking_points) {
        cluster.title = records.title(first as usize)?;
    }
    let clusters: Vec<Cluster> = clusters.into_iter().map(|(c, _)| c).collect();
    let summary = summary::summarize(&clusters, group_documents, min_similarity, talking_points);
    Ok(Copies { clusters, summary })
}

#[cfg(test)]
mod tests {
    use super::*;
    use planted::{generate, pairwise_precision_recall, PlantedDocument};

    fn records(docs: &[PlantedDocument]) -> Records {
        let mut scratch = Vec::new();
        let mut records = Records::default();
        for (i, d) in docs.iter().enumerate() {
            let id = format!("{i:06}");
            let fields = Fields {
                record: Record {
                    id: &id,
                    outlet: &d.outlet,
                    category: "state",
                    group: "state",
                    published: None,
                },
                title: &d.title,
                text: &d.text,
            };
            assert!(records.add(&fields, &mut scratch));
        }
        records.finish()
    }

    fn precision_recall(seed: u64) -> (f64, f64) {
        let docs = generate(seed, 400, 150);
        let found = clusters(&records(&docs), DEFAULT_MIN_SIMILARITY).unwrap();
        let as_indexes: Vec<Vec<usize>> = found
            .iter()
            .map(|c| {
                c.documents
                    .iter()
                    .map(|d| d.document.id.parse().unwrap())
                    .collect()
            })
            .collect();
        pairwise_precision_recall(&docs, &as_indexes)
    }

    fn assert_precision_and_recall(seed: u64) {
        let (precision, recall) = precision_recall(seed);
        eprintln!("planted seed {seed}: pairwise precision {precision:.4}, recall {recall:.4}");
        assert!(
            precision >= 0.95 && recall >= 0.95,
            "seed {seed}: P {precision} R {recall}"
        );
    }

    // Developed on seed 1; 20261206 is the held-out seed, checked once the method was fixed.
    #[test]
    fn planted_copies_are_found_with_high_pairwise_precision_and_recall() {
        for seed in [1, 20_261_206] {
            assert_precision_and_recall(seed);
        }
    }

    // Held out: seed 1_592_463_477 was chosen after the method and its parameters were fixed
    // (2026-12-06) and run once; it was never used while developing or tuning.
    #[test]
    fn a_planted_set_with_a_held_out_seed_keeps_precision_and_recall() {
        assert_precision_and_recall(1_592_463_477);
    }

    #[test]
    fn copies_title_the_talking_points_as_clusters_title_every_cluster() {
        let records = records(&generate(1, 400, 150));
        let all = clusters(&records, DEFAULT_MIN_SIMILARITY).unwrap();
        let groups = std::collections::BTreeMap::from([("state".to_string(), 400)]);
        let found = copies(&records, &groups, DEFAULT_MIN_SIMILARITY, 5).unwrap();
        let points = &found.summary.talking_points;
        assert!(
            !points.is_empty() && points.len() < all.len(),
            "{}",
            points.len()
        );
        for (cluster, every) in found.clusters.iter().zip(&all) {
            assert!(!every.title.is_empty());
            let shown = points.iter().find(|p| p.cluster == cluster.id);
            match shown {
                Some(point) => {
                    assert_eq!(point.title, every.title);
                    assert_eq!(cluster.title, every.title);
                }
                None => assert_eq!(cluster.title, ""),
            }
            let untitled = Cluster {
                title: String::new(),
                ..every.clone()
            };
            assert_eq!(
                Cluster {
                    title: String::new(),
                    ..cluster.clone()
                },
                untitled
            );
        }
        assert_eq!(found.clusters.len(), all.len());
    }

    #[test]
    fn a_shared_quoted_sentence_does_not_make_a_cluster() {
        let docs = generate(5, 0, 50);
        assert!(clusters(&records(&docs), DEFAULT_MIN_SIMILARITY)
            .unwrap()
            .is_empty());
    }
}
