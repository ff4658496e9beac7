//! `compare` over periods (`--periods`, `--split-on-gaps`, `--by period`) and counting with
//! copies (`--copies`) for `compare`, `stats` and `report`.

use std::io;

use mediawatch::index::Index;
use mediawatch::report::periods_view;
use mediawatch::stats::collapse::{self, CopiesMode};
use mediawatch::stats::periods::{self, Periods};
use mediawatch::stats::scan::Subset;
use mediawatch::stats::{CompareItems, CompareRequest};

use mediawatch::partial::{self, Partial};
use mediawatch::stats::counts::TermCounts;

use super::args::{CompareArgs, PeriodFlags};
use super::scale::{partial_failure, partial_spec, shards, term_options};
use super::stats::{print_keyness, stats_failure, target_is_each};
use super::{output, Failure, UsageError};

/// `--by period`: the sides are periods, not groups.
pub const BY_PERIOD: &str = "period";

/// The subset counted under `--copies`; a collapse is stated on stderr (stdout stays the
/// result, for scripts).
pub fn counted(
    index: &Index,
    subset: &Subset,
    mode: CopiesMode,
    min_similarity: f64,
) -> Result<Subset, Failure> {
    let (subset, counting) =
        collapse::apply(index, subset, mode, min_similarity).map_err(stats_failure)?;
    if mode == CopiesMode::Collapse {
        eprintln!("{}", counting.sentence());
    }
    Ok(subset)
}

/// The periods asked for: named with `--periods`, or from the timeline's gaps.
fn chosen(
    index: &Index,
    request: &CompareRequest,
    flags: &PeriodFlags,
) -> Result<Option<Periods>, Failure> {
    if let Some(periods) = &flags.periods {
        return Ok(Some(periods.clone()));
    }
    if !flags.split_on_gaps {
        return Ok(None);
    }
    let periods = periods::split_on_gaps(index, &request.subset, request.by, flags.min_gap)
        .map_err(stats_failure)?;
    let names: Vec<String> = periods
        .0
        .iter()
        .map(|p| format!("{}={}..{}", p.name, p.from, p.to))
        .collect();
    eprintln!("periods from the timeline's gaps: {}", names.join(","));
    Ok(Some(periods))
}

/// Runs `compare --periods` over partials made with the same `--periods` (or several
/// `--index`, each counted in the periods in-process): each period's term counts merged,
/// then compared as one index compares them.
pub fn compare_merged(
    args: &CompareArgs,
    request: &CompareRequest,
    periods: &Periods,
) -> Result<(), Failure> {
    let terms = term_options(&args.terms);
    let mut spec = partial_spec(&request.subset, request.by, terms);
    spec.periods = Some(periods.clone());
    spec.period_terms_only = true;
    let sourced = shards((&args.selection, &request.subset), &args.partials)?
        .partials(|index| Partial::of_index(index, &spec))
        .map_err(partial_failure)?;
    let header = spec.header();
    // `per_period_counted` asks for the periods in their order.
    let mut names = periods.0.iter().map(|p| p.name.as_str());
    let mut count = |_: &CompareRequest| -> Result<TermCounts, Failure> {
        let name = names.next().unwrap_or_default();
        partial::merge_period(sourced.clone(), &header, name).map_err(partial_failure)
    };
    let each = target_is_each(request)?;
    let result =
        periods::per_period_counted(request, periods, CompareItems::Terms, each, &mut count)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = args.format.write(
        &mut out,
        &result,
        |o, r| periods_view::period_keyness_csv(o, r, each),
        |r| periods_view::period_keyness(r, "term", each),
    );
    output::finish(written, out)?;
    Ok(())
}

/// Runs `compare` when periods are involved; `Ok(false)` when they are not (the plain
/// comparison runs).
pub fn compare(
    index: &Index,
    args: &CompareArgs,
    request: &CompareRequest,
    items: CompareItems,
    item_name: &str,
    by_period: bool,
) -> Result<bool, Failure> {
    let Some(periods) = chosen(index, request, &args.periods)? else {
        if by_period {
            return Err(UsageError(
                "--by period compares periods: name them with --periods (before=A..B,during=C..D) or --split-on-gaps".into(),
            )
            .into());
        }
        return Ok(false);
    };
    if by_period {
        let keyness = periods::between(index, request, &periods, items).map_err(stats_failure)?;
        print_keyness(&keyness, args.format, item_name)?;
        return Ok(true);
    }
    let each = target_is_each(request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result =
        periods::per_period(index, request, &periods, items, each).map_err(stats_failure)?;
    let written = args.format.write(
        &mut out,
        &result,
        |o, r| periods_view::period_keyness_csv(o, r, each),
        |r| periods_view::period_keyness(r, item_name, each),
    );
    output::finish(written, out)?;
    Ok(true)
}
