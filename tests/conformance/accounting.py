#!/usr/bin/env python3
"""accounting.py MANIFEST NAME - every row accounted for: in manifest.json,
rows read = analysed + skipped, the skip reasons add up to the skipped
count, the listed skipped rows are as many as the count (up to the listing
limit) and the inputs' rows_read add up to rows read. Prints one TAP line."""
import json
import sys

path, name = sys.argv[1:3]
try:
    m = json.load(open(path, encoding="utf-8"))
    rows = m["rows"]
    read, analysed, skipped = rows["read"], rows["analysed"], rows["skipped"]
    problems = []
    if read != analysed + skipped:
        problems.append(f"read {read} != analysed {analysed} + skipped {skipped}")
    by_reason = sum(rows.get("skipped_by_reason", {}).values())
    if by_reason != skipped:
        problems.append(f"skipped_by_reason adds up to {by_reason}, not {skipped}")
    listed = rows.get("skipped_rows_listed", len(rows.get("skipped_rows", [])))
    if listed != len(rows.get("skipped_rows", [])) or listed > skipped:
        problems.append(f"skipped_rows_listed {listed} does not match the list")
    per_input = sum(i.get("rows_read", 0) for i in m.get("inputs", []))
    if per_input != read:
        problems.append(f"inputs' rows_read add up to {per_input}, not {read}")
except (OSError, ValueError, KeyError, TypeError) as e:
    problems = [f"manifest unreadable: {e}"]
    read = analysed = skipped = "?"
if problems:
    print(f"not ok - rows accounted: {name}: " + "; ".join(problems))
    sys.exit(1)
print(f"ok - rows accounted: {name}: read {read} = analysed {analysed} + skipped {skipped}")
