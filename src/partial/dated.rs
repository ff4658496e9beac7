//! What the statistics beyond keyness need of a shard — timeline and attention counts per
//! bucket, entity series and co-mentions, frame documents per bucket — and their merge.
//! Every count here is keyed by names (groups, outlets, days, buckets), so shards add up
//! without renumbering; only the entity mentions and frame hits (outlets by number) go
//! through [`NamedCounts`].

use std::path::Path;

use super::{
    check, check_lists, same_as_command, List, NamedCounts, Partial, PartialError, Sourced,
};
use crate::index::Index;
use crate::stats::attention::{self, Attention, BucketCounter, BucketCounts};
use crate::stats::counts::TermExtractor;
use crate::stats::entities::EntityCounts;
use crate::stats::frames::FrameCounts;
use crate::stats::scan::{scan, Accumulator, GroupBy, Subset, Unfinished};
use crate::stats::timeline::{Buckets, Timeline, TimelineCounter, TimelineState};
use crate::stats::StatsError;

use super::Header;

/// Timeline and attention counts of a shard, for the selection and for its whole (the same
/// filters without the query, which a query's timeline and attention are set in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dated {
    /// The selection's timeline counts.
    pub timeline: TimelineState,
    /// The whole's timeline counts.
    pub timeline_whole: TimelineState,
    /// The selection's documents per group and bucket.
    pub attention: BucketCounts,
    /// The whole's documents per group and bucket.
    pub attention_whole: BucketCounts,
}

/// True for a query that selects every document.
fn selects_all(query: &str) -> bool {
    let query = query.trim();
    query.is_empty() || query == "*"
}

impl Dated {
    // Repeated shape: a signature of index, subset, grouping and buckets, as the readers of the
    // index take them.
    /// The dated counts of one index.
    pub(super) fn of_index(
        index: &Index,
        subset: &Subset,
        by: GroupBy,
        buckets: Buckets,
    ) -> Result<Dated, StatsError> {
        let extractor = TermExtractor::default();
        let count = |subset: &Subset| -> Result<(TimelineState, BucketCounts), StatsError> {
            let (timeline, attention) = scan(index, subset, by, || {
                (
                    Unfinished(TimelineCounter::new(&extractor, buckets, 0)),
                    BucketCounter::new(buckets),
                )
            })?;
            Ok((timeline.into_state(), attention))
        };
        let (timeline, attention) = count(subset)?;
        let (timeline_whole, attention_whole) = if selects_all(&subset.query) {
            (timeline.clone(), attention.clone())
        } else {
            count(&Subset {
                query: String::new(),
                filters: subset.filters.clone(),
            })?
        };
        Ok(Dated {
            timeline,
            timeline_whole,
            attention,
            attention_whole,
        })
    }

    /// Adds `other` in (counts in the same buckets).
    fn merge(&mut self, other: Dated, buckets: Buckets) {
        let extractor = TermExtractor::default();
        let timeline = |ours: &mut TimelineState, theirs: TimelineState| {
            let mut counter =
                TimelineCounter::from_state(&extractor, buckets, 0, std::mem::take(ours));
            counter.merge(TimelineCounter::from_state(&extractor, buckets, 0, theirs));
            *ours = counter.into_state();
        };
        timeline(&mut self.timeline, other.timeline);
        timeline(&mut self.timeline_whole, other.timeline_whole);
        let documents = |ours: &mut BucketCounts, theirs: BucketCounts| {
            let mut counter = BucketCounter::from_counts(buckets, std::mem::take(ours));
            counter.merge(BucketCounter::from_counts(buckets, theirs));
            *ours = counter.finish();
        };
        documents(&mut self.attention, other.attention);
        documents(&mut self.attention_whole, other.attention_whole);
    }

    /// The timeline of `query`'s documents (as [`crate::stats::timeline`] gives it).
    pub fn timeline(self, query: &str, buckets: Buckets, min_gap_days: u64) -> Timeline {
        let extractor = TermExtractor::default();
        let finish =
            |state| TimelineCounter::from_state(&extractor, buckets, min_gap_days, state).finish();
        let matches = finish(self.timeline);
        if selects_all(query) {
            return matches;
        }
        matches.within(finish(self.timeline_whole))
    }

    /// The attention to `query` (as [`crate::stats::attention`] gives it).
    pub fn attention(self, query: &str, buckets: Buckets) -> Attention {
        attention::attention(
            query,
            buckets.interval,
            self.attention,
            self.attention_whole,
        )
    }
}

/// The error for a partial that lacks counts a statistic needs.
pub(super) fn lacks(path: &Path, what: &str, how: &str) -> PartialError {
    PartialError::File {
        path: path.to_path_buf(),
        reason: format!("holds no {what}; make it with `mediawatch partial {how}`"),
    }
}

/// Checks every partial against `expected` (and the first partial's lists), and adds each
/// into the total with `add`. With `dated`, the zone of days and the interval must match too.
pub(super) fn fold<T: Default>(
    partials: Vec<Sourced>,
    expected: &Header,
    dated: bool,
    mut add: impl FnMut(&mut T, Partial, &Path) -> Result<(), PartialError>,
) -> Result<T, PartialError> {
    let first = partials.first().ok_or(PartialError::Empty)?;
    let first_origin = first.origin.clone();
    let first_header = first.partial.header.clone();
    let mut total = T::default();
    for Sourced { partial, origin } in partials {
        check(&partial.header, expected, &origin)?;
        check_lists(&partial.header, &first_header, &origin, &first_origin)?;
        if dated {
            check_dated(&partial.header, expected, &origin)?;
        }
        add(&mut total, partial, &origin)?;
    }
    Ok(total)
}

/// Refuses a partial whose days are of another zone, or whose buckets are of another size
/// than `expected` asks for (when it asks for buckets).
fn check_dated(header: &Header, expected: &Header, path: &Path) -> Result<(), PartialError> {
    same_as_command(path, "--timezone", &header.zone, &expected.zone)?;
    match (&header.interval, &expected.interval) {
        (_, None) => Ok(()),
        (None, Some(asked)) => Err(lacks(
            path,
            "counts over time (made without --interval)",
            &format!("--interval {asked}"),
        )),
        (Some(theirs), Some(asked)) => same_as_command(path, "--interval", theirs, asked),
    }
}

/// Refuses counts made with another list than the command's (both digests present: a
/// partial without the counts is refused by its caller, naming the flag to make them).
fn same_list(
    path: &Path,
    field: &'static str,
    theirs: &Option<String>,
    ours: &Option<String>,
) -> Result<(), PartialError> {
    match (theirs, ours) {
        (Some(theirs), Some(ours)) if theirs != ours => Err(PartialError::Mismatch {
            path: path.to_path_buf(),
            field,
            theirs: format!("digest {theirs}"),
            ours: format!("digest {ours}"),
            other: "the list the command was given".to_string(),
        }),
        _ => Ok(()),
    }
}

/// [`fold`] over dated partials whose `list` counts (per group, and their `D` detail) were
/// made with the command's list.
fn fold_listed<D: Default>(
    partials: Vec<Sourced>,
    expected: &Header,
    list: List,
    mut add: impl FnMut(&mut NamedCounts, &mut D, Partial, &Path) -> Result<(), PartialError>,
) -> Result<(NamedCounts, D), PartialError> {
    fold(
        partials,
        expected,
        true,
        |(counts, detail): &mut (NamedCounts, D), partial, origin| {
            let (theirs, ours) = (list.digest(&partial.header), list.digest(expected));
            same_list(origin, list.name(), theirs, ours)?;
            add(counts, detail, partial, origin)
        },
    )
}

/// The entity counts of partials made alike, merged (outlets renumbered over their union).
pub fn merge_entities(
    partials: Vec<Sourced>,
    expected: &Header,
) -> Result<EntityCounts, PartialError> {
    let (mentions, mut detail) = fold_listed(
        partials,
        expected,
        List::Entities,
        |mentions, detail: &mut EntityCounts, partial, origin| {
            let missing = || lacks(origin, "entity counts", "--entity-list FILE");
            mentions.merge(partial.entities.ok_or_else(missing)?);
            detail.merge(partial.entity_detail.ok_or_else(missing)?);
            Ok(())
        },
    )?;
    detail.mentions = mentions.into_counts();
    Ok(detail)
}

/// The frame counts (with documents per bucket) of partials made alike, merged.
pub fn merge_frames(
    partials: Vec<Sourced>,
    expected: &Header,
) -> Result<FrameCounts, PartialError> {
    let asked = expected.interval.as_deref().unwrap_or("day");
    let (hits, mut buckets) = fold_listed(
        partials,
        expected,
        List::Frames,
        |hits, buckets: &mut FrameCounts, partial, origin| {
            let frames = partial.frames;
            hits.merge(frames.ok_or_else(|| lacks(origin, "frame counts", "--frame-list FILE"))?);
            buckets.merge(partial.frame_buckets.ok_or_else(|| {
                lacks(
                    origin,
                    "frame counts over time",
                    &format!("--frame-list FILE --interval {asked}"),
                )
            })?);
            Ok(())
        },
    )?;
    buckets.hits = hits.into_counts();
    Ok(buckets)
}

/// The timeline and attention counts of partials made alike, merged.
pub fn merge_dated(
    partials: Vec<Sourced>,
    expected: &Header,
    buckets: Buckets,
) -> Result<Dated, PartialError> {
    let asked = buckets.interval.name();
    fold(
        partials,
        expected,
        true,
        |total: &mut Option<Dated>, partial, origin| {
            let dated = partial
                .dated
                .ok_or_else(|| lacks(origin, "counts over time", &format!("--interval {asked}")))?;
            match total {
                Some(total) => total.merge(dated, buckets),
                None => *total = Some(dated),
            }
            Ok(())
        },
    )
    .map(Option::unwrap_or_default)
}
