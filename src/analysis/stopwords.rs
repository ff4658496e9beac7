//! Stopwords: the NLTK lists for Russian, Kazakh and English (from the `stop-words` crate),
//! plus the Kazakh conjunctions and particles that list lacks, applied to exact forms and to
//! analyzed terms.
//!
//! A word is a stopword when its exact form is on a list, or when its term is the term of a
//! listed word that is its own lemma (`быть` is listed, so `были` and `будет` go too; `больше`
//! is listed but its lemma `большой` is not, so `большая` stays).

use std::sync::OnceLock;

use crate::fasthash::FastSet;

use super::{fold_case, Analyzer};

/// The languages whose lists are used.
pub const LANGUAGES: [&str; 3] = ["ru", "kk", "en"];

/// Kazakh function words missing from the NLTK list: conjunctions (және "and", мен / бен /
/// пен "and, with", да / де / та / те "also", әрі, бірақ, немесе, не, әлде), question and
/// emphatic particles (ма / ме / ба / бе / па / пе, ғой, қой, ғана, тек), the copula and the
/// auxiliaries (е-, бол-, де-: еді, екен, болды, деп), and frequent postpositions.
pub const KAZAKH_EXTRA: &[&str] = &[
    "және",
    "мен",
    "бен",
    "пен",
    "менен",
    "бенен",
    "пенен",
    "да",
    "де",
    "та",
    "те",
    "әрі",
    "бірақ",
    "немесе",
    "не",
    "әлде",
    "яғни",
    "ма",
    "ме",
    "ба",
    "бе",
    "па",
    "пе",
    "ғой",
    "қой",
    "ғана",
    "тек",
    "еді",
    "екен",
    "е",
    "бол",
    "болды",
    "болып",
    "болған",
    "болса",
    "болады",
    "де",
    "деп",
    "деді",
    "деген",
    "дейді",
    "үшін",
    "туралы",
    "бойынша",
    "арқылы",
    "кезде",
    "кезінде",
    "сондай-ақ",
    "ақ",
    "тағы",
    "қазір",
    "енді",
    "әлі",
    "сол",
    "осы",
    "бұл",
    "ол",
    "олар",
    "біз",
    "сіз",
    "мұнда",
    "онда",
    "соң",
    "кейін",
    "дейін",
];

/// Stopword sets for exact forms and terms.
#[derive(Debug, Default)]
pub struct Stopwords {
    exact: FastSet<String>,
    terms: FastSet<String>,
}

impl Stopwords {
    /// The default lists, built once per process.
    pub fn default_lists() -> &'static Stopwords {
        static LISTS: OnceLock<Stopwords> = OnceLock::new();
        LISTS.get_or_init(|| {
            let mut words: Vec<String> = Vec::new();
            for lang in LANGUAGES {
                words.extend(
                    stop_words::lookup(lang)
                        .unwrap_or_default()
                        .iter()
                        .map(|w| w.to_string()),
                );
            }
            words.extend(KAZAKH_EXTRA.iter().map(|w| w.to_string()));
            Stopwords::from_words(&words)
        })
    }

    /// Sets for the given words, analyzed with the index's analyzer.
    pub fn from_words(words: &[String]) -> Stopwords {
        let analyzer = Analyzer::default();
        let mut lists = Stopwords::default();
        for word in words {
            let exact = fold_case(word.trim());
            if exact.is_empty() {
                continue;
            }
            let term = analyzer.normalize(&exact);
            if term == exact {
                lists.terms.insert(term);
            }
            lists.exact.insert(exact);
        }
        lists
    }

    /// Whether a word with this exact form and term is a stopword.
    pub fn contains(&self, exact: &str, term: &str) -> bool {
        self.exact.contains(exact) || self.terms.contains(term)
    }

    /// Whether an exact form is on a list.
    pub fn contains_exact(&self, exact: &str) -> bool {
        self.exact.contains(exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_stop(word: &str) -> bool {
        let a = Analyzer::default();
        let exact = fold_case(word);
        Stopwords::default_lists().contains(&exact, &a.normalize(word))
    }

    #[test]
    fn listed_words_and_their_lemmas_are_stopwords() {
        for word in [
            "и",
            "В",
            "были",
            "будет",
            "the",
            "and",
            "және",
            "мен",
            "бен",
            "да",
            "де",
            "ғой",
            "Және",
        ] {
            assert!(is_stop(word), "{word}");
        }
    }

    #[test]
    fn content_words_are_not() {
        for word in [
            "протестующие",
            "большая",
            "газ",
            "цены",
            "тәртіп",
            "law",
            "order",
            "ереуіл",
        ] {
            assert!(!is_stop(word), "{word}");
        }
    }
}
