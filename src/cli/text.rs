//! The commands that read text on standard input: `detect` (the language of each line) and
//! `analyze` (each word with the index term it becomes).

use std::io::{self, BufRead, Write};

use anyhow::Context;
use mediawatch::lang;
use mediawatch::report::terminal;

use super::args::{self, DetectFormat};
use super::{languages, Failure};

/// Runs `detect`.
pub fn detect(format: DetectFormat, cap: u64, codes: &[String]) -> Result<(), Failure> {
    use mediawatch::ingest::lines::{Line, LineReader};
    let allowed = languages(codes)?;
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Lines over the cap are never held whole: they are detected from their head.
    let mut lines = LineReader::new(stdin.lock(), usize::try_from(cap).unwrap_or(usize::MAX));
    while let Some(line) = lines.next_line().context("reading standard input")? {
        let (number, bytes, cut) = match line {
            Line::Complete { number, bytes } => (number, bytes, false),
            Line::TooLong { number, len, head } => {
                eprintln!(
                    "mediawatch: line {number} is {len} bytes, over --record-cap {cap}: detected from its first {} bytes",
                    head.len()
                );
                (number, head, true)
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let detection = lang::detect_in(&text, allowed.as_ref());
        let (code, confidence) = detection.map_or(("und", 0.0), |d| (d.lang, d.confidence));
        let written = match format {
            DetectFormat::Tsv => {
                let ellipsis = if cut { "…" } else { "" };
                writeln!(
                    out,
                    "{code}\t{confidence:.3}\t{}{ellipsis}",
                    terminal::text(&text)
                )
            }
            DetectFormat::Json => {
                let value = serde_json::json!({
                    "line": number,
                    "lang": code,
                    "confidence": (confidence * 1000.0).round() / 1000.0,
                });
                writeln!(out, "{value}")
            }
        };
        written?;
    }
    out.flush()?;
    Ok(())
}

/// Runs `analyze`.
pub fn analyze(args: args::AnalyzeArgs) -> Result<(), Failure> {
    use mediawatch::analysis::{Analyzer, Rule};
    let analyzer = Analyzer::for_language(args.lang.into());
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut write_word = |line: usize, start: usize, word: &str| -> io::Result<()> {
        let analysis = analyzer.analyze_word(word);
        match args.format {
            DetectFormat::Tsv => writeln!(
                out,
                "{}\t{}\t{}\t{}",
                terminal::text(word),
                terminal::text(&analysis.term),
                terminal::text(&analysis.exact),
                analysis.rule.name()
            ),
            DetectFormat::Json => {
                let mut value = serde_json::json!({
                    "token": word,
                    "term": analysis.term,
                    "exact": analysis.exact,
                    "rule": analysis.rule.name(),
                    "line": line,
                    "start": start,
                    "end": start + word.len(),
                });
                if analysis.rule == Rule::RussianDictionary {
                    value["lemma"] = serde_json::Value::from(analysis.term.clone());
                }
                writeln!(out, "{value}")
            }
        }
    };
    // A line of any length streams through in pieces cut at white space, so memory stays
    // bounded by the piece size however long the input's lines are.
    text_pieces(stdin.lock(), ANALYZE_PIECE, &mut |line, base, text| {
        for (start, word) in mediawatch::analysis::words(text) {
            write_word(line, base + start, word)?;
        }
        Ok(())
    })
    .context("reading standard input")?;
    out.flush()?;
    Ok(())
}

/// Largest piece of a line `analyze` holds at once.
const ANALYZE_PIECE: usize = 64 * 1024;

/// Calls `each(line_number, byte_offset_in_line, text)` for every line of `input`, a long
/// line in pieces of at most about `piece` bytes cut after white space (or, in a run of
/// `piece` bytes without any, at a character boundary). Invalid UTF-8 is replaced.
fn text_pieces(
    mut input: impl BufRead,
    piece: usize,
    each: &mut dyn FnMut(usize, usize, &str) -> io::Result<()>,
) -> io::Result<()> {
    let (mut line, mut base) = (1usize, 0usize);
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            if !pending.is_empty() {
                each(line, base, &String::from_utf8_lossy(&pending))?;
            }
            return Ok(());
        }
        let (take, newline) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let take = take.min(piece.saturating_sub(pending.len()).max(1));
        let newline = newline && buf[take - 1] == b'\n';
        pending.extend_from_slice(&buf[..take]);
        input.consume(take);
        if newline {
            pending.pop();
            each(line, base, &String::from_utf8_lossy(&pending))?;
            pending.clear();
            (line, base) = (line + 1, 0);
        } else if pending.len() >= piece {
            let cut = pending
                .iter()
                .rposition(|b| b.is_ascii_whitespace())
                .map(|i| i + 1)
                .unwrap_or_else(|| complete_chars(&pending));
            each(line, base, &String::from_utf8_lossy(&pending[..cut]))?;
            pending.drain(..cut);
            base += cut;
        }
    }
}

/// How many leading bytes of `bytes` hold whole characters: all of them, but for a
/// character cut at the end (at least one byte, so a caller always makes progress).
fn complete_chars(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => e.valid_up_to().max(1),
        _ => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words and their (line, offset) as `text_pieces` hands them out with pieces of `piece`.
    fn words(input: &str, piece: usize) -> Vec<(usize, usize, String)> {
        let mut found = Vec::new();
        text_pieces(input.as_bytes(), piece, &mut |line, base, text| {
            for (start, word) in mediawatch::analysis::words(text) {
                found.push((line, base + start, word.to_string()));
            }
            Ok(())
        })
        .unwrap();
        found
    }

    #[test]
    fn long_lines_stream_in_pieces_with_the_words_and_offsets_of_whole_lines() {
        let input = "Тоқаев сөйледі, протестующие вышли.\nsecond line here\n\nлишь один";
        let whole = words(input, usize::MAX);
        assert_eq!(whole[0], (1, 0, "Тоқаев".to_string()));
        assert_eq!(whole.last().unwrap(), &(4, 9, "один".to_string()));
        // Pieces longer than any word (24 bytes), cut after spaces: the same words at the
        // same places.
        assert_eq!(words(input, 26), whole);
        // A word longer than a piece is cut on a character boundary, never mid-letter.
        let long = "ж".repeat(10);
        let cut = words(&long, 7);
        assert!(cut.iter().all(|(_, _, w)| w.chars().all(|c| c == 'ж')));
        assert_eq!(
            cut.iter().map(|(_, _, w)| w.len()).sum::<usize>(),
            long.len()
        );
    }
}
