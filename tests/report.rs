//! Reports through the binary: the files, the blackout on the bundled corpus, escaping of
//! hostile documents, byte-identical reruns, symlinks in the output directory, and data.json
//! agreeing with `compare`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{corpus, Workspace};

/// Runs a command expected to succeed; returns its stdout.
fn ok(ws: &Workspace, dir: &str, args: &[&str]) -> String {
    let output = ws
        .cmd()
        .current_dir(ws.path(dir))
        .args(args)
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "mediawatch {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The search fixture (state and independent outlets around the blackout) in `idx`.
fn small_index() -> Workspace {
    Workspace::with_search_index()
}

/// The bundled corpus ingested by the main job (`idx`), which also wrote its report (`rep`).
fn main_job() -> Workspace {
    Workspace::with_main_job()
}

#[test]
fn main_job_report_has_every_file_and_shows_the_blackout() {
    let ws = main_job();
    let rep = ws.path("rep");
    for file in ["report.html", "report.md", "data.json"] {
        assert!(rep.join(file).is_file(), "{file}");
    }
    for table in [
        "overview",
        "timeline",
        "gaps",
        "keyness_target",
        "keyness_reference",
        "language_mix",
        "examples",
        "entities",
        "entity_keyness_target",
        "entity_keyness_reference",
        "co_mentions",
        "gazetteer_candidates",
        "frames",
        "frame_series",
        "frame_keyness",
    ] {
        let csv = read(rep.join(format!("tables/{table}.csv")));
        assert!(csv.lines().count() > 1, "{table}.csv is empty");
    }
    for chart in [
        "timeline",
        "keyness",
        "language_mix",
        "entities",
        "frames",
        "frames_over_time_1",
        "frames_over_time_2",
        "frames_over_time_3",
    ] {
        let svg = read(rep.join(format!("charts/{chart}.svg")));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(" width=\"") && svg.contains(" height=\""));
        assert!(svg.contains(" viewBox=\"0 0 ") && svg.contains("<title id="));
    }

    let html = read(rep.join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The timeline chart, inline, with the independent outlets' blackout shaded and listed.
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-timeline\""));
    assert!(html.contains("<rect class=\"gap\""));
    assert!(html.contains("independent: no output, 6 days"));
    assert!(html.contains(
        "<td class=\"\">2022-01-05</td><td class=\"\">2022-01-10</td><td class=\"num\">6</td>"
    ));
    // Eight charts of the statistics plus the copies and What-changed charts (issue 17); the
    // attention chart needs a query, and the bundled report has none.
    assert_eq!(html.matches("<svg ").count(), 10);
    assert!(html.contains("id=\"chart-copies\"") && html.contains("id=\"chart-change\""));
    assert!(html.contains("id=\"chart-keyness\"") && html.contains("id=\"chart-language\""));
    // Entities and frames, with their charts inside their sections.
    let section = |id: &str| {
        let start = html
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no {id} section"));
        let end = start + html[start..].find("</section>").unwrap();
        &html[start..end]
    };
    let entities = section("entities");
    assert!(entities.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-entities\""));
    assert!(
        entities.contains("Kassym-Jomart Tokayev") && entities.contains("share of voice state")
    );
    assert!(entities.contains("Key entities") && entities.contains("Co-mentioned pairs"));
    assert!(entities.contains("Candidates for the gazetteer"));
    let frames = section("frames");
    assert!(frames.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-frames\""));
    for i in 1..=3 {
        assert!(frames.contains(&format!("id=\"chart-frame-time-{i}\"")));
    }
    assert!(frames.contains("terrorism_riot") && frames.contains("Key frames"));
    // The frame charts shade the blackout like the timeline.
    assert!(frames.contains("<rect class=\"gap\""));
    assert!(
        html.contains("Kazakh suffix") && html.contains("Dictionaries only find what they list")
    );
    // Self-contained: no scripts, nothing to fetch.
    assert!(!html.contains("<script"));
    assert!(!html.contains(" src="));
    assert!(!html.contains("href=\"http"));
    assert!(!html.contains("url("));
    // Methods and provenance.
    assert!(html.contains("Dunning 1993") && html.contains("Hardie 2014"));
    assert!(html.contains(&format!("version {}", env!("CARGO_PKG_VERSION"))));
    assert!(html.contains("fingerprint <code>xxh3:"));
    assert!(html.contains("mediawatch run --corpus"));

    let data: serde_json::Value = serde_json::from_str(&read(rep.join("data.json"))).unwrap();
    let gap = data["timeline"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["scope"] == "group" && g["name"] == "independent")
        .expect("blackout gap");
    assert_eq!(
        (gap["from"].as_str(), gap["to"].as_str()),
        (Some("2022-01-05"), Some("2022-01-10"))
    );
    assert_eq!(data["question"]["interval"], "day");
    assert_eq!(data["examples"].as_array().unwrap().len(), 10);
    for example in data["examples"].as_array().unwrap() {
        assert_eq!(example["lines"].as_array().unwrap().len(), 3, "{example}");
    }

    // Markdown: GFM tables, charts as files, and no raw HTML (every `<` is escaped).
    let md = read(rep.join("report.md"));
    assert!(md.contains("\n| --- |") || md.contains("| --- | --- |"));
    assert!(md.contains("![Documents per day by category](charts/timeline.svg)"));
    assert!(md.contains("| group | independent | independent | 2022-01-05 | 2022-01-10 | 6 |"));
    for (i, _) in md.match_indices('<') {
        assert_eq!(&md[i - 1..i], "\\", "raw `<` in report.md at byte {i}");
    }
}

#[test]
fn data_json_key_terms_equal_compare() {
    let ws = main_job();
    let data: serde_json::Value = serde_json::from_str(&read(ws.path("rep/data.json"))).unwrap();
    let compared = ws.json(&[
        "compare",
        "--index",
        "idx",
        "--target",
        "state",
        "--reference",
        "independent",
        "--top",
        "20",
        "--format",
        "json",
    ]);
    assert_eq!(data["keyness"]["terms"], compared["terms"]);
    assert_eq!(data["keyness"]["terms"].as_array().unwrap().len(), 40);
    // The same with a query and filters.
    let args = [
        "протестующие OR бандиты",
        "--index",
        "idx",
        "--lang",
        "ru",
        "--from",
        "2022-01-01",
        "--to",
        "2022-01-15",
        "--top",
        "7",
    ];
    let mut report = vec!["report"];
    report.extend(args);
    report.extend(["--out", "q", "--quiet"]);
    ok(&ws, ".", &report);
    // Neither names a reference: both default to all other documents.
    let mut compare = vec!["compare"];
    compare.extend(args);
    compare.extend(["--format", "json"]);
    let compared = ws.json(&compare);
    let data: serde_json::Value = serde_json::from_str(&read(ws.path("q/data.json"))).unwrap();
    assert_eq!(data["keyness"]["terms"], compared["terms"]);
    assert_eq!(data["question"]["reference"], "all others");
    assert_eq!(compared["reference"]["label"], "all others");
    let filters = &data["question"]["filters"];
    assert_eq!(
        filters[0],
        serde_json::json!({"name": "lang", "value": "ru"})
    );
    assert_eq!(filters[1]["value"], "2022-01-01");
    assert_eq!(filters[2]["value"], "2022-01-15");
}

#[test]
fn same_index_and_arguments_give_byte_identical_files() {
    let ws = small_index();
    for dir in ["one", "two"] {
        std::fs::create_dir(ws.path(dir)).unwrap();
        let stdout = ok(
            &ws,
            dir,
            &[
                "report",
                "--index",
                "../idx",
                "--out",
                "rep",
                "--quiet",
                "--entity-list",
                &corpus("entities.csv"),
                "--frame-list",
                &corpus("frames.csv"),
            ],
        );
        assert_eq!(stdout.trim(), "rep/report.html");
    }
    let (one, two) = (tree(&ws.path("one/rep")), tree(&ws.path("two/rep")));
    // 26 files, plus 7 tables of the copies, What-changed and attention sections (issue 17).
    assert_eq!(one.len(), 33, "{:?}", one.keys().collect::<Vec<_>>());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(*bytes == two[name], "{name} differs between runs");
    }
    // Without --timestamp there is no wall-clock time; with it there is.
    assert!(!read(ws.path("one/rep/report.html")).contains("Generated</dt>"));
    ok(
        &ws,
        "one",
        &[
            "report",
            "--index",
            "../idx",
            "--out",
            "t",
            "--timestamp",
            "--quiet",
        ],
    );
    let html = read(ws.path("one/t/report.html"));
    assert!(html.contains("<dt>Generated</dt>"));
    // Without the lists (the defaults do not exist here) the sections say so, in one sentence.
    assert!(html.contains(
        "<p>No entity list: corpus/entities.csv does not exist (pass --entity-list FILE), so this section is empty.</p>"
    ));
    assert!(html.contains("<p>No frame list: corpus/frames.csv does not exist"));
    assert!(!html.contains("chart-entities") && !html.contains("chart-frames"));
}

#[test]
fn data_json_entity_and_frame_shares_agree_with_stats() {
    let ws = main_job();
    let data: serde_json::Value = serde_json::from_str(&read(ws.path("rep/data.json"))).unwrap();
    let entities = &data["entities"];
    assert!(entities["missing"].is_null());
    let rows = entities["entities"].as_array().unwrap();
    assert!(rows.len() >= 10);
    for (g, group) in entities["groups"].as_array().unwrap().iter().enumerate() {
        let label = group["group"].as_str().unwrap();
        let shares: f64 = rows
            .iter()
            .map(|r| {
                assert_eq!(r["groups"][g]["group"], label);
                r["groups"][g]["share_of_voice"].as_f64().unwrap()
            })
            .sum();
        assert!((shares - 1.0).abs() < 1e-9, "{label}: {shares}");
        let mentions: u64 = rows
            .iter()
            .map(|r| r["groups"][g]["mentions"].as_u64().unwrap())
            .sum();
        assert_eq!(mentions, group["mentions"].as_u64().unwrap());
    }
    assert_eq!(entities["co_mentions"].as_array().unwrap().len(), 10);
    assert_eq!(entities["unknown_names"].as_array().unwrap().len(), 15);

    let stats = ws.json(&[
        "stats",
        "frames",
        "--index",
        "idx",
        "--frame-list",
        &corpus("frames.csv"),
        "--format",
        "json",
    ]);
    let state_share = |shares: &serde_json::Value| {
        shares
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["frame"] == "terrorism_riot" && s["group"] == "state")
            .map(|s| s["share"].as_f64().unwrap())
            .expect("terrorism_riot state share")
    };
    let reported = state_share(&data["frames"]["shares"]);
    assert_eq!(reported, state_share(&stats["shares"]));
    assert!(reported > 0.3, "{reported}");
    let frame_keys = data["frames"]["keyness"]["terms"].as_array().unwrap();
    assert!(frame_keys
        .iter()
        .any(|t| t["term"] == "terrorism_riot" && t["direction"] == "target"));
}

#[test]
fn hostile_document_text_is_escaped_everywhere() {
    let ws = Workspace::new();
    let mut lines = Vec::new();
    for day in 3..=9 {
        lines.push(serde_json::json!({
            "id": format!("s{day}"),
            "outlet": "=HYPERLINK(\"x\")",
            "category": "state",
            "published": format!("2022-01-{day:02}T12:00:00+06:00"),
            "title": "<script>alert(1)</script>",
            "text": format!("Бандиты \"><img src=x onerror=alert(1)> захватили здания. Порядок и стабильность будут восстановлены, бандиты задержаны. Выпуск {day}."),
        }));
        lines.push(serde_json::json!({
            "id": format!("i{day}"),
            "outlet": "indie",
            "category": "independent",
            "published": format!("2022-01-{day:02}T13:00:00+06:00"),
            "title": "Протест | *жирный* [ссылка](http://x)",
            "text": format!("Мирные протестующие вышли на площадь. Журналисты сообщают о задержаниях протестующих. Выпуск {day}."),
        }));
    }
    lines.push(serde_json::json!({
        "id": "o1",
        "outlet": "other",
        "category": "@evil",
        "published": "2022-01-05T12:00:00+06:00",
        "title": "t",
        "text": "Прочие новости дня.",
    }));
    let body: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    ws.write("docs.jsonl", body.join("\n") + "\n");
    let summary = ws.json(&["ingest", "docs.jsonl", "--index", "idx", "--format", "json"]);
    assert_eq!(summary["indexed"], 15, "{summary}");
    // Hostile entity and frame names too.
    ws.write(
        "entities.csv",
        "id,type,name,aliases\n<script>e</script>,<b>person</b>,<script>alert(2)</script>,Бандиты\nfine,place,Площадь,\n",
    );
    ws.write(
        "frames.csv",
        "frame,lang,pattern\n<script>f</script>,ru,бандит*\n=frame(),ru,протестующ*\n",
    );
    ok(
        &ws,
        ".",
        &[
            "report",
            "--index",
            "idx",
            "--out",
            "rep",
            "--quiet",
            "--entity-list",
            "entities.csv",
            "--frame-list",
            "frames.csv",
        ],
    );

    let html = read(ws.path("rep/report.html"));
    for raw in [
        "<script>alert(1)</script>",
        "<img src=x",
        "\"><img",
        "<script",
    ] {
        assert!(!html.contains(raw), "unescaped {raw:?} in report.html");
    }
    // The hostile strings are shown, escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("=HYPERLINK(&quot;x&quot;)"));
    assert!(!html.contains("=HYPERLINK(\"x\")"));
    assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(html.contains("&lt;script&gt;f&lt;/script&gt;"));
    for svg in [
        "timeline",
        "keyness",
        "language_mix",
        "entities",
        "frames",
        "frames_over_time_1",
    ] {
        let svg = read(ws.path(&format!("rep/charts/{svg}.svg")));
        assert!(!svg.contains("<script") && !svg.contains("<img"));
    }

    // CSV: text cells that a spreadsheet would run as formulas get a leading quote.
    let mut formula_cells = 0;
    for table in [
        "overview",
        "examples",
        "gaps",
        "timeline",
        "language_mix",
        "entities",
        "frames",
        "frame_keyness",
        "frame_series",
    ] {
        let path = ws.path(&format!("rep/tables/{table}.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                if cell.contains("HYPERLINK") || cell.contains("@evil") || cell.contains("=frame") {
                    assert!(
                        cell.starts_with('\''),
                        "{table}.csv cell {cell:?} not neutralized"
                    );
                    formula_cells += 1;
                }
                assert!(
                    !cell.starts_with(['=', '+', '@']),
                    "{table}.csv cell {cell:?}"
                );
            }
        }
    }
    assert!(
        formula_cells >= 3,
        "only {formula_cells} hostile cells seen"
    );
    let overview = read(ws.path("rep/tables/overview.csv"));
    assert!(overview.contains("'=HYPERLINK(\"\"x\"\")"));

    // Markdown: no raw HTML, and the title's table and link markup is escaped.
    let md = read(ws.path("rep/report.md"));
    for (i, _) in md.match_indices('<') {
        assert_eq!(&md[i - 1..i], "\\", "raw `<` in report.md at byte {i}");
    }
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(md.contains("=HYPERLINK(\"x\")"));
}

#[cfg(unix)]
#[test]
fn symlinks_in_the_output_directory_are_replaced_not_followed() {
    let ws = small_index();
    let outside = ws.write("outside.html", "original");
    std::fs::create_dir(ws.path("outside_dir")).unwrap();
    std::fs::create_dir(ws.path("rep")).unwrap();
    std::os::unix::fs::symlink(&outside, ws.path("rep/report.html")).unwrap();
    std::os::unix::fs::symlink(ws.path("outside_dir"), ws.path("rep/tables")).unwrap();
    std::os::unix::fs::symlink(ws.path("outside_dir"), ws.path("rep/charts")).unwrap();
    std::os::unix::fs::symlink(&outside, ws.path("rep/data.json")).unwrap();
    ok(
        &ws,
        ".",
        &["report", "--index", "idx", "--out", "rep", "--quiet"],
    );
    assert_eq!(read(outside), "original");
    assert_eq!(
        std::fs::read_dir(ws.path("outside_dir")).unwrap().count(),
        0
    );
    for name in ["report.html", "data.json"] {
        let meta = std::fs::symlink_metadata(ws.path(&format!("rep/{name}"))).unwrap();
        assert!(meta.file_type().is_file(), "{name} is not a regular file");
    }
    for name in ["tables", "charts"] {
        let meta = std::fs::symlink_metadata(ws.path(&format!("rep/{name}"))).unwrap();
        assert!(meta.file_type().is_dir(), "{name} is not a real directory");
    }
    assert!(read(ws.path("rep/report.html")).contains("chart-timeline"));
    // A missing output directory is created, nested.
    ok(
        &ws,
        ".",
        &["report", "--index", "idx", "--out", "a/b/c", "--quiet"],
    );
    assert!(ws.path("a/b/c/tables/keyness_target.csv").is_file());
}

#[test]
fn an_unknown_group_is_a_usage_error() {
    let ws = small_index();
    let output = ws
        .cmd()
        .args(["report", "--index", "idx", "--target", "nobody", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nobody") && stderr.contains("state"),
        "{stderr}"
    );
    assert!(!ws.path("report").exists());
}
