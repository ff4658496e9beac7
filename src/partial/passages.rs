//! Example passages of a report from partials, exactly those of one index of every document.
//! One index quotes, for each key term and group, documents at evenly spaced ranks of the
//! term's matches in date order (then later ones where no line can be cut): ranks of the
//! whole corpus's order, which no shard knows alone, and the key terms are known only once
//! the partials are merged. So the shards are asked twice, with small JSON files between:
//!
//! 1. `report --partials … --passage-asks ASKS` writes what the report asks ([`Asks`]: each
//!    key term, its group's labels, passages wanted, words of context);
//! 2. `passages --index SHARD … --asks ASKS --out KEYS` gives each ask's matches in the
//!    shard as date-order keys (publication time, id) ([`Keys`]);
//! 3. `passages --index SHARD … --asks ASKS --keys KEYS… --out ANSWERS` puts every shard's
//!    keys in one order, finds the documents one index would try and cuts the lines of
//!    those the shard holds ([`Answers`]);
//! 4. `report --partials … --passages ANSWERS…` takes the first passages in the order tried.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{same_as_command, selection_text, PartialError};
use crate::index::Index;
use crate::search::{self, MatchKey, Passage, PassageQuery};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::StatsError;

/// One passage query of a report, but for the selection (the report's, in [`Asks`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ask {
    /// The analyzed term.
    pub term: String,
    /// The labels of the group whose documents are quoted.
    pub labels: Vec<String>,
    /// Passages wanted.
    pub wanted: usize,
    /// Words of context on each side.
    pub window: usize,
}

impl Ask {
    /// The ask of a passage query.
    pub fn of(q: &PassageQuery) -> Ask {
        Ask {
            term: q.term.to_string(),
            labels: q.within.1.to_vec(),
            wanted: q.wanted,
            window: q.window,
        }
    }
}

/// What a report from partials asks the shards for its example passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asks {
    /// Grouping field.
    pub by: String,
    /// The report's selection (query and filters, as a partial's header has it).
    pub selection: String,
    /// Time zone of the passages' dates.
    pub zone: String,
    /// The passage queries, in the order the report asks them.
    pub asks: Vec<Ask>,
}

/// One shard's matches of each ask, as date-order keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keys {
    /// The asks answered.
    pub asked: Asks,
    /// Per ask (in order), the shard's match keys in date order.
    pub keys: Vec<Vec<MatchKey>>,
}

/// One ask's answer from one shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    /// The term's matches over every shard.
    pub matches: usize,
    /// The documents tried that the shard holds: their rank and passage (`None`: no line can
    /// be cut around the term).
    pub tried: Vec<(usize, Option<Passage>)>,
}

/// One shard's passages of each ask.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answers {
    /// The asks answered.
    pub asked: Asks,
    /// Per ask (in order).
    pub answers: Vec<Answer>,
}

impl Asks {
    /// No asks yet, of a report over `subset` grouped by `by`.
    pub fn new(subset: &Subset, by: GroupBy) -> Asks {
        Asks {
            by: by.to_string(),
            selection: selection_text(subset),
            zone: subset.filters.zone.name(),
            asks: Vec::new(),
        }
    }

    /// The passage query of ask `ask` in one shard (its filters of a shard).
    fn query<'a>(&self, ask: &'a Ask, subset: &'a Subset, by: GroupBy) -> PassageQuery<'a> {
        PassageQuery {
            query: &subset.query,
            filters: &subset.filters,
            within: (by.facet(), &ask.labels),
            term: &ask.term,
            wanted: ask.wanted,
            window: ask.window,
        }
    }

    /// Refuses asks of another selection or grouping than the command's.
    fn check(&self, subset: &Subset, by: GroupBy, path: &Path) -> Result<(), PartialError> {
        let ours = Asks::new(subset, by);
        for (field, theirs, ours) in [
            ("--by", &self.by, &ours.by),
            ("query and filters", &self.selection, &ours.selection),
            ("--timezone", &self.zone, &ours.zone),
        ] {
            same_as_command(path, field, theirs, ours)?;
        }
        Ok(())
    }
}

/// Reads a JSON file of this exchange, naming it in errors.
pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, PartialError> {
    let failed = |reason: String| PartialError::File {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| failed(format!("cannot read: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| failed(format!("not a mediawatch passages file of this kind: {e}")))
}

/// Writes a JSON file of this exchange (replacing it whole).
pub fn write_json<T: Serialize>(value: &T, path: &Path) -> Result<(), PartialError> {
    let failed = |reason: String| PartialError::File {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = serde_json::to_vec(value).map_err(|e| failed(e.to_string()))?;
    crate::files::write_replacing(path, &bytes, crate::files::Access::Shared)
        .map_err(|e| failed(format!("cannot write: {e}")))
}

/// Step 2: the shard's match keys of every ask (`subset`: the command's selection).
pub fn keys_of(
    index: &Index,
    (asked, path): (&Asks, &Path),
    subset: &Subset,
    by: GroupBy,
) -> Result<Keys, PartialError> {
    asked.check(subset, by, path)?;
    let subset = super::shard_subset(subset);
    let keys = asked
        .asks
        .iter()
        .map(|ask| search::match_keys(index, &asked.query(ask, &subset, by)))
        .collect::<Result<_, _>>()
        .map_err(StatsError::from)?;
    Ok(Keys {
        asked: asked.clone(),
        keys,
    })
}

/// Step 3: the passages of the documents the shard holds among those one index would try,
/// given every shard's keys (`keys`, each with its file).
pub fn answers_of(
    index: &Index,
    (asked, path): (&Asks, &Path),
    keys: &[(Keys, PathBuf)],
    subset: &Subset,
    by: GroupBy,
) -> Result<Answers, PartialError> {
    asked.check(subset, by, path)?;
    for (k, file) in keys {
        if k.asked != *asked || k.keys.len() != asked.asks.len() {
            return Err(PartialError::File {
                path: file.clone(),
                reason: format!("answers other asks than {}", path.display()),
            });
        }
    }
    let subset = super::shard_subset(subset);
    let mut answers = Vec::new();
    for (a, ask) in asked.asks.iter().enumerate() {
        let every: Vec<Vec<MatchKey>> = keys.iter().map(|(k, _)| k.keys[a].clone()).collect();
        let (matches, tried) = search::tried_across(&every, ask.wanted);
        let q = asked.query(ask, &subset, by);
        let tried = search::passages_tried(index, &q, &tried).map_err(StatsError::from)?;
        answers.push(Answer { matches, tried });
    }
    Ok(Answers {
        asked: asked.clone(),
        answers,
    })
}

/// Step 4: every shard's answers, merged: per ask, the matches and every document tried.
#[derive(Debug, Default)]
pub struct Examples {
    asked: Option<Asks>,
    asks: BTreeMap<Ask, (usize, BTreeMap<usize, Option<Passage>>)>,
    /// The answers files, for errors.
    files: Vec<PathBuf>,
}

impl Examples {
    /// The answers of `paths` (every shard's, made from the same asks).
    pub fn read(paths: &[PathBuf]) -> Result<Examples, PartialError> {
        let mut examples = Examples::default();
        let mut first: Option<Asks> = None;
        for path in paths {
            let answers: Answers = read_json(path)?;
            match &first {
                Some(asked) if *asked != answers.asked => {
                    return Err(PartialError::File {
                        path: path.clone(),
                        reason: format!(
                            "answers other asks than {}; make every shard's from the same asks",
                            paths[0].display()
                        ),
                    })
                }
                _ => first = Some(answers.asked.clone()),
            }
            for (ask, answer) in answers.asked.asks.iter().zip(answers.answers) {
                let entry = examples.asks.entry(ask.clone()).or_default();
                entry.0 = answer.matches;
                entry.1.extend(answer.tried);
            }
        }
        examples.files = paths.to_vec();
        examples.asked = first;
        Ok(examples)
    }

    /// Refuses answers to asks of another selection or grouping than the report's.
    pub fn check(&self, subset: &Subset, by: GroupBy) -> Result<(), PartialError> {
        match (&self.asked, self.files.first()) {
            (Some(asked), Some(path)) => asked.check(subset, by, path),
            _ => Ok(()),
        }
    }

    /// The passages of `q` one index of every document gives, with the matches.
    pub fn passages(&self, q: &PassageQuery) -> Result<(u64, Vec<Passage>), PartialError> {
        let missing = |what: &str| {
            PartialError::File {
            path: self.files.first().cloned().unwrap_or_default(),
            reason: format!(
                "the passages files ({}) {what} of term `{}`: make them from this report's --passage-asks, one per shard",
                self.files.len(),
                q.term
            ),
        }
        };
        let (matches, tried) = self
            .asks
            .get(&Ask::of(q))
            .ok_or_else(|| missing("hold no ask"))?;
        let lines = search::passages_from_tried(*matches, q.wanted, tried)
            .ok_or_else(|| missing("lack a document tried (not every shard answered?)"))?;
        Ok((*matches as u64, lines))
    }
}
