//! Stored documents read back from the index: a document address in, a [`StoredDocument`] out.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use tantivy::schema::{Schema, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::index::schema;
use crate::lang::{self, LangShare};
use crate::model::GivenLabels;
use crate::timezone::{DatePrecision, Published};

/// A document as the index stores it: the one [`Document`] type, read back.
pub use crate::model::Document as StoredDocument;

/// Language shares as stored (`[{"lang": "kk", "share": 0.8}, ...]`).
fn parse_shares(json: &str) -> Vec<LangShare> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            Some(LangShare {
                lang: lang::normalize_code(item.get("lang")?.as_str()?)?,
                share: item.get("share")?.as_f64()?,
            })
        })
        .collect()
}

fn text(doc: &TantivyDocument, schema: &Schema, name: &str) -> Option<String> {
    let field = schema.get_field(name).ok()?;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The stored document at `address`, as tantivy reads it — but a document store whose
/// blocks' index is damaged, which makes tantivy panic or fail ("Attempted to read doc from
/// wrong block") before it reads any block (and so before a [`crate::index::StoreChecks`]
/// check can stop the read), is damage naming the store (see [`crate::index::damage_in`])
/// when its checksum fails. A panic over a store whose checksum matches is damage too, with
/// the panic's message; any other error is tantivy's.
pub fn fetch(searcher: &Searcher, address: DocAddress) -> tantivy::Result<TantivyDocument> {
    let failure = match super::check::catching(|| searcher.doc(address)) {
        Ok(Ok(doc)) => return Ok(doc),
        Ok(Err(error)) if super::damage_in(&error).is_some() => return Err(error),
        Ok(Err(error)) => Failure::Error(error),
        Err(panic) => Failure::Panic(panic),
    };
    let segment = searcher.segment_reader(address.segment_ord);
    let file = PathBuf::from(format!("{}.store", segment.segment_id().uuid_string()));
    let matches = searcher.index().directory().validate_checksum(&file)?;
    Err(match (matches, failure) {
        (false, _) => super::check::file_damage(&file, "fails its checksum"),
        (true, Failure::Panic(panic)) => {
            super::check::file_damage(&file, &format!("cannot be decoded ({panic})"))
        }
        (true, Failure::Error(error)) => error,
    })
}

/// How tantivy failed to read a stored document.
enum Failure {
    /// It answered with an error.
    Error(tantivy::TantivyError),
    /// It panicked, with this message.
    Panic(String),
}

/// Loads the stored fields of one document.
pub fn load(searcher: &Searcher, address: DocAddress) -> tantivy::Result<StoredDocument> {
    let doc = fetch(searcher, address)?;
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
            .and_then(|d| Utc.timestamp_opt(d.into_timestamp_secs(), 0).single())
            .map(|at| Published {
                at,
                precision: first(schema::DATE_PRECISION)
                    .and_then(|v| v.as_u64())
                    .and_then(DatePrecision::from_code)
                    .unwrap_or(DatePrecision::Time),
            }),
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
        copy_of: text(&doc, schema, schema::COPY_OF),
        fingerprint: first(schema::FINGERPRINT)
            .and_then(|v| v.as_u64())
            .unwrap_or_default(),
        given: {
            let mut given: GivenLabels = text(&doc, schema, schema::GIVEN)
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            // Stored only when they say more than the document's own labels.
            given.outlet =
                text(&doc, schema, schema::OUTLET_GIVEN).unwrap_or_else(|| get(schema::OUTLET));
            given
        },
        lang_shares: parse_shares(&get(schema::LANG_SHARES)),
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
