//! Search: query language, filters, KWIC and facets against counts taken straight from
//! the fixture texts.

use crate::util::{fixture, n, Workspace};

fn indexed() -> Workspace {
    Workspace::with_search_index()
}

/// The fixture's (id, title + text) pairs, read independently of mediawatch.
fn fixture_texts() -> Vec<(String, String)> {
    std::fs::read_to_string(fixture("search/docs.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let text = format!(
                "{} {}",
                v["title"].as_str().unwrap(),
                v["text"].as_str().unwrap()
            );
            (v["id"].as_str().unwrap().to_string(), text.to_lowercase())
        })
        .collect()
}

fn search(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search", "--index", "idx", "--format", "json"];
    all.extend_from_slice(args);
    ws.json(&all)
}

fn ids(result: &serde_json::Value) -> Vec<String> {
    result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn russian_query_finds_inflected_forms_and_kwic_lists_every_occurrence() {
    let ws = indexed();
    let texts = fixture_texts();
    let expected_docs = texts
        .iter()
        .filter(|(_, t)| t.contains("протестующ"))
        .count() as u64;
    let expected_lines: usize = texts
        .iter()
        .map(|(_, t)| t.matches("протестующ").count())
        .sum();
    let result = search(&ws, &["протестующие", "--kwic", "--limit", "100"]);
    assert_eq!(n(&result["total"]), expected_docs);
    assert_eq!(result["kwic"].as_array().unwrap().len(), expected_lines);
    for line in result["kwic"].as_array().unwrap() {
        assert!(line["match"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .starts_with("протестующ"));
    }
}

#[test]
fn phrases_match_only_adjacent_words() {
    let ws = indexed();
    let texts = fixture_texts();
    let phrase_docs = texts
        .iter()
        .filter(|(_, t)| t.contains("цены на газ"))
        .count() as u64;
    let both_docs = texts
        .iter()
        .filter(|(_, t)| t.contains("цены") && t.contains("газ"))
        .count() as u64;
    let phrase = search(&ws, &["\"цены на газ\"", "--kwic"]);
    assert_eq!(n(&phrase["total"]), phrase_docs);
    assert_eq!(phrase["kwic"].as_array().unwrap().len(), 2);
    let terms = search(&ws, &["цены газ"]);
    assert_eq!(n(&terms["total"]), both_docs);
    assert!(both_docs > phrase_docs);
}

#[test]
fn kazakh_and_surname_queries_match_their_normalized_forms() {
    let ws = indexed();
    let kazakh = search(&ws, &["наразылық", "--kwic"]);
    assert_eq!(ids(&kazakh), vec!["i5"]);
    assert_eq!(kazakh["kwic"].as_array().unwrap().len(), 2); // наразылық, Наразылықтар
    let surname = search(&ws, &["Токаев", "--sort", "date"]);
    assert_eq!(ids(&surname), vec!["s1", "s2"]); // Токаев, Токаеву
}

#[test]
fn filters_combine_with_and_and_repeat_with_or() {
    let ws = indexed();
    assert_eq!(n(&search(&ws, &["*", "--category", "state"])["total"]), 5);
    let window = search(
        &ws,
        &[
            "*",
            "--category",
            "state",
            "--from",
            "2022-01-05",
            "--to",
            "2022-01-07",
            "--sort",
            "date",
        ],
    );
    assert_eq!(ids(&window), vec!["s2", "s3", "s4"]);
    let two = search(
        &ws,
        &["*", "--outlet", "indie_news", "--outlet", "indie_en"],
    );
    assert_eq!(n(&two["total"]), 4);
    let combined = search(&ws, &["протестующие", "--category", "state"]);
    assert_eq!(ids(&combined), vec!["s5"]);
    let field = search(&ws, &["outlet:indie_web"]);
    assert_eq!(n(&field["total"]), 2);
    let negated = search(&ws, &["протестующие -газ", "--sort", "date"]);
    assert_eq!(ids(&negated), vec!["s5", "i4"]);
}

#[test]
fn facets_sum_to_the_total_and_days_include_zeros() {
    let ws = indexed();
    let result = search(&ws, &["*", "--facets", "outlet,category,lang,medium,day"]);
    let total = n(&result["total"]);
    assert_eq!(total, 12);
    for facet in ["outlet", "category", "lang", "medium", "day"] {
        let sum: u64 = result["facets"][facet]
            .as_object()
            .unwrap()
            .values()
            .map(n)
            .sum();
        assert_eq!(sum, total, "{facet}");
    }
    let days = result["facets"]["day"].as_object().unwrap();
    assert_eq!(days.len(), 11); // 2022-01-02 … 2022-01-12
    assert_eq!(n(&days["2022-01-08"]), 0);
    assert_eq!(n(&days["2022-01-10"]), 0);
}

#[test]
fn date_sort_orders_by_time_then_id_and_pages() {
    let ws = indexed();
    let all = search(&ws, &["*", "--sort", "date", "--limit", "100"]);
    let order = ids(&all);
    assert_eq!(order[..4], ["i1", "i2", "i5", "i3"]);
    let page = search(
        &ws,
        &["*", "--sort", "date", "--limit", "3", "--offset", "2"],
    );
    assert_eq!(ids(&page), order[2..5].to_vec());
}

#[test]
fn snippets_carry_highlight_offsets() {
    let ws = indexed();
    let result = search(&ws, &["бандиты"]);
    for hit in result["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        let ranges = hit["highlights"].as_array().unwrap();
        assert!(!ranges.is_empty());
        for range in ranges {
            let (a, b) = (n(&range[0]) as usize, n(&range[1]) as usize);
            assert!(snippet[a..b].to_lowercase().starts_with("бандит"));
        }
    }
}

#[test]
fn bad_queries_exit_2_with_what_is_wrong() {
    let ws = indexed();
    for (args, needle) in [
        (vec!["\"unbalanced"], "unbalanced quote"),
        (vec!["foo:bar"], "foo"),
        (vec!["x", "--from", "2022-13-01"], "2022-13-01"),
        (vec!["x", "--facets", "colour"], "colour"),
    ] {
        let mut all = vec!["search", "--index", "idx"];
        all.extend(args.iter());
        let output = ws.cmd().args(&all).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn csv_gives_one_row_per_hit_or_kwic_line() {
    let ws = indexed();
    let output = ws
        .cmd()
        .args([
            "search",
            "протестующие",
            "--index",
            "idx",
            "--format",
            "csv",
            "--kwic",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "id",
            "published",
            "outlet",
            "category",
            "left",
            "match",
            "right",
            "at"
        ]
    );
    assert_eq!(reader.records().count(), 6);
}

/// Date order found lazily (the earliest matches selected, only their ids read) is the order
/// of sorting every match by (published, id): pages at many offsets, with many documents
/// sharing a publication time, against the order computed from the input file.
#[test]
fn date_order_pages_and_kwic_match_a_full_sort_of_the_input() {
    let ws = Workspace::new();
    // 240 documents over 6 instants (ties of 40), ids not in publication order; every
    // third one undated (sorted last).
    let mut expected: Vec<(i64, String)> = Vec::new();
    let mut lines = String::new();
    for i in 0..240u32 {
        let id = format!("d{:03}", (i * 97) % 240);
        let slot = i64::from(i * 7 % 6);
        let undated = i % 3 == 0;
        let published = if undated {
            serde_json::Value::Null
        } else {
            format!("2022-01-0{}T10:00:00+06:00", slot + 2).into()
        };
        let record = serde_json::json!({"id": id, "outlet": "indie_news", "published": published,
            "title": "t", "text": format!("Митинг номер {i} прошёл спокойно.")});
        lines.push_str(&format!("{record}\n"));
        expected.push((if undated { i64::MAX } else { slot }, id));
    }
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
    let docs = ws.write("docs.jsonl", lines);
    ws.ingest_with_search_sources(&docs, "idx");
    for (offset, limit) in [
        (0, 1),
        (0, 39),
        (0, 40),
        (0, 41),
        (5, 50),
        (79, 3),
        (150, 100),
        (239, 5),
    ] {
        let result = search(
            &ws,
            &[
                "митинг",
                "--sort",
                "date",
                "--offset",
                &offset.to_string(),
                "--limit",
                &limit.to_string(),
            ],
        );
        let want: Vec<String> = expected.iter().skip(offset).take(limit).cloned().collect();
        assert_eq!(ids(&result), want, "offset {offset} limit {limit}");
    }
    // Keyword in context in document order: one line per document, in the same order.
    let kwic = search(&ws, &["митинг", "--kwic", "--limit", "0"]);
    let lines: Vec<String> = kwic["kwic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines, expected);
}

/// Matches addressed by rank ([`DateRanks`]: sorted by date, ids read only for the ties of a
/// rank asked for) are in the order of the full sort by date and id (`Shards::by_date`), for
/// every rank asked in a scrambled order: two indexes as shards, many documents sharing a
/// publication time (dates without time), undated ones, and the same id in two outlets.
#[test]
fn matches_by_rank_follow_the_full_date_and_id_order() {
    use mediawatch::search::ranks::DateRanks;
    use mediawatch::search::shards::Shards;

    let ws = Workspace::new();
    let mut docs = Vec::new();
    for i in 0..60 {
        let outlet = ["state_tv", "indie_news", "state_agency"][i % 3];
        let id = format!("d{}", (i * 7) % 25);
        let published = match i % 4 {
            0 => serde_json::Value::Null,
            1 => "2022-01-05".into(),
            _ => format!("2022-01-0{}T1{}:00:00+06:00", 1 + i % 3, i % 2).into(),
        };
        docs.push(
            serde_json::json!({"id": id, "outlet": outlet, "published": published,
                "title": format!("Заголовок {i}"), "text": format!("Газ и цены, номер {i}.")})
            .to_string(),
        );
    }
    let (a, b) = docs.split_at(35);
    let a = ws.write("a.jsonl", a.join("\n") + "\n");
    let b = ws.write("b.jsonl", b.join("\n") + "\n");
    ws.ingest_with_search_sources(&a, "ia");
    ws.ingest_with_search_sources(&b, "ib");
    let indexes = [
        mediawatch::index::open(&ws.path("ia")).unwrap(),
        mediawatch::index::open(&ws.path("ib")).unwrap(),
    ];
    for shards in [&indexes[..], &indexes[..1], &indexes[1..]] {
        let shards = Shards::open(shards).unwrap();
        let query = tantivy::query::AllQuery;
        let expected: Vec<_> = shards
            .by_date(&query)
            .unwrap()
            .into_iter()
            .map(|(_, at)| at)
            .collect();
        assert!(expected.len() >= 25, "{}", expected.len());
        let mut ranks = DateRanks::new(&shards, &query).unwrap();
        assert_eq!(ranks.len(), expected.len());
        let n = expected.len();
        // Middle ranks first, then every rank from both ends.
        let asked = [n / 2, n / 3, n - 1, 0]
            .into_iter()
            .chain((0..n).rev())
            .chain(0..n);
        for i in asked {
            assert_eq!(ranks.at(i).unwrap(), expected[i], "rank {i} of {n}");
        }
    }
}
