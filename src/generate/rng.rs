//! The one source of randomness of both corpora: SplitMix64 — tiny, fast, statistically sound
//! for this purpose, and fully deterministic.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

/// The SplitMix64 finalizer: a well-mixed 64-bit hash of `z`.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    /// A generator starting from `state`.
    pub fn new(state: u64) -> SplitMix64 {
        SplitMix64(state)
    }

    /// The generator of document `n`: a hash of seed and `n`, so documents are independent.
    pub fn for_document(seed: u64, n: u64) -> SplitMix64 {
        SplitMix64(
            mix64(seed ^ 0x6A09_E667_F3BC_C909).wrapping_add(mix64(n ^ 0xBB67_AE85_84CA_A73B)),
        )
    }

    /// A generator named by `seed` and a label (e.g. a file name), independent of the others.
    pub fn named(seed: u64, label: &str) -> SplitMix64 {
        let hash = xxhash_rust::xxh3::xxh3_64(label.as_bytes());
        SplitMix64::for_document(seed, hash)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n ≥ 1).
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// One item of a non-empty slice, uniformly.
    pub fn choice<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }

    /// The slice in random order (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u32 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// An index drawn with probability proportional to `weights` (the last positive one when
    /// rounding leaves a remainder).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            x -= w;
            if x < 0.0 {
                return i;
            }
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_range_and_repeat_for_the_same_seed() {
        let mut a = SplitMix64::named(7, "x");
        let mut b = SplitMix64::named(7, "x");
        for _ in 0..1000 {
            let (x, y) = (a.range(3, 9), b.range(3, 9));
            assert_eq!(x, y);
            assert!((3..=9).contains(&x));
        }
        let mut items: Vec<u32> = (0..20).collect();
        a.shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, (0..20).collect::<Vec<_>>());
        assert_eq!(a.weighted(&[0.0, 1.0, 0.0]), 1);
    }
}
