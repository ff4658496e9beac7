//! Copies from partials: every selected document's MinHash signature (what the index stored
//! at ingest) with what a cluster shows of the document, so that the merge finds the
//! near-duplicate copies across shards that one index of all the documents finds — the
//! records of every shard go through [`crate::stats::copies`] together. Rows of `items`
//! `copies`, with the columns only they fill (`category`, `published`, `signature`):
//!
//! | kind              | group | outlet | term | form  | category | published   | signature          | count     |
//! |-------------------|-------|--------|------|-------|----------|-------------|--------------------|-----------|
//! | `document`        | group | outlet | id   | title | category | unix seconds, null when undated | 128 × u32, little-endian | 0 |
//! | `group_documents` | group |        |      |       |          |             |                    | documents |
//!
//! The signatures are most of such a partial: 512 bytes a document, which no codec shrinks
//! (they are hashes).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::DateTime;

use super::dated::{fold, lacks};
use super::{Header, PartialError, Sourced};
use crate::index::Index;
use crate::stats::copies::{self, signature, Copies, Fields, Record, Records};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::StatsError;

/// The `items` of copy rows.
pub(super) const ITEMS: &str = "copies";

// Repeated shape: `duplicates` pairs it with `Document` (model.rs), and by shape alone with
// `TimeChart` (report/svg/time.rs) and `IngestOptions` (pipeline.rs). It holds the few facts of a `Document` that copy detection needs (a
// signature instead of the text, the date as seconds) in a partial's columns: a subset, not a
// copy of the type.
/// One document as a partial carries it for copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyDocument {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Category.
    pub category: String,
    /// Group under the partial's grouping.
    pub group: String,
    /// Publication instant in unix seconds, if known.
    pub published: Option<i64>,
    /// Title (shown for a cluster it comes first in).
    pub title: String,
    /// MinHash signature ([`signature::SLOTS`] values).
    pub signature: Vec<u32>,
}

/// A shard's documents with their signatures, and its documents per group (with or without
/// words: the share of a group's documents that are copies counts them all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyRows {
    /// The documents that have words, in order of id.
    pub documents: Vec<CopyDocument>,
    /// Documents per group.
    pub group_documents: BTreeMap<String, u64>,
}

impl CopyRows {
    /// The copy rows of `subset` (already of a shard) in `index`, from the signatures the
    /// index stores (titles read from the stored documents).
    pub(super) fn of_index(
        index: &Index,
        subset: &Subset,
        by: GroupBy,
    ) -> Result<CopyRows, StatsError> {
        let (records, group_documents) = copies::collect(index, subset, by)?;
        let documents = (0..records.len())
            .map(|i| {
                let r = records.get(i);
                Ok(CopyDocument {
                    id: r.id.to_string(),
                    outlet: r.outlet.to_string(),
                    category: r.category.to_string(),
                    group: r.group.to_string(),
                    published: r.published.map(|t| t.timestamp()),
                    title: records.title(i)?,
                    signature: records.signature(i)?,
                })
            })
            .collect::<Result<Vec<_>, crate::search::SearchError>>()?;
        Ok(CopyRows {
            documents,
            group_documents,
        })
    }

    /// Adds one row read back.
    pub(super) fn add_group(&mut self, group: &str, documents: u64) {
        *self.group_documents.entry(group.to_string()).or_default() += documents;
    }
}

/// Every shard's copy rows, added up.
#[derive(Default)]
struct AllRecords {
    records: Records,
    group_documents: BTreeMap<String, u64>,
}

/// The copies among the documents of partials made alike (each made with `--copies`): the
/// clusters and summary one index of all their documents gives.
pub fn merge_copies(
    partials: Vec<Sourced>,
    expected: &Header,
    min_similarity: f64,
    talking_points: usize,
) -> Result<Copies, PartialError> {
    let all = fold(
        partials,
        expected,
        false,
        |all: &mut AllRecords, partial, origin| {
            let rows: Arc<CopyRows> = partial
                .copies
                .ok_or_else(|| lacks(origin, "document signatures (for copies)", "--copies"))?;
            all.records.reserve(rows.documents.len());
            for d in &rows.documents {
                let fields = Fields {
                    record: Record {
                        id: &d.id,
                        outlet: &d.outlet,
                        category: &d.category,
                        group: &d.group,
                        published: d.published.and_then(|s| DateTime::from_timestamp(s, 0)),
                    },
                    title: &d.title,
                    text: "",
                };
                if !all.records.add_signed(&fields, &d.signature) {
                    return Err(PartialError::File {
                        path: origin.to_path_buf(),
                        reason: format!("document {}: not a signature", d.id),
                    });
                }
            }
            for (group, n) in &rows.group_documents {
                *all.group_documents.entry(group.clone()).or_default() += n;
            }
            Ok(())
        },
    )?;
    let records = all.records.finish();
    copies::copies(
        &records,
        &all.group_documents,
        min_similarity,
        talking_points,
    )
    .map_err(|e| PartialError::Stats(StatsError::from(e)))
}

/// A signature as the bytes of a partial's `signature` column.
pub(super) fn signature_bytes(signature: &[u32]) -> Vec<u8> {
    signature.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// A `signature` cell read back, or `None` when it is not [`signature::BYTES`] long.
pub(super) fn signature_of(bytes: &[u8]) -> Option<Vec<u32>> {
    (bytes.len() == signature::BYTES).then(|| {
        bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    })
}
