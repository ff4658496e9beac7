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
    // The year, month and day written at these offsets from `start`.
    let date = |y: usize, m: usize, d: usize| {
        let year = i32::try_from(digits(start + y, 4)?)
            .ok()
            .filter(|y| *y >= 1000)?;
        NaiveDate::from_ymd_opt(year, digits(start + m, 2)?, digits(start + d, 2)?)
    };
    // YYYY-MM-DD
    if at(4) == Some(b'-') && at(7) == Some(b'-') {
        return date(0, 5, 8).map(|date| (date, start + 10));
    }
    // DD.MM.YYYY
    if at(2) == Some(b'.') && at(5) == Some(b'.') {
        return date(6, 3, 0).map(|date| (date, start + 10));
    }
    // YYYYMMDD
    date(0, 4, 6).map(|date| (date, start + 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::rows;
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

    #[test]
    fn values_with_a_time_of_day_read_as_instants() {
        let table = include_str!("../../tests/fixtures/dates/instants.tsv");
        let cases = rows(table).into_iter().map(|r| (r[0].clone(), utc(&r[1])));
        crate::cases::check(|value: String| ok(&value), cases);
    }

    #[test]
    fn wall_clock_times_are_read_in_the_zone_with_its_rules_for_that_date() {
        let table = include_str!("../../tests/fixtures/dates/zoned.tsv");
        let cases = rows(table)
            .into_iter()
            .map(|r| ((r[0].clone(), r[1].clone()), utc(&r[2])));
        crate::cases::check(
            |(value, zone): (String, String)| ok_in(&value, Zone::parse(&zone).unwrap()).at,
            cases,
        );
    }

    #[test]
    fn dates_without_time_keep_their_precision() {
        let precision = |name: &str| match name {
            "Day" => DatePrecision::Day,
            "Month" => DatePrecision::Month,
            "Year" => DatePrecision::Year,
            other => panic!("no precision {other:?}"),
        };
        let table = include_str!("../../tests/fixtures/dates/periods.tsv");
        let cases = rows(table)
            .into_iter()
            .map(|r| (r[0].clone(), (precision(&r[1]), r[2].clone())));
        crate::cases::check(|value: String| period(&value), cases);
    }

    #[test]
    fn rejections() {
        for row in rows(include_str!("../../tests/fixtures/dates/rejections.tsv")) {
            let (input, phrase) = (&row[0], &row[1]);
            let why = reason(input);
            match phrase.strip_prefix('=') {
                Some(whole) => assert_eq!(why, whole, "{input:?}"),
                None => assert!(
                    why.contains(phrase.as_str()),
                    "{input:?}: {why:?} lacks {phrase:?}"
                ),
            }
        }
        let e = parse_published("2022-02-30", kz()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unparseable date \"2022-02-30\": invalid calendar date 2022-02-30"
        );
    }

    #[test]
    fn file_names_give_a_date_anywhere_and_the_rest_as_outlet() {
        let table = include_str!("../../tests/fixtures/dates/file_names.tsv");
        let cases = rows(table).into_iter().map(|r| {
            let outlet = Some(r[1].clone()).filter(|o| !o.is_empty());
            let found = Some(r[2].as_str()).filter(|d| !d.is_empty());
            (r[0].clone(), found.map(|d| (outlet, crate::cases::day(d))))
        });
        crate::cases::check(
            |name: String| file_name_parts(&name).map(|p| (p.outlet, p.date)),
            cases,
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
