//! Input discovery and opening: paths in, input files with their format out, and for each
//! file a decompressed, encoding-sniffed byte stream.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::ingest::decode::{self, TextEncoding};
use crate::ingest::IngestError;

/// Bytes looked at to guess a file's encoding.
const SNIFF_BYTES: usize = 64 * 1024;

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// One JSON object per line (JSONL / NDJSON).
    Jsonl,
    /// A JSON file: one object, an array of objects, or objects one after another.
    Json,
    /// Delimited text with a header row (`,`, `;` or tab, sniffed).
    Csv,
    /// One document per file, optional `Key: value` header lines.
    Txt,
    /// SubRip subtitles: one broadcast per file.
    Srt,
    /// WebVTT subtitles: one broadcast per file.
    Vtt,
}

impl InputFormat {
    /// The format a file name implies (after removing `.gz`), if any.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let name = path.file_name()?.to_str()?.to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = Path::new(name).extension()?.to_str()?;
        match ext {
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            "csv" | "tsv" => Some(InputFormat::Csv),
            "txt" | "text" => Some(InputFormat::Txt),
            "srt" => Some(InputFormat::Srt),
            "vtt" => Some(InputFormat::Vtt),
            _ => None,
        }
    }

    /// Parses a format name as given on the command line.
    pub fn parse(name: &str) -> Option<InputFormat> {
        match name.to_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            "csv" | "tsv" => Some(InputFormat::Csv),
            "txt" | "text" => Some(InputFormat::Txt),
            "srt" => Some(InputFormat::Srt),
            "vtt" | "webvtt" => Some(InputFormat::Vtt),
            _ => None,
        }
    }
}

/// One file to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path as shown in summaries and rejects.
    pub display: String,
    /// Format to read it as.
    pub format: InputFormat,
    /// Size on disk in bytes (compressed size for `.gz`).
    pub size: u64,
}

/// The files found under the given paths, and the ones passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Files to ingest, sorted by path within each given directory.
    pub files: Vec<InputFile>,
    /// Files inside directories that have no known format (or are sidecars), with why.
    pub ignored: Vec<(String, String)>,
}

/// Finds the input files under `paths` (directories recursed, sorted, symlink loops cut).
/// A missing path, an unreadable directory or an explicit file of unknown format is an error,
/// raised before anything is written.
pub fn discover(paths: &[PathBuf], forced: Option<InputFormat>) -> Result<Discovery, IngestError> {
    let mut discovery = Discovery::default();
    let mut seen_dirs = HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| IngestError::Input {
            path: path.clone(),
            message: format!("cannot read input: {source}"),
        })?;
        if meta.is_dir() {
            walk(path, forced, &mut seen_dirs, &mut discovery)?;
        } else {
            let format = forced.or_else(|| InputFormat::from_path(path)).ok_or_else(|| {
                IngestError::Input {
                    path: path.clone(),
                    message: "unknown input format: expected .jsonl, .ndjson, .json, .csv, .tsv, .txt, .srt or .vtt (optionally .gz), or pass --input-format".to_string(),
                }
            })?;
            discovery.files.push(InputFile {
                path: path.clone(),
                display: path.display().to_string(),
                format,
                size: meta.len(),
            });
        }
    }
    Ok(discovery)
}

fn walk(
    dir: &Path,
    forced: Option<InputFormat>,
    seen_dirs: &mut HashSet<PathBuf>,
    discovery: &mut Discovery,
) -> Result<(), IngestError> {
    let unreadable = |source: io::Error| IngestError::Input {
        path: dir.to_path_buf(),
        message: format!("cannot read directory: {source}"),
    };
    let canonical = std::fs::canonicalize(dir).map_err(unreadable)?;
    if !seen_dirs.insert(canonical) {
        discovery.ignored.push((
            dir.display().to_string(),
            "directory already visited (symlink loop?)".into(),
        ));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            discovery.ignored.push((
                path.display().to_string(),
                "cannot read (dangling link?)".into(),
            ));
            continue;
        };
        if meta.is_dir() {
            walk(&path, forced, seen_dirs, discovery)?;
        } else if name.ends_with(".meta.json") {
            // Sidecars are read with the file they describe.
        } else if let Some(format) = forced.or_else(|| InputFormat::from_path(&path)) {
            discovery.files.push(InputFile {
                display: path.display().to_string(),
                path,
                format,
                size: meta.len(),
            });
        } else {
            discovery
                .ignored
                .push((path.display().to_string(), "unknown format".into()));
        }
    }
    Ok(())
}

/// Counts bytes read from the underlying file, for progress.
struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A reader that fails once with a stored error, then reports end of input.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(error) => Err(error),
            None => Ok(0),
        }
    }
}

/// An opened input: decompressed bytes (BOM removed; UTF-16 already transcoded to UTF-8)
/// and the encoding to decode each record with.
pub struct OpenedInput {
    /// The byte stream.
    pub reader: Box<dyn BufRead + Send>,
    /// Encoding of the bytes in `reader`.
    pub encoding: TextEncoding,
}

/// Opens a file: decompresses gzip (by magic bytes), sniffs the encoding, strips a BOM.
/// Bytes read from disk are added to `counter`.
pub fn open(path: &Path, counter: Arc<AtomicU64>) -> io::Result<OpenedInput> {
    let file = File::open(path)?;
    let mut raw = BufReader::new(CountingReader {
        inner: file,
        counter,
    });
    let is_gzip = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut stream: Box<dyn Read + Send> = if is_gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut sample = Vec::with_capacity(SNIFF_BYTES);
    if let Err(error) = (&mut stream)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut sample)
    {
        // A stream that breaks early (truncated gzip) still yields what it had; the error
        // surfaces to the reader right after those bytes.
        stream = Box::new(FailingReader(Some(error)));
    }
    let encoding = decode::sniff(&sample);
    let bom = decode::bom_len(&sample);
    match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            sample.drain(..bom);
            let utf16 = Cursor::new(sample).chain(stream);
            Ok(OpenedInput {
                reader: Box::new(BufReader::with_capacity(
                    256 * 1024,
                    decode::Utf16Reader::new(utf16, encoding),
                )),
                encoding: TextEncoding::Utf8,
            })
        }
        _ => {
            sample.drain(..bom);
            Ok(OpenedInput {
                reader: Box::new(BufReader::with_capacity(
                    256 * 1024,
                    Cursor::new(sample).chain(stream),
                )),
                encoding,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions_under_gzip() {
        let format = |p: &str| InputFormat::from_path(Path::new(p));
        assert_eq!(format("a/b.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(format("x.TSV"), Some(InputFormat::Csv));
        assert_eq!(format("khabar_2022-01-05.srt"), Some(InputFormat::Srt));
        assert_eq!(format("README.md"), None);
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let err = discover(&[PathBuf::from("/no/such/place")], None).unwrap_err();
        assert!(err.to_string().contains("/no/such/place"), "{err}");
    }
}
