//! Shaping statistics into report sections: facet counts, the timeline and the entity and
//! frame statistics in, the overview, language mix, entity and frame sections out. Pure
//! functions: nothing here reads the index.

use std::collections::BTreeMap;
use std::path::Path;

use crate::registry::{EntityRegistry, FrameRegistry};
use crate::search::FacetCounts;
use crate::stats::entities::EntityStats;
use crate::stats::frames::FrameStats;
use crate::stats::keyness::Keyness;
use crate::stats::timeline::Timeline;

use super::data::{
    Count, DaySpan, EntityGroup, EntityPair, EntityRow, EntitySection, EntityShare, FrameGap,
    FrameSection, GroupSummary, LanguageShare, ListSource, Overview, Role, ENTITY_TOP,
    FRAMES_OVER_TIME,
};
use super::request::ReportRequest;

/// The two lists a report counts with, each behind its own section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// The entity gazetteer (`--entity-list`).
    Entities,
    /// The frame dictionary (`--frame-list`).
    Frames,
}

impl ListKind {
    /// What the list is called in the sections' sentences, and the flag that gives it.
    fn name_and_flag(self) -> (&'static str, &'static str) {
        match self {
            ListKind::Entities => ("entity list", "--entity-list"),
            ListKind::Frames => ("frame list", "--frame-list"),
        }
    }
}

/// A list file's path as shown, and the sentence its section shows when there is no file.
pub fn list_file(kind: ListKind, path: Option<&Path>) -> ListSource {
    let (what, flag) = kind.name_and_flag();
    let (list, missing) = match path {
        None => (
            String::new(),
            Some(format!("No {what} was given, so this section is empty.")),
        ),
        Some(p) if !p.exists() => (
            p.display().to_string(),
            Some(format!(
                "No {what}: {} does not exist (pass {flag} FILE), so this section is empty.",
                p.display()
            )),
        ),
        Some(p) => (p.display().to_string(), None),
    };
    ListSource { list, missing }
}

/// An entity or frame list as the report reads it: the file and why its section is empty
/// (see [`list_file`]), and what was loaded from the file when it is there.
pub struct ListFile<T> {
    /// The path as shown, and why the section is empty.
    pub source: ListSource,
    /// What `load` made of the file, when it is there.
    pub loaded: Option<T>,
}

/// The [`ListFile`] of list `kind` at `path`, loaded with `load` when the file is there.
pub fn load_list<T, E>(
    kind: ListKind,
    path: Option<&Path>,
    load: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<ListFile<T>, E> {
    let source = list_file(kind, path);
    let loaded = match path.filter(|_| source.missing.is_none()) {
        Some(path) => Some(load(path)?),
        None => None,
    };
    Ok(ListFile { source, loaded })
}

/// The entities section from the figures and keyness of `registry`'s entities; groups in
/// display order.
pub fn entities(
    list: String,
    registry: &EntityRegistry,
    stats: EntityStats,
    keyness: Keyness,
    group_order: &[String],
) -> EntitySection {
    let mut section = EntitySection::empty(ListSource {
        list,
        missing: None,
    });
    for label in group_order {
        let group = stats.groups.iter().find(|g| g.label == *label);
        section.groups.push(EntityGroup {
            group: label.clone(),
            documents: group.map_or(0, |g| g.documents),
            mentions: group.map_or(0, |g| g.entities.iter().map(|e| e.mentions).sum()),
        });
    }
    for entity in registry.entities() {
        let mut row = EntityRow {
            id: entity.id.clone(),
            name: entity.name.clone(),
            kind: entity.kind.clone(),
            mentions: 0,
            documents: 0,
            groups: Vec::new(),
        };
        for label in group_order {
            let figures = stats
                .groups
                .iter()
                .find(|g| g.label == *label)
                .and_then(|g| g.entities.iter().find(|e| e.id == entity.id));
            let share = EntityShare {
                group: label.clone(),
                mentions: figures.map_or(0, |f| f.mentions),
                documents: figures.map_or(0, |f| f.documents),
                share_of_voice: figures.map_or(0.0, |f| f.share_of_voice),
            };
            row.mentions += share.mentions;
            row.documents += share.documents;
            row.groups.push(share);
        }
        if row.mentions > 0 {
            section.entities.push(row);
        }
    }
    section
        .entities
        .sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
    let name = |id: &str| {
        registry
            .entities()
            .iter()
            .find(|e| e.id == id)
            .map_or(id.to_string(), |e| e.name.clone())
    };
    section.co_mentions = stats
        .co_mentions
        .iter()
        .take(ENTITY_TOP)
        .map(|c| EntityPair {
            a: c.a.clone(),
            a_name: name(&c.a),
            b: c.b.clone(),
            b_name: name(&c.b),
            documents: c.documents,
        })
        .collect();
    section.unknown_names = stats.unknown_names;
    section.keyness = Some(keyness);
    section
}

/// The frames section from the shares and keyness of `registry`'s frames; groups in display
/// order.
pub fn frames(
    request: &ReportRequest,
    list: String,
    registry: &FrameRegistry,
    stats: FrameStats,
    keyness: Keyness,
    group_order: &[String],
) -> FrameSection {
    let mut section = FrameSection::empty(ListSource {
        list,
        missing: None,
    });
    let position = |label: &str| group_order.iter().position(|g| g == label);
    let mut shares = stats.shares;
    shares.sort_by(|a, b| {
        a.frame
            .cmp(&b.frame)
            .then(position(&a.group).cmp(&position(&b.group)))
            .then(a.group.cmp(&b.group))
    });
    // The reference side pools its groups (one group, or all others).
    let side = |frame: &str, target: bool| {
        let (with_hit, documents) = shares
            .iter()
            .filter(|s| s.frame == frame)
            .filter(|s| {
                let is_target = s.group == request.target;
                if target {
                    is_target
                } else {
                    !is_target && request.reference.as_ref().is_none_or(|r| *r == s.group)
                }
            })
            .fold((0u64, 0u64), |acc, s| {
                (acc.0 + s.documents_with_hit, acc.1 + s.documents)
            });
        if documents == 0 {
            0.0
        } else {
            with_hit as f64 / documents as f64
        }
    };
    let mut gaps: Vec<FrameGap> = registry
        .frames()
        .iter()
        .filter(|f| {
            shares
                .iter()
                .any(|s| s.frame == **f && s.documents_with_hit > 0)
        })
        .map(|f| {
            let (t, r) = (side(f, true), side(f, false));
            FrameGap {
                frame: f.clone(),
                target_share: t,
                reference_share: r,
                difference: t - r,
            }
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.difference
            .abs()
            .total_cmp(&a.difference.abs())
            .then(a.frame.cmp(&b.frame))
    });
    gaps.truncate(FRAMES_OVER_TIME);
    section.series = stats
        .series
        .into_iter()
        .filter(|p| gaps.iter().any(|g| g.frame == p.frame))
        .collect();
    section.series.sort_by(|a, b| {
        (&a.frame, position(&a.group), &a.group, &a.bucket).cmp(&(
            &b.frame,
            position(&b.group),
            &b.group,
            &b.bucket,
        ))
    });
    section.over_time = gaps;
    section.shares = shares;
    section.keyness = Some(keyness);
    section
}

/// Counts sorted by documents (most first), ties by value.
fn ranked(map: &BTreeMap<String, u64>) -> Vec<Count> {
    let mut out: Vec<Count> = map
        .iter()
        .map(|(value, documents)| Count {
            value: value.clone(),
            documents: *documents,
        })
        .collect();
    out.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.value.cmp(&b.value)));
    out
}

/// Documents per group, outlet, language and medium; groups target first, then the
/// reference, then others by label.
pub fn overview(
    request: &ReportRequest,
    all: &FacetCounts,
    per_group: &BTreeMap<String, FacetCounts>,
    timeline: &Timeline,
) -> Overview {
    let reference = request.reference.as_deref();
    let facet = request.by.facet();
    let mut groups: Vec<GroupSummary> = per_group
        .iter()
        .map(|(label, counts)| {
            let role = if *label == request.target {
                Role::Target
            } else if reference.is_none_or(|r| r == label) {
                Role::Reference
            } else {
                Role::Other
            };
            let tokens = timeline
                .groups
                .get(label)
                .map_or(0, |series| series.values().map(|v| v.tokens).sum());
            GroupSummary {
                label: label.clone(),
                role,
                documents: counts.get(facet).get(label).copied().unwrap_or(0),
                tokens,
                days: DaySpan::of(&counts.day),
                active_days: counts.day.len() as u64,
                outlets: ranked(&counts.outlet),
                langs: ranked(&counts.lang),
                media: ranked(&counts.medium),
            }
        })
        .collect();
    // Role order: target, reference, other.
    groups.sort_by(|a, b| a.role.cmp(&b.role).then(a.label.cmp(&b.label)));
    Overview {
        documents: all.get(facet).values().sum(),
        days: DaySpan::of(&all.day),
        groups,
    }
}

/// Each group's documents per language, languages in code order.
pub fn language_mix(overview: &Overview) -> Vec<LanguageShare> {
    let mut out = Vec::new();
    for group in &overview.groups {
        let mut langs = group.langs.clone();
        langs.sort_by(|a, b| a.value.cmp(&b.value));
        for count in langs {
            out.push(LanguageShare {
                group: group.label.clone(),
                lang: count.value,
                documents: count.documents,
                share: if group.documents == 0 {
                    0.0
                } else {
                    count.documents as f64 / group.documents as f64
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_loaded_only_when_its_file_is_there() {
        let load = |path: &Path| -> Result<String, ()> { Ok(path.display().to_string()) };
        let none = load_list(ListKind::Entities, None, load).unwrap();
        assert_eq!((none.source.list.as_str(), none.loaded), ("", None));
        let why = none.source.missing.unwrap();
        assert!(why.starts_with("No entity list was given"));
        let absent = Path::new("no/such/frames.csv");
        let missing = load_list(ListKind::Frames, Some(absent), load).unwrap();
        assert_eq!(missing.loaded, None);
        let why = missing.source.missing.unwrap();
        assert!(why.contains("pass --frame-list FILE"));
        let there = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let found = load_list(ListKind::Frames, Some(&there), load).unwrap();
        let shown = there.display().to_string();
        assert_eq!(found.loaded, Some(shown.clone()));
        let list = shown;
        assert_eq!(
            found.source,
            ListSource {
                list,
                missing: None
            }
        );
        let fails = |_: &Path| Err::<(), _>(7);
        let failing = load_list(ListKind::Frames, Some(&there), fails);
        assert_eq!(failing.err(), Some(7));
    }
}
