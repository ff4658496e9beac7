//! Term counting: analyzed documents in, mergeable per-group term counts out.
//!
//! Every count is a sum, so partial counts from any split of the documents merge into the
//! same totals in any order (rayon `fold` + `reduce`, shards, or a single thread).

use std::collections::{BTreeMap, HashMap};

use crate::fasthash::FastMap;

use serde::Serialize;

use crate::analysis::stopwords::Stopwords;
use crate::analysis::Analyzer;

/// How words become counted terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum TermMode {
    /// The index's analysis (lemmas and stems), stopwords, numbers and one-letter words
    /// dropped.
    #[default]
    Analyzed,
    /// As `Analyzed` but counting exact forms (no lemmatization or stemming).
    Unstemmed,
    /// Exact forms as the index's exact fields hold them (Unicode words, NFC, lowercase,
    /// ё→е); nothing dropped. Each is findable with `=word`.
    Plain,
}

/// Whether a term is counted once per occurrence or once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Unit {
    /// Every occurrence.
    #[default]
    Token,
    /// Documents containing the term.
    Document,
}

/// How to turn a text into terms.
#[derive(Debug, Clone)]
pub struct TermExtractor {
    analyzer: Analyzer,
    mode: TermMode,
    ngram: usize,
    stopwords: &'static Stopwords,
    keep_stopwords: bool,
}

/// The stopword languages used by default (NLTK lists from the `stop-words` crate, plus
/// Kazakh function words, see [`crate::analysis::stopwords`]).
pub const STOPWORD_LANGUAGES: [&str; 3] = crate::analysis::stopwords::LANGUAGES;

/// One word of a text as the extractor sees it.
struct Counted {
    /// The counted term (term or exact form, per mode).
    term: String,
    /// Exact form.
    surface: String,
    /// Dropped as a number, one letter or stopword (never in plain mode).
    dropped: bool,
    /// A sentence ends between this word and the next.
    sentence_end: bool,
}

impl TermExtractor {
    /// An extractor for `mode` and n-gram size (1–3).
    pub fn new(mode: TermMode, ngram: usize, keep_stopwords: bool) -> TermExtractor {
        TermExtractor {
            analyzer: Analyzer::default(),
            mode,
            ngram: ngram.clamp(1, 3),
            stopwords: Stopwords::default_lists(),
            keep_stopwords,
        }
    }

    /// Whether [`TermExtractor::word`] gives the same terms as [`TermExtractor::terms`]:
    /// single words, not n-grams.
    pub fn counts_words(&self) -> bool {
        self.ngram == 1
    }

    /// The counted (term, surface form) of one segmented word, or `None` if it is dropped.
    /// Only meaningful when [`TermExtractor::counts_words`] holds.
    pub fn word(&self, word: &str) -> Option<(String, String)> {
        self.analyzer.with_analyzed(word, |folded, term| {
            let counted = self.counted(folded, term);
            (!counted.dropped).then_some((counted.term, counted.surface))
        })
    }

    fn counted(&self, folded: &str, term: &str) -> Counted {
        let (term, dropped) = match self.mode {
            TermMode::Plain => (folded, false),
            TermMode::Analyzed => (term, self.is_dropped_word(folded, term)),
            TermMode::Unstemmed => (folded, self.is_dropped_word(folded, term)),
        };
        Counted {
            term: term.to_string(),
            surface: folded.to_string(),
            dropped,
            sentence_end: false,
        }
    }

    /// The counted (term, surface form) pairs of `text`, in order. N-grams are formed over
    /// the running text (stopwords included, not across a sentence end) and kept when they
    /// neither begin nor end with a dropped word: "law and order" gives `law and order`
    /// as a trigram, and no `law order` bigram.
    pub fn terms(&self, text: &str) -> Vec<(String, String)> {
        if self.ngram == 1 {
            return crate::analysis::words(text)
                .filter_map(|(_, word)| self.word(word))
                .collect();
        }
        let mut words: Vec<Counted> = Vec::new();
        let mut last_end = 0;
        for (start, word) in crate::analysis::words(text) {
            if let Some(previous) = words.last_mut() {
                previous.sentence_end = text[last_end..start].contains(SENTENCE_ENDS);
            }
            last_end = start + word.len();
            words.push(
                self.analyzer
                    .with_analyzed(word, |folded, term| self.counted(folded, term)),
            );
        }
        words
            .windows(self.ngram)
            .filter(|w| {
                !w[0].dropped
                    && !w[w.len() - 1].dropped
                    && w[..w.len() - 1].iter().all(|c| !c.sentence_end)
            })
            .map(|w| {
                let term = w
                    .iter()
                    .map(|c| c.term.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let surface = w
                    .iter()
                    .map(|c| c.surface.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (term, surface)
            })
            .collect()
    }

    /// Whether a word with this exact form is left out of the counts (number, one letter,
    /// stopword).
    pub fn is_dropped(&self, folded: &str) -> bool {
        if self.mode == TermMode::Plain {
            return false;
        }
        self.analyzer
            .with_analyzed(folded, |exact, term| self.is_dropped_word(exact, term))
    }

    fn is_dropped_word(&self, folded: &str, term: &str) -> bool {
        // Numbers (no letter at all) and one-character words; `any` stops at the first
        // letter, which is nearly always the first character.
        if folded.chars().nth(1).is_none() || !folded.chars().any(char::is_alphabetic) {
            return true;
        }
        !self.keep_stopwords && self.stopwords.contains(folded, term)
    }

    /// Number of counted tokens in `text` (n-grams count as one each).
    pub fn count(&self, text: &str) -> usize {
        self.terms(text).len()
    }
}

/// What ends a sentence between two words, for n-grams.
const SENTENCE_ENDS: [char; 7] = ['.', '!', '?', '…', ';', '\n', '\r'];

/// Counts of one term in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCount {
    /// Occurrences.
    pub freq: u64,
    /// Documents containing it.
    pub docs: u64,
    /// Occurrences per outlet (outlet index → count).
    pub by_outlet: BTreeMap<u32, u64>,
    /// Surface forms with their occurrences.
    pub forms: FastMap<String, u64>,
}

impl TermCount {
    /// Adds another count of the same term.
    pub fn add(&mut self, other: TermCount) {
        self.freq += other.freq;
        self.docs += other.docs;
        for (outlet, n) in other.by_outlet {
            *self.by_outlet.entry(outlet).or_default() += n;
        }
        for (form, n) in other.forms {
            *self.forms.entry(form).or_default() += n;
        }
    }
}

/// Counts of one group (e.g. `state`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCounts {
    /// Documents.
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
    /// Tokens per outlet (outlet index → tokens).
    pub outlet_tokens: BTreeMap<u32, u64>,
    /// Documents per outlet.
    pub outlet_documents: BTreeMap<u32, u64>,
    /// Counts per term.
    pub terms: FastMap<String, TermCount>,
}

impl GroupCounts {
    /// Adds another group's counts into this one.
    pub fn merge(&mut self, other: GroupCounts) {
        self.documents += other.documents;
        self.tokens += other.tokens;
        for (outlet, n) in other.outlet_tokens {
            *self.outlet_tokens.entry(outlet).or_default() += n;
        }
        for (outlet, n) in other.outlet_documents {
            *self.outlet_documents.entry(outlet).or_default() += n;
        }
        for (term, count) in other.terms {
            self.terms.entry(term).or_default().add(count);
        }
    }
}

/// Per-group term counts with surface forms: the mergeable accumulator of keyness.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusCounts {
    /// Counts per group label.
    pub groups: BTreeMap<String, GroupCounts>,
}

impl CorpusCounts {
    /// Adds one document's terms to `group` for the outlet with index `outlet`.
    pub fn add_document(&mut self, group: &str, outlet: u32, terms: Vec<(String, String)>) {
        let tokens = terms.len() as u64;
        self.add_document_with_tokens(group, outlet, terms, tokens);
    }

    /// Adds one document whose size in tokens is given separately from the counted items
    /// (entities and frame hits are counted against all of a document's tokens).
    pub fn add_document_with_tokens(
        &mut self,
        group: &str,
        outlet: u32,
        terms: Vec<(String, String)>,
        tokens: u64,
    ) {
        let counts = self.groups.entry(group.to_string()).or_default();
        counts.documents += 1;
        counts.tokens += tokens;
        *counts.outlet_tokens.entry(outlet).or_default() += tokens;
        *counts.outlet_documents.entry(outlet).or_default() += 1;
        // Group the document's occurrences by term with one small hash pass (no per-token
        // string comparisons), then touch the group's maps once per distinct term.
        let mut group_of = Vec::with_capacity(terms.len());
        let mut groups = 0usize;
        {
            let mut index: FastMap<&str, usize> = FastMap::default();
            index.reserve(terms.len());
            for (term, _) in &terms {
                let group = *index.entry(term.as_str()).or_insert_with(|| {
                    groups += 1;
                    groups - 1
                });
                group_of.push(group);
            }
        }
        let mut grouped: Vec<(String, Vec<String>)> = vec![(String::new(), Vec::new()); groups];
        for ((term, surface), group) in terms.into_iter().zip(group_of) {
            let slot = &mut grouped[group];
            if slot.1.is_empty() {
                slot.0 = term;
            }
            slot.1.push(surface);
        }
        for (term, surfaces) in grouped {
            let entry = counts.terms.entry(term).or_default();
            entry.freq += surfaces.len() as u64;
            entry.docs += 1;
            *entry.by_outlet.entry(outlet).or_default() += surfaces.len() as u64;
            for surface in surfaces {
                *entry.forms.entry(surface).or_default() += 1;
            }
        }
    }

    /// Adds another partial count into this one.
    pub fn merge(&mut self, other: CorpusCounts) {
        for (group, theirs) in other.groups {
            self.groups.entry(group).or_default().merge(theirs);
        }
    }

    /// The word to show for `term`: itself when it is a word, else its most frequent
    /// surface form (see [`crate::analysis::display`]).
    pub fn display_form(&self, term: &str) -> String {
        let totals = self.form_totals(term);
        crate::analysis::display_form(term, totals.iter().map(|(f, n)| (f.as_str(), *n)))
    }

    fn form_totals(&self, term: &str) -> HashMap<&String, u64> {
        let mut totals: HashMap<&String, u64> = HashMap::new();
        for group in self.groups.values() {
            for (form, n) in group
                .terms
                .get(term)
                .map(|c| &c.forms)
                .into_iter()
                .flatten()
            {
                *totals.entry(form).or_default() += n;
            }
        }
        totals
    }

    /// The most frequent surface forms of `term` over all groups (ties by form), at most `limit`.
    pub fn top_forms(&self, term: &str, limit: usize) -> Vec<String> {
        let totals = self.form_totals(term);
        let mut forms: Vec<(&String, u64)> = totals.into_iter().collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        forms
            .into_iter()
            .take(limit)
            .map(|(f, _)| f.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_terms_are_the_exact_forms_nothing_dropped() {
        let extractor = TermExtractor::new(TermMode::Plain, 1, false);
        let words: Vec<String> = extractor
            .terms("Don't stop — Nur-Sultan, 2022! Ёлка и")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(
            words,
            ["don't", "stop", "nur", "sultan", "2022", "елка", "и"]
        );
    }

    #[test]
    fn ngrams_run_over_the_text_and_drop_stopword_edges() {
        let extractor = TermExtractor::new(TermMode::Unstemmed, 2, false);
        let bigrams = |text: &str| -> Vec<String> {
            extractor.terms(text).into_iter().map(|t| t.0).collect()
        };
        // No `law order` from "law and order"; no bigram across a sentence end.
        assert_eq!(bigrams("law and order"), Vec::<String>::new());
        assert_eq!(bigrams("цены на газ. Цены растут"), ["цены растут"]);
        let trigrams = TermExtractor::new(TermMode::Unstemmed, 3, false);
        let found: Vec<String> = trigrams
            .terms("law and order")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(found, ["law and order"]);
        let found: Vec<String> = trigrams
            .terms("цены на газ")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(found, ["цены на газ"]);
    }

    #[test]
    fn analyzed_terms_drop_stopwords_numbers_and_single_letters() {
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let terms: Vec<String> = extractor
            .terms("И протестующие в 2022 году вышли, а полиция — нет. The protesters")
            .into_iter()
            .map(|t| t.0)
            .collect();
        let analyzer = Analyzer::default();
        assert!(terms.contains(&analyzer.normalize("протестующие")));
        assert!(terms.contains(&"protest".to_string()));
        for dropped in ["и", "в", "2022", "а", "the", "нет"] {
            assert!(
                !terms.contains(&analyzer.normalize(dropped)),
                "{dropped} in {terms:?}"
            );
        }
    }

    #[test]
    fn bigrams_join_adjacent_terms() {
        let extractor = TermExtractor::new(TermMode::Plain, 2, false);
        let terms: Vec<String> = extractor
            .terms("цены на газ")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(terms, ["цены на", "на газ"]);
    }

    type Doc = (String, u32, Vec<(String, String)>);

    fn docs() -> Vec<Doc> {
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        [
            ("state", 0, "террористы бандиты порядок порядок"),
            ("state", 1, "порядок стабильность"),
            ("independent", 2, "протестующие цены газ"),
            ("independent", 2, "протестующие мирные порядок"),
            ("state", 0, "бандиты"),
        ]
        .iter()
        .map(|(g, o, t)| (g.to_string(), *o, extractor.terms(t)))
        .collect()
    }

    #[test]
    fn counts_by_hand() {
        let mut counts = CorpusCounts::default();
        for (g, o, t) in docs() {
            counts.add_document(&g, o, t);
        }
        let state = &counts.groups["state"];
        assert_eq!((state.documents, state.tokens), (3, 7));
        let order = &state.terms["порядок"];
        assert_eq!((order.freq, order.docs), (3, 2));
        assert_eq!(order.by_outlet, BTreeMap::from([(0, 2), (1, 1)]));
        assert_eq!(counts.groups["independent"].terms["порядок"].freq, 1);
        assert_eq!(state.outlet_tokens, BTreeMap::from([(0, 5), (1, 2)]));
    }

    proptest! {
        // Splitting the documents anywhere and merging the parts in either order gives the
        // same counts as one pass.
        #[test]
        fn merge_is_order_and_split_free(split in 0usize..=5, swap in any::<bool>()) {
            let all = docs();
            let mut whole = CorpusCounts::default();
            for (g, o, t) in all.clone() {
                whole.add_document(&g, o, t);
            }
            let (left, right) = all.split_at(split);
            let mut a = CorpusCounts::default();
            for (g, o, t) in left.iter().cloned() { a.add_document(&g, o, t); }
            let mut b = CorpusCounts::default();
            for (g, o, t) in right.iter().cloned() { b.add_document(&g, o, t); }
            if swap { std::mem::swap(&mut a, &mut b); }
            a.merge(b);
            prop_assert_eq!(a, whole);
        }
    }
}
