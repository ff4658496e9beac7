//! What a report covers and how ([`ReportRequest`]), its steps ([`Step`]) and what can go
//! wrong ([`ReportError`]).

use std::path::PathBuf;

use crate::registry::{ListFiles, RegistryError};
use crate::search::{Filters, SearchError};
use crate::stats::collapse::CopiesMode;
use crate::stats::counts::TermChoice;
use crate::stats::periods::Periods;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Interval};
use crate::stats::StatsError;

/// Errors of the report stage.
// One `#[error(transparent)]` variant per stage it calls, as `PipelineError` has for its
// stages (`duplicates` pairs the two enums by shape): each layer's own error type.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A statistic failed (e.g. a group with no documents).
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// Selecting documents failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The entity or frame list exists but cannot be read or parsed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Partials could not be read or merged (each error names its file).
    #[error(transparent)]
    Partial(#[from] crate::partial::PartialError),
    /// What the report asks cannot be had from its source (shards merged).
    #[error("{0}")]
    Unsupported(String),
    /// The index's fingerprint could not be read.
    #[error("cannot fingerprint the index: {0}")]
    Fingerprint(String),
    /// A file could not be written.
    // The cause is not repeated in the message: it is the error's source, and the binary
    // prints the whole chain.
    #[error("cannot write {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Outlet` (registry/sources.rs), `CopySummary` (stats/copies/summary.rs): different facts, no
// shared type.
/// What a report covers and how.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The documents (query and filters).
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// Target group.
    pub target: String,
    /// Reference group; `None` = all other documents.
    pub reference: Option<String>,
    /// Timeline bucket (days and hours are those of `subset.filters.zone`).
    pub interval: Interval,
    /// Key terms per direction.
    pub top: usize,
    /// Minimum combined frequency of a tested term.
    pub min_freq: u64,
    /// Shortest silence listed as a gap, in days.
    pub min_gap_days: u64,
    /// Which example passages the report quotes.
    pub examples: ExampleSpec,
    /// The run that asks for the report, as its provenance names it.
    pub invocation: Invocation,
    /// Entity gazetteer and frame dictionary; a list not given, or a missing file, leaves
    /// its section empty.
    pub lists: ListFiles,
    /// Whether near-duplicate copies count once per document or once per cluster.
    pub copies: CopiesMode,
    /// Periods of "What changed"; `None` derives them from the groups' gaps.
    pub periods: Option<Periods>,
}

impl Default for ReportRequest {
    fn default() -> Self {
        ReportRequest {
            subset: Subset {
                query: "*".to_string(),
                filters: Filters::default(),
            },
            by: GroupBy::Category,
            target: "state".to_string(),
            reference: None,
            interval: Interval::Day,
            top: 20,
            min_freq: 5,
            min_gap_days: 2,
            examples: ExampleSpec::default(),
            invocation: Invocation::default(),
            lists: ListFiles::default(),
            copies: CopiesMode::Keep,
            periods: None,
        }
    }
}

/// The run that asks for a report, as the report's provenance names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// The command line.
    pub command_line: Vec<String>,
    /// Generation time to print (`None` keeps the files reproducible).
    pub generated_at: Option<String>,
}

/// Which example passages a report quotes: for the first key terms of each direction, a few
/// passages each with some words of context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleSpec {
    /// Key terms per direction that get example passages.
    pub terms: usize,
    /// Passages per term.
    pub per_term: usize,
    /// Words of context on each side of a passage's match.
    pub window: usize,
}

impl Default for ExampleSpec {
    /// Five terms a direction, three passages each, eight words either side.
    fn default() -> Self {
        ExampleSpec {
            terms: 5,
            per_term: 3,
            window: 8,
        }
    }
}

/// A stage of [`super::collect()`], reported to the progress callback as it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Counting documents per group, outlet, language and medium.
    Overview,
    /// Building the timeline and finding gaps.
    Timeline,
    /// Counting terms and testing keyness.
    Keyness,
    /// Picking example passages.
    Examples,
    /// Counting entity mentions and testing entity keyness.
    Entities,
    /// Counting frame hits and testing frame keyness.
    Frames,
    /// Finding copies, key terms per period and attention to the query.
    Dynamics,
    /// Fingerprinting the index.
    Fingerprint,
}

impl Step {
    /// A short description for progress displays.
    pub fn message(self) -> &'static str {
        match self {
            Step::Overview => "counting documents per group",
            Step::Timeline => "building the timeline",
            Step::Keyness => "testing keyness",
            Step::Examples => "picking example passages",
            Step::Entities => "counting entity mentions",
            Step::Frames => "counting frame hits",
            Step::Dynamics => "finding copies, changes over time and attention",
            Step::Fingerprint => "fingerprinting the index",
        }
    }
}

impl ReportRequest {
    /// The report's comparison (analyzed single words, stopwords left out) with `options`:
    /// the keyness section and each period of "What changed" differ only in these.
    pub fn compare_request(
        &self,
        options: crate::stats::keyness::KeynessOptions,
    ) -> crate::stats::CompareRequest {
        crate::stats::CompareRequest {
            subset: self.subset.clone(),
            by: self.by,
            target: self.target.clone(),
            reference: self.reference.clone(),
            terms: TermChoice::default(),
            options,
        }
    }

    /// How the timeline and the frame series bucket documents.
    pub fn buckets(&self) -> Buckets {
        Buckets {
            interval: self.interval,
            zone: self.subset.filters.zone,
        }
    }
}
