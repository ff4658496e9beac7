//! A segment's words a matcher can match, numbered as the shared walk numbers them, with the
//! patterns that may start at each: what entity and frame counting on postings both read
//! their documents' word sequences through.

use crate::stats::word_walk::BLANK;

/// A segment's matchable words (`W`: what the matcher compares) and, for each, the
/// patterns that may start at it.
pub(super) struct MatchWords<W> {
    words: Vec<W>,
    starts: Vec<Vec<usize>>,
}

impl<W> MatchWords<W> {
    /// No words yet.
    pub(super) fn new() -> Self {
        MatchWords {
            words: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// Numbers `word`, with the patterns that may start at it; returns its number.
    pub(super) fn push(&mut self, word: W, starts: Vec<usize>) -> u32 {
        self.words.push(word);
        self.starts.push(starts);
        self.words.len() as u32 - 1
    }

    /// The next word's number.
    pub(super) fn next_number(&self) -> u32 {
        self.words.len() as u32
    }

    /// Word number `w`, or `blank` for a [`BLANK`].
    pub(super) fn word<'w>(&'w self, w: u32, blank: &'w W) -> &'w W {
        match w {
            BLANK => blank,
            w => &self.words[w as usize],
        }
    }

    /// The words of `sequence` as the matcher reads them.
    pub(super) fn text<'w>(&'w self, sequence: &[u32], blank: &'w W) -> Vec<&'w W> {
        sequence.iter().map(|&w| self.word(w, blank)).collect()
    }

    /// The patterns that may start at position `i` of `sequence` (none at a blank).
    pub(super) fn starts_in(&self, sequence: &[u32], i: usize) -> &[usize] {
        match sequence[i] {
            BLANK => &[],
            w => &self.starts[w as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_read_as_the_blank_word_with_no_starts() {
        let mut words = MatchWords::new();
        assert_eq!(words.push("a", vec![0, 2]), 0);
        assert_eq!(words.push("b", vec![]), 1);
        assert_eq!(words.next_number(), 2);
        let sequence = [1, BLANK, 0];
        assert_eq!(words.text(&sequence, &"_"), [&"b", &"_", &"a"]);
        let starts: Vec<&[usize]> = (0..3).map(|i| words.starts_in(&sequence, i)).collect();
        assert_eq!(starts, [&[][..], &[][..], &[0, 2][..]]);
    }
}
