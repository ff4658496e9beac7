//! The Markdown report: [`ReportData`] and its charts in, GitHub-flavoured Markdown out —
//! tables, no raw HTML, charts referenced as `charts/*.svg` files written next to it.
//! Untrusted text is backslash-escaped so it cannot become markup, links or table cells.

use std::fmt::Write as _;

use crate::report::{fmt_p, summary, Chart, ReportData};
use crate::stats::keyness::{KeyTerm, Keyness};

/// Text safe inside a Markdown paragraph, heading or table cell: Markdown punctuation
/// (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `&` `~` `#` `!`) is backslash-escaped and line breaks
/// become spaces, so document text can neither open HTML nor split a table row.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A GFM table; `right` marks right-aligned (numeric) columns. Cells must already be escaped.
fn table(out: &mut String, header: &[&str], right: &[bool], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let rule: Vec<&str> = (0..header.len())
        .map(|i| {
            if right.get(i).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in rows {
        let cells: Vec<&str> = row
            .iter()
            .map(|c| if c.is_empty() { " " } else { c.as_str() })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn chart(out: &mut String, chart: &Chart) {
    let _ = writeln!(out, "![{}](charts/{})\n", escape(&chart.title), chart.file);
}

fn key_rows(terms: &[&KeyTerm]) -> Vec<Vec<String>> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                escape(&t.term),
                escape(&t.forms.join(", ")),
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
                if t.dominated { "yes" } else { "" }.to_string(),
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
        "{} {} tested (combined count ≥ {}); Bonferroni threshold p \\< {:.3e}.\n",
        k.terms_tested,
        if noun == "entity" {
            "entities"
        } else {
            "frames"
        },
        data.question.min_freq,
        k.bonferroni_threshold
    );
    let target = escape(&k.target.label);
    let reference = escape(&k.reference.label);
    let header = [
        "#",
        noun,
        "forms",
        &format!("freq {target}"),
        &format!("freq {reference}"),
        &format!("per million {target}"),
        &format!("per million {reference}"),
        "G²",
        "p",
        "Bonferroni",
        "Log Ratio",
        "outlets T/R",
        "DP",
        "dominated",
    ]
    .map(|s| s.to_string());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let right = [
        true, false, false, true, true, true, true, true, true, false, true, false, true, false,
    ];
    for (direction, label) in [("target", &target), ("reference", &reference)] {
        let _ = writeln!(out, "#### Over-used by {label}\n");
        let items = ReportData::key_items(Some(k), direction);
        if items.is_empty() {
            let _ = writeln!(out, "No {noun} passed the minimum frequency.\n");
        } else {
            table(out, &header_refs, &right, &key_rows(&items));
        }
    }
}

fn entities_section(out: &mut String, data: &ReportData, charts: &[Chart]) {
    let e = &data.entities;
    out.push_str("## Entities\n\n");
    if let Some(missing) = &e.missing {
        let _ = writeln!(out, "{}\n", escape(missing));
        return;
    }
    let totals: Vec<String> = e
        .groups
        .iter()
        .map(|g| {
            format!(
                "{}: {} mentions in {} documents",
                escape(&g.group),
                g.mentions,
                g.documents
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Mentions of the entities listed in {}. {}.\n",
        escape(&e.list),
        totals.join("; ")
    );
    if let Some(c) = charts.iter().find(|c| c.file == "entities.svg") {
        chart(out, c);
    }
    let labels = data.group_labels();
    let mut header = vec!["entity".to_string(), "type".to_string()];
    let mut right = vec![false, false];
    for l in &labels {
        header.push(format!("mentions {}", escape(l)));
        header.push(format!("share of voice {}", escape(l)));
        right.extend([true, true]);
    }
    header.push("documents".to_string());
    right.push(true);
    let rows: Vec<Vec<String>> = e
        .entities
        .iter()
        .map(|row| {
            let mut cells = vec![
                format!("{} ({})", escape(&row.name), escape(&row.id)),
                escape(&row.kind),
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
        out.push_str("No entity of the list is mentioned.\n\n");
    } else {
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        table(out, &header_refs, &right, &rows);
    }
    out.push_str("### Key entities\n\n");
    item_keyness(out, data, e.keyness.as_ref(), "entity");
    out.push_str("### Co-mentioned pairs\n\n");
    if e.co_mentions.is_empty() {
        out.push_str("No two entities are mentioned in the same document.\n\n");
    } else {
        let rows: Vec<Vec<String>> = e
            .co_mentions
            .iter()
            .map(|p| {
                vec![
                    escape(&p.a_name),
                    escape(&p.b_name),
                    p.documents.to_string(),
                ]
            })
            .collect();
        table(
            out,
            &["entity", "entity", "documents mentioning both"],
            &[false, false, true],
            &rows,
        );
    }
    out.push_str("### Candidates for the gazetteer\n\nCapitalized names not at the start of a sentence that match no alias, most frequent first: names the list may be missing (and some false alarms).\n\n");
    if e.unknown_names.is_empty() {
        out.push_str("None found.\n\n");
    } else {
        let rows: Vec<Vec<String>> = e
            .unknown_names
            .iter()
            .map(|u| {
                vec![
                    escape(&u.name),
                    escape(&u.forms.join(", ")),
                    u.count.to_string(),
                ]
            })
            .collect();
        table(
            out,
            &["name (analyzed)", "spellings", "occurrences"],
            &[false, false, true],
            &rows,
        );
    }
}

fn frames_section(out: &mut String, data: &ReportData, charts: &[Chart]) {
    let f = &data.frames;
    out.push_str("## Frames\n\n");
    if let Some(missing) = &f.missing {
        let _ = writeln!(out, "{}\n", escape(missing));
        return;
    }
    let _ = writeln!(
        out,
        "Frames are word lists from {}; a document shows a frame when it has at least one hit.\n",
        escape(&f.list)
    );
    if let Some(c) = charts.iter().find(|c| c.file == "frames.svg") {
        chart(out, c);
    }
    let rows: Vec<Vec<String>> = f
        .shares
        .iter()
        .map(|s| {
            vec![
                escape(&s.frame),
                escape(&s.group),
                s.documents.to_string(),
                s.documents_with_hit.to_string(),
                format!("{:.1}%", s.share * 100.0),
                s.hits.to_string(),
                escape(&s.forms.join(", ")),
            ]
        })
        .collect();
    table(
        out,
        &[
            "frame",
            "group",
            "documents",
            "with a hit",
            "share",
            "hits",
            "most frequent matches",
        ],
        &[false, false, true, true, true, true, false],
        &rows,
    );
    out.push_str("### Frames over time\n\n");
    if f.over_time.is_empty() {
        out.push_str("No frame has a hit.\n\n");
    } else {
        let _ = writeln!(
            out,
            "The {} frames whose shares differ most between {} and {}; lines break where a group published nothing.\n",
            f.over_time.len(),
            escape(&data.keyness.target.label),
            escape(&data.keyness.reference.label)
        );
    }
    for file in super::FRAME_TIME_FILES.iter().take(f.over_time.len()) {
        if let Some(c) = charts.iter().find(|c| c.file == *file) {
            chart(out, c);
        }
    }
    out.push_str("### Key frames\n\n");
    item_keyness(out, data, f.keyness.as_ref(), "frame");
}

/// Renders the whole report.
pub fn render(data: &ReportData, charts: &[Chart]) -> String {
    let mut out = String::new();
    let q = &data.question;
    let target = escape(&data.keyness.target.label);
    let reference = escape(&data.keyness.reference.label);
    let _ = writeln!(out, "# {}\n", escape(&data.title));
    let _ = writeln!(
        out,
        "Generated by mediawatch {}{}. Charts are in `charts/`, tables in `tables/`, all numbers in `data.json`.\n",
        escape(&data.provenance.version),
        data.provenance
            .generated_at
            .as_deref()
            .map(|t| format!(" at {}", escape(t)))
            .unwrap_or_default()
    );

    out.push_str("## At a glance\n\n");
    for line in summary(data) {
        let _ = writeln!(out, "- {}", escape(&line));
    }
    out.push('\n');

    out.push_str("## The question\n\n");
    let filters = if q.filters.is_empty() {
        "none".to_string()
    } else {
        q.filters
            .iter()
            .map(|f| format!("{} = {}", escape(&f.name), escape(&f.value)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let period = match (&data.overview.first_day, &data.overview.last_day) {
        (Some(a), Some(b)) => format!("{} to {}", escape(a), escape(b)),
        _ => "no documents".to_string(),
    };
    table(
        &mut out,
        &["", ""],
        &[],
        &[
            vec![
                "groups".into(),
                format!(
                    "{target} (target) vs {reference} (reference), grouped by {}",
                    escape(&q.by)
                ),
            ],
            vec!["query".into(), escape(&q.query)],
            vec!["filters".into(), filters],
            vec!["period covered".into(), period],
            vec![
                "timeline".into(),
                format!(
                    "documents per {}, days in {}, gaps of at least {} days",
                    escape(&q.interval),
                    escape(&q.timezone),
                    q.min_gap_days
                ),
            ],
            vec![
                "key terms".into(),
                format!(
                    "top {} per direction, terms with combined frequency ≥ {}",
                    q.top, q.min_freq
                ),
            ],
        ],
    );

    out.push_str("## Corpus overview\n\n");
    let _ = writeln!(
        out,
        "{} documents in the subset.\n",
        data.overview.documents
    );
    let rows: Vec<Vec<String>> = data
        .overview
        .groups
        .iter()
        .map(|g| {
            vec![
                escape(&g.label),
                g.role.clone(),
                g.documents.to_string(),
                g.tokens.to_string(),
                g.outlets.len().to_string(),
                escape(g.first_day.as_deref().unwrap_or("")),
                escape(g.last_day.as_deref().unwrap_or("")),
                g.active_days.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "group",
            "role",
            "documents",
            "tokens",
            "outlets",
            "first day",
            "last day",
            "active days",
        ],
        &[false, false, true, true, true, false, false, true],
        &rows,
    );
    for (heading, column) in [
        ("Documents by outlet", "outlet"),
        ("Documents by language", "language"),
        ("Documents by medium", "medium"),
    ] {
        let _ = writeln!(out, "### {heading}\n");
        let mut rows = Vec::new();
        for g in &data.overview.groups {
            let counts = match column {
                "outlet" => &g.outlets,
                "language" => &g.langs,
                _ => &g.media,
            };
            for c in counts {
                rows.push(vec![
                    escape(&g.label),
                    escape(&c.value),
                    c.documents.to_string(),
                    format!(
                        "{:.1}%",
                        100.0 * c.documents as f64 / g.documents.max(1) as f64
                    ),
                ]);
            }
        }
        table(
            &mut out,
            &["group", column, "documents", "share of group"],
            &[false, false, true, true],
            &rows,
        );
    }

    out.push_str("## Timeline\n\n");
    if let Some(note) = &q.interval_note {
        let _ = writeln!(out, "**Note:** {}\n", escape(note));
    }
    if let Some(c) = charts.iter().find(|c| c.file == "timeline.svg") {
        chart(&mut out, c);
    }
    out.push_str("### Gaps\n\n");
    if data.timeline.gaps.is_empty() {
        let _ = writeln!(
            out,
            "No group or outlet was silent for {} days or more inside its active range.\n",
            q.min_gap_days
        );
    } else {
        let _ = writeln!(
            out,
            "Runs of at least {} days without output inside each group's and outlet's active range.\n",
            q.min_gap_days
        );
        let rows: Vec<Vec<String>> = data
            .timeline
            .gaps
            .iter()
            .map(|g| {
                vec![
                    g.scope.clone(),
                    escape(&g.name),
                    escape(&g.group),
                    g.from.clone(),
                    g.to.clone(),
                    g.days.to_string(),
                ]
            })
            .collect();
        table(
            &mut out,
            &["scope", "name", "group", "from", "to", "days"],
            &[false, false, false, false, false, true],
            &rows,
        );
    }
    let _ = writeln!(out, "### Documents per {}\n", escape(&q.interval));
    let labels = data.group_labels();
    let mut header = vec![escape(&q.interval)];
    header.extend(labels.iter().map(|l| escape(l)));
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
            let mut row = vec![(*b).clone()];
            for l in &labels {
                row.push(
                    data.timeline
                        .groups
                        .get(*l)
                        .and_then(|s| s.get(*b))
                        .map_or(0, |v| v.documents)
                        .to_string(),
                );
            }
            row
        })
        .collect();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut right = vec![false];
    right.extend(labels.iter().map(|_| true));
    table(&mut out, &header_refs, &right, &rows);

    out.push_str("## Key terms\n\n");
    let k = &data.keyness;
    let _ = writeln!(
        out,
        "{target}: {} documents, {} tokens. {reference}: {} documents, {} tokens. {} terms tested; Bonferroni threshold p \\< {:.3e}.\n",
        k.target.documents,
        k.target.tokens,
        k.reference.documents,
        k.reference.tokens,
        k.terms_tested,
        k.bonferroni_threshold
    );
    if let Some(c) = charts.iter().find(|c| c.file == "keyness.svg") {
        chart(&mut out, c);
    }
    let header = [
        "#",
        "term",
        "forms",
        &format!("freq {target}"),
        &format!("freq {reference}"),
        &format!("per million {target}"),
        &format!("per million {reference}"),
        "G²",
        "p",
        "Bonferroni",
        "Log Ratio",
        "outlets T/R",
        "DP",
        "dominated",
    ]
    .map(|s| s.to_string());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let right = [
        true, false, false, true, true, true, true, true, true, false, true, false, true, false,
    ];
    for direction in ["target", "reference"] {
        let _ = writeln!(
            out,
            "### Over-used by {}\n",
            escape(data.side_label(direction))
        );
        let terms = data.key_terms(direction);
        if terms.is_empty() {
            out.push_str("No term passed the minimum frequency.\n\n");
        } else {
            table(&mut out, &header_refs, &right, &key_rows(&terms));
        }
    }

    out.push_str("## Language mix\n\n");
    if let Some(c) = charts.iter().find(|c| c.file == "language_mix.svg") {
        chart(&mut out, c);
    }
    let rows: Vec<Vec<String>> = data
        .language_mix
        .iter()
        .map(|l| {
            vec![
                escape(&l.group),
                escape(&l.lang),
                l.documents.to_string(),
                format!("{:.1}%", l.share * 100.0),
            ]
        })
        .collect();
    table(
        &mut out,
        &["group", "language", "documents", "share of group"],
        &[false, false, true, true],
        &rows,
    );

    out.push_str("## Example passages\n\n");
    out.push_str("For the top key terms of each side, passages from documents spread over the period (oldest first).\n\n");
    for e in &data.examples {
        let _ = writeln!(
            out,
            "### {} #{}: {} ({}, in {} documents)\n",
            escape(&e.group),
            e.rank,
            escape(&e.form),
            escape(&e.term),
            e.documents
        );
        if e.lines.is_empty() {
            out.push_str("No passage found.\n\n");
            continue;
        }
        let rows: Vec<Vec<String>> = e
            .lines
            .iter()
            .map(|l| {
                vec![
                    escape(&l.day),
                    escape(&l.outlet),
                    escape(&l.title),
                    format!(
                        "{} **{}** {}",
                        escape(&l.left),
                        escape(&l.matched),
                        escape(&l.right)
                    )
                    .trim()
                    .to_string(),
                ]
            })
            .collect();
        table(&mut out, &["day", "outlet", "title", "passage"], &[], &rows);
    }

    entities_section(&mut out, data, charts);
    frames_section(&mut out, data, charts);

    out.push_str("## Methods\n\n");
    out.push_str("For a term: a = frequency in the target, b = in the reference, c and d = total tokens of target and reference.\n\n");
    let rows: Vec<Vec<String>> = data
        .methods
        .measures
        .iter()
        .map(|m| vec![escape(&m.name), escape(&m.value)])
        .collect();
    table(&mut out, &["measure", "definition"], &[], &rows);
    let rows: Vec<Vec<String>> = data
        .methods
        .thresholds
        .iter()
        .map(|m| vec![escape(&m.name), escape(&m.value)])
        .collect();
    table(&mut out, &["significance", "threshold"], &[], &rows);
    let rows: Vec<Vec<String>> = data
        .methods
        .analysis
        .iter()
        .map(|m| vec![escape(&m.name), escape(&m.value)])
        .collect();
    table(&mut out, &["setting", "value"], &[], &rows);
    out.push_str("### Caveats\n\n");
    for c in &data.methods.caveats {
        let _ = writeln!(out, "- {}", escape(c));
    }
    out.push('\n');

    out.push_str("## Provenance\n\n");
    let p = &data.provenance;
    let mut rows = vec![
        vec!["mediawatch version".to_string(), escape(&p.version)],
        vec![
            "index".to_string(),
            format!(
                "{} documents, fingerprint {}",
                p.index_documents,
                escape(&p.index_fingerprint)
            ),
        ],
        vec!["command line".to_string(), escape(&p.command_line)],
    ];
    if let Some(at) = &p.generated_at {
        rows.push(vec!["generated at".to_string(), escape(at)]);
    }
    table(&mut out, &["", ""], &[], &rows);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralizes_markup_and_table_cells() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("back\\slash"), "back\\\\slash");
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("&lt;"), "\\&lt;");
        assert_eq!(escape("Мирные"), "Мирные");
    }

    #[test]
    fn tables_have_a_rule_and_alignment() {
        let mut out = String::new();
        table(
            &mut out,
            &["a", "n"],
            &[false, true],
            &[
                vec!["x".into(), "1".into()],
                vec![String::new(), "2".into()],
            ],
        );
        assert_eq!(out, "| a | n |\n| --- | ---: |\n| x | 1 |\n|   | 2 |\n\n");
    }
}
