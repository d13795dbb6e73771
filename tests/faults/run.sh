#!/bin/sh
# tests/faults/run.sh BUILD - the `faults` layer of `make check` (issue 18):
# hostile tries the other layers do not make, each asserting that nothing is
# lost (a clear error, a bounded run) and nothing is leaked.
#  1. merge refuses doubles: the same part twice, a copy of it, a part
#     sharing an input (stdin included); parts from other inputs still merge.
#  2. counter overflow: two parts whose word counts are near 2^63 are refused.
#  3. limits: /dev/zero (under a timeout), a huge lexicon file, too many
#     entries, a quadratic regex (100k words, under 10 s), a sentence-spanning
#     pattern (lint error), a 100,000-column header (under 10 s: the
#     quadratic code took 24 s and 33 s; the bound holds under ASan and load).
#  4. formula cells: every CSV output read back as a ';'-locale spreadsheet
#     (and a ','-locale one) would: no cell starts with = + - @ TAB CR.
#  5. lexicon files are data: a symlink out of the folder is refused unread.
#  6. text shown safely: U+202E in report.html and review.html sits inside
#     <bdi> or dir="auto"; `columns` prints no raw ESC.
#  7. provenance: no absolute path in manifest.json or tally.evalbias; an
#     --id-key file others can read is a warning (exit 2 under --strict).
#  8. output sets (outset.h): -o a foreign non-empty folder is refused; a
#     run removes the files the previous manifest lists and it does not
#     write (and no other); merge -o into a part is refused; a second run
#     into a locked folder is refused; SIGINT/SIGTERM mid-run exit 130/143
#     and SIGKILL leaves the previous set byte-identical, no staging folder
#     or temporary file survives the next run, no stale lock; a full disk
#     (a small tmpfs, or ulimit -f) leaves the previous set intact.
#  9. memory flat in rows (issue 18): 1,000,000 one-word rows without a
#     resident column (with and without an id column) audit in under 60 MB
#     peak RSS (under a timeout): no cell per evaluation.
# Ends with "N passed, N failed".
top=$(pwd)
bin=${EVALBIAS:-$top/evalbias}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) - $1"; }
notok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) - $1"; }
# expect DESCRIPTION RC PATTERN COMMAND...: COMMAND exits RC and its
# messages (stderr, and stdout for the lexicon commands' reports) match the
# grep -E PATTERN ("" = anything, NONE = stderr must be empty).
expect() {
    d=$1 want=$2 pat=$3
    shift 3
    "$@" >out.txt 2>err.txt
    rc=$?
    cat out.txt >>err.txt
    if [ "$rc" -ne "$want" ]; then
        notok "$d (exit $rc, wanted $want)"
        sed 's/^/#   /' err.txt | head -n 5
    elif [ "$pat" = NONE ] && [ -s err.txt ]; then
        notok "$d (unexpected messages)"
        sed 's/^/#   /' err.txt | head -n 5
    elif [ -n "$pat" ] && [ "$pat" != NONE ] && ! grep -Eq "$pat" err.txt; then
        notok "$d (stderr does not match $pat)"
        sed 's/^/#   /' err.txt | head -n 5
    else
        ok "$d"
    fi
}
# fast DESCRIPTION SECONDS COMMAND...: COMMAND finishes within SECONDS.
fast() {
    d=$1 lim=$2
    shift 2
    t0=$(date +%s.%N)
    timeout 60 "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    el=$(echo "$t1 - $t0" | bc 2>/dev/null || python3 -c "print($t1 - $t0)")
    if python3 -c "import sys; sys.exit(0 if $el < $lim else 1)"; then
        ok "$d (${el%????} s)"
    else
        notok "$d (${el} s, limit $lim s)"
    fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
cp -R "$top/lexicons" lex

# ------------------------------------------------------ 1. merge doubles
cat >a.csv <<'EOF'
ID,Resident,Gender,Comments
1,Ann,F,Very pleasant and hardworking.
2,Bea,F,Bossy at times.
3,Cal,M,A natural leader.
EOF
cat >b.csv <<'EOF'
ID,Resident,Gender,Comments
4,Dan,M,Emotional at times.
5,Eve,F,Pleasant with families.
EOF
opts="-q --tally-only --cohort Gender -l lex"
"$bin" audit $opts -o pa a.csv
"$bin" audit $opts -o pb b.csv
cp -R pa pacopy
expect "merge of two different parts works" 0 "" "$bin" merge -q pa pb -o m1
expect "merge pA pA is refused, naming both" 2 \
    "part 2 \(pa/tally.evalbias\).*part 1 \(pa/tally.evalbias\).*counted twice" \
    "$bin" merge -q pa pa -o m2
expect "merge pA copy-of-pA is refused" 2 "pacopy.*same tally SHA-256.*pa/" \
    "$bin" merge -q pa pacopy -o m3
"$bin" audit $opts -o pstdin - <a.csv
expect "a part that read the same bytes from stdin is refused" 2 \
    "same input SHA-256" "$bin" merge -q pb pa pstdin -o m4
sha=$(sha256sum a.csv | cut -d' ' -f1)
size=$(wc -c <a.csv | tr -d ' ')
if grep -q "\"sha256\": \"$sha\"" pstdin/manifest.json &&
    grep -q "\"bytes\": $size," pstdin/manifest.json; then
    ok "stdin's SHA-256 and byte count are recorded"
else
    notok "stdin's SHA-256 and byte count are recorded"
fi
printf 'ID,Resident,Gender,Comments\n' >empty.csv
"$bin" audit $opts -o pe1 empty.csv
"$bin" audit $opts -o pe2 empty.csv
expect "parts without data rows are exempt" 0 "" "$bin" merge -q pa pe1 pe2 -o m5

# --------------------------------------------------- 2. counter overflow
# Add 2^62 * 3 to a cohort's words and to one of its cells in two parts
# (each still consistent), then re-seal the files: their sum passes 2^64.
bump() { # bump DIR
    python3 - "$1/tally.evalbias" <<'PY'
import hashlib, sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
add = 3 << 62
out, pending = [], False
for l in lines:
    f = l.split("\t")
    if f[0] == "end":
        break
    if f[0] == "cohort":
        f[4] = str(int(f[4]) + add); pending = True
    elif f[0] == "cell" and pending:
        f[3] = str(int(f[3]) + add); pending = False
    elif f[0] == "totals":
        f[1] = str(int(f[1]) + add)
    out.append("\t".join(f))
body = "\n".join(out) + "\n"
open(p, "w", encoding="utf-8").write(
    body + "end\t" + hashlib.sha256(body.encode()).hexdigest() + "\n")
PY
}
cp -R pa pa-big
cp -R pb pb-big
bump pa-big
bump pb-big
expect "one part near 2^63 words is read" 0 "" "$bin" merge -q pa-big -o m6
expect "two parts whose words pass 2^64-1 are refused" 2 "2\^64" \
    "$bin" merge -q pa-big pb-big -o m7

# ---------------------------------------------------------- 3. limits
expect "/dev/zero stops at the record-size limit" 2 "longer than .*--max-record-bytes" \
    timeout 60 "$bin" audit -q -l lex -o z /dev/zero
expect "--max-record-bytes 1M on stdin" 2 "longer than 1048576 bytes" \
    sh -c "head -c 5000000 /dev/zero | timeout 60 '$bin' audit -q --max-record-bytes 1M -l lex -o z2 -"
python3 -c "
print('# version: 1')
for i in range(600000): print('word%d' % i)" >huge.txt
expect "a 5 MB lexicon file is refused" 2 "huge.txt: error: lexicon file larger than" \
    "$bin" audit -q -l huge.txt -o h a.csv
expect "lexicon lint refuses it too" 1 "larger than" "$bin" lexicon lint huge.txt
python3 -c "
print('# version: 1')
for i in range(100001): print('w%d' % i)" >many.txt
expect "100,001 entries: a file:line error" 2 "many.txt:100002:1: error: more than 100000 entries" \
    "$bin" audit -q -l many.txt -o h a.csv
printf '# version: 1\n/(?:a\\s)+b/\n' >quad.txt
python3 -c "
print('ID,Resident,Comments')
print('1,R1,\"' + 'a ' * 100000 + 'xb\"')
print('2,R2,\"' + ('a ' * 240 + 'xb ') * 400 + '\"')" >quad.csv
fast "/(?:a\\s)+b/ over 100,000 words" 10 \
    "$bin" audit -q --text Comments -l quad.txt -o q quad.csv
printf '# version: 1\n/bossy.+nurse/\n' >span.txt
expect "a pattern that could span sentences is a lint error" 1 \
    "span.txt:2:8: error: regex: this part can match sentence punctuation" \
    "$bin" lexicon lint span.txt
python3 -c "
print(','.join('c%d' % i for i in range(100000)))
print(','.join('x' for i in range(100000)))" >wide.csv
fast "a 100,000-column header" 10 "$bin" columns wide.csv
python3 -c "
print(','.join('c%d' % (i % 50000) for i in range(100000)))
print(','.join('x' for i in range(100000)))" >wide2.csv
expect "duplicate names in a wide header are still reported" 0 \
    'duplicate column name "c0" \(columns 1 and 50001\)' \
    "$bin" audit -q --text c1 -l lex -o w2 wide2.csv

# ------------------------------------------------------ 4. formula cells
printf 'ID,Resident,Comments\n' >f.csv
printf '"=1+2",=HYPERLINK(x),"=bossy; =cmd|calc"\n' >>f.csv
printf '+3,"+Ann;=2+3","-bossy at times"\n' >>f.csv
printf '@4,@SUM(A1),"@bossy\tand loud"\n' >>f.csv
printf '"\t5","\tTab",Bossy; =1+1\n' >>f.csv
printf '"\r6","\rCr","bossy, =2;+3"\n' >>f.csv
printf "7,\"'=Real\",\"'=quoted bossy\"\n" >>f.csv
"$bin" audit -q --min-residents 1 --review-packet --review-key fo-key.csv --text Comments -l lex -o fo f.csv
if python3 - fo <<'PY'
import csv, glob, sys
bad = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.csv") + glob.glob(sys.argv[1] + "/review/*.csv") + ["fo-key.csv"]):
    raw = open(path, encoding="utf-8", newline="").read()
    for delim in (";", ","):
        for row in csv.reader(raw.splitlines(), delimiter=delim):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    print("# %s (delimiter %r): live cell %r" % (path, delim, cell))
                    bad += 1
sys.exit(1 if bad else 0)
PY
then ok "no CSV cell starts a formula under ; or , as separator"
else notok "no CSV cell starts a formula under ; or , as separator"
fi
if grep -q "''=quoted bossy" fo/excerpts.csv &&
    grep -q "&#39;=quoted" fo/review/review.html; then
    ok "a real leading apostrophe survives the guard and its undoing"
else
    notok "a real leading apostrophe survives the guard and its undoing"
fi
if grep -q '/\^'"'"'\*\[=+\\-@\\t\\r' fo/review/review.html; then
    ok "the review page's export guards = + - @ TAB CR"
else
    notok "the review page's export guards = + - @ TAB CR"
fi

# --------------------------------------------------- 5. symlinked lexicon
mkdir lexdir
cp "$top/lexicons/personality.csv" lexdir/
ln -s /etc/passwd lexdir/passwd.txt
expect "a symlink out of the lexicon folder is refused" 2 \
    "passwd.txt: error: symbolic link to a file outside the lexicon folder" \
    "$bin" audit -q -l lexdir -o s a.csv
if grep -q "root:" err.txt; then
    notok "the refused file's content is not echoed"
else
    ok "the refused file's content is not echoed"
fi
rm lexdir/passwd.txt
ln -s personality.csv lexdir/again.csv
expect "a symlink within the folder is read" 1 "" "$bin" lexicon lint lexdir
printf 'type,category,term,value\n' >long.csv
python3 -c "print('\x1b[31m' + 'A' * 5000)" >long.csv
expect "a bad lexicon line is quoted short and escaped" 1 '"\\e\[31mA{30,40}\.\.\."' \
    "$bin" lexicon lint long.csv
if grep -q "$(printf '\033')" err.txt || [ "$(wc -c <err.txt)" -gt 400 ]; then
    notok "no raw ESC and no long echo in the error"
else
    ok "no raw ESC and no long echo in the error"
fi

# ------------------------------------------------------ 6. text shown safely
rlo=$(printf '\342\200\256')
printf 'ID,Resident,Comments\n1,%s Ann,"Bossy %s at times."\n2,Bea,Pleasant.\n' \
    "$rlo" "$rlo" >bidi.csv
"$bin" audit -q --min-residents 1 --review-packet --review-key bo-key.csv --text Comments -l lex -o bo bidi.csv
if python3 - bo/report.html bo/review/review.html <<'PY'
import re, sys
bad = 0
for path in sys.argv[1:]:
    html = open(path, encoding="utf-8").read()
    # Script text (data rows rendered by the page's script) is not markup.
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    for m in re.finditer("\u202e", html):
        before = html[:m.start()]
        opens = [before.rfind("<bdi>"), before.rfind('dir="auto">')]
        at = max(opens)
        closes = [before.rfind("</bdi>"), before.rfind("</q>"),
                  before.rfind("</blockquote>"), before.rfind("</p>")]
        if at < 0 or max(closes) > at:
            print("# %s: U+202E at %d not isolated" % (path, m.start()))
            bad += 1
sys.exit(1 if bad else 0)
PY
then ok "U+202E in report.html and review.html is isolated"
else notok "U+202E in report.html and review.html is isolated"
fi
printf 'a\033]0;pwned\007b,c%sd\nx,y\n' "$rlo" >esc.csv
"$bin" columns esc.csv >cols.txt 2>&1
if grep -q "$(printf '\033')" cols.txt || grep -q "$rlo" cols.txt; then
    notok "columns shows no raw ESC or bidi control"
else
    ok "columns shows no raw ESC or bidi control"
fi

# --------------------------------------------------------- 7. provenance
"$bin" audit -q --tally-only -l "$work/lex" -o "$work/abs" "$work/a.csv"
if grep -q "$work" abs/manifest.json abs/tally.evalbias; then
    notok "no absolute path in manifest.json or tally.evalbias"
    grep -n "$work" abs/manifest.json abs/tally.evalbias | head -n 3 | sed 's/^/#   /'
else
    ok "no absolute path in manifest.json or tally.evalbias"
fi
(umask 022; openssl rand -hex 32 >open.key 2>/dev/null ||
    python3 -c "import os; print(os.urandom(32).hex())" >open.key)
expect "--id-key readable by others: a warning naming chmod 600" 0 "chmod 600" \
    "$bin" audit -q --tally-only --id-key open.key -l lex -o k1 a.csv
expect "... and an error under --strict" 2 "chmod 600" \
    "$bin" audit -q --strict --tally-only --id-key open.key -l lex -o k2 a.csv
chmod 600 open.key
expect "a 0600 hex key: no warning" 0 NONE \
    "$bin" audit -q --tally-only --id-key open.key -l lex -o k3 a.csv
(umask 077; echo "password password password" >weak.key)
expect "a low-entropy text key is a warning" 0 "weak --id-key: .* bits" \
    "$bin" audit -q --tally-only --id-key weak.key -l lex -o k4 a.csv

# -------------------------------------------------------- 8. output sets
# sums DIR: the SHA-256 of every file in DIR (sorted), to compare sets.
sums() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
# leftovers DIR: staging folders beside DIR and temporary files in it.
leftovers() {
    ls -a "$(dirname "$1")" | grep -F ".$(basename "$1").staging." 
    find "$1" -name '*.tmp.*' 2>/dev/null
}
mkdir foreign && echo "my notes" >foreign/notes.txt
expect "-o a foreign non-empty folder is refused" 2 \
    "foreign: error: not an evalbias output folder" \
    "$bin" audit -q -l lex -o foreign a.csv
if [ "$(ls -A foreign)" = notes.txt ] && [ "$(cat foreign/notes.txt)" = "my notes" ]; then
    ok "... and left as it was"
else
    notok "... and left as it was"
fi
mkdir empty
expect "-o an empty folder is accepted" 0 "" "$bin" audit -q -l lex -o empty a.csv
# Stale files: a full audit, a user's file, then --tally-only.
"$bin" audit -q -l lex --cohort Gender -o st a.csv
echo "mine" >st/notes.txt
: >st/excerpts.csv.tmp.AbC123   # an older version's leftover temporary
expect "--tally-only into an earlier audit's folder" 0 "" \
    "$bin" audit -q -l lex --cohort Gender --tally-only -o st a.csv
got=$(ls -A st | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "manifest.json notes.txt tally.evalbias " ]; then
    ok "stale report, excerpts, rates removed; other files kept ($got)"
else
    notok "stale report, excerpts, rates removed; other files kept ($got)"
fi
# An old review packet does not survive a run without one.
rk=
if "$bin" audit -q -l lex --cohort Gender --review-packet \
        --review-key "$work/rk.csv" -o rv a.csv 2>/dev/null; then
    rk=1
else
    "$bin" audit -q -l lex --cohort Gender --review-packet -o rv a.csv
fi
"$bin" audit -q -l lex --cohort Gender -o rv a.csv
if find rv | grep -q review; then
    notok "an old review packet is removed by a run without one"
    find rv | grep review | sed 's/^/#   /'
else
    ok "an old review packet is removed by a run without one${rk:+ (review/ folder)}"
fi
# merge -o one of its parts (or the folder holding a part's tally file).
sums pa >pa.before
expect "merge -o a part is refused" 2 "a merge does not write into a folder it reads" \
    "$bin" merge -q pa pb -o pa
expect "merge -o the folder of a part's tally file is refused" 2 \
    "a merge does not write into a folder it reads" \
    "$bin" merge -q pa/tally.evalbias pb -o pa
if sums pa | cmp -s - pa.before; then ok "... the part is unchanged"
else notok "... the part is unchanged"; fi

# A large input for the runs that are stopped or raced.
python3 "$top/samples/generate.py" --size-mb 50 --out big.csv >/dev/null 2>&1
[ -s big.csv ] || notok "generate.py wrote big.csv"
# runbg OUT: start a big audit into OUT with default SIGINT/SIGTERM (a
# background job of a script would have them ignored); its pid in $bgpid.
runbg() {
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$bin" audit -q -l lex $runbg_extra \
        --cohort "Resident Gender" -o "$1" "${runbg_input:-big.csv}" \
        >/dev/null 2>"$1.err" &
    bgpid=$!
}
# staged OUT: wait (up to 60 s) until the run has a staging folder.
staged() {
    i=0
    while [ $i -lt 600 ]; do
        ls -a "$(dirname "$1")" | grep -qF ".$(basename "$1").staging." &&
            return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
for sig in INT TERM KILL; do
    case $sig in INT) want=130 ;; TERM) want=143 ;; KILL) want=137 ;; esac
    out=sig$sig
    "$bin" audit -q -l lex --cohort Gender -o $out a.csv
    sums $out >$out.before
    runbg $out
    if staged $out; then
        sleep 1
        kill -$sig $bgpid
        { wait $bgpid; } 2>/dev/null # no "Killed" from the shell
        rc=$?
    else
        rc=none
        kill -KILL $bgpid 2>/dev/null
        wait $bgpid
    fi
    if [ "$rc" = $want ]; then ok "SIG$sig mid-run: exit $rc"
    else notok "SIG$sig mid-run: exit $rc, wanted $want"; fi
    if sums $out | cmp -s - $out.before; then
        ok "SIG$sig: the previous set is byte-identical"
    else
        notok "SIG$sig: the previous set is byte-identical"
    fi
    if [ $sig != KILL ]; then
        left=$(leftovers $out)
        if [ -z "$left" ]; then ok "SIG$sig: no staging folder or temporary file"
        else notok "SIG$sig: leftovers: $left"; fi
    else
        # The kernel released the lock; the next run removes the dead
        # run's staging folder.
        expect "after SIGKILL: no stale lock, the next run succeeds" 0 "" \
            "$bin" audit -q -l lex --cohort Gender -o $out b.csv
        left=$(leftovers $out)
        if [ -z "$left" ]; then ok "after SIGKILL: the dead run's staging folder is gone"
        else notok "after SIGKILL: leftovers: $left"; fi
    fi
done
# SIGBUS: with --threads the input is read through a memory map, and a file
# cut shorter mid-read faults there. The handler says so and leaves the
# previous set: checked with the signal itself (deterministic), then with a
# real truncation (racy: the read may be over by then, so a clean exit 0
# with a complete set is also right; a crash is not).
out=sigBUS
"$bin" audit -q -l lex --cohort Gender -o $out a.csv
sums $out >$out.before
runbg_extra="--threads 2"
runbg $out
if staged $out; then
    kill -BUS $bgpid
    wait $bgpid
    rc=$?
else
    rc=none
    kill -KILL $bgpid 2>/dev/null
    wait $bgpid
fi
if [ "$rc" = 2 ] && grep -q "became shorter while it was being read" $out.err; then
    ok "SIGBUS mid-run: exit 2 and a message saying the input changed"
else
    notok "SIGBUS mid-run: exit $rc, wanted 2 with a message"
    sed 's/^/#   /' $out.err | head -n 3
fi
if sums $out | cmp -s - $out.before && [ -z "$(leftovers $out)" ]; then
    ok "SIGBUS: the previous set is byte-identical, no leftovers"
else
    notok "SIGBUS: the previous set is byte-identical, no leftovers"
fi
cp big.csv shrink.csv
out=shrink
runbg_input=shrink.csv
runbg $out
if staged $out; then
    sleep 0.3
    truncate -s 1000000 shrink.csv
fi
wait $bgpid
rc=$?
runbg_extra= runbg_input=
if [ "$rc" = 2 ] || { [ "$rc" = 0 ] && [ -s $out/manifest.json ]; }; then
    ok "an input truncated mid-read: a defined outcome (exit $rc), no crash"
else
    notok "an input truncated mid-read: exit $rc"
    sed 's/^/#   /' $out.err | head -n 3
fi
[ -z "$(leftovers $out)" ] && ok "... no staging folder or temporary file" ||
    notok "... leftovers: $(leftovers $out)"
# Concurrent runs into one folder: the second is refused while the first
# holds the lock; the folder ends with one run's complete set.
runbg conc
if staged conc; then
    expect "a second run into a folder being written is refused" 2 \
        "another evalbias run is writing this output folder" \
        "$bin" audit -q -l lex --cohort Gender -o conc a.csv
else
    notok "the first concurrent run started"
fi
wait $bgpid
rc=$?
sha=$(sha256sum big.csv | cut -d' ' -f1)
if [ $rc -eq 0 ] && grep -q "$sha" conc/manifest.json &&
    [ -s conc/excerpts.csv ] && [ -s conc/report.html ]; then
    ok "the first run's set is complete (exit $rc)"
else
    notok "the first run's set is complete (exit $rc)"
    sed 's/^/#   /' conc.err | head -n 3
fi
# Full disk: a 2 MB tmpfs when we may mount one, else ulimit -f.
mkdir disk
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m tmpfs disk 2>/dev/null; then
    how="a 2 MB tmpfs"
    "$bin" audit -q -l lex --cohort Gender -o disk/out a.csv
    sums disk/out >disk.before
    "$bin" audit -q -l lex --cohort "Resident Gender" -o disk/out big.csv \
        >/dev/null 2>disk.err
    rc=$?
else
    how="ulimit -f"
    "$bin" audit -q -l lex --cohort Gender -o disk/out a.csv
    sums disk/out >disk.before
    (trap '' XFSZ; ulimit -f 2048; exec "$bin" audit -q -l lex \
        --cohort "Resident Gender" -o disk/out big.csv) \
        >/dev/null 2>disk.err
    rc=$?
fi
if [ $rc -eq 2 ] && grep -Eq "No space left|too large" disk.err; then
    ok "full disk ($how): exit 2 with the system's message"
else
    notok "full disk ($how): exit $rc"
    sed 's/^/#   /' disk.err | head -n 3
fi
if sums disk/out | cmp -s - disk.before; then
    ok "full disk: the previous set is intact"
else
    notok "full disk: the previous set is intact"
fi
left=$(leftovers disk/out)
if [ -z "$left" ]; then ok "full disk: no staging folder or temporary file"
else notok "full disk: leftovers: $left"; fi
umount disk 2>/dev/null

# ------------------------------------------- 9. memory flat in rows
# Without a resident column the tally keeps one cell per cohort; before,
# it kept one per evaluation (~550 MB at 1 M rows). Peak RSS of the child
# from getrusage (no /usr/bin/time needed); one row in 1,000 has a hit so
# the excerpts stay small.
python3 - <<'PY'
words = ["fine", "punctual", "present", "on", "time", "ok", "thorough"]
with open("mem-id.csv", "w") as a, open("mem-noid.csv", "w") as b:
    a.write("Evaluation ID,Gender,Comments\n")
    b.write("Gender,Comments\n")
    for i in range(1000000):
        w = "kind" if i % 1000 == 0 else words[i % len(words)]
        g = "FM"[i % 2]
        a.write("E%d,%s,%s\n" % (i, g, w))
        b.write("%s,%s\n" % (g, w))
PY
# Under AddressSanitizer (make check-asan) shadow memory and the free
# quarantine add a few hundred MB whatever the input: a wider bound there,
# still far below the ~550 MB (x ASan) a cell per evaluation took.
limit=61440
ldd "$bin" 2>/dev/null | grep -q libasan && limit=409600
for v in id noid; do
    rm -rf mem-$v
    kb=$(python3 - "$bin" "$v" <<'PY'
import resource, subprocess, sys
bin, v = sys.argv[1], sys.argv[2]
try:
    r = subprocess.run([bin, "audit", "-q", "--text", "Comments", "--cohort",
                        "Gender", "-o", "mem-" + v, "mem-%s.csv" % v],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180)
    rc = r.returncode
except subprocess.TimeoutExpired:
    rc = "timeout"
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
PY
)
    set -- $kb
    if [ "$2" = 0 ] && [ "$1" -lt "$limit" ]; then
        ok "1 M rows without a resident column ($v): peak RSS $1 kB < $limit kB"
    else
        notok "1 M rows without a resident column ($v): peak RSS $1 kB, exit $2 (want < $limit kB, 0)"
    fi
done
rm -f mem-id.csv mem-noid.csv
rm -rf mem-id mem-noid

echo "1..$((pass + fail))"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
