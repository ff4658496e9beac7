//! Tables only a command prints: frequent terms and term series (`stats terms`), entity
//! figures per group (`stats entities`), search hits and keyword-in-context lines (`search`),
//! facet counts.

use crate::report::doc::Inline;
use crate::report::table::{digits, Media, TableSpec, Value};
use crate::report::terminal;
use crate::search::{Hit, KwicLine};
use crate::stats::entities::EntityFigures;
use crate::stats::terms::{TermFrequency, TermPoint};

/// A row with the label of its group.
pub type InGroup<'r, T> = (&'r str, &'r T);

/// A table of rows in groups, starting with the group's column (data only: elsewhere the group
/// is a heading).
fn in_group<'a, 'r, T>(class: &'static str) -> TableSpec<'a, InGroup<'r, T>> {
    TableSpec::of(class)
        .text("group", "group", |r: &InGroup<T>| r.0)
        .media(Media::DATA)
}

/// The most frequent terms of a group (the group is a column in data, a heading elsewhere).
pub fn terms<'a, 'r>() -> TableSpec<'a, InGroup<'r, TermFrequency>> {
    in_group::<TermFrequency>("terms")
        .text("term", "term", |r| &r.1.term)
        .forms("forms", "forms", |r| &r.1.forms)
        .int("freq", "freq", |r| r.1.freq)
        .int("documents", "documents", |r| r.1.documents)
        .optional(1)
        .float("per_million", "per million", digits(3, 1, 1), |r| {
            r.1.per_million
        })
}

// Repeated shape: a table described column by column, as every `TableSpec` is (data).
/// Chosen terms per group and bucket.
pub fn term_series<'a>() -> TableSpec<'a, TermPoint> {
    TableSpec::of("term-series")
        .text("term", "term", |p: &TermPoint| &p.term)
        .text("group", "group", |p| &p.group)
        .text("bucket", "bucket", |p| &p.bucket)
        .int("freq", "freq", |p| p.freq)
        .float("per_million", "per million", digits(3, 1, 1), |p| {
            p.per_million
        })
}

/// Entity figures of a group (the group is a column in data, a heading elsewhere).
pub fn entity_figures<'a, 'r>() -> TableSpec<'a, InGroup<'r, EntityFigures>> {
    in_group::<EntityFigures>("entities")
        .text("entity", "entity id", |r| &r.1.id)
        .media(Media::DATA)
        .text("name", "entity", |r| &r.1.name)
        .text("type", "type", |r| &r.1.kind)
        .optional(1)
        .int("mentions", "mentions", |r| r.1.mentions)
        .int("documents", "documents", |r| r.1.documents)
        .share("share_of_voice", "share of voice", |r| r.1.share_of_voice)
        .short("share of voice %")
}

/// Search hits; the snippet's matches are marked.
pub fn hits<'a>() -> TableSpec<'a, Hit> {
    source(TableSpec::of("hits"), |h: &Hit| {
        [&h.id, &h.published, &h.labels.outlet, &h.labels.category]
    })
    .text("lang", "lang", |h| &h.labels.lang)
    .text("medium", "medium", |h| &h.labels.medium)
    .text("title", "title", |h| &h.title)
    .float("score", "score", digits(4, 2, 2), |h| f64::from(h.score))
    // Plain text in CSV; where the matches are is the `highlights` column.
    .value("snippet", "snippet", "", |h| {
        Value::Text(terminal::text(&h.snippet))
    })
    .value("highlights", "highlights", "", |h| {
        Value::Text(char_ranges(h))
    })
    .media(Media::DATA)
    .text("url", "url", |h| h.url.as_deref().unwrap_or_default())
    .text("at", "at", |h| h.at.as_deref().unwrap_or_default())
}

/// `spec` with the columns that say where a hit or a line comes from, as `of` gives them:
/// document id, publication time, outlet and category.
fn source<'a, R: 'a>(
    spec: TableSpec<'a, R>,
    of: impl Fn(&R) -> [&String; 4] + Copy + 'a,
) -> TableSpec<'a, R> {
    ["id", "published", "outlet", "category"]
        .into_iter()
        .enumerate()
        .fold(spec, |spec, (i, key)| {
            spec.text(key, key, move |r| of(r)[i])
        })
}

/// A hit's snippet with its highlighted byte ranges as marks.
pub fn snippet(hit: &Hit) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut at = 0;
    for [start, end] in &hit.highlights {
        let (Some(before), Some(word)) =
            (hit.snippet.get(at..*start), hit.snippet.get(*start..*end))
        else {
            continue;
        };
        out.push(Inline::Text(before.to_string()));
        out.push(Inline::Mark(word.to_string()));
        at = *end;
    }
    out.push(Inline::Text(
        hit.snippet.get(at..).unwrap_or("").to_string(),
    ));
    out
}

/// The matches of a hit's snippet as `start-end` character offsets (Unicode code points,
/// end exclusive), separated by spaces: what a spreadsheet or a script slicing the snippet
/// needs, where JSON gives byte ranges.
pub fn char_ranges(hit: &Hit) -> String {
    // Offsets in the snippet as the column shows it (control characters made safe).
    let chars = |byte: usize| {
        hit.snippet
            .get(..byte)
            .map_or(0, |s| terminal::text(s).chars().count())
    };
    hit.highlights
        .iter()
        .map(|[start, end]| format!("{}-{}", chars(*start), chars(*end)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keyword-in-context lines.
pub fn kwic<'a>() -> TableSpec<'a, KwicLine> {
    source(TableSpec::of("kwic"), |l: &KwicLine| {
        [&l.id, &l.published, &l.outlet, &l.category]
    })
    .text("left", "left", |l| &l.left)
    .value("match", "match", "", |l| Value::Mark(l.matched.clone()))
    .text("right", "right", |l| &l.right)
    .text("at", "at", |l| l.at.as_deref().unwrap_or_default())
}

/// Documents per value of one facet; `title` names the facet.
pub fn facet_counts<'a, 'r>(title: &str) -> TableSpec<'a, (&'r String, &'r u64)> {
    TableSpec::of("facet")
        .text("value", title, |r: &(&String, &u64)| r.0)
        .int("documents", "documents", |r| *r.1)
}
