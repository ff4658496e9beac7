//! Publication dates: date/time strings (ISO 8601, GDELT-style compact digits, day-first
//! Russian exports, RFC 2822, unix seconds, a month or a year alone) and file-name stems in,
//! [`Published`] values (an instant with its precision) or a `DateError` out.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::timezone::{DatePrecision, Published, Zone};

/// Earliest accepted year (historical corpora: any year of the common era).
pub const MIN_YEAR: i32 = 1;
/// Latest accepted year.
pub const MAX_YEAR: i32 = 9999;

/// A publication date that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unparseable date {value:?}: {reason}")]
pub struct DateError {
    /// The value exactly as given (untrimmed).
    pub value: String,
    /// Why it was rejected, in plain words.
    pub reason: String,
}

/// Parses a publication date, keeping how precisely it is known.
///
/// Accepted (surrounding whitespace is trimmed), years 1–9999:
/// * RFC 3339 / ISO 8601 with an offset or `Z`: `2022-01-05T14:30:00+06:00`, `…T14:30:00.123Z`,
///   `…T14:30+0600`, `…T14:30:00 +06` (separator `T`, `t` or space; seconds and fraction optional);
/// * the same without an offset (`2022-01-05T14:30:00`, `2022-01-05 14:30`) — a wall-clock
///   time in `zone` (whose rules apply on that date);
/// * day-first `05.01.2022`, `5.1.2022`, `05.01.2022 14:30[:00]`, and `2022/01/05[ 14:30]`;
/// * compact digits as GDELT writes them: `20220105` (a day), `202201051430` and
///   `20220105143000` (times in `zone`);
/// * RFC 2822: `Wed, 05 Jan 2022 14:30:00 +0600` (a wrong weekday name is ignored);
/// * unix seconds (9–10 digits) and milliseconds (13 digits);
/// * a date without time (`2022-01-05`, `05.01.2022`, `20220105`) has day precision, a
///   month (`2022-01`, `2022/01`, `01.2022`) month precision, a year alone (`2022`) year
///   precision: they name a calendar period, the same in every zone (see [`Published`]).
///
/// Rejected with a reason: empty input, invalid calendar dates (`2022-02-30`, `0000-00-00`),
/// invalid times (`25:00`) or offsets, year 0, trailing text, and anything else.
pub fn parse_published(value: &str, zone: Zone) -> Result<Published, DateError> {
    parse_inner(value.trim(), zone).map_err(|reason| DateError {
        value: value.to_string(),
        reason,
    })
}

fn parse_inner(s: &str, zone: Zone) -> Result<Published, String> {
    if s.is_empty() {
        return Err("empty".to_string());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_digits(s, zone);
    }
    if let Some(local) = parse_numeric(s)? {
        return local.resolve(zone);
    }
    if let Some(dt) = parse_rfc2822(s) {
        check_year(dt.year())?;
        return Ok(Published::time(dt.with_timezone(&Utc)));
    }
    Err(
        "unrecognised format (expected ISO 8601 like 2022-01-05T14:30:00+06:00, 2022-01-05, \
         2022-01, 05.01.2022, 20220105, RFC 2822 or unix seconds)"
            .to_string(),
    )
}

fn check_year(year: i32) -> Result<(), String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(format!("year {year} is outside {MIN_YEAR}..={MAX_YEAR}"))
    }
}

/// A string of digits: a year, a compact date or time, or unix seconds / milliseconds.
fn parse_digits(s: &str, zone: Zone) -> Result<Published, String> {
    let num = |range: std::ops::Range<usize>| -> u32 {
        s.get(range)
            .and_then(|d| d.parse().ok())
            .unwrap_or(u32::MAX)
    };
    match s.len() {
        4 => {
            let year = num(0..4) as i32;
            check_year(year)?;
            let first = NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| format!("invalid year {year}"))?;
            Ok(Published::period(first, DatePrecision::Year))
        }
        8 | 12 | 14 => {
            let (year, month, day) = (num(0..4) as i32, num(4..6), num(6..8));
            check_year(year)?;
            let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
                format!("{s}: not a date YYYYMMDD (invalid calendar date {year:04}-{month:02}-{day:02})")
            })?;
            if s.len() == 8 {
                return Ok(Published::period(date, DatePrecision::Day));
            }
            let second = if s.len() == 14 { num(12..14) } else { 0 };
            let time = NaiveTime::from_hms_opt(num(8..10), num(10..12), second)
                .ok_or_else(|| format!("{s}: invalid time of day in YYYYMMDDHHMM[SS]"))?;
            Local {
                date,
                time: Some(time),
                offset: None,
                month_only: false,
            }
            .resolve(zone)
        }
        9 | 10 | 13 => {
            let value: i64 = s.parse().map_err(|_| "invalid unix time".to_string())?;
            let at = if s.len() == 13 {
                DateTime::from_timestamp_millis(value)
            } else {
                DateTime::from_timestamp(value, 0)
            }
            .ok_or_else(|| "unix time out of range".to_string())?;
            check_year(at.year())?;
            Ok(Published::time(at))
        }
        _ => Err(
            "all digits, but not a year (YYYY), a date (YYYYMMDD), a time (YYYYMMDDHHMM[SS]), \
             unix seconds (9–10 digits) or milliseconds (13)"
                .to_string(),
        ),
    }
}

/// RFC 2822 via chrono; retried without the weekday when chrono rejects it (wrong weekday names
/// are common in feeds).
fn parse_rfc2822(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt);
    }
    let (day_name, rest) = s.split_once(',')?;
    let day_name = day_name.trim();
    if day_name.len() < 3 || !day_name.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    DateTime::parse_from_rfc2822(rest.trim_start()).ok()
}

/// A date/time as written, before applying a zone.
struct Local {
    date: NaiveDate,
    /// `None` for a date without a time of day.
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
    /// True when only the month was written (`date` is its first day).
    month_only: bool,
}

impl Local {
    /// The instant: an explicit offset wins; a wall-clock time is read in `zone`; a date
    /// alone is a calendar day.
    fn resolve(self, zone: Zone) -> Result<Published, String> {
        if self.month_only {
            return Ok(Published::period(self.date, DatePrecision::Month));
        }
        let Some(time) = self.time else {
            return Ok(Published::period(self.date, DatePrecision::Day));
        };
        let naive = NaiveDateTime::new(self.date, time);
        let at = match self.offset {
            Some(offset) => naive.checked_sub_offset(offset).map(|utc| utc.and_utc()),
            None => zone.instant(naive),
        };
        at.map(Published::time)
            .ok_or_else(|| "time cannot be represented in UTC".to_string())
    }
}

/// Byte cursor over ASCII syntax; every access is bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Eats an ASCII word case-insensitively.
    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos.saturating_add(word.len());
        match self.bytes.get(self.pos..end) {
            Some(got) if got.eq_ignore_ascii_case(word.as_bytes()) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.eat(b' ') {}
        self.pos > start
    }

    /// Reads `min..=max` ASCII digits; returns (value, digit count). Nothing is consumed on failure.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let mut value: u32 = 0;
        let mut n = 0;
        while n < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value.saturating_mul(10).saturating_add(u32::from(b - b'0'));
                    self.pos += 1;
                    n += 1;
                }
                _ => break,
            }
        }
        if n < min {
            self.pos -= n;
            None
        } else {
            Some((value, n))
        }
    }

    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        self.digits(min, max).map(|(v, _)| v)
    }
}

/// Numeric date forms (`YYYY-MM-DD…`, `YYYY/MM/DD…`, `DD.MM.YYYY…`, and the months
/// `YYYY-MM`, `YYYY/MM`, `MM.YYYY`).
/// `Ok(None)`: not one of these shapes; `Err`: the shape matched but the value is invalid.
fn parse_numeric(s: &str) -> Result<Option<Local>, String> {
    let mut c = Cursor::new(s);
    let Some((first, first_len)) = c.digits(1, 4) else {
        return Ok(None);
    };
    let month_only = |year: u32, month: u32| -> Result<Option<Local>, String> {
        let year = i32::try_from(year).map_err(|_| "year out of range".to_string())?;
        check_year(year)?;
        let date = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| format!("invalid month {year:04}-{month:02}"))?;
        Ok(Some(Local {
            date,
            time: None,
            offset: None,
            month_only: true,
        }))
    };
    let (year, month, day) = match (first_len, c.peek()) {
        (4, Some(sep @ (b'-' | b'/'))) => {
            c.pos += 1;
            let month = c.num(1, 2);
            if let (Some(m), true) = (month, c.at_end()) {
                return month_only(first, m);
            }
            let same_sep = c.eat(sep);
            let day = c.num(1, 2);
            match (month, same_sep, day) {
                (Some(m), true, Some(d)) => (first, m, d),
                _ => {
                    let sep = char::from(sep);
                    return Err(format!(
                        "expected a date like YYYY{sep}MM{sep}DD or a month like YYYY{sep}MM"
                    ));
                }
            }
        }
        (1 | 2, Some(b'.')) => {
            c.pos += 1;
            let middle = c.digits(1, 4);
            if let (Some((year, 4)), true) = (middle, c.at_end()) {
                return month_only(year, first);
            }
            let dot = c.eat(b'.');
            let year = c.num(4, 4);
            match (middle, dot, year) {
                (Some((m, 1 | 2)), true, Some(y)) => (y, m, first),
                _ => {
                    return Err(
                        "expected a day-first date like DD.MM.YYYY or a month like MM.YYYY"
                            .to_string(),
                    )
                }
            }
        }
        _ => return Ok(None),
    };
    let year = i32::try_from(year).map_err(|_| "year out of range".to_string())?;
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("invalid calendar date {year:04}-{month:02}-{day:02}"))?;
    check_year(year)?;

    if c.at_end() {
        return Ok(Some(Local {
            date,
            time: None,
            offset: None,
            month_only: false,
        }));
    }
    // Separator between date and time: `T`, `t`, spaces, or a comma with optional spaces.
    let separated = c.eat(b'T') || c.eat(b't') || {
        let comma = c.eat(b',');
        c.skip_spaces() || comma
    };
    if !separated {
        return Err("unexpected text after the date".to_string());
    }
    let (time, offset) = parse_time_and_offset(&mut c)?;
    Ok(Some(Local {
        date,
        time: Some(time),
        offset,
        month_only: false,
    }))
}

/// `HH:MM[:SS[(.|,)fraction]][ ][Z|UTC|GMT|±HH[[:]MM]]`, then end of input.
fn parse_time_and_offset(c: &mut Cursor<'_>) -> Result<(NaiveTime, Option<FixedOffset>), String> {
    let (Some(hour), true, Some(minute)) = (c.num(1, 2), c.eat(b':'), c.num(2, 2)) else {
        return Err("expected a time like HH:MM after the date".to_string());
    };
    let mut second = 0;
    let mut nanos = 0;
    if c.eat(b':') {
        second = c
            .num(2, 2)
            .ok_or_else(|| "expected seconds after HH:MM:".to_string())?;
        if c.eat(b'.') || c.eat(b',') {
            let mut n = 0u32;
            while let Some(b @ b'0'..=b'9') = c.peek() {
                if n < 9 {
                    nanos += u32::from(b - b'0') * 10u32.pow(8 - n);
                }
                n += 1;
                c.pos += 1;
            }
            if n == 0 {
                return Err("expected digits after the decimal point of the seconds".to_string());
            }
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
        .ok_or_else(|| format!("invalid time of day {hour:02}:{minute:02}:{second:02}"))?;

    c.skip_spaces();
    let offset = if c.at_end() {
        None
    } else if c.eat(b'Z') || c.eat(b'z') || c.eat_word("UTC") || c.eat_word("GMT") {
        Some(FixedOffset::east_opt(0).ok_or_else(|| "invalid UTC offset".to_string())?)
    } else if let Some(sign @ (b'+' | b'-')) = c.peek() {
        c.pos += 1;
        let hours = c
            .num(2, 2)
            .ok_or_else(|| "expected an offset like +06:00".to_string())?;
        let minutes = if c.eat(b':') {
            c.num(2, 2)
                .ok_or_else(|| "expected an offset like +06:00".to_string())?
        } else {
            c.num(2, 2).unwrap_or(0)
        };
        if hours > 23 || minutes > 59 {
            return Err(format!(
                "invalid UTC offset {}{hours:02}:{minutes:02}",
                char::from(sign)
            ));
        }
        let secs = i32::try_from(hours * 3600 + minutes * 60)
            .map_err(|_| "invalid UTC offset".to_string())?;
        let secs = if sign == b'-' { -secs } else { secs };
        Some(FixedOffset::east_opt(secs).ok_or_else(|| "invalid UTC offset".to_string())?)
    } else {
        return Err("unexpected text after the time".to_string());
    };
    if !c.at_end() {
        return Err("unexpected text after the time".to_string());
    }
    Ok((time, offset))
}

/// The outlet and date a file name gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    /// The name without the date, separators trimmed; `None` when nothing is left.
    pub outlet: Option<String>,
    /// The date found in the name.
    pub date: NaiveDate,
}

/// Characters trimmed around the outlet part of a file name.
const NAME_SEPARATORS: [char; 4] = ['_', '-', '.', ' '];

/// Finds a date anywhere in a file stem — `YYYY-MM-DD`, `YYYYMMDD` or `DD.MM.YYYY`, not part
/// of a longer run of digits, the last valid one when there are several — and takes the
/// rest, separators trimmed, as the outlet: what stands before the date, or what follows it
/// when nothing does (`khabar-2022-01-07` → `khabar`; `qazaq_efiri_2022-01-09_evening` →
/// `qazaq_efiri`; `20220107_khabar` → `khabar`). `None` when the name holds no date.
pub fn file_name_parts(stem: &str) -> Option<NameParts> {
    let bytes = stem.as_bytes();
    let mut found = None;
    for start in 0..bytes.len() {
        let starts_run =
            bytes[start].is_ascii_digit() && (start == 0 || !bytes[start - 1].is_ascii_digit());
        if !starts_run {
            continue;
        }
        if let Some((date, end)) = date_at(bytes, start) {
            if bytes.get(end).is_none_or(|b| !b.is_ascii_digit()) {
                found = Some((date, start, end));
            }
        }
    }
    let (date, start, end) = found?;
    // The date is ASCII, so its ends are char boundaries.
    let before = stem.get(..start)?.trim_matches(NAME_SEPARATORS);
    let after = stem.get(end..)?.trim_matches(NAME_SEPARATORS);
    let outlet = if before.is_empty() { after } else { before };
    Some(NameParts {
        outlet: (!outlet.is_empty()).then(|| outlet.to_string()),
        date,
    })
}

/// A date written at `start` in one of the file-name shapes, and where it ends.
fn date_at(bytes: &[u8], start: usize) -> Option<(NaiveDate, usize)> {
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = bytes.get(from..from + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |v, b| v * 10 + u32::from(b - b'0')))
    };
    let at = |i: usize| bytes.get(start + i).copied();
    let make = |y: u32, m: u32, d: u32| {
        let year = i32::try_from(y).ok().filter(|y| *y >= 1000)?;
        NaiveDate::from_ymd_opt(year, m, d)
    };
    // YYYY-MM-DD
    if at(4) == Some(b'-') && at(7) == Some(b'-') {
        let (y, m, d) = (
            digits(start, 4)?,
            digits(start + 5, 2)?,
            digits(start + 8, 2)?,
        );
        return make(y, m, d).map(|date| (date, start + 10));
    }
    // DD.MM.YYYY
    if at(2) == Some(b'.') && at(5) == Some(b'.') {
        let (d, m, y) = (
            digits(start, 2)?,
            digits(start + 3, 2)?,
            digits(start + 6, 4)?,
        );
        return make(y, m, d).map(|date| (date, start + 10));
    }
    // YYYYMMDD
    let (y, m, d) = (
        digits(start, 4)?,
        digits(start + 4, 2)?,
        digits(start + 6, 2)?,
    );
    make(y, m, d).map(|date| (date, start + 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kz() -> Zone {
        Zone::parse("+06:00").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ok_in(s: &str, zone: Zone) -> Published {
        match parse_published(s, zone) {
            Ok(p) => p,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    /// The instant of a value with a time of day, in UTC+6.
    fn ok(s: &str) -> DateTime<Utc> {
        let p = ok_in(s, kz());
        assert_eq!(p.precision, DatePrecision::Time, "{s}");
        p.at
    }

    /// A value without a time of day: its precision and how it reads.
    fn period(s: &str) -> (DatePrecision, String) {
        let p = ok_in(s, kz());
        (p.precision, kz().show(&p))
    }

    fn reason(s: &str) -> String {
        match parse_published(s, kz()) {
            Ok(p) => panic!("{s:?} should be rejected, got {p:?}"),
            Err(e) => {
                assert_eq!(e.value, s);
                e.reason
            }
        }
    }

    /// Every input is rejected with a reason containing its phrase.
    fn rejected_with(cases: &[(&str, &str)]) {
        for &(input, phrase) in cases {
            let why = reason(input);
            assert!(why.contains(phrase), "{input:?}: {why:?} lacks {phrase:?}");
        }
    }

    /// (precision, reading) for a value without a time of day.
    fn read_as(precision: DatePrecision, reading: &str) -> (DatePrecision, String) {
        (precision, reading.to_string())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // Repeated shape: test cases, one (input, expected instant) row each.
    #[test]
    fn values_with_a_time_of_day_read_as_instants() {
        crate::cases::check(
            ok,
            [
                // RFC 3339 and ISO 8601 with an offset.
                ("2022-01-05T14:30:00+06:00", utc("2022-01-05T08:30:00Z")),
                ("2022-01-05T14:30:00Z", utc("2022-01-05T14:30:00Z")),
                ("2022-01-05t14:30:00z", utc("2022-01-05T14:30:00Z")),
                (
                    "2022-01-05T14:30:00.123+06:00",
                    utc("2022-01-05T08:30:00.123Z"),
                ),
                ("2022-01-05T14:30:00,5Z", utc("2022-01-05T14:30:00.5Z")),
                (
                    "2022-01-05T14:30:00.1234567891234Z",
                    utc("2022-01-05T14:30:00.123456789Z"),
                ),
                ("2022-01-05T14:30:00-03:30", utc("2022-01-05T18:00:00Z")),
                ("2022-01-05T14:30+0600", utc("2022-01-05T08:30:00Z")),
                ("2022-01-05 14:30:00 +06", utc("2022-01-05T08:30:00Z")),
                ("2022-01-05 14:30:00 UTC", utc("2022-01-05T14:30:00Z")),
                ("  2022-01-05T14:30:00+06:00\n", utc("2022-01-05T08:30:00Z")),
                // Wall-clock times are read in the zone (UTC+6 here).
                ("2022-01-05T14:30:00", utc("2022-01-05T08:30:00Z")),
                ("2022-01-05 14:30", utc("2022-01-05T08:30:00Z")),
                // Compact GDELT timestamps.
                ("20220105141500", utc("2022-01-05T08:15:00Z")),
                ("202201051415", utc("2022-01-05T08:15:00Z")),
                // Day first, and slashes.
                ("05.01.2022 14:30", utc("2022-01-05T08:30:00Z")),
                ("05.01.2022, 14:30:15", utc("2022-01-05T08:30:15Z")),
                ("2022/01/05 14:30", utc("2022-01-05T08:30:00Z")),
                // RFC 2822; a wrong weekday (5 Jan 2022 was a Wednesday) is tolerated.
                (
                    "Wed, 05 Jan 2022 14:30:00 +0600",
                    utc("2022-01-05T08:30:00Z"),
                ),
                ("05 Jan 2022 14:30:00 GMT", utc("2022-01-05T14:30:00Z")),
                (
                    "Mon, 05 Jan 2022 14:30:00 +0600",
                    utc("2022-01-05T08:30:00Z"),
                ),
                // Unix seconds and milliseconds.
                ("1641371400", utc("2022-01-05T08:30:00Z")),
                ("946684800", utc("2000-01-01T00:00:00Z")),
                ("1641371400123", utc("2022-01-05T08:30:00.123Z")),
                // Historical years.
                ("1850-01-05 12:00:00Z", utc("1850-01-05T12:00:00Z")),
                (
                    "Wed, 05 Jan 1850 14:30:00 +0600",
                    utc("1850-01-05T08:30:00Z"),
                ),
            ],
        );
    }

    #[test]
    fn wall_clock_times_are_read_in_the_zone_with_its_rules_for_that_date() {
        crate::cases::check(
            |(value, zone)| ok_in(value, Zone::parse(zone).unwrap()).at,
            [
                // Almaty moved from UTC+6 to UTC+5 on 1 March 2024.
                (
                    ("2024-02-29 14:30", "Asia/Almaty"),
                    utc("2024-02-29T08:30:00Z"),
                ),
                (
                    ("2024-03-01 14:30", "Asia/Almaty"),
                    utc("2024-03-01T09:30:00Z"),
                ),
                (("2022-01-05 14:30", "-05:00"), utc("2022-01-05T19:30:00Z")),
                (("20220105141500", "UTC"), utc("2022-01-05T14:15:00Z")),
                // An explicit offset always wins over the zone.
                (
                    ("2022-01-05T14:30:00Z", "Pacific/Honolulu"),
                    utc("2022-01-05T14:30:00Z"),
                ),
                // A calendar day is the day written, whatever the zone.
                (
                    ("2022-01-05", "Pacific/Kiritimati"),
                    utc("2022-01-05T12:00:00Z"),
                ),
            ],
        );
    }

    #[test]
    fn dates_without_time_keep_their_precision() {
        use DatePrecision::{Day, Month, Year};
        crate::cases::check(
            period,
            [
                ("2022-01-05", read_as(Day, "2022-01-05")),
                ("05.01.2022", read_as(Day, "2022-01-05")),
                ("5.1.2022", read_as(Day, "2022-01-05")),
                ("2022/01/05", read_as(Day, "2022-01-05")),
                ("20220105", read_as(Day, "2022-01-05")),
                // 31.01 is day-first, never month-first.
                ("31.01.2022", read_as(Day, "2022-01-31")),
                ("2024-02-29", read_as(Day, "2024-02-29")),
                ("2022-01", read_as(Month, "2022-01")),
                ("2022/1", read_as(Month, "2022-01")),
                ("01.2022", read_as(Month, "2022-01")),
                ("2022", read_as(Year, "2022")),
                // Historical years.
                ("1790", read_as(Year, "1790")),
                ("1790-07-04", read_as(Day, "1790-07-04")),
                ("0001-01-01", read_as(Day, "0001-01-01")),
                ("9999-12-31", read_as(Day, "9999-12-31")),
            ],
        );
    }

    #[test]
    fn rejections() {
        crate::cases::check(
            reason,
            [
                ("", "empty"),
                ("   ", "empty"),
                ("2022-02-30", "invalid calendar date 2022-02-30"),
                ("0000-00-00", "invalid calendar date 0000-00-00"),
                ("0000", "year 0 is outside 1..=9999"),
            ],
        );
        rejected_with(&[
            ("2022-13", "invalid month"),
            ("2022-01-05T25:00:00Z", "invalid time"),
            ("2022-01-05T23:60", "invalid time"),
            ("2022-01-05T14:30:00+24:00", "offset"),
            ("2022-01-05T14:30:00+06:00 extra", "unexpected text"),
            ("2022-01-05X", "unexpected text after the date"),
            ("2022-01-05 noon", "expected a time"),
            ("2022-01/05", "YYYY-MM-DD"),
            ("05.01.22", "DD.MM.YYYY"),
            ("yesterday", "unrecognised"),
            ("5 января 2022", "unrecognised"),
            ("-1641371400", "unrecognised"),
            // Not a leap year; month-first is never read.
            ("2023-02-29", "invalid calendar date"),
            ("01.31.2022", "invalid calendar date"),
            // Compact timestamps.
            ("20220230", "not a date YYYYMMDD"),
            ("20220105251500", "invalid time"),
            ("12345678901", "all digits"),
            ("12345678901", "unix"),
            ("202201", "all digits"),
        ]);
        let e = parse_published("2022-02-30", kz()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unparseable date \"2022-02-30\": invalid calendar date 2022-02-30"
        );
    }

    #[test]
    fn file_names_give_a_date_anywhere_and_the_rest_as_outlet() {
        let some = |o: &str, y, m, d| Some((Some(o.to_string()), date(y, m, d)));
        crate::cases::check(
            |s| file_name_parts(s).map(|p| (p.outlet, p.date)),
            [
                (
                    "qazaq_efiri_2022-01-09_evening",
                    some("qazaq_efiri", 2022, 1, 9),
                ),
                ("khabar-2022-01-07", some("khabar", 2022, 1, 7)),
                ("khabar_20220107", some("khabar", 2022, 1, 7)),
                ("khabar 07.01.2022", some("khabar", 2022, 1, 7)),
                ("2022-01-07_khabar", some("khabar", 2022, 1, 7)),
                ("хабар_24_2022-01-10_утро", some("хабар_24", 2022, 1, 10)),
                // The last valid date wins; an invalid one is passed over.
                (
                    "a_2022-01-09_2022-01-10_rerun",
                    some("a_2022-01-09", 2022, 1, 10),
                ),
                ("tv_2022-01-09_2022-02-30", some("tv", 2022, 1, 9)),
                ("2022-01-07", Some((None, date(2022, 1, 7)))),
                // Digits inside a longer run are not a date.
                ("id_120220107", None),
                ("2022-01-091", None),
                ("khabar_evening", None),
                ("", None),
            ],
        );
    }

    proptest! {
        /// Every valid date and time written as ISO 8601, day-first or with slashes reads
        /// back as chrono computes it; invalid ones are rejected as invalid.
        #[test]
        fn written_dates_match_chrono(
            y in 1i32..=9999, m in 1u32..=12, d in 1u32..=31,
            h in 0u32..24, mi in 0u32..60, s in 0u32..60,
            quarter_hours in -72i32..=72,
        ) {
            let off = quarter_hours * 15;
            let (sign, abs) = if off < 0 { ('-', -off) } else { ('+', off) };
            let zone = Zone::parse(&format!("{sign}{:02}:{:02}", abs / 60, abs % 60)).unwrap();
            let expected = NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|date| date.and_hms_opt(h, mi, s))
                .map(|n| n.and_utc() - chrono::TimeDelta::minutes(i64::from(off)));
            let iso = format!(
                "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
                abs / 60,
                abs % 60
            );
            let day_first = format!("{d:02}.{m:02}.{y:04} {h:02}:{mi:02}:{s:02}");
            let slash = format!("{y:04}/{m}/{d} {h}:{mi:02}:{s:02}");
            let compact = format!("{y:04}{m:02}{d:02}{h:02}{mi:02}{s:02}");
            for text in [iso, day_first, slash, compact] {
                match (parse_published(&text, zone), expected) {
                    (Ok(got), Some(want)) => prop_assert_eq!(got.at, want, "{}", text),
                    (Err(e), None) => prop_assert!(
                        e.reason.contains("invalid calendar date") || e.reason.contains("not a date"),
                        "{}", e
                    ),
                    (got, want) => prop_assert!(false, "{text}: got {got:?}, want {want:?}"),
                }
            }
        }

        /// Garbage never panics; what parses has a year in range and shows as it was read.
        #[test]
        fn never_panics_on_garbage(
            pieces in proptest::collection::vec(prop_oneof![
                Just("2022"), Just("-"), Just("/"), Just("."), Just(":"), Just("01"), Just("31"),
                Just("T"), Just(" "), Just("Z"), Just("+06:00"), Just("-9"), Just("99"),
                Just(","), Just("0"), Just("Wed, "), Just("Jan"), Just("_"), Just("ё"),
                Just("\u{feff}"), Just("GMT"), Just("UTC"), Just("1641371400"), Just("\t"),
                Just("20220105"), Just("ж_"),
            ], 0..10),
            zone in prop_oneof![Just("Asia/Almaty"), Just("UTC"), Just("-12:00"), Just("+14:00")],
        ) {
            let s = pieces.concat();
            let zone = Zone::parse(zone).unwrap();
            if let Ok(p) = parse_published(&s, zone) {
                // Offsets move an instant at most a day past the year range.
                prop_assert!((MIN_YEAR - 1..=MAX_YEAR + 1).contains(&p.at.year()), "{s:?}");
                prop_assert!(!zone.show(&p).is_empty());
            }
            if let Some(parts) = file_name_parts(&s) {
                prop_assert!(parts.outlet.is_none_or(|o| !o.is_empty() && s.contains(&o)));
            }
        }
    }
}
