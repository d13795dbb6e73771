/* labels.c - see labels.h. Per column: person -> index (strmap), and per
 * person a short array of (label, folded key, count); persons have one or
 * two labels, so a linear search is the right structure. */
#include "labels.h"
#include "hashmap.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct seen_label {
    char *label;      /* first spelling, trimmed; "" for blank */
    char *key;        /* folded */
    uint64_t n;
};

struct person {
    char *name;
    struct seen_label *v;
    size_t n, cap;
};

struct column {
    struct strmap by_name;
    struct person *p;
    size_t n, cap;
};

struct labels {
    size_t ncols;
    struct column *cols;
};

labels *labels_new(size_t ncols)
{
    labels *l = xcalloc(1, sizeof *l);
    l->ncols = ncols;
    l->cols = xcalloc(ncols ? ncols : 1, sizeof *l->cols);
    for (size_t c = 0; c < ncols; c++)
        strmap_init(&l->cols[c].by_name);
    return l;
}

void labels_free(labels *l)
{
    if (!l)
        return;
    for (size_t c = 0; c < l->ncols; c++) {
        struct column *col = &l->cols[c];
        for (size_t j = 0; j < col->n; j++) {
            for (size_t i = 0; i < col->p[j].n; i++) {
                free(col->p[j].v[i].label);
                free(col->p[j].v[i].key);
            }
            free(col->p[j].v);
            free(col->p[j].name);
        }
        free(col->p);
        strmap_fini(&col->by_name);
    }
    free(l->cols);
    free(l);
}

void labels_note(labels *l, size_t c, const char *person, const char *label,
                 uint64_t n)
{
    struct column *col = &l->cols[c];
    int added;
    size_t *slot = strmap_put(&col->by_name, person, strlen(person), col->n,
                              &added);
    if (added) {
        grow(&col->p, &col->cap, col->n + 1, sizeof *col->p);
        col->p[col->n++] = (struct person){.name = xstrdup(person)};
    }
    struct person *p = &col->p[*slot];
    /* Trimmed and folded as tally.c groups cohort labels. */
    const char *s = label ? label : "";
    size_t len = strlen(s);
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char *key = xstrndup(s, len);
    for (size_t i = 0; i < len; i++)
        key[i] = (char)tolower((unsigned char)key[i]);
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].key, key) == 0) {
            p->v[i].n += n;
            free(key);
            return;
        }
    grow(&p->v, &p->cap, p->n + 1, sizeof *p->v);
    p->v[p->n++] = (struct seen_label){xstrndup(s, len), key, n};
}

size_t labels_npersons(const labels *l, size_t c)
{
    return l->cols[c].n;
}

const char *labels_person(const labels *l, size_t c, size_t j)
{
    return l->cols[c].p[j].name;
}

size_t labels_nlabels(const labels *l, size_t c, size_t j)
{
    return l->cols[c].p[j].n;
}

const char *labels_label(const labels *l, size_t c, size_t j, size_t i,
                         uint64_t *n)
{
    const struct seen_label *s = &l->cols[c].p[j].v[i];
    if (n)
        *n = s->n;
    return s->label;
}

const char *labels_choose(const labels *l, size_t c, size_t j,
                          enum label_how *how)
{
    const struct person *p = &l->cols[c].p[j];
    const struct seen_label *best = NULL;
    size_t nonblank = 0;
    int blank = 0, tie = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct seen_label *s = &p->v[i];
        if (!*s->key) {
            blank = 1;
            continue;
        }
        nonblank++;
        if (!best || s->n > best->n) {
            best = s;
            tie = 0;
        } else if (s->n == best->n) {
            tie = 1;
        }
    }
    if (nonblank == 0) {
        *how = LABEL_SAME;
        return "";
    }
    if (nonblank == 1) {
        *how = blank ? LABEL_FILLED : LABEL_SAME;
        return best->label;
    }
    *how = tie ? LABEL_TIE : LABEL_MAJORITY;
    return tie ? LABELS_CONFLICT : best->label;
}

void labels_merge(labels *dst, const labels *src, const char *prefix)
{
    struct buf name;
    buf_init(&name);
    for (size_t c = 0; c < src->ncols && c < dst->ncols; c++)
        for (size_t j = 0; j < src->cols[c].n; j++) {
            const struct person *p = &src->cols[c].p[j];
            buf_clear(&name);
            buf_printf(&name, "%s%s", prefix ? prefix : "", p->name);
            for (size_t i = 0; i < p->n; i++)
                labels_note(dst, c, name.p, p->v[i].label, p->v[i].n);
        }
    buf_fini(&name);
}

void labels_apply(const labels *l, tally *t, unsigned long *filled,
                  unsigned long *majority, unsigned long *tie)
{
    for (size_t c = 0; c < l->ncols && c < tally_ncohort_cols(t); c++)
        for (size_t j = 0; j < l->cols[c].n; j++) {
            enum label_how how;
            const char *label = labels_choose(l, c, j, &how);
            if (how == LABEL_SAME)
                continue;
            tally_relabel(t, c, l->cols[c].p[j].name, label);
            /* Counted by the rule, not by cells moved, so a merge of parts
             * (which moved some cells already) counts as one run. */
            if (how == LABEL_FILLED)
                filled[c]++;
            else if (how == LABEL_MAJORITY)
                majority[c]++;
            else if (how == LABEL_TIE)
                tie[c]++;
        }
}
