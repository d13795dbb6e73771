#!/usr/bin/env python3
"""Build heldapart/part-a.csv from the hand-written source files a-*.txt.

Source line:  KIND|SPEC|sentence|labels   (blank lines and '#' lines skipped)
KIND: P positive, D deficit, TC trap-clinical, TR trap-referent,
      TQ trap-quotation, TN trap-negation, N neutral
SPEC: su im em pe ob ps an fm ge
labels: space-separated aliases (below), each optionally prefixed n: (negated),
        o: (other referent), q: (quoted); one alias per expected hit.
In the sentence, the two characters \\n stand for a line break.
A trailing '#gw-ok' on a line says its gendered_wording labels were checked by
hand against a_check.py's count (a non-person sense such as "lead to").
"""
import csv, glob, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
KIND = {"P": "positive", "D": "deficit", "TC": "trap-clinical", "TR": "trap-referent",
        "TQ": "trap-quotation", "TN": "trap-negation", "N": "neutral"}
SPEC = {"su": "surgery", "im": "im", "em": "em", "pe": "peds", "ob": "obgyn", "ps": "psych",
        "an": "anesth", "fm": "fm", "ge": "general"}
ALIAS = {"PC": "personality/personality_criticism", "PL": "personality/practice_list",
         "AG": "agentic_communal/agentic", "CM": "agentic_communal/communal",
         "CF": "confidence/confidence", "VA": "confidence/voice_autonomy",
         "LF": "personal_life/personal_life", "AP": "personal_life/appearance",
         "SO": "letters/standout", "AB": "letters/ability", "GR": "letters/grindstone",
         "DR": "letters/doubt_raisers", "MC": "gendered_wording/masculine_coded",
         "FC": "gendered_wording/feminine_coded", "PR": "development/prescriptive"}
PRE = {"n": "negated:", "o": "other:", "q": "quoted:"}


def parse():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "a-*.txt"))):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            gw_ok = line.endswith("#gw-ok")
            if gw_ok:
                line = line[: -len("#gw-ok")].rstrip()
            parts = line.split("|")
            if len(parts) != 4:
                sys.exit(f"{path}:{n}: {len(parts)} fields")
            k, s, sent, labs = (p.strip() for p in parts)
            if k not in KIND or s not in SPEC:
                sys.exit(f"{path}:{n}: kind/spec {k!r} {s!r}")
            labels = []
            for t in labs.split():
                pre = ""
                if ":" in t:
                    p, t = t.split(":", 1)
                    if p not in PRE:
                        sys.exit(f"{path}:{n}: prefix {p!r}")
                    pre = PRE[p]
                if t not in ALIAS:
                    sys.exit(f"{path}:{n}: alias {t!r}")
                labels.append(pre + ALIAS[t])
            out.append(dict(kind=KIND[k], specialty=SPEC[s], sentence=sent.replace("\\n", "\n"),
                            labels=labels, where=f"{os.path.basename(path)}:{n}", gw_ok=gw_ok))
    return out


if __name__ == "__main__":
    rows = parse()
    dst = os.path.join(os.path.dirname(HERE), "part-a.csv")
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "specialty", "kind", "sentence", "expected"])
        for i, r in enumerate(rows, 1):
            w.writerow([f"a{i:04d}", r["specialty"], r["kind"], r["sentence"], ";".join(r["labels"])])
    print(f"{dst}: {len(rows)} sentences")
