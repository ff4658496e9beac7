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
    /// Occurrences per outlet, by the outlet's place in [`IdCounts::outlets`] (0 where none).
    by_outlet: Vec<u64>,
    /// (form id, occurrences); an item has few forms, so a list beats a map.
    forms: Vec<(u32, u64)>,
}

/// Counts of one group, by ids.
#[derive(Debug, Default)]
struct GroupTally {
    documents: u64,
    tokens: u64,
    /// Per outlet, by its place in [`IdCounts::outlets`]: its (tokens, documents).
    outlets: Vec<(u64, u64)>,
    items: FastMap<u32, IdCount>,
}

/// Adds `n` at `at` of a list indexed by place, growing it as needed.
#[inline]
fn add_at<T: Default + Clone>(list: &mut Vec<T>, at: usize, add: impl FnOnce(&mut T)) {
    if list.len() <= at {
        list.resize(at + 1, T::default());
    }
    add(&mut list[at]);
}

/// Per-group counts of numbered items (terms, entities, frames) with numbered forms: the
/// shape of [`TermCounts`] without a string per occurrence. The caller numbers groups, items
/// and forms and names them in [`IdCounts::into_counts`]; outlets are counted by their place
/// in order of first appearance (a document costs no map of outlets or of group labels).
#[derive(Debug, Default)]
pub(super) struct IdCounts {
    /// By group number; `None` for a number no document was counted under.
    groups: Vec<Option<GroupTally>>,
    /// Outlet numbers in order of first appearance, and each one's place there.
    outlets: Vec<u32>,
    place: FastMap<u32, u32>,
}

impl IdCounts {
    /// The place of outlet number `outlet` in `outlets`, giving it one when new.
    #[inline]
    fn place_of(&mut self, outlet: u32) -> usize {
        let next = self.outlets.len() as u32;
        let place = *self.place.entry(outlet).or_insert(next);
        if place == next {
            self.outlets.push(outlet);
        }
        place as usize
    }

    /// Counts one document of group number `group` from outlet number `outlet` with
    /// `tokens` counted tokens and its occurrences as `item << 32 | form` (sorted here, in
    /// place): what [`TermCounts::add_document_with_tokens`] counts for those items and forms.
    pub fn add_document(&mut self, group: u32, outlet: u32, tokens: u64, items: &mut [u64]) {
        let place = self.place_of(outlet);
        let group = group as usize;
        if self.groups.len() <= group {
            self.groups.resize_with(group + 1, || None);
        }
        let counts = self.groups[group].get_or_insert_with(GroupTally::default);
        counts.documents += 1;
        counts.tokens += tokens;
        add_at(&mut counts.outlets, place, |(t, d)| {
            *t += tokens;
            *d += 1;
        });
        // Sorting brings each item's occurrences together, and within an item its forms.
        items.sort_unstable();
        for same_item in items.chunk_by(|a, b| a >> 32 == b >> 32) {
            let entry = counts.items.entry((same_item[0] >> 32) as u32).or_default();
            let n = same_item.len() as u64;
            entry.freq += n;
            entry.docs += 1;
            add_at(&mut entry.by_outlet, place, |c| *c += n);
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

    /// The string-keyed counts: groups, items and forms named by `group`, `item` and
    /// `form`. Groups (or items of a group, or forms of an item) of one name are added
    /// together.
    pub fn into_counts(
        self,
        group: impl Fn(u32) -> String,
        item: impl Fn(u32) -> String,
        form: impl Fn(u32) -> String,
    ) -> TermCounts {
        let outlets = &self.outlets;
        // Per outlet place with a count: its number and the count.
        let by_number = |counts: &[u64]| -> Counter<u32> {
            let counted = counts.iter().enumerate().filter(|(_, &n)| n > 0);
            counted.map(|(place, &n)| (outlets[place], n)).collect()
        };
        let mut groups: BTreeMap<String, GroupCounts> = BTreeMap::new();
        for (number, tally) in self.groups.into_iter().enumerate() {
            let Some(tally) = tally else {
                continue;
            };
            let mut terms: FastMap<String, TermCount> = FastMap::default();
            terms.reserve(tally.items.len());
            for (id, count) in tally.items {
                let mut forms: FastMap<String, u64> = FastMap::default();
                for (f, n) in count.forms {
                    *forms.entry(form(f)).or_default() += n;
                }
                let count = TermCount {
                    freq: count.freq,
                    docs: count.docs,
                    by_outlet: by_number(&count.by_outlet),
                    forms,
                };
                match terms.entry(item(id)) {
                    std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().add(count),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(count);
                    }
                }
            }
            // Every outlet of a document counted has a document, and a key for its tokens
            // (0 when counted without).
            let (mut outlet_tokens, mut outlet_documents) =
                (Counter::default(), Counter::default());
            for (place, &(t, d)) in tally.outlets.iter().enumerate().filter(|(_, o)| o.1 > 0) {
                outlet_tokens.add(outlets[place], t);
                outlet_documents.add(outlets[place], d);
            }
            let counts = GroupCounts {
                documents: tally.documents,
                tokens: tally.tokens,
                outlet_tokens,
                outlet_documents,
                terms,
            };
            match groups.entry(group(number as u32)) {
                std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().merge(counts),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(counts);
                }
            }
        }
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
    groups: Interner,
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
            groups: Interner::default(),
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
        let group = self.groups.id_of(group);
        self.counts
            .add_document(group, outlet, tokens, &mut self.scratch);
    }

    /// The string-keyed counts, identical to what [`TermCounts::add_document`] gives.
    pub fn into_counts(self) -> TermCounts {
        let (terms, forms, groups) = (self.terms, self.forms, self.groups);
        self.counts.into_counts(
            |group| groups.text(group).to_string(),
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

    #[test]
    fn id_counts_name_groups_and_outlets_once_counted_by_number() {
        // Groups 0 and 3 ("state"), 2 ("independent"); 1 never counted. Outlets by number,
        // one not numbered (u32::MAX); items 7 and 9 with forms 1 and 2.
        let mut counts = IdCounts::default();
        let docs: [(u32, u32, u64, Vec<u64>); 4] = [
            (0, 5, 0, vec![7 << 32 | 1, 9 << 32 | 2, 7 << 32 | 1]),
            (2, u32::MAX, 4, vec![9 << 32 | 1]),
            (3, 5, 2, vec![7 << 32 | 2]),
            (0, 40, 0, vec![]),
        ];
        for (group, outlet, tokens, mut items) in docs {
            counts.add_document(group, outlet, tokens, &mut items);
        }
        let label = |g: u32| ["state", "never", "independent", "state"][g as usize].to_string();
        let named = counts.into_counts(label, |i| format!("item{i}"), |f| format!("form{f}"));
        let groups: Vec<&str> = named.groups.keys().map(String::as_str).collect();
        assert_eq!(groups, ["independent", "state"]);
        let state = &named.groups["state"];
        assert_eq!((state.documents, state.tokens), (3, 2));
        // Every outlet of a document has a key, a document without tokens too.
        assert_eq!(state.outlet_tokens, Counter::from_iter([(5, 2), (40, 0)]));
        assert_eq!(
            state.outlet_documents,
            Counter::from_iter([(5, 2), (40, 1)])
        );
        let item7 = &state.terms["item7"];
        assert_eq!((item7.freq, item7.docs), (3, 2));
        assert_eq!(item7.by_outlet, Counter::from_iter([(5, 3)]));
        assert_eq!(item7.forms["form1"], 2);
        assert_eq!(item7.forms["form2"], 1);
        assert_eq!(state.terms["item9"].by_outlet, Counter::from_iter([(5, 1)]));
        let independent = &named.groups["independent"];
        assert_eq!((independent.documents, independent.tokens), (1, 4));
        assert_eq!(
            independent.outlet_tokens,
            Counter::from_iter([(u32::MAX, 4)])
        );
        assert_eq!(
            independent.terms["item9"].by_outlet,
            Counter::from_iter([(u32::MAX, 1)])
        );
        assert!(!independent.terms.contains_key("item7"));
    }
}
