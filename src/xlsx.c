/* xlsx.c - an Excel workbook's worksheet -> rows of UTF-8 cells (xlsx.h).
 *
 * libzip opens the archive and inflates one part at a time; expat parses
 * it. Element and attribute names are matched by their local part (after
 * any "x:" prefix, which some writers use) without namespace processing.
 * Small parts (workbook, rels, styles) are parsed in one go; the shared
 * strings are parsed once into struct sst; the worksheet is parsed a chunk
 * at a time, on demand, from xlsx_next: each chunk's completed rows go to a
 * queue that xlsx_next hands out, so memory is one chunk's rows (plus the
 * row being parsed), never the sheet.
 *
 * Parsers are created without a forced encoding, so a part saved as
 * UTF-16 (OPC allows it) is read by its BOM or declaration; expat hands
 * every string over as UTF-8 either way.
 *
 * Every inflating read goes through read_chunk(), which counts the bytes
 * of the part against max_part_bytes: the one place the zip-bomb cap is
 * enforced.
 */
#include "xlsx.h"
#include "util.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#define READ_CHUNK (64 * 1024)
#define MAX_COL 16384u          /* XFD: Excel's last column */
#define MAX_ROW 1048576ul       /* Excel's last row */
#define MAX_MERGES (1u << 20)   /* ranges kept; more are ignored */

static const char FFFD[] = "\xEF\xBF\xBD";

/* ======================= Shared strings =================================== */

/* Strings back to back, without terminators; off[i]..off[i+1] is string i.
 * In memory (mem) until it would pass limit, then in an unlinked temp file
 * (fd >= 0) written sequentially and read with pread. */
struct sst {
    struct buf mem;
    uint64_t *off;
    size_t n, cap;
    int fd;
    size_t limit;
};

struct sheet_ref {
    char *name, *rid;
};

struct rel {
    char *id, *target, *type;
};

struct xlsx {
    zip_t *zip;
    XML_Parser pp;            /* the parser running (to stop it) */
    char *name;               /* for messages */
    struct xlsx_options opt;
    struct diag errd;         /* the first error (sticky) */
    struct diag *open_err;    /* xlsx_open_*'s err */
    int failed;

    /* Workbook. */
    int date1904;
    struct sheet_ref *sheets;
    size_t nsheets, capsheets;
    struct rel *rels;
    size_t nrels, caprels;
    char *sheet, *sheet_part;
    unsigned char *xf_kind;   /* per cellXfs entry: 0, or date kind 1..3 */
    size_t nxf, capxf;
    struct strvec fmt_codes;  /* custom numFmts: "id\tcode" */
    struct sst sst;
    struct xlsx_merge *merges;
    size_t nmerges, capmerges;

    /* Parse state shared by the handlers. */
    const char *part;         /* the part being parsed */
    int in_cellxfs, in_numfmts, in_si, in_is, in_rph, collect;
    struct buf text;          /* character data being collected */

    /* The worksheet stream. */
    zip_file_t *zf;
    XML_Parser xp;
    char *chunk;
    uint64_t sheet_read, sheet_total;
    int sheet_eof;
    unsigned long row, last_row;   /* the row being parsed; the last one */
    int in_row, in_c, in_v;
    char ctype[16];
    long cstyle;
    unsigned ccol;
    struct buf cur;                /* cells of the current row, NUL-ended */
    size_t *curoff;                /* their offsets in cur */
    size_t ncur, capcur;
    int cur_nonempty;

    /* Completed rows waiting to be handed out. */
    struct buf qa;
    struct qcell { size_t off, len; } *qc;
    size_t nqc, capqc;
    struct qrow { unsigned long row; size_t cell0, ncells; } *qr;
    size_t nqr, capqr, qhead;
    struct xlsx_cell *outc;
    size_t capoutc;
    struct xlsx_row out;
    struct buf tmp;
};

static void fail(xlsx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(xlsx *x, const char *fmt, ...)
{
    if (x->failed)
        return;
    char msg[sizeof x->errd.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(&x->errd, DIAG_ERROR, x->name, 0, 0, "%s", msg);
    x->failed = 1;
}

/* "C" for column 3. */
static const char *col_letters(unsigned col, char out[8])
{
    char t[8];
    size_t n = 0;
    while (col > 0 && n < 7) {
        t[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = '\0';
    return out;
}

static void sst_init(struct sst *s, size_t limit)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->limit = limit;
    grow(&s->off, &s->cap, 1, sizeof *s->off);
    s->off[0] = 0;
}

static int sst_add(xlsx *x, const char *p, size_t len)
{
    struct sst *s = &x->sst;
    if (s->fd < 0 && s->mem.len + len > s->limit) {
        /* Spill: everything so far, then every later string, to a file
         * only this process can reach (0600, unlinked at once). */
        const char *dir = getenv("TMPDIR");
        char path[4096];
        snprintf(path, sizeof path, "%s/evalbias-sst-XXXXXX",
                 dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0) {
            fail(x, "shared strings: cannot create a temporary file in %s: "
                 "%s", dir && *dir ? dir : "/tmp", strerror(errno));
            return -1;
        }
        unlink(path);
        fchmod(fd, 0600);
        s->fd = fd;
        if (s->mem.len && write(fd, s->mem.p, s->mem.len) !=
                              (ssize_t)s->mem.len) {
            fail(x, "shared strings: cannot write the temporary file: %s",
                 strerror(errno));
            return -1;
        }
        buf_fini(&s->mem);
    }
    if (s->fd >= 0) {
        for (size_t done = 0; done < len;) {
            ssize_t w = write(s->fd, p + done, len - done);
            if (w <= 0) {
                fail(x, "shared strings: cannot write the temporary file: "
                     "%s", strerror(errno));
                return -1;
            }
            done += (size_t)w;
        }
    } else {
        buf_append(&s->mem, p, len);
    }
    grow(&s->off, &s->cap, s->n + 2, sizeof *s->off);
    s->off[s->n + 1] = s->off[s->n] + len;
    s->n++;
    return 0;
}

/* String i appended to out. */
static int sst_get(xlsx *x, size_t i, struct buf *out)
{
    struct sst *s = &x->sst;
    uint64_t a = s->off[i], len = s->off[i + 1] - a;
    if (s->fd < 0) {
        buf_append(out, s->mem.p + a, (size_t)len);
        return 0;
    }
    buf_reserve(out, (size_t)len + 1);
    for (uint64_t done = 0; done < len;) {
        ssize_t got = pread(s->fd, out->p + out->len, (size_t)(len - done),
                            (off_t)(a + done));
        if (got <= 0) {
            fail(x, "shared strings: cannot read the temporary file: %s",
                 got < 0 ? strerror(errno) : "short read");
            return -1;
        }
        out->len += (size_t)got, done += (uint64_t)got;
    }
    out->p[out->len] = '\0';
    return 0;
}

static void sst_fini(struct sst *s)
{
    buf_fini(&s->mem);
    free(s->off);
    if (s->fd >= 0)
        close(s->fd);
}

int xlsx_sst_spilled(const xlsx *x) { return x->sst.fd >= 0; }

/* ======================= Values =========================================== */

void xlsx_format_number(double v, char *out, size_t n)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, n, "%.0f", v == 0 ? 0.0 : v); /* no "-0" */
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, n, "%.*g", p, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's civil-date algorithms). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

int xlsx_format_date(double serial, int date1904, int kind, char *out,
                     size_t n)
{
    if (!isfinite(serial) || serial < 0 || serial >= 2958466.0)
        return 0; /* past 9999-12-31 */
    double whole = floor(serial);
    long day = (long)whole;
    long secs = lround((serial - whole) * 86400.0);
    if (secs >= 86400)
        day++, secs -= 86400;
    char date[48] = "", time[48] = "";
    if (kind & 1) {
        long y;
        unsigned m, d;
        if (date1904) {
            civil_from_days(days_from_civil(1904, 1, 1) + day, &y, &m, &d);
        } else if (day == 60) {
            y = 1900, m = 2, d = 29; /* Lotus 1-2-3's leap day, kept by Excel */
        } else if (day >= 1) {
            /* Serials 1..59 count from 1900-01-01; past the fake leap day
             * everything is one day later than a true count. */
            civil_from_days(days_from_civil(1899, 12, day < 60 ? 31 : 30) + day,
                            &y, &m, &d);
        } else {
            return 0; /* "1900-01-00" is no date */
        }
        if (y > 9999)
            return 0;
        snprintf(date, sizeof date, "%04ld-%02u-%02u", y, m, d);
    }
    /* A time format alone shows elapsed hours past 24 ([h]:mm, or 1.5
     * days in h:mm): keep them rather than drop the days. */
    if (kind == 2)
        secs += day * 86400;
    if (kind & 2)
        snprintf(time, sizeof time, "%02ld:%02ld:%02ld", secs / 3600,
                 secs / 60 % 60, secs % 60);
    snprintf(out, n, "%s%s%s", date, kind == 3 ? "T" : "", time);
    return 1;
}

/* Date kind of a number format: 1 date, 2 time, 3 both, 0 neither. */
static int builtin_kind(unsigned long id)
{
    if (id >= 14 && id <= 17)
        return 1;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
        return 2;
    return id == 22 ? 3 : 0;
}

/* A custom format code is a date if it has d or y (or m with no h or s:
 * month, not minutes) outside quoted text, escapes and [..] sections
 * (colours, locales; [h] [mm] [ss] are elapsed time). */
static int code_kind(const char *s)
{
    int date = 0, time = 0, month = 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '"') {
            while (s[1] && s[1] != '"')
                s++;
            if (s[1])
                s++;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (s[1])
                s++;
        } else if (c == '[') {
            const char *e = strchr(s, ']');
            if (!e)
                break;
            if (strspn(s + 1, "hHmMsS") == (size_t)(e - s - 1) && e > s + 1)
                time = 1;
            s = e;
        } else if (c == ';') {
            break; /* the first section decides */
        } else {
            switch (c | 0x20) {
            case 'd': case 'y': date = 1; break;
            case 'h': case 's': time = 1; break;
            case 'm': month = 1; break;
            default: break;
            }
        }
    }
    if (month && !time)
        date = 1;
    return (date ? 1 : 0) | (time ? 2 : 0);
}


/* Append s[0..n) to out with OOXML's _xHHHH_ escapes decoded (Excel writes
 * a CR in a cell as _x000D_). U+0000 and surrogates become U+FFFD. */
static void append_unescaped(struct buf *out, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i + 7 <= n; i++) {
        if (s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
            continue;
        unsigned cp = 0;
        size_t k = 2;
        for (; k < 6; k++) {
            char c = s[i + k];
            unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                       : (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
                           ? (unsigned)((c | 0x20) - 'a' + 10) : 16;
            if (v == 16)
                break;
            cp = cp << 4 | v;
        }
        if (k < 6)
            continue;
        buf_append(out, s + run, i - run);
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            buf_append(out, FFFD, 3);
        else
            buf_put_utf8(out, cp);
        run = i + 7;
        i += 6;
    }
    buf_append(out, s + run, n - run);
}

/* ======================= Parts ============================================ */

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

static void zip_fail(xlsx *x, const char *what, zip_error_t *ze)
{
    fail(x, "corrupt workbook: %s: %s", what, zip_error_strerror(ze));
}

/* Read up to READ_CHUNK inflated bytes of part zf into buf, counting them
 * in *count against the cap. Returns bytes read (0 at the end), -1 on
 * error. */
static zip_int64_t read_chunk(xlsx *x, zip_file_t *zf, const char *part,
                              char *buf, uint64_t *count)
{
    zip_int64_t got = zip_fread(zf, buf, READ_CHUNK);
    if (got < 0) {
        zip_fail(x, part, zip_file_get_error(zf));
        return -1;
    }
    *count += (uint64_t)got;
    if (*count > x->opt.max_part_bytes) {
        fail(x, "%s inflates to more than %llu MiB: refused as a possible "
             "zip bomb (evalbias reads at most %llu MiB uncompressed per "
             "workbook part)", part,
             (unsigned long long)(x->opt.max_part_bytes >> 20),
             (unsigned long long)(x->opt.max_part_bytes >> 20));
        return -1;
    }
    return got;
}

/* Open a part; 1 if it is missing, -1 on error. Refuses a part whose
 * declared size passes the cap before inflating anything. */
static int open_part(xlsx *x, const char *part, zip_file_t **zf,
                     uint64_t *size)
{
    zip_int64_t i = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
    if (i < 0)
        return 1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) == 0 &&
        (st.valid & ZIP_STAT_SIZE)) {
        *size = st.size;
        if (st.size > x->opt.max_part_bytes) {
            fail(x, "%s declares %llu MiB uncompressed: refused as a possible "
                 "zip bomb (evalbias reads at most %llu MiB uncompressed per "
                 "workbook part)", part,
                 (unsigned long long)(st.size >> 20),
                 (unsigned long long)(x->opt.max_part_bytes >> 20));
            return -1;
        }
    }
    *zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
    if (!*zf) {
        zip_fail(x, part, zip_get_error(x->zip));
        return -1;
    }
    return 0;
}

static int xml_error(xlsx *x, XML_Parser p, const char *part)
{
    if (!x->failed)
        fail(x, "corrupt workbook: %s, line %lu: %s", part,
             (unsigned long)XML_GetCurrentLineNumber(p),
             XML_ErrorString(XML_GetErrorCode(p)));
    return -1;
}

/* Parse a whole part with these handlers. 1 if missing, -1 on error. */
static int parse_part(xlsx *x, const char *part, XML_StartElementHandler s,
                      XML_EndElementHandler e, XML_CharacterDataHandler c)
{
    zip_file_t *zf = NULL;
    uint64_t size = 0, count = 0;
    int rc = open_part(x, part, &zf, &size);
    if (rc)
        return rc;
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, s, e);
    if (c)
        XML_SetCharacterDataHandler(p, c);
    x->part = part;
    x->pp = p;
    char *chunk = xmalloc(READ_CHUNK);
    for (;;) {
        zip_int64_t got = read_chunk(x, zf, part, chunk, &count);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (XML_Parse(p, chunk, (int)got, got == 0) == XML_STATUS_ERROR ||
            x->failed) {
            rc = xml_error(x, p, part);
            break;
        }
        if (got == 0)
            break;
    }
    free(chunk);
    x->pp = NULL;
    XML_ParserFree(p);
    zip_fclose(zf);
    return rc;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (x->collect)
        buf_append(&x->text, s, (size_t)len);
}

static void no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* workbook.xml: the date system and the sheets in workbook order. */
static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    const char *n = local(name), *v;
    if (strcmp(n, "workbookPr") == 0) {
        v = attr(atts, "date1904");
        x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *nm = attr(atts, "name"), *id = attr(atts, "id");
        grow(&x->sheets, &x->capsheets, x->nsheets + 1, sizeof *x->sheets);
        x->sheets[x->nsheets++] = (struct sheet_ref){
            xstrdup(nm ? nm : ""), xstrdup(id ? id : "")};
    }
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target"),
               *ty = attr(atts, "Type"), *mode = attr(atts, "TargetMode");
    if (!id || !t || (mode && strcmp(mode, "External") == 0))
        return;
    /* Targets are relative to xl/ unless absolute ("/xl/..."). */
    char path[1024];
    if (t[0] == '/')
        snprintf(path, sizeof path, "%s", t + 1);
    else
        snprintf(path, sizeof path, "xl/%s", t);
    grow(&x->rels, &x->caprels, x->nrels + 1, sizeof *x->rels);
    x->rels[x->nrels++] = (struct rel){xstrdup(id), xstrdup(path),
                                       xstrdup(ty ? ty : "")};
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const struct rel *rel_by_id(const xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

static const struct rel *rel_by_type(const xlsx *x, const char *suffix)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (ends_with(x->rels[i].type, suffix))
            return &x->rels[i];
    return NULL;
}

/* styles.xml: custom number formats, and each cellXfs entry's format. */
static void st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (strcmp(n, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId");
        const char *code = attr(atts, "formatCode");
        if (id && code) {
            char line[512];
            snprintf(line, sizeof line, "%lu\t%s", strtoul(id, NULL, 10), code);
            strvec_push(&x->fmt_codes, line);
        }
    } else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
        const char *id = attr(atts, "numFmtId");
        unsigned long fid = id ? strtoul(id, NULL, 10) : 0;
        int kind = builtin_kind(fid);
        char key[32];
        int klen = snprintf(key, sizeof key, "%lu\t", fid);
        for (size_t i = 0; i < x->fmt_codes.n; i++)
            if (strncmp(x->fmt_codes.v[i], key, (size_t)klen) == 0)
                kind = code_kind(x->fmt_codes.v[i] + klen);
        grow(&x->xf_kind, &x->capxf, x->nxf + 1, 1);
        x->xf_kind[x->nxf++] = (unsigned char)kind;
    }
}

static void st_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    if (strcmp(local(name), "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* sharedStrings.xml: <si> holds <t>, or rich-text runs <r><t>, and maybe
 * phonetic runs <rPh><t> that are not part of the text. */
static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    const char *n = local(name);
    (void)atts;
    if (strcmp(n, "si") == 0) {
        x->in_si = 1, x->in_rph = 0;
        buf_clear(&x->text);
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 1;
    } else if (strcmp(n, "t") == 0 && x->in_si && !x->in_rph) {
        x->collect = 1;
    }
}

static void sst_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (strcmp(n, "t") == 0) {
        x->collect = 0;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 0;
    } else if (strcmp(n, "si") == 0 && x->in_si) {
        x->in_si = 0;
        buf_clear(&x->tmp);
        append_unescaped(&x->tmp, x->text.p ? x->text.p : "", x->text.len);
        if (sst_add(x, x->tmp.p ? x->tmp.p : "", x->tmp.len) < 0)
            XML_StopParser(x->pp, XML_FALSE);
    }
}

/* "C5" -> column 3, row 5. Either may be absent (0). -1 if malformed. */
static int parse_ref(const char *s, unsigned *col, unsigned long *row)
{
    unsigned long c = 0, r = 0;
    while ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') {
        c = c * 26 + (unsigned long)((*s | 0x20) - 'a' + 1);
        if (c > MAX_COL)
            return -1;
        s++;
    }
    while (*s >= '0' && *s <= '9') {
        r = r * 10 + (unsigned long)(*s - '0');
        if (r > MAX_ROW)
            return -1;
        s++;
    }
    if (*s)
        return -1;
    *col = (unsigned)c, *row = r;
    return 0;
}

static void merge_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    if (strcmp(local(name), "mergeCell") != 0 || x->nmerges >= MAX_MERGES)
        return;
    const char *ref = attr(atts, "ref");
    const char *colon = ref ? strchr(ref, ':') : NULL;
    if (!colon || colon - ref > 16)
        return;
    char a[20];
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    struct xlsx_merge m;
    if (parse_ref(a, &m.col0, &m.row0) < 0 ||
        parse_ref(colon + 1, &m.col1, &m.row1) < 0 || !m.col0 || !m.row0 ||
        m.col1 < m.col0 || m.row1 < m.row0)
        return;
    grow(&x->merges, &x->capmerges, x->nmerges + 1, sizeof *x->merges);
    x->merges[x->nmerges++] = m;
}

/* Find "mergeCell" in the inflated sheet without parsing it; only then
 * parse the sheet for its merged ranges (always for a UTF-16 sheet, where
 * the bytes differ). */
static int scan_merges(xlsx *x)
{
    zip_file_t *zf = NULL;
    uint64_t size = 0, count = 0;
    int rc = open_part(x, x->sheet_part, &zf, &size);
    if (rc)
        return rc;
    static const char needle[] = "mergeCell";
    const size_t k = sizeof needle - 1;
    char *b = xmalloc(READ_CHUNK + k);
    size_t carry = 0;
    int found = 0;
    for (;;) {
        zip_int64_t got = read_chunk(x, zf, x->sheet_part, b + carry, &count);
        if (got < 0) {
            rc = -1;
            break;
        }
        size_t n = carry + (size_t)got;
        if (count == (uint64_t)got && got >= 2 &&
            ((b[0] == '\xFF' && b[1] == '\xFE') ||
             (b[0] == '\xFE' && b[1] == '\xFF'))) {
            found = 1; /* UTF-16: no byte search; let expat look */
            break;
        }
        const char *p = b, *end = b + n;
        while (!found && (p = memchr(p, 'm', (size_t)(end - p))) != NULL) {
            found = (size_t)(end - p) >= k && memcmp(p, needle, k) == 0;
            p++;
        }
        if (found || got == 0)
            break;
        carry = n < k - 1 ? n : k - 1;
        memmove(b, b + n - carry, carry);
    }
    free(b);
    zip_fclose(zf);
    if (rc == 0 && found)
        rc = parse_part(x, x->sheet_part, merge_start, no_end, NULL);
    return rc;
}

/* ======================= The worksheet stream ============================= */

static void cell_push(xlsx *x, const char *p, size_t n)
{
    grow(&x->curoff, &x->capcur, x->ncur + 1, sizeof *x->curoff);
    x->curoff[x->ncur++] = x->cur.len;
    buf_append(&x->cur, p, n);
    buf_putc(&x->cur, '\0');
    if (n)
        x->cur_nonempty = 1;
}

static void sheet_fail_at(xlsx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sheet_fail_at(xlsx *x, const char *fmt, ...)
{
    char what[1024], cl[8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fail(x, "sheet \"%s\", row %lu, column %s: %s", x->sheet, x->row,
         col_letters(x->ccol, cl), what);
    XML_StopParser(x->xp, XML_FALSE);
}

/* The cell just ended: its value, from its type, style and text. */
static void cell_value(xlsx *x)
{
    const char *t = x->ctype, *s = x->text.p ? x->text.p : "";
    size_t n = x->text.len;
    struct buf *v = &x->tmp;
    buf_clear(v);
    if (strcmp(t, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(s, &end, 10);
        if (!n || *end || errno || s[0] == '-') {
            sheet_fail_at(x, "corrupt shared-string index \"%.40s\"", s);
            return;
        }
        if (i >= x->sst.n) {
            sheet_fail_at(x, "shared-string index %llu out of range (the "
                          "workbook has %zu shared strings)", i, x->sst.n);
            return;
        }
        if (sst_get(x, (size_t)i, v) < 0) {
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        append_unescaped(v, s, n);
    } else if (strcmp(t, "b") == 0) {
        buf_puts(v, strcmp(s, "1") == 0 ? "TRUE" : strcmp(s, "0") == 0
                                                       ? "FALSE" : s);
    } else if (strcmp(t, "e") == 0 || strcmp(t, "d") == 0 || !n) {
        buf_append(v, s, n);
    } else { /* a number */
        char *end, out[64];
        double d = strtod(s, &end);
        int kind = x->cstyle >= 0 && (size_t)x->cstyle < x->nxf
                       ? x->xf_kind[x->cstyle] : 0;
        if (end == s || *end || !isfinite(d))
            buf_append(v, s, n); /* not a number after all: keep the text */
        else if (kind &&
                 xlsx_format_date(d, x->date1904, kind, out, sizeof out))
            buf_puts(v, out);
        else {
            xlsx_format_number(d, out, sizeof out);
            buf_puts(v, out);
        }
    }
    cell_push(x, v->p ? v->p : "", v->len);
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx *x = ud;
    const char *n = local(name), *v;
    if (x->failed)
        return;
    if (strcmp(n, "row") == 0) {
        unsigned long r = x->last_row + 1;
        unsigned c;
        if ((v = attr(atts, "r")) && (parse_ref(v, &c, &r) < 0 || c || !r)) {
            fail(x, "corrupt workbook: sheet \"%s\": bad row number \"%.20s\" "
                 "after row %lu", x->sheet, v, x->last_row);
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
        if (r <= x->last_row || r > MAX_ROW) {
            fail(x, "corrupt workbook: sheet \"%s\": row %lu comes after row "
                 "%lu", x->sheet, r, x->last_row);
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
        x->row = r, x->in_row = 1;
        buf_clear(&x->cur);
        x->ncur = 0, x->cur_nonempty = 0;
    } else if (strcmp(n, "c") == 0 && x->in_row) {
        unsigned col = (unsigned)x->ncur + 1;
        unsigned long r = 0;
        if ((v = attr(atts, "r"))) {
            if (parse_ref(v, &col, &r) < 0 || !col || (r && r != x->row)) {
                x->ccol = (unsigned)x->ncur + 1;
                sheet_fail_at(x, "corrupt workbook: bad cell reference "
                              "\"%.20s\"", v);
                return;
            }
        }
        x->ccol = col;
        if (col <= x->ncur) {
            sheet_fail_at(x, "corrupt workbook: cell %s comes after column "
                          "%zu", v ? v : "?", x->ncur);
            return;
        }
        while (x->ncur + 1 < col) /* cells Excel left out: empty */
            cell_push(x, "", 0);
        v = attr(atts, "t");
        snprintf(x->ctype, sizeof x->ctype, "%s", v ? v : "n");
        v = attr(atts, "s");
        x->cstyle = v ? strtol(v, NULL, 10) : -1;
        x->in_c = 1, x->in_is = 0, x->in_rph = 0;
        buf_clear(&x->text);
    } else if (x->in_c && strcmp(n, "v") == 0) {
        x->collect = 1;
    } else if (x->in_c && strcmp(n, "is") == 0) {
        x->in_is = 1;
    } else if (x->in_is && strcmp(n, "rPh") == 0) {
        x->in_rph = 1;
    } else if (x->in_is && !x->in_rph && strcmp(n, "t") == 0) {
        x->collect = 1;
    }
}

static void sh_end(void *ud, const XML_Char *name)
{
    xlsx *x = ud;
    const char *n = local(name);
    if (x->failed)
        return;
    if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
        x->collect = 0;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 0;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = 0;
    } else if (strcmp(n, "c") == 0 && x->in_c) {
        x->in_c = 0, x->collect = 0;
        cell_value(x);
    } else if (strcmp(n, "row") == 0 && x->in_row) {
        x->in_row = 0;
        x->last_row = x->row;
        if (!x->cur_nonempty)
            return; /* styled but empty: a blank row */
        grow(&x->qr, &x->capqr, x->nqr + 1, sizeof *x->qr);
        x->qr[x->nqr++] = (struct qrow){x->row, x->nqc, x->ncur};
        grow(&x->qc, &x->capqc, x->nqc + x->ncur, sizeof *x->qc);
        size_t base = x->qa.len;
        buf_append(&x->qa, x->cur.p, x->cur.len);
        for (size_t i = 0; i < x->ncur; i++) {
            size_t end = i + 1 < x->ncur ? x->curoff[i + 1] : x->cur.len;
            x->qc[x->nqc++] = (struct qcell){base + x->curoff[i],
                                             end - x->curoff[i] - 1};
        }
    }
}

/* Parse the next chunk of the sheet. */
static int sheet_fill(xlsx *x)
{
    zip_int64_t got = read_chunk(x, x->zf, x->sheet_part, x->chunk,
                                 &x->sheet_read);
    if (got < 0)
        return -1;
    if (XML_Parse(x->xp, x->chunk, (int)got, got == 0) == XML_STATUS_ERROR ||
        x->failed) {
        if (!x->failed)
            fail(x, "corrupt workbook: sheet \"%s\" (%s), line %lu: %s",
                 x->sheet, x->sheet_part,
                 (unsigned long)XML_GetCurrentLineNumber(x->xp),
                 XML_ErrorString(XML_GetErrorCode(x->xp)));
        return -1;
    }
    if (got == 0)
        x->sheet_eof = 1;
    return 0;
}

int xlsx_next(xlsx *x, const struct xlsx_row **out, struct diag *err)
{
    *out = NULL;
    /* Rows completed before an error are handed out first. */
    while (x->qhead == x->nqr) {
        if (x->failed) {
            if (err)
                *err = x->errd;
            return -1;
        }
        if (x->sheet_eof)
            return 0;
        x->qhead = x->nqr = x->nqc = 0;
        x->qa.len = 0;
        sheet_fill(x);
    }
    const struct qrow *q = &x->qr[x->qhead++];
    grow(&x->outc, &x->capoutc, q->ncells + 1, sizeof *x->outc);
    for (size_t i = 0; i < q->ncells; i++) {
        const struct qcell *c = &x->qc[q->cell0 + i];
        x->outc[i] = (struct xlsx_cell){x->qa.p + c->off, c->len};
    }
    x->out = (struct xlsx_row){q->row, q->ncells, x->outc};
    *out = &x->out;
    return 1;
}

/* ======================= Opening ========================================== */

int xlsx_sniff(const unsigned char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0)
        return 1;
    if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return 2;
    return 0;
}

static int open_sheet(xlsx *x)
{
    if (parse_part(x, "xl/workbook.xml", wb_start, no_end, NULL)) {
        if (!x->failed)
            fail(x, "not an Excel workbook: no xl/workbook.xml (an .ods or "
                 "other zip file?): save it as .xlsx or as CSV UTF-8");
        return -1;
    }
    int rc = parse_part(x, "xl/_rels/workbook.xml.rels", rels_start, no_end,
                        NULL);
    if (rc) {
        if (!x->failed)
            fail(x, "corrupt workbook: no xl/_rels/workbook.xml.rels");
        return -1;
    }
    if (x->nsheets == 0) {
        fail(x, "workbook has no sheets");
        return -1;
    }
    const struct sheet_ref *pick = NULL;
    const struct rel *rel = NULL;
    for (size_t i = 0; i < x->nsheets && !pick; i++) {
        const struct sheet_ref *s = &x->sheets[i];
        const struct rel *r = rel_by_id(x, s->rid);
        if (x->opt.sheet ? strcmp(s->name, x->opt.sheet) == 0
                         : r && ends_with(r->type, "/worksheet"))
            pick = s, rel = r;
    }
    if (!pick) {
        struct buf names = {0};
        for (size_t i = 0; i < x->nsheets; i++)
            buf_printf(&names, "%s\"%s\"", i ? ", " : "", x->sheets[i].name);
        if (x->opt.sheet)
            fail(x, "no sheet named \"%s\" (the workbook has %s)", x->opt.sheet,
                 buf_cstr(&names));
        else
            fail(x, "workbook has no worksheets (only %s)", buf_cstr(&names));
        buf_fini(&names);
        return -1;
    }
    x->sheet = xstrdup(pick->name);
    if (!rel) {
        fail(x, "corrupt workbook: sheet \"%s\" has no part (relationship "
             "\"%s\" missing)", x->sheet, pick->rid);
        return -1;
    }
    if (!ends_with(rel->type, "/worksheet")) {
        fail(x, "sheet \"%s\" is not a worksheet (a chart or dialog sheet)",
             x->sheet);
        return -1;
    }
    x->sheet_part = xstrdup(rel->target);

    const struct rel *st = rel_by_type(x, "/styles");
    if (st && parse_part(x, st->target, st_start, st_end, NULL) < 0)
        return -1;
    const struct rel *ss = rel_by_type(x, "/sharedStrings");
    if (ss && parse_part(x, ss->target, sst_start, sst_end, on_text) < 0)
        return -1;
    x->collect = 0;
    rc = scan_merges(x);
    if (rc) {
        if (!x->failed)
            fail(x, "corrupt workbook: sheet \"%s\": part %s is missing",
                 x->sheet, x->sheet_part);
        return -1;
    }
    uint64_t size = 0;
    if (open_part(x, x->sheet_part, &x->zf, &size))
        return -1;
    x->sheet_total = size;
    x->xp = XML_ParserCreate(NULL);
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, sh_start, sh_end);
    XML_SetCharacterDataHandler(x->xp, on_text);
    x->chunk = xmalloc(READ_CHUNK);
    return 0;
}

static xlsx *start(const char *name, const struct xlsx_options *opt,
                   struct diag *err)
{
    xlsx *x = xcalloc(1, sizeof *x);
    x->name = xstrdup(name);
    if (opt)
        x->opt = *opt;
    if (!x->opt.max_part_bytes)
        x->opt.max_part_bytes = XLSX_MAX_PART;
    if (!x->opt.sst_mem_bytes)
        x->opt.sst_mem_bytes = XLSX_SST_MEM;
    sst_init(&x->sst, x->opt.sst_mem_bytes);
    x->open_err = err;
    return x;
}

/* A failed open: its error to the caller, and nothing left. */
static xlsx *open_failed(xlsx *x)
{
    if (x->open_err)
        *x->open_err = x->errd;
    xlsx_free(x);
    return NULL;
}

static xlsx *finish_open(xlsx *x, zip_t *z, zip_error_t *ze)
{
    if (!z) {
        fail(x, "corrupt workbook: not a readable zip archive (%s)",
             zip_error_strerror(ze));
        return open_failed(x);
    }
    x->zip = z;
    if (open_sheet(x) < 0)
        return open_failed(x);
    return x;
}

xlsx *xlsx_open_fd(int fd, const char *name, const struct xlsx_options *opt,
                   struct diag *err)
{
    xlsx *x = start(name, opt, err);
    unsigned char magic[8];
    ssize_t got = pread(fd, magic, sizeof magic, 0);
    if (got > 0 && xlsx_sniff(magic, (size_t)got) == 2) {
        fail(x, "%s", XLSX_OLE2_MESSAGE);
        close(fd);
        return open_failed(x);
    }
    int zerr = 0;
    zip_t *z = zip_fdopen(fd, 0, &zerr);
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    if (!z)
        close(fd); /* zip_fdopen leaves it open on error */
    x = finish_open(x, z, &ze);
    zip_error_fini(&ze);
    return x;
}

xlsx *xlsx_open_mem(const void *p, size_t n, const char *name,
                    const struct xlsx_options *opt, struct diag *err)
{
    xlsx *x = start(name, opt, err);
    if (xlsx_sniff(p, n) == 2) {
        fail(x, "%s", XLSX_OLE2_MESSAGE);
        return open_failed(x);
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(n ? p : "", n, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (src && !z)
        zip_source_free(src);
    x = finish_open(x, z, &ze);
    zip_error_fini(&ze);
    return x;
}

const char *xlsx_sheet_name(const xlsx *x) { return x->sheet; }
size_t xlsx_nmerges(const xlsx *x) { return x->nmerges; }
const struct xlsx_merge *xlsx_merges(const xlsx *x) { return x->merges; }
uint64_t xlsx_sheet_bytes_read(const xlsx *x) { return x->sheet_read; }
uint64_t xlsx_sheet_bytes_total(const xlsx *x) { return x->sheet_total; }

void xlsx_free(xlsx *x)
{
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    if (x->zf)
        zip_fclose(x->zf);
    if (x->zip)
        zip_discard(x->zip); /* read-only: nothing to write back */
    free(x->name);
    for (size_t i = 0; i < x->nsheets; i++)
        free(x->sheets[i].name), free(x->sheets[i].rid);
    free(x->sheets);
    for (size_t i = 0; i < x->nrels; i++)
        free(x->rels[i].id), free(x->rels[i].target), free(x->rels[i].type);
    free(x->rels);
    free(x->sheet);
    free(x->sheet_part);
    free(x->xf_kind);
    strvec_fini(&x->fmt_codes);
    sst_fini(&x->sst);
    free(x->merges);
    buf_fini(&x->text);
    free(x->chunk);
    buf_fini(&x->cur);
    free(x->curoff);
    buf_fini(&x->qa);
    free(x->qc);
    free(x->qr);
    free(x->outc);
    buf_fini(&x->tmp);
    free(x);
}
