#!/usr/bin/python3
"""crosscheck_statsmodels.py - a second, independent check of cluster.csv.

Run from the repository root with Debian's python (apt-get install
python3-statsmodels):  /usr/bin/python3 tests/stats/crosscheck_statsmodels.py

make_reference.R builds the cluster-robust variance by hand from glm();
this refits every estimable case with statsmodels' GLM (Poisson, log link,
offset log(words)) and its own cluster-robust covariance, and prints the
largest relative difference. statsmodels' default small-sample correction
for cov_type="cluster" is G/(G-1) * (N-1)/(N-K) (the OLS form Stata uses
after regress); evalbias, like Stata after poisson/glm, uses CR1 for
likelihood models, G/(G-1) alone (Cameron & Miller 2015). So
the comparison takes statsmodels' uncorrected sandwich and multiplies it
by G/(G-1). Not needed by the unit tests.
"""
import csv
import math
import sys

import numpy as np
import statsmodels.api as sm
from scipy import stats

root = sys.argv[1] if len(sys.argv) > 1 else "."
cells = list(csv.DictReader(open(f"{root}/tests/stats/cluster_cells.csv")))
worst = 0.0
for ref in csv.DictReader(open(f"{root}/tests/stats/cluster.csv")):
    if ref["status"] != "ok":
        continue
    rows = [c for c in cells if c["id"] == ref["id"] and float(c["t"]) > 0]
    y = np.array([float(c["y"]) for c in rows])
    t = np.array([float(c["t"]) for c in rows])
    g = np.array([float(c["group"]) for c in rows])
    cl = np.array([c["cluster"] for c in rows])
    G = len(set(cl))
    X = sm.add_constant(g)
    fit = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(t)).fit(
        cov_type="cluster",
        cov_kwds={"groups": np.unique(cl, return_inverse=True)[1],
                  "use_correction": False},
        tol=1e-14)
    b = fit.params[1]
    se = math.sqrt(fit.cov_params()[1, 1] * G / (G - 1))
    conf = float(ref["conf"])
    crit = stats.t.ppf(1 - (1 - conf) / 2, G - 1)
    got = {"log_rr": b, "se": se, "lo": math.exp(b - crit * se),
           "hi": math.exp(b + crit * se),
           "p": 2 * stats.t.sf(abs(b / se), G - 1)}
    for k, v in got.items():
        want = float(ref[k])
        rel = abs(v - want) / max(abs(want), 1e-300)
        worst = max(worst, rel)
        if rel > 1e-6:
            print(f"{ref['id']} {k}: statsmodels {v!r}, reference {want!r}")
    print(f"{ref['id']}: G={G} se={se:.10g} p={got['p']:.6g}")
print(f"largest relative difference: {worst:.2g}")
sys.exit(0 if worst <= 1e-6 else 1)
