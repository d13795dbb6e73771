#!/usr/bin/env python3
"""refcount.py - an independent reference word counter for evalbias exports.

Written from the README's "Text rules" (rules 1 and 2), not from the C code,
so that tests/counting/run.sh can check the tool's word counts (the
denominator of every rate) against a second implementation:

  1. Normalization. Curly and modifier apostrophes fold to ', hyphens
     (-, U+2010, U+2011, U+FE63, U+FF0D) fold to -, dashes (U+2012..U+2015,
     U+2212, U+FE58, U+2E3A, U+2E3B) and U+200B ZERO WIDTH SPACE fold to a
     space; then Unicode NFKC (and the folding again, since NFKC can make a
     dash out of a presentation form); other default-ignorable code points
     (format characters: soft hyphen, joiners, BOM) are removed.
  2. Words. A word is a maximal run of letters, digits and combining marks
     (general categories L*, N*, M*) where a single apostrophe or hyphen
     between two such characters keeps the run together.

Usage:
  refcount.py EXPORT.csv --id COL --resident COL --text COL[,COL...]
prints "id,words" per evaluation (rows with an empty resident, and rows
whose comment columns are all empty, are skipped as the README says), or
  refcount.py --text-words STRING   prints the word count of one string.
Python standard library only.
"""

import argparse
import csv
import sys
import unicodedata

APOSTROPHES = "'\u2018\u2019\u201a\u201b\u2032\u02bc\uff07"
HYPHENS = "-\u2010\u2011\ufe63\uff0d"
SPACES = "\u2012\u2013\u2014\u2015\u2212\ufe58\u2e3a\u2e3b\u200b"


def fold(text):
    out = []
    for ch in text:
        if ch in APOSTROPHES:
            out.append("'")
        elif ch in HYPHENS:
            out.append("-")
        elif ch in SPACES:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize(text):
    text = fold(unicodedata.normalize("NFKC", fold(text)))
    # Default-ignorable code points: the format characters (Cf) are the
    # ones that occur in text; U+200B was made a space above.
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def is_word_char(ch):
    return unicodedata.category(ch)[0] in "LMN"


def count_words(text):
    """Words in text by rule 2, over the normalized text."""
    s = normalize(text)
    n = len(s)
    words = 0
    i = 0
    while i < n:
        if not is_word_char(s[i]):
            i += 1
            continue
        words += 1
        i += 1
        while i < n:
            if is_word_char(s[i]):
                i += 1
            elif s[i] in "'-" and i + 1 < n and is_word_char(s[i + 1]):
                i += 2          # a single joiner between word characters
            else:
                break
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("export", nargs="?")
    ap.add_argument("--id")
    ap.add_argument("--resident")
    ap.add_argument("--text", help="comment columns, comma-separated")
    ap.add_argument("--text-words", metavar="STRING")
    a = ap.parse_args()
    if a.text_words is not None:
        print(count_words(a.text_words))
        return 0
    cols = a.text.split(",")
    totals = {}
    order = []
    with open(a.export, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        idx = {h: k for k, h in enumerate(header)}
        for row in rows:
            if not row:
                continue                      # a blank line is not a row
            texts = [row[idx[c]] if idx[c] < len(row) else "" for c in cols]
            if row[idx[a.resident]] == "" or all(t == "" for t in texts):
                continue
            eid = row[idx[a.id]]
            if eid not in totals:
                totals[eid] = 0
                order.append(eid)
            totals[eid] += sum(count_words(t) for t in texts)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "words"])
    for eid in order:
        w.writerow([eid, totals[eid]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
