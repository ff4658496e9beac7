//! Bounded memory, work and output on adversarial inputs: each run's peak RSS is measured
//! with `wait4` (never a timing) and must stay under 300 MB; rejects are capped per file;
//! a stray CSV quote is reported where it opened and the rows after it are read.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{n, run_with_peak_rss, Workspace};

const RSS_LIMIT: u64 = 300 << 20;

/// One good record, ingested beside each hostile file (an ingest where every record is
/// rejected exits 1).
const GOOD: &str =
    r#"{"id":"ok","outlet":"x","published":"2022-01-05","text":"Нормальный текст."}"#;

/// Runs `mediawatch ARGS` in the workspace with stdout to `out` (and stdin from `stdin`, if
/// given); returns the exit status and peak RSS.
fn measured(
    ws: &Workspace,
    args: &[&str],
    out: &str,
    stdin: Option<std::fs::File>,
) -> (std::process::ExitStatus, u64) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mediawatch"));
    cmd.current_dir(ws.dir.path())
        .args(args)
        .stdout(std::fs::File::create(ws.path(out)).unwrap())
        .stderr(Stdio::null());
    if let Some(file) = stdin {
        cmd.stdin(file);
    }
    run_with_peak_rss(&mut cmd, Duration::from_secs(120))
}

fn summary(ws: &Workspace, out: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(ws.path(out)).unwrap()).unwrap()
}

fn rejects(ws: &Workspace, path: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(ws.path(path))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_gzip_bomb_csv_is_one_too_large_reject_in_bounded_memory() {
    let ws = Workspace::new();
    // 1 GB of zeros, about 1 MB compressed: one "header line" with no end.
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(ws.path("bomb.csv.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap();
    ws.write("ok.jsonl", GOOD);
    let args = [
        "ingest",
        "bomb.csv.gz",
        "ok.jsonl",
        "--index",
        "idx",
        "--format",
        "json",
    ];
    let (status, peak) = measured(&ws, &args, "summary.json", None);
    assert!(status.success(), "{status}");
    eprintln!("gzip bomb: peak RSS {} MiB", peak >> 20);
    assert!(peak < RSS_LIMIT, "peak RSS {peak}");
    let summary = summary(&ws, "summary.json");
    assert_eq!([n(&summary["read"]), n(&summary["rejected"])], [2, 1]);
    let rejects = rejects(&ws, "idx/rejects.jsonl");
    assert_eq!(rejects[0]["code"], "too_large");
    assert_eq!(n(&rejects[0]["line"]), 1);
}

#[test]
fn a_300_mb_sidecar_is_refused_without_reading_it() {
    let ws = Workspace::new();
    ws.write("in/tv_2022-01-05.txt", "Текст передачи о событиях.\n");
    ws.write("in/ok.jsonl", GOOD);
    {
        let file = std::fs::File::create(ws.path("in/tv_2022-01-05.txt.meta.json")).unwrap();
        let mut out = std::io::BufWriter::new(file);
        out.write_all(b"{\"title\":\"").unwrap();
        let chunk = "я".repeat(1 << 19);
        for _ in 0..300 {
            out.write_all(chunk.as_bytes()).unwrap();
        }
        out.write_all(b"\"}").unwrap();
    }
    let args = ["ingest", "in", "--index", "idx", "--format", "json"];
    let (status, peak) = measured(&ws, &args, "summary.json", None);
    assert!(status.success(), "{status}");
    eprintln!("300 MB sidecar: peak RSS {} MiB", peak >> 20);
    assert!(peak < RSS_LIMIT, "peak RSS {peak}");
    let summary = summary(&ws, "summary.json");
    assert_eq!([n(&summary["read"]), n(&summary["rejected"])], [2, 1]);
    let reject = &rejects(&ws, "idx/rejects.jsonl")[0];
    assert_eq!(reject["code"], "read_error");
    let reason = reject["reason"].as_str().unwrap();
    assert!(
        reason.contains("over the 1048576-byte sidecar cap"),
        "{reason}"
    );
}

#[test]
fn detect_holds_no_more_than_the_cap_of_a_1_gb_line() {
    let ws = Workspace::new();
    // One line of 1 GB: Kazakh text first, then zeros (a sparse file, nothing written).
    let path = ws.path("line.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all("Қазақстан Республикасының Президенті халыққа үндеу жасады. ".as_bytes())
        .unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    let stdin = std::fs::File::open(&path).unwrap();
    let (status, peak) = measured(&ws, &["detect"], "out.tsv", Some(stdin));
    assert!(status.success(), "{status}");
    eprintln!("detect, 1 GB line: peak RSS {} MiB", peak >> 20);
    assert!(peak < RSS_LIMIT, "peak RSS {peak}");
    let out = std::fs::read_to_string(ws.path("out.tsv")).unwrap();
    assert_eq!(out.lines().count(), 1);
    assert!(out.starts_with("kk\t"), "{}", &out[..out.len().min(200)]);
    assert!(out.len() < 10_000);
}

#[test]
fn analyze_streams_a_256_mb_line_in_bounded_memory() {
    use std::io::{Seek, SeekFrom};
    let ws = Workspace::new();
    // One line of 256 MiB: words at its start and its end, zeros between (sparse).
    let path = ws.path("line.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all("Тоқаев сөйледі ".as_bytes()).unwrap();
    let end = (256u64 << 20) - "протестующие".len() as u64;
    file.seek(SeekFrom::Start(end)).unwrap();
    file.write_all("протестующие".as_bytes()).unwrap();
    drop(file);
    let stdin = std::fs::File::open(&path).unwrap();
    let (status, peak) = measured(
        &ws,
        &["analyze", "--format", "json"],
        "out.jsonl",
        Some(stdin),
    );
    assert!(status.success(), "{status}");
    eprintln!("analyze, 256 MiB line: peak RSS {} MiB", peak >> 20);
    assert!(peak < RSS_LIMIT, "peak RSS {peak}");
    let out = std::fs::read_to_string(ws.path("out.jsonl")).unwrap();
    let tokens: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(&str, u64)> = tokens
        .iter()
        .map(|t| (t["token"].as_str().unwrap(), t["start"].as_u64().unwrap()))
        .collect();
    // Every word, at its byte offset in the whole line, however the line was cut.
    assert_eq!(
        seen,
        [("Тоқаев", 0), ("сөйледі", 13), ("протестующие", end)]
    );
}

#[test]
fn junk_lines_and_random_bytes_write_at_most_the_reject_cap() {
    let ws = Workspace::new();
    // 100,000 one-byte junk lines: each a reject, 10,000 written, then one summary line.
    ws.write("junk.jsonl", "x\n".repeat(100_000));
    // 4 MB of pseudo-random bytes read as CSV.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..4 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    ws.write("random.csv", &random);
    ws.write("ok.jsonl", GOOD);
    let args = [
        "ingest",
        "junk.jsonl",
        "random.csv",
        "ok.jsonl",
        "--index",
        "idx",
        "--format",
        "json",
    ];
    let (status, peak) = measured(&ws, &args, "summary.json", None);
    assert!(status.success(), "{status}");
    assert!(peak < RSS_LIMIT, "peak RSS {peak}");
    let summary = summary(&ws, "summary.json");
    let junk = &summary["files"][0];
    assert_eq!([n(&junk["read"]), n(&junk["rejected"])], [100_000, 100_000]);
    let written = rejects(&ws, "idx/rejects.jsonl");
    let of = |file: &str| -> Vec<&serde_json::Value> {
        written.iter().filter(|r| r["file"] == file).collect()
    };
    let junk_rejects = of("junk.jsonl");
    assert_eq!(junk_rejects.len(), 10_001);
    let last = junk_rejects[10_000];
    assert_eq!(last["code"], "rejects_capped");
    assert_eq!(n(&last["line"]), 10_001);
    let reason = last["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("90000 more rejects of this file (lines 10001–100000)")
            && reason.ends_with("malformed_json 90000"),
        "{reason}"
    );
    // Random bytes: every reject's raw excerpt capped, at most the cap written.
    let random_rejects = of("random.csv");
    assert!(random_rejects.len() <= 10_001);
    for reject in &random_rejects {
        assert!(reject["raw"].as_str().unwrap().len() <= 4096);
        assert!(reject["reason"].as_str().unwrap().len() <= 2048);
    }
    let size = std::fs::metadata(ws.path("idx/rejects.jsonl"))
        .unwrap()
        .len();
    eprintln!("rejects file: {size} bytes for 4.2 MB of junk");
    assert!(size < 60 << 20, "{size}");
}

#[test]
fn a_stray_csv_quote_names_its_line_and_the_rows_after_it_are_read() {
    let ws = Workspace::new();
    let mut csv = String::from("id,outlet,published,text\n");
    csv.push_str("s,x,2022-01-05,\"Цитата без конца\n");
    for i in 0..5000 {
        csv.push_str(&format!("r{i},x,2022-01-05,Строка номер {i} о событиях.\n"));
    }
    ws.write("stray.csv", csv);
    let summary = ws.json(&["ingest", "stray.csv", "--index", "idx", "--format", "json"]);
    let counts = ["read", "indexed", "rejected"].map(|k| n(&summary[k]));
    assert_eq!(counts, [5001, 5000, 1], "{summary}");
    let reject = &rejects(&ws, "idx/rejects.jsonl")[0];
    assert_eq!(reject["code"], "malformed_csv");
    assert_eq!(n(&reject["line"]), 2);
    let reason = reject["reason"].as_str().unwrap();
    assert!(
        reason.contains("the quote opened at line 2")
            && reason.contains(&format!("more than {} lines", 1000))
            && reason.contains("reading resumes at line 3"),
        "{reason}"
    );
}
