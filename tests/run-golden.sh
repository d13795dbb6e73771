#!/bin/sh
# run-golden.sh [CASE...] - golden CLI tests (after jq's tests/setup).
#
# Each case is a folder tests/golden/NAME/ holding:
#   cmd        one shell line run in a scratch copy of the folder, with
#              $EVALBIAS set to the binary and $TOP to the repository, e.g.
#              $EVALBIAS audit --lexicon lex -o out input.csv
#   expected/  the expected results: stdout, stderr, rc, and out/FILE for
#              each output file. Every file there is compared byte for byte;
#              manifest.json is compared without its timing lines.
# UPDATE=1 rewrites expected/ from the current output (review the diff!).
# VALGRIND=1 runs the binary under valgrind memcheck.
# EVALBIAS=PATH tests that binary instead of ./evalbias (make check-asan).
set -u
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${EVALBIAS:-$top/evalbias}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ "${VALGRIND:-0}" = 1 ]; then
    EVALBIAS="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $bin"
else
    EVALBIAS=$bin
fi
TOP=$top
export EVALBIAS TOP
pass=0
fail=0
n=0
cases=${*:-$(ls "$top/tests/golden")}
for name in $cases; do
    dir="$top/tests/golden/$name"
    [ -f "$dir/cmd" ] || continue
    n=$((n + 1))
    work=$(mktemp -d)
    cp -R "$dir/." "$work/"
    rm -rf "$work/expected"
    (cd "$work" && sh ./cmd >stdout 2>stderr; echo $? >rc)
    # Timings and the start time are the manifest's only varying lines.
    if [ -f "$work/out/manifest.json" ]; then
        grep -v -e '"started_at"' -e '"elapsed_seconds"' "$work/out/manifest.json" >"$work/manifest.tmp"
        mv "$work/manifest.tmp" "$work/out/manifest.json"
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
        mkdir -p "$dir/expected"
        cp "$work/stdout" "$work/stderr" "$work/rc" "$dir/expected/"
        if [ -d "$work/out" ]; then
            rm -rf "$dir/expected/out"
            cp -R "$work/out" "$dir/expected/out"
        fi
    fi
    ok=1
    for want in $(cd "$dir/expected" && find . -type f | sort); do
        if ! cmp -s "$dir/expected/$want" "$work/$want"; then
            ok=0
            echo "# $name: $want differs"
            diff -u "$dir/expected/$want" "$work/$want" 2>&1 | head -n 20 | sed 's/^/#   /'
        fi
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        echo "ok $n - golden $name"
    else
        fail=$((fail + 1))
        echo "not ok $n - golden $name"
    fi
    rm -rf "$work"
done
echo "1..$n"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
