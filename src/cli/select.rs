//! The shared flag groups as library values: [`Selection`] → [`Subset`], [`FilterArgs`] →
//! [`Filters`], [`Grouping`] → [`GroupBy`], [`Comparison`] → its sides.

use std::path::{Path, PathBuf};

use mediawatch::index::settings::IndexSettings;
use mediawatch::index::{self, Index, Reads};
use mediawatch::search::Filters;
use mediawatch::stats::scan::{GroupBy, Subset};
use mediawatch::timezone::Zone;

use super::args::{Comparison, FilterArgs, Grouping, Selection};
use super::{Failure, UsageError};

/// The query (its warnings printed) and filters of a selection.
pub fn subset(selection: &Selection) -> Result<Subset, Failure> {
    for warning in mediawatch::search::query::warnings(&selection.query) {
        eprintln!("warning: {warning}");
    }
    Ok(Subset {
        query: selection.query.clone(),
        filters: filters(&selection.filters, selection.index.first())?,
    })
}

/// The selection's index, opened for a command that reads all of it, stored texts too: an
/// empty one is refused, and its files are checked for damage first. Several `--index` are
/// refused (the command reads one).
pub fn verified_index(selection: &Selection, command: &str) -> Result<Index, Failure> {
    verified_index_for(selection, command, Reads::Everything)
}

/// [`verified_index`] for a command that `reads` so much of the index: only the files it
/// reads are checked.
pub fn verified_index_for(
    selection: &Selection,
    command: &str,
    reads: Reads,
) -> Result<Index, Failure> {
    let dir = selection.index.single(command).map_err(UsageError)?;
    verified_for(dir, reads)
}

/// The index at `dir`, opened for a command that reads all of it (see [`verified_index`]).
pub fn verified(dir: &Path) -> Result<Index, Failure> {
    verified_for(dir, Reads::Everything)
}

/// The index at `dir`, opened for a command that `reads` so much of it: an empty one is
/// refused, and the files it reads are checked for damage first.
pub fn verified_for(dir: &Path, reads: Reads) -> Result<Index, Failure> {
    Ok(index::open_for(dir, reads)?)
}

/// The grouping field.
pub fn group_by(grouping: &Grouping) -> Result<GroupBy, Failure> {
    let name = &grouping.by;
    name.parse()
        .map_err(|e| UsageError(format!("--by {name}: {e}")).into())
}

/// The sides of a comparison: grouping field, target and reference (`None`, the one default
/// of `compare` and `report`, is all other documents; `--reference all` says the same).
pub fn sides(comparison: &Comparison) -> Result<(GroupBy, String, Option<String>), Failure> {
    let reference = comparison
        .reference
        .clone()
        .filter(|reference| reference != "all");
    Ok((
        group_by(&comparison.grouping)?,
        comparison.target.clone(),
        reference,
    ))
}

/// Turns filter flags into library filters. Dates are read, and shown, in `--timezone`,
/// by default the display zone of the index at `index`.
pub fn filters(args: &FilterArgs, index: &Path) -> Result<Filters, Failure> {
    let zone = match &args.timezone {
        Some(name) => Zone::parse(name).map_err(|e| UsageError(format!("--timezone: {e}")))?,
        None => {
            IndexSettings::in_dir(index)
                .unwrap_or_default()
                .display_zone
        }
    };
    let mut filters = Filters {
        outlets: outlet_keys(args)?,
        categories: args.category.clone(),
        langs: args.lang.clone(),
        media: args.medium.clone(),
        zone,
        ..Filters::default()
    };
    if let Some(from) = &args.from {
        filters
            .set_from(from, zone)
            .map_err(|e| UsageError(e.to_string()))?;
    }
    if let Some(to) = &args.to {
        filters
            .set_to(to, zone)
            .map_err(|e| UsageError(e.to_string()))?;
    }
    // An empty range would silently count nothing; it is almost always swapped flags.
    if let (Some(from), Some(until), Some(from_text), Some(to_text)) =
        (filters.from, filters.until, &args.from, &args.to)
    {
        if from >= until {
            return Err(UsageError(format!(
                "--from {from_text} is later than --to {to_text}: no document can match (swap them?)"
            ))
            .into());
        }
    }
    Ok(filters)
}

/// The registry default: the bundled corpus's, where it exists.
const DEFAULT_REGISTRY: &str = "corpus/sources.csv";

/// `--outlet` values with registry names and aliases turned into outlet keys (values the
/// registry does not know are kept: the index's own values are matched case-insensitively).
fn outlet_keys(args: &FilterArgs) -> Result<Vec<String>, Failure> {
    if args.outlet.is_empty() {
        return Ok(Vec::new());
    }
    let path = match &args.outlet_registry {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from(DEFAULT_REGISTRY)).filter(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok(args.outlet.clone());
    };
    let registry = mediawatch::registry::SourceRegistry::load(&path)
        .map_err(|e| UsageError(format!("--sources {}: {e}", path.display())))?;
    Ok(args
        .outlet
        .iter()
        .map(|value| {
            registry
                .lookup(value)
                .map_or_else(|| value.clone(), |outlet| outlet.key.clone())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::args::{Cli, Command};
    use super::*;

    fn parse(line: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("mediawatch").chain(line.iter().copied()))
            .unwrap()
            .command
    }

    fn comparison(command: Command) -> Comparison {
        match command {
            Command::Compare(args) => args.comparison,
            Command::Report(args) => args.comparison,
            other => panic!("not a comparison: {other:?}"),
        }
    }

    #[test]
    fn compare_and_report_share_one_default_reference() {
        for command in ["compare", "report"] {
            let (by, target, reference) = sides(&comparison(parse(&[command]))).unwrap();
            assert_eq!(
                (by, target.as_str(), reference),
                (GroupBy::Category, "state", None),
                "{command}"
            );
            let all = sides(&comparison(parse(&[command, "--reference", "all"]))).unwrap();
            assert_eq!(all.2, None, "{command} --reference all");
            let named = parse(&[command, "--by", "lang", "--reference", "kk"]);
            let (by, _, reference) = sides(&comparison(named)).unwrap();
            assert_eq!((by, reference.as_deref()), (GroupBy::Lang, Some("kk")));
        }
    }

    #[test]
    fn every_selecting_command_reads_the_same_selection_flags() {
        let line = ["x", "--index", "i", "--lang", "ru", "--outlet", "o"];
        for command in ["search", "compare", "stats", "report"] {
            let mut words = vec![command];
            if command == "stats" {
                words.push("timeline");
            }
            words.extend(line);
            let selection = match parse(&words) {
                Command::Search(args) => args.selection,
                Command::Compare(args) => args.selection,
                Command::Stats(args) => args.selection,
                Command::Report(args) => args.selection,
                other => panic!("{other:?}"),
            };
            assert_eq!(selection.query, "x", "{command}");
            assert_eq!(selection.index.dirs, [PathBuf::from("i")], "{command}");
            assert_eq!(selection.filters.lang, ["ru"], "{command}");
            assert_eq!(selection.filters.outlet, ["o"], "{command}");
        }
    }
}
