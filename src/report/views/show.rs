//! `show`: one document's metadata as name–value rows, then its text.

use crate::report::doc::{text, Block};
use crate::search::show::DocumentView;
use crate::search::CopyOf;

fn link(copy: &CopyOf) -> String {
    format!("{} {}", copy.outlet, copy.id)
}

/// The document's title, a table of its metadata and its text, a paragraph per line
/// (`[00:12:31] …` for a broadcast's cues).
pub fn document(view: &DocumentView) -> Vec<Block> {
    let mut rows = vec![
        ("id", view.id.clone()),
        ("outlet", format!("{} [{}]", view.outlet, view.category)),
        ("medium", view.medium.clone()),
        (
            "published",
            if view.published.is_empty() {
                "undated".to_string()
            } else {
                view.published.clone()
            },
        ),
        ("language", view.language.to_string()),
    ];
    if let Some(url) = &view.url {
        rows.push(("url", url.clone()));
    }
    if let Some(original) = &view.links.copy_of {
        rows.push(("copy of", link(original)));
    }
    if !view.links.copies.is_empty() {
        let copies: Vec<String> = view.links.copies.iter().map(link).collect();
        rows.push(("copied by", copies.join(", ")));
    }
    rows.push(("source", view.source.clone()));
    // Name–value lines rather than a table: they wrap, so a long URL or copy list is never cut.
    let mut blocks = vec![
        Block::paragraph(text(view.display_title.clone())),
        Block::paragraph(Vec::new()),
    ];
    for (name, value) in rows {
        blocks.push(Block::paragraph(text(format!("{name:<10} {value}"))));
    }
    blocks.push(Block::paragraph(Vec::new()));
    for line in &view.lines {
        let shown = match &line.at {
            Some(at) => format!("[{at}] {}", line.text),
            None => line.text.clone(),
        };
        blocks.push(Block::paragraph(text(shown)));
    }
    blocks
}
