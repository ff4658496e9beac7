//! The report's statistics besides keyness: the timeline from the index (fast fields and
//! postings, see [`super::volumes`]), and entity mentions and frame hits from one parallel
//! pass over the stored texts with one fused accumulator (issue 15 point 2). Term keyness
//! comes from the index's postings (see [`super::postings`]).

use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::search::SearchError;
use crate::stats::counts::TermExtractor;
use crate::stats::entities::{EntityCounter, EntityCounts};
use crate::stats::frame_postings;
use crate::stats::frames::{FrameCounter, FrameCounts};
use crate::stats::scan::{scan, GroupBy, Subset};
use crate::stats::timeline::{Buckets, Timeline};
use crate::stats::volumes::Tables;
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
    let reader = index.reader().map_err(SearchError::from)?;
    let searcher = reader.searcher();
    let tables = Tables::read(index, &searcher, subset, by, true)?;
    let timeline = tables.timeline(pass.buckets, pass.min_gap_days);
    let outlets = outlet_numbers(index)?;
    // Frames of one-word patterns come from the index; entities (capitalization, sentence
    // starts and name endings need the text as written) and phrase frames from the texts.
    let (index_frames, text_frames) = match pass.frames {
        Some(matcher) if matcher.single_words() => (Some(matcher), None),
        other => (None, other),
    };
    let (entities, frames) = if pass.entities.is_none() && text_frames.is_none() {
        (None, None)
    } else {
        let counting = TermExtractor::default();
        scan(index, subset, by, || {
            (
                pass.entities
                    .map(|m| EntityCounter::new(m, &counting, &outlets)),
                text_frames.map(|m| FrameCounter::new(m, &counting, &outlets, Some(pass.buckets))),
            )
        })?
    };
    let frames = match index_frames {
        Some(matcher) => Some(frame_postings::frame_counts(
            &searcher,
            &tables.matched,
            matcher,
            Some(pass.buckets),
            &outlets,
        )?),
        None => frames,
    };
    Ok(ReportCounts {
        timeline,
        entities,
        frames,
    })
}
