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
    slots[band * ROWS..(band + 1) * ROWS]
        .iter()
        .fold(band as u64, |acc, v| {
            (acc ^ u64::from(*v))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29)
        })
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
/// of the band's key with another record.
fn candidates(records: &Records) -> Result<Vec<u32>, SearchError> {
    let n = records.len();
    let all: Vec<u32> = (0..n as u32).collect();
    let mut keys = vec![0u32; n * BANDS];
    records.with_signatures(&all, BANDS, &mut keys, |slots, out| {
        for (band, key) in out.iter_mut().enumerate() {
            *key = (band_key(slots, band) >> 32) as u32;
        }
    })?;
    drop(all);
    // Each task takes a few bands: the keys are stored record by record, so a task reads
    // one cache line per record for all its bands where one band per task would read it
    // once per band. Its buffers are reused from task to task.
    let shared: Vec<Vec<u32>> = (0..BANDS / BANDS_PER_TASK)
        .into_par_iter()
        .map_init(
            || (vec![Vec::new(); BANDS_PER_TASK], Vec::new()),
            |(band_keys, spare), task| {
                let bands = task * BANDS_PER_TASK..(task + 1) * BANDS_PER_TASK;
                for column in band_keys.iter_mut() {
                    column.clear();
                    column.reserve(n);
                }
                for (at, record) in keys.chunks_exact(BANDS).enumerate() {
                    for (column, &key) in band_keys.iter_mut().zip(&record[bands.clone()]) {
                        column.push((u64::from(key) << 32) | at as u64);
                    }
                }
                let mut shared = Vec::new();
                for column in band_keys.iter_mut() {
                    sort_by_high_half(column, spare);
                    shared.extend(
                        column
                            .chunk_by(|x, y| x >> 32 == y >> 32)
                            .filter(|run| run.len() > 1)
                            .flatten()
                            .map(|&x| x as u32),
                    );
                }
                shared
            },
        )
        .collect();
    drop(keys);
    let mut marked = vec![false; n];
    for at in shared.into_iter().flatten() {
        marked[at as usize] = true;
    }
    Ok((0..n as u32).filter(|&at| marked[at as usize]).collect())
}

/// Bands one task of [`candidates`] sorts the keys of.
const BANDS_PER_TASK: usize = 4;

/// Bits of the key a pass of [`sort_by_high_half`] sorts by.
const RADIX_BITS: u32 = 11;

/// Sorts `values` by their high 32 bits (a least-significant-digit radix sort, 11 bits at a
/// time: three passes over the values where a comparison sort of a million takes some
/// twenty), `spare` being room it reuses.
fn sort_by_high_half(values: &mut Vec<u64>, spare: &mut Vec<u64>) {
    spare.clear();
    spare.resize(values.len(), 0);
    for shift in [32, 32 + RADIX_BITS, 32 + 2 * RADIX_BITS] {
        let digit = |v: u64| (v >> shift) as usize & ((1 << RADIX_BITS) - 1);
        let mut starts = [0usize; 1 << RADIX_BITS];
        for &v in values.iter() {
            starts[digit(v)] += 1;
        }
        let mut sum = 0;
        for start in starts.iter_mut() {
            (*start, sum) = (sum, sum + *start);
        }
        for &v in values.iter() {
            let d = digit(v);
            spare[starts[d]] = v;
            starts[d] += 1;
        }
        std::mem::swap(values, spare);
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

    #[test]
    fn the_radix_sort_orders_by_the_high_half_as_a_comparison_sort_does() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut values: Vec<u64> = (0..5_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Few distinct high halves, so runs of equal ones are long.
                ((x % 97) << 24 | (x >> 60)) << 32 | i
            })
            .collect();
        let mut expected = values.clone();
        expected.sort_by_key(|v| v >> 32);
        sort_by_high_half(&mut values, &mut Vec::new());
        assert_eq!(values, expected);
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
