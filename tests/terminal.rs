//! The analyst's output (issue 18): tables fit the width, documents open whole with cue
//! times, exports keep everything, a closed pipe is not an error, date ranges are checked,
//! and the README lists every command and option.

use std::io::Read;
use std::process::{Command, Stdio};

use mediawatch::report::fit::width;
use serde_json::Value;

use crate::util::{n, Workspace};

fn run(ws: &Workspace, args: &[&str], columns: Option<&str>) -> std::process::Output {
    let mut cmd = ws.cmd();
    cmd.args(args).env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    cmd.output().expect("run")
}

fn stdout(ws: &Workspace, args: &[&str], columns: Option<&str>) -> String {
    let output = run(ws, args, columns);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(width).max().unwrap_or(0)
}

const ENTITIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/entities.csv");
const FRAMES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/frames.csv");

/// The table commands of the issue, on the bundled corpus.
const TABLE_COMMANDS: &[&[&str]] = &[
    &["info", "--index", "idx"],
    &["compare", "--index", "idx"],
    &["stats", "timeline", "--by", "outlet", "--index", "idx"],
    &["stats", "terms", "--index", "idx"],
    &[
        "stats",
        "entities",
        "--index",
        "idx",
        "--entity-list",
        ENTITIES,
    ],
    &["stats", "frames", "--index", "idx", "--frame-list", FRAMES],
    &[
        "search",
        "Токаев",
        "--kwic",
        "--by",
        "category",
        "--index",
        "idx",
    ],
    &[
        "search",
        "Токаев",
        "--kwic",
        "--by",
        "outlet",
        "--index",
        "idx",
    ],
    &[
        "search",
        "протестующие",
        "--kwic",
        "--index",
        "idx",
        "--facets",
        "outlet",
    ],
];

#[test]
fn every_table_command_fits_100_columns_in_a_pipe_and_the_width_it_is_given() {
    let ws = Workspace::with_bundled_corpus();
    for args in TABLE_COMMANDS {
        let fitted = stdout(&ws, args, None);
        assert!(
            widest(&fitted) <= 100,
            "{args:?}: {}\n{fitted}",
            widest(&fitted)
        );
        let narrow = stdout(&ws, args, Some("80"));
        assert!(
            widest(&narrow) <= 80,
            "{args:?} at 80: {}\n{narrow}",
            widest(&narrow)
        );
    }
    // `--wide` shows everything: compare's table is wider than 100 columns then.
    let wide = stdout(&ws, &["compare", "--index", "idx", "--wide"], None);
    assert!(widest(&wide) > 100, "{}", widest(&wide));
    // Timeline by outlet: outlets' columns left out at 100, named in a note.
    let timeline = stdout(&ws, TABLE_COMMANDS[2], None);
    assert!(timeline.contains("--wide shows every column"), "{timeline}");
}

#[test]
fn info_lists_each_outlet_on_its_own_row_most_documents_first() {
    let ws = Workspace::with_bundled_corpus();
    let info = ws.json(&["info", "--index", "idx", "--format", "json"]);
    let table = stdout(&ws, &["info", "--index", "idx"], None);
    let by_outlet = info["by_outlet"].as_object().unwrap();
    let mut expected: Vec<(&String, u64)> = by_outlet.iter().map(|(k, v)| (k, n(v))).collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let lines: Vec<&str> = table.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("outlet "))
        .expect("an outlet table");
    for (i, (outlet, count)) in expected.iter().enumerate() {
        let row = lines[start + 2 + i];
        let words: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(words, [outlet.as_str(), &count.to_string()], "{row}");
    }
}

#[test]
fn kwic_keeps_the_match_column_in_one_place() {
    let ws = Workspace::with_bundled_corpus();
    let out = stdout(
        &ws,
        &[
            "search",
            "протестующие",
            "--kwic",
            "--index",
            "idx",
            "--limit",
            "0",
        ],
        None,
    );
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(" | ")).collect();
    assert!(lines.len() > 3, "{out}");
    let column = |l: &str| width(&l[..l.find(" | ").unwrap()]);
    let first = column(lines[0]);
    assert!(lines.iter().all(|l| column(l) == first), "{out}");
}

/// A broadcast of the bundled corpus with a word spoken in it, found through search.
fn broadcast_hit(ws: &Workspace) -> (String, String, Value) {
    let found = ws.json(&[
        "search",
        "вакцинации",
        "--medium",
        "broadcast",
        "--index",
        "idx",
        "--format",
        "json",
        "--kwic",
        "--limit",
        "1",
    ]);
    let hit = &found["hits"][0];
    (
        hit["id"].as_str().unwrap().to_string(),
        hit["outlet"].as_str().unwrap().to_string(),
        found,
    )
}

#[test]
fn show_opens_a_broadcast_with_the_time_of_each_cue_and_hits_carry_it() {
    let ws = Workspace::with_bundled_corpus();
    let (id, outlet, found) = broadcast_hit(&ws);
    let doc = ws.json(&[
        "show", &id, "--outlet", &outlet, "--index", "idx", "--format", "json",
    ]);
    assert_eq!(doc["id"], id.as_str());
    let lines = doc["lines"].as_array().unwrap();
    assert!(lines.iter().all(|l| l["at"].is_string()), "{doc}");
    let text = stdout(
        &ws,
        &["show", &id, "--outlet", &outlet, "--index", "idx"],
        None,
    );
    let timed = text
        .lines()
        .filter(|l| {
            l.len() > 11 && l.starts_with('[') && l.as_bytes()[3] == b':' && &l[9..11] == "] "
        })
        .count();
    assert_eq!(timed, lines.len(), "{text}");
    // Each KWIC line of this document: its `at` is the start of a cue whose text holds the match.
    let kwic = found["kwic"].as_array().unwrap();
    let mine: Vec<&Value> = kwic.iter().filter(|l| l["id"] == id.as_str()).collect();
    assert!(!mine.is_empty(), "{found}");
    for line in mine {
        let at = line["at"].as_str().expect("a broadcast KWIC line has `at`");
        let matched = line["match"].as_str().unwrap().to_lowercase();
        assert!(
            lines.iter().any(|l| l["at"] == at
                && l["text"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(&matched)),
            "no cue at {at} holds {matched}"
        );
    }
    assert!(found["hits"][0]["at"].is_string(), "{found}");
    // An id nobody has: exit 2 with what to do.
    let missing = run(&ws, &["show", "no-such-id", "--index", "idx"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no document with id"));
}

#[test]
fn ndjson_with_limit_all_has_every_hit_and_csv_snippets_are_plain_with_offsets() {
    let ws = Workspace::with_bundled_corpus();
    let json = ws.json(&[
        "search",
        "Токаев",
        "--index",
        "idx",
        "--format",
        "json",
        "--limit",
        "all",
    ]);
    let total = n(&json["total"]) as usize;
    assert!(total > 20, "more hits than a page: {total}");
    assert_eq!(json["hits"].as_array().unwrap().len(), total);
    let ndjson = stdout(
        &ws,
        &[
            "search",
            "Токаев",
            "--index",
            "idx",
            "--format",
            "ndjson",
            "--limit",
            "all",
        ],
        None,
    );
    let rows: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), total);
    assert_eq!(
        rows,
        *json["hits"].as_array().unwrap(),
        "the same hits, in the same order"
    );
    assert!(rows.iter().all(|r| r.get("url").is_some()));
    // CSV: no markup; `highlights` as character ranges selecting the words JSON's byte
    // ranges select.
    let csv = stdout(
        &ws,
        &[
            "search",
            "Токаев",
            "--index",
            "idx",
            "--format",
            "csv",
            "--limit",
            "all",
        ],
        None,
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), total);
    for (record, hit) in records.iter().zip(&rows) {
        let snippet = &record[col("snippet")];
        assert!(!snippet.contains("**"), "{snippet}");
        let chars: Vec<char> = snippet.chars().collect();
        let json_snippet = hit["snippet"].as_str().unwrap();
        let words_by_bytes: Vec<&str> = hit["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &json_snippet[n(&r[0]) as usize..n(&r[1]) as usize])
            .collect();
        let words_by_chars: Vec<String> = record[col("highlights")]
            .split_whitespace()
            .map(|r| {
                let (s, e) = r.split_once('-').unwrap();
                chars[s.parse::<usize>().unwrap()..e.parse::<usize>().unwrap()]
                    .iter()
                    .collect()
            })
            .collect();
        assert_eq!(words_by_chars, words_by_bytes);
    }
}

#[test]
fn csv_facets_follow_a_blank_line_or_go_to_their_own_file() {
    let ws = Workspace::with_bundled_corpus();
    let json = ws.json(&[
        "search",
        "Токаев",
        "--index",
        "idx",
        "--format",
        "json",
        "--facets",
        "outlet,lang",
    ]);
    let total = n(&json["total"]);
    let csv = stdout(
        &ws,
        &[
            "search",
            "Токаев",
            "--index",
            "idx",
            "--format",
            "csv",
            "--facets",
            "outlet,lang",
            "--limit",
            "3",
        ],
        None,
    );
    let (hits, facets) = csv
        .split_once("\n\nfacet,value,count\n")
        .expect("a blank line before the facets");
    let facets = format!("facet,value,count\n{facets}");
    let facets = facets.as_str();
    let hit_rows = csv::Reader::from_reader(hits.as_bytes()).records().count();
    assert_eq!(hit_rows, 3);
    let check = |facets: &str| {
        let mut reader = csv::Reader::from_reader(facets.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["facet", "value", "count"]);
        let mut outlet_sum = 0;
        for record in reader.records().map(Result::unwrap) {
            let count: u64 = record[2].parse().unwrap();
            assert_eq!(json["facets"][&record[0]][&record[1]].as_u64(), Some(count));
            if &record[0] == "outlet" {
                outlet_sum += count;
            }
        }
        assert_eq!(outlet_sum, total);
    };
    check(facets);
    let out = stdout(
        &ws,
        &[
            "search",
            "Токаев",
            "--index",
            "idx",
            "--format",
            "csv",
            "--facets",
            "outlet,lang",
            "--facets-out",
            "f.csv",
        ],
        None,
    );
    assert!(!out.contains("facet,value,count"), "{out}");
    check(&std::fs::read_to_string(ws.path("f.csv")).unwrap());
}

/// Runs `mediawatch ARGS | head -1` through a real pipe; the exit status and stderr of
/// mediawatch.
fn into_head(ws: &Workspace, args: &[&str]) -> (Option<i32>, String) {
    let mut producer = Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .current_dir(ws.dir.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = producer.stdout.take().unwrap();
    let head = Command::new("head")
        .arg("-1")
        .stdin(pipe)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(head.success());
    let mut err = String::new();
    producer
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (producer.wait().unwrap().code(), err)
}

#[test]
fn a_closed_pipe_ends_every_output_quietly_with_exit_0() {
    let ws = Workspace::with_bundled_corpus();
    for args in [
        &[
            "search", "*", "--index", "idx", "--format", "csv", "--limit", "all",
        ][..],
        &[
            "search", "*", "--index", "idx", "--format", "ndjson", "--limit", "all",
        ],
        &[
            "search", "*", "--index", "idx", "--format", "json", "--limit", "all",
        ],
        &["search", "*", "--index", "idx", "--kwic", "--limit", "all"],
        &[
            "compare",
            "--index",
            "idx",
            "--top",
            "5000",
            "--min-freq",
            "1",
        ],
        &[
            "stats",
            "timeline",
            "--index",
            "idx",
            "--interval",
            "hour",
            "--format",
            "csv",
        ],
    ] {
        let (code, err) = into_head(&ws, args);
        assert_eq!((code, err.as_str()), (Some(0), ""), "{args:?}");
    }
}

#[test]
fn from_after_to_is_refused_and_a_month_is_the_whole_month() {
    let ws = Workspace::with_bundled_corpus();
    let swapped = run(
        &ws,
        &[
            "search",
            "*",
            "--index",
            "idx",
            "--from",
            "2022-01-10",
            "--to",
            "2022-01-05",
        ],
        None,
    );
    assert_eq!(swapped.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&swapped.stderr).contains("later than --to"));
    let total = |from: &str, to: &str| {
        n(&ws.json(&[
            "search", "*", "--index", "idx", "--format", "json", "--limit", "0", "--from", from,
            "--to", to,
        ])["total"])
    };
    let month = total("2022-01", "2022-01");
    assert!(month > 0);
    assert_eq!(month, total("2022-01-01", "2022-01-31"));
    assert_eq!(
        total("2021-12", "2022-01"),
        total("2021-12-01", "2022-01-31")
    );
    // The same day as both ends is one day, not an error.
    assert!(total("2022-01-05", "2022-01-05") > 0);
}

fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// The options a `--help` text lists (`--name`, from lines that start with the option).
fn options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim)
        .filter_map(|l| {
            let option = if l.starts_with("--") {
                l.split_whitespace().next()
            } else if l.len() > 4 && l.starts_with('-') && &l[2..4] == ", " {
                l.split_whitespace().nth(1)
            } else {
                None
            }?;
            let name: String = option
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Some(name).filter(|n| n != "--help" && n != "--version")
        })
        .collect()
}

/// The values a command's positional argument takes (`- name:` lines of its `--help`).
fn positional_values(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Arguments:"))
        .take_while(|l| !l.starts_with("Options:"))
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect()
}

/// The README's command synopses: each `mediawatch CMD …` line with its continuation lines,
/// per command, and the `NAME: …` sections (FILTERS, EVERY COMMAND).
fn synopses() -> std::collections::BTreeMap<String, String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut entries: std::collections::BTreeMap<String, String> = Default::default();
    let mut current: Option<String> = None;
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            current = None;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(rest) = line.strip_prefix("mediawatch ") {
            current = rest.split_whitespace().next().map(str::to_string);
        } else if let Some((name, _)) = line
            .split_once(':')
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_uppercase() || c == ' '))
        {
            current = Some(name.to_string());
        } else if !line.starts_with(' ') {
            current = None;
        }
        if let Some(name) = &current {
            let entry = entries.entry(name.clone()).or_default();
            entry.push_str(line);
            entry.push('\n');
        }
    }
    entries
}

fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let after = text[i + word.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
}

#[test]
fn the_readme_lists_every_command_and_option_help_shows() {
    let entries = synopses();
    let top = help(&["--help"]);
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 12, "{top}");
    let filters = entries.get("FILTERS").cloned().unwrap_or_default();
    let every = entries.get("EVERY COMMAND").cloned().unwrap_or_default();
    let mut missing = Vec::new();
    for command in &commands {
        let Some(entry) = entries.get(*command) else {
            missing.push(format!("command `{command}`"));
            continue;
        };
        let text = help(&[command, "--help"]);
        for option in options(&text) {
            let listed = mentions(entry, &option)
                || (entry.contains("FILTERS") && mentions(&filters, &option))
                || mentions(&every, &option);
            if !listed {
                missing.push(format!("{command} {option}"));
            }
        }
        for value in positional_values(&text) {
            if !mentions(entry, &value) {
                missing.push(format!("{command} {value}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the README's command list: {missing:?}"
    );
}

#[test]
fn each_command_help_describes_its_own_output_formats() {
    // `stats --format csv` once said "one row per hit" (copied from `search`).
    let stats = help(&["stats", "--help"]);
    assert!(!stats.contains("per hit"), "{stats}");
    assert!(!stats.contains("keyword-in-context"), "{stats}");
    let compare = help(&["compare", "--help"]);
    assert!(!compare.contains("per hit"), "{compare}");
    let search = help(&["search", "--help"]);
    assert!(
        search.contains("ndjson") && search.contains("per hit"),
        "{search}"
    );
}

/// Words of a screenshot's command line, split as a shell splits `'quoted words'`.
fn shell_words(args: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in args.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// What changes from run to run: the time an ingest took, and its rate.
fn steady(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("Took ") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_screenshots_are_current_and_fit_100_columns() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let ws = Workspace::new();
    ws.link(
        "corpus",
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")),
    );
    let mut shots = 0;
    let mut rest = readme.as_str();
    while let Some(start) = rest.find("<!-- screenshot: ") {
        let after = &rest[start + "<!-- screenshot: ".len()..];
        let (args, body) = after.split_once(" -->\n").unwrap();
        let (block, next) = body.split_once("<!-- /screenshot -->").unwrap();
        rest = next;
        shots += 1;
        let mut cmd = ws.cmd();
        cmd.args(shell_words(args))
            .env("COLUMNS", "100")
            .env("RAYON_NUM_THREADS", "1");
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{args}");
        let expected = format!(
            "```text\n$ mediawatch {args}\n{}```\n",
            String::from_utf8(output.stdout).unwrap()
        );
        assert_eq!(
            steady(block),
            steady(&expected),
            "the README screenshot of `{args}` is stale: run scripts/screenshots.sh"
        );
        assert!(widest(block) <= 100, "{args}: {}", widest(block));
    }
    assert_eq!(shots, 3);
}

#[test]
fn report_ends_with_elapsed_time_and_rate_on_stderr_and_stdout_stays_the_path() {
    let ws = Workspace::with_bundled_corpus();
    let output = run(&ws, &["report", "--index", "idx", "--out", "rep"], None);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.trim_end().ends_with("rep/report.html"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let documents = n(&ws.json(&["info", "--index", "idx", "--format", "json"])["documents"]);
    let prefix = format!("Report of {documents} documents written. Took ");
    assert!(last.starts_with(&prefix), "{last}");
    assert!(last.ends_with(" documents/s."), "{last}");
    let quiet = run(
        &ws,
        &["report", "--index", "idx", "--out", "rep2", "--quiet"],
        None,
    );
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("Took"));
}
