//! A line splitter over bytes with a size cap: a byte stream in, numbered lines out.
//!
//! `\n`, `\r\n` and a lone `\r` all end a line, so files with mixed line endings number
//! their lines the way an editor shows them. A line longer than the cap is not buffered:
//! only its head is kept, for the rejects file.

use std::io::{self, BufRead};

use crate::ingest::record::RAW_EXCERPT_BYTES;

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line within the cap, without its terminator.
    Complete {
        /// 1-based line number.
        number: u64,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// A line over the cap.
    TooLong {
        /// 1-based line number.
        number: u64,
        /// Total length in bytes.
        len: u64,
        /// The first bytes of the line.
        head: Vec<u8>,
    },
}

/// Splits a byte stream into lines of at most `cap` bytes.
pub struct LineReader<R> {
    inner: R,
    cap: usize,
    next_number: u64,
    skip_lf: bool,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a reader; lines over `cap` bytes come out as [`Line::TooLong`].
    pub fn new(inner: R, cap: usize) -> Self {
        LineReader {
            inner,
            cap,
            next_number: 1,
            skip_lf: false,
        }
    }

    /// The next line, or `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut len: u64 = 0;
        let mut saw_any = false;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                if !saw_any {
                    return Ok(None);
                }
                break;
            }
            let mut start = 0;
            if self.skip_lf {
                self.skip_lf = false;
                if buf[0] == b'\n' {
                    start = 1;
                }
            }
            let rest = &buf[start..];
            let end = memchr::memchr2(b'\n', b'\r', rest);
            let chunk = &rest[..end.unwrap_or(rest.len())];
            if !chunk.is_empty() || end.is_some() {
                saw_any = true;
            }
            len += chunk.len() as u64;
            let room = if len as usize > self.cap {
                RAW_EXCERPT_BYTES.saturating_sub(bytes.len())
            } else {
                chunk.len()
            };
            bytes.extend_from_slice(&chunk[..room.min(chunk.len())]);
            match end {
                Some(i) => {
                    self.skip_lf = rest[i] == b'\r';
                    self.inner.consume(start + i + 1);
                    break;
                }
                None => {
                    let used = start + rest.len();
                    self.inner.consume(used);
                    if used == 0 {
                        continue;
                    }
                }
            }
        }
        let number = self.next_number;
        self.next_number += 1;
        if len as usize > self.cap {
            bytes.truncate(RAW_EXCERPT_BYTES);
            Ok(Some(Line::TooLong {
                number,
                len,
                head: bytes,
            }))
        } else {
            Ok(Some(Line::Complete { number, bytes }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Repeated shape: test helpers of two readers, each building its own item type.
    fn lines(input: &[u8], cap: usize) -> Vec<Line> {
        // A tiny buffer forces lines to span several fill_buf calls.
        let reader = io::BufReader::with_capacity(3, input);
        let mut lines = LineReader::new(reader, cap);
        std::iter::from_fn(|| lines.next_line().unwrap()).collect()
    }

    fn complete(number: u64, s: &str) -> Line {
        Line::Complete {
            number,
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn mixed_line_endings_are_numbered_like_an_editor() {
        let got = lines(b"a\r\nbb\rccc\n\ndd", 100);
        assert_eq!(
            got,
            vec![
                complete(1, "a"),
                complete(2, "bb"),
                complete(3, "ccc"),
                complete(4, ""),
                complete(5, "dd")
            ]
        );
    }

    #[test]
    fn crlf_split_across_buffers_is_one_terminator() {
        let got = lines(b"ab\r\ncd\r\n", 100);
        assert_eq!(got, vec![complete(1, "ab"), complete(2, "cd")]);
    }

    #[test]
    fn long_lines_keep_only_a_head() {
        let long = vec![b'x'; 10_000];
        let mut input = long.clone();
        input.extend_from_slice(b"\nok\n");
        let got = lines(&input, 50);
        match &got[0] {
            Line::TooLong { number, len, head } => {
                assert_eq!((*number, *len), (1, 10_000));
                assert_eq!(head.len(), RAW_EXCERPT_BYTES);
            }
            other => panic!("expected TooLong, got {other:?}"),
        }
        assert_eq!(got[1], complete(2, "ok"));
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(b"", 10).is_empty());
    }
}
