//! Entity counts from the index (issue 15): the same [`EntityCounts`] as an
//! [`EntityCounter`](super::entities::EntityCounter) over the stored texts, without
//! decompressing one.
//!
//! The matcher looks at two kinds of words: capitalized ones (aliases with a case ending,
//! unknown names) and words equal to a word of an alias (by term or Kazakh-stripped form).
//! Per segment, the names fields' dictionaries (see [`crate::analysis::names`]) give every
//! word not written as its exact form — every capitalized word among them — as written and
//! with its sentence marks; the `title` and `text` dictionaries give the other words that
//! equal an alias word. Their positions, joined with the documents of
//! [`super::volumes::Tables`], give each text's words in order; wherever a word the matcher
//! need not see lies between two of them, one blank word stands for it (a word with no name
//! token directly follows the word before it, so a gap in positions is such a word unless
//! the name token says a sentence-end hole precedes). Blank words, like the words they stand
//! for, match no alias and are no name, so the matcher finds what it finds in the whole text.

use std::collections::HashMap;

use tantivy::postings::TermInfo;
use tantivy::{Searcher, SegmentReader};

use crate::analysis::names::split_name_token;
use crate::analysis::tokenizer::{push_index_token, split_index_token};
use crate::analysis::Analyzer;
use crate::fasthash::FastMap;
use crate::index::schema;
use crate::registry::entities::{with_stripped, Found, Word};
use crate::registry::EntityMatcher;
use crate::search::SearchError;
use crate::stats::counter::{Counter, ItemBucket, Pair};
use crate::stats::counts::OutletNumbers;
use crate::stats::entities::EntityCounts;
use crate::stats::match_words::MatchWords;
use crate::stats::tally::IdCounts;
use crate::stats::token_sums::TokenSums;
use crate::stats::volumes::{SegmentTable, TableRow};
use crate::stats::word_walk::{self, Occurrences, RowNumbers, Sequences, WordCounter};

/// The entity counts of the documents of `tables` (their tokens set).
pub(super) fn entity_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &EntityMatcher,
    outlets: &OutletNumbers,
) -> Result<EntityCounts, SearchError> {
    let counts = word_walk::count(searcher, tables, &Entities::new(matcher, outlets));
    forget_analyzed();
    let mut counts = counts?;
    add_tokens(&mut counts, &TokenSums::of(tables, outlets));
    Ok(counts)
}

/// Adds the tokens of the documents counted by an [`Entities`] walk (which counts none), as
/// `sums` gives them.
pub(super) fn add_tokens(counts: &mut EntityCounts, sums: &TokenSums) {
    sums.add_to(&mut counts.mentions);
    counts.day_tokens.merge(sums.days().clone());
}

/// Frees the surfaces analyzed by a walk: they serve its segments only, not kept through
/// the report.
pub(super) fn forget_analyzed() {
    rayon::broadcast(|_| ANALYZED.with(|cache| *cache.borrow_mut() = (0, FastMap::default())));
}

/// Most surfaces one thread keeps analyzed (a few tens of MB).
const ANALYZED_CACHE: usize = 1 << 17;

/// A surface analyzed (not sentence-initial) with what the matcher makes of it: the same
/// in every segment, and in both names fields.
struct Analyzed {
    word: Word,
    /// [`EntityMatcher::can_match`] of the word.
    can_match: bool,
    /// [`EntityMatcher::alone`] of the word.
    alone: Option<usize>,
}

thread_local! {
    /// Surface → its [`Analyzed`], for the matcher at the address kept beside: a surface
    /// comes with up to four marks, in both names fields and in every segment.
    static ANALYZED: std::cell::RefCell<(usize, FastMap<Box<str>, Analyzed>)> =
        std::cell::RefCell::new((0, FastMap::default()));
}

/// `f` of the [`Analyzed`] surface `surface` (not sentence-initial), remembered per thread.
fn with_analyzed<R>(
    analyzer: &Analyzer,
    matcher: &EntityMatcher,
    surface: &str,
    f: impl FnOnce(&Analyzed) -> R,
) -> R {
    ANALYZED.with(|cache| {
        let (owner, cache) = &mut *cache.borrow_mut();
        // A matcher's answers are kept for that matcher only.
        let address = matcher as *const EntityMatcher as usize;
        if *owner != address {
            cache.clear();
            *owner = address;
        }
        if let Some(known) = cache.get(surface) {
            return f(known);
        }
        let word = Word::new(surface, analyzer.normalize(surface), false);
        let can_match = matcher.can_match(&word);
        let alone = can_match.then(|| matcher.alone(&word)).flatten();
        let analyzed = Analyzed {
            word,
            can_match,
            alone,
        };
        let answer = f(&analyzed);
        if cache.len() >= ANALYZED_CACHE {
            cache.clear();
        }
        cache.insert(surface.into(), analyzed);
        answer
    })
}

/// Entity counting on the shared walk; its counts have no tokens (see [`add_tokens`]).
pub(super) struct Entities<'a> {
    matcher: &'a EntityMatcher,
    outlets: &'a OutletNumbers,
    blank: Word,
    /// The entities' ids, sorted, each once: entities are counted by their number here,
    /// so that numbers order as ids do and entities sharing an id count as one.
    ids: Vec<String>,
    /// Each entity's number in `ids`.
    id_of: Vec<u32>,
}

impl Entities<'_> {
    /// The word of the `title` or `text` token of term `term` and exact form `exact`, when
    /// the matcher needs it (it equals a word of an alias).
    fn token_word(&self, term: &str, exact: &str) -> Option<Word> {
        with_stripped(exact, |s| self.matcher.can_match_lowercase(term, s))
            .then(|| Word::new(exact, term.to_string(), false))
    }
}

impl<'a> Entities<'a> {
    /// Counts the entities of `matcher`, outlets numbered by `outlets`.
    pub fn new(matcher: &'a EntityMatcher, outlets: &'a OutletNumbers) -> Entities<'a> {
        let entities = matcher.registry().entities();
        let mut ids: Vec<String> = entities.iter().map(|e| e.id.clone()).collect();
        ids.sort();
        ids.dedup();
        let id_of = entities
            .iter()
            .map(|e| ids.binary_search(&e.id).expect("listed above") as u32)
            .collect();
        Entities {
            matcher,
            outlets,
            blank: Word::blank(),
            ids,
            id_of,
        }
    }
}

/// A segment's words the matcher sees, whether a sentence-end hole lies before each, the
/// alias patterns that may start at each, and for each word read by frequency what it is
/// a mention of.
pub(super) struct EntityWords {
    words: MatchWords<Word>,
    after_hole: Vec<bool>,
    /// Per word: what it is a mention of when it stands alone (read by frequency).
    alone: Vec<Option<Alone>>,
    /// Index token → its number among the tokens whose words may stand alone.
    groups: FastMap<Box<str>, u32>,
    /// Per such token: the entity (id number) its own word is a mention of, when it and
    /// every name of it stand alone (and it when the matcher needs it), else `None`.
    group_alone: Vec<Option<Option<u32>>>,
}

/// A word read by frequency: each occurrence a mention of `entity` (by id number), the
/// word itself the form.
#[derive(Debug, Clone, Copy)]
struct Alone {
    entity: u32,
    /// The number of the word's index token in [`EntityWords::groups`].
    group: u32,
    /// A name token's word: its occurrences are also occurrences of its index token.
    name: bool,
}

impl EntityWords {
    fn push(&mut self, matcher: &EntityMatcher, word: Word, after_hole: bool) {
        let starts = matcher.starts(&word);
        self.words.push(word, starts);
        self.after_hole.push(after_hole);
        self.alone.push(None);
    }

    /// Numbers `word`, read by frequency as `alone`.
    fn push_alone(&mut self, word: Word, alone: Alone) {
        self.words.push(word, Vec::new());
        self.after_hole.push(false);
        self.alone.push(Some(alone));
    }

    /// The number of index token `token` among those whose words may stand alone.
    fn group(&mut self, token: &str) -> u32 {
        if let Some(&group) = self.groups.get(token) {
            return group;
        }
        let group = self.group_alone.len() as u32;
        self.groups.insert(token.into(), group);
        self.group_alone.push(Some(None));
        group
    }
}

/// A name token the matcher needs, before it is known whether its word is read by
/// frequency.
struct Name {
    field: usize,
    info: TermInfo,
    word: Word,
    after_hole: bool,
    /// [`EntityMatcher::can_match`] of its word.
    can_match: bool,
    /// Its entity when its word stands alone.
    alone: Option<usize>,
    /// The number of its index token in [`EntityWords::groups`], when it can match.
    group: u32,
}

/// A segment's entity counts by numbers (entities by id number, mentions' and unknown
/// names' words by [`Sequences`], groups and days by [`RowNumbers`]).
#[derive(Default)]
pub(super) struct EntityTally {
    mentions: IdCounts,
    runs: Sequences,
    rows: RowNumbers,
    /// (entity, group, day) → mentions.
    series: FastMap<(u32, u32, u32), u64>,
    /// (entity, entity) → documents mentioning both.
    co_mentions: FastMap<(u32, u32), u64>,
    /// Unknown name's words → occurrences.
    unknown: FastMap<u32, u64>,
    /// The current document's mentions as `entity << 32 | form`, and their entities.
    items: Vec<u64>,
    mentioned: Vec<u32>,
    /// The current document's index tokens read by frequency: (token number, a word of
    /// the token, its entity, occurrences not of a name).
    tokens: Vec<(u32, u32, u32, i64)>,
    /// Per word read by frequency: the number of its one-word form in `runs`, once met
    /// (`u32::MAX` before).
    alone_form: Vec<u32>,
}

impl EntityTally {
    /// Adds `n` mentions of `entity` in the form of word `word` alone.
    fn add_alone(
        &mut self,
        word: u32,
        entity: u32,
        n: u64,
        items: &mut Vec<u64>,
        mentioned: &mut Vec<u32>,
    ) {
        if self.alone_form.len() <= word as usize {
            self.alone_form.resize(word as usize + 1, u32::MAX);
        }
        let form = &mut self.alone_form[word as usize];
        if *form == u32::MAX {
            *form = self.runs.id(&[word]);
        }
        let item = u64::from(entity) << 32 | u64::from(*form);
        items.extend(std::iter::repeat_n(item, n as usize));
        mentioned.extend(std::iter::repeat_n(entity, n as usize));
    }
}

// Repeated shape: the `WordCounter` impl's types and signatures, as each counter on the shared walk
// writes them.
impl WordCounter for Entities<'_> {
    type Words = EntityWords;
    type Tally = EntityTally;
    type Counts = EntityCounts;

    fn words(
        &self,
        searcher: &Searcher,
        segment: &SegmentReader,
        found: &mut Occurrences,
    ) -> Result<EntityWords, SearchError> {
        let analyzer = Analyzer::default();
        let schema = searcher.schema();
        let names_fields = [schema::TITLE_NAMES, schema::TEXT_NAMES].map(|name| {
            schema
                .get_field(name)
                .expect("an index of this analysis version has names fields")
        });
        let mut words = EntityWords {
            words: MatchWords::new(),
            after_hole: Vec::new(),
            alone: Vec::new(),
            groups: FastMap::default(),
            group_alone: Vec::new(),
        };
        let mut inverted = Vec::with_capacity(2);
        let mut names = Vec::new();
        for (field, names_field) in names_fields.iter().enumerate() {
            let reader = segment.inverted_index(*names_field)?;
            let mut stream = reader
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Some((mark, surface)) = std::str::from_utf8(stream.key())
                    .ok()
                    .and_then(split_name_token)
                else {
                    continue;
                };
                // A word that matches no alias word and is no name is a blank to the
                // matcher, and so is the same word by its index token (which can match
                // only what the name can): its positions need not be read at all, the gap
                // it leaves becomes a blank. (The analyzed word is not sentence-initial.)
                let Some(name) = with_analyzed(&analyzer, self.matcher, surface, |known| {
                    let is_name = !mark.sentence_initial && known.word.is_name();
                    (is_name || known.can_match).then(|| Name {
                        field,
                        info: stream.value().clone(),
                        word: Word {
                            sentence_initial: mark.sentence_initial,
                            ..known.word.clone()
                        },
                        after_hole: mark.after_hole,
                        can_match: known.can_match,
                        alone: known.alone,
                        group: u32::MAX,
                    })
                }) else {
                    continue;
                };
                names.push(name);
            }
            inverted.push(reader);
        }
        // A word standing alone is read by frequency only when every name of its index
        // token does and so does the token's own word (when the matcher needs it): the
        // token's count holds its names' occurrences, taken off it per document.
        for name in names.iter_mut().filter(|name| name.can_match) {
            let group = analyzer.with_index_token(&name.word.surface, |t| words.group(t));
            if name.alone.is_none() {
                words.group_alone[group as usize] = None;
            }
            name.group = group;
        }
        for (token, &group) in &words.groups {
            let alone = &mut words.group_alone[group as usize];
            if alone.is_some() {
                let (term, exact) = split_index_token(token);
                *alone = match self.token_word(term, exact) {
                    Some(word) => self.matcher.alone(&word).map(|e| Some(self.id_of[e])),
                    None => Some(None),
                };
            }
        }
        // Names first, so that at a position a name sorts before the same word found by its
        // index token.
        for name in names {
            let number = words.words.next_number();
            let reader = &inverted[name.field];
            let group = name.group;
            let alone = name
                .alone
                .filter(|_| words.group_alone[group as usize].is_some());
            match alone {
                Some(entity) => {
                    found.push_frequencies(reader, &name.info, number)?;
                    let entity = self.id_of[entity];
                    let alone = Alone {
                        entity,
                        group,
                        name: true,
                    };
                    words.push_alone(name.word, alone);
                }
                None => {
                    found.push(reader, &name.info, name.field as u32, number)?;
                    words.push(self.matcher, name.word, name.after_hole);
                }
            }
        }
        Ok(words)
    }

    fn token(&self, words: &mut EntityWords, term: &str, exact: &str) -> Option<u32> {
        let word = self.token_word(term, exact)?;
        let number = words.words.next_number();
        let mut token = String::new();
        push_index_token(term, exact, &mut token);
        let alone = match words.groups.get(token.as_str()) {
            Some(&group) => words.group_alone[group as usize]
                .flatten()
                .map(|entity| (entity, group)),
            None => self.matcher.alone(&word).map(|e| {
                let (entity, group) = (self.id_of[e], words.group(&token));
                words.group_alone[group as usize] = Some(Some(entity));
                (entity, group)
            }),
        };
        match alone {
            Some((entity, group)) => {
                let alone = Alone {
                    entity,
                    group,
                    name: false,
                };
                words.push_alone(word, alone);
            }
            None => words.push(self.matcher, word, false),
        }
        Some(number)
    }

    fn by_frequency(&self, words: &EntityWords, word: u32) -> bool {
        words.alone[word as usize].is_some()
    }

    fn hole_before(&self, words: &EntityWords, word: u32) -> u32 {
        u32::from(words.after_hole[word as usize])
    }

    fn add_document(
        &self,
        words: &EntityWords,
        row: TableRow,
        fields: [&[u32]; 2],
        counted: &[(u32, u32)],
        tally: &mut EntityTally,
    ) {
        let (mut items, mut mentioned) = (
            std::mem::take(&mut tally.items),
            std::mem::take(&mut tally.mentioned),
        );
        items.clear();
        mentioned.clear();
        for sequence in fields.into_iter().filter(|s| !s.is_empty()) {
            let text = words.words.text(sequence, &self.blank);
            let found = self
                .matcher
                .find_with_starts(&text, |i| words.words.starts_in(sequence, i));
            for found in found {
                match found {
                    Found::Mention { entity, start, len } => {
                        let entity = self.id_of[entity];
                        let form = tally.runs.id(&sequence[start..start + len]);
                        items.push(u64::from(entity) << 32 | u64::from(form));
                        mentioned.push(entity);
                    }
                    Found::Unknown { start, len } => {
                        let name = tally.runs.id(&sequence[start..start + len]);
                        *tally.unknown.entry(name).or_default() += 1;
                    }
                }
            }
        }
        // Words standing alone: each occurrence a mention, the word itself the form. A
        // name's occurrences are also its index token's (at the same positions): the
        // token's own mentions are those left when its names' are taken off.
        let mut tokens = std::mem::take(&mut tally.tokens);
        tokens.clear();
        for &(word, n) in counted {
            let alone = words.alone[word as usize].expect("read by frequency");
            let at = match tokens.iter().position(|t| t.0 == alone.group) {
                Some(at) => at,
                None => {
                    tokens.push((alone.group, u32::MAX, alone.entity, 0));
                    tokens.len() - 1
                }
            };
            let token = &mut tokens[at];
            if alone.name {
                token.3 -= i64::from(n);
                tally.add_alone(word, alone.entity, n.into(), &mut items, &mut mentioned);
            } else {
                token.3 += i64::from(n);
                (token.1, token.2) = (word, alone.entity);
            }
        }
        for &(_, word, entity, n) in &tokens {
            // (A token not read, `u32::MAX`, has only its names' occurrences taken off.)
            debug_assert!(
                word == u32::MAX || n >= 0,
                "a token's count holds its names'"
            );
            if word != u32::MAX && n > 0 {
                tally.add_alone(word, entity, n as u64, &mut items, &mut mentioned);
            }
        }
        tally.tokens = tokens;
        let (group, outlet) = tally.rows.numbers(&row, self.outlets);
        let day = tally.rows.day(&row);
        for &entity in &mentioned {
            *tally.series.entry((entity, group, day)).or_default() += 1;
        }
        mentioned.sort_unstable();
        mentioned.dedup();
        for (i, &a) in mentioned.iter().enumerate() {
            for &b in &mentioned[i + 1..] {
                *tally.co_mentions.entry((a, b)).or_default() += 1;
            }
        }
        // Tokens are added after the walk (see [`add_tokens`]).
        tally.mentions.add_document(group, outlet, 0, &mut items);
        (tally.items, tally.mentioned) = (items, mentioned);
    }

    fn finish(&self, words: &EntityWords, tally: EntityTally) -> EntityCounts {
        let word = |w: u32| words.words.word(w, &self.blank);
        let EntityTally {
            mentions,
            runs,
            rows,
            series,
            co_mentions,
            unknown,
            ..
        } = tally;
        let id = |e: u32| self.ids[e as usize].clone();
        let surface = |run: u32| runs.joined(run, |w| word(w).surface.as_str());
        let mut names: HashMap<String, HashMap<String, u64>> = HashMap::new();
        for (run, n) in unknown {
            let name = runs.joined(run, |w| word(w).term.as_str());
            *names
                .entry(name)
                .or_default()
                .entry(surface(run))
                .or_default() += n;
        }
        let labels = |g, d| (rows.group(g).to_string(), rows.day_label(d).to_string());
        EntityCounts {
            mentions: mentions.into_counts(|g| rows.group(g).to_string(), id, surface),
            series: series
                .into_iter()
                .map(|((e, g, d), n)| {
                    let (group, bucket) = labels(g, d);
                    let item = id(e);
                    (
                        ItemBucket {
                            item,
                            group,
                            bucket,
                        },
                        n,
                    )
                })
                .collect::<Counter<_>>(),
            day_tokens: Counter::default(),
            co_mentions: co_mentions
                .into_iter()
                .map(|((a, b), n)| (Pair { a: id(a), b: id(b) }, n))
                .collect::<Counter<_>>(),
            unknown: names,
        }
    }

    fn merge(&self, counts: &mut EntityCounts, other: EntityCounts) {
        counts.merge(other);
    }
}
