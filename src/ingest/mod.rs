//! Reading and normalizing input: files in, [`crate::model::Document`]s and rejects out.
//!
//! `source` finds and opens files (gzip, encoding), one reader per format turns bytes into
//! [`record::RawRecord`]s, and `normalize` validates and enriches them. Nothing here writes:
//! the pipeline decides what is indexed and where rejects go.

pub mod csv_split;
pub mod dates;
pub mod decode;
pub mod delimited;
pub mod discover;
pub mod fields;
pub mod json;
pub mod jsonl;
pub mod lines;
pub mod normalize;
pub mod record;
pub mod source;
pub mod subtitles;
pub mod whole;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use fields::FieldMap;
use record::{ReadItem, RejectReason};
use source::InputFormat;

/// Default cap on one record's size: 16 MiB.
pub const DEFAULT_RECORD_CAP: u64 = 16 * 1024 * 1024;

/// Errors that stop an ingest before it starts (bad paths, bad configuration).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// An input path that cannot be used.
    #[error("{}: {message}", path.display())]
    Input {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An `--exclude` pattern that is not a valid glob.
    #[error("--exclude {pattern:?}: {message}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Reads every record of one file, passing each (or its reject) to `emit`.
/// Never fails: a file that cannot be opened or read further becomes a reject.
pub fn read_file(
    path: &Path,
    format: InputFormat,
    map: &FieldMap,
    cap: u64,
    bytes_read: Arc<AtomicU64>,
    emit: &mut dyn FnMut(ReadItem),
) {
    let input = match source::open(path, bytes_read) {
        Ok(input) => input,
        Err(e) => {
            emit(ReadItem::Rejected {
                line: 0,
                reason: RejectReason::ReadError(format!("cannot open: {e}")),
                raw: String::new(),
            });
            return;
        }
    };
    match format {
        InputFormat::Jsonl => jsonl::read(input, map, cap, emit),
        InputFormat::Json => json::read(input, map, cap, emit),
        InputFormat::Csv => delimited::read(input, map, cap, emit),
        InputFormat::Txt | InputFormat::Srt | InputFormat::Vtt => {
            whole::read(path, format, input, map, cap, emit)
        }
    }
}
