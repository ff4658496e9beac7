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
//! English-only word is `en`. A text longer than three windows of 400 bytes is detected from those
//! windows (start, middle, end, cut at spaces), so detecting a document costs the same at any
//! length; whatlang sees at most 1,200 bytes of that.

mod decide;
mod ngrams;
mod scan;
#[cfg(test)]
mod tests;
mod words;

use decide::{analyze, analyze_in, code};

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code ("kk", "ru", "en", "uk", ...), or ISO 639-3 where no 639-1 code exists.
    pub lang: &'static str,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// One language's share of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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

/// Detects the language of `text` among `allowed` only (all languages when `None`): a text
/// whose best reading is outside the set gets the likeliest language of the set in its
/// script, or `None` when the set has none in that script.
pub fn detect_in(text: &str, allowed: Option<&LangSet>) -> Option<Detection> {
    match allowed {
        None => analyze(text).0,
        Some(set) => analyze_in(text, set).0,
    }
}

/// A set of languages detection may answer with (`--languages kk,ru,en`, or an outlet's
/// `languages` in the registry).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LangSet {
    codes: Vec<&'static str>,
}

/// Codes of the languages detection knows besides whatlang's: Kazakh and Mongolian.
const EXTRA_CODES: [&str; 2] = ["kk", "mn"];

impl LangSet {
    /// Parses language codes or names (`kk`, `RU`, `rus`, `ru-RU`, `english`, `қазақ`); an
    /// unknown one is an error naming it.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<LangSet, String> {
        let mut codes = Vec::new();
        for value in values {
            for part in value.as_ref().split([',', '|']) {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let code = normalize_code(part).ok_or_else(|| {
                    format!("unknown language `{part}`; expected ISO 639 codes like kk, ru, en")
                })?;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        if codes.is_empty() {
            return Err("no language given; expected ISO 639 codes like kk,ru,en".to_string());
        }
        codes.sort_unstable();
        Ok(LangSet { codes })
    }

    /// True when `code` is in the set.
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }

    /// The codes, sorted.
    pub fn codes(&self) -> &[&'static str] {
        &self.codes
    }
}

/// The ISO 639-1 code (or whatlang's 639-3 code where there is none) of a language code or
/// name as records and registries write it: `ru`, `RU`, `ru-RU`, `ru_RU`, `rus`, `russian`,
/// `русский`, `kaz`, `kazakh`, `қазақша`. `None` when it names no known language.
pub fn normalize_code(value: &str) -> Option<&'static str> {
    let lower = value.trim().to_lowercase();
    let base = lower.split(['-', '_']).next().unwrap_or("");
    if let Some(code) = EXTRA_CODES.iter().find(|c| **c == base) {
        return Some(code);
    }
    match base {
        "kaz" | "kazakh" | "қазақ" | "қазақша" | "казахский" => {
            return Some("kk")
        }
        "mon" | "khk" | "mongolian" | "монгол" => return Some("mn"),
        "russian" | "русский" | "орысша" => return Some("ru"),
        "english" | "английский" | "ағылшынша" => return Some("en"),
        "ukrainian" | "українська" => return Some("uk"),
        _ => {}
    }
    whatlang::Lang::all().iter().find_map(|&lang| {
        let two = code(lang);
        (two == base || lang.code() == base || lang.eng_name().eq_ignore_ascii_case(base))
            .then_some(two)
    })
}

/// Confidence from which detection overrules the language a record declares.
pub const CONFIDENT: f64 = 0.5;

/// The language to store for a document: the declared one (normalized) when detection agrees,
/// is unsure (below [`CONFIDENT`]) or cannot tell; the detected one otherwise, or when nothing
/// was declared. Returns the code and whether a declared language was kept over a different,
/// unsure detection.
pub fn settle(declared: Option<&str>, detected: Option<Detection>) -> (Option<&'static str>, bool) {
    let declared = declared.and_then(normalize_code);
    match (declared, detected) {
        (None, d) => (d.map(|d| d.lang), false),
        (Some(code), None) => (Some(code), false),
        (Some(code), Some(d)) if d.lang == code => (Some(code), false),
        (Some(_), Some(d)) if d.confidence >= CONFIDENT => (Some(d.lang), false),
        (Some(code), Some(_)) => (Some(code), true),
    }
}

/// Per-language shares of a document, by paragraph (paragraphs = blocks separated by blank lines; if the
/// text has no blank lines, by non-empty line), each paragraph weighted by its number of letters;
/// paragraphs where detection says None are ignored. Sorted by share descending, ties by lang code.
/// Shares sum to 1 (or the vec is empty).
pub fn paragraph_shares(text: &str) -> Vec<LangShare> {
    paragraph_shares_in(text, None)
}

/// [`paragraph_shares`] with each paragraph detected among `allowed` only (see [`detect_in`]).
pub fn paragraph_shares_in(text: &str, allowed: Option<&LangSet>) -> Vec<LangShare> {
    let mut acc: Vec<(&'static str, u64)> = Vec::new();
    let mut total: u64 = 0;
    for para in paragraphs(text) {
        let (det, letters) = match allowed {
            None => analyze(para),
            Some(set) => analyze_in(para, set),
        };
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
