//! The summary of copy clusters: per group the share of its documents that copy an earlier
//! one, who copies whom (outlet → outlet with the median lag), and the talking points carried
//! by the most outlets.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Cluster;

/// One group's copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCopies {
    /// Group label.
    pub group: String,
    /// Documents of the group in the subset.
    pub documents: u64,
    /// Of them, in a cluster.
    pub clustered: u64,
    /// Of them, in a cluster but not its first: copies of an earlier document.
    pub copies: u64,
    /// copies / documents.
    pub copy_share: f64,
    /// The clusters (by id) with this group's documents that the most outlets carry.
    pub talking_points: Vec<usize>,
}

/// Copies from one outlet's first publication to another outlet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    /// Outlet that published first.
    pub from: String,
    /// Outlet that published the copy.
    pub to: String,
    /// Copies.
    pub count: u64,
    /// Median hours from the first publication to the copy (`null`: no dated pair).
    pub median_lag_hours: Option<f64>,
}

/// A text carried by several outlets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TalkingPoint {
    /// Cluster id.
    pub cluster: usize,
    /// Outlets carrying it.
    pub outlets: usize,
    /// Documents carrying it.
    pub documents: usize,
    /// The first publisher.
    pub first_outlet: String,
    /// Title of the first document.
    pub title: String,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Outlet`
// (registry/sources.rs), `SearchRequest` (search/mod.rs) and 1 more: different facts, no shared
// type.
/// Everything the clusters say in brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopySummary {
    /// The similarity a pair needed.
    pub min_similarity: f64,
    /// Documents looked at.
    pub documents: u64,
    /// Clusters found.
    pub clusters: usize,
    /// Documents in a cluster.
    pub clustered_documents: u64,
    /// Per group.
    pub groups: Vec<GroupCopies>,
    /// Outlet → outlet copies, most first.
    pub flows: Vec<Flow>,
    /// The clusters carried by the most outlets.
    pub talking_points: Vec<TalkingPoint>,
}

impl CopySummary {
    /// The summary of no documents (what a report that leaves copies out holds).
    pub fn empty(min_similarity: f64) -> CopySummary {
        CopySummary {
            min_similarity,
            documents: 0,
            clusters: 0,
            clustered_documents: 0,
            groups: Vec::new(),
            flows: Vec::new(),
            talking_points: Vec::new(),
        }
    }
}

/// The median of `values` (`None` when empty).
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// Whether a cluster can be a talking point: several outlets carry it.
fn is_talking_point(cluster: &Cluster) -> bool {
    cluster.outlets.len() > 1
}

/// The clusters (sorted most outlets first, each with a number of the caller's) that
/// [`summarize`] lists as the `top` talking points, the only ones whose titles it shows.
pub(super) fn talking_points_mut<T: Copy>(
    clusters: &mut [(Cluster, T)],
    top: usize,
) -> impl Iterator<Item = (&mut Cluster, T)> {
    clusters
        .iter_mut()
        .filter(|(c, _)| is_talking_point(c))
        .take(top)
        .map(|(c, number)| (c, *number))
}

/// The summary of `clusters` (sorted most outlets first) over groups of the given sizes;
/// `top` talking points overall and per group.
pub fn summarize(
    clusters: &[Cluster],
    group_documents: &BTreeMap<String, u64>,
    min_similarity: f64,
    top: usize,
) -> CopySummary {
    let mut groups: BTreeMap<&str, (u64, u64, Vec<usize>)> = BTreeMap::new();
    let mut flows: BTreeMap<(&str, &str), (u64, Vec<f64>)> = BTreeMap::new();
    for cluster in clusters {
        for (i, (doc, group)) in cluster.documents.iter().zip(&cluster.groups).enumerate() {
            let entry = groups.entry(group.as_str()).or_default();
            entry.0 += 1;
            if i > 0 {
                entry.1 += 1;
            }
            if !entry.2.contains(&cluster.id) {
                entry.2.push(cluster.id);
            }
            let outlet = &doc.document.outlet;
            if i > 0 && *outlet != cluster.first.outlet {
                let flow = flows
                    .entry((cluster.first.outlet.as_str(), outlet.as_str()))
                    .or_default();
                flow.0 += 1;
                flow.1.extend(doc.lag_hours);
            }
        }
    }
    let groups = group_documents
        .iter()
        .map(|(group, &documents)| {
            let (clustered, copies, ids) = groups.remove(group.as_str()).unwrap_or_default();
            GroupCopies {
                group: group.clone(),
                documents,
                clustered,
                copies,
                copy_share: if documents > 0 {
                    copies as f64 / documents as f64
                } else {
                    0.0
                },
                // Cluster ids follow the outlets order already.
                talking_points: ids.into_iter().take(top).collect(),
            }
        })
        .collect();
    let mut flows: Vec<Flow> = flows
        .into_iter()
        .map(|((from, to), (count, mut lags))| Flow {
            from: from.to_string(),
            to: to.to_string(),
            count,
            median_lag_hours: median(&mut lags),
        })
        .collect();
    flows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    CopySummary {
        min_similarity,
        documents: group_documents.values().sum(),
        clusters: clusters.len(),
        clustered_documents: clusters.iter().map(|c| c.size as u64).sum(),
        groups,
        flows,
        talking_points: clusters
            .iter()
            .filter(|c| is_talking_point(c))
            .take(top)
            .map(|c| TalkingPoint {
                cluster: c.id,
                outlets: c.outlets.len(),
                documents: c.size,
                first_outlet: c.first.outlet.clone(),
                title: c.title.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
