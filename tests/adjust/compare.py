"""Compare adjusted.csv of the three audits with reference.csv (R).

usage: compare.py OUT_CR2 OUT_CR1 OUT_BOTH reference.csv
Every reference row must be matched, to 1e-8 relative, on estimate,
ci_low, ci_high, p, log_se and df; clusters and parameters exactly.
Prints the largest relative difference seen."""
import csv
import sys

outs = dict(zip(("cr2", "cr1", "both"), sys.argv[1:4]))
ref = list(csv.DictReader(open(sys.argv[4], newline="")))
rows = {}
for variant, d in outs.items():
    for r in csv.DictReader(open(d + "/adjusted.csv", newline="")):
        if r["term"] != "*":
            continue
        rows[(variant, r["cohort_column"], r["category"], r["kind"])] = r
worst = 0.0
bad = 0
for r in ref:
    key = (r["variant"], r["cohort_column"], r["category"], r["kind"])
    got = rows.get(key)
    if got is None:
        print("not ok: no row for", key)
        bad += 1
        continue
    for f in ("estimate", "ci_low", "ci_high", "p", "log_se", "df"):
        a, b = float(got[f]), float(r[f])
        rel = abs(a - b) / max(abs(b), 1e-300)
        worst = max(worst, rel)
        if rel > 1e-8:
            print("not ok:", key, f, got[f], "R:", r[f], "rel", rel)
            bad += 1
    for f in ("clusters", "parameters"):
        if int(got[f]) != int(r[f]):
            print("not ok:", key, f, got[f], "R:", r[f])
            bad += 1
print("%d reference rows, largest relative difference %.2e" % (len(ref), worst))
sys.exit(1 if bad else 0)
