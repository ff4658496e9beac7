//! Partials as Apache Parquet files (Snappy), readable by pandas, polars, R and Spark.
//!
//! One long table, one row per count, sorted (so the same partial is the same bytes):
//!
//! | column      | type   | meaning                                                       |
//! |-------------|--------|---------------------------------------------------------------|
//! | `items`     | string | `terms`, `entities`, `frames`, `period:NAME` (term counts in a period), and those of [`super::extra_rows`] and `report` |
//! | `kind`      | string | `group`, `outlet`, `term`, `term_outlet` or `form`            |
//! | `group`     | string | group label (by the header's `by`)                            |
//! | `outlet`    | string | outlet key (`outlet`, `term_outlet` rows), else null          |
//! | `term`      | string | the counted term (`term`, `term_outlet`, `form` rows)         |
//! | `form`      | string | a surface form of the term (`form` rows)                      |
//! | `documents` | uint64 | documents (`group`, `outlet`, `term` rows), else null         |
//! | `count`     | uint64 | tokens (`group`, `outlet`), occurrences (`term`, `term_outlet`, `form`) |
//! | `category`  | string | a document's category (rows of [`super::copy_rows`]), else null |
//! | `published` | int64  | a document's date in unix seconds (the same rows), else null  |
//! | `signature` | binary | a document's MinHash signature (the same rows), else null     |
//!
//! The [`Header`] is JSON under the file's key-value metadata key `mediawatch.partial`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BinaryArray, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::copy_rows::{self, CopyDocument, CopyRows};
use super::extra_rows::{self, Extra as Row};
use super::overview;
use super::{Header, NamedCounts, Overview, Partial, PartialError};
use crate::files::{self, Access};
use crate::stats::counts::{GroupCounts, TermCount, TermCounts};

/// The `items` of a period's term counts start with this, followed by the period's name.
const PERIOD: &str = "period:";

/// The metadata key of the header.
pub const HEADER_KEY: &str = "mediawatch.partial";

/// Rows per record batch when writing.
const BATCH_ROWS: usize = 64 * 1024;

/// Columns of one batch being built.
#[derive(Default)]
struct Rows {
    items: Vec<String>,
    kind: Vec<&'static str>,
    group: Vec<String>,
    outlet: Vec<Option<String>>,
    term: Vec<Option<String>>,
    form: Vec<Option<String>>,
    documents: Vec<Option<u64>>,
    count: Vec<u64>,
    category: Vec<Option<String>>,
    published: Vec<Option<i64>>,
    signature: Vec<Option<Vec<u8>>>,
}

impl Rows {
    fn push(&mut self, items: &str, row: Row) {
        self.items.push(items.to_string());
        self.kind.push(row.kind);
        self.group.push(row.group.to_string());
        self.outlet.push(row.outlet.map(str::to_string));
        self.term.push(row.term.map(str::to_string));
        self.form.push(row.form.map(str::to_string));
        self.documents.push(row.documents);
        self.count.push(row.count);
        self.category.push(None);
        self.published.push(None);
        self.signature.push(None);
    }

    /// Pushes a document's copy row.
    fn push_copy(&mut self, doc: &CopyDocument) {
        let row = Row {
            kind: "document",
            group: &doc.group,
            outlet: Some(&doc.outlet),
            term: Some(&doc.id),
            form: Some(&doc.title),
            ..Row::default()
        };
        self.push(copy_rows::ITEMS, row);
        *self.category.last_mut().expect("pushed") = Some(doc.category.clone());
        *self.published.last_mut().expect("pushed") = doc.published;
        *self.signature.last_mut().expect("pushed") =
            Some(copy_rows::signature_bytes(&doc.signature));
    }

    fn len(&self) -> usize {
        self.count.len()
    }

    fn batch(&mut self, schema: &Arc<Schema>) -> Result<RecordBatch, String> {
        let rows = std::mem::take(self);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(rows.items)),
            Arc::new(StringArray::from(rows.kind)),
            Arc::new(StringArray::from(rows.group)),
            Arc::new(StringArray::from(rows.outlet)),
            Arc::new(StringArray::from(rows.term)),
            Arc::new(StringArray::from(rows.form)),
            Arc::new(UInt64Array::from(rows.documents)),
            Arc::new(UInt64Array::from(rows.count)),
            Arc::new(StringArray::from(rows.category)),
            Arc::new(Int64Array::from(rows.published)),
            Arc::new(BinaryArray::from_iter(rows.signature)),
        ];
        RecordBatch::try_new(schema.clone(), columns).map_err(|e| e.to_string())
    }
}

fn schema() -> Arc<Schema> {
    let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text("items", false),
        text("kind", false),
        text("group", false),
        text("outlet", true),
        text("term", true),
        text("form", true),
        Field::new("documents", DataType::UInt64, true),
        Field::new("count", DataType::UInt64, false),
        text("category", true),
        Field::new("published", DataType::Int64, true),
        Field::new("signature", DataType::Binary, true),
    ]))
}

/// The partial as Parquet bytes.
pub fn to_bytes(partial: &Partial) -> Result<Vec<u8>, String> {
    let schema = schema();
    let header = serde_json::to_string(&partial.header).map_err(|e| e.to_string())?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new(HEADER_KEY.to_string(), header)]))
        .set_created_by(format!("mediawatch {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, schema.clone(), Some(properties))
        .map_err(|e| e.to_string())?;
    let mut rows = Rows::default();
    let mut emit = |items: &str, row: Row| -> Result<(), String> {
        rows.push(items, row);
        if rows.len() >= BATCH_ROWS {
            let batch = rows.batch(&schema)?;
            writer.write(&batch).map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let sections = [
        ("terms", partial.terms.as_ref()),
        ("entities", partial.entities.as_ref()),
        ("frames", partial.frames.as_ref()),
    ];
    for (items, counts) in sections {
        if let Some(counts) = counts {
            for_each_row(counts, |row| emit(items, row))?;
        }
    }
    for (name, counts) in &partial.period_terms {
        let items = format!("{PERIOD}{name}");
        for_each_row(counts, |row| emit(&items, row))?;
    }
    if let Some(detail) = &partial.entity_detail {
        extra_rows::entities(detail, &mut emit)?;
    }
    if let Some(buckets) = &partial.frame_buckets {
        extra_rows::frames(buckets, &mut emit)?;
    }
    if let Some(dated) = &partial.dated {
        extra_rows::dated(dated, &mut emit)?;
    }
    if let Some(overview) = &partial.overview {
        overview.rows(&mut emit)?;
    }
    if let Some(copies) = &partial.copies {
        for (group, n) in &copies.group_documents {
            let row = Row {
                kind: "group_documents",
                group,
                count: *n,
                ..Row::default()
            };
            emit(copy_rows::ITEMS, row)?;
        }
        for doc in &copies.documents {
            rows.push_copy(doc);
            if rows.len() >= BATCH_ROWS {
                let batch = rows.batch(&schema)?;
                writer.write(&batch).map_err(|e| e.to_string())?;
            }
        }
    }
    if rows.len() > 0 {
        let batch = rows.batch(&schema)?;
        writer.write(&batch).map_err(|e| e.to_string())?;
    }
    writer.close().map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Calls `each` with every row of `counts`, in a fixed order.
fn for_each_row(
    counts: &NamedCounts,
    mut each: impl FnMut(Row) -> Result<(), String>,
) -> Result<(), String> {
    let (counts, outlets) = counts.parts();
    let name = |n: &u32| outlets.get(*n as usize).map(String::as_str).unwrap_or("");
    for (group, g) in &counts.groups {
        let row = |kind, outlet, term, form, documents, count| Row {
            kind,
            group,
            outlet,
            term,
            form,
            documents,
            count,
        };
        each(row("group", None, None, None, Some(g.documents), g.tokens))?;
        for (outlet, tokens) in g.outlet_tokens.iter() {
            let documents = g.outlet_documents.get(outlet);
            each(row(
                "outlet",
                Some(name(outlet)),
                None,
                None,
                Some(documents),
                tokens,
            ))?;
        }
        let mut terms: Vec<(&String, &TermCount)> = g.terms.iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (term, count) in terms {
            let term = Some(term.as_str());
            each(row("term", None, term, None, Some(count.docs), count.freq))?;
            for (outlet, n) in count.by_outlet.iter() {
                each(row("term_outlet", Some(name(outlet)), term, None, None, n))?;
            }
            let mut forms: Vec<(&String, &u64)> = count.forms.iter().collect();
            forms.sort_unstable();
            for (form, n) in forms {
                each(row("form", None, term, Some(form), None, *n))?;
            }
        }
    }
    Ok(())
}

/// Writes `partial` to `path` (replacing it whole: a reader never sees half a file).
pub fn write(partial: &Partial, path: &Path) -> Result<(), PartialError> {
    let failed = |reason: String| PartialError::File {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = to_bytes(partial).map_err(|e| failed(format!("cannot encode the partial: {e}")))?;
    files::write_replacing(path, &bytes, Access::Shared)
        .map_err(|e| failed(format!("cannot write: {e}")))
}

/// Reads the partial at `path`; anything that is not a complete partial of this layout is an
/// error naming the file.
pub fn read(path: &Path) -> Result<Partial, PartialError> {
    let failed = |reason: String| PartialError::File {
        path: path.to_path_buf(),
        reason,
    };
    let file = files::open_regular(path, true).map_err(|e| failed(format!("cannot open: {e}")))?;
    let not_partial = |e: &dyn std::fmt::Display| {
        failed(format!(
            "not a readable mediawatch partial (damaged or another kind of file): {e}"
        ))
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| not_partial(&e))?;
    let header_text = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|pairs| pairs.iter().find(|kv| kv.key == HEADER_KEY))
        .and_then(|kv| kv.value.clone())
        .ok_or_else(|| {
            failed(format!(
                "a Parquet file without a `{HEADER_KEY}` header: not a mediawatch partial"
            ))
        })?;
    let header: Header = serde_json::from_str(&header_text)
        .map_err(|e| failed(format!("unreadable header: {e}")))?;
    let columns = |s: &Schema| -> Vec<(String, DataType)> {
        s.fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect()
    };
    if columns(builder.schema()) != columns(&schema()) {
        return Err(failed(format!(
            "columns differ from a mediawatch partial's (format {})",
            header.format
        )));
    }
    let reader = builder.build().map_err(|e| not_partial(&e))?;
    let mut sections: [Section; 3] = Default::default();
    let mut extra = extra_rows::Read::default();
    let mut overview = Overview::default();
    let mut periods = BTreeMap::new();
    let mut copies = CopyRows::default();
    for batch in reader {
        let batch = batch.map_err(|e| not_partial(&e))?;
        add_copies(&batch, &mut copies).map_err(failed)?;
        let others = (&mut extra, &mut overview, &mut periods);
        add_batch(&batch, &mut sections, others).map_err(failed)?;
    }
    let [terms, entities, frames] = sections;
    // What was counted is in the header, not in the rows: a shard where nothing matched
    // has no rows and still counted (zero) terms, entities and frames.
    let (entity_list, frame_list) = (header.entity_list.is_some(), header.frame_list.is_some());
    let interval = header.interval.is_some();
    let report = header.report;
    let with_copies = header.copies;
    let period_terms_only = header.period_terms_only;
    Ok(Partial {
        header,
        terms: (!period_terms_only).then(|| terms.finish()),
        entities: (entity_list || entities.present).then(|| entities.finish()),
        frames: (frame_list || frames.present).then(|| frames.finish()),
        entity_detail: entity_list.then_some(extra.entities),
        frame_buckets: (frame_list && interval).then_some(extra.frames),
        dated: interval.then_some(extra.dated),
        overview: report.then_some(overview),
        period_terms: periods.into_iter().map(|(n, s)| (n, s.finish())).collect(),
        copies: with_copies.then(|| std::sync::Arc::new(copies)),
    })
}

/// The counts of one `items` section being read back.
#[derive(Default)]
struct Section {
    present: bool,
    outlets: std::collections::BTreeMap<String, u32>,
    counts: TermCounts,
}

impl Section {
    fn outlet(&mut self, name: &str) -> u32 {
        let next = self.outlets.len() as u32;
        *self.outlets.entry(name.to_string()).or_insert(next)
    }

    /// Numbers the outlets in sorted order, as an index does.
    fn finish(self) -> NamedCounts {
        let names: Vec<String> = self.outlets.keys().cloned().collect();
        let first: Vec<String> = {
            let mut by_number = vec![String::new(); self.outlets.len()];
            for (name, n) in &self.outlets {
                by_number[*n as usize] = name.clone();
            }
            by_number
        };
        let mut named = NamedCounts::new(TermCounts::default(), &names);
        named.merge(NamedCounts::new(self.counts, &first));
        named
    }
}

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray, String> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| format!("column `{name}` missing or not text"))
}

fn numbers<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a UInt64Array, String> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<UInt64Array>())
        .ok_or_else(|| format!("column `{name}` missing or not uint64"))
}

fn add_batch(
    batch: &RecordBatch,
    sections: &mut [Section; 3],
    (extra, overview, periods): (
        &mut extra_rows::Read,
        &mut Overview,
        &mut BTreeMap<String, Section>,
    ),
) -> Result<(), String> {
    let items = strings(batch, "items")?;
    let kind = strings(batch, "kind")?;
    let group = strings(batch, "group")?;
    let outlet = strings(batch, "outlet")?;
    let term = strings(batch, "term")?;
    let form = strings(batch, "form")?;
    let documents = numbers(batch, "documents")?;
    let count = numbers(batch, "count")?;
    let text = |column: &StringArray, i: usize, name: &str| -> Result<String, String> {
        if column.is_null(i) {
            return Err(format!(
                "row {i}: `{name}` is empty on a `{}` row",
                kind.value(i)
            ));
        }
        Ok(column.value(i).to_string())
    };
    for i in 0..batch.num_rows() {
        if items.value(i) == copy_rows::ITEMS {
            continue;
        }
        let kinds = extra_rows::KINDS.iter().chain(&overview::KINDS);
        if let Some(kind) = kinds.into_iter().find(|k| **k == kind.value(i)) {
            let row = Row {
                kind,
                group: group.value(i),
                outlet: nonempty(outlet, i),
                term: nonempty(term, i),
                form: nonempty(form, i),
                documents: (!documents.is_null(i)).then(|| documents.value(i)),
                count: count.value(i),
            };
            match items.value(i) {
                "report" => overview.add(row),
                items => extra.add(items, row),
            }
            .map_err(|e| format!("row {i}: {e}"))?;
            continue;
        }
        let section = match items.value(i) {
            "terms" => &mut sections[0],
            "entities" => &mut sections[1],
            "frames" => &mut sections[2],
            other => match other.strip_prefix(PERIOD) {
                Some(name) => periods.entry(name.to_string()).or_default(),
                None => return Err(format!("row {i}: unknown items `{other}`")),
            },
        };
        section.present = true;
        let docs = || {
            (!documents.is_null(i))
                .then(|| documents.value(i))
                .ok_or_else(|| {
                    format!("row {i}: `documents` is empty on a `{}` row", kind.value(i))
                })
        };
        let n = count.value(i);
        let label = group.value(i);
        match kind.value(i) {
            "group" => {
                let documents = docs()?;
                let g = section.counts.group_mut(label);
                g.documents += documents;
                g.tokens += n;
            }
            "outlet" => {
                let documents = docs()?;
                let o = section.outlet(&text(outlet, i, "outlet")?);
                let g = section.counts.group_mut(label);
                g.outlet_tokens.add(o, n);
                g.outlet_documents.add(o, documents);
            }
            "term" => {
                let documents = docs()?;
                let t = section
                    .counts
                    .group_mut(label)
                    .terms
                    .entry(text(term, i, "term")?)
                    .or_default();
                t.freq += n;
                t.docs += documents;
            }
            "term_outlet" => {
                let o = section.outlet(&text(outlet, i, "outlet")?);
                let t = term_entry(section.counts.group_mut(label), text(term, i, "term")?);
                t.by_outlet.add(o, n);
            }
            "form" => {
                let t = term_entry(section.counts.group_mut(label), text(term, i, "term")?);
                *t.forms.entry(text(form, i, "form")?).or_default() += n;
            }
            other => return Err(format!("row {i}: unknown kind `{other}`")),
        }
    }
    Ok(())
}

/// The text at row `i`, unless null.
fn nonempty(column: &StringArray, i: usize) -> Option<&str> {
    (!column.is_null(i)).then(|| column.value(i))
}

fn term_entry(group: &mut GroupCounts, term: String) -> &mut TermCount {
    group.terms.entry(term).or_default()
}

/// Adds the copy rows of `batch` (`items` `copies`; see [`super::copy_rows`]).
fn add_copies(batch: &RecordBatch, copies: &mut CopyRows) -> Result<(), String> {
    let items = strings(batch, "items")?;
    let kind = strings(batch, "kind")?;
    let group = strings(batch, "group")?;
    let (outlet, term, form) = (
        strings(batch, "outlet")?,
        strings(batch, "term")?,
        strings(batch, "form")?,
    );
    let category = strings(batch, "category")?;
    let count = numbers(batch, "count")?;
    let published = batch
        .column_by_name("published")
        .and_then(|c| c.as_any().downcast_ref::<Int64Array>())
        .ok_or("column `published` missing or not int64")?;
    let signature = batch
        .column_by_name("signature")
        .and_then(|c| c.as_any().downcast_ref::<BinaryArray>())
        .ok_or("column `signature` missing or not binary")?;
    for i in (0..batch.num_rows()).filter(|&i| items.value(i) == copy_rows::ITEMS) {
        let text = |column: &StringArray, name: &str| {
            nonempty(column, i)
                .map(str::to_string)
                .ok_or_else(|| format!("row {i}: `{name}` is empty on a copies row"))
        };
        match kind.value(i) {
            "group_documents" => copies.add_group(group.value(i), count.value(i)),
            "document" => {
                let bytes = (!signature.is_null(i)).then(|| signature.value(i));
                let signature = bytes
                    .and_then(copy_rows::signature_of)
                    .ok_or_else(|| format!("row {i}: `signature` is not 128 four-byte numbers"))?;
                copies.documents.push(CopyDocument {
                    id: text(term, "term")?,
                    outlet: text(outlet, "outlet")?,
                    category: text(category, "category")?,
                    group: group.value(i).to_string(),
                    published: (!published.is_null(i)).then(|| published.value(i)),
                    title: text(form, "form")?,
                    signature,
                });
            }
            other => return Err(format!("row {i}: unknown kind `{other}` of copies")),
        }
    }
    Ok(())
}
