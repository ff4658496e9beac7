//! Candidate pairs by locality-sensitive hashing of signatures, confirmed by their estimated
//! similarity, joined into clusters: signatures in, groups of near-duplicate documents out.

use rayon::prelude::*;

use super::records::Records;
use super::signature::{self, Signature, SLOTS};

/// Signatures numbered 0, 1, …: what LSH looks at.
pub trait Signatures: Sync {
    /// How many.
    fn count(&self) -> usize;
    /// The slots of signature `i`.
    fn slots(&self, i: usize) -> &[u32];
}

impl Signatures for Records {
    fn count(&self) -> usize {
        self.len()
    }

    fn slots(&self, i: usize) -> &[u32] {
        self.signature(i)
    }
}

impl Signatures for [Signature] {
    fn count(&self) -> usize {
        self.len()
    }

    fn slots(&self, i: usize) -> &[u32] {
        &self[i].0[..]
    }
}

/// Slots per band: with 32 bands of 4 slots a pair of similarity s becomes a candidate with
/// probability 1 − (1 − s⁴)³²: 0.9999 at s = 0.8, 0.87 at s = 0.5, 0.0003 at s = 0.1.
pub const ROWS: usize = 4;
/// Bands of a signature.
pub const BANDS: usize = SLOTS / ROWS;
/// Documents of one bucket compared with each other pair by pair; a larger bucket's documents
/// are compared with its first and with their neighbours only (boilerplate many documents
/// share would otherwise cost quadratic time).
const ALL_PAIRS_UP_TO: usize = 48;

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

/// Pairs of documents that agree on every slot of `band`.
fn band_candidates(signatures: &(impl Signatures + ?Sized), band: usize) -> Vec<(u32, u32)> {
    let slots = band * ROWS..(band + 1) * ROWS;
    let mut keys: Vec<(u64, u32)> = (0..signatures.count())
        .map(|i| {
            let key = signatures.slots(i)[slots.clone()]
                .iter()
                .fold(band as u64, |acc, v| {
                    (acc ^ u64::from(*v))
                        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                        .rotate_left(29)
                });
            (key, i as u32)
        })
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
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    for &(a, b, _) in pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            // The smaller root wins, so the result does not depend on the pairs' order.
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut members: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for x in 0..n as u32 {
        let r = root(&mut parent, x);
        members.entry(r).or_default().push(x);
    }
    members.into_values().filter(|m| m.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::copies::signature::signature;

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
