/* cohortmap.c - label -> cohort mapping read from a CSV (see cohortmap.h). */
#include "cohortmap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hashmap.h"
#include "reader.h"
#include "util.h"

struct cohortmap {
    struct strmap by_label;   /* folded label -> index into targets */
    struct strvec targets;    /* cohort names, one per mapping row */
    struct buf key;
};

/* Trimmed, ASCII-lowercased copy of s in m->key. */
static void fold(cohortmap *m, const char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    buf_clear(&m->key);
    for (size_t i = 0; i < n; i++)
        buf_putc(&m->key, (char)tolower((unsigned char)s[i]));
    buf_cstr(&m->key);
}

static long header_col(const reader *r, const char *name)
{
    for (size_t i = 0; i < reader_ncolumns(r); i++)
        if (strcmp(reader_column(r, i), name) == 0)
            return (long)i;
    return -1;
}

cohortmap *cohortmap_load(const char *path, struct diags *warn,
                          struct diag *err)
{
    struct reader_options ro = {.encoding = READER_ENC_AUTO,
                                .on_bad_row = READER_BAD_ROW_ERROR};
    reader *r = reader_open(path, &ro, err);
    if (!r)
        return NULL;
    long lc = header_col(r, "label"), cc = header_col(r, "cohort");
    if (lc < 0 || cc < 0) {
        diag_set(err, DIAG_ERROR, path, 1, 0,
                 "a cohort map needs the header \"label,cohort\" (one row "
                 "per spelling, e.g. F,Female)");
        reader_free(r);
        return NULL;
    }
    cohortmap *m = xcalloc(1, sizeof *m);
    strmap_init(&m->by_label);
    buf_init(&m->key);
    const struct record *rec;
    int st;
    while ((st = reader_next(r, &rec, err, warn)) == READER_OK) {
        const char *label = rec->fields[lc].p, *cohort = rec->fields[cc].p;
        fold(m, cohort);
        if (m->key.len == 0) {
            diag_set(err, DIAG_ERROR, path, rec->row, (unsigned long)cc + 1,
                     "empty cohort for label \"%s\"", label);
            st = READER_ERROR;
            break;
        }
        fold(m, label);
        int added;
        size_t *slot = strmap_put(&m->by_label, m->key.p, m->key.len,
                                  m->targets.n, &added);
        if (!added && strcmp(m->targets.v[*slot], cohort) != 0) {
            diag_set(err, DIAG_ERROR, path, rec->row, (unsigned long)lc + 1,
                     "label \"%s\" is mapped twice (to \"%s\" and \"%s\")",
                     label, m->targets.v[*slot], cohort);
            st = READER_ERROR;
            break;
        }
        if (added)
            strvec_push(&m->targets, cohort);
    }
    reader_free(r);
    if (st == READER_ERROR) {
        cohortmap_free(m);
        return NULL;
    }
    return m;
}

void cohortmap_free(cohortmap *m)
{
    if (!m)
        return;
    strmap_fini(&m->by_label);
    strvec_fini(&m->targets);
    buf_fini(&m->key);
    free(m);
}

const char *cohortmap_apply(cohortmap *m, const char *label)
{
    fold(m, label);
    size_t *slot = strmap_get(&m->by_label, m->key.p ? m->key.p : "",
                              m->key.len);
    return slot ? m->targets.v[*slot] : label;
}

int cohortmap_is_target(const cohortmap *m, const char *name)
{
    for (size_t i = 0; i < m->targets.n; i++)
        if (strcasecmp(m->targets.v[i], name) == 0)
            return 1;
    return 0;
}
