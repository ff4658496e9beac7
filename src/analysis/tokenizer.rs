//! The analyzer as a tantivy tokenizer: text in, one *index token* per word out.
//!
//! A word's index token carries both of its forms: its term when the exact form is the term
//! itself (`газ`, `the`), else the term, [`FORM_SEPARATOR`] and the exact form
//! (`протестовать\u{1}протестующих`). So one token per word — as many as a plain tokenizer
//! makes — serves every kind of search: a term is the token equal to it plus every token in
//! the range `term\u{1}…` (see [`term_token_range`]), an exact form is exactly one token
//! ([`push_index_token`] of its term and itself), and expressions over exact forms look at the
//! part after the separator (or the whole token without one). Counting needs no analyzer
//! either: [`split_index_token`] gives back both forms.
//!
//! Where a sentence ends between two words (see [`sentence_ends_between`]) the next word's
//! position skips one, leaving a hole: n-grams are rebuilt from positions without crossing
//! a sentence end, and a phrase query never matches across one.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::Analyzer;

/// Separates a word's term from its exact form in its index token, when the two differ. No
/// word contains it: words are letters, digits and joining punctuation, never control
/// characters.
pub const FORM_SEPARATOR: char = '\u{1}';

/// What ends a sentence between two words: n-grams never span it, and the index leaves a
/// position hole there.
pub const SENTENCE_ENDS: [char; 7] = ['.', '!', '?', '…', ';', '\n', '\r'];

/// Whether `between` (the text between two words) ends a sentence.
#[inline]
pub fn sentence_ends_between(between: &str) -> bool {
    holds_mark(between, |b| {
        matches!(b, b'.' | b'!' | b'?' | b';' | b'\n' | b'\r')
    })
}

/// Whether `between` holds an ASCII character that `ascii` accepts or `…` (U+2026): what
/// `str::contains` of a list of such characters says, read from the bytes. Every word is
/// preceded by such a check (twice for its name token), on a few bytes — most often one
/// space — where decoding characters to compare each with the list cost more than the rest
/// of the check. No multi-byte character holds an ASCII byte, and `E2 80 A6` at any byte is
/// `…` (0xE2 only ever leads a character).
#[inline]
pub(super) fn holds_mark(between: &str, ascii: impl Fn(u8) -> bool) -> bool {
    let bytes = between.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| ascii(b) || (b == 0xe2 && bytes[i + 1..].starts_with(&[0x80, 0xa6])))
}

/// Appends the index token of a word whose exact form is `exact` and term `term`.
#[inline]
pub fn push_index_token(term: &str, exact: &str, out: &mut String) {
    out.push_str(term);
    if exact != term {
        out.push(FORM_SEPARATOR);
        out.push_str(exact);
    }
}

/// The term and the exact form an index token stands for.
pub fn split_index_token(token: &str) -> (&str, &str) {
    token.split_once(FORM_SEPARATOR).unwrap_or((token, token))
}

/// The tokens of words with term `term` whose exact form differs from it lie in
/// `[start, end)` of the term dictionary's order; the word whose exact form is the term
/// itself has the token `term`.
pub fn term_token_range(term: &str) -> (String, String) {
    let mut start = term.to_string();
    start.push(FORM_SEPARATOR);
    let mut end = term.to_string();
    end.push(char::from_u32(FORM_SEPARATOR as u32 + 1).unwrap_or(FORM_SEPARATOR));
    (start, end)
}

/// The analyzer as a tantivy tokenizer, registered under [`super::ANALYZER_NAME`]: the
/// index token of every word (see the module docs).
#[derive(Clone, Default)]
pub struct MediawatchTokenizer {
    analyzer: Analyzer,
    token: Token,
    words: IndexWords,
}

/// The words of one text, analyzed in one walk before tantivy asks for them (see
/// [`Analyzer::for_each_index_token`]); the buffers are kept from text to text. The names
/// tokenizer keeps its tokens in one too (see [`super::names`]).
#[derive(Clone, Default)]
pub(super) struct IndexWords {
    /// The tokens, one after the other.
    tokens: String,
    /// Per word: byte offsets in the text, position, and where its token ends in `tokens`.
    words: Vec<IndexWord>,
}

#[derive(Clone, Copy)]
struct IndexWord {
    start: usize,
    end: usize,
    position: usize,
    token_end: usize,
}

impl IndexWords {
    /// Forgets every word.
    pub(super) fn clear(&mut self) {
        self.tokens.clear();
        self.words.clear();
    }

    /// Adds the word at bytes `start..end` and `position`, its token written by `token`.
    #[inline]
    pub(super) fn push(
        &mut self,
        [start, end, position]: [usize; 3],
        token: impl FnOnce(&mut String),
    ) {
        token(&mut self.tokens);
        self.words.push(IndexWord {
            start,
            end,
            position,
            token_end: self.tokens.len(),
        });
    }

    fn fill(&mut self, analyzer: &Analyzer, text: &str) {
        self.clear();
        walk(analyzer, text, |at, token| {
            self.push(at, |out| out.push_str(token))
        });
    }
}

/// Calls `each` with the byte offsets, position and index token of every word of `text`, in
/// order, leaving the text's name tokens (made in the same walk) for the names tokenizer.
fn walk(analyzer: &Analyzer, text: &str, mut each: impl FnMut([usize; 3], &str)) {
    let mut position = 0;
    // Byte offset one past the previous word (`None` before the first).
    let mut last_end: Option<usize> = None;
    super::names::leave(|names| {
        names.start(text);
        analyzer.for_each_index_token(text, |start, word, token, exact| {
            let between = last_end.map(|end| &text[end..start]);
            let after_hole = between.is_some_and(sentence_ends_between);
            if after_hole {
                position += 1;
            }
            names.word([start, position], word, exact, between, after_hole);
            let end = start + word.len();
            last_end = Some(end);
            each([start, end, position], token);
            position += 1;
        });
    });
}

/// Token stream of [`MediawatchTokenizer`] (and of the names tokenizer).
pub struct MediawatchTokenStream<'a> {
    /// The text not walked yet and the analyzer to walk it with: the index tokenizer's
    /// stream walks its text only when asked for the first token, and hands the tokens to
    /// [`TokenStream::process`] as the walk makes them, never buffering them.
    pending: Option<(&'a Analyzer, &'a str)>,
    words: &'a mut IndexWords,
    token: &'a mut Token,
    /// Index of the next word in `words`.
    next: usize,
}

impl Tokenizer for MediawatchTokenizer {
    type TokenStream<'a> = MediawatchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        self.words.clear();
        MediawatchTokenStream {
            pending: Some((&self.analyzer, text)),
            words: &mut self.words,
            token: &mut self.token,
            next: 0,
        }
    }
}

impl<'a> MediawatchTokenStream<'a> {
    /// The stream of `words`' tokens, given in `token`.
    pub(super) fn over(words: &'a mut IndexWords, token: &'a mut Token) -> Self {
        MediawatchTokenStream {
            pending: None,
            words,
            token,
            next: 0,
        }
    }
}

/// Sets `token` to the word at bytes `start..end` and `position` with index token `text`.
#[inline]
fn set_token(token: &mut Token, [start, end, position]: [usize; 3], text: &str) {
    token.text.clear();
    token.text.push_str(text);
    token.offset_from = start;
    token.offset_to = end;
    token.position = position;
    token.position_length = 1;
}

impl TokenStream for MediawatchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((analyzer, text)) = self.pending.take() {
            self.words.fill(analyzer, text);
        }
        let Some(word) = self.words.words.get(self.next) else {
            return false;
        };
        let token_start = match self.next {
            0 => 0,
            n => self.words.words[n - 1].token_end,
        };
        self.next += 1;
        let at = [word.start, word.end, word.position];
        set_token(
            self.token,
            at,
            &self.words.tokens[token_start..word.token_end],
        );
        true
    }

    /// Tantivy indexes a text through this: the index tokenizer's words go to `sink` straight
    /// from the walk that analyzes them, without the copy into and out of [`IndexWords`]
    /// (one per word, 1–2 % of an ingest's CPU).
    fn process(&mut self, sink: &mut dyn FnMut(&Token)) {
        let Some((analyzer, text)) = self.pending.take() else {
            while self.advance() {
                sink(self.token);
            }
            return;
        };
        let token = &mut *self.token;
        walk(analyzer, text, |at, text| {
            set_token(token, at, text);
            sink(token);
        });
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{fold_case, words};

    fn stream(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = MediawatchTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn one_token_per_word_carrying_term_and_exact_form() {
        let text = "Протестующие ВЫШЛИ, ещё «Газ» cafe\u{301} 2022";
        let tokens = stream(text);
        let texts: Vec<&str> = tokens.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "протестовать\u{1}протестующие",
                "выйти\u{1}вышли",
                "еще",
                "газ",
                "café",
                "2022"
            ]
        );
        let positions: Vec<usize> = tokens.iter().map(|t| t.1).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4, 5]);
        // A sentence end leaves one position empty; other punctuation does not.
        let positions: Vec<usize> = stream("Цены растут. Газ, нефть!\nДа; нет… и? ок")
            .iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(positions, [0, 1, 3, 4, 6, 8, 10, 12]);
        // Offsets point at the words as written.
        assert_eq!(&text[tokens[1].2..tokens[1].3], "ВЫШЛИ");
        assert_eq!(&text[tokens[4].2..tokens[4].3], "cafe\u{301}");
    }

    #[test]
    fn tokens_split_into_the_analyzers_term_and_exact_form() {
        let text = "Токаева поддержали миротворцы ОДКБ Тоқаевтың protesters the";
        let analyzer = Analyzer::default();
        let tokens = stream(text);
        let expected: Vec<(String, String)> = words(text)
            .map(|(_, w)| (analyzer.normalize(w), fold_case(w)))
            .collect();
        assert_eq!(tokens.len(), expected.len());
        for ((token, ..), (term, exact)) in tokens.iter().zip(&expected) {
            assert_eq!(split_index_token(token), (term.as_str(), exact.as_str()));
            // A token has the separator exactly when the two forms differ.
            assert_eq!(token.contains(FORM_SEPARATOR), term != exact, "{token}");
        }
    }

    #[test]
    fn a_long_texts_tokens_are_each_words_own() {
        // More words than the lookups run ahead, new and repeated, in every script, with
        // sentence ends: each token is the one the word gets alone, at its own position.
        let sentence = "Протестующие вышли на площадь в Алматы. Тоқаевтың сөзі; protesters \
                        gathered 2022 café, газ и нефть! Алматыда доллардан тенге";
        let text = format!("{sentence}\n{sentence} Новые слова: митингующих задержанных.");
        let analyzer = Analyzer::default();
        let mut expected = Vec::new();
        let mut position = 0;
        let mut last_end = None;
        for (start, word) in words(&text) {
            if last_end.is_some_and(|end| sentence_ends_between(&text[end..start])) {
                position += 1;
            }
            last_end = Some(start + word.len());
            let token = analyzer.with_index_token(word, str::to_string);
            expected.push((token, position, start, start + word.len()));
            position += 1;
        }
        assert!(expected.len() >= 40, "{}", expected.len());
        // On a thread of its own, so its memo starts empty.
        let (tokens, processed) = std::thread::spawn(move || (stream(&text), processed(&text)))
            .join()
            .unwrap();
        assert_eq!(tokens, expected);
        // Handed to `process` as the walk makes them (how tantivy indexes): the same tokens.
        assert_eq!(processed, expected);
    }

    /// The tokens `process` hands to its sink, and after it what `advance` still gives.
    fn processed(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = MediawatchTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        });
        assert!(!stream.advance(), "process consumed every token");
        out
    }

    #[test]
    fn process_after_advance_gives_the_remaining_tokens() {
        let text = "Протестующие вышли. Газ, нефть";
        let all = stream(text);
        let mut tokenizer = MediawatchTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        assert!(stream.advance());
        let first = stream.token().text.clone();
        let mut rest = Vec::new();
        stream
            .process(&mut |t| rest.push((t.text.clone(), t.position, t.offset_from, t.offset_to)));
        assert_eq!(first, all[0].0);
        assert_eq!(rest, all[1..]);
        assert!(processed("").is_empty());
    }

    proptest::proptest! {
        // The byte-level checks say what `str::contains` of the character lists says, on
        // texts between words made of those characters, their neighbours in UTF-8 (… is
        // E2 80 A6; ‥ E2 80 A5, U+2066 E2 81 A6, ꀦ EA 80 A6) and other letters and spaces.
        #[test]
        fn sentence_marks_are_found_as_contains_finds_them(
            between in "[ .!?;:,\n\r\t…‥\u{2066}ꀦ«»—a-zа-яқ0-9\u{a0}\u{2026}\u{2025}]{0,8}",
        ) {
            proptest::prop_assert_eq!(
                sentence_ends_between(&between),
                between.contains(SENTENCE_ENDS)
            );
            proptest::prop_assert_eq!(
                crate::analysis::names::starts_sentence(Some(&between)),
                between.contains(crate::analysis::names::NAME_SENTENCE_STARTS)
            );
        }
    }

    #[test]
    fn sentence_marks_in_every_script_are_found() {
        // Every character up to U+3000 alone and between spaces: only the listed ones mark.
        for c in (0..0x3000).filter_map(char::from_u32) {
            for between in [c.to_string(), format!(" {c} "), format!("x{c}")] {
                assert_eq!(
                    sentence_ends_between(&between),
                    between.contains(SENTENCE_ENDS),
                    "{between:?}"
                );
                assert_eq!(
                    crate::analysis::names::starts_sentence(Some(&between)),
                    between.contains(crate::analysis::names::NAME_SENTENCE_STARTS),
                    "{between:?}"
                );
            }
        }
    }

    #[test]
    fn a_terms_tokens_sort_together() {
        let (start, end) = term_token_range("газ");
        // The word that is its own term, then its other forms, then longer terms.
        let mut tokens = [
            "газа".to_string(),
            "газ\u{1}газу".to_string(),
            "газ".to_string(),
            "газ\u{1}газом".to_string(),
            "газета".to_string(),
        ];
        tokens.sort();
        let inside: Vec<&str> = tokens
            .iter()
            .filter(|t| **t >= start && **t < end)
            .map(String::as_str)
            .collect();
        assert_eq!(inside, ["газ\u{1}газом", "газ\u{1}газу"]);
    }
}
