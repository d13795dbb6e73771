#!/bin/sh
# conformance/run.sh BUILD - the CSV reader against the public csv-spectrum
# suite (npm package csv-spectrum: CSV files with their expected records as
# JSON) and against our own cases for the choices RFC 4180 leaves open.
#
# csv-spectrum is installed with npm into build/npm when it is missing
# (needs the npm registry once; offline, the layer reports the skip as a
# failure so it is never silently lost). tests/conformance/reader_dump.c,
# linked with BUILD/libevalbias.a, prints what the reader reads as JSON;
# compare.py compares it with the expected JSON.
#
# Deliberate differences from csv-spectrum are listed in ERRATA (file,
# reason); each is compared with our corrected expectation in errata/.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/conformance
cd "$top" || exit 2
pass=0
fail=0
report() { # rc line...
    if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# The dump tool, built against the same library as the binary under test
# (with the sanitizers when that library has them).
dump=$build/reader_dump
san=""
if nm "$build/libevalbias.a" 2>/dev/null | grep -q __asan_; then
    san="-fsanitize=address,undefined"
fi
if [ ! -x "$dump" ] || [ "$here/reader_dump.c" -nt "$dump" ] ||
   [ "$build/libevalbias.a" -nt "$dump" ]; then
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g $san -Isrc \
        $(pkg-config --cflags libpcre2-8 libutf8proc libzip expat 2>/dev/null) \
        -o "$dump" "$here/reader_dump.c" "$build/libevalbias.a" \
        $(pkg-config --libs libpcre2-8 libutf8proc libzip expat 2>/dev/null) -lcsv -lm ||
        { echo "not ok - build reader_dump"; echo "0 passed, 1 failed"; exit 1; }
fi

# csv-spectrum, pinned.
spec=$top/build/npm/node_modules/csv-spectrum
if [ ! -d "$spec/csvs" ]; then
    mkdir -p "$top/build/npm"
    (cd "$top/build/npm" && npm install --no-save --no-audit --no-fund \
        --prefix . csv-spectrum@2.0.0 >/dev/null 2>&1)
fi
if [ ! -d "$spec/csvs" ]; then
    echo "not ok - csv-spectrum: npm install failed (offline?)"
    fail=$((fail + 1))
else
    echo "# csv-spectrum $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$spec/package.json")"
    for csv in "$spec"/csvs/*.csv; do
        name=$(basename "$csv" .csv)
        want=$spec/json/$name.json
        if grep -q "^$name.csv " "$here/ERRATA"; then
            echo "# $name: $(grep "^$name.csv " "$here/ERRATA" | cut -d' ' -f2-)"
            want=$here/errata/$name.json
        fi
        "$dump" "$csv" >"$build/conf.out" 2>"$build/conf.err"
        python3 "$here/compare.py" "$build/conf.out" "$want" "csv-spectrum $name"
        report $?
    done
fi

# Our cases: cases/NAME.csv with cases/NAME.json (records) or
# cases/NAME.err (an expected error substring); cases/NAME.opt holds
# reader_dump options (e.g. --encoding utf-8).
for csv in "$here"/cases/*.csv; do
    [ -f "$csv" ] || continue
    name=$(basename "$csv" .csv)
    opt=""
    [ -f "$here/cases/$name.opt" ] && opt=$(cat "$here/cases/$name.opt")
    # shellcheck disable=SC2086
    "$dump" $opt "$csv" >"$build/conf.out" 2>"$build/conf.err"
    rc=$?
    if [ -f "$here/cases/$name.err" ]; then
        want=$(cat "$here/cases/$name.err")
        if [ $rc = 2 ] && grep -qF "$want" "$build/conf.err"; then
            echo "ok - case $name (error: $want)"
            report 0
        else
            echo "not ok - case $name: want exit 2 and \"$want\", got exit $rc"
            sed 's/^/#   /' "$build/conf.err" | head -n 5
            report 1
        fi
    else
        python3 "$here/compare.py" "$build/conf.out" "$here/cases/$name.json" "case $name"
        report $?
    fi
    if [ -f "$here/cases/$name.warn" ]; then
        want=$(cat "$here/cases/$name.warn")
        if grep -qF "$want" "$build/conf.err"; then
            echo "ok - case $name warns: $want"
            report 0
        else
            echo "not ok - case $name: want warning \"$want\""
            sed 's/^/#   /' "$build/conf.err" | head -n 5
            report 1
        fi
    fi
done
# Every row accounted for (issue 6): audit each messy input that reads
# without a fatal error - our cases above with the id,comment header, and
# the hostile-*/enc-* golden inputs - with ragged rows skipped, and check
# rows read = analysed + skipped in manifest.json (accounting.py).
bin=${EVALBIAS:-$top/evalbias}
lex=$top/tests/golden/hostile-messy/lex.txt
acc=$(mktemp -d)
for csv in "$here"/cases/*.csv "$top"/tests/golden/hostile-*/input.csv \
           "$top"/tests/golden/enc-*/input.csv; do
    [ -f "$csv" ] || continue
    case $csv in
    */cases/*)
        name=case-$(basename "$csv" .csv)
        [ -f "${csv%.csv}.json" ] || continue      # an expected error
        head -c 64 "$csv" | tr -d '\000\376\377' | grep -q 'id,comment' || continue
        cols="--text comment --id id" ;;
    *)
        name=$(basename "$(dirname "$csv")")
        cols="--text Comments" ;;
    esac
    opt=""
    [ -f "${csv%.csv}.opt" ] && opt=$(cat "${csv%.csv}.opt")
    rm -rf "$acc/out"
    # shellcheck disable=SC2086
    "$bin" audit -q $opt $cols --on-bad-row skip -l "$lex" -o "$acc/out" "$csv" \
        >"$acc/stdout" 2>"$acc/stderr"
    rc=$?
    gcmd=$(dirname "$csv")/cmd
    if [ $rc != 0 ] && [ -f "$gcmd" ] && grep -q -- '--encoding utf-16' "$gcmd"; then
        # a BOM-less UTF-16 golden input: read it as its golden case does
        enc=$(grep -o -- '--encoding utf-16[a-z]*' "$gcmd" | tail -n 1)
        rm -rf "$acc/out"
        # shellcheck disable=SC2086
        "$bin" audit -q $enc $cols --on-bad-row skip -l "$lex" -o "$acc/out" \
            "$csv" >"$acc/stdout" 2>"$acc/stderr"
        rc=$?
    fi
    if [ $rc != 0 ] && [ ! -f "$acc/out/manifest.json" ]; then
        if grep -q 'regex' "$acc/stderr"; then continue; fi  # pcre2 limit case
        echo "not ok - rows accounted: $name: exit $rc"
        sed 's/^/#   /' "$acc/stderr" | head -n 3
        report 1
        continue
    fi
    python3 "$here/accounting.py" "$acc/out/manifest.json" "$name"
    report $?
done
# A 2 MB comment with 130,000 hits, several sharing a span (the same word
# in two lexicons): linear time. Excerpt offsets used to be recounted from
# the start of the field at each shared span, which took minutes here.
python3 "$top/tests/stress/gen.py" bigfield "$acc/long.csv" 0.02
rm -rf "$acc/out"
if timeout 120 "$bin" audit -q --text Comments --lexicon "$top/lexicons" \
       -o "$acc/out" "$acc/long.csv" >/dev/null 2>"$acc/stderr" &&
   python3 "$here/accounting.py" "$acc/out/manifest.json" long-field >/dev/null; then
    echo "ok - a 2 MB field with 130,000 hits: linear time (< 120 s)"
    report 0
else
    echo "not ok - a 2 MB field with 130,000 hits did not finish in 120 s"
    report 1
fi
rm -rf "$acc"

rm -f "$build/conf.out" "$build/conf.err"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
