//! The decision: [`Stats`] of a text in, a [`Detection`] out (Kazakh and Mongolian by the
//! evidence counted, the Slavic languages by their alphabets and function words, English by
//! its function words, anything else through whatlang), and whatlang's languages as codes.

use whatlang::{Detector, Lang};

use super::scan::{
    front_i_words, has_ending, scan, Letters, Stats, MIN_LETTERS, RU_NOT_BG, RU_NOT_UK,
};
use super::{Detection, LangSet};

pub(super) fn analyze(text: &str) -> (Option<Detection>, u32) {
    decide(
        text,
        detect_cyrillic,
        |text: &str, s: &Stats| match english_confidence(s) {
            Some(confidence) => Some(Detection {
                lang: "en",
                confidence,
            }),
            None => detect_whatlang(text, s),
        },
    )
}

/// The sampled text scanned once, too short a text answered with none, else the text
/// decided by `cyrillic` when Cyrillic letters lead and by `other` otherwise.
fn decide(
    text: &str,
    cyrillic: impl Fn(&str, &Stats) -> Option<Detection>,
    other: impl Fn(&str, &Stats) -> Option<Detection>,
) -> (Option<Detection>, u32) {
    let sampled = detection_sample(text);
    let text: &str = &sampled;
    let s = scan(text);
    if s.letters < MIN_LETTERS {
        return (None, s.letters);
    }
    let det = if s.cyr >= s.latin && s.cyr >= s.other {
        cyrillic(text, &s)
    } else {
        other(text, &s)
    };
    (det, s.letters)
}

/// Languages written in Cyrillic that detection can answer with.
const CYRILLIC_CODES: [&str; 8] = ["kk", "ru", "uk", "be", "bg", "sr", "mk", "mn"];

/// [`analyze`] restricted to `allowed`: the unrestricted reading when it is allowed, else the
/// likeliest allowed language of the text's script.
pub(super) fn analyze_in(text: &str, allowed: &LangSet) -> (Option<Detection>, u32) {
    decide(
        text,
        |text: &str, s: &Stats| cyrillic_in(text, s, allowed),
        |text: &str, s: &Stats| latin_in(text, s, allowed),
    )
}

/// Words up to which a text whose Cyrillic choices are Kazakh and Russian is decided by its
/// letters and, failing those, its letter sequences ([`super::ngrams`]).
const SHORT_WORDS: u32 = 8;

fn cyrillic_in(text: &str, s: &Stats, allowed: &LangSet) -> Option<Detection> {
    let choices: Vec<&str> = CYRILLIC_CODES
        .iter()
        .copied()
        .filter(|c| allowed.contains(c))
        .collect();
    if choices == ["kk", "ru"] && s.words <= SHORT_WORDS {
        return Some(kazakh_or_russian(text, s));
    }
    let unrestricted = detect_cyrillic(text, s);
    if let Some(d) = unrestricted.filter(|d| allowed.contains(d.lang)) {
        return Some(d);
    }
    let candidates: Vec<&'static str> = CYRILLIC_CODES
        .iter()
        .copied()
        .filter(|c| allowed.contains(c))
        .collect();
    let pick = |lang: &'static str| {
        Some(Detection {
            lang,
            confidence: unrestricted.map_or(0.3, |d| d.confidence * 0.5),
        })
    };
    match candidates.as_slice() {
        [] => None,
        [only] => pick(only),
        _ => {
            // Another Cyrillic language was the best reading, and it is ruled out. Kazakh
            // letters or words (і and ө ү ә ң, which Ukrainian, Belarusian and Mongolian
            // share with Kazakh) outweighing Slavic evidence then say Kazakh; otherwise
            // Russian, the language of the region's other Cyrillic texts; whatlang chooses
            // among any others.
            let kazakh = s.w_core + s.w_i_turkic + s.w_turkic + s.w_i + s.fw_kk + s.w_plain_kk;
            let slavic = s.fw_slav + s.w_ru_end + s.all.uk_only + s.all.be_u + s.apos;
            if candidates.contains(&"kk") && kazakh > slavic {
                return pick("kk");
            }
            if candidates.contains(&"ru") {
                return pick("ru");
            }
            let langs: Vec<Lang> = Lang::all()
                .iter()
                .copied()
                .filter(|l| candidates.contains(&code(*l)))
                .collect();
            match Detector::with_allowlist(langs).detect(&sample(text)) {
                Some(info) => pick(code(info.lang())),
                None => pick(candidates[0]),
            }
        }
    }
}

/// Kazakh or Russian for a short text when nothing else is possible: a word with a letter
/// only Kazakh has (і ғ қ ң ө ұ ү һ ә; here no Ukrainian, Tatar or Mongolian can have it)
/// says Kazakh unless Russian words outnumber such words; otherwise the trigram model.
fn kazakh_or_russian(text: &str, s: &Stats) -> Detection {
    let kazakh_letters = s.w_core + s.w_i_turkic + s.w_i + s.w_turkic;
    let russian = s.fw_ru + s.w_ru_end;
    let (lang, margin) = if kazakh_letters > 0 && kazakh_letters >= russian {
        ("kk", 2.0 * f64::from(kazakh_letters - russian + 1))
    } else {
        let score = super::ngrams::kazakh_over_russian(text);
        if score > 0.0 {
            ("kk", score)
        } else {
            ("ru", -score)
        }
    };
    Detection {
        lang,
        confidence: margin / (margin + 2.0) * length_factor(s.letters),
    }
}

fn latin_in(text: &str, s: &Stats, allowed: &LangSet) -> Option<Detection> {
    if allowed.contains("en") {
        if let Some(confidence) = english_confidence(s) {
            return Some(Detection {
                lang: "en",
                confidence,
            });
        }
    }
    let langs: Vec<Lang> = Lang::all()
        .iter()
        .copied()
        .filter(|l| {
            let c = code(*l);
            allowed.contains(c) && !CYRILLIC_CODES.contains(&c)
        })
        .collect();
    match langs.as_slice() {
        [] => None,
        [only] => Some(Detection {
            lang: code(*only),
            confidence: 0.5 * length_factor(s.letters),
        }),
        _ => {
            let info = Detector::with_allowlist(langs).detect(&sample(text))?;
            Some(Detection {
                lang: code(info.lang()),
                confidence: info.confidence().clamp(0.0, 1.0) * length_factor(s.letters),
            })
        }
    }
}

/// Confidence factor for short texts: 0.5 at a few letters, 1.0 from ~60 letters on.
pub(super) fn length_factor(letters: u32) -> f64 {
    (0.5 + f64::from(letters) / 120.0).min(1.0)
}

pub(super) const SLAVIC: [Lang; 6] = [
    Lang::Rus,
    Lang::Ukr,
    Lang::Bel,
    Lang::Bul,
    Lang::Srp,
    Lang::Mkd,
];

/// Letters of the text that `lang`'s alphabet lacks.
pub(super) fn impossible_letters(s: &Stats, lang: Lang) -> u32 {
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
        Lang::Srp => not_serbian_or_macedonian(l) + l.mk_only,
        Lang::Mkd => not_serbian_or_macedonian(l) + l.sr_only,
        _ => u32::MAX,
    }
}

/// Letters neither Serbian nor Macedonian write (each lacks the other's own letters too).
fn not_serbian_or_macedonian(l: &Letters) -> u32 {
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
}

pub(super) fn slavic_words(s: &Stats, lang: Lang) -> u32 {
    match lang {
        Lang::Rus => s.fw_ru,
        Lang::Ukr => s.fw_uk,
        Lang::Bel => s.fw_be,
        Lang::Bul => s.fw_bg,
        _ => 0,
    }
}

pub(super) fn detect_cyrillic(text: &str, s: &Stats) -> Option<Detection> {
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
pub(super) const SLAVIC_WEIGHT: f64 = 1.5;
/// Same for Mongolian evidence (function words, words with э or doubled vowels: ~50 % of words).
pub(super) const MONGOLIAN_WEIGHT: f64 = 2.0;
/// Same for Tatar/Kyrgyz function words and letters of other Turkic alphabets.
pub(super) const OTHER_TURKIC_WEIGHT: f64 = 3.0;

/// Kazakh: returns a confidence when the text is Kazakh.
///
/// Kazakh evidence is counted in words. Anchors (needed: at least one) are words with ғ қ ұ, words
/// with і plus one of ә ң ө ү һ, Kazakh function words, and - when nothing says the text is Slavic,
/// Mongolian, Tatar or Kyrgyz - words with ә ң ө ү һ or і that the other letters of the text make
/// Kazakh (vowel harmony; ы and и; т д before soft vowels). The evidence must then outweigh the evidence for the other languages, each scaled by how
/// much evidence a text in that language typically gives, so the majority language of a mixed text
/// wins.
pub(super) fn kazakh_confidence(text: &str, s: &Stats) -> Option<f64> {
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
pub(super) fn mongolian_confidence(s: &Stats) -> Option<f64> {
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
pub(super) fn english_confidence(s: &Stats) -> Option<f64> {
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
pub(super) const SAMPLE_BYTES: usize = 1200;
/// Window size when sampling.
pub(super) const WINDOW_BYTES: usize = 400;

pub(super) fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Bytes of each of the three windows a long text is detected from.
pub(super) const DETECT_WINDOW_BYTES: usize = 400;

/// What detection looks at: the whole text up to three windows' worth, else three windows of
/// it (start, middle, end), each cut at spaces so no word is split, joined by newlines. The
/// counts are ratios (a verdict needs evidence per word, confidence saturates at ~60
/// letters), so the hundred-odd words of the windows decide as the whole text does (the
/// same verdicts on the bundled and a generated 100k-document corpus), and the cost per document
/// is bounded; a language that fills the text fills the windows, and a mixed text's majority
/// is the windows' majority (per-paragraph shares still look at every paragraph).
pub(super) fn detection_sample(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= 3 * DETECT_WINDOW_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let at_space = |i: usize| -> usize {
        // The first whitespace at or after byte `i` (or the end).
        let i = floor_boundary(text, i);
        text[i..]
            .find(char::is_whitespace)
            .map_or(text.len(), |k| i + k)
    };
    let mut out = String::with_capacity(3 * DETECT_WINDOW_BYTES + 64);
    let mut last_end = 0;
    for start in [
        0,
        text.len() / 2 - DETECT_WINDOW_BYTES / 2,
        text.len() - DETECT_WINDOW_BYTES,
    ] {
        let a = if start == 0 { 0 } else { at_space(start) }.max(last_end);
        let b = at_space(start + DETECT_WINDOW_BYTES).max(a);
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text[a..b]);
        last_end = b;
    }
    std::borrow::Cow::Owned(out)
}

/// A bounded sample of `text` for whatlang: the whole text if short, else three windows (start, middle,
/// end) cut at char boundaries.
pub(super) fn sample(text: &str) -> std::borrow::Cow<'_, str> {
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

pub(super) fn detect_whatlang(text: &str, s: &Stats) -> Option<Detection> {
    let sample = sample(text);
    let info = Detector::new().detect(&sample)?;
    let conf = info.confidence().clamp(0.0, 1.0);
    // whatlang's unsure call on a plain-ASCII text with an English word (one shared with other
    // languages, like a, in, to, counts too) and no word of another language is mostly
    // English it misread: technical English and short lines give it few trigrams to tell by,
    // while the languages it then names mostly write letters outside ASCII.
    if info.lang() != Lang::Eng
        && conf < WHATLANG_SURE
        && s.fw_en + s.fw_en_weak + s.w_en_shape > 0
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
pub(super) const WHATLANG_SURE: f64 = 0.5;

/// ISO 639-1 code of a whatlang language, or its ISO 639-3 code where there is no 639-1 code.
pub(super) fn code(lang: Lang) -> &'static str {
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
