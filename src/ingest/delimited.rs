//! CSV / TSV reader: a byte stream with a header row in, one raw record (or reject) per row out.
//! The delimiter (`,`, `;` or tab) is sniffed from the header line; quoted fields may span lines.
//! Line numbers are physical lines (`\n`, `\r\n` or a lone `\r` ends one), counted here from
//! each record's byte offset: the csv crate's own count is one short after CRLF records and
//! does not see lone CRs.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::rc::Rc;

use crate::ingest::decode::{self, TextEncoding};
use crate::ingest::fields::{is_text_name, FieldCollector, FieldMap};
use crate::ingest::record::{excerpt, RawRecord, ReadItem, RecordKind, RejectReason};
use crate::ingest::source::OpenedInput;

/// Picks the delimiter that occurs most often outside quotes in the first line (`,` on ties).
pub fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in first_line {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Reads a delimited file with a header row.
pub fn read(input: OpenedInput, map: &FieldMap, cap: u64, emit: &mut dyn FnMut(ReadItem)) {
    let encoding = input.encoding;
    let mut reader = input.reader;
    let delimiter = match reader.fill_buf() {
        Ok(buf) => sniff_delimiter(buf),
        Err(e) => {
            emit(read_error(0, &e.to_string()));
            return;
        }
    };
    let lines = Rc::new(RefCell::new(LineStarts::default()));
    let counted = LineCounting {
        inner: reader,
        lines: Rc::clone(&lines),
    };
    let line_of = |position: Option<&csv::Position>| {
        position.map_or(0, |p| lines.borrow_mut().line_of(p.byte()))
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(counted);
    let mut record = csv::ByteRecord::new();
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => record.clone(),
        Ok(false) => return,
        Err(e) => {
            emit(read_error(1, &e.to_string()));
            return;
        }
    };
    let header_names: Vec<String> = header
        .iter()
        .map(|name| {
            decode::decode(name, encoding)
                .map(|s| s.into_owned())
                .unwrap_or_default()
        })
        .collect();
    if !header_names.iter().any(|name| is_text_name(map, name)) {
        // Every row would be a `missing_text` reject for the same reason: say it once, for
        // the whole file, with the columns there are.
        let mut rows = 0;
        let mut first_line = 0;
        while let Ok(true) = csv.read_byte_record(&mut record) {
            // Asked for every row, so the line index drops what it no longer needs.
            let line = line_of(record.position());
            if rows == 0 {
                first_line = line;
            }
            rows += 1;
        }
        if rows > 0 {
            emit(ReadItem::RejectedMany {
                line: first_line,
                reason: RejectReason::NoTextColumn {
                    columns: header_names.clone(),
                    rows,
                },
                raw: excerpt(&header_names.join(&(delimiter as char).to_string())).to_string(),
                records: rows,
            });
        }
        return;
    }
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                let line = line_of(e.position());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    emit(read_error(line, &e.to_string()));
                    return;
                }
                emit(ReadItem::Rejected {
                    line,
                    reason: RejectReason::MalformedCsv(e.to_string()),
                    raw: String::new(),
                });
                continue;
            }
        }
        let line = line_of(record.position());
        emit(to_item(
            line,
            &record,
            &header_names,
            delimiter,
            encoding,
            map,
            cap,
        ));
    }
}

/// Offsets where lines start, for the stretch of the stream the csv reader has buffered.
#[derive(Debug, Default)]
struct LineStarts {
    /// Byte offset of the next byte to come through.
    offset: u64,
    /// Starts of lines after `line`, in order.
    starts: VecDeque<u64>,
    /// Line of the last offset asked about.
    line: u64,
    /// The last byte seen was a CR (a following LF belongs to the same line end).
    after_cr: bool,
}

impl LineStarts {
    fn see(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.offset += 1;
            match b {
                // The LF of a CRLF: the line already started after the CR (the csv reader
                // reports such a record as starting at the LF).
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.starts.push_back(self.offset),
                b'\r' => {
                    self.after_cr = true;
                    self.starts.push_back(self.offset);
                }
                _ => self.after_cr = false,
            }
        }
    }

    /// The 1-based line holding byte `offset` (offsets asked about never decrease).
    fn line_of(&mut self, offset: u64) -> u64 {
        while self.starts.front().is_some_and(|&start| start <= offset) {
            self.starts.pop_front();
            self.line += 1;
        }
        self.line + 1
    }
}

/// A reader that notes where lines start in what passes through it.
struct LineCounting<R> {
    inner: R,
    lines: Rc<RefCell<LineStarts>>,
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.borrow_mut().see(&buf[..n]);
        Ok(n)
    }
}

fn read_error(line: u64, message: &str) -> ReadItem {
    ReadItem::Rejected {
        line,
        reason: RejectReason::ReadError(message.to_string()),
        raw: String::new(),
    }
}

fn to_item(
    line: u64,
    record: &csv::ByteRecord,
    header: &[String],
    delimiter: u8,
    encoding: TextEncoding,
    map: &FieldMap,
    cap: u64,
) -> ReadItem {
    let raw = || {
        let joined: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(&f[..f.len().min(4096)]).into_owned())
            .collect();
        excerpt(&joined.join(&(delimiter as char).to_string())).to_string()
    };
    let size = record.as_slice().len() as u64;
    if size > cap {
        return ReadItem::Rejected {
            line,
            reason: RejectReason::TooLarge { bytes: size, cap },
            raw: raw(),
        };
    }
    if record.len() != header.len() {
        return ReadItem::Rejected {
            line,
            reason: RejectReason::MalformedCsv(format!(
                "expected {} fields as in the header, found {} (unbalanced quote or stray delimiter?)",
                header.len(),
                record.len()
            )),
            raw: raw(),
        };
    }
    if let Some(name) = swallowing_field(record, header, delimiter) {
        return ReadItem::Rejected {
            line,
            reason: RejectReason::MalformedCsv(format!(
                "field `{name}` runs over lines that look like further records (unbalanced quote?); they are part of this reject"
            )),
            raw: raw(),
        };
    }
    let mut collector = FieldCollector::default();
    for (name, value) in header.iter().zip(record.iter()) {
        match decode::decode(value, encoding) {
            Ok(text) => collector.offer(map, name, text.into_owned()),
            Err(e) => {
                return ReadItem::Rejected {
                    line,
                    reason: RejectReason::Undecodable(format!("field `{name}`: {e}")),
                    raw: raw(),
                }
            }
        }
    }
    ReadItem::Record(Box::new(RawRecord {
        line,
        fields: collector.finish(),
        format_medium: None,
        cues: Vec::new(),
        raw: raw(),
        name_fields: Default::default(),
        kind: RecordKind::Structured,
    }))
}

/// The name of a multi-line field whose later lines look like whole records (as many
/// delimiters as a row has), the mark of a quote that was never closed.
fn swallowing_field<'a>(
    record: &csv::ByteRecord,
    header: &'a [String],
    delimiter: u8,
) -> Option<&'a str> {
    let needed = header.len().saturating_sub(1).max(1);
    record.iter().zip(header).find_map(|(field, name)| {
        field
            .split(|&b| b == b'\n')
            .skip(1)
            .any(|line| line.iter().filter(|&&b| b == delimiter).count() >= needed)
            .then_some(name.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read_all(input: &str) -> Vec<ReadItem> {
        let opened = OpenedInput {
            reader: Box::new(Cursor::new(input.as_bytes().to_vec())),
            encoding: TextEncoding::Utf8,
        };
        let mut items = Vec::new();
        read(opened, &FieldMap::default(), 1 << 20, &mut |item| {
            items.push(item)
        });
        items
    }

    #[test]
    fn sniffs_semicolons_and_tabs() {
        assert_eq!(sniff_delimiter(b"date;source;\"a,b,c\";x\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a,b"), b',');
    }

    #[test]
    fn multiline_quoted_fields_keep_their_start_line() {
        let items =
            read_all("source;content;date\nx;\"line one\nline two\";2022-01-05\ny;z;2022-01-06\n");
        assert_eq!(items.len(), 2);
        match &items[0] {
            ReadItem::Record(r) => {
                assert_eq!(r.line, 2);
                assert_eq!(r.fields.text.as_deref(), Some("line one\nline two"));
                assert_eq!(r.fields.outlet.as_deref(), Some("x"));
            }
            other => panic!("{other:?}"),
        }
        match &items[1] {
            ReadItem::Record(r) => assert_eq!(r.line, 4),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_without_a_text_column_is_one_reject_naming_its_columns() {
        let items = read_all("id,headline,publish_date\n1,a,2022-01-05\n2,b,2022-01-06\n");
        assert_eq!(items.len(), 1);
        match &items[0] {
            ReadItem::RejectedMany {
                line,
                reason,
                records,
                ..
            } => {
                assert_eq!((*line, *records), (2, 2));
                let message = reason.to_string();
                assert!(
                    message.contains("`id`, `headline`, `publish_date`"),
                    "{message}"
                );
                assert!(message.contains("--map text=COLUMN"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(read_all("id,headline\n").is_empty());
    }

    #[test]
    fn lines_are_physical_lines_with_any_line_end() {
        // Records start on lines 2, 3 (spanning 3–4), 5 and 6, whatever ends the lines.
        for end in ["\n", "\r\n", "\r"] {
            let text = [
                "outlet,text",
                "a,one",
                "b,\"two",
                "lines\"",
                "c,three",
                "d,four",
                "",
            ]
            .join(end);
            let lines: Vec<u64> = read_all(&text)
                .iter()
                .map(|item| match item {
                    ReadItem::Record(r) => r.line,
                    other => panic!("{other:?}"),
                })
                .collect();
            assert_eq!(lines, vec![2, 3, 5, 6], "{end:?}");
        }
    }

    #[test]
    fn wrong_field_count_is_rejected_with_counts() {
        let items = read_all("outlet,text\na,b,c\nd,e\n");
        match &items[0] {
            ReadItem::Rejected { line, reason, .. } => {
                assert_eq!(*line, 2);
                assert!(reason.to_string().contains("expected 2 fields"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(items[1], ReadItem::Record(_)));
    }
}
