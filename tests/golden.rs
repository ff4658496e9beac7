//! Search answers pinned before the index's term layout changed (analysis version 2: separate
//! exact-form fields; version 3: one token per word carrying both forms). Every query kind —
//! words, phrases with and without slop, exact forms and phrases, prefixes, expressions,
//! field-restricted and boolean queries, filters — over the bundled corpus must match the
//! same documents and highlight the same words as the version that wrote
//! `tests/fixtures/golden/search.json`.
//!
//! The expected file was produced by the code before the change (`MEDIAWATCH_BLESS=1 cargo
//! test --release --test tests golden` rewrites it; do that only when a change of answers is
//! intended, and say so in the commit).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use mediawatch::analysis::{fold_case, words};
use mediawatch::search::{search, Filters, SearchRequest, SortOrder};
use serde_json::{json, Value};

use crate::util::{n, Workspace};

fn corpus(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel)
        .display()
        .to_string()
}

fn golden_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/search.json")
}

/// Queries written by hand: one or more of every kind the query language has.
const QUERIES: &[&str] = &[
    "протестующие",
    "протест",
    "митинг",
    "Токаев",
    "токаеву",
    "Назарбаев",
    "газ",
    "цены",
    "\"цены на газ\"",
    "\"цена газ\"~1",
    "\"цена газ\"~2",
    "\"в Алматы\"",
    "\"=в алматы\"",
    "\"=цены на газ\"",
    "=протестующих",
    "=протестующие",
    "exact:митинг",
    "=газ",
    "=алматы",
    "протест*",
    "митинг*",
    "газ*",
    "жаңа*",
    "/протест.*/",
    "/.*ующих/",
    "/митинг(а|и|ов)/",
    "/[0-9]+/",
    "title:протест",
    "text:протест",
    "title:=митинг",
    "title:\"цены на газ\"",
    "протестующие AND NOT газ",
    "протестующие -газ",
    "газ OR доллар",
    "(протест OR митинг) AND полиция",
    "NOT газ",
    "наразылық",
    "наразылықтар",
    "тоқаев",
    "Тоқаевтың",
    "доллар",
    "теңге",
    "бағасы",
    "\"жаңа жыл\"",
    "protesters",
    "protest",
    "\"law and order\"",
    "=protesters",
    "government",
    "gas prices",
    "\"gas prices\"",
    "internet",
    "интернет",
    "отключение интернета",
    "\"отключение интернета\"~3",
    "2022",
    "=2022",
    "outlet:dala_24 протест",
    "day:2022-01-05 газ",
    "*",
];

/// The corpus's word forms by frequency (most frequent first, ties by form), from the
/// stored texts: queries for words of every frequency band.
fn frequent_forms(ws: &Workspace) -> Vec<String> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for doc in ws.documents("idx") {
        for text in [&doc.title, &doc.text] {
            for (_, word) in words(text) {
                *counts.entry(fold_case(word)).or_default() += 1;
            }
        }
    }
    let mut forms: Vec<(String, u64)> = counts.into_iter().collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    forms.into_iter().map(|(form, _)| form).collect()
}

/// Adjacent word pairs of the first documents' texts, as written (for phrases).
fn word_pairs(ws: &Workspace, wanted: usize) -> Vec<String> {
    let mut pairs = BTreeSet::new();
    for doc in ws.documents("idx").iter().step_by(17) {
        let all: Vec<&str> = words(&doc.text).map(|(_, w)| w).collect();
        for pair in all.windows(2).step_by(23) {
            pairs.insert(format!("{} {}", pair[0], pair[1]));
        }
        if pairs.len() >= wanted {
            break;
        }
    }
    pairs.into_iter().take(wanted).collect()
}

fn queries(ws: &Workspace) -> Vec<String> {
    let mut out: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    let forms = frequent_forms(ws);
    // Every 7th of the 700 most frequent forms, and some rare ones.
    let mut picked: Vec<&String> = forms.iter().take(700).step_by(7).collect();
    picked.extend(forms.iter().rev().step_by(97).take(20));
    for form in picked {
        out.push(form.clone());
        out.push(format!("={form}"));
        let prefix: String = form.chars().take(4).collect();
        if prefix.chars().count() == 4 {
            out.push(format!("{prefix}*"));
        }
    }
    for pair in word_pairs(ws, 40) {
        out.push(format!("\"{pair}\""));
        out.push(format!("\"={}\"", pair.to_lowercase()));
        out.push(format!("\"{pair}\"~1"));
    }
    out.sort();
    out.dedup();
    out
}

/// What a query answers: its total, every matching document (outlet/id, by date) and the
/// highlighted words of the first hits' snippets.
fn answer(index: &tantivy::Index, query: &str) -> Value {
    let request = SearchRequest {
        query: query.to_string(),
        filters: Filters::default(),
        limit: 10_000,
        offset: 0,
        sort: SortOrder::Date,
        facets: Vec::new(),
        kwic: None,
    };
    let result = search(index, &request).unwrap_or_else(|e| panic!("{query}: {e}"));
    let hits: Vec<String> = result
        .hits
        .iter()
        .map(|h| format!("{}/{}", h.outlet, h.id))
        .collect();
    let highlighted: Vec<Vec<String>> = result
        .hits
        .iter()
        .take(5)
        .map(|h| {
            let mut seen: Vec<String> = h
                .highlights
                .iter()
                .map(|&[a, b]| h.snippet[a..b].to_lowercase())
                .collect();
            seen.sort();
            seen.dedup();
            seen
        })
        .collect();
    // The first hits as they are, all of them as one hash (keeps the file small).
    let all = xxhash_rust::xxh3::xxh3_64(hits.join("\n").as_bytes());
    let first: Vec<&String> = hits.iter().take(8).collect();
    json!({"total": result.total, "first": first, "all": format!("{all:016x}"), "highlighted": highlighted})
}

#[test]
fn search_answers_match_the_pinned_ones() {
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
    assert!(n(&summary["indexed"]) >= 400);
    let index = mediawatch::index::open(&ws.path("idx")).unwrap();
    let mut answers = BTreeMap::new();
    for query in queries(&ws) {
        let got = answer(&index, &query);
        answers.insert(query, got);
    }
    let path = golden_path();
    if std::env::var_os("MEDIAWATCH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // One line per query.
        let lines: Vec<String> = answers
            .iter()
            .map(|(q, a)| format!("{}: {a}", Value::from(q.as_str())))
            .collect();
        std::fs::write(&path, format!("{{\n{}\n}}\n", lines.join(",\n"))).unwrap();
        return;
    }
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(expected.len() > 300, "{} pinned queries", expected.len());
    let mut differ = Vec::new();
    for (query, want) in &expected {
        let got = answers
            .get(query)
            .cloned()
            .unwrap_or_else(|| answer(&index, query));
        if &got != want {
            differ.push(format!("{query}:\n  pinned {want}\n  now    {got}"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The pinned answers are not all empty or all everything.
    let totals: BTreeSet<u64> = expected.values().map(|v| n(&v["total"])).collect();
    assert!(totals.len() > 30, "{totals:?}");
}
