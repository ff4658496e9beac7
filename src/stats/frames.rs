//! Frame analysis: documents and a [`FrameMatcher`] in, per group the share of documents with
//! at least one hit of each frame (overall and, when asked, per time bucket), hit counts for
//! frame keyness out.

use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::registry::frames::{FrameMatcher, FrameRegistry};
use crate::stats::counter::{Counter, GroupBucket, ItemBucket};
use crate::stats::counts::{most_frequent, OutletNumbers, TermCounts, TermExtractor};
use crate::stats::match_counter::{DocumentMatcher, MatchCounter};
use crate::stats::measures::share;
use crate::stats::timeline::Buckets;

/// Counts frame hits per group and, with buckets, per group and time bucket.
pub type FrameCounter<'a> = MatchCounter<'a, BucketedFrames<'a>>;

/// A frame matcher and the time buckets its documents are also counted in.
pub struct BucketedFrames<'a> {
    matcher: &'a FrameMatcher,
    buckets: Option<Buckets>,
}

/// What [`FrameCounter`] counted: mergeable raw counts, turned into shares by
/// [`FrameCounts::stats`] and into keyness from [`FrameCounts::hits`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameCounts {
    /// Hits as term counts: the "terms" are frame names; `docs` = documents with a hit.
    pub hits: TermCounts,
    /// Documents per group and bucket (empty without buckets).
    pub bucket_documents: Counter<GroupBucket>,
    /// Documents with a hit per frame, group and bucket (empty without buckets).
    pub bucket_hits: Counter<ItemBucket>,
}

impl<'a> FrameCounter<'a> {
    /// An empty counter; tokens are counted as `extractor` counts them, and documents are
    /// also counted per time bucket when `buckets` is given.
    pub fn new(
        matcher: &'a FrameMatcher,
        extractor: &'a TermExtractor,
        outlets: &'a OutletNumbers,
        buckets: Option<Buckets>,
    ) -> Self {
        MatchCounter::with_matcher(BucketedFrames { matcher, buckets }, extractor, outlets)
    }
}

impl DocumentMatcher for BucketedFrames<'_> {
    type Found = Vec<(String, String)>;
    type Counts = FrameCounts;

    fn scan(&self, text: &str, extractor: &TermExtractor, hits: &mut Self::Found) -> u64 {
        let terms = self.matcher.analyze(text);
        hits.extend(self.matcher.hits_in(&terms));
        // The same token count as the term statistics, from the same pass (blanks mark
        // sentence ends).
        terms
            .iter()
            .filter(|t| !t.1.is_empty() && !extractor.is_dropped(&t.1))
            .count() as u64
    }

    fn count(
        &self,
        counts: &mut FrameCounts,
        doc: &StoredDocument,
        (group, outlet): (&str, u32),
        hits: Self::Found,
        tokens: u64,
    ) {
        let bucket = self.buckets.and_then(|b| b.of(doc));
        counts.add_document(group, outlet, bucket, hits, tokens);
    }

    fn merge(counts: &mut FrameCounts, other: FrameCounts) {
        counts.merge(other);
    }
}

impl FrameCounts {
    /// Adds `other`'s counts in (both numbering outlets alike).
    pub fn merge(&mut self, other: FrameCounts) {
        self.hits.merge(other.hits);
        self.bucket_documents.merge(other.bucket_documents);
        self.bucket_hits.merge(other.bucket_hits);
    }

    /// Adds one document of `group` from outlet number `outlet`, in time bucket `bucket`
    /// (`None`: not on the timeline, or no buckets asked for), with its hits as (frame,
    /// matched words) and its counted tokens.
    pub fn add_document(
        &mut self,
        group: &str,
        outlet: u32,
        bucket: Option<String>,
        hits: Vec<(String, String)>,
        tokens: u64,
    ) {
        // Documents off the timeline (undated, or dated only to the month) count in the
        // shares overall, not per bucket.
        if let Some(bucket) = bucket {
            let key = GroupBucket {
                group: group.to_string(),
                bucket,
            };
            let mut frames: Vec<&String> = hits.iter().map(|h| &h.0).collect();
            frames.sort();
            frames.dedup();
            for frame in frames {
                self.bucket_hits.add(
                    ItemBucket {
                        item: frame.clone(),
                        group: key.group.clone(),
                        bucket: key.bucket.clone(),
                    },
                    1,
                );
            }
            self.bucket_documents.add(key, 1);
        }
        self.hits
            .add_document_with_tokens(group, outlet, hits, tokens);
    }
}

/// One frame in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameShare {
    /// Frame name.
    pub frame: String,
    /// Group label.
    pub group: String,
    /// Documents in the group.
    pub documents: u64,
    /// Documents with at least one hit.
    pub documents_with_hit: u64,
    /// documents_with_hit / documents.
    pub share: f64,
    /// Hits (matched words).
    pub hits: u64,
    /// Most frequent matched words.
    pub forms: Vec<String>,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `CoMention` (stats/entities.rs), `TermPoint` (stats/terms.rs) and 1 more: different facts, no
// shared type.
/// One frame's share in one group and bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FramePoint {
    /// Frame name.
    pub frame: String,
    /// Group label.
    pub group: String,
    /// Bucket label (day, week or hour).
    pub bucket: String,
    /// Documents of the group in the bucket.
    pub documents: u64,
    /// Of them, with at least one hit.
    pub documents_with_hit: u64,
    /// documents_with_hit / documents (0 for empty buckets).
    pub share: f64,
}

/// Frame shares overall and per bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameStats {
    /// Overall shares per frame and group (frames sorted, then groups).
    pub shares: Vec<FrameShare>,
    /// Per-bucket shares for every frame, group and bucket with documents.
    pub series: Vec<FramePoint>,
}

impl FrameCounts {
    /// Shares per frame of `registry` and group, overall and per bucket.
    pub fn stats(&self, registry: &FrameRegistry) -> FrameStats {
        let mut shares = Vec::new();
        for frame in registry.frames() {
            for (group, counts) in &self.hits.groups {
                let count = counts.terms.get(frame);
                let with_hit = count.map_or(0, |c| c.docs);
                shares.push(FrameShare {
                    frame: frame.clone(),
                    group: group.clone(),
                    documents: counts.documents,
                    documents_with_hit: with_hit,
                    share: share(with_hit, counts.documents),
                    hits: count.map_or(0, |c| c.freq),
                    // The group's own matches: a pooled list would hide a pattern that
                    // over-matches in one group only.
                    forms: count.map_or_else(Vec::new, |c| {
                        most_frequent(c.forms.iter().map(|(f, n)| (f, *n)), 5)
                    }),
                });
            }
        }
        let mut series = Vec::new();
        for frame in registry.frames() {
            for (key, documents) in self.bucket_documents.iter() {
                let with_hit = self.bucket_hits.get(&ItemBucket {
                    item: frame.clone(),
                    group: key.group.clone(),
                    bucket: key.bucket.clone(),
                });
                series.push(FramePoint {
                    frame: frame.clone(),
                    group: key.group.clone(),
                    bucket: key.bucket.clone(),
                    documents,
                    documents_with_hit: with_hit,
                    share: share(with_hit, documents),
                });
            }
        }
        FrameStats { shares, series }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;
    use crate::stats::scan::Accumulator;

    fn matcher() -> FrameMatcher {
        let csv = "frame,lang,pattern\nriot,ru,террорист*\nriot,ru,бандиты\nblackout,en,internet shutdown\nprotest,ru,мирные\n";
        FrameMatcher::new(FrameRegistry::from_csv(csv.as_bytes()).unwrap())
    }

    #[test]
    fn shares_count_documents_with_at_least_one_hit() {
        let matcher = matcher();
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let outlets = OutletNumbers::default();
        let buckets = Buckets {
            interval: crate::stats::timeline::Interval::Day,
            zone: crate::timezone::Zone::parse("+06:00").unwrap(),
        };
        let mut counter = FrameCounter::new(&matcher, &extractor, &outlets, Some(buckets));
        let mut doc = crate::index::stored::StoredDocument {
            id: "1".into(),
            outlet: "x".into(),
            category: "state".into(),
            medium: "article".into(),
            lang: "ru".into(),
            declared_lang: None,
            lang_confidence: 1.0,
            published: None,
            day: "2022-01-05".into(),
            title: String::new(),
            text: "Террористы, террористы!".into(),
            url: None,
            cues: Vec::new(),
            source_file: String::new(),
            source_line: 0,
            ..Default::default()
        };
        counter.add(&doc, "state");
        doc.text = "Спокойный день.".into();
        counter.add(&doc, "state");
        let stats = counter.finish().stats(matcher.registry());
        let riot = stats.shares.iter().find(|s| s.frame == "riot").unwrap();
        assert_eq!(
            (riot.documents, riot.documents_with_hit, riot.hits),
            (2, 1, 2)
        );
        assert!((riot.share - 0.5).abs() < 1e-12);
        let point = stats.series.iter().find(|p| p.frame == "riot").unwrap();
        assert_eq!(
            (point.bucket.as_str(), point.documents_with_hit),
            ("2022-01-05", 1)
        );
    }

    // Issue 17: each group's "most frequent matches" are its own, not the pooled list.
    #[test]
    fn most_frequent_matches_are_per_group() {
        let matcher = matcher();
        let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
        let outlets = OutletNumbers::default();
        let mut counter = FrameCounter::new(&matcher, &extractor, &outlets, None);
        let mut doc = crate::index::stored::StoredDocument {
            id: "1".into(),
            outlet: "x".into(),
            category: "state".into(),
            lang: "ru".into(),
            text: "Бандиты, бандиты, бандиты!".into(),
            ..Default::default()
        };
        counter.add(&doc, "state");
        doc.text = "Террористы.".into();
        doc.category = "independent".into();
        counter.add(&doc, "independent");
        let stats = counter.finish().stats(matcher.registry());
        let forms = |group: &str| {
            let share = stats
                .shares
                .iter()
                .find(|s| s.frame == "riot" && s.group == group);
            share.unwrap().forms.clone()
        };
        assert_eq!(forms("state"), ["бандиты"]);
        assert_eq!(forms("independent"), ["террористы"]);
        let protest = stats.shares.iter().find(|s| s.frame == "protest").unwrap();
        assert!(protest.forms.is_empty());
    }
}
