//! One pass of letter and word counts over a text: UTF-8 in, [`Stats`] out (letters that
//! tell alphabets apart, Kazakh, Slavic, Mongolian and English evidence word by word).

use super::words::{count_word, plain_kazakh, EN, EN_WEAK, LA, LATIN_FLAGS};

/// Minimum number of letters for a verdict.
pub(super) const MIN_LETTERS: u32 = 3;

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Scratch` (generate/bench/output.rs), `Frame` (report/svg/mod.rs) and 1 more: different facts, no
// shared type.
/// Counts of letters that some Cyrillic alphabets have and others lack.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Letters {
    /// і (also a Latin i inside a Cyrillic word, a common substitute in Kazakh text)
    pub(super) dotted_i: u32,
    /// ї є ґ
    pub(super) uk_only: u32,
    /// ў
    pub(super) be_u: u32,
    /// ђ ћ
    pub(super) sr_only: u32,
    /// ѓ ѕ ќ
    pub(super) mk_only: u32,
    /// ј љ њ џ
    pub(super) srmk: u32,
    /// ы
    pub(super) yery: u32,
    /// э
    pub(super) e_rev: u32,
    /// ё
    pub(super) yo: u32,
    /// ъ
    pub(super) hard: u32,
    /// и
    pub(super) i_plain: u32,
    /// щ
    pub(super) shcha: u32,
    /// й
    pub(super) short_i: u32,
    /// ь ю я
    pub(super) soft_yu_ya: u32,
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

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Letters` (lang/scan.rs): different facts, no shared type.
/// Counts gathered in one pass over the text.
#[derive(Debug, Default, Clone)]
pub(super) struct Stats {
    /// All alphabetic characters.
    pub(super) letters: u32,
    pub(super) cyr: u32,
    pub(super) latin: u32,
    pub(super) other: u32,

    // Cyrillic letters by class (after lowercasing).
    /// ғ қ ұ
    pub(super) kk_core: u32,
    /// ә (also Tatar, Bashkir)
    pub(super) schwa: u32,
    /// ң (also Kyrgyz, Tatar, Bashkir)
    pub(super) ng: u32,
    /// ө ү һ (also Mongolian, Kyrgyz, Tatar, Bashkir)
    pub(super) oo: u32,
    /// Letters that tell Slavic alphabets apart, in the whole text.
    pub(super) all: Letters,
    /// The same letters, in words without ғ қ ұ ә ң ө ү һ, except those below.
    pub(super) slav: Letters,
    /// The same letters, in words with і and front vowels only (Kazakh or Ukrainian/Belarusian).
    pub(super) front_i: Letters,
    /// apostrophe between two Cyrillic letters (Ukrainian, Belarusian)
    pub(super) apos: u32,
    /// Letters of other Cyrillic Turkic/Iranian alphabets: җ ҡ ҙ ҫ ҳ ҷ ӣ ӯ ӊ ӈ ҹ ҝ
    pub(super) other_turkic: u32,
    /// аа ээ оо өө үү уу (long vowels of Mongolian, Kyrgyz)
    pub(super) dbl_vowel: u32,
    /// т or д before е і ё ю я ь: Belarusian writes ц, дз there
    pub(super) soft_td: u32,
    /// э after the first letter of a word (Mongolian; loanwords have it word-initially)
    pub(super) e_mid: u32,

    // Words written mostly in Cyrillic.
    pub(super) words: u32,
    /// words with ғ қ ұ
    pub(super) w_core: u32,
    /// words with і and one of ә ң ө ү һ, without ғ қ ұ
    pub(super) w_i_turkic: u32,
    /// words whose only special letter is і
    pub(super) w_i: u32,
    /// words with ә ң ө ү һ, without і ғ қ ұ
    pub(super) w_turkic: u32,
    /// of those, words with ө or ү and a non-initial е, without ий (Kazakh; Kyrgyz and Mongolian words
    /// round the vowels after ө ү, and write е only word-initially)
    pub(super) w_round_e: u32,
    /// Kazakh function words / very frequent forms
    pub(super) fw_kk: u32,
    /// words without any special letter that are frequent Kazakh words or have Kazakh endings
    /// ([`plain_kazakh`]), starting with a lowercase letter
    pub(super) w_plain_kk: u32,
    /// the same, capitalized (could be a Kazakh name in another language's text)
    pub(super) w_plain_kk_cap: u32,
    /// Slavic function words (any of the flags below, or shared)
    pub(super) fw_slav: u32,
    pub(super) fw_ru: u32,
    pub(super) fw_uk: u32,
    pub(super) fw_be: u32,
    pub(super) fw_bg: u32,
    /// Mongolian function words and word endings
    pub(super) fw_mn: u32,
    /// words without Kazakh letters with a non-initial э or a doubled vowel (Mongolian-like)
    pub(super) w_mnish: u32,
    /// words without Kazakh letters with a Russian inflectional ending (-ся -ть -ого -ая -ую -ый ...)
    pub(super) w_ru_end: u32,
    /// Tatar / Kyrgyz function words
    pub(super) fw_ot: u32,
    /// Latin letters outside ASCII
    pub(super) latin_ext: u32,
    /// words written mostly in Latin letters
    pub(super) w_latin: u32,
    /// English function words
    pub(super) fw_en: u32,
    /// English function words that are also frequent in other Latin-script languages
    pub(super) fw_en_weak: u32,
    /// frequent words of other Latin-script languages
    pub(super) fw_la: u32,
    /// Latin words shaped like English ones ([`english_shape`])
    pub(super) w_en_shape: u32,
}

/// Per-word state while scanning.
#[derive(Default)]
pub(super) struct Word {
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
    /// Appends `c` (lowercased) to the word's bytes, or marks the word too long for them.
    /// ASCII and two-byte characters (Latin, Cyrillic) are encoded by hand: this runs for
    /// every letter of a document's sample.
    #[inline(always)]
    fn push_lower(&mut self, c: char) {
        if self.too_long {
            return;
        }
        let code = c as u32;
        let n = c.len_utf8();
        if self.len + n > self.buf.len() {
            self.too_long = true;
            return;
        }
        match n {
            1 => self.buf[self.len] = code as u8,
            2 => {
                self.buf[self.len] = 0xc0 | (code >> 6) as u8;
                self.buf[self.len + 1] = 0x80 | (code & 0x3f) as u8;
            }
            _ => {
                c.encode_utf8(&mut self.buf[self.len..]);
            }
        }
        self.len += n;
    }

    /// The lowercased word, unless too long for the word lists.
    #[inline]
    fn lowered(&self) -> Option<&str> {
        if self.too_long {
            return None;
        }
        // SAFETY: `buf[..len]` holds only whole characters, each written by `push_lower` as
        // its UTF-8 encoding, so it is valid UTF-8 (checking it again was a tenth of the
        // scan: most words are Cyrillic, off the check's ASCII fast path).
        Some(unsafe { std::str::from_utf8_unchecked(&self.buf[..self.len]) })
    }
}

#[inline]
pub(super) fn lower_cyr_latin(c: char) -> char {
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
pub(super) fn is_cyrillic_letter(u: u32) -> bool {
    matches!(u, 0x400..=0x481 | 0x48A..=0x52F)
}

#[inline]
pub(super) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x1E00..=0x1EFF)
}

#[inline]
pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

pub(super) fn scan(text: &str) -> Stats {
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

pub(super) fn end_word(s: &mut Stats, w: &mut Word) {
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
        let word = w.lowered();
        if let Some(word) = word.filter(|_| !kk_marks && w.cyr >= 5 && w.latin == 0) {
            if RU_ENDINGS.iter().any(|e| word.ends_with(e)) {
                s.w_ru_end += 1;
            }
        }
        // Words with Latin look-alikes simply miss the lists.
        if let Some(word) = word.filter(|word| !word.is_empty()) {
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
    } else if w.latin > 0 {
        s.w_latin += 1;
        if let Some(word) = w.lowered() {
            if let Some(&f) = LATIN_FLAGS.get(word) {
                s.fw_en += u32::from(f & EN != 0);
                s.fw_en_weak += u32::from(f & EN_WEAK != 0);
                s.fw_la += u32::from(f & LA != 0);
            }
            s.w_en_shape += u32::from(english_shape(word));
        }
    }
    *w = Word::default();
}

/// A lowercased Latin word with an English ending (-ing, -ed, -ly, -tion) or the letters th
/// or wh, which English words have far more often than those of the other languages
/// whatlang names for short technical English (French, Danish, Romanian, Portuguese);
/// -ning is left out (Danish and Norwegian undervisning, regjering).
pub(super) fn english_shape(word: &str) -> bool {
    let n = word.len();
    (n >= 5 && word.ends_with("ing") && !word.ends_with("ning"))
        || (n >= 4 && (word.ends_with("ed") || word.ends_with("ly")))
        || word.ends_with("tion")
        || word.ends_with("tions")
        || has_th_or_wh(word)
}

/// `word.contains("th") || word.contains("wh")` as one walk over byte pairs: asked of every
/// Latin word a document's sample has, where building two substring searchers for a word of
/// a few letters cost more than the rest of its scan. An ASCII pair matches only at a
/// character boundary in UTF-8, so the answer is `contains`'s.
#[inline]
pub(super) fn has_th_or_wh(word: &str) -> bool {
    word.as_bytes()
        .windows(2)
        .any(|pair| pair[1] == b'h' && (pair[0] == b't' || pair[0] == b'w'))
}

/// A lowercased word whose only special letter is і that looks Kazakh: four letters or more, front
/// vowels е і only (Kazakh vowel harmony; и only before е і as in тиіс, у only after е as in біреу),
/// none of ь й щ ц ч, not ending in -ів or starting with вс- (Ukrainian днів, всіх). About two thirds
/// of such Kazakh words qualify, a few per cent of Ukrainian and Belarusian ones.
pub(super) fn front_i_word(word: &str) -> bool {
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
pub(super) fn front_i_words(text: &str) -> u32 {
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
pub(super) const RU_ENDINGS: [&str; 21] = [
    "ся", "сь", "ть", "ого", "его", "ому", "ему", "ая", "ую", "ый", "ий", "ые", "ие", "ых", "ли",
    "ло", "ами", "ями", "ют", "ят", "ешь",
];

/// Endings of Russian words (reflexive -ся, infinitive -ть, adjective and case endings, -ют, a final
/// soft sign) that Bulgarian words of five letters or more do not have; -ие, -ят, -ой are left out
/// (решение, говорят, никой are Bulgarian too).
pub(super) const RU_NOT_BG: [&str; 17] = [
    "ся", "сь", "ть", "ь", "ого", "его", "ому", "ый", "ую", "ых", "ешь", "ая", "ые", "ее", "ами",
    "ями", "ют",
];
/// Endings of Russian words that Ukrainian words of five letters or more do not have (Ukrainian has
/// -ся, -ть, -ого, -ому too).
pub(super) const RU_NOT_UK: [&str; 6] = ["ая", "ую", "ые", "ее", "ешь", "ой"];

/// Whether a word of five letters or more, all Cyrillic and none of them Kazakh, ends with one of
/// `endings` (lowercase).
pub(super) fn has_ending(text: &str, endings: &[&str]) -> bool {
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
