//! The per-thread memo of word analyses: a word as written in, its term and exact form out,
//! without analyzing a word twice.
//!
//! Looking a word up is most of what indexing a word costs besides tantivy's own work, and
//! it is bound by memory latency, not arithmetic: a hash map of boxed strings touches the
//! table, the key's box and two value boxes (five cache misses for a word that was seen
//! before). Here the table holds only 8-byte slots (a hash tag and an offset), and each entry
//! is one run of bytes in an arena — the word, its term, and the separator and exact form
//! when they differ — so a lookup touches one slot and one run, and the index token
//! (`term` or `term\u{1}exact`) is a slice of that run.

use super::FORM_SEPARATOR;
use crate::fasthash::fold_multiply;

/// Header of an entry: the word's length, the term's and the exact part's (0 when the exact
/// form is the term, else 1 + its length), each as two ASCII characters of 7 bits, so the
/// arena stays a `String` and its slices need no UTF-8 check.
const HEADER: usize = 6;

/// Largest length a header holds.
const MAX_LEN: usize = (1 << 14) - 1;

/// Word analyses keyed by the word as written.
pub struct Memo {
    /// `hash tag << 40 | (offset of the entry in the arena + 1)`; 0 is an empty slot.
    slots: Vec<u64>,
    arena: String,
    len: usize,
    capacity: usize,
}

/// What the memo knows of a word: slices of its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known<'a> {
    /// The index token: the term, or the term, the separator and the exact form.
    pub token: &'a str,
    /// The term.
    pub term: &'a str,
    /// The exact form.
    pub exact: &'a str,
}

const OFFSET_BITS: u32 = 40;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;

/// A hint to the CPU to start loading the cache line at `at`. A prefetch never faults and
/// changes no memory, whatever the address; on other targets it does nothing.
#[inline(always)]
fn prefetch(at: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch instruction reads nothing architecturally and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(at.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// The hash a word is remembered under: its bytes read as two 64-bit words (overlapping
/// for 9–16 bytes, padded below, a 16-byte chunk at a time above) and folded by a 128-bit
/// multiply, whose halves mix every input bit into the low bits (the slot) and the high ones
/// (the tag) alike. A word is read in at most a few loads, with no copy into a buffer: for
/// the words of most texts (3–16 bytes) the whole hash is two loads and one multiply.
#[inline]
pub fn hash(word: &str) -> u64 {
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    let bytes = word.as_bytes();
    let n = bytes.len();
    let u64_at = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let u32_at = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&bytes[i..i + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    // The length through a multiply: xored in as it is, it could cancel a difference in the
    // bytes (`жaжaжaжaжaжaжaжa` and `жaжaжbжaжaжaжaжaжa` hashed alike).
    let mut seed = (K0 ^ n as u64).wrapping_mul(K1);
    let (a, b) = if n <= 16 {
        if n >= 8 {
            (u64_at(0), u64_at(n - 8))
        } else if n >= 4 {
            (u32_at(0), u32_at(n - 4))
        } else if n > 0 {
            let head = u64::from(bytes[0]) << 16 | u64::from(bytes[n / 2]) << 8;
            (head | u64::from(bytes[n - 1]), 0)
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while n - i > 16 {
            seed = fold_multiply(u64_at(i) ^ K1, u64_at(i + 8) ^ seed);
            i += 16;
        }
        (u64_at(n - 16), u64_at(n - 8))
    };
    fold_multiply(a ^ K1, b ^ seed)
}

impl Memo {
    /// A memo that starts afresh after `capacity` words.
    pub fn new(capacity: usize) -> Memo {
        Memo {
            slots: vec![0; 1024],
            arena: String::new(),
            len: 0,
            capacity,
        }
    }

    /// Number of words remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }

    fn entry(&self, offset: usize) -> (Known<'_>, &str) {
        let header = &self.arena.as_bytes()[offset..offset + HEADER];
        let len = |i: usize| usize::from(header[i]) << 7 | usize::from(header[i + 1]);
        let (word_len, term_len, extra_len) = (len(0), len(2), len(4));
        let word_start = offset + HEADER;
        let term_start = word_start + word_len;
        let term_end = term_start + term_len;
        let end = term_end + extra_len;
        let term = &self.arena[term_start..term_end];
        let exact = if extra_len == 0 {
            term
        } else {
            &self.arena[term_end + FORM_SEPARATOR.len_utf8()..end]
        };
        (
            Known {
                token: &self.arena[term_start..end],
                term,
                exact,
            },
            &self.arena[word_start..term_start],
        )
    }

    /// The analysis of `word` if remembered.
    #[inline]
    pub fn get(&self, word: &str) -> Option<Known<'_>> {
        self.get_hashed(word, hash(word))
    }

    /// Starts loading the slot a lookup of the word with hash `h` reads first, so that the
    /// lookup a few words later finds it in cache.
    #[inline]
    pub fn prefetch_slot(&self, h: u64) {
        let mask = self.slots.len() - 1;
        prefetch(self.slots[(h as usize) & mask..].as_ptr().cast());
    }

    /// Starts loading the entry that the first slot of hash `h` points at, when its tag is
    /// `h`'s (call [`Memo::prefetch_slot`] a few words earlier, so that the slot is in cache).
    #[inline]
    pub fn prefetch_entry(&self, h: u64) {
        let mask = self.slots.len() - 1;
        let slot = self.slots[(h as usize) & mask];
        if slot != 0 && slot >> OFFSET_BITS == h >> OFFSET_BITS {
            let offset = ((slot & OFFSET_MASK) - 1) as usize;
            prefetch(self.arena.as_bytes()[offset..].as_ptr());
        }
    }

    /// The analysis of `word`, whose [`hash`] is `h`, if remembered.
    #[inline]
    pub fn get_hashed(&self, word: &str, h: u64) -> Option<Known<'_>> {
        let tag = h >> OFFSET_BITS;
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot >> OFFSET_BITS == tag {
                let (known, key) = self.entry(((slot & OFFSET_MASK) - 1) as usize);
                if key == word {
                    return Some(known);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Remembers `word` (not remembered yet) with its exact form and term, starting afresh
    /// when full, and returns the entry; `None` (nothing remembered) when a form is too long
    /// for an entry.
    pub fn insert(&mut self, word: &str, exact: &str, term: &str) -> Option<Known<'_>> {
        let extra_len = if exact == term {
            0
        } else {
            FORM_SEPARATOR.len_utf8() + exact.len()
        };
        if word.len().max(term.len()).max(extra_len) > MAX_LEN {
            return None;
        }
        if self.len >= self.capacity {
            self.clear();
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let offset = self.arena.len();
        for len in [word.len(), term.len(), extra_len] {
            // Two 7-bit halves: ASCII characters.
            self.arena.push(char::from((len >> 7) as u8));
            self.arena.push(char::from((len & 0x7f) as u8));
        }
        self.arena.push_str(word);
        self.arena.push_str(term);
        if extra_len > 0 {
            self.arena.push(FORM_SEPARATOR);
            self.arena.push_str(exact);
        }
        self.place(hash(word), offset);
        self.len += 1;
        Some(self.entry(offset).0)
    }

    fn place(&mut self, h: u64, offset: usize) {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (h >> OFFSET_BITS) << OFFSET_BITS | (offset as u64 + 1);
    }

    fn grow(&mut self) {
        let doubled = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for slot in old.into_iter().filter(|&s| s != 0) {
            let offset = ((slot & OFFSET_MASK) - 1) as usize;
            let h = hash(self.entry(offset).1);
            self.place(h, offset);
        }
    }

    /// Forgets everything (keeping the memory).
    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = 0);
        self.arena.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_words_with_both_forms() {
        let mut memo = Memo::new(1000);
        assert_eq!(memo.get("Протестующих"), None);
        let known = memo
            .insert("Протестующих", "протестующих", "протестовать")
            .unwrap();
        assert_eq!(known.token, "протестовать\u{1}протестующих");
        memo.insert("газ", "газ", "газ");
        let gas = memo.get("газ").unwrap();
        assert_eq!((gas.token, gas.term, gas.exact), ("газ", "газ", "газ"));
        let protest = memo.get("Протестующих").unwrap();
        assert_eq!(protest.term, "протестовать");
        assert_eq!(protest.exact, "протестующих");
        assert_eq!(memo.get("протестующих"), None);
        // Too long for an entry: not remembered.
        let long = "ж".repeat(MAX_LEN);
        assert_eq!(memo.insert(&long, &long, &long), None);
        assert_eq!(memo.get(&long), None);
    }

    #[test]
    fn hashes_spread_words_of_every_length() {
        // Words of 0–40 bytes differing in one byte, or only in length: distinct hashes, and
        // distinct slots of a small table and tags (the low and high bits) for nearly all.
        let mut words = Vec::new();
        for len in 0..=40 {
            let base: String = "жa".chars().cycle().take(len).collect();
            words.push(base.clone());
            for i in 0..base.len() {
                if base.is_char_boundary(i) && base.as_bytes()[i].is_ascii() {
                    let mut other = base.clone().into_bytes();
                    other[i] = b'b';
                    words.push(String::from_utf8(other).unwrap());
                }
            }
        }
        words.extend((0..2000).map(|i| format!("w{i}")));
        let hashes: std::collections::HashSet<u64> = words.iter().map(|w| hash(w)).collect();
        assert_eq!(hashes.len(), words.len());
        let distinct = |bits: fn(u64) -> u64| {
            words
                .iter()
                .map(|w| bits(hash(w)))
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        assert!(distinct(|h| h & 0xffff) * 100 >= words.len() * 93);
        assert!(distinct(|h| h >> OFFSET_BITS) * 100 >= words.len() * 99);
    }

    #[test]
    fn grows_and_starts_afresh_when_full() {
        let mut memo = Memo::new(5000);
        for i in 0..4000 {
            let word = format!("w{i}");
            memo.insert(&word, &word, &format!("t{i}"));
        }
        assert_eq!(memo.len(), 4000);
        for i in (0..4000).step_by(7) {
            assert_eq!(memo.get(&format!("w{i}")).unwrap().term, format!("t{i}"));
        }
        assert_eq!(memo.get("w4000"), None);
        for i in 4000..5001 {
            let word = format!("w{i}");
            memo.insert(&word, &word, &word);
        }
        // Full at 5000: the 5001st word started a fresh memo.
        assert_eq!(memo.len(), 1);
        assert_eq!(memo.get("w5000").unwrap().term, "w5000");
        assert_eq!(memo.get("w1"), None);
    }
}
