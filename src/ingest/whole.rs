//! Whole-file readers: one plain-text document or one subtitle transcript per file in,
//! one raw record (or reject) out. Metadata comes from, in order of priority: the file's own
//! header lines (plain text), a sidecar `FILE.meta.json`, `--set` (applied in normalization),
//! and the file name: a date anywhere in it, the rest as the outlet (see
//! [`crate::ingest::dates::file_name_parts`]).

use std::io::Read;
use std::path::Path;

use crate::ingest::dates::file_name_parts;
use crate::ingest::decode;
use crate::ingest::fields::{self, FieldCollector, FieldMap};
use crate::ingest::record::{
    excerpt, lossy_excerpt, Fields, RawRecord, ReadItem, RecordKind, RejectReason,
};
use crate::ingest::source::{InputFormat, OpenedInput};
use crate::ingest::subtitles::{join_cues, parse_srt, parse_vtt};

/// Reads one file as one document.
pub fn read(
    path: &Path,
    format: InputFormat,
    input: OpenedInput,
    map: &FieldMap,
    cap: u64,
    emit: &mut dyn FnMut(ReadItem),
) {
    let mut bytes = Vec::new();
    if let Err(e) = input.reader.take(cap + 1).read_to_end(&mut bytes) {
        emit(rejected(RejectReason::ReadError(e.to_string()), &bytes));
        return;
    }
    if bytes.len() as u64 > cap {
        emit(rejected(
            RejectReason::TooLarge {
                bytes: bytes.len() as u64,
                cap,
            },
            &bytes,
        ));
        return;
    }
    let text = match decode::decode(&bytes, input.encoding) {
        Ok(text) => text,
        Err(e) => {
            emit(rejected(RejectReason::Undecodable(e.to_string()), &bytes));
            return;
        }
    };
    let mut record = RawRecord {
        line: 1,
        fields: Fields::default(),
        format_medium: None,
        cues: Vec::new(),
        raw: excerpt(&text).to_string(),
        name_fields: file_name_fields(path),
        kind: if format == InputFormat::Txt {
            RecordKind::Text
        } else {
            RecordKind::Subtitles
        },
    };
    match format {
        InputFormat::Srt | InputFormat::Vtt => {
            let parsed = if format == InputFormat::Srt {
                parse_srt(&text)
            } else {
                parse_vtt(&text)
            };
            match parsed {
                Ok(cues) => {
                    let (joined, _) = join_cues(&cues);
                    record.fields.text = Some(joined);
                    record.cues = cues;
                    record.format_medium = Some("broadcast");
                }
                Err(e) => {
                    emit(ReadItem::Rejected {
                        line: e.line,
                        reason: RejectReason::MalformedSubtitles(e.to_string()),
                        raw: record.raw,
                    });
                    return;
                }
            }
        }
        _ => record.fields = split_header(&text, map),
    }
    match sidecar_fields(path, map) {
        Ok(Some(sidecar)) => record.fields.fill_from(sidecar),
        Ok(None) => {}
        Err(reason) => {
            emit(ReadItem::Rejected {
                line: 1,
                reason,
                raw: record.raw,
            });
            return;
        }
    }
    emit(ReadItem::Record(Box::new(record)));
}

fn rejected(reason: RejectReason, bytes: &[u8]) -> ReadItem {
    ReadItem::Rejected {
        line: 1,
        reason,
        raw: lossy_excerpt(bytes),
    }
}

/// Splits optional `Key: value` header lines (before the first blank line) from the body.
/// Header keys are the field aliases (Title, Outlet, Date, URL, Lang, Medium, ...); the header
/// block ends at the first line that is not one.
pub fn split_header(text: &str, map: &FieldMap) -> Fields {
    let mut collector = FieldCollector::default();
    let mut body_start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let header = trimmed
            .split_once(':')
            .filter(|(key, _)| map.resolve(key).is_some());
        match header {
            Some((key, value)) => {
                collector.offer(map, key, value.trim().to_string());
                offset += line.len();
                body_start = offset;
            }
            None if trimmed.is_empty() && offset > 0 => {
                body_start = offset + line.len();
                break;
            }
            None => break,
        }
    }
    let mut fields = collector.finish();
    fields.text = Some(text[body_start..].to_string());
    fields
}

/// Largest sidecar read: metadata, not documents.
pub const SIDECAR_CAP: u64 = 1 << 20;

/// Fields from `FILE.meta.json`, if present. The sidecar must be a regular file (not a link,
/// FIFO or device) of at most [`SIDECAR_CAP`] bytes.
fn sidecar_fields(path: &Path, map: &FieldMap) -> Result<Option<Fields>, RejectReason> {
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(".meta.json");
    let shown = Path::new(&sidecar).display();
    let bytes = match crate::files::read_capped(Path::new(&sidecar), SIDECAR_CAP) {
        Ok(crate::files::Capped::Whole(bytes)) => bytes,
        Ok(crate::files::Capped::TooLarge(size)) => {
            return Err(RejectReason::ReadError(format!(
                "sidecar {shown} is {size} bytes, over the {SIDECAR_CAP}-byte sidecar cap"
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(RejectReason::ReadError(format!("sidecar {shown}: {e}"))),
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        RejectReason::MalformedJson(format!("sidecar {}: {e}", Path::new(&sidecar).display()))
    })?;
    let object = value.as_object().ok_or_else(|| {
        RejectReason::MalformedJson("sidecar: expected a JSON object".to_string())
    })?;
    Ok(Some(fields::from_json_object(map, object)))
}

/// Outlet and date from a file name (`.gz` and the format's extension removed): a date
/// anywhere in it, and the rest as the outlet (see [`file_name_parts`]).
pub fn file_name_fields(path: &Path) -> Fields {
    // A name that is not UTF-8 gives its lossy decoding (the path itself is kept exact).
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    match file_name_parts(stem) {
        Some(parts) => Fields {
            outlet: parts.outlet,
            published: Some(parts.date.format("%Y-%m-%d").to_string()),
            ..Fields::default()
        },
        None => Fields::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_become_fields_and_the_rest_is_body() {
        let text = "Title: Газ\nOutlet: dala\nDate: 2022-01-03\nLang: ru\n\nТекст.\n\nЕщё абзац.\n";
        let fields = split_header(text, &FieldMap::default());
        assert_eq!(fields.title.as_deref(), Some("Газ"));
        assert_eq!(fields.outlet.as_deref(), Some("dala"));
        assert_eq!(fields.published.as_deref(), Some("2022-01-03"));
        assert_eq!(fields.lang.as_deref(), Some("ru"));
        assert_eq!(fields.text.as_deref(), Some("Текст.\n\nЕщё абзац.\n"));
    }

    #[test]
    fn text_without_headers_is_all_body() {
        let text = "Note: this is prose, not a header.\nMore.";
        let fields = split_header(text, &FieldMap::default());
        assert_eq!(fields.text.as_deref(), Some(text));
        assert_eq!(fields.title, None);
    }

    #[test]
    fn file_names_give_outlet_and_date() {
        let fields = file_name_fields(Path::new("tv/qazaq_efiri_2022-01-09_evening.srt.gz"));
        assert_eq!(fields.outlet.as_deref(), Some("qazaq_efiri"));
        assert_eq!(fields.published.as_deref(), Some("2022-01-09"));
        assert_eq!(file_name_fields(Path::new("notes.txt")), Fields::default());
        let dash = file_name_fields(Path::new("khabar-2022-01-07.srt"));
        assert_eq!(dash.outlet.as_deref(), Some("khabar"));
        assert_eq!(dash.published.as_deref(), Some("2022-01-07"));
        let date_only = file_name_fields(Path::new("20220107.srt"));
        assert_eq!(date_only.outlet, None);
        assert_eq!(date_only.published.as_deref(), Some("2022-01-07"));
    }
}
