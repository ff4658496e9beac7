//! The HTML report: [`ReportData`] and its charts in, one self-contained HTML page out —
//! inline CSS and inline SVG, no scripts, nothing fetched. Every text that comes from
//! documents or the command line is escaped with [`crate::escape::html`].

use std::fmt::Write as _;

use crate::escape::html as esc;
use crate::report::{fmt_p, summary, svg, Chart, ReportData};
use crate::stats::keyness::{KeyTerm, Keyness};

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 28px; line-height: 1.25; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
h4 { font-size: 14px; margin: 16px 0 4px; }
p, li { max-width: 78ch; }
.lede, .note { color: var(--muted); }
nav ol { columns: 2; padding-left: 20px; margin: 8px 0; }
nav a, a { color: #0b5cad; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 200px; }
.card .big { font-size: 24px; font-weight: 600; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
table.keyness td:nth-child(3) { min-width: 12em; }
dl.question { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.question dt { font-weight: 600; }
dl.question dd { margin: 0; }
figure { margin: 16px 0 8px; }
figcaption { color: var(--muted); font-size: 13px; max-width: 78ch; }
svg.chart { display: block; max-width: 100%; height: auto; }
details { margin: 4px 0 16px; }
details > summary { cursor: pointer; color: var(--muted); }
table.kwic td.left { text-align: right; color: var(--muted); }
table.kwic td.right { color: var(--muted); }
table.kwic .title { display: block; font-size: 12px; color: var(--muted); }
mark { background: #fde7b0; color: inherit; padding: 0 2px; border-radius: 2px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; background: var(--soft); padding: 1px 4px; border-radius: 4px; }
.flag { font-size: 12px; color: #8a3b00; }
@media print { nav { display: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"#;

/// A table: `classes[i]` is the CSS class of column `i` (`num` for numbers). Cells must
/// already be escaped HTML.
fn table(out: &mut String, class: &str, header: &[String], classes: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table class=\"{class}\"><thead><tr>"
    );
    for (i, h) in header.iter().enumerate() {
        let c = classes.get(i).copied().unwrap_or("");
        let _ = write!(out, "<th scope=\"col\" class=\"{c}\">{h}</th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let c = classes.get(i).copied().unwrap_or("");
            let _ = write!(out, "<td class=\"{c}\">{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| esc(n)).collect()
}

fn swatch(colour: &str) -> String {
    format!("<span class=\"swatch\" style=\"background:{colour}\"></span>")
}

fn figure(out: &mut String, chart: Option<&Chart>, caption: &str) {
    if let Some(chart) = chart {
        let _ = write!(
            out,
            "<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n",
            chart.svg,
            esc(caption)
        );
    }
}

fn key_rows(terms: &[&KeyTerm]) -> Vec<Vec<String>> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                esc(&t.term),
                esc(&t.forms.join(", ")),
                t.target_freq.to_string(),
                t.reference_freq.to_string(),
                format!("{:.1}", t.target_per_million),
                format!("{:.1}", t.reference_per_million),
                format!("{:.2}", t.g2),
                fmt_p(t.p),
                if t.bonferroni { "yes" } else { "no" }.to_string(),
                format!("{:.2}", t.log_ratio),
                format!("{}/{}", t.target_outlets, t.reference_outlets),
                format!("{:.2}", t.dp),
                if t.dominated {
                    "<span class=\"flag\">yes</span>".to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

/// Keyness tables of entities or frames in both directions (`noun` names the item).
fn item_keyness(out: &mut String, data: &ReportData, keyness: Option<&Keyness>, noun: &str) {
    let Some(k) = keyness else {
        return;
    };
    let _ = writeln!(
        out,
        "<p>{} {} tested (combined count ≥ {}); Bonferroni threshold p &lt; {:.3e}. Counts are {noun} {} against all counted tokens, so the measures read as for terms.</p>",
        k.terms_tested,
        if noun == "entity" { "entities" } else { "frames" },
        data.question.min_freq,
        k.bonferroni_threshold,
        if noun == "entity" { "mentions" } else { "hits" }
    );
    let header: Vec<String> = vec![
        "#".into(),
        esc(noun),
        "forms".into(),
        format!("freq {}", esc(&k.target.label)),
        format!("freq {}", esc(&k.reference.label)),
        format!("per million {}", esc(&k.target.label)),
        format!("per million {}", esc(&k.reference.label)),
        "G²".into(),
        "p".into(),
        "Bonf.".into(),
        "Log Ratio".into(),
        "outlets T/R".into(),
        "DP".into(),
        "dominated".into(),
    ];
    let classes = [
        "num", "", "", "num", "num", "num", "num", "num", "num", "", "num", "num", "num", "",
    ];
    for direction in ["target", "reference"] {
        let label = if direction == "target" {
            &k.target.label
        } else {
            &k.reference.label
        };
        let _ = writeln!(
            out,
            "<h4>{}Over-used by {}</h4>",
            swatch(svg::colour(data.group_position(label))),
            esc(label)
        );
        let items = ReportData::key_items(Some(k), direction);
        if items.is_empty() {
            let _ = writeln!(out, "<p>No {noun} passed the minimum frequency.</p>");
        } else {
            table(out, "keyness", &header, &classes, &key_rows(&items));
        }
    }
}

fn entities_section<'a>(
    out: &mut String,
    data: &ReportData,
    chart: &dyn Fn(&str) -> Option<&'a Chart>,
) {
    let e = &data.entities;
    out.push_str("<section id=\"entities\">\n<h2>Entities</h2>\n");
    if let Some(missing) = &e.missing {
        let _ = writeln!(out, "<p>{}</p>\n</section>", esc(missing));
        return;
    }
    let totals: Vec<String> = e
        .groups
        .iter()
        .map(|g| {
            format!(
                "<strong>{}</strong>: {} mentions in {} documents",
                esc(&g.group),
                g.mentions,
                g.documents
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "<p>Mentions of the entities listed in <code>{}</code>. {}.</p>",
        esc(&e.list),
        totals.join("; ")
    );
    figure(
        out,
        chart("entities.svg"),
        &format!(
            "Share of voice: each entity's share of all entity mentions in the group, for the {} most mentioned entities. The table below lists every entity mentioned.",
            super::CHART_ENTITIES
        ),
    );
    let labels = data.group_labels();
    let mut header = headers(&["entity", "type"]);
    let mut classes = vec!["", ""];
    for l in &labels {
        header.push(format!("mentions {}", esc(l)));
        header.push(format!("share of voice {}", esc(l)));
        classes.extend(["num", "num"]);
    }
    header.push("documents".to_string());
    classes.push("num");
    let rows: Vec<Vec<String>> = e
        .entities
        .iter()
        .map(|row| {
            let mut cells = vec![
                format!(
                    "{} <span class=\"note\">({})</span>",
                    esc(&row.name),
                    esc(&row.id)
                ),
                esc(&row.kind),
            ];
            for g in &row.groups {
                cells.push(g.mentions.to_string());
                cells.push(format!("{:.1}%", g.share_of_voice * 100.0));
            }
            cells.push(row.documents.to_string());
            cells
        })
        .collect();
    if rows.is_empty() {
        out.push_str("<p>No entity of the list is mentioned.</p>\n");
    } else {
        table(out, "entities", &header, &classes, &rows);
    }
    out.push_str("<h3 id=\"entities-keyness\">Key entities</h3>\n");
    item_keyness(out, data, e.keyness.as_ref(), "entity");
    out.push_str("<h3 id=\"entities-pairs\">Co-mentioned pairs</h3>\n");
    if e.co_mentions.is_empty() {
        out.push_str("<p>No two entities are mentioned in the same document.</p>\n");
    } else {
        let rows: Vec<Vec<String>> = e
            .co_mentions
            .iter()
            .map(|p| vec![esc(&p.a_name), esc(&p.b_name), p.documents.to_string()])
            .collect();
        table(
            out,
            "pairs",
            &headers(&["entity", "entity", "documents mentioning both"]),
            &["", "", "num"],
            &rows,
        );
    }
    out.push_str("<h3 id=\"entities-candidates\">Candidates for the gazetteer</h3>\n<p class=\"note\">Capitalized names not at the start of a sentence that match no alias, most frequent first: names the list may be missing (and some false alarms).</p>\n");
    if e.unknown_names.is_empty() {
        out.push_str("<p>None found.</p>\n");
    } else {
        let rows: Vec<Vec<String>> = e
            .unknown_names
            .iter()
            .map(|u| vec![esc(&u.name), esc(&u.forms.join(", ")), u.count.to_string()])
            .collect();
        table(
            out,
            "candidates",
            &headers(&["name (analyzed)", "spellings", "occurrences"]),
            &["", "", "num"],
            &rows,
        );
    }
    out.push_str("</section>\n");
}

fn frames_section(out: &mut String, data: &ReportData, charts: &[Chart]) {
    let f = &data.frames;
    out.push_str("<section id=\"frames\">\n<h2>Frames</h2>\n");
    if let Some(missing) = &f.missing {
        let _ = writeln!(out, "<p>{}</p>\n</section>", esc(missing));
        return;
    }
    let _ = writeln!(
        out,
        "<p>Frames are word lists from <code>{}</code>; a document shows a frame when it has at least one hit.</p>",
        esc(&f.list)
    );
    figure(
        out,
        charts.iter().find(|c| c.file == "frames.svg"),
        "Share of each group's documents with at least one hit of each frame. The table below also gives hits and the most frequent matches.",
    );
    let rows: Vec<Vec<String>> = f
        .shares
        .iter()
        .map(|s| {
            vec![
                esc(&s.frame),
                format!(
                    "{}{}",
                    swatch(svg::colour(data.group_position(&s.group))),
                    esc(&s.group)
                ),
                s.documents.to_string(),
                s.documents_with_hit.to_string(),
                format!("{:.1}%", s.share * 100.0),
                s.hits.to_string(),
                esc(&s.forms.join(", ")),
            ]
        })
        .collect();
    table(
        out,
        "frames",
        &headers(&[
            "frame",
            "group",
            "documents",
            "with a hit",
            "share",
            "hits",
            "most frequent matches",
        ]),
        &["", "", "num", "num", "num", "num", ""],
        &rows,
    );
    out.push_str("<h3 id=\"frames-time\">Frames over time</h3>\n");
    if f.over_time.is_empty() {
        out.push_str("<p>No frame has a hit.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<p>The {} frames whose shares differ most between {} and {}.</p>",
            f.over_time.len(),
            esc(&data.keyness.target.label),
            esc(&data.keyness.reference.label)
        );
    }
    for (gap, file) in f.over_time.iter().zip(super::FRAME_TIME_FILES) {
        figure(
            out,
            charts.iter().find(|c| c.file == file),
            &format!(
                "{}: share of each group's documents per {} with a hit ({:.1}% vs {:.1}% overall). Lines break where a group published nothing; shading marks the timeline's gaps.",
                gap.frame,
                data.question.interval,
                gap.target_share * 100.0,
                gap.reference_share * 100.0
            ),
        );
    }
    out.push_str("<h3 id=\"frames-keyness\">Key frames</h3>\n");
    item_keyness(out, data, f.keyness.as_ref(), "frame");
    out.push_str("</section>\n");
}

/// Renders the whole report as one HTML page.
pub fn render(data: &ReportData, charts: &[Chart]) -> String {
    let chart = |file: &str| charts.iter().find(|c| c.file == file);
    let q = &data.question;
    let k = &data.keyness;
    let colour = |label: &str| svg::colour(data.group_position(label));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"generator\" content=\"mediawatch {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&data.provenance.version),
        esc(&data.title)
    );
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"lede\">A mediawatch report comparing <strong>{}</strong> with <strong>{}</strong> (grouped by {}). Everything shown here is also in <code>data.json</code> and <code>tables/*.csv</code> next to this file.</p>\n</header>",
        esc(&data.title),
        esc(&k.target.label),
        esc(&k.reference.label),
        esc(&q.by)
    );
    out.push_str("<nav aria-label=\"Contents\"><ol>\n<li><a href=\"#glance\">At a glance</a></li>\n<li><a href=\"#question\">The question</a></li>\n<li><a href=\"#overview\">Corpus overview</a></li>\n<li><a href=\"#timeline\">Timeline and gaps</a></li>\n<li><a href=\"#keyness\">Key terms</a></li>\n<li><a href=\"#languages\">Language mix</a></li>\n<li><a href=\"#examples\">Example passages</a></li>\n<li><a href=\"#entities\">Entities</a></li>\n<li><a href=\"#frames\">Frames</a></li>\n<li><a href=\"#methods\">Methods</a></li>\n<li><a href=\"#provenance\">Provenance</a></li>\n</ol></nav>\n");

    // At a glance.
    out.push_str("<section id=\"glance\">\n<h2>At a glance</h2>\n<div class=\"cards\">\n");
    for g in &data.overview.groups {
        let _ = writeln!(
            out,
            "<div class=\"card\">{}<strong>{}</strong> <span class=\"note\">({})</span><div class=\"big\">{}</div><div class=\"note\">documents from {} outlets, {} active days</div></div>",
            swatch(colour(&g.label)),
            esc(&g.label),
            esc(&g.role),
            g.documents,
            g.outlets.len(),
            g.active_days
        );
    }
    out.push_str("</div>\n<ul class=\"glance\">\n");
    for line in summary(data) {
        let _ = writeln!(out, "<li>{}</li>", esc(&line));
    }
    out.push_str("</ul>\n</section>\n");

    // The question.
    out.push_str("<section id=\"question\">\n<h2>The question</h2>\n<dl class=\"question\">\n");
    let filters = if q.filters.is_empty() {
        "none".to_string()
    } else {
        q.filters
            .iter()
            .map(|f| format!("{} = <code>{}</code>", esc(&f.name), esc(&f.value)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let period = match (&data.overview.first_day, &data.overview.last_day) {
        (Some(a), Some(b)) => format!("{} to {}", esc(a), esc(b)),
        _ => "no documents".to_string(),
    };
    for (name, value) in [
        (
            "Groups",
            format!(
                "{}<strong>{}</strong> (target) vs {}<strong>{}</strong> (reference), grouped by {}",
                swatch(colour(&k.target.label)),
                esc(&k.target.label),
                swatch(colour(&k.reference.label)),
                esc(&k.reference.label),
                esc(&q.by)
            ),
        ),
        ("Query", format!("<code>{}</code>", esc(&q.query))),
        ("Filters", filters),
        ("Period covered", period),
        (
            "Timeline",
            format!(
                "documents per {}, days in {}, gaps of at least {} days",
                esc(&q.interval),
                esc(&q.timezone),
                q.min_gap_days
            ),
        ),
        (
            "Key terms",
            format!(
                "top {} per direction among terms with combined frequency ≥ {}",
                q.top, q.min_freq
            ),
        ),
    ] {
        let _ = writeln!(out, "<dt>{name}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n</section>\n");

    // Overview.
    let _ = writeln!(
        out,
        "<section id=\"overview\">\n<h2>Corpus overview</h2>\n<p>{} documents in the subset.</p>",
        data.overview.documents
    );
    let rows: Vec<Vec<String>> = data
        .overview
        .groups
        .iter()
        .map(|g| {
            vec![
                format!("{}{}", swatch(colour(&g.label)), esc(&g.label)),
                esc(&g.role),
                g.documents.to_string(),
                g.tokens.to_string(),
                g.outlets.len().to_string(),
                esc(g.first_day.as_deref().unwrap_or("")),
                esc(g.last_day.as_deref().unwrap_or("")),
                g.active_days.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        "overview",
        &headers(&[
            "group",
            "role",
            "documents",
            "tokens",
            "outlets",
            "first day",
            "last day",
            "active days",
        ]),
        &["", "", "num", "num", "num", "", "", "num"],
        &rows,
    );
    for (heading, column) in [
        ("Documents by outlet", "outlet"),
        ("Documents by language", "language"),
        ("Documents by medium", "medium"),
    ] {
        let mut rows = Vec::new();
        for g in &data.overview.groups {
            let counts = match column {
                "outlet" => &g.outlets,
                "language" => &g.langs,
                _ => &g.media,
            };
            for c in counts {
                rows.push(vec![
                    esc(&g.label),
                    esc(&c.value),
                    c.documents.to_string(),
                    format!(
                        "{:.1}%",
                        100.0 * c.documents as f64 / g.documents.max(1) as f64
                    ),
                ]);
            }
        }
        let _ = writeln!(out, "<h3>{heading}</h3>");
        table(
            &mut out,
            "counts",
            &headers(&["group", column, "documents", "share of group"]),
            &["", "", "num", "num"],
            &rows,
        );
    }
    out.push_str("</section>\n");

    // Timeline.
    out.push_str("<section id=\"timeline\">\n<h2>Timeline and gaps</h2>\n");
    if let Some(note) = &q.interval_note {
        let _ = writeln!(out, "<p><strong>Note:</strong> {}</p>", esc(note));
    }
    figure(
        &mut out,
        chart("timeline.svg"),
        &if data.group_gaps().next().is_some() {
            format!(
                "Documents per {} and group. Shaded: runs of at least {} days in which a whole group published nothing inside its active range. The table below lists these gaps, and those of single outlets.",
                q.interval, q.min_gap_days
            )
        } else {
            format!(
                "Documents per {} and group. No whole group was silent for {} days or more; gaps of single outlets are listed below.",
                q.interval, q.min_gap_days
            )
        },
    );
    out.push_str("<h3>Gaps</h3>\n");
    if data.timeline.gaps.is_empty() {
        let _ = writeln!(
            out,
            "<p>No group or outlet was silent for {} days or more inside its active range.</p>",
            q.min_gap_days
        );
    } else {
        let rows: Vec<Vec<String>> = data
            .timeline
            .gaps
            .iter()
            .map(|g| {
                vec![
                    esc(&g.scope),
                    esc(&g.name),
                    format!("{}{}", swatch(colour(&g.group)), esc(&g.group)),
                    esc(&g.from),
                    esc(&g.to),
                    g.days.to_string(),
                ]
            })
            .collect();
        table(
            &mut out,
            "gaps",
            &headers(&["scope", "name", "group", "from", "to", "days"]),
            &["", "", "", "", "", "num"],
            &rows,
        );
    }
    let labels = data.group_labels();
    let mut header = vec![esc(&q.interval)];
    header.extend(labels.iter().map(|l| format!("{} documents", esc(l))));
    header.extend(labels.iter().map(|l| format!("{} tokens", esc(l))));
    let buckets: Vec<&String> = data
        .timeline
        .groups
        .values()
        .next()
        .map(|s| s.keys().collect())
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = buckets
        .iter()
        .map(|b| {
            let volume = |l: &str| {
                data.timeline
                    .groups
                    .get(l)
                    .and_then(|s| s.get(*b))
                    .copied()
                    .unwrap_or_default()
            };
            let mut row = vec![esc(b)];
            row.extend(labels.iter().map(|l| volume(l).documents.to_string()));
            row.extend(labels.iter().map(|l| volume(l).tokens.to_string()));
            row
        })
        .collect();
    let mut classes = vec![""];
    classes.extend(std::iter::repeat_n("num", labels.len() * 2));
    let _ = writeln!(
        out,
        "<details><summary>Data table: documents and tokens per {} ({} rows)</summary>",
        esc(&q.interval),
        rows.len()
    );
    table(&mut out, "timeline", &header, &classes, &rows);
    out.push_str("</details>\n</section>\n");

    // Keyness.
    let _ = writeln!(
        out,
        "<section id=\"keyness\">\n<h2>Key terms</h2>\n<p>Terms one side uses significantly more often than the other, relative to its size. <strong>{}</strong>: {} documents, {} tokens. <strong>{}</strong>: {} documents, {} tokens. {} terms tested; Bonferroni threshold p &lt; {:.3e}.</p>",
        esc(&k.target.label),
        k.target.documents,
        k.target.tokens,
        esc(&k.reference.label),
        k.reference.documents,
        k.reference.tokens,
        k.terms_tested,
        k.bonferroni_threshold
    );
    figure(
        &mut out,
        chart("keyness.svg"),
        &format!(
            "Top {} key terms per direction (ranked by G²), labelled by their most frequent word form; bar length is the Log Ratio. The tables below are the full text alternative.",
            super::CHART_TERMS
        ),
    );
    let header: Vec<String> = vec![
        "#".into(),
        "term".into(),
        "forms".into(),
        format!("freq {}", esc(&k.target.label)),
        format!("freq {}", esc(&k.reference.label)),
        format!("per million {}", esc(&k.target.label)),
        format!("per million {}", esc(&k.reference.label)),
        "G²".into(),
        "p".into(),
        "Bonf.".into(),
        "Log Ratio".into(),
        "outlets T/R".into(),
        "DP".into(),
        "dominated".into(),
    ];
    let classes = [
        "num", "", "", "num", "num", "num", "num", "num", "num", "", "num", "num", "num", "",
    ];
    for direction in ["target", "reference"] {
        let label = data.side_label(direction);
        let _ = writeln!(
            out,
            "<h3 id=\"keyness-{direction}\">{}Over-used by {}</h3>",
            swatch(colour(label)),
            esc(label)
        );
        let terms = data.key_terms(direction);
        if terms.is_empty() {
            out.push_str("<p>No term passed the minimum frequency.</p>\n");
        } else {
            table(&mut out, "keyness", &header, &classes, &key_rows(&terms));
        }
    }
    out.push_str("<p class=\"note\">term: the counted word, shown as its lemma or most frequent form (paste it into search to find its documents); forms: its most frequent word forms; per million: relative frequency; Bonf.: significant after Bonferroni correction; outlets T/R: outlets of the target and of the reference using the term; DP: Gries' dispersion over the target's outlets (0 = even); dominated: one outlet gives more than half of the over-using group's hits. Definitions under Methods.</p>\n");
    out.push_str("</section>\n");

    // Language mix.
    out.push_str("<section id=\"languages\">\n<h2>Language mix</h2>\n");
    figure(
        &mut out,
        chart("language_mix.svg"),
        "Share of each group's documents per detected language. Groups writing in different languages differ in vocabulary for that reason alone.",
    );
    let rows: Vec<Vec<String>> = data
        .language_mix
        .iter()
        .map(|l| {
            vec![
                esc(&l.group),
                esc(&l.lang),
                l.documents.to_string(),
                format!("{:.1}%", l.share * 100.0),
            ]
        })
        .collect();
    table(
        &mut out,
        "languages",
        &headers(&["group", "language", "documents", "share of group"]),
        &["", "", "num", "num"],
        &rows,
    );
    out.push_str("</section>\n");

    // Examples.
    out.push_str("<section id=\"examples\">\n<h2>Example passages</h2>\n<p class=\"note\">For the top key terms of each side: passages from documents spread over the period, oldest first.</p>\n");
    let mut current = "";
    for e in &data.examples {
        if e.direction != current {
            current = &e.direction;
            let _ = writeln!(
                out,
                "<h3>{}Over-used by {}</h3>",
                swatch(colour(&e.group)),
                esc(&e.group)
            );
        }
        let _ = writeln!(
            out,
            "<h4>{}. {} <span class=\"note\">(term <code>{}</code>, in {} documents)</span></h4>",
            e.rank,
            esc(&e.form),
            esc(&e.term),
            e.documents
        );
        if e.lines.is_empty() {
            out.push_str("<p class=\"note\">No passage found.</p>\n");
            continue;
        }
        let rows: Vec<Vec<String>> = e
            .lines
            .iter()
            .map(|l| {
                vec![
                    esc(&l.day),
                    format!(
                        "{}<span class=\"title\" title=\"{}\">{}</span>",
                        esc(&l.outlet),
                        esc(&l.id),
                        esc(&l.title)
                    ),
                    esc(&l.left),
                    format!("<mark>{}</mark>", esc(&l.matched)),
                    esc(&l.right),
                ]
            })
            .collect();
        table(
            &mut out,
            "kwic",
            &headers(&["day", "outlet, title", "", "match", ""]),
            &["num", "", "left", "", "right"],
            &rows,
        );
    }
    out.push_str("</section>\n");

    entities_section(&mut out, data, &chart);
    frames_section(&mut out, data, charts);

    // Methods.
    out.push_str("<section id=\"methods\">\n<h2>Methods</h2>\n<p>For a term: a = frequency in the target, b = in the reference, c and d = total tokens of target and reference.</p>\n");
    let pairs = |items: &[super::data::Setting]| -> Vec<Vec<String>> {
        items
            .iter()
            .map(|s| vec![esc(&s.name), esc(&s.value)])
            .collect()
    };
    table(
        &mut out,
        "methods",
        &headers(&["measure", "definition"]),
        &[],
        &pairs(&data.methods.measures),
    );
    table(
        &mut out,
        "methods",
        &headers(&["significance", "threshold"]),
        &[],
        &pairs(&data.methods.thresholds),
    );
    out.push_str("<h3>Analysis settings</h3>\n");
    table(
        &mut out,
        "methods",
        &headers(&["setting", "value"]),
        &[],
        &pairs(&data.methods.analysis),
    );
    out.push_str("<h3>Caveats</h3>\n<ul>\n");
    for c in &data.methods.caveats {
        let _ = writeln!(out, "<li>{}</li>", esc(c));
    }
    out.push_str("</ul>\n</section>\n");

    // Provenance.
    let p = &data.provenance;
    out.push_str("<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl class=\"question\">\n");
    let _ = writeln!(
        out,
        "<dt>mediawatch</dt><dd>version {}</dd>",
        esc(&p.version)
    );
    let _ = writeln!(
        out,
        "<dt>Index</dt><dd>{} documents, fingerprint <code>{}</code></dd>",
        p.index_documents,
        esc(&p.index_fingerprint)
    );
    let _ = writeln!(
        out,
        "<dt>Command</dt><dd><code>{}</code></dd>",
        esc(&p.command_line)
    );
    if let Some(at) = &p.generated_at {
        let _ = writeln!(out, "<dt>Generated</dt><dd>{}</dd>", esc(at));
    }
    out.push_str("</dl>\n</section>\n</main>\n</body>\n</html>\n");
    out
}
