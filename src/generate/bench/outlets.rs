//! Outlets, dates and document lengths of the benchmark corpus.

use std::io;

use super::sample::{internal, Discrete};
use super::vocab::Lang;
use super::{GeneratedOutlet, MAX_DOC_BYTES, MIN_DOC_BYTES};
use crate::generate::rng::SplitMix64;
use crate::generate::BLACKOUT;

#[derive(Debug, Clone, Copy)]
pub(super) struct OutletDef {
    pub(super) key: &'static str,
    /// Size rank: the outlet's share of documents is proportional to 1 / rank.
    pub(super) rank: u32,
    /// The codes of the languages it publishes in, space-separated (`ru kk`).
    pub(super) languages: &'static str,
}

impl OutletDef {
    pub(super) fn is_state(&self) -> bool {
        self.key.starts_with("state_")
    }

    pub(super) fn category(&self) -> &'static str {
        if self.is_state() {
            "state"
        } else {
            "independent"
        }
    }

    pub(super) fn medium(&self) -> &'static str {
        if self.key.contains("_tv_") {
            "broadcast"
        } else {
            "article"
        }
    }

    /// The languages it publishes in, in the order written.
    pub(super) fn languages(&self) -> impl Iterator<Item = Lang> {
        let key = self.key;
        let code =
            move |c| Lang::from_code(c).unwrap_or_else(|| panic!("outlet {key}: language {c:?}"));
        self.languages.split(' ').map(code)
    }

    pub(super) fn generated(&self) -> GeneratedOutlet {
        GeneratedOutlet {
            key: self.key.to_string(),
            name: outlet_name(self.key).unwrap_or_else(|| self.key.to_string()),
            category: self.category().to_string(),
            medium: self.medium().to_string(),
            languages: self.languages().map(|l| l.code().to_string()).collect(),
        }
    }
}

/// 30 invented outlets: state ranks are odd, independent ranks even, so both groups have a
/// prolific outlet and a long tail of small ones.
pub(super) const OUTLETS: [OutletDef; 30] = [
    outlet_def("state_news_01", 1, "ru kk"),
    outlet_def("state_tv_01", 3, "ru kk"),
    outlet_def("state_tv_02", 5, "kk ru"),
    outlet_def("state_news_02", 7, "ru en"),
    outlet_def("state_news_03", 9, "kk"),
    outlet_def("state_tv_03", 11, "ru"),
    outlet_def("state_news_04", 13, "en"),
    outlet_def("state_news_05", 15, "ru kk"),
    outlet_def("state_news_06", 17, "kk"),
    outlet_def("state_tv_04", 19, "kk"),
    outlet_def("state_news_07", 21, "ru"),
    outlet_def("state_news_08", 23, "ru en"),
    outlet_def("state_news_09", 25, "kk"),
    outlet_def("state_news_10", 27, "ru"),
    outlet_def("state_news_11", 29, "en"),
    outlet_def("indep_news_01", 2, "ru en"),
    outlet_def("indep_tv_01", 4, "ru kk"),
    outlet_def("indep_news_02", 6, "ru"),
    outlet_def("indep_news_03", 8, "kk ru"),
    outlet_def("indep_news_04", 10, "en"),
    outlet_def("indep_news_05", 12, "ru"),
    outlet_def("indep_tv_02", 14, "ru"),
    outlet_def("indep_news_06", 16, "kk"),
    outlet_def("indep_news_07", 18, "ru en"),
    outlet_def("indep_news_08", 20, "ru"),
    outlet_def("indep_news_09", 22, "kk"),
    outlet_def("indep_news_10", 24, "en ru"),
    outlet_def("indep_news_11", 26, "ru"),
    outlet_def("indep_news_12", 28, "kk"),
    outlet_def("indep_news_13", 30, "ru"),
];

pub(super) const fn outlet_def(key: &'static str, rank: u32, languages: &'static str) -> OutletDef {
    OutletDef {
        key,
        rank,
        languages,
    }
}

/// Latin and Cyrillic name stems of a generated outlet key, and its number.
pub(super) fn outlet_parts(key: &str) -> Option<(&'static str, &'static str, u32)> {
    let (stems, number) = if let Some(n) = key.strip_prefix("state_news_") {
        (("Memleket Aqparat", "Мемлекет Ақпарат"), n)
    } else if let Some(n) = key.strip_prefix("state_tv_") {
        (("Memleket TV", "Мемлекет ТВ"), n)
    } else if let Some(n) = key.strip_prefix("indep_news_") {
        (("Erkin Pikir", "Еркін Пікір"), n)
    } else if let Some(n) = key.strip_prefix("indep_tv_") {
        (("Erkin Efir", "Еркін Эфир"), n)
    } else {
        return None;
    };
    Some((stems.0, stems.1, number.parse().ok()?))
}

/// Display name of a generated outlet key (`state_tv_03` → `Memleket TV 3`).
pub(super) fn outlet_name(key: &str) -> Option<String> {
    outlet_parts(key).map(|(latin, _, n)| format!("{latin} {n}"))
}

/// Aliases of a generated outlet key: Cyrillic name and compact Latin name.
pub(super) fn outlet_aliases(key: &str) -> Vec<String> {
    match outlet_parts(key) {
        Some((latin, cyrillic, n)) => vec![
            format!("{cyrillic} {n}"),
            format!("{}{n}", latin.replace(' ', "")),
        ],
        None => Vec::new(),
    }
}

/// Days from 2021-10-01 to 2022-03-31.
pub(super) const DAYS: usize = 182;
/// The first day of the benchmark corpus, 2021-10-01.
pub(super) const FIRST_DAY: (i32, u32, u32) = (2021, 10, 1);

/// Whether day number `day` (from [`FIRST_DAY`]) falls in the blackout the demo corpus shares.
pub(super) fn is_blackout(day: usize) -> bool {
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
    first
        .and_then(|d| d.checked_add_days(chrono::Days::new(day as u64)))
        .is_some_and(|d| BLACKOUT.contains(&d))
}

/// `YYYY-MM-DD` of every day of the corpus period.
pub(super) fn day_labels() -> Vec<String> {
    pub(super) const MONTHS: [(u32, u32, u32); 6] = [
        (2021, 10, 31),
        (2021, 11, 30),
        (2021, 12, 31),
        (2022, 1, 31),
        (2022, 2, 28),
        (2022, 3, 31),
    ];
    MONTHS
        .iter()
        .flat_map(|&(y, m, len)| (1..=len).map(move |d| format!("{y:04}-{m:02}-{d:02}")))
        .collect()
}

/// Appends `{day}T{hh}:{mm}:{ss}+06:00` with a time between 06:00 and 23:59.
pub(super) fn push_timestamp(out: &mut String, day: &str, rng: &mut SplitMix64) {
    let hour = rng.range(6, 23);
    let minute = rng.below(60);
    let second = rng.below(60);
    out.push_str(day);
    out.push('T');
    for (i, v) in [hour, minute, second].into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(b'0' + (v / 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    }
    out.push_str("+06:00");
}

/// Which outlet and language a document gets, and on which day it falls.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) pairs: Vec<(usize, Lang)>,
    pub(super) normal: Discrete,
    pub(super) blackout: Discrete,
    pub(super) day_cum: Vec<f64>,
}

impl Plan {
    pub(super) fn build() -> io::Result<Plan> {
        let harmonic: f64 = OUTLETS.iter().map(|o| 1.0 / f64::from(o.rank)).sum();
        let mut pairs = Vec::new();
        let mut weights = Vec::new();
        for (i, outlet) in OUTLETS.iter().enumerate() {
            for lang in outlet.languages() {
                pairs.push((i, lang));
                weights.push(1.0);
            }
        }
        // Iterative proportional fitting: outlet shares follow 1/rank exactly, language shares
        // approach 60/25/15 within what the outlets' languages allow.
        let outlet_share = |i: usize| 1.0 / f64::from(OUTLETS[i].rank) / harmonic;
        for round in 0..=200 {
            let mut row = [0.0f64; OUTLETS.len()];
            for (&(o, _), &w) in pairs.iter().zip(&weights) {
                row[o] += w;
            }
            for (&(o, _), w) in pairs.iter().zip(weights.iter_mut()) {
                *w *= outlet_share(o) / row[o];
            }
            if round == 200 {
                break;
            }
            let mut col = [0.0f64; 3];
            for (&(_, l), &w) in pairs.iter().zip(&weights) {
                col[l.index()] += w;
            }
            for (&(_, l), w) in pairs.iter().zip(weights.iter_mut()) {
                *w *= l.share() / col[l.index()];
            }
        }
        let normal = Discrete::new(&weights).ok_or_else(|| internal("outlet weights"))?;
        let is_quiet = |o: usize| !OUTLETS[o].is_state() && OUTLETS[o].medium() == "article";
        let blackout_weights: Vec<f64> = pairs
            .iter()
            .zip(&weights)
            .map(|(&(o, _), &w)| if is_quiet(o) { 0.0 } else { w })
            .collect();
        let active_share: f64 = blackout_weights.iter().sum::<f64>() / weights.iter().sum::<f64>();
        let blackout =
            Discrete::new(&blackout_weights).ok_or_else(|| internal("blackout weights"))?;
        let mut day_cum = Vec::with_capacity(DAYS);
        let mut acc = 0.0;
        for day in 0..DAYS {
            // 2021-10-01 was a Friday: weekday 0 = Monday.
            let weekday = (day + 4) % 7;
            let weekend = if weekday >= 5 { 0.75 } else { 1.0 };
            let event = match day {
                93..=95 => 1.6,                 // 2022-01-02 … 04: protests spread
                96..=101 => 1.4 * active_share, // blackout: active outlets publish 1.4× more
                102..=111 => 1.3,               // 2022-01-11 … 20: aftermath
                _ => 1.0,
            };
            acc += weekend * event;
            day_cum.push(acc);
        }
        Ok(Plan {
            pairs,
            normal,
            blackout,
            day_cum,
        })
    }

    /// The day of document `n` of `docs`: days are assigned in order, in proportion to their
    /// weight. `from` is the day of document `n - 1` (0 for the first).
    pub(super) fn day_of(&self, n: u64, docs: u64, from: usize) -> usize {
        let total = self.day_cum.last().copied().unwrap_or(0.0);
        let q = (n as f64 + 0.5) / docs.max(1) as f64 * total;
        let mut day = from;
        while day + 1 < self.day_cum.len() && self.day_cum[day] <= q {
            day += 1;
        }
        day
    }

    pub(super) fn pick(&self, rng: &mut SplitMix64, blackout: bool) -> (usize, Lang) {
        let table = if blackout {
            &self.blackout
        } else {
            &self.normal
        };
        self.pairs[table.sample(rng.next_u64() as u32)]
    }
}

/// Log-normal text lengths around the configured mean.
#[derive(Debug, Clone, Copy)]
pub(super) struct LengthModel {
    pub(super) mu: f64,
}

/// Spread (σ of the log) of document lengths.
pub(super) const LENGTH_SIGMA: f64 = 0.6;
/// Half a sentence: texts stop at the first sentence end past the target.
pub(super) const OVERSHOOT: f64 = 80.0;
/// Bytes of output buffered before a write to the caller's writer.
pub(super) const CHUNK_BYTES: usize = 64 * 1024;

impl LengthModel {
    pub(super) fn new(mean_bytes: usize) -> LengthModel {
        LengthModel {
            mu: (mean_bytes as f64).ln() - LENGTH_SIGMA * LENGTH_SIGMA / 2.0,
        }
    }

    pub(super) fn sample(&self, rng: &mut SplitMix64) -> usize {
        let u1 = 1.0 - rng.unit();
        let u2 = rng.unit();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let bytes = (self.mu + LENGTH_SIGMA * z).exp() - OVERSHOOT;
        bytes.clamp(MIN_DOC_BYTES as f64, (MAX_DOC_BYTES - 500) as f64) as usize
    }
}
