//! Test harness: a temporary workspace, the binary, fixture paths, and indexes that many
//! tests read, built once per run.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use mediawatch::index::stored::{self, StoredDocument};
use tempfile::TempDir;

/// Path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Path of a file under the repository's `corpus/`.
pub fn corpus(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel)
        .display()
        .to_string()
}

/// A temporary directory for one test.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// Links `name` in the workspace to a shared fixture directory (read-only use).
    pub fn link(&self, name: &str, target: &Path) {
        std::os::unix::fs::symlink(target, self.path(name)).expect("link fixture");
    }

    /// A workspace whose `idx` is the search fixture's index (built once per run).
    pub fn with_search_index() -> Workspace {
        let ws = Workspace::new();
        ws.link("idx", &shared("search", build_search_index).join("idx"));
        ws
    }

    /// A workspace whose `idx` and `rep` are the main job's index and report of the bundled
    /// corpus (built once per run).
    pub fn with_main_job() -> Workspace {
        let ws = Workspace::new();
        let shared = shared("main-job", build_main_job);
        ws.link("idx", &shared.join("idx"));
        ws.link("rep", &shared.join("rep"));
        ws
    }

    /// A workspace whose `idx` holds the bundled corpus's documents (its four input folders,
    /// ingested with its registry; built once per run).
    pub fn with_bundled_corpus() -> Workspace {
        let ws = Workspace::new();
        ws.link("idx", &shared("corpus", build_corpus_index).join("idx"));
        ws
    }

    /// The `mediawatch` binary, run inside the workspace.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("mediawatch").expect("binary");
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// Runs a command expected to succeed and parses its stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let output = self.cmd().args(args).output().expect("run");
        assert!(
            output.status.success(),
            "mediawatch {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("JSON output")
    }

    /// Ingests `docs` into `index` (a path under the workspace) with the search fixture's
    /// registry (`search/sources.csv`); the ingest summary's JSON.
    pub fn ingest_with_search_sources(&self, docs: &Path, index: &str) -> serde_json::Value {
        let sources = fixture("search/sources.csv");
        self.json(&[
            "ingest",
            docs.to_str().unwrap(),
            "--sources",
            sources.to_str().unwrap(),
            "--index",
            index,
            "--format",
            "json",
        ])
    }

    /// Every stored document of the index at `rel`, sorted by id.
    pub fn documents(&self, rel: &str) -> Vec<StoredDocument> {
        let index = mediawatch::index::open(&self.path(rel)).expect("open index");
        let reader = index.reader().expect("reader");
        stored::all(&reader.searcher()).expect("documents")
    }
}

/// A JSON number as u64 (panics with the value when it is not one).
pub fn n(value: &serde_json::Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

/// A fixture directory built once per test run by `build` (in a workspace of its own) and
/// shared read-only by every test that asks for `name`.
fn shared(name: &'static str, build: fn(&Workspace)) -> &'static Path {
    static SEARCH: OnceLock<Workspace> = OnceLock::new();
    static MAIN_JOB: OnceLock<Workspace> = OnceLock::new();
    static CORPUS: OnceLock<Workspace> = OnceLock::new();
    let cell = match name {
        "search" => &SEARCH,
        "corpus" => &CORPUS,
        _ => &MAIN_JOB,
    };
    cell.get_or_init(|| {
        let ws = Workspace::new();
        build(&ws);
        ws
    })
    .dir
    .path()
}

/// The search fixture (state and independent outlets around the blackout) in `idx`.
fn build_search_index(ws: &Workspace) {
    ws.ingest_with_search_sources(&fixture("search/docs.jsonl"), "idx");
}

/// The main job on the bundled corpus: its index in `idx`, its report in `rep`.
fn build_main_job(ws: &Workspace) {
    let output = ws
        .cmd()
        .args([
            "run",
            "--corpus",
            &corpus(""),
            "--index",
            "idx",
            "--report",
            "rep",
            "--quiet",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Standard output stays one JSON document; the report's path goes to stderr.
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(summary["indexed"].as_u64().unwrap() >= 400);
    assert!(String::from_utf8_lossy(&output.stderr).contains("report.html"));
}

/// The bundled corpus's documents in `idx`: every record indexed, no unknown outlet.
fn build_corpus_index(ws: &Workspace) {
    let summary = ws.json(&[
        "ingest",
        &corpus("tv"),
        &corpus("agency"),
        &corpus("online"),
        &corpus("regional"),
        "--sources",
        &corpus("sources.csv"),
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_eq!(n(&summary["rejected"]), 0, "{summary}");
    assert!(n(&summary["indexed"]) >= 400);
    assert!(summary["unknown_outlets"].as_object().unwrap().is_empty());
}

/// Peak resident memory of a finished child, in bytes, from `wait4` (which reaps it).
pub fn wait_with_peak_rss(child: std::process::Child) -> (std::process::ExitStatus, u64) {
    use std::os::unix::process::ExitStatusExt;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of a plain C struct, and both pointers
    // are to live locals for the duration of the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: `pid` is our own unreaped child; `std` never waits for it after this.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    // Linux reports ru_maxrss in KiB.
    let peak = u64::try_from(usage.ru_maxrss).unwrap() * 1024;
    (std::process::ExitStatus::from_raw(status), peak)
}

/// Runs `cmd` and returns its exit status and peak RSS; a child still running after
/// `deadline` is killed (so a hang fails the test instead of stalling the suite).
pub fn run_with_peak_rss(
    cmd: &mut std::process::Command,
    deadline: std::time::Duration,
) -> (std::process::ExitStatus, u64) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let done = Arc::new(AtomicBool::new(false));
    let watch = Arc::clone(&done);
    std::thread::spawn(move || {
        let start = std::time::Instant::now();
        while start.elapsed() < deadline {
            if watch.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if !watch.load(Ordering::Relaxed) {
            // SAFETY: sends SIGKILL to our own child, not yet reaped (`done` is still false).
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let result = wait_with_peak_rss(child);
    done.store(true, Ordering::Relaxed);
    result
}
