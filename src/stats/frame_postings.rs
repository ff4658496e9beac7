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

use crate::registry::FrameMatcher;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
use crate::stats::frames::FrameCounts;
use crate::stats::postings::{for_each_token, title_and_text};
use crate::stats::timeline::Buckets;
use crate::stats::volumes::{SegmentTable, TableRow};
use crate::stats::word_walk::{self, Occurrences, WordCounter, BLANK};

/// The frame counts of the documents of `tables`; documents are counted per time bucket too
/// when `buckets` is given.
pub(super) fn frame_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &OutletNumbers,
) -> Result<FrameCounts, SearchError> {
    word_walk::count(
        searcher,
        tables,
        &Frames {
            matcher,
            buckets,
            outlets,
            blank: (String::new(), String::new()),
        },
    )
}

/// Frame counting on the shared walk.
struct Frames<'a> {
    matcher: &'a FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &'a OutletNumbers,
    blank: (String, String),
}

/// A segment's words that can match: (term, folded form), and the patterns that may start
/// at each.
struct FrameWords {
    words: Vec<(String, String)>,
    starts: Vec<Vec<usize>>,
}

impl WordCounter for Frames<'_> {
    type Words = FrameWords;
    type Counts = FrameCounts;

    fn words(
        &self,
        searcher: &Searcher,
        segment: &SegmentReader,
        found: &mut Occurrences,
    ) -> Result<FrameWords, SearchError> {
        let inverted = title_and_text(searcher, segment)?;
        let mut words = FrameWords {
            words: Vec::new(),
            starts: Vec::new(),
        };
        let mut matching = Vec::new();
        for_each_token(&inverted, |field, term, exact, info| {
            if self.matcher.can_match(term, exact) {
                words.words.push((term.to_string(), exact.to_string()));
                words.starts.push(self.matcher.starts(term, exact));
                matching.push((field, info.clone()));
            }
        })?;
        for (word, (field, info)) in matching.iter().enumerate() {
            let field = u32::from(*field);
            found.push(&inverted[field as usize], info, field, word as u32)?;
        }
        Ok(words)
    }

    fn hole_before(&self, _: &FrameWords, _: u32) -> u32 {
        0
    }

    fn add_document(
        &self,
        words: &FrameWords,
        row: TableRow,
        fields: [&[u32]; 2],
        counts: &mut FrameCounts,
    ) {
        let mut doc_hits = Vec::new();
        for sequence in fields.into_iter().filter(|s| !s.is_empty()) {
            let terms: Vec<&(String, String)> = sequence
                .iter()
                .map(|&w| match w {
                    BLANK => &self.blank,
                    w => &words.words[w as usize],
                })
                .collect();
            doc_hits.extend(
                self.matcher
                    .hits_with_starts(&terms, |i| match sequence[i] {
                        BLANK => &[][..],
                        w => &words.starts[w as usize][..],
                    }),
            );
        }
        let bucket = self
            .buckets
            .and_then(|b| b.of_date(row.dated.day, row.dated.published));
        counts.add_document(
            row.group,
            self.outlets.of(row.dated.outlet),
            bucket,
            doc_hits,
            row.tokens,
        );
    }

    fn merge(&self, counts: &mut FrameCounts, other: FrameCounts) {
        counts.merge(other);
    }
}
