//! The layout of a corpus directory like the bundled `corpus/`: every subdirectory but `bad/`
//! holds input files, and the registries sit at the top (`sources.csv`, `entities.csv`,
//! `frames.csv`). What `mediawatch run` ingests and reports on.

use std::io;
use std::path::{Path, PathBuf};

/// A corpus directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    root: PathBuf,
}

/// The folder of reject-path fixtures, never part of a corpus's documents.
pub const FIXTURES: &str = "bad";

impl Layout {
    /// The corpus at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Layout {
        Layout { root: root.into() }
    }

    /// The corpus directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The input folders, sorted: every subdirectory except the fixtures.
    pub fn inputs(&self) -> io::Result<Vec<PathBuf>> {
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&self.root)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != FIXTURES))
            .collect();
        inputs.sort();
        Ok(inputs)
    }

    /// The source registry, when the corpus has one.
    pub fn sources(&self) -> Option<PathBuf> {
        let path = self.root.join("sources.csv");
        path.is_file().then_some(path)
    }

    /// The entity gazetteer's place (it may not exist).
    pub fn entities(&self) -> PathBuf {
        self.root.join("entities.csv")
    }

    /// The frame dictionary's place (it may not exist).
    pub fn frames(&self) -> PathBuf {
        self.root.join("frames.csv")
    }

    /// Files of the corpus that are never documents, whatever folder they turn up in: the
    /// gazetteer and the frame dictionary.
    pub fn not_documents(&self) -> Vec<PathBuf> {
        vec![self.entities(), self.frames()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_the_subdirectories_but_the_fixtures() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["tv", "bad", "agency"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("sources.csv"), "outlet\n").unwrap();
        let layout = Layout::new(dir.path());
        let names: Vec<String> = layout
            .inputs()
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["agency", "tv"]);
        assert!(layout.sources().is_some());
        assert!(!layout.entities().exists());
    }
}
