//! Writing a rendered report: its files in, the report directory on disk out — staged in a
//! sibling directory and swapped in whole (see [`write`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};

use super::request::ReportError;
use super::Rendered;
use crate::files::{self, Access};

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `GroupedChart` (report/svg/bars.rs): different facts, no shared type.
/// The files a report consists of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    /// The self-contained HTML report.
    pub html: PathBuf,
    /// The Markdown report.
    pub markdown: PathBuf,
    /// The data as JSON.
    pub json: PathBuf,
    /// The CSV tables.
    pub tables: Vec<PathBuf>,
    /// The SVG charts (referenced by the Markdown report).
    pub charts: Vec<PathBuf>,
}

/// Writes the report into `dir` as a whole: the files are written into a new sibling
/// directory, which then replaces `dir` in one step, so an interrupted run leaves the old
/// report or the new one, never a mix (and the next run removes what a killed one left).
/// Only report files are written, and a `dir` holding anything else is refused rather than
/// replaced; a symbolic link at `dir` is replaced, never followed.
pub fn write(rendered: &Rendered, dir: &Path) -> Result<ReportFiles, ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    let staged =
        files::StagedDir::create(dir, Access::Shared, &report_files_only).map_err(io(dir))?;
    let root = staged.path().to_path_buf();
    let write_file = |rel: &str, bytes: &[u8]| -> Result<PathBuf, ReportError> {
        let mut file =
            files::new_file(&root.join(rel), Access::Shared).map_err(io(&dir.join(rel)))?;
        file.write_all(bytes).map_err(io(&dir.join(rel)))?;
        Ok(dir.join(rel))
    };
    let html = write_file("report.html", rendered.html.as_bytes())?;
    let markdown = write_file("report.md", rendered.markdown.as_bytes())?;
    let json = write_file("data.json", &rendered.json)?;
    for sub in ["charts", "tables"] {
        std::fs::create_dir(root.join(sub)).map_err(io(&dir.join(sub)))?;
    }
    let mut charts = Vec::new();
    for chart in &rendered.charts {
        charts.push(write_file(
            &format!("charts/{}", chart.file),
            chart.svg.as_bytes(),
        )?);
    }
    let mut tables = Vec::new();
    for (name, bytes) in &rendered.tables {
        tables.push(write_file(&format!("tables/{name}"), bytes)?);
    }
    staged.commit().map_err(io(dir))?;
    Ok(ReportFiles {
        html,
        markdown,
        json,
        tables,
        charts,
    })
}

/// Accepts an existing `--out` directory only when it holds nothing but a report (its files,
/// `charts/*.svg`, `tables/*.csv`, temporary files of older versions, or links in their
/// place): replacing it then loses nothing else.
fn report_files_only(dir: &Path) -> Result<(), String> {
    let foreign = |path: &Path| {
        Err(format!(
            "holds {}, which is not part of a report; the report directory is replaced as a whole, so choose an empty or new --out (or one holding only a report)",
            path.display()
        ))
    };
    let entries = |dir: &Path| -> Result<Vec<std::fs::DirEntry>, String> {
        std::fs::read_dir(dir)
            .and_then(|e| e.collect::<Result<Vec<_>, _>>())
            .map_err(|e| e.to_string())
    };
    let leftover = |name: &str| name.starts_with('.') && name.ends_with(".tmp");
    for entry in entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().map_err(|e| e.to_string())?;
        let sub = match name.as_str() {
            "report.html" | "report.md" | "data.json" => None,
            "charts" => Some(".svg"),
            "tables" => Some(".csv"),
            _ if leftover(&name) => None,
            _ => return foreign(&entry.path()),
        };
        let Some(extension) = sub.filter(|_| file_type.is_dir()) else {
            if file_type.is_dir() {
                return foreign(&entry.path());
            }
            continue;
        };
        for inner in entries(&entry.path())? {
            let inner_name = inner.file_name().to_string_lossy().into_owned();
            let plain = inner.file_type().is_ok_and(|t| !t.is_dir());
            if !(plain && (inner_name.ends_with(extension) || leftover(&inner_name))) {
                return foreign(&inner.path());
            }
        }
    }
    Ok(())
}

/// A timestamp for `--timestamp` (RFC 3339, UTC, seconds).
pub fn now() -> String {
    Utc.timestamp_opt(Utc::now().timestamp(), 0)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_report_directory_with_other_files_is_not_replaced(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("tables"))?;
        std::fs::write(out.join("report.html"), "old")?;
        std::fs::write(out.join("tables/overview.csv"), "old")?;
        std::fs::write(out.join(".report.html.123.tmp"), "")?;
        std::os::unix::fs::symlink(dir.path(), out.join("charts"))?;
        assert_eq!(report_files_only(&out), Ok(()));
        std::fs::write(out.join("tables/notes.txt"), "mine")?;
        let refused = report_files_only(&out).unwrap_err();
        assert!(refused.contains("notes.txt"), "{refused}");
        Ok(())
    }
}
