#!/usr/bin/env python3
"""compare.py DUMP EXPECTED NAME - compare reader_dump's JSON with an
expected JSON file (csv-spectrum's form: an array of objects, or one object
for a single record). Prints 'ok' or 'not ok' lines with the differences."""
import json
import sys

got_path, want_path, name = sys.argv[1:4]
try:
    got = json.load(open(got_path, encoding="utf-8"))
except ValueError as e:
    print(f"not ok - {name}: reader output is not JSON: {e}")
    sys.exit(1)
want = json.load(open(want_path, encoding="utf-8"))
if isinstance(want, dict):
    want = [want]
if got == want:
    print(f"ok - {name}")
    sys.exit(0)
print(f"not ok - {name}")
print(f"#   want {len(want)} records, got {len(got)}")
for i, (g, w) in enumerate(zip(got, want)):
    if g != w:
        print(f"#   record {i + 1}: want {json.dumps(w, ensure_ascii=False)}")
        print(f"#   record {i + 1}: got  {json.dumps(g, ensure_ascii=False)}")
        break
sys.exit(1)
