#!/usr/bin/env python3
"""Print the composition of the held-apart set as Markdown: sentences by kind
and file, and labels by category (counted / negated / other / quoted, and
sentences with a counted label). Usage: python3 composition.py [part.csv ...]"""
import collections, csv, glob, os, sys

paths = sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.csv")))
rows = []
for p in paths:
    with open(p, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            r["file"] = os.path.basename(p)
            rows.append(r)
files = sorted({r["file"] for r in rows})
kinds = ["positive", "deficit", "trap-clinical", "trap-referent", "trap-quotation", "trap-negation", "neutral"]
by = collections.Counter((r["kind"], r["file"]) for r in rows)
print("| kind | " + " | ".join(files) + " | all |")
print("| --- |" + " ---: |" * (len(files) + 1))
for k in kinds:
    print(f"| {k} | " + " | ".join(str(by[(k, f)]) for f in files) + f" | {sum(by[(k, f)] for f in files)} |")
print("| **all** | " + " | ".join(str(sum(1 for r in rows if r['file'] == f)) for f in files) + f" | {len(rows)} |")
print()
lab = collections.Counter(); sent = collections.Counter()
for r in rows:
    labels = [x for x in r["expected"].split(";") if x]
    for x in labels:
        pre, _, cat = x.rpartition(":")
        lab[(cat, pre or "counted")] += 1
    for cat in {x for x in labels if ":" not in x}:
        sent[cat] += 1
cats = sorted({c for c, _ in lab})
print("| category | sentences with a counted label | counted | negated: | other: | quoted: |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for c in cats:
    print(f"| {c} | {sent[c]} | {lab[(c, 'counted')]} | {lab[(c, 'negated')]} | {lab[(c, 'other')]} | {lab[(c, 'quoted')]} |")
tot = lambda pre: sum(v for (c, p), v in lab.items() if p == pre)
print(f"| **all** | | {tot('counted')} | {tot('negated')} | {tot('other')} | {tot('quoted')} |")
