//! CSV record boundaries with a size cap and stray-quote recovery: a byte stream in, the
//! bytes of one record at a time (with its first line number) out.
//!
//! The splitter follows the quoting rules of the `csv` crate (a field that starts with `"`
//! runs to the next unescaped `"`; `""` is a quote; a quote inside an unquoted field is
//! literal; `\n`, `\r\n` and a lone `\r` end a record outside quotes; blank lines are not
//! records), but it never holds more than the cap: a longer record is reported by its head
//! and length. A quote that never closes — at the end of the file, or after
//! [`MAX_QUOTED_LINES`] lines of which at least half look like whole rows, or past the cap
//! with such lines in it — is a *stray quote*: the record it opened is rejected naming the
//! line of the quote, and reading resumes on the line after it, so the rows it swallowed are
//! read as rows.

use std::io::{self, BufRead};

use crate::ingest::record::RAW_EXCERPT_BYTES;

/// Lines a quoted field may span before a stray quote is suspected (see the module docs).
pub const MAX_QUOTED_LINES: u64 = 1_000;

/// Why a quote was judged stray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrayReason {
    /// The file ended inside the quoted field.
    EndOfFile,
    /// The field ran over [`MAX_QUOTED_LINES`] lines, most of them looking like rows.
    TooManyLines,
    /// The field ran over the size cap, most of its lines looking like rows.
    TooLarge,
    /// The field closed, but only after lines most of which look like rows (the closing
    /// quote was another field's opening one).
    ClosedAfterRows,
}

/// One piece of a CSV stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A record within the cap, without its terminator.
    Record {
        /// Line where the record starts.
        line: u64,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A record over the cap, skipped to its end.
    TooLarge {
        /// Line where the record starts.
        line: u64,
        /// Its length in bytes.
        len: u64,
        /// Its first bytes.
        head: Vec<u8>,
        /// Line of a quote still open at the end of the file, if that is where it ended.
        open_quote: Option<u64>,
    },
    /// A record whose quote never closed; reading resumed after the quote's line.
    StrayQuote {
        /// Line where the record starts.
        line: u64,
        /// Line where the stray quote opened.
        quote_line: u64,
        /// Lines after the quote's line that the field ran over.
        swallowed: u64,
        /// Of those, lines that look like whole rows.
        row_like: u64,
        /// Why the quote was judged stray.
        reason: StrayReason,
        /// The record's first bytes.
        head: Vec<u8>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The (first multi-line) quoted field of the current record, if any.
#[derive(Debug, Clone, Copy, Default)]
struct Quote {
    line: u64,
    /// Still inside this field (lines are counted only until it closes).
    open: bool,
    /// Offset in the record buffer just after the quote's line (where reading resumes).
    resume_at: Option<usize>,
    /// Lines after the quote's line the field has run over.
    swallowed: u64,
    /// Of those, lines with at least as many delimiters as a row has.
    row_like: u64,
    /// Delimiters on the current line inside the field.
    delimiters: usize,
}

/// Splits a CSV byte stream into records of at most `cap` bytes.
pub struct RecordSplitter<R> {
    inner: R,
    /// Bytes to read before `inner` (the rest of a record cut short by a stray quote).
    pending: Vec<u8>,
    pending_at: usize,
    delimiter: u8,
    cap: usize,
    /// Delimiters that make a line look like a whole row (fields − 1, at least 1).
    row_delimiters: usize,
    line: u64,
    previous: u8,
}

/// The current record while it is being read.
#[derive(Default)]
struct Current {
    line: u64,
    bytes: Vec<u8>,
    len: u64,
    over_cap: bool,
    quote: Option<Quote>,
}

impl<R: BufRead> RecordSplitter<R> {
    /// Splits `inner` with `delimiter`; records over `cap` bytes are reported, not kept.
    pub fn new(inner: R, delimiter: u8, cap: usize) -> Self {
        RecordSplitter {
            inner,
            pending: Vec::new(),
            pending_at: 0,
            delimiter,
            cap,
            row_delimiters: 1,
            line: 1,
            previous: b'\n',
        }
    }

    /// Changes the cap (the header has its own, smaller one).
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap;
    }

    /// Sets the number of fields a row has (from the header), for stray-quote detection.
    pub fn set_fields(&mut self, fields: usize) {
        self.row_delimiters = fields.saturating_sub(1).max(1);
    }

    /// The next piece, or `None` at the end of the stream.
    pub fn next_piece(&mut self) -> io::Result<Option<Piece>> {
        let mut state = State::StartRecord;
        let mut current = Current {
            line: self.line,
            bytes: Vec::new(),
            len: 0,
            over_cap: false,
            quote: None,
        };
        loop {
            let (chunk, from_pending) = if self.pending_at < self.pending.len() {
                (&self.pending[self.pending_at..], true)
            } else {
                match self.inner.fill_buf() {
                    Ok(buf) => (buf, false),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            if chunk.is_empty() {
                return Ok(self.end_of_input(state, current));
            }
            let mut used = 0;
            let mut outcome = None;
            for &b in chunk {
                used += 1;
                let newline = b == b'\n' && self.previous != b'\r' || b == b'\r';
                self.previous = b;
                if state == State::StartRecord {
                    if b == b'\n' || b == b'\r' {
                        if newline {
                            self.line += 1;
                        }
                        continue;
                    }
                    current.line = self.line;
                    state = State::StartField;
                }
                let terminator = b == b'\n' || b == b'\r';
                state = match (state, b) {
                    (State::StartField, b'"') => {
                        // Once a field has run over lines, later fields are not followed.
                        if current.quote.is_none_or(|q| q.resume_at.is_none()) {
                            current.quote = Some(Quote {
                                line: self.line,
                                open: true,
                                ..Quote::default()
                            });
                        }
                        State::Quoted
                    }
                    (State::Quoted, b'"') => State::QuoteInQuoted,
                    (State::Quoted, _) => State::Quoted,
                    (State::QuoteInQuoted, b'"') => State::Quoted,
                    (State::QuoteInQuoted, _) => {
                        if let Some(quote) = current.quote.as_mut() {
                            quote.open = false;
                        }
                        if b == self.delimiter {
                            State::StartField
                        } else if terminator {
                            State::StartRecord
                        } else {
                            State::Unquoted
                        }
                    }
                    (_, d) if d == self.delimiter => State::StartField,
                    (_, _) if terminator => State::StartRecord,
                    _ => State::Unquoted,
                };
                if state == State::StartRecord {
                    self.line += 1;
                    outcome = Some(self.complete(std::mem::take(&mut current)));
                    break;
                }
                if push(&mut current, b, self.cap) {
                    // Just over the cap: a multi-line quote over mostly row-like lines is
                    // stray (decided while its bytes are all here); anything else keeps
                    // only its head.
                    if current
                        .quote
                        .is_some_and(|q| q.resume_at.is_some() && mostly_rows(&q))
                    {
                        let taken = std::mem::take(&mut current);
                        outcome = self.stray(taken, StrayReason::TooLarge).ok();
                        break;
                    }
                    current.bytes.truncate(RAW_EXCERPT_BYTES);
                    current.bytes.shrink_to_fit();
                }
                if state == State::Quoted && newline {
                    self.line += 1;
                    if let Some(quote) = current.quote.as_mut().filter(|q| q.open) {
                        if quote.resume_at.is_none() {
                            quote.resume_at = Some(current.bytes.len());
                        } else {
                            quote.swallowed += 1;
                            if quote.delimiters >= self.row_delimiters {
                                quote.row_like += 1;
                            }
                        }
                        quote.delimiters = 0;
                        let too_many = quote.swallowed > MAX_QUOTED_LINES && mostly_rows(quote);
                        if too_many && !current.over_cap {
                            let taken = std::mem::take(&mut current);
                            outcome = self.stray(taken, StrayReason::TooManyLines).ok();
                            break;
                        }
                    }
                } else if state == State::Quoted && b == self.delimiter {
                    if let Some(quote) = current.quote.as_mut().filter(|q| q.open) {
                        quote.delimiters += 1;
                    }
                }
            }
            if from_pending {
                self.pending_at += used;
            } else {
                self.inner.consume(used);
            }
            if let Some(piece) = outcome {
                return Ok(Some(piece));
            }
        }
    }

    /// A record that ended normally: kept, too large, or — when a quoted field in it ran over
    /// lines most of which look like rows — rejected as opened by a stray quote.
    fn complete(&mut self, current: Current) -> Piece {
        let closed_late = current
            .quote
            .is_some_and(|q| q.resume_at.is_some() && mostly_rows(&q) && !current.over_cap);
        let current = if closed_late {
            match self.stray(current, StrayReason::ClosedAfterRows) {
                Ok(piece) => return piece,
                Err(current) => current,
            }
        } else {
            current
        };
        if current.over_cap {
            Piece::TooLarge {
                line: current.line,
                len: current.len,
                head: current.bytes,
                open_quote: None,
            }
        } else {
            Piece::Record {
                line: current.line,
                bytes: current.bytes,
            }
        }
    }

    /// At the end of the input: the last record, a stray quote, or nothing.
    fn end_of_input(&mut self, state: State, current: Current) -> Option<Piece> {
        match state {
            State::StartRecord => None,
            State::Quoted => match current.quote {
                Some(quote) if quote.resume_at.is_some() && !current.over_cap => {
                    self.stray(current, StrayReason::EndOfFile).ok()
                }
                Some(quote) if current.over_cap => Some(Piece::TooLarge {
                    line: current.line,
                    len: current.len,
                    head: current.bytes,
                    open_quote: Some(quote.line),
                }),
                quote => Some(Piece::StrayQuote {
                    line: current.line,
                    quote_line: quote.map_or(current.line, |q| q.line),
                    swallowed: 0,
                    row_like: 0,
                    reason: StrayReason::EndOfFile,
                    head: current.bytes,
                }),
            },
            _ => Some(self.complete(current)),
        }
    }

    /// Rejects the current record as opened by a stray quote and resumes on the line after
    /// the quote's — when its quoted field ran over lines (else there is nothing to resume).
    fn stray(&mut self, mut current: Current, reason: StrayReason) -> Result<Piece, Current> {
        let Some((quote, resume_at)) = current.quote.and_then(|q| q.resume_at.map(|at| (q, at)))
        else {
            return Err(current);
        };
        let mut rest = current.bytes.split_off(resume_at);
        rest.extend_from_slice(&self.pending[self.pending_at..]);
        self.pending = rest;
        self.pending_at = 0;
        self.line = quote.line + 1;
        self.previous = b'\n';
        current.bytes.truncate(RAW_EXCERPT_BYTES);
        Ok(Piece::StrayQuote {
            line: current.line,
            quote_line: quote.line,
            swallowed: quote.swallowed,
            row_like: quote.row_like,
            reason,
            head: current.bytes,
        })
    }
}

/// Adds a byte to the record (only to its head once it is over the cap); true when this byte
/// took it over the cap.
fn push(current: &mut Current, b: u8, cap: usize) -> bool {
    current.len += 1;
    if current.over_cap {
        if current.bytes.len() < RAW_EXCERPT_BYTES {
            current.bytes.push(b);
        }
        return false;
    }
    current.bytes.push(b);
    current.over_cap = current.bytes.len() > cap;
    current.over_cap
}

/// Whether most lines a quoted field ran over look like whole rows.
fn mostly_rows(quote: &Quote) -> bool {
    quote.swallowed > 0 && quote.row_like * 2 >= quote.swallowed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// On well-formed CSV (as the `csv` crate writes it: quotes, doubled quotes, commas
        /// and line breaks inside fields), records start on the lines the `csv` crate
        /// reports, and hold the same bytes once split into fields.
        #[test]
        fn boundaries_agree_with_the_csv_crate(
            rows in prop::collection::vec(
                prop::collection::vec("[a-zя\" \r\n,]{0,12}", 4),
                1..20,
            ),
            crlf in any::<bool>(),
        ) {
            // At most one comma per field line, so no quoted line looks like a whole row.
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(|f| {
                    let mut seen = false;
                    f.chars().filter(|&c| c != ',' || !std::mem::replace(&mut seen, true)).collect()
                }).collect())
                .collect();
            let mut writer = csv::WriterBuilder::new()
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            // Each record's start offset, for its line number counted independently.
            let mut starts = Vec::new();
            for row in &rows {
                writer.flush().unwrap();
                starts.push(writer.get_ref().len());
                writer.write_record(row).unwrap();
            }
            let bytes = writer.into_inner().unwrap();
            let line_at = |offset: usize| {
                let before = &bytes[..offset];
                let lf = before.iter().filter(|&&b| b == b'\n').count();
                let lone_cr = before
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| b == b'\r' && before.get(i + 1) != Some(&b'\n'))
                    .count();
                (1 + lf + lone_cr) as u64
            };
            let mut expected = Vec::new();
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..]);
            let mut record = csv::ByteRecord::new();
            let mut index = 0;
            while reader.read_byte_record(&mut record).unwrap() {
                // The csv crate skips records that are one empty field (a blank line).
                while index < rows.len() && rows[index].iter().all(String::is_empty) && rows[index].len() == 1 {
                    index += 1;
                }
                expected.push((line_at(starts[index]), record.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
                index += 1;
            }
            let mut splitter = RecordSplitter::new(&bytes[..], b',', 1 << 20);
            splitter.set_fields(4);
            let mut got = Vec::new();
            while let Some(piece) = splitter.next_piece().unwrap() {
                let Piece::Record { line, bytes } = piece else {
                    return Err(TestCaseError::fail(format!("{piece:?}")));
                };
                let mut fields = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(&bytes[..]);
                let mut record = csv::ByteRecord::new();
                fields.read_byte_record(&mut record).unwrap();
                got.push((line, record.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
            }
            prop_assert_eq!(got, expected);
        }
    }

    // Repeated shape: test helpers of two readers, each building its own item type.
    fn pieces(input: &[u8], cap: usize, fields: usize) -> Vec<Piece> {
        // A tiny buffer makes records span several fill_buf calls.
        let mut splitter = RecordSplitter::new(io::BufReader::with_capacity(3, input), b',', cap);
        splitter.set_fields(fields);
        std::iter::from_fn(|| splitter.next_piece().unwrap()).collect()
    }

    fn record(line: u64, s: &str) -> Piece {
        Piece::Record {
            line,
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn quoted_fields_span_lines_and_blank_lines_are_skipped() {
        let got = pieces(b"a,b\r\n\r\n1,\"x\r\ny\"\"z\"\n2,w\r3,v", 100, 2);
        assert_eq!(
            got,
            [
                record(1, "a,b"),
                record(3, "1,\"x\r\ny\"\"z\""),
                record(5, "2,w"),
                record(6, "3,v")
            ]
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_literal() {
        let got = pieces(b"a,5\" screen\nb,c\n", 100, 2);
        assert_eq!(got, [record(1, "a,5\" screen"), record(2, "b,c")]);
    }

    #[test]
    fn a_quote_open_at_the_end_resumes_on_the_next_line() {
        let got = pieces(b"id,t\n1,\"open\n2,two\n3,three\n", 100, 2);
        assert_eq!(
            got[1],
            Piece::StrayQuote {
                line: 2,
                quote_line: 2,
                swallowed: 2,
                row_like: 2,
                reason: StrayReason::EndOfFile,
                head: b"1,\"open\n".to_vec(),
            }
        );
        assert_eq!(&got[2..], [record(3, "2,two"), record(4, "3,three")]);
    }

    #[test]
    fn a_stray_quote_is_caught_after_the_line_limit_not_at_the_end() {
        let mut input = b"id,t\n1,\"stray\n".to_vec();
        let rows = MAX_QUOTED_LINES as usize + 50;
        for i in 0..rows {
            input.extend_from_slice(format!("{i},row\n").as_bytes());
        }
        let got = pieces(&input, 1 << 20, 2);
        match &got[1] {
            Piece::StrayQuote {
                quote_line, reason, ..
            } => {
                assert_eq!((*quote_line, *reason), (2, StrayReason::TooManyLines));
            }
            other => panic!("{other:?}"),
        }
        // Every swallowed row is read back as a row, with its own line number.
        assert_eq!(got.len(), 2 + rows);
        let last = 2 + rows as u64;
        assert_eq!(got[1 + rows], record(last, &format!("{},row", rows - 1)));
    }

    #[test]
    fn long_prose_in_quotes_is_one_record_and_over_the_cap_is_too_large() {
        let prose = "Строка прозы без запятых.\n".repeat(10);
        let input = format!("id,t\n1,\"{prose}\"\n2,x\n");
        let got = pieces(input.as_bytes(), 1000, 2);
        assert_eq!(got.len(), 3);
        assert!(matches!(&got[1], Piece::Record { line: 2, .. }));
        let got = pieces(input.as_bytes(), 50, 2);
        assert!(matches!(
            &got[1],
            Piece::TooLarge {
                line: 2,
                open_quote: None,
                ..
            }
        ));
        assert_eq!(got[2], record(13, "2,x"));
    }
}
