//! Flags of scale-out: term options shared by `compare` and `partial`, and `partial` itself.

use std::path::PathBuf;

use clap::Args;

use super::values::number;
use super::{ExportFormat, ExportWhat, Grouping, IntervalArg, Selection};

/// One or more index directories: `--index DIR`, repeatable where a command reads several
/// indexes as one corpus.
#[derive(Debug, Args, Clone)]
pub struct IndexesArg {
    /// Index directory (repeat --index for several shard indexes read as one corpus, where
    /// the command supports it).
    #[arg(long = "index", value_name = "DIR", default_value = "index")]
    pub dirs: Vec<PathBuf>,
}

impl IndexesArg {
    /// The one index of a command that reads one (the first, when several are given: the
    /// command then refuses them through [`IndexesArg::single`]).
    pub fn first(&self) -> &std::path::Path {
        self.dirs
            .first()
            .map_or(std::path::Path::new("index"), |d| d.as_path())
    }

    /// The index of a command that reads exactly one, or the message refusing several.
    pub fn single(&self, command: &str) -> Result<&std::path::Path, String> {
        match self.dirs.as_slice() {
            [one] => Ok(one),
            [] => Ok(self.first()),
            several => Err(format!(
                "--index given {} times: {command} reads one index (compare reads several as one corpus)",
                several.len()
            )),
        }
    }
}

/// How words become counted terms.
#[derive(Debug, Args, Clone)]
pub struct TermArgs {
    /// N-gram size (1, 2 or 3).
    #[arg(long, default_value_t = 1, value_parser = number::<u8>(1, 3))]
    pub ngram: u8,
    /// Keep stopwords (NLTK lists for ru, kk, en).
    #[arg(long)]
    pub keep_stopwords: bool,
    /// Count lowercased word forms instead of stems.
    #[arg(long)]
    pub no_stem: bool,
    /// Count exact word forms as the index holds them (lowercase, nothing dropped; findable with =word).
    #[arg(long)]
    pub plain: bool,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `IngestArgs`
// (cli/args/mod.rs): different facts, no shared type.
/// Flags of `partial`.
#[derive(Debug, Args)]
pub struct PartialArgs {
    /// The shard's documents counted.
    #[command(flatten)]
    pub selection: Selection,
    /// The groups.
    #[command(flatten)]
    pub grouping: Grouping,
    // Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
    // `IngestArgs` (cli/args/mod.rs): different facts, no shared type.
    /// How words become terms.
    #[command(flatten)]
    pub terms: TermArgs,
    /// Count gazetteer entities too (for `compare --entities --partials`), with this list.
    #[arg(long)]
    pub entity_list: Option<PathBuf>,
    /// Count frames too (for `compare --frames --partials`), with this dictionary.
    #[arg(long)]
    pub frame_list: Option<PathBuf>,
    /// Count over time too, in buckets of this size (for `stats timeline`, `stats attention`
    /// and `stats frames --partials`, which need the same `--interval`).
    #[arg(long, value_enum)]
    pub interval: Option<IntervalArg>,
    /// Count what `report --partials` needs beyond the statistics too: documents per outlet,
    /// language, medium and day, overall and per group, and the index fingerprint (with
    /// `--interval` and the entity and frame lists the report is given).
    #[arg(long)]
    pub report: bool,
    /// Count terms inside each of these periods too, for "What changed" of `report
    /// --partials --periods` (the same periods): name=FROM..TO,… (e.g.
    /// before=2022-01-01..2022-01-04,after=2022-01-05..2022-01-20).
    #[arg(long, value_parser = super::periods::parse_periods)]
    pub periods: Option<mediawatch::stats::periods::Periods>,
    /// Count only the terms inside the periods this file names (`report --partials …
    /// --periods-ask FILE`: the periods of "What changed" at the gaps of the whole
    /// timeline), for `report --period-partials`; with the report's query, filters and --by.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["periods", "report", "copies", "interval", "entity_list", "frame_list"])]
    pub periods_from: Option<PathBuf>,
    /// Write every selected document's text signature too (128 numbers; with its id,
    /// outlet, category, group, date and title), for the copies of `report --partials` and
    /// `stats copies --partials`: about 0.6 KB a document.
    #[arg(long)]
    pub copies: bool,
    /// The Parquet file written (replaced whole when it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Flags of `passages`.
#[derive(Debug, Args)]
pub struct PassagesArgs {
    /// The shard's documents (the report's query and filters).
    #[command(flatten)]
    pub selection: Selection,
    /// The report's groups.
    #[command(flatten)]
    pub grouping: Grouping,
    /// The passage queries (`report --partials … --passage-asks FILE`).
    #[arg(long, value_name = "FILE")]
    pub asks: PathBuf,
    /// Every shard's match keys (this command without --keys, run on each shard); with
    /// them, the passages are written, else this shard's keys.
    #[arg(long, value_name = "FILE")]
    pub keys: Vec<PathBuf>,
    /// The JSON file written (replaced whole when it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Flags of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The documents exported.
    #[command(flatten)]
    pub selection: Selection,
    /// File format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Documents or document-term counts.
    #[arg(long, value_enum, default_value = "documents")]
    pub what: ExportWhat,
    /// The file written (replaced whole when it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}
