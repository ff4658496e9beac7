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
//! in cache; windows are appended to [`PARTS`] parts by a hash of the counted n-gram, so
//! one part holds every occurrence of its n-grams and is counted exactly in a small map.
//! A part counts totals first and keeps the details (outlets, exact forms, documents) only
//! of n-grams seen at least `min_total` times, which keeps memory bounded: keyness tests
//! nothing rarer.

use std::sync::Arc;

use rayon::prelude::*;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, TERMINATED};

use crate::fasthash::{FastMap, FastSet};
use crate::index::Index;
use crate::search::SearchError;
use crate::stats::counter::Counter;
use crate::stats::counts::{
    Details, OutletNumbers, TermCount, TermCounts, TermDetails, TermExtractor,
};
use crate::stats::postings::{
    for_each_token, pass_over, subset_docs, title_and_text, Interner, SegmentGroups, OUTSIDE,
};
use crate::stats::progress;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::Needed;

/// A slot without a word: a sentence end, or the end of a field.
const HOLE: u32 = u32::MAX;

/// Documents per block of the rebuild: a block's word slots stay in cache.
const BLOCK_DOCS: usize = 256;

/// Parts the n-gram windows are split into by hash: a part's distinct n-grams fit in a
/// map that stays in cache.
const PARTS: usize = 1024;

/// The field bit of a [`Posting`]'s position (set for `text`, clear for `title`).
const TEXT_FIELD: u32 = 1 << 31;

/// Up to three ids (counted forms or exact forms) of an n-gram; unused ones are [`HOLE`].
type Key = [u32; 3];

/// One window: its words (ids into the segment's [`Word`]s, unused ones [`HOLE`]) and its
/// document.
type Window = [u32; 4];

/// Counts the `extractor`'s n-grams (size 2 or 3) in `subset`'s documents grouped `by`,
/// from the index's positions. N-grams seen fewer than `needed.min_total` times over all
/// groups are left out; every other count is exact. With `needed.ranking_only`, the
/// n-grams' outlets (unless `needed.outlets`) and surface forms are left empty, and the
/// counts keep what gives them for the terms asked for ([`TermCounts::with_details`]).
///
/// Windows are kept in memory for at most [`WINDOW_BUDGET`] tokens of the subset at once:
/// a larger subset is counted in batches of parts, each a pass over the postings that keeps
/// only its parts' windows (exact all the same, as a part holds every window of its
/// n-grams).
pub fn count_ngrams(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
    needed: Needed,
) -> Result<TermCounts, SearchError> {
    let source = Source::new(index, subset, by, extractor, outlets);
    let batches = source.batches()?;
    count_in_batches(&source, needed, batches)
}

/// [`count_ngrams`] in `batches` batches of parts (the same counts in any number).
pub fn count_ngrams_in_batches(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
    needed: Needed,
    batches: usize,
) -> Result<TermCounts, SearchError> {
    let source = Source::new(index, subset, by, extractor, outlets);
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
    let mut counts = None;
    let mut last = None;
    for batch in 0..batches {
        let held: Vec<bool> = (0..PARTS).map(|p| p * batches / PARTS == batch).collect();
        let counted = source.collect(held, batch == 0)?;
        let found: Vec<Vec<(u32, String, TermCount)>> = (0..PARTS)
            .into_par_iter()
            .filter(|&part| counted.held[part])
            .map(|part| counted.count_part(part, &|_, total| total >= min_total, what))
            .collect();
        let counts = counts.get_or_insert_with(|| counted.sizes.clone());
        counted.add_found(counts, found);
        last = Some(counted);
    }
    let mut counts = counts.unwrap_or_default();
    if needed.ranking_only {
        if let Some(counted) = last {
            counts.details = Details(Some(Arc::new(counted)));
        }
    }
    Ok(counts)
}

/// Tokens of the subset whose windows are kept in memory at once (a window takes 16 bytes,
/// and about half of the tokens begin one that is kept): beyond it, parts are counted in
/// batches.
const WINDOW_BUDGET: u64 = 36_000_000;

/// What the n-grams are counted over: enough to pass over the postings again.
struct Source {
    index: Index,
    subset: Subset,
    by: GroupBy,
    extractor: TermExtractor,
    outlets: OutletNumbers,
}

impl Source {
    /// What to count: owned copies, so the batches' passes can share them.
    fn new(
        index: &Index,
        subset: &Subset,
        by: GroupBy,
        extractor: &TermExtractor,
        outlets: &OutletNumbers,
    ) -> Source {
        Source {
            index: index.clone(),
            subset: subset.clone(),
            by,
            extractor: extractor.clone(),
            outlets: outlets.clone(),
        }
    }

    /// The number of batches of parts that keeps each pass's windows within
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

    /// One pass over the subset's postings, keeping the windows of the `held` parts.
    fn collect(&self, held: Vec<bool>, report: bool) -> Result<CountedWindows, SearchError> {
        let n = self.extractor.ngram_size().clamp(2, 3);
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let subset_segments = subset_docs(&self.index, &searcher, &self.subset)?;
        if report {
            pass_over(&subset_segments);
        }
        let mut vocabulary = Vocabulary::default();
        let mut sizes = TermCounts::default();
        let mut segments = Vec::new();
        for (segment_ord, docs) in subset_segments {
            let segment = searcher.segment_reader(segment_ord);
            let groups = SegmentGroups::new(segment, &docs, self.by, &self.outlets)?;
            let inverted = title_and_text(&searcher, segment)?;
            let mut words = Vec::new();
            let mut tokens = Vec::new();
            for_each_token(&inverted, |field, term, exact, info| {
                let (counted, dropped) = self.extractor.counted_word(exact, term);
                tokens.push((field, info.clone(), words.len() as u32));
                words.push(Word {
                    term: vocabulary.terms.id(counted),
                    form: vocabulary.forms.id(exact),
                    dropped,
                });
            })?;
            let blocks = postings_by_block(&inverted, &tokens, &groups, segment.max_doc())?;
            drop(tokens);
            let (windows, doc_tokens) =
                windows_of(blocks, &words, n, &vocabulary.terms, &groups, &held);
            groups.add_documents(&mut sizes, &docs, &doc_tokens);
            let group = groups
                .groups
                .iter()
                .map(|label| vocabulary.groups.id(label))
                .collect();
            segments.push(SegmentWindows {
                words,
                groups,
                group,
                windows,
            });
            if report {
                progress::advanced(docs.len() as u64);
            }
        }
        Ok(CountedWindows {
            segments,
            vocabulary,
            sizes,
            held,
            source: Some(self.clone_source()),
        })
    }

    fn clone_source(&self) -> Arc<Source> {
        Arc::new(Source {
            index: self.index.clone(),
            subset: self.subset.clone(),
            by: self.by,
            extractor: self.extractor.clone(),
            outlets: self.outlets.clone(),
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
}

/// Every counted window of a subset, by segment, with the group sizes: what the counts of
/// any n-gram are made from.
struct CountedWindows {
    segments: Vec<SegmentWindows>,
    vocabulary: Vocabulary,
    /// Every group's sizes, without terms.
    sizes: TermCounts,
    /// The parts whose windows `segments` hold.
    held: Vec<bool>,
    /// Where the windows of other parts are counted from again.
    source: Option<Arc<Source>>,
}

impl CountedWindows {
    /// Adds the (group, n-gram, count) rows found by [`CountedWindows::count_part`].
    fn add_found(&self, counts: &mut TermCounts, found: Vec<Vec<(u32, String, TermCount)>>) {
        // Each group's map sized once: growing it rehashed every n-gram several times.
        let mut rows = vec![0usize; self.vocabulary.groups.strings.len()];
        for &(group, _, _) in found.iter().flatten() {
            rows[group as usize] += 1;
        }
        for (group, &rows) in rows.iter().enumerate().filter(|(_, &rows)| rows > 0) {
            let label = &self.vocabulary.groups.strings[group];
            counts.group_mut(label).terms.reserve(rows);
        }
        for (group, term, count) in found.into_iter().flatten() {
            let label = &self.vocabulary.groups.strings[group as usize];
            counts.group_mut(label).terms.insert(term, count);
        }
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
                let hashes = key
                    .iter()
                    .take_while(|&&id| id != HOLE)
                    .map(|&id| text_hash(&self.vocabulary.terms.strings[id as usize]));
                part_of_hashes(hashes)
            })
            .collect();
        parts.sort_unstable();
        parts.dedup();
        let again;
        let counted = match &self.source {
            Some(source) if parts.iter().any(|&p| !self.held[p]) => {
                let mut held = vec![false; PARTS];
                parts.iter().for_each(|&p| held[p] = true);
                // The same index and subset as the first pass: only I/O can fail now,
                // and the counts asked for cannot be given without it.
                again = source
                    .collect(held, false)
                    .expect("the index counted a moment ago can be read again");
                &again
            }
            _ => self,
        };
        let found: Vec<Vec<(u32, String, TermCount)>> = parts
            .into_par_iter()
            .map(|part| counted.count_part(part, &|key, _| wanted.contains(key), Detail::FULL))
            .collect();
        let mut counts = self.sizes.clone();
        counted.add_found(&mut counts, found);
        counts
    }
}

/// Counted forms, exact forms and group labels, numbered alike in every segment.
#[derive(Default)]
struct Vocabulary {
    terms: Interner,
    forms: Interner,
    groups: Interner,
}

/// What a dictionary token counts as.
#[derive(Clone, Copy)]
struct Word {
    /// Counted form id.
    term: u32,
    /// Exact form id.
    form: u32,
    /// Neither begins nor ends an n-gram.
    dropped: bool,
}

/// One word of a document: its document, its position (with [`TEXT_FIELD`] for `text`)
/// and its [`Word`] id.
#[derive(Clone, Copy)]
struct Posting {
    doc: DocId,
    position: u32,
    word: u32,
}

/// One segment's counted windows.
struct SegmentWindows {
    words: Vec<Word>,
    groups: SegmentGroups,
    /// The [`Vocabulary`] group id of each of the segment's group numbers.
    group: Vec<u32>,
    /// Runs of windows, each sorted by part.
    windows: Vec<PartedWindows>,
}

/// Windows sorted by part, with where each part starts.
struct PartedWindows {
    windows: Vec<Window>,
    starts: Vec<u32>,
}

impl PartedWindows {
    fn part(&self, part: usize) -> &[Window] {
        &self.windows[self.starts[part] as usize..self.starts[part + 1] as usize]
    }
}

/// Work parts for rayon: a few per thread.
fn chunk_len(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads().max(1) * 4).max(1)
}

/// Every position of the subset's documents, from the postings of every token, appended to
/// the block of its document: per block, the lists of all work parts.
fn postings_by_block(
    inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>; 2],
    tokens: &[(u8, TermInfo, u32)],
    groups: &SegmentGroups,
    max_doc: DocId,
) -> Result<Vec<Vec<Vec<Posting>>>, SearchError> {
    let blocks = (max_doc as usize).div_ceil(BLOCK_DOCS);
    // Positions per posted document, over the subset's share of the documents: each block's
    // list is sized once from its terms' document frequencies (growing the lists copied
    // every position about once more).
    let positions: u64 = inverted.iter().map(|i| i.total_num_tokens()).sum();
    let doc_freqs: u64 = tokens
        .iter()
        .map(|(_, info, _)| u64::from(info.doc_freq))
        .sum();
    let inside = groups.doc_group.iter().filter(|&&g| g != OUTSIDE).count();
    let per_doc_freq = positions as f64 / doc_freqs.max(1) as f64 * inside as f64
        / groups.doc_group.len().max(1) as f64;
    let per_part = tokens
        .par_chunks(chunk_len(tokens.len()))
        .map(|part| -> Result<Vec<Vec<Posting>>, SearchError> {
            let doc_freqs: u64 = part
                .iter()
                .map(|(_, info, _)| u64::from(info.doc_freq))
                .sum();
            let expected = (doc_freqs as f64 * per_doc_freq * 1.2 / blocks as f64) as usize;
            let mut out: Vec<Vec<Posting>> =
                (0..blocks).map(|_| Vec::with_capacity(expected)).collect();
            let mut positions = Vec::new();
            for (field, info, word) in part {
                let field_bit = if *field == 0 { 0 } else { TEXT_FIELD };
                let mut postings = inverted[*field as usize]
                    .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if groups.contains(doc) {
                        positions.clear();
                        postings.positions(&mut positions);
                        let block = &mut out[doc as usize / BLOCK_DOCS];
                        // A position that does not fit beside the field bit cannot be a
                        // word's; it is left out as a hole.
                        block.extend(positions.iter().filter(|&&p| p < TEXT_FIELD).map(|&p| {
                            Posting {
                                doc,
                                position: p | field_bit,
                                word: *word,
                            }
                        }));
                    }
                    doc = postings.advance();
                }
            }
            Ok(out)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Transposed: per block, the parts' lists.
    let mut by_block: Vec<Vec<Vec<Posting>>> = (0..blocks).map(|_| Vec::new()).collect();
    for part in per_part {
        for (block, list) in part.into_iter().enumerate() {
            if !list.is_empty() {
                by_block[block].push(list);
            }
        }
    }
    Ok(by_block)
}

/// Rebuilds each block's documents from their postings and collects their counted windows,
/// sorted by part; with the number of counted windows per document of the segment.
fn windows_of(
    blocks: Vec<Vec<Vec<Posting>>>,
    words: &[Word],
    n: usize,
    terms: &Interner,
    groups: &SegmentGroups,
    held: &[bool],
) -> (Vec<PartedWindows>, Vec<u64>) {
    let max_doc = groups.doc_group.len();
    let hashes: Vec<u64> = terms.strings.iter().map(|t| text_hash(t)).collect();
    let part_of = |window: &[u32]| -> usize {
        part_of_hashes(
            window
                .iter()
                .map(|&w| hashes[words[w as usize].term as usize]),
        )
    };
    let results: Vec<(PartedWindows, Vec<(DocId, u64)>)> = blocks
        .par_chunks(chunk_len(blocks.len()))
        .enumerate()
        .map(|(chunk, these)| {
            let first_block = chunk * chunk_len(blocks.len());
            let mut found: Vec<(u16, Window)> = Vec::new();
            let mut tokens = Vec::new();
            let mut slots = Vec::new();
            let mut lengths = vec![[0usize; 2]; BLOCK_DOCS];
            for (b, lists) in these.iter().enumerate() {
                let base = (first_block + b) * BLOCK_DOCS;
                // Words per document and field: one past the last position.
                lengths.iter_mut().for_each(|l| *l = [0, 0]);
                for posting in lists.iter().flatten() {
                    let field = (posting.position >> 31) as usize;
                    let p = (posting.position & !TEXT_FIELD) as usize;
                    let length = &mut lengths[posting.doc as usize - base][field];
                    *length = (*length).max(p + 1);
                }
                // Each document's title, a hole, its text, a hole.
                let mut starts = [[0usize; 2]; BLOCK_DOCS + 1];
                let mut size = 0;
                for (d, length) in lengths.iter().enumerate() {
                    starts[d] = [size, size + length[0] + 1];
                    size += length[0] + length[1] + 2;
                }
                starts[BLOCK_DOCS] = [size, size];
                slots.clear();
                slots.resize(size, HOLE);
                for posting in lists.iter().flatten() {
                    let field = (posting.position >> 31) as usize;
                    let p = (posting.position & !TEXT_FIELD) as usize;
                    slots[starts[posting.doc as usize - base][field] + p] = posting.word;
                }
                for d in 0..BLOCK_DOCS.min(max_doc.saturating_sub(base)) {
                    let doc = (base + d) as DocId;
                    if !groups.contains(doc) {
                        continue;
                    }
                    let mut counted = 0u64;
                    for window in slots[starts[d][0]..starts[d + 1][0]].windows(n) {
                        if window.contains(&HOLE)
                            || words[window[0] as usize].dropped
                            || words[window[n - 1] as usize].dropped
                        {
                            continue;
                        }
                        counted += 1;
                        let part = part_of(window);
                        if held[part] {
                            let mut entry = [HOLE, HOLE, HOLE, doc];
                            entry[..n].copy_from_slice(window);
                            found.push((part as u16, entry));
                        }
                    }
                    tokens.push((doc, counted));
                }
            }
            (sorted_by_part(found), tokens)
        })
        .collect();
    let mut doc_tokens = vec![0u64; max_doc];
    let mut windows = Vec::with_capacity(results.len());
    for (parted, tokens) in results {
        for (doc, t) in tokens {
            doc_tokens[doc as usize] = t;
        }
        windows.push(parted);
    }
    (windows, doc_tokens)
}

/// Windows sorted by part (a counting sort, keeping their order within a part).
fn sorted_by_part(found: Vec<(u16, Window)>) -> PartedWindows {
    let mut starts = vec![0u32; PARTS + 1];
    for &(part, _) in &found {
        starts[part as usize + 1] += 1;
    }
    for part in 0..PARTS {
        starts[part + 1] += starts[part];
    }
    let mut next = starts.clone();
    let mut windows = vec![[0u32; 4]; found.len()];
    for (part, window) in found {
        let at = &mut next[part as usize];
        windows[*at as usize] = window;
        *at += 1;
    }
    PartedWindows { windows, starts }
}

/// The part of an n-gram whose words' counted forms have these [`text_hash`]es.
fn part_of_hashes(hashes: impl Iterator<Item = u64>) -> usize {
    let mut h: u64 = 0x2545_f491_4f6c_dd1d;
    for hash in hashes {
        h = (h.rotate_left(23) ^ hash).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    ((h ^ (h >> 29)) >> (64 - PARTS.trailing_zeros())) as usize
}

fn text_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = crate::fasthash::FastHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// The counts of one n-gram in one group, by ids.
struct GroupDetail {
    group: u32,
    freq: u64,
    docs: u64,
    /// The last document counted (segment, document), so each counts once.
    last: (usize, DocId),
    /// (outlet number, occurrences): an n-gram has few outlets, so a list beats a map.
    by_outlet: Vec<(u32, u64)>,
    /// (exact forms, occurrences).
    forms: Vec<(Key, u64)>,
}

impl CountedWindows {
    /// Counts one part's n-grams over every segment: totals first, then the counts of those
    /// that `keep` (given the n-gram's counted-form ids and its total) holds, with `detail`, as
    /// (group, n-gram, count).
    fn count_part(
        &self,
        part: usize,
        keep: &(dyn Fn(&Key, u64) -> bool + Sync),
        what: Detail,
    ) -> Vec<(u32, String, TermCount)> {
        let (segments, vocabulary) = (&self.segments, &self.vocabulary);
        let key_of = |words: &[Word], window: &Window| -> Key {
            let mut key = [HOLE; 3];
            for (k, &w) in window[..3].iter().enumerate() {
                if w != HOLE {
                    key[k] = words[w as usize].term;
                }
            }
            key
        };
        let windows: usize = segments
            .iter()
            .flat_map(|s| &s.windows)
            .map(|run| run.part(part).len())
            .sum();
        // Sized for the worst case (every window a new n-gram): growing the map rehashed it
        // several times per part.
        let mut ids: FastMap<Key, u32> =
            FastMap::with_capacity_and_hasher(windows, Default::default());
        let mut keys: Vec<Key> = Vec::with_capacity(windows);
        let mut totals: Vec<u64> = Vec::with_capacity(windows);
        let mut slots: Vec<u32> = Vec::with_capacity(windows);
        for segment in segments {
            for run in &segment.windows {
                for window in run.part(part) {
                    let key = key_of(&segment.words, window);
                    let id = *ids.entry(key).or_insert_with(|| {
                        keys.push(key);
                        totals.push(0);
                        keys.len() as u32 - 1
                    });
                    totals[id as usize] += 1;
                    slots.push(id);
                }
            }
        }
        let kept: Vec<bool> = keys
            .iter()
            .zip(&totals)
            .map(|(key, &total)| keep(key, total))
            .collect();
        // Per kept n-gram, its groups' details.
        let mut details: Vec<Vec<GroupDetail>> = (0..keys.len()).map(|_| Vec::new()).collect();
        let mut slot = slots.iter();
        for (s, segment) in segments.iter().enumerate() {
            for run in &segment.windows {
                for window in run.part(part) {
                    let id = *slot.next().expect("one slot per window") as usize;
                    if !kept[id] {
                        continue;
                    }
                    let doc = window[3];
                    let local_group = segment.groups.doc_group[doc as usize];
                    let group = segment.group[local_group as usize];
                    let list = &mut details[id];
                    let detail = match list.iter().position(|d| d.group == group) {
                        Some(i) => &mut list[i],
                        None => {
                            list.push(GroupDetail {
                                group,
                                freq: 0,
                                docs: 0,
                                last: (usize::MAX, 0),
                                by_outlet: Vec::new(),
                                forms: Vec::new(),
                            });
                            list.last_mut().expect("just pushed")
                        }
                    };
                    detail.freq += 1;
                    if detail.last != (s, doc) {
                        detail.last = (s, doc);
                        detail.docs += 1;
                    }
                    if what.outlets {
                        add_one(&mut detail.by_outlet, segment.groups.outlet(doc));
                    }
                    if what.forms {
                        let mut form = [HOLE; 3];
                        for (k, &w) in window[..3].iter().enumerate() {
                            if w != HOLE {
                                form[k] = segment.words[w as usize].form;
                            }
                        }
                        add_one(&mut detail.forms, form);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (id, list) in details.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let term = join(&keys[id], &vocabulary.terms);
            for detail in list {
                let count = TermCount {
                    freq: detail.freq,
                    docs: detail.docs,
                    by_outlet: detail.by_outlet.into_iter().collect::<Counter<u32>>(),
                    forms: detail
                        .forms
                        .iter()
                        .map(|(form, k)| (join(form, &vocabulary.forms), *k))
                        .collect(),
                };
                out.push((detail.group, term.clone(), count));
            }
        }
        out
    }
}

/// Adds one occurrence of `key` to a short list of counts.
fn add_one<K: PartialEq>(list: &mut Vec<(K, u64)>, key: K) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => list.push((key, 1)),
    }
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
