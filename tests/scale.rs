//! Scale-out exactness: random corpora split into k random shards (k = 1..8), each shard
//! ingested into its own index and made into a partial; the partials merged in a random
//! order give byte for byte the `compare` output of one index of all the documents.
//! Also: partials made differently, or damaged, are refused naming the file (exit 2).
//! Longer runs: `PROPTEST_CASES=64 cargo test --release --test tests scale`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::util::{corpus, Workspace};

/// Words of the random texts: Russian, Kazakh and English, inflected forms (so terms have
/// several surface forms) and stopwords (dropped by default, kept with --keep-stopwords).
const WORDS: &[&str] = &[
    "митинг",
    "митинга",
    "митинги",
    "протест",
    "протестующие",
    "власти",
    "власть",
    "порядок",
    "порядка",
    "жанаозен",
    "алматы",
    "газ",
    "цены",
    "цена",
    "и",
    "в",
    "не",
    "на",
    "билік",
    "билікке",
    "наразылық",
    "бағасы",
    "газ",
    "protest",
    "protesters",
    "police",
    "order",
    "gas",
    "prices",
    "the",
    "and",
    "токаев",
    "токаева",
    "назарбаев",
    "терроризм",
    "террористы",
];

/// Outlets of the bundled registry: state and independent, several media.
const OUTLETS: &[&str] = &[
    "qazaq_efiri",
    "dala_24",
    "birlik_aqparat",
    "zhana_dauir",
    "ashyq_alan",
    "sarap_media",
    "veter_stepi",
    "steppe_ledger",
];

/// One random document: outlet number, day of January 2022, words and a sentence break.
fn documents() -> impl Strategy<Value = Vec<(usize, u32, Vec<usize>)>> {
    let document = (
        0..OUTLETS.len(),
        1u32..12,
        proptest::collection::vec(0..WORDS.len(), 3..40),
    );
    proptest::collection::vec(document, 4..40)
}

/// JSON lines of the documents; each text starts with its number so no two are duplicates
/// (a text in two shards would be one document in a single index: shards must not share
/// documents).
fn jsonl(docs: &[(usize, u32, Vec<usize>)], which: &[usize]) -> String {
    let mut out = String::new();
    for &i in which {
        let (outlet, day, words) = &docs[i];
        let mut text = format!("Документ {i}.");
        for (n, w) in words.iter().enumerate() {
            text.push(' ');
            text.push_str(WORDS[*w]);
            if n % 7 == 6 {
                text.push('.');
            }
        }
        out.push_str(
            &serde_json::json!({
                "id": format!("d{i}"),
                "outlet": OUTLETS[*outlet],
                "published": format!("2022-01-{day:02}T10:00:00+06:00"),
                "title": format!("{} {}", WORDS[words[0]], i),
                "text": text,
            })
            .to_string(),
        );
        out.push('\n');
    }
    out
}

fn ingest(ws: &Workspace, input: &str, index: &str) {
    ws.cmd()
        .args(["ingest", input, "--index", index, "--sources"])
        .arg(corpus("sources.csv"))
        .assert()
        .success();
}

fn stdout(ws: &Workspace, args: &[String]) -> String {
    let output = ws.cmd().args(args).output().expect("run");
    assert!(
        output.status.success(),
        "mediawatch {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

/// The statistics compared, each as the flags of `partial` (counting) and of `compare`.
fn statistics() -> Vec<(Vec<String>, Vec<String>)> {
    let entities = vec!["--entity-list".to_string(), corpus("entities.csv")];
    let frames = vec!["--frame-list".to_string(), corpus("frames.csv")];
    let mut lists = entities.clone();
    lists.extend(frames.clone());
    vec![
        (
            lists.clone(),
            strings(&["--target", "each", "--min-freq", "1", "--max-q", "1"]),
        ),
        (
            lists.clone(),
            strings(&[
                "--balance-outlets",
                "--min-freq",
                "1",
                "--max-q",
                "1",
                "--top",
                "50",
            ]),
        ),
        (
            lists.clone(),
            strings(&[
                "--unit",
                "document",
                "--min-freq",
                "0",
                "--rank",
                "lrc",
                "--max-q",
                "1",
            ]),
        ),
        (lists.clone(), {
            let mut flags = strings(&["--entities", "--min-freq", "0", "--max-q", "1"]);
            flags.extend(entities.clone());
            flags
        }),
        (lists.clone(), {
            let mut flags = strings(&["--frames", "--target", "each", "--min-freq", "0"]);
            flags.extend(frames.clone());
            flags
        }),
        (
            strings(&["--by", "lang", "--ngram", "2", "--keep-stopwords"]),
            strings(&[
                "--by",
                "lang",
                "--ngram",
                "2",
                "--keep-stopwords",
                "--target",
                "each",
                "--min-freq",
                "1",
                "--max-q",
                "1",
            ]),
        ),
        (
            strings(&["--by", "outlet", "--no-stem", "газ OR protest"]),
            strings(&[
                "--by",
                "outlet",
                "--no-stem",
                "газ OR protest",
                "--target",
                "each",
                "--min-freq",
                "1",
                "--max-q",
                "1",
            ]),
        ),
    ]
}

/// Shards `docs` by `shard_of`, merges the shards' partials in `order` and checks every
/// statistic against the single index.
fn check_split(docs: &[(usize, u32, Vec<usize>)], shard_of: &[usize], k: usize, order: &[usize]) {
    let ws = Workspace::new();
    let all: Vec<usize> = (0..docs.len()).collect();
    ws.write("all.jsonl", jsonl(docs, &all));
    ingest(&ws, "all.jsonl", "all");
    let mut shards = Vec::new();
    for s in 0..k {
        let which: Vec<usize> = all.iter().copied().filter(|&i| shard_of[i] == s).collect();
        if which.is_empty() {
            continue; // an empty input makes no index: a shard without documents is no shard
        }
        ws.write(&format!("s{s}.jsonl"), jsonl(docs, &which));
        ingest(&ws, &format!("s{s}.jsonl"), &format!("s{s}"));
        shards.push(s);
    }
    for (n, (count_flags, compare_flags)) in statistics().into_iter().enumerate() {
        let mut single = strings(&["compare", "--index", "all", "--format", "json"]);
        single.extend(compare_flags.clone());
        let expected = stdout(&ws, &single);
        let mut merged = strings(&["compare", "--format", "json"]);
        merged.extend(compare_flags);
        for &position in order {
            let Some(&s) = shards.get(position % shards.len().max(1)) else {
                continue;
            };
            let file = format!("p{n}-{s}.parquet");
            if !ws.path(&file).exists() {
                let mut partial =
                    strings(&["partial", "--index", &format!("s{s}"), "--out", &file]);
                partial.extend(count_flags.clone());
                stdout(&ws, &partial);
            }
            merged.extend(["--partials".to_string(), file]);
        }
        assert_eq!(stdout(&ws, &merged), expected, "statistic {n}: {merged:?}");
    }
}

#[test]
fn partials_merged_in_any_order_equal_one_index() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let strategy = documents().prop_flat_map(|docs| {
        let n = docs.len();
        (1usize..=8).prop_flat_map(move |k| {
            let docs = docs.clone();
            (
                Just(docs),
                proptest::collection::vec(0..k, n),
                Just(k),
                Just((0..k).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
    });
    runner
        .run(&strategy, |(docs, shard_of, k, order)| {
            check_split(&docs, &shard_of, k, &order);
            Ok(())
        })
        .unwrap();
}

/// The Python with pyspark the Spark test runs (`MEDIAWATCH_SPARK_PYTHON`, else
/// target/scale-venv), or why the test cannot run here.
fn spark_python() -> Result<std::path::PathBuf, String> {
    let python = std::env::var_os("MEDIAWATCH_SPARK_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale-venv/bin/python")
        });
    let java = std::process::Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no Java on PATH (Spark needs Java 17+)".into());
    }
    let pyspark = std::process::Command::new(&python)
        .args(["-c", "import pyspark"])
        .output();
    if !pyspark.is_ok_and(|o| o.status.success()) {
        return Err(format!(
            "no pyspark for {} (run `bash scale/test.sh`, which installs it)",
            python.display()
        ));
    }
    Ok(python)
}

/// Spark `local[2]` over a generated 20k-document corpus in 4 shards: OUT/compare.json is
/// byte for byte the single index's compare. Slow (a JVM, 4 ingests): run by
/// `bash scale/test.sh`; skipped with the reason when pyspark or Java is missing.
#[test]
#[ignore = "Spark: run with `bash scale/test.sh`"]
fn spark_job_equals_single_index_compare() {
    let python = match spark_python() {
        Ok(python) => python,
        Err(reason) => {
            eprintln!("SKIPPED spark_job_equals_single_index_compare: {reason}");
            return;
        }
    };
    let ws = Workspace::new();
    ws.cmd()
        .args(["generate", "--docs", "20000", "--out", "corpus20k"])
        .assert()
        .success();
    std::fs::create_dir(ws.path("input")).expect("mkdir");
    std::fs::rename(ws.path("corpus20k/docs.jsonl"), ws.path("input/docs.jsonl")).expect("move");
    let sources = ws.path("corpus20k/sources.csv");
    let sources = sources.to_str().expect("UTF-8 path");
    let binary = assert_cmd::cargo::cargo_bin("mediawatch");
    let job = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scale/spark_job.py");
    let status = std::process::Command::new(&python)
        .current_dir(ws.dir.path())
        .arg(&job)
        .args([
            "--master",
            "local[2]",
            "--input",
            "input",
            "--sources",
            sources,
        ])
        .args([
            "--shards",
            "4",
            "--split-lines",
            "--work",
            "work",
            "--out",
            "out",
        ])
        .arg("--mediawatch")
        .arg(&binary)
        .status()
        .expect("run the Spark job");
    assert!(status.success(), "spark job failed");
    ws.cmd()
        .args(["ingest", "input", "--index", "single", "--sources", sources])
        .assert()
        .success();
    let single = stdout(
        &ws,
        &strings(&[
            "compare", "--index", "single", "--format", "json", "--target", "state", "--top", "30",
        ]),
    );
    let spark = std::fs::read_to_string(ws.path("out/compare.json")).expect("OUT/compare.json");
    assert_eq!(spark, single);
    assert!(
        single.contains("\"g2\""),
        "a real comparison: {}",
        &single[..200.min(single.len())]
    );
}
