//! The walk entity and frame counts from the index share (issue 15): per segment, the words
//! a list's matcher needs are numbered and the positions of their tokens in the subset's
//! documents collected; per document and field those words come back in text order, with a
//! blank wherever a word the matcher need not see (or a sentence end) lies between two of
//! them. Segments are walked on all threads and their counts merged in segment order.

use rayon::prelude::*;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Searcher, SegmentReader, TERMINATED};

use crate::fasthash::FastMap;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
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

/// The occurrences of a segment's numbered words in the subset's documents.
pub(super) struct Occurrences {
    row_of: Vec<u32>,
    found: Vec<Occurrence>,
}

impl Occurrences {
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

    /// Numbers the words of `segment` the matcher needs, pushing their occurrences.
    fn words(
        &self,
        searcher: &Searcher,
        segment: &SegmentReader,
        found: &mut Occurrences,
    ) -> Result<Self::Words, SearchError>;

    /// How many positions beyond the one before a word may lie without a blank between
    /// (a sentence-end hole the word's own token says precedes it).
    fn hole_before(&self, words: &Self::Words, word: u32) -> u32;

    /// Counts one document, given its title's and text's word sequences (word numbers and
    /// [`BLANK`]s).
    fn add_document(
        &self,
        words: &Self::Words,
        row: TableRow,
        fields: [&[u32]; 2],
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
    // Merged pairwise on all threads as segments finish (merging is order-free).
    tables
        .par_iter()
        .map(|table| count_segment(searcher, table, counter))
        .try_reduce(C::Counts::default, |mut counts, other| {
            counter.merge(&mut counts, other);
            Ok(counts)
        })
}

fn count_segment<C: WordCounter>(
    searcher: &Searcher,
    table: &SegmentTable,
    counter: &C,
) -> Result<C::Counts, SearchError> {
    let reader = searcher.segment_reader(table.segment);
    let mut occurrences = Occurrences {
        row_of: rows_of(table, reader.max_doc()),
        found: Vec::new(),
    };
    let words = counter.words(searcher, reader, &mut occurrences)?;
    // A comparison sort (of a packed key, so most comparisons are one): measured against a
    // counting sort by row (scattered into a second vector: 5 % less CPU, 10–20 % more peak
    // memory at this step; permuted in place: 40 % more CPU, its swaps miss the cache) at
    // 44k-document segments.
    let mut found = occurrences.found;
    found.sort_unstable();
    let mut next = found.iter().peekable();
    let mut tally = C::Tally::default();
    let mut sequences: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    for i in 0..table.docs.len() {
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
                let before = position.checked_sub(1 + counter.hole_before(&words, word));
                if last.is_some() && last != before {
                    sequence.push(BLANK);
                }
                sequence.push(word);
                last = Some(position);
            }
        }
        counter.add_document(
            &words,
            table.row(i),
            [&sequences[0], &sequences[1]],
            &mut tally,
        );
    }
    Ok(counter.finish(&words, tally))
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
/// numbers, so a document's keys are looked up by a short hash, not made as strings.
#[derive(Debug, Default)]
pub(super) struct RowNumbers {
    groups: Interner,
    days: Interner,
    outlets: FastMap<Box<str>, u32>,
}

impl RowNumbers {
    /// The numbers of `row`'s group and (in `outlets`) of its outlet.
    pub fn numbers(&mut self, row: &TableRow, outlets: &OutletNumbers) -> (u32, u32) {
        let outlet = match self.outlets.get(row.dated.outlet) {
            Some(&n) => n,
            None => {
                let n = outlets.of(row.dated.outlet);
                self.outlets.insert(row.dated.outlet.into(), n);
                n
            }
        };
        (self.groups.id_of(row.group), outlet)
    }

    /// The number of `row`'s day (its label; empty when undated).
    pub fn day(&mut self, row: &TableRow) -> u32 {
        self.days.id_of(row.dated.day)
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
