#!/usr/bin/env python3
"""Scores `mediawatch detect` on an evaluation file from build.py (lang<TAB>kind<TAB>source<TAB>text),
restricted to kk,ru,en and unrestricted: accuracy per language and kind, and the share
labelled kk.

    python3 scripts/lang_eval/score.py target/release/mediawatch target/lang_eval/test.tsv
"""
import collections, json, subprocess, sys

binary, path = sys.argv[1], sys.argv[2]
rows = [l.rstrip('\n').split('\t') for l in open(path, encoding='utf-8') if not l.startswith('#')]
for mode, extra in [('kk,ru,en', ['--languages', 'kk,ru,en']), ('any', [])]:
    langs = ['kk', 'ru', 'en'] if extra else ['kk', 'ru', 'en', 'uk', 'be', 'mn']
    for lang in langs:
        for kind in ['sentence', 'short', 'pair', 'word']:
            sel = [r for r in rows if r[0] == lang and r[1] == kind]
            if not sel:
                continue
            out = subprocess.run([binary, 'detect', '--format', 'json'] + extra,
                                 input='\n'.join(r[3] for r in sel) + '\n',
                                 capture_output=True, text=True, check=True).stdout
            got = [json.loads(l)['lang'] for l in out.splitlines()]
            ok = sum(g == lang for g in got)
            kk = sum(g == 'kk' for g in got)
            wrong = collections.Counter(g for g in got if g != lang).most_common(3)
            print(f'{mode:9} {lang} {kind:8} {100 * ok / len(sel):6.2f}% of {len(sel):5}  '
                  f'labelled kk {100 * kk / len(sel):5.2f}%  wrong {dict(wrong)}')
