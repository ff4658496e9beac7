//! Frame analysis: documents in, per group the share of documents with at least one hit of
//! each frame (overall and per interval), hit counts for frame keyness out.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::registry::{FramePattern, FrameRegistry};
use crate::stats::counts::{CorpusCounts, TermExtractor};
use crate::stats::scan::Accumulator;
use crate::stats::timeline::{bucket_of, Interval};
use crate::text::{fold_case, Analyzer};

/// Counts frame hits while scanning.
pub struct FrameAccumulator {
    registry: Arc<FrameRegistry>,
    extractor: Arc<TermExtractor>,
    outlets: Arc<BTreeMap<String, u32>>,
    analyzer: Analyzer,
    interval: Interval,
    utc_offset_minutes: i32,
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
        utc_offset_minutes: i32,
    ) -> Self {
        FrameAccumulator {
            registry,
            extractor,
            outlets,
            analyzer: Analyzer::default(),
            interval,
            utc_offset_minutes,
            counts: CorpusCounts::default(),
            bucket_documents: BTreeMap::new(),
            bucket_hits: BTreeMap::new(),
        }
    }

    /// Frame hits in `text`: (frame, matched words) for each match; a word is counted for at
    /// most one pattern per frame.
    pub fn hits(&self, text: &str) -> Vec<(String, String)> {
        let mut terms = Vec::new();
        self.analyzer.for_each_term(text, |t| {
            terms.push((t.term, fold_case(&text[t.start..t.end])))
        });
        let mut out = Vec::new();
        for frame in self.registry.frames() {
            let mut i = 0;
            while i < terms.len() {
                let hit = self
                    .registry
                    .patterns()
                    .iter()
                    .filter(|p| p.frame == *frame && matches(p, &terms, i))
                    .map(|p| p.words.len())
                    .max();
                match hit {
                    Some(len) => {
                        let surface = terms[i..i + len]
                            .iter()
                            .map(|t| t.1.as_str())
                            .collect::<Vec<_>>()
                            .join(" ");
                        out.push((frame.clone(), surface));
                        i += len;
                    }
                    None => i += 1,
                }
            }
        }
        out
    }
}

impl Accumulator for FrameAccumulator {
    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let mut hits = self.hits(&doc.title);
        hits.extend(self.hits(&doc.text));
        let tokens = (self.extractor.count(&doc.title) + self.extractor.count(&doc.text)) as u64;
        let bucket = bucket_of(doc, self.interval, self.utc_offset_minutes);
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
            360,
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
