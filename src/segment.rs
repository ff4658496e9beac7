//! Word segmentation: the words of a text with their byte offsets, as the Unicode word
//! boundary rules (UAX #29) define them, keeping only words that contain a letter or digit.
//!
//! Texts in the scripts mediawatch studies (Cyrillic, Latin, digits, common punctuation)
//! use a handful of the rules' character classes, and for those a direct scan applies the
//! rules that can fire (letters and digits join; `'`, `.`, `:` and `’` join letters;
//! `.`, `,`, `;` and `'` join digits; `_` joins anything). A text holding any other
//! character (combining marks, soft hyphens, other scripts, emoji) goes through the
//! `unicode-segmentation` crate instead, so results are always those of the full rules;
//! a property test checks the two paths against each other.

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

/// The word-boundary class of a character the direct scan understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ALetter.
    Letter,
    /// Numeric.
    Digit,
    /// ExtendNumLet (`_`): joins letters and digits on both sides.
    Connector,
    /// MidLetter (`:`, `·`): joins two letters.
    MidLetter,
    /// MidNumLet (`.`, `’`): joins two letters or two digits.
    MidNumLet,
    /// Single_Quote (`'`): joins two letters or two digits.
    SingleQuote,
    /// MidNum (`,`, `;`): joins two digits.
    MidNum,
    /// Anything else the scan knows: always a boundary.
    Other,
}

impl Class {
    /// Letters, digits and connectors, which join each other.
    fn in_word(self) -> bool {
        matches!(self, Class::Letter | Class::Digit | Class::Connector)
    }
}

/// The class of `c`, or `None` if the direct scan does not cover it.
const fn class_of(c: char) -> Option<Class> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Class::Letter,
        '0'..='9' => Class::Digit,
        '_' => Class::Connector,
        ':' => Class::MidLetter,
        '.' => Class::MidNumLet,
        '\'' => Class::SingleQuote,
        ',' | ';' => Class::MidNum,
        '\0'..='\u{7f}' => Class::Other,
        // Latin-1: letters, and the punctuation and symbols news text uses.
        '\u{aa}' | '\u{b5}' | '\u{ba}' => Class::Letter,
        '\u{b7}' => Class::MidLetter,
        '\u{a0}' | '\u{a7}' | '\u{a9}' | '\u{ab}' | '\u{ae}' | '\u{b0}' | '\u{b1}' | '\u{bb}'
        | '\u{d7}' | '\u{f7}' => Class::Other,
        '\u{c0}'..='\u{ff}' => Class::Letter,
        // Latin Extended-A and -B.
        '\u{100}'..='\u{24f}' => Class::Letter,
        // Cyrillic and Cyrillic Supplement, without the combining marks and ҂.
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => Class::Letter,
        '\u{2018}' | '\u{2019}' | '\u{2024}' => Class::MidNumLet,
        '\u{2010}'..='\u{2017}'
        | '\u{201a}'..='\u{201f}'
        | '\u{2020}'..='\u{2023}'
        | '\u{2026}'
        | '\u{2030}'
        | '\u{2039}'
        | '\u{203a}'
        | '\u{20ac}'
        | '\u{20b8}'
        | '\u{2116}' => Class::Other,
        _ => return None,
    })
}

/// Characters below this are one or two UTF-8 bytes, and their classes are looked up.
const TABLED: usize = 0x800;

/// [`class_of`] of every character below [`TABLED`]: the scan's characters are almost all
/// there (Latin, Cyrillic, ASCII punctuation), and a lookup is cheaper than the match.
static CLASSES: [Option<Class>; TABLED] = {
    let mut table = [None; TABLED];
    let mut c = 0;
    while c < TABLED {
        table[c] = match char::from_u32(c as u32) {
            Some(c) => class_of(c),
            None => None,
        };
        c += 1;
    }
    table
};

/// The words of `text` with their byte offsets (see the module docs).
pub fn words(text: &str) -> Words<'_> {
    Words::Scan { text, pos: 0 }
}

/// Iterator over the words of a text: `(byte offset, word)`.
pub enum Words<'a> {
    /// The direct scan.
    Scan {
        /// The text.
        text: &'a str,
        /// Where the scan resumes.
        pos: usize,
    },
    /// The full rules, from byte `offset` of the text on.
    Unicode {
        /// Words of the rest of the text.
        words: UnicodeWordIndices<'a>,
        /// Where the rest starts in the text.
        offset: usize,
    },
}

/// The class (`None` if the scan does not cover it) and UTF-8 length of the character
/// at byte `pos` of `bytes` (valid UTF-8, `pos` on a character boundary); `None` at the end.
#[inline(always)]
fn at(bytes: &[u8], pos: usize) -> Option<(Option<Class>, usize)> {
    let lead = *bytes.get(pos)?;
    let (c, len) = match lead {
        0..=0x7f => return Some((CLASSES[usize::from(lead)], 1)),
        0xc0..=0xdf => {
            let c = usize::from(lead & 0x1f) << 6 | usize::from(bytes[pos + 1] & 0x3f);
            return Some((CLASSES[c], 2));
        }
        0xe0..=0xef => (
            u32::from(lead & 0x0f) << 12
                | u32::from(bytes[pos + 1] & 0x3f) << 6
                | u32::from(bytes[pos + 2] & 0x3f),
            3,
        ),
        _ => (
            u32::from(lead & 0x07) << 18
                | u32::from(bytes[pos + 1] & 0x3f) << 12
                | u32::from(bytes[pos + 2] & 0x3f) << 6
                | u32::from(bytes[pos + 3] & 0x3f),
            4,
        ),
    };
    Some((char::from_u32(c).and_then(class_of), len))
}

/// What the scan found next.
enum Step<'a> {
    Word(usize, &'a str),
    End,
    /// A character the scan does not cover, in the word starting at (or the gap at) this
    /// byte offset: the full rules take over from there.
    Uncovered(usize),
}

/// Scans for the next word from `*pos`, the position just after a boundary.
fn scan<'a>(text: &'a str, pos: &mut usize) -> Step<'a> {
    let bytes = text.as_bytes();
    // The gap before the next word starts at a boundary; restarting the full rules there
    // (not at the uncovered character) keeps marks that attach backwards (WB4) right.
    let gap = *pos;
    loop {
        let Some((class, len)) = at(bytes, *pos) else {
            return Step::End;
        };
        let Some(class) = class else {
            return Step::Uncovered(gap);
        };
        if !class.in_word() {
            *pos += len;
            continue;
        }
        let start = *pos;
        let mut end = start + len;
        let mut last = class;
        let mut alphanumeric = class != Class::Connector;
        while let Some((next, next_len)) = at(bytes, end) {
            let Some(next) = next else {
                return Step::Uncovered(start);
            };
            if next.in_word() {
                end += next_len;
                last = next;
                alphanumeric |= next != Class::Connector;
                continue;
            }
            let Some((after, after_len)) = at(bytes, end + next_len) else {
                break;
            };
            let Some(after) = after else {
                return Step::Uncovered(start);
            };
            let joins = matches!(
                (last, next, after),
                (
                    Class::Letter,
                    Class::MidLetter | Class::MidNumLet | Class::SingleQuote,
                    Class::Letter
                ) | (
                    Class::Digit,
                    Class::MidNum | Class::MidNumLet | Class::SingleQuote,
                    Class::Digit
                )
            );
            if !joins {
                break;
            }
            end += next_len + after_len;
            last = after;
        }
        *pos = end;
        if alphanumeric {
            return Step::Word(start, &text[start..end]);
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let (text, pos) = match self {
            Words::Unicode { words, offset } => {
                return words.next().map(|(at, word)| (at + *offset, word));
            }
            Words::Scan { text, pos } => (*text, pos),
        };
        match scan(text, pos) {
            Step::Word(start, word) => Some((start, word)),
            Step::End => None,
            Step::Uncovered(from) => {
                // `from` is a word start or the start of the gap after a word: a boundary
                // the rules' look-behind (a letter or digit before a joining mark) cannot
                // see past.
                *self = Words::Unicode {
                    words: text[from..].unicode_word_indices(),
                    offset: from,
                };
                self.next()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scanned(text: &str) -> Vec<(usize, &str)> {
        words(text).collect()
    }

    #[test]
    fn news_text_words() {
        assert_eq!(
            scanned("В 2022-м году Nur-Sultan: «don't» 3,5% U.S. Тоқаевтың_сөзі…"),
            [
                (0, "В"),
                (3, "2022"),
                (8, "м"),
                (11, "году"),
                (20, "Nur"),
                (24, "Sultan"),
                (34, "don't"),
                (42, "3,5"),
                (47, "U.S"),
                (52, "Тоқаевтың_сөзі"),
            ]
        );
    }

    #[test]
    fn the_table_holds_the_class_of_every_tabled_character() {
        for c in (0..TABLED as u32).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let encoded = c.encode_utf8(&mut buf);
            assert_eq!(
                at(encoded.as_bytes(), 0),
                Some((class_of(c), encoded.len())),
                "{c:?}"
            );
        }
        // Past the table: decoded and matched.
        assert_eq!(at("’".as_bytes(), 0), Some((Some(Class::MidNumLet), 3)));
        assert_eq!(at("日".as_bytes(), 0), Some((None, 3)));
    }

    #[test]
    fn uncovered_characters_take_the_full_rules() {
        // A soft hyphen (ignored inside words) and a combining accent.
        for text in ["co\u{ad}operate now", "приве\u{301}т мир", "日本語 text"] {
            let expected: Vec<_> = text.unicode_word_indices().collect();
            assert_eq!(scanned(text), expected);
        }
    }

    fn alphabet() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "Z", "é", "ß", "ı", "ж", "Ё", "қ", "і", "ә", "7", "0", "_", ":", ".", "'", ",",
            ";", "·", "’", "‘", "·", " ", "\n", "\r\n", "-", "—", "«", "»", "\"", "…", "№", "ª",
            "µ", "\u{a0}", "!", "?", "(", "$", "€", "₸", "×",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    fn mixed() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "ж", "і", "7", "_", ":", ".", "'", ",", " ", "-", "\u{301}", "\u{ad}", "\u{200d}",
            "日", "🇰", "🇿", "😀", "\u{5d0}", "\"", "\u{483}", "Ω",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn scan_agrees_with_the_full_rules(text in alphabet()) {
            let expected: Vec<_> = text.unicode_word_indices().collect();
            prop_assert_eq!(scanned(&text), expected);
        }

        #[test]
        fn texts_with_uncovered_characters_agree(text in mixed()) {
            let expected: Vec<_> = text.unicode_word_indices().collect();
            prop_assert_eq!(scanned(&text), expected);
        }

        #[test]
        fn any_text_agrees_with_the_full_rules(text in "\\PC{0,30}") {
            let expected: Vec<_> = text.unicode_word_indices().collect();
            prop_assert_eq!(scanned(&text), expected);
        }
    }
}
