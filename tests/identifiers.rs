//! Identifiers are what they look like: invisible format characters (a BOM in the middle of a
//! concatenated CSV, a zero-width joiner, a right-to-left override) never make a second outlet
//! or id that no one can see.

use crate::util::{n, Workspace};

#[test]
fn invisible_characters_never_make_a_second_outlet() {
    let ws = Workspace::new();
    // Two exports glued together: the second one's BOM now starts a row in the middle.
    let first = "outlet,published,text\nkhabar,2022-01-05,Первая запись.\n";
    let second = "\u{feff}khabar,2022-01-06,Вторая запись.\n";
    ws.write("glued.csv", format!("{first}{second}"));
    ws.write(
        "more.jsonl",
        [
            r#"{"outlet":"kha\u200dbar","published":"2022-01-07","text":"Третья запись."}"#,
            r#"{"outlet":"\u202ekhabar","published":"2022-01-08","text":"Четвёртая запись."}"#,
            r#"{"outlet":"khabar\u2069","id":"x\ufeff1","published":"2022-01-09","text":"Пятая запись."}"#,
        ]
        .join("\n"),
    );
    let sources = ws.write("sources.csv", "outlet,name,category\nkhabar,Хабар,state\n");
    let summary = ws.json(&[
        "ingest",
        "glued.csv",
        "more.jsonl",
        "--index",
        "idx",
        "--sources",
        sources.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(n(&summary["indexed"]), 5, "{summary}");
    assert_eq!(summary["unknown_outlets"], serde_json::json!({}));
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(info["by_outlet"], serde_json::json!({"khabar": 5}));
    assert_eq!(info["by_category"], serde_json::json!({"state": 5}));
    let ids: Vec<String> = ws.documents("idx").into_iter().map(|d| d.id).collect();
    assert!(ids.contains(&"x1".to_string()), "{ids:?}");
}
