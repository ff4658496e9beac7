//! Discovery of untrusted input trees: only what the user named is read — links out of the
//! tree, special files, registries, sidecars and excluded paths are listed as skipped, never
//! opened and never rejects — and odd names or depths do not stop an ingest.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use crate::util::{n, Workspace};

fn record(id: &str, text: &str) -> String {
    format!(r#"{{"id":"{id}","outlet":"x","published":"2022-01-05","text":"{text}"}}"#) + "\n"
}

/// Runs `mediawatch ARGS --format json` (killed after a minute, so a hang fails instead of
/// stalling the suite) and returns its exit code, stdout as JSON (null when not JSON) and
/// stderr.
fn run(ws: &Workspace, args: &[&str]) -> (i32, serde_json::Value, String) {
    let output = ws
        .cmd()
        .args(args)
        .args(["--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), json, stderr)
}

fn ingest(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["ingest"];
    all.extend_from_slice(args);
    let (code, summary, stderr) = run(ws, &all);
    assert_eq!(code, 0, "{stderr}");
    let accounted = n(&summary["indexed"]) + n(&summary["duplicates"]) + n(&summary["rejected"]);
    assert_eq!(n(&summary["read"]), accounted, "{summary}");
    summary
}

/// `(file name, reason)` of every skipped path, sorted.
fn skipped(summary: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            (name.into_owned(), s["reason"].as_str().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

fn hits(ws: &Workspace, query: &str) -> u64 {
    let (code, results, stderr) = run(ws, &["search", query, "--index", "idx"]);
    assert_eq!(code, 0, "{stderr}");
    n(&results["total"])
}

fn pair(name: &str, reason: &str) -> (String, String) {
    (name.to_string(), reason.to_string())
}

#[test]
fn links_out_of_the_input_tree_are_skipped_unless_followed() {
    let ws = Workspace::new();
    ws.write(
        "outside/secret_2022-01-05.txt",
        "Совершенно секретный документ.\n",
    );
    ws.write("outside/dir/more.jsonl", record("o1", "Секретная запись."));
    ws.write("in/real/a.jsonl", record("a", "Обычная запись."));
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(ws.path(target), ws.path(at)).unwrap();
    };
    // A file link and a directory link leaving the tree, and a link that stays inside it.
    link("outside/secret_2022-01-05.txt", "in/leak_2022-01-05.txt");
    link("outside/dir", "in/etc");
    link("in/real/a.jsonl", "in/b.jsonl");

    let summary = ingest(&ws, &["in", "--index", "idx"]);
    assert_eq!(n(&summary["indexed"]), 1, "{summary}");
    // The inside link is read: the same text again, already indexed.
    assert_eq!(n(&summary["duplicates"]), 1, "{summary}");
    assert_eq!(
        skipped(&summary),
        [
            pair("etc", "outside_input_tree"),
            pair("leak_2022-01-05.txt", "outside_input_tree")
        ]
    );
    let detail = summary["skipped"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("--follow-symlinks"), "{detail}");
    // "секретный" and "секретная" share a stem: both documents would match.
    assert_eq!(hits(&ws, "секретный"), 0);

    let summary = ingest(&ws, &["in", "--index", "idx", "--follow-symlinks"]);
    assert_eq!(n(&summary["indexed"]), 2, "{summary}");
    assert_eq!(summary["skipped"], serde_json::json!([]));
    assert_eq!(hits(&ws, "секретный"), 2);
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn special_files_are_never_opened() {
    let ws = Workspace::new();
    ws.write("in/good.jsonl", record("g", "Нормальная запись."));
    mkfifo(&ws.path("in/pipe.jsonl"));
    std::os::unix::fs::symlink("/dev/zero", ws.path("in/zero.jsonl")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", ws.path("in/random.csv")).unwrap();

    let summary = ingest(&ws, &["in", "--index", "idx"]);
    assert_eq!([n(&summary["read"]), n(&summary["indexed"])], [1, 1]);
    assert_eq!(
        skipped(&summary),
        [
            pair("pipe.jsonl", "special_file"),
            pair("random.csv", "outside_input_tree"),
            pair("zero.jsonl", "outside_input_tree"),
        ]
    );
    // Followed, the devices are still special files, not endless inputs.
    let summary = ingest(&ws, &["in", "--index", "idx", "--follow-symlinks"]);
    assert_eq!(n(&summary["read"]), 1);
    assert_eq!(
        skipped(&summary),
        [
            pair("pipe.jsonl", "special_file"),
            pair("random.csv", "special_file"),
            pair("zero.jsonl", "special_file"),
        ]
    );
    // Named on the command line, a FIFO is an error before anything is written.
    let (code, _, stderr) = run(&ws, &["ingest", "in/pipe.jsonl", "--index", "idx2"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("in/pipe.jsonl") && stderr.contains("FIFO"),
        "{stderr}"
    );
    assert!(!ws.path("idx2").exists());
}

#[test]
fn registries_sidecars_manifests_and_excluded_paths_are_skipped_not_rejected() {
    let ws = Workspace::new();
    let generated = ws
        .cmd()
        .args(["generate", "--docs", "20", "--out", "in/gen"])
        .output();
    assert!(generated.unwrap().status.success());
    ws.write(
        "in/registry/outlets.csv",
        "outlet,name,category,medium\nx,X,state,article\n",
    );
    ws.write(
        "in/registry/gazetteer.csv",
        "id,type,name,aliases\ntokayev,person,Tokayev,Токаев\n",
    );
    ws.write(
        "in/registry/lexicon.tsv",
        "frame\tlang\tpattern\nriot\tru\tбунт*\n",
    );
    ws.write("in/tv/x_2022-01-05.txt", "Текст передачи.\n");
    ws.write("in/tv/x_2022-01-05.txt.meta.json", r#"{"title":"Вечер"}"#);
    ws.write("in/my_sources.csv", "outlet,name,category\nx,X,state\n");
    ws.write("in/drafts/d.jsonl", record("d", "Черновик."));
    ws.write("in/old.bak.jsonl", record("b", "Старая копия."));
    ws.write(
        "in/.mediawatchignore",
        "# drafts are not published\ndrafts/\n",
    );

    let summary = ingest(
        &ws,
        &[
            "in",
            "--index",
            "idx",
            "--sources",
            "in/my_sources.csv",
            "--exclude",
            "*.bak.jsonl",
        ],
    );
    // The 20 generated documents and the transcript; nothing rejected.
    assert_eq!(n(&summary["indexed"]), 21, "{summary}");
    assert_eq!(n(&summary["rejected"]), 0, "{summary}");
    assert_eq!(
        skipped(&summary),
        [
            pair("drafts", "excluded"),
            pair("gazetteer.csv", "not_document"),
            pair("lexicon.tsv", "not_document"),
            pair("manifest.json", "not_document"),
            pair("my_sources.csv", "not_document"),
            pair("old.bak.jsonl", "excluded"),
            pair("outlets.csv", "not_document"),
            pair("sources.csv", "not_document"),
            pair("x_2022-01-05.txt.meta.json", "not_document"),
        ]
    );
    let files: Vec<&str> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["in/gen/docs.jsonl", "in/tv/x_2022-01-05.txt"]);

    // The table says so once per reason.
    let output = ws
        .cmd()
        .args(["ingest", "in", "--index", "idx", "--exclude", "*.bak.jsonl"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("Skipped (not documents): 7 — in/gen/manifest.json"),
        "{table}"
    );
    assert!(
        table.contains("Skipped (excluded): 2 — in/drafts"),
        "{table}"
    );
}

#[test]
fn input_format_reads_every_file_as_the_named_format_whatever_its_extension() {
    let ws = Workspace::new();
    ws.write(
        "in/a.data",
        record("a1", "Первый текст.") + &record("a2", "Второй текст."),
    );
    ws.write("in/sub/b.data", record("b1", "Третий текст."));
    // Guessed from extensions, `.data` is no known format: nothing is indexed.
    let guessed = ingest(&ws, &["in", "--index", "guessed"]);
    assert_eq!(n(&guessed["indexed"]), 0, "{guessed}");
    // Forced, both files (the nested one too) are read as JSON lines.
    let forced = ingest(&ws, &["in", "--index", "idx", "--input-format", "jsonl"]);
    assert_eq!(n(&forced["indexed"]), 3, "{forced}");
    assert_eq!(n(&forced["rejected"]), 0, "{forced}");
    assert_eq!(hits(&ws, "текст"), 3);
}

#[test]
fn a_non_utf8_file_name_is_read_under_a_lossy_name() {
    let ws = Workspace::new();
    std::fs::create_dir(ws.path("in")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9_2022-01-05.txt");
    std::fs::write(
        ws.path("in").join(name),
        "Текст из файла с именем в Latin-1.\n",
    )
    .unwrap();
    let summary = ingest(&ws, &["in", "--index", "idx"]);
    assert_eq!(n(&summary["indexed"]), 1, "{summary}");
    assert_eq!(summary["files"][0]["path"], "in/caf\u{fffd}_2022-01-05.txt");
    let docs = ws.documents("idx");
    assert_eq!(docs[0].outlet, "caf\u{fffd}");
}

#[test]
fn paths_over_the_system_limit_are_skipped_with_a_notice() {
    let ws = Workspace::new();
    ws.write("in/top.jsonl", record("t", "Запись у корня."));
    // 30 levels of 200-byte names: over PATH_MAX (4096), so built relative to each level's
    // descriptor (mkdirat / openat), as no path reaches the bottom.
    let name = std::ffi::CString::new("d".repeat(200)).unwrap();
    let top = std::ffi::CString::new(ws.path("in").as_os_str().as_bytes()).unwrap();
    // SAFETY: valid NUL-terminated paths; every descriptor opened here is closed here.
    unsafe {
        let mut dir = libc::open(top.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
        assert!(dir >= 0);
        for _ in 0..30 {
            assert_eq!(libc::mkdirat(dir, name.as_ptr(), 0o755), 0);
            let next = libc::openat(dir, name.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
            assert!(next >= 0);
            libc::close(dir);
            dir = next;
        }
        let file = std::ffi::CString::new("deep.jsonl").unwrap();
        let fd = libc::openat(dir, file.as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o644);
        assert!(fd >= 0);
        let text = record("deep", "Глубокая запись.");
        assert_eq!(
            libc::write(fd, text.as_ptr().cast(), text.len()),
            text.len() as isize
        );
        libc::close(fd);
        libc::close(dir);
    }
    let summary = ingest(&ws, &["in", "--index", "idx"]);
    assert_eq!(n(&summary["indexed"]), 1, "{summary}");
    let skipped = summary["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{summary}");
    assert_eq!(skipped[0]["reason"], "path_too_long");
    assert!(skipped[0]["path"].as_str().unwrap().len() >= 4096 - 201);
}
