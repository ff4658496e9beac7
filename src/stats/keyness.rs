//! Keyness between two groups: per-group term counts in, ranked key terms in both directions
//! out, with G², p, Bonferroni, Log Ratio, %DIFF, log-odds z, outlet spread and DP.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::index::stored::StoredDocument;
use crate::stats::counts::{CorpusCounts, GroupCounts, TermCount, TermExtractor, Unit};
use crate::stats::measures;
use crate::stats::scan::Accumulator;
use crate::stats::tally::TermTally;

/// Counts terms per group while scanning.
pub struct TermAccumulator {
    extractor: Arc<TermExtractor>,
    outlets: Arc<BTreeMap<String, u32>>,
    /// Single-word counts by ids (the fast path), turned into `counts` before merging.
    tally: Option<TermTally>,
    counts: CorpusCounts,
}

impl TermAccumulator {
    /// A fresh accumulator sharing the extractor and the outlet numbering.
    pub fn new(extractor: Arc<TermExtractor>, outlets: Arc<BTreeMap<String, u32>>) -> Self {
        let tally = extractor
            .counts_words()
            .then(|| TermTally::new(Arc::clone(&extractor)));
        TermAccumulator {
            extractor,
            outlets,
            tally,
            counts: CorpusCounts::default(),
        }
    }

    /// The counts of every document added.
    pub fn into_counts(mut self) -> CorpusCounts {
        self.settle();
        self.counts
    }

    /// Moves the tally's counts into `counts`.
    fn settle(&mut self) {
        if let Some(tally) = self.tally.take() {
            self.counts.merge(tally.into_counts());
            self.tally = Some(TermTally::new(Arc::clone(&self.extractor)));
        }
    }
}

impl Accumulator for TermAccumulator {
    fn add(&mut self, doc: &StoredDocument, group: &str) {
        let outlet = self.outlets.get(&doc.outlet).copied().unwrap_or(u32::MAX);
        if let Some(tally) = &mut self.tally {
            tally.add_document(group, outlet, &[&doc.title, &doc.text]);
            return;
        }
        let mut terms = self.extractor.terms(&doc.title);
        terms.extend(self.extractor.terms(&doc.text));
        self.counts.add_document(group, outlet, terms);
    }

    fn merge(&mut self, mut other: Self) {
        self.settle();
        other.settle();
        self.counts.merge(other.counts);
    }
}

/// Options of a keyness comparison.
#[derive(Debug, Clone, Serialize)]
pub struct KeynessOptions {
    /// Tokens or documents.
    pub unit: Unit,
    /// Key terms to list per direction.
    pub top: usize,
    /// Minimum combined frequency (a + b) for a term to be tested.
    pub min_freq: u64,
    /// Average outlets' relative frequencies instead of pooling tokens.
    pub balance_outlets: bool,
    /// Significance level before Bonferroni correction.
    pub alpha: f64,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            unit: Unit::Token,
            top: 30,
            min_freq: 5,
            balance_outlets: false,
            alpha: 0.05,
        }
    }
}

impl Keyness {
    /// The same comparison of labels (entity or frame ids), which are shown as they are
    /// rather than as word forms.
    pub fn labels_as_terms(mut self) -> Keyness {
        for term in &mut self.terms {
            term.term.clone_from(&term.index_term);
        }
        self
    }
}

/// Size of one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Group label (`all others` for the complement).
    pub label: String,
    /// Documents.
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
    /// Outlets with at least one document.
    pub outlets: usize,
}

/// One key term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyTerm {
    /// The term as shown: a readable word that finds the term's documents in `search` (the
    /// lemma, or the most frequent surface form; see [`crate::analysis::display`]).
    pub term: String,
    /// The counted index term (lemma or stem, or n-gram of them).
    pub index_term: String,
    /// Most frequent surface forms.
    pub forms: Vec<String>,
    /// `target` or `reference`: which side over-uses it.
    pub direction: String,
    /// Frequency in the target (tokens or documents, per `unit`).
    pub target_freq: u64,
    /// Frequency in the reference.
    pub reference_freq: u64,
    /// Target frequency per million units.
    pub target_per_million: f64,
    /// Reference frequency per million units.
    pub reference_per_million: f64,
    /// Signed log-likelihood.
    pub g2: f64,
    /// p-value of G² (χ², 1 df).
    pub p: f64,
    /// Significant after Bonferroni correction for the number of terms tested.
    pub bonferroni: bool,
    /// Log Ratio (binary log of the ratio of relative frequencies; zero → 0.5).
    pub log_ratio: f64,
    /// %DIFF; `null` when the reference frequency is zero.
    pub pct_diff: Option<f64>,
    /// z-score of the log-odds ratio with informative Dirichlet prior.
    pub log_odds_z: f64,
    /// Target outlets using the term.
    pub target_outlets: usize,
    /// Reference outlets using the term.
    pub reference_outlets: usize,
    /// Gries' DP of the term across the target group's outlets.
    pub dp: f64,
    /// One outlet gives more than half of the term's hits in the over-using group.
    pub dominated: bool,
}

/// The result of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyness {
    /// Target side.
    pub target: Side,
    /// Reference side.
    pub reference: Side,
    /// `token` or `document`.
    pub unit: String,
    /// Terms tested (a + b ≥ min_freq): the Bonferroni divisor.
    pub terms_tested: usize,
    /// Corrected significance threshold (alpha / terms_tested).
    pub bonferroni_threshold: f64,
    /// Key terms: the target's, then the reference's.
    pub terms: Vec<KeyTerm>,
}

/// Merges several groups' counts into one (for "all other documents").
pub fn combine(groups: &[&GroupCounts]) -> GroupCounts {
    let mut out = GroupCounts::default();
    for group in groups {
        out.merge((*group).clone());
    }
    out
}

fn side(label: &str, group: &GroupCounts) -> Side {
    Side {
        label: label.to_string(),
        documents: group.documents,
        tokens: group.tokens,
        outlets: group.outlet_documents.len(),
    }
}

/// Frequency of a term and its group total, in the chosen unit.
fn frequency(count: Option<&TermCount>, group: &GroupCounts, unit: Unit) -> (f64, f64) {
    match unit {
        Unit::Token => (count.map_or(0, |c| c.freq) as f64, group.tokens as f64),
        Unit::Document => (count.map_or(0, |c| c.docs) as f64, group.documents as f64),
    }
}

/// Mean of the outlets' relative frequencies, scaled back to the group's size.
fn balanced(count: Option<&TermCount>, group: &GroupCounts) -> f64 {
    let outlets = group.outlet_tokens.len();
    if outlets == 0 {
        return 0.0;
    }
    let mean_rate: f64 = group
        .outlet_tokens
        .iter()
        .filter(|(_, tokens)| **tokens > 0)
        .map(|(o, tokens)| {
            let freq = count.and_then(|c| c.by_outlet.get(o)).copied().unwrap_or(0);
            freq as f64 / *tokens as f64
        })
        .sum::<f64>()
        / outlets as f64;
    mean_rate * group.tokens as f64
}

/// Compares `target` against `reference` (both already combined from groups).
pub fn compare(
    counts: &CorpusCounts,
    target_label: &str,
    target: &GroupCounts,
    reference_label: &str,
    reference: &GroupCounts,
    options: &KeynessOptions,
) -> Keyness {
    let mut terms: Vec<&String> = target.terms.keys().chain(reference.terms.keys()).collect();
    terms.sort();
    terms.dedup();
    let mut rows = Vec::new();
    let mut tested = 0;
    for term in terms {
        let (t, r) = (target.terms.get(term), reference.terms.get(term));
        let (raw_a, c) = frequency(t, target, options.unit);
        let (raw_b, d) = frequency(r, reference, options.unit);
        if ((raw_a + raw_b) as u64) < options.min_freq || c == 0.0 || d == 0.0 {
            continue;
        }
        tested += 1;
        let (a, b) = if options.balance_outlets && options.unit == Unit::Token {
            (balanced(t, target), balanced(r, reference))
        } else {
            (raw_a, raw_b)
        };
        let g2 = measures::log_likelihood(a, b, c, d);
        let (_, z) = measures::log_odds_dirichlet(a, b, c, d, a + b, c + d);
        let over_user = if g2 >= 0.0 { t } else { r };
        let dominated = over_user.is_some_and(|count| {
            let max = count.by_outlet.values().copied().max().unwrap_or(0);
            count.freq > 0 && max * 2 > count.freq
        });
        let parts: Vec<(f64, f64)> = target
            .outlet_tokens
            .iter()
            .map(|(o, tokens)| {
                let freq = t.and_then(|c| c.by_outlet.get(o)).copied().unwrap_or(0);
                (*tokens as f64, freq as f64)
            })
            .collect();
        rows.push(KeyTerm {
            term: counts.display_form(term),
            index_term: term.clone(),
            forms: counts.top_forms(term, 3),
            direction: if g2 >= 0.0 { "target" } else { "reference" }.to_string(),
            target_freq: raw_a as u64,
            reference_freq: raw_b as u64,
            target_per_million: measures::per_million(a, c),
            reference_per_million: measures::per_million(b, d),
            g2,
            p: measures::p_value(g2),
            bonferroni: false,
            log_ratio: measures::log_ratio(a, b, c, d),
            pct_diff: measures::percent_diff(a, b, c, d),
            log_odds_z: z,
            target_outlets: t.map_or(0, |c| c.by_outlet.len()),
            reference_outlets: r.map_or(0, |c| c.by_outlet.len()),
            dp: measures::deviation_of_proportions(&parts),
            dominated,
        });
    }
    let threshold = options.alpha / tested.max(1) as f64;
    for row in &mut rows {
        row.bonferroni = row.p < threshold;
    }
    let pick = |positive: bool| {
        let mut side: Vec<KeyTerm> = rows
            .iter()
            .filter(|r| if positive { r.g2 > 0.0 } else { r.g2 < 0.0 })
            .cloned()
            .collect();
        side.sort_by(|x, y| {
            y.g2.abs()
                .total_cmp(&x.g2.abs())
                .then_with(|| x.index_term.cmp(&y.index_term))
        });
        side.truncate(options.top);
        side
    };
    let mut key_terms = pick(true);
    key_terms.extend(pick(false));
    Keyness {
        target: side(target_label, target),
        reference: side(reference_label, reference),
        unit: match options.unit {
            Unit::Token => "token",
            Unit::Document => "document",
        }
        .to_string(),
        terms_tested: tested,
        bonferroni_threshold: threshold,
        terms: key_terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::TermMode;

    fn counts() -> CorpusCounts {
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        let mut counts = CorpusCounts::default();
        let docs = [
            ("state", 0, "бандиты бандиты порядок шум шум шум"),
            ("state", 1, "бандиты порядок шум шум"),
            ("independent", 2, "протестующие протестующие шум шум шум"),
            ("independent", 3, "протестующие порядок шум шум шум шум"),
        ];
        for (g, o, t) in docs {
            counts.add_document(g, o, extractor.terms(t));
        }
        counts
    }

    #[test]
    fn both_directions_with_measures_from_the_formulas() {
        let counts = counts();
        let options = KeynessOptions {
            min_freq: 1,
            ..KeynessOptions::default()
        };
        let (state, indie) = (&counts.groups["state"], &counts.groups["independent"]);
        let result = compare(&counts, "state", state, "independent", indie, &options);
        assert_eq!((result.target.tokens, result.reference.tokens), (10, 11));
        assert_eq!(result.terms_tested, 4);
        let row = |term: &str| result.terms.iter().find(|r| r.term == term).unwrap();
        let bandits = row("бандиты");
        assert_eq!(bandits.direction, "target");
        assert_eq!((bandits.target_freq, bandits.reference_freq), (3, 0));
        // a=3, b=0, c=10, d=11: E1 = 10·3/21; G² = 2·3·ln(3/E1).
        let expected = 2.0 * 3.0 * (3.0f64 / (10.0 * 3.0 / 21.0)).ln();
        assert!((bandits.g2 - expected).abs() < 1e-12);
        assert!((bandits.log_ratio - ((3.0f64 / 10.0) / (0.5 / 11.0)).log2()).abs() < 1e-12);
        assert_eq!(bandits.pct_diff, None);
        assert_eq!(bandits.target_outlets, 2);
        // Outlet 0 gives 2 of 3 hits → dominated; DP over sizes 6/4 and hits 2/1.
        assert!(bandits.dominated);
        let dp = 0.5 * ((2.0f64 / 3.0 - 0.6).abs() + (1.0f64 / 3.0 - 0.4).abs());
        assert!((bandits.dp - dp).abs() < 1e-12);
        let protesters = row("протестующие");
        assert_eq!(protesters.direction, "reference");
        assert!(protesters.g2 < 0.0);
        // Ties in |G²| are broken by term, so the order is stable.
        let targets: Vec<&str> = result
            .terms
            .iter()
            .filter(|r| r.direction == "target")
            .map(|r| r.term.as_str())
            .collect();
        assert_eq!(targets[0], "бандиты");
    }

    #[test]
    fn equal_scores_are_ordered_by_term() {
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        let mut counts = CorpusCounts::default();
        counts.add_document("state", 0, extractor.terms("яблоко арбуз шум"));
        counts.add_document("state", 1, extractor.terms("яблоко арбуз шум"));
        counts.add_document("independent", 2, extractor.terms("шум шум шум шум"));
        let options = KeynessOptions {
            min_freq: 1,
            ..KeynessOptions::default()
        };
        let (state, indie) = (&counts.groups["state"], &counts.groups["independent"]);
        let result = compare(&counts, "state", state, "independent", indie, &options);
        let targets: Vec<&str> = result
            .terms
            .iter()
            .filter(|r| r.direction == "target")
            .map(|r| r.term.as_str())
            .collect();
        // арбуз and яблоко have identical counts, so identical G²: alphabetical order.
        assert_eq!(targets, ["арбуз", "яблоко"]);
        assert_eq!(result.terms[0].g2, result.terms[1].g2);
    }

    #[test]
    fn document_unit_counts_documents() {
        let counts = counts();
        let options = KeynessOptions {
            min_freq: 1,
            unit: Unit::Document,
            ..KeynessOptions::default()
        };
        let (state, indie) = (&counts.groups["state"], &counts.groups["independent"]);
        let result = compare(&counts, "state", state, "independent", indie, &options);
        let bandits = result.terms.iter().find(|r| r.term == "бандиты").unwrap();
        assert_eq!((bandits.target_freq, bandits.reference_freq), (2, 0));
        let expected = measures::log_likelihood(2.0, 0.0, 2.0, 2.0);
        assert!((bandits.g2 - expected).abs() < 1e-12);
    }

    #[test]
    fn balancing_outlets_averages_relative_frequencies() {
        let counts = counts();
        let options = KeynessOptions {
            min_freq: 1,
            balance_outlets: true,
            ..KeynessOptions::default()
        };
        let (state, indie) = (&counts.groups["state"], &counts.groups["independent"]);
        let result = compare(&counts, "state", state, "independent", indie, &options);
        let bandits = result.terms.iter().find(|r| r.term == "бандиты").unwrap();
        // Outlet rates 2/6 and 1/4 → mean 7/24, scaled to 10 tokens.
        let a = (2.0 / 6.0 + 1.0 / 4.0) / 2.0 * 10.0;
        assert!((bandits.target_per_million - a / 10.0 * 1e6).abs() < 1e-6);
    }
}
