//! The entity gazetteer: `entities.csv` (id, type, name, aliases) in, entities with their
//! aliases as analyzed term sequences out, so inflected forms match.

use std::borrow::Borrow;
use std::path::Path;

use serde::Serialize;

use crate::analysis::names::starts_sentence;
use crate::analysis::{fold_case, strip_kazakh_suffixes, Analyzer};
use crate::fasthash::FastMap;
use crate::registry::{items, load_with, rows_with, RegistryError};

/// One entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// `person`, `organisation`, `place`, ...
    pub kind: String,
    /// Canonical display name.
    pub name: String,
    /// Names as written, every language and spelling.
    pub aliases: Vec<String>,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Official` (generate/demo/data.rs): different facts, no shared type.
/// One alias of an entity, as the matcher compares it with a text's words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AliasPattern {
    /// Analyzed terms of the alias.
    pub terms: Vec<String>,
    /// Lowercased words with Kazakh endings stripped (a second chance for Kazakh words
    /// spelled without Kazakh-only letters, e.g. Алматыда ~ Алматы).
    pub stripped: Vec<String>,
    /// Index of the entity.
    pub entity: usize,
}

/// Entities with their aliases analyzed.
#[derive(Debug, Clone, Default)]
pub struct EntityRegistry {
    entities: Vec<Entity>,
    /// Aliases, longest first.
    patterns: Vec<AliasPattern>,
}

impl EntityRegistry {
    /// Loads `entities.csv` with header `id,type,name,aliases` (aliases `|`-separated).
    pub fn load(path: &Path) -> Result<EntityRegistry, RegistryError> {
        load_with(path, Self::from_csv)
    }

    /// Parses entity CSV bytes; errors carry the 1-based line and a message.
    pub fn from_csv(bytes: &[u8]) -> Result<EntityRegistry, (u64, String)> {
        let mut entities = Vec::new();
        let columns = ["id", "type", "name", "aliases"];
        rows_with(
            bytes,
            columns,
            &["aliases"],
            |line, [id, kind, name, aliases]| {
                if id.is_empty() || name.is_empty() {
                    return Err((line, "an entity needs an id and a name".to_string()));
                }
                let aliases = items(&aliases);
                entities.push(Entity {
                    id,
                    kind,
                    name,
                    aliases,
                });
                Ok(())
            },
        )?;
        Ok(Self::new(entities))
    }

    /// Builds the registry from entities (the name counts as an alias).
    pub fn new(entities: Vec<Entity>) -> EntityRegistry {
        let analyzer = Analyzer::default();
        let mut patterns = Vec::new();
        for (index, entity) in entities.iter().enumerate() {
            for alias in std::iter::once(&entity.name).chain(&entity.aliases) {
                let terms = analyzer.terms(alias);
                let stripped = crate::analysis::words(alias)
                    .map(|(_, w)| strip_kazakh_suffixes(&fold_case(w)).to_string())
                    .collect();
                if !terms.is_empty() {
                    patterns.push(AliasPattern {
                        terms,
                        stripped,
                        entity: index,
                    });
                }
            }
        }
        patterns.sort_by(|a, b| b.terms.len().cmp(&a.terms.len()).then(a.cmp(b)));
        patterns.dedup();
        EntityRegistry { entities, patterns }
    }

    /// The entities in file order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Alias patterns, longest first.
    pub fn patterns(&self) -> &[AliasPattern] {
        &self.patterns
    }

    /// True when the registry has no entities.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

/// One analyzed word of a text with what matching and name detection need.
#[derive(Debug, Clone)]
pub struct Word {
    /// Analyzed term.
    pub term: String,
    /// Kazakh-stripped lowercase form (fallback key).
    pub stripped: String,
    /// As written.
    pub surface: String,
    /// Lowercased (ё→е).
    pub folded: String,
    /// Starts with an uppercase letter.
    pub capitalized: bool,
    /// First word of a sentence or paragraph.
    pub sentence_initial: bool,
}

impl Word {
    /// The word written `surface`, with term `term`, starting a sentence or not.
    pub fn new(surface: &str, term: String, sentence_initial: bool) -> Word {
        let folded = fold_case(surface);
        Word {
            stripped: stripped(&folded),
            folded,
            capitalized: surface.chars().next().is_some_and(char::is_uppercase),
            sentence_initial,
            surface: surface.to_string(),
            term,
        }
    }

    /// Whether the word, matching no alias there, is (part of) a name the gazetteer may be
    /// missing: capitalized, not sentence-initial, more than one character, with a letter.
    pub fn is_name(&self) -> bool {
        self.capitalized
            && !self.sentence_initial
            && self.surface.chars().count() > 1
            && self.surface.chars().any(char::is_alphabetic)
    }

    /// A word that matches no alias and is no name: stands for words the matcher need not see.
    pub fn blank() -> Word {
        let none = "\u{0}".to_string();
        Word {
            term: none.clone(),
            stripped: none.clone(),
            surface: none.clone(),
            folded: none,
            capitalized: false,
            sentence_initial: false,
        }
    }
}

/// A run of words the matcher recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A mention of entity number `entity` (in [`EntityRegistry::entities`]) over `len` words
    /// from word `start`.
    Mention {
        /// Entity number.
        entity: usize,
        /// First word.
        start: usize,
        /// Words.
        len: usize,
    },
    /// Capitalized words, not sentence-initial, that match no alias: a name the gazetteer
    /// may be missing.
    Unknown {
        /// First word.
        start: usize,
        /// Words.
        len: usize,
    },
}

/// Longest case ending a capitalized name may carry beyond its alias's stem.
const NAME_ENDING_CHARS: usize = 3;
/// Shortest alias stem that may be matched as a prefix of a capitalized word.
const NAME_STEM_CHARS: usize = 4;

/// Finds gazetteer entities in texts: aliases are matched as analyzed term sequences (so
/// Токаев / Токаева / Токаеву meet), with a Kazakh suffix-stripping fallback for Kazakh
/// words spelled without Kazakh-only letters (Алматыда → алматы). A pure value: it counts
/// nothing, so one matcher serves every thread.
#[derive(Debug, Clone)]
pub struct EntityMatcher {
    registry: EntityRegistry,
    /// Alias patterns by first term (and by Kazakh-stripped first term).
    by_first: FastMap<String, Vec<usize>>,
    /// Every word of every alias, as term and as Kazakh-stripped form.
    words: crate::fasthash::FastSet<String>,
    /// Every word of every alias of several words, as term and Kazakh-stripped form (what
    /// [`word_matches`] compares), each once.
    in_several: Vec<(String, Option<String>)>,
    analyzer: Analyzer,
}

/// Keys under which a word may find alias patterns: its term, its Kazakh-stripped form and,
/// for capitalized words, its term without up to three final letters (Snowball stems foreign
/// names unevenly across cases: Жанаозен → жанаоз but Жанаозене → жанаозен).
fn lookup_keys(word: &Word) -> impl Iterator<Item = &str> {
    // Byte offsets of the term's last NAME_ENDING_CHARS chars, last first: the cuts.
    let mut cuts = [None; NAME_ENDING_CHARS];
    if word.capitalized {
        let chars = word.term.chars().count();
        for (cut, (offset, _)) in word.term.char_indices().rev().enumerate() {
            let cut = cut + 1;
            if cut > NAME_ENDING_CHARS {
                break;
            }
            if chars >= NAME_STEM_CHARS + cut {
                cuts[cut - 1] = Some(&word.term[..offset]);
            }
        }
    }
    [word.term.as_str(), word.stripped.as_str()]
        .into_iter()
        .chain(cuts.into_iter().flatten())
}

/// Whether a text word matches one word of an alias.
fn word_matches(word: &Word, term: &str, stripped: Option<&String>) -> bool {
    if word.term == term || stripped == Some(&word.stripped) {
        return true;
    }
    word.capitalized
        && term.chars().count() >= NAME_STEM_CHARS
        && word
            .term
            .strip_prefix(term)
            .is_some_and(|rest| rest.chars().count() <= NAME_ENDING_CHARS)
}

/// Most words whose Kazakh-stripped form one thread keeps (a few tens of MB).
const STRIPPED_CACHE: usize = 1 << 18;

thread_local! {
    /// Lowercased word → its Kazakh-stripped form: the stemmer is the costliest step of
    /// reading a text for entities, and a corpus repeats its words.
    static STRIPPED: std::cell::RefCell<FastMap<String, String>> =
        std::cell::RefCell::new(FastMap::default());
}

/// [`strip_kazakh_suffixes`] of a lowercased word, remembered per thread.
pub fn stripped(folded: &str) -> String {
    with_stripped(folded, str::to_string)
}

/// `f` of [`stripped`]`(folded)`, without copying a remembered form.
pub fn with_stripped<R>(folded: &str, f: impl FnOnce(&str) -> R) -> R {
    STRIPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(known) = cache.get(folded) {
            return f(known);
        }
        let stripped = strip_kazakh_suffixes(folded);
        let answer = f(&stripped);
        if cache.len() >= STRIPPED_CACHE {
            cache.clear();
        }
        cache.insert(folded.to_string(), stripped);
        answer
    })
}

impl EntityMatcher {
    /// A matcher for the aliases of the entity list at `path`.
    pub fn load(path: &Path) -> Result<EntityMatcher, RegistryError> {
        EntityRegistry::load(path).map(EntityMatcher::new)
    }

    /// A matcher for `registry`'s aliases.
    pub fn new(registry: EntityRegistry) -> EntityMatcher {
        let mut by_first: FastMap<String, Vec<usize>> = FastMap::default();
        for (i, pattern) in registry.patterns().iter().enumerate() {
            for first in [pattern.terms.first(), pattern.stripped.first()]
                .into_iter()
                .flatten()
            {
                by_first.entry(first.clone()).or_default().push(i);
            }
        }
        for list in by_first.values_mut() {
            list.dedup();
        }
        let words = registry
            .patterns()
            .iter()
            .flat_map(|p| p.terms.iter().chain(&p.stripped).cloned())
            .collect();
        let mut in_several: Vec<(String, Option<String>)> = registry
            .patterns()
            .iter()
            .filter(|p| p.terms.len() > 1)
            .flat_map(|p| {
                let stripped = |k: usize| p.stripped.get(k).cloned();
                p.terms
                    .iter()
                    .enumerate()
                    .map(move |(k, t)| (t.clone(), stripped(k)))
            })
            .collect();
        in_several.sort();
        in_several.dedup();
        EntityMatcher {
            registry,
            by_first,
            words,
            in_several,
            analyzer: Analyzer::default(),
        }
    }

    /// The gazetteer.
    pub fn registry(&self) -> &EntityRegistry {
        &self.registry
    }

    /// The words of a text with capitalization and sentence position.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut last_end = 0;
        self.analyzer.for_each_term(text, |t| {
            // A word is sentence-initial when a sentence end (or a line break) precedes it.
            let between = (!out.is_empty()).then(|| &text[last_end..t.start]);
            let surface = &text[t.start..t.end];
            out.push(Word::new(surface, t.term, starts_sentence(between)));
            last_end = t.end;
        });
        out
    }

    /// Whether a word that is not capitalized, with term `term` and Kazakh-stripped form
    /// `stripped`, can be part of a mention: it equals a word of an alias.
    pub fn can_match_lowercase(&self, term: &str, stripped: &str) -> bool {
        self.words.contains(term) || self.words.contains(stripped)
    }

    /// Whether `word` (any case) can be some word of some alias: when it cannot and is no
    /// name ([`Word::is_name`]), [`EntityMatcher::find`] finds the same in a text where a
    /// [`Word::blank`] stands for it.
    pub fn can_match(&self, word: &Word) -> bool {
        // The keys cover every way [`word_matches`] can succeed: equal term, equal stripped
        // form, or (capitalized) the term with a short case ending cut.
        lookup_keys(word).any(|key| self.words.contains(key))
    }

    /// The entity `word` is a mention of wherever it occurs, whatever its neighbours: when
    /// an alias of one word matches it and no word of an alias of several words does. Then
    /// [`EntityMatcher::find`] finds it as a mention of that entity in any text (no
    /// mention of several words can start at it or take it in), and the words around it are
    /// found as where a [`Word::blank`] stands for it. Its capitalization counts (a
    /// capitalized word may carry a case ending); whether it starts a sentence does not.
    pub fn alone(&self, word: &Word) -> Option<usize> {
        let in_several = self
            .in_several
            .iter()
            .any(|(term, stripped)| word_matches(word, term, stripped.as_ref()));
        if in_several {
            return None;
        }
        self.match_at(&[word], 0, &self.starts(word))
            .map(|(entity, _)| entity)
    }

    /// The alias patterns that may start at `word`, sorted, each once: those listed under
    /// one of its lookup keys. Depends on the word alone, so a caller matching many texts
    /// of the same words (the index's, per segment) finds them once per word.
    pub fn starts(&self, word: &Word) -> Vec<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        for key in lookup_keys(word) {
            if let Some(list) = self.by_first.get(key) {
                candidates.extend(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// The entity matched at `words[i..]`, with its length in words: the longest alias
    /// starting there (ties: the entity listed first), among `candidates` (see
    /// [`EntityMatcher::starts`]).
    fn match_at<W: Borrow<Word>>(
        &self,
        words: &[W],
        i: usize,
        candidates: &[usize],
    ) -> Option<(usize, usize)> {
        let patterns = self.registry.patterns();
        candidates
            .iter()
            .filter_map(|&p| {
                let pattern = &patterns[p];
                let len = pattern.terms.len();
                let fits = i + len <= words.len()
                    && (0..len).all(|k| {
                        let word = words[i + k].borrow();
                        word_matches(word, &pattern.terms[k], pattern.stripped.get(k))
                    });
                fits.then_some((pattern.entity, len))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Mentions and unknown-name runs in `words`, left to right; a word belongs to at most one.
    pub fn find<W: Borrow<Word>>(&self, words: &[W]) -> Vec<Found> {
        self.find_with_starts(words, |i| self.starts(words[i].borrow()))
    }

    /// [`EntityMatcher::find`] with the patterns that may start at word `i` given by
    /// `starts(i)` (what [`EntityMatcher::starts`] gives for it).
    pub fn find_with_starts<W: Borrow<Word>, S: AsRef<[usize]>>(
        &self,
        words: &[W],
        starts: impl Fn(usize) -> S,
    ) -> Vec<Found> {
        let mut found = Vec::new();
        let mut unknown: Option<usize> = None;
        let flush = |found: &mut Vec<Found>, unknown: &mut Option<usize>, end: usize| {
            if let Some(start) = unknown.take() {
                found.push(Found::Unknown {
                    start,
                    len: end - start,
                });
            }
        };
        let mut i = 0;
        while i < words.len() {
            if let Some((entity, len)) = self.match_at(words, i, starts(i).as_ref()) {
                flush(&mut found, &mut unknown, i);
                found.push(Found::Mention {
                    entity,
                    start: i,
                    len,
                });
                i += len;
                continue;
            }
            if words[i].borrow().is_name() {
                unknown.get_or_insert(i);
            } else {
                flush(&mut found, &mut unknown, i);
            }
            i += 1;
        }
        flush(&mut found, &mut unknown, words.len());
        found
    }
}

// Repeated shape: the usual test module opening with a CSV fixture.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_analyzed_sequences() {
        let csv = "id,type,name,aliases\ntokayev,person,Kassym-Jomart Tokayev,Токаев|Тоқаев|Касым-Жомарт Токаев\n";
        let registry = EntityRegistry::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(registry.entities().len(), 1);
        let patterns: Vec<&Vec<String>> = registry.patterns().iter().map(|p| &p.terms).collect();
        assert!(patterns.contains(&&vec!["токаев".to_string()]));
        assert!(patterns.contains(&&vec!["тоқаев".to_string()]));
        assert_eq!(patterns[0].len(), 3); // longest first
    }

    #[test]
    fn a_word_stands_alone_when_only_aliases_of_one_word_match_it() {
        let csv = "id,type,name,aliases\n\
                   tokayev,person,Токаев,Касым-Жомарт Токаев\n\
                   almaty,place,Алматы,Алма-Ата\n\
                   zhanaozen,place,Жанаозен,\n";
        let matcher = EntityMatcher::new(EntityRegistry::from_csv(csv.as_bytes()).unwrap());
        let analyzer = Analyzer::default();
        let alone = |surface: &str| {
            let word = Word::new(surface, analyzer.normalize(surface), false);
            matcher.alone(&word)
        };
        // By hand: Жанаозен is no word of an alias of several words, in any case, with a
        // case ending too (a capitalized word may carry one).
        assert_eq!(alone("Жанаозен"), Some(2));
        assert_eq!(alone("жанаозен"), Some(2));
        assert_eq!(alone("Жанаозене"), Some(2));
        // Токаев may end "Касым-Жомарт Токаев", Касым start it.
        assert_eq!(alone("Токаев"), None);
        assert_eq!(alone("Касым"), None);
        // Capitalized, Алматы may be Алма with a case ending, the start of "Алма-Ата";
        // lowercase it can only be Алматы.
        assert_eq!(alone("Алматы"), None);
        assert_eq!(alone("алматы"), Some(1));
        // No alias at all.
        assert_eq!(alone("Москва"), None);
    }

    #[test]
    fn missing_columns_are_named() {
        assert!(EntityRegistry::from_csv(b"id,name\nx,y\n")
            .unwrap_err()
            .1
            .contains("id,type,name"));
    }
}
