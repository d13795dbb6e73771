#!/usr/bin/env python3
"""Labelling aid (not a scorer): for each source sentence, count the words that
Gaucher et al. 2011 Appendix A codes (stems as printed in
../shared/research/literature.md, '*' = any ending; a hyphenated compound is
seen part by part, except the self- compounds) and compare with the number of
gendered_wording labels of any prefix. Also lists standout/ability/grindstone
and doubt-raiser words from the published lists (Schmader 2007, Trix 2003,
Madera 2019 examples) that carry no letters/ label. Prints what to re-read."""
import re, sys
sys.path.insert(0, __import__("os").path.dirname(__file__))
from importlib import import_module
b = import_module("a-build".replace("-", "_")) if False else None
import importlib.util, os
spec = importlib.util.spec_from_file_location("ab", os.path.join(os.path.dirname(__file__), "a-build.py"))
ab = importlib.util.module_from_spec(spec); spec.loader.exec_module(ab)

MASC = """active adventurous aggress* ambitio* analy* assert* athlet* autonom* boast* challeng*
compet* confident courag* decide decisive decision* determin* dominant domina* force* greedy
headstrong hierarch* hostil* impulsive independen* individual* intellect* lead* logic masculine
objective opinion outspoken persist principle* reckless stubborn superior""".split()
MASC_SELF = ["self-confiden", "self-sufficien", "self-relian"]
FEM = """affectionate child* cheer* commit* communal compassion* connect* considerate cooperat*
depend* emotiona* empath* feminine flatterable gentle honest interpersonal interdependen*
interpersona* kind kinship loyal* modesty nag nurtur* pleasant* polite quiet* respon* sensitiv*
submissive support* sympath* tender* together* trust* understand* warm* whin* yield*""".split()

def matches(stems, w):
    for s in stems:
        if s.endswith("*"):
            if w.startswith(s[:-1]):
                return s
        elif w == s:
            return s
    return None

def gaucher(sent):
    m, f = [], []
    for tok in re.findall(r"[A-Za-z][A-Za-z'-]*", sent):
        low = tok.lower().strip("'-")
        if any(low.startswith(x) for x in MASC_SELF):
            m.append(low); continue
        for part in low.split("-"):
            if matches(MASC, part): m.append(part)
            if matches(FEM, part): f.append(part)
    return m, f

LETTERS = {
 "letters/standout": r"\b(excellen\w*|superb|outstanding|unique|exceptional\w*|unparalleled|best|wonderful|terrific|fabulous|magnificent|remarkabl\w*|extraordinar\w*|amazing|supreme\w*|unmatched|superlative|stellar|rising star|brightest|strongest|finest)\b",
 "letters/ability": r"\b(talent\w*|intelligen\w*|intellect\w*|smart\w*|skill\w*|genius|brilliant\w*|bright|aptitude|gifted|clever\w*|expert\w*|proficien\w*|capable|adept\w*|competen\w*|natural|instinct\w*|creative|insight\w*|analytical|knowledgeable|scientific)\b",
 "letters/grindstone": r"\b(hard[- ]?working|hard worker|works? hard|conscientious\w*|dependab\w*|meticulous\w*|thorough\w*|diligen\w*|dedicat\w*|careful\w*|reliab\w*|assiduous|methodical|industrious|disciplined|organi[sz]ed|work ethic|persisten\w*|tireless\w*)\b",
 "letters/doubt_raisers": r"\b(seems? to|appears? to|somewhat|fairly|adequate\w*|satisfactor\w*|has (the )?potential|minimal supervision|not the best)\b",
}

def main():
    rows = ab.parse()
    bad = 0
    for r in rows:
        m, f = gaucher(r["sentence"])
        nm = sum(1 for l in r["labels"] if l.endswith("masculine_coded"))
        nf = sum(1 for l in r["labels"] if l.endswith("feminine_coded"))
        msgs = []
        if (nm != len(m) or nf != len(f)) and not r["gw_ok"]:
            msgs.append(f"gaucher masc {m} vs {nm} labels, fem {f} vs {nf} labels")
        for cat, rx in LETTERS.items():
            found = re.findall(rx, r["sentence"], re.I)
            n = sum(1 for l in r["labels"] if l.endswith(cat))
            if found and not n and not r["gw_ok"]:
                msgs.append(f"{cat}: {found} unlabelled")
        if msgs:
            bad += 1
            print(f"{r['where']}: {r['sentence']!r}\n    labels {r['labels']}\n    " + "\n    ".join(msgs))
    print(f"{bad} of {len(rows)} to re-read")

main()
