//! Search answers pinned before the index's term layout changed (analysis version 2: separate
//! exact-form fields; version 3: one token per word carrying both forms). Every query kind —
//! words, phrases with and without slop, exact forms and phrases, prefixes, expressions,
//! field-restricted and boolean queries, filters — over the bundled corpus must match the
//! same documents and highlight the same words as the version that wrote
//! `tests/fixtures/golden/search.json`.
//!
//! The expected file was produced by the code before the change (`MEDIAWATCH_BLESS=1 cargo
//! test --release --test tests search_golden` rewrites it; do that only when a change of answers is
//! intended, and say so in the commit).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use mediawatch::analysis::{fold_case, words};
use mediawatch::search::{search, Filters, SearchRequest, SortOrder, Subset};
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

/// Queries whose snippets now show another passage of a hit: snippets weigh a term by its
/// document frequency, which version 2 read off one term and version 3 sums over the term's
/// forms (a document with two forms counts twice), so two near-equal passages can swap.
/// Their documents must still match, and every highlighted word must be a query word.
const FRAGMENT_CHOICE_CHANGED: &[&str] = &["(протест OR митинг) AND полиция"];

/// The words of a query's text leaves (field names and operators too: harmless here).
fn query_words(query: &str) -> Vec<String> {
    words(&query.replace(':', " "))
        .map(|(_, w)| w.to_string())
        .collect()
}

fn highlights_are_query_words(query: &str, now: &Value) -> bool {
    let analyzer = mediawatch::analysis::Analyzer::default();
    let terms: BTreeSet<String> = query_words(query)
        .iter()
        .map(|w| analyzer.normalize(w))
        .collect();
    now["highlighted"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h.as_array().unwrap().clone())
        .all(|word| terms.contains(&analyzer.normalize(word.as_str().unwrap())))
}

/// Version 2 kept exact forms in fields of their own, which snippets did not look at, so
/// exact-form queries highlighted nothing. Now they may highlight — but only words written
/// as the query writes them.
fn exact_highlights_are_new(query: &str, pinned: &Value, now: &Value) -> bool {
    let exact = query.contains('=') || query.starts_with("exact:");
    let pinned_none = pinned["highlighted"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h.as_array().unwrap().is_empty());
    let forms: BTreeSet<String> = query_words(query).iter().map(|w| fold_case(w)).collect();
    let all_written_so = now["highlighted"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h.as_array().unwrap().clone())
        .all(|word| forms.contains(&fold_case(word.as_str().unwrap())));
    exact && pinned_none && all_written_so
}

/// What a query answers: its total, every matching document (outlet/id, by date) and the
/// highlighted words of the first hits' snippets.
fn answer(index: &tantivy::Index, query: &str) -> Value {
    let request = SearchRequest {
        subset: Subset {
            query: query.to_string(),
            filters: Filters::default(),
        },
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
        .map(|h| format!("{}/{}", h.labels.outlet, h.id))
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
    let mut newly_highlighted = 0;
    for (query, want) in &expected {
        let got = answers
            .get(query)
            .cloned()
            .unwrap_or_else(|| answer(&index, query));
        let same_documents = ["total", "first", "all"]
            .iter()
            .all(|key| got[key] == want[key]);
        let same_highlights = got["highlighted"] == want["highlighted"]
            || exact_highlights_are_new(query, want, &got)
            || (FRAGMENT_CHOICE_CHANGED.contains(&query.as_str())
                && highlights_are_query_words(query, &got));
        if got["highlighted"] != want["highlighted"] {
            newly_highlighted += 1;
        }
        if !same_documents || !same_highlights {
            differ.push(format!("{query}:\n  pinned {want}\n  now    {got}"));
        }
    }
    // Exact-form queries highlight since version 3 (version 2 highlighted only terms).
    assert!(newly_highlighted > 0 || expected == answers);
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The pinned answers are not all empty or all everything.
    let totals: BTreeSet<u64> = expected.values().map(|v| n(&v["total"])).collect();
    assert!(totals.len() > 30, "{totals:?}");
}

/// Words whose term shares no prefix with the word (`люди` → `человек`, `шли` → `идти`):
/// prefixes and expressions see exact forms only, terms find every form, exact forms only
/// themselves, and counts per document come back out of the index tokens.
#[test]
fn one_token_per_word_serves_terms_exact_forms_and_expressions() {
    let ws = Workspace::new();
    ws.write(
        "docs.jsonl",
        concat!(
            r#"{"id": "a", "outlet": "o", "title": "Люди", "text": "Люди шли к площади. Человек шёл один."}"#,
            "\n",
            r#"{"id": "b", "outlet": "o", "title": "Человек", "text": "Человек идёт. Человеку лучше."}"#,
            "\n",
            r#"{"id": "c", "outlet": "o", "title": "People", "text": "People went home; the person goes."}"#,
            "\n",
        ),
    );
    ws.json(&["ingest", "docs.jsonl", "--index", "idx", "--format", "json"]);
    let index = mediawatch::index::open(&ws.path("idx")).unwrap();
    let found = |query: &str| -> Vec<String> {
        let request = SearchRequest {
            subset: Subset {
                query: query.to_string(),
                filters: Filters::default(),
            },
            limit: 10,
            offset: 0,
            sort: SortOrder::Date,
            facets: Vec::new(),
            kwic: None,
        };
        let mut ids: Vec<String> = search(&index, &request)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    // The term человек: люди (a), человек (a, b), человеку (b).
    assert_eq!(found("люди"), ["a", "b"]);
    assert_eq!(found("человека"), ["a", "b"]);
    // Exact forms: only the word as written.
    assert_eq!(found("=люди"), ["a"]);
    assert_eq!(found("=человек"), ["a", "b"]);
    assert_eq!(found("=человеку"), ["b"]);
    // Prefixes and expressions run over exact forms, never over terms.
    assert_eq!(found("люд*"), ["a"]);
    assert_eq!(found("челов*"), ["a", "b"]);
    assert_eq!(found("/человеку/"), ["b"]);
    assert_eq!(found("/идти/"), Vec::<String>::new());
    assert_eq!(found("ид*"), ["b"]);
    assert_eq!(found("/ш(ли|ел)/"), ["a"]);
    // Phrases: analyzed (шли = идти) and exact.
    assert_eq!(found("\"человек идти\""), ["a", "b"]);
    assert_eq!(found("\"=человек идет\""), ["b"]);
    assert_eq!(found("\"=человек шли\""), Vec::<String>::new());
    // English: went stays went, people → peopl.
    assert_eq!(found("peoples"), ["c"]);
    assert_eq!(found("=peoples"), Vec::<String>::new());
    assert_eq!(found("peop*"), ["c"]);
    // Each token splits back into the term and exact form `analyze` gives.
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let field = index
        .schema()
        .get_field(mediawatch::index::schema::TEXT)
        .unwrap();
    let mut pairs = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let token = std::str::from_utf8(stream.key()).unwrap();
            let (term, exact) = mediawatch::analysis::split_index_token(token);
            pairs.insert((term.to_string(), exact.to_string()));
        }
    }
    let analyzer = mediawatch::analysis::Analyzer::default();
    let expected: BTreeSet<(String, String)> = [
        "Люди шли к площади. Человек шёл один.",
        "Человек идёт. Человеку лучше.",
        "People went home; the person goes.",
    ]
    .iter()
    .flat_map(|text| words(text).map(|(_, w)| w.to_string()).collect::<Vec<_>>())
    .map(|w| (analyzer.normalize(&w), fold_case(&w)))
    .collect();
    assert_eq!(pairs, expected);
    assert!(pairs.contains(&("человек".to_string(), "люди".to_string())));
}
