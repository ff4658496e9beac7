//! Unit tests of language detection.

use super::decide::*;
use super::scan::*;
use super::words::*;
use super::*;
use whatlang::Lang;

fn lang_of(text: &str) -> Option<&'static str> {
    detect(text).map(|d| d.lang)
}

fn assert_all(expected: &str, sentences: &[&str]) {
    for s in sentences {
        assert_eq!(lang_of(s), Some(expected), "{s}");
    }
}

/// None of `sentences` is taken for language `not`.
fn assert_none(not: &str, sentences: &[&str]) {
    for s in sentences {
        assert_ne!(lang_of(s), Some(not), "{s}");
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
    assert_none(
        "kk",
        &[
            "Фото: Адам Сауранбаев.",
            "Кафе «Жол» открылось в центре города.",
            "Встреча с Адамом прошла в кафе «Сау бол» на Абая.",
            "В Шымкенте открыли новый мост.",
        ],
    );
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
    assert_none(
        "en",
        &[
            "Ich bin hier und warte auf dich.",
            "Het is een mooie dag vandaag.",
            "El perro come la comida en casa.",
            "Prawo to obejmuje wolność.",
        ],
    );
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
    assert_none(
        "kk",
        &["Всі люди рівні перед законом.", "Чаму спіс такі кароткі?"],
    );
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
fn long_texts_are_detected_from_three_windows_of_whole_words() {
    let kk = "Ертең Алматыда халықаралық кітап көрмесі ашылады. ";
    let ru = "Завтра в Алматы откроется международная книжная выставка. ";
    // Short texts are looked at whole.
    let short = ru.repeat(3);
    assert_eq!(super::decide::detection_sample(&short), short);
    // A long one: start, middle and end windows, whole words only.
    let long = format!("{}{}{}", kk.repeat(30), ru.repeat(30), kk.repeat(30));
    let sample = super::decide::detection_sample(&long);
    let windows: Vec<&str> = sample.split('\n').collect();
    assert_eq!(windows.len(), 3);
    assert!(sample.len() < 3 * super::decide::DETECT_WINDOW_BYTES + 3 * 40);
    let all_words: std::collections::HashSet<&str> = long.split_whitespace().collect();
    for window in &windows {
        for word in window.split_whitespace() {
            assert!(all_words.contains(word), "{word:?} is cut");
        }
    }
    assert!(windows[0].starts_with("Ертең") && windows[1].contains("выставка"));
    // The majority language of the windows (two Kazakh of three) is the verdict, as it is
    // the majority of the text.
    assert_eq!(lang_of(&long), Some("kk"));
    assert_eq!(
        lang_of(&format!("{}{}", ru.repeat(80), kk.repeat(5))),
        Some("ru")
    );
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

// regression: the word tables moved from Rust arrays to `words.tsv` and `latin_words.tsv`; the
// tally of words per flag set was counted in the old arrays.
#[test]
fn word_tables_read_from_their_files_as_the_arrays_they_replaced() {
    let tally = |table: &[(&str, u16)]| {
        let mut by_flags = std::collections::BTreeMap::new();
        for (_, flags) in table {
            *by_flags.entry(*flags).or_insert(0) += 1;
        }
        by_flags.into_iter().collect::<Vec<(u16, usize)>>()
    };
    assert_eq!(
        tally(&WORDS),
        [
            (KK, 52),
            (MN, 31),
            (RU, 58),
            (UK, 66),
            (BE, 33),
            (BE | RU, 1),
            (BE | UK, 7),
            (BG, 36),
            (BG | RU, 1),
            (BG | UK, 1),
            (SL, 25),
            (OT, 55)
        ]
    );
    assert_eq!(tally(&LATIN_WORDS), [(EN, 89), (EN_WEAK, 16), (LA, 69)]);
    assert_eq!(WORD_FLAGS.get("але"), Some(&(BE | UK)));
    assert_eq!(WORD_FLAGS.get("үшін"), Some(&KK));
    assert_eq!(LATIN_FLAGS.get("the"), Some(&EN));
    assert_eq!(LATIN_FLAGS.get("het"), Some(&LA));
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
    for (w, _) in WORDS.iter().chain(LATIN_WORDS.iter()) {
        assert!(w.chars().all(|c| lower_cyr_latin(c) == c), "{w}");
    }
}

proptest::proptest! {
    // The byte-pair walks answer as `contains` does, on words of the letters involved and
    // their neighbours in UTF-8.
    #[test]
    fn byte_pair_walks_answer_as_contains(word in "[thwaлərәрéһ]{0,9}") {
        proptest::prop_assert_eq!(
            has_th_or_wh(&word),
            word.contains("th") || word.contains("wh")
        );
        proptest::prop_assert_eq!(
            word.as_bytes().windows(6).any(|w| w == "ләр".as_bytes()),
            word.contains("ләр")
        );
    }
}
