//! A segment's postings into document order, and documents into counted windows: the two
//! reorderings of n-gram counting, each partitioned so that its writes stay in cache.

use rayon::prelude::*;
use std::ops::ControlFlow;
use std::ops::Range;
use tantivy::directory::error::OpenReadError;
use tantivy::directory::{CompositeFile, FileSlice};
use tantivy::index::SegmentComponent;
use tantivy::positions::PositionReader;
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::DocId;

use super::spill::Spill;
use super::{part_of_terms, BLOCK_DOCS, DROPPED, HOLE, PARTS, POSITION_LIMIT};
use crate::index::schema;
use crate::search::SearchError;
use crate::stats::postings::{for_each_block, SegmentGroups, OUTSIDE};

/// One word of a block's document, in 8 bytes (12 with the document whole were a third more
/// to write and read twice): where it is, as the document within the block, the field (1 for
/// `text`) and the position in [`POSITION_BITS`] bits; and its word id (with [`DROPPED`] for
/// a dropped word). A word at a position beyond those bits is a [`WidePosting`].
#[derive(Clone, Copy)]
pub(super) struct Posting {
    place: u32,
    word: u32,
}

/// Bits of a [`Posting`]'s place for the position: the field's bit is above them, and the
/// document within its block above that.
const POSITION_BITS: u32 = 23;

const _: () = assert!(BLOCK_DOCS <= 1 << (31 - POSITION_BITS));

impl Posting {
    /// The word `word` at `position` of `field` in the block's document `doc_in_block`, when
    /// the position fits.
    #[inline]
    fn new(doc_in_block: usize, field: usize, position: u32, word: u32) -> Option<Posting> {
        (position < 1 << POSITION_BITS).then_some(Posting {
            place: (doc_in_block as u32) << (POSITION_BITS + 1)
                | (field as u32) << POSITION_BITS
                | position,
            word,
        })
    }

    /// The document within its block, the field and the position.
    #[inline]
    fn place(self) -> (usize, usize, usize) {
        let place = self.place as usize;
        (
            place >> (POSITION_BITS + 1),
            place >> POSITION_BITS & 1,
            place & ((1 << POSITION_BITS) - 1),
        )
    }
}

/// A word at a position too far for a [`Posting`] (a document of millions of words).
pub(super) struct WidePosting {
    doc: DocId,
    field: usize,
    position: u32,
    word: u32,
}

/// Windows sorted by part, with where each part starts: each window as its n word ids and
/// its document, `n + 1` numbers (a bigram in 12 bytes, not a trigram's 16: the windows are
/// the largest list an n-gram count holds, and written once into fresh memory).
#[derive(Default)]
pub(super) struct PartedWindows {
    words: Vec<u32>,
    /// Numbers per window: n + 1.
    stride: usize,
    starts: Vec<u32>,
}

impl PartedWindows {
    /// Windows sorted by part, `stride` numbers each, part `p` from window `starts[p]` to
    /// window `starts[p + 1]`.
    pub(super) fn new(words: Vec<u32>, stride: usize, starts: Vec<u32>) -> PartedWindows {
        debug_assert_eq!(words.len() % stride.max(1), 0);
        PartedWindows {
            words,
            stride,
            starts,
        }
    }

    /// The windows of `part` (none in an empty run), each its words then its document.
    pub(super) fn part(&self, part: usize) -> std::slice::ChunksExact<'_, u32> {
        let stride = self.stride.max(1);
        if self.starts.is_empty() {
            return [].chunks_exact(stride);
        }
        let (start, end) = (self.starts[part] as usize, self.starts[part + 1] as usize);
        self.words[start * stride..end * stride].chunks_exact(stride)
    }
}

/// Where a segment's counted windows go: kept in memory, or written to a [`Spill`] as the
/// segment with this number.
pub(super) enum Sink<'a> {
    Memory,
    Spill(&'a Spill, u32),
}

/// A chunk of blocks' windows in memory, and each document's number of counted windows.
type ChunkWindows = (PartedWindows, Vec<(DocId, u64)>);

/// Work parts for rayon: a few per thread.
fn chunk_len(len: usize) -> usize {
    len.div_ceil(rayon::current_num_threads().max(1) * 4).max(1)
}

/// `tokens` in a few work parts per thread, each with about as many postings (document
/// frequencies): parts of as many tokens left the part with the most frequent words to run
/// alone at the end.
fn work_parts(tokens: &[(u8, TermInfo, u32)]) -> Vec<&[(u8, TermInfo, u32)]> {
    let total: u64 = tokens
        .iter()
        .map(|(_, info, _)| u64::from(info.doc_freq))
        .sum();
    let parts = (rayon::current_num_threads().max(1) * 4) as u64;
    let per_part = total.div_ceil(parts).max(1);
    let mut work = Vec::new();
    let (mut start, mut sum) = (0, 0u64);
    for (i, (_, info, _)) in tokens.iter().enumerate() {
        sum += u64::from(info.doc_freq);
        if sum >= per_part {
            work.push(&tokens[start..=i]);
            (start, sum) = (i + 1, 0);
        }
    }
    if start < tokens.len() {
        work.push(&tokens[start..]);
    }
    work
}

/// Lists kept from segment to segment (and range to range) and refilled: postings per work
/// part and block, what each chunk of blocks is rebuilt in. Memory the process has written
/// before is written again without the system zeroing fresh pages for it, which took a third
/// of the n-gram counting time when every segment allocated its lists anew.
#[derive(Default)]
pub(super) struct Lists {
    /// Per work part, per block, its postings.
    postings: Vec<Vec<Vec<Posting>>>,
    /// Per work part, its words too far into a document for a [`Posting`] (almost always
    /// none).
    wide: Vec<Vec<WidePosting>>,
    /// Per work part, per document of the range, one past the last position of its words
    /// in title and in text (the range's documents' lengths are the greatest of any part).
    lengths: Vec<Vec<[u32; 2]>>,
    /// Per chunk of blocks, its rebuilt documents.
    chunks: Vec<Rebuilt>,
}

/// A chunk of blocks' documents rebuilt as word slots, with the part of each counted window:
/// counted first, so that the windows are then placed straight into their parts (a list of
/// every window with its part, sorted by part afterwards, was written and read once more).
#[derive(Default)]
struct Rebuilt {
    /// Every block's slots, one block after the other.
    slots: Vec<u32>,
    /// Each document of the subset: its number and its slots in `slots`.
    docs: Vec<(DocId, Range<usize>)>,
    /// The part of each counted window, in document order.
    parts: Vec<u16>,
}

/// The positions of `title` and `text` in `segment`: read here a block of documents at a
/// time (stepping a [`tantivy::postings::SegmentPostings`] decoded them document by document,
/// summing the block's frequencies again for each).
pub(super) fn position_files(
    searcher: &tantivy::Searcher,
    segment: &tantivy::SegmentReader,
) -> tantivy::Result<[FileSlice; 2]> {
    let schema = searcher.schema();
    // As tantivy opens them: a segment without any positions has no file for them.
    let composite = match segment.open_read(SegmentComponent::Positions) {
        Ok(file) => CompositeFile::open(&file)?,
        Err(OpenReadError::FileDoesNotExist(_)) => CompositeFile::empty(),
        Err(error) => return Err(error.into()),
    };
    // A field no document of the segment has (a segment of broadcasts without titles) has
    // no positions, and no token to read them for.
    let file = |name: &str| -> tantivy::Result<FileSlice> {
        let field = schema.get_field(name)?;
        Ok(composite.open_read(field).unwrap_or_else(FileSlice::empty))
    };
    Ok([file(schema::TITLE)?, file(schema::TEXT)?])
}

/// Every position of the subset's documents in `docs` (which begins at a block's first
/// document), from the postings of every token, appended to the block of its document, in
/// `lists` (per work part, per block from the first of `docs`); the number of blocks.
/// `all_doc_freqs` is the sum of the document frequencies of every token of the
/// dictionaries, read or not.
pub(super) fn postings_by_block(
    inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>; 2],
    position_files: &[FileSlice; 2],
    tokens: &[(u8, TermInfo, u32)],
    all_doc_freqs: u64,
    groups: &SegmentGroups,
    docs: Range<DocId>,
    lists: &mut Lists,
) -> Result<usize, SearchError> {
    debug_assert_eq!(docs.start as usize % BLOCK_DOCS, 0);
    let first_doc = docs.start as usize;
    let blocks = (docs.end as usize - first_doc).div_ceil(BLOCK_DOCS);
    // Positions per posted document, over the subset's share of the documents: each block's
    // list is sized once from its terms' document frequencies (growing the lists copied
    // every position about once more). The mean is over every token: over the tokens read
    // alone (no stopwords for bigrams) it counted the stopwords' many positions as theirs,
    // and the lists reserved twice what they held (resident all the same, in huge pages).
    let positions: u64 = inverted.iter().map(|i| i.total_num_tokens()).sum();
    let doc_freqs = all_doc_freqs;
    let inside = groups.doc_group.iter().filter(|&&g| g != OUTSIDE).count();
    let per_doc_freq = positions as f64 / doc_freqs.max(1) as f64 * inside as f64
        / groups.doc_group.len().max(1) as f64
        * blocks as f64
        / groups.doc_group.len().div_ceil(BLOCK_DOCS).max(1) as f64;
    let work = work_parts(tokens);
    let parts = work.len();
    lists.postings.resize_with(parts, Vec::new);
    lists.postings.truncate(parts);
    lists.lengths.resize_with(parts, Vec::new);
    lists.lengths.truncate(parts);
    lists.wide.resize_with(parts, Vec::new);
    lists.wide.truncate(parts);
    let outputs = lists
        .postings
        .par_iter_mut()
        .zip(lists.lengths.par_iter_mut());
    work.into_par_iter()
        .zip(outputs.zip(lists.wide.par_iter_mut()))
        .try_for_each(
            |(part, ((out, lengths), wide))| -> Result<(), SearchError> {
                let doc_freqs: u64 = part
                    .iter()
                    .map(|(_, info, _)| u64::from(info.doc_freq))
                    .sum();
                let expected = (doc_freqs as f64 * per_doc_freq * 1.1 / blocks as f64) as usize;
                out.resize_with(blocks, Vec::new);
                out.truncate(blocks);
                for list in out.iter_mut() {
                    list.clear();
                    list.reserve(expected);
                }
                lengths.clear();
                lengths.resize(blocks * BLOCK_DOCS, [0, 0]);
                wide.clear();
                let mut deltas = Vec::new();
                // Done with a token once a block reaches the range's last document.
                let past_range = |block_docs: &[DocId]| match block_docs.last() {
                    Some(&doc) if doc + 1 < docs.end => ControlFlow::Continue(()),
                    _ => ControlFlow::Break(()),
                };
                let wanted = |doc: DocId| docs.contains(&doc) && groups.contains(doc);
                let mut output = PartOutput {
                    postings: out,
                    lengths,
                    wide,
                };
                for &(field, ref info, word) in part {
                    let field = field as usize;
                    let mut reader = position_files[field]
                        .read_bytes_slice(info.positions_range.clone())
                        .and_then(PositionReader::open)
                        .map_err(tantivy::TantivyError::from)?;
                    // Where the positions of the block's first document begin in the token's.
                    let mut offset = 0u64;
                    for_each_block(
                        &inverted[field],
                        info,
                        IndexRecordOption::WithFreqs,
                        |block_docs, freqs| {
                            let (total, span) = wanted_span(block_docs, freqs, wanted);
                            if let Some(WantedSpan {
                                docs: within,
                                positions,
                            }) = span
                            {
                                // The positions of the wanted documents, decoded at once:
                                // each document's are deltas from 0.
                                deltas.resize((positions.end - positions.start) as usize, 0);
                                reader.read(offset + positions.start, &mut deltas);
                                let mut at = 0;
                                for (&doc, &freq) in
                                    block_docs[within.clone()].iter().zip(&freqs[within])
                                {
                                    let these = &deltas[at..at + freq as usize];
                                    at += freq as usize;
                                    if wanted(doc) {
                                        let d = doc as usize - first_doc;
                                        output.place((doc, d), field, word, these);
                                    }
                                }
                            }
                            offset += total;
                            past_range(block_docs)
                        },
                    )?;
                }
                Ok(())
            },
        )?;
    Ok(blocks)
}

/// One work part's lists for a range of documents (its share of [`Lists`]).
struct PartOutput<'a> {
    /// Per block of the range, its postings.
    postings: &'a mut [Vec<Posting>],
    /// Per document of the range, one past the last position in title and in text.
    lengths: &'a mut [[u32; 2]],
    /// The words too far into a document for a [`Posting`].
    wide: &'a mut Vec<WidePosting>,
}

impl PartOutput<'_> {
    /// Places `word` at each position of `field` in document `doc` (the range's document
    /// `d`), the positions given as `deltas` from 0; a position from [`POSITION_LIMIT`] on
    /// cannot be a word's and is left out as a hole.
    fn place(&mut self, (doc, d): (DocId, usize), field: usize, word: u32, deltas: &[u32]) {
        let block = &mut self.postings[d / BLOCK_DOCS];
        let mut position = 0u32;
        let mut past_last = 0;
        for &delta in deltas {
            position = position.wrapping_add(delta);
            if position >= POSITION_LIMIT {
                continue;
            }
            match Posting::new(d % BLOCK_DOCS, field, position, word) {
                Some(posting) => block.push(posting),
                None => self.wide.push(WidePosting {
                    doc,
                    field,
                    position,
                    word,
                }),
            }
            past_last = position + 1;
        }
        let length = &mut self.lengths[d][field];
        *length = (*length).max(past_last);
    }
}

/// The documents of a postings block that are wanted: from the first to the last of them
/// (indexes into the block), and where their positions begin and end among the block's.
struct WantedSpan {
    docs: std::ops::RangeInclusive<usize>,
    positions: Range<u64>,
}

/// The positions of a postings block (its documents and their term frequencies) and the
/// span of the documents `wanted` holds, `None` when it holds none: one pass over the block.
fn wanted_span(
    block_docs: &[DocId],
    freqs: &[u32],
    wanted: impl Fn(DocId) -> bool,
) -> (u64, Option<WantedSpan>) {
    let (mut first, mut last) = (usize::MAX, 0);
    let (mut total, mut before, mut end) = (0u64, 0u64, 0u64);
    for (i, (&doc, &freq)) in block_docs.iter().zip(freqs).enumerate() {
        if wanted(doc) {
            if first == usize::MAX {
                (first, before) = (i, total);
            }
            (last, end) = (i, total + u64::from(freq));
        }
        total += u64::from(freq);
    }
    let span = (first != usize::MAX).then_some(WantedSpan {
        docs: first..=last,
        positions: before..end,
    });
    (total, span)
}

/// Rebuilds the documents of the segment's `blocks` (held in [`postings_by_block`]'s `lists`
/// from the first on) from their postings and sends their counted windows to `sink` (in
/// memory: runs sorted by part), setting each of their documents' number of counted windows
/// in `doc_tokens`. `terms` gives each word id's counted-form id, which gives the part.
pub(super) fn windows_of(
    lists: &mut Lists,
    blocks: Range<usize>,
    terms: &[u32],
    n: usize,
    groups: &SegmentGroups,
    sink: &Sink,
    doc_tokens: &mut [u64],
) -> Result<Vec<PartedWindows>, SearchError> {
    let max_doc = groups.doc_group.len();
    let (first_block, blocks) = (blocks.start, blocks.len());
    let len = chunk_len(blocks);
    let chunks = blocks.div_ceil(len);
    let Lists {
        postings,
        wide,
        lengths: doc_lengths,
        chunks: rebuilt,
    } = lists;
    rebuilt.resize_with(chunks, Rebuilt::default);
    rebuilt.truncate(chunks);
    let (postings, doc_lengths, wide) = (&*postings, &*doc_lengths, &*wide);
    let results: Vec<std::io::Result<ChunkWindows>> = rebuilt
        .par_iter_mut()
        .enumerate()
        .map(|(chunk, rebuilt)| {
            let these = chunk * len..((chunk + 1) * len).min(blocks);
            let block_lists = |b: usize| postings.iter().map(move |part| &part[b]);
            let Rebuilt { slots, docs, parts } = rebuilt;
            slots.clear();
            docs.clear();
            parts.clear();
            let mut spilled = match sink {
                Sink::Memory => Vec::new(),
                Sink::Spill(spill, _) => spill.buffers(),
            };
            let mut tokens = Vec::new();
            let mut lengths = [[0usize; 2]; BLOCK_DOCS];
            for b in these.clone() {
                let base = (first_block + b) * BLOCK_DOCS;
                // Words per document and field: one past the last position.
                for (d, length) in lengths.iter_mut().enumerate() {
                    *length = [0, 0];
                    for part in doc_lengths {
                        let [title, text] = part[b * BLOCK_DOCS + d];
                        *length = [length[0].max(title as usize), length[1].max(text as usize)];
                    }
                }
                // Each document's title, a hole, its text, a hole.
                let mut starts = [[0usize; 2]; BLOCK_DOCS + 1];
                let mut size = slots.len();
                for (d, length) in lengths.iter().enumerate() {
                    starts[d] = [size, size + length[0] + 1];
                    size += length[0] + length[1] + 2;
                }
                starts[BLOCK_DOCS] = [size, size];
                slots.resize(size, HOLE);
                place_words(slots, &starts, block_lists(b).flatten(), wide, base);
                for d in 0..BLOCK_DOCS.min(max_doc.saturating_sub(base)) {
                    let doc = (base + d) as DocId;
                    if !groups.contains(doc) {
                        continue;
                    }
                    let range = starts[d][0]..starts[d + 1][0];
                    let mut counted = 0u64;
                    for window in slots[range.clone()].windows(n) {
                        if !is_counted(window) {
                            continue;
                        }
                        counted += 1;
                        let mut key = [HOLE; 3];
                        for (k, &word) in window.iter().enumerate() {
                            key[k] = terms[(word & !DROPPED) as usize];
                        }
                        let part = part_of_terms(&key[..n]);
                        match sink {
                            Sink::Memory => parts.push(part as u16),
                            Sink::Spill(spill, _) => {
                                let mut entry = [HOLE; 3];
                                for (k, &word) in window.iter().enumerate() {
                                    entry[k] = word & !DROPPED;
                                }
                                spill.add(&mut spilled, part, &entry[..n], doc)
                            }
                        }
                    }
                    tokens.push((doc, counted));
                    docs.push((doc, range));
                }
            }
            if let Sink::Spill(spill, segment) = sink {
                spill.write(*segment, spilled)?;
                return Ok((PartedWindows::default(), tokens));
            }
            Ok((placed_by_part(parts, n, slots, docs), tokens))
        })
        .collect();
    let mut windows = Vec::with_capacity(results.len());
    for result in results {
        let (parted, tokens) = result.map_err(tantivy::TantivyError::from)?;
        for (doc, t) in tokens {
            doc_tokens[doc as usize] = t;
        }
        if !parted.words.is_empty() {
            windows.push(parted);
        }
    }
    Ok(windows)
}

/// Writes the word of each of a block's `postings` into its slot, and of each `wide`
/// posting in the block (whose first document is `base`): each document's title begins at
/// `starts[d][0]`, its text at `starts[d][1]`.
fn place_words<'a>(
    slots: &mut [u32],
    starts: &[[usize; 2]],
    postings: impl Iterator<Item = &'a Posting>,
    wide: &[Vec<WidePosting>],
    base: usize,
) {
    for posting in postings {
        let (d, field, p) = posting.place();
        slots[starts[d][field] + p] = posting.word;
    }
    let block_docs = base..base + BLOCK_DOCS;
    for posting in wide.iter().flatten() {
        if block_docs.contains(&(posting.doc as usize)) {
            let d = posting.doc as usize - base;
            slots[starts[d][posting.field] + posting.position as usize] = posting.word;
        }
    }
}

/// Whether an n-gram window of slots is counted: no hole, and its first and last words not
/// dropped (a middle word may be).
#[inline(always)]
fn is_counted(window: &[u32]) -> bool {
    let last = window.len() - 1;
    // A hole has the dropped bit too, so only a middle word is left to check for one.
    (window[0] | window[last]) & DROPPED == 0 && window[1..last].iter().all(|&w| w != HOLE)
}

/// The counted windows of `docs` (each a document and its slots in `slots`, windows of `n`
/// words whose dropped bits are cleared here) placed by part, the part of each given in
/// `parts` in document order: a counting sort, keeping their order within a part, into one
/// list of exactly their size.
fn placed_by_part(
    parts: &[u16],
    n: usize,
    slots: &[u32],
    docs: &[(DocId, Range<usize>)],
) -> PartedWindows {
    let mut starts = vec![0u32; PARTS + 1];
    for &part in parts {
        starts[part as usize + 1] += 1;
    }
    for part in 0..PARTS {
        starts[part + 1] += starts[part];
    }
    let mut next = starts.clone();
    let stride = n + 1;
    let mut words = vec![0u32; parts.len() * stride];
    let mut part_of = parts.iter();
    for (doc, range) in docs {
        for window in slots[range.clone()].windows(n) {
            if !is_counted(window) {
                continue;
            }
            let part = *part_of.next().expect("one part per counted window");
            let at = &mut next[part as usize];
            let to = &mut words[*at as usize * stride..][..stride];
            for k in 0..n {
                to[k] = window[k] & !DROPPED;
            }
            to[n] = *doc;
            *at += 1;
        }
    }
    debug_assert!(part_of.next().is_none(), "one counted window per part");
    PartedWindows::new(words, stride, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(doc_freq: u32) -> (u8, TermInfo, u32) {
        let info = TermInfo {
            doc_freq,
            postings_range: 0..0,
            positions_range: 0..0,
        };
        (0, info, doc_freq)
    }

    #[test]
    fn work_parts_cover_the_tokens_in_order_and_split_frequent_ones_apart() {
        let threads = rayon::current_num_threads().max(1);
        // One very frequent token among many rare ones.
        let mut tokens: Vec<_> = (0..100).map(|_| token(1)).collect();
        tokens.insert(50, token(1_000));
        let parts = work_parts(&tokens);
        let joined: Vec<u32> = parts.iter().flat_map(|p| p.iter().map(|t| t.2)).collect();
        let expected: Vec<u32> = tokens.iter().map(|t| t.2).collect();
        assert_eq!(joined, expected);
        assert!(parts.iter().all(|p| !p.is_empty()));
        assert!(parts.len() <= threads * 4 + 1);
        // The frequent token ends its part: the rare ones after it are not held up by it.
        let with_it = parts.iter().position(|p| p.iter().any(|t| t.2 == 1_000));
        assert_eq!(
            parts[with_it.expect("a part holds it")].last().map(|t| t.2),
            Some(1_000)
        );
        assert!(work_parts(&[]).is_empty());
    }

    #[test]
    fn placed_by_part_keeps_each_parts_windows_in_order_with_their_words_and_document() {
        // Three documents' bigram slots: doc 0 with title "10 11" and text "12 13", doc 1
        // with title "14 15", doc 2 with title "16 17".
        let slots = [10, 11, HOLE, 12, 13, HOLE, 14, 15, HOLE, 16, 17, HOLE];
        let docs = [(0, 0..6), (1, 6..9), (2, 9..12)];
        let parted = placed_by_part(&[3, 1, 3, 0], 2, &slots, &docs);
        let part = |p: usize| -> Vec<Vec<u32>> { parted.part(p).map(<[u32]>::to_vec).collect() };
        assert_eq!(part(0), vec![vec![16, 17, 2]]);
        assert_eq!(part(1), vec![vec![12, 13, 0]]);
        assert!(part(2).is_empty());
        assert_eq!(part(3), vec![vec![10, 11, 0], vec![14, 15, 1]]);
        assert!(part(PARTS - 1).is_empty());
        // Trigrams keep all three words, a dropped middle one without its mark.
        let slots = [1, 2 | DROPPED, 3, HOLE];
        let parted = placed_by_part(&[5], 3, &slots, &[(9, 0..4)]);
        assert_eq!(parted.part(5).collect::<Vec<_>>(), vec![&[1, 2, 3, 9][..]]);
        assert_eq!(PartedWindows::default().part(0).len(), 0);
    }

    #[test]
    fn postings_place_their_words_by_document_field_and_position_and_far_ones_go_wide() {
        let last = (1 << POSITION_BITS) - 1;
        assert!(Posting::new(255, 1, 1 << POSITION_BITS, 7).is_none());
        let far = Posting::new(BLOCK_DOCS - 1, 1, last, 7).expect("fits");
        assert_eq!(
            (far.place(), far.word),
            ((BLOCK_DOCS - 1, 1, last as usize), 7)
        );
        // The block of documents 256..512: document 256 with title "10 11" and text "12",
        // document 257 with text "13"; a wide posting puts "14" after "12", and one of
        // another block is not placed.
        let postings: Vec<Posting> = [(0, 0, 0, 10), (0, 0, 1, 11), (0, 1, 0, 12), (1, 1, 0, 13)]
            .into_iter()
            .map(|(d, field, p, word)| Posting::new(d, field, p, word).expect("fits"))
            .collect();
        let wide = |doc, word| WidePosting {
            doc,
            field: 1,
            position: 1,
            word,
        };
        let wide = vec![vec![wide(256, 14)], vec![wide(1, 99)]];
        let mut starts = vec![[0, 0]; BLOCK_DOCS];
        starts[0] = [0, 3];
        starts[1] = [6, 7];
        let mut slots = vec![HOLE; 9];
        place_words(&mut slots, &starts, postings.iter(), &wide, 256);
        assert_eq!(slots, [10, 11, HOLE, 12, 14, HOLE, HOLE, 13, HOLE]);
    }

    #[test]
    fn counted_windows_have_no_hole_and_no_dropped_edge_but_may_have_a_dropped_middle() {
        let dropped = 7 | DROPPED;
        // Title "1 2", a hole, text "3 dropped 4 5", a hole.
        let slots = [1, 2, HOLE, 3, dropped, 4, 5, HOLE];
        let counted =
            |n: usize| -> Vec<&[u32]> { slots.windows(n).filter(|w| is_counted(w)).collect() };
        assert_eq!(counted(2), vec![&[1, 2][..], &[4, 5][..]]);
        assert_eq!(counted(3), vec![&[3, dropped, 4][..]]);
        assert!(!is_counted(&[1, HOLE, 2]));
    }
}
