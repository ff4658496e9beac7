//! The report's copies, "What changed" and attention sections (issue 17, point 8), checked
//! against values computed by hand on tiny corpora written here.

use std::path::PathBuf;

use crate::analysis::copies_corpus;
use crate::util::{fixture, n, Workspace};

fn f(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(ws: &Workspace, index: &str, out: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "report",
        "--index",
        index,
        "--out",
        out,
        "--quiet",
        "--reference",
        "independent",
    ];
    args.extend(extra);
    let result = ws.cmd().args(&args).output().unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    serde_json::from_str(&read(ws.path(&format!("{out}/data.json")))).unwrap()
}

/// A second story copied across outlets, whose title is hostile (HTML and a spreadsheet
/// formula): it must be escaped in the report and neutralized in the CSV.
fn add_hostile_talking_point(ws: &Workspace) {
    let text = "Синоптики предупредили о сильном снегопаде на севере страны в ближайшие дни. \
        Водителям советуют не выезжать на трассы без крайней необходимости. Дорожные службы \
        готовят технику к расчистке дорог. Школы могут перейти на дистанционное обучение. \
        Аэропорты предупреждают о возможных задержках рейсов из-за плохой видимости. \
        Коммунальные службы проверяют котельные и линии электропередачи перед морозами. \
        Спасатели напоминают, что в метель лучше оставаться дома и следить за новостями.";
    let docs = [
        serde_json::json!({"id": "h1", "outlet": "state_tv", "published": "2022-01-06T08:00:00+06:00",
            "title": "=HYPERLINK(\"x\")<script>alert(1)</script>", "text": text}),
        serde_json::json!({"id": "h2", "outlet": "indie_web", "published": "2022-01-06T12:00:00+06:00",
            "title": "Снег", "text": text}),
    ];
    let body: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    ws.write("more.jsonl", body.join("\n") + "\n");
    ws.json(&[
        "ingest",
        "more.jsonl",
        "--sources",
        fixture("search/sources.csv").to_str().unwrap(),
        "--index",
        "cidx",
        "--format",
        "json",
    ]);
}

#[test]
fn copies_and_attention_sections_hold_the_hand_counted_values() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    add_hostile_talking_point(&ws);
    let data = report(&ws, "cidx", "rep", &["газ", "--min-freq", "1"]);

    // Copies, by hand. state: a1, t1, h1; independent: n1, n2, w1, h2.
    // Cluster 1 (gas story): a1 first, t1 (+3 h) and n1 (+6 h) copies.
    // Cluster 2 (snow): h1 first, h2 (+4 h) a copy — but the report's query `газ` selects
    // neither, so only the gas story's documents are looked at: state a1, t1; independent n1.
    let copies = &data["copies"];
    assert_eq!(n(&copies["documents"]), 3);
    assert_eq!(n(&copies["clusters"]), 1);
    let group = |g: &str| {
        let row = copies["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["group"] == g)
            .unwrap()
            .clone();
        (
            n(&row["documents"]),
            n(&row["copies"]),
            f(&row["copy_share"]),
        )
    };
    assert_eq!(group("state"), (2, 1, 0.5));
    assert_eq!(group("independent"), (1, 1, 1.0));
    let flows = copies["flows"].as_array().unwrap();
    let lag = |to: &str| {
        let flow = flows.iter().find(|x| x["to"] == to).unwrap();
        assert_eq!(flow["from"], "state_agency");
        (n(&flow["count"]), f(&flow["median_lag_hours"]))
    };
    assert_eq!(lag("state_tv"), (1, 3.0));
    assert_eq!(lag("indie_news"), (1, 6.0));

    // Attention to `газ`, by hand: state 2 of 3 documents (h1 is about snow), independent 1
    // of 4; per day: independent on 2022-01-04 1 of 1, on 2022-01-05 0 of 2.
    let attention = &data["attention"]["attention"];
    let total = |g: &str| {
        let t = attention["totals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["group"] == g)
            .unwrap()
            .clone();
        (n(&t["matches"]), n(&t["documents"]))
    };
    assert_eq!(total("state"), (2, 3));
    assert_eq!(total("independent"), (1, 4));
    let point = |g: &str, day: &str| {
        let p = attention["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["group"] == g && p["bucket"] == day)
            .unwrap()
            .clone();
        (n(&p["matches"]), n(&p["documents"]), f(&p["share"]))
    };
    assert_eq!(point("independent", "2022-01-04"), (1, 1, 1.0));
    assert_eq!(point("independent", "2022-01-05"), (0, 2, 0.0));
    assert_eq!(point("state", "2022-01-06"), (0, 1, 0.0));

    // The sections are in every format; the charts exist.
    let html = read(ws.path("rep/report.html"));
    for id in [
        "id=\"copies\"",
        "id=\"change\"",
        "id=\"attention\"",
        "id=\"chart-copies\"",
        "id=\"chart-attention\"",
    ] {
        assert!(html.contains(id), "{id} missing from report.html");
    }
    let md = read(ws.path("rep/report.md"));
    for heading in [
        "Copies and talking points",
        "What changed",
        "Attention on the timeline",
    ] {
        assert!(md.contains(heading), "{heading} missing from report.md");
    }
    let csv = read(ws.path("rep/tables/attention.csv"));
    assert!(
        csv.lines()
            .any(|l| l == "independent,2022-01-04,1,1,1.0000"),
        "{csv}"
    );
    assert!(read(ws.path("rep/tables/copy_flows.csv")).contains("state_agency,state_tv,1,3.00"));
    assert!(ws.path("rep/charts/attention.svg").exists());
}

#[test]
fn a_hostile_talking_point_is_escaped_and_neutralized() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    add_hostile_talking_point(&ws);
    let data = report(&ws, "cidx", "rep", &["--min-freq", "1"]);
    // Every document now: two clusters carried by two and three outlets.
    assert_eq!(n(&data["copies"]["clusters"]), 2);
    let points = data["copies"]["talking_points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(points[1]["first_outlet"], "state_tv");
    // Without a query there is no attention to show, and the report says why.
    assert!(data["attention"]["attention"].is_null());
    assert!(data["attention"]["note"]
        .as_str()
        .unwrap()
        .contains("query"));
    let html = read(ws.path("rep/report.html"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("=HYPERLINK(&quot;x&quot;)&lt;script&gt;"));
    let csv = read(ws.path("rep/tables/talking_points.csv"));
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\")<script>alert(1)</script>\""),
        "{csv}"
    );
    let md = read(ws.path("rep/report.md"));
    assert!(!md.contains("<script>"));
}

/// Two days of one state and one independent outlet, in periods `before` and `after`:
///
/// | period | state                     | independent               |
/// |--------|---------------------------|---------------------------|
/// | before | газ газ ветер ветер (4)   | газ ветер ветер ветер (4) |
/// | after  | газ ветер ветер ветер (4) | газ газ газ ветер (4)     |
fn change_corpus(ws: &Workspace) {
    let docs = [
        ("s1", "state_agency", "2022-01-04", "газ газ ветер ветер"),
        ("i1", "indie_news", "2022-01-04", "газ ветер ветер ветер"),
        ("s2", "state_agency", "2022-01-06", "газ ветер ветер ветер"),
        ("i2", "indie_news", "2022-01-06", "газ газ газ ветер"),
    ];
    let body: Vec<String> = docs
        .iter()
        .map(|(id, outlet, day, text)| {
            serde_json::json!({"id": id, "outlet": outlet, "published": format!("{day}T12:00:00+06:00"),
                "language": "ru", "title": "", "text": text})
            .to_string()
        })
        .collect();
    ws.write("change.jsonl", body.join("\n") + "\n");
    ws.json(&[
        "ingest",
        "change.jsonl",
        "--sources",
        fixture("search/sources.csv").to_str().unwrap(),
        "--index",
        "chidx",
        "--format",
        "json",
    ]);
}

#[test]
fn what_changed_gives_the_log_ratio_change_between_periods() {
    let ws = Workspace::new();
    change_corpus(&ws);
    let data = report(
        &ws,
        "chidx",
        "rep",
        &[
            "--min-freq",
            "1",
            "--min-gap",
            "1",
            "--periods",
            "before=2022-01-04..2022-01-04,after=2022-01-06..2022-01-06",
        ],
    );
    let change = &data["change"];
    assert_eq!(change["source"], "given");
    let periods = change["periods"].as_array().unwrap();
    let names: Vec<&str> = periods
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["before", "after"]);
    assert_eq!(n(&periods[0]["documents"]["state"]), 1);
    let changes = change["changes"].as_array().unwrap();
    let row = |term: &str| changes.iter().find(|c| c["term"] == term).unwrap().clone();
    // газ: before log2((2/4)/(1/4)) = 1; after log2((1/4)/(3/4)) = −log2 3; change −log2 6.
    let gas = row("газ");
    assert!((f(&gas["log_ratio_before"]) - 1.0).abs() < 1e-9);
    assert!((f(&gas["log_ratio_after"]) + 3f64.log2()).abs() < 1e-9);
    assert!((f(&gas["change"]) + 6f64.log2()).abs() < 1e-9);
    assert_eq!(gas["before_freq"], serde_json::json!([2, 1]));
    assert_eq!(gas["after_freq"], serde_json::json!([1, 3]));
    // ветер: log2(2/3) before, log2 3 after: change log2 4.5, smaller than газ's, so second.
    let wind = row("ветер");
    assert!((f(&wind["change"]) - 4.5f64.log2()).abs() < 1e-9);
    assert_eq!(changes[0]["term"], "газ");
    assert_eq!(changes[1]["term"], "ветер");
    assert!(read(ws.path("rep/report.html")).contains("id=\"chart-change\""));
    let csv = read(ws.path("rep/tables/term_changes.csv"));
    assert!(csv.starts_with("from_period,to_period,term,"), "{csv}");
    assert!(
        csv.contains("before,after,газ,газ,2,1,1,3,1.0000,-1.5850,-2.5850"),
        "{csv}"
    );

    // Without --periods and without a gap of a whole group, the section says why it is empty.
    let data = report(&ws, "chidx", "rep2", &["--min-freq", "1", "--min-gap", "5"]);
    assert_eq!(data["change"]["source"], "none");
    let note = data["change"]["note"].as_str().unwrap();
    assert!(note.contains("no group was silent for 5 days"), "{note}");
    // With a one-day gap (2022-01-05) the periods are before, during and after it; nobody
    // published during it, so the change runs from before to after.
    let data = report(&ws, "chidx", "rep3", &["--min-freq", "1", "--min-gap", "1"]);
    assert_eq!(data["change"]["source"], "gaps");
    let names: Vec<&str> = data["change"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["before", "during", "after"]);
    let first = &data["change"]["changes"][0];
    assert_eq!(
        (first["from_period"].as_str(), first["to_period"].as_str()),
        (Some("before"), Some("after"))
    );
}
