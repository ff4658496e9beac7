//! The postings walk of one segment: its counting tokens (grouped by counted term) and the
//! subset's documents in, each term's (term, group) cells with their outlet and form counts
//! out, and the counted tokens of each subset document.
//!
//! Per-document state is kept per *subset* document (numbered by rank), not per document of
//! the segment, and each block of up to 128 postings is first narrowed to its subset
//! documents without a branch per posting: a posting outside the subset costs a look-up and
//! a store, so a subset's cost follows its postings rather than the segment's.

use std::ops::ControlFlow;

use rayon::prelude::*;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, InvertedIndexReader};

use super::raw::{RawPostings, Short, BLOCK};
use super::{add_to, SegmentGroups, SegmentTokens, Token, OUTSIDE};
use crate::search::SearchError;

/// A field's postings: through tantivy's reader, and as raw bytes for short ones (see
/// [`RawPostings`]) when they could be opened so.
pub(super) type FieldPostings<'a> = (&'a InvertedIndexReader, Option<&'a RawPostings>);

/// Term frequencies of a token indexed without them: once per document.
const ONCE: [u32; BLOCK] = [1; BLOCK];

/// A reusable reader of postings blocks: one [`BlockSegmentPostings`] reset from token to
/// token instead of one opened per token.
pub(super) struct Blocks {
    option: IndexRecordOption,
    block: Option<BlockSegmentPostings>,
    /// Short postings decoded from their bytes.
    short: Box<Short>,
}

impl Blocks {
    /// A reader of documents (`Basic`) or documents and frequencies (`WithFreqs`).
    pub fn new(option: IndexRecordOption) -> Blocks {
        Blocks {
            option,
            block: None,
            short: Box::default(),
        }
    }

    /// The postings of the token at `info`, decoded from `raw` when they are short: its
    /// documents and frequencies (1 each when not read); `None` when not short.
    #[inline]
    fn short(&mut self, raw: Option<&RawPostings>, info: &TermInfo) -> Option<(&[DocId], &[u32])> {
        let freqs = self.option != IndexRecordOption::Basic;
        let n = raw?.short(info, freqs, &mut self.short)?;
        let docs = &self.short.docs[..n];
        Some((
            docs,
            if freqs {
                &self.short.freqs[..n]
            } else {
                &ONCE[..n]
            },
        ))
    }

    /// Calls `each(docs, freqs)` for the blocks of the token at `info` in order, until it
    /// breaks (`freqs` holds 1 for each document when frequencies are not read); whether it
    /// broke.
    pub fn each(
        &mut self,
        (inverted, raw): FieldPostings,
        info: &TermInfo,
        mut each: impl FnMut(&[DocId], &[u32]) -> ControlFlow<()>,
    ) -> Result<bool, SearchError> {
        if let Some((docs, freqs)) = self.short(raw, info) {
            return Ok(!docs.is_empty() && each(docs, freqs).is_break());
        }
        let block = self.reset(inverted, info)?;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                return Ok(false);
            }
            if each(docs, freqs_of(block)).is_break() {
                return Ok(true);
            }
            block.advance();
        }
    }

    /// [`Blocks::each`] for the blocks that may hold one of `subset` (sorted documents): a
    /// block that ends before the next subset document is passed over through the postings'
    /// skip list, never decoded. A subset clustered in the segment (a date range: documents
    /// are numbered about in the order they came) then costs its own postings, not the
    /// segment's. The blocks given may still hold documents outside the subset.
    pub fn each_in(
        &mut self,
        (inverted, raw): FieldPostings,
        info: &TermInfo,
        subset: &[DocId],
        mut each: impl FnMut(&[DocId], &[u32]) -> ControlFlow<()>,
    ) -> Result<bool, SearchError> {
        if let Some((docs, freqs)) = self.short(raw, info) {
            // One block: given whole, as a seek to the first subset document lands on it.
            let given = !subset.is_empty() && !docs.is_empty();
            return Ok(given && each(docs, freqs).is_break());
        }
        let block = self.reset(inverted, info)?;
        // The first subset document after the blocks given so far, and the last document
        // of the last block given.
        let (mut next, mut given) = (0usize, None::<DocId>);
        while let Some(&target) = subset.get(next) {
            match given {
                // The next subset document is near: the next block, as `each` reads it.
                Some(last) if target - last <= NEAR => block.advance(),
                _ => {
                    block.seek(target);
                }
            }
            let docs = block.docs();
            let Some(&last) = docs.last() else {
                return Ok(false);
            };
            // Past the postings' end a seek stays on the last block: given already.
            if given.is_some_and(|given| last <= given) {
                return Ok(false);
            }
            if each(docs, freqs_of(block)).is_break() {
                return Ok(true);
            }
            given = Some(last);
            next += subset[next..].partition_point(|&doc| doc <= last);
        }
        Ok(false)
    }

    /// The reader set to the start of the postings of the token at `info`.
    fn reset(
        &mut self,
        inverted: &InvertedIndexReader,
        info: &TermInfo,
    ) -> Result<&mut BlockSegmentPostings, SearchError> {
        let block = match self.block.take() {
            Some(mut block) => {
                inverted
                    .reset_block_postings_from_terminfo(info, &mut block)
                    .map_err(tantivy::TantivyError::from)?;
                block
            }
            None => inverted
                .read_block_postings_from_terminfo(info, self.option)
                .map_err(tantivy::TantivyError::from)?,
        };
        Ok(self.block.insert(block))
    }
}

/// How far (in documents) past a block's last document the next subset document may lie
/// for [`Blocks::each_in`] to read the next block rather than seek: a seek costs a search
/// within the block it lands on, the gap of a dense subset is a few documents.
const NEAR: DocId = 64;

/// The frequencies of the loaded block's documents: 1 each when not read.
fn freqs_of(block: &BlockSegmentPostings) -> &[u32] {
    let (docs, freqs) = (block.docs(), block.freqs());
    if freqs.len() == docs.len() {
        freqs
    } else {
        &ONCE[..docs.len()]
    }
}

/// A segment's subset documents numbered by rank (their position in the sorted subset), each
/// with its (group, outlet) cell.
pub(super) struct SubsetCells<'g> {
    groups: &'g SegmentGroups,
    /// The subset's documents, sorted.
    docs: &'g [DocId],
    /// Per document of the segment: its rank, [`OUTSIDE`] when not in the subset.
    doc_rank: Vec<u32>,
    /// Per rank: its cell, group × outlets + outlet.
    rank_cell: Vec<u32>,
    /// Per cell: its group.
    cell_group: Vec<u32>,
    /// Whether every document of the segment is in the subset (rank = document).
    whole: bool,
}

impl<'g> SubsetCells<'g> {
    /// The cells of `docs` (sorted, the documents `groups` was read for).
    pub fn new(groups: &'g SegmentGroups, docs: &'g [DocId]) -> SubsetCells<'g> {
        let outlets = groups.outlets.len().max(1);
        let mut doc_rank = vec![OUTSIDE; groups.doc_group.len()];
        let rank_cell = docs
            .iter()
            .enumerate()
            .map(|(rank, &doc)| {
                doc_rank[doc as usize] = rank as u32;
                groups.doc_group[doc as usize] * outlets as u32 + groups.doc_outlet[doc as usize]
            })
            .collect();
        let cells = groups.cell_groups() * outlets;
        SubsetCells {
            groups,
            docs,
            whole: docs.len() == doc_rank.len(),
            doc_rank,
            rank_cell,
            cell_group: (0..cells).map(|c| (c / outlets) as u32).collect(),
        }
    }

    /// The number of subset documents.
    fn len(&self) -> usize {
        self.rank_cell.len()
    }
}

/// Counts every counted term of a segment on all threads: its (term, group) cells by the
/// segment's ids, and the counted tokens of each subset document (by rank).
pub(super) fn count_segment(
    subset: &SubsetCells,
    tokens: &SegmentTokens,
) -> Result<(Vec<Cells>, Vec<u64>), SearchError> {
    let by_term: Vec<&[Token]> = tokens.tokens.chunk_by(|a, b| a.term == b.term).collect();
    let work = |part: &[&[Token]]| -> Result<(Cells, Vec<u32>), SearchError> {
        let mut walk = TermWalk::new(subset);
        for same_term in part {
            walk.add_term(tokens, same_term)?;
        }
        Ok((walk.cells, walk.tally.doc_tokens))
    };
    // A few large parts per thread: the terms' postings differ much in length.
    let parts = rayon::current_num_threads().max(1) * 4;
    let part_len = by_term.len().div_ceil(parts).max(1);
    let per_part: Vec<(Cells, Vec<u32>)> = by_term
        .par_chunks(part_len)
        .map(work)
        .collect::<Result<_, _>>()?;
    let mut doc_tokens = vec![0u64; subset.len()];
    let mut cells = Vec::with_capacity(per_part.len());
    for (part_cells, part_tokens) in per_part {
        for (sum, n) in doc_tokens.iter_mut().zip(part_tokens) {
            *sum += u64::from(n);
        }
        cells.push(part_cells);
    }
    Ok((cells, doc_tokens))
}

/// One segment's counts of (term, group) pairs by the segment's ids, with their outlet and
/// form counts in flat lists: each cell's outlets and forms follow the previous cell's.
#[derive(Default)]
pub(super) struct Cells {
    pub cells: Vec<Cell>,
    /// (outlet number, occurrences).
    pub outlets: Vec<(u32, u64)>,
    /// (segment form id, occurrences).
    pub forms: Vec<(u32, u64)>,
}

/// One term's counts in one group of a segment.
pub(super) struct Cell {
    pub term: u32,
    pub group: u32,
    pub freq: u64,
    pub docs: u64,
    /// Where this cell's outlets and forms end in [`Cells`]'s lists.
    pub outlets_end: u32,
    pub forms_end: u32,
}

/// One worker's walk over the postings of some counted terms of a segment: each term's
/// occurrences added into dense per-(group, outlet) cells (no sorting of postings, no map
/// per document), moved into [`Cells`] once the term is done.
struct TermWalk<'s, 'g> {
    subset: &'s SubsetCells<'g>,
    blocks: Blocks,
    picked: Picked,
    tally: Tally,
    /// Per group: the current term's forms (form id, occurrences); a term has few.
    forms: Vec<Vec<(u32, u64)>>,
    cells: Cells,
}

/// The subset postings of one block: rank and frequency.
struct Picked {
    ranks: [u32; BLOCK],
    freqs: [u32; BLOCK],
}

impl Picked {
    /// Keeps the postings of `docs` in the subset, without a branch per posting; how many.
    #[inline]
    fn pick(&mut self, subset: &SubsetCells, docs: &[DocId], freqs: &[u32]) -> usize {
        let mut kept = 0;
        for (&doc, &freq) in docs.iter().zip(freqs) {
            let rank = subset.doc_rank[doc as usize];
            // Written in any case, kept only when in the subset.
            self.ranks[kept] = rank;
            self.freqs[kept] = freq;
            kept += usize::from(rank != OUTSIDE);
        }
        kept
    }
}

/// The counts of the current term and token, and the counted tokens per subset document.
struct Tally {
    /// Counted tokens per subset document.
    doc_tokens: Vec<u32>,
    /// Per subset document: the stamp of the last term that counted it, so a document
    /// holding several tokens of one term counts once in `docs`.
    seen: Vec<u32>,
    stamp: u32,
    /// Per cell: occurrences and documents of the current term.
    freq: Vec<u64>,
    docs: Vec<u64>,
    /// The cells the current term touched.
    touched: Vec<u32>,
    /// Per cell: its occurrences of the current term up to the current token.
    last: Vec<u64>,
    /// Per group: occurrences of the current token.
    token_freq: Vec<u64>,
}

impl Tally {
    /// Counts subset postings (`ranks` and their frequencies).
    #[inline]
    fn count(&mut self, subset: &SubsetCells, ranks: &[u32], freqs: &[u32]) {
        let stamp = self.stamp;
        for (&rank, &freq) in ranks.iter().zip(freqs) {
            let (r, n) = (rank as usize, u64::from(freq));
            let cell = subset.rank_cell[r] as usize;
            self.doc_tokens[r] += freq;
            if self.freq[cell] == 0 {
                self.touched.push(cell as u32);
            }
            self.freq[cell] += n;
            self.docs[cell] += u64::from(self.seen[r] != stamp);
            self.seen[r] = stamp;
        }
    }

    /// Moves the occurrences counted since the last call into `token_freq`, by group: the
    /// current token's (one look per touched cell, not one per posting).
    fn end_token(&mut self, subset: &SubsetCells) {
        for &cell in &self.touched {
            let c = cell as usize;
            let n = self.freq[c] - self.last[c];
            if n > 0 {
                self.token_freq[subset.cell_group[c] as usize] += n;
                self.last[c] = self.freq[c];
            }
        }
    }
}

impl<'s, 'g> TermWalk<'s, 'g> {
    fn new(subset: &'s SubsetCells<'g>) -> TermWalk<'s, 'g> {
        let groups = subset.groups.cell_groups();
        let cells = subset.cell_group.len();
        TermWalk {
            subset,
            blocks: Blocks::new(IndexRecordOption::WithFreqs),
            picked: Picked {
                ranks: [0; BLOCK],
                freqs: [0; BLOCK],
            },
            tally: Tally {
                doc_tokens: vec![0; subset.len()],
                seen: vec![0; subset.len()],
                stamp: 0,
                freq: vec![0; cells],
                docs: vec![0; cells],
                touched: Vec::new(),
                last: vec![0; cells],
                token_freq: vec![0; groups],
            },
            forms: vec![Vec::new(); groups],
            cells: Cells::default(),
        }
    }

    /// Adds the postings of one counted term's tokens.
    fn add_term(&mut self, tokens: &SegmentTokens, same_term: &[Token]) -> Result<(), SearchError> {
        let subset = self.subset;
        let (picked, tally, forms) = (&mut self.picked, &mut self.tally, &mut self.forms);
        tally.stamp += 1;
        for token in same_term {
            let inverted = tokens.postings(token.field);
            if subset.whole {
                self.blocks.each(inverted, &token.info, |docs, freqs| {
                    tally.count(subset, docs, freqs);
                    ControlFlow::Continue(())
                })?;
            } else {
                self.blocks
                    .each_in(inverted, &token.info, subset.docs, |docs, freqs| {
                        let kept = picked.pick(subset, docs, freqs);
                        tally.count(subset, &picked.ranks[..kept], &picked.freqs[..kept]);
                        ControlFlow::Continue(())
                    })?;
            }
            tally.end_token(subset);
            for (g, n) in tally.token_freq.iter_mut().enumerate() {
                if *n > 0 {
                    add_to(&mut forms[g], token.form, std::mem::take(n));
                }
            }
        }
        self.settle(same_term[0].term);
        Ok(())
    }

    /// Moves the current term's per-cell counts into `cells`, one [`Cell`] per group it
    /// occurs in, and clears them.
    fn settle(&mut self, term: u32) {
        let subset = self.subset;
        let outlets = subset.groups.outlets.len().max(1);
        let tally = &mut self.tally;
        // Touched cells in order: each group's outlets are then one run.
        tally.touched.sort_unstable();
        let mut at = 0;
        while at < tally.touched.len() {
            let group = subset.cell_group[tally.touched[at] as usize];
            let (mut freq, mut docs) = (0, 0);
            while let Some(&cell) = tally.touched.get(at) {
                let cell = cell as usize;
                if subset.cell_group[cell] != group {
                    break;
                }
                let n = std::mem::take(&mut tally.freq[cell]);
                tally.last[cell] = 0;
                freq += n;
                docs += std::mem::take(&mut tally.docs[cell]);
                let outlet = subset.groups.outlets[cell % outlets];
                self.cells.outlets.push((outlet, n));
                at += 1;
            }
            self.cells.forms.append(&mut self.forms[group as usize]);
            self.cells.cells.push(Cell {
                term,
                group,
                freq,
                docs,
                outlets_end: self.cells.outlets.len() as u32,
                forms_end: self.cells.forms.len() as u32,
            });
        }
        tally.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups of a segment of `max_doc` documents whose subset is `docs`: document d in
    /// group d % 2 and outlet d % 3 (three outlets numbered 7, 8, 9).
    fn groups(max_doc: usize, docs: &[DocId]) -> SegmentGroups {
        let mut doc_group = vec![OUTSIDE; max_doc];
        let mut doc_outlet = vec![0; max_doc];
        for &doc in docs {
            doc_group[doc as usize] = doc % 2;
            doc_outlet[doc as usize] = doc % 3;
        }
        SegmentGroups {
            groups: vec!["even".to_string(), "odd".to_string()],
            slots: 1,
            doc_group,
            doc_outlet,
            outlets: vec![7, 8, 9],
        }
    }

    /// A one-segment index of `n` documents where document d holds the word `w` d % 4 + 1
    /// times when d % 3 != 0: its postings span many blocks.
    fn postings_index(n: u32) -> (tantivy::Index, tantivy::schema::Field) {
        use tantivy::schema::{Schema, TEXT};
        let mut schema = Schema::builder();
        let field = schema.add_text_field("t", TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for d in 0..n {
            let text = if d % 3 == 0 {
                "x".to_string()
            } else {
                "w ".repeat(d as usize % 4 + 1)
            };
            writer.add_document(tantivy::doc!(field => text)).unwrap();
        }
        writer.commit().unwrap();
        (index, field)
    }

    #[test]
    fn blocks_of_a_subset_give_every_subset_posting_once_and_skip_the_others() {
        let n = 20_000;
        let (index, field) = postings_index(n);
        let searcher = index.reader().unwrap().searcher();
        let segment = searcher.segment_reader(0);
        assert_eq!(segment.max_doc(), n);
        let inverted = segment.inverted_index(field).unwrap();
        let term = tantivy::Term::from_field_text(field, "w");
        let info = inverted.get_term_info(&term).unwrap().unwrap();
        // Independently: the word's postings in a subset, from the documents' numbers.
        let expected = |subset: &[DocId]| -> Vec<(DocId, u32)> {
            subset
                .iter()
                .filter(|d| *d % 3 != 0)
                .map(|&d| (d, d % 4 + 1))
                .collect()
        };
        let subsets: Vec<(&str, Vec<DocId>)> = vec![
            ("empty", vec![]),
            ("first", vec![0, 1]),
            ("one range", (5_000..5_400).collect()),
            ("two ranges", (100..300).chain(15_000..15_050).collect()),
            ("sparse", (0..n).step_by(997).collect()),
            ("dense", (0..n).filter(|d| d % 4 != 1).collect()),
            ("every", (0..n).collect()),
            ("the end", vec![n - 2, n - 1]),
        ];
        for option in [IndexRecordOption::WithFreqs, IndexRecordOption::Basic] {
            let mut blocks = Blocks::new(option);
            for (what, subset) in &subsets {
                let (mut got, mut given, mut blocks_given) = (Vec::new(), Vec::new(), 0);
                blocks
                    .each_in((&inverted, None), &info, subset, |docs, freqs| {
                        blocks_given += 1;
                        given.extend_from_slice(docs);
                        for (&doc, &freq) in docs.iter().zip(freqs) {
                            if subset.binary_search(&doc).is_ok() {
                                got.push((doc, freq));
                            }
                        }
                        ControlFlow::Continue(())
                    })
                    .unwrap();
                let mut want = expected(subset);
                if option == IndexRecordOption::Basic {
                    want.iter_mut().for_each(|(_, freq)| *freq = 1);
                }
                assert_eq!(got, want, "{what} {option:?}");
                // No block twice, and far fewer blocks than the postings' for a small range.
                assert!(given.windows(2).all(|w| w[0] < w[1]), "{what}");
                let all_blocks = (n as usize * 2 / 3).div_ceil(BLOCK);
                if *what == "one range" || *what == "first" || *what == "the end" {
                    assert!(blocks_given <= 5, "{what}: {blocks_given} of {all_blocks}");
                }
            }
            // A break stops the walk, and says so.
            let broke = blocks
                .each_in((&inverted, None), &info, &subsets[6].1, |_, _| {
                    ControlFlow::Break(())
                })
                .unwrap();
            assert!(broke);
        }
    }

    #[test]
    fn short_postings_read_from_their_bytes_are_the_documents_and_frequencies_indexed() {
        use tantivy::schema::{Schema, TEXT};
        // Word `wK` is in every document d with d % K == 1 (K = 1 in all), d % 5 + 1 times:
        // from 1 to thousands of postings, short and long, deltas of one to several bytes.
        let n: u32 = 3_000;
        let periods = [1u32, 2, 24, 25, 26, 700, 1_000, 2_999, 3_000];
        let mut schema = Schema::builder();
        let field = schema.add_text_field("t", TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let holds = |d: u32, k: u32| k == 1 || d % k == 1;
        for d in 0..n {
            let words: Vec<String> = periods
                .iter()
                .filter(|&&k| holds(d, k))
                .flat_map(|k| std::iter::repeat_n(format!("w{k}"), d as usize % 5 + 1))
                .collect();
            writer
                .add_document(tantivy::doc!(field => words.join(" ")))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = searcher.segment_reader(0);
        let inverted = segment.inverted_index(field).unwrap();
        let [raw] = RawPostings::open(segment, [field]);
        let raw = raw.expect("postings bytes");
        let mut short = Short::default();
        for k in periods {
            let term = tantivy::Term::from_field_text(field, &format!("w{k}"));
            let info = inverted.get_term_info(&term).unwrap().unwrap();
            // Independently: the documents and frequencies the word was indexed with.
            let expected: Vec<(DocId, u32)> = (0..n)
                .filter(|&d| holds(d, k))
                .map(|d| (d, d % 5 + 1))
                .collect();
            assert_eq!(expected.len(), info.doc_freq as usize, "w{k}");
            let decoded = raw.short(&info, true, &mut short);
            if expected.len() < BLOCK {
                let n = decoded.expect("short postings decode");
                let got: Vec<(DocId, u32)> = short.docs[..n]
                    .iter()
                    .copied()
                    .zip(short.freqs[..n].iter().copied())
                    .collect();
                assert_eq!(got, expected, "w{k}");
            } else {
                assert!(decoded.is_none(), "w{k}: long postings are left to tantivy");
            }
            // Through a reader of blocks, with and without the bytes: the same postings.
            for option in [IndexRecordOption::WithFreqs, IndexRecordOption::Basic] {
                for with_raw in [None, Some(&raw)] {
                    let mut blocks = Blocks::new(option);
                    let mut got = Vec::new();
                    blocks
                        .each((&inverted, with_raw), &info, |docs, freqs| {
                            got.extend(docs.iter().copied().zip(freqs.iter().copied()));
                            ControlFlow::Continue(())
                        })
                        .unwrap();
                    let mut want = expected.clone();
                    if option == IndexRecordOption::Basic {
                        want.iter_mut().for_each(|(_, freq)| *freq = 1);
                    }
                    assert_eq!(got, want, "w{k} {option:?} raw {}", with_raw.is_some());
                }
            }
        }
    }

    #[test]
    fn picking_keeps_exactly_the_subset_postings_in_order() {
        let docs: Vec<DocId> = (0..1000).filter(|d| d % 7 == 0 || d % 11 == 3).collect();
        let groups = groups(1000, &docs);
        let subset = SubsetCells::new(&groups, &docs);
        assert!(!subset.whole);
        let block: Vec<DocId> = (0..BLOCK as u32).map(|i| i * 7 + i % 5).collect();
        let freqs: Vec<u32> = (0..BLOCK as u32).map(|i| i % 4 + 1).collect();
        let mut picked = Picked {
            ranks: [0; BLOCK],
            freqs: [0; BLOCK],
        };
        let kept = picked.pick(&subset, &block, &freqs);
        // Independently: the block's postings whose document is in `docs`, with its rank.
        let expected: Vec<(u32, u32)> = block
            .iter()
            .zip(&freqs)
            .filter_map(|(doc, &freq)| docs.binary_search(doc).ok().map(|r| (r as u32, freq)))
            .collect();
        assert!(!expected.is_empty() && expected.len() < BLOCK);
        let got: Vec<(u32, u32)> = picked.ranks[..kept]
            .iter()
            .copied()
            .zip(picked.freqs[..kept].iter().copied())
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_subset_of_every_document_is_numbered_by_document_and_cells_follow_groups() {
        let docs: Vec<DocId> = (0..12).collect();
        let groups = groups(12, &docs);
        let subset = SubsetCells::new(&groups, &docs);
        assert!(subset.whole);
        for &doc in &docs {
            assert_eq!(subset.doc_rank[doc as usize], doc);
            let cell = subset.rank_cell[doc as usize];
            assert_eq!(cell, (doc % 2) * 3 + doc % 3);
            assert_eq!(subset.cell_group[cell as usize], doc % 2);
        }
    }
}
