//! Term counting: analyzed documents in, mergeable per-group term counts out.
//!
//! Every count is a sum, so partial counts from any split of the documents merge into the
//! same totals in any order (rayon `fold` + `reduce`, shards, or a single thread).

use std::collections::{BTreeMap, HashMap};

use crate::fasthash::FastMap;
use crate::index::stored::StoredDocument;
use crate::stats::counter::Counter;
use crate::stats::scan::Accumulator;
use crate::stats::tally::TermTally;

use serde::{Deserialize, Serialize};

use crate::analysis::stopwords::Stopwords;
use crate::analysis::tokenizer::sentence_ends_between;
use crate::analysis::Analyzer;

/// How words become counted terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

impl TermMode {
    /// `analyzed`, `unstemmed` or `plain` (as a partial's header records it).
    pub fn name(self) -> &'static str {
        match self {
            TermMode::Analyzed => "analyzed",
            TermMode::Unstemmed => "unstemmed",
            TermMode::Plain => "plain",
        }
    }
}

/// Whether a term is counted once per occurrence or once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Every occurrence.
    #[default]
    Token,
    /// Documents containing the term.
    Document,
}

impl Unit {
    /// `token` or `document`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Token => "token",
            Unit::Document => "document",
        }
    }
}

crate::display_as_name!(Unit);

/// Which terms a statistic counts: how words become terms, the n-gram size and whether
/// stopwords are kept (`--plain`/`--no-stem`, `--ngram`, `--keep-stopwords`). A partial's
/// header records it (JSON: `mode`, `ngram`, `keep_stopwords`): partials merge only when it is
/// the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermChoice {
    /// How words become terms.
    pub mode: TermMode,
    /// N-gram size (1–3).
    pub ngram: usize,
    /// Keep stopwords.
    pub keep_stopwords: bool,
}

impl std::fmt::Display for TermChoice {
    /// `analyzed ngram 1 stopwords false`: how a partials' mismatch names them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ngram {} stopwords {}",
            self.mode.name(),
            self.ngram,
            self.keep_stopwords
        )
    }
}

impl TermChoice {
    /// Single words of `mode`, stopwords left out.
    pub fn words(mode: TermMode) -> TermChoice {
        TermChoice {
            mode,
            ngram: 1,
            keep_stopwords: false,
        }
    }

    /// The extractor of these terms ([`TermExtractor::default`] for the default choice).
    pub fn extractor(self) -> TermExtractor {
        TermExtractor::new(self.mode, self.ngram, self.keep_stopwords)
    }
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

impl Default for TermChoice {
    /// Analyzed single words, stopwords left out: the terms of a report, and the tokens every
    /// statistic counts.
    fn default() -> Self {
        TermChoice::words(TermMode::Analyzed)
    }
}

impl Default for TermExtractor {
    /// The index's analysis with stopwords, numbers and one-letter words dropped: how every
    /// statistic counts a document's tokens.
    fn default() -> Self {
        TermChoice::default().extractor()
    }
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

    /// The counted term and surface form of a word whose exact form is `exact` and term
    /// `term` (an index token's two parts), or `None` when it is dropped: what
    /// [`TermExtractor::word`] gives for the word. Only meaningful when
    /// [`TermExtractor::counts_words`] holds.
    pub fn counted_token<'w>(&self, exact: &'w str, term: &'w str) -> Option<(&'w str, &'w str)> {
        let (counted, dropped) = self.counted_word(exact, term);
        (!dropped).then_some((counted, exact))
    }

    /// The counted form of a word whose exact form is `exact` and term `term` (an index
    /// token's two parts), and whether it is dropped: a dropped word is not counted alone and
    /// neither begins nor ends an n-gram, but stands inside one as its counted form.
    pub fn counted_word<'w>(&self, exact: &'w str, term: &'w str) -> (&'w str, bool) {
        match self.mode {
            TermMode::Plain => (exact, false),
            TermMode::Analyzed => (term, self.is_dropped_word(exact, term)),
            TermMode::Unstemmed => (exact, self.is_dropped_word(exact, term)),
        }
    }

    /// The n-gram size (1 = single words).
    pub fn ngram_size(&self) -> usize {
        self.ngram
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
                previous.sentence_end = sentence_ends_between(&text[last_end..start]);
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

/// Counts of one term in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCount {
    /// Occurrences.
    pub freq: u64,
    /// Documents containing it.
    pub docs: u64,
    /// Occurrences per outlet (outlet number → count).
    pub by_outlet: Counter<u32>,
    /// Surface forms with their occurrences.
    pub forms: FastMap<String, u64>,
}

impl TermCount {
    /// Adds another count of the same term.
    pub fn add(&mut self, other: TermCount) {
        self.add_counts(&other);
        add_moving(&mut self.forms, other.forms, |mine, n| *mine += n);
    }

    /// Adds another count of the same term without taking it.
    pub fn add_from(&mut self, other: &TermCount) {
        self.add_counts(other);
        add_cloning(&mut self.forms, &other.forms, |mine, n| *mine += n);
    }

    /// Adds everything but the forms (which an owned count moves in).
    fn add_counts(&mut self, other: &TermCount) {
        self.freq += other.freq;
        self.docs += other.docs;
        self.by_outlet.merge_from(&other.by_outlet);
    }
}

/// Adds every value of `other` into `sum` with `add` (a missing key starts from the default
/// value), moving keys and values in (summing owned counts).
fn add_moving<K: Eq + std::hash::Hash, V: Default>(
    sum: &mut FastMap<K, V>,
    other: FastMap<K, V>,
    add: impl Fn(&mut V, V),
) {
    for (key, value) in other {
        add(sum.entry(key).or_default(), value);
    }
}

/// Adds every value of `other` into `sum` with `add`, cloning a key and its value only where
/// `sum` lacks the key (summing borrowed counts: the "all others" side of a comparison).
fn add_cloning<K: Clone + Eq + std::hash::Hash, V: Clone>(
    sum: &mut FastMap<K, V>,
    other: &FastMap<K, V>,
    add: impl Fn(&mut V, &V),
) {
    for (key, value) in other {
        match sum.get_mut(key) {
            Some(mine) => add(mine, value),
            None => {
                sum.insert(key.clone(), value.clone());
            }
        }
    }
}

// The same shape as `TermCount` (fields and their owned and borrowed sums) by design: both
// are sums of counts and outlet counters; what they share beyond field lists is `add_moving`
// and `add_cloning`.
/// Counts of one group (e.g. `state`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCounts {
    /// Documents.
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
    /// Tokens per outlet (outlet number → tokens).
    pub outlet_tokens: Counter<u32>,
    /// Documents per outlet.
    pub outlet_documents: Counter<u32>,
    /// Counts per term.
    pub terms: FastMap<String, TermCount>,
}

impl GroupCounts {
    /// Adds another group's counts into this one.
    pub fn merge(&mut self, other: GroupCounts) {
        self.add_sizes(&other);
        add_moving(&mut self.terms, other.terms, TermCount::add);
    }

    /// Adds another group's counts into this one without taking them (a comparison's
    /// "all others" side sums groups it only borrows).
    pub fn merge_from(&mut self, other: &GroupCounts) {
        self.add_sizes(other);
        add_cloning(&mut self.terms, &other.terms, TermCount::add_from);
    }

    /// Adds everything but the terms (which an owned count moves in).
    pub(crate) fn add_sizes(&mut self, other: &GroupCounts) {
        self.documents += other.documents;
        self.tokens += other.tokens;
        self.outlet_tokens.merge_from(&other.outlet_tokens);
        self.outlet_documents.merge_from(&other.outlet_documents);
    }

    /// Counts one document of `tokens` tokens from outlet `outlet`.
    fn add_document(&mut self, outlet: u32, tokens: u64) {
        self.documents += 1;
        self.tokens += tokens;
        self.outlet_tokens.add(outlet, tokens);
        self.outlet_documents.add(outlet, 1);
    }

    /// Counts `occurrences` of `term` in one document from `outlet`.
    fn add_term(&mut self, term: String, outlet: u32, occurrences: u64) -> &mut TermCount {
        let entry = self.terms.entry(term).or_default();
        entry.freq += occurrences;
        entry.docs += 1;
        entry.by_outlet.add(outlet, occurrences);
        entry
    }
}

/// Per-group counts of terms (or of entity ids, or frame names) with their surface forms:
/// what keyness and frequency lists are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCounts {
    /// Counts per group label.
    pub groups: BTreeMap<String, GroupCounts>,
    /// Set when the terms were counted for keyness only, without their outlets and surface
    /// forms (n-grams: there are hundreds of thousands and keyness lists a few dozen);
    /// [`TermCounts::with_details`] gives those of the terms asked for.
    pub(crate) details: Details,
}

/// The full counts (outlets and surface forms) of terms counted without them.
pub trait TermDetails: Send + Sync {
    /// The counts of `terms` (every group's sizes; of the terms, only those asked for, with
    /// their outlets and forms): what counting every term in full gives for them.
    fn counts_of(&self, terms: &[&str]) -> TermCounts;

    /// The terms' frequencies by ids, when they are held that way rather than in the groups'
    /// `terms` maps (which are then empty).
    fn rows(&self) -> Option<&dyn TermRows> {
        None
    }
}

/// One term's frequency in one group, in [`TermRows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCount {
    /// The group's number (see [`TermRows::group_number`]).
    pub group: u32,
    /// Documents containing the term (a group of one index holds fewer than 2³²).
    pub docs: u32,
    /// Occurrences.
    pub freq: u64,
}

/// Terms numbered `0..len()` with their frequency and documents per group, and nothing else:
/// what keyness ranks by (n-grams: hundreds of thousands are ranked and a few dozen listed,
/// so a term's string is made only when it is listed).
pub trait TermRows: Send + Sync {
    /// The number of terms.
    fn len(&self) -> usize;

    /// Whether there are no terms.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of the group labelled `label`, if it has any term.
    fn group_number(&self, label: &str) -> Option<u32>;

    /// Term `term`'s counts, one per group that has it.
    fn counts(&self, term: usize) -> &[RowCount];

    /// Orders two terms as their strings are ordered.
    fn cmp_terms(&self, a: usize, b: usize) -> std::cmp::Ordering;

    /// Term `term`'s string.
    fn term(&self, term: usize) -> String;
}

/// Where the outlets and forms of terms counted without them come from (none: every count
/// is complete).
#[derive(Clone, Default)]
pub(crate) struct Details(pub(crate) Option<std::sync::Arc<dyn TermDetails>>);

impl PartialEq for Details {
    fn eq(&self, other: &Details) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Details {}

impl std::fmt::Debug for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Details(lazy)"
        } else {
            "Details(none)"
        })
    }
}

impl TermCounts {
    /// Adds one document's terms to `group` for the outlet with number `outlet`.
    pub fn add_document(&mut self, group: &str, outlet: u32, terms: Vec<(String, String)>) {
        let tokens = terms.len() as u64;
        self.add_document_with_tokens(group, outlet, terms, tokens);
    }

    /// The counts of `group`, created empty when new.
    pub(crate) fn group_mut(&mut self, group: &str) -> &mut GroupCounts {
        if !self.groups.contains_key(group) {
            self.groups
                .insert(group.to_string(), GroupCounts::default());
        }
        self.groups.get_mut(group).expect("inserted above")
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
        let counts = self.group_mut(group);
        counts.add_document(outlet, tokens);
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
            let entry = counts.add_term(term, outlet, surfaces.len() as u64);
            for surface in surfaces {
                *entry.forms.entry(surface).or_default() += 1;
            }
        }
    }

    /// Whether every term's outlets and surface forms are counted (else only the terms that
    /// [`TermCounts::with_details`] is asked for get them).
    pub fn is_complete(&self) -> bool {
        self.details.0.is_none()
    }

    /// The counts of `terms` with their outlets and surface forms: `None` when these counts
    /// are already complete (see [`TermCounts::is_complete`]).
    pub fn with_details(&self, terms: &[&str]) -> Option<TermCounts> {
        self.details.0.as_ref().map(|d| d.counts_of(terms))
    }

    /// The terms' frequencies by ids, when they are held that way (then the groups' `terms`
    /// maps are empty).
    pub fn rows(&self) -> Option<&dyn TermRows> {
        self.details.0.as_ref().and_then(|details| details.rows())
    }

    /// These counts with every term's outlets and surface forms (for callers that pool or
    /// show the counts themselves rather than ranking them).
    pub fn complete(self) -> TermCounts {
        if self.is_complete() {
            return self;
        }
        let by_ids: Vec<String> = self
            .rows()
            .map(|rows| (0..rows.len()).map(|t| rows.term(t)).collect())
            .unwrap_or_default();
        let mut terms: Vec<&str> = self
            .groups
            .values()
            .flat_map(|g| g.terms.keys().map(String::as_str))
            .chain(by_ids.iter().map(String::as_str))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        self.with_details(&terms).unwrap_or_default()
    }

    /// Adds another partial count into this one.
    pub fn merge(&mut self, other: TermCounts) {
        debug_assert!(self.is_complete() && other.is_complete());
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
        most_frequent(self.form_totals(term), limit)
    }
}

/// The `limit` most frequent of `forms` (form, occurrences), ties by form.
pub fn most_frequent<'f>(
    forms: impl IntoIterator<Item = (&'f String, u64)>,
    limit: usize,
) -> Vec<String> {
    let mut forms: Vec<(&String, u64)> = forms.into_iter().collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    forms
        .into_iter()
        .take(limit)
        .map(|(f, _)| f.clone())
        .collect()
}

/// Outlet keys numbered in sorted order: counts key outlets by number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutletNumbers(BTreeMap<String, u32>);

impl OutletNumbers {
    /// Numbers the outlets in sorted order.
    pub fn new<'s>(outlets: impl IntoIterator<Item = &'s str>) -> OutletNumbers {
        let sorted: std::collections::BTreeSet<&str> = outlets.into_iter().collect();
        OutletNumbers(
            sorted
                .into_iter()
                .enumerate()
                .map(|(i, o)| (o.to_string(), i as u32))
                .collect(),
        )
    }

    /// The number of `outlet` (`u32::MAX` for an outlet not numbered).
    pub fn of(&self, outlet: &str) -> u32 {
        self.0.get(outlet).copied().unwrap_or(u32::MAX)
    }
}

/// Counts terms per group: the accumulator of keyness and frequency lists.
pub struct TermCounter<'a> {
    extractor: &'a TermExtractor,
    outlets: &'a OutletNumbers,
    /// Single-word counts by ids (the fast path), turned into `counts` before merging.
    tally: Option<TermTally<'a>>,
    counts: TermCounts,
}

impl<'a> TermCounter<'a> {
    /// An empty counter.
    pub fn new(extractor: &'a TermExtractor, outlets: &'a OutletNumbers) -> Self {
        TermCounter {
            extractor,
            outlets,
            tally: extractor.counts_words().then(|| TermTally::new(extractor)),
            counts: TermCounts::default(),
        }
    }

    /// Moves the tally's counts into `counts`.
    fn settle(&mut self) {
        if let Some(tally) = self.tally.take() {
            self.counts.merge(tally.into_counts());
            self.tally = Some(TermTally::new(self.extractor));
        }
    }
}

impl Accumulator for TermCounter<'_> {
    type Output = TermCounts;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let outlet = self.outlets.of(&doc.outlet);
        if let Some(tally) = &mut self.tally {
            tally.add_document(group, outlet, &[&doc.title, &doc.text]);
            return;
        }
        let mut terms = self.extractor.terms(&doc.title);
        terms.extend(self.extractor.terms(&doc.text));
        self.counts.add_document(group, outlet, terms);
    }

    fn merge(&mut self, mut other: Self) {
        self.settle();
        other.settle();
        self.counts.merge(other.counts);
    }

    fn finish(mut self) -> TermCounts {
        self.settle();
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The terms `extractor` finds in `text`, without their positions.
    fn words(extractor: &TermExtractor, text: &str) -> Vec<String> {
        extractor.terms(text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn most_frequent_forms_come_first_ties_by_form() {
        let forms = ["б", "а", "в", "г"].map(String::from);
        let counted = forms.iter().zip([2u64, 2, 5, 1]);
        assert_eq!(most_frequent(counted, 3), ["в", "а", "б"]);
    }

    #[test]
    fn plain_terms_are_the_exact_forms_nothing_dropped() {
        let extractor = TermExtractor::new(TermMode::Plain, 1, false);
        assert_eq!(
            words(&extractor, "Don't stop — Nur-Sultan, 2022! Ёлка и"),
            ["don't", "stop", "nur", "sultan", "2022", "елка", "и"]
        );
    }

    #[test]
    fn ngrams_run_over_the_text_and_drop_stopword_edges() {
        let extractor = TermExtractor::new(TermMode::Unstemmed, 2, false);
        let bigrams = |text: &str| words(&extractor, text);
        // No `law order` from "law and order"; no bigram across a sentence end.
        assert_eq!(bigrams("law and order"), Vec::<String>::new());
        assert_eq!(bigrams("цены на газ. Цены растут"), ["цены растут"]);
        let trigrams = TermExtractor::new(TermMode::Unstemmed, 3, false);
        assert_eq!(words(&trigrams, "law and order"), ["law and order"]);
        assert_eq!(words(&trigrams, "цены на газ"), ["цены на газ"]);
    }

    #[test]
    fn analyzed_terms_drop_stopwords_numbers_and_single_letters() {
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let terms = words(
            &extractor,
            "И протестующие в 2022 году вышли, а полиция — нет. The protesters",
        );
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
        assert_eq!(words(&extractor, "цены на газ"), ["цены на", "на газ"]);
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
        let mut counts = TermCounts::default();
        for (g, o, t) in docs() {
            counts.add_document(&g, o, t);
        }
        let state = &counts.groups["state"];
        assert_eq!((state.documents, state.tokens), (3, 7));
        let order = &state.terms["порядок"];
        assert_eq!((order.freq, order.docs), (3, 2));
        assert_eq!(order.by_outlet, Counter::from_iter([(0, 2), (1, 1)]));
        assert_eq!(counts.groups["independent"].terms["порядок"].freq, 1);
        assert_eq!(state.outlet_tokens, Counter::from_iter([(0, 5), (1, 2)]));
    }

    proptest! {
        // Splitting the documents anywhere and merging the parts in either order gives the
        // same counts as one pass.
        #[test]
        fn merge_is_order_and_split_free(split in 0usize..=5, swap in any::<bool>()) {
            let all = docs();
            let mut whole = TermCounts::default();
            for (g, o, t) in all.clone() {
                whole.add_document(&g, o, t);
            }
            let (left, right) = all.split_at(split);
            let mut a = TermCounts::default();
            for (g, o, t) in left.iter().cloned() { a.add_document(&g, o, t); }
            let mut b = TermCounts::default();
            for (g, o, t) in right.iter().cloned() { b.add_document(&g, o, t); }
            if swap { std::mem::swap(&mut a, &mut b); }
            a.merge(b);
            prop_assert_eq!(a, whole);
        }
    }
}
