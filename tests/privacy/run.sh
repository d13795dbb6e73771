#!/bin/sh
# tests/privacy/run.sh BUILD - reconstruction attacks on the published
# outputs (reconstruct.py): no suppressed cohort may be recovered by
# subtraction. Ends with "N passed, N failed".
build=${1:-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/evalbias-privacy.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# $EVALBIAS: make check-asan's binary (else ./evalbias, else BUILD's).
bin=${EVALBIAS:-./evalbias}
[ -n "${EVALBIAS:-}" ] || [ -x "$bin" ] || bin="$build/evalbias"
python3 tests/privacy/reconstruct.py "$bin" "$work"
