//! Collecting a report: a [`Source`] (an index, or shards merged) and a [`ReportRequest`] in,
//! [`ReportData`] out. Everything goes through the source's statistics and search APIs (no
//! query is built here): facet counts per group, the timeline, keyness both ways, example
//! passages, entities, frames and the index fingerprint; [`super::sections`] and
//! [`super::prose`] shape the results.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::registry::{EntityMatcher, EntityRegistry, FrameMatcher, FrameRegistry};
use crate::search::{FacetCounts, Passage, PassageQuery};
use crate::stats::fused::{ReportCounts, ReportPass, StepTimer};
use crate::stats::keyness::{KeyTerm, Keyness, KeynessOptions, Side};
use crate::stats::report_terms::TermPass;
use crate::stats::timeline::Interval;
use crate::stats::{self, CompareItems};

use super::data::{
    EntitySection, Example, FrameSection, LeftOut, Provenance, Question, ReportData, ENTITY_TOP,
    UNKNOWN_NAMES,
};
use super::request::{ReportError, ReportRequest, Step};
use super::sections::ListKind;
use super::source::{Section, Source};
use super::{dynamics, prose, sections};

/// Most buckets a timeline series may have in a report; a finer interval over a longer range
/// (one document dated 1900 in a 2022 corpus) gives way to a coarser one, with a note.
pub const MAX_TIMELINE_POINTS: u64 = 5_000;

/// The interval the report uses for the days in `days` (the first and last matter), and a
/// note when it is coarser than the one asked for.
fn fitting_interval(asked: Interval, days: &BTreeMap<String, u64>) -> (Interval, Option<String>) {
    let parse = |d: Option<&String>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let (Some(first), Some(last)) = (parse(days.keys().next()), parse(days.keys().next_back()))
    else {
        return (asked, None);
    };
    let chosen = asked.within(first, last, MAX_TIMELINE_POINTS);
    let note = (chosen != asked).then(|| {
        format!(
            "The timeline is per {} rather than per {}: the documents span {first} to {last}, which per {} would need {} points per series (the limit is {MAX_TIMELINE_POINTS}).",
            chosen.name(),
            asked.name(),
            asked.name(),
            asked.buckets(first, last)
        )
    });
    (chosen, note)
}

/// Collects the report's data without progress reports.
pub fn collect(source: &dyn Source, request: &ReportRequest) -> Result<ReportData, ReportError> {
    collect_with_progress(source, request, &|_| {})
}

/// Collects the report's data, calling `progress` as each [`Step`] starts. With the
/// environment variable `MEDIAWATCH_PROFILE` set, each step's wall time goes to stderr (a
/// measuring aid for the benchmarks; the report itself does not change).
pub fn collect_with_progress(
    source: &dyn Source,
    request: &ReportRequest,
    progress: &dyn Fn(Step),
) -> Result<ReportData, ReportError> {
    let timer = StepTimer::from_env();
    let progress = &|step: Step| {
        timer.lap(step.message());
        progress(step)
    };
    let data = collect_steps(source, request, progress);
    timer.lap("done");
    data
}

fn collect_steps(
    source: &dyn Source,
    request: &ReportRequest,
    progress: &dyn Fn(Step),
) -> Result<ReportData, ReportError> {
    let original = request.subset.clone();
    // Under `--copies collapse` every statistic below counts the collapsed subset.
    let (subset, copies) = source.collapse(&request.subset, request.copies)?;
    let request = &ReportRequest {
        subset,
        ..request.clone()
    };
    progress(Step::Overview);
    // The lists are read first: their counts come from the same pass as the timeline. From
    // one index they are read beside the facet counts (each leaves a core idle); the facets'
    // error, if any, is still the one met first.
    let lists = || {
        let entity_list = sections::load_list(
            ListKind::Entities,
            request.lists.entity_list.as_deref(),
            |path| EntityRegistry::load(path).map(EntityMatcher::new),
        );
        let frame_list = sections::load_list(
            ListKind::Frames,
            request.lists.frame_list.as_deref(),
            |path| FrameRegistry::load(path).map(FrameMatcher::new),
        );
        (entity_list, frame_list)
    };
    let facets = |source: &dyn Source| source.facets(&request.subset, request.by);
    let (facets, (entity_list, frame_list)) = match source.concurrent() {
        Some(shared) => rayon::join(|| facets(shared), lists),
        None => (facets(source), lists()),
    };
    let (all, per_group) = facets?;
    let (interval, interval_note) = fitting_interval(request.interval, &all.day);
    let request = &ReportRequest {
        interval,
        ..request.clone()
    };
    let (entity_list, frame_list) = (entity_list?, frame_list?);

    progress(Step::Timeline);
    // Timeline, entities, frames and (from one index) the key terms' and the periods' term
    // counts, from the index.
    let count = |source: &dyn Source| {
        source.counts(
            &request.subset,
            request.by,
            ReportPass {
                buckets: request.buckets(),
                min_gap_days: request.min_gap_days,
                entities: entity_list.loaded.as_ref(),
                frames: frame_list.loaded.as_ref(),
                terms: Some(TermPass {
                    periods: request.periods.as_ref(),
                }),
            },
        )
    };
    // The walk leaves part of a core idle; from one index the copies (which need nothing
    // it counts) fill it. Their error, if any, is still the one met after the entities' and
    // frames' (as when they ran in turn).
    let (counted, found_copies) = match source.concurrent() {
        Some(shared) => {
            let (counted, found) = rayon::join(
                || count(shared),
                || dynamics::copies(shared, &original, request.by),
            );
            (counted, Some(found))
        }
        None => (count(source), None),
    };
    let ReportCounts {
        timeline,
        entities: entity_counts,
        frames: frame_counts,
        terms,
    } = counted?;

    progress(Step::Keyness);
    let compare = request.compare_request(KeynessOptions {
        top: request.top,
        min_freq: request.min_freq,
        ..KeynessOptions::default()
    });
    let (counts, period_terms) = match terms {
        Some(terms) => (terms.counts, terms.periods),
        None => (source.term_counts(&compare)?, None),
    };
    let keyness = stats::keyness_of_items(&counts, &compare, CompareItems::Terms)?;
    // The corpus's term counts are the largest thing the report holds; nothing after
    // keyness and "What changed" needs them.
    drop(counts);
    let change = dynamics::change_section(source, request, period_terms)?;
    let overview = sections::overview(request, &all, &per_group, &timeline);
    let language_mix = sections::language_mix(&overview);

    progress(Step::Examples);
    // From one index the fingerprint is read beside the passages; its error, if any, is
    // still met after every other step's.
    let (examples, fingerprint) = match source.concurrent() {
        Some(shared) => {
            let (examples, fingerprint) = rayon::join(
                || examples(shared, request, &keyness, &per_group),
                || shared.fingerprint(),
            );
            (examples?, Some(fingerprint))
        }
        None => (examples(source, request, &keyness, &per_group)?, None),
    };

    // Entity and frame keyness list fewer items than the key terms.
    let mut item_compare = compare.clone();
    item_compare.options.top = ENTITY_TOP;
    let group_order: Vec<String> = overview.groups.iter().map(|g| g.label.clone()).collect();

    progress(Step::Entities);
    let entities = match (entity_list.loaded, entity_counts) {
        (Some(matcher), Some(counts)) => {
            let keyness = stats::keyness_of(&counts.mentions, &item_compare)?.labels_as_terms();
            let figures = counts.stats(matcher.registry(), UNKNOWN_NAMES);
            sections::entities(
                entity_list.source.list,
                matcher.registry(),
                figures,
                keyness,
                &group_order,
            )
        }
        _ => EntitySection::empty(entity_list.source),
    };

    progress(Step::Frames);
    let frames = match (frame_list.loaded, frame_counts) {
        (Some(matcher), Some(counts)) => {
            let keyness = stats::keyness_of(&counts.hits, &item_compare)?.labels_as_terms();
            let shares = counts.stats(matcher.registry());
            sections::frames(
                request,
                frame_list.source.list,
                matcher.registry(),
                shares,
                keyness,
                &group_order,
            )
        }
        _ => FrameSection::empty(frame_list.source),
    };

    progress(Step::Dynamics);
    let found_copies = match found_copies {
        Some(found) => found?,
        None => dynamics::copies(source, &original, request.by)?,
    };
    let dynamics = dynamics::collect(source, request, found_copies, change)?;

    progress(Step::Fingerprint);
    let (index_documents, index_fingerprint) = match fingerprint {
        Some(fingerprint) => fingerprint?,
        None => source.fingerprint()?,
    };
    let left_out = Section::ALL
        .into_iter()
        .filter_map(|section| {
            source.left_out(section).map(|reason| LeftOut {
                section: section.name().to_string(),
                reason,
            })
        })
        .collect();

    let reference = keyness.reference.label.clone();
    Ok(ReportData {
        title: format!(
            "{} vs {}: what each side said, and when",
            request.target, reference
        ),
        question: Question {
            interval_note,
            copies,
            ..prose::question(request, &reference)
        },
        overview,
        timeline,
        methods: prose::methods(request, &keyness, &reference),
        keyness,
        language_mix,
        examples,
        entities,
        frames,
        copies: dynamics.copies,
        change: dynamics.change,
        attention: dynamics.attention,
        left_out,
        provenance: Provenance {
            version: env!("CARGO_PKG_VERSION").to_string(),
            index_documents,
            index_fingerprint,
            command_line: prose::shell_words(&request.invocation.command_line),
            generated_at: request.invocation.generated_at.clone(),
        },
    })
}

/// The example passages of the top key terms each way ([`ReportRequest::examples`]); from
/// a source without the texts, none, the passage queries noted for the shards to answer.
/// From a source several threads may ask at once, the terms' passages are picked in
/// parallel (each term's search and stored-text reads are independent), in the same order.
fn examples(
    source: &dyn Source,
    request: &ReportRequest,
    keyness: &Keyness,
    per_group: &BTreeMap<String, FacetCounts>,
) -> Result<Vec<Example>, ReportError> {
    let (query, filters) = (&request.subset.query, &request.subset.filters);
    let facet = request.by.facet();
    // Per direction: the labels searched, the group named and the terms, ranked.
    let mut asked = Vec::new();
    for direction in Side::BOTH {
        let labels: Vec<String> = match (direction, &request.reference) {
            (Side::Target, _) => vec![request.target.clone()],
            (Side::Reference, Some(label)) => vec![label.clone()],
            (Side::Reference, None) => per_group
                .keys()
                .filter(|l| **l != request.target)
                .cloned()
                .collect(),
        };
        let group = match direction {
            Side::Target => &keyness.target.label,
            Side::Reference => &keyness.reference.label,
        };
        let terms = keyness
            .terms
            .iter()
            .filter(|t| t.direction == direction)
            .take(request.examples.terms);
        asked.push((direction, group, labels, terms.collect::<Vec<_>>()));
    }
    let queries: Vec<(Side, &String, usize, &KeyTerm, PassageQuery)> = asked
        .iter()
        .flat_map(|(direction, group, labels, terms)| {
            terms.iter().enumerate().map(move |(rank, term)| {
                let query = PassageQuery {
                    query,
                    filters,
                    within: (facet, labels),
                    term: &term.index_term,
                    wanted: request.examples.per_term,
                    window: request.examples.window,
                };
                (*direction, *group, rank + 1, *term, query)
            })
        })
        .collect();
    if source.left_out(Section::Examples).is_some() {
        for (.., query) in &queries {
            source.asked(query);
        }
        return Ok(Vec::new());
    }
    let found: Vec<(u64, Vec<Passage>)> = match source.concurrent() {
        // Collected whole, then the first error in the terms' order, as when they were
        // asked in turn.
        Some(shared) => queries
            .par_iter()
            .map(|(.., query)| shared.passages(query))
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Result<_, _>>()?,
        None => queries
            .iter()
            .map(|(.., query)| source.passages(query))
            .collect::<Result<_, _>>()?,
    };
    Ok(queries
        .iter()
        .zip(found)
        .map(
            |((direction, group, rank, term, _), (documents, lines))| Example {
                direction: *direction,
                group: (*group).clone(),
                rank: *rank,
                term: term.term.clone(),
                index_term: term.index_term.clone(),
                form: term
                    .forms
                    .first()
                    .cloned()
                    .unwrap_or_else(|| term.term.clone()),
                documents,
                lines,
            },
        )
        .collect())
}
