//! Keyword-in-context lines on the terminal: the match column aligned, the context cut at
//! word boundaries (with `…`) so every line fits the width.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::SideBySide;
use crate::report::fit;
use crate::report::terminal;
use crate::search::KwicLine;

/// Widest outlet column of a fitted listing (longer keys are cut at a separator).
const MAX_OUTLET: usize = 24;
/// Narrowest side-by-side column; with more groups than fit, groups are listed one after
/// another instead.
const MIN_SIDE_COLUMN: usize = 28;

/// The context left of the match right-aligned in `left` columns, ` | match | `, and the
/// context right of it in what remains of `room`.
fn cell(line: &KwicLine, left: usize, room: usize) -> String {
    let before = fit::truncate_start(&terminal::text(&line.left), left);
    let matched = terminal::text(&line.matched);
    let used = left + fit::width(&matched) + 6;
    let after = fit::truncate_words(&terminal::text(&line.right), room.saturating_sub(used));
    format!("{} | {matched} | {after}", fit::pad_left(&before, left))
}

/// Columns of left context that leave the match column at one place for `lines` in `room`.
fn left_room(lines: &[&KwicLine], room: Option<usize>) -> usize {
    let widest_left = lines.iter().map(|l| fit::width(&l.left)).max().unwrap_or(0);
    let Some(room) = room else {
        return widest_left;
    };
    let mut matches: Vec<usize> = lines.iter().map(|l| fit::width(&l.matched)).collect();
    matches.sort_unstable();
    // The typical (median) match; a longer one takes its room from the right context.
    let typical = matches.get(matches.len() / 2).copied().unwrap_or(0);
    (room.saturating_sub(typical + 6) / 2).min(widest_left)
}

/// One line per match: day, outlet, programme time (broadcasts) and the match in context.
pub fn lines(out: &mut impl Write, lines: &[KwicLine], width: Option<usize>) -> io::Result<()> {
    let outlet_width = lines
        .iter()
        .map(|l| fit::width(&terminal::text(&l.outlet)))
        .max()
        .unwrap_or(0);
    let outlet_width = match width {
        Some(_) => outlet_width.min(MAX_OUTLET),
        None => outlet_width,
    };
    let timed = lines.iter().any(|l| l.at.is_some());
    let prefix_width = 10 + 2 + outlet_width + 2 + if timed { 10 } else { 0 };
    let room = width.map(|w| w.saturating_sub(prefix_width));
    let all: Vec<&KwicLine> = lines.iter().collect();
    let left = left_room(&all, room);
    for line in lines {
        let outlet = fit::truncate(&terminal::text(&line.outlet), outlet_width);
        let at = match (&line.at, timed) {
            (Some(at), _) => format!("{at:<8}  "),
            (None, true) => " ".repeat(10),
            (None, false) => String::new(),
        };
        let text = format!(
            "{:<10}  {}  {at}{}",
            line.published.get(..10).unwrap_or(&line.published),
            fit::pad_right(&outlet, outlet_width),
            cell(line, left, room.unwrap_or(usize::MAX))
        );
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// Lines grouped by category or outlet, one column per group; when the groups would make
/// columns narrower than [`MIN_SIDE_COLUMN`], one group after another.
pub fn side_by_side(
    out: &mut impl Write,
    lines: &[KwicLine],
    by: SideBySide,
    width: Option<usize>,
) -> io::Result<()> {
    let mut groups: BTreeMap<&str, Vec<&KwicLine>> = BTreeMap::new();
    for line in lines {
        let key = match by {
            SideBySide::Category => line.category.as_str(),
            SideBySide::Outlet => line.outlet.as_str(),
        };
        groups.entry(key).or_default().push(line);
    }
    let columns = groups.len().max(1);
    let column_width = match width {
        Some(w) => w.saturating_sub(3 * (columns - 1)) / columns,
        // Without a width, as wide as 150 columns would make them.
        None => ((150 / columns).saturating_sub(14) / 2) * 2 + 14,
    };
    if width.is_some() && column_width < MIN_SIDE_COLUMN {
        for (name, group) in &groups {
            writeln!(out, "\n{} ({})", terminal::text(name), group.len())?;
            let owned: Vec<KwicLine> = group.iter().map(|l| (*l).clone()).collect();
            self::lines(out, &owned, width)?;
        }
        return Ok(());
    }
    let all: Vec<&KwicLine> = lines.iter().collect();
    let left = left_room(&all, Some(column_width));
    let header: Vec<String> = groups
        .iter()
        .map(|(name, lines)| {
            let title = format!("{} ({})", terminal::text(name), lines.len());
            fit::pad_right(&fit::truncate(&title, column_width), column_width)
        })
        .collect();
    writeln!(out, "{}", header.join(" ‖ ").trim_end())?;
    let rows = groups.values().map(Vec::len).max().unwrap_or(0);
    for i in 0..rows {
        let cells: Vec<String> = groups
            .values()
            .map(|lines| match lines.get(i) {
                Some(line) => {
                    let text = fit::truncate(&cell(line, left, column_width), column_width);
                    fit::pad_right(&text, column_width)
                }
                None => " ".repeat(column_width),
            })
            .collect();
        writeln!(out, "{}", cells.join(" ‖ ").trim_end())?;
    }
    Ok(())
}
