#!/usr/bin/env python3
"""audit_path.py - the evaluator-cohort scenario through the real audit path
(issue 17, items 2 and 8). Usage: audit_path.py EVALBIAS WORKDIR [REPS]

Each replicate is a generated export: 40 residents, 12 evaluators (6 F, 6
M), 360 evaluations (resident and evaluator drawn at random), 50-300 words,
hits of one term at 2 per 1,000 words times a resident gamma frailty (CV
0.58) and an evaluator gamma frailty (CV 0.5), and no difference between
evaluator genders. The export carries Evaluator Gender twice: as itself
(an evaluator-level column, clustered by evaluator) and as "Group", an
evaluation-level copy (clustered by resident - what every column got
before the evaluator role). `evalbias audit` runs once per replicate; the
category row's robust_p of each column goes into the count of rejections
at 5%. Checks: clustered by evaluator, the type I error is inside
1.9-8.6% (5% +/- 2.5 binomial SE at 300 replicates); and it is below the
resident-clustered copy's. Prints both rates and "N passed, N failed"."""
import csv, os, random, subprocess, sys

EVALBIAS, WORK = sys.argv[1], sys.argv[2]
REPS = int(sys.argv[3]) if len(sys.argv) > 3 else 300
os.makedirs(WORK, exist_ok=True)
lex = os.path.join(WORK, "lex")
os.makedirs(lex, exist_ok=True)
with open(os.path.join(lex, "traits.txt"), "w") as f:
    f.write("bossy\n")


def gamma_cv(rnd, cv):
    k = 1 / (cv * cv)
    return rnd.gammavariate(k, 1 / k)


def poisson(rnd, lam):
    # Knuth; lam is small here (< 5)
    import math
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= L:
            return k
        k += 1


def replicate(seed, path):
    rnd = random.Random(seed)
    res = [gamma_cv(rnd, 0.58) for _ in range(40)]
    evs = [(("F" if i < 6 else "M"), gamma_cv(rnd, 0.5)) for i in range(12)]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Evaluation ID", "Resident", "Evaluator", "Evaluator Gender",
                    "Group", "Comments"])
        for e in range(360):
            r = rnd.randrange(40)
            v = rnd.randrange(12)
            words = rnd.randint(50, 300)
            y = min(poisson(rnd, 2e-3 * words * res[r] * evs[v][1]), words)
            toks = ["word"] * (words - y) + ["bossy"] * y
            rnd.shuffle(toks)
            w.writerow([e, "R%02d" % r, "E%02d" % v, evs[v][0], evs[v][0],
                        " ".join(toks)])


rej = {"Evaluator Gender": 0, "Group": 0}
tested = {"Evaluator Gender": 0, "Group": 0}
for i in range(REPS):
    data = os.path.join(WORK, "rep.csv")
    out = os.path.join(WORK, "out")
    replicate(20261206 + i, data)
    subprocess.run([EVALBIAS, "audit", "-q", "--text", "Comments", "--id",
                    "Evaluation ID", "--resident", "Resident", "--evaluator",
                    "Evaluator", "--cohort", "Evaluator Gender", "--cohort",
                    "Group", "--reference", "F", "--lexicon", lex, "-o", out,
                    data], check=True, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "comparisons.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["term"] != "*" or not row["robust_p"]:
                continue
            c = row["cohort_column"]
            tested[c] += 1
            rej[c] += float(row["robust_p"]) < 0.05
npass = nfail = 0
ev = rej["Evaluator Gender"] / max(tested["Evaluator Gender"], 1)
gr = rej["Group"] / max(tested["Group"], 1)
print("# %d replicates: clustered by evaluator %.1f%% rejected at 5%%; "
      "the same column clustered by resident %.1f%%" % (REPS, 100 * ev, 100 * gr))
for ok, what in [
        (0.019 <= ev <= 0.086, "evaluator cohort clustered by evaluator: type I "
         "error %.1f%% in 1.9-8.6%%" % (100 * ev)),
        (ev < gr, "clustered by resident it rejects more (%.1f%%)" % (100 * gr))]:
    print(("ok" if ok else "not ok"), npass + nfail + 1, "-", what)
    npass += ok
    nfail += not ok
print("%d passed, %d failed" % (npass, nfail))
sys.exit(1 if nfail else 0)
