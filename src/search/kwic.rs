//! Keyword in context: a query's patterns and a document text in, every occurrence of the
//! query's terms, exact forms, phrases, prefixes or expressions with words of context out.

use serde::Serialize;

use crate::analysis::{fold_case, Analyzer};

/// What to look for in a text (see [`crate::search::query::patterns`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// One analyzed term.
    Term(String),
    /// One exact form.
    Exact(String),
    /// Analyzed terms at consecutive positions.
    Phrase(Vec<String>),
    /// Exact forms at consecutive positions.
    ExactPhrase(Vec<String>),
    /// Exact forms starting with this.
    Prefix(String),
    /// Exact forms matching this regular expression as a whole.
    Regex(String),
}

/// A word of the text: its term, exact form and byte range.
struct Token {
    term: String,
    exact: String,
    start: usize,
    end: usize,
}

/// One occurrence with its context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// Context before the match.
    pub left: String,
    /// The matched words as written.
    pub matched: String,
    /// Context after the match.
    pub right: String,
    /// Byte offset of the match in the text.
    pub start: usize,
}

/// Every occurrence of `patterns` in `text`, in text order, with `window` words each side.
pub fn occurrences(
    analyzer: &Analyzer,
    text: &str,
    patterns: &[Pattern],
    window: usize,
) -> Vec<Occurrence> {
    let mut tokens = Vec::new();
    analyzer.for_each_term(text, |t| {
        tokens.push(Token {
            exact: fold_case(&text[t.start..t.end]),
            term: t.term,
            start: t.start,
            end: t.end,
        })
    });
    // Expressions match whole exact forms, as tantivy's RegexQuery matches whole terms; one
    // that does not compile matches nothing (the query itself reported it).
    let regexes: Vec<Option<regex::Regex>> = patterns
        .iter()
        .map(|p| match p {
            Pattern::Regex(r) => regex::Regex::new(&format!("^(?:{r})$")).ok(),
            _ => None,
        })
        .collect();
    let sequence = |i: usize, items: &[String], exact: bool| {
        let fits = !items.is_empty()
            && i + items.len() <= tokens.len()
            && items
                .iter()
                .zip(&tokens[i..])
                .all(|(a, b)| a == if exact { &b.exact } else { &b.term });
        fits.then_some(items.len())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let length = patterns
            .iter()
            .zip(&regexes)
            .filter_map(|(p, regex)| match p {
                Pattern::Term(t) => (tokens[i].term == *t).then_some(1),
                Pattern::Exact(e) => (tokens[i].exact == *e).then_some(1),
                Pattern::Prefix(prefix) => {
                    tokens[i].exact.starts_with(prefix.as_str()).then_some(1)
                }
                Pattern::Regex(_) => regex
                    .as_ref()
                    .is_some_and(|r| r.is_match(&tokens[i].exact))
                    .then_some(1),
                Pattern::Phrase(terms) => sequence(i, terms, false),
                Pattern::ExactPhrase(forms) => sequence(i, forms, true),
            })
            .max();
        let Some(length) = length else {
            i += 1;
            continue;
        };
        let last = i + length - 1;
        let left_start = tokens[i.saturating_sub(window)].start;
        let right_end = tokens[last.saturating_add(window).min(tokens.len() - 1)].end;
        let (start, end) = (tokens[i].start, tokens[last].end);
        out.push(Occurrence {
            left: flatten(&text[left_start..start]),
            matched: flatten(&text[start..end]),
            right: flatten(&text[end..right_end]),
            start,
        });
        i = last + 1;
    }
    out
}

fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_with_word_windows() {
        let a = Analyzer::default();
        let text = "Мирные протестующие вышли. Полиция задержала протестующих у акимата.";
        let found = occurrences(&a, text, &[Pattern::Term(a.normalize("протестующие"))], 2);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].left, "Мирные");
        assert_eq!(found[0].matched, "протестующие");
        assert_eq!(found[0].right, "вышли. Полиция");
        assert_eq!(found[1].left, "Полиция задержала");
        assert_eq!(found[1].matched, "протестующих");
    }

    #[test]
    fn phrases_match_only_consecutive_terms() {
        let a = Analyzer::default();
        let phrase = Pattern::Phrase(vec![a.normalize("цены"), a.normalize("газ")]);
        let text = "Цены на газ выросли. Цены газ. Газ и цены.";
        let found = occurrences(&a, text, &[phrase], 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].matched, "Цены газ");
    }

    #[test]
    fn exact_forms_prefixes_and_expressions_match_exact_forms() {
        let a = Analyzer::default();
        let text = "Протестующие вышли; полиция задержала протестующих. Протест!";
        let matched = |p: Pattern| -> Vec<String> {
            occurrences(&a, text, &[p], 0)
                .into_iter()
                .map(|o| o.matched)
                .collect()
        };
        assert_eq!(
            matched(Pattern::Exact("протестующих".into())),
            ["протестующих"]
        );
        assert_eq!(
            matched(Pattern::Prefix("протест".into())),
            ["Протестующие", "протестующих", "Протест"]
        );
        assert_eq!(
            matched(Pattern::Regex("протест.*их".into())),
            ["протестующих"]
        );
        assert_eq!(
            matched(Pattern::ExactPhrase(vec![
                "задержала".into(),
                "протестующих".into()
            ])),
            ["задержала протестующих"]
        );
        // A window wider than the text is the whole text, never a panic.
        assert_eq!(
            occurrences(&a, text, &[Pattern::Exact("вышли".into())], usize::MAX).len(),
            1
        );
    }
}
