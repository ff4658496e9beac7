//! Language detection through `mediawatch detect`.

use crate::util::{fixture, Workspace};

#[test]
fn detect_labels_each_line_of_the_examples() {
    let examples = std::fs::read_to_string(fixture("lang/examples.tsv")).unwrap();
    let (langs, lines): (Vec<&str>, Vec<&str>) = examples
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .unzip();
    let ws = Workspace::new();
    let output = ws
        .cmd()
        .args(["detect", "--format", "json"])
        .write_stdin(lines.join("\n"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let got: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), lines.len());
    let mut wrong = Vec::new();
    for ((expected, line), result) in langs.iter().zip(&lines).zip(&got) {
        let confidence = result["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        if result["lang"] != *expected {
            wrong.push(format!("{expected} → {}: {line}", result["lang"]));
        }
        // Never call a Ukrainian, Belarusian or Mongolian sentence Kazakh.
        if ["uk", "be", "mn"].contains(expected) {
            assert_ne!(result["lang"], "kk", "{line}");
        }
    }
    assert!(wrong.is_empty(), "misdetected:\n{}", wrong.join("\n"));
}

#[test]
fn detect_tsv_keeps_line_order_and_marks_undetermined() {
    let ws = Workspace::new();
    let output = ws
        .cmd()
        .args(["detect"])
        .write_stdin("Президент выступил с обращением к народу.\n\n...\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let langs: Vec<&str> = stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(langs, vec!["ru", "und", "und"]);
}
