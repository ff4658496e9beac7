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
            // A permutation of 0..k filtered to the shards that hold documents is a
            // permutation of those shards.
            let Some(&s) = shards.get(position) else {
                continue;
            };
            // Statistics counted alike share their partials.
            let counted = statistics()
                .iter()
                .position(|(c, _)| *c == count_flags)
                .unwrap_or(n);
            let file = format!("p{counted}-{s}.parquet");
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

/// Two shard indexes of the bundled corpus (online; agency and regional) and one of both.
fn bundled_shards(ws: &Workspace) {
    for (index, inputs) in [
        ("a", vec!["online"]),
        ("b", vec!["agency", "regional"]),
        ("all", vec!["online", "agency", "regional"]),
    ] {
        let mut cmd = ws.cmd();
        cmd.args(["ingest", "--index", index, "--sources"])
            .arg(corpus("sources.csv"));
        for input in inputs {
            cmd.arg(corpus(input));
        }
        cmd.assert().success();
    }
}

#[test]
fn several_indexes_compare_as_one() {
    let ws = Workspace::new();
    bundled_shards(&ws);
    let compare = |indexes: &[&str]| {
        let mut args = strings(&[
            "compare", "--format", "json", "--target", "each", "--max-q", "1",
        ]);
        for index in indexes {
            args.extend(["--index".to_string(), index.to_string()]);
        }
        stdout(&ws, &args)
    };
    let single = compare(&["all"]);
    assert_eq!(compare(&["a", "b"]), single);
    assert_eq!(compare(&["b", "a"]), single);
    // The shards alone differ (a holds only independent outlets): the test can fail.
    assert_ne!(compare(&["b"]), single);
}

#[test]
fn partials_made_differently_or_damaged_are_refused_naming_the_file() {
    let ws = Workspace::new();
    bundled_shards(&ws);
    for (index, out) in [("a", "a.parquet"), ("b", "b.parquet")] {
        ws.cmd()
            .args(["partial", "--index", index, "--out", out])
            .assert()
            .success();
    }
    ws.cmd()
        .args([
            "partial",
            "--index",
            "b",
            "--by",
            "lang",
            "--out",
            "lang.parquet",
        ])
        .assert()
        .success();
    let refused = |args: &[&str], needle: &str| {
        let output = ws.cmd().args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "no partial result: {args:?}");
    };
    // A different --by: against the command line, and between partials.
    refused(
        &[
            "compare",
            "--partials",
            "a.parquet",
            "--partials",
            "lang.parquet",
        ],
        "lang.parquet: made with --by lang, but the command line has category",
    );
    refused(
        &["compare", "--by", "lang", "--partials", "b.parquet"],
        "b.parquet: made with --by category",
    );
    // Other term options or another query.
    refused(
        &["compare", "--ngram", "2", "--partials", "a.parquet"],
        "a.parquet: made with term options analyzed ngram 1",
    );
    refused(
        &["compare", "протест", "--partials", "a.parquet"],
        "a.parquet: made with query and filters",
    );
    // Another analysis version (a header edited through the library).
    let mut old = mediawatch::partial::file::read(&ws.path("b.parquet")).expect("read");
    old.header.analysis_version -= 1;
    mediawatch::partial::file::write(&old, &ws.path("old.parquet")).expect("write");
    refused(
        &[
            "compare",
            "--partials",
            "a.parquet",
            "--partials",
            "old.parquet",
        ],
        "old.parquet: made with analysis version",
    );
    // A cut file, a file that is not Parquet, a Parquet file without the header, none.
    let bytes = std::fs::read(ws.path("b.parquet")).expect("read");
    ws.write("cut.parquet", &bytes[..bytes.len() / 2]);
    refused(
        &["compare", "--partials", "cut.parquet"],
        "cut.parquet: not a readable mediawatch partial",
    );
    ws.write("text.parquet", "id,text\n1,x\n");
    refused(
        &["compare", "--partials", "text.parquet"],
        "text.parquet: not a readable mediawatch partial",
    );
    ws.cmd()
        .args([
            "export",
            "--index",
            "a",
            "--format",
            "parquet",
            "--out",
            "docs.parquet",
        ])
        .assert()
        .success();
    refused(
        &["compare", "--partials", "docs.parquet"],
        "docs.parquet: a Parquet file without",
    );
    refused(
        &["compare", "--partials", "missing.parquet"],
        "missing.parquet: cannot open",
    );
    // Entity counts asked of partials made without them.
    refused(
        &[
            "compare",
            "--entities",
            "--entity-list",
            &corpus("entities.csv"),
            "--partials",
            "a.parquet",
        ],
        "a.parquet: holds no entity counts",
    );
}

#[test]
fn export_writes_every_selected_document_readable_back() {
    let ws = Workspace::new();
    bundled_shards(&ws);
    for format in ["ndjson", "parquet"] {
        for what in ["documents", "terms"] {
            ws.cmd()
                .args([
                    "export", "--index", "all", "--format", format, "--what", what,
                ])
                .args(["--out", &format!("{what}.{format}")])
                .assert()
                .success();
        }
    }
    // NDJSON documents against the stored documents (read through the library).
    let stored = ws.documents("all");
    let ndjson = std::fs::read_to_string(ws.path("documents.ndjson")).expect("read");
    let rows: Vec<serde_json::Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(rows.len(), stored.len());
    let mut keys: Vec<(String, String)> = stored
        .iter()
        .map(|d| (d.outlet.clone(), d.id.clone()))
        .collect();
    keys.sort();
    let exported: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["outlet"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(exported, keys, "every document once, by outlet and id");
    let first = stored
        .iter()
        .find(|d| (d.outlet.clone(), d.id.clone()) == keys[0])
        .unwrap();
    assert_eq!(rows[0]["text"], first.text.as_str());
    assert_eq!(rows[0]["category"], first.category.as_str());
    // Parquet read back with the parquet crate's own reader: the same rows as NDJSON.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader =
        SerializedFileReader::new(std::fs::File::open(ws.path("documents.parquet")).unwrap())
            .unwrap();
    assert_eq!(
        reader.metadata().file_metadata().num_rows() as usize,
        rows.len()
    );
    let texts: Vec<String> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            let text = row
                .get_column_iter()
                .find(|(name, _)| name.as_str() == "text")
                .unwrap()
                .1;
            match text {
                parquet::record::Field::Str(s) => s.clone(),
                other => panic!("text is {other:?}"),
            }
        })
        .collect();
    let ndjson_texts: Vec<String> = rows
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, ndjson_texts);
    // Terms: the counts of one word, by hand from the NDJSON documents' texts.
    let terms = std::fs::read_to_string(ws.path("terms.ndjson")).expect("read");
    let term_rows: Vec<serde_json::Value> = terms
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let journalists: u64 = term_rows
        .iter()
        .filter(|r| r["term"] == "журналист")
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    let by_hand: usize = rows
        .iter()
        .map(|r| {
            let all = format!(
                "{} {}",
                r["title"].as_str().unwrap(),
                r["text"].as_str().unwrap()
            )
            .to_lowercase();
            [
                "журналист",
                "журналиста",
                "журналисту",
                "журналистом",
                "журналисте",
                "журналисты",
                "журналистов",
                "журналистам",
                "журналистами",
                "журналистах",
            ]
            .iter()
            .map(|form| {
                mediawatch::segment::words(&all)
                    .filter(|(_, w)| w == form)
                    .count()
            })
            .sum::<usize>()
        })
        .sum();
    assert!(journalists > 0);
    assert_eq!(journalists as usize, by_hand);
    // An independent reader when the scale venv has pyarrow (bash scale/test.sh makes it).
    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale-venv/bin/python");
    let script = "import pyarrow.parquet as pq, sys\nt = pq.read_table(sys.argv[1])\nprint(t.num_rows, sum(t.column('count').to_pylist()), t.column('term').type)";
    match std::process::Command::new(&python)
        .args(["-c", script])
        .arg(ws.path("terms.parquet"))
        .output()
    {
        Ok(out) if out.status.success() => {
            let total: u64 = term_rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                format!("{} {} string", term_rows.len(), total)
            );
        }
        _ => eprintln!(
            "SKIPPED the pyarrow check: no pyarrow at {}",
            python.display()
        ),
    }
}
