//! CSV / TSV reader: a byte stream with a header row in, one raw record (or reject) per row out.
//! The delimiter (`,`, `;` or tab) is sniffed from the header line; quoted fields may span
//! lines; memory stays within the record cap (the header within [`HEADER_CAP`]). Line numbers
//! are physical lines (`\n`, `\r\n` or a lone `\r` ends one), counted by the splitter.

use std::io::BufRead;

use crate::ingest::csv_split::{Piece, RecordSplitter, StrayReason, MAX_QUOTED_LINES};
use crate::ingest::decode::{self, TextEncoding};
use crate::ingest::fields::{is_text_name, FieldCollector, FieldMap};
use crate::ingest::record::{
    excerpt, lossy_excerpt, RawRecord, ReadItem, RecordKind, RejectReason,
};
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

/// Largest header line: a longer first line (a file of zeros, a binary) is not a CSV header,
/// and stops the file with one `too_large` reject within this much memory.
pub const HEADER_CAP: u64 = 1 << 20;

/// Reads a delimited file with a header row. Records are split by [`RecordSplitter`] (never
/// more than `cap` bytes held; stray quotes rejected and read past) and their fields by
/// `csv-core`.
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
    let header_cap = cap.min(HEADER_CAP);
    let mut splitter = RecordSplitter::new(reader, delimiter, header_cap as usize);
    let mut fields = FieldSplitter::new(delimiter);
    let header = match splitter.next_piece() {
        Ok(Some(Piece::Record { bytes, .. })) => fields.split(&bytes),
        Ok(Some(Piece::TooLarge { len, head, .. })) => {
            emit(ReadItem::Rejected {
                line: 1,
                reason: RejectReason::TooLarge {
                    bytes: len,
                    cap: header_cap,
                },
                raw: lossy_excerpt(&head),
            });
            return;
        }
        Ok(Some(stray @ Piece::StrayQuote { .. })) => {
            emit(stray_reject(stray));
            return;
        }
        Ok(None) => return,
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
    splitter.set_cap(usize::try_from(cap).unwrap_or(usize::MAX));
    splitter.set_fields(header_names.len());
    if !header_names.iter().any(|name| is_text_name(map, name)) {
        // Every row would be a `missing_text` reject for the same reason: say it once, for
        // the whole file, with the columns there are.
        let mut rows = 0;
        let mut first_line = 0;
        while let Ok(Some(piece)) = splitter.next_piece() {
            if rows == 0 {
                first_line = match piece {
                    Piece::Record { line, .. }
                    | Piece::TooLarge { line, .. }
                    | Piece::StrayQuote { line, .. } => line,
                };
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
        let piece = match splitter.next_piece() {
            Ok(Some(piece)) => piece,
            Ok(None) => return,
            Err(e) => {
                emit(read_error(0, &e.to_string()));
                return;
            }
        };
        let item = match piece {
            Piece::Record { line, bytes } => to_item(
                line,
                &fields.split(&bytes),
                &header_names,
                delimiter,
                encoding,
                map,
                cap,
            ),
            Piece::TooLarge {
                line,
                len,
                head,
                open_quote: None,
            } => ReadItem::Rejected {
                line,
                reason: RejectReason::TooLarge { bytes: len, cap },
                raw: lossy_excerpt(&head),
            },
            Piece::TooLarge {
                line,
                len,
                head,
                open_quote: Some(quote),
            } => ReadItem::Rejected {
                line,
                reason: RejectReason::MalformedCsv(format!(
                    "unbalanced quote: the quote opened at line {quote} is never closed, so the rest of the file ({len} bytes, over the size cap of {cap}) is this one record"
                )),
                raw: lossy_excerpt(&head),
            },
            stray @ Piece::StrayQuote { .. } => stray_reject(stray),
        };
        emit(item);
    }
}

/// The reject of a record opened by a stray quote, saying where the quote opened and where
/// reading resumed.
fn stray_reject(piece: Piece) -> ReadItem {
    let Piece::StrayQuote {
        line,
        quote_line,
        swallowed,
        row_like,
        reason,
        head,
    } = piece
    else {
        return read_error(0, "internal: not a stray quote");
    };
    let how = match reason {
        StrayReason::EndOfFile if swallowed == 0 => {
            "is never closed before the end of the file".to_string()
        }
        StrayReason::EndOfFile => format!(
            "is never closed: it ran to the end of the file over {swallowed} more lines ({row_like} of them look like rows)"
        ),
        StrayReason::TooManyLines => format!(
            "runs over more than {MAX_QUOTED_LINES} lines, {row_like} of them looking like rows"
        ),
        StrayReason::TooLarge => format!(
            "runs past the size cap over {swallowed} lines, {row_like} of them looking like rows"
        ),
        StrayReason::ClosedAfterRows => format!(
            "closes only {swallowed} lines later, after {row_like} lines that look like rows"
        ),
    };
    let resumed = if swallowed > 0 || reason != StrayReason::EndOfFile {
        format!(
            "; this record is rejected and reading resumes at line {}",
            quote_line + 1
        )
    } else {
        String::new()
    };
    ReadItem::Rejected {
        line,
        reason: RejectReason::MalformedCsv(format!(
            "unbalanced quote: the quote opened at line {quote_line} {how}{resumed}"
        )),
        raw: lossy_excerpt(&head),
    }
}

/// Splits one record's bytes into fields (quotes removed, `""` unescaped), reusing buffers.
struct FieldSplitter {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl FieldSplitter {
    fn new(delimiter: u8) -> FieldSplitter {
        FieldSplitter {
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: Vec::new(),
            ends: vec![0; 16],
        }
    }

    fn split(&mut self, bytes: &[u8]) -> csv::ByteRecord {
        use csv_core::ReadRecordResult as R;
        // A record never grows when its quotes are removed.
        self.out.resize(bytes.len() + 1, 0);
        self.reader.reset();
        let (mut read, mut written, mut ended) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) = self.reader.read_record(
                &bytes[read..],
                &mut self.out[written..],
                &mut self.ends[ended..],
            );
            read += nin;
            written += nout;
            ended += nend;
            match result {
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::InputEmpty => {}
                R::Record | R::End => break,
            }
        }
        let mut record = csv::ByteRecord::with_capacity(written, ended);
        let mut start = 0;
        for &end in &self.ends[..ended] {
            record.push_field(&self.out[start..end]);
            start = end;
        }
        record
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
