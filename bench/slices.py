#!/usr/bin/env python3
"""bench/slices.py DIR: the first 4 MB and 8 MB of bench/data/bench-100.csv,
cut at a record boundary, as DIR/slice-4.csv and DIR/slice-8.csv (for
bench/marginal.sh and bench/serial.sh: marginal cost = (I8 - I4) / (B8 - B4))."""
import os
import sys

big = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "bench-100.csv")
if not os.path.exists(big) or not os.path.getsize(big):
    sys.exit("%s missing: run make bench (or bench/bench.py --mb 100) first" % big)
with open(big, "rb") as f:
    b = f.read(8 * 1000 * 1000)
for mb in (4, 8):
    s = b[: mb * 1000 * 1000]
    with open(os.path.join(sys.argv[1], "slice-%d.csv" % mb), "wb") as f:
        f.write(s[: s.rfind(b"\n") + 1])
