#!/bin/sh
# bench/serial.sh TREE [audit options...]
#
# The serial work of TREE/evalbias audit --threads 2, in marginal
# instructions per input byte (callgrind --separate-threads on the first 4
# MB and 8 MB of bench/data/bench-100.csv, as bench/marginal.sh): the main
# thread's own work (its total minus the pool jobs it ran while waiting,
# workers.c run_one), beside all threads' together. With s = serial / (all
# threads - the input's SHA-256, on its own thread), Amdahl's 1 / (s + (1 -
# s) / N) bounds the speedup on N cores.
#     sh bench/serial.sh .
set -eu
tree=$(cd "$1" && pwd)
shift
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 "$(dirname "$0")/slices.py" "$t"
for mb in 4 8; do
    (cd "$t" && valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$t/cg-$mb.out" "$tree/evalbias" audit -q \
        --threads 2 --lexicon "$tree/lexicons" -o "$t/out-$mb" "$@" \
        "$t/slice-$mb.csv" >/dev/null 2>"$t/err-$mb.txt") ||
        { cat "$t/err-$mb.txt" >&2; exit 1; }
done
python3 - "$t" <<'PY'
import glob, os, re, subprocess, sys
t = sys.argv[1]
def costs(mb):
    every = main = runone = sha = 0
    for f in sorted(glob.glob("%s/cg-%d.out-*" % (t, mb))):
        a = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f],
                           capture_output=True, text=True, check=True).stdout
        n = int(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", a).group(1).replace(",", ""))
        every += n
        for l in a.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:(run_one|sha256_update) ", l)
            if m and m.group(2) == "sha256_update":
                sha = max(sha, int(m.group(1).replace(",", "")))
            elif m and f.endswith("-01"):
                runone = max(runone, int(m.group(1).replace(",", "")))
        if f.endswith("-01"):
            main = n
    return every, main - runone, sha
db = os.path.getsize(t + "/slice-8.csv") - os.path.getsize(t + "/slice-4.csv")
e4, s4, h4 = costs(4)
e8, s8, h8 = costs(8)
every, serial, sha = (e8 - e4) / db, (s8 - s4) / db, (h8 - h4) / db
s = serial / (every - sha)
print("all threads %.1f instructions a byte (%.1f without the input's SHA-256);"
      " the main thread's own %.1f: s = %.3f" % (every, every - sha, serial, s))
print("Amdahl: %s" % ", ".join("%.2fx on %d cores" % (1 / (s + (1 - s) / n), n)
                               for n in (2, 8, 32)))
PY
