#!/usr/bin/env python3
"""check.py OUT STDOUT CONF - one significance rule in every output.

The rows flagged as findings must be the same in the terminal summary
(STDOUT), report.html (its headline findings table, and the " *" marks of
its term tables) and comparisons.csv (finding=true), and every heading must
name the confidence level CONF. Prints TAP lines and "N passed, N failed".
"""
import csv, html, re, sys

out, stdout_path, conf = sys.argv[1], sys.argv[2], float(sys.argv[3])
pct = "%g%%" % (100 * conf)
alpha = "%g" % (1 - conf)
results = []

def check(ok, what):
    results.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(results), what))

# Outputs for people show a category's label ("Agentic descriptors"); the
# CSV names it lexicon/id. Map labels back through the lexicon files.
import glob
label_of = {}
for path in glob.glob("lexicons/*.csv"):
    with open(path, newline="", encoding="utf-8") as f:
        rows_ = list(csv.reader(f))
    name = next((r[3] for r in rows_ if r[:3] == ["lexicon", "", "name"]), None)
    for r in rows_:
        if len(r) >= 4 and r[0] == "category" and r[2] == "label":
            label_of[r[3]] = name + "/" + r[1]

def key(col, cohort, ref, cat):
    cat = label_of.get(cat.strip(), cat)
    return (col, cohort, ref, re.sub(r"\s*/\s*", "/", cat))

# comparisons.csv
with open(out + "/comparisons.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check(rows and "finding" in rows[0], "comparisons.csv has a finding column")
csv_cats = {key(r["cohort_column"], r["cohort"], r["reference"],
                r["lexicon"] + "/" + r["category"])
            for r in rows if r["term"] == "*" and r["finding"] == "true"}
csv_terms = sum(1 for r in rows if r["term"] != "*" and r["finding"] == "true")
check(all(r["finding"] in ("true", "false") for r in rows),
      "finding is true or false on every row")
# the rule itself, recomputed from the row's own numbers
def holds(r):
    # category rows carry q_value; term rows term_q_value (tested only
    # within a category that is itself a finding: Yekutieli's hierarchy)
    q = r["q_value"] if r["term"] == "*" else r.get("term_q_value", "")
    if not r["robust_ci_low"] or not q:
        return False
    lo = float(r["robust_ci_low"])
    hi = float(r["robust_ci_high"]) if r["robust_ci_high"] else float("inf")
    return (lo > 1 or hi < 1) and float(q) < 1 - conf
bad = [r for r in rows if (r["finding"] == "true") != holds(r)]
check(not bad, "finding = robust CI excludes 1 and q < %s, on every row" % alpha)

# terminal
text = open(stdout_path, encoding="utf-8").read()
term = set()
col = cohort = ref = None
for line in text.splitlines():
    m = re.match(r"^(.+): (.+) vs (.+) \(reference\), hits per 1,000 words$", line)
    if m:
        col, cohort, ref = m.groups()
        continue
    m = re.match(r"^  (\S.*?)\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+-[0-9.]+\s+\S+$", line)
    if m and col:
        term.add(key(col, cohort, ref, m.group(1)))
check(pct + " interval" in text and "q < " + alpha in text,
      "terminal heading names %s and q < %s" % (pct, alpha))
check(pct + " CI (robust)" in text or not term,
      "terminal table heading names %s" % pct)
check(term == csv_cats, "terminal lists exactly the finding=true categories "
      "(%d)" % len(csv_cats))

# report.html
page = open(out + "/report.html", encoding="utf-8").read()
# The findings section opens with its answer, which names the level.
m = re.search(r'<section id="findings".*?<p class="answer">(.*?)</p>', page, re.S)
check(m and pct in m.group(1) and alpha in html.unescape(m.group(1)),
      "report.html findings answer names %s and q < %s" % (pct, alpha))
html_cats = set()
t = re.search(r'id="t-findings">(.*?)</table>', page, re.S)
if t:
    # category | cohort column | "cohort vs reference" | ...
    for tr in re.findall(r"<tr><td>(.*?)</tr>", t.group(1)):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c))
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + tr)]
        cohort, ref = cells[2].split(" vs ", 1)
        html_cats.add(key(cells[1], cohort, ref, cells[0]))
check(html_cats == csv_cats, "report.html's findings are exactly the "
      "finding=true categories (%d)" % len(csv_cats))
marks = 0
for tab in re.findall(r'<table class="sortable terms" id="terms-\d+">(.*?)</table>',
                      page, re.S):
    marks += len(re.findall(r"\) \*</td>", tab))
check(marks == csv_terms, "report.html's term tables mark exactly the "
      "finding=true terms (%d)" % csv_terms)
check(len(csv_cats) > 0, "the samples have findings at this level (the "
      "comparison is not vacuous)")

passed = sum(results)
print("%d passed, %d failed" % (passed, len(results) - passed))
sys.exit(0 if passed == len(results) else 1)
