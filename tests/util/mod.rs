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
