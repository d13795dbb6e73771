#!/bin/sh
# tests/counting/run.sh BUILD - the tool's word counts against an
# independent reference counter (refcount.py, written from the README's
# text rules 1-2). For generated exports (samples/generate.py, several
# seeds, with its "mess": dashes, curly quotes, CRLF, blank lines) and
# tricky.py exports (words glued by every special separator), each
# evaluation's word count is read from rates.csv (cohort = the evaluation
# id, so each cohort is one evaluation) and compared with refcount.py's.
# They must agree exactly. TAP lines, then "N passed, N failed".
set -u
bin=${EVALBIAS:-./evalbias}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
n=0
text="Strengths,Areas for Improvement,Overall Comments"

check() { # name csv
    name=$1
    csv=$2
    n=$((n + 1))
    out=$work/out-$n
    if ! "$bin" audit -q --id "Evaluation ID" --resident Resident \
        --text "$text" --cohort "Evaluation ID" --min-residents 1 \
        -o "$out" "$csv" >"$work/log" 2>&1; then
        echo "not ok $n - $name: audit failed"
        sed 's/^/# /' "$work/log"
        fail=$((fail + 1))
        return
    fi
    python3 "$here/refcount.py" "$csv" --id "Evaluation ID" \
        --resident Resident --text "$text" >"$work/ref.csv"
    if python3 - "$out/rates.csv" "$work/ref.csv" "$csv" <<'PY'
import csv, sys
tool = {}
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["cohort_column"] == "Evaluation ID" and r["term"] == "*":
            tool.setdefault(r["cohort"], int(r["words"]))
ref = {}
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        ref[r["id"]] = int(r["words"])
bad = [(k, tool.get(k), ref.get(k)) for k in sorted(set(tool) | set(ref))
       if tool.get(k, 0) != ref.get(k, 0)]
words = sum(ref.values())
for k, t, r in bad[:10]:
    print("# %s: tool %s, reference %s" % (k, t, r))
print("# %d evaluations, %d words (reference), %d mismatches"
      % (len(ref), words, len(bad)))
sys.exit(1 if bad or not ref else 0)
PY
    then
        echo "ok $n - $name: word counts agree with refcount.py"
        pass=$((pass + 1))
    else
        echo "not ok $n - $name: word counts differ from refcount.py"
        fail=$((fail + 1))
    fi
}

for seed in 3 11 61 97; do
    python3 "$top/samples/generate.py" --seed "$seed" --rows 300 --quiet \
        --out "$work/gen-$seed.csv"
    check "generate.py --seed $seed" "$work/gen-$seed.csv"
done
for seed in 1 2 3; do
    python3 "$here/tricky.py" "$seed" "$work/tricky-$seed.csv"
    check "tricky.py $seed" "$work/tricky-$seed.csv"
done
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
