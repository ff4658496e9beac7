//! Text analysis shared by the index and the statistics: words in, normalized terms out.
//!
//! One analyzer serves every language so that a term counted by the statistics is the
//! term the index holds, and a query in any language is analyzed the same way as the
//! documents it should find. Each word is normalized by its own script:
//!
//! | word | normalization |
//! |---|---|
//! | Latin letters | lowercase, Snowball English stem (`protesters` → `protest`) |
//! | Cyrillic with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) | lowercase, ё→е, Kazakh suffix stripping (`Тоқаевтың` → `тоқаев`) |
//! | other Cyrillic | lowercase, ё→е, Snowball Russian stem (`протестующих` → `протестующ`) |
//! | digits and anything else | lowercase |
//!
//! Words come from Unicode word segmentation (UAX #29, see [`crate::segment`]), so
//! `Nur-Sultan` is two words and `3.5` one. The Kazakh rule is by letters, not by document language: a Kazakh word
//! spelled only with letters Russian shares is stemmed as Russian, identically in documents
//! and queries, which keeps search and statistics consistent.

use std::borrow::Cow;
use std::cell::RefCell;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::fasthash::FastMap;

/// Name under which the analyzer is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "mediawatch";

/// Letters of the Kazakh Cyrillic alphabet that Russian does not have.
const KAZAKH_LETTERS: [char; 9] = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];

/// Kazakh inflectional endings (plural, case, possessive). The longest matching ending is
/// stripped first. Stripping is deliberately conservative: one-letter endings only go from
/// long words, and a stem always keeps at least three letters and half the word, so roots
/// are not eaten. Endings that are often part of roots (-на, -не, -ын, -ін) are left alone.
const KAZAKH_SUFFIXES: [&str; 51] = [
    "лардың",
    "лердің",
    "дардың",
    "дердің",
    "тардың",
    "тердің",
    "лармен",
    "лермен",
    "ымыз",
    "іміз",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "нан",
    "нен",
    "дан",
    "ден",
    "тан",
    "тен",
    "ына",
    "іне",
    "мен",
    "бен",
    "пен",
    "лар",
    "лер",
    "дар",
    "дер",
    "тар",
    "тер",
    "ға",
    "ге",
    "қа",
    "ке",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    "да",
    "де",
    "сы",
    "сі",
];

/// Minimum number of letters a Kazakh stem keeps after stripping.
const KAZAKH_MIN_STEM: usize = 3;

/// The writing system that decides how a word is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordScript {
    /// Latin letters: English stemming.
    Latin,
    /// Cyrillic with Kazakh-only letters: Kazakh suffix stripping.
    Kazakh,
    /// Other Cyrillic: Russian stemming.
    Cyrillic,
    /// Digits or other scripts: lowercase only.
    Other,
}

/// Classifies a lowercased word by the letters it contains.
pub fn word_script(word: &str) -> WordScript {
    let mut latin = false;
    let mut cyrillic = false;
    for ch in word.chars() {
        if KAZAKH_LETTERS.contains(&ch) {
            return WordScript::Kazakh;
        }
        if ch.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&ch) {
            latin = true;
        } else if ('\u{0400}'..='\u{04FF}').contains(&ch) {
            cyrillic = true;
        }
    }
    match (cyrillic, latin) {
        (true, _) => WordScript::Cyrillic,
        (false, true) => WordScript::Latin,
        _ => WordScript::Other,
    }
}

/// Lowercases and folds ё to е.
pub fn fold_case(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Strips Kazakh inflectional endings from a lowercased word (at most three, conservatively).
pub fn strip_kazakh_suffixes(word: &str) -> &str {
    let mut stem = word;
    for _ in 0..3 {
        let letters = stem.chars().count();
        let keep = KAZAKH_MIN_STEM.max(letters / 2);
        let stripped = KAZAKH_SUFFIXES
            .iter()
            .chain(["ы", "і"].iter().filter(|_| letters > 6))
            .filter_map(|suffix| stem.strip_suffix(suffix))
            .filter(|rest| rest.chars().count() >= keep)
            .min_by_key(|rest| rest.len());
        match stripped {
            Some(rest) => stem = rest,
            None => break,
        }
    }
    stem
}

/// Case endings that follow a Russian surname suffix (Токаев-а, -у, -ым, -е; Токаев-а, -ой, -ы, -ых).
const SURNAME_CASE_ENDINGS: [&str; 9] = ["ыми", "ым", "ом", "ой", "ых", "а", "у", "е", "ы"];
/// Russian surname suffixes.
const SURNAME_SUFFIXES: [&str; 4] = ["ов", "ев", "ин", "ын"];

/// The stem of a capitalized Russian surname-like word (`Токаева` → `токаев`), or `None`.
///
/// Snowball treats -ов/-ев as plural endings, so it stems `Токаев` to `тока` but `Токаева`
/// to `токаев`, which would split one person over two terms. Capitalized words shaped like
/// surnames (root + -ов/-ев/-ин/-ын + a case ending) keep the root with its suffix instead.
pub fn russian_surname_stem<'a>(word: &str, folded: &'a str) -> Option<&'a str> {
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let without_case = SURNAME_CASE_ENDINGS
        .iter()
        .find_map(|ending| folded.strip_suffix(ending))
        .filter(|rest| SURNAME_SUFFIXES.iter().any(|s| rest.ends_with(s)))
        .unwrap_or(folded);
    let suffix = SURNAME_SUFFIXES
        .iter()
        .find(|s| without_case.ends_with(*s))?;
    (without_case.chars().count() >= suffix.chars().count() + 3).then_some(without_case)
}

/// The per-script normalizer; holds the Snowball stemmers so they are built once.
#[derive(Clone)]
pub struct Analyzer {
    russian: Stemmer,
    english: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer(mediawatch)")
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            russian: Stemmer::new(Algorithm::Russian),
            english: Stemmer::new(Algorithm::English),
        }
    }
}

/// One analyzed word: its normalized term and where it stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Normalized form (the indexed term).
    pub term: String,
    /// Byte offset of the word in the analyzed text.
    pub start: usize,
    /// Byte offset one past the word.
    pub end: usize,
    /// Word position (0-based) in the text.
    pub position: usize,
}

/// A word's analysis, as remembered by the per-thread memo.
struct Analyzed {
    folded: Box<str>,
    term: Box<str>,
}

/// How many distinct words each thread remembers before starting afresh. Word frequencies
/// are Zipfian, so a memo this size answers nearly every lookup in a corpus while staying
/// near 10 MB per thread.
const MEMO_CAPACITY: usize = 1 << 17;

thread_local! {
    /// Word → analysis, per thread. Analysis is a pure function of the word (the
    /// [`Analyzer`] has no settings), so one memo serves every analyzer on the thread.
    static MEMO: RefCell<FastMap<Box<str>, Analyzed>> = RefCell::new(FastMap::default());
}

impl Analyzer {
    /// Normalizes one word (as segmented) into its term.
    pub fn normalize(&self, word: &str) -> String {
        self.with_analyzed(word, |_, term| term.to_string())
    }

    /// Calls `each` with the lowercased (ё→е) form of `word` and its term, without
    /// allocating when the word was seen before on this thread.
    pub fn with_analyzed<R>(&self, word: &str, each: impl FnOnce(&str, &str) -> R) -> R {
        MEMO.with(|memo| {
            let Ok(mut memo) = memo.try_borrow_mut() else {
                // Called from inside `each`: analyze without the memo.
                let folded = fold_case(word);
                let term = self.normalize_folded(word, folded.clone());
                return each(&folded, &term);
            };
            if let Some(known) = memo.get(word) {
                return each(&known.folded, &known.term);
            }
            if memo.len() >= MEMO_CAPACITY {
                memo.clear();
            }
            let folded = fold_case(word);
            let term = self.normalize_folded(word, folded.clone()).into_boxed_str();
            let known = memo.entry(word.into()).or_insert(Analyzed {
                folded: folded.into_boxed_str(),
                term,
            });
            each(&known.folded, &known.term)
        })
    }

    /// Normalizes a word whose [`fold_case`] form the caller already has.
    pub fn normalize_folded(&self, word: &str, folded: String) -> String {
        match word_script(&folded) {
            WordScript::Latin => into_owned(self.english.stem(&folded), &folded),
            WordScript::Cyrillic => match russian_surname_stem(word, &folded) {
                Some(stem) => stem.to_string(),
                None => into_owned(self.russian.stem(&folded), &folded),
            },
            WordScript::Kazakh => strip_kazakh_suffixes(&folded).to_string(),
            WordScript::Other => folded,
        }
    }

    /// Calls `each` for every word of `text` with its term, offsets and position.
    pub fn for_each_term(&self, text: &str, mut each: impl FnMut(Term)) {
        for (position, (start, word)) in words(text).enumerate() {
            each(Term {
                term: self.normalize(word),
                start,
                end: start + word.len(),
                position,
            });
        }
    }

    /// All terms of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t| out.push(t.term));
        out
    }
}

fn into_owned(stemmed: Cow<'_, str>, original: &str) -> String {
    match stemmed {
        Cow::Borrowed(s) if s.len() == original.len() => original.to_string(),
        other => other.into_owned(),
    }
}

/// The words of `text` with their byte offsets: Unicode word segmentation, keeping only
/// segments that contain a letter or digit.
pub fn words(text: &str) -> crate::segment::Words<'_> {
    crate::segment::words(text)
}

/// The analyzer as a tantivy tokenizer, registered under [`ANALYZER_NAME`].
#[derive(Clone, Default)]
pub struct MediawatchTokenizer {
    analyzer: Analyzer,
    token: Token,
}

/// Token stream produced by [`MediawatchTokenizer`].
pub struct MediawatchTokenStream<'a> {
    analyzer: &'a Analyzer,
    words: crate::segment::Words<'a>,
    token: &'a mut Token,
    position: usize,
}

impl Tokenizer for MediawatchTokenizer {
    type TokenStream<'a> = MediawatchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        MediawatchTokenStream {
            analyzer: &self.analyzer,
            words: words(text),
            token: &mut self.token,
            position: 0,
        }
    }
}

impl TokenStream for MediawatchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, word)) = self.words.next() else {
            return false;
        };
        let text = &mut self.token.text;
        self.analyzer.with_analyzed(word, |_, term| {
            text.clear();
            text.push_str(term);
        });
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
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

    fn terms(text: &str) -> Vec<String> {
        Analyzer::default().terms(text)
    }

    #[test]
    fn russian_inflections_share_a_stem() {
        let a = Analyzer::default();
        assert_eq!(a.normalize("протестующие"), a.normalize("протестующих"));
        assert_eq!(a.normalize("миротворцы"), a.normalize("миротворцев"));
    }

    #[test]
    fn capitalized_surnames_keep_one_stem_across_cases() {
        let a = Analyzer::default();
        let stems: Vec<String> = ["Токаев", "Токаева", "Токаеву", "Токаевым", "Токаеве"]
            .iter()
            .map(|w| a.normalize(w))
            .collect();
        assert!(stems.iter().all(|s| s == "токаев"), "{stems:?}");
        assert_eq!(a.normalize("Назарбаеву"), "назарбаев");
        assert_eq!(a.normalize("Путина"), "путин");
        // Lowercase words are ordinary nouns: Snowball as usual.
        assert_eq!(a.normalize("протестов"), a.normalize("протест"));
    }

    #[test]
    fn remembered_words_analyze_as_fresh_ones() {
        let a = Analyzer::default();
        let fresh = |w: &str| a.normalize_folded(w, fold_case(w));
        for word in [
            "Токаева",
            "протестующих",
            "Тоқаевтың",
            "Protesters",
            "2022",
            "ЁЛКА",
        ] {
            assert_eq!(a.normalize(word), fresh(word), "{word}");
            // Second time from the memo, and once from inside a memo callback.
            assert_eq!(a.normalize(word), fresh(word), "{word}");
            let nested = a.with_analyzed("мир", |_, _| a.normalize(word));
            assert_eq!(nested, fresh(word), "{word}");
            a.with_analyzed(word, |folded, _| assert_eq!(folded, fold_case(word)));
        }
    }

    #[test]
    fn yo_folds_to_ye() {
        let a = Analyzer::default();
        assert_eq!(a.normalize("ещё"), a.normalize("еще"));
        assert_eq!(fold_case("ЁЛКА"), "елка");
    }

    #[test]
    fn english_is_stemmed() {
        assert_eq!(terms("Protesters protested"), vec!["protest", "protest"]);
    }

    #[test]
    fn kazakh_suffixes_are_stripped_conservatively() {
        assert_eq!(strip_kazakh_suffixes("тоқаевтың"), "тоқаев");
        assert_eq!(strip_kazakh_suffixes("наразылықтардың"), "наразылық");
        assert_eq!(strip_kazakh_suffixes("жаңаөзенде"), "жаңаөзен");
        assert_eq!(strip_kazakh_suffixes("бұл"), "бұл");
        assert_eq!(strip_kazakh_suffixes("тәртіп"), "тәртіп");
        let a = Analyzer::default();
        assert_eq!(a.normalize("Тоқаевтың"), a.normalize("Тоқаев"));
    }

    #[test]
    fn words_follow_unicode_segmentation() {
        assert_eq!(
            terms("Nur-Sultan, 3.5 — «ОДКБ»"),
            vec!["nur", "sultan", "3.5", "одкб"]
        );
    }

    #[test]
    fn offsets_and_positions_point_into_the_text() {
        let text = "Мирные  протестующие";
        let mut seen = Vec::new();
        Analyzer::default().for_each_term(text, |t| seen.push(t));
        assert_eq!(seen.len(), 2);
        assert_eq!(&text[seen[1].start..seen[1].end], "протестующие");
        assert_eq!(seen[1].position, 1);
    }

    #[test]
    fn tokenizer_matches_analyzer() {
        let text = "Токаева поддержали миротворцы ОДКБ";
        let mut tokenizer = MediawatchTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut from_stream = Vec::new();
        while stream.advance() {
            from_stream.push(stream.token().text.clone());
        }
        assert_eq!(from_stream, terms(text));
    }
}
