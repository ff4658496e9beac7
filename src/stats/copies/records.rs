//! What is kept of each document while copies are found, in a compact form: strings in
//! arenas (the few distinct outlets, categories and groups once each, numbered), dates as
//! seconds. Records read from an index keep where each document is instead of its title and
//! signature: the signatures stay in the index's column and are read from it in passes
//! ([`Records::with_signatures`]), the titles only for the few documents a cluster shows
//! first. At a million documents that is some 60 bytes per document, where a copy of every
//! signature took 0.5 KB more.

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tantivy::columnar::BytesColumn;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher};

use super::lsh::{key_prefix, BandKeys, BANDS};
use super::signature::{self, SLOTS};
use crate::fasthash::FastMap;
use crate::index::{schema, stored};
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

/// A column of strings with few distinct values (outlets, categories, groups): each distinct
/// string kept once, each record holding its number.
#[derive(Debug, Clone, Default)]
struct Names {
    names: Vec<String>,
    known: FastMap<String, u32>,
    codes: Vec<u32>,
}

impl Names {
    fn code(&mut self, s: &str) -> u32 {
        if let Some(&code) = self.known.get(s) {
            return code;
        }
        let code = u32::try_from(self.names.len()).expect("under 4 billion names");
        self.names.push(s.to_string());
        self.known.insert(s.to_string(), code);
        code
    }

    fn push(&mut self, s: &str) {
        let code = self.code(s);
        self.codes.push(code);
    }

    fn get(&self, i: usize) -> &str {
        &self.names[self.codes[i] as usize]
    }

    fn append(&mut self, other: Names) {
        let recoded: Vec<u32> = other.names.iter().map(|n| self.code(n)).collect();
        self.codes
            .extend(other.codes.iter().map(|&c| recoded[c as usize]));
    }
}

/// Seconds since the epoch of an undated document.
const UNDATED: i64 = i64::MIN;

/// Records handed to one task of a pass over signatures when they are held in memory.
const PIECE: usize = 16_384;

/// The documents copies are looked for among. Records are numbered in order of id (then
/// outlet) once [`Records::finish`] has run, whatever order they were added in, so clusters
/// do not depend on the order the index stores documents in.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// Signatures ([`SLOTS`] slots each, in the order records were added) of records made
    /// from texts or given theirs; empty for records read from an index.
    held: Vec<u32>,
    ids: Arena,
    outlets: Names,
    categories: Names,
    groups: Names,
    titles: Titles,
    published: Vec<i64>,
    /// Record number → storage position (identity until `finish`).
    order: Vec<u32>,
    /// Every record shares, in some band, the first 32 bits of its key with another record
    /// ([`Records::all_share_keys`]): [`super::lsh`]'s first pass would keep them all.
    all_share_keys: bool,
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
        let doc = stored::fetch(&self.searchers[searcher as usize], address)?;
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
    /// Its id, labels, group and date (what a record reads back).
    pub record: Record<'a>,
    /// Title.
    pub title: &'a str,
    /// Text.
    pub text: &'a str,
}

/// One record as read back (its signature: [`Records::signature`]).
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
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
}

/// The signature slots a stored signature's bytes ([`signature::to_bytes`]) hold; false when
/// they are not a signature.
pub(super) fn decode(bytes: &[u8], slots: &mut [u32; SLOTS]) -> bool {
    if bytes.len() != signature::BYTES {
        return false;
    }
    for (slot, b) in slots.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    true
}

/// The error for document `id`'s stored signature of `len` bytes, which is not one.
pub(super) fn damaged(id: &str, len: usize) -> SearchError {
    SearchError::Query(format!(
        "document {id} holds a damaged copy signature ({len} bytes): rebuild the index with `mediawatch reindex`"
    ))
}

/// The first 16 bytes of `s` (zeros after a shorter one) as a number: two strings whose
/// numbers differ are in the order of their numbers; equal numbers say nothing.
fn prefix(s: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = s.len().min(16);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Calls `each(i, value)` for every row `rows[i]` holding a value of `column`, in order of
/// value (`ords`: each row's term ordinal): the column's dictionary walked once in order when
/// many rows are asked for (a block of it holding no value asked for is passed over, not
/// decoded), looked up row by row when few are. No copy of the values is kept. True when the
/// dictionary was walked.
pub(super) fn each_value(
    column: &BytesColumn,
    ords: &[Option<u64>],
    mut each: impl FnMut(usize, &[u8]) -> Result<(), SearchError>,
) -> Result<bool, SearchError> {
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
        return Ok(false);
    }
    let mut by_ord: Vec<(u64, usize)> = ords
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.map(|o| (o, i)))
        .collect();
    by_ord.sort_unstable();
    let sorted: Vec<u64> = by_ord.iter().map(|&(ord, _)| ord).collect();
    // Called once per ordinal given, in their order (a repeated one again): the k-th call
    // is `by_ord[k]`'s value. The first error stops the calls to `each`.
    let (mut next, mut failed) = (by_ord.iter(), None);
    column
        .dictionary()
        .sorted_ords_to_term_cb(&sorted, |value| {
            if let (None, Some(&(_, i))) = (&failed, next.next()) {
                failed = each(i, value).err();
            }
        })
        .map_err(tantivy::TantivyError::from)?;
    match failed {
        Some(error) => Err(error),
        None => Ok(true),
    }
}

impl Records {
    /// Adds a document (its signature is computed here; `scratch` is reused between calls).
    /// False, with nothing added, for a document without words.
    pub fn add(&mut self, doc: &Fields, scratch: &mut Vec<u64>) -> bool {
        if !signature::push_signature(doc.title, doc.text, scratch, &mut self.held) {
            return false;
        }
        self.push_kept(doc);
        true
    }

    /// Adds a document whose signature was made elsewhere (read back from a shard's partial,
    /// [`SLOTS`] values as [`signature::push_signature`] makes them), keeping its title
    /// (`doc.text` is not read). False, with nothing added, when `slots` is not [`SLOTS`]
    /// values long.
    pub fn add_signed(&mut self, doc: &Fields, slots: &[u32]) -> bool {
        if slots.len() != SLOTS {
            return false;
        }
        self.held.extend_from_slice(slots);
        self.push_kept(doc);
        true
    }

    fn push_kept(&mut self, doc: &Fields) {
        debug_assert!(self.titles.at.is_empty());
        self.push_record(&doc.record);
        self.titles.kept.push(doc.title);
    }

    fn push_record(&mut self, doc: &Record) {
        self.ids.push(doc.id);
        self.outlets.push(doc.outlet);
        self.categories.push(doc.category);
        self.groups.push(doc.group);
        self.published
            .push(doc.published.map_or(UNDATED, |t| t.timestamp()));
        self.order.push(self.order.len() as u32);
    }

    /// Adds a document of an index whose signature its column holds (its title is read
    /// from `address` when a cluster shows it, the signature when copies are looked for). Records are made either all from texts
    /// ([`Records::add`], [`Records::add_signed`]) or all from an index, each part with its
    /// own searcher ([`Records::from_searcher`]).
    pub fn add_located(&mut self, doc: &Record, address: DocAddress) {
        debug_assert!(self.titles.kept.ends.is_empty() && self.titles.searchers.len() == 1);
        self.push_record(doc);
        self.titles.at.push((0, address));
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

    /// Room for `n` more records' dates and numbers.
    pub fn reserve(&mut self, n: usize) {
        self.published.reserve_exact(n);
        self.order.reserve_exact(n);
        self.ids.ends.reserve_exact(n);
        for names in [&mut self.outlets, &mut self.categories, &mut self.groups] {
            names.codes.reserve_exact(n);
        }
    }

    /// Appends another set of records (before `finish`).
    pub fn append(&mut self, other: Records) {
        self.all_share_keys = false;
        let base = self.order.len() as u32;
        self.held.extend_from_slice(&other.held);
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
        let sum = |of: fn(&Records) -> usize| parts.iter().map(of).sum::<usize>();
        // Every column sized once: growing a million-record column by doubling copies it
        // and touches fresh pages each time.
        let mut all = Records {
            held: Vec::with_capacity(sum(|p| p.held.len())),
            ids: Arena {
                bytes: String::with_capacity(sum(|p| p.ids.bytes.len())),
                ends: Vec::with_capacity(n),
            },
            titles: Titles {
                at: Vec::with_capacity(sum(|p| p.titles.at.len())),
                ..Titles::default()
            },
            published: Vec::with_capacity(n),
            order: Vec::with_capacity(n),
            ..Records::default()
        };
        for names in [&mut all.outlets, &mut all.categories, &mut all.groups] {
            names.codes.reserve_exact(n);
        }
        for part in parts {
            all.append(part);
        }
        all
    }

    /// Numbers the records in order of id, then outlet (then signature, so that even two
    /// records alike in both are numbered the same on every run).
    pub fn finish(mut self) -> Records {
        let key = |at: u32| (self.ids.get(at as usize), self.outlets.get(at as usize));
        // Sorted by the ids' first 16 bytes first, a whole comparison only where those are
        // equal: a million comparisons of two strings each through the arenas cost more.
        let mut keyed: Vec<(u128, u32)> = std::mem::take(&mut self.order)
            .into_iter()
            .map(|at| (prefix(self.ids.get(at as usize)), at))
            .collect();
        keyed.par_sort_unstable_by(|&(pa, a), &(pb, b)| {
            pa.cmp(&pb).then_with(|| key(a).cmp(&key(b)))
        });
        let mut order: Vec<u32> = keyed.into_iter().map(|(_, at)| at).collect();
        // Records alike in id and outlet (the same document in two shards) are rare: their
        // signatures are read for them alone. Should that fail, the pass that finds copies
        // reads the same column and reports why.
        let mut start = 0;
        while start < order.len() {
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|&&at| key(at) == key(order[start]))
                    .count();
            if end - start > 1 {
                let run = &mut order[start..end];
                run.sort_unstable();
                let mut slots = vec![0u32; run.len() * SLOTS];
                if self
                    .with_signatures(run, SLOTS, &mut slots, |s, out| out.copy_from_slice(s))
                    .is_ok()
                {
                    let mut keyed: Vec<(&[u32], u32)> =
                        slots.chunks_exact(SLOTS).zip(run.iter().copied()).collect();
                    keyed.sort_unstable();
                    let sorted: Vec<u32> = keyed.into_iter().map(|(_, at)| at).collect();
                    run.copy_from_slice(&sorted);
                }
            }
            start = end;
        }
        self.order = order;
        self
    }

    /// Marks every record as sharing, in some band, the first 32 bits of its key with
    /// another record (what [`super::read::collect_candidates`] keeps): finding the records
    /// that do ([`super::lsh`]'s first pass) then reads no signature. Records appended later
    /// are not covered.
    pub(super) fn all_share_keys(mut self) -> Records {
        self.all_share_keys = true;
        self
    }

    /// Whether every record is known to share a band key's first 32 bits with another.
    pub(super) fn shares_all_keys(&self) -> bool {
        self.all_share_keys
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Each record's number by storage position (the inverse of `order`).
    pub(super) fn numbers(&self) -> Vec<u32> {
        let mut number = vec![0u32; self.order.len()];
        for (i, &at) in self.order.iter().enumerate() {
            number[at as usize] = i as u32;
        }
        number
    }

    /// Calls `each(slots, out)` with the signature of every record at storage position
    /// `positions[k]` (ascending) and `out[k * width..(k + 1) * width]`, in parallel: records
    /// read from an index one segment per task, its signature column walked once in order
    /// (or looked up, for a few records) and its pages let go of after the walk.
    pub(super) fn with_signatures<T: Send>(
        &self,
        positions: &[u32],
        width: usize,
        out: &mut [T],
        each: impl Fn(&[u32], &mut [T]) + Sync,
    ) -> Result<(), SearchError> {
        assert_eq!(out.len(), positions.len() * width);
        let mut pieces = Vec::new();
        let mut out = out;
        for piece in self.pieces(positions) {
            let (piece_out, rest_out) = std::mem::take(&mut out).split_at_mut(piece.len() * width);
            pieces.push((piece, piece_out));
            out = rest_out;
        }
        pieces
            .into_par_iter()
            .try_for_each(|(positions, out)| self.piece_signatures(positions, width, out, &each))
    }

    /// The first 32 bits of every band's key ([`super::lsh`]) of the records at storage
    /// `positions` (ascending), in their order: one part per task of
    /// [`Records::with_signatures`].
    pub(super) fn band_keys(&self, positions: &[u32]) -> Result<BandKeys, SearchError> {
        let parts = self
            .pieces(positions)
            .into_par_iter()
            .map(|piece| -> Result<Vec<u32>, SearchError> {
                let mut by_record = vec![[0u32; BANDS]; piece.len()];
                self.piece_signatures(piece, 1, &mut by_record, &|slots, out| {
                    for (band, key) in out[0].iter_mut().enumerate() {
                        *key = key_prefix(slots, band);
                    }
                })?;
                Ok(BandKeys::part_of(&by_record))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BandKeys::of_parts(parts))
    }

    /// `positions` (ascending) cut where one task of a pass over signatures ends.
    fn pieces<'a>(&self, mut positions: &'a [u32]) -> Vec<&'a [u32]> {
        let mut pieces = Vec::new();
        while !positions.is_empty() {
            let (piece, rest) = positions.split_at(self.piece_len(positions));
            pieces.push(piece);
            positions = rest;
        }
        pieces
    }

    /// How many of `positions` (ascending) one task reads: those of one segment.
    fn piece_len(&self, positions: &[u32]) -> usize {
        if self.titles.at.is_empty() {
            return positions.len().min(PIECE);
        }
        let segment = |at: u32| {
            let (searcher, address) = self.titles.at[at as usize];
            (searcher, address.segment_ord)
        };
        let first = segment(positions[0]);
        positions
            .iter()
            .take_while(|&&at| segment(at) == first)
            .count()
    }

    fn piece_signatures<T>(
        &self,
        positions: &[u32],
        width: usize,
        out: &mut [T],
        each: &(impl Fn(&[u32], &mut [T]) + Sync),
    ) -> Result<(), SearchError> {
        let chunk = |k: usize| k * width..(k + 1) * width;
        if self.titles.at.is_empty() {
            for (k, &at) in positions.iter().enumerate() {
                let at = at as usize;
                each(&self.held[at * SLOTS..(at + 1) * SLOTS], &mut out[chunk(k)]);
            }
            return Ok(());
        }
        let (searcher, first) = self.titles.at[positions[0] as usize];
        let segment = self.titles.searchers[searcher as usize].segment_reader(first.segment_ord);
        let missing = |at: u32| {
            SearchError::Query(format!(
                "document {} has no copy signature in the index any more: run the command again",
                self.ids.get(at as usize)
            ))
        };
        let Some(column) = segment.fast_fields().bytes(schema::SIGNATURE)? else {
            return Err(missing(positions[0]));
        };
        let mut ords = Vec::with_capacity(positions.len());
        for &at in positions {
            let row = self.titles.at[at as usize].1.doc_id;
            ords.push(Some(
                column.term_ords(row).next().ok_or_else(|| missing(at))?,
            ));
        }
        let mut slots = [0u32; SLOTS];
        let walked = each_value(&column, &ords, |k, bytes| {
            if !decode(bytes, &mut slots) {
                return Err(damaged(self.ids.get(positions[k] as usize), bytes.len()));
            }
            each(&slots, &mut out[chunk(k)]);
            Ok(())
        })?;
        if walked {
            // The whole column was read once, in order: its pages need not stay mapped into
            // this process (each segment's would add up to 0.5 GB at a million documents).
            if let Ok(bytes) = column.dictionary().sstable_slice.read_bytes() {
                super::pages::release(bytes.as_slice());
            }
        }
        Ok(())
    }

    /// The signature of record `i` (read from the index for records made from one).
    pub fn signature(&self, i: usize) -> Result<Vec<u32>, SearchError> {
        let mut slots = vec![0u32; SLOTS];
        self.with_signatures(&[self.order[i]], SLOTS, &mut slots, |s, out| {
            out.copy_from_slice(s)
        })?;
        Ok(slots)
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
        }
    }

    /// Bytes held (what the records cost in memory, for the benchmark's note).
    pub fn heap_bytes(&self) -> usize {
        let arenas = [&self.ids, &self.titles.kept];
        let names = [&self.outlets, &self.categories, &self.groups];
        self.held.capacity() * 4
            + arenas
                .iter()
                .map(|a| a.bytes.capacity() + a.ends.capacity() * 4)
                .sum::<usize>()
            + names
                .iter()
                .map(|n| {
                    n.codes.capacity() * 4 + n.names.iter().map(|s| 2 * s.len()).sum::<usize>()
                })
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
            record: Record {
                id,
                outlet,
                category: "state",
                group: "state",
                published: DateTime::from_timestamp(1_641_000_000, 0),
            },
            title: "",
            text,
        }
    }

    #[test]
    fn prefixes_order_as_the_strings_do_where_they_differ() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "abc",
            "g42-0",
            "g42-10",
            "g42-9",
            "g5",
            "ёж",
            "0123456789abcdef",
            "0123456789abcdefX",
            "0123456789abcdeg",
            "Z",
        ];
        for a in words {
            for b in words {
                let (pa, pb) = (prefix(a), prefix(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
        assert_eq!(prefix("0123456789abcdef"), prefix("0123456789abcdefX"));
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
        assert_eq!(records.signature(0).unwrap(), &alone.0[..]);
    }
}
