//! Test harness: a temporary workspace, the binary, and fixture paths.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use mediawatch::index::stored::{self, StoredDocument};
use tempfile::TempDir;

/// Path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
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
