//! Writing a rendered report: its files in, the files on disk out — each written as a new
//! regular file (a temporary file renamed over the old one), only inside the output
//! directory, replacing rather than following any symbolic link found there.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};

use super::request::ReportError;
use super::Rendered;

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

/// Writes the report into `dir` (created when missing). Only files inside `dir` are written,
/// and a symbolic link found in place of one of them (or of `tables/`, `charts/`) is replaced,
/// never followed.
pub fn write(rendered: &Rendered, dir: &Path) -> Result<ReportFiles, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let html = dir.join("report.html");
    write_file(&html, rendered.html.as_bytes())?;
    let markdown = dir.join("report.md");
    write_file(&markdown, rendered.markdown.as_bytes())?;
    let json = dir.join("data.json");
    write_file(&json, &rendered.json)?;
    let charts_dir = dir.join("charts");
    make_dir(&charts_dir)?;
    let mut charts = Vec::new();
    for chart in &rendered.charts {
        let path = charts_dir.join(chart.file);
        write_file(&path, chart.svg.as_bytes())?;
        charts.push(path);
    }
    let tables_dir = dir.join("tables");
    make_dir(&tables_dir)?;
    let mut tables = Vec::new();
    for (name, bytes) in &rendered.tables {
        let path = tables_dir.join(name);
        write_file(&path, bytes)?;
        tables.push(path);
    }
    Ok(ReportFiles {
        html,
        markdown,
        json,
        tables,
        charts,
    })
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Creates directory `path`, replacing a symbolic link found there.
fn make_dir(path: &Path) -> Result<(), ReportError> {
    let err = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if is_symlink(path) {
        std::fs::remove_file(path).map_err(err)?;
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(err(std::io::Error::other(
            "exists and is not a directory; remove it or choose another --out",
        ))),
        Err(_) => std::fs::create_dir(path).map_err(err),
    }
}

/// Writes `bytes` to `path` as a new regular file: a symbolic link in its place is removed
/// first, and the data goes to a fresh temporary file (created exclusively, so it cannot be a
/// link either) that is then renamed over `path`.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let err = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if is_symlink(path) {
        std::fs::remove_file(path).map_err(err)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    if std::fs::symlink_metadata(&temp).is_ok() {
        std::fs::remove_file(&temp).map_err(err)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(err)?;
    let written = file.write_all(bytes).and_then(|_| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|_| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(err(e));
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
    fn symlinks_are_replaced_not_followed() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep")?;
        let out = dir.path().join("out");
        std::fs::create_dir(&out)?;
        let link = out.join("report.html");
        std::os::unix::fs::symlink(&outside, &link)?;
        write_file(&link, b"new")?;
        assert_eq!(std::fs::read_to_string(&outside)?, "keep");
        assert!(!std::fs::symlink_metadata(&link)?.file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&link)?, "new");
        let tables = out.join("tables");
        std::os::unix::fs::symlink(dir.path(), &tables)?;
        make_dir(&tables)?;
        assert!(std::fs::symlink_metadata(&tables)?.is_dir());
        Ok(())
    }
}
