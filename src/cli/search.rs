//! The `search` command: flags → request, results → table, JSON or CSV.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};

use mediawatch::escape::{spreadsheet, terminal};
use std::path::Path;

use mediawatch::index;
use mediawatch::index::settings::IndexSettings;
use mediawatch::search::{
    self, Filters, Hit, KwicLine, KwicOptions, KwicSort, SearchRequest, SearchResults, SortOrder,
};
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
    for facet in &args.facets {
        if !["outlet", "category", "lang", "medium", "day"].contains(&facet.as_str()) {
            return Err(UsageError(format!(
                "unknown facet `{facet}`; expected a comma-separated list of outlet, category, lang, medium, day"
            ))
            .into());
        }
    }
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
        facets: args.facets.clone(),
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
    let results = search::search(&index, &request).map_err(|e| match e {
        search::SearchError::Query(_)
        | search::SearchError::Filter(_)
        | search::SearchError::BadDate { .. } => Failure::from(UsageError(e.to_string())),
        other => Failure::from(other),
    })?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        ResultFormat::Json => output::json(&mut out, &results),
        ResultFormat::Csv => csv(&mut out, &results, args.kwic),
        ResultFormat::Table => table(&mut out, &results, args.by, io::stdout().is_terminal()),
    };
    Ok(output::finish(written, out)?)
}

fn csv(out: &mut impl Write, results: &SearchResults, kwic: bool) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    let text = |s: &str| spreadsheet(s);
    if kwic {
        writer.write_record([
            "id",
            "published",
            "outlet",
            "category",
            "left",
            "match",
            "right",
        ])?;
        for l in &results.kwic {
            writer.write_record([
                text(&l.id),
                l.published.clone(),
                text(&l.outlet),
                text(&l.category),
                text(&l.left),
                text(&l.matched),
                text(&l.right),
            ])?;
        }
    } else {
        writer.write_record([
            "id",
            "published",
            "outlet",
            "category",
            "lang",
            "medium",
            "title",
            "score",
            "snippet",
        ])?;
        for h in &results.hits {
            writer.write_record([
                text(&h.id),
                h.published.clone(),
                text(&h.outlet),
                text(&h.category),
                text(&h.lang),
                text(&h.medium),
                text(&h.title),
                format!("{:.4}", h.score),
                text(&marked(h, "**", "**")),
            ])?;
        }
    }
    writer.flush()
}

/// The snippet with matches wrapped in `open`/`close`.
fn marked(hit: &Hit, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for [start, end] in &hit.highlights {
        let (Some(before), Some(word)) =
            (hit.snippet.get(at..*start), hit.snippet.get(*start..*end))
        else {
            continue;
        };
        out.push_str(&terminal(before));
        out.push_str(open);
        out.push_str(&terminal(word));
        out.push_str(close);
        at = *end;
    }
    out.push_str(&terminal(hit.snippet.get(at..).unwrap_or("")));
    out
}

fn table(
    out: &mut impl Write,
    results: &SearchResults,
    by: Option<KwicByArg>,
    tty: bool,
) -> io::Result<()> {
    writeln!(out, "{} matching documents", results.total)?;
    let (open, close) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    for hit in &results.hits {
        writeln!(
            out,
            "\n{}  {}  [{}]  {}  {}  score {:.2}\n  {}\n  {}",
            hit.published,
            terminal(&hit.outlet),
            terminal(&hit.category),
            terminal(&hit.lang),
            terminal(&hit.id),
            hit.score,
            terminal(&hit.title),
            marked(hit, open, close)
        )?;
    }
    for (facet, counts) in &results.facets {
        writeln!(out, "\n{facet}:")?;
        let rows: Vec<Vec<String>> = counts
            .iter()
            .map(|(k, v)| vec![terminal(k), v.to_string()])
            .collect();
        output::table(out, &[facet.as_str(), "documents"], &rows)?;
    }
    if !results.kwic.is_empty() {
        writeln!(out, "\n{} keyword-in-context lines", results.kwic.len())?;
        match by {
            None => kwic_lines(out, &results.kwic, 60)?,
            Some(group) => kwic_side_by_side(out, &results.kwic, group)?,
        }
    }
    Ok(())
}

fn fit_left(text: &str, width: usize) -> String {
    let chars: Vec<char> = terminal(text).chars().collect();
    let kept: String = chars[chars.len().saturating_sub(width)..].iter().collect();
    format!("{kept:>width$}")
}

fn fit_right(text: &str, width: usize) -> String {
    let kept: String = terminal(text).chars().take(width).collect();
    format!("{kept:<width$}")
}

fn kwic_line(line: &KwicLine, context: usize) -> String {
    format!(
        "{} | {} | {}",
        fit_left(&line.left, context),
        terminal(&line.matched),
        fit_right(&line.right, context)
    )
}

fn kwic_lines(out: &mut impl Write, lines: &[KwicLine], context: usize) -> io::Result<()> {
    for line in lines {
        writeln!(
            out,
            "{}  {:<12} {}",
            line.published.get(..10).unwrap_or(&line.published),
            fit_right(&line.outlet, 12),
            kwic_line(line, context).trim_end()
        )?;
    }
    Ok(())
}

fn kwic_side_by_side(out: &mut impl Write, lines: &[KwicLine], by: KwicByArg) -> io::Result<()> {
    let mut groups: BTreeMap<&str, Vec<&KwicLine>> = BTreeMap::new();
    for line in lines {
        let key = match by {
            KwicByArg::Category => line.category.as_str(),
            KwicByArg::Outlet => line.outlet.as_str(),
        };
        groups.entry(key).or_default().push(line);
    }
    let columns = groups.len().max(1);
    let context = (150 / columns).saturating_sub(14) / 2;
    let width = context * 2 + 14;
    let header: Vec<String> = groups
        .iter()
        .map(|(name, lines)| fit_right(&format!("{} ({})", name, lines.len()), width))
        .collect();
    writeln!(out, "{}", header.join(" ‖ "))?;
    let rows = groups.values().map(Vec::len).max().unwrap_or(0);
    for i in 0..rows {
        let cells: Vec<String> = groups
            .values()
            .map(|lines| match lines.get(i) {
                Some(line) => fit_right(&kwic_line(line, context), width),
                None => " ".repeat(width),
            })
            .collect();
        writeln!(out, "{}", cells.join(" ‖ ").trim_end())?;
    }
    Ok(())
}
