#!/bin/sh
# tests/calibration/run.sh BUILD - calibration of the cluster-robust rate
# ratio by seeded simulation (calibrate.c; ~40 s on one core). Builds the
# program against BUILD/libevalbias.a, runs it, ends with
# "N passed, N failed".
build=${1:-build}
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -O2 -pthread -Isrc"
libs="$(pkg-config --libs libpcre2-8 libutf8proc 2>/dev/null || echo -lpcre2-8 -lutf8proc) -lcsv -lm -pthread"
if ! ${CC:-cc} $flags -o "$build/calibrate" tests/calibration/calibrate.c \
        "$build/libevalbias.a" $libs; then
    echo "not ok - calibrate.c builds"
    echo "0 passed, 1 failed"
    exit 1
fi
"$build/calibrate"
