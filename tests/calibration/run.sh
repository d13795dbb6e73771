#!/bin/sh
# tests/calibration/run.sh BUILD - calibration of the cluster-robust rate
# ratio by seeded simulation (calibrate.c; ~40 s on one core), and the
# evaluator-cohort scenario through the audit itself (audit_path.py: 300
# generated exports, ~60-90 s). Builds calibrate against
# BUILD/libevalbias.a, runs both, ends with "N passed, N failed".
build=${1:-build}
# The library's own flags (make print-*); an ASan build's library needs
# the sanitizer at link time too (make check-asan).
san=""
if nm "$build/libevalbias.a" 2>/dev/null | grep -q __asan_; then
    san="-fsanitize=address,undefined"
fi
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -O2 -pthread -Isrc $san $(make -s --no-print-directory print-cflags)"
libs="$(make -s --no-print-directory print-libs)"
if ! ${CC:-cc} $flags -o "$build/calibrate" tests/calibration/calibrate.c \
        "$build/libevalbias.a" $libs; then
    echo "not ok - calibrate.c builds"
    echo "0 passed, 1 failed"
    exit 1
fi
# Both parts' TAP, and one summary line adding them up.
work=$(mktemp -d "${TMPDIR:-/tmp}/evalbias-calibration.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
"$build/calibrate" >"$work/lib.log" 2>"$work/lib.err"
echo $? >"$work/lib.rc"
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$work/lib.log"
bin=${EVALBIAS:-$(pwd)/evalbias}
python3 tests/calibration/audit_path.py "$bin" "$work/audit" 300 \
    >"$work/audit.log" 2>"$work/audit.err"
echo $? >"$work/audit.rc"
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$work/audit.log"
p=0
f=0
for part in lib audit; do
    log=$work/$part.log
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        # A crash (e.g. a sanitizer report) must be seen, not just counted.
        case $part in
        lib) what="calibrate.c" ;;
        *) what="audit_path.py" ;;
        esac
        echo "not ok - $what ended without a summary line (exit status $(cat "$work/$part.rc"))"
        tail -n 20 "$work/$part.err" | sed 's/^/# /'
        f=$((f + 1))
        continue
    fi
    p=$((p + ${line%% passed*}))
    x=${line#*passed, }
    f=$((f + ${x%% failed*}))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
