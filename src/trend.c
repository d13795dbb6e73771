/* trend.c - several cycles' tallies side by side (see trend.h). */
#include "trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "report.h"
#include "stats.h"
#include "stats_glm.h"
#include "util.h"

/* ================================================== the test of change */

/* Below this many hits per cluster the Bell-McCaffrey df make the test
 * conservative; stats_cluster_rr keeps t(G-2) there, and so does this. */
#define BM_MIN_HITS_PER_CLUSTER 2.0

enum stats_status trend_ratio_of_ratios(const struct trend_cell *cells,
                                        size_t n, const struct stats_robust *rb,
                                        double conf, struct trend_change *out)
{
    static const struct stats_robust cr2 = {STATS_CR2, 0,
                                            STATS_DF_SATTERTHWAITE};
    if (!rb)
        rb = &cr2;
    memset(out, 0, sizeof *out);
    out->flags = STATS_NA_EST | STATS_NA_CI | STATS_NA_P;
    out->p = 1;
    out->type = rb->type;
    if (!(conf > 0 && conf < 1))
        return out->status = STATS_BAD_INPUT;
    double Y[4] = {0}, T[4] = {0};
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].group < 0 || cells[i].group > 3 || !(cells[i].t >= 0) ||
            (cells[i].t == 0 && cells[i].y > 0))
            return out->status = STATS_BAD_INPUT;
        Y[cells[i].group] += (double)cells[i].y;
        T[cells[i].group] += cells[i].t;
        nr += cells[i].t > 0;
    }
    for (int g = 0; g < 4; g++)
        if (T[g] == 0)
            return out->status = STATS_NO_EXPOSURE;
    for (int g = 0; g < 4; g++)
        if (Y[g] == 0)
            return out->status = STATS_NO_EVENTS;
    /* The saturated model's MLE is each group's own rate Y/T, so
     * log RRR = s'b with s = (+1, -1, -1, +1) for (ref first, cohort
     * first, ref last, cohort last). */
    static const double s[4] = {1, -1, -1, 1};
    double b = 0;
    for (int g = 0; g < 4; g++)
        b += s[g] * log(Y[g] / T[g]);
    out->log_rrr = b;
    out->rrr = exp(b);
    out->flags = STATS_NA_CI | STATS_NA_P;
    /* The cluster-robust variance of stats_glm (CR2 by default, as
     * comparisons.csv; CR1 with --robust cr1): rows x = the group's
     * indicator, w = mu = t Y_g/T_g, r = y - mu; bread M = (X'WX)^-1 =
     * diag(1/Y_g). Rows of one resident in several cycles share a
     * cluster. One-way only: the cells carry no evaluator. */
    size_t m = nr ? nr : 1;
    double *x = xcalloc(4 * m, sizeof *x), *w = xmalloc(m * sizeof *w),
           *r = xmalloc(m * sizeof *r);
    uint64_t *cl = xmalloc(m * sizeof *cl);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].t == 0)
            continue;
        int g = cells[i].group;
        x[4 * k + (size_t)g] = 1;
        w[k] = cells[i].t * Y[g] / T[g];
        r[k] = (double)cells[i].y - w[k];
        cl[k] = cells[i].cluster;
        k++;
    }
    double M[16] = {0}, V[16], lc[4];
    for (int g = 0; g < 4; g++) {
        M[5 * g] = 1 / Y[g];
        lc[g] = s[g] / Y[g]; /* M s */
    }
    struct stats_rows d = {.n = nr, .p = 4, .x = x, .w = w, .r = r,
                           .cl1 = cl, .cl2 = NULL};
    size_t G2;
    enum stats_status st = stats_robust_vcov(&d, M, rb->type, V,
                                             &out->clusters, &G2);
    double var = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            var += s[i] * V[4 * i + j] * s[j];
    out->df = stats_robust_df(rb->type, out->clusters, 0);
    double hits = Y[0] + Y[1] + Y[2] + Y[3];
    if (st == STATS_OK && rb->type == STATS_CR2 &&
        rb->df == STATS_DF_SATTERTHWAITE && out->clusters > 0 &&
        hits / (double)out->clusters >= BM_MIN_HITS_PER_CLUSTER) {
        double df = stats_cr2_df(&d, M, lc);
        if (df > 0) {
            out->df = df;
            out->satterthwaite = 1;
        }
    }
    free(x);
    free(w);
    free(r);
    free(cl);
    if (st != STATS_OK)
        return out->status = st;
    if (!(out->df > 0))
        return out->status = STATS_FEW_CLUSTERS;
    if (!(var > 1e-16 * (1 / Y[0] + 1 / Y[1] + 1 / Y[2] + 1 / Y[3])))
        return out->status = STATS_ZERO_VARIANCE;
    struct stats_wald wd;
    stats_wald(b, var, out->df, conf, 1, &wd);
    out->se = wd.se;
    out->lo = wd.lo;
    out->hi = wd.hi;
    out->p = wd.p;
    out->flags = wd.flags & STATS_INF_HI;
    return out->status = STATS_OK;
}

/* ============================================================ matching */

static int same_label(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static const char *cat_lexicon(const struct lexicon_set *set, size_t g)
{
    return set->lexicons[set->categories[g].lexicon].name;
}

static size_t find_cat(const struct lexicon_set *set, const char *lex,
                       const char *name)
{
    for (size_t g = 0; g < set->ncategories; g++)
        if (strcmp(set->categories[g].name, name) == 0 &&
            strcmp(cat_lexicon(set, g), lex) == 0)
            return g;
    return SIZE_MAX;
}

static size_t find_entry(const struct lexicon_set *set, size_t g,
                         const char *term)
{
    for (size_t e = 0; e < set->nentries; e++)
        if (set->entries[e].category == g &&
            strcmp(set->entries[e].term, term) == 0)
            return e;
    return SIZE_MAX;
}

static size_t cat_nentries(const struct lexicon_set *set, size_t g)
{
    size_t n = 0;
    for (size_t e = 0; e < set->nentries; e++)
        n += set->entries[e].category == g;
    return n;
}

/* A cohort of column col in cycle i, by label, shown there; SIZE_MAX
 * when absent or suppressed. */
static size_t find_cohort(const struct trend *tr, size_t i, size_t col,
                          const char *label)
{
    const struct trend_cycle *cy = &tr->cycles[i];
    size_t c = tr->cols[col].col[i];
    for (size_t k = 0; k < tally_ncohorts(cy->part.t, c); k++)
        if (same_label(tally_cohort_name(cy->part.t, c, k), label))
            return compare_cohort_shown(&cy->cmp, c, k) ? k : SIZE_MAX;
    return SIZE_MAX;
}

static void item_fini(struct trend_item *it, size_t ncycles)
{
    for (size_t i = 0; it->items && i < ncycles; i++)
        free(it->items[i]);
    free(it->items);
    free(it->nitems);
}

static void match_items(struct trend *tr)
{
    size_t nc = tr->ncycles;
    const struct lexicon_set *s0 = tr->cycles[0].part.set;
    size_t cap_c = 0, cap_t = 0;
    size_t *g_of = xmalloc(nc * sizeof *g_of);
    for (size_t g = 0; g < s0->ncategories; g++) {
        const char *lex = cat_lexicon(s0, g), *name = s0->categories[g].name;
        int all = 1;
        for (size_t i = 0; i < nc && all; i++)
            all = (g_of[i] = find_cat(tr->cycles[i].part.set, lex, name)) !=
                  SIZE_MAX;
        if (!all)
            continue;
        /* Its entries in every cycle. */
        size_t first_term = tr->nterms;
        for (size_t e = 0; e < s0->nentries; e++) {
            if (s0->entries[e].category != g)
                continue;
            size_t *ix = xmalloc(nc * sizeof *ix);
            int in_all = 1;
            for (size_t i = 0; i < nc && in_all; i++)
                in_all = (ix[i] = find_entry(tr->cycles[i].part.set, g_of[i],
                                             s0->entries[e].term)) != SIZE_MAX;
            if (!in_all) {
                free(ix);
                continue;
            }
            grow(&tr->terms, &cap_t, tr->nterms + 1, sizeof *tr->terms);
            struct trend_item *it = &tr->terms[tr->nterms++];
            memset(it, 0, sizeof *it);
            it->lexicon = lex;
            it->category = name;
            it->term = s0->entries[e].term;
            it->cat = tr->ncats;
            it->items = xcalloc(nc, sizeof *it->items);
            it->nitems = xcalloc(nc, sizeof *it->nitems);
            for (size_t i = 0; i < nc; i++) {
                it->items[i] = xmalloc(sizeof **it->items);
                it->items[i][0] = ix[i];
                it->nitems[i] = 1;
            }
            free(ix);
        }
        size_t ncommon = tr->nterms - first_term;
        grow(&tr->cats, &cap_c, tr->ncats + 1, sizeof *tr->cats);
        struct trend_item *it = &tr->cats[tr->ncats];
        memset(it, 0, sizeof *it);
        it->lexicon = lex;
        it->category = name;
        it->term = "*";
        it->cat = tr->ncats++;
        for (size_t i = 0; i < nc; i++)
            it->partial |= cat_nentries(tr->cycles[i].part.set, g_of[i]) !=
                           ncommon;
        it->items = xcalloc(nc, sizeof *it->items);
        it->nitems = xcalloc(nc, sizeof *it->nitems);
        for (size_t i = 0; i < nc; i++) {
            const struct lexicon_set *set = tr->cycles[i].part.set;
            if (!it->partial) { /* the category's own total: as rates.csv */
                it->items[i] = xmalloc(sizeof **it->items);
                it->items[i][0] = set->nentries + g_of[i];
                it->nitems[i] = 1;
                continue;
            }
            it->items[i] = xmalloc((ncommon ? ncommon : 1) *
                                   sizeof **it->items);
            for (size_t t = first_term; t < tr->nterms; t++)
                it->items[i][it->nitems[i]++] = tr->terms[t].items[i][0];
        }
    }
    free(g_of);
    for (size_t i = 0; i < nc; i++) {
        const struct lexicon_set *set = tr->cycles[i].part.set;
        size_t dc = set->ncategories - tr->ncats, dt = set->nentries - tr->nterms;
        tr->cats_dropped = dc > tr->cats_dropped ? dc : tr->cats_dropped;
        tr->terms_dropped = dt > tr->terms_dropped ? dt : tr->terms_dropped;
    }
}

static void match_columns(struct trend *tr)
{
    size_t nc = tr->ncycles;
    const struct strvec *c0 = &tr->cycles[0].part.cols;
    size_t cap = 0;
    for (size_t c = 0; c < c0->n; c++) {
        size_t *col = xmalloc(nc * sizeof *col);
        int all = 1;
        for (size_t i = 0; i < nc && all; i++) {
            const struct strvec *ci = &tr->cycles[i].part.cols;
            col[i] = SIZE_MAX;
            for (size_t j = 0; j < ci->n; j++)
                if (strcmp(ci->v[j], c0->v[c]) == 0)
                    col[i] = j;
            all = col[i] != SIZE_MAX;
        }
        if (!all) {
            free(col);
            continue;
        }
        grow(&tr->cols, &cap, tr->ncols + 1, sizeof *tr->cols);
        struct trend_column *tc = &tr->cols[tr->ncols++];
        memset(tc, 0, sizeof *tc);
        tc->name = c0->v[c];
        tc->col = col;
    }
    /* Cohorts shown in some cycle (first spelling seen), and the common
     * reference: --reference when every cycle shows it, else the cohort
     * (not "(blank)") every cycle shows with the most residents overall. */
    for (size_t c = 0; c < tr->ncols; c++) {
        struct trend_column *tc = &tr->cols[c];
        for (size_t i = 0; i < nc; i++) {
            const struct trend_cycle *cy = &tr->cycles[i];
            for (size_t k = 0; k < tally_ncohorts(cy->part.t, tc->col[i]); k++) {
                if (!compare_cohort_shown(&cy->cmp, tc->col[i], k))
                    continue;
                const char *name = tally_cohort_name(cy->part.t, tc->col[i], k);
                int seen = 0;
                for (size_t j = 0; j < tc->cohorts.n && !seen; j++)
                    seen = same_label(tc->cohorts.v[j], name);
                if (!seen)
                    strvec_push(&tc->cohorts, name);
            }
        }
        uint64_t best = 0;
        for (size_t j = 0; j < tc->cohorts.n; j++) {
            const char *name = tc->cohorts.v[j];
            if (strcmp(name, TALLY_BLANK) == 0)
                continue;
            uint64_t res = 0;
            int all = 1;
            for (size_t i = 0; i < nc && all; i++) {
                size_t k = find_cohort(tr, i, c, name);
                if ((all = k != SIZE_MAX)) {
                    struct cohort_totals ct;
                    tally_cohort_totals(tr->cycles[i].part.t, tc->col[i], k,
                                        &ct);
                    res += ct.residents;
                }
            }
            if (!all)
                continue;
            if (tr->opt.reference && same_label(name, tr->opt.reference)) {
                tc->reference = name;
                break;
            }
            if (!tc->reference || res > best) {
                tc->reference = name;
                best = res;
            }
        }
    }
}

/* "(blank)" is not a group: compared only with --compare-blank, as in
 * comparisons.csv. */
static int trend_compared(const struct trend *tr, const char *cohort)
{
    return tr->opt.compare_blank || strcmp(cohort, TALLY_BLANK) != 0;
}

/* ============================================================= counting */

/* Cluster ids: one per resident across cycles when ids line up (resident
 * clusters, one --id-key or none), else one per (cycle, resident). */
struct clusters {
    struct strmap ids;
    struct buf key;
};

static uint64_t cluster_id(struct clusters *cl, const struct trend *tr,
                           size_t cycle, const char *resident)
{
    buf_clear(&cl->key);
    if (!tr->clusters_shared)
        buf_printf(&cl->key, "%zu\x1f", cycle);
    buf_puts(&cl->key, resident);
    int added;
    return *strmap_put(&cl->ids, cl->key.p, cl->key.len, cl->ids.n, &added);
}

static uint64_t cell_hits(const tally *t, size_t c, size_t k, size_t j,
                          const struct trend_item *it, size_t cycle)
{
    uint64_t y = 0;
    for (size_t m = 0; m < it->nitems[cycle]; m++)
        y += tally_cell_item(t, c, k, j, it->items[cycle][m]).hits;
    return y;
}

struct cellvec {
    struct trend_cell *v;
    size_t n, cap;
};

static void add_cohort_cells(struct cellvec *cv, struct clusters *cl,
                             const struct trend *tr, size_t cycle,
                             size_t col, size_t k,
                             const struct trend_item *it, int group)
{
    const tally *t = tr->cycles[cycle].part.t;
    size_t c = tr->cols[col].col[cycle], m = tally_ncells(t, c, k);
    grow(&cv->v, &cv->cap, cv->n + m, sizeof *cv->v);
    for (size_t j = 0; j < m; j++) {
        uint64_t evals, words;
        tally_cell_totals(t, c, k, j, &evals, &words);
        cv->v[cv->n++] = (struct trend_cell){
            .cluster = cluster_id(cl, tr, cycle, tally_cell_resident(t, c, k, j)),
            .y = cell_hits(t, c, k, j, it, cycle), .t = (double)words,
            .group = group};
    }
}

int trend_point_get(const struct trend *tr, size_t cycle, size_t col,
                    const char *cohort, const struct trend_item *it,
                    struct trend_point *pt)
{
    memset(pt, 0, sizeof *pt);
    size_t k = find_cohort(tr, cycle, col, cohort);
    if (k == SIZE_MAX)
        return 0;
    const tally *t = tr->cycles[cycle].part.t;
    size_t c = tr->cols[col].col[cycle];
    struct cohort_totals ct;
    tally_cohort_totals(t, c, k, &ct);
    pt->evaluations = ct.evaluations;
    pt->residents = ct.residents;
    pt->words = ct.words;
    for (size_t m = 0; m < it->nitems[cycle]; m++)
        pt->hits += tally_item(t, c, k, it->items[cycle][m]).hits;
    pt->rate = ct.words ? 1000.0 * (double)pt->hits / (double)ct.words : 0;
    const char *ref = tr->cols[col].reference;
    pt->is_reference = ref && same_label(ref, cohort);
    size_t r = ref ? find_cohort(tr, cycle, col, ref) : SIZE_MAX;
    if (pt->is_reference || r == SIZE_MAX || !trend_compared(tr, cohort))
        return 1;
    /* Within one cycle, as compare.c: group 1 the cohort, 0 the reference. */
    struct clusters cl;
    strmap_init(&cl.ids);
    buf_init(&cl.key);
    struct cellvec cv = {0};
    add_cohort_cells(&cv, &cl, tr, cycle, col, k, it, 1);
    add_cohort_cells(&cv, &cl, tr, cycle, col, r, it, 0);
    struct stats_cell *sc = xmalloc((cv.n ? cv.n : 1) * sizeof *sc);
    for (size_t i = 0; i < cv.n; i++)
        sc[i] = (struct stats_cell){cv.v[i].cluster, cv.v[i].y, cv.v[i].t,
                                    cv.v[i].group, 0};
    /* The variance of comparisons.csv (--robust; CR2 and Bell-McCaffrey
     * df by default). The cells carry no evaluator: one-way. */
    struct stats_robust rb = tr->opt.robust;
    rb.twoway = 0;
    stats_cluster_rr(sc, cv.n, &rb, tr->opt.conf, &pt->rr);
    pt->has_rr = 1;
    free(sc);
    free(cv.v);
    strmap_fini(&cl.ids);
    buf_fini(&cl.key);
    return 1;
}

static void run_tests(struct trend *tr)
{
    size_t first = 0, last = tr->ncycles - 1, cap = 0;
    struct clusters cl;
    strmap_init(&cl.ids);
    buf_init(&cl.key);
    struct cellvec cv = {0};
    for (size_t c = 0; c < tr->ncols; c++) {
        const struct trend_column *tc = &tr->cols[c];
        if (!tc->reference || first == last)
            continue;
        size_t rf = find_cohort(tr, first, c, tc->reference);
        size_t rl = find_cohort(tr, last, c, tc->reference);
        for (size_t j = 0; j < tc->cohorts.n; j++) {
            const char *name = tc->cohorts.v[j];
            size_t kf = find_cohort(tr, first, c, name);
            size_t kl = find_cohort(tr, last, c, name);
            if (same_label(name, tc->reference) || kf == SIZE_MAX ||
                kl == SIZE_MAX || !trend_compared(tr, name))
                continue;
            size_t fam = tr->ntests;
            double *p = xmalloc((tr->ncats ? tr->ncats : 1) * sizeof *p);
            for (size_t g = 0; g < tr->ncats; g++) {
                const struct trend_item *it = &tr->cats[g];
                grow(&tr->tests, &cap, tr->ntests + 1, sizeof *tr->tests);
                struct trend_test *t = &tr->tests[tr->ntests++];
                memset(t, 0, sizeof *t);
                t->col = c;
                t->cat = g;
                t->cohort = name;
                cv.n = 0;
                add_cohort_cells(&cv, &cl, tr, first, c, rf, it, 0);
                add_cohort_cells(&cv, &cl, tr, first, c, kf, it, 1);
                add_cohort_cells(&cv, &cl, tr, last, c, rl, it, 2);
                add_cohort_cells(&cv, &cl, tr, last, c, kl, it, 3);
                trend_ratio_of_ratios(cv.v, cv.n, &tr->opt.robust,
                                      tr->opt.conf, &t->ch);
                if (t->ch.status != STATS_OK)
                    snprintf(t->note, sizeof t->note, "%s",
                             stats_strerror(t->ch.status));
                p[g] = (t->ch.flags & STATS_NA_P) ? NAN : t->ch.p;
            }
            /* Benjamini-Hochberg over the family's categories. */
            stats_bh(p, tr->ncats, p);
            for (size_t g = 0; g < tr->ncats; g++)
                tr->tests[fam + g].q = p[g];
            free(p);
        }
    }
    free(cv.v);
    strmap_fini(&cl.ids);
    buf_fini(&cl.key);
}

int trend_test_significant(const struct trend *tr, const struct trend_test *t)
{
    const struct trend_change *c = &t->ch;
    if (c->flags & (STATS_NA_CI | STATS_NA_P | STATS_NA_EST))
        return 0;
    int excl = c->lo > 1 || (!(c->flags & STATS_INF_HI) && c->hi < 1);
    return excl && t->q < 1 - tr->opt.conf;
}

/* ============================================================== loading */

/* The cycle's name without --period: the folder's last component (the
 * folder holding it, for a tally file given by name). */
static char *folder_label(const char *path)
{
    char *s = xstrdup(path);
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    const char *base = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
    if (strcmp(base, TALLY_FILE_NAME) == 0 && base > s) {
        s[base - s - 1] = '\0';
        n = strlen(s);
        base = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
    }
    char *out = xstrdup(*base ? base : path);
    free(s);
    return out;
}

int trend_load(struct trend *tr, const char *const *paths, size_t n,
               const struct compare_options *opt, struct diag *err)
{
    memset(tr, 0, sizeof *tr);
    tr->opt = *opt;
    tr->cycles = xcalloc(n ? n : 1, sizeof *tr->cycles);
    struct compare_options co = *opt;
    co.reference = NULL; /* the common reference is chosen across cycles */
    for (size_t i = 0; i < n; i++) {
        struct trend_cycle *cy = &tr->cycles[i];
        if (tally_file_read(paths[i], &cy->part, err) < 0)
            return -1;
        tr->ncycles = i + 1;
        tally_finish(cy->part.t);
        cy->label = cy->part.ri.period ? xstrdup(cy->part.ri.period)
                                       : folder_label(paths[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(tr->cycles[j].label, cy->label) == 0) {
                diag_set(err, DIAG_ERROR, paths[i], 0, 0,
                         "cycle \"%s\" is already %s: give each audit its "
                         "own --period (or folder name)", cy->label, paths[j]);
                return -1;
            }
        co.column_names = (const char *const *)cy->part.cols.v;
        if (compare_run(cy->part.t, cy->part.set, &co, &cy->cmp, err) < 0)
            return -1;
    }
    if (n == 0) {
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "no audit folder given");
        return -1;
    }
    const struct tally_part *p0 = &tr->cycles[0].part;
    tr->clusters_shared = 1;
    for (size_t i = 0; i < n; i++) {
        const struct tally_part *p = &tr->cycles[i].part;
        tr->clusters_shared &= p->clusters == TALLY_CLUSTERS_RESIDENT &&
                               strcmp(p->key_fingerprint,
                                      p0->key_fingerprint) == 0;
        int same = p->set->nlexicons == p0->set->nlexicons;
        for (size_t l = 0; same && l < p->set->nlexicons; l++)
            same = strcmp(p->set->lexicons[l].sha256,
                          p0->set->lexicons[l].sha256) == 0;
        tr->lexicons_differ |= !same;
    }
    match_items(tr);
    if (!tr->ncats) {
        diag_set(err, DIAG_ERROR, paths[0], 0, 0, "no lexicon category is in "
                 "every cycle's audit: nothing to compare");
        return -1;
    }
    match_columns(tr);
    if (!tr->ncols) {
        diag_set(err, DIAG_ERROR, paths[0], 0, 0, "no cohort column is in "
                 "every cycle's audit: nothing to compare");
        return -1;
    }
    run_tests(tr);
    return 0;
}

void trend_fini(struct trend *tr)
{
    for (size_t g = 0; g < tr->ncats; g++)
        item_fini(&tr->cats[g], tr->ncycles);
    for (size_t e = 0; e < tr->nterms; e++)
        item_fini(&tr->terms[e], tr->ncycles);
    free(tr->cats);
    free(tr->terms);
    for (size_t c = 0; c < tr->ncols; c++) {
        free(tr->cols[c].col);
        strvec_fini(&tr->cols[c].cohorts);
    }
    free(tr->cols);
    free(tr->tests);
    for (size_t i = 0; i < tr->ncycles; i++) {
        free(tr->cycles[i].label);
        comparisons_fini(&tr->cycles[i].cmp);
        tally_part_fini(&tr->cycles[i].part);
    }
    free(tr->cycles);
    memset(tr, 0, sizeof *tr);
}

/* ================================================================= CSV */

static void num(FILE *f, double v, int missing)
{
    fputc(',', f);
    if (!missing)
        fprintf(f, "%.10g", v); /* as comparisons.csv: checkable */
}

static void csv_row(FILE *f, const struct trend *tr, size_t i, size_t c,
                    const char *cohort, const struct trend_item *it)
{
    struct trend_point pt;
    if (!trend_point_get(tr, i, c, cohort, it, &pt))
        return;
    const char *ref = tr->cols[c].reference;
    report_cell_str(f, tr->cycles[i].label);
    fputc(',', f);
    report_cell_str(f, tr->cols[c].name);
    fputc(',', f);
    report_cell_str(f, cohort);
    fputc(',', f);
    report_cell_str(f, ref ? ref : "");
    fputc(',', f);
    report_cell_str(f, it->lexicon);
    fputc(',', f);
    report_cell_str(f, it->category);
    fputc(',', f);
    report_cell_str(f, it->term);
    fprintf(f, ",%llu,%llu,%llu,%llu,", (unsigned long long)pt.evaluations,
            (unsigned long long)pt.residents, (unsigned long long)pt.words,
            (unsigned long long)pt.hits);
    if (pt.words)
        fprintf(f, "%.4f", pt.rate); /* as rates.csv */
    const struct stats_cluster *r = &pt.rr;
    int none = !pt.has_rr;
    num(f, r->rr, none || (r->flags & (STATS_NA_EST | STATS_INF_EST)));
    num(f, r->lo, none || (r->flags & STATS_NA_CI));
    num(f, r->hi, none || (r->flags & (STATS_NA_CI | STATS_INF_HI)));
    fputs("\r\n", f);
}

/* A term's rows are written (in every cycle) when some cycle's rates.csv
 * writes it for the column: a hit of it in some cohort. In the other
 * cycles its rows say 0 hits. */
static int term_written(const struct trend *tr, size_t c,
                        const struct trend_item *it)
{
    for (size_t i = 0; i < tr->ncycles; i++) {
        const struct tally_part *p = &tr->cycles[i].part;
        if (compare_item_written(p->t, p->set, tr->cols[c].col[i],
                                 it->items[i][0]))
            return 1;
    }
    return 0;
}

void trend_write_csv(FILE *f, const struct trend *tr, int terms)
{
    fputs("cycle,cohort_column,cohort,reference,lexicon,category,term,"
          "evaluations,residents,words,hits,rate_per_1000_words,rate_ratio,"
          "robust_ci_low,robust_ci_high\r\n", f);
    for (size_t i = 0; i < tr->ncycles; i++)
        for (size_t c = 0; c < tr->ncols; c++)
            for (size_t j = 0; j < tr->cols[c].cohorts.n; j++)
                for (size_t g = 0; g < tr->ncats; g++) {
                    const char *k = tr->cols[c].cohorts.v[j];
                    csv_row(f, tr, i, c, k, &tr->cats[g]);
                    for (size_t e = 0; terms && e < tr->nterms; e++)
                        if (tr->terms[e].cat == g &&
                            term_written(tr, c, &tr->terms[e]))
                            csv_row(f, tr, i, c, k, &tr->terms[e]);
                }
}

void trend_write_changes(FILE *f, const struct trend *tr)
{
    fputs("cohort_column,cohort,reference,lexicon,category,first_cycle,"
          "last_cycle,ratio_of_rate_ratios,robust_ci_low,robust_ci_high,"
          "robust_p,robust_df,q,finding,note\r\n", f);
    for (size_t i = 0; i < tr->ntests; i++) {
        const struct trend_test *t = &tr->tests[i];
        const struct trend_item *it = &tr->cats[t->cat];
        report_cell_str(f, tr->cols[t->col].name);
        fputc(',', f);
        report_cell_str(f, t->cohort);
        fputc(',', f);
        report_cell_str(f, tr->cols[t->col].reference);
        fputc(',', f);
        report_cell_str(f, it->lexicon);
        fputc(',', f);
        report_cell_str(f, it->category);
        fputc(',', f);
        report_cell_str(f, tr->cycles[0].label);
        fputc(',', f);
        report_cell_str(f, tr->cycles[tr->ncycles - 1].label);
        const struct trend_change *c = &t->ch;
        num(f, c->rrr, c->flags & STATS_NA_EST);
        num(f, c->lo, c->flags & STATS_NA_CI);
        num(f, c->hi, c->flags & (STATS_NA_CI | STATS_INF_HI));
        num(f, c->p, c->flags & STATS_NA_P);
        num(f, c->df, c->flags & STATS_NA_P);
        num(f, t->q, c->flags & STATS_NA_P);
        fprintf(f, ",%s,", trend_test_significant(tr, t) ? "true" : "false");
        report_cell_str(f, t->note);
        fputs("\r\n", f);
    }
}
