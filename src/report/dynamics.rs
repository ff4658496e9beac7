//! The report's sections on how coverage spreads and shifts: copies and talking points, what
//! changed between periods, and attention to the query over time. A [`Source`] (one index,
//! or shards merged) and a [`ReportRequest`] in, [`Dynamics`] out — every number from the
//! statistics APIs (`stats::copies`, `stats::periods`, `stats::attention`), no tantivy type
//! here.

use serde::Serialize;

use crate::stats::attention::Attention;
use crate::stats::copies::{CopySummary, DEFAULT_MIN_SIMILARITY};
use crate::stats::keyness::KeynessOptions;
use crate::stats::periods::{self, PeriodComparison, Periods, TermChange};
use crate::stats::report_terms::PeriodTerms;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::{CompareItems, StatsError};

use super::request::{ReportError, ReportRequest};
use super::source::{Section, Source};

/// Talking points listed (overall, and per group as cluster ids).
pub const TALKING_POINTS: usize = 10;
/// Key terms per direction listed for each period.
pub const PERIOD_TERMS: usize = 10;
/// Terms listed per pair of periods whose conservative Log Ratio changed most.
pub const CHANGED_TERMS: usize = 15;
/// q-value below which a period's key term is listed (as for the report's key terms).
const MAX_Q: f64 = 0.05;

/// The three sections' data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dynamics {
    /// Copies and talking points.
    pub copies: CopySummary,
    /// What changed between periods.
    pub change: ChangeSection,
    /// Attention to the query per group and interval.
    pub attention: AttentionSection,
}

/// Where the periods of "What changed" come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodSource {
    /// `--periods`.
    Given,
    /// Before, during and after the group gaps of the timeline.
    Gaps,
    /// No periods (see the note).
    None,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Partial`
// (partial/mod.rs), `GroupSummary` (report/data.rs) and 1 more: different facts, no shared type.
/// Key terms per period and the terms whose conservative Log Ratio changed most between periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeSection {
    /// Where the periods come from.
    pub source: PeriodSource,
    /// Why there are no periods, or nothing to compare between them.
    pub note: Option<String>,
    /// Per period: documents per group and the report's comparison inside it (the top
    /// [`PERIOD_TERMS`] key terms per direction with q < 0.05).
    pub periods: Vec<PeriodComparison>,
    /// For each pair of consecutive periods with a comparison, the terms tested in both whose
    /// Log Ratio (target against reference) changed most.
    pub changes: Vec<TermChange>,
}

/// Attention to the report's query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttentionSection {
    /// Why there is no series (the report covers every document).
    pub note: Option<String>,
    /// Matches, documents and shares per group and interval.
    pub attention: Option<Attention>,
}

/// Copies and talking points among the documents of `original`, the subset before
/// `--copies collapse` (copies are found among every document the report covers); an empty
/// summary when the source has no data for them.
pub fn copies(
    source: &dyn Source,
    original: &Subset,
    by: GroupBy,
) -> Result<CopySummary, ReportError> {
    match source.left_out(Section::Copies) {
        Some(_) => Ok(CopySummary::empty(DEFAULT_MIN_SIMILARITY)),
        None => source.copies(original, by),
    }
}

/// Collects the three sections, "What changed" and the copies ([`copies`]) given;
/// `request.subset` is the one counted. A section the source has no data for is left empty,
/// with the reason in its place.
pub fn collect(
    source: &dyn Source,
    request: &ReportRequest,
    copies: CopySummary,
    change: ChangeSection,
) -> Result<Dynamics, ReportError> {
    let attention = attention(source, request)?;
    Ok(Dynamics {
        copies,
        change,
        attention,
    })
}

fn attention(
    source: &dyn Source,
    request: &ReportRequest,
) -> Result<AttentionSection, ReportError> {
    let query = request.subset.query.trim();
    if query.is_empty() || query == "*" {
        return Ok(AttentionSection {
            note: Some("The report covers every document of the selection (query `*`): each group's whole output matches, so there is no share to show. Give the report a query to see how much of each group's output it matches, per interval.".into()),
            attention: None,
        });
    }
    let attention = source.attention(&request.subset, request.by, request.buckets())?;
    Ok(AttentionSection {
        note: None,
        attention: Some(attention),
    })
}

/// "What changed": the periods' key terms and the terms whose Log Ratio moved most between
/// them. `counted` holds the periods and their term counts when the source counted them
/// already (one index: in the walk of the key terms); else they are asked of the source.
pub fn change_section(
    source: &dyn Source,
    request: &ReportRequest,
    counted: Option<PeriodTerms>,
) -> Result<ChangeSection, ReportError> {
    let timer = crate::stats::fused::StepTimer::nested();
    timer.lap("what changed");
    let change = match source.left_out(Section::Change) {
        Some(why) => ChangeSection {
            source: PeriodSource::None,
            note: Some(why),
            periods: Vec::new(),
            changes: Vec::new(),
        },
        None => change(source, request, counted)?,
    };
    timer.lap("what changed done");
    Ok(change)
}

fn change(
    counts: &dyn Source,
    request: &ReportRequest,
    counted: Option<PeriodTerms>,
) -> Result<ChangeSection, ReportError> {
    let none = |note: String| ChangeSection {
        source: PeriodSource::None,
        note: Some(note),
        periods: Vec::new(),
        changes: Vec::new(),
    };
    let (found, mut counted) = match counted {
        Some(c) => (Some(c.periods), Some(c.counts.into_iter())),
        None => (None, None),
    };
    let (periods, source): (Periods, PeriodSource) = match &request.periods {
        Some(p) => (p.clone(), PeriodSource::Given),
        None => {
            let found = match found {
                Some(found) => found,
                None => {
                    let timeline =
                        counts.day_timeline(&request.subset, request.by, request.min_gap_days)?;
                    periods::split_timeline(&timeline, request.min_gap_days)
                }
            };
            match found {
                Ok(p) => (p, PeriodSource::Gaps),
                Err(StatsError::Periods(why)) => {
                    let why = why.trim_start_matches("--split-on-gaps: ");
                    return Ok(none(format!(
                    "No periods to compare: {why}. Name periods with --periods (for example before=2021-12-20..2022-01-04,after=2022-01-11..2022-01-20)."
                )));
                }
                Err(other) => return Err(other.into()),
            }
        }
    };
    // Every tested term in every period: the changes need each term's Log Ratio in both
    // periods, and the listed key terms are narrowed from the full list afterwards.
    let compare = request.compare_request(KeynessOptions {
        top: usize::MAX,
        min_freq: request.min_freq,
        max_q: None,
        ..KeynessOptions::default()
    });
    let full = periods::per_period_counted(
        &compare,
        &periods,
        CompareItems::Terms,
        false,
        // The periods' counts in order, when counted already.
        &mut |narrowed| match counted.as_mut().and_then(Iterator::next) {
            Some(counted) => Ok(counted),
            None => counts.term_counts(narrowed),
        },
    )?;
    let compared: Vec<&PeriodComparison> = full
        .periods
        .iter()
        .filter(|p| !p.comparisons.is_empty())
        .collect();
    let mut changes = Vec::new();
    for pair in compared.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        changes.extend(periods::log_ratio_changes(
            (&a.period, &a.comparisons[0]),
            (&b.period, &b.comparisons[0]),
            CHANGED_TERMS,
        ));
    }
    let note = (compared.len() < 2).then(|| {
        format!(
            "Fewer than two periods in which both {} and the reference published: no change to measure.",
            request.target
        )
    });
    let periods = full
        .periods
        .into_iter()
        .map(|p| PeriodComparison {
            comparisons: p
                .comparisons
                .iter()
                .map(|k| periods::significant_top(k, MAX_Q, PERIOD_TERMS))
                .collect(),
            ..p
        })
        .collect();
    Ok(ChangeSection {
        source,
        note,
        periods,
        changes,
    })
}
