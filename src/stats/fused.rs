//! The report's statistics besides keyness, all from the index: the timeline (fast fields
//! and postings, see [`super::volumes`]), frame hits (see [`super::frame_postings`]) and
//! entity mentions (see [`super::entity_postings`]) — no stored text is read. Term keyness
//! comes from the index's postings (see [`super::postings`]).

use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::search::SearchError;
use crate::stats::entities::EntityCounts;
use crate::stats::frames::FrameCounts;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Timeline};
use crate::stats::volumes::Tables;
use crate::stats::{entity_postings, frame_postings};
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
    let timer = StepTimer::from_env();
    timer.lap("timeline volumes");
    let tables = Tables::read(index, &searcher, subset, by, true)?;
    timer.lap("entities from postings");
    let timeline = tables.timeline(pass.buckets, pass.min_gap_days);
    let outlets = outlet_numbers(index)?;
    let entities = match pass.entities {
        None => None,
        Some(matcher) => Some(entity_postings::entity_counts(
            &searcher,
            &tables.matched,
            matcher,
            &outlets,
        )?),
    };
    timer.lap("frames from postings");
    let frames = match pass.frames {
        Some(matcher) => Some(frame_postings::frame_counts(
            &searcher,
            &tables.matched,
            matcher,
            Some(pass.buckets),
            &outlets,
        )?),
        None => None,
    };
    timer.lap("fused done");
    Ok(ReportCounts {
        timeline,
        entities,
        frames,
    })
}

/// Wall time per step of the report on stderr, when `MEDIAWATCH_PROFILE` is set.
pub struct StepTimer {
    last: Option<std::cell::RefCell<(std::time::Instant, &'static str)>>,
}

impl StepTimer {
    /// A timer that prints only when `MEDIAWATCH_PROFILE` is set.
    pub fn from_env() -> StepTimer {
        StepTimer {
            last: std::env::var_os("MEDIAWATCH_PROFILE")
                .map(|_| std::cell::RefCell::new((std::time::Instant::now(), "start"))),
        }
    }

    /// Ends the step running (printing its time) and starts `next`.
    pub fn lap(&self, next: &'static str) {
        if let Some(last) = &self.last {
            let mut last = last.borrow_mut();
            eprintln!(
                "profile: {:>8.2} s  {}",
                last.0.elapsed().as_secs_f64(),
                last.1
            );
            *last = (std::time::Instant::now(), next);
        }
    }
}
