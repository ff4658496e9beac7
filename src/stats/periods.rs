//! Change over time: named date ranges ("periods"), key terms per period, periods compared
//! with each other within a group, and periods derived from the timeline's group gaps.
//!
//! A period is a range of calendar days, both ends included, in the zone of the filters. It
//! narrows the subset's own date filters (the two are intersected).

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::index::Index;
use crate::search::Filters;
use crate::stats::counts::TermCounts;
use crate::stats::keyness::{self, Keyness};
use crate::stats::scan::Subset;
use crate::stats::timeline::{Buckets, GapScope, Timeline};
use crate::stats::{self as stats_mod, CompareItems, CompareRequest, StatsError};

/// A named range of calendar days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Name (`before`), or the range as written when unnamed (`2022-01-05..2022-01-10`).
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Periods in the order given; names are unique.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Periods(pub Vec<Period>);

/// Why a `--periods` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// A range is not `YYYY-MM-DD..YYYY-MM-DD`.
    #[error("`{0}`: expected FROM..TO with dates YYYY-MM-DD, optionally named: before=2022-01-01..2022-01-04")]
    Syntax(String),
    /// A range ends before it starts.
    #[error("`{0}` ends before it starts")]
    Backwards(String),
    /// Two periods share a name.
    #[error("two periods are named `{0}`")]
    Duplicate(String),
    /// No period at all.
    #[error("no period given")]
    Empty,
}

impl FromStr for Periods {
    type Err = PeriodError;

    /// Parses `A..B,C..D` or `before=A..B,during=C..D` (names and bare ranges may be mixed).
    fn from_str(text: &str) -> Result<Periods, PeriodError> {
        let mut periods: Vec<Period> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, range) = match part.split_once('=') {
                Some((name, range)) => (name.trim().to_string(), range.trim()),
                None => (part.to_string(), part),
            };
            let syntax = || PeriodError::Syntax(part.to_string());
            let (from, to) = range.split_once("..").ok_or_else(syntax)?;
            let day =
                |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| syntax());
            let (from, to) = (day(from)?, day(to)?);
            if name.is_empty() {
                return Err(syntax());
            }
            if to < from {
                return Err(PeriodError::Backwards(part.to_string()));
            }
            if periods.iter().any(|p| p.name == name) {
                return Err(PeriodError::Duplicate(name));
            }
            periods.push(Period { name, from, to });
        }
        if periods.is_empty() {
            return Err(PeriodError::Empty);
        }
        Ok(Periods(periods))
    }
}

impl std::fmt::Display for Periods {
    /// `name=from..to` per period, comma-separated: what [`Periods::from_str`] reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            write!(f, "{comma}{}={}..{}", p.name, p.from, p.to)?;
        }
        Ok(())
    }
}

impl Period {
    /// `filters` narrowed to this period's days (in the filters' zone).
    pub fn narrow(&self, filters: &Filters) -> Filters {
        let mut narrowed = Filters {
            from: None,
            until: None,
            ..filters.clone()
        };
        let zone = filters.zone;
        // Dates of the form YYYY-MM-DD always parse.
        let _ = narrowed.set_from(&self.from.to_string(), zone);
        let _ = narrowed.set_to(&self.to.to_string(), zone);
        narrowed.from = narrowed.from.max(filters.from);
        narrowed.until = match (narrowed.until, filters.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        narrowed
    }

    fn range(&self) -> String {
        format!("{}..{}", self.from, self.to)
    }
}

/// The comparison asked for, inside one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodComparison {
    /// Period name.
    pub period: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Documents per group in the period.
    pub documents: BTreeMap<String, u64>,
    /// The comparisons: target against reference, or with `--target each` every group
    /// against the rest.
    pub comparisons: Vec<Keyness>,
    /// Why nothing is compared in this period (a side published nothing in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Key terms per period (`compare --periods`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodKeyness {
    /// One entry per period, in the order given.
    pub periods: Vec<PeriodComparison>,
}

/// `request` with its selection narrowed to `period`.
fn narrowed(request: &CompareRequest, period: &Period) -> CompareRequest {
    CompareRequest {
        subset: Subset {
            query: request.subset.query.clone(),
            filters: period.narrow(&request.subset.filters),
        },
        ..request.clone()
    }
}

/// The counts of `items` in `request`'s selection narrowed to `period`.
fn period_counts(
    index: &Index,
    request: &CompareRequest,
    period: &Period,
    items: CompareItems,
) -> Result<TermCounts, StatsError> {
    stats_mod::item_counts(index, &narrowed(request, period), items)
}

/// Runs the request's comparison (or, with `each`, every group against the rest) inside each
/// period. A period in which a side has no documents is kept, with a note and no terms.
pub fn per_period(
    index: &Index,
    request: &CompareRequest,
    periods: &Periods,
    items: CompareItems,
    each: bool,
) -> Result<PeriodKeyness, StatsError> {
    per_period_counted(request, periods, items, each, &mut |narrowed| {
        stats_mod::item_counts(index, narrowed, items)
    })
}

/// [`per_period`] with the counts of each period's comparison (the request narrowed to the
/// period) from `count`: one index, or the shards of a corpus merged.
pub fn per_period_counted<E: From<StatsError>>(
    request: &CompareRequest,
    periods: &Periods,
    items: CompareItems,
    each: bool,
    count: &mut dyn FnMut(&CompareRequest) -> Result<TermCounts, E>,
) -> Result<PeriodKeyness, E> {
    let mut out = Vec::new();
    for period in &periods.0 {
        let counts = count(&narrowed(request, period))?;
        let documents = counts
            .groups
            .iter()
            .map(|(label, g)| (label.clone(), g.documents))
            .collect();
        let (comparisons, note) = if each {
            let all = keyness::each(&counts, &request.options);
            let note = (all.comparisons.len() < 2).then(|| {
                "fewer than two groups published in this period: nothing to compare".to_string()
            });
            let comparisons = if note.is_some() {
                Vec::new()
            } else {
                all.comparisons
                    .into_iter()
                    .map(|k| items.shown(k))
                    .collect()
            };
            (comparisons, note)
        } else {
            match stats_mod::keyness_of(&counts, request) {
                Ok(k) if k.reference.documents == 0 => (
                    Vec::new(),
                    Some(format!(
                        "{} published nothing in this period",
                        k.reference.label
                    )),
                ),
                Ok(k) => (vec![items.shown(k)], None),
                Err(StatsError::UnknownGroup { label, .. }) => (
                    Vec::new(),
                    Some(format!("`{label}` published nothing in this period")),
                ),
                Err(other) => return Err(other.into()),
            }
        };
        out.push(PeriodComparison {
            period: period.name.clone(),
            from: period.from,
            to: period.to,
            documents,
            comparisons,
            note,
        });
    }
    Ok(PeriodKeyness { periods: out })
}

/// Compares two periods with each other (`compare --by period`): the request's `target` and
/// `reference` name periods; every group the subset holds is pooled within a period, so
/// filters (`--category state`) choose whose change is measured.
pub fn between(
    index: &Index,
    request: &CompareRequest,
    periods: &Periods,
    items: CompareItems,
) -> Result<Keyness, StatsError> {
    let find = |name: &str| {
        periods.0.iter().find(|p| p.name == name).ok_or_else(|| {
            StatsError::Periods(format!(
                "no period is named `{name}`; periods: {}",
                periods
                    .0
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    };
    let target = find(&request.target)?;
    let reference = match &request.reference {
        Some(name) => find(name)?,
        None => return Err(StatsError::Periods(
            "--by period needs --reference PERIOD: the period the target period is compared with"
                .into(),
        )),
    };
    let mut pooled = TermCounts::default();
    for period in [target, reference] {
        // Pooled into new groups: every term's outlets and forms are needed here.
        let counts = period_counts(index, request, period, items)?.complete();
        let groups: Vec<_> = counts.groups.values().collect();
        if groups.is_empty() {
            return Err(StatsError::Periods(format!(
                "period `{}` ({}) holds no documents of the selection",
                period.name,
                period.range()
            )));
        }
        pooled
            .groups
            .insert(period.name.clone(), keyness::combine(&groups).into_owned());
    }
    stats_mod::keyness_of_items(&pooled, request, items)
}

/// Periods split at the group gaps of the subset's timeline (silences of a whole group of at
/// least `min_gap_days`, overlapping gaps of several groups joined): `before`, `during` and
/// `after` around one gap; `before`, `gap 1`, `between 1 and 2`, `gap 2`, …, `after` around
/// several. Ranges without days are left out.
pub fn split_on_gaps(
    index: &Index,
    subset: &Subset,
    by: crate::stats::scan::GroupBy,
    min_gap_days: u64,
) -> Result<Periods, StatsError> {
    let buckets = Buckets::day(subset.filters.zone);
    let timeline = stats_mod::timeline(index, subset, by, buckets, min_gap_days)?;
    split_timeline(&timeline, min_gap_days)
}

/// [`split_on_gaps`] of a timeline per day (with gaps of at least `min_gap_days`).
pub fn split_timeline(timeline: &Timeline, min_gap_days: u64) -> Result<Periods, StatsError> {
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let days: Vec<NaiveDate> = timeline
        .groups
        .values()
        .flat_map(|series| series.keys().filter_map(|d| day(d)))
        .collect();
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return Err(StatsError::Periods(
            "--split-on-gaps: the selection has no dated documents".into(),
        ));
    };
    let mut gaps: Vec<(NaiveDate, NaiveDate)> = timeline
        .gaps
        .iter()
        .filter(|g| g.scope == GapScope::Group)
        .filter_map(|g| Some((day(&g.from)?, day(&g.to)?)))
        .collect();
    gaps.sort();
    let mut joined: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (from, to) in gaps {
        match joined.last_mut() {
            Some(last) if from <= last.1 + Days::new(1) => last.1 = last.1.max(to),
            _ => joined.push((from, to)),
        }
    }
    if joined.is_empty() {
        return Err(StatsError::Periods(format!(
            "--split-on-gaps: no group was silent for {min_gap_days} days or more (try a shorter --min-gap, or name the periods with --periods)"
        )));
    }
    Ok(gap_periods(first, last, &joined))
}

/// The periods around `gaps` (sorted, disjoint, inside `first..=last`).
pub fn gap_periods(first: NaiveDate, last: NaiveDate, gaps: &[(NaiveDate, NaiveDate)]) -> Periods {
    let single = gaps.len() == 1;
    let mut periods = Vec::new();
    let mut push = |name: String, from: NaiveDate, to: NaiveDate| {
        if from <= to {
            periods.push(Period { name, from, to });
        }
    };
    let mut start = first;
    for (i, &(from, to)) in gaps.iter().enumerate() {
        let n = i + 1;
        let before = if i == 0 {
            "before".to_string()
        } else {
            format!("between {} and {n}", n - 1)
        };
        push(before, start, from - Days::new(1));
        push(
            if single {
                "during".into()
            } else {
                format!("gap {n}")
            },
            from,
            to,
        );
        start = to + Days::new(1);
    }
    push("after".into(), start, last);
    Periods(periods)
}

/// How a term's Log Ratio and conservative Log Ratio (LRC; target against reference) moved
/// from one period to a later one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermChange {
    /// The earlier period.
    pub from_period: String,
    /// The later period.
    pub to_period: String,
    /// The term as shown.
    pub term: String,
    /// The counted index term.
    pub index_term: String,
    /// Its most frequent surface form (in the later period).
    pub form: String,
    /// Target and reference frequencies in the earlier period.
    pub before_freq: (u64, u64),
    /// Target and reference frequencies in the later period.
    pub after_freq: (u64, u64),
    /// Log Ratio in the earlier period.
    pub log_ratio_before: f64,
    /// Log Ratio in the later period.
    pub log_ratio_after: f64,
    /// log_ratio_after − log_ratio_before: positive = moved towards the target.
    pub change: f64,
    /// LRC in the earlier period (0 when its 95% interval spans 0).
    pub lrc_before: f64,
    /// LRC in the later period.
    pub lrc_after: f64,
    /// lrc_after − lrc_before, what the terms are ranked by: positive = moved towards the
    /// target.
    pub lrc_change: f64,
}

/// The `top` terms whose conservative Log Ratio (LRC) changed most (by absolute change; ties
/// by the Log Ratio's absolute change, then by term) between two comparisons of the same
/// sides, among the terms tested in both; a term whose LRC did not move (above all one whose
/// 95% interval spans 0 in both periods) is not listed. `earlier` and `later` must list every
/// tested term (no q filter, no `top`): a term missing from one is not compared.
///
/// Ranked by LRC rather than Log Ratio because a rare term's Log Ratio swings widely with one
/// occurrence (a zero frequency counts as 0.5), so the largest Log Ratio changes are mostly
/// terms seen a handful of times; LRC moves only as far as both periods' evidence allows.
pub fn log_ratio_changes(
    (earlier_name, earlier): (&str, &Keyness),
    (later_name, later): (&str, &Keyness),
    top: usize,
) -> Vec<TermChange> {
    let before: BTreeMap<&str, &keyness::KeyTerm> = earlier
        .terms
        .iter()
        .map(|t| (t.index_term.as_str(), t))
        .collect();
    let mut changes: Vec<TermChange> = later
        .terms
        .iter()
        .filter_map(|after| {
            let before = before.get(after.index_term.as_str())?;
            Some(TermChange {
                from_period: earlier_name.to_string(),
                to_period: later_name.to_string(),
                term: after.term.clone(),
                index_term: after.index_term.clone(),
                form: after.forms.first().unwrap_or(&after.term).clone(),
                before_freq: (before.target_freq, before.reference_freq),
                after_freq: (after.target_freq, after.reference_freq),
                log_ratio_before: before.log_ratio,
                log_ratio_after: after.log_ratio,
                change: after.log_ratio - before.log_ratio,
                lrc_before: before.lrc,
                lrc_after: after.lrc,
                lrc_change: after.lrc - before.lrc,
            })
        })
        .filter(|c| c.lrc_change != 0.0)
        .collect();
    changes.sort_by(|a, b| {
        b.lrc_change
            .abs()
            .total_cmp(&a.lrc_change.abs())
            .then_with(|| b.change.abs().total_cmp(&a.change.abs()))
            .then_with(|| a.index_term.cmp(&b.index_term))
    });
    changes.truncate(top);
    changes
}

/// A comparison listing every tested term narrowed to what a listing with `max_q` and `top`
/// would give: terms with q below `max_q`, the first `top` per direction (the full list is
/// already in rank order within each direction).
pub fn significant_top(full: &Keyness, max_q: f64, top: usize) -> Keyness {
    let mut terms = Vec::new();
    for direction in keyness::Side::BOTH {
        terms.extend(
            full.terms
                .iter()
                .filter(|t| t.direction == direction && t.q < max_q)
                .take(top)
                .cloned(),
        );
    }
    Keyness {
        target: full.target.clone(),
        reference: full.reference.clone(),
        unit: full.unit,
        terms_tested: full.terms_tested,
        bonferroni_threshold: full.bonferroni_threshold,
        max_q: Some(max_q),
        terms_significant: full.terms.iter().filter(|t| t.q < max_q).count(),
        rank: full.rank,
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cases::day as d;

    #[test]
    fn periods_parse_named_and_bare_ranges() {
        let p: Periods = "before=2021-12-20..2022-01-04, 2022-01-05..2022-01-10"
            .parse()
            .unwrap();
        assert_eq!(
            p.0,
            vec![
                Period {
                    name: "before".into(),
                    from: d("2021-12-20"),
                    to: d("2022-01-04")
                },
                Period {
                    name: "2022-01-05..2022-01-10".into(),
                    from: d("2022-01-05"),
                    to: d("2022-01-10")
                },
            ]
        );
        for bad in [
            "",
            "2022-01-05",
            "2022-01-05..",
            "x=2022-01-05..2022-13-01",
            "=2022-01-01..2022-01-02",
        ] {
            assert!(bad.parse::<Periods>().is_err(), "{bad}");
        }
        assert_eq!(
            "a=2022-01-05..2022-01-04".parse::<Periods>(),
            Err(PeriodError::Backwards("a=2022-01-05..2022-01-04".into()))
        );
        assert_eq!(
            "a=2022-01-01..2022-01-02,a=2022-01-03..2022-01-04".parse::<Periods>(),
            Err(PeriodError::Duplicate("a".into()))
        );
    }

    #[test]
    fn one_gap_gives_before_during_after_and_several_are_numbered() {
        let one = gap_periods(
            d("2022-01-01"),
            d("2022-01-20"),
            &[(d("2022-01-05"), d("2022-01-10"))],
        );
        let names: Vec<_> = one
            .0
            .iter()
            .map(|p| format!("{}={}..{}", p.name, p.from, p.to))
            .collect();
        assert_eq!(
            names,
            [
                "before=2022-01-01..2022-01-04",
                "during=2022-01-05..2022-01-10",
                "after=2022-01-11..2022-01-20"
            ]
        );
        // A gap at the very start leaves no "before"; two gaps are numbered.
        let two = gap_periods(
            d("2022-01-01"),
            d("2022-01-20"),
            &[
                (d("2022-01-01"), d("2022-01-03")),
                (d("2022-01-10"), d("2022-01-20")),
            ],
        );
        let names: Vec<_> = two.0.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["gap 1", "between 1 and 2", "gap 2"]);
    }

    #[test]
    fn a_period_narrows_the_filters_date_range() {
        use crate::timezone::Zone;
        let zone = Zone::parse("UTC").unwrap();
        let mut filters = Filters {
            zone,
            ..Filters::default()
        };
        filters.set_from("2022-01-03", zone).unwrap();
        let period = Period {
            name: "p".into(),
            from: d("2022-01-01"),
            to: d("2022-01-05"),
        };
        let narrowed = period.narrow(&filters);
        assert_eq!(
            narrowed.from.unwrap().to_rfc3339(),
            "2022-01-03T00:00:00+00:00"
        );
        assert_eq!(
            narrowed.until.unwrap().to_rfc3339(),
            "2022-01-06T00:00:00+00:00"
        );
    }
}
