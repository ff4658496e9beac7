//! N-gram counts from the index's positions (issue 15): the subset's documents per segment
//! in, the same [`TermCounts`] as [`TermExtractor::terms`] over every stored text out,
//! without reading a text.
//!
//! The index holds every word as one token at its position, with a hole where a sentence
//! ends (see [`crate::analysis::tokenizer`]). Per segment, the term dictionaries of `title`
//! and `text` are walked once and every token numbered with its counted form, exact form
//! and whether it is dropped (ids shared by all segments). The token sequence of each
//! document is rebuilt from the postings' positions, and n-grams are the windows without a
//! hole whose first and last words are not dropped — the rule of [`TermExtractor::terms`].
//!
//! Both steps move data from one order to another (term order to document order, then
//! document order to n-gram order), and doing that by random writes into large arrays was
//! most of the cost (a cache miss per posting and per window). So each is partitioned
//! first: postings are appended to blocks of [`BLOCK_DOCS`] documents, whose word slots fit
//! in cache (see [`windows`]); windows are appended to [`PARTS`] parts by a hash of the
//! counted n-gram, so one part holds every occurrence of its n-grams and is counted exactly
//! in a small map (see [`parts`]). A part counts totals first and keeps the details
//! (outlets, exact forms, documents) only of n-grams seen at least `min_total` times:
//! keyness tests nothing rarer.
//!
//! Counted for keyness alone, the n-grams stay ids with their frequencies per group (see
//! [`rows`]): a string is made only for the few a comparison lists.
//!
//! Memory stays bounded at any corpus size: a segment with many positions is read in ranges
//! of documents (see [`RANGE_POSITIONS`]), and when the subset's windows would not fit in
//! [`WINDOW_BUDGET`], the postings are still walked once, but the windows are written to
//! temporary files, one per batch of parts (see [`spill`]), and the batches are read back
//! and counted one at a time.

mod parts;
mod rows;
mod spill;
mod windows;

use std::sync::Arc;

use rayon::prelude::*;
use tantivy::postings::TermInfo;

use crate::fasthash::FastSet;
use crate::index::Index;
use crate::search::SearchError;
use crate::stats::counts::{
    Details, OutletNumbers, TermCount, TermCounts, TermDetails, TermExtractor, TermRows,
};
use crate::stats::fused::StepTimer;
use crate::stats::postings::{
    for_each_token, pass_over, subset_docs, title_and_text, Interner, SegmentGroups,
};
use crate::stats::progress;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::{Needed, TermCountSpec};
use parts::Scratch;
use rows::IdRows;
use spill::Spill;
use windows::{Lists, PartedWindows, Sink};

/// A slot without a word: a sentence end, or the end of a field.
const HOLE: u32 = u32::MAX;

/// Documents per block of the rebuild: a block's word slots stay in cache.
const BLOCK_DOCS: usize = 256;

/// Parts the n-gram windows are split into by hash: a part's distinct n-grams fit in a
/// map that stays in cache.
const PARTS: usize = 1024;

/// Positions from here on are left out as holes: no word is that far into a field (they
/// were the field bit of a posting, and the counts are the same as when they were).
const POSITION_LIMIT: u32 = 1 << 31;

/// The bit of a posted word id that marks a dropped word (a segment has far fewer than
/// 2³⁰ words): windows are filtered without looking the word up.
const DROPPED: u32 = 1 << 30;

/// Up to three ids (counted forms or exact forms) of an n-gram; unused ones are [`HOLE`].
type Key = [u32; 3];

/// One window: its words (ids into the segment's [`Words`], unused ones [`HOLE`]) and its
/// document.
type Window = [u32; 4];

/// Counts the `extractor`'s n-grams (size 2 or 3) in `subset`'s documents grouped `by`,
/// from the index's positions. N-grams seen fewer than `needed.min_total` times over all
/// groups are left out; every other count is exact. With `needed.ranking_only`, the
/// n-grams' outlets (unless `needed.outlets`) and surface forms are left empty, and the
/// counts keep what gives them for the terms asked for ([`TermCounts::with_details`]);
/// without `needed.outlets` too, the n-grams are held by ids ([`TermCounts::rows`]) and the
/// groups' `terms` maps are empty.
///
/// Windows are kept in memory for at most [`WINDOW_BUDGET`] tokens of the subset at once:
/// a larger subset's windows go to temporary files in batches of parts, counted one batch
/// at a time (exact all the same, as a part holds every window of its n-grams).
pub fn count_ngrams(spec: TermCountSpec, needed: Needed) -> Result<TermCounts, SearchError> {
    let source = Source::new(spec);
    let batches = source.batches()?;
    count_in_batches(&source, needed, batches)
}

/// [`count_ngrams`] in `batches` batches of parts (the same counts in any number).
pub fn count_ngrams_in_batches(
    spec: TermCountSpec,
    needed: Needed,
    batches: usize,
) -> Result<TermCounts, SearchError> {
    let source = Source::new(spec);
    count_in_batches(&source, needed, batches.clamp(1, PARTS))
}

fn count_in_batches(
    source: &Source,
    needed: Needed,
    batches: usize,
) -> Result<TermCounts, SearchError> {
    let min_total = needed.min_total;
    let what = if needed.ranking_only {
        Detail {
            outlets: needed.outlets,
            forms: false,
        }
    } else {
        Detail::FULL
    };
    // Ranked by frequencies alone: counted by ids (see [`rows`]), the groups' maps left
    // empty.
    let by_ids = needed.ranking_only && !needed.outlets;
    let timer = StepTimer::from_env();
    timer.lap("n-grams: postings into windows");
    let mut counted = source.collect(batches)?;
    timer.lap("n-grams: windows counted");
    let mut counts = counted.sizes.clone();
    let mut rows = IdRows::default();
    let keep = |_: &Key, total: u64| total >= min_total;
    for batch in 0..batches {
        if batches > 1 {
            counted.load(batch)?;
        }
        let held = (0..PARTS)
            .into_par_iter()
            .filter(|&part| counted.held[part]);
        if by_ids {
            let found: Vec<IdRows> = held
                .map_init(Scratch::default, |scratch, part| {
                    counted.tally_part(scratch, &counted.windows, part, &keep, Detail::NONE);
                    scratch.rows()
                })
                .collect();
            rows.reserve(&found);
            found.into_iter().for_each(|part| rows.append(part));
        } else {
            let found: Vec<Vec<(u32, String, TermCount)>> = held
                .map_init(Scratch::default, |scratch, part| {
                    counted.tally_part(scratch, &counted.windows, part, &keep, what);
                    counted.counts_of_part(scratch)
                })
                .collect();
            counted.add_found(&mut counts, found);
        }
    }
    if by_ids {
        rows.shrink_to_fit();
        counted.rows = Some(rows);
    }
    if counted.spill.is_some() {
        // The details of any n-gram are read from the files again: the last batch's
        // windows would only take memory while the counts are ranked.
        counted.windows.clear();
        counted.held.iter_mut().for_each(|held| *held = false);
    }
    timer.lap("");
    if needed.ranking_only {
        counts.details = Details(Some(Arc::new(counted)));
    }
    Ok(counts)
}

/// Tokens of the subset whose windows are kept in memory at once (a window takes 16 bytes,
/// 12 for a bigram, and about half of the tokens begin one that is kept): beyond it, the
/// windows go to temporary files in batches of parts.
const WINDOW_BUDGET: u64 = 36_000_000;

/// Positions of a segment's subset whose postings are held at once (12 bytes each, with the
/// windows made of them): a larger segment is read in ranges of documents, each range's
/// postings found by seeking in every token's list.
const RANGE_POSITIONS: u64 = 8_000_000;

/// The ranges of documents `segment` is read in (each with its first block), so that each
/// holds about [`RANGE_POSITIONS`] positions of the `docs` documents of the subset at most.
fn doc_ranges(
    segment: &tantivy::SegmentReader,
    inverted: &[Arc<tantivy::InvertedIndexReader>; 2],
    docs: usize,
) -> Vec<(usize, std::ops::Range<tantivy::DocId>)> {
    let positions: u64 = inverted.iter().map(|i| i.total_num_tokens()).sum();
    let in_subset = positions * docs as u64 / u64::from(segment.num_docs().max(1));
    let blocks = (segment.max_doc() as usize).div_ceil(BLOCK_DOCS);
    let ranges = (in_subset.div_ceil(RANGE_POSITIONS) as usize).clamp(1, blocks.max(1));
    let per_range = blocks.div_ceil(ranges).max(1);
    (0..blocks)
        .step_by(per_range)
        .map(|first| {
            let end = ((first + per_range) * BLOCK_DOCS).min(segment.max_doc() as usize);
            (first, (first * BLOCK_DOCS) as u32..end as u32)
        })
        .collect()
}

/// The batch of each part, in `batches` batches.
fn batch_of_parts(batches: usize) -> Vec<u16> {
    (0..PARTS).map(|p| (p * batches / PARTS) as u16).collect()
}

/// What the n-grams are counted over.
struct Source {
    index: Index,
    subset: Subset,
    by: GroupBy,
    extractor: TermExtractor,
    outlets: OutletNumbers,
}

impl Source {
    /// What to count.
    fn new(spec: TermCountSpec) -> Source {
        Source {
            index: spec.index.clone(),
            subset: spec.subset.clone(),
            by: spec.by,
            extractor: spec.extractor.clone(),
            outlets: spec.outlets.clone(),
        }
    }

    /// The number of batches of parts that keeps each batch's windows within
    /// [`WINDOW_BUDGET`] (from the segments' token totals, prorated to the subset).
    fn batches(&self) -> Result<usize, SearchError> {
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let mut tokens = 0u64;
        for (segment_ord, docs) in subset_docs(&self.index, &searcher, &self.subset)? {
            let segment = searcher.segment_reader(segment_ord);
            let mut total = 0u64;
            for inverted in title_and_text(&searcher, segment)?.iter() {
                total += inverted.total_num_tokens();
            }
            tokens += total * docs.len() as u64 / u64::from(segment.num_docs().max(1));
        }
        Ok((tokens.div_ceil(WINDOW_BUDGET) as usize).clamp(1, PARTS))
    }

    /// One pass over the subset's postings: every counted window in memory (one batch), or
    /// in a temporary file per batch of parts (see [`CountedWindows::load`]).
    fn collect(&self, batches: usize) -> Result<CountedWindows, SearchError> {
        let n = self.extractor.ngram_size().clamp(2, 3);
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let subset_segments = subset_docs(&self.index, &searcher, &self.subset)?;
        pass_over(&subset_segments);
        let spill = if batches > 1 {
            Some(Spill::new(n, batch_of_parts(batches)).map_err(tantivy::TantivyError::from)?)
        } else {
            None
        };
        let mut vocabulary = Vocabulary::default();
        let mut sizes = TermCounts::default();
        let mut segments = Vec::new();
        let mut windows = Vec::new();
        let mut lists = Lists::default();
        for (segment_ord, docs) in subset_segments {
            let segment = searcher.segment_reader(segment_ord);
            let groups = SegmentGroups::new(segment, &docs, self.by, &self.outlets)?;
            let inverted = title_and_text(&searcher, segment)?;
            let position_files = windows::position_files(&searcher, segment)?;
            let mut words = Words::default();
            let mut tokens: Vec<(u8, TermInfo, u32)> = Vec::new();
            let mut all_doc_freqs = 0u64;
            for_each_token(&inverted, |field, term, exact, info| {
                all_doc_freqs += u64::from(info.doc_freq);
                let (counted, dropped) = self.extractor.counted_word(exact, term);
                let word = words.terms.len() as u32;
                // No bigram holds a dropped word, so to bigrams it is a hole: its postings
                // (stopwords: the longest lists) need not be read.
                if !(n == 2 && dropped) {
                    let marked = if dropped { word | DROPPED } else { word };
                    tokens.push((field, info.clone(), marked));
                }
                words.terms.push(vocabulary.terms.id(counted));
                words.forms.push(vocabulary.forms.id(exact));
            })?;
            let sink = match &spill {
                Some(spill) => Sink::Spill(spill, segments.len() as u32),
                None => Sink::Memory,
            };
            let mut doc_tokens = vec![0u64; segment.max_doc() as usize];
            let mut parted = Vec::new();
            for (first_block, docs) in doc_ranges(segment, &inverted, docs.len()) {
                let blocks = windows::postings_by_block(
                    &inverted,
                    &position_files,
                    &tokens,
                    all_doc_freqs,
                    &groups,
                    docs,
                    &mut lists,
                )?;
                parted.extend(windows::windows_of(
                    &mut lists,
                    first_block..first_block + blocks,
                    &words.terms,
                    n,
                    &groups,
                    &sink,
                    &mut doc_tokens,
                )?);
            }
            drop(tokens);
            release_read_files(&self.index, segment);
            groups.add_documents(&mut sizes, &docs, &doc_tokens);
            let group = groups
                .groups
                .iter()
                .map(|label| vocabulary.groups.id(label))
                .collect();
            segments.push(SegmentWords {
                words,
                groups,
                group,
            });
            windows.push(parted);
            progress::advanced(docs.len() as u64);
        }
        Ok(CountedWindows {
            n,
            segments,
            windows,
            vocabulary,
            sizes,
            held: vec![spill.is_none(); PARTS],
            spill,
            rows: None,
        })
    }
}

/// Which details of an n-gram's counts to keep besides its frequency and documents.
#[derive(Clone, Copy)]
struct Detail {
    outlets: bool,
    forms: bool,
}

impl Detail {
    const FULL: Detail = Detail {
        outlets: true,
        forms: true,
    };

    /// Frequencies and documents alone.
    const NONE: Detail = Detail {
        outlets: false,
        forms: false,
    };
}

/// What a segment's windows are read with: its words and its documents' groups.
struct SegmentWords {
    words: Words,
    groups: SegmentGroups,
    /// The [`Vocabulary`] group id of each of the segment's group numbers.
    group: Vec<u32>,
}

/// Every counted window of a subset, by segment, with the group sizes: what the counts of
/// any n-gram are made from.
struct CountedWindows {
    /// Words per n-gram.
    n: usize,
    segments: Vec<SegmentWords>,
    /// Per segment, runs of the `held` parts' windows.
    windows: Vec<Vec<PartedWindows>>,
    vocabulary: Vocabulary,
    /// Every group's sizes, without terms.
    sizes: TermCounts,
    /// The parts whose windows `windows` holds.
    held: Vec<bool>,
    /// The windows of every part, when they did not fit in memory at once.
    spill: Option<Spill>,
    /// The n-grams' frequencies by ids, when they were counted for ranking alone.
    rows: Option<IdRows>,
}

impl CountedWindows {
    /// Holds the windows of `batch`'s parts (from the temporary files) instead of the last.
    fn load(&mut self, batch: usize) -> Result<(), SearchError> {
        let Some(spill) = &self.spill else {
            return Ok(());
        };
        self.windows.clear();
        let batch_of = batch_of_parts(spill.batches());
        self.windows = spill
            .read(batch, self.segments.len(), &|_| true)
            .map_err(tantivy::TantivyError::from)?;
        for (part, held) in self.held.iter_mut().enumerate() {
            *held = batch_of[part] as usize == batch;
        }
        Ok(())
    }

    /// Adds the (group, n-gram, count) rows found by [`CountedWindows::counts_of_part`].
    fn add_found(&self, counts: &mut TermCounts, found: Vec<Vec<(u32, String, TermCount)>>) {
        let labels = &self.vocabulary.groups.strings;
        let mut by_group: Vec<Vec<(String, TermCount)>> =
            labels.iter().map(|_| Vec::new()).collect();
        for (group, term, count) in found.into_iter().flatten() {
            by_group[group as usize].push((term, count));
        }
        let mut by_label = std::collections::BTreeMap::new();
        for (label, rows) in labels.iter().zip(by_group) {
            if !rows.is_empty() {
                counts.group_mut(label);
                by_label.insert(&**label, rows);
            }
        }
        // One group's map per thread; each sized once (growing it rehashed every n-gram
        // several times).
        let work: Vec<_> = counts
            .groups
            .iter_mut()
            .filter_map(|(label, group)| by_label.remove(label.as_str()).map(|rows| (group, rows)))
            .collect();
        work.into_par_iter().for_each(|(group, rows)| {
            group.terms.reserve(rows.len());
            group.terms.extend(rows);
        });
    }

    /// The counted-form ids of an n-gram's words, when each is a counted form.
    fn key_of_term(&self, term: &str) -> Option<Key> {
        let mut key = [HOLE; 3];
        let mut words = term.split(' ');
        for slot in key.iter_mut() {
            match words.next() {
                Some(word) => *slot = self.vocabulary.terms.get(word)?,
                None => break,
            }
        }
        (words.next().is_none() && key[0] != HOLE).then_some(key)
    }
}

impl TermDetails for CountedWindows {
    fn counts_of(&self, terms: &[&str]) -> TermCounts {
        let wanted: FastSet<Key> = terms.iter().filter_map(|t| self.key_of_term(t)).collect();
        let mut parts: Vec<usize> = wanted
            .iter()
            .map(|key| {
                let n = key.iter().take_while(|&&id| id != HOLE).count();
                part_of_terms(&key[..n])
            })
            .collect();
        parts.sort_unstable();
        parts.dedup();
        let again;
        let windows = match &self.spill {
            Some(spill) if parts.iter().any(|&p| !self.held[p]) => {
                let mut asked = vec![false; PARTS];
                parts.iter().for_each(|&p| asked[p] = true);
                let batch_of = batch_of_parts(spill.batches());
                let mut batches: Vec<usize> = parts.iter().map(|&p| batch_of[p] as usize).collect();
                batches.dedup();
                let mut read: Vec<Vec<PartedWindows>> =
                    (0..self.segments.len()).map(|_| Vec::new()).collect();
                for batch in batches {
                    // Files this process wrote a moment ago: only I/O can fail now, and the
                    // counts asked for cannot be given without them.
                    let runs = spill
                        .read(batch, self.segments.len(), &|p| asked[p])
                        .expect("the n-gram windows written a moment ago can be read again");
                    for (segment, runs) in read.iter_mut().zip(runs) {
                        segment.extend(runs);
                    }
                }
                again = read;
                &again
            }
            _ => &self.windows,
        };
        let found: Vec<Vec<(u32, String, TermCount)>> = parts
            .into_par_iter()
            .map_init(Scratch::default, |scratch, part| {
                let keep = |key: &Key, _: u64| wanted.contains(key);
                self.tally_part(scratch, windows, part, &keep, Detail::FULL);
                self.counts_of_part(scratch)
            })
            .collect();
        let mut counts = self.sizes.clone();
        self.add_found(&mut counts, found);
        counts
    }

    fn rows(&self) -> Option<&dyn TermRows> {
        self.rows.as_ref().map(|_| self as &dyn TermRows)
    }
}

/// Counted forms, exact forms and group labels, numbered alike in every segment.
#[derive(Default)]
struct Vocabulary {
    terms: Interner,
    forms: Interner,
    groups: Interner,
}

/// Drops the pages of `segment`'s term dictionaries, postings and positions from this
/// process's resident memory once its windows are made (they are read once, and at a
/// million documents the mapped files alone held 0.8 GB resident to the end).
fn release_read_files(index: &Index, segment: &tantivy::SegmentReader) {
    use tantivy::Directory;
    let id = segment.segment_id().uuid_string();
    for extension in ["term", "idx", "pos"] {
        let path = std::path::PathBuf::from(format!("{id}.{extension}"));
        if let Ok(bytes) = index.directory().open_read(&path).and_then(|file| {
            file.read_bytes()
                .map_err(|e| tantivy::directory::error::OpenReadError::wrap_io_error(e, path))
        }) {
            crate::stats::copies::pages::release(bytes.as_slice());
        }
    }
}

/// A segment's dictionary tokens, by word id: what each counts as (two arrays rather than
/// one of pairs: counting looks up only the counted forms, and they stay in cache better).
#[derive(Default)]
struct Words {
    /// Counted-form ids.
    terms: Vec<u32>,
    /// Exact-form ids.
    forms: Vec<u32>,
}

/// The part of an n-gram with these counted-form ids (the ids are shared by all segments,
/// so every occurrence of an n-gram lands in one part).
#[inline]
fn part_of_terms(terms: &[u32]) -> usize {
    let mut h: u64 = 0x2545_f491_4f6c_dd1d;
    for &term in terms {
        h = (h.rotate_left(23) ^ u64::from(term)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    ((h ^ (h >> 29)) >> (64 - PARTS.trailing_zeros())) as usize
}

/// The words of a key joined by spaces.
fn join(key: &Key, strings: &Interner) -> String {
    let mut out = String::new();
    for &id in key.iter().take_while(|&&id| id != HOLE) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&strings.strings[id as usize]);
    }
    out
}
