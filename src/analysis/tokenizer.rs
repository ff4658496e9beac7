//! The analyzer as tantivy tokenizers: text in, a token stream of terms (or exact forms) out.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{fold_case, words, Analyzer};
use crate::segment::Words;

/// The analyzer as a tantivy tokenizer, registered under [`super::ANALYZER_NAME`].
#[derive(Clone, Default)]
pub struct MediawatchTokenizer {
    analyzer: Analyzer,
    token: Token,
}

/// Token stream of [`MediawatchTokenizer`] and [`ExactTokenizer`].
pub struct MediawatchTokenStream<'a> {
    /// `None`: exact forms.
    analyzer: Option<&'a Analyzer>,
    words: Words<'a>,
    token: &'a mut Token,
    position: usize,
}

impl Tokenizer for MediawatchTokenizer {
    type TokenStream<'a> = MediawatchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        MediawatchTokenStream {
            analyzer: Some(&self.analyzer),
            words: words(text),
            token: &mut self.token,
            position: 0,
        }
    }
}

/// Exact forms (NFC, lowercase, ё→е, no stemming) as a tantivy tokenizer, registered under
/// [`super::EXACT_ANALYZER_NAME`]: the same words at the same positions as
/// [`MediawatchTokenizer`].
#[derive(Clone, Default)]
pub struct ExactTokenizer {
    token: Token,
}

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = MediawatchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        MediawatchTokenStream {
            analyzer: None,
            words: words(text),
            token: &mut self.token,
            position: 0,
        }
    }
}

impl TokenStream for MediawatchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, word)) = self.words.next() else {
            return false;
        };
        let text = &mut self.token.text;
        text.clear();
        match self.analyzer {
            Some(analyzer) => analyzer.with_analyzed(word, |_, term| text.push_str(term)),
            None => fold_into(word, text),
        }
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Appends the exact form of `word` to `out`, without an allocation for ASCII and
/// already-composed Cyrillic words.
fn fold_into(word: &str, out: &mut String) {
    // Below U+0300 and in Cyrillic outside its combining marks, every character is already
    // composed: NFC cannot change the word.
    let composed = |c: char| {
        c < '\u{300}'
            || ('\u{400}'..='\u{482}').contains(&c)
            || ('\u{48a}'..='\u{52f}').contains(&c)
    };
    if word.chars().all(composed) {
        for c in word.chars().flat_map(char::to_lowercase) {
            out.push(if c == 'ё' { 'е' } else { c });
        }
    } else {
        out.push_str(&fold_case(word));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(tokenizer: &mut impl Tokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn tokenizer_matches_analyzer() {
        let text = "Токаева поддержали миротворцы ОДКБ";
        let terms: Vec<(String, usize)> = Analyzer::default()
            .terms(text)
            .into_iter()
            .enumerate()
            .map(|(i, t)| (t, i))
            .collect();
        assert_eq!(stream(&mut MediawatchTokenizer::default(), text), terms);
    }

    #[test]
    fn exact_tokens_are_folded_words_at_the_same_positions() {
        let text = "Протестующие ВЫШЛИ, ещё «Тоқаев» cafe\u{301}";
        let exact = stream(&mut ExactTokenizer::default(), text);
        let words: Vec<&str> = exact.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(words, ["протестующие", "вышли", "еще", "тоқаев", "café"]);
        let analyzed = stream(&mut MediawatchTokenizer::default(), text);
        let positions = |v: &[(String, usize)]| v.iter().map(|t| t.1).collect::<Vec<_>>();
        assert_eq!(positions(&exact), positions(&analyzed));
    }
}
