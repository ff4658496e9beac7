//! The bundled demo corpus: it ingests cleanly, shows the blackout, and its planted
//! differences (corpus/planted.csv) are recovered by keyness.

use std::path::Path;

use mediawatch::stats::counts::{TermExtractor, TermMode};

use crate::util::{n, Workspace};

fn corpus(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel)
        .display()
        .to_string()
}

fn ingested() -> Workspace {
    let ws = Workspace::new();
    let summary = ws.json(&[
        "ingest",
        &corpus("tv"),
        &corpus("agency"),
        &corpus("online"),
        &corpus("regional"),
        "--sources",
        &corpus("sources.csv"),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_eq!(n(&summary["rejected"]), 0, "{summary}");
    assert!(n(&summary["indexed"]) >= 400);
    assert!(summary["unknown_outlets"].as_object().unwrap().is_empty());
    ws
}

#[test]
fn planted_differences_are_recovered_in_the_top_ten() {
    let ws = ingested();
    let planted = std::fs::read_to_string(corpus("planted.csv")).unwrap();
    let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
    let mut missed = Vec::new();
    let mut checked = 0;
    for line in planted.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (term, lang, favours) = (fields[0], fields[1], fields[2]);
        // The planted term as the statistics count it: analyzed, stopwords dropped.
        let words: Vec<String> = extractor.terms(term).into_iter().map(|t| t.0).collect();
        if words.is_empty() {
            continue;
        }
        let expected = words.join(" ");
        let ngram = words.len().to_string();
        let result = ws.json(&[
            "compare",
            "--index",
            "idx",
            "--target",
            "state",
            "--reference",
            "independent",
            "--lang",
            lang,
            "--ngram",
            &ngram,
            "--top",
            "10",
            "--format",
            "json",
        ]);
        let direction = if favours == "state" {
            "target"
        } else {
            "reference"
        };
        let top: Vec<&str> = result["terms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["direction"] == direction)
            .map(|t| t["term"].as_str().unwrap())
            .collect();
        checked += 1;
        if !top.contains(&expected.as_str()) {
            missed.push(format!(
                "{term} ({lang}, {favours}) as `{expected}` not in top 10: {top:?}"
            ));
        }
    }
    assert!(checked >= 16, "only {checked} planted terms checked");
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

#[test]
fn independent_online_outlets_fall_silent_during_the_blackout() {
    let ws = ingested();
    let timeline = ws.json(&[
        "stats", "timeline", "--index", "idx", "--medium", "article", "--format", "json",
    ]);
    let independent = timeline["groups"]["independent"].as_object().unwrap();
    for day in [
        "2022-01-05",
        "2022-01-06",
        "2022-01-07",
        "2022-01-08",
        "2022-01-09",
        "2022-01-10",
    ] {
        assert_eq!(n(&independent[day]["documents"]), 0, "{day}");
    }
    let gap = timeline["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["scope"] == "group" && g["name"] == "independent")
        .expect("the blackout gap");
    assert_eq!(
        (gap["from"].as_str(), gap["to"].as_str()),
        (Some("2022-01-05"), Some("2022-01-10"))
    );
    // State TV keeps broadcasting every day.
    let state = ws.json(&[
        "stats",
        "timeline",
        "--index",
        "idx",
        "--medium",
        "broadcast",
        "--format",
        "json",
    ]);
    assert!(!state["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["group"] == "state"));
}

#[test]
fn bad_folder_shows_every_reject_path() {
    let ws = Workspace::new();
    let summary = ws.json(&[
        "ingest",
        &corpus("bad"),
        "--sources",
        &corpus("sources.csv"),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_eq!(
        n(&summary["read"]),
        n(&summary["indexed"]) + n(&summary["duplicates"]) + n(&summary["rejected"])
    );
    assert!(n(&summary["rejected"]) >= 6, "{summary}");
}

#[test]
fn the_export_folders_are_read_in_their_tools_shapes() {
    let ws = Workspace::new();
    let summary = ws.json(&[
        "ingest",
        &corpus("exports"),
        "--sources",
        &corpus("sources.csv"),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    // Counted by hand: 3 news-please files, 3 Media Cloud rows, 3 undated speeches, 1 SRT.
    assert_eq!(
        (
            n(&summary["read"]),
            n(&summary["indexed"]),
            n(&summary["rejected"])
        ),
        (10, 10, 0),
        "{summary}"
    );
    assert_eq!(n(&summary["undated"]), 3);
    assert!(
        summary["unknown_outlets"].as_object().unwrap().is_empty(),
        "{summary}"
    );
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    assert_eq!(
        info["by_outlet"],
        serde_json::json!({"akorda_archive": 3, "dala_news": 3, "steppe_wire": 3, "khabar": 1})
    );
    let docs = ws.documents("idx");
    let day = |url: &str| {
        docs.iter()
            .find(|d| d.url.as_deref() == Some(url))
            .map(|d| d.day.clone())
            .unwrap()
    };
    // Media Cloud's 20:00 UTC on 11 January is 02:00 on the 12th in Almaty.
    assert_eq!(day("https://steppe-wire.example/ru/banks"), "2022-01-12");
    let srt = docs.iter().find(|d| d.outlet == "khabar").unwrap();
    assert_eq!(
        (srt.medium.as_str(), srt.day.as_str()),
        ("broadcast", "2022-01-07")
    );
}
