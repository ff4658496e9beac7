//! Raw command-line flags (clap derive); each flag's help is its doc comment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod convert;
mod periods;
mod scale;
mod values;

pub use convert::{
    AnalyzeLang, CopiesArg, ExportFormat, ExportWhat, InputFormatArg, IntervalArg, KwicByArg,
    KwicSortArg, RankArg, SortArg, UnitArg,
};
pub use periods::{CopiesFlag, PeriodFlags, ReportPeriods};
pub use scale::{ExportArgs, IndexesArg, PartialArgs, PassagesArgs, TermArgs};
pub use values::Limit;
use values::{fraction, limit, number};

/// Largest `--top`: more key terms than anyone reads, few enough to stay cheap.
const MAX_TOP: u64 = 100_000;
/// Largest `--min-freq`.
const MAX_MIN_FREQ: u64 = u32::MAX as u64;
/// Longest `--min-gap`, in days (a century).
pub(crate) const MAX_MIN_GAP: u64 = 36_525;
/// Largest `--record-cap`: 1 GiB.
const MAX_RECORD_CAP: u64 = 1 << 30;
/// Smallest `--record-cap`: 1 KiB.
const MIN_RECORD_CAP: u64 = 1 << 10;

/// mediawatch — compare what state and independent media said, and when.
#[derive(Debug, Parser)]
#[command(name = "mediawatch", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print tables at full width: every column, no cell cut (by default tables fit the
    /// terminal, or COLUMNS, or 100 columns when output is not a terminal).
    #[arg(long, global = true)]
    pub wide: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Main job: ingest the bundled corpus into the index, summarize it and write its report.
    Run(RunArgs),
    /// Ingest articles and transcripts (JSONL, CSV/TSV, TXT, SRT, WebVTT; .gz) into an index
    /// (created when missing).
    Ingest(IngestArgs),
    /// Show what an index holds.
    Info(InfoArgs),
    /// Re-label indexed documents from a changed source registry, without the input files.
    Relabel(RelabelArgs),
    /// Detect the language of each line of standard input.
    Detect(DetectArgs),
    /// Show how text on standard input is analyzed: each word with the index term it becomes.
    Analyze(AnalyzeArgs),
    /// Rebuild an index's terms from its stored documents (after an analyzer change).
    Reindex(ReindexArgs),
    /// Search the index: ranked hits with snippets, keyword-in-context lines, facet counts.
    Search(SearchArgs),
    /// Open one document: its metadata, URL, language shares, copy links and full text (a
    /// broadcast's with the time of each cue).
    Show(ShowArgs),
    /// Keyness: which terms one group uses more than another (G², Log Ratio, log-odds, DP).
    ///
    /// Measures: signed log-likelihood G² (Dunning 1993; Rayson & Garside 2000) with p from
    /// χ²(1) and a Bonferroni flag; Log Ratio (Hardie 2014); %DIFF (Gabrielatos & Marchi 2012);
    /// log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); Gries'
    /// DP (2008) across the target group's outlets.
    Compare(CompareArgs),
    /// Statistics per group: frequent terms, timelines with gaps, entity mentions, frame shares.
    Stats(StatsArgs),
    /// Write the mergeable counts of one shard index to a Parquet file, for `compare
    /// --partials` and `stats --partials` (exactly the statistics of one index holding every
    /// shard's documents).
    Partial(PartialArgs),
    /// Answer a report from partials' example-passage queries from one shard index: the
    /// shard's matches as date-order keys, or (given every shard's keys) the passages of
    /// the documents one index of all of them would quote.
    Passages(PassagesArgs),
    /// Export a selection's documents, or their document-term counts, as Parquet or NDJSON
    /// (for pandas, polars, R, Spark, Quickwit and OpenSearch).
    Export(ExportArgs),
    /// Write a report: one self-contained HTML file, Markdown with SVG charts, CSV tables and
    /// JSON — overview, timeline with gaps, key terms both ways, language mix, examples, methods.
    Report(ReportArgs),
    /// Write a deterministic synthetic corpus: of any size (for benchmarks and recovery tests),
    /// or the bundled demo corpus (--demo).
    Generate(GenerateArgs),
    /// Browse an index in a web browser: search, keyword in context, documents, comparisons,
    /// timelines, CSV/JSON exports and saved searches, every view a shareable link.
    Serve(ServeArgs),
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Index directories (repeat for several; pages choose one with `ix=N`).
    #[arg(long = "index", value_name = "DIR", default_value = "index")]
    pub indexes: Vec<PathBuf>,
    /// Address to listen on; anything but a loopback address is reachable from the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Entity gazetteer CSV the compare page may count [default: corpus/entities.csv when it
    /// exists]; pages choose it by name, never by path.
    #[arg(long, value_name = "FILE")]
    pub entity_list: Option<PathBuf>,
    /// Frame dictionary CSV the compare page may count [default: corpus/frames.csv when it
    /// exists].
    #[arg(long, value_name = "FILE")]
    pub frame_list: Option<PathBuf>,
}

/// File format of a generated corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GeneratedFormat {
    /// JSON lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// Flags of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of documents of a benchmark corpus.
    #[arg(long, required_unless_present = "demo", conflicts_with = "demo",
          value_parser = number::<u64>(1, 100_000_000))]
    pub docs: Option<u64>,
    /// Write the bundled demo corpus instead (its document folders and bad/ under --out,
    /// default corpus; registries and other folders there are left alone).
    #[arg(long)]
    pub demo: bool,
    /// Random seed (same seed, same corpus).
    #[arg(long, default_value_t = 42, value_parser = number::<u64>(0, u64::MAX))]
    pub seed: u64,
    /// Output directory: documents, sources.csv and manifest.json are written there
    /// [default: generated, or corpus with --demo].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Document file format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: GeneratedFormat,
    /// Mean document size in bytes.
    #[arg(long, default_value_t = 3000, value_parser = number::<usize>(
        crate::generate::bench::MIN_DOC_BYTES as u64,
        crate::generate::bench::MAX_DOC_BYTES as u64,
    ))]
    pub mean_bytes: usize,
}

/// Flags of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The documents compared.
    #[command(flatten)]
    pub selection: Selection,
    /// The two sides.
    #[command(flatten)]
    pub comparison: Comparison,
    /// Count tokens or documents.
    #[arg(long, value_enum, default_value = "token")]
    pub unit: UnitArg,
    /// How words become terms.
    #[command(flatten)]
    pub terms: TermArgs,
    /// Partial statistics files (`mediawatch partial`) to merge instead of reading --index;
    /// repeatable, in any order.
    #[arg(long, value_name = "FILE")]
    pub partials: Vec<PathBuf>,
    /// Key terms per direction.
    #[arg(long, default_value_t = 30, value_parser = number::<usize>(1, MAX_TOP))]
    pub top: usize,
    /// Minimum combined frequency for a term to be tested.
    #[arg(long, default_value_t = 5, value_parser = number::<u64>(0, MAX_MIN_FREQ))]
    pub min_freq: u64,
    /// Average outlets' relative frequencies so no single outlet dominates its group.
    #[arg(long)]
    pub balance_outlets: bool,
    /// Ordering of key terms: by G² (evidence), Log Ratio (size) or LRC (size the evidence
    /// supports: the 95 % interval's bound closer to zero).
    #[arg(long, value_enum, default_value = "g2")]
    pub rank: RankArg,
    /// List only terms whose Benjamini–Hochberg q-value is below this (1 = every tested term).
    #[arg(long, default_value_t = 0.05, value_parser = fraction)]
    pub max_q: f64,
    /// Compare gazetteer entities (mentions) instead of words.
    #[arg(long, conflicts_with = "frames")]
    pub entities: bool,
    /// Compare frames (dictionary hits) instead of words.
    #[arg(long)]
    pub frames: bool,
    /// Registries for --entities / --frames.
    #[command(flatten)]
    pub lists: ListArgs,
    /// Counting with copies.
    #[command(flatten)]
    pub copies: CopiesFlag,
    /// Periods.
    #[command(flatten)]
    pub periods: PeriodFlags,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
}

/// Gazetteer and frame dictionary files.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Entity gazetteer CSV: id,type,name,aliases.
    #[arg(long, default_value = "corpus/entities.csv")]
    pub entity_list: PathBuf,
    /// Frame dictionary CSV: frame,lang,pattern.
    #[arg(long, default_value = "corpus/frames.csv")]
    pub frame_list: PathBuf,
}

/// Which statistic `stats` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsKind {
    /// Most frequent terms per group; with --term, their series per interval.
    Terms,
    /// Documents and tokens per group per interval, with gaps.
    Timeline,
    /// Entity mentions, share of voice, daily series, co-mentions, unknown names.
    Entities,
    /// Frame shares per group, overall and per interval.
    Frames,
    /// Near-duplicate clusters (copies, talking points) across outlets: MinHash over word
    /// shingles, confirmed by the estimated Jaccard similarity (--min-similarity).
    Copies,
    /// Documents matching the query per group and interval against the group's total
    /// documents, and the share (normalized attention); needs a query.
    Attention,
}

/// Flags of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The statistic.
    #[arg(value_enum)]
    pub kind: StatsKind,
    /// The documents counted.
    #[command(flatten)]
    pub selection: Selection,
    /// The groups.
    #[command(flatten)]
    pub grouping: Grouping,
    /// Bucket size.
    #[arg(long, value_enum, default_value = "day")]
    pub interval: IntervalArg,
    /// Shortest silence reported as a gap, in days.
    #[arg(long, default_value_t = 2, value_parser = number::<u64>(1, MAX_MIN_GAP))]
    pub min_gap: u64,
    /// Registries for entities / frames.
    #[command(flatten)]
    pub lists: ListArgs,
    /// Terms to follow over time (stats terms); repeatable.
    #[arg(long)]
    pub term: Vec<String>,
    /// Partial statistics files (`mediawatch partial`, with `--interval` for timeline,
    /// attention and frames, with `--entity-list` / `--frame-list` for entities and frames)
    /// to merge instead of reading --index; repeatable, in any order.
    #[arg(long, value_name = "FILE")]
    pub partials: Vec<PathBuf>,
    /// Terms listed per group (stats terms); talking points listed (stats copies).
    #[arg(long, default_value_t = 30, value_parser = number::<usize>(1, MAX_TOP))]
    pub top: usize,
    /// Estimated Jaccard similarity of word shingles two documents need to be copies
    /// (stats copies).
    #[arg(long, default_value_t = 0.8, value_parser = fraction)]
    pub min_similarity: f64,
    /// Counting with copies (not for stats copies; collapse uses --min-similarity).
    #[command(flatten)]
    pub copies: CopiesFlag,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The documents reported on.
    #[command(flatten)]
    pub selection: Selection,
    /// The two sides.
    #[command(flatten)]
    pub comparison: Comparison,
    /// Entity and frame lists (a missing file leaves its section empty).
    #[command(flatten)]
    pub lists: ListArgs,
    /// Partial statistics files (`mediawatch partial --report --interval … --entity-list …
    /// --frame-list …`) to merge instead of reading --index; repeatable, in any order.
    /// Copies need partials made with `--copies`; example passages need --passages, and
    /// "What changed" --periods or --period-partials (else they are left out, with the
    /// reason in the report).
    #[arg(long, value_name = "FILE")]
    pub partials: Vec<PathBuf>,
    /// With --partials: write the passage queries of the example passages here (JSON), for
    /// `mediawatch passages` on every shard.
    #[arg(long, value_name = "FILE", requires = "partials")]
    pub passage_asks: Option<PathBuf>,
    /// With --partials: every shard's answers (`mediawatch passages --keys …`) to this
    /// report's --passage-asks, for example passages exactly as one index gives them;
    /// repeatable.
    #[arg(long, value_name = "FILE", requires = "partials")]
    pub passages: Vec<PathBuf>,
    /// With --partials: write the periods of "What changed" (at the gaps of the whole
    /// timeline) that the partials hold no term counts for here (`name=FROM..TO,…`; empty
    /// when none are missing), for `mediawatch partial --periods-from` on every shard.
    #[arg(long, value_name = "FILE", requires = "partials")]
    pub periods_ask: Option<PathBuf>,
    /// With --partials: every shard's term counts in the periods of "What changed"
    /// (`mediawatch partial --periods-from` this report's --periods-ask), for the section
    /// exactly as one index gives it; repeatable.
    #[arg(long, value_name = "FILE", requires = "partials")]
    pub period_partials: Vec<PathBuf>,
    /// Timeline bucket size.
    #[arg(long, value_enum, default_value = "day")]
    pub interval: IntervalArg,
    /// Key terms per direction.
    #[arg(long, default_value_t = 20, value_parser = number::<usize>(1, 1_000))]
    pub top: usize,
    /// Minimum combined frequency for a term to be tested.
    #[arg(long, default_value_t = 5, value_parser = number::<u64>(0, MAX_MIN_FREQ))]
    pub min_freq: u64,
    /// Shortest silence reported as a gap, in days.
    #[arg(long, default_value_t = 2, value_parser = number::<u64>(1, MAX_MIN_GAP))]
    pub min_gap: u64,
    /// Output directory (created when missing): report.html, report.md, data.json, tables/, charts/.
    #[arg(long, default_value = "report")]
    pub out: PathBuf,
    /// Print the generation time in the report (otherwise reruns give byte-identical files).
    #[arg(long)]
    pub timestamp: bool,
    /// Hide the progress display.
    #[arg(long)]
    pub quiet: bool,
    /// Counting with copies.
    #[command(flatten)]
    pub copies: CopiesFlag,
    /// Periods of "What changed".
    #[command(flatten)]
    pub periods: ReportPeriods,
}

/// Index directory, the flag every command that reads or writes an index takes.
#[derive(Debug, Args, Clone)]
pub struct IndexArg {
    /// Index directory.
    #[arg(long = "index", value_name = "DIR", default_value = "index")]
    pub dir: PathBuf,
}

/// Which documents a command looks at: an index, a query and filters.
#[derive(Debug, Args, Clone)]
pub struct Selection {
    /// Query: words (ANDed), OR, +must, -not, "phrase"~slop, field:value (title:, outlet:,
    /// lang:, ...), prefix*. Empty or * selects every document the filters allow.
    #[arg(default_value = "*")]
    pub query: String,
    /// The index (`compare` takes several: repeat --index to count them as one corpus).
    #[command(flatten)]
    pub index: IndexesArg,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// How documents are grouped.
#[derive(Debug, Args, Clone)]
pub struct Grouping {
    /// Grouping field: category, outlet, lang or medium.
    #[arg(long, default_value = "category")]
    pub by: String,
}

/// The two sides of a comparison, shared by `compare` and `report` so that both have the
/// same defaults.
#[derive(Debug, Args, Clone)]
pub struct Comparison {
    /// The groups.
    #[command(flatten)]
    pub grouping: Grouping,
    /// Target group; `each` ranks every group (every outlet with --by outlet) against all
    /// the others in one table (compare only).
    #[arg(long, default_value = "state")]
    pub target: String,
    /// Reference group [default: all other documents; `all` says so explicitly].
    #[arg(long)]
    pub reference: Option<String>,
}

/// Filters shared by search and the statistics: ANDed with the query, repeated flags ORed.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    // Repeated shape: four label filters, four flags each with its own help; a shared type
    // would not make one line shorter.
    /// Only these outlets (registry keys, display names or aliases; any letter case); repeatable.
    #[arg(long)]
    pub outlet: Vec<String>,
    /// Only these categories (e.g. state, independent); repeatable.
    #[arg(long)]
    pub category: Vec<String>,
    /// Only these detected languages (kk, ru, en, ...); repeatable.
    #[arg(long)]
    pub lang: Vec<String>,
    /// Only these media (article, broadcast, ...); repeatable.
    #[arg(long)]
    pub medium: Vec<String>,
    /// Published on or after this date (YYYY-MM-DD, YYYY-MM, YYYY) or time; excludes undated documents.
    #[arg(long)]
    pub from: Option<String>,
    /// Published on or before this date (inclusive) or time; excludes undated documents.
    #[arg(long)]
    pub to: Option<String>,
    /// Time zone dates are read and shown in, and days are days of: an IANA name (Asia/Almaty)
    /// or a fixed offset (+06:00, UTC) [default: the index's display zone].
    #[arg(long, visible_alias = "utc-offset", allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// Source registry whose names and aliases --outlet accepts [default: corpus/sources.csv
    /// when it exists].
    #[arg(long = "sources", value_name = "FILE")]
    pub outlet_registry: Option<PathBuf>,
}

/// Output format of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultFormat {
    /// Readable table.
    Table,
    /// JSON document.
    Json,
    /// CSV: the table's rows, one value per cell.
    Csv,
}

/// Output format of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Readable listing, fitted to the terminal.
    Table,
    /// One JSON document: total, hits, facets, keyword-in-context lines.
    Json,
    /// One JSON object per line: a hit (or a keyword-in-context line with --kwic); streamed,
    /// so `--limit all` exports any number of hits in constant memory.
    Ndjson,
    /// CSV: one row per hit (plain snippet, match offsets in `highlights`), or per
    /// keyword-in-context line with --kwic; facets go to --facets-out, or after a blank line.
    Csv,
}

/// Flags of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The documents searched.
    #[command(flatten)]
    pub selection: Selection,
    /// Hits to show (0: only the total and facets), or `all`: every hit, streamed (with
    /// --format ndjson or csv, in constant memory).
    #[arg(long, default_value = "20", value_parser = limit)]
    pub limit: Limit,
    /// Hits to skip.
    #[arg(long, default_value_t = 0, value_parser = number::<usize>(0, 1_000_000))]
    pub offset: usize,
    /// Hit order.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Show every occurrence of the query's terms in context.
    #[arg(long)]
    pub kwic: bool,
    /// Words of context on each side of a keyword-in-context match.
    #[arg(long, default_value_t = 8, value_parser = number::<usize>(0, 100))]
    pub window: usize,
    /// Group keyword-in-context lines side by side.
    #[arg(long, value_enum)]
    pub by: Option<KwicByArg>,
    /// Order of keyword-in-context lines (default: document order).
    #[arg(long, value_enum)]
    pub kwic_sort: Option<KwicSortArg>,
    /// Count matches per facet: comma-separated from outlet,category,lang,medium,day.
    #[arg(long, value_delimiter = ',')]
    pub facets: Vec<String>,
    /// With --format csv: write the facet counts to FILE as `facet,value,count` rows (without
    /// it they follow the hits after a blank line).
    #[arg(long, value_name = "FILE")]
    pub facets_out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SearchFormat,
}

/// Flags of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id (as `search` shows it).
    pub id: String,
    /// The document's outlet, when several outlets use the id.
    #[arg(long)]
    pub outlet: Option<String>,
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Time zone dates are shown in [default: the index's display zone].
    #[arg(long, allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

/// Output format of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Metadata, then the text (a broadcast's as `[00:12:31] …` lines).
    Text,
    /// One JSON document.
    Json,
}

/// Output format for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Aligned, readable table.
    Table,
    /// JSON document.
    Json,
}

/// Output format for `detect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetectFormat {
    /// `lang<TAB>confidence<TAB>line`.
    Tsv,
    /// One JSON object per line.
    Json,
}

/// Flags of `analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Language rules: auto (what the index uses), ru, kk or en.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: AnalyzeLang,
    /// Output format: `token<TAB>term<TAB>exact<TAB>rule` lines, or one JSON object per token.
    #[arg(long, value_enum, default_value = "tsv")]
    pub format: DetectFormat,
}

/// Flags of `reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Suppress the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Flags of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Corpus directory: every subdirectory except `bad/` is ingested, with `sources.csv` as registry.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
    /// Directory of the report written at the end (state vs independent, per day).
    #[arg(long, default_value = "report")]
    pub report: PathBuf,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `PartialArgs`
// (cli/args/scale.rs), `Header` (partial/mod.rs): different facts, no shared type.
/// Flags of `ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories (recursed) to ingest.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    // Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
    // `PartialArgs` (cli/args/scale.rs): different facts, no shared type.
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Source registry CSV: outlet,name,category,medium,country,languages,aliases.
    #[arg(long)]
    pub sources: Option<PathBuf>,
    /// Rejects file (JSONL) [default: INDEX/rejects.jsonl].
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Duplicates file (JSONL) [default: INDEX/duplicates.jsonl].
    #[arg(long)]
    pub duplicates: Option<PathBuf>,
    /// Input format; `auto` guesses from extensions.
    #[arg(long, value_enum, default_value = "auto")]
    pub input_format: InputFormatArg,
    /// Extra field-name mapping FIELD=NAME (e.g. text=article_body); repeatable.
    #[arg(long = "map", value_name = "FIELD=NAME")]
    pub field_map: Vec<String>,
    /// Largest record accepted, in bytes (1 KiB to 1 GiB).
    #[arg(long, default_value_t = mediawatch::ingest::DEFAULT_RECORD_CAP,
          value_parser = number::<u64>(MIN_RECORD_CAP, MAX_RECORD_CAP))]
    pub record_cap: u64,
    /// Time zone of times without an offset (an IANA name like Asia/Almaty, whose rules apply
    /// per date, or a fixed offset like +06:00 or UTC); a new index also shows times and
    /// counts days in it [default: the index's zone; for a new index Asia/Almaty].
    #[arg(long, visible_alias = "utc-offset", allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// Give every record that lacks it this field: FIELD=VALUE with FIELD one of outlet,
    /// category, lang, medium, published, timezone (e.g. --set outlet=khabar_24); repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Detect only these languages, comma-separated ISO 639 codes (e.g. kk,ru,en); an
    /// outlet's `languages` in the registry takes precedence for its documents.
    #[arg(long, value_delimiter = ',')]
    pub languages: Vec<String>,
    /// Reject records without a publication date (by default they are indexed undated).
    #[arg(long)]
    pub require_date: bool,
    /// Exit with status 1 when any record is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Treat the same text from another outlet as a duplicate (by default it is indexed as
    /// that outlet's copy of the first).
    #[arg(long)]
    pub drop_cross_outlet_copies: bool,
    /// Commit after every N new documents, so a crash loses at most N (and a re-run of the
    /// same command completes the index).
    #[arg(long, default_value_t = mediawatch::pipeline::DEFAULT_COMMIT_EVERY, value_name = "N",
          value_parser = number::<usize>(1, 100_000_000))]
    pub commit_every: usize,
    /// Also read symbolic links whose target lies outside the named paths (skipped by default).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Leave out paths matching GLOB (gitignore syntax, relative to each named directory;
    /// `.mediawatchignore` files in the input tree work the same way); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Make the index and the rejects and duplicates files readable by you only (0700/0600).
    #[arg(long)]
    pub private: bool,
    /// Rejects written per input file; past it they are counted and summarized in one line.
    #[arg(long, default_value_t = mediawatch::pipeline::DEFAULT_MAX_REJECTS_PER_FILE,
          value_name = "N", value_parser = number::<u64>(0, 1_000_000_000))]
    pub max_rejects_per_file: u64,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
}

/// Flags of `info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
}

/// Flags of `detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "tsv")]
    pub format: DetectFormat,
    /// Longest line held in memory, in bytes (1 KiB to 1 GiB); a longer one is detected from
    /// its first 4 KiB.
    #[arg(long, default_value_t = mediawatch::ingest::DEFAULT_RECORD_CAP,
          value_parser = number::<u64>(MIN_RECORD_CAP, MAX_RECORD_CAP))]
    pub record_cap: u64,
    /// Detect only these languages, comma-separated ISO 639 codes (e.g. kk,ru,en).
    #[arg(long, value_delimiter = ',')]
    pub languages: Vec<String>,
}

/// Flags of `relabel`.
#[derive(Debug, Args)]
pub struct RelabelArgs {
    /// Source registry CSV: outlet,name,category,medium,country,languages,aliases,timezone.
    #[arg(long)]
    pub sources: PathBuf,
    /// The index.
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
}
