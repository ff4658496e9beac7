//! Coverage statistics over the whole index or any query's subset, computed in parallel
//! with mergeable accumulators: term keyness between groups, timelines with gaps.

pub mod counts;
pub mod entities;
pub mod frames;
pub mod keyness;
pub mod measures;
pub mod scan;
pub mod tally;
pub mod terms;
pub mod timeline;

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::Index;

use crate::registry::{EntityRegistry, FrameRegistry};
use crate::search::SearchError;
use counts::CorpusCounts;
use counts::{TermExtractor, TermMode};
use entities::{EntityAccumulator, EntityStats};
use frames::{FrameAccumulator, FrameStats};
use keyness::{Keyness, KeynessOptions, TermAccumulator};
use scan::{scan, GroupBy, Subset};
use timeline::{Interval, Timeline, TimelineAccumulator};

/// Errors of the statistics layer.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// Selecting the subset failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A group named on the command line has no documents in the subset.
    #[error("group `{label}` has no documents under --by {by}; groups present: {present}")]
    UnknownGroup {
        /// The label asked for.
        label: String,
        /// Grouping field.
        by: String,
        /// Labels present.
        present: String,
    },
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
    /// How words become terms.
    pub mode: TermMode,
    /// N-gram size (1–3).
    pub ngram: usize,
    /// Keep stopwords.
    pub keep_stopwords: bool,
    /// Measures and cut-offs.
    pub options: KeynessOptions,
}

fn outlet_numbers(index: &Index) -> Result<BTreeMap<String, u32>, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut outlets = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        if let Some(column) = segment.fast_fields().str(crate::index::schema::OUTLET)? {
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
    Ok(outlets
        .into_iter()
        .enumerate()
        .map(|(i, o)| (o, i as u32))
        .collect())
}

/// What is counted as a "term" of a comparison.
#[derive(Debug, Clone, Default)]
pub enum CompareItems {
    /// Words or n-grams.
    #[default]
    Terms,
    /// Gazetteer entities (mentions).
    Entities(Arc<EntityRegistry>),
    /// Frames (hits).
    Frames(Arc<FrameRegistry>),
}

/// Keyness of `target` against `reference` over the request's subset, for terms.
pub fn compare(index: &Index, request: &CompareRequest) -> Result<Keyness, StatsError> {
    compare_items(index, request, &CompareItems::Terms)
}

/// Keyness of `target` against `reference` for terms, entities or frames.
pub fn compare_items(
    index: &Index,
    request: &CompareRequest,
    items: &CompareItems,
) -> Result<Keyness, StatsError> {
    let labels = !matches!(items, CompareItems::Terms);
    let counts = match items {
        CompareItems::Terms => {
            let outlets = Arc::new(outlet_numbers(index)?);
            let extractor = Arc::new(TermExtractor::new(
                request.mode,
                request.ngram,
                request.keep_stopwords,
            ));
            let (acc, _) = scan(index, &request.subset, request.by, || {
                TermAccumulator::new(Arc::clone(&extractor), Arc::clone(&outlets))
            })?;
            acc.into_counts()
        }
        CompareItems::Entities(registry) => {
            scan_entities(index, &request.subset, request.by, registry)?.counts
        }
        CompareItems::Frames(registry) => {
            scan_frames(index, &request.subset, request.by, registry, Interval::Day)?.counts
        }
    };
    let keyness = keyness_of(&counts, request)?;
    Ok(if labels {
        keyness.labels_as_terms()
    } else {
        keyness
    })
}

fn keyness_of(counts: &CorpusCounts, request: &CompareRequest) -> Result<Keyness, StatsError> {
    let present = || counts.groups.keys().cloned().collect::<Vec<_>>().join(", ");
    let target = counts
        .groups
        .get(&request.target)
        .ok_or_else(|| StatsError::UnknownGroup {
            label: request.target.clone(),
            by: request.by.name().to_string(),
            present: present(),
        })?;
    let (reference_label, reference) = match &request.reference {
        Some(label) => {
            let group = counts
                .groups
                .get(label)
                .ok_or_else(|| StatsError::UnknownGroup {
                    label: label.clone(),
                    by: request.by.name().to_string(),
                    present: present(),
                })?;
            (label.clone(), keyness::combine(&[group]))
        }
        None => {
            let others: Vec<_> = counts
                .groups
                .iter()
                .filter(|(label, _)| **label != request.target)
                .map(|(_, g)| g)
                .collect();
            ("all others".to_string(), keyness::combine(&others))
        }
    };
    Ok(keyness::compare(
        counts,
        &request.target,
        target,
        &reference_label,
        &reference,
        &request.options,
    ))
}

/// Documents and tokens per group per interval over the subset, with gaps of ≥ `min_gap_days`.
pub fn timeline(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    interval: Interval,
    min_gap_days: u64,
) -> Result<(Timeline, u64), StatsError> {
    let extractor = Arc::new(TermExtractor::new(TermMode::Analyzed, 1, false));
    let zone = subset.filters.zone;
    let (acc, total) = scan(index, subset, by, || {
        TimelineAccumulator::new(Arc::clone(&extractor), interval, zone)
    })?;
    Ok((acc.finish(min_gap_days), total))
}

/// Entity mentions, share of voice, daily series, co-mentions and unknown names over a subset.
pub fn entities(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    registry: Arc<EntityRegistry>,
    unknown_limit: usize,
) -> Result<EntityStats, StatsError> {
    Ok(scan_entities(index, subset, by, &registry)?.finish(unknown_limit))
}

/// Frame shares per group, overall and per interval, over a subset.
pub fn frames(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    registry: Arc<FrameRegistry>,
    interval: Interval,
) -> Result<FrameStats, StatsError> {
    Ok(scan_frames(index, subset, by, &registry, interval)?.finish())
}

/// The `top` most frequent terms per group and, for `chosen` words (analyzed like the
/// documents), their series per interval normalized per million tokens.
pub fn terms(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    mode: TermMode,
    top: usize,
    chosen: &[String],
    interval: Interval,
) -> Result<terms::TermStats, StatsError> {
    let extractor = Arc::new(TermExtractor::new(mode, 1, false));
    let outlets = Arc::new(outlet_numbers(index)?);
    let (acc, _) = scan(index, subset, by, || {
        TermAccumulator::new(Arc::clone(&extractor), Arc::clone(&outlets))
    })?;
    let groups = terms::top_terms(&acc.into_counts(), top);
    let mut series = Vec::new();
    if !chosen.is_empty() {
        let keep = Arc::new(TermExtractor::new(mode, 1, true));
        let wanted: crate::fasthash::FastSet<String> = chosen
            .iter()
            .flat_map(|word| keep.terms(word).into_iter().map(|t| t.0))
            .collect();
        let wanted = Arc::new(wanted);
        let (acc, _) = scan(index, subset, by, || {
            terms::TermSeriesAccumulator::new(
                Arc::clone(&extractor),
                Arc::clone(&wanted),
                interval,
                subset.filters.zone,
            )
        })?;
        series = acc.finish();
    }
    Ok(terms::TermStats { groups, series })
}

/// Entity figures and entity keyness for `request`'s groups from one pass over the subset.
pub fn entities_with_keyness(
    index: &Index,
    request: &CompareRequest,
    registry: Arc<EntityRegistry>,
    unknown_limit: usize,
) -> Result<(EntityStats, Keyness), StatsError> {
    let acc = scan_entities(index, &request.subset, request.by, &registry)?;
    let keyness = keyness_of(&acc.counts, request)?.labels_as_terms();
    Ok((acc.finish(unknown_limit), keyness))
}

/// Frame shares and frame keyness for `request`'s groups from one pass over the subset.
pub fn frames_with_keyness(
    index: &Index,
    request: &CompareRequest,
    registry: Arc<FrameRegistry>,
    interval: Interval,
) -> Result<(FrameStats, Keyness), StatsError> {
    let acc = scan_frames(index, &request.subset, request.by, &registry, interval)?;
    let keyness = keyness_of(&acc.counts, request)?.labels_as_terms();
    Ok((acc.finish(), keyness))
}

/// One parallel pass of the entity accumulator over `subset`.
fn scan_entities(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    registry: &Arc<EntityRegistry>,
) -> Result<EntityAccumulator, StatsError> {
    let by_first = Arc::new(entities::first_term_index(registry));
    let counting = Arc::new(TermExtractor::new(TermMode::Analyzed, 1, false));
    let outlets = Arc::new(outlet_numbers(index)?);
    let (acc, _) = scan(index, subset, by, || {
        EntityAccumulator::new(
            Arc::clone(registry),
            Arc::clone(&by_first),
            Arc::clone(&counting),
            Arc::clone(&outlets),
        )
    })?;
    Ok(acc)
}

/// One parallel pass of the frame accumulator over `subset`.
fn scan_frames(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    registry: &Arc<FrameRegistry>,
    interval: Interval,
) -> Result<FrameAccumulator, StatsError> {
    let counting = Arc::new(TermExtractor::new(TermMode::Analyzed, 1, false));
    let outlets = Arc::new(outlet_numbers(index)?);
    let (acc, _) = scan(index, subset, by, || {
        FrameAccumulator::new(
            Arc::clone(registry),
            Arc::clone(&counting),
            Arc::clone(&outlets),
            interval,
            subset.filters.zone,
        )
    })?;
    Ok(acc)
}
