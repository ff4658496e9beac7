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
        assert_eq!(spreadsheet("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet("-1 killed"), "'-1 killed");
        assert_eq!(spreadsheet("@user"), "'@user");
        assert_eq!(spreadsheet("Мирные"), "Мирные");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
    }
}
