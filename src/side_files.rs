//! The JSONL side files of an ingest: rejects and duplicates in, lines on disk out.
//!
//! Each file is created fresh without following a symbolic link planted in its place, and an
//! existing file is replaced only when it is one mediawatch wrote (empty, or JSON lines with
//! `file` and `line`) — a wrong `--rejects` never truncates someone's data. Rejects are capped
//! per input file: past the cap they are counted, and one summary line per file says how many
//! were left out and why.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::files::{self, Access};
use crate::ingest::record::Reject;

/// Code of the line that stands for the rejects left out of a file past the cap.
pub const CAPPED_CODE: &str = "rejects_capped";

/// A side file that cannot be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the {what} file {}: {error}", path.display())]
pub struct OutputError {
    /// Which file: `rejects` or `duplicates`.
    pub what: &'static str,
    /// The file.
    pub path: PathBuf,
    /// Underlying error.
    pub error: std::io::Error,
}

/// A JSON-lines file being written.
pub struct JsonlOut {
    what: &'static str,
    path: PathBuf,
    out: BufWriter<File>,
}

/// Whether `path` holds what mediawatch writes into a side file: nothing, or a first line that
/// is a JSON object with `file` and `line`.
fn written_by_us(path: &Path) -> bool {
    let Ok(file) = files::open_regular(path, false) else {
        return false;
    };
    let mut first = Vec::new();
    if BufReader::new(file)
        .take(1 << 20)
        .read_until(b'\n', &mut first)
        .is_err()
    {
        return false;
    }
    if first.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    serde_json::from_slice::<serde_json::Value>(&first)
        .ok()
        .and_then(|v| {
            v.as_object()
                .map(|o| o.contains_key("file") && o.contains_key("line"))
        })
        .unwrap_or(false)
}

impl JsonlOut {
    /// Creates (or replaces) the side file `what` at `path`, its parent directories included.
    pub fn create(
        what: &'static str,
        path: &Path,
        access: Access,
    ) -> Result<JsonlOut, OutputError> {
        let output = |error| OutputError {
            what,
            path: path.to_path_buf(),
            error,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            files::create_dir_all(parent, access).map_err(output)?;
        }
        let file = files::create_fresh(path, access, &written_by_us).map_err(output)?;
        Ok(JsonlOut {
            what,
            path: path.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    fn error(&self, error: std::io::Error) -> OutputError {
        OutputError {
            what: self.what,
            path: self.path.clone(),
            error,
        }
    }

    /// Appends one line.
    pub fn write(&mut self, value: &impl Serialize) -> Result<(), OutputError> {
        serde_json::to_writer(&mut self.out, value).map_err(|e| self.error(e.into()))?;
        self.out.write_all(b"\n").map_err(|e| self.error(e))
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.out.flush().map_err(|e| self.error(e))
    }
}

/// Rejects left out of one file past the cap.
#[derive(Debug, Default)]
struct LeftOut {
    count: u64,
    first_line: u64,
    last_line: u64,
    codes: BTreeMap<&'static str, u64>,
}

/// The rejects file, with at most `cap` lines per input file (plus one summary line).
pub struct RejectsOut {
    out: JsonlOut,
    cap: u64,
    written: Vec<u64>,
    left_out: BTreeMap<usize, LeftOut>,
}

impl RejectsOut {
    /// Wraps a rejects file for `files` input files.
    pub fn new(out: JsonlOut, files: usize, cap: u64) -> RejectsOut {
        RejectsOut {
            out,
            cap,
            written: vec![0; files],
            left_out: BTreeMap::new(),
        }
    }

    /// Writes the reject of the input file at position `file`, or counts it once that file's
    /// cap is reached.
    pub fn write(&mut self, file: usize, reject: &Reject) -> Result<(), OutputError> {
        if self.written[file] < self.cap {
            self.written[file] += 1;
            return self.out.write(reject);
        }
        let left = self.left_out.entry(file).or_default();
        if left.count == 0 {
            left.first_line = reject.line;
        }
        left.count += 1;
        left.last_line = reject.line;
        *left.codes.entry(reject.code).or_default() += 1;
        Ok(())
    }

    /// Writes one summary line per capped file (`names[i]` is file `i`) and flushes.
    pub fn finish(mut self, names: &[String]) -> Result<(), OutputError> {
        for (&file, left) in &self.left_out {
            let codes: Vec<String> = left
                .codes
                .iter()
                .map(|(code, n)| format!("{code} {n}"))
                .collect();
            let summary = Reject {
                file: names[file].clone(),
                line: left.first_line,
                code: CAPPED_CODE,
                reason: format!(
                    "{} more rejects of this file (lines {}–{}) are counted but not written, past --max-rejects-per-file {}: {}",
                    left.count,
                    left.first_line,
                    left.last_line,
                    self.cap,
                    codes.join(", ")
                ),
                raw: String::new(),
            };
            self.out.write(&summary)?;
        }
        self.out.finish()
    }
}

// Repeated shape: the usual test module opening (a temporary directory per test).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::record::RejectReason;

    #[test]
    fn rejects_past_the_cap_become_one_summary_line() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("rejects.jsonl");
        let out = JsonlOut::create("rejects", &path, Access::Shared)?;
        let mut rejects = RejectsOut::new(out, 2, 3);
        for line in 1..=10 {
            let reason = if line % 2 == 0 {
                RejectReason::MissingText
            } else {
                RejectReason::MissingDate
            };
            rejects.write(0, &Reject::new("a", line, reason, "x"))?;
        }
        rejects.write(1, &Reject::new("b", 1, RejectReason::MissingText, ""))?;
        rejects.finish(&["a".into(), "b".into()])?;
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)?
            .lines()
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?;
        // Three of a, b's one, then a's summary: seven left out, lines 4–10.
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[3]["file"], "b");
        assert_eq!(lines[4]["code"], CAPPED_CODE);
        assert_eq!(lines[4]["line"], 4);
        let reason = lines[4]["reason"].as_str().unwrap_or_default();
        assert!(
            reason.starts_with("7 more rejects of this file (lines 4–10)")
                && reason.ends_with("missing_date 3, missing_text 4"),
            "{reason}"
        );
        Ok(())
    }

    #[test]
    fn a_file_we_did_not_write_is_not_replaced() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "my notes\n")?;
        let err = JsonlOut::create("rejects", &path, Access::Shared)
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("not written by mediawatch"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path)?, "my notes\n");
        std::fs::write(&path, "{\"file\":\"a\",\"line\":1}\n")?;
        JsonlOut::create("rejects", &path, Access::Shared)?.finish()?;
        assert_eq!(std::fs::read_to_string(&path)?, "");
        Ok(())
    }
}
