//! Frame dictionaries: `frames.csv` (frame, lang, pattern) in, patterns matching analyzed
//! words (a word matches its inflections; `prefix*` matches lowercased word forms) out.

use std::borrow::Borrow;
use std::path::Path;

use serde::Serialize;

use crate::analysis::tokenizer::sentence_ends_between;
use crate::analysis::{fold_case, Analyzer};
use crate::fasthash::FastMap;
use crate::registry::{load_with, rows_with, RegistryError};

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
        let analyzer = Analyzer::default();
        let mut registry = FrameRegistry::default();
        let columns = ["frame", "lang", "pattern"];
        rows_with(bytes, columns, &["lang"], |line, [name, lang, written]| {
            if name.is_empty() || written.is_empty() {
                return Err((
                    line,
                    "a frame entry needs a frame name and a pattern".to_string(),
                ));
            }
            let prefix = written.ends_with('*');
            let body = written.trim_end_matches('*');
            let raw_words: Vec<&str> = crate::analysis::words(body).map(|(_, w)| w).collect();
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
                lang,
                pattern: written,
                words,
                prefix,
            });
            Ok(())
        })?;
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

/// Finds frame hits in texts: a plain word (or phrase) pattern matches analyzed terms, a
/// `prefix*` pattern lowercased word forms. A pure value: it counts nothing, so one matcher
/// serves every thread.
#[derive(Debug, Clone)]
pub struct FrameMatcher {
    registry: FrameRegistry,
    /// Patterns by their exact first word.
    by_first: FastMap<String, Vec<usize>>,
    /// One-word prefix patterns by their first two letters (or one, for a one-letter prefix).
    prefix_first: FastMap<String, Vec<usize>>,
    /// Frame number of each pattern.
    frame_of: Vec<usize>,
    /// (pattern, word) of every word after the first of a pattern.
    later: Vec<(usize, usize)>,
    analyzer: Analyzer,
}

/// The first `n` characters of a word.
fn lead(word: &str, n: usize) -> &str {
    let end = word.char_indices().nth(n).map_or(word.len(), |(at, _)| at);
    &word[..end]
}

/// Whether `pattern` matches the analyzed words at `terms[i..]`.
fn matches<T: Borrow<(String, String)>>(pattern: &FramePattern, terms: &[T], i: usize) -> bool {
    let n = pattern.words.len();
    if i + n > terms.len() {
        return false;
    }
    (0..n).all(|k| {
        let (term, folded) = terms[i + k].borrow();
        word_matches(pattern, k, term, folded)
    })
}

/// Whether word `k` of `pattern` matches a word with this term and folded form.
fn word_matches(pattern: &FramePattern, k: usize, term: &str, folded: &str) -> bool {
    let word = pattern.words[k].as_str();
    if pattern.prefix && k == pattern.words.len() - 1 {
        folded.starts_with(word)
    } else {
        term == word
    }
}

impl FrameMatcher {
    /// A matcher for the patterns of the frame list at `path`.
    pub fn load(path: &Path) -> Result<FrameMatcher, RegistryError> {
        FrameRegistry::load(path).map(FrameMatcher::new)
    }

    /// A matcher for `registry`'s patterns.
    pub fn new(registry: FrameRegistry) -> FrameMatcher {
        let mut by_first: FastMap<String, Vec<usize>> = FastMap::default();
        let mut prefix_first: FastMap<String, Vec<usize>> = FastMap::default();
        let mut frame_of = Vec::new();
        for (i, pattern) in registry.patterns().iter().enumerate() {
            let frame = registry
                .frames()
                .iter()
                .position(|f| *f == pattern.frame)
                .unwrap_or(0);
            frame_of.push(frame);
            if pattern.prefix && pattern.words.len() == 1 {
                prefix_first
                    .entry(lead(&pattern.words[0], 2).to_string())
                    .or_default()
                    .push(i);
            } else if let Some(first) = pattern.words.first() {
                by_first.entry(first.clone()).or_default().push(i);
            }
        }
        let later = registry
            .patterns()
            .iter()
            .enumerate()
            .flat_map(|(p, pattern)| (1..pattern.words.len()).map(move |k| (p, k)))
            .collect();
        FrameMatcher {
            registry,
            by_first,
            prefix_first,
            frame_of,
            later,
            analyzer: Analyzer::default(),
        }
    }

    /// The dictionary.
    pub fn registry(&self) -> &FrameRegistry {
        &self.registry
    }

    /// The (term, lowercased word) pairs of a text, as [`FrameMatcher::hits_in`] takes them,
    /// with a blank pair (two empty strings) where a sentence ends: a pattern of several
    /// words never matches across a sentence end, as a phrase query and the index's frame
    /// counts (position holes) never do.
    pub fn analyze(&self, text: &str) -> Vec<(String, String)> {
        let mut terms = Vec::new();
        let mut last_end = None;
        self.analyzer.for_each_term(text, |t| {
            if last_end.is_some_and(|end| sentence_ends_between(&text[end..t.start])) {
                terms.push((String::new(), String::new()));
            }
            last_end = Some(t.end);
            terms.push((t.term, fold_case(&text[t.start..t.end])))
        });
        terms
    }

    /// Frame hits in `text`: (frame, matched words) for each match; a word is counted for at
    /// most one pattern per frame (the longest starting there), left to right. Hits come
    /// grouped by frame, in frame order.
    pub fn hits(&self, text: &str) -> Vec<(String, String)> {
        self.hits_in(&self.analyze(text))
    }

    /// The patterns that may start at a word with this term and folded form.
    fn candidates<'s>(&'s self, term: &str, folded: &str) -> impl Iterator<Item = usize> + 's {
        let exact = self.by_first.get(term).into_iter().flatten();
        // Looked up here, so the iterator holds no borrow of `folded`.
        let prefixed = [lead(folded, 2), lead(folded, 1)]
            .map(|key| self.prefix_first.get(key))
            .into_iter()
            .flatten()
            .flatten();
        exact.chain(prefixed).copied()
    }

    /// Whether a word (analyzed term, lowercased form) can be some word of some pattern:
    /// the only words [`FrameMatcher::hits_in`] can match.
    pub fn can_match(&self, term: &str, folded: &str) -> bool {
        let patterns = self.registry.patterns();
        self.candidates(term, folded)
            .any(|p| word_matches(&patterns[p], 0, term, folded))
            || self
                .later
                .iter()
                .any(|&(p, k)| word_matches(&patterns[p], k, term, folded))
    }

    /// Whether every pattern is one word (or one prefix): then a word's hits do not depend
    /// on its neighbours, and they can be counted from the index's term dictionary.
    pub fn single_words(&self) -> bool {
        self.registry.patterns().iter().all(|p| p.words.len() == 1)
    }

    /// Whether no pattern of several words has a word that a word with this term and folded
    /// form matches: then no hit of several words starts at or covers it, and its hits are
    /// [`FrameMatcher::frames_of_word`] wherever it occurs, whatever its neighbours.
    pub fn stands_alone(&self, term: &str, folded: &str) -> bool {
        let patterns = self.registry.patterns().iter();
        patterns.filter(|p| p.words.len() > 1).all(|pattern| {
            (0..pattern.words.len()).all(|k| !word_matches(pattern, k, term, folded))
        })
    }

    /// The frames (numbers in [`FrameRegistry::frames`]) a word with this term and folded
    /// form is a hit of, by its one-word patterns; each frame once.
    pub fn frames_of_word(&self, term: &str, folded: &str) -> Vec<usize> {
        let patterns = self.registry.patterns();
        let mut frames: Vec<usize> = self
            .candidates(term, folded)
            .filter(|&p| {
                patterns[p].words.len() == 1 && word_matches(&patterns[p], 0, term, folded)
            })
            .map(|p| self.frame_of[p])
            .collect();
        frames.sort_unstable();
        frames.dedup();
        frames
    }

    /// The patterns that may start at a word with this term and folded form, in the order
    /// [`FrameMatcher::hits_in`] tries them. Depends on the word alone, so a caller matching
    /// many texts of the same words (the index's, per segment) finds them once per word.
    pub fn starts(&self, term: &str, folded: &str) -> Vec<usize> {
        self.candidates(term, folded).collect()
    }

    /// Frame hits in analyzed words (see [`FrameMatcher::hits`]).
    pub fn hits_in<T: Borrow<(String, String)>>(&self, terms: &[T]) -> Vec<(String, String)> {
        self.hits_with_starts(terms, |i| {
            let (term, folded) = terms[i].borrow();
            self.starts(term, folded)
        })
    }

    /// [`FrameMatcher::hits_in`] with the patterns that may start at word `i` given by
    /// `starts(i)` (what [`FrameMatcher::starts`] gives for it).
    pub fn hits_with_starts<T: Borrow<(String, String)>, S: AsRef<[usize]>>(
        &self,
        terms: &[T],
        starts: impl Fn(usize) -> S,
    ) -> Vec<(String, String)> {
        let frames = self.registry.frames();
        self.hit_spans(terms, starts)
            .into_iter()
            .map(|hit| {
                let surface = terms[hit.start..hit.start + hit.len]
                    .iter()
                    .map(|t| t.borrow().1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (frames[hit.frame].clone(), surface)
            })
            .collect()
    }

    /// Where [`FrameMatcher::hits_with_starts`] finds its hits, in the same order (by frame,
    /// then left to right): the words of each, without making their strings.
    pub fn hit_spans<T: Borrow<(String, String)>, S: AsRef<[usize]>>(
        &self,
        terms: &[T],
        starts: impl Fn(usize) -> S,
    ) -> Vec<FrameHit> {
        let patterns = self.registry.patterns();
        let frames = self.registry.frames().len();
        let mut hits = Vec::new();
        let mut next_free = vec![0usize; frames];
        let mut best: Vec<usize> = vec![0; frames];
        for i in 0..terms.len() {
            let starts = starts(i);
            if starts.as_ref().is_empty() {
                continue;
            }
            best.iter_mut().for_each(|b| *b = 0);
            for &p in starts.as_ref() {
                let pattern = &patterns[p];
                let frame = self.frame_of[p];
                if i >= next_free[frame] && matches(pattern, terms, i) {
                    best[frame] = best[frame].max(pattern.words.len());
                }
            }
            for (frame, &len) in best.iter().enumerate() {
                if len > 0 {
                    hits.push(FrameHit {
                        frame,
                        start: i,
                        len,
                    });
                    next_free[frame] = i + len;
                }
            }
        }
        // Stable: within a frame, left to right.
        hits.sort_by_key(|hit| hit.frame);
        hits
    }
}

/// One hit of a frame: `len` words from word `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHit {
    /// Frame number in [`FrameRegistry::frames`].
    pub frame: usize,
    /// First word.
    pub start: usize,
    /// Words.
    pub len: usize,
}

// Repeated shape: the usual test module opening with a CSV fixture.
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

    #[test]
    fn prefixes_words_and_phrases_hit() {
        let csv = "frame,lang,pattern\nriot,ru,террорист*\nriot,ru,бандиты\nblackout,en,internet shutdown\nprotest,ru,мирные\n";
        let matcher = FrameMatcher::new(FrameRegistry::from_csv(csv.as_bytes()).unwrap());
        let hits = matcher
            .hits("Террористов и бандитов задержали. The internet shutdown lasted. Мирный митинг.");
        let frames: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        // террорист* (prefix), бандиты ~ бандитов (same stem), "internet shutdown", мирные ~ мирный.
        assert_eq!(frames, ["blackout", "protest", "riot", "riot"]);
        // A phrase does not match across a sentence end; a comma is no sentence end.
        assert!(matcher.hits("No internet. Shutdown later").is_empty());
        assert!(matcher.hits("No internet! Shutdown later").is_empty());
        assert_eq!(matcher.hits("internet, shutdown").len(), 1);
    }

    #[test]
    fn a_word_stands_alone_unless_a_pattern_of_several_words_can_match_it() {
        let csv = "frame,lang,pattern\nriot,ru,террорист*\nriot,ru,бандиты\nblackout,en,internet shutdown\nprotest,ru,мирные протест*\nprotest,ru,протест*\n";
        let matcher = FrameMatcher::new(FrameRegistry::from_csv(csv.as_bytes()).unwrap());
        let analyzer = Analyzer::default();
        let word = |w: &str| (analyzer.normalize(w), fold_case(w));
        let alone = |w: &str| {
            let (term, folded) = word(w);
            matcher.stands_alone(&term, &folded)
        };
        // Hit by one-word patterns only.
        assert!(alone("террористов") && alone("бандитов"));
        // A first word, a last word, a prefix's last word of a pattern of several words.
        assert!(!alone("internet") && !alone("shutdown"));
        assert!(!alone("мирные") && !alone("протестов"));
        // Where a word stands alone, its hits are the same in any company: those of
        // `frames_of_word`, once per occurrence.
        let frames = matcher.registry().frames();
        let (term, folded) = word("террористов");
        let own: Vec<&str> = matcher
            .frames_of_word(&term, &folded)
            .into_iter()
            .map(|f| frames[f].as_str())
            .collect();
        assert_eq!(own, ["riot"]);
        for text in [
            "террористов",
            "internet террористов shutdown",
            "мирные террористов протесты террористов",
        ] {
            let hits = matcher.hits(text);
            let riot = hits.iter().filter(|h| h.1 == "террористов").count();
            assert_eq!(riot, text.matches("террористов").count(), "{text}");
        }
    }
}
