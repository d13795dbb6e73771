#!/usr/bin/env python3
"""add_hostile.py FILE.csv - append to a samples/generate.py export two
evaluations whose comments and id carry hostile markup, each next to a
lexicon word, so the browser test sees them in a large report too."""
import csv
import sys

path = sys.argv[1]
with open(path, newline="", encoding="utf-8-sig") as f:
    header = next(csv.reader(f))
hostile = ['She is bossy <script>alert(1)</script> at times.',
           'A pleasant colleague "><img src=x onerror=alert(1)> indeed.']
with open(path, "a", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\r\n")
    for i, text in enumerate(hostile):
        row = [""] * len(header)
        for j, h in enumerate(header):
            low = h.lower()
            if low == "evaluation id":
                row[j] = '"><img src=x onerror=alert(%d)>' % (i + 2)
            elif low == "resident":
                row[j] = "Hostile, Test%d" % i
            elif low in ("resident gender", "evaluator gender"):
                row[j] = "F"
            elif low == "strengths":
                row[j] = text
        w.writerow(row)
