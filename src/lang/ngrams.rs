//! Kazakh or Russian for short texts: character trigrams of the words in, a log-likelihood
//! ratio out (positive: Kazakh). Used only when detection is restricted to a set where these
//! two are the Cyrillic languages (`--languages kk,ru,…`), for texts too short for the word
//! and letter evidence of [`super::decide`]: a headline, a caption, a word pair, a word.
//! Kazakh words spelled without Kazakh letters (бала, жасау, орындар) are told from Russian
//! ones by their letter sequences (naive Bayes over trigrams with `^`/`$` word edges).

use std::sync::LazyLock;

use super::scan::{is_cyrillic_letter, lower_cyr_latin};
use crate::fasthash::FastMap;

/// The trigram counts (see the file's header for where they come from).
const TRIGRAMS: &str = include_str!("kk_ru_trigrams.tsv");

/// Added to every count (a trigram unseen in one language is not impossible there).
const SMOOTHING: f64 = 0.5;

struct Model {
    /// Trigram → log P(trigram | kk) − log P(trigram | ru).
    ratio: FastMap<String, f64>,
    /// The ratio of a trigram seen in neither language.
    unseen: f64,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let mut counts: Vec<(&str, f64, f64)> = Vec::new();
    let (mut total_kk, mut total_ru) = (0.0, 0.0);
    for line in TRIGRAMS.lines() {
        let mut parts = line.split('\t');
        let (Some(key), Some(kk), Some(ru)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(kk), Ok(ru)) = (kk.parse::<f64>(), ru.parse::<f64>()) else {
            continue;
        };
        if key == "#total" {
            (total_kk, total_ru) = (kk, ru);
        } else if !key.starts_with('#') {
            counts.push((key, kk, ru));
        }
    }
    let vocabulary = counts.len() as f64;
    let denominator_kk = total_kk + SMOOTHING * vocabulary;
    let denominator_ru = total_ru + SMOOTHING * vocabulary;
    let log_ratio = |kk: f64, ru: f64| {
        ((kk + SMOOTHING) / denominator_kk).ln() - ((ru + SMOOTHING) / denominator_ru).ln()
    };
    Model {
        ratio: counts
            .into_iter()
            .map(|(key, kk, ru)| (key.to_string(), log_ratio(kk, ru)))
            .collect(),
        unseen: log_ratio(0.0, 0.0),
    }
});

/// Log-likelihood ratio of Kazakh over Russian for the Cyrillic words of `text`; 0 when it
/// has none.
pub(super) fn kazakh_over_russian(text: &str) -> f64 {
    let model = &*MODEL;
    let mut score = 0.0;
    let mut word = String::with_capacity(32);
    let mut key = String::with_capacity(12);
    let mut finish = |word: &mut String| {
        if word.is_empty() {
            return;
        }
        let chars: Vec<char> = std::iter::once('^')
            .chain(word.chars())
            .chain(std::iter::once('$'))
            .collect();
        for window in chars.windows(3) {
            key.clear();
            key.extend(window);
            score += model
                .ratio
                .get(key.as_str())
                .copied()
                .unwrap_or(model.unseen);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_cyrillic_letter(c as u32) {
            word.push(lower_cyr_latin(c));
        } else {
            finish(&mut word);
        }
    }
    finish(&mut word);
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_letter_kazakh_words_score_kazakh_and_russian_words_russian() {
        // Kazakh words without Kazakh-only letters, and Russian words.
        for word in ["жасау", "орындар", "табылмады", "байланысты", "мысалы"]
        {
            assert!(kazakh_over_russian(word) > 0.0, "{word}");
        }
        for word in [
            "стабильность",
            "протестующие",
            "открывается",
            "правительство",
        ] {
            assert!(kazakh_over_russian(word) < 0.0, "{word}");
        }
        assert_eq!(kazakh_over_russian("the 2022"), 0.0);
    }
}
