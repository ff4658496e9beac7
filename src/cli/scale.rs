//! Scale-out commands: `partial` (a shard's mergeable counts to Parquet), and the counts of
//! `compare` from partials or from indexes, one code path: every index is made into a
//! partial in-process and the partials are merged.

use std::path::{Path, PathBuf};

use mediawatch::index::Index;
use mediawatch::partial::passages::{self, Asks};
use mediawatch::partial::{self, Dated, Partial, PartialError, PartialSpec, Shards, Sourced};
use mediawatch::registry::{EntityMatcher, FrameMatcher, RegistryError};
use mediawatch::stats::copies::Copies;
use mediawatch::stats::counts::{TermChoice, TermCounts, TermMode};
use mediawatch::stats::entities::EntityCounts;
use mediawatch::stats::frames::FrameCounts;
use mediawatch::stats::periods::Periods;
use mediawatch::stats::scan::{GroupBy, Subset};
use mediawatch::stats::terms::TermStats;
use mediawatch::stats::timeline::Buckets;
use mediawatch::stats::{self, CompareItems, TermsRequest};

use super::args::{ExportArgs, PartialArgs, PassagesArgs, Selection, TermArgs};
use super::select::{group_by, subset, verified, verified_index};
use super::stats::stats_failure;
use super::{Failure, UsageError};

/// The term mode, n-gram size and stopword choice the flags ask for.
pub fn term_options(terms: &TermArgs) -> TermChoice {
    let mode = if terms.plain {
        TermMode::Plain
    } else if terms.no_stem {
        TermMode::Unstemmed
    } else {
        TermMode::Analyzed
    };
    TermChoice {
        mode,
        ngram: usize::from(terms.ngram),
        keep_stopwords: terms.keep_stopwords || terms.plain,
    }
}

pub fn partial_failure(error: PartialError) -> Failure {
    match error {
        PartialError::Stats(e) => stats_failure(e),
        other => UsageError(other.to_string()).into(),
    }
}

/// The digest of a registry file (read once more: the registry loader keeps no bytes).
pub fn list_digest(path: &Path, flag: &str) -> Result<String, Failure> {
    std::fs::read(path)
        .map(|bytes| partial::digest(&bytes))
        .map_err(|e| UsageError(format!("--{flag} {}: {e}", path.display())).into())
}

/// The list a `--flag FILE` names (if any) as a matcher, with the file's digest.
fn listed<M>(
    path: Option<&Path>,
    flag: &str,
    load: impl FnOnce(&Path) -> Result<M, RegistryError>,
) -> Result<Option<(M, String)>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let matcher = load(path).map_err(|e| UsageError(format!("--{flag}: {e}")))?;
    Ok(Some((matcher, list_digest(path, flag)?)))
}

/// Runs `partial`.
pub fn run(args: PartialArgs) -> Result<(), Failure> {
    let subset = subset(&args.selection)?;
    let by = group_by(&args.grouping)?;
    let entities = listed(
        args.entity_list.as_deref(),
        "entity-list",
        EntityMatcher::load,
    )?;
    let frames = listed(args.frame_list.as_deref(), "frame-list", FrameMatcher::load)?;
    let asked = args.periods_from.as_deref().map(periods_of).transpose()?;
    let spec = PartialSpec {
        subset,
        by,
        terms: term_options(&args.terms),
        entities: entities.as_ref().map(|(m, d)| (m, d.clone())),
        frames: frames.as_ref().map(|(m, d)| (m, d.clone())),
        interval: args.interval.map(Into::into),
        report: args.report,
        period_terms_only: asked.is_some(),
        periods: asked.or(args.periods.clone()),
        copies: args.copies,
    };
    let index = verified_index(&args.selection, "partial")?;
    let made = Partial::of_index(&index, &spec).map_err(partial_failure)?;
    partial::file::write(&made, &args.out).map_err(partial_failure)?;
    println!("{}", args.out.display());
    Ok(())
}

/// Runs `passages`: one shard's keys, or its passages given every shard's keys.
pub fn passages(args: PassagesArgs) -> Result<(), Failure> {
    let subset = subset(&args.selection)?;
    let by = group_by(&args.grouping)?;
    let index = verified_index(&args.selection, "passages")?;
    let asks: Asks = passages::read_json(&args.asks).map_err(partial_failure)?;
    let asked = (&asks, args.asks.as_path());
    if args.keys.is_empty() {
        let keys = passages::keys_of(&index, asked, &subset, by).map_err(partial_failure)?;
        passages::write_json(&keys, &args.out).map_err(partial_failure)?;
    } else {
        let keys = args
            .keys
            .iter()
            .map(|path| Ok((passages::read_json(path)?, path.clone())))
            .collect::<Result<Vec<_>, PartialError>>()
            .map_err(partial_failure)?;
        let answers =
            passages::answers_of(&index, asked, &keys, &subset, by).map_err(partial_failure)?;
        passages::write_json(&answers, &args.out).map_err(partial_failure)?;
    }
    println!("{}", args.out.display());
    Ok(())
}

/// The merged counts of `items` for a statistic: from `--partials` files when given, else
/// from the selection's index, made into a partial and merged the same way.
pub fn merged_counts(
    selection: &Selection,
    partials: &[PathBuf],
    (subset, by): (&Subset, GroupBy),
    terms: &TermArgs,
    items: CompareItems,
) -> Result<TermCounts, Failure> {
    let spec = partial_spec(subset, by, term_options(terms));
    let sourced = sourced((selection, subset), partials, |index| {
        Partial::of_index_items(index, &spec, items)
    })?;
    partial::merge(sourced, &spec.header(), items).map_err(partial_failure)
}

/// The spec of partials counting `subset` by `by` with these term options (no entities,
/// frames or dated counts).
pub fn partial_spec(subset: &Subset, by: GroupBy, terms: TermChoice) -> PartialSpec<'static> {
    PartialSpec {
        subset: subset.clone(),
        by,
        terms,
        entities: None,
        frames: None,
        interval: None,
        report: false,
        periods: None,
        copies: false,
        period_terms_only: false,
    }
}

/// The periods a `--periods-ask` file names (`name=FROM..TO,…`).
pub fn periods_of(path: &Path) -> Result<Periods, Failure> {
    let failed = |why: String| -> Failure {
        UsageError(format!("--periods-from {}: {why}", path.display())).into()
    };
    let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
    if text.trim().is_empty() {
        return Err(failed(
            "names no periods: the report had none to ask for (its What changed needs no more counts)".into(),
        ));
    }
    text.trim()
        .parse()
        .map_err(|e: mediawatch::stats::periods::PeriodError| failed(e.to_string()))
}

/// The partials a statistic merges: the `--partials` files when given, else each of the
/// selection's indexes counted in-process by `count` (several indexes are one corpus).
fn sourced(
    (selection, subset): (&Selection, &Subset),
    partials: &[PathBuf],
    count: impl Fn(&Index) -> Result<Partial, PartialError>,
) -> Result<Vec<Sourced>, Failure> {
    shards((selection, subset), partials)?
        .partials(count)
        .map_err(partial_failure)
}

/// The shards a merged statistic reads: the `--partials` files when given, else the
/// selection's indexes.
pub fn shards(
    (selection, subset): (&Selection, &Subset),
    partials: &[PathBuf],
) -> Result<Shards, Failure> {
    if partials.is_empty() {
        let dirs = selection.index.dirs.clone();
        Shards::indexes(indexes(selection)?, dirs, subset)
    } else {
        Shards::read(partials)
    }
    .map_err(partial_failure)
}

/// What the merged statistics of `stats` read: `--partials` files, or several `--index`.
pub struct Merged<'a> {
    /// The selection (its indexes are read when no partials are given).
    pub selection: &'a Selection,
    /// The partial files.
    pub partials: &'a [PathBuf],
    /// The documents and their grouping.
    pub subset: &'a Subset,
    /// Grouping field.
    pub by: GroupBy,
}

impl Merged<'_> {
    /// The partials, or each index's counts as `count` makes them (see [`sourced`]).
    fn sourced(
        &self,
        count: impl Fn(&Index) -> Result<Partial, PartialError>,
    ) -> Result<Vec<Sourced>, Failure> {
        sourced((self.selection, self.subset), self.partials, count)
    }

    /// The spec of partials of the selection counting the default terms (analyzed single
    /// words), to which a statistic adds what it counts (a list, buckets, signatures).
    fn spec(&self) -> PartialSpec<'static> {
        partial_spec(self.subset, self.by, TermChoice::default())
    }
}

/// The term statistics of `stats terms`, from partials or several indexes.
pub fn merged_terms(merged: &Merged, request: &TermsRequest) -> Result<TermStats, Failure> {
    let spec = partial_spec(merged.subset, merged.by, TermChoice::words(request.mode));
    let items = CompareItems::Terms;
    let sourced = merged.sourced(|index| Partial::of_index_items(index, &spec, items))?;
    let counts = partial::merge(sourced, &spec.header(), items).map_err(partial_failure)?;
    if merged.partials.is_empty() {
        let indexes = indexes(merged.selection)?;
        return stats::terms_across(&indexes, &counts, request).map_err(stats_failure);
    }
    if !request.chosen.is_empty() {
        return Err(UsageError(
            "--term series are counted per bucket from the documents' text, which partials do              not carry; follow terms with --index (several --index read as one corpus)"
                .into(),
        )
        .into());
    }
    Ok(TermStats {
        groups: stats::terms::top_terms(&counts, request.top),
        series: Vec::new(),
    })
}

/// The selection's indexes, opened for counting.
fn indexes(selection: &Selection) -> Result<Vec<Index>, Failure> {
    selection
        .index
        .dirs
        .iter()
        .map(|dir| verified(dir))
        .collect()
}

/// The entity counts of `stats entities`, from partials or several indexes; partials must
/// have been made with the same entity list (`digest`).
pub fn merged_entities(
    merged: &Merged,
    matcher: &EntityMatcher,
    digest: String,
) -> Result<EntityCounts, Failure> {
    let mut spec = merged.spec();
    spec.entities = Some((matcher, digest));
    let sourced = merged
        .sourced(|index| Partial::of_index_items(index, &spec, CompareItems::Entities(matcher)))?;
    partial::merge_entities(sourced, &spec.header()).map_err(partial_failure)
}

/// The frame counts of `stats frames`, from partials or several indexes; partials must have
/// been made with the same frame list (`digest`) and interval.
pub fn merged_frames(
    merged: &Merged,
    matcher: &FrameMatcher,
    digest: String,
    buckets: Buckets,
) -> Result<FrameCounts, Failure> {
    let mut spec = merged.spec();
    spec.frames = Some((matcher, digest));
    spec.interval = Some(buckets.interval);
    let sourced = merged
        .sourced(|index| Partial::of_index_items(index, &spec, CompareItems::Frames(matcher)))?;
    partial::merge_frames(sourced, &spec.header()).map_err(partial_failure)
}

/// The copies of `stats copies`, from partials made with `--copies` or several indexes:
/// every document's signature compared with every other's, as in one index of them all.
pub fn merged_copies(
    merged: &Merged,
    min_similarity: f64,
    talking_points: usize,
) -> Result<Copies, Failure> {
    let mut spec = merged.spec();
    spec.copies = true;
    let sourced = merged.sourced(|index| Partial::of_index_copies(index, &spec))?;
    partial::merge_copies(sourced, &spec.header(), min_similarity, talking_points)
        .map_err(partial_failure)
}

/// The timeline and attention counts of `stats timeline` and `stats attention`, from
/// partials made with the same interval.
pub fn merged_dated(merged: &Merged, buckets: Buckets) -> Result<Dated, Failure> {
    let mut spec = merged.spec();
    spec.interval = Some(buckets.interval);
    let sourced = merged.sourced(|index| Partial::of_index_dated(index, &spec))?;
    partial::merge_dated(sourced, &spec.header(), buckets).map_err(partial_failure)
}

/// The selection's subset; with partials and no `--timezone`, days are the partials' days
/// (the zone the first partial was made in), not the zone of an index not read.
pub fn subset_of(selection: &Selection, partials: &[PathBuf]) -> Result<Subset, Failure> {
    let Some(first) = partials.first() else {
        return subset(selection);
    };
    if selection.filters.timezone.is_some() {
        return subset(selection);
    }
    let header = partial::file::read(first).map_err(partial_failure)?.header;
    let mut selection = selection.clone();
    selection.filters.timezone = Some(header.zone);
    subset(&selection)
}

/// Runs `export`.
pub fn export(args: ExportArgs) -> Result<(), Failure> {
    let subset = subset(&args.selection)?;
    let index = verified_index(&args.selection, "export")?;
    let rows = mediawatch::export::export(
        &index,
        &subset,
        args.what.into(),
        args.format.into(),
        &args.out,
    )
    .map_err(|e| match e {
        mediawatch::export::ExportError::Search(e) => stats_failure(e.into()),
        other => other.into(),
    })?;
    eprintln!("{rows} rows");
    println!("{}", args.out.display());
    Ok(())
}
