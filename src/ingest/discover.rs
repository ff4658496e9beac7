//! Input discovery: the paths a user named in, the files to read and every path passed over
//! (with why) out.
//!
//! Directories are walked in sorted order, each entry looked at once (`lstat`, plus one
//! `realpath` for a symbolic link), so discovery is linear in the size of the tree. What is
//! not read is listed as [`Skipped`], never silently dropped and never a reject:
//! symbolic links leading outside the named inputs (unless `--follow-symlinks`), FIFOs,
//! devices and sockets, files that are not documents (sidecars, registries, `generate`'s
//! manifest, unknown formats), `--exclude` / `.mediawatchignore` matches, paths over the
//! system's length limit, directories already visited (link loops) and unreadable entries.
//! Hidden entries (`.name`) are passed over without a notice.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::io::{BufRead, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use serde::Serialize;

use crate::files;
use crate::ingest::fields::{Field, FieldMap};
use crate::ingest::source::{self, InputFile, InputFormat};
use crate::ingest::IngestError;

/// Name of the per-directory file of paths to leave out (gitignore syntax).
pub const IGNORE_FILE: &str = ".mediawatchignore";

/// Largest `.mediawatchignore` read.
const IGNORE_FILE_CAP: u64 = 1 << 20;

/// Bytes of a CSV file looked at for a registry header, and of a `manifest.json`.
const SNIFF_CAP: u64 = 1 << 20;

/// Headers of the registries mediawatch reads (their required columns), so a registry lying
/// in an input folder is recognized as not a document.
const REGISTRY_HEADERS: [(&str, &[&str]); 3] = [
    ("a source registry", &["outlet", "name", "category"]),
    ("an entity gazetteer", &["id", "type", "name"]),
    ("a frame dictionary", &["frame", "lang", "pattern"]),
];

/// How to find input files.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Format to read every file as, instead of guessing from its extension.
    pub forced: Option<InputFormat>,
    /// Follow symbolic links whose target lies outside the named inputs.
    pub follow_symlinks: bool,
    /// Paths to leave out, in gitignore syntax, relative to each named directory.
    pub exclude: Vec<String>,
    /// Files that are not documents wherever they appear (the registry given as `--sources`,
    /// entity and frame lists).
    pub not_documents: Vec<PathBuf>,
}

/// Why a path was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A symbolic link whose target lies outside the named inputs.
    OutsideInputTree,
    /// A FIFO, device or socket.
    SpecialFile,
    /// A sidecar, registry, manifest, or a file of no known format.
    NotDocument,
    /// Matched by `--exclude` or a `.mediawatchignore` file.
    Excluded,
    /// Longer than the system's path limit.
    PathTooLong,
    /// A directory already walked (a link loop or a second link to it).
    SymlinkLoop,
    /// Could not be examined (dangling link, no permission).
    Unreadable,
}

impl SkipReason {
    /// How the summary names the reason.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::OutsideInputTree => "outside the input tree",
            SkipReason::SpecialFile => "special file",
            SkipReason::NotDocument => "not documents",
            SkipReason::Excluded => "excluded",
            SkipReason::PathTooLong => "path too long",
            SkipReason::SymlinkLoop => "directory already visited (symlink loop?)",
            SkipReason::Unreadable => "unreadable",
        }
    }
}

/// A path passed over, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The path (lossily decoded when not UTF-8).
    pub path: String,
    /// Why.
    pub reason: SkipReason,
    /// The specifics (link target, file kind, matching pattern, …).
    pub detail: String,
}

/// The files found under the given paths, and the ones passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Files to ingest, sorted by path within each given directory.
    pub files: Vec<InputFile>,
    /// Paths not read, with why, in walking order.
    pub skipped: Vec<Skipped>,
}

/// Finds the input files under `paths` with default options (see [`discover_with`]).
pub fn discover(paths: &[PathBuf], forced: Option<InputFormat>) -> Result<Discovery, IngestError> {
    discover_with(
        paths,
        &DiscoverOptions {
            forced,
            ..DiscoverOptions::default()
        },
    )
}

/// Finds the input files under `paths`. A missing path, an unreadable named directory, a
/// named special file, a named file of unknown format or a bad `--exclude` pattern is an
/// error, raised before anything is written; everything found inside directories that is not
/// read is listed in [`Discovery::skipped`].
pub fn discover_with(
    paths: &[PathBuf],
    options: &DiscoverOptions,
) -> Result<Discovery, IngestError> {
    let mut walker = Walker {
        options,
        roots: Vec::new(),
        visited: HashSet::new(),
        not_documents: options
            .not_documents
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino())))
            .collect(),
        out: Discovery::default(),
    };
    let mut named = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| input_error(path, &source))?;
        if let Ok(canonical) = std::fs::canonicalize(path) {
            walker.roots.push(canonical);
        }
        named.push((path, meta));
    }
    for (path, meta) in named {
        let excludes = exclude_matcher(path, &options.exclude)?;
        if meta.is_dir() {
            walker.walk(path, &excludes)?;
        } else {
            walker.named_file(path, &meta, &excludes)?;
        }
    }
    Ok(walker.out)
}

fn input_error(path: &Path, source: &std::io::Error) -> IngestError {
    IngestError::Input {
        path: path.to_path_buf(),
        message: format!("cannot read input: {source}"),
    }
}

/// The `--exclude` patterns, anchored at a named input.
fn exclude_matcher(root: &Path, patterns: &[String]) -> Result<Gitignore, IngestError> {
    let mut builder = GitignoreBuilder::new(root);
    for pattern in patterns {
        builder
            .add_line(None, pattern)
            .map_err(|e| IngestError::Pattern {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    builder.build().map_err(|e| IngestError::Pattern {
        pattern: patterns.join(" "),
        message: e.to_string(),
    })
}

/// One directory being walked: its remaining entries and its `.mediawatchignore`, if any.
struct Frame {
    entries: std::vec::IntoIter<PathBuf>,
    ignore: Option<Gitignore>,
}

struct Walker<'a> {
    options: &'a DiscoverOptions,
    /// Canonical paths of everything the user named.
    roots: Vec<PathBuf>,
    /// Directories walked, by device and inode.
    visited: HashSet<(u64, u64)>,
    /// Files that are not documents, by device and inode.
    not_documents: HashSet<(u64, u64)>,
    out: Discovery,
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn too_long(path: &Path) -> bool {
    path.as_os_str().len() >= libc::PATH_MAX as usize
}

fn is_too_long_error(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::ENAMETOOLONG)
}

impl Walker<'_> {
    fn skip(&mut self, path: &Path, reason: SkipReason, detail: impl Into<String>) {
        self.out.skipped.push(Skipped {
            path: display(path),
            reason,
            detail: detail.into(),
        });
    }

    fn named_file(
        &mut self,
        path: &Path,
        meta: &std::fs::Metadata,
        excludes: &Gitignore,
    ) -> Result<(), IngestError> {
        if let Some(kind) = files::special_kind(&meta.file_type()) {
            return Err(IngestError::Input {
                path: path.to_path_buf(),
                message: format!(
                    "is {kind}, not a regular file; mediawatch reads regular files only (save the stream to a file first)"
                ),
            });
        }
        if let Match::Ignore(glob) = excludes.matched(path, false) {
            self.skip(
                path,
                SkipReason::Excluded,
                format!("--exclude {}", glob.original()),
            );
            return Ok(());
        }
        if let Some(what) = self.not_a_document(path, meta) {
            self.skip(path, SkipReason::NotDocument, what);
            return Ok(());
        }
        let format = self.options.forced.or_else(|| InputFormat::from_path(path)).ok_or_else(|| {
            IngestError::Input {
                path: path.to_path_buf(),
                message: "unknown input format: expected .jsonl, .ndjson, .json, .csv, .tsv, .txt, .srt or .vtt (optionally .gz), or pass --input-format".to_string(),
            }
        })?;
        self.out.files.push(InputFile {
            path: path.to_path_buf(),
            display: display(path),
            format,
            size: meta.len(),
        });
        Ok(())
    }

    fn walk(&mut self, root: &Path, excludes: &Gitignore) -> Result<(), IngestError> {
        let meta = std::fs::metadata(root).map_err(|e| input_error(root, &e))?;
        self.visited.insert((meta.dev(), meta.ino()));
        let first = self.open_dir(root).map_err(|source| IngestError::Input {
            path: root.to_path_buf(),
            message: format!("cannot read directory: {source}"),
        })?;
        let mut stack = vec![first];
        while let Some(frame) = stack.last_mut() {
            let Some(path) = frame.entries.next() else {
                stack.pop();
                continue;
            };
            if let Some(frame) = self.entry(&path, &stack, excludes) {
                stack.push(frame);
            }
        }
        Ok(())
    }

    /// Lists a directory (sorted) and loads its `.mediawatchignore`.
    fn open_dir(&mut self, dir: &Path) -> std::io::Result<Frame> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        let ignore_path = dir.join(IGNORE_FILE);
        let ignore = match files::read_capped(&ignore_path, IGNORE_FILE_CAP) {
            Ok(files::Capped::Whole(bytes)) => Some(self.ignore_file(dir, &ignore_path, &bytes)),
            Ok(files::Capped::TooLarge(size)) => {
                self.skip(
                    &ignore_path,
                    SkipReason::Unreadable,
                    format!("over {IGNORE_FILE_CAP} bytes ({size}); its patterns are not applied"),
                );
                None
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                self.skip(
                    &ignore_path,
                    SkipReason::Unreadable,
                    format!("{e}; its patterns are not applied"),
                );
                None
            }
        };
        Ok(Frame {
            entries: entries.into_iter(),
            ignore,
        })
    }

    fn ignore_file(&mut self, dir: &Path, path: &Path, bytes: &[u8]) -> Gitignore {
        let mut builder = GitignoreBuilder::new(dir);
        for (number, line) in String::from_utf8_lossy(bytes).lines().enumerate() {
            if let Err(e) = builder.add_line(Some(path.to_path_buf()), line) {
                self.skip(
                    path,
                    SkipReason::Unreadable,
                    format!("line {}: {e}; that pattern is not applied", number + 1),
                );
            }
        }
        builder.build().unwrap_or_else(|_| Gitignore::empty())
    }

    /// The `--exclude` or `.mediawatchignore` pattern that leaves `path` out, if any: the
    /// nearest ignore file decides (a `!pattern` there re-includes), then `--exclude`.
    fn excluded_by(
        path: &Path,
        is_dir: bool,
        stack: &[Frame],
        excludes: &Gitignore,
    ) -> Option<String> {
        if let Match::Ignore(glob) = excludes.matched(path, is_dir) {
            return Some(format!("--exclude {}", glob.original()));
        }
        for frame in stack.iter().rev() {
            let Some(ignore) = &frame.ignore else {
                continue;
            };
            match ignore.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    let from = glob.from().map(display).unwrap_or_default();
                    return Some(format!("{} in {from}", glob.original()));
                }
                Match::Whitelist(_) => return None,
                Match::None => {}
            }
        }
        None
    }

    /// Looks at one directory entry: records it as a file or a skip, or returns the frame of
    /// a directory to descend into.
    fn entry(&mut self, path: &Path, stack: &[Frame], excludes: &Gitignore) -> Option<Frame> {
        let name = path.file_name().unwrap_or_default();
        if name.as_bytes().starts_with(b".") {
            return None;
        }
        if too_long(path) {
            self.skip(
                path,
                SkipReason::PathTooLong,
                "longer than the system's path limit",
            );
            return None;
        }
        let lmeta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                self.unreadable(path, &e);
                return None;
            }
        };
        let meta = if lmeta.file_type().is_symlink() {
            let target = match std::fs::canonicalize(path) {
                Ok(target) => target,
                Err(e) => {
                    self.skip(
                        path,
                        SkipReason::Unreadable,
                        format!("symbolic link that cannot be resolved (dangling?): {e}"),
                    );
                    return None;
                }
            };
            if !self.options.follow_symlinks && !self.roots.iter().any(|r| target.starts_with(r)) {
                self.skip(
                    path,
                    SkipReason::OutsideInputTree,
                    format!(
                        "symbolic link to {}; pass --follow-symlinks to read it",
                        display(&target)
                    ),
                );
                return None;
            }
            match std::fs::metadata(path) {
                Ok(meta) => meta,
                Err(e) => {
                    self.unreadable(path, &e);
                    return None;
                }
            }
        } else {
            lmeta
        };
        let is_dir = meta.is_dir();
        if let Some(pattern) = Self::excluded_by(path, is_dir, stack, excludes) {
            self.skip(path, SkipReason::Excluded, pattern);
            return None;
        }
        if is_dir {
            if !self.visited.insert((meta.dev(), meta.ino())) {
                self.skip(path, SkipReason::SymlinkLoop, "already walked");
                return None;
            }
            return match self.open_dir(path) {
                Ok(frame) => Some(frame),
                Err(e) => {
                    self.unreadable(path, &e);
                    None
                }
            };
        }
        if let Some(kind) = files::special_kind(&meta.file_type()) {
            self.skip(path, SkipReason::SpecialFile, kind);
            return None;
        }
        if name.as_bytes().ends_with(b".meta.json") {
            self.skip(
                path,
                SkipReason::NotDocument,
                "sidecar, read with the file it describes",
            );
            return None;
        }
        if let Some(what) = self.not_a_document(path, &meta) {
            self.skip(path, SkipReason::NotDocument, what);
            return None;
        }
        match self.options.forced.or_else(|| InputFormat::from_path(path)) {
            Some(format) => self.out.files.push(InputFile {
                path: path.to_path_buf(),
                display: display(path),
                format,
                size: meta.len(),
            }),
            None => self.skip(path, SkipReason::NotDocument, "unknown format"),
        }
        None
    }

    fn unreadable(&mut self, path: &Path, error: &std::io::Error) {
        if is_too_long_error(error) {
            self.skip(path, SkipReason::PathTooLong, error.to_string());
        } else {
            self.skip(path, SkipReason::Unreadable, error.to_string());
        }
    }

    /// What a file is when it is a registry or `generate`'s manifest rather than documents.
    fn not_a_document(&self, path: &Path, meta: &std::fs::Metadata) -> Option<String> {
        if self.not_documents.contains(&(meta.dev(), meta.ino())) {
            return Some("a registry or list file given on the command line".to_string());
        }
        let format = self.options.forced.or_else(|| InputFormat::from_path(path));
        if format == Some(InputFormat::Csv) {
            return registry_kind(path).map(|what| format!("{what} (by its header)"));
        }
        if path.file_name() == Some(OsStr::new("manifest.json")) && is_generate_manifest(path) {
            return Some("a `mediawatch generate` manifest".to_string());
        }
        None
    }
}

/// Which registry a CSV file is, judged by its header: all of a registry's required columns
/// and no text column.
fn registry_kind(path: &Path) -> Option<&'static str> {
    let opened = source::open(path, Default::default()).ok()?;
    let mut first = Vec::new();
    opened
        .reader
        .take(SNIFF_CAP)
        .read_until(b'\n', &mut first)
        .ok()?;
    let line = String::from_utf8_lossy(&first);
    let delimiter = crate::ingest::delimited::sniff_delimiter(line.as_bytes()) as char;
    let names: Vec<String> = line
        .trim_end_matches(['\r', '\n'])
        .split(delimiter)
        .map(|n| n.trim().trim_matches('"').to_lowercase())
        .collect();
    let map = FieldMap::default();
    if names
        .iter()
        .any(|n| map.resolve(n).is_some_and(|(f, _)| f == Field::Text))
    {
        return None;
    }
    REGISTRY_HEADERS
        .iter()
        .find(|(_, required)| required.iter().all(|r| names.iter().any(|n| n == r)))
        .map(|(what, _)| *what)
}

/// Whether a `manifest.json` is the one `mediawatch generate` writes.
fn is_generate_manifest(path: &Path) -> bool {
    let Ok(files::Capped::Whole(bytes)) = files::read_capped(path, SNIFF_CAP) else {
        return false;
    };
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(&bytes) else {
        return false;
    };
    ["docs", "seed", "planted", "outlets"]
        .iter()
        .all(|key| object.contains_key(*key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let err = discover(&[PathBuf::from("/no/such/place")], None).unwrap_err();
        assert!(err.to_string().contains("/no/such/place"), "{err}");
    }

    #[test]
    fn registries_are_recognized_by_their_header() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).map(|_| path)
        };
        let sources = write(
            "s.csv",
            "\u{feff}outlet,name,category,medium\nx,X,state,tv\n",
        )?;
        assert_eq!(registry_kind(&sources), Some("a source registry"));
        let frames = write("f.csv", "frame;lang;pattern\nriot;ru;бунт*\n")?;
        assert_eq!(registry_kind(&frames), Some("a frame dictionary"));
        // Articles with a text column are documents whatever else they have.
        let articles = write("a.csv", "id,type,name,text\n1,news,x,Текст\n")?;
        assert_eq!(registry_kind(&articles), None);
        Ok(())
    }
}
