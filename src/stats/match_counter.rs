//! One [`Accumulator`] for every matcher over the stored texts: documents and a
//! [`DocumentMatcher`] in, the matcher's mergeable counts out, with tokens counted as the
//! term statistics count them. [`super::entities::EntityCounter`] and
//! [`super::frames::FrameCounter`] are this counter over their matchers.

use crate::index::stored::StoredDocument;
use crate::stats::counts::{OutletNumbers, TermExtractor};
use crate::stats::scan::Accumulator;

/// What a matcher finds in a document's texts, and how that adds to its counts.
pub trait DocumentMatcher: Send {
    /// What one document's title and text yield.
    type Found: Default;
    /// The mergeable counts the documents add to.
    type Counts: Default + Send;

    /// Adds what it finds in `text` (a title or a text) to `found`; returns the tokens of
    /// `text` that `extractor` counts.
    fn scan(&self, text: &str, extractor: &TermExtractor, found: &mut Self::Found) -> u64;

    /// Counts `doc`, of `group` and from outlet number `outlet`, with what was found in it
    /// and its counted tokens.
    fn count(
        &self,
        counts: &mut Self::Counts,
        doc: &StoredDocument,
        group_and_outlet: (&str, u32),
        found: Self::Found,
        tokens: u64,
    );

    /// Adds `other` into `counts` (both numbering outlets alike).
    fn merge(counts: &mut Self::Counts, other: Self::Counts);
}

/// Counts what a [`DocumentMatcher`] finds in each document's title and text.
pub struct MatchCounter<'a, M: DocumentMatcher> {
    matcher: M,
    extractor: &'a TermExtractor,
    outlets: &'a OutletNumbers,
    counts: M::Counts,
}

impl<'a, M: DocumentMatcher> MatchCounter<'a, M> {
    /// An empty counter; tokens are counted as `extractor` counts them.
    pub fn with_matcher(
        matcher: M,
        extractor: &'a TermExtractor,
        outlets: &'a OutletNumbers,
    ) -> Self {
        MatchCounter {
            matcher,
            extractor,
            outlets,
            counts: M::Counts::default(),
        }
    }
}

impl<M: DocumentMatcher> Accumulator for MatchCounter<'_, M> {
    type Output = M::Counts;

    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let mut found = M::Found::default();
        let mut tokens = 0u64;
        for text in [&doc.title, &doc.text] {
            tokens += self.matcher.scan(text, self.extractor, &mut found);
        }
        let outlet = self.outlets.of(&doc.outlet);
        self.matcher
            .count(&mut self.counts, doc, (group, outlet), found, tokens);
    }

    fn merge(&mut self, other: Self) {
        M::merge(&mut self.counts, other.counts);
    }

    fn finish(self) -> M::Counts {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;

    /// Finds the letter `x`: a matcher simple enough to count by hand.
    struct Exes;

    impl DocumentMatcher for Exes {
        type Found = u64;
        type Counts = Vec<(String, u32, u64, u64)>;

        fn scan(&self, text: &str, _: &TermExtractor, found: &mut u64) -> u64 {
            *found += text.matches('x').count() as u64;
            text.split_whitespace().count() as u64
        }

        fn count(
            &self,
            counts: &mut Self::Counts,
            _: &StoredDocument,
            (group, outlet): (&str, u32),
            found: u64,
            tokens: u64,
        ) {
            counts.push((group.to_string(), outlet, found, tokens));
        }

        fn merge(counts: &mut Self::Counts, other: Self::Counts) {
            counts.extend(other);
        }
    }

    #[test]
    fn title_and_text_count_as_one_document() {
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let outlets = OutletNumbers::new(["a", "b"]);
        let mut first = MatchCounter::with_matcher(Exes, &extractor, &outlets);
        let doc = StoredDocument {
            outlet: "b".into(),
            title: "x marks".into(),
            text: "the xx spot".into(),
            ..StoredDocument::default()
        };
        first.add(&doc, "state");
        let mut second = MatchCounter::with_matcher(Exes, &extractor, &outlets);
        second.add(&StoredDocument::default(), "other");
        first.merge(second);
        // Outlets are numbered in sorted order; an unknown one is `u32::MAX`.
        assert_eq!(
            first.finish(),
            [
                ("state".to_string(), 1, 3, 5),
                ("other".to_string(), u32::MAX, 0, 0)
            ]
        );
    }
}
