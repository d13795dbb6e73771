#!/bin/sh
# tests/stats/run.sh BUILD - the statistics layer of `make check`.
#  1. simulate.py: planted 2x difference found; no false discoveries above
#     the nominal rate on null corpora (end to end through evalbias audit).
#  2. When R is installed: make_reference.R regenerates the stored reference
#     values and they must equal the committed ones (the unit test
#     tests/unit/test_stats.c always checks src/stats.c against them).
# Ends with "N passed, N failed".
bin=${EVALBIAS:-./evalbias}
log=$(mktemp)
err=$(mktemp)
python3 tests/stats/simulate.py "$bin" 2>"$err" | tee "$log"
pass=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
if [ -z "$fail" ]; then
    # A crash must be seen, not just counted.
    echo "not ok - simulate.py ended without a summary line"
    tail -n 20 "$err" | sed 's/^/# /'
fi
pass=${pass:-0}
fail=${fail:-1}
if command -v Rscript >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    mkdir -p "$tmp/tests/stats"
    cp tests/stats/make_reference.R tests/stats/make_reference_robust.R "$tmp/tests/stats/"
    same=1
    (cd "$tmp" && Rscript tests/stats/make_reference.R >/dev/null 2>&1) || same=0
    files="poisson prevalence cluster cluster_cells bh dist"
    # the robust references need sandwich and clubSandwich
    if Rscript -e 'library(sandwich); library(clubSandwich)' >/dev/null 2>&1; then
        (cd "$tmp" && Rscript tests/stats/make_reference_robust.R >/dev/null 2>&1) || same=0
        files="$files robust robust_cells riskdiff riskdiff_cells glm glm_rows"
    else
        echo "# R packages sandwich/clubSandwich missing: robust references not regenerated"
    fi
    for f in $files; do
        cmp -s "$tmp/tests/stats/$f.csv" "tests/stats/$f.csv" || same=0
    done
    if [ $same = 1 ]; then
        echo "ok - R regenerates the stored reference values"
        pass=$((pass + 1))
    else
        echo "not ok - R's reference values differ from tests/stats/*.csv"
        fail=$((fail + 1))
    fi
    rm -rf "$tmp"
else
    echo "# Rscript not installed: stored reference values checked by test_stats only"
fi
rm -f "$log" "$err"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
