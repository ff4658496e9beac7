//! Queries over the index's word tokens (see [`crate::analysis::tokenizer`]): a word's token
//! holds its term and, when it differs, its exact form (`term\u{1}exact`).
//!
//! - An analyzed term is all of its tokens (the term itself and the range `term\u{1}…`),
//!   found in the term dictionaries when the query is built ([`term_tokens`]) and scored as
//!   one term ([`FormsQuery`]): frequencies summed per document, one inverse document
//!   frequency from the summed document frequencies — so a rare inflected form does not
//!   outweigh the common one, as it would as a separate term.
//! - An analyzed phrase is a phrase whose every position may be any of its term's tokens
//!   ([`FormsPhraseQuery`]): without slop matched document first over each position's token
//!   union (`super::phrase`), with slop by tantivy's regex phrase matching.
//! - An exact form is one token ([`exact_token`]): a plain term or phrase query.
//! - An expression over exact forms runs on the part of each token after the separator, or
//!   on the whole token when it has none ([`ExactFormRegexQuery`]).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    AutomatonWeight, Bm25StatisticsProvider, Bm25Weight, EmptyScorer, EnableScoring, Explanation,
    Query, RegexPhraseQuery, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};
use tantivy_fst::{Automaton, Regex};

use super::phrase::ExactPhraseWeight;
use crate::analysis::{fold_case, push_index_token, term_token_range, Analyzer, FORM_SEPARATOR};

/// Every token of `term` in `field` that some segment holds, sorted.
pub fn term_tokens(searcher: &Searcher, field: Field, term: &str) -> tantivy::Result<Vec<Term>> {
    term_tokens_across(std::slice::from_ref(searcher), field, term)
}

/// Every token of `term` in `field` that some segment of some of `searchers` holds, sorted:
/// one query for several indexes searched as one corpus, its term statistics summed over
/// the same tokens everywhere.
pub fn term_tokens_across(
    searchers: &[Searcher],
    field: Field,
    term: &str,
) -> tantivy::Result<Vec<Term>> {
    let (start, end) = term_token_range(term);
    let mut found: BTreeSet<Vec<u8>> = BTreeSet::new();
    for segment in searchers.iter().flat_map(|s| s.segment_readers()) {
        let inverted = segment.inverted_index(field)?;
        let dictionary = inverted.terms();
        if dictionary.get(term.as_bytes())?.is_some() {
            found.insert(term.as_bytes().to_vec());
        }
        let mut stream = dictionary
            .range()
            .ge(start.as_bytes())
            .lt(end.as_bytes())
            .into_stream()?;
        while stream.advance() {
            found.insert(stream.key().to_vec());
        }
    }
    // Tokens are text; a key that is not (from another tool's index) cannot be a term's.
    Ok(found
        .into_iter()
        .filter_map(|bytes| String::from_utf8(bytes).ok())
        .map(|token| Term::from_field_text(field, &token))
        .collect())
}

/// The token of `word`'s exact form: what the index holds for every occurrence of the word
/// written that way (in any letter case), and nothing else.
pub fn exact_token(analyzer: &Analyzer, word: &str) -> String {
    let exact = fold_case(word);
    let mut token = String::new();
    push_index_token(&analyzer.normalize(word), &exact, &mut token);
    token
}

/// The postings of several tokens of one field as one list: a document is in it when any
/// token is, with the tokens' frequencies summed and their positions merged.
pub struct Union<P> {
    parts: Vec<P>,
    doc: DocId,
}

impl<P: Postings> Union<P> {
    /// The union of `parts` (each positioned on its first document).
    pub fn new(parts: Vec<P>) -> Union<P> {
        let doc = parts.iter().map(DocSet::doc).min().unwrap_or(TERMINATED);
        Union { parts, doc }
    }
}

impl<P: Postings> DocSet for Union<P> {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for part in &mut self.parts {
            let mut doc = part.doc();
            if doc == current {
                doc = part.advance();
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for part in &mut self.parts {
            let mut doc = part.doc();
            if doc < target {
                doc = part.seek(target);
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .fold(0u32, |sum, p| sum.saturating_add(p.size_hint()))
    }
}

impl<P: Postings> Postings for Union<P> {
    fn term_freq(&self) -> u32 {
        self.parts
            .iter()
            .filter(|p| p.doc() == self.doc)
            .map(Postings::term_freq)
            .sum()
    }

    fn append_positions_with_offset(&mut self, offset: u32, output: &mut Vec<u32>) {
        let start = output.len();
        let mut contributing = 0;
        for part in &mut self.parts {
            if part.doc() == self.doc {
                part.append_positions_with_offset(offset, output);
                contributing += 1;
            }
        }
        // Each token's positions are sorted; two tokens never share a position (one token
        // per word), so merging is sorting the appended run.
        if contributing > 1 {
            output[start..].sort_unstable();
        }
    }
}

/// The postings of `tokens` in one segment (those it holds), opened with `option`.
pub(super) fn postings(
    reader: &SegmentReader,
    tokens: &[Term],
    option: IndexRecordOption,
) -> tantivy::Result<Vec<SegmentPostings>> {
    let Some(first) = tokens.first() else {
        return Ok(Vec::new());
    };
    let inverted = reader.inverted_index(first.field())?;
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let Some(postings) = inverted.read_postings(token, option)? {
            out.push(postings);
        }
    }
    Ok(out)
}

/// Document frequencies as the searcher has them, except that a position's representative
/// token answers with the summed frequency of all of the position's tokens (capped at the
/// number of documents): BM25 then treats the tokens of a term as that one term.
struct Combined<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    doc_freqs: HashMap<Term, u64>,
}

impl Bm25StatisticsProvider for Combined<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.doc_freqs.get(term) {
            Some(&df) => Ok(df),
            None => self.inner.doc_freq(term),
        }
    }
}

/// The BM25 weight of a term whose tokens are `tokens` taken as one term, or `None` when
/// scoring is off.
fn bm25(
    enable_scoring: &EnableScoring<'_>,
    tokens: &[Term],
) -> tantivy::Result<Option<Bm25Weight>> {
    let EnableScoring::Enabled {
        statistics_provider,
        ..
    } = *enable_scoring
    else {
        return Ok(None);
    };
    let docs = statistics_provider.total_num_docs()?;
    let mut stats = Combined {
        inner: statistics_provider,
        doc_freqs: HashMap::new(),
    };
    let mut df = 0u64;
    for token in tokens {
        df += statistics_provider.doc_freq(token)?;
    }
    let representative = tokens[0].clone();
    stats.doc_freqs.insert(representative.clone(), df.min(docs));
    Bm25Weight::for_terms(&stats, &[representative]).map(Some)
}

/// The field's norms when scoring, else a constant (tantivy's rule).
pub(super) fn fieldnorms(
    reader: &SegmentReader,
    field: Field,
    scoring: bool,
) -> tantivy::Result<FieldNormReader> {
    if scoring {
        if let Some(norms) = reader.fieldnorms_readers().get_field(field)? {
            return Ok(norms);
        }
    }
    Ok(FieldNormReader::constant(reader.max_doc(), 1))
}

/// The error `explain` gives for a document the query does not match.
pub(super) fn does_not_match(doc: DocId) -> tantivy::TantivyError {
    tantivy::TantivyError::InvalidArgument(format!("document #({doc}) does not match"))
}

/// Documents holding any of a term's tokens, scored as one term (see the module docs).
#[derive(Debug, Clone)]
pub struct FormsQuery {
    field: Field,
    tokens: Vec<Term>,
}

impl FormsQuery {
    /// A query for `tokens` (all of one field; from [`term_tokens`]); no token matches
    /// nothing.
    pub fn new(field: Field, tokens: Vec<Term>) -> FormsQuery {
        FormsQuery { field, tokens }
    }
}

impl Query for FormsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = if self.tokens.is_empty() {
            None
        } else {
            bm25(&enable_scoring, &self.tokens)?
        };
        Ok(Box::new(FormsWeight {
            field: self.field,
            tokens: self.tokens.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for token in &self.tokens {
            visitor(token, false);
        }
    }
}

struct FormsWeight {
    field: Field,
    tokens: Vec<Term>,
    bm25: Option<Bm25Weight>,
}

impl FormsWeight {
    fn union(&self, reader: &SegmentReader) -> tantivy::Result<Union<SegmentPostings>> {
        let option = if self.bm25.is_some() {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        Ok(Union::new(postings(reader, &self.tokens, option)?))
    }
}

impl Weight for FormsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let union = self.union(reader)?;
        if union.doc() == TERMINATED {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(FormsScorer {
            union,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
            fieldnorms: fieldnorms(reader, self.field, self.bm25.is_some())?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        let mut explanation = Explanation::new("Forms of one term", scorer.score());
        if let Some(bm25) = &self.bm25 {
            let union = self.union(reader)?;
            let mut union = union;
            union.seek(doc);
            let norms = fieldnorms(reader, self.field, true)?;
            explanation.add_detail(bm25.explain(norms.fieldnorm_id(doc), union.term_freq()));
        }
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let mut union = self.union(reader)?;
        match (reader.alive_bitset(), union.parts.as_slice()) {
            // One token, nothing deleted: its document frequency.
            (None, [only]) => Ok(only.doc_freq()),
            (None, _) => Ok(union.count_including_deleted()),
            (Some(alive), _) => Ok(union.count(alive)),
        }
    }
}

struct FormsScorer {
    union: Union<SegmentPostings>,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
}

impl DocSet for FormsScorer {
    fn advance(&mut self) -> DocId {
        self.union.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.union.seek(target)
    }

    fn doc(&self) -> DocId {
        self.union.doc()
    }

    fn size_hint(&self) -> u32 {
        self.union.size_hint()
    }
}

impl Scorer for FormsScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => {
                let norm = self.fieldnorms.fieldnorm_id(self.union.doc());
                bm25.score(norm, self.union.term_freq())
            }
            None => 1.0,
        }
    }
}

/// A phrase whose every position may be any of an analyzed term's tokens, with up to
/// `slop` words between, BM25-weighted with each position's summed document frequency, and
/// the tokens reported for highlighting. With slop it is tantivy's phrase matching
/// ([`RegexPhraseQuery`]) with each position an expression that accepts exactly the term's
/// tokens (`term(\x01.*)?`); without, the same matches and scores from lazily merged
/// postings (`super::phrase`), which skip instead of reading whole posting lists.
#[derive(Debug, Clone)]
pub struct FormsPhraseQuery {
    field: Field,
    slop: u32,
    phrase: RegexPhraseQuery,
    /// Each position's expression as the term tantivy asks statistics for, with its tokens.
    positions: Vec<(Term, Vec<Term>)>,
}

impl FormsPhraseQuery {
    /// A phrase of the analyzed `terms` (at least two) in `field`, each with its tokens (from
    /// [`term_tokens`], none empty).
    pub fn new(field: Field, terms: Vec<(String, Vec<Term>)>, slop: u32) -> FormsPhraseQuery {
        let mut regexes = Vec::with_capacity(terms.len());
        let mut positions = Vec::with_capacity(terms.len());
        for (offset, (term, tokens)) in terms.into_iter().enumerate() {
            let pattern = format!("{}(\\x01.*)?", regex::escape(&term));
            // An escaped literal and a fixed suffix always compile.
            let regex = Regex::new(&pattern).expect("escaped term is a valid expression");
            positions.push((Term::from_field_text(field, &pattern), tokens));
            regexes.push((offset, pattern, Arc::new(regex)));
        }
        FormsPhraseQuery {
            field,
            slop,
            phrase: RegexPhraseQuery::from_regexes(field, regexes, slop),
            positions,
        }
    }

    /// The weight of the phrase without slop: matched document first over each position's
    /// token union (see [`super::phrase`]), scored as tantivy scores the regex phrase.
    fn exact_order_weight(&self, bm25: Option<Bm25Weight>) -> Box<dyn Weight> {
        Box::new(ExactPhraseWeight {
            field: self.field,
            positions: (0u32..)
                .zip(&self.positions)
                .map(|(offset, (_, tokens))| (offset, tokens.clone()))
                .collect(),
            bm25,
        })
    }
}

impl Query for FormsPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let EnableScoring::Enabled {
            searcher,
            statistics_provider,
        } = enable_scoring
        else {
            if self.slop == 0 {
                return Ok(self.exact_order_weight(None));
            }
            return self.phrase.weight(enable_scoring);
        };
        let docs = statistics_provider.total_num_docs()?;
        let mut stats = Combined {
            inner: statistics_provider,
            doc_freqs: HashMap::new(),
        };
        for (expression, tokens) in &self.positions {
            let mut df = 0u64;
            for token in tokens {
                df += statistics_provider.doc_freq(token)?;
            }
            stats.doc_freqs.insert(expression.clone(), df.min(docs));
        }
        if self.slop == 0 {
            let expressions: Vec<Term> = self.positions.iter().map(|(e, _)| e.clone()).collect();
            let bm25 = Bm25Weight::for_terms(&stats, &expressions)?;
            return Ok(self.exact_order_weight(Some(bm25)));
        }
        self.phrase.weight(EnableScoring::Enabled {
            searcher,
            statistics_provider: &stats,
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, tokens) in &self.positions {
            for token in tokens {
                visitor(token, true);
            }
        }
    }
}

/// Runs an automaton over the exact forms of index tokens: the part after the separator,
/// or the whole token when it has none. Until a separator is seen any token may still
/// match, so every term of the dictionary is visited; after it, the automaton prunes.
#[derive(Debug, Clone)]
pub struct ExactForms<A> {
    inner: A,
}

/// State of [`ExactForms`]: whether the separator was passed, and the inner automaton's
/// state on the bytes read since the token's start or the separator.
#[derive(Debug, Clone)]
pub struct ExactFormsState<S> {
    exact_part: bool,
    inner: S,
}

impl<A: Automaton> Automaton for ExactForms<A> {
    type State = ExactFormsState<A::State>;

    fn start(&self) -> Self::State {
        ExactFormsState {
            exact_part: false,
            inner: self.inner.start(),
        }
    }

    fn is_match(&self, state: &Self::State) -> bool {
        self.inner.is_match(&state.inner)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        !state.exact_part || self.inner.can_match(&state.inner)
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        if !state.exact_part && byte == FORM_SEPARATOR as u8 {
            return ExactFormsState {
                exact_part: true,
                inner: self.inner.start(),
            };
        }
        ExactFormsState {
            exact_part: state.exact_part,
            inner: self.inner.accept(&state.inner, byte),
        }
    }
}

/// Documents with a word whose exact form matches a regular expression (tantivy's syntax,
/// matched against the whole form).
#[derive(Debug, Clone)]
pub struct ExactFormRegexQuery {
    field: Field,
    automaton: Arc<ExactForms<Regex>>,
}

impl ExactFormRegexQuery {
    /// The query for `pattern` in `field`; an invalid pattern is an error saying why.
    pub fn new(pattern: &str, field: Field) -> Result<ExactFormRegexQuery, String> {
        let regex = Regex::new(pattern).map_err(|e| e.to_string())?;
        Ok(ExactFormRegexQuery {
            field,
            automaton: Arc::new(ExactForms { inner: regex }),
        })
    }
}

impl Query for ExactFormRegexQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<ExactForms<Regex>>::new(
            self.field,
            Arc::clone(&self.automaton),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, token: &str) -> bool {
        let automaton = ExactForms {
            inner: Regex::new(pattern).unwrap(),
        };
        let mut state = automaton.start();
        for &byte in token.as_bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    #[test]
    fn expressions_see_only_exact_forms() {
        // A word that is its own term, and one whose term differs.
        assert!(matches("газ", "газ"));
        assert!(matches("протест.*", "протестовать\u{1}протестующих"));
        assert!(matches(".*их", "протестовать\u{1}протестующих"));
        // The term part of a token is never matched.
        assert!(!matches("протестовать", "протестовать\u{1}протестующих"));
        assert!(!matches("человек", "человек\u{1}люди"));
        assert!(matches("люди", "человек\u{1}люди"));
        assert!(!matches(".*\u{1}.*", "человек\u{1}люди"));
    }

    #[test]
    fn exact_tokens_are_the_index_tokens_of_the_written_word() {
        let analyzer = Analyzer::default();
        assert_eq!(
            exact_token(&analyzer, "Протестующих"),
            "протестовать\u{1}протестующих"
        );
        assert_eq!(exact_token(&analyzer, "ГАЗ"), "газ");
        assert_eq!(exact_token(&analyzer, "Ёлка"), {
            let mut t = String::new();
            push_index_token(&analyzer.normalize("елка"), "елка", &mut t);
            t
        });
    }
}
