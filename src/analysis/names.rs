//! Name marks (analysis version 5): what entity matching needs of a word that its index
//! token does not say — how it is written and whether it starts a sentence.
//!
//! The index token of a word holds its term and exact (lowercased) form. The entity matcher
//! also looks at a word's capitalization (a capitalized word may carry a case ending beyond
//! an alias's stem; unknown names are capitalized words not starting a sentence) and shows
//! mentions as written (`ОДКБ`). So each of `title` and `text` has a *names* field beside it
//! ([`crate::index::schema::TITLE_NAMES`], [`crate::index::schema::TEXT_NAMES`]) holding, at
//! the word's own position, a *name token* — a mark and the word as written — for every word
//! that is not written as its exact form or that follows a position hole (a sentence end).
//! Every other word is written as its exact form, is not capitalized, and directly follows
//! the word before it; so the index alone gives back the matcher's view of every word (see
//! [`crate::stats::entity_postings`]).
//!
//! The names of a text are found in the same walk that makes its index tokens (see
//! [`super::tokenizer`]): that walk leaves them for the names tokenizer, which tantivy runs
//! on the same thread right after (a document's fields are indexed in field order, and the
//! names fields come after `title` and `text`). So a document gives its names fields not
//! the text again but a short [`stand_in`] naming it by its hash: the text is neither copied
//! into the document twice nor compared, only hashed once more. A names field value that is
//! not a stand-in is taken as a text and walked anew.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, Tokenizer};
use xxhash_rust::xxh3::xxh3_64;

use super::tokenizer::{sentence_ends_between, IndexWords, MediawatchTokenStream};
use super::Analyzer;

/// Name under which the names tokenizer is registered in the tantivy index.
pub const NAMES_ANALYZER_NAME: &str = "mediawatch_names";

/// What starts a sentence for name detection, between two words: a capitalized word after one
/// of these (or first in its text) is not proposed as a name.
pub const NAME_SENTENCE_STARTS: [char; 6] = ['.', '!', '?', '…', '\n', ':'];

/// Whether a word after `between` (the text since the previous word, `None` for the first
/// word) starts a sentence for name detection.
pub fn starts_sentence(between: Option<&str>) -> bool {
    between.is_none_or(|b| {
        super::tokenizer::holds_mark(b, |c| matches!(c, b'.' | b'!' | b'?' | b'\n' | b':'))
    })
}

/// What a name token says besides the word as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameMark {
    /// The word starts a sentence (see [`starts_sentence`]).
    pub sentence_initial: bool,
    /// A position hole (a sentence end) lies between the word and the one before it.
    pub after_hole: bool,
}

impl NameMark {
    fn code(self) -> char {
        char::from(b'0' + u8::from(self.sentence_initial) + 2 * u8::from(self.after_hole))
    }
}

/// Whether a word written `word`, with exact form `exact`, gets a name token.
#[inline]
pub fn has_name_token(word: &str, exact: &str, after_hole: bool) -> bool {
    after_hole || word != exact || word.chars().next().is_some_and(is_uppercase)
}

/// [`char::is_uppercase`], answered without its Unicode table for the lowercase Cyrillic
/// letters U+0430–U+045F (none is uppercase): the first letter of most words the index
/// walks, whose table lookup was ~0.7 % of an ingest's CPU. ASCII has its own fast path.
#[inline]
fn is_uppercase(c: char) -> bool {
    !matches!(c, '\u{430}'..='\u{45f}') && c.is_uppercase()
}

/// Appends the name token of `word` marked `mark`.
pub fn push_name_token(word: &str, mark: NameMark, out: &mut String) {
    out.push(mark.code());
    out.push_str(word);
}

/// The mark and the word as written of a name token; `None` for anything else.
pub fn split_name_token(token: &str) -> Option<(NameMark, &str)> {
    let mut chars = token.chars();
    let code = (chars.next()? as u32).checked_sub(u32::from(b'0'))?;
    (code < 4).then(|| {
        let mark = NameMark {
            sentence_initial: code & 1 == 1,
            after_hole: code & 2 == 2,
        };
        (mark, chars.as_str())
    })
}

/// Marks a names field value as a [`stand_in`]; no text has it (texts are cleaned of control
/// characters at ingest).
const STAND_IN_MARK: char = '\u{0}';

/// The value a document gives a names field for its title or text `text`: the text's hash
/// after [`STAND_IN_MARK`] (a text without words has no names and stands for itself).
pub fn stand_in(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{STAND_IN_MARK}{:016x}", xxh3_64(text.as_bytes()))
}

/// The hash a [`stand_in`] names; `None` for a text.
fn stood_in(value: &str) -> Option<u64> {
    let hex = value.strip_prefix(STAND_IN_MARK)?;
    (hex.len() == 16).then(|| u64::from_str_radix(hex, 16).ok())?
}

/// The name tokens of one text, and the text's hash.
#[derive(Clone, Default)]
pub(super) struct NameWords {
    /// Hash of the text; `None` once taken by the names tokenizer.
    key: Option<u64>,
    words: IndexWords,
}

impl NameWords {
    /// Forgets the last text and starts on `text`.
    pub(super) fn start(&mut self, text: &str) {
        self.key = Some(xxh3_64(text.as_bytes()));
        self.words.clear();
    }

    /// Notes the word `word` at byte `start` and `position`, with exact form `exact`, after
    /// `between` (`None` for the first word) where `after_hole` says whether that ends a
    /// sentence ([`sentence_ends_between`], which the caller has asked already), if it gets
    /// a name token.
    #[inline]
    pub(super) fn word(
        &mut self,
        [start, position]: [usize; 2],
        word: &str,
        exact: &str,
        between: Option<&str>,
        after_hole: bool,
    ) {
        if has_name_token(word, exact, after_hole) {
            let mark = NameMark {
                sentence_initial: starts_sentence(between),
                after_hole,
            };
            let at = [start, start + word.len(), position];
            self.words.push(at, |out| push_name_token(word, mark, out));
        }
    }

    /// Walks `text` anew (without the index tokens' walk).
    fn fill(&mut self, analyzer: &Analyzer, text: &str) {
        self.start(text);
        let mut position = 0;
        let mut last_end: Option<usize> = None;
        for (start, word) in super::words(text) {
            let between = last_end.map(|end| &text[end..start]);
            let after_hole = between.is_some_and(sentence_ends_between);
            if after_hole {
                position += 1;
            }
            analyzer.with_analyzed(word, |exact, _| {
                self.word([start, position], word, exact, between, after_hole)
            });
            last_end = Some(start + word.len());
            position += 1;
        }
    }
}

thread_local! {
    /// The names of the last two texts the index tokenizer walked on this thread (a
    /// document's title and text), newest first.
    static LEFT: RefCell<[NameWords; 2]> = RefCell::new(Default::default());
}

/// Runs `fill` on the buffer for the next text's names, which becomes the newest left.
pub(super) fn leave(fill: impl FnOnce(&mut NameWords)) {
    LEFT.with(|left| {
        let mut left = left.borrow_mut();
        left.swap(0, 1);
        fill(&mut left[0]);
    });
}

/// The names tokenizer, registered under [`NAMES_ANALYZER_NAME`]: the name tokens of a text
/// (see the module docs).
#[derive(Clone, Default)]
pub struct NamesTokenizer {
    analyzer: Analyzer,
    token: Token,
    words: NameWords,
}

impl Tokenizer for NamesTokenizer {
    type TokenStream<'a> = MediawatchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        match stood_in(text) {
            Some(key) => {
                let found = LEFT.with(|left| {
                    let mut left = left.borrow_mut();
                    let slot = left.iter_mut().find(|w| w.key == Some(key))?;
                    std::mem::swap(slot, &mut self.words);
                    // Taken: a second stand-in of the same text takes the other slot.
                    slot.key = None;
                    Some(())
                });
                // Tantivy indexes a document's fields in field order on one thread, so the
                // index tokenizer has just walked the text (see the module docs).
                assert!(
                    found.is_some(),
                    "the names of a text were not left by the index tokenizer"
                );
            }
            None => self.words.fill(&self.analyzer, text),
        }
        MediawatchTokenStream::over(&mut self.words.words, &mut self.token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::MediawatchTokenizer;
    use tantivy::tokenizer::TokenStream;

    fn names(tokenizer: &mut NamesTokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn written_forms_and_sentence_starts_are_marked() {
        let text = "Вчера ОДКБ и ёлка; дальше: Масимов. cafe\u{301} ok";
        let tokens = names(&mut NamesTokenizer::default(), text);
        let expected = [
            ("1Вчера", 0),
            ("0ОДКБ", 1),
            ("0ёлка", 3),
            ("2дальше", 5),
            ("1Масимов", 6),
            ("3cafe\u{301}", 8),
        ];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(tokens, expected);
        let (mark, word) = split_name_token("3cafe\u{301}").unwrap();
        assert_eq!(word, "cafe\u{301}");
        assert!(mark.sentence_initial && mark.after_hole);
        assert_eq!(split_name_token("x"), None);
    }

    #[test]
    fn uppercase_is_chars_own_answer() {
        // Every character of the Cyrillic block and around it, and ASCII, as the standard
        // library says.
        for c in (0..0x800).filter_map(char::from_u32) {
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
    }

    #[test]
    fn a_stand_in_names_its_text_by_hash_and_a_text_is_none() {
        let text = "Токаев прибыл";
        assert_eq!(stood_in(&stand_in(text)), Some(xxh3_64(text.as_bytes())));
        assert_ne!(stand_in(text), stand_in("Токаев прибыл."));
        assert_eq!(stand_in(""), "");
        assert_eq!(stood_in(text), None);
        assert_eq!(stood_in("\u{0}not hex at all!"), None);
    }

    #[test]
    fn names_left_by_the_index_walk_equal_a_fresh_walk() {
        let texts = [
            "Токаев прибыл в Алматы. Миротворцы ОДКБ; Масимов",
            "Протест: «Газ» — ЁЛКА",
            "Протест: «Газ» — ЁЛКА",
        ];
        for text in texts {
            let mut index = MediawatchTokenizer::default();
            let mut stream = index.token_stream(text);
            while stream.advance() {}
            let left = names(&mut NamesTokenizer::default(), &stand_in(text));
            // Tantivy indexes through `process`, which walks without buffering the tokens.
            index.token_stream(text).process(&mut |_| {});
            let left_by_process = names(&mut NamesTokenizer::default(), &stand_in(text));
            let fresh = std::thread::spawn(move || names(&mut NamesTokenizer::default(), text))
                .join()
                .unwrap();
            assert_eq!(left, fresh, "{text}");
            assert_eq!(left_by_process, fresh, "{text}");
            assert!(!left.is_empty());
        }
    }
}
