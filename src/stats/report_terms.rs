//! The report's term counts from the walk that gives its timeline's volumes (issue 15): one
//! walk over each segment's dictionaries and postings counts the key terms' cells, the
//! counted tokens per document (the timeline's volumes) and the cells of each period of
//! "What changed" — not three walks. A document's period comes from the `published` fast
//! field, and periods are known before the walk: given (`--periods`), or found at the gaps
//! of the subset's day timeline, whose gaps and days need only document counts (fast
//! fields, no postings).

use tantivy::{DocId, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::{schema, Index};
use crate::search::{Filters, SearchError};
use crate::stats::counts::{OutletNumbers, TermCounts, TermExtractor};
use crate::stats::periods::{split_timeline, Periods};
use crate::stats::postings::{pass_over, SlotWalk, Slots};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::Buckets;
use crate::stats::volumes::Tables;
use crate::stats::StatsError;

/// What the report's term counts cover besides the subset: the periods of "What changed".
#[derive(Clone, Copy, Debug)]
pub struct TermPass<'a> {
    /// The periods given (`--periods`); `None`: the periods around the gaps of the subset's
    /// day timeline (see [`split_timeline`]).
    pub periods: Option<&'a Periods>,
}

/// The report's term counts (analyzed single words, as [`TermExtractor::default`]).
#[derive(Debug)]
pub struct ReportTerms {
    /// Over the subset: the key terms'.
    pub counts: TermCounts,
    /// Per period of "What changed"; `None` when periods overlap (a document in two periods
    /// cannot be counted in one walk: each period is then counted apart).
    pub periods: Option<PeriodTerms>,
}

/// The periods of "What changed" and each one's term counts.
#[derive(Debug)]
pub struct PeriodTerms {
    /// The periods, or why there are none (no gap, no dated document).
    pub periods: Result<Periods, StatsError>,
    /// The term counts of the subset narrowed to each period, in order.
    pub counts: Vec<TermCounts>,
}

/// Each period's published times as `[from, until)` in seconds, as the date filter of the
/// subset narrowed to it selects them; `None` when two overlap.
fn disjoint_bounds(periods: &Periods, filters: &Filters) -> Option<Vec<(i64, i64)>> {
    let bounds: Vec<(i64, i64)> = periods
        .0
        .iter()
        .map(|period| {
            let narrowed = period.narrow(filters);
            (
                narrowed.from.map_or(i64::MIN, |at| at.timestamp()),
                narrowed.until.map_or(i64::MAX, |at| at.timestamp()),
            )
        })
        .collect();
    let mut sorted: Vec<(i64, i64)> = bounds.iter().copied().filter(|(a, b)| a < b).collect();
    sorted.sort_unstable();
    sorted
        .windows(2)
        .all(|pair| pair[0].1 <= pair[1].0)
        .then_some(bounds)
}

/// The timeline's tables (with their counted tokens) and the report's term counts of
/// `subset` grouped `by`, from one walk; `min_gap_days` is the gaps' shortest length.
/// `beside` runs on the tables (their tokens not yet set) while the walk runs: work that
/// needs the documents but not their tokens fills the threads the walk leaves idle (its
/// dictionary walks and merges run on one).
pub(super) fn tables_and_terms<R: Send>(
    index: &Index,
    searcher: &Searcher,
    (subset, by, min_gap_days): (&Subset, GroupBy, u64),
    pass: TermPass,
    outlets: &OutletNumbers,
    beside: impl FnOnce(&Tables) -> R + Send,
) -> Result<(Tables, ReportTerms, R), StatsError> {
    let (mut tables, read) = Tables::read_dates(index, searcher, subset, by, true)?;
    let periods = match pass.periods {
        Some(periods) => Ok(periods.clone()),
        None => {
            let days = tables.timeline(Buckets::day(subset.filters.zone), min_gap_days);
            split_timeline(&days, min_gap_days)
        }
    };
    let bounds = match &periods {
        Ok(periods) => disjoint_bounds(periods, &subset.filters),
        Err(_) => Some(Vec::new()),
    };
    // Slots: 0..n the periods, n the subset outside every period, n + 1 the documents read
    // for the volumes only (the whole's, outside a query's subset).
    let n = bounds.as_ref().map_or(0, Vec::len) as u32;
    let matched: Option<Vec<(SegmentOrdinal, &[DocId])>> = tables.whole.as_ref().map(|_| {
        let matched = tables.matched.iter();
        matched.map(|t| (t.segment, t.docs.as_slice())).collect()
    });
    let slot_of = |segment: SegmentOrdinal, reader: &SegmentReader, docs: &[DocId]| {
        let published = reader
            .fast_fields()
            .date(schema::PUBLISHED)
            .map_err(SearchError::from)?;
        let inside: &[DocId] = match &matched {
            None => docs,
            Some(matched) => matched
                .iter()
                .find(|(s, _)| *s == segment)
                .map(|(_, docs)| *docs)
                .unwrap_or_default(),
        };
        let bounds = bounds.as_deref().unwrap_or_default();
        Ok(docs
            .iter()
            .map(|&doc| {
                if matched.is_some() && inside.binary_search(&doc).is_err() {
                    return n + 1;
                }
                let at = published.first(doc).map(|at| at.into_timestamp_secs());
                at.and_then(|t| bounds.iter().position(|&(a, b)| a <= t && t < b))
                    .map_or(n, |p| p as u32)
            })
            .collect())
    };
    let mut outputs: Vec<_> = std::iter::once(0..n + 1).collect();
    outputs.extend((0..n).map(|p| p..p + 1));
    let slots = Slots {
        count: n as usize + 2,
        of: &slot_of,
        outputs,
    };
    let extractor = TermExtractor::default();
    let walk = SlotWalk {
        searcher,
        by,
        extractor: &extractor,
        outlets,
    };
    pass_over(&read);
    let mut doc_tokens = Vec::new();
    let mut beside_out = None;
    let counts = rayon::in_place_scope(|scope| {
        let tables = &tables;
        scope.spawn(|_| beside_out = Some(beside(tables)));
        walk.count(&read, &slots, &mut |segment, tokens| {
            doc_tokens.push((segment, tokens.to_vec()))
        })
    });
    let beside_out = beside_out.expect("the scope ran it");
    let mut counts = counts?.into_iter();
    for (segment, tokens) in doc_tokens {
        tables.set_tokens(segment, &tokens);
    }
    let total = counts.next().unwrap_or_default();
    let periods = bounds.map(|_| PeriodTerms {
        periods,
        counts: counts.collect(),
    });
    Ok((
        tables,
        ReportTerms {
            counts: total,
            periods,
        },
        beside_out,
    ))
}
