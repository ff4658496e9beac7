//! Where ingest and report write, and what happens when they cannot: nothing outside the
//! paths the user named, never into the input tree, and a read-only or full location is a
//! clear error that leaves the index at its last commit.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::{n, Workspace};

/// Every path under `root` (relative), with its contents (files), target (symlinks) or a
/// marker (directories).
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The entries of `after` that are new or changed since `before`, and those that are gone.
fn changes(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> (Vec<String>, Vec<String>) {
    let changed = after
        .iter()
        .filter(|(path, contents)| before.get(*path) != Some(*contents))
        .map(|(path, _)| path.clone())
        .collect();
    let gone = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .cloned()
        .collect();
    (changed, gone)
}

fn record(id: &str, text: &str) -> String {
    format!(r#"{{"id":"{id}","outlet":"x","published":"2022-01-05","text":"{text}"}}"#)
}

fn input_tree(ws: &Workspace) {
    ws.write(
        "in/a.jsonl",
        format!(
            "{}\n{}\n{{broken\n",
            record("a1", "Первый текст."),
            record("a2", "Первый текст.")
        ),
    );
    ws.write(
        "in/sub/x_2022-01-05_news.txt",
        "Title: Заметка\n\nТекст заметки.\n",
    );
    ws.write(
        "in/sub/x_2022-01-05_news.txt.meta.json",
        r#"{"outlet":"y"}"#,
    );
    ws.write("in/sub/notes.md", "not an input");
    ws.write("in/gz/b.jsonl.gz", gzip(&record("b1", "Сжатый текст.")));
    std::os::unix::fs::symlink("..", ws.path("in/sub/loop")).unwrap();
}

fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

#[test]
fn ingest_writes_only_the_index_and_rejects_it_is_given() {
    let ws = Workspace::new();
    input_tree(&ws);
    let before = snapshot(ws.dir.path());
    let summary = ws.json(&[
        "ingest",
        "in",
        "--index",
        "out/idx",
        "--rejects",
        "logs/rejected.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(
        [
            n(&summary["indexed"]),
            n(&summary["duplicates"]),
            n(&summary["rejected"])
        ],
        [3, 1, 1],
        "{summary}"
    );
    let (changed, gone) = changes(&before, &snapshot(ws.dir.path()));
    assert!(gone.is_empty(), "removed: {gone:?}");
    // New: the index directory (with the duplicates list, by default inside it) and the
    // rejects file with its parent directories. The input tree and the rest are untouched.
    let outside: Vec<&String> = changed
        .iter()
        .filter(|p| !p.starts_with("out/idx/"))
        .collect();
    assert_eq!(
        outside,
        ["logs/", "logs/rejected.jsonl", "out/"],
        "written outside --index and --rejects"
    );
    assert!(changed.contains(&"out/idx/duplicates.jsonl".to_string()));
    assert!(!changed.contains(&"out/idx/rejects.jsonl".to_string()));

    // --rejects inside the input tree is what the user asked for: that file, nothing else.
    let before = snapshot(ws.dir.path());
    ws.json(&[
        "ingest",
        "in/a.jsonl",
        "--index",
        "out/idx",
        "--rejects",
        "in/rejected.jsonl",
        "--format",
        "json",
    ]);
    let (changed, _) = changes(&before, &snapshot(ws.dir.path()));
    let outside: Vec<&String> = changed
        .iter()
        .filter(|p| !p.starts_with("out/idx/"))
        .collect();
    assert_eq!(outside, ["in/rejected.jsonl"]);
}

#[test]
fn report_writes_only_inside_its_out_directory() {
    let ws = Workspace::new();
    let mut lines = Vec::new();
    for day in 3..=8 {
        lines.push(format!(
            r#"{{"id":"s{day}","outlet":"tv","category":"state","published":"2022-01-{day:02}","text":"Бандиты захватили здания, порядок восстановлен. День {day}."}}"#
        ));
        lines.push(format!(
            r#"{{"id":"i{day}","outlet":"indie","category":"independent","published":"2022-01-{day:02}","text":"Мирные протестующие вышли на площадь. День {day}."}}"#
        ));
    }
    ws.write("docs.jsonl", lines.join("\n"));
    ws.json(&["ingest", "docs.jsonl", "--index", "idx", "--format", "json"]);
    let before = snapshot(ws.dir.path());
    let output = ws
        .cmd()
        .args(["report", "--index", "idx", "--out", "deep/rep", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (changed, gone) = changes(&before, &snapshot(ws.dir.path()));
    assert!(gone.is_empty(), "removed: {gone:?}");
    let outside: Vec<&String> = changed
        .iter()
        .filter(|p| !p.starts_with("deep/rep/"))
        .collect();
    assert_eq!(outside, ["deep/"]);
    assert!(changed.contains(&"deep/rep/report.html".to_string()));
}

/// Runs the binary as a user for whom permissions apply: the current one, or, under root
/// (which ignores permissions), `nobody` through `setpriv`. `None` only when running as root
/// without `setpriv`, after saying why on stderr.
struct Unprivileged {
    setpriv: bool,
}

const NOBODY: u32 = 65534;

impl Unprivileged {
    /// Prepares the workspace: under root it is handed to `nobody`, so that ingest can
    /// create directories in it and a `chmod` below is what stops it.
    fn new(ws: &Workspace) -> Option<Unprivileged> {
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Some(Unprivileged { setpriv: false });
        }
        let available = Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !available {
            eprintln!(
                "SKIPPED: running as root and `setpriv` is not installed, so permissions cannot be tested"
            );
            return None;
        }
        std::os::unix::fs::chown(ws.dir.path(), Some(NOBODY), Some(NOBODY)).unwrap();
        Some(Unprivileged { setpriv: true })
    }

    fn run(&self, ws: &Workspace, args: &[&str]) -> Output {
        let binary = env!("CARGO_BIN_EXE_mediawatch");
        let mut cmd = if self.setpriv {
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", binary]);
            cmd
        } else {
            Command::new(binary)
        };
        let output = cmd.current_dir(ws.dir.path()).args(args).output().unwrap();
        // 126/127: the user could not even start the binary (an untraversable path?).
        assert!(
            !matches!(output.status.code(), Some(126 | 127)),
            "cannot run mediawatch as an unprivileged user: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn documents(&self, ws: &Workspace, index: &str) -> u64 {
        let output = self.run(ws, &["info", "--index", index, "--format", "json"]);
        assert!(
            output.status.success(),
            "info: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let info: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        n(&info["documents"])
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An index `idx` holding one document, written by `user`; `two.jsonl` holds one more
/// good record and one reject.
fn one_document_index(ws: &Workspace, user: &Unprivileged) {
    ws.write("one.jsonl", record("a", "Первый текст.") + "\n");
    ws.write(
        "two.jsonl",
        format!("{}\n{{\"id\":\"bad\"}}\n", record("b", "Второй текст.")),
    );
    let first = user.run(ws, &["ingest", "one.jsonl", "--index", "idx", "--quiet"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(user.documents(ws, "idx"), 1);
}

#[test]
fn ingest_into_a_read_only_index_fails_clearly_and_changes_nothing() {
    let ws = Workspace::new();
    let Some(user) = Unprivileged::new(&ws) else {
        return;
    };
    one_document_index(&ws, &user);
    set_mode(&ws.path("idx"), 0o555);
    let before = snapshot(&ws.path("idx"));
    // With the writer's lock file left by the first ingest, and without it (a copied index):
    // tantivy then fails to create the lock, which must not read as "locked by another ingest".
    for lock in [false, true] {
        if lock {
            // Removing needs a writable directory, briefly.
            set_mode(&ws.path("idx"), 0o755);
            std::fs::remove_file(ws.path("idx/.tantivy-writer.lock")).unwrap();
            set_mode(&ws.path("idx"), 0o555);
        }
        let output = user.run(&ws, &["ingest", "two.jsonl", "--index", "idx", "--quiet"]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{message}");
        assert!(
            message.contains("cannot write to index idx")
                && message.contains("Permission denied")
                && message.contains("--index")
                && !message.contains("locked"),
            "{message}"
        );
        // Reading a read-only index works.
        assert_eq!(user.documents(&ws, "idx"), 1);
        let search = user.run(
            &ws,
            &["search", "текст", "--index", "idx", "--format", "json"],
        );
        assert!(search.status.success(), "{}", stderr(&search));
        let hits: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
        assert_eq!(n(&hits["total"]), 1);
    }
    let mut after = snapshot(&ws.path("idx"));
    after.insert(".tantivy-writer.lock".into(), Vec::new());
    assert_eq!(
        changes(&before, &after),
        (vec![], vec![]),
        "the index changed"
    );
    set_mode(&ws.path("idx"), 0o755);
}

#[test]
fn rejects_in_a_read_only_directory_fail_before_anything_is_committed() {
    let ws = Workspace::new();
    let Some(user) = Unprivileged::new(&ws) else {
        return;
    };
    one_document_index(&ws, &user);
    std::fs::create_dir(ws.path("ro")).unwrap();
    set_mode(&ws.path("ro"), 0o555);
    let output = user.run(
        &ws,
        &[
            "ingest",
            "two.jsonl",
            "--index",
            "idx",
            "--rejects",
            "ro/rejects.jsonl",
            "--quiet",
        ],
    );
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("cannot write the rejects file ro/rejects.jsonl")
            && message.contains("Permission denied")
            && message.contains("--rejects"),
        "{message}"
    );
    assert_eq!(user.documents(&ws, "idx"), 1);
    assert!(!ws.path("ro/rejects.jsonl").exists());
    set_mode(&ws.path("ro"), 0o755);
}

#[test]
fn rejects_on_a_full_device_fail_and_the_index_keeps_its_last_commit() {
    let ws = Workspace::new();
    let user = Unprivileged { setpriv: false };
    one_document_index(&ws, &user);
    // /dev/full accepts the open and fails every write with ENOSPC.
    let output = ws
        .cmd()
        .args([
            "ingest",
            "two.jsonl",
            "--index",
            "idx",
            "--rejects",
            "/dev/full",
            "--quiet",
        ])
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("cannot write the rejects file /dev/full")
            && message.contains("No space left on device")
            && message.contains("keeps its last commit"),
        "{message}"
    );
    assert_eq!(user.documents(&ws, "idx"), 1);
    // Fixing the location and re-running completes the ingest.
    let summary = ws.json(&["ingest", "two.jsonl", "--index", "idx", "--format", "json"]);
    assert_eq!([n(&summary["indexed"]), n(&summary["rejected"])], [1, 1]);
    assert_eq!(user.documents(&ws, "idx"), 2);
}

/// A tmpfs mounted for one test, unmounted when dropped (also when the test fails).
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).unwrap();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| SmallDisk(path.to_path_buf()))
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Text that compresses poorly, so a few MB of it fill a small disk.
fn noise(seed: u64, words: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ка", "ро", "мин", "сту", "лев", "дар", "пол", "ни", "ше", "гу", "то", "зэ", "бра", "фи",
        "хо", "цу",
    ];
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut out = String::new();
    for _ in 0..words {
        for _ in 0..3 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.push_str(SYLLABLES[(state >> 60) as usize]);
        }
        out.push(' ');
    }
    out
}

#[test]
fn ingest_on_a_full_disk_fails_clearly_and_a_rerun_completes_it() {
    let ws = Workspace::new();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let Some(disk) = (unsafe { libc::geteuid() } == 0)
        .then(|| SmallDisk::mount(&ws.path("disk"), "1m"))
        .flatten()
    else {
        eprintln!("SKIPPED: mounting a small tmpfs needs root (ENOSPC on the index is documented in README, Robustness)");
        return;
    };
    let small: Vec<String> = (0..20)
        .map(|i| record(&format!("s{i}"), &noise(i, 20)))
        .collect();
    ws.write("small.jsonl", small.join("\n"));
    let big: Vec<String> = (0..3000)
        .map(|i| record(&format!("b{i}"), &noise(1000 + i, 150)))
        .collect();
    ws.write("big.jsonl", big.join("\n"));
    let first = ws.json(&[
        "ingest",
        "small.jsonl",
        "--index",
        "disk/idx",
        "--format",
        "json",
    ]);
    assert_eq!(n(&first["indexed"]), 20);

    let output = ws
        .cmd()
        .args(["ingest", "big.jsonl", "--index", "disk/idx", "--quiet"])
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("no space left on the device holding index disk/idx")
            && message.contains("keeps its last commit"),
        "{message}"
    );
    let user = Unprivileged { setpriv: false };
    assert_eq!(user.documents(&ws, "disk/idx"), 20);

    disk.resize("256m");
    let rerun = ws.json(&[
        "ingest",
        "big.jsonl",
        "--index",
        "disk/idx",
        "--format",
        "json",
    ]);
    assert_eq!(n(&rerun["indexed"]), 3000);
    assert_eq!(user.documents(&ws, "disk/idx"), 3020);
}
