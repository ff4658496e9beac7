//! Word counting by interned ids: the hot loop of keyness and term statistics.
//!
//! [`TermCounts`] keys everything by strings, which costs two allocations and several
//! string hashes per token. A [`TermTally`] analyzes each distinct word once, counts
//! integer ids, and turns into the same [`TermCounts`] at the end, so every figure
//! downstream is unchanged.

use std::collections::BTreeMap;

use crate::analysis::words;
use crate::fasthash::FastMap;
use crate::stats::counter::Counter;
use crate::stats::counts::{GroupCounts, TermCount, TermCounts, TermExtractor};

/// Distinct strings numbered in order of first appearance.
#[derive(Debug, Default)]
pub(super) struct Interner {
    ids: FastMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, text: String) -> u32 {
        if let Some(&id) = self.ids.get(text.as_str()) {
            return id;
        }
        self.insert(text.into_boxed_str())
    }

    /// The number of `text`, allocating only when it is new.
    pub fn id_of(&mut self, text: &str) -> u32 {
        match self.ids.get(text) {
            Some(&id) => id,
            None => self.insert(text.into()),
        }
    }

    fn insert(&mut self, text: Box<str>) -> u32 {
        let id = self.strings.len() as u32;
        self.strings.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    /// The string numbered `id`.
    pub fn text(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}

/// Counts of one item in one group, by ids.
#[derive(Debug, Default)]
struct IdCount {
    freq: u64,
    docs: u64,
    by_outlet: Counter<u32>,
    /// (form id, occurrences); an item has few forms, so a list beats a map.
    forms: Vec<(u32, u64)>,
}

/// Counts of one group, by ids.
#[derive(Debug, Default)]
struct GroupTally {
    documents: u64,
    tokens: u64,
    outlet_tokens: Counter<u32>,
    outlet_documents: Counter<u32>,
    items: FastMap<u32, IdCount>,
}

/// Per-group counts of numbered items (terms, entities, frames) with numbered forms: the
/// shape of [`TermCounts`] without a string per occurrence. The caller numbers items and
/// forms and names them in [`IdCounts::into_counts`].
#[derive(Debug, Default)]
pub(super) struct IdCounts {
    groups: BTreeMap<String, GroupTally>,
}

impl IdCounts {
    /// Counts one document of `group` from outlet number `outlet` with `tokens` counted
    /// tokens and its occurrences as `item << 32 | form` (sorted here, in place): what
    /// [`TermCounts::add_document_with_tokens`] counts for those items and forms.
    pub fn add_document(&mut self, group: &str, outlet: u32, tokens: u64, items: &mut [u64]) {
        if !self.groups.contains_key(group) {
            self.groups.insert(group.to_string(), GroupTally::default());
        }
        let counts = self.groups.get_mut(group).expect("inserted above");
        counts.documents += 1;
        counts.tokens += tokens;
        counts.outlet_tokens.add(outlet, tokens);
        counts.outlet_documents.add(outlet, 1);
        // Sorting brings each item's occurrences together, and within an item its forms.
        items.sort_unstable();
        for same_item in items.chunk_by(|a, b| a >> 32 == b >> 32) {
            let entry = counts.items.entry((same_item[0] >> 32) as u32).or_default();
            let n = same_item.len() as u64;
            entry.freq += n;
            entry.docs += 1;
            entry.by_outlet.add(outlet, n);
            for same_form in same_item.chunk_by(|a, b| a == b) {
                let form = same_form[0] as u32;
                let n = same_form.len() as u64;
                match entry.forms.iter_mut().find(|(f, _)| *f == form) {
                    Some((_, count)) => *count += n,
                    None => entry.forms.push((form, n)),
                }
            }
        }
    }

    /// The string-keyed counts: items and forms named by `item` and `form`. Items (or forms
    /// of one item) of one name are added together.
    pub fn into_counts(
        self,
        item: impl Fn(u32) -> String,
        form: impl Fn(u32) -> String,
    ) -> TermCounts {
        let groups = self
            .groups
            .into_iter()
            .map(|(label, group)| {
                let mut terms: FastMap<String, TermCount> = FastMap::default();
                terms.reserve(group.items.len());
                for (id, count) in group.items {
                    let mut forms: FastMap<String, u64> = FastMap::default();
                    for (f, n) in count.forms {
                        *forms.entry(form(f)).or_default() += n;
                    }
                    let count = TermCount {
                        freq: count.freq,
                        docs: count.docs,
                        by_outlet: count.by_outlet,
                        forms,
                    };
                    match terms.entry(item(id)) {
                        std::collections::hash_map::Entry::Occupied(mut e) => {
                            e.get_mut().add(count)
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(count);
                        }
                    }
                }
                let counts = GroupCounts {
                    documents: group.documents,
                    tokens: group.tokens,
                    outlet_tokens: group.outlet_tokens,
                    outlet_documents: group.outlet_documents,
                    terms,
                };
                (label, counts)
            })
            .collect();
        TermCounts {
            groups,
            ..TermCounts::default()
        }
    }
}

/// Per-group counts of single words, built from raw texts (see the module docs).
pub struct TermTally<'a> {
    extractor: &'a TermExtractor,
    /// Segmented word → (term id, form id), or `None` when the extractor drops the word.
    words: FastMap<Box<str>, Option<(u32, u32)>>,
    terms: Interner,
    forms: Interner,
    counts: IdCounts,
    /// The current document's (term id, form id) pairs.
    scratch: Vec<u64>,
}

impl<'a> TermTally<'a> {
    /// An empty tally. `extractor` must count single words
    /// ([`TermExtractor::counts_words`]); otherwise use [`TermCounts`] directly.
    pub fn new(extractor: &'a TermExtractor) -> TermTally<'a> {
        debug_assert!(extractor.counts_words());
        TermTally {
            extractor,
            words: FastMap::default(),
            terms: Interner::default(),
            forms: Interner::default(),
            counts: IdCounts::default(),
            scratch: Vec::new(),
        }
    }

    /// Adds one document made of `texts` (e.g. title and body) to `group` for the outlet
    /// with index `outlet`; the same as [`TermCounts::add_document`] with the
    /// extractor's terms of all the texts.
    pub fn add_document(&mut self, group: &str, outlet: u32, texts: &[&str]) {
        self.scratch.clear();
        for text in texts {
            for (_, word) in words(text) {
                let ids = match self.words.get(word) {
                    Some(&ids) => ids,
                    None => {
                        let ids = self
                            .extractor
                            .word(word)
                            .map(|(term, form)| (self.terms.id(term), self.forms.id(form)));
                        self.words.insert(word.into(), ids);
                        ids
                    }
                };
                if let Some((term, form)) = ids {
                    self.scratch.push(u64::from(term) << 32 | u64::from(form));
                }
            }
        }
        let tokens = self.scratch.len() as u64;
        self.counts
            .add_document(group, outlet, tokens, &mut self.scratch);
    }

    /// The string-keyed counts, identical to what [`TermCounts::add_document`] gives.
    pub fn into_counts(self) -> TermCounts {
        let (terms, forms) = (self.terms, self.forms);
        self.counts.into_counts(
            |term| terms.text(term).to_string(),
            |form| forms.text(form).to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;

    const DOCS: [(&str, u32, &str, &str); 5] = [
        (
            "state",
            0,
            "Порядок",
            "Террористы и бандиты. Порядок, порядок!",
        ),
        ("state", 1, "", "Порядок и стабильность; ПОРЯДКА нет"),
        (
            "independent",
            2,
            "Протесты",
            "Протестующие требуют: цены на газ",
        ),
        (
            "independent",
            2,
            "",
            "Протестующих задержали, мирные протестующие",
        ),
        (
            "state",
            0,
            "Тоқаев",
            "Тоқаевтың сөзі. Protesters protested in 2022",
        ),
    ];

    fn both(mode: TermMode) -> (TermCounts, TermCounts) {
        let extractor = TermExtractor::new(mode, 1, false);
        let mut tally = TermTally::new(&extractor);
        let mut counts = TermCounts::default();
        for (group, outlet, title, text) in DOCS {
            tally.add_document(group, outlet, &[title, text]);
            let mut terms = extractor.terms(title);
            terms.extend(extractor.terms(text));
            counts.add_document(group, outlet, terms);
        }
        (tally.into_counts(), counts)
    }

    #[test]
    fn tally_gives_the_string_counts() {
        for mode in [TermMode::Analyzed, TermMode::Unstemmed] {
            let (tally, counts) = both(mode);
            assert_eq!(tally, counts, "{mode:?}");
        }
    }

    #[test]
    fn tally_counts_by_hand() {
        let (tally, _) = both(TermMode::Unstemmed);
        let state = &tally.groups["state"];
        // "порядок" thrice in doc 1 (title + twice in text) and once in doc 2;
        // "порядка" is another unstemmed form; "и", "нет" and "2022" are dropped.
        assert_eq!(state.terms["порядок"].freq, 4);
        assert_eq!(state.terms["порядок"].docs, 2);
        assert_eq!(
            state.terms["порядок"].by_outlet,
            Counter::from_iter([(0, 3), (1, 1)])
        );
        assert_eq!(state.terms["порядка"].freq, 1);
        assert!(!state.terms.contains_key("и") && !state.terms.contains_key("2022"));
        assert_eq!(state.documents, 3);
    }
}
