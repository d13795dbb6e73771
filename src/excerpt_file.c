/* excerpt_file.c - index and read back excerpts.csv (see excerpt_file.h).
 *
 * Record boundaries are found by a quote-aware scan (a record ends at a
 * line feed outside quotes; a doubled quote toggles twice), which is exact
 * for RFC 4180 files like the ones report_csv.c writes; each record's bytes
 * are then parsed by libcsv, so unquoting follows the same library the
 * reader uses. */
#include "excerpt_file.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct xf_span {
    uint64_t off;
    uint32_t len;
};

struct excerpt_file {
    FILE *f;
    char *path;
    struct xf_span *rows;
    size_t n, cap;
    struct buf raw;      /* one record's bytes */
    struct buf fields;   /* its unquoted fields, NUL-separated */
    size_t foff[XF_NCOLS + 1];
    size_t nf;
    struct csv_parser csv;
};

static const char *const header[XF_NCOLS] = {
    "evaluation_id", "resident", "column", "lexicon", "category", "term",
    "matched_text", "negated", "start", "end", "excerpt",
};

static void on_field(void *s, size_t len, void *data)
{
    struct excerpt_file *x = data;
    if (x->nf < XF_NCOLS)
        x->foff[x->nf] = x->fields.len;
    x->nf++;
    buf_append(&x->fields, s, len);
    buf_putc(&x->fields, '\0');
}

static void on_record(int c, void *data)
{
    (void)c;
    (void)data;
}

/* Parse raw into fields. Returns the number of fields. */
static size_t parse_raw(struct excerpt_file *x)
{
    buf_clear(&x->fields);
    x->nf = 0;
    csv_parse(&x->csv, x->raw.p, x->raw.len, on_field, on_record, x);
    csv_fini(&x->csv, on_field, on_record, x);
    return x->nf;
}

excerpt_file *excerpt_file_open(const char *path, struct diag *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return NULL;
    }
    struct excerpt_file *x = xcalloc(1, sizeof *x);
    x->f = f;
    x->path = xstrdup(path);
    buf_init(&x->raw);
    buf_init(&x->fields);
    csv_init(&x->csv, CSV_APPEND_NULL);
    csv_set_realloc_func(&x->csv, xrealloc);
    csv_set_free_func(&x->csv, free);

    static char chunk[1 << 16];
    uint64_t pos = 0, start = 0;
    int inq = 0, first = 1;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        for (size_t i = 0; i < n; i++) {
            char c = chunk[i];
            if (c == '"')
                inq = !inq;
            else if (c == '\n' && !inq) {
                uint64_t end = pos + i + 1;
                if (first) {
                    first = 0;
                } else {
                    grow(&x->rows, &x->cap, x->n + 1, sizeof *x->rows);
                    x->rows[x->n++] = (struct xf_span){start,
                                                       (uint32_t)(end - start)};
                }
                start = end;
            }
        }
        pos += n;
    }
    if (ferror(f) || first || start != pos) {
        diag_set(err, DIAG_ERROR, path, 0, 0, "%s",
                 ferror(f) ? "cannot read" : "not a complete excerpts.csv");
        excerpt_file_free(x);
        return NULL;
    }
    /* The header must be excerpts.csv's. */
    buf_clear(&x->raw);
    buf_reserve(&x->raw, 512);
    fseek(f, 0, SEEK_SET);
    size_t hn = fread(x->raw.p, 1, 511, f);
    char *nl = memchr(x->raw.p, '\n', hn);
    x->raw.len = nl ? (size_t)(nl - x->raw.p) + 1 : hn;
    int ok = parse_raw(x) == XF_NCOLS;
    for (size_t i = 0; ok && i < XF_NCOLS; i++)
        ok = strcmp(x->fields.p + x->foff[i], header[i]) == 0;
    if (!ok) {
        diag_set(err, DIAG_ERROR, path, 1, 0,
                 "not an excerpts.csv: unexpected header");
        excerpt_file_free(x);
        return NULL;
    }
    return x;
}

void excerpt_file_free(excerpt_file *x)
{
    if (!x)
        return;
    if (x->f)
        fclose(x->f);
    csv_free(&x->csv);
    buf_fini(&x->raw);
    buf_fini(&x->fields);
    free(x->rows);
    free(x->path);
    free(x);
}

size_t excerpt_file_count(const excerpt_file *x)
{
    return x->n;
}

int excerpt_file_get(excerpt_file *x, size_t i, struct xf_row *out,
                     struct diag *err)
{
    const struct xf_span *sp = &x->rows[i];
    buf_clear(&x->raw);
    buf_reserve(&x->raw, sp->len + 1);
    if (fseek(x->f, (long)sp->off, SEEK_SET) != 0 ||
        fread(x->raw.p, 1, sp->len, x->f) != sp->len) {
        diag_set(err, DIAG_ERROR, x->path, 0, 0, "cannot read row %zu",
                 i + 2);
        return -1;
    }
    x->raw.len = sp->len;
    if (parse_raw(x) != XF_NCOLS) {
        diag_set(err, DIAG_ERROR, x->path, 0, 0,
                 "row %zu: %zu fields, expected %d", i + 2, x->nf,
                 XF_NCOLS);
        return -1;
    }
    for (size_t c = 0; c < XF_NCOLS; c++) {
        const char *s = x->fields.p + x->foff[c];
        size_t len = strlen(s);
        /* Undo report_cell's formula guard. */
        if (len >= 2 && s[0] == '\'' && strchr("=+-@", s[1])) {
            s++;
            len--;
        }
        out->f[c] = s;
        out->len[c] = len;
    }
    out->negated = strcmp(out->f[XF_NEGATED], "true") == 0;
    return 0;
}

/* Does folded needle occur at hay[i..]? ci: ASCII case-insensitively. */
static size_t match_at(const char *hay, size_t hn, size_t i,
                       const char *nd, size_t nn, int ci)
{
    size_t j = 0, k = i;
    while (j < nn) {
        if (isspace((unsigned char)nd[j])) {
            /* a white space run in the match is one space in the excerpt */
            while (j < nn && isspace((unsigned char)nd[j]))
                j++;
            if (k >= hn || hay[k] != ' ')
                return 0;
            k++;
            continue;
        }
        if (k >= hn)
            return 0;
        unsigned char a = (unsigned char)hay[k], b = (unsigned char)nd[j];
        if (a != b && !(ci && tolower(a) == tolower(b)))
            return 0;
        j++;
        k++;
    }
    return k;
}

int xf_row_mark(const struct xf_row *r, unsigned nth, size_t *s, size_t *e)
{
    const char *hay = r->f[XF_EXCERPT], *nd = r->f[XF_MATCHED];
    size_t hn = r->len[XF_EXCERPT], nn = r->len[XF_MATCHED];
    if (!nn)
        return -1;
    int found = 0;
    for (size_t i = 0; i < hn; i++) {
        size_t k = match_at(hay, hn, i, nd, nn, 0);
        if (k) {
            *s = i;
            *e = k;
            found = 1;
            if (nth-- == 0)
                return 0;
            i = k - 1;
        }
    }
    if (found)
        return 0;
    for (size_t i = 0; i < hn; i++) {
        size_t k = match_at(hay, hn, i, nd, nn, 1);
        if (k) {
            *s = i;
            *e = k;
            return 0;
        }
    }
    return -1;
}

/* One (excerpt, matched text) of the current field: its last start and
 * occurrence number. */
struct nth_seen {
    uint64_t key;
    unsigned long start;
    uint16_t nth;
};

int excerpt_file_nths(excerpt_file *x, uint16_t *nth, struct diag *err)
{
    struct buf field;
    buf_init(&field);
    struct nth_seen *seen = NULL;
    size_t nseen = 0, cap = 0;
    struct xf_row r;
    int rc = 0;
    for (size_t i = 0; i < x->n; i++) {
        if ((rc = excerpt_file_get(x, i, &r, err)) < 0)
            break;
        /* A new field (evaluation id and column) starts the list anew. */
        size_t flen = r.len[XF_ID] + 1 + r.len[XF_COLUMN];
        if (field.len != flen || memcmp(field.p, r.f[XF_ID], r.len[XF_ID]) ||
            memcmp(field.p + r.len[XF_ID] + 1, r.f[XF_COLUMN],
                   r.len[XF_COLUMN])) {
            buf_clear(&field);
            buf_append(&field, r.f[XF_ID], r.len[XF_ID]);
            buf_putc(&field, '\0');
            buf_append(&field, r.f[XF_COLUMN], r.len[XF_COLUMN]);
            nseen = 0;
        }
        uint64_t key = hash_bytes(r.f[XF_EXCERPT], r.len[XF_EXCERPT]) * 31 +
                       hash_bytes(r.f[XF_MATCHED], r.len[XF_MATCHED]);
        unsigned long start = strtoul(r.f[XF_START], NULL, 10);
        size_t j = 0;
        while (j < nseen && seen[j].key != key)
            j++;
        if (j == nseen) {
            grow(&seen, &cap, nseen + 1, sizeof *seen);
            seen[nseen++] = (struct nth_seen){key, start, 0};
        } else if (seen[j].start != start) {
            seen[j].start = start;
            if (seen[j].nth < UINT16_MAX)
                seen[j].nth++;
        }
        nth[i] = seen[j].nth;
    }
    free(seen);
    buf_fini(&field);
    return rc;
}

void excerpt_cohorts_row(FILE *f, const char *const *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(EXCERPT_COHORT_SEP, f);
        for (const char *p = labels[i] ? labels[i] : ""; *p; p++)
            fputc(*p == '\n' || *p == '\r' || *p == EXCERPT_COHORT_SEP ? ' '
                                                                     : *p, f);
    }
    fputc('\n', f);
}
