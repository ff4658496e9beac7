//! Entity mentions: documents and an [`EntityMatcher`] in, per-group mentions, documents
//! mentioning, share of voice, per-day series, co-mentions, and capitalized names missing
//! from the gazetteer out.

use std::borrow::Borrow;
use std::collections::HashMap;

use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::registry::entities::{EntityMatcher, EntityRegistry, Found, Word};
use crate::stats::counter::{Counter, GroupBucket, ItemBucket, Pair};
use crate::stats::counts::{OutletNumbers, TermCounts, TermExtractor};
use crate::stats::match_counter::{DocumentMatcher, MatchCounter};
use crate::stats::measures::share;

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

/// Counts entity mentions per group, day and pair, and the capitalized names the gazetteer
/// lacks.
pub type EntityCounter<'a> = MatchCounter<'a, &'a EntityMatcher>;

/// What [`EntityCounter`] counted: mergeable raw counts, turned into figures by
/// [`EntityCounts::stats`] and into keyness from [`EntityCounts::mentions`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityCounts {
    /// Mentions as term counts: the "terms" are entity ids.
    pub mentions: TermCounts,
    /// Mentions per entity, group and day.
    pub series: Counter<ItemBucket>,
    /// Tokens per group and day, to normalize the series.
    pub day_tokens: Counter<GroupBucket>,
    /// Documents mentioning both entities of a pair.
    pub co_mentions: Counter<Pair>,
    /// Unknown capitalized names: normalized form → spellings with counts.
    pub unknown: HashMap<String, HashMap<String, u64>>,
}

impl<'a> EntityCounter<'a> {
    /// An empty counter; tokens are counted as `extractor` counts them.
    pub fn new(
        matcher: &'a EntityMatcher,
        extractor: &'a TermExtractor,
        outlets: &'a OutletNumbers,
    ) -> Self {
        MatchCounter::with_matcher(matcher, extractor, outlets)
    }
}

impl DocumentMatcher for &EntityMatcher {
    type Found = DocumentEntities;
    type Counts = EntityCounts;

    fn scan(&self, text: &str, extractor: &TermExtractor, found: &mut DocumentEntities) -> u64 {
        let words = self.words(text);
        found.add(self, &words);
        // The same token count as the term statistics, without analyzing twice.
        words
            .iter()
            .filter(|w| !extractor.is_dropped(&w.folded))
            .count() as u64
    }

    fn count(
        &self,
        counts: &mut EntityCounts,
        doc: &StoredDocument,
        (group, outlet): (&str, u32),
        found: DocumentEntities,
        tokens: u64,
    ) {
        counts.add_document(group, outlet, &doc.day, found, tokens);
    }

    fn merge(counts: &mut EntityCounts, other: EntityCounts) {
        counts.merge(other);
    }
}

/// What the matcher found in one document: mentions as (entity id, words as written) and
/// unknown names as (their words' terms, words as written), in text order.
#[derive(Debug, Clone, Default)]
pub struct DocumentEntities {
    mentions: Vec<(String, String)>,
    unknown: Vec<(String, String)>,
}

impl DocumentEntities {
    /// Adds what `matcher` finds in `words` (one text of the document).
    pub fn add<W: Borrow<Word>>(&mut self, matcher: &EntityMatcher, words: &[W]) {
        self.add_found(matcher, words, matcher.find(words));
    }

    /// Adds `found`, what `matcher` found in `words` (one text of the document).
    pub fn add_found<W: Borrow<Word>>(
        &mut self,
        matcher: &EntityMatcher,
        words: &[W],
        found: Vec<Found>,
    ) {
        let entities = matcher.registry().entities();
        let joined = |start: usize, len: usize, part: fn(&Word) -> &str| {
            words[start..start + len]
                .iter()
                .map(|w| part(w.borrow()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for found in found {
            match found {
                Found::Mention { entity, start, len } => {
                    let surface = joined(start, len, |w| &w.surface);
                    self.mentions.push((entities[entity].id.clone(), surface));
                }
                Found::Unknown { start, len } => {
                    let name = joined(start, len, |w| &w.term);
                    self.unknown
                        .push((name, joined(start, len, |w| &w.surface)));
                }
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

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `FramePoint` (stats/frames.rs), `FrameGap` (report/data.rs) and 1 more: different facts, no
// shared type.
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

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Filters` (search/query/mod.rs): different facts, no shared type.
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

impl EntityCounts {
    /// Counts one document of `group` from outlet number `outlet` on `day` (empty: undated),
    /// with what the matcher found in it and its counted tokens.
    pub fn add_document(
        &mut self,
        group: &str,
        outlet: u32,
        day: &str,
        found: DocumentEntities,
        tokens: u64,
    ) {
        for (name, surface) in found.unknown {
            *self
                .unknown
                .entry(name)
                .or_default()
                .entry(surface)
                .or_default() += 1;
        }
        self.day_tokens.add(
            GroupBucket {
                group: group.to_string(),
                bucket: day.to_string(),
            },
            tokens,
        );
        let mut ids: Vec<String> = found.mentions.iter().map(|m| m.0.clone()).collect();
        for id in &ids {
            self.series.add(
                ItemBucket {
                    item: id.clone(),
                    group: group.to_string(),
                    bucket: day.to_string(),
                },
                1,
            );
        }
        ids.sort();
        ids.dedup();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                self.co_mentions.add(
                    Pair {
                        a: a.clone(),
                        b: b.clone(),
                    },
                    1,
                );
            }
        }
        self.mentions
            .add_document_with_tokens(group, outlet, found.mentions, tokens);
    }

    /// Adds `other`'s counts in (both numbering outlets alike).
    pub fn merge(&mut self, theirs: EntityCounts) {
        self.mentions.merge(theirs.mentions);
        self.series.merge(theirs.series);
        self.day_tokens.merge(theirs.day_tokens);
        self.co_mentions.merge(theirs.co_mentions);
        for (name, forms) in theirs.unknown {
            let spellings = self.unknown.entry(name).or_default();
            for (form, n) in forms {
                *spellings.entry(form).or_default() += n;
            }
        }
    }

    /// Figures per group for `registry`'s entities; `unknown_limit` caps the proposed names.
    pub fn stats(&self, registry: &EntityRegistry, unknown_limit: usize) -> EntityStats {
        let entities = registry.entities();
        let mut groups = Vec::new();
        for (label, counts) in &self.mentions.groups {
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
                        share_of_voice: share(c.freq, total),
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
            .map(|(key, mentions)| {
                let tokens = self.day_tokens.get(&GroupBucket {
                    group: key.group.clone(),
                    bucket: key.bucket.clone(),
                });
                SeriesPoint {
                    entity: key.item.clone(),
                    group: key.group.clone(),
                    day: key.bucket.clone(),
                    mentions,
                    per_million: crate::stats::measures::per_million(
                        mentions as f64,
                        tokens as f64,
                    ),
                }
            })
            .collect();
        let mut co_mentions: Vec<CoMention> = self
            .co_mentions
            .iter()
            .map(|(pair, n)| CoMention {
                a: pair.a.clone(),
                b: pair.b.clone(),
                documents: n,
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
    use crate::stats::counts::TermMode;
    use crate::stats::scan::Accumulator;

    fn matcher() -> EntityMatcher {
        let csv = "id,type,name,aliases\n\
            tokayev,person,Kassym-Jomart Tokayev,Tokayev|Токаев|Тоқаев|Касым-Жомарт Токаев\n\
            almaty,place,Almaty,Алматы\n\
            csto,organisation,CSTO,ОДКБ|ҰҚШҰ\n";
        EntityMatcher::new(EntityRegistry::from_csv(csv.as_bytes()).unwrap())
    }

    /// The counts of one document of `text` in group `state`.
    fn counted(text: &str) -> EntityCounts {
        let matcher = matcher();
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let outlets = OutletNumbers::new(["tv"]);
        let mut counter = EntityCounter::new(&matcher, &extractor, &outlets);
        counter.add(&doc(text), "state");
        counter.finish()
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
        let counts = counted("Касым-Жомарт Токаев прилетел. Президенту Токаеву доложили. Тоқаевтың үндеуі. В Алматыда и в Алматы спокойно; миротворцы ОДКБ прибыли.");
        let state = &counts.mentions.groups["state"];
        // Касым-Жомарт Токаев (one mention, not two), Токаеву, Тоқаевтың.
        assert_eq!(state.terms["tokayev"].freq, 3);
        assert_eq!(state.terms["almaty"].freq, 2);
        assert_eq!(state.terms["csto"].freq, 1);
        let pair = Pair {
            a: "almaty".to_string(),
            b: "csto".to_string(),
        };
        assert_eq!(counts.co_mentions.get(&pair), 1);
        let stats = counts.stats(matcher().registry(), 10);
        let figures = &stats.groups[0].entities;
        assert_eq!(figures[0].id, "tokayev");
        assert!((figures[0].share_of_voice - 3.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn unknown_capitalized_names_are_proposed_but_not_sentence_starts() {
        let counts = counted("Вчера Масимов был задержан. Позже Масимова допросили. Задержан.");
        let stats = counts.stats(matcher().registry(), 10);
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
