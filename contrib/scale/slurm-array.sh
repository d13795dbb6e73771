#!/bin/sh
# slurm-array.sh - evalbias on a Slurm cluster: one array task audits one
# shard (--tally-only), a dependent job merges the tallies in shard order.
#
#   sh slurm-array.sh submit LIST OUTDIR [AUDIT-OPTIONS...]
#       LIST: a text file naming the shards, one path a line, in input
#       order (one export per program or year, or the blocks of one export
#       split at record boundaries with its header repeated). Submits
#       `sbatch --array=1-N` of this script, then `sbatch
#       --dependency=afterok:JOB` of its merge. Statistics options
#       (--reference, --min-residents, --confidence) go in MERGE_OPTIONS.
#   sh slurm-array.sh task LIST OUTDIR [AUDIT-OPTIONS...]
#       what each array task runs: shard number $SLURM_ARRAY_TASK_ID
#       (1-based line of LIST) into OUTDIR/parts/ID/.
#   sh slurm-array.sh merge LIST OUTDIR
#       evalbias merge OUTDIR/parts/1 ... OUTDIR/parts/N -o OUTDIR/out/.
#
# EVALBIAS names the binary (default: evalbias on PATH). Every task must
# use the same lexicons, cohort options and --id-key: merge refuses parts
# that differ. Tested without a scheduler by tests/scale/run.sh, which runs
# `task` once for each SLURM_ARRAY_TASK_ID and then `merge`, and compares
# rates.csv and comparisons.csv with one audit of the whole export.
#SBATCH --job-name=evalbias
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
set -eu
bin=${EVALBIAS:-evalbias}
usage() {
    echo "usage: slurm-array.sh submit|task|merge LIST OUTDIR [AUDIT-OPTIONS...]" >&2
    exit 2
}
[ $# -ge 3 ] || usage
what=$1 list=$2 outdir=$3
shift 3
[ -f "$list" ] || { echo "slurm-array.sh: no shard list $list" >&2; exit 2; }
n=$(grep -c . "$list" || true)
[ "$n" -gt 0 ] || { echo "slurm-array.sh: $list names no shard" >&2; exit 2; }
case $what in
submit)
    self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
    mkdir -p "$outdir/logs"
    job=$(sbatch --parsable --array="1-$n" --output="$outdir/logs/%A_%a.log" \
        "$self" task "$list" "$outdir" "$@")
    sbatch --parsable --dependency="afterok:$job" --output="$outdir/logs/merge.log" \
        "$self" merge "$list" "$outdir"
    ;;
task)
    id=${SLURM_ARRAY_TASK_ID:-}
    case $id in
    '' | *[!0-9]*) echo "slurm-array.sh: SLURM_ARRAY_TASK_ID is not set (run under sbatch --array)" >&2; exit 2 ;;
    esac
    if [ "$id" -lt 1 ] || [ "$id" -gt "$n" ]; then
        echo "slurm-array.sh: task $id: $list names shards 1 to $n" >&2
        exit 2
    fi
    shard=$(grep . "$list" | sed -n "${id}p")
    mkdir -p "$outdir/parts"
    exec "$bin" audit --tally-only -q "$@" -o "$outdir/parts/$id" "$shard"
    ;;
merge)
    set --
    i=1
    while [ "$i" -le "$n" ]; do
        set -- "$@" "$outdir/parts/$i"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086 # MERGE_OPTIONS is a list of options
    exec "$bin" merge ${MERGE_OPTIONS:-} "$@" -o "$outdir/out"
    ;;
*) usage ;;
esac
