//! Stored documents read back from the index: a document address in, a [`StoredDocument`] out.

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use tantivy::schema::{Schema, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::index::schema;
use crate::model::TimedSpan;

/// A document as the index stores it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Group label.
    pub category: String,
    /// Medium.
    pub medium: String,
    /// Detected language.
    pub lang: String,
    /// Declared language, if any.
    pub declared_lang: Option<String>,
    /// Confidence of the detected language.
    pub lang_confidence: f64,
    /// Publication time (UTC).
    pub published: Option<DateTime<Utc>>,
    /// Calendar day in the corpus time zone.
    pub day: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// URL.
    pub url: Option<String>,
    /// Cue timings of broadcasts.
    pub cues: Vec<TimedSpan>,
    /// Input file.
    pub source_file: String,
    /// Input line.
    pub source_line: u64,
}

fn text(doc: &TantivyDocument, schema: &Schema, name: &str) -> Option<String> {
    let field = schema.get_field(name).ok()?;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Loads the stored fields of one document.
pub fn load(searcher: &Searcher, address: DocAddress) -> tantivy::Result<StoredDocument> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let schema = searcher.schema();
    let get = |name| text(&doc, schema, name).unwrap_or_default();
    let first = |name: &str| schema.get_field(name).ok().and_then(|f| doc.get_first(f));
    Ok(StoredDocument {
        id: get(schema::ID),
        outlet: get(schema::OUTLET),
        category: get(schema::CATEGORY),
        medium: get(schema::MEDIUM),
        lang: get(schema::LANG),
        declared_lang: text(&doc, schema, schema::DECLARED_LANG),
        lang_confidence: first(schema::LANG_CONFIDENCE)
            .and_then(|v| v.as_f64())
            .unwrap_or_default(),
        published: first(schema::PUBLISHED)
            .and_then(|v| v.as_datetime())
            .and_then(|d| Utc.timestamp_opt(d.into_timestamp_secs(), 0).single()),
        day: get(schema::DAY),
        title: get(schema::TITLE),
        text: get(schema::TEXT),
        url: text(&doc, schema, schema::URL),
        cues: text(&doc, schema, schema::CUES)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
        source_file: get(schema::SOURCE_FILE),
        source_line: first(schema::SOURCE_LINE)
            .and_then(|v| v.as_u64())
            .unwrap_or_default(),
    })
}

/// Every live document of the searcher, sorted by id.
pub fn all(searcher: &Searcher) -> tantivy::Result<Vec<StoredDocument>> {
    let mut docs = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            docs.push(load(searcher, DocAddress::new(ordinal as u32, doc))?);
        }
    }
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(docs)
}
