#!/usr/bin/env python3
"""synth.py KEY OUTDIR - two synthetic reviewers' verdict files for the
packets of a review key, with known answers: reviewer R1's verdict is a
fixed function of the item id (about 50% biased, 35% not biased, 10%
unsure, 5% left empty); R2 agrees with R1 on about 3 items in 4 and
otherwise picks another category by the same kind of hash. Writes
OUTDIR/verdicts-PACKETID-RN.csv as the page would (header
packet_id,reviewer,item_id,verdict,comment)."""
import csv, hashlib, os, sys

key, outdir = sys.argv[1], sys.argv[2]
CATS = ["biased", "not_biased", "unsure"]

def h(*parts):
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:8], 16) / 2**32

def r1(item):
    x = h("r1", item)
    return "biased" if x < .50 else "not_biased" if x < .85 else "unsure" if x < .95 else ""

def r2(item):
    a = r1(item)
    if h("agree", item) < .75:
        return a
    others = [c for c in CATS if c != a]
    return others[int(h("other", item) * len(others))]

packets = {}
with open(key, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        packets.setdefault((row["packet_id"], row["reviewer"]), [])
        items = packets[(row["packet_id"], row["reviewer"])]
        if row["item_id"] not in items:
            items.append(row["item_id"])
for (pid, rn), items in sorted(packets.items(), key=lambda kv: kv[0][1]):
    with open(os.path.join(outdir, "verdicts-%s-%s.csv" % (pid, rn)), "w",
              newline="", encoding="utf-8") as f:
        f.write("packet_id,reviewer,item_id,verdict,comment\r\n")
        for it in items:
            v = r1(it) if rn == "R1" else r2(it)
            comment = "=context matters; see %s" % it if h("c", rn, it) < .1 else ""
            if comment:
                comment = "'" + comment  # the page's formula guard
            cell = '"%s"' % comment if ";" in comment else comment
            f.write("%s,%s,%s,%s,%s\r\n" % (pid, rn, it, v, cell))
