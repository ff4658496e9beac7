//! Frame analysis: documents in, per group the share of documents with at least one hit of
//! each frame (overall and per interval), hit counts for frame keyness out.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::fasthash::FastMap;
use crate::index::stored::StoredDocument;
use crate::registry::{FramePattern, FrameRegistry};
use crate::stats::counts::{CorpusCounts, TermExtractor};
use crate::stats::scan::Accumulator;
use crate::stats::timeline::{bucket_of, Interval};
use crate::text::{fold_case, Analyzer};
use crate::timezone::Zone;

/// Counts frame hits while scanning.
pub struct FrameAccumulator {
    registry: Arc<FrameRegistry>,
    extractor: Arc<TermExtractor>,
    outlets: Arc<BTreeMap<String, u32>>,
    analyzer: Analyzer,
    interval: Interval,
    zone: Zone,
    index: Arc<PatternIndex>,
    /// Hits as counts: the "terms" are frame names; `docs` = documents with a hit.
    pub counts: CorpusCounts,
    /// Documents per (group, bucket).
    pub bucket_documents: BTreeMap<(String, String), u64>,
    /// Documents with a hit per (frame, group, bucket).
    pub bucket_hits: BTreeMap<(String, String, String), u64>,
}

fn matches(pattern: &FramePattern, terms: &[(String, String)], i: usize) -> bool {
    let n = pattern.words.len();
    if i + n > terms.len() {
        return false;
    }
    pattern.words.iter().enumerate().all(|(k, word)| {
        let (term, folded) = &terms[i + k];
        if pattern.prefix && k == n - 1 {
            folded.starts_with(word.as_str())
        } else {
            term == word
        }
    })
}

impl FrameAccumulator {
    /// A fresh accumulator.
    pub fn new(
        registry: Arc<FrameRegistry>,
        extractor: Arc<TermExtractor>,
        outlets: Arc<BTreeMap<String, u32>>,
        interval: Interval,
        zone: Zone,
    ) -> Self {
        FrameAccumulator {
            index: Arc::new(PatternIndex::new(&registry)),
            registry,
            extractor,
            outlets,
            analyzer: Analyzer::default(),
            interval,
            zone,
            counts: CorpusCounts::default(),
            bucket_documents: BTreeMap::new(),
            bucket_hits: BTreeMap::new(),
        }
    }

    /// Frame hits in `text`: (frame, matched words) for each match; a word is counted for at
    /// most one pattern per frame (the longest starting there), left to right. Hits come
    /// grouped by frame, in frame order.
    pub fn hits(&self, text: &str) -> Vec<(String, String)> {
        self.hits_in(&self.analyze(text))
    }

    /// (term, lowercased word) pairs of a text.
    fn analyze(&self, text: &str) -> Vec<(String, String)> {
        let mut terms = Vec::new();
        self.analyzer.for_each_term(text, |t| {
            terms.push((t.term, fold_case(&text[t.start..t.end])))
        });
        terms
    }

    /// Frame hits in analyzed words (see [`FrameAccumulator::hits`]).
    fn hits_in(&self, terms: &[(String, String)]) -> Vec<(String, String)> {
        let patterns = self.registry.patterns();
        let frames = self.registry.frames();
        let mut per_frame: Vec<Vec<String>> = vec![Vec::new(); frames.len()];
        let mut next_free = vec![0usize; frames.len()];
        let mut best: Vec<usize> = vec![0; frames.len()];
        for i in 0..terms.len() {
            best.iter_mut().for_each(|b| *b = 0);
            let exact = self.index.by_first.get(&terms[i].0).into_iter().flatten();
            let word = &terms[i].1;
            let prefixed = [lead(word, 2), lead(word, 1)]
                .into_iter()
                .filter_map(|key| self.index.prefix_first.get(&key))
                .flatten();
            for &p in exact.chain(prefixed) {
                let pattern = &patterns[p];
                let frame = self.index.frame_of[p];
                if i >= next_free[frame] && matches(pattern, terms, i) {
                    best[frame] = best[frame].max(pattern.words.len());
                }
            }
            for (frame, &len) in best.iter().enumerate() {
                if len > 0 {
                    let surface = terms[i..i + len]
                        .iter()
                        .map(|t| t.1.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    per_frame[frame].push(surface);
                    next_free[frame] = i + len;
                }
            }
        }
        frames
            .iter()
            .zip(per_frame)
            .flat_map(|(frame, surfaces)| surfaces.into_iter().map(move |s| (frame.clone(), s)))
            .collect()
    }
}

/// The first `n` characters of a word: the key of one-word prefix patterns (2, or 1 for a
/// one-letter prefix).
fn lead(word: &str, n: usize) -> String {
    word.chars().take(n).collect()
}

/// Patterns indexed for matching: by exact first word, and one-word prefix patterns by
/// their first two letters.
#[derive(Debug, Clone, Default)]
pub struct PatternIndex {
    by_first: FastMap<String, Vec<usize>>,
    prefix_first: FastMap<String, Vec<usize>>,
    frame_of: Vec<usize>,
}

impl PatternIndex {
    /// Indexes a registry's patterns.
    pub fn new(registry: &FrameRegistry) -> PatternIndex {
        let mut index = PatternIndex::default();
        for (i, pattern) in registry.patterns().iter().enumerate() {
            let frame = registry
                .frames()
                .iter()
                .position(|f| *f == pattern.frame)
                .unwrap_or(0);
            index.frame_of.push(frame);
            if pattern.prefix && pattern.words.len() == 1 {
                let prefix = &pattern.words[0];
                index
                    .prefix_first
                    .entry(lead(prefix, 2))
                    .or_default()
                    .push(i);
            } else if let Some(first) = pattern.words.first() {
                index.by_first.entry(first.clone()).or_default().push(i);
            }
        }
        index
    }
}

impl Accumulator for FrameAccumulator {
    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let mut hits = Vec::new();
        let mut tokens = 0u64;
        for text in [&doc.title, &doc.text] {
            let terms = self.analyze(text);
            // The same token count as the term statistics, from the same pass.
            tokens += terms
                .iter()
                .filter(|t| !self.extractor.is_dropped(&t.1))
                .count() as u64;
            hits.extend(self.hits_in(&terms));
        }
        // Documents off the timeline (undated, or dated only to the month) count in the
        // shares overall, not per interval.
        if let Some(bucket) = bucket_of(doc, self.interval, self.zone) {
            *self
                .bucket_documents
                .entry((group.to_string(), bucket.clone()))
                .or_default() += 1;
            let mut frames: Vec<&String> = hits.iter().map(|h| &h.0).collect();
            frames.sort();
            frames.dedup();
            for frame in frames {
                *self
                    .bucket_hits
                    .entry((frame.clone(), group.to_string(), bucket.clone()))
                    .or_default() += 1;
            }
        }
        let outlet = self.outlets.get(&doc.outlet).copied().unwrap_or(u32::MAX);
        self.counts
            .add_document_with_tokens(group, outlet, hits, tokens);
    }

    fn merge(&mut self, other: Self) {
        self.counts.merge(other.counts);
        for (k, v) in other.bucket_documents {
            *self.bucket_documents.entry(k).or_default() += v;
        }
        for (k, v) in other.bucket_hits {
            *self.bucket_hits.entry(k).or_default() += v;
        }
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

impl FrameAccumulator {
    /// Final figures.
    pub fn finish(&self) -> FrameStats {
        let mut shares = Vec::new();
        for frame in self.registry.frames() {
            for (group, counts) in &self.counts.groups {
                let count = counts.terms.get(frame);
                let with_hit = count.map_or(0, |c| c.docs);
                shares.push(FrameShare {
                    frame: frame.clone(),
                    group: group.clone(),
                    documents: counts.documents,
                    documents_with_hit: with_hit,
                    share: if counts.documents > 0 {
                        with_hit as f64 / counts.documents as f64
                    } else {
                        0.0
                    },
                    hits: count.map_or(0, |c| c.freq),
                    forms: self.counts.top_forms(frame, 5),
                });
            }
        }
        let mut series = Vec::new();
        for frame in self.registry.frames() {
            for ((group, bucket), documents) in &self.bucket_documents {
                let with_hit = self
                    .bucket_hits
                    .get(&(frame.clone(), group.clone(), bucket.clone()))
                    .copied()
                    .unwrap_or(0);
                series.push(FramePoint {
                    frame: frame.clone(),
                    group: group.clone(),
                    bucket: bucket.clone(),
                    documents: *documents,
                    documents_with_hit: with_hit,
                    share: if *documents > 0 {
                        with_hit as f64 / *documents as f64
                    } else {
                        0.0
                    },
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

    fn accumulator() -> FrameAccumulator {
        let csv = "frame,lang,pattern\nriot,ru,террорист*\nriot,ru,бандиты\nblackout,en,internet shutdown\nprotest,ru,мирные\n";
        let registry = Arc::new(FrameRegistry::from_csv(csv.as_bytes()).unwrap());
        let extractor = Arc::new(TermExtractor::new(TermMode::Analyzed, 1, false));
        FrameAccumulator::new(
            registry,
            extractor,
            Arc::new(BTreeMap::new()),
            Interval::Day,
            Zone::parse("+06:00").unwrap(),
        )
    }

    #[test]
    fn prefixes_words_and_phrases_hit() {
        let acc = accumulator();
        let hits = acc
            .hits("Террористов и бандитов задержали. The internet shutdown lasted. Мирный митинг.");
        let frames: Vec<&str> = hits.iter().map(|h| h.0.as_str()).collect();
        // террорист* (prefix), бандиты ~ бандитов (same stem), "internet shutdown", мирные ~ мирный.
        assert_eq!(frames, ["blackout", "protest", "riot", "riot"]);
    }

    #[test]
    fn shares_count_documents_with_at_least_one_hit() {
        let mut acc = accumulator();
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
        acc.add(&doc, "state");
        doc.text = "Спокойный день.".into();
        acc.add(&doc, "state");
        let stats = acc.finish();
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
}
