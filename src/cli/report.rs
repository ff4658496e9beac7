//! The `report` command: flags → [`ReportRequest`], a spinner while the library collects the
//! data, the files written, the path of `report.html` printed.

use std::path::Path;

use mediawatch::index;
use mediawatch::report::{self, ReportError, ReportFiles, ReportRequest};
use mediawatch::search::SearchError;
use mediawatch::stats::scan::Subset;
use mediawatch::stats::timeline::Interval;
use tantivy::Index;

use super::args::{IntervalArg, ReportArgs};
use super::progress::Spinner;
use super::stats::{group_by, stats_failure};
use super::{search::filters, Failure, UsageError};

/// Maps the flags to a library request.
fn request(args: &ReportArgs) -> Result<ReportRequest, Failure> {
    Ok(ReportRequest {
        subset: Subset {
            query: {
                super::warn_about_query(&args.query);
                args.query.clone()
            },
            filters: filters(&args.filters, &args.index)?,
        },
        by: group_by(&args.by)?,
        target: args.target.clone(),
        reference: (args.reference != "all").then(|| args.reference.clone()),
        interval: match args.interval {
            IntervalArg::Hour => Interval::Hour,
            IntervalArg::Day => Interval::Day,
            IntervalArg::Week => Interval::Week,
            IntervalArg::Month => Interval::Month,
            IntervalArg::Year => Interval::Year,
        },
        top: args.top,
        min_freq: args.min_freq,
        min_gap_days: args.min_gap,
        command_line: std::env::args().collect(),
        generated_at: args.timestamp.then(report::now),
        entity_list: Some(args.lists.entity_list.clone()),
        frame_list: Some(args.lists.frame_list.clone()),
        ..ReportRequest::default()
    })
}

fn report_failure(error: ReportError) -> Failure {
    match error {
        ReportError::Stats(e) => stats_failure(e),
        ReportError::Search(
            e @ (SearchError::Query(_) | SearchError::Filter(_) | SearchError::BadDate { .. }),
        ) => UsageError(e.to_string()).into(),
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
    index: &Index,
    request: &ReportRequest,
    out: &Path,
    quiet: bool,
) -> Result<ReportFiles, Failure> {
    let spinner = Spinner::new(quiet);
    let data = report::collect_with_progress(index, request, &|step| spinner.step(step.message()));
    let data = match data {
        Ok(data) => data,
        Err(e) => {
            spinner.finish();
            return Err(report_failure(e));
        }
    };
    spinner.step("writing files");
    let files = report::write(&data, out);
    spinner.finish();
    files.map_err(report_failure)
}

/// Runs `report`.
pub fn run(args: ReportArgs) -> Result<(), Failure> {
    let request = request(&args)?;
    let index = index::open(&args.index)?;
    index::verify(&index, &args.index)?;
    let files = build(&index, &request, &args.out, args.quiet)?;
    println!("{}", files.html.display());
    Ok(())
}
