#!/usr/bin/env python3
"""make_long_fixtures.py - the long sample in the other shapes exports
arrive in, written from samples/evaluations-long.csv and samples/roster.csv:

  samples/evaluations-long.xlsx   the long export as an Excel workbook
                                  (sheet "Evaluations"; ids and ratings as
                                  numbers), as MedHub's "Export to Excel"
  tests/golden/audit-samples-long/
    title.csv       a title line and a blank line above the header
    semicolon.csv   ';'-delimited with CRLF line ends (Excel's CSV where the
                    decimal separator is a comma)
    roster.xlsx     the roster as a workbook whose roster is its second
                    sheet, "Residents" (the first is a note): --roster-sheet

The golden audit-samples-long audits each and compares rates.csv and
comparisons.csv with the wide sample's. Deterministic (the workbook writer
of make_fixtures.py uses fixed timestamps). Run from anywhere:

    python3 tests/xlsx/make_long_fixtures.py
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from make_fixtures import build  # noqa: E402

GOLDEN = os.path.join(TOP, 'tests', 'golden', 'audit-samples-long')
TITLE = 'Evaluation Report \u2014 generated 2026-06-30'


def read(name):
    with open(os.path.join(TOP, 'samples', name), encoding='utf-8-sig',
              newline='') as f:
        return [r for r in csv.reader(f) if r]


def as_cells(records, numeric_cols=()):
    rows = {}
    for i, rec in enumerate(records, 1):
        vals = []
        for c, v in enumerate(rec):
            if i > 1 and c in numeric_cols and v.isdigit() and \
                    not v.startswith('0'):
                vals.append(int(v))
            else:
                vals.append(v if v else None)
        rows[i] = vals
    return rows


def write_csv(path, records, delimiter=',', lineterminator='\n', above=()):
    out = io.StringIO()
    for line in above:
        out.write(line + lineterminator)
    w = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    w.writerows(records)
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(out.getvalue())


def main():
    longr = read('evaluations-long.csv')
    roster = read('roster.csv')
    header = longr[0]
    # ids and answers that are whole numbers as number cells, as Excel
    # stores them; the reader writes them back in the same form
    numeric = {header.index('Evaluation ID'), header.index('Response')}
    build(os.path.join(TOP, 'samples', 'evaluations-long.xlsx'),
          [('Evaluations', as_cells(longr, numeric), [])])
    os.makedirs(GOLDEN, exist_ok=True)
    write_csv(os.path.join(GOLDEN, 'title.csv'), longr, above=(TITLE, ''))
    write_csv(os.path.join(GOLDEN, 'semicolon.csv'), longr, delimiter=';',
              lineterminator='\r\n')
    note = {1: ['Residents of the program, academic year 2023-2024'],
            2: ['Generated for evalbias tests; synthetic names.']}
    build(os.path.join(GOLDEN, 'roster.xlsx'),
          [('About', note, []), ('Residents', as_cells(roster), [])])


if __name__ == '__main__':
    main()
