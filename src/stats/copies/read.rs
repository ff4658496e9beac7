//! The pass that reads documents for copy detection: a subset of the index in, every
//! document's [`Records`] entry and the documents per group out.
//!
//! [`collect`] reads what the index wrote at ingest — each document's signature, id, outlet,
//! category, group and date from fast fields, each column's dictionary walked once per
//! segment — and no stored text. [`collect_from_texts`] makes the signatures again from the
//! stored texts: the independent route the tests check the index's signatures against.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tantivy::columnar::{BytesColumn, StrColumn};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, SegmentReader, TantivyDocument};

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

/// A searcher and `subset`'s documents in the document store's order, counted into the
/// progress bar: where both routes to the records start.
fn subset_in_storage_order(
    index: &Index,
    subset: &Subset,
) -> Result<(Searcher, Vec<DocAddress>), SearchError> {
    let query = search::query::build(index, &subset.query, &subset.filters)?;
    let searcher = index.reader()?.searcher();
    let addresses = addresses_in_storage_order(&searcher, &*query)?;
    progress::started(addresses.len() as u64);
    Ok((searcher, addresses))
}

/// The records of every document of `subset` (numbered by id, see [`Records::finish`]) and
/// every group's documents, their signatures made from the stored texts (read in parallel in
/// the document store's order): what [`collect`] reads from the index, by another route.
pub fn collect_from_texts(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(Records, BTreeMap<String, u64>), SearchError> {
    let (searcher, addresses) = subset_in_storage_order(index, subset)?;
    let fields = FieldsRead::of(&searcher, by)?;
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

/// The records of every document of `subset` (numbered by id, see [`Records::finish`]) and
/// every group's documents, from the signatures and fast fields the index holds; one
/// segment per task.
pub fn collect(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(Records, BTreeMap<String, u64>), SearchError> {
    let (searcher, addresses) = subset_in_storage_order(index, subset)?;
    let segments: Vec<&[DocAddress]> = addresses
        .chunk_by(|a, b| a.segment_ord == b.segment_ord)
        .collect();
    let parts = segments
        .par_iter()
        .map(|docs| segment_part(&searcher, docs, by))
        .collect::<Result<Vec<Part>, SearchError>>()?;
    progress::advanced(addresses.len() as u64);
    let mut group_documents = BTreeMap::new();
    for part in &parts {
        for (group, n) in &part.group_documents {
            *group_documents.entry(group.clone()).or_default() += n;
        }
    }
    let records = Records::concat(parts.into_iter().map(|p| p.records).collect());
    Ok((records.finish(), group_documents))
}

/// Calls `each(i, value)` for every row `rows[i]` holding a value of `column`, in order of
/// value (`ords`: each row's term ordinal): the column's dictionary walked once in order when
/// many rows are asked for, looked up row by row when few are. No copy of the values is kept.
fn each_value(
    column: &BytesColumn,
    ords: &[Option<u64>],
    mut each: impl FnMut(usize, &[u8]) -> Result<(), SearchError>,
) -> Result<(), SearchError> {
    let asked = ords.iter().filter(|o| o.is_some()).count();
    if asked * 16 < column.num_terms() {
        let mut bytes = Vec::new();
        for (i, ord) in ords.iter().enumerate() {
            if let Some(ord) = *ord {
                bytes.clear();
                column
                    .ord_to_bytes(ord, &mut bytes)
                    .map_err(tantivy::TantivyError::from)?;
                each(i, &bytes)?;
            }
        }
        return Ok(());
    }
    let mut by_ord: Vec<(u64, usize)> = ords
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.map(|o| (o, i)))
        .collect();
    by_ord.sort_unstable();
    let mut stream = column
        .dictionary()
        .stream()
        .map_err(tantivy::TantivyError::from)?;
    let mut next = by_ord.iter().peekable();
    while next.peek().is_some() && stream.advance() {
        let ord = stream.term_ord();
        while let Some(&&(_, i)) = next.peek().filter(|(o, _)| *o == ord) {
            each(i, stream.key())?;
            next.next();
        }
    }
    Ok(())
}

/// Each row's term ordinal in `column`.
fn ords_of(column: &BytesColumn, rows: &[u32]) -> Vec<Option<u64>> {
    rows.iter()
        .map(|&row| column.term_ords(row).next())
        .collect()
}

/// The values of a text column for each of `rows` (empty where a row has none).
fn str_values(column: Option<StrColumn>, rows: &[u32]) -> Result<Vec<String>, SearchError> {
    let mut values = vec![String::new(); rows.len()];
    if let Some(column) = column {
        let bytes: &BytesColumn = &column;
        each_value(bytes, &ords_of(bytes, rows), |i, value| {
            values[i] = String::from_utf8_lossy(value).into_owned();
            Ok(())
        })?;
    }
    Ok(values)
}

/// The records and documents per group of one segment's `docs`.
fn segment_part(
    searcher: &Searcher,
    docs: &[DocAddress],
    by: GroupBy,
) -> Result<Part, SearchError> {
    let mut out = Part {
        records: Records::from_searcher(searcher.clone()),
        ..Part::default()
    };
    let Some(first) = docs.first() else {
        return Ok(out);
    };
    let segment: &SegmentReader = searcher.segment_reader(first.segment_ord);
    let fast = segment.fast_fields();
    let rows: Vec<u32> = docs.iter().map(|d| d.doc_id).collect();
    let ids = str_values(fast.str(schema::ID)?, &rows)?;
    let outlets = str_values(fast.str(schema::OUTLET)?, &rows)?;
    let categories = str_values(fast.str(schema::CATEGORY)?, &rows)?;
    let groups = str_values(fast.str(by.name())?, &rows)?;
    let published = fast.date(schema::PUBLISHED)?;
    let signatures = fast.bytes(schema::SIGNATURE)?;
    let ords = match &signatures {
        Some(column) => ords_of(column, &rows),
        None => vec![None; rows.len()],
    };
    out.records.reserve(docs.len());
    // Record of each row with a signature: its slots are filled from the dictionary below.
    let mut record_of = vec![usize::MAX; rows.len()];
    for (i, address) in docs.iter().enumerate() {
        let group = groups[i].as_str();
        match out.group_documents.get_mut(group) {
            Some(n) => *n += 1,
            None => {
                out.group_documents.insert(group.to_string(), 1);
            }
        }
        if ords[i].is_none() {
            continue;
        }
        let published = published
            .first(address.doc_id)
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0));
        let fields = Fields {
            id: &ids[i],
            outlet: &outlets[i],
            category: &categories[i],
            group,
            published,
            title: "",
            text: "",
        };
        record_of[i] = out.records.add_located(&fields, *address);
    }
    if let Some(column) = &signatures {
        each_value(column, &ords, |i, value| {
            if out.records.set_signature(record_of[i], value) {
                Ok(())
            } else {
                Err(SearchError::Query(format!(
                    "document {} holds a damaged copy signature ({} bytes): rebuild the index with `mediawatch reindex`",
                    ids[i],
                    value.len()
                )))
            }
        })?;
    }
    Ok(out)
}
