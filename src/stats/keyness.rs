//! Keyness between two groups: per-group term counts in, ranked key terms in both directions
//! out, with G², p, Bonferroni, Benjamini–Hochberg q, Log Ratio with its 95 % confidence
//! interval and LRC, %DIFF, log-odds z, outlet spread and DP.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use crate::stats::counts::{GroupCounts, RowCount, TermCount, TermCounts, TermRows, Unit};
use crate::stats::measures;

/// The two sides of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The group asked about.
    Target,
    /// What it is compared with.
    Reference,
}

impl Side {
    /// Both sides, target first.
    pub const BOTH: [Side; 2] = [Side::Target, Side::Reference];

    /// `target` or `reference`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Target => "target",
            Side::Reference => "reference",
        }
    }
}

crate::display_as_name!(Side);

/// The ordering of key terms within a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    /// By |G²| (evidence of a difference).
    #[default]
    G2,
    /// By |Log Ratio| (size of the difference).
    LogRatio,
    /// By |LRC| (the size the evidence supports), then |G²|.
    Lrc,
}

impl Rank {
    /// `g2`, `log_ratio` or `lrc`.
    pub fn name(self) -> &'static str {
        match self {
            Rank::G2 => "g2",
            Rank::LogRatio => "log_ratio",
            Rank::Lrc => "lrc",
        }
    }

    /// The sort key of a row with these G², Log Ratio and LRC (larger first).
    fn key(self, g2: f64, log_ratio: f64, lrc: f64) -> (f64, f64) {
        match self {
            Rank::G2 => (g2.abs(), 0.0),
            Rank::LogRatio => (log_ratio.abs(), g2.abs()),
            Rank::Lrc => (lrc.abs(), g2.abs()),
        }
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
    /// List only terms with a Benjamini–Hochberg q below this (`None`: every tested term).
    pub max_q: Option<f64>,
    /// Ordering within a direction.
    pub rank: Rank,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            unit: Unit::Token,
            top: 30,
            min_freq: 5,
            balance_outlets: false,
            alpha: 0.05,
            max_q: Some(0.05),
            rank: Rank::G2,
        }
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Document`
// (model.rs), `DocumentView` (search/show.rs): different facts, no shared type.
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
pub struct SideSize {
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
    /// Which side over-uses it.
    pub direction: Side,
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
    /// Benjamini–Hochberg q-value over all terms tested (both directions).
    pub q: f64,
    /// Log Ratio (binary log of the ratio of relative frequencies; zero → 0.5).
    pub log_ratio: f64,
    /// Lower bound of the Log Ratio's 95 % confidence interval.
    pub log_ratio_low: f64,
    /// Upper bound of the Log Ratio's 95 % confidence interval.
    pub log_ratio_high: f64,
    /// Conservative Log Ratio: the interval's bound closer to zero, 0 when it spans zero.
    pub lrc: f64,
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
    pub target: SideSize,
    /// Reference side.
    pub reference: SideSize,
    /// What was counted.
    pub unit: Unit,
    /// Terms tested (a + b ≥ min_freq): the Bonferroni divisor.
    pub terms_tested: usize,
    /// Corrected significance threshold (alpha / terms_tested).
    pub bonferroni_threshold: f64,
    /// Terms were listed only when their q-value is below this (`null`: no filter).
    pub max_q: Option<f64>,
    /// Tested terms with q below `max_q` (both directions, before `top` is applied).
    pub terms_significant: usize,
    /// Ordering within a direction.
    pub rank: Rank,
    /// Key terms: the target's, then the reference's.
    pub terms: Vec<KeyTerm>,
}

/// Every group against all the others (`--target each`): one comparison per group, in the
/// groups' sorted order, with the same measures and options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeynessEach {
    /// One comparison per group; its reference is `all others`.
    pub comparisons: Vec<Keyness>,
}

/// Which groups of a [`TermCounts`] make the two sides of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    /// The target group's label.
    pub target: String,
    /// The reference group's label; `None`: every other group (`all others`).
    pub reference: Option<String>,
}

impl Sides {
    /// `target` against `reference` (`None`: all other groups).
    pub fn new(target: &str, reference: Option<&str>) -> Sides {
        Sides {
            target: target.to_string(),
            reference: reference.map(str::to_string),
        }
    }

    /// The reference side's label as shown.
    pub fn reference_label(&self) -> &str {
        self.reference.as_deref().unwrap_or("all others")
    }

    /// The target's counts and the reference's (combined from its groups); a group missing
    /// from `counts` is an empty side.
    fn of<'c>(&self, counts: &'c TermCounts) -> (Cow<'c, GroupCounts>, Cow<'c, GroupCounts>) {
        let group = |label: &str| {
            counts
                .groups
                .get(label)
                .map_or_else(|| Cow::Owned(GroupCounts::default()), Cow::Borrowed)
        };
        let reference = match &self.reference {
            Some(label) => group(label),
            None => {
                let others: Vec<&GroupCounts> = counts
                    .groups
                    .iter()
                    .filter(|(label, _)| **label != self.target)
                    .map(|(_, g)| g)
                    .collect();
                combine(&others)
            }
        };
        (group(&self.target), reference)
    }
}

/// Ranks every group of `counts` against the rest.
pub fn each(counts: &TermCounts, options: &KeynessOptions) -> KeynessEach {
    let ranked: Vec<(Sides, Ranked)> = counts
        .groups
        .keys()
        .map(|label| {
            let sides = Sides::new(label, None);
            let (target, reference) = sides.of(counts);
            let ranked = rank(counts, &sides, &target, &reference, options);
            (sides, ranked)
        })
        .collect();
    // Counted without outlets and forms: those of every comparison's listed terms, at once.
    let mut listed: Vec<&str> = ranked
        .iter()
        .flat_map(|(_, r)| r.rows.iter().map(|row| row.index_term.as_str()))
        .collect();
    listed.sort_unstable();
    listed.dedup();
    let details = counts.with_details(&listed);
    let full = details.as_ref().unwrap_or(counts);
    let comparisons = ranked
        .into_iter()
        .map(|(sides, ranked)| {
            let (target, reference) = sides.of(full);
            finish(ranked, full, &sides, &target, &reference, options)
        })
        .collect();
    KeynessEach { comparisons }
}

/// Merges several groups' counts into one (for "all other documents"); a single group is
/// borrowed as it is rather than copied.
pub fn combine<'g>(groups: &[&'g GroupCounts]) -> Cow<'g, GroupCounts> {
    match groups {
        [one] => Cow::Borrowed(*one),
        _ => {
            let mut out = GroupCounts::default();
            for group in groups {
                out.merge_from(group);
            }
            Cow::Owned(out)
        }
    }
}

fn side(label: &str, group: &GroupCounts) -> SideSize {
    SideSize {
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
        .filter(|(_, tokens)| *tokens > 0)
        .map(|(o, tokens)| {
            let freq = count.map_or(0, |c| c.by_outlet.get(o));
            freq as f64 / tokens as f64
        })
        .sum::<f64>()
        / outlets as f64;
    mean_rate * group.tokens as f64
}

/// Compares the `sides` of `counts`.
pub fn compare(counts: &TermCounts, sides: &Sides, options: &KeynessOptions) -> Keyness {
    let (target, reference) = sides.of(counts);
    let ranked = rank(counts, sides, &target, &reference, options);
    let listed: Vec<&str> = ranked.rows.iter().map(|r| r.index_term.as_str()).collect();
    match counts.with_details(&listed) {
        Some(full) => {
            let (target, reference) = sides.of(&full);
            finish(ranked, &full, sides, &target, &reference, options)
        }
        None => finish(ranked, counts, sides, &target, &reference, options),
    }
}

/// The listed rows of a comparison, ranked by counts alone: what [`finish`] completes.
struct Ranked {
    /// The listed rows (the target's, then the reference's), without the fields that need
    /// outlets or surface forms.
    rows: Vec<KeyTerm>,
    terms_tested: usize,
    bonferroni_threshold: f64,
    terms_significant: usize,
}

/// Tests every term of either side of `counts` (`target` and `reference` are its `sides`)
/// and picks the listed rows.
fn rank(
    counts: &TermCounts,
    sides: &Sides,
    target: &GroupCounts,
    reference: &GroupCounts,
    options: &KeynessOptions,
) -> Ranked {
    let sizes = (
        frequency(None, target, options.unit).1,
        frequency(None, reference, options.unit).1,
    );
    match counts.rows() {
        Some(rows) => rank_rows(rows, sides, sizes, options),
        None => rank_terms(target, reference, sizes, options),
    }
}

/// [`rank`] over the groups' `terms` maps.
fn rank_terms(
    target: &GroupCounts,
    reference: &GroupCounts,
    sizes: (f64, f64),
    options: &KeynessOptions,
) -> Ranked {
    // Every term of either side once, in no particular order: q-values do not depend on the
    // order of the rows (ties in p get equal q), and the listed rows are sorted by a total
    // order below, so sorting every term's string first would only cost time.
    let terms = target
        .terms
        .iter()
        .map(|(term, t)| (term.as_str(), Some(t), reference.terms.get(term)))
        .chain(
            reference
                .terms
                .iter()
                .filter(|(term, _)| !target.terms.contains_key(*term))
                .map(|(term, r)| (term.as_str(), None, Some(r))),
        );
    let candidates = terms.map(|(term, t, r)| {
        let raw_a = frequency(t, target, options.unit).0;
        let raw_b = frequency(r, reference, options.unit).0;
        ((term, t, r), raw_a, raw_b)
    });
    let weigh = |(_, t, r): (&str, Option<&TermCount>, Option<&TermCount>), a, b| {
        if options.balance_outlets && options.unit == Unit::Token {
            (balanced(t, target), balanced(r, reference))
        } else {
            (a, b)
        }
    };
    let rows = candidates
        .filter_map(|candidate| tested(candidate, sizes, weigh, options))
        .collect();
    rank_tested(
        rows,
        sizes,
        |x, y| x.0.cmp(y.0),
        |x| x.0.to_string(),
        options,
    )
}

/// [`rank`] over terms counted by ids: each side's frequency summed from the term's
/// per-group counts as the comparison goes (the "all others" side is never built).
fn rank_rows(
    rows: &dyn TermRows,
    sides: &Sides,
    sizes: (f64, f64),
    options: &KeynessOptions,
) -> Ranked {
    let target = rows.group_number(&sides.target);
    let reference = sides.reference.as_deref().map(|l| rows.group_number(l));
    let value = |count: &RowCount| match options.unit {
        Unit::Token => count.freq,
        Unit::Document => u64::from(count.docs),
    };
    let candidate = |term: usize| {
        let (mut a, mut b, mut in_a, mut in_b) = (0u64, 0u64, false, false);
        for count in rows.counts(term) {
            let in_target = Some(count.group) == target;
            let in_reference = match reference {
                Some(label) => Some(count.group) == label,
                None => !in_target,
            };
            if in_target {
                a += value(count);
                in_a = true;
            }
            if in_reference {
                b += value(count);
                in_b = true;
            }
        }
        // As over the maps: a term of neither side is not a candidate.
        (in_a || in_b).then_some((term, a as f64, b as f64))
    };
    // Millions of n-grams are tested (each a p-value): split over the threads, in order, a
    // run of terms at a time (collected at once, the rows were held twice for a moment).
    let mut tested_rows: Vec<Tested<usize>> = Vec::new();
    for run in (0..rows.len()).step_by(TESTED_RUN) {
        let run: Vec<Tested<usize>> = (run..(run + TESTED_RUN).min(rows.len()))
            .into_par_iter()
            .filter_map(|term| tested(candidate(term)?, sizes, |_, a, b| (a, b), options))
            .collect();
        tested_rows.extend(run);
    }
    rank_tested(
        tested_rows,
        sizes,
        |x, y| rows.cmp_terms(x, y),
        |x| rows.term(x),
        options,
    )
}

/// Terms tested over the threads at a time by [`rank_rows`].
const TESTED_RUN: usize = 1 << 16;

/// The test of one candidate (a term with its raw frequencies on each side, in
/// `options.unit`) against the sides' sizes `(c, d)`, the frequencies tested given by
/// `weigh`: only what ranks it (the full row is made for the listed rows alone: hundreds of
/// thousands of n-grams are tested, a few dozen listed). None when it is too rare to test.
fn tested<T>(
    (term, raw_a, raw_b): (T, f64, f64),
    (c, d): (f64, f64),
    weigh: impl Fn(T, f64, f64) -> (f64, f64),
    options: &KeynessOptions,
) -> Option<Tested<T>>
where
    T: Copy,
{
    if ((raw_a + raw_b) as u64) < options.min_freq || c == 0.0 || d == 0.0 {
        return None;
    }
    let (a, b) = weigh(term, raw_a, raw_b);
    let g2 = measures::log_likelihood(a, b, c, d);
    let interval = measures::log_ratio_interval(a, b, c, d);
    Some(Tested {
        term,
        raw: (raw_a, raw_b),
        weighed: (a, b),
        g2,
        p: measures::p_value(g2),
        q: 1.0,
        log_ratio: measures::log_ratio(a, b, c, d),
        lrc: measures::conservative_log_ratio(interval),
    })
}

/// Picks the listed rows of the `rows` tested (see [`tested`]) against sides of sizes
/// `(c, d)`; `order_terms` breaks ties as the terms' strings order, `name` gives a listed
/// term's string.
fn rank_tested<T: Copy>(
    mut rows: Vec<Tested<T>>,
    (c, d): (f64, f64),
    order_terms: impl Fn(T, T) -> std::cmp::Ordering,
    name: impl Fn(T) -> String,
    options: &KeynessOptions,
) -> Ranked {
    let tested = rows.len();
    let threshold = options.alpha / tested.max(1) as f64;
    let p: Vec<f64> = rows.iter().map(|r| r.p).collect();
    for (row, q) in rows.iter_mut().zip(measures::benjamini_hochberg(&p)) {
        row.q = q;
    }
    drop(p);
    let significant = |r: &Tested<T>| options.max_q.is_none_or(|max| r.q < max);
    let terms_significant = rows.iter().filter(|r| significant(r)).count();
    let pick = |positive: bool| {
        let mut side: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                (if positive { r.g2 > 0.0 } else { r.g2 < 0.0 }) && significant(r)
            })
            .collect();
        let order = |&x: &usize, &y: &usize| {
            let (kx, ky) = (rows[x].key(options.rank), rows[y].key(options.rank));
            ky.0.total_cmp(&kx.0)
                .then(ky.1.total_cmp(&kx.1))
                .then_with(|| order_terms(rows[x].term, rows[y].term))
        };
        // The first `top` by a total order (terms are distinct), then only those sorted.
        if options.top < side.len() {
            side.select_nth_unstable_by(options.top, order);
            side.truncate(options.top);
        }
        side.sort_by(order);
        side.into_iter()
            .map(|i| rows[i].row(name(rows[i].term), (c, d), threshold))
            .collect::<Vec<KeyTerm>>()
    };
    let mut listed = pick(true);
    listed.extend(pick(false));
    Ranked {
        rows: listed,
        terms_tested: tested,
        bonferroni_threshold: threshold,
        terms_significant,
    }
}

/// A tested term with what ranks it (see [`rank_with`]).
struct Tested<T> {
    term: T,
    /// Raw frequencies (target, reference) in the comparison's unit.
    raw: (f64, f64),
    /// The frequencies tested (balanced across outlets, or the raw ones).
    weighed: (f64, f64),
    g2: f64,
    p: f64,
    q: f64,
    log_ratio: f64,
    lrc: f64,
}

impl<T> Tested<T> {
    /// The sort key of the row (larger first).
    fn key(&self, rank: Rank) -> (f64, f64) {
        rank.key(self.g2, self.log_ratio, self.lrc)
    }

    /// The listed row of `index_term` against sides of sizes `(c, d)`, without the fields
    /// that need outlets or surface forms (see [`finish`]).
    fn row(&self, index_term: String, (c, d): (f64, f64), threshold: f64) -> KeyTerm {
        let (a, b) = self.weighed;
        let interval = measures::log_ratio_interval(a, b, c, d);
        let (_, z) = measures::log_odds_dirichlet(a, b, c, d, a + b, c + d);
        KeyTerm {
            term: String::new(),
            index_term,
            forms: Vec::new(),
            direction: if self.g2 >= 0.0 {
                Side::Target
            } else {
                Side::Reference
            },
            target_freq: self.raw.0 as u64,
            reference_freq: self.raw.1 as u64,
            target_per_million: measures::per_million(a, c),
            reference_per_million: measures::per_million(b, d),
            g2: self.g2,
            p: self.p,
            bonferroni: self.p < threshold,
            q: self.q,
            log_ratio: self.log_ratio,
            log_ratio_low: interval.0,
            log_ratio_high: interval.1,
            lrc: self.lrc,
            pct_diff: measures::percent_diff(a, b, c, d),
            log_odds_z: z,
            target_outlets: 0,
            reference_outlets: 0,
            dp: 0.0,
            dominated: false,
        }
    }
}

/// Completes the ranked rows from `counts` with every listed term's outlets and forms
/// (`target` and `reference` are the `sides` of `counts`).
fn finish(
    ranked: Ranked,
    counts: &TermCounts,
    sides: &Sides,
    target: &GroupCounts,
    reference: &GroupCounts,
    options: &KeynessOptions,
) -> Keyness {
    let terms = ranked
        .rows
        .into_iter()
        .map(|row| {
            let (t, r) = (
                target.terms.get(&row.index_term),
                reference.terms.get(&row.index_term),
            );
            let over_user = if row.g2 >= 0.0 { t } else { r };
            let dominated = over_user
                .is_some_and(|count| count.freq > 0 && count.by_outlet.max() * 2 > count.freq);
            let parts: Vec<(f64, f64)> = target
                .outlet_tokens
                .iter()
                .map(|(o, tokens)| {
                    let freq = t.map_or(0, |c| c.by_outlet.get(o));
                    (tokens as f64, freq as f64)
                })
                .collect();
            KeyTerm {
                term: counts.display_form(&row.index_term),
                forms: counts.top_forms(&row.index_term, 3),
                target_outlets: t.map_or(0, |c| c.by_outlet.len()),
                reference_outlets: r.map_or(0, |c| c.by_outlet.len()),
                dp: measures::deviation_of_proportions(&parts),
                dominated,
                ..row
            }
        })
        .collect();
    Keyness {
        target: side(&sides.target, target),
        reference: side(sides.reference_label(), reference),
        unit: options.unit,
        terms_tested: ranked.terms_tested,
        bonferroni_threshold: ranked.bonferroni_threshold,
        max_q: options.max_q,
        terms_significant: ranked.terms_significant,
        rank: options.rank,
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::counts::{TermExtractor, TermMode};

    /// The key terms of one side, in order.
    fn terms_on(result: &Keyness, side: Side) -> Vec<&str> {
        let on_side = result.terms.iter().filter(|r| r.direction == side);
        on_side.map(|r| r.term.as_str()).collect()
    }

    /// The target's key terms, in order.
    fn target_terms(result: &Keyness) -> Vec<&str> {
        terms_on(result, Side::Target)
    }

    /// Counts of plain terms in `(group, outlet, text)` documents.
    fn plain(docs: &[(&str, u32, &str)]) -> TermCounts {
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        let mut counts = TermCounts::default();
        for (group, outlet, text) in docs {
            counts.add_document(group, *outlet, extractor.terms(text));
        }
        counts
    }

    fn counts() -> TermCounts {
        plain(&[
            ("state", 0, "бандиты бандиты порядок шум шум шум"),
            ("state", 1, "бандиты порядок шум шум"),
            ("independent", 2, "протестующие протестующие шум шум шум"),
            ("independent", 3, "протестующие порядок шум шум шум шум"),
        ])
    }

    /// Every term with at least one hit, significant or not.
    fn every_term() -> KeynessOptions {
        KeynessOptions {
            min_freq: 1,
            max_q: None,
            ..KeynessOptions::default()
        }
    }

    /// The "state" group against the "independent" one.
    fn state_against_independent(counts: &TermCounts, options: &KeynessOptions) -> Keyness {
        compare(counts, &Sides::new("state", Some("independent")), options)
    }

    fn row<'a>(result: &'a Keyness, term: &str) -> &'a KeyTerm {
        result.terms.iter().find(|r| r.term == term).unwrap()
    }

    #[test]
    fn both_directions_with_measures_from_the_formulas() {
        let result = state_against_independent(&counts(), &every_term());
        assert_eq!((result.target.tokens, result.reference.tokens), (10, 11));
        assert_eq!(result.terms_tested, 4);
        let bandits = row(&result, "бандиты");
        assert_eq!(bandits.direction, Side::Target);
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
        let protesters = row(&result, "протестующие");
        assert_eq!(protesters.direction, Side::Reference);
        assert!(protesters.g2 < 0.0);
        // Ties in |G²| are broken by term, so the order is stable.
        let targets = target_terms(&result);
        assert_eq!(targets[0], "бандиты");
    }

    // Repeated shape: a test fixture, one (group, outlet, text) row per document.
    #[test]
    fn equal_scores_are_ordered_by_term() {
        let counts = plain(&[
            ("state", 0, "яблоко арбуз шум"),
            ("state", 1, "яблоко арбуз шум"),
            ("independent", 2, "шум шум шум шум"),
        ]);
        let result = state_against_independent(&counts, &every_term());
        let targets = target_terms(&result);
        // арбуз and яблоко have identical counts, so identical G²: alphabetical order.
        assert_eq!(targets, ["арбуз", "яблоко"]);
        assert_eq!(result.terms[0].g2, result.terms[1].g2);
    }

    #[test]
    fn document_unit_counts_documents() {
        let options = KeynessOptions {
            unit: Unit::Document,
            ..every_term()
        };
        let result = state_against_independent(&counts(), &options);
        let bandits = row(&result, "бандиты");
        assert_eq!((bandits.target_freq, bandits.reference_freq), (2, 0));
        let expected = measures::log_likelihood(2.0, 0.0, 2.0, 2.0);
        assert!((bandits.g2 - expected).abs() < 1e-12);
    }

    #[test]
    fn balancing_outlets_averages_relative_frequencies() {
        let options = KeynessOptions {
            balance_outlets: true,
            ..every_term()
        };
        let result = state_against_independent(&counts(), &options);
        let bandits = row(&result, "бандиты");
        // Outlet rates 2/6 and 1/4 → mean 7/24, scaled to 10 tokens.
        let a = (2.0 / 6.0 + 1.0 / 4.0) / 2.0 * 10.0;
        assert!((bandits.target_per_million - a / 10.0 * 1e6).abs() < 1e-6);
    }

    /// Target (100 tokens): альфа 40, бета 3, гамма 2, шум 55; reference (100 tokens):
    /// альфа 10, шум 90. Expected values from an independent route (scipy, statsmodels):
    ///   g = 2*(xlogy(a,a/e1)+xlogy(b,b/e2)); p = chi2.sf(g,1)
    ///   q = multipletests(ps, method='fdr_bh')[1]
    ///   lr ± norm.ppf(.975)*sqrt(1/a+1/b)/log(2), zeros → 0.5
    /// альфа: p 1.1320970505144432e-05, q 4.528388202057773e-05, lr 2, CI 1.0002817127308352
    ///        .. 2.9997182872691646, LRC 1.0002817127308352
    /// бета:  q 0.05522227531649118, lr 2.584962500721156, LRC 0 (CI −1.73 .. 6.90)
    /// гамма: q 0.09589096714246556, lr 2, LRC 0
    /// шум:   q 0.006978015986388909, lr −0.710493382805015, LRC −0.22653944090172984
    fn four_terms() -> TermCounts {
        let mut counts = TermCounts::default();
        let extractor = TermExtractor::new(TermMode::Plain, 1, true);
        let text = |parts: &[(&str, usize)]| {
            let words: Vec<&str> = parts
                .iter()
                .flat_map(|(w, n)| std::iter::repeat_n(*w, *n))
                .collect();
            extractor.terms(&words.join(" "))
        };
        let target = text(&[("альфа", 40), ("бета", 3), ("гамма", 2), ("шум", 55)]);
        counts.add_document("state", 0, target);
        counts.add_document("independent", 1, text(&[("альфа", 10), ("шум", 90)]));
        counts
    }

    fn run(options: KeynessOptions) -> Keyness {
        state_against_independent(&four_terms(), &options)
    }

    #[test]
    fn q_values_interval_and_lrc_match_an_independent_computation() {
        let result = run(every_term());
        let row = |term: &str| row(&result, term);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        let alpha = row("альфа");
        close(alpha.p, 1.132_097_050_514_443_2e-5);
        close(alpha.q, 4.528_388_202_057_773e-5);
        close(alpha.log_ratio_low, 1.000_281_712_730_835_2);
        close(alpha.log_ratio_high, 2.999_718_287_269_164_6);
        close(alpha.lrc, 1.000_281_712_730_835_2);
        close(row("бета").q, 0.055_222_275_316_491_18);
        assert_eq!(row("бета").lrc, 0.0);
        close(row("гамма").q, 0.095_890_967_142_465_56);
        let noise = row("шум");
        close(noise.q, 0.006_978_015_986_388_909);
        close(noise.log_ratio, -0.710_493_382_805_015);
        close(noise.lrc, -0.226_539_440_901_729_84);
        assert_eq!((result.terms_tested, result.terms_significant), (4, 4));
    }

    #[test]
    fn default_lists_only_terms_with_q_below_five_percent() {
        let result = run(KeynessOptions {
            min_freq: 1,
            ..KeynessOptions::default()
        });
        // бета (q 0.055) and гамма (q 0.096) are tested but not listed.
        assert_eq!(target_terms(&result), ["альфа"]);
        assert_eq!(terms_on(&result, Side::Reference), ["шум"]);
        assert_eq!((result.terms_tested, result.terms_significant), (4, 2));
        assert_eq!(result.max_q, Some(0.05));
    }

    #[test]
    fn rank_chooses_the_ordering() {
        let order = |rank| {
            let result = run(KeynessOptions {
                rank,
                ..every_term()
            });
            target_terms(&result)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        // G²: 19.27, 4.16, 2.77.
        assert_eq!(order(Rank::G2), ["альфа", "бета", "гамма"]);
        // Log Ratio: 2.58, then the tie at 2 broken by G².
        assert_eq!(order(Rank::LogRatio), ["бета", "альфа", "гамма"]);
        // LRC: 1.0003, then 0 and 0 broken by G².
        assert_eq!(order(Rank::Lrc), ["альфа", "бета", "гамма"]);
    }

    // Repeated shape: a test fixture, one (group, outlet, text) row per document.
    #[test]
    fn each_group_is_ranked_against_the_sum_of_the_others() {
        let counts = plain(&[
            ("a", 0, "икс икс икс шум"),
            ("b", 1, "игрек шум шум шум"),
            ("c", 2, "икс шум шум шум шум шум"),
        ]);
        let each = each(&counts, &every_term());
        let labels: Vec<&str> = each
            .comparisons
            .iter()
            .map(|k| k.target.label.as_str())
            .collect();
        assert_eq!(labels, ["a", "b", "c"]);
        // a: 4 tokens against b + c = 10 tokens; икс 3 against 0 + 1.
        let a = &each.comparisons[0];
        assert_eq!((a.target.tokens, a.reference.tokens), (4, 10));
        assert_eq!(a.reference.label, "all others");
        let x = row(a, "икс");
        assert_eq!((x.target_freq, x.reference_freq), (3, 1));
        // E1 = 4·4/14, E2 = 10·4/14: G² = 2[3 ln(3/E1) + 1 ln(1/E2)].
        let (e1, e2) = (16.0 / 14.0, 40.0 / 14.0);
        let g2 = 2.0 * (3.0 * (3.0f64 / e1).ln() + (1.0f64 / e2).ln());
        assert!((x.g2 - g2).abs() < 1e-12);
        // b: игрек 1 against 0 of the other 10 tokens.
        let b = &each.comparisons[1];
        assert_eq!((b.target.tokens, b.reference.tokens), (4, 10));
        let y = row(b, "игрек");
        assert_eq!(
            (y.target_freq, y.reference_freq, y.direction),
            (1, 0, Side::Target)
        );
    }
}
