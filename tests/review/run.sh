#!/bin/sh
# tests/review/run.sh BUILD - the `review` layer (issues 18 item 5 and 20):
# the blind packet and the committee's verdicts read back.
#  1. the packet folder: OUT/review/ holds review.html and review.csv only;
#     --review-packet needs --review-key, which may not be inside it; the
#     seed is in the key only (manifest: "(set)"); two runs without --seed
#     give two orders.
#  2. masking end to end: names in many spellings and gendered words are
#     gone from the packet; items whose span is gendered are counted as
#     "cannot be blinded".
#  3. shuffle inversion: on an export sorted by resident, neither the
#     page's order nor its order undone with any seed a reader could guess
#     (the old fixed default, 0..999) puts mostly the same resident side by
#     side; undone with the key's seed it does (so the test can fail).
#  4. import against reference values: fixed data (data/key.csv, two
#     synthetic reviewers' verdict files from synth.py) and the precision
#     and kappas computed with python3-statsmodels (reference.py) stored in
#     data/reference.csv; the import must equal them (relative 1e-9). Then
#     the whole loop on the samples, recomputed live when statsmodels is
#     installed.
#  5. import errors: an unknown packet id, an unknown verdict, no key.
# Ends with "N passed, N failed".
top=$(pwd)
bin=${EVALBIAS:-$top/evalbias}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $((pass + fail)) - $1"; }
notok() { fail=$((fail + 1)); echo "not ok $((pass + fail)) - $1"; }
check() { _d=$1; shift; if "$@"; then ok "$_d"; else notok "$_d"; fi; }
pybin=/usr/bin/python3
[ -x "$pybin" ] || pybin=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2

# ------------------------------------------------------- 1. the folder
"$bin" audit -q -l "$top/lexicons" --review-packet -o o1 "$top/samples/evaluations.csv" \
    >/dev/null 2>err.txt
check "--review-packet without --review-key: usage error" test $? -eq 2
"$bin" audit -q -l "$top/lexicons" --review-packet --review-key o1/review/k.csv \
    -o o1 "$top/samples/evaluations.csv" >/dev/null 2>err.txt
rc=$?
check "a key inside OUT/review/ is refused" sh -c "test $rc -eq 2 && grep -q 'must not be inside' err.txt && test ! -e o1/review/k.csv"
"$bin" audit -q -l "$top/lexicons" --review-packet --review-key k1.csv \
    -o o1 "$top/samples/evaluations.csv" >/dev/null 2>&1
"$bin" audit -q -l "$top/lexicons" --review-packet --review-key k2.csv \
    -o o2 "$top/samples/evaluations.csv" >/dev/null 2>&1
check "OUT/review/ holds review.html and review.csv, nothing else" \
    test "$(ls o1/review | tr '\n' ' ')" = "review.csv review.html "
check "key, packet and folder are private (0600, 0700)" \
    test "$(stat -c %a k1.csv o1/review/review.html o1/review | tr '\n' ' ')" = "600 600 700 "
seed=$("$pybin" -c 'import csv, sys; print(next(csv.DictReader(open(sys.argv[1], newline="")))["seed"])' k1.csv)
check "the seed is in the key and not in the packet" \
    sh -c "test -n '$seed' && ! grep -rq '$seed' o1/review o1/manifest.json"
check "two runs without --seed: two orders" \
    sh -c "! cmp -s o1/review/review.csv o2/review/review.csv"
"$bin" audit -q -l "$top/lexicons" --review-packet --seed 42 --review-key k3.csv \
    -o o3 "$top/samples/evaluations.csv" >/dev/null 2>&1
check "the manifest records --seed as (set)" \
    sh -c "grep -q '\"--seed\", \"(set)\"' o3/manifest.json && ! grep -q '\"42\"' o3/manifest.json"

# -------------------------------------------------------- 2. masking
cat >m.csv <<'CSV'
ID,Resident,Evaluator,Comments
1,"Mensah, Jessica","Tanaka, Amara","JESSICA is bossy; she said her husband helps. Ms. Mensah agreed."
2,"Mensah, Jessica","Tanaka, Amara","Jes​sica is emotional. Mail jmensah@example.org."
3,"O'Brien, Zoë","Tanaka, Amara","ZOË and Zoe OBrien are bossy, as Dr. Ｔａｎａｋａ said to his wife."
4,"O'Brien, Zoë","Tanaka, Amara","Zoë is bossy with her husband."
5,"Adeyemi-Okafor, Kemi","Tanaka, Amara","Adeyemi‐Okafor is emotional; Mr. Okafor is too."
CSV
cat >m-lex.csv <<'CSV'
type,category,term,value
lexicon,,name,m
lexicon,,version,1.0.0
category,traits,description,Traits (test only).
entry,traits,bossy,
entry,traits,emotional,
category,kin,description,Kin (test only).
entry,kin,her husband,
CSV
"$bin" audit -q --min-residents 1 --text Comments --resident Resident --evaluator Evaluator \
    --review-packet --seed 1 --review-key mk.csv -l m-lex.csv -o mo m.csv >/dev/null 2>err.txt
check "the masking audit runs" test $? -eq 0
if "$pybin" - mo/review/review.csv <<'PY'
import csv, re, sys
bad = []
words = r"jessica|mensah|zo[eë]|o'?brien|tanaka|ｔａｎａｋａ|kemi|adeyemi|okafor|jmensah|\bshe\b|\bhis\b|\bwife\b|\bms\b|\bmr\b"
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    text = row["excerpt"].replace(row["flagged_text"], "", 1)
    if re.search(words, text.replace("\u200b", ""), re.I):
        bad.append(text)
print("# leaked: %r" % bad) if bad else None
sys.exit(1 if bad else 0)
PY
then ok "no name (any spelling, e-mail) and no gendered word outside the span"
else notok "no name (any spelling, e-mail) and no gendered word outside the span"
fi
n=$(grep -c ',cannot be blinded,' mo/review/review.csv)
check "items whose span is gendered are marked (2: 'her husband' twice)" test "$n" -eq 2
check "the page counts them in what blinding covers" \
    grep -q '2 of [0-9]* items <strong>cannot be blinded</strong>' mo/review/review.html
"$bin" audit -q --min-residents 1 --text Comments --resident Resident --evaluator Evaluator \
    --review-packet --keep-gendered --seed 1 --review-key mk2.csv -l m-lex.csv -o mo2 m.csv >/dev/null 2>&1
check "--keep-gendered keeps the pronouns (names still masked)" \
    sh -c "grep -q 'she said' mo2/review/review.csv && ! grep -qi 'jessica' mo2/review/review.csv"

# ------------------------------------------------ 3. shuffle inversion
"$pybin" - "$top/samples/evaluations.csv" sorted.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
head, body = rows[0], rows[1:]
col = head.index("Resident")
body = [r for r in body if len(r) > col]
body.sort(key=lambda r: r[col])
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows([head] + body)
PY
"$bin" audit -q -l "$top/lexicons" --review-packet --review-key sk.csv \
    -o so sorted.csv >/dev/null 2>&1
if "$pybin" - so/review/review.csv sk.csv <<'PY'
import csv, sys
M = (1 << 64) - 1
def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & M
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return x, z ^ (z >> 31)
def shuffle(n, seed):
    perm, st = list(range(n)), seed
    for i in range(n, 1, -1):
        lim = M - (M + 1) % i if (M + 1) % i else M  # as review.c's below()
        lim = (M - M % i)
        while True:
            st, r = splitmix(st)
            if r < lim:
                break
        j = r % i
        perm[i - 1], perm[j] = perm[j], perm[i - 1]
    return perm
page = [r["item_id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]
res, seed = {}, None
for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    res.setdefault(r["item_id"], r["resident"])
    seed = int(r["seed"])
n = len(page)
def same(order):
    return sum(res[a] == res[b] for a, b in zip(order, order[1:])) / (n - 1)
def undone(s):
    # id i (in page order) holds the item found perm[i]-th: sort by it
    perm = shuffle(n, s)
    return [page[i] for i in sorted(range(n), key=lambda i: perm[i])]
as_shown = same(page)
true_seed = same(undone(seed))
guesses = max(same(undone(s)) for s in [20240601] + list(range(1000)))
print("# %d items; same-resident neighbours: page order %.3f, best of 1001 guessed "
      "seeds %.3f, with the key's seed %.3f" % (n, as_shown, guesses, true_seed))
ok = as_shown < 0.5 and guesses < 0.5 and true_seed > 0.5
sys.exit(0 if ok else 1)
PY
then ok "shuffle inversion: the page's order cannot be undone without the key"
else notok "shuffle inversion: the page's order cannot be undone without the key"
fi

# ------------------------------------- 4. import against reference values
d="$top/tests/review/data"
"$bin" review import -q --review-key "$d/key.csv" -o imp "$d"/verdicts-*-R1.csv \
    "$d"/verdicts-*-R2.csv 2>err.txt
check "import of the fixed data" test $? -eq 0
compare() { # compare IMPORT_DIR REFERENCE.csv
    "$pybin" - "$1" "$2" <<'PY'
import csv, math, sys
imp, ref = sys.argv[1], sys.argv[2]
prec = {(r["lexicon"], r["category"], r["term"]): r
        for r in csv.DictReader(open(imp + "/term-precision.csv", encoding="utf-8"))}
agree = {(r["statistic"], r["reviewers"]): r
         for r in csv.DictReader(open(imp + "/agreement.csv", encoding="utf-8"))}
bad = checked = 0
def close(a, b, rel):
    if a == "" or b == "":
        return a == b
    a, b = float(a), float(b)
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
for line in open(ref, encoding="utf-8"):
    f = next(csv.reader([line.strip()]))
    if f[0] == "precision":
        r = prec.get(tuple(f[1:4]))
        got = r and [r["biased"], r["not_biased"], r["unsure"], r["precision"],
                     r["precision_low"], r["precision_high"]]
        want = f[4:10]
        # rel 1e-9: printed with at least 6 (here 10) significant digits
        good = got and got[:3] == want[:3] and all(close(a, b, 1e-9) for a, b in zip(got[3:], want[3:]))
    else:
        name = "cohen_kappa" if f[0] == "cohen" else "fleiss_kappa"
        r = agree.get((name, f[1]))
        # rel 1e-10: at least 10 significant digits
        good = r and r["items"] == f[2] and close(r["kappa"], f[3], 1e-10)
        got, want = r and [r["items"], r["kappa"]], f[2:]
    checked += 1
    if not good:
        bad += 1
        print("# differs: %s: got %s, want %s" % (f[:4], got, want))
print("# %d reference values checked" % checked)
sys.exit(1 if bad or checked == 0 else 0)
PY
}
check "precision, Wilson intervals, Cohen's and Fleiss' kappa equal statsmodels' (stored)" \
    compare imp "$d/reference.csv"
check "import outputs are private (0600)" \
    test "$(stat -c %a imp/term-precision.csv imp/items.csv imp/lexicon-candidates.csv | sort -u)" = 600
check "the import warns that the candidates hold evaluation text" \
    grep -q "do not commit them to a lexicon" err.txt
check "no resident or evaluator name in the import's outputs" \
    sh -c "! grep -rqiE 'Mensah|Okafor|Dr\\. [A-Z][a-z]+ [A-Z]' imp"

# The whole loop on the samples: 2 reviewers, 30% overlap.
"$bin" audit -q -l "$top/lexicons" --review-packet --reviewers 2 --overlap 30% \
    --review-key sk2.csv -o s2 "$top/samples/evaluations.csv" >/dev/null 2>&1
check "two packets, each its own folder" \
    test "$(ls s2/review | tr '\n' ' ')" = "R1 R2 "
"$pybin" "$top/tests/review/synth.py" sk2.csv .
"$bin" review import -q --review-key sk2.csv --audit s2 -o imp2 verdicts-*-R1.csv \
    verdicts-*-R2.csv 2>/dev/null
check "import with --audit" sh -c "test $? -eq 0 && grep -q 'precision-weighted' imp2/weighted-rates.csv"
if "$pybin" -c "import statsmodels" 2>/dev/null; then
    "$pybin" "$top/tests/review/reference.py" sk2.csv verdicts-*-R1.csv verdicts-*-R2.csv >live.csv
    check "the samples' loop equals statsmodels' values (live)" compare imp2 live.csv
else
    ok "# SKIP python3-statsmodels not installed: live recomputation"
fi
"$bin" audit -q -l "$top/lexicons" --verdicts imp2 -o s3 "$top/samples/evaluations.csv" >/dev/null 2>&1
check "audit --verdicts adds the Committee review section" \
    grep -q '<h2 id="committee-h">Committee review</h2>' s3/report.html

# Confirmed rates (item 5): one reviewer judges every excerpt (synthetic:
# an item's number mod 3 picks biased / not_biased / unsure); confirmed/
# must count exactly the biased items' counted hits per cohort, term and
# category, computed here from the key and the verdict file alone.
"$bin" audit -q -l "$top/lexicons" --review-packet --seed 7 --review-key ck.csv \
    -o c1 "$top/samples/evaluations.csv" >/dev/null 2>&1
"$pybin" - ck.csv cv.csv cv-part.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
items = sorted({r["item_id"] for r in rows})
pid = rows[0]["packet_id"]
for path, skip in ((sys.argv[2], 0), (sys.argv[3], 1)):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["packet_id", "reviewer", "item_id", "verdict", "comment"])
        for it in items[skip:]:
            w.writerow([pid, "R1", it,
                        ["biased", "not_biased", "unsure"][int(it[1:]) % 3], ""])
PY
"$bin" review import --review-key ck.csv --audit c1 -o cimp cv.csv >out.txt 2>err.txt
check "every excerpt judged: confirmed/ written and named" \
    sh -c "test $? -eq 0 && test -s cimp/confirmed/rates.csv && test -s cimp/confirmed/comparisons.csv && grep -q 'confirmed/' out.txt"
check "confirmed/ is private (0600, 0700)" \
    test "$(stat -c %a cimp/confirmed cimp/confirmed/rates.csv | tr '\n' ' ')" = "700 600 "
"$pybin" - ck.csv cv.csv c1/rates.csv cimp/confirmed/rates.csv c1/manifest.json >cref.txt <<'PY'
import csv, json, sys
from collections import Counter
key = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
verdict = {r["item_id"]: r["verdict"]
           for r in csv.DictReader(open(sys.argv[2], newline=""))}
cols = [c[7:] for c in key[0] if c.startswith("cohort:")]
allh, conf = Counter(), Counter()
for r in key:
    if r["negated"] == "true" or r["referent"] or r["quoted"] == "true":
        continue
    for c in cols:
        lab = r["cohort:" + c].lower()
        for t in (r["term"], "*"):
            k = (c, lab, r["lexicon"], r["category"], t)
            allh[k] += 1
            if verdict[r["item_id"]] == "biased":
                conf[k] += 1
def rates(path):
    return {(x["cohort_column"], x["cohort"].lower(), x["lexicon"],
             x["category"], x["term"]): x
            for x in csv.DictReader(open(path, newline="", encoding="utf-8"))}
orig, new = rates(sys.argv[3]), rates(sys.argv[4])
bad = checked = nonzero = 0
# Per cohort for evaluation-level columns; a resident-level column gives
# each person one label after the rows are read (labels.h), which the key's
# row labels do not show: there, per term over the whole column.
man = json.load(open(sys.argv[5], encoding="utf-8"))
levels = {c: v["level"] for c, v in man.get("cohort_levels", {}).items()}
sum_o, sum_n, sum_a, sum_c = Counter(), Counter(), Counter(), Counter()
for k, x in orig.items():
    sum_o[(k[0],) + k[2:]] += int(x["hits"])
for k, x in new.items():
    sum_n[(k[0],) + k[2:]] += int(x["hits"])
for k, n in allh.items():
    sum_a[(k[0],) + k[2:]] += n
for k, n in conf.items():
    sum_c[(k[0],) + k[2:]] += n
for k in sum_o:
    checked += 1
    if sum_o[k] != sum_a[k] or sum_n[k] != sum_c[k]:
        bad += 1; print("column", k, sum_o[k], sum_a[k], sum_n[k], sum_c[k])
for k, x in new.items():
    if k[1].startswith("(suppressed") or levels.get(k[0]) == "resident":
        continue
    checked += 1
    o = orig[k]
    if int(o["hits"]) != allh[k]:        # the key holds every counted hit
        bad += 1; print("all", k, o["hits"], allh[k])
    if int(x["hits"]) != conf[k]:
        bad += 1; print("confirmed", k, x["hits"], conf[k])
    if (x["words"], x["evaluations"], x["residents"]) != \
       (o["words"], o["evaluations"], o["residents"]):
        bad += 1; print("totals", k)
    nonzero += conf[k] > 0
print("checked %d rows, %d with confirmed hits, %d biased of %d items, %d bad"
      % (checked, nonzero, sum(v == "biased" for v in verdict.values()),
         len(verdict), bad))
sys.exit(1 if bad or checked < 50 or nonzero < 20 else 0)
PY
check "confirmed/rates.csv hits = the biased items' hits (python, from key and verdicts)" test $? -eq 0
sed -n '$s/^/# /p' cref.txt
check "confirmed/comparisons.csv compares the shown cohorts" \
    sh -c "test \$(wc -l <cimp/confirmed/comparisons.csv) -gt 50"
"$bin" review import -q --review-key ck.csv --audit c1 -o cimp2 cv-part.csv 2>err.txt
check "one excerpt not judged: no confirmed/, says why, points to weighted-rates.csv" \
    sh -c "test $? -eq 0 && test ! -e cimp2/confirmed && grep -q '1 of [0-9]* excerpts have no verdict' err.txt && grep -q 'weighted-rates.csv has precision-weighted' err.txt && test -s cimp2/weighted-rates.csv"
"$pybin" - "$top/samples/evaluations.csv" half.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows(
    rows[: len(rows) // 2])
PY
"$bin" audit -q -l "$top/lexicons" -o c2 half.csv >/dev/null 2>&1
"$bin" review import -q --review-key ck.csv --audit c2 -o cimp3 cv.csv 2>err.txt
check "a key of another audit: no confirmed/, says why" \
    sh -c "test ! -e cimp3/confirmed && grep -q 'no cimp3/confirmed/' err.txt"

# ------------------------------------------------------- 5. errors
sed 's/^[0-9a-f]\{16\},/0000000000000000,/' "$d"/verdicts-*-R1.csv >other.csv
"$bin" review import -q --review-key "$d/key.csv" -o imp3 other.csv 2>err.txt
check "a verdict file of an unknown packet: exit 2, file and row named" \
    sh -c "test $? -eq 2 && grep -q 'other.csv:2:1: error: packet id' err.txt"
sed '2s/,biased,/,maybe,/; 2s/,not_biased,/,maybe,/; 2s/,unsure,/,maybe,/' \
    "$d"/verdicts-*-R1.csv >bad.csv
"$bin" review import -q --review-key "$d/key.csv" -o imp3 bad.csv 2>err.txt
check "an unknown verdict: exit 2" sh -c "test $? -eq 2 && grep -q 'verdict \"maybe\"' err.txt"
"$bin" review import -q --review-key "$d/key.csv" -o imp4 "$d"/verdicts-*-R1.csv \
    "$d"/verdicts-*-R1.csv 2>err.txt
check "the same file twice: duplicates reported" grep -q "duplicate judgement" err.txt

# ------------------------------------ 6. --id-key: names in the text too
cat >ik.csv <<'CSV'
ID,Resident,Evaluator,Comments
1,"Abbott, Dana","Quill, Avery","Dr. Abbott is bossy; DANA's notes. Ask Dr. Quill."
2,"Abbott, Dana","Quill, Avery","Emotional at times, said Avery Quill (aquill@example.org)."
3,"Zoë O'Brien","Quill, Avery","As Dr. Abbott noted, ZOE OBrien is bossy."
4,"Zoë O'Brien","Quill, Avery","Ms. Abb​ott-like; Zoë is emotional."
CSV
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >ik.key)
"$bin" audit -q --min-residents 1 --text Comments --resident Resident --evaluator Evaluator \
    --id-key ik.key -l m-lex.csv -o iko ik.csv >/dev/null 2>err.txt
check "--id-key audit runs" test $? -eq 0
check "--id-key: no resident or evaluator name left in excerpts.csv or report.html" \
    sh -c "! grep -qiE 'abbott|quill|dana|zo[eë]|brien|aquill' iko/excerpts.csv iko/report.html"
p=$(sed -n 2p iko/excerpts.csv | cut -d, -f2)
check "--id-key: a name in the text becomes that person's pseudonym ($p)" \
    grep -q "Dr\. $p is bossy" iko/excerpts.csv

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
