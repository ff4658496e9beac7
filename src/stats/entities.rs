//! Entity mentions: documents in, per-group mentions, documents mentioning, share of voice,
//! per-day series, co-mentions, and capitalized names missing from the gazetteer out.
//!
//! Aliases are matched as analyzed term sequences (so Токаев / Токаева / Токаеву meet),
//! with a Kazakh suffix-stripping fallback for Kazakh words spelled without Kazakh-only
//! letters (Алматыда → алматы).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::fasthash::FastMap;
use crate::index::stored::StoredDocument;
use crate::registry::EntityRegistry;
use crate::stats::counts::{CorpusCounts, TermExtractor};
use crate::stats::scan::Accumulator;
use crate::text::{fold_case, strip_kazakh_suffixes, Analyzer};

/// One analyzed word with what name detection needs.
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

/// The words of a text with capitalization and sentence position.
pub fn words(analyzer: &Analyzer, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut last_end = 0;
    analyzer.for_each_term(text, |t| {
        let between = &text[last_end..t.start];
        // A word is sentence-initial when a sentence end (or a line break) precedes it.
        let sentence_initial = out.is_empty() || between.contains(['.', '!', '?', '…', '\n', ':']);
        let surface = &text[t.start..t.end];
        let folded = fold_case(surface);
        out.push(Word {
            stripped: strip_kazakh_suffixes(&folded).to_string(),
            folded,
            capitalized: surface.chars().next().is_some_and(char::is_uppercase),
            sentence_initial,
            surface: surface.to_string(),
            term: t.term,
        });
        last_end = t.end;
    });
    out
}

/// A capitalized name not in the gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnknownName {
    /// The name as most often spelled (names of one analyzed form are grouped).
    pub name: String,
    /// Spellings as written, most frequent first.
    pub forms: Vec<String>,
    /// Occurrences.
    pub count: u64,
}

/// Collects entity mentions while scanning.
pub struct EntityAccumulator {
    registry: Arc<EntityRegistry>,
    by_first: Arc<FastMap<String, Vec<usize>>>,
    extractor: Arc<TermExtractor>,
    outlets: Arc<BTreeMap<String, u32>>,
    analyzer: Analyzer,
    /// Mentions as counts: the "terms" are entity ids.
    pub counts: CorpusCounts,
    /// Mentions per (entity id, group, day).
    pub series: BTreeMap<(String, String, String), u64>,
    /// Tokens per (group, day), to normalize the series.
    pub day_tokens: BTreeMap<(String, String), u64>,
    /// Documents mentioning both entities of a pair (ids sorted).
    pub co_mentions: BTreeMap<(String, String), u64>,
    /// Unknown capitalized names: normalized form → spellings with counts.
    pub unknown: HashMap<String, HashMap<String, u64>>,
}

/// Longest case ending a capitalized name may carry beyond its alias's stem.
const NAME_ENDING_CHARS: usize = 3;
/// Shortest alias stem that may be matched as a prefix of a capitalized word.
const NAME_STEM_CHARS: usize = 4;

/// Keys under which a word may find alias patterns: its term, its Kazakh-stripped form and,
/// for capitalized words, its term without up to three final letters (Snowball stems foreign
/// names unevenly across cases: Жанаозен → жанаоз but Жанаозене → жанаозен).
fn lookup_keys(word: &Word) -> Vec<&str> {
    let mut keys = vec![word.term.as_str(), word.stripped.as_str()];
    if word.capitalized {
        let chars: Vec<(usize, char)> = word.term.char_indices().collect();
        for cut in 1..=NAME_ENDING_CHARS {
            if chars.len() >= NAME_STEM_CHARS + cut {
                keys.push(&word.term[..chars[chars.len() - cut].0]);
            }
        }
    }
    keys
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

/// Index of alias patterns by their first term (and by Kazakh-stripped first term).
pub fn first_term_index(registry: &EntityRegistry) -> FastMap<String, Vec<usize>> {
    let mut index: FastMap<String, Vec<usize>> = FastMap::default();
    for (i, pattern) in registry.patterns().iter().enumerate() {
        for first in [pattern.terms.first(), pattern.stripped.first()]
            .into_iter()
            .flatten()
        {
            index.entry(first.clone()).or_default().push(i);
        }
    }
    for list in index.values_mut() {
        list.dedup();
    }
    index
}

impl EntityAccumulator {
    /// A fresh accumulator.
    pub fn new(
        registry: Arc<EntityRegistry>,
        by_first: Arc<FastMap<String, Vec<usize>>>,
        extractor: Arc<TermExtractor>,
        outlets: Arc<BTreeMap<String, u32>>,
    ) -> Self {
        EntityAccumulator {
            registry,
            by_first,
            extractor,
            outlets,
            analyzer: Analyzer::default(),
            counts: CorpusCounts::default(),
            series: BTreeMap::new(),
            day_tokens: BTreeMap::new(),
            co_mentions: BTreeMap::new(),
            unknown: HashMap::new(),
        }
    }

    /// The entity matched at `words[i..]`, with its length in words.
    fn match_at(&self, words: &[Word], i: usize) -> Option<(usize, usize)> {
        let word = &words[i];
        let mut candidates: Vec<usize> = Vec::new();
        for key in lookup_keys(word) {
            if let Some(list) = self.by_first.get(key) {
                candidates.extend(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let patterns = self.registry.patterns();
        candidates
            .into_iter()
            .filter_map(|p| {
                let pattern = &patterns[p];
                let len = pattern.terms.len();
                let fits = i + len <= words.len()
                    && (0..len).all(|k| {
                        word_matches(&words[i + k], &pattern.terms[k], pattern.stripped.get(k))
                    });
                fits.then_some((pattern.entity, len))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    fn scan_text(&mut self, words: &[Word], mentions: &mut Vec<(String, String)>) {
        let mut i = 0;
        let mut unknown_run: Vec<&Word> = Vec::new();
        while i < words.len() {
            if let Some((entity, len)) = self.match_at(words, i) {
                self.flush_unknown(&mut unknown_run);
                let surface = words[i..i + len]
                    .iter()
                    .map(|w| w.surface.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let id = self.registry.entities()[entity].id.clone();
                mentions.push((id, surface));
                i += len;
                continue;
            }
            let w = &words[i];
            let is_name = w.capitalized
                && !w.sentence_initial
                && w.surface.chars().count() > 1
                && w.surface.chars().any(char::is_alphabetic);
            if is_name {
                unknown_run.push(w);
            } else {
                self.flush_unknown(&mut unknown_run);
            }
            i += 1;
        }
        self.flush_unknown(&mut unknown_run);
    }

    fn flush_unknown(&mut self, run: &mut Vec<&Word>) {
        if run.is_empty() {
            return;
        }
        let name = run
            .iter()
            .map(|w| w.term.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let form = run
            .iter()
            .map(|w| w.surface.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        *self
            .unknown
            .entry(name)
            .or_default()
            .entry(form)
            .or_default() += 1;
        run.clear();
    }
}

impl Accumulator for EntityAccumulator {
    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let mut mentions = Vec::new();
        let mut tokens = 0u64;
        for text in [&doc.title, &doc.text] {
            let words = words(&self.analyzer, text);
            // The same token count as the term statistics, without analyzing twice.
            tokens += words
                .iter()
                .filter(|w| !self.extractor.is_dropped(&w.folded))
                .count() as u64;
            self.scan_text(&words, &mut mentions);
        }
        *self
            .day_tokens
            .entry((group.to_string(), doc.day.clone()))
            .or_default() += tokens;
        let mut ids: Vec<String> = mentions.iter().map(|m| m.0.clone()).collect();
        for id in &ids {
            *self
                .series
                .entry((id.clone(), group.to_string(), doc.day.clone()))
                .or_default() += 1;
        }
        ids.sort();
        ids.dedup();
        for (a, first) in ids.iter().enumerate() {
            for second in &ids[a + 1..] {
                *self
                    .co_mentions
                    .entry((first.clone(), second.clone()))
                    .or_default() += 1;
            }
        }
        let outlet = self.outlets.get(&doc.outlet).copied().unwrap_or(u32::MAX);
        self.counts
            .add_document_with_tokens(group, outlet, mentions, tokens);
    }

    fn merge(&mut self, other: Self) {
        self.counts.merge(other.counts);
        for (k, v) in other.series {
            *self.series.entry(k).or_default() += v;
        }
        for (k, v) in other.day_tokens {
            *self.day_tokens.entry(k).or_default() += v;
        }
        for (k, v) in other.co_mentions {
            *self.co_mentions.entry(k).or_default() += v;
        }
        for (name, forms) in other.unknown {
            let ours = self.unknown.entry(name).or_default();
            for (form, n) in forms {
                *ours.entry(form).or_default() += n;
            }
        }
    }
}

/// One entity's figures in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityFigures {
    /// Entity id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Kind (person, organisation, place, ...).
    pub kind: String,
    /// Mentions.
    pub mentions: u64,
    /// Documents mentioning it.
    pub documents: u64,
    /// Its share of all entity mentions in the group.
    pub share_of_voice: f64,
}

/// Entities of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupEntities {
    /// Group label.
    pub label: String,
    /// Documents in the group.
    pub documents: u64,
    /// Counted tokens in the group.
    pub tokens: u64,
    /// Entities by mentions (ties by id).
    pub entities: Vec<EntityFigures>,
}

/// One point of an entity's daily series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// Entity id.
    pub entity: String,
    /// Group label.
    pub group: String,
    /// Day.
    pub day: String,
    /// Mentions that day.
    pub mentions: u64,
    /// Mentions per million tokens of that group's output that day.
    pub per_million: f64,
}

/// A pair of entities mentioned in the same documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoMention {
    /// First entity id.
    pub a: String,
    /// Second entity id.
    pub b: String,
    /// Documents mentioning both.
    pub documents: u64,
}

/// Everything about entities in a subset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityStats {
    /// Per-group figures.
    pub groups: Vec<GroupEntities>,
    /// Daily series (non-zero days).
    pub series: Vec<SeriesPoint>,
    /// Co-mentioned pairs by documents (ties by ids).
    pub co_mentions: Vec<CoMention>,
    /// Capitalized names not in the gazetteer, most frequent first.
    pub unknown_names: Vec<UnknownName>,
}

impl EntityAccumulator {
    /// Final figures; `unknown_limit` caps the proposed names.
    pub fn finish(&self, unknown_limit: usize) -> EntityStats {
        let entities = self.registry.entities();
        let mut groups = Vec::new();
        for (label, counts) in &self.counts.groups {
            let total: u64 = counts.terms.values().map(|c| c.freq).sum();
            let mut figures: Vec<EntityFigures> = entities
                .iter()
                .filter_map(|e| {
                    let c = counts.terms.get(&e.id)?;
                    Some(EntityFigures {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        kind: e.kind.clone(),
                        mentions: c.freq,
                        documents: c.docs,
                        share_of_voice: if total > 0 {
                            c.freq as f64 / total as f64
                        } else {
                            0.0
                        },
                    })
                })
                .collect();
            figures.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
            groups.push(GroupEntities {
                label: label.clone(),
                documents: counts.documents,
                tokens: counts.tokens,
                entities: figures,
            });
        }
        let series = self
            .series
            .iter()
            .map(|((entity, group, day), mentions)| {
                let tokens = self
                    .day_tokens
                    .get(&(group.clone(), day.clone()))
                    .copied()
                    .unwrap_or(0);
                SeriesPoint {
                    entity: entity.clone(),
                    group: group.clone(),
                    day: day.clone(),
                    mentions: *mentions,
                    per_million: crate::stats::measures::per_million(
                        *mentions as f64,
                        tokens as f64,
                    ),
                }
            })
            .collect();
        let mut co_mentions: Vec<CoMention> = self
            .co_mentions
            .iter()
            .map(|((a, b), n)| CoMention {
                a: a.clone(),
                b: b.clone(),
                documents: *n,
            })
            .collect();
        co_mentions.sort_by(|x, y| {
            y.documents
                .cmp(&x.documents)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        let mut unknown_names: Vec<UnknownName> = self
            .unknown
            .iter()
            .map(|(name, forms)| {
                let mut spelled: Vec<(&String, &u64)> = forms.iter().collect();
                spelled.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                UnknownName {
                    // Shown as its most frequent spelling: the key is made of index terms,
                    // which need not be words (`жанаоз`).
                    name: spelled
                        .first()
                        .map_or_else(|| name.clone(), |(f, _)| (*f).clone()),
                    forms: spelled.iter().take(3).map(|(f, _)| (*f).clone()).collect(),
                    count: forms.values().sum(),
                }
            })
            .collect();
        unknown_names.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        unknown_names.truncate(unknown_limit);
        EntityStats {
            groups,
            series,
            co_mentions,
            unknown_names,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::entities::EntityRegistry;
    use crate::stats::counts::TermMode;

    fn accumulator() -> EntityAccumulator {
        let csv = "id,type,name,aliases\n\
            tokayev,person,Kassym-Jomart Tokayev,Tokayev|Токаев|Тоқаев|Касым-Жомарт Токаев\n\
            almaty,place,Almaty,Алматы\n\
            csto,organisation,CSTO,ОДКБ|ҰҚШҰ\n";
        let registry = Arc::new(EntityRegistry::from_csv(csv.as_bytes()).unwrap());
        let by_first = Arc::new(first_term_index(&registry));
        let extractor = Arc::new(TermExtractor::new(TermMode::Analyzed, 1, false));
        let outlets = Arc::new(BTreeMap::from([("tv".to_string(), 0)]));
        EntityAccumulator::new(registry, by_first, extractor, outlets)
    }

    fn doc(text: &str) -> StoredDocument {
        StoredDocument {
            id: "1".into(),
            outlet: "tv".into(),
            category: "state".into(),
            medium: "broadcast".into(),
            lang: "ru".into(),
            declared_lang: None,
            lang_confidence: 1.0,
            published: None,
            day: "2022-01-05".into(),
            title: String::new(),
            text: text.into(),
            url: None,
            cues: Vec::new(),
            source_file: String::new(),
            source_line: 0,
            ..StoredDocument::default()
        }
    }

    #[test]
    fn inflected_and_multiword_mentions_count_once_each() {
        let mut acc = accumulator();
        acc.add(
            &doc("Касым-Жомарт Токаев прилетел. Президенту Токаеву доложили. Тоқаевтың үндеуі. В Алматыда и в Алматы спокойно; миротворцы ОДКБ прибыли."),
            "state",
        );
        let state = &acc.counts.groups["state"];
        // Касым-Жомарт Токаев (one mention, not two), Токаеву, Тоқаевтың.
        assert_eq!(state.terms["tokayev"].freq, 3);
        assert_eq!(state.terms["almaty"].freq, 2);
        assert_eq!(state.terms["csto"].freq, 1);
        assert_eq!(
            acc.co_mentions[&("almaty".to_string(), "csto".to_string())],
            1
        );
        let stats = acc.finish(10);
        let figures = &stats.groups[0].entities;
        assert_eq!(figures[0].id, "tokayev");
        assert!((figures[0].share_of_voice - 3.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn unknown_capitalized_names_are_proposed_but_not_sentence_starts() {
        let mut acc = accumulator();
        acc.add(
            &doc("Вчера Масимов был задержан. Позже Масимова допросили. Задержан."),
            "state",
        );
        let stats = acc.finish(10);
        let names: Vec<&str> = stats
            .unknown_names
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        assert_eq!(stats.unknown_names[0].count, 2, "{names:?}");
        assert!(!names.iter().any(|n| n.starts_with("вчера")), "{names:?}");
        assert!(!names.contains(&"задержа"), "{names:?}");
    }
}
