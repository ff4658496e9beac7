//! N-gram counts from the index's positions (issue 15): the subset's documents per segment
//! in, the same [`TermCounts`] as [`TermExtractor::terms`] over every stored text out,
//! without reading a text.
//!
//! The index holds every word as one token at its position, with a hole where a sentence
//! ends (see [`crate::analysis::tokenizer`]). Per segment, the term dictionaries of `title`
//! and `text` are walked once and every token numbered with its counted form, exact form
//! and whether it is dropped; the token sequence of each document is rebuilt from the
//! postings' positions (one `u32` per word, sentence ends as holes), and n-grams are the
//! windows without a hole whose first and last words are not dropped — the rule of
//! [`TermExtractor::terms`].
//!
//! Counting every distinct n-gram of a large corpus with its forms and outlets is what made
//! n-grams explode in memory. When the caller only needs n-grams seen at least `min_total`
//! times over all groups (keyness tests nothing rarer), a first pass adds every n-gram's
//! hash into a fixed-size array of saturating counters (a count sketch: a bucket's count is
//! at least that of every n-gram hashed into it), and the second pass counts exactly only
//! the n-grams whose bucket reached `min_total`. An n-gram seen `min_total` times always
//! does, so every n-gram the caller needs is counted exactly; a few rarer ones sharing a
//! bucket with frequent ones are counted too, which changes nothing the caller shows.

use std::hash::Hasher;
use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};

use rayon::prelude::*;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentOrdinal, TERMINATED};

use crate::fasthash::{FastHasher, FastMap};
use crate::index::Index;
use crate::search::SearchError;
use crate::stats::counts::{OutletNumbers, TermCount, TermCounts, TermExtractor};
use crate::stats::postings::{
    for_each_token, pass_over, subset_docs, title_and_text, Interner, SegmentGroups,
};
use crate::stats::progress;
use crate::stats::scan::{GroupBy, Subset};

/// A slot without a word: a sentence end, or the end of a field or document.
const HOLE: u32 = u32::MAX;

/// Up to three ids (counted forms or exact forms) of an n-gram; unused ones are [`HOLE`].
type Key = [u32; 3];

/// Counts the `extractor`'s n-grams (size 2 or 3) in `subset`'s documents grouped `by`,
/// from the index's positions. With `min_total` above 1, n-grams seen fewer times than that
/// over all groups may be left out (see the module docs); every other count is exact.
pub fn count_ngrams(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
    min_total: u64,
) -> Result<TermCounts, SearchError> {
    let n = extractor.ngram_size().clamp(2, 3);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut segments = Vec::new();
    let subset_segments = subset_docs(index, &searcher, subset)?;
    pass_over(&subset_segments);
    for (segment_ord, docs) in subset_segments {
        let documents = docs.len() as u64;
        segments.push(SegmentText::read(
            &searcher,
            segment_ord,
            docs,
            by,
            extractor,
            outlets,
        )?);
        progress::advanced(documents);
    }
    let sketch = (min_total > 1).then(|| Sketch::build(&segments, n));
    let threshold = min_total.min(u64::from(u8::MAX)) as u8;
    let mut total = TermCounts::default();
    for segment in segments {
        let keep = |key_hash: u64| sketch.as_ref().is_none_or(|s| s.get(key_hash) >= threshold);
        total.merge(segment.count(n, &keep));
    }
    Ok(total)
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

/// One segment's subset as word sequences.
struct SegmentText {
    groups: SegmentGroups,
    docs: Vec<DocId>,
    words: Vec<Word>,
    terms: Interner,
    forms: Interner,
    /// Hash of each counted form's text (the same in every segment).
    term_hash: Vec<u64>,
    /// Every document's words in order, `docs` after each other: title, hole, text, hole,
    /// with one hole at each sentence end.
    sequence: Vec<u32>,
    /// Where each of `docs` starts in `sequence`, and one past the last.
    starts: Vec<usize>,
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

impl SegmentText {
    fn read(
        searcher: &Searcher,
        segment_ord: SegmentOrdinal,
        docs: Vec<DocId>,
        by: GroupBy,
        extractor: &TermExtractor,
        outlets: &OutletNumbers,
    ) -> Result<SegmentText, SearchError> {
        let segment = searcher.segment_reader(segment_ord);
        let max_doc = segment.max_doc() as usize;
        let groups = SegmentGroups::new(segment, &docs, by, outlets)?;
        let inverted = title_and_text(searcher, segment)?;

        // Every token of both fields, numbered.
        let (mut terms, mut forms) = (Interner::default(), Interner::default());
        let mut words = Vec::new();
        let mut tokens: [Vec<(TermInfo, u32)>; 2] = [Vec::new(), Vec::new()];
        for_each_token(&inverted, |field, term, exact, info| {
            let (counted, dropped) = extractor.counted_word(exact, term);
            tokens[field as usize].push((info.clone(), words.len() as u32));
            words.push(Word {
                term: terms.id(counted),
                form: forms.id(exact),
                dropped,
            });
        })?;
        let term_hash = terms.strings.iter().map(|t| text_hash(t)).collect();

        // Words per document and field, then a region of twice that per field: a field of
        // `len` words has at most `len - 1` holes, so its positions stay below `2 len - 1`
        // and its region ends with a hole.
        let lengths = field_lengths(&inverted, &tokens, &groups, max_doc)?;
        let mut region = vec![[0usize; 2]; max_doc];
        let mut size = 0usize;
        for &doc in &docs {
            for field in 0..2 {
                region[doc as usize][field] = size;
                size += 2 * lengths[field][doc as usize] as usize;
            }
        }
        let slots: Vec<AtomicU32> = (0..size).map(|_| AtomicU32::new(HOLE)).collect();
        let all: Vec<(usize, &(TermInfo, u32))> = tokens
            .iter()
            .enumerate()
            .flat_map(|(field, list)| list.iter().map(move |t| (field, t)))
            .collect();
        all.par_chunks(chunk_len(all.len()))
            .try_for_each(|part| -> Result<(), SearchError> {
                let mut positions = Vec::new();
                for &(field, (info, word)) in part {
                    let mut postings = inverted[field]
                        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
                        .map_err(tantivy::TantivyError::from)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        if groups.contains(doc) {
                            positions.clear();
                            postings.positions(&mut positions);
                            let start = region[doc as usize][field];
                            let end = 2 * lengths[field][doc as usize] as usize;
                            // A position past the region would mean words the dictionary
                            // walk did not see; such a word is left out as a hole.
                            for &p in positions.iter().filter(|&&p| (p as usize) < end) {
                                slots[start + p as usize].store(*word, Ordering::Relaxed);
                            }
                        }
                        doc = postings.advance();
                    }
                }
                Ok(())
            })?;

        // One hole for each run of holes.
        let mut sequence = Vec::with_capacity(size / 2 + 2 * docs.len());
        let mut last = HOLE;
        for slot in slots {
            let slot = slot.into_inner();
            if slot != HOLE || last != HOLE {
                sequence.push(slot);
            }
            last = slot;
        }
        let starts = document_starts(&sequence, &docs, &lengths);
        Ok(SegmentText {
            groups,
            docs,
            words,
            terms,
            forms,
            term_hash,
            sequence,
            starts,
        })
    }

    /// The n-gram windows of document `i` (by index into `docs`) that count: every word in
    /// place, the first and last not dropped.
    fn windows(&self, i: usize, n: usize) -> impl Iterator<Item = &[u32]> + '_ {
        self.sequence[self.starts[i]..self.starts[i + 1]]
            .windows(n)
            .filter(move |w| {
                !w.contains(&HOLE)
                    && !self.words[w[0] as usize].dropped
                    && !self.words[w[n - 1] as usize].dropped
            })
    }

    /// The hash of a window's counted forms (the same n-gram hashes alike in every segment).
    fn window_hash(&self, window: &[u32]) -> u64 {
        let mut h: u64 = 0x2545_f491_4f6c_dd1d;
        for &w in window {
            h = (h.rotate_left(23) ^ self.term_hash[self.words[w as usize].term as usize])
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        h ^ (h >> 29)
    }

    /// Counts the windows whose hash `keep` accepts; every window counts as a token.
    fn count(self, n: usize, keep: &(dyn Fn(u64) -> bool + Sync)) -> TermCounts {
        let indices: Vec<usize> = (0..self.docs.len()).collect();
        // One part per thread: each part's maps hold most of the segment's n-grams, and
        // parts merge by ids (cheap); strings are made once per segment.
        let parts = rayon::current_num_threads().max(1);
        let merged = indices
            .par_chunks(indices.len().div_ceil(parts).max(1))
            .map(|part| self.count_part(part, n, keep))
            .reduce_with(|mut a, b| {
                a.merge(b);
                a
            })
            .unwrap_or_default();
        let mut doc_tokens = vec![0u64; self.groups.doc_group.len()];
        for &(doc, t) in &merged.tokens {
            doc_tokens[doc as usize] = t;
        }
        let mut by_group: FastMap<(Key, u32), TermCount> = FastMap::default();
        for ((key, group, outlet), (freq, docs)) in merged.counts {
            let count = by_group.entry((key, group)).or_default();
            count.freq += freq;
            count.docs += docs;
            count.by_outlet.add(outlet, freq);
        }
        for ((key, group, form), k) in merged.forms {
            if let Some(count) = by_group.get_mut(&(key, group)) {
                count.forms.insert(join(&form, &self.forms), k);
            }
        }
        let mut counts = TermCounts::default();
        for ((key, group), count) in by_group {
            let group_counts = counts.group_mut(&self.groups.groups[group as usize]);
            group_counts.terms.insert(join(&key, &self.terms), count);
        }
        self.groups
            .add_documents(&mut counts, &self.docs, &doc_tokens);
        counts
    }

    fn count_part(
        &self,
        part: &[usize],
        n: usize,
        keep: &(dyn Fn(u64) -> bool + Sync),
    ) -> IdCounts {
        let mut out = IdCounts::default();
        out.tokens.reserve(part.len());
        let mut found: Vec<(Key, Key)> = Vec::new();
        for &i in part {
            let doc = self.docs[i];
            found.clear();
            let mut windows = 0u64;
            for window in self.windows(i, n) {
                windows += 1;
                if !keep(self.window_hash(window)) {
                    continue;
                }
                let (mut key, mut form) = ([HOLE; 3], [HOLE; 3]);
                for (k, &w) in window.iter().enumerate() {
                    key[k] = self.words[w as usize].term;
                    form[k] = self.words[w as usize].form;
                }
                found.push((key, form));
            }
            out.tokens.push((doc, windows));
            found.sort_unstable();
            let group = self.groups.doc_group[doc as usize];
            let outlet = self.groups.outlet(doc);
            for same in found.chunk_by(|a, b| a.0 == b.0) {
                let key = same[0].0;
                let count = out.counts.entry((key, group, outlet)).or_default();
                count.0 += same.len() as u64;
                count.1 += 1;
                for same_form in same.chunk_by(|a, b| a.1 == b.1) {
                    *out.forms.entry((key, group, same_form[0].1)).or_default() +=
                        same_form.len() as u64;
                }
            }
        }
        out
    }
}

/// Counts of one segment's n-grams by ids, in flat maps (no allocation per n-gram).
#[derive(Default)]
struct IdCounts {
    /// (n-gram, group, outlet) → (occurrences, documents).
    counts: FastMap<(Key, u32, u32), (u64, u64)>,
    /// (n-gram, group, exact forms) → occurrences.
    forms: FastMap<(Key, u32, Key), u64>,
    /// Counted n-grams per document.
    tokens: Vec<(DocId, u64)>,
}

impl IdCounts {
    fn merge(&mut self, other: IdCounts) {
        self.tokens.extend(other.tokens);
        for (key, (freq, docs)) in other.counts {
            let mine = self.counts.entry(key).or_default();
            mine.0 += freq;
            mine.1 += docs;
        }
        for (key, k) in other.forms {
            *self.forms.entry(key).or_default() += k;
        }
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

/// Work parts for rayon: a few per thread.
fn chunk_len(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads().max(1) * 4).max(1)
}

/// Words per document of the segment, per field (0 = title, 1 = text), for the subset's
/// documents.
fn field_lengths(
    inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>; 2],
    tokens: &[Vec<(TermInfo, u32)>; 2],
    groups: &SegmentGroups,
    max_doc: usize,
) -> Result<[Vec<u32>; 2], SearchError> {
    let mut lengths = [vec![0u32; max_doc], vec![0u32; max_doc]];
    for field in 0..2 {
        let part_lengths = tokens[field]
            .par_chunks(chunk_len(tokens[field].len()))
            .map(|part| -> Result<Vec<u32>, SearchError> {
                let mut lengths = vec![0u32; max_doc];
                for (info, _) in part {
                    let mut postings = inverted[field]
                        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
                        .map_err(tantivy::TantivyError::from)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        if groups.contains(doc) {
                            lengths[doc as usize] += postings.term_freq();
                        }
                        doc = postings.advance();
                    }
                }
                Ok(lengths)
            })
            .collect::<Result<Vec<_>, _>>()?;
        for part in part_lengths {
            for (total, n) in lengths[field].iter_mut().zip(part) {
                *total += n;
            }
        }
    }
    Ok(lengths)
}

/// Document starts in the compacted sequence. Each non-empty field region ends with at
/// least one hole and compacts to its words, its sentence holes and one final hole; a
/// document's span ends after its last non-empty region's hole.
fn document_starts(sequence: &[u32], docs: &[DocId], lengths: &[Vec<u32>; 2]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(docs.len() + 1);
    let mut at = 0usize;
    for &doc in docs {
        starts.push(at);
        for field in lengths {
            let mut words = field[doc as usize] as usize;
            if words == 0 {
                continue;
            }
            // Walk the field's words; holes between them are sentence ends, and the first
            // hole after the last word ends the field.
            while words > 0 {
                if sequence[at] != HOLE {
                    words -= 1;
                }
                at += 1;
            }
            debug_assert_eq!(sequence.get(at), Some(&HOLE));
            at += 1;
        }
    }
    starts.push(at);
    starts
}

/// Saturating counts of n-gram hashes over all segments (see the module docs).
struct Sketch {
    counts: Vec<AtomicU8>,
    shift: u32,
}

impl Sketch {
    fn build(segments: &[SegmentText], n: usize) -> Sketch {
        // About one bucket per word, between 64 Ki and 128 Mi buckets (128 MB).
        let words: usize = segments.iter().map(|s| s.sequence.len()).sum();
        let bits = words.next_power_of_two().trailing_zeros().clamp(16, 27);
        let sketch = Sketch {
            counts: (0..1usize << bits).map(|_| AtomicU8::new(0)).collect(),
            shift: 64 - bits,
        };
        for segment in segments {
            let indices: Vec<usize> = (0..segment.docs.len()).collect();
            indices
                .par_chunks(chunk_len(indices.len()))
                .for_each(|part| {
                    for &i in part {
                        for window in segment.windows(i, n) {
                            let bucket = &sketch.counts
                                [(segment.window_hash(window) >> sketch.shift) as usize];
                            let _ =
                                bucket.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
                                    c.checked_add(1)
                                });
                        }
                    }
                });
        }
        sketch
    }

    fn get(&self, hash: u64) -> u8 {
        self.counts[(hash >> self.shift) as usize].load(Ordering::Relaxed)
    }
}
