//! Hostile and broken input: every file is read without a panic, every record is accounted
//! for, each problem has a precise reason, and memory stays bounded.
//!
//! Small cases are real files in `tests/fixtures/adversarial/input/`, checked against the
//! hand-written `expected.csv` next to them; large ones are generated here.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use mediawatch::ingest::source::discover;
use mediawatch::pipeline::{ingest_discovered, IngestOptions, NoProgress};

use crate::util::{fixture, n, wait_with_peak_rss, Workspace};

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
    assert_accounted(&summary);
    summary
}

/// `read = indexed + duplicates + rejected`, in total and for every file.
fn assert_accounted(summary: &serde_json::Value) {
    let sum = |v: &serde_json::Value| n(&v["indexed"]) + n(&v["duplicates"]) + n(&v["rejected"]);
    assert_eq!(n(&summary["read"]), sum(summary), "{summary}");
    for file in summary["files"].as_array().unwrap() {
        assert_eq!(n(&file["read"]), sum(file), "{file}");
    }
}

fn rejects(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn reject_codes(ws: &Workspace) -> Vec<String> {
    rejects(&ws.path("idx/rejects.jsonl"))
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

const GOOD: &str =
    r#"{"id":"ok","outlet":"x","published":"2022-01-05","text":"Нормальный текст."}"#;

/// One row of `tests/fixtures/adversarial/expected.csv`.
#[derive(Debug, serde::Deserialize)]
struct Expected {
    file: String,
    read: u64,
    indexed: u64,
    duplicates: u64,
    rejected: u64,
    /// `line:code` pairs, space-separated, in file order.
    rejects: String,
}

#[test]
fn fixture_directory_matches_the_hand_written_manifest() {
    let ws = Workspace::new();
    let input = fixture("adversarial/input");
    let summary = ws.json(&[
        "ingest",
        input.to_str().unwrap(),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_accounted(&summary);
    let mut manifest = csv::Reader::from_path(fixture("adversarial/expected.csv")).unwrap();
    let expected: Vec<Expected> = manifest.deserialize().map(Result::unwrap).collect();

    // Every input file is in the manifest and nothing was passed over.
    let files: BTreeMap<String, &serde_json::Value> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (file_name(f["path"].as_str().unwrap()), f))
        .collect();
    let listed: Vec<&str> = expected.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files.keys().collect::<Vec<_>>(), listed);
    assert_eq!(summary["skipped"], serde_json::json!([]));

    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for reject in rejects(&ws.path("idx/rejects.jsonl")) {
        assert!(
            reject["reason"].as_str().is_some_and(|r| r.len() > 10),
            "{reject}"
        );
        found
            .entry(file_name(reject["file"].as_str().unwrap()))
            .or_default()
            .push(format!(
                "{}:{}",
                n(&reject["line"]),
                reject["code"].as_str().unwrap()
            ));
    }
    for want in &expected {
        let got = files[&want.file];
        let counts = |v: &serde_json::Value| {
            [
                n(&v["read"]),
                n(&v["indexed"]),
                n(&v["duplicates"]),
                n(&v["rejected"]),
            ]
        };
        assert_eq!(
            counts(got),
            [want.read, want.indexed, want.duplicates, want.rejected],
            "{}: read, indexed, duplicates, rejected",
            want.file
        );
        let want_rejects: Vec<&str> = want.rejects.split_whitespace().collect();
        let got_rejects = found.get(&want.file).cloned().unwrap_or_default();
        assert_eq!(got_rejects, want_rejects, "{} rejects", want.file);
    }
    let total = |field: fn(&Expected) -> u64| expected.iter().map(field).sum::<u64>();
    assert_eq!(n(&summary["read"]), total(|e| e.read));
    assert_eq!(n(&summary["indexed"]), total(|e| e.indexed));
    assert_eq!(n(&summary["duplicates"]), total(|e| e.duplicates));
    assert_eq!(n(&summary["rejected"]), total(|e| e.rejected));

    // What was indexed carries no control characters, whatever the input had.
    let docs = ws.documents("idx");
    assert_eq!(docs.len() as u64, total(|e| e.indexed));
    for doc in &docs {
        for value in [&doc.outlet, &doc.title, &doc.text, &doc.id] {
            assert!(
                !value.chars().any(|c| c.is_control() && c != '\n'),
                "control character in {value:?}"
            );
        }
    }
    let outlets: Vec<&str> = docs.iter().map(|d| d.outlet.as_str()).collect();
    for outlet in ["adv[2J_ctl", "adv ctl", "adv[31mred"] {
        assert!(outlets.contains(&outlet), "{outlet:?} not in {outlets:?}");
    }
    let utf16 = docs.iter().find(|d| d.id == "w2").unwrap();
    assert_eq!(utf16.text, "Вторая запись, Қазақстан.");
}

#[test]
fn deep_nesting_is_malformed_json_and_over_the_cap_is_too_large() {
    let ws = Workspace::new();
    // Under the 64 KiB cap, so the JSON parser sees it (and must not overflow its stack).
    let arrays = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    // Over the cap: never parsed.
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = format!(
        r#"{{"id":"huge","outlet":"x","published":"2022-01-05","text":"{}"}}"#,
        "я".repeat(100_000)
    );
    ws.write(
        "in.jsonl",
        format!("{arrays}\n{objects}\n{nested}\n{huge}\n{GOOD}\n"),
    );
    let summary = ingest(&ws, "in.jsonl");
    assert_eq!((n(&summary["indexed"]), n(&summary["rejected"])), (1, 4));
    let codes = reject_codes(&ws);
    assert_eq!(
        codes,
        ["malformed_json", "malformed_json", "too_large", "too_large"]
    );
}

#[test]
fn a_100_mb_json_string_is_rejected_in_bounded_memory() {
    let ws = Workspace::new();
    let path = ws.path("huge.jsonl");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(
            out,
            r#"{{"id":"before","outlet":"x","published":"2022-01-05","text":"Запись до огромной строки."}}"#
        )
        .unwrap();
        write!(
            out,
            r#"{{"id":"huge","outlet":"x","published":"2022-01-05","text":""#
        )
        .unwrap();
        let chunk = "ж".repeat(512 * 1024); // 1 MiB
        for _ in 0..100 {
            out.write_all(chunk.as_bytes()).unwrap();
        }
        writeln!(out, r#""}}"#).unwrap();
        writeln!(
            out,
            r#"{{"id":"after","outlet":"x","published":"2022-01-05","text":"Запись после огромной строки."}}"#
        )
        .unwrap();
        out.flush().unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 100 << 20);
    let stdout = std::fs::File::create(ws.path("summary.json")).unwrap();
    // The default record cap (16 MiB) applies.
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .current_dir(ws.dir.path())
        .args(["ingest", "huge.jsonl", "--index", "idx", "--format", "json"])
        .stdout(stdout)
        .spawn()
        .unwrap();
    let (status, peak) = wait_with_peak_rss(child);
    assert!(status.success(), "{status}");
    eprintln!("100 MB JSON string: peak RSS {} MiB", peak >> 20);
    assert!(peak < 1 << 30, "peak RSS {peak} bytes");

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path("summary.json")).unwrap()).unwrap();
    assert_accounted(&summary);
    assert_eq!(
        [
            n(&summary["read"]),
            n(&summary["indexed"]),
            n(&summary["rejected"])
        ],
        [3, 2, 1]
    );
    let rejects = rejects(&ws.path("idx/rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["code"], "too_large");
    assert_eq!(n(&rejects[0]["line"]), 2);
    assert!(rejects[0]["raw"].as_str().unwrap().len() <= 4096);
    let mut ids: Vec<String> = ws.documents("idx").into_iter().map(|d| d.id).collect();
    ids.sort();
    assert_eq!(ids, ["after", "before"]);
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

/// A UTF-16 file is transcoded as it streams: a file many times the record cap keeps every
/// record, and an unpaired surrogate half-way is a read error after the records before it.
#[test]
fn utf16_files_larger_than_the_record_cap_stream_whole() {
    let ws = Workspace::new();
    let utf16 = |text: &str| {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let line = |outlet: &str, i: usize| {
        format!(
            r#"{{"id":"u{i}","outlet":"{outlet}","published":"2022-01-05","text":"Запись {outlet}{i}: {}"}}"#,
            "Қазақстан жаңалықтары. ".repeat(20)
        ) + "\n"
    };
    let records = 2000;
    let text: String = (0..records).map(|i| line("x", i)).collect();
    let bytes = utf16(&text);
    assert!(bytes.len() > 20 * 65536, "{}", bytes.len());
    ws.write("big.jsonl", &bytes);
    let summary = ingest(&ws, "big.jsonl");
    let counts = ["read", "indexed", "rejected"].map(|k| n(&summary[k]));
    assert_eq!(counts, [records as u64, records as u64, 0], "{summary}");

    // Ten new records, then a lone high surrogate, then text that cannot be trusted.
    let mut bytes = utf16(&(0..10).map(|i| line("y", i)).collect::<String>());
    bytes.extend(0xD800u16.to_le_bytes());
    bytes.extend(&utf16(&line("y", 10))[2..]);
    ws.write("broken.jsonl", &bytes);
    let summary = ingest(&ws, "broken.jsonl");
    let counts = ["read", "indexed", "rejected"].map(|k| n(&summary[k]));
    assert_eq!(counts, [11, 10, 1], "{summary}");
    assert_eq!(reject_codes(&ws), ["read_error"]);
}

#[test]
fn directory_symlink_loops_do_not_hang() {
    let ws = Workspace::new();
    ws.write("tree/a/good.jsonl", GOOD);
    std::os::unix::fs::symlink(ws.path("tree"), ws.path("tree/a/loop")).unwrap();
    let summary = ingest(&ws, "tree");
    assert_eq!(n(&summary["indexed"]), 1);
    let ignored = summary["skipped"].to_string();
    assert!(ignored.contains("symlink_loop"), "{ignored}");
}

#[test]
fn csv_rows_of_10_000_columns() {
    let ws = Workspace::new();
    // A 10,000-column row under a 4-column header: rejected, with a reason and a short raw.
    let wide = vec!["v"; 10_000].join(",");
    ws.write(
        "narrow.csv",
        format!(
            "id,outlet,published,text\n1,x,2022-01-05,Fine text here.\n2,x,2022-01-05,{wide}\n"
        ),
    );
    let summary = ingest(&ws, "narrow.csv");
    assert_eq!((n(&summary["indexed"]), n(&summary["rejected"])), (1, 1));
    let reject = &rejects(&ws.path("idx/rejects.jsonl"))[0];
    assert_eq!(reject["code"], "malformed_csv");
    assert_eq!(n(&reject["line"]), 3);
    assert!(reject["reason"].as_str().unwrap().contains("found 10003"));
    assert!(reject["raw"].as_str().unwrap().len() <= 4096);

    // A 10,000-column header with its 10,000-column rows: unknown columns are ignored.
    let ws = Workspace::new();
    let names: Vec<String> = (4..10_000).map(|i| format!("c{i}")).collect();
    let values = vec!["v"; 10_000 - 4].join(",");
    ws.write(
        "wide.csv",
        format!(
            "id,outlet,published,text,{}\n1,x,2022-01-05,Широкая строка.,{values}\n",
            names.join(",")
        ),
    );
    let summary = ingest(&ws, "wide.csv");
    assert_eq!(n(&summary["indexed"]), 1, "{summary}");
    assert_eq!(ws.documents("idx")[0].text, "Широкая строка.");
}

#[test]
fn a_file_that_disappears_during_the_run_is_a_reject_naming_it() {
    let ws = Workspace::new();
    ws.write(
        "in/a.jsonl",
        r#"{"id":"a","outlet":"x","published":"2022-01-05","text":"Первый файл на месте."}"#,
    );
    let gone = ws.write(
        "in/b.jsonl",
        r#"{"id":"b","outlet":"x","published":"2022-01-05","text":"Этот файл исчезнет."}"#,
    );
    ws.write(
        "in/c.jsonl",
        r#"{"id":"c","outlet":"x","published":"2022-01-05","text":"Третий файл на месте."}"#,
    );
    let inputs = vec![ws.path("in")];
    let discovery = discover(&inputs, None).unwrap();
    assert_eq!(discovery.files.len(), 3);
    // Deleted after it was found and before it is read, as by another process mid-run.
    std::fs::remove_file(&gone).unwrap();
    let options = IngestOptions::new(inputs, ws.path("idx"));
    let summary = ingest_discovered(&discovery, &options, &NoProgress).unwrap();

    assert_eq!(
        (
            summary.read,
            summary.indexed,
            summary.duplicates,
            summary.rejected
        ),
        (3, 2, 0, 1)
    );
    for file in &summary.files {
        assert_eq!(file.read, file.indexed + file.duplicates + file.rejected);
    }
    let gone_name = gone.display().to_string();
    let b = summary.files.iter().find(|f| f.path == gone_name).unwrap();
    assert_eq!((b.read, b.rejected), (1, 1));
    let rejects = rejects(&ws.path("idx/rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["file"], gone_name.as_str());
    assert_eq!(rejects[0]["code"], "read_error");
    assert_eq!(n(&rejects[0]["line"]), 0);
    let reason = rejects[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("cannot open") && reason.contains("No such file"),
        "{reason}"
    );
    let ids: Vec<String> = ws.documents("idx").into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["a", "c"]);
}

/// Writes documents straight into an index, bypassing ingest's cleaning, as an index built
/// by another tool or an older version could hold them.
fn raw_index(dir: &Path, docs: &[(&str, &str, &str, &str, &str)]) {
    use mediawatch::index::writer::DocumentWriter;
    use mediawatch::ingest::normalize::fingerprint;
    use mediawatch::model::Document;
    let index = mediawatch::index::open_or_create(dir).unwrap();
    let mut writer = DocumentWriter::open(&index, dir, 1, Default::default()).unwrap();
    for (i, &(id, outlet, category, title, text)) in docs.iter().enumerate() {
        let day = 3 + i % 5;
        writer
            .add(&Document {
                id: id.to_string(),
                outlet: outlet.to_string(),
                category: category.to_string(),
                medium: "article\u{1b}[5m".to_string(),
                published: Some(mediawatch::model::Published::time(
                    format!("2022-01-{day:02}T06:00:00Z").parse().unwrap(),
                )),
                day: format!("2022-01-{day:02}"),
                title: title.to_string(),
                text: text.to_string(),
                url: Some("http://x/\u{1b}]8;;evil\u{7}".to_string()),
                declared_lang: None,
                lang: "ru".to_string(),
                lang_confidence: 1.0,
                lang_shares: Vec::new(),
                cues: Vec::new(),
                fingerprint: fingerprint(text),
                source_file: "in\u{1b}[2J.jsonl".to_string(),
                source_line: i as u64 + 1,
                given: Default::default(),
                copy_of: None,
            })
            .unwrap();
    }
    writer.finish().unwrap();
}

/// Terminal escapes that must never reach a table: ESC, CSI (C1), BEL.
fn assert_no_escapes(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    assert!(
        !text.contains(['\u{1b}', '\u{9b}', '\u{7}']),
        "escape sequence in `{what}` output: {text:?}"
    );
}

#[test]
fn ansi_escapes_from_documents_never_reach_the_terminal() {
    let ws = Workspace::new();
    let hostile = "st\u{1b}[2Jate\u{9b}31m";
    let mut docs = Vec::new();
    for i in 0..5 {
        docs.push((
            ["s0", "s1", "s2", "s3", "s4"][i],
            "tv\u{1b}[2J\u{1b}[H",
            hostile,
            "\u{1b}[2J\u{1b}[HЗаголовок\u{7}",
            "Бандиты \u{1b}[31mзахватили\u{1b}[0m здания. Порядок будет восстановлен.",
        ));
        docs.push((
            ["i0", "i1", "i2", "i3", "i4"][i],
            "indie",
            "independent",
            "Протест",
            "Мирные протестующие \u{9b}2J вышли на площадь. Бандиты не замечены.",
        ));
    }
    // Distinct texts, so none is a duplicate of another.
    let texts: Vec<String> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{} Выпуск {i}.", d.4))
        .collect();
    let docs: Vec<_> = docs
        .iter()
        .zip(&texts)
        .map(|(d, t)| (d.0, d.1, d.2, d.3, t.as_str()))
        .collect();
    raw_index(&ws.path("idx"), &docs);

    let runs: Vec<Vec<&str>> = vec![
        vec!["search", "бандиты", "--index", "idx"],
        vec![
            "search",
            "бандиты",
            "--index",
            "idx",
            "--kwic",
            "--by",
            "outlet",
            "--facets",
            "outlet,category,lang,medium,day",
        ],
        vec![
            "compare",
            "--index",
            "idx",
            "--target",
            hostile,
            "--reference",
            "independent",
            "--min-freq",
            "1",
        ],
        vec!["stats", "timeline", "--index", "idx"],
        vec!["stats", "timeline", "--index", "idx", "--by", "outlet"],
        vec!["info", "--index", "idx"],
    ];
    for args in runs {
        let output = ws.cmd().args(&args).output().unwrap();
        let what = args.join(" ");
        assert!(
            output.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_no_escapes(&what, &output.stdout);
        // The hostile rows are there, with only their escape characters removed.
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("[2J") || stdout.contains("Заголовок"),
            "{what}: {stdout}"
        );
    }

    // A file name with an escape sequence, in the ingest summary table.
    ws.write("in\u{1b}[2J.jsonl", format!("{GOOD}\n"));
    let output = ws
        .cmd()
        .args(["ingest", "in\u{1b}[2J.jsonl", "--index", "idx2", "--quiet"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_no_escapes("ingest", &output.stdout);
    assert!(String::from_utf8_lossy(&output.stdout).contains("in[2J.jsonl"));
}
