//! The parallel pass over a subset of the index: a query and filters in, each matching
//! document's group and stored fields handed to a mergeable [`Accumulator`], its finished
//! output out.

use std::str::FromStr;

use rayon::prelude::*;
use serde::Serialize;

use crate::index::stored::{self, StoredDocument};
use crate::index::Index;
use crate::search::collect::MatchCollector;
use crate::search::{self, Facet, SearchError};
use crate::stats::progress;

/// Documents read between two progress reports.
const PROGRESS_EVERY: usize = 256;

/// A document field documents can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
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

/// A grouping field name that is not one of `category`, `outlet`, `lang`, `medium`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected one of category, outlet, lang, medium")]
pub struct UnknownField;

impl FromStr for GroupBy {
    type Err = UnknownField;

    /// Parses `category`, `outlet`, `lang` (or `language`) or `medium`.
    fn from_str(name: &str) -> Result<GroupBy, UnknownField> {
        match name {
            "category" => Ok(GroupBy::Category),
            "outlet" => Ok(GroupBy::Outlet),
            "lang" | "language" => Ok(GroupBy::Lang),
            "medium" => Ok(GroupBy::Medium),
            _ => Err(UnknownField),
        }
    }
}

impl GroupBy {
    /// The field name.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Category => "category",
            GroupBy::Outlet => "outlet",
            GroupBy::Lang => "lang",
            GroupBy::Medium => "medium",
        }
    }

    /// The search facet of the same field.
    pub fn facet(self) -> Facet {
        match self {
            GroupBy::Category => Facet::Category,
            GroupBy::Outlet => Facet::Outlet,
            GroupBy::Lang => Facet::Lang,
            GroupBy::Medium => Facet::Medium,
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

crate::display_as_name!(GroupBy);

/// Which documents a statistic covers (the same value selects a search's hits).
pub use crate::search::Subset;

/// A statistic computed document by document on several threads: each thread adds its
/// documents to its own accumulator, the partial accumulators are merged, and the merged one
/// is finished into the statistic's output.
///
/// Configuration (analyzers, matchers, bucket sizes) is borrowed, not copied into each
/// partial. Two accumulators run in one pass as a pair `(A, B)`.
pub trait Accumulator: Send {
    /// What the finished statistic is.
    type Output;
    /// Adds one document; `group` is its value of the chosen grouping field.
    fn add(&mut self, doc: &StoredDocument, group: &str);
    /// Merges another partial result into this one; must be associative and order-free.
    fn merge(&mut self, other: Self);
    /// The statistic of every document added.
    fn finish(self) -> Self::Output;
}

/// Two statistics from one pass over the documents.
impl<A: Accumulator, B: Accumulator> Accumulator for (A, B) {
    type Output = (A::Output, B::Output);

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        self.0.add(doc, group);
        self.1.add(doc, group);
    }

    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
        self.1.merge(other.1);
    }

    fn finish(self) -> Self::Output {
        (self.0.finish(), self.1.finish())
    }
}

/// A statistic that may be switched off (e.g. entities without an entity list).
impl<A: Accumulator> Accumulator for Option<A> {
    type Output = Option<A::Output>;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        if let Some(acc) = self {
            acc.add(doc, group);
        }
    }

    fn merge(&mut self, other: Self) {
        match (self.as_mut(), other) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (None, theirs) => *self = theirs,
            (Some(_), None) => {}
        }
    }

    fn finish(self) -> Self::Output {
        self.map(Accumulator::finish)
    }
}

/// An accumulator left unfinished: its output is the merged accumulator itself, for a
/// partial that carries the counts to be merged with other shards' before finishing.
pub struct Unfinished<A>(pub A);

impl<A: Accumulator> Accumulator for Unfinished<A> {
    type Output = A;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        self.0.add(doc, group);
    }

    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
    }

    fn finish(self) -> A {
        self.0
    }
}

/// Runs `make()` accumulators over the documents of `subset` in parallel, merges them and
/// returns the finished output.
pub fn scan<A: Accumulator>(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    make: impl Fn() -> A + Sync + Send,
) -> Result<A::Output, SearchError> {
    let query = search::query::build(index, &subset.query, &subset.filters)?;
    Ok(accumulate(index, &*query, subset, by, &make)?.finish())
}

/// [`scan`] over several indexes (shards of one corpus, holding no document twice) as over
/// one index of all their documents: each index's accumulator is merged as the parts of one
/// index are (accumulators merge order-free), then finished once.
pub fn scan_across<A: Accumulator>(
    indexes: &[Index],
    subset: &Subset,
    by: GroupBy,
    make: impl Fn() -> A + Sync + Send,
) -> Result<A::Output, SearchError> {
    // One query for all: a filter value held by any of the indexes selects in each.
    let query = search::query::build_across(indexes, &subset.query, &subset.filters)?;
    let mut total = make();
    for index in indexes {
        total.merge(accumulate(index, &*query, subset, by, &make)?);
    }
    Ok(total.finish())
}

/// The documents matching `query`, in the order the document store holds them: a pass that
/// reads them in this order decompresses each block of the store once for all its documents.
pub fn addresses_in_storage_order(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
) -> Result<Vec<tantivy::DocAddress>, SearchError> {
    let mut addresses: Vec<tantivy::DocAddress> = searcher
        .search(query, &MatchCollector { scoring: false })?
        .into_iter()
        .map(|m| m.address)
        .collect();
    addresses.sort_unstable_by_key(|a| (a.segment_ord, a.doc_id));
    Ok(addresses)
}

/// Calls `visit` on each document of one part of a pass, telling the progress observer (see
/// [`progress`]) as it goes.
pub fn visit_part<E>(
    part: &[tantivy::DocAddress],
    mut visit: impl FnMut(tantivy::DocAddress) -> Result<(), E>,
) -> Result<(), E> {
    for (i, &address) in part.iter().enumerate() {
        if i % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
            progress::advanced(PROGRESS_EVERY as u64);
        }
        visit(address)?;
    }
    progress::advanced((part.len() % PROGRESS_EVERY) as u64);
    Ok(())
}

/// The length of the parts a parallel pass over `n` documents splits them into: a few large
/// contiguous parts, one accumulator each (merging big maps is costly, so merges are kept to
/// a handful; two parts per thread keeps both cores busy to the end).
pub fn part_len(n: usize) -> usize {
    let parts = rayon::current_num_threads().max(1) * 2;
    n.div_ceil(parts).max(1)
}

/// The merged, unfinished accumulator of one index's documents matching `query` (of
/// `subset`).
fn accumulate<A: Accumulator>(
    index: &Index,
    query: &dyn tantivy::query::Query,
    subset: &Subset,
    by: GroupBy,
    make: &(impl Fn() -> A + Sync + Send),
) -> Result<A, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let addresses = addresses_in_storage_order(&searcher, query)?;
    progress::started(addresses.len() as u64);
    let merged = addresses
        .par_chunks(part_len(addresses.len()))
        .map(|part| -> Result<A, SearchError> {
            let mut acc = make();
            visit_part(part, |address| -> Result<(), SearchError> {
                let mut doc = stored::load(&searcher, address)?;
                // Days are days of the zone asked for, the same in every statistic.
                doc.day = doc
                    .published
                    .and_then(|p| p.day_label(subset.filters.zone))
                    .unwrap_or_default();
                let group = by.value(&doc).to_string();
                acc.add(&doc, &group);
                Ok(())
            })?;
            Ok(acc)
        })
        .try_reduce_with(|mut a, b| {
            a.merge(b);
            Ok(a)
        });
    Ok(match merged {
        Some(result) => result?,
        None => make(),
    })
}
