//! The report's words: the question asked, the methods (definitions, thresholds, settings,
//! caveats), the summary at a glance and the provenance's command line — text built from
//! [`ReportData`] and the request, escaped later by each backend.

use std::path::Path;

use chrono::{Duration, Utc};

use crate::stats::keyness::{Keyness, Side};
use crate::stats::timeline::GapScope;
use crate::timezone::{Published, Zone};

use super::data::{Methods, Question, ReportData, Setting, ENTITY_TOP};
use super::request::ReportRequest;

/// A time bound as the user would have typed it: a date when it is a local midnight.
fn local_bound(at: chrono::DateTime<Utc>, zone: Zone, end: bool) -> String {
    let local = zone.local(at);
    if local.time() == chrono::NaiveTime::MIN {
        let day = if end {
            local.date() - Duration::days(1)
        } else {
            local.date()
        };
        return day.format("%Y-%m-%d").to_string();
    }
    let shown = if end { at - Duration::seconds(1) } else { at };
    zone.show(&Published::time(shown))
}

/// The question asked: groups, query, filters as typed, parameters.
pub fn question(request: &ReportRequest, reference: &str) -> Question {
    let f = &request.subset.filters;
    let mut filters = Vec::new();
    for (name, values) in [
        ("outlet", &f.outlets),
        ("category", &f.categories),
        ("lang", &f.langs),
        ("medium", &f.media),
    ] {
        if !values.is_empty() {
            filters.push(Setting::new(name, values.join(" or ")));
        }
    }
    if let Some(from) = f.from {
        filters.push(Setting::new("from", local_bound(from, f.zone, false)));
    }
    if let Some(until) = f.until {
        filters.push(Setting::new("to", local_bound(until, f.zone, true)));
    }
    let query = request.subset.query.trim();
    Question {
        by: request.by,
        target: request.target.clone(),
        reference: reference.to_string(),
        query: if query.is_empty() { "*" } else { query }.to_string(),
        filters,
        interval: request.interval,
        interval_note: None,
        timezone: f.zone.label(),
        top: request.top,
        min_freq: request.min_freq,
        min_gap_days: request.min_gap_days,
        copies: crate::stats::collapse::CopyCounting::keep(),
    }
}

/// Formulas, thresholds, analyzer settings and caveats of a report.
pub fn methods(request: &ReportRequest, keyness: &Keyness, reference: &str) -> Methods {
    let stopwords = crate::stats::counts::STOPWORD_LANGUAGES.join(", ");
    Methods {
        measures: measure_definitions(),
        thresholds: thresholds(),
        analysis: vec![
            Setting::new("unit", format!("{} (keyness); documents (timeline, overview)", keyness.unit)),
            Setting::new(
                "terms",
                format!("the index's analyzer (analysis version {}): Unicode word segmentation, NFC, lowercase, ё→е; Russian dictionary lemmas (OpenCorpora via rumorph) with a surname rule and Snowball for unknown words, Kazakh suffix analysis with vowel harmony and consonant assimilation, Snowball English; key terms shown as their lemma or most frequent form", crate::analysis::ANALYSIS_VERSION),
            ),
            Setting::new(
                "dropped",
                format!("stopwords (NLTK lists for {stopwords}, plus Kazakh function words), numbers, one-letter words"),
            ),
            Setting::new("n-gram size", 1),
            Setting::new("minimum frequency (a + b)", request.min_freq),
            Setting::new("terms tested", keyness.terms_tested),
            Setting::new(
                "Bonferroni threshold",
                format!("p < {:.3e} (0.05 / {})", keyness.bonferroni_threshold, keyness.terms_tested.max(1)),
            ),
            Setting::new("key terms listed per direction", request.top),
            Setting::new("outlet balancing", "off (frequencies pooled over each group's outlets)"),
            Setting::new(
                "gaps",
                format!(
                    "runs of at least {} days without output inside a group's or outlet's active range",
                    request.min_gap_days
                ),
            ),
            Setting::new(
                "days",
                format!(
                    "calendar days in {}; undated documents, and those dated only to the month or year, are counted everywhere but on the timeline",
                    request.subset.filters.zone.label()
                ),
            ),
            Setting::new(
                "example passages",
                format!(
                    "top {} terms per direction, {} passages each from documents spread over the period, {} words of context",
                    request.examples.terms, request.examples.per_term, request.examples.window
                ),
            ),
            Setting::new(
                "entity list",
                request.lists.entity_list.as_ref().map_or("none".to_string(), |p| p.display().to_string()),
            ),
            Setting::new(
                "entity matching",
                "each alias is analyzed like the documents and matched as a sequence of terms (so inflected forms meet: Токаев, Токаева, Токаеву); a word also matches when its Kazakh suffix-stripped form equals the alias's (Алматыда → алматы); a capitalized word may carry up to 3 letters of case ending beyond an alias stem of at least 4 letters; the longest alias wins and a word belongs to one mention",
            ),
            Setting::new(
                "share of voice",
                "an entity's mentions / mentions of all listed entities in the group",
            ),
            Setting::new(
                "gazetteer candidates",
                "runs of capitalized words that are not sentence-initial and match no alias",
            ),
            Setting::new(
                "frame list",
                request.lists.frame_list.as_ref().map_or("none".to_string(), |p| p.display().to_string()),
            ),
            Setting::new(
                "frame matching",
                "a plain word (or phrase) pattern matches the analyzed terms (stem, lowercase, ё→е); pattern* matches lowercased word forms starting with the prefix; patterns of every language apply to every document; a word counts for at most one pattern per frame",
            ),
            Setting::new(
                "frame share",
                "documents of the group with at least one hit of the frame / documents of the group",
            ),
            Setting::new(
                "entity and frame keyness",
                format!("as for terms, with mentions or hits as a and b and all counted tokens as c and d; top {ENTITY_TOP} per direction"),
            ),
        ],
        caveats: caveats(reference),
    }
}

/// Arguments joined for display, quoted where a shell would need it.
pub fn shell_words(args: &[String]) -> String {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            // The program path varies between machines; its name does not.
            let a = if i == 0 {
                Path::new(a)
                    .file_name()
                    .map_or(a.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                a.clone()
            };
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./:=+,@%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The report's main findings as plain sentences (escape them for the output format).
pub fn summary(data: &ReportData) -> Vec<String> {
    let mut out = Vec::new();
    for g in &data.overview.groups {
        out.push(format!(
            "{} ({}): {} documents from {} outlet{}, {} to {}.",
            g.label,
            g.role.name(),
            g.documents,
            g.outlets.len(),
            if g.outlets.len() == 1 { "" } else { "s" },
            g.days.first_day.as_deref().unwrap_or("?"),
            g.days.last_day.as_deref().unwrap_or("?"),
        ));
    }
    if let Some(note) = data.timeline.off_timeline_note() {
        out.push(format!("{note}."));
    }
    let gaps: Vec<_> = data.group_gaps().collect();
    if gaps.is_empty() {
        out.push(format!(
            "No group fell silent for {} days or more.",
            data.question.min_gap_days
        ));
    }
    for g in gaps {
        let outlets = data
            .timeline
            .gaps
            .iter()
            .filter(|o| {
                o.scope == GapScope::Outlet && o.group == g.name && o.from <= g.to && o.to >= g.from
            })
            .count();
        out.push(format!(
            "{} published nothing from {} to {} ({} days; {} of its outlets silent).",
            g.name, g.from, g.to, g.days, outlets
        ));
    }
    for direction in Side::BOTH {
        let terms = data.key_terms(direction);
        if terms.is_empty() {
            continue;
        }
        let words: Vec<String> = terms
            .iter()
            .take(8)
            .map(|t| t.forms.first().cloned().unwrap_or_else(|| t.term.clone()))
            .collect();
        out.push(format!(
            "Words over-used by {}: {}.",
            data.side_label(direction),
            words.join(", ")
        ));
    }
    let mut mix = Vec::new();
    for label in data.group_labels() {
        let langs: Vec<String> = data
            .language_mix
            .iter()
            .filter(|l| l.group == label)
            .map(|l| format!("{} {:.0}%", l.lang, l.share * 100.0))
            .collect();
        mix.push(format!("{label}: {}", langs.join(", ")));
    }
    if !mix.is_empty() {
        out.push(format!("Languages: {}.", mix.join("; ")));
    }
    out
}

/// The measure definitions of README's "Statistics" section.
pub fn measure_definitions() -> Vec<Setting> {
    [
        ("per million", "a / c · 10⁶"),
        (
            "G² (signed)",
            "E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G² = 2[a ln(a/E1) + b ln(b/E2)], 0·ln 0 = 0; positive when a/c > b/d (Dunning 1993; Rayson & Garside 2000)",
        ),
        (
            "p",
            "χ² with 1 df (critical values 3.84 / 6.63 / 10.83 / 15.13 for p = 0.05 / 0.01 / 0.001 / 0.0001)",
        ),
        (
            "Bonferroni",
            "p < 0.05 / number of terms tested (terms with a + b ≥ the minimum frequency)",
        ),
        (
            "q (BH)",
            "Benjamini & Hochberg (1995) false discovery rate over all terms tested (both directions): on ascending p-values, q(i) = min over j ≥ i of m·p(j)/j, capped at 1; by default only terms with q < 0.05 are listed",
        ),
        (
            "Log Ratio",
            "log2((a/c)/(b/d)), a zero frequency replaced by 0.5 (Hardie 2014)",
        ),
        (
            "Log Ratio 95% CI",
            "log2 ratio ± 1.96·√(1/a + 1/b)/ln 2 (standard error of a log rate ratio; zeros replaced by 0.5 as above; Hardie 2014)",
        ),
        (
            "LRC",
            "conservative Log Ratio: the 95% interval's bound closer to zero, 0 when the interval spans zero (Hardie 2014; Evert's conservative LR in CQPweb); `--rank lrc` orders by it",
        ),
        (
            "What changed",
            "terms ranked by the change of LRC from one period to the next, LRC(later) − LRC(earlier), among terms tested in both; a term whose LRC did not move (0 in both: no confident difference in either period) is not listed. LRC rather than Log Ratio, whose zero correction lets terms seen once or twice lead the list",
        ),
        (
            "%DIFF",
            "(a/c − b/d)/(b/d) · 100; empty when b = 0 (Gabrielatos & Marchi 2012)",
        ),
        (
            "log-odds z",
            "Monroe, Colaresi & Quinn (2008) with informative Dirichlet prior from the compared corpus: α_w = a + b, α₀ = c + d; δ = ln[(a+α_w)/(c+α₀−a−α_w)] − ln[(b+α_w)/(d+α₀−b−α_w)], σ² ≈ 1/(a+α_w) + 1/(b+α_w), z = δ/σ",
        ),
        ("outlets", "number of outlets in each group using the term"),
        (
            "DP",
            "Gries (2008): ½ Σ |v_i − s_i| over the target group's outlets, v_i = outlet's share of the term's hits, s_i = outlet's share of the group's tokens",
        ),
        (
            "dominated",
            "one outlet gives more than half of the over-using group's hits",
        ),
    ]
    .into_iter()
    .map(|(name, definition)| Setting::new(name, definition))
    .collect()
}

/// The significance thresholds of G² (χ², 1 df).
pub fn thresholds() -> Vec<Setting> {
    [
        ("p < 0.05", "G² ≥ 3.84"),
        ("p < 0.01", "G² ≥ 6.63"),
        ("p < 0.001", "G² ≥ 10.83"),
        ("p < 0.0001", "G² ≥ 15.13"),
    ]
    .into_iter()
    .map(|(name, value)| Setting::new(name, value))
    .collect()
}

/// The caveats every report repeats.
pub fn caveats(reference: &str) -> Vec<String> {
    vec![
        "Token vs document counts: keyness counts tokens (every occurrence), so long texts such as broadcast transcripts weigh more than short articles; the timeline and the overview count documents.".to_string(),
        "Outlet dominance: a group's frequency pools its outlets, so one prolific outlet can make a term key for the whole group. Check the outlets column and the dominated flag (one outlet gives more than half of the group's hits); DP near 0 means the term is spread evenly over the group's outlets.".to_string(),
        "Language mix: groups that publish in different languages differ in vocabulary for that reason alone. Compare the groups' language mix, and rerun with --lang to compare within one language.".to_string(),
        format!("Time coverage: a group that fell silent for part of the period (see the gaps) is compared on the days it published, so period-specific topics can look like group-specific wording. Restrict --from/--to to compare like with like against {reference}."),
        "Keyness shows which words differ, not why: read the example passages before interpreting a term as framing.".to_string(),
        "Dictionaries only find what they list: entity and frame figures count the gazetteer's aliases and the frame dictionary's patterns, nothing else, so a name or wording missing from a list (or spelled in an unlisted way) is invisible. The gazetteer candidates show frequent names the list lacks.".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Filters;

    #[test]
    fn bounds_read_as_typed() {
        let zone = Zone::parse("+06:00").unwrap();
        let mut filters = Filters::default();
        filters.set_from("2022-01-05", zone).unwrap();
        filters.set_to("2022-01-07", zone).unwrap();
        assert_eq!(
            local_bound(filters.from.unwrap(), zone, false),
            "2022-01-05"
        );
        assert_eq!(
            local_bound(filters.until.unwrap(), zone, true),
            "2022-01-07"
        );
        filters.set_to("2022-01-07T12:30:00+06:00", zone).unwrap();
        assert_eq!(
            local_bound(filters.until.unwrap(), zone, true),
            "2022-01-07T12:30+06:00"
        );
    }

    #[test]
    fn command_lines_are_quoted_for_a_shell() {
        let args: Vec<String> = [
            "/usr/bin/mediawatch",
            "report",
            "мирные жители",
            "--from",
            "it's",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            shell_words(&args),
            "mediawatch report 'мирные жители' --from 'it'\\''s'"
        );
    }
}
