//! Time zones and publication dates: a zone name (`Asia/Almaty`, `UTC`, `+06:00`) in, one
//! typed [`Zone`] out, parsed once at the edge and used by ingest, filters and every output;
//! and the one function that shows a publication time to people ([`Zone::show`]).
//!
//! IANA zones apply their rules per date (Asia/Almaty was UTC+6 until 2024-03-01 and UTC+5
//! after), through the tz database compiled into `chrono-tz`.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone,
    Timelike, Utc,
};
use serde::{Deserialize, Serialize};

/// A time zone: a fixed offset from UTC or an IANA zone with its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset (`+06:00`, `UTC`).
    Fixed(FixedOffset),
    /// An IANA zone (`Asia/Almaty`), whose offset depends on the date.
    Named(chrono_tz::Tz),
}

/// The zone a new index uses unless `--timezone` says otherwise: Kazakhstan's.
pub const DEFAULT_ZONE: Zone = Zone::Named(chrono_tz::Tz::Asia__Almaty);

impl Default for Zone {
    fn default() -> Zone {
        DEFAULT_ZONE
    }
}

/// A time zone that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name like Asia/Almaty or UTC, or a fixed offset like +06:00 or -03:30")]
pub struct ZoneError(pub String);

/// How precisely a publication date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// A time of day is known (to the second or minute).
    Time,
    /// Only the calendar day.
    Day,
    /// Only the month.
    Month,
    /// Only the year.
    Year,
}

impl DatePrecision {
    /// Stable name: `time`, `day`, `month`, `year`.
    pub fn name(self) -> &'static str {
        match self {
            DatePrecision::Time => "time",
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }

    /// Parses a name written by [`DatePrecision::name`].
    pub fn parse(name: &str) -> Option<DatePrecision> {
        match name {
            "time" => Some(DatePrecision::Time),
            "day" => Some(DatePrecision::Day),
            "month" => Some(DatePrecision::Month),
            "year" => Some(DatePrecision::Year),
            _ => None,
        }
    }

    /// The number stored in the index (0 = time … 3 = year).
    pub fn code(self) -> u64 {
        self as u64
    }

    /// The precision of a stored number.
    pub fn from_code(code: u64) -> Option<DatePrecision> {
        match code {
            0 => Some(DatePrecision::Time),
            1 => Some(DatePrecision::Day),
            2 => Some(DatePrecision::Month),
            3 => Some(DatePrecision::Year),
            _ => None,
        }
    }
}

/// A publication date with its precision.
///
/// A date without a time of day (a day, a month, a year) names a calendar period, not an
/// instant, and is the same period in every zone; it is stored at 12:00 UTC of its first day,
/// which falls on that day in every zone from UTC−11 to UTC+11, so date filters and sorting
/// treat it as that day wherever the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Published {
    /// The instant (for a date without time: 12:00 UTC of its first day).
    pub at: DateTime<Utc>,
    /// How precisely it is known.
    pub precision: DatePrecision,
}

impl Published {
    /// An instant known to the second.
    pub fn time(at: DateTime<Utc>) -> Published {
        Published {
            at,
            precision: DatePrecision::Time,
        }
    }

    /// A calendar period starting on `first_day` with the given precision (day, month, year).
    pub fn period(first_day: NaiveDate, precision: DatePrecision) -> Published {
        Published {
            at: first_day
                .and_hms_opt(12, 0, 0)
                .unwrap_or_default()
                .and_utc(),
            precision,
        }
    }

    /// This date's day in `zone` as `YYYY-MM-DD` (see [`Published::day`]).
    pub fn day_label(&self, zone: Zone) -> Option<String> {
        self.day(zone).map(iso_day)
    }

    /// The calendar day this date falls on in `zone`; `None` for a month or a year, which
    /// are on no single day.
    pub fn day(&self, zone: Zone) -> Option<NaiveDate> {
        match self.precision {
            DatePrecision::Time => Some(zone.local(self.at).date()),
            DatePrecision::Day => Some(self.at.date_naive()),
            DatePrecision::Month | DatePrecision::Year => None,
        }
    }
}

/// `day` as `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it, without parsing the format
/// for every date (the report labels a million documents' days): years outside 0–9999,
/// which chrono writes with a sign, go through chrono.
pub fn iso_day(day: NaiveDate) -> String {
    let year = day.year();
    if !(0..=9999).contains(&year) {
        return day.format("%Y-%m-%d").to_string();
    }
    format!("{year:04}-{:02}-{:02}", day.month(), day.day())
}

impl Zone {
    /// Parses `Asia/Almaty` (any letter case), `UTC`, `Z`, `GMT`, `+06:00`, `-03:30`,
    /// `+0600`, `+6` or `UTC+6`.
    pub fn parse(value: &str) -> Result<Zone, ZoneError> {
        let trimmed = value.trim();
        let bad = || ZoneError(value.to_string());
        if ["z", "utc", "gmt", "0"]
            .iter()
            .any(|n| trimmed.eq_ignore_ascii_case(n))
        {
            return Ok(Zone::Fixed(FixedOffset::east_opt(0).ok_or_else(bad)?));
        }
        let offset = trimmed
            .strip_prefix("UTC")
            .or_else(|| trimmed.strip_prefix("utc"))
            .or_else(|| trimmed.strip_prefix("GMT"))
            .unwrap_or(trimmed);
        if offset.starts_with(['+', '-']) {
            return parse_offset(offset).map(Zone::Fixed).ok_or_else(bad);
        }
        if let Ok(tz) = chrono_tz::Tz::from_str(trimmed) {
            return Ok(Zone::Named(tz));
        }
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(trimmed))
            .map(|tz| Zone::Named(*tz))
            .ok_or_else(bad)
    }

    /// The zone's name as it is parsed back: `Asia/Almaty`, `UTC` or `+06:00`.
    pub fn name(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(offset) if offset.local_minus_utc() == 0 => "UTC".to_string(),
            Zone::Fixed(offset) => format_offset(offset.local_minus_utc()),
        }
    }

    /// The offset in force at `at`.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&at.naive_utc()).fix(),
        }
    }

    /// Local wall-clock time of `at` in this zone.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + self.offset_at(at)
    }

    /// The instant of a local wall-clock time. A time skipped by a clock change is moved
    /// forward by the change; one that occurs twice is taken at its first occurrence.
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let resolve = |result: LocalResult<DateTime<Utc>>| match result {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at),
            LocalResult::None => None,
        };
        let at = |local: NaiveDateTime| match self {
            Zone::Fixed(offset) => resolve(
                offset
                    .from_local_datetime(&local)
                    .map(|t| t.with_timezone(&Utc)),
            ),
            Zone::Named(tz) => resolve(
                tz.from_local_datetime(&local)
                    .map(|t| t.with_timezone(&Utc)),
            ),
        };
        // In a gap the wall clock jumped over this time: the same time an hour later exists
        // (clock changes of more than an hour are not in the tz database since 1945).
        at(local).or_else(|| at(local + chrono::Duration::hours(1)))
    }

    /// A publication date as people read it, in this zone with the offset printed:
    /// `2022-01-05T14:30+06:00` (seconds shown when not zero), and a date without time as
    /// written: `2022-01-05`, `2022-01`, `2022`. Every output shows dates through here.
    pub fn show(&self, published: &Published) -> String {
        match published.precision {
            DatePrecision::Time => {
                let offset = self.offset_at(published.at);
                let local = published.at.naive_utc() + offset;
                let seconds = if local.second() == 0 {
                    String::new()
                } else {
                    format!(":{:02}", local.second())
                };
                format!(
                    "{}{seconds}{}",
                    local.format("%Y-%m-%dT%H:%M"),
                    format_offset(offset.local_minus_utc())
                )
            }
            DatePrecision::Day => published.at.format("%Y-%m-%d").to_string(),
            DatePrecision::Month => {
                format!("{:04}-{:02}", published.at.year(), published.at.month())
            }
            DatePrecision::Year => format!("{:04}", published.at.year()),
        }
    }

    /// [`Zone::show`] for a stored date that may be missing (`""` when undated).
    pub fn show_opt(&self, published: Option<&Published>) -> String {
        published.map(|p| self.show(p)).unwrap_or_default()
    }

    /// A short label for headings: `Asia/Almaty`, or `UTC+06:00` for a fixed offset.
    pub fn label(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(offset) => format!("UTC{}", format_offset(offset.local_minus_utc())),
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for Zone {
    type Err = ZoneError;

    fn from_str(s: &str) -> Result<Zone, ZoneError> {
        Zone::parse(s)
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Zone, D::Error> {
        let name = String::deserialize(deserializer)?;
        Zone::parse(&name).map_err(serde::de::Error::custom)
    }
}

/// `+06:00`, `-03:30` for an offset in seconds east of UTC.
pub fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `+06:00`, `-0330`, `+6`, `+06` → the offset; at most ±18 hours.
fn parse_offset(value: &str) -> Option<FixedOffset> {
    let (sign, rest) = match value.as_bytes().first()? {
        b'+' => (1, &value[1..]),
        b'-' => (-1, &value[1..]),
        _ => return None,
    };
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    if hours.is_empty() || hours.len() > 2 || minutes.is_empty() || minutes.len() > 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if hours > 18 || minutes >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wall-clock time `YYYY-MM-DD HH:MM`.
    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn iso_day_writes_what_chrono_writes_for_every_year_edge_and_day() {
        let chrono = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        // Every day of a leap and a common year, and the edges of the four-digit years.
        let mut days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2023, 12, 31)
            .unwrap()
            .iter_days()
            .take(367)
            .collect();
        for year in [
            -10_000, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 1899, 9999, 10_000, 123_456,
        ] {
            days.push(NaiveDate::from_ymd_opt(year, 1, 1).unwrap());
            days.push(NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
        }
        for day in days {
            assert_eq!(iso_day(day), chrono(day), "{day:?}");
        }
        assert_eq!(
            iso_day(NaiveDate::from_ymd_opt(7, 3, 9).unwrap()),
            "0007-03-09"
        );
        assert_eq!(
            iso_day(NaiveDate::from_ymd_opt(2022, 1, 5).unwrap()),
            "2022-01-05"
        );
    }

    /// Each `(zone, wall-clock time)` is the instant given in RFC 3339.
    fn instants(cases: &[((&str, &str), &str)]) {
        crate::cases::check(
            |(zone, wall): (&str, &str)| Zone::parse(zone).unwrap().instant(local(wall)),
            cases.iter().map(|&(input, at)| (input, Some(utc(at)))),
        );
    }

    #[test]
    fn names_and_offsets_parse() {
        crate::cases::check(
            |zone| Zone::parse(zone).unwrap().name(),
            [
                ("Asia/Almaty", "Asia/Almaty"),
                ("asia/almaty", "Asia/Almaty"),
                ("UTC", "UTC"),
                ("Z", "UTC"),
                ("+06:00", "+06:00"),
                ("-03:30", "-03:30"),
                ("+0530", "+05:30"),
                ("+6", "+06:00"),
                ("UTC+5", "+05:00"),
            ],
        );
        for bad in ["06:00", "+25:00", "Mars/Olympus", "", "+6:75", "Asia"] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
        let zone: Zone = "Europe/Moscow".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&zone).unwrap(),
            "\"Europe/Moscow\"",
            "serialized by name"
        );
    }

    #[test]
    fn almaty_moved_from_utc6_to_utc5_on_2024_03_01() {
        let almaty = Zone::parse("Asia/Almaty").unwrap();
        let before = utc("2024-02-29T12:00:00Z");
        let after = utc("2024-03-01T12:00:00Z");
        assert_eq!(almaty.offset_at(before).local_minus_utc(), 6 * 3600);
        assert_eq!(almaty.offset_at(after).local_minus_utc(), 5 * 3600);
        // The same wall-clock time is a different instant on either side of the change.
        instants(&[
            (("Asia/Almaty", "2022-01-05 14:30"), "2022-01-05T08:30:00Z"),
            (("Asia/Almaty", "2025-01-05 14:30"), "2025-01-05T09:30:00Z"),
        ]);
        // Before 1924 Almaty kept local mean time (+05:07:48).
        assert_eq!(
            almaty
                .offset_at(utc("1900-01-01T00:00:00Z"))
                .local_minus_utc(),
            5 * 3600 + 7 * 60 + 48
        );
    }

    #[test]
    fn clock_changes_resolve_predictably() {
        instants(&[
            // 02:30 on 2022-03-27 does not exist in Berlin: moved forward an hour (03:30 CEST).
            (
                ("Europe/Berlin", "2022-03-27 02:30"),
                "2022-03-27T01:30:00Z",
            ),
            // 02:30 on 2022-10-30 happens twice: the first (CEST, UTC+2).
            (
                ("Europe/Berlin", "2022-10-30 02:30"),
                "2022-10-30T00:30:00Z",
            ),
        ]);
    }

    #[test]
    fn showing_a_date_prints_the_offset_or_the_precision() {
        let almaty = Zone::parse("Asia/Almaty").unwrap();
        let at = Published::time(utc("2022-01-05T08:30:00Z"));
        assert_eq!(almaty.show(&at), "2022-01-05T14:30+06:00");
        assert_eq!(
            Zone::parse("UTC").unwrap().show(&at),
            "2022-01-05T08:30+00:00"
        );
        let seconds = Published::time(utc("2025-06-01T00:00:07Z"));
        assert_eq!(almaty.show(&seconds), "2025-06-01T05:00:07+05:00");
        let day = NaiveDate::from_ymd_opt(1790, 3, 4).unwrap();
        for (precision, shown) in [
            (DatePrecision::Day, "1790-03-04"),
            (DatePrecision::Month, "1790-03"),
            (DatePrecision::Year, "1790"),
        ] {
            let p = Published::period(day, precision);
            // A calendar period reads the same in every zone.
            for zone in ["Pacific/Honolulu", "Asia/Almaty", "-11:00", "+11:00"] {
                assert_eq!(Zone::parse(zone).unwrap().show(&p), shown, "{zone}");
            }
        }
    }

    #[test]
    fn days_depend_on_the_zone_only_for_times() {
        let at = Published::time(utc("2022-01-05T20:00:00Z"));
        let almaty = Zone::parse("Asia/Almaty").unwrap();
        let utc_zone = Zone::parse("UTC").unwrap();
        assert_eq!(almaty.local(at.at).date().to_string(), "2022-01-06");
        assert_eq!(at.day(almaty).unwrap().to_string(), "2022-01-06");
        assert_eq!(at.day(utc_zone).unwrap().to_string(), "2022-01-05");
        let day = Published::period(
            NaiveDate::from_ymd_opt(2022, 1, 5).unwrap(),
            DatePrecision::Day,
        );
        for zone in [almaty, utc_zone, Zone::parse("-10:00").unwrap()] {
            assert_eq!(day.day(zone).unwrap().to_string(), "2022-01-05");
        }
        let month = Published::period(day.at.date_naive(), DatePrecision::Month);
        assert_eq!(month.day(almaty), None);
    }

    #[test]
    fn precision_codes_round_trip() {
        for p in [
            DatePrecision::Time,
            DatePrecision::Day,
            DatePrecision::Month,
            DatePrecision::Year,
        ] {
            assert_eq!(DatePrecision::from_code(p.code()), Some(p));
            assert_eq!(DatePrecision::parse(p.name()), Some(p));
        }
        assert_eq!(DatePrecision::from_code(9), None);
    }
}
