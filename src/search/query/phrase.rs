//! Exact-order phrases (no slop) over analyzed terms, matched document first: each
//! position's tokens are one lazy [`Union`] of their postings, the positions' unions are
//! intersected by document with skips (the rarest leads), and only documents holding every
//! position have their positions read.
//!
//! This replaces tantivy's `RegexPhraseQuery` for the common case because that query reads
//! every matching token's whole posting list into a bit set per segment before matching: for
//! a phrase with a word in most documents (`"в Алматы"`) that is most of the segment's
//! postings on every query. The matching rule and the score are tantivy's `PhraseScorer`'s
//! for slop 0: the phrase count is the number of start positions where every word sits at
//! its offset, and the score is BM25 with that count as the term frequency.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, Explanation, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::forms::{does_not_match, fieldnorms, postings, Union};

/// The weight of an exact-order phrase: per position its offset in the phrase and its tokens.
pub(super) struct ExactPhraseWeight {
    pub(super) field: Field,
    pub(super) positions: Vec<(u32, Vec<Term>)>,
    pub(super) bm25: Option<Bm25Weight>,
}

impl ExactPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<ExactPhraseScorer>> {
        let max_offset = self.positions.iter().map(|(o, _)| *o).max().unwrap_or(0);
        let mut parts = Vec::with_capacity(self.positions.len());
        for (offset, tokens) in &self.positions {
            let lists = postings(reader, tokens, IndexRecordOption::WithFreqsAndPositions)?;
            if lists.is_empty() {
                return Ok(None);
            }
            parts.push((max_offset - offset, Union::new(lists)));
        }
        // The rarest position leads the document intersection; for an exact phrase the order
        // in which positions are intersected does not change which start positions survive.
        parts.sort_by_key(|(_, union)| union.size_hint());
        Ok(Some(ExactPhraseScorer::new(
            parts,
            self.bm25.as_ref().map(|w| w.boost_by(boost)),
            fieldnorms(reader, self.field, self.bm25.is_some())?,
        )))
    }
}

impl Weight for ExactPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut scorer) = self.phrase_scorer(reader, 1.0)? else {
            return Err(does_not_match(doc));
        };
        if scorer.seek(doc) != doc {
            return Err(does_not_match(doc));
        }
        let mut explanation = Explanation::new("Phrase Scorer", scorer.score());
        if let Some(bm25) = &self.bm25 {
            let norm = fieldnorms(reader, self.field, true)?.fieldnorm_id(doc);
            explanation.add_detail(bm25.explain(norm, scorer.phrase_count));
        }
        Ok(explanation)
    }
}

/// Documents where the phrase occurs, scored by how often.
struct ExactPhraseScorer {
    /// Each position's union with the offset that aligns it to the phrase's last word;
    /// rarest first.
    parts: Vec<(u32, Union<SegmentPostings>)>,
    doc: DocId,
    left: Vec<u32>,
    right: Vec<u32>,
    phrase_count: u32,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
}

impl ExactPhraseScorer {
    fn new(
        parts: Vec<(u32, Union<SegmentPostings>)>,
        bm25: Option<Bm25Weight>,
        fieldnorms: FieldNormReader,
    ) -> ExactPhraseScorer {
        let first = parts[0].1.doc();
        let mut scorer = ExactPhraseScorer {
            parts,
            doc: TERMINATED,
            left: Vec::with_capacity(100),
            right: Vec::with_capacity(100),
            phrase_count: 0,
            bm25,
            fieldnorms,
        };
        scorer.doc = scorer.align(first);
        if scorer.doc != TERMINATED && !scorer.phrase_match() {
            scorer.advance();
        }
        scorer
    }

    /// Moves every position to the first document at or after `candidate` that all of them
    /// hold, and returns it.
    fn align(&mut self, mut candidate: DocId) -> DocId {
        'outer: loop {
            if candidate == TERMINATED {
                return TERMINATED;
            }
            for (_, union) in &mut self.parts {
                let mut doc = union.doc();
                if doc < candidate {
                    doc = union.seek(candidate);
                }
                if doc > candidate {
                    candidate = doc;
                    continue 'outer;
                }
            }
            return candidate;
        }
    }

    /// Whether the current document holds the phrase; with scoring, counts its occurrences.
    fn phrase_match(&mut self) -> bool {
        let (offset, first) = &mut self.parts[0];
        first.positions_with_offset(*offset, &mut self.left);
        for (offset, union) in &mut self.parts[1..] {
            if self.left.is_empty() {
                break;
            }
            union.positions_with_offset(*offset, &mut self.right);
            intersect(&mut self.left, &self.right);
        }
        self.phrase_count = self.left.len() as u32;
        !self.left.is_empty()
    }
}

/// Keeps in `left` the values also in `right` (both sorted).
fn intersect(left: &mut Vec<u32>, right: &[u32]) {
    let (mut i, mut j, mut kept) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                left[kept] = left[i];
                kept += 1;
                i += 1;
                j += 1;
            }
        }
    }
    left.truncate(kept);
}

impl DocSet for ExactPhraseScorer {
    fn advance(&mut self) -> DocId {
        loop {
            if self.doc == TERMINATED {
                return TERMINATED;
            }
            let next = self.parts[0].1.advance();
            self.doc = self.align(next);
            if self.doc == TERMINATED || self.phrase_match() {
                return self.doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.doc = self.align(target);
        if self.doc == TERMINATED || self.phrase_match() {
            return self.doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // As tantivy's phrase scorer estimates: a fraction of the rarest position's documents.
        self.parts[0].1.size_hint() / (10 * self.parts.len() as u32)
    }
}

impl Scorer for ExactPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.phrase_count),
            None => 1.0,
        }
    }
}
