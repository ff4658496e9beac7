//! A planted set for measuring copy detection: originals, their near-duplicate copies with
//! light edits (a lead phrase, a dropped or swapped sentence, a new title, letter case), and
//! negatives (different texts sharing one quoted sentence), each document labelled with its
//! story so pairwise precision and recall can be computed. Deterministic per seed.

use std::collections::BTreeMap;

/// One generated document.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantedDocument {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// Story number: documents with the same story are copies of each other.
    pub story: usize,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

const SYLLABLES: [&str; 24] = [
    "ка", "за", "хс", "тан", "ле", "ми", "ро", "ва", "ны", "бе", "ту", "ол", "ас", "ки", "не",
    "да", "ру", "по", "ст", "ен", "ли", "мо", "ра", "го",
];

/// A vocabulary of `n` made-up words.
fn vocabulary(n: usize) -> Vec<String> {
    let mut rng = Rng(0x766f_6361_6275);
    (0..n)
        .map(|i| {
            let mut word: String = (0..rng.range(2, 4))
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            word.push_str(&i.to_string());
            word
        })
        .collect()
}

/// A word drawn from a Zipf-like distribution (rank ∝ 1/u), so frequent words recur across
/// unrelated texts as in real news.
fn word<'v>(rng: &mut Rng, vocabulary: &'v [String]) -> &'v str {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let rank = ((vocabulary.len() as f64).powf(u) - 1.0) as usize;
    &vocabulary[rank.min(vocabulary.len() - 1)]
}

fn sentence(rng: &mut Rng, vocabulary: &[String]) -> String {
    let words: Vec<&str> = (0..rng.range(9, 18))
        .map(|_| word(rng, vocabulary))
        .collect();
    let mut s = words.join(" ");
    if let Some(first) = s.chars().next() {
        s.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    s.push('.');
    s
}

/// Applies one or two light edits to a copy's sentences and title.
fn edit(rng: &mut Rng, vocabulary: &[String], title: &mut String, sentences: &mut Vec<String>) {
    for _ in 0..rng.range(1, 2) {
        match rng.below(5) {
            0 => {
                let lead: Vec<&str> = (0..rng.range(2, 5))
                    .map(|_| word(rng, vocabulary))
                    .collect();
                sentences[0] = format!("{}: {}", lead.join(" "), sentences[0]);
            }
            1 if sentences.len() > 6 => {
                let at = rng.below(sentences.len());
                sentences.remove(at);
            }
            2 if sentences.len() > 2 => {
                let at = rng.below(sentences.len() - 1);
                sentences.swap(at, at + 1);
            }
            3 => *title = sentence(rng, vocabulary),
            _ => {
                let at = rng.below(sentences.len());
                sentences[at] = if rng.below(2) == 0 {
                    sentences[at].to_uppercase()
                } else {
                    sentences[at].to_lowercase()
                };
            }
        }
    }
}

/// `stories` originals, each with 0–4 edited copies in other outlets, plus `negatives` pairs
/// of unrelated texts that share one quoted sentence. Documents are shuffled.
pub fn generate(seed: u64, stories: usize, negatives: usize) -> Vec<PlantedDocument> {
    let vocabulary = vocabulary(20_000);
    let mut rng = Rng(seed);
    let mut docs = Vec::new();
    let mut story = 0;
    fn push(
        docs: &mut Vec<PlantedDocument>,
        outlet: usize,
        title: String,
        sentences: &[String],
        story: usize,
    ) {
        docs.push(PlantedDocument {
            id: format!("d{}", docs.len()),
            outlet: format!("outlet{outlet}"),
            title,
            text: sentences.join(" "),
            story,
        });
    }
    for _ in 0..stories {
        let sentences: Vec<String> = (0..rng.range(8, 24))
            .map(|_| sentence(&mut rng, &vocabulary))
            .collect();
        let title = sentence(&mut rng, &vocabulary);
        let outlet = rng.below(20);
        push(&mut docs, outlet, title.clone(), &sentences, story);
        for copy in 0..rng.below(5) {
            let (mut title, mut sentences) = (title.clone(), sentences.clone());
            edit(&mut rng, &vocabulary, &mut title, &mut sentences);
            push(
                &mut docs,
                (outlet + 1 + copy) % 20,
                title,
                &sentences,
                story,
            );
        }
        story += 1;
    }
    for _ in 0..negatives {
        let quote = format!("«{}»", sentence(&mut rng, &vocabulary));
        for _ in 0..2 {
            let mut sentences: Vec<String> = (0..rng.range(8, 24))
                .map(|_| sentence(&mut rng, &vocabulary))
                .collect();
            let at = rng.below(sentences.len());
            sentences.insert(at, quote.clone());
            let title = sentence(&mut rng, &vocabulary);
            push(&mut docs, rng.below(20), title, &sentences, story);
            story += 1;
        }
    }
    // Shuffle (Fisher–Yates) so copies are not next to their originals.
    for i in (1..docs.len()).rev() {
        let j = rng.below(i + 1);
        docs.swap(i, j);
    }
    docs
}

/// Pairwise precision and recall of predicted clusters (lists of indexes into `docs`) against
/// the planted stories: a pair counts when both documents are in one cluster.
pub fn pairwise_precision_recall(docs: &[PlantedDocument], clusters: &[Vec<usize>]) -> (f64, f64) {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut stories: BTreeMap<usize, u64> = BTreeMap::new();
    for doc in docs {
        *stories.entry(doc.story).or_default() += 1;
    }
    let truth: u64 = stories.values().map(|&n| pairs(n)).sum();
    let (mut predicted, mut correct) = (0, 0);
    for cluster in clusters {
        predicted += pairs(cluster.len() as u64);
        let mut by_story: BTreeMap<usize, u64> = BTreeMap::new();
        for &i in cluster {
            *by_story.entry(docs[i].story).or_default() += 1;
        }
        correct += by_story.values().map(|&n| pairs(n)).sum::<u64>();
    }
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (ratio(correct, predicted), ratio(correct, truth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_set() {
        assert_eq!(generate(3, 20, 5), generate(3, 20, 5));
        assert_ne!(generate(3, 20, 5), generate(4, 20, 5));
    }

    #[test]
    fn precision_and_recall_of_pairs_by_hand() {
        let doc = |story| PlantedDocument {
            id: String::new(),
            outlet: String::new(),
            title: String::new(),
            text: String::new(),
            story,
        };
        // Stories {0,1,2} and {3,4}: 4 true pairs.
        let docs = [doc(0), doc(0), doc(0), doc(1), doc(1), doc(2)];
        // Clusters {0,1} and {3,4,5}: 1 + 3 predicted pairs, of which 1 + 1 correct.
        let (p, r) = pairwise_precision_recall(&docs, &[vec![0, 1], vec![3, 4, 5]]);
        assert_eq!((p, r), (0.5, 0.5));
    }
}
