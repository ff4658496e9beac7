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

use std::sync::Arc;

use rayon::prelude::*;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocId, DocSet, InvertedIndexReader, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
};

use crate::analysis::tokenizer::split_index_token;
use crate::fasthash::FastMap;
use crate::index::{schema, Index};
use crate::search::{self, SearchError};
use crate::stats::counts::{OutletNumbers, TermCount, TermCounts, TermExtractor};
use crate::stats::progress;
use crate::stats::scan::{GroupBy, Subset};

/// No group: the document is not in the subset.
const OUTSIDE: u32 = u32::MAX;

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
    /// Per document of the segment: its group number, [`OUTSIDE`] when not in the subset.
    pub doc_group: Vec<u32>,
    /// Per document of the segment: its outlet's number.
    pub doc_outlet: Vec<u32>,
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
        let outlet_numbers: Vec<u32> = outlet_names.iter().map(|o| outlets.of(o)).collect();
        let mut doc_group = vec![OUTSIDE; max_doc];
        let mut doc_outlet = vec![0u32; max_doc];
        for (i, &doc) in docs.iter().enumerate() {
            doc_group[doc as usize] = group_of[i];
            doc_outlet[doc as usize] = outlet_numbers[outlet_of[i] as usize];
        }
        Ok(SegmentGroups {
            groups,
            doc_group,
            doc_outlet,
        })
    }

    /// Whether `doc` is in the subset.
    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.doc_group[doc as usize] != OUTSIDE
    }

    /// Counts each of `docs` in its group, with its counted tokens (`doc_tokens`, per
    /// document of the segment).
    pub fn add_documents(&self, counts: &mut TermCounts, docs: &[DocId], doc_tokens: &[u64]) {
        for &doc in docs {
            let group = counts.group_mut(&self.groups[self.doc_group[doc as usize] as usize]);
            let (outlet, tokens) = (self.doc_outlet[doc as usize], doc_tokens[doc as usize]);
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
    let schema = searcher.schema();
    let field = |name| {
        schema
            .get_field(name)
            .expect("the schema has title and text")
    };
    Ok([
        segment.inverted_index(field(schema::TITLE))?,
        segment.inverted_index(field(schema::TEXT))?,
    ])
}

/// Calls `each(field, term, exact, info)` for every token of both fields' dictionaries, in
/// field and dictionary order: the token's field (0 = title, 1 = text), its two parts (see
/// [`split_index_token`]) and where its postings are.
pub(super) fn for_each_token(
    inverted: &[Arc<InvertedIndexReader>; 2],
    mut each: impl FnMut(u8, &str, &str, &TermInfo),
) -> Result<(), SearchError> {
    for (field, inverted) in inverted.iter().enumerate() {
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let Ok(token) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let (term, exact) = split_index_token(token);
            each(field as u8, term, exact, stream.value());
        }
    }
    Ok(())
}

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
    /// The tokens, sorted by counted term.
    tokens: Vec<Token>,
    /// Counted terms.
    terms: Interner,
    /// Surface forms.
    forms: Interner,
}

impl SegmentTokens {
    /// The tokens of `segment` that `extractor` counts (it counts single words).
    pub fn new(
        searcher: &Searcher,
        segment: &SegmentReader,
        extractor: &TermExtractor,
    ) -> Result<SegmentTokens, SearchError> {
        let inverted = title_and_text(searcher, segment)?;
        let (mut terms, mut forms) = (Interner::default(), Interner::default());
        let mut tokens = Vec::new();
        for_each_token(&inverted, |field, term, exact, info| {
            if let Some((counted, surface)) = extractor.counted_token(exact, term) {
                tokens.push(Token {
                    term: terms.id(counted),
                    form: forms.id(surface),
                    field,
                    info: info.clone(),
                });
            }
        })?;
        tokens.sort_by_key(|t| t.term);
        Ok(SegmentTokens {
            inverted,
            tokens,
            terms,
            forms,
        })
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
                let mut postings = self.inverted[token.field as usize]
                    .read_postings_from_terminfo(&token.info, IndexRecordOption::WithFreqs)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if contains(doc) {
                        counts[doc as usize] += postings.term_freq();
                    }
                    doc = postings.advance();
                }
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
}

impl Interner {
    /// The id of `text`, numbering it when new.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }
}

/// What one worker counted over some terms of a segment.
struct Partial {
    counts: TermCounts,
    /// Counted tokens per document of the segment.
    doc_tokens: Vec<u64>,
}

/// Counts the terms of `subset`'s documents grouped `by`, from the postings; the same counts
/// as running a [`crate::stats::counts::TermCounter`] with a single-word `extractor` over
/// the stored texts.
pub fn count_terms(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
) -> Result<TermCounts, SearchError> {
    debug_assert!(extractor.counts_words());
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut total = TermCounts::default();
    let segments = subset_docs(index, &searcher, subset)?;
    pass_over(&segments);
    for (segment_ord, docs) in segments {
        let counts = count_segment(&searcher, segment_ord, &docs, by, extractor, outlets)?;
        total.merge(counts);
        progress::advanced(docs.len() as u64);
    }
    Ok(total)
}

fn count_segment(
    searcher: &Searcher,
    segment_ord: SegmentOrdinal,
    docs: &[DocId],
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
) -> Result<TermCounts, SearchError> {
    let segment = searcher.segment_reader(segment_ord);
    let max_doc = segment.max_doc() as usize;
    let SegmentGroups {
        groups,
        doc_group,
        doc_outlet,
    } = SegmentGroups::new(segment, docs, by, outlets)?;

    let SegmentTokens {
        inverted,
        tokens,
        terms,
        forms,
    } = SegmentTokens::new(searcher, segment, extractor)?;
    let by_term: Vec<&[Token]> = tokens.chunk_by(|a, b| a.term == b.term).collect();

    let group_labels = &groups;
    let work = |part: &[&[Token]]| -> Result<Partial, SearchError> {
        let mut partial = Partial {
            counts: TermCounts::default(),
            doc_tokens: vec![0; max_doc],
        };
        let mut postings_of_term: Vec<(DocId, u32, u32)> = Vec::new();
        for same_term in part {
            postings_of_term.clear();
            for token in *same_term {
                let mut postings = inverted[token.field as usize]
                    .read_postings_from_terminfo(&token.info, IndexRecordOption::WithFreqs)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if doc_group[doc as usize] != OUTSIDE {
                        postings_of_term.push((doc, postings.term_freq(), token.form));
                    }
                    doc = postings.advance();
                }
            }
            if same_term.len() > 1 {
                postings_of_term.sort_unstable();
            }
            let term = &terms.strings[same_term[0].term as usize];
            add_term(
                term,
                &postings_of_term,
                &doc_group,
                &doc_outlet,
                group_labels,
                &forms.strings,
                &mut partial,
            );
        }
        Ok(partial)
    };
    // A few large parts: merging partial counts is cheap (their terms are disjoint), reading
    // postings is the work.
    let parts = rayon::current_num_threads().max(1) * 4;
    let part_len = by_term.len().div_ceil(parts).max(1);
    let merged = by_term
        .par_chunks(part_len)
        .map(work)
        .try_reduce_with(|mut a, b| {
            a.counts.merge(b.counts);
            for (mine, theirs) in a.doc_tokens.iter_mut().zip(b.doc_tokens) {
                *mine += theirs;
            }
            Ok(a)
        });
    let Partial {
        mut counts,
        doc_tokens,
    } = match merged {
        Some(result) => result?,
        None => Partial {
            counts: TermCounts::default(),
            doc_tokens: vec![0; max_doc],
        },
    };
    let segment_groups = SegmentGroups {
        groups,
        doc_group,
        doc_outlet,
    };
    segment_groups.add_documents(&mut counts, docs, &doc_tokens);
    Ok(counts)
}

/// One group's count of a term, with its forms by id (a term has few forms).
type GroupTermCount = (u32, TermCount, Vec<(u32, u64)>);

/// Adds one counted term's postings (sorted by document) to the partial counts.
fn add_term(
    term: &str,
    postings: &[(DocId, u32, u32)],
    doc_group: &[u32],
    doc_outlet: &[u32],
    group_labels: &[String],
    forms: &[Box<str>],
    partial: &mut Partial,
) {
    let mut per_group: Vec<GroupTermCount> = Vec::new();
    for same_doc in postings.chunk_by(|a, b| a.0 == b.0) {
        let doc = same_doc[0].0 as usize;
        let group = doc_group[doc];
        let n: u64 = same_doc.iter().map(|p| u64::from(p.1)).sum();
        partial.doc_tokens[doc] += n;
        let slot = match per_group.iter().position(|g| g.0 == group) {
            Some(at) => at,
            None => {
                per_group.push((group, TermCount::default(), Vec::new()));
                per_group.len() - 1
            }
        };
        let (_, count, form_counts) = &mut per_group[slot];
        count.freq += n;
        count.docs += 1;
        count.by_outlet.add(doc_outlet[doc], n);
        for &(_, tf, form) in same_doc {
            match form_counts.iter_mut().find(|(f, _)| *f == form) {
                Some((_, c)) => *c += u64::from(tf),
                None => form_counts.push((form, u64::from(tf))),
            }
        }
    }
    for (group, mut count, form_counts) in per_group {
        count.forms = form_counts
            .into_iter()
            .map(|(form, n)| (forms[form as usize].to_string(), n))
            .collect();
        let counts = partial.counts.group_mut(&group_labels[group as usize]);
        counts.terms.insert(term.to_string(), count);
    }
}
