//! Term counts from the index's postings (issue 15): the subset's documents per segment in,
//! the same [`TermCounts`] as re-analyzing every stored text out, without reading a text.
//!
//! Every word is indexed as one token holding its term and exact form (see
//! [`crate::analysis::tokenizer`]), in `title` and in `text`. A counted term (per
//! [`TermMode`]) is a set of such tokens: for analyzed terms the tokens `term` and
//! `term\u{1}…`, for exact forms every token whose exact part is the form. So per segment the
//! term dictionaries of both fields are walked once, each token mapped to its counted term
//! and surface form (or dropped, exactly as [`TermExtractor::word`] drops words), the tokens
//! grouped by counted term, and each term's postings read with their frequencies and joined
//! with the documents' group and outlet (fast fields). Documents are counted once per term
//! however many of its tokens they hold, by merging the tokens' postings by document.
//!
//! Memory is the term dictionary's (one entry per distinct token) plus one counter per
//! document of the segment; nothing per document and term.

use std::ops::ControlFlow;
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, InvertedIndexReader, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::analysis::tokenizer::split_index_token;
use crate::fasthash::FastMap;
use crate::index::{schema, Index};
use crate::search::{self, SearchError};
use crate::stats::counts::{OutletNumbers, TermCount, TermCounts, TermExtractor};
use crate::stats::fused::{StepTimer, StepTotals};
use crate::stats::progress;
use crate::stats::scan::{GroupBy, Subset};

mod raw;
mod walk;

use raw::RawPostings;
use walk::{count_segment, Blocks, Cells, FieldPostings, SubsetCells};

/// No group: the document is not in the subset.
pub(super) const OUTSIDE: u32 = u32::MAX;

/// The documents of a query's subset, per segment, in document order.
struct SubsetCollector;

/// Per-segment part of [`SubsetCollector`].
struct SegmentDocs {
    segment: SegmentOrdinal,
    docs: Vec<DocId>,
}

impl Collector for SubsetCollector {
    type Fruit = Vec<(SegmentOrdinal, Vec<DocId>)>;
    type Child = SegmentDocs;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<SegmentDocs> {
        Ok(SegmentDocs {
            segment,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, Vec<DocId>)>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentDocs {
    type Fruit = (SegmentOrdinal, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.docs.push(doc);
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.docs)
    }
}

/// The value of a keyword fast field per document, as an index into `labels` (`""` when
/// the document has none).
pub(super) fn keyword_ords(
    segment: &SegmentReader,
    field: &str,
    docs: &[DocId],
    labels: &mut Vec<String>,
    number: &mut FastMap<String, u32>,
) -> tantivy::Result<Vec<u32>> {
    let column = segment.fast_fields().str(field)?;
    let mut local: FastMap<u64, u32> = FastMap::default();
    let mut value = String::new();
    let mut global = |text: &str| -> u32 {
        if let Some(&n) = number.get(text) {
            return n;
        }
        let n = labels.len() as u32;
        labels.push(text.to_string());
        number.insert(text.to_string(), n);
        n
    };
    let mut out = Vec::with_capacity(docs.len());
    for &doc in docs {
        let ord = column.as_ref().and_then(|c| c.term_ords(doc).next());
        let n = match (ord, &column) {
            (Some(ord), Some(column)) => match local.get(&ord) {
                Some(&n) => n,
                None => {
                    value.clear();
                    column.ord_to_str(ord, &mut value)?;
                    let n = global(&value);
                    local.insert(ord, n);
                    n
                }
            },
            _ => global(""),
        };
        out.push(n);
    }
    Ok(out)
}

/// The documents of `subset` per segment, sorted; segments without one left out.
pub(super) fn subset_docs(
    index: &Index,
    searcher: &Searcher,
    subset: &Subset,
) -> Result<Vec<(SegmentOrdinal, Vec<DocId>)>, SearchError> {
    let query = search::query::build(index, &subset.query, &subset.filters)?;
    let mut per_segment = searcher.search(&*query, &SubsetCollector)?;
    per_segment.retain(|(_, docs)| !docs.is_empty());
    for (_, docs) in &mut per_segment {
        docs.sort_unstable();
    }
    Ok(per_segment)
}

/// Starts a progress pass over the documents of `segments`.
pub(super) fn pass_over(segments: &[(SegmentOrdinal, Vec<DocId>)]) {
    progress::started(segments.iter().map(|(_, docs)| docs.len() as u64).sum());
}

/// The group and outlet of each document of a segment's subset.
pub(super) struct SegmentGroups {
    /// Group labels, numbered in order of first appearance.
    pub groups: Vec<String>,
    /// Slots the documents are split into (see [`SegmentGroups::in_slots`]); 1 when not.
    slots: usize,
    /// Per document of the segment: its group number (slot × groups + group when split into
    /// slots), [`OUTSIDE`] when not in the subset.
    pub doc_group: Vec<u32>,
    /// Per document of the segment: its outlet, as an index into `outlets`.
    pub doc_outlet: Vec<u32>,
    /// The segment's outlets' numbers (see [`OutletNumbers`]), in order of first appearance.
    pub outlets: Vec<u32>,
}

impl SegmentGroups {
    /// Reads the group (`by`) and outlet fast fields of `docs`.
    pub fn new(
        segment: &SegmentReader,
        docs: &[DocId],
        by: GroupBy,
        outlets: &OutletNumbers,
    ) -> tantivy::Result<SegmentGroups> {
        let max_doc = segment.max_doc() as usize;
        let (mut groups, mut group_number) = (Vec::new(), FastMap::default());
        let group_of = keyword_ords(segment, by.name(), docs, &mut groups, &mut group_number)?;
        let (mut outlet_names, mut outlet_number) = (Vec::new(), FastMap::default());
        let outlet_of = keyword_ords(
            segment,
            schema::OUTLET,
            docs,
            &mut outlet_names,
            &mut outlet_number,
        )?;
        let mut doc_group = vec![OUTSIDE; max_doc];
        let mut doc_outlet = vec![0u32; max_doc];
        for (i, &doc) in docs.iter().enumerate() {
            doc_group[doc as usize] = group_of[i];
            doc_outlet[doc as usize] = outlet_of[i];
        }
        Ok(SegmentGroups {
            groups,
            slots: 1,
            doc_group,
            doc_outlet,
            outlets: outlet_names.iter().map(|o| outlets.of(o)).collect(),
        })
    }

    /// The number of `doc`'s outlet (see [`OutletNumbers`]).
    #[inline]
    pub fn outlet(&self, doc: DocId) -> u32 {
        self.outlets[self.doc_outlet[doc as usize] as usize]
    }

    /// Whether `doc` is in the subset.
    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.doc_group[doc as usize] != OUTSIDE
    }

    /// Splits the documents into `slots` numbered slots (`slot[i]` is that of `docs[i]`, the
    /// documents [`SegmentGroups::new`] read): each (slot, group) is then counted apart, as
    /// group number slot × groups + group.
    pub fn in_slots(mut self, docs: &[DocId], slot: &[u32], slots: usize) -> SegmentGroups {
        let groups = self.groups.len() as u32;
        for (&doc, &s) in docs.iter().zip(slot) {
            self.doc_group[doc as usize] += s * groups;
        }
        self.slots = slots;
        self
    }

    /// The number of (slot, group) pairs counted apart.
    fn cell_groups(&self) -> usize {
        self.groups.len() * self.slots
    }

    /// The slot and group label of a (slot, group) number.
    fn slot_and_label(&self, group: u32) -> (u32, &str) {
        let groups = self.groups.len().max(1) as u32;
        (group / groups, &self.groups[(group % groups) as usize])
    }

    /// Counts each of `docs` in its group, with its counted tokens (`doc_tokens`, per
    /// document of the segment).
    pub fn add_documents(&self, counts: &mut TermCounts, docs: &[DocId], doc_tokens: &[u64]) {
        self.add_documents_in_slots(std::slice::from_mut(counts), docs, doc_tokens);
    }

    /// [`SegmentGroups::add_documents`] into the counts of each document's slot.
    fn add_documents_in_slots(
        &self,
        counts: &mut [TermCounts],
        docs: &[DocId],
        doc_tokens: &[u64],
    ) {
        for &doc in docs {
            let (slot, label) = self.slot_and_label(self.doc_group[doc as usize]);
            let group = counts[slot as usize].group_mut(label);
            let (outlet, tokens) = (self.outlet(doc), doc_tokens[doc as usize]);
            group.documents += 1;
            group.tokens += tokens;
            group.outlet_tokens.add(outlet, tokens);
            group.outlet_documents.add(outlet, 1);
        }
    }
}

/// The inverted indexes of a segment's `title` (0) and `text` (1): the two fields every
/// counted word is indexed in.
pub(super) fn title_and_text(
    searcher: &Searcher,
    segment: &SegmentReader,
) -> tantivy::Result<[Arc<InvertedIndexReader>; 2]> {
    let [title, text] = title_and_text_fields(searcher);
    Ok([
        segment.inverted_index(title)?,
        segment.inverted_index(text)?,
    ])
}

/// The `title` and `text` fields of the schema.
fn title_and_text_fields(searcher: &Searcher) -> [tantivy::schema::Field; 2] {
    let schema = searcher.schema();
    [schema::TITLE, schema::TEXT].map(|name| {
        schema
            .get_field(name)
            .expect("the schema has title and text")
    })
}

/// [`title_and_text`]'s postings as raw bytes, for short postings (see [`RawPostings`]).
fn raw_title_and_text(searcher: &Searcher, segment: &SegmentReader) -> [Option<RawPostings>; 2] {
    RawPostings::open(segment, title_and_text_fields(searcher))
}

/// Calls `each(field, term, exact, info)` for every token of both fields' dictionaries, in
/// field and dictionary order: the token's field (0 = title, 1 = text), its two parts (see
/// [`split_index_token`]) and where its postings are.
pub(super) fn for_each_token(
    inverted: &[Arc<InvertedIndexReader>; 2],
    mut each: impl FnMut(u8, &str, &str, &TermInfo),
) -> Result<(), SearchError> {
    for_each_key(inverted, |field, key, info| {
        if let Ok(token) = std::str::from_utf8(key) {
            let (term, exact) = split_index_token(token);
            each(field, term, exact, info);
        }
        Ok(())
    })
}

/// Calls `each(field, key, info)` for every dictionary key of the title and text fields, in
/// field and dictionary order, with its raw bytes and where its postings are, until it fails.
fn for_each_key(
    inverted: &[Arc<InvertedIndexReader>; 2],
    mut each: impl FnMut(u8, &[u8], &TermInfo) -> Result<(), SearchError>,
) -> Result<(), SearchError> {
    for (field, inverted) in inverted.iter().enumerate() {
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            each(field as u8, stream.key(), stream.value())?;
        }
    }
    Ok(())
}

/// Calls `each(docs, freqs)` for the blocks of up to 128 postings of the token at `info`, in
/// order, until it breaks (`freqs` is empty when `option` reads no frequencies, or the token
/// has none); whether it broke. A block at a time is cheaper than stepping a
/// [`tantivy::postings::SegmentPostings`] document by document.
pub(super) fn for_each_block(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    option: IndexRecordOption,
    mut each: impl FnMut(&[DocId], &[u32]) -> ControlFlow<()>,
) -> Result<bool, SearchError> {
    let mut block = inverted
        .read_block_postings_from_terminfo(info, option)
        .map_err(tantivy::TantivyError::from)?;
    loop {
        let docs = block.docs();
        if docs.is_empty() {
            return Ok(false);
        }
        if each(docs, block.freqs()).is_break() {
            return Ok(true);
        }
        block.advance();
    }
}

/// Calls `each(doc, term frequency)` for every posting of the token at `info`.
pub(super) fn for_each_posting(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    mut each: impl FnMut(DocId, u32),
) -> Result<(), SearchError> {
    for_each_block(
        inverted,
        info,
        IndexRecordOption::WithFreqs,
        |docs, freqs| {
            if freqs.len() == docs.len() {
                for (&doc, &freq) in docs.iter().zip(freqs) {
                    each(doc, freq);
                }
            } else {
                // A token indexed without frequencies occurs once per document.
                docs.iter().for_each(|&doc| each(doc, 1));
            }
            ControlFlow::Continue(())
        },
    )?;
    Ok(())
}

/// Whether the token at `info` occurs in a document of the subset (`doc_group` not
/// [`OUTSIDE`]), reading its postings up to the block of the first such document (short
/// postings straight from their bytes, see [`RawPostings`]).
fn any_posting(
    blocks: &mut Blocks,
    postings: FieldPostings,
    info: &TermInfo,
    (docs, doc_group): (&[DocId], &[u32]),
) -> Result<bool, SearchError> {
    blocks.each_in(postings, info, docs, |docs, _| {
        if docs.iter().any(|&doc| doc_group[doc as usize] != OUTSIDE) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
}

/// Dictionary entries looked at together by [`SegmentTokens::within`]: enough to share
/// among threads, few enough to reuse one buffer for a whole segment.
const CHUNK: usize = 1 << 15;

/// One indexed token that counts: where its postings are and what it counts as.
pub(super) struct Token {
    /// Counted term id.
    term: u32,
    /// Surface form id.
    form: u32,
    /// 0 = title, 1 = text.
    field: u8,
    info: TermInfo,
}

/// Every token of a segment's `title` and `text` that counts, with its counted term and
/// form: the term dictionaries of both fields walked once.
pub(super) struct SegmentTokens {
    /// The inverted indexes of `title` and `text`.
    inverted: [Arc<InvertedIndexReader>; 2],
    /// Their postings as raw bytes, for short ones.
    raw: [Option<RawPostings>; 2],
    /// The tokens, sorted by counted term.
    tokens: Vec<Token>,
    /// Counted terms.
    terms: Interner,
    /// Surface forms.
    forms: Forms,
}

/// The surface form of each of a segment's tokens, in one buffer: numbered per token, not
/// interned (nearly every token has its own), so a segment's tokens cost no hashing of
/// forms and no allocation each; forms are interned only as they count, into [`Totals`].
#[derive(Default)]
struct Forms {
    text: String,
    /// Where each form ends in `text`.
    ends: Vec<usize>,
}

impl Forms {
    /// Adds a form; its id.
    fn push(&mut self, form: &str) -> u32 {
        self.text.push_str(form);
        self.ends.push(self.text.len());
        self.ends.len() as u32 - 1
    }

    /// The form numbered `id`.
    fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// How many forms.
    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// The counted tokens of a segment as its dictionaries are walked.
#[derive(Default)]
struct Gathered {
    tokens: Vec<Token>,
    terms: Interner,
    forms: Forms,
}

impl Gathered {
    /// Adds the token of `field` whose two parts are `term` and `exact`, if it counts.
    fn push(
        &mut self,
        extractor: &TermExtractor,
        (field, term, exact): (u8, &str, &str),
        info: &TermInfo,
    ) {
        if let Some((counted, surface)) = extractor.counted_token(exact, term) {
            self.tokens.push(Token {
                term: self.terms.id(counted),
                form: self.forms.push(surface),
                field,
                info: info.clone(),
            });
        }
    }

    /// The tokens, sorted by counted term.
    fn into_tokens(
        mut self,
        inverted: [Arc<InvertedIndexReader>; 2],
        raw: [Option<RawPostings>; 2],
    ) -> SegmentTokens {
        self.tokens.sort_by_key(|t| t.term);
        SegmentTokens {
            inverted,
            raw,
            tokens: self.tokens,
            terms: self.terms,
            forms: self.forms,
        }
    }
}

impl SegmentTokens {
    /// The tokens of `segment` that `extractor` counts (it counts single words).
    pub fn new(
        searcher: &Searcher,
        segment: &SegmentReader,
        extractor: &TermExtractor,
    ) -> Result<SegmentTokens, SearchError> {
        let inverted = title_and_text(searcher, segment)?;
        let mut gathered = Gathered::default();
        for_each_token(&inverted, |field, term, exact, info| {
            gathered.push(extractor, (field, term, exact), info);
        })?;
        Ok(gathered.into_tokens(inverted, raw_title_and_text(searcher, segment)))
    }

    /// The tokens of `segment` that `extractor` counts and that occur in at least one
    /// document of the subset (`docs`, sorted, whose groups `groups` holds): the same tokens
    /// [`SegmentTokens::new`] finds,
    /// less those that would count nothing. Each token's postings are looked at only up to
    /// its first document in the subset (often the first block; short postings, most
    /// tokens', straight from their bytes: see [`RawPostings`]), so a small subset spends no
    /// string work on the many rare tokens of documents outside it. The dictionaries are
    /// walked a chunk of entries at a time, each chunk's postings looked at on all threads.
    pub fn within(
        searcher: &Searcher,
        segment: &SegmentReader,
        extractor: &TermExtractor,
        (docs, groups): (&[DocId], &SegmentGroups),
    ) -> Result<SegmentTokens, SearchError> {
        let inverted = title_and_text(searcher, segment)?;
        let raw = raw_title_and_text(searcher, segment);
        let mut gathered = Gathered::default();
        // A chunk's tokens' bytes (in one buffer), field and postings, in dictionary order.
        let (mut bytes, mut entries) = (Vec::new(), Vec::with_capacity(CHUNK));
        let parts = rayon::current_num_threads().max(1) * 4;
        let mut sort_out = |bytes: &mut Vec<u8>,
                            entries: &mut Vec<(u8, std::ops::Range<usize>, TermInfo)>|
         -> Result<(), SearchError> {
            let part_len = entries.len().div_ceil(parts).max(1);
            let touched: Vec<Vec<bool>> = entries
                .par_chunks(part_len)
                .map(|part| {
                    let mut blocks = Blocks::new(IndexRecordOption::Basic);
                    part.iter()
                        .map(|(field, _, info)| {
                            let f = *field as usize;
                            let postings = (&*inverted[f], raw[f].as_ref());
                            any_posting(&mut blocks, postings, info, (docs, &groups.doc_group))
                        })
                        .collect::<Result<Vec<bool>, SearchError>>()
                })
                .collect::<Result<_, _>>()?;
            let touched = touched.into_iter().flatten();
            for ((field, range, info), touched) in entries.iter().zip(touched) {
                if let (true, Ok(token)) = (touched, std::str::from_utf8(&bytes[range.clone()])) {
                    let (term, exact) = split_index_token(token);
                    gathered.push(extractor, (*field, term, exact), info);
                }
            }
            bytes.clear();
            entries.clear();
            Ok(())
        };
        for_each_key(&inverted, |field, key, info| {
            let start = bytes.len();
            bytes.extend_from_slice(key);
            entries.push((field, start..bytes.len(), info.clone()));
            if entries.len() == CHUNK {
                sort_out(&mut bytes, &mut entries)?;
            }
            Ok(())
        })?;
        sort_out(&mut bytes, &mut entries)?;
        Ok(gathered.into_tokens(inverted, raw))
    }

    /// The postings of a token's `field` (0 = title, 1 = text).
    fn postings(&self, field: u8) -> FieldPostings<'_> {
        let field = field as usize;
        (&self.inverted[field], self.raw[field].as_ref())
    }

    /// Calls `each(doc, term frequency)` for every posting of one of the segment's tokens.
    fn for_each_posting(
        &self,
        token: &Token,
        each: impl FnMut(DocId, u32),
    ) -> Result<(), SearchError> {
        for_each_posting(&self.inverted[token.field as usize], &token.info, each)
    }

    /// Counted tokens per document of the segment (title and text), for the documents
    /// `contains` holds (0 for the others): the postings of every counting token walked on
    /// all threads.
    pub fn doc_tokens(
        &self,
        max_doc: usize,
        contains: &(dyn Fn(DocId) -> bool + Sync),
    ) -> Result<Vec<u64>, SearchError> {
        let work = |part: &[Token]| -> Result<Vec<u32>, SearchError> {
            let mut counts = vec![0u32; max_doc];
            for token in part {
                self.for_each_posting(token, |doc, freq| {
                    if contains(doc) {
                        counts[doc as usize] += freq;
                    }
                })?;
            }
            Ok(counts)
        };
        let parts = rayon::current_num_threads().max(1) * 2;
        let part_len = self.tokens.len().div_ceil(parts).max(1);
        let per_part: Vec<Vec<u32>> = self
            .tokens
            .par_chunks(part_len)
            .map(work)
            .collect::<Result<_, _>>()?;
        let mut total = vec![0u64; max_doc];
        for part in per_part {
            for (sum, n) in total.iter_mut().zip(part) {
                *sum += u64::from(n);
            }
        }
        Ok(total)
    }
}

/// Strings numbered in order of first appearance.
#[derive(Default)]
pub(super) struct Interner {
    ids: FastMap<Box<str>, u32>,
    /// The strings by id.
    pub strings: Vec<Box<str>>,
    /// The id [`Interner::id`] gave last: a dictionary's tokens of one term follow each
    /// other, so the next is often the same string, found without hashing.
    last: Option<u32>,
}

impl Interner {
    /// The id of `text`, if it is numbered.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The id of `text`, numbering it when new.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(last) = self.last.filter(|&id| &*self.strings[id as usize] == text) {
            return last;
        }
        let id = match self.ids.get(text) {
            Some(&id) => id,
            None => {
                let id = self.strings.len() as u32;
                self.strings.push(text.into());
                self.ids.insert(text.into(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }
}

/// Counts the terms of `subset`'s documents grouped `by`, from the postings; the same counts
/// as running a [`crate::stats::counts::TermCounter`] with a single-word `extractor` over
/// the stored texts.
///
/// Segments are counted by ids (the segment's term, form and group numbers) and added into
/// one total by global ids; term and form strings are made once, at the end, not per
/// segment.
pub fn count_terms(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
) -> Result<TermCounts, SearchError> {
    let timer = StepTimer::nested();
    timer.lap("reader");
    let reader = index.reader()?;
    let searcher = reader.searcher();
    timer.lap("subset documents");
    let segments = subset_docs(index, &searcher, subset)?;
    timer.lap("segments");
    pass_over(&segments);
    let slots = Slots {
        count: 1,
        of: &|_, _, docs| Ok(vec![0; docs.len()]),
        outputs: std::iter::once(0..1).collect(),
    };
    let walk = SlotWalk {
        searcher: &searcher,
        by,
        extractor,
        outlets,
    };
    let mut counts = walk.count(&segments, &slots, &mut |_, _| {})?;
    timer.lap("counted");
    Ok(counts.pop().unwrap_or_default())
}

/// The share of a segment's documents up to which its tokens are first sorted out by
/// whether they occur in the subset at all ([`SegmentTokens::within`]): below it, the string
/// work spared on tokens outside the subset outweighs the look at every token's postings.
const SMALL_SUBSET: f64 = 0.5;

/// How one walk splits its documents into numbered slots, and which slots each of its
/// outputs adds up.
pub(super) struct Slots<'a> {
    /// How many slots.
    pub count: usize,
    /// The slot of each of a segment's documents (in the order given).
    #[allow(clippy::type_complexity)]
    pub of: &'a dyn Fn(SegmentOrdinal, &SegmentReader, &[DocId]) -> Result<Vec<u32>, SearchError>,
    /// Per output, the slots it adds up.
    pub outputs: Vec<std::ops::Range<u32>>,
}

/// One walk over the postings of a subset's segments (see [`SlotWalk::count`]).
pub(super) struct SlotWalk<'a> {
    /// The index's searcher.
    pub searcher: &'a Searcher,
    /// The grouping.
    pub by: GroupBy,
    /// What counts as a term (single words).
    pub extractor: &'a TermExtractor,
    /// Outlet numbers.
    pub outlets: &'a OutletNumbers,
}

impl SlotWalk<'_> {
    /// Counts the terms of `segments`' documents split into `slots`, one [`TermCounts`] per
    /// output (the slots it adds up, as if counted as one subset); `tokens(segment, counts)`
    /// gets each segment's counted tokens per document. One walk over each segment's
    /// dictionaries and postings however many outputs.
    pub fn count(
        &self,
        segments: &[(SegmentOrdinal, Vec<DocId>)],
        slots: &Slots,
        tokens: &mut dyn FnMut(SegmentOrdinal, &[u64]),
    ) -> Result<Vec<TermCounts>, SearchError> {
        debug_assert!(self.extractor.counts_words());
        let mut documents = vec![TermCounts::default(); slots.count];
        let mut totals = Totals::default();
        let steps = StepTotals::from_env();
        for (segment_ord, docs) in segments {
            let segment = self.searcher.segment_reader(*segment_ord);
            let groups = steps.time("groups and outlets", || {
                let slot = (slots.of)(*segment_ord, segment, docs)?;
                let groups = SegmentGroups::new(segment, docs, self.by, self.outlets)?;
                Ok::<_, SearchError>(groups.in_slots(docs, &slot, slots.count))
            })?;
            let words = steps.time("dictionary walk", || {
                if docs.len() as f64 <= SMALL_SUBSET * segment.max_doc() as f64 {
                    SegmentTokens::within(self.searcher, segment, self.extractor, (docs, &groups))
                } else {
                    SegmentTokens::new(self.searcher, segment, self.extractor)
                }
            })?;
            let (cells, rank_tokens) = steps.time("postings", || {
                count_segment(&SubsetCells::new(&groups, docs), &words)
            })?;
            steps.time("segment totals", || {
                totals.add(&cells, &groups, &words);
                let mut doc_tokens = vec![0u64; segment.max_doc() as usize];
                for (&doc, n) in docs.iter().zip(rank_tokens) {
                    doc_tokens[doc as usize] = n;
                }
                groups.add_documents_in_slots(&mut documents, docs, &doc_tokens);
                tokens(*segment_ord, &doc_tokens);
            });
            progress::advanced(docs.len() as u64);
        }
        let counts = steps.time("counts from totals", || {
            totals.into_counts(&slots.outputs, &documents)
        });
        steps.print();
        Ok(counts)
    }
}

/// Adds `n` to `key`'s count in a short list of (key, count).
fn add_to(list: &mut Vec<(u32, u64)>, key: u32, n: u64) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => *c += n,
        None => list.push((key, n)),
    }
}

/// The counts of every segment so far, by global term, form and (slot, group) ids.
#[derive(Default)]
struct Totals {
    terms: Interner,
    forms: Interner,
    groups: Interner,
    /// (slot, group label id) → (slot, group) id.
    slot_groups: FastMap<(u32, u32), u32>,
    /// (slot, group label id) by (slot, group) id.
    slot_group_of: Vec<(u32, u32)>,
    /// (term, group) → index into `entries`.
    index: FastMap<(u32, u32), u32>,
    entries: Vec<Entry>,
}

/// One term's counts in one group, by global ids.
struct Entry {
    term: u32,
    group: u32,
    freq: u64,
    docs: u64,
    /// (outlet number, occurrences).
    outlets: Vec<(u32, u64)>,
    /// (form id, occurrences).
    forms: Vec<(u32, u64)>,
}

/// A segment's ids mapped to global ones as they are met (`string(local)` is the string).
fn global_id<'s>(
    map: &mut [u32],
    local: u32,
    string: impl Fn(u32) -> &'s str,
    global: &mut Interner,
) -> u32 {
    let slot = &mut map[local as usize];
    if *slot == u32::MAX {
        *slot = global.id(string(local));
    }
    *slot
}

impl Totals {
    /// Adds one segment's cells.
    fn add(&mut self, parts: &[Cells], groups: &SegmentGroups, tokens: &SegmentTokens) {
        let mut term_ids = vec![u32::MAX; tokens.terms.strings.len()];
        let mut form_ids = vec![u32::MAX; tokens.forms.len()];
        let group_ids: Vec<u32> = (0..groups.cell_groups() as u32)
            .map(|cell| {
                let (slot, label) = groups.slot_and_label(cell);
                let key = (slot, self.groups.id(label));
                *self.slot_groups.entry(key).or_insert_with(|| {
                    self.slot_group_of.push(key);
                    self.slot_group_of.len() as u32 - 1
                })
            })
            .collect();
        for part in parts {
            let (mut outlets_at, mut forms_at) = (0usize, 0usize);
            for cell in &part.cells {
                let term = global_id(
                    &mut term_ids,
                    cell.term,
                    |id| &tokens.terms.strings[id as usize],
                    &mut self.terms,
                );
                let group = group_ids[cell.group as usize];
                let at = *self.index.entry((term, group)).or_insert_with(|| {
                    self.entries.push(Entry {
                        term,
                        group,
                        freq: 0,
                        docs: 0,
                        outlets: Vec::new(),
                        forms: Vec::new(),
                    });
                    self.entries.len() as u32 - 1
                });
                let entry = &mut self.entries[at as usize];
                entry.freq += cell.freq;
                entry.docs += cell.docs;
                for &(outlet, n) in &part.outlets[outlets_at..cell.outlets_end as usize] {
                    add_to(&mut entry.outlets, outlet, n);
                }
                for &(form, n) in &part.forms[forms_at..cell.forms_end as usize] {
                    let form = global_id(
                        &mut form_ids,
                        form,
                        |id| tokens.forms.get(id),
                        &mut self.forms,
                    );
                    add_to(&mut entry.forms, form, n);
                }
                (outlets_at, forms_at) = (cell.outlets_end as usize, cell.forms_end as usize);
            }
        }
    }

    /// The totals as one [`TermCounts`] per output (the slots it adds up), added to the
    /// outputs' slots' `documents` (the groups' document and token counts per slot).
    fn into_counts(
        self,
        outputs: &[std::ops::Range<u32>],
        documents: &[TermCounts],
    ) -> Vec<TermCounts> {
        outputs
            .iter()
            .map(|slots| {
                let mut counts = TermCounts::default();
                for slot in slots.clone() {
                    for (label, group) in &documents[slot as usize].groups {
                        counts.group_mut(label).add_sizes(group);
                    }
                }
                self.add_entries(slots, counts)
            })
            .collect()
    }

    /// The entries of `slots`, each term's added up per group, added to `counts`.
    fn add_entries(&self, slots: &std::ops::Range<u32>, mut counts: TermCounts) -> TermCounts {
        // (term, group label) → index into `merged`, in order of first appearance.
        let mut at: FastMap<(u32, u32), u32> = FastMap::default();
        let mut merged: Vec<Entry> = Vec::new();
        for entry in &self.entries {
            let (slot, label) = self.slot_group_of[entry.group as usize];
            if !slots.contains(&slot) {
                continue;
            }
            let i = *at.entry((entry.term, label)).or_insert_with(|| {
                merged.push(Entry {
                    term: entry.term,
                    group: label,
                    freq: 0,
                    docs: 0,
                    outlets: Vec::new(),
                    forms: Vec::new(),
                });
                merged.len() as u32 - 1
            });
            let sum = &mut merged[i as usize];
            sum.freq += entry.freq;
            sum.docs += entry.docs;
            for &(outlet, n) in &entry.outlets {
                add_to(&mut sum.outlets, outlet, n);
            }
            for &(form, n) in &entry.forms {
                add_to(&mut sum.forms, form, n);
            }
        }
        for entry in merged {
            let count = TermCount {
                freq: entry.freq,
                docs: entry.docs,
                by_outlet: entry.outlets.into_iter().collect(),
                forms: entry
                    .forms
                    .into_iter()
                    .map(|(form, n)| (self.forms.strings[form as usize].to_string(), n))
                    .collect(),
            };
            let group = counts.group_mut(&self.groups.strings[entry.group as usize]);
            let term = self.terms.strings[entry.term as usize].to_string();
            group.terms.insert(term, count);
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_numbers_in_order_of_first_appearance_however_strings_repeat() {
        let mut interner = Interner::default();
        let words = [
            "газ",
            "газ",
            "нефть",
            "газ",
            "нефть",
            "нефть",
            "уголь",
            "газ",
        ];
        let ids: Vec<u32> = words.iter().map(|w| interner.id(w)).collect();
        assert_eq!(ids, [0, 0, 1, 0, 1, 1, 2, 0]);
        let strings: Vec<&str> = interner.strings.iter().map(|s| &**s).collect();
        assert_eq!(strings, ["газ", "нефть", "уголь"]);
        assert_eq!(interner.get("нефть"), Some(1));
        assert_eq!(interner.get("торф"), None);
    }

    #[test]
    fn forms_are_numbered_per_token_and_read_back_whole_however_they_repeat() {
        let mut forms = Forms::default();
        let words = ["газа", "", "газ", "газа", "нефть"];
        let ids: Vec<u32> = words.iter().map(|w| forms.push(w)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4]);
        assert_eq!(forms.len(), words.len());
        for (id, word) in ids.iter().zip(words) {
            assert_eq!(forms.get(*id), word);
        }
    }
}
