//! The `compare` and `stats` commands: flags → requests, statistics → table, JSON or CSV.

use std::io;

use mediawatch::index::Reads;
use mediawatch::registry::{EntityMatcher, FrameMatcher};
use mediawatch::report::{copies_view, views};
use mediawatch::stats::counts::TermMode;
use mediawatch::stats::fused::StepTimer;
use mediawatch::stats::keyness::{Keyness, KeynessOptions};
use mediawatch::stats::timeline::Buckets;
use mediawatch::stats::{self, CompareItems, CompareRequest, StatsError, TermsRequest};

use mediawatch::stats::copies::DEFAULT_MIN_SIMILARITY;

use super::args::{CompareArgs, CopiesArg, ListArgs, ResultFormat, StatsArgs, StatsKind};
use super::periods;
use super::progress::scanned;
use super::scale::{
    list_digest, merged_copies, merged_counts, merged_dated, merged_entities, merged_frames,
    merged_terms, subset_of, term_options, Merged,
};
use super::select::{group_by, sides, verified, verified_for, verified_index, verified_index_for};
use super::{output, Failure, UsageError};

pub(super) fn stats_failure(error: StatsError) -> Failure {
    match error {
        StatsError::UnknownGroup { label, by, present } => UsageError(format!(
            "group `{label}` has no documents under --by {by}; groups present: {present}"
        ))
        .into(),
        StatsError::Search(
            mediawatch::search::SearchError::Query(_)
            | mediawatch::search::SearchError::Filter(_)
            | mediawatch::search::SearchError::BadDate { .. },
        ) => UsageError(error.to_string()).into(),
        other => other.into(),
    }
}

fn entity_list(lists: &ListArgs) -> Result<EntityMatcher, Failure> {
    EntityMatcher::load(&lists.entity_list)
        .map_err(|e| UsageError(format!("{e} (pass --entity-list FILE)")).into())
}

fn frame_list(lists: &ListArgs) -> Result<FrameMatcher, Failure> {
    FrameMatcher::load(&lists.frame_list)
        .map_err(|e| UsageError(format!("{e} (pass --frame-list FILE)")).into())
}

/// `--target each`: every group against the rest.
pub(super) const EACH: &str = "each";

/// Runs `compare`.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let timer = StepTimer::from_env();
    timer.lap("subset and request");
    let subset = subset_of(&args.selection, &args.partials)?;
    // `--by period`: the sides name periods; what is pooled inside a period is every group.
    let by_period = args.comparison.grouping.by == periods::BY_PERIOD;
    let (by, target, reference) = if by_period {
        let mut comparison = args.comparison.clone();
        comparison.grouping.by = "category".into();
        sides(&comparison)?
    } else {
        sides(&args.comparison)?
    };
    let mut request = CompareRequest {
        subset,
        by,
        target,
        reference,
        terms: term_options(&args.terms),
        options: KeynessOptions {
            unit: args.unit.into(),
            top: args.top,
            min_freq: args.min_freq,
            balance_outlets: args.balance_outlets,
            max_q: (args.max_q < 1.0).then_some(args.max_q),
            rank: args.rank.into(),
            ..KeynessOptions::default()
        },
    };
    let entities = args
        .entities
        .then(|| entity_list(&args.lists))
        .transpose()?;
    let frames = args.frames.then(|| frame_list(&args.lists)).transpose()?;
    let items = match (&entities, &frames) {
        (Some(matcher), _) => CompareItems::Entities(matcher),
        (_, Some(matcher)) => CompareItems::Frames(matcher),
        _ => CompareItems::Terms,
    };
    let item_name = match items {
        CompareItems::Terms => "term",
        CompareItems::Entities(_) => "entity",
        CompareItems::Frames(_) => "frame",
    };
    // Collapsing copies and periods read one index; periods named with --periods are
    // counted in partials too (made with the same --periods) and in several indexes.
    let collapse = args.copies.copies == CopiesArg::Collapse;
    let merged = !args.partials.is_empty() || args.selection.index.dirs.len() > 1;
    if let (true, Some(named), false, false, CompareItems::Terms) =
        (merged, &args.periods.periods, collapse, by_period, items)
    {
        return periods::compare_merged(&args, &request, named);
    }
    if collapse || by_period || args.periods.periods.is_some() || args.periods.split_on_gaps {
        let index = verified_index(&args.selection, "compare --copies collapse / --periods")?;
        if !args.partials.is_empty() {
            return Err(UsageError(
                "--copies collapse, --split-on-gaps, --by period and periods of entities or frames count one index; drop --partials".into(),
            )
            .into());
        }
        request.subset = periods::counted(
            &index,
            &request.subset,
            args.copies.copies.into(),
            DEFAULT_MIN_SIMILARITY,
        )?;
        if periods::compare(&index, &args, &request, items, item_name, by_period)? {
            return Ok(());
        }
    }
    let counts = scanned(args.quiet, |_| {
        if let ([dir], true) = (&args.selection.index.dirs[..], args.partials.is_empty()) {
            // One index: counted directly, so that n-grams too rare for keyness to test
            // (`--min-freq`) are left out; merging partials must keep every count. Counting
            // reads no stored text, so the document store is not checked (nor positions,
            // unless n-grams, entities, frames or a phrase need them).
            timer.lap("open and check the index");
            let index = verified_for(dir, stats::item_reads(&request, items))?;
            timer.lap("count");
            return stats::item_counts(&index, &request, items).map_err(stats_failure);
        }
        merged_counts(
            &args.selection,
            &args.partials,
            (&request.subset, request.by),
            &args.terms,
            items,
        )
    })?;
    let stdout = io::stdout();
    if target_is_each(&request)? {
        let each = stats::each_of_items(&counts, &request, items);
        let mut out = io::BufWriter::new(stdout.lock());
        let written = args.format.write(
            &mut out,
            &each,
            views::keyness_each_csv,
            views::keyness_each,
        );
        return Ok(output::finish(written, out)?);
    }
    timer.lap("keyness");
    let keyness = stats::keyness_of_items(&counts, &request, items).map_err(stats_failure)?;
    timer.lap("output");
    let printed = print_keyness(&keyness, args.format, item_name);
    timer.lap("done");
    printed
}

/// True for `--target each` (every group against the rest), which takes no `--reference`.
pub(super) fn target_is_each(request: &CompareRequest) -> Result<bool, Failure> {
    let each = request.target == EACH;
    if each && request.reference.is_some() {
        return Err(UsageError(
            "--target each compares every group with all the others; drop --reference".into(),
        )
        .into());
    }
    Ok(each)
}

/// Writes one comparison to stdout as a table, JSON or CSV (`item_name`: term, entity or
/// frame, the table's first column).
pub(super) fn print_keyness(
    keyness: &Keyness,
    format: ResultFormat,
    item_name: &str,
) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = format.write(&mut out, keyness, views::keyness_csv, |k| {
        views::keyness(k, item_name)
    });
    Ok(output::finish(written, out)?)
}

/// What `stats` reads of one index: the stored texts of every document for the statistics
/// that re-read them (attention, the chosen words' series of `terms --term`); those of a few
/// documents for `copies` (the talking points' titles) and under `--copies collapse` (which
/// reads none today), each store checked before its first document is read; the others count
/// from postings and fast fields.
fn reads(args: &StatsArgs) -> Reads {
    let collapse = args.copies.copies == CopiesArg::Collapse;
    match args.kind {
        StatsKind::Terms if !args.term.is_empty() => Reads::Everything,
        StatsKind::Attention => Reads::Everything,
        StatsKind::Copies => Reads::SomeStores,
        _ if collapse => Reads::SomeStores,
        StatsKind::Terms | StatsKind::Timeline | StatsKind::Entities | StatsKind::Frames => {
            Reads::Index
        }
    }
}

/// Runs `stats`.
pub fn run(args: StatsArgs) -> Result<(), Failure> {
    let subset = subset_of(&args.selection, &args.partials)?;
    // Several `--index` (shards of one corpus) or `--partials` (their counts) are read as
    // one index of all their documents.
    let several = args.selection.index.dirs.len() > 1;
    let from_partials = !args.partials.is_empty();
    let merged = several || from_partials;
    if merged && args.copies.copies == CopiesArg::Collapse {
        return Err(UsageError(
            "--copies collapse reads one index; drop it, or the other --index and --partials"
                .into(),
        )
        .into());
    }
    let indexes = if from_partials {
        Vec::new()
    } else if several {
        let dirs = &args.selection.index.dirs;
        dirs.iter()
            .map(|dir| verified(dir))
            .collect::<Result<_, _>>()?
    } else {
        vec![verified_index_for(&args.selection, "stats", reads(&args))?]
    };
    let by = group_by(&args.grouping)?;
    if args.kind == StatsKind::Copies && args.copies.copies == CopiesArg::Collapse {
        return Err(UsageError(
            "stats copies lists the copies; --copies collapse applies to the other statistics"
                .into(),
        )
        .into());
    }
    let subset = match (merged, indexes.first()) {
        (false, Some(index)) => periods::counted(
            index,
            &subset,
            args.copies.copies.into(),
            args.min_similarity,
        )?,
        _ => subset,
    };
    let buckets = Buckets {
        interval: args.interval.into(),
        zone: subset.filters.zone,
    };
    let sources = Merged {
        selection: &args.selection,
        partials: &args.partials,
        subset: &subset,
        by,
    };
    let format = args.format;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.kind {
        StatsKind::Terms => {
            let request = TermsRequest {
                subset: subset.clone(),
                by,
                mode: TermMode::Analyzed,
                top: args.top,
                chosen: args.term.clone(),
                buckets,
            };
            let terms = scanned(args.quiet, |_| match indexes.as_slice() {
                [index] => stats::terms(index, &request).map_err(stats_failure),
                _ => merged_terms(&sources, &request),
            })?;
            format.write(&mut out, &terms, views::terms_csv, views::terms)
        }
        StatsKind::Timeline => {
            let timeline = scanned(args.quiet, |_| {
                if from_partials {
                    let dated = merged_dated(&sources, buckets)?;
                    return Ok(dated.timeline(&subset.query, buckets, args.min_gap));
                }
                stats::timeline_across(&indexes, &subset, by, buckets, args.min_gap)
                    .map_err(stats_failure)
            })?;
            format.write(&mut out, &timeline, views::timeline_csv, views::timeline)
        }
        StatsKind::Entities => {
            let matcher = entity_list(&args.lists)?;
            let entities = scanned(args.quiet, |_| match indexes.as_slice() {
                [index] => stats::entities(index, &subset, by, &matcher, 50).map_err(stats_failure),
                _ => {
                    let digest = list_digest(&args.lists.entity_list, "entity-list")?;
                    let counts = merged_entities(&sources, &matcher, digest)?;
                    Ok(counts.stats(matcher.registry(), 50))
                }
            })?;
            format.write(&mut out, &entities, views::entities_csv, views::entities)
        }
        StatsKind::Frames => {
            let matcher = frame_list(&args.lists)?;
            let frames = scanned(args.quiet, |_| match indexes.as_slice() {
                [index] => {
                    stats::frames(index, &subset, by, &matcher, buckets).map_err(stats_failure)
                }
                _ => {
                    let digest = list_digest(&args.lists.frame_list, "frame-list")?;
                    let counts = merged_frames(&sources, &matcher, digest, buckets)?;
                    Ok(counts.stats(matcher.registry()))
                }
            })?;
            format.write(&mut out, &frames, views::frames_csv, views::frames)
        }
        StatsKind::Attention => {
            if subset.query.trim().is_empty() || subset.query.trim() == "*" {
                return Err(UsageError(
                    "stats attention needs a query: the documents whose share is measured".into(),
                )
                .into());
            }
            let attention = scanned(args.quiet, |_| {
                if from_partials {
                    let dated = merged_dated(&sources, buckets)?;
                    return Ok(dated.attention(&subset.query, buckets));
                }
                stats::attention_across(&indexes, &subset, by, buckets).map_err(stats_failure)
            })?;
            format.write(
                &mut out,
                &attention,
                copies_view::attention_csv,
                copies_view::attention,
            )
        }
        StatsKind::Copies => {
            let copies = scanned(args.quiet, |_| match indexes.as_slice() {
                [index] => stats::copies(index, &subset, by, args.min_similarity, args.top)
                    .map_err(stats_failure),
                _ => merged_copies(&sources, args.min_similarity, args.top),
            })?;
            format.write(
                &mut out,
                &copies,
                copies_view::copies_csv,
                copies_view::copies,
            )
        }
    };
    Ok(output::finish(written, out)?)
}
