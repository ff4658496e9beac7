//! Real-world inputs: undated and historical corpora, date precision, time zones, whole-ingest
//! metadata, file names, copies across outlets, registry changes, exit status.

use crate::util::{n, Workspace};

fn ingest(ws: &Workspace, paths: &[&str], extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["ingest"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--index", "idx", "--format", "json"]);
    args.extend_from_slice(extra);
    ws.json(&args)
}

fn jsonl(records: &[serde_json::Value]) -> String {
    records
        .iter()
        .map(|r| r.to_string() + "\n")
        .collect::<String>()
}

#[test]
fn undated_records_are_indexed_counted_and_kept_off_timelines_and_date_filters() {
    let ws = Workspace::new();
    let file = ws.write(
        "speeches.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "archive", "text": "Первая речь без даты."}),
            serde_json::json!({"outlet": "archive", "text": "Вторая речь без даты."}),
            serde_json::json!({"outlet": "archive", "text": "Речь пятого января.", "published": "2022-01-05T10:00:00+06:00"}),
        ]),
    );
    let summary = ingest(&ws, &[file.to_str().unwrap()], &[]);
    assert_eq!(
        (n(&summary["indexed"]), n(&summary["undated"])),
        (3, 2),
        "{summary}"
    );
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!((n(&info["documents"]), n(&info["undated"])), (3, 2));
    // Search and statistics include them; date filters and day facets do not.
    let all = ws.json(&[
        "search", "речь", "--index", "idx", "--facets", "day", "--format", "json",
    ]);
    assert_eq!(n(&all["total"]), 3);
    assert_eq!(all["facets"]["day"], serde_json::json!({"2022-01-05": 1}));
    let dated = ws.json(&[
        "search",
        "речь",
        "--index",
        "idx",
        "--from",
        "1900-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(n(&dated["total"]), 1);
    let timeline = ws.json(&[
        "stats", "timeline", "--index", "idx", "--by", "outlet", "--format", "json",
    ]);
    assert_eq!(n(&timeline["undated"]), 2);
    assert_eq!(
        n(&timeline["groups"]["archive"]["2022-01-05"]["documents"]),
        1
    );
    let table = ws
        .cmd()
        .args(["stats", "timeline", "--index", "idx"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("2 undated documents not on the timeline."),
        "{table}"
    );
    // --require-date restores the rejection.
    let strict_dates = ws.json(&[
        "ingest",
        file.to_str().unwrap(),
        "--index",
        "idx2",
        "--require-date",
        "--format",
        "json",
    ]);
    assert_eq!(n(&strict_dates["reject_reasons"]["missing_date"]), 2);
}

#[test]
fn historical_compact_and_imprecise_dates_keep_their_precision() {
    let ws = Workspace::new();
    let file = ws.write(
        "mixed.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "gazette", "id": "1790", "text": "Congress met in New York.", "published": "1790-03-04"}),
            serde_json::json!({"outlet": "gazette", "id": "gdelt", "text": "An event was coded.", "published": "20220105141500"}),
            serde_json::json!({"outlet": "gazette", "id": "month", "text": "A monthly digest.", "published": "2022-01"}),
            serde_json::json!({"outlet": "gazette", "id": "year", "text": "A yearbook.", "published": "1999"}),
        ]),
    );
    let summary = ingest(&ws, &[file.to_str().unwrap()], &["--timezone", "UTC"]);
    assert_eq!(
        (n(&summary["indexed"]), n(&summary["rejected"])),
        (4, 0),
        "{summary}"
    );
    let hits = ws.json(&[
        "search", "--index", "idx", "--sort", "date", "--format", "json",
    ]);
    let shown: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["published"].as_str().unwrap())
        .collect();
    assert_eq!(
        shown,
        ["1790-03-04", "1999", "2022-01", "2022-01-05T14:15+00:00"]
    );
    // A month or a year is on no day of a per-day timeline.
    let timeline = ws.json(&["stats", "timeline", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&timeline["imprecise"]), 2);
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["dated_to_month_or_year"]), 2);
    assert_eq!(info["first_published"], "1790-03-04");
}

#[test]
fn iana_zones_apply_their_rules_per_date() {
    let ws = Workspace::new();
    let file = ws.write(
        "almaty.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "x", "id": "before", "text": "Before the change.", "published": "2024-02-29 12:00"}),
            serde_json::json!({"outlet": "x", "id": "after", "text": "After the change.", "published": "2024-03-01 12:00"}),
        ]),
    );
    ingest(
        &ws,
        &[file.to_str().unwrap()],
        &["--timezone", "Asia/Almaty"],
    );
    let hits = ws.json(&[
        "search",
        "--index",
        "idx",
        "--sort",
        "date",
        "--format",
        "json",
        "--timezone",
        "UTC",
    ]);
    // Almaty was UTC+6 until 2024-03-01 and UTC+5 from then on.
    assert_eq!(hits["hits"][0]["published"], "2024-02-29T06:00+00:00");
    assert_eq!(hits["hits"][1]["published"], "2024-03-01T07:00+00:00");
    let local = ws.json(&[
        "search", "--index", "idx", "--sort", "date", "--format", "json",
    ]);
    assert_eq!(local["hits"][0]["published"], "2024-02-29T12:00+06:00");
    assert_eq!(local["hits"][1]["published"], "2024-03-01T12:00+05:00");
    let bad = ws
        .cmd()
        .args([
            "ingest",
            file.to_str().unwrap(),
            "--index",
            "i3",
            "--timezone",
            "Mars/Olympus",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown time zone"));
}

const SRT: &str = "1\n00:00:01,000 --> 00:00:03,000\nДобрый вечер, в эфире новости.\n";

#[test]
fn dash_named_transcripts_and_set_give_outlet_and_date() {
    let ws = Workspace::new();
    ws.write("tv/khabar-2022-01-07.srt", SRT);
    ws.write("tv/20220108.srt", SRT.replace("новости", "вести"));
    let tv = ws.path("tv");
    // Without --set: the dash-named file is read, the date-only one says how to fix it.
    let output = ws
        .cmd()
        .args([
            "ingest",
            tv.to_str().unwrap(),
            "--index",
            "idx",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((n(&summary["indexed"]), n(&summary["rejected"])), (1, 1));
    let rejects = std::fs::read_to_string(ws.path("idx/rejects.jsonl")).unwrap();
    assert!(rejects.contains("missing_outlet"), "{rejects}");
    assert!(rejects.contains("--set outlet=NAME") && rejects.contains("meta.json"));
    assert!(
        !rejects.contains("header line"),
        "subtitles have no headers: {rejects}"
    );
    let docs = ws.documents("idx");
    assert_eq!(
        (docs[0].outlet.as_str(), docs[0].day.as_str()),
        ("khabar", "2022-01-07")
    );
    // --set outlet=… names the channel of the whole folder, over what file names suggest.
    let summary = ingest(&ws, &[tv.to_str().unwrap()], &["--set", "outlet=khabar_24"]);
    assert_eq!(n(&summary["unknown_outlets"]["khabar_24"]), 2, "{summary}");
    let dated: Vec<String> = ws
        .documents("idx")
        .iter()
        .filter(|d| d.outlet == "khabar_24")
        .map(|d| d.day.clone())
        .collect();
    assert_eq!(dated.len(), 2);
    assert!(dated.contains(&"2022-01-07".to_string()) && dated.contains(&"2022-01-08".to_string()));
}

#[test]
fn the_same_text_from_another_outlet_is_its_copy_and_from_the_same_outlet_a_duplicate() {
    let ws = Workspace::new();
    let text = "Агентство сообщает о введении чрезвычайного положения.";
    let file = ws.write(
        "wire.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "agency", "id": "a1", "text": text, "published": "2022-01-05"}),
            serde_json::json!({"outlet": "paper", "id": "p1", "text": text, "published": "2022-01-06"}),
            serde_json::json!({"outlet": "paper", "id": "p2", "text": text, "published": "2022-01-06"}),
        ]),
    );
    let summary = ingest(&ws, &[file.to_str().unwrap()], &[]);
    assert_eq!(
        (
            n(&summary["indexed"]),
            n(&summary["copies"]),
            n(&summary["duplicates"])
        ),
        (2, 1, 1),
        "{summary}"
    );
    let hits = ws.json(&[
        "search", "--index", "idx", "--sort", "date", "--format", "json",
    ]);
    assert_eq!(hits["hits"][0]["copy_of"], serde_json::Value::Null);
    assert_eq!(
        hits["hits"][1]["copy_of"],
        serde_json::json!({"outlet": "agency", "id": "a1"})
    );
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["copies"]), 1);
    // The old behaviour on request.
    let dropped = ws.json(&[
        "ingest",
        file.to_str().unwrap(),
        "--index",
        "idx2",
        "--drop-cross-outlet-copies",
        "--format",
        "json",
    ]);
    assert_eq!((n(&dropped["indexed"]), n(&dropped["duplicates"])), (1, 2));
}

#[test]
fn a_changed_registry_relabels_on_reingest_and_through_relabel() {
    let ws = Workspace::new();
    let file = ws.write(
        "docs.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "Хабар", "id": "1", "text": "Первый выпуск.", "published": "2022-01-05"}),
            serde_json::json!({"outlet": "khabar", "text": "Второй выпуск.", "url": "https://k/2", "published": "2022-01-06"}),
            serde_json::json!({"outlet": "vlast", "id": "3", "text": "Третий текст.", "published": "2022-01-06", "category": "blog"}),
        ]),
    );
    let sources = ws.write(
        "sources.csv",
        "outlet,name,category,medium,aliases\nkhabar,Хабар,state,broadcast,Khabar TV\nvlast,Власть,independent,,\n",
    );
    ingest(&ws, &[file.to_str().unwrap()], &[]);
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(n(&info["by_category"]["unknown"]), 2);
    // relabel: the registry now joins "Хабар" to khabar; the record's own category stays.
    let relabelled = ws.json(&[
        "relabel",
        "--sources",
        sources.to_str().unwrap(),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_eq!(n(&relabelled["relabelled"]), 2, "{relabelled}");
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(
        info["by_category"],
        serde_json::json!({"state": 2, "blog": 1})
    );
    assert_eq!(
        info["by_outlet"],
        serde_json::json!({"khabar": 2, "vlast": 1})
    );
    assert_eq!(n(&info["by_medium"]["broadcast"]), 2);
    // Re-ingesting with the registry is now a no-op; with a changed one it relabels.
    let again = ingest(
        &ws,
        &[file.to_str().unwrap()],
        &["--sources", sources.to_str().unwrap()],
    );
    assert_eq!(
        (n(&again["already_indexed"]), n(&again["relabelled"])),
        (3, 0),
        "{again}"
    );
    let changed = ws.write(
        "sources2.csv",
        "outlet,name,category,medium,aliases\nkhabar,Хабар,public,broadcast,\nvlast,Власть,independent,,\n",
    );
    let again = ingest(
        &ws,
        &[file.to_str().unwrap()],
        &["--sources", changed.to_str().unwrap()],
    );
    assert_eq!(n(&again["relabelled"]), 2, "{again}");
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(
        info["by_category"],
        serde_json::json!({"public": 2, "blog": 1})
    );
    assert_eq!(n(&info["documents"]), 3);
}

#[test]
fn reingesting_unknown_outlets_with_a_registry_relabels_them() {
    let ws = Workspace::new();
    let file = ws.write(
        "docs.jsonl",
        jsonl(&[
            serde_json::json!({"outlet": "Жаңа Дәуір", "text": "Мақала.", "url": "https://z/1", "published": "2022-01-05"}),
            serde_json::json!({"outlet": "zhana_dauir", "id": "7", "text": "Екінші мақала.", "published": "2022-01-05"}),
        ]),
    );
    let sources = ws.write(
        "sources.csv",
        "outlet,name,category,aliases\nzhana_dauir,Zhana Dauir,state,Жаңа Дәуір\n",
    );
    ingest(&ws, &[file.to_str().unwrap()], &[]);
    let again = ingest(
        &ws,
        &[file.to_str().unwrap()],
        &["--sources", sources.to_str().unwrap()],
    );
    assert_eq!(
        (
            n(&again["relabelled"]),
            n(&again["indexed"]),
            n(&again["duplicates"])
        ),
        (2, 2, 0),
        "{again}"
    );
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(info["by_outlet"], serde_json::json!({"zhana_dauir": 2}));
    assert_eq!(info["by_category"], serde_json::json!({"state": 2}));
}

#[test]
fn exit_status_says_when_nothing_was_indexed_and_strict_fails_on_any_reject() {
    let ws = Workspace::new();
    let bad = ws.write("bad.jsonl", "{\"text\": 1\n[1]\n{\"outlet\": \"x\"}\n");
    let output = ws
        .cmd()
        .args(["ingest", bad.to_str().unwrap(), "--index", "idx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "nothing was indexed: 3 records rejected (top reasons: malformed_json 2, missing_text 1)"
        ),
        "{stderr}"
    );
    // The per-file table is still printed, and the summary ends with time and rate.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("TOTAL") && stdout.contains("records/s"),
        "{stdout}"
    );
    let mixed = ws.write(
        "mixed.jsonl",
        "{\"outlet\": \"x\", \"text\": \"ok\"}\n[1]\n",
    );
    let ok = ws
        .cmd()
        .args(["ingest", mixed.to_str().unwrap(), "--index", "idx2"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let strict = ws
        .cmd()
        .args([
            "ingest",
            mixed.to_str().unwrap(),
            "--index",
            "idx3",
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict: 1 of 2 records rejected"));
}

#[test]
fn reject_lines_are_physical_lines_in_lf_crlf_and_cr_files() {
    let ws = Workspace::new();
    // The bad date is on physical line 4 in every file (a quoted field spans lines 2–3).
    for (name, end) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let csv = [
            "outlet,text,published",
            "x,\"two",
            "lines\",2022-01-05",
            "x,bad,2022-02-30",
            "",
        ]
        .join(end);
        ws.write(&format!("{name}/a.csv"), csv);
        let json = [
            "{\"outlet\": \"x\", \"text\": \"a\"}",
            "",
            "{\"outlet\": \"x\",",
            "\"text\": \"b\", \"published\": \"2022-02-30\"}",
            "",
        ]
        .join(end);
        ws.write(&format!("{name}/b.json"), &json);
        ws.write(
            &format!("{name}/c.jsonl"),
            [
                "{\"outlet\": \"x\", \"text\": \"a\"}",
                "",
                "",
                "{\"outlet\": \"x\", \"text\": \"b\", \"published\": \"2022-02-30\"}",
                "",
            ]
            .join(end),
        );
    }
    ingest(
        &ws,
        &[
            ws.path("lf").to_str().unwrap(),
            ws.path("crlf").to_str().unwrap(),
            ws.path("cr").to_str().unwrap(),
        ],
        &[],
    );
    let rejects = std::fs::read_to_string(ws.path("idx/rejects.jsonl")).unwrap();
    let lines: Vec<(String, u64)> = rejects
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|r| (r["file"].as_str().unwrap().to_string(), n(&r["line"])))
        .collect();
    assert_eq!(lines.len(), 9, "{rejects}");
    for (file, line) in &lines {
        let expected = if file.ends_with("b.json") { 3 } else { 4 };
        assert_eq!(*line, expected, "{file}");
    }
}

#[test]
fn detect_and_ingest_can_be_restricted_to_some_languages() {
    let ws = Workspace::new();
    // Ukrainian and Bulgarian lines, which a kk/ru/en corpus cannot contain.
    let lines = "Мешканці просять встановити світлофор біля школи.\nУтре в София ще бъде открит международен панаир.\nThe talks will continue next week.\n";
    let run = |extra: &[&str]| {
        let mut args = vec!["detect"];
        args.extend_from_slice(extra);
        let output = ws.cmd().args(&args).write_stdin(lines).output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), ["uk", "bg", "en"]);
    let restricted = run(&["--languages", "kk,ru,en"]);
    assert!(
        ["kk", "ru"].contains(&restricted[0].as_str()),
        "{restricted:?}"
    );
    assert_eq!(restricted[1..], ["ru", "en"]);
    let bad = ws
        .cmd()
        .args(["detect", "--languages", "xx"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
