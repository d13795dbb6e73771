#!/bin/sh
# tests/merge/run.sh BUILD - the `merge` layer of `make check`: tallies of
# shards, merged, must give exactly what one audit of the whole gives.
#  1. The README's GNU parallel one-liner, run as written (smaller blocks, the
#     sample export): rates.csv and comparisons.csv byte-identical to one
#     audit; summary, row accounting and totals equal. Without GNU parallel
#     the same split is made by Python's csv module and run shard by shard.
#  2. The same with --id-key (no resident name in any part), without any
#     resident or id column (row-number clusters), and tally files that are
#     byte-identical from run to run.
#  3. Refusals: a damaged part, parts with other lexicons or other cohort
#     columns, --tally-only with --review-packet, no part at all.
# Ends with "N passed, N failed".
top=$(pwd)
# $EVALBIAS: make check-asan's binary (else the top folder's).
bin=${EVALBIAS:-$top/evalbias}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sample="$top/samples/evaluations.csv"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) - $1"; }
notok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) - $1"; }
check() { # check DESCRIPTION COMMAND...
    d=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$d"; else notok "$d"; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
ln -s "$top/lexicons" lexicons
cp "$sample" export.csv

# The recipe, from the README, with the block size made small enough to
# give several parts of the small sample export.
recipe=$(grep '^mkdir -p parts && parallel --pipe' "$top/README.md" | head -n 1)
[ -n "$recipe" ] || { notok "README has the GNU parallel recipe"; recipe=false; }

# split_run DIR AUDIT-OPTIONS...: the shards of export.csv audited with
# --tally-only into DIR/1, DIR/2 ..., then merged into DIR-out.
split_run() {
    dir=$1
    shift
    # parallel --csv needs Perl's Text::CSV (libtext-csv-perl); without it
    # the Python split stands in.
    if command -v parallel >/dev/null 2>&1 && perl -MText::CSV -e 1 2>/dev/null; then
        opts=$(printf ' %s' "$@")
        line=$(printf '%s\n' "$recipe" | sed -e "s#evalbias audit --tally-only#\"$bin\" audit --tally-only$opts#" \
            -e "s#evalbias merge#\"$bin\" merge#" -e 's#--block 100M#--block 50k#' \
            -e "s#parts#$dir#g" -e "s#out/#$dir-out#")
        sh -c "$line" >"$dir.stdout" 2>"$dir.stderr"
    else
        mkdir -p "$dir" && python3 - "$dir" <<'PY'
import csv, sys
rows = list(csv.reader(open("export.csv", newline="", encoding="utf-8-sig")))
head, body, out = rows[0], rows[1:], sys.argv[1]
n = 75
for i in range(0, len(body), n):
    with open("%s.%d.csv" % (out, i // n + 1), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows([head] + body[i:i + n])
PY
        i=1
        while [ -f "$dir.$i.csv" ]; do
            "$bin" audit --tally-only -q "$@" -o "$dir/$i" "$dir.$i.csv" || return 1
            i=$((i + 1))
        done
        "$bin" merge $(ls -d "$dir"/* | sort -V) -o "$dir-out" >"$dir.stdout" 2>"$dir.stderr"
    fi
}

command -v parallel >/dev/null 2>&1 ||
    echo "# GNU parallel not installed: shards split with Python's csv module"

# -------------------------------------------------- 1. the plain recipe
"$bin" audit -q -o single export.csv 2>/dev/null
"$bin" audit -o single export.csv >single.stdout 2>/dev/null
check "the recipe runs (split, audit --tally-only, merge)" split_run parts
n=$(ls -d parts/* 2>/dev/null | wc -l)
check "the recipe made several parts ($n)" test "$n" -ge 4
for f in rates.csv comparisons.csv; do
    check "split/merge $f byte-identical to one audit" cmp single/$f parts-out/$f
done
check "merge writes report.html" test -s parts-out/report.html
check "the summary on stdout is the same (but the folder)" \
    sh -c "grep -v '^Outputs in' single.stdout > a; grep -v '^Outputs in' parts.stdout > b; cmp a b"
keys='"(read|analysed|skipped|skipped_by_reason|confidence|min_residents|cohorts_suppressed|totals|text|cohort|id|resident)"|"reference": \{'
check "manifest: rows, columns, statistics and totals equal" \
    sh -c "grep -E '$keys' single/manifest.json > a; grep -E '$keys' parts-out/manifest.json > b; cmp a b"
check "merged manifest lists each part with its SHA-256" \
    test "$(grep -c '"tally": ".*"sha256": "[0-9a-f]\{64\}"' parts-out/manifest.json)" -eq "$n"
check "parts hold no excerpts.csv and no report" \
    sh -c '! ls parts/*/excerpts.csv parts/*/report.html 2>/dev/null | grep -q .'
check "tally files hold no comment text" \
    sh -c '! grep -l "triaged them well" parts/*/* '
# Same input, same tally file.
mkdir -p again
"$bin" audit --tally-only -q -o again/a export.csv >/dev/null 2>&1
"$bin" audit --tally-only -q -o again/b export.csv >/dev/null 2>&1
check "the same input gives a byte-identical tally file" \
    cmp again/a/tally.evalbias again/b/tally.evalbias
"$bin" merge -q again/a -o again/out >/dev/null 2>&1
for f in rates.csv comparisons.csv; do
    check "merge of one whole-file tally: $f identical to the audit" \
        cmp single/$f again/out/$f
done

# An export that already comes in files: one part per file, in order.
python3 - <<'PY'
import csv
rows = list(csv.reader(open("export.csv", newline="", encoding="utf-8-sig")))
for i, lo in enumerate(range(1, len(rows), 250)):
    with open("year%d.csv" % (i + 1), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows([rows[0]] + rows[lo:lo + 250])
PY
mkdir -p fparts
if command -v parallel >/dev/null 2>&1; then
    parallel "$bin" audit --tally-only -q -o fparts/{#} {} ::: year*.csv 2>/dev/null
else
    i=1
    for f in year*.csv; do "$bin" audit --tally-only -q -o fparts/$i "$f" 2>/dev/null; i=$((i + 1)); done
fi
"$bin" merge -q $(ls -d fparts/* | sort -V) -o fparts-out 2>/dev/null
for f in rates.csv comparisons.csv; do
    check "one part per file ($(ls year*.csv | wc -l) files): $f identical to one audit" \
        cmp single/$f fparts-out/$f
done

# ------------------------------------------------ 2. --id-key, clusters
printf '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n' >site.key
"$bin" audit -q --id-key site.key -o ksingle export.csv 2>/dev/null
check "the recipe runs with --id-key" split_run kparts --id-key site.key
for f in rates.csv comparisons.csv; do
    check "--id-key split/merge $f byte-identical to one --id-key audit" \
        cmp ksingle/$f kparts-out/$f
done
check "--id-key: no resident's name in any tally or manifest" \
    sh -c '! grep -l -e "Mensah, Jessica" kparts/*/*'
check "--id-key: pseudonyms in the tally" grep -q '^cell	r-[0-9a-f]\{16\}	' kparts/1/tally.evalbias
check "--id-key: manifest records the key's fingerprint" \
    grep -q '"key_fingerprint": "[0-9a-f]\{16\}"' kparts-out/manifest.json
check "--id-key does not change the comparisons" cmp single/comparisons.csv ksingle/comparisons.csv

python3 - <<'PY'
import csv
rows = list(csv.reader(open("export.csv", newline="", encoding="utf-8-sig")))
keep = [i for i, h in enumerate(rows[0]) if h not in ("Evaluation ID", "Resident")]
with open("noid.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\r\n")
    for r in rows:
        if len(r) == len(rows[0]):
            w.writerow([r[i] for i in keep])
PY
cp export.csv export.orig && cp noid.csv export.csv
"$bin" audit -q -o rsingle export.csv 2>/dev/null
check "the recipe runs without resident or id column" split_run rparts
# Without a resident column residents are unknown (tally format 7): one
# anonymous cell per cohort, not one per evaluation or row (issue 18).
check "no resident: clusters none recorded" grep -q '^clusters	none$' rparts/1/tally.evalbias
ncohorts=$(grep -c '^cohort	' rparts/1/tally.evalbias)
check "no resident: one cell per cohort ($ncohorts cohorts)" \
    test "$(grep -c '^cell	' rparts/1/tally.evalbias)" -eq "$ncohorts"
check "no resident: split/merge rates.csv byte-identical to one audit" \
    cmp rsingle/rates.csv rparts-out/rates.csv
check "no resident: split/merge comparisons.csv byte-identical to one audit" \
    cmp rsingle/comparisons.csv rparts-out/comparisons.csv
check "no resident: rates.csv residents cells are empty" python3 -c '
import csv, sys
rows = list(csv.DictReader(open("rparts-out/rates.csv", newline="")))
sys.exit(0 if rows and all(r["residents"] == "" for r in rows) else 1)'
check "no resident: the merged manifest says residents are unknown" \
    grep -q '"residents": "unknown (no resident column)"' rparts-out/manifest.json
# A part written before format 7 (clusters "row", one cell per row) is
# read as none: its cells collapse, and it merges with a format-7 part.
python3 - <<'PY'
import hashlib, re
src = open("rparts/1/tally.evalbias", encoding="utf-8").read()
body = src[:src.rindex("end\t")]
body = body.replace("evalbias-tally\t7\n", "evalbias-tally\t6\n", 1)
body = body.replace("clusters\tnone\n", "clusters\trow\n", 1)
# Format 6 named a cell by its row number: give the cell one.
body = re.sub(r"^cell\t\t", "cell\t17\t", body, flags=re.M)
import os
os.makedirs("rparts-v6/1", exist_ok=True)
open("rparts-v6/1/tally.evalbias", "w", encoding="utf-8").write(
    body + "end\t" + hashlib.sha256(body.encode()).hexdigest() + "\n")
PY
"$bin" merge -q rparts-v6/1 $(ls -d rparts/* | sort -V | tail -n +2) -o rparts-v6-out 2>/dev/null
check "a format-6 row-cluster part merges with format-7 parts" test $? -eq 0
check "... giving the same rates.csv" cmp rsingle/rates.csv rparts-v6-out/rates.csv
cp export.orig export.csv

# ---------------------------------------------------------- 3. refusals
mkdir -p bad && cp -R parts/1 bad/p1
sed 's/^cell\t\([^\t]*\)\t1\t/cell\t\1\t2\t/' parts/1/tally.evalbias >bad/p1/tally.evalbias
"$bin" merge -q parts/1 bad/p1 -o bad/out >/dev/null 2>bad/err
check "an edited tally file is refused (exit 2)" test $? -eq 2
check "... saying its SHA-256 does not match" grep -q 'SHA-256 does not match' bad/err
head -c 1000 parts/1/tally.evalbias >bad/trunc.evalbias
"$bin" merge -q parts/1 bad/trunc.evalbias -o bad/out >/dev/null 2>bad/err
check "a truncated tally file is refused" grep -q 'truncated' bad/err
"$bin" audit --tally-only -q --lexicon lexicons/personality.csv -o bad/otherlex export.csv >/dev/null 2>&1
"$bin" merge -q parts/1 bad/otherlex -o bad/out >/dev/null 2>bad/err
check "a part with other lexicons is refused" grep -q 'other lexicons' bad/err
"$bin" audit --tally-only -q --cohort PGY -o bad/othercol export.csv >/dev/null 2>&1
"$bin" merge -q parts/1 bad/othercol -o bad/out >/dev/null 2>bad/err
check "a part with other cohort columns is refused" grep -q 'cohort columns' bad/err
check "no merged output after a refusal" test ! -e bad/out/rates.csv
"$bin" merge -q parts/1 kparts/2 -o bad/out >/dev/null 2>bad/err
check "names and pseudonyms are not mixed" grep -q 'id-key' bad/err
"$bin" merge >/dev/null 2>&1
check "merge without parts: usage error" test $? -eq 2
"$bin" audit --tally-only --review-packet -o bad/rp export.csv >/dev/null 2>&1
check "--tally-only with --review-packet: usage error" test $? -eq 2
printf 'short\n' >short.key
"$bin" audit --tally-only --id-key short.key -o bad/k export.csv >/dev/null 2>bad/err
check "a key shorter than 16 bytes is refused" grep -q 'at least 16' bad/err

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
