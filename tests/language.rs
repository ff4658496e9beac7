//! The language layer end to end: `analyze`, case- and form-independent search, exact forms
//! and expressions, the query language, filters by name and alias, and re-indexing. Expected
//! counts are read off the fixture texts below by hand.

use crate::util::{n, Workspace};

/// Seven short documents; the comments give what each query must find.
const DOCS: &str = r#"{"id": "d1", "outlet": "dala", "published": "2022-01-05T10:00:00+06:00", "title": "Митинг", "text": "Протестующие вышли на площадь. Токаев выступил."}
{"id": "d2", "outlet": "dala", "published": "2022-01-05T12:00:00+06:00", "title": "Задержания", "text": "Полиция задержала протестующих. ТОКАЕВУ доложили."}
{"id": "d3", "outlet": "khabar", "published": "2022-01-06T10:00:00+06:00", "title": "Протест", "text": "Участники протеста разошлись. Всё спокойно."}
{"id": "d4", "outlet": "khabar", "published": "2022-01-06T12:00:00+06:00", "title": "Газ", "text": "Цены на газ выросли, протестующие требуют снижения."}
{"id": "d5", "outlet": "qazaq", "published": "2022-01-07T10:00:00+06:00", "title": "Доллар", "text": "Теңге доллардан әлсіреді. Доллар бағасы өсті, ел тойға дайындалды."}
{"id": "d6", "outlet": "qazaq", "published": "2022-01-07T12:00:00+06:00", "title": "Той", "text": "Ауылда үлкен той өтті. Тойдың қонақтары доллар туралы айтпады."}
{"id": "d7", "outlet": "dala", "published": "2022-01-08T10:00:00+06:00", "title": "Café", "text": "A café in Almaty reopened; law and order returned."}
"#;

const SOURCES: &str = "outlet,name,category,medium,country,languages,aliases
dala,Дала 24,independent,article,KZ,ru,Dala TV|Дала
khabar,Хабар,state,broadcast,KZ,ru|kk,Khabar 24
qazaq,Qazaq Radiosy,state,broadcast,KZ,kk,
";

fn indexed() -> Workspace {
    let ws = Workspace::new();
    ws.write("in/docs.jsonl", DOCS);
    ws.write("sources.csv", SOURCES);
    ws.json(&[
        "ingest",
        "in",
        "--sources",
        "sources.csv",
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    ws
}

fn search(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "search", "--index", "idx", "--format", "json", "--limit", "50",
    ];
    all.extend_from_slice(args);
    ws.json(&all)
}

fn ids(ws: &Workspace, args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["--sort", "date"]);
    search(ws, &args)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Runs a command expected to fail with exit code 2; returns its standard error.
fn fails(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.cmd().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn analyze_prints_each_token_with_its_term() {
    let ws = Workspace::new();
    let tsv = ws
        .cmd()
        .args(["analyze"])
        .write_stdin("Протестующих задержали\nТоқаевтың\n")
        .output()
        .unwrap();
    assert!(tsv.status.success());
    let lines: Vec<Vec<String>> = String::from_utf8(tsv.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert_eq!(
        lines[0][..3],
        ["Протестующих", "протестовать", "протестующих"]
    );
    assert_eq!(lines[1][..2], ["задержали", "задержать"]);
    assert_eq!(lines[2][..2], ["Тоқаевтың", "тоқаев"]);
    let json = ws
        .cmd()
        .args(["analyze", "--format", "json", "--lang", "kk"])
        .write_stdin("доллардан кірді\n")
        .output()
        .unwrap();
    let tokens: Vec<serde_json::Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(tokens[0]["token"], "доллардан");
    assert_eq!(tokens[0]["term"], "доллар");
    assert_eq!(tokens[1]["term"], "кір");
    assert_eq!((n(&tokens[1]["start"]), n(&tokens[1]["end"])), (19, 29));
    // A Russian dictionary word carries its lemma.
    let ru = ws
        .cmd()
        .args(["analyze", "--format", "json"])
        .write_stdin("граждан")
        .output()
        .unwrap();
    let token: serde_json::Value =
        serde_json::from_str(String::from_utf8(ru.stdout).unwrap().trim()).unwrap();
    assert_eq!(token["lemma"], "гражданин");
}

#[test]
fn letter_case_yo_and_unicode_composition_do_not_change_results() {
    let ws = indexed();
    // Токаев (d1), ТОКАЕВУ (d2): whatever case the query is in.
    for query in ["токаев", "Токаев", "ТОКАЕВ", "токаеву"] {
        assert_eq!(ids(&ws, &[query]), ["d1", "d2"], "{query}");
    }
    // всё (d3) written with ё, е, and ё decomposed (е + U+0308).
    for query in ["всё", "все", "все\u{308}", "ВСЁ"] {
        assert_eq!(ids(&ws, &[query]), ["d3"], "{query:?}");
    }
    // café (d7) with a decomposed é, and й decomposed (и + U+0306) in a Kazakh word.
    assert_eq!(ids(&ws, &["cafe\u{301}"]), ["d7"]);
    assert_eq!(ids(&ws, &["=cafe\u{301}"]), ["d7"]);
    assert_eq!(ids(&ws, &["тои\u{306}ға"]), ["d5", "d6"]);
}

#[test]
fn kazakh_forms_share_their_stem() {
    let ws = indexed();
    // доллардан, Доллар (d5), доллар (d6); тойға (d5), Тойдың (d6). A bare `той` has no
    // Kazakh-only letter and is a Russian word form (of `тот`): it is analyzed as Russian.
    assert_eq!(ids(&ws, &["доллар"]), ["d5", "d6"]);
    assert_eq!(ids(&ws, &["доллардан"]), ["d5", "d6"]);
    assert_eq!(ids(&ws, &["тойға"]), ["d5", "d6"]);
    assert_eq!(ids(&ws, &["тойдың"]), ["d5", "d6"]);
}

#[test]
fn exact_forms_phrases_and_expressions() {
    let ws = indexed();
    // Lemma search: протестующие (d1, d4), протестующих (d2); not протеста (d3).
    assert_eq!(ids(&ws, &["протестующие"]), ["d1", "d2", "d4"]);
    assert_eq!(ids(&ws, &["\"протестующие\""]), ["d1", "d2", "d4"]);
    assert_eq!(ids(&ws, &["протест"]), ["d3"]);
    // Exact forms only.
    assert_eq!(ids(&ws, &["=протестующих"]), ["d2"]);
    assert_eq!(ids(&ws, &["exact:протестующие"]), ["d1", "d4"]);
    assert_eq!(ids(&ws, &["\"=протестующие вышли\""]), ["d1"]);
    assert_eq!(ids(&ws, &["\"=протестующих вышли\""]), Vec::<String>::new());
    // Expressions and prefixes run over exact forms.
    assert_eq!(ids(&ws, &["/протест.*их/"]), ["d2"]);
    assert_eq!(ids(&ws, &["/протест(а|ующие)/"]), ["d1", "d3", "d4"]);
    assert_eq!(ids(&ws, &["протест*"]), ["d1", "d2", "d3", "d4"]);
    // KWIC shows exact matches as written.
    let kwic = search(&ws, &["=протестующие", "--kwic"]);
    let matched: Vec<&str> = kwic["kwic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["match"].as_str().unwrap())
        .collect();
    assert_eq!(matched, ["Протестующие", "протестующие"]);
}

#[test]
fn operators_in_any_case_and_negation() {
    let ws = indexed();
    // газ: d4 only; доллар: d5, d6.
    let all: Vec<String> = (1..=7).map(|i| format!("d{i}")).collect();
    assert_eq!(ids(&ws, &["протестующие AND NOT газ"]), ["d1", "d2"]);
    assert_eq!(ids(&ws, &["протестующие and not газ"]), ["d1", "d2"]);
    assert_eq!(ids(&ws, &["протестующие -газ"]), ["d1", "d2"]);
    assert_eq!(ids(&ws, &["газ OR доллар"]), ["d4", "d5", "d6"]);
    let output = ws
        .cmd()
        .args([
            "search",
            "--index",
            "idx",
            "--format",
            "json",
            "газ or доллар",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`or` was read as the operator OR"),
        "{stderr}"
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(n(&result["total"]), 3);
    // A query that starts with `-` after `--`.
    let negated = ws.json(&[
        "search", "--index", "idx", "--format", "json", "--limit", "50", "--", "-газ",
    ]);
    assert_eq!(n(&negated["total"]), all.len() as u64 - 1);
    // Prefix alternatives (used to fail with "cannot parse query").
    assert_eq!(ids(&ws, &["газ* OR долл*"]), ["d4", "d5", "d6"]);
}

#[test]
fn bad_field_values_and_huge_queries_are_refused() {
    let ws = indexed();
    let stderr = fails(&ws, &["search", "--index", "idx", "day:2022-13-45"]);
    assert!(stderr.contains("day:2022-13-45"), "{stderr}");
    assert_eq!(ids(&ws, &["day:2022-01-06"]), ["d3", "d4"]);
    let many: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
    let stderr = fails(&ws, &["search", "--index", "idx", &many.join(" OR ")]);
    assert!(
        stderr.contains("10000") && stderr.contains("1024"),
        "{stderr}"
    );
    // Up to the limit, a long OR query runs.
    let mut allowed: Vec<String> = (0..1000).map(|i| format!("слово{i}")).collect();
    allowed.push("газ".into());
    assert_eq!(ids(&ws, &[&allowed.join(" OR ")]), ["d4"]);
}

#[test]
fn filters_match_any_case_names_and_aliases() {
    let ws = indexed();
    let by = |flag: &str, value: &str| {
        let mut args = vec![flag, value, "--sources", "sources.csv"];
        args.push("*");
        ids(&ws, &args)
    };
    assert_eq!(by("--category", "State"), ["d3", "d4", "d5", "d6"]);
    assert_eq!(by("--category", "INDEPENDENT"), ["d1", "d2", "d7"]);
    assert_eq!(by("--outlet", "Дала 24"), ["d1", "d2", "d7"]);
    assert_eq!(by("--outlet", "dala tv"), ["d1", "d2", "d7"]);
    assert_eq!(by("--outlet", "KHABAR"), ["d3", "d4"]);
    assert_eq!(ids(&ws, &["*", "--lang", "KK"]), ["d5", "d6"]);
    let stderr = fails(
        &ws,
        &["search", "--index", "idx", "*", "--category", "stat"],
    );
    assert!(
        stderr.contains("--category \"stat\" matches nothing")
            && stderr.contains("state, independent"),
        "{stderr}"
    );
    // The same check holds for compare and stats.
    let stderr = fails(&ws, &["compare", "--index", "idx", "--medium", "tv"]);
    assert!(stderr.contains("broadcast"), "{stderr}");
}

#[test]
fn every_query_search_accepts_compare_stats_and_report_accept() {
    let ws = indexed();
    for query in [
        "протестующие AND NOT газ",
        "газ or доллар",
        "газ* OR долл*",
        "=протестующих",
        "/протест.*/",
        "\"=протестующие вышли\"",
        "day:2022-01-05 OR outlet:Khabar",
    ] {
        // Widened so that both groups are present for compare and report.
        let query = &format!("({query}) OR доллар OR протестующие");
        search(&ws, &[query]);
        ws.json(&[
            "compare",
            "--index",
            "idx",
            query,
            "--min-freq",
            "1",
            "--format",
            "json",
        ]);
        ws.json(&[
            "stats", "timeline", "--index", "idx", query, "--format", "json",
        ]);
        let out = format!("report-{}", query.len());
        let status = ws
            .cmd()
            .args(["report", "--index", "idx", query, "--out", &out, "--quiet"])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "report {query}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
}

#[test]
fn an_index_of_another_analysis_version_asks_for_reindex() {
    let ws = indexed();
    let before = (
        search(&ws, &["протестующие"])["total"].clone(),
        ids(&ws, &["протестующие"]),
    );
    // Make the index look as if an older analyzer had written it.
    let meta_path = ws.path("idx/meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["payload"] = serde_json::Value::from(r#"{"mediawatch_analysis":1}"#);
    std::fs::write(&meta_path, serde_json::to_string(&meta).unwrap()).unwrap();
    for args in [
        vec!["search", "--index", "idx", "газ"],
        vec!["info", "--index", "idx"],
        vec!["ingest", "in", "--index", "idx"],
    ] {
        let stderr = fails(&ws, &args);
        assert!(
            stderr.contains("analysis version 1")
                && stderr.contains("mediawatch reindex --index idx"),
            "{args:?}: {stderr}"
        );
    }
    let rejects_before = std::fs::read(ws.path("idx/rejects.jsonl")).ok();
    let output = ws
        .cmd()
        .args(["reindex", "--index", "idx", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("re-indexed 7 documents"));
    let after = (
        search(&ws, &["протестующие"])["total"].clone(),
        ids(&ws, &["протестующие"]),
    );
    assert_eq!(after, before);
    assert_eq!(ids(&ws, &["=протестующих"]), ["d2"]);
    assert_eq!(
        std::fs::read(ws.path("idx/rejects.jsonl")).ok(),
        rejects_before
    );
    // Nothing is left beside the index.
    let siblings: Vec<String> = std::fs::read_dir(ws.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("idx."))
        .collect();
    assert!(siblings.is_empty(), "{siblings:?}");
}
