//! Scale-out commands: `partial` (a shard's mergeable counts to Parquet), and the counts of
//! `compare` from partials or from indexes, one code path: every index is made into a
//! partial in-process and the partials are merged.

use std::path::Path;

use mediawatch::partial::{self, Partial, PartialError, PartialSpec, Sourced};
use mediawatch::registry::{EntityMatcher, EntityRegistry, FrameMatcher, FrameRegistry};
use mediawatch::stats::counts::{TermCounts, TermMode};
use mediawatch::stats::scan::{GroupBy, Subset};
use mediawatch::stats::CompareItems;

use super::args::{ExportArgs, PartialArgs, Selection, TermArgs};
use super::select::{group_by, subset, verified, verified_index};
use super::stats::stats_failure;
use super::{Failure, UsageError};

/// The term mode, n-gram size and stopword choice the flags ask for.
pub fn term_options(terms: &TermArgs) -> (TermMode, usize, bool) {
    let mode = if terms.plain {
        TermMode::Plain
    } else if terms.no_stem {
        TermMode::Unstemmed
    } else {
        TermMode::Analyzed
    };
    (
        mode,
        usize::from(terms.ngram),
        terms.keep_stopwords || terms.plain,
    )
}

fn partial_failure(error: PartialError) -> Failure {
    match error {
        PartialError::Stats(e) => stats_failure(e),
        other => UsageError(other.to_string()).into(),
    }
}

/// The digest of a registry file (read once more: the registry loader keeps no bytes).
fn list_digest(path: &Path, flag: &str) -> Result<String, Failure> {
    std::fs::read(path)
        .map(|bytes| partial::digest(&bytes))
        .map_err(|e| UsageError(format!("--{flag} {}: {e}", path.display())).into())
}

/// Runs `partial`.
pub fn run(args: PartialArgs) -> Result<(), Failure> {
    let subset = subset(&args.selection)?;
    let by = group_by(&args.grouping)?;
    let entities = match &args.entity_list {
        Some(path) => Some((
            EntityRegistry::load(path)
                .map(EntityMatcher::new)
                .map_err(|e| UsageError(format!("--entity-list: {e}")))?,
            list_digest(path, "entity-list")?,
        )),
        None => None,
    };
    let frames = match &args.frame_list {
        Some(path) => Some((
            FrameRegistry::load(path)
                .map(FrameMatcher::new)
                .map_err(|e| UsageError(format!("--frame-list: {e}")))?,
            list_digest(path, "frame-list")?,
        )),
        None => None,
    };
    let (mode, ngram, keep_stopwords) = term_options(&args.terms);
    let spec = PartialSpec {
        subset,
        by,
        mode,
        ngram,
        keep_stopwords,
        entities: entities.as_ref().map(|(m, d)| (m, d.clone())),
        frames: frames.as_ref().map(|(m, d)| (m, d.clone())),
    };
    let index = verified_index(&args.selection, "partial")?;
    let made = Partial::of_index(&index, &spec).map_err(partial_failure)?;
    partial::file::write(&made, &args.out).map_err(partial_failure)?;
    println!("{}", args.out.display());
    Ok(())
}

/// The merged counts of `items` for a statistic: from `--partials` files when given, else
/// from the selection's index, made into a partial and merged the same way.
pub fn merged_counts(
    selection: &Selection,
    partials: &[std::path::PathBuf],
    (subset, by): (&Subset, GroupBy),
    terms: &TermArgs,
    items: CompareItems,
) -> Result<TermCounts, Failure> {
    let (mode, ngram, keep_stopwords) = term_options(terms);
    let spec = PartialSpec {
        subset: subset.clone(),
        by,
        mode,
        ngram,
        keep_stopwords,
        entities: None,
        frames: None,
    };
    let sourced = if partials.is_empty() {
        // Several indexes are one corpus: each made into a partial, merged like files.
        selection
            .index
            .dirs
            .iter()
            .map(|dir| {
                let index = verified(dir)?;
                Ok(Sourced {
                    partial: Partial::of_index_items(&index, &spec, items)
                        .map_err(partial_failure)?,
                    origin: dir.clone(),
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?
    } else {
        partials
            .iter()
            .map(|path| {
                Ok(Sourced {
                    partial: partial::file::read(path).map_err(partial_failure)?,
                    origin: path.clone(),
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?
    };
    partial::merge(sourced, &spec.header(), items).map_err(partial_failure)
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
