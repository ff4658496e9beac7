//! Flags of counting with copies (`--copies`) and of change over time (`--periods`,
//! `--split-on-gaps`), shared by `compare`, `stats` and `report`.

use clap::Args;
use mediawatch::stats::periods::Periods;

use super::values::number;
use super::{CopiesArg, MAX_MIN_GAP};

/// `--copies`.
#[derive(Debug, Args, Clone)]
pub struct CopiesFlag {
    /// How copies across outlets count: keep (every document) or collapse (each cluster of
    /// near duplicates, as `stats copies` finds them at similarity 0.8, counts once, as its
    /// first publisher's document; the output says how many documents were collapsed).
    #[arg(long, value_enum, default_value = "keep")]
    pub copies: CopiesArg,
}

/// `--periods` and `--split-on-gaps` of `compare`.
#[derive(Debug, Args, Clone)]
pub struct PeriodFlags {
    /// Periods, comma-separated FROM..TO day ranges (both days included), optionally named:
    /// before=2021-12-20..2022-01-04,during=2022-01-05..2022-01-10. Key terms are listed per
    /// period; with --by period, --target and --reference name the periods compared.
    #[arg(long, value_parser = parse_periods, conflicts_with = "split_on_gaps")]
    pub periods: Option<Periods>,
    /// Derive the periods from the timeline's group gaps (silences of a whole group of at
    /// least --min-gap days): before, during and after one gap.
    #[arg(long)]
    pub split_on_gaps: bool,
    /// Shortest silence that splits periods (--split-on-gaps), in days.
    #[arg(long, default_value_t = 2, value_parser = number::<u64>(1, MAX_MIN_GAP))]
    pub min_gap: u64,
}

/// `--periods` of `report`.
#[derive(Debug, Args, Clone)]
pub struct ReportPeriods {
    /// Periods of the "What changed" section, comma-separated FROM..TO day ranges (both days
    /// included), optionally named: before=2021-12-20..2022-01-04,after=2022-01-11..2022-01-20.
    /// Without it the periods are before, during and after the groups' gaps.
    #[arg(long, value_parser = parse_periods)]
    pub periods: Option<Periods>,
}

/// `--periods`: parsed once here.
pub fn parse_periods(text: &str) -> Result<Periods, String> {
    text.parse()
        .map_err(|e: mediawatch::stats::periods::PeriodError| e.to_string())
}
