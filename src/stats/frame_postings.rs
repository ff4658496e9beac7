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

use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Searcher, TERMINATED};

use crate::registry::FrameMatcher;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
use crate::stats::frames::FrameCounts;
use crate::stats::postings::{for_each_token, title_and_text};
use crate::stats::timeline::Buckets;
use crate::stats::volumes::SegmentTable;

/// Not in the subset.
const OUTSIDE: u32 = u32::MAX;

/// Where a word occurs: (row in the segment's table, field (0 = title, 1 = text), position,
/// word number).
pub(super) type Occurrence = (u32, u32, u32, u32);

/// For each document of a segment of `max_doc` documents, its row in `table` (or [`OUTSIDE`]).
pub(super) fn rows_of(table: &SegmentTable, max_doc: u32) -> Vec<u32> {
    let mut row_of = vec![OUTSIDE; max_doc as usize];
    for (row, &doc) in table.docs.iter().enumerate() {
        row_of[doc as usize] = row as u32;
    }
    row_of
}

/// Pushes an [`Occurrence`] of `[field, word]` for each position of the token at `info` in
/// a document with a row.
pub(super) fn push_occurrences(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    row_of: &[u32],
    [field, word]: [u32; 2],
    found: &mut Vec<Occurrence>,
) -> Result<(), SearchError> {
    let mut postings = inverted
        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
        .map_err(tantivy::TantivyError::from)?;
    let mut positions = Vec::new();
    let mut doc = postings.doc();
    while doc != TERMINATED {
        let row = row_of[doc as usize];
        if row != OUTSIDE {
            positions.clear();
            postings.positions(&mut positions);
            found.extend(positions.iter().map(|&p| (row, field, p, word)));
        }
        doc = postings.advance();
    }
    Ok(())
}

/// The frame counts of the documents of `tables`; documents are counted per time bucket too
/// when `buckets` is given.
pub(super) fn frame_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &OutletNumbers,
) -> Result<FrameCounts, SearchError> {
    let blank = (String::new(), String::new());
    let mut counts = FrameCounts::default();
    for table in tables {
        let reader = searcher.segment_reader(table.segment);
        let row_of = rows_of(table, reader.max_doc());
        // The words that can match, as (term, folded form), and (row, field, position,
        // word) of each of their occurrences in the subset.
        let mut words: Vec<(String, String)> = Vec::new();
        let mut found: Vec<Occurrence> = Vec::new();
        let inverted = title_and_text(searcher, reader)?;
        let mut matching: Vec<(u8, TermInfo)> = Vec::new();
        for_each_token(&inverted, |field, term, exact, info| {
            if matcher.can_match(term, exact) {
                words.push((term.to_string(), exact.to_string()));
                matching.push((field, info.clone()));
            }
        })?;
        for (word, (field, info)) in matching.iter().enumerate() {
            let field = u32::from(*field);
            push_occurrences(
                &inverted[field as usize],
                info,
                &row_of,
                [field, word as u32],
                &mut found,
            )?;
        }
        found.sort_unstable();
        let mut next = found.iter().peekable();
        let mut terms: Vec<(String, String)> = Vec::new();
        for i in 0..table.docs.len() {
            let row = table.row(i);
            let mut doc_hits = Vec::new();
            for field in 0..2u32 {
                terms.clear();
                let mut last: Option<u32> = None;
                while let Some(&(_, _, position, word)) =
                    next.next_if(|hit| hit.0 as usize == i && hit.1 == field)
                {
                    if last.is_some_and(|l| l + 1 != position) {
                        terms.push(blank.clone());
                    }
                    terms.push(words[word as usize].clone());
                    last = Some(position);
                }
                if !terms.is_empty() {
                    doc_hits.extend(matcher.hits_in(&terms));
                }
            }
            let bucket = buckets.and_then(|b| b.of_date(row.dated.day, row.dated.published));
            counts.add_document(
                row.group,
                outlets.of(row.dated.outlet),
                bucket,
                doc_hits,
                row.tokens,
            );
        }
    }
    Ok(counts)
}
