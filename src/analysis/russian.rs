//! Russian lemmatization: a lowercased (ё→е) word in, its lemma out.
//!
//! Words are looked up in the OpenCorpora dictionary bundled with the `rumorph` crate
//! (dictionary CC BY-SA 4.0, see `THIRD-PARTY.md`). A word form often has several readings
//! (`стали` is `стать` or `сталь`); an index term must not depend on context, so the term is
//! the lemma with the highest total probability over the word's readings — with one
//! exception: a reading as a surname (`путина` → `путин`) wins whenever the dictionary gives
//! it a real share, because a media corpus names people far more often than the treebanks the
//! probabilities come from. Words the dictionary does not know keep one stem across cases
//! through the surname rule (`токаевым` → `токаев`) and otherwise fall back to Snowball.
//!
//! Lowercase input only: the dictionary weighs readings by capitalization, and the term must
//! be the same for `Путина` and `путина`.

use std::sync::OnceLock;

use frostem::{Algorithm, Stemmer};

/// Least probability share of the surname readings for a surname lemma to win.
const SURNAME_SHARE: f64 = 0.15;

/// The bundled dictionary, loaded once per process (a few milliseconds: it is read in place
/// from the binary's data, not copied).
fn dictionary() -> Option<&'static rumorph::Dictionary> {
    static DICTIONARY: OnceLock<Option<rumorph::Dictionary>> = OnceLock::new();
    DICTIONARY
        .get_or_init(|| rumorph::Dictionary::bundled().ok())
        .as_ref()
}

/// How a Russian word was lemmatized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The dictionary knows the word form.
    Dictionary,
    /// Unknown word shaped like a surname: root + -ов/-ев/-ин/-ын + case ending.
    Surname,
    /// Unknown word: Snowball stem.
    Stem,
}

/// The Russian analyzer: dictionary lookup with the surname rule and a Snowball fallback.
#[derive(Clone)]
pub struct Russian {
    snowball: Stemmer,
}

impl Default for Russian {
    fn default() -> Self {
        Russian {
            snowball: Stemmer::new(Algorithm::Russian),
        }
    }
}

/// Folds a dictionary lemma the way words are folded (lowercase, ё→е).
fn fold_lemma(lemma: &str) -> String {
    lemma
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

impl Russian {
    /// The term of a lowercased (ё→е) Cyrillic word, and how it was found.
    pub fn lemma(&self, folded: &str) -> (String, Source) {
        // Unknown words skip the dictionary's analysis, whose guesser is costly and unused.
        if let Some(lemma) = Russian::is_known(folded)
            .then(|| dictionary_lemma(folded))
            .flatten()
        {
            return (lemma, Source::Dictionary);
        }
        if let Some(stem) = surname_stem(folded) {
            return (stem.to_string(), Source::Surname);
        }
        let stem = self.snowball.stem(folded).into_owned();
        (stem, Source::Stem)
    }

    /// Whether the dictionary knows `folded` as a word form (a lookup, no analysis).
    pub fn is_known(folded: &str) -> bool {
        dictionary().is_some_and(|d| d.is_known(folded))
    }
}

/// The lemma the dictionary gives `folded`, or `None` when it does not know the form.
fn dictionary_lemma(folded: &str) -> Option<String> {
    let (best, nominative_surname) = weighed_lemma(folded)?;
    // A surname in the nominative (токаев) may be outweighed by a rare common reading (the
    // genitive plural of токай). It keeps the surname when the dictionary prefers the
    // surname for the capitalized word (Токаев, not Городов) and its genitive (токаева)
    // goes to the surname too, so the person has one term in every case. The capitalized
    // form is looked up whatever the input's case, so the term still does not depend on it.
    if nominative_surname && best != folded && titlecase_prefers_surname(folded) {
        let genitive = format!("{folded}а");
        if weighed_lemma(&genitive).is_some_and(|(lemma, _)| lemma == folded) {
            return Some(folded.to_string());
        }
    }
    Some(best)
}

/// Whether the dictionary reads the capitalized `folded` as the surname `folded` more often
/// than not.
fn titlecase_prefers_surname(folded: &str) -> bool {
    let Some(dictionary) = dictionary() else {
        return false;
    };
    let mut chars = folded.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let titled: String = first.to_uppercase().chain(chars).collect();
    let share: f64 = dictionary
        .analyze(&titled)
        .iter()
        .filter(|a| {
            fold_lemma(&a.lemma) == folded
                && a.tag
                    .and_then(|tag| dictionary.tag(tag))
                    .is_some_and(|tag| tag.contains("Surn"))
        })
        .map(|a| a.prob)
        .sum();
    share >= 0.5
}

/// The chosen lemma of a known form, and whether the form has a reading as a surname in the
/// nominative (lemma = the form itself, shaped like a surname).
fn weighed_lemma(folded: &str) -> Option<(String, bool)> {
    let dictionary = dictionary()?;
    let analyses = dictionary.analyze(folded);
    if analyses
        .first()
        .is_none_or(|a| a.source != rumorph::Source::Dictionary)
    {
        return None;
    }
    // Total probability per lemma, and per surname lemma; ties go to the shorter, then the
    // alphabetically first lemma, so the choice never depends on the dictionary's order.
    let mut lemmas: Vec<(String, f64, f64)> = Vec::new();
    let mut nominative_surname = false;
    for analysis in &analyses {
        let lemma = fold_lemma(&analysis.lemma);
        let surname = analysis
            .tag
            .and_then(|tag| dictionary.tag(tag))
            .is_some_and(|tag| tag.contains("Surn"));
        nominative_surname |= surname && lemma == folded && surname_stem(folded) == Some(folded);
        let share = if surname { analysis.prob } else { 0.0 };
        match lemmas.iter_mut().find(|(l, _, _)| *l == lemma) {
            Some(entry) => {
                entry.1 += analysis.prob;
                entry.2 += share;
            }
            None => lemmas.push((lemma, analysis.prob, share)),
        }
    }
    let better = |a: &(String, f64, f64), b: &(String, f64, f64)| {
        a.1.total_cmp(&b.1)
            .then(b.0.chars().count().cmp(&a.0.chars().count()))
            .then(b.0.cmp(&a.0))
    };
    let surname_share: f64 = lemmas.iter().map(|l| l.2).sum();
    let best = if surname_share >= SURNAME_SHARE {
        lemmas.iter().filter(|l| l.2 > 0.0).max_by(|a, b| {
            // Masculine surname lemmas first (`назарбаев` over `назарбаева`), so one person
            // keeps one term; then by probability.
            let masc = |l: &str| surname_stem(l) == Some(l);
            masc(&a.0).cmp(&masc(&b.0)).then_with(|| better(a, b))
        })
    } else {
        lemmas.iter().max_by(|a, b| better(a, b))
    };
    best.map(|l| (l.0.clone(), nominative_surname))
}

/// Case endings that follow a Russian surname suffix (Токаев-а, -у, -ым, -е; -ой, -ы, -ых).
const SURNAME_CASE_ENDINGS: [&str; 9] = ["ыми", "ым", "ом", "ой", "ых", "а", "у", "е", "ы"];
/// Russian surname suffixes.
const SURNAME_SUFFIXES: [&str; 4] = ["ов", "ев", "ин", "ын"];

/// The stem of a lowercased surname-shaped word (`токаева` → `токаев`), or `None`.
///
/// Snowball treats -ов/-ев as plural endings, so it stems `токаев` to `тока` but `токаева`
/// to `токаев`, which would split one person over two terms. Words shaped like surnames
/// (root of at least three letters + -ов/-ев/-ин/-ын + a case ending) keep the root with its
/// suffix instead, whatever their capitalization.
pub fn surname_stem(folded: &str) -> Option<&str> {
    let without_case = SURNAME_CASE_ENDINGS
        .iter()
        .find_map(|ending| folded.strip_suffix(ending))
        .filter(|rest| SURNAME_SUFFIXES.iter().any(|s| rest.ends_with(s)))
        .unwrap_or(folded);
    let suffix = SURNAME_SUFFIXES
        .iter()
        .find(|s| without_case.ends_with(*s))?;
    (without_case.chars().count() >= suffix.chars().count() + 3).then_some(without_case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemma(word: &str) -> String {
        Russian::default().lemma(word).0
    }

    #[test]
    fn dictionary_words_get_their_lemma() {
        crate::cases::check(
            lemma,
            [
                ("протестующих", "протестовать"),
                ("гражданам", "гражданин"),
                ("могли", "мочь"),
                ("мог", "мочь"),
                ("процессе", "процесс"),
                ("процессии", "процессия"),
                ("еще", "еще"),
            ],
        );
    }

    #[test]
    fn surname_readings_win_over_rarer_common_nouns() {
        crate::cases::check(
            lemma,
            [
                ("путина", "путин"),
                ("назарбаеву", "назарбаев"),
                ("токаева", "токаев"),
                ("токаев", "токаев"),
                ("часов", "час"),
            ],
        );
    }

    /// Hand-checked inflection tables: nouns in all six cases, singular and plural;
    /// adjectives in genders, cases and number; verbs in persons, tenses and participles.
    #[test]
    fn inflection_tables_share_their_lemma() {
        let tables: &[(&str, &[&str])] = &[
            (
                "протест",
                &[
                    "протест",
                    "протеста",
                    "протесту",
                    "протестом",
                    "протесте",
                    "протесты",
                    "протестов",
                    "протестам",
                    "протестами",
                    "протестах",
                ],
            ),
            (
                "город",
                &[
                    "город",
                    "города",
                    "городу",
                    "городом",
                    "городе",
                    "городов",
                    "городам",
                    "городами",
                    "городах",
                ],
            ),
            (
                "цена",
                &[
                    "цена",
                    "цены",
                    "цене",
                    "цену",
                    "ценой",
                    "цен",
                    "ценам",
                    "ценами",
                    "ценах",
                ],
            ),
            (
                "площадь",
                &[
                    "площадь",
                    "площади",
                    "площадью",
                    "площадей",
                    "площадям",
                    "площадями",
                    "площадях",
                ],
            ),
            (
                "журналист",
                &[
                    "журналист",
                    "журналиста",
                    "журналисту",
                    "журналистом",
                    "журналисте",
                    "журналисты",
                    "журналистов",
                    "журналистам",
                    "журналистами",
                    "журналистах",
                ],
            ),
            (
                "гражданин",
                &[
                    "гражданин",
                    "гражданина",
                    "гражданину",
                    "гражданином",
                    "гражданине",
                    "граждане",
                    "граждан",
                    "гражданам",
                    "гражданами",
                    "гражданах",
                ],
            ),
            (
                "отключение",
                &[
                    "отключение",
                    "отключения",
                    "отключению",
                    "отключением",
                    "отключении",
                    "отключений",
                    "отключениям",
                    "отключениями",
                    "отключениях",
                ],
            ),
            (
                "требование",
                &[
                    "требование",
                    "требования",
                    "требованию",
                    "требованием",
                    "требовании",
                    "требований",
                    "требованиям",
                    "требованиями",
                    "требованиях",
                ],
            ),
            (
                "интернет",
                &[
                    "интернет",
                    "интернета",
                    "интернету",
                    "интернетом",
                    "интернете",
                ],
            ),
            (
                "власть",
                &[
                    "власть",
                    "власти",
                    "властью",
                    "властей",
                    "властям",
                    "властями",
                    "властях",
                ],
            ),
            (
                "миротворец",
                &[
                    "миротворец",
                    "миротворца",
                    "миротворцу",
                    "миротворцем",
                    "миротворце",
                    "миротворцы",
                    "миротворцев",
                    "миротворцам",
                    "миротворцами",
                    "миротворцах",
                ],
            ),
            ("газ", &["газ", "газа", "газу", "газом", "газе"]),
            (
                "мирный",
                &[
                    "мирный",
                    "мирного",
                    "мирному",
                    "мирным",
                    "мирном",
                    "мирная",
                    "мирной",
                    "мирную",
                    "мирное",
                    "мирные",
                    "мирных",
                    "мирными",
                ],
            ),
            (
                "государственный",
                &[
                    "государственный",
                    "государственного",
                    "государственному",
                    "государственным",
                    "государственном",
                    "государственная",
                    "государственной",
                    "государственные",
                    "государственных",
                ],
            ),
            (
                "задержать",
                &[
                    "задержать",
                    "задержал",
                    "задержала",
                    "задержали",
                    "задержит",
                    "задержат",
                    "задержу",
                ],
            ),
            (
                "говорить",
                &[
                    "говорить",
                    "говорю",
                    "говоришь",
                    "говорит",
                    "говорим",
                    "говорите",
                    "говорят",
                    "говорил",
                    "говорила",
                    "говорили",
                ],
            ),
            (
                "требовать",
                &[
                    "требовать",
                    "требую",
                    "требуешь",
                    "требует",
                    "требуем",
                    "требуют",
                    "требовал",
                    "требовала",
                    "требовали",
                    "требуя",
                ],
            ),
            (
                "выйти",
                &[
                    "выйти",
                    "вышел",
                    "вышла",
                    "вышли",
                    "выйдет",
                    "выйдут",
                    "выйду",
                ],
            ),
            (
                "мочь",
                &[
                    "мочь",
                    "могу",
                    "может",
                    "можем",
                    "могут",
                    "мог",
                    "могла",
                    "могли",
                ],
            ),
            (
                "протестовать",
                &[
                    "протестовать",
                    "протестую",
                    "протестует",
                    "протестуют",
                    "протестовал",
                    "протестовали",
                    "протестующие",
                    "протестующих",
                    "протестующим",
                ],
            ),
            (
                "сообщить",
                &[
                    "сообщить",
                    "сообщил",
                    "сообщила",
                    "сообщили",
                    "сообщит",
                    "сообщат",
                ],
            ),
        ];
        let russian = Russian::default();
        for (lemma, forms) in tables {
            for form in *forms {
                assert_eq!(russian.lemma(form).0, *lemma, "{form}");
            }
        }
    }

    #[test]
    fn unknown_surnames_keep_one_stem() {
        for form in ["смаилов", "смаилова", "смаилову", "смаиловым", "смаилове"]
        {
            assert_eq!(surname_stem(form), Some("смаилов"), "{form}");
        }
        assert_eq!(surname_stem("мир"), None);
    }
}
