//! Kazakh morphology: a lowercased word in, its stem out.
//!
//! Kazakh is agglutinative: a word is a stem followed by suffixes in a fixed order
//! (noun: plural, possessive, case; verb: voice, negation, tense or participle, person), and
//! each suffix has allomorphs chosen by two rules:
//!
//! - **vowel harmony**: a suffix takes a back vowel (а ы) after a stem whose last vowel is
//!   back (а о ұ ы), a front one (е і) after a front vowel (ә е ө ү і);
//! - **consonant assimilation**: its first consonant depends on the sound it follows — the
//!   plural is -лар after vowels and р у й, -дар after л м н ң з ж, -тар after voiceless
//!   consonants; the genitive -ның after vowels and м н ң, -дың after р у й л з ж, -тың after
//!   voiceless ones; dative -ға/-қа, locative -да/-та, ablative -дан/-нан/-тан, instrumental
//!   -мен/-бен/-пен, past -ды/-ты, participle -ған/-қан likewise.
//!
//! [`stem`] strips suffixes from the end, one at a time, accepting an allomorph only where
//! both rules allow it after what would remain, and never leaving a stem without a vowel or
//! shorter than two letters (three when the only evidence is a one-letter suffix at the end
//! of the word). A few suffixes that also end many roots (negation -ма, passive -ыл, verbal
//! noun -у) are only taken when another suffix followed them. After a vowel-initial suffix,
//! the stem's voiced final consonant returns to its dictionary form (аяғы → аяқ, себебі →
//! себеп), and a dropped vowel returns (орны → орын, аузы → ауыз). A small lexicon of stems
//! that look inflected but are not (алма "apple" is not ал + negation) stops the stripping.

/// Vowel harmony class of a suffix or of a stem's last vowel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Harmony {
    Back,
    Front,
    /// No vowel, or one that takes either (и, у, ю).
    Any,
}

fn vowel_harmony(c: char) -> Option<Harmony> {
    match c {
        'а' | 'о' | 'ұ' | 'ы' | 'я' => Some(Harmony::Back),
        'ә' | 'е' | 'ө' | 'ү' | 'і' | 'э' => Some(Harmony::Front),
        'и' | 'у' | 'ю' | 'ё' => Some(Harmony::Any),
        _ => None,
    }
}

fn is_vowel(c: char) -> bool {
    vowel_harmony(c).is_some()
}

/// Harmony of the last vowel of `stem` (`Any` when it has none or ends in a neutral vowel).
/// A Russian surname's -ов/-ев does not count: Тоқаевтың takes the harmony of Тоқа-.
fn stem_harmony(stem: &str) -> Harmony {
    let stem = match stem.strip_suffix("ев").or_else(|| stem.strip_suffix("ов")) {
        Some(root) if root.chars().count() >= 3 => root,
        _ => stem,
    };
    stem.chars()
        .rev()
        .find_map(vowel_harmony)
        .unwrap_or(Harmony::Any)
}

/// Harmony of a suffix (its first vowel).
fn suffix_harmony(suffix: &str) -> Harmony {
    suffix
        .chars()
        .find_map(vowel_harmony)
        .unwrap_or(Harmony::Any)
}

/// What a stem ends in, as far as consonant assimilation is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Final {
    Vowel,
    /// р у й
    Glide,
    /// л
    L,
    /// м н ң
    Nasal,
    /// з ж
    Voiced,
    /// Voiceless consonants, and б в г д ғ (which devoice before a suffix).
    Voiceless,
}

fn final_of(stem: &str) -> Option<Final> {
    let last = stem.chars().next_back()?;
    Some(match last {
        'р' | 'у' | 'й' => Final::Glide,
        'л' => Final::L,
        'м' | 'н' | 'ң' => Final::Nasal,
        'з' | 'ж' => Final::Voiced,
        c if is_vowel(c) => Final::Vowel,
        _ => Final::Voiceless,
    })
}

/// Suffix families: which first letter each allomorph has after each kind of stem ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Plural -лар/-дар/-тар.
    Plural,
    /// Genitive -ның/-дың/-тың.
    Genitive,
    /// Accusative -ны/-ды/-ты.
    Accusative,
    /// Voiced after vowels and voiced sounds, voiceless after voiceless: dative -ға/-қа,
    /// locative -да/-та, past -ды/-ты, participle -ған/-қан, similative -дай/-тай.
    Voicing,
    /// Ablative -дан/-нан/-тан.
    Ablative,
    /// Instrumental -мен/-бен/-пен, negation -ма/-ба/-па, future -мақ/-бақ/-пақ, person
    /// -мын/-бын/-пын.
    Labial,
    /// Begins with a vowel: only after a consonant (-ы, -ым, -ып, -ып, -ыл).
    AfterConsonant,
    /// Only after a vowel (-сы, -п, -й, -л, -у).
    AfterVowel,
    /// The n-forms after a third-person possessive (-н, -на, -нда, -нан, -ндағы): only after ы/і.
    AfterPossessive,
    /// Harmony only (person endings -сың, -сыз, conditional -са, optative -сын).
    Free,
}

impl Family {
    /// The first letter a suffix of the plural, genitive, accusative or ablative family
    /// takes after a stem ending in `end` (`None` for the other families).
    fn alternant(self, end: Final) -> Option<char> {
        // After: vowel, glide, л, nasal, voiced, voiceless (the order of `Final`).
        let letters = match self {
            Family::Plural => ['л', 'л', 'д', 'д', 'д', 'т'],
            Family::Genitive => ['н', 'д', 'д', 'н', 'д', 'т'],
            Family::Accusative => ['н', 'д', 'д', 'д', 'д', 'т'],
            Family::Ablative => ['д', 'д', 'д', 'н', 'д', 'т'],
            _ => return None,
        };
        Some(letters[end as usize])
    }

    /// Whether a suffix of this family, beginning with `first`, may follow `stem`.
    fn fits(self, stem: &str, first: char) -> bool {
        let Some(end) = final_of(stem) else {
            return false;
        };
        let voiced = !matches!(end, Final::Voiceless);
        match self {
            Family::Plural | Family::Genitive | Family::Accusative | Family::Ablative => {
                Some(first) == self.alternant(end)
            }
            Family::Voicing => match first {
                'ғ' | 'г' | 'д' => voiced,
                'қ' | 'к' | 'т' => !voiced,
                _ => false,
            },
            // Instrumental -мен follows nasals where negation -ба and person -бын do (адаммен,
            // but айтпаймын / ойланбады): after м н ң з ж both м and б are accepted.
            Family::Labial => match end {
                Final::Vowel | Final::Glide | Final::L => first == 'м',
                Final::Nasal | Final::Voiced => first == 'м' || first == 'б',
                Final::Voiceless => first == 'п',
            },
            Family::AfterConsonant => end != Final::Vowel,
            Family::AfterVowel => end == Final::Vowel,
            Family::AfterPossessive => stem.ends_with(['ы', 'і']),
            Family::Free => true,
        }
    }
}

/// The slot a suffix fills. Suffixes stand in a fixed order, so stripping from the end of a
/// word, what may come off next depends on what came off last (a case ending may follow a
/// possessive, never a converb).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Case endings, -дағы, -дай.
    Case,
    /// Possessive endings.
    Possessive,
    /// Plural.
    Plural,
    /// Person endings (-мын, -сың, -мыз, -сыз).
    Person,
    /// Finite tense with its person (-ды, -дым, -ады, -йды).
    Tense,
    /// Participles and verbal nouns, which take nominal endings after them (-ған, -атын,
    /// -мақ, -ушы).
    Participle,
    /// The verbal noun -у: only before another suffix (-у ends many roots: күйеу, бітеу).
    VerbalNoun,
    /// Converbs, conditional, optative: a verb form's last suffix (-ып, -п, -са, -сын).
    Converb,
    /// Negation -ма/-ба/-па: only before a verbal suffix.
    Negation,
    /// Passive -ыл/-л: only before a verbal suffix.
    Passive,
}

impl Slot {
    /// Whether a suffix in this slot may stand at the end of a word.
    fn may_end_word(self) -> bool {
        !matches!(self, Slot::VerbalNoun | Slot::Negation | Slot::Passive)
    }

    /// Whether a suffix in slot `left` may stand right before one in this slot.
    fn may_follow(self, left: Slot) -> bool {
        use Slot::*;
        let verbal = matches!(left, Negation | Passive);
        match self {
            Case => matches!(left, Possessive | Plural | Participle | VerbalNoun),
            Possessive => matches!(left, Plural | Participle | VerbalNoun),
            Plural => matches!(left, Participle),
            Person => matches!(left, Plural | Participle),
            Tense | Participle | VerbalNoun | Converb => verbal,
            Negation => left == Passive,
            Passive => false,
        }
    }
}

/// One suffix: its back-vowel spelling (the front one is derived), family and slot.
struct Suffix {
    back: &'static str,
    family: Family,
    slot: Slot,
}

const fn s(back: &'static str, family: Family, slot: Slot) -> Suffix {
    Suffix { back, family, slot }
}

use Family::*;
use Slot::{Case, Converb, Negation, Participle, Passive, Person, Possessive, Tense, VerbalNoun};

/// The suffix inventory, back-vowel spellings. Consonant alternants are listed separately
/// (the family checks which one fits the stem).
const SUFFIXES: &[Suffix] = &[
    s("лар", Plural, Slot::Plural),
    s("дар", Plural, Slot::Plural),
    s("тар", Plural, Slot::Plural),
    // Possessive: 1sg, 2sg, 2sg polite, 1pl, 3rd.
    s("ыңыз", AfterConsonant, Possessive),
    s("ңыз", AfterVowel, Possessive),
    s("ымыз", AfterConsonant, Possessive),
    s("ы", AfterConsonant, Possessive),
    s("сы", AfterVowel, Possessive),
    // Genitive, accusative, dative, locative, ablative, instrumental.
    s("ның", Genitive, Case),
    s("дың", Genitive, Case),
    s("тың", Genitive, Case),
    s("ны", Accusative, Case),
    s("ды", Accusative, Case),
    s("н", AfterPossessive, Case),
    s("ға", Voicing, Case),
    s("қа", Voicing, Case),
    s("на", AfterPossessive, Case),
    s("да", Voicing, Case),
    s("та", Voicing, Case),
    s("нда", AfterPossessive, Case),
    s("дағы", Voicing, Case),
    s("тағы", Voicing, Case),
    s("ндағы", AfterPossessive, Case),
    s("дан", Ablative, Case),
    s("нан", Ablative, Case),
    s("тан", Ablative, Case),
    s("нан", AfterPossessive, Case),
    s("мен", Labial, Case),
    s("бен", Labial, Case),
    s("пен", Labial, Case),
    s("менен", Labial, Case),
    s("бенен", Labial, Case),
    s("пенен", Labial, Case),
    s("дай", Voicing, Case),
    s("тай", Voicing, Case),
    // Person endings.
    s("мын", Labial, Person),
    s("бын", Labial, Person),
    s("пын", Labial, Person),
    s("мыз", Labial, Person),
    s("быз", Labial, Person),
    s("пыз", Labial, Person),
    s("сың", Free, Person),
    s("сыз", Free, Person),
    // Past tense (3rd person, 1sg, 1pl, 2sg polite); present-future -а/-е/-й with person.
    s("ды", Voicing, Tense),
    s("ты", Voicing, Tense),
    s("дым", Voicing, Tense),
    s("тым", Voicing, Tense),
    s("дық", Voicing, Tense),
    s("тық", Voicing, Tense),
    s("дыңыз", Voicing, Tense),
    s("тыңыз", Voicing, Tense),
    s("ады", AfterConsonant, Tense),
    s("йды", AfterVowel, Tense),
    s("амын", AfterConsonant, Tense),
    s("ймын", AfterVowel, Tense),
    s("асың", AfterConsonant, Tense),
    s("йсың", AfterVowel, Tense),
    s("амыз", AfterConsonant, Tense),
    s("ймыз", AfterVowel, Tense),
    s("асыз", AfterConsonant, Tense),
    s("йсыз", AfterVowel, Tense),
    // Participles and verbal nouns.
    s("ған", Voicing, Participle),
    s("қан", Voicing, Participle),
    s("атын", AfterConsonant, Participle),
    s("йтын", AfterVowel, Participle),
    s("ушы", AfterConsonant, Participle),
    s("у", AfterConsonant, VerbalNoun),
    s("у", AfterVowel, VerbalNoun),
    // Converbs, conditional, optative.
    s("ып", AfterConsonant, Converb),
    s("п", AfterVowel, Converb),
    s("ғалы", Voicing, Converb),
    s("қалы", Voicing, Converb),
    s("ғанша", Voicing, Converb),
    s("қанша", Voicing, Converb),
    s("са", Free, Converb),
    s("сақ", Free, Converb),
    s("сын", Free, Converb),
    // Negation and passive.
    s("ма", Labial, Negation),
    s("ба", Labial, Negation),
    s("па", Labial, Negation),
    s("ыл", AfterConsonant, Passive),
    s("л", AfterVowel, Passive),
];

/// Two-letter roots: shorter stems than three letters are only accepted from this list.
const SHORT_ROOTS: &[&str] = &[
    "ал", "ат", "ас", "ай", "ақ", "ар", "аш", "ау", "ем", "ел", "ер", "ес", "ет", "ек", "ез", "ен",
    "іс", "із", "іш", "ін", "ір", "ой", "от", "ол", "он", "оқ", "ор", "өз", "өт", "өс", "өл", "өр",
    "ұл", "ұр", "ұш", "ұқ", "ұт", "ұн", "үй", "үш", "үз", "үр", "су", "ту", "жу", "же", "бу", "қу",
    "де", "жү", "ән", "әл",
];

/// The lexicon (`lexicon.txt`): stems where analysis stops, and irregular forms.
struct Lexicon {
    stems: crate::fasthash::FastSet<&'static str>,
    irregular: crate::fasthash::FastMap<&'static str, &'static str>,
}

fn lexicon() -> &'static Lexicon {
    use std::sync::OnceLock;
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lexicon = Lexicon {
            stems: Default::default(),
            irregular: Default::default(),
        };
        for line in include_str!("lexicon.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once('\t') {
                Some((form, stem)) => {
                    lexicon.irregular.insert(form, stem);
                }
                None => {
                    lexicon.stems.insert(line);
                }
            }
        }
        lexicon
    })
}

/// The front-vowel spelling of a back-vowel suffix (а→е, ы→і, ұ→ү, о→ө; consonants
/// ғ→г, қ→к keep harmony in velars).
fn front(back: &str) -> String {
    back.chars()
        .map(|c| match c {
            'а' => 'е',
            'ы' => 'і',
            'ұ' => 'ү',
            'о' => 'ө',
            'ғ' => 'г',
            'қ' => 'к',
            other => other,
        })
        .collect()
}

/// Every suffix spelling with its family and place, longest first (built once).
fn inventory() -> &'static [(String, Family, Slot)] {
    use std::sync::OnceLock;
    static INVENTORY: OnceLock<Vec<(String, Family, Slot)>> = OnceLock::new();
    INVENTORY.get_or_init(|| {
        let mut all: Vec<(String, Family, Slot)> = Vec::new();
        for suffix in SUFFIXES {
            for spelling in [suffix.back.to_string(), front(suffix.back)] {
                if !all
                    .iter()
                    .any(|(s, f, p)| *s == spelling && *f == suffix.family && *p == suffix.slot)
                {
                    all.push((spelling, suffix.family, suffix.slot));
                }
            }
        }
        all.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        all
    })
}

fn in_lexicon(word: &str) -> bool {
    lexicon().stems.contains(word)
}

/// Whether `stem` may stand as a stem after removing `suffix`: it has a vowel and enough
/// letters, and suffix harmony agrees with its last vowel.
fn acceptable(stem: &str, suffix: &str, at_end: bool) -> bool {
    let letters = stem.chars().count();
    let one_letter = suffix.chars().count() == 1;
    let known = SHORT_ROOTS.contains(&stem) || in_lexicon(stem);
    let least = if one_letter && at_end && !known { 3 } else { 2 };
    if letters < least || !stem.chars().any(is_vowel) {
        return false;
    }
    let mut end = stem.chars().rev();
    let (last, before) = (end.next(), end.next());
    // Native stems do not end in о/ө (о and ө stand in first syllables only) or in a double
    // consonant: such a stem means the suffix was cut in the wrong place (лондо-ны, махабб-атын).
    if !known
        && (matches!(last, Some('о' | 'ө')) || last == before && last.is_some_and(|c| !is_vowel(c)))
    {
        return false;
    }
    // The instrumental -мен/-бен/-пен keeps its front vowel after any stem (адаммен).
    if INSTRUMENTAL.contains(&suffix) {
        return true;
    }
    let (have, want) = (stem_harmony(stem), suffix_harmony(suffix));
    have == Harmony::Any || want == Harmony::Any || have == want
}

/// Instrumental endings, which do not follow vowel harmony.
const INSTRUMENTAL: [&str; 6] = ["мен", "бен", "пен", "менен", "бенен", "пенен"];

/// Restores the dictionary form of a stem left by a vowel-initial suffix: a voiced final
/// consonant devoices (аяғ → аяқ), a dropped vowel returns (орн → орын).
fn restore(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let mut out = chars.clone();
    if let Some(last) = out.last_mut() {
        *last = match *last {
            'б' => 'п',
            'ғ' => 'қ',
            'г' => 'к',
            other => other,
        };
    }
    // A root whose second vowel drops before a vowel-initial suffix ends in a sonorant
    // followed by н, з or қ/к (орн-ы, ауз-ы, халқ-ы, ерк-і): put the vowel back.
    if out.len() >= 3 {
        let (c1, c2) = (out[out.len() - 2], out[out.len() - 1]);
        let before = &out[..out.len() - 2];
        if matches!(c1, 'р' | 'у' | 'й' | 'л' | 'ң')
            && matches!(c2, 'н' | 'з' | 'қ' | 'к')
            && before.last().is_some_and(|&c| is_vowel(c))
        {
            let vowel = match stem_harmony(&before.iter().collect::<String>()) {
                Harmony::Front => 'і',
                _ => 'ы',
            };
            out.insert(out.len() - 1, vowel);
        }
    }
    out.into_iter().collect()
}

/// Every stem reachable from `word` by stripping suffixes in their order (see the module
/// docs), with the number of suffixes removed; `word` itself comes first.
fn candidates(word: &str) -> Vec<(String, usize)> {
    // (stem, suffixes removed, slot and spelling of the last suffix removed)
    type Candidate<'a> = (String, usize, Option<(Slot, &'a str)>);
    let mut found: Vec<Candidate> = vec![(word.to_string(), 0, None)];
    let mut next = 0;
    while next < found.len() {
        let (current, depth, last) = found[next].clone();
        next += 1;
        if depth >= MAX_SUFFIXES || (depth > 0 && in_lexicon(&current)) {
            continue;
        }
        for (suffix, family, slot) in inventory() {
            let allowed = match last {
                None => slot.may_end_word(),
                // The verbal noun -у takes the dative and locative (қатысуға, жүргізілуде);
                // before other cases it is more likely a root's own у (отаумен, күйеудің).
                Some((Slot::Case, right)) if *slot == VerbalNoun => {
                    matches!(right, "ға" | "ге" | "да" | "де")
                }
                Some((right, _)) => right.may_follow(*slot),
            };
            if !allowed {
                continue;
            }
            let Some(rest) = current.strip_suffix(suffix.as_str()) else {
                continue;
            };
            let Some(first) = suffix.chars().next() else {
                continue;
            };
            if !family.fits(rest, first) || !acceptable(rest, suffix, depth == 0) {
                continue;
            }
            // Negation and passive leave verb roots of three letters or more here: two-letter
            // roots + -л / -ма are more often whole words (көл, алма).
            if matches!(slot, Negation | Passive) && rest.chars().count() < 3 {
                continue;
            }
            // A word-final -н (accusative after a possessive) needs a long enough stem:
            // орын is a word, not ор-ы-н.
            if depth == 0 && suffix == "н" && rest.chars().count() < 4 {
                continue;
            }
            // -шы/-ші forms agent nouns (мұнайшы, басшы): its vowel is not a possessive.
            let one_vowel = suffix == "ы" || suffix == "і";
            if one_vowel && rest.ends_with('ш') && rest.chars().count() >= 4 {
                continue;
            }
            let stem = if matches!(first, 'ы' | 'і' | 'а' | 'е') {
                restore(rest)
            } else {
                rest.to_string()
            };
            if !found
                .iter()
                .any(|(s, _, l)| *s == stem && l.map(|l| l.0) == Some(*slot))
            {
                found.push((stem, depth + 1, Some((*slot, suffix.as_str()))));
            }
        }
    }
    found
        .into_iter()
        .filter(|(stem, depth, _)| {
            *depth == 0 || stem.chars().count() >= 3 || SHORT_ROOTS.contains(&stem.as_str())
        })
        .map(|(stem, depth, _)| (stem, depth))
        .collect()
}

/// Most suffixes one word carries in the analysis.
const MAX_SUFFIXES: usize = 6;

/// The stem of a lowercased (ё→е) Kazakh word; never empty, the word itself when nothing
/// can be stripped (see the module docs).
///
/// Of every stem the suffixes allow, a lexicon stem wins (the longest one), otherwise the
/// shortest, so `келмеді` is `кел` (-ме-ді), not `келм` (-еді).
pub fn stem(word: &str) -> String {
    if let Some(stem) = lexicon().irregular.get(word) {
        return (*stem).to_string();
    }
    if in_lexicon(word) {
        return word.to_string();
    }
    let found = candidates(word);
    let lexical = found.iter().filter(|(s, _)| in_lexicon(s)).max_by(|a, b| {
        a.0.chars()
            .count()
            .cmp(&b.0.chars().count())
            .then(b.0.cmp(&a.0))
    });
    let best = lexical.or_else(|| {
        found.iter().min_by(|a, b| {
            a.0.chars()
                .count()
                .cmp(&b.0.chars().count())
                .then(b.1.cmp(&a.1))
                .then(a.0.cmp(&b.0))
        })
    });
    best.map_or_else(|| word.to_string(), |(s, _)| s.clone())
}

/// Whether [`stem`]'s result for a word without Kazakh-only letters is clear enough to treat
/// the word as Kazakh (the caller has already found that the Russian dictionary does not know
/// it): a lexicon stem was reached, or suffixes of two or more letters left a stem of three.
pub fn is_confident(word: &str, stemmed: &str) -> bool {
    let removed = word.chars().count().saturating_sub(stemmed.chars().count());
    stemmed != word && (in_lexicon(stemmed) || removed >= 2 && stemmed.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each alternating family's first letter after each kind of stem ending, read off
    /// dictionary forms: бала, қар, көл, адам, қыз, ат with -лар, -ның, -ны, -дан.
    #[test]
    fn alternating_suffixes_begin_as_the_dictionary_forms_do() {
        let stems = ["бала", "қар", "көл", "адам", "қыз", "ат"];
        let forms = [
            (
                Family::Plural,
                ["балалар", "қарлар", "көлдер", "адамдар", "қыздар", "аттар"],
            ),
            (
                Family::Genitive,
                ["баланың", "қардың", "көлдің", "адамның", "қыздың", "аттың"],
            ),
            (
                Family::Accusative,
                ["баланы", "қарды", "көлді", "адамды", "қызды", "атты"],
            ),
            (
                Family::Ablative,
                ["баладан", "қардан", "көлден", "адамнан", "қыздан", "аттан"],
            ),
        ];
        for (family, words) in forms {
            for (stem, word) in stems.iter().zip(words) {
                let first = word[stem.len()..].chars().next().unwrap();
                assert!(family.fits(stem, first), "{family:?} {word}");
                for other in ['л', 'н', 'д', 'т'].into_iter().filter(|&c| c != first) {
                    assert!(!family.fits(stem, other), "{family:?} {stem} + {other}");
                }
            }
        }
    }

    /// Hand-checked paradigms: every form must give the stem.
    #[test]
    fn noun_paradigms_share_their_stem() {
        let paradigms: &[(&str, &[&str])] = &[
            (
                "адам",
                &[
                    "адам",
                    "адамның",
                    "адамды",
                    "адамға",
                    "адамда",
                    "адамнан",
                    "адаммен",
                    "адамдар",
                    "адамдардың",
                    "адамы",
                ],
            ),
            (
                "бала",
                &[
                    "бала",
                    "баланың",
                    "баланы",
                    "балаға",
                    "балада",
                    "баладан",
                    "баламен",
                    "балалар",
                    "балаларға",
                    "баласы",
                    "баласының",
                    "баласын",
                    "баласына",
                    "баласында",
                    "баласынан",
                ],
            ),
            (
                "жер",
                &[
                    "жер",
                    "жердің",
                    "жерді",
                    "жерге",
                    "жерде",
                    "жерден",
                    "жермен",
                    "жерлер",
                    "жерлерде",
                ],
            ),
            (
                "кітап",
                &[
                    "кітап",
                    "кітаптың",
                    "кітапты",
                    "кітапқа",
                    "кітапта",
                    "кітаптан",
                    "кітаппен",
                    "кітаптар",
                    "кітабы",
                    "кітабын",
                ],
            ),
            (
                "қыз",
                &[
                    "қыз",
                    "қыздың",
                    "қызды",
                    "қызға",
                    "қызда",
                    "қыздан",
                    "қызбен",
                    "қыздар",
                    "қыздарының",
                ],
            ),
            (
                "көл",
                &[
                    "көл",
                    "көлдің",
                    "көлді",
                    "көлге",
                    "көлде",
                    "көлден",
                    "көлмен",
                    "көлдер",
                ],
            ),
            (
                "доллар",
                &[
                    "доллар",
                    "доллардың",
                    "долларды",
                    "долларға",
                    "долларда",
                    "доллардан",
                    "доллармен",
                ],
            ),
            (
                "той",
                &[
                    "той",
                    "тойдың",
                    "тойды",
                    "тойға",
                    "тойда",
                    "тойдан",
                    "тойлар",
                ],
            ),
            (
                "мемлекет",
                &[
                    "мемлекет",
                    "мемлекеттің",
                    "мемлекетті",
                    "мемлекетке",
                    "мемлекетте",
                    "мемлекеттен",
                    "мемлекеттер",
                    "мемлекеттердің",
                ],
            ),
            ("аяқ", &["аяқ", "аяғы", "аяғын", "аяқтар", "аяқты"]),
            ("орын", &["орын", "орны", "орнына", "орнында", "орыннан"]),
            ("ауыз", &["ауыз", "аузы", "аузымен"]),
            (
                "халық",
                &["халық", "халқы", "халықтың", "халыққа", "халықтар"],
            ),
            (
                "үй",
                &["үй", "үйдің", "үйді", "үйге", "үйде", "үйден", "үйлер"],
            ),
            (
                "тоқаев",
                &["тоқаев", "тоқаевтың", "тоқаевқа", "тоқаевты", "тоқаевпен"],
            ),
        ];
        for (lemma, forms) in paradigms {
            for form in *forms {
                assert_eq!(stem(form), *lemma, "{form}");
            }
        }
    }

    #[test]
    fn verb_paradigms_share_their_stem() {
        let paradigms: &[(&str, &[&str])] = &[
            (
                "кел",
                &[
                    "келді",
                    "келдім",
                    "келдік",
                    "келеді",
                    "келемін",
                    "келесің",
                    "келеміз",
                    "келген",
                    "келіп",
                    "келсе",
                    "келмеді",
                    "келмеген",
                    "келетін",
                ],
            ),
            (
                "бар",
                &[
                    "барды",
                    "бардым",
                    "барады",
                    "барамын",
                    "барған",
                    "барып",
                    "барса",
                    "бармады",
                    "баратын",
                ],
            ),
            (
                "айт",
                &[
                    "айтты",
                    "айттым",
                    "айтады",
                    "айтқан",
                    "айтып",
                    "айтса",
                    "айтпады",
                    "айтушы",
                    "айтатын",
                ],
            ),
            (
                "жаса",
                &[
                    "жасады",
                    "жасадым",
                    "жасайды",
                    "жасаймын",
                    "жасаған",
                    "жасап",
                    "жасаса",
                    "жасамады",
                    "жасайтын",
                ],
            ),
            ("кір", &["кірді", "кіреді", "кірген", "кіріп", "кірмеді"]),
            (
                "біл",
                &["білді", "біледі", "білемін", "білген", "біліп", "білмеді"],
            ),
            ("сат", &["сатты", "сатылып", "сатылған", "сатады"]),
        ];
        for (lemma, forms) in paradigms {
            for form in *forms {
                assert_eq!(stem(form), *lemma, "{form}");
            }
        }
    }

    #[test]
    fn stems_are_never_emptied() {
        for word in ["а", "да", "ма", "ы", "ақ", "ас", "сы", "н", "ға"] {
            let stemmed = stem(word);
            assert!(!stemmed.is_empty(), "{word}");
            assert!(word.starts_with(&stemmed), "{word} → {stemmed}");
        }
    }

    #[test]
    fn lexicon_words_are_left_whole() {
        for word in ["алма", "бала", "қазақ", "халық", "ана"] {
            assert_eq!(stem(word), word);
        }
    }
}
