//! Rendering results for people (aligned tables) and scripts (JSON).

use std::collections::BTreeMap;
use std::io::{self, Write};

use mediawatch::index::info::IndexInfo;
use mediawatch::ingest::source::Skipped;
use mediawatch::pipeline::IngestSummary;
use serde::Serialize;

/// Writes `value` as pretty JSON.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Passes on a rendering error, else flushes. A closed pipe (`| head`) surfaces as an error
/// here and `main` treats it as success, in one place for every command.
pub fn finish(written: io::Result<()>, mut out: impl Write) -> io::Result<()> {
    written?;
    out.flush()
}

pub use mediawatch::escape::terminal as plain;

/// Writes rows as an aligned table; numeric-looking cells are right-aligned.
pub fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let is_number = |cell: &String| {
        !cell.is_empty()
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    };
    let numeric: Vec<bool> = (0..widths.len())
        .map(|i| i > 0 && !rows.is_empty() && rows.iter().all(|r| r.get(i).is_none_or(is_number)))
        .collect();
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut parts = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            parts.push(if numeric.get(i).copied().unwrap_or(false) {
                format!("{pad}{cell}")
            } else {
                format!("{cell}{pad}")
            });
        }
        writeln!(out, "{}", parts.join("  ").trim_end())
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for row in rows {
        line(out, row)?;
    }
    Ok(())
}

/// Files listed one by one in the ingest table; more are grouped by directory.
const MAX_FILE_ROWS: usize = 40;

/// The ingest summary: per-file counts, totals, reject reasons and unknown outlets.
pub fn ingest_table(out: &mut impl Write, summary: &IngestSummary) -> io::Result<()> {
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
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|(name, c)| {
            let mut row = vec![plain(name)];
            row.extend(c.iter().map(u64::to_string));
            row
        })
        .collect();
    rows.push(vec![
        "TOTAL".into(),
        summary.read.to_string(),
        summary.indexed.to_string(),
        summary.duplicates.to_string(),
        summary.rejected.to_string(),
    ]);
    table(
        out,
        &["file", "read", "indexed", "duplicates", "rejected"],
        &rows,
    )?;
    writeln!(
        out,
        "\n{} documents in the index; {} replaced an older version, {} relabelled, {} were already indexed.",
        summary.documents_in_index, summary.replaced, summary.relabelled, summary.already_indexed
    )?;
    if summary.copies > 0 {
        writeln!(
            out,
            "{} texts another outlet published first were indexed as that outlet's copies (`copy_of`).",
            summary.copies
        )?;
    }
    if summary.undated > 0 {
        writeln!(
            out,
            "{} documents have no publication date: indexed undated, off timelines and date filters.",
            summary.undated
        )?;
    }
    if summary.declared_lang_kept > 0 {
        writeln!(
            out,
            "{} records kept their declared language over an unsure detection.",
            summary.declared_lang_kept
        )?;
    }
    if summary.rejected > 0 {
        let reasons: Vec<String> = summary
            .reject_reasons
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        writeln!(
            out,
            "Rejected: {} — details in {}",
            reasons.join(", "),
            summary.rejects_file
        )?;
    }
    if summary.duplicates > summary.already_indexed {
        writeln!(
            out,
            "Duplicates under another id are listed in {}",
            summary.duplicates_file
        )?;
    }
    if !summary.unknown_outlets.is_empty() {
        let outlets: Vec<String> = summary
            .unknown_outlets
            .iter()
            .map(|(name, n)| format!("{} ({n})", plain(name)))
            .collect();
        writeln!(
            out,
            "Outlets not in the registry (indexed with category `unknown`): {}",
            outlets.join(", ")
        )?;
    }
    skipped_lines(out, &summary.skipped)?;
    writeln!(
        out,
        "Days are days of {}. Took {:.1} s, {:.0} records/s.",
        summary.display_zone, summary.elapsed_seconds, summary.records_per_second
    )
}

/// Paths shown per skip reason in the table (all of them are in `--format json`).
const SKIPPED_SHOWN: usize = 5;

/// One line per skip reason: how many, and the first few paths with their details.
fn skipped_lines(out: &mut impl Write, skipped: &[Skipped]) -> io::Result<()> {
    let mut by_reason: BTreeMap<&str, Vec<&Skipped>> = BTreeMap::new();
    for s in skipped {
        by_reason.entry(s.reason.describe()).or_default().push(s);
    }
    for (reason, list) in by_reason {
        let shown: Vec<String> = list
            .iter()
            .take(SKIPPED_SHOWN)
            .map(|s| format!("{} ({})", plain(&s.path), plain(&s.detail)))
            .collect();
        let more = match list.len().saturating_sub(SKIPPED_SHOWN) {
            0 => String::new(),
            n => format!(", and {n} more (all listed with --format json)"),
        };
        writeln!(
            out,
            "Skipped ({reason}): {} — {}{more}",
            list.len(),
            shown.join(", ")
        )?;
    }
    Ok(())
}

fn counts(map: &BTreeMap<String, u64>) -> String {
    let mut entries: Vec<(&String, &u64)> = map.iter().collect();
    entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    entries
        .iter()
        .map(|(k, v)| format!("{} {v}", plain(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an index holds.
pub fn info_table(out: &mut impl Write, info: &IndexInfo) -> io::Result<()> {
    let rows = vec![
        vec!["documents".to_string(), info.documents.to_string()],
        vec!["by category".to_string(), counts(&info.by_category)],
        vec!["by outlet".to_string(), counts(&info.by_outlet)],
        vec!["by language".to_string(), counts(&info.by_lang)],
        vec!["by medium".to_string(), counts(&info.by_medium)],
        vec!["undated".to_string(), info.undated.to_string()],
        vec![
            "dated to the month or year only".to_string(),
            info.dated_to_month_or_year.to_string(),
        ],
        vec![
            "copies of another outlet's text".to_string(),
            info.copies.to_string(),
        ],
        vec!["time zone".to_string(), info.display_zone.clone()],
        vec![
            "first published".to_string(),
            info.first_published.clone().unwrap_or_default(),
        ],
        vec![
            "last published".to_string(),
            info.last_published.clone().unwrap_or_default(),
        ],
        vec![
            "declared ≠ detected language".to_string(),
            counts(&info.lang_disagreements),
        ],
        vec![
            "size on disk".to_string(),
            format!("{:.2} MB", info.size_bytes as f64 / 1e6),
        ],
    ];
    table(out, &["index", "value"], &rows)
}
