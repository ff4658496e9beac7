//! Writing the demo's texts: sentences drawn from the tables of [`super::data`] for a topic,
//! a group and a day, with names and numbers slotted in; which topics each group covers on
//! which day (the planted story of January 2022).

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::data::{text, Pool, Topic, PLAN, SLOTS};
use crate::generate::rng::SplitMix64;

/// The sections of a text, in reading order.
pub const SECTIONS: [&str; 7] = ["title", "lead", "body", "frame", "quote", "close", "tv"];
/// Everyday topics, covered by both groups from the same stories.
pub const ROUTINE: [&str; 5] = ["budget", "weather", "sport", "culture", "city"];
/// The events of January 2022, told differently by each group.
pub const EVENT: [&str; 7] = [
    "protest",
    "unrest",
    "blackout",
    "csto",
    "confession",
    "aftermath",
    "journalists",
];

/// A day of January 2022.
pub fn jan(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, day).expect("a January day")
}

/// Whether `day` falls in the blackout.
pub fn in_blackout(day: NaiveDate) -> bool {
    crate::generate::BLACKOUT.contains(&day)
}

/// The values slotted into a text's `{name}` placeholders.
pub type Context = BTreeMap<&'static str, String>;

/// `template` with every `{name}` replaced by its value in `ctx` (unknown names stay).
pub fn fill(template: &str, ctx: &Context) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if ctx.contains_key(name) => {
                out.push_str(&ctx[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn month(lang: &str, day: NaiveDate) -> String {
    SLOTS.months[lang][&day.month().to_string()].clone()
}

/// Names, places and numbers for one text of `outlet` in `lang` on `day`.
pub fn context(rng: &mut SplitMix64, day: NaiveDate, outlet: &str, lang: &str) -> Context {
    let weights: Vec<f64> = SLOTS.cities.iter().map(|c| f64::from(c.weight)).collect();
    let city = &SLOTS.cities[rng.weighted(&weights)];
    let official = rng.choice(&SLOTS.officials).clone();
    let pick = |rng: &mut SplitMix64, table: &BTreeMap<String, Vec<String>>| {
        table
            .get(lang)
            .map(|v| rng.choice(v).clone())
            .unwrap_or_default()
    };
    let t = rng.range(18, 34);
    let mut ctx = Context::new();
    ctx.insert("city", city.ru[0].clone());
    ctx.insert("city_gen", city.ru[1].clone());
    ctx.insert("city_loc", city.ru[2].clone());
    for (key, i) in [
        ("city_kk", 0),
        ("city_da", 1),
        ("city_dan", 2),
        ("city_nyn", 3),
        ("city_ga", 4),
    ] {
        ctx.insert(key, city.kk[i].clone());
    }
    ctx.insert("city_en", city.en.clone());
    ctx.insert("d", format!("{} {}", day.day(), month("ru", day)));
    ctx.insert("d_kk", format!("{} {}да", day.day(), month("kk", day)));
    ctx.insert("d_en", format!("{} {}", day.day(), month("en", day)));
    let (official_nom, official_gen) = match lang {
        "ru" => (official.ru[0].clone(), official.ru[1].clone()),
        "kk" => (official.kk[0].clone(), official.kk[1].clone()),
        _ => (official.en.clone(), official.en.clone()),
    };
    ctx.insert("official", official_nom);
    ctx.insert("official_gen", official_gen);
    let resident_f = pick(rng, &SLOTS.residents_f);
    ctx.insert("resident_f", resident_f);
    let resident_m = pick(rng, &SLOTS.residents_m);
    ctx.insert("resident_m", resident_m);
    let expert = pick(rng, &SLOTS.experts);
    ctx.insert("expert", expert);
    let pct = (rng.range(4, 14), rng.range(1, 9));
    ctx.insert("pct", format!("{},{}", pct.0, pct.1));
    ctx.insert("pct_en", format!("{}.{}", pct.0, pct.1));
    ctx.insert("t", t.to_string());
    ctx.insert("t2", (t - rng.range(5, 10)).to_string());
    ctx.insert("n_hundreds", (120 + 10 * rng.below(30)).to_string());
    let score = (rng.range(2, 5), rng.range(0, 1));
    let separator = if lang == "en" { "-" } else { ":" };
    ctx.insert("score", format!("{}{separator}{}", score.0, score.1));
    ctx.insert("state_tv", "«Qazaq Efiri»".into());
    ctx.insert("state_tv_kk", "«Қазақ Эфирі»".into());
    ctx.insert("state_tv_en", "Qazaq Efiri".into());
    match lang {
        "kk" => {
            ctx.insert("city", city.kk[0].clone());
        }
        "en" => {
            ctx.insert("city", city.en.clone());
        }
        _ => {}
    }
    let anchor = pick(rng, &SLOTS.anchors);
    ctx.insert("anchor", anchor);
    let reporter = pick(rng, &SLOTS.reporters);
    ctx.insert("reporter", reporter);
    let channel = SLOTS
        .channels
        .iter()
        .find(|c| c.outlet == outlet && c.lang == lang)
        .map_or(String::new(), |c| c.name.clone());
    ctx.insert("channel", channel);
    ctx
}

/// A `[MMDD-MMDD]` prefix limits a line to a window of days (either end may be missing):
/// the line without its prefix, or `None` outside the window.
pub fn in_window(line: &str, day: NaiveDate) -> Option<&str> {
    let Some(rest) = line.strip_prefix('[') else {
        return Some(line);
    };
    let Some((window, text)) = rest.split_once(']') else {
        return Some(line);
    };
    let Some((lo, hi)) = window.split_once('-') else {
        return Some(line);
    };
    let date = |md: &str| -> Option<NaiveDate> {
        let (m, d) = (md.get(..2)?.parse().ok()?, md.get(2..)?.parse().ok()?);
        NaiveDate::from_ymd_opt(if m == 12 { 2021 } else { 2022 }, m, d)
    };
    let after_start = lo.is_empty() || date(lo).is_some_and(|lo| day >= lo);
    let before_end = hi.is_empty() || date(hi).is_some_and(|hi| day <= hi);
    (after_start && before_end).then_some(text)
}

/// The lines of `items` that apply on `day`.
pub fn window(items: &[String], day: NaiveDate) -> Vec<String> {
    items
        .iter()
        .filter_map(|line| in_window(line, day))
        .map(str::to_string)
        .collect()
}

/// The stories of a routine topic that have a title and a lead on `day`.
fn stories(lang: &str, topic: &str, day: NaiveDate) -> Vec<&'static super::data::Story> {
    match text(lang).topics.get(topic) {
        Some(Topic::Routine { stories, .. }) => stories
            .iter()
            .filter(|s| {
                let has =
                    |k: &str| !window(s.sections.get(k).map_or(&[][..], |v| v), day).is_empty();
                has("title") && has("lead")
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The sentences of an event topic's section for `group` on `day`.
fn pool(lang: &str, topic: &str, section: &str, group: &str, day: NaiveDate) -> Vec<String> {
    let Some(Topic::Event(sections)) = text(lang).topics.get(topic) else {
        return Vec::new();
    };
    let Some(Pool {
        all,
        state,
        independent,
    }) = sections.get(section)
    else {
        return Vec::new();
    };
    let own = if group == "state" { state } else { independent };
    window(&[all.clone(), own.clone()].concat(), day)
}

/// Whether `topic` can be written in `lang` for `group` on `day`.
pub fn has_content(lang: &str, topic: &str, group: &str, day: NaiveDate) -> bool {
    match text(lang).topics.get(topic) {
        Some(Topic::Routine { .. }) => !stories(lang, topic, day).is_empty(),
        Some(Topic::Event(_)) => {
            !pool(lang, topic, "title", group, day).is_empty()
                && (!pool(lang, topic, "lead", group, day).is_empty()
                    || !pool(lang, topic, "body", group, day).is_empty())
        }
        None => false,
    }
}

/// Draws sentences without repetition inside one text. A routine topic tells one story; its
/// topic's generic lines fill in only after the story's body.
pub struct Picker {
    /// The sentences of each section.
    pub sections: BTreeMap<&'static str, Vec<String>>,
    filler: Vec<String>,
    used: HashSet<String>,
}

impl Picker {
    /// A picker for `topic` in `lang`, as `group` tells it on `day`.
    pub fn new(
        rng: &mut SplitMix64,
        lang: &str,
        topic: &str,
        group: &str,
        day: NaiveDate,
    ) -> Picker {
        let mut sections = BTreeMap::new();
        let mut filler = Vec::new();
        match text(lang).topics.get(topic) {
            Some(Topic::Routine { generic, .. }) => {
                let candidates = stories(lang, topic, day);
                let story = rng.choice(&candidates);
                for section in SECTIONS {
                    let lines = story.sections.get(section).map_or(&[][..], |v| v);
                    sections.insert(section, window(lines, day));
                }
                filler = window(generic, day);
            }
            _ => {
                for section in SECTIONS {
                    sections.insert(section, pool(lang, topic, section, group, day));
                }
            }
        }
        Picker {
            sections,
            filler,
            used: HashSet::new(),
        }
    }

    /// Whether `section` has sentences at all.
    pub fn has(&self, section: &str) -> bool {
        self.sections.get(section).is_some_and(|s| !s.is_empty())
    }

    /// Any sentence of `section` (e.g. a title; repetition allowed).
    pub fn any(&self, rng: &mut SplitMix64, section: &str) -> String {
        rng.choice(&self.sections[section]).clone()
    }

    /// Up to `n` unused sentences of `section`.
    pub fn take(&mut self, rng: &mut SplitMix64, section: &str, n: usize) -> Vec<String> {
        let unused = |lines: &[String], used: &HashSet<String>| -> Vec<String> {
            lines
                .iter()
                .filter(|s| !used.contains(*s))
                .cloned()
                .collect()
        };
        let mut candidates = unused(&self.sections[section], &self.used);
        rng.shuffle(&mut candidates);
        candidates.truncate(n);
        if section == "body" && candidates.len() < n {
            let mut rest = unused(&self.filler, &self.used);
            rng.shuffle(&mut rest);
            rest.truncate(n - candidates.len());
            candidates.extend(rest);
        }
        self.used.extend(candidates.iter().cloned());
        candidates
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A text's paragraphs with their language.
pub type Paragraphs = Vec<(&'static str, String)>;

/// What a text is about: a topic, in a language, as a group tells it, on a day.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    /// Language.
    pub lang: &'static str,
    /// `state` or `independent`.
    pub group: &'a str,
    /// Topic.
    pub topic: &'a str,
    /// Day.
    pub day: NaiveDate,
}

/// An article: a title and paragraphs of about `target` words (105–240 when not given),
/// ending with a closing line now and then when `closing`.
pub fn article(
    rng: &mut SplitMix64,
    piece: Piece,
    ctx: &Context,
    target: Option<usize>,
    closing: bool,
) -> (String, Paragraphs) {
    let Piece {
        lang,
        group,
        topic,
        day,
    } = piece;
    let mut picker = Picker::new(rng, lang, topic, group, day);
    let title = fill(&picker.any(rng, "title"), ctx);
    let target = target.unwrap_or_else(|| rng.range(105, 240) as usize);
    let mut lead = picker.take(rng, "lead", 1);
    if lead.is_empty() {
        lead = picker.take(rng, "body", 1);
    }
    let n = rng.range(2, 4) as usize;
    let mut middle = picker.take(rng, "body", n);
    if picker.has("frame") {
        let n = rng.range(2, 3) as usize;
        middle.extend(picker.take(rng, "frame", n));
    }
    rng.shuffle(&mut middle);
    let mut quote = if rng.unit() < 0.6 {
        picker.take(rng, "quote", 1)
    } else {
        Vec::new()
    };
    let close = if closing && rng.unit() < 0.75 {
        picker.take(rng, "close", 1)
    } else {
        Vec::new()
    };
    let count = |parts: &[&Vec<String>]| -> usize {
        parts.iter().flat_map(|p| p.iter()).map(|s| words(s)).sum()
    };
    while count(&[&lead, &middle, &quote, &close]) < target {
        let mut extra = picker.take(rng, "body", 1);
        if extra.is_empty() {
            extra = picker.take(rng, "frame", 1);
        }
        let Some(sentence) = extra.pop() else {
            if quote.is_empty() {
                quote = picker.take(rng, "quote", 1);
            }
            break;
        };
        let at = rng.below(middle.len() as u32 + 1) as usize;
        middle.insert(at, sentence);
    }
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut first = lead;
    if !middle.is_empty() {
        first.push(middle.remove(0));
    }
    paragraphs.push(first);
    while !middle.is_empty() {
        let k = (rng.range(1, 3) as usize).min(middle.len());
        paragraphs.push(middle.drain(..k).collect());
    }
    if !quote.is_empty() {
        let at = rng.range(1, paragraphs.len() as u32) as usize;
        paragraphs.insert(at, quote);
    }
    if !close.is_empty() {
        paragraphs.push(close);
    }
    let paragraphs = paragraphs
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| (lang, fill(&p.join(" "), ctx)))
        .collect();
    (title, paragraphs)
}

/// A Kazakh article followed by a short Russian summary paragraph.
pub fn mixed(
    rng: &mut SplitMix64,
    topic: &str,
    day: NaiveDate,
    kk: &Context,
    ru: &Context,
) -> (String, Paragraphs) {
    let target = rng.range(90, 140) as usize;
    let piece = Piece {
        lang: "kk",
        group: "independent",
        topic,
        day,
    };
    let (title, mut paragraphs) = article(rng, piece, kk, Some(target), false);
    let mut picker = Picker::new(rng, "ru", topic, "independent", day);
    let mut summary = picker.take(rng, "frame", 2);
    summary.extend(picker.take(rng, "body", 2));
    rng.shuffle(&mut summary);
    paragraphs.push(("kk", rng.choice(&SLOTS.mixed_intro).clone()));
    paragraphs.push(("ru", fill(&summary.join(" "), ru)));
    (title, paragraphs)
}

/// How likely each topic is for `group` on `day` (`plan.json`'s `topics`): routine news first,
/// the protests from 2 January, unrest and the blackout (state outlets only) from 5 January, the
/// aftermath after the blackout.
pub fn topic_weights(group: &str, day: NaiveDate) -> Vec<(&'static str, f64)> {
    let topics = &PLAN.topics;
    let period = if day < jan(2) {
        &topics.routine
    } else if day <= jan(4) {
        &topics.protest
    } else if in_blackout(day) {
        &topics.blackout
    } else {
        &topics.after
    };
    let group = if group == "state" {
        "state"
    } else {
        "independent"
    };
    let rows = period.get(group).or_else(|| period.get("all"));
    let rows = rows.unwrap_or_else(|| panic!("plan.json: no topic weights for {group}"));
    rows.iter()
        .filter(|t| t.from.is_none_or(|from| day >= from) && t.to.is_none_or(|to| day <= to))
        .map(|t| (t.topic.as_str(), t.weight))
        .collect()
}

/// A topic for `group` in `lang` on `day` (among `only` when given). English services cover
/// only the crisis once it starts.
pub fn pick_topic(
    rng: &mut SplitMix64,
    group: &str,
    day: NaiveDate,
    lang: &str,
    only: Option<&[&str]>,
) -> &'static str {
    let weights: Vec<(&str, f64)> = topic_weights(group, day)
        .into_iter()
        .filter(|(t, _)| has_content(lang, t, group, day))
        .filter(|(t, _)| only.is_none_or(|only| only.contains(t)))
        .filter(|(t, _)| !(lang == "en" && day >= jan(2) && ROUTINE.contains(t)))
        .collect();
    let index = rng.weighted(&weights.iter().map(|w| w.1).collect::<Vec<_>>());
    weights[index].0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_windows_respected() {
        let mut ctx = Context::new();
        ctx.insert("city", "Актау".into());
        assert_eq!(fill("В {city} {unknown}", &ctx), "В Актау {unknown}");
        assert_eq!(in_window("[0104-]Протест", jan(3)), None);
        assert_eq!(in_window("[0104-]Протест", jan(4)), Some("Протест"));
        assert_eq!(in_window("[-1231]Бюджет", jan(1)), None);
        assert_eq!(in_window("Бюджет", jan(1)), Some("Бюджет"));
    }

    #[test]
    fn articles_have_a_title_and_about_the_words_asked_for() {
        let mut rng = SplitMix64::named(1, "t");
        let day = jan(3);
        let ctx = context(&mut rng, day, "ashyq_alan", "ru");
        let piece = Piece {
            lang: "ru",
            group: "independent",
            topic: "protest",
            day,
        };
        let (title, paragraphs) = article(&mut rng, piece, &ctx, Some(150), true);
        assert!(!title.is_empty() && !title.contains('{'));
        let n: usize = paragraphs.iter().map(|p| words(&p.1)).sum();
        assert!((100..400).contains(&n), "{n} words");
        assert!(paragraphs.iter().all(|p| !p.1.contains("{city")));
    }

    // regression: the topic weights moved from this file to plan.json; these lists are what
    // the code gave before, read off it by hand.
    #[test]
    fn topic_weights_by_period_group_and_day() {
        let routine = topic_weights("state", jan(1));
        assert_eq!(routine, topic_weights("independent", jan(1)));
        assert_eq!(routine[4], ("city", 2.0));
        let protest = topic_weights("independent", jan(4));
        assert_eq!(protest[0], ("protest", 6.0));
        assert_eq!(protest.len(), 4);
        let blackout: Vec<&str> = topic_weights("state", jan(6)).iter().map(|t| t.0).collect();
        assert_eq!(blackout, ["unrest", "blackout", "weather", "city", "csto"]);
        let state: Vec<f64> = topic_weights("state", jan(12))
            .iter()
            .map(|t| t.1)
            .collect();
        // aftermath weather city budget sport culture, then unrest csto blackout.
        assert_eq!(state, [4.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0, 1.5, 0.5]);
        let independent = topic_weights("independent", jan(13));
        let dated: Vec<&str> = independent.iter().skip(8).map(|t| t.0).collect();
        assert_eq!(dated, ["unrest", "confession", "csto"]);
        assert_eq!(independent[2], ("journalists", 2.0));
    }
}
