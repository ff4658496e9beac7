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

use tantivy::Searcher;

use crate::analysis::names::split_name_token;
use crate::analysis::Analyzer;
use crate::index::schema;
use crate::registry::entities::{stripped, Word};
use crate::registry::EntityMatcher;
use crate::search::SearchError;
use crate::stats::counts::OutletNumbers;
use crate::stats::entities::{DocumentEntities, EntityCounts};
use crate::stats::frame_postings::{push_occurrences, rows_of, Occurrence};
use crate::stats::postings::{for_each_token, title_and_text};
use crate::stats::volumes::SegmentTable;

/// The entity counts of the documents of `tables`.
pub(super) fn entity_counts(
    searcher: &Searcher,
    tables: &[SegmentTable],
    matcher: &EntityMatcher,
    outlets: &OutletNumbers,
) -> Result<EntityCounts, SearchError> {
    let analyzer = Analyzer::default();
    let blank = Word::blank();
    let schema = searcher.schema();
    let names_fields = [schema::TITLE_NAMES, schema::TEXT_NAMES].map(|name| {
        schema
            .get_field(name)
            .expect("an index of this analysis version has names fields")
    });
    let mut counts = EntityCounts::default();
    for table in tables {
        let reader = searcher.segment_reader(table.segment);
        let row_of = rows_of(table, reader.max_doc());
        // The words the matcher sees, and whether a sentence-end hole lies before each;
        // names first, so that at a position a name sorts before the same word found by
        // its index token.
        let mut words: Vec<Word> = Vec::new();
        let mut after_hole: Vec<bool> = Vec::new();
        let mut found: Vec<Occurrence> = Vec::new();
        for (field, names) in names_fields.iter().enumerate() {
            let inverted = reader.inverted_index(*names)?;
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
                let word = [field as u32, words.len() as u32];
                push_occurrences(&inverted, stream.value(), &row_of, word, &mut found)?;
                let term = analyzer.normalize(surface);
                words.push(Word::new(surface, term, mark.sentence_initial));
                after_hole.push(mark.after_hole);
            }
        }
        let inverted = title_and_text(searcher, reader)?;
        let mut matching = Vec::new();
        for_each_token(&inverted, |field, term, exact, info| {
            if matcher.can_match_lowercase(term, &stripped(exact)) {
                matching.push((
                    field,
                    Word::new(exact, term.to_string(), false),
                    info.clone(),
                ));
            }
        })?;
        for (field, word, info) in matching {
            let field = u32::from(field);
            let number = [field, words.len() as u32];
            push_occurrences(
                &inverted[field as usize],
                &info,
                &row_of,
                number,
                &mut found,
            )?;
            words.push(word);
            after_hole.push(false);
        }
        found.sort_unstable();
        let mut next = found.iter().peekable();
        let mut sequence: Vec<&Word> = Vec::new();
        for i in 0..table.docs.len() {
            let row = table.row(i);
            let mut entities = DocumentEntities::default();
            for field in 0..2u32 {
                sequence.clear();
                let mut last: Option<u32> = None;
                while let Some(&(_, _, position, word)) =
                    next.next_if(|hit| hit.0 as usize == i && hit.1 == field)
                {
                    if last == Some(position) {
                        // The same word by its index token, after its name token.
                        continue;
                    }
                    let word = word as usize;
                    let before = position.checked_sub(1 + u32::from(after_hole[word]));
                    if last.is_some() && last != before {
                        sequence.push(&blank);
                    }
                    sequence.push(&words[word]);
                    last = Some(position);
                }
                if !sequence.is_empty() {
                    entities.add(matcher, &sequence);
                }
            }
            counts.add_document(
                row.group,
                outlets.of(row.dated.outlet),
                row.dated.day,
                entities,
                row.tokens,
            );
        }
    }
    Ok(counts)
}
