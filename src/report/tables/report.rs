//! The report's own tables: the overview, example passages, entity figures — and every CSV
//! file of a report ([`csv_files`]).

use std::io;

use super::{
    candidates, co_mentions, frame_series, frame_shares, gaps, group, keyness, ranked, volumes,
    Colours, Ranked,
};
use crate::report::data::{
    EntityRow, EntityShare, Example, ExampleLine, GroupSummary, LanguageShare, ReportData,
};
use crate::report::doc::{self, Inline};
use crate::report::svg;
use crate::report::table::{column, Media, TableSpec, Value};
use crate::stats::keyness::{Keyness, Side};

/// Each group's documents per language.
pub fn language_mix<'a>() -> TableSpec<'a, LanguageShare> {
    let files = Media::FILES;
    TableSpec::new(
        "languages",
        vec![
            column("group", "group", "", files, |l: &LanguageShare| {
                Value::Text(l.group.clone())
            }),
            column("lang", "language", "", files, |l: &LanguageShare| {
                Value::Text(l.lang.clone())
            }),
            column(
                "documents",
                "documents",
                "num",
                files,
                |l: &LanguageShare| Value::Int(l.documents),
            ),
            column(
                "share",
                "share of group",
                "num",
                files,
                |l: &LanguageShare| Value::Share(l.share),
            ),
        ],
    )
}

/// The overview's groups (reports only; the CSV has [`overview_rows`]).
pub fn groups<'a>(colour: &'a Colours<'a>) -> TableSpec<'a, GroupSummary> {
    let doc = Media::DOCUMENT;
    let day = |d: &Option<String>| Value::Text(d.clone().unwrap_or_default());
    TableSpec::new(
        "overview",
        vec![
            column("group", "group", "", doc, move |g: &GroupSummary| {
                group(colour, &g.label)
            }),
            column("role", "role", "", doc, |g: &GroupSummary| {
                Value::Text(g.role.name().to_string())
            }),
            column("documents", "documents", "num", doc, |g: &GroupSummary| {
                Value::Int(g.documents)
            }),
            column("tokens", "tokens", "num", doc, |g: &GroupSummary| {
                Value::Int(g.tokens)
            }),
            column("outlets", "outlets", "num", doc, |g: &GroupSummary| {
                Value::Int(g.outlets.len() as u64)
            }),
            column(
                "first_day",
                "first day",
                "",
                doc,
                move |g: &GroupSummary| day(&g.first_day),
            ),
            column("last_day", "last day", "", doc, move |g: &GroupSummary| {
                day(&g.last_day)
            }),
            column(
                "active_days",
                "active days",
                "num",
                doc,
                |g: &GroupSummary| Value::Int(g.active_days),
            ),
        ],
    )
}

/// One count of one group: (group, role, dimension, value, documents, of how many).
pub type CountRow = (String, &'static str, &'static str, String, u64, u64);

/// The overview as counts: each group's total and its documents per outlet, language and
/// medium, each with its share of the group (of the subset for the total).
pub fn counts<'a>(dimension: &str) -> TableSpec<'a, CountRow> {
    let (files, data) = (Media::FILES, Media::DATA);
    TableSpec::new(
        "counts",
        vec![
            column("group", "group", "", files, |r: &CountRow| {
                Value::Text(r.0.clone())
            }),
            column("role", "role", "", data, |r: &CountRow| {
                Value::Text(r.1.to_string())
            }),
            column("dimension", "dimension", "", data, |r: &CountRow| {
                Value::Text(r.2.to_string())
            }),
            column("value", dimension, "", files, |r: &CountRow| {
                Value::Text(r.3.clone())
            }),
            column("documents", "documents", "num", files, |r: &CountRow| {
                Value::Int(r.4)
            }),
            column("share", "share of group", "num", files, |r: &CountRow| {
                Value::Percent(r.4, r.5)
            }),
        ],
    )
}

/// The count rows of one group and dimension (`outlet`, `lang` or `medium`).
pub fn count_rows(g: &GroupSummary, dimension: &'static str) -> Vec<CountRow> {
    let counts = match dimension {
        "outlet" => &g.outlets,
        "lang" => &g.langs,
        _ => &g.media,
    };
    counts
        .iter()
        .map(|c| {
            let row = (g.label.clone(), g.role.name(), dimension, c.value.clone());
            (row.0, row.1, row.2, row.3, c.documents, g.documents)
        })
        .collect()
}

/// Every group's overview counts: its total, then per outlet, language and medium.
pub fn overview_rows(data: &ReportData) -> Vec<CountRow> {
    let mut rows = Vec::new();
    for g in &data.overview.groups {
        rows.push((
            g.label.clone(),
            g.role.name(),
            "total",
            String::new(),
            g.documents,
            data.overview.documents,
        ));
        for dimension in ["outlet", "lang", "medium"] {
            rows.extend(count_rows(g, dimension));
        }
    }
    rows
}

/// A passage with the example it illustrates.
pub type PassageRow<'r> = (&'r Example, &'r ExampleLine);

/// Example passages: keyword-in-context lines with their sources.
pub fn passages<'a, 'r>() -> TableSpec<'a, PassageRow<'r>> {
    let (all, data, doc) = (Media::FILES, Media::DATA, Media::DOCUMENT);
    TableSpec::new(
        "kwic",
        vec![
            column("direction", "direction", "", data, |r: &PassageRow| {
                Value::Text(r.0.direction.name().to_string())
            }),
            column("group", "group", "", data, |r: &PassageRow| {
                Value::Text(r.0.group.clone())
            }),
            column("rank", "rank", "", data, |r: &PassageRow| {
                Value::Int(r.0.rank as u64)
            }),
            column("term", "term", "", data, |r: &PassageRow| {
                Value::Text(r.0.term.clone())
            }),
            column("form", "form", "", data, |r: &PassageRow| {
                Value::Text(r.0.form.clone())
            }),
            column(
                "documents_with_term",
                "documents",
                "",
                data,
                |r: &PassageRow| Value::Int(r.0.documents),
            ),
            column("outlet", "outlet", "", data, |r: &PassageRow| {
                Value::Text(r.1.outlet.clone())
            }),
            column("day", "day", "num", all, |r: &PassageRow| {
                Value::Text(r.1.day.clone())
            }),
            column("source", "outlet, title", "", doc, |r: &PassageRow| {
                Value::Rich(vec![
                    Inline::Text(r.1.outlet.clone()),
                    Inline::Span {
                        class: "title",
                        tooltip: Some(r.1.id.clone()),
                        content: doc::text(r.1.title.clone()),
                    },
                ])
            }),
            column("id", "id", "", data, |r: &PassageRow| {
                Value::Text(r.1.id.clone())
            }),
            column("title", "title", "", data, |r: &PassageRow| {
                Value::Text(r.1.title.clone())
            }),
            column("left", "", "left", all, |r: &PassageRow| {
                Value::Text(r.1.left.clone())
            }),
            column("match", "match", "", all, |r: &PassageRow| {
                Value::Mark(r.1.matched.clone())
            }),
            column("right", "", "right", all, |r: &PassageRow| {
                Value::Text(r.1.right.clone())
            }),
        ],
    )
}

/// Entities with their mentions and share of voice in each of `labels` (reports only; the
/// CSV has [`entity_shares`]).
pub fn entities<'a>(labels: &[&str]) -> TableSpec<'a, EntityRow> {
    let doc = Media::DOCUMENT;
    let mut columns = vec![
        column("entity", "entity", "", doc, |e: &EntityRow| {
            Value::Rich(vec![
                Inline::Text(format!("{} ", e.name)),
                Inline::Span {
                    class: "note",
                    tooltip: None,
                    content: doc::text(format!("({})", e.id)),
                },
            ])
        }),
        column("type", "type", "", doc, |e: &EntityRow| {
            Value::Text(e.kind.clone())
        }),
    ];
    for (i, label) in labels.iter().enumerate() {
        let share = |i: usize| move |e: &EntityRow| e.groups.get(i).cloned();
        let mentions = share(i);
        columns.push(column(
            "mentions",
            format!("mentions {label}"),
            "num",
            doc,
            move |e| Value::Int(mentions(e).map_or(0, |g| g.mentions)),
        ));
        let voice = share(i);
        columns.push(column(
            "share",
            format!("share of voice {label}"),
            "num",
            doc,
            move |e| Value::Share(voice(e).map_or(0.0, |g| g.share_of_voice)),
        ));
    }
    columns.push(column(
        "documents",
        "documents",
        "num",
        doc,
        |e: &EntityRow| Value::Int(e.documents),
    ));
    TableSpec::new("entities", columns)
}

/// An entity's figures in one group.
pub type EntityShareRow<'r> = (&'r EntityRow, &'r EntityShare);

/// Entity figures per group, one row each.
pub fn entity_shares<'a, 'r>() -> TableSpec<'a, EntityShareRow<'r>> {
    let data = Media::DATA;
    TableSpec::new(
        "entity-shares",
        vec![
            column("entity", "entity", "", data, |r: &EntityShareRow| {
                Value::Text(r.0.id.clone())
            }),
            column("name", "name", "", data, |r: &EntityShareRow| {
                Value::Text(r.0.name.clone())
            }),
            column("type", "type", "", data, |r: &EntityShareRow| {
                Value::Text(r.0.kind.clone())
            }),
            column("group", "group", "", data, |r: &EntityShareRow| {
                Value::Text(r.1.group.clone())
            }),
            column("mentions", "mentions", "num", data, |r: &EntityShareRow| {
                Value::Int(r.1.mentions)
            }),
            column(
                "documents",
                "documents",
                "num",
                data,
                |r: &EntityShareRow| Value::Int(r.1.documents),
            ),
            column(
                "share_of_voice",
                "share of voice",
                "num",
                data,
                |r: &EntityShareRow| Value::Share(r.1.share_of_voice),
            ),
        ],
    )
}

/// The report's colour of a group, for tables.
pub fn colours(data: &ReportData) -> impl Fn(&str) -> Option<&'static str> + '_ {
    |label| Some(svg::colour(data.group_position(label)))
}

/// Every CSV file of a report as (file name, bytes), in a fixed order.
pub fn csv_files(data: &ReportData) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    let colour = colours(data);
    let k = &data.keyness;
    fn key(keyness: Option<&Keyness>, direction: Side) -> Vec<Ranked<'_>> {
        keyness.map_or_else(Vec::new, |k| ranked(&k.terms, direction))
    }
    let keyness_spec = || keyness("term", &k.target.label, &k.reference.label);
    let mut timeline = Vec::new();
    for label in data.group_labels() {
        if let Some(series) = data.timeline.groups.get(label) {
            for (bucket, v) in series {
                timeline.push((label, bucket.as_str(), *v));
            }
        }
    }
    let mut passages_rows = Vec::new();
    for e in &data.examples {
        passages_rows.extend(e.lines.iter().map(|l| (e, l)));
    }
    let mut entity_rows = Vec::new();
    for e in &data.entities.entities {
        entity_rows.extend(e.groups.iter().map(|g| (e, g)));
    }
    let frame_keyness = data.frames.keyness.as_ref();
    let mut frame_rows = key(frame_keyness, Side::Target);
    frame_rows.extend(key(frame_keyness, Side::Reference));
    let entity_keyness = data.entities.keyness.as_ref();
    let mut files = vec![
        ("overview.csv", counts("value").csv(&overview_rows(data))?),
        ("timeline.csv", volumes().csv(&timeline)?),
        ("gaps.csv", gaps(&colour).csv(&data.timeline.gaps)?),
        (
            "keyness_target.csv",
            keyness_spec().csv(&ranked(&k.terms, Side::Target))?,
        ),
        (
            "keyness_reference.csv",
            keyness_spec().csv(&ranked(&k.terms, Side::Reference))?,
        ),
        ("language_mix.csv", language_mix().csv(&data.language_mix)?),
        ("examples.csv", passages().csv(&passages_rows)?),
        ("entities.csv", entity_shares().csv(&entity_rows)?),
        (
            "entity_keyness_target.csv",
            keyness_spec().csv(&key(entity_keyness, Side::Target))?,
        ),
        (
            "entity_keyness_reference.csv",
            keyness_spec().csv(&key(entity_keyness, Side::Reference))?,
        ),
        (
            "co_mentions.csv",
            co_mentions().csv(&data.entities.co_mentions)?,
        ),
        (
            "gazetteer_candidates.csv",
            candidates().csv(&data.entities.unknown_names)?,
        ),
        (
            "frames.csv",
            frame_shares(&colour).csv(&data.frames.shares)?,
        ),
        ("frame_series.csv", frame_series().csv(&data.frames.series)?),
        ("frame_keyness.csv", keyness_spec().csv(&frame_rows)?),
    ];
    files.extend(super::dynamics::csv_files(data)?);
    Ok(files)
}
