//! Making untrusted document text safe for each output: terminals, spreadsheets, HTML.

/// Text for a terminal: control characters (ANSI escape sequences included) are dropped and
/// tabs and newlines become spaces, so a hostile title cannot move the cursor or clear the screen.
pub fn terminal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\t' || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect()
}

/// Unicode format characters (general category Cf, Unicode 15.1): invisible, yet they make two
/// identical-looking names differ — a byte-order mark from a concatenated file, a zero-width
/// joiner or space, bidirectional overrides such as U+202E that reverse what follows.
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` is an invisible format character (see [`FORMAT_CHARACTERS`]).
pub fn is_format_character(c: char) -> bool {
    // Everything below U+00AD is visible or a control character.
    c >= '\u{00AD}'
        && FORMAT_CHARACTERS
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A text cell for CSV opened in a spreadsheet: cells starting with `=`, `+`, `-`, `@`, tab or
/// carriage return get a leading `'` so they are not run as formulas.
pub fn spreadsheet(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Text for HTML element content and quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_drops_escape_sequences() {
        assert_eq!(terminal("a\u{1b}[2Jb\tc"), "a[2Jb c");
    }

    #[test]
    fn spreadsheet_neutralizes_formulas_only() {
        crate::cases::check(
            spreadsheet,
            [
                ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
                ("-1 killed", "'-1 killed"),
                ("@user", "'@user"),
                ("Мирные", "Мирные"),
            ],
        );
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
    }
}
