#!/usr/bin/env python3
"""reconstruct.py - tries to undo evalbias's suppression from its published
outputs (issue 17, item 1). Usage: reconstruct.py EVALBIAS WORKDIR

For each dataset (the shipped samples, and simulated exports with several
cohort columns, a "(blank)" cohort, tiny cohorts, and a column where only
the reference is left) it runs the audit twice: as published (default
--min-residents 5) and as an oracle (--min-residents 0 --compare-blank),
whose rates.csv gives every cohort's true counts. A cohort is "suppressed"
when the oracle shows it with fewer than 5 residents, or, in the
evaluator-level column (Evaluator Gender), fewer than 5 evaluators
(--min-evaluators; counted from the input itself): the simulated exports
have an evaluator cohort "X" of 2 evaluators who wrote about many
residents, which only the evaluator threshold hides. The attacks, on the
published rates.csv, comparisons.csv, report.html and manifest.json only:
  A1 manifest totals minus the shown cohorts of a column;
  A2 every row of column B (the combination row included) minus the shown
     cohorts of column A, per item;
  A3 a category row minus its term rows (each published row);
  A4 report.html excerpts without a label in column A, counted per
     category, against a cohort's hits + negated hits.
A suppressed cohort counts as recovered when an attack gives exactly its
evaluations, or its words, or its whole per-item hit vector (when it has
any hit). Also: no suppressed (or complementary) cohort may have its own
row in rates.csv or comparisons.csv. Prints TAP and "N passed, N failed".
"""
import csv, json, os, random, re, subprocess, sys
from collections import defaultdict

EVALBIAS, WORK = sys.argv[1], sys.argv[2]
TOP = os.getcwd()
npass = nfail = 0


def check(ok, what):
    global npass, nfail
    print(("ok" if ok else "not ok"), npass + nfail + 1, "-", what)
    if ok:
        npass += 1
    else:
        nfail += 1


def audit(data, out, extra):
    cmd = [EVALBIAS, "audit", "-q", "-l", os.path.join(TOP, "lexicons"),
           "-o", out] + extra + data
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("audit failed: %s\n%s" % (" ".join(cmd), r.stderr))


def read_rates(out):
    """(column, cohort) -> {'ev','words','res', items{(cat,term): (hits, neg)}}"""
    cells = {}
    with open(os.path.join(out, "rates.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["cohort_column"], row["cohort"])
            c = cells.setdefault(key, {"ev": int(row["evaluations"]),
                                       "words": int(row["words"]),
                                       # empty: unknown (no resident column)
                                       "res": int(row["residents"])
                                       if row["residents"] else None,
                                       "items": {}})
            item = (row["lexicon"], row["category"], row["term"])
            c["items"][item] = (int(row["hits"]), int(row["negated_hits"]))
    return cells


def vec(cell, items, k=0):
    return tuple(cell["items"].get(i, (0, 0))[k] for i in items)


def evaluators_per_cohort(data, cmap):
    """{("Evaluator Gender", label folded): distinct evaluators}."""
    seen = defaultdict(set)
    for path in data:
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                lab = row.get("Evaluator Gender", "").strip()
                lab = cmap.get(lab.lower(), lab) or "(blank)"
                seen[("Evaluator Gender", lab.lower())].add(row.get("Evaluator", ""))
    return {k: len(v) for k, v in seen.items()}


def attack(name, pub, oracle, evaluators, threshold=5):
    rates = read_rates(pub)
    truth = read_rates(oracle)
    with open(os.path.join(pub, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    cols = sorted({c for c, _ in truth})
    items = sorted({i for cell in truth.values() for i in cell["items"]})
    terms = [i for i in items if i[2] != "*"]
    cats = [i for i in items if i[2] == "*"]
    # Residents unknown (no resident column): suppression counts evaluations.
    def units(cell):
        return cell["ev"] if cell["res"] is None else cell["res"]
    supp = {key: cell for key, cell in truth.items()
            if units(cell) < threshold or
            evaluators.get((key[0], key[1].lower()), threshold) < threshold}
    by_ev = [key for key in supp if units(truth[key]) >= threshold]
    if by_ev:
        print("# %s: suppressed by evaluators only: %s" % (name, by_ev))
    shown = {key for key in rates if not key[1].startswith("(suppressed")}
    hidden = {key for key in truth if key not in shown}
    check(not (set(supp) & shown) and hidden >= set(supp),
          "%s: suppressed cohorts have no row of their own in rates.csv (%d suppressed, %d hidden)"
          % (name, len(supp), len(hidden)))
    comp_cohorts = set()
    with open(os.path.join(pub, "comparisons.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            comp_cohorts.add((row["cohort_column"], row["cohort"]))
            comp_cohorts.add((row["cohort_column"], row["reference"]))
    check(not (comp_cohorts & hidden),
          "%s: no hidden cohort in comparisons.csv" % name)

    derived = []  # (column it targets, description, ev, words, hits vector)

    def sum_rows(keys):
        ev = sum(rates[k]["ev"] for k in keys)
        words = sum(rates[k]["words"] for k in keys)
        hits = tuple(sum(v) for v in zip(*[vec(rates[k], items) for k in keys])) \
            if keys else tuple(0 for _ in items)
        return ev, words, hits

    tot = man.get("totals", {})
    for a in cols:
        sa = [k for k in shown if k[0] == a]
        ev, words, hits = sum_rows(sa)
        derived.append((a, "A1 manifest words minus shown %s" % a, None,
                        tot.get("words", 0) - words, None))
        for b in cols:
            rb = [k for k in rates if k[0] == b]
            evb, wb, hb = sum_rows(rb)
            derived.append((a, "A2 column %s minus shown %s" % (b, a), evb - ev,
                            wb - words, tuple(x - y for x, y in zip(hb, hits))))
    for key, cell in rates.items():
        for cat in cats:
            sub = [t for t in terms if t[:2] == cat[:2]]
            d = cell["items"].get(cat, (0, 0))[0] - sum(cell["items"].get(t, (0, 0))[0] for t in sub)
            derived.append((key[0], "A3 %s/%s category minus terms" % key, None, None,
                            ("cat", cat, d)))
    # A4: excerpts in report.html without a label of column a.
    html = open(os.path.join(pub, "report.html"), encoding="utf-8").read()
    xs = re.findall(r'<li class="x" data-c="(\d+)"[^>]*data-k="([^"]*)"', html)
    for colidx in range(len(cols) + 1):
        counts = defaultdict(int)
        for c, k in xs:
            if not any(p.startswith("%d:" % colidx) for p in k.split()):
                counts[int(c)] += 1
        derived.append((None, "A4 excerpts unlabelled in column #%d" % colidx, None, None,
                        ("exc", dict(counts))))

    for key, cell in supp.items():
        hv = vec(cell, items)
        hn = tuple(h + n for h, n in zip(vec(cell, items), vec(cell, items, 1)))
        any_hit = any(hv) or any(hn)
        found = []
        for col, what, ev, words, hits in derived:
            if ev is not None and ev == cell["ev"]:
                found.append(what + ": evaluations")
            if words is not None and words == cell["words"]:
                found.append(what + ": words")
            if isinstance(hits, tuple) and hits and hits[0] == "cat":
                _, cat, d = hits
                if d and d == cell["items"].get(cat, (0, 0))[0]:
                    found.append(what + ": category hits")
            elif isinstance(hits, tuple) and hits and hits[0] == "exc":
                pass
            elif hits is not None and any_hit and hits == hv:
                found.append(what + ": hits")
        # A4 against per-category hits + negated of the cohort
        percat = {}
        for i, cat in enumerate(items):
            if cat[2] == "*":
                percat[cat[:2]] = hn[i]
        for col, what, ev, words, hits in derived:
            if isinstance(hits, tuple) and hits and hits[0] == "exc" and any_hit:
                counts = hits[1]
                if counts and sorted(counts.values()) == sorted(v for v in percat.values() if v):
                    found.append(what + ": excerpt counts")
        check(not found, "%s: %s = %s not recovered%s" % (
            name, key[0], key[1], (" (" + "; ".join(found[:3]) + ")") if found else ""))


def simulate(path, seed, spec):
    """spec: {column: [(label, residents)]} for resident-level columns; the
    first column decides the residents; others are drawn per resident."""
    rnd = random.Random(seed)
    words = ("handled the service well and communicated with the team about "
             "the plan for each patient on rounds today").split()
    flags = ["bossy", "confident", "abrasive", "emotional", "pleasant",
             "hardworking", "too assertive", "lacks confidence", "warm",
             "diligent", "caring", "aggressive"]
    cols = list(spec)
    residents = []
    first = cols[0]
    for label, n in spec[first]:
        for _ in range(n):
            residents.append({first: label})
    for c in cols[1:]:
        pool = [lab for lab, n in spec[c] for _ in range(n)]
        rnd.shuffle(pool)
        for i, r in enumerate(residents):
            r[c] = pool[i % len(pool)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Evaluation ID", "Resident"] + cols +
                   ["Evaluator", "Evaluator Gender", "Comments"])
        # 8 F and 8 M evaluators, 2 "X" (many residents, 2 evaluators:
        # suppressed by --min-evaluators only) and 5 without a gender.
        staff = [("Dr F%d" % i, "F") for i in range(8)] + \
                [("Dr M%d" % i, "M") for i in range(8)] + \
                [("Dr X%d" % i, "X") for i in range(2)] + \
                [("Dr U%d" % i, "") for i in range(5)]
        eid = 1000
        for ri, r in enumerate(residents):
            for _ in range(rnd.randint(3, 12)):
                eid += 1
                text = " ".join(rnd.choice(words) for _ in range(rnd.randint(15, 60)))
                for _ in range(rnd.randint(0, 3)):
                    text += ". She is " + rnd.choice(flags)
                name, ev = rnd.choice(staff)
                w.writerow([eid, "Resident %03d" % ri] + [r[c] for c in cols] +
                           [name, ev, text + "."])


os.makedirs(WORK, exist_ok=True)
datasets = [("samples", [os.path.join(TOP, "samples", "evaluations.csv")],
             ["--cohort-map", os.path.join(TOP, "samples", "cohort-map.csv")])]
specs = [
    ("sim-blank", {"Resident Gender": [("F", 9), ("M", 8), ("NB", 1), ("", 3)],
                   "PGY": [("PGY-1", 7), ("PGY-2", 8), ("PGY-3", 5), ("PGY-4", 1)]}),
    ("sim-no-blank", {"Resident Gender": [("F", 10), ("M", 6), ("NB", 2)],
                      "PGY": [("PGY-1", 6), ("PGY-2", 6), ("PGY-3", 6)],
                      "Track": [("Categorical", 12), ("Prelim", 5), ("Research", 1)]}),
    ("sim-ref-only", {"Resident Gender": [("F", 12), ("X", 1)],
                      "PGY": [("PGY-1", 7), ("PGY-2", 6)]}),
    ("sim-two-small", {"Resident Gender": [("F", 8), ("M", 7), ("A", 1), ("B", 2)],
                       "PGY": [("PGY-1", 9), ("PGY-2", 9)]}),
]
for i, (name, spec) in enumerate(specs):
    p = os.path.join(WORK, name + ".csv")
    simulate(p, 17 + i, spec)
    cohort = []
    for c in list(spec) + ["Evaluator Gender"]:
        cohort += ["--cohort", c]
    datasets.append((name, [p], ["--text", "Comments", "--resident", "Resident",
                                 "--evaluator", "Evaluator"] + cohort))
# Without a resident column residents are unknown and suppression counts
# evaluations: the first simulated export, its Resident column dropped, and
# only 2 evaluations left of its NB and PGY-4 residents (small cells).
name0, data0, extra0 = datasets[-len(specs)]
p = os.path.join(WORK, name0 + "-noresident.csv")
with open(data0[0], newline="", encoding="utf-8") as f, \
        open(p, "w", newline="", encoding="utf-8") as g:
    rows = list(csv.reader(f))
    drop = rows[0].index("Resident")
    sex, pgy = rows[0].index("Resident Gender"), rows[0].index("PGY")
    kept, small = [rows[0]], defaultdict(int)
    for r in rows[1:]:
        tiny = r[sex] == "NB" or r[pgy] == "PGY-4"
        if tiny:
            small[(r[sex] == "NB", r[pgy] == "PGY-4")] += 1
            if small[(r[sex] == "NB", r[pgy] == "PGY-4")] > 2:
                continue
        kept.append(r)
    csv.writer(g, lineterminator="\r\n").writerows(
        [r[:drop] + r[drop + 1:] for r in kept])
extra = list(extra0)
i = extra.index("--resident")
del extra[i:i + 2]
datasets.append((name0 + "-noresident", [p], extra))
cmap = {}
with open(os.path.join(TOP, "samples", "cohort-map.csv"), newline="") as f:
    for row in csv.DictReader(f):
        cmap[row["label"].strip().lower()] = row["cohort"].strip()
for name, data, extra in datasets:
    pub, orc = os.path.join(WORK, name + "-pub"), os.path.join(WORK, name + "-oracle")
    audit(data, pub, extra)
    audit(data, orc, extra + ["--min-residents", "0", "--min-evaluators", "0",
                              "--compare-blank"])
    attack(name, pub, orc, evaluators_per_cohort(
        data, cmap if "--cohort-map" in extra else {}))
print("%d passed, %d failed" % (npass, nfail))
sys.exit(1 if nfail else 0)
