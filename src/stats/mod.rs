//! Coverage statistics over the whole index or any query's subset, computed in parallel
//! with mergeable accumulators: term keyness between groups, term frequencies, timelines with
//! gaps, entity mentions and frame shares.
//!
//! Every statistic is an [`scan::Accumulator`] run by [`scan::scan`]; the functions here pick
//! the accumulator, run one pass and shape the result.

pub mod attention;
pub mod collapse;
pub mod copies;
pub mod counter;
pub mod counts;
pub mod entities;
mod entity_postings;
mod frame_postings;
pub mod frames;
pub mod fused;
pub mod keyness;
pub mod match_counter;
mod match_words;
pub mod measures;
pub mod ngrams;
pub mod periods;
pub mod postings;
pub mod progress;
pub mod report_terms;
pub mod scan;
pub mod tally;
pub mod terms;
pub mod timeline;
mod token_sums;
pub mod volumes;
mod word_walk;

pub use volumes::timeline;

use crate::fasthash::FastSet;
use crate::index::{schema, Index, Reads};
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::search::SearchError;
use counts::{OutletNumbers, TermChoice, TermCounts, TermExtractor, TermMode};
use entities::{EntityCounts, EntityStats};
use frames::{FrameCounts, FrameStats};
use keyness::{Keyness, KeynessEach, KeynessOptions};
use scan::{scan, scan_across, GroupBy, Subset};
use timeline::{Buckets, Timeline, TimelineCounter};

/// Errors of the statistics layer.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// Selecting the subset failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A group asked for has no documents in the subset.
    #[error("group `{label}` has no documents when grouped by {by}; groups present: {present}")]
    UnknownGroup {
        /// The label asked for.
        label: String,
        /// Grouping field.
        by: GroupBy,
        /// Labels present, comma-separated.
        present: String,
    },
    /// Periods asked for do not fit the selection (an unknown name, an empty period, no
    /// gap to split on).
    #[error("{0}")]
    Periods(String),
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct CompareRequest {
    /// The documents to look at.
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// Target group label.
    pub target: String,
    /// Reference group label; `None` = all other documents.
    pub reference: Option<String>,
    /// Which terms are compared.
    pub terms: TermChoice,
    /// Measures and cut-offs.
    pub options: KeynessOptions,
}

/// The index's outlets, numbered in sorted order.
pub(crate) fn outlet_numbers(index: &Index) -> Result<OutletNumbers, SearchError> {
    let names = outlet_names(index)?;
    Ok(OutletNumbers::new(names.iter().map(String::as_str)))
}

/// The index's outlet keys, sorted and distinct: name `i` is what outlet number `i` of the
/// counts stands for.
pub fn outlet_names(index: &Index) -> Result<Vec<String>, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut outlets = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        if let Some(column) = segment.fast_fields().str(schema::OUTLET)? {
            let mut value = String::new();
            for ord in 0..column.num_terms() as u64 {
                value.clear();
                if column
                    .ord_to_str(ord, &mut value)
                    .map_err(tantivy::TantivyError::from)?
                {
                    outlets.insert(value.clone());
                }
            }
        }
    }
    Ok(outlets.into_iter().collect())
}

/// Term counts of a subset, from the index: single words from its postings (see
/// [`postings`]), n-grams from its positions (see [`ngrams`]).
pub fn term_counts(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    extractor: &TermExtractor,
    outlets: &OutletNumbers,
) -> Result<TermCounts, StatsError> {
    term_counts_for(
        TermCountSpec {
            index,
            subset,
            by,
            extractor,
            outlets,
        },
        Needed::default(),
    )
}

/// What a term count counts: the `extractor`'s terms in `subset`'s documents grouped `by`,
/// outlets numbered by `outlets`. One value for the single-word and the n-gram counters.
#[derive(Debug, Clone, Copy)]
pub struct TermCountSpec<'a> {
    /// The index counted.
    pub index: &'a Index,
    /// Its documents counted.
    pub subset: &'a Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// Which terms (mode, n-gram size, stopwords).
    pub extractor: &'a TermExtractor,
    /// Outlet numbers of the counts.
    pub outlets: &'a OutletNumbers,
}

/// How much of the n-gram counts a caller needs (single words are always counted in full).
#[derive(Debug, Clone, Copy, Default)]
pub struct Needed {
    /// N-grams counted fewer times than this over all groups may be left out (keyness tests
    /// nothing rarer than its `--min-freq`), which keeps memory bounded.
    pub min_total: u64,
    /// The counts are only ranked by keyness: n-grams are counted without outlets and
    /// surface forms, which [`TermCounts::with_details`] gives for the listed ones (and,
    /// unless `outlets`, by ids: see [`TermCounts::rows`]).
    pub ranking_only: bool,
    /// With `ranking_only`, keep every n-gram's outlet counts all the same (balanced
    /// keyness ranks by them).
    pub outlets: bool,
}

/// [`term_counts`] for a caller that needs only what `needed` says.
pub fn term_counts_for(spec: TermCountSpec, needed: Needed) -> Result<TermCounts, StatsError> {
    let TermCountSpec {
        index,
        subset,
        by,
        extractor,
        outlets,
    } = spec;
    Ok(if extractor.counts_words() {
        postings::count_terms(index, subset, by, extractor, outlets)?
    } else {
        ngrams::count_ngrams(spec, needed)?
    })
}

/// What is counted as a "term" of a comparison.
#[derive(Debug, Clone, Copy, Default)]
pub enum CompareItems<'a> {
    /// Words or n-grams.
    #[default]
    Terms,
    /// Gazetteer entities (mentions).
    Entities(&'a EntityMatcher),
    /// Frames (hits).
    Frames(&'a FrameMatcher),
}

impl CompareItems<'_> {
    /// `keyness` as these items are shown: entity and frame ids as they are, terms by their
    /// most frequent word form.
    pub fn shown(self, keyness: Keyness) -> Keyness {
        match self {
            CompareItems::Terms => keyness,
            CompareItems::Entities(_) | CompareItems::Frames(_) => keyness.labels_as_terms(),
        }
    }
}

// Repeated shape: a short entry point over its general form (here `compare_items`), as
// `cli::select::verified_index` is over `verified_index_for`: `duplicates` pairs the two by
// shape alone.
/// Keyness of `target` against `reference` over the request's subset, for terms.
pub fn compare(index: &Index, request: &CompareRequest) -> Result<Keyness, StatsError> {
    compare_items(index, request, CompareItems::Terms)
}

/// Keyness of `target` against `reference` for terms, entities or frames.
pub fn compare_items(
    index: &Index,
    request: &CompareRequest,
    items: CompareItems,
) -> Result<Keyness, StatsError> {
    let counts = item_counts(index, request, items)?;
    keyness_of_items(&counts, request, items)
}

/// Keyness of the request's target against its reference from finished counts of `items`
/// (entities and frames shown by their labels).
pub fn keyness_of_items(
    counts: &TermCounts,
    request: &CompareRequest,
    items: CompareItems,
) -> Result<Keyness, StatsError> {
    Ok(items.shown(keyness_of(counts, request)?))
}

/// Every group (or outlet, with `--by outlet`) against all the others, for terms, entities
/// or frames (`--target each`); the request's target and reference are not used.
pub fn compare_each(
    index: &Index,
    request: &CompareRequest,
    items: CompareItems,
) -> Result<KeynessEach, StatsError> {
    let counts = item_counts(index, request, items)?;
    Ok(each_of_items(&counts, request, items))
}

/// Every group against all the others from finished counts of `items`.
pub fn each_of_items(
    counts: &TermCounts,
    request: &CompareRequest,
    items: CompareItems,
) -> KeynessEach {
    let each = keyness::each(counts, &request.options);
    KeynessEach {
        comparisons: each
            .comparisons
            .into_iter()
            .map(|k| items.shown(k))
            .collect(),
    }
}

/// The counts of a comparison's items per group over the request's subset.
pub fn item_counts(
    index: &Index,
    request: &CompareRequest,
    items: CompareItems,
) -> Result<TermCounts, StatsError> {
    let terms = request.terms;
    // Keyness tests only terms with a + b ≥ min_freq (a + b ≤ the total, in either unit),
    // so rarer n-grams need not be counted.
    let needed = Needed {
        min_total: request.options.min_freq,
        ranking_only: true,
        outlets: request.options.balance_outlets,
    };
    counts_at_least(index, &request.subset, request.by, terms, items, needed)
}

/// What [`item_counts`] reads of the index, and so which of its files are checked before:
/// single words counted for a query without a phrase read postings without positions
/// ([`Reads::Postings`]); n-grams, entities, frames and phrases read positions too
/// ([`Reads::Index`]). Neither reads stored text.
pub fn item_reads(request: &CompareRequest, items: CompareItems) -> Reads {
    let words = matches!(items, CompareItems::Terms) && request.terms.extractor().counts_words();
    if words && !crate::search::query::reads_positions(&request.subset.query) {
        Reads::Postings
    } else {
        Reads::Index
    }
}

/// The counts of terms (with the term mode, n-gram size and whether stopwords are kept),
/// entities or frames per group over a subset, outlets numbered as [`outlet_names`] lists
/// them.
pub fn counts_of_items(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    terms: TermChoice,
    items: CompareItems,
) -> Result<TermCounts, StatsError> {
    counts_at_least(index, subset, by, terms, items, Needed::default())
}

/// [`counts_of_items`] with as much of the n-gram counts as `needed` says (see
/// [`Needed`]).
fn counts_at_least(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    terms: TermChoice,
    items: CompareItems,
    needed: Needed,
) -> Result<TermCounts, StatsError> {
    Ok(match items {
        CompareItems::Terms => {
            let outlets = outlet_numbers(index)?;
            let extractor = terms.extractor();
            let spec = TermCountSpec {
                index,
                subset,
                by,
                extractor: &extractor,
                outlets: &outlets,
            };
            term_counts_for(spec, needed)?
        }
        CompareItems::Entities(matcher) => entity_counts(index, subset, by, matcher)?.mentions,
        CompareItems::Frames(matcher) => frame_counts(index, subset, by, matcher, None)?.hits,
    })
}

/// Keyness of the request's target against its reference from finished counts.
pub fn keyness_of(counts: &TermCounts, request: &CompareRequest) -> Result<Keyness, StatsError> {
    let unknown = |label: &str| StatsError::UnknownGroup {
        label: label.to_string(),
        by: request.by,
        present: counts.groups.keys().cloned().collect::<Vec<_>>().join(", "),
    };
    if !counts.groups.contains_key(&request.target) {
        return Err(unknown(&request.target));
    }
    if let Some(label) = &request.reference {
        if !counts.groups.contains_key(label) {
            return Err(unknown(label));
        }
    }
    let sides = keyness::Sides::new(&request.target, request.reference.as_deref());
    Ok(keyness::compare(counts, &sides, &request.options))
}

/// [`timeline`] of several indexes (shards of one corpus) as of one index of all their
/// documents.
pub fn timeline_across(
    indexes: &[Index],
    subset: &Subset,
    by: GroupBy,
    buckets: Buckets,
    min_gap_days: u64,
) -> Result<Timeline, StatsError> {
    if let [index] = indexes {
        // One index: volumes from postings and fast fields, no stored text read.
        return timeline(index, subset, by, buckets, min_gap_days);
    }
    let extractor = TermExtractor::default();
    let count = |subset: &Subset| {
        scan_across(indexes, subset, by, || {
            TimelineCounter::new(&extractor, buckets, min_gap_days)
        })
    };
    let matches = count(subset)?;
    let query = subset.query.trim();
    if query.is_empty() || query == "*" {
        return Ok(matches);
    }
    let whole = count(&Subset {
        query: String::new(),
        filters: subset.filters.clone(),
    })?;
    Ok(matches.within(whole))
}

/// Attention to the subset's query: per group and bucket, its matches against the group's
/// documents under the same filters without the query.
pub fn attention(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    buckets: Buckets,
) -> Result<attention::Attention, StatsError> {
    attention_across(std::slice::from_ref(index), subset, by, buckets)
}

/// [`attention`] over several indexes (shards of one corpus) as over one index of all their
/// documents.
pub fn attention_across(
    indexes: &[Index],
    subset: &Subset,
    by: GroupBy,
    buckets: Buckets,
) -> Result<attention::Attention, StatsError> {
    let matching = scan_across(indexes, subset, by, || {
        attention::BucketCounter::new(buckets)
    })?;
    let whole_subset = Subset {
        query: String::new(),
        filters: subset.filters.clone(),
    };
    let whole = scan_across(indexes, &whole_subset, by, || {
        attention::BucketCounter::new(buckets)
    })?;
    Ok(attention::attention(
        &subset.query,
        buckets.interval,
        matching,
        whole,
    ))
}

/// Near-duplicate clusters over the subset with their summary (`talking_points` listed
/// overall and per group).
pub fn copies(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    min_similarity: f64,
    talking_points: usize,
) -> Result<copies::Copies, StatsError> {
    let (records, group_documents) = copies::collect_candidates(index, subset, by)?;
    Ok(copies::copies(
        &records,
        &group_documents,
        min_similarity,
        talking_points,
    )?)
}

/// Near-duplicate clusters (two documents or more) among the documents of `subset`, without
/// the per-group summary: what a document page needs to list one document's cluster.
pub fn copy_clusters(
    index: &Index,
    subset: &Subset,
    min_similarity: f64,
) -> Result<Vec<copies::Cluster>, StatsError> {
    let (records, _) = copies::collect_candidates(index, subset, GroupBy::Category)?;
    Ok(copies::clusters(&records, min_similarity)?)
}

/// Entity mentions, share of voice, daily series, co-mentions and unknown names over a subset.
pub fn entities(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    matcher: &EntityMatcher,
    unknown_limit: usize,
) -> Result<EntityStats, StatsError> {
    let counts = entity_counts(index, subset, by, matcher)?;
    Ok(counts.stats(matcher.registry(), unknown_limit))
}

/// What the entity and frame walks start from: the index's outlet numbers, a searcher, and
/// the subset's documents per segment (`Tables::matched`).
fn matched_in(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
) -> Result<(OutletNumbers, tantivy::Searcher, volumes::Tables), StatsError> {
    let outlets = outlet_numbers(index)?;
    let reader = index.reader().map_err(SearchError::from)?;
    let searcher = reader.searcher();
    let tables = volumes::Tables::read(index, &searcher, subset, by, false)?;
    Ok((outlets, searcher, tables))
}

// Repeated shape: one counting entry point per matcher type (entities, frames); their counters
// differ.
/// Entity mentions counted over a subset (tokens counted as the term statistics count them).
pub fn entity_counts(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    matcher: &EntityMatcher,
) -> Result<EntityCounts, StatsError> {
    // From the names fields, term dictionaries, positions and fast fields.
    let (outlets, searcher, tables) = matched_in(index, subset, by)?;
    Ok(entity_postings::entity_counts(
        &searcher,
        &tables.matched,
        matcher,
        &outlets,
    )?)
}

// Repeated shape: one counting entry point per matcher type (entities, frames); their counters
// differ.
/// Frame hits counted over a subset, per bucket too when `buckets` is given.
pub fn frame_counts(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    matcher: &FrameMatcher,
    buckets: Option<Buckets>,
) -> Result<FrameCounts, StatsError> {
    // From the index's term dictionaries, positions and fast fields.
    let (outlets, searcher, tables) = matched_in(index, subset, by)?;
    Ok(frame_postings::frame_counts(
        &searcher,
        &tables.matched,
        matcher,
        buckets,
        &outlets,
    )?)
}

/// Frame shares per group, overall and per bucket, over a subset.
pub fn frames(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    matcher: &FrameMatcher,
    buckets: Buckets,
) -> Result<FrameStats, StatsError> {
    let counts = frame_counts(index, subset, by, matcher, Some(buckets))?;
    Ok(counts.stats(matcher.registry()))
}

/// What `stats terms` lists.
#[derive(Debug, Clone)]
pub struct TermsRequest {
    /// The documents.
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// How words become terms.
    pub mode: TermMode,
    /// Terms listed per group.
    pub top: usize,
    /// Words whose series per bucket are wanted (analyzed like the documents).
    pub chosen: Vec<String>,
    /// Buckets of the series.
    pub buckets: Buckets,
}

/// The `top` most frequent terms per group and, for the chosen words, their series per
/// bucket normalized per million tokens.
pub fn terms(index: &Index, request: &TermsRequest) -> Result<terms::TermStats, StatsError> {
    let extractor = TermExtractor::new(request.mode, 1, false);
    let outlets = outlet_numbers(index)?;
    let counts = term_counts(index, &request.subset, request.by, &extractor, &outlets)?;
    let series = chosen_series(request, |make| {
        scan(index, &request.subset, request.by, make)
    })?;
    Ok(terms::TermStats {
        groups: terms::top_terms(&counts, request.top),
        series,
    })
}

/// [`terms`] of several indexes (shards of one corpus) whose term counts are `counts`
/// (merged from their partials): the chosen words' series counted across them.
pub fn terms_across(
    indexes: &[Index],
    counts: &TermCounts,
    request: &TermsRequest,
) -> Result<terms::TermStats, StatsError> {
    let series = chosen_series(request, |make| {
        scan_across(indexes, &request.subset, request.by, make)
    })?;
    Ok(terms::TermStats {
        groups: terms::top_terms(counts, request.top),
        series,
    })
}

/// The series of the request's chosen words, counted by `scan_with` (empty when none were
/// chosen).
fn chosen_series(
    request: &TermsRequest,
    scan_with: impl for<'b> FnOnce(
        &'b (dyn Fn() -> terms::TermSeriesCounter<'b> + Sync + Send + 'b),
    ) -> Result<Vec<terms::TermPoint>, SearchError>,
) -> Result<Vec<terms::TermPoint>, StatsError> {
    if request.chosen.is_empty() {
        return Ok(Vec::new());
    }
    let keep = TermExtractor::new(request.mode, 1, true);
    let wanted: FastSet<String> = request
        .chosen
        .iter()
        .flat_map(|word| keep.terms(word).into_iter().map(|t| t.0))
        .collect();
    let extractor = TermExtractor::new(request.mode, 1, false);
    Ok(scan_with(&|| {
        terms::TermSeriesCounter::new(&extractor, &wanted, request.buckets)
    })?)
}

/// Entity figures and entity keyness for `request`'s groups from one pass over the subset.
pub fn entities_with_keyness(
    index: &Index,
    request: &CompareRequest,
    matcher: &EntityMatcher,
    unknown_limit: usize,
) -> Result<(EntityStats, Keyness), StatsError> {
    let counts = entity_counts(index, &request.subset, request.by, matcher)?;
    let keyness = keyness_of(&counts.mentions, request)?.labels_as_terms();
    Ok((counts.stats(matcher.registry(), unknown_limit), keyness))
}

/// Frame shares and frame keyness for `request`'s groups from one pass over the subset.
pub fn frames_with_keyness(
    index: &Index,
    request: &CompareRequest,
    matcher: &FrameMatcher,
    buckets: Buckets,
) -> Result<(FrameStats, Keyness), StatsError> {
    let counts = frame_counts(index, &request.subset, request.by, matcher, Some(buckets))?;
    let keyness = keyness_of(&counts.hits, request)?.labels_as_terms();
    Ok((counts.stats(matcher.registry()), keyness))
}
