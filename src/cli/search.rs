//! The `search` command: flags → request, results → table, JSON or CSV.

use std::io::{self, IsTerminal};
use std::path::Path;

use mediawatch::index;
use mediawatch::index::settings::IndexSettings;
use mediawatch::report::terminal::Marks;
use mediawatch::report::views::{self, SideBySide};
use mediawatch::search::{self, Facet, Filters, KwicOptions, KwicSort, SearchRequest, SortOrder};
use mediawatch::timezone::Zone;

use super::args::{FilterArgs, KwicByArg, KwicSortArg, ResultFormat, SearchArgs, SortArg};
use super::{output, Failure, UsageError};

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
        None => Some(std::path::PathBuf::from(DEFAULT_REGISTRY)).filter(|p| p.is_file()),
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

/// Runs `search`.
pub fn run(args: SearchArgs) -> Result<(), Failure> {
    let facets = args
        .facets
        .iter()
        .map(|facet| {
            facet
                .parse::<Facet>()
                .map_err(|e| UsageError(format!("unknown facet `{facet}`; {e}")))
        })
        .collect::<Result<Vec<Facet>, UsageError>>()?;
    let request = SearchRequest {
        query: {
            super::warn_about_query(&args.query);
            args.query.clone()
        },
        filters: filters(&args.filters, &args.index)?,
        limit: args.limit,
        offset: args.offset,
        sort: match args.sort {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Date => SortOrder::Date,
        },
        facets,
        kwic: args.kwic.then_some(KwicOptions {
            window: args.window,
            sort: match args.kwic_sort {
                None => KwicSort::Document,
                Some(KwicSortArg::Left) => KwicSort::Left,
                Some(KwicSortArg::Right) => KwicSort::Right,
                Some(KwicSortArg::Date) => KwicSort::Date,
            },
        }),
    };
    let index = index::open_nonempty(&args.index)?;
    let results = search::search(&index, &request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let by = args.by.map(|by| match by {
        KwicByArg::Category => SideBySide::Category,
        KwicByArg::Outlet => SideBySide::Outlet,
    });
    let marks = if io::stdout().is_terminal() {
        Marks::BOLD
    } else {
        Marks::STARS
    };
    let written = match args.format {
        ResultFormat::Json => output::json(&mut out, &results),
        ResultFormat::Csv => views::search_csv(&mut out, &results, args.kwic),
        ResultFormat::Table => views::search(&mut out, &results, by, marks),
    };
    Ok(output::finish(written, out)?)
}
