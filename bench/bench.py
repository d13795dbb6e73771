#!/usr/bin/env python3
"""bench/bench.py - `make bench`: evalbias audit against its peers on one file.

Generates (once, cached in bench/data/, git-ignored) a deterministic synthetic
UTF-8 export with samples/generate.py --no-mess, extracts the literal words and
phrases of the shipped lexicons into bench/data/terms.txt, then times, on the
same file, several runs each (median reported):

  cat FILE > /dev/null                       the read limit
  rg   -c -i -w -F -f terms.txt FILE         ripgrep over the same literals
  grep -c -i -w -F -f terms.txt FILE         GNU grep (locale C.UTF-8, and C)
  build/libcsv_floor noop-opts FILE          libcsv alone, no-op callbacks
  evalbias audit -q -o DIR FILE              single-threaded
  evalbias audit --threads 2 ...             when the binary has --threads
  evalbias audit --tally-only [--threads 2]  the pass alone (no excerpts, report)
  evalbias audit with bench/lexicons-2026-12 the frozen lexicon snapshot

and measures: peak RSS (/usr/bin/time -v) on a 100 MB input, on the BENCH_MB
input and on a BENCH_RSS_MB one (memory must not follow the input's size); instructions per input byte (valgrind --tool=callgrind on 10 MB and
20 MB slices: the marginal cost, (I20 - I10) / (B20 - B10), which start-up
and the fixed cost of the report do not move, and which machine noise does
not move either), stage by stage for evalbias, with and without the
input's SHA-256; the cost of a lexicon with 10x the literal entries (the
shipped ones plus synthetic words and phrases that never occur). The load
averages before and after the timed runs are printed with the table.
Prints a table and writes bench/results.md.

bench/lexicons-2026-12/ is a copy of lexicons/ as shipped in December 2026,
frozen: its row compares across releases whatever the lexicons become.

Wall-clock figures on a shared machine are noisy: the ratios compare tools
measured in the same run, interleaved, and the medians of several runs.
Stems (emotion*) and /regex/ entries have no grep -F equivalent, so the peers
search the literal entries only; evalbias runs with every shipped entry.

Usage: python3 bench/bench.py [--mb N] [--runs N] [--rss-mb N] [--no-callgrind]
Environment: BENCH_MB (default 1024), BENCH_RUNS (default 5), BENCH_RSS_MB
(default: BENCH_MB).
"""
import argparse
import csv
import glob
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data")
EVALBIAS = os.path.join(ROOT, "evalbias")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def gen(mb):
    """The cached synthetic export of about mb MiB (default seed, so the
    same bytes every time)."""
    path = os.path.join(DATA, "bench-%d.csv" % mb)
    if not os.path.exists(path):
        log("generating %s (%d MiB) ..." % (path, mb))
        tmp = path + ".tmp"
        subprocess.run([sys.executable, os.path.join(ROOT, "samples", "generate.py"),
                        "--size-mb", str(mb), "--no-mess", "--quiet", "--out", tmp],
                       check=True)
        os.rename(tmp, path)
    return path


def slice_of(src, mb):
    """The first mb MB of src, cut at a record boundary (--no-mess writes
    one line per record)."""
    path = os.path.join(DATA, "slice-%d.csv" % mb)
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(src):
        with open(src, "rb") as f:
            b = f.read(mb * 1000 * 1000)
        with open(path, "wb") as f:
            f.write(b[: b.rfind(b"\n") + 1])
    return path


def lexicon_terms():
    """Literal words and phrases of the shipped lexicons (no stems, no
    regexes), lower-cased and de-duplicated."""
    terms = set()
    for p in sorted(glob.glob(os.path.join(ROOT, "lexicons", "*.csv"))):
        with open(p, newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) >= 3 and row[0] == "entry":
                    t = row[2].strip()
                    if t and not t.startswith("/") and "*" not in t:
                        terms.add(t.lower())
    for p in sorted(glob.glob(os.path.join(ROOT, "lexicons", "*.txt"))):
        with open(p, encoding="utf-8") as f:
            for line in f:
                t = line.strip()
                if t and not t.startswith("#") and not t.startswith("/") and "*" not in t:
                    terms.add(t.lower())
    path = os.path.join(DATA, "terms.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in sorted(terms)))
    return path, len(terms)


def entry_count():
    n = 0
    for p in glob.glob(os.path.join(ROOT, "lexicons", "*.csv")):
        with open(p, newline="", encoding="utf-8") as f:
            n += sum(1 for row in csv.reader(f) if row and row[0] == "entry")
    return n


def synthetic_lexicon(n):
    """A plain word list of n invented words and two-word phrases that occur
    in no comment (deterministic)."""
    path = os.path.join(DATA, "lex10x", "synthetic.txt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rnd = random.Random(7)
    syl = ["zor", "vex", "quil", "brax", "mun", "tiv", "parl", "drob", "kesh",
           "flon", "wib", "yarm", "glor", "trep", "snid", "hult"]
    seen = set()
    lines = ["# version: 0.0.1", "# description: synthetic entries for the "
             "10x lexicon benchmark; none occurs in real text"]
    while len(seen) < n:
        w = "".join(rnd.choice(syl) for _ in range(rnd.randint(2, 4)))
        if rnd.random() < 0.3:
            w += " " + "".join(rnd.choice(syl) for _ in range(2))
        if w not in seen:
            seen.add(w)
            lines.append(w)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_once(cmd, env=None):
    # stdout goes to a file, not /dev/null: GNU grep notices /dev/null and
    # stops at the first match (as if -q), which would time nothing.
    with open(os.path.join(DATA, "stdout.txt"), "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        err = p.stderr.read().decode(errors="replace")
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    # grep -c exits 1 when a file has no match; anything else is a failure.
    if code not in (0, 1):
        raise SystemExit("failed (%d): %s\n%s" % (code, " ".join(cmd), err))
    return wall, ru.ru_utime + ru.ru_stime


def time_all(cmds, runs):
    """Run every command `runs` times, interleaved (so a burst of load on
    the shared machine hits them all alike), after one warm-up each.
    Returns {name: (median wall, median cpu)}. The first command warms the
    page cache (cat); no other warm-up is needed."""
    run_once(cmds[0][1], cmds[0][2])
    walls = {name: [] for name, _, _ in cmds}
    cpus = {name: [] for name, _, _ in cmds}
    for r in range(runs):
        for name, cmd, env in cmds:
            w, c = run_once(cmd, env)
            walls[name].append(w)
            cpus[name].append(c)
        log("  run %d/%d done" % (r + 1, runs))
    return {n: (statistics.median(walls[n]), statistics.median(cpus[n]), walls[n])
            for n in walls}


def paired(t, one, two):
    """Median and range of the per-run ratios wall(one) / wall(two): runs
    are interleaved, so run r of each is a pair under the same load."""
    r = [a / b for a, b in zip(t[one][2], t[two][2])]
    return statistics.median(r), min(r), max(r), len(r)


def peak_rss_kb(cmd):
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return int(m.group(1)) if m else None


# Stages of a run, by the function whose inclusive cost is the stage's
# (callgrind_annotate --inclusive=yes). A stage absent from a build (a
# function inlined or renamed) shows as "-".
STAGES = [
    ("the run, all of it", "main"),
    ("reader, all of it (reader_next)", "reader_next"),
    ("- libcsv (csv_parse)", "csv_parse"),
    ("- SHA-256 of the input (valgrind: no SHA-NI)", "sha256_update"),
    ("normalize + tokenize (scan_text)", "scan_text"),
    ("matcher (matcher_find)", "matcher_find"),
    ("- trie walk (walk)", "walk"),
    ("- referent rule (referent_prepare_classes)", "referent_prepare_classes"),
    ("- clause negation (negation_reaches)", "negation_reaches"),
    ("- intensifiers (intensifier_at)", "intensifier_at"),
    ("- regex entries, PCRE2 at their start literals (pcre2_match_8)", "pcre2_match_8"),
    ("- regex start literals (literals_at)", "literals_at"),
    ("- guards (guards_at)", "guards_at"),
    ("excerpts (scan_excerpt)", "scan_excerpt"),
    ("excerpts.csv rows (report_excerpts_row)", "report_excerpts_row"),
    ("excerpt index: a row's place (excerpt_index_add_at)", "excerpt_index_add_at"),
    ("excerpt index: a row kept for the report (excerpt_index_hold_row)", "excerpt_index_hold_row"),
    ("tally (tally_add)", "tally_add"),
    ("after the pass (audit_finish)", "audit_finish"),
    ("- report.html (report_html_write)", "report_html_write"),
    ("- its excerpt section (html_excerpts_section)", "html_excerpts_section"),
    ("- tally.evalbias (tally_file_write)", "tally_file_write"),
]


def build_floor():
    """bench/libcsv_floor.c, built into build/ (cc -O2, -lcsv)."""
    exe = os.path.join(ROOT, "build", "libcsv_floor")
    src = os.path.join(ROOT, "bench", "libcsv_floor.c")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        r = subprocess.run(["cc", "-O2", "-o", exe, src, "-lcsv"])
        if r.returncode:
            return None
    return exe


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def inclusive(out):
    """{function name: inclusive instructions} of a callgrind output."""
    a = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                       capture_output=True, text=True).stdout
    cost = {}
    for l in a.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(\S+?)(?:\.constprop\.\d+|\.part\.\d+|'\d+)* \[", l)
        if m:
            name = m.group(3)
            v = int(m.group(1).replace(",", ""))
            cost[name] = max(cost.get(name, 0), v)
    return cost


def callgrind(cmd, tag):
    """Total instructions of cmd under callgrind, and its inclusive cost by
    function."""
    out = os.path.join(DATA, "callgrind-%s.out" % tag)
    # stdout to a file, not /dev/null: GNU grep stops at the first match
    # when its output is /dev/null (see run_once).
    with open(os.path.join(DATA, "stdout.txt"), "wb") as so:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd,
                           stdout=so, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m:
        return None, {}
    return int(m.group(1)), (inclusive(out) if shutil.which("callgrind_annotate") else {})


def marginal(cmd_of, tag, sl10, sl20):
    """Marginal instructions per byte between the 10 and 20 MB slices:
    (total, {stage function: per byte}), or (None, {})."""
    n10, c10 = callgrind(cmd_of(sl10), tag + "-10")
    n20, c20 = callgrind(cmd_of(sl20), tag + "-20")
    if n10 is None or n20 is None:
        return None, {}
    db = os.path.getsize(sl20) - os.path.getsize(sl10)
    st = {f: (c20.get(f, 0) - c10.get(f, 0)) / db for f in set(c10) | set(c20)}
    return (n20 - n10) / db, st


def audit_has(option):
    h = subprocess.run([EVALBIAS, "audit", "--help"], capture_output=True, text=True).stdout
    return option in h


def same_outputs(a, b):
    """Every output file but the manifest (which records times and paths)
    byte-identical."""
    names = sorted(set(os.listdir(a)) | set(os.listdir(b)))
    bad = []
    for n in names:
        if n == "manifest.json":
            continue
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        if not (os.path.exists(pa) and os.path.exists(pb)):
            bad.append(n)
            continue
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            if fa.read() != fb.read():
                bad.append(n)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=int(os.environ.get("BENCH_MB", "1024")))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    ap.add_argument("--rss-mb", type=int,
                    default=int(os.environ.get("BENCH_RSS_MB", "0")) or None,
                    help="also measure peak RSS on an input of N MiB (not timed)")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results.md"))
    args = ap.parse_args()
    os.makedirs(DATA, exist_ok=True)
    for tool in ("rg", "grep", "valgrind"):
        if not shutil.which(tool):
            log("note: %s not found (apt-get install ripgrep valgrind)" % tool)

    big = gen(args.mb)
    size = os.path.getsize(big)
    terms, nterms = lexicon_terms()
    nentries = entry_count()
    snap = os.path.join(ROOT, "bench", "lexicons-2026-12")
    floor = build_floor()
    outs = {k: os.path.join(DATA, "out-%s" % k) for k in ("1", "2", "3", "4", "5")}
    audit = [EVALBIAS, "audit", "-q", "--lexicon", os.path.join(ROOT, "lexicons")]
    utf8 = dict(os.environ, LC_ALL="C.UTF-8")
    cenv = dict(os.environ, LC_ALL="C")
    grep_c = lambda f: ["grep", "-c", "-i", "-w", "-F", "-f", terms, f]
    rg_c = lambda f: ["rg", "-c", "-i", "-w", "-F", "-f", terms, f]
    cmds = [("cat", ["sh", "-c", 'cat "$0" > /dev/null', big], None)]
    if shutil.which("rg"):
        cmds.append(("rg -c -i -w -F -f terms", rg_c(big), utf8))
    cmds.append(("grep -c -i -w -F -f terms (C.UTF-8)", grep_c(big), utf8))
    cmds.append(("LC_ALL=C grep -c -i -w -F -f terms", grep_c(big), cenv))
    if floor:
        cmds.append(("libcsv alone, no-op callbacks (bench/libcsv_floor.c)",
                     [floor, "noop-opts", big], None))
    cmds.append(("evalbias audit", audit + ["-o", outs["1"], big], None))
    threads = audit_has("--threads")
    if threads:
        cmds.append(("evalbias audit --threads 2", audit + ["--threads", "2", "-o", outs["2"], big], None))
    tally_only = audit_has("--tally-only")
    if tally_only:
        cmds.append(("evalbias audit --tally-only", audit + ["--tally-only", "-o", outs["3"], big], None))
    if tally_only and threads:
        cmds.append(("evalbias audit --tally-only --threads 2",
                     audit + ["--tally-only", "--threads", "2", "-o", outs["4"], big], None))
    if os.path.isdir(snap):
        cmds.append(("evalbias audit, lexicons-2026-12 snapshot",
                     [EVALBIAS, "audit", "-q", "--lexicon", snap, "-o", outs["5"], big], None))

    log("timing %d runs each on %s (%.0f MB) ..." % (args.runs, big, size / 1e6))
    load0 = loadavg()
    t = time_all(cmds, args.runs)
    load1 = loadavg()
    identical = identical_t = None
    if threads:
        identical = same_outputs(outs["1"], outs["2"])
        if tally_only:
            identical_t = same_outputs(outs["3"], outs["4"])

    # Peak memory: 100 MB, the big input and the --rss-mb one.
    log("peak RSS ...")
    small = gen(100)
    rss = {}
    sizes = [("100 MB", small), ("%d MB" % args.mb, big)]
    if args.rss_mb:
        sizes.append(("%d MB" % args.rss_mb, gen(args.rss_mb)))
    for label, path in sizes:
        if label in rss:
            continue
        rss[label] = (os.path.getsize(path), peak_rss_kb(audit + ["-o", outs["1"], path]),
                      peak_rss_kb(audit + ["--tally-only", "-o", outs["3"], path])
                      if tally_only else None)

    # The 10x lexicon: the shipped entries plus 9x as many that never match.
    log("10x lexicon ...")
    syn = synthetic_lexicon(9 * nentries)
    lex10 = [EVALBIAS, "audit", "-q", "--lexicon", os.path.join(ROOT, "lexicons"),
             "--lexicon", syn]
    t10 = time_all([("shipped lexicons", audit + ["-o", outs["1"], small], None),
                    ("10x entries", lex10 + ["-o", outs["2"], small], None)], args.runs)

    # Instructions per byte: the marginal cost between a 10 and a 20 MB
    # slice, so start-up and the report's fixed cost drop out.
    ipb = {}
    stages = {}
    if not args.no_callgrind and shutil.which("valgrind"):
        log("callgrind on 10 and 20 MB slices ...")
        sl10, sl20 = slice_of(big, 10), slice_of(big, 20)
        runs = [("LC_ALL=C grep -c -i -w -F -f terms", lambda f: (grep_c(f), cenv))]
        if shutil.which("rg"):
            runs.append(("rg -c -i -w -F -f terms", lambda f: (rg_c(f), utf8)))
        if floor:
            runs.append(("libcsv alone, no-op callbacks (bench/libcsv_floor.c)",
                         lambda f: ([floor, "noop-opts", f], None)))
        runs.append(("evalbias audit", lambda f: (audit + ["-o", outs["1"], f], None)))
        if tally_only:
            runs.append(("evalbias audit --tally-only",
                         lambda f: (audit + ["--tally-only", "-o", outs["3"], f], None)))
        for k, (name, mk) in enumerate(runs):
            env = mk(sl10)[1]
            saved = os.environ.copy()
            if env:
                os.environ.update(env)
            try:
                n, st = marginal(lambda f: mk(f)[0], "m%d" % k, sl10, sl20)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            if n is not None:
                ipb[name] = n
                if name.startswith("evalbias"):
                    stages[name] = st

    # ---- report
    mbps = lambda sec: size / 1e6 / sec
    ev_wall = t["evalbias audit"][0]
    lines = []
    lines.append("# evalbias benchmark results\n")
    lines.append("Generated by `make bench` (bench/bench.py) on %s; %s." % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        subprocess.run(["sh", "-c", "nproc; uname -m"], capture_output=True,
                       text=True).stdout.replace("\n", " cores, ", 1).strip()))
    lines.append("")
    lines.append("Input: `%s`, %.1f MB (samples/generate.py --size-mb %d --no-mess, "
                 "UTF-8, default seed). Peers search %d literal terms "
                 "(bench/data/terms.txt: the shipped lexicons' words and phrases; "
                 "evalbias also matches the stems, regexes, guards and negation of "
                 "all %d entries and writes every output: excerpts.csv, "
                 "report.html, rates, comparisons, manifest)." % (
                     os.path.relpath(big, ROOT), size / 1e6, args.mb, nterms, nentries))
    lines.append("")
    lines.append("Median of %d runs each, interleaved; wall clock on a shared "
                 "2-core machine (CPU = user+sys of the process). Load averages "
                 "(1, 5, 15 min) before the timed runs: %s; after: %s." % (
                     args.runs, load0, load1))
    lines.append("")
    lines.append("| command | instructions per input byte | MB/s (CPU time) | "
                 "MB/s (wall) | evalbias time / this |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for name, _, _ in cmds:
        w, c = t[name][:2]
        ip = ipb.get(name)
        if ip is not None and name in stages:
            sha = stages[name].get("sha256_update", 0)
            ipc = "%.0f (%.0f without SHA-256)" % (ip, ip - sha)
        else:
            ipc = "%.0f" % ip if ip is not None else "-"
        lines.append("| `%s` | %s | %.0f | %.0f | %.2f |" % (
            name, ipc, mbps(c), mbps(w), ev_wall / w))
    lines.append("")
    lines.append("Instructions per input byte: callgrind, marginal between the "
                 "10 MB and 20 MB slices (bench/data/slice-10.csv, slice-20.csv), "
                 "so start-up and the report's fixed cost are not in it. Under "
                 "valgrind the input's SHA-256 runs nettle's x86-64 code without "
                 "SHA-NI; natively it is a few instructions a byte. "
                 "(\"evalbias time / this\" > 1: evalbias is that many times slower "
                 "than the command; < 1: faster.)")
    lines.append("")
    if stages:
        names = [n for n in ("evalbias audit", "evalbias audit --tally-only") if n in stages]
        lines.append("Stage by stage (marginal inclusive instructions per input byte):")
        lines.append("")
        lines.append("| stage | " + " | ".join("`%s`" % n for n in names) + " |")
        lines.append("| --- |" + " ---: |" * len(names))
        for label, fn in STAGES:
            vals = []
            for n in names:
                v = stages[n].get(fn)
                vals.append("%.1f" % v if v else "-")
            lines.append("| %s | %s |" % (label, " | ".join(vals)))
        lines.append("")
    if threads:
        m, lo, hi, n = paired(t, "evalbias audit", "evalbias audit --threads 2")
        c1, c2 = t["evalbias audit"][1], t["evalbias audit --threads 2"][1]
        lines.append("`--threads 2`: %.2fx the single-threaded throughput (wall, median "
                     "of %d paired runs, range %.2f-%.2f; CPU %.2fx); outputs %s." % (
            m, n, lo, hi, c2 / c1,
            "byte-identical" if not identical else "DIFFER: " + ", ".join(identical)))
        if tally_only:
            m, lo, hi, n = paired(t, "evalbias audit --tally-only",
                                  "evalbias audit --tally-only --threads 2")
            lines.append("")
            lines.append("`--tally-only --threads 2`: %.2fx the single-threaded "
                         "throughput (median of %d paired runs, range %.2f-%.2f); "
                         "outputs %s." % (
                m, n, lo, hi, "byte-identical" if not identical_t
                else "DIFFER: " + ", ".join(identical_t)))
        g = t.get("LC_ALL=C grep -c -i -w -F -f terms")
        if g:
            m, lo, hi, n = paired(t, "LC_ALL=C grep -c -i -w -F -f terms",
                                  "evalbias audit --threads 2")
            lines.append("")
            lines.append("`evalbias audit --threads 2` (all outputs) runs at %.2fx "
                         "the wall-clock speed of `LC_ALL=C grep -c -i -w -F -f terms` "
                         "(median of %d paired runs, range %.2f-%.2f)." % (m, n, lo, hi))
    else:
        lines.append("`--threads 2`: not available in this build.")
    lines.append("")
    lines.append("Peak RSS (`/usr/bin/time -v`, evalbias audit):")
    lines.append("")
    lines.append("| input | MB | peak RSS MB, full audit | peak RSS MB, --tally-only |")
    lines.append("| --- | ---: | ---: | ---: |")
    for label, (sz, kb, kbt) in rss.items():
        lines.append("| %s | %.0f | %s | %s |" % (label, sz / 1e6,
                     "%.1f" % (kb / 1024) if kb else "?",
                     "%.1f" % (kbt / 1024) if kbt else "-"))
    lines.append("")
    a, b = t10["shipped lexicons"], t10["10x entries"]
    lines.append("10x lexicon (100 MB input; shipped %d entries vs + %d synthetic "
                 "literal entries): %.2f s vs %.2f s wall (%.2fx), CPU %.2fx." % (
                     nentries, 9 * nentries, a[0], b[0], b[0] / a[0], b[1] / a[1]))
    lines.append("")
    lines.append("Where the time goes, before and after the optimizations, and what "
                 "is left: bench/profile.md.")
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
