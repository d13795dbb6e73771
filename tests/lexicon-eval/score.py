#!/usr/bin/env python3
"""Score the shipped lexicons against the labelled sentences.

Runs `evalbias audit` over labelled.csv (column "sentence", id column "id"),
once per lexicon file so that each lexicon is counted on its own (the
default), or once with all lexicons loaded together (--together), then
compares the hits in excerpts.csv with the "expected" column.

    python3 tests/lexicon-eval/score.py [--evalbias ./evalbias]
        [--lexicons lexicons/] [--together] [-v]

Standard library only. Prints precision and recall overall and per
category, and with -v every sentence whose hits differ from its labels.
With --min-precision/--min-recall it is a test (make check runs it):
exit 1 when either figure drops below its floor.
Exit status: 0, 1 (a floor not met), or 2 when evalbias cannot be run.
"""
import argparse
import collections
import csv
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run_audit(evalbias, lexicon_paths, labelled, outdir):
    cmd = [evalbias, "audit", "-q", "--text", "sentence", "--id", "id", "-o", outdir]
    for p in lexicon_paths:
        cmd += ["--lexicon", p]
    cmd.append(labelled)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        sys.exit(2)
    with open(os.path.join(outdir, "excerpts.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def key(row):
    neg = "negated:" if row["negated"] == "true" else ""
    return f"{neg}{row['lexicon']}/{row['category']}/{row['term']}"


def category_of(label):
    label = label[len("negated:"):] if label.startswith("negated:") else label
    lex, cat, _ = label.split("/", 2)
    return f"{lex}/{cat}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evalbias", default="./evalbias")
    ap.add_argument("--lexicons", default="lexicons")
    ap.add_argument("--labelled", default=os.path.join(HERE, "labelled.csv"))
    ap.add_argument("--together", action="store_true",
                    help="load all lexicons in one run (overlaps resolved across lexicons)")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--min-precision", type=float,
                    help="as a test: fail when overall precision is below this")
    ap.add_argument("--min-recall", type=float,
                    help="as a test: fail when overall recall is below this")
    a = ap.parse_args()

    with open(a.labelled, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    files = sorted(glob.glob(os.path.join(a.lexicons, "*.csv")))
    got = collections.defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [files] if a.together else [[p] for p in files]
        for i, paths in enumerate(runs):
            for r in run_audit(a.evalbias, paths, a.labelled, os.path.join(tmp, str(i))):
                got[r["evaluation_id"]].add(key(r))

    tp = collections.Counter(); fp = collections.Counter(); fn = collections.Counter()
    differ = 0
    for r in rows:
        exp = {x for x in r["expected"].split(";") if x}
        hit = got[r["id"]]
        for x in exp & hit: tp[category_of(x)] += 1
        for x in hit - exp: fp[category_of(x)] += 1
        for x in exp - hit: fn[category_of(x)] += 1
        if exp != hit:
            differ += 1
            if a.verbose:
                print(f"{r['id']}: {r['sentence']!r}")
                print(f"    expected, not found: {sorted(exp - hit)}")
                print(f"    found, not expected: {sorted(hit - exp)}")

    def pr(t, p, n):
        prec = t / (t + p) if t + p else float("nan")
        rec = t / (t + n) if t + n else float("nan")
        return prec, rec

    print(f"{'category':40s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s}")
    for c in sorted(set(tp) | set(fp) | set(fn)):
        p, rc = pr(tp[c], fp[c], fn[c])
        print(f"{c:40s} {tp[c]:4d} {fp[c]:4d} {fn[c]:4d} {p:9.3f} {rc:7.3f}")
    T, P, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, rc = pr(T, P, N)
    mode = "all lexicons together" if a.together else "each lexicon on its own"
    print(f"{'overall (' + mode + ')':40s} {T:4d} {P:4d} {N:4d} {p:9.3f} {rc:7.3f}")
    print(f"{len(rows)} sentences, {differ} with hits that differ from their labels")
    if a.min_precision is None and a.min_recall is None:
        return 0
    # Test mode: TAP lines and the "N passed, N failed" line make check adds up.
    checks = [("precision", p, a.min_precision), ("recall", rc, a.min_recall)]
    failed = 0
    for i, (name, value, floor) in enumerate(checks, 1):
        ok = floor is None or value >= floor
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - {name} {value:.3f} >= {floor}")
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
