//! Frame counts from the index (issue 15): each segment's term dictionaries are walked once,
//! every token matched against the dictionary's pattern words (by its term and exact form,
//! as [`FrameMatcher::hits_in`] matches a word), and the positions of the tokens that can
//! match joined with the documents of [`super::volumes::Tables`]. Per document and field,
//! those words in position order — one blank word wherever a position between two of them
//! holds another word or a sentence end — go through [`FrameMatcher::hits_in`]: words that
//! match no pattern word never start or continue a hit, so the hits are those of the whole
//! text, except that a pattern of several words never matches across a sentence end (the
//! index leaves a position hole there). The same [`FrameCounts`] as a
//! [`super::frames::FrameCounter`] over the stored texts, without decompressing one.

use tantivy::{Searcher, SegmentReader};

use crate::fasthash::FastMap;
use crate::registry::FrameMatcher;
use crate::search::SearchError;
use crate::stats::counter::{Counter, GroupBucket, ItemBucket};
use crate::stats::counts::OutletNumbers;
use crate::stats::frames::FrameCounts;
use crate::stats::match_words::MatchWords;
use crate::stats::tally::{IdCounts, Interner};
use crate::stats::timeline::{Buckets, Interval};
use crate::stats::token_sums::TokenSums;
use crate::stats::volumes::{SegmentTable, TableRow};
use crate::stats::word_walk::{self, Occurrences, RowNumbers, Sequences, WordCounter};

/// The frame counts of the documents of `tables` (their tokens set); documents are counted
/// per time bucket too when `buckets` is given.
pub(super) fn frame_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &OutletNumbers,
) -> Result<FrameCounts, SearchError> {
    let counter = Frames::new(matcher, buckets, outlets);
    let mut counts = word_walk::count(searcher, tables, &counter)?;
    add_tokens(&mut counts, &TokenSums::of(tables, outlets));
    Ok(counts)
}

/// Adds the tokens of the documents counted by a [`Frames`] walk (which counts none), as
/// `sums` gives them.
pub(super) fn add_tokens(counts: &mut FrameCounts, sums: &TokenSums) {
    sums.add_to(&mut counts.hits);
}

/// Frame counting on the shared walk; its counts have no tokens (see [`add_tokens`]).
pub(super) struct Frames<'a> {
    matcher: &'a FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &'a OutletNumbers,
    blank: (String, String),
}

impl<'a> Frames<'a> {
    /// Counts the frames of `matcher`, per time bucket too when `buckets` is given, outlets
    /// numbered by `outlets`.
    pub fn new(
        matcher: &'a FrameMatcher,
        buckets: Option<Buckets>,
        outlets: &'a OutletNumbers,
    ) -> Frames<'a> {
        Frames {
            matcher,
            buckets,
            outlets,
            blank: (String::new(), String::new()),
        }
    }
}

/// A segment's words that can match: (term, folded form) with the patterns that may start
/// at each, and for each word that stands alone (see [`FrameMatcher::stands_alone`]) the
/// frames it is a hit of wherever it occurs.
pub(super) struct FrameWords {
    matched: MatchWords<(String, String)>,
    /// Per word: its frames when it stands alone (read by frequency), else none.
    alone: Vec<Vec<u32>>,
}

/// A segment's frame counts by numbers: hits as (frame, matched words) in [`IdCounts`],
/// documents per (group, bucket) and documents with a hit per (frame, group, bucket).
#[derive(Default)]
pub(super) struct FrameTally {
    hits: IdCounts,
    forms: Sequences,
    rows: RowNumbers,
    buckets: Interner,
    /// Per day number of the segment's table (`TableRow::keys`): its bucket's number,
    /// once met (see [`Frames::bucket`]).
    bucket_of_day: Vec<Option<Option<u32>>>,
    bucket_documents: FastMap<(u32, u32), u64>,
    bucket_hits: FastMap<(u32, u32, u32), u64>,
    /// The current document's hits as `frame << 32 | form`.
    items: Vec<u64>,
    /// Per word standing alone: the number of its one-word form in `forms`, once met
    /// (`u32::MAX` before).
    alone_form: Vec<u32>,
}

impl Frames<'_> {
    /// The number of the time bucket of `row`, if asked for and on the timeline.
    fn bucket(&self, row: &TableRow, tally: &mut FrameTally) -> Option<u32> {
        let buckets = self.buckets?;
        let (day, published) = (row.dated.day, row.dated.published);
        // Hours need the time; a dated document's other buckets follow from its day alone.
        if buckets.interval == Interval::Hour || day.is_empty() {
            let bucket = buckets.of_date(day, published)?;
            return Some(tally.buckets.id_of(&bucket));
        }
        let key = row.keys.day as usize;
        if key >= tally.bucket_of_day.len() {
            tally.bucket_of_day.resize(key + 1, None);
        }
        if let Some(known) = tally.bucket_of_day[key] {
            return known;
        }
        let bucket = buckets
            .of_date(day, published)
            .map(|b| tally.buckets.id_of(&b));
        tally.bucket_of_day[key] = Some(bucket);
        bucket
    }
}

// Repeated shape: the `WordCounter` impl's types and signatures, as each counter on the shared walk
// writes them.
impl WordCounter for Frames<'_> {
    type Words = FrameWords;
    type Tally = FrameTally;
    type Counts = FrameCounts;

    fn words(
        &self,
        _: &Searcher,
        _: &SegmentReader,
        _: &mut Occurrences,
    ) -> Result<FrameWords, SearchError> {
        Ok(FrameWords {
            matched: MatchWords::new(),
            alone: Vec::new(),
        })
    }

    fn token(&self, words: &mut FrameWords, term: &str, exact: &str) -> Option<u32> {
        self.matcher.can_match(term, exact).then(|| {
            let starts = self.matcher.starts(term, exact);
            let alone = if self.matcher.stands_alone(term, exact) {
                self.matcher.frames_of_word(term, exact)
            } else {
                Vec::new()
            };
            words
                .alone
                .push(alone.into_iter().map(|f| f as u32).collect());
            let word = (term.to_string(), exact.to_string());
            words.matched.push(word, starts)
        })
    }

    fn by_frequency(&self, words: &FrameWords, word: u32) -> bool {
        !words.alone[word as usize].is_empty()
    }

    fn hole_before(&self, _: &FrameWords, _: u32) -> u32 {
        0
    }

    fn add_document(
        &self,
        words: &FrameWords,
        row: TableRow,
        fields: [&[u32]; 2],
        counted: &[(u32, u32)],
        tally: &mut FrameTally,
    ) {
        let mut items = std::mem::take(&mut tally.items);
        items.clear();
        let matched = &words.matched;
        for sequence in fields.into_iter().filter(|s| !s.is_empty()) {
            let terms = matched.text(sequence, &self.blank);
            let hits = self
                .matcher
                .hit_spans(&terms, |i| matched.starts_in(sequence, i));
            for hit in hits {
                let form = tally.forms.id(&sequence[hit.start..hit.start + hit.len]);
                items.push((hit.frame as u64) << 32 | u64::from(form));
            }
        }
        // Words standing alone: each occurrence a hit of each of their frames, the word
        // itself the form.
        if !counted.is_empty() && tally.alone_form.len() < words.alone.len() {
            tally.alone_form.resize(words.alone.len(), u32::MAX);
        }
        for &(word, n) in counted {
            let form = &mut tally.alone_form[word as usize];
            if *form == u32::MAX {
                *form = tally.forms.id(&[word]);
            }
            for &frame in &words.alone[word as usize] {
                let item = u64::from(frame) << 32 | u64::from(*form);
                items.extend(std::iter::repeat_n(item, n as usize));
            }
        }
        let bucket = self.bucket(&row, tally);
        let (group, outlet) = tally.rows.numbers(&row, self.outlets);
        // Sorted by frame here; tokens are added after the walk (see [`add_tokens`]).
        tally.hits.add_document(group, outlet, 0, &mut items);
        // Documents off the timeline (undated, or dated only to the month) count in the
        // shares overall, not per bucket.
        if let Some(bucket) = bucket {
            for same_frame in items.chunk_by(|a, b| a >> 32 == b >> 32) {
                let frame = (same_frame[0] >> 32) as u32;
                *tally.bucket_hits.entry((frame, group, bucket)).or_default() += 1;
            }
            *tally.bucket_documents.entry((group, bucket)).or_default() += 1;
        }
        tally.items = items;
    }

    fn finish(&self, words: &FrameWords, tally: FrameTally) -> FrameCounts {
        let frames = self.matcher.registry().frames();
        let folded = |w: u32| words.matched.word(w, &self.blank).1.as_str();
        let FrameTally {
            hits,
            forms,
            rows,
            buckets,
            bucket_documents,
            bucket_hits,
            ..
        } = tally;
        let group = |g: u32| rows.group(g).to_string();
        let bucket = |b: u32| buckets.text(b).to_string();
        FrameCounts {
            hits: hits.into_counts(
                group,
                |frame| frames[frame as usize].clone(),
                |form| forms.joined(form, folded),
            ),
            bucket_documents: bucket_documents
                .into_iter()
                .map(|((g, b), n)| {
                    let key = GroupBucket {
                        group: group(g),
                        bucket: bucket(b),
                    };
                    (key, n)
                })
                .collect::<Counter<_>>(),
            bucket_hits: bucket_hits
                .into_iter()
                .map(|((f, g, b), n)| {
                    let key = ItemBucket {
                        item: frames[f as usize].clone(),
                        group: group(g),
                        bucket: bucket(b),
                    };
                    (key, n)
                })
                .collect::<Counter<_>>(),
        }
    }

    fn merge(&self, counts: &mut FrameCounts, other: FrameCounts) {
        counts.merge(other);
    }
}
