/* adjust.c - adjusted comparisons and the resident x evaluator
 * interaction (adjust.h).
 *
 * Per compared family (column c, cohort vs reference): the rows are the
 * fine cells of the two cohorts; each row's covariate levels are found
 * once (stratum field or the resident's cohort); the design is built once;
 * then per item only y changes, and the Poisson GLM is refitted. The
 * variance is the comparison's: same clustering unit (compare.h), type
 * and degrees-of-freedom rule as stats_cluster_rr. */
#include "adjust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

/* stats_cluster_rr's rule: Bell-McCaffrey df from 2 hits per cluster. */
#define BM_MIN_HITS_PER_CLUSTER 2.0

/* Where a covariate's level comes from. */
struct covar {
    size_t col;                 /* tally column */
    long field;                 /* position in the stratum, or -1 */
    struct strmap by_resident;  /* field < 0: resident -> index into */
    size_t *res_cohort;         /* ... the resident's cohort */
};

static size_t col_index(const struct strvec *cols, const char *name)
{
    for (size_t c = 0; c < cols->n; c++)
        if (strcmp(cols->v[c], name) == 0)
            return c;
    return SIZE_MAX;
}

static void covar_init(struct covar *cv, const tally *t,
                       const struct adjust_spec *sp, size_t col)
{
    cv->col = col;
    cv->field = -1;
    strmap_init(&cv->by_resident);
    for (size_t i = 0; i < sp->strata_cols->n; i++)
        if (strcmp(sp->strata_cols->v[i], sp->cols->v[col]) == 0)
            cv->field = (long)i;
    if (cv->field >= 0)
        return;
    /* A resident-level column: each resident is in one cohort (the
     * one-label rule); should a resident be in several (no resident
     * column), the cohort with most of their evaluations. */
    uint64_t *best = NULL; /* per resident: evaluations in its cohort */
    size_t cap = 0, cap2 = 0;
    for (size_t k = 0; k < tally_ncohorts(t, col); k++)
        for (size_t j = 0; j < tally_ncells(t, col, k); j++) {
            const char *res = tally_cell_resident(t, col, k, j);
            uint64_t ev, w;
            tally_cell_totals(t, col, k, j, &ev, &w);
            int added;
            size_t r = *strmap_put(&cv->by_resident, res, strlen(res),
                                   cv->by_resident.n, &added);
            if (added) {
                grow(&best, &cap, r + 1, sizeof *best);
                grow(&cv->res_cohort, &cap2, r + 1, sizeof *cv->res_cohort);
            }
            if (added || ev > best[r]) {
                cv->res_cohort[r] = k;
                best[r] = ev;
            }
        }
    free(best);
}

/* Level of covariate cv for a fine cell: a cohort index of cv->col, or
 * the column's cohort count for a label it does not have. */
static size_t covar_level(const struct covar *cv, const tally *t,
                          const struct tally_fine *f)
{
    size_t none = tally_ncohorts(t, cv->col);
    if (cv->field < 0) {
        size_t *k = strmap_get(&cv->by_resident, f->resident,
                               strlen(f->resident));
        return k ? cv->res_cohort[*k] : none;
    }
    const char *p = f->stratum;
    for (long i = 0; i < cv->field && p; i++) {
        p = strstr(p, ADJUST_SEP);
        if (p)
            p += strlen(ADJUST_SEP);
    }
    if (!p)
        return none;
    size_t n = strcspn(p, ADJUST_SEP);
    char *label = xstrndup(p, n);
    size_t k = tally_find_cohort(t, cv->col, label);
    free(label);
    return k == SIZE_MAX ? none : k;
}

/* One family's rows and design. */
struct design {
    size_t n, p;
    double *x, *t, *y, *mu, *w, *r;
    uint64_t *cl1, *cl2;
    size_t *cohort, *fine;      /* per row: which cohort (0 = the compared
                                   one, 1 = the reference) and fine cell */
    int *group;
    size_t **lev;               /* per covariate: per row its level */
    size_t j_report;            /* the coefficient reported */
    /* the model: covariates, and the interaction's (by == SIZE_MAX: none) */
    struct covar *cov;
    size_t ncov, by, by_base, by_level;
};

static void design_free(struct design *d, size_t ncov)
{
    free(d->x); free(d->t); free(d->y); free(d->mu); free(d->w); free(d->r);
    free(d->cl1); free(d->cl2); free(d->cohort); free(d->fine);
    free(d->group);
    for (size_t i = 0; i < ncov; i++)
        free(d->lev[i]);
    free(d->lev);
    memset(d, 0, sizeof *d);
}

static size_t name_id(struct strmap *m, const char *s)
{
    int added;
    return *strmap_put(m, s, strlen(s), m->n, &added);
}

/* The rows of family (c, k vs ref) and every covariate's level per row. */
static void design_rows(struct design *d, const tally *t, size_t c,
                        size_t k, size_t ref, enum compare_unit unit,
                        struct covar *cov, size_t ncov)
{
    size_t n = tally_nfine(t, c, k) + tally_nfine(t, c, ref);
    d->n = 0;
    d->t = xmalloc((n ? n : 1) * sizeof *d->t);
    d->y = xmalloc((n ? n : 1) * sizeof *d->y);
    d->cl1 = xmalloc((n ? n : 1) * sizeof *d->cl1);
    d->cl2 = xmalloc((n ? n : 1) * sizeof *d->cl2);
    d->cohort = xmalloc((n ? n : 1) * sizeof *d->cohort);
    d->fine = xmalloc((n ? n : 1) * sizeof *d->fine);
    d->group = xmalloc((n ? n : 1) * sizeof *d->group);
    d->lev = xcalloc(ncov ? ncov : 1, sizeof *d->lev);
    for (size_t i = 0; i < ncov; i++)
        d->lev[i] = xmalloc((n ? n : 1) * sizeof **d->lev);
    struct strmap res, ev;
    strmap_init(&res);
    strmap_init(&ev);
    for (int g = 1; g >= 0; g--) {
        size_t kk = g ? k : ref;
        for (size_t j = 0; j < tally_nfine(t, c, kk); j++) {
            struct tally_fine f;
            tally_fine_cell(t, c, kk, j, &f);
            if (f.words == 0)
                continue; /* no exposure: not a row of the model */
            size_t i = d->n++;
            d->t[i] = (double)f.words;
            d->cohort[i] = kk;
            d->fine[i] = j;
            d->group[i] = g;
            uint64_t e = name_id(&ev, f.evaluator);
            d->cl1[i] = unit == COMPARE_UNIT_EVALUATOR ? e
                                                       : name_id(&res, f.resident);
            d->cl2[i] = e;
            for (size_t v = 0; v < ncov; v++)
                d->lev[v][i] = covar_level(&cov[v], t, &f);
        }
    }
    strmap_fini(&res);
    strmap_fini(&ev);
}

/* Indicator columns of covariate v: one per level with words other than
 * the baseline (base, or the first level with words). Returns how many
 * columns, writing the levels into lv (size nlev). */
static size_t covar_columns(const struct design *d, size_t v, size_t nlev,
                            size_t base, size_t *lv)
{
    uint8_t *has = xcalloc(nlev + 1, 1);
    for (size_t i = 0; i < d->n; i++)
        has[d->lev[v][i]] = 1;
    if (base == SIZE_MAX || !has[base])
        for (base = 0; base <= nlev && !has[base]; base++)
            ;
    size_t m = 0;
    for (size_t l = 0; l <= nlev; l++)
        if (has[l] && l != base)
            lv[m++] = l;
    free(has);
    return m;
}

/* The design matrix: 1, group, each covariate's indicators, and, for an
 * interaction with covariate `by` (or SIZE_MAX), group x each of by's
 * indicators; d->j_report is the group column, or the group x by_level
 * column. */
static void design_matrix(struct design *d, const tally *t)
{
    const struct covar *cov = d->cov;
    size_t ncov = d->ncov, by = d->by, by_base = d->by_base,
           by_level = d->by_level;
    size_t **lv = xcalloc(ncov ? ncov : 1, sizeof *lv);
    size_t *m = xcalloc(ncov ? ncov : 1, sizeof *m);
    size_t p = 2;
    for (size_t v = 0; v < ncov; v++) {
        size_t nlev = tally_ncohorts(t, cov[v].col);
        lv[v] = xmalloc((nlev + 1) * sizeof **lv);
        m[v] = covar_columns(d, v, nlev, v == by ? by_base : SIZE_MAX, lv[v]);
        p += m[v];
    }
    /* Interaction columns: the levels of `by` the cohort has rows at. */
    size_t ninter = 0;
    size_t *il = NULL;
    int has_base = 0;
    if (by != SIZE_MAX) {
        il = xmalloc((m[by] + 1) * sizeof *il);
        for (size_t a = 0; a < m[by]; a++) {
            int any = 0;
            for (size_t i = 0; i < d->n && !any; i++)
                any = d->group[i] && d->lev[by][i] == lv[by][a];
            if (any)
                il[ninter++] = lv[by][a];
        }
        for (size_t i = 0; i < d->n && !has_base; i++)
            has_base = d->lev[by][i] == by_base;
    }
    p += ninter;
    d->p = p;
    d->j_report = 1;
    free(d->x);
    d->x = xcalloc((d->n ? d->n : 1) * p, sizeof *d->x);
    for (size_t i = 0; i < d->n; i++) {
        double *x = d->x + i * p;
        x[0] = 1;
        x[1] = d->group[i];
        size_t col = 2;
        for (size_t v = 0; v < ncov; v++)
            for (size_t a = 0; a < m[v]; a++, col++)
                x[col] = d->lev[v][i] == lv[v][a];
        for (size_t a = 0; a < ninter; a++, col++) {
            x[col] = d->group[i] && d->lev[by][i] == il[a];
            if (il[a] == by_level)
                d->j_report = col;
        }
    }
    if (by != SIZE_MAX && (d->j_report == 1 || !has_base))
        d->j_report = SIZE_MAX; /* a level of the ratio has no rows */
    free(il);
    for (size_t v = 0; v < ncov; v++)
        free(lv[v]);
    free(lv);
    free(m);
}

static void note(struct adjusted_row *row, const char *msg)
{
    size_t n = strlen(row->note);
    snprintf(row->note + n, sizeof row->note - n, "%s%s", n ? "; " : "", msg);
}

/* Fit item `item` on design d into row. */
/* The rows of full whose covariate levels all have hits (of the current
 * y): a level without hits has its coefficient at minus infinity, and its
 * rows then add nothing to the likelihood or the variance (weight 0), so
 * the fit without them is the limit R's glm approaches. */
static void compact(struct design *s, const struct design *full,
                    const tally *t)
{
    memset(s, 0, sizeof *s);
    s->cov = full->cov;
    s->ncov = full->ncov;
    s->by = full->by;
    s->by_base = full->by_base;
    s->by_level = full->by_level;
    size_t n = full->n, nc = full->ncov;
    uint8_t *keep = xmalloc(n ? n : 1);
    memset(keep, 1, n ? n : 1);
    for (size_t v = 0; v < nc; v++) {
        size_t nlev = tally_ncohorts(t, full->cov[v].col) + 1;
        double *hits = xcalloc(nlev, sizeof *hits);
        for (size_t i = 0; i < n; i++)
            hits[full->lev[v][i]] += full->y[i];
        for (size_t i = 0; i < n; i++)
            if (hits[full->lev[v][i]] == 0)
                keep[i] = 0;
        /* The interaction's cells: the cohort's rows at a level of `by`
         * without hits (not the baseline's: that is the cohort's own). */
        if (v == full->by) {
            memset(hits, 0, nlev * sizeof *hits);
            for (size_t i = 0; i < n; i++)
                if (full->group[i])
                    hits[full->lev[v][i]] += full->y[i];
            for (size_t i = 0; i < n; i++)
                if (full->group[i] && hits[full->lev[v][i]] == 0 &&
                    full->lev[v][i] != full->by_base)
                    keep[i] = 0;
        }
        free(hits);
    }
    s->t = xmalloc((n ? n : 1) * sizeof *s->t);
    s->y = xmalloc((n ? n : 1) * sizeof *s->y);
    s->cl1 = xmalloc((n ? n : 1) * sizeof *s->cl1);
    s->cl2 = xmalloc((n ? n : 1) * sizeof *s->cl2);
    s->group = xmalloc((n ? n : 1) * sizeof *s->group);
    s->lev = xcalloc(nc ? nc : 1, sizeof *s->lev);
    for (size_t v = 0; v < nc; v++)
        s->lev[v] = xmalloc((n ? n : 1) * sizeof **s->lev);
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        size_t j = s->n++;
        s->t[j] = full->t[i];
        s->y[j] = full->y[i];
        s->cl1[j] = full->cl1[i];
        s->cl2[j] = full->cl2[i];
        s->group[j] = full->group[i];
        for (size_t v = 0; v < nc; v++)
            s->lev[v][j] = full->lev[v][i];
    }
    free(keep);
}

static void fit(struct design *full, const tally *t, size_t c,
                const struct comparisons *cmp, size_t item,
                struct adjusted_row *row)
{
    const struct compare_options *o = &cmp->opt;
    row->unit = cmp->unit[c];
    row->type = o->robust.type;
    row->w.flags = STATS_NA_CI | STATS_NA_P | STATS_NA_EST;
    row->w.status = STATS_NO_EVENTS;
    double ysum[2] = {0, 0};
    for (size_t i = 0; i < full->n; i++) {
        struct item_counts ic = tally_fine_item(t, c, full->cohort[i],
                                                full->fine[i], item);
        full->y[i] = (double)ic.hits;
        ysum[full->group[i]] += full->y[i];
    }
    if (ysum[0] == 0 || ysum[1] == 0) {
        row->w.status = ysum[0] + ysum[1] == 0 ? STATS_NO_EVENTS
                      : ysum[0] == 0 ? STATS_ZERO_REF : STATS_ZERO_COHORT;
        note(row, stats_strerror(row->w.status));
        return;
    }
    struct design sub;
    compact(&sub, full, t);
    design_matrix(&sub, t);
    struct design *d = &sub;
    if (d->j_report == SIZE_MAX) {
        note(row, "no hits among that evaluator cohort's evaluations");
        design_free(&sub, d->ncov);
        return;
    }
    row->nparams = d->p;
    size_t n = d->n, p = d->p;
    double *beta = xmalloc(p * sizeof *beta);
    double *bread = xmalloc(p * p * sizeof *bread);
    double *V = xmalloc(p * p * sizeof *V);
    d->mu = xrealloc(d->mu, (n ? n : 1) * sizeof *d->mu);
    d->w = xrealloc(d->w, (n ? n : 1) * sizeof *d->w);
    d->r = xrealloc(d->r, (n ? n : 1) * sizeof *d->r);
    enum stats_status st = stats_glm_poisson(d->x, d->y, d->t, n, p, beta,
                                             d->mu, bread);
    if (st != STATS_OK) {
        row->w.status = st;
        note(row, st == STATS_ZERO_VARIANCE
                      ? "model not estimable (a covariate level without hits "
                        "or collinear with the cohort)"
                      : stats_strerror(st));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        d->w[i] = d->mu[i];
        d->r[i] = d->y[i] - d->mu[i];
    }
    struct stats_rows rows = {.n = n, .p = p, .x = d->x, .w = d->w,
                              .r = d->r, .cl1 = d->cl1,
                              .cl2 = o->robust.twoway ? d->cl2 : NULL};
    st = stats_robust_vcov(&rows, bread, o->robust.type, V, &row->clusters,
                           &row->clusters2);
    size_t j = d->j_report;
    double df = stats_robust_df(o->robust.type, row->clusters, row->clusters2);
    int bm = o->robust.type == STATS_CR2 && !o->robust.twoway &&
             o->robust.df == STATS_DF_SATTERTHWAITE && row->clusters > 0 &&
             (ysum[0] + ysum[1]) / (double)row->clusters >=
                 BM_MIN_HITS_PER_CLUSTER;
    if (st == STATS_OK && bm) {
        double *lc = xmalloc(p * sizeof *lc);
        for (size_t a = 0; a < p; a++)
            lc[a] = bread[a * p + j];
        double dfb = stats_cr2_df(&rows, bread, lc);
        free(lc);
        if (dfb > 0) {
            df = dfb;
            row->satterthwaite = 1;
        }
    }
    if (st == STATS_OK && !(df > 0))
        st = STATS_FEW_CLUSTERS;
    if (st == STATS_OK && !(V[j * p + j] > 1e-16 * bread[j * p + j]))
        st = STATS_ZERO_VARIANCE; /* two-way may be negative */
    if (st != STATS_OK) {
        row->w.status = st;
        row->w.est = beta[j];
        row->w.flags = STATS_NA_CI | STATS_NA_P;
        note(row, stats_strerror(st));
        goto out;
    }
    stats_wald(beta[j], V[j * p + j], df, o->conf, 1, &row->w);
out:
    free(beta);
    free(bread);
    free(V);
    design_free(&sub, d->ncov);
}

static struct adjusted_row *new_row(struct adjusted *out,
                                    const struct comparison *cm)
{
    grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
    struct adjusted_row *row = &out->v[out->n++];
    memset(row, 0, sizeof *row);
    row->col = cm->col;
    row->cohort = cm->cohort;
    row->reference = cm->reference;
    row->item = cm->item;
    row->by_col = row->by_cohort = row->by_reference = SIZE_MAX;
    row->crude_rr = cm->cluster.rr;
    row->crude_na = (cm->cluster.flags & (STATS_NA_EST | STATS_INF_EST)) != 0;
    return row;
}

static int is_level(const struct adjust_spec *sp, size_t c, const char *lv)
{
    return sp->levels && sp->levels[c] && strcmp(sp->levels[c], lv) == 0;
}

int adjust_run(const tally *t, const struct lexicon_set *set,
               const struct comparisons *cmp, const struct adjust_spec *sp,
               struct adjusted *out)
{
    memset(out, 0, sizeof *out);
    if (!sp->adjust_cols->n || !tally_has_fine(t))
        return 0;
    size_t ncols = sp->cols->n;
    struct covar *all = xcalloc(ncols ? ncols : 1, sizeof *all);
    uint8_t *is_cov = xcalloc(ncols ? ncols : 1, 1);
    for (size_t i = 0; i < sp->adjust_cols->n; i++) {
        size_t c = col_index(sp->cols, sp->adjust_cols->v[i]);
        if (c != SIZE_MAX && !is_cov[c]) {
            is_cov[c] = 1;
            strvec_push(&out->covariates, sp->cols->v[c]);
        }
    }
    for (size_t c = 0; c < ncols; c++)
        covar_init(&all[c], t, sp, c);
    struct covar *cov = xcalloc(ncols + 1, sizeof *cov);
    for (size_t fi = 0; fi < compare_nfamilies(cmp); fi++) {
        const struct comparison *fam = compare_family(cmp, fi);
        size_t c = fam->col;
        /* Adjusted ratio: every covariate but the compared column. */
        size_t ncov = 0;
        for (size_t a = 0; a < ncols; a++)
            if (is_cov[a] && a != c)
                cov[ncov++] = all[a];
        struct design d = {0};
        design_rows(&d, t, c, fam->cohort, fam->reference, cmp->unit[c], cov,
                    ncov);
        d.cov = cov;
        d.ncov = ncov;
        d.by = SIZE_MAX;
        for (size_t i = 0; i < cmp->nitems; i++) {
            if (!compare_item_written(t, set, c, i))
                continue;
            struct adjusted_row *row = new_row(out, &fam[i]);
            fit(&d, t, c, cmp, i, row);
        }
        design_free(&d, ncov);
        /* Interaction with each evaluator-level column, for a resident-
         * level one: group x that column's cohort, on category totals. */
        if (!is_level(sp, c, "resident"))
            continue;
        for (size_t e = 0; e < ncols; e++) {
            if (!is_level(sp, e, "evaluator") || all[e].field < 0 ||
                cmp->reference[e] == SIZE_MAX || cmp->missing[e])
                continue;
            ncov = 0;
            size_t by = SIZE_MAX;
            for (size_t a = 0; a < ncols; a++)
                if ((is_cov[a] || a == e) && a != c) {
                    if (a == e)
                        by = ncov;
                    cov[ncov++] = all[a];
                }
            for (size_t k2 = 0; k2 < tally_ncohorts(t, e); k2++) {
                if (k2 == cmp->reference[e] || !compare_cohort_shown(cmp, e, k2)
                    || (!cmp->opt.compare_blank &&
                        strcmp(tally_cohort_name(t, e, k2), TALLY_BLANK) == 0))
                    continue;
                memset(&d, 0, sizeof d);
                design_rows(&d, t, c, fam->cohort, fam->reference,
                            cmp->unit[c], cov, ncov);
                d.cov = cov;
                d.ncov = ncov;
                d.by = by;
                d.by_base = cmp->reference[e];
                d.by_level = k2;
                for (size_t i = set ? set->nentries : 0; i < cmp->nitems; i++) {
                    struct adjusted_row *row = new_row(out, &fam[i]);
                    row->by_col = e;
                    row->by_cohort = k2;
                    row->by_reference = cmp->reference[e];
                    row->kind = ADJUST_INTERACTION;
                    row->crude_na = 1;
                    fit(&d, t, c, cmp, i, row);
                }
                design_free(&d, ncov);
            }
        }
    }
    for (size_t c = 0; c < ncols; c++) {
        strmap_fini(&all[c].by_resident);
        free(all[c].res_cohort);
    }
    free(all);
    free(cov);
    free(is_cov);
    return 0;
}

void adjusted_fini(struct adjusted *a)
{
    free(a->v);
    strvec_fini(&a->covariates);
    memset(a, 0, sizeof *a);
}
