#!/usr/bin/env python3
"""tricky.py SEED OUT.csv - a small synthetic export whose comments are words
glued by every separator the counting rules treat specially (hyphens, dashes,
U+200B, soft hyphen, joiners, apostrophes, line breaks, blank lines, NBSP),
for tests/counting/run.sh. Deterministic for a seed; no real text."""

import csv
import random
import sys

WORDS = ["block", "by", "leader", "supporter", "follower", "soft", "spoken",
         "too", "assertive", "co", "operative", "resident's", "caf\u00e9",
         "Zo\u00eb", "e\u0301motional", "\u533b\u751f", "PGY", "2", "x86",
         "na\u00efve", "\u00dfpecial", "\ufb01ne", "\u2160", "team", "player"]
SEPS = [" ", " ", " ", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
        "\u2015", "\u2212", "\ufe58", "\u2e3a", "\u2e3b", "\u200b", "\u00ad",
        "\u200d", "'", "\u2019", "--", " - ", "\n", "\n\n", "\n \n", ", ",
        ". ", "\ufe63", "\uff0d", "\u00a0", "\t", "-'", "'-", " -", "- ",
        "\u2026", "/", "(", ")"]


def comment(rng):
    n = rng.randint(0, 14)
    parts = [rng.choice(SEPS) if rng.random() < 0.2 else ""]
    for k in range(n):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice(SEPS))
    return "".join(parts)


def main():
    seed, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Evaluation ID", "Resident", "Resident Gender",
                    "Strengths", "Areas for Improvement", "Overall Comments"])
        for i in range(200):
            w.writerow(["T%d-%d" % (seed, i), "Resident %d" % (i % 20),
                        "F" if i % 2 else "M",
                        comment(rng), comment(rng), comment(rng)])


if __name__ == "__main__":
    main()
