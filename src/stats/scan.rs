//! The parallel pass over a subset of the index: a query and filters in, each matching
//! document's grouping values and text handed to a mergeable accumulator, the merged
//! accumulator out.

use rayon::prelude::*;
use serde::Serialize;
use tantivy::Index;

use crate::index::stored::{self, StoredDocument};
use crate::search::{self, Filters, SearchError};

/// A document field documents can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum GroupBy {
    /// Group label from the registry (`state`, `independent`, ...).
    #[default]
    Category,
    /// Outlet key.
    Outlet,
    /// Detected language.
    Lang,
    /// Medium.
    Medium,
}

impl GroupBy {
    /// Parses `category`, `outlet`, `lang` or `medium`.
    pub fn parse(name: &str) -> Option<GroupBy> {
        match name {
            "category" => Some(GroupBy::Category),
            "outlet" => Some(GroupBy::Outlet),
            "lang" | "language" => Some(GroupBy::Lang),
            "medium" => Some(GroupBy::Medium),
            _ => None,
        }
    }

    /// The field name.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Category => "category",
            GroupBy::Outlet => "outlet",
            GroupBy::Lang => "lang",
            GroupBy::Medium => "medium",
        }
    }

    /// This document's group.
    pub fn value(self, doc: &StoredDocument) -> &str {
        match self {
            GroupBy::Category => &doc.category,
            GroupBy::Outlet => &doc.outlet,
            GroupBy::Lang => &doc.lang,
            GroupBy::Medium => &doc.medium,
        }
    }
}

/// Which documents a statistic covers: a query (empty or `*` for all) and filters.
#[derive(Debug, Clone, Default)]
pub struct Subset {
    /// Query text, as for search.
    pub query: String,
    /// Filters, as for search.
    pub filters: Filters,
}

/// A statistic computed document by document and merged across threads.
pub trait Accumulator: Send + Sized {
    /// Adds one document (its group under the chosen grouping is `group`).
    fn add(&mut self, doc: &StoredDocument, group: &str);
    /// Merges another partial result into this one; must be associative and order-free.
    fn merge(&mut self, other: Self);
}

/// Runs `make()` accumulators over the documents of `subset` in parallel and merges them.
/// Returns the merged accumulator and the number of documents seen.
pub fn scan<A: Accumulator>(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    make: impl Fn() -> A + Sync + Send,
) -> Result<(A, u64), SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut matches = search::matching_documents(index, &searcher, &subset.query, &subset.filters)?;
    let total = matches.len() as u64;
    // Accumulators do not care about order; reading in storage order lets each decompressed
    // block of the document store serve all the documents it holds.
    matches.sort_by_key(|m| (m.address.segment_ord, m.address.doc_id));
    // A few large contiguous parts, one accumulator each: merging big maps is costly, so
    // merges are kept to a handful (two parts per thread keeps both cores busy to the end).
    let parts = rayon::current_num_threads().max(1) * 2;
    let part_len = matches.len().div_ceil(parts).max(1);
    let merged = matches
        .par_chunks(part_len)
        .map(|part| -> Result<A, SearchError> {
            let mut acc = make();
            for m in part {
                let mut doc = stored::load(&searcher, m.address)?;
                // Days are days of the zone asked for, the same in every statistic.
                doc.day = doc
                    .published
                    .and_then(|p| p.day_label(subset.filters.zone))
                    .unwrap_or_default();
                let group = by.value(&doc).to_string();
                acc.add(&doc, &group);
            }
            Ok(acc)
        })
        .try_reduce_with(|mut a, b| {
            a.merge(b);
            Ok(a)
        });
    let acc = match merged {
        Some(result) => result?,
        None => make(),
    };
    Ok((acc, total))
}
