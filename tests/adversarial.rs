//! Hostile and broken input: every file is read without a panic, every record is accounted
//! for, and each problem has a precise reason.

use std::io::Write;

use crate::util::{n, Workspace};

fn ingest(ws: &Workspace, path: &str) -> serde_json::Value {
    let summary = ws.json(&[
        "ingest",
        path,
        "--index",
        "idx",
        "--format",
        "json",
        "--record-cap",
        "65536",
    ]);
    assert_eq!(
        n(&summary["read"]),
        n(&summary["indexed"]) + n(&summary["duplicates"]) + n(&summary["rejected"]),
        "{summary}"
    );
    summary
}

fn reject_codes(ws: &Workspace) -> Vec<String> {
    std::fs::read_to_string(ws.path("idx/rejects.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

const GOOD: &str =
    r#"{"id":"ok","outlet":"x","published":"2022-01-05","text":"Нормальный текст."}"#;

#[test]
fn nul_bytes_control_characters_and_mixed_line_endings() {
    let ws = Workspace::new();
    let mut data = Vec::new();
    data.extend_from_slice(GOOD.as_bytes());
    data.extend_from_slice(b"\r\n");
    data.extend_from_slice(br#"{"id":"nul","outlet":"x\u0007\u001b[2J","published":"2022-01-05","text":"a\u0000b text"}"#);
    data.extend_from_slice(b"\r");
    data.extend_from_slice(
        br#"{"id":"ws","outlet":"x","published":"2022-01-05","text":" \t \n "}"#,
    );
    data.extend_from_slice(b"\n");
    data.extend_from_slice(
        br#"{"id":"zero","outlet":"x","published":"0000-00-00","text":"Zero date."}"#,
    );
    data.extend_from_slice(b"\n\x00\x00\n");
    ws.write("in.jsonl", data);
    let summary = ingest(&ws, "in.jsonl");
    assert_eq!(n(&summary["indexed"]), 2);
    let codes = reject_codes(&ws);
    assert!(codes.contains(&"empty_text".to_string()), "{codes:?}");
    assert!(codes.contains(&"bad_date".to_string()), "{codes:?}");
    assert!(codes.contains(&"malformed_json".to_string()), "{codes:?}"); // the NUL-only line
                                                                         // The outlet's control characters (an ANSI clear-screen) are gone.
    let docs = ws.documents("idx");
    assert!(docs.iter().all(|d| !d.outlet.contains('\u{1b}')));
}

#[test]
fn deeply_nested_and_huge_json_are_rejected_not_fatal() {
    let ws = Workspace::new();
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = format!(
        r#"{{"id":"huge","outlet":"x","published":"2022-01-05","text":"{}"}}"#,
        "я".repeat(100_000)
    );
    ws.write("in.jsonl", format!("{nested}\n{huge}\n{GOOD}\n"));
    let summary = ingest(&ws, "in.jsonl");
    assert_eq!((n(&summary["indexed"]), n(&summary["rejected"])), (1, 2));
    let codes = reject_codes(&ws);
    assert_eq!(codes, ["too_large", "too_large"]);
}

#[test]
fn truncated_gzip_keeps_what_was_read_and_reports_the_rest() {
    let ws = Workspace::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..200 {
        writeln!(gz, r#"{{"id":"{i}","outlet":"x","published":"2022-01-05","text":"Текст номер {i} о событиях."}}"#).unwrap();
    }
    let bytes = gz.finish().unwrap();
    ws.write("cut.jsonl.gz", &bytes[..bytes.len() * 2 / 3]);
    let summary = ingest(&ws, "cut.jsonl.gz");
    assert!(n(&summary["indexed"]) > 0);
    assert!(reject_codes(&ws).contains(&"read_error".to_string()));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let ws = Workspace::new();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in GOOD.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    ws.write("u16.jsonl", bytes);
    let summary = ingest(&ws, "u16.jsonl");
    assert_eq!(n(&summary["indexed"]), 1);
    assert_eq!(ws.documents("idx")[0].text, "Нормальный текст.");
}

#[test]
fn directory_symlink_loops_and_empty_files_do_not_hang() {
    let ws = Workspace::new();
    ws.write("tree/a/good.jsonl", GOOD);
    ws.write("tree/a/empty.jsonl", "");
    std::os::unix::fs::symlink(ws.path("tree"), ws.path("tree/a/loop")).unwrap();
    let summary = ingest(&ws, "tree");
    assert_eq!(n(&summary["indexed"]), 1);
}

#[test]
fn csv_with_unbalanced_quotes_and_very_wide_rows() {
    let ws = Workspace::new();
    let wide = vec!["v"; 10_000].join(",");
    let csv = format!(
        "id,outlet,published,text\n1,x,2022-01-05,Fine text here.\n2,x,2022-01-05,{wide}\n3,x,2022-01-05,\"never closed\n4,x,2022-01-05,lost?\n"
    );
    ws.write("in.csv", csv);
    let summary = ingest(&ws, "in.csv");
    assert_eq!(n(&summary["indexed"]), 1);
    // Row 2 (10,000 columns) and row 3 (its quote swallows row 4, which is kept in the
    // reject's raw text) are rejected.
    assert_eq!(n(&summary["rejected"]), 2);
    assert!(reject_codes(&ws).iter().all(|c| c == "malformed_csv"));
}

#[test]
fn subtitles_with_broken_and_overlapping_cues() {
    let ws = Workspace::new();
    ws.write(
        "tv/x_2022-01-05_a.srt",
        "1\n00:00:01,000 --> 00:00:05,000\nПервая реплика\n\n2\n00:00:02,000 --> 00:00:03,000\nНаложение\n",
    );
    ws.write(
        "tv/x_2022-01-05_b.srt",
        "1\n00:00:01,000 -> 00:00:05,000\nСломано\n",
    );
    let summary = ingest(&ws, "tv");
    assert_eq!((n(&summary["indexed"]), n(&summary["rejected"])), (1, 1));
    assert_eq!(reject_codes(&ws), ["malformed_subtitles"]);
}
