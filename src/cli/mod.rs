//! Validated configuration and one function per command; the only place that knows the terminal.

pub mod args;
mod generate;
mod interrupt;
mod memory;
mod output;
mod periods;
mod progress;
mod report;
mod scale;
mod search;
mod select;
mod show;
mod stats;
mod text;

use std::io::{self, Write};
use std::path::Path;

use mediawatch::corpus::Layout;
use mediawatch::error::{diagnose, Remedy};
use mediawatch::index;
use mediawatch::ingest::fields::{slot, Field, FieldMap};
use mediawatch::ingest::record::Fields;
use mediawatch::lang::LangSet;
use mediawatch::pipeline::{self, IngestOptions, IngestSummary};
use mediawatch::report::{terminal, views};
use mediawatch::timezone::Zone;

use args::{Cli, Command, SummaryFormat};

/// An error, the exit code it maps to and the advice printed after it.
///
/// The exit-code rule, in one place: 2 when the user must fix something (a library error
/// that says so through [`Diagnosis`], or a flag value the command line rejects), 1 for
/// anything else.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: anyhow::Error,
    /// Process exit code.
    pub exit_code: u8,
    /// What to do about it, worded for the command line.
    pub advice: String,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        let (user, remedy) = match diagnose(&*error) {
            Some(diagnosis) => diagnosis,
            None => (error.downcast_ref::<UsageError>().is_some(), None),
        };
        Failure {
            advice: remedy.map(|r| advice(&r)).unwrap_or_default(),
            exit_code: if user { 2 } else { 1 },
            error,
        }
    }
}

/// A library remedy in the words of the command line.
fn advice(remedy: &Remedy) -> String {
    match remedy {
        Remedy::CreateIndex(path) => format!(
            ": create one with `mediawatch ingest PATH... --index {}` (or `mediawatch run`)",
            path.display()
        ),
        Remedy::FillIndex(path) => format!(
            ": ingest documents first with `mediawatch ingest PATH... --index {}`",
            path.display()
        ),
        Remedy::NewIndex => "; ingest into a new --index directory or delete this one".into(),
        Remedy::Reindex(path) => format!(
            ": rebuild its terms with `mediawatch reindex --index {}` (it needs no input files)",
            path.display()
        ),
        Remedy::WritableIndex => "; fix the directory's permissions or choose another --index (the index keeps its last commit)".into(),
        Remedy::FreeSpace => "; free some space or ingest into another --index; the index keeps its last commit, and re-running the same ingest completes it".into(),
        Remedy::RestoreIndex => " — restore the directory from a backup or ingest into a new --index".into(),
        Remedy::OtherOutput(what) => format!("; the index keeps its last commit: fix this (or choose another --{what}) and re-run the same ingest to complete it"),
    }
}

impl Failure {
    /// True when the failure is a write to a closed pipe, however it was wrapped (a CSV or
    /// JSON writer's error, an error with context).
    pub fn is_broken_pipe(&self) -> bool {
        self.error.chain().any(broken_pipe)
    }
}

/// True for a closed pipe: an I/O error of that kind, or a CSV error or I/O error wrapping one.
fn broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(e) = error.downcast_ref::<csv::Error>() {
        return matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
    }
    let Some(e) = error.downcast_ref::<io::Error>() else {
        return false;
    };
    e.kind() == io::ErrorKind::BrokenPipe
        || e.raw_os_error() == Some(libc::EPIPE)
        || e.get_ref().is_some_and(|inner| broken_pipe(inner))
}

/// A flag value that does not make sense.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    output::set_width(cli.wide);
    if !matches!(
        cli.command,
        Command::Run(_) | Command::Ingest(_) | Command::Reindex(_) | Command::Relabel(_)
    ) {
        memory::without_huge_pages();
    }
    match cli.command {
        Command::Run(args) => run_main_job(args),
        Command::Ingest(args) => ingest(args),
        Command::Info(args) => info(&args.index.dir, args.format),
        Command::Relabel(args) => relabel(args),
        Command::Detect(args) => text::detect(args.format, args.record_cap, &args.languages),
        Command::Analyze(args) => text::analyze(args),
        Command::Reindex(args) => reindex(args),
        Command::Search(args) => search::run(args),
        Command::Show(args) => show::run(args),
        Command::Compare(args) => stats::compare(args),
        Command::Stats(args) => stats::run(args),
        Command::Partial(args) => scale::run(args),
        Command::Passages(args) => scale::passages(args),
        Command::Export(args) => scale::export(args),
        Command::Report(args) => report::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Serve(args) => serve(args),
    }
}

/// `path` when a file is there.
fn existing(path: &str) -> Option<std::path::PathBuf> {
    let path = std::path::PathBuf::from(path);
    path.is_file().then_some(path)
}

fn serve(args: args::ServeArgs) -> Result<(), Failure> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: --bind {} makes the UI reachable from other machines; it has no login",
            args.bind
        );
    }
    let config = mediawatch::web::ServeConfig {
        indexes: args.indexes,
        bind: args.bind,
        port: args.port,
        // An explicit list must load; the bundled corpus's lists are used when present.
        lists: mediawatch::registry::ListFiles {
            entity_list: args.entity_list.or_else(|| existing("corpus/entities.csv")),
            frame_list: args.frame_list.or_else(|| existing("corpus/frames.csv")),
        },
    };
    mediawatch::web::serve(&config, |address| {
        // The first line on stdout, flushed at once: scripts wait for it to learn the port.
        let host = match address.ip() {
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        println!("listening on http://{host}:{}/", address.port());
        let _ = io::stdout().flush();
    })?;
    Ok(())
}

fn run_main_job(args: args::RunArgs) -> Result<(), Failure> {
    let corpus = Layout::new(&args.corpus);
    let inputs = corpus.inputs().map_err(|e| {
        UsageError(format!(
            "cannot read corpus directory {}: {e} (run from the repository root, or pass --corpus)",
            corpus.root().display()
        ))
    })?;
    let mut options = IngestOptions::new(inputs, args.index.dir.clone());
    options.sources = corpus.sources();
    options.discover.not_documents = corpus.not_documents();
    let summary = run_ingest(&options, args.quiet)?;
    if summary.interrupted {
        return Err(interrupted(&summary));
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let index = index::open(&args.index.dir)?;
    match args.format {
        SummaryFormat::Json => output::json(&mut out, &summary)?,
        SummaryFormat::Table => {
            terminal::render_within(&mut out, &views::ingest(&summary), output::width())?;
            writeln!(out)?;
            let info = index::info::collect(&index, &args.index.dir)?;
            terminal::render_within(&mut out, &views::info(&info), output::width())?;
        }
    }
    out.flush()?;
    // The main job ends with the report of the bundled corpus: state vs independent, per day.
    let mut request = mediawatch::report::ReportRequest {
        reference: Some("independent".to_string()),
        invocation: mediawatch::report::Invocation {
            command_line: std::env::args().collect(),
            generated_at: None,
        },
        lists: mediawatch::registry::ListFiles {
            entity_list: Some(corpus.entities()),
            frame_list: Some(corpus.frames()),
        },
        ..mediawatch::report::ReportRequest::default()
    };
    // Days and times in the index's own zone, as every other output shows them.
    request.subset.filters.zone = mediawatch::index::settings::IndexSettings::of(&index)
        .unwrap_or_default()
        .display_zone;
    let files = report::build(&index, &request, &args.report, args.quiet)?;
    match args.format {
        // Standard output stays one JSON document.
        SummaryFormat::Json => eprintln!("report: {}", files.html.display()),
        SummaryFormat::Table => writeln!(out, "\nreport: {}", files.html.display())?,
    }
    Ok(())
}

fn run_ingest(options: &IngestOptions, quiet: bool) -> Result<pipeline::IngestSummary, Failure> {
    memory::keep_freed_memory();
    let bar = progress::Bar::new(quiet);
    let mut options = options.clone();
    options.stop = Some(interrupt::catch());
    Ok(pipeline::ingest(&options, &bar)?)
}

/// After a Ctrl-C: what was kept and how to finish (exit 130, as for an interrupt).
fn interrupted(summary: &IngestSummary) -> Failure {
    Failure {
        error: anyhow::anyhow!(
            "interrupted: the {} records read so far are committed ({} documents in the index); run the same command again to complete the ingest (documents already indexed are recognized and skipped)",
            summary.read,
            summary.documents_in_index
        ),
        exit_code: 130,
        advice: String::new(),
    }
}

fn ingest(args: args::IngestArgs) -> Result<(), Failure> {
    let mut options = IngestOptions::new(args.paths, args.index.dir.clone());
    options.sources = args.sources;
    if let Some(rejects) = args.rejects {
        options.rejects = rejects;
    }
    if let Some(duplicates) = args.duplicates {
        options.duplicates = duplicates;
    }
    options.discover.forced = args.input_format.into();
    let mut map = FieldMap::default();
    for spec in &args.field_map {
        map.add_mapping(spec).map_err(UsageError)?;
    }
    options.field_map = map;
    options.record_cap = args.record_cap;
    options.commit_every = args.commit_every.max(1);
    options.discover.follow_symlinks = args.follow_symlinks;
    options.discover.exclude = args.exclude;
    options.private = args.private;
    options.max_rejects_per_file = args.max_rejects_per_file;
    options.zone = match &args.timezone {
        Some(name) => Some(Zone::parse(name).map_err(|e| UsageError(format!("--timezone: {e}")))?),
        None => None,
    };
    options.set = set_fields(&args.set).map_err(UsageError)?;
    options.languages = languages(&args.languages)?;
    options.require_date = args.require_date;
    options.drop_cross_outlet_copies = args.drop_cross_outlet_copies;
    let summary = run_ingest(&options, args.quiet)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        SummaryFormat::Json => output::json(&mut out, &summary)?,
        SummaryFormat::Table => {
            terminal::render_within(&mut out, &views::ingest(&summary), output::width())?
        }
    }
    out.flush()?;
    exit_status(&summary, args.strict)
}

/// Exit 1 when nothing of what was read could be indexed, or with `--strict` when anything
/// was rejected; the summary has been printed either way.
fn exit_status(summary: &IngestSummary, strict: bool) -> Result<(), Failure> {
    if summary.interrupted {
        return Err(interrupted(summary));
    }
    let reasons = || {
        summary
            .top_reject_reasons(3)
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let failure = |message: String| Failure {
        error: anyhow::anyhow!(message),
        exit_code: 1,
        advice: String::new(),
    };
    if summary.nothing_indexed() {
        return Err(failure(format!(
            "nothing was indexed: {} records rejected (top reasons: {}); details in {}",
            summary.rejected,
            reasons(),
            summary.rejects_file
        )));
    }
    if strict && summary.rejected > 0 {
        return Err(failure(format!(
            "--strict: {} of {} records rejected ({}); details in {}",
            summary.rejected,
            summary.read,
            reasons(),
            summary.rejects_file
        )));
    }
    Ok(())
}

/// Fields a `--set FIELD=VALUE` may give every record of an ingest.
const SETTABLE: [Field; 6] = [
    Field::Outlet,
    Field::Category,
    Field::Lang,
    Field::Medium,
    Field::Published,
    Field::Timezone,
];

/// Parses `--set FIELD=VALUE` flags; the values are checked where they are used (a bad
/// date or zone is a reject naming the record, as for a value in the file).
fn set_fields(specs: &[String]) -> Result<Fields, String> {
    let mut fields = Fields::default();
    for spec in specs {
        let (name, value) = spec.split_once('=').ok_or_else(|| {
            format!("--set `{spec}`: expected FIELD=VALUE, e.g. outlet=khabar_24")
        })?;
        let field = Field::parse(name.trim())
            .filter(|f| SETTABLE.contains(f))
            .ok_or_else(|| {
                format!(
                    "--set `{spec}`: `{}` cannot be set; expected one of outlet, category, lang, medium, published, timezone",
                    name.trim()
                )
            })?;
        if field == Field::Timezone {
            Zone::parse(value).map_err(|e| format!("--set `{spec}`: {e}"))?;
        }
        *slot(&mut fields, field) = Some(value.trim().to_string());
    }
    Ok(fields)
}

/// `--languages` as a set (`None` when not given).
pub(crate) fn languages(codes: &[String]) -> Result<Option<LangSet>, Failure> {
    if codes.is_empty() {
        return Ok(None);
    }
    LangSet::parse(codes)
        .map(Some)
        .map_err(|e| UsageError(format!("--languages: {e}")).into())
}

fn relabel(args: args::RelabelArgs) -> Result<(), Failure> {
    let summary = pipeline::relabel(&args.index.dir, &args.sources, rayon::current_num_threads())?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        SummaryFormat::Json => output::json(&mut out, &summary)?,
        SummaryFormat::Table => {
            terminal::render_within(
                &mut out,
                &views::relabel(&summary, &args.sources),
                output::width(),
            )?;
        }
    }
    Ok(())
}

fn info(dir: &Path, format: SummaryFormat) -> Result<(), Failure> {
    let index = index::open(dir)?;
    index::verify(&index, dir)?;
    let info = index::info::collect(&index, dir)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match format {
        SummaryFormat::Json => output::json(&mut out, &info)?,
        SummaryFormat::Table => {
            terminal::render_within(&mut out, &views::info(&info), output::width())?
        }
    }
    Ok(())
}

fn reindex(args: args::ReindexArgs) -> Result<(), Failure> {
    let quiet = args.quiet || !std::io::IsTerminal::is_terminal(&io::stderr());
    let mut last_shown = 0u64;
    let summary = index::reindex::reindex(&args.index.dir, &mut |done, total| {
        if !quiet && (done == total || done >= last_shown + 10_000) {
            last_shown = done;
            eprint!("\rre-indexing: {done}/{total} documents");
            if done == total {
                eprintln!();
            }
        }
    })?;
    let from = summary
        .from_version
        .map_or("an unversioned analysis".to_string(), |v| {
            format!("analysis version {v}")
        });
    println!(
        "re-indexed {} documents in {} from {from} to analysis version {}",
        summary.documents,
        args.index.dir.display(),
        summary.to_version
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_flags_fill_only_the_settable_fields() {
        let fields = set_fields(&[
            "outlet=khabar_24".to_string(),
            "timezone=Asia/Almaty".to_string(),
        ])
        .unwrap();
        assert_eq!(fields.outlet.as_deref(), Some("khabar_24"));
        assert_eq!(fields.timezone.as_deref(), Some("Asia/Almaty"));
        assert!(set_fields(&["text=x".to_string()])
            .unwrap_err()
            .contains("cannot be set"));
        assert!(set_fields(&["outlet".to_string()])
            .unwrap_err()
            .contains("FIELD=VALUE"));
        assert!(set_fields(&["timezone=Mars/Base".to_string()])
            .unwrap_err()
            .contains("unknown time zone"));
    }
}
