#!/bin/sh
# tests/scale/run.sh BUILD - the `scale` layer: the recipes beyond one
# machine (contrib/scale/) give the rates.csv and comparisons.csv of one
# audit of the whole export, byte for byte.
#  1. slurm-array.sh without a scheduler: `task` once for each
#     SLURM_ARRAY_TASK_ID (1..4, in a shuffled order: tasks finish in any
#     order), then `merge`; --reference and --id-key carried through. A task
#     id outside the list, or none, is refused.
#  2. parallel-hosts.sh with `-S :` (GNU parallel's name for this machine),
#     when parallel and Perl's Text::CSV are installed; else skipped.
# Ends with "N passed, N failed".
top=$(pwd)
bin=${EVALBIAS:-$top/evalbias}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail + skip)) - $1"; }
notok() { fail=$((fail + 1)); echo "not ok $((pass + fail + skip)) - $1"; }
skipped() { skip=$((skip + 1)); echo "ok $((pass + fail + skip)) # skip $1"; }
same() { # same DESCRIPTION A B
    if cmp -s "$2" "$3"; then ok "$1"; else notok "$1"; diff "$2" "$3" | head -n 5 | sed 's/^/#   /'; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
lex="$top/lexicons"
export EVALBIAS="$bin"

# One audit of the whole export: the reference.
"$bin" audit -q --lexicon "$lex" --reference F \
    -o one "$top/samples/evaluations.csv" >/dev/null 2>&1 ||
    notok "one audit of the whole export runs"

# Four shards at record boundaries, the header repeated (Python's csv).
python3 - "$top/samples/evaluations.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
head, body = rows[0], rows[1:]
n = (len(body) + 3) // 4
with open("shards.txt", "w") as lst:
    for k in range(4):
        name = "shard-%d.csv" % (k + 1)
        with open(name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\r\n").writerows([head] + body[k * n:(k + 1) * n])
        lst.write(name + "\n")
PY

slurm="$top/contrib/scale/slurm-array.sh"
rc=0
for id in 3 1 4 2; do
    SLURM_ARRAY_TASK_ID=$id sh "$slurm" task shards.txt slurm \
        --lexicon "$lex" >"task$id.log" 2>&1 || rc=1
done
[ $rc = 0 ] && ok "slurm-array.sh: four array tasks run" || notok "slurm-array.sh: four array tasks run"
MERGE_OPTIONS="--reference F" sh "$slurm" merge shards.txt slurm >merge.log 2>&1
[ -f slurm/out/rates.csv ] && ok "slurm-array.sh: merge writes rates.csv" || { notok "slurm-array.sh: merge writes rates.csv"; sed 's/^/#   /' merge.log | head -n 5; }
same "slurm: rates.csv identical to one audit" one/rates.csv slurm/out/rates.csv
same "slurm: comparisons.csv identical to one audit" one/comparisons.csv slurm/out/comparisons.csv
if SLURM_ARRAY_TASK_ID=5 sh "$slurm" task shards.txt bad --lexicon "$lex" >bad.log 2>&1; then
    notok "a task id past the list is refused"
else
    grep -q "names shards 1 to 4" bad.log && ok "a task id past the list is refused" ||
        notok "a task id past the list is refused (message)"
fi
if (unset SLURM_ARRAY_TASK_ID; sh "$slurm" task shards.txt bad >bad.log 2>&1); then
    notok "a task without SLURM_ARRAY_TASK_ID is refused"
else
    ok "a task without SLURM_ARRAY_TASK_ID is refused"
fi

# The keyed pseudonyms of --id-key: one key for every task.
printf '%s\n' 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >k.key
chmod 600 k.key
"$bin" audit -q --lexicon "$lex" --id-key k.key --reference F \
    -o onek "$top/samples/evaluations.csv" >/dev/null 2>&1
for id in 1 2 3 4; do
    SLURM_ARRAY_TASK_ID=$id sh "$slurm" task shards.txt slurmk \
        --lexicon "$lex" --id-key k.key >/dev/null 2>&1
done
MERGE_OPTIONS="--reference F" sh "$slurm" merge shards.txt slurmk >/dev/null 2>&1
same "slurm --id-key: rates.csv identical to one audit" onek/rates.csv slurmk/out/rates.csv
same "slurm --id-key: comparisons.csv identical to one audit" onek/comparisons.csv slurmk/out/comparisons.csv

# GNU parallel, hosts ":" (this machine, through parallel's host logic).
if command -v parallel >/dev/null 2>&1 && perl -MText::CSV -e 1 2>/dev/null; then
    BLOCK=50k MERGE_OPTIONS="--reference F" \
        sh "$top/contrib/scale/parallel-hosts.sh" : "$top/samples/evaluations.csv" \
        hosts --lexicon "$lex" >hosts.log 2>&1
    n=$(ls hosts/parts 2>/dev/null | wc -l)
    [ "$n" -gt 1 ] && ok "parallel-hosts.sh -S : made $n parts" || { notok "parallel-hosts.sh -S : made several parts ($n)"; sed 's/^/#   /' hosts.log | head -n 5; }
    same "parallel -S :: rates.csv identical to one audit" one/rates.csv hosts/out/rates.csv
    same "parallel -S :: comparisons.csv identical to one audit" one/comparisons.csv hosts/out/comparisons.csv
else
    skipped "parallel-hosts.sh: GNU parallel with Text::CSV not installed"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
