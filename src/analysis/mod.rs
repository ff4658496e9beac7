//! Text analysis shared by the index and the statistics: words in, index terms out.
//!
//! One analyzer serves every language so that a term counted by the statistics is the
//! term the index holds, and a query in any language is analyzed the same way as the
//! documents it should find. Every word is first normalized to Unicode NFC, lowercased and
//! ё→е folded (its *exact form*, kept in the index beside its term), then turned into its
//! *term* by the language its letters show:
//!
//! | word | term |
//! |---|---|
//! | Latin letters | Snowball English stem (`protesters` → `protest`) |
//! | Cyrillic with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) | Kazakh stem from the grammar-based analyzer in [`kazakh`] (`тоқаевтың` → `тоқаев`, `кірді` → `кір`) |
//! | other Cyrillic the Russian dictionary knows | its lemma ([`russian`]: `протестующих` → `протестовать`, `путина` → `путин`) |
//! | other Cyrillic the Kazakh analyzer parses with confidence | Kazakh stem (`доллардан` → `доллар`) |
//! | other Cyrillic | Russian surname rule or Snowball Russian stem (`смаиловым` → `смаилов`) |
//! | digits and anything else | the exact form |
//!
//! The term depends on the word alone — never on its letter case, its neighbours or the
//! document — so a word has one term everywhere. Words come from Unicode word segmentation
//! (UAX #29, see [`crate::segment`]), so `Nur-Sultan` is two words and `3.5` one.

pub mod display;
pub mod kazakh;
mod memo;
pub mod names;
pub mod russian;
pub mod stopwords;
pub mod tokenizer;

use std::cell::RefCell;

use frostem::{Algorithm, Stemmer};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use display::display_form;
pub use names::{NamesTokenizer, NAMES_ANALYZER_NAME};
pub use tokenizer::{
    push_index_token, split_index_token, term_token_range, MediawatchTokenStream,
    MediawatchTokenizer, FORM_SEPARATOR, SENTENCE_ENDS,
};

/// Name under which the analyzer is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "mediawatch";

/// Version of the analysis. An index records the version it was built with; any change to
/// how words become terms bumps it, and an index of another version must be rebuilt with
/// `mediawatch reindex` before it can be searched or counted. Version 3 keeps both forms of
/// a word in one index token (see [`tokenizer`]) instead of separate exact-form fields;
/// version 4 leaves a position hole at every sentence end; version 5 adds the names fields
/// (see [`names`]); version 6 stores each document's MinHash signature (see
/// [`crate::index::signature`]).
pub const ANALYSIS_VERSION: u32 = 6;

/// Letters of the Kazakh Cyrillic alphabet that Russian does not have.
const KAZAKH_LETTERS: [char; 9] = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];

/// The writing system that decides how a word is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordScript {
    /// Latin letters: English stemming.
    Latin,
    /// Cyrillic with Kazakh-only letters: Kazakh analysis.
    Kazakh,
    /// Other Cyrillic: Russian dictionary, or Kazakh analysis when it is sure.
    Cyrillic,
    /// Digits or other scripts: exact form only.
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

/// Normalizes to Unicode NFC (composed: `е` + U+0308 becomes `ё`), borrowing when the
/// text already is.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// The exact form of a word: NFC, lowercase, ё→е.
pub fn fold_case(word: &str) -> String {
    nfc(word)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The language whose rules analyze a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// By the word's letters (see the module docs): what the index uses.
    #[default]
    Auto,
    /// Every Cyrillic word as Russian.
    Russian,
    /// Every Cyrillic word as Kazakh.
    Kazakh,
    /// Every word as English (Snowball English on Latin words).
    English,
}

impl Language {
    /// Parses `auto`, `ru`, `kk` or `en` (any case).
    pub fn parse(value: &str) -> Option<Language> {
        match value.to_ascii_lowercase().as_str() {
            "auto" => Some(Language::Auto),
            "ru" => Some(Language::Russian),
            "kk" => Some(Language::Kazakh),
            "en" => Some(Language::English),
            _ => None,
        }
    }
}

/// Which rule gave a word its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Lemma from the Russian dictionary.
    RussianDictionary,
    /// Russian surname rule for a word the dictionary does not know.
    RussianSurname,
    /// Snowball Russian stem for a word the dictionary does not know.
    RussianStem,
    /// Kazakh stem.
    Kazakh,
    /// Snowball English stem.
    English,
    /// Exact form (digits, other scripts).
    Exact,
}

impl Rule {
    /// Short name shown by `mediawatch analyze`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::RussianDictionary => "ru-dictionary",
            Rule::RussianSurname => "ru-surname",
            Rule::RussianStem => "ru-stem",
            Rule::Kazakh => "kk",
            Rule::English => "en",
            Rule::Exact => "exact",
        }
    }
}

/// The per-language analyzers; holds the stemmers so they are built once.
#[derive(Clone)]
pub struct Analyzer {
    language: Language,
    russian: russian::Russian,
    english: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Analyzer({:?})", self.language)
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::for_language(Language::Auto)
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

/// How many distinct words each thread remembers before starting afresh. Word frequencies
/// are Zipfian, so a memo this size answers nearly every lookup in a corpus while staying
/// near 10 MB per thread.
const MEMO_CAPACITY: usize = 1 << 17;

thread_local! {
    /// Word → analysis, per thread, for the [`Language::Auto`] analyzer (the index's).
    /// Analysis is a pure function of the word, so one memo serves every such analyzer.
    static MEMO: RefCell<memo::Memo> = RefCell::new(memo::Memo::new(MEMO_CAPACITY));
}

/// Everything `mediawatch analyze` shows about one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordAnalysis {
    /// Exact form: NFC, lowercase, ё→е.
    pub exact: String,
    /// Index term.
    pub term: String,
    /// The rule that gave the term.
    pub rule: Rule,
}

impl Analyzer {
    /// An analyzer that treats words as `language` says.
    pub fn for_language(language: Language) -> Analyzer {
        Analyzer {
            language,
            russian: russian::Russian::default(),
            english: Stemmer::new(Algorithm::English),
        }
    }

    /// The language setting.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Normalizes one word (as segmented) into its term.
    pub fn normalize(&self, word: &str) -> String {
        self.with_analyzed(word, |_, term| term.to_string())
    }

    /// Calls `each` with the exact form of `word` and its term, without allocating when the
    /// word was seen before on this thread.
    pub fn with_analyzed<R>(&self, word: &str, each: impl FnOnce(&str, &str) -> R) -> R {
        self.with_known(word, |known| each(known.exact, known.term))
    }

    /// Calls `each` with the index token of `word` (see [`tokenizer`]), without allocating
    /// when the word was seen before on this thread.
    pub fn with_index_token<R>(&self, word: &str, each: impl FnOnce(&str) -> R) -> R {
        self.with_known(word, |known| each(known.token))
    }

    fn with_known<R>(&self, word: &str, each: impl FnOnce(memo::Known<'_>) -> R) -> R {
        if self.language != Language::Auto {
            return self.fresh(word, each);
        }
        MEMO.with(|cell| {
            let Ok(mut memo) = cell.try_borrow_mut() else {
                // Called from inside `each`: analyze without the memo.
                return self.fresh(word, each);
            };
            if let Some(known) = memo.get(word) {
                return each(known);
            }
            let analysis = self.analyze_word(word);
            match memo.insert(word, &analysis.exact, &analysis.term) {
                Some(known) => each(known),
                None => known_of(&analysis, each),
            }
        })
    }

    /// Calls `each` with the byte offset, the word, its index token and its exact form for
    /// every word of `text`, in order: what [`Analyzer::with_index_token`] and
    /// [`Analyzer::with_analyzed`] give for each of [`words`], with
    /// the memo lookups of the next words started early. A lookup waits on memory (a slot,
    /// then an entry, neither in cache for most words of a large vocabulary); overlapping
    /// those of a few words hides most of the wait.
    pub fn for_each_index_token(&self, text: &str, mut each: impl FnMut(usize, &str, &str, &str)) {
        /// Words whose lookups are under way: a word's slot is fetched when it enters, its
        /// entry `AHEAD / 2` words later, and it is looked up `AHEAD` words after entering.
        const AHEAD: usize = 8;
        let per_word = |each: &mut dyn FnMut(usize, &str, &str, &str)| {
            for (start, word) in words(text) {
                self.with_known(word, |known| each(start, word, known.token, known.exact));
            }
        };
        if self.language != Language::Auto {
            return per_word(&mut each);
        }
        MEMO.with(|cell| {
            let Ok(mut memo) = cell.try_borrow_mut() else {
                // Called from inside `each` of another walk: one word at a time.
                return per_word(&mut each);
            };
            let mut ring = [(0usize, "", 0u64); AHEAD];
            let (mut entered, mut done) = (0usize, 0usize);
            let mut words = words(text).fuse();
            loop {
                while entered - done < AHEAD {
                    let Some((start, word)) = words.next() else {
                        break;
                    };
                    let h = memo::hash(word);
                    memo.prefetch_slot(h);
                    ring[entered % AHEAD] = (start, word, h);
                    entered += 1;
                    if entered - done > AHEAD / 2 {
                        memo.prefetch_entry(ring[(entered - 1 - AHEAD / 2) % AHEAD].2);
                    }
                }
                if done == entered {
                    return;
                }
                let (start, word, h) = ring[done % AHEAD];
                done += 1;
                if let Some(known) = memo.get_hashed(word, h) {
                    each(start, word, known.token, known.exact);
                    continue;
                }
                let analysis = self.analyze_word(word);
                match memo.insert(word, &analysis.exact, &analysis.term) {
                    Some(known) => each(start, word, known.token, known.exact),
                    None => known_of(&analysis, |known| {
                        each(start, word, known.token, known.exact)
                    }),
                }
            }
        })
    }

    fn fresh<R>(&self, word: &str, each: impl FnOnce(memo::Known<'_>) -> R) -> R {
        known_of(&self.analyze_word(word), each)
    }

    /// The full analysis of one word (no memo).
    pub fn analyze_word(&self, word: &str) -> WordAnalysis {
        let exact = fold_case(word);
        let (term, rule) = self.term_of(&exact);
        WordAnalysis { exact, term, rule }
    }

    /// Normalizes a word whose [`fold_case`] form the caller already has.
    pub fn normalize_folded(&self, _word: &str, folded: String) -> String {
        self.term_of(&folded).0
    }

    fn term_of(&self, folded: &str) -> (String, Rule) {
        let script = word_script(folded);
        let english = || {
            let stem = self.english.stem(folded).into_owned();
            (stem, Rule::English)
        };
        let kazakh = || (kazakh::stem(folded), Rule::Kazakh);
        let russian = || {
            let (lemma, source) = self.russian.lemma(folded);
            let rule = match source {
                russian::Source::Dictionary => Rule::RussianDictionary,
                russian::Source::Surname => Rule::RussianSurname,
                russian::Source::Stem => Rule::RussianStem,
            };
            (lemma, rule)
        };
        match (script, self.language) {
            (WordScript::Latin, _) => english(),
            (WordScript::Other, _) => (folded.to_string(), Rule::Exact),
            (WordScript::Kazakh, Language::Russian) => russian(),
            (WordScript::Kazakh, _) => kazakh(),
            (WordScript::Cyrillic, Language::Kazakh) => kazakh(),
            (WordScript::Cyrillic, Language::Russian | Language::English) => russian(),
            (WordScript::Cyrillic, Language::Auto) => {
                if russian::Russian::is_known(folded) {
                    return russian();
                }
                // A Kazakh word spelled with letters Russian shares (доллардан, кірді is
                // not one): Kazakh when the grammar finds clear suffixes.
                let stem = kazakh::stem(folded);
                if kazakh::is_confident(folded, &stem) {
                    return (stem, Rule::Kazakh);
                }
                russian()
            }
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

/// Calls `each` with a word's analysis as the memo would give it.
fn known_of<R>(analysis: &WordAnalysis, each: impl FnOnce(memo::Known<'_>) -> R) -> R {
    let mut token = String::new();
    push_index_token(&analysis.term, &analysis.exact, &mut token);
    each(memo::Known {
        token: &token,
        term: &analysis.term,
        exact: &analysis.exact,
    })
}

/// Strips Kazakh inflection from a lowercased word (the Kazakh analyzer, whatever letters
/// the word has): the fallback key entity matching uses for Kazakh words spelled without
/// Kazakh-only letters (`алматыда` → `алматы`).
pub fn strip_kazakh_suffixes(word: &str) -> String {
    kazakh::stem(word)
}

/// The words of `text` with their byte offsets: Unicode word segmentation, keeping only
/// segments that contain a letter or digit.
pub fn words(text: &str) -> crate::segment::Words<'_> {
    crate::segment::words(text)
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
        // The rule does not depend on capitalization.
        assert_eq!(a.normalize("токаеву"), "токаев");
        assert_eq!(a.normalize("смаиловым"), a.normalize("Смаилов"));
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

    proptest::proptest! {
        // Any word gets one term whatever its letter case, and with ё written as е.
        #[test]
        fn terms_do_not_depend_on_letter_case_or_yo(
            word in "[а-яёәғқңөұүһіa-z]{1,12}",
            flips in proptest::collection::vec(proptest::bool::ANY, 12),
        ) {
            let a = Analyzer::default();
            let mixed: String = word
                .chars()
                .zip(flips.iter().cycle())
                .flat_map(|(c, up)| if *up { c.to_uppercase().collect::<Vec<_>>() } else { vec![c] })
                .collect();
            let term = a.normalize(&word);
            proptest::prop_assert_eq!(&a.normalize(&word.to_uppercase()), &term);
            proptest::prop_assert_eq!(&a.normalize(&mixed), &term);
            proptest::prop_assert_eq!(&a.normalize(&word.replace('ё', "е")), &term);
            proptest::prop_assert!(!term.is_empty());
        }
    }

    #[test]
    fn decomposed_letters_analyze_as_composed_ones() {
        let a = Analyzer::default();
        assert_eq!(a.normalize("все\u{308}"), a.normalize("всё"));
        assert_eq!(a.normalize("и\u{306}од"), a.normalize("йод"));
        assert_eq!(a.normalize("cafe\u{301}"), a.normalize("café"));
        assert_eq!(fold_case("CAFE\u{301}"), "café");
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
        crate::cases::check(
            strip_kazakh_suffixes,
            [
                ("тоқаевтың", "тоқаев"),
                ("наразылықтардың", "наразылық"),
                ("жаңаөзенде", "жаңаөзен"),
                ("бұл", "бұл"),
                ("тәртіп", "тәртіп"),
            ],
        );
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
}
