#!/usr/bin/env python3
"""The Python peers of `mediawatch compare --plain` (issue 15): word counts of one group
against all others over the raw JSONL, and their G² (log-likelihood). Three engines:

- `sklearn` (default): scikit-learn CountVectorizer counts, numpy G²;
- `polars`: one lazy polars query (normalize, lowercase, ё→е, extract words, count per
  group) on all cores, numpy G²;
- `duckdb`: one DuckDB SQL query (read_json, nfc_normalize, regexp_extract_all, unnest,
  GROUP BY) on all cores, numpy G².

Same token rule as --plain: Unicode words, lowercase, NFC, ё→е, nothing dropped (the regex
splits at apostrophes, which mediawatch keeps inside words; rare in the generated corpus).
Group = the outlet's category from sources.csv, as mediawatch joins it.

Install (once, into a venv under target/):
    python3 -m venv target/peer/venv && target/peer/venv/bin/pip install scikit-learn numpy polars duckdb
Run:
    target/peer/venv/bin/python benches/peer_compare.py DOCS.jsonl SOURCES.csv [TARGET] [TOP] [ENGINE]
Prints the top TARGET-side terms as `term,freq_target,freq_reference,g2` lines.

polars' regex `\w` and DuckDB's (RE2) `[\pL\pN_]` are Unicode word characters like
Python's `\w`, up to combining marks (rare in the corpus); the bench checks that the top
terms and their counts agree with mediawatch's.
"""

import csv
import json
import sys
import unicodedata

import numpy as np


def normalize(text):
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")


def sklearn_counts(docs_path, category, target):
    """Vocabulary and per-term counts of the target and of all other documents."""
    from sklearn.feature_extraction.text import CountVectorizer

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
    a = np.asarray(counts[mask].sum(axis=0)).ravel()
    b = np.asarray(counts[~mask].sum(axis=0)).ravel()
    return vectorizer.get_feature_names_out(), a, b


def polars_counts(docs_path, category, target):
    import polars as pl

    counts = (
        pl.scan_ndjson(docs_path)
        .select(
            (pl.col("outlet").replace_strict(category, default="") == target).alias("t"),
            (pl.col("title").fill_null("") + "\n" + pl.col("text").fill_null(""))
            .str.normalize("NFC")
            .str.to_lowercase()
            .str.replace_all("ё", "е", literal=True)
            .str.extract_all(r"\w+")
            .alias("w"),
        )
        .explode("w")
        .drop_nulls("w")
        .group_by("w")
        .agg(pl.col("t").sum().alias("a"), (~pl.col("t")).sum().alias("b"))
        .collect()
    )
    return counts["w"].to_numpy(), counts["a"].to_numpy(), counts["b"].to_numpy()


def duckdb_counts(docs_path, category, target):
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE cat(outlet VARCHAR, category VARCHAR)")
    con.executemany("INSERT INTO cat VALUES (?, ?)", list(category.items()))
    rows = con.execute(
        """
        WITH docs AS (
          SELECT coalesce(c.category, '') = ? AS t,
                 replace(lower(nfc_normalize(coalesce(d.title, '') || chr(10) || coalesce(d.text, ''))), 'ё', 'е') AS body
          FROM read_json(?, format = 'newline_delimited', columns = {outlet: 'VARCHAR', title: 'VARCHAR', text: 'VARCHAR'}) d
          LEFT JOIN cat c ON c.outlet = d.outlet),
        words AS (SELECT t, unnest(regexp_extract_all(body, '[\\pL\\pN_]+')) AS w FROM docs)
        SELECT w, count(*) FILTER (WHERE t), count(*) FILTER (WHERE NOT t) FROM words GROUP BY w
        """,
        [target, docs_path],
    ).fetchall()
    words = np.array([r[0] for r in rows], dtype=object)
    return words, np.array([r[1] for r in rows]), np.array([r[2] for r in rows])


ENGINES = {"sklearn": sklearn_counts, "polars": polars_counts, "duckdb": duckdb_counts}


def main():
    docs_path, sources_path = sys.argv[1], sys.argv[2]
    target = sys.argv[3] if len(sys.argv) > 3 else "state"
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    engine = ENGINES[sys.argv[5] if len(sys.argv) > 5 else "sklearn"]
    with open(sources_path, newline="", encoding="utf-8") as f:
        category = {row["outlet"]: row["category"] for row in csv.DictReader(f)}
    vocab, a, b = engine(docs_path, category, target)
    # One order for every engine: by term, so ties in G² break alike.
    order = np.argsort(vocab.astype(str), kind="stable")
    vocab, a, b = vocab[order], a[order].astype(np.float64), b[order].astype(np.float64)
    n1, n2 = a.sum(), b.sum()
    e1 = n1 * (a + b) / (n1 + n2)
    e2 = n2 * (a + b) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (
            np.where(a > 0, a * np.log(a / e1), 0) + np.where(b > 0, b * np.log(b / e2), 0)
        )
    g2 = np.where(a / n1 > b / n2, g2, -g2)
    for i in np.argsort(-g2, kind="stable")[:top]:
        print(f"{vocab[i]},{int(a[i])},{int(b[i])},{g2[i]:.2f}")


if __name__ == "__main__":
    main()
