//! The `search` command: flags → request, results → listing, JSON, NDJSON or CSV. NDJSON and
//! CSV are streamed hit by hit, so `--limit all` exports any number of hits.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use serde::Serialize;

use mediawatch::escape::spreadsheet;
use mediawatch::files::{write_replacing, Access};
use mediawatch::index::{self, Index};
use mediawatch::report::table::{CsvRows, TableSpec};
use mediawatch::report::tables::commands;
use mediawatch::report::terminal::Marks;
use mediawatch::report::views;
use mediawatch::search::{self, Facet, KwicOptions, KwicSort, SearchRequest};

use super::args::{SearchArgs, SearchFormat};
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
    if args.format == SearchFormat::Ndjson && !facets.is_empty() && args.facets_out.is_none() {
        return Err(UsageError(
            "--facets with --format ndjson needs --facets-out FILE (NDJSON lines are hits)".into(),
        )
        .into());
    }
    let mut request = SearchRequest {
        subset: subset(&args.selection)?,
        limit: args.limit.count().unwrap_or(usize::MAX),
        offset: args.offset,
        sort: args.sort.into(),
        facets,
        kwic: args.kwic.then_some(KwicOptions {
            window: args.window,
            sort: args.kwic_sort.map_or(KwicSort::Document, Into::into),
        }),
    };
    // Several `--index` are searched as one corpus (shards of it).
    let indexes = args
        .selection
        .index
        .dirs
        .iter()
        .map(|dir| index::open_nonempty(dir))
        .collect::<Result<Vec<Index>, _>>()?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let streamed = matches!(args.format, SearchFormat::Ndjson | SearchFormat::Csv);
    let results = if streamed {
        // Only the total and facets here; hits and lines are streamed below.
        let counts = SearchRequest {
            limit: 0,
            kwic: None,
            ..request.clone()
        };
        search::search_across(&indexes, &counts)?
    } else {
        search::search_across(&indexes, &request)?
    };
    if let Some(path) = &args.facets_out {
        write_facets(path, &results.facets)?;
    }
    let written = match args.format {
        SearchFormat::Json => output::json(&mut out, &results),
        SearchFormat::Table => {
            let marks = if io::stdout().is_terminal() {
                Marks::BOLD
            } else {
                Marks::STARS
            };
            let by = args.by.map(Into::into);
            views::search(&mut out, &results, by, marks, output::width())
        }
        SearchFormat::Ndjson | SearchFormat::Csv => {
            if request.kwic.is_none() && args.kwic {
                request.kwic = Some(KwicOptions {
                    window: args.window,
                    sort: KwicSort::Document,
                });
            }
            let written = stream(
                &mut out,
                &indexes,
                &request,
                args.format,
                args.limit.count(),
            );
            match written {
                Ok(()) if args.format == SearchFormat::Csv && args.facets_out.is_none() => {
                    // Facets after the hits, set off by a blank line (documented).
                    if results.facets.is_empty() {
                        Ok(())
                    } else {
                        writeln!(out).and_then(|()| out.write_all(&facet_rows(&results.facets)?))
                    }
                }
                other => other,
            }
        }
    };
    Ok(output::finish(written, out)?)
}

/// Streams hits (at most `limit`) or every keyword-in-context line as NDJSON or CSV rows.
fn stream(
    out: &mut impl Write,
    indexes: &[Index],
    request: &SearchRequest,
    format: SearchFormat,
    limit: Option<usize>,
) -> io::Result<()> {
    let limit = limit.unwrap_or(usize::MAX);
    let csv = format == SearchFormat::Csv;
    if request.kwic.is_some() {
        let spec = commands::kwic();
        let sink = Sink::new(&mut *out, csv.then_some(&spec))?;
        // `--limit` counts hits; every keyword-in-context line is listed, as in the table.
        sink.run(usize::MAX, |each| {
            search::each_kwic_line_across(indexes, request, each)
        })
    } else {
        let spec = commands::hits();
        let sink = Sink::new(&mut *out, csv.then_some(&spec))?;
        sink.run(limit, |each| {
            search::each_hit_across(indexes, request, each).map(|_| ())
        })
    }
}

/// Where streamed rows go: CSV rows of a table, or one JSON object a line.
enum Sink<'s, 'a, R, W: Write> {
    Csv(Box<CsvRows<'s, 'a, R, W>>),
    Ndjson(W),
}

impl<'s, 'a, R: Serialize, W: Write> Sink<'s, 'a, R, W> {
    fn new(out: W, csv: Option<&'s TableSpec<'a, R>>) -> io::Result<Self> {
        Ok(match csv {
            Some(spec) => Sink::Csv(Box::new(spec.csv_rows(out)?)),
            None => Sink::Ndjson(out),
        })
    }

    fn row(&mut self, row: &R) -> io::Result<()> {
        match self {
            Sink::Csv(rows) => rows.row(row),
            Sink::Ndjson(out) => {
                serde_json::to_writer(&mut *out, row)?;
                writeln!(out)
            }
        }
    }

    /// Runs `search` with a callback writing each row, until `limit` rows or a write fails
    /// (a closed pipe stops the search at once).
    fn run(
        mut self,
        limit: usize,
        search: impl FnOnce(&mut dyn FnMut(R) -> bool) -> Result<(), search::SearchError>,
    ) -> io::Result<()> {
        let mut error = None;
        let mut count = 0usize;
        let searched = search(&mut |row| {
            if count >= limit {
                return false;
            }
            count += 1;
            match self.row(&row) {
                Ok(()) => true,
                Err(e) => {
                    error = Some(e);
                    false
                }
            }
        });
        if let Some(e) = error {
            return Err(e);
        }
        searched.map_err(io::Error::other)?;
        match self {
            Sink::Csv(rows) => rows.finish(),
            Sink::Ndjson(mut out) => out.flush(),
        }
    }
}

/// Facet counts as long-format CSV: `facet,value,count`, one row per value.
fn facet_rows(facets: &BTreeMap<Facet, BTreeMap<String, u64>>) -> io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["facet", "value", "count"])?;
    for (facet, counts) in facets {
        for (value, count) in counts {
            let count = count.to_string();
            writer.write_record([facet.field(), &spreadsheet(value), &count])?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error())
}

/// Writes the facet counts to `path` (replacing it whole).
fn write_facets(
    path: &Path,
    facets: &BTreeMap<Facet, BTreeMap<String, u64>>,
) -> Result<(), Failure> {
    let bytes = facet_rows(facets)?;
    write_replacing(path, &bytes, Access::Shared).map_err(|e| {
        UsageError(format!("cannot write --facets-out {}: {e}", path.display())).into()
    })
}
