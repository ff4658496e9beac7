//! The report's statistics besides keyness, all from the index: the timeline (fast fields
//! and postings, see [`super::volumes`]), frame hits (see [`super::frame_postings`]) and
//! entity mentions (see [`super::entity_postings`]) — no stored text is read. Term keyness
//! comes from the index's postings (see [`super::postings`]).

use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::search::SearchError;
use crate::stats::entities::EntityCounts;
use crate::stats::frames::FrameCounts;
use crate::stats::report_terms::{self, ReportTerms, TermPass};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Timeline};
use crate::stats::token_sums::TokenSums;
use crate::stats::volumes::Tables;
use crate::stats::{entity_postings, frame_postings, word_walk};
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
    /// The key terms' counts and those of "What changed"'s periods, when asked for (from
    /// the walk that counts the timeline's volumes, see [`report_terms`]).
    pub terms: Option<ReportTerms>,
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
    /// Term counts to count in the same walk as the timeline's volumes.
    pub terms: Option<TermPass<'a>>,
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
    let timer = StepTimer::nested();
    let outlets = outlet_numbers(index)?;
    // Entity and frame counts need the documents but not their counted tokens: they are
    // counted without and the tokens added once known, so their walks run beside the one
    // that counts the tokens (see [`report_terms::tables_and_terms`]).
    let entity_counter = pass
        .entities
        .map(|matcher| entity_postings::Entities::new(matcher, &outlets));
    let frame_counter = pass
        .frames
        .map(|matcher| frame_postings::Frames::new(matcher, Some(pass.buckets), &outlets));
    let matched = |tables: &Tables| {
        // One walk for both lists: per segment, the title and text dictionaries once.
        let counters = (entity_counter.as_ref(), frame_counter.as_ref());
        if counters.0.is_none() && counters.1.is_none() {
            return Ok((None, None));
        }
        let counts = word_walk::count_both(&searcher, &tables.matched, counters);
        if counters.0.is_some() {
            entity_postings::forget_analyzed();
        }
        counts
    };
    let (tables, terms, matched) = match pass.terms {
        Some(terms) => {
            timer.lap(
                "timeline volumes, key terms, periods' terms, entities and frames (concurrently)",
            );
            let spec = (subset, by, pass.min_gap_days);
            let (tables, counts, matched) =
                report_terms::tables_and_terms(index, &searcher, spec, terms, &outlets, matched)?;
            (tables, Some(counts), matched)
        }
        None => {
            timer.lap("timeline volumes, entities and frames");
            let tables = Tables::read(index, &searcher, subset, by, true)?;
            let matched = matched(&tables);
            (tables, None, matched)
        }
    };
    let (mut entities, mut frames) = matched?;
    timer.lap("tokens of entities and frames");
    if entities.is_some() || frames.is_some() {
        let sums = TokenSums::of(&tables.matched, &outlets);
        if let Some(entities) = &mut entities {
            entity_postings::add_tokens(entities, &sums);
        }
        if let Some(frames) = &mut frames {
            frame_postings::add_tokens(frames, &sums);
        }
    }
    timer.lap("timeline buckets and gaps");
    let timeline = tables.timeline(pass.buckets, pass.min_gap_days);
    timer.lap("fused done");
    Ok(ReportCounts {
        timeline,
        entities,
        frames,
        terms,
    })
}

/// Wall time per step of the report on stderr, when `MEDIAWATCH_PROFILE` is set: each line
/// gives the step's wall seconds, the process's CPU seconds during it and its peak resident
/// memory so far (VmHWM) at the step's end. Timers within a step (`nested`) indent their
/// lines under it; the outer line's time includes theirs.
pub struct StepTimer {
    last: Option<std::cell::RefCell<(std::time::Instant, f64, &'static str)>>,
    indent: &'static str,
}

/// CPU seconds (user + system) and peak resident memory in MiB of this process so far.
fn usage() -> (f64, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return (0.0, 0.0);
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        seconds(usage.ru_utime) + seconds(usage.ru_stime),
        usage.ru_maxrss as f64 / 1024.0,
    )
}

/// Wall time of steps run many times over (once per segment), added up per step and printed
/// as one line each by [`StepTotals::print`] when `MEDIAWATCH_PROFILE` is set.
pub struct StepTotals {
    totals: Option<std::cell::RefCell<Vec<(&'static str, std::time::Duration)>>>,
}

impl StepTotals {
    /// Totals that are kept only when `MEDIAWATCH_PROFILE` is set.
    pub fn from_env() -> StepTotals {
        StepTotals {
            totals: std::env::var_os("MEDIAWATCH_PROFILE").map(|_| Default::default()),
        }
    }

    /// Runs `step`, its wall time added to `name`'s.
    pub fn time<R>(&self, name: &'static str, step: impl FnOnce() -> R) -> R {
        let Some(totals) = &self.totals else {
            return step();
        };
        let start = std::time::Instant::now();
        let result = step();
        let mut totals = totals.borrow_mut();
        match totals.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += start.elapsed(),
            None => totals.push((name, start.elapsed())),
        }
        result
    }

    /// Prints each step's total, in the order first run.
    pub fn print(&self) {
        for (name, total) in self.totals.iter().flat_map(|t| t.borrow().clone()) {
            eprintln!(
                "profile: {:>8.2} s wall (all segments)          {name}",
                total.as_secs_f64()
            );
        }
    }
}

impl StepTimer {
    /// A timer that prints only when `MEDIAWATCH_PROFILE` is set.
    pub fn from_env() -> StepTimer {
        StepTimer::with_indent("")
    }

    /// A timer of the parts of one step: its lines are indented under the step's.
    pub fn nested() -> StepTimer {
        StepTimer::with_indent("    · ")
    }

    fn with_indent(indent: &'static str) -> StepTimer {
        StepTimer {
            last: std::env::var_os("MEDIAWATCH_PROFILE")
                .map(|_| std::cell::RefCell::new((std::time::Instant::now(), usage().0, "start"))),
            indent,
        }
    }

    /// Ends the step running (printing its time) and starts `next`.
    pub fn lap(&self, next: &'static str) {
        if let Some(last) = &self.last {
            let mut last = last.borrow_mut();
            let (cpu, peak) = usage();
            if last.2 != "start" {
                eprintln!(
                    "profile: {:>8.2} s wall {:>8.2} s CPU {:>7.0} MiB peak  {}{}",
                    last.0.elapsed().as_secs_f64(),
                    cpu - last.1,
                    peak,
                    self.indent,
                    last.2
                );
            }
            *last = (std::time::Instant::now(), cpu, next);
        }
    }
}
