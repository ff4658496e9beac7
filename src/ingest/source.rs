//! Input files and opening them: an [`InputFile`] in, a decompressed, encoding-sniffed byte
//! stream out. Finding the files is [`crate::ingest::discover`]'s job (re-exported here).

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::files;
use crate::ingest::decode::{self, TextEncoding};
pub use crate::ingest::discover::{
    discover, discover_with, DiscoverOptions, Discovery, SkipReason, Skipped,
};

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
    /// The format a file name implies (after removing `.gz`), if any. A name that is not
    /// UTF-8 is judged by its lossy decoding (the extension is what counts).
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
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
/// Bytes read from disk are added to `counter`. Only a regular file is opened (a FIFO or
/// device put in its place since discovery is an error, and the open never blocks).
pub fn open(path: &Path, counter: Arc<AtomicU64>) -> io::Result<OpenedInput> {
    let file = files::open_regular(path, true)?;
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
    fn non_utf8_names_keep_their_extension() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"\xff\xfenews.JSONL");
        assert_eq!(
            InputFormat::from_path(Path::new(name)),
            Some(InputFormat::Jsonl)
        );
    }
}
