//! The demo's TV programmes: the broadcast schedule of the two state channels, programmes
//! assembled from the day's stories, and their captions as SubRip or WebVTT files.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::data::text;
use super::text::{
    context, fill, has_content, in_blackout, in_window, jan, pick_topic, topic_weights,
};
use super::text::{Picker, EVENT, ROUTINE};
use crate::generate::rng::SplitMix64;

/// One caption: one or two lines, in italics (voice-over) or not, after a pause or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Its lines.
    pub lines: Vec<String>,
    /// Set in `<i>…</i>`.
    pub italic: bool,
    /// Preceded by a pause.
    pub pause: bool,
    /// Start, seconds into the programme.
    pub start: f64,
    /// End, seconds into the programme.
    pub end: f64,
}

/// One programme of the schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Channel.
    pub outlet: &'static str,
    /// File name part (`evening`, `special-1`, ...).
    pub slug: &'static str,
    /// Programme kind (`evening`, `morning`, `noon`, `special`).
    pub kind: &'static str,
    /// Language.
    pub lang: &'static str,
    /// Air time (local).
    pub at: NaiveDateTime,
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, minute, 0).expect("a valid time")
}

/// Every programme of `day`. Qazaq Efiri: Kazakh evening news daily, Russian morning news
/// every other day. Dala 24: Russian evening news daily, Russian morning news on the other
/// days, Kazakh noon news every third day. Both add bulletins during the crisis.
pub fn slots(day: NaiveDate) -> Vec<Slot> {
    let mut out = Vec::new();
    let ordinal = day.num_days_from_ce();
    let crisis = in_blackout(day);
    let mut add = |outlet, slug, kind, lang, time| {
        out.push(Slot {
            outlet,
            slug,
            kind,
            lang,
            at: time,
        })
    };
    if ordinal % 2 == 0 || crisis {
        add("qazaq_efiri", "morning", "morning", "ru", at(day, 8, 0));
    }
    if crisis {
        add("qazaq_efiri", "special-1", "special", "kk", at(day, 11, 0));
        add("qazaq_efiri", "special-2", "special", "ru", at(day, 15, 0));
    }
    add("qazaq_efiri", "evening", "evening", "kk", at(day, 20, 0));
    if day == jan(5) {
        // Aired after midnight: the sidecar .meta.json carries the real date.
        add("qazaq_efiri", "night", "special", "kk", at(jan(6), 0, 30));
    }
    if ordinal % 2 == 1 && !crisis {
        add("dala_24", "morning", "morning", "ru", at(day, 8, 30));
    }
    if crisis {
        add("dala_24", "bulletin-1100", "special", "ru", at(day, 11, 0));
    }
    if ordinal % 3 == 0 || crisis {
        add("dala_24", "noon", "noon", "kk", at(day, 13, 0));
    }
    if crisis {
        add("dala_24", "bulletin-1700", "special", "ru", at(day, 17, 0));
    }
    add("dala_24", "evening", "evening", "ru", at(day, 21, 0));
    out
}

/// `words` split into `parts` runs of about equal length in characters.
fn split_even(words: &[&str], parts: usize) -> Vec<Vec<String>> {
    let total: usize = words.iter().map(|w| w.chars().count() + 1).sum();
    let mut out: Vec<Vec<String>> = Vec::new();
    let (mut current, mut length) = (Vec::new(), 0usize);
    for (i, w) in words.iter().enumerate() {
        current.push(w.to_string());
        length += w.chars().count() + 1;
        let left = words.len() - i - 1;
        let due = total as f64 * (out.len() + 1) as f64 / parts as f64;
        if out.len() + 1 < parts && length as f64 >= due && left > 0 {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The captions of one sentence: each at most two balanced lines of about `width` characters.
fn chunks(sentence: &str, width: usize) -> Vec<Vec<String>> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let n = sentence.chars().count().div_ceil(2 * width - 4).max(1);
    split_even(&words, n)
        .into_iter()
        .map(|chunk| {
            let line = chunk.join(" ");
            if line.chars().count() <= width {
                vec![line]
            } else {
                let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
                split_even(&refs, 2)
                    .into_iter()
                    .map(|l| l.join(" "))
                    .collect()
            }
        })
        .collect()
}

/// A programme: its captions and the titles of its stories. `forced` topics lead.
pub fn programme(
    rng: &mut SplitMix64,
    slot: &Slot,
    day: NaiveDate,
    forced: &[&str],
) -> (Vec<Cue>, Vec<String>) {
    let lang = slot.lang;
    let tv = text(lang)
        .tv
        .as_ref()
        .expect("TV phrases of a broadcast language");
    let mut ctx = context(rng, day, slot.outlet, lang);
    let mut cues: Vec<Cue> = Vec::new();
    let say = |cues: &mut Vec<Cue>, sentence: &str, italic: bool, pause: bool| {
        for (i, lines) in chunks(sentence, 42).into_iter().enumerate() {
            cues.push(Cue {
                lines,
                italic,
                pause: pause && i == 0,
                start: 0.0,
                end: 0.0,
            });
        }
    };
    say(
        &mut cues,
        &fill(rng.choice(&tv.intro[slot.kind]).as_str(), &ctx),
        false,
        false,
    );
    let n_topics = match slot.kind {
        "evening" => rng.range(3, 4),
        "morning" | "noon" => rng.range(2, 3),
        _ => 2,
    } as usize;
    let mut topics: Vec<&str> = forced.to_vec();
    while topics.len() < n_topics {
        let topic = pick_topic(rng, "state", day, lang, None);
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    // Lead with the big stories, weather last.
    let order: Vec<&str> = EVENT
        .iter()
        .chain(&["budget", "city", "culture", "sport", "weather"])
        .copied()
        .collect();
    let rank = |t: &str| order.iter().position(|o| *o == t).unwrap_or(order.len());
    topics.sort_by_key(|t| (!forced.contains(t), rank(t)));
    let (budget, floor) = (360, 125);
    let count = |cues: &[Cue]| -> usize {
        cues.iter()
            .map(|c| c.lines.join(" ").split_whitespace().count())
            .sum()
    };
    let mut titles = Vec::new();
    let mut i = 0;
    while i < topics.len() || count(&cues) < floor {
        if i >= topics.len() {
            let extra: Vec<&str> = topic_weights("state", day)
                .into_iter()
                .map(|w| w.0)
                .filter(|t| !topics.contains(t) && has_content(lang, t, "state", day))
                .collect();
            if extra.is_empty() {
                break;
            }
            topics.push(*rng.choice(&extra));
        }
        let topic = topics[i];
        if count(&cues) > budget - 70 {
            break;
        }
        if i > 0 && rng.unit() < 0.5 {
            say(
                &mut cues,
                &fill(rng.choice(&tv.transition).as_str(), &ctx),
                false,
                true,
            );
        }
        let mut picker = Picker::new(rng, lang, topic, "state", day);
        titles.push(fill(&picker.any(rng, "title"), &ctx));
        let mut story = picker.take(rng, "lead", 1);
        let n = if slot.kind == "evening" {
            rng.range(2, 3)
        } else {
            rng.range(1, 2)
        };
        story.extend(picker.take(rng, "body", n as usize));
        if picker.has("frame") {
            let n = rng.range(1, 2) as usize;
            story.extend(picker.take(rng, "frame", n));
        }
        for (j, sentence) in story.iter().enumerate() {
            say(&mut cues, &fill(sentence, &ctx), false, j == 0);
            if j == 0 {
                for line in picker.sections["tv"].clone() {
                    let italic = line.starts_with('~');
                    say(&mut cues, line.trim_start_matches('~'), italic, false);
                }
            }
        }
        if rng.unit() < 0.25 {
            let mood = if ROUTINE.contains(&topic) {
                "routine"
            } else {
                "crisis"
            };
            let pairs: Vec<(&str, &str)> = tv.dialogue[mood]
                .iter()
                .filter_map(|(q, a)| Some((in_window(q, day)?, a.as_str())))
                .collect();
            let (q, a) = rng.choice(&pairs);
            cues.push(Cue {
                lines: vec![format!("- {q}"), format!("- {a}")],
                italic: false,
                pause: false,
                start: 0.0,
                end: 0.0,
            });
        }
        if rng.unit() < 0.3 {
            let reporters = &super::data::SLOTS.reporters[lang];
            ctx.insert("reporter", rng.choice(reporters).clone());
            say(
                &mut cues,
                &fill(rng.choice(&tv.signoff).as_str(), &ctx),
                false,
                false,
            );
        }
        i += 1;
    }
    say(
        &mut cues,
        &fill(rng.choice(&tv.outro).as_str(), &ctx),
        false,
        true,
    );
    time_cues(rng, &mut cues);
    (cues, titles)
}

/// Times the captions: reading speed, short gaps, longer pauses between stories.
fn time_cues(rng: &mut SplitMix64, cues: &mut [Cue]) {
    let mut t = 2.0 + f64::from(rng.range(0, 20)) / 10.0;
    for cue in cues {
        if cue.pause {
            t += f64::from(rng.range(5, 25)) / 10.0;
        }
        let chars: usize = cue.lines.iter().map(|l| l.chars().count()).sum();
        let duration = (chars as f64 / 14.5).clamp(1.6, 7.0);
        cue.start = t;
        cue.end = t + duration;
        t += duration + rng.choice(&[0.12, 0.2, 0.24, 0.4]);
    }
}

/// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT).
fn timestamp(seconds: f64, separator: char) -> String {
    let ms = (seconds * 1000.0).round() as u64;
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{separator}{ms:03}")
}

fn cue_text(cue: &Cue) -> String {
    let body = cue.lines.join("\n");
    if cue.italic {
        format!("<i>{body}</i>")
    } else {
        body
    }
}

/// The captions as a SubRip file.
pub fn srt(cues: &[Cue]) -> String {
    let blocks: Vec<String> = cues
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{}\n{} --> {}\n{}\n",
                i + 1,
                timestamp(c.start, ','),
                timestamp(c.end, ','),
                cue_text(c)
            )
        })
        .collect();
    blocks.join("\n")
}

/// The captions as a WebVTT file; a few cues carry a position setting.
pub fn vtt(rng: &mut SplitMix64, cues: &[Cue]) -> String {
    let mut blocks = vec!["WEBVTT\n".to_string()];
    for c in cues {
        let setting = if rng.unit() < 0.1 { " line:85%" } else { "" };
        blocks.push(format!(
            "{} --> {}{setting}\n{}\n",
            timestamp(c.start, '.'),
            timestamp(c.end, '.'),
            cue_text(c)
        ));
    }
    blocks.join("\n")
}

/// The programme's plain text: every caption line, speaker dashes removed.
pub fn plain_text(cues: &[Cue]) -> String {
    let lines: Vec<&str> = cues
        .iter()
        .flat_map(|c| c.lines.iter())
        .map(|l| l.strip_prefix("- ").unwrap_or(l))
        .collect();
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_balanced_and_timed() {
        let chunked = chunks("Один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать", 42);
        assert!(chunked.iter().all(|c| c.len() <= 2));
        assert_eq!(timestamp(3725.5, ','), "01:02:05,500");
        let crisis = slots(jan(7));
        assert!(crisis.iter().filter(|s| s.outlet == "qazaq_efiri").count() >= 3);
        assert!(slots(jan(5))
            .iter()
            .any(|s| s.slug == "night" && s.at.date() == jan(6)));
    }
}
