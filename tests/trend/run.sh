#!/bin/sh
# tests/trend/run.sh BUILD - the trend layer (issue 19): three cycles of
# generated evaluations (samples/generate.py, fixed seeds; the third cycle
# reverses the planted "confidence" bias: women 0.045, men 0.09 planted
# sentences per evaluation instead of 0.18 and 0.09), each audited with
# --period and three cohort columns (Rotation is left out: its cohorts are
# not groups of residents, a resident rotates through many, and in a trial
# run two of its 40 tests flagged a communal change nobody planted), then
# `evalbias trend`; check.py says
# what is checked. The audits use lex/planted.csv, the terms generate.py
# plants (one category per planted category), not the shipped lexicons:
# their revisions move counts (a planted "without hesitation" landed in
# confidence) and would both blur which category was planted and outdate
# the reference. The test of change is compared with reference.csv,
# computed independently in R (make-reference.sh, reference.R). Prints TAP
# lines and "N passed, N failed".
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
evalbias=${EVALBIAS:-./evalbias}
out="$build/trend"
rm -rf "$out"
mkdir -p "$out"
fail() { echo "not ok 1 - trend layer: $1"; echo "0 passed, 1 failed"; exit 1; }
gen() { python3 samples/generate.py --rows 2000 --residents 80 --quiet "$@"; }
gen --seed 101 --out "$out/c1.csv" || fail "generate.py"
gen --seed 102 --out "$out/c2.csv" || fail "generate.py"
gen --seed 103 --rate confidence=0.045:0.09 --out "$out/c3.csv" || fail "generate.py"
for i in 1 2 3; do
    "$evalbias" audit -q --lexicon tests/trend/lex/ --cohort-map samples/cohort-map.csv \
        --cohort "Resident Gender" --cohort "Evaluator Gender" --cohort PGY --period "202$i-2$((i + 1))" -o "$out/a$i" "$out/c$i.csv" >"$out/a$i.log" 2>&1 ||
        fail "audit of cycle $i: $(cat "$out/a$i.log")"
done
# Cycle 3 again, audited with an older lexicon: one confidence term fewer.
mkdir -p "$out/oldlex"
python3 -c 'import csv,sys
r = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\n")
for row in r:
    if not (len(row) > 2 and row[1] == "confidence" and row[2] == "lacks confidence"):
        w.writerow(row)' tests/trend/lex/planted.csv "$out/oldlex/planted.csv" || fail "older lexicon"
"$evalbias" audit -q --lexicon "$out/oldlex/" --cohort-map samples/cohort-map.csv \
    --cohort "Resident Gender" --cohort "Evaluator Gender" --cohort PGY \
    -o "$out/cycle-old" "$out/c3.csv" >"$out/old.log" 2>&1 || fail "audit with the older lexicon: $(cat "$out/old.log")"

"$evalbias" trend -o "$out/tr" "$out/a1" "$out/a2" "$out/a3" >"$out/trend.stdout" 2>"$out/trend.stderr" ||
    fail "evalbias trend: $(cat "$out/trend.stderr")"
"$evalbias" trend --terms -q -o "$out/tr-terms" "$out/a1" "$out/a2" "$out/a3" 2>"$out/terms.stderr" ||
    fail "evalbias trend --terms: $(cat "$out/terms.stderr")"
"$evalbias" trend -q -o "$out/tr-mixed" "$out/a1" "$out/cycle-old" 2>"$out/mixed.stderr" ||
    fail "evalbias trend across lexicon versions: $(cat "$out/mixed.stderr")"
"$evalbias" trend -q -o "$out/tr-dup" "$out/a1" "$out/a1/" >"$out/dup.stdout" 2>"$out/dup.stderr"
echo $? >"$out/dup.rc"
python3 tests/trend/check.py "$out"
