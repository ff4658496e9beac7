//! Statistics through the binary: subsets, timelines with gaps, keyness on fixtures.

use crate::util::{fixture, n, Workspace};

fn indexed() -> Workspace {
    Workspace::with_search_index()
}

#[test]
fn a_subsets_totals_equal_the_matching_document_count_of_search() {
    let ws = indexed();
    for (query, filters) in [
        ("протестующие", vec!["--category", "independent"]),
        ("*", vec!["--from", "2022-01-04", "--to", "2022-01-09"]),
        ("газ OR бандиты", vec![]),
    ] {
        let mut search = vec!["search", query, "--index", "idx", "--format", "json"];
        search.extend(filters.iter());
        let total = n(&ws.json(&search)["total"]);
        let mut stats = vec![
            "stats", "timeline", query, "--index", "idx", "--format", "json",
        ];
        stats.extend(filters.iter());
        let timeline = ws.json(&stats);
        let documents: u64 = timeline["groups"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|series| series.as_object().unwrap().values())
            .map(|v| n(&v["documents"]))
            .sum();
        assert_eq!(documents, total, "{query} {filters:?}");
    }
}

#[test]
fn timeline_lists_the_blackout_as_a_gap_and_fills_zero_days() {
    let ws = indexed();
    let timeline = ws.json(&["stats", "timeline", "--index", "idx", "--format", "json"]);
    let independent = timeline["groups"]["independent"].as_object().unwrap();
    assert_eq!(independent.len(), 11); // 2022-01-02 … 2022-01-12, zeros included
    assert_eq!(n(&independent["2022-01-07"]["documents"]), 0);
    assert_eq!(n(&independent["2022-01-04"]["documents"]), 2);
    let gaps = timeline["gaps"].as_array().unwrap();
    let group_gap = gaps
        .iter()
        .find(|g| g["scope"] == "group" && g["name"] == "independent")
        .expect("independent gap");
    assert_eq!(group_gap["from"], "2022-01-05");
    assert_eq!(group_gap["to"], "2022-01-10");
    assert_eq!(n(&group_gap["days"]), 6);
    // State TV's one silent day (2022-01-08) is below the two-day minimum.
    assert!(!gaps.iter().any(|g| g["name"] == "state"));
}

#[test]
fn compare_reports_both_directions_with_the_json_contract() {
    let ws = indexed();
    let result = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "state",
        "--reference",
        "independent",
        "--min-freq",
        "2",
        // Every tested term: this 12-document fixture has few terms with q < 0.05.
        "--max-q",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(result["target"]["label"], "state");
    assert_eq!(n(&result["target"]["documents"]), 5);
    let terms = result["terms"].as_array().unwrap();
    let first_state = terms.iter().find(|t| t["direction"] == "target").unwrap();
    let first_indie = terms
        .iter()
        .find(|t| t["direction"] == "reference")
        .unwrap();
    for key in [
        "term",
        "forms",
        "direction",
        "target_freq",
        "reference_freq",
        "target_per_million",
        "reference_per_million",
        "g2",
        "p",
        "bonferroni",
        "q",
        "log_ratio",
        "log_ratio_low",
        "log_ratio_high",
        "lrc",
        "pct_diff",
        "log_odds_z",
        "target_outlets",
        "reference_outlets",
        "dp",
        "dominated",
    ] {
        assert!(first_state.get(key).is_some(), "missing {key}");
    }
    assert!(first_state["g2"].as_f64().unwrap() > 0.0);
    assert!(first_indie["g2"].as_f64().unwrap() < 0.0);
    // Counted by hand: протестующие/протестующих 1× in state (s5), 5× in independent
    // (i1 ×2, i2, i3, i4), 3 of them from indie_news → dominated.
    let protest = terms
        .iter()
        .find(|t| {
            t["forms"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "протестующие")
        })
        .unwrap();
    assert_eq!(protest["direction"], "reference");
    assert_eq!(
        (n(&protest["target_freq"]), n(&protest["reference_freq"])),
        (1, 5)
    );
    assert_eq!(protest["dominated"], true);
    assert_eq!(n(&protest["reference_outlets"]), 2);
}

#[test]
fn plain_counts_match_a_regex_count_of_the_same_text() {
    let ws = indexed();
    let result = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "state",
        "--reference",
        "independent",
        "--plain",
        "--min-freq",
        "1",
        "--max-q",
        "1",
        "--top",
        "10000",
        "--format",
        "json",
    ]);
    // Independent count: maximal runs of letters/digits, lowercased, over title + text.
    let mut state_tokens = 0u64;
    let mut state_bandits = 0u64;
    for line in std::fs::read_to_string(fixture("search/docs.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if !v["outlet"].as_str().unwrap().starts_with("state") {
            continue;
        }
        let text = format!(
            "{} {}",
            v["title"].as_str().unwrap(),
            v["text"].as_str().unwrap()
        )
        .to_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        state_tokens += words.len() as u64;
        state_bandits += words.iter().filter(|w| **w == "бандиты").count() as u64;
    }
    assert_eq!(n(&result["target"]["tokens"]), state_tokens);
    let bandits = result["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == "бандиты")
        .unwrap();
    assert_eq!(n(&bandits["target_freq"]), state_bandits);
}

#[test]
fn unknown_group_is_a_clear_error() {
    let ws = indexed();
    let output = ws
        .cmd()
        .args(["compare", "--index", "idx", "--target", "statee"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("statee") && stderr.contains("independent"),
        "{stderr}"
    );
}

fn corpus_list(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn entities_count_inflected_mentions_per_group() {
    let ws = indexed();
    let list = corpus_list("entities.csv");
    let result = ws.json(&[
        "stats",
        "entities",
        "--index",
        "idx",
        "--entity-list",
        &list,
        "--format",
        "json",
    ]);
    let group = |label: &str| {
        result["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["label"] == label)
            .unwrap()
            .clone()
    };
    let mentions = |g: &serde_json::Value, id: &str| {
        g["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map_or(0, |e| n(&e["mentions"]))
    };
    let state = group("state");
    // By hand: Токаев (s1), Токаеву (s2), Тоқаев ×2 (s4 title and text).
    assert_eq!(mentions(&state, "tokayev"), 4);
    // ОДКБ (s3).
    assert_eq!(mentions(&state, "csto"), 1);
    let independent = group("independent");
    // Жанаозен title (i1), Жанаозене (i1 text), Жаңаөзенде (i5).
    assert_eq!(mentions(&independent, "zhanaozen"), 3);
    // Алматы (s3), Алматы (i3 title + text), Almaty (i6).
    assert_eq!(
        mentions(&state, "almaty") + mentions(&independent, "almaty"),
        4
    );
    let shares: f64 = state["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["share_of_voice"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9);
}

#[test]
fn frames_give_the_share_of_documents_with_a_hit() {
    let ws = indexed();
    let list = corpus_list("frames.csv");
    let result = ws.json(&[
        "stats",
        "frames",
        "--index",
        "idx",
        "--frame-list",
        &list,
        "--format",
        "json",
    ]);
    let share = |frame: &str, group: &str| {
        result["shares"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["frame"] == frame && s["group"] == group)
            .unwrap()
            .clone()
    };
    // terrorism_riot in state: s1 (Террористы), s2 (Террористы, бандиты), s5 (бандиты) = 3 of 5.
    let riot = share("terrorism_riot", "state");
    assert_eq!(
        (n(&riot["documents_with_hit"]), n(&riot["documents"])),
        (3, 5)
    );
    assert!((riot["share"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    let keyness = ws.json(&[
        "compare",
        "--frames",
        "--index",
        "idx",
        "--frame-list",
        &list,
        "--reference",
        "independent",
        "--min-freq",
        "1",
        "--format",
        "json",
    ]);
    let top_state = keyness["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["direction"] == "target")
        .unwrap();
    // By hand: state has 6 stability_order hits (порядок ×3, стабильность ×2, миротворцы) and
    // 4 terrorism_riot hits; independent has neither.
    assert_eq!(top_state["term"], "stability_order");
    assert_eq!(
        (
            n(&top_state["target_freq"]),
            n(&top_state["reference_freq"])
        ),
        (6, 0)
    );
    let riot_keyness = keyness["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == "terrorism_riot")
        .unwrap();
    assert_eq!(
        (
            n(&riot_keyness["target_freq"]),
            riot_keyness["direction"].as_str()
        ),
        (4, Some("target"))
    );
}

#[test]
fn statistics_are_byte_identical_across_runs() {
    let ws = indexed();
    let run = |args: &[&str]| ws.cmd().args(args).output().unwrap().stdout;
    for args in [
        vec![
            "compare",
            "--index",
            "idx",
            "--min-freq",
            "1",
            "--format",
            "csv",
        ],
        vec!["stats", "timeline", "--index", "idx", "--format", "json"],
        vec![
            "stats", "terms", "--index", "idx", "--term", "газ", "--format", "json",
        ],
    ] {
        let first = run(&args);
        assert!(!first.is_empty());
        assert_eq!(first, run(&args), "{args:?}");
    }
}

#[test]
fn term_frequencies_and_series_match_the_texts() {
    let ws = indexed();
    let result = ws.json(&[
        "stats", "terms", "--index", "idx", "--term", "газ", "--top", "100", "--format", "json",
    ]);
    // "газ" by hand: i1, i2, i3 (Газ), i5 (газ бағасы) — all independent, 4 occurrences.
    let independent = result["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["label"] == "independent")
        .unwrap();
    let gas = independent["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == "газ")
        .unwrap();
    assert_eq!((n(&gas["freq"]), n(&gas["documents"])), (4, 4));
    let series_total: u64 = result["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["term"] == "газ")
        .map(|p| n(&p["freq"]))
        .sum();
    assert_eq!(series_total, 4);
}

#[test]
fn an_empty_index_says_how_to_fill_it() {
    let ws = Workspace::new();
    mediawatch::index::open_or_create(&ws.path("idx")).unwrap();
    let output = ws
        .cmd()
        .args(["compare", "--index", "idx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is empty"));
}

/// Issue 15: single-word counts read from the postings are the counts of re-analyzing every
/// stored text (an independent route: the text scan), in every term mode, with and without
/// stopwords, for every grouping and for a query's subset with filters.
#[test]
fn term_counts_from_the_index_equal_counts_from_the_stored_texts() {
    use mediawatch::stats::counts::{OutletNumbers, TermCounter, TermExtractor, TermMode};
    use mediawatch::stats::postings::count_terms;
    use mediawatch::stats::scan::{scan, GroupBy, Subset};

    let ws = Workspace::with_bundled_corpus();
    let index = mediawatch::index::open(&ws.path("idx")).expect("open index");
    let documents = ws.documents("idx");
    let outlets = OutletNumbers::new(documents.iter().map(|d| d.outlet.as_str()));
    let filtered = Subset {
        query: "протестующие OR Токаев OR protesters".to_string(),
        filters: mediawatch::search::Filters {
            langs: vec!["ru".to_string()],
            ..Default::default()
        },
    };
    // Filters alone: a language's share of each segment, large and small (a segment's
    // subset postings are picked out of its blocks; a small subset's tokens sorted out first).
    let language = |lang: &str| Subset {
        query: String::new(),
        filters: mediawatch::search::Filters {
            langs: vec![lang.to_string()],
            ..Default::default()
        },
    };
    let mut checked = 0;
    for mode in [TermMode::Analyzed, TermMode::Unstemmed, TermMode::Plain] {
        for keep_stopwords in [false, true] {
            for by in [
                GroupBy::Category,
                GroupBy::Outlet,
                GroupBy::Lang,
                GroupBy::Medium,
            ] {
                for subset in [
                    Subset::default(),
                    filtered.clone(),
                    language("ru"),
                    language("kk"),
                ] {
                    let extractor = TermExtractor::new(mode, 1, keep_stopwords);
                    let from_texts = scan(&index, &subset, by, || {
                        TermCounter::new(&extractor, &outlets)
                    })
                    .expect("scan");
                    let from_index =
                        count_terms(&index, &subset, by, &extractor, &outlets).expect("postings");
                    assert!(!from_texts.groups.is_empty());
                    assert_eq!(
                        from_index, from_texts,
                        "{mode:?} keep_stopwords={keep_stopwords} by {by} query {:?}",
                        subset.query
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 96);
}

/// Issue 15: n-gram counts rebuilt from the index's positions (sentence ends are position
/// holes) are the counts of re-analyzing every stored text, in every term mode, with and
/// without stopwords, by two groupings and for a query's subset; with a minimum total, every
/// n-gram seen at least that often is counted exactly and the documents and tokens of every
/// group are unchanged; counted for ranking only (by ids; outlets and forms on request) and in
/// batches of parts, the same counts, and keyness ranks them as it ranks the full counts.
#[test]
fn ngram_counts_from_the_index_positions_equal_counts_from_the_stored_texts() {
    use mediawatch::stats::counts::{OutletNumbers, TermCounter, TermExtractor, TermMode, Unit};
    use mediawatch::stats::keyness::{self, KeynessOptions, Sides};
    use mediawatch::stats::ngrams::{count_ngrams, count_ngrams_in_batches};
    use mediawatch::stats::scan::{scan, GroupBy, Subset};
    use mediawatch::stats::{Needed, TermCountSpec};
    use std::collections::BTreeMap;

    let ws = Workspace::with_bundled_corpus();
    let index = mediawatch::index::open(&ws.path("idx")).expect("open index");
    let documents = ws.documents("idx");
    let outlets = OutletNumbers::new(documents.iter().map(|d| d.outlet.as_str()));
    let filtered = Subset {
        query: "протестующие OR Токаев OR protesters".to_string(),
        filters: mediawatch::search::Filters::default(),
    };
    let mut checked = 0;
    for n in [2, 3] {
        for mode in [TermMode::Analyzed, TermMode::Unstemmed, TermMode::Plain] {
            for keep_stopwords in [false, true] {
                for by in [GroupBy::Category, GroupBy::Outlet] {
                    for subset in [Subset::default(), filtered.clone()] {
                        let extractor = TermExtractor::new(mode, n, keep_stopwords);
                        let from_texts = scan(&index, &subset, by, || {
                            TermCounter::new(&extractor, &outlets)
                        })
                        .expect("scan");
                        let what = format!(
                            "n={n} {mode:?} keep={keep_stopwords} by {by} {:?}",
                            subset.query
                        );
                        let spec = TermCountSpec {
                            index: &index,
                            subset: &subset,
                            by,
                            extractor: &extractor,
                            outlets: &outlets,
                        };
                        let needed = |min_total, ranking_only| Needed {
                            min_total,
                            ranking_only,
                            outlets: false,
                        };
                        let exact = count_ngrams(spec, needed(0, false)).expect("positions");
                        assert!(
                            from_texts.groups.values().any(|g| g.terms.len() > 100),
                            "{what}"
                        );
                        assert_eq!(exact, from_texts, "{what}");
                        let pruned = count_ngrams(spec, needed(3, false)).expect("positions");
                        // Counted for ranking only: the same n-grams with the same
                        // frequencies and documents per group, by ids (the groups' maps left
                        // empty), no outlets or forms until asked for, and then exactly the
                        // pruned counts.
                        let ranking = count_ngrams(spec, needed(3, true)).expect("positions");
                        assert!(!ranking.is_complete() && pruned.is_complete(), "{what}");
                        let rows = ranking.rows().expect("counted by ids");
                        let label_of: BTreeMap<u32, &String> = pruned
                            .groups
                            .keys()
                            .filter_map(|label| Some((rows.group_number(label)?, label)))
                            .collect();
                        let mut by_ids = BTreeMap::new();
                        for row in 0..rows.len() {
                            for count in rows.counts(row) {
                                let key = (label_of[&count.group].clone(), rows.term(row));
                                let value = (count.freq, u64::from(count.docs));
                                assert!(by_ids.insert(key, value).is_none(), "{what}");
                            }
                        }
                        let mut by_strings = BTreeMap::new();
                        for (label, group) in &pruned.groups {
                            assert!(ranking.groups[label].terms.is_empty(), "{what}");
                            for (term, count) in &group.terms {
                                let key = (label.clone(), term.clone());
                                by_strings.insert(key, (count.freq, count.docs));
                            }
                        }
                        assert_eq!(by_ids, by_strings, "{what}");
                        // Rows order as their strings do.
                        for (a, b) in (1..rows.len()).map(|r| (r - 1, r)) {
                            let strings = rows.term(a).cmp(&rows.term(b));
                            assert_eq!(rows.cmp_terms(a, b), strings, "{what}");
                            assert_eq!(rows.cmp_terms(b, a), strings.reverse(), "{what}");
                        }
                        // Ranked by ids, the comparisons of ranking the full counts.
                        for unit in [Unit::Token, Unit::Document] {
                            let options = KeynessOptions {
                                unit,
                                min_freq: 3,
                                max_q: None,
                                top: 40,
                                ..KeynessOptions::default()
                            };
                            assert_eq!(
                                keyness::each(&ranking, &options),
                                keyness::each(&pruned, &options),
                                "{what} {unit}"
                            );
                            let labels: Vec<&String> = pruned.groups.keys().collect();
                            let sides = Sides::new(labels[0], Some(labels[labels.len() - 1]));
                            assert_eq!(
                                keyness::compare(&ranking, &sides, &options),
                                keyness::compare(&pruned, &sides, &options),
                                "{what} {unit}"
                            );
                        }
                        let some: Vec<&str> = pruned
                            .groups
                            .values()
                            .flat_map(|g| g.terms.keys().map(String::as_str))
                            .take(7)
                            .collect();
                        let detailed = ranking.with_details(&some).expect("lazy counts");
                        for (label, group) in &detailed.groups {
                            assert_eq!(
                                group.terms.len(),
                                some.iter()
                                    .filter(|t| pruned.groups[label].terms.contains_key(**t))
                                    .count(),
                                "{what}"
                            );
                            for (term, count) in &group.terms {
                                assert_eq!(
                                    Some(count),
                                    pruned.groups[label].terms.get(term),
                                    "{what} {term}"
                                );
                            }
                        }
                        assert_eq!(ranking.complete(), pruned, "{what}");
                        // In batches of parts (a pass over the postings each, as a large
                        // subset is counted): the same counts, and details of any n-gram
                        // (from one more pass) too.
                        let count_in = |batches, ranking_only| {
                            count_ngrams_in_batches(spec, needed(3, ranking_only), batches)
                                .expect("positions")
                        };
                        assert_eq!(count_in(4, false), pruned, "{what}");
                        assert_eq!(count_in(5, true).complete(), pruned, "{what}");
                        for (label, group) in &from_texts.groups {
                            let mine = &pruned.groups[label];
                            assert_eq!(
                                (mine.documents, mine.tokens),
                                (group.documents, group.tokens)
                            );
                            assert_eq!(mine.outlet_tokens, group.outlet_tokens, "{what}");
                            for (term, count) in &group.terms {
                                let total: u64 = from_texts
                                    .groups
                                    .values()
                                    .filter_map(|g| g.terms.get(term))
                                    .map(|c| c.freq)
                                    .sum();
                                if total >= 3 {
                                    assert_eq!(mine.terms.get(term), Some(count), "{what} {term}");
                                }
                            }
                            // Rarer n-grams are mostly left out.
                            assert!(mine.terms.len() < group.terms.len(), "{what}");
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 48);
}

/// Timelines and frame counts from the index (dates and groups from the fast fields, token
/// counts from the postings, frame hits from the term dictionaries and positions) equal the counts of
/// reading every stored text: every interval, two groupings, two time zones, the whole corpus
/// and a query's subset (set within the whole).
#[test]
fn timelines_and_frames_from_the_index_equal_counts_from_the_stored_texts() {
    use mediawatch::registry::{FrameMatcher, FrameRegistry};
    use mediawatch::stats::counts::{OutletNumbers, TermExtractor};
    use mediawatch::stats::frames::FrameCounter;
    use mediawatch::stats::scan::{scan, GroupBy, Subset};
    use mediawatch::stats::timeline::{Buckets, Interval, TimelineCounter};
    use mediawatch::timezone::Zone;

    let ws = Workspace::with_bundled_corpus();
    let index = mediawatch::index::open(&ws.path("idx")).expect("open index");
    let documents = ws.documents("idx");
    let outlets = OutletNumbers::new(documents.iter().map(|d| d.outlet.as_str()));
    // The bundled list (one two-word pattern, "counter-terrorist") and patterns of several
    // words that occur in the bundled corpus: a phrase, and a phrase ending in a prefix.
    let bundled =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/frames.csv"))
            .expect("frames");
    let frames_csv = ws.path("phrase-frames.csv");
    std::fs::write(
        &frames_csv,
        bundled + "emergency_rule,en,state of emergency\nemergency_rule,ru,мирные протест*\n",
    )
    .expect("write frames");
    let matcher = FrameMatcher::new(FrameRegistry::load(&frames_csv).expect("frames"));
    assert!(!matcher.single_words());
    let extractor = TermExtractor::default();
    let mut checked = 0;
    for zone in [Zone::default(), Zone::parse("-08:00").expect("zone")] {
        let (all, query) = whole_and_query(zone);
        for interval in Interval::ALL {
            let buckets = Buckets { interval, zone };
            for by in [GroupBy::Category, GroupBy::Outlet] {
                let read = |subset: &Subset| {
                    scan(&index, subset, by, || {
                        TimelineCounter::new(&extractor, buckets, 2)
                    })
                    .expect("scan")
                };
                let whole = read(&all);
                for subset in [&all, &query] {
                    let what = format!("{zone:?} {interval:?} by {by} {:?}", subset.query);
                    let from_texts = if subset.query.is_empty() {
                        whole.clone()
                    } else {
                        read(subset).within(whole.clone())
                    };
                    let from_index =
                        mediawatch::stats::timeline(&index, subset, by, buckets, 2).expect("index");
                    assert!(from_texts.groups.len() > 1, "{what}");
                    assert_eq!(from_index, from_texts, "{what}");

                    let frames_from_texts = scan(&index, subset, by, || {
                        FrameCounter::new(&matcher, &extractor, &outlets, Some(buckets))
                    })
                    .expect("scan")
                    .stats(matcher.registry());
                    let frames_from_index =
                        mediawatch::stats::frames(&index, subset, by, &matcher, buckets)
                            .expect("frames");
                    assert!(
                        frames_from_texts.shares.iter().any(|s| s.hits > 0),
                        "{what}"
                    );
                    if subset.query.is_empty() {
                        // The phrases do match: the test compares more than zeros.
                        assert!(
                            frames_from_texts
                                .shares
                                .iter()
                                .any(|s| s.frame == "emergency_rule" && s.hits > 0),
                            "{what}"
                        );
                    }
                    assert_eq!(frames_from_index, frames_from_texts, "{what}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 40);
}

/// Issue 15: entity counts from the index (name tokens, term dictionaries, positions and fast
/// fields) equal the counts of re-reading every stored text with the matcher — mentions with
/// their spellings, series, co-mentions, unknown names with their spellings and token
/// counts — on the bundled corpus, generated corpora of several seeds and hand-made texts
/// with mentions across sentence ends, lowercase and multi-word aliases, ё, decomposed
/// accents, names after `:` and `;`, and words read by frequency (standing alone) as names
/// and lowercase; by two groupings, for the whole corpus and a query.
#[test]
fn entity_counts_from_the_index_equal_counts_from_the_stored_texts() {
    use mediawatch::registry::{EntityMatcher, EntityRegistry};
    use mediawatch::stats::counts::{OutletNumbers, TermExtractor};
    use mediawatch::stats::entities::EntityCounter;
    use mediawatch::stats::scan::{scan, GroupBy, Subset};

    let bundled =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/entities.csv"))
            .expect("entities");
    // Aliases the hand-made texts hit: lowercase, multi-word, with ё, decomposed.
    let list = bundled
        + "hand_party,organisation,Nur Otan,партия Нур Отан|нур отан\n\
           hand_tree,thing,Ёлка,ёлка|новогодняя ёлка\n\
           hand_cafe,place,Café Central,cafe\u{301} central\n";
    let matcher = EntityMatcher::new(EntityRegistry::from_csv(list.as_bytes()).expect("list"));
    let ws = Workspace::new();
    let texts = [
        "Вчера Касым-Жомарт. Токаев прибыл; Масимов Карим: Назарбаев сказал. одкб и ОДКБ, партия Нур Отан",
        "Ёлка и новогодняя ёлка. Foo Bar; Baz Qux, Тоқаевтың сөзі! iPhone ОДКБ-шы нур отан\nМасимова",
        "CAFE\u{301} CENTRAL и cafe\u{301} central; Алматыда Алматы… Жанаозене Жаңаөзенде? Токаеву",
        "Партия Нур Отан; Нур Отан. нур. отан Касым-Жомарт Токаев, Президент Токаев: Касым-Жомарт",
        // Words standing alone (read by frequency), as names and lowercase, after holes.
        "жанаозен. Жанаозен жанаозен; ЖАНАОЗЕН и Жанаозене, россия Россия! Бишкек бишкек. ОДКБ",
    ];
    let mut docs = String::new();
    for (i, text) in texts.iter().enumerate() {
        let outlet = ["state_tv", "indie_news"][i % 2];
        let title = format!("Заголовок {i}: ОДКБ и Токаев; Масимов Карим");
        docs += &serde_json::json!({"id": format!("h{i}"), "outlet": outlet, "title": title,
            "text": text, "published": format!("2022-01-0{}T10:00:00+06:00", i + 1)})
        .to_string();
        docs.push('\n');
    }
    let hand = ws.write("hand.jsonl", docs);
    ws.ingest_with_search_sources(&hand, "hand");
    let mut indexes = vec![("hand".to_string(), ws.path("hand"))];
    for seed in ["3", "17"] {
        let out = format!("gen{seed}");
        ws.cmd()
            .args(["generate", "--docs", "300", "--seed", seed, "--out", &out])
            .assert()
            .success();
        let docs = ws.path(&format!("{out}/docs.jsonl"));
        let sources = ws.path(&format!("{out}/sources.csv"));
        let index = format!("idx{seed}");
        ws.json(&[
            "ingest",
            docs.to_str().unwrap(),
            "--sources",
            sources.to_str().unwrap(),
            "--index",
            &index,
            "--format",
            "json",
        ]);
        indexes.push((index.clone(), ws.path(&index)));
    }
    let corpus = Workspace::with_bundled_corpus();
    indexes.push(("bundled".to_string(), corpus.path("idx")));
    let extractor = TermExtractor::default();
    let mut checked = 0;
    for (name, path) in &indexes {
        let index = mediawatch::index::open(path).expect("open index");
        let outlets = OutletNumbers::new(
            mediawatch::stats::outlet_names(&index)
                .expect("outlets")
                .iter()
                .map(String::as_str),
        );
        let query = Subset {
            query: "Токаев OR ОДКБ OR Tokayev OR газ".to_string(),
            ..Subset::default()
        };
        for by in [GroupBy::Category, GroupBy::Outlet] {
            for subset in [Subset::default(), query.clone()] {
                let what = format!("{name} by {by} {:?}", subset.query);
                let from_texts = scan(&index, &subset, by, || {
                    EntityCounter::new(&matcher, &extractor, &outlets)
                })
                .expect("scan");
                let from_index =
                    mediawatch::stats::entity_counts(&index, &subset, by, &matcher).expect("index");
                let mentions: u64 = from_texts
                    .mentions
                    .groups
                    .values()
                    .flat_map(|g| g.terms.values())
                    .map(|c| c.freq)
                    .sum();
                assert!(mentions > 0 && !from_texts.unknown.is_empty(), "{what}");
                if name == "hand" && subset.query.is_empty() {
                    let hits = |id: &str| {
                        from_texts
                            .mentions
                            .groups
                            .values()
                            .filter_map(|g| g.terms.get(id))
                            .map(|c| c.freq)
                            .sum::<u64>()
                    };
                    // By hand: партия Нур Отан ×2 (the longest alias); the bundled list's
                    // Нур Отан, нур отан, and "нур. отан" (the matcher reads across a
                    // sentence end); Ёлка, новогодняя ёлка; both cafés.
                    let seen = format!("{what} {:?}", from_texts.mentions.groups);
                    assert_eq!(hits("hand_party"), 2, "{seen}");
                    assert_eq!(hits("nur_otan"), 3, "{seen}");
                    assert_eq!(hits("hand_tree"), 2, "{what}");
                    assert_eq!(hits("hand_cafe"), 2, "{what}");
                }
                assert_eq!(from_index, from_texts, "{what}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 16);
}

/// The report's one walk over the postings (timeline volumes, the key terms' counts and the
/// counts of every period of "What changed") gives what counting each apart gives: the
/// timeline, the subset's term counts, the periods (given, or at the timeline's gaps) and
/// each period's term counts (the subset narrowed to it). Disjoint periods, overlapping ones
/// (left to be counted apart), periods at the gaps; the whole corpus and a query's subset;
/// two groupings; two time zones. The entity and frame counts, walked beside it with their
/// tokens added after, equal those counted apart (whose tokens come from their own walk).
#[test]
fn report_terms_from_one_walk_equal_the_counts_counted_apart() {
    use mediawatch::registry::{EntityMatcher, EntityRegistry, FrameMatcher, FrameRegistry};
    use mediawatch::stats::counts::{TermChoice, TermMode};
    use mediawatch::stats::fused::{report_counts, ReportPass};
    use mediawatch::stats::periods::{split_on_gaps, Periods};
    use mediawatch::stats::report_terms::TermPass;
    use mediawatch::stats::scan::{GroupBy, Subset};
    use mediawatch::stats::timeline::Buckets;
    use mediawatch::stats::{counts_of_items, timeline, CompareItems};
    use mediawatch::timezone::Zone;

    let ws = Workspace::with_bundled_corpus();
    let index = mediawatch::index::open(&ws.path("idx")).expect("open index");
    let terms = TermChoice::words(TermMode::Analyzed);
    let disjoint: Periods =
        "before=2022-01-01..2022-01-04,during=2022-01-05..2022-01-10,after=2022-01-11..2022-01-31"
            .parse()
            .expect("periods");
    let overlapping: Periods = "a=2022-01-01..2022-01-08,b=2022-01-05..2022-01-12"
        .parse()
        .expect("periods");
    let entity_list =
        EntityRegistry::load(std::path::Path::new(&corpus_list("entities.csv"))).expect("list");
    let entity_matcher = EntityMatcher::new(entity_list);
    let frame_list =
        FrameRegistry::load(std::path::Path::new(&corpus_list("frames.csv"))).expect("list");
    let frame_matcher = FrameMatcher::new(frame_list);
    let (mut split, mut at_gaps, mut apart, mut matched) = (0, 0, 0, 0);
    for zone in [Zone::default(), Zone::parse("-08:00").expect("zone")] {
        let (all, query) = whole_and_query(zone);
        for by in [GroupBy::Category, GroupBy::Lang] {
            for subset in [&all, &query] {
                for given in [None, Some(&disjoint), Some(&overlapping)] {
                    let what = format!("{zone:?} by {by} {:?} {given:?}", subset.query);
                    let buckets = Buckets::day(zone);
                    let pass = ReportPass {
                        buckets,
                        min_gap_days: 1,
                        entities: Some(&entity_matcher),
                        frames: Some(&frame_matcher),
                        terms: Some(TermPass { periods: given }),
                    };
                    let counts = report_counts(&index, subset, by, pass).expect("report counts");
                    let entities =
                        mediawatch::stats::entity_counts(&index, subset, by, &entity_matcher)
                            .expect("entities");
                    let tokens = |c: &mediawatch::stats::counts::TermCounts| -> u64 {
                        c.groups.values().map(|g| g.tokens).sum()
                    };
                    assert!(tokens(&entities.mentions) > 0, "{what}");
                    assert_eq!(counts.entities, Some(entities), "{what}");
                    let frames = mediawatch::stats::frame_counts(
                        &index,
                        subset,
                        by,
                        &frame_matcher,
                        Some(buckets),
                    )
                    .expect("frames");
                    assert!(tokens(&frames.hits) > 0, "{what}");
                    assert_eq!(counts.frames, Some(frames), "{what}");
                    matched += 1;
                    let apart_timeline =
                        timeline(&index, subset, by, buckets, 1).expect("timeline");
                    assert_eq!(counts.timeline, apart_timeline, "{what}");
                    let walked = counts.terms.expect("term counts asked for");
                    let count = |subset: &Subset| {
                        counts_of_items(&index, subset, by, terms, CompareItems::Terms)
                            .expect("counts")
                    };
                    assert_eq!(walked.counts, count(subset), "{what}");
                    let expected = match given {
                        Some(p) => Some(p.clone()),
                        None => split_on_gaps(&index, subset, by, 1).ok(),
                    };
                    if given == Some(&overlapping) {
                        assert!(walked.periods.is_none(), "{what}");
                        apart += 1;
                        continue;
                    }
                    let periods = walked.periods.expect("disjoint periods counted");
                    assert_eq!(periods.periods.as_ref().ok(), expected.as_ref(), "{what}");
                    let expected = expected.unwrap_or_default();
                    at_gaps += usize::from(given.is_none() && !expected.0.is_empty());
                    assert_eq!(periods.counts.len(), expected.0.len(), "{what}");
                    for (period, walked) in expected.0.iter().zip(&periods.counts) {
                        let narrowed = Subset {
                            query: subset.query.clone(),
                            filters: period.narrow(&subset.filters),
                        };
                        assert_eq!(*walked, count(&narrowed), "{what} {}", period.name);
                        assert!(walked.groups.values().any(|g| !g.terms.is_empty()));
                        split += 1;
                    }
                }
            }
        }
    }
    // 42 periods compared, 6 cases with periods at the gaps (measured when written).
    assert!(
        split >= 40 && at_gaps >= 4 && apart == 8 && matched == 24,
        "{split} {at_gaps} {apart} {matched}"
    );
}

/// The whole bundled corpus and a query's subset of it, dates in `zone`.
fn whole_and_query(
    zone: mediawatch::timezone::Zone,
) -> (
    mediawatch::stats::scan::Subset,
    mediawatch::stats::scan::Subset,
) {
    let filters = mediawatch::search::Filters {
        zone,
        ..Default::default()
    };
    let all = mediawatch::stats::scan::Subset {
        query: String::new(),
        filters: filters.clone(),
    };
    let query = mediawatch::stats::scan::Subset {
        query: "протестующие OR Токаев OR protesters".to_string(),
        filters,
    };
    (all, query)
}
