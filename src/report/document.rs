//! The report as one format-neutral [`Document`]: [`ReportData`] in, sections of blocks out —
//! written once here and rendered by the HTML and Markdown backends.

use crate::report::charts::{self, CHART_ENTITIES, CHART_TERMS, FRAME_TIME_FILES};
use crate::report::data::{ReportData, Setting};
use crate::report::doc::{text, Block, Card, Document, Inline, Section};
use crate::report::dynamics_document::{attention, change, copies};
use crate::report::prose::summary;
use crate::report::svg;
use crate::report::table::Medium;
use crate::report::tables;
use crate::stats::keyness::{Keyness, Side};

/// The report's document.
pub fn document(data: &ReportData) -> Document {
    let k = &data.keyness;
    Document {
        title: data.title.clone(),
        lede: vec![
            Inline::Text("A mediawatch report comparing ".into()),
            Inline::Strong(k.target.label.clone()),
            Inline::Text(" with ".into()),
            Inline::Strong(k.reference.label.clone()),
            Inline::Text(format!(
                " (grouped by {}). Everything shown here is also in ",
                data.question.by
            )),
            Inline::Code("data.json".into()),
            Inline::Text(" and ".into()),
            Inline::Code("tables/*.csv".into()),
            Inline::Text(" next to this file.".into()),
        ],
        sections: SECTIONS
            .iter()
            .map(|(id, title, blocks)| Section {
                id,
                title: title.to_string(),
                blocks: blocks(data),
            })
            .collect(),
    }
}

/// What one section of the report holds.
type SectionOf = fn(&ReportData) -> Vec<Block>;

/// The report's sections in order: id (the HTML anchor), title and contents.
const SECTIONS: [(&str, &str, SectionOf); 14] = [
    ("glance", "At a glance", glance),
    ("question", "The question", question),
    ("overview", "Corpus overview", overview),
    ("timeline", "Timeline and gaps", timeline),
    ("attention", "Attention on the timeline", attention),
    ("keyness", "Key terms", keyness),
    ("change", "What changed", change),
    ("languages", "Language mix", languages),
    ("examples", "Example passages", examples),
    ("copies", "Copies and talking points", copies),
    ("entities", "Entities", entities),
    ("frames", "Frames", frames),
    ("methods", "Methods", methods),
    ("provenance", "Provenance", provenance),
];

fn figure(chart: &str, caption: String) -> Block {
    Block::Figure {
        chart: chart.to_string(),
        caption,
    }
}

/// A group's colour swatch.
fn swatch(data: &ReportData, label: &str) -> Inline {
    Inline::Swatch(svg::colour(data.group_position(label)).to_string())
}

fn glance(data: &ReportData) -> Vec<Block> {
    let cards = data
        .overview
        .groups
        .iter()
        .map(|g| Card {
            colour: svg::colour(data.group_position(&g.label)).to_string(),
            title: g.label.clone(),
            tag: g.role.name().to_string(),
            figure: g.documents.to_string(),
            note: format!(
                "documents from {} outlets, {} active days",
                g.outlets.len(),
                g.active_days
            ),
        })
        .collect();
    vec![
        Block::Cards(cards),
        Block::List {
            class: Some("glance"),
            items: summary(data).into_iter().map(text).collect(),
        },
    ]
}

fn question(data: &ReportData) -> Vec<Block> {
    let q = &data.question;
    let k = &data.keyness;
    let mut filters = Vec::new();
    for (i, f) in q.filters.iter().enumerate() {
        if i > 0 {
            filters.push(Inline::Text("; ".into()));
        }
        filters.push(Inline::Text(format!("{} = ", f.name)));
        filters.push(Inline::Code(f.value.clone()));
    }
    if filters.is_empty() {
        filters = text("none");
    }
    let period = match (&data.overview.days.first_day, &data.overview.days.last_day) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no documents".to_string(),
    };
    let groups = vec![
        swatch(data, &k.target.label),
        Inline::Strong(k.target.label.clone()),
        Inline::Text(" (target) vs ".into()),
        swatch(data, &k.reference.label),
        Inline::Strong(k.reference.label.clone()),
        Inline::Text(format!(" (reference), grouped by {}", q.by)),
    ];
    vec![Block::Definitions(vec![
        ("Groups".into(), groups),
        ("Query".into(), vec![Inline::Code(q.query.clone())]),
        ("Filters".into(), filters),
        ("Period covered".into(), text(period)),
        (
            "Timeline".into(),
            text(format!(
                "documents per {}, days in {}, gaps of at least {} days",
                q.interval, q.timezone, q.min_gap_days
            )),
        ),
        (
            "Key terms".into(),
            text(format!(
                "top {} per direction among terms with combined frequency ≥ {}",
                q.top, q.min_freq
            )),
        ),
        ("Copies".into(), text(q.copies.sentence())),
    ])]
}

fn overview(data: &ReportData) -> Vec<Block> {
    let colour = tables::colours(data);
    let mut blocks = vec![
        Block::paragraph(text(format!(
            "{} documents in the subset.",
            data.overview.documents
        ))),
        Block::Table(
            tables::report::groups(&colour).table(Medium::Document, &data.overview.groups),
        ),
    ];
    for (heading, column, dimension) in [
        ("Documents by outlet", "outlet", "outlet"),
        ("Documents by language", "language", "lang"),
        ("Documents by medium", "medium", "medium"),
    ] {
        let rows: Vec<_> = data
            .overview
            .groups
            .iter()
            .flat_map(|g| tables::report::count_rows(g, dimension))
            .collect();
        blocks.push(Block::heading(3, text(heading)));
        blocks.push(Block::Table(
            tables::report::counts(column).table(Medium::Document, &rows),
        ));
    }
    blocks
}

fn timeline(data: &ReportData) -> Vec<Block> {
    let q = &data.question;
    let caption = if data.group_gaps().next().is_some() {
        format!(
            "Documents per {} and group. Shaded: runs of at least {} days in which a whole group published nothing inside its active range. The table below lists these gaps, and those of single outlets.",
            q.interval, q.min_gap_days
        )
    } else {
        format!(
            "Documents per {} and group. No whole group was silent for {} days or more; gaps of single outlets are listed below.",
            q.interval, q.min_gap_days
        )
    };
    let mut blocks = Vec::new();
    let partial = data.partial_buckets();
    let caption = if partial.is_empty() {
        caption
    } else {
        let (plural, starts) = match partial.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                ("s", format!("{} and {last}", rest.join(", ")))
            }
            _ => ("", partial.join("")),
        };
        format!(
            "{caption} Not drawn: the {}{plural} starting {starts}, only partly inside the days covered (fewer days, not less output); the table lists their counts.",
            q.interval
        )
    };
    if let Some(note) = &q.interval_note {
        let note = vec![
            Inline::Strong("Note:".into()),
            Inline::Text(format!(" {note}")),
        ];
        blocks.push(Block::paragraph(note));
    }
    blocks.push(figure("timeline.svg", caption));
    blocks.push(Block::heading(3, text("Gaps")));
    if data.timeline.gaps.is_empty() {
        blocks.push(Block::paragraph(text(format!(
            "No group or outlet was silent for {} days or more inside its active range.",
            q.min_gap_days
        ))));
    } else {
        let colour = tables::colours(data);
        blocks.push(Block::Table(
            tables::gaps(&colour).table(Medium::Document, &data.timeline.gaps),
        ));
    }
    let labels = data.group_labels();
    let buckets: Vec<&String> = charts::bucket_labels(&data.timeline);
    let table = tables::buckets(&data.timeline, &labels).table(Medium::Document, buckets);
    blocks.push(Block::Details {
        summary: text(format!(
            "Data table: documents and tokens per {} ({} rows)",
            q.interval,
            table.rows.len()
        )),
        blocks: vec![Block::Table(table)],
    });
    blocks
}

/// Keyness tables of both directions, each under a heading of `level` naming its group.
fn keyness_tables(
    data: &ReportData,
    k: &Keyness,
    item: &str,
    level: u8,
    anchor: Option<&str>,
) -> Vec<Block> {
    let spec = tables::keyness(item, &k.target.label, &k.reference.label);
    let mut blocks = Vec::new();
    for direction in Side::BOTH {
        let label = match direction {
            Side::Target => &k.target.label,
            Side::Reference => &k.reference.label,
        };
        blocks.push(Block::Heading {
            level,
            id: anchor.map(|a| format!("{a}-{direction}")),
            text: vec![
                swatch(data, label),
                Inline::Text(format!("Over-used by {label}")),
            ],
        });
        let rows = tables::ranked(&k.terms, direction);
        blocks.push(spec.table_or(&rows, format!("No {item} passed the minimum frequency.")));
    }
    blocks
}

fn keyness(data: &ReportData) -> Vec<Block> {
    let k = &data.keyness;
    let mut blocks = vec![
        Block::paragraph(vec![
            Inline::Text("Terms one side uses significantly more often than the other, relative to its size. ".into()),
            Inline::Strong(k.target.label.clone()),
            Inline::Text(format!(
                ": {} documents, {} tokens. ",
                k.target.documents, k.target.tokens
            )),
            Inline::Strong(k.reference.label.clone()),
            Inline::Text(format!(
                ": {} documents, {} tokens. {} terms tested; Bonferroni threshold p < {:.3e}. {}",
                k.reference.documents,
                k.reference.tokens,
                k.terms_tested,
                k.bonferroni_threshold,
                crate::report::views::significance_line(k)
            )),
        ]),
        figure(
            "keyness.svg",
            format!(
                "Top {CHART_TERMS} key terms per direction (ranked by G²), labelled by their most frequent word form; bar length is the Log Ratio. The tables below are the full text alternative."
            ),
        ),
    ];
    blocks.extend(keyness_tables(data, k, "term", 3, Some("keyness")));
    blocks.push(Block::note(text("term: the counted word, shown as its lemma or most frequent form (paste it into search to find its documents); forms: its most frequent word forms; per million: relative frequency; Bonf.: significant after Bonferroni correction; q (BH): Benjamini–Hochberg false discovery rate; LRC: conservative Log Ratio (95% interval bound closer to 0); outlets T/R: outlets of the target and of the reference using the term; DP: Gries' dispersion over the target's outlets (0 = even); dominated: one outlet gives more than half of the over-using group's hits. Definitions under Methods.")));
    blocks
}

fn languages(data: &ReportData) -> Vec<Block> {
    vec![
        figure(
            "language_mix.svg",
            "Share of each group's documents per detected language. Groups writing in different languages differ in vocabulary for that reason alone.".into(),
        ),
        Block::Table(tables::report::language_mix().table(Medium::Document, &data.language_mix)),
    ]
}

fn examples(data: &ReportData) -> Vec<Block> {
    if let Some(reason) = data.left_out("examples") {
        return vec![Block::paragraph(text(format!("Left out. {reason}")))];
    }
    let mut blocks = vec![Block::note(text(
        "For the top key terms of each side: passages from documents spread over the period, oldest first.",
    ))];
    let spec = tables::report::passages();
    let mut current = None;
    for e in &data.examples {
        if current != Some(e.direction) {
            current = Some(e.direction);
            blocks.push(Block::heading(
                3,
                vec![
                    swatch(data, &e.group),
                    Inline::Text(format!("Over-used by {}", e.group)),
                ],
            ));
        }
        blocks.push(Block::heading(
            4,
            vec![
                Inline::Text(format!("{}. {} ", e.rank, e.form)),
                Inline::Span {
                    class: "note",
                    tooltip: None,
                    content: vec![
                        Inline::Text("(term ".into()),
                        Inline::Code(e.term.clone()),
                        Inline::Text(format!(", in {} documents)", e.documents)),
                    ],
                },
            ],
        ));
        if e.lines.is_empty() {
            blocks.push(Block::note(text("No passage found.")));
            continue;
        }
        let rows: Vec<_> = e.lines.iter().map(|l| (e, l)).collect();
        blocks.push(Block::Table(spec.table(Medium::Document, &rows)));
    }
    blocks
}

/// The sentence above entity or frame keyness tables, and the tables.
fn item_keyness(data: &ReportData, keyness: Option<&Keyness>, item: &str) -> Vec<Block> {
    let Some(k) = keyness else {
        return Vec::new();
    };
    let (items, counts) = if item == "entity" {
        ("entities", "mentions")
    } else {
        ("frames", "hits")
    };
    let mut blocks = vec![Block::paragraph(text(format!(
        "{} {items} tested (combined count ≥ {}); Bonferroni threshold p < {:.3e}. {} Counts are {item} {counts} against all counted tokens, so the measures read as for terms.",
        k.terms_tested, data.question.min_freq, k.bonferroni_threshold,
        crate::report::views::significance_line(k)
    )))];
    blocks.extend(keyness_tables(data, k, item, 4, None));
    blocks
}

fn entities(data: &ReportData) -> Vec<Block> {
    let e = &data.entities;
    if let Some(missing) = &e.source.missing {
        return vec![Block::paragraph(text(missing.clone()))];
    }
    let mut sentence = vec![
        Inline::Text("Mentions of the entities listed in ".into()),
        Inline::Code(e.source.list.clone()),
        Inline::Text(". ".into()),
    ];
    for (i, g) in e.groups.iter().enumerate() {
        if i > 0 {
            sentence.push(Inline::Text("; ".into()));
        }
        sentence.push(Inline::Strong(g.group.clone()));
        sentence.push(Inline::Text(format!(
            ": {} mentions in {} documents",
            g.mentions, g.documents
        )));
    }
    sentence.push(Inline::Text(".".into()));
    let mut blocks = vec![
        Block::paragraph(sentence),
        figure(
            "entities.svg",
            format!(
                "Share of voice: each entity's share of all entity mentions in the group, for the {CHART_ENTITIES} most mentioned entities. The table below lists every entity mentioned."
            ),
        ),
    ];
    let spec = tables::report::entities(&data.group_labels());
    blocks.push(spec.table_or(&e.entities, "No entity of the list is mentioned."));
    blocks.push(anchored(3, "entities-keyness", "Key entities"));
    blocks.extend(item_keyness(data, e.keyness.as_ref(), "entity"));
    blocks.push(anchored(3, "entities-pairs", "Co-mentioned pairs"));
    blocks.push(tables::co_mentions().table_or(
        &e.co_mentions,
        "No two entities are mentioned in the same document.",
    ));
    blocks.push(anchored(
        3,
        "entities-candidates",
        "Candidates for the gazetteer",
    ));
    blocks.push(Block::note(text("Capitalized names not at the start of a sentence that match no alias, most frequent first: names the list may be missing (and some false alarms).")));
    blocks.push(tables::candidates().table_or(&e.unknown_names, "None found."));
    blocks
}

fn anchored(level: u8, id: &str, title: &str) -> Block {
    Block::Heading {
        level,
        id: Some(id.to_string()),
        text: text(title),
    }
}

fn frames(data: &ReportData) -> Vec<Block> {
    let f = &data.frames;
    if let Some(missing) = &f.source.missing {
        return vec![Block::paragraph(text(missing.clone()))];
    }
    let colour = tables::colours(data);
    let mut blocks = vec![
        Block::paragraph(vec![
            Inline::Text("Frames are word lists from ".into()),
            Inline::Code(f.source.list.clone()),
            Inline::Text(
                "; a document shows a frame when it has at least one hit.".into(),
            ),
        ]),
        figure(
            "frames.svg",
            "Share of each group's documents with at least one hit of each frame. The table below also gives hits and the most frequent matches.".into(),
        ),
        Block::Table(tables::frame_shares(&colour).table(Medium::Document, &f.shares)),
        anchored(3, "frames-time", "Frames over time"),
    ];
    if f.over_time.is_empty() {
        blocks.push(Block::paragraph(text("No frame has a hit.")));
    } else {
        blocks.push(Block::paragraph(text(format!(
            "The {} frames whose shares differ most between {} and {}.",
            f.over_time.len(),
            data.keyness.target.label,
            data.keyness.reference.label
        ))));
    }
    for (gap, file) in f.over_time.iter().zip(FRAME_TIME_FILES) {
        blocks.push(figure(
            file,
            format!(
                "{}: share of each group's documents per {} with a hit ({:.1}% vs {:.1}% overall). Lines break where a group published nothing; shading marks the timeline's gaps.",
                gap.frame,
                data.question.interval,
                gap.target_share * 100.0,
                gap.reference_share * 100.0
            ),
        ));
    }
    blocks.push(anchored(3, "frames-keyness", "Key frames"));
    blocks.extend(item_keyness(data, f.keyness.as_ref(), "frame"));
    blocks
}

fn settings(items: &[Setting]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|s| (s.name.clone(), s.value.clone()))
        .collect()
}

fn methods(data: &ReportData) -> Vec<Block> {
    let m = &data.methods;
    vec![
        Block::paragraph(text("For a term: a = frequency in the target, b = in the reference, c and d = total tokens of target and reference.")),
        Block::pairs(["measure", "definition"], "methods", settings(&m.measures)),
        Block::pairs(["significance", "threshold"], "methods", settings(&m.thresholds)),
        Block::heading(3, text("Analysis settings")),
        Block::pairs(["setting", "value"], "methods", settings(&m.analysis)),
        Block::heading(3, text("Caveats")),
        Block::List {
            class: None,
            items: m.caveats.iter().cloned().map(text).collect(),
        },
    ]
}

fn provenance(data: &ReportData) -> Vec<Block> {
    let p = &data.provenance;
    let mut pairs = vec![
        (
            "mediawatch".to_string(),
            text(format!("version {}", p.version)),
        ),
        (
            "Index".to_string(),
            vec![
                Inline::Text(format!("{} documents, fingerprint ", p.index_documents)),
                Inline::Code(p.index_fingerprint.clone()),
            ],
        ),
        (
            "Command".to_string(),
            vec![Inline::Code(p.command_line.clone())],
        ),
    ];
    if let Some(at) = &p.generated_at {
        pairs.push(("Generated".to_string(), text(at.clone())));
    }
    vec![Block::Definitions(pairs)]
}
