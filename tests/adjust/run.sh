#!/bin/sh
# tests/adjust: adjusted.csv against R (make-reference.R: glm, the CR2
# formula by hand, sandwich::vcovCL for CR1), to 1e-8 relative, for the
# adjusted rate ratios (resident- and evaluator-clustered), the resident x
# evaluator gender interaction, CR1 and two-way clustering; then a merge of
# two tally-only halves rebuilds the same adjusted.csv (covariate strata in
# the tally file).
# usage: sh tests/adjust/run.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${EVALBIAS:-$(pwd)/evalbias}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0
check() { # check DESCRIPTION COMMAND...
    d=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $d"
        pass=$((pass + 1))
    else
        echo "not ok $n - $d"
        fail=$((fail + 1))
    fi
}
run() {
    out=$1; shift
    "$bin" audit -q --text Comments --id "Evaluation ID" --resident Resident \
        --evaluator Evaluator --cohort "Resident Gender" \
        --cohort "Evaluator Gender" --cohort PGY --cohort Rotation \
        --adjust 'PGY,Rotation,Evaluator Gender' --lexicon "$here/lex" \
        -o "$tmp/$out" "$@" 2>"$tmp/$out.err"
}
run cr2 "$here/input.csv"
run cr1 --robust cr1 "$here/input.csv"
run both --cluster both "$here/input.csv"
check "adjusted.csv equals R's glm + cluster-robust references (1e-8)" \
    python3 "$here/compare.py" "$tmp/cr2" "$tmp/cr1" "$tmp/both" \
    "$here/reference.csv"
# Halves, tallied apart and merged: the same adjusted.csv.
head -1 "$here/input.csv" >"$tmp/a.csv"
cp "$tmp/a.csv" "$tmp/b.csv"
python3 - "$here/input.csv" "$tmp/a.csv" "$tmp/b.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
for i, path in enumerate(sys.argv[2:]):
    w = csv.writer(open(path, "w", newline=""))
    w.writerow(rows[0])
    w.writerows(rows[1 + i::2])
PY
run pa --tally-only "$tmp/a.csv"
run pb --tally-only "$tmp/b.csv"
"$bin" merge -q -o "$tmp/merged" "$tmp/pa" "$tmp/pb" 2>/dev/null
check "merge of two tallies rebuilds adjusted.csv" \
    cmp "$tmp/merged/adjusted.csv" "$tmp/cr2/adjusted.csv"
# Without an evaluator column (renamed, so none is guessed): the
# evaluator-level column is not compared, and the message names --evaluator.
sed '1s/"Evaluator",/"Staff",/' "$here/input.csv" >"$tmp/noev.csv"
"$bin" audit -q --text Comments --id "Evaluation ID" --resident Resident \
    --cohort "Evaluator Gender" --lexicon "$here/lex" -o "$tmp/noev" \
    "$tmp/noev.csv" 2>"$tmp/noev.err" || true
check "without an evaluator column the message names --evaluator" \
    grep -q 'name it with --evaluator' "$tmp/noev.err"
check "... and the evaluator-level column is not compared" \
    sh -c "! grep -q '^Evaluator Gender,' '$tmp/noev/comparisons.csv'"
check "... while its rates are written" \
    grep -q '^Evaluator Gender,' "$tmp/noev/rates.csv"
# comparisons.csv names the clustering unit and the number of clusters.
check "comparisons.csv: Evaluator Gender clustered by 16 evaluators" \
    sh -c "grep '^Evaluator Gender,M,F,' '$tmp/cr2/comparisons.csv' | head -1 | grep -q ',16,evaluator,,CR2,'"
check "comparisons.csv: --cluster both, 40 residents and 16 evaluators" \
    sh -c "grep '^Resident Gender,M,F,' '$tmp/both/comparisons.csv' | head -1 | grep -q ',40,resident+evaluator,16,CR2,'"
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
