//! Writing benchmark documents as JSON lines or CSV records.

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Letters` (lang/scan.rs), `Frame` (report/svg/mod.rs): different facts, no shared type.
/// Per-document strings, reused so that generation allocates nothing per document.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    pub(super) id: String,
    pub(super) url: String,
    pub(super) published: String,
    pub(super) title: String,
    pub(super) text: String,
}

impl Scratch {
    pub(super) fn clear(&mut self) {
        self.id.clear();
        self.url.clear();
        self.published.clear();
        self.title.clear();
        self.text.clear();
    }
}

pub(super) const FIELD_NAMES: [&str; 8] = [
    "id",
    "outlet",
    "published",
    "title",
    "text",
    "url",
    "lang",
    "medium",
];

pub(super) fn push_jsonl_record(buf: &mut Vec<u8>, fields: &[&str; 8]) {
    buf.push(b'{');
    for (i, (name, value)) in FIELD_NAMES.iter().zip(fields).enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        buf.extend_from_slice(name.as_bytes());
        buf.extend_from_slice(b"\":");
        push_json_string(buf, value);
    }
    buf.extend_from_slice(b"}\n");
}

/// JSON escape of each byte: 0 = copy as is, `u` = `\u00XX`, else the letter after `\`.
pub(super) const JSON_ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

pub(super) fn push_json_string(buf: &mut Vec<u8>, value: &str) {
    pub(super) const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = JSON_ESCAPES[usize::from(b)];
        if escape == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        buf.push(b'\\');
        buf.push(escape);
        if escape == b'u' {
            buf.extend_from_slice(b"00");
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 15)]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

pub(super) fn push_csv_record(buf: &mut Vec<u8>, fields: &[&str; 8]) {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        let mut parts = value.split('"');
        if let Some(first) = parts.next() {
            buf.extend_from_slice(first.as_bytes());
        }
        for part in parts {
            buf.extend_from_slice(b"\"\"");
            buf.extend_from_slice(part.as_bytes());
        }
        buf.push(b'"');
    }
    buf.push(b'\n');
}
