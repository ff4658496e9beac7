//! Property-based fuzzing of every reader and of query parsing: arbitrary bytes and strings
//! never panic, and every record a reader emits is either a record or a reject with a line.
//! Covered: JSONL, CSV/TSV, plain text with headers and a sidecar, SRT, WebVTT, whole files
//! through opening (gzip by magic bytes, truncated gzip, BOMs, encoding sniffing), strict
//! decoding (UTF-8, Windows-1251, UTF-16), normalization, date parsing and query parsing.
//! Longer runs: `PROPTEST_CASES=20000 cargo test --release --test tests fuzz`.

use std::io::{Cursor, Read, Write};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use mediawatch::ingest::decode::{self, TextEncoding};
use mediawatch::ingest::fields::FieldMap;
use mediawatch::ingest::normalize::{normalize, NormalizeContext};
use mediawatch::ingest::record::{Fields, ReadItem};
use mediawatch::ingest::source::{self, InputFormat, OpenedInput};
use mediawatch::ingest::{dates, delimited, json, jsonl, read_file, subtitles};
use mediawatch::registry::SourceRegistry;
use mediawatch::search::{query, Filters};
use mediawatch::timezone::Zone;
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
        Just(b"Title: x\nOutlet: y\nDate: 2022-01-05\n\n".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xC6\xE0\xED\xE0\xEE\xE7\xE5\xED".to_vec()), // Жанаозен in Windows-1251
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
                ReadItem::Rejected { line, .. } | ReadItem::RejectedMany { line, .. } => line,
            };
            prop_assert!(line <= lines);
        }
    }

    /// The `.json` reader on arbitrary bytes: no panic, every item's line inside the file.
    #[test]
    fn json_reader_never_panics(bytes in inputs(), cp1251 in any::<bool>()) {
        let encoding = if cp1251 { TextEncoding::Windows1251 } else { TextEncoding::Utf8 };
        let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
        let mut items = Vec::new();
        json::read(opened(bytes, encoding), &FieldMap::default(), 1 << 16, &mut |i| items.push(i));
        for item in items {
            let line = match item {
                ReadItem::Record(r) => r.line,
                ReadItem::Rejected { line, .. } | ReadItem::RejectedMany { line, .. } => line,
            };
            prop_assert!((1..=lines).contains(&line), "line {line} of {lines}");
        }
    }

    /// Objects written as a JSON array or one after another, pretty-printed or compact, with
    /// LF, CRLF or CR line ends: one record per object, in order, each at the line where the
    /// object starts (counted independently from the text written), texts intact.
    #[test]
    fn json_arrays_and_pretty_objects_read_back_with_their_lines(
        texts in proptest::collection::vec("[a-zа-я \\\\\"{}\\[\\],:\\n]{0,20}", 1..6),
        as_array in any::<bool>(),
        pretty in any::<bool>(),
        newline in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    ) {
        let objects: Vec<serde_json::Value> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| serde_json::json!({"id": i, "text": t, "tags": ["a", {"b": [1, 2]}]}))
            .collect();
        let render = |v: &serde_json::Value| {
            if pretty { serde_json::to_string_pretty(v).unwrap() } else { serde_json::to_string(v).unwrap() }
        };
        let mut file = String::new();
        let mut starts = Vec::new();
        let line_of = |s: &str| s.matches('\n').count() as u64 + 1;
        if as_array {
            file.push_str("[\n");
        }
        for (i, object) in objects.iter().enumerate() {
            starts.push(line_of(&file));
            file.push_str(&render(object));
            file.push_str(if as_array && i + 1 < objects.len() { ",\n" } else { "\n" });
        }
        if as_array {
            file.push_str("]\n");
        }
        let bytes = file.replace('\n', newline).into_bytes();
        let mut items = Vec::new();
        json::read(opened(bytes, TextEncoding::Utf8), &FieldMap::default(), 1 << 16, &mut |i| items.push(i));
        prop_assert_eq!(items.len(), texts.len());
        for ((item, text), start) in items.iter().zip(&texts).zip(&starts) {
            match item {
                ReadItem::Record(r) => {
                    prop_assert_eq!(r.line, *start);
                    prop_assert_eq!(r.fields.text.as_deref(), Some(text.as_str()));
                }
                other => prop_assert!(false, "{other:?}"),
            }
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

/// Gzip of `bytes`, cut to `keep` of its length (1.0: whole).
fn gzip(bytes: &[u8], keep: f64) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    let mut out = gz.finish().unwrap();
    out.truncate((out.len() as f64 * keep).ceil() as usize);
    out
}

const FORMATS: [(InputFormat, &str); 5] = [
    (InputFormat::Jsonl, "jsonl"),
    (InputFormat::Csv, "csv"),
    (InputFormat::Txt, "txt"),
    (InputFormat::Srt, "srt"),
    (InputFormat::Vtt, "vtt"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Whole files through `read_file` (open, gzip, BOM and encoding sniffing, the reader)
    /// and normalization, for every format; whole-file formats with a fuzzed sidecar.
    #[test]
    fn files_of_every_format_never_panic(
        bytes in inputs(),
        sidecar in proptest::option::of(inputs()),
        gz in any::<bool>(),
        keep in 0.0f64..=1.0,
        utf16 in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut content = if utf16 {
            let text = String::from_utf8_lossy(&bytes);
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        } else {
            bytes
        };
        if gz {
            content = gzip(&content, keep);
        }
        let registry = SourceRegistry::default();
        let none = Fields::default();
        let kz = Zone::parse("+06:00").unwrap();
        let ctx = NormalizeContext {
            registry: &registry,
            zone: kz,
            display_zone: kz,
            set: &none,
            languages: None,
            require_date: false,
        };
        for (format, ext) in FORMATS {
            let path = dir.path().join(format!("tv_2022-01-05.{ext}"));
            std::fs::write(&path, &content).unwrap();
            if let Some(sidecar) = &sidecar {
                let mut name = path.clone().into_os_string();
                name.push(".meta.json");
                std::fs::write(name, sidecar).unwrap();
            }
            let mut items = Vec::new();
            read_file(&path, format, &FieldMap::default(), 1 << 16, Arc::new(AtomicU64::new(0)), &mut |i| items.push(i));
            if !matches!(format, InputFormat::Jsonl | InputFormat::Csv) {
                prop_assert_eq!(items.len(), 1, "one record per {} file", ext);
            }
            for item in items {
                if let ReadItem::Record(record) = item {
                    let line = record.line;
                    if let Ok(doc) = normalize(*record, "f", ctx) {
                        prop_assert_eq!(doc.document.source_line, line);
                        prop_assert!(doc.document.text.chars().any(char::is_alphanumeric));
                        prop_assert!(!doc.document.outlet.chars().any(char::is_control));
                    }
                }
            }
        }
    }

    /// Sniffing and strict decoding of arbitrary bytes in every encoding.
    #[test]
    fn sniffing_and_decoding_never_panic(bytes in inputs()) {
        let encoding = decode::sniff(&bytes);
        prop_assert!(decode::bom_len(&bytes) <= bytes.len());
        for encoding in [encoding, TextEncoding::Utf8, TextEncoding::Windows1251, TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            if let Err(e) = decode::decode(&bytes, encoding) {
                prop_assert!(e.offset <= bytes.len());
            }
        }
        // Windows-1251 maps every byte.
        prop_assert!(decode::decode(&bytes, TextEncoding::Windows1251).is_ok());
    }

    /// Any text saved as UTF-16 (either byte order, with BOM) reads back as itself.
    #[test]
    fn utf16_with_bom_round_trips(text in any::<String>(), big_endian in any::<bool>()) {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u.txt");
        std::fs::write(&path, &bytes).unwrap();
        let mut opened = source::open(&path, Arc::new(AtomicU64::new(0))).unwrap();
        prop_assert_eq!(opened.encoding, TextEncoding::Utf8);
        let mut back = String::new();
        opened.reader.read_to_string(&mut back).unwrap();
        prop_assert_eq!(back, text);
    }

    /// Dates: arbitrary strings and date-shaped ones never panic; what parses is in range.
    #[test]
    fn date_parsing_never_panics(
        value in prop_oneof![
            any::<String>(),
            "[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
            "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{2,4}( [0-9]{1,2}:[0-9]{2})?",
            "[0-9]{1,14}",
            "[0-9]{4}[-/][0-9]{1,2}",
            "[0-9]{1,2}\\.[0-9]{4}",
            "(1[0-9]|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([01][0-9]|2[0-3])[0-5][0-9]([0-5][0-9])?",
            "(Mon|Sun|Xyz), [0-9]{1,2} (Jan|Feb|Foo) [0-9]{1,4} [0-9]{2}:[0-9]{2}(:[0-9]{2})? [+-][0-9]{4}",
        ],
        offset in -1080i32..1080,
    ) {
        let sign = if offset < 0 { '-' } else { '+' };
        let zone = Zone::parse(&format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60)).unwrap();
        if let Ok(parsed) = dates::parse_published(&value, zone) {
            use chrono::Datelike;
            // Years are checked as written, so UTC may be a day outside the range.
            prop_assert!((0..=10_000).contains(&parsed.at.year()), "{value} -> {parsed:?}");
            prop_assert!(!zone.show(&parsed).is_empty());
        }
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
