//! The data model shared by every stage: a normalized, enriched [`Document`].

use serde::{Deserialize, Serialize};

use crate::ingest::subtitles::Cue;
use crate::lang::LangShare;
pub use crate::timezone::{DatePrecision, Published};

/// Category given to documents whose outlet is not in the source registry.
pub const UNKNOWN_CATEGORY: &str = "unknown";
/// Language code stored when detection cannot tell.
pub const UNDETERMINED_LANG: &str = "und";

/// A caption of a broadcast transcript, with the byte range of its text inside [`Document::text`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedSpan {
    /// Start of the cue in the programme, in milliseconds.
    pub start_ms: u64,
    /// End of the cue in the programme, in milliseconds.
    pub end_ms: u64,
    /// Byte offset of the cue's first character in the document text.
    pub text_start: usize,
    /// Byte offset one past the cue's last character in the document text.
    pub text_end: usize,
}

impl TimedSpan {
    /// Pairs parsed cues with the byte ranges their texts occupy in the joined document text.
    pub fn from_cues(cues: &[Cue], ranges: &[std::ops::Range<usize>]) -> Vec<TimedSpan> {
        cues.iter()
            .zip(ranges)
            .map(|(cue, range)| TimedSpan {
                start_ms: cue.start_ms,
                end_ms: cue.end_ms,
                text_start: range.start,
                text_end: range.end,
            })
            .collect()
    }
}

impl Document {
    /// The upsert key: ids are unique within an outlet, so two outlets' article "1" are
    /// different documents.
    pub fn key(&self) -> String {
        document_key(&self.outlet, &self.id)
    }
}

/// The upsert key of a document with this outlet and id.
pub fn document_key(outlet: &str, id: &str) -> String {
    format!("{outlet}\u{1f}{id}")
}

// Repeated shape: `duplicates` pairs it by shape alone with `DocumentRow` (export/mod.rs) and
// `CopyDocument` (partial/copy_rows.rs) — this document's shapes in other outputs, each saying
// why it is its own type — and with 4 unrelated field lists (`IngestOptions`, `Keyness`, ...).
/// One normalized and enriched document: what ingest builds and indexes, and what reading
/// the index gives back (`index::stored::StoredDocument` is this type), so that a stored
/// document can be written again (e.g. with new labels) without a conversion.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// Stable identifier: given, or a hash of outlet + url, else of outlet + published + title + text.
    pub id: String,
    /// Outlet registry key (or the name as given when the outlet is not in the registry).
    pub outlet: String,
    /// Group label from the registry (`state`, `independent`, ...) or the record; `unknown` otherwise.
    pub category: String,
    /// `article`, `broadcast`, or any other label.
    pub medium: String,
    /// Detected language (ISO 639-1), or `und`.
    pub lang: String,
    /// Language the record declared, kept apart from detection.
    pub declared_lang: Option<String>,
    /// Confidence of the detected language, in [0, 1].
    pub lang_confidence: f64,
    /// Publication date with its precision; `None` for an undated document.
    pub published: Option<Published>,
    /// Calendar day of publication in the index's display zone, `YYYY-MM-DD`; empty when
    /// undated or dated only to the month or year.
    pub day: String,
    /// Title or headline (may be empty).
    pub title: String,
    /// Body text after whitespace normalization.
    pub text: String,
    /// Source URL, when known.
    pub url: Option<String>,
    /// Cue timings of broadcast transcripts; empty for other documents.
    pub cues: Vec<TimedSpan>,
    /// The input file this document came from, as the user named it (inside a directory:
    /// the walked path).
    pub source_file: String,
    /// 1-based line where its record starts (CSV: line of the record's first field;
    /// whole-file formats: 1).
    pub source_line: u64,
    /// Upsert key (outlet + id) of the document this one is a copy of. The index writer
    /// decides it when it adds the document (a value set before is not read); reading the
    /// index gives it back.
    pub copy_of: Option<String>,
    /// Hash of the normalized text, used to recognise exact duplicates under other ids.
    pub fingerprint: u64,
    /// The labels as the record gave them, before the registry join (kept so that a
    /// changed registry can relabel the document without its input file).
    pub given: GivenLabels,
    /// Per-language shares by paragraph; more than one entry means a mixed-language document.
    pub lang_shares: Vec<LangShare>,
}

/// A document's labels as the outputs list them (search hits, export rows): outlet,
/// category, language and medium.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// Outlet key.
    pub outlet: String,
    /// Category (group label from the registry).
    pub category: String,
    /// Detected language.
    pub lang: String,
    /// Medium.
    pub medium: String,
}

impl Labels {
    /// The labels moved out of `doc` (left empty there).
    pub fn take(doc: &mut Document) -> Labels {
        Labels {
            outlet: std::mem::take(&mut doc.outlet),
            category: std::mem::take(&mut doc.category),
            lang: std::mem::take(&mut doc.lang),
            medium: std::mem::take(&mut doc.medium),
        }
    }
}

/// A record's own outlet, category and medium, before the registry join.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenLabels {
    /// The outlet as the record named it (a key, display name or alias).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outlet: String,
    /// The record's own category, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The record's own medium, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// The medium its file format implies (`broadcast` for subtitles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_medium: Option<String>,
}
