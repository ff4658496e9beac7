//! Word tables: frequent words of Kazakh, Mongolian, Tatar/Kyrgyz, the Slavic languages,
//! English and other Latin-script languages, with the language flags each word carries, and
//! Kazakh words and endings spelled only with letters Russian has.

use std::sync::LazyLock;

use super::scan::Stats;
use crate::fasthash::{FastMap, FastSet};

pub(super) const KK: u16 = 1;
pub(super) const MN: u16 = 2;
pub(super) const RU: u16 = 4;
pub(super) const UK: u16 = 8;
pub(super) const BE: u16 = 16;
pub(super) const BG: u16 = 32;
/// Slavic, shared by several of ru/uk/be/bg (and not a Kazakh word).
pub(super) const SL: u16 = 64;
/// Tatar / Kyrgyz.
pub(super) const OT: u16 = 128;
/// English.
pub(super) const EN: u16 = 256;
/// English, but also a frequent word of other Latin-script languages (a, in, is, no, ...).
pub(super) const EN_WEAK: u16 = 512;
/// A frequent word of another Latin-script language that is not an English word (der, het, que, ...).
pub(super) const LA: u16 = 1024;

pub(super) fn count_word(s: &mut Stats, word: &str) {
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
        // `contains("ләр")` on bytes (no substring searcher set up per word; a match of
        // whole characters' bytes is a match of the characters).
        if word.as_bytes().windows(6).any(|w| w == "ләр".as_bytes()) || word.ends_with("нең")
        {
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
pub(super) static KK_PLAIN: &[&str] = &[
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
pub(super) const KK_PLAIN_ENDINGS: [(&str, &[&str]); 9] = [
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
pub(super) fn plain_kazakh(word: &str) -> bool {
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
pub(super) static WORD_FLAGS: LazyLock<FastMap<&str, u16>> = LazyLock::new(|| WORDS.iter().copied().collect());
pub(super) static LATIN_FLAGS: LazyLock<FastMap<&str, u16>> =
    LazyLock::new(|| LATIN_WORDS.iter().copied().collect());
pub(super) static KK_PLAIN_SET: LazyLock<FastSet<&str>> =
    LazyLock::new(|| KK_PLAIN.iter().copied().collect());

pub(super) static WORDS: &[(&str, u16)] = &[
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

// Repeated shape: a word list (data).
/// Frequent words of Latin-script text: English function words (EN, EN_WEAK) and frequent words of
/// other Latin-script languages (LA). Apart from [`WORDS`] so that each lookup searches a short table.
/// Sorted by bytes for binary search.
#[rustfmt::skip]
pub(super) static LATIN_WORDS: &[(&str, u16)] = &[
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
