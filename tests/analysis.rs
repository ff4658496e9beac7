//! Issue 17 through the binary: `compare --target each`, `--rank`/`--max-q`, `stats copies`
//! on a planted corpus, `stats attention`.

use crate::util::{fixture, n, Workspace};

fn f(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

#[test]
fn target_each_ranks_every_group_against_the_rest_in_one_result() {
    let ws = Workspace::with_search_index();
    let result = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "each",
        "--min-freq",
        "1",
        "--max-q",
        "1",
        "--format",
        "json",
    ]);
    let comparisons = result["comparisons"].as_array().unwrap();
    let labels: Vec<&str> = comparisons
        .iter()
        .map(|c| c["target"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["independent", "state"]);
    // Two groups: each one's rest is the other, so the sides swap.
    let (indie, state) = (&comparisons[0], &comparisons[1]);
    assert_eq!(indie["reference"]["label"], "all others");
    assert_eq!(
        n(&indie["reference"]["tokens"]),
        n(&state["target"]["tokens"])
    );
    assert_eq!(n(&state["target"]["documents"]), 5);
    // One CSV: the group first.
    let output = ws
        .cmd()
        .args([
            "compare",
            "--index",
            "idx",
            "--target",
            "each",
            "--min-freq",
            "1",
            "--max-q",
            "1",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(csv.starts_with("group,term,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("state,")));
    assert!(csv.lines().any(|l| l.starts_with("independent,")));
    // --reference makes no sense with each.
    let refused = ws
        .cmd()
        .args([
            "compare",
            "--index",
            "idx",
            "--target",
            "each",
            "--reference",
            "state",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn rank_orders_by_lrc_and_the_q_filter_drops_terms() {
    let ws = Workspace::with_search_index();
    let all = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "state",
        "--min-freq",
        "1",
        "--max-q",
        "1",
        "--rank",
        "lrc",
        "--top",
        "1000",
        "--format",
        "json",
    ]);
    let terms = all["terms"].as_array().unwrap();
    let lrc: Vec<f64> = terms
        .iter()
        .filter(|t| t["direction"] == "target")
        .map(|t| f(&t["lrc"]).abs())
        .collect();
    assert!(lrc.windows(2).all(|w| w[0] >= w[1]), "{lrc:?}");
    for t in terms {
        let (low, high, lr) = (
            f(&t["log_ratio_low"]),
            f(&t["log_ratio_high"]),
            f(&t["log_ratio"]),
        );
        assert!(low <= lr && lr <= high);
        assert!(f(&t["q"]) >= f(&t["p"]) - 1e-15);
    }
    // The default filter keeps only q < 0.05: on this small fixture fewer terms.
    let filtered = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "state",
        "--min-freq",
        "1",
        "--top",
        "1000",
        "--format",
        "json",
    ]);
    let kept = filtered["terms"].as_array().unwrap();
    assert!(kept.iter().all(|t| f(&t["q"]) < 0.05));
    assert_eq!(kept.len() as u64, n(&filtered["terms_significant"]));
    assert!(kept.len() < terms.len());
    let bad = ws
        .cmd()
        .args(["compare", "--index", "idx", "--max-q", "0"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// Three outlets: state_agency's story copied by state_tv (new title, lead phrase) and
/// indie_news (letter case), an unrelated story quoting one of its sentences, and filler.
pub(crate) fn copies_corpus(ws: &Workspace) {
    let story = "Правительство объявило о снижении цен на сжиженный газ в Мангистауской области. \
        Решение принято после встречи с жителями Жанаозена. Министр энергетики сообщил, что \
        новая цена составит восемьдесят пять тенге за литр. Комиссия проверит работу \
        заправочных станций в регионе. Жители просили вернуть прежние цены с начала года. \
        Власти обещают держать цены под контролем до конца зимы.";
    let other = "Независимые журналисты побывали на площади и поговорили с людьми. Многие \
        говорили о зарплатах и о ценах на продукты. «Решение принято после встречи с жителями \
        Жанаозена.» Так звучало официальное заявление, которое зачитали вечером. Люди \
        ответили, что ждут перемен в работе местной власти и честных выборов.";
    let line = |id: &str, outlet: &str, at: &str, title: &str, text: &str| {
        serde_json::json!({"id": id, "outlet": outlet, "published": at, "title": title, "text": text})
            .to_string()
    };
    let docs = [
        line(
            "a1",
            "state_agency",
            "2022-01-04T10:00:00+06:00",
            "Цены на газ",
            story,
        ),
        line(
            "t1",
            "state_tv",
            "2022-01-04T13:00:00+06:00",
            "Газ подешевеет",
            &format!("Срочная новость. {story}"),
        ),
        line(
            "n1",
            "indie_news",
            "2022-01-04T16:00:00+06:00",
            "Цены на газ снизят",
            &story.to_uppercase(),
        ),
        line(
            "n2",
            "indie_news",
            "2022-01-05T09:00:00+06:00",
            "На площади",
            other,
        ),
        line(
            "w1",
            "indie_web",
            "2022-01-05T11:00:00+06:00",
            "Погода",
            "Синоптики обещают снег и сильный ветер в выходные дни на севере страны.",
        ),
    ];
    ws.write("copies.jsonl", docs.join("\n") + "\n");
    ws.json(&[
        "ingest",
        "copies.jsonl",
        "--sources",
        fixture("search/sources.csv").to_str().unwrap(),
        "--index",
        "cidx",
        "--format",
        "json",
    ]);
}

#[test]
fn copies_cluster_near_duplicates_with_lags_and_a_summary() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    let result = ws.json(&["stats", "copies", "--index", "cidx", "--format", "json"]);
    let clusters = result["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{result}");
    let c = &clusters[0];
    assert_eq!(n(&c["size"]), 3);
    assert_eq!(c["first"]["id"], "a1");
    assert_eq!(c["first"]["outlet"], "state_agency");
    let docs = c["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a1", "t1", "n1"]);
    // Lags from 10:00: 3 h and 6 h.
    let lags: Vec<f64> = docs.iter().map(|d| f(&d["lag_hours"])).collect();
    assert_eq!(lags, [0.0, 3.0, 6.0]);
    assert_eq!(f(&docs[2]["similarity"]), 1.0); // letter case only
    assert!(f(&docs[1]["similarity"]) >= 0.8);
    for key in [
        "id",
        "outlet",
        "category",
        "published",
        "similarity",
        "lag_hours",
    ] {
        assert!(docs[0].get(key).is_some(), "{key}");
    }
    // Summary: 2 of 3 state documents... state has a1, t1 → 1 copy of 2; independent 1 of 3.
    let groups = result["summary"]["groups"].as_array().unwrap();
    let group = |g: &str| groups.iter().find(|x| x["group"] == g).unwrap();
    assert_eq!(
        (
            n(&group("state")["copies"]),
            n(&group("state")["documents"])
        ),
        (1, 2)
    );
    assert_eq!(
        (
            n(&group("independent")["copies"]),
            n(&group("independent")["documents"])
        ),
        (1, 3)
    );
    let flows = result["summary"]["flows"].as_array().unwrap();
    let flow = |to: &str| {
        flows
            .iter()
            .find(|x| x["from"] == "state_agency" && x["to"] == to)
            .unwrap()
    };
    assert_eq!(
        (
            n(&flow("state_tv")["count"]),
            f(&flow("state_tv")["median_lag_hours"])
        ),
        (1, 3.0)
    );
    assert_eq!(f(&flow("indie_news")["median_lag_hours"]), 6.0);
    let points = result["summary"]["talking_points"].as_array().unwrap();
    assert_eq!(n(&points[0]["outlets"]), 3);
    // Deterministic: the same bytes twice; CSV one row per clustered document.
    let run = || {
        ws.cmd()
            .args(["stats", "copies", "--index", "cidx", "--format", "csv"])
            .output()
            .unwrap()
            .stdout
    };
    let csv = run();
    assert_eq!(csv, run());
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 4);
}

#[test]
fn attention_is_matches_over_each_groups_whole_output() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    let result = ws.json(&[
        "stats",
        "attention",
        "газ",
        "--index",
        "cidx",
        "--format",
        "json",
    ]);
    let totals = result["totals"].as_array().unwrap();
    let total = |g: &str| {
        let t = totals.iter().find(|x| x["group"] == g).unwrap();
        (n(&t["matches"]), n(&t["documents"]))
    };
    // газ: a1, t1 (state); n1 (independent; upper case is matched by the analyzer).
    assert_eq!(total("state"), (2, 2));
    assert_eq!(total("independent"), (1, 3));
    let series = result["series"].as_array().unwrap();
    let point = series
        .iter()
        .find(|p| p["group"] == "independent" && p["bucket"] == "2022-01-05")
        .unwrap();
    // Two independent documents that day, neither about gas: kept with a zero.
    assert_eq!((n(&point["matches"]), n(&point["documents"])), (0, 2));
    assert_eq!(f(&point["share"]), 0.0);
    let missing = ws
        .cmd()
        .args(["stats", "attention", "--index", "cidx"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

// Issue 17: a query's timeline kept only groups with matches and computed gaps from the
// matches alone, so a group that published on other subjects looked silent.
#[test]
fn a_query_timeline_keeps_every_group_and_the_whole_outputs_gaps() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    let whole = ws.json(&["stats", "timeline", "--index", "cidx", "--format", "json"]);
    // "Погода" is only in indie_web's document of 2022-01-05.
    let query = ws.json(&[
        "stats",
        "timeline",
        "снег",
        "--index",
        "cidx",
        "--format",
        "json",
        "--min-gap",
        "1",
    ]);
    let groups = query["groups"].as_object().unwrap();
    assert_eq!(groups.keys().collect::<Vec<_>>(), ["independent", "state"]);
    assert_eq!(n(&query["groups"]["state"]["2022-01-04"]["documents"]), 0);
    assert_eq!(
        n(&query["groups"]["independent"]["2022-01-05"]["documents"]),
        1
    );
    assert_eq!(
        n(&query["groups"]["independent"]["2022-01-04"]["documents"]),
        0
    );
    // Totals: the whole output next to the matches.
    assert_eq!(query["totals"], whole["groups"]);
    assert_eq!(
        n(&query["totals"]["independent"]["2022-01-05"]["documents"]),
        2
    );
    // No group was silent a whole day in its own output, so no gaps.
    assert_eq!(query["gaps"], serde_json::json!([]));
    assert!(whole.get("totals").is_none());
}

#[test]
fn a_query_timelines_gaps_are_the_whole_outputs() {
    let ws = Workspace::with_search_index();
    let gaps = |query: Option<&str>| {
        let mut args = vec!["stats", "timeline"];
        args.extend(query);
        args.extend(["--index", "idx", "--format", "json", "--min-gap", "1"]);
        ws.json(&args)["gaps"].clone()
    };
    let whole = gaps(None);
    assert!(!whole.as_array().unwrap().is_empty());
    for query in ["бандиты", "протестующие", "Токаев"] {
        assert_eq!(gaps(Some(query)), whole, "{query}");
    }
}

/// Copies found from the signatures the index wrote at ingest equal copies found by making
/// every signature again from the stored texts (the route before issue 15): on the planted
/// copies corpus, two generated corpora and the bundled one; two groupings; the whole index and a query subset.
/// So do copies found among the candidates alone ([`copies::collect_candidates`]).
#[test]
fn copies_from_the_index_signatures_equal_copies_from_the_stored_texts() {
    use mediawatch::stats::copies;
    use mediawatch::stats::scan::{GroupBy, Subset};

    let ws = Workspace::new();
    copies_corpus(&ws);
    let mut indexes = vec![ws.path("cidx")];
    for seed in ["3", "17"] {
        let out = format!("gen{seed}");
        ws.cmd()
            .args(["generate", "--docs", "400", "--seed", seed, "--out", &out])
            .assert()
            .success();
        let index = format!("idx{seed}");
        ws.json(&[
            "ingest",
            ws.path(&format!("{out}/docs.jsonl")).to_str().unwrap(),
            "--sources",
            ws.path(&format!("{out}/sources.csv")).to_str().unwrap(),
            "--index",
            &index,
            "--format",
            "json",
        ]);
        indexes.push(ws.path(&index));
    }
    let corpus = Workspace::with_bundled_corpus();
    indexes.push(corpus.path("idx"));
    let (mut clustered, mut left_out) = (0, 0);
    for path in &indexes {
        let index = mediawatch::index::open(path).expect("open index");
        let query = Subset {
            query: "газ OR заголовок OR Токаев".to_string(),
            ..Subset::default()
        };
        for by in [GroupBy::Category, GroupBy::Outlet] {
            for subset in [Subset::default(), query.clone()] {
                let what = format!("{} by {by} {:?}", path.display(), subset.query);
                let (from_index, groups) = copies::collect(&index, &subset, by).expect("index");
                let (from_texts, text_groups) =
                    copies::collect_from_texts(&index, &subset, by).expect("texts");
                assert_eq!(groups, text_groups, "{what}");
                assert_eq!(from_index.len(), from_texts.len(), "{what}");
                for i in 0..from_index.len() {
                    let (a, b) = (from_index.get(i), from_texts.get(i));
                    assert_eq!(
                        (a.id, a.outlet, a.category, a.group, a.published),
                        (b.id, b.outlet, b.category, b.group, b.published),
                        "{what}: record {i}"
                    );
                    assert_eq!(
                        from_index.signature(i).unwrap(),
                        from_texts.signature(i).unwrap(),
                        "{what}: record {i}"
                    );
                    assert_eq!(from_index.title(i).unwrap(), from_texts.title(i).unwrap());
                }
                let found = copies::copies(&from_index, &groups, 0.8, 5).expect("copies");
                let expected = copies::copies(&from_texts, &groups, 0.8, 5).expect("copies");
                assert_eq!(found, expected, "{what}");
                clustered += found.clusters.len();
                // Only the candidates' records read: the same copies and clusters.
                let (candidates, candidate_groups) =
                    copies::collect_candidates(&index, &subset, by).expect("candidates");
                assert_eq!(candidate_groups, groups, "{what}");
                assert!(candidates.len() <= from_index.len(), "{what}");
                left_out += from_index.len() - candidates.len();
                let from_candidates = copies::copies(&candidates, &groups, 0.8, 5).expect("copies");
                assert_eq!(from_candidates, found, "{what}");
                assert_eq!(
                    copies::clusters(&candidates, 0.8).expect("clusters"),
                    copies::clusters(&from_index, 0.8).expect("clusters"),
                    "{what}"
                );
            }
        }
    }
    // The comparison is not between empty results, nor between the same records.
    assert!(clustered >= 10, "{clustered} clusters");
    assert!(left_out >= 100, "{left_out} records left out");
}
