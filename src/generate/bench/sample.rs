//! Randomness and sampling for the benchmark corpus: a discrete distribution sampled in O(1).

use std::io;

/// A discrete distribution sampled in O(1) expected time from a 32-bit uniform number:
/// a cumulative table scaled to 2^32 plus a guide table into it.
#[derive(Debug, Clone)]
pub(super) struct Discrete {
    pub(super) cdf: Vec<u64>,
    pub(super) guide: Vec<u32>,
    pub(super) shift: u32,
}

impl Discrete {
    /// `None` when no weight is positive and finite.
    pub(super) fn new(weights: &[f64]) -> Option<Discrete> {
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let total: f64 = weights.iter().map(|&w| clean(w)).sum();
        if !(total.is_finite() && total > 0.0) {
            return None;
        }
        let scale = (1u64 << 32) as f64;
        let mut acc = 0.0;
        let mut cdf: Vec<u64> = weights
            .iter()
            .map(|&w| {
                acc += clean(w);
                ((acc / total) * scale).round().min(scale) as u64
            })
            .collect();
        // The last positive entry closes the table so every draw lands somewhere.
        let last = weights.iter().rposition(|&w| clean(w) > 0.0)?;
        for c in &mut cdf[last..] {
            *c = 1u64 << 32;
        }
        let bits = (usize::BITS - cdf.len().leading_zeros()).clamp(4, 16);
        let shift = 32 - bits;
        let mut guide = Vec::with_capacity(1 << bits);
        let mut i = 0usize;
        for j in 0..(1u64 << bits) {
            let threshold = j << shift;
            while cdf[i] <= threshold {
                i += 1;
            }
            guide.push(i as u32);
        }
        Some(Discrete { cdf, guide, shift })
    }

    pub(super) fn sample(&self, u: u32) -> usize {
        let mut i = self.guide[(u >> self.shift) as usize] as usize;
        while self.cdf[i] <= u64::from(u) {
            i += 1;
        }
        i
    }
}

pub(super) fn internal(what: &str) -> io::Error {
    io::Error::other(format!("generator tables are inconsistent: {what}"))
}
