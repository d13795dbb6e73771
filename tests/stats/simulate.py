#!/usr/bin/env python3
"""simulate.py - end-to-end check of evalbias's comparisons on synthetic
corpora with a known truth (issue 4).

Each corpus has residents in two cohorts ("Woman", "Man"), several
evaluations per resident, and made-up words (never English, so nothing else
matches) used as lexicon terms. A resident's rate for each term is the
term's base rate times a gamma frailty (mean 1, CV 0.71), so evaluations of
one resident are correlated, as in real data. Hits per evaluation are
Poisson given the resident's rate.

  planted: one term is used 2x as often about women residents. evalbias
           must find it: cluster-robust interval above 1 and q < 0.05.
  null:    no term differs. Over SEEDS corpora of NTERMS terms, the share
           of cluster-robust tests with p < 0.05 must stay near 5%, and the
           share of corpora with any BH discovery (q < 0.05; under the
           complete null that is the FDR) must stay near 5%.

Prints TAP lines and "N passed, N failed". Deterministic: fixed seeds.
Usage: simulate.py EVALBIAS_BINARY
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

NTERMS = 20
SEEDS = 40
RESIDENTS = 24          # per cohort
EVALS = (4, 14)         # evaluations per resident, uniform
WORDS = (30, 120)       # filler words per evaluation
BASE_RATE = 4.0 / 1000  # hits per word
FILLER = ("works hard with the team and patients on the wards each day "
          "presents clearly follows up reads around cases").split()


def made_up_words(n):
    rng = random.Random(12345)
    syll = ["zor", "quel", "vash", "mib", "trun", "plok", "dreg", "fasp",
            "gorb", "yint", "kelv", "snor"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(3)))
    return sorted(out)


def gamma_frailty(rng):
    return rng.gammavariate(2.0, 0.5)  # mean 1, CV 1/sqrt(2)


def poisson(rng, lam):
    # Knuth's method is fine for the small means used here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def write_corpus(path, seed, terms, planted):
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Evaluation ID", "Resident", "Resident Gender", "Comments"])
        eid = 0
        for cohort in ("Woman", "Man"):
            for r in range(RESIDENTS):
                resident = f"{cohort[0]}{r:03d}"
                frailty = [gamma_frailty(rng) for _ in terms]
                for _ in range(rng.randint(*EVALS)):
                    words = [rng.choice(FILLER)
                             for _ in range(rng.randint(*WORDS))]
                    n_words = len(words)
                    for j, term in enumerate(terms):
                        lam = BASE_RATE * frailty[j] * n_words
                        if term == planted and cohort == "Woman":
                            lam *= 2
                        for _ in range(poisson(rng, lam)):
                            words.insert(rng.randrange(len(words) + 1), term)
                    eid += 1
                    w.writerow([eid, resident, cohort, " ".join(words) + "."])


def audit(binary, tmp, csv_path, lex_dir):
    out = os.path.join(tmp, "out")
    subprocess.run([binary, "audit", "-q", "--reference", "Man",
                    "--lexicon", lex_dir, "-o", out, csv_path], check=True)
    with open(os.path.join(out, "comparisons.csv"), newline="",
              encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["term"] != "*"]


def term_q(row):
    """A term's q: BH within its category when the category's q <= alpha
    (term_q_value), else untested (1)."""
    return float(row["term_q_value"]) if row["term_q_value"] else 1.0


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "./evalbias"
    terms = made_up_words(NTERMS + 1)
    planted, null_terms = terms[0], terms[1:]
    results = []

    def check(ok, name):
        results.append(ok)
        print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}")

    with tempfile.TemporaryDirectory() as tmp:
        lex = os.path.join(tmp, "lex")
        os.mkdir(lex)
        # The planted term has its own category: terms are tested only
        # within categories whose own q is small (hierarchical BH), and a
        # category of 20 null terms and one planted one is, rightly, not.
        with open(os.path.join(lex, "simulated.txt"), "w") as f:
            f.write("\n".join(null_terms) + "\n")
        with open(os.path.join(lex, "planted.txt"), "w") as f:
            f.write(planted + "\n")
        corpus = os.path.join(tmp, "corpus.csv")

        write_corpus(corpus, 1, terms, planted)
        rows = {r["term"]: r for r in audit(binary, tmp, corpus, lex)}
        p = rows[planted]
        rr, lo, q = float(p["rate_ratio"]), float(p["robust_ci_low"]), term_q(p)
        print(f"# planted 2x: rate ratio {rr:.2f}, robust CI low {lo:.2f}, q {q:.2g}")
        check(1.4 < rr < 2.8 and lo > 1 and q < 0.05,
              "planted 2x difference found (robust CI above 1, q < 0.05)")

        rejections = tests = any_discovery = 0
        for seed in range(100, 100 + SEEDS):
            write_corpus(corpus, seed, null_terms, None)
            rows = audit(binary, tmp, corpus, lex)
            null_rows = [r for r in rows if r["term"] in null_terms]
            tests += len(null_rows)
            rejections += sum(float(r["robust_p"]) < 0.05 for r in null_rows)
            any_discovery += any(term_q(r) < 0.05 for r in null_rows)
        rate = rejections / tests
        fdr = any_discovery / SEEDS
        print(f"# null: {rejections}/{tests} robust tests with p < 0.05 "
              f"({rate:.3f}); {any_discovery}/{SEEDS} corpora with a BH "
              f"discovery ({fdr:.3f})")
        # Binomial(800, 0.05): 99.9% of draws fall in [0.028, 0.076].
        check(0.025 <= rate <= 0.08,
              "null: per-test type I error of the robust test near 5%")
        # Binomial(40, 0.05) exceeds 5 with probability 0.014.
        check(any_discovery <= 5, "null: BH false discovery rate near 5%")
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
