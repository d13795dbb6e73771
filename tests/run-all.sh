#!/bin/sh
# run-all.sh BUILD [LAYER...] - run the test layers and add up their results.
# Layers: unit (C unit tests), golden (CLI golden tests), lexicon (the
# shipped lexicons' own examples, lint, and precision/recall on the labelled
# sentences and on the held-apart set, with floors), and every tests/NAME/run.sh (layer NAME: e.g. stats,
# conformance, browser), run from the top folder with BUILD as its argument.
# Each layer prints
# TAP-style lines and ends with "N passed, N failed"; this script prints the
# grand total as its last line and exits non-zero when anything failed.
build=${1:-build}
shift
extra=$(for f in tests/*/run.sh; do [ -f "$f" ] && basename "$(dirname "$f")"; done)
layers=${*:-unit golden lexicon $extra}
# The binary under test: $EVALBIAS (e.g. make check-asan's build/asan
# binary), else ./evalbias. Layers read $EVALBIAS too.
bin=${EVALBIAS:-./evalbias}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
EVALBIAS=$bin
export EVALBIAS
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() { # the "N passed, N failed" line of a log
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "# $1: no summary line (crashed?)"
        total_fail=$((total_fail + 1))
        return
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    # A layer's failure must be findable even when it printed no "not ok".
    [ "$f" -gt 0 ] && echo "# $1: $line"
    return 0
}

for layer in $layers; do
    case $layer in
    unit)
        for t in "$build"/test_*; do
            [ -x "$t" ] || continue
            echo "# unit: $t"
            "$t" >"$log" 2>&1
            grep -E '^(not ok|#)' "$log"
            tally "$t"
        done ;;
    golden)
        echo "# golden: tests/golden"
        sh tests/run-golden.sh >"$log" 2>&1
        grep -E '^(not ok|#)' "$log"
        tally golden ;;
    lexicon)
        echo "# lexicon: examples of lexicons/"
        "$bin" lexicon test lexicons/ >"$log" 2>&1
        grep -E '^(not ok|#)' "$log"
        tally "lexicon test"
        echo "# lexicon: lint lexicons/ (errors fail)"
        if "$bin" lexicon lint lexicons/ >"$log" 2>&1; then
            total_pass=$((total_pass + 1))
        else
            cat "$log"
            total_fail=$((total_fail + 1))
        fi
        echo "# lexicon: precision and recall on tests/lexicon-eval/labelled.csv"
        python3 tests/lexicon-eval/score.py --together --min-precision 0.95 \
            --min-recall 0.95 --evalbias "$bin" >"$log" 2>&1
        grep -E '^(not ok|overall)' "$log"
        tally "lexicon score"
        echo "# lexicon: precision and recall on tests/lexicon-eval/heldapart (1,728 sentences)"
        python3 tests/lexicon-eval/score_heldapart.py -q --evalbias "$bin" \
            --min-precision 0.92 --min-recall 0.92 \
            --min-category-precision 0.85 --min-category-recall 0.85 >"$log" 2>&1
        grep -E '^(not ok|  overall)' "$log"
        tally "held-apart score" ;;
    *)
        if [ ! -f "tests/$layer/run.sh" ]; then
            echo "unknown test layer: $layer" >&2
            exit 2
        fi
        echo "# $layer: tests/$layer/run.sh"
        sh "tests/$layer/run.sh" "$build" >"$log" 2>&1
        grep -E '^(not ok|#)' "$log"
        tally "$layer" ;;
    esac
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
