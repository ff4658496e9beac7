//! Keyness and dispersion measures: frequencies in, statistics out. Pure functions; the
//! definitions (and their citations) are in the README's "Statistics" section.
//!
//! For a term: `a` = frequency in the target group, `b` = in the reference group,
//! `c` and `d` = total tokens (or documents) of target and reference.

use rayon::slice::ParallelSliceMut;

/// χ² critical values for 1 degree of freedom at p = 0.05, 0.01, 0.001, 0.0001.
pub const CRITICAL_VALUES: [(f64, f64); 4] =
    [(3.84, 0.05), (6.63, 0.01), (10.83, 0.001), (15.13, 0.0001)];

/// Signed log-likelihood G² (Dunning 1993; Rayson & Garside 2000): positive when the term
/// is relatively more frequent in the target (`a/c > b/d`), negative otherwise; 0·ln 0 = 0.
pub fn log_likelihood(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c <= 0.0 || d <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let part = |observed: f64, expected: f64| {
        if observed > 0.0 {
            observed * (observed / expected).ln()
        } else {
            0.0
        }
    };
    let g2 = (2.0 * (part(a, e1) + part(b, e2))).max(0.0);
    if a / c >= b / d {
        g2
    } else {
        -g2
    }
}

/// p-value of a (signed or unsigned) G² under χ² with 1 degree of freedom.
pub fn p_value(g2: f64) -> f64 {
    let x = g2.abs();
    if x == 0.0 {
        return 1.0;
    }
    upper_incomplete_gamma_regularized(0.5, x / 2.0)
}

/// Log Ratio effect size (Hardie 2014): log2 of the ratio of relative frequencies, a zero
/// frequency replaced by 0.5.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    ((a / c) / (b / d)).log2()
}

/// Two-sided 95 % normal quantile z₀.₉₇₅ (for the Log Ratio confidence interval).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// 95 % confidence interval of the Log Ratio: the log of a ratio of two Poisson rates has
/// standard error √(1/a + 1/b) (natural log), so the interval is
/// `log_ratio ± z·√(1/a + 1/b)/ln 2` with the same 0.5 replacement of a zero frequency as
/// [`log_ratio`] (Hardie 2014, "Log Ratio — an informal introduction", its confidence
/// interval). Returns (low, high).
pub fn log_ratio_interval(a: f64, b: f64, c: f64, d: f64) -> (f64, f64) {
    let lr = log_ratio(a, b, c, d);
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    let half = Z_95 * (1.0 / a + 1.0 / b).sqrt() / std::f64::consts::LN_2;
    (lr - half, lr + half)
}

/// Conservative Log Ratio (LRC, Hardie 2014; Evert's CQPweb "conservative LR"): the bound of
/// the confidence interval closer to zero, 0 when the interval spans zero.
pub fn conservative_log_ratio((low, high): (f64, f64)) -> f64 {
    if low > 0.0 {
        low
    } else if high < 0.0 {
        high
    } else {
        0.0
    }
}

/// Benjamini–Hochberg (1995) adjusted p-values (q-values) of `p`, in the same order: the
/// false discovery rate at which each test would just be rejected,
/// q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j on the ascending p-values, capped at 1.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    // A total order (ties by index), so unstable and split over the threads: millions of
    // n-grams' p-values are sorted.
    order.par_sort_unstable_by(|&x, &y| p[x].total_cmp(&p[y]).then(x.cmp(&y)));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// %DIFF (Gabrielatos & Marchi 2012): difference of normalized frequencies as a percentage of
/// the reference's; `None` when the reference frequency is zero (infinite).
pub fn percent_diff(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    let target = a / c;
    let reference = b / d;
    (reference > 0.0).then(|| (target - reference) / reference * 100.0)
}

/// Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008):
/// returns (δ, z) with δ = ln[(a+α)/(c+α₀−a−α)] − ln[(b+α)/(d+α₀−b−α)],
/// σ² ≈ 1/(a+α) + 1/(b+α), z = δ/σ. `alpha` is the term's prior count, `alpha0` the prior total.
pub fn log_odds_dirichlet(a: f64, b: f64, c: f64, d: f64, alpha: f64, alpha0: f64) -> (f64, f64) {
    let target = (a + alpha) / (c + alpha0 - a - alpha);
    let reference = (b + alpha) / (d + alpha0 - b - alpha);
    if target <= 0.0 || reference <= 0.0 || a + alpha <= 0.0 || b + alpha <= 0.0 {
        return (0.0, 0.0);
    }
    let delta = target.ln() - reference.ln();
    let sigma = (1.0 / (a + alpha) + 1.0 / (b + alpha)).sqrt();
    (delta, delta / sigma)
}

/// Gries' deviation of proportions (DP, Gries 2008): how unevenly a term is spread over
/// parts (outlets) relative to the parts' sizes. `parts` holds (part size, term frequency in
/// the part). 0 = spread exactly like the text; values near 1 = concentrated in one small part.
pub fn deviation_of_proportions(parts: &[(f64, f64)]) -> f64 {
    let size: f64 = parts.iter().map(|p| p.0).sum();
    let freq: f64 = parts.iter().map(|p| p.1).sum();
    if size <= 0.0 || freq <= 0.0 {
        return 0.0;
    }
    0.5 * parts
        .iter()
        .map(|(s, v)| (v / freq - s / size).abs())
        .sum::<f64>()
}

/// `part / whole`, 0 for an empty whole: a share of documents or mentions.
pub fn share(part: u64, whole: u64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// Frequency per million units.
pub fn per_million(frequency: f64, total: f64) -> f64 {
    if total > 0.0 {
        frequency / total * 1e6
    } else {
        0.0
    }
}

/// Regularized upper incomplete gamma Q(s, x): series for x < s + 1, Lentz continued fraction
/// otherwise (both to ~1e-15).
fn upper_incomplete_gamma_regularized(s: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let log_prefix = s * x.ln() - x - ln_gamma(s);
    if x < s + 1.0 {
        let mut term = 1.0 / s;
        let mut sum = term;
        let mut n = s;
        for _ in 0..1000 {
            n += 1.0;
            term *= x / n;
            sum += term;
            if term.abs() < sum.abs() * 1e-17 {
                break;
            }
        }
        (1.0 - sum * log_prefix.exp()).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - s;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - s);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (log_prefix.exp() * h).clamp(0.0, 1.0)
    }
}

/// ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_nothing_is_zero() {
        assert_eq!(share(1, 4), 0.25);
        assert_eq!(share(3, 3), 1.0);
        assert_eq!(share(0, 0), 0.0);
    }

    fn close(a: f64, b: f64, tolerance: f64) {
        assert!((a - b).abs() <= tolerance, "{a} vs {b}");
    }

    // Hand-worked: a=10, b=5, c=1000, d=2000 → E1=5, E2=10,
    // G² = 2[10 ln 2 + 5 ln ½] = 10 ln 2.
    #[test]
    fn log_likelihood_by_hand() {
        close(
            log_likelihood(10.0, 5.0, 1000.0, 2000.0),
            10.0 * 2f64.ln(),
            1e-12,
        );
        // Mirror image: the reference over-uses the term → negative.
        close(
            log_likelihood(5.0, 10.0, 2000.0, 1000.0),
            -10.0 * 2f64.ln(),
            1e-12,
        );
        // Equal relative frequencies → 0.
        close(log_likelihood(4.0, 8.0, 100.0, 200.0), 0.0, 1e-12);
    }

    // Zero in the target: G² = 2·b·ln(b/E2) with E2 = d(a+b)/(c+d) = 700·7/1200.
    #[test]
    fn log_likelihood_with_a_zero_count() {
        let expected = -2.0 * 7.0 * (7.0f64 / (700.0 * 7.0 / 1200.0)).ln();
        close(log_likelihood(0.0, 7.0, 500.0, 700.0), expected, 1e-12);
        close(expected, -7.545_951_010_257_619, 1e-9);
        assert_eq!(log_likelihood(0.0, 0.0, 10.0, 10.0), 0.0);
    }

    // χ²(1) critical values from any statistics table.
    #[test]
    fn p_values_match_chi_square_tables() {
        close(p_value(3.841_458_820_694_124), 0.05, 1e-12);
        close(p_value(6.634_896_601_021_214), 0.01, 1e-12);
        close(p_value(10.827_566_170_662_733), 0.001, 1e-13);
        close(p_value(15.136_705_226_623_606), 0.0001, 1e-14);
        close(p_value(-3.841_458_820_694_124), 0.05, 1e-12);
        // p = erfc(sqrt(G²/2)) for 1 df: erfc(sqrt(ln 2 · 5)).
        close(p_value(10.0 * 2f64.ln()), 0.008_469_196_507_535_01, 1e-12);
        assert_eq!(p_value(0.0), 1.0);
    }

    #[test]
    fn log_ratio_and_percent_diff_by_hand() {
        // (10/1000)/(5/2000) = 4 → log2 4 = 2; %DIFF = (0.01 − 0.0025)/0.0025 = 300 %.
        close(log_ratio(10.0, 5.0, 1000.0, 2000.0), 2.0, 1e-12);
        close(
            percent_diff(10.0, 5.0, 1000.0, 2000.0).unwrap(),
            300.0,
            1e-9,
        );
        // Zero replaced by 0.5: (0.5/500)/(7/700) = 0.1.
        close(log_ratio(0.0, 7.0, 500.0, 700.0), 0.1f64.log2(), 1e-12);
        assert_eq!(percent_diff(3.0, 0.0, 10.0, 10.0), None);
    }

    // Expected values from an independent route (statsmodels and scipy):
    //   from statsmodels.stats.multitest import multipletests
    //   multipletests([0.01,0.04,0.03,0.2,0.001,0.04], method='fdr_bh')[1]
    //   → [0.03, 0.048, 0.048, 0.2, 0.006, 0.048]
    // By hand: sorted 0.001,0.01,0.03,0.04,0.04,0.2 → 6p/i = 0.006,0.03,0.06,0.06,0.048,0.2,
    // then the running minimum from the top.
    #[test]
    fn benjamini_hochberg_by_hand() {
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.2, 0.001, 0.04]);
        let expected = [0.03, 0.048, 0.048, 0.2, 0.006, 0.048];
        for (got, want) in q.iter().zip(expected) {
            close(*got, want, 1e-12);
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        // Never above 1.
        assert_eq!(benjamini_hochberg(&[0.9, 0.95]), [0.95, 0.95]);
    }

    //   from scipy.stats import norm; import numpy as np
    //   z = norm.ppf(0.975)  → 1.959963984540054
    //   lr = np.log2((a/c)/(b/d)); se = np.sqrt(1/a+1/b)/np.log(2); lr-z*se, lr+z*se
    //   (10,5,1000,2000) → 0.451243089003009, 3.5487569109969908
    //   (0.5,7,500,700)  → -7.4611550494224215, 0.8172988596476967
    //   (3,4,1000,1000)  → -2.5746758296948027, 1.7446008311371148
    #[test]
    fn log_ratio_interval_and_lrc_by_hand() {
        let (low, high) = log_ratio_interval(10.0, 5.0, 1000.0, 2000.0);
        close(low, 0.451_243_089_003_009, 1e-9);
        close(high, 3.548_756_910_996_990_8, 1e-9);
        // Interval above zero → LRC is its lower bound.
        close(conservative_log_ratio((low, high)), low, 0.0);
        // A zero target frequency is replaced by 0.5, as in the Log Ratio.
        let (low, high) = log_ratio_interval(0.0, 7.0, 500.0, 700.0);
        close(low, -7.461_155_049_422_421_5, 1e-9);
        close(high, 0.817_298_859_647_696_7, 1e-9);
        // Spans zero → 0.
        assert_eq!(conservative_log_ratio((low, high)), 0.0);
        let (low, high) = log_ratio_interval(3.0, 4.0, 1000.0, 1000.0);
        close(low, -2.574_675_829_694_802_7, 1e-9);
        close(high, 1.744_600_831_137_114_8, 1e-9);
        // Interval below zero → its upper bound.
        assert_eq!(conservative_log_ratio((-3.0, -0.5)), -0.5);
    }

    // α = a + b = 15, α₀ = c + d = 3000:
    // δ = ln(25/3975) − ln(20/4980), σ² = 1/25 + 1/20 = 0.09.
    #[test]
    fn log_odds_with_dirichlet_prior_by_hand() {
        let (delta, z) = log_odds_dirichlet(10.0, 5.0, 1000.0, 2000.0, 15.0, 3000.0);
        let expected = (25.0f64 / 3975.0).ln() - (20.0f64 / 4980.0).ln();
        close(delta, expected, 1e-12);
        close(z, expected / 0.3, 1e-12);
        close(z, 1.495_162_314_148_252_8, 1e-9);
    }

    // Parts of sizes 50/30/20 %, term shares 80/20/0 % → DP = ½(0.3 + 0.1 + 0.2) = 0.3.
    #[test]
    fn dp_by_hand() {
        close(
            deviation_of_proportions(&[(500.0, 8.0), (300.0, 2.0), (200.0, 0.0)]),
            0.3,
            1e-12,
        );
        // Spread exactly like the sizes → 0.
        close(
            deviation_of_proportions(&[(100.0, 1.0), (300.0, 3.0)]),
            0.0,
            1e-12,
        );
        assert_eq!(deviation_of_proportions(&[]), 0.0);
    }

    #[test]
    fn ln_gamma_known_values() {
        close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-13);
        close(ln_gamma(5.0), 24f64.ln(), 1e-12);
    }
}
