#!/usr/bin/env python3
"""cells.py TALLY COLUMN COHORT LEXICON CATEGORY - the resident-level cells
of one cohort and one category total from a tally file (tally_file.h):
prints CSV resident,hits,words. Used to make the R reference of the test
of change (make-reference.sh); independent of evalbias's C code."""
import sys


def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[n])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def cells(path, column, cohort, lexicon, category):
    lexicons, cats, nentries, cols = [], [], 0, []
    item = None
    cur_cohort = cur_cell = None
    res = {}
    for line in open(path, encoding="utf-8"):
        f = [unesc(x) for x in line.rstrip("\n").split("\t")]
        r = f[0]
        if r == "lexicon":
            lexicons.append(f[1])
        elif r == "category":
            cats.append((lexicons[int(f[1])], f[2]))
        elif r == "entry":
            nentries += 1
        elif r == "column":
            cols.append(f[1])
            item = nentries + cats.index((lexicon, category))
        elif r == "cohort":
            cur_cohort = (cols[int(f[1])], f[2])
        elif r == "cell":
            cur_cell = None
            if cur_cohort == (column, cohort):
                cur_cell = f[1]
                res[cur_cell] = [0, int(f[3])]
        elif r == "cell_item" and cur_cell is not None and int(f[1]) == item:
            res[cur_cell][0] = int(f[2])
    return res


if __name__ == "__main__":
    path, column, cohort, lexicon, category = sys.argv[1:6]
    print("resident,hits,words")
    for k, (y, w) in sorted(cells(path, column, cohort, lexicon, category).items()):
        print('"%s",%d,%d' % (k.replace('"', '""'), y, w))
