//! Normalization and enrichment: a raw record in, a validated [`Document`] (or a reject reason) out.
//! Applies `--set` and file-name fields, joins the source registry, parses the date in the
//! right zone, cleans the text, detects the language and computes the id and duplicate
//! fingerprint.

use xxhash_rust::xxh3::xxh3_64;

use crate::ingest::dates::parse_published;
use crate::ingest::record::{Fields, RawRecord, RejectReason};
use crate::ingest::subtitles::join_cues;
use crate::lang::{self, LangSet};
use crate::model::{Document, GivenLabels, TimedSpan, UNDETERMINED_LANG, UNKNOWN_CATEGORY};
use crate::registry::SourceRegistry;
use crate::timezone::{Published, Zone};

/// What normalization needs besides the record.
#[derive(Debug, Clone, Copy)]
pub struct NormalizeContext<'a> {
    /// Source registry for the outlet join.
    pub registry: &'a SourceRegistry,
    /// Zone of wall-clock times that name none (`--timezone`), unless the record or its
    /// outlet's registry entry gives one.
    pub zone: Zone,
    /// The index's display zone: documents' calendar days are days there.
    pub display_zone: Zone,
    /// Fields every record of this ingest gets when it lacks them (`--set FIELD=VALUE`).
    pub set: &'a Fields,
    /// Languages detection may answer with (`--languages`), unless the outlet's registry
    /// entry lists its own.
    pub languages: Option<&'a LangSet>,
    /// Reject undated records (`--require-date`) instead of indexing them without a date.
    pub require_date: bool,
}

/// A normalized document and what the summary reports about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The document.
    pub document: Document,
    /// False when the outlet is not in the registry (category `unknown`).
    pub outlet_known: bool,
    /// True when the record's declared language was kept over a different, unsure detection.
    pub declared_lang_kept: bool,
}

/// The labels a document gets from what the record gave and the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// Registry key, or the name as given when the outlet is not in the registry.
    pub outlet: String,
    /// The record's category, else the registry's, else `unknown`.
    pub category: String,
    /// The record's medium, else the registry's, else the format's, else `article`.
    pub medium: String,
    /// Whether the outlet is in the registry.
    pub known: bool,
}

/// Joins a record's own labels with the registry: the one rule used at ingest and by
/// `mediawatch relabel`.
pub fn labels(given: &GivenLabels, registry: &SourceRegistry) -> Labels {
    let registered = registry.lookup(&given.outlet);
    Labels {
        outlet: registered.map_or_else(|| given.outlet.clone(), |o| o.key.clone()),
        category: given
            .category
            .clone()
            .or_else(|| registered.map(|o| o.category.clone()))
            .unwrap_or_else(|| UNKNOWN_CATEGORY.to_string()),
        medium: given
            .medium
            .clone()
            .or_else(|| {
                registered
                    .map(|o| o.medium.to_lowercase())
                    .filter(|m| !m.is_empty())
            })
            .or_else(|| given.format_medium.clone())
            .unwrap_or_else(|| "article".to_string()),
        known: registered.is_some(),
    }
}

/// Validates and enriches one record read from `file`.
pub fn normalize(
    record: RawRecord,
    file: &str,
    ctx: NormalizeContext<'_>,
) -> Result<Normalized, RejectReason> {
    let mut fields = record.fields;
    // The record's own fields first, then --set, then what its file name suggests.
    fields.fill_from_ref(ctx.set);
    fields.fill_from(record.name_fields);
    let (text, cues) = if record.cues.is_empty() {
        (
            clean_text_owned(fields.text.take().ok_or(RejectReason::MissingText)?),
            Vec::new(),
        )
    } else {
        let mut cues = record.cues;
        for cue in &mut cues {
            cue.text = clean_inline(&cue.text);
        }
        cues.retain(|cue| !cue.text.is_empty());
        let (text, ranges) = join_cues(&cues);
        let spans = TimedSpan::from_cues(&cues, &ranges);
        (text, spans)
    };
    if !text.chars().any(char::is_alphanumeric) {
        return Err(RejectReason::EmptyText);
    }
    let given = GivenLabels {
        outlet: fields
            .outlet
            .as_deref()
            .map(clean_identifier)
            .filter(|o| !o.is_empty())
            .ok_or(RejectReason::MissingOutlet(record.kind))?,
        category: label(fields.category.as_deref()),
        medium: label(fields.medium.as_deref()),
        format_medium: record.format_medium.map(str::to_string),
    };
    let registered = ctx.registry.lookup(&given.outlet);
    let zone = match fields.timezone.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => {
            Zone::parse(name).map_err(|e| RejectReason::BadDate(e.to_string()))?
        }
        _ => registered.and_then(|o| o.timezone).unwrap_or(ctx.zone),
    };
    let published = match fields.published.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(raw) => {
            Some(parse_published(raw, zone).map_err(|e| RejectReason::BadDate(e.to_string()))?)
        }
        None if ctx.require_date => return Err(RejectReason::MissingDate),
        None => None,
    };
    let labels = labels(&given, ctx.registry);
    let title = fields
        .title
        .as_deref()
        .map(clean_inline)
        .unwrap_or_default();
    let url = fields
        .url
        .as_deref()
        .map(clean_identifier)
        .filter(|u| !u.is_empty());
    let id = match fields
        .id
        .as_deref()
        .map(clean_identifier)
        .filter(|i| !i.is_empty())
    {
        Some(id) => id,
        None => derived_id(url.as_deref(), published.as_ref(), &title, &text),
    };
    let allowed = registered
        .and_then(|o| o.language_set.as_ref())
        .or(ctx.languages);
    let detection = lang::detect_in(&text, allowed);
    let (lang, declared_lang_kept) = lang::settle(fields.lang.as_deref(), detection);
    let lang = lang.unwrap_or(UNDETERMINED_LANG);
    Ok(Normalized {
        document: Document {
            fingerprint: fingerprint(&text),
            day: published
                .and_then(|p| p.day_label(ctx.display_zone))
                .unwrap_or_default(),
            lang: lang.to_string(),
            lang_confidence: detection
                .filter(|d| d.lang == lang)
                .map_or(0.0, |d| d.confidence),
            lang_shares: if may_mix_languages(&text, detection) {
                lang::paragraph_shares_in(&text, allowed)
            } else {
                detection
                    .map(|d| {
                        vec![lang::LangShare {
                            lang: d.lang,
                            share: 1.0,
                        }]
                    })
                    .unwrap_or_default()
            },
            // A code others can compare (`ru-RU` → `ru`) when the value names a language.
            declared_lang: fields
                .lang
                .as_deref()
                .and_then(lang::normalize_code)
                .map(str::to_string)
                .or_else(|| label(fields.lang.as_deref())),
            source_file: file.to_string(),
            source_line: record.line,
            copy_of: None,
            published,
            id,
            outlet: labels.outlet,
            category: labels.category,
            medium: labels.medium,
            title,
            text,
            url,
            cues,
            given,
        },
        outlet_known: labels.known,
        declared_lang_kept,
    })
}

/// Confidence below which a Kazakh detection is checked paragraph by paragraph.
const CONFIDENT_KAZAKH: f64 = 0.9;

/// Whether a document may mix languages, so that per-paragraph detection (the costliest
/// part of enrichment) is worth running: it has several paragraphs and either mixes Latin
/// and Cyrillic letters, or has Kazakh-only letters without being confidently Kazakh.
fn may_mix_languages(text: &str, detection: Option<lang::Detection>) -> bool {
    if !text.contains("\n") {
        return false;
    }
    let (latin, cyrillic) = script_letters(text);
    let letters = (latin + cyrillic).max(1);
    if latin.min(cyrillic) * 20 > letters {
        return true;
    }
    let confident_kazakh =
        detection.is_some_and(|d| d.lang == "kk" && d.confidence >= CONFIDENT_KAZAKH);
    // Looked for only when it decides, and only up to the first one.
    !confident_kazakh && has_kazakh_letter(text)
}

/// ASCII letters and Cyrillic characters (U+0400–U+04FF) of `text`, counted from its UTF-8
/// bytes: every such Cyrillic character is two bytes with a lead byte 0xD0–0xD3, so no
/// character needs decoding. Counted by arithmetic on each byte in runs of 255 bytes with
/// one-byte counters (which a run cannot overflow), so that the compiler counts many bytes
/// at once: every document with paragraphs is counted whole.
fn script_letters(text: &str) -> (usize, usize) {
    let (mut latin, mut cyrillic) = (0usize, 0usize);
    for run in text.as_bytes().chunks(255) {
        let (mut l, mut c) = (0u8, 0u8);
        for &b in run {
            // `b | 0x20` folds A–Z onto a–z and moves no other byte into a–z.
            l += u8::from((b | 0x20).wrapping_sub(b'a') < 26);
            c += u8::from(b.wrapping_sub(0xd0) < 4);
        }
        latin += usize::from(l);
        cyrillic += usize::from(c);
    }
    (latin, cyrillic)
}

/// Whether `text` has a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і in either case), read from
/// its UTF-8 bytes. І and і are the only ones with lead bytes 0xD0 and 0xD1, which most
/// Cyrillic letters have: they are searched for as they are. The others have the leads 0xD2
/// and 0xD3, rare outside Kazakh text: each such lead found has its second byte looked up in
/// the lead's mask below (by its low six bits). Vector searches over the whole text instead
/// of a look at every pair of bytes (a lead byte is always followed by its second byte).
fn has_kazakh_letter(text: &str) -> bool {
    // For the lead bytes 0xD2 and 0xD3, the second bytes (low six bits) of ә ғ қ ң ө ұ ү һ in
    // either case.
    const KAZAKH: [u64; 2] = {
        let seconds: [&[u8]; 2] = [
            &[
                0x92, 0x93, 0x9a, 0x9b, 0xa2, 0xa3, 0xae, 0xaf, 0xb0, 0xb1, 0xba, 0xbb,
            ],
            &[0x98, 0x99, 0xa8, 0xa9],
        ];
        let mut masks = [0u64; 2];
        let mut i = 0;
        while i < 2 {
            let mut j = 0;
            while j < seconds[i].len() {
                masks[i] |= 1 << (seconds[i][j] & 0x3f);
                j += 1;
            }
            i += 1;
        }
        masks
    };
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, "і".as_bytes()).is_some()
        || memchr::memmem::find(bytes, "І".as_bytes()).is_some()
    {
        return true;
    }
    memchr::memchr2_iter(0xd2, 0xd3, bytes).any(|i| {
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        (KAZAKH[usize::from(bytes[i] & 1)] >> (next & 0x3f)) & 1 == 1
    })
}

/// Trimmed, lowercased label, or `None` when empty.
fn label(value: Option<&str>) -> Option<String> {
    value
        .map(|v| clean_identifier(v).to_lowercase())
        .filter(|v| !v.is_empty())
}

/// An identifier (outlet, id, label, URL): [`clean_inline`], and invisible format characters
/// (BOM, zero-width joiner and space, bidirectional controls such as U+202E) removed, so a
/// name never differs from its look-alike by something no one can see.
pub fn clean_identifier(value: &str) -> String {
    let mut out = clean_inline(value);
    out.retain(|c| !crate::escape::is_format_character(c));
    // A removed character may have stood between two spaces or at an end.
    if out.contains("  ") || out.starts_with(' ') || out.ends_with(' ') {
        out = clean_inline(&out);
    }
    out
}

/// The id of a record that has none: a hash of the url, else of published + title + text.
/// The outlet is left out (ids are unique within an outlet anyway: the upsert key is outlet +
/// id), so that an id does not change when a changed registry renames the outlet.
pub fn derived_id(
    url: Option<&str>,
    published: Option<&Published>,
    title: &str,
    text: &str,
) -> String {
    let key = match url {
        Some(url) => format!("url\u{1f}{url}"),
        None => {
            let published = published
                .map(|p| format!("{}/{}", p.at.to_rfc3339(), p.precision.name()))
                .unwrap_or_default();
            format!("{published}\u{1f}{title}\u{1f}{text}")
        }
    };
    format!("{:016x}", xxh3_64(key.as_bytes()))
}

/// Hash of a normalized text: equal for exact duplicates.
pub fn fingerprint(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// One-line text: control characters dropped, whitespace runs collapsed to one space, trimmed.
pub fn clean_inline(value: &str) -> String {
    if is_clean(value, false) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    for word in value
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// [`clean_text`] of an owned text, which most often is clean already and is then kept as
/// it is, without a copy.
pub fn clean_text_owned(value: String) -> String {
    if is_clean(&value, true) {
        value
    } else {
        clean_text(&value)
    }
}

/// Whether cleaning leaves `value` as it is (with `paragraphs`, [`clean_text`]'s rules, else
/// [`clean_inline`]'s), decided in one pass over the bytes: no control character but the
/// newlines paragraphs may have, no whitespace but single spaces between words, no space at a
/// line's start or end, no newline at the start or end, at most one blank line in a row.
/// A `false` for some text that cleaning would not change costs only the slow path.
fn is_clean(value: &str, paragraphs: bool) -> bool {
    // Per byte: a letter, digit, punctuation or continuation byte of a letter (0), a space
    // (1), or anything else (2: newlines, controls, lead bytes of odd spaces).
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            class[b] = match b as u8 {
                b' ' => 1,
                0..=0x1f | 0x7f | 0xc2 | 0xe1..=0xe3 => 2,
                _ => 0,
            };
            b += 1;
        }
        class
    };
    let bytes = value.as_bytes();
    // `prev` starts as a line start and `newlines` as if two were just seen, so that a
    // leading space or newline is unclean.
    let mut prev = b'\n';
    let mut newlines = 2;
    for (c, chunk) in bytes.chunks(CLEAN_CHUNK).enumerate() {
        // Most chunks of a clean text hold letters, punctuation and single spaces only: all
        // that can make one unclean is a space after a space, or at its start after a space
        // or newline. Such a chunk is passed over at once (the checks of a fixed-size chunk
        // compile to vector compares); any other goes byte by byte below.
        if let Ok(whole) = <&[u8; CLEAN_CHUNK]>::try_from(chunk) {
            if plain_chunk(whole) && !(whole[0] == b' ' && (prev == b' ' || prev == b'\n')) {
                prev = whole[CLEAN_CHUNK - 1];
                newlines = 0;
                continue;
            }
        }
        for (k, &b) in chunk.iter().enumerate() {
            let class = CLASS[usize::from(b)];
            // Most bytes are letters, digits, punctuation or continuation bytes, and one in
            // six or so a space between words, at no regular interval: both take this path,
            // the space tested without a branch of its own (one taken at random cost more
            // than the rest of the loop).
            if class < 2 {
                if (class == 1) & ((prev == b' ') | (prev == b'\n')) {
                    return false;
                }
                newlines = 0;
                prev = b;
                continue;
            }
            match b {
                b'\n' if paragraphs => {
                    if prev == b' ' || newlines >= 2 {
                        return false;
                    }
                    newlines += 1;
                }
                0..=0x1f | 0x7f => return false,
                0xc2 | 0xe1..=0xe3 if is_odd_space_or_control(&bytes[c * CLEAN_CHUNK + k..]) => {
                    return false
                }
                _ => newlines = 0,
            }
            prev = b;
        }
    }
    prev != b' ' && prev != b'\n'
}

/// Bytes [`is_clean`] looks at a chunk at a time.
const CLEAN_CHUNK: usize = 16;

/// Whether `chunk` has no byte of [`is_clean`]'s class 2 (controls, newlines, lead bytes of
/// odd spaces) and no two spaces in a row: then only its first byte, a space after a space
/// or newline, could make a text unclean.
#[inline]
fn plain_chunk(chunk: &[u8; CLEAN_CHUNK]) -> bool {
    let mut odd = false;
    for &b in chunk {
        odd |= (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b.wrapping_sub(0xe1) < 3);
    }
    // The spaces as the top bit of their bytes, exactly (no carry crosses a byte: the low
    // seven bits of each byte plus 0x7f stay within it), then a space whose next byte is one.
    const LOW: u128 = u128::from_le_bytes([0x7f; CLEAN_CHUNK]);
    let x = u128::from_le_bytes(*chunk) ^ u128::from_le_bytes([b' '; CLEAN_CHUNK]);
    let spaces = !(((x & LOW) + LOW) | x | LOW);
    !odd && spaces & (spaces >> 8) == 0
}

/// Whether the UTF-8 sequence at the start of `bytes` is a whitespace or control character
/// outside ASCII (U+0080–U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000).
fn is_odd_space_or_control(bytes: &[u8]) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    matches!(
        (at(0), at(1), at(2)),
        (0xc2, 0x80..=0xa0, _)
            | (0xe1, 0x9a, 0x80)
            | (0xe2, 0x81, 0x9f)
            | (0xe3, 0x80, 0x80)
            | (0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)
    )
}

/// Body text: control characters dropped (newlines kept), whitespace runs inside lines collapsed,
/// lines trimmed, runs of blank lines collapsed to one (paragraph breaks survive), trimmed.
pub fn clean_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut blank_pending = false;
    let unified = value.replace("\r\n", "\n");
    for line in unified.split(['\n', '\r']) {
        let line = clean_inline(line);
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::record::{Fields, RecordKind};

    #[test]
    fn odd_spaces_and_controls_are_told_by_their_bytes() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii())
        {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                is_odd_space_or_control(bytes),
                c.is_whitespace() || c.is_control(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn script_letters_count_as_characters_would() {
        let text: String = (0x20..0x600)
            .filter_map(char::from_u32)
            .chain("Тоқаев ӘҒҚҢӨҰҮҺІ әғқңөұүһі abc".chars())
            .collect();
        let (mut latin, mut cyrillic, mut kazakh) = (0, 0, 0);
        for c in text.chars() {
            if c.is_ascii_alphabetic() {
                latin += 1;
            } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
                cyrillic += 1;
                kazakh += usize::from("әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c));
            }
        }
        assert_eq!(script_letters(&text), (latin, cyrillic));
        assert_eq!(kazakh, 18 + 1 + 18);
        assert!(has_kazakh_letter(&text));
        // Longer than a run of 255 bytes, and every Cyrillic character but the Kazakh ones.
        let long = text.repeat(3);
        assert_eq!(script_letters(&long), (3 * latin, 3 * cyrillic));
        let without: String = text
            .chars()
            .filter(|c| !"әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(*c))
            .collect();
        assert!(!has_kazakh_letter(&without));
        for letter in "әғқңөұүһіӘҒҚҢӨҰҮҺІ".chars() {
            assert!(has_kazakh_letter(&format!("{without}{letter}")), "{letter}");
            assert!(has_kazakh_letter(&format!("{letter}{without}")), "{letter}");
        }
        assert!(!has_kazakh_letter(""));
    }

    proptest::proptest! {
        // A text taken as clean is one cleaning leaves unchanged, and cleaning's results are
        // taken as clean (so the fast path serves every text already cleaned once).
        #[test]
        fn clean_texts_are_recognized_exactly(
            text in "[a я\\n\\r\\t\u{0}\u{a0}\u{2028}\u{85}\u{3000}é.]{0,24}"
        ) {
            if is_clean(&text, true) {
                proptest::prop_assert_eq!(&clean_text(&text), &text);
            }
            if is_clean(&text, false) {
                proptest::prop_assert_eq!(&clean_inline(&text), &text);
            }
            let cleaned = clean_text(&text);
            if !cleaned.contains("  ") && !cleaned.contains(" \n") && !cleaned.ends_with(' ') && !cleaned.starts_with(' ') && !cleaned.contains("\n ") {
                proptest::prop_assert!(cleaned.is_empty() || is_clean(&cleaned, true), "{:?}", cleaned);
            }
            proptest::prop_assert_eq!(clean_text_owned(text.clone()), clean_text(&text));
        }
    }

    /// What `is_clean` answers, said as the rules it checks rather than as a walk: a
    /// non-empty text with no control character (but newlines, with `paragraphs`) and no odd
    /// space, no space or newline at either end, no two spaces, no space beside a newline,
    /// no three newlines in a row.
    fn is_clean_reference(value: &str, paragraphs: bool) -> bool {
        let bytes = value.as_bytes();
        let allowed = |(i, &b): (usize, &u8)| match b {
            b'\n' => paragraphs,
            0..=0x1f | 0x7f => false,
            0xc2 | 0xe1..=0xe3 => !is_odd_space_or_control(&bytes[i..]),
            _ => true,
        };
        !value.is_empty()
            && !value.starts_with([' ', '\n'])
            && !value.ends_with([' ', '\n'])
            && !["  ", " \n", "\n ", "\n\n\n"]
                .iter()
                .any(|p| value.contains(p))
            && bytes.iter().enumerate().all(allowed)
    }

    /// `is_clean` answers as its reference on `text`, with and without paragraphs.
    fn agrees_with_reference(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        for paragraphs in [false, true] {
            proptest::prop_assert_eq!(
                is_clean(text, paragraphs),
                is_clean_reference(text, paragraphs)
            );
        }
        Ok(())
    }

    proptest::proptest! {
        // Texts of spaces, newlines, controls, odd spaces and letters around them.
        #[test]
        fn is_clean_answers_as_the_reference(
            text in "[a я\n\r\t\u{0}\u{7f}\u{a0}\u{2028}\u{85}\u{3000}\u{1680}\u{202f}é.]{0,24}"
        ) {
            agrees_with_reference(&text)?;
        }

        // Longer texts, mostly words and single spaces: whole chunks passed over at once,
        // with spaces, newlines and odd bytes falling at and across chunk boundaries.
        #[test]
        fn is_clean_answers_as_the_reference_across_chunks(
            text in "([a-zа-я]{1,7}[ .,\n]|  |\n\n|\u{a0}|\u{2028}|«|—|\t){0,40}"
        ) {
            agrees_with_reference(&text)?;
        }
    }

    #[test]
    fn is_clean_answers_as_the_reference_on_the_bundled_corpus(
    ) -> Result<(), Box<dyn std::error::Error>> {
        // Real texts, most of them clean: every line of the bundled corpus's files, and
        // each with a second space and a blank line added.
        let mut seen = 0;
        let mut dirs = vec![std::path::PathBuf::from("corpus")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for path in files {
            // Not every file is UTF-8 (the corpus has legacy encodings): those are skipped.
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for line in text.lines() {
                for variant in [
                    line.to_string(),
                    line.replacen(' ', "  ", 1),
                    format!("{line}\n\n\n{line}"),
                ] {
                    for paragraphs in [false, true] {
                        assert_eq!(
                            is_clean(&variant, paragraphs),
                            is_clean_reference(&variant, paragraphs),
                            "{variant:?}"
                        );
                    }
                }
                seen += 1;
            }
        }
        assert!(seen > 100, "{seen}");
        Ok(())
    }

    const SOURCES: &str = "outlet,name,category,medium\nkhabar,Хабар,state,broadcast\n";

    fn record(fields: Fields) -> RawRecord {
        RawRecord {
            line: 3,
            fields,
            format_medium: None,
            cues: Vec::new(),
            raw: String::new(),
            name_fields: Fields::default(),
            kind: RecordKind::Structured,
        }
    }

    fn good_fields() -> Fields {
        Fields {
            outlet: Some("Хабар".into()),
            published: Some("2022-01-05T23:30:00Z".into()),
            text: Some("  Власти  ввели\r\n\r\n\r\nчрезвычайное\r\nположение.\u{0}".into()),
            ..Fields::default()
        }
    }

    fn run(fields: Fields) -> Result<Normalized, RejectReason> {
        run_with(fields, &Fields::default(), false)
    }

    fn run_with(
        fields: Fields,
        set: &Fields,
        require_date: bool,
    ) -> Result<Normalized, RejectReason> {
        normalize_with(record(fields), set, require_date)
    }

    /// Normalizes `rec` against SOURCES in UTC+6, with `--set` fields.
    fn normalize_with(
        rec: RawRecord,
        set: &Fields,
        require_date: bool,
    ) -> Result<Normalized, RejectReason> {
        let registry = SourceRegistry::from_csv(SOURCES.as_bytes()).unwrap();
        let kz = Zone::parse("+06:00").unwrap();
        let ctx = NormalizeContext {
            registry: &registry,
            zone: kz,
            display_zone: kz,
            set,
            languages: None,
            require_date,
        };
        normalize(rec, "f.jsonl", ctx)
    }

    #[test]
    fn joins_registry_and_cleans_text() {
        let n = run(good_fields()).unwrap();
        let doc = n.document;
        assert!(n.outlet_known);
        assert_eq!(doc.outlet, "khabar");
        assert_eq!(doc.category, "state");
        assert_eq!(doc.medium, "broadcast");
        // regression: CRLF inside a CSV field is one line break, not a paragraph break
        assert_eq!(doc.text, "Власти ввели\n\nчрезвычайное\nположение.");
        // 23:30 UTC is already the next day in UTC+6.
        assert_eq!(doc.day, "2022-01-06");
        assert_eq!(doc.source_line, 3);
        assert_eq!(doc.id.len(), 16);
    }

    #[test]
    fn record_category_overrides_registry_and_unknown_outlets_are_kept() {
        let mut fields = good_fields();
        fields.category = Some("Independent".into());
        assert_eq!(run(fields).unwrap().document.category, "independent");
        let mut fields = good_fields();
        fields.outlet = Some("Somewhere FM".into());
        let n = run(fields).unwrap();
        assert!(!n.outlet_known);
        assert_eq!(n.document.category, UNKNOWN_CATEGORY);
        assert_eq!(n.document.outlet, "Somewhere FM");
    }

    #[test]
    fn every_missing_piece_has_its_reason() {
        let mut f = good_fields();
        f.text = None;
        assert_eq!(run(f).unwrap_err(), RejectReason::MissingText);
        let mut f = good_fields();
        f.text = Some(" … !!! ".into());
        assert_eq!(run(f).unwrap_err(), RejectReason::EmptyText);
        let mut f = good_fields();
        f.outlet = Some("\u{7}".into());
        assert_eq!(
            run(f).unwrap_err(),
            RejectReason::MissingOutlet(RecordKind::Structured)
        );
        let mut f = good_fields();
        f.published = None;
        assert_eq!(
            run_with(f, &Fields::default(), true).unwrap_err(),
            RejectReason::MissingDate
        );
        let mut f = good_fields();
        f.published = Some("2022-02-30".into());
        assert_eq!(run(f).unwrap_err().code(), "bad_date");
    }

    #[test]
    fn mixed_kazakh_russian_documents_get_paragraph_shares() {
        let mut f = good_fields();
        f.text = Some(
            "Президент Тоқаев халыққа үндеу жасады. Елде төтенше жағдай енгізілді, тұрғындар үйде отыруы тиіс.\n\n\
             Президент обратился к народу. В стране введено чрезвычайное положение, жителей просят оставаться дома."
                .into(),
        );
        let shares = run(f).unwrap().document.lang_shares;
        let langs: Vec<&str> = shares.iter().map(|s| s.lang).collect();
        assert_eq!(langs.len(), 2, "{shares:?}");
        assert!(langs.contains(&"kk") && langs.contains(&"ru"), "{shares:?}");
        // A plain one-language document is not split.
        let plain = run(good_fields()).unwrap().document.lang_shares;
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].share, 1.0);
    }

    #[test]
    fn invisible_format_characters_leave_identifiers() {
        let mut f = good_fields();
        // A BOM from a concatenated CSV, a zero-width joiner and a right-to-left override.
        f.outlet = Some("\u{feff}Хаб\u{200d}ар\u{202e}".into());
        f.id = Some("a\u{200b}1".into());
        f.category = Some("\u{2066}State\u{2069}".into());
        let doc = run(f).unwrap().document;
        assert_eq!(doc.outlet, "khabar");
        assert_eq!(doc.id, "a1");
        assert_eq!(doc.category, "state");
        assert_eq!(clean_identifier("x \u{feff} y"), "x y");
    }

    #[test]
    fn undated_records_are_indexed_without_a_day() {
        let mut f = good_fields();
        f.published = Some("  ".into());
        let doc = run(f).unwrap().document;
        assert_eq!((doc.published, doc.day.as_str()), (None, ""));
        let mut month = good_fields();
        month.published = Some("2022-01".into());
        let doc = run(month).unwrap().document;
        assert_eq!(
            doc.published.map(|p| p.precision),
            Some(crate::timezone::DatePrecision::Month)
        );
        assert_eq!(doc.day, "", "a month is on no single day");
    }

    #[test]
    fn set_fields_fill_gaps_and_file_names_come_last() {
        let set = Fields {
            outlet: Some("Хабар".into()),
            category: Some("Independent".into()),
            timezone: Some("UTC".into()),
            ..Fields::default()
        };
        let mut f = good_fields();
        f.outlet = None;
        f.published = Some("2022-01-05 23:30".into());
        let mut rec = record(f);
        rec.name_fields.outlet = Some("from_name".into());
        let doc = normalize_with(rec, &set, false).unwrap().document;
        // --set beats the file name; the record's own fields beat --set (none here).
        assert_eq!(doc.outlet, "khabar");
        assert_eq!(doc.category, "independent");
        // 23:30 UTC (from --set timezone) is 05:30 the next day in the display zone.
        assert_eq!(doc.day, "2022-01-06");
        assert_eq!(doc.given.outlet, "Хабар");
    }

    #[test]
    fn the_record_zone_beats_the_registry_zone_which_beats_the_default() {
        let sources = "outlet,name,category,timezone\nkhabar,Хабар,state,Europe/Moscow\n";
        let registry = SourceRegistry::from_csv(sources.as_bytes()).unwrap();
        let kz = Zone::parse("+06:00").unwrap();
        let none = Fields::default();
        let ctx = NormalizeContext {
            registry: &registry,
            zone: kz,
            display_zone: Zone::parse("UTC").unwrap(),
            set: &none,
            languages: None,
            require_date: false,
        };
        let at = |fields: Fields| {
            let doc = normalize(record(fields), "f", ctx).unwrap().document;
            doc.published.unwrap().at.to_rfc3339()
        };
        let mut f = good_fields();
        f.published = Some("2022-01-05 12:00".into());
        assert_eq!(
            at(f.clone()),
            "2022-01-05T09:00:00+00:00",
            "Moscow is UTC+3"
        );
        f.timezone = Some("Asia/Almaty".into());
        assert_eq!(at(f.clone()), "2022-01-05T06:00:00+00:00");
        f.published = Some("2022-01-05T12:00:00Z".into());
        assert_eq!(at(f.clone()), "2022-01-05T12:00:00+00:00", "an offset wins");
        f.outlet = Some("Elsewhere".into());
        f.timezone = None;
        f.published = Some("2022-01-05 12:00".into());
        assert_eq!(at(f), "2022-01-05T06:00:00+00:00", "the default zone");
    }

    #[test]
    fn declared_language_is_kept_unless_detection_is_confident() {
        // A long Russian text declared Kazakh: detection is confident and wins.
        let mut f = good_fields();
        f.lang = Some("kk".into());
        f.text = Some("Власти ввели чрезвычайное положение в стране, жителей просят оставаться дома и не выходить на улицу без необходимости.".into());
        let n = run(f).unwrap();
        assert_eq!(
            (n.document.lang.as_str(), n.declared_lang_kept),
            ("ru", false)
        );
        assert_eq!(n.document.declared_lang.as_deref(), Some("kk"));
        // A short headline whose detection is unsure keeps its declared language.
        let mut f = good_fields();
        f.lang = Some("ru-RU".into());
        f.text = Some("Цены".into());
        let n = run(f).unwrap();
        assert_eq!(n.document.lang, "ru");
        assert_eq!(n.document.declared_lang.as_deref(), Some("ru"));
        // Nothing declared: the detection.
        let mut f = good_fields();
        f.text = Some("The government resigned on Wednesday after the protests.".into());
        assert_eq!(run(f).unwrap().document.lang, "en");
    }

    #[test]
    fn ids_hash_outlet_and_url_when_absent() {
        let mut a = good_fields();
        a.url = Some("https://x/1".into());
        let mut b = a.clone();
        b.text = Some("Другой текст".into());
        assert_eq!(run(a).unwrap().document.id, run(b).unwrap().document.id);
        let mut c = good_fields();
        c.id = Some(" 42 ".into());
        assert_eq!(run(c).unwrap().document.id, "42");
    }
}
