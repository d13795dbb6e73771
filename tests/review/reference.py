#!/usr/bin/python3
"""reference.py KEY VERDICTS... - term precision (Wilson 95%), Cohen's kappa
per reviewer pair and Fleiss' kappa over the items all reviewers judged,
computed independently of evalbias with Debian's python3-statsmodels
(proportion_confint(method="wilson"), cohens_kappa, fleiss_kappa), by the
rules of `evalbias review import`: an item's verdict is the most common
non-empty judgement, a tie to the earliest file; an item counts for every
lexicon/category/term of its span. Prints CSV rows:
  precision,LEXICON,CATEGORY,TERM,biased,not_biased,unsure,p,lo,hi
  cohen,RA RB,n,kappa
  fleiss,R1 R2 ...,n,kappa"""
import csv, sys
import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

CATS = ["biased", "not_biased", "unsure"]
key, files = sys.argv[1], sys.argv[2:]
terms = {}        # item -> [(lex, cat, term)]
first_packet = {}
reviewers = {}    # packet -> reviewer
order = []
with open(key, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        p, it = row["packet_id"], row["item_id"]
        reviewers[p] = row["reviewer"]
        first_packet.setdefault(it, p)
        if first_packet[it] == p:
            t = (row["lexicon"], row["category"], row["term"])
            terms.setdefault(it, [])
            if t not in terms[it]:
                terms[it].append(t)
judg = {}  # (packet, item) -> (verdict, file index)
for fi, path in enumerate(files):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["verdict"]:
                judg[(row["packet_id"], row["item_id"])] = (row["verdict"], fi)
packets = sorted(reviewers, key=lambda p: reviewers[p])

def verdict(it):
    cnt, first = {}, {}
    for p in packets:
        if (p, it) in judg:
            v, fi = judg[(p, it)]
            cnt[v] = cnt.get(v, 0) + 1
            first[v] = min(first.get(v, fi), fi)
    if not cnt:
        return None
    return sorted(cnt, key=lambda v: (-cnt[v], first[v]))[0]

per = {}
for it, ts in terms.items():
    v = verdict(it)
    for t in ts:
        c = per.setdefault(t, {"biased": 0, "not_biased": 0, "unsure": 0})
        if v:
            c[v] += 1
for t in sorted(per):
    c = per[t]
    n = c["biased"] + c["not_biased"]
    if n:
        lo, hi = proportion_confint(c["biased"], n, alpha=0.05, method="wilson")
        p = "%.12g,%.12g,%.12g" % (c["biased"] / n, lo, hi)
    else:
        p = ",,"
    print("precision,%s,%s,%s,%d,%d,%d,%s" % (t + (c["biased"], c["not_biased"], c["unsure"], p)))
for i, a in enumerate(packets):
    for b in packets[i + 1:]:
        table = np.zeros((3, 3))
        n = 0
        for it in terms:
            if (a, it) in judg and (b, it) in judg:
                table[CATS.index(judg[(a, it)][0]), CATS.index(judg[(b, it)][0])] += 1
                n += 1
        print("cohen,%s %s,%d,%.12g" % (reviewers[a], reviewers[b], n, cohens_kappa(table).kappa))
rows = []
for it in terms:
    if all((p, it) in judg for p in packets):
        c = [0, 0, 0]
        for p in packets:
            c[CATS.index(judg[(p, it)][0])] += 1
        rows.append(c)
print("fleiss,%s,%d,%.12g" % (" ".join(reviewers[p] for p in packets), len(rows),
                              fleiss_kappa(np.array(rows), method="fleiss")))
