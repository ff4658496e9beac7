//! The counted tokens of a subset's documents summed per group and outlet and per group and
//! day, from [`super::volumes::Tables`]' rows: what entity and frame counts need of the
//! tokens. Their walks count with no tokens and these sums are added after (issue 15), so
//! the walks need not wait for the one that counts the tokens, and run beside it.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::fasthash::FastMap;
use crate::stats::counter::{Counter, GroupBucket};
use crate::stats::counts::{OutletNumbers, TermCounts};
use crate::stats::volumes::SegmentTable;

/// Counted tokens per group and outlet, and per group and day.
#[derive(Debug, Default, PartialEq)]
pub(super) struct TokenSums {
    /// Per group: its tokens, and its tokens per outlet number.
    groups: BTreeMap<String, (u64, Counter<u32>)>,
    /// Per group and day (the day's label; empty when undated).
    days: Counter<GroupBucket>,
}

impl TokenSums {
    /// The sums over the rows of `tables` (their tokens set), outlets numbered by `outlets`.
    pub fn of(tables: &[SegmentTable], outlets: &OutletNumbers) -> TokenSums {
        tables
            .par_iter()
            .map(|table| TokenSums::of_segment(table, outlets))
            .reduce(TokenSums::default, |mut sums, other| {
                sums.merge(other);
                sums
            })
    }

    fn of_segment(table: &SegmentTable, outlets: &OutletNumbers) -> TokenSums {
        // By the rows' numbers first (a segment has few groups, outlets and days; a table
        // of every group × outlet would not stay small with thousands of outlets grouped by
        // outlet), labelled once per number.
        let mut by_outlet: FastMap<(u32, u32), u64> = FastMap::default();
        let mut by_day: FastMap<(u32, u32), u64> = FastMap::default();
        for (i, &tokens) in table.tokens().iter().enumerate() {
            let keys = table.keys(i);
            *by_outlet.entry((keys.group, keys.outlet)).or_default() += tokens;
            *by_day.entry((keys.group, keys.day)).or_default() += tokens;
        }
        let mut sums = TokenSums::default();
        for ((group, outlet), n) in by_outlet {
            let group = table.group_label(group);
            let (tokens, per_outlet) = sums.groups.entry(group.to_string()).or_default();
            *tokens += n;
            per_outlet.add(outlets.of(table.outlet_label(outlet)), n);
        }
        for ((group, day), n) in by_day {
            let key = GroupBucket {
                group: table.group_label(group).to_string(),
                bucket: table.day_label(day).to_string(),
            };
            sums.days.add(key, n);
        }
        sums
    }

    fn merge(&mut self, other: TokenSums) {
        for (group, (tokens, per_outlet)) in other.groups {
            let (mine, my_outlets) = self.groups.entry(group).or_default();
            *mine += tokens;
            my_outlets.merge(per_outlet);
        }
        self.days.merge(other.days);
    }

    /// Adds the tokens to `counts`, counted with none: each group's, and each of its
    /// outlets'. (Every group and outlet of a document counted is there already.)
    pub fn add_to(&self, counts: &mut TermCounts) {
        for (group, (tokens, per_outlet)) in &self.groups {
            let Some(counts) = counts.groups.get_mut(group) else {
                continue;
            };
            counts.tokens += tokens;
            for (outlet, n) in per_outlet.iter() {
                counts.outlet_tokens.add(*outlet, n);
            }
        }
    }

    /// The tokens per group and day.
    pub fn days(&self) -> &Counter<GroupBucket> {
        &self.days
    }
}
