//! `/compare`: key terms both ways for any two groups and any query subset (the `compare`
//! command's options), a diverging Log Ratio chart, each term linking to its KWIC.

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::State;
use axum::response::Html;

use super::form;
use crate::report::svg;
use crate::stats::counts::{TermChoice, TermMode, Unit};
use crate::stats::keyness::{KeyTerm, Keyness, KeynessOptions, Rank, Side};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::{self, CompareItems, CompareRequest};
use crate::web::html::{self, attr, text};
use crate::web::params::{self, Params};
use crate::web::{App, WebError};

/// The page's parameters in canonical order: the selection, then its own.
pub static ORDER: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    params::order(&[
        "by",
        "target",
        "reference",
        "unit",
        "top",
        "min-freq",
        "ngram",
        "terms",
        "keep-stopwords",
        "items",
        "balance-outlets",
        "rank",
        "max-q",
    ])
});

/// The parameters the term counts depend on (the selection, the grouping, what is counted).
static COUNTS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| params::order(&["by", "ngram", "terms", "keep-stopwords", "items"]));

/// What a comparison counts (`items`): words, or the server's entity or frame list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Items {
    Words,
    Entities,
    Frames,
}

impl Items {
    fn of(params: &Params) -> Result<Items, WebError> {
        Ok(
            match params.choice("items", &["words", "entities", "frames"])? {
                "entities" => Items::Entities,
                "frames" => Items::Frames,
                _ => Items::Words,
            },
        )
    }

    /// The library's items, with the server's list (a request can only choose a kind).
    fn of_app(self, app: &App) -> Result<CompareItems<'_>, WebError> {
        /// The matcher of a server list, or an error saying how to start the server with one.
        fn listed<'a, M>(
            list: &'a Option<(String, M)>,
            what: &str,
            flag: &str,
        ) -> Result<&'a M, WebError> {
            list.as_ref().map(|(_, m)| m).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "this server has no {what} list; start `mediawatch serve` with {flag} FILE"
                ))
            })
        }
        let lists = &app.lists;
        Ok(match self {
            Items::Words => CompareItems::Terms,
            Items::Entities => {
                CompareItems::Entities(listed(&lists.entities, "entity", "--entity-list")?)
            }
            Items::Frames => CompareItems::Frames(listed(&lists.frames, "frame", "--frame-list")?),
        })
    }
}

/// Selects of a form: parameter, label, default, choices (value, label).
type Choices = [(
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
)];

/// The comparison's options offered as selects, each with the default [`keyness`] reads
/// when the parameter is absent.
const OPTIONS: &Choices = &[
    ("unit", "unit", "token", UNITS),
    ("terms", "terms", "analyzed", TERM_MODES),
    ("keep-stopwords", "stopwords", "no", STOPWORDS),
    ("ngram", "n-gram", "1", NGRAMS),
    ("balance-outlets", "outlets", "no", OUTLETS),
    ("rank", "rank by", "g2", RANKS),
];
const UNITS: &[(&str, &str)] = &[("token", "tokens"), ("document", "documents")];
const TERM_MODES: &[(&str, &str)] = &[
    ("analyzed", "lemmas/stems"),
    ("unstemmed", "unstemmed"),
    ("plain", "plain words"),
];
const STOPWORDS: &[(&str, &str)] = &[("no", "left out"), ("yes", "kept")];
const NGRAMS: &[(&str, &str)] = &[("1", "1"), ("2", "2"), ("3", "3")];
const OUTLETS: &[(&str, &str)] = &[("no", "pooled"), ("yes", "balanced")];
const RANKS: &[(&str, &str)] = &[("g2", "G²"), ("log-ratio", "Log Ratio"), ("lrc", "LRC")];

/// Key terms per direction drawn in the chart.
pub const CHART_TERMS: usize = 15;

/// Runs the comparison the parameters ask for (on the blocking pool).
pub async fn keyness(app: &Arc<App>, params: &Params) -> Result<Arc<Keyness>, WebError> {
    let ix = params.ix()?;
    let by: GroupBy = params
        .or("by", "category")
        .parse()
        .map_err(|e| WebError::BadRequest(format!("by: {e}")))?;
    let target = params.or("target", "state").to_string();
    let reference = params
        .get("reference")
        .filter(|r| *r != "all")
        .map(str::to_string);
    let unit = match params.choice("unit", &["token", "document"])? {
        "document" => Unit::Document,
        _ => Unit::Token,
    };
    let mode = match params.choice("terms", &["analyzed", "unstemmed", "plain"])? {
        "plain" => TermMode::Plain,
        "unstemmed" => TermMode::Unstemmed,
        _ => TermMode::Analyzed,
    };
    // As the `compare` command: plain words keep their stopwords; other modes on request.
    let keep_stopwords =
        params.choice("keep-stopwords", &["no", "yes"])? == "yes" || mode == TermMode::Plain;
    let items = Items::of(params)?;
    items.of_app(app)?;
    let top = params.number("top", 30, 1, 500)?;
    let min_freq = params.number("min-freq", 5, 0, 1_000_000)? as u64;
    let ngram = params.number("ngram", 1, 1, 3)?;
    let balance_outlets = params.choice("balance-outlets", &["no", "yes"])? == "yes";
    let rank = match params.choice("rank", &["g2", "log-ratio", "lrc"])? {
        "log-ratio" => Rank::LogRatio,
        "lrc" => Rank::Lrc,
        _ => Rank::G2,
    };
    // The page lists every tested term by default (max-q 1), as before issue 17's q < 0.05
    // default of the command; a smaller max-q filters as `--max-q` does.
    let max_q = params
        .get("max-q")
        .map(|v| match v.parse::<f64>() {
            Ok(q) if q > 0.0 && q <= 1.0 => Ok(q),
            _ => Err(WebError::BadRequest(format!(
                "max-q: expected a number above 0 and at most 1, got {v:?}"
            ))),
        })
        .transpose()?
        .filter(|q| *q < 1.0);
    // The counts depend on the documents, the grouping and what is counted only: a view that
    // changes a cut-off, the groups compared or the unit reuses them (counting is most of a
    // comparison's time; the keyness of finished counts a fraction).
    let terms = TermChoice {
        mode,
        ngram,
        keep_stopwords,
    };
    let counts_key = format!("compare-counts?{}", params.query(&COUNTS));
    let (app2, params2) = (app.clone(), params.clone());
    let counts = app
        .cached_large(ix, counts_key, move || {
            let source = app2.source(ix)?;
            let subset = params2.subset(source)?;
            Ok(stats::counts_of_items(
                &source.index,
                &subset,
                by,
                terms,
                items.of_app(&app2)?,
            )?)
        })
        .await?;
    let key = format!("compare?{}", params.query(&ORDER));
    let app2 = app.clone();
    app.cached(ix, key, move || {
        let request = CompareRequest {
            // The counts above are of this subset; keyness only reads the groups.
            subset: Subset::default(),
            by,
            target,
            reference,
            terms,
            options: KeynessOptions {
                unit,
                top,
                min_freq,
                balance_outlets,
                max_q,
                rank,
                ..KeynessOptions::default()
            },
        };
        Ok(stats::keyness_of_items(
            &counts,
            &request,
            items.of_app(&app2)?,
        )?)
    })
    .await
}

/// The query that finds a key term (quoted when it is a phrase).
pub fn term_query(term: &KeyTerm) -> String {
    if term.term.contains(char::is_whitespace) {
        format!("\"{}\"", term.term.replace('"', ""))
    } else {
        term.term.clone()
    }
}

/// `GET /compare`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let k = keyness(&app, &params).await?;
    let items = items_choices(&app);
    let items: Vec<(&str, &str)> = items.iter().map(|(v, l)| (*v, l.as_str())).collect();
    let mut extra = vec![
        form::by_select(&params),
        html::input("target", "target", params.or("target", "state"), 12),
        html::input("reference", "reference", params.or("reference", "all"), 12),
        html::select("items", "count", params.or("items", "words"), &items),
    ];
    extra.extend(OPTIONS.iter().map(|&(name, label, default, choices)| {
        html::select(name, label, params.or(name, default), choices)
    }));
    extra.extend([
        html::input("top", "top", params.or("top", "30"), 4),
        html::input("min-freq", "min freq", params.or("min-freq", "5"), 4),
        html::input("max-q", "max q", params.or("max-q", "1"), 4),
    ]);
    let extra = extra.concat();
    let mut body = form::selection("/compare", &params, &extra);
    body.push_str(&form::chips("/compare", &params, &ORDER));
    let _ = write!(
        body,
        "<p class=\"sizes\"><strong>{}</strong>: {} documents, {} tokens, {} outlets · <strong>{}</strong>: {} documents, {} tokens, {} outlets · {} terms tested, Bonferroni threshold p &lt; {:.2e}</p>",
        text(&k.target.label), k.target.documents, k.target.tokens, k.target.outlets,
        text(&k.reference.label), k.reference.documents, k.reference.tokens, k.reference.outlets,
        k.terms_tested, k.bonferroni_threshold,
    );
    body.push_str(&form::actions("compare", "/compare", &params, &ORDER, ""));
    body.push_str(&chart(&k));
    for side in Side::BOTH {
        let label = if side == Side::Target {
            &k.target.label
        } else {
            &k.reference.label
        };
        let _ = write!(body, "<h2>Over-used by {}</h2>", text(label));
        let rows: Vec<Vec<String>> = k
            .terms
            .iter()
            .filter(|t| t.direction == side)
            .map(|t| {
                let kwic = params
                    .with("q", &term_query(t))
                    .with(
                        "by",
                        if params.or("by", "category") == "outlet" {
                            "outlet"
                        } else {
                            "category"
                        },
                    )
                    .url("/kwic", &super::kwic::ORDER);
                vec![
                    format!(
                        "<a class=\"term\" href=\"{}\">{}</a>",
                        attr(&kwic),
                        text(&t.term)
                    ),
                    text(&t.forms.join(", ")),
                    t.target_freq.to_string(),
                    t.reference_freq.to_string(),
                    format!("{:.1}", t.target_per_million),
                    format!("{:.1}", t.reference_per_million),
                    format!("{:.2}", t.g2),
                    format!("{:.2}", t.log_ratio),
                    format!("{:.1e}{}", t.p, if t.bonferroni { " ✓" } else { "" }),
                    format!("{}/{}", t.target_outlets, t.reference_outlets),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "keyness",
            &[
                "term",
                "forms",
                "freq target",
                "freq reference",
                "per M target",
                "per M reference",
                "G²",
                "Log Ratio",
                "p (✓ Bonferroni)",
                "outlets",
            ],
            &[
                "", "", "num", "num", "num", "num", "num", "num", "num", "num",
            ],
            &rows,
        ));
    }
    Ok(html::page("Compare", &form::carry(&params), &body))
}

/// The `items` choices: words, and the lists this server loaded (by name).
fn items_choices(app: &App) -> Vec<(&'static str, String)> {
    let mut out = vec![("words", "words".to_string())];
    if let Some((name, _)) = &app.lists.entities {
        out.push(("entities", format!("entities ({name})")));
    }
    if let Some((name, _)) = &app.lists.frames {
        out.push(("frames", format!("frames ({name})")));
    }
    out
}

fn chart(k: &Keyness) -> String {
    let mut bars = Vec::new();
    for (i, side) in Side::BOTH.into_iter().enumerate() {
        for t in k
            .terms
            .iter()
            .filter(|t| t.direction == side)
            .take(CHART_TERMS)
        {
            bars.push(svg::Bar {
                label: t.forms.first().cloned().unwrap_or_else(|| t.term.clone()),
                value: t.log_ratio,
                colour: svg::colour(i).to_string(),
                note: format!("{:.2}", t.log_ratio),
            });
        }
    }
    if bars.is_empty() {
        return html::note("No key terms pass the frequency cut-off.");
    }
    let (target, reference) = (&k.target.label, &k.reference.label);
    let svg = svg::diverging_bars(&svg::DivergingChart {
        caption: svg::Caption::new("chart-keyness", format!("Key terms: {target} vs {reference} (Log Ratio)"), format!("Top {CHART_TERMS} key terms per direction; bars right are over-used by {target}, left by {reference}.")),
        left_caption: format!("← over-used by {reference}"),
        right_caption: format!("over-used by {target} →"),
        axis_label: "Log Ratio (log2 of relative frequency ratio)".into(),
        bars,
    });
    format!("<figure>{svg}</figure>")
}
