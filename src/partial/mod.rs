//! Mergeable partial statistics: what the statistics need from one shard index, as plain
//! sums keyed by names (never by numbers local to one index), so partials from any split of
//! the documents merge in any order into exactly the counts of one index holding them all.
//!
//! A [`Partial`] is computed from an index ([`Partial::of_index`]) or read from a Parquet
//! file ([`file::read`]); [`merge`] checks that the partials were made alike (same analysis
//! version, grouping, selection and counting options) and adds them up. `compare --index`
//! runs the same path in-process: one partial per index, merged.

pub mod file;
mod named;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::ANALYSIS_VERSION;
use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::stats::counts::{TermCounts, TermMode};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::{self, CompareItems, StatsError};

pub use named::NamedCounts;

/// The version of the partial file layout; files of another layout are refused.
pub const PARTIAL_FORMAT: u32 = 1;

/// Errors of making, reading and merging partials. Each names the file it is about.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// Counting the shard failed.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The file could not be read or written, or is not a mediawatch partial.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong, in words.
        reason: String,
    },
    /// The file was made differently from what is asked or from the other partials.
    #[error("{path}: made with {field} {theirs}, but {other} has {ours}; make every partial with the options of the command that reads them")]
    Mismatch {
        /// The file.
        path: PathBuf,
        /// Which setting differs.
        field: &'static str,
        /// The file's value.
        theirs: String,
        /// The value asked for.
        ours: String,
        /// Where the asked value comes from: the command line or another partial.
        other: String,
    },
    /// No partials were given.
    #[error("no partials given")]
    Empty,
}

/// What a partial was made of and for: every setting its counts depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`PARTIAL_FORMAT`] of the writer.
    pub format: u32,
    /// The analysis version of the index (terms depend on it).
    pub analysis_version: u32,
    /// Grouping field.
    pub by: String,
    /// The selection: query and filters (dates as UTC instants).
    pub selection: String,
    /// Term mode: `analyzed`, `unstemmed` or `plain`.
    pub mode: String,
    /// N-gram size.
    pub ngram: usize,
    /// Stopwords kept.
    pub keep_stopwords: bool,
    /// Digest of the entity list the entity counts were made with, when made.
    pub entity_list: Option<String>,
    /// Digest of the frame list the frame counts were made with, when made.
    pub frame_list: Option<String>,
}

/// How a partial counts: the options of the statistics it serves.
#[derive(Debug, Clone)]
pub struct PartialSpec<'a> {
    /// The documents.
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// How words become terms.
    pub mode: TermMode,
    /// N-gram size (1–3).
    pub ngram: usize,
    /// Keep stopwords.
    pub keep_stopwords: bool,
    /// Entity counts too, with this gazetteer and its digest.
    pub entities: Option<(&'a EntityMatcher, String)>,
    /// Frame counts too, with this dictionary and its digest.
    pub frames: Option<(&'a FrameMatcher, String)>,
}

impl PartialSpec<'_> {
    /// The header of partials made with this spec (the counts' digests included).
    pub fn header(&self) -> Header {
        Header {
            format: PARTIAL_FORMAT,
            analysis_version: ANALYSIS_VERSION,
            by: self.by.to_string(),
            selection: selection_text(&self.subset),
            mode: mode_name(self.mode).to_string(),
            ngram: self.ngram,
            keep_stopwords: self.keep_stopwords,
            entity_list: self.entities.as_ref().map(|(_, d)| d.clone()),
            frame_list: self.frames.as_ref().map(|(_, d)| d.clone()),
        }
    }
}

/// The digest a partial's header records for a registry file's bytes.
pub fn digest(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

fn mode_name(mode: TermMode) -> &'static str {
    match mode {
        TermMode::Analyzed => "analyzed",
        TermMode::Unstemmed => "unstemmed",
        TermMode::Plain => "plain",
    }
}

/// The selection as one comparable line: query, filter values, date bounds in UTC. The
/// zone is left out because the bounds are already instants.
fn selection_text(subset: &Subset) -> String {
    let f = &subset.filters;
    serde_json::json!({
        "query": subset.query,
        "outlets": f.outlets,
        "categories": f.categories,
        "langs": f.langs,
        "media": f.media,
        "from": f.from.map(|t| t.to_rfc3339()),
        "until": f.until.map(|t| t.to_rfc3339()),
    })
    .to_string()
}

/// Everything the statistics need from one shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    /// How it was made.
    pub header: Header,
    /// Term (or n-gram) counts per group (always made by `mediawatch partial`).
    pub terms: Option<NamedCounts>,
    /// Entity mentions per group, when asked for.
    pub entities: Option<NamedCounts>,
    /// Frame hits per group, when asked for.
    pub frames: Option<NamedCounts>,
}

impl Partial {
    /// Counts one index: terms, and entities and frames when the spec has their lists.
    pub fn of_index(index: &Index, spec: &PartialSpec) -> Result<Partial, PartialError> {
        Ok(Partial {
            header: spec.header(),
            terms: Some(counts_of_index(index, spec, CompareItems::Terms)?),
            entities: spec
                .entities
                .as_ref()
                .map(|(m, _)| counts_of_index(index, spec, CompareItems::Entities(m)))
                .transpose()?,
            frames: spec
                .frames
                .as_ref()
                .map(|(m, _)| counts_of_index(index, spec, CompareItems::Frames(m)))
                .transpose()?,
        })
    }

    /// A partial of one index holding only the counts of `items`: what a statistic over
    /// several indexes merges in-process.
    pub fn of_index_items(
        index: &Index,
        spec: &PartialSpec,
        items: CompareItems,
    ) -> Result<Partial, PartialError> {
        let counts = Some(counts_of_index(index, spec, items)?);
        let mut partial = Partial {
            header: spec.header(),
            terms: None,
            entities: None,
            frames: None,
        };
        match items {
            CompareItems::Terms => partial.terms = counts,
            CompareItems::Entities(_) => partial.entities = counts,
            CompareItems::Frames(_) => partial.frames = counts,
        }
        Ok(partial)
    }

    /// The counts of `items` (which kind of items only: the matcher is not used).
    pub fn items(&self, items: CompareItems) -> Option<&NamedCounts> {
        match items {
            CompareItems::Terms => self.terms.as_ref(),
            CompareItems::Entities(_) => self.entities.as_ref(),
            CompareItems::Frames(_) => self.frames.as_ref(),
        }
    }
}

/// The counts of `items` in one index, outlets by name.
fn counts_of_index(
    index: &Index,
    spec: &PartialSpec,
    items: CompareItems,
) -> Result<NamedCounts, PartialError> {
    let outlets = stats::outlet_names(index).map_err(StatsError::from)?;
    let terms = (spec.mode, spec.ngram, spec.keep_stopwords);
    let counts = stats::counts_of_items(index, &spec.subset, spec.by, terms, items)?;
    Ok(NamedCounts::new(counts, &outlets))
}

/// A partial with where it came from, for errors.
#[derive(Debug, Clone)]
pub struct Sourced {
    /// The partial.
    pub partial: Partial,
    /// The file (or index directory) it came from.
    pub origin: PathBuf,
}

/// Adds up partials made alike into the counts of `items`, checked against `expected` (the
/// header the command's own options give; its list digests are not compared, only that the
/// asked items were counted, and counted alike in every partial). The result does not
/// depend on the order of `partials`.
pub fn merge(
    partials: Vec<Sourced>,
    expected: &Header,
    items: CompareItems,
) -> Result<TermCounts, PartialError> {
    let first = partials.first().ok_or(PartialError::Empty)?;
    let first_origin = first.origin.clone();
    let first_header = first.partial.header.clone();
    let mut merged = NamedCounts::default();
    for Sourced { partial, origin } in partials {
        check(&partial.header, expected, &origin)?;
        check_lists(&partial.header, &first_header, &origin, &first_origin)?;
        let counts = partial
            .items(items)
            .cloned()
            .ok_or_else(|| PartialError::File {
                path: origin.clone(),
                reason: format!(
                    "holds no {} counts; make it with `mediawatch partial --{}-list FILE`",
                    items_name(items),
                    items_name(items)
                ),
            })?;
        merged.merge(counts);
    }
    Ok(merged.into_counts())
}

fn items_name(items: CompareItems) -> &'static str {
    match items {
        CompareItems::Terms => "term",
        CompareItems::Entities(_) => "entity",
        CompareItems::Frames(_) => "frame",
    }
}

/// Refuses a header whose counting settings differ from `expected`'s.
fn check(header: &Header, expected: &Header, path: &Path) -> Result<(), PartialError> {
    let mismatch = |field, theirs: String, ours: String| PartialError::Mismatch {
        path: path.to_path_buf(),
        field,
        theirs,
        ours,
        other: "the command line".to_string(),
    };
    if header.format != expected.format {
        return Err(mismatch(
            "partial format",
            header.format.to_string(),
            expected.format.to_string(),
        ));
    }
    if header.analysis_version != expected.analysis_version {
        return Err(mismatch(
            "analysis version",
            header.analysis_version.to_string(),
            format!("{} (this mediawatch)", expected.analysis_version),
        ));
    }
    if header.by != expected.by {
        return Err(mismatch("--by", header.by.clone(), expected.by.clone()));
    }
    if header.selection != expected.selection {
        return Err(mismatch(
            "query and filters",
            header.selection.clone(),
            expected.selection.clone(),
        ));
    }
    let terms = |h: &Header| {
        format!(
            "{} ngram {} stopwords {}",
            h.mode, h.ngram, h.keep_stopwords
        )
    };
    if terms(header) != terms(expected) {
        return Err(mismatch("term options", terms(header), terms(expected)));
    }
    Ok(())
}

/// Refuses partials whose entity or frame counts were made with different lists.
fn check_lists(
    header: &Header,
    first: &Header,
    path: &Path,
    first_path: &Path,
) -> Result<(), PartialError> {
    let other = format!("partial {}", first_path.display());
    for (field, theirs, ours) in [
        ("entity list", &header.entity_list, &first.entity_list),
        ("frame list", &header.frame_list, &first.frame_list),
    ] {
        if theirs != ours {
            let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
            return Err(PartialError::Mismatch {
                path: path.to_path_buf(),
                field,
                theirs: shown(theirs),
                ours: shown(ours),
                other: other.clone(),
            });
        }
    }
    Ok(())
}
