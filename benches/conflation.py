#!/usr/bin/env python3
"""Pairwise conflation precision and recall of the analyzer against gold lemmas (CoNLL-U).

Usage:
    python3 benches/conflation.py FILE.conllu [--lang ru|kk|en|auto] [--bin target/release/mediawatch]
                                  [--sentences A:B] [--errors N] [--pymorphy]

Items are the distinct lowercased forms of NOUN, PROPN, ADJ and VERB tokens (multiword-token
lines are skipped, their parts counted). Two forms are a *gold pair* when they share a gold
lemma (lowercased), an *analyzer pair* when `mediawatch analyze --lang L` gives them the same
term (a form that segments into several words is keyed by all its terms). Precision = shared
pairs / analyzer pairs, recall = shared pairs / gold pairs (see /work/shared/eval/README.md).
`--sentences A:B` keeps sentences A..B-1 (0-based) to hold part of a file out; `--errors N`
lists the N largest wrong merges and missed merges; `--pymorphy` scores pymorphy3's most
probable normal form instead (a reference point; needs the pymorphy3 package).
"""
import argparse
import itertools
import json
import subprocess
import sys
from collections import defaultdict

POS = {"NOUN", "PROPN", "ADJ", "VERB"}


def read_forms(path, sentences):
    """Distinct lowercased form -> set of lowercased gold lemmas."""
    forms = defaultdict(set)
    index = -1
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# sent_id") or (line.startswith("# text =") and index < 0):
                pass
            if line.startswith("# text ="):
                index += 1
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[0].isdigit():
                continue
            if sentences and not (sentences[0] <= index < sentences[1]):
                continue
            if cols[3] in POS and cols[1] != "_" and cols[2] != "_":
                forms[cols[1].lower()].add(cols[2].lower())
    return forms


def analyze(forms, lang, binary):
    text = "\n".join(forms) + "\n"
    run = subprocess.run([binary, "analyze", "--lang", lang, "--format", "json"],
                         input=text.encode("utf-8"), capture_output=True, check=True)
    terms = defaultdict(list)
    for line in run.stdout.decode("utf-8").splitlines():
        token = json.loads(line)
        terms[token["line"] - 1].append(token["term"])
    return {form: " ".join(terms.get(i, [form])) for i, form in enumerate(forms)}


def pymorphy(forms):
    import pymorphy3
    morph = pymorphy3.MorphAnalyzer()
    return {f: morph.parse(f)[0].normal_form for f in forms}


def pairs_by(groups):
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("conllu")
    p.add_argument("--lang", default="auto")
    p.add_argument("--bin", default="target/release/mediawatch")
    p.add_argument("--sentences", default=None)
    p.add_argument("--errors", type=int, default=0)
    p.add_argument("--pymorphy", action="store_true")
    args = p.parse_args()
    sentences = tuple(int(x) for x in args.sentences.split(":")) if args.sentences else None
    forms = read_forms(args.conllu, sentences)
    ordered = sorted(forms)
    term_of = pymorphy(ordered) if args.pymorphy else analyze(ordered, args.lang, args.bin)
    gold_groups = defaultdict(set)
    for form, lemmas in forms.items():
        for lemma in lemmas:
            gold_groups[lemma].add(form)
    term_groups = defaultdict(set)
    for form in ordered:
        term_groups[term_of[form]].add(form)
    gold = pairs_by(gold_groups)
    ours = pairs_by(term_groups)
    shared = gold & ours
    precision = len(shared) / len(ours) if ours else 1.0
    recall = len(shared) / len(gold) if gold else 1.0
    result = {"file": args.conllu, "lang": args.lang, "forms": len(ordered),
              "gold_pairs": len(gold), "analyzer_pairs": len(ours), "shared": len(shared),
              "precision": round(precision, 4), "recall": round(recall, 4)}
    print(json.dumps(result, ensure_ascii=False))
    if args.errors:
        wrong = defaultdict(list)
        for a, b in sorted(ours - gold):
            wrong[term_of[a]].append((a, b))
        print("-- wrong merges (term: form pairs)")
        for term, items in sorted(wrong.items(), key=lambda kv: -len(kv[1]))[: args.errors]:
            print(f"{term}: {sorted(term_groups[term])} gold: {[sorted(forms[f]) for f in sorted(term_groups[term])]}")
        missed = defaultdict(set)
        for a, b in sorted(gold - ours):
            for lemma in forms[a] & forms[b]:
                missed[lemma].update([a, b])
        print("-- missed merges (lemma: forms -> terms)")
        for lemma, items in sorted(missed.items(), key=lambda kv: -len(kv[1]))[: args.errors]:
            print(f"{lemma}: {[(f, term_of[f]) for f in sorted(items)]}")


if __name__ == "__main__":
    sys.exit(main())
