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

use super::lsh::{self, BandKeys};
use super::records::{damaged, each_value, Fields, Record, Records};
use super::signature;
use crate::index::{schema, stored, Index};
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

impl Part {
    /// Counts a document of `group`.
    fn count(&mut self, group: &str) {
        match self.group_documents.get_mut(group) {
            Some(n) => *n += 1,
            None => {
                self.group_documents.insert(group.to_string(), 1);
            }
        }
    }

    /// The records of `parts` one after another, numbered ([`Records::finish`]), and the
    /// documents per group of them all.
    fn merge(parts: Vec<Part>) -> (Records, BTreeMap<String, u64>) {
        let mut group_documents = BTreeMap::new();
        for part in &parts {
            for (group, n) in &part.group_documents {
                *group_documents.entry(group.clone()).or_default() += n;
            }
        }
        let records = Records::concat(parts.into_iter().map(|p| p.records).collect());
        (records.finish(), group_documents)
    }
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
                let doc = stored::fetch(&searcher, address)?;
                let group = text(&doc, fields.group);
                out.count(group);
                let published = doc
                    .get_first(fields.published)
                    .and_then(|v| v.as_datetime())
                    .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0));
                let fields = Fields {
                    record: Record {
                        id: text(&doc, fields.id),
                        outlet: text(&doc, fields.outlet),
                        category: text(&doc, fields.category),
                        group,
                        published,
                    },
                    title: text(&doc, fields.title),
                    text: text(&doc, fields.text),
                };
                out.records.add(&fields, &mut scratch);
                Ok(())
            })?;
            Ok(out)
        })
        .collect::<Result<Vec<Part>, SearchError>>()?;
    Ok(Part::merge(parts))
}

/// The records of every document of `subset` (numbered by id, see [`Records::finish`]) and
/// every group's documents, from the signatures and fast fields the index holds; one
/// segment per task.
pub fn collect(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(Records, BTreeMap<String, u64>), SearchError> {
    let (_, parts) = per_segment(index, subset, |searcher, docs| {
        segment_part(searcher, docs, by)
    })?;
    Ok(Part::merge(parts))
}

/// `read` of each segment's documents of `subset` (in storage order), one segment per task,
/// and the searcher they were read with.
fn per_segment<T: Send>(
    index: &Index,
    subset: &Subset,
    read: impl Fn(&Searcher, &[DocAddress]) -> Result<T, SearchError> + Sync,
) -> Result<(Searcher, Vec<T>), SearchError> {
    let (searcher, addresses) = subset_in_storage_order(index, subset)?;
    let segments: Vec<&[DocAddress]> = addresses
        .chunk_by(|a, b| a.segment_ord == b.segment_ord)
        .collect();
    let parts = segments
        .par_iter()
        .map(|docs| read(&searcher, docs))
        .collect::<Result<Vec<T>, SearchError>>()?;
    progress::advanced(addresses.len() as u64);
    Ok((searcher, parts))
}

/// The records of the documents of `subset` that can be in a cluster (numbered by id, see
/// [`Records::finish`]) and every group's documents: what [`collect`] gives, with only the
/// records [`super::lsh`] finds candidates among, so that the clusters of the two are the
/// same. At a million documents nearly every document is alone in every band: its id,
/// outlet, category, group and date are never read. One pass reads the signatures and
/// groups of every document (one segment per task), a second the records of the candidates.
pub fn collect_candidates(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(Records, BTreeMap<String, u64>), SearchError> {
    let (searcher, mut scanned) = per_segment(index, subset, |searcher, docs| {
        scan_segment(searcher, docs, by)
    })?;
    let keys = BandKeys::of_parts(
        scanned
            .iter_mut()
            .map(|s| std::mem::take(&mut s.keys))
            .collect(),
    );
    let shared = lsh::shared(&keys);
    drop(keys);
    let mut candidates: Vec<Vec<DocAddress>> = vec![Vec::new(); scanned.len()];
    let (mut part, mut base) = (0, 0);
    for at in shared {
        let mut k = at as usize - base;
        while k >= scanned[part].signed.len() {
            base += scanned[part].signed.len();
            k -= scanned[part].signed.len();
            part += 1;
        }
        candidates[part].push(scanned[part].signed[k]);
    }
    let parts = candidates
        .par_iter()
        .map(|docs| segment_part(&searcher, docs, by))
        .collect::<Result<Vec<Part>, SearchError>>()?;
    let (records, _) = Part::merge(parts);
    // A record sharing a key's first 32 bits with another shares it with a record kept here
    // too (that one shares it back): the first pass of `lsh` would keep every record.
    let records = records.all_share_keys();
    let mut group_documents = BTreeMap::new();
    for part in scanned {
        for (group, n) in part.group_documents {
            *group_documents.entry(group).or_default() += n;
        }
    }
    Ok((records, group_documents))
}

/// What the first pass of [`collect_candidates`] reads of one segment's documents.
struct Scanned {
    /// Documents per group.
    group_documents: BTreeMap<String, u64>,
    /// The documents with a signature, in storage order.
    signed: Vec<DocAddress>,
    /// Their band keys ([`BandKeys::part`]).
    keys: Vec<u32>,
}

/// The documents per group of one segment's `docs` (each group's name read once) and the
/// band keys of those with a signature (the signature column walked once).
fn scan_segment(
    searcher: &Searcher,
    docs: &[DocAddress],
    by: GroupBy,
) -> Result<Scanned, SearchError> {
    let mut out = Scanned {
        group_documents: BTreeMap::new(),
        signed: Vec::new(),
        keys: Vec::new(),
    };
    let Some(first) = docs.first() else {
        return Ok(out);
    };
    let segment: &SegmentReader = searcher.segment_reader(first.segment_ord);
    let fast = segment.fast_fields();
    let rows: Vec<u32> = docs.iter().map(|d| d.doc_id).collect();
    // A document without a group counts under "" (as `Values::get` reads it).
    match fast.str(by.name())? {
        None => {
            out.group_documents.insert(String::new(), docs.len() as u64);
        }
        Some(column) => {
            let column: &BytesColumn = &column;
            let mut counts: BTreeMap<Option<u64>, u64> = BTreeMap::new();
            for ord in ords_of(column, &rows) {
                *counts.entry(ord).or_default() += 1;
            }
            let asked: Vec<Option<u64>> = counts.keys().copied().collect();
            let numbers: Vec<u64> = counts.values().copied().collect();
            if let Some(&none) = counts.get(&None) {
                out.group_documents.insert(String::new(), none);
            }
            each_value(column, &asked, |k, value| {
                *out.group_documents
                    .entry(String::from_utf8_lossy(value).into_owned())
                    .or_default() += numbers[k];
                Ok(())
            })?;
        }
    }
    let Some(signatures) = fast.bytes(schema::SIGNATURE)? else {
        return Ok(out);
    };
    let mut ords = Vec::with_capacity(docs.len());
    for address in docs {
        if let Some(ord) = signatures.term_ords(address.doc_id).next() {
            out.signed.push(*address);
            ords.push(Some(ord));
        }
    }
    let m = out.signed.len();
    out.keys = BandKeys::part(m);
    let walked = each_value(&signatures, &ords, |k, bytes| {
        if bytes.len() != signature::BYTES {
            return Err(damaged_signature(segment, out.signed[k], bytes.len()));
        }
        BandKeys::set_from_bytes(&mut out.keys, k, bytes);
        Ok(())
    })?;
    if walked {
        // Read once, in order: see `Records::with_signatures`.
        if let Ok(bytes) = signatures.dictionary().sstable_slice.read_bytes() {
            super::pages::release(bytes.as_slice());
        }
    }
    Ok(out)
}

/// The error for a stored signature of `len` bytes, naming the document.
fn damaged_signature(segment: &SegmentReader, address: DocAddress, len: usize) -> SearchError {
    let id = segment
        .fast_fields()
        .str(schema::ID)
        .ok()
        .flatten()
        .and_then(|column| {
            let ord = column.term_ords(address.doc_id).next()?;
            let mut id = String::new();
            column.ord_to_str(ord, &mut id).ok()?;
            Some(id)
        })
        .unwrap_or_else(|| format!("at {address:?}"));
    damaged(&id, len)
}

/// Each row's term ordinal in `column`.
fn ords_of(column: &BytesColumn, rows: &[u32]) -> Vec<Option<u64>> {
    rows.iter()
        .map(|&row| column.term_ords(row).next())
        .collect()
}

/// The values of a text column for some rows, each distinct value read and kept once (a
/// segment's outlets, categories and groups are a few strings for thousands of rows).
struct Values {
    terms: Vec<String>,
    /// Per row: its value in `terms`, `u32::MAX` for none.
    of_row: Vec<u32>,
}

impl Values {
    fn read(column: Option<StrColumn>, rows: &[u32]) -> Result<Values, SearchError> {
        let Some(column) = column else {
            return Ok(Values {
                terms: Vec::new(),
                of_row: vec![u32::MAX; rows.len()],
            });
        };
        let bytes: &BytesColumn = &column;
        let ords = ords_of(bytes, rows);
        let mut distinct: Vec<u64> = ords.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut terms = vec![String::new(); distinct.len()];
        let asked: Vec<Option<u64>> = distinct.iter().map(|&o| Some(o)).collect();
        each_value(bytes, &asked, |k, value| {
            terms[k] = String::from_utf8_lossy(value).into_owned();
            Ok(())
        })?;
        let of_row = ords
            .iter()
            .map(|o| o.map_or(u32::MAX, |o| distinct.partition_point(|&d| d < o) as u32))
            .collect();
        Ok(Values { terms, of_row })
    }

    /// The value of row `i` (empty where it has none).
    fn get(&self, i: usize) -> &str {
        self.terms
            .get(self.of_row[i] as usize)
            .map_or("", String::as_str)
    }
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
    let ids = Values::read(fast.str(schema::ID)?, &rows)?;
    let outlets = Values::read(fast.str(schema::OUTLET)?, &rows)?;
    let categories = Values::read(fast.str(schema::CATEGORY)?, &rows)?;
    let groups = Values::read(fast.str(by.name())?, &rows)?;
    let published = fast.date(schema::PUBLISHED)?;
    // Documents without words have no signature and are no record; the signatures
    // themselves stay in the column until copies are looked for.
    let signatures = fast.bytes(schema::SIGNATURE)?;
    let signed = |row: u32| {
        signatures
            .as_ref()
            .is_some_and(|column| column.term_ords(row).next().is_some())
    };
    out.records.reserve(docs.len());
    for (i, address) in docs.iter().enumerate() {
        let group = groups.get(i);
        out.count(group);
        if !signed(address.doc_id) {
            continue;
        }
        let published = published
            .first(address.doc_id)
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0));
        let record = Record {
            id: ids.get(i),
            outlet: outlets.get(i),
            category: categories.get(i),
            group,
            published,
        };
        out.records.add_located(&record, *address);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::settings::IndexSettings;
    use crate::index::writer::{AddOutcome, DocumentWriter, Prepared, WriterOptions};
    use crate::model::Document;
    use crate::timezone::Zone;

    #[test]
    fn a_damaged_signature_is_an_error_naming_its_document_by_either_route() {
        let dir = tempfile::tempdir().unwrap();
        let index = crate::index::open_or_create(dir.path()).unwrap();
        let options = WriterOptions {
            settings: IndexSettings::new(Zone::parse("UTC").unwrap()),
            drop_cross_outlet_copies: false,
        };
        let mut writer = DocumentWriter::open(&index, dir.path(), 1, options).unwrap();
        let doc = |id: &str, text: &str| Document {
            id: id.to_string(),
            fingerprint: crate::ingest::normalize::fingerprint(text),
            outlet: "vlast".to_string(),
            category: "independent".to_string(),
            text: text.to_string(),
            ..Document::default()
        };
        let good = doc(
            "good-1",
            "Интернет отключили по всей стране на пять дней подряд.",
        );
        assert!(matches!(writer.add(&good).unwrap(), AddOutcome::Indexed));
        let bad = doc(
            "bad-7",
            "Акимат сообщил о новых ограничениях движения в городе.",
        );
        let damaged = Prepared::with_signature(&bad, vec![1, 2, 3]);
        let added = writer.add_prepared(&bad, damaged).unwrap();
        assert!(matches!(added, AddOutcome::Indexed));
        writer.finish().unwrap();
        let everything = Subset {
            query: String::new(),
            filters: Default::default(),
        };
        let index = crate::index::open(dir.path()).unwrap();
        // `collect` reads signatures when the clusters are made, `collect_candidates` when
        // it reads band keys: either way the clusters are an error.
        for route in [collect, collect_candidates] {
            let error = route(&index, &everything, GroupBy::Category)
                .and_then(|(records, _)| super::super::clusters(&records, 0.8))
                .expect_err("a damaged signature is an error")
                .to_string();
            assert!(
                error.contains("document bad-7 holds a damaged copy signature (3 bytes)"),
                "{error}"
            );
            assert!(error.contains("mediawatch reindex"), "{error}");
        }
    }
}
