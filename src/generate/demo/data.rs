//! The demo corpus described as data: sentence tables per language (`text_*.json`), the
//! people, places and labels slotted into them (`slots.json`) and the plan — period, blackout,
//! outlets with their formats, volumes and languages, sidecars (`plan.json`). All compiled
//! into the binary, so `generate --demo` needs no files.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Deserialize;

/// Sentences of one section, by group: `all` for both, else the group's own.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Pool {
    /// Shared by both groups.
    #[serde(default)]
    pub all: Vec<String>,
    /// State outlets only.
    #[serde(default)]
    pub state: Vec<String>,
    /// Independent outlets only.
    #[serde(default)]
    pub independent: Vec<String>,
}

/// One coherent routine story: its sections' sentences.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Story {
    /// Section name → sentences.
    #[serde(flatten)]
    pub sections: BTreeMap<String, Vec<String>>,
}

/// A topic: routine stories (shared by both groups), or event sections per group.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Topic {
    /// Budget, weather, sport, culture, city life.
    Routine {
        /// Stories, one chosen per document.
        stories: Vec<Story>,
        /// Filler once a story's body runs out.
        #[serde(default)]
        generic: Vec<String>,
    },
    /// Protests, unrest, blackout, CSTO, confession, aftermath, journalists.
    Event(BTreeMap<String, Pool>),
}

/// What a TV programme says besides its stories.
#[derive(Debug, Clone, Deserialize)]
pub struct Broadcast {
    /// Opening line per programme kind.
    pub intro: BTreeMap<String, Vec<String>>,
    /// Between stories.
    pub transition: Vec<String>,
    /// A reporter signing off.
    pub signoff: Vec<String>,
    /// Closing line.
    pub outro: Vec<String>,
    /// Street interviews (question, answer) by mood (`routine`, `crisis`).
    pub dialogue: BTreeMap<String, Vec<(String, String)>>,
}

/// The sentence tables of one language.
#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    /// Topics by name.
    pub topics: BTreeMap<String, Topic>,
    /// TV phrases (Russian and Kazakh only).
    pub tv: Option<Broadcast>,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `ScheduleLabel` (generate/demo/data.rs): different facts, no shared type.
/// A city in its Russian (nominative, genitive, locative), Kazakh (nominative, locative,
/// ablative, genitive, dative) and English forms.
#[derive(Debug, Clone, Deserialize)]
pub struct City {
    /// Russian forms.
    pub ru: Vec<String>,
    /// Kazakh forms.
    pub kk: Vec<String>,
    /// English name.
    pub en: String,
    /// How often it is chosen.
    pub weight: u32,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `AliasPattern` (registry/entities.rs): different facts, no shared type.
/// An official's title and name (nominative and genitive in Russian and Kazakh).
#[derive(Debug, Clone, Deserialize)]
pub struct Official {
    /// Russian forms.
    pub ru: Vec<String>,
    /// Kazakh forms.
    pub kk: Vec<String>,
    /// English.
    pub en: String,
}

/// A channel's name in one language.
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    /// Outlet key.
    pub outlet: String,
    /// Language.
    pub lang: String,
    /// Name.
    pub name: String,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `City` (generate/demo/data.rs): different facts, no shared type.
/// A programme title by language and kind.
#[derive(Debug, Clone, Deserialize)]
pub struct ScheduleLabel {
    /// Language.
    pub lang: String,
    /// Programme kind.
    pub kind: String,
    /// Title.
    pub label: String,
}

/// Names and words slotted into the sentences.
#[derive(Debug, Clone, Deserialize)]
pub struct Slots {
    /// Cities.
    pub cities: Vec<City>,
    /// Officials.
    pub officials: Vec<Official>,
    /// Women quoted, by language.
    pub residents_f: BTreeMap<String, Vec<String>>,
    /// Men quoted, by language.
    pub residents_m: BTreeMap<String, Vec<String>>,
    /// Experts, by language.
    pub experts: BTreeMap<String, Vec<String>>,
    /// TV anchors, by language.
    pub anchors: BTreeMap<String, Vec<String>>,
    /// TV reporters, by language.
    pub reporters: BTreeMap<String, Vec<String>>,
    /// Channel names.
    pub channels: Vec<Channel>,
    /// Month names by language and month number.
    pub months: BTreeMap<String, BTreeMap<String, String>>,
    /// The Kazakh sentence introducing a Russian summary.
    pub mixed_intro: Vec<String>,
    /// Programme titles.
    pub schedule_labels: Vec<ScheduleLabel>,
}

/// One outlet of the demo corpus: how it publishes.
#[derive(Debug, Clone, Deserialize)]
pub struct OutletPlan {
    /// Registry key.
    pub key: String,
    /// `state` or `independent`.
    pub category: String,
    /// File format (`srt`, `vtt`, `jsonl`, `jsonl.gz`, `csv`, `csv;`, `csv-cp1251`, `txt`).
    pub format: String,
    /// Articles per day, (fewest, most) by phase (`pre`, `protest`, `blackout`, `after`).
    #[serde(default)]
    pub volume: BTreeMap<String, (u32, u32)>,
    /// Share of each language of its articles.
    #[serde(default)]
    pub languages: BTreeMap<String, f64>,
}

/// A sidecar `FILE.meta.json` next to a subtitle file.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct SidecarMeta {
    /// Programme title.
    pub title: String,
    /// Outlet (a key or an alias).
    pub outlet: String,
    /// Air time.
    pub published: String,
}

/// Which programme has a sidecar.
#[derive(Debug, Clone, Deserialize)]
pub struct Sidecar {
    /// The channel's outlet key.
    pub channel: String,
    /// The day in the file name.
    pub day: NaiveDate,
    /// The programme slug.
    pub slug: String,
    /// What the sidecar says.
    pub meta: SidecarMeta,
}

/// The plan of the demo corpus.
#[derive(Debug, Clone, Deserialize)]
pub struct Plan {
    /// Seed of every random choice.
    pub seed: u64,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// First and last day independent online outlets are silent.
    pub blackout: (NaiveDate, NaiveDate),
    /// The outlets, in registry order.
    pub outlets: Vec<OutletPlan>,
    /// Days with one Kazakh article carrying a Russian summary.
    pub mixed_days: Vec<NaiveDate>,
    /// Subtitle sidecars.
    pub sidecars: Vec<Sidecar>,
    /// How likely each topic is, by period.
    pub topics: Topics,
}

/// Topic weights of one period, by group: `all` for both, else the group's own (`state`,
/// `independent`), in the order the topics are drawn from.
pub type PeriodTopics = BTreeMap<String, Vec<TopicWeight>>;

/// Topic weights by period of the crisis.
#[derive(Debug, Clone, Deserialize)]
pub struct Topics {
    /// Before the protests.
    pub routine: PeriodTopics,
    /// The first days of the protests.
    pub protest: PeriodTopics,
    /// The blackout.
    pub blackout: PeriodTopics,
    /// After the blackout.
    pub after: PeriodTopics,
}

/// How likely a topic is in a period, only from `from` and up to `to` when given.
#[derive(Debug, Clone, Deserialize)]
pub struct TopicWeight {
    /// The topic.
    pub topic: String,
    /// Its weight among the period's topics.
    pub weight: f64,
    /// The first day it is written about.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day it is written about.
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, json: &str) -> T {
    // The tables are part of the program: a parse error is a bug caught by the tests.
    serde_json::from_str(json).unwrap_or_else(|e| panic!("generator data {name}: {e}"))
}

/// The plan.
pub static PLAN: LazyLock<Plan> =
    LazyLock::new(|| parse("plan.json", include_str!("../data/plan.json")));
/// The slot values.
pub static SLOTS: LazyLock<Slots> =
    LazyLock::new(|| parse("slots.json", include_str!("../data/slots.json")));
/// Russian sentences.
pub static RU: LazyLock<Text> =
    LazyLock::new(|| parse("text_ru.json", include_str!("../data/text_ru.json")));
/// Kazakh sentences.
pub static KK: LazyLock<Text> =
    LazyLock::new(|| parse("text_kk.json", include_str!("../data/text_kk.json")));
/// English sentences.
pub static EN: LazyLock<Text> =
    LazyLock::new(|| parse("text_en.json", include_str!("../data/text_en.json")));

/// The sentence tables of `lang` (`ru`, `kk` or `en`).
pub fn text(lang: &str) -> &'static Text {
    match lang {
        "kk" => &KK,
        "en" => &EN,
        _ => &RU,
    }
}

/// The README of `bad/`: what each broken record is and what should become of it.
pub const BAD_README: &str = include_str!("../data/bad_readme.md");
