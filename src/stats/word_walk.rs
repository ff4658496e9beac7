//! The walk entity and frame counts from the index share (issue 15): per segment, the words
//! a list's matcher needs are numbered (the `title` and `text` dictionaries walked once for
//! both lists) and the positions of their tokens in the subset's documents collected; per
//! document and field those words come back in text order, with a blank wherever a word the
//! matcher need not see (or a sentence end) lies between two of them. Segments are walked on
//! all threads and their counts merged as they finish (merging is order-free).

use rayon::prelude::*;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Searcher, SegmentReader, TERMINATED};

use crate::fasthash::FastMap;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
use crate::stats::postings::{for_each_posting, for_each_token, title_and_text};
use crate::stats::tally::Interner;
use crate::stats::volumes::{SegmentTable, TableRow};

/// Not in the subset.
const OUTSIDE: u32 = u32::MAX;

/// In a word sequence: a word (or words) the matcher need not see.
pub(super) const BLANK: u32 = u32::MAX;

/// Where a word occurs: (row in the segment's table, field (0 = title, 1 = text) and
/// position packed by [`place`], word number). Ordered as (row, field, position, word).
pub(super) type Occurrence = (u64, u32);

/// Row, field and position as one key that orders as the triple does (rows are document
/// ids, below 2³¹).
fn place(row: u32, field: u32, position: u32) -> u64 {
    u64::from(row) << 33 | u64::from(field) << 32 | u64::from(position)
}

/// For each document of a segment of `max_doc` documents, its row in `table` (or [`OUTSIDE`]).
fn rows_of(table: &SegmentTable, max_doc: u32) -> Vec<u32> {
    let mut row_of = vec![OUTSIDE; max_doc as usize];
    for (row, &doc) in table.docs.iter().enumerate() {
        row_of[doc as usize] = row as u32;
    }
    row_of
}

/// How often a word read without positions occurs in a document: (row in the segment's
/// table and word number packed as `row << 32 | word`, occurrences).
type Frequency = (u64, u32);

/// The occurrences of a segment's numbered words in the subset's documents: with their
/// positions, or (for words whose hits do not depend on their neighbours) their number per
/// document only.
pub(super) struct Occurrences<'r> {
    row_of: &'r [u32],
    found: Vec<Occurrence>,
    counted: Vec<Frequency>,
}

impl Occurrences<'_> {
    /// Adds an [`Occurrence`] of word `word` of field `field` for each position of the
    /// token at `info` in a document of the subset.
    pub fn push(
        &mut self,
        inverted: &InvertedIndexReader,
        info: &TermInfo,
        field: u32,
        word: u32,
    ) -> Result<(), SearchError> {
        let mut postings = inverted
            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
            .map_err(tantivy::TantivyError::from)?;
        let mut positions = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let row = self.row_of[doc as usize];
            if row != OUTSIDE {
                positions.clear();
                postings.positions(&mut positions);
                self.found
                    .extend(positions.iter().map(|&p| (place(row, field, p), word)));
            }
            doc = postings.advance();
        }
        Ok(())
    }

    /// Adds the number of occurrences of word `word` in each document of the subset that
    /// holds the token at `info`, from its postings' frequencies: no position is read.
    pub fn push_frequencies(
        &mut self,
        inverted: &InvertedIndexReader,
        info: &TermInfo,
        word: u32,
    ) -> Result<(), SearchError> {
        let (row_of, counted) = (self.row_of, &mut self.counted);
        for_each_posting(inverted, info, |doc, freq| {
            let row = row_of[doc as usize];
            if row != OUTSIDE {
                counted.push((u64::from(row) << 32 | u64::from(word), freq));
            }
        })
    }
}

/// What one list's counting needs of the walk.
pub(super) trait WordCounter: Sync {
    /// A segment's numbered words.
    type Words: Send;
    /// A segment's counts by word, group and day numbers, turned into
    /// [`WordCounter::Counts`] by [`WordCounter::finish`].
    type Tally: Default;
    /// Counts of any part of the documents; merged by [`WordCounter::merge`].
    type Counts: Send + Default;

    /// Numbers the words of `segment` the matcher needs from outside the `title` and `text`
    /// dictionaries, pushing their occurrences; the words [`WordCounter::token`] adds to.
    fn words(
        &self,
        searcher: &Searcher,
        segment: &SegmentReader,
        found: &mut Occurrences,
    ) -> Result<Self::Words, SearchError>;

    /// Numbers the `title` or `text` token of `term` and exact form `exact` when the
    /// matcher needs it; its number. Tokens come in field and dictionary order, after
    /// [`WordCounter::words`].
    fn token(&self, words: &mut Self::Words, term: &str, exact: &str) -> Option<u32>;

    /// Whether word `word`'s hits are the same wherever it occurs, whatever its neighbours:
    /// then only its number of occurrences per document is read (no positions), and it
    /// comes to [`WordCounter::add_document`] as a count, a gap in the word sequences.
    fn by_frequency(&self, _words: &Self::Words, _word: u32) -> bool {
        false
    }

    /// How many positions beyond the one before a word may lie without a blank between
    /// (a sentence-end hole the word's own token says precedes it).
    fn hole_before(&self, words: &Self::Words, word: u32) -> u32;

    /// Counts one document, given its title's and text's word sequences (word numbers and
    /// [`BLANK`]s) and its words read [`WordCounter::by_frequency`] with their occurrences
    /// (a word number at most once: a title's and a text's token are numbered apart).
    fn add_document(
        &self,
        words: &Self::Words,
        row: TableRow,
        fields: [&[u32]; 2],
        counted: &[(u32, u32)],
        tally: &mut Self::Tally,
    );

    /// The counts of a segment's tally, its numbers named.
    fn finish(&self, words: &Self::Words, tally: Self::Tally) -> Self::Counts;

    /// Adds `other` into `counts`.
    fn merge(&self, counts: &mut Self::Counts, other: Self::Counts);
}

/// The counts of `counter` over the documents of `tables`, segments on all threads.
pub(super) fn count<C: WordCounter>(
    searcher: &Searcher,
    tables: &[SegmentTable],
    counter: &C,
) -> Result<C::Counts, SearchError> {
    let (counts, _) = count_both::<C, C>(searcher, tables, (Some(counter), None))?;
    Ok(counts.unwrap_or_default())
}

/// The counts of two counters, each when given.
pub(super) type BothCounts<A, B> = (
    Option<<A as WordCounter>::Counts>,
    Option<<B as WordCounter>::Counts>,
);

/// The counts of each counter given over the documents of `tables`, segments on all
/// threads: per segment, the `title` and `text` dictionaries are walked once for both.
pub(super) fn count_both<A: WordCounter, B: WordCounter>(
    searcher: &Searcher,
    tables: &[SegmentTable],
    counters: (Option<&A>, Option<&B>),
) -> Result<BothCounts<A, B>, SearchError> {
    let merge = |mut mine: BothCounts<A, B>, theirs: BothCounts<A, B>| {
        merge_into(counters.0, &mut mine.0, theirs.0);
        merge_into(counters.1, &mut mine.1, theirs.1);
        Ok(mine)
    };
    // Merged pairwise on all threads as segments finish (merging is order-free). Each
    // worker keeps its occurrence lists for its next segment: growing them anew per
    // segment cost more than sorting them (fresh pages zeroed, copies on each doubling).
    tables
        .par_iter()
        .map_init(Buffers::default, |buffers, table| {
            count_segment(searcher, table, counters, buffers)
        })
        .try_reduce(
            // With no segment, each counter given counts nothing (not `None`).
            || {
                let (a, b) = counters;
                (
                    a.map(|_| A::Counts::default()),
                    b.map(|_| B::Counts::default()),
                )
            },
            merge,
        )
}

/// Adds `other` into `counts` by `counter`'s merge.
fn merge_into<C: WordCounter>(
    counter: Option<&C>,
    counts: &mut Option<C::Counts>,
    other: Option<C::Counts>,
) {
    match (counter, counts.as_mut(), other) {
        (Some(counter), Some(counts), Some(other)) => counter.merge(counts, other),
        (_, None, other) => *counts = other,
        _ => {}
    }
}

/// A worker's occurrence lists, kept from one segment to the next.
#[derive(Default)]
struct Buffers {
    found: [Vec<Occurrence>; 2],
    counted: [Vec<Frequency>; 2],
}

fn count_segment<A: WordCounter, B: WordCounter>(
    searcher: &Searcher,
    table: &SegmentTable,
    (a, b): (Option<&A>, Option<&B>),
    buffers: &mut Buffers,
) -> Result<BothCounts<A, B>, SearchError> {
    let reader = searcher.segment_reader(table.segment);
    let row_of = rows_of(table, reader.max_doc());
    let [found_a, found_b] = &mut buffers.found;
    let [counted_a, counted_b] = &mut buffers.counted;
    let mut occurrences = [(found_a, counted_a), (found_b, counted_b)].map(|(found, counted)| {
        found.clear();
        counted.clear();
        Occurrences {
            row_of: &row_of,
            found: std::mem::take(found),
            counted: std::mem::take(counted),
        }
    });
    let [occurrences_a, occurrences_b] = &mut occurrences;
    let mut words_a = a
        .map(|a| a.words(searcher, reader, occurrences_a))
        .transpose()?;
    let mut words_b = b
        .map(|b| b.words(searcher, reader, occurrences_b))
        .transpose()?;
    // One walk over the dictionaries for both; the postings of the tokens either needs
    // are read after it.
    let inverted = title_and_text(searcher, reader)?;
    let (mut tokens_a, mut tokens_b) = (Vec::new(), Vec::new());
    for_each_token(&inverted, |field, term, exact, info| {
        if let (Some(a), Some(words)) = (a, words_a.as_mut()) {
            if let Some(word) = a.token(words, term, exact) {
                let by_frequency = a.by_frequency(words, word);
                tokens_a.push((field, info.clone(), word, by_frequency));
            }
        }
        if let (Some(b), Some(words)) = (b, words_b.as_mut()) {
            if let Some(word) = b.token(words, term, exact) {
                let by_frequency = b.by_frequency(words, word);
                tokens_b.push((field, info.clone(), word, by_frequency));
            }
        }
    })?;
    for (tokens, occurrences) in [(tokens_a, &mut *occurrences_a), (tokens_b, occurrences_b)] {
        for (field, info, word, by_frequency) in tokens {
            let inverted = &inverted[usize::from(field)];
            if by_frequency {
                occurrences.push_frequencies(inverted, &info, word)?;
            } else {
                occurrences.push(inverted, &info, field.into(), word)?;
            }
        }
    }
    let [mut occurrences_a, mut occurrences_b] = occurrences;
    let counts_a = a
        .zip(words_a)
        .map(|(a, words)| count_words(table, a, &words, &mut occurrences_a));
    let counts_b = b
        .zip(words_b)
        .map(|(b, words)| count_words(table, b, &words, &mut occurrences_b));
    buffers.found = [occurrences_a.found, occurrences_b.found];
    buffers.counted = [occurrences_a.counted, occurrences_b.counted];
    Ok((counts_a, counts_b))
}

/// Sorts occurrences as `sort_unstable` does (by place, then word): by the packed place
/// alone first (one `u64` comparison each: 30 % less time than comparing pairs, measured on
/// 3.4M occurrences in runs like a segment's), then the few of one place by word.
fn sort_by_place(found: &mut [Occurrence]) {
    found.sort_unstable_by_key(|&(place, _)| place);
    for same_place in found.chunk_by_mut(|a, b| a.0 == b.0) {
        if same_place.len() > 1 {
            same_place.sort_unstable();
        }
    }
}

/// The counts of `counter` over a segment's documents, given the occurrences of its words.
fn count_words<C: WordCounter>(
    table: &SegmentTable,
    counter: &C,
    words: &C::Words,
    occurrences: &mut Occurrences,
) -> C::Counts {
    // A comparison sort (of a packed key, so most comparisons are one): measured against a
    // counting sort by row (scattered into a second vector: 5 % less CPU, 10–20 % more peak
    // memory at this step; permuted in place: 40 % more CPU, its swaps miss the cache) at
    // 44k-document segments.
    sort_by_place(&mut occurrences.found);
    occurrences.counted.sort_unstable();
    let mut next = occurrences.found.iter().peekable();
    let mut next_counted = occurrences.counted.iter().peekable();
    let mut tally = C::Tally::default();
    let mut sequences: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    let mut counted: Vec<(u32, u32)> = Vec::new();
    for i in 0..table.docs.len() {
        counted.clear();
        let row = i as u64;
        while let Some(&(key, n)) = next_counted.next_if(|hit| hit.0 >> 32 == row) {
            counted.push((key as u32, n));
        }
        for (field, sequence) in sequences.iter_mut().enumerate() {
            sequence.clear();
            let mut last: Option<u32> = None;
            // The keys of this document's field: any position after `from`.
            let from = place(i as u32, field as u32, 0);
            let to = from + (1 << 32);
            while let Some(&(at, word)) = next.next_if(|hit| (from..to).contains(&hit.0)) {
                let position = (at - from) as u32;
                if last == Some(position) {
                    // The same word by a second token (a name's, then its index token's).
                    continue;
                }
                let before = position.checked_sub(1 + counter.hole_before(words, word));
                if last.is_some() && last != before {
                    sequence.push(BLANK);
                }
                sequence.push(word);
                last = Some(position);
            }
        }
        counter.add_document(
            words,
            table.row(i),
            [&sequences[0], &sequences[1]],
            &counted,
            &mut tally,
        );
    }
    counter.finish(words, tally)
}

/// A segment's word sequences (runs of word numbers: a mention's or a hit's words)
/// numbered in order of first appearance, to count forms and names by number and make
/// their strings once.
#[derive(Debug, Default)]
pub(super) struct Sequences {
    ids: FastMap<Box<[u32]>, u32>,
    runs: Vec<Box<[u32]>>,
}

impl Sequences {
    /// The number of `run`, allocating only when it is new.
    pub fn id(&mut self, run: &[u32]) -> u32 {
        if let Some(&id) = self.ids.get(run) {
            return id;
        }
        let id = self.runs.len() as u32;
        self.runs.push(run.into());
        self.ids.insert(run.into(), id);
        id
    }

    /// The words of run `id`, joined by spaces, each as `word` gives it.
    pub fn joined<'w>(&self, id: u32, word: impl Fn(u32) -> &'w str) -> String {
        let mut text = String::new();
        for (k, &w) in self.runs[id as usize].iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            text.push_str(word(w));
        }
        text
    }
}

/// A segment's groups and days numbered in order of first appearance, and its outlets'
/// numbers, so a document's keys are looked up by its row's numbers (`TableRow::keys`), not
/// hashed as strings. Rows must come from one segment's tables (whose numbers agree).
#[derive(Debug, Default)]
pub(super) struct RowNumbers {
    groups: Interner,
    days: Interner,
    /// Per table group, outlet and day number: this one's ([`UNSEEN`] until met).
    group_of: Vec<u32>,
    outlet_of: Vec<u32>,
    day_of: Vec<u32>,
}

/// A table number [`RowNumbers`] has not met yet.
const UNSEEN: u32 = u32::MAX;

/// The number cached for table number `key` in `known`, made by `make` when not yet met.
#[inline]
fn cached(known: &mut Vec<u32>, key: u32, make: impl FnOnce() -> u32) -> u32 {
    let key = key as usize;
    if key >= known.len() {
        known.resize(key + 1, UNSEEN);
    }
    if known[key] == UNSEEN {
        known[key] = make();
    }
    known[key]
}

impl RowNumbers {
    /// The numbers of `row`'s group and (in `outlets`) of its outlet.
    pub fn numbers(&mut self, row: &TableRow, outlets: &OutletNumbers) -> (u32, u32) {
        let RowNumbers {
            groups, group_of, ..
        } = self;
        let group = cached(group_of, row.keys.group, || groups.id_of(row.group));
        let outlet = cached(&mut self.outlet_of, row.keys.outlet, || {
            outlets.of(row.dated.outlet)
        });
        (group, outlet)
    }

    /// The number of `row`'s day (its label; empty when undated).
    pub fn day(&mut self, row: &TableRow) -> u32 {
        let RowNumbers { days, day_of, .. } = self;
        cached(day_of, row.keys.day, || days.id_of(row.dated.day))
    }

    /// The label of group number `id`.
    pub fn group(&self, id: u32) -> &str {
        self.groups.text(id)
    }

    /// The label of day number `id`.
    pub fn day_label(&self, id: u32) -> &str {
        self.days.text(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_by_place_then_word_gives_what_sorting_the_pairs_gives() {
        // Runs sorted by place, one per word, as the walk pushes them; places shared by
        // several words (a name's token and its index token) in either order.
        let mut found: Vec<Occurrence> = Vec::new();
        let mut state = 7u64;
        for word in [5u32, 2, 9, 2, 0] {
            let mut run: Vec<Occurrence> = (0..300)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let (row, field, position) =
                        ((state >> 40) % 50, (state >> 20) % 2, state % 40);
                    (place(row as u32, field as u32, position as u32), word)
                })
                .collect();
            run.sort_unstable();
            found.extend(run);
        }
        let mut expected = found.clone();
        expected.sort_unstable();
        sort_by_place(&mut found);
        assert_eq!(found, expected);
        assert!(found
            .windows(2)
            .any(|w| w[0].0 == w[1].0 && w[0].1 < w[1].1));
    }
}
