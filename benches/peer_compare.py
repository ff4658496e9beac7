#!/usr/bin/env python3
"""The Python peer of `mediawatch compare --plain` (issue 15): scikit-learn CountVectorizer
counts over the raw JSONL, numpy G² (log-likelihood) of one group against all others.

Same token rule as --plain: Unicode words, lowercase, NFC, ё→е, nothing dropped (the regex
splits at apostrophes, which mediawatch keeps inside words; rare in the generated corpus).
Group = the outlet's category from sources.csv, as mediawatch joins it.

Install (once, into a venv under target/):
    python3 -m venv target/peer/venv && target/peer/venv/bin/pip install scikit-learn numpy
Run:
    target/peer/venv/bin/python benches/peer_compare.py DOCS.jsonl SOURCES.csv [TARGET] [TOP]
Prints the top TARGET-side terms as `term,freq_target,freq_reference,g2` lines.
"""

import csv
import json
import sys
import unicodedata

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer


def normalize(text):
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")


def main():
    docs_path, sources_path = sys.argv[1], sys.argv[2]
    target = sys.argv[3] if len(sys.argv) > 3 else "state"
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    with open(sources_path, newline="", encoding="utf-8") as f:
        category = {row["outlet"]: row["category"] for row in csv.DictReader(f)}
    texts, is_target = [], []
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            texts.append(doc.get("title", "") + "\n" + doc.get("text", ""))
            is_target.append(category.get(doc.get("outlet"), "") == target)
    vectorizer = CountVectorizer(
        preprocessor=normalize, token_pattern=r"(?u)\b\w+\b", dtype=np.int64
    )
    counts = vectorizer.fit_transform(texts)
    mask = np.array(is_target)
    a = np.asarray(counts[mask].sum(axis=0)).ravel().astype(np.float64)
    b = np.asarray(counts[~mask].sum(axis=0)).ravel().astype(np.float64)
    n1, n2 = a.sum(), b.sum()
    e1 = n1 * (a + b) / (n1 + n2)
    e2 = n2 * (a + b) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (
            np.where(a > 0, a * np.log(a / e1), 0) + np.where(b > 0, b * np.log(b / e2), 0)
        )
    g2 = np.where(a / n1 > b / n2, g2, -g2)
    vocab = vectorizer.get_feature_names_out()
    for i in np.argsort(-g2, kind="stable")[:top]:
        print(f"{vocab[i]},{int(a[i])},{int(b[i])},{g2[i]:.2f}")


if __name__ == "__main__":
    main()
