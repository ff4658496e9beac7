//! Fitting text into terminal columns: widths are display widths (a CJK character or an
//! emoji takes two columns, a combining mark none), and text too long for its place is cut
//! at a word boundary and marked with `…` — never inside a character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width tables are fitted to when standard output is not a terminal and `COLUMNS` is
/// not set.
pub const DEFAULT_WIDTH: usize = 100;

/// The mark of text left out.
pub const ELLIPSIS: char = '…';

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// True for a character after which a line may be cut: spaces, and the separators of
/// paths, lists and identifiers (a long outlet key or path has no spaces).
fn breaks_after(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '/' | '-' | '_' | '|' | ')' | '.')
}

/// `s` in at most `max` columns: as it is when it fits, else its first words followed by
/// `…`. A first word longer than half the room is cut between characters instead, so a
/// long word still shows its beginning.
pub fn truncate(s: &str, max: usize) -> String {
    cut_end(s, max, false)
}

/// `s` in at most `max` columns, cut only at a word boundary (the context of a
/// keyword-in-context line); a first word longer than the room is cut between characters.
pub fn truncate_words(s: &str, max: usize) -> String {
    cut_end(s, max, true)
}

/// `s` itself when it fits in `max` columns and nothing when there is no room; `None` when it
/// must be cut.
fn uncut(s: &str, max: usize) -> Option<String> {
    if width(s) <= max {
        Some(s.to_string())
    } else if max == 0 {
        Some(String::new())
    } else {
        None
    }
}

fn cut_end(s: &str, max: usize, whole_words: bool) -> String {
    if let Some(whole) = uncut(s, max) {
        return whole;
    }
    let room = max - 1;
    let mut used = 0;
    let mut end = 0;
    // (byte end, columns) of the longest prefix that ends at a word boundary.
    let mut boundary = (0, 0);
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        used += w;
        end = i + c.len_utf8();
        if breaks_after(c) {
            boundary = (end, used);
        }
    }
    // A prefix that ends where a space follows ends on a word boundary too.
    if s[end..].starts_with(char::is_whitespace) {
        boundary = (end, used);
    }
    let cut = if boundary.0 > 0 && (whole_words || boundary.1 * 2 >= room) {
        boundary.0
    } else {
        end
    };
    format!("{}{ELLIPSIS}", s[..cut].trim_end())
}

/// `s` in at most `max` columns, keeping its end: `…` followed by its last words (the
/// context left of a keyword-in-context match).
///
/// Only whole words are kept (a last word longer than the room is cut between characters).
pub fn truncate_start(s: &str, max: usize) -> String {
    if let Some(whole) = uncut(s, max) {
        return whole;
    }
    let room = max - 1;
    let mut used = 0;
    let mut start = s.len();
    let mut boundary = (s.len(), 0);
    for (i, c) in s.char_indices().rev() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        used += w;
        start = i;
        if i > 0 && s[..i].chars().next_back().is_some_and(breaks_after) {
            boundary = (i, used);
        }
    }
    let cut = if boundary.0 < s.len() {
        boundary.0
    } else {
        start
    };
    format!("{ELLIPSIS}{}", s[cut..].trim_start())
}

/// `s` padded with spaces to `columns` (left-aligned; wider text is left as it is).
pub fn pad_right(s: &str, columns: usize) -> String {
    format!("{s}{}", " ".repeat(columns.saturating_sub(width(s))))
}

/// `s` padded with spaces to `columns` (right-aligned).
pub fn pad_left(s: &str, columns: usize) -> String {
    format!("{}{s}", " ".repeat(columns.saturating_sub(width(s))))
}

/// `s` broken into lines of at most `max` columns at spaces; a word longer than a line is
/// cut with `…`.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    // A line that fits keeps its spacing (aligned name–value lines).
    if width(s) <= max {
        return vec![s.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let word = truncate(word, max);
        if !line.is_empty() && width(&line) + 1 + width(&word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cases::check;

    /// A way to cut text to a width.
    type Cut = fn(&str, usize) -> String;

    #[test]
    fn cuts_keep_whole_words_and_mark_the_cut() {
        let (end, start, words): (Cut, Cut, Cut) = (truncate, truncate_start, truncate_words);
        check(
            |(cut, text, columns)| cut(text, columns),
            [
                ((end, "state media said", 16), "state media said"),
                ((end, "state media said", 15), "state media…"),
                ((end, "state media said", 12), "state media…"),
                ((end, "state media said", 11), "state…"),
                // One long word: cut between characters, never inside one.
                ((end, "Қазақстанның", 6), "Қазақ…"),
                ((end, "abc", 0), ""),
                // Identifiers break at their separators.
                ((end, "birlik_aqparat_agency", 16), "birlik_aqparat_…"),
                // Wide characters take two columns.
                ((end, "新闻报道", 5), "新闻…"),
                // A combining accent adds no width and stays with its letter.
                ((end, "e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…"),
                // Left context is cut at the start.
                ((start, "the price of gas rose", 9), "…gas rose"),
                (
                    (start, "the price of gas rose", 21),
                    "the price of gas rose",
                ),
                ((start, "abcdefgh", 4), "…fgh"),
                ((start, "ab cdefgh", 5), "…efgh"),
                // Tables cut a long word rather than keep a short first word; context keeps
                // whole words.
                ((end, "ab cdefghij", 9), "ab cdefg…"),
                ((words, "ab cdefghij", 9), "ab…"),
            ],
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        check(width, [("新闻", 4), ("新闻…", 5), ("e\u{301}", 1)]);
    }

    #[test]
    fn wrapping_breaks_at_spaces() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("", 9), [""]);
        assert_eq!(wrap("abcdefghijkl x", 5), ["abcd…", "x"]);
    }
}
