//! Every flag of every command, driven with extreme values: the run ends with exit 0, 1 or
//! 2 — never a panic (101), an abort (134) or a signal — and a numeric flag refuses a value
//! out of its range at parse time, naming the range. The commands and flags are read from
//! `--help`, so a flag added later is covered without editing this test.

use std::process::{Command, Output, Stdio};

use crate::util::Workspace;

/// Values no flag should choke on: negative, zero, one, just over 32 bits, the largest u64,
/// just over it, not a number, a float.
const EXTREMES: [&str; 8] = [
    "-1",
    "0",
    "1",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "NaN",
    "1e9",
];

fn mediawatch(ws: &Workspace, args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .current_dir(ws.dir.path())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn help(ws: &Workspace, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    String::from_utf8(mediawatch(ws, &args).stdout).unwrap()
}

/// Subcommands listed by `mediawatch --help`.
fn commands(ws: &Workspace) -> Vec<String> {
    help(ws, &["--help"])
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Flags of a command that take a value (`--name <VALUE>`).
fn value_flags(ws: &Workspace, command: &str) -> Vec<String> {
    help(ws, &[command, "--help"])
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('-') && l.contains(" <"))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|f| f.trim_end_matches(',').to_string())
        .collect()
}

/// Arguments that make each command do its work on the small workspace.
fn base(command: &str) -> Vec<&'static str> {
    match command {
        "run" => vec!["run", "--corpus", "no-corpus", "--quiet"],
        "ingest" => vec!["ingest", "docs.jsonl", "--index", "scratch", "--quiet"],
        "info" => vec!["info", "--index", "idx"],
        "detect" => vec!["detect"],
        "search" => vec!["search", "протест", "--index", "idx", "--kwic"],
        "show" => vec!["show", "d1", "--index", "idx"],
        "compare" => vec!["compare", "--index", "idx", "--min-freq", "1"],
        "stats" => vec!["stats", "timeline", "--index", "idx"],
        "report" => vec!["report", "--index", "idx", "--out", "rep", "--quiet"],
        "generate" => vec!["generate", "--docs", "3", "--out", "gen"],
        "analyze" => vec!["analyze"],
        "reindex" => vec!["reindex", "--index", "idx", "--quiet"],
        "relabel" => vec!["relabel", "--sources", "sources.csv", "--index", "idx"],
        "partial" => vec!["partial", "--index", "idx", "--out", "p.parquet"],
        // No asks file: every run fails naming it, after the flags are parsed.
        "passages" => vec![
            "passages",
            "--index",
            "idx",
            "--asks",
            "asks.json",
            "--out",
            "k.json",
        ],
        "export" => vec![
            "export", "--index", "idx", "--format", "ndjson", "--out", "e.ndjson",
        ],
        // No such index, and an address that is not this machine's: whichever flag a run
        // changes, `serve` fails before it serves (earlier runs may have made an index
        // under a probe value's name), so each run ends at once.
        "serve" => vec!["serve", "--index", "no-index", "--bind", "192.0.2.1"],
        other => panic!("no base arguments for the new command `{other}`: add them here"),
    }
}

/// `base` with `flag` set to `value` (replacing the base's own value of that flag).
fn with_flag(base: &[&str], flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = base.iter().map(|a| a.to_string()).collect();
    match args.iter().position(|a| a == flag) {
        Some(i) => args[i + 1] = value.to_string(),
        None => {
            args.push(flag.to_string());
            args.push(value.to_string());
        }
    }
    args
}

fn check(ws: &Workspace, args: &[String]) -> Output {
    let output = mediawatch(ws, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
        "mediawatch {}: {:?}\n{stderr}",
        args.join(" "),
        output.status
    );
    output
}

#[test]
fn no_flag_value_makes_any_command_panic() {
    let ws = Workspace::new();
    let docs: Vec<String> = (0..12)
        .map(|i| {
            let (outlet, category) = if i % 2 == 0 { ("tv", "state") } else { ("indie", "independent") };
            format!(
                r#"{{"id":"d{i}","outlet":"{outlet}","category":"{category}","published":"2022-01-{:02}","text":"Протестующие вышли на площадь, власти ответили. Запись {i}."}}"#,
                3 + i % 6
            )
        })
        .collect();
    ws.write("docs.jsonl", docs.join("\n"));
    ws.json(&["ingest", "docs.jsonl", "--index", "idx", "--format", "json"]);
    ws.write(
        "sources.csv",
        "outlet,name,category\ntv,TV,state\nindie,Indie,independent\n",
    );

    let mut numeric = Vec::new();
    let mut runs = 0;
    for command in commands(&ws) {
        let base = base(&command);
        for flag in value_flags(&ws, &command) {
            // A value one past u64 tells numeric flags (refused with their range) from the rest.
            let probe = check(&ws, &with_flag(&base, &flag, "18446744073709551616"));
            let stderr = String::from_utf8_lossy(&probe.stderr);
            // (clap's own number parsing says "too large"; mediawatch's names the range)
            let is_numeric = stderr.contains("expected a whole number from")
                || stderr.contains("number too large");
            let values: &[&str] = if is_numeric {
                &EXTREMES
            } else {
                &EXTREMES[..2]
            };
            for value in values {
                let output = check(&ws, &with_flag(&base, &flag, value));
                runs += 1;
                let message = String::from_utf8_lossy(&output.stderr);
                if message.contains("expected a whole number from") {
                    assert_eq!(output.status.code(), Some(2), "{command} {flag} {value}");
                }
            }
            if is_numeric {
                assert_eq!(probe.status.code(), Some(2));
                if stderr.contains("expected a whole number from") {
                    numeric.push(format!("{command} {flag}"));
                }
            }
        }
    }
    // Every numeric flag known today is range-checked (more may be added).
    for expected in [
        "ingest --record-cap",
        "ingest --commit-every",
        "ingest --max-rejects-per-file",
        "detect --record-cap",
        "search --limit",
        "search --offset",
        "search --window",
        "compare --ngram",
        "compare --top",
        "compare --min-freq",
        "stats --min-gap",
        "stats --top",
        "report --top",
        "report --min-freq",
        "report --min-gap",
        "generate --docs",
        "generate --seed",
        "generate --mean-bytes",
    ] {
        assert!(
            numeric.iter().any(|n| n == expected),
            "{expected} not range-checked: {numeric:?}"
        );
    }
    eprintln!("{runs} runs, numeric flags: {}", numeric.join(", "));
}
