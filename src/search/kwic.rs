//! Keyword in context: a query and a document text in, every occurrence of the query's
//! terms (or phrases) with words of context out.

use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::Field;

use crate::text::Analyzer;

/// What to look for in a text: analyzed terms, consecutive term sequences, or term prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// One analyzed term.
    Term(String),
    /// Analyzed terms at consecutive positions.
    Phrase(Vec<String>),
    /// Analyzed terms starting with this.
    Prefix(String),
}

/// The patterns of a query that apply to `fields` (negated clauses excluded).
pub fn patterns(query: &dyn Query, fields: &[Field], prefixes: &[String]) -> Vec<Pattern> {
    let mut out = Vec::new();
    walk(query, fields, &mut out);
    out.extend(prefixes.iter().cloned().map(Pattern::Prefix));
    out.sort_by_key(|p| format!("{p:?}"));
    out.dedup();
    out
}

fn walk(query: &dyn Query, fields: &[Field], out: &mut Vec<Pattern>) {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        for (occur, sub) in boolean.clauses() {
            if *occur != Occur::MustNot {
                walk(sub.as_ref(), fields, out);
            }
        }
    } else if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        if fields.contains(&phrase.field()) {
            let terms = phrase
                .phrase_terms()
                .iter()
                .filter_map(|t| t.value().as_str().map(str::to_string))
                .collect();
            out.push(Pattern::Phrase(terms));
        }
    } else if let Some(term) = query.downcast_ref::<TermQuery>() {
        if fields.contains(&term.term().field()) {
            if let Some(text) = term.term().value().as_str() {
                out.push(Pattern::Term(text.to_string()));
            }
        }
    } else if query.downcast_ref::<RegexQuery>().is_some() {
        // Prefixes are passed in separately, unescaped.
    } else {
        query.query_terms(&mut |term, _| {
            if fields.contains(&term.field()) {
                if let Some(text) = term.value().as_str() {
                    out.push(Pattern::Term(text.to_string()));
                }
            }
        });
    }
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
    analyzer.for_each_term(text, |t| tokens.push(t));
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let length = patterns
            .iter()
            .filter_map(|p| match p {
                Pattern::Term(t) => (tokens[i].term == *t).then_some(1),
                Pattern::Prefix(prefix) => tokens[i].term.starts_with(prefix.as_str()).then_some(1),
                Pattern::Phrase(terms) => {
                    let fits = !terms.is_empty()
                        && i + terms.len() <= tokens.len()
                        && terms.iter().zip(&tokens[i..]).all(|(a, b)| *a == b.term);
                    fits.then_some(terms.len())
                }
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
}
