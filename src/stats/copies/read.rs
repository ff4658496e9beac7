//! The pass that reads documents for copy detection: a subset of the index in, every
//! document's [`Records`] entry and the documents per group out.
//!
//! Only the fields copies need are read from each stored document, borrowed from it rather
//! than copied, and the text is hashed where it lies; the full [`StoredDocument`] load
//! (every field, its JSON parts parsed) would cost a third more time per document.
//!
//! [`StoredDocument`]: crate::index::stored::StoredDocument

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tantivy::schema::{Field, Value};
use tantivy::{Searcher, TantivyDocument};

use super::records::{Fields, Records};
use crate::index::{schema, Index};
use crate::search::{self, SearchError};
use crate::stats::progress;
use crate::stats::scan::{addresses_in_storage_order, part_len, visit_part, GroupBy, Subset};

/// The records of one part of the documents and its documents per group (with or without
/// words).
#[derive(Default)]
struct Part {
    records: Records,
    group_documents: BTreeMap<String, u64>,
}

/// The schema fields the pass reads.
struct FieldsRead {
    id: Field,
    outlet: Field,
    category: Field,
    group: Field,
    published: Field,
    title: Field,
    text: Field,
}

impl FieldsRead {
    fn of(searcher: &Searcher, by: GroupBy) -> Result<FieldsRead, SearchError> {
        let schema = searcher.schema();
        let field = |name: &str| schema.get_field(name);
        Ok(FieldsRead {
            id: field(schema::ID)?,
            outlet: field(schema::OUTLET)?,
            category: field(schema::CATEGORY)?,
            group: field(by.name())?,
            published: field(schema::PUBLISHED)?,
            title: field(schema::TITLE)?,
            text: field(schema::TEXT)?,
        })
    }
}

fn text(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

/// The records of every document of `subset` (numbered by id, see [`Records::finish`]) and
/// every group's documents, read in parallel in the document store's order.
pub fn collect(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(Records, BTreeMap<String, u64>), SearchError> {
    let query = search::query::build(index, &subset.query, &subset.filters)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = FieldsRead::of(&searcher, by)?;
    let addresses = addresses_in_storage_order(&searcher, &*query)?;
    progress::started(addresses.len() as u64);
    let parts = addresses
        .par_chunks(part_len(addresses.len()))
        .map(|part| -> Result<Part, SearchError> {
            let mut out = Part::default();
            // Reserved once: doubling a vector this large would leave a copy behind.
            out.records.reserve(part.len());
            let mut scratch = Vec::new();
            visit_part(part, |address| -> Result<(), SearchError> {
                let doc: TantivyDocument = searcher.doc(address)?;
                let group = text(&doc, fields.group);
                match out.group_documents.get_mut(group) {
                    Some(n) => *n += 1,
                    None => {
                        out.group_documents.insert(group.to_string(), 1);
                    }
                }
                let published = doc
                    .get_first(fields.published)
                    .and_then(|v| v.as_datetime())
                    .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0));
                let fields = Fields {
                    id: text(&doc, fields.id),
                    outlet: text(&doc, fields.outlet),
                    category: text(&doc, fields.category),
                    group,
                    published,
                    title: text(&doc, fields.title),
                    text: text(&doc, fields.text),
                };
                out.records.add(&fields, &mut scratch);
                Ok(())
            })?;
            Ok(out)
        })
        .collect::<Result<Vec<Part>, SearchError>>()?;
    let mut group_documents = BTreeMap::new();
    for part in &parts {
        for (group, n) in &part.group_documents {
            *group_documents.entry(group.clone()).or_default() += n;
        }
    }
    let records = Records::concat(parts.into_iter().map(|p| p.records).collect());
    Ok((records.finish(), group_documents))
}
