//! What an index holds: an index in, document counts by group, date range and size out.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{TimeZone, Utc};

use crate::index::settings::IndexSettings;
use crate::timezone::{DatePrecision, Published};
use rayon::prelude::*;
use serde::Serialize;
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Index, SegmentReader};

use crate::index::schema;
use crate::index::{IndexError, Result};

/// Summary of an index's contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndexInfo {
    /// Live documents.
    pub documents: u64,
    /// Documents per value of each label facet (JSON: its `by_*` keys stand at this level).
    #[serde(flatten)]
    pub facets: Breakdown,
    /// Documents without a publication date (counted everywhere but on timelines).
    pub undated: u64,
    /// Documents dated only to the month or the year.
    pub dated_to_month_or_year: u64,
    /// Documents whose text another outlet published first (indexed as copies).
    pub copies: u64,
    /// Earliest and latest publication dates (JSON: `first_published`, `last_published` at
    /// this level).
    #[serde(flatten)]
    pub span: PublishedSpan,
    /// The zone calendar days are days of, and times are shown in.
    pub display_zone: String,
    /// Documents whose declared language differs from the detected one, as `declared→detected`.
    pub lang_disagreements: BTreeMap<String, u64>,
    /// Bytes the index directory takes on disk.
    pub size_bytes: u64,
}

/// Live documents counted per value of each label facet: the breakdowns `index info` lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Breakdown {
    /// Documents per category.
    pub by_category: BTreeMap<String, u64>,
    /// Documents per outlet.
    pub by_outlet: BTreeMap<String, u64>,
    /// Documents per detected language.
    pub by_lang: BTreeMap<String, u64>,
    /// Documents per medium.
    pub by_medium: BTreeMap<String, u64>,
}

impl Breakdown {
    /// Each facet's name as `index info` prints it, with its counts: category, outlet,
    /// language, medium.
    pub fn named(&self) -> [(&'static str, &BTreeMap<String, u64>); 4] {
        [
            ("category", &self.by_category),
            ("outlet", &self.by_outlet),
            ("language", &self.by_lang),
            ("medium", &self.by_medium),
        ]
    }
}

/// The earliest and latest publication dates of an index's dated documents, in its display
/// zone with the offset; both `None` when no document is dated.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PublishedSpan {
    /// Earliest publication date.
    pub first_published: Option<String>,
    /// Latest publication date.
    pub last_published: Option<String>,
}

fn str_value(column: &Option<StrColumn>, doc: DocId, buf: &mut String) -> Option<String> {
    let column = column.as_ref()?;
    let ord = column.term_ords(doc).next()?;
    buf.clear();
    column.ord_to_str(ord, buf).ok()?;
    Some(buf.clone())
}

fn segment_info(
    segment: &SegmentReader,
    info: &mut IndexInfo,
    range: &mut Option<(Published, Published)>,
) -> tantivy::Result<()> {
    let fast = segment.fast_fields();
    let category = fast.str(schema::CATEGORY)?;
    let outlet = fast.str(schema::OUTLET)?;
    let lang = fast.str(schema::LANG)?;
    let medium = fast.str(schema::MEDIUM)?;
    let declared = fast.str(schema::DECLARED_LANG)?;
    let published = fast.date(schema::PUBLISHED)?;
    let precision = fast.u64(schema::DATE_PRECISION)?;
    let copies =
        crate::index::indexed_values(segment, segment.schema().get_field(schema::COPY_OF)?)?;
    let mut buf = String::new();
    for doc in segment.doc_ids_alive() {
        info.documents += 1;
        let mut count = |column: &Option<StrColumn>, map: &mut BTreeMap<String, u64>| {
            if let Some(value) = str_value(column, doc, &mut buf) {
                *map.entry(value).or_default() += 1;
            }
        };
        let facets = &mut info.facets;
        count(&category, &mut facets.by_category);
        count(&outlet, &mut facets.by_outlet);
        count(&lang, &mut facets.by_lang);
        count(&medium, &mut facets.by_medium);
        if let (Some(declared), Some(detected)) = (
            str_value(&declared, doc, &mut buf),
            str_value(&lang, doc, &mut buf),
        ) {
            if declared != detected {
                *info
                    .lang_disagreements
                    .entry(format!("{declared}→{detected}"))
                    .or_default() += 1;
            }
        }
        if copies.contains_key(&doc) {
            info.copies += 1;
        }
        let date = published.first(doc).and_then(|at| {
            Some(Published {
                at: Utc.timestamp_opt(at.into_timestamp_secs(), 0).single()?,
                precision: precision
                    .first(doc)
                    .and_then(DatePrecision::from_code)
                    .unwrap_or(DatePrecision::Time),
            })
        });
        match date {
            None => info.undated += 1,
            Some(date) => {
                if matches!(date.precision, DatePrecision::Month | DatePrecision::Year) {
                    info.dated_to_month_or_year += 1;
                }
                *range = Some(match *range {
                    Some((lo, hi)) => (lo.min(date), hi.max(date)),
                    None => (date, date),
                });
            }
        }
    }
    Ok(())
}

/// Summarizes the index in `dir`.
pub fn collect(index: &Index, dir: &Path) -> Result<IndexInfo> {
    let tantivy = |source| IndexError::from_tantivy(dir, source);
    let reader = index.reader().map_err(tantivy)?;
    let searcher = reader.searcher();
    let mut info = IndexInfo::default();
    let mut range = None;
    for segment in searcher.segment_readers() {
        segment_info(segment, &mut info, &mut range).map_err(tantivy)?;
    }
    let zone = IndexSettings::of(index).unwrap_or_default().display_zone;
    info.display_zone = zone.name();
    if let Some((lo, hi)) = range {
        info.span = PublishedSpan {
            first_published: Some(zone.show(&lo)),
            last_published: Some(zone.show(&hi)),
        };
    }
    info.size_bytes = dir_size(dir);
    Ok(info)
}

/// The index's identity: its live documents and the sum of xxh3 hashes of their (outlet + id
/// key, text fingerprint) pairs, so two indexes with the same documents have the same
/// fingerprint whatever their segment layout — or their split into shards.
pub fn fingerprint(index: &Index) -> tantivy::Result<(u64, String)> {
    let (documents, sum) = fingerprint_sum(index)?;
    Ok((documents, fingerprint_text(sum)))
}

/// The live documents of `index` and the wrapping sum of each one's xxh3 over its (outlet +
/// id, text fingerprint) pair: a sum, so the fingerprint of shards' sums added up is that of
/// one index holding all their documents (a partial carries its shard's sum).
pub fn fingerprint_sum(index: &Index) -> tantivy::Result<(u64, u64)> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    // A sum: segments are summed apart, on all threads, and added up.
    let parts = searcher
        .segment_readers()
        .par_iter()
        .map(segment_fingerprint)
        .collect::<tantivy::Result<Vec<_>>>()?;
    Ok(parts.into_iter().fold((0, 0), |(documents, sum), (d, s)| {
        (documents + d, sum.wrapping_add(s))
    }))
}

/// [`fingerprint_sum`] of one segment's live documents. Keys are read by walking the key
/// column's dictionary once in order, with the documents sorted by their key's ordinal
/// (looking each document's key up by ordinal costs a dictionary block search apiece).
fn segment_fingerprint(segment: &SegmentReader) -> tantivy::Result<(u64, u64)> {
    let fast = segment.fast_fields();
    let keys = fast.str(schema::KEY)?;
    let prints = fast.u64(schema::FINGERPRINT)?;
    let mut bytes = Vec::new();
    let mut hash = |key: &[u8], doc: DocId| {
        bytes.clear();
        bytes.extend_from_slice(key);
        bytes.push(0);
        bytes.extend_from_slice(&prints.first(doc).unwrap_or(0).to_le_bytes());
        xxhash_rust::xxh3::xxh3_64(&bytes)
    };
    let (mut documents, mut sum) = (0u64, 0u64);
    // (key ordinal, document); documents without a key hash as the empty key.
    let mut keyed: Vec<(u64, DocId)> = Vec::new();
    for doc in segment.doc_ids_alive() {
        documents += 1;
        match keys.as_ref().and_then(|c| c.term_ords(doc).next()) {
            Some(ord) => keyed.push((ord, doc)),
            None => sum = sum.wrapping_add(hash(b"", doc)),
        }
    }
    if let Some(column) = &keys {
        keyed.sort_unstable();
        let mut next = keyed.iter().peekable();
        let mut stream = column.dictionary().stream()?;
        while next.peek().is_some() && stream.advance() {
            let ord = stream.term_ord();
            while let Some(&(_, doc)) = next.next_if(|(o, _)| *o == ord) {
                sum = sum.wrapping_add(hash(stream.key(), doc));
            }
        }
    }
    Ok((documents, sum))
}

/// The fingerprint shown for a [`fingerprint_sum`].
pub fn fingerprint_text(sum: u64) -> String {
    format!("xxh3:{sum:016x}")
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    // regression: the flattened facet counts and date span keep `info --format json`'s keys
    // where they were.
    #[test]
    fn index_info_json_keys_keep_their_order() {
        let info = IndexInfo {
            documents: 2,
            facets: Breakdown {
                by_lang: BTreeMap::from([("ru".to_string(), 2)]),
                ..Breakdown::default()
            },
            span: PublishedSpan {
                first_published: Some("a".into()),
                last_published: Some("b".into()),
            },
            ..IndexInfo::default()
        };
        assert_eq!(
            serde_json::to_string(&info).unwrap(),
            concat!(
                r#"{"documents":2,"by_category":{},"by_outlet":{},"by_lang":{"ru":2},"#,
                r#""by_medium":{},"undated":0,"dated_to_month_or_year":0,"copies":0,"#,
                r#""first_published":"a","last_published":"b","display_zone":"","#,
                r#""lang_disagreements":{},"size_bytes":0}"#
            )
        );
    }
}
