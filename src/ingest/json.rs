//! JSON file reader (`.json`): a byte stream in, one raw record (or reject) per JSON object
//! out. A file may hold one object (pretty-printed or not: news-please writes one per
//! article), an array of objects (an API dump: one record per element), or several objects
//! one after another (JSON lines saved as `.json`). The file is streamed: each element is cut
//! out by a small scanner of brackets and strings and parsed on its own, so a 2 GB array is
//! never held whole, and a broken element is one reject, not the end of the file. Each
//! record's line is the physical line (LF, CRLF or CR) where its element starts.

use std::io::{self, BufRead};

use crate::ingest::decode::TextEncoding;
use crate::ingest::fields::FieldMap;
use crate::ingest::jsonl;
use crate::ingest::record::{lossy_excerpt, ReadItem, RejectReason, RAW_EXCERPT_BYTES};
use crate::ingest::source::OpenedInput;

/// Reads every JSON object of a `.json` file (see the module documentation).
pub fn read(input: OpenedInput, map: &FieldMap, cap: u64, emit: &mut dyn FnMut(ReadItem)) {
    let encoding = input.encoding;
    let mut scanner = Scanner::new(input.reader, cap as usize);
    loop {
        match scanner.next_value() {
            Ok(Some(value)) => emit(to_item(value, encoding, map, cap)),
            Ok(None) => return,
            Err(e) => {
                emit(ReadItem::Rejected {
                    line: scanner.line,
                    reason: RejectReason::ReadError(e.to_string()),
                    raw: String::new(),
                });
                return;
            }
        }
    }
}

/// One top-level value, or one element of a top-level array, as cut from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// Physical line where it starts (1-based).
    pub line: u64,
    /// Its bytes (only the first [`RAW_EXCERPT_BYTES`] when `len` is over the cap).
    pub bytes: Vec<u8>,
    /// Its full length in bytes.
    pub len: u64,
    /// What is wrong with its shape, if the scanner saw it (unclosed, stray bracket, …).
    pub broken: Option<String>,
}

fn to_item(value: Value, encoding: TextEncoding, map: &FieldMap, cap: u64) -> ReadItem {
    let rejected = |reason| ReadItem::Rejected {
        line: value.line,
        reason,
        raw: lossy_excerpt(&value.bytes),
    };
    if value.len > cap {
        return rejected(RejectReason::TooLarge {
            bytes: value.len,
            cap,
        });
    }
    if let Some(problem) = &value.broken {
        return rejected(RejectReason::MalformedJson(problem.clone()));
    }
    // From here on an element is read like a JSON line.
    jsonl::parse_line(value.line, &value.bytes, encoding, map)
}

/// Where the scanner is between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Between top-level values.
    Top,
    /// Inside a top-level array, between elements.
    Array,
}

/// Cuts JSON values out of a byte stream, counting physical lines.
pub struct Scanner<R> {
    inner: R,
    cap: usize,
    /// Line of the next byte.
    pub line: u64,
    /// The previous byte was a CR (a following LF ends the same line).
    after_cr: bool,
    level: Level,
}

impl<R: BufRead> Scanner<R> {
    /// Wraps a stream; values over `cap` bytes keep only their head.
    pub fn new(inner: R, cap: usize) -> Scanner<R> {
        Scanner {
            inner,
            cap,
            line: 1,
            after_cr: false,
            level: Level::Top,
        }
    }

    /// The next byte, consumed, with the line count kept.
    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let byte = loop {
            match self.inner.fill_buf() {
                Ok(buf) => break buf.first().copied(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if let Some(b) = byte {
            self.inner.consume(1);
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.line += 1,
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
        Ok(byte)
    }

    /// The next byte without consuming it.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.inner.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next value (an array's next element inside a top-level array), or `None` at the
    /// end of the stream.
    pub fn next_value(&mut self) -> io::Result<Option<Value>> {
        loop {
            let Some(b) = self.peek()? else {
                if self.level == Level::Array {
                    self.level = Level::Top;
                    return Ok(Some(Value {
                        line: self.line,
                        bytes: Vec::new(),
                        len: 0,
                        broken: Some("the file ends inside an array (no closing `]`)".into()),
                    }));
                }
                return Ok(None);
            };
            match (self.level, b) {
                (_, b' ' | b'\t' | b'\n' | b'\r' | b',') => {
                    self.next_byte()?;
                }
                (Level::Top, b'[') => {
                    self.next_byte()?;
                    self.level = Level::Array;
                }
                (Level::Array, b']') => {
                    self.next_byte()?;
                    self.level = Level::Top;
                }
                (_, b']' | b'}') => {
                    let line = self.line;
                    self.next_byte()?;
                    return Ok(Some(Value {
                        line,
                        bytes: vec![b],
                        len: 1,
                        broken: Some(format!("unexpected `{}`", char::from(b))),
                    }));
                }
                _ => return self.value().map(Some),
            }
        }
    }

    /// Reads one value starting at the next byte.
    fn value(&mut self) -> io::Result<Value> {
        let mut value = Value {
            line: self.line,
            bytes: Vec::new(),
            len: 0,
            broken: None,
        };
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            if !in_string && depth == 0 && value.len > 0 {
                // A scalar ends at a delimiter; an object, array or string ended below.
                match self.peek()? {
                    None
                    | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}' | b'[' | b'{') => {
                        return Ok(value)
                    }
                    Some(_) => {}
                }
            }
            let Some(b) = self.next_byte()? else {
                if in_string || depth > 0 {
                    value.broken =
                        Some("the file ends inside this value (a missing `}`, `]` or `\"`)".into());
                }
                return Ok(value);
            };
            value.len += 1;
            let keep = if value.len as usize > self.cap {
                RAW_EXCERPT_BYTES
            } else {
                usize::MAX
            };
            if value.bytes.len() < keep {
                value.bytes.push(b);
            } else if value.bytes.len() > keep {
                value.bytes.truncate(keep);
            }
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => {
                        in_string = false;
                        if depth == 0 {
                            return Ok(value);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(value);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read_all(input: &[u8], cap: u64) -> Vec<ReadItem> {
        let opened = OpenedInput {
            // A tiny buffer makes values span many fill_buf calls.
            reader: Box::new(io::BufReader::with_capacity(3, Cursor::new(input.to_vec()))),
            encoding: TextEncoding::Utf8,
        };
        let mut items = Vec::new();
        read(opened, &FieldMap::default(), cap, &mut |item| {
            items.push(item)
        });
        items
    }

    /// (line, reject code or "ok", text) of each item.
    fn summary(items: &[ReadItem]) -> Vec<(u64, &'static str, String)> {
        items
            .iter()
            .map(|item| match item {
                ReadItem::Record(r) => (r.line, "ok", r.fields.text.clone().unwrap_or_default()),
                ReadItem::Rejected { line, reason, .. } => (*line, reason.code(), String::new()),
                ReadItem::RejectedMany { line, reason, .. } => {
                    (*line, reason.code(), String::new())
                }
            })
            .collect()
    }

    /// [`summary`] of `input` read with a cap no test reaches.
    fn parsed(input: &[u8]) -> Vec<(u64, &'static str, String)> {
        summary(&read_all(input, 1 << 20))
    }

    #[test]
    fn each_value_is_one_record_or_reject_with_its_first_line() {
        let ok = |line, text: &str| (line, "ok", text.to_string());
        let malformed = |line| (line, "malformed_json", String::new());
        crate::cases::check(
            parsed,
            [
                // One pretty-printed object is one record.
                (
                    b"{\n  \"title\": \"T\",\n  \"maintext\": \"Body {with} [brackets] and \\\"quotes\\\"\",\n  \"authors\": [\"a\", \"b\"]\n}\n".as_slice(),
                    vec![ok(1, "Body {with} [brackets] and \"quotes\"")],
                ),
                // An array is one record per element. Hand-counted lines: elements start on
                // lines 2, 4, 5 and 6 (CRLF, LF and a lone CR).
                (
                    b"[\r\n  {\"text\": \"a\",\r\n   \"n\": 1},\n  \"x\",\n  {\"text\": \"c\"}\r  {\"text\": \"d\"}\n]\n",
                    vec![ok(2, "a"), malformed(4), ok(5, "c"), ok(6, "d")],
                ),
                // Concatenated objects and broken ones are separate.
                (
                    b"{\"text\": \"a\"}\n{\"text\": }\n{\"text\": \"c\"}\n}\n{\"text\": \"unclosed\n",
                    vec![ok(1, "a"), malformed(2), ok(3, "c"), malformed(4), malformed(5)],
                ),
                // An unclosed array is reported after its elements.
                (b"[{\"text\": \"a\"},\n", vec![ok(1, "a"), malformed(2)]),
                (b"", vec![]),
                (b" \n [ ] \n", vec![]),
            ],
        );
    }

    #[test]
    fn an_element_over_the_cap_is_rejected_and_the_next_read() {
        let big = "x".repeat(10_000);
        let input = format!("[{{\"text\": \"{big}\"}}, {{\"text\": \"small\"}}]");
        let items = read_all(input.as_bytes(), 1000);
        assert_eq!(
            summary(&items),
            vec![
                (1, "too_large", String::new()),
                (1, "ok", "small".to_string())
            ]
        );
        match &items[0] {
            ReadItem::Rejected { raw, .. } => assert!(raw.len() <= RAW_EXCERPT_BYTES),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_cap_is_per_element_not_per_file() {
        // 2,000 small elements, 30 times the cap in all: every one is read.
        let elements: Vec<String> = (0..2000)
            .map(|i| format!("{{\"text\": \"element {i}\"}}"))
            .collect();
        let input = format!("[{}]", elements.join(",\n"));
        assert!(input.len() > 30 * 1000);
        let items = read_all(input.as_bytes(), 1000);
        assert_eq!(items.len(), 2000);
        assert!(items.iter().all(|i| matches!(i, ReadItem::Record(_))));
        assert_eq!(
            summary(&items)[1999],
            (2000, "ok", "element 1999".to_string())
        );
    }
}
