/* compare.c - per-cohort comparisons from a finished tally (see compare.h).
 *
 * For each cohort column: decide which cohorts are shown (enough residents),
 * pick the reference, then for every other shown cohort and every item fill
 * one struct comparison from stats.h, and adjust the p-values of that
 * (column, cohort) family with Benjamini-Hochberg. */
#include "compare.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "suppress.h"
#include "util.h"

void compare_options_default(struct compare_options *o)
{
    o->conf = 0.95;
    o->min_residents = 5;
    o->reference = NULL;
    o->column_names = NULL;
    o->robust.type = STATS_CR2;
    o->robust.twoway = 0;
    o->robust.df = STATS_DF_SATTERTHWAITE;
    o->min_evaluators = 5;
    o->compare_blank = 0;
    o->warn = NULL;
    o->levels = NULL;
    o->have_resident = 1;
    o->have_evaluator = 0;
}

const char *compare_unit_name(enum compare_unit u)
{
    return u == COMPARE_UNIT_EVALUATOR ? "evaluator"
         : u == COMPARE_UNIT_BOTH ? "resident+evaluator" : "resident";
}

const char *compare_set_cluster(struct compare_options *o, const char *v)
{
    if (strcmp(v, "unit") == 0)
        o->robust.twoway = 0;
    else if (strcmp(v, "both") == 0)
        o->robust.twoway = 1;
    else
        return "--cluster takes unit (default: each column's unit, resident "
               "or evaluator) or both (two-way: resident and evaluator)";
    return NULL;
}

const char *compare_set_min_evaluators(struct compare_options *o,
                                       const char *v)
{
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v == '-' || !*v || *end || n > 1000000)
        return "--min-evaluators takes a whole number (default 5)";
    o->min_evaluators = (unsigned)n;
    return NULL;
}

static int evaluator_level(const struct compare_options *o, size_t c)
{
    return o->levels && o->levels[c] && strcmp(o->levels[c], "evaluator") == 0;
}

/* The clustering unit of column c, and whether the tally has the ids it
 * needs (else *missing names the option that supplies them). */
static enum compare_unit column_unit(const tally *t,
                                     const struct compare_options *o,
                                     size_t c, const char **missing)
{
    enum compare_unit u = o->robust.twoway ? COMPARE_UNIT_BOTH
                        : evaluator_level(o, c) ? COMPARE_UNIT_EVALUATOR
                                                : COMPARE_UNIT_RESIDENT;
    *missing = NULL;
    if (u != COMPARE_UNIT_EVALUATOR && !o->have_resident)
        *missing = "--resident";
    else if (u != COMPARE_UNIT_RESIDENT &&
             !(o->have_evaluator && tally_has_fine(t)))
        *missing = "--evaluator";
    return u;
}

const char *compare_set_robust(struct compare_options *o, const char *v)
{
    o->robust.df = STATS_DF_SATTERTHWAITE;
    if (strcmp(v, "cr2") == 0) {
        o->robust.type = STATS_CR2;
    } else if (strcmp(v, "cr2-g2") == 0) {
        o->robust.type = STATS_CR2;
        o->robust.df = STATS_DF_CLUSTERS;
    } else if (strcmp(v, "cr1") == 0) {
        o->robust.type = STATS_CR1;
    } else {
        return "--robust takes cr2 (default: bias-reduced, Bell-McCaffrey "
               "df), cr2-g2 (bias-reduced, t on G-2) or cr1 (G/(G-1), t on "
               "G-1)";
    }
    return NULL;
}

const char *compare_set_min_residents(struct compare_options *o, const char *v)
{
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v == '-' || !*v || *end || n > 1000000)
        return "--min-residents takes a whole number (default 5)";
    o->min_residents = (unsigned)n;
    return NULL;
}

const char *compare_set_confidence(struct compare_options *o, const char *v)
{
    char *end;
    double conf = strtod(v, &end);
    if (!*v || *end || !(conf > 0.5 && conf < 1))
        return "--confidence takes a level between 0.5 and 1, e.g. 0.95";
    o->conf = conf;
    return NULL;
}

int compare_cohort_shown(const struct comparisons *c, size_t col,
                         size_t cohort)
{
    return col < c->ncols && c->shown[col][cohort];
}

int compare_item_written(const tally *t, const struct lexicon_set *set,
                         size_t c, size_t i)
{
    if (!set || i >= set->nentries)
        return 1;
    for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
        struct item_counts ic = tally_item(t, c, k, i);
        if (ic.hits || ic.negated || ic.other_referent || ic.quoted)
            return 1;
    }
    return 0;
}

/* Cohort labels compare as the tally groups them: trimmed, ASCII case
 * folded. */
static int same_label(const char *a, const char *b)
{
    while (isspace((unsigned char)*a))
        a++;
    while (isspace((unsigned char)*b))
        b++;
    size_t na = strlen(a), nb = strlen(b);
    while (na && isspace((unsigned char)a[na - 1]))
        na--;
    while (nb && isspace((unsigned char)b[nb - 1]))
        nb--;
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

static int is_blank_cohort(const tally *t, size_t c, size_t k)
{
    return strcmp(tally_cohort_name(t, c, k), TALLY_BLANK) == 0;
}

/* The reference of column c: the named cohort, or the shown non-blank
 * cohort with the most residents (then words, then name order). SIZE_MAX
 * when the column has no candidate. */
static int pick_reference(const tally *t, size_t c, const uint8_t *shown,
                          const char *name, const char *colname,
                          size_t *ref, struct diag *err)
{
    size_t n = tally_ncohorts(t, c);
    *ref = SIZE_MAX;
    if (name) {
        for (size_t k = 0; k < n; k++)
            if (same_label(tally_cohort_name(t, c, k), name))
                *ref = k;
        if (*ref == SIZE_MAX) {
            struct buf list;
            buf_init(&list);
            for (size_t k = 0; k < n; k++)
                if (shown[k])
                    buf_printf(&list, "%s\"%s\"", list.len ? ", " : "",
                               tally_cohort_name(t, c, k));
            diag_set(err, DIAG_ERROR, NULL, 0, 0,
                     "--reference \"%s\" is not a cohort of column \"%s\" "
                     "(cohorts shown: %s)", name, colname,
                     list.len ? buf_cstr(&list) : "none");
            buf_fini(&list);
            return -1;
        }
        if (!shown[*ref]) {
            diag_set(err, DIAG_ERROR, NULL, 0, 0,
                     "--reference \"%s\" of column \"%s\" has too few "
                     "residents to be reported (--min-residents)", name,
                     colname);
            return -1;
        }
        return 0;
    }
    struct cohort_totals best = {0};
    for (size_t k = 0; k < n; k++) {
        if (!shown[k] || is_blank_cohort(t, c, k))
            continue;
        struct cohort_totals ct;
        tally_cohort_totals(t, c, k, &ct);
        uint64_t u = suppress_units(&ct), bu = suppress_units(&best);
        if (*ref == SIZE_MAX || u > bu || (u == bu && ct.words > best.words)) {
            *ref = k;
            best = ct;
        }
    }
    return 0;
}

static void side(const tally *t, size_t c, size_t k, size_t item,
                 struct compare_side *s)
{
    struct cohort_totals ct;
    tally_cohort_totals(t, c, k, &ct);
    struct item_counts ic = tally_item(t, c, k, item);
    s->hits = ic.hits;
    s->negated = ic.negated;
    s->evals_with_hit = ic.evals_with_hit;
    s->words = ct.words;
    s->evaluations = ct.evaluations;
    s->residents = ct.residents;
    s->residents_unknown = ct.residents_unknown;
    s->rate_per_1000 = ct.words ? 1000.0 * (double)ic.hits / (double)ct.words
                                : 0.0;
}

/* Resident-level rows of one item for the cluster-robust ratio. The
 * residents' cluster ids and words are looked up once per cohort (ids[k],
 * words[k]); per item only the hit counts change. */
struct cells {
    struct stats_cell *v;
    size_t n, cap;
    enum compare_unit unit; /* RESIDENT: resident cells; else fine cells */
    size_t **ids;          /* per cohort of the column: cell -> cluster id */
    size_t **ids2;         /* per cohort: fine cell -> evaluator id */
    uint64_t **words;      /* per cohort: cell -> words */
    uint64_t **evals;      /* per cohort: cell -> evaluations */
    struct stats_pcell *pv;
    size_t pn, pcap;
};

static size_t name_id(struct strmap *m, const char *s)
{
    int added;
    return *strmap_put(m, s, strlen(s), m->n, &added);
}

/* Evaluator and two-way clustering: one row per fine cell (tally.h), the
 * cluster the evaluator (EVALUATOR) or the resident with the evaluator as
 * the second clustering (BOTH). Rows of one cluster and group may be
 * several: the variances are invariant to that (stats_glm.h). */
static void cells_prepare_fine(struct cells *cs, const tally *t, size_t c)
{
    size_t n = tally_ncohorts(t, c);
    struct strmap res, ev; /* names -> ids, across cohorts */
    strmap_init(&res);
    strmap_init(&ev);
    cs->ids2 = xcalloc(n ? n : 1, sizeof *cs->ids2);
    for (size_t k = 0; k < n; k++) {
        size_t m = tally_nfine(t, c, k);
        cs->ids[k] = xmalloc((m ? m : 1) * sizeof **cs->ids);
        cs->ids2[k] = xmalloc((m ? m : 1) * sizeof **cs->ids2);
        cs->words[k] = xmalloc((m ? m : 1) * sizeof **cs->words);
        cs->evals[k] = xmalloc((m ? m : 1) * sizeof **cs->evals);
        for (size_t j = 0; j < m; j++) {
            struct tally_fine f;
            tally_fine_cell(t, c, k, j, &f);
            cs->words[k][j] = f.words;
            cs->evals[k][j] = f.evaluations;
            cs->ids2[k][j] = name_id(&ev, f.evaluator);
            cs->ids[k][j] = cs->unit == COMPARE_UNIT_EVALUATOR
                                ? cs->ids2[k][j] : name_id(&res, f.resident);
        }
    }
    strmap_fini(&res);
    strmap_fini(&ev);
}

static void cells_prepare(struct cells *cs, const tally *t, size_t c,
                          enum compare_unit unit)
{
    size_t n = tally_ncohorts(t, c);
    cs->unit = unit;
    cs->ids = xcalloc(n ? n : 1, sizeof *cs->ids);
    cs->words = xcalloc(n ? n : 1, sizeof *cs->words);
    cs->evals = xcalloc(n ? n : 1, sizeof *cs->evals);
    cs->ids2 = NULL;
    if (unit != COMPARE_UNIT_RESIDENT && tally_has_fine(t)) {
        cells_prepare_fine(cs, t, c);
        return;
    }
    struct strmap by_name; /* resident name -> cluster id, across cohorts */
    strmap_init(&by_name);
    for (size_t k = 0; k < n; k++) {
        size_t m = tally_ncells(t, c, k);
        cs->ids[k] = xmalloc((m ? m : 1) * sizeof **cs->ids);
        cs->words[k] = xmalloc((m ? m : 1) * sizeof **cs->words);
        cs->evals[k] = xmalloc((m ? m : 1) * sizeof **cs->evals);
        for (size_t j = 0; j < m; j++) {
            tally_cell_totals(t, c, k, j, &cs->evals[k][j], &cs->words[k][j]);
            const char *res = tally_cell_resident(t, c, k, j);
            int added;
            cs->ids[k][j] = *strmap_put(&by_name, res, strlen(res),
                                        by_name.n, &added);
        }
    }
    strmap_fini(&by_name);
}

static void cells_release(struct cells *cs, size_t ncohorts)
{
    for (size_t k = 0; k < ncohorts; k++) {
        free(cs->ids[k]);
        free(cs->words[k]);
        free(cs->evals[k]);
        if (cs->ids2)
            free(cs->ids2[k]);
    }
    free(cs->ids2);
    free(cs->ids);
    free(cs->words);
    free(cs->evals);
}

static void add_cells(struct cells *cs, const tally *t, size_t c, size_t k,
                      size_t item, int group)
{
    int fine = cs->ids2 != NULL;
    size_t m = fine ? tally_nfine(t, c, k) : tally_ncells(t, c, k);
    grow(&cs->v, &cs->cap, cs->n + m, sizeof *cs->v);
    grow(&cs->pv, &cs->pcap, cs->pn + m, sizeof *cs->pv);
    for (size_t j = 0; j < m; j++) {
        struct item_counts ic = fine ? tally_fine_item(t, c, k, j, item)
                                     : tally_cell_item(t, c, k, j, item);
        uint64_t id2 = fine ? cs->ids2[k][j] : 0;
        cs->v[cs->n++] = (struct stats_cell){
            .cluster = cs->ids[k][j], .y = ic.hits,
            .t = (double)cs->words[k][j], .group = group, .cluster2 = id2};
        cs->pv[cs->pn++] = (struct stats_pcell){
            .cluster = cs->ids[k][j], .cluster2 = id2, .a = ic.evals_with_hit,
            .n = cs->evals[k][j], .group = group};
    }
}

static void note_add(char *note, size_t cap, const char *what,
                     enum stats_status s)
{
    if (s == STATS_OK)
        return;
    const char *msg = stats_strerror(s);
    if (strstr(note, msg))
        return;
    size_t n = strlen(note);
    snprintf(note + n, cap - n, "%s%s%s", n ? "; " : "", what, msg);
}

static void compare_item(struct comparison *cmp, const tally *t,
                         struct cells *cs, const struct compare_options *o)
{
    size_t c = cmp->col, k = cmp->cohort, r = cmp->reference;
    side(t, c, k, cmp->item, &cmp->a);
    side(t, c, r, cmp->item, &cmp->b);
    double conf = o->conf;
    stats_poisson_exact(cmp->a.hits, (double)cmp->a.words, cmp->b.hits,
                        (double)cmp->b.words, conf, &cmp->exact);
    cs->n = cs->pn = 0;
    add_cells(cs, t, c, k, cmp->item, 1);
    add_cells(cs, t, c, r, cmp->item, 0);
    stats_cluster_rr(cs->v, cs->n, &o->robust, conf, &cmp->cluster);
    stats_riskdiff_robust(cs->pv, cs->pn, &o->robust, conf,
                          &cmp->prevalence_robust);
    stats_prevalence_diff(cmp->a.evals_with_hit, cmp->a.evaluations,
                          cmp->b.evals_with_hit, cmp->b.evaluations, conf,
                          &cmp->prevalence);
    cmp->note[0] = '\0';
    note_add(cmp->note, sizeof cmp->note, "", cmp->exact.status);
    if (cmp->cluster.status != cmp->exact.status)
        note_add(cmp->note, sizeof cmp->note, "robust: ",
                 cmp->cluster.status);
    if (cmp->prevalence.status != STATS_OK)
        note_add(cmp->note, sizeof cmp->note, "prevalence: ",
                 cmp->prevalence.status);
    else if (cmp->prevalence_robust.status != STATS_OK)
        note_add(cmp->note, sizeof cmp->note, "robust prevalence: ",
                 cmp->prevalence_robust.status);
    if (cmp->cluster.score) {
        size_t n = strlen(cmp->note);
        snprintf(cmp->note + n, sizeof cmp->note - n, "%srobust p from the "
                 "score test", n ? "; " : "");
    }
}

/* Hierarchical BH over one (column, cohort) family, the items cmp[0..n)
 * (entries, then category totals): categories first, then the terms of
 * each category whose q <= alpha, BH within the category (Yekutieli
 * 2008). Items without a cluster-robust p are not tested. */
static void adjust_family(struct comparison *cmp, size_t n,
                          const struct lexicon_set *set, double alpha)
{
    double *p = xmalloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        cmp[i].q = cmp[i].term_q = 1;
        cmp[i].term_tested = 0;
    }
    if (!set) { /* no lexicon structure (unit tests): one flat family */
        for (size_t i = 0; i < n; i++)
            p[i] = (cmp[i].cluster.flags & STATS_NA_P) ? NAN : cmp[i].cluster.p;
        stats_bh(p, n, p);
        for (size_t i = 0; i < n; i++)
            cmp[i].q = p[i];
        free(p);
        return;
    }
    size_t ne = set->nentries, nc = set->ncategories;
    for (size_t g = 0; g < nc && ne + g < n; g++) {
        const struct comparison *c = &cmp[ne + g];
        p[g] = (c->cluster.flags & STATS_NA_P) ? NAN : c->cluster.p;
    }
    stats_bh(p, nc, p);
    for (size_t g = 0; g < nc && ne + g < n; g++)
        cmp[ne + g].q = p[g];
    size_t *idx = xmalloc((ne ? ne : 1) * sizeof *idx);
    for (size_t g = 0; g < nc && ne + g < n; g++) {
        if (!(cmp[ne + g].q <= alpha))
            continue;
        size_t m = 0;
        for (size_t e = 0; e < ne && e < n; e++)
            if (set->entries[e].category == g) {
                idx[m] = e;
                p[m++] = (cmp[e].cluster.flags & STATS_NA_P) ? NAN
                                                             : cmp[e].cluster.p;
            }
        stats_bh(p, m, p);
        for (size_t j = 0; j < m; j++) {
            struct comparison *c = &cmp[idx[j]];
            c->term_tested = !(c->cluster.flags & STATS_NA_P);
            c->term_q = c->q = p[j];
        }
    }
    free(idx);
    free(p);
}

int compare_run(const tally *t, const struct lexicon_set *set,
                const struct compare_options *opt, struct comparisons *out,
                struct diag *err)
{
    memset(out, 0, sizeof *out);
    out->opt = *opt;
    out->ncols = tally_ncohort_cols(t);
    out->shown = xcalloc(out->ncols ? out->ncols : 1, sizeof *out->shown);
    out->reference = xcalloc(out->ncols ? out->ncols : 1,
                             sizeof *out->reference);
    out->unit = xcalloc(out->ncols ? out->ncols : 1, sizeof *out->unit);
    out->missing = xcalloc(out->ncols ? out->ncols : 1, sizeof *out->missing);
    size_t nitems = tally_nitems(t);
    out->nitems = nitems;
    struct cells cs = {0};
    int rc = 0;
    if (!tally_residents_known(t) && opt->warn)
        diags_add(opt->warn, DIAG_WARNING, NULL, 0, 0,
                  "no resident column: residents are unknown, so "
                  "suppression (--min-residents %u) counted evaluations "
                  "instead; name the resident column with --resident (or "
                  "give --roster) to count residents", opt->min_residents);
    for (size_t c = 0; c < out->ncols && rc == 0; c++) {
        size_t n = tally_ncohorts(t, c);
        out->shown[c] = xcalloc(n ? n : 1, 1);
        struct suppress_options so = {opt->min_residents,
                                      opt->min_evaluators, 0};
        so.by_evaluators = evaluator_level(opt, c) && opt->have_evaluator &&
                           tally_has_fine(t);
        out->suppressed += suppress_primary(t, c, &so, out->shown[c]);
        out->unit[c] = column_unit(t, opt, c, &out->missing[c]);
        /* With a single cohort (no cohort column) there is nothing to
         * compare: no reference, so no named --reference is required. */
        size_t nshown = 0;
        for (size_t k = 0; k < n; k++)
            nshown += out->shown[c][k];
        const char *name = nshown >= 2 ? opt->reference : NULL;
        cells_prepare(&cs, t, c, out->unit[c]);
        char num[32];
        snprintf(num, sizeof num, "%zu", c + 1);
        const char *colname = opt->column_names ? opt->column_names[c] : num;
        rc = pick_reference(t, c, out->shown[c], name, colname,
                            &out->reference[c], err);
        if (rc == 0)
            out->suppressed += suppress_complement(t, c, out->shown[c],
                                                   &out->reference[c]);
        if (rc == 0 && !name && opt->warn && out->reference[c] != SIZE_MAX &&
            nshown >= 2) {
            struct cohort_totals ct;
            tally_cohort_totals(t, c, out->reference[c], &ct);
            diags_add(opt->warn, DIAG_WARNING, NULL, 0, 0,
                      "no --reference: column \"%s\" is compared against "
                      "\"%s\", its cohort with the most %s (%llu); "
                      "name the reference with --reference so the direction "
                      "of the comparisons cannot change between cycles",
                      colname, tally_cohort_name(t, c, out->reference[c]),
                      ct.residents_unknown ? "evaluations" : "residents",
                      (unsigned long long)suppress_units(&ct));
        }
        if (rc == 0 && out->missing[c] && nshown >= 2 && opt->warn)
            diags_add(opt->warn, DIAG_WARNING, NULL, 0, 0,
                      "column \"%s\" is not compared (its rates are "
                      "written): its comparisons are clustered by %s, and "
                      "the %s column is not known; name it with %s",
                      colname, compare_unit_name(out->unit[c]),
                      strcmp(out->missing[c], "--resident") == 0 ? "resident"
                                                                : "evaluator",
                      out->missing[c]);
        for (size_t k = 0; rc == 0 && !out->missing[c] && k < n; k++) {
            size_t ref = out->reference[c];
            if (ref == SIZE_MAX || k == ref || !out->shown[c][k])
                continue;
            if (!opt->compare_blank && is_blank_cohort(t, c, k))
                continue; /* tallied, not a group: --compare-blank */
            size_t first = out->n;
            grow(&out->v, &out->cap, out->n + nitems, sizeof *out->v);
            for (size_t i = 0; i < nitems; i++) {
                struct comparison *cmp = &out->v[out->n++];
                memset(cmp, 0, sizeof *cmp);
                cmp->col = c;
                cmp->cohort = k;
                cmp->reference = ref;
                cmp->item = i;
                compare_item(cmp, t, &cs, opt);
            }
            adjust_family(out->v + first, nitems, set, 1 - opt->conf);
        }
        cells_release(&cs, n);
    }
    free(cs.v);
    free(cs.pv);
    return rc;
}

void comparisons_fini(struct comparisons *c)
{
    for (size_t i = 0; i < c->ncols; i++)
        free(c->shown[i]);
    free(c->shown);
    free(c->reference);
    free(c->unit);
    free(c->missing);
    free(c->v);
    memset(c, 0, sizeof *c);
}

double compare_alpha(const struct comparisons *cmp)
{
    return 1 - cmp->opt.conf;
}

int compare_significant(const struct comparisons *cmp,
                        const struct comparison *c)
{
    const struct stats_cluster *r = &c->cluster;
    if (r->flags & (STATS_NA_CI | STATS_NA_P | STATS_NA_EST | STATS_INF_EST))
        return 0;
    int excl = r->lo > 1 || (!(r->flags & STATS_INF_HI) && r->hi < 1);
    return excl && c->q < compare_alpha(cmp);
}

/* Power of the robust Wald test: reject when |log RR / se| exceeds the
 * t(G-1) critical value; at true log RR = d the test has power ~ 0.8 when
 * d = (t_{1-a/2} + t_{0.8}) se (the usual approximation that ignores the
 * far tail). se is the observed robust SE, used as the SE under the
 * alternative: a planning figure, not an exact power. */
double compare_mdrr(const struct comparisons *cmp, const struct comparison *c)
{
    (void)cmp; /* stats_cluster_rr solved it at the run's confidence */
    const struct stats_cluster *r = &c->cluster;
    return r->mdrr > 0 && isfinite(r->mdrr) ? r->mdrr : 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

void compare_family_power(const struct comparisons *cmp,
                          const struct lexicon_set *set,
                          const struct comparison *fam,
                          struct compare_power *out)
{
    memset(out, 0, sizeof *out);
    double *m = xmalloc((set->ncategories + 1) * sizeof *m);
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct comparison *c = &fam[set->nentries + g];
        double v = compare_mdrr(cmp, c);
        if (v > 1 && !compare_significant(cmp, c))
            m[out->n++] = v;
    }
    if (out->n) {
        size_t n = out->n;
        qsort(m, n, sizeof *m, cmp_double);
        out->median = n % 2 ? m[n / 2] : sqrt(m[n / 2 - 1] * m[n / 2]);
        out->min = m[0];
        out->max = m[n - 1];
    }
    free(m);
}

size_t compare_nfamilies(const struct comparisons *cmp)
{
    return cmp->nitems ? cmp->n / cmp->nitems : 0;
}

const struct comparison *compare_family(const struct comparisons *cmp,
                                        size_t i)
{
    return cmp->v + i * cmp->nitems;
}

const struct comparison *compare_find(const struct comparisons *cmp,
                                      size_t col, size_t cohort, size_t item)
{
    for (size_t i = 0; i < compare_nfamilies(cmp); i++) {
        const struct comparison *fam = compare_family(cmp, i);
        if (fam->col == col && fam->cohort == cohort)
            return item < cmp->nitems ? &fam[item] : NULL;
    }
    return NULL;
}

const char *compare_set_option(struct compare_options *o, const char *name,
                               const char *v)
{
    if (strcmp(name, "reference") == 0) {
        o->reference = v;
        return NULL;
    }
    if (strcmp(name, "compare-blank") == 0) {
        o->compare_blank = 1;
        return NULL;
    }
    static const struct {
        const char *name;
        const char *(*set)(struct compare_options *, const char *);
    } setters[] = {
        {"min-residents", compare_set_min_residents},
        {"min-evaluators", compare_set_min_evaluators},
        {"confidence", compare_set_confidence},
        {"robust", compare_set_robust},
        {"cluster", compare_set_cluster},
    };
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++)
        if (strcmp(name, setters[i].name) == 0)
            return setters[i].set(o, v);
    return "not a statistics option";
}
