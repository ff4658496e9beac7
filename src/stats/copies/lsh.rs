//! Candidate pairs by locality-sensitive hashing of signatures, confirmed by their estimated
//! similarity, joined into clusters: signatures in, groups of near-duplicate documents out.
//!
//! Over [`Records`] it runs in two passes, so that no more than the signatures of documents
//! that can have a near duplicate are ever held: the first pass keeps 32 bits of each band's
//! key per document and finds the documents sharing one with another document in some band
//! (every document sharing a whole key does); the second reads those documents' signatures
//! and runs the banding on them alone, which gives the pairs the banding of every document
//! gives (a document alone in each of its buckets pairs with nothing).

use rayon::prelude::*;

use super::records::Records;
use super::signature::{self, Signature, SLOTS};
use crate::search::SearchError;

/// Signatures numbered 0, 1, …: what LSH looks at.
pub trait Signatures: Sync {
    /// How many.
    fn count(&self) -> usize;
    /// The slots of signature `i`.
    fn slots(&self, i: usize) -> &[u32];
}

impl Signatures for [Signature] {
    fn count(&self) -> usize {
        self.len()
    }

    fn slots(&self, i: usize) -> &[u32] {
        &self[i].0[..]
    }
}

/// The signatures of some records, in order of record number.
#[derive(Debug, Default)]
pub struct Gathered {
    numbers: Vec<u32>,
    slots: Vec<u32>,
}

impl Gathered {
    /// The signature of record `number`, if it was gathered.
    pub fn of(&self, number: u32) -> Option<&[u32]> {
        let k = self.numbers.binary_search(&number).ok()?;
        Some(self.slots(k))
    }
}

impl Signatures for Gathered {
    fn count(&self) -> usize {
        self.numbers.len()
    }

    fn slots(&self, i: usize) -> &[u32] {
        &self.slots[i * SLOTS..(i + 1) * SLOTS]
    }
}

/// Two documents (the smaller number first) and their estimated similarity.
pub type Pair = (u32, u32, f64);

/// Slots per band: with 32 bands of 4 slots a pair of similarity s becomes a candidate with
/// probability 1 − (1 − s⁴)³²: 0.9999 at s = 0.8, 0.87 at s = 0.5, 0.0003 at s = 0.1.
pub const ROWS: usize = 4;
/// Bands of a signature.
pub const BANDS: usize = SLOTS / ROWS;
/// Documents of one bucket compared with each other pair by pair; a larger bucket's documents
/// are compared with its first and with their neighbours only (boilerplate many documents
/// share would otherwise cost quadratic time).
const ALL_PAIRS_UP_TO: usize = 48;

/// The key of `band` of a signature's slots: documents that agree on every slot of the band
/// share it.
fn band_key(slots: &[u32], band: usize) -> u64 {
    fold_band(band, slots[band * ROWS..(band + 1) * ROWS].iter().copied())
}

/// The key of `band` whose slots are `values`.
#[inline]
fn fold_band(band: usize, values: impl Iterator<Item = u32>) -> u64 {
    values.fold(band as u64, |acc, v| {
        (acc ^ u64::from(v))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29)
    })
}

/// The first 32 bits of the key of `band` of a signature's slots.
pub(super) fn key_prefix(slots: &[u32], band: usize) -> u32 {
    (band_key(slots, band) >> 32) as u32
}

/// [`key_prefix`] of a stored signature's bytes ([`SLOTS`] little-endian `u32`s, as
/// [`super::records::decode`] reads them), read in place.
#[inline]
fn key_prefix_of_bytes(bytes: &[u8], band: usize) -> u32 {
    let row = &bytes[band * ROWS * 4..(band + 1) * ROWS * 4];
    let values = row
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    (fold_band(band, values) >> 32) as u32
}

/// The pairs of documents (indexes into `signatures`, smaller first) whose estimated
/// similarity is at least `min_similarity`, with that similarity; sorted.
pub fn similar_pairs(
    signatures: &(impl Signatures + ?Sized),
    min_similarity: f64,
) -> Vec<(u32, u32, f64)> {
    let mut candidates: Vec<(u32, u32)> = (0..BANDS)
        .into_par_iter()
        .flat_map_iter(|band| band_candidates(signatures, band))
        .collect();
    candidates.par_sort_unstable();
    candidates.dedup();
    candidates
        .into_par_iter()
        .filter_map(|(a, b)| {
            let s =
                signature::similarity(signatures.slots(a as usize), signatures.slots(b as usize));
            (s >= min_similarity).then_some((a, b, s))
        })
        .collect()
}

/// The pairs of records (numbers, smaller first) whose estimated similarity is at least
/// `min_similarity`, with that similarity, sorted — the pairs [`similar_pairs`] finds among
/// all their signatures — and the signatures of every record in a pair.
pub fn similar_records(
    records: &Records,
    min_similarity: f64,
) -> Result<(Vec<Pair>, Gathered), SearchError> {
    let gathered = gather(records, &candidates(records)?)?;
    let pairs = similar_pairs(&gathered, min_similarity)
        .into_iter()
        // Numbers ascend with the gathered order, so pairs stay smaller first and sorted.
        .map(|(a, b, s)| {
            (
                gathered.numbers[a as usize],
                gathered.numbers[b as usize],
                s,
            )
        })
        .collect();
    Ok((pairs, gathered))
}

/// The storage positions (ascending) of the records sharing, in some band, the first 32 bits
/// of the band's key with another record: every record, without a look at a signature, when
/// the records are known to ([`Records::shares_all_keys`]).
fn candidates(records: &Records) -> Result<Vec<u32>, SearchError> {
    let all: Vec<u32> = (0..records.len() as u32).collect();
    if records.shares_all_keys() {
        return Ok(all);
    }
    Ok(shared(&records.band_keys(&all)?))
}

/// The first 32 bits of every band's key of some records (numbered 0, 1, … across the
/// parts), band by band within each part: what [`shared`] looks at. A part of `m` records
/// holds band `b` of its record `k` at `b * m + k`, so one band is read in one sweep.
#[derive(Debug, Default)]
pub struct BandKeys {
    parts: Vec<Vec<u32>>,
}

impl BandKeys {
    /// The keys of parts made with [`BandKeys::part`] and [`BandKeys::set`], in order.
    pub fn of_parts(parts: Vec<Vec<u32>>) -> BandKeys {
        debug_assert!(parts.iter().all(|p| p.len() % BANDS == 0));
        BandKeys { parts }
    }

    /// Room for the keys of a part of `m` records.
    pub fn part(m: usize) -> Vec<u32> {
        vec![0; m * BANDS]
    }

    /// Sets the keys of record `k` of a part of `part.len() / BANDS` records from its
    /// signature's slots.
    pub fn set(part: &mut [u32], k: usize, slots: &[u32]) {
        let m = part.len() / BANDS;
        for band in 0..BANDS {
            part[band * m + k] = key_prefix(slots, band);
        }
    }

    /// [`BandKeys::set`] from a stored signature's bytes, which must be
    /// [`super::signature::BYTES`] long: no copy of its slots is made.
    pub fn set_from_bytes(part: &mut [u32], k: usize, bytes: &[u8]) {
        debug_assert_eq!(bytes.len(), SLOTS * 4);
        let m = part.len() / BANDS;
        for band in 0..BANDS {
            part[band * m + k] = key_prefix_of_bytes(bytes, band);
        }
    }

    /// A part made of each record's keys, record by record, laid out band by band.
    pub fn part_of(by_record: &[[u32; BANDS]]) -> Vec<u32> {
        let m = by_record.len();
        let mut part = BandKeys::part(m);
        for (k, keys) in by_record.iter().enumerate() {
            for (band, &key) in keys.iter().enumerate() {
                part[band * m + k] = key;
            }
        }
        part
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len() / BANDS).sum()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys of `band`, part by part.
    fn band(&self, band: usize) -> impl Iterator<Item = &[u32]> + '_ {
        self.parts.iter().map(move |p| {
            let m = p.len() / BANDS;
            &p[band * m..(band + 1) * m]
        })
    }
}

/// The records (numbers, ascending) whose key shares, in some band, its first 32 bits with
/// another record's: every record sharing a whole band key with another is one.
pub fn shared(keys: &BandKeys) -> Vec<u32> {
    let n = keys.len();
    let per_band: Vec<Vec<u32>> = (0..BANDS)
        .into_par_iter()
        // A few tasks, each reusing its scratch room (megabytes at a million records).
        .with_min_len(BANDS / 4)
        .map_init(Scratch::default, |scratch, band| {
            scratch.shared_in_band(keys, band, n)
        })
        .collect();
    let mut marked = vec![false; n];
    for at in per_band.into_iter().flatten() {
        marked[at as usize] = true;
    }
    (0..n as u32).filter(|&at| marked[at as usize]).collect()
}

/// Bits of a key that choose its bucket in [`Scratch::shared_in_band`].
const BUCKET_BITS: u32 = 11;

/// What one task of [`shared`] reuses from band to band.
#[derive(Default)]
struct Scratch {
    /// Key and record (`key << 32 | record`) bucket by bucket.
    entries: Vec<u64>,
    /// Open-addressing table of one bucket's keys: `stamp << 32 | key`, a slot whose stamp
    /// is not the bucket's being free (so no bucket has to clear it).
    table: Vec<u64>,
    stamp: u32,
    /// Keys found twice in the bucket.
    twice: Vec<u32>,
}

impl Scratch {
    /// The records whose key of `band` another record has too: the keys put in buckets by
    /// their top bits (one counting and one scattering sweep, where sorting them took six),
    /// then each bucket's keys (some hundreds) looked up in a small table that stays in the
    /// cache.
    fn shared_in_band(&mut self, keys: &BandKeys, band: usize, n: usize) -> Vec<u32> {
        let buckets = 1usize << BUCKET_BITS;
        let bucket = |key: u32| (key >> (32 - BUCKET_BITS)) as usize;
        let mut starts = vec![0usize; buckets + 1];
        for part in keys.band(band) {
            for &key in part {
                starts[bucket(key) + 1] += 1;
            }
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        // Every entry is written below: no need to clear them.
        self.entries.resize(n, 0);
        let mut at = 0u64;
        for part in keys.band(band) {
            for &key in part {
                let slot = &mut next[bucket(key)];
                self.entries[*slot] = (u64::from(key) << 32) | at;
                *slot += 1;
                at += 1;
            }
        }
        let mut shared = Vec::new();
        for b in 0..buckets {
            let (start, end) = (starts[b], starts[b + 1]);
            if end - start > 1 {
                self.shared_in_bucket(start..end, &mut shared);
            }
        }
        shared
    }

    /// Adds to `shared` the records of `entries[range]` (one bucket) whose key occurs twice
    /// or more there.
    fn shared_in_bucket(&mut self, range: std::ops::Range<usize>, shared: &mut Vec<u32>) {
        let entries = &self.entries[range];
        let bits = (2 * entries.len())
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let size = 1usize << bits;
        if self.table.len() < size {
            self.table.resize(size, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.table.fill(0);
            self.stamp = 1;
        }
        let stamp = u64::from(self.stamp) << 32;
        let mask = size - 1;
        self.twice.clear();
        for &entry in entries {
            let key = (entry >> 32) as u32;
            // The key's low bits come from few bits of the hash's input: mixed again.
            let mut i = (key.wrapping_mul(0x9e37_79b1) >> (32 - bits)) as usize;
            loop {
                let slot = self.table[i];
                if slot & 0xffff_ffff_0000_0000 != stamp {
                    self.table[i] = stamp | u64::from(key);
                    break;
                }
                if slot as u32 == key {
                    self.twice.push(key);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        if self.twice.is_empty() {
            return;
        }
        self.twice.sort_unstable();
        self.twice.dedup();
        shared.extend(
            entries
                .iter()
                .filter(|&&e| self.twice.binary_search(&((e >> 32) as u32)).is_ok())
                .map(|&e| e as u32),
        );
    }
}

/// The signatures of the records at storage `positions` (ascending), by record number.
fn gather(records: &Records, positions: &[u32]) -> Result<Gathered, SearchError> {
    let mut slots = vec![0u32; positions.len() * SLOTS];
    records.with_signatures(positions, SLOTS, &mut slots, |s, out| {
        out.copy_from_slice(s)
    })?;
    let number_of = records.numbers();
    let mut by_number: Vec<(u32, usize)> = positions
        .iter()
        .enumerate()
        .map(|(k, &at)| (number_of[at as usize], k))
        .collect();
    by_number.sort_unstable();
    let mut gathered = Gathered {
        numbers: Vec::with_capacity(by_number.len()),
        slots: Vec::with_capacity(slots.len()),
    };
    for (number, k) in by_number {
        gathered.numbers.push(number);
        gathered
            .slots
            .extend_from_slice(&slots[k * SLOTS..(k + 1) * SLOTS]);
    }
    Ok(gathered)
}

/// Pairs of documents that agree on every slot of `band`.
fn band_candidates(signatures: &(impl Signatures + ?Sized), band: usize) -> Vec<(u32, u32)> {
    let mut keys: Vec<(u64, u32)> = (0..signatures.count())
        .map(|i| (band_key(signatures.slots(i), band), i as u32))
        .collect();
    keys.sort_unstable();
    let mut pairs = Vec::new();
    for run in keys.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1) {
        if run.len() <= ALL_PAIRS_UP_TO {
            for (i, x) in run.iter().enumerate() {
                pairs.extend(run[i + 1..].iter().map(|y| (x.1.min(y.1), x.1.max(y.1))));
            }
        } else {
            let first = run[0].1;
            pairs.extend(run[1..].iter().map(|y| (first.min(y.1), first.max(y.1))));
            pairs.extend(
                run.windows(2)
                    .map(|w| (w[0].1.min(w[1].1), w[0].1.max(w[1].1))),
            );
        }
    }
    pairs
}

/// Connected components of `n` documents joined by `pairs`, each sorted, components with
/// more than one document only, in order of their smallest document.
pub fn components(n: usize, pairs: &[(u32, u32, f64)]) -> Vec<Vec<u32>> {
    // Only the documents in a pair can be in a component of two or more.
    let mut nodes: Vec<u32> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    debug_assert!(nodes.last().is_none_or(|&x| (x as usize) < n));
    let node = |x: u32| nodes.binary_search(&x).expect("a paired document") as u32;
    let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for &(a, b, _) in pairs {
        let (ra, rb) = (root(&mut parent, node(a)), root(&mut parent, node(b)));
        if ra != rb {
            // The smaller root wins, so the result does not depend on the pairs' order.
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut members: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for (i, &x) in nodes.iter().enumerate() {
        let r = root(&mut parent, i as u32);
        members.entry(r).or_default().push(x);
    }
    members.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::copies::signature::signature;

    /// The records sharing a key's first 32 bits in some band, by counting every key.
    fn shared_by_counting(keys: &BandKeys) -> Vec<u32> {
        let mut marked = std::collections::BTreeSet::new();
        for band in 0..BANDS {
            let mut count = std::collections::HashMap::new();
            for &key in keys.band(band).flatten() {
                *count.entry(key).or_insert(0) += 1;
            }
            for (at, &key) in keys.band(band).flatten().enumerate() {
                if count[&key] > 1 {
                    marked.insert(at as u32);
                }
            }
        }
        marked.into_iter().collect()
    }

    #[test]
    fn shared_keys_are_found_as_counting_every_key_finds_them() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut random = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Parts of several sizes (an empty one too). Keys of some bands are small numbers
        // (one crowded bucket, frequent repeats), of others one key for every 97th record (a
        // long run of one key), every 32-bit value (repeats rare), or numbers in the top
        // bits with zeros below.
        let sizes = [0usize, 1, 700, 5_000, 3];
        let parts: Vec<Vec<u32>> = sizes
            .iter()
            .map(|&m| {
                let mut part = BandKeys::part(m);
                for band in 0..BANDS {
                    for k in 0..m {
                        let r = random();
                        part[band * m + k] = match band % 4 {
                            0 => (r % 50_000) as u32,
                            1 if k % 97 == 0 => 0xfff0_0000 | (r % 4) as u32,
                            3 => ((r % 60_000) as u32) << 16,
                            _ => (r >> 32) as u32,
                        };
                    }
                }
                part
            })
            .collect();
        let keys = BandKeys::of_parts(parts);
        assert_eq!(keys.len(), sizes.iter().sum::<usize>());
        let expected = shared_by_counting(&keys);
        assert!(
            expected.len() > 100 && expected.len() < keys.len(),
            "{}",
            expected.len()
        );
        assert_eq!(shared(&keys), expected);
        // Keys of whole signatures: only the planted copy and its original share any.
        let mut scratch = Vec::new();
        let texts: Vec<String> = (0..300)
            .map(|i| {
                (0..60)
                    .map(|w| format!("t{i}w{w}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let mut part = BandKeys::part(texts.len() + 1);
        for (k, text) in texts.iter().chain([&texts[17]]).enumerate() {
            let s = signature("", text, &mut scratch).unwrap();
            BandKeys::set(&mut part, k, &s.0[..]);
        }
        let keys = BandKeys::of_parts(vec![part]);
        assert_eq!(shared(&keys), vec![17, 300]);
        assert_eq!(shared(&BandKeys::default()), Vec::<u32>::new());
    }

    #[test]
    fn band_keys_from_stored_bytes_equal_those_from_decoded_slots() {
        let texts = [
            "газ подорожал в трёх областях",
            "Токаев подписал закон о бюджете",
        ];
        let (mut from_slots, mut from_bytes) = (BandKeys::part(2), BandKeys::part(2));
        for (k, text) in texts.iter().enumerate() {
            let bytes = signature::to_bytes("", text).unwrap();
            let mut slots = [0u32; SLOTS];
            assert!(super::super::records::decode(&bytes, &mut slots));
            BandKeys::set(&mut from_slots, k, &slots);
            BandKeys::set_from_bytes(&mut from_bytes, k, &bytes);
        }
        assert_eq!(from_bytes, from_slots);
        assert_ne!(from_bytes[0], from_bytes[1]);
    }

    #[test]
    fn components_join_pairs_transitively() {
        let pairs = [(0, 2, 0.9), (2, 5, 0.85), (3, 4, 1.0)];
        assert_eq!(components(6, &pairs), vec![vec![0, 2, 5], vec![3, 4]]);
        assert!(components(3, &[]).is_empty());
    }

    #[test]
    fn similar_texts_pair_and_unrelated_ones_do_not() {
        let base: Vec<String> = (0..200).map(|i| format!("слово{}", i * 7 % 113)).collect();
        let a = base.join(" ");
        let b = format!("Срочно: {}", base[..190].join(" "));
        let c: Vec<String> = (0..200).map(|i| format!("иное{i}")).collect();
        let c = c.join(" ");
        let mut scratch = Vec::new();
        let sigs: Vec<Signature> = [a.as_str(), b.as_str(), c.as_str()]
            .iter()
            .map(|t| signature("", t, &mut scratch).unwrap())
            .collect();
        let pairs = similar_pairs(&sigs[..], 0.8);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0, pairs[0].1), (0, 1));
    }
}
