//! The matches of a query over several indexes (or one) in date order — publication time,
//! undated last, ties by id — addressed by rank and ordered lazily: matches are sorted by
//! their date alone, and ids are read only for the run of matches sharing the date of a rank
//! asked for. Example passages ask for a few ranks spread over a term's matches; reading and
//! comparing the ids of every match (the full order) cost most of the report's examples step.

use std::collections::HashSet;

use tantivy::query::Query;

use super::collect::MatchCollector;
use super::shards::{ids_of, At, Shards};
use super::SearchError;

/// A query's matches, each findable by its rank in date order (see the module doc).
pub struct DateRanks<'a> {
    shards: &'a Shards<'a>,
    /// Publication time (unix seconds) and place of each match: sorted by time, then by place
    /// (shard, segment, document), until the run of a time is put in id order.
    matches: Vec<(i64, At)>,
    /// Starts of the runs of equal times already put in id order.
    ordered: HashSet<usize>,
}

impl<'a> DateRanks<'a> {
    /// Every document of `shards` matching `query`.
    pub fn new(shards: &'a Shards<'a>, query: &dyn Query) -> Result<DateRanks<'a>, SearchError> {
        let mut matches = Vec::new();
        for (shard, searcher) in shards.searchers.iter().enumerate() {
            let found = searcher.search(query, &MatchCollector { scoring: false })?;
            matches.extend(found.into_iter().map(|m| {
                let at = At {
                    shard,
                    address: m.address,
                };
                (m.published, at)
            }));
        }
        matches.sort_unstable_by_key(|&(published, at)| key(published, at));
        Ok(DateRanks {
            shards,
            matches,
            ordered: HashSet::new(),
        })
    }

    /// Number of matches.
    pub fn len(&self) -> usize {
        self.matches.len()
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
    }

    /// The match of rank `i` (0 = earliest) in date order, ties by id, then by place (the
    /// order a stable sort by date and id gives matches listed shard by shard).
    pub fn at(&mut self, i: usize) -> Result<At, SearchError> {
        let published = self.matches[i].0;
        let start = self.matches.partition_point(|m| m.0 < published);
        let end = self.matches.partition_point(|m| m.0 <= published);
        if end - start > 1 && self.ordered.insert(start) {
            let run = &mut self.matches[start..end];
            let mut ids = vec![String::new(); run.len()];
            for (shard, searcher) in self.shards.searchers.iter().enumerate() {
                let mine: Vec<usize> = (0..run.len())
                    .filter(|&j| run[j].1.shard == shard)
                    .collect();
                let found = ids_of(searcher, mine.iter().map(|&j| run[j].1.address))?;
                for (j, id) in mine.into_iter().zip(found) {
                    ids[j] = id;
                }
            }
            let mut keyed: Vec<(String, (i64, At))> =
                ids.into_iter().zip(run.iter().copied()).collect();
            keyed.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| key(a.1 .0, a.1 .1).cmp(&key(b.1 .0, b.1 .1)))
            });
            for (slot, (_, m)) in run.iter_mut().zip(keyed) {
                *slot = m;
            }
        }
        Ok(self.matches[i].1)
    }
}

/// Order of matches before ids are read: time, then place.
fn key(published: i64, at: At) -> (i64, usize, u32, u32) {
    (
        published,
        at.shard,
        at.address.segment_ord,
        at.address.doc_id,
    )
}
