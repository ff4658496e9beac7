//! The ingest pipeline, the one place that knows every stage: paths in → read (one thread) →
//! normalize and enrich (rayon) → index (tantivy) → an [`IngestSummary`] out, with rejects
//! and duplicates written as JSONL.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::files::{self, Access};
use crate::index::settings::IndexSettings;
use crate::index::writer::{split_key, AddOutcome, DocumentWriter, Prepared, WriterOptions};
use crate::index::{self, IndexError};
use crate::ingest::fields::FieldMap;
use crate::ingest::normalize::{labels, normalize, NormalizeContext, Normalized};
use crate::ingest::record::{Fields, ReadItem, Reject};
use crate::ingest::source::{discover_with, DiscoverOptions, Discovery, InputFile, Skipped};
use crate::ingest::{read_file, IngestError, DEFAULT_RECORD_CAP};
use crate::lang::LangSet;
use crate::registry::{RegistryError, SourceRegistry};
use crate::side_files::{JsonlOut, OutputError, RejectsOut};
use crate::timezone::Zone;

/// Records handed from the reader thread to normalization at a time.
const BATCH_RECORDS: usize = 256;
/// Batches buffered between the reader and the indexer (bounds memory).
const BATCHES_IN_FLIGHT: usize = 4;

/// Errors that stop an ingest (per-record problems never do: they become rejects).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Bad input paths.
    #[error(transparent)]
    Input(#[from] IngestError),
    /// Unusable source registry.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Index failure (locked, unwritable, ...).
    #[error(transparent)]
    Index(#[from] IndexError),
    /// Rejects or duplicates file cannot be written.
    #[error("cannot write the {what} file {}: {error}", path.display())]
    Output {
        /// Which file: `rejects` or `duplicates`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Underlying error.
        error: std::io::Error,
    },
}

impl From<OutputError> for PipelineError {
    fn from(e: OutputError) -> Self {
        PipelineError::Output {
            what: e.what,
            path: e.path,
            error: e.error,
        }
    }
}

/// Everything an ingest needs to know.
// How inputs are walked is `DiscoverOptions` itself (handed to discovery as it is); the rest
// is a flat list of documented options, each read on its own by one stage. `duplicates` pairs
// runs of it by shape alone with `Document` (model.rs), `CopyDocument` (partial/copy_rows.rs)
// and `TimeChart` (report/svg/time.rs): different facts, no shared type.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files and directories to read.
    pub inputs: Vec<PathBuf>,
    /// How the input files are found among `inputs`: the format to force instead of guessing
    /// from extensions, whether to follow symbolic links out of the named inputs, the paths to
    /// leave out (gitignore syntax, relative to each named directory) and the files never
    /// ingested as documents besides `sources` (entity and frame lists).
    pub discover: DiscoverOptions,
    /// Index directory (created when missing).
    pub index_dir: PathBuf,
    /// Source registry CSV, if any.
    pub sources: Option<PathBuf>,
    /// Where rejected records go (JSONL).
    pub rejects: PathBuf,
    /// Where duplicates under another id are listed (JSONL).
    pub duplicates: PathBuf,
    /// Extra field-name mappings.
    pub field_map: FieldMap,
    /// Largest record accepted, in bytes.
    pub record_cap: u64,
    /// Zone of wall-clock times that name none (unless a record or its outlet's registry
    /// entry gives one); `None`: the index's display zone, or for a new index the default
    /// zone. A new index takes this zone as its display zone.
    pub zone: Option<Zone>,
    /// Fields every record lacking them gets (`--set FIELD=VALUE`).
    pub set: Fields,
    /// Languages detection may answer with (`--languages`).
    pub languages: Option<LangSet>,
    /// Reject undated records instead of indexing them without a date.
    pub require_date: bool,
    /// Treat the same text from another outlet as a duplicate, not as that outlet's copy.
    pub drop_cross_outlet_copies: bool,
    /// Indexing threads.
    pub threads: usize,
    /// Commit after this many new documents (bounds what a crash loses).
    pub commit_every: usize,
    /// Make the index and the rejects and duplicates files readable by the owner only
    /// (0700 / 0600). An index directory that is already private stays private. While such
    /// an ingest runs, the process umask is 077 (so tantivy's own files are private too).
    pub private: bool,
    /// Rejects written per input file; the rest are counted and summarized in one line.
    pub max_rejects_per_file: u64,
    /// Set (e.g. by a Ctrl-C handler) to stop early: the ingest stops reading, commits what
    /// it indexed and returns a summary marked `interrupted`; the same ingest run again
    /// completes it.
    pub stop: Option<&'static AtomicBool>,
}

/// Default of [`IngestOptions::commit_every`]. Each commit flushes a segment per indexing
/// thread; at this interval those segments are large enough never to be merged (see
/// [`crate::index::writer`]), and a crash loses at most this many documents — a re-run
/// indexes them again in seconds.
pub const DEFAULT_COMMIT_EVERY: usize = 100_000;

/// Default of [`IngestOptions::max_rejects_per_file`].
pub const DEFAULT_MAX_REJECTS_PER_FILE: u64 = 10_000;

impl IngestOptions {
    /// Options with defaults: rejects and duplicates files inside the index directory.
    pub fn new(inputs: Vec<PathBuf>, index_dir: PathBuf) -> IngestOptions {
        IngestOptions {
            inputs,
            discover: DiscoverOptions::default(),
            rejects: index_dir.join("rejects.jsonl"),
            duplicates: index_dir.join("duplicates.jsonl"),
            index_dir,
            sources: None,
            field_map: FieldMap::default(),
            record_cap: DEFAULT_RECORD_CAP,
            zone: None,
            set: Fields::default(),
            languages: None,
            require_date: false,
            drop_cross_outlet_copies: false,
            threads: rayon::current_num_threads(),
            commit_every: DEFAULT_COMMIT_EVERY,
            private: false,
            max_rejects_per_file: DEFAULT_MAX_REJECTS_PER_FILE,
            stop: None,
        }
    }
}

/// Receives progress from a running ingest; the CLI draws it, tests ignore it.
pub trait Progress: Sync {
    /// Called once with the total bytes of all input files.
    fn start(&self, total_bytes: u64);
    /// Called as work proceeds with bytes read from disk and records processed so far.
    fn update(&self, bytes_done: u64, records_done: u64);
    /// Called once at the end.
    fn finish(&self);
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn update(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

/// Counts for one input file (or the total).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// Input file path.
    pub path: String,
    /// Records read.
    pub read: u64,
    /// Records indexed (new or replacing an older version with the same id).
    pub indexed: u64,
    /// Records skipped as duplicates (already indexed, or same text under another id).
    pub duplicates: u64,
    /// Records rejected.
    pub rejected: u64,
}

/// What an ingest did. `read = indexed + duplicates + rejected` holds overall and per file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestSummary {
    /// Records read.
    pub read: u64,
    /// Records indexed (including `replaced`, `relabelled` and `copies`).
    pub indexed: u64,
    /// Records skipped as duplicates (including `already_indexed`).
    pub duplicates: u64,
    /// Records rejected.
    pub rejected: u64,
    /// Of `indexed`: records that replaced an older version with the same id.
    pub replaced: u64,
    /// Of `indexed`: documents already indexed whose outlet, category or medium changed
    /// (a changed registry) and were re-labelled.
    pub relabelled: u64,
    /// Of `indexed`: texts another outlet published first, indexed as that outlet's copies.
    pub copies: u64,
    /// Of `indexed`: documents without a publication date.
    pub undated: u64,
    /// Of `indexed`: records whose declared language was kept over a different detection
    /// that was not confident.
    pub declared_lang_kept: u64,
    /// Of `duplicates`: records whose id and text were already in the index (re-runs).
    pub already_indexed: u64,
    /// Per-file counts, in reading order.
    pub files: Vec<FileSummary>,
    /// Outlets not found in the registry, with their record counts.
    pub unknown_outlets: BTreeMap<String, u64>,
    /// Rejects per reason code.
    pub reject_reasons: BTreeMap<String, u64>,
    /// Paths found but not read (outside the input tree, special files, not documents,
    /// excluded, …), with why. Not records: they are not part of `read`.
    pub skipped: Vec<Skipped>,
    /// Documents in the index after the ingest.
    pub documents_in_index: u64,
    /// The rejects file.
    pub rejects_file: String,
    /// The duplicates file.
    pub duplicates_file: String,
    /// The index's display zone (calendar days are days there).
    pub display_zone: String,
    /// Wall-clock seconds the ingest took.
    pub elapsed_seconds: f64,
    /// Records read per second.
    pub records_per_second: f64,
    /// True when [`IngestOptions::stop`] ended the ingest before every input was read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

impl IngestSummary {
    /// True when records were read and every one of them was rejected.
    pub fn nothing_indexed(&self) -> bool {
        self.read > 0 && self.rejected == self.read
    }

    /// The most frequent reject reasons, most frequent first (ties by code).
    pub fn top_reject_reasons(&self, n: usize) -> Vec<(&str, u64)> {
        let mut reasons: Vec<(&str, u64)> = self
            .reject_reasons
            .iter()
            .map(|(code, count)| (code.as_str(), *count))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        reasons.truncate(n);
        reasons
    }
}

#[derive(Serialize)]
struct DuplicateLine<'a> {
    file: &'a str,
    line: u64,
    id: &'a str,
    duplicate_of: &'a str,
}

type Batch = Vec<(usize, ReadItem)>;

/// Runs an ingest. Input paths and the registry are checked before anything is written.
pub fn ingest(
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestSummary, PipelineError> {
    let mut discover = options.discover.clone();
    discover
        .not_documents
        .extend(options.sources.iter().cloned());
    let discovery = discover_with(&options.inputs, &discover)?;
    ingest_discovered(&discovery, options, progress)
}

/// Runs an ingest over files already found by [`discover`] (`options.inputs` and
/// `options.discover` are not looked at). A listed file that can no longer be opened
/// (deleted or replaced since) is a `read_error` reject naming it, not a failure.
pub fn ingest_discovered(
    discovery: &Discovery,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestSummary, PipelineError> {
    let started = std::time::Instant::now();
    let registry = match &options.sources {
        Some(path) => SourceRegistry::load(path)?,
        None => SourceRegistry::default(),
    };
    // An index made private stays private; `private` makes one so.
    let access =
        if options.private || files::Access::of_dir(&options.index_dir) == Some(Access::Private) {
            Access::Private
        } else {
            Access::Shared
        };
    // Files tantivy creates (segments, meta.json) get the index's access through the umask.
    let _umask = files::UmaskGuard::set(access);
    files::create_dir_all(&options.index_dir, access)
        .map_err(|source| IndexError::from_io(&options.index_dir, source))?;
    if access == Access::Private {
        files::make_private(&options.index_dir)
            .map_err(|source| IndexError::from_io(&options.index_dir, source))?;
    }
    let index = index::open_or_create(&options.index_dir)?;
    // Damaged segments are found before anything is merged into them.
    index::verify(&index, &options.index_dir)?;
    // An index keeps the display zone of its first ingest, so that every document's day is
    // a day of one zone.
    let settings = IndexSettings::of(&index)
        .unwrap_or_else(|| IndexSettings::new(options.zone.unwrap_or_default()));
    let writer_options = WriterOptions {
        settings,
        drop_cross_outlet_copies: options.drop_cross_outlet_copies,
    };
    let mut writer =
        DocumentWriter::open(&index, &options.index_dir, options.threads, writer_options)?;
    let rejects = JsonlOut::create("rejects", &options.rejects, access)?;
    let mut rejects = RejectsOut::new(rejects, discovery.files.len(), options.max_rejects_per_file);
    let mut duplicates = JsonlOut::create("duplicates", &options.duplicates, access)?;

    let mut summary = IngestSummary {
        files: discovery
            .files
            .iter()
            .map(|f| FileSummary {
                path: f.display.clone(),
                ..FileSummary::default()
            })
            .collect(),
        skipped: discovery.skipped.clone(),
        rejects_file: options.rejects.display().to_string(),
        duplicates_file: options.duplicates.display().to_string(),
        display_zone: settings.display_zone.name(),
        ..IngestSummary::default()
    };
    progress.start(discovery.files.iter().map(|f| f.size).sum());
    let bytes_read = Arc::new(AtomicU64::new(0));
    let ctx = NormalizeContext {
        registry: &registry,
        zone: options.zone.unwrap_or(settings.display_zone),
        display_zone: settings.display_zone,
        set: &options.set,
        languages: options.languages.as_ref(),
        require_date: options.require_date,
    };
    let (sender, receiver) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    let (normalized_sender, normalized) = sync_channel::<NormalizedBatch>(1);
    let names: Vec<String> = summary.files.iter().map(|f| f.path.clone()).collect();
    let names = &names;
    let reader_counter = Arc::clone(&bytes_read);
    // Three stages overlap: the reader thread parses, a normalizer thread fans each batch
    // out over rayon, and this thread hands documents to tantivy's indexing threads.
    // Leaving early drops a channel, which stops the stages before it.
    let result = std::thread::scope(|scope| -> Result<(), PipelineError> {
        scope.spawn(|| {
            read_all(
                &discovery.files,
                &options.field_map,
                options.record_cap,
                reader_counter,
                sender,
            )
        });
        scope.spawn(move || {
            for batch in receiver {
                let processed = batch
                    .into_par_iter()
                    .map(|(file, item)| (file, normalize_item(item, &names[file], ctx)))
                    .collect();
                if normalized_sender.send(processed).is_err() {
                    break;
                }
            }
        });
        let mut since_commit = 0;
        let mut records_done = 0;
        for processed in normalized {
            records_done += processed.len() as u64;
            for (file, outcome) in processed {
                account(
                    file,
                    outcome,
                    &mut writer,
                    &mut summary,
                    &mut rejects,
                    &mut duplicates,
                    &mut since_commit,
                )?;
                // Checked per document, so a crash loses at most `commit_every` of them.
                if since_commit >= options.commit_every {
                    writer.commit()?;
                    since_commit = 0;
                }
            }
            progress.update(bytes_read.load(Ordering::Relaxed), records_done);
            // Between batches: what was accounted is committed below like a finished run.
            if options
                .stop
                .is_some_and(|stop| stop.load(Ordering::Relaxed))
            {
                summary.interrupted = true;
                break;
            }
        }
        Ok(())
    });
    result?;
    rejects.finish(names)?;
    duplicates.finish()?;
    summary.documents_in_index = writer.documents() as u64;
    writer.finish()?;
    progress.finish();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    summary.records_per_second = summary.read as f64 / summary.elapsed_seconds.max(1e-9);
    Ok(summary)
}

/// A reject and how many records it stands for (more than one only for a whole file
/// rejected at once).
type Rejected = (Reject, u64);

/// A normalized document with what the index holds of it beyond its fields.
type Ready = (Normalized, Prepared);

/// One batch after normalization: each item's file position and document or reject.
type NormalizedBatch = Vec<(usize, Result<Ready, Rejected>)>;

/// Normalizes one read item of the file named `name` and prepares its index document (on
/// the rayon threads, off the writer's), or passes its reject on.
fn normalize_item(
    item: ReadItem,
    name: &str,
    ctx: NormalizeContext<'_>,
) -> Result<Ready, Rejected> {
    match item {
        ReadItem::Record(mut record) => {
            // Taken, not copied: normalization never reads it (only a reject keeps it).
            let (line, raw) = (record.line, std::mem::take(&mut record.raw));
            let normalized = normalize(*record, name, ctx)
                .map_err(|reason| (Reject::new(name, line, reason, &raw), 1))?;
            let prepared = Prepared::of(&normalized.document);
            Ok((normalized, prepared))
        }
        ReadItem::Rejected { line, reason, raw } => Err((Reject::new(name, line, reason, &raw), 1)),
        ReadItem::RejectedMany {
            line,
            reason,
            raw,
            records,
        } => Err((Reject::new(name, line, reason, &raw), records)),
    }
}

/// Reads every file in order, sending batches of items tagged with the file's position.
fn read_all(
    files: &[InputFile],
    map: &FieldMap,
    cap: u64,
    bytes_read: Arc<AtomicU64>,
    sender: std::sync::mpsc::SyncSender<Batch>,
) {
    let mut batch = Vec::with_capacity(BATCH_RECORDS);
    let mut receiver_gone = false;
    for (position, file) in files.iter().enumerate() {
        read_file(
            &file.path,
            file.format,
            map,
            cap,
            Arc::clone(&bytes_read),
            &mut |item| {
                if receiver_gone {
                    return;
                }
                batch.push((position, item));
                if batch.len() >= BATCH_RECORDS {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_RECORDS));
                    receiver_gone = sender.send(full).is_err();
                }
            },
        );
        if receiver_gone {
            return;
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
}

#[allow(clippy::too_many_arguments)]
fn account(
    file: usize,
    outcome: Result<Ready, Rejected>,
    writer: &mut DocumentWriter,
    summary: &mut IngestSummary,
    rejects: &mut RejectsOut,
    duplicates: &mut JsonlOut,
    since_commit: &mut usize,
) -> Result<(), PipelineError> {
    let (normalized, prepared) = match outcome {
        Ok(ready) => ready,
        Err((reject, records)) => {
            summary.read += records;
            summary.files[file].read += records;
            summary.rejected += records;
            summary.files[file].rejected += records;
            *summary
                .reject_reasons
                .entry(reject.code.to_string())
                .or_default() += records;
            return Ok(rejects.write(file, &reject)?);
        }
    };
    summary.read += 1;
    summary.files[file].read += 1;
    let doc = &normalized.document;
    if !normalized.outlet_known {
        *summary
            .unknown_outlets
            .entry(doc.outlet.clone())
            .or_default() += 1;
    }
    let outcome = writer.add_prepared(doc, prepared)?;
    match &outcome {
        AddOutcome::Indexed
        | AddOutcome::Replaced
        | AddOutcome::Relabelled
        | AddOutcome::Copy { .. } => {
            summary.indexed += 1;
            summary.files[file].indexed += 1;
            summary.undated += u64::from(doc.published.is_none());
            summary.declared_lang_kept += u64::from(normalized.declared_lang_kept);
            *since_commit += 1;
        }
        AddOutcome::AlreadyIndexed | AddOutcome::Duplicate { .. } => {
            summary.duplicates += 1;
            summary.files[file].duplicates += 1;
        }
    }
    match outcome {
        AddOutcome::Replaced => summary.replaced += 1,
        AddOutcome::Relabelled => summary.relabelled += 1,
        AddOutcome::Copy { .. } => summary.copies += 1,
        AddOutcome::AlreadyIndexed => summary.already_indexed += 1,
        AddOutcome::Duplicate { of } => duplicates.write(&DuplicateLine {
            file: &doc.source_file,
            line: doc.source_line,
            id: &doc.id,
            duplicate_of: &of,
        })?,
        AddOutcome::Indexed => {}
    }
    Ok(())
}

/// What `relabel` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RelabelSummary {
    /// Documents looked at.
    pub documents: u64,
    /// Documents whose outlet, category or medium changed.
    pub relabelled: u64,
    /// Documents left as they were because their new outlet already has a document with
    /// the same id, as `outlet/id` pairs.
    pub conflicts: Vec<String>,
    /// Outlets (as the records named them) not in the registry, with document counts.
    pub unknown_outlets: BTreeMap<String, u64>,
}

/// Gives every document of the index at `index_dir` the outlet, category and medium the
/// registry now says, from the labels its record gave (kept in the index), without the
/// input files. Documents whose record set its own category or medium keep them.
pub fn relabel(
    index_dir: &Path,
    sources: &Path,
    threads: usize,
) -> Result<RelabelSummary, PipelineError> {
    let registry = SourceRegistry::load(sources)?;
    let index = index::open(index_dir)?;
    let settings = IndexSettings::of(&index).unwrap_or_default();
    let options = WriterOptions {
        settings,
        drop_cross_outlet_copies: false,
    };
    let mut writer = DocumentWriter::open(&index, index_dir, threads, options)?;
    let reader = index
        .reader()
        .map_err(|e| IndexError::from_tantivy(index_dir, e))?;
    let stored = index::stored::all(&reader.searcher())
        .map_err(|e| IndexError::from_tantivy(index_dir, e))?;
    let mut summary = RelabelSummary::default();
    for old in stored {
        summary.documents += 1;
        let mut given = old.given.clone();
        if given.outlet.is_empty() {
            // Indexed before the record's own labels were kept: its outlet is all we know.
            given.outlet = old.outlet.clone();
        }
        let new = labels(&given, &registry);
        if !new.known {
            *summary
                .unknown_outlets
                .entry(given.outlet.clone())
                .or_default() += 1;
        }
        if (
            new.outlet.as_str(),
            new.category.as_str(),
            new.medium.as_str(),
        ) == (
            old.outlet.as_str(),
            old.category.as_str(),
            old.medium.as_str(),
        ) {
            continue;
        }
        let old_key = old.key();
        let mut doc = old;
        doc.given = given;
        doc.outlet = new.outlet;
        doc.category = new.category;
        doc.medium = new.medium;
        if writer.relabel(&old_key, &doc)? {
            summary.relabelled += 1;
        } else {
            let (outlet, id) = split_key(&old_key);
            summary.conflicts.push(format!("{outlet}/{id}"));
        }
    }
    writer.finish()?;
    Ok(summary)
}
