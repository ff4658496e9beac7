//! The `compare` and `stats` commands: flags → requests, statistics → table, JSON or CSV.

use std::io::{self, Write};

use mediawatch::escape::{spreadsheet, terminal};
use mediawatch::index;
use mediawatch::stats::counts::{TermMode, Unit};
use mediawatch::stats::keyness::{KeyTerm, Keyness, KeynessOptions};
use mediawatch::stats::scan::{GroupBy, Subset};
use mediawatch::stats::timeline::{Interval, Timeline};
use std::sync::Arc;

use mediawatch::registry::{EntityRegistry, FrameRegistry};
use mediawatch::report::tables::{keyness_row, KEYNESS_COLUMNS};
use mediawatch::stats::entities::EntityStats;
use mediawatch::stats::frames::FrameStats;
use mediawatch::stats::terms::TermStats;
use mediawatch::stats::{self, CompareItems, CompareRequest, StatsError};

use super::args::{
    CompareArgs, IntervalArg, ListArgs, ResultFormat, StatsArgs, StatsKind, UnitArg,
};
use super::{output, search::filters, Failure, UsageError};

pub(super) fn group_by(name: &str) -> Result<GroupBy, Failure> {
    GroupBy::parse(name).ok_or_else(|| {
        UsageError(format!(
            "--by {name}: expected one of category, outlet, lang, medium"
        ))
        .into()
    })
}

pub(super) fn stats_failure(error: StatsError) -> Failure {
    match error {
        StatsError::UnknownGroup { .. } => UsageError(error.to_string()).into(),
        StatsError::Search(
            mediawatch::search::SearchError::Query(_)
            | mediawatch::search::SearchError::Filter(_)
            | mediawatch::search::SearchError::BadDate { .. },
        ) => UsageError(error.to_string()).into(),
        other => other.into(),
    }
}

fn entity_list(lists: &ListArgs) -> Result<Arc<EntityRegistry>, Failure> {
    EntityRegistry::load(&lists.entity_list)
        .map(Arc::new)
        .map_err(|e| UsageError(format!("{e} (pass --entity-list FILE)")).into())
}

fn frame_list(lists: &ListArgs) -> Result<Arc<FrameRegistry>, Failure> {
    FrameRegistry::load(&lists.frame_list)
        .map(Arc::new)
        .map_err(|e| UsageError(format!("{e} (pass --frame-list FILE)")).into())
}

/// Runs `compare`.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let request = CompareRequest {
        subset: Subset {
            query: {
                super::warn_about_query(&args.query);
                args.query.clone()
            },
            filters: filters(&args.filters, &args.index)?,
        },
        by: group_by(&args.by)?,
        target: args.target.clone(),
        reference: args.reference.clone(),
        mode: if args.plain {
            TermMode::Plain
        } else if args.no_stem {
            TermMode::Unstemmed
        } else {
            TermMode::Analyzed
        },
        ngram: usize::from(args.ngram),
        keep_stopwords: args.keep_stopwords || args.plain,
        options: KeynessOptions {
            unit: match args.unit {
                UnitArg::Token => Unit::Token,
                UnitArg::Document => Unit::Document,
            },
            top: args.top,
            min_freq: args.min_freq,
            balance_outlets: args.balance_outlets,
            ..KeynessOptions::default()
        },
    };
    let items = if args.entities {
        CompareItems::Entities(entity_list(&args.lists)?)
    } else if args.frames {
        CompareItems::Frames(frame_list(&args.lists)?)
    } else {
        CompareItems::Terms
    };
    let index = index::open_nonempty(&args.index)?;
    index::verify(&index, &args.index)?;
    let keyness = stats::compare_items(&index, &request, &items).map_err(stats_failure)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        ResultFormat::Json => output::json(&mut out, &keyness),
        ResultFormat::Csv => keyness_csv(&mut out, &keyness),
        ResultFormat::Table => keyness_table(&mut out, &keyness),
    };
    Ok(output::finish(written, out)?)
}

/// `compare --format csv`: the report's keyness columns without its rank column, so the two
/// stay one format.
fn keyness_csv(out: &mut impl Write, keyness: &Keyness) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(&KEYNESS_COLUMNS[1..])?;
    for (i, term) in keyness.terms.iter().enumerate() {
        writer.write_record(&keyness_row(i + 1, term)[1..])?;
    }
    writer.flush()
}

fn stars(p: f64) -> &'static str {
    if p < 0.0001 {
        "****"
    } else if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

fn key_rows(terms: &[&KeyTerm]) -> Vec<Vec<String>> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                terminal(&t.term),
                terminal(&t.forms.join(", ")),
                t.target_freq.to_string(),
                t.reference_freq.to_string(),
                format!("{:.1}", t.g2),
                format!("{}{}", stars(t.p), if t.bonferroni { "B" } else { "" }),
                format!("{:.2}", t.log_ratio),
                format!("{:.2}", t.log_odds_z),
                format!("{}/{}", t.target_outlets, t.reference_outlets),
                format!("{:.2}", t.dp),
                if t.dominated {
                    "yes".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

fn keyness_table(out: &mut impl Write, k: &Keyness) -> io::Result<()> {
    writeln!(
        out,
        "target: {} ({} documents, {} tokens)   reference: {} ({} documents, {} tokens)   unit: {}",
        terminal(&k.target.label),
        k.target.documents,
        k.target.tokens,
        terminal(&k.reference.label),
        k.reference.documents,
        k.reference.tokens,
        k.unit
    )?;
    writeln!(
        out,
        "{} terms tested; Bonferroni threshold p < {:.2e} (B). * p<0.05 ** p<0.01 *** p<0.001 **** p<0.0001",
        k.terms_tested, k.bonferroni_threshold
    )?;
    let header = [
        "#",
        "term",
        "forms",
        "freq T",
        "freq R",
        "G²",
        "sig",
        "LogRatio",
        "log-odds z",
        "outlets T/R",
        "DP",
        "dominated",
    ];
    for (direction, title) in [
        ("target", &k.target.label),
        ("reference", &k.reference.label),
    ] {
        writeln!(out, "\nKey terms of {}:", terminal(title))?;
        let terms: Vec<&KeyTerm> = k
            .terms
            .iter()
            .filter(|t| t.direction == direction)
            .collect();
        output::table(out, &header, &key_rows(&terms))?;
    }
    Ok(())
}

/// Runs `stats`.
pub fn run(args: StatsArgs) -> Result<(), Failure> {
    let subset = Subset {
        query: {
            super::warn_about_query(&args.query);
            args.query.clone()
        },
        filters: filters(&args.filters, &args.index)?,
    };
    let index = index::open_nonempty(&args.index)?;
    index::verify(&index, &args.index)?;
    let by = group_by(&args.by)?;
    let interval = match args.interval {
        IntervalArg::Hour => Interval::Hour,
        IntervalArg::Day => Interval::Day,
        IntervalArg::Week => Interval::Week,
        IntervalArg::Month => Interval::Month,
        IntervalArg::Year => Interval::Year,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.kind {
        StatsKind::Terms => {
            let terms = stats::terms(
                &index,
                &subset,
                by,
                TermMode::Analyzed,
                args.top,
                &args.term,
                interval,
            )
            .map_err(stats_failure)?;
            match args.format {
                ResultFormat::Json => output::json(&mut out, &terms),
                ResultFormat::Csv => terms_csv(&mut out, &terms),
                ResultFormat::Table => terms_table(&mut out, &terms),
            }
        }
        StatsKind::Timeline => {
            let (timeline, _) = stats::timeline(&index, &subset, by, interval, args.min_gap)
                .map_err(stats_failure)?;
            match args.format {
                ResultFormat::Json => output::json(&mut out, &timeline),
                ResultFormat::Csv => timeline_csv(&mut out, &timeline),
                ResultFormat::Table => timeline_table(&mut out, &timeline),
            }
        }
        StatsKind::Entities => {
            let registry = entity_list(&args.lists)?;
            let entities =
                stats::entities(&index, &subset, by, registry, 50).map_err(stats_failure)?;
            match args.format {
                ResultFormat::Json => output::json(&mut out, &entities),
                ResultFormat::Csv => entities_csv(&mut out, &entities),
                ResultFormat::Table => entities_table(&mut out, &entities),
            }
        }
        StatsKind::Frames => {
            let registry = frame_list(&args.lists)?;
            let frames =
                stats::frames(&index, &subset, by, registry, interval).map_err(stats_failure)?;
            match args.format {
                ResultFormat::Json => output::json(&mut out, &frames),
                ResultFormat::Csv => frames_csv(&mut out, &frames),
                ResultFormat::Table => frames_table(&mut out, &frames),
            }
        }
    };
    Ok(output::finish(written, out)?)
}

fn timeline_csv(out: &mut impl Write, timeline: &Timeline) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(["group", "bucket", "documents", "tokens"])?;
    for (group, series) in &timeline.groups {
        for (bucket, v) in series {
            writer.write_record([
                spreadsheet(group),
                bucket.clone(),
                v.documents.to_string(),
                v.tokens.to_string(),
            ])?;
        }
    }
    writer.flush()
}

fn timeline_table(out: &mut impl Write, timeline: &Timeline) -> io::Result<()> {
    let groups: Vec<&String> = timeline.groups.keys().collect();
    let buckets: Vec<&String> = timeline
        .groups
        .values()
        .next()
        .map(|s| s.keys().collect())
        .unwrap_or_default();
    let mut header = vec!["bucket".to_string()];
    header.extend(groups.iter().map(|g| format!("{} docs", terminal(g))));
    let rows: Vec<Vec<String>> = buckets
        .iter()
        .map(|bucket| {
            let mut row = vec![(*bucket).clone()];
            for group in &groups {
                let docs = timeline.groups[*group]
                    .get(*bucket)
                    .map_or(0, |v| v.documents);
                row.push(docs.to_string());
            }
            row
        })
        .collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    output::table(out, &header_refs, &rows)?;
    if let Some(note) = timeline.off_timeline_note() {
        writeln!(out, "\n{note}.")?;
    }
    if !timeline.gaps.is_empty() {
        writeln!(
            out,
            "\nGaps (runs of days without output inside the active range):"
        )?;
        let rows: Vec<Vec<String>> = timeline
            .gaps
            .iter()
            .map(|g| {
                vec![
                    g.scope.clone(),
                    terminal(&g.name),
                    terminal(&g.group),
                    g.from.clone(),
                    g.to.clone(),
                    g.days.to_string(),
                ]
            })
            .collect();
        output::table(
            out,
            &["scope", "name", "group", "from", "to", "days"],
            &rows,
        )?;
    }
    Ok(())
}

fn entities_csv(out: &mut impl Write, stats: &EntityStats) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record([
        "group",
        "entity",
        "name",
        "type",
        "mentions",
        "documents",
        "share_of_voice",
    ])?;
    for group in &stats.groups {
        for e in &group.entities {
            writer.write_record([
                spreadsheet(&group.label),
                spreadsheet(&e.id),
                spreadsheet(&e.name),
                spreadsheet(&e.kind),
                e.mentions.to_string(),
                e.documents.to_string(),
                format!("{:.4}", e.share_of_voice),
            ])?;
        }
    }
    writer.flush()
}

fn entities_table(out: &mut impl Write, stats: &EntityStats) -> io::Result<()> {
    for group in &stats.groups {
        writeln!(
            out,
            "{} ({} documents, {} tokens):",
            terminal(&group.label),
            group.documents,
            group.tokens
        )?;
        let rows: Vec<Vec<String>> = group
            .entities
            .iter()
            .map(|e| {
                vec![
                    terminal(&e.name),
                    terminal(&e.kind),
                    e.mentions.to_string(),
                    e.documents.to_string(),
                    format!("{:.1}", e.share_of_voice * 100.0),
                ]
            })
            .collect();
        output::table(
            out,
            &[
                "entity",
                "type",
                "mentions",
                "documents",
                "share of voice %",
            ],
            &rows,
        )?;
        writeln!(out)?;
    }
    let pairs: Vec<Vec<String>> = stats
        .co_mentions
        .iter()
        .take(15)
        .map(|p| vec![terminal(&p.a), terminal(&p.b), p.documents.to_string()])
        .collect();
    writeln!(out, "Most co-mentioned pairs:")?;
    output::table(out, &["entity", "entity", "documents"], &pairs)?;
    let unknown: Vec<Vec<String>> = stats
        .unknown_names
        .iter()
        .take(25)
        .map(|u| vec![terminal(&u.forms.join(", ")), u.count.to_string()])
        .collect();
    writeln!(
        out,
        "\nCapitalized names not in the gazetteer (candidates to add):"
    )?;
    output::table(out, &["name (spellings)", "count"], &unknown)
}

fn frames_csv(out: &mut impl Write, stats: &FrameStats) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record([
        "frame",
        "group",
        "bucket",
        "documents",
        "documents_with_hit",
        "share",
    ])?;
    for s in &stats.shares {
        writer.write_record([
            spreadsheet(&s.frame),
            spreadsheet(&s.group),
            "all".to_string(),
            s.documents.to_string(),
            s.documents_with_hit.to_string(),
            format!("{:.4}", s.share),
        ])?;
    }
    for p in &stats.series {
        writer.write_record([
            spreadsheet(&p.frame),
            spreadsheet(&p.group),
            p.bucket.clone(),
            p.documents.to_string(),
            p.documents_with_hit.to_string(),
            format!("{:.4}", p.share),
        ])?;
    }
    writer.flush()
}

fn frames_table(out: &mut impl Write, stats: &FrameStats) -> io::Result<()> {
    let rows: Vec<Vec<String>> = stats
        .shares
        .iter()
        .map(|s| {
            vec![
                terminal(&s.frame),
                terminal(&s.group),
                s.documents_with_hit.to_string(),
                s.documents.to_string(),
                format!("{:.1}", s.share * 100.0),
                s.hits.to_string(),
                terminal(&s.forms.join(", ")),
            ]
        })
        .collect();
    output::table(
        out,
        &[
            "frame",
            "group",
            "docs with hit",
            "documents",
            "share %",
            "hits",
            "most frequent matches",
        ],
        &rows,
    )
}

fn terms_csv(out: &mut impl Write, stats: &TermStats) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(["group", "term", "forms", "freq", "documents", "per_million"])?;
    for group in &stats.groups {
        for t in &group.terms {
            writer.write_record([
                spreadsheet(&group.label),
                spreadsheet(&t.term),
                spreadsheet(&t.forms.join("|")),
                t.freq.to_string(),
                t.documents.to_string(),
                format!("{:.3}", t.per_million),
            ])?;
        }
    }
    writer.flush()
}

fn terms_table(out: &mut impl Write, stats: &TermStats) -> io::Result<()> {
    for group in &stats.groups {
        writeln!(
            out,
            "{} ({} documents, {} tokens):",
            terminal(&group.label),
            group.documents,
            group.tokens
        )?;
        let rows: Vec<Vec<String>> = group
            .terms
            .iter()
            .map(|t| {
                vec![
                    terminal(&t.term),
                    terminal(&t.forms.join(", ")),
                    t.freq.to_string(),
                    t.documents.to_string(),
                    format!("{:.1}", t.per_million),
                ]
            })
            .collect();
        output::table(
            out,
            &["term", "forms", "freq", "documents", "per million"],
            &rows,
        )?;
        writeln!(out)?;
    }
    if !stats.series.is_empty() {
        let rows: Vec<Vec<String>> = stats
            .series
            .iter()
            .map(|p| {
                vec![
                    terminal(&p.term),
                    terminal(&p.group),
                    p.bucket.clone(),
                    p.freq.to_string(),
                    format!("{:.1}", p.per_million),
                ]
            })
            .collect();
        output::table(
            out,
            &["term", "group", "bucket", "freq", "per million"],
            &rows,
        )?;
    }
    Ok(())
}
