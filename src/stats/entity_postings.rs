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

use tantivy::{Searcher, SegmentReader};

use crate::analysis::names::split_name_token;
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
    rayon::broadcast(|_| ANALYZED.with(|cache| *cache.borrow_mut() = FastMap::default()));
}

/// Most surfaces one thread keeps analyzed (a few tens of MB).
const ANALYZED_CACHE: usize = 1 << 17;

thread_local! {
    /// Surface → its [`Word`] (not sentence-initial): a surface comes with up to four marks,
    /// in both names fields and in every segment, and its analysis depends on it alone.
    static ANALYZED: std::cell::RefCell<FastMap<Box<str>, Word>> =
        std::cell::RefCell::new(FastMap::default());
}

/// `f` of the [`Word`] written `surface` (not sentence-initial), remembered per thread.
fn with_analyzed<R>(analyzer: &Analyzer, surface: &str, f: impl FnOnce(&Word) -> R) -> R {
    ANALYZED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(word) = cache.get(surface) {
            return f(word);
        }
        let word = Word::new(surface, analyzer.normalize(surface), false);
        let answer = f(&word);
        if cache.len() >= ANALYZED_CACHE {
            cache.clear();
        }
        cache.insert(surface.into(), word);
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

/// A segment's words the matcher sees, whether a sentence-end hole lies before each, and
/// the alias patterns that may start at each.
pub(super) struct EntityWords {
    words: MatchWords<Word>,
    after_hole: Vec<bool>,
}

impl EntityWords {
    fn push(&mut self, matcher: &EntityMatcher, word: Word, after_hole: bool) {
        let starts = matcher.starts(&word);
        self.words.push(word, starts);
        self.after_hole.push(after_hole);
    }
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
        };
        // Names first, so that at a position a name sorts before the same word found by its
        // index token.
        for (field, names) in names_fields.iter().enumerate() {
            let inverted = segment.inverted_index(*names)?;
            let mut stream = inverted
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
                // it leaves becomes a blank. (`base` is not sentence-initial.)
                let Some(word) = with_analyzed(&analyzer, surface, |base| {
                    let is_name = !mark.sentence_initial && base.is_name();
                    (is_name || self.matcher.can_match(base)).then(|| Word {
                        sentence_initial: mark.sentence_initial,
                        ..base.clone()
                    })
                }) else {
                    continue;
                };
                found.push(
                    &inverted,
                    stream.value(),
                    field as u32,
                    words.words.next_number(),
                )?;
                words.push(self.matcher, word, mark.after_hole);
            }
        }
        Ok(words)
    }

    fn token(&self, words: &mut EntityWords, term: &str, exact: &str) -> Option<u32> {
        with_stripped(exact, |s| self.matcher.can_match_lowercase(term, s)).then(|| {
            let number = words.words.next_number();
            words.push(
                self.matcher,
                Word::new(exact, term.to_string(), false),
                false,
            );
            number
        })
    }

    fn hole_before(&self, words: &EntityWords, word: u32) -> u32 {
        u32::from(words.after_hole[word as usize])
    }

    fn add_document(
        &self,
        words: &EntityWords,
        row: TableRow,
        fields: [&[u32]; 2],
        _: &[(u32, u32)],
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
        tally
            .mentions
            .add_document(row.group, outlet, 0, &mut items);
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
            mentions: mentions.into_counts(id, surface),
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
