//! Display forms: an index term and the surface forms it was counted from in, the word to
//! show a reader out — one that finds the term's documents when pasted into `search`.
//!
//! A term is shown as it is when it is a word: when it occurs as a surface form itself, or
//! when it is a Russian dictionary lemma (`протестовать`, `гражданин`). Otherwise — a
//! Snowball stem (`countri`), a Kazakh stem never seen alone, an n-gram of them — the most
//! frequent surface form is shown (`country`). Either way the shown word analyzes back to
//! the term, because analysis depends on the word alone.

use super::{Analyzer, Rule};

/// The word to show for `term`, given its surface forms (exact forms, or n-grams of them)
/// with their counts. Ties between forms go to the alphabetically first.
pub fn display_form<'a>(term: &str, forms: impl IntoIterator<Item = (&'a str, u64)>) -> String {
    let mut best: Option<(&str, u64)> = None;
    for (form, count) in forms {
        if form == term {
            return term.to_string();
        }
        let better = match best {
            None => true,
            Some((b, n)) => count > n || (count == n && form < b),
        };
        if better {
            best = Some((form, count));
        }
    }
    if is_lemma(term) {
        return term.to_string();
    }
    best.map_or_else(|| term.to_string(), |(form, _)| form.to_string())
}

/// Whether `term` is a single dictionary lemma that analyzes to itself.
fn is_lemma(term: &str) -> bool {
    if term.contains(' ') {
        return false;
    }
    let analysis = Analyzer::default().analyze_word(term);
    analysis.rule == Rule::RussianDictionary && analysis.term == term
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_show_as_themselves_stems_as_their_commonest_form() {
        assert_eq!(
            display_form("протест", [("протеста", 3), ("протест", 1)]),
            "протест"
        );
        assert_eq!(
            display_form("протестовать", [("протестующие", 5)]),
            "протестовать"
        );
        assert_eq!(
            display_form("countri", [("countries", 2), ("country", 5)]),
            "country"
        );
        assert_eq!(display_form("кір", [("кірді", 2), ("кіреді", 2)]), "кірді");
        assert_eq!(
            display_form("цена газ", [("цены газа", 2), ("цен газ", 1)]),
            "цены газа"
        );
        assert_eq!(display_form("unseen", []), "unseen");
    }
}
