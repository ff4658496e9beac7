//! Export rows as Parquet columns.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{DocumentRow, TermRow};

/// Rows per record batch (and so per row group at most).
const BATCH_ROWS: usize = 64 * 1024;

fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

/// Writes batches made by `batch` over `rows` in slices of [`BATCH_ROWS`].
fn write<T>(
    rows: &[T],
    schema: Arc<Schema>,
    batch: impl Fn(&[T]) -> Vec<ArrayRef>,
) -> Result<Vec<u8>, String> {
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("mediawatch {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, schema.clone(), Some(properties))
        .map_err(|e| e.to_string())?;
    for slice in rows.chunks(BATCH_ROWS) {
        let batch =
            RecordBatch::try_new(schema.clone(), batch(slice)).map_err(|e| e.to_string())?;
        writer.write(&batch).map_err(|e| e.to_string())?;
    }
    writer.close().map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Documents as Parquet bytes.
pub(super) fn documents(rows: &[DocumentRow]) -> Result<Vec<u8>, String> {
    let schema = Arc::new(Schema::new(vec![
        text("id", false),
        text("outlet", false),
        text("category", false),
        text("lang", false),
        text("medium", false),
        Field::new(
            "published",
            DataType::Timestamp(arrow_schema::TimeUnit::Second, Some("UTC".into())),
            true,
        ),
        text("published_precision", true),
        text("title", false),
        text("text", false),
        text("url", true),
        text("copy_of", true),
        Field::new("lang_share", DataType::Float64, false),
    ]));
    write(rows, schema, |rows| {
        let strings = |f: &dyn Fn(&DocumentRow) -> &str| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
        };
        let optional = |f: &dyn Fn(&DocumentRow) -> Option<&str>| -> ArrayRef {
            Arc::new(StringArray::from(rows.iter().map(f).collect::<Vec<_>>()))
        };
        let seconds: Vec<Option<i64>> = rows
            .iter()
            .map(|r| {
                r.published.as_deref().and_then(|p| {
                    chrono::DateTime::parse_from_rfc3339(p)
                        .ok()
                        .map(|t| t.timestamp())
                })
            })
            .collect();
        vec![
            strings(&|r| &r.id),
            strings(&|r| &r.labels.outlet),
            strings(&|r| &r.labels.category),
            strings(&|r| &r.labels.lang),
            strings(&|r| &r.labels.medium),
            Arc::new(arrow_array::TimestampSecondArray::from(seconds).with_timezone("UTC")),
            optional(&|r| r.published_precision.as_deref()),
            strings(&|r| &r.title),
            strings(&|r| &r.text),
            optional(&|r| r.url.as_deref()),
            optional(&|r| r.copy_of.as_deref()),
            Arc::new(Float64Array::from_iter_values(
                rows.iter().map(|r| r.lang_share),
            )),
        ]
    })
}

/// Document-term counts as Parquet bytes.
pub(super) fn terms(rows: &[TermRow]) -> Result<Vec<u8>, String> {
    let schema = Arc::new(Schema::new(vec![
        text("outlet", false),
        text("id", false),
        text("term", false),
        Field::new("count", DataType::UInt64, false),
    ]));
    write(rows, schema, |rows| {
        vec![
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| &r.outlet),
            )) as ArrayRef,
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.id))),
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.term))),
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.count))),
        ]
    })
}
