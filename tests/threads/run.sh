#!/bin/sh
# tests/threads/run.sh BUILD - the `threads` layer of `make check`:
# `evalbias audit --threads N` must write exactly what --threads 1 writes.
#  1. Every golden case that runs `evalbias audit` (tests/golden/*/cmd: the
#     hostile and messy inputs, encodings, errors), run with --threads 1, 2
#     and 3: stdout, stderr, exit code and every output file byte-identical
#     (the manifest without its start time, elapsed time and arguments).
#  2. The shipped samples and lexicons, and an export made of several
#     copies of them (many batches, more than the threads hold at once):
#     full audit, --cohort-map, --review-packet, --id-key, --tally-only,
#     two inputs, Windows-1252.
#  3. Errors far into a large input, with batches in flight: a PCRE2 match
#     limit, a ragged row, the first of both in input order, and reader
#     warnings before them: the same message, warnings and exit code.
#  4. The parallel parse (audit_read.c: chunks of the file read on the
#     pool's threads): quoted newlines (LF and CRLF) across the cuts, a
#     ragged row and an invalid UTF-8 byte in later chunks (warning,
#     error, skip), a file turning windows-1252 after its header region, a
#     long stretch without a newline, and a tiny file with 8 threads.
#  5. The tally file's write error (a file size limit) at the end of the
#     run, where it is written beside the other outputs: the same message,
#     alone, and exit code.
# Ends with "N passed, N failed".
top=$(pwd)
bin=${EVALBIAS:-$top/evalbias}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) - $1"; }
notok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) - $1"; }
work=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$work"' EXIT
LC_ALL=C
export LC_ALL

# A wrapper that puts --threads N after `audit`, so a golden cmd line runs
# unchanged with any number of threads.
mkdir -p "$work/bin"
cat >"$work/bin/evalbias-threads" <<EOF
#!/bin/sh
if [ "\$1" = audit ]; then
    shift
    exec "$bin" audit --threads "\$EVALBIAS_THREADS" "\$@"
fi
exec "$bin" "\$@"
EOF
chmod +x "$work/bin/evalbias-threads"

# run DIR N: run DIR/cmd (a golden cmd line) in a copy DIR.N with N threads.
run() {
    rm -rf "$1.$2"
    cp -R "$1" "$1.$2"
    (cd "$1.$2" && EVALBIAS="$work/bin/evalbias-threads" EVALBIAS_THREADS=$2 \
        TOP=$top sh ./cmd >stdout 2>stderr; echo $? >rc)
    for m in $(find "$1.$2" -name manifest.json); do
        grep -v -e '"started_at"' -e '"elapsed_seconds"' -e '"arguments"' \
            "$m" >"$m.tmp" && mv "$m.tmp" "$m"
    done
}

# same A B: every file of the two runs byte-identical (names and bytes).
same() {
    (cd "$1" && find . -type f | sort) >"$work/list.a"
    (cd "$2" && find . -type f | sort) >"$work/list.b"
    if ! cmp -s "$work/list.a" "$work/list.b"; then
        echo "# files differ: $1 $2"
        diff "$work/list.a" "$work/list.b" | head -n 10 | sed 's/^/#   /'
        return 1
    fi
    r=0
    for f in $(cat "$work/list.a"); do
        if ! cmp -s "$1/$f" "$2/$f"; then
            echo "# $f differs"
            diff "$1/$f" "$2/$f" 2>&1 | head -n 6 | sed 's/^/#   /'
            r=1
        fi
    done
    return $r
}

# check NAME DIR: DIR/cmd with 1, 2 and 3 threads (or $NS) gives the same
# files.
check() {
    run "$2" 1
    for n in ${NS:-2 3}; do
        run "$2" $n
        if same "$2.1" "$2.$n"; then
            ok "$1: --threads $n = --threads 1 (rc $(cat "$2.1/rc"))"
        else
            notok "$1: --threads $n = --threads 1"
        fi
        rm -rf "$2.$n"
    done
    rm -rf "$2.1"
}

# 1. The golden cases that audit.
for dir in "$top"/tests/golden/*/; do
    name=$(basename "$dir")
    grep -q 'EVALBIAS audit' "$dir/cmd" 2>/dev/null || continue
    mkdir -p "$work/g"
    rm -rf "$work/g/$name"
    cp -R "$dir" "$work/g/$name"
    rm -rf "$work/g/$name/expected"
    check "golden $name" "$work/g/$name"
    rm -rf "$work/g/$name"
done

# 2. The samples, and a large export of several copies of them.
s=$work/s
mkdir -p "$s"
ln -s "$top/samples" "$s/samples"
ln -s "$top/lexicons" "$s/lexicons"
printf 'a key of at least sixteen bytes for the tests\n' >"$s/key"
python3 - "$s" <<'PY'
import sys
d = sys.argv[1]
src = open(d + "/samples/evaluations.csv", "rb").read()
nl = src.index(b"\n") + 1           # the header has no line break inside
head, body = src[:nl], src[nl:]
if not body.endswith(b"\n"):
    body += b"\r\n"
# 8 copies: about 3 MB, a dozen batches or more.
open(d + "/big.csv", "wb").write(head + body * 8)
open(d + "/part2.csv", "wb").write(head + body * 2)
# Invalid UTF-8 (a warning each) every 300 records, a PCRE2 limit in a
# late record, and a ragged row after it: the matcher error comes first.
lines = (body * 8).split(b"\r\n")
out = []
rec = 0
for i, line in enumerate(lines):
    if line.startswith(b'"41') and rec % 300 == 150:
        line = line.replace(b". ", b".\xff ", 1).replace(b"pleasant", b"plea\xfesant", 1)
    if line.startswith(b'"41'):
        rec += 1
    out.append(line)
bad = head + b"\r\n".join(out)
if not bad.endswith(b"\r\n"):
    bad += b"\r\n"
n = len(bad)
cut = bad.rindex(b'\r\n"41', 0, n * 2 // 3) + 2
row = b'"9","f","r","s","y","d","e","F","R9","F","PGY-1","5","' + b"a" * 30000 + b"!" + b'","","",,\r\n'
open(d + "/late-error.csv", "wb").write(bad[:cut] + row + bad[cut:] + b'"ragged","row"\r\n')
open(d + "/late-ragged.csv", "wb").write(bad + b'"ragged","row"\r\n')
PY
cp "$top/tests/golden/hostile-pcre2-limit/lex.txt" "$s/rx.txt"
sample_case() { # sample_case NAME AUDIT-ARGS...
    name=$1
    shift
    rm -rf "$work/c"
    mkdir -p "$work/c"
    for f in samples lexicons key big.csv part2.csv late-error.csv late-ragged.csv rx.txt; do
        ln -s "$s/$f" "$work/c/$f"
    done
    printf '$EVALBIAS audit %s\n' "$*" >"$work/c/cmd"
    check "$name" "$work/c"
}
sample_case "samples, shipped lexicons, cohort map" \
    -l lexicons --cohort-map samples/cohort-map.csv -o out samples/evaluations.csv
sample_case "samples, review packet" \
    -q -l lexicons --review-packet --seed 1 --review-key rk.csv -o out samples/evaluations.csv
sample_case "samples, --id-key" \
    -q -l lexicons --id-key key -o out samples/evaluations.csv
sample_case "samples, Windows-1252" \
    -q -l lexicons --min-residents 1 -o out samples/evaluations-cp1252.csv
sample_case "large export (3 MB), full audit" \
    -l lexicons --cohort-map samples/cohort-map.csv -o out big.csv
sample_case "large export, --tally-only, --id-key" \
    -l lexicons --tally-only --id-key key -o out big.csv
sample_case "large export and a second input" \
    -q -l lexicons --review-packet --seed 1 --review-key rk.csv -o out big.csv part2.csv
sample_case "large export, warnings, ragged row at the end (reader error)" \
    -l lexicons -o out late-ragged.csv
sample_case "large export, ragged rows skipped" \
    -l lexicons --on-bad-row skip -o out late-ragged.csv
sample_case "large export, PCRE2 limit late, ragged row after it" \
    -l rx.txt --text Strengths -o out late-error.csv

# 3. The error cases above must be errors, with their message.
cd "$work/c" || exit 1
for n in 1 2; do
    EVALBIAS_THREADS=$n "$work/bin/evalbias-threads" audit -q -l rx.txt \
        --text Strengths -o out late-error.csv >/dev/null 2>"err.$n"
    echo $? >>"rc.$n"
    EVALBIAS_THREADS=$n "$work/bin/evalbias-threads" audit -q -l lexicons \
        -o out late-ragged.csv >/dev/null 2>>"err.$n"
    echo $? >>"rc.$n"
done
if grep -q 'error: regex /(a|aa)+$/ (lexicon entry rx.txt:4): match limit exceeded' err.2 &&
   grep -q 'error: ragged row' err.2 && grep -c 'warning' err.2 | grep -qv '^0$' &&
   [ "$(cat rc.2)" = "$(printf '2\n2')" ] && cmp -s err.1 err.2; then
    ok "late errors: the PCRE2 limit wins over the later ragged row; warnings, messages and exit code 2 as with one thread"
else
    notok "late errors with --threads 2"
    sed 's/^/#   /' err.2 | head -n 12
fi

# 4. The parallel parse.
p=$work/p
mkdir -p "$p"
ln -s "$top/lexicons" "$p/lexicons"
python3 - "$top/samples/evaluations.csv" "$p" <<'PY'
import sys
src = open(sys.argv[1], "rb").read()
d = sys.argv[2]
nl = src.index(b"\n") + 1
head, body = src[:nl], src[nl:]
if not body.endswith(b"\n"):
    body += b"\r\n"
def w(name, data):
    open(d + "/" + name, "wb").write(data)
def at(data, off, row):
    # insert row at the first record start at or after off
    k = data.index(b'\r\n"41', off) + 2
    return data[:k] + row + data[k:]
# Line breaks inside quoted comments: 8000 of them, after a ". ".
crlf = (body * 4).replace(b". ", b".\r\n", 4 * 2000)
w("nl-crlf.csv", head + crlf)
w("nl-lf.csv", (head + crlf).replace(b"\r\n", b"\n"))
big = body * 3
w("ragged.csv", head + at(at(big, 400000, b'"ragged","row"\r\n'), 900000,
                   b'"also","ragged"\r\n'))
bad = big[:700000] + big[700000:1100000].replace(b". ", b".\xff ", 1) + \
    big[1100000:].replace(b"a", b"a\xfe", 1)
w("bad-utf8.csv", head + bad)
# An invalid byte in every record after 600 KB: more warnings in one read
# than the reader holds (it drops the same ones with any number of threads).
w("many-bad.csv", head + big[:600000] + big[600000:].replace(b". ", b".\xff "))
asc = bytes(c for c in head[3:] + big if c < 128)
w("cp1252.csv", asc[:800000] + asc[800000:].replace(b". ", b". caf\xe9 ", 3))
cr = (body * 12).replace(b"\r\n", b"\r")
w("no-newline.csv", head + body + cr + body)
w("tiny.csv", head + b"\r\n".join(body.split(b"\r\n")[:3]) + b"\r\n")
PY
pcase() { # pcase NAME AUDIT-ARGS...
    name=$1
    shift
    rm -rf "$work/c"
    mkdir -p "$work/c"
    for f in "$p"/*; do
        ln -s "$f" "$work/c/$(basename "$f")"
    done
    printf '$EVALBIAS audit %s\n' "$*" >"$work/c/cmd"
    check "$name" "$work/c"
}
NS="2 3 8" pcase "parse: quoted CRLFs across the cuts" -q -l lexicons -o out nl-crlf.csv
pcase "parse: quoted LFs across the cuts" -l lexicons -o out nl-lf.csv
# Skipping ragged rows, a chunk read from a cut inside a quoted field reads
# without an error: only the check of where the chunk before it ended
# catches it.
pcase "parse: quoted LFs across the cuts, ragged rows skipped" \
    -l lexicons --on-bad-row skip -o out nl-lf.csv
pcase "parse: a ragged row in the 2nd chunk (error)" -l lexicons -o out ragged.csv
pcase "parse: ragged rows in later chunks, skipped" \
    -q -l lexicons --on-bad-row skip -o out ragged.csv
pcase "parse: invalid UTF-8 in a later chunk (warning)" -l lexicons -o out bad-utf8.csv
pcase "parse: invalid UTF-8 in a later chunk, --encoding utf-8 (error)" \
    -l lexicons --encoding utf-8 -o out bad-utf8.csv
pcase "parse: an invalid byte in every record" -l lexicons -o out many-bad.csv
pcase "parse: ASCII, then windows-1252 in a later chunk" -l lexicons -o out cp1252.csv
pcase "parse: 4 MB without a newline (CR line ends)" -q -l lexicons -o out no-newline.csv
NS="2 8" pcase "parse: a tiny file, 8 threads" -l lexicons -o out tiny.csv

# Usage errors.
# 5. The end of the run: with threads the tally file is written while the
#    other outputs are (audit.c, struct tally_job), yet its write error is
#    still the run's, said as with one thread and nothing computed after
#    it (no "reference chosen" warning). Many residents and evaluators and
#    no hits: the tally file is the largest output, and a file size limit
#    between it and the others fails it alone.
f=$work/f
mkdir -p "$f"
printf '# version: 1\nzzqxnonesuch\n' >"$f/none.txt"
python3 - "$top/samples/evaluations.csv" "$f/many.csv" <<'PY'
import csv, io, sys
rows = [r for r in csv.reader(io.StringIO(
    open(sys.argv[1], encoding="utf-8-sig", newline="").read())) if r]
h = rows[0]
ri, ei = h.index("Resident"), h.index("Evaluator")
out = io.StringIO()
w = csv.writer(out, lineterminator="\r\n")
w.writerow(h)
for k in range(8):
    for r in rows[1:]:
        if len(r) == len(h):
            r = r[:ri] + [r[ri] + " %d" % k] + r[ri + 1:]
            r = r[:ei] + [r[ei] + " %d" % k] + r[ei + 1:]
        w.writerow(r)
open(sys.argv[2], "w", encoding="utf-8", newline="").write(out.getvalue())
PY
rm -rf "$work/c"
mkdir -p "$work/c"
ln -s "$f/none.txt" "$work/c/none.txt"
ln -s "$f/many.csv" "$work/c/many.csv"
# 200 blocks: 100 KB in sh's 512-byte blocks (200 KB in bash's): the tally
# file is 360 KB, report.html 46 KB.
printf "(trap '' XFSZ; ulimit -f 200; exec \$EVALBIAS audit -l none.txt -o out many.csv)\n" \
    >"$work/c/cmd"
"$bin" audit -q -l "$f/none.txt" -o "$work/f/full" "$f/many.csv" 2>/dev/null
if [ "$(wc -c <"$work/f/full/tally.evalbias")" -gt 204800 ] &&
   [ "$(wc -c <"$work/f/full/report.html")" -lt 102400 ]; then
    ok "the tally file outweighs the file size limit, report.html does not"
else
    notok "the tally file outweighs the file size limit, report.html does not"
fi
for n in 1 2; do
    (cd "$work/c" && EVALBIAS="$work/bin/evalbias-threads" EVALBIAS_THREADS=$n \
        sh ./cmd >/dev/null 2>"$work/f/err.$n"; echo $? >"$work/f/rc.$n")
done
if grep -q 'error: cannot write the tally: File too large' "$work/f/err.2" &&
   ! grep -q 'warning' "$work/f/err.2" && [ "$(cat "$work/f/rc.2")" = 2 ] &&
   cmp -s "$work/f/err.1" "$work/f/err.2"; then
    ok "the tally file's write error with --threads 2: its message alone, exit 2, as with one thread"
else
    notok "the tally file's write error with --threads 2"
    sed 's/^/#   /' "$work/f/err.2" | head -n 6
fi
check "the tally file's write error" "$work/c"

cd "$work" || exit 1
for v in 0 -1 x 65 ""; do
    "$bin" audit --threads "$v" -o out "$top/samples/evaluations.csv" >/dev/null 2>err
    if [ $? = 2 ] && grep -q -- '--threads takes a whole number' err; then
        ok "--threads '$v' is a usage error"
    else
        notok "--threads '$v' is a usage error"
    fi
done
"$bin" audit --help | grep -q -- '--threads N' && ok "--help lists --threads" ||
    notok "--help lists --threads"

echo "1..$((pass + fail))"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
