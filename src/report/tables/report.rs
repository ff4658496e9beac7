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
use crate::report::table::{Media, TableSpec, Value};
use crate::stats::keyness::{Keyness, Side};

// Repeated shape: a table described column by column, as every `TableSpec` is (data).
/// Each group's documents per language.
pub fn language_mix<'a>() -> TableSpec<'a, LanguageShare> {
    TableSpec::of("languages")
        .text("group", "group", |l: &LanguageShare| &l.group)
        .text("lang", "language", |l| &l.lang)
        .int("documents", "documents", |l| l.documents)
        .share("share", "share of group", |l| l.share)
        .only_in(Media::FILES)
}

/// The overview's groups (reports only; the CSV has [`overview_rows`]).
pub fn groups<'a>(colour: &'a Colours<'a>) -> TableSpec<'a, GroupSummary> {
    TableSpec::of("overview")
        .value("group", "group", "", move |g: &GroupSummary| {
            group(colour, &g.label)
        })
        .text("role", "role", |g| g.role.name())
        .int("documents", "documents", |g| g.documents)
        .int("tokens", "tokens", |g| g.tokens)
        .int("outlets", "outlets", |g| g.outlets.len() as u64)
        .text("first_day", "first day", |g| {
            g.days.first_day.as_deref().unwrap_or_default()
        })
        .text("last_day", "last day", |g| {
            g.days.last_day.as_deref().unwrap_or_default()
        })
        .int("active_days", "active days", |g| g.active_days)
        .only_in(Media::DOCUMENT)
}

/// One count of one group: (group, role, dimension, value, documents, of how many).
pub type CountRow = (String, &'static str, &'static str, String, u64, u64);

/// The overview as counts: each group's total and its documents per outlet, language and
/// medium, each with its share of the group (of the subset for the total).
pub fn counts<'a>(dimension: &str) -> TableSpec<'a, CountRow> {
    let (files, data) = (Media::FILES, Media::DATA);
    TableSpec::of("counts")
        .text("group", "group", |r: &CountRow| &r.0)
        .media(files)
        .text("role", "role", |r| r.1)
        .media(data)
        .text("dimension", "dimension", |r| r.2)
        .media(data)
        .text("value", dimension, |r| &r.3)
        .media(files)
        .int("documents", "documents", |r| r.4)
        .media(files)
        .value("share", "share of group", "num", |r| {
            Value::Percent(r.4, r.5)
        })
        .media(files)
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
    let (files, data) = (Media::FILES, Media::DATA);
    TableSpec::of("kwic")
        .within(data, |t| {
            t.text("direction", "direction", |r: &PassageRow| {
                r.0.direction.name()
            })
            .text("group", "group", |r| &r.0.group)
            .int("rank", "rank", |r| r.0.rank as u64)
            .class("")
            .text("term", "term", |r| &r.0.term)
            .text("form", "form", |r| &r.0.form)
            .int("documents_with_term", "documents", |r| r.0.documents)
            .class("")
            .text("outlet", "outlet", |r| &r.1.outlet)
        })
        .text("day", "day", |r| &r.1.day)
        .class("num")
        .media(files)
        .value("source", "outlet, title", "", |r| {
            Value::Rich(vec![
                Inline::Text(r.1.outlet.clone()),
                Inline::Span {
                    class: "title",
                    tooltip: Some(r.1.id.clone()),
                    content: doc::text(r.1.title.clone()),
                },
            ])
        })
        .media(Media::DOCUMENT)
        .within(data, |t| {
            t.text("id", "id", |r| &r.1.id)
                .text("title", "title", |r| &r.1.title)
        })
        .within(files, |t| {
            t.text("left", "", |r| &r.1.left)
                .class("left")
                .value("match", "match", "", |r| Value::Mark(r.1.matched.clone()))
                .text("right", "", |r| &r.1.right)
                .class("right")
        })
}

/// Entities with their mentions and share of voice in each of `labels` (reports only; the
/// CSV has [`entity_shares`]).
pub fn entities<'a>(labels: &[&str]) -> TableSpec<'a, EntityRow> {
    let mut spec = TableSpec::of("entities")
        .value("entity", "entity", "", |e: &EntityRow| {
            Value::Rich(vec![
                Inline::Text(format!("{} ", e.name)),
                Inline::Span {
                    class: "note",
                    tooltip: None,
                    content: doc::text(format!("({})", e.id)),
                },
            ])
        })
        .text("type", "type", |e| &e.kind);
    for (i, label) in labels.iter().enumerate() {
        spec = spec
            .int("mentions", format!("mentions {label}"), move |e| {
                e.groups.get(i).map_or(0, |g| g.mentions)
            })
            .share("share", format!("share of voice {label}"), move |e| {
                e.groups.get(i).map_or(0.0, |g| g.share_of_voice)
            });
    }
    spec.int("documents", "documents", |e| e.documents)
        .only_in(Media::DOCUMENT)
}

/// An entity's figures in one group.
pub type EntityShareRow<'r> = (&'r EntityRow, &'r EntityShare);

/// Entity figures per group, one row each.
pub fn entity_shares<'a, 'r>() -> TableSpec<'a, EntityShareRow<'r>> {
    TableSpec::of("entity-shares")
        .text("entity", "entity", |r: &EntityShareRow| &r.0.id)
        .text("name", "name", |r| &r.0.name)
        .text("type", "type", |r| &r.0.kind)
        .text("group", "group", |r| &r.1.group)
        .int("mentions", "mentions", |r| r.1.mentions)
        .int("documents", "documents", |r| r.1.documents)
        .share("share_of_voice", "share of voice", |r| r.1.share_of_voice)
        .only_in(Media::DATA)
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
