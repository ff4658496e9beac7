//! Additive counts under typed keys: the building block of every accumulator's state. A
//! [`Counter`] merges by adding, so partial counts from any split of the documents give the
//! same totals in any order.

use std::collections::BTreeMap;

use serde::Serialize;

/// Counts per key, kept in key order (so everything built from it is deterministic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Counter<K: Ord>(BTreeMap<K, u64>);

impl<K: Ord> Default for Counter<K> {
    fn default() -> Self {
        Counter(BTreeMap::new())
    }
}

impl<K: Ord> Counter<K> {
    /// Adds `n` to `key`.
    pub fn add(&mut self, key: K, n: u64) {
        *self.0.entry(key).or_default() += n;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: Counter<K>) {
        for (key, n) in other.0 {
            self.add(key, n);
        }
    }

    /// Adds every count of `other` without taking it.
    pub fn merge_from(&mut self, other: &Counter<K>)
    where
        K: Clone,
    {
        for (key, n) in &other.0 {
            match self.0.get_mut(key) {
                Some(mine) => *mine += n,
                None => {
                    self.0.insert(key.clone(), *n);
                }
            }
        }
    }

    /// The count of `key` (0 when never added).
    pub fn get(&self, key: &K) -> u64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    /// Keys and counts in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, u64)> {
        self.0.iter().map(|(k, n)| (k, *n))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.keys()
    }

    /// The sum of all counts.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The largest count (0 when empty).
    pub fn max(&self) -> u64 {
        self.0.values().copied().max().unwrap_or(0)
    }
}

impl<K: Ord> FromIterator<(K, u64)> for Counter<K> {
    fn from_iter<I: IntoIterator<Item = (K, u64)>>(iter: I) -> Self {
        let mut counter = Counter::default();
        for (key, n) in iter {
            counter.add(key, n);
        }
        counter
    }
}

/// One group's share of one time bucket (a day, week or hour label).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupBucket {
    /// Group label.
    pub group: String,
    /// Bucket label.
    pub bucket: String,
}

/// One item (a term, an entity id, a frame) within a group's time bucket.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemBucket {
    /// The item.
    pub item: String,
    /// Group label.
    pub group: String,
    /// Bucket label.
    pub bucket: String,
}

/// Two items counted together (e.g. entities mentioned in one document), `a < b`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pair {
    /// The smaller item.
    pub a: String,
    /// The larger item.
    pub b: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Splitting the additions anywhere and merging in either order gives one pass's counts.
        #[test]
        fn merge_is_split_and_order_free(
            adds in proptest::collection::vec((0u8..6, 1u64..5), 0..40),
            split in 0usize..40,
            swap in any::<bool>(),
        ) {
            let whole: Counter<u8> = adds.iter().copied().collect();
            let split = split.min(adds.len());
            let mut a: Counter<u8> = adds[..split].iter().copied().collect();
            let mut b: Counter<u8> = adds[split..].iter().copied().collect();
            if swap {
                std::mem::swap(&mut a, &mut b);
            }
            a.merge(b);
            prop_assert_eq!(&a, &whole);
            prop_assert_eq!(a.total(), adds.iter().map(|x| x.1).sum::<u64>());
        }
    }

    #[test]
    fn typed_keys_order_like_their_fields() {
        let mut c = Counter::default();
        c.add(
            GroupBucket {
                group: "state".into(),
                bucket: "2022-01-02".into(),
            },
            1,
        );
        c.add(
            GroupBucket {
                group: "independent".into(),
                bucket: "2022-01-05".into(),
            },
            2,
        );
        let groups: Vec<&str> = c.keys().map(|k| k.group.as_str()).collect();
        assert_eq!(groups, ["independent", "state"]);
    }
}
