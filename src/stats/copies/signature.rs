//! MinHash signatures of texts over word shingles: text in, a fixed-size signature out whose
//! agreement estimates the Jaccard similarity of two texts' shingle sets.
//!
//! One-permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava
//! & Li 2014): each shingle is hashed once and kept as the minimum of its bin, so a document
//! costs one hash per word rather than one per word and permutation; empty bins borrow the
//! next filled bin's value. Seeds are fixed, so signatures are the same on every run.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Slots of a signature (bins of the one permutation).
pub const SLOTS: usize = 128;
/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Fixed seed of the word hash.
const WORD_SEED: u64 = 0x6d65_6469_6177_6174;
/// Value of a bin no shingle fell into (before densification).
const EMPTY: u32 = u32::MAX;

/// A document's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Box<[u32; SLOTS]>);

impl Signature {
    /// The estimated Jaccard similarity: the share of slots on which two signatures agree.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / SLOTS as f64
    }
}

/// SplitMix64 finalizer: a cheap, well-mixed 64-bit hash of a 64-bit value.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hashes of the text's words: runs of letters and digits, lowercased (so letter case does
/// not separate copies), ё read as е.
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    fn flush(word: &mut String, out: &mut Vec<u64>) {
        if !word.is_empty() {
            out.push(xxh3_64_with_seed(word.as_bytes(), WORD_SEED));
            word.clear();
        }
    }
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                word.push(if lower == 'ё' { 'е' } else { lower });
            }
        } else {
            flush(&mut word, out);
        }
    }
    flush(&mut word, out);
}

/// The signature of a text from its word hashes (`None` for a text without words).
pub fn signature_of_words(words: &[u64]) -> Option<Signature> {
    if words.is_empty() {
        return None;
    }
    let mut bins = Box::new([EMPTY; SLOTS]);
    let mut add = |shingle: u64| {
        let h = mix(shingle);
        // The top 7 bits choose the bin (SLOTS = 128), the next 32 are the value.
        let bin = (h >> 57) as usize;
        let value = (h >> 25) as u32 & 0x7fff_ffff;
        if value < bins[bin] {
            bins[bin] = value;
        }
    };
    if words.len() < SHINGLE_WORDS {
        add(words.iter().fold(0, |acc, w| mix(acc ^ w)));
    } else {
        for window in words.windows(SHINGLE_WORDS) {
            add(window[0] ^ window[1].rotate_left(21) ^ window[2].rotate_left(42));
        }
    }
    densify(&mut bins);
    Some(Signature(bins))
}

/// Fills each empty bin from the next filled bin (circularly), marking the value with the
/// distance so borrowed values agree only when both documents borrowed alike.
fn densify(bins: &mut [u32; SLOTS]) {
    let filled: Vec<usize> = (0..SLOTS).filter(|&i| bins[i] != EMPTY).collect();
    if filled.len() == SLOTS || filled.is_empty() {
        return;
    }
    let source = *bins;
    for i in 0..SLOTS {
        if source[i] != EMPTY {
            continue;
        }
        let mut distance = 1;
        while source[(i + distance) % SLOTS] == EMPTY {
            distance += 1;
        }
        let borrowed = source[(i + distance) % SLOTS];
        bins[i] = (mix(u64::from(borrowed) ^ ((distance as u64) << 32)) >> 33) as u32 | 0x8000_0000;
    }
}

/// The signature of a document: of its text, or of its title when the text has no words.
/// A copy often gets a new title, so the title does not count when there is text.
pub fn signature(title: &str, text: &str, scratch: &mut Vec<u64>) -> Option<Signature> {
    scratch.clear();
    word_hashes(text, scratch);
    if scratch.is_empty() {
        word_hashes(title, scratch);
    }
    signature_of_words(scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        signature("", text, &mut Vec::new()).unwrap()
    }

    /// Exact Jaccard similarity of two texts' shingle sets, the quantity signatures estimate.
    fn jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| {
            let mut words = Vec::new();
            word_hashes(t, &mut words);
            let shingles: std::collections::BTreeSet<(u64, u64, u64)> =
                words.windows(3).map(|w| (w[0], w[1], w[2])).collect();
            shingles
        };
        let (x, y) = (set(a), set(b));
        x.intersection(&y).count() as f64 / x.union(&y).count() as f64
    }

    fn text(seed: u64, words: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", mix(seed * 1_000_003 + i as u64) % 5000))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_ignore_case_punctuation_and_yo() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        word_hashes("Всё СПОКОЙНО, Almaty!", &mut a);
        word_hashes("все спокойно almaty", &mut b);
        assert_eq!(a, b);
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn identical_texts_agree_everywhere_and_letter_case_does_not_matter() {
        let t = text(1, 300);
        assert_eq!(sig(&t).similarity(&sig(&t.to_uppercase())), 1.0);
        assert!(signature("", " ,. ", &mut Vec::new()).is_none());
    }

    #[test]
    fn the_estimate_tracks_the_exact_jaccard_similarity() {
        // Texts sharing a varying share of their words, compared with the exact Jaccard
        // similarity of their shingle sets: with 128 slots the estimate's standard error is
        // at most √(0.25/128) ≈ 0.044, so 0.15 is over three standard errors.
        for keep in [50usize, 150, 250, 290] {
            let a = text(7, 300);
            let b = format!(
                "{} {}",
                &a[..a.match_indices(' ').nth(keep - 1).unwrap().0],
                text(8, 300 - keep)
            );
            let (estimate, exact) = (sig(&a).similarity(&sig(&b)), jaccard(&a, &b));
            assert!(
                (estimate - exact).abs() < 0.15,
                "keep {keep}: {estimate} vs {exact}"
            );
        }
        // Unrelated texts: near 0.
        assert!(sig(&text(1, 300)).similarity(&sig(&text(2, 300))) < 0.1);
    }

    #[test]
    fn short_texts_still_get_a_signature() {
        let a = sig("Токаев");
        assert_eq!(a.similarity(&sig("токаев")), 1.0);
        assert!(a.similarity(&sig("Назарбаев")) < 0.2);
    }
}
