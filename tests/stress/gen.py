#!/usr/bin/env python3
"""gen.py KIND FILE [SCALE] - write one stress input for stress.sh.
KIND: rows (1,000,000 rows), bigfield (one 100 MB comment), columns
(10,000 columns), longword (1 MB of one word without a space), quotes
(deeply repeated quotes), quotes-unterminated (a run of quotes never
closed). SCALE (default 1) shrinks the sizes for a quick try."""
import sys

kind, path = sys.argv[1], sys.argv[2]
scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
words = ("She is bossy but hardworking and pleasant; too assertive with "
         "nurses, emotional at times, lacks confidence, warm compresses "
         "applied. Not abrasive.").split()
HEAD = b"Evaluation ID,Resident,Resident Gender,Comments\r\n"

with open(path, "wb", buffering=1 << 20) as f:
    if kind == "rows":
        n = int(1_000_000 * scale)
        f.write(HEAD)
        for i in range(n):
            w = words[i % len(words)]
            w2 = words[(i * 7) % len(words)]
            f.write(b"%d,R%d,%s,\"Row %d: %s and %s, seen on call.\"\r\n" % (
                i + 1, i % 2000, b"F" if i % 2 else b"M", i, w.encode(), w2.encode()))
    elif kind == "bigfield":
        size = int(100_000_000 * scale)
        f.write(HEAD)
        f.write(b'1,R1,F,"')
        chunk = (" ".join(words) + "\n").encode()
        written = 0
        while written < size:
            f.write(chunk)
            written += len(chunk)
        f.write(b'"\r\n2,R2,M,a short bossy one\r\n')
    elif kind == "columns":
        ncol, nrow = 10_000, int(1000 * scale)
        names = [b"c%d" % i for i in range(ncol)]
        names[0], names[1], names[ncol - 1] = b"Evaluation ID", b"Resident", b"Comments"
        f.write(b",".join(names) + b"\r\n")
        mid = b",".join(b"%d" % (j % 10) for j in range(ncol - 3))
        for i in range(nrow):
            f.write(b"%d,R%d,%s,bossy and emotional row %d\r\n" % (i + 1, i % 50, mid, i))
    elif kind == "longword":
        f.write(HEAD)
        f.write(b"1,R1,F," + b"bossy" * int(200_000 * scale) + b"\r\n")
        f.write(b"2,R2,M,emotional" + b"x" * int(1_000_000 * scale) + b"\r\n")
        f.write(b"3,R3,F,too-" + b"-".join([b"assertive"] * int(100_000 * scale)) + b"\r\n")
    elif kind == "quotes":
        n = int(5_000_000 * scale)
        f.write(HEAD)
        f.write(b'1,R1,F,"' + b'""' * n + b' bossy"\r\n')     # 5M escaped quotes
        f.write(b'2,R2,M,' + b'"' * 7 + b'x' + b'"' * 1001 + b'\r\n')  # odd runs
        f.write(b'3,R3,F,' + b'5" ' * 100_000 + b'\r\n')    # stray quotes, unquoted
        f.write(b'4,R4,M,"""' * 3 + b'emotional"""' + b'\r\n')
    elif kind == "quotes-unterminated":
        f.write(HEAD)
        f.write(b'1,R1,F,bossy\r\n2,R2,M,"' + b'""' * int(5_000_000 * scale) + b'\r\n')
    else:
        sys.exit("unknown kind " + kind)
