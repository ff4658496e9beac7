//! Counting with copies (`--copies keep|collapse`) and change over time (`--periods`,
//! `--by period`, `--split-on-gaps`), checked against hand counts and against the same
//! numbers reached another way (date filters, the timeline, `stats copies`).

use crate::analysis::copies_corpus;
use crate::util::{n, Workspace};

fn sides(result: &serde_json::Value) -> (u64, u64) {
    (
        n(&result["target"]["documents"]),
        n(&result["reference"]["documents"]),
    )
}

fn term_freqs(result: &serde_json::Value, term: &str) -> (u64, u64) {
    let t = result["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == term)
        .unwrap_or_else(|| panic!("{term} not listed"));
    (n(&t["target_freq"]), n(&t["reference_freq"]))
}

#[test]
fn collapse_counts_each_cluster_once_as_its_first_publisher() {
    let ws = Workspace::new();
    copies_corpus(&ws);
    let compare = |copies: &str| {
        ws.json(&[
            "compare",
            "--index",
            "cidx",
            "--copies",
            copies,
            "--unit",
            "document",
            "--max-q",
            "1",
            "--min-freq",
            "0",
            "--top",
            "1000",
            "--format",
            "json",
        ])
    };
    // By hand: state a1, t1; independent n1, n2, w1. Collapsed: t1 and n1 are copies of a1.
    let keep = compare("keep");
    assert_eq!(sides(&keep), (2, 3));
    let collapsed = compare("collapse");
    assert_eq!(sides(&collapsed), (1, 2));
    // "газ" is in the story (a1, t1, n1) only: documents per side.
    assert_eq!(term_freqs(&keep, "газ"), (2, 1));
    assert_eq!(term_freqs(&collapsed, "газ"), (1, 0));
    // The same documents through the timeline: 2022-01-04 keeps only a1.
    let timeline = ws.json(&[
        "stats", "timeline", "--index", "cidx", "--copies", "collapse", "--format", "json",
    ]);
    let day = |group: &str| n(&timeline["groups"][group]["2022-01-04"]["documents"]);
    assert_eq!((day("state"), day("independent")), (1, 0));
    // What was collapsed is said on stderr.
    let out = ws
        .cmd()
        .args(["compare", "--index", "cidx", "--copies", "collapse"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 clusters") && stderr.contains("2 later copies"),
        "{stderr}"
    );
    // stats copies with collapse would hide what it lists.
    ws.cmd()
        .args(["stats", "copies", "--index", "cidx", "--copies", "collapse"])
        .assert()
        .code(2);
}

#[test]
fn collapse_leaves_out_as_many_documents_per_group_as_stats_copies_counts_copies() {
    let ws = Workspace::with_bundled_corpus();
    let copies = ws.json(&["stats", "copies", "--index", "idx", "--format", "json"]);
    let groups = copies["summary"]["groups"].as_array().unwrap();
    let copies_of = |g: &str| n(&groups.iter().find(|x| x["group"] == g).unwrap()["copies"]);
    let compare = |mode: &str| {
        ws.json(&[
            "compare",
            "--index",
            "idx",
            "--copies",
            mode,
            "--reference",
            "independent",
            "--format",
            "json",
        ])
    };
    let (keep, collapsed) = (sides(&compare("keep")), sides(&compare("collapse")));
    assert!(
        copies_of("state") + copies_of("independent") > 0,
        "{copies}"
    );
    assert_eq!(
        collapsed,
        (
            keep.0 - copies_of("state"),
            keep.1 - copies_of("independent")
        )
    );
}

fn days_sum(timeline: &serde_json::Value, group: &str, from: &str, to: &str) -> u64 {
    timeline["groups"][group]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(day, _)| day.as_str() >= from && day.as_str() <= to)
        .map(|(_, v)| n(&v["documents"]))
        .sum()
}

#[test]
fn each_periods_comparison_is_the_comparison_under_its_date_filters() {
    let ws = Workspace::with_bundled_corpus();
    let periods = "before=2021-12-20..2022-01-04,2022-01-11..2022-01-20";
    let result = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--periods",
        periods,
        "--format",
        "json",
        "--top",
        "10",
    ]);
    let listed = result["periods"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["period"], "before");
    assert_eq!(listed[1]["period"], "2022-01-11..2022-01-20");
    for (p, (from, to)) in listed
        .iter()
        .zip([("2021-12-20", "2022-01-04"), ("2022-01-11", "2022-01-20")])
    {
        let filtered = ws.json(&[
            "compare", "--index", "idx", "--from", from, "--to", to, "--format", "json", "--top",
            "10",
        ]);
        assert_eq!(p["comparisons"][0], filtered, "{from}..{to}");
        assert_eq!(p["from"], from);
        assert_eq!(p["to"], to);
    }
}

#[test]
fn by_period_compares_two_periods_of_one_group() {
    let ws = Workspace::with_bundled_corpus();
    let result = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--periods",
        "before=2021-12-20..2022-01-04,after=2022-01-11..2022-01-20",
        "--by",
        "period",
        "--target",
        "after",
        "--reference",
        "before",
        "--category",
        "state",
        "--format",
        "json",
    ]);
    assert_eq!(result["target"]["label"], "after");
    assert_eq!(result["reference"]["label"], "before");
    let timeline = ws.json(&["stats", "timeline", "--index", "idx", "--format", "json"]);
    assert_eq!(
        sides(&result),
        (
            days_sum(&timeline, "state", "2022-01-11", "2022-01-20"),
            days_sum(&timeline, "state", "2021-12-20", "2022-01-04"),
        )
    );
    // Unknown period names and a missing --reference are the user's to fix.
    for extra in [&["--reference", "nope"][..], &["--reference", "all"][..]] {
        ws.cmd()
            .args([
                "compare",
                "--index",
                "idx",
                "--periods",
                "a=2022-01-01..2022-01-02",
                "--by",
                "period",
                "--target",
                "a",
            ])
            .args(extra)
            .assert()
            .code(2);
    }
}

#[test]
fn split_on_gaps_gives_before_during_and_after_the_shutdown() {
    let ws = Workspace::with_bundled_corpus();
    let out = ws
        .cmd()
        .args([
            "compare",
            "--index",
            "idx",
            "--split-on-gaps",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let timeline = ws.json(&["stats", "timeline", "--index", "idx", "--format", "json"]);
    let days: Vec<&String> = timeline["groups"]["state"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let last = days.last().unwrap().as_str();
    // The independents' silence of 2022-01-05..10 (the internet shutdown), read off the
    // timeline by hand.
    let periods: Vec<String> = result["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}={}..{}",
                p["period"].as_str().unwrap(),
                p["from"].as_str().unwrap(),
                p["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        periods,
        [
            "before=2021-12-20..2022-01-04".to_string(),
            "during=2022-01-05..2022-01-10".to_string(),
            format!("after=2022-01-11..{last}"),
        ]
    );
    // During the gap the reference published nothing: said, nothing ranked.
    let during = &result["periods"][1];
    assert_eq!(during["comparisons"].as_array().unwrap().len(), 0);
    assert!(during["note"]
        .as_str()
        .unwrap()
        .contains("published nothing"));
    assert_eq!(
        n(&during["documents"]["state"]),
        days_sum(&timeline, "state", "2022-01-05", "2022-01-10")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("before=2021-12-20..2022-01-04"));
}

/// Points of each line of a time chart.
fn line_points(svg: &str) -> Vec<usize> {
    svg.split("<polyline class=\"series\" points=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().split(' ').count())
        .collect()
}

#[test]
fn weekly_timeline_leaves_out_the_partial_last_week_and_shades_no_week_with_output() {
    let ws = Workspace::with_bundled_corpus();
    let report = |interval: &str, out: &str| {
        ws.cmd()
            .args([
                "report",
                "--index",
                "idx",
                "--quiet",
                "--interval",
                interval,
                "--out",
                out,
            ])
            .assert()
            .success();
        std::fs::read_to_string(ws.path(out).join("charts/timeline.svg")).unwrap()
    };
    // The corpus runs Monday 2021-12-20 to Thursday 2022-01-20: five weeks, the last with
    // four of its seven days inside. The independents' silence (Wednesday 5th to Monday
    // 10th) lies inside no whole week: the weeks of the 3rd and the 10th both had output.
    let weekly = report("week", "rw");
    assert_eq!(
        line_points(&weekly),
        [4, 4],
        "the week of 2022-01-17 is not drawn"
    );
    assert!(!weekly.contains("class=\"gap\""), "no week was silent");
    let html = std::fs::read_to_string(ws.path("rw/report.html")).unwrap();
    assert!(html.contains("Not drawn: the week starting 2022-01-17"));
    // Per day the gap is whole days: shaded, and every day drawn.
    let daily = report("day", "rd");
    assert_eq!(daily.matches("class=\"gap\"").count(), 1);
    assert!(line_points(&daily).iter().all(|&n| n > 30));
}
