//! What an index records about itself besides its documents: its display zone and the
//! analysis version its terms were made with. Stored as
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
    #[serde(default)]
    pub display_zone: Zone,
    /// The [`crate::analysis::ANALYSIS_VERSION`] the index's terms were made with; `None`
    /// for an index committed before versions were recorded.
    #[serde(rename = "mediawatch_analysis", default)]
    pub analysis_version: Option<u32>,
}

impl IndexSettings {
    /// Settings for a new index shown in `display_zone`, made with this build's analysis.
    pub fn new(display_zone: Zone) -> IndexSettings {
        IndexSettings {
            display_zone,
            analysis_version: Some(crate::analysis::ANALYSIS_VERSION),
        }
    }

    /// The settings as a commit payload; a commit always records this build's analysis
    /// version, because it is the one that made the terms being committed.
    pub fn to_payload(&self) -> String {
        let current = IndexSettings::new(self.display_zone);
        serde_json::to_string(&current).unwrap_or_default()
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
        let settings = IndexSettings::new(Zone::parse("Europe/Moscow").unwrap());
        assert_eq!(
            settings.to_payload(),
            format!(
                r#"{{"display_zone":"Europe/Moscow","mediawatch_analysis":{}}}"#,
                crate::analysis::ANALYSIS_VERSION
            )
        );
        assert_eq!(
            IndexSettings::from_payload(&settings.to_payload()),
            Some(settings)
        );
        assert_eq!(IndexSettings::from_payload("not json"), None);
        // An index committed by a build that recorded only the analysis version.
        let old = IndexSettings::from_payload(r#"{"mediawatch_analysis":2}"#).unwrap();
        assert_eq!(
            (old.display_zone, old.analysis_version),
            (Zone::default(), Some(2))
        );
    }
}
