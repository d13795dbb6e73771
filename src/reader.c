/* reader.c - CSV bytes -> records of valid UTF-8 fields (see reader.h).
 *
 * The reader is the first stage of the pipeline. libcsv does the CSV
 * grammar; this file adds what libcsv does not know about: the header,
 * encodings, physical line numbers, ragged rows, and a pull interface.
 *
 * Reading. The file is read in 256 KiB chunks and each chunk is pushed
 * through csv_parse(). libcsv calls on_field() when a field ends and
 * on_record() when a record ends. Those callbacks decode each field straight
 * into one growing byte arena (fields NUL-separated) and append an
 * (offset, length) pair; a completed record becomes one entry of a queue.
 * reader_next() hands the queued records out one by one and reads the next
 * chunk only when the queue is empty, so memory is bounded by one chunk's
 * worth of records (or by the largest record), never by the file. Nothing is
 * allocated per field: the arena, the field array and the queue are reused
 * from chunk to chunk; the fields of a record still being parsed when a
 * chunk ends are moved to the front of the arena (compact()). Row counts,
 * skips and warnings follow the records handed out; the encoding name and
 * bytes read run up to one chunk ahead of them. Each chunk is also fed to
 * SHA-256 as it is read (reader_sha256), so the manifest's hash of the
 * input needs no second pass over the file.
 *
 * Line numbers without scanning the input. The parser runs with
 * CSV_REPALL_NL, so every newline outside a quoted field reaches on_record()
 * (a blank line is a "record" with no fields, which we drop). Every other
 * newline is inside a quoted field and so is in that field's content, which
 * decode_field() walks anyway. Hence: line = 1 + newlines inside completed
 * fields + '\n' record terminators seen. When a field's callback fires, all
 * newlines before the field are counted, so r->line is the line where the
 * field began, and the record's line is that of its first field. A pending
 * unterminated quoted field at EOF starts on r->line for the same reason.
 * (Old-Mac files with bare CR line ends all read as line 1.)
 *
 * Encoding. Every byte >= 0x80 (and every NUL and '\n') leaves the fast
 * ASCII loop in decode_field(). Under READER_ENC_AUTO the encoding is
 * undecided ("ascii") until the first non-ASCII sequence: if it is valid
 * UTF-8 the file is UTF-8; if not, the file is Windows-1252 from that byte on,
 * and since everything before it was ASCII, which both encodings read alike,
 * nothing needs re-reading. Decisions and replacements are warnings, queued
 * with the record they belong to and handed to the caller with it. A
 * UTF-16 file (byte order mark FF FE or FE FF) is transcoded to UTF-8 a
 * chunk at a time before libcsv sees it (utf16_chunk()), so everything
 * after that point - fields, lines, warnings - works on UTF-8.
 *
 * Blank lines. Empty lines are not records. A line holding a single field of
 * only spaces/tabs (or a lone "") is also taken as blank unless the file has
 * exactly one column, where it can be a real (empty) value.
 *
 * Rows. A spreadsheet row is every record end, blank lines included; the
 * CR and LF of a CRLF, which libcsv reports apart, are one (on_record).
 *
 * Delimiter. Before the first chunk reaches libcsv, detect_delimiter()
 * splits its first 64 KiB with each candidate using throwaway libcsv
 * parsers and sets the winner on the real one (rule in reader.h).
 *
 * Header. Non-blank records queue up raw until the header is decided
 * (decide(): after HEADER_SCAN_ROWS records, at the row --header-row
 * names, or at EOF), since the header can only be told from a title line
 * by the rows that follow it. Messages about those records name columns by
 * a marker that resolve_columns() replaces once the names are known. The
 * header's trailing empty names are dropped (spreadsheets write trailing
 * commas), so their data columns must be empty too. Empty names in the
 * middle and duplicate names are allowed, with a warning.
 *
 * Reading in chunks (reader.h). A paused reader feeds its next read to
 * libcsv line by line until a newline leaves libcsv between records
 * (pstate ROW_NOT_BEGUN, no field pending): that offset is a record
 * boundary, and line, srow, prev_c ('\n') and the encoding decision are
 * all the state a reader carries across one. A chunk reader starts from
 * such a state over a mapped file (fill_mem) and cuts its pieces where
 * the serial reader's reads end, so the record size check and the bound
 * on held warnings (WQ_ADD) fall on the same offsets.
 *
 * Workbooks. A file starting with a zip signature is an .xlsx: xlsx.c
 * reads its sheet, and fill_xlsx() feeds each sheet row through the same
 * take_record() path as a CSV record, so header detection, the queue, row
 * accounting and ragged rows work alike; rows shorter than the header are
 * padded with empty spans in reader_next (qrec.nreal).
 */
#include "reader.h"
#include "hashmap.h"
#include "outfile.h"
#include "sha256.h"
#include "util.h"
#include "xlsx.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Bytes read per chunk. The fuzz build (make fuzz) sets a tiny chunk so
 * that every boundary case - a field, a CRLF, a UTF-8 or UTF-16 sequence
 * split across two reads - is met on short inputs. Keep it even (UTF-16
 * code units are never split) and at least 4 (the BOM checks). */
#ifdef READER_CHUNK_BYTES
#define CHUNK READER_CHUNK_BYTES
#else
#define CHUNK (256 * 1024)
#endif
#define WARN_QUEUE_LIMIT 256 /* warnings held per batch before counting drops */
#define CSV_OPTS (CSV_APPEND_NULL | CSV_REPALL_NL)

static const char FFFD[] = "\xEF\xBF\xBD"; /* U+FFFD REPLACEMENT CHARACTER */

/* Queue a warning. At most WARN_QUEUE_LIMIT are held per read of CHUNK
 * bytes (the rest are dropped, counted): wq.n since the last read began,
 * plus woff, those of the same read a chunk reader does not hold (the
 * reader before it had them, or it handed them out at a cut). */
#define WQ_ADD(r, ...)                                                     \
    do {                                                                   \
        if ((r)->wq.n + (r)->woff >= WARN_QUEUE_LIMIT)                     \
            (r)->wq.dropped++;                                             \
        else                                                               \
            diags_add(&(r)->wq, __VA_ARGS__);                              \
    } while (0)

enum enc { ENC_ASCII, ENC_UTF8, ENC_CP1252 };

struct fref {      /* one decoded field: r->arena.p[off .. off+len) */
    size_t off, len;
};

struct qrec {      /* one completed record waiting to be handed out */
    size_t field0, nfields;  /* its fields: r->fr[field0 .. field0+nreal) */
    size_t nreal;            /* ... then empty ones up to nfields (xlsx) */
    unsigned long row, line;
    size_t wmark;            /* r->wq.n when it ended: its warnings precede */
    const char *skip;        /* non-NULL: a skipped row, with this reason */
};

struct skipped {
    unsigned long row;
    const char *reason;      /* interned in r->reasons */
};

struct reader {
    FILE *f;
    char *name;              /* for diagnostics: the path, or "<stdin>" */
    struct reader_options opt;
    struct csv_parser csv;
    unsigned char *chunk;
    uint64_t bytes_read, bytes_total;
    struct sha256 sha;       /* of every byte read, as read (reader_sha256) */
    int started, eof, failed, have_header, bom;
    int utf16;               /* 0; 1 UTF-16LE, 2 UTF-16BE (from the BOM) */
    unsigned char u16carry[4]; /* bytes of a unit or pair split by a chunk */
    size_t nu16carry;
    struct buf u16out;       /* the chunk transcoded to UTF-8 */
    enum enc enc;
    struct diag err;         /* the pending error, once failed */

    /* Parse position, kept by the libcsv callbacks. */
    unsigned long line;      /* physical line the parser has reached */
    unsigned long srow;      /* spreadsheet rows completed, blank included */
    int prev_c;              /* how the last record ended ('\r', '\n') */
    int resolved;            /* column markers resolved (coldesc) */
    size_t rec_field0;       /* first fref of the record being parsed */
    unsigned long rec_line;  /* line where that record began */

    /* The batch: decoded fields and the queue of completed records. */
    struct buf arena;
    struct fref *fr;
    size_t nfr, capfr;
    struct qrec *q;
    size_t nq, capq, qhead;
    struct diags wq;         /* warnings not yet handed out, in file order */
    size_t wq_head;
    size_t woff;             /* see WQ_ADD */
    struct span *spans;      /* the record handed out last */
    size_t capspans;
    struct record rec;

    struct reader_format fmt;
    xlsx *xl;                /* an Excel workbook's sheet, or NULL (CSV) */
    struct buf xbuf;         /* a workbook read from a pipe, in memory */

    struct strvec cols;
    struct skipped *skips;
    size_t nskips, capskips;
    struct strvec reasons;
    unsigned long rows_read;

    /* Parallel parse (reader.h, "Reading in chunks"). A chunk reader reads
     * mem[mem_pos ..] of a mapped file up to the first record boundary at
     * or after mem_stop; a paused reader stops at a record boundary. */
    const unsigned char *mem;
    uint64_t mem_size, mem_pos, mem_stop;
    int pause, paused;
    uint64_t boundary;       /* paused: its file offset */
    int split;               /* chunk readers read the rest of the input */
};

/* ======================= Encodings ======================================== */

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. 0xA0..0xFF are
 * Latin-1, i.e. equal to their code points. */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Append the UTF-8 form of cp1252 byte c (>= 0x80); 1 if it was undefined
 * and became U+FFFD. */
static int put_cp1252(struct buf *out, unsigned char c)
{
    unsigned cp = c < 0xA0 ? cp1252_hi[c - 0x80] : c;
    char u[3];
    if (cp == 0) {
        buf_append(out, FFFD, 3);
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_append(out, u, 2);
    } else {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_append(out, u, 3);
    }
    return 0;
}

size_t reader_cp1252_to_utf8(const char *s, size_t n, struct buf *out)
{
    size_t run = 0, nrepl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            continue;
        buf_append(out, s + run, i - run);
        nrepl += (size_t)put_cp1252(out, c);
        run = i + 1;
    }
    buf_append(out, s + run, n - run);
    return nrepl;
}

/* Length of the well-formed UTF-8 sequence starting at s[0] (s[0] >= 0x80),
 * or 0 if it is ill-formed, with *bad = the length of its "maximal subpart"
 * (the bytes one U+FFFD replaces, as Unicode ch. 3 recommends). The ranges
 * are Unicode's Table 3-7, so overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * surrogates (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..FF)
 * are all ill-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80, hi = 0xBF;
    }
    return need + 1;
}

size_t reader_utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, bad;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(u + i, n - i, &bad);
        if (!k)
            return i;
        i += k;
    }
    return n;
}


/* ======================= Diagnostics ====================================== */

static void fail(reader *r, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(reader *r, unsigned long line, const char *fmt, ...)
{
    if (r->failed)
        return; /* the first error is the one that matters */
    char msg[sizeof r->err.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(&r->err, DIAG_ERROR, r->name, line, 0, "%s", msg);
    r->failed = 1;
}

/* "column "Strengths"" once the header is known and names it, else
 * "column 8" (1-based). Before the header is decided (it may be below the
 * row the message is about) the column is a marker, \1N\2, which
 * resolve_columns() turns into its name once the header is known. */
static const char *coldesc(const reader *r, size_t col, char *tmp, size_t n)
{
    if (!r->have_header && !r->resolved)
        snprintf(tmp, n, "\001%zu\002", col + 1);
    else if (r->have_header && col < r->cols.n)
        snprintf(tmp, n, "column \"%.100s\"", r->cols.v[col]);
    else
        snprintf(tmp, n, "column %zu", col + 1);
    return tmp;
}

static void resolve_msg(reader *r, char *msg, size_t cap)
{
    char *a;
    while ((a = strchr(msg, '\001')) != NULL) {
        char *e;
        size_t col = strtoul(a + 1, &e, 10);
        if (*e != '\002' || col == 0)
            break;
        char desc[128], rest[sizeof r->err.msg];
        if (r->have_header && col - 1 < r->cols.n)
            snprintf(desc, sizeof desc, "column \"%.100s\"",
                     r->cols.v[col - 1]);
        else
            snprintf(desc, sizeof desc, "column %zu", col);
        snprintf(rest, sizeof rest, "%s", e + 1);
        *a = '\0';
        snprintf(a, cap - (size_t)(a - msg), "%s%s", desc, rest);
    }
}

/* The header is decided (or never will be): name the columns in the
 * messages written before. */
static void resolve_columns(reader *r)
{
    for (size_t i = r->wq_head; i < r->wq.n; i++)
        resolve_msg(r, r->wq.v[i].msg, sizeof r->wq.v[i].msg);
    resolve_msg(r, r->err.msg, sizeof r->err.msg);
    r->resolved = 1;
}

/* Hand the queued warnings before `mark` to warn (which may be NULL). */
static void handout(reader *r, size_t mark, struct diags *warn)
{
    for (; r->wq_head < mark; r->wq_head++) {
        const struct diag *d = &r->wq.v[r->wq_head];
        if (warn)
            diags_add(warn, d->sev, d->file, d->line, d->col, "%s", d->msg);
    }
    /* Drops happen only once the queue is full, so they come after every
     * held warning: report them when those are out. */
    if (r->wq_head == r->wq.n && r->wq.dropped) {
        if (warn)
            warn->dropped += r->wq.dropped;
        r->wq.dropped = 0;
    }
}

/* ======================= Field and record callbacks ======================= */

/* Index of the first byte at or after i that is not plain ASCII (0x01..0x7F
 * except '\n'), or n. Plain runs are copied later in bulk. Sixteen bytes at
 * a time with SSE2 (every x86-64 has it), then eight: a word is plain unless
 * some byte has its high bit set, is NUL or is '\n' (the "haszero" test
 * from Bit Twiddling Hacks). This loop is most of our per-byte work, so it
 * matters for throughput. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
    const __m128i vnl = _mm_set1_epi8('\n'), vzero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i bad = _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(v, vnl),
                                                   _mm_cmpeq_epi8(v, vzero)));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80;
    const uint64_t nls = ones * '\n';
    for (; i + 8 <= n; i += 8) {
        uint64_t v, x;
        memcpy(&v, s + i, 8);
        x = v ^ nls;
        if ((((v - ones) & ~v) | ((x - ones) & ~x) | v) & highs)
            break;
    }
    while (i < n && (unsigned char)(s[i] - 1) < 0x7F && s[i] != '\n')
        i++;
    return i;
}

/* Decode the raw field s[0..n), column col of the current record, onto the
 * arena followed by a NUL, and count its newlines into r->line. Returns -1
 * (r->err set) on invalid UTF-8 under READER_ENC_UTF8. */
static int decode_field(reader *r, const unsigned char *s, size_t n,
                        size_t col)
{
    struct buf *a = &r->arena;
    unsigned long row = r->srow + 1, line = r->line;
    size_t run = 0, i = 0, nl = 0, nbad = 0, badat = 0, nnul = 0, nulat = 0;
    unsigned char badbyte = 0;
    const char *badwhat = "";
    char cd[128];

    while ((i = skip_plain(s, i, n)) < n) {
        unsigned char c = s[i];
        if (c == '\n') {
            nl++, i++;
            continue;
        }
        if (c == 0) { /* fields must be C strings downstream */
            buf_append(a, s + run, i - run);
            buf_append(a, FFFD, 3);
            if (!nnul++)
                nulat = i;
            run = ++i;
            continue;
        }
        if (r->enc != ENC_CP1252) {
            size_t bad, k = utf8_seq(s + i, n - i, &bad);
            if (k) {
                if (r->enc == ENC_ASCII)
                    r->enc = ENC_UTF8; /* first non-ASCII is UTF-8: decided */
                i += k;
                continue;
            }
            if (r->opt.encoding == READER_ENC_UTF8) {
                fail(r, line,
                     "invalid UTF-8 byte 0x%02X at row %lu, %s, byte %zu of "
                     "the field", c, row, coldesc(r, col, cd, sizeof cd), i + 1);
                return -1;
            }
            if (r->enc == ENC_ASCII) {
                /* Not UTF-8 on its first non-ASCII byte: an Excel export in
                 * Windows-1252. Decode this byte again in the new encoding. */
                r->enc = ENC_CP1252;
                WQ_ADD(r, DIAG_WARNING, r->name, line, 0,
                          "not UTF-8: byte 0x%02X at row %lu, %s, byte %zu of "
                          "the field; reading the file as windows-1252", c,
                          row, coldesc(r, col, cd, sizeof cd), i + 1);
                continue;
            }
            buf_append(a, s + run, i - run);
            buf_append(a, FFFD, 3);
            if (!nbad++)
                badat = i, badbyte = c, badwhat = "invalid UTF-8 byte";
            run = i += bad;
            continue;
        }
        buf_append(a, s + run, i - run);
        if (put_cp1252(a, c) && !nbad++)
            badat = i, badbyte = c, badwhat = "undefined windows-1252 byte";
        run = ++i;
    }
    /* The last run and the field's NUL, in one reservation (most fields
     * are one plain run: this is their only copy). */
    size_t tail = n - run;
    buf_reserve(a, tail + 1);
    if (tail)
        memcpy(a->p + a->len, s + run, tail);
    a->len += tail;
    a->p[a->len++] = '\0';
    a->p[a->len] = '\0'; /* struct buf's own terminator */

    /* One warning per field and kind, not per byte: a mis-encoded column
     * would otherwise flood the list. */
    if (nbad)
        WQ_ADD(r, DIAG_WARNING, r->name, line, 0,
                  "%s 0x%02X at row %lu, %s, byte %zu of the field; replaced "
                  "with U+FFFD (%zu in this field)", badwhat, badbyte, row,
                  coldesc(r, col, cd, sizeof cd), badat + 1, nbad);
    if (nnul)
        WQ_ADD(r, DIAG_WARNING, r->name, line, 0,
                  "NUL byte at row %lu, %s, byte %zu of the field; replaced "
                  "with U+FFFD (%zu in this field)", row,
                  coldesc(r, col, cd, sizeof cd), nulat + 1, nnul);
    r->line += nl;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->failed)
        return; /* libcsv finishes the chunk; we ignore the rest */
    size_t col = r->nfr - r->rec_field0;
    if (col == 0)
        r->rec_line = r->line;
    if (r->nfr == r->capfr)
        grow(&r->fr, &r->capfr, r->nfr + 1, sizeof *r->fr);
    static const unsigned char none[1];
    size_t off = r->arena.len;
    if (decode_field(r, s ? (const unsigned char *)s : none, len, col) < 0)
        return;
    r->fr[r->nfr++] = (struct fref){off, r->arena.len - off - 1};
}

static int is_blank(const reader *r, size_t nf)
{
    if (nf != 1 || (r->have_header && r->cols.n == 1))
        return 0;
    const struct fref *f = &r->fr[r->rec_field0];
    for (size_t i = 0; i < f->len; i++)
        if (r->arena.p[f->off + i] != ' ' && r->arena.p[f->off + i] != '\t')
            return 0;
    return 1;
}

static void set_header(reader *r, const struct strvec *names,
                       unsigned long line)
{
    size_t nf = names->n;
    while (nf > 0 && !*names->v[nf - 1])
        nf--; /* trailing empty names: spreadsheet padding */
    if (nf == 0) {
        fail(r, line, "header row has no column names");
        return;
    }
    /* Duplicates by a hash of the names, not by comparing every pair: a
     * header of 100,000 columns would take minutes. */
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < nf; i++) {
        const char *name = names->v[i];
        strvec_push(&r->cols, name);
        if (!*name) {
            WQ_ADD(r, DIAG_WARNING, r->name, line, 0,
                      "empty column name (column %zu)", i + 1);
            continue;
        }
        int added;
        size_t *j = strmap_put(&seen, name, strlen(name), i, &added);
        if (!added)
            WQ_ADD(r, DIAG_WARNING, r->name, line, 0,
                      "duplicate column name \"%.100s\" (columns %zu and "
                      "%zu)", name, *j + 1, i + 1);
    }
    strmap_fini(&seen);
    r->have_header = 1;
}

static const char *intern_reason(reader *r, const char *s)
{
    for (size_t i = 0; i < r->reasons.n; i++)
        if (strcmp(r->reasons.v[i], s) == 0)
            return r->reasons.v[i];
    strvec_push(&r->reasons, s);
    return r->reasons.v[r->reasons.n - 1];
}

/* A data record against the header: kept (0), or skipped as ragged (1), or
 * an error under READER_BAD_ROW_ERROR (-1). A CSV record needs a field for
 * every column; an xlsx row is padded (Excel leaves empty cells out). Extra
 * fields must be empty in both. */
static int classify(reader *r, struct qrec *q)
{
    size_t ncol = r->cols.n, nf = q->nreal;
    int ragged = !r->xl && nf < ncol;
    for (size_t i = ncol; i < nf && !ragged; i++)
        ragged = r->fr[q->field0 + i].len != 0;
    if (ragged && r->opt.on_bad_row == READER_BAD_ROW_ERROR) {
        fail(r, r->xl ? 0 : q->line, "ragged row %lu: %zu fields, header "
             "has %zu", q->row, nf, ncol);
        return -1;
    }
    q->nfields = ncol;
    if (q->nreal > ncol)
        q->nreal = ncol;
    if (ragged) {
        char why[96];
        snprintf(why, sizeof why, "ragged: %zu fields, header has %zu", nf,
                 ncol);
        q->skip = intern_reason(r, why);
        q->nfields = q->nreal = 0;
    }
    return ragged;
}

/* ----------------------- Header detection ---------------------------------
 * Until the header is known, records queue up raw (all their fields, no
 * check). decide() runs once HEADER_SCAN_ROWS of them are queued, or the
 * row named by header_row is reached, or at EOF; it picks the header, drops
 * the rows above it, and classifies the rest like any later record. */

static const char *field_at(const reader *r, const struct qrec *q, size_t i)
{
    return r->arena.p + r->fr[q->field0 + i].off;
}

/* "12", "-3.5", "3,5", "1,234.5", "80%": a value, not a column name. */
static int is_numeric(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '+' || *s == '-')
        s++;
    int digits = 0;
    for (; (*s >= '0' && *s <= '9') || *s == '.' || *s == ','; s++)
        digits |= *s >= '0' && *s <= '9';
    if (*s == '%')
        s++;
    while (*s == ' ' || *s == '\t')
        s++;
    return digits && !*s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct non-empty, non-numeric fields of q; *all_ok is set when no
 * non-empty field is numeric or repeated. */
static size_t name_like(const reader *r, const struct qrec *q, int *all_ok)
{
    const char **v = xmalloc((q->nreal ? q->nreal : 1) * sizeof *v);
    size_t n = 0, distinct = 0;
    int ok = 1;
    for (size_t i = 0; i < q->nreal; i++) {
        const char *f = field_at(r, q, i);
        if (!*f)
            continue;
        if (is_numeric(f))
            ok = 0;
        else
            v[n++] = f;
    }
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            distinct++;
        else
            ok = 0;
    free(v);
    *all_ok = ok;
    return distinct;
}

/* Width of q without its trailing empty fields. */
static size_t width(const reader *r, const struct qrec *q)
{
    size_t w = q->nreal;
    while (w > 0 && r->fr[q->field0 + w - 1].len == 0)
        w--;
    return w;
}

/* Would row d be read, not skipped as ragged, under header h? */
static int fits(const reader *r, const struct qrec *h, const struct qrec *d)
{
    size_t hw = width(r, h);
    return (r->xl || d->nreal >= hw) && width(r, d) <= hw;
}

static size_t detect_header(const reader *r, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int ok;
        if (name_like(r, &r->q[k], &ok) < 2 || !ok)
            continue;
        size_t follow = n - k - 1 < 3 ? n - k - 1 : 3;
        for (size_t j = 1; j <= follow; j++)
            if (fits(r, &r->q[k], &r->q[k + j]))
                return k;
    }
    for (size_t k = 0; k < n; k++) {
        int ok;
        if (name_like(r, &r->q[k], &ok) >= 2)
            return k;
    }
    return 0;
}

/* The header's names: its fields, combined with a merged group row above
 * it in a workbook (the rule is in reader.h). */
static void header_names(reader *r, size_t k, struct strvec *names)
{
    const struct qrec *h = &r->q[k];
    const struct qrec *up = k > 0 && r->xl && r->q[k - 1].row + 1 == h->row
                                ? &r->q[k - 1] : NULL;
    const struct xlsx_merge *m = r->xl ? xlsx_merges(r->xl) : NULL;
    size_t nm = r->xl ? xlsx_nmerges(r->xl) : 0, w = h->nreal;
    int grouped = 0;
    for (size_t i = 0; up && i < nm; i++)
        if (m[i].row0 == up->row && m[i].col1 > m[i].col0) {
            grouped = 1;
            if (m[i].col1 > w)
                w = m[i].col1;
        }
    if (grouped && up->nreal > w)
        w = up->nreal;
    struct buf b = {0};
    for (size_t c = 0; c < w; c++) {
        const char *own = c < h->nreal ? field_at(r, h, c) : "";
        const char *above = grouped && c < up->nreal ? field_at(r, up, c) : "";
        const char *group = NULL;
        for (size_t i = 0; grouped && i < nm && !group; i++)
            if (m[i].row0 == up->row && m[i].col1 > m[i].col0 &&
                c + 1 >= m[i].col0 && c + 1 <= m[i].col1)
                group = m[i].col0 - 1 < up->nreal
                            ? field_at(r, up, m[i].col0 - 1) : "";
        buf_clear(&b);
        if (group && *group && *own)
            buf_printf(&b, "%s / %s", group, own);
        else if (group && *group)
            buf_puts(&b, group);
        else
            buf_puts(&b, *own ? own : above);
        strvec_push(names, buf_cstr(&b));
    }
    buf_fini(&b);
}

static void decide(reader *r)
{
    size_t n = r->nq, k = 0;
    unsigned long want = r->opt.header_row;
    if (n == 0)
        return; /* nothing but blank lines: the caller says so */
    if (want) {
        while (k < n && r->q[k].row < want)
            k++;
        if (k == n) {
            fail(r, 0, "--header-row %lu: the file has no row %lu (its last "
                 "non-blank row is %lu)", want, want, r->q[n - 1].row);
            return;
        }
        if (r->q[k].row != want) {
            fail(r, 0, "--header-row %lu: row %lu is blank", want, want);
            return;
        }
    } else {
        k = detect_header(r, n);
    }
    struct strvec names = {0};
    header_names(r, k, &names);
    set_header(r, &names, r->q[k].line);
    strvec_fini(&names);
    if (!r->have_header)
        return;
    r->fmt.header_row = r->q[k].row;
    r->fmt.header_detected = !want;
    r->fmt.rows_above = k;
    resolve_columns(r);
    for (size_t i = k + 1; i < n; i++)
        if (classify(r, &r->q[i]) < 0) {
            n = i; /* the rows before the bad one are still handed out */
            break;
        }
    r->nq = n;
    r->qhead = k + 1;
}

/* A non-blank record is complete (fields r->fr[rec_field0 ..]): queue it
 * raw before the header is known, else classify it. Returns 1 if its
 * fields stay in the arena. */
static int take_record(reader *r, size_t nf, unsigned long row,
                       unsigned long line)
{
    grow(&r->q, &r->capq, r->nq + 1, sizeof *r->q);
    struct qrec *q = &r->q[r->nq];
    *q = (struct qrec){r->rec_field0, nf, nf, row, line, r->wq.n, NULL};
    if (!r->have_header) {
        r->nq++;
        if (r->opt.header_row ? row >= r->opt.header_row
                              : r->nq >= HEADER_SCAN_ROWS)
            decide(r);
        return 1;
    }
    int c = classify(r, q);
    if (c < 0)
        return 0;
    r->nq++;
    return c == 0;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    if (r->failed)
        return;
    size_t nf = r->nfr - r->rec_field0;
    int keep = 0;
    /* Spreadsheet rows: every record end, blank lines included, except the
     * LF of a CRLF (libcsv reports the CR and the LF apart) and an empty
     * end of file. */
    if (!(nf == 0 && ((c == '\n' && r->prev_c == '\r') || c == -1)))
        r->srow++;
    r->prev_c = c;
    if (nf > 0 && !is_blank(r, nf))
        keep = take_record(r, nf, r->srow, r->rec_line);
    if (keep)
        r->rec_field0 = r->nfr;
    else if (nf > 0) { /* drop the record's fields from the arena */
        r->arena.len = r->fr[r->rec_field0].off;
        r->nfr = r->rec_field0;
    }
    if (c == '\n')
        r->line++;
}

/* ======================= UTF-16 =========================================== */

/* Transcode one chunk of a UTF-16 file (Excel's "Unicode text", after its
 * BOM) into r->u16out, replacing its content. A code unit or surrogate pair
 * split by the chunk boundary waits in r->u16carry for the next chunk; at
 * the last chunk (last != 0) a dangling byte or lone surrogate becomes
 * U+FFFD. Unpaired surrogates become U+FFFD with one warning per chunk,
 * naming the byte offset in the file. U+0000 is passed on as a NUL byte,
 * which decode_field() replaces (with its own warning) like any NUL. */
static void utf16_chunk(reader *r, const unsigned char *p, size_t n,
                        uint64_t file_off, int last)
{
    struct buf *o = &r->u16out;
    const unsigned char *c = r->u16carry;
    size_t nc = r->nu16carry, total = nc + n, i = 0, nbad = 0;
    uint64_t badat = 0;
    unsigned badunit = 0;
    int be = r->utf16 == 2;
#define U16_BYTE(k) ((k) < nc ? c[(k)] : p[(k) - nc])
#define U16_UNIT(k) (be ? (unsigned)U16_BYTE(k) << 8 | U16_BYTE((k) + 1)   \
                        : (unsigned)U16_BYTE((k) + 1) << 8 | U16_BYTE(k))
    o->len = 0;
    buf_reserve(o, n + n / 2 + 8);
    while (i + 2 <= total) {
        unsigned u = U16_UNIT(i), cp;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 4 > total && !last)
                break; /* the low half is in the next chunk */
            unsigned u2 = i + 4 <= total ? U16_UNIT(i + 2) : 0;
            if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                buf_put_utf8(o, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
                i += 4;
                continue;
            }
            cp = 0xFFFD;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            cp = 0xFFFD;
        } else {
            buf_put_utf8(o, u);
            i += 2;
            continue;
        }
        if (!nbad++)
            badat = file_off + i - nc, badunit = u;
        buf_put_utf8(o, cp);
        i += 2;
    }
    size_t left = total - i; /* 0..3 bytes */
    unsigned char keep[4];
    for (size_t k = 0; k < left; k++)
        keep[k] = U16_BYTE(i + k);
#undef U16_UNIT
#undef U16_BYTE
    if (last && left) {
        if (!nbad++)
            badat = file_off + i - nc, badunit = keep[0];
        buf_append(o, FFFD, 3); /* an odd trailing byte */
        left = 0;
    }
    memcpy(r->u16carry, keep, left);
    r->nu16carry = left;
    if (nbad)
        WQ_ADD(r, DIAG_WARNING, r->name, r->line, 0,
                  "invalid UTF-16 (unpaired surrogate or odd byte, 0x%04X) "
                  "at byte %llu of the file; replaced with U+FFFD (%zu in "
                  "this block)", badunit, (unsigned long long)badat + 1, nbad);
}

/* ======================= Reading ========================================== */

/* Start a new batch: everything queued has been handed out. Keep only the
 * fields of the record still being parsed, and unsent warnings. */
static void compact(reader *r)
{
    if (!r->have_header)
        return; /* the raw rows wait for decide() */
    size_t nf = r->nfr - r->rec_field0;
    size_t base = nf ? r->fr[r->rec_field0].off : r->arena.len;
    if (r->arena.len > base)
        memmove(r->arena.p, r->arena.p + base, r->arena.len - base);
    r->arena.len -= base;
    for (size_t i = 0; i < nf; i++) {
        r->fr[i] = r->fr[r->rec_field0 + i];
        r->fr[i].off -= base;
    }
    r->nfr = nf;
    r->rec_field0 = 0;
    r->nq = r->qhead = 0;
    /* A new read of CHUNK bytes starts the warning count again; a chunk
     * reader's cut elsewhere does not (WQ_ADD). */
    if (r->mem && r->mem_pos % CHUNK)
        r->woff += r->wq_head;
    else
        r->woff = 0;
    if (r->wq_head) {
        size_t left = r->wq.n - r->wq_head;
        if (left)
            memmove(r->wq.v, r->wq.v + r->wq_head, left * sizeof *r->wq.v);
        r->wq.n = left;
        r->wq_head = 0;
    }
}

/* At EOF: flush libcsv's last field/record (a file need not end in a
 * newline) and detect an unterminated quoted field. */
static void finish(reader *r)
{
    r->eof = 1;
    if (r->failed)
        return;
    size_t nf = r->nfr - r->rec_field0;
    unsigned long field_line = r->line; /* see the header comment */
    unsigned long rec_line = nf ? r->rec_line : field_line;
    /* Strict mode only now: during parsing it would reject stray quotes
     * inside unquoted fields, which real exports contain; CSV_STRICT_FINI
     * needs CSV_STRICT to take effect. */
    csv_set_opts(&r->csv, CSV_OPTS | CSV_STRICT | CSV_STRICT_FINI);
    if (csv_fini(&r->csv, on_field, on_record, r) != 0)
        fail(r, rec_line, "unterminated quoted field starting at row %lu "
             "(line %lu)", r->srow + 1, field_line);
    if (!r->have_header && !r->failed)
        decide(r);
}

/* ----------------------- Delimiter detection ------------------------------ */

struct dcount {
    size_t cur, n;
    size_t counts[32]; /* fields per record, first 32 records */
};

static void dc_field(void *s, size_t len, void *data)
{
    (void)s, (void)len;
    ((struct dcount *)data)->cur++;
}

static void dc_record(int c, void *data)
{
    struct dcount *d = data;
    (void)c;
    if (d->n < 32)
        d->counts[d->n++] = d->cur;
    d->cur = 0;
}

static int no_space(unsigned char c);

/* The delimiter of the header region p[0..n) (see reader.h): libcsv splits
 * the region with each candidate; the most lines sharing one field count
 * (>= 2) wins, then the wider split. */
static char detect_delimiter(const unsigned char *p, size_t n, int at_eof)
{
    static const char cands[] = {',', ';', '\t', '|'};
    char best = ',';
    size_t best_cons = 0, best_m = 0;
    if (n > 64 * 1024)
        n = 64 * 1024, at_eof = 0;
    for (size_t c = 0; c < sizeof cands; c++) {
        struct csv_parser cp;
        struct dcount d = {0};
        /* Strict: a quote inside an unquoted field stops the count. The
         * right delimiter puts quotes at field starts; a wrong one cuts a
         * quoted comment open ('1,R1,"She is ...' under ';'). */
        if (csv_init(&cp, CSV_STRICT) != 0)
            continue;
        csv_set_delim(&cp, (unsigned char)cands[c]);
        csv_set_space_func(&cp, no_space);
        if (csv_parse(&cp, p, n, dc_field, dc_record, &d) == n) {
            if (at_eof)
                csv_fini(&cp, dc_field, dc_record, &d);
            else if (d.cur && d.n < 32) /* a record the sample cuts off */
                d.counts[d.n++] = d.cur + 1;
        }
        csv_free(&cp);
        size_t m = 0, cons = 0;
        for (size_t i = 0; i < d.n; i++) {
            size_t k = 0;
            if (d.counts[i] < 2)
                continue;
            for (size_t j = 0; j < d.n; j++)
                k += d.counts[j] == d.counts[i];
            if (k > cons || (k == cons && d.counts[i] > m))
                cons = k, m = d.counts[i];
        }
        /* Two lines at least, and most of them: one comment holding a
         * ';' in a one-column file is not a split. */
        if (cons < 2 || cons * 2 <= d.n)
            continue;
        if (cons > best_cons || (cons == best_cons && m > best_m))
            best = cands[c], best_cons = cons, best_m = m;
    }
    return best;
}

/* ----------------------- Excel workbooks ---------------------------------- */

/* The first chunk says this is a zip archive: hash the rest of the file
 * (the manifest's SHA-256 is of the file's bytes) and open it as a
 * workbook - through the file descriptor when it is a regular file, else
 * from memory. */
static void start_xlsx(reader *r)
{
    struct stat st;
    int fd = fileno(r->f);
    int seekable = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!seekable)
        buf_append(&r->xbuf, r->chunk, (size_t)r->bytes_read);
    size_t got;
    while ((got = fread(r->chunk, 1, CHUNK, r->f)) > 0) {
        sha256_update(&r->sha, r->chunk, got);
        r->bytes_read += got;
        if (!seekable) {
            if (r->xbuf.len + got > XLSX_MAX_PART) {
                fail(r, 0, "workbook read from a pipe is larger than %llu "
                     "MiB: give it as a file", (unsigned long long)
                     (XLSX_MAX_PART >> 20));
                return;
            }
            buf_append(&r->xbuf, r->chunk, got);
        }
    }
    if (ferror(r->f)) {
        fail(r, 0, "read error: %s", strerror(errno));
        return;
    }
    struct xlsx_options xo = {r->opt.sheet, 0, 0};
    struct diag e;
    if (seekable) {
        int dfd = dup(fd);
        r->xl = dfd < 0 ? NULL : xlsx_open_fd(dfd, r->name, &xo, &e);
        if (dfd < 0)
            diag_set(&e, DIAG_ERROR, r->name, 0, 0, "dup: %s", strerror(errno));
    } else {
        r->xl = xlsx_open_mem(r->xbuf.p, r->xbuf.len, r->name, &xo, &e);
    }
    if (!r->xl) {
        r->err = e;
        r->failed = 1;
        return;
    }
    r->enc = ENC_UTF8;
    r->fmt.xlsx = 1;
    r->fmt.delimiter = 0;
    r->fmt.sheet = xlsx_sheet_name(r->xl);
}

/* Rows of the sheet into the batch, about a chunk's worth. */
static void fill_xlsx(reader *r)
{
    compact(r);
    size_t budget = 0;
    while (!r->failed && !r->eof && budget < CHUNK) {
        const struct xlsx_row *row;
        struct diag e;
        int st = xlsx_next(r->xl, &row, &e);
        if (st < 0) {
            r->err = e;
            r->failed = 1;
            return;
        }
        if (st == 0) {
            r->eof = 1;
            if (!r->have_header)
                decide(r);
            return;
        }
        r->rec_field0 = r->nfr;
        grow(&r->fr, &r->capfr, r->nfr + row->ncells, sizeof *r->fr);
        for (size_t i = 0; i < row->ncells; i++) {
            size_t off = r->arena.len;
            buf_append(&r->arena, row->cells[i].p, row->cells[i].len);
            buf_append(&r->arena, "", 1);
            r->fr[r->nfr++] = (struct fref){off, row->cells[i].len};
            budget += row->cells[i].len + 16;
        }
        if (take_record(r, row->ncells, row->row, row->row))
            r->rec_field0 = r->nfr;
        else {
            r->arena.len = r->fr[r->rec_field0].off;
            r->nfr = r->rec_field0;
        }
    }
}

/* At the start of the file: a UTF-16 byte order mark (FF FE little-endian,
 * FE FF big-endian: Excel's "Unicode text") switches on transcoding under
 * READER_ENC_AUTO and is an error under a forced encoding, as are UTF-32
 * and BOM-less UTF-16 (recognised by NUL bytes in every other position of
 * an ASCII header), which would otherwise read as a stream of NUL bytes. */
static int start_utf16(reader *r, const unsigned char **pp, size_t *np)
{
    const unsigned char *p = *pp;
    size_t n = *np;
    enum reader_encoding forced = r->opt.encoding;
    if (forced == READER_ENC_UTF16LE || forced == READER_ENC_UTF16BE) {
        int le = forced == READER_ENC_UTF16LE;
        if (n >= 2 && p[0] == (le ? 0xFE : 0xFF) && p[1] == (le ? 0xFF : 0xFE)) {
            fail(r, 1, "file has a UTF-16%s byte order mark (%02X %02X), "
                 "not utf-16%s: use --encoding auto", le ? "BE" : "LE", p[0],
                 p[1], le ? "le" : "be");
            return -1;
        }
        if (n >= 2 && p[0] == (le ? 0xFF : 0xFE) && p[1] == (le ? 0xFE : 0xFF))
            *pp = p + 2, *np = n - 2;
        r->utf16 = le ? 1 : 2;
        r->enc = ENC_UTF8;
        return 0;
    }
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && !p[2] && !p[3]) ||
                   (!p[0] && !p[1] && p[2] == 0xFE && p[3] == 0xFF))) {
        fail(r, 1, "file is UTF-32 (byte order mark %02X %02X %02X %02X), "
             "which is not supported: save it as UTF-8 or UTF-16",
             p[0], p[1], p[2], p[3]);
        return -1;
    }
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
                   (p[0] == 0xFE && p[1] == 0xFF))) {
        const char *which = p[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        if (r->opt.encoding != READER_ENC_AUTO) {
            fail(r, 1, "file is %s (byte order mark %02X %02X), not %s: use "
                 "--encoding auto to read it", which, p[0], p[1],
                 r->opt.encoding == READER_ENC_UTF8 ? "utf-8"
                                                    : "windows-1252");
            return -1;
        }
        r->utf16 = p[0] == 0xFF ? 1 : 2;
        r->enc = ENC_UTF8;
        *pp = p + 2, *np = n - 2;
        return 0;
    }
    if (n >= 4 && ((p[0] && p[0] < 0x80 && !p[1] && p[2] && p[2] < 0x80 &&
                    !p[3]) ||
                   (!p[0] && p[1] && p[1] < 0x80 && !p[2] && p[3] &&
                    p[3] < 0x80))) {
        fail(r, 1, "file looks like %s without a byte order mark (NUL "
             "bytes between its characters): use --encoding %s, or save it "
             "as UTF-8", p[1] ? "UTF-16BE" : "UTF-16LE",
             p[1] ? "utf-16be" : "utf-16le");
        return -1;
    }
    return 0;
}

/* Read one chunk and parse it. */
static int check_record_size(reader *r);
static int parse(reader *r, const unsigned char *p, size_t n);

static void fill_paused(reader *r);
static void fill_mem(reader *r);

static void fill(reader *r)
{
    if (r->xl) {
        fill_xlsx(r);
        return;
    }
    if (r->mem) {
        fill_mem(r);
        return;
    }
    if (r->pause && r->started) {
        fill_paused(r);
        return;
    }
    compact(r);
    size_t got = fread(r->chunk, 1, CHUNK, r->f);
    if (got < CHUNK && ferror(r->f)) {
        fail(r, 0, "read error: %s", strerror(errno));
        return;
    }
    const unsigned char *p = r->chunk;
    size_t n = got;
    if (!r->started) {
        r->started = 1;
        int kind = xlsx_sniff(p, n);
        size_t nl = strlen(r->name);
        if (kind == 2) {
            fail(r, 0, "%s", XLSX_OLE2_MESSAGE);
            return;
        }
        if (kind == 1) {
            r->bytes_read = got;
            sha256_update(&r->sha, r->chunk, got);
            start_xlsx(r);
            return;
        }
        if (n && nl > 5 && strcasecmp(r->name + nl - 5, ".xlsx") == 0) {
            fail(r, 0, "not an .xlsx workbook (no zip signature): a damaged "
                 "file, or text named .xlsx");
            return;
        }
        if (r->opt.sheet) {
            fail(r, 0, "--sheet \"%s\": this input is read as delimited "
                 "text, not as an .xlsx workbook", r->opt.sheet);
            return;
        }
        /* fread returns short only at EOF, so a BOM is never split. */
        if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3, n -= 3;
            r->bom = 1;
            if (r->enc == ENC_ASCII)
                r->enc = ENC_UTF8; /* forced windows-1252 still wins */
            if (r->opt.encoding == READER_ENC_UTF16LE ||
                r->opt.encoding == READER_ENC_UTF16BE) {
                fail(r, 1, "file has a UTF-8 byte order mark, not UTF-16: "
                     "use --encoding auto");
                return;
            }
        } else if (start_utf16(r, &p, &n) < 0) {
            return;
        }
    }
    uint64_t file_off = r->bytes_read + (uint64_t)(p - r->chunk);
    int first = r->bytes_read == 0;
    r->bytes_read += got;
    sha256_update(&r->sha, r->chunk, got);
    if (r->utf16) {
        utf16_chunk(r, p, n, file_off, got < CHUNK);
        p = (const unsigned char *)r->u16out.p;
        n = r->u16out.len;
    }
    if (first) {
        r->fmt.delimiter = r->opt.delimiter ? r->opt.delimiter
                         : detect_delimiter(p, n, got < CHUNK);
        r->fmt.delimiter_detected = !r->opt.delimiter;
        csv_set_delim(&r->csv, (unsigned char)r->fmt.delimiter);
    }
    if (parse(r, p, n) < 0)
        return;
    if (check_record_size(r) < 0)
        return;
    if (got < CHUNK)
        finish(r);
}

/* libcsv is between records: the last byte fed ended one (or a blank
 * line) and no field is pending. ROW_NOT_BEGUN is libcsv's state 0. */
static int at_record_start(const reader *r)
{
    return !r->failed && r->csv.pstate == 0 && r->nfr == r->rec_field0;
}

/* A paused reader (reader_pause): read the next chunk as fill() does, but
 * feed libcsv only line by line up to the first newline that ends a
 * record; the rest of the file is left to chunk readers. */
static void fill_paused(reader *r)
{
    compact(r);
    size_t got = fread(r->chunk, 1, CHUNK, r->f);
    if (got < CHUNK && ferror(r->f)) {
        fail(r, 0, "read error: %s", strerror(errno));
        return;
    }
    uint64_t off0 = r->bytes_read;
    r->bytes_read += got;
    sha256_update(&r->sha, r->chunk, got);
    const unsigned char *p = r->chunk, *end = p + got;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
        if (parse(r, p, n) < 0)
            return;
        p += n;
        if (nl && at_record_start(r) && !(p == end && got < CHUNK)) {
            r->paused = 1;
            r->boundary = off0 + (uint64_t)(p - r->chunk);
            return;
        }
    }
    if (check_record_size(r) < 0)
        return;
    if (got < CHUNK)
        finish(r);
}

/* A chunk reader: one piece of the mapped file per call, cut where the
 * serial reader's reads end (multiples of CHUNK: the record size check
 * runs at the same offsets) and at mem_stop; past mem_stop, line by line
 * until a record ends. */
static void fill_mem(reader *r)
{
    compact(r);
    for (;;) {
        uint64_t pos = r->mem_pos, grid = (pos / CHUNK + 1) * CHUNK;
        if (pos >= r->mem_stop && pos < r->mem_size && at_record_start(r)) {
            r->eof = 1; /* the chunk's end; the file goes on */
            return;
        }
        uint64_t end = grid < r->mem_size ? grid : r->mem_size;
        if (pos < r->mem_stop && end > r->mem_stop) {
            end = r->mem_stop;
        } else if (pos >= r->mem_stop) {
            const unsigned char *nl =
                memchr(r->mem + pos, '\n', (size_t)(end - pos));
            if (nl)
                end = (uint64_t)(nl + 1 - r->mem);
        }
        if (parse(r, r->mem + pos, (size_t)(end - pos)) < 0)
            return;
        r->mem_pos = end;
        if ((end == grid || end == r->mem_size) && check_record_size(r) < 0)
            return;
        if (end == r->mem_size) {
            finish(r);
            return;
        }
        if (end == grid || end == r->mem_stop)
            return; /* at most a chunk's worth of records queued */
    }
}

/* Feed p[0..n) to libcsv. Returns -1 once the reader has failed. */
static int parse(reader *r, const unsigned char *p, size_t n)
{
    /* libcsv grows its field buffer by a fixed block (128 bytes by
     * default): a 20 MB field would take 160,000 reallocs. A block as large
     * as the buffer makes the growth geometric. */
    size_t have = csv_get_buffer_size(&r->csv);
    csv_set_blk_size(&r->csv, have > CHUNK ? have : CHUNK);
    if (n && csv_parse(&r->csv, p, n, on_field, on_record, r) != n)
        fail(r, r->line, "CSV parser: %s", csv_strerror(csv_error(&r->csv)));
    return r->failed ? -1 : 0;
}

/* The record being parsed: its completed fields (on the arena) and the
 * field libcsv is still collecting. Checked after every chunk, so memory
 * stays under the limit plus one chunk, whatever the input. */
static int check_record_size(reader *r)
{
    if (r->failed)
        return -1;
    uint64_t max = r->opt.max_record_bytes ? r->opt.max_record_bytes
                                           : READER_MAX_RECORD_DEFAULT;
    uint64_t n = r->csv.entry_pos;
    unsigned long line = r->line;
    if (r->nfr > r->rec_field0) {
        n += r->arena.len - r->fr[r->rec_field0].off;
        line = r->rec_line;
    }
    if (n <= max)
        return 0;
    fail(r, line, "a record longer than %llu bytes that has not ended "
         "(a binary file, or a quote that is never closed?): see "
         "--max-record-bytes", (unsigned long long)max);
    return -1;
}

const char *reader_set_max_record_bytes(struct reader_options *o,
                                        const char *v)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10, end++;
    else if (*end == 'M' || *end == 'm')
        shift = 20, end++;
    else if (*end == 'G' || *end == 'g')
        shift = 30, end++;
    if (*v == '-' || !*v || *end || errno || n == 0 || n > (1ull << 40) >> shift)
        return "--max-record-bytes takes a size from 1 to 1T (e.g. 64M)";
    o->max_record_bytes = (uint64_t)n << shift;
    return NULL;
}

/* libcsv trims spaces and tabs around unquoted fields by default; comments
 * keep their text exactly, offsets included. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

reader *reader_open(const char *path, const struct reader_options *opt,
                    struct diag *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        if (err)
            diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                     strerror(errno));
        return NULL;
    }
    /* Whatever is read as input must never be replaced by an output
     * (`-o .` with an input named excerpts.csv): see outfile.h. */
    if (!is_stdin)
        outfile_protect(path);
    return reader_open_stream(f, is_stdin ? "<stdin>" : path, opt, err);
}

reader *reader_open_stream(FILE *f, const char *name,
                           const struct reader_options *opt, struct diag *err)
{
    static const struct reader_options defaults = {
        .encoding = READER_ENC_AUTO, .on_bad_row = READER_BAD_ROW_ERROR};
    struct diag dummy;
    if (!err)
        err = &dummy;
    reader *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->name = xstrdup(name);
    r->opt = opt ? *opt : defaults;
    r->enc = r->opt.encoding == READER_ENC_CP1252 ? ENC_CP1252 : ENC_ASCII;
    r->line = 1;
    r->wq.limit = WARN_QUEUE_LIMIT;
    r->chunk = xmalloc(CHUNK);
    sha256_init(&r->sha);
    /* csv_init only fails to allocate, and allocates nothing in 3.0.3. */
    if (csv_init(&r->csv, CSV_OPTS) != 0) {
        diag_set(err, DIAG_ERROR, r->name, 0, 0, "out of memory");
        reader_free(r);
        return NULL;
    }
    csv_set_space_func(&r->csv, no_space);
    csv_set_realloc_func(&r->csv, xrealloc); /* the one OOM path */
    csv_set_free_func(&r->csv, free);

    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            diag_set(err, DIAG_ERROR, r->name, 0, 0, "is a directory");
            reader_free(r);
            return NULL;
        }
        if (S_ISREG(st.st_mode))
            r->bytes_total = (uint64_t)st.st_size;
    }

    while (!r->have_header && !r->failed && !r->eof)
        fill(r);
    /* An error below the header (in the rows read to find it) comes after
     * the good rows, as it would further down the file. */
    if (!r->have_header && r->failed && r->nq > 0)
        decide(r);
    if (!r->have_header)
        resolve_columns(r);
    if (!r->have_header) {
        if (r->failed)
            *err = r->err;
        else
            diag_set(err, DIAG_ERROR, r->name, 0, 0,
                     r->xl ? "sheet is empty: no header row"
                           : "file is empty: no header row");
        reader_free(r);
        return NULL;
    }
    return r;
}

int reader_next(reader *r, const struct record **out, struct diag *err,
                struct diags *warn)
{
    *out = NULL;
    for (;;) {
        while (r->qhead < r->nq) {
            const struct qrec *q = &r->q[r->qhead++];
            handout(r, q->wmark, warn);
            r->rows_read++;
            if (q->skip) {
                grow(&r->skips, &r->capskips, r->nskips + 1, sizeof *r->skips);
                r->skips[r->nskips++] = (struct skipped){q->row, q->skip};
                continue;
            }
            grow(&r->spans, &r->capspans, q->nfields, sizeof *r->spans);
            for (size_t i = 0; i < q->nfields; i++) {
                const struct fref *f = &r->fr[q->field0 + i];
                r->spans[i] = i < q->nreal
                    ? (struct span){r->arena.p + f->off, f->len}
                    : (struct span){"", 0}; /* a cell Excel left out */
            }
            r->rec = (struct record){q->nfields, r->spans, q->row, q->line};
            *out = &r->rec;
            return READER_OK;
        }
        if (r->paused && !r->failed) {
            handout(r, r->wq.n, warn);
            return READER_PAUSE;
        }
        if (r->failed || r->eof) {
            handout(r, r->wq.n, warn);
            if (!r->failed)
                return READER_EOF;
            if (err)
                *err = r->err;
            return READER_ERROR;
        }
        fill(r);
    }
}

/* ======================= Accessors ======================================== */

size_t reader_ncolumns(const reader *r) { return r->cols.n; }

const char *reader_column(const reader *r, size_t i)
{
    return i < r->cols.n ? r->cols.v[i] : NULL;
}

const char *reader_encoding_name(const reader *r)
{
    if (r->xl)
        return "xlsx";
    if (r->enc == ENC_CP1252)
        return "windows-1252";
    if (r->bom)
        return "utf-8 (BOM)";
    if (r->utf16 && (r->opt.encoding == READER_ENC_UTF16LE ||
                     r->opt.encoding == READER_ENC_UTF16BE))
        return r->utf16 == 1 ? "utf-16le" : "utf-16be";
    if (r->utf16)
        return r->utf16 == 1 ? "utf-16le (BOM)" : "utf-16be (BOM)";
    return r->enc == ENC_UTF8 ? "utf-8" : "ascii";
}

/* A workbook is hashed whole when opened: until the end, report the part
 * of it the sheet read so far stands for. */
uint64_t reader_bytes_read(const reader *r)
{
    if (r->xl && !r->eof) {
        uint64_t t = xlsx_sheet_bytes_total(r->xl);
        return t ? (uint64_t)((double)r->bytes_read *
                              (double)xlsx_sheet_bytes_read(r->xl) / (double)t)
                 : 0;
    }
    return r->bytes_read;
}

const struct reader_format *reader_format(const reader *r) { return &r->fmt; }

int reader_format_noteworthy(const reader *r)
{
    const struct reader_format *f = &r->fmt;
    return f->xlsx || f->delimiter != ',' || f->header_row != 1 ||
           !f->delimiter_detected || !f->header_detected;
}

const char *reader_delimiter_name(char d)
{
    return d == '\t' ? "\\t" : d == ';' ? ";" : d == '|' ? "|" : ",";
}

char reader_parse_delimiter(const char *s)
{
    if (!strcmp(s, ",") || !strcasecmp(s, "comma"))
        return ',';
    if (!strcmp(s, ";") || !strcasecmp(s, "semicolon"))
        return ';';
    if (!strcmp(s, "|") || !strcasecmp(s, "pipe"))
        return '|';
    if (!strcmp(s, "\t") || !strcmp(s, "\\t") || !strcasecmp(s, "tab"))
        return '\t';
    return 0;
}

const char *reader_set_option(struct reader_options *o, const char *name,
                              const char *value)
{
    if (strcmp(name, "delimiter") == 0) {
        if (!(o->delimiter = reader_parse_delimiter(value)))
            return "--delimiter must be , ; tab or |";
    } else if (strcmp(name, "header-row") == 0) {
        char *end;
        unsigned long n = strtoul(value, &end, 10);
        if (!*value || *end || value[0] == '-' || n == 0 || n > 1048576)
            return "--header-row must be a row number from 1 to 1048576";
        o->header_row = n;
    } else if (strcmp(name, "sheet") == 0) {
        if (!*value)
            return "--sheet needs a sheet name";
        o->sheet = value;
    } else {
        return "unknown reader option";
    }
    return NULL;
}

void reader_format_describe(const reader *r, char *out, size_t n)
{
    const struct reader_format *f = &r->fmt;
    char head[128];
    int k = snprintf(head, sizeof head, "header row %lu (%s", f->header_row,
                     f->header_detected ? "detected" : "--header-row");
    if (f->rows_above && k > 0 && (size_t)k < sizeof head)
        snprintf(head + k, sizeof head - (size_t)k,
                 "; %lu row%s above it skipped", f->rows_above,
                 f->rows_above == 1 ? "" : "s");
    if (f->xlsx)
        snprintf(out, n, "sheet \"%s\", %s)", f->sheet, head);
    else
        snprintf(out, n, "delimiter '%s' (%s), %s)",
                 f->delimiter == '\t' ? "TAB"
                                       : reader_delimiter_name(f->delimiter),
                 f->delimiter_detected ? "detected" : "--delimiter", head);
}
uint64_t reader_bytes_total(const reader *r) { return r->bytes_total; }

int reader_sha256(const reader *r, char out[65])
{
    if (!r->eof || r->failed || r->split)
        return -1;
    struct sha256 h = r->sha; /* final() consumes its state */
    unsigned char d[SHA256_DIGEST_LEN];
    sha256_final(&h, d);
    sha256_to_hex(d, out);
    return 0;
}

int reader_hash_file(const char *path, char out[65], uint64_t *bytes,
                     struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    struct sha256 h;
    sha256_init(&h);
    char chunk[1 << 16];
    size_t n;
    *bytes = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sha256_update(&h, chunk, n);
        *bytes += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "read error");
        return -1;
    }
    unsigned char d[32];
    sha256_final(&h, d);
    sha256_to_hex(d, out);
    return 0;
}
unsigned long reader_rows_read(const reader *r) { return r->rows_read; }
size_t reader_nskipped(const reader *r) { return r->nskips; }

unsigned long reader_skipped_row(const reader *r, size_t i)
{
    return i < r->nskips ? r->skips[i].row : 0;
}

const char *reader_skipped_reason(const reader *r, size_t i)
{
    return i < r->nskips ? r->skips[i].reason : NULL;
}

void reader_free(reader *r)
{
    if (!r)
        return;
    if (r->f && r->f != stdin)
        fclose(r->f);
    xlsx_free(r->xl);
    buf_fini(&r->xbuf);
    csv_free(&r->csv);
    free(r->name);
    free(r->chunk);
    buf_fini(&r->arena);
    buf_fini(&r->u16out);
    free(r->fr);
    free(r->q);
    diags_fini(&r->wq);
    free(r->spans);
    strvec_fini(&r->cols);
    free(r->skips);
    strvec_fini(&r->reasons);
    free(r);
}

/* ======================= Reading in chunks ================================ */

int reader_pause(reader *r)
{
    if (r->xl || r->utf16 || !r->have_header || r->failed || r->eof ||
        r->f == stdin || r->bytes_total == 0 || r->mem)
        return 0;
    r->pause = 1;
    return 1;
}

void reader_boundary(const reader *r, struct reader_pos *pos)
{
    *pos = (struct reader_pos){r->boundary, r->line, r->srow, (int)r->enc,
                               r->wq.n + r->woff};
}

void reader_split_progress(reader *r, const struct reader_pos *pos,
                           unsigned long rows, int done)
{
    r->split = 1;
    r->enc = (enum enc)pos->enc;
    r->rows_read += rows;
    r->bytes_read = pos->off;
    r->line = pos->line;
    r->srow = pos->srow;
    if (done) {
        r->eof = 1;
        r->paused = 0;
    }
}

int reader_pos_same_decoding(const struct reader_pos *a,
                             const struct reader_pos *b)
{
    return (a->enc == ENC_CP1252) == (b->enc == ENC_CP1252);
}

void reader_pos_advance(struct reader_pos *t, const struct reader_pos *rel)
{
    if (rel->off / CHUNK == t->off / CHUNK && rel->off % CHUNK)
        t->warned += rel->warned; /* the same read of CHUNK bytes */
    else
        t->warned = rel->warned;
    t->off = rel->off;
    t->line += rel->line - 1;
    t->srow += rel->srow;
    if (t->enc == ENC_ASCII)
        t->enc = rel->enc;
}

reader *reader_chunk_new(const reader *parent)
{
    reader *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(parent->name);
    c->opt = parent->opt;
    c->fmt = parent->fmt;
    c->started = c->have_header = c->resolved = 1;
    c->bom = parent->bom;
    for (size_t i = 0; i < parent->cols.n; i++)
        strvec_push(&c->cols, parent->cols.v[i]);
    c->wq.limit = WARN_QUEUE_LIMIT;
    sha256_init(&c->sha);
    return c;
}

void reader_chunk_start(reader *c, const unsigned char *file, uint64_t size,
                        const struct reader_pos *start, uint64_t stop)
{
    if (c->mem)
        csv_free(&c->csv);
    csv_init(&c->csv, CSV_OPTS); /* allocates nothing (reader_open_stream) */
    csv_set_space_func(&c->csv, no_space);
    csv_set_realloc_func(&c->csv, xrealloc);
    csv_set_free_func(&c->csv, free);
    csv_set_delim(&c->csv, (unsigned char)c->fmt.delimiter);
    c->mem = file;
    c->mem_size = size;
    c->mem_pos = start->off;
    c->mem_stop = stop;
    c->eof = c->failed = 0;
    c->enc = (enum enc)start->enc;
    c->line = start->line;
    c->srow = start->srow;
    c->prev_c = '\n'; /* a boundary follows a newline */
    c->rec_field0 = c->nfr = c->nq = c->qhead = 0;
    c->arena.len = 0;
    c->wq.n = c->wq_head = c->wq.dropped = 0;
    c->woff = start->warned;
    c->nskips = 0;
    c->rows_read = 0;
}

int reader_chunk_end(const reader *c, struct reader_pos *end)
{
    *end = (struct reader_pos){c->mem_pos, c->line, c->srow, (int)c->enc,
                               c->wq.n + c->woff};
    return c->mem_pos == c->mem_size;
}
