//! Buckets only partly inside the timeline's range, and gap bands cut to whole buckets.
//!
//! A week or month of which only some days lie between the first and the last day covered
//! holds fewer documents for that reason alone: drawn as a point it looks like a fall in
//! output. Such buckets are left out of the chart's lines and named in its caption. A gap
//! band covers only buckets that lie wholly inside the silence, so it never shades a week in
//! which the group published.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::report::data::ReportData;

// The rule lives with the timeline (`stats timeline` marks the same buckets).
pub use crate::stats::timeline::{bucket_days, partial_buckets};

impl ReportData {
    /// The timeline's buckets only partly inside the days the report covers.
    pub fn partial_buckets(&self) -> Vec<String> {
        let day = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        let (Some(first), Some(last)) = (
            day(&self.overview.days.first_day),
            day(&self.overview.days.last_day),
        ) else {
            return Vec::new();
        };
        let labels = self.timeline.groups.values().next();
        partial_buckets(
            labels.into_iter().flat_map(|s| s.keys()),
            self.question.interval,
            first,
            last,
        )
    }
}

/// The part of `from..until` made of whole buckets (`starts`: each bucket's start, sorted;
/// `step`: the length of the last one), or `None` when no bucket lies wholly inside.
pub fn whole_buckets(
    starts: &[NaiveDateTime],
    step: Duration,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let first = starts.iter().copied().find(|s| *s >= from)?;
    let mut ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain(starts.last().map(|l| *l + step));
    let end = ends.rfind(|e| *e <= until)?;
    (first < end).then_some((first, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::timeline::Interval;

    use crate::cases::{check, day as d};

    fn t(s: &str) -> NaiveDateTime {
        d(s).and_hms_opt(0, 0, 0).unwrap()
    }

    #[test]
    fn weeks_and_months_reaching_past_the_range_are_partial() {
        // 2021-12-20 and 2022-01-17 are Mondays.
        let weeks = ["2021-12-20", "2021-12-27", "2022-01-17"].as_slice();
        let months = ["2021-12-01", "2022-01-01", "2022-02-01"].as_slice();
        check(
            |(buckets, interval, from, to): (&[&str], Interval, &str, &str)| {
                let buckets: Vec<String> = buckets.iter().map(|b| b.to_string()).collect();
                partial_buckets(&buckets, interval, d(from), d(to))
            },
            [
                // The range ends on Thursday 2022-01-20.
                (
                    (weeks, Interval::Week, "2021-12-20", "2022-01-20"),
                    vec!["2022-01-17"],
                ),
                // Starting on a Tuesday makes the first week partial too.
                (
                    (weeks, Interval::Week, "2021-12-21", "2022-01-23"),
                    vec!["2021-12-20"],
                ),
                (
                    (months, Interval::Month, "2021-12-01", "2022-02-27"),
                    vec!["2022-02-01"],
                ),
                (
                    (months, Interval::Month, "2021-12-01", "2022-02-28"),
                    vec![],
                ),
                // A week wholly before the range is not cut by it (a query's days inside the
                // whole corpus's timeline): only the week holding the first day is.
                (
                    (weeks, Interval::Week, "2022-01-02", "2022-01-23"),
                    vec!["2021-12-27"],
                ),
                // Days are never partial.
                ((weeks, Interval::Day, "2022-01-01", "2022-01-01"), vec![]),
            ],
        );
    }

    #[test]
    fn a_band_covers_only_whole_buckets_inside_the_gap() {
        let weeks: Vec<NaiveDateTime> = ["2021-12-27", "2022-01-03", "2022-01-10", "2022-01-17"]
            .map(t)
            .to_vec();
        let week = Duration::days(7);
        // Silent Wednesday 5th to Monday 10th: the weeks of the 3rd and the 10th both had
        // output, so no band.
        assert_eq!(
            whole_buckets(&weeks, week, t("2022-01-05"), t("2022-01-11")),
            None
        );
        // Silent from Monday 3rd to Sunday 16th: two whole weeks.
        assert_eq!(
            whole_buckets(&weeks, week, t("2022-01-03"), t("2022-01-17")),
            Some((t("2022-01-03"), t("2022-01-17")))
        );
        // Days: the band is the gap itself.
        let days: Vec<NaiveDateTime> = (0..10)
            .map(|i| t("2022-01-01") + Duration::days(i))
            .collect();
        assert_eq!(
            whole_buckets(&days, Duration::days(1), t("2022-01-05"), t("2022-01-07")),
            Some((t("2022-01-05"), t("2022-01-07")))
        );
    }
}
