#!/usr/bin/env python3
"""Kazakh noun paradigms from an independent generator, scored like benches/conflation.py.

Usage (needs the MIT-licensed `qazaq-inflector` package: pip install qazaq-inflector):
    python3 benches/kazakh_paradigms.py NOUNS.txt|FILE.conllu [--lang kk] [--bin target/release/mediawatch]

Every noun (one per line, or the NOUN/PROPN lemmas of a CoNLL-U file) is declined by
qazaq-inflector — singular and plural in the seven cases, and the 3rd-person possessive in
the seven cases — and the forms are run through `mediawatch analyze`. Gold: forms of one
noun share a lemma. Prints pairwise precision and recall over distinct forms, and the
nouns whose forms the analyzer split.
"""
import argparse
import itertools
import json
import subprocess
from collections import defaultdict

from qazaq_inflector import QazaqNameInflector


def nouns_from(path):
    if path.endswith(".conllu"):
        out = set()
        for line in open(path, encoding="utf-8"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 3 and cols[0].isdigit() and cols[3] in ("NOUN", "PROPN"):
                lemma = cols[2].lower()
                if lemma.isalpha():
                    out.add(lemma)
        return sorted(out)
    return sorted({l.strip().lower() for l in open(path, encoding="utf-8") if l.strip()})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source")
    p.add_argument("--lang", default="kk")
    p.add_argument("--bin", default="target/release/mediawatch")
    p.add_argument("--errors", type=int, default=20)
    args = p.parse_args()
    q = QazaqNameInflector()
    lemma_of = defaultdict(set)
    for noun in nouns_from(args.source):
        forms = set()
        for sg, pl in q.declension(noun).values():
            forms.update([sg, pl])
        for case in q.CASES:
            forms.add(q.possessive(noun, "3", case))
        for form in forms:
            lemma_of[form.lower()].add(noun)
    ordered = sorted(lemma_of)
    run = subprocess.run([args.bin, "analyze", "--lang", args.lang, "--format", "json"],
                         input=("\n".join(ordered) + "\n").encode(), capture_output=True, check=True)
    terms = defaultdict(list)
    for line in run.stdout.decode().splitlines():
        t = json.loads(line)
        terms[t["line"] - 1].append(t["term"])
    term_of = {f: " ".join(terms[i]) for i, f in enumerate(ordered)}

    def pairs(groups):
        return {pair for g in groups.values() for pair in itertools.combinations(sorted(g), 2)}

    gold_groups, our_groups = defaultdict(set), defaultdict(set)
    for f in ordered:
        for lemma in lemma_of[f]:
            gold_groups[lemma].add(f)
        our_groups[term_of[f]].add(f)
    gold, ours = pairs(gold_groups), pairs(our_groups)
    shared = gold & ours
    print(json.dumps({"nouns": len(gold_groups), "forms": len(ordered), "gold_pairs": len(gold),
                      "analyzer_pairs": len(ours),
                      "precision": round(len(shared) / max(1, len(ours)), 4),
                      "recall": round(len(shared) / max(1, len(gold)), 4)}, ensure_ascii=False))
    split = [(lemma, sorted({term_of[f] for f in forms})) for lemma, forms in gold_groups.items()]
    split = [s for s in split if len(s[1]) > 1]
    for lemma, ts in split[: args.errors]:
        print(f"split {lemma}: {ts}")
    merged = [(t, sorted(g)) for t, g in our_groups.items() if len({l for f in g for l in lemma_of[f]}) > 1]
    for t, g in merged[: args.errors]:
        print(f"merged {t}: {g[:8]}")


if __name__ == "__main__":
    main()
