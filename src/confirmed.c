/* confirmed.c - the audit's tally with only confirmed hits, and its rates
 * and comparisons (see confirmed.h). */
#include "confirmed.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "hashmap.h"
#include "labels.h"
#include "outfile.h"
#include "report.h"
#include "tally.h"
#include "tally_file.h"

/* The cell of resident in cohort k of column c (cells are sorted by
 * strcmp of the names), or SIZE_MAX. */
static size_t find_cell(const tally *t, size_t c, size_t k, const char *r)
{
    size_t lo = 0, hi = tally_ncells(t, c, k);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(tally_cell_resident(t, c, k, mid), r);
        if (d == 0)
            return mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* Where an evaluation's counts are in column c: the cohort its label names
 * when the resident has a cell there; else (a person given one label after
 * the rows were read, labels.h) the one cohort of the column holding the
 * resident. Returns 0, or -1 when neither places it. */
static int place(const tally *t, size_t c, const char *label,
                 const char *resident, size_t *k, size_t *j)
{
    if (label) {
        *k = tally_find_cohort(t, c, label);
        if (*k != SIZE_MAX && (*j = find_cell(t, c, *k, resident)) != SIZE_MAX)
            return 0;
    }
    size_t found = 0;
    for (size_t q = 0; q < tally_ncohorts(t, c); q++) {
        size_t x = find_cell(t, c, q, resident);
        if (x != SIZE_MAX) {
            found++;
            *k = q;
            *j = x;
        }
    }
    return found == 1 ? 0 : -1;
}

/* One evaluation's counted hits of one item: in the key, and confirmed. */
struct pair {
    size_t ev, item;
    uint64_t orig, conf;
};

/* What is taken out of one cohort or cell, per item: hits and
 * evaluations with a hit. */
struct removal {
    uint64_t *v;                 /* [item * 2 + 0] hits, [+1] evaluations */
};

static void remove_into(uint64_t *v, const struct pair *p)
{
    v[p->item * 2] += p->orig - p->conf;
    v[p->item * 2 + 1] += p->conf == 0;
}

/* n minus what r takes out of item i; -1 when it would go below zero (the
 * key and the tally disagree). */
static int subtract(struct item_counts *n, const uint64_t *r, size_t i)
{
    if (!r)
        return 0;
    if (r[i * 2] > n->hits || r[i * 2 + 1] > n->evals_with_hit)
        return -1;
    n->hits -= r[i * 2];
    n->evals_with_hit -= r[i * 2 + 1];
    return 0;
}

static int nonzero(const struct item_counts *n)
{
    return n->hits || n->negated || n->evals_with_hit || n->other_referent ||
           n->quoted;
}

static int write_csv(const char *dir, const char *name, const tally *t,
                     const struct tally_part *p,
                     const struct comparisons *cmp, struct diag *err)
{
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", dir, name);
    struct outfile o;
    int rc = outfile_open(&o, buf_cstr(&path), err);
    buf_fini(&path);
    if (rc < 0)
        return -1;
    if (strcmp(name, "rates.csv") == 0)
        report_rates_write(o.f, t, p->set, &p->cols, cmp);
    else
        report_comparisons_write(o.f, t, p->set, &p->cols, cmp);
    return outfile_close(&o, 1, err);
}

int confirmed_write(const char *audit_dir, const char *out_dir,
                    const struct confirmed_hit *hits, size_t nhits,
                    const struct strvec *cohort_names, char *why,
                    size_t nwhy, struct diags *warn, struct diag *err)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", audit_dir, TALLY_FILE_NAME);
    struct stat st;
    if (stat(buf_cstr(&b), &st) != 0) {
        snprintf(why, nwhy, "%s has no %s (an audit run with --tally-only "
                 "or before tally files?)", audit_dir, TALLY_FILE_NAME);
        buf_fini(&b);
        return 1;
    }
    struct tally_part p;
    if (tally_file_read(buf_cstr(&b), &p, err) < 0) {
        buf_fini(&b);
        return -1;
    }
    tally *t = p.t;
    const struct lexicon_set *set = p.set;
    size_t ncols = tally_ncohort_cols(t), nitems = tally_nitems(t);
    /* The labels the audit gave each person, as merge applies them. */
    unsigned long *lf = xcalloc(ncols + 1, sizeof *lf),
                  *lm = xcalloc(ncols + 1, sizeof *lm),
                  *lt = xcalloc(ncols + 1, sizeof *lt);
    labels_apply(p.pl, t, lf, lm, lt);
    free(lf);
    free(lm);
    free(lt);
    tally_finish(t);

    int rc = 0;
    why[0] = '\0';
    /* Key cohort column of each tally column, or -1 ("(all)" has none). */
    long *kc = xmalloc((ncols ? ncols : 1) * sizeof *kc);
    for (size_t c = 0; c < ncols; c++) {
        kc[c] = -1;
        for (size_t q = 0; q < cohort_names->n; q++)
            if (strcmp(cohort_names->v[q], p.cols.v[c]) == 0)
                kc[c] = (long)q;
    }
    struct strmap entry_by, ev_by;
    strmap_init(&entry_by);
    strmap_init(&ev_by);
    for (size_t e = 0; e < set->nentries; e++) {
        const struct lex_entry *x = &set->entries[e];
        buf_clear(&b);
        buf_printf(&b, "%s%c%s%c%s", set->lexicons[x->lexicon].name, 0x1f,
                   set->categories[x->category].name, 0x1f, x->term);
        int added;
        strmap_put(&entry_by, b.p, b.len, e, &added);
    }
    /* Each evaluation's counted hits per item, from the key. */
    size_t *ev_first = NULL, nev = 0, capev = 0;
    struct u64map pair_by;
    u64map_init(&pair_by);
    struct pair *pairs = NULL;
    size_t npairs = 0, cappairs = 0;
    uint64_t *key_hits = xcalloc(set->nentries ? set->nentries : 1,
                                 sizeof *key_hits);
    for (size_t h = 0; h < nhits && rc == 0; h++) {
        const struct confirmed_hit *x = &hits[h];
        if (!x->counted)
            continue;
        buf_clear(&b);
        buf_printf(&b, "%s%c%s%c%s", x->lexicon, 0x1f, x->category, 0x1f,
                   x->term);
        size_t *e = strmap_get(&entry_by, b.p, b.len);
        if (!e) {
            snprintf(why, nwhy, "the key's term \"%s\" (%s, %s) is not in "
                     "the audit's lexicons: a key of another audit?",
                     x->term, x->lexicon, x->category);
            rc = 1;
            break;
        }
        key_hits[*e]++;
        int added;
        size_t ev = *strmap_put(&ev_by, x->evaluation, strlen(x->evaluation),
                                nev, &added);
        if (added) {
            grow(&ev_first, &capev, nev + 1, sizeof *ev_first);
            ev_first[nev++] = h;
        }
        size_t items[2] = {*e, set->nentries + set->entries[*e].category};
        for (int i = 0; i < 2; i++) {
            size_t *pi = u64map_put(&pair_by, (uint64_t)ev << 24 | items[i],
                                    npairs, &added);
            if (added) {
                grow(&pairs, &cappairs, npairs + 1, sizeof *pairs);
                pairs[npairs++] = (struct pair){ev, items[i], 0, 0};
            }
            pairs[*pi].orig++;
            pairs[*pi].conf += x->confirmed != 0;
        }
    }
    /* Every counted hit of the audit must be in the key. */
    for (size_t e = 0; e < set->nentries && rc == 0; e++) {
        uint64_t n = 0;
        for (size_t k = 0; ncols && k < tally_ncohorts(t, 0); k++)
            n += tally_item(t, 0, k, e).hits;
        if (n != key_hits[e]) {
            snprintf(why, nwhy, "the key holds %llu of the audit's %llu "
                     "counted hits of \"%s\" (%s): the packet held a "
                     "selection of the excerpts, or is another audit's",
                     (unsigned long long)key_hits[e], (unsigned long long)n,
                     set->entries[e].term,
                     set->categories[set->entries[e].category].name);
            rc = 1;
        }
    }
    /* What comes out of each cohort and cell. */
    uint64_t **coh_rem = xcalloc(ncols ? ncols : 1, sizeof *coh_rem);
    for (size_t c = 0; c < ncols; c++)
        coh_rem[c] = xcalloc(tally_ncohorts(t, c) * nitems * 2 + 1,
                             sizeof **coh_rem);
    struct strmap cell_by;
    strmap_init(&cell_by);
    struct removal *cells = NULL;
    size_t ncells = 0, capcells = 0;
    size_t *place_k = xmalloc((ncols ? ncols : 1) * sizeof *place_k);
    size_t *place_cell = xmalloc((ncols ? ncols : 1) * sizeof *place_cell);
    /* pairs are grouped by evaluation in key order: place each once. */
    size_t placed_ev = SIZE_MAX;
    for (size_t i = 0; i < npairs && rc == 0; i++) {
        const struct pair *pr = &pairs[i];
        const struct confirmed_hit *x = &hits[ev_first[pr->ev]];
        if (pr->ev != placed_ev) {
            placed_ev = pr->ev;
            for (size_t c = 0; c < ncols && rc == 0; c++) {
                size_t k, j;
                const char *label = kc[c] >= 0 ? x->cohorts[kc[c]] : NULL;
                if (place(t, c, label, x->resident, &k, &j) < 0) {
                    snprintf(why, nwhy, "evaluation %s (resident %s) has no "
                             "single place in the audit's column %s: a key "
                             "of another audit?", x->evaluation,
                             x->resident, p.cols.v[c]);
                    rc = 1;
                    break;
                }
                uint64_t ck[3] = {c, k, j};
                int added;
                size_t ci = *strmap_put(&cell_by, (const char *)ck,
                                        sizeof ck, ncells, &added);
                if (added) {
                    grow(&cells, &capcells, ncells + 1, sizeof *cells);
                    cells[ncells++].v = xcalloc(nitems * 2,
                                                sizeof(uint64_t));
                }
                place_k[c] = k;
                place_cell[c] = ci;
            }
        }
        for (size_t c = 0; c < ncols && rc == 0; c++) {
            remove_into(coh_rem[c] + place_k[c] * nitems * 2, pr);
            remove_into(cells[place_cell[c]].v, pr);
        }
    }
    /* The confirmed tally: the audit's, less what came out. */
    tally *nt = NULL;
    if (rc == 0) {
        uint32_t *cat = xmalloc((set->nentries ? set->nentries : 1) *
                                sizeof *cat);
        for (size_t e = 0; e < set->nentries; e++)
            cat[e] = set->entries[e].category;
        nt = tally_new(ncols, set->nentries, cat, set->ncategories);
        free(cat);
    }
    for (size_t c = 0; c < ncols && rc == 0; c++)
        for (size_t k = 0; k < tally_ncohorts(t, c) && rc == 0; k++) {
            size_t k2 = tally_put_cohort(nt, c, tally_cohort_name(t, c, k));
            struct cohort_totals ct;
            tally_cohort_totals(t, c, k, &ct);
            tally_add_cohort(nt, c, k2, ct.evaluations, ct.words);
            const uint64_t *rem = coh_rem[c] + k * nitems * 2;
            for (size_t i = 0; i < nitems && rc == 0; i++) {
                struct item_counts n = tally_item(t, c, k, i);
                if (subtract(&n, rem, i) < 0)
                    rc = 1;
                else if (nonzero(&n))
                    tally_add_cohort_item(nt, c, k2, i, &n);
            }
            for (size_t j = 0; j < tally_ncells(t, c, k) && rc == 0; j++) {
                size_t cell = tally_put_cell(nt, c, k2,
                                             tally_cell_resident(t, c, k, j));
                uint64_t ev, words;
                tally_cell_totals(t, c, k, j, &ev, &words);
                tally_add_cell(nt, cell, ev, words);
                uint64_t ck[3] = {c, k, j};
                size_t *ci = strmap_get(&cell_by, (const char *)ck, sizeof ck);
                const uint64_t *crem = ci ? cells[*ci].v : NULL;
                for (size_t i = 0; i < nitems && rc == 0; i++) {
                    struct item_counts n = tally_cell_item(t, c, k, j, i);
                    if (subtract(&n, crem, i) < 0)
                        rc = 1;
                    else if (nonzero(&n))
                        tally_add_cell_item(nt, cell, i, &n);
                }
            }
            if (rc)
                snprintf(why, nwhy, "the key lists more hits in cohort %s "
                         "of %s than the audit counted: a key of another "
                         "audit?", tally_cohort_name(t, c, k), p.cols.v[c]);
        }
    char msg[256];
    if (rc == 0 && tally_check(nt, msg, sizeof msg) < 0) {
        snprintf(why, nwhy, "the confirmed counts do not add up: %s", msg);
        rc = 1;
    }
    if (rc == 0) {
        tally_finish(nt);
        struct compare_options copt;
        compare_options_default(&copt);
        copt.column_names = (const char *const *)p.cols.v;
        if (p.ri.cohort_levels.n == p.cols.n)
            copt.levels = (const char *const *)p.ri.cohort_levels.v;
        copt.have_resident = p.ri.resident_col != NULL;
        copt.have_evaluator = 0; /* the key has no evaluator per hit */
        copt.warn = warn;
        struct comparisons cmp;
        memset(&cmp, 0, sizeof cmp);
        buf_clear(&b);
        buf_printf(&b, "%s/confirmed", out_dir);
        if (compare_run(nt, set, &copt, &cmp, err) < 0)
            rc = -1;
        else if (mkdir(buf_cstr(&b), 0700) != 0 && errno != EEXIST) {
            diag_set(err, DIAG_ERROR, buf_cstr(&b), 0, 0, "cannot create "
                     "the folder: %s", strerror(errno));
            rc = -1;
        }
        if (rc == 0)
            rc = write_csv(buf_cstr(&b), "rates.csv", nt, &p, &cmp, err);
        if (rc == 0)
            rc = write_csv(buf_cstr(&b), "comparisons.csv", nt, &p, &cmp,
                           err);
        comparisons_fini(&cmp);
    }
    tally_free(nt);
    for (size_t i = 0; i < ncells; i++)
        free(cells[i].v);
    free(cells);
    for (size_t c = 0; c < ncols; c++)
        free(coh_rem[c]);
    free(coh_rem);
    free(place_k);
    free(place_cell);
    free(key_hits);
    free(pairs);
    free(ev_first);
    free(kc);
    u64map_fini(&pair_by);
    strmap_fini(&cell_by);
    strmap_fini(&entry_by);
    strmap_fini(&ev_by);
    tally_part_fini(&p);
    buf_fini(&b);
    return rc;
}
