/* roster.c - see roster.h. The roster is small (one row per resident): it
 * is kept whole, its values in one strvec, keys in a strmap. */
#include "roster.h"
#include "columns.h"
#include "hashmap.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct roster {
    char *path;
    struct strvec names, columns;  /* cohort NAMEs and roster headers */
    size_t ncohort;
    struct strmap by_key;          /* normalized key -> resident */
    struct strvec values;          /* resident k's cohort i: k*ncohort+i */
    unsigned long *row;            /* resident k's roster row */
    unsigned char *seen;
    size_t n, cap;
    char sha256[65];
};

/* "Mensah,  Jessica " and "jessica mensah" -> "jessica mensah". */
void roster_norm_key(struct buf *out, const char *s, size_t n)
{
    buf_clear(out);
    const char *comma = memchr(s, ',', n);
    struct buf tmp;
    buf_init(&tmp);
    if (comma) { /* "Last, First" -> "First Last" */
        buf_append(&tmp, comma + 1, (size_t)(s + n - comma - 1));
        buf_putc(&tmp, ' ');
        buf_append(&tmp, s, (size_t)(comma - s));
        s = buf_cstr(&tmp);
        n = tmp.len;
    }
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            space = out->len > 0;
            continue;
        }
        if (space)
            buf_putc(out, ' ');
        space = 0;
        buf_putc(out, (char)tolower(c));
    }
    buf_cstr(out);
    buf_fini(&tmp);
}

static long find_col(const reader *rd, const char *path, const char *want,
                     const char *what, struct diag *err)
{
    size_t n = reader_ncolumns(rd);
    const char **names = xmalloc((n ? n : 1) * sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = reader_column(rd, i);
    long c = columns_find(names, n, want, what, path, err);
    free(names);
    return c;
}

roster *roster_load(const struct roster_options *o, struct diag *err)
{
    if (!o->key) {
        diag_set(err, DIAG_ERROR, o->path, 0, 0, "--roster needs "
                 "--roster-key COL (the roster column holding the names the "
                 "export's resident column has)");
        return NULL;
    }
    uint64_t bytes;
    char sha[65];
    if (reader_hash_file(o->path, sha, &bytes, err) < 0)
        return NULL;
    /* The roster is its own file: its sheet (the first by default), and
     * its own header and delimiter, detected; the export's encoding and
     * limits still apply. */
    struct reader_options ropt = o->ropt;
    ropt.sheet = o->sheet;
    ropt.delimiter = 0;
    ropt.header_row = 0;
    reader *rd = reader_open(o->path, &ropt, err);
    if (!rd)
        return NULL;
    roster *r = xcalloc(1, sizeof *r);
    memcpy(r->sha256, sha, sizeof sha);
    r->path = xstrdup(o->path);
    strmap_init(&r->by_key);
    r->ncohort = o->ncohort;
    long key = find_col(rd, o->path, o->key, "--roster-key", err);
    long *cols = xcalloc(o->ncohort ? o->ncohort : 1, sizeof *cols);
    int rc = key < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < o->ncohort; i++) {
        const char *v = o->cohort[i], *eq = strchr(v, '=');
        char *col = eq ? xstrndup(v, (size_t)(eq - v)) : xstrdup(v);
        cols[i] = find_col(rd, o->path, col, "--roster-cohort", err);
        if (cols[i] < 0)
            rc = -1;
        strvec_push(&r->columns, col);
        strvec_push(&r->names, eq && eq[1] ? eq + 1 : col);
        free(col);
    }
    struct buf k;
    buf_init(&k);
    const struct record *rec;
    int st;
    while (rc == 0 && (st = reader_next(rd, &rec, err, NULL)) == READER_OK) {
        const struct span *f = &rec->fields[key];
        roster_norm_key(&k, f->p, f->len);
        if (k.len == 0)
            continue; /* a blank key: not a resident */
        int added;
        size_t *slot = strmap_put(&r->by_key, k.p, k.len, r->n, &added);
        if (!added) { /* listed twice: the same values, or an error */
            for (size_t i = 0; i < o->ncohort; i++) {
                const struct span *v = &rec->fields[cols[i]];
                const char *had = r->values.v[*slot * r->ncohort + i];
                if (strlen(had) != v->len || strncasecmp(had, v->p, v->len)) {
                    diag_set(err, DIAG_ERROR, o->path, rec->row, 0,
                             "resident \"%.*s\" is listed twice with different "
                             "\"%s\": \"%s\" on row %lu, \"%.*s\" here (column "
                             "%ld); one label per resident", (int)f->len, f->p,
                             r->columns.v[i], had, r->row[*slot], (int)v->len,
                             v->p, cols[i] + 1);
                    rc = -1;
                    break;
                }
            }
            continue;
        }
        grow(&r->row, &r->cap, r->n + 1, sizeof *r->row);
        r->row[r->n++] = rec->row;
        for (size_t i = 0; i < o->ncohort; i++) {
            const struct span *v = &rec->fields[cols[i]];
            const char *p = v->p;
            size_t n = v->len;
            while (n && isspace((unsigned char)*p)) {
                p++;
                n--;
            }
            while (n && isspace((unsigned char)p[n - 1]))
                n--;
            char *s = xstrndup(p, n);
            strvec_push(&r->values, s);
            free(s);
        }
    }
    if (rc == 0 && st == READER_ERROR)
        rc = -1;
    buf_fini(&k);
    free(cols);
    reader_free(rd);
    if (rc < 0) {
        roster_free(r);
        return NULL;
    }
    r->seen = xcalloc(r->n ? r->n : 1, 1);
    return r;
}

void roster_free(roster *r)
{
    if (!r)
        return;
    free(r->path);
    strvec_fini(&r->names);
    strvec_fini(&r->columns);
    strmap_fini(&r->by_key);
    strvec_fini(&r->values);
    free(r->row);
    free(r->seen);
    free(r);
}

size_t roster_ncohorts(const roster *r) { return r->ncohort; }
const char *roster_cohort_name(const roster *r, size_t i) { return r->names.v[i]; }
const char *roster_cohort_column(const roster *r, size_t i) { return r->columns.v[i]; }
size_t roster_nrows(const roster *r) { return r->n; }
const char *roster_sha256(const roster *r) { return r->sha256; }

long roster_find(roster *r, const char *name, size_t len)
{
    struct buf k;
    buf_init(&k);
    roster_norm_key(&k, name, len);
    size_t *slot = k.len ? strmap_get(&r->by_key, k.p, k.len) : NULL;
    buf_fini(&k);
    if (!slot)
        return -1;
    r->seen[*slot] = 1;
    return (long)*slot;
}

const char *roster_value(const roster *r, long k, size_t i)
{
    return r->values.v[(size_t)k * r->ncohort + i];
}

size_t roster_nunseen(const roster *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n; k++)
        n += !r->seen[k];
    return n;
}
