//! Frame dictionaries: `frames.csv` (frame, lang, pattern) in, patterns matching analyzed
//! words (a word matches its inflections; `prefix*` matches lowercased word forms) out.

use std::path::Path;

use serde::Serialize;

use crate::registry::{csv_with_header, load_with, RegistryError};
use crate::text::{fold_case, Analyzer};

/// One dictionary entry of a frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FramePattern {
    /// Frame name.
    pub frame: String,
    /// Language the entry was written for.
    pub lang: String,
    /// The pattern as written.
    pub pattern: String,
    /// Words of the pattern: analyzed terms, or for the last word of a `*` pattern a
    /// lowercased prefix.
    pub words: Vec<String>,
    /// True when the last word is a prefix.
    pub prefix: bool,
}

/// Frames and their patterns.
#[derive(Debug, Clone, Default)]
pub struct FrameRegistry {
    frames: Vec<String>,
    patterns: Vec<FramePattern>,
}

impl FrameRegistry {
    /// Loads `frames.csv` with header `frame,lang,pattern`.
    pub fn load(path: &Path) -> Result<FrameRegistry, RegistryError> {
        load_with(path, Self::from_csv)
    }

    /// Parses frame CSV bytes; errors carry the 1-based line and a message.
    pub fn from_csv(bytes: &[u8]) -> Result<FrameRegistry, (u64, String)> {
        let (mut reader, header) = csv_with_header(bytes)?;
        let column = |name: &str| header.iter().position(|h| h == name);
        let (Some(frame), Some(pattern)) = (column("frame"), column("pattern")) else {
            return Err((1, "expected header frame,lang,pattern".to_string()));
        };
        let lang = column("lang");
        let analyzer = Analyzer::default();
        let mut registry = FrameRegistry::default();
        for record in reader.records() {
            let record = record.map_err(|e| {
                (
                    e.position().map_or(0, |p| p.line()),
                    format!("malformed CSV: {e}"),
                )
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let get = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let (name, written) = (get(frame), get(pattern));
            if name.is_empty() || written.is_empty() {
                return Err((
                    line,
                    "a frame entry needs a frame name and a pattern".to_string(),
                ));
            }
            let prefix = written.ends_with('*');
            let body = written.trim_end_matches('*');
            let raw_words: Vec<&str> = crate::text::words(body).map(|(_, w)| w).collect();
            if raw_words.is_empty() {
                return Err((line, format!("pattern `{written}` has no words")));
            }
            let last = raw_words.len() - 1;
            let words = raw_words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if prefix && i == last {
                        fold_case(w)
                    } else {
                        analyzer.normalize(w)
                    }
                })
                .collect();
            if !registry.frames.contains(&name) {
                registry.frames.push(name.clone());
            }
            registry.patterns.push(FramePattern {
                frame: name,
                lang: lang.map(get).unwrap_or_default(),
                pattern: written,
                words,
                prefix,
            });
        }
        registry.frames.sort();
        Ok(registry)
    }

    /// Frame names, sorted.
    pub fn frames(&self) -> &[String] {
        &self.frames
    }

    /// All patterns in file order.
    pub fn patterns(&self) -> &[FramePattern] {
        &self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_analyzed_and_prefixes_folded() {
        let csv = "frame,lang,pattern\nriot,ru,Террорист*\nprotest,ru,мирные\nblackout,en,internet shutdown\n";
        let registry = FrameRegistry::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(registry.frames(), ["blackout", "protest", "riot"]);
        let riot = &registry.patterns()[0];
        assert!(riot.prefix);
        assert_eq!(riot.words, ["террорист"]);
        let analyzer = Analyzer::default();
        assert_eq!(registry.patterns()[1].words, [analyzer.normalize("мирные")]);
        assert_eq!(registry.patterns()[2].words.len(), 2);
    }
}
