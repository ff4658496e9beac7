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

/// How far down its side's key terms a planted difference may stand. Lemmatization merges
/// the inflected forms of every word, so some unplanted words of the generator's templates
/// (добрый, подчеркнуть, гражданин) now stand as high as the planted ones: `провокатор` is
/// 11th of the state's Russian key terms and `митинговать` 13th of the independents'.
const TOP: usize = 15;

#[test]
fn planted_differences_are_recovered_near_the_top() {
    let ws = ingested();
    let planted = std::fs::read_to_string(corpus("planted.csv")).unwrap();
    let mut missed = Vec::new();
    let mut checked = 0;
    for line in planted.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (term, lang, favours) = (fields[0], fields[1], fields[2]);
        // The planted term as the statistics count it: one n-gram over all its words
        // (stopwords inside kept: "law and order", "цены на газ").
        let length = mediawatch::analysis::words(term).count();
        let extractor = TermExtractor::new(TermMode::Analyzed, length, false);
        let grams: Vec<String> = extractor.terms(term).into_iter().map(|t| t.0).collect();
        let [expected] = grams.as_slice() else {
            continue;
        };
        let ngram = length.to_string();
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
            &TOP.to_string(),
            "--format",
            "json",
        ]);
        let direction = if favours == "state" {
            "target"
        } else {
            "reference"
        };
        let side: Vec<&serde_json::Value> = result["terms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["direction"] == direction)
            .collect();
        let top: Vec<&str> = side
            .iter()
            .map(|t| t["index_term"].as_str().unwrap())
            .collect();
        checked += 1;
        match side.iter().find(|t| t["index_term"] == expected.as_str()) {
            None => missed.push(format!(
                "{term} ({lang}, {favours}) as `{expected}` not in top {TOP}: {top:?}"
            )),
            // Every planted difference is significant after Bonferroni correction.
            Some(found) if found["bonferroni"] != true => {
                missed.push(format!("{term} ({lang}, {favours}) is not significant"))
            }
            Some(_) => {}
        }
    }
    assert!(checked >= 16, "only {checked} planted terms checked");
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

#[test]
fn every_displayed_key_term_finds_the_documents_it_was_counted_in() {
    let ws = ingested();
    // Documents as the unit: a term's target + reference frequency is the number of
    // documents (state vs all others = every document) it was counted in.
    let result = ws.json(&[
        "compare", "--index", "idx", "--unit", "document", "--top", "50", "--format", "json",
    ]);
    let terms = result["terms"].as_array().unwrap();
    assert!(terms.len() >= 50, "{}", terms.len());
    let mut wrong = Vec::new();
    for term in terms {
        let shown = term["term"].as_str().unwrap();
        let counted = n(&term["target_freq"]) + n(&term["reference_freq"]);
        let found = ws.json(&[
            "search", "--index", "idx", shown, "--limit", "1", "--format", "json",
        ]);
        if n(&found["total"]) != counted {
            wrong.push(format!(
                "{shown} ({}): search finds {}, counted in {counted}",
                term["index_term"], found["total"]
            ));
        }
        // Readable: a dictionary lemma or a word as it appears in the texts, never a bare
        // stem such as `гражда` or `требован`; and it analyzes back to the counted term.
        let exact = format!("={shown}");
        let attested = ws.json(&[
            "search", "--index", "idx", &exact, "--limit", "1", "--format", "json",
        ]);
        let analysis = ws
            .cmd()
            .args(["analyze", "--format", "json"])
            .write_stdin(shown)
            .output()
            .unwrap();
        let token: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&analysis.stdout).trim()).unwrap();
        assert_eq!(token["term"], term["index_term"], "{shown}");
        assert!(
            n(&attested["total"]) > 0 || token["lemma"] == shown,
            "{shown} is neither a word of the texts nor a lemma"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
