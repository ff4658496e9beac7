//! Every table of the reports and of the commands, described once ([`TableSpec`]): the
//! report's document tables, its `tables/*.csv` files, the CSV output of `compare`, `stats` and
//! `search` and the terminal tables all come from these descriptions. Here: the tables that
//! appear in more than one place; [`report`] has the report's own, [`commands`] those only a
//! command prints.
//!
//! Repeated shapes here are chosen (`duplicates` lists them): a column is a key, a title, a
//! style, its media and an accessor, so two tables with similar columns (e.g. `stats
//! entities`' figures and the report's `entities.csv`, frame shares and frame series) look
//! alike line by line. They are different tables of different row types whose column names
//! and order are pinned by the golden outputs; merging them would need a column list
//! parameterized beyond readability.

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
    let (all, files, reading) = (Media::ALL, Media::FILES, Media::READING);
    TableSpec::new(
        "keyness",
        vec![
            column("rank", "#", "num", all, |r: &Ranked| Value::Int(r.0 as u64)).optional(2),
            column("term", item, "", all, |r: &Ranked| {
                Value::Text(r.1.term.clone())
            }),
            column("forms", "forms", "", all, |r: &Ranked| {
                Value::Forms(r.1.forms.clone())
            }),
            column("direction", "direction", "", Media::DATA, |r: &Ranked| {
                Value::Text(r.1.direction.name().to_string())
            }),
            column(
                "target_freq",
                format!("freq {target}"),
                "num",
                all,
                |r: &Ranked| Value::Int(r.1.target_freq),
            )
            .short("freq T"),
            column(
                "reference_freq",
                format!("freq {reference}"),
                "num",
                all,
                |r: &Ranked| Value::Int(r.1.reference_freq),
            )
            .short("freq R"),
            column(
                "target_per_million",
                format!("per million {target}"),
                "num",
                files,
                |r: &Ranked| Value::Float(r.1.target_per_million, digits(3, 1, 1)),
            ),
            column(
                "reference_per_million",
                format!("per million {reference}"),
                "num",
                files,
                |r: &Ranked| Value::Float(r.1.reference_per_million, digits(3, 1, 1)),
            ),
            column("g2", "G²", "num", all, |r: &Ranked| {
                Value::Float(r.1.g2, digits(4, 2, 1))
            }),
            column("p", "p", "num", files, |r: &Ranked| {
                Value::Sci(r.1.p, digits(6, 2, 2))
            }),
            column("sig", "sig", "", Media::TERMINAL, |r: &Ranked| {
                Value::Stars(r.1.p, r.1.bonferroni)
            }),
            column("bonferroni", "Bonf.", "", files, |r: &Ranked| {
                Value::YesNo(r.1.bonferroni)
            }),
            column("q", "q (BH)", "num", all, |r: &Ranked| {
                Value::Sci(r.1.q, digits(6, 2, 1))
            }),
            column("log_ratio", "Log Ratio", "num", all, |r: &Ranked| {
                Value::Float(r.1.log_ratio, digits(4, 2, 2))
            })
            .short("LogRatio"),
            column("log_ratio_low", "LR 95% low", "num", files, |r: &Ranked| {
                Value::Float(r.1.log_ratio_low, digits(4, 2, 2))
            }),
            column(
                "log_ratio_high",
                "LR 95% high",
                "num",
                files,
                |r: &Ranked| Value::Float(r.1.log_ratio_high, digits(4, 2, 2)),
            ),
            // In a narrow terminal the conservative Log Ratio goes last of all: Log Ratio and
            // q still say how large and how sure a difference is.
            column("lrc", "LRC", "num", all, |r: &Ranked| {
                Value::Float(r.1.lrc, digits(4, 2, 2))
            })
            .optional(1),
            column("pct_diff", "%DIFF", "num", Media::DATA, |r: &Ranked| {
                Value::MaybeFloat(r.1.pct_diff, digits(2, 2, 2))
            }),
            column(
                "log_odds_z",
                "log-odds z",
                "num",
                Media::DATA_TERMINAL,
                |r: &Ranked| Value::Float(r.1.log_odds_z, digits(4, 2, 2)),
            )
            .optional(6),
            column(
                "target_outlets",
                "target outlets",
                "num",
                Media::DATA,
                |r: &Ranked| Value::Int(r.1.target_outlets as u64),
            ),
            column(
                "reference_outlets",
                "reference outlets",
                "num",
                Media::DATA,
                |r: &Ranked| Value::Int(r.1.reference_outlets as u64),
            ),
            column("outlets", "outlets T/R", "num", reading, |r: &Ranked| {
                Value::Ratio(r.1.target_outlets as u64, r.1.reference_outlets as u64)
            })
            .optional(5),
            column("dp", "DP", "num", all, |r: &Ranked| {
                Value::Float(r.1.dp, digits(4, 2, 2))
            })
            .optional(4),
            column("dominated", "dominated", "", all, |r: &Ranked| {
                Value::Flag(r.1.dominated)
            })
            .optional(3),
        ],
    )
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
    let all = Media::ALL;
    TableSpec::new(
        "gaps",
        vec![
            column("scope", "scope", "", all, |g: &Gap| {
                Value::Text(g.scope.name().to_string())
            })
            .optional(1),
            column("name", "name", "", all, |g: &Gap| {
                Value::Text(g.name.clone())
            }),
            column("group", "group", "", all, move |g: &Gap| {
                group(colour, &g.group)
            }),
            column("from", "from", "", all, |g: &Gap| {
                Value::Text(g.from.clone())
            }),
            column("to", "to", "", all, |g: &Gap| Value::Text(g.to.clone())),
            column("days", "days", "num", all, |g: &Gap| Value::Int(g.days)),
        ],
    )
}

/// One group's volume in one bucket.
pub type VolumeRow<'r> = (&'r str, &'r str, Volume);

/// Documents and tokens per group and bucket, one row each.
pub fn volumes<'a, 'r>() -> TableSpec<'a, VolumeRow<'r>> {
    let all = Media::ALL;
    TableSpec::new(
        "volumes",
        vec![
            column("group", "group", "", all, |r: &VolumeRow| {
                Value::Text(r.0.to_string())
            }),
            column("bucket", "bucket", "", all, |r: &VolumeRow| {
                Value::Text(r.1.to_string())
            }),
            column("documents", "documents", "num", all, |r: &VolumeRow| {
                Value::Int(r.2.documents)
            }),
            column("tokens", "tokens", "num", all, |r: &VolumeRow| {
                Value::Int(r.2.tokens)
            }),
        ],
    )
}

/// Frame shares per group. The terminal lists documents with a hit before all documents, as
/// `stats frames` always has; files list them after.
pub fn frame_shares<'a>(colour: &'a Colours<'a>) -> TableSpec<'a, FrameShare> {
    let (all, files) = (Media::ALL, Media::FILES);
    TableSpec::new(
        "frames",
        vec![
            column("frame", "frame", "", all, |s: &FrameShare| {
                Value::Text(s.frame.clone())
            }),
            column("group", "group", "", all, move |s: &FrameShare| {
                group(colour, &s.group)
            }),
            column(
                "hit",
                "docs with hit",
                "num",
                Media::TERMINAL,
                |s: &FrameShare| Value::Int(s.documents_with_hit),
            ),
            column("documents", "documents", "num", all, |s: &FrameShare| {
                Value::Int(s.documents)
            }),
            column(
                "documents_with_hit",
                "with a hit",
                "num",
                files,
                |s: &FrameShare| Value::Int(s.documents_with_hit),
            ),
            column("share", "share", "num", all, |s: &FrameShare| {
                Value::Share(s.share)
            })
            .short("share %"),
            column("hits", "hits", "num", all, |s: &FrameShare| {
                Value::Int(s.hits)
            }),
            column(
                "forms",
                "most frequent matches",
                "",
                all,
                |s: &FrameShare| Value::Forms(s.forms.clone()),
            ),
        ],
    )
}

/// Frame shares per group and bucket.
pub fn frame_series<'a>() -> TableSpec<'a, FramePoint> {
    let all = Media::ALL;
    TableSpec::new(
        "frame-series",
        vec![
            column("frame", "frame", "", all, |p: &FramePoint| {
                Value::Text(p.frame.clone())
            }),
            column("group", "group", "", all, |p: &FramePoint| {
                Value::Text(p.group.clone())
            }),
            column("bucket", "bucket", "", all, |p: &FramePoint| {
                Value::Text(p.bucket.clone())
            }),
            column("documents", "documents", "num", all, |p: &FramePoint| {
                Value::Int(p.documents)
            }),
            column(
                "documents_with_hit",
                "with a hit",
                "num",
                all,
                |p: &FramePoint| Value::Int(p.documents_with_hit),
            ),
            column("share", "share", "num", all, |p: &FramePoint| {
                Value::Share(p.share)
            }),
        ],
    )
}

/// Entities mentioned in the same documents: names in reports, ids on the terminal.
pub fn co_mentions<'a>() -> TableSpec<'a, EntityPair> {
    let (files, ids) = (Media::FILES, Media::DATA_TERMINAL);
    TableSpec::new(
        "pairs",
        vec![
            column("entity_a", "entity id", "", ids, |p: &EntityPair| {
                Value::Text(p.a.clone())
            })
            .short("entity"),
            column("name_a", "entity", "", files, |p: &EntityPair| {
                Value::Text(p.a_name.clone())
            }),
            column("entity_b", "entity id", "", ids, |p: &EntityPair| {
                Value::Text(p.b.clone())
            })
            .short("entity"),
            column("name_b", "entity", "", files, |p: &EntityPair| {
                Value::Text(p.b_name.clone())
            }),
            column(
                "documents",
                "documents mentioning both",
                "num",
                Media::ALL,
                |p: &EntityPair| Value::Int(p.documents),
            )
            .short("documents"),
        ],
    )
}

/// Capitalized names missing from the gazetteer (the terminal shows their spellings only).
pub fn candidates<'a>() -> TableSpec<'a, UnknownName> {
    let files = Media::FILES;
    TableSpec::new(
        "candidates",
        vec![
            column("name", "name (analyzed)", "", files, |u: &UnknownName| {
                Value::Text(u.name.clone())
            }),
            column(
                "spellings",
                "spellings",
                "",
                Media::ALL,
                |u: &UnknownName| Value::Forms(u.forms.clone()),
            )
            .short("name (spellings)"),
            column(
                "occurrences",
                "occurrences",
                "num",
                Media::ALL,
                |u: &UnknownName| Value::Int(u.count),
            )
            .short("count"),
        ],
    )
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
