//! The `report` command: flags → [`ReportRequest`], a progress bar while the library collects
//! the data, the files written, the path of `report.html` printed.

use std::path::Path;

use mediawatch::index::{self, Reads};
use mediawatch::partial::passages::{self, Examples};
use mediawatch::partial::Shards;
use mediawatch::registry::ListFiles;
use mediawatch::report::{
    self, Invocation, Merged, ReportError, ReportFiles, ReportRequest, Source,
};

use super::args::ReportArgs;
use super::progress::scanned;
use super::scale::{partial_failure, shards, subset_of};
use super::select::sides;
use super::stats::stats_failure;
use super::{Failure, UsageError};

/// Maps the flags to a library request.
fn request(args: &ReportArgs) -> Result<ReportRequest, Failure> {
    let subset = subset_of(&args.selection, &args.partials)?;
    let (by, target, reference) = sides(&args.comparison)?;
    Ok(ReportRequest {
        subset,
        by,
        target,
        reference,
        interval: args.interval.into(),
        top: args.top,
        min_freq: args.min_freq,
        min_gap_days: args.min_gap,
        invocation: Invocation {
            command_line: std::env::args().collect(),
            generated_at: args.timestamp.then(report::now),
        },
        lists: ListFiles {
            entity_list: Some(args.lists.entity_list.clone()),
            frame_list: Some(args.lists.frame_list.clone()),
        },
        copies: args.copies.copies.into(),
        periods: args.periods.periods.clone(),
        ..ReportRequest::default()
    })
}

/// A report error; list files are named with their flags.
fn report_failure(error: ReportError) -> Failure {
    match error {
        ReportError::Stats(e) => stats_failure(e),
        ReportError::Partial(e) => partial_failure(e),
        ReportError::Unsupported(e) => UsageError(e).into(),
        ReportError::Registry(e) => UsageError(format!(
            "{e} (pass --entity-list FILE or --frame-list FILE)"
        ))
        .into(),
        // Where the report goes is the user's to fix (exit 2).
        ReportError::Io { path, source } => UsageError(format!(
            "cannot write {}: {source} (choose another --out)",
            path.display()
        ))
        .into(),
        other => other.into(),
    }
}

/// Collects and writes a report into `out`, drawing the steps on stderr.
pub fn build(
    source: &dyn Source,
    request: &ReportRequest,
    out: &Path,
    quiet: bool,
) -> Result<ReportFiles, Failure> {
    let started = std::time::Instant::now();
    let (data, files) = scanned(quiet, |bar| {
        let data =
            report::collect_with_progress(source, request, &|step| bar.step(step.message()))?;
        bar.step("writing files");
        let files = report::render(&data).and_then(|rendered| report::write(&rendered, out))?;
        Ok::<_, ReportError>((data, files))
    })
    .map_err(report_failure)?;
    if !quiet {
        // On stderr: stdout stays the report's path, for scripts.
        eprintln!("{}", took(data.overview.documents, started.elapsed()));
    }
    Ok(files)
}

/// Writes the periods whose term counts the shards must make (`partial --periods-from`),
/// one line, or nothing when none are missing.
fn write_periods_ask(merged: &Merged, path: &Path) -> Result<(), Failure> {
    let text = merged
        .periods_ask()
        .map(|p| format!("{p}\n"))
        .unwrap_or_default();
    std::fs::write(path, text).map_err(|e| {
        UsageError(format!(
            "cannot write --periods-ask {}: {e}",
            path.display()
        ))
        .into()
    })
}

/// The line a report ends with: how many documents it covers, how long it took, how fast.
fn took(documents: u64, elapsed: std::time::Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    format!(
        "Report of {documents} documents written. Took {seconds:.1} s, {:.0} documents/s.",
        documents as f64 / seconds.max(1e-3)
    )
}

/// Runs `report`.
pub fn run(args: ReportArgs) -> Result<(), Failure> {
    let request = request(&args)?;
    let files = if args.partials.is_empty() && args.selection.index.dirs.len() <= 1 {
        let dir = args.selection.index.single("report").map_err(UsageError)?;
        // The report shows the text of a few documents (passages, talking points' titles):
        // a segment's document store is checked when one of its documents is first read.
        let (index, stores) = index::open_checking_stores(dir)?;
        index::verify_for(&index, dir, Reads::Index)?;
        let files = build(&index, &request, &args.out, args.quiet)?;
        if std::env::var_os("MEDIAWATCH_PROFILE").is_some() {
            eprintln!(
                "profile: document stores checked: {} of {}",
                stores.checked().len(),
                index.searchable_segment_metas().map_or(0, |m| m.len())
            );
        }
        files
    } else {
        // Partials, or several indexes read as one corpus: one merged source.
        let shards = shards((&args.selection, &request.subset), &args.partials)?;
        let mut merged = Merged::new(shards, &request);
        if !args.passages.is_empty() {
            let examples = Examples::read(&args.passages).map_err(partial_failure)?;
            examples
                .check(&request.subset, request.by)
                .map_err(partial_failure)?;
            merged = merged.with_examples(examples);
        }
        if !args.period_partials.is_empty() {
            let files = Shards::read(&args.period_partials).map_err(partial_failure)?;
            let files = files.files().unwrap_or_default().to_vec();
            merged = merged.with_period_partials(files).map_err(report_failure)?;
        }
        let files = build(&merged, &request, &args.out, args.quiet)?;
        if let Some(path) = &args.passage_asks {
            passages::write_json(&merged.asks(), path).map_err(partial_failure)?;
        }
        if let Some(path) = &args.periods_ask {
            write_periods_ask(&merged, path)?;
        }
        files
    };
    println!("{}", files.html.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::took;
    use std::time::Duration;

    #[test]
    fn the_last_line_gives_documents_time_and_rate() {
        assert_eq!(
            took(575, Duration::from_millis(2_500)),
            "Report of 575 documents written. Took 2.5 s, 230 documents/s."
        );
    }
}
