//! Ingestion: readers, rejects, registry join, idempotency, crash safety, locking.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use crate::util::{fixture, n, Workspace};

fn ingest_fixtures(ws: &Workspace) -> serde_json::Value {
    let mixed = fixture("ingest/mixed");
    let tv = fixture("ingest/tv");
    let sources = fixture("ingest/sources.csv");
    ws.json(&[
        "ingest",
        mixed.to_str().unwrap(),
        tv.to_str().unwrap(),
        "--index",
        "idx",
        "--sources",
        sources.to_str().unwrap(),
        "--record-cap",
        "2000",
        "--format",
        "json",
    ])
}

fn reject_lines(ws: &Workspace) -> Vec<serde_json::Value> {
    std::fs::read_to_string(ws.path("idx/rejects.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_bad_input_kind_is_rejected_with_file_line_and_reason() {
    let ws = Workspace::new();
    let summary = ingest_fixtures(&ws);
    // Counted by hand from the fixtures (see tests/fixtures/ingest): 23 records, of which
    // 10 are good, 1 has no date (b7: indexed undated), 1 repeats a good text under a new
    // id, and 11 are broken.
    assert_eq!(n(&summary["read"]), 23);
    assert_eq!(n(&summary["indexed"]), 11);
    assert_eq!(n(&summary["undated"]), 1);
    assert_eq!(n(&summary["duplicates"]), 1);
    assert_eq!(n(&summary["rejected"]), 11);
    for file in summary["files"].as_array().unwrap() {
        assert_eq!(
            n(&file["read"]),
            n(&file["indexed"]) + n(&file["duplicates"]) + n(&file["rejected"]),
            "{file}"
        );
    }
    let rejects = reject_lines(&ws);
    assert_eq!(rejects.len(), 11);
    let found: Vec<(String, u64, String)> = rejects
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap().to_string();
            assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(r["raw"].as_str().unwrap().len() <= 4096);
            (name, n(&r["line"]), r["code"].as_str().unwrap().to_string())
        })
        .collect();
    let expected = [
        ("bad.jsonl", 4, "malformed_json"),
        ("bad.jsonl", 5, "missing_text"),
        ("bad.jsonl", 6, "undecodable"),
        ("bad.jsonl", 7, "empty_text"),
        ("bad.jsonl", 8, "bad_date"),
        ("bad.jsonl", 9, "bad_date"),
        ("bad.jsonl", 10, "malformed_json"),
        ("bad.jsonl", 11, "missing_outlet"),
        ("bad.jsonl", 15, "too_large"),
        ("wide.csv", 4, "malformed_csv"),
        ("state_tv_2022-01-07_broken.srt", 6, "malformed_subtitles"),
    ];
    for (file, line, code) in expected {
        assert!(
            found.contains(&(file.to_string(), line, code.to_string())),
            "missing reject {file}:{line} {code}; got {found:?}"
        );
    }
    assert_eq!(n(&summary["unknown_outlets"]["Ghost Radio"]), 1);
    let duplicates = std::fs::read_to_string(ws.path("idx/duplicates.jsonl")).unwrap();
    let duplicate: serde_json::Value = serde_json::from_str(duplicates.trim()).unwrap();
    assert_eq!(duplicate["id"], "d1");
    assert_eq!(duplicate["duplicate_of"], "g1");
}

#[test]
fn reingesting_changes_nothing() {
    let ws = Workspace::new();
    ingest_fixtures(&ws);
    let before = ws.documents("idx");
    let again = ingest_fixtures(&ws);
    assert_eq!(n(&again["indexed"]), 0);
    assert_eq!(n(&again["duplicates"]), 12);
    assert_eq!(n(&again["already_indexed"]), 11);
    assert_eq!(n(&again["rejected"]), 11);
    assert_eq!(ws.documents("idx"), before);
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["documents"]), 11);
    assert_eq!(n(&info["undated"]), 1);
}

#[test]
fn registry_join_uses_keys_aliases_and_record_overrides() {
    let ws = Workspace::new();
    ingest_fixtures(&ws);
    let docs = ws.documents("idx");
    let by_id = |id: &str| docs.iter().find(|d| d.id == id).unwrap();
    assert_eq!(by_id("g1").category, "independent");
    assert_eq!(by_id("g2").outlet, "state_tv"); // alias "Мемлекет ТВ"
    assert_eq!(by_id("g2").category, "state");
    assert_eq!(by_id("g3").outlet, "state_tv"); // alias "StateTV", case-insensitive
    assert_eq!(by_id("u1").category, "unknown");
    // Day-first Russian date "05.01.2022 21:00" in UTC+6.
    assert_eq!(by_id("g3").day, "2022-01-05");
    // Declared language is kept apart from detection.
    assert_eq!(by_id("g3").declared_lang.as_deref(), Some("ru"));
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["by_category"]["state"]), 5);
    assert_eq!(n(&info["by_category"]["independent"]), 5);
    assert_eq!(n(&info["by_category"]["unknown"]), 1);
    assert_eq!(n(&info["by_medium"]["broadcast"]), 5);
}

#[test]
fn csv_quoted_multiline_fields_and_plain_text_headers() {
    let ws = Workspace::new();
    ingest_fixtures(&ws);
    let docs = ws.documents("idx");
    let c1 = docs.iter().find(|d| d.id == "c1").unwrap();
    assert_eq!(c1.title, "A, quoted title");
    assert_eq!(c1.text, "Line one\nline two, with comma");
    let note = docs
        .iter()
        .find(|d| d.title == "Жаңаөзендегі наразылық")
        .unwrap();
    assert_eq!(note.outlet, "indie");
    assert_eq!(note.url.as_deref(), Some("https://indie.example/kk/1"));
    assert_eq!(note.declared_lang.as_deref(), Some("kk"));
    assert!(note.text.starts_with("Жаңаөзен тұрғындары"));
    assert!(note.text.contains("\n\nНаразылық бейбіт өтті."));
}

#[test]
fn subtitles_become_broadcasts_with_cue_timings() {
    let ws = Workspace::new();
    ingest_fixtures(&ws);
    let docs = ws.documents("idx");
    let evening = docs
        .iter()
        .find(|d| d.source_file.ends_with("state_tv_2022-01-06_evening.srt"))
        .unwrap();
    assert_eq!(evening.outlet, "state_tv");
    assert_eq!(evening.medium, "broadcast");
    assert_eq!(evening.day, "2022-01-06");
    assert_eq!(evening.text, "В Алматы введено чрезвычайное положение");
    assert_eq!(evening.cues.len(), 2);
    let second = &evening.cues[1];
    assert_eq!((second.start_ms, second.end_ms), (3500, 5000));
    assert_eq!(
        &evening.text[second.text_start..second.text_end],
        "чрезвычайное положение"
    );
    let vtt = docs
        .iter()
        .find(|d| d.source_file.ends_with("news.vtt"))
        .unwrap();
    assert_eq!(vtt.text, "Добрый вечер. В стране сохраняется стабильность.");
    // The sidecar names outlet, date and title of a file whose name has neither.
    let clip = docs
        .iter()
        .find(|d| d.source_file.ends_with("clip.vtt"))
        .unwrap();
    assert_eq!(clip.title, "Sidecar title");
    assert_eq!(clip.day, "2022-01-09");
}

#[test]
fn windows_1251_and_bom_files_are_decoded() {
    let ws = Workspace::new();
    for (fixture_name, index, records) in [
        ("encoding/cp1251.csv", "cp1251", 3),
        ("encoding/utf8_bom.jsonl", "bom", 2),
    ] {
        let path = fixture(fixture_name);
        let summary = ws.json(&[
            "ingest",
            path.to_str().unwrap(),
            "--index",
            index,
            "--format",
            "json",
        ]);
        assert_eq!(n(&summary["rejected"]), 0, "{summary}");
        assert_eq!(n(&summary["indexed"]), records);
    }
    let docs = ws.documents("cp1251");
    let second = docs.iter().find(|d| d.id == "2").unwrap();
    assert_eq!(second.title, "Новости дня");
    assert_eq!(
        second.text,
        "Первая строка текста.\nВторая строка: «цитата» — и ёлка."
    );
    assert_eq!(second.outlet, "Время");
    let bom = ws.documents("bom");
    // The BOM must not end up in the first field name (the id would then be missing).
    assert_eq!(bom[0].id, "1");
    assert_eq!(bom[0].title, "Выборы в маслихаты");
}

#[test]
fn gzip_input_is_read_transparently() {
    let ws = Workspace::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..50 {
        writeln!(
            gz,
            r#"{{"id":"z{i}","outlet":"x","published":"2022-01-0{}","text":"Сообщение номер {i} о событиях в Алматы."}}"#,
            1 + i % 9
        )
        .unwrap();
    }
    ws.write("in/feed.jsonl.gz", gz.finish().unwrap());
    let summary = ws.json(&["ingest", "in", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&summary["indexed"]), 50);
    assert_eq!(n(&summary["unknown_outlets"]["x"]), 50);
}

#[test]
fn same_id_with_new_text_replaces_the_old_document() {
    let ws = Workspace::new();
    let line = |text: &str| {
        format!(r#"{{"id":"a","outlet":"x","published":"2022-01-05","text":"{text}"}}"#)
    };
    ws.write("v1.jsonl", line("Первая версия."));
    ws.write("v2.jsonl", line("Исправленная версия."));
    ws.json(&["ingest", "v1.jsonl", "--index", "idx", "--format", "json"]);
    let second = ws.json(&["ingest", "v2.jsonl", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&second["indexed"]), 1);
    assert_eq!(n(&second["replaced"]), 1);
    let docs = ws.documents("idx");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, "Исправленная версия.");
}

#[test]
fn missing_input_path_exits_2_before_writing_anything() {
    let ws = Workspace::new();
    let output = ws
        .cmd()
        .args(["ingest", "no/such/dir", "--index", "idx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
    assert!(!ws.path("idx").exists());
}

#[test]
fn missing_index_says_how_to_create_one() {
    let ws = Workspace::new();
    let output = ws
        .cmd()
        .args(["info", "--index", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mediawatch ingest"), "{stderr}");
}

#[test]
fn a_second_writer_fails_fast_with_a_clear_message() {
    let ws = Workspace::new();
    ws.write(
        "a.jsonl",
        r#"{"id":"a","outlet":"x","published":"2022-01-05","text":"Текст."}"#,
    );
    let index = mediawatch::index::open_or_create(&ws.path("idx")).unwrap();
    let _held = mediawatch::index::writer::DocumentWriter::open(
        &index,
        &ws.path("idx"),
        1,
        Default::default(),
    )
    .unwrap();
    let output = ws
        .cmd()
        .args(["ingest", "a.jsonl", "--index", "idx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("locked by another ingest"), "{stderr}");
}

/// Writes `count` distinct small documents as JSONL.
fn write_large_input(ws: &Workspace, count: usize) {
    let mut out = String::with_capacity(count * 200);
    for i in 0..count {
        out.push_str(&format!(
            r#"{{"id":"doc-{i}","outlet":"outlet-{}","published":"2022-01-{:02}","title":"Заголовок {i}","text":"Документ {i}: власти сообщили о ситуации в регионе {}, жители обсуждают новости."}}"#,
            i % 7,
            1 + i % 28,
            i % 13
        ));
        out.push('\n');
    }
    ws.write("big.jsonl", out);
}

#[test]
fn killed_ingest_leaves_an_index_that_a_rerun_completes_exactly() {
    let ws = Workspace::new();
    let total = 60_000;
    write_large_input(&ws, total);
    let binary = assert_cmd::cargo::cargo_bin("mediawatch");
    let mut interrupted = 0;
    // Early (before or around the first commit), mid-run, and later in the run.
    for delay_ms in [100, 400, 900] {
        let mut child = std::process::Command::new(&binary)
            .current_dir(ws.dir.path())
            .args([
                "ingest",
                "big.jsonl",
                "--index",
                "idx",
                "--commit-every",
                "1500",
                "--quiet",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if ws.path("idx/meta.json").exists() {
            let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
            assert!(n(&info["documents"]) <= total as u64);
        }
    }
    assert!(
        interrupted >= 1,
        "no run was still going when it was killed"
    );
    let summary = ws.json(&[
        "ingest",
        "big.jsonl",
        "--index",
        "idx",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(n(&summary["read"]), total as u64);
    assert_eq!(
        n(&summary["indexed"]) + n(&summary["already_indexed"]),
        total as u64
    );
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    // Upserts by id: a duplicate id would make this count exceed the number of ids.
    assert_eq!(n(&info["documents"]), total as u64);
}

#[test]
fn readers_work_while_an_ingest_runs_and_a_second_ingest_is_refused() {
    let ws = Workspace::new();
    write_large_input(&ws, 60_000);
    ws.write(
        "small.jsonl",
        r#"{"id":"a","outlet":"x","published":"2022-01-05","text":"Текст."}"#,
    );
    // A first commit so readers have something to open.
    ws.json(&[
        "ingest",
        "small.jsonl",
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    let binary = assert_cmd::cargo::cargo_bin("mediawatch");
    let mut child = std::process::Command::new(&binary)
        .current_dir(ws.dir.path())
        .args([
            "ingest",
            "big.jsonl",
            "--index",
            "idx",
            "--commit-every",
            "2000",
            "--quiet",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let running = child.try_wait().unwrap().is_none();
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert!(n(&info["documents"]) >= 1);
    let hits = ws.json(&["search", "*", "--index", "idx", "--format", "json"]);
    assert!(n(&hits["total"]) >= 1);
    if running && child.try_wait().unwrap().is_none() {
        let output = ws
            .cmd()
            .args(["ingest", "small.jsonl", "--index", "idx"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("locked by another ingest"));
    }
    assert!(child.wait().unwrap().success());
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["documents"]), 60_001);
}
