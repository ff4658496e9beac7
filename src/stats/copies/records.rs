//! What is kept of each document while copies are found, in a compact form: signatures in
//! one flat vector of `u32` slots, strings in arenas, dates as seconds. At a million
//! documents that is about 0.5 KB of signature and some 150 bytes of strings per document,
//! where one `String` per field and a boxed, then cloned signature took over 1 KB.
//!
//! Records read from an index ([`Records::add_located`]) keep where each document is instead
//! of its title: only the few documents a cluster shows first have their title read.

use chrono::{DateTime, Utc};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::signature::{self, SLOTS};
use crate::index::schema;
use crate::search::SearchError;

/// Strings one after another in one buffer.
#[derive(Debug, Clone, Default)]
struct Arena {
    bytes: String,
    ends: Vec<u32>,
}

impl Arena {
    fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends
            .push(u32::try_from(self.bytes.len()).expect("under 4 GB of strings"));
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    fn append(&mut self, other: Arena) {
        let base = u32::try_from(self.bytes.len()).expect("under 4 GB of strings");
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|end| base + end));
    }
}

/// Seconds since the epoch of an undated document.
const UNDATED: i64 = i64::MIN;

/// The documents copies are looked for among, each with its signature. Records are numbered
/// in order of id (then outlet) once [`Records::finish`] has run, whatever order they were
/// added in, so clusters do not depend on the order the index stores documents in.
#[derive(Debug, Clone, Default)]
pub struct Records {
    signatures: Vec<u32>,
    ids: Arena,
    outlets: Arena,
    categories: Arena,
    groups: Arena,
    titles: Titles,
    published: Vec<i64>,
    /// Record number → storage position (identity until `finish`).
    order: Vec<u32>,
}

/// Where the records' titles are: kept (records made from texts), or in the documents of
/// an index's searcher (records read from an index), one or the other for every record.
#[derive(Clone, Default)]
struct Titles {
    kept: Arena,
    searchers: Vec<Searcher>,
    /// Per record: its searcher (in `searchers`) and address.
    at: Vec<(u32, DocAddress)>,
}

impl std::fmt::Debug for Titles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Titles")
            .field("kept", &self.kept)
            .field("at", &self.at.len())
            .finish()
    }
}

impl Titles {
    fn append(&mut self, other: Titles) {
        let base = self.searchers.len() as u32;
        self.kept.append(other.kept);
        self.searchers.extend(other.searchers);
        self.at
            .extend(other.at.into_iter().map(|(s, address)| (base + s, address)));
    }

    fn get(&self, at: usize) -> Result<String, SearchError> {
        if self.at.is_empty() {
            return Ok(self.kept.get(at).to_string());
        }
        let (searcher, address) = self.at[at];
        let doc: TantivyDocument = self.searchers[searcher as usize].doc(address)?;
        let field = self.searchers[searcher as usize]
            .schema()
            .get_field(schema::TITLE)?;
        Ok(doc
            .get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string())
    }
}

/// One document as added to [`Records`].
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// Document id.
    pub id: &'a str,
    /// Outlet key.
    pub outlet: &'a str,
    /// Category (group label from the registry).
    pub category: &'a str,
    /// The document's group under the chosen grouping.
    pub group: &'a str,
    /// Publication instant, if known.
    pub published: Option<DateTime<Utc>>,
    /// Title.
    pub title: &'a str,
    /// Text.
    pub text: &'a str,
}

/// One record as read back.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// Document id.
    pub id: &'a str,
    /// Outlet key.
    pub outlet: &'a str,
    /// Category.
    pub category: &'a str,
    /// Group under the chosen grouping.
    pub group: &'a str,
    /// Publication instant, if known.
    pub published: Option<DateTime<Utc>>,
    /// MinHash signature ([`SLOTS`] values).
    pub signature: &'a [u32],
}

impl Records {
    /// Adds a document (its signature is computed here; `scratch` is reused between calls).
    /// False, with nothing added, for a document without words.
    pub fn add(&mut self, doc: &Fields, scratch: &mut Vec<u64>) -> bool {
        if !signature::push_signature(doc.title, doc.text, scratch, &mut self.signatures) {
            return false;
        }
        self.push_kept(doc);
        true
    }

    /// Adds a document whose signature was made elsewhere (read back from a shard's partial),
    /// keeping its title (`doc.text` is not read). False, with nothing added, when
    /// `signature` is not [`SLOTS`] values long.
    pub fn add_signed(&mut self, doc: &Fields, signature: &[u32]) -> bool {
        debug_assert!(self.titles.searchers.is_empty());
        if signature.len() != SLOTS {
            return false;
        }
        self.signatures.extend_from_slice(signature);
        self.push_kept(doc);
        true
    }

    /// Pushes a document's fields, its title kept (its signature already pushed).
    fn push_kept(&mut self, doc: &Fields) {
        self.ids.push(doc.id);
        self.outlets.push(doc.outlet);
        self.categories.push(doc.category);
        self.groups.push(doc.group);
        self.titles.kept.push(doc.title);
        self.push_dated(doc.published);
    }

    fn push_dated(&mut self, published: Option<DateTime<Utc>>) {
        self.published
            .push(published.map_or(UNDATED, |t| t.timestamp()));
        self.order.push(self.order.len() as u32);
    }

    /// Adds a document of an index, its signature to be set with [`Records::set_signature`]
    /// (`fields.title` and `fields.text` are not read: the title is read from `address` when
    /// a cluster shows it); returns its place for that. Records are made either all from
    /// texts ([`Records::add`]) or all from an index, each part with its own searcher
    /// ([`Records::from_searcher`]).
    pub fn add_located(&mut self, doc: &Fields, address: DocAddress) -> usize {
        debug_assert!(self.titles.kept.ends.is_empty() && self.titles.searchers.len() == 1);
        let at = self.order.len();
        self.signatures.resize(self.signatures.len() + SLOTS, 0);
        self.ids.push(doc.id);
        self.outlets.push(doc.outlet);
        self.categories.push(doc.category);
        self.groups.push(doc.group);
        self.titles.at.push((0, address));
        self.push_dated(doc.published);
        at
    }

    /// Sets the signature of the record added at `at` ([`Records::add_located`]) from the
    /// bytes the index stores ([`signature::to_bytes`]); false when they are not a signature.
    pub fn set_signature(&mut self, at: usize, bytes: &[u8]) -> bool {
        if bytes.len() != signature::BYTES {
            return false;
        }
        let slots = &mut self.signatures[at * SLOTS..(at + 1) * SLOTS];
        for (slot, b) in slots.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        true
    }

    /// No records yet, to be added from `searcher`'s documents ([`Records::add_located`]).
    pub fn from_searcher(searcher: Searcher) -> Records {
        Records {
            titles: Titles {
                searchers: vec![searcher],
                ..Titles::default()
            },
            ..Records::default()
        }
    }

    /// Room for `n` more records' signatures, dates and numbers.
    pub fn reserve(&mut self, n: usize) {
        self.signatures.reserve_exact(n * SLOTS);
        self.published.reserve_exact(n);
        self.order.reserve_exact(n);
    }

    /// Appends another set of records (before `finish`).
    pub fn append(&mut self, other: Records) {
        let base = self.order.len() as u32;
        self.signatures.extend_from_slice(&other.signatures);
        self.ids.append(other.ids);
        self.outlets.append(other.outlets);
        self.categories.append(other.categories);
        self.groups.append(other.groups);
        self.titles.append(other.titles);
        self.published.extend_from_slice(&other.published);
        self.order.extend(other.order.iter().map(|i| base + i));
    }

    /// The records of `parts` one after another (before `finish`). Each part is freed as soon
    /// as it is copied, so memory holds about one copy of the records, not two.
    pub fn concat(parts: Vec<Records>) -> Records {
        let n: usize = parts.iter().map(Records::len).sum();
        let mut all = Records {
            signatures: Vec::with_capacity(n * SLOTS),
            published: Vec::with_capacity(n),
            order: Vec::with_capacity(n),
            ..Records::default()
        };
        for part in parts {
            all.append(part);
        }
        all
    }

    /// Numbers the records in order of id, then outlet (then signature, so that even two
    /// records alike in both are numbered the same on every run).
    pub fn finish(mut self) -> Records {
        let mut order = std::mem::take(&mut self.order);
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.ids
                .get(a)
                .cmp(self.ids.get(b))
                .then_with(|| self.outlets.get(a).cmp(self.outlets.get(b)))
                .then_with(|| self.stored_signature(a).cmp(self.stored_signature(b)))
        });
        self.order = order;
        self
    }

    fn stored_signature(&self, at: usize) -> &[u32] {
        &self.signatures[at * SLOTS..(at + 1) * SLOTS]
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The signature of record `i`.
    pub fn signature(&self, i: usize) -> &[u32] {
        self.stored_signature(self.order[i] as usize)
    }

    /// The title of record `i` (read from the index for records made from one).
    pub fn title(&self, i: usize) -> Result<String, SearchError> {
        self.titles.get(self.order[i] as usize)
    }

    /// Record `i`.
    pub fn get(&self, i: usize) -> Record<'_> {
        let at = self.order[i] as usize;
        Record {
            id: self.ids.get(at),
            outlet: self.outlets.get(at),
            category: self.categories.get(at),
            group: self.groups.get(at),
            published: match self.published[at] {
                UNDATED => None,
                secs => DateTime::from_timestamp(secs, 0),
            },
            signature: self.stored_signature(at),
        }
    }

    /// Bytes held (what the records cost in memory, for the benchmark's note).
    pub fn heap_bytes(&self) -> usize {
        let arenas = [
            &self.ids,
            &self.outlets,
            &self.categories,
            &self.groups,
            &self.titles.kept,
        ];
        self.signatures.capacity() * 4
            + arenas
                .iter()
                .map(|a| a.bytes.capacity() + a.ends.capacity() * 4)
                .sum::<usize>()
            + self.titles.at.capacity() * 12
            + self.published.capacity() * 8
            + self.order.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(id: &'a str, outlet: &'a str, text: &'a str) -> Fields<'a> {
        Fields {
            id,
            outlet,
            category: "state",
            group: "state",
            published: DateTime::from_timestamp(1_641_000_000, 0),
            title: "",
            text,
        }
    }

    #[test]
    fn records_read_back_in_order_of_id_whatever_order_they_came_in() {
        let mut scratch = Vec::new();
        let (mut a, mut b) = (Records::default(), Records::default());
        assert!(a.add(&fields("b2", "kaztag", "один два три"), &mut scratch));
        assert!(!a.add(&fields("x", "kaztag", " ,. "), &mut scratch));
        assert!(b.add(&fields("a1", "tengri", "четыре пять"), &mut scratch));
        assert!(b.add(&fields("b2", "abai", "шесть"), &mut scratch));
        a.append(b);
        let records = a.finish();
        let read: Vec<(&str, &str)> = (0..records.len())
            .map(|i| (records.get(i).id, records.get(i).outlet))
            .collect();
        assert_eq!(read, [("a1", "tengri"), ("b2", "abai"), ("b2", "kaztag")]);
        let first = records.get(0);
        assert_eq!(first.published.unwrap().timestamp(), 1_641_000_000);
        assert_eq!(records.title(0).unwrap(), "");
        let alone = signature::signature("", "четыре пять", &mut scratch).unwrap();
        assert_eq!(records.signature(0), &alone.0[..]);
    }
}
