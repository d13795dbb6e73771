#!/bin/sh
# parallel-hosts.sh - one export audited on several machines with GNU
# parallel (apt-get install parallel libtext-csv-perl), merged here.
#
#   sh parallel-hosts.sh HOSTS EXPORT OUTDIR [AUDIT-OPTIONS...]
#
# HOSTS is parallel's --sshlogin list: "4/alpha,8/beta" (cores/host), ":"
# for this machine alone (the form tests/scale/run.sh uses), or
# "..,:" to work here too. evalbias must be on every host's PATH, with the
# same version and the same lexicons at the same path (give --lexicon with
# an absolute path, or --basefile to send them). parallel cuts the export
# at record boundaries (--csv: comments with line breaks stay whole),
# repeats the header in each block (--header :), sends each block to a
# host's evalbias audit --tally-only on standard input, brings each part's
# folder back (--return) and removes it there (--cleanup); the parts are
# merged here in block order. BLOCK sets the block size (default 100M);
# MERGE_OPTIONS the merge's statistics options.
set -eu
[ $# -ge 3 ] || { echo "usage: parallel-hosts.sh HOSTS EXPORT OUTDIR [AUDIT-OPTIONS...]" >&2; exit 2; }
hosts=$1 export=$2 outdir=$3
shift 3
bin=${EVALBIAS:-evalbias}
mkdir -p "$outdir/parts"
opts=""
for o in "$@"; do
    opts="$opts '$(printf '%s' "$o" | sed "s/'/'\\\\''/g")'"
done
# Parts are written under the remote's home as evalbias-parts/N and
# returned to $outdir/parts/N.
(cd "$outdir" && parallel --pipe --csv --header : --block "${BLOCK:-100M}" \
    --sshlogin "$hosts" --return "parts/{#}" --cleanup \
    "mkdir -p parts && $bin audit --tally-only -q$opts -o parts/{#} -") \
    < "$export"
set --
for p in $(cd "$outdir/parts" && ls | sort -n); do
    set -- "$@" "$outdir/parts/$p"
done
# shellcheck disable=SC2086 # MERGE_OPTIONS is a list of options
exec "$bin" merge ${MERGE_OPTIONS:-} "$@" -o "$outdir/out"
