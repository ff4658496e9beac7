//! What an index records about itself besides its documents: its display zone. Stored as
//! the payload of every commit (tantivy keeps it in `meta.json` and carries it through
//! merges), so it changes atomically with the documents it describes.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::timezone::Zone;

/// Index-wide settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndexSettings {
    /// The zone calendar days were computed in at ingest, and the zone every output shows
    /// times in unless `--timezone` says otherwise.
    pub display_zone: Zone,
}

impl IndexSettings {
    /// The settings as a commit payload.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Settings from a commit payload; `None` when there is none or it does not parse.
    pub fn from_payload(payload: &str) -> Option<IndexSettings> {
        serde_json::from_str(payload).ok()
    }

    /// The settings of the last commit of an open index, if it recorded any.
    pub fn of(index: &Index) -> Option<IndexSettings> {
        let metas = index.load_metas().ok()?;
        metas.payload.as_deref().and_then(Self::from_payload)
    }

    /// The settings recorded in the index at `dir` (its `meta.json`), without opening it;
    /// `None` when there is no index or it recorded none.
    pub fn in_dir(dir: &Path) -> Option<IndexSettings> {
        let bytes = std::fs::read(dir.join("meta.json")).ok()?;
        let meta: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        meta.get("payload")?.as_str().and_then(Self::from_payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips() {
        let settings = IndexSettings {
            display_zone: Zone::parse("Europe/Moscow").unwrap(),
        };
        assert_eq!(settings.to_payload(), r#"{"display_zone":"Europe/Moscow"}"#);
        assert_eq!(
            IndexSettings::from_payload(&settings.to_payload()),
            Some(settings)
        );
        assert_eq!(IndexSettings::from_payload("not json"), None);
    }
}
