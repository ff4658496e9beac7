//! Property-based fuzzing of every reader and of query parsing: arbitrary bytes and strings
//! never panic, and every record a reader emits is either a record or a reject with a line.
//! Longer runs: `PROPTEST_CASES=100000 cargo test --release --test tests fuzz`.

use std::io::Cursor;

use mediawatch::ingest::decode::TextEncoding;
use mediawatch::ingest::fields::FieldMap;
use mediawatch::ingest::record::ReadItem;
use mediawatch::ingest::source::OpenedInput;
use mediawatch::ingest::{delimited, jsonl, subtitles};
use mediawatch::search::{query, Filters};
use proptest::prelude::*;

fn opened(bytes: Vec<u8>, encoding: TextEncoding) -> OpenedInput {
    OpenedInput {
        reader: Box::new(Cursor::new(bytes)),
        encoding,
    }
}

/// Bytes that look a bit like the formats (so the fuzzer gets past the first character)
/// mixed with arbitrary bytes.
fn inputs() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"{\"text\":\"".to_vec()),
        Just(b"\",\"outlet\":\"x\",\"published\":\"2022-01-05\"}\n".to_vec()),
        Just(b"id,outlet,published,text\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"00:00:01,000 --> 00:00:02,000\n".to_vec()),
        Just(b"WEBVTT\n\n".to_vec()),
        Just("Ж қ ё".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..16),
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

/// Cases per property: 256 by default, `PROPTEST_CASES` for longer runs.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn jsonl_reader_never_panics(bytes in inputs(), cp1251 in any::<bool>()) {
        let encoding = if cp1251 { TextEncoding::Windows1251 } else { TextEncoding::Utf8 };
        let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
        let mut items = Vec::new();
        jsonl::read(opened(bytes, encoding), &FieldMap::default(), 1 << 16, &mut |i| items.push(i));
        for item in items {
            let line = match item {
                ReadItem::Record(r) => r.line,
                ReadItem::Rejected { line, .. } => line,
            };
            prop_assert!(line <= lines);
        }
    }

    #[test]
    fn csv_reader_never_panics(bytes in inputs()) {
        let mut count = 0;
        delimited::read(opened(bytes, TextEncoding::Utf8), &FieldMap::default(), 1 << 16, &mut |_| count += 1);
        prop_assert!(count < 10_000);
    }

    #[test]
    fn subtitle_parsers_never_panic(bytes in inputs()) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(cues) = subtitles::parse_srt(&text) {
            let (joined, ranges) = subtitles::join_cues(&cues);
            for range in ranges {
                prop_assert!(joined.get(range).is_some());
            }
        }
        let _ = subtitles::parse_vtt(&text);
    }
}

#[test]
fn query_parsing_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let index = mediawatch::index::open_or_create(dir.path()).unwrap();
    let pieces = [
        "\"",
        "(",
        ")",
        "*",
        "-",
        "+",
        "~2",
        ":",
        "title:",
        "outlet:",
        "lang:",
        "AND",
        "OR",
        "NOT",
        "протест*",
        "\"цены на газ\"",
        "[",
        "]",
        "{",
        "}",
        "^3",
        "\\",
        "Тоқаев",
        " ",
        "**",
        "day:2022-01-05",
        "IN [a b]",
    ];
    let mut runner =
        proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases() * 2));
    let strategy = proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..8);
    runner
        .run(&strategy, |parts| {
            let text = parts.concat();
            // An error is fine; a panic is not.
            let _ = query::build(&index, &text, &Filters::default());
            Ok(())
        })
        .unwrap();
}
