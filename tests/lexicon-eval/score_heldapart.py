#!/usr/bin/env python3
"""Score evalbias against the held-apart evaluation set (heldapart/*.csv).

Every part file (heldapart/part-*.csv, or the files given as arguments) has
the header  id,specialty,kind,sentence,expected  where `expected` is a
`;`-separated list of `lexicon/category` labels, one per expected hit, each
optionally prefixed `negated:`, `other:` or `quoted:` (a hit that must be
kept apart: negated, describing someone other than the resident, or inside
quoted/reported speech).

The sentences of all part files go into one generated CSV (id,sentence),
`evalbias audit` runs once over it with the shipped lexicons loaded together
(`--lexicon lexicons/`, as a program runs it), and the rows of excerpts.csv
are compared with the labels:

- a hit is *counted* unless excerpts.csv sets it aside: `negated` is true, or
  a `referent` column (when the tool writes one) is non-empty, or a `quoted`
  column (likewise) is true;
- counted labels are scored (1) per sentence and category, with set semantics
  (the category is expected / found in the sentence or not), and (2) per hit,
  with multiset counts (tp = min(expected, found) per sentence and category);
- set-aside labels are right when the tool sets the hit aside or finds
  nothing; a counted hit with no counted label is a false positive however
  the label is prefixed.

    python3 tests/lexicon-eval/score_heldapart.py [--evalbias ./evalbias]
        [--lexicons lexicons/] [--errors|-q] [--min-precision P] [--min-recall R]
        [--min-category-precision P] [--min-category-recall R] [part.csv ...]

Standard library only. Exit status: 0; 1 when a floor is not met (test mode,
TAP lines); 2 when a part file is malformed or evalbias cannot be run.
"""
import argparse
import collections
import csv
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["id", "specialty", "kind", "sentence", "expected"]
SPECIALTIES = {"surgery", "im", "em", "peds", "obgyn", "psych", "anesth", "fm", "general"}
KINDS = ["positive", "deficit", "trap-clinical", "trap-referent", "trap-quotation",
         "trap-negation", "neutral"]
PREFIXES = ("negated", "other", "quoted")
# Categories a label may name: every `category,NAME,...` line of the lexicon
# files plus the ones the set measures before a lexicon ships them.
PLANNED = {"development/prescriptive"}
LABEL_RE = re.compile(r"^(?:(negated|other|quoted):)?([a-z_]+/[a-z_]+)$")


class Malformed(Exception):
    pass


def known_categories(lexdir):
    cats = set(PLANNED)
    for path in glob.glob(os.path.join(lexdir, "*.csv")):
        lex = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 2 and row[0] == "category":
                    cats.add(f"{lex}/{row[1]}")
    return cats


def read_parts(paths, cats):
    """Rows of every part file, checked; raises Malformed naming file and row."""
    rows, seen = [], {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != HEADER:
                raise Malformed(f"{path}:1: header must be {','.join(HEADER)}, got {header}")
            for rec in reader:
                line = reader.line_num
                if len(rec) != len(HEADER):
                    raise Malformed(f"{path}:{line}: {len(rec)} fields, expected {len(HEADER)}")
                r = dict(zip(HEADER, rec))
                r["file"] = os.path.basename(path)
                if not r["id"] or r["id"] in seen:
                    raise Malformed(f"{path}:{line}: id {r['id']!r} empty or also in {seen.get(r['id'])}")
                seen[r["id"]] = f"{path}:{line}"
                if r["specialty"] not in SPECIALTIES:
                    raise Malformed(f"{path}:{line}: specialty {r['specialty']!r}")
                if r["kind"] not in KINDS:
                    raise Malformed(f"{path}:{line}: kind {r['kind']!r}")
                if not r["sentence"].strip():
                    raise Malformed(f"{path}:{line}: empty sentence")
                labels = [x.strip() for x in r["expected"].split(";") if x.strip()]
                for x in labels:
                    m = LABEL_RE.match(x)
                    if not m:
                        raise Malformed(f"{path}:{line}: label {x!r} is not [prefix:]lexicon/category")
                    if m.group(2) not in cats:
                        raise Malformed(f"{path}:{line}: unknown category {m.group(2)!r}")
                r["labels"] = labels
                rows.append(r)
    return rows


def split_label(label):
    m = LABEL_RE.match(label)
    return m.group(1), m.group(2)


def run_audit(evalbias, lexdir, rows, tmp):
    src = os.path.join(tmp, "sentences.csv")
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "sentence"])
        for r in rows:
            w.writerow([r["id"], r["sentence"]])
    out = os.path.join(tmp, "out")
    cmd = [evalbias, "audit", "-q", "--text", "sentence", "--id", "id",
           "--lexicon", lexdir, "-o", out, src]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise Malformed(f"cannot run {evalbias}: {e}")
    if p.returncode != 0:
        raise Malformed(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
    with open(os.path.join(out, "excerpts.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def hit_status(h):
    """'counted', or the reason the tool set the hit aside."""
    if h.get("negated", "").lower() == "true":
        return "negated"
    if h.get("referent", "").strip():
        return "other"
    if h.get("quoted", "").lower() == "true":
        return "quoted"
    return "counted"


def pr(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r


def table(title, tp, fp, fn, cats):
    print(title)
    print(f"  {'category':42s} {'tp':>5s} {'fp':>5s} {'fn':>5s} {'precision':>9s} {'recall':>7s}")
    for c in cats:
        p, r = pr(tp[c], fp[c], fn[c])
        print(f"  {c:42s} {tp[c]:5d} {fp[c]:5d} {fn[c]:5d} {p:9.3f} {r:7.3f}")
    T, P, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r = pr(T, P, N)
    print(f"  {'overall':42s} {T:5d} {P:5d} {N:5d} {p:9.3f} {r:7.3f}")
    return p, r


def fmt(counter):
    return "; ".join(f"{k}" + (f" x{n}" if n > 1 else "") for k, n in sorted(counter.items())) or "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("parts", nargs="*", help="part files (default: heldapart/*.csv)")
    ap.add_argument("--evalbias", default="./evalbias")
    ap.add_argument("--lexicons", default="lexicons")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list the errors")
    ap.add_argument("--min-precision", type=float, help="test: floor on overall precision (both modes)")
    ap.add_argument("--min-recall", type=float, help="test: floor on overall recall (both modes)")
    ap.add_argument("--min-category-precision", type=float,
                    help="test: floor on every category's precision (per sentence)")
    ap.add_argument("--min-category-recall", type=float,
                    help="test: floor on every category's recall (per sentence)")
    a = ap.parse_args()

    parts = a.parts or sorted(glob.glob(os.path.join(HERE, "heldapart", "*.csv")))
    if not parts:
        print("no part files in heldapart/", file=sys.stderr)
        return 2
    try:
        rows = read_parts(parts, known_categories(a.lexicons))
        with tempfile.TemporaryDirectory() as tmp:
            hits = run_audit(a.evalbias, a.lexicons, rows, tmp)
    except Malformed as e:
        print(e, file=sys.stderr)
        return 2

    # found[id][status][category] = number of hits
    found = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    ids = {r["id"] for r in rows}
    for h in hits:
        if h["evaluation_id"] not in ids:
            print(f"excerpts.csv names unknown id {h['evaluation_id']!r}", file=sys.stderr)
            return 2
        found[h["evaluation_id"]][hit_status(h)][f"{h['lexicon']}/{h['category']}"] += 1

    s_tp, s_fp, s_fn = (collections.Counter() for _ in range(3))   # per sentence
    h_tp, h_fp, h_fn = (collections.Counter() for _ in range(3))   # per hit
    aside = collections.Counter()      # (prefix, outcome) for set-aside labels
    by_kind = collections.defaultdict(collections.Counter)
    errors = []
    for r in rows:
        exp = collections.Counter()
        exp_aside = collections.Counter()
        for x in r["labels"]:
            pre, cat = split_label(x)
            (exp_aside if pre else exp)[(pre, cat) if pre else cat] += 1
        got = found[r["id"]]["counted"]
        got_aside = collections.Counter()
        for st in PREFIXES:
            for c, n in found[r["id"]][st].items():
                got_aside[(st, c)] += n
        for c in set(exp) | set(got):
            e, g = exp[c], got[c]
            if e and g: s_tp[c] += 1
            elif g: s_fp[c] += 1
            elif e: s_fn[c] += 1
            h_tp[c] += min(e, g); h_fp[c] += max(0, g - e); h_fn[c] += max(0, e - g)
        for (pre, c), n in exp_aside.items():
            if got[c] > exp[c]:
                aside[(pre, "counted (false positive)")] += n
            elif sum(v for (st, cc), v in got_aside.items() if cc == c):
                aside[(pre, "set aside by the tool")] += n
            else:
                aside[(pre, "not found")] += n
        k = by_kind[r["kind"]]
        k["sentences"] += 1
        fp_here = any(got[c] > exp[c] for c in got)
        fn_here = any(exp[c] > got[c] for c in exp)
        k["with a false hit"] += fp_here
        k["with a missed hit"] += fn_here
        if fp_here or fn_here:
            exp_all = collections.Counter(r["labels"])
            got_all = collections.Counter(got)
            for (st, c), n in got_aside.items():
                got_all[f"{st}:{c}"] += n
            errors.append((r, exp_all, got_all))

    cats = sorted(set(s_tp) | set(s_fp) | set(s_fn))
    n_aside = sum(1 for r in rows for x in r["labels"] if split_label(x)[0])
    print(f"held-apart set: {len(rows)} sentences in {len(parts)} file(s) "
          f"({', '.join(os.path.basename(p) for p in parts)}); "
          f"{sum(len(r['labels']) for r in rows) - n_aside} counted labels, {n_aside} set-aside labels")
    print()
    sp, sr = table("(1) per sentence and category (set semantics, counted labels)", s_tp, s_fp, s_fn, cats)
    print()
    hp, hr = table("(2) per hit (multiset counts, counted labels)", h_tp, h_fp, h_fn, cats)
    print()
    print("set-aside labels (negated:/other:/quoted:)")
    for pre in PREFIXES:
        outs = {o: n for (p, o), n in aside.items() if p == pre}
        if outs:
            print(f"  {pre + ':':9s} " + ", ".join(f"{n} {o}" for o, n in sorted(outs.items())))
    print()
    print("sentences by kind")
    print(f"  {'kind':16s} {'sentences':>9s} {'with a false hit':>17s} {'with a missed hit':>18s}")
    for kd in KINDS:
        k = by_kind.get(kd)
        if k:
            print(f"  {kd:16s} {k['sentences']:9d} {k['with a false hit']:17d} {k['with a missed hit']:18d}")
    print(f"{len(errors)} of {len(rows)} sentences have hits that differ from their labels")

    if not a.quiet and errors:
        print()
        print("errors (expected vs got; got lists counted hits, and set-aside hits with their reason)")
        for r, e, g in errors:
            print(f"{r['id']} [{r['kind']}] {r['sentence']!r}")
            print(f"    expected: {fmt(e)}")
            print(f"    got:      {fmt(g)}")

    checks = []
    if a.min_precision is not None:
        checks += [("precision per sentence", sp, a.min_precision), ("precision per hit", hp, a.min_precision)]
    if a.min_recall is not None:
        checks += [("recall per sentence", sr, a.min_recall), ("recall per hit", hr, a.min_recall)]
    for c in cats:
        p, r = pr(s_tp[c], s_fp[c], s_fn[c])
        if a.min_category_precision is not None and p == p:
            checks.append((f"precision {c}", p, a.min_category_precision))
        if a.min_category_recall is not None and r == r:
            checks.append((f"recall {c}", r, a.min_category_recall))
    if not checks:
        return 0
    print()
    failed = 0
    for i, (name, value, floor) in enumerate(checks, 1):
        ok = value == value and value >= floor
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - {name} {value:.3f} >= {floor}")
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
