//! The `generate` command: the bundled demo corpus (`--demo`) or a benchmark corpus of any
//! size, every file written through a fresh file renamed into place.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::args;
use super::{Failure, UsageError};

/// Runs `generate`.
pub fn run(args: args::GenerateArgs) -> Result<(), Failure> {
    use crate::generate::{bench, demo};
    use mediawatch::files::{self, Access};
    if args.demo {
        let out = args.out.unwrap_or_else(|| PathBuf::from("corpus"));
        let summary =
            demo::write(&out).with_context(|| format!("cannot write {}", out.display()))?;
        let outlets: Vec<String> = summary
            .outlets
            .iter()
            .map(|(outlet, n)| format!("{outlet} {n}"))
            .collect();
        let count = |map: &std::collections::BTreeMap<String, usize>| {
            map.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        eprintln!(
            "wrote the demo corpus to {}: {} documents ({}; {}; {}), with bad/",
            out.display(),
            summary.documents(),
            count(&summary.groups),
            count(&summary.langs),
            outlets.join(", ")
        );
        for (original, copy) in &summary.duplicates {
            eprintln!("exact duplicate: {copy} repeats {original}");
        }
        for (id, truth, declared) in &summary.wrong_langs {
            eprintln!("wrong declared language: {id} is {truth}, declares {declared}");
        }
        return Ok(());
    }
    let out = args.out.unwrap_or_else(|| PathBuf::from("generated"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let (format, name) = match args.format {
        args::GeneratedFormat::Jsonl => (bench::OutputFormat::Jsonl, "docs.jsonl"),
        args::GeneratedFormat::Csv => (bench::OutputFormat::Csv, "docs.csv"),
    };
    let config = bench::GenerateConfig {
        docs: args.docs.unwrap_or_default(),
        seed: args.seed,
        format,
        mean_bytes: args.mean_bytes,
    };
    let path = out.join(name);
    let cannot = |p: &Path| format!("cannot write {}", p.display());
    // Every file goes to a fresh temporary name renamed into place: a link planted at the
    // name is replaced, never followed, and an existing file is never truncated.
    let temp = files::temp_sibling(&path, "tmp");
    let file = files::new_file(&temp, Access::Shared).with_context(|| cannot(&path))?;
    let mut writer = io::BufWriter::with_capacity(1 << 20, file);
    let written = bench::generate(&config, &mut writer)
        .map_err(|e| Failure::from(UsageError(format!("generate: {e}"))))
        .and_then(|manifest| {
            writer.flush()?;
            drop(writer);
            std::fs::rename(&temp, &path).with_context(|| cannot(&path))?;
            Ok(manifest)
        });
    let manifest = written.inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    let sources = out.join("sources.csv");
    files::write_replacing(
        &sources,
        bench::sources_csv(&manifest).as_bytes(),
        Access::Shared,
    )
    .with_context(|| cannot(&sources))?;
    let manifest_path = out.join("manifest.json");
    let manifest_json = serde_json::to_string_pretty(&manifest)? + "\n";
    files::write_replacing(&manifest_path, manifest_json.as_bytes(), Access::Shared)
        .with_context(|| cannot(&manifest_path))?;
    eprintln!(
        "wrote {} documents ({:.1} MB) to {}, with sources.csv and manifest.json",
        manifest.docs,
        manifest.bytes as f64 / 1e6,
        path.display()
    );
    Ok(())
}
