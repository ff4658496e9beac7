//! Mergeable partial statistics: what the statistics need from one shard index, as plain
//! sums keyed by names (never by numbers local to one index), so partials from any split of
//! the documents merge in any order into exactly the counts of one index holding them all.
//!
//! A [`Partial`] is computed from an index ([`Partial::of_index`]) or read from a Parquet
//! file ([`file::read`]); [`merge`] checks that the partials were made alike (same analysis
//! version, grouping, selection and counting options) and adds them up. `compare --index`
//! runs the same path in-process: one partial per index, merged.

mod copy_rows;
mod dated;
mod extra_rows;
pub mod file;
mod named;
mod overview;
pub mod passages;
mod shards;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::analysis::ANALYSIS_VERSION;
use crate::index::Index;
use crate::registry::{EntityMatcher, FrameMatcher};
use crate::stats::counts::{TermChoice, TermCounts};
use crate::stats::entities::EntityCounts;
use crate::stats::frames::FrameCounts;
use crate::stats::periods::Periods;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Interval};
use crate::stats::{self, CompareItems, StatsError};

pub use copy_rows::{merge_copies, CopyDocument, CopyRows};
pub use dated::{merge_dated, merge_entities, merge_frames, Dated};
pub use named::NamedCounts;
pub use overview::{merge_overview, Overview};
pub use shards::Shards;

/// The version of the partial file layout; files of another layout are refused.
pub const PARTIAL_FORMAT: u32 = 4;

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

impl PartialError {
    /// A file made with `theirs` as its `field` where the command line asks for `ours`.
    pub(crate) fn against_command(
        path: &Path,
        field: &'static str,
        theirs: impl Display,
        ours: impl Display,
    ) -> PartialError {
        PartialError::Mismatch {
            path: path.to_path_buf(),
            field,
            theirs: theirs.to_string(),
            ours: ours.to_string(),
            other: "the command line".to_string(),
        }
    }
}

/// Refuses a file's setting `field` (`theirs`) where it differs from the command's (`ours`).
pub(crate) fn same_as_command<T: PartialEq + Display + ?Sized>(
    path: &Path,
    field: &'static str,
    theirs: &T,
    ours: &T,
) -> Result<(), PartialError> {
    if theirs == ours {
        Ok(())
    } else {
        Err(PartialError::against_command(path, field, theirs, ours))
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `IngestArgs`
// (cli/args/mod.rs), `DocumentRow` (export/mod.rs) and 1 more: different facts, no shared type.
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
    /// How terms were made (JSON: `mode`, `ngram`, `keep_stopwords` at this level).
    #[serde(flatten)]
    pub terms: TermChoice,
    /// Digest of the entity list the entity counts were made with, when made.
    pub entity_list: Option<String>,
    /// Digest of the frame list the frame counts were made with, when made.
    pub frame_list: Option<String>,
    /// Time zone of days and hours (`Asia/Almaty`, `UTC`, `+06:00`).
    pub zone: String,
    /// Bucket size of the dated counts (timeline, attention, frames over time), when made.
    pub interval: Option<String>,
    /// Whether the report's overview (documents per facet value, index fingerprint) was made.
    #[serde(default)]
    pub report: bool,
    /// The periods term counts were made for (`name=from..to,…`), when made.
    #[serde(default)]
    pub periods: Option<String>,
    /// Whether every selected document's signature was written (for copies).
    #[serde(default)]
    pub copies: bool,
    /// Whether the partial holds the term counts per period alone (`partial --periods-from`,
    /// the second round of a report's "What changed" from partials).
    #[serde(default)]
    pub period_terms_only: bool,
}

/// How a partial counts: the options of the statistics it serves.
#[derive(Debug, Clone)]
pub struct PartialSpec<'a> {
    /// The documents.
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// Which terms are counted.
    pub terms: TermChoice,
    /// Entity counts too, with this gazetteer and its digest.
    pub entities: Option<(&'a EntityMatcher, String)>,
    /// Frame counts too, with this dictionary and its digest.
    pub frames: Option<(&'a FrameMatcher, String)>,
    /// Dated counts too (timeline, attention, frames over time) in buckets of this size.
    pub interval: Option<Interval>,
    /// The report's overview too (documents per facet value, index fingerprint).
    pub report: bool,
    /// Term counts inside each of these periods too ("What changed" of a report).
    pub periods: Option<Periods>,
    /// Every selected document's signature too (copies of a report or `stats copies`).
    pub copies: bool,
    /// The term counts per period alone (nothing else: the spec's periods must be given).
    pub period_terms_only: bool,
}

impl PartialSpec<'_> {
    /// The header of partials made with this spec (the counts' digests included).
    pub fn header(&self) -> Header {
        Header {
            format: PARTIAL_FORMAT,
            analysis_version: ANALYSIS_VERSION,
            by: self.by.to_string(),
            selection: selection_text(&self.subset),
            terms: self.terms,
            entity_list: self.entities.as_ref().map(|(_, d)| d.clone()),
            frame_list: self.frames.as_ref().map(|(_, d)| d.clone()),
            zone: self.subset.filters.zone.name(),
            interval: self.interval.map(|i| i.name().to_string()),
            report: self.report,
            periods: self.periods.as_ref().map(ToString::to_string),
            copies: self.copies,
            period_terms_only: self.period_terms_only,
        }
    }

    /// The buckets of the dated counts, when asked for.
    fn buckets(&self) -> Option<Buckets> {
        self.interval.map(|interval| Buckets {
            interval,
            zone: self.subset.filters.zone,
        })
    }
}

/// The digest a partial's header records for a registry file's bytes.
pub fn digest(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
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

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Fields`
// (ingest/record.rs), `EntitySection` (report/data.rs) and 1 more: different facts, no shared type.
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
    /// The rest of the entity statistics (series per day, co-mentions, unknown names; its
    /// `mentions` are empty: they are [`Partial::entities`]), with the entities.
    pub entity_detail: Option<EntityCounts>,
    /// Frame documents per group and bucket (its `hits` are empty: they are
    /// [`Partial::frames`]), with the frames and an interval.
    pub frame_buckets: Option<FrameCounts>,
    /// Timeline and attention counts, with an interval.
    pub dated: Option<Dated>,
    /// The report's overview, when asked for.
    pub overview: Option<Overview>,
    /// Term counts per group inside each period of the header, by period name.
    pub period_terms: BTreeMap<String, NamedCounts>,
    /// Every selected document's signature, when asked for (shared: merging reads them, and
    /// a partial is cloned for each statistic merged).
    pub copies: Option<Arc<CopyRows>>,
}

impl Partial {
    /// Counts one index: terms; entities and frames when the spec has their lists; the
    /// dated counts when it has an interval — or, when the spec asks for them alone, the
    /// term counts per period.
    pub fn of_index(index: &Index, spec: &PartialSpec) -> Result<Partial, PartialError> {
        if spec.period_terms_only {
            let mut partial = Partial::empty(spec);
            partial.count_periods(index, spec)?;
            return Ok(partial);
        }
        let mut partial = Partial::of_index_items(index, spec, CompareItems::Terms)?;
        if let Some((matcher, _)) = &spec.entities {
            partial.count(index, spec, CompareItems::Entities(matcher))?;
        }
        if let Some((matcher, _)) = &spec.frames {
            partial.count(index, spec, CompareItems::Frames(matcher))?;
        }
        partial.dated = Partial::of_index_dated(index, spec)?.dated;
        if spec.report {
            partial.overview = Partial::of_index_overview(index, spec)?.overview;
        }
        if spec.copies {
            partial.copies = Partial::of_index_copies(index, spec)?.copies;
        }
        partial.count_periods(index, spec)?;
        Ok(partial)
    }

    /// Counts the terms inside each period of the spec into the partial.
    fn count_periods(&mut self, index: &Index, spec: &PartialSpec) -> Result<(), PartialError> {
        for period in spec.periods.iter().flat_map(|p| &p.0) {
            let narrowed = PartialSpec {
                subset: Subset {
                    query: spec.subset.query.clone(),
                    filters: period.narrow(&spec.subset.filters),
                },
                ..spec.clone()
            };
            let counts = Partial::of_index_items(index, &narrowed, CompareItems::Terms)?.terms;
            let counts = counts.unwrap_or_default();
            self.period_terms.insert(period.name.clone(), counts);
        }
        Ok(())
    }

    /// A partial of one index holding only its documents' signatures (for copies).
    pub fn of_index_copies(index: &Index, spec: &PartialSpec) -> Result<Partial, PartialError> {
        let mut partial = Partial::empty(spec);
        let rows = CopyRows::of_index(index, &shard_subset(&spec.subset), spec.by)?;
        partial.copies = Some(Arc::new(rows));
        Ok(partial)
    }

    /// A partial of one index holding only its dated counts (the spec's interval).
    pub fn of_index_dated(index: &Index, spec: &PartialSpec) -> Result<Partial, PartialError> {
        let mut partial = Partial::empty(spec);
        if let Some(buckets) = spec.buckets() {
            let dated = Dated::of_index(index, &shard_subset(&spec.subset), spec.by, buckets)?;
            partial.dated = Some(dated);
        }
        Ok(partial)
    }

    /// A partial of one index holding only the report's overview.
    pub fn of_index_overview(index: &Index, spec: &PartialSpec) -> Result<Partial, PartialError> {
        let mut partial = Partial::empty(spec);
        let subset = shard_subset(&spec.subset);
        let overview =
            Overview::of_index(index, &subset, spec.by.facet()).map_err(StatsError::from)?;
        partial.overview = Some(overview);
        Ok(partial)
    }

    /// A partial made with `spec` holding no counts yet.
    fn empty(spec: &PartialSpec) -> Partial {
        Partial {
            header: spec.header(),
            terms: None,
            entities: None,
            frames: None,
            entity_detail: None,
            frame_buckets: None,
            dated: None,
            overview: None,
            period_terms: BTreeMap::new(),
            copies: None,
        }
    }

    /// A partial of one index holding only the counts of `items` (with the entity details,
    /// and the frame documents per bucket when the spec has an interval): what a statistic
    /// over several indexes merges in-process.
    pub fn of_index_items(
        index: &Index,
        spec: &PartialSpec,
        items: CompareItems,
    ) -> Result<Partial, PartialError> {
        let mut partial = Partial::empty(spec);
        partial.count(index, spec, items)?;
        Ok(partial)
    }

    /// Counts `items` in `index` into the partial.
    fn count(
        &mut self,
        index: &Index,
        spec: &PartialSpec,
        items: CompareItems,
    ) -> Result<(), PartialError> {
        let outlets = stats::outlet_names(index).map_err(StatsError::from)?;
        let subset = &shard_subset(&spec.subset);
        let by = spec.by;
        match items {
            CompareItems::Terms => {
                let counts = stats::counts_of_items(index, subset, by, spec.terms, items)?;
                self.terms = Some(NamedCounts::new(counts, &outlets));
            }
            CompareItems::Entities(matcher) => {
                let mut counts = stats::entity_counts(index, subset, by, matcher)?;
                let mentions = std::mem::take(&mut counts.mentions);
                self.entities = Some(NamedCounts::new(mentions, &outlets));
                self.entity_detail = Some(counts);
            }
            CompareItems::Frames(matcher) => {
                let mut counts = stats::frame_counts(index, subset, by, matcher, spec.buckets())?;
                let hits = std::mem::take(&mut counts.hits);
                self.frames = Some(NamedCounts::new(hits, &outlets));
                self.frame_buckets = spec.interval.is_some().then_some(counts);
            }
        }
        Ok(())
    }

    /// The counts of `items`, taken out of the partial.
    pub fn into_items(self, items: CompareItems) -> Option<NamedCounts> {
        match items {
            CompareItems::Terms => self.terms,
            CompareItems::Entities(_) => self.entities,
            CompareItems::Frames(_) => self.frames,
        }
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

/// `subset` in one shard: a filter value the shard does not hold selects nothing there.
pub fn shard_subset(subset: &Subset) -> Subset {
    let mut subset = subset.clone();
    subset.filters.of_shard = true;
    subset
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
    let merged = dated::fold(
        partials,
        expected,
        false,
        |merged: &mut NamedCounts, partial, origin| {
            let counts = partial
                .into_items(items)
                .ok_or_else(|| PartialError::File {
                    path: origin.to_path_buf(),
                    reason: format!(
                        "holds no {} counts; make it with `mediawatch partial --{}-list FILE`",
                        items_name(items),
                        items_name(items)
                    ),
                })?;
            merged.merge(counts);
            Ok(())
        },
    )?;
    Ok(merged.into_counts())
}

/// The term counts inside the period `name` of partials made alike, with the periods of
/// `expected` (a period in which a shard has no documents counts nothing there): whole
/// partials made with `--periods`, or partials of the term counts per period alone.
pub fn merge_period(
    partials: Vec<Sourced>,
    expected: &Header,
    name: &str,
) -> Result<TermCounts, PartialError> {
    let asked = expected.periods.clone().unwrap_or_default();
    let expected = &Header {
        period_terms_only: true,
        ..expected.clone()
    };
    let merged = dated::fold(
        partials,
        expected,
        false,
        |merged: &mut NamedCounts, mut partial, origin| {
            // Periods are days of the zone the partial was made in.
            same_as_command(origin, "--timezone", &partial.header.zone, &expected.zone)?;
            match &partial.header.periods {
                None => {
                    let how = format!("--periods {asked}");
                    return Err(dated::lacks(origin, "term counts per period", &how));
                }
                Some(theirs) => same_as_command(origin, "--periods", theirs, &asked)?,
            }
            merged.merge(partial.period_terms.remove(name).unwrap_or_default());
            Ok(())
        },
    )?;
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
    if header.period_terms_only && !expected.period_terms_only {
        return Err(PartialError::File {
            path: path.to_path_buf(),
            reason: "holds the term counts per period alone (made with `partial --periods-from`): give it to the report with --period-partials, and the shard's whole partial with --partials".into(),
        });
    }
    same_as_command(path, "partial format", &header.format, &expected.format)?;
    if header.analysis_version != expected.analysis_version {
        let ours = format!("{} (this mediawatch)", expected.analysis_version);
        let theirs = header.analysis_version;
        return Err(PartialError::against_command(
            path,
            "analysis version",
            theirs,
            ours,
        ));
    }
    same_as_command(path, "--by", &header.by, &expected.by)?;
    same_as_command(
        path,
        "query and filters",
        &header.selection,
        &expected.selection,
    )?;
    same_as_command(path, "term options", &header.terms, &expected.terms)
}

/// A list that a partial's counts may be made with (the header holds its digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    /// The entity list (`--entity-list`).
    Entities,
    /// The frame list (`--frame-list`).
    Frames,
}

impl List {
    /// Every list, in the order partials are checked.
    const ALL: [List; 2] = [List::Entities, List::Frames];

    /// The list's name in errors.
    fn name(self) -> &'static str {
        match self {
            List::Entities => "entity list",
            List::Frames => "frame list",
        }
    }

    /// The digest of the list `header`'s counts were made with, if any.
    fn digest(self, header: &Header) -> &Option<String> {
        match self {
            List::Entities => &header.entity_list,
            List::Frames => &header.frame_list,
        }
    }
}

/// Refuses partials whose entity or frame counts were made with different lists.
fn check_lists(
    header: &Header,
    first: &Header,
    path: &Path,
    first_path: &Path,
) -> Result<(), PartialError> {
    let other = format!("partial {}", first_path.display());
    for list in List::ALL {
        let (theirs, ours) = (list.digest(header), list.digest(first));
        if theirs != ours {
            let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
            return Err(PartialError::Mismatch {
                path: path.to_path_buf(),
                field: list.name(),
                theirs: shown(theirs),
                ours: shown(ours),
                other: other.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;

    /// A header as partials have always held it (flat term keys, the mode by its name).
    const FLAT_HEADER: &str = concat!(
        r#"{"format":3,"analysis_version":6,"by":"category","selection":"{}","#,
        r#""mode":"unstemmed","ngram":2,"keep_stopwords":true,"entity_list":null,"#,
        r#""frame_list":"00ff","zone":"UTC","interval":"day","report":true,"periods":null,"#,
        r#""copies":false,"period_terms_only":false}"#
    );

    // regression: the term options are flattened, so the header's JSON (and every partial
    // file's bytes) stay as they were, both ways.
    #[test]
    fn header_json_keeps_the_flat_term_keys() {
        let header: Header = serde_json::from_str(FLAT_HEADER).unwrap();
        assert_eq!(
            header.terms,
            TermChoice {
                mode: TermMode::Unstemmed,
                ngram: 2,
                keep_stopwords: true,
            }
        );
        assert_eq!(header.frame_list.as_deref(), Some("00ff"));
        assert_eq!(serde_json::to_string(&header).unwrap(), FLAT_HEADER);
    }

    // The header records the term mode by the name `TermMode::name` gives (the names partials
    // have always held), and refuses a name it does not know, listing the known ones.
    #[test]
    fn header_term_mode_is_its_name() {
        for mode in [TermMode::Analyzed, TermMode::Unstemmed, TermMode::Plain] {
            let json = FLAT_HEADER.replace("unstemmed", mode.name());
            let header: Header = serde_json::from_str(&json).unwrap();
            assert_eq!(header.terms.mode, mode);
            assert_eq!(serde_json::to_string(&header).unwrap(), json);
        }
        let unknown = FLAT_HEADER.replace("unstemmed", "stemmed");
        let error = serde_json::from_str::<Header>(&unknown).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`analyzed`, `unstemmed`, `plain`"),
            "{error}"
        );
    }

    /// The error's message, with the advice every mismatch ends with left off.
    fn refusal(result: Result<(), PartialError>) -> String {
        let message = result.unwrap_err().to_string();
        let advice = "; make every partial with the options of the command that reads them";
        message.strip_suffix(advice).unwrap_or(&message).to_string()
    }

    #[test]
    fn settings_are_checked_against_the_command_in_order_and_shown_as_made() {
        let expected: Header = serde_json::from_str(FLAT_HEADER).unwrap();
        let path = Path::new("p.parquet");
        assert!(check(&expected, &expected, path).is_ok());
        // --by is checked before the query and filters, the analysis version before --by.
        let mut made = expected.clone();
        made.by = "lang".into();
        made.selection = "x".into();
        assert_eq!(
            refusal(check(&made, &expected, path)),
            "p.parquet: made with --by lang, but the command line has category"
        );
        made.analysis_version = 5;
        assert_eq!(
            refusal(check(&made, &expected, path)),
            "p.parquet: made with analysis version 5, but the command line has 6 (this mediawatch)"
        );
        let mut made = expected.clone();
        made.terms.ngram = 1;
        assert_eq!(
            refusal(check(&made, &expected, path)),
            "p.parquet: made with term options unstemmed ngram 1 stopwords true, but the command \
             line has unstemmed ngram 2 stopwords true"
        );
    }

    #[test]
    fn a_list_made_otherwise_is_named_with_none_for_an_absent_one() {
        let first: Header = serde_json::from_str(FLAT_HEADER).unwrap();
        let (path, first_path) = (Path::new("b.parquet"), Path::new("a.parquet"));
        assert!(check_lists(&first, &first, path, first_path).is_ok());
        let made = Header {
            frame_list: None,
            ..first.clone()
        };
        assert_eq!(
            refusal(check_lists(&made, &first, path, first_path)),
            "b.parquet: made with frame list none, but partial a.parquet has 00ff"
        );
        // Entities are checked first.
        let made = Header {
            entity_list: Some("11aa".into()),
            ..made
        };
        assert_eq!(
            refusal(check_lists(&made, &first, path, first_path)),
            "b.parquet: made with entity list 11aa, but partial a.parquet has none"
        );
    }

    #[test]
    fn term_options_mismatch_names_all_three() {
        let made = |mode, ngram, keep_stopwords| {
            TermChoice {
                mode,
                ngram,
                keep_stopwords,
            }
            .to_string()
        };
        assert_eq!(
            made(TermMode::Analyzed, 1, false),
            "analyzed ngram 1 stopwords false"
        );
        assert_eq!(
            made(TermMode::Plain, 3, true),
            "plain ngram 3 stopwords true"
        );
    }
}
