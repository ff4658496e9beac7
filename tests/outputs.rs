//! Report sets as a whole: a report replaces the old one in one step (a killed run leaves the
//! old set or the new one, never a mix, and its leftovers go with the next run), a directory
//! holding anything but a report is never replaced, and the timeline's resolution gives way
//! before a long date range makes the report huge.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{n, Workspace};

/// A generated corpus of `docs` documents with its registry, ingested into `idx`.
fn generated_index(ws: &Workspace, docs: &str) {
    let generated = ws
        .cmd()
        .args(["generate", "--docs", docs, "--out", "gen"])
        .output()
        .unwrap();
    assert!(generated.status.success());
    ws.json(&[
        "ingest",
        "gen/docs.jsonl",
        "--index",
        "idx",
        "--sources",
        "gen/sources.csv",
        "--format",
        "json",
    ]);
}

/// The query a report set was made for, from `data.json` and from `report.md`; they must agree.
fn report_query(ws: &Workspace, out: &str) -> String {
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path(&format!("{out}/data.json"))).unwrap())
            .unwrap();
    let query = data["question"]["query"].as_str().unwrap().to_string();
    let markdown = std::fs::read_to_string(ws.path(&format!("{out}/report.md"))).unwrap();
    assert!(
        markdown.contains(&format!("| query | {} |", query.replace('*', "\\*"))),
        "report.md and data.json are from different runs (query {query})"
    );
    let html = std::fs::read_to_string(ws.path(&format!("{out}/report.html"))).unwrap();
    assert!(html.ends_with("</html>\n"), "report.html is incomplete");
    for table in ["overview.csv", "timeline.csv", "keyness_target.csv"] {
        assert!(
            ws.path(&format!("{out}/tables/{table}")).is_file(),
            "{table}"
        );
    }
    query
}

fn leftovers(ws: &Workspace) -> Vec<String> {
    std::fs::read_dir(ws.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".rep"))
        .collect()
}

#[test]
fn a_killed_report_leaves_the_old_set_or_the_new_one_never_a_mix() {
    let ws = Workspace::new();
    generated_index(&ws, "1500");
    let report = |query: &str| {
        Command::new(env!("CARGO_BIN_EXE_mediawatch"))
            .current_dir(ws.dir.path())
            .args(["report", query, "--index", "idx", "--out", "rep", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    assert!(report("газ").wait().unwrap().success());
    assert_eq!(report_query(&ws, "rep"), "газ");
    let mut seen_new = false;
    for delay in [0, 5, 20, 50, 100, 200, 400, 800] {
        let mut child = report("*");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let query = report_query(&ws, "rep");
        assert!(
            query == "газ" || query == "*",
            "after a kill at {delay} ms: {query}"
        );
        seen_new |= query == "*";
        assert!(!finished || query == "*");
    }
    // A complete run replaces the set and removes what the killed runs left beside it.
    assert!(report("*").wait().unwrap().success());
    assert_eq!(report_query(&ws, "rep"), "*");
    assert_eq!(leftovers(&ws), Vec::<String>::new());
    eprintln!("a killed run completed before its kill: {seen_new}");
}

#[test]
fn a_report_that_cannot_complete_leaves_the_old_set_whole() {
    let ws = Workspace::new();
    generated_index(&ws, "300");
    let report = |query: &str| {
        ws.cmd()
            .args(["report", query, "--index", "idx", "--out", "rep", "--quiet"])
            .output()
            .unwrap()
    };
    assert!(report("газ").status.success());
    // A directory where a table should go: a writer replacing file by file fails after the
    // first files; one replacing the set whole refuses or fails before touching it.
    std::fs::remove_file(ws.path("rep/tables/overview.csv")).unwrap();
    std::fs::create_dir_all(ws.path("rep/tables/overview.csv/x")).unwrap();
    assert!(!report("*").status.success());
    std::fs::remove_dir_all(ws.path("rep/tables/overview.csv")).unwrap();
    std::fs::write(ws.path("rep/tables/overview.csv"), "").unwrap();
    // Whatever failed, what is there is one run's set: the old one.
    assert_eq!(report_query(&ws, "rep"), "газ");
    assert_eq!(leftovers(&ws), Vec::<String>::new());
}

#[test]
fn an_out_directory_with_other_files_is_refused_not_replaced() {
    let ws = Workspace::new();
    generated_index(&ws, "200");
    ws.write("mine/thesis.tex", "\\documentclass{article}");
    let output = ws
        .cmd()
        .args(["report", "--index", "idx", "--out", "mine", "--quiet"])
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("mine/thesis.tex") && message.contains("not part of a report"),
        "{message}"
    );
    assert!(ws.path("mine/thesis.tex").is_file());
    assert!(!ws.path("mine/report.html").exists());
    assert!(leftovers(&ws).is_empty());
}

#[test]
fn one_document_dated_1900_does_not_blow_up_the_report() {
    let ws = Workspace::new();
    let mut lines = Vec::new();
    for day in 3..=9 {
        for (outlet, category, text) in [
            (
                "tv",
                "state",
                "Бандиты захватили здания, порядок восстановлен.",
            ),
            (
                "indie",
                "independent",
                "Мирные протестующие вышли на площадь.",
            ),
        ] {
            lines.push(format!(
                r#"{{"id":"{outlet}{day}","outlet":"{outlet}","category":"{category}","published":"2022-01-{day:02}","text":"{text} День {day}."}}"#
            ));
        }
    }
    lines.push(
        r#"{"id":"old","outlet":"tv","category":"state","published":"1900-01-01","text":"Архивная заметка о событиях."}"#
            .to_string(),
    );
    ws.write("docs.jsonl", lines.join("\n"));
    ws.json(&["ingest", "docs.jsonl", "--index", "idx", "--format", "json"]);
    let output = ws
        .cmd()
        .args(["report", "--index", "idx", "--out", "rep", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path("rep/data.json")).unwrap()).unwrap();
    // 1900-01-01 to 2022-01-09 (computed with Python's datetime): 44,569 days, 6,367 ISO
    // weeks, 1,465 months.
    assert_eq!(data["question"]["interval"], "month");
    let note = data["question"]["interval_note"].as_str().unwrap();
    assert!(
        note.contains("per month rather than per day") && note.contains("44569 points"),
        "{note}"
    );
    for series in data["timeline"]["groups"].as_object().unwrap().values() {
        assert_eq!(series.as_object().unwrap().len(), 1465);
    }
    let state = &data["timeline"]["groups"]["state"];
    assert_eq!(n(&state["1900-01-01"]["documents"]), 1);
    assert_eq!(n(&state["2022-01-01"]["documents"]), 7);
    let html = std::fs::read_to_string(ws.path("rep/report.html")).unwrap();
    assert!(html.contains("per month rather than per day"));
    let size = std::fs::metadata(ws.path("rep/report.html")).unwrap().len();
    assert!(size < 2 << 20, "report.html is {size} bytes");
}

#[test]
fn generate_replaces_links_planted_in_its_output_never_following_them() {
    let ws = Workspace::new();
    for name in ["docs.jsonl", "sources.csv", "manifest.json"] {
        let victim = ws.write(&format!("victims/{name}"), "precious\n");
        std::fs::create_dir_all(ws.path("gen")).unwrap();
        std::os::unix::fs::symlink(&victim, ws.path(&format!("gen/{name}"))).unwrap();
    }
    let output = ws
        .cmd()
        .args(["generate", "--docs", "5", "--out", "gen"])
        .output()
        .unwrap();
    assert!(output.status.success());
    for name in ["docs.jsonl", "sources.csv", "manifest.json"] {
        let victim = ws.path(&format!("victims/{name}"));
        assert_eq!(
            std::fs::read_to_string(victim).unwrap(),
            "precious\n",
            "{name}"
        );
        let written = std::fs::symlink_metadata(ws.path(&format!("gen/{name}"))).unwrap();
        assert!(written.is_file(), "{name} is still a link");
    }
    let docs = std::fs::read_to_string(ws.path("gen/docs.jsonl")).unwrap();
    assert_eq!(docs.lines().count(), 5);
}
