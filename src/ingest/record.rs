//! Raw records as readers produce them, and rejects: what a reader hands to normalization.

use std::fmt;

use serde::Serialize;

use crate::ingest::subtitles::Cue;

/// Largest part of a raw record copied into the rejects file.
pub const RAW_EXCERPT_BYTES: usize = 4096;

/// Longest reason written into the rejects file (a reason may quote the input).
pub const REASON_BYTES: usize = 1024;

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Partial` (partial/mod.rs), `EntitySection` (report/data.rs): different facts, no shared type.
/// The document fields a reader found in one record, under their canonical names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// Record id.
    pub id: Option<String>,
    /// Outlet key, display name or alias.
    pub outlet: Option<String>,
    /// Publication date or timestamp, as written.
    pub published: Option<String>,
    /// Title or headline.
    pub title: Option<String>,
    /// Body text.
    pub text: Option<String>,
    /// Source URL.
    pub url: Option<String>,
    /// Declared language.
    pub lang: Option<String>,
    /// Medium (`article`, `broadcast`, ...).
    pub medium: Option<String>,
    /// Category overriding the registry's.
    pub category: Option<String>,
    /// Time zone of the record's wall-clock times (`Asia/Almaty`, `UTC`, `+06:00`).
    pub timezone: Option<String>,
}

impl Fields {
    /// Fills every field that is empty here from `other` (used for sidecars, `--set` and
    /// file-name rules).
    pub fn fill_from(&mut self, other: Fields) {
        self.fill_from_ref(&other);
    }

    /// [`Fields::fill_from`] with a borrowed source (`--set` values, shared by every record).
    pub fn fill_from_ref(&mut self, other: &Fields) {
        fn fill(slot: &mut Option<String>, value: &Option<String>) {
            if slot.is_none() {
                slot.clone_from(value);
            }
        }
        fill(&mut self.id, &other.id);
        fill(&mut self.outlet, &other.outlet);
        fill(&mut self.published, &other.published);
        fill(&mut self.title, &other.title);
        fill(&mut self.text, &other.text);
        fill(&mut self.url, &other.url);
        fill(&mut self.lang, &other.lang);
        fill(&mut self.medium, &other.medium);
        fill(&mut self.category, &other.category);
        fill(&mut self.timezone, &other.timezone);
    }
}

/// One record read from an input file, not yet validated.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRecord {
    /// 1-based line (or record number) where the record starts.
    pub line: u64,
    /// Fields found.
    pub fields: Fields,
    /// Medium implied by the file format (`broadcast` for subtitles), if any.
    pub format_medium: Option<&'static str>,
    /// Cue timings, for subtitle formats.
    pub cues: Vec<Cue>,
    /// The record as read, cut to [`RAW_EXCERPT_BYTES`], for the rejects file.
    pub raw: String,
    /// Fields guessed from the file name (whole-file formats), weaker than `--set`.
    pub name_fields: Fields,
    /// What kind of input the record came from (for reject hints).
    pub kind: RecordKind,
}

/// What kind of input a record came from: it decides which fix a reject suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordKind {
    /// A record of a JSON, JSONL or CSV file.
    #[default]
    Structured,
    /// A plain-text file (header lines, sidecar, file name).
    Text,
    /// A subtitle file (sidecar, file name).
    Subtitles,
}

/// Why a record was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// A JSON line that does not parse, or is not an object.
    MalformedJson(String),
    /// A CSV record that does not fit the header.
    MalformedCsv(String),
    /// A subtitle file that does not parse.
    MalformedSubtitles(String),
    /// No text field.
    MissingText,
    /// Text with no letters or digits after normalization.
    EmptyText,
    /// No outlet field, sidecar or file-name rule.
    MissingOutlet(RecordKind),
    /// No publication date (only with `--require-date`).
    MissingDate,
    /// A CSV file without any column that maps to the text: the whole file.
    NoTextColumn {
        /// The header's column names.
        columns: Vec<String>,
        /// Data rows in the file.
        rows: u64,
    },
    /// A publication date that does not parse.
    BadDate(String),
    /// A record larger than the size cap.
    TooLarge {
        /// Bytes seen (at least).
        bytes: u64,
        /// The cap.
        cap: u64,
    },
    /// Bytes that are not valid in the file's encoding.
    Undecodable(String),
    /// The file could not be read past this point (e.g. truncated gzip).
    ReadError(String),
}

impl RejectReason {
    /// A short stable code for counting and filtering (`malformed_json`, `missing_text`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::MalformedJson(_) => "malformed_json",
            RejectReason::MalformedCsv(_) => "malformed_csv",
            RejectReason::MalformedSubtitles(_) => "malformed_subtitles",
            RejectReason::MissingText => "missing_text",
            RejectReason::EmptyText => "empty_text",
            RejectReason::MissingOutlet(_) => "missing_outlet",
            RejectReason::MissingDate => "missing_date",
            RejectReason::NoTextColumn { .. } => "no_text_column",
            RejectReason::BadDate(_) => "bad_date",
            RejectReason::TooLarge { .. } => "too_large",
            RejectReason::Undecodable(_) => "undecodable",
            RejectReason::ReadError(_) => "read_error",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::MalformedJson(e) => write!(f, "malformed JSON: {e}"),
            RejectReason::MalformedCsv(e) => write!(f, "malformed CSV: {e}"),
            RejectReason::MalformedSubtitles(e) => write!(f, "malformed subtitles: {e}"),
            RejectReason::MissingText => {
                write!(f, "missing text: expected a `text`, `body` or `content` field")
            }
            RejectReason::EmptyText => write!(f, "empty text after normalization"),
            RejectReason::MissingOutlet(RecordKind::Structured) => write!(
                f,
                "missing outlet: expected an `outlet`, `source` or `media_name` field; name the column with --map outlet=COLUMN, or give every record of this ingest one outlet with --set outlet=NAME"
            ),
            RejectReason::MissingOutlet(RecordKind::Text) => write!(
                f,
                "missing outlet: the file name holds no OUTLET before a date (like khabar_2022-01-07.txt); add an `Outlet: NAME` header line, a sidecar FILE.meta.json with {{\"outlet\": NAME}}, or pass --set outlet=NAME"
            ),
            RejectReason::MissingOutlet(RecordKind::Subtitles) => write!(
                f,
                "missing outlet: the file name holds no OUTLET before a date (like khabar_2022-01-07.srt); add a sidecar FILE.meta.json with {{\"outlet\": NAME}}, or pass --set outlet=NAME"
            ),
            RejectReason::MissingDate => write!(
                f,
                "missing publication date (--require-date): expected a `published`, `date` or `publish_date` field, or --set published=DATE"
            ),
            RejectReason::NoTextColumn { columns, rows } => write!(
                f,
                "no text column: found columns {}; none is text, body, content, maintext or story_text; name it with --map text=COLUMN ({rows} rows of this file not read)",
                columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
            RejectReason::BadDate(e) => write!(f, "{e}"),
            RejectReason::TooLarge { bytes, cap } => {
                write!(f, "record over the size cap: {bytes} bytes > {cap}")
            }
            RejectReason::Undecodable(e) => write!(f, "{e}"),
            RejectReason::ReadError(e) => write!(f, "read error, rest of file skipped: {e}"),
        }
    }
}

/// A record that will not be indexed, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// Input file.
    pub file: String,
    /// 1-based line (or record number).
    pub line: u64,
    /// Short reason code.
    pub code: &'static str,
    /// Human-readable reason.
    pub reason: String,
    /// The raw record, cut to [`RAW_EXCERPT_BYTES`].
    pub raw: String,
}

impl Reject {
    /// Builds a reject for `file` at `line`.
    pub fn new(file: &str, line: u64, reason: RejectReason, raw: &str) -> Reject {
        Reject {
            file: file.to_string(),
            line,
            code: reason.code(),
            reason: cut(&reason.to_string(), REASON_BYTES).to_string(),
            raw: excerpt(raw).to_string(),
        }
    }
}

/// What a reader yields: a record to normalize, or a record already rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadItem {
    /// A record to normalize (boxed: records are large, rejects small).
    Record(Box<RawRecord>),
    /// A record rejected while reading.
    Rejected {
        /// 1-based line (or record number).
        line: u64,
        /// Why.
        reason: RejectReason,
        /// The raw bytes, lossily decoded and cut.
        raw: String,
    },
    /// Several records rejected at once for one reason (every row of a CSV file without a
    /// text column): counted as that many records, listed once in the rejects file.
    RejectedMany {
        /// Line where the first of them starts.
        line: u64,
        /// Why.
        reason: RejectReason,
        /// The raw bytes (the header), lossily decoded and cut.
        raw: String,
        /// How many records.
        records: u64,
    },
}

/// The first [`RAW_EXCERPT_BYTES`] of `raw`, cut at a character boundary.
pub fn excerpt(raw: &str) -> &str {
    cut(raw, RAW_EXCERPT_BYTES)
}

/// The first `limit` bytes of `text`, cut at a character boundary.
fn cut(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Lossy text of raw bytes for a reject excerpt (only the first [`RAW_EXCERPT_BYTES`] are looked at).
pub fn lossy_excerpt(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(RAW_EXCERPT_BYTES)];
    excerpt(&String::from_utf8_lossy(cut)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_char_boundary() {
        let text = "ж".repeat(RAW_EXCERPT_BYTES); // 2 bytes each
        let cut = excerpt(&text);
        assert_eq!(cut.len(), RAW_EXCERPT_BYTES);
        let odd = format!("a{text}");
        assert_eq!(excerpt(&odd).len(), RAW_EXCERPT_BYTES - 1);
    }

    #[test]
    fn fill_from_keeps_existing_values() {
        let mut fields = Fields {
            outlet: Some("a".into()),
            ..Fields::default()
        };
        fields.fill_from(Fields {
            outlet: Some("b".into()),
            title: Some("t".into()),
            ..Fields::default()
        });
        assert_eq!(fields.outlet.as_deref(), Some("a"));
        assert_eq!(fields.title.as_deref(), Some("t"));
    }
}
