//! SRT and WebVTT subtitles: takes subtitle file text, gives out timed `Cue`s with plain text
//! (markup removed, entities decoded), and joins cues into one document text with per-cue byte ranges.

use std::ops::Range;

/// One timed caption.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cue {
    /// Start time in milliseconds from the beginning of the recording.
    pub start_ms: u64,
    /// End time in milliseconds; never before `start_ms` in parsed cues.
    pub end_ms: u64,
    /// Plain text: markup removed, entities decoded, lines joined by a space, whitespace collapsed,
    /// trimmed. Never empty in parsed cues.
    pub text: String,
}

/// Why a subtitle file could not be parsed; `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SubtitleError {
    /// 1-based line number (CRLF, LF and lone CR each end one line).
    pub line: u64,
    /// What was expected and what was found.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Srt,
    Vtt,
}

impl Format {
    fn example(self) -> &'static str {
        match self {
            Format::Srt => "00:00:01,000 --> 00:00:04,000",
            Format::Vtt => "00:00:01.000 --> 00:00:04.000",
        }
    }
}

/// Parses SubRip (`.srt`) text into cues, in file order.
///
/// Blocks are separated by blank lines: an optional index line (any single line, usually a
/// number), a timing line `H:MM:SS,mmm --> H:MM:SS,mmm` (`,` or `.`, 1–3 hour digits, hours and
/// fraction optional, trailing position settings ignored), then text lines. Tolerates a BOM, CRLF or
/// lone CR line ends, trailing whitespace, extra blank lines, a missing final newline, and a missing
/// blank line before the next index + timing line. Cues whose cleaned text is empty are dropped;
/// overlapping cues are kept. No cues at all → `Ok(vec![])`.
///
/// Errors (with 1-based line): a malformed timing line where one is expected, an end time before the
/// start time, or a block with text but no timing line.
pub fn parse_srt(text: &str) -> Result<Vec<Cue>, SubtitleError> {
    parse(text, Format::Srt)
}

/// Parses WebVTT (`.vtt`) text into cues, in file order.
///
/// The first line must be `WEBVTT` (optionally followed by a space or tab and anything), else an
/// error on line 1. Header lines after it, and `NOTE`, `STYLE` and `REGION` blocks, are skipped.
/// Cues have an optional identifier line, a timing line (`MM:SS.mmm` short form allowed, cue
/// settings after the end time ignored) and text lines; `<…>` tags including voice (`<v Name>`),
/// class (`<c.x>`) and timestamp (`<00:00:01.000>`) tags are removed. Same tolerances and errors
/// as [`parse_srt`].
pub fn parse_vtt(text: &str) -> Result<Vec<Cue>, SubtitleError> {
    parse(text, Format::Vtt)
}

/// Joins cue texts into one document text: cues in the given order, each followed by a separator
/// chosen from the pause before the next cue (its start minus the latest end among earlier cues):
/// a space below 2 s, a newline from 2 s, a blank line (`"\n\n"`) from 10 s, so pauses become
/// paragraph breaks. Overlapping cues get a space.
///
/// Returns the text and, for each cue (same index), the byte range of its text inside the returned
/// string. A cue with empty text gets an empty range and adds no separator.
pub fn join_cues(cues: &[Cue]) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(cues.iter().map(|c| c.text.len() + 2).sum());
    let mut ranges = Vec::with_capacity(cues.len());
    let mut latest_end: Option<u64> = None;
    for cue in cues {
        if cue.text.is_empty() {
            ranges.push(out.len()..out.len());
            continue;
        }
        if let Some(prev_end) = latest_end {
            let gap = cue.start_ms.saturating_sub(prev_end);
            out.push_str(if gap >= 10_000 {
                "\n\n"
            } else if gap >= 2_000 {
                "\n"
            } else {
                " "
            });
        }
        let start = out.len();
        out.push_str(&cue.text);
        ranges.push(start..out.len());
        latest_end = Some(latest_end.map_or(cue.end_ms, |e| e.max(cue.end_ms)));
    }
    (out, ranges)
}

/// Splits on `\r\n`, `\n` and lone `\r`; a final line without a newline is kept.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\n' || b == b'\r' {
            // `\r` and `\n` are ASCII, so both ends are char boundaries.
            lines.push(text.get(start..i).unwrap_or(""));
            i += 1;
            if b == b'\r' && bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        lines.push(text.get(start..).unwrap_or(""));
    }
    lines
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// A line that is `word` alone or `word` followed by a space or tab.
fn starts_with_keyword(line: &str, word: &str) -> bool {
    match line.strip_prefix(word) {
        Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t']),
        None => false,
    }
}

fn is_vtt_meta_block(line: &str) -> bool {
    ["NOTE", "STYLE", "REGION"]
        .iter()
        .any(|w| starts_with_keyword(line, w))
}

/// The line, trimmed, shortened and quoted for an error message.
fn quote(line: &str) -> String {
    const MAX_CHARS: usize = 60;
    let t = line.trim();
    match t.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{:?}", format!("{}…", t.get(..cut).unwrap_or(t))),
        None => format!("{t:?}"),
    }
}

fn line_no(index: usize) -> u64 {
    u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1)
}

fn expected_timing(format: Format, index: usize, found: &str) -> SubtitleError {
    SubtitleError {
        line: line_no(index),
        message: format!(
            "expected a timing line like {:?}, found {}",
            format.example(),
            quote(found)
        ),
    }
}

enum TimingError {
    /// Not a parseable `start --> end` line.
    Malformed,
    /// Both timestamps parse but the end is before the start.
    Backwards { start: String, end: String },
}

/// Parses `start --> end [settings]`.
fn parse_timing(line: &str) -> Result<(u64, u64), TimingError> {
    let (left, right) = line
        .trim()
        .split_once("-->")
        .ok_or(TimingError::Malformed)?;
    let start_raw = left.trim();
    let right = right.trim_start();
    let (end_raw, _settings) = match right.split_once(char::is_whitespace) {
        Some((end, settings)) => (end, settings),
        None => (right, ""),
    };
    let start = parse_timestamp(start_raw).ok_or(TimingError::Malformed)?;
    let end = parse_timestamp(end_raw).ok_or(TimingError::Malformed)?;
    if end < start {
        return Err(TimingError::Backwards {
            start: start_raw.to_string(),
            end: end_raw.to_string(),
        });
    }
    Ok((start, end))
}

fn digits_value(s: &str, min: usize, max: usize) -> Option<u64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `[H{1,3}:]M{1,2}:S{1,2}[(,|.)f{1,3}]` → milliseconds; minutes and seconds below 60.
fn parse_timestamp(s: &str) -> Option<u64> {
    let mut parts = s.rsplitn(3, ':');
    let secs_part = parts.next()?;
    let minutes = digits_value(parts.next()?, 1, 2)?;
    let hours = match parts.next() {
        Some(h) => digits_value(h, 1, 3)?,
        None => 0,
    };
    let (secs, millis) = match secs_part.split_once([',', '.']) {
        Some((secs, frac)) => {
            let value = digits_value(frac, 1, 3)?;
            // Decimal fraction: "5" → 500 ms, "05" → 50 ms, "005" → 5 ms.
            let scale = match frac.len() {
                1 => 100,
                2 => 10,
                _ => 1,
            };
            (digits_value(secs, 1, 2)?, value * scale)
        }
        None => (digits_value(secs_part, 1, 2)?, 0),
    };
    if minutes >= 60 || secs >= 60 {
        return None;
    }
    Some(hours * 3_600_000 + minutes * 60_000 + secs * 1000 + millis)
}

fn parse(text: &str, format: Format) -> Result<Vec<Cue>, SubtitleError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    let line = |i: usize| lines.get(i).copied();
    let mut i = 0usize;

    if format == Format::Vtt {
        let first = line(0).unwrap_or("");
        if !starts_with_keyword(first, "WEBVTT") {
            return Err(SubtitleError {
                line: 1,
                message: format!("expected \"WEBVTT\" header, found {}", quote(first)),
            });
        }
        i = 1;
        // Header metadata runs to the first blank line (a timing line also ends it, leniently).
        while let Some(l) = line(i) {
            if is_blank(l) || !matches!(parse_timing(l), Err(TimingError::Malformed)) {
                break;
            }
            i += 1;
        }
    }

    let mut cues = Vec::new();
    loop {
        while line(i).is_some_and(is_blank) {
            i += 1;
        }
        let Some(first) = line(i) else { break };

        if format == Format::Vtt && is_vtt_meta_block(first) {
            while line(i).is_some_and(|l| !is_blank(l)) {
                i += 1;
            }
            continue;
        }

        // Locate the timing line: this line, or the next one after an index / identifier.
        let timing_index = if first.contains("-->") {
            i
        } else {
            match line(i + 1) {
                Some(next) if next.contains("-->") => i + 1,
                Some(next) if !is_blank(next) => {
                    let is_index = first.trim().bytes().all(|b| b.is_ascii_digit());
                    return Err(if is_index {
                        expected_timing(format, i + 1, next)
                    } else {
                        expected_timing(format, i, first)
                    });
                }
                _ => {
                    return Err(SubtitleError {
                        line: line_no(i),
                        message: format!(
                            "expected a timing line like {:?} after {}, found none",
                            format.example(),
                            quote(first)
                        ),
                    })
                }
            }
        };
        let timing_line = line(timing_index).unwrap_or("");
        let (start_ms, end_ms) = match parse_timing(timing_line) {
            Ok(t) => t,
            Err(TimingError::Malformed) => {
                return Err(expected_timing(format, timing_index, timing_line))
            }
            Err(TimingError::Backwards { start, end }) => {
                return Err(SubtitleError {
                    line: line_no(timing_index),
                    message: format!("end time {end} is before start time {start}"),
                })
            }
        };
        i = timing_index + 1;

        // Text lines up to a blank line or the start of the next cue.
        let mut text_lines: Vec<&str> = Vec::new();
        while let Some(l) = line(i) {
            if is_blank(l) || !matches!(parse_timing(l), Err(TimingError::Malformed)) {
                break;
            }
            if format == Format::Srt
                && l.trim().bytes().all(|b| b.is_ascii_digit())
                && line(i + 1)
                    .is_some_and(|n| !matches!(parse_timing(n), Err(TimingError::Malformed)))
            {
                break;
            }
            text_lines.push(l);
            i += 1;
        }
        let text = clean_text(&text_lines);
        if !text.is_empty() {
            cues.push(Cue {
                start_ms,
                end_ms,
                text,
            });
        }
    }
    Ok(cues)
}

/// Removes markup, decodes entities, joins lines with single spaces and collapses whitespace.
fn clean_text(lines: &[&str]) -> String {
    let mut out = String::new();
    for l in lines {
        let decoded = decode_entities(&strip_markup(l));
        for word in decoded.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Removes `<tag …>` / `</tag>` / `<00:00:01.000>` and ASS-style `{\an8}` overrides. A `<` not
/// followed by a letter, digit or `/`, or without a closing `>` on the line, is kept as text.
fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find(['<', '{']) {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let from = rest.get(pos..).unwrap_or("");
        let after = from.get(1..).unwrap_or("");
        let closing = if from.starts_with('<') {
            let tag_like = after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/');
            if tag_like {
                from.find('>')
            } else {
                None
            }
        } else if after.starts_with('\\') {
            from.find('}')
        } else {
            None
        };
        match closing {
            Some(close) => rest = from.get(close + 1..).unwrap_or(""),
            None => {
                // Keep the `<` / `{` (both one byte) as text.
                out.push_str(from.get(..1).unwrap_or(""));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes `&amp; &lt; &gt; &nbsp; &quot; &apos;` and numeric `&#NN;` / `&#xHH;` references, once
/// (no double decoding). Unknown or malformed references are kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let from = rest.get(pos..).unwrap_or("");
        let decoded = from.get(1..).and_then(|body| {
            // Entity names are short; look for `;` in the next few ASCII bytes only.
            let semi = body.bytes().take(10).position(|b| b == b';')?;
            let name = body.get(..semi)?;
            Some((entity_char(name)?, semi + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = from.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "nbsp" => Some('\u{a0}'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                Some(_) => return None,
                None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                    num.parse().ok()?
                }
                None => return None,
            };
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cue(start_ms: u64, end_ms: u64, text: &str) -> Cue {
        Cue {
            start_ms,
            end_ms,
            text: text.to_string(),
        }
    }

    #[test]
    fn srt_cues() {
        crate::cases::check(
            |srt| parse_srt(srt).unwrap(),
            [
                (
                    "1\n00:00:01,000 --> 00:00:04,000\nПривет, мир!\n\n2\n00:00:05,500 --> 00:00:07,250\nВторая\nстрока\n",
                    vec![cue(1000, 4000, "Привет, мир!"), cue(5500, 7250, "Вторая строка")],
                ),
                // BOM, CRLF, lone CR, trailing whitespace, extra blank lines, no final newline,
                // `.` separator, 1- and 3-digit hours, position settings, missing index.
                (
                    "\u{feff}\r\n\r\n1  \r\n00:00:01.000 --> 00:00:02,000  \r\n  Hello  \r\n\r\n\r\n\r\n\
                   2\r0:00:03,000 --> 0:00:04,000 X1:100 X2:200 Y1:10 Y2:20\rWorld\r\r\
                   100:00:00,000-->100:00:01,000\nLast",
                    vec![
                        cue(1000, 2000, "Hello"),
                        cue(3000, 4000, "World"),
                        cue(360_000_000, 360_001_000, "Last"),
                    ],
                ),
                // Empty cues are dropped; an empty file has none.
                (
                    "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i> </i>\n\n3\n00:00:05,000 --> 00:00:06,000\nText\n",
                    vec![cue(5000, 6000, "Text")],
                ),
                ("", vec![]),
                ("\u{feff}\r\n \n\t\n", vec![]),
                // A missing blank line between cues.
                (
                    "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n00:00:05,000 --> 00:00:06,000\nThree\n",
                    vec![cue(1000, 2000, "One"), cue(3000, 4000, "Two"), cue(5000, 6000, "Three")],
                ),
                // A number that is not followed by a timing line is just text.
                (
                    "1\n00:00:01,000 --> 00:00:02,000\nThe answer is\n42\n",
                    vec![cue(1000, 2000, "The answer is 42")],
                ),
                // Overlapping cues are kept in order.
                (
                    "1\n00:00:05,000 --> 00:00:08,000\nA\n\n2\n00:00:01,000 --> 00:00:06,000\nB\n",
                    vec![cue(5000, 8000, "A"), cue(1000, 6000, "B")],
                ),
            ],
        );
    }

    #[test]
    fn markup_and_entities() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n<i>Italic</i> and <b>bold</b> &amp; <font color=\"#ff0000\">red</font>\n\
                   {\\an8}top &lt;tag&gt; &quot;q&quot;&nbsp;x &#1046; &#x416; &bogus; & a < b\n";
        assert_eq!(
            parse_srt(srt).unwrap()[0].text,
            "Italic and bold & red top <tag> \"q\" x Ж Ж &bogus; & a < b"
        );
        // Decoded `&lt;i&gt;` stays as text; no double decoding.
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n&lt;i&gt; &amp;amp;\n";
        assert_eq!(parse_srt(srt).unwrap()[0].text, "<i> &amp;");
    }

    #[test]
    fn dialogue_dashes_kept() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n- Кто там?\n- Это я.\n";
        assert_eq!(parse_srt(srt).unwrap()[0].text, "- Кто там? - Это я.");
    }

    #[test]
    fn srt_errors() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nOK\n\n2\n00:00:03,000 --> 00:00:04,000\nOK\n\n3\n00:00:xx,000 --> 00:00:05,000\nBad\n";
        let err = parse_srt(srt).unwrap_err();
        assert_eq!(err.line, 10);
        assert_eq!(
            err.to_string(),
            "line 10: expected a timing line like \"00:00:01,000 --> 00:00:04,000\", found \"00:00:xx,000 --> 00:00:05,000\""
        );
        // End before start.
        let err = parse_srt("1\n00:00:05,000 --> 00:00:04,000\nX\n").unwrap_err();
        assert_eq!(
            err,
            SubtitleError {
                line: 2,
                message: "end time 00:00:04,000 is before start time 00:00:05,000".into()
            }
        );
        // Text but no timing.
        let err =
            parse_srt("1\n00:00:01,000 --> 00:00:02,000\nA\n\nstray text\nmore\n").unwrap_err();
        assert_eq!(err.line, 5);
        assert!(err.message.contains("found \"stray text\""), "{err}");
        // Index followed by text instead of timing: the error points at the line after the index.
        let err = parse_srt("1\nHello\n").unwrap_err();
        assert_eq!(err.line, 2);
        // Lone trailing index or lone text line.
        let err = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n").unwrap_err();
        assert_eq!(err.line, 5);
        assert!(err.message.contains("after \"2\""), "{err}");
        assert_eq!(parse_srt("just text").unwrap_err().line, 1);
        // Minutes/seconds out of range, garbage after the end time.
        assert_eq!(
            parse_srt("00:61:00,000 --> 00:62:00,000\nx")
                .unwrap_err()
                .line,
            1
        );
        assert_eq!(
            parse_srt("00:00:01,000 --> 00:00:02,000x\ny")
                .unwrap_err()
                .line,
            1
        );
        assert_eq!(
            parse_srt("00:00:01,0000 --> 00:00:02,000\ny")
                .unwrap_err()
                .line,
            1
        );
        assert_eq!(
            parse_srt("0000:00:01,000 --> 00:00:02,000\ny")
                .unwrap_err()
                .line,
            1
        );
    }

    #[test]
    fn long_error_lines_are_shortened() {
        let long = format!("{} --> oops", "9".repeat(200));
        let err = parse_srt(&long).unwrap_err();
        assert!(err.message.contains('…'));
        assert!(err.message.len() < 200);
    }

    #[test]
    fn timestamps() {
        crate::cases::check(
            parse_timestamp,
            [
                ("00:00:01,000", Some(1000)),
                ("01:02:03.004", Some(3_723_004)),
                ("02:03.004", Some(123_004)),
                ("999:59:59,999", Some(999 * 3_600_000 + 3_599_999)),
                ("00:00:01,5", Some(1500)),
                ("00:00:01", Some(1000)),
                ("00:60:00,000", None),
                ("00:00:60,000", None),
                ("1", None),
                ("", None),
                ("::", None),
                ("a:b:c", None),
                ("+1:00:00", None),
                ("00:00:01,-1", None),
            ],
        );
    }

    #[test]
    fn vtt_cues() {
        crate::cases::check(
            |vtt| parse_vtt(vtt).unwrap(),
            [
                (
                    "WEBVTT - Kazakh news\nKind: captions\nLanguage: kk\n\n\
                   NOTE this is a comment\nspanning lines\n\n\
                   STYLE\n::cue { color: yellow }\n\n\
                   REGION\nid:fred width:40%\n\n\
                   intro\n00:01.000 --> 00:04.000 align:start position:10%\n<v Roger Bingham>Сәлеметсіз бе</v>\n\n\
                   00:00:05.000 --> 00:00:06.500\n<c.yellow>Жаңалықтар</c> <00:00:05.500><b>бүгін</b>\n\n\
                   3\n00:00:07.000 --> 00:00:08.000\n&gt;&gt; Иә\n",
                    vec![
                        cue(1000, 4000, "Сәлеметсіз бе"),
                        cue(5000, 6500, "Жаңалықтар бүгін"),
                        cue(7000, 8000, ">> Иә"),
                    ],
                ),
                ("\u{feff}WEBVTT", vec![]),
                ("WEBVTT\r\n\r\n", vec![]),
                // Lenient: cue directly after the header line.
                (
                    "WEBVTT\n00:00:01.000 --> 00:00:02.000\nHi",
                    vec![cue(1000, 2000, "Hi")],
                ),
            ],
        );
    }

    #[test]
    fn vtt_errors() {
        let err = parse_vtt("00:00:01.000 --> 00:00:02.000\nHi\n").unwrap_err();
        assert!(
            err.message.starts_with("expected \"WEBVTT\" header"),
            "{err}"
        );
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOK\n\nid\n00:00:0x.000 --> 00:00:02.000\nBad\n";
        let err = parse_vtt(vtt).unwrap_err();
        assert!(
            err.message.contains("\"00:00:01.000 --> 00:00:04.000\""),
            "{err}"
        );
        crate::cases::check(
            |vtt| parse_vtt(vtt).unwrap_err().line,
            [
                // No header.
                ("00:00:01.000 --> 00:00:02.000\nHi\n", 1),
                ("", 1),
                ("WEBVTTX\n", 1),
                (vtt, 7),
                ("WEBVTT\n\nsome text\nwithout timing\n", 3),
                ("WEBVTT\n\n00:00:03.000 --> 00:00:02.000\nx\n", 3),
            ],
        );
    }

    #[test]
    fn join_separators_and_ranges() {
        let cues = vec![
            cue(0, 1000, "Один"),
            cue(2500, 3000, "два"),       // gap 1.5 s → space
            cue(5000, 6000, "три"),       // gap 2 s → newline
            cue(16_000, 17_000, "four"),  // gap 10 s → blank line
            cue(16_500, 30_000, "five"),  // overlap → space
            cue(20_000, 21_000, "six"),   // inside "five" (ends 30 s) → space
            cue(31_000, 32_000, ""),      // empty: empty range, no separator
            cue(45_000, 46_000, "seven"), // 15 s after 30 s → blank line
        ];
        let (text, ranges) = join_cues(&cues);
        assert_eq!(text, "Один два\nтри\n\nfour five six\n\nseven");
        assert_eq!(ranges.len(), cues.len());
        for (c, r) in cues.iter().zip(&ranges) {
            assert_eq!(&text[r.clone()], c.text);
        }
        assert_eq!(ranges[6], ranges[5].end..ranges[5].end);
        assert_eq!(join_cues(&[]), (String::new(), vec![]));
    }

    #[test]
    fn join_parsed_srt() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:04,000 --> 00:00:05,000\nB\n";
        let (text, ranges) = join_cues(&parse_srt(srt).unwrap());
        assert_eq!(text, "A\nB");
        assert_eq!(ranges, vec![0..1, 2..3]);
    }

    #[test]
    fn cue_serde_round_trip() {
        let c = cue(1, 2, "x");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"start_ms":1,"end_ms":2,"text":"x"}"#);
        assert_eq!(serde_json::from_str::<Cue>(&json).unwrap(), c);
    }

    fn check_cues(cues: &[Cue]) {
        for c in cues {
            assert!(c.start_ms <= c.end_ms);
            assert!(!c.text.is_empty());
            assert_eq!(c.text.trim(), c.text);
            assert!(!c.text.contains("  ") && !c.text.contains('\n') && !c.text.contains('\r'));
        }
        let (text, ranges) = join_cues(cues);
        assert_eq!(ranges.len(), cues.len());
        for (c, r) in cues.iter().zip(ranges) {
            assert_eq!(text.get(r), Some(c.text.as_str()));
        }
    }

    /// Text made of pieces of subtitle syntax, tags, entities and odd characters, half of it
    /// after a WebVTT header.
    fn garbage() -> impl Strategy<Value = String> {
        let pieces = [
            "1",
            "\n",
            "\r\n",
            "\r",
            "\n\n",
            "00:00:01,000",
            " --> ",
            "-->",
            "00:02.500",
            "99:59:59,999",
            "WEBVTT",
            "NOTE",
            "STYLE",
            "<i>",
            "</i>",
            "<v Бек>",
            "<",
            ">",
            "&amp;",
            "&",
            "&#x;",
            "&#99999999;",
            "{\\an8}",
            "{",
            "Привет",
            " ",
            "\t",
            "- ",
            "\u{feff}",
            "abc",
            ",",
            ".",
            ":",
            "7",
            "é",
        ];
        let piece = prop_oneof![
            6 => prop::sample::select(pieces.to_vec()).prop_map(str::to_string),
            1 => (0u32..0x800).prop_map(|c| char::from_u32(c).unwrap_or('?').to_string()),
        ];
        (any::<bool>(), prop::collection::vec(piece, 0..30)).prop_map(|(vtt, parts)| {
            let header = if vtt { "WEBVTT\n\n" } else { "" };
            format!("{header}{}", parts.concat())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn never_panics_on_garbage(s in garbage()) {
            for result in [parse_srt(&s), parse_vtt(&s)] {
                match result {
                    Ok(cues) => check_cues(&cues),
                    Err(e) => {
                        let lines =
                            split_lines(s.strip_prefix('\u{feff}').unwrap_or(&s)).len() as u64;
                        assert!(e.line >= 1 && e.line <= lines.max(1), "{e} for {s:?}");
                    }
                }
            }
        }
    }

    /// One cue to render: its length, words, the silence after it and whether its text is
    /// split over two lines.
    type CueSpec = (u64, Vec<&'static str>, u64, bool);

    /// Valid cues rendered as (cues, SRT text, VTT text), with one of the three line endings.
    fn cue_files() -> impl Strategy<Value = (Vec<Cue>, String, String)> {
        let words = prop::sample::select(vec![
            "Сәлем",
            "мир",
            "news",
            "«цитата»",
            "—",
            "5%",
            "ёлка",
            "Қазақстан",
            "-",
        ]);
        let cue = (
            0u64..8000,
            prop::collection::vec(words, 1..=5),
            0u64..15_000,
            any::<bool>(),
        );
        let endings = prop::sample::select(vec!["\n", "\r\n", "\r"]);
        (0u64..5000, prop::collection::vec(cue, 0..6), endings)
            .prop_map(|(start, specs, nl)| render(start, &specs, nl))
    }

    /// The cues of `specs` from `start` on, as cues, SRT and VTT.
    fn render(start: u64, specs: &[CueSpec], nl: &str) -> (Vec<Cue>, String, String) {
        let mut cues = Vec::new();
        let mut t = start;
        for (length, words, silence, _) in specs {
            let end = t + length;
            cues.push(cue(t, end, &words.join(" ")));
            t = end + silence;
        }
        let ts = |ms: u64, sep: char| {
            format!(
                "{:02}:{:02}:{:02}{sep}{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        let mut srt = String::new();
        let mut vtt = format!("WEBVTT{nl}{nl}");
        for (k, (c, (_, _, _, split))) in cues.iter().zip(specs).enumerate() {
            // Split the text over two lines at a space sometimes.
            let body = if *split {
                c.text.replacen(' ', nl, 1)
            } else {
                c.text.clone()
            };
            srt.push_str(&format!(
                "{}{nl}{} --> {}{nl}{body}{nl}{nl}",
                k + 1,
                ts(c.start_ms, ','),
                ts(c.end_ms, ',')
            ));
            vtt.push_str(&format!(
                "{} --> {} line:0{nl}<i>{body}</i>{nl}{nl}",
                ts(c.start_ms, '.'),
                ts(c.end_ms, '.')
            ));
        }
        (cues, srt, vtt)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn generated_files_round_trip((cues, srt, vtt) in cue_files()) {
            assert_eq!(parse_srt(&srt).unwrap(), cues, "{srt:?}");
            assert_eq!(parse_vtt(&vtt).unwrap(), cues, "{vtt:?}");
            check_cues(&cues);
        }
    }

    #[test]
    fn never_panics_on_mutated_files() {
        use proptest::test_runner::{Config, TestRunner};
        use std::cell::Cell;
        let inserts = vec![
            "\n", "\r", ":", ",", "-->", "<", ">", "&", "9", "\u{feff}", "Ж", " ", "NOTE ",
        ];
        // An edit: where, what (delete, insert a piece, replace a character), the piece and
        // the replacement.
        let edit = (
            any::<prop::sample::Index>(),
            0u8..3,
            prop::sample::select(inserts),
            0u32..0x500,
        );
        let case = (cue_files(), prop::collection::vec(edit, 1..=4));
        let (parsed, failed) = (Cell::new(0), Cell::new(0));
        let mut runner = TestRunner::new(Config::with_cases(3000));
        runner
            .run(&case, |((_, srt, vtt), edits)| {
                for (file, is_vtt) in [(&srt, false), (&vtt, true)] {
                    let mut chars: Vec<char> = file.chars().collect();
                    for (at, kind, piece, replacement) in &edits {
                        let at = at.index(chars.len() + 1);
                        match kind {
                            0 if at < chars.len() => {
                                chars.remove(at);
                            }
                            1 => {
                                for (k, ch) in piece.chars().enumerate() {
                                    chars.insert(at + k, ch);
                                }
                            }
                            2 if at < chars.len() => {
                                chars[at] = char::from_u32(*replacement).unwrap_or('x')
                            }
                            _ => {}
                        }
                    }
                    let text: String = chars.into_iter().collect();
                    match if is_vtt {
                        parse_vtt(&text)
                    } else {
                        parse_srt(&text)
                    } {
                        Ok(cues) => {
                            parsed.set(parsed.get() + 1);
                            check_cues(&cues);
                        }
                        Err(e) => {
                            failed.set(failed.get() + 1);
                            assert!(e.line >= 1);
                            assert!(!e.message.is_empty());
                        }
                    }
                }
                Ok(())
            })
            .unwrap();
        // The mutations should exercise both outcomes.
        let (parsed, failed) = (parsed.get(), failed.get());
        assert!(
            parsed > 100 && failed > 100,
            "parsed {parsed}, failed {failed}"
        );
    }
}
