//! The report's statistics that need the stored texts — timeline volumes, entity mentions and
//! frame hits — from one parallel pass over the subset with one fused accumulator (issue 15
//! point 2). Term keyness comes from the index's postings instead (see [`super::postings`]).

use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::stats::counts::TermExtractor;
use crate::stats::entities::{EntityCounter, EntityCounts};
use crate::stats::frames::{FrameCounter, FrameCounts};
use crate::stats::scan::{scan, GroupBy, Subset};
use crate::stats::timeline::{Buckets, Timeline, TimelineCounter};
use crate::stats::{outlet_numbers, StatsError};

/// What one pass over a report's documents counts.
#[derive(Debug)]
pub struct ReportCounts {
    /// Documents and tokens per group and bucket, with gaps.
    pub timeline: Timeline,
    /// Entity mentions, when an entity list was given.
    pub entities: Option<EntityCounts>,
    /// Frame hits (per bucket too), when a frame list was given.
    pub frames: Option<FrameCounts>,
}

/// What the report's pass looks at besides the subset and grouping.
#[derive(Clone, Copy)]
pub struct ReportPass<'a> {
    /// Buckets of the timeline and the frame series.
    pub buckets: Buckets,
    /// Shortest gap reported, in days.
    pub min_gap_days: u64,
    /// Entities to count.
    pub entities: Option<&'a EntityMatcher>,
    /// Frames to count.
    pub frames: Option<&'a FrameMatcher>,
}

/// The timeline, entity counts and frame counts of `subset` grouped `by`, from one pass.
pub fn report_counts(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    pass: ReportPass,
) -> Result<ReportCounts, StatsError> {
    let outlets = outlet_numbers(index)?;
    let counting = TermExtractor::default();
    let (timeline, (entities, frames)) = scan(index, subset, by, || {
        (
            TimelineCounter::new(&counting, pass.buckets, pass.min_gap_days),
            (
                pass.entities
                    .map(|m| EntityCounter::new(m, &counting, &outlets)),
                pass.frames
                    .map(|m| FrameCounter::new(m, &counting, &outlets, Some(pass.buckets))),
            ),
        )
    })?;
    // A query's timeline is shown within the whole filtered corpus's buckets, as
    // [`crate::stats::timeline`] does: the whole needs its own (timeline-only) pass.
    let query = subset.query.trim();
    let timeline = if query.is_empty() || query == "*" {
        timeline
    } else {
        let whole = Subset {
            query: String::new(),
            filters: subset.filters.clone(),
        };
        let all = scan(index, &whole, by, || {
            TimelineCounter::new(&counting, pass.buckets, pass.min_gap_days)
        })?;
        timeline.within(all)
    };
    Ok(ReportCounts {
        timeline,
        entities,
        frames,
    })
}
