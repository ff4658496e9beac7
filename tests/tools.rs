//! Exports of the tools researchers collect news with, read through their field names.
//! Each fixture in tests/fixtures/tools/ follows the tool's documented field list (sources
//! cited in tests/fixtures/tools/README.md and next to each test).

use crate::util::{fixture, n, Workspace};

fn ingest(ws: &Workspace, path: &str, extra: &[&str]) -> serde_json::Value {
    let input = fixture(path);
    let mut args = vec![
        "ingest",
        input.to_str().unwrap(),
        "--index",
        "idx",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    ws.json(&args)
}

/// news-please: one pretty-printed object per file; fields from news-please's example output
/// (fhamborg/news-please, newsplease/examples/sample.json).
#[test]
fn news_please_files_are_one_article_each() {
    let ws = Workspace::new();
    let summary = ingest(&ws, "tools/news-please", &[]);
    assert_eq!(
        (
            n(&summary["read"]),
            n(&summary["indexed"]),
            n(&summary["rejected"])
        ),
        (2, 2, 0),
        "{summary}"
    );
    let docs = ws.documents("idx");
    let chp = docs
        .iter()
        .find(|d| d.url.as_deref() == Some("https://news.example.kz/ru/2022/01/05/chp"))
        .expect("the first article");
    assert_eq!(chp.outlet, "news.example.kz"); // source_domain
    assert_eq!(chp.title, "В Алматы введено чрезвычайное положение");
    assert!(chp.text.starts_with("В Алматы введено")); // maintext
    assert_eq!(chp.declared_lang.as_deref(), Some("ru")); // language
    assert_eq!(chp.day, "2022-01-05"); // date_publish, a wall-clock time in Almaty
    assert_eq!(chp.source_line, 1);
    // 23:15 in Almaty on the 11th.
    let internet = docs.iter().find(|d| d.lang == "en").unwrap();
    assert_eq!(internet.day, "2022-01-11");
}

/// trafilatura --json (adbar/trafilatura, trafilatura/xml.py `build_json_output`): `source`
/// is the article's URL and `source-hostname` the site, which is the outlet.
#[test]
fn trafilatura_source_is_the_url_and_the_site_is_the_outlet() {
    let ws = Workspace::new();
    let summary = ingest(&ws, "tools/trafilatura.json", &[]);
    assert_eq!(n(&summary["indexed"]), 1, "{summary}");
    let doc = &ws.documents("idx")[0];
    assert_eq!(doc.outlet, "Qazaq Example");
    assert_eq!(
        doc.url.as_deref(),
        Some("https://qazaq.example.kz/kk/news/gaz-bagasy")
    );
    assert_eq!(doc.lang, "kk");
    assert_eq!(doc.day, "2022-01-07");
    assert_eq!(doc.title, "Газ бағасы төмендеді");
}

/// Media Cloud search downloads: `id, indexed_date, language, media_name, media_url,
/// publish_date, title, url, text`, publish_date in UTC.
#[test]
fn media_cloud_search_downloads_are_read_in_utc() {
    let ws = Workspace::new();
    let summary = ingest(&ws, "tools/mediacloud-search.csv", &[]);
    assert_eq!(n(&summary["indexed"]), 2, "{summary}");
    let docs = ws.documents("idx");
    let first = docs.iter().find(|d| d.id == "a1f3").unwrap();
    assert_eq!(first.outlet, "vlast.example.kz");
    // 20:30 UTC on the 5th is 02:30 on the 6th in Almaty (UTC+6 in 2022).
    assert_eq!(first.day, "2022-01-06");
    let hits = ws.json(&[
        "search", "--index", "idx", "--sort", "date", "--format", "json",
    ]);
    assert_eq!(hits["hits"][0]["published"], "2022-01-06T02:30+06:00");
    assert_eq!(hits["hits"][1]["published"], "2022-01-07T12:00+06:00");
    // Shown in UTC on request, the same instants.
    let utc = ws.json(&[
        "search",
        "--index",
        "idx",
        "--sort",
        "date",
        "--timezone",
        "UTC",
        "--facets",
        "day",
        "--format",
        "json",
    ]);
    assert_eq!(utc["hits"][0]["published"], "2022-01-05T20:30+00:00");
    let days: Vec<&String> = utc["facets"]["day"].as_object().unwrap().keys().collect();
    assert_eq!(days, ["2022-01-05", "2022-01-06", "2022-01-07"]);
}

/// Legacy Media Cloud stories (mediacloud/backend doc/api_2_0_spec/api_2_0_spec.md): a JSON
/// array, one record per story, `stories_id` as id, `story_text` as text.
#[test]
fn media_cloud_legacy_story_arrays_are_one_record_per_story() {
    let ws = Workspace::new();
    let summary = ingest(&ws, "tools/mediacloud-legacy.json", &[]);
    assert_eq!(n(&summary["indexed"]), 2, "{summary}");
    let docs = ws.documents("idx");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["501", "502"]);
    assert_eq!(docs[0].outlet, "Legacy Example");
    // Each element's line is the line of its `{` (counted by hand in the fixture).
    assert_eq!((docs[0].source_line, docs[1].source_line), (2, 17));
    assert_eq!(docs[1].text.split_whitespace().next(), Some("Farmers"));
}

/// A CSV without any text column is one clear error for the whole file, naming the
/// columns found and the fix, and since nothing could be indexed the ingest exits 1.
#[test]
fn a_csv_without_a_text_column_says_which_columns_it_has() {
    let ws = Workspace::new();
    let csv = ws.write(
        "export.csv",
        "id,media_name,publish_date,headline\n1,x,2022-01-05,a\n2,x,2022-01-06,b\n3,x,2022-01-07,c\n",
    );
    let output = ws
        .cmd()
        .args(["ingest", csv.to_str().unwrap(), "--index", "idx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nothing was indexed: 3 records rejected (top reasons: no_text_column 3)"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(ws.path("idx/rejects.jsonl")).unwrap();
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    assert!(rejects.contains("`id`, `media_name`, `publish_date`, `headline`"));
    assert!(rejects.contains("--map text=COLUMN"));
    // With the mapping it reads.
    let mapped = ws.json(&[
        "ingest",
        csv.to_str().unwrap(),
        "--index",
        "idx",
        "--map",
        "text=headline",
        "--format",
        "json",
    ]);
    assert_eq!(n(&mapped["indexed"]), 3);
}
