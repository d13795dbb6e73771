#!/bin/sh
# bench/marginal.sh TREE [audit options...]
#
# Marginal instructions per input byte of TREE/evalbias (a built checkout),
# stage by stage: callgrind on the first 4 MB and 8 MB of the benchmark
# export (bench/data/bench-100.csv, `make bench` makes it), (I8 - I4) /
# (B8 - B4), so start-up and fixed costs drop out; every function's
# inclusive cost per byte, largest first. Use it to compare two builds
# (e.g. a worktree of an older commit against this one) stage by stage:
#     sh bench/marginal.sh . --tally-only
set -eu
tree=$1
shift
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 "$(dirname "$0")/slices.py" "$t"
for mb in 4 8; do
    valgrind --tool=callgrind --callgrind-out-file="$t/cg-$mb.out" \
        "$tree/evalbias" audit -q --lexicon "$tree/lexicons" -o "$t/out-$mb" "$@" \
        "$t/slice-$mb.csv" >/dev/null 2>"$t/err-$mb.txt" || { cat "$t/err-$mb.txt" >&2; exit 1; }
    callgrind_annotate --inclusive=yes --threshold=100 "$t/cg-$mb.out" >"$t/ann-$mb.txt"
done
python3 - "$t" <<'PY'
import os, re, sys
t = sys.argv[1]
def total(p):
    return int(re.search(r"Collected : (\d+)", open(p).read()).group(1))
def inclusive(p):
    cost = {}
    for l in open(p):
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(\S+?)"
                     r"(?:\.constprop\.\d+|\.part\.\d+|\.isra\.\d+|'\d+)* \[", l)
        if m and not m.group(3).startswith("0x"):
            v = int(m.group(1).replace(",", ""))
            cost[m.group(3)] = max(cost.get(m.group(3), 0), v)
    return cost
db = os.path.getsize(t + "/slice-8.csv") - os.path.getsize(t + "/slice-4.csv")
n = (total(t + "/err-8.txt") - total(t + "/err-4.txt")) / db
c4, c8 = inclusive(t + "/ann-4.txt"), inclusive(t + "/ann-8.txt")
sha = (c8.get("sha256_update", 0) - c4.get("sha256_update", 0)) / db
print("marginal instructions per input byte: %.1f (%.1f without the input's SHA-256,"
      " which valgrind runs without SHA-NI)" % (n, n - sha))
for v, f in sorted((((c8.get(f, 0) - c4.get(f, 0)) / db, f) for f in set(c4) | set(c8)),
                   reverse=True):
    if v >= 0.8:
        print("%8.1f  %s" % (v, f))
PY
