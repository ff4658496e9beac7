//! Language identification: takes UTF-8 text (an article, a transcript, a paragraph or a sentence)
//! and gives its language as an ISO 639 code with a confidence ([`detect`]), or the per-language
//! shares of a document by paragraph ([`paragraph_shares`]).
//!
//! whatlang 0.18 knows no Kazakh (it calls Kazakh Belarusian or Russian), so Cyrillic text first goes
//! through one pass of letter and word counts over the whole text:
//!
//! * Kazakh (`kk`): words with ғ қ ұ, words with і and one of ә ң ө ү һ (no other alphabet has both),
//!   frequent Kazakh words, and - when nothing points elsewhere - words with only ә ң ө ү һ (also
//!   Tatar, Kyrgyz, Mongolian) or only і (also Ukrainian, Belarusian; in a short line, і words that
//!   keep Kazakh vowel harmony, like біреу, керісінше, settle it), or frequent Kazakh words and
//!   endings spelled only with letters Russian has (бол, сау, -ып, -ларда; a capitalized one, which
//!   may be a name, cannot be the only evidence). That evidence has to outweigh
//!   the evidence for a Slavic language (function words, Russian inflections, ї є ґ ў and the
//!   apostrophe), Mongolian, or another Turkic language, each scaled by how much of it a typical text
//!   gives; so the majority language of a mixed text wins, and a Russian text quoting a Kazakh name
//!   or phrase stays `ru`.
//! * Mongolian (`mn`, which whatlang lacks): ө ү without ң ә or Kazakh words, with э, doubled vowels,
//!   Mongolian function words or endings.
//! * Otherwise the six Cyrillic whatlang languages are narrowed by the letters each alphabet lacks
//!   (Russian has no і, Ukrainian no ы э ъ ё, Belarusian no и щ ъ, ...; words that look Kazakh are
//!   left out of that count), whatlang picks among those left (it is not called when one is left),
//!   and language-specific function words overrule a close call, as do Russian endings that
//!   Bulgarian or Ukrainian lack (-ся -ть -ого, -ая -ую -ые) when whatlang says one of those.
//!
//! Latin-script text that is plainly English by its function words is `en` without whatlang (words
//! shared with other languages, like a, in, is, count half; theirs, like der, het, que, count
//! against); other text goes to whatlang, and its unsure call on a short plain-ASCII line with an
//! English-only word is `en`. whatlang only ever sees a bounded sample of a long text (three windows), so
//! its cost per call is bounded; the counts above are linear and cheap.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use crate::fasthash::{FastMap, FastSet};

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code ("kk", "ru", "en", "uk", ...), or ISO 639-3 where no 639-1 code exists.
    pub lang: &'static str,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// One language's share of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct LangShare {
    /// Language code, as in [`Detection::lang`].
    pub lang: &'static str,
    /// Fraction of the document's letters (in detected paragraphs) that are in this language, in [0, 1].
    pub share: f64,
}

/// Detects the language of `text`; `None` when it cannot tell (no letters, too short, ...).
pub fn detect(text: &str) -> Option<Detection> {
    analyze(text).0
}

/// Per-language shares of a document, by paragraph (paragraphs = blocks separated by blank lines; if the
/// text has no blank lines, by non-empty line), each paragraph weighted by its number of letters;
/// paragraphs where detection says None are ignored. Sorted by share descending, ties by lang code.
/// Shares sum to 1 (or the vec is empty).
pub fn paragraph_shares(text: &str) -> Vec<LangShare> {
    let mut acc: Vec<(&'static str, u64)> = Vec::new();
    let mut total: u64 = 0;
    for para in paragraphs(text) {
        let (det, letters) = analyze(para);
        if let Some(d) = det {
            let w = u64::from(letters);
            total += w;
            match acc.iter_mut().find(|(l, _)| *l == d.lang) {
                Some(e) => e.1 += w,
                None => acc.push((d.lang, w)),
            }
        }
    }
    if total == 0 {
        return Vec::new();
    }
    // Integer weights: ordering by weight is exact and deterministic.
    acc.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    acc.into_iter()
        .map(|(lang, w)| LangShare {
            lang,
            share: w as f64 / total as f64,
        })
        .collect()
}

/// Splits into paragraphs: blocks separated by blank (empty or whitespace-only) lines; when the text has
/// no blank line between two non-blank lines, every non-empty line is a paragraph.
fn paragraphs(text: &str) -> Vec<&str> {
    let mut has_blank_separator = false;
    let mut seen_content = false;
    let mut pending_blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            if seen_content {
                pending_blank = true;
            }
        } else {
            if pending_blank {
                has_blank_separator = true;
                break;
            }
            seen_content = true;
        }
    }
    let mut out = Vec::new();
    if !has_blank_separator {
        out.extend(text.lines().filter(|l| !l.trim().is_empty()));
        return out;
    }
    // Blocks: byte ranges from the first non-blank line to the last non-blank line before a blank line.
    let mut start: Option<usize> = None;
    let mut end = 0usize;
    let mut pos = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_start = pos;
        pos += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(&text[s..end]);
            }
        } else {
            if start.is_none() {
                start = Some(line_start);
            }
            end = line_start + line.len();
        }
    }
    if let Some(s) = start {
        out.push(&text[s..end]);
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Scanning

/// Minimum number of letters for a verdict.
const MIN_LETTERS: u32 = 3;

/// Counts of letters that some Cyrillic alphabets have and others lack.
#[derive(Debug, Default, Clone, Copy)]
struct Letters {
    /// і (also a Latin i inside a Cyrillic word, a common substitute in Kazakh text)
    dotted_i: u32,
    /// ї є ґ
    uk_only: u32,
    /// ў
    be_u: u32,
    /// ђ ћ
    sr_only: u32,
    /// ѓ ѕ ќ
    mk_only: u32,
    /// ј љ њ џ
    srmk: u32,
    /// ы
    yery: u32,
    /// э
    e_rev: u32,
    /// ё
    yo: u32,
    /// ъ
    hard: u32,
    /// и
    i_plain: u32,
    /// щ
    shcha: u32,
    /// й
    short_i: u32,
    /// ь ю я
    soft_yu_ya: u32,
}

impl std::ops::AddAssign for Letters {
    fn add_assign(&mut self, o: Letters) {
        self.dotted_i += o.dotted_i;
        self.uk_only += o.uk_only;
        self.be_u += o.be_u;
        self.sr_only += o.sr_only;
        self.mk_only += o.mk_only;
        self.srmk += o.srmk;
        self.yery += o.yery;
        self.e_rev += o.e_rev;
        self.yo += o.yo;
        self.hard += o.hard;
        self.i_plain += o.i_plain;
        self.shcha += o.shcha;
        self.short_i += o.short_i;
        self.soft_yu_ya += o.soft_yu_ya;
    }
}

/// Counts gathered in one pass over the text.
#[derive(Debug, Default, Clone)]
struct Stats {
    /// All alphabetic characters.
    letters: u32,
    cyr: u32,
    latin: u32,
    other: u32,

    // Cyrillic letters by class (after lowercasing).
    /// ғ қ ұ
    kk_core: u32,
    /// ә (also Tatar, Bashkir)
    schwa: u32,
    /// ң (also Kyrgyz, Tatar, Bashkir)
    ng: u32,
    /// ө ү һ (also Mongolian, Kyrgyz, Tatar, Bashkir)
    oo: u32,
    /// Letters that tell Slavic alphabets apart, in the whole text.
    all: Letters,
    /// The same letters, in words without ғ қ ұ ә ң ө ү һ, except those below.
    slav: Letters,
    /// The same letters, in words with і and front vowels only (Kazakh or Ukrainian/Belarusian).
    front_i: Letters,
    /// apostrophe between two Cyrillic letters (Ukrainian, Belarusian)
    apos: u32,
    /// Letters of other Cyrillic Turkic/Iranian alphabets: җ ҡ ҙ ҫ ҳ ҷ ӣ ӯ ӊ ӈ ҹ ҝ
    other_turkic: u32,
    /// аа ээ оо өө үү уу (long vowels of Mongolian, Kyrgyz)
    dbl_vowel: u32,
    /// т or д before е і ё ю я ь: Belarusian writes ц, дз there
    soft_td: u32,
    /// э after the first letter of a word (Mongolian; loanwords have it word-initially)
    e_mid: u32,

    // Words written mostly in Cyrillic.
    words: u32,
    /// words with ғ қ ұ
    w_core: u32,
    /// words with і and one of ә ң ө ү һ, without ғ қ ұ
    w_i_turkic: u32,
    /// words whose only special letter is і
    w_i: u32,
    /// words with ә ң ө ү һ, without і ғ қ ұ
    w_turkic: u32,
    /// of those, words with ө or ү and a non-initial е, without ий (Kazakh; Kyrgyz and Mongolian words
    /// round the vowels after ө ү, and write е only word-initially)
    w_round_e: u32,
    /// Kazakh function words / very frequent forms
    fw_kk: u32,
    /// words without any special letter that are frequent Kazakh words or have Kazakh endings
    /// ([`plain_kazakh`]), starting with a lowercase letter
    w_plain_kk: u32,
    /// the same, capitalized (could be a Kazakh name in another language's text)
    w_plain_kk_cap: u32,
    /// Slavic function words (any of the flags below, or shared)
    fw_slav: u32,
    fw_ru: u32,
    fw_uk: u32,
    fw_be: u32,
    fw_bg: u32,
    /// Mongolian function words and word endings
    fw_mn: u32,
    /// words without Kazakh letters with a non-initial э or a doubled vowel (Mongolian-like)
    w_mnish: u32,
    /// words without Kazakh letters with a Russian inflectional ending (-ся -ть -ого -ая -ую -ый ...)
    w_ru_end: u32,
    /// Tatar / Kyrgyz function words
    fw_ot: u32,
    /// Latin letters outside ASCII
    latin_ext: u32,
    /// words written mostly in Latin letters
    w_latin: u32,
    /// English function words
    fw_en: u32,
    /// English function words that are also frequent in other Latin-script languages
    fw_en_weak: u32,
    /// frequent words of other Latin-script languages
    fw_la: u32,
}

/// Per-word state while scanning.
#[derive(Default)]
struct Word {
    cyr: u32,
    latin: u32,
    latin_i: u32,
    core: bool,
    turkic: bool,
    dotted_i: bool,
    /// non-initial э or a doubled vowel
    mnish: bool,
    /// а о ы я (Kazakh words with і have front vowels only: vowel harmony)
    back: bool,
    /// ө or ү
    round: bool,
    /// е after the first letter
    e_mid: bool,
    /// ий
    iy: bool,
    /// doubled vowels (counted only in words that are not all capitals: acronyms like ЖОО)
    dbl: u32,
    /// a lowercase letter
    has_lower: bool,
    /// the first letter is not lowercase
    first_upper: bool,
    letters: Letters,
    /// Lowercased UTF-8 bytes of the word, if it is short enough for the word lists.
    buf: [u8; 32],
    len: usize,
    too_long: bool,
}

impl Word {
    fn push_lower(&mut self, c: char) {
        if self.too_long {
            return;
        }
        let n = c.len_utf8();
        if self.len + n > self.buf.len() {
            self.too_long = true;
            return;
        }
        c.encode_utf8(&mut self.buf[self.len..]);
        self.len += n;
    }
}

#[inline]
fn lower_cyr_latin(c: char) -> char {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A => u + 0x20,
        0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if u.is_multiple_of(2) => u + 1,
        0x4C1..=0x4CE if !u.is_multiple_of(2) => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

#[inline]
fn is_cyrillic_letter(u: u32) -> bool {
    matches!(u, 0x400..=0x481 | 0x48A..=0x52F)
}

#[inline]
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x1E00..=0x1EFF)
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn scan(text: &str) -> Stats {
    let mut s = Stats::default();
    let mut w = Word::default();
    let mut prev: char = ' ';
    let mut prev_was_cyr_letter = false;
    let mut pending_apos = false;
    for c in text.chars() {
        let u = c as u32;
        if is_cyrillic_letter(u) {
            let l = lower_cyr_latin(c);
            s.letters += 1;
            s.cyr += 1;
            w.cyr += 1;
            if pending_apos {
                s.apos += 1;
                pending_apos = false;
            }
            match l {
                'ғ' | 'қ' | 'ұ' => {
                    s.kk_core += 1;
                    w.core = true;
                }
                'ә' => {
                    s.schwa += 1;
                    w.turkic = true;
                }
                'ң' => {
                    s.ng += 1;
                    w.turkic = true;
                }
                // ӛ: ө as mis-encoded in some Kazakh PDFs.
                'ө' | 'ү' | 'ӛ' => {
                    s.oo += 1;
                    w.turkic = true;
                    w.round = true;
                }
                'һ' => {
                    s.oo += 1;
                    w.turkic = true;
                }
                'е' if w.cyr > 1 => w.e_mid = true,
                'й' if prev == 'и' => {
                    w.letters.short_i += 1;
                    w.iy = true;
                }
                'і' => {
                    w.letters.dotted_i += 1;
                    w.dotted_i = true;
                }
                'ї' | 'є' | 'ґ' => w.letters.uk_only += 1,
                'ў' => w.letters.be_u += 1,
                'ы' => w.letters.yery += 1,
                'э' => {
                    w.letters.e_rev += 1;
                    // Word-initial э is also in Russian loanwords (эпидемия, экономика).
                    if w.cyr > 1 {
                        s.e_mid += 1;
                        w.mnish = true;
                    }
                }
                'ё' => w.letters.yo += 1,
                'ъ' => w.letters.hard += 1,
                'и' => w.letters.i_plain += 1,
                'щ' => w.letters.shcha += 1,
                'й' => w.letters.short_i += 1,
                'ь' | 'ю' | 'я' => w.letters.soft_yu_ya += 1,
                'ђ' | 'ћ' => w.letters.sr_only += 1,
                'ѓ' | 'ѕ' | 'ќ' => w.letters.mk_only += 1,
                'ј' | 'љ' | 'њ' | 'џ' => w.letters.srmk += 1,
                'җ' | 'ҡ' | 'ҙ' | 'ҫ' | 'ҳ' | 'ҷ' | 'ӣ' | 'ӯ' | 'ӊ' | 'ӈ' | 'ҹ' | 'ҝ' => {
                    s.other_turkic += 1
                }
                _ => {}
            }
            if matches!(l, 'а' | 'о' | 'ы' | 'я') {
                w.back = true;
            }
            if matches!(prev, 'т' | 'д') && matches!(l, 'е' | 'і' | 'ё' | 'ю' | 'я' | 'ь') {
                s.soft_td += 1;
            }
            if l == prev && matches!(l, 'а' | 'э' | 'о' | 'ө' | 'ү' | 'у') {
                w.dbl += 1;
            }
            if l == c {
                w.has_lower = true;
            } else if w.cyr == 1 {
                w.first_upper = true;
            }
            w.push_lower(l);
            prev = l;
            prev_was_cyr_letter = true;
            continue;
        }
        pending_apos = false;
        if is_latin_letter(c) {
            s.letters += 1;
            s.latin += 1;
            if !c.is_ascii() {
                s.latin_ext += 1;
            }
            w.latin += 1;
            let l = lower_cyr_latin(c);
            if l == 'i' {
                w.latin_i += 1;
            }
            w.push_lower(l);
            prev = l;
            prev_was_cyr_letter = false;
            continue;
        }
        if c.is_alphabetic() {
            s.letters += 1;
            s.other += 1;
            prev = c;
            prev_was_cyr_letter = false;
            continue;
        }
        if is_apostrophe(c) && prev_was_cyr_letter {
            // Counts only if a Cyrillic letter follows; the word goes on either way.
            pending_apos = true;
            prev = c;
            prev_was_cyr_letter = false;
            continue;
        }
        end_word(&mut s, &mut w);
        prev = c;
        prev_was_cyr_letter = false;
    }
    end_word(&mut s, &mut w);
    s
}

fn end_word(s: &mut Stats, w: &mut Word) {
    if w.dbl > 0 && w.has_lower {
        s.dbl_vowel += w.dbl;
        w.mnish = true;
    }
    if w.cyr > 0 && w.cyr >= w.latin {
        // A Cyrillic word; Latin letters in it are look-alikes typed by mistake (Kazakh text often has a
        // Latin i for і).
        if w.latin > 0 {
            s.cyr += w.latin;
            s.latin -= w.latin;
            if w.latin_i > 0 {
                w.letters.dotted_i += w.latin_i;
                w.dotted_i = true;
            }
        }
        s.words += 1;
        s.all += w.letters;
        // Words with Kazakh letters do not count when telling Slavic alphabets apart; words with і
        // and front vowels only (Kazakh vowel harmony; Ukrainian words with і mostly have а о и я
        // too) are kept apart, to leave out in a text that has Kazakh letters.
        if !(w.core || w.turkic) {
            if w.dotted_i
                && !w.back
                && w.letters.i_plain == 0
                && w.letters.uk_only + w.letters.be_u == 0
            {
                s.front_i += w.letters;
            } else {
                s.slav += w.letters;
            }
        }
        if w.core {
            s.w_core += 1;
        } else if w.dotted_i {
            if w.turkic {
                s.w_i_turkic += 1;
            } else {
                s.w_i += 1;
            }
        } else if w.turkic {
            s.w_turkic += 1;
            if w.round && w.e_mid && !w.iy {
                s.w_round_e += 1;
            }
        }
        let kk_marks = w.core || w.dotted_i || w.turkic;
        if !kk_marks && w.mnish {
            s.w_mnish += 1;
        }
        if !kk_marks && !w.too_long && w.cyr >= 5 && w.latin == 0 {
            if let Ok(word) = std::str::from_utf8(&w.buf[..w.len]) {
                if RU_ENDINGS.iter().any(|e| word.ends_with(e)) {
                    s.w_ru_end += 1;
                }
            }
        }
        if !w.too_long && w.len > 0 {
            // Words with Latin look-alikes simply miss the lists.
            if let Ok(word) = std::str::from_utf8(&w.buf[..w.len]) {
                count_word(s, word);
                if !kk_marks
                    && w.latin == 0
                    && w.letters.uk_only + w.letters.be_u == 0
                    && plain_kazakh(word)
                {
                    if w.first_upper {
                        s.w_plain_kk_cap += 1;
                    } else {
                        s.w_plain_kk += 1;
                    }
                }
            }
        }
    } else if w.latin > 0 {
        s.w_latin += 1;
        if !w.too_long {
            if let Ok(word) = std::str::from_utf8(&w.buf[..w.len]) {
                if let Some(&f) = LATIN_FLAGS.get(word) {
                    s.fw_en += u32::from(f & EN != 0);
                    s.fw_en_weak += u32::from(f & EN_WEAK != 0);
                    s.fw_la += u32::from(f & LA != 0);
                }
            }
        }
    }
    *w = Word::default();
}

/// A lowercased word whose only special letter is і that looks Kazakh: four letters or more, front
/// vowels е і only (Kazakh vowel harmony; и only before е і as in тиіс, у only after е as in біреу),
/// none of ь й щ ц ч, not ending in -ів or starting with вс- (Ukrainian днів, всіх). About two thirds
/// of such Kazakh words qualify, a few per cent of Ukrainian and Belarusian ones.
fn front_i_word(word: &str) -> bool {
    let mut n = 0;
    let mut prev = ' ';
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        n += 1;
        let ok = match c {
            'а' | 'о' | 'ы' | 'я' | 'ю' | 'ё' | 'э' | 'ь' | 'й' | 'щ' | 'ц' | 'ч' => {
                false
            }
            'и' => matches!(chars.peek(), Some('е' | 'і')),
            'у' => prev == 'е',
            _ => true,
        };
        if !ok {
            return false;
        }
        prev = c;
    }
    n >= 4 && !word.ends_with("ів") && !word.starts_with("вс")
}

/// Words of `text` whose only letter outside the Russian alphabet is і and that look Kazakh by
/// [`front_i_word`].
fn front_i_words(text: &str) -> u32 {
    let special = |c: char| "әғқңөұүһїєґў".contains(c);
    let mut n = 0;
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if !word.chars().all(|c| is_cyrillic_letter(c as u32)) {
            continue;
        }
        let lower: String = word.chars().map(lower_cyr_latin).collect();
        if lower.contains('і') && !lower.chars().any(special) && front_i_word(&lower) {
            n += 1;
        }
    }
    n
}

/// Russian inflectional endings that Kazakh words do not have (left out: surname endings, and -ой,
/// -ил, which Kazakh words and Russian first names in Kazakh text have).
const RU_ENDINGS: [&str; 21] = [
    "ся", "сь", "ть", "ого", "его", "ому", "ему", "ая", "ую", "ый", "ий", "ые", "ие", "ых", "ли",
    "ло", "ами", "ями", "ют", "ят", "ешь",
];

/// Endings of Russian words (reflexive -ся, infinitive -ть, adjective and case endings, -ют, a final
/// soft sign) that Bulgarian words of five letters or more do not have; -ие, -ят, -ой are left out
/// (решение, говорят, никой are Bulgarian too).
const RU_NOT_BG: [&str; 17] = [
    "ся", "сь", "ть", "ь", "ого", "его", "ому", "ый", "ую", "ых", "ешь", "ая", "ые", "ее", "ами",
    "ями", "ют",
];
/// Endings of Russian words that Ukrainian words of five letters or more do not have (Ukrainian has
/// -ся, -ть, -ого, -ому too).
const RU_NOT_UK: [&str; 6] = ["ая", "ую", "ые", "ее", "ешь", "ой"];

/// Whether a word of five letters or more, all Cyrillic and none of them Kazakh, ends with one of
/// `endings` (lowercase).
fn has_ending(text: &str, endings: &[&str]) -> bool {
    let kazakh = |c: char| "әғқңөұүһі".contains(c);
    text.split(|c: char| !c.is_alphabetic()).any(|word| {
        let mut n = 0;
        for c in word.chars() {
            if !is_cyrillic_letter(c as u32) || kazakh(lower_cyr_latin(c)) {
                return false;
            }
            n += 1;
        }
        if n < 5 {
            return false;
        }
        let lower: String = word.chars().map(lower_cyr_latin).collect();
        endings.iter().any(|e| lower.ends_with(e))
    })
}

const KK: u16 = 1;
const MN: u16 = 2;
const RU: u16 = 4;
const UK: u16 = 8;
const BE: u16 = 16;
const BG: u16 = 32;
/// Slavic, shared by several of ru/uk/be/bg (and not a Kazakh word).
const SL: u16 = 64;
/// Tatar / Kyrgyz.
const OT: u16 = 128;
/// English.
const EN: u16 = 256;
/// English, but also a frequent word of other Latin-script languages (a, in, is, no, ...).
const EN_WEAK: u16 = 512;
/// A frequent word of another Latin-script language that is not an English word (der, het, que, ...).
const LA: u16 = 1024;

fn count_word(s: &mut Stats, word: &str) {
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
        if word.contains("ләр") || word.ends_with("нең") {
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
static KK_PLAIN: &[&str] = &[
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
const KK_PLAIN_ENDINGS: [(&str, &[&str]); 9] = [
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
fn plain_kazakh(word: &str) -> bool {
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

/// Frequent words and their languages: Kazakh function words and very frequent forms, Mongolian,
/// Tatar/Kyrgyz and Slavic function words. Words that are also common Kazakh words (не, да, де, та, ...)
/// are left out. Sorted by bytes for binary search.
#[rustfmt::skip]
/// The word tables as hash maps, built once: a lookup per word instead of a binary search
/// of string comparisons (which was a tenth of all ingest time).
static WORD_FLAGS: LazyLock<FastMap<&str, u16>> = LazyLock::new(|| WORDS.iter().copied().collect());
static LATIN_FLAGS: LazyLock<FastMap<&str, u16>> =
    LazyLock::new(|| LATIN_WORDS.iter().copied().collect());
static KK_PLAIN_SET: LazyLock<FastSet<&str>> = LazyLock::new(|| KK_PLAIN.iter().copied().collect());

static WORDS: &[(&str, u16)] = &[
    ("а", SL),
    ("або", UK),
    ("ад", BE),
    ("адже", UK),
    ("азыр", OT),
    ("ако", BG),
    ("алар", OT),
    ("але", BE | UK),
    ("анын", OT),
    ("аның", OT),
    ("арасында", KK),
    ("арқылы", KK),
    ("байв", MN),
    ("байгаа", MN),
    ("байланысты", KK),
    ("байна", MN),
    ("байсан", MN),
    ("байх", MN),
    ("барча", OT),
    ("безнең", OT),
    ("белән", OT),
    ("бен", KK),
    ("бері", KK),
    ("беше", BG),
    ("бид", MN),
    ("бик", OT),
    ("билан", OT),
    ("бир", OT),
    ("бирок", OT),
    ("биш", MN),
    ("бо", UK),
    ("бойынша", KK),
    ("болады", KK),
    ("болатын", KK),
    ("болды", KK),
    ("более", RU),
    ("болмайды", KK),
    ("болмас", KK),
    ("болон", MN),
    ("болот", OT),
    ("болса", KK),
    ("болуп", OT),
    ("болып", KK),
    ("болған", KK),
    ("боюнча", OT),
    ("бу", OT),
    ("був", UK),
    ("буде", UK),
    ("будет", RU),
    ("будзе", BE),
    ("буенча", OT),
    ("бул", OT),
    ("була", UK),
    ("було", UK),
    ("булып", OT),
    ("бути", UK),
    ("бъде", BG),
    ("бы", RU),
    ("был", RU),
    ("была", BE | RU),
    ("были", RU),
    ("было", RU),
    ("быў", BE),
    ("бэ", MN),
    ("бяха", BG),
    ("біз", KK),
    ("біздің", KK),
    ("бір", KK),
    ("бірақ", KK),
    ("бұл", KK),
    ("бөгөөд", MN),
    ("в", SL),
    ("ва", OT),
    ("вам", SL),
    ("вас", SL),
    ("вельмі", BE),
    ("вже", UK),
    ("ви", UK),
    ("вие", BG),
    ("во", RU),
    ("вона", UK),
    ("вони", UK),
    ("время", RU),
    ("все", SL),
    ("всего", RU),
    ("всех", RU),
    ("всички", BG),
    ("във", BG),
    ("вэ", MN),
    ("від", UK),
    ("він", UK),
    ("вә", OT),
    ("где", RU),
    ("генә", OT),
    ("ги", BG),
    ("го", BG),
    ("года", RU),
    ("году", RU),
    ("гына", OT),
    ("гэв", MN),
    ("гэдэг", MN),
    ("гэж", MN),
    ("гэсэн", MN),
    ("гэта", BE),
    ("гэтага", BE),
    ("гэтая", BE),
    ("гэты", BE),
    ("гэтым", BE),
    ("гэх", MN),
    ("дагы", OT),
    ("деген", KK),
    ("деді", KK),
    ("дейді", KK),
    ("дейін", KK),
    ("деп", KK),
    ("дзе", BE),
    ("дип", OT),
    ("для", SL),
    ("до", SL),
    ("дуже", UK),
    ("дээ", MN),
    ("дээр", MN),
    ("дякую", UK),
    ("е", BG),
    ("его", RU),
    ("еді", KK),
    ("ее", RU),
    ("екен", KK),
    ("екі", KK),
    ("емес", KK),
    ("если", RU),
    ("еще", RU),
    ("ещё", RU),
    ("её", RU),
    ("ең", KK),
    ("ж", UK),
    ("жана", OT),
    ("же", RU),
    ("жок", OT),
    ("жоқ", KK),
    ("жыл", KK),
    ("жылы", KK),
    ("жылғы", KK),
    ("және", KK),
    ("жөнүндө", OT),
    ("з", BE | UK),
    ("за", SL),
    ("зовсім", UK),
    ("зі", UK),
    ("и", SL),
    ("из", RU),
    ("ийм", MN),
    ("или", SL),
    ("илә", OT),
    ("има", BG),
    ("имат", BG),
    ("инде", OT),
    ("итеп", OT),
    ("их", RU),
    ("й", UK),
    ("його", UK),
    ("к", RU),
    ("как", BG | RU),
    ("калі", BE),
    ("като", BG),
    ("кебек", OT),
    ("кейін", KK),
    ("керек", KK),
    ("ки", OT),
    ("кийин", OT),
    ("когато", BG),
    ("когда", RU),
    ("които", BG),
    ("който", BG),
    ("коли", UK),
    ("которая", RU),
    ("которого", RU),
    ("которые", RU),
    ("который", RU),
    ("която", BG),
    ("към", BG),
    ("көп", KK),
    ("л", MN),
    ("ласка", UK),
    ("лет", RU),
    ("лише", UK),
    ("має", UK),
    ("мен", KK),
    ("менен", OT),
    ("мені", UK),
    ("ми", UK),
    ("мне", SL),
    ("може", UK),
    ("может", RU),
    ("можна", BE),
    ("можно", RU),
    ("му", BG),
    ("мяне", BE),
    ("між", UK),
    ("на", SL),
    ("нават", BE),
    ("навіть", UK),
    ("нам", SL),
    ("нас", SL),
    ("нема", UK),
    ("немає", UK),
    ("нет", RU),
    ("ние", BG),
    ("никой", BG),
    ("но", SL),
    ("нь", MN),
    ("нэг", MN),
    ("ня", BE),
    ("някой", BG),
    ("няма", BG),
    ("ні", UK),
    ("ніж", UK),
    ("о", RU),
    ("об", RU),
    ("ол", KK),
    ("олан", OT),
    ("олар", KK),
    ("он", RU),
    ("она", RU),
    ("они", RU),
    ("оның", KK),
    ("осы", KK),
    ("от", SL),
    ("очень", RU),
    ("пасля", BE),
    ("пен", KK),
    ("по", SL),
    ("после", RU),
    ("при", SL),
    ("про", UK),
    ("проте", UK),
    ("під", UK),
    ("після", UK),
    ("року", UK),
    ("років", UK),
    ("році", UK),
    ("с", SL),
    ("са", BG),
    ("своей", RU),
    ("своих", RU),
    ("свою", SL),
    ("своє", UK),
    ("се", BG),
    ("себя", RU),
    ("сегодня", RU),
    ("сейчас", RU),
    ("след", BG),
    ("со", RU),
    ("сол", KK),
    ("сондай", KK),
    ("сондықтан", KK),
    ("със", BG),
    ("също", BG),
    ("сёння", BE),
    ("сіз", KK),
    ("тази", BG),
    ("так", SL),
    ("также", RU),
    ("також", UK),
    ("таксама", BE),
    ("там", SL),
    ("таму", BE),
    ("тарабынан", OT),
    ("тези", BG),
    ("тепер", UK),
    ("ти", UK),
    ("тиіс", KK),
    ("то", SL),
    ("тобто", UK),
    ("това", BG),
    ("тоже", RU),
    ("този", BG),
    ("той", BG),
    ("только", RU),
    ("толькі", BE),
    ("тому", SL),
    ("треба", UK),
    ("трэба", BE),
    ("трябва", BG),
    ("туралы", KK),
    ("тууралуу", OT),
    ("тэр", MN),
    ("тя", BG),
    ("тільки", UK),
    ("түгел", OT),
    ("у", SL),
    ("уже", RU),
    ("ул", OT),
    ("усе", BE),
    ("усё", BE),
    ("уу", MN),
    ("учун", OT),
    ("ушул", OT),
    ("хто", BE | UK),
    ("хэмээн", MN),
    ("хәзер", OT),
    ("це", UK),
    ("цей", UK),
    ("цих", UK),
    ("цього", UK),
    ("цю", UK),
    ("ця", UK),
    ("цяпер", BE),
    ("ці", BE | UK),
    ("ч", MN),
    ("че", BG),
    ("чейин", OT),
    ("чи", UK),
    ("что", RU),
    ("чтобы", RU),
    ("што", BE),
    ("шул", OT),
    ("шүү", MN),
    ("ще", BG | UK),
    ("що", UK),
    ("щоб", UK),
    ("щодо", UK),
    ("экен", OT),
    ("эле", OT),
    ("эмес", OT),
    ("эми", OT),
    ("эмне", OT),
    ("энэ", MN),
    ("эти", RU),
    ("это", RU),
    ("этого", RU),
    ("этой", RU),
    ("этом", RU),
    ("этот", RU),
    ("юм", MN),
    ("юу", MN),
    ("является", RU),
    ("яго", BE),
    ("як", BE | UK),
    ("яка", UK),
    ("який", UK),
    ("яких", UK),
    ("якої", UK),
    ("яку", UK),
    ("якщо", UK),
    ("які", BE | UK),
    ("яна", BE),
    ("яны", BE),
    ("яшчэ", BE),
    ("ён", BE),
    ("і", BE | UK),
    ("із", UK),
    ("їх", UK),
    ("ў", BE),
    ("ўсе", BE),
    ("ўсё", BE),
    ("қазір", KK),
    ("қатысты", KK),
    ("үчүн", OT),
    ("үшін", KK),
    ("үү", MN),
    ("ҳам", OT),
    ("ҳар", OT),
    ("һәм", OT),
    ("һәр", OT),
    ("өчен", OT),
];

/// Frequent words of Latin-script text: English function words (EN, EN_WEAK) and frequent words of
/// other Latin-script languages (LA). Apart from [`WORDS`] so that each lookup searches a short table.
/// Sorted by bytes for binary search.
#[rustfmt::skip]
static LATIN_WORDS: &[(&str, u16)] = &[
    ("a", EN_WEAK), ("about", EN), ("after", EN), ("all", EN), ("als", LA), ("also", EN),
    ("an", EN_WEAK), ("and", EN), ("any", EN), ("are", EN), ("as", EN_WEAK), ("at", EN_WEAK),
    ("auch", LA), ("auf", LA), ("be", EN), ("because", EN), ("been", EN), ("before", EN),
    ("being", EN), ("bir", LA), ("both", EN), ("but", EN), ("by", EN), ("can", EN), ("could", EN),
    ("dan", LA), ("dans", LA), ("das", LA), ("dat", LA), ("del", LA), ("della", LA), ("den", LA),
    ("der", LA), ("des", LA), ("det", LA), ("did", EN), ("didn", EN), ("die", LA), ("does", EN),
    ("doesn", EN), ("don", EN), ("during", EN), ("een", LA), ("ein", LA), ("eine", LA), ("el", LA),
    ("en", LA), ("er", LA), ("est", LA), ("et", LA), ("every", EN), ("for", EN), ("from", EN),
    ("had", EN), ("has", EN), ("have", EN), ("her", EN_WEAK), ("here", EN), ("het", LA),
    ("him", EN), ("his", EN), ("how", EN), ("ich", LA), ("if", EN), ("ikke", LA), ("ile", LA),
    ("in", EN_WEAK), ("ini", LA), ("into", EN), ("ir", LA), ("is", EN_WEAK), ("isn", EN),
    ("it", EN), ("its", EN), ("itu", LA), ("ja", LA), ("jest", LA), ("just", EN), ("kad", LA),
    ("las", LA), ("le", LA), ("les", LA), ("ll", EN), ("los", LA), ("many", EN), ("me", EN_WEAK),
    ("med", LA), ("met", LA), ("mit", LA), ("more", EN), ("most", EN_WEAK), ("much", EN),
    ("must", EN), ("my", EN_WEAK), ("nicht", LA), ("nie", LA), ("niet", LA), ("no", EN_WEAK),
    ("not", EN), ("now", EN), ("och", LA), ("of", EN), ("og", LA), ("on", EN_WEAK), ("one", EN),
    ("only", EN), ("op", LA), ("other", EN), ("our", EN), ("out", EN), ("over", EN_WEAK),
    ("para", LA), ("pas", LA), ("per", LA), ("por", LA), ("que", LA), ("qui", LA), ("sa", LA),
    ("said", EN), ("sal", LA), ("se", LA), ("she", EN), ("should", EN), ("sie", LA), ("since", EN),
    ("so", EN_WEAK), ("som", LA), ("some", EN), ("su", LA), ("such", EN), ("te", LA), ("than", EN),
    ("that", EN), ("the", EN), ("their", EN), ("them", EN), ("then", EN), ("there", EN),
    ("these", EN), ("they", EN), ("this", EN), ("those", EN), ("through", EN), ("to", EN_WEAK),
    ("una", LA), ("und", LA), ("une", LA), ("until", EN), ("up", EN), ("us", EN), ("van", LA),
    ("ve", LA), ("very", EN), ("was", EN), ("wasn", EN), ("we", EN_WEAK), ("were", EN),
    ("what", EN), ("when", EN), ("where", EN), ("which", EN), ("while", EN), ("who", EN),
    ("will", EN), ("with", EN), ("won", EN), ("would", EN), ("yang", LA), ("you", EN), ("your", EN),
    ("yra", LA), ("zal", LA), ("ze", LA), ("zu", LA),
];

// ---------------------------------------------------------------------------------------------------
// Decision

fn analyze(text: &str) -> (Option<Detection>, u32) {
    let s = scan(text);
    if s.letters < MIN_LETTERS {
        return (None, s.letters);
    }
    let det = if s.cyr >= s.latin && s.cyr >= s.other {
        detect_cyrillic(text, &s)
    } else if let Some(conf) = english_confidence(&s) {
        Some(Detection {
            lang: "en",
            confidence: conf,
        })
    } else {
        detect_whatlang(text, &s)
    };
    (det, s.letters)
}

/// Confidence factor for short texts: 0.5 at a few letters, 1.0 from ~60 letters on.
fn length_factor(letters: u32) -> f64 {
    (0.5 + f64::from(letters) / 120.0).min(1.0)
}

const SLAVIC: [Lang; 6] = [
    Lang::Rus,
    Lang::Ukr,
    Lang::Bel,
    Lang::Bul,
    Lang::Srp,
    Lang::Mkd,
];

/// Letters of the text that `lang`'s alphabet lacks.
fn impossible_letters(s: &Stats, lang: Lang) -> u32 {
    let mut l = s.slav;
    if s.kk_core + s.schwa + s.ng + s.oo == 0 {
        // No Kazakh letters (so no quoted Kazakh phrase): front-vowel і words are Slavic too.
        l += s.front_i;
    }
    let l = &l;
    let srmk = l.sr_only + l.mk_only + l.srmk;
    // Letters every one of the six lacks (Kazakh ones, ...) do not tell them apart.
    match lang {
        Lang::Rus => l.dotted_i + l.uk_only + l.be_u + srmk,
        Lang::Ukr => l.yery + l.e_rev + l.hard + l.yo + l.be_u + srmk,
        Lang::Bel => l.i_plain + l.shcha + l.hard + l.uk_only + srmk,
        Lang::Bul => l.yery + l.e_rev + l.yo + l.dotted_i + l.uk_only + l.be_u + srmk,
        Lang::Srp => {
            l.short_i
                + l.shcha
                + l.hard
                + l.yery
                + l.e_rev
                + l.yo
                + l.soft_yu_ya
                + l.dotted_i
                + l.uk_only
                + l.be_u
                + l.mk_only
        }
        Lang::Mkd => {
            l.short_i
                + l.shcha
                + l.hard
                + l.yery
                + l.e_rev
                + l.yo
                + l.soft_yu_ya
                + l.dotted_i
                + l.uk_only
                + l.be_u
                + l.sr_only
        }
        _ => u32::MAX,
    }
}

fn slavic_words(s: &Stats, lang: Lang) -> u32 {
    match lang {
        Lang::Rus => s.fw_ru,
        Lang::Ukr => s.fw_uk,
        Lang::Bel => s.fw_be,
        Lang::Bul => s.fw_bg,
        _ => 0,
    }
}

fn detect_cyrillic(text: &str, s: &Stats) -> Option<Detection> {
    if let Some(conf) = kazakh_confidence(text, s) {
        return Some(Detection {
            lang: "kk",
            confidence: conf,
        });
    }
    if let Some(conf) = mongolian_confidence(s) {
        return Some(Detection {
            lang: "mn",
            confidence: conf,
        });
    }
    // Narrow the Slavic candidates by the letters their alphabets lack (a little slack for quoted names).
    let counts: Vec<(Lang, u32)> = SLAVIC
        .iter()
        .map(|&l| (l, impossible_letters(s, l)))
        .collect();
    let min = counts.iter().map(|c| c.1).min().unwrap_or(0);
    let tol = s.cyr / 150;
    let allowed: Vec<Lang> = counts
        .iter()
        .filter(|c| c.1 <= min + tol)
        .map(|c| c.0)
        .collect();
    if allowed.len() == 1 {
        let lang = allowed[0];
        let second = counts
            .iter()
            .filter(|c| c.0 != lang)
            .map(|c| c.1)
            .min()
            .unwrap_or(min);
        let gap = f64::from(second - min);
        let conf = (0.6 + 0.1 * gap).min(1.0) * length_factor(s.letters);
        return Some(Detection {
            lang: code(lang),
            confidence: conf,
        });
    }
    let sample = sample(text);
    let info = Detector::with_allowlist(allowed.clone()).detect(&sample);
    let (mut lang, mut conf) = match info {
        Some(i) => (i.lang(), i.confidence().clamp(0.0, 1.0)),
        None => (allowed[0], 0.0),
    };
    // Function words overrule a close call: short sentences are where whatlang errs between Slavic
    // languages; with no decisive word, a low-confidence call goes to Russian.
    let picked = slavic_words(s, lang);
    if let Some(&best) = allowed
        .iter()
        .max_by_key(|&&l| (slavic_words(s, l), l == Lang::Rus))
    {
        if slavic_words(s, best) > picked {
            lang = best;
            conf = conf.max(0.5);
        }
    }
    // whatlang takes short Russian sentences without ы э ё ъ for Bulgarian or Ukrainian; a Russian
    // ending that language lacks, with none of its function words, says Russian.
    // (Counted only here, in a second pass: this is rare, and whatlang's call costs far more.)
    let ru_only: &[&str] = match lang {
        Lang::Bul => &RU_NOT_BG,
        Lang::Ukr => &RU_NOT_UK,
        _ => &[],
    };
    if !ru_only.is_empty()
        && allowed.contains(&Lang::Rus)
        && slavic_words(s, lang) == 0
        && has_ending(text, ru_only)
    {
        lang = Lang::Rus;
        conf = conf.min(0.5);
    }
    if lang != Lang::Rus
        && allowed.contains(&Lang::Rus)
        && conf < 0.2
        && s.fw_ru >= slavic_words(s, lang)
    {
        lang = Lang::Rus;
        conf = 0.3;
    }
    Some(Detection {
        lang: code(lang),
        confidence: conf * length_factor(s.letters),
    })
}

/// Weight of one piece of Slavic evidence (function word, Russian ending) against Kazakh evidence:
/// about 30-40 % of words in Slavic text give such evidence, 70-80 % of words in Kazakh text do.
const SLAVIC_WEIGHT: f64 = 1.5;
/// Same for Mongolian evidence (function words, words with э or doubled vowels: ~50 % of words).
const MONGOLIAN_WEIGHT: f64 = 2.0;
/// Same for Tatar/Kyrgyz function words and letters of other Turkic alphabets.
const OTHER_TURKIC_WEIGHT: f64 = 3.0;

/// Kazakh: returns a confidence when the text is Kazakh.
///
/// Kazakh evidence is counted in words. Anchors (needed: at least one) are words with ғ қ ұ, words
/// with і plus one of ә ң ө ү һ, Kazakh function words, and - when nothing says the text is Slavic,
/// Mongolian, Tatar or Kyrgyz - words with ә ң ө ү һ or і that the other letters of the text make
/// Kazakh (vowel harmony; ы and и; т д before soft vowels). The evidence must then outweigh the evidence for the other languages, each scaled by how
/// much evidence a text in that language typically gives, so the majority language of a mixed text
/// wins.
fn kazakh_confidence(text: &str, s: &Stats) -> Option<f64> {
    let ukbe = s.all.uk_only + s.all.be_u + s.apos;
    let mnish = s.fw_mn + s.dbl_vowel + s.e_mid;
    // і together with any of ә ң ө ү һ: no other language writes both.
    let i_and_turkic = s.all.dotted_i > 0 && s.schwa + s.ng + s.oo > 0 && ukbe == 0;
    let mut anchor = f64::from(s.w_core + s.w_i_turkic + s.fw_kk);
    let mut extra = 0.0;
    let slavic = s.fw_slav + s.w_ru_end > 0;
    // Plain-letter Kazakh words, unless something points to Tatar, Kyrgyz, Mongolian, Ukrainian or
    // Belarusian (whose words some of them are). A capitalized one may be a Kazakh name quoted in
    // another language, so it cannot be the only anchor. Only in a text with no Slavic evidence: a
    // Russian text quoting a Kazakh phrase must not gain from them.
    if !slavic
        && mnish == 0
        && s.fw_ot == 0
        && s.other_turkic == 0
        && ukbe == 0
        && s.fw_uk + s.fw_be == 0
    {
        anchor += f64::from(s.w_plain_kk);
        extra += 0.5 * f64::from(s.w_plain_kk_cap);
    }
    if i_and_turkic {
        anchor += f64::from(s.w_turkic);
    } else if mnish == 0 && s.fw_ot == 0 && s.other_turkic == 0 {
        // ә ң ө ү һ alone are also Tatar/Kyrgyz/Mongolian; here nothing points to those.
        if slavic {
            extra += 0.5 * f64::from(s.w_turkic);
        } else if s.schwa > 0 && s.words <= 4 {
            // A short text with ә (which Mongolian and Kyrgyz lack): a greeting, a name, a headline.
            anchor += f64::from(s.w_turkic);
        } else {
            anchor += f64::from(s.w_round_e);
            extra += 0.5 * f64::from(s.w_turkic - s.w_round_e);
        }
    }
    // і alone is also Ukrainian/Belarusian.
    let uk_like = ukbe > 0 || s.fw_uk + s.fw_be > 0;
    if !uk_like {
        if slavic {
            // The Slavic part is not Ukrainian or Belarusian, so its і words are not either.
            extra += f64::from(s.w_i);
        } else if (s.all.yery > 0 && (s.all.i_plain > 0 || s.soft_td > 0)) || i_and_turkic {
            // ы rules out Ukrainian; и, or т д before a soft vowel, rule out Belarusian.
            anchor += f64::from(s.w_i);
        } else {
            // Words with і whose vowels keep Kazakh harmony are Kazakh here (nothing Slavic in the
            // text) when they make half the text - a short line; otherwise they, like the other і
            // words, are only supporting evidence. (Counted only here, in a second pass over what
            // is mostly a short line: Kazakh documents are settled by their other letters.)
            let front = if s.w_i > 0 && 2 * s.w_i >= s.words {
                front_i_words(text)
            } else {
                0
            };
            if 2 * front >= s.words {
                anchor += f64::from(front);
                extra += 0.5 * f64::from(s.w_i - front.min(s.w_i));
            } else {
                extra += 0.5 * f64::from(s.w_i);
            }
        }
    }
    if anchor < 1.0 {
        return None;
    }
    let ev = anchor + extra;
    let words = f64::from(s.words.max(1));
    if ev / words < 0.15 {
        return None;
    }
    let slav = f64::from(s.fw_slav + s.w_ru_end + ukbe);
    let mn = f64::from(s.fw_mn + s.w_mnish);
    // ј љ њ џ ђ ћ ѓ ѕ ќ: Serbian, Macedonian, Azerbaijani.
    let ot = f64::from(s.fw_ot + s.other_turkic + s.all.srmk + s.all.sr_only + s.all.mk_only);
    let rival = (SLAVIC_WEIGHT * slav)
        .max(MONGOLIAN_WEIGHT * mn)
        .max(OTHER_TURKIC_WEIGHT * ot);
    if ev <= rival {
        return None;
    }
    let clear = 1.0 - rival / ev;
    let density = (ev / words / 0.5).min(1.0);
    Some((0.4 + 0.6 * clear * density).min(1.0) * length_factor(s.letters))
}

/// Mongolian (Cyrillic): returns a confidence when the text is Mongolian.
fn mongolian_confidence(s: &Stats) -> Option<f64> {
    if s.all.uk_only + s.all.be_u + s.other_turkic > 0 {
        return None;
    }
    // A quoted Kazakh name or phrase is fine; more than that is not Mongolian.
    let kk_words = s.w_core + s.w_i + s.w_i_turkic;
    if kk_words * 4 > s.words || (kk_words == 0 && s.ng + s.schwa > 0) {
        return None;
    }
    let n = f64::from(s.cyr.max(1));
    let oo = f64::from(s.oo);
    let marks = s.all.e_rev + s.dbl_vowel + s.fw_mn;
    let by_letters =
        s.oo >= 1 && oo / n >= 0.015 && marks >= 1 && s.fw_slav <= s.fw_mn + s.w_turkic;
    let mn_ev = s.fw_mn + s.w_mnish;
    let by_words = mn_ev >= 2 && s.fw_mn >= 1 && mn_ev > 2 * s.fw_slav + s.w_ru_end;
    if !(by_letters || by_words) {
        return None;
    }
    let conf = (0.5 + oo / n * 5.0 + 0.05 * f64::from(marks)).min(1.0) * length_factor(s.letters);
    Some(conf)
}

/// English by its function words (a shortcut past whatlang, whose fixed cost per call is high and
/// which often misreads short English sentences as Afrikaans, Swedish, Spanish, ...): a quarter to a
/// half of the words of English text are among them, far fewer in other Latin-script languages, whose
/// letters outside ASCII also rule English out. A word shared with other languages (a, in, is, no)
/// counts half, and at least one word must be English only.
fn english_confidence(s: &Stats) -> Option<f64> {
    if s.other * 50 > s.latin || s.w_latin < 3 || s.fw_en == 0 || s.latin_ext * 50 > s.latin {
        return None;
    }
    // A word of another language (die, het, que) cancels an English one.
    let score = f64::from(s.fw_en) + 0.5 * f64::from(s.fw_en_weak) - f64::from(s.fw_la);
    if score < 1.5 {
        return None;
    }
    let ratio = score / f64::from(s.w_latin);
    // Short texts give a chance hit more weight.
    let need = if s.w_latin < 6 { 0.4 } else { 0.25 };
    if ratio < need {
        return None;
    }
    Some((0.6 + ratio).min(1.0) * length_factor(s.letters))
}

/// Bytes of text whatlang sees at most.
const SAMPLE_BYTES: usize = 1200;
/// Window size when sampling.
const WINDOW_BYTES: usize = 400;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A bounded sample of `text` for whatlang: the whole text if short, else three windows (start, middle,
/// end) cut at char boundaries.
fn sample(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= SAMPLE_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(SAMPLE_BYTES + 4);
    let starts = [
        0,
        text.len() / 2 - WINDOW_BYTES / 2,
        text.len() - WINDOW_BYTES,
    ];
    for (k, &st) in starts.iter().enumerate() {
        let a = floor_boundary(text, st);
        let b = floor_boundary(text, (st + WINDOW_BYTES).min(text.len()));
        if k > 0 {
            out.push('\n');
        }
        out.push_str(&text[a..b]);
    }
    std::borrow::Cow::Owned(out)
}

fn detect_whatlang(text: &str, s: &Stats) -> Option<Detection> {
    let sample = sample(text);
    let info = Detector::new().detect(&sample)?;
    let conf = info.confidence().clamp(0.0, 1.0);
    // whatlang's unsure call on a short plain-ASCII text with an English-only word and no word of
    // another language is mostly English it misread (too few trigrams for it to tell).
    if info.lang() != Lang::Eng
        && conf < WHATLANG_SURE
        && s.fw_en > 0
        && s.fw_la == 0
        && s.latin_ext + s.other == 0
    {
        return Some(Detection {
            lang: "en",
            confidence: 0.3 * length_factor(s.letters),
        });
    }
    Some(Detection {
        lang: code(info.lang()),
        confidence: conf * length_factor(s.letters),
    })
}

/// whatlang confidence below which an English reading is preferred (see [`detect_whatlang`]).
const WHATLANG_SURE: f64 = 0.5;

/// ISO 639-1 code of a whatlang language, or its ISO 639-3 code where there is no 639-1 code.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
        // whatlang may add languages in a minor release; fall back to its own (639-3) code.
        #[allow(unreachable_patterns)]
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(text: &str) -> Option<&'static str> {
        detect(text).map(|d| d.lang)
    }

    fn assert_all(expected: &str, sentences: &[&str]) {
        for s in sentences {
            assert_eq!(lang_of(s), Some(expected), "{s}");
        }
    }

    #[test]
    fn kazakh() {
        assert_all(
            "kk",
            &[
                "Ертең Алматыда халықаралық кітап көрмесі ашылады.",
                "Ауыл мектебінде жаңа спорт залы пайдалануға берілді.",
                "Біз бұл жобаны үш жыл бойы дайындадық.",
                "ҚАЗАҚСТАН ҚҰРАМАСЫ ЖАРТЫЛАЙ ФИНАЛҒА ШЫҚТЫ",
                // Latin i typed for і.
                "Бiз бүгiн кешке кездесемiз.",
            ],
        );
    }

    #[test]
    fn kazakh_without_kazakh_letters() {
        // Frequent Kazakh words and endings written with letters Russian has.
        assert_all(
            "kk",
            &[
                "Аман бол!",
                "Жарайды, рахмет!",
                "Бала ойнап жатыр.",
                "Ертең сонда барамыз.",
                "Мына жол тарихи орындарға апарады.",
                "Мерекелер ЖОО-ларда тойланды.",
            ],
        );
        // The same words as Kazakh names in another language's text do not make it Kazakh.
        for s in [
            "Фото: Адам Сауранбаев.",
            "Кафе «Жол» открылось в центре города.",
            "Встреча с Адамом прошла в кафе «Сау бол» на Абая.",
            "В Шымкенте открыли новый мост.",
        ] {
            assert_ne!(lang_of(s), Some("kk"), "{s}");
        }
        assert_all("mn", &["Энэ бол миний ном."]);
    }

    #[test]
    fn plain_kazakh_tables_are_sorted_and_plain() {
        for pair in KK_PLAIN.windows(2) {
            assert!(
                pair[0].as_bytes() < pair[1].as_bytes(),
                "{} !< {}",
                pair[0],
                pair[1]
            );
        }
        let special = |w: &str| w.chars().any(|c| "әғқңөұүһі".contains(c));
        for (last2, ends) in KK_PLAIN_ENDINGS {
            assert!(ends.iter().all(|e| e.ends_with(last2)), "{last2}");
        }
        let ends = KK_PLAIN_ENDINGS.iter().flat_map(|(_, e)| e.iter());
        for w in KK_PLAIN.iter().chain(ends) {
            assert!(!special(w), "{w}");
            assert!(w.chars().all(|c| lower_cyr_latin(c) == c), "{w}");
        }
        assert!(plain_kazakh("болып") && plain_kazakh("ларда") && plain_kazakh("сау"));
        assert!(!plain_kazakh("ып") && !plain_kazakh("был") && !plain_kazakh("доллары"));
    }

    #[test]
    fn russian() {
        assert_all(
            "ru",
            &[
                "Завтра в Алматы откроется международная книжная ярмарка.",
                "Жители просят установить светофор возле школы.",
                "Вчера в Астане прошло заседание, на котором выступил министр.",
            ],
        );
    }

    #[test]
    fn english() {
        assert_all(
            "en",
            &[
                "The new library will open its doors to readers next spring.",
                "Officials said that the talks would continue after the holiday.",
            ],
        );
    }

    #[test]
    fn short_english_without_whatlang_misreading_it() {
        // regression: short English lines went to whatlang, which called them Afrikaans, Swedish, ...
        assert_all(
            "en",
            &[
                "It was late.",
                "He is at home now.",
                "A storm will hit the city.",
                "We do not know yet.",
                "Prices rose again this week.",
            ],
        );
        // Short lines of other Latin-script languages stay theirs.
        for s in [
            "Ich bin hier und warte auf dich.",
            "Het is een mooie dag vandaag.",
            "El perro come la comida en casa.",
            "Prawo to obejmuje wolność.",
        ] {
            assert_ne!(lang_of(s), Some("en"), "{s}");
        }
    }

    #[test]
    fn short_russian_is_not_bulgarian_or_ukrainian() {
        // regression: short Russian lines without ы э ё ъ went to whatlang's Bulgarian or Ukrainian.
        assert_all(
            "ru",
            &[
                "Синоптики обещают снег, метель, мороз.",
                "Ведь корни нашего народа в ауле.",
                "Соседи поздравили меня с победой.",
            ],
        );
        assert_all("bg", &["Никой не трябва да бъде наказван без съд."]);
    }

    #[test]
    fn short_kazakh_with_only_dotted_i() {
        // regression: short lines whose only Kazakh letter is і (Ukrainian, Belarusian have it too).
        assert_all(
            "kk",
            &["Бізде – керісінше.", "Себеп – біреу.", "Ертең келеді."],
        );
        for s in ["Всі люди рівні перед законом.", "Чаму спіс такі кароткі?"]
        {
            assert_ne!(lang_of(s), Some("kk"), "{s}");
        }
        assert!(front_i_word("керісінше") && front_i_word("біреу") && front_i_word("тиіс"));
        // Words with Kazakh letters, Latin look-alikes or Ukrainian letters are not counted.
        assert_eq!(
            front_i_words("Бізде – керісінше, біреу Бiзде бізді білімнің їжі."),
            4
        );
        assert!(!front_i_word("рівну") && !front_i_word("днів") && !front_i_word("тіл"));
    }

    #[test]
    fn ukrainian_belarusian_mongolian_bulgarian_are_not_kazakh() {
        assert_all(
            "uk",
            &[
                "Завтра у Києві відкриється міжнародний книжковий ярмарок.",
                "Мешканці просять встановити світлофор біля школи.",
            ],
        );
        assert_all(
            "be",
            &[
                "Заўтра ў Мінску адкрыецца міжнародны кніжны кірмаш.",
                "Жыхары просяць усталяваць святлафор каля школы.",
            ],
        );
        assert_all(
            "mn",
            &[
                "Маргааш Улаанбаатар хотод олон улсын номын үзэсгэлэн нээгдэнэ.",
                "Оршин суугчид сургуулийн ойролцоо гэрлэн дохио тавихыг хүсч байна.",
            ],
        );
        assert_all(
            "bg",
            &["Утре в София ще бъде открит международен панаир на книгата."],
        );
    }

    #[test]
    fn mixed_kazakh_and_russian() {
        // Russian with a Kazakh name stays Russian; Kazakh with Russian names stays Kazakh.
        assert_eq!(
            lang_of("Аким города Ерболат Досаев открыл новый парк «Көктем» в микрорайоне."),
            Some("ru")
        );
        assert_eq!(
            lang_of("Министр заявил журналистам, что программа «Нұрлы жер» будет продолжена."),
            Some("ru")
        );
        assert_eq!(
            lang_of("Жиынға «Казахтелеком» компаниясының өкілдері де қатысты."),
            Some("kk")
        );
        assert_eq!(
            lang_of("Қасым-Жомарт Тоқаев Мәскеуде Владимир Путинмен кездесіп, екі ел арасындағы ынтымақтастықты талқылады."),
            Some("kk")
        );
    }

    #[test]
    fn nothing_to_tell() {
        for s in ["", "   \n\t", "...!?", "12 345,67 — 2024", "Ол", "«»—"] {
            assert_eq!(detect(s), None, "{s:?}");
        }
    }

    #[test]
    fn confidence_in_range_and_deterministic() {
        let texts = [
            "Ертең Алматыда халықаралық кітап көрмесі ашылады.",
            "Жители просят установить светофор возле школы.",
            "The new library will open its doors to readers next spring.",
            "Маргааш Улаанбаатар хотод олон улсын номын үзэсгэлэн нээгдэнэ.",
            "Ова е многу убав ден за прошетка.",
            "Der Bürgermeister eröffnete gestern die neue Bibliothek.",
            "abc",
        ];
        for t in texts {
            let d = detect(t).expect(t);
            assert!((0.0..=1.0).contains(&d.confidence), "{t}: {}", d.confidence);
            assert_eq!(detect(t), Some(d));
        }
    }

    #[test]
    fn long_text_is_sampled_safely() {
        // Multi-byte characters of different widths around every window edge.
        let unit = "Қазақстан — ұлан-ғайыр дала, ә? Ёлка 🎄 and ü. ";
        let text = unit.repeat(200);
        assert_eq!(lang_of(&text), Some("kk"));
        for cut in 1200..1300 {
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = sample(&text[..end]);
        }
    }

    #[test]
    fn shares_by_paragraph() {
        let kk = "Ертең Алматыда халықаралық кітап көрмесі ашылады.";
        let ru = "Жители просят установить светофор возле школы.";
        let doc = format!("{kk}\n{kk}\n\n{ru}\n\n  \n12 345\n\n{ru}\r\n");
        let shares = paragraph_shares(&doc);
        assert_eq!(
            shares.iter().map(|s| s.lang).collect::<Vec<_>>(),
            vec!["kk", "ru"]
        );
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count() as f64;
        let (k, r) = (2.0 * letters(kk), 2.0 * letters(ru));
        assert!((shares[0].share - k / (k + r)).abs() < 1e-12);
        assert!((shares.iter().map(|s| s.share).sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn shares_by_line_without_blank_lines_and_ties_by_code() {
        let en = "The bridge will reopen to traffic at the end of the month.";
        let text = format!("{en}\nБүгін жиналыс болды.\nБүгін жиналыс болды.\n{en}\n");
        let shares = paragraph_shares(&text);
        assert_eq!(shares.len(), 2);
        assert!(shares[0].share >= shares[1].share);
        // Equal letters (36 each): tie broken by code.
        let equal = paragraph_shares(
            "Жители просят установить светофор у школы.\nЕртең Алматыда жаңа кітап көрмесі ашылады.",
        );
        assert_eq!(
            equal,
            vec![
                LangShare {
                    lang: "kk",
                    share: 0.5
                },
                LangShare {
                    lang: "ru",
                    share: 0.5
                }
            ]
        );
        assert!(paragraph_shares("").is_empty());
        assert!(paragraph_shares("\n\n...\n\n42\n").is_empty());
    }

    #[test]
    fn paragraph_splitting() {
        assert_eq!(
            paragraphs("a\nb\n\nc\r\n\r\n d \n"),
            vec!["a\nb", "c", " d "]
        );
        assert_eq!(paragraphs("\n\na\nb\n\n"), vec!["a", "b"]);
        assert!(paragraphs("").is_empty());
    }

    #[test]
    fn codes_cover_every_whatlang_language() {
        let mut seen = std::collections::HashSet::new();
        for &lang in Lang::all() {
            let c = code(lang);
            assert!(c.len() == 2 || c == lang.code(), "{lang:?} -> {c}");
            assert!(c.chars().all(|ch| ch.is_ascii_lowercase()), "{c}");
            assert!(seen.insert(c), "duplicate code {c}");
        }
        assert!(!seen.contains("kk") && !seen.contains("mn"));
    }

    #[test]
    fn word_table_is_sorted_and_lowercase() {
        assert!(LATIN_WORDS.iter().all(|(w, _)| w.is_ascii()));
        assert!(WORDS.iter().all(|(w, _)| !w.is_ascii()));
        for pair in WORDS.windows(2).chain(LATIN_WORDS.windows(2)) {
            assert!(
                pair[0].0.as_bytes() < pair[1].0.as_bytes(),
                "{} !< {}",
                pair[0].0,
                pair[1].0
            );
        }
        for (w, _) in WORDS.iter().chain(LATIN_WORDS) {
            assert!(w.chars().all(|c| lower_cyr_latin(c) == c), "{w}");
        }
    }
}
