//! Frame counts from the index (issue 15): when every pattern of the frame dictionary is one
//! word or one prefix, a word's hits do not depend on its neighbours, so each segment's term
//! dictionaries are walked once, every token matched against the patterns (by its term and
//! exact form, as [`FrameMatcher::hits`] matches a word), and the matching tokens' postings
//! joined with the documents of [`super::volumes::Tables`]. The same [`FrameCounts`] as a
//! [`super::frames::FrameCounter`] over the stored texts, without decompressing one.

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, TERMINATED};

use crate::analysis::tokenizer::split_index_token;
use crate::index::schema;
use crate::registry::FrameMatcher;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
use crate::stats::frames::FrameCounts;
use crate::stats::postings::Interner;
use crate::stats::timeline::Buckets;
use crate::stats::volumes::SegmentTable;

/// Not in the subset.
const OUTSIDE: u32 = u32::MAX;

/// The frame counts of the documents of `tables`; documents are counted per time bucket too
/// when `buckets` is given. Only for dictionaries of one-word patterns
/// ([`FrameMatcher::single_words`]).
pub(super) fn frame_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &FrameMatcher,
    buckets: Option<Buckets>,
    outlets: &OutletNumbers,
) -> Result<FrameCounts, SearchError> {
    debug_assert!(matcher.single_words());
    let frames = matcher.registry().frames();
    let schema = searcher.schema();
    let fields = [schema::TITLE, schema::TEXT].map(|name| {
        schema
            .get_field(name)
            .expect("the schema has title and text")
    });
    let mut counts = FrameCounts::default();
    for table in tables {
        let reader = searcher.segment_reader(table.segment);
        let mut row_of = vec![OUTSIDE; reader.max_doc() as usize];
        for (row, &doc) in table.docs.iter().enumerate() {
            row_of[doc as usize] = row as u32;
        }
        // (row, frame, form, occurrences) of every hit in the subset.
        let mut hits: Vec<(u32, u32, u32, u32)> = Vec::new();
        let mut forms = Interner::default();
        for field in fields {
            let inverted = reader.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(token) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let (term, exact) = split_index_token(token);
                let matched = matcher.frames_of_word(term, exact);
                if matched.is_empty() {
                    continue;
                }
                let form = forms.id(exact);
                let mut postings = inverted
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let row = row_of[doc as usize];
                    if row != OUTSIDE {
                        for &frame in &matched {
                            hits.push((row, frame as u32, form, postings.term_freq()));
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        hits.sort_unstable();
        let mut next = hits.iter().peekable();
        for i in 0..table.docs.len() {
            let row = table.row(i);
            let mut doc_hits = Vec::new();
            while let Some(&(_, frame, form, n)) = next.next_if(|hit| hit.0 as usize == i) {
                for _ in 0..n {
                    doc_hits.push((
                        frames[frame as usize].clone(),
                        forms.strings[form as usize].to_string(),
                    ));
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
