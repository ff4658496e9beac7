//! Publication timestamps: takes date/time strings (ISO 8601, day-first Russian exports, RFC 2822,
//! unix seconds) and file-name stems, gives out UTC `DateTime`s and `NaiveDate`s or a `DateError`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Earliest accepted publication year.
const MIN_YEAR: i32 = 1900;
/// Latest accepted publication year.
const MAX_YEAR: i32 = 2100;

/// A publication date that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unparseable date {value:?}: {reason}")]
pub struct DateError {
    /// The value exactly as given (untrimmed).
    pub value: String,
    /// Why it was rejected, in plain words.
    pub reason: String,
}

/// Parses a publication date/time into UTC.
///
/// Accepted (surrounding whitespace is trimmed):
/// * RFC 3339 / ISO 8601 with an offset or `Z`: `2022-01-05T14:30:00+06:00`, `…T14:30:00.123Z`,
///   `…T14:30+0600`, `…T14:30:00 +06` (separator `T`, `t` or space; seconds and fraction optional);
/// * the same without an offset (`2022-01-05T14:30:00`, `2022-01-05 14:30`) — taken in
///   `default_offset_minutes` east of UTC (Kazakhstan: `360`);
/// * a date alone (`2022-01-05`) — 00:00 in the default offset;
/// * day-first `05.01.2022`, `5.1.2022`, `05.01.2022 14:30[:00]`, and `2022/01/05[ 14:30]`
///   (default offset unless an offset follows the time);
/// * RFC 2822: `Wed, 05 Jan 2022 14:30:00 +0600` (a wrong weekday name is ignored);
/// * unix seconds: 9–10 ASCII digits.
///
/// Rejected with a reason: empty input, invalid calendar dates (`2022-02-30`, `0000-00-00`), invalid
/// times (`25:00`) or offsets, years (as written, or in UTC for unix seconds) outside 1900..=2100,
/// trailing text, and anything else. An out-of-range `default_offset_minutes` (|offset| ≥ 24 h) is
/// an error only for inputs that need it.
pub fn parse_published(
    value: &str,
    default_offset_minutes: i32,
) -> Result<DateTime<Utc>, DateError> {
    parse_inner(value.trim(), default_offset_minutes).map_err(|reason| DateError {
        value: value.to_string(),
        reason,
    })
}

fn parse_inner(s: &str, default_offset_minutes: i32) -> Result<DateTime<Utc>, String> {
    if s.is_empty() {
        return Err("empty".to_string());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_unix(s);
    }
    if let Some(local) = parse_numeric(s)? {
        let offset = match local.offset {
            Some(offset) => offset,
            None => default_offset(default_offset_minutes)?,
        };
        let naive = NaiveDateTime::new(local.date, local.time);
        return match offset.from_local_datetime(&naive).single() {
            Some(dt) => Ok(dt.with_timezone(&Utc)),
            None => Err("time cannot be represented in UTC".to_string()),
        };
    }
    if let Some(dt) = parse_rfc2822(s) {
        check_year(dt.year())?;
        return Ok(dt.with_timezone(&Utc));
    }
    Err(
        "unrecognised format (expected ISO 8601 like 2022-01-05T14:30:00+06:00, 05.01.2022, \
         2022/01/05, RFC 2822 or unix seconds)"
            .to_string(),
    )
}

fn default_offset(minutes: i32) -> Result<FixedOffset, String> {
    minutes
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
        .ok_or_else(|| format!("default offset {minutes} minutes is out of range"))
}

fn check_year(year: i32) -> Result<(), String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(format!("year {year} is outside {MIN_YEAR}..={MAX_YEAR}"))
    }
}

fn parse_unix(s: &str) -> Result<DateTime<Utc>, String> {
    if !(9..=10).contains(&s.len()) {
        return Err("all digits, but not 9–10-digit unix seconds".to_string());
    }
    let secs: i64 = s.parse().map_err(|_| "invalid unix seconds".to_string())?;
    let dt =
        DateTime::from_timestamp(secs, 0).ok_or_else(|| "unix seconds out of range".to_string())?;
    check_year(dt.year())?;
    Ok(dt)
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

/// A date/time as written, before applying the offset.
struct Local {
    date: NaiveDate,
    time: NaiveTime,
    offset: Option<FixedOffset>,
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

/// Numeric date forms (`YYYY-MM-DD…`, `YYYY/MM/DD…`, `DD.MM.YYYY…`).
/// `Ok(None)`: not one of these shapes; `Err`: the shape matched but the value is invalid.
fn parse_numeric(s: &str) -> Result<Option<Local>, String> {
    let mut c = Cursor::new(s);
    let Some((first, first_len)) = c.digits(1, 4) else {
        return Ok(None);
    };
    let (year, month, day) = match (first_len, c.peek()) {
        (4, Some(sep @ (b'-' | b'/'))) => {
            c.pos += 1;
            let month = c.num(1, 2);
            let same_sep = c.eat(sep);
            let day = c.num(1, 2);
            match (month, same_sep, day) {
                (Some(m), true, Some(d)) => (first, m, d),
                _ => {
                    let sep = char::from(sep);
                    return Err(format!("expected a date like YYYY{sep}MM{sep}DD"));
                }
            }
        }
        (1 | 2, Some(b'.')) => {
            c.pos += 1;
            let month = c.num(1, 2);
            let dot = c.eat(b'.');
            let year = c.num(4, 4);
            match (month, dot, year) {
                (Some(m), true, Some(y)) => (y, m, first),
                _ => return Err("expected a day-first date like DD.MM.YYYY".to_string()),
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
            time: NaiveTime::MIN,
            offset: None,
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
    Ok(Some(Local { date, time, offset }))
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

/// Parses a `YYYY-MM-DD` prefix (exactly 4-2-2 digits) of a file-name fragment, e.g.
/// `2022-01-09_evening` → 2022-01-09. `None` when the string does not start with a valid calendar
/// date in 1900..=2100, or when the date is immediately followed by another digit (`2022-01-091`).
pub fn parse_date_prefix(s: &str) -> Option<NaiveDate> {
    let mut c = Cursor::new(s);
    let year = c.num(4, 4)?;
    if !c.eat(b'-') {
        return None;
    }
    let month = c.num(2, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let day = c.num(2, 2)?;
    if matches!(c.peek(), Some(b'0'..=b'9')) {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    check_year(year).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Splits a subtitle file stem `OUTLET_YYYY-MM-DD[anything]` into (outlet, date).
///
/// The outlet is everything before the LAST `_` that is followed by a valid date (see
/// [`parse_date_prefix`]), so outlets may contain underscores:
/// `qazaq_efiri_2022-01-09_evening` → `("qazaq_efiri", 2022-01-09)`.
/// `None` when no `_` is followed by a valid date, or the outlet would be empty.
pub fn split_outlet_date(stem: &str) -> Option<(String, NaiveDate)> {
    for (i, _) in stem.rmatch_indices('_') {
        // `_` is one byte, so `i + 1` is a char boundary.
        let after = stem.get(i + 1..)?;
        if let Some(date) = parse_date_prefix(after) {
            let outlet = stem.get(..i)?;
            if outlet.is_empty() {
                return None;
            }
            return Some((outlet.to_string(), date));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const KZ: i32 = 360;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ok(s: &str) -> DateTime<Utc> {
        match parse_published(s, KZ) {
            Ok(dt) => dt,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn reason(s: &str) -> String {
        match parse_published(s, KZ) {
            Ok(dt) => panic!("{s:?} should be rejected, got {dt}"),
            Err(e) => {
                assert_eq!(e.value, s);
                e.reason
            }
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rfc3339_and_iso_with_offset() {
        assert_eq!(ok("2022-01-05T14:30:00+06:00"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05T14:30:00Z"), utc("2022-01-05T14:30:00Z"));
        assert_eq!(ok("2022-01-05t14:30:00z"), utc("2022-01-05T14:30:00Z"));
        assert_eq!(
            ok("2022-01-05T14:30:00.123+06:00"),
            utc("2022-01-05T08:30:00.123Z")
        );
        assert_eq!(ok("2022-01-05T14:30:00,5Z"), utc("2022-01-05T14:30:00.5Z"));
        assert_eq!(
            ok("2022-01-05T14:30:00.1234567891234Z"),
            utc("2022-01-05T14:30:00.123456789Z")
        );
        assert_eq!(ok("2022-01-05T14:30:00-03:30"), utc("2022-01-05T18:00:00Z"));
        assert_eq!(ok("2022-01-05T14:30+0600"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05 14:30:00 +06"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05 14:30:00 UTC"), utc("2022-01-05T14:30:00Z"));
        assert_eq!(
            ok("  2022-01-05T14:30:00+06:00\n"),
            utc("2022-01-05T08:30:00Z")
        );
        // Offset wins over the default.
        assert_eq!(
            parse_published("2022-01-05T14:30:00Z", -600).unwrap(),
            utc("2022-01-05T14:30:00Z")
        );
    }

    #[test]
    fn naive_forms_use_default_offset() {
        assert_eq!(ok("2022-01-05T14:30:00"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05 14:30"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05 14:30:00"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("2022-01-05"), utc("2022-01-04T18:00:00Z"));
        assert_eq!(
            parse_published("2022-01-05", 0).unwrap(),
            utc("2022-01-05T00:00:00Z")
        );
        assert_eq!(
            parse_published("2022-01-05 14:30", -300).unwrap(),
            utc("2022-01-05T19:30:00Z")
        );
    }

    #[test]
    fn day_first_and_slashes() {
        assert_eq!(ok("05.01.2022"), utc("2022-01-04T18:00:00Z"));
        assert_eq!(ok("5.1.2022"), utc("2022-01-04T18:00:00Z"));
        assert_eq!(ok("05.01.2022 14:30"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("05.01.2022, 14:30:15"), utc("2022-01-05T08:30:15Z"));
        assert_eq!(ok("2022/01/05"), utc("2022-01-04T18:00:00Z"));
        assert_eq!(ok("2022/01/05 14:30"), utc("2022-01-05T08:30:00Z"));
        // 31.01 is day-first, never month-first.
        assert_eq!(ok("31.01.2022"), utc("2022-01-30T18:00:00Z"));
        assert!(reason("01.31.2022").contains("invalid calendar date"));
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            ok("Wed, 05 Jan 2022 14:30:00 +0600"),
            utc("2022-01-05T08:30:00Z")
        );
        assert_eq!(ok("05 Jan 2022 14:30:00 GMT"), utc("2022-01-05T14:30:00Z"));
        // Wrong weekday (5 Jan 2022 was a Wednesday) is tolerated.
        assert_eq!(
            ok("Mon, 05 Jan 2022 14:30:00 +0600"),
            utc("2022-01-05T08:30:00Z")
        );
        assert!(reason("Wed, 05 Jan 1850 14:30:00 +0600").contains("outside"));
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(ok("1641371400"), utc("2022-01-05T08:30:00Z"));
        assert_eq!(ok("946684800"), utc("2000-01-01T00:00:00Z"));
        assert!(reason("12345678").contains("unix"));
        assert!(reason("12345678901").contains("unix"));
        assert!(reason("9999999999").contains("outside")); // year 2286
    }

    #[test]
    fn rejections() {
        assert_eq!(reason(""), "empty");
        assert_eq!(reason("   "), "empty");
        assert_eq!(reason("2022-02-30"), "invalid calendar date 2022-02-30");
        assert_eq!(reason("0000-00-00"), "invalid calendar date 0000-00-00");
        assert_eq!(reason("1899-12-31"), "year 1899 is outside 1900..=2100");
        assert_eq!(reason("2101-01-01"), "year 2101 is outside 1900..=2100");
        assert!(reason("2022-01-05T25:00:00Z").contains("invalid time"));
        assert!(reason("2022-01-05T23:60").contains("invalid time"));
        assert!(reason("2022-01-05T14:30:00+24:00").contains("offset"));
        assert!(reason("2022-01-05T14:30:00+06:00 extra").contains("unexpected text"));
        assert!(reason("2022-01-05X").contains("unexpected text after the date"));
        assert!(reason("2022-01-05 noon").contains("expected a time"));
        assert!(reason("2022-01").contains("YYYY-MM-DD"));
        assert!(reason("2022-01/05").contains("YYYY-MM-DD"));
        assert!(reason("05.01.22").contains("DD.MM.YYYY"));
        assert!(reason("yesterday").contains("unrecognised"));
        assert!(reason("5 января 2022").contains("unrecognised"));
        assert!(reason("-1641371400").contains("unrecognised"));
        let e = parse_published("2022-02-30", KZ).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unparseable date \"2022-02-30\": invalid calendar date 2022-02-30"
        );
    }

    #[test]
    fn bad_default_offset_only_matters_when_used() {
        assert!(parse_published("2022-01-05", 24 * 60).is_err());
        assert!(parse_published("2022-01-05", i32::MAX).is_err());
        assert!(parse_published("2022-01-05T00:00:00Z", i32::MAX).is_ok());
    }

    #[test]
    fn year_bounds() {
        assert_eq!(ok("1900-01-01T00:00:00Z"), utc("1900-01-01T00:00:00Z"));
        assert_eq!(ok("2100-12-31T23:59:59Z"), utc("2100-12-31T23:59:59Z"));
        assert_eq!(ok("2024-02-29"), utc("2024-02-28T18:00:00Z"));
        assert!(reason("2023-02-29").contains("invalid calendar date"));
    }

    #[test]
    fn date_prefix() {
        assert_eq!(
            parse_date_prefix("2022-01-09_evening"),
            Some(date(2022, 1, 9))
        );
        assert_eq!(parse_date_prefix("2022-01-09"), Some(date(2022, 1, 9)));
        assert_eq!(parse_date_prefix("2022-01-09.srt"), Some(date(2022, 1, 9)));
        assert_eq!(parse_date_prefix("2022-01-091"), None);
        assert_eq!(parse_date_prefix("2022-02-30"), None);
        assert_eq!(parse_date_prefix("2022-1-09"), None);
        assert_eq!(parse_date_prefix("0000-00-00"), None);
        assert_eq!(parse_date_prefix("1800-01-01"), None);
        assert_eq!(parse_date_prefix("evening_2022-01-09"), None);
        assert_eq!(parse_date_prefix(""), None);
        assert_eq!(parse_date_prefix("2022"), None);
    }

    #[test]
    fn outlet_date_split() {
        assert_eq!(
            split_outlet_date("qazaq_efiri_2022-01-09_evening"),
            Some(("qazaq_efiri".to_string(), date(2022, 1, 9)))
        );
        assert_eq!(
            split_outlet_date("khabar_2022-01-09"),
            Some(("khabar".to_string(), date(2022, 1, 9)))
        );
        assert_eq!(
            split_outlet_date("хабар_24_2022-01-10_утро"),
            Some(("хабар_24".to_string(), date(2022, 1, 10)))
        );
        // Last `_` followed by a valid date wins.
        assert_eq!(
            split_outlet_date("a_2022-01-09_2022-01-10_rerun"),
            Some(("a_2022-01-09".to_string(), date(2022, 1, 10)))
        );
        // An invalid date after the last `_` falls back to an earlier one.
        assert_eq!(
            split_outlet_date("tv_2022-01-09_2022-02-30"),
            Some(("tv".to_string(), date(2022, 1, 9)))
        );
        assert_eq!(split_outlet_date("_2022-01-09"), None);
        assert_eq!(split_outlet_date("khabar-2022-01-09"), None);
        assert_eq!(split_outlet_date("khabar_evening"), None);
        assert_eq!(split_outlet_date(""), None);
        assert_eq!(split_outlet_date("_"), None);
    }

    #[test]
    fn random_dates_match_chrono() {
        let mut rng = XorShift(0x5DEE_CE66_D1CE_4E5B);
        let mut below = |n: u64| rng.next() % n;
        for _ in 0..5000 {
            let (y, m, d) = (
                1890 + below(220) as i32,
                1 + below(12) as u32,
                1 + below(31) as u32,
            );
            let (h, mi, s) = (below(24) as u32, below(60) as u32, below(60) as u32);
            let off = below(24 * 4 * 2 - 1) as i32 * 15 - (24 * 60 - 15); // -23:45..=+23:45
            let (sign, abs) = if off < 0 { ('-', -off) } else { ('+', off) };
            let expected = NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|date| date.and_hms_opt(h, mi, s))
                .filter(|_| (MIN_YEAR..=MAX_YEAR).contains(&y))
                .map(|n| n.and_utc() - chrono::TimeDelta::minutes(i64::from(off)));
            let iso = format!(
                "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
                abs / 60,
                abs % 60
            );
            let day_first = format!("{d:02}.{m:02}.{y:04} {h:02}:{mi:02}:{s:02}");
            let slash = format!("{y:04}/{m}/{d} {h}:{mi:02}:{s:02}");
            for (text, default) in [(iso, 0), (day_first, off), (slash, off)] {
                match (parse_published(&text, default), expected) {
                    (Ok(got), Some(want)) => assert_eq!(got, want, "{text}"),
                    (Err(e), None) => {
                        assert!(
                            e.reason.contains("invalid calendar date")
                                || e.reason.contains("outside"),
                            "{e}"
                        )
                    }
                    (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    /// Tiny xorshift64 generator for the no-panic property test.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let pieces = [
            "2022",
            "-",
            "/",
            ".",
            ":",
            "01",
            "31",
            "T",
            " ",
            "Z",
            "+06:00",
            "-9",
            "99",
            ",",
            "0",
            "Wed, ",
            "Jan",
            "_",
            "ё",
            "\u{feff}",
            "GMT",
            "UTC",
            "4294967296",
            "1641371400",
            "\t",
            "ж_",
        ];
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..rng.next() % 10 {
                let r = rng.next();
                if r.is_multiple_of(5) {
                    s.push(char::from_u32((r >> 8) as u32 % 0x500).unwrap_or('?'));
                } else {
                    s.push_str(pieces[(r >> 8) as usize % pieces.len()]);
                }
            }
            let offset = match rng.next() % 4 {
                0 => 360,
                1 => 0,
                2 => -720,
                _ => (rng.next() as i32) % 3000,
            };
            if let Ok(dt) = parse_published(&s, offset) {
                // Accepted instants stay near the accepted year range (offsets move at most a day).
                assert!(
                    (MIN_YEAR - 1..=MAX_YEAR + 1).contains(&dt.year()),
                    "{s:?} -> {dt}"
                );
            }
            if let Some(d) = parse_date_prefix(&s) {
                assert!(s.starts_with(&d.format("%Y-%m-%d").to_string()));
            }
            if let Some((outlet, d)) = split_outlet_date(&s) {
                assert!(!outlet.is_empty());
                assert!(s.starts_with(&format!("{outlet}_{}", d.format("%Y-%m-%d"))));
            }
        }
    }
}
