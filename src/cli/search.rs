//! The `search` command: flags → request, results → table, JSON or CSV.

use std::io::{self, IsTerminal};

use mediawatch::index;
use mediawatch::report::terminal::Marks;
use mediawatch::report::views;
use mediawatch::search::{self, Facet, KwicOptions, KwicSort, SearchRequest};

use super::args::{ResultFormat, SearchArgs};
use super::select::subset;
use super::{output, Failure, UsageError};

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
    let subset = subset(&args.selection)?;
    let request = SearchRequest {
        query: subset.query,
        filters: subset.filters,
        limit: args.limit,
        offset: args.offset,
        sort: args.sort.into(),
        facets,
        kwic: args.kwic.then_some(KwicOptions {
            window: args.window,
            sort: args.kwic_sort.map_or(KwicSort::Document, Into::into),
        }),
    };
    let index = index::open_nonempty(&args.selection.index.dir)?;
    let results = search::search(&index, &request)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let by = args.by.map(Into::into);
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
