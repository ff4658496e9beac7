//! What each command prints: a result of the statistics or of search in, terminal blocks or
//! CSV out — made from the table descriptions of [`super::tables`], so `compare`, `stats`,
//! `search` and `info` print their tables as the reports do. The command line only picks the
//! view and the output stream.

mod kwic;
mod show;

pub use show::document;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::index::info::IndexInfo;
use crate::ingest::discover::Skipped;
use crate::pipeline::{IngestSummary, RelabelSummary};
use crate::report::data::EntityPair;
use crate::report::doc::{text, Block, ColumnHead, Inline, Table};
use crate::report::table::{Medium, TableSpec};
use crate::report::tables::{self, commands};
use crate::report::terminal::{self, Marks};
use crate::report::{charts, fit};
use crate::search::SearchResults;
use crate::stats::entities::{EntityFigures, EntityStats, GroupEntities};
use crate::stats::frames::{FramePoint, FrameStats};
use crate::stats::keyness::{Keyness, KeynessEach, Side};
use crate::stats::terms::{GroupTerms, TermFrequency, TermStats};
use crate::stats::timeline::Timeline;

/// Groups have no colour outside reports.
fn no_colour(_: &str) -> Option<&'static str> {
    None
}

/// `compare`: sizes of both sides, then the key items of each: `item` is `term`, `entity`
/// or `frame`, and names the column and the headings.
pub fn keyness(k: &Keyness, item: &str) -> Vec<Block> {
    let spec = tables::keyness(item, &k.target.label, &k.reference.label);
    let items = match item {
        "entity" => "entities".to_string(),
        other => format!("{other}s"),
    };
    let mut blocks = vec![
        Block::paragraph(text(format!(
            "target: {} ({} documents, {} tokens)   reference: {} ({} documents, {} tokens)   unit: {}",
            k.target.label,
            k.target.documents,
            k.target.tokens,
            k.reference.label,
            k.reference.documents,
            k.reference.tokens,
            k.unit
        ))),
        Block::paragraph(text(format!(
            "{} {items} tested; Bonferroni threshold p < {:.2e} (B). * p<0.05 ** p<0.01 *** p<0.001 **** p<0.0001",
            k.terms_tested, k.bonferroni_threshold
        ))),
        Block::paragraph(text(significance_line(k))),
    ];
    for (direction, label) in [
        (Side::Target, &k.target.label),
        (Side::Reference, &k.reference.label),
    ] {
        blocks.push(Block::heading(3, text(format!("Key {items} of {label}:"))));
        let rows = tables::ranked(&k.terms, direction);
        blocks.push(Block::Table(spec.table(Medium::Terminal, &rows)));
    }
    blocks
}

/// Which terms are listed and in what order (the q filter and `--rank`).
pub fn significance_line(k: &Keyness) -> String {
    let listed = match k.max_q {
        Some(max) => format!(
            "{} of them with Benjamini–Hochberg q < {max} are listed",
            k.terms_significant
        ),
        None => "all of them are listed (no q filter)".to_string(),
    };
    format!(
        "{listed}; ranked by {}. LRC = conservative Log Ratio (95% CI bound closer to 0).",
        k.rank.name()
    )
}

/// `compare --format csv`: the report's keyness table without its rank column, so the two
/// stay one format.
pub fn keyness_csv(out: impl Write, k: &Keyness) -> io::Result<()> {
    let spec = tables::keyness("term", &k.target.label, &k.reference.label).without("rank");
    let mut rows = tables::ranked(&k.terms, Side::Target);
    rows.extend(tables::ranked(&k.terms, Side::Reference));
    spec.write_csv(out, &rows)
}

/// Rows of every comparison of `--target each`, labelled with their group (the group's own
/// key terms, then, when `both`, the terms the rest uses more).
fn each_rows(k: &KeynessEach, both: bool) -> Vec<(String, tables::Ranked<'_>)> {
    let mut rows = Vec::new();
    for comparison in &k.comparisons {
        let label = &comparison.target.label;
        let directions: &[Side] = if both { &Side::BOTH } else { &[Side::Target] };
        for direction in directions {
            let ranked = tables::ranked(&comparison.terms, *direction);
            rows.extend(ranked.into_iter().map(|r| (label.clone(), r)));
        }
    }
    rows
}

/// `compare --target each`: each group's size, then one table of every group's key terms
/// against the rest.
pub fn keyness_each(k: &KeynessEach) -> Vec<Block> {
    let mut blocks: Vec<Block> = k
        .comparisons
        .iter()
        .map(|c| {
            Block::paragraph(text(format!(
                "{}: {} documents, {} tokens against the rest's {} documents, {} tokens; {} terms tested",
                c.target.label,
                c.target.documents,
                c.target.tokens,
                c.reference.documents,
                c.reference.tokens,
                c.terms_tested
            )))
        })
        .collect();
    if let Some(first) = k.comparisons.first() {
        blocks.push(Block::paragraph(text(significance_line(first))));
    }
    blocks.push(Block::heading(
        3,
        text("Key terms of each group against all others:"),
    ));
    let spec = tables::keyness("term", "group", "rest").labelled("group", "group");
    let rows = each_rows(k, false);
    blocks.push(Block::Table(spec.table(Medium::Terminal, &rows)));
    blocks
}

/// `compare --target each --format csv`: one table, the group first; `direction` says
/// whether the group (`target`) or the rest (`reference`) uses the term more.
pub fn keyness_each_csv(out: impl Write, k: &KeynessEach) -> io::Result<()> {
    let spec = tables::keyness("term", "group", "rest")
        .without("rank")
        .labelled("group", "group");
    spec.write_csv(out, &each_rows(k, true))
}

/// What `stats terms` and `stats entities` list per group: its label and size, its items.
trait GroupItems {
    /// One listed item.
    type Item;
    /// `((label, documents, tokens), items)`.
    fn parts(&self) -> ((&str, u64, u64), &[Self::Item]);
}

macro_rules! group_items {
    ($group:ty, $items:ident, $item:ty) => {
        impl GroupItems for $group {
            type Item = $item;
            fn parts(&self) -> ((&str, u64, u64), &[$item]) {
                ((&self.label, self.documents, self.tokens), &self.$items)
            }
        }
    };
}

group_items!(GroupTerms, terms, TermFrequency);
group_items!(GroupEntities, entities, EntityFigures);

/// Each group's table: a heading with its size, its rows, a blank line.
fn group_tables<'r, G: GroupItems>(
    groups: &'r [G],
    spec: &TableSpec<'_, (&'r str, &'r G::Item)>,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    for group in groups {
        let ((label, documents, tokens), items) = group.parts();
        blocks.push(Block::paragraph(text(format!(
            "{label} ({documents} documents, {tokens} tokens):"
        ))));
        let rows: Vec<_> = items.iter().map(|item| (label, item)).collect();
        blocks.push(Block::Table(spec.table(Medium::Terminal, &rows)));
        blocks.push(Block::paragraph(Vec::new()));
    }
    blocks
}

/// Every group's items labelled with the group, for one CSV table.
fn labelled<G: GroupItems>(groups: &[G]) -> Vec<(&str, &G::Item)> {
    let mut rows = Vec::new();
    for group in groups {
        let ((label, _, _), items) = group.parts();
        rows.extend(items.iter().map(|item| (label, item)));
    }
    rows
}

/// `stats terms`: each group's frequent terms, then the chosen terms' series.
pub fn terms(stats: &TermStats) -> Vec<Block> {
    let mut blocks = group_tables(&stats.groups, &commands::terms());
    if !stats.series.is_empty() {
        let series = commands::term_series().table(Medium::Terminal, &stats.series);
        blocks.push(Block::Table(series));
    }
    blocks
}

/// `stats terms --format csv`: every group's frequent terms.
pub fn terms_csv(out: impl Write, stats: &TermStats) -> io::Result<()> {
    commands::terms().write_csv(out, &labelled(&stats.groups))
}

/// `stats timeline`: documents per bucket and group, then the gaps.
pub fn timeline(timeline: &Timeline) -> Vec<Block> {
    let labels: Vec<&str> = timeline.groups.keys().map(String::as_str).collect();
    let buckets: Vec<&String> = charts::bucket_labels(timeline);
    let spec = tables::buckets(timeline, &labels);
    let mut blocks = vec![Block::Table(spec.table(Medium::Terminal, buckets))];
    if !timeline.partial.is_empty() {
        blocks.push(Block::heading(
            3,
            text(format!(
                "Partial: the {} starting {} only partly inside the days covered (fewer days, not less output).",
                timeline.interval,
                timeline.partial.join(", ")
            )),
        ));
    }
    if let Some(note) = timeline.off_timeline_note() {
        blocks.push(Block::heading(3, text(format!("{note}."))));
    }
    if !timeline.gaps.is_empty() {
        blocks.push(Block::heading(
            3,
            text("Gaps (runs of days without output inside the active range):"),
        ));
        let gaps = tables::gaps(&no_colour).table(Medium::Terminal, &timeline.gaps);
        blocks.push(Block::Table(gaps));
    }
    blocks
}

/// `stats timeline --format csv`: documents and tokens per group and bucket.
pub fn timeline_csv(out: impl Write, timeline: &Timeline) -> io::Result<()> {
    let mut rows = Vec::new();
    for (group, series) in &timeline.groups {
        for (bucket, v) in series {
            rows.push((
                (group.as_str(), bucket.as_str(), *v),
                timeline.partial.contains(bucket),
            ));
        }
    }
    tables::volumes()
        .flagged("partial", "partial")
        .write_csv(out, &rows)
}

/// Every item shown by `show`, joined with commas.
fn joined<I: IntoIterator>(items: I, show: impl Fn(I::Item) -> String) -> String {
    items.into_iter().map(show).collect::<Vec<_>>().join(", ")
}

/// Co-mentioned pairs listed on the terminal.
const PAIRS_SHOWN: usize = 15;
/// Gazetteer candidates listed on the terminal.
const CANDIDATES_SHOWN: usize = 25;

/// `stats entities`: each group's entities, the most co-mentioned pairs, candidate names.
pub fn entities(stats: &EntityStats) -> Vec<Block> {
    let mut blocks = group_tables(&stats.groups, &commands::entity_figures());
    let pairs: Vec<EntityPair> = stats
        .co_mentions
        .iter()
        .take(PAIRS_SHOWN)
        .map(|p| EntityPair {
            a: p.a.clone(),
            a_name: String::new(),
            b: p.b.clone(),
            b_name: String::new(),
            documents: p.documents,
        })
        .collect();
    blocks.push(Block::paragraph(text("Most co-mentioned pairs:")));
    blocks.push(Block::Table(
        tables::co_mentions().table(Medium::Terminal, &pairs),
    ));
    blocks.push(Block::heading(
        3,
        text("Capitalized names not in the gazetteer (candidates to add):"),
    ));
    let names = stats.unknown_names.iter().take(CANDIDATES_SHOWN);
    blocks.push(Block::Table(
        tables::candidates().table(Medium::Terminal, names),
    ));
    blocks
}

/// `stats entities --format csv`: every group's entity figures.
pub fn entities_csv(out: impl Write, stats: &EntityStats) -> io::Result<()> {
    commands::entity_figures().write_csv(out, &labelled(&stats.groups))
}

/// `stats frames`: each frame's share per group.
pub fn frames(stats: &FrameStats) -> Vec<Block> {
    let shares = tables::frame_shares(&no_colour).table(Medium::Terminal, &stats.shares);
    vec![Block::Table(shares)]
}

/// `stats frames --format csv`: overall shares (bucket `all`) and then the series, in the
/// columns of the report's `frame_series.csv`.
pub fn frames_csv(out: impl Write, stats: &FrameStats) -> io::Result<()> {
    let overall: Vec<FramePoint> = stats
        .shares
        .iter()
        .map(|s| FramePoint {
            frame: s.frame.clone(),
            group: s.group.clone(),
            bucket: "all".to_string(),
            documents: s.documents,
            documents_with_hit: s.documents_with_hit,
            share: s.share,
        })
        .collect();
    tables::frame_series().write_csv(out, overall.iter().chain(&stats.series))
}

/// `search --format csv`: one row per hit, or per keyword-in-context line.
pub fn search_csv(out: impl Write, results: &SearchResults, kwic: bool) -> io::Result<()> {
    if kwic {
        commands::kwic().write_csv(out, &results.kwic)
    } else {
        commands::hits().write_csv(out, &results.hits)
    }
}

/// How keyword-in-context lines are set side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideBySide {
    /// One column per category.
    Category,
    /// One column per outlet.
    Outlet,
}

/// `search`: the total, each hit with its title (a stand-in when it has none), URL and
/// snippet (matches bold on a terminal), facet counts and keyword-in-context lines — within
/// `width` columns when given (snippets wrapped, lines cut at word boundaries).
pub fn search(
    out: &mut impl Write,
    results: &SearchResults,
    by: Option<SideBySide>,
    marks: Marks,
    width: Option<usize>,
) -> io::Result<()> {
    writeln!(out, "{} matching documents", results.total)?;
    let cut = |s: &str, room: usize| match width {
        Some(w) => fit::truncate(s, w.saturating_sub(room)),
        None => s.to_string(),
    };
    for hit in &results.hits {
        let at = hit
            .at
            .as_ref()
            .map_or(String::new(), |at| format!("  at {at}"));
        let head = format!(
            "{}  {}  [{}]  {}  {}  score {:.2}{at}",
            hit.published,
            terminal::text(&hit.labels.outlet),
            terminal::text(&hit.labels.category),
            terminal::text(&hit.labels.lang),
            terminal::text(&hit.id),
            hit.score,
        );
        writeln!(out, "\n{}", cut(&head, 0))?;
        let title = if hit.title.trim().is_empty() {
            hit_stand_in(hit)
        } else {
            hit.title.clone()
        };
        writeln!(out, "  {}", cut(&terminal::text(&title), 2))?;
        if let Some(url) = &hit.url {
            writeln!(out, "  {}", cut(&terminal::text(url), 2))?;
        }
        for line in wrap_marked(
            &commands::snippet(hit),
            marks,
            width.map(|w| w.saturating_sub(2)),
        ) {
            writeln!(out, "  {line}")?;
        }
    }
    for (facet, counts) in &results.facets {
        writeln!(out, "\n{facet}:")?;
        let spec = commands::facet_counts(facet.field());
        let rows: Vec<(&String, &u64)> = counts.iter().collect();
        terminal::table_within(out, &spec.table(Medium::Terminal, &rows), width)?;
    }
    if !results.kwic.is_empty() {
        writeln!(out, "\n{} keyword-in-context lines", results.kwic.len())?;
        match by {
            None => kwic::lines(out, &results.kwic, width)?,
            Some(group) => kwic::side_by_side(out, &results.kwic, group, width)?,
        }
    }
    Ok(())
}

/// The stand-in title of a hit without one: outlet and date (the part of the day is for
/// `show`, which has the instant; a hit has its shown date).
fn hit_stand_in(hit: &crate::search::Hit) -> String {
    let date = hit.published.get(..10).unwrap_or(&hit.published);
    let when = if date.is_empty() { "undated" } else { date };
    format!("({}, {when})", hit.labels.outlet)
}

/// Marked text as lines of at most `width` columns, broken at spaces; matches set off with
/// `marks` (which take no columns).
fn wrap_marked(items: &[Inline], marks: Marks, width: Option<usize>) -> Vec<String> {
    // Words as runs of (text, marked) pieces: a mark may cover part of a word.
    let mut words: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    for item in items {
        let (content, marked) = match item {
            Inline::Mark(s) => (terminal::text(s), true),
            other => (
                terminal::text(&crate::report::doc::plain(std::slice::from_ref(other))),
                false,
            ),
        };
        for (i, piece) in content.split(char::is_whitespace).enumerate() {
            if i > 0 && !words.last().is_some_and(Vec::is_empty) {
                words.push(Vec::new());
            }
            if !piece.is_empty() {
                if let Some(word) = words.last_mut() {
                    word.push((piece.to_string(), marked));
                }
            }
        }
    }
    let render = |word: &[(String, bool)], room: usize| -> (String, usize) {
        let plain: String = word.iter().map(|(s, _)| s.as_str()).collect();
        if fit::width(&plain) > room {
            // A word longer than a line: cut, without marks.
            let cut = fit::truncate(&plain, room);
            let w = fit::width(&cut);
            return (cut, w);
        }
        let shown: String = word
            .iter()
            .map(|(s, marked)| {
                if *marked {
                    format!("{}{s}{}", marks.open, marks.close)
                } else {
                    s.clone()
                }
            })
            .collect();
        // Stars take columns; a terminal's bold escape sequences take none.
        let columns = if marks == Marks::BOLD {
            fit::width(&plain)
        } else {
            fit::width(&shown)
        };
        (shown, columns)
    };
    let room = width.unwrap_or(usize::MAX).max(1);
    let mut lines = Vec::new();
    let (mut line, mut used) = (String::new(), 0);
    for word in words.iter().filter(|w| !w.is_empty()) {
        let (shown, w) = render(word, room);
        if used > 0 && used + 1 + w > room {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(&shown);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Files listed one by one in the ingest table; more are grouped by directory.
const MAX_FILE_ROWS: usize = 40;

/// `ingest` and `run`: per-file counts, totals, reject reasons and unknown outlets.
pub fn ingest(summary: &IngestSummary) -> Vec<Block> {
    // Long runs are summarized per directory; `--format json` always has every file.
    let per_directory = summary.files.len() > MAX_FILE_ROWS;
    let mut groups: Vec<(String, [u64; 4])> = Vec::new();
    for f in &summary.files {
        let name = if per_directory {
            let parent = std::path::Path::new(&f.path).parent();
            format!(
                "{}/ (all files)",
                parent.map_or(String::new(), |p| p.display().to_string())
            )
        } else {
            f.path.clone()
        };
        let counts = [f.read, f.indexed, f.duplicates, f.rejected];
        match groups.last_mut() {
            Some((last, sums)) if *last == name => {
                for (sum, n) in sums.iter_mut().zip(counts) {
                    *sum += n;
                }
            }
            _ => groups.push((name, counts)),
        }
    }
    let totals = [
        summary.read,
        summary.indexed,
        summary.duplicates,
        summary.rejected,
    ];
    groups.push(("TOTAL".to_string(), totals));
    let head = |title: &str| ColumnHead::new(title, "num");
    let table = Table {
        class: "ingest",
        columns: ["file", "read", "indexed", "duplicates", "rejected"]
            .into_iter()
            .map(head)
            .collect(),
        rows: groups
            .into_iter()
            .map(|(name, counts)| {
                let mut row = vec![text(name)];
                row.extend(counts.iter().map(|n| text(n.to_string())));
                row
            })
            .collect(),
    };
    let mut blocks = vec![
        Block::Table(table),
        Block::heading(
            3,
            text(format!(
                "{} documents in the index; {} replaced an older version, {} relabelled, {} were already indexed.",
                summary.documents_in_index, summary.replaced, summary.relabelled, summary.already_indexed
            )),
        ),
    ];
    let mut line = |s: String| blocks.push(Block::paragraph(text(s)));
    if summary.copies > 0 {
        line(format!(
            "{} texts another outlet published first were indexed as that outlet's copies (`copy_of`).",
            summary.copies
        ));
    }
    if summary.undated > 0 {
        line(format!(
            "{} documents have no publication date: indexed undated, off timelines and date filters.",
            summary.undated
        ));
    }
    if summary.declared_lang_kept > 0 {
        line(format!(
            "{} records kept their declared language over an unsure detection.",
            summary.declared_lang_kept
        ));
    }
    if summary.rejected > 0 {
        let reasons = joined(&summary.reject_reasons, |(code, n)| format!("{code} {n}"));
        line(format!(
            "Rejected: {reasons} — details in {}",
            summary.rejects_file
        ));
    }
    if summary.duplicates > summary.already_indexed {
        line(format!(
            "Duplicates under another id are listed in {}",
            summary.duplicates_file
        ));
    }
    if !summary.unknown_outlets.is_empty() {
        let outlets = joined(&summary.unknown_outlets, |(name, n)| {
            format!("{name} ({n})")
        });
        line(format!(
            "Outlets not in the registry (indexed with category `unknown`): {outlets}"
        ));
    }
    // One line per skip reason: how many, and the first few paths with their details.
    let mut by_reason: BTreeMap<&str, Vec<&Skipped>> = BTreeMap::new();
    for s in &summary.skipped {
        by_reason.entry(s.reason.describe()).or_default().push(s);
    }
    for (reason, list) in by_reason {
        let shown: Vec<String> = list
            .iter()
            .take(SKIPPED_SHOWN)
            .map(|s| format!("{} ({})", s.path, s.detail))
            .collect();
        let more = match list.len().saturating_sub(SKIPPED_SHOWN) {
            0 => String::new(),
            n => format!(", and {n} more (all listed with --format json)"),
        };
        line(format!(
            "Skipped ({reason}): {} — {}{more}",
            list.len(),
            shown.join(", ")
        ));
    }
    line(format!(
        "Days are days of {}. Took {:.1} s, {:.0} records/s.",
        summary.display_zone, summary.elapsed_seconds, summary.records_per_second
    ));
    blocks
}

/// Paths shown per skip reason in the ingest summary (all of them are in `--format json`).
const SKIPPED_SHOWN: usize = 5;

/// `relabel`: documents relabelled, conflicts left alone, outlets the registry lacks.
pub fn relabel(summary: &RelabelSummary, sources: &std::path::Path) -> Vec<Block> {
    let mut blocks = vec![Block::paragraph(text(format!(
        "{} documents; {} relabelled from {}.",
        summary.documents,
        summary.relabelled,
        sources.display()
    )))];
    if !summary.conflicts.is_empty() {
        blocks.push(Block::paragraph(text(format!(
            "Left as they were (their new outlet already has a document with the same id): {}",
            summary.conflicts.join(", ")
        ))));
    }
    if !summary.unknown_outlets.is_empty() {
        let outlets: Vec<String> = summary
            .unknown_outlets
            .iter()
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        blocks.push(Block::paragraph(text(format!(
            "Outlets not in the registry (category `unknown`): {}",
            outlets.join(", ")
        ))));
    }
    blocks
}

/// A breakdown as rows, most first (ties by value).
fn by_count(map: &BTreeMap<String, u64>) -> Vec<(&String, &u64)> {
    let mut entries: Vec<(&String, &u64)> = map.iter().collect();
    entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    entries
}

/// `info`: what an index holds, as name–value rows, then one table per breakdown (a row per
/// category, outlet, language, medium and declared/detected pair, most documents first).
pub fn info(info: &IndexInfo) -> Vec<Block> {
    let rows = [
        ("documents", info.documents.to_string()),
        ("undated", info.undated.to_string()),
        (
            "dated to the month or year only",
            info.dated_to_month_or_year.to_string(),
        ),
        ("copies of another outlet's text", info.copies.to_string()),
        ("time zone", info.display_zone.clone()),
        (
            "first published",
            info.span.first_published.clone().unwrap_or_default(),
        ),
        (
            "last published",
            info.span.last_published.clone().unwrap_or_default(),
        ),
        (
            "size on disk",
            format!("{:.2} MB", info.size_bytes as f64 / 1e6),
        ),
    ];
    let mut blocks = vec![Block::Table(Table {
        class: "info",
        columns: vec![ColumnHead::new("index", ""), ColumnHead::new("value", "")],
        rows: rows
            .into_iter()
            .map(|(name, value)| vec![text(name), text(value)])
            .collect(),
    })];
    let disagreements = ("declared ≠ detected language", &info.lang_disagreements);
    for (name, map) in info.facets.named().into_iter().chain([disagreements]) {
        if map.is_empty() {
            continue;
        }
        blocks.push(Block::paragraph(Vec::new()));
        let rows = by_count(map);
        blocks.push(Block::Table(
            commands::facet_counts(name).table(Medium::Terminal, &rows),
        ));
    }
    blocks
}
