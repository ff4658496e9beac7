//! Large generated inputs (issue 18): `search --limit all` streams in memory that does not
//! grow with the number of hits (peak RSS from `wait4`, never a timing), and Ctrl-C during
//! an ingest commits what was read, says how to resume, exits 130, and a re-run completes.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{n, run_with_peak_rss, Workspace};

/// Documents in the generated corpus.
const DOCS: usize = 50_000;
/// Every tenth document also has this word, so it has a tenth of the hits.
const RARE: &str = "забастовка";
/// Every document has this word.
const COMMON: &str = "протест";
/// The documents' outlets, in turn.
const OUTLETS: [&str; 3] = ["alpha", "beta", "gamma"];

/// Writes `DOCS` short Russian documents with distinct texts (so none is a duplicate) to
/// `docs.jsonl`: 60 words from a 2,000-word pseudo-vocabulary chosen by a fixed mix of the
/// document and word numbers, with [`COMMON`] in each and [`RARE`] in every tenth.
fn generate(ws: &Workspace) {
    const SYLLABLES: [&str; 16] = [
        "ка", "ро", "ми", "на", "те", "ло", "су", "пе", "ди", "ва", "ны", "го", "ре", "за", "би",
        "му",
    ];
    let word = |k: u64| -> String {
        (0..3)
            .map(|s| SYLLABLES[((k >> (4 * s)) & 15) as usize])
            .collect()
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(ws.path("docs.jsonl")).unwrap());
    for i in 0..DOCS as u64 {
        let mut words: Vec<String> = (0..60u64)
            .map(|j| {
                // A multiplicative hash of (document, position): distinct texts per document.
                let h = (i * 60 + j).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                word(h % 4096)
            })
            .collect();
        words[5] = COMMON.to_string();
        if i % 10 == 0 {
            words[40] = RARE.to_string();
        }
        let doc = serde_json::json!({
            "id": format!("d{i}"),
            "outlet": OUTLETS[(i % 3) as usize],
            "published": format!("2022-01-{:02}", 1 + i % 28),
            "title": format!("Новость {i}"),
            "text": words.join(" "),
        });
        writeln!(out, "{doc}").unwrap();
    }
    out.flush().unwrap();
}

fn ingest(ws: &Workspace) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mediawatch"));
    cmd.current_dir(ws.dir.path()).args([
        "ingest",
        "docs.jsonl",
        "--index",
        "idx",
        "--quiet",
        "--format",
        "json",
    ]);
    cmd
}

/// Documents in the index, as `info` counts them.
fn documents(ws: &Workspace) -> u64 {
    n(&ws.json(&["info", "--index", "idx", "--format", "json"])["documents"])
}

#[test]
fn search_limit_all_keeps_memory_flat_when_the_hits_grow_tenfold() {
    let ws = Workspace::new();
    generate(&ws);
    let status = ingest(&ws).stdout(Stdio::null()).status().unwrap();
    assert!(status.success(), "{status}");
    let mut peaks = Vec::new();
    for (word, hits) in [(RARE, DOCS / 10), (COMMON, DOCS)] {
        let out = format!("{word}.ndjson");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mediawatch"));
        cmd.current_dir(ws.dir.path())
            .args(["search", word, "--index", "idx", "--limit", "all"])
            .args(["--format", "ndjson"])
            .stdout(std::fs::File::create(ws.path(&out)).unwrap())
            .stderr(Stdio::null());
        let (status, peak) = run_with_peak_rss(&mut cmd, Duration::from_secs(300));
        assert!(status.success(), "{status}");
        // Every hit is there, once (counted by construction of the corpus).
        let text = std::fs::read_to_string(ws.path(&out)).unwrap();
        let ids: std::collections::BTreeSet<String> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        assert_eq!((text.lines().count(), ids.len()), (hits, hits), "{word}");
        eprintln!(
            "search {word} --limit all: {hits} hits, {} MB out, peak RSS {} MiB",
            text.len() >> 20,
            peak >> 20
        );
        peaks.push((peak, text.len() as u64));
    }
    let [(small, _), (large, large_output)] = peaks[..] else {
        unreachable!()
    };
    // Ten times the hits (about 20 MB more output) may not cost more than 8 MiB more: holding
    // the hits (or the output) in memory would cost at least the output's size.
    assert!(large_output > (20 << 20), "{large_output}");
    assert!(
        large <= small + (8 << 20),
        "peak RSS grew from {} to {} MiB with ten times the hits",
        small >> 20,
        large >> 20
    );
}

#[test]
fn ctrl_c_during_ingest_commits_says_how_to_resume_and_a_rerun_completes() {
    let ws = Workspace::new();
    generate(&ws);
    let child = ingest(&ws)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The index's meta.json is written when the ingest creates the index, after the Ctrl-C
    // handler is installed: from then on a SIGINT asks for a stop between batches.
    let started = Instant::now();
    while !ws.path("idx/meta.json").exists() {
        assert!(started.elapsed() < Duration::from_secs(120), "no index");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: sends SIGINT to our own running child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted") && stderr.contains("run the same command again"),
        "{stderr}"
    );
    // The count it names is the count of the consistent, committed index; the stop came
    // well before the end of the input.
    let named: u64 = stderr
        .split(" documents in the index")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in {stderr}"));
    let committed = documents(&ws);
    assert_eq!(committed, named, "{stderr}");
    assert!(committed < DOCS as u64, "{committed}");
    // The same command again completes the index: every document once.
    let output = ingest(&ws).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(n(&summary["read"]), DOCS as u64, "{summary}");
    assert_eq!(n(&summary["indexed"]) + committed, DOCS as u64, "{summary}");
    assert_eq!(n(&summary["already_indexed"]), committed, "{summary}");
    assert_eq!(documents(&ws), DOCS as u64);
}
