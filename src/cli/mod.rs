//! Validated configuration and one function per command; the only place that knows the terminal.

pub mod args;
mod output;
mod progress;
mod report;
mod search;
mod stats;

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use mediawatch::index::{self, IndexError};
use mediawatch::ingest::fields::{slot, Field, FieldMap};
use mediawatch::ingest::record::Fields;
use mediawatch::ingest::source::InputFormat;
use mediawatch::lang::{self, LangSet};
use mediawatch::pipeline::{self, IngestOptions, IngestSummary, PipelineError};
use mediawatch::timezone::Zone;

use args::{Cli, Command, DetectFormat, InputFormatArg, SummaryFormat};

/// An error and the exit code it maps to (2: the user must fix something; 1: anything else).
pub struct Failure {
    /// What went wrong.
    pub error: anyhow::Error,
    /// Process exit code.
    pub exit_code: u8,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        let exit_code = if is_user_error(&error) { 2 } else { 1 };
        Failure { error, exit_code }
    }
}

impl Failure {
    /// True when the failure is a write to a closed pipe.
    pub fn is_broken_pipe(&self) -> bool {
        self.error
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    }
}

fn is_user_error(error: &anyhow::Error) -> bool {
    if let Some(e) = error.downcast_ref::<PipelineError>() {
        return match e {
            PipelineError::Input(_) | PipelineError::Registry(_) => true,
            PipelineError::Index(e) => is_user_index_error(e),
            PipelineError::Output { .. } => true,
        };
    }
    if let Some(e) = error.downcast_ref::<IndexError>() {
        return is_user_index_error(e);
    }
    error.downcast_ref::<UsageError>().is_some()
}

fn is_user_index_error(error: &IndexError) -> bool {
    matches!(
        error,
        IndexError::NotFound { .. }
            | IndexError::Empty { .. }
            | IndexError::Locked { .. }
            | IndexError::SchemaMismatch { .. }
            | IndexError::AnalysisOutdated { .. }
            | IndexError::NotWritable { .. }
            | IndexError::NotReadable { .. }
            | IndexError::Damaged { .. }
            | IndexError::NoSpace { .. }
    )
}

/// Prints how a query's words were read (lowercase operators) to standard error.
pub(crate) fn warn_about_query(query: &str) {
    for warning in mediawatch::search::query::warnings(query) {
        eprintln!("warning: {warning}");
    }
}

/// A flag value that does not make sense.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run_main_job(args),
        Command::Ingest(args) => ingest(args),
        Command::Info(args) => info(&args.index, args.format),
        Command::Relabel(args) => relabel(args),
        Command::Detect(args) => detect(args.format, args.record_cap, &args.languages),
        Command::Analyze(args) => analyze(args),
        Command::Reindex(args) => reindex(args),
        Command::Search(args) => search::run(args),
        Command::Compare(args) => stats::compare(args),
        Command::Stats(args) => stats::run(args),
        Command::Report(args) => report::run(args),
        Command::Generate(args) => generate(args),
    }
}

fn run_main_job(args: args::RunArgs) -> Result<(), Failure> {
    let corpus = &args.corpus;
    let entries = std::fs::read_dir(corpus).map_err(|e| {
        UsageError(format!(
            "cannot read corpus directory {}: {e} (run from the repository root, or pass --corpus)",
            corpus.display()
        ))
    })?;
    let mut inputs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "bad"))
        .collect();
    inputs.sort();
    let mut options = IngestOptions::new(inputs, args.index.clone());
    let sources = corpus.join("sources.csv");
    options.sources = sources.is_file().then_some(sources);
    options.not_documents = vec![corpus.join("entities.csv"), corpus.join("frames.csv")];
    let summary = run_ingest(&options, args.quiet)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let index = index::open(&args.index)?;
    match args.format {
        SummaryFormat::Json => output::json(&mut out, &summary)?,
        SummaryFormat::Table => {
            output::ingest_table(&mut out, &summary)?;
            writeln!(out)?;
            let info = index::info::collect(&index, &args.index)?;
            output::info_table(&mut out, &info)?;
        }
    }
    out.flush()?;
    // The main job ends with the report of the bundled corpus: state vs independent, per day.
    let mut request = mediawatch::report::ReportRequest {
        command_line: std::env::args().collect(),
        entity_list: Some(corpus.join("entities.csv")),
        frame_list: Some(corpus.join("frames.csv")),
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
    let bar = progress::Bar::new(quiet);
    Ok(pipeline::ingest(options, &bar)?)
}

fn ingest(args: args::IngestArgs) -> Result<(), Failure> {
    let mut options = IngestOptions::new(args.paths, args.index.clone());
    options.sources = args.sources;
    if let Some(rejects) = args.rejects {
        options.rejects = rejects;
    }
    if let Some(duplicates) = args.duplicates {
        options.duplicates = duplicates;
    }
    options.input_format = match args.input_format {
        InputFormatArg::Auto => None,
        InputFormatArg::Jsonl => Some(InputFormat::Jsonl),
        InputFormatArg::Csv => Some(InputFormat::Csv),
        InputFormatArg::Txt => Some(InputFormat::Txt),
        InputFormatArg::Srt => Some(InputFormat::Srt),
        InputFormatArg::Vtt => Some(InputFormat::Vtt),
    };
    let mut map = FieldMap::default();
    for spec in &args.field_map {
        map.add_mapping(spec).map_err(UsageError)?;
    }
    options.field_map = map;
    options.record_cap = args.record_cap;
    options.commit_every = args.commit_every.max(1);
    options.follow_symlinks = args.follow_symlinks;
    options.exclude = args.exclude;
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
        SummaryFormat::Table => output::ingest_table(&mut out, &summary)?,
    }
    out.flush()?;
    exit_status(&summary, args.strict)
}

/// Exit 1 when nothing of what was read could be indexed, or with `--strict` when anything
/// was rejected; the summary has been printed either way.
fn exit_status(summary: &IngestSummary, strict: bool) -> Result<(), Failure> {
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
fn languages(codes: &[String]) -> Result<Option<LangSet>, Failure> {
    if codes.is_empty() {
        return Ok(None);
    }
    LangSet::parse(codes)
        .map(Some)
        .map_err(|e| UsageError(format!("--languages: {e}")).into())
}

fn relabel(args: args::RelabelArgs) -> Result<(), Failure> {
    let summary = pipeline::relabel(&args.index, &args.sources, rayon::current_num_threads())?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        SummaryFormat::Json => output::json(&mut out, &summary)?,
        SummaryFormat::Table => {
            writeln!(
                out,
                "{} documents; {} relabelled from {}.",
                summary.documents,
                summary.relabelled,
                args.sources.display()
            )?;
            if !summary.conflicts.is_empty() {
                writeln!(
                    out,
                    "Left as they were (their new outlet already has a document with the same id): {}",
                    output::plain(&summary.conflicts.join(", "))
                )?;
            }
            if !summary.unknown_outlets.is_empty() {
                let outlets: Vec<String> = summary
                    .unknown_outlets
                    .iter()
                    .map(|(name, n)| format!("{} ({n})", output::plain(name)))
                    .collect();
                writeln!(
                    out,
                    "Outlets not in the registry (category `unknown`): {}",
                    outlets.join(", ")
                )?;
            }
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
        SummaryFormat::Table => output::info_table(&mut out, &info)?,
    }
    Ok(())
}

fn detect(format: DetectFormat, cap: u64, codes: &[String]) -> Result<(), Failure> {
    use mediawatch::ingest::lines::{Line, LineReader};
    let allowed = languages(codes)?;
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Lines over the cap are never held whole: they are detected from their head.
    let mut lines = LineReader::new(stdin.lock(), usize::try_from(cap).unwrap_or(usize::MAX));
    while let Some(line) = lines.next_line().context("reading standard input")? {
        let (number, bytes, cut) = match line {
            Line::Complete { number, bytes } => (number, bytes, false),
            Line::TooLong { number, len, head } => {
                eprintln!(
                    "mediawatch: line {number} is {len} bytes, over --record-cap {cap}: detected from its first {} bytes",
                    head.len()
                );
                (number, head, true)
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let detection = lang::detect_in(&text, allowed.as_ref());
        let (code, confidence) = detection.map_or(("und", 0.0), |d| (d.lang, d.confidence));
        let written = match format {
            DetectFormat::Tsv => {
                let ellipsis = if cut { "…" } else { "" };
                writeln!(
                    out,
                    "{code}\t{confidence:.3}\t{}{ellipsis}",
                    output::plain(&text)
                )
            }
            DetectFormat::Json => {
                let value = serde_json::json!({
                    "line": number,
                    "lang": code,
                    "confidence": (confidence * 1000.0).round() / 1000.0,
                });
                writeln!(out, "{value}")
            }
        };
        written?;
    }
    out.flush()?;
    Ok(())
}

fn analyze(args: args::AnalyzeArgs) -> Result<(), Failure> {
    use mediawatch::analysis::{Analyzer, Language, Rule};
    let language = match args.lang {
        args::AnalyzeLang::Auto => Language::Auto,
        args::AnalyzeLang::Ru => Language::Russian,
        args::AnalyzeLang::Kk => Language::Kazakh,
        args::AnalyzeLang::En => Language::English,
    };
    let analyzer = Analyzer::for_language(language);
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut write_word = |line: usize, start: usize, word: &str| -> io::Result<()> {
        let analysis = analyzer.analyze_word(word);
        match args.format {
            DetectFormat::Tsv => writeln!(
                out,
                "{}\t{}\t{}\t{}",
                output::plain(word),
                output::plain(&analysis.term),
                output::plain(&analysis.exact),
                analysis.rule.name()
            ),
            DetectFormat::Json => {
                let mut value = serde_json::json!({
                    "token": word,
                    "term": analysis.term,
                    "exact": analysis.exact,
                    "rule": analysis.rule.name(),
                    "line": line,
                    "start": start,
                    "end": start + word.len(),
                });
                if analysis.rule == Rule::RussianDictionary {
                    value["lemma"] = serde_json::Value::from(analysis.term.clone());
                }
                writeln!(out, "{value}")
            }
        }
    };
    // A line of any length streams through in pieces cut at white space, so memory stays
    // bounded by the piece size however long the input's lines are.
    text_pieces(stdin.lock(), ANALYZE_PIECE, &mut |line, base, text| {
        for (start, word) in mediawatch::analysis::words(text) {
            write_word(line, base + start, word)?;
        }
        Ok(())
    })
    .context("reading standard input")?;
    out.flush()?;
    Ok(())
}

/// Largest piece of a line `analyze` holds at once.
const ANALYZE_PIECE: usize = 64 * 1024;

/// Calls `each(line_number, byte_offset_in_line, text)` for every line of `input`, a long
/// line in pieces of at most about `piece` bytes cut after white space (or, in a run of
/// `piece` bytes without any, at a character boundary). Invalid UTF-8 is replaced.
fn text_pieces(
    mut input: impl BufRead,
    piece: usize,
    each: &mut dyn FnMut(usize, usize, &str) -> io::Result<()>,
) -> io::Result<()> {
    let (mut line, mut base) = (1usize, 0usize);
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            if !pending.is_empty() {
                each(line, base, &String::from_utf8_lossy(&pending))?;
            }
            return Ok(());
        }
        let (take, newline) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let take = take.min(piece.saturating_sub(pending.len()).max(1));
        let newline = newline && buf[take - 1] == b'\n';
        pending.extend_from_slice(&buf[..take]);
        input.consume(take);
        if newline {
            pending.pop();
            each(line, base, &String::from_utf8_lossy(&pending))?;
            pending.clear();
            (line, base) = (line + 1, 0);
        } else if pending.len() >= piece {
            let cut = pending
                .iter()
                .rposition(|b| b.is_ascii_whitespace())
                .map(|i| i + 1)
                .unwrap_or_else(|| complete_chars(&pending));
            each(line, base, &String::from_utf8_lossy(&pending[..cut]))?;
            pending.drain(..cut);
            base += cut;
        }
    }
}

/// How many leading bytes of `bytes` hold whole characters: all of them, but for a
/// character cut at the end (at least one byte, so a caller always makes progress).
fn complete_chars(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => e.valid_up_to().max(1),
        _ => bytes.len(),
    }
}

fn reindex(args: args::ReindexArgs) -> Result<(), Failure> {
    let quiet = args.quiet || !std::io::IsTerminal::is_terminal(&io::stderr());
    let mut last_shown = 0u64;
    let summary = index::reindex::reindex(&args.index, &mut |done, total| {
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
        args.index.display(),
        summary.to_version
    );
    Ok(())
}

fn generate(args: args::GenerateArgs) -> Result<(), Failure> {
    use mediawatch::generate::{self, GenerateConfig, OutputFormat};
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let (format, name) = match args.format {
        args::GeneratedFormat::Jsonl => (OutputFormat::Jsonl, "docs.jsonl"),
        args::GeneratedFormat::Csv => (OutputFormat::Csv, "docs.csv"),
    };
    let config = GenerateConfig {
        docs: args.docs,
        seed: args.seed,
        format,
        mean_bytes: args.mean_bytes,
    };
    use mediawatch::files::{self, Access};
    let path = args.out.join(name);
    let cannot = |p: &Path| format!("cannot write {}", p.display());
    // Every file goes to a fresh temporary name renamed into place: a link planted at the
    // name is replaced, never followed, and an existing file is never truncated.
    let temp = files::temp_sibling(&path, "tmp");
    let file = files::new_file(&temp, Access::Shared).with_context(|| cannot(&path))?;
    let mut out = io::BufWriter::with_capacity(1 << 20, file);
    let written = generate::generate(&config, &mut out)
        .map_err(|e| Failure::from(UsageError(format!("generate: {e}"))))
        .and_then(|manifest| {
            out.flush()?;
            drop(out);
            std::fs::rename(&temp, &path).with_context(|| cannot(&path))?;
            Ok(manifest)
        });
    let manifest = written.inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    let sources = args.out.join("sources.csv");
    files::write_replacing(
        &sources,
        generate::sources_csv(&manifest).as_bytes(),
        Access::Shared,
    )
    .with_context(|| cannot(&sources))?;
    let manifest_path = args.out.join("manifest.json");
    let manifest_json = serde_json::to_string_pretty(&manifest)? + "\n";
    files::write_replacing(&manifest_path, manifest_json.as_bytes(), Access::Shared)
        .with_context(|| cannot(&manifest_path))?;
    eprintln!(
        "wrote {} documents ({:.1} MB) to {}, with sources.csv and manifest.json",
        manifest.docs,
        manifest.bytes as f64 / 1e6,
        path.display()
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

    /// Words and their (line, offset) as `text_pieces` hands them out with pieces of `piece`.
    fn words(input: &str, piece: usize) -> Vec<(usize, usize, String)> {
        let mut found = Vec::new();
        text_pieces(input.as_bytes(), piece, &mut |line, base, text| {
            for (start, word) in mediawatch::analysis::words(text) {
                found.push((line, base + start, word.to_string()));
            }
            Ok(())
        })
        .unwrap();
        found
    }

    #[test]
    fn long_lines_stream_in_pieces_with_the_words_and_offsets_of_whole_lines() {
        let input = "Тоқаев сөйледі, протестующие вышли.\nsecond line here\n\nлишь один";
        let whole = words(input, usize::MAX);
        assert_eq!(whole[0], (1, 0, "Тоқаев".to_string()));
        assert_eq!(whole.last().unwrap(), &(4, 9, "один".to_string()));
        // Pieces longer than any word (24 bytes), cut after spaces: the same words at the
        // same places.
        assert_eq!(words(input, 26), whole);
        // A word longer than a piece is cut on a character boundary, never mid-letter.
        let long = "ж".repeat(10);
        let cut = words(&long, 7);
        assert!(cut.iter().all(|(_, _, w)| w.chars().all(|c| c == 'ж')));
        assert_eq!(
            cut.iter().map(|(_, _, w)| w.len()).sum::<usize>(),
            long.len()
        );
    }
}
