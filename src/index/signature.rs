//! MinHash signatures of texts over word shingles: text in, a fixed-size signature out whose
//! agreement estimates the Jaccard similarity of two texts' shingle sets.
//!
//! One-permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava
//! & Li 2014): each shingle is hashed once and kept as the minimum of its bin, so a document
//! costs one hash per word rather than one per word and permutation; empty bins borrow the
//! next filled bin's value. Seeds are fixed, so signatures are the same on every run.
//!
//! The index writer stores each document's signature in a bytes fast field
//! ([`crate::index::schema::SIGNATURE`], [`to_bytes`]), so copy detection reads signatures
//! instead of re-reading and shingling every stored text.

/// Slots of a signature (bins of the one permutation).
pub const SLOTS: usize = 128;
/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Fixed seed of the word hash.
const WORD_SEED: u64 = 0x6d65_6469_6177_6174;
/// Value of a bin no shingle fell into (before densification).
const EMPTY: u32 = u32::MAX;

/// Bytes of a stored signature: [`SLOTS`] little-endian `u32`.
pub const BYTES: usize = SLOTS * 4;

/// Word hashes [`to_bytes`] keeps between documents at most (a 512 KB vector per thread).
const SCRATCH_KEPT: usize = 1 << 16;

/// The signature of a document as the index stores it (`None` for a document without
/// words, which stores none): [`SLOTS`] little-endian `u32` (see [`push_signature`]).
pub fn to_bytes(title: &str, text: &str) -> Option<Vec<u8>> {
    thread_local! {
        /// The word hashes of the last document, kept so that each document's do not grow
        /// a new vector from empty (a dozen reallocations for a 3 KB text).
        static SCRATCH: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut slots = Vec::with_capacity(SLOTS);
    let filled = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let filled = push_signature(title, text, &mut scratch, &mut slots);
            // A very long text's hashes are not kept for the rest of the run.
            if scratch.capacity() > SCRATCH_KEPT {
                *scratch = Vec::new();
            }
            filled
        }
        Err(_) => push_signature(title, text, &mut Vec::new(), &mut slots),
    });
    if !filled {
        return None;
    }
    Some(slots.iter().flat_map(|v| v.to_le_bytes()).collect())
}

/// A document's MinHash signature (kept on its own in tests and benches; collections of
/// documents keep theirs in one flat vector, see [`super::records::Records`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Box<[u32; SLOTS]>);

impl Signature {
    /// The estimated Jaccard similarity: the share of slots on which two signatures agree.
    pub fn similarity(&self, other: &Signature) -> f64 {
        similarity(&self.0[..], &other.0[..])
    }
}

/// The estimated Jaccard similarity of two signatures' slots: the share on which they agree.
#[inline]
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let same: u32 = a.iter().zip(b).map(|(x, y)| u32::from(x == y)).sum();
    f64::from(same) / SLOTS as f64
}

/// SplitMix64 finalizer: a cheap, well-mixed 64-bit hash of a 64-bit value.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A letter or digit lowercased (ё read as е), `None` for anything else. Fast paths for
/// ASCII and Russian Cyrillic; [`word_hashes`] reads code points below U+0800 (Latin,
/// Cyrillic with Kazakh's letters, Greek, ...) from a table built from this function.
#[inline]
fn folded(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x30..=0x39 | 0x61..=0x7a => Some(code),
        0x41..=0x5a => Some(code + 0x20),
        0x0430..=0x044f => Some(code),
        0x0410..=0x042f => Some(code + 0x20),
        0x0401 | 0x0451 => Some(0x0435),
        _ if code < 0x80 => None,
        _ if c.is_alphanumeric() => c.to_lowercase().next().map(|l| l as u32),
        _ => None,
    }
}

/// Code points below this are folded by table lookup (all one- and two-byte UTF-8).
const TABLE_LEN: usize = 0x800;

/// [`folded`] of every code point below [`TABLE_LEN`], 0 for "not a word character" (U+0000
/// is never one). Built once; the same values as `folded`, without its Unicode lookups for
/// Kazakh letters and other two-byte scripts.
fn fold_table() -> &'static [u32; TABLE_LEN] {
    static TABLE: std::sync::OnceLock<Box<[u32; TABLE_LEN]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new([0u32; TABLE_LEN]);
        for (code, slot) in table.iter_mut().enumerate() {
            *slot = char::from_u32(code as u32).and_then(folded).unwrap_or(0);
        }
        table
    })
}

/// Hashes of the text's words: runs of letters and digits, lowercased (so letter case does
/// not separate copies), ё read as е. Each word is hashed as it is read (FNV-1a over its
/// folded characters, then mixed), with no allocation; one- and two-byte characters are
/// decoded and folded by hand (the text is valid UTF-8), longer ones through `char`.
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325 ^ WORD_SEED;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
    let table = fold_table();
    let bytes = text.as_bytes();
    let mut hash = FNV_OFFSET;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let code = if lead < 0x80 {
            i += 1;
            table[lead as usize]
        } else if lead < 0xe0 {
            // A two-byte sequence (lead 0xc2..=0xdf): 5 + 6 bits.
            let point = (u32::from(lead & 0x1f) << 6) | u32::from(bytes[i + 1] & 0x3f);
            i += 2;
            table[point as usize]
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            folded(c).unwrap_or(0)
        };
        if code != 0 {
            hash = (hash ^ u64::from(code)).wrapping_mul(FNV_PRIME);
            in_word = true;
        } else if in_word {
            out.push(mix(hash));
            hash = FNV_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        out.push(mix(hash));
    }
}

/// The signature of a text from its word hashes (`None` for a text without words).
pub fn signature_of_words(words: &[u64]) -> Option<Signature> {
    let mut bins = Box::new([EMPTY; SLOTS]);
    fill(words, &mut bins).then_some(Signature(bins))
}

/// Fills `bins` with the signature of a text's word hashes; false for a text without words.
fn fill(words: &[u64], bins: &mut [u32; SLOTS]) -> bool {
    if words.is_empty() {
        return false;
    }
    bins.fill(EMPTY);
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
    densify(bins);
    true
}

/// Fills each empty bin from the next filled bin (circularly), marking the value with the
/// distance so borrowed values agree only when both documents borrowed alike.
fn densify(bins: &mut [u32; SLOTS]) {
    let filled = bins.iter().filter(|&&v| v != EMPTY).count();
    if filled == SLOTS || filled == 0 {
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

/// The words a document's signature is made of: its text's, or its title's when the text has
/// none (a copy often gets a new title, so the title does not count when there is text).
fn document_words(title: &str, text: &str, scratch: &mut Vec<u64>) {
    scratch.clear();
    word_hashes(text, scratch);
    if scratch.is_empty() {
        word_hashes(title, scratch);
    }
}

/// The signature of a document (see [`push_signature`]).
pub fn signature(title: &str, text: &str, scratch: &mut Vec<u64>) -> Option<Signature> {
    document_words(title, text, scratch);
    signature_of_words(scratch)
}

/// Appends the signature of a document ([`SLOTS`] values) to `out`: of its text, or of its
/// title when the text has no words. False, with nothing appended, for a document without
/// words.
pub fn push_signature(title: &str, text: &str, scratch: &mut Vec<u64>, out: &mut Vec<u32>) -> bool {
    document_words(title, text, scratch);
    let mut bins = [EMPTY; SLOTS];
    let filled = fill(scratch, &mut bins);
    if filled {
        out.extend_from_slice(&bins);
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_bytes_do_not_depend_on_the_documents_before() {
        // One thread's documents one after another (its scratch reused, once past the kept
        // size): each stored signature is the one a fresh scratch makes.
        let long = text(7, 70_000);
        let docs = [
            ("", text(1, 400)),
            ("Заголовок", String::new()),
            ("", "ok".to_string()),
            ("", long),
            ("", text(2, 3)),
            ("", "— …".to_string()),
            ("", text(3, 900)),
        ];
        for (title, body) in &docs {
            let mut slots = Vec::new();
            let fresh = push_signature(title, body, &mut Vec::new(), &mut slots).then(|| {
                slots
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect::<Vec<u8>>()
            });
            assert_eq!(to_bytes(title, body), fresh, "{title:?}");
        }
        assert_eq!(to_bytes("", "— …"), None);
    }

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

    /// The plain route: every character through `folded`.
    fn word_hashes_by_char(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for word in text.split(|c: char| folded(c).is_none()) {
            if !word.is_empty() {
                let hash = word
                    .chars()
                    .fold(0xcbf2_9ce4_8422_2325 ^ WORD_SEED, |h, c| {
                        (h ^ u64::from(folded(c).unwrap())).wrapping_mul(0x0000_0100_0000_01b3)
                    });
                out.push(mix(hash));
            }
        }
        out
    }

    #[test]
    fn the_folding_table_gives_the_words_of_the_plain_route() {
        // Every one- and two-byte character between letters, then Kazakh and three- and
        // four-byte text (CJK, an emoji, a Georgian capital).
        let mut text = String::new();
        for code in 1..0x800u32 {
            if let Some(c) = char::from_u32(code) {
                text.push('a');
                text.push(c);
            }
        }
        text.push_str(" Әлем ҚАЗАҚСТАН Ұлттық өңір һәм Іле 北京 abc😀def Ⴀბ ǅemal");
        let mut fast = Vec::new();
        word_hashes(&text, &mut fast);
        let plain = word_hashes_by_char(&text);
        assert!(plain.len() > 10, "{}", plain.len());
        assert_eq!(fast, plain);
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
