#!/usr/bin/env python3
"""make-cases.py - write tests/conformance/cases/: the reader's deliberate
choices where RFC 4180 and csv-spectrum say nothing, and the encodings.
Each case is NAME.csv with NAME.json (the records, as csv-spectrum's json/
files), or NAME.err (a substring of the expected error; exit 2), plus
optional NAME.opt (reader_dump options) and NAME.warn (a warning substring).
The expected values are written here from the rule, not copied from the
reader's output. Run it after changing a case; commit its output."""
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "cases")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))


def case(name, data, records=None, err=None, opt=None, warn=None):
    open(os.path.join(out, name + ".csv"), "wb").write(data)
    if records is not None:
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False, indent=1)
            f.write("\n")
    if err is not None:
        open(os.path.join(out, name + ".err"), "w").write(err)
    if opt is not None:
        open(os.path.join(out, name + ".opt"), "w").write(opt)
    if warn is not None:
        open(os.path.join(out, name + ".warn"), "w").write(warn)


def recs(header, *rows):
    return [dict(zip(header, r)) for r in rows]


H = ["id", "comment"]
text = "Café “warm” — naïve 😀 over-emotional\r\nsecond line"
rows = [["1", text], ["2", "plain, with comma"], ["3", 'say "hi"']]


def csv_of(header, rows, nl="\r\n"):
    def q(v):
        if any(c in v for c in ',"\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v
    return nl.join(",".join(q(v) for v in r) for r in [header] + rows) + nl


body = csv_of(H, rows)
# Dialect choices.
case("bom-utf8", b"\xef\xbb\xbf" + body.encode(), recs(H, *rows))
case("blank-lines-ignored", b"id,comment\n\n1,a\n\n\n2,b\n\n",
     recs(H, ["1", "a"], ["2", "b"]))
case("spaces-kept", b"id,comment\n 1 ,  two words  \n",
     recs(H, [" 1 ", "  two words  "]))
case("trailing-empty-columns", b"id,comment,,\n1,a,,\n2,b\n",
     recs(H, ["1", "a"], ["2", "b"]))
case("lf-and-crlf-mixed", b"id,comment\r\n1,a\n2,\"x\r\ny\"\r\n",
     recs(H, ["1", "a"], ["2", "x\r\ny"]))
case("no-final-newline", b"id,comment\n1,last",
     recs(H, ["1", "last"]))
case("quote-inside-unquoted-field", b'id,comment\n1,5" tall\n',
     recs(H, ["1", '5" tall']))
case("empty-quoted-fields", b'id,comment\n"",""\n1,""\n',
     recs(H, ["", ""], ["1", ""]))
case("ragged-row-error", b"id,comment\n1,a,extra\n",
     err="ragged row 2: 3 fields, header has 2")
case("unterminated-quote", b'id,comment\n1,"never closed\n2,b\n',
     err="unterminated quoted field starting at row 2 (line 2)")
case("header-only-bom", b"\xef\xbb\xbf", err="file is empty: no header row")
# Encodings.
case("utf16le-bom", b"\xff\xfe" + body.encode("utf-16-le"), recs(H, *rows))
case("utf16be-bom", b"\xfe\xff" + body.encode("utf-16-be"), recs(H, *rows))
case("utf16le-lone-surrogate",
     b"\xff\xfe" + "id,comment\n1,a".encode("utf-16-le") + b"\x00\xd8"
     + "b\n".encode("utf-16-le"),
     recs(H, ["1", "a\ufffdb"]), warn="invalid UTF-16")
case("utf16le-odd-byte", b"\xff\xfe" + "id,comment\n1,a".encode("utf-16-le")
     + b"x", recs(H, ["1", "a\ufffd"]), warn="invalid UTF-16")
case("utf16le-under-utf8", b"\xff\xfe" + body.encode("utf-16-le"),
     err="file is UTF-16LE (byte order mark FF FE), not utf-8: use "
     "--encoding auto", opt="--encoding utf-8")
case("utf16le-no-bom", body.encode("utf-16-le"),
     err="looks like UTF-16LE without a byte order mark")
case("utf16le-no-bom-forced", body.encode("utf-16-le"), recs(H, *rows),
     opt="--encoding utf-16le")
case("utf16be-no-bom-forced", body.encode("utf-16-be"), recs(H, *rows),
     opt="--encoding utf-16be")
case("utf16le-bom-forced-le", b"\xff\xfe" + body.encode("utf-16-le"),
     recs(H, *rows), opt="--encoding utf-16le")
case("utf16le-bom-forced-be", b"\xff\xfe" + body.encode("utf-16-le"),
     err="file has a UTF-16LE byte order mark (FF FE), not utf-16be",
     opt="--encoding utf-16be")
case("utf8-bom-forced-utf16", b"\xef\xbb\xbf" + body.encode(),
     err="file has a UTF-8 byte order mark, not UTF-16",
     opt="--encoding utf-16le")
case("utf32le-bom", b"\xff\xfe\x00\x00" + body.encode("utf-32-le"),
     err="UTF-32")
cp = "Café “warm” — naïve"
case("windows-1252-detected", ("id,comment\n1," + cp + "\n").encode("cp1252"),
     recs(H, ["1", cp]), warn="reading the file as windows-1252")
case("windows-1252-forced", ("id,comment\n1,é\n").encode("utf-8"),
     recs(H, ["1", "Ã©"]), opt="--encoding windows-1252")
case("utf8-later-invalid", b"id,comment\n1,caf\xc3\xa9\n2,bad \xe9 byte\n",
     recs(H, ["1", "café"], ["2", "bad \ufffd byte"]),
     warn="invalid UTF-8 byte 0xE9 at row 3, column \"comment\", byte 5")
case("utf8-strict-invalid", b"id,comment\n1,caf\xc3\xa9\n2,bad \xe9 byte\n",
     err="invalid UTF-8 byte 0xE9 at row 3, column \"comment\", byte 5 of "
     "the field", opt="--encoding utf-8")
case("nul-byte", b"id,comment\n1,a\x00b\n", recs(H, ["1", "a\ufffdb"]),
     warn="NUL byte at row 2")
# Markus Kuhn's UTF-8 decoder stress test as one quoted field: every
# ill-formed sequence becomes U+FFFD per "maximal subpart" (Unicode ch. 3,
# the practice Python's decoder follows), everything else passes unchanged.
kuhn = open(os.path.join(here, "kuhn", "UTF-8-test.txt"), "rb").read()
case("kuhn-utf8-test",
     b'id,comment\n1,"' + kuhn.replace(b'"', b'""') + b'"\n',
     recs(H, ["1", kuhn.decode("utf-8", "replace")]),
     warn="invalid UTF-8 byte")
case("kuhn-utf8-test-strict",
     b'id,comment\n1,"' + kuhn.replace(b'"', b'""') + b'"\n',
     err="invalid UTF-8 byte 0x", opt="--encoding utf-8")
