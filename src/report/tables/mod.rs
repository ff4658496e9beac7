//! Every table of the reports and of the commands, described once ([`TableSpec`]): the
//! report's document tables, its `tables/*.csv` files, the CSV output of `compare`, `stats` and
//! `search` and the terminal tables all come from these descriptions. Here: the tables that
//! appear in more than one place; [`report`] has the report's own, [`commands`] those only a
//! command prints.
//!
//! Each table is a list of columns, one line each ([`TableSpec::of`] and its typed column
//! builders: the style follows from the value). Two tables with similar columns (e.g. `stats
//! entities`' figures and the report's `entities.csv`) still read alike line by line
//! (`duplicates` lists a few such runs): they are different tables of different row types
//! whose column names and order are pinned by the golden outputs.

pub mod attention;
pub mod commands;
pub mod copies;
pub mod dynamics;
pub mod report;

use crate::report::data::EntityPair;
use crate::report::table::{column, digits, Media, TableSpec, Value};
use crate::stats::entities::UnknownName;
use crate::stats::frames::{FramePoint, FrameShare};
use crate::stats::keyness::{KeyTerm, Side};
use crate::stats::timeline::{Gap, Timeline, Volume};

pub use report::{colours, csv_files};

/// A group's colour in reports (`None`: no colour, e.g. on the terminal).
pub type Colours<'a> = dyn Fn(&str) -> Option<&'static str> + 'a;

/// A key term with its rank in its direction (1 = top).
pub type Ranked<'r> = (usize, &'r KeyTerm);

/// Key terms (or entities, frames: `item` names the column): the same columns as
/// `compare --format csv`, with the rank first.
pub fn keyness<'a, 'r>(item: &str, target: &str, reference: &str) -> TableSpec<'a, Ranked<'r>> {
    let (files, reading) = (Media::FILES, Media::READING);
    let (per_million, measure, lr) = (digits(3, 1, 1), digits(4, 2, 1), digits(4, 2, 2));
    TableSpec::of("keyness")
        .int("rank", "#", |r: &Ranked| r.0 as u64)
        .optional(2)
        .text("term", item, |r| &r.1.term)
        .forms("forms", "forms", |r| &r.1.forms)
        .text("direction", "direction", |r| r.1.direction.name())
        .media(Media::DATA)
        .int("target_freq", format!("freq {target}"), |r| r.1.target_freq)
        .short("freq T")
        .int("reference_freq", format!("freq {reference}"), |r| {
            r.1.reference_freq
        })
        .short("freq R")
        .float(
            "target_per_million",
            format!("per million {target}"),
            per_million,
            |r| r.1.target_per_million,
        )
        .media(files)
        .float(
            "reference_per_million",
            format!("per million {reference}"),
            per_million,
            |r| r.1.reference_per_million,
        )
        .media(files)
        .float("g2", "G²", measure, |r| r.1.g2)
        .value("p", "p", "num", |r| Value::Sci(r.1.p, digits(6, 2, 2)))
        .media(files)
        .value("sig", "sig", "", |r| Value::Stars(r.1.p, r.1.bonferroni))
        .media(Media::TERMINAL)
        .value("bonferroni", "Bonf.", "", |r| Value::YesNo(r.1.bonferroni))
        .media(files)
        .value("q", "q (BH)", "num", |r| Value::Sci(r.1.q, digits(6, 2, 1)))
        .float("log_ratio", "Log Ratio", lr, |r| r.1.log_ratio)
        .short("LogRatio")
        .float("log_ratio_low", "LR 95% low", lr, |r| r.1.log_ratio_low)
        .media(files)
        .float("log_ratio_high", "LR 95% high", lr, |r| r.1.log_ratio_high)
        .media(files)
        // In a narrow terminal the conservative Log Ratio goes last of all: Log Ratio and
        // q still say how large and how sure a difference is.
        .float("lrc", "LRC", lr, |r| r.1.lrc)
        .optional(1)
        .value("pct_diff", "%DIFF", "num", |r| {
            Value::MaybeFloat(r.1.pct_diff, digits(2, 2, 2))
        })
        .media(Media::DATA)
        .float("log_odds_z", "log-odds z", lr, |r| r.1.log_odds_z)
        .media(Media::DATA_TERMINAL)
        .optional(6)
        .int("target_outlets", "target outlets", |r| {
            r.1.target_outlets as u64
        })
        .media(Media::DATA)
        .int("reference_outlets", "reference outlets", |r| {
            r.1.reference_outlets as u64
        })
        .media(Media::DATA)
        .value("outlets", "outlets T/R", "num", |r| {
            Value::Ratio(r.1.target_outlets as u64, r.1.reference_outlets as u64)
        })
        .media(reading)
        .optional(5)
        .float("dp", "DP", lr, |r| r.1.dp)
        .optional(4)
        .value("dominated", "dominated", "", |r| Value::Flag(r.1.dominated))
        .optional(3)
}

/// The key terms of `direction`, ranked.
pub fn ranked(terms: &[KeyTerm], direction: Side) -> Vec<Ranked<'_>> {
    terms
        .iter()
        .filter(|t| t.direction == direction)
        .enumerate()
        .map(|(i, t)| (i + 1, t))
        .collect()
}

/// A group label, with its colour in reports when `colour` knows it.
pub(crate) fn group(colour: &Colours, label: &str) -> Value {
    Value::Group(label.to_string(), colour(label))
}

/// Silences of groups and outlets.
pub fn gaps<'a>(colour: &'a Colours<'a>) -> TableSpec<'a, Gap> {
    TableSpec::of("gaps")
        .text("scope", "scope", |g: &Gap| g.scope.name())
        .optional(1)
        .text("name", "name", |g| &g.name)
        .value("group", "group", "", move |g| group(colour, &g.group))
        .text("from", "from", |g| &g.from)
        .text("to", "to", |g| &g.to)
        .int("days", "days", |g| g.days)
}

/// One group's volume in one bucket.
pub type VolumeRow<'r> = (&'r str, &'r str, Volume);

/// Documents and tokens per group and bucket, one row each.
pub fn volumes<'a, 'r>() -> TableSpec<'a, VolumeRow<'r>> {
    TableSpec::of("volumes")
        .text("group", "group", |r: &VolumeRow| r.0)
        .text("bucket", "bucket", |r| r.1)
        .int("documents", "documents", |r| r.2.documents)
        .int("tokens", "tokens", |r| r.2.tokens)
}

/// Frame shares per group. The terminal lists documents with a hit before all documents, as
/// `stats frames` always has; files list them after.
pub fn frame_shares<'a>(colour: &'a Colours<'a>) -> TableSpec<'a, FrameShare> {
    TableSpec::of("frames")
        .text("frame", "frame", |s: &FrameShare| &s.frame)
        .value("group", "group", "", move |s| group(colour, &s.group))
        .int("hit", "docs with hit", |s| s.documents_with_hit)
        .media(Media::TERMINAL)
        .int("documents", "documents", |s| s.documents)
        .int("documents_with_hit", "with a hit", |s| s.documents_with_hit)
        .media(Media::FILES)
        .share("share", "share", |s| s.share)
        .short("share %")
        .int("hits", "hits", |s| s.hits)
        .forms("forms", "most frequent matches", |s| &s.forms)
}

// Repeated shape: a table described column by column, as every `TableSpec` is (data).
/// Frame shares per group and bucket.
pub fn frame_series<'a>() -> TableSpec<'a, FramePoint> {
    TableSpec::of("frame-series")
        .text("frame", "frame", |p: &FramePoint| &p.frame)
        .text("group", "group", |p| &p.group)
        .text("bucket", "bucket", |p| &p.bucket)
        .int("documents", "documents", |p| p.documents)
        .int("documents_with_hit", "with a hit", |p| p.documents_with_hit)
        .share("share", "share", |p| p.share)
}

/// Entities mentioned in the same documents: names in reports, ids on the terminal.
pub fn co_mentions<'a>() -> TableSpec<'a, EntityPair> {
    let (files, ids) = (Media::FILES, Media::DATA_TERMINAL);
    TableSpec::of("pairs")
        .text("entity_a", "entity id", |p: &EntityPair| &p.a)
        .media(ids)
        .short("entity")
        .text("name_a", "entity", |p| &p.a_name)
        .media(files)
        .text("entity_b", "entity id", |p| &p.b)
        .media(ids)
        .short("entity")
        .text("name_b", "entity", |p| &p.b_name)
        .media(files)
        .int("documents", "documents mentioning both", |p| p.documents)
        .short("documents")
}

/// Capitalized names missing from the gazetteer (the terminal shows their spellings only).
pub fn candidates<'a>() -> TableSpec<'a, UnknownName> {
    TableSpec::of("candidates")
        .text("name", "name (analyzed)", |u: &UnknownName| &u.name)
        .media(Media::FILES)
        .forms("spellings", "spellings", |u| &u.forms)
        .short("name (spellings)")
        .int("occurrences", "occurrences", |u| u.count)
        .short("count")
}

/// Documents (and, in reports, tokens) of each of `labels` per bucket of `timeline`, one row
/// per bucket.
pub fn buckets<'a>(timeline: &'a Timeline, labels: &[&str]) -> TableSpec<'a, String> {
    let volume = move |label: String| {
        move |bucket: &String| {
            timeline
                .groups
                .get(&label)
                .and_then(|s| s.get(bucket))
                .copied()
                .unwrap_or_default()
        }
    };
    let name = timeline.interval.name();
    let mut columns = vec![column("bucket", name, "", Media::READING, |b: &String| {
        Value::Text(b.clone())
    })
    .short("bucket")];
    // On a narrow terminal the last groups' columns go first.
    for (place, label) in labels.iter().enumerate() {
        let of = volume(label.to_string());
        let documents = move |b: &String| Value::Int(of(b).documents);
        columns.push(
            column(
                "documents",
                format!("{label} documents"),
                "num",
                Media::READING,
                documents,
            )
            .short(format!("{label} docs"))
            .optional(u8::try_from(place + 1).unwrap_or(u8::MAX)),
        );
    }
    if let Some(totals) = &timeline.totals {
        // A query's timeline: each group's matches next to its whole output.
        for label in labels {
            let series = totals.get(*label);
            let all = move |b: &String| {
                Value::Int(series.and_then(|s| s.get(b)).map_or(0, |v| v.documents))
            };
            columns.push(
                column(
                    "documents_all",
                    format!("{label} documents, all"),
                    "num",
                    Media::READING,
                    all,
                )
                .short(format!("{label} all")),
            );
        }
    }
    for label in labels {
        let of = volume(label.to_string());
        let tokens = move |b: &String| Value::Int(of(b).tokens);
        columns.push(column(
            "tokens",
            format!("{label} tokens"),
            "num",
            Media::DOCUMENT,
            tokens,
        ));
    }
    TableSpec::new("timeline", columns)
}
