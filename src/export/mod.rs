//! Export for the data ecosystem: the documents of a selection, or their document-term
//! counts (long format), as Apache Parquet (Snappy; pandas, polars, R, Spark) or as NDJSON
//! (one JSON object a line: what Quickwit and OpenSearch ingest; mappings in `scale/`).
//!
//! Rows are in a fixed order (outlet, then id; terms by term), so the same index and
//! selection give the same bytes.

mod columns;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::files::{self, Access};
use crate::index::{stored, Index};
use crate::model::Labels;
use crate::search::{self, SearchError};
use crate::stats::counts::TermExtractor;
use crate::stats::scan::Subset;

/// Errors of an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Selecting the documents failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Reading a stored document failed.
    #[error("reading stored documents: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Encoding or writing the output failed.
    #[error("{path}: {reason}")]
    Write {
        /// The output file.
        path: std::path::PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Apache Parquet, Snappy-compressed.
    Parquet,
    /// Newline-delimited JSON.
    Ndjson,
}

/// What is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// One row per document.
    Documents,
    /// One row per (document, term): how often the term occurs in it (title and text,
    /// counted as every statistic counts terms: analyzed, stopwords, numbers and one-letter
    /// words dropped).
    Terms,
}

// Repeated shape: `duplicates` pairs it with `Document` (model.rs) and `Header`
// (partial/mod.rs). It is `Document`'s export shape on purpose (labels as `Labels`, dates as
// text, no cues or provenance): one type for both would tie the export columns to the model.
/// One exported document.
// One field per exported column (the labels flattened into four), in the order of the NDJSON
// keys and Parquet columns (`columns::documents`): the published schema of an export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow {
    /// Document id (unique within its outlet).
    pub id: String,
    /// Outlet, category (group) from the registry, detected language and medium.
    #[serde(flatten)]
    pub labels: Labels,
    /// Publication instant, RFC 3339 in UTC with seconds (a date without a time is 12:00
    /// UTC of its first day, see `published_precision`); absent when undated.
    pub published: Option<String>,
    /// `time`, `day`, `month` or `year`.
    pub published_precision: Option<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// URL.
    pub url: Option<String>,
    /// `outlet/id` of the document this one copies, if any.
    pub copy_of: Option<String>,
    /// Share of the detected language among the document's letters, in [0, 1] (1 when the
    /// document was not split by language).
    pub lang_share: f64,
}

/// One (document, term) count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRow {
    /// Outlet key (a document id is unique within its outlet).
    pub outlet: String,
    /// Document id.
    pub id: String,
    /// The counted term.
    pub term: String,
    /// Occurrences in the document.
    pub count: u64,
}

/// The selection's documents as rows, sorted by outlet and id.
pub fn documents(index: &Index, subset: &Subset) -> Result<Vec<DocumentRow>, ExportError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let matches = search::matching_documents(index, &searcher, &subset.query, &subset.filters)?;
    let mut rows = Vec::with_capacity(matches.len());
    for m in matches {
        let mut doc = stored::load(&searcher, m.address)?;
        let lang_share = doc
            .lang_shares
            .iter()
            .find(|s| s.lang == doc.lang)
            .map_or(if doc.lang_shares.is_empty() { 1.0 } else { 0.0 }, |s| {
                s.share
            });
        rows.push(DocumentRow {
            published: doc
                .published
                .map(|p| p.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            published_precision: doc.published.map(|p| p.precision.name().to_string()),
            labels: Labels::take(&mut doc),
            id: doc.id,
            title: doc.title,
            text: doc.text,
            url: doc.url,
            copy_of: doc.copy_of,
            lang_share,
        });
    }
    rows.sort_by(|a, b| (&a.labels.outlet, &a.id).cmp(&(&b.labels.outlet, &b.id)));
    Ok(rows)
}

/// The document-term counts of the selection's documents, by outlet, id and term.
pub fn terms(index: &Index, subset: &Subset) -> Result<Vec<TermRow>, ExportError> {
    let extractor = TermExtractor::default();
    let mut rows = Vec::new();
    for doc in documents(index, subset)? {
        let mut counts = std::collections::BTreeMap::<String, u64>::new();
        for text in [&doc.title, &doc.text] {
            for (term, _) in extractor.terms(text) {
                *counts.entry(term).or_default() += 1;
            }
        }
        rows.extend(counts.into_iter().map(|(term, count)| TermRow {
            outlet: doc.labels.outlet.clone(),
            id: doc.id.clone(),
            term,
            count,
        }));
    }
    Ok(rows)
}

/// Writes the selection's documents or terms to `path` in `format` (replacing the file
/// whole). Returns the number of rows.
pub fn export(
    index: &Index,
    subset: &Subset,
    what: What,
    format: Format,
    path: &Path,
) -> Result<usize, ExportError> {
    let failed = |reason: String| ExportError::Write {
        path: path.to_path_buf(),
        reason,
    };
    let (bytes, rows) = match what {
        What::Documents => encoded(&documents(index, subset)?, format, columns::documents),
        What::Terms => encoded(&terms(index, subset)?, format, columns::terms),
    };
    let bytes = bytes.map_err(failed)?;
    files::write_replacing(path, &bytes, Access::Shared).map_err(|e| failed(e.to_string()))?;
    Ok(rows)
}

/// Rows in `format` (`parquet` encodes them as Parquet), and how many there are.
fn encoded<T: Serialize>(
    rows: &[T],
    format: Format,
    parquet: fn(&[T]) -> Result<Vec<u8>, String>,
) -> (Result<Vec<u8>, String>, usize) {
    let bytes = match format {
        Format::Ndjson => ndjson(rows),
        Format::Parquet => parquet(rows),
    };
    (bytes, rows.len())
}

fn ndjson<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut out, row).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    Ok(out)
}
