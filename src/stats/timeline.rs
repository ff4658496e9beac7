//! Timelines: documents in, output volume per group per interval and the silences (gaps)
//! of each outlet and group out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use crate::timezone::{DatePrecision, Published, Zone};
use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::stats::counts::TermExtractor;
use crate::stats::scan::Accumulator;

/// Bucket size of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Interval {
    /// Hours (corpus time zone).
    Hour,
    /// Calendar days (corpus time zone).
    #[default]
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    /// Calendar months, labelled by their first day.
    Month,
    /// Calendar years, labelled by their first day.
    Year,
}

impl Interval {
    /// Every interval, finest first.
    pub const ALL: [Interval; 5] = [
        Interval::Hour,
        Interval::Day,
        Interval::Week,
        Interval::Month,
        Interval::Year,
    ];

    /// Parses `hour`, `day`, `week`, `month` or `year`.
    pub fn parse(name: &str) -> Option<Interval> {
        Interval::ALL
            .into_iter()
            .find(|interval| interval.name() == name)
    }

    /// The name `parse` takes.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Hour => "hour",
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }

    /// The next larger bucket (a year stays a year).
    pub fn coarser(self) -> Interval {
        match self {
            Interval::Hour => Interval::Day,
            Interval::Day => Interval::Week,
            Interval::Week => Interval::Month,
            Interval::Month | Interval::Year => Interval::Year,
        }
    }

    /// How many buckets the days `first..=last` span.
    pub fn buckets(self, first: NaiveDate, last: NaiveDate) -> u64 {
        let days = (last - first).num_days().max(0) as u64 + 1;
        let months = |a: NaiveDate, b: NaiveDate| {
            (i64::from(b.year()) * 12 + i64::from(b.month0())
                - (i64::from(a.year()) * 12 + i64::from(a.month0())))
            .max(0) as u64
                + 1
        };
        match self {
            Interval::Hour => days * 24,
            Interval::Day => days,
            Interval::Week => {
                (week_start(last) - week_start(first)).num_days().max(0) as u64 / 7 + 1
            }
            Interval::Month => months(first, last),
            Interval::Year => (last.year() - first.year()).max(0) as u64 + 1,
        }
    }

    /// The finest interval, starting from `self`, that covers `first..=last` in at most
    /// `max` buckets per series (a year when none does).
    pub fn within(self, first: NaiveDate, last: NaiveDate, max: u64) -> Interval {
        let mut interval = self;
        while interval.buckets(first, last) > max && interval != Interval::Year {
            interval = interval.coarser();
        }
        interval
    }

    /// The length of one bucket.
    pub fn step(self) -> Duration {
        match self {
            Interval::Hour => Duration::hours(1),
            Interval::Day => Duration::days(1),
            Interval::Week => Duration::days(7),
            // Months and years vary in length; charts space them evenly at their mean length.
            Interval::Month => Duration::hours(730),
            Interval::Year => Duration::hours(8766),
        }
    }
}

crate::display_as_name!(Interval);

/// How documents fall into time buckets: the bucket size and the time zone of days and hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Buckets {
    /// Bucket size.
    pub interval: Interval,
    /// Time zone of hours (`doc.day` is already the day in it: see [`super::scan::scan`]).
    pub zone: Zone,
}

impl Buckets {
    /// Days in `zone` (where gaps and periods are found).
    pub fn day(zone: Zone) -> Buckets {
        Buckets {
            interval: Interval::Day,
            zone,
        }
    }

    /// The bucket label of a document: its day, the Monday of its ISO week, the first day
    /// of its month or year, or its hour (`YYYY-MM-DDTHH:00`), all in the zone. `None` when the document is not on the
    /// timeline: undated, or dated less precisely than the interval (a month or a year is on
    /// no single day or week; a day alone on no hour).
    pub fn of(&self, doc: &StoredDocument) -> Option<String> {
        self.of_date(&doc.day, doc.published)
    }

    /// [`Buckets::of`] for a document whose day in the zone is `day` (empty when it has none)
    /// and whose publication date is `published`.
    pub fn of_date(&self, day_label: &str, published: Option<Published>) -> Option<String> {
        let day = || NaiveDate::parse_from_str(day_label, "%Y-%m-%d").ok();
        match self.interval {
            Interval::Day => day().map(|_| day_label.to_string()),
            Interval::Week => day().map(|d| week_start(d).format("%Y-%m-%d").to_string()),
            // A month-precise date is on a month; a month- or year-precise one on a year.
            Interval::Month => day()
                .or_else(|| self.coarse_date(published, DatePrecision::Month))
                .map(|d| format!("{}-01", d.format("%Y-%m"))),
            Interval::Year => day()
                .or_else(|| self.coarse_date(published, DatePrecision::Month))
                .or_else(|| self.coarse_date(published, DatePrecision::Year))
                .map(|d| format!("{}-01-01", d.format("%Y"))),
            Interval::Hour => published
                .filter(|p| p.precision == DatePrecision::Time)
                .map(|p| self.zone.local(p.at).format("%Y-%m-%dT%H:00").to_string()),
        }
    }

    /// The local date of a document dated with exactly `precision` (its day is not known).
    fn coarse_date(
        &self,
        published: Option<Published>,
        precision: DatePrecision,
    ) -> Option<NaiveDate> {
        published
            .filter(|p| p.precision == precision)
            .map(|p| self.zone.local(p.at).date())
    }
}

/// Documents and tokens in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Volume {
    /// Documents.
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
}

/// Counts volumes per group and bucket, and the days each outlet and group published.
pub struct TimelineCounter<'a> {
    extractor: &'a TermExtractor,
    buckets: Buckets,
    min_gap_days: u64,
    /// Documents without a date (not on the timeline).
    undated: u64,
    /// Documents dated less precisely than the interval (not on the timeline).
    imprecise: u64,
    /// Volume per group, per bucket label.
    volume: BTreeMap<String, BTreeMap<String, Volume>>,
    /// Days with output per outlet.
    outlet_days: BTreeMap<String, BTreeSet<NaiveDate>>,
    /// Group of each outlet (the smallest label seen; outlets normally belong to one group).
    outlet_group: BTreeMap<String, String>,
    /// Days with output per group.
    group_days: BTreeMap<String, BTreeSet<NaiveDate>>,
}

impl<'a> TimelineCounter<'a> {
    /// An empty counter; tokens are counted with `extractor`, silences of at least
    /// `min_gap_days` days are gaps.
    pub fn new(extractor: &'a TermExtractor, buckets: Buckets, min_gap_days: u64) -> Self {
        TimelineCounter {
            extractor,
            buckets,
            min_gap_days,
            undated: 0,
            imprecise: 0,
            volume: BTreeMap::new(),
            outlet_days: BTreeMap::new(),
            outlet_group: BTreeMap::new(),
            group_days: BTreeMap::new(),
        }
    }
}

/// A [`TimelineCounter`]'s counts before they are finished into a [`Timeline`]: plain sums
/// and sets keyed by names, what a partial carries so shards merge into one timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineState {
    /// Documents without a date.
    pub undated: u64,
    /// Documents dated less precisely than the interval.
    pub imprecise: u64,
    /// Volume per group, per bucket label.
    pub volume: BTreeMap<String, BTreeMap<String, Volume>>,
    /// Days with output per outlet.
    pub outlet_days: BTreeMap<String, BTreeSet<NaiveDate>>,
    /// Group of each outlet (the smallest label seen).
    pub outlet_group: BTreeMap<String, String>,
    /// Days with output per group.
    pub group_days: BTreeMap<String, BTreeSet<NaiveDate>>,
}

impl<'a> TimelineCounter<'a> {
    /// The counts so far, unfinished.
    pub fn into_state(self) -> TimelineState {
        TimelineState {
            undated: self.undated,
            imprecise: self.imprecise,
            volume: self.volume,
            outlet_days: self.outlet_days,
            outlet_group: self.outlet_group,
            group_days: self.group_days,
        }
    }

    /// A counter holding `state` (from [`TimelineCounter::into_state`]), to merge or finish.
    pub fn from_state(
        extractor: &'a TermExtractor,
        buckets: Buckets,
        min_gap_days: u64,
        state: TimelineState,
    ) -> Self {
        TimelineCounter {
            undated: state.undated,
            imprecise: state.imprecise,
            volume: state.volume,
            outlet_days: state.outlet_days,
            outlet_group: state.outlet_group,
            group_days: state.group_days,
            ..TimelineCounter::new(extractor, buckets, min_gap_days)
        }
    }
}

/// What the timeline needs of a document besides its group and tokens.
#[derive(Debug, Clone, Copy)]
pub struct Dated<'d> {
    /// Outlet key.
    pub outlet: &'d str,
    /// Day in the zone asked for, `YYYY-MM-DD` (empty when it has none).
    pub day: &'d str,
    /// Publication date.
    pub published: Option<Published>,
}

impl TimelineCounter<'_> {
    /// The bucket of a document, or `None` (counted as undated or imprecise) when it is not
    /// on the timeline; its tokens need not be counted then.
    pub fn bucket(&mut self, doc: Dated) -> Option<String> {
        let bucket = self.buckets.of_date(doc.day, doc.published);
        if bucket.is_none() {
            if doc.published.is_none() {
                self.undated += 1;
            } else {
                self.imprecise += 1;
            }
        }
        bucket
    }

    /// How documents fall into buckets.
    pub fn buckets(&self) -> Buckets {
        self.buckets
    }

    /// Adds a document in `bucket` (from [`TimelineCounter::bucket`]) with `tokens` counted
    /// tokens.
    pub fn add_dated(&mut self, doc: Dated, group: &str, bucket: String, tokens: u64) {
        let one = Volume {
            documents: 1,
            tokens,
        };
        self.add_volume(doc, group, bucket, one);
    }

    /// Adds `volume` (its documents all of `group`, with the outlet and day of `doc`) in
    /// `bucket`: what adding each of them with [`TimelineCounter::add_dated`] adds.
    pub fn add_volume(&mut self, doc: Dated, group: &str, bucket: String, volume: Volume) {
        let sum = self
            .volume
            .entry(group.to_string())
            .or_default()
            .entry(bucket)
            .or_default();
        sum.documents += volume.documents;
        sum.tokens += volume.tokens;
        if let Ok(day) = NaiveDate::parse_from_str(doc.day, "%Y-%m-%d") {
            self.outlet_days
                .entry(doc.outlet.to_string())
                .or_default()
                .insert(day);
            self.group_days
                .entry(group.to_string())
                .or_default()
                .insert(day);
        }
        // The smallest label, as in `merge`: the result does not depend on document order.
        match self.outlet_group.get_mut(doc.outlet) {
            Some(label) if group < label.as_str() => *label = group.to_string(),
            Some(_) => {}
            None => {
                self.outlet_group
                    .insert(doc.outlet.to_string(), group.to_string());
            }
        }
    }
}

fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

impl Accumulator for TimelineCounter<'_> {
    type Output = Timeline;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let dated = Dated {
            outlet: &doc.outlet,
            day: &doc.day,
            published: doc.published,
        };
        if let Some(bucket) = self.bucket(dated) {
            let tokens =
                (self.extractor.count(&doc.title) + self.extractor.count(&doc.text)) as u64;
            self.add_dated(dated, group, bucket, tokens);
        }
    }

    fn merge(&mut self, other: Self) {
        self.undated += other.undated;
        self.imprecise += other.imprecise;
        for (group, buckets) in other.volume {
            let ours = self.volume.entry(group).or_default();
            for (bucket, v) in buckets {
                let entry = ours.entry(bucket).or_default();
                entry.documents += v.documents;
                entry.tokens += v.tokens;
            }
        }
        for (outlet, days) in other.outlet_days {
            self.outlet_days.entry(outlet).or_default().extend(days);
        }
        for (group, days) in other.group_days {
            self.group_days.entry(group).or_default().extend(days);
        }
        for (outlet, group) in other.outlet_group {
            // Keep the smallest label so the result does not depend on merge order.
            let entry = self
                .outlet_group
                .entry(outlet)
                .or_insert_with(|| group.clone());
            if group < *entry {
                *entry = group;
            }
        }
    }

    /// The timeline with zero buckets filled in and the gaps listed.
    fn finish(self) -> Timeline {
        let interval = self.buckets.interval;
        let all_buckets: BTreeSet<String> = self
            .volume
            .values()
            .flat_map(|b| b.keys().cloned())
            .collect();
        let filled = fill_range(&all_buckets, interval);
        let mut groups = BTreeMap::new();
        for (group, buckets) in self.volume {
            let mut series: BTreeMap<String, Volume> = filled
                .iter()
                .map(|b| (b.clone(), Volume::default()))
                .collect();
            series.extend(buckets);
            groups.insert(group, series);
        }
        let mut gaps = Vec::new();
        for (group, days) in &self.group_days {
            for (from, to, n) in gaps_in(days, self.min_gap_days) {
                gaps.push(gap(GapScope::Group, group, group, from, to, n));
            }
        }
        for (outlet, days) in &self.outlet_days {
            let group = self.outlet_group.get(outlet).cloned().unwrap_or_default();
            for (from, to, n) in gaps_in(days, self.min_gap_days) {
                gaps.push(gap(GapScope::Outlet, outlet, &group, from, to, n));
            }
        }
        let days = self.group_days.values().flatten();
        let partial = match (days.clone().min(), days.max()) {
            (Some(&first), Some(&last)) => partial_buckets(filled.iter(), interval, first, last),
            _ => Vec::new(),
        };
        Timeline {
            interval,
            groups,
            gaps,
            undated: self.undated,
            imprecise: self.imprecise,
            partial,
            totals: None,
        }
    }
}

/// Whose silence a gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GapScope {
    /// A single outlet's.
    Outlet,
    /// A whole group's.
    Group,
}

impl GapScope {
    /// `outlet` or `group`.
    pub fn name(self) -> &'static str {
        match self {
            GapScope::Outlet => "outlet",
            GapScope::Group => "group",
        }
    }
}

/// A run of days without output inside an outlet's (or group's) active range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Whose silence it is.
    pub scope: GapScope,
    /// Outlet key or group label.
    pub name: String,
    /// Group of the outlet (the group itself for group gaps).
    pub group: String,
    /// First silent day.
    pub from: String,
    /// Last silent day.
    pub to: String,
    /// Number of silent days.
    pub days: u64,
}

/// A finished timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// Bucket size.
    pub interval: Interval,
    /// Volume per group per bucket, every bucket of the whole range present (zeros included).
    pub groups: BTreeMap<String, BTreeMap<String, Volume>>,
    /// Silences of at least `min_gap_days` days.
    pub gaps: Vec<Gap>,
    /// Documents without a date: counted everywhere else, not on the timeline.
    pub undated: u64,
    /// Documents dated less precisely than the interval (a month or a year; a day alone
    /// for hours): not on the timeline either.
    pub imprecise: u64,
    /// Buckets only partly inside the days covered (the first and last day with a document
    /// on the timeline): a week or month holding fewer days for that reason alone, not a fall
    /// in output (see [`partial_buckets`]). Empty for days and hours.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<String>,
    /// For a query's timeline: each group's whole output per bucket (same filters, no
    /// query), the total its matches in `groups` are part of; absent without a query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<BTreeMap<String, BTreeMap<String, Volume>>>,
}

impl Timeline {
    /// A query's timeline (`self`) set in its groups' whole output (`whole`: the same filters
    /// without the query): every group of the whole is kept (zeros where nothing matched),
    /// every bucket of the whole's range is listed, gaps are the whole output's silences (a
    /// group that published but not about the query is not silent), and the whole's
    /// volumes are the `totals`.
    pub fn within(self, whole: Timeline) -> Timeline {
        let groups = whole
            .groups
            .iter()
            .map(|(group, series)| {
                let matched = self.groups.get(group);
                let series = series
                    .keys()
                    .map(|bucket| {
                        let v = matched.and_then(|m| m.get(bucket)).copied();
                        (bucket.clone(), v.unwrap_or_default())
                    })
                    .collect();
                (group.clone(), series)
            })
            .collect();
        Timeline {
            interval: self.interval,
            groups,
            gaps: whole.gaps,
            undated: self.undated,
            imprecise: self.imprecise,
            // The buckets are the whole's, cut by the whole's range.
            partial: whole.partial,
            totals: Some(whole.groups),
        }
    }

    /// The sentence every output prints about documents left off the timeline, if any:
    /// "3 undated documents not on the timeline; 2 dated only to the month or year".
    pub fn off_timeline_note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.undated > 0 {
            parts.push(format!(
                "{} undated document{} not on the timeline",
                self.undated,
                if self.undated == 1 { "" } else { "s" }
            ));
        }
        if self.imprecise > 0 {
            let what = match self.interval {
                Interval::Hour => "dated only to the day, month or year (no hour)",
                _ => "dated only to the month or year",
            };
            parts.push(format!(
                "{} document{} {what} not on the timeline",
                self.imprecise,
                if self.imprecise == 1 { "" } else { "s" }
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The first and last day of the bucket labelled `label` (`None` for hours, which never
/// straddle a day, and labels that are not dates).
pub fn bucket_days(label: &str, interval: Interval) -> Option<(NaiveDate, NaiveDate)> {
    let start = NaiveDate::parse_from_str(label, "%Y-%m-%d").ok()?;
    let end = match interval {
        Interval::Hour | Interval::Day => return None,
        Interval::Week => start + Duration::days(6),
        Interval::Month => {
            let next = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)?
            };
            next - Duration::days(1)
        }
        Interval::Year => NaiveDate::from_ymd_opt(start.year(), 12, 31)?,
    };
    Some((start, end))
}

/// The labels of buckets that hold `first` or `last` but reach past it: the buckets cut by
/// the range's ends. A bucket wholly outside the range (a query's days within the whole
/// corpus's timeline) is not cut, and stays drawn.
pub fn partial_buckets<'a>(
    labels: impl IntoIterator<Item = &'a String>,
    interval: Interval,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<String> {
    labels
        .into_iter()
        .filter(|label| {
            bucket_days(label, interval).is_some_and(|(start, end)| {
                (start < first && first <= end) || (start <= last && last < end)
            })
        })
        .cloned()
        .collect()
}

/// Runs of at least `min_days` missing days between the first and last day of `days`.
pub fn gaps_in(days: &BTreeSet<NaiveDate>, min_days: u64) -> Vec<(NaiveDate, NaiveDate, u64)> {
    let mut out = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for day in days {
        if let Some(prev) = previous {
            let missing = (*day - prev).num_days() - 1;
            if missing >= min_days as i64 {
                out.push((
                    prev + Duration::days(1),
                    *day - Duration::days(1),
                    missing as u64,
                ));
            }
        }
        previous = Some(*day);
    }
    out
}

fn gap(scope: GapScope, name: &str, group: &str, from: NaiveDate, to: NaiveDate, days: u64) -> Gap {
    Gap {
        scope,
        name: name.to_string(),
        group: group.to_string(),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        days,
    }
}

/// Every bucket label from the first to the last present.
pub(crate) fn fill_range(present: &BTreeSet<String>, interval: Interval) -> Vec<String> {
    let (Some(first), Some(last)) = (present.iter().next(), present.iter().next_back()) else {
        return Vec::new();
    };
    match interval {
        Interval::Day | Interval::Week | Interval::Month | Interval::Year => {
            let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            let (Some(mut day), Some(end)) = (parse(first), parse(last)) else {
                return present.iter().cloned().collect();
            };
            let next = |d: NaiveDate| match interval {
                Interval::Week => d.checked_add_days(chrono::Days::new(7)),
                Interval::Month => d.checked_add_months(chrono::Months::new(1)),
                Interval::Year => d.checked_add_months(chrono::Months::new(12)),
                _ => d.checked_add_days(chrono::Days::new(1)),
            };
            let mut out = Vec::new();
            while day <= end {
                out.push(day.format("%Y-%m-%d").to_string());
                match next(day) {
                    Some(following) => day = following,
                    None => break,
                }
            }
            out
        }
        Interval::Hour => {
            let parse = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok();
            let (Some(mut at), Some(end)) = (parse(first), parse(last)) else {
                return present.iter().cloned().collect();
            };
            let mut out = Vec::new();
            while at <= end {
                out.push(at.format("%Y-%m-%dT%H:00").to_string());
                at += Duration::hours(1);
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cases::day;

    #[test]
    fn gaps_are_runs_of_missing_days_inside_the_active_range() {
        let days: BTreeSet<NaiveDate> = ["2022-01-03", "2022-01-04", "2022-01-11", "2022-01-13"]
            .iter()
            .map(|d| day(d))
            .collect();
        // 05…10 is a six-day silence; 12 alone is below the two-day minimum.
        assert_eq!(
            gaps_in(&days, 2),
            vec![(day("2022-01-05"), day("2022-01-10"), 6)]
        );
        assert_eq!(gaps_in(&days, 1).len(), 2);
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(day("2022-01-05")), day("2022-01-03"));
        assert_eq!(week_start(day("2022-01-03")), day("2022-01-03"));
    }

    #[test]
    fn long_ranges_get_a_coarser_interval() {
        let (first, last) = (day("1900-01-01"), day("2100-12-31"));
        assert_eq!(Interval::Hour.buckets(first, last), 73_414 * 24);
        assert_eq!(Interval::Month.buckets(first, last), 201 * 12);
        // Hour, day and week all need more than 5,000 points; months do not.
        assert_eq!(Interval::Hour.within(first, last, 5_000), Interval::Month);
        assert_eq!(
            Interval::Day.within(day("2022-01-01"), day("2022-01-31"), 5_000),
            Interval::Day
        );
        assert_eq!(Interval::Day.within(first, last, 10), Interval::Year);
        let present: BTreeSet<String> = ["1999-12-01".to_string(), "2000-02-01".to_string()].into();
        assert_eq!(
            fill_range(&present, Interval::Month),
            ["1999-12-01", "2000-01-01", "2000-02-01"]
        );
    }

    #[test]
    fn ranges_are_filled() {
        let present: BTreeSet<String> = ["2022-01-01".to_string(), "2022-01-04".to_string()].into();
        assert_eq!(fill_range(&present, Interval::Day).len(), 4);
    }
}
