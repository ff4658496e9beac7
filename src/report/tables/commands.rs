//! Tables only a command prints: frequent terms and term series (`stats terms`), entity
//! figures per group (`stats entities`), search hits and keyword-in-context lines (`search`),
//! facet counts.

use crate::report::doc::Inline;
use crate::report::table::{column, digits, Media, TableSpec, Value};
use crate::report::terminal;
use crate::search::{Hit, KwicLine};
use crate::stats::entities::EntityFigures;
use crate::stats::terms::{TermFrequency, TermPoint};

/// A row with the label of its group.
pub type InGroup<'r, T> = (&'r str, &'r T);

/// The most frequent terms of a group (the group is a column in data, a heading elsewhere).
pub fn terms<'a, 'r>() -> TableSpec<'a, InGroup<'r, TermFrequency>> {
    let all = Media::ALL;
    type Row<'r> = InGroup<'r, TermFrequency>;
    TableSpec::new(
        "terms",
        vec![
            column("group", "group", "", Media::DATA, |r: &Row| {
                Value::Text(r.0.to_string())
            }),
            column("term", "term", "", all, |r: &Row| {
                Value::Text(r.1.term.clone())
            }),
            column("forms", "forms", "", all, |r: &Row| {
                Value::Forms(r.1.forms.clone())
            }),
            column("freq", "freq", "num", all, |r: &Row| Value::Int(r.1.freq)),
            column("documents", "documents", "num", all, |r: &Row| {
                Value::Int(r.1.documents)
            })
            .optional(1),
            column("per_million", "per million", "num", all, |r: &Row| {
                Value::Float(r.1.per_million, digits(3, 1, 1))
            }),
        ],
    )
}

/// Chosen terms per group and bucket.
pub fn term_series<'a>() -> TableSpec<'a, TermPoint> {
    let all = Media::ALL;
    TableSpec::new(
        "term-series",
        vec![
            column("term", "term", "", all, |p: &TermPoint| {
                Value::Text(p.term.clone())
            }),
            column("group", "group", "", all, |p: &TermPoint| {
                Value::Text(p.group.clone())
            }),
            column("bucket", "bucket", "", all, |p: &TermPoint| {
                Value::Text(p.bucket.clone())
            }),
            column("freq", "freq", "num", all, |p: &TermPoint| {
                Value::Int(p.freq)
            }),
            column("per_million", "per million", "num", all, |p: &TermPoint| {
                Value::Float(p.per_million, digits(3, 1, 1))
            }),
        ],
    )
}

/// Entity figures of a group (the group is a column in data, a heading elsewhere).
pub fn entity_figures<'a, 'r>() -> TableSpec<'a, InGroup<'r, EntityFigures>> {
    let (all, data) = (Media::ALL, Media::DATA);
    type Row<'r> = InGroup<'r, EntityFigures>;
    TableSpec::new(
        "entities",
        vec![
            column("group", "group", "", data, |r: &Row| {
                Value::Text(r.0.to_string())
            }),
            column("entity", "entity id", "", data, |r: &Row| {
                Value::Text(r.1.id.clone())
            }),
            column("name", "entity", "", all, |r: &Row| {
                Value::Text(r.1.name.clone())
            }),
            column("type", "type", "", all, |r: &Row| {
                Value::Text(r.1.kind.clone())
            })
            .optional(1),
            column("mentions", "mentions", "num", all, |r: &Row| {
                Value::Int(r.1.mentions)
            }),
            column("documents", "documents", "num", all, |r: &Row| {
                Value::Int(r.1.documents)
            }),
            column("share_of_voice", "share of voice", "num", all, |r: &Row| {
                Value::Share(r.1.share_of_voice)
            })
            .short("share of voice %"),
        ],
    )
}

/// Search hits; the snippet's matches are marked.
pub fn hits<'a>() -> TableSpec<'a, Hit> {
    let all = Media::ALL;
    TableSpec::new(
        "hits",
        vec![
            column("id", "id", "", all, |h: &Hit| Value::Text(h.id.clone())),
            column("published", "published", "", all, |h: &Hit| {
                Value::Text(h.published.clone())
            }),
            column("outlet", "outlet", "", all, |h: &Hit| {
                Value::Text(h.outlet.clone())
            }),
            column("category", "category", "", all, |h: &Hit| {
                Value::Text(h.category.clone())
            }),
            column("lang", "lang", "", all, |h: &Hit| {
                Value::Text(h.lang.clone())
            }),
            column("medium", "medium", "", all, |h: &Hit| {
                Value::Text(h.medium.clone())
            }),
            column("title", "title", "", all, |h: &Hit| {
                Value::Text(h.title.clone())
            }),
            column("score", "score", "num", all, |h: &Hit| {
                Value::Float(f64::from(h.score), digits(4, 2, 2))
            }),
            // Plain text in CSV; where the matches are is the `highlights` column.
            column("snippet", "snippet", "", all, |h: &Hit| {
                Value::Text(terminal::text(&h.snippet))
            }),
            column("highlights", "highlights", "", Media::DATA, |h: &Hit| {
                Value::Text(char_ranges(h))
            }),
            column("url", "url", "", all, |h: &Hit| {
                Value::Text(h.url.clone().unwrap_or_default())
            }),
            column("at", "at", "", all, |h: &Hit| {
                Value::Text(h.at.clone().unwrap_or_default())
            }),
        ],
    )
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
    let all = Media::ALL;
    TableSpec::new(
        "kwic",
        vec![
            column("id", "id", "", all, |l: &KwicLine| {
                Value::Text(l.id.clone())
            }),
            column("published", "published", "", all, |l: &KwicLine| {
                Value::Text(l.published.clone())
            }),
            column("outlet", "outlet", "", all, |l: &KwicLine| {
                Value::Text(l.outlet.clone())
            }),
            column("category", "category", "", all, |l: &KwicLine| {
                Value::Text(l.category.clone())
            }),
            column("left", "left", "", all, |l: &KwicLine| {
                Value::Text(l.left.clone())
            }),
            column("match", "match", "", all, |l: &KwicLine| {
                Value::Mark(l.matched.clone())
            }),
            column("right", "right", "", all, |l: &KwicLine| {
                Value::Text(l.right.clone())
            }),
            column("at", "at", "", all, |l: &KwicLine| {
                Value::Text(l.at.clone().unwrap_or_default())
            }),
        ],
    )
}

/// Documents per value of one facet; `title` names the facet.
pub fn facet_counts<'a, 'r>(title: &str) -> TableSpec<'a, (&'r String, &'r u64)> {
    let all = Media::ALL;
    TableSpec::new(
        "facet",
        vec![
            column("value", title, "", all, |r: &(&String, &u64)| {
                Value::Text(r.0.clone())
            }),
            column(
                "documents",
                "documents",
                "num",
                all,
                |r: &(&String, &u64)| Value::Int(*r.1),
            ),
        ],
    )
}
