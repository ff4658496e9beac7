//! `/search`: query box and filters, the exact total, hits with highlighted snippets, facets
//! as include/exclude links, and documents per day per group with gaps shaded.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::State;
use axum::response::Html;
use chrono::{Duration, NaiveDate};

use super::form;
use crate::report::svg;
use crate::report::tables::commands;
use crate::search::{self, Facet, Hit, SearchRequest, SearchResults, SortOrder};
use crate::stats::timeline::gaps_in;
use crate::web::html::{self, attr, text};
use crate::web::params::{self, Params};
use crate::web::{App, WebError};

/// Hits per page.
pub const PAGE: usize = 50;
/// Values listed per facet (the rest are counted in a note).
pub const FACET_VALUES: usize = 40;
/// Shortest silence shaded in the histogram, in days.
pub const MIN_GAP_DAYS: u64 = 2;
/// Groups drawn in the histogram (those with most matching documents; a note counts the rest).
pub const CHART_GROUPS: usize = 12;
/// Groupings of the histogram (`by`).
pub const BY: [(&str, &str); 4] = [
    ("category", "category"),
    ("outlet", "outlet"),
    ("lang", "language"),
    ("medium", "medium"),
];

/// The page's parameters in canonical order: the selection, then its own.
pub static ORDER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| params::order(&["by", "sort", "offset"]));

/// Facets shown, in order.
const FACETS: [Facet; 4] = [Facet::Category, Facet::Outlet, Facet::Lang, Facet::Medium];

/// Days per group, for the histogram.
pub type Days = BTreeMap<String, BTreeMap<String, u64>>;

/// What the search page shows.
pub struct Found {
    /// Hits, total and facets.
    pub results: SearchResults,
    /// Documents per day per group of the page's `by`.
    pub days: Days,
}

/// Runs the page's search (on the blocking pool).
pub async fn find(
    app: &Arc<App>,
    params: &Params,
    limit: usize,
    days: bool,
) -> Result<Found, WebError> {
    let ix = params.ix()?;
    let offset = params.number("offset", 0, 0, 1_000_000)?;
    let sort = match params.choice("sort", &["relevance", "date"])? {
        "date" => SortOrder::Date,
        _ => SortOrder::Relevance,
    };
    let by = by_facet(params)?;
    let (app2, params) = (app.clone(), params.clone());
    app.heavy(move || {
        let source = app2.source(ix)?;
        let subset = params.subset(source)?;
        let request = SearchRequest {
            subset,
            limit,
            offset,
            sort,
            facets: Vec::new(),
            kwic: None,
        };
        let mut results = search::search(&source.index, &request)?;
        let mut per_group = Days::new();
        if days {
            // Facets and the days of every group in one pass over the matches.
            let mut counts = search::facet_counts_by(
                &source.index,
                &request.subset.query,
                &request.subset.filters,
                by,
            )?;
            per_group = std::mem::take(&mut counts.by_day);
            results.facets = search::select_facets(counts, &FACETS);
        }
        Ok(Found {
            results,
            days: per_group,
        })
    })
    .await
}

/// The histogram's grouping (`by`: category by default).
fn by_facet(params: &Params) -> Result<Facet, WebError> {
    let names: Vec<&str> = BY.iter().map(|(name, _)| *name).collect();
    Ok(params
        .choice("by", &names)?
        .parse()
        .unwrap_or(Facet::Category))
}

/// `GET /search`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let found = find(&app, &params, PAGE, true).await?;
    let offset = params.number("offset", 0, 0, 1_000_000)?;
    let r = &found.results;
    let mut body = form::selection(
        "/search",
        &params,
        &format!(
            "{}{}",
            html::select(
                "sort",
                "sort",
                params.or("sort", "relevance"),
                &[("relevance", "relevance"), ("date", "date")],
            ),
            html::select("by", "chart by", params.or("by", "category"), &BY),
        ),
    );
    body.push_str(&form::chips("/search", &params, &ORDER));
    let shown_to = (offset + r.hits.len()) as u64;
    let _ = write!(
        body,
        "<p class=\"total\"><strong id=\"total\">{}</strong> matching documents{}</p>",
        r.total,
        if r.hits.is_empty() {
            String::new()
        } else {
            format!(", showing {}–{shown_to}", offset + 1)
        }
    );
    body.push_str(&form::actions("search", "/search", &params, &ORDER, ""));
    body.push_str(&histogram(&found.days, by_facet(&params)?));
    body.push_str("<div class=\"layout\"><div class=\"hits\">");
    for hit in &r.hits {
        body.push_str(&hit_html(hit, &params));
    }
    body.push_str(&pager(&params, offset, r.hits.len(), r.total));
    body.push_str("</div><aside class=\"facets\">");
    body.push_str(&facets(&params, r));
    body.push_str("</aside></div>");
    Ok(html::page("Search", &form::carry(&params), &body))
}

/// A link to a document's page.
pub fn doc_href(params: &Params, outlet: &str, id: &str) -> String {
    params
        .with("outlet", "")
        .with("doc-outlet", outlet)
        .with("id", id)
        .url("/doc", &["ix", "doc-outlet", "id", "q"])
}

fn hit_html(hit: &Hit, params: &Params) -> String {
    let title = if hit.title.is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    let snippet = html::marked(&commands::snippet(hit));
    let copy = match &hit.copy_of {
        Some(c) => format!(
            " · copy of <a href=\"{}\">{} {}</a>",
            attr(&doc_href(params, &c.outlet, &c.id)),
            text(&c.outlet),
            text(&c.id)
        ),
        None => String::new(),
    };
    format!(
        "<div class=\"hit\"><a class=\"doc-link\" href=\"{}\">{}</a><div class=\"meta\">{} · {} · {} · {} · {}{copy}</div><div class=\"snippet\">{snippet}</div></div>",
        attr(&doc_href(params, &hit.labels.outlet, &hit.id)),
        text(title),
        text(&hit.published),
        text(&hit.labels.outlet),
        text(&hit.labels.category),
        text(&hit.labels.lang),
        text(&hit.labels.medium),
    )
}

fn pager(params: &Params, offset: usize, shown: usize, total: u64) -> String {
    let mut out = String::from("<p class=\"pager\">");
    if offset > 0 {
        let prev = offset.saturating_sub(PAGE);
        let _ = write!(
            out,
            "{} ",
            html::link(
                &params
                    .with("offset", &prev.to_string())
                    .url("/search", &ORDER),
                "← previous"
            )
        );
    }
    if ((offset + shown) as u64) < total {
        let next = (offset + PAGE).to_string();
        let _ = write!(
            out,
            "{}",
            html::link(
                &params.with("offset", &next).url("/search", &ORDER),
                "next →"
            )
        );
    }
    out.push_str("</p>");
    out
}

fn facets(params: &Params, r: &SearchResults) -> String {
    let mut out = String::new();
    for facet in FACETS {
        let name = facet.field();
        let Some(values) = r.facets.get(&facet) else {
            continue;
        };
        let mut sorted: Vec<(&String, &u64)> = values.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let _ = write!(out, "<h2>{name}</h2><ul class=\"facet-{name}\">");
        let base = params.with("offset", "");
        for (value, count) in sorted.iter().take(FACET_VALUES) {
            let include = base
                .toggled(name, value, &format!("exclude-{name}"))
                .url("/search", &ORDER);
            let exclude = base
                .toggled(&format!("exclude-{name}"), value, name)
                .url("/search", &ORDER);
            let _ = write!(
                out,
                "<li><a class=\"include\" href=\"{}\" title=\"only this\">{}</a> <a class=\"exclude\" href=\"{}\" title=\"leave out\">−</a><span class=\"count\">{count}</span></li>",
                attr(&include),
                text(value),
                attr(&exclude),
            );
        }
        out.push_str("</ul>");
        if sorted.len() > FACET_VALUES {
            out.push_str(&html::note(&format!(
                "{} more values not listed",
                sorted.len() - FACET_VALUES
            )));
        }
    }
    out
}

/// Documents per day per group as a line chart, silences of [`MIN_GAP_DAYS`] or more shaded:
/// the [`CHART_GROUPS`] groups with most documents, the others counted in a note.
pub fn histogram(days: &Days, by: Facet) -> String {
    let mut sizes: Vec<(u64, &String)> = days.iter().map(|(g, d)| (d.values().sum(), g)).collect();
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let drawn: BTreeSet<&String> = sizes.iter().take(CHART_GROUPS).map(|(_, g)| *g).collect();
    let left_out = sizes.len() - drawn.len();
    let days: Days = days
        .iter()
        .filter(|(g, _)| drawn.contains(g))
        .map(|(g, d)| (g.clone(), d.clone()))
        .collect();
    let parse = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let all: BTreeSet<NaiveDate> = days
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|d| parse(d))
        .collect();
    let (Some(&first), Some(&last)) = (all.first(), all.last()) else {
        return html::note("No dated documents to chart.");
    };
    let mut starts = Vec::new();
    let mut day = first;
    while day <= last {
        starts.push(day.and_hms_opt(0, 0, 0).unwrap_or_default());
        day += Duration::days(1);
    }
    let mut series = Vec::new();
    let mut shades = Vec::new();
    let by_name = BY
        .iter()
        .find(|(name, _)| *name == by.field())
        .map_or("group", |(_, label)| *label);
    for (i, (group, counts)) in days.iter().enumerate() {
        let colour = svg::colour(i).to_string();
        let values = starts
            .iter()
            .map(|s| {
                counts
                    .get(&s.date().format("%Y-%m-%d").to_string())
                    .copied()
                    .unwrap_or(0) as f64
            })
            .collect();
        let active: BTreeSet<NaiveDate> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(d, _)| parse(d))
            .collect();
        for (from, to, n) in gaps_in(&active, MIN_GAP_DAYS) {
            shades.push(svg::TimeShade {
                from: from.and_hms_opt(0, 0, 0).unwrap_or_default(),
                until: (to + Duration::days(1))
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
                label: format!("{group}: none, {n} days"),
                legend: format!("gap: {group} silent"),
                colour: colour.clone(),
            });
        }
        series.push(svg::Series {
            label: group.clone(),
            colour,
            values,
        });
    }
    let chart = svg::time_chart(&svg::TimeChart {
        caption: svg::Caption::new("chart-days", format!("Matching documents per day by {by_name}"), format!("Line chart of matching documents per day per {by_name}; runs of {MIN_GAP_DAYS} or more days without a matching document are shaded.")),
        x_label: "Day".into(),
        y_label: "Documents".into(),
        starts,
        step: Duration::days(1),
        series,
        shades,
        y_max: None,
    });
    let note = if left_out > 0 {
        html::note(&format!(
            "the {CHART_GROUPS} groups with most matching documents are drawn; {left_out} more are not"
        ))
    } else {
        String::new()
    };
    format!("<figure class=\"histogram\">{chart}{note}</figure>")
}
