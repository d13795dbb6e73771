#!/bin/sh
# tests/browser/run.sh BUILD - the browser layer (issue 5): Debian's chromium,
# driven by playwright-core, opens report.html and review.html from disk with
# networking disabled and checks them (check.js says what); then it times a
# 50,000-excerpt report. Screenshots go to BUILD/browser/.
#
# Accessibility is checked with axe-core (WCAG 2.1 A and AA rules).
# Needs: chromium (Debian package; installed here when missing and root,
# as .ci/run does) and node with npm; playwright-core is installed into
# build/browser-node/ (ignored by git) the first time. $EVALBIAS, when set
# (make check-asan), is the binary under test. Prints TAP lines and ends
# with "N passed, N failed".
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
evalbias=${EVALBIAS:-./evalbias}
out="$build/browser"
rm -rf "$out"
mkdir -p "$out"
fail() { echo "not ok 1 - browser layer: $1"; echo "0 passed, 1 failed"; exit 1; }

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] && [ "$(id -u)" = 0 ]; then
    echo "# installing chromium (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$out/apt.log" 2>&1 ||
        { apt-get update -q >>"$out/apt.log" 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$out/apt.log" 2>&1; }
fi
[ -x "$chromium" ] || fail "no $chromium (apt-get install chromium)"
command -v node >/dev/null 2>&1 || fail "no node (apt-get install nodejs npm)"
nm="build/browser-node"
if [ ! -d "$nm/node_modules/playwright-core" ] || [ ! -d "$nm/node_modules/axe-core" ]; then
    echo "# installing playwright-core and axe-core (npm) into $nm"
    mkdir -p "$nm"
    (cd "$nm" && npm install --no-audit --no-fund --silent playwright-core@1 axe-core@4 >npm.log 2>&1) ||
        fail "npm install playwright-core axe-core failed (see $nm/npm.log)"
fi

# The small hostile report: cohorts F and M shown; Nonbinary (one resident)
# suppressed, and "(blank)" (one resident) hidden with it as its complement;
# lex2.csv repeats a word of lex.csv, so some spans have two categories.
"$evalbias" audit -q --review-packet --review-key "$out/small-key.csv" --lexicon tests/browser/lex.csv --lexicon tests/browser/lex2.csv \
    --cohort "Resident Gender" --cohort "Evaluator Gender" \
    -o "$out/small" tests/browser/input.csv >"$out/small.log" 2>&1 ||
    fail "evalbias audit on tests/browser/input.csv: $(cat "$out/small.log")"

# A report of 50,000+ excerpts: the synthetic generator (fixed seed) plus
# the hostile rows, so the lazily rendered form is checked too.
python3 samples/generate.py --seed 5 --rows 24400 --out "$out/big.csv" --quiet ||
    fail "samples/generate.py"
python3 tests/browser/add_hostile.py "$out/big.csv" || fail "add_hostile.py"
"$evalbias" audit -q --lexicon lexicons/ -o "$out/big" "$out/big.csv" \
    >"$out/big.log" 2>&1 || fail "evalbias audit on the big corpus: $(cat "$out/big.log")"

# The samples' report (make demo's), for layout, phone and print (issue 19),
# and a trend of two generated cycles.
"$evalbias" audit -q --lexicon lexicons/ --cohort-map samples/cohort-map.csv \
    --review-packet --review-key "$out/samples-key.csv" \
    -o "$out/samples" samples/evaluations.csv >"$out/samples.log" 2>&1 ||
    fail "evalbias audit on samples/evaluations.csv: $(cat "$out/samples.log")"
for i in 1 2; do
    python3 samples/generate.py --seed "7$i" --rows 600 --quiet --out "$out/cycle$i.csv" &&
    "$evalbias" audit -q --tally-only --lexicon lexicons/ --cohort-map samples/cohort-map.csv \
        --period "202$i" -o "$out/cycle$i" "$out/cycle$i.csv" >>"$out/trend.log" 2>&1 ||
        fail "a trend cycle: $(cat "$out/trend.log")"
done
"$evalbias" trend -q -o "$out/trend" "$out/cycle1" "$out/cycle2" >>"$out/trend.log" 2>&1 ||
    fail "evalbias trend: $(cat "$out/trend.log")"

SAMPLES_REPORT="$out/samples/report.html" SAMPLES_PACKET="$out/samples/review/review.html" TREND_REPORT="$out/trend/trend.html" \
NODE_PATH="$top/$nm/node_modules" CHROMIUM="$chromium" \
    node tests/browser/check.js "$out/small" tests/browser/input.csv "$out" "$out/big"
