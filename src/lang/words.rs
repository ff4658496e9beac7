//! Word tables: frequent words of Kazakh, Mongolian, Tatar/Kyrgyz, the Slavic languages,
//! English and other Latin-script languages, with the language flags each word carries, and
//! Kazakh words and endings spelled only with letters Russian has.

use std::sync::LazyLock;

use super::scan::Stats;
use crate::fasthash::{FastMap, FastSet};

pub(super) const KK: u16 = 1;
pub(super) const MN: u16 = 2;
pub(super) const RU: u16 = 4;
pub(super) const UK: u16 = 8;
pub(super) const BE: u16 = 16;
pub(super) const BG: u16 = 32;
/// Slavic, shared by several of ru/uk/be/bg (and not a Kazakh word).
pub(super) const SL: u16 = 64;
/// Tatar / Kyrgyz.
pub(super) const OT: u16 = 128;
/// English.
pub(super) const EN: u16 = 256;
/// English, but also a frequent word of other Latin-script languages (a, in, is, no, ...).
pub(super) const EN_WEAK: u16 = 512;
/// A frequent word of another Latin-script language that is not an English word (der, het, que, ...).
pub(super) const LA: u16 = 1024;

pub(super) fn count_word(s: &mut Stats, word: &str) {
    // (English words are counted for Latin-script words, in end_word.)
    if let Some(&f) = WORD_FLAGS.get(word) {
        if f & KK != 0 {
            s.fw_kk += 1;
        }
        if f & MN != 0 {
            s.fw_mn += 1;
        }
        if f & OT != 0 {
            s.fw_ot += 1;
        }
        if f & (RU | UK | BE | BG | SL) != 0 {
            s.fw_slav += 1;
            s.fw_ru += u32::from(f & RU != 0);
            s.fw_uk += u32::from(f & UK != 0);
            s.fw_be += u32::from(f & BE != 0);
            s.fw_bg += u32::from(f & BG != 0);
        }
        return;
    }
    // Word endings.
    let b = word.as_bytes();
    if b.len() >= 6 {
        // `contains("ләр")` on bytes (no substring searcher set up per word; a match of
        // whole characters' bytes is a match of the characters).
        if word.as_bytes().windows(6).any(|w| w == "ләр".as_bytes()) || word.ends_with("нең")
        {
            // Tatar plural and genitive (Kazakh has -лер, -нің).
            s.fw_ot += 1;
        } else if ["эж", "ож", "өж", "үж", "ийж", "ийн"]
            .iter()
            .any(|e| word.ends_with(e))
        {
            s.fw_mn += 1;
        }
    }
}

/// Frequent Kazakh words written only with letters Russian has, none of them a Russian, Ukrainian,
/// Belarusian or Bulgarian word (бар, бол and адам are also Tatar, Kyrgyz or Mongolian: the caller
/// counts these words only when nothing points to those). Also endings that follow a hyphen
/// (ЖОО-ларда). Sorted by bytes for binary search.
#[rustfmt::skip]
pub(super) static KK_PLAIN: &[&str] = &[
    "адам", "айт", "айтады", "айтты", "ал", "ала", "алады", "алайда", "алды", "алпыс", "алты",
    "алу", "ана", "анау", "апа", "апта", "ата", "ба", "бала", "балалар", "бар", "бара", "барады",
    "барды", "бер", "бере", "беру", "бол", "бола", "боламыз", "болар", "болдым", "болсам", "болсын",
    "болу", "дарда", "дардан", "дарды", "дармен", "дарын", "дерде", "дерден", "дермен", "егер",
    "елу", "жаз", "жаман", "жарайды", "жас", "жаса", "жасады", "жасайды", "жат", "жатыр", "жер",
    "жиырма", "жоба", "жол", "жылы", "жыр", "кел", "келе", "келу", "керемет", "кет", "кеш",
    "ларда", "лардан", "ларды", "лармен", "лары", "ларын", "лерде", "лерден", "лермен", "ма",
    "мемлекет", "мереке", "мына", "мынау", "неге", "неше", "одан", "онда", "оны", "отыз", "отыр",
    "пе", "рас", "рахмет", "ресми", "саны", "сау", "сексен", "сен", "содан", "сонда", "сосын",
    "тарда", "тардан", "тарды", "тарих", "тармен", "тары", "тарын", "тас", "тек", "терде", "терден",
    "термен", "хош", "ше", "шын", "шыны",
];

/// Endings of Kazakh words that no Russian, Ukrainian, Belarusian or Bulgarian word has (verb forms,
/// plural plus case, 1st person plural, -сыз "without"), grouped by their last two letters.
#[rustfmt::skip]
pub(super) const KK_PLAIN_ENDINGS: [(&str, &[&str]); 9] = [
    ("ып", &["ып"]),
    ("ге", &["уге"]),
    ("ыз", &["мыз", "быз", "пыз", "сыз"]),
    ("ды", &["айды", "ларды", "дарды", "тарды"]),
    ("ын", &["йтын", "ларын", "дарын", "тарын"]),
    ("да", &["ларда", "дарда", "тарда"]),
    ("де", &["лерде", "дерде", "терде"]),
    ("ан", &["лардан", "дардан", "тардан"]),
    ("ен", &[
        "лерден", "дерден", "терден", "лармен", "лермен", "дармен", "дермен", "тармен", "термен",
        "лген", "рген", "йген", "нген",
    ]),
];

/// A lowercased Cyrillic word without Kazakh letters that is Kazakh by [`KK_PLAIN`] or
/// [`KK_PLAIN_ENDINGS`] (an ending counts after at least two more letters).
pub(super) fn plain_kazakh(word: &str) -> bool {
    if KK_PLAIN_SET.contains(word) {
        return true;
    }
    // Cyrillic letters take two bytes each.
    if word.len() < 8 {
        return false;
    }
    let Some(last2) = word.get(word.len() - 4..) else {
        return false;
    };
    KK_PLAIN_ENDINGS
        .iter()
        .find(|(k, _)| *k == last2)
        .is_some_and(|(_, ends)| {
            ends.iter()
                .any(|e| word.len() >= e.len() + 4 && word.ends_with(e))
        })
}

/// The word tables as hash maps, built once: a lookup per word instead of a binary search
/// of string comparisons (which was a tenth of all ingest time).
pub(super) static WORD_FLAGS: LazyLock<FastMap<&str, u16>> =
    LazyLock::new(|| WORDS.iter().copied().collect());
pub(super) static LATIN_FLAGS: LazyLock<FastMap<&str, u16>> =
    LazyLock::new(|| LATIN_WORDS.iter().copied().collect());
pub(super) static KK_PLAIN_SET: LazyLock<FastSet<&str>> =
    LazyLock::new(|| KK_PLAIN.iter().copied().collect());

/// Frequent words and their languages (`words.tsv`): Kazakh function words and very frequent
/// forms, Mongolian, Tatar/Kyrgyz and Slavic function words, sorted by bytes.
pub(super) static WORDS: LazyLock<Vec<(&str, u16)>> =
    LazyLock::new(|| word_table("words.tsv", include_str!("words.tsv")));

/// Frequent words of Latin-script text (`latin_words.tsv`): English function words (EN,
/// EN_WEAK) and frequent words of other Latin-script languages (LA). Apart from [`WORDS`] so
/// that each lookup searches a short table.
pub(super) static LATIN_WORDS: LazyLock<Vec<(&str, u16)>> =
    LazyLock::new(|| word_table("latin_words.tsv", include_str!("latin_words.tsv")));

/// A word table compiled into the binary: a word, a tab and its flags' names (space-separated)
/// a line; `#` starts a comment line.
fn word_table(name: &str, text: &'static str) -> Vec<(&'static str, u16)> {
    let rows = text.lines().filter(|line| !line.starts_with('#'));
    rows.map(|line| {
        let (word, flags) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{name}: no tab in {line:?}"));
        let flags = flags
            .split(' ')
            .map(|f| flag(f).unwrap_or_else(|| panic!("{name}: {f:?}")));
        (word, flags.fold(0, |all, f| all | f))
    })
    .collect()
}

/// The language flag named `name` (as the constants above are named).
fn flag(name: &str) -> Option<u16> {
    const NAMED: [(&str, u16); 11] = [
        ("KK", KK),
        ("MN", MN),
        ("RU", RU),
        ("UK", UK),
        ("BE", BE),
        ("BG", BG),
        ("SL", SL),
        ("OT", OT),
        ("EN", EN),
        ("EN_WEAK", EN_WEAK),
        ("LA", LA),
    ];
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}
