//! Languages, vocabularies and planted terms of the benchmark corpus.

use std::collections::HashSet;
use std::io;

use super::sample::{internal, Discrete};
use super::PlantedTerm;
use crate::generate::rng::SplitMix64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Ru,
    Kk,
    En,
}

impl Lang {
    pub(super) const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    pub(super) fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// The language of `code` (`ru`, `kk`, `en`).
    pub(super) fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// Target share of all documents.
    pub(super) fn share(self) -> f64 {
        match self {
            Lang::Ru => 0.60,
            Lang::Kk => 0.25,
            Lang::En => 0.15,
        }
    }
}

/// Word forms per language vocabulary (hand-written words first, then synthetic ones).
pub(super) const VOCAB_SIZE: usize = 4000;
/// Title words skip this many most frequent (function) words.
pub(super) const TITLE_SKIP: usize = 40;

#[derive(Debug, Clone)]
pub(super) struct Word {
    pub(super) lower: Box<str>,
    pub(super) cap: Box<str>,
}

impl Word {
    pub(super) fn new(lower: &str) -> Word {
        let mut chars = lower.chars();
        let cap = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => String::new(),
        };
        Word {
            lower: lower.into(),
            cap: cap.into(),
        }
    }
}

/// Picks planted terms for one group: a word slot holds a planted term when the slot's
/// 32-bit draw is below `threshold`.
#[derive(Debug, Clone)]
pub(super) struct PlantPicker {
    pub(super) threshold: u64,
    pub(super) pick: Discrete,
}

#[derive(Debug, Clone)]
pub(super) struct LangModel {
    pub(super) words: Vec<Word>,
    pub(super) zipf: Discrete,
    pub(super) terms: Vec<Vec<Word>>,
    pub(super) plant: [PlantPicker; 2],
}

impl LangModel {
    pub(super) fn build(lang: Lang) -> io::Result<LangModel> {
        let set = PLANTED
            .iter()
            .find(|set| set.lang == lang)
            .ok_or_else(|| internal("planted set"))?;
        let all_forms: Vec<Vec<&str>> = set.forms().collect();
        let banned: HashSet<String> = all_forms
            .iter()
            .flat_map(|forms| forms.iter())
            .map(|f| f.to_lowercase())
            .collect();
        let banned_prefixes: HashSet<String> = banned
            .iter()
            .filter(|f| f.chars().count() >= 5)
            .map(|f| f.chars().take(5).collect())
            .collect();
        let words = build_vocabulary(lang, &banned, &banned_prefixes);
        let weights: Vec<f64> = (0..words.len())
            .map(|rank| 1.0 / (rank as f64 + 2.7).powf(1.05))
            .collect();
        let zipf = Discrete::new(&weights).ok_or_else(|| internal("vocabulary"))?;
        let terms = all_forms
            .iter()
            .enumerate()
            // Frames are lowercase words; entities (after the 20 frames) keep their capitals.
            .map(|(i, forms)| {
                forms
                    .iter()
                    .map(|f| {
                        Word::new(&if i < 20 {
                            f.to_lowercase()
                        } else {
                            f.to_string()
                        })
                    })
                    .collect()
            })
            .collect();
        let rates = set.rates();
        let picker = |group: usize| -> io::Result<PlantPicker> {
            let weights: Vec<f64> = rates.iter().map(|r| r.for_group(group)).collect();
            let per_word: f64 = weights.iter().sum::<f64>() / 1000.0;
            Ok(PlantPicker {
                threshold: (per_word.clamp(0.0, 1.0) * (1u64 << 32) as f64).round() as u64,
                pick: Discrete::new(&weights).ok_or_else(|| internal("planted rates"))?,
            })
        };
        Ok(LangModel {
            words,
            zipf,
            terms,
            plant: [picker(0)?, picker(1)?],
        })
    }

    /// A title of 4–9 words, first capitalized, no final period.
    pub(super) fn write_title(&self, rng: &mut SplitMix64, title: &mut String) {
        let n = rng.range(4, 9);
        for w in 0..n {
            if w > 0 {
                title.push(' ');
            }
            let u = rng.next_u64() as u32;
            let mut index = self.zipf.sample(u);
            if index < TITLE_SKIP {
                // Titles are made of content words: remap function words to the next band.
                index = TITLE_SKIP + ((u64::from(u) * 300) >> 32) as usize;
            }
            let word = &self.words[index.min(self.words.len() - 1)];
            title.push_str(if w == 0 { &word.cap } else { &word.lower });
        }
    }

    /// Paragraphs of 2–6 sentences of 6–20 words until `text` reaches `target` bytes; planted
    /// terms replace word slots at the rates of `group` (0 state, 1 independent).
    pub(super) fn write_body(
        &self,
        rng: &mut SplitMix64,
        group: usize,
        target: usize,
        text: &mut String,
    ) {
        let plant = &self.plant[group];
        loop {
            let sentences = rng.range(2, 6);
            for s in 0..sentences {
                if s > 0 {
                    text.push(' ');
                }
                let n = rng.range(6, 20);
                // Planted terms never open a sentence (a capitalized common noun can look like
                // a name to the analyzer); the other slots take up the first slot's share.
                let threshold = plant.threshold * u64::from(n) / u64::from(n - 1);
                for w in 0..n {
                    if w > 0 {
                        text.push(' ');
                    }
                    let x = rng.next_u64();
                    let (hi, lo) = ((x >> 32) as u32, x as u32);
                    let word = if w > 0 && u64::from(hi) < threshold {
                        let forms = &self.terms[plant.pick.sample(lo)];
                        &forms[rng.below(forms.len() as u32) as usize]
                    } else {
                        &self.words[self.zipf.sample(lo)]
                    };
                    text.push_str(if w == 0 { &word.cap } else { &word.lower });
                    if w > 0 && w + 1 < n && hi & 15 == 0 {
                        text.push(',');
                    }
                }
                text.push('.');
                if text.len() >= target {
                    return;
                }
            }
            text.push_str("\n\n");
        }
    }
}

pub(super) fn build_vocabulary(
    lang: Lang,
    banned: &HashSet<String>,
    banned_prefixes: &HashSet<String>,
) -> Vec<Word> {
    let common = match lang {
        Lang::Ru => RU_COMMON,
        Lang::Kk => KK_COMMON,
        Lang::En => EN_COMMON,
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut words = Vec::with_capacity(VOCAB_SIZE);
    for w in common.split_whitespace() {
        if !banned.contains(w) && seen.insert(w.to_string()) {
            words.push(Word::new(w));
        }
    }
    let mut rng = SplitMix64::new(
        0x243F_6A88_85A3_08D3 ^ (lang.index() as u64 + 1).wrapping_mul(0x9E37_79B9),
    );
    let synth = Synth::new(lang);
    let mut attempts = 0;
    let mut buf = String::new();
    while words.len() < VOCAB_SIZE && attempts < 200_000 {
        attempts += 1;
        buf.clear();
        synth.word(&mut rng, &mut buf);
        let letters = buf.chars().count();
        if !(3..=16).contains(&letters) || banned.contains(&buf) {
            continue;
        }
        let prefix: String = buf.chars().take(5).collect();
        if letters >= 5 && banned_prefixes.contains(&prefix) {
            continue;
        }
        if seen.insert(buf.clone()) {
            words.push(Word::new(&buf));
        }
    }
    words
}

/// Sound inventory of one language (or one Kazakh vowel-harmony class) for synthetic words.
pub(super) struct Phonology {
    pub(super) onsets: Vec<&'static str>,
    pub(super) vowels: Vec<&'static str>,
    pub(super) codas: Vec<&'static str>,
    pub(super) endings: Vec<&'static str>,
}

impl Phonology {
    /// Each argument lists items separated by spaces; `-` is the empty item.
    pub(super) fn new(
        onsets: &'static str,
        vowels: &'static str,
        codas: &'static str,
        endings: &'static str,
    ) -> Phonology {
        let items = |list: &'static str| -> Vec<&'static str> {
            list.split_whitespace()
                .map(|item| if item == "-" { "" } else { item })
                .collect()
        };
        Phonology {
            onsets: items(onsets),
            vowels: items(vowels),
            codas: items(codas),
            endings: items(endings),
        }
    }

    /// Syllables of 1 (45 %), 2 (40 %) or 3 (15 %) onset + vowel (+ coda one time in three);
    /// only the first syllable may lack an onset.
    pub(super) fn push_stem(&self, rng: &mut SplitMix64, out: &mut String) {
        let syllables = match rng.below(20) {
            0..=8 => 1,
            9..=16 => 2,
            _ => 3,
        };
        for s in 0..syllables {
            let mut onset = pick(rng, &self.onsets);
            while s > 0 && onset.is_empty() {
                onset = pick(rng, &self.onsets);
            }
            out.push_str(onset);
            out.push_str(pick(rng, &self.vowels));
            if rng.below(3) == 0 {
                out.push_str(pick(rng, &self.codas));
            }
        }
    }
}

pub(super) fn pick<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u32) as usize)
        .copied()
        .unwrap_or("")
}

/// Synthetic words of one language: a stem of syllables plus a language-typical ending.
pub(super) enum Synth {
    Ru(Phonology),
    Kk { back: Phonology, front: Phonology },
    En(Phonology),
}

impl Synth {
    pub(super) fn new(lang: Lang) -> Synth {
        match lang {
            Lang::Ru => Synth::Ru(Phonology::new(
                "б в г д ж з к л м н п р с т ф х ц ч ш бр вр гр др кр пр тр ст ск сп пл бл гл кл сл зн в н",
                "а о е и у а о е ы я",
                "н р л с т в д м к",
                "ов ами ения ский ская ское ского ной ные ных ать ить ует али ость ство ник ка ки ом \
                 ей ях ение ции ал ый ая ие ого ков",
            )),
            Lang::Kk => Synth::Kk {
                back: Phonology::new(
                    "б д ж з қ ғ л м н п р с т ш - т қ с",
                    "а о ұ ы а",
                    "н ң р л с т з й қ",
                    "лар дың ға да дан мен ы сы ның тың қа лық шы ды лары дағы мыз",
                ),
                front: Phonology::new(
                    "б д ж з к г л м н п р с т ш - т к с",
                    "е ә ө ү і е",
                    "н ң р л с т з й к",
                    "лер дің ге де ден мен і сі нің тің ке лік ші ді лері дегі міз",
                ),
            },
            Lang::En => Synth::En(Phonology::new(
                "b c d f g h l m n p r s t v w br cr dr fr gr pr tr st sp pl bl cl sh ch th -",
                "a e i o u ea ou ai o e",
                "n r l s t m nd st rt ck",
                "tion ing ed er ers ly ment ness al ity ive ous s es ic - -",
            )),
        }
    }

    pub(super) fn word(&self, rng: &mut SplitMix64, out: &mut String) {
        match self {
            Synth::Ru(ph) => {
                ph.push_stem(rng, out);
                let ending = pick(rng, &ph.endings);
                const VOWELS: [char; 7] = ['а', 'о', 'е', 'и', 'у', 'ы', 'я'];
                if ending.starts_with(VOWELS) && out.ends_with(VOWELS) {
                    out.push_str(pick(rng, &ph.codas));
                }
                out.push_str(ending);
                // Russian spelling: no ы, я, ю after velars and hushers.
                for (from, to) in [
                    ("кы", "ки"),
                    ("гы", "ги"),
                    ("хы", "хи"),
                    ("жы", "жи"),
                    ("шы", "ши"),
                    ("чы", "чи"),
                    ("цы", "ци"),
                    ("жя", "жа"),
                    ("шя", "ша"),
                    ("чя", "ча"),
                    ("кя", "ка"),
                    ("гя", "га"),
                    ("хя", "ха"),
                    ("ця", "ца"),
                ] {
                    if out.contains(from) {
                        *out = out.replace(from, to);
                    }
                }
            }
            Synth::Kk { back, front } => {
                let ph = if rng.below(2) == 0 { back } else { front };
                ph.push_stem(rng, out);
                if rng.below(10) < 7 {
                    out.push_str(pick(rng, &ph.endings));
                }
            }
            Synth::En(ph) => {
                ph.push_stem(rng, out);
                out.push_str(pick(rng, &ph.endings));
            }
        }
    }
}

/// Frequent real words, most frequent (function words) first.
pub(super) const RU_COMMON: &str = "\
и в не на что с по как это а к из за о от для до он она они мы вы я его её их так же все всё \
уже также был была были было быть будет будут есть который которая которые которых при после \
перед между через под над без около более менее очень только ещё если когда где здесь там \
сейчас сегодня вчера завтра теперь однако но или ни бы ли даже тоже свой своей своих этот эта \
эти этого этой том тех один одна два три пять десять сто тысяч миллионов процентов \
год года лет время день дня недели месяц человек люди людей страна страны государство \
правительство президент министр министерство область области город города район района село \
работа работы вопрос вопросы решение закон закона суд полиция безопасность экономика экономики \
цены цен газ газа топливо нефть бизнес банк деньги тенге образование школа школы \
здравоохранение больница вакцина коронавирус пандемия заседание встреча заявление сообщение \
информация новости программа проект развитие реформа выборы партия депутат депутаты аким \
акимат жители граждане общество ситуация ситуации меры мер поддержка помощь рост уровень \
население компания компании предприятие сотрудники специалисты данные результаты случае \
условиях связи части место право средства площадь улица улицы центр здание совет комиссия \
управление ведомство служба представители руководство глава заместитель председатель \
сказал сказала заявил заявила сообщил сообщила отметил отметила подчеркнул рассказал \
рассказала прошёл прошла состоялся состоялась принял приняли начался начались завершился \
может могут нужно необходимо должны стало стал стала получили получил провели проведут \
планируется продолжается сообщается известно рассматривается обсудили предложил решили \
работают живут находится новый новые новых нового большой большие главный государственный \
местный местных областной городской национальный международный экономический социальный \
общественный крупный первый второй последний последние основные важный важно";

/// Frequent real Kazakh words, most frequent (function words) first.
pub(super) const KK_COMMON: &str = "\
және мен бен пен да де та те бұл ол осы сол мұнда онда бар жоқ үшін туралы бойынша арқылы \
кейін дейін бірақ әлі енді тағы өте ең барлық көп аз бір екі үш бес он жүз мың миллион пайыз \
бүгін кеше ертең қазір осылай сондай жаңа үлкен кіші жыл жылы күн күні ай айы апта уақыт адам \
адамдар халық ел елде мемлекет мемлекеттік үкімет үкіметі президент министр министрлік \
министрлігі облыс облысы облыстық қала қаласы қалалық аудан ауданы ауыл жұмыс жұмысы мәселе \
мәселесі шешім шешімі заң заңы сот полиция қауіпсіздік экономика экономикасы баға бағасы газ \
жанармай мұнай бизнес банк ақша теңге білім мектеп мектептер денсаулық аурухана вакцина \
коронавирус пандемия жиын отырыс кездесу мәлімдеме хабарлама ақпарат жаңалық жаңалықтар \
бағдарлама жоба даму реформа сайлау партия депутат депутаттар әкім әкімдік тұрғын тұрғындар \
азамат азаматтар қоғам жағдай жағдайы шара шаралар қолдау көмек өсу деңгей халқы компания \
кәсіпорын қызметкерлер мамандар деректер нәтиже нәтижесі орын қаражат көше орталық ғимарат \
кеңес комиссия басқарма қызмет өкілдері басшылығы басшысы орынбасары төрағасы \
деді айтты мәлімдеді хабарлады жариялады өтті келді кетті берді алды жасады көрсетті шықты \
қабылдады ашылды жабылды басталды аяқталды болды болады болып керек қажет тиіс мүмкін жатыр \
отыр келеді береді алады жүр жүргізілді жоспарлануда талқылады ұсынды шешті істейді тұрады \
ұлттық халықаралық экономикалық әлеуметтік қоғамдық ірі бірінші екінші соңғы негізгі маңызды \
жергілікті";

/// Frequent real English words, most frequent (function words) first.
pub(super) const EN_COMMON: &str = "\
the of and to in a is that for on was with as by it at from said be has have are were will not \
this an which their they he she its but after also more than about over new year years \
government president minister ministry region regional city district people country countries \
week day days time officials police court law security economy economic prices gas fuel oil \
business bank money tenge school schools health hospital vaccine coronavirus pandemic meeting \
statement report reports information news program project development reform election \
elections party deputy deputies mayor residents citizens society situation measures support \
help growth level population company companies workers specialists data results case \
conditions part place funds area street centre building council commission office service \
representatives leadership head chairman says told announced reported noted stressed explained \
held took began ended can could must should would may became received gave made showed opened \
closed started planned continues discussed proposed decided work live located expected \
according including during between under before while since because however still already \
only very most all some other first second last main important local national international \
social public major one two three five ten hundred thousand million percent";

/// The planted terms of one language: the forms of each term, dictionary form first,
/// space-separated.
pub(super) struct PlantedSet {
    pub(super) lang: Lang,
    /// Frames favouring state, then frames favouring independent media.
    pub(super) frames: [&'static str; 20],
    /// Entities favouring state, then entities favouring independent media.
    pub(super) entities: [&'static str; 10],
}

/// Expected rates of one planted term.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rate {
    pub(super) state_favoured: bool,
    pub(super) favoured: f64,
    pub(super) other: f64,
}

impl Rate {
    pub(super) fn for_group(self, group: usize) -> f64 {
        if (group == 0) == self.state_favoured {
            self.favoured
        } else {
            self.other
        }
    }
}

/// Entity rates by position: both groups name the first state entity (the president) and the
/// fourth independent one (the city) often, with a modest difference.
pub(super) const STATE_ENTITY_RATES: [(f64, f64); 5] =
    [(3.0, 2.0), (1.5, 0.2), (1.2, 0.3), (1.0, 0.3), (0.8, 0.2)];
pub(super) const INDEPENDENT_ENTITY_RATES: [(f64, f64); 5] =
    [(1.5, 0.2), (1.4, 0.4), (1.0, 0.2), (2.0, 1.2), (0.8, 0.1)];

impl PlantedSet {
    /// The forms of each term, frames then entities.
    pub(super) fn forms(&self) -> impl Iterator<Item = Vec<&'static str>> + '_ {
        let terms = self.frames.iter().chain(self.entities.iter());
        terms.map(|forms| forms.split(' ').collect())
    }

    /// Rates in the order frames, entities (same order as the form lists).
    pub(super) fn rates(&self) -> Vec<Rate> {
        let frame = |i: usize| Rate {
            state_favoured: i < 10,
            favoured: 1.9 - 0.1 * (i % 10) as f64,
            other: 0.2,
        };
        let entity = |i: usize| {
            let (favoured, other) = if i < 5 {
                STATE_ENTITY_RATES[i]
            } else {
                INDEPENDENT_ENTITY_RATES[i - 5]
            };
            Rate {
                state_favoured: i < 5,
                favoured,
                other,
            }
        };
        (0..20).map(frame).chain((0..10).map(entity)).collect()
    }
}

pub(super) const PLANTED: [PlantedSet; 3] = [
    PlantedSet {
        lang: Lang::Ru,
        frames: [
            "террористы террористов террористами террористам",
            "бандиты бандитов бандитами",
            "стабильность стабильности",
            "порядок",
            "мародёры мародёров мародёрами",
            "провокаторы провокаторов провокаторами",
            "миротворцы миротворцев миротворцами",
            "единство единства единству",
            "радикалы радикалов радикалами",
            "экстремисты экстремистов экстремистами",
            "протестующие протестующих протестующим",
            "мирные мирных мирным",
            "журналисты журналистов журналистам",
            "задержанные задержанных задержанным",
            "пытки пытках",
            "цензура цензуры цензуру",
            "митинг митинга митинги митингов",
            "требования требований требованиями",
            "отключение отключения отключением",
            "жертвы жертв жертвами",
        ],
        entities: [
            "Токаев Токаева Токаеву Токаевым",
            "ОДКБ",
            "Акорда Акорды Акорде",
            "КНБ",
            "Минобороны",
            "Жанаозен Жанаозена",
            "Назарбаев Назарбаева Назарбаеву",
            "Масимов Масимова Масимову",
            "Алматы",
            "Казахтелеком",
        ],
    },
    PlantedSet {
        lang: Lang::Kk,
        frames: [
            "лаңкестер лаңкестердің лаңкестерге",
            "қарақшылар қарақшылардың қарақшыларды",
            "тұрақтылық тұрақтылықты тұрақтылықтың",
            "тәртіп тәртіпті тәртіпке",
            "бұзақылар бұзақыларды бұзақылардың",
            "арандатушылар",
            "бітімгерлер бітімгерлердің бітімгерлерге",
            "бірлік бірлікті",
            "радикалдар",
            "экстремистер",
            "наразылық наразылықтар наразылыққа",
            "бейбіт",
            "тілшілер тілшілерді тілшілердің",
            "ұсталғандар ұсталғандардың ұсталғандарды",
            "азаптау",
            "цензура",
            "шерушілер шерушілерді шерушілердің",
            "талаптар",
            "өшіру өшірудің",
            "құрбандар құрбандардың құрбандарға",
        ],
        entities: [
            "Тоқаев Тоқаевтың Тоқаевқа Тоқаевты",
            "ҰҚШҰ",
            "Ақорда Ақорданың Ақордада",
            "ҰҚК",
            "Мәжіліс Мәжілістің",
            "Жаңаөзен Жаңаөзенде Жаңаөзеннің",
            "Назарбаев Назарбаевтың Назарбаевқа",
            "Мәсімов Мәсімовтің Мәсімовке",
            "Алматы",
            "Қазақтелеком Қазақтелекомның Қазақтелекомға",
        ],
    },
    PlantedSet {
        lang: Lang::En,
        frames: [
            "terrorists terrorist",
            "bandits bandit",
            "stability",
            "looters looter",
            "rioters rioter",
            "provocateurs provocateur",
            "peacekeepers peacekeeping",
            "unity",
            "radicals radical",
            "extremists extremist",
            "protesters protester",
            "peaceful",
            "journalists journalist",
            "detained",
            "torture tortured",
            "censorship",
            "rally rallies",
            "demands",
            "shutdown",
            "victims victim",
        ],
        entities: [
            "Tokayev",
            "CSTO",
            "Akorda",
            "KNB",
            "Mazhilis",
            "Zhanaozen",
            "Nazarbayev",
            "Masimov",
            "Almaty",
            "Kazakhtelecom",
        ],
    },
];

/// The manifest's list of planted terms: per language, state frames, independent frames,
/// state entities, independent entities.
pub(super) fn planted_terms() -> Vec<PlantedTerm> {
    let mut terms = Vec::new();
    for set in &PLANTED {
        let kinds = set.frames.map(|_| "frame").into_iter();
        let kinds = kinds.chain(set.entities.map(|_| "entity"));
        for ((forms, kind), rate) in set.forms().zip(kinds).zip(set.rates()) {
            terms.push(PlantedTerm {
                term: forms[0].to_string(),
                lang: set.lang.code().to_string(),
                favours: if rate.state_favoured {
                    "state"
                } else {
                    "independent"
                }
                .to_string(),
                kind: kind.to_string(),
                rate_favoured: rate.favoured,
                rate_other: rate.other,
            });
        }
    }
    terms
}
