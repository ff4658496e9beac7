//! Several indexes searched as one corpus (shards built from parts of the input): one query
//! built over all of them, scores from their summed term statistics, hits ranked by score
//! then id and matches ordered by publication time then id — orders that do not depend on
//! how documents are spread over indexes or segments, so any split of a corpus answers as
//! one index of all its documents.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Index, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::collect::{Match, MatchCollector};
use super::SearchError;
use crate::index::schema;

/// A document of one of the shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Which index (position in the list given).
    pub shard: usize,
    /// Where in that index.
    pub address: DocAddress,
}

/// Open readers of several indexes of one schema, searched as one corpus; also the term
/// statistics provider that sums theirs.
pub struct Shards<'a> {
    /// The indexes, in the order given.
    pub indexes: &'a [Index],
    /// One searcher per index.
    pub searchers: Vec<Searcher>,
}

impl<'a> Shards<'a> {
    /// Opens readers of `indexes` (at least one; all must share the first one's schema).
    pub fn open(indexes: &'a [Index]) -> Result<Shards<'a>, SearchError> {
        let first = indexes
            .first()
            .ok_or_else(|| SearchError::Query("no index to search".into()))?;
        if let Some(n) = indexes.iter().position(|i| i.schema() != first.schema()) {
            return Err(SearchError::Query(format!(
                "index {} of {} has another layout than the first (made by another mediawatch \
                 version?); rebuild it with this one",
                n + 1,
                indexes.len()
            )));
        }
        let searchers = indexes
            .iter()
            .map(|i| Ok(i.reader()?.searcher()))
            .collect::<Result<_, SearchError>>()?;
        Ok(Shards { indexes, searchers })
    }

    /// Runs `collector` on every shard with `query` scored by the summed statistics.
    pub fn each<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> Result<Vec<C::Fruit>, SearchError> {
        self.searchers
            .iter()
            .map(|s| Ok(s.search_with_statistics_provider(query, collector, self)?))
            .collect()
    }

    /// Number of matching documents.
    pub fn count(&self, query: &dyn Query) -> Result<u64, SearchError> {
        Ok(self.each(query, &Count)?.into_iter().sum::<usize>() as u64)
    }

    /// The number of matching documents and the best `n` of them by score, ties by id.
    pub fn top(&self, query: &dyn Query, n: usize) -> Result<(u64, Vec<(Score, At)>), SearchError> {
        let collector = (Count, Best { limit: n.max(1) });
        let mut total = 0u64;
        let mut ranked = Vec::new();
        for (shard, (count, best)) in self.each(query, &collector)?.into_iter().enumerate() {
            total += count as u64;
            ranked.extend(
                best.into_iter()
                    .map(|(score, id, address)| ((score, id, address), At { shard, address })),
            );
        }
        ranked.sort_by(|a, b| best_first(&a.0, &b.0));
        ranked.truncate(n);
        Ok((
            total,
            ranked.into_iter().map(|((s, _, _), at)| (s, at)).collect(),
        ))
    }

    /// Every matching document, by publication time (undated last), ties by id.
    pub fn by_date(&self, query: &dyn Query) -> Result<Vec<(Match, At)>, SearchError> {
        let mut all = Vec::new();
        for (shard, searcher) in self.searchers.iter().enumerate() {
            let matches = searcher.search(query, &MatchCollector { scoring: false })?;
            let ids = ids_of(searcher, matches.iter().map(|m| m.address))?;
            all.extend(matches.into_iter().zip(ids).map(|(m, id)| {
                let at = At {
                    shard,
                    address: m.address,
                };
                (m, id, at)
            }));
        }
        all.sort_by(|a, b| {
            a.0.published
                .cmp(&b.0.published)
                .then_with(|| a.1.cmp(&b.1))
        });
        Ok(all.into_iter().map(|(m, _, at)| (m, at)).collect())
    }
}

impl Shards<'_> {
    /// Every document matching `query` in date order (publication time, then id), handed to
    /// `each` until it returns false. One index is ordered lazily (ids read only for the
    /// documents handed out: the first page of a million matches costs a page); several are
    /// sorted whole, because ties are broken by id across indexes.
    pub fn each_by_date(
        &self,
        query: &dyn Query,
        each: &mut dyn FnMut(At) -> Result<bool, SearchError>,
    ) -> Result<(), SearchError> {
        if let [searcher] = self.searchers.as_slice() {
            let matches = searcher.search(query, &MatchCollector { scoring: false })?;
            return super::each_in_date_order(searcher, matches, &mut |m| {
                each(At {
                    shard: 0,
                    address: m.address,
                })
            });
        }
        for (_, at) in self.by_date(query)? {
            if !each(at)? {
                break;
            }
        }
        Ok(())
    }
}

impl Bm25StatisticsProvider for Shards<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searchers
            .iter()
            .map(|s| s.total_num_tokens(field))
            .sum()
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searchers.iter().map(|s| s.total_num_docs()).sum()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searchers.iter().map(|s| s.doc_freq(term)).sum()
    }
}

/// The stored ids of documents of one searcher, in the order given (each segment's id
/// column opened once: opening it per document cost most of a large listing's time).
pub fn ids_of(
    searcher: &Searcher,
    addresses: impl Iterator<Item = DocAddress>,
) -> Result<Vec<String>, SearchError> {
    let columns = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().str(schema::ID))
        .collect::<Result<Vec<_>, _>>()?;
    let mut ids = Vec::new();
    for address in addresses {
        let mut id = String::new();
        if let Some(column) = &columns[address.segment_ord as usize] {
            if let Some(ord) = column.term_ords(address.doc_id).next() {
                column
                    .ord_to_str(ord, &mut id)
                    .map_err(tantivy::TantivyError::from)?;
            }
        }
        ids.push(id);
    }
    Ok(ids)
}

/// Collects the best `limit` documents by score, ties by id: within a segment by the id
/// column's term ordinal (ordinals follow the ids' sorted order), across segments and indexes
/// by the id itself — so the ranking never depends on the index layout (tantivy's top-docs
/// collector breaks ties by address), and an unscored query costs no more than a page.
struct Best {
    limit: usize,
}

/// A kept document; `Ord` puts the worse one first-out: lower score, then higher id.
struct Ranked {
    score: Score,
    ord: u64,
    doc: DocId,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.ord.cmp(&other.ord))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Per-segment state of [`Best`]: a heap of the best so far, the worst on top.
struct SegmentBest {
    segment: SegmentOrdinal,
    ids: Option<StrColumn>,
    limit: usize,
    heap: BinaryHeap<Ranked>,
}

/// A ranked hit: score, id, address.
type Scored = (Score, String, DocAddress);

/// Best first: higher score, then smaller id.
fn best_first(a: &Scored, b: &Scored) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

impl Collector for Best {
    type Fruit = Vec<Scored>;
    // Repeated shape: tantivy's `Collector` impl (`Child`, `for_segment`), as every collector
    // writes it.
    type Child = SegmentBest;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentBest> {
        Ok(SegmentBest {
            segment,
            ids: reader.fast_fields().str(schema::ID)?,
            limit: self.limit,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<Scored> = fruits.into_iter().flatten().collect();
        all.sort_by(best_first);
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ord = self
            .ids
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(0);
        let ranked = Ranked { score, ord, doc };
        if self.heap.len() < self.limit {
            self.heap.push(ranked);
        } else if self.heap.peek().is_some_and(|worst| ranked < *worst) {
            self.heap.pop();
            self.heap.push(ranked);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut id = String::new();
        self.heap
            .into_iter()
            .map(|r| {
                id.clear();
                if let Some(column) = &self.ids {
                    // A failed lookup leaves the id empty: the order stays deterministic.
                    let _ = column.ord_to_str(r.ord, &mut id);
                }
                (r.score, id.clone(), DocAddress::new(self.segment, r.doc))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BinaryHeap;

    use super::Ranked;

    #[test]
    fn the_heap_top_is_the_worst_kept_hit() {
        // Worked by hand: (score, id ord) pairs; the worst is the lowest score, and among
        // equal scores the highest id.
        let mut heap: BinaryHeap<Ranked> = [(2.0, 5), (1.0, 3), (1.0, 7), (3.0, 0)]
            .into_iter()
            .map(|(score, ord)| Ranked { score, ord, doc: 0 })
            .collect();
        let order: Vec<(f32, u64)> = std::iter::from_fn(|| heap.pop())
            .map(|r| (r.score, r.ord))
            .collect();
        assert_eq!(order, vec![(1.0, 7), (1.0, 3), (2.0, 5), (3.0, 0)]);
    }
}
