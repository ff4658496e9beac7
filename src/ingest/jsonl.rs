//! JSONL / NDJSON reader: a byte stream in, one raw record (or reject) per non-blank line out.

use crate::ingest::decode;
use crate::ingest::fields::{self, FieldMap};
use crate::ingest::lines::{Line, LineReader};
use crate::ingest::record::{lossy_excerpt, RawRecord, ReadItem, RecordKind, RejectReason};
use crate::ingest::source::OpenedInput;

/// Reads JSON objects, one per line; blank lines are not records.
pub fn read(input: OpenedInput, map: &FieldMap, cap: u64, emit: &mut dyn FnMut(ReadItem)) {
    let encoding = input.encoding;
    let mut lines = LineReader::new(input.reader, cap as usize);
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return,
            Err(e) => {
                emit(ReadItem::Rejected {
                    line: 0,
                    reason: RejectReason::ReadError(e.to_string()),
                    raw: String::new(),
                });
                return;
            }
        };
        let (number, bytes) = match line {
            Line::Complete { number, bytes } => (number, bytes),
            Line::TooLong { number, len, head } => {
                emit(ReadItem::Rejected {
                    line: number,
                    reason: RejectReason::TooLarge { bytes: len, cap },
                    raw: lossy_excerpt(&head),
                });
                continue;
            }
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        emit(parse_line(number, &bytes, encoding, map));
    }
}

/// One JSON object (the bytes of a line, or of a `.json` file's element) as a record or a
/// reject at `number`.
pub(crate) fn parse_line(
    number: u64,
    bytes: &[u8],
    encoding: decode::TextEncoding,
    map: &FieldMap,
) -> ReadItem {
    let rejected = |reason| ReadItem::Rejected {
        line: number,
        reason,
        raw: lossy_excerpt(bytes),
    };
    let text = match decode::decode(bytes, encoding) {
        Ok(text) => text,
        Err(e) => return rejected(RejectReason::Undecodable(e.to_string())),
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => return rejected(RejectReason::MalformedJson(e.to_string())),
    };
    let serde_json::Value::Object(object) = value else {
        return rejected(RejectReason::MalformedJson(format!(
            "expected a JSON object, found {}",
            json_kind(&value)
        )));
    };
    ReadItem::Record(Box::new(RawRecord {
        line: number,
        fields: fields::from_json_map(map, object),
        format_medium: None,
        cues: Vec::new(),
        raw: crate::ingest::record::excerpt(&text).to_string(),
        name_fields: Default::default(),
        kind: RecordKind::Structured,
    }))
}

/// "an array", "a number", … for messages about a JSON value of the wrong kind.
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::decode::TextEncoding;
    use std::io::Cursor;

    fn read_all(input: &[u8]) -> Vec<ReadItem> {
        let opened = OpenedInput {
            reader: Box::new(Cursor::new(input.to_vec())),
            encoding: TextEncoding::Utf8,
        };
        let mut items = Vec::new();
        read(opened, &FieldMap::default(), 64, &mut |item| {
            items.push(item)
        });
        items
    }

    fn reason(item: &ReadItem) -> Option<&'static str> {
        match item {
            ReadItem::Rejected { reason, .. } | ReadItem::RejectedMany { reason, .. } => {
                Some(reason.code())
            }
            ReadItem::Record(_) => None,
        }
    }

    #[test]
    fn each_bad_line_is_rejected_and_the_rest_read() {
        let input =
            b"{\"text\":\"a\"}\n\n{\"text\":\n[1,2]\n{\"text\":\"\xff\"}\n{\"text\":\"".to_vec();
        let mut input = input;
        input.extend(std::iter::repeat_n(b'x', 100));
        input.extend_from_slice(b"\"}\n{\"body\":\"b\"}");
        let items = read_all(&input);
        let codes: Vec<_> = items.iter().map(reason).collect();
        assert_eq!(
            codes,
            vec![
                None,
                Some("malformed_json"),
                Some("malformed_json"),
                Some("undecodable"),
                Some("too_large"),
                None
            ]
        );
        match &items[5] {
            ReadItem::Record(r) => {
                assert_eq!(r.line, 7);
                assert_eq!(r.fields.text.as_deref(), Some("b"));
            }
            other => panic!("{other:?}"),
        }
    }
}
