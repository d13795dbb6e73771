#!/usr/bin/env python3
"""check.py OUT - checks of the trend layer (run.sh makes OUT):
the planted change and only it, the rates of trend.csv equal each cycle's
rates.csv and its rate ratios each cycle's comparisons.csv, the test of
change equals the R reference, lexicon versions, duplicate labels."""
import csv
import os
import sys

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
n_ok = n_fail = 0


def ok(cond, what, detail=None):
    global n_ok, n_fail
    if cond:
        n_ok += 1
        print("ok %d - %s" % (n_ok + n_fail, what))
    else:
        n_fail += 1
        print("not ok %d - %s" % (n_ok + n_fail, what))
        if detail is not None:
            print("# %s" % str(detail)[:600])


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def close(a, b, rel=1e-6):
    return abs(a - b) <= rel * max(abs(a), abs(b))


cycles = ["2021-22", "2022-23", "2023-24"]
trend = rows(os.path.join(out, "tr", "trend.csv"))
changes = rows(os.path.join(out, "tr", "trend-changes.csv"))
with open(os.path.join(out, "tr", "trend.csv"), encoding="utf-8") as f:
    head = f.readline().rstrip("\r\n")
ok(head == "cycle,cohort_column,cohort,reference,lexicon,category,term,evaluations,"
           "residents,words,hits,rate_per_1000_words,rate_ratio,robust_ci_low,"
           "robust_ci_high", "trend.csv has the header of the issue", head)
ok([c for c in dict.fromkeys(r["cycle"] for r in trend)] == cycles,
   "cycles labelled by --period, in argument order")
ok(all(r["term"] == "*" for r in trend), "without --terms only category totals (term *)")

# The planted change, and only it.
found = [(r["cohort_column"], r["cohort"], r["reference"], r["lexicon"], r["category"])
         for r in changes if r["finding"] == "true"]
ok(found == [("Resident Gender", "Male", "Female", "planted", "confidence")],
   "trend finds the planted change (confidence, men vs women) and only it", found)
# 5 categories x (Resident Gender: Male; Evaluator Gender: Male; PGY: 2, 3);
# "(blank)" is not compared (as comparisons.csv, without --compare-blank).
tested = sum(1 for r in changes if r["ratio_of_rate_ratios"])
ok(tested == 20 and not any(r["cohort"] == "(blank)" for r in changes),
   "%d categories and cohorts were tested, \"(blank)\" not" % tested)
conf = next(r for r in changes if r["category"] == "confidence" and r["cohort"] == "Male"
            and r["cohort_column"] == "Resident Gender")
ok(float(conf["ratio_of_rate_ratios"]) > 1.5 and conf["first_cycle"] == cycles[0]
   and conf["last_cycle"] == cycles[2],
   "the change is in the planted direction (men vs women rises: 0.5 -> 2 planted)", conf)

# Against the R reference (reference.R: glm + clubSandwich CR2 and
# Satterthwaite df, the variance of comparisons.csv).
for ref in rows(os.path.join(here, "reference.csv")):
    r = next(x for x in changes if x["cohort_column"] == "Resident Gender"
             and x["cohort"] == "Male" and x["lexicon"] == ref["lexicon"]
             and x["category"] == ref["category"])
    keys = ["ratio_of_rate_ratios", "robust_ci_low", "robust_ci_high", "robust_p",
            "robust_df"]
    # both print 10 significant digits
    same = all(close(float(r[k]), float(ref[k]), 1e-8) for k in keys)
    ok(same, "%s/%s: ratio of rate ratios, interval, p and df equal R's (clubSandwich CR2)"
       % (ref["lexicon"], ref["category"]), ([r[k] for k in keys], [ref[k] for k in keys]))

# Each cycle's rates are its rates.csv; its rate ratios its comparisons.csv.
def check_cycle_rates(trend_rows, terms):
    bad, n, nrr, badrr = [], 0, 0, []
    for i, cy in enumerate(cycles):
        a = os.path.join(out, "a%d" % (i + 1))
        rates = {(r["cohort_column"], r["cohort"], r["lexicon"], r["category"], r["term"]): r
                 for r in rows(os.path.join(a, "rates.csv"))}
        cmp = {(r["cohort_column"], r["cohort"], r["reference"], r["lexicon"], r["category"], r["term"]): r
               for r in rows(os.path.join(a, "comparisons.csv"))}
        for t in trend_rows:
            if t["cycle"] != cy:
                continue
            k = (t["cohort_column"], t["cohort"], t["lexicon"], t["category"], t["term"])
            r = rates.get(k)
            n += 1
            if not r and k[4] != "*" and t["hits"] == "0":
                # rates.csv writes a term when some cohort of the column has
                # a hit of it in that cycle; trend.csv when some cycle does.
                cat = rates.get(k[:4] + ("*",))
                if cat and all(cat[c] == t[c] for c in ("evaluations", "residents", "words")):
                    continue
            if not r or any(r[c] != t[c] for c in ("evaluations", "residents", "words", "hits",
                                                     "rate_per_1000_words")):
                bad.append((cy, k, r and [r[c] for c in ("words", "hits", "rate_per_1000_words")]))
            c = cmp.get((t["cohort_column"], t["cohort"], t["reference"]) + k[2:])
            # trend clusters by resident across cycles (issue 19); an
            # evaluator-level column's comparisons.csv clusters by evaluator,
            # so only resident-clustered rows can agree to the digit.
            if c and c.get("cluster_unit", "resident") != "resident":
                c = None
            if c and t["rate_ratio"]:
                nrr += 1
                # comparisons.csv: rate_ratio, robust_ci_* (%.6g, as trend.csv)
                got_ = [t[x] for x in ("rate_ratio", "robust_ci_low", "robust_ci_high")]
                want = [c[x] for x in ("rate_ratio", "robust_ci_low", "robust_ci_high")]
                if got_ != want:
                    badrr.append((cy, k, want, got_))
        # The combination of a cycle's suppressed cohorts is not one group
        # over time: trend.h leaves it out.
        shown = [k for k in rates if ((k[4] == "*") or terms)
                 and k[1] != "(suppressed cohorts, combined)"]
        got = {(t["cohort_column"], t["cohort"], t["lexicon"], t["category"], t["term"])
               for t in trend_rows if t["cycle"] == cy}
        missing = [k for k in shown if k not in got]
        if missing:
            bad.append((cy, "rows of rates.csv missing from trend.csv", missing[:3]))
    return n, bad, nrr, badrr


n, bad, nrr, badrr = check_cycle_rates(trend, False)
ok(n > 0 and not bad, "every category row of trend.csv (%d) equals its cycle's rates.csv, and "
   "every cohort of rates.csv is there" % n, bad[:3])
ok(nrr > 0 and not badrr, "trend.csv's rate ratios (%d) equal each cycle's comparisons.csv "
   "rate ratio and robust interval" % nrr, badrr[:3])
terms = rows(os.path.join(out, "tr-terms", "trend.csv"))
n, bad, nrr, badrr = check_cycle_rates(terms, True)
ok(any(r["term"] != "*" for r in terms) and not bad,
   "with --terms, every term row (%d rows) equals its cycle's rates.csv" % n, bad[:3])

# Different lexicon versions: compared on common entries, and said.
mixed = rows(os.path.join(out, "tr-mixed", "trend.csv"))
with open(os.path.join(out, "tr-mixed", "trend.html"), encoding="utf-8") as f:
    page = f.read()
ok("different lexicon versions" in page and "present in every cycle" in page,
   "trend.html says the lexicon versions differ and only common entries are compared")
cf = [r for r in mixed if r["category"] == "confidence" and r["cycle"] == "2021-22"
      and r["cohort_column"] == "Resident Gender" and r["cohort"] == "Male"]
a1 = {(r["cohort_column"], r["cohort"], r["category"], r["term"]): r
      for r in rows(os.path.join(out, "a1", "rates.csv"))}
full = int(a1[("Resident Gender", "Male", "confidence", "*")]["hits"])
lacks = int(a1[("Resident Gender", "Male", "confidence", "lacks confidence")]["hits"])
ok(cf and int(cf[0]["hits"]) == full - lacks and lacks > 0,
   "a category whose entries differ is totalled over the common entries only "
   "(%d = %d - %d)" % (int(cf[0]["hits"]) if cf else -1, full, lacks))
other = [r for r in mixed if r["category"] == "grindstone" and r["cycle"] == "2021-22"
         and r["cohort_column"] == "Resident Gender" and r["cohort"] == "Male"]
ok(other and other[0]["hits"] == a1[("Resident Gender", "Male", "grindstone", "*")]["hits"],
   "a category with the same entries keeps its rates.csv total")
ok([c for c in dict.fromkeys(r["cycle"] for r in mixed)] == ["2021-22", "cycle-old"],
   "without --period a cycle is labelled by its folder's name")

# Duplicate labels.
with open(os.path.join(out, "dup.rc")) as f:
    rc = f.read().strip()
with open(os.path.join(out, "dup.stderr")) as f:
    err = f.read()
ok(rc == "2" and "already" in err, "two cycles with one label: exit 2 and a message", (rc, err))

# The summary.
with open(os.path.join(out, "trend.stdout")) as f:
    so = f.read()
ok("1 change; see trend.html." in so and "trend.csv" in so, "the summary names the change and the files", so)

# Suppression per cycle: no cohort below --min-residents in any cycle's rows.
ok(all(int(r["residents"]) >= 5 for r in trend), "no row of a cohort with fewer than 5 residents")

print("%d passed, %d failed" % (n_ok, n_fail))
sys.exit(1 if n_fail else 0)
