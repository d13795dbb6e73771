/* test_stats.c - unit tests for src/stats.c.
 *
 * Three parts:
 *   1. reference values: every row of the CSV files in tests/stats/ (made
 *      by R, see tests/stats/make_reference.R) is recomputed and compared
 *      to 1e-6 relative (absolute near 0; p-values below 1e-300 count as 0). "NA"
 *      and "Inf" in R's output must come back as the matching flag, with
 *      the documented placeholder value;
 *   2. published values (Newcombe 1998 Table II; Snyder's rows of
 *      shared/research/literature.md), edge cases and contracts: no NaN or
 *      infinity in any output, statuses and their texts;
 *   3. simulation with a fixed-seed RNG: the cluster-robust interval finds
 *      a planted 2x rate ratio between residents with gamma-distributed
 *      rates, holds its 5% level under the null (where the per-word exact
 *      test does not), and BH keeps the false discovery rate.
 *
 * Run from the repository root (or pass the root as argv[1]). */
#include "check.h"
#include "stats.h"
#include "stats_glm.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================= A small CSV table reader ====================== */

/* The reference files are plain CSV: a header, no quoting, no embedded
 * commas. */
struct table {
    char *text;
    char **cell; /* nrows x ncols, row 0 is the header */
    size_t nrows, ncols;
};

static int table_load(struct table *t, const char *root, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/stats/%s", root, name);
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("# cannot open %s\n", path);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    t->text = malloc(cap);
    for (size_t k; (k = fread(t->text + len, 1, cap - len - 1, f)) > 0;) {
        len += k;
        if (cap - len - 1 == 0)
            t->text = realloc(t->text, cap *= 2);
    }
    fclose(f);
    t->text[len] = '\0';
    size_t ccap = 256, nc = 0;
    t->cell = malloc(ccap * sizeof *t->cell);
    size_t cols_in_row = 0;
    for (char *p = t->text; *p;) {
        char *line = p, *end = strchr(p, '\n');
        if (end) {
            *end = '\0';
            p = end + 1;
        } else {
            p += strlen(p);
        }
        if (end > line && end[-1] == '\r')
            end[-1] = '\0';
        if (!*line)
            continue;
        cols_in_row = 0;
        for (char *fld = line;;) {
            char *comma = strchr(fld, ',');
            if (comma)
                *comma = '\0';
            if (nc == ccap)
                t->cell = realloc(t->cell, (ccap *= 2) * sizeof *t->cell);
            t->cell[nc++] = fld;
            cols_in_row++;
            if (!comma)
                break;
            fld = comma + 1;
        }
        if (t->ncols == 0)
            t->ncols = cols_in_row;
        else if (cols_in_row != t->ncols) {
            printf("# %s: ragged row %zu\n", path, t->nrows);
            return -1;
        }
        t->nrows++;
    }
    return 0;
}

static void table_free(struct table *t)
{
    free(t->text);
    free(t->cell);
}

static const char *col(const struct table *t, size_t r, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cell[c], name) == 0)
            return t->cell[r * t->ncols + c];
    printf("# no column %s\n", name);
    return "NA";
}

static double num(const struct table *t, size_t r, const char *name)
{
    const char *s = col(t, r, name);
    if (strcmp(s, "NA") == 0)
        return NAN;
    return strtod(s, NULL); /* strtod reads "Inf" */
}

static uint64_t count(const struct table *t, size_t r, const char *name)
{
    return (uint64_t)num(t, r, name);
}

/* ======================= Comparison helpers ============================ */

static const struct {
    const char *name;
    enum stats_status st;
} status_names[] = {
    {"ok", STATS_OK},
    {"bad_input", STATS_BAD_INPUT},
    {"no_exposure", STATS_NO_EXPOSURE},
    {"empty", STATS_EMPTY},
    {"no_events", STATS_NO_EVENTS},
    {"zero_ref", STATS_ZERO_REF},
    {"zero_cohort", STATS_ZERO_COHORT},
    {"few_clusters", STATS_FEW_CLUSTERS},
    {"zero_variance", STATS_ZERO_VARIANCE},
};

static int status_of(const char *name)
{
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(status_names[i].name, name) == 0)
            return (int)status_names[i].st;
    return -1;
}

static double worst_rel; /* largest relative difference seen, reported */
static double rel_tol = 1e-6; /* 1e-8 for the robust engine's references */

/* Relative 1e-6, with an absolute floor for values near 0. */
static int near(double got, double want, double abs_floor)
{
    if (isfinite(got) && fabs(want) > abs_floor && want != 0) {
        double rel = fabs(got - want) / fabs(want);
        if (rel > worst_rel)
            worst_rel = rel;
    }
    return isfinite(got) && fabs(got - want) <= rel_tol * fabs(want) + abs_floor;
}

#define EST_FLOOR 1e-12 /* estimates and bounds */
#define P_FLOOR 1e-300  /* p-values: R and we both underflow near 1e-308 */

/* Compare one field: want is a number, NaN ("NA") or +inf ("Inf").
 * na_flag / inf_flag: the flags that must then be set; placeholder: the
 * value the field must then hold. Prints a diagnostic line on mismatch. */
static int field_ok(const char *id, const char *what, double got,
                    double want, unsigned flags, unsigned na_flag,
                    unsigned inf_flag, double placeholder, double floor_)
{
    int ok;
    if (isnan(want))
        ok = (flags & na_flag) && got == placeholder;
    else if (isinf(want))
        ok = (flags & inf_flag) && got == 0;
    else
        ok = !(flags & (na_flag | inf_flag)) && near(got, want, floor_);
    if (!ok)
        printf("#   %s %s: got %.17g (flags %#x), want %.17g\n", id, what, got,
               flags, want);
    return ok;
}

/* ======================= 1. Reference values =========================== */

static void test_poisson_reference(const char *root)
{
    struct table t;
    if (table_load(&t, root, "poisson.csv") != 0) {
        CHECK(0, "poisson.csv loads");
        return;
    }
    CHECK(t.nrows - 1 >= 40, "poisson.csv has >= 40 cases");
    for (size_t r = 1; r < t.nrows; r++) {
        const char *id = col(&t, r, "id");
        struct stats_poisson o;
        enum stats_status st = stats_poisson_exact(
            count(&t, r, "x1"), num(&t, r, "t1"), count(&t, r, "x2"),
            num(&t, r, "t2"), num(&t, r, "conf"), &o);
        int ok = (int)st == status_of(col(&t, r, "status")) && st == o.status;
        if (!ok)
            printf("#   %s status: got %d (%s)\n", id, st, stats_strerror(st));
        double rr = num(&t, r, "rr");
        ok &= field_ok(id, "rr", o.rr, rr, o.flags, STATS_NA_EST,
                       STATS_INF_EST, 0, EST_FLOOR);
        ok &= field_ok(id, "lo", o.lo, num(&t, r, "lo"), o.flags, STATS_NA_CI,
                       0, 0, EST_FLOOR);
        ok &= field_ok(id, "hi", o.hi, num(&t, r, "hi"), o.flags, STATS_NA_CI,
                       STATS_INF_HI, 0, EST_FLOOR);
        ok &= field_ok(id, "p", o.p, num(&t, r, "p"), o.flags, STATS_NA_P, 0,
                       1, P_FLOOR);
        char d[160];
        snprintf(d, sizeof d, "poisson.test reference: %s", id);
        CHECK(ok, d);
    }
    table_free(&t);
}

static void test_prevalence_reference(const char *root)
{
    struct table t;
    if (table_load(&t, root, "prevalence.csv") != 0) {
        CHECK(0, "prevalence.csv loads");
        return;
    }
    for (size_t r = 1; r < t.nrows; r++) {
        const char *id = col(&t, r, "id");
        struct stats_prevalence o;
        enum stats_status st = stats_prevalence_diff(
            count(&t, r, "a1"), count(&t, r, "n1"), count(&t, r, "a2"),
            count(&t, r, "n2"), num(&t, r, "conf"), &o);
        int ok = (int)st == status_of(col(&t, r, "status"));
        ok &= field_ok(id, "diff", o.diff, num(&t, r, "diff"), o.flags,
                       STATS_NA_EST, 0, 0, EST_FLOOR);
        ok &= field_ok(id, "lo", o.lo, num(&t, r, "lo"), o.flags, STATS_NA_CI,
                       0, 0, EST_FLOOR);
        ok &= field_ok(id, "hi", o.hi, num(&t, r, "hi"), o.flags, STATS_NA_CI,
                       0, 0, EST_FLOOR);
        ok &= field_ok(id, "p", o.p, num(&t, r, "p"), o.flags, STATS_NA_P, 0,
                       1, P_FLOOR);
        char d[160];
        snprintf(d, sizeof d, "Newcombe + fisher.test reference: %s", id);
        CHECK(ok, d);
    }
    table_free(&t);
}

static const struct stats_robust cr1 = {STATS_CR1, 0, STATS_DF_CLUSTERS};

static void test_cluster_reference(const char *root)
{
    struct table t, c;
    if (table_load(&t, root, "cluster.csv") != 0 ||
        table_load(&c, root, "cluster_cells.csv") != 0) {
        CHECK(0, "cluster.csv and cluster_cells.csv load");
        return;
    }
    struct stats_cell *cells = malloc(c.nrows * sizeof *cells);
    for (size_t r = 1; r < t.nrows; r++) {
        const char *id = col(&t, r, "id");
        size_t n = 0;
        for (size_t k = 1; k < c.nrows; k++) {
            if (strcmp(col(&c, k, "id"), id) != 0)
                continue;
            cells[n].cluster = count(&c, k, "cluster");
            cells[n].group = (int)num(&c, k, "group");
            cells[n].y = count(&c, k, "y");
            cells[n].t = num(&c, k, "t");
            n++;
        }
        struct stats_cluster o;
        enum stats_status st = stats_cluster_rr(cells, n, &cr1, num(&t, r, "conf"), &o);
        int ok = (int)st == status_of(col(&t, r, "status"));
        if (!ok)
            printf("#   %s status: got %d (%s)\n", id, st, stats_strerror(st));
        if (o.clusters != count(&t, r, "clusters")) {
            printf("#   %s clusters: got %zu\n", id, o.clusters);
            ok = 0;
        }
        ok &= field_ok(id, "rr", o.rr, num(&t, r, "rr"), o.flags,
                       STATS_NA_EST, STATS_INF_EST, 0, EST_FLOOR);
        if (st == STATS_OK) { /* b1 and se are meaningful only then */
            ok &= field_ok(id, "log_rr", o.log_rr, num(&t, r, "log_rr"), 0, 0,
                           0, 0, EST_FLOOR);
            ok &= field_ok(id, "se", o.se, num(&t, r, "se"), 0, 0, 0, 0,
                           EST_FLOOR);
        }
        ok &= field_ok(id, "lo", o.lo, num(&t, r, "lo"), o.flags, STATS_NA_CI,
                       0, 0, EST_FLOOR);
        ok &= field_ok(id, "hi", o.hi, num(&t, r, "hi"), o.flags, STATS_NA_CI,
                       STATS_INF_HI, 0, EST_FLOOR);
        /* With a zero cell R has no Wald p; ours is then the robust score
         * test's, checked against robust.csv below. */
        if (st != STATS_ZERO_COHORT && st != STATS_ZERO_REF)
            ok &= field_ok(id, "p", o.p, num(&t, r, "p"), o.flags, STATS_NA_P,
                           0, 1, P_FLOOR);
        else
            ok &= o.score == 1 && !(o.flags & STATS_NA_P);
        char d[160];
        snprintf(d, sizeof d, "glm + CR1 sandwich reference: %s (%zu rows)", id,
                 n);
        CHECK(ok, d);
    }
    free(cells);
    table_free(&t);
    table_free(&c);
}

static void test_bh_reference(const char *root)
{
    struct table t;
    if (table_load(&t, root, "bh.csv") != 0) {
        CHECK(0, "bh.csv loads");
        return;
    }
    double *p = malloc(t.nrows * sizeof *p), *q = malloc(t.nrows * sizeof *q);
    for (size_t r = 1; r < t.nrows;) {
        const char *id = col(&t, r, "id");
        size_t n = 0, r0 = r;
        for (; r < t.nrows && strcmp(col(&t, r, "id"), id) == 0; r++)
            p[n++] = num(&t, r, "p");
        stats_bh(p, n, q);
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            double want = num(&t, r0 + i, "q");
            if (isnan(want))
                want = 1; /* R's NA: not tested, q = 1 by contract */
            if (!near(q[i], want, EST_FLOOR)) {
                printf("#   %s[%zu]: got %.17g, want %.17g\n", id, i, q[i], want);
                ok = 0;
            }
        }
        char d[160];
        snprintf(d, sizeof d, "p.adjust(BH) reference: %s (%zu p-values)", id,
                 n);
        CHECK(ok, d);
    }
    free(p);
    free(q);
    table_free(&t);
}

static void test_dist_reference(const char *root)
{
    struct table t;
    if (table_load(&t, root, "dist.csv") != 0) {
        CHECK(0, "dist.csv loads");
        return;
    }
    for (size_t r = 1; r < t.nrows; r++) {
        const char *fn = col(&t, r, "fn");
        double a = num(&t, r, "a"), b = num(&t, r, "b"), c = num(&t, r, "c"),
               d = num(&t, r, "d"), want = num(&t, r, "value"), got = NAN,
               floor_ = EST_FLOOR;
        if (strcmp(fn, "qnorm") == 0) {
            got = stats_norm_quantile(a);
        } else if (strcmp(fn, "pnorm") == 0) {
            got = stats_norm_cdf(a);
            floor_ = P_FLOOR;
        } else if (strcmp(fn, "pt") == 0) {
            got = stats_t_cdf(a, b);
            floor_ = P_FLOOR;
        } else if (strcmp(fn, "qt") == 0) {
            got = stats_t_quantile(a, b);
        } else if (strcmp(fn, "pbeta") == 0) {
            double lw, up;
            stats_beta_inc(a, 1 - a, b, c, &lw, &up);
            got = lw;
            floor_ = P_FLOOR;
        } else if (strcmp(fn, "qbeta") == 0) {
            got = stats_beta_quantile(a, b, c);
        } else if (strcmp(fn, "dbinom_log") == 0) {
            got = stats_binom_logpmf(a, b, c, 1 - c);
        } else if (strcmp(fn, "dhyper_log") == 0) {
            got = stats_hyper_logpmf(a, b, c, d);
        } else if (strcmp(fn, "binom_test") == 0) {
            got = stats_binom_test((uint64_t)a, (uint64_t)b, c, 1 - c);
            floor_ = P_FLOOR;
        } else if (strcmp(fn, "fisher") == 0) {
            got = stats_fisher_exact((uint64_t)a, (uint64_t)b, (uint64_t)c,
                                     (uint64_t)d);
            floor_ = P_FLOOR;
        }
        int ok = near(got, want, floor_);
        char desc[200];
        snprintf(desc, sizeof desc, "R %s(%s, %s, %s, %s)", fn, col(&t, r, "a"),
                 col(&t, r, "b"), col(&t, r, "c"), col(&t, r, "d"));
        if (!ok)
            printf("#   got %.17g, want %.17g\n", got, want);
        CHECK(ok, desc);
    }
    table_free(&t);
}

/* ======================= 2. Published values, edges, contracts ========= */

static int round_eq(double got, double want, double unit)
{
    return fabs(got - want) <= 0.5 * unit + 1e-12;
}

static void test_published(void)
{
    struct stats_prevalence o;
    /* Newcombe (1998), Table II, method 10: (a) 56/70 - 48/80, (b) 9/10 -
     * 3/10 (the two rows propint's test suite also quotes). */
    stats_prevalence_diff(56, 70, 48, 80, 0.95, &o);
    CHECK(round_eq(o.lo, 0.0524, 1e-4) && round_eq(o.hi, 0.3339, 1e-4),
          "Newcombe 1998 Table II: 56/70-48/80 -> 0.0524 to 0.3339");
    stats_prevalence_diff(9, 10, 3, 10, 0.95, &o);
    CHECK(round_eq(o.lo, 0.1705, 1e-4) && round_eq(o.hi, 0.8090, 1e-4),
          "Newcombe 1998 Table II: 9/10-3/10 -> 0.1705 to 0.8090");
    /* Snyder 2014 rows of literature.md (e). */
    stats_prevalence_diff(71, 94, 2, 83, 0.95, &o);
    CHECK(round_eq(o.diff, 0.731, 1e-3) && round_eq(o.lo, 0.618, 1e-3) &&
              round_eq(o.hi, 0.809, 1e-3) && round_eq(o.p * 1e26, 2.3, 0.1),
          "Snyder personality 71/94 vs 2/83: 0.731 (0.618-0.809), p 2.3e-26");
    stats_prevalence_diff(94, 107, 83, 141, 0.95, &o);
    CHECK(round_eq(o.diff, 0.290, 1e-3) && round_eq(o.lo, 0.182, 1e-3) &&
              round_eq(o.hi, 0.386, 1e-3) && round_eq(o.p * 1e7, 4.5, 0.1),
          "Snyder critical 94/107 vs 83/141: 0.290 (0.182-0.386), p 4.5e-7");
    /* Textbook constants. */
    CHECK(fabs(stats_norm_quantile(0.975) - 1.959963984540054) < 1e-15,
          "qnorm(0.975) = 1.959963984540054");
    CHECK(fabs(stats_t_quantile(0.975, 1) - 12.706204736174707) < 1e-9,
          "qt(0.975, 1) = 12.7062 (Cauchy: tan(0.475 pi))");
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void test_edges(void)
{
    /* Every status has its own non-empty text. */
    int texts_ok = 1;
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++) {
        const char *s = stats_strerror(status_names[i].st);
        texts_ok &= s && *s;
        for (size_t j = 0; j < i; j++)
            texts_ok &= strcmp(s, stats_strerror(status_names[j].st)) != 0;
    }
    CHECK(texts_ok, "stats_strerror: distinct text for every status");
    CHECK_STR(stats_strerror(STATS_NO_EVENTS), "zero events in both cohorts",
              "strerror(STATS_NO_EVENTS)");
    CHECK_STR(stats_strerror(STATS_FEW_CLUSTERS), "fewer than 2 clusters",
              "strerror(STATS_FEW_CLUSTERS)");

    struct stats_poisson po;
    CHECK(stats_poisson_exact(3, 100, 4, 100, 1.0, &po) == STATS_BAD_INPUT,
          "poisson: conf = 1 is bad input");
    CHECK(stats_poisson_exact(3, NAN, 4, 100, 0.95, &po) == STATS_BAD_INPUT &&
              po.p == 1 && po.rr == 0,
          "poisson: NaN words is bad input, placeholders set");
    CHECK(stats_poisson_exact(3, -5, 4, 100, 0.95, &po) == STATS_BAD_INPUT,
          "poisson: negative words is bad input");

    /* A sweep of extreme inputs: every output finite, flags consistent. */
    const uint64_t xs[] = {0, 1, 2, 17, 1000, 999999, 10000000, 4000000000ULL};
    const double ts[] = {0, 1e-200, 0.5, 1, 1000, 1e6, 1e9, 1e200};
    int sweep_ok = 1;
    for (size_t a = 0; a < 8; a++)
        for (size_t b = 0; b < 8; b++)
            for (size_t c = 0; c < 8; c += 3)
                for (size_t d = 0; d < 8; d += 2) {
                    stats_poisson_exact(xs[a], ts[c], xs[b], ts[d], 0.95, &po);
                    double v[] = {po.rate1, po.rate2, po.rr, po.lo, po.hi, po.p};
                    int ok = all_finite(v, 6) && po.p >= 0 && po.p <= 1 &&
                             po.lo <= (po.flags & STATS_INF_HI ? INFINITY : po.hi);
                    if (!ok)
                        printf("#   sweep x1=%llu t1=%g x2=%llu t2=%g\n",
                               (unsigned long long)xs[a], ts[c],
                               (unsigned long long)xs[b], ts[d]);
                    sweep_ok &= ok;
                }
    CHECK(sweep_ok, "poisson: 512 extreme inputs give finite, ordered output");

    struct stats_prevalence pv;
    CHECK(stats_prevalence_diff(5, 4, 1, 10, 0.95, &pv) == STATS_BAD_INPUT,
          "prevalence: a > n is bad input");
    CHECK(stats_prevalence_diff(0, 0, 0, 0, 0.95, &pv) == STATS_EMPTY &&
              (pv.flags & STATS_NA_EST) && pv.p == 1,
          "prevalence: no evaluations -> STATS_EMPTY, placeholders");
    double lo, hi;
    stats_wilson(0, 0, 0.95, &lo, &hi);
    CHECK(lo == 0 && hi == 1, "wilson: n = 0 gives [0, 1]");

    /* Cluster: order does not matter; evaluation-level rows give the same
     * answer as their per-resident sums; bad rows are refused. */
    struct stats_cell rows[] = {
        {11, 3, 1000, 1, 0}, {12, 7, 1500, 1, 0}, {13, 1, 900, 1, 0},
        {21, 2, 1200, 0, 0}, {22, 4, 1100, 0, 0}, {23, 1, 1300, 0, 0}, {24, 0, 500, 0, 0}};
    struct stats_cell split[] = {
        {24, 0, 500, 0, 0},  {13, 1, 900, 1, 0},  {11, 1, 400, 1, 0}, {22, 4, 1100, 0, 0},
        {21, 2, 1200, 0, 0}, {12, 7, 1500, 1, 0}, {23, 1, 650, 0, 0}, {11, 2, 600, 1, 0},
        {23, 0, 650, 0, 0}};
    struct stats_cluster c1, c2;
    stats_cluster_rr(rows, 7, NULL, 0.95, &c1);
    stats_cluster_rr(split, 9, NULL, 0.95, &c2);
    CHECK(c1.status == STATS_OK && c2.status == STATS_OK &&
              c1.clusters == 7 && c2.clusters == 7 &&
              fabs(c1.se - c2.se) < 1e-12 && fabs(c1.lo - c2.lo) < 1e-12 &&
              fabs(c1.p - c2.p) < 1e-12,
          "cluster: row order and splitting rows within a cluster do not matter");
    stats_poisson_exact(11, 3400, 7, 4100, 0.95, &po);
    CHECK(fabs(c1.rr - po.rr) < 1e-12,
          "cluster: MLE rate ratio equals the ratio of totals");
    struct stats_cell bad[] = {{1, 2, 0, 1, 0}, {2, 1, 10, 0, 0}};
    CHECK(stats_cluster_rr(bad, 2, NULL, 0.95, &c1) == STATS_BAD_INPUT,
          "cluster: hits without words is bad input");
    CHECK(stats_cluster_rr(rows, 0, NULL, 0.95, &c1) == STATS_NO_EXPOSURE &&
              c1.clusters == 0 && (c1.flags & STATS_NA_EST),
          "cluster: no rows -> STATS_NO_EXPOSURE");
    CHECK(stats_cluster_rr(rows, 7, NULL, 0, &c1) == STATS_BAD_INPUT,
          "cluster: conf = 0 is bad input");

    /* BH: empty input, NaN, in place (q aliases p), monotone. */
    stats_bh(NULL, 0, NULL);
    double p[] = {0.04, NAN, 0.01, 0.03, 2.0, -1};
    stats_bh(p, 6, p);
    CHECK(all_finite(p, 6) && p[1] == 1 && p[4] == 1 && p[5] == 0 &&
              fabs(p[2] - 0.025) < 1e-15 && fabs(p[3] - 0.05) < 1e-15 &&
              fabs(p[0] - 0.05) < 1e-15,
          "bh: in place, NaN -> 1 and left out of m, clamped to [0, 1]");

    /* Quantiles are finite at and beyond the ends. */
    double qv[] = {stats_norm_quantile(0), stats_norm_quantile(1),
                   stats_norm_quantile(NAN), stats_t_quantile(0, 3),
                   stats_t_quantile(1, 1), stats_t_quantile(0.3, 0),
                   stats_beta_quantile(0.5, 0, 1), stats_t_cdf(NAN, 3),
                   stats_binom_logpmf(3, 2, 0.5, 0.5),
                   stats_hyper_logpmf(9, 3, 3, 3)};
    CHECK(all_finite(qv, sizeof qv / sizeof *qv),
          "distribution functions are finite at and beyond their domain");
    CHECK(stats_norm_quantile(0) < -37 && stats_norm_quantile(1) > 8,
          "norm_quantile clamps to finite extremes");
}

/* ======================= 3. Simulation ================================= */

/* xoshiro256** seeded by splitmix64 (Blackman & Vigna). */
struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static double unif(struct rng *r) /* (0, 1) */
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double normal(struct rng *r)
{
    return sqrt(-2 * log(unif(r))) * cos(6.283185307179586 * unif(r));
}

/* Gamma(shape, 1), Marsaglia & Tsang (2000); shape < 1 by boosting. */
static double gamma_rv(struct rng *r, double shape)
{
    if (shape < 1)
        return gamma_rv(r, shape + 1) * pow(unif(r), 1 / shape);
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = normal(r), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = unif(r);
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}

/* Poisson by inversion (the means here are small). */
static uint64_t poisson_rv(struct rng *r, double lambda)
{
    double u = unif(r), p = exp(-lambda), cdf = p;
    uint64_t k = 0;
    while (u > cdf && k < 10000) {
        k++;
        p *= lambda / (double)k;
        cdf += p;
    }
    return k;
}

/* One simulated cohort comparison: g residents per group, words uniform
 * on [1000, 4000], resident rate = base * Gamma(shape)/shape (mean base),
 * times ratio in group 1. */
static void simulate(struct rng *r, struct stats_cell *cells, size_t g,
                     double base, double ratio, double shape)
{
    for (size_t i = 0; i < 2 * g; i++) {
        int grp = i < g;
        double words = floor(1000 + 3000 * unif(r));
        double rate = base * gamma_rv(r, shape) / shape * (grp ? ratio : 1);
        cells[i] = (struct stats_cell){.cluster = 100 + i,
                                       .y = poisson_rv(r, rate * words),
                                       .t = words,
                                       .group = grp};
    }
}

static void totals(const struct stats_cell *c, size_t n, uint64_t *y1,
                   double *t1, uint64_t *y0, double *t0)
{
    *y1 = *y0 = 0;
    *t1 = *t0 = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].group) {
            *y1 += c[i].y;
            *t1 += c[i].t;
        } else {
            *y0 += c[i].y;
            *t0 += c[i].t;
        }
    }
}

static void test_simulation(void)
{
    enum { G = 30, NULL_RUNS = 400, ALT_RUNS = 200 };
    struct stats_cell cells[2 * G];
    struct rng r;
    char d[200];

    /* Planted 2x ratio, overdispersed residents (gamma shape 2, CV 0.71). */
    int found = 0, covered = 0;
    for (int s = 0; s < ALT_RUNS; s++) {
        rng_seed(&r, 1000 + (uint64_t)s);
        simulate(&r, cells, G, 3e-3, 2.0, 2.0);
        struct stats_cluster o;
        stats_cluster_rr(cells, 2 * G, NULL, 0.95, &o);
        found += o.status == STATS_OK && o.lo > 1;
        covered += o.status == STATS_OK && o.lo <= 2 && 2 <= o.hi;
    }
    snprintf(d, sizeof d,
             "simulation: planted RR 2 detected (CI excludes 1) in %d/%d seeds "
             "(want >= 80%%)", found, ALT_RUNS);
    CHECK(found >= ALT_RUNS * 8 / 10, d);
    snprintf(d, sizeof d,
             "simulation: cluster CI covers the true RR 2 in %d/%d seeds "
             "(want 88%%-99%%)", covered, ALT_RUNS);
    CHECK(covered >= ALT_RUNS * 88 / 100 && covered <= ALT_RUNS * 99 / 100, d);

    /* No difference: the cluster-robust test holds its level; the per-word
     * exact test, which ignores clustering, does not. */
    int fp_cluster = 0, fp_exact = 0;
    for (int s = 0; s < NULL_RUNS; s++) {
        rng_seed(&r, 5000 + (uint64_t)s);
        simulate(&r, cells, G, 3e-3, 1.0, 2.0);
        struct stats_cluster o;
        stats_cluster_rr(cells, 2 * G, NULL, 0.95, &o);
        fp_cluster += o.status == STATS_OK && o.p < 0.05;
        uint64_t y1, y0;
        double t1, t0;
        totals(cells, 2 * G, &y1, &t1, &y0, &t0);
        fp_exact += stats_binom_test(y1, y1 + y0, t1 / (t1 + t0),
                                     t0 / (t1 + t0)) < 0.05;
    }
    snprintf(d, sizeof d,
             "simulation: cluster-robust false-positive rate %d/%d = %.1f%% "
             "(want 2%%-9%%)", fp_cluster, NULL_RUNS,
             100.0 * fp_cluster / NULL_RUNS);
    CHECK(fp_cluster >= NULL_RUNS * 2 / 100 && fp_cluster <= NULL_RUNS * 9 / 100,
          d);
    snprintf(d, sizeof d,
             "simulation: per-word exact test ignoring clusters rejects "
             "%.1f%% of nulls (want > 20%%: why clustering matters)",
             100.0 * fp_exact / NULL_RUNS);
    CHECK(fp_exact > NULL_RUNS / 5, d);

    /* BH over many terms: 40 terms per audit, 30 null and 10 with a 3x
     * ratio (independent Poisson counts, exact conditional p-values);
     * the false discovery proportion averaged over 1000 audits must stay
     * at or below q = 0.05 (BH guarantees m0/m * q = 0.0375). */
    enum { TERMS = 40, NULLS = 30, AUDITS = 1000 };
    double p[TERMS], q[TERMS], fdp_sum = 0;
    int all_null_any = 0;
    long discoveries = 0;
    for (int s = 0; s < AUDITS; s++) {
        rng_seed(&r, 90000 + (uint64_t)s);
        for (int k = 0; k < TERMS; k++) {
            double t1 = 20000, t0 = 30000, rate = 2e-3 * (1 + k % 5);
            double ratio = k < NULLS ? 1 : 3;
            uint64_t x1 = poisson_rv(&r, rate * ratio * t1);
            uint64_t x0 = poisson_rv(&r, rate * t0);
            p[k] = x1 + x0 ? stats_binom_test(x1, x1 + x0, 0.4, 0.6) : NAN;
        }
        stats_bh(p, TERMS, q);
        int rej = 0, false_rej = 0, null_rej = 0;
        for (int k = 0; k < TERMS; k++) {
            rej += q[k] <= 0.05;
            false_rej += k < NULLS && q[k] <= 0.05;
        }
        fdp_sum += rej ? (double)false_rej / rej : 0;
        discoveries += rej - false_rej;
        stats_bh(p, NULLS, q); /* the null terms alone */
        for (int k = 0; k < NULLS; k++)
            null_rej += q[k] <= 0.05;
        all_null_any += null_rej > 0;
    }
    snprintf(d, sizeof d,
             "simulation: BH false discovery rate %.4f over %d audits of %d "
             "terms (want <= 0.05)", fdp_sum / AUDITS, AUDITS, TERMS);
    CHECK(fdp_sum / AUDITS <= 0.05, d);
    snprintf(d, sizeof d,
             "simulation: BH finds %.1f of 10 true 3x terms per audit "
             "(want >= 8)", (double)discoveries / AUDITS);
    CHECK(discoveries >= 8L * AUDITS, d);
    snprintf(d, sizeof d,
             "simulation: BH with all %d terms null rejects any in %.1f%% of "
             "audits (want <= 6%%)", NULLS, 100.0 * all_null_any / AUDITS);
    CHECK(all_null_any <= AUDITS * 6 / 100, d);
}

/* ---- the robust engine (make_reference_robust.R), to 1e-8 relative ---- */

static int type_of(const char *s)
{
    return strcmp(s, "CR1") == 0 ? STATS_CR1 : STATS_CR2;
}

static void test_robust_reference(const char *root)
{
    struct table t, c;
    if (table_load(&t, root, "robust.csv") != 0 ||
        table_load(&c, root, "robust_cells.csv") != 0) {
        CHECK(0, "robust.csv and robust_cells.csv load");
        return;
    }
    double save = rel_tol, worst = 0, w0 = worst_rel;
    rel_tol = 1e-8;
    worst_rel = 0;
    struct stats_cell *cells = malloc(c.nrows * sizeof *cells);
    for (size_t r = 1; r < t.nrows; r++) {
        const char *id = col(&t, r, "id");
        size_t n = 0;
        for (size_t k = 1; k < c.nrows; k++) {
            if (strcmp(col(&c, k, "id"), id) != 0)
                continue;
            cells[n] = (struct stats_cell){
                .cluster = count(&c, k, "cluster"),
                .cluster2 = count(&c, k, "cluster2"),
                .group = (int)num(&c, k, "group"), .y = count(&c, k, "y"),
                .t = num(&c, k, "t")};
            n++;
        }
        struct stats_robust rb = {(enum stats_robust_type)type_of(col(&t, r, "type")),
                                  (int)num(&t, r, "twoway"),
                                  STATS_DF_SATTERTHWAITE};
        struct stats_cluster o;
        enum stats_status st = stats_cluster_rr(cells, n, &rb, num(&t, r, "conf"), &o);
        char d[200];
        snprintf(d, sizeof d, "robust rate ratio %s %s %s-way: status, G, df, "
                 "rr, se, CI, p, score test, null se vs R (1e-8)", id,
                 col(&t, r, "type"), rb.twoway ? "two" : "one");
        int ok = (int)st == status_of(col(&t, r, "status"));
        if (!ok)
            printf("#   status: got %s\n", stats_strerror(st));
        ok &= o.clusters == count(&t, r, "clusters") &&
              (!rb.twoway || o.clusters2 == count(&t, r, "clusters2"));
        ok &= field_ok(id, "df", o.df, num(&t, r, "df"), 0, 0, 0, 0, EST_FLOOR);
        ok &= field_ok(id, "rr", o.rr, num(&t, r, "rr"), o.flags, STATS_NA_EST,
                       STATS_INF_EST, 0, EST_FLOOR);
        if (st == STATS_OK) {
            ok &= field_ok(id, "se", o.se, num(&t, r, "se"), 0, 0, 0, 0, EST_FLOOR);
            ok &= field_ok(id, "lo", o.lo, num(&t, r, "lo"), o.flags, STATS_NA_CI, 0, 0, EST_FLOOR);
            ok &= field_ok(id, "hi", o.hi, num(&t, r, "hi"), o.flags, STATS_NA_CI, STATS_INF_HI, 0, EST_FLOOR);
        }
        ok &= field_ok(id, "p", o.p, num(&t, r, "p"), o.flags, STATS_NA_P, 0, 1, P_FLOOR);
        ok &= o.score == (st != STATS_OK);
        ok &= field_ok(id, "se0", o.se0, num(&t, r, "se0"), 0, 0, 0, 0, EST_FLOOR);
        CHECK(ok, d);
        /* the score test itself, also where the Wald test exists */
        double *x = malloc(2 * n * sizeof *x), *y = malloc(n * sizeof *y),
               *tt = malloc(n * sizeof *tt);
        uint64_t *c1 = malloc(n * sizeof *c1), *c2 = malloc(n * sizeof *c2);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (cells[i].t == 0)
                continue;
            x[2 * m] = 1;
            x[2 * m + 1] = cells[i].group;
            y[m] = (double)cells[i].y;
            tt[m] = cells[i].t;
            c1[m] = cells[i].cluster;
            c2[m] = cells[i].cluster2;
            m++;
        }
        struct stats_score sc;
        stats_glm_score(x, y, tt, c1, rb.twoway ? c2 : NULL, m, 2, 1, rb.type, &sc);
        snprintf(d, sizeof d, "robust score test %s %s %s-way vs R (1e-8)", id,
                 col(&t, r, "type"), rb.twoway ? "two" : "one");
        CHECK(sc.status == STATS_OK &&
                  field_ok(id, "score", sc.stat, num(&t, r, "score_stat"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "score_p", sc.p, num(&t, r, "score_p"), 0, 0, 0, 0, P_FLOOR) &&
                  field_ok(id, "score_df_bm", sc.df_bm, num(&t, r, "score_df_bm"), 0, 0, 0, 0, EST_FLOOR),
              d);
        free(x);
        free(y);
        free(tt);
        free(c1);
        free(c2);
    }
    free(cells);
    table_free(&t);
    table_free(&c);
    worst = worst_rel;
    printf("# robust rate ratio vs R: largest relative difference %.2g\n", worst);
    worst_rel = fmax(w0, worst);
    rel_tol = save;
}

static void test_riskdiff_reference(const char *root)
{
    struct table t, c;
    if (table_load(&t, root, "riskdiff.csv") != 0 ||
        table_load(&c, root, "riskdiff_cells.csv") != 0) {
        CHECK(0, "riskdiff.csv and riskdiff_cells.csv load");
        return;
    }
    double save = rel_tol, w0 = worst_rel;
    rel_tol = 1e-8;
    worst_rel = 0;
    struct stats_pcell *cells = malloc(c.nrows * sizeof *cells);
    for (size_t r = 1; r < t.nrows; r++) {
        const char *id = col(&t, r, "id");
        size_t n = 0;
        for (size_t k = 1; k < c.nrows; k++)
            if (strcmp(col(&c, k, "id"), id) == 0)
                cells[n++] = (struct stats_pcell){
                    .cluster = count(&c, k, "cluster"),
                    .cluster2 = count(&c, k, "cluster2"),
                    .group = (int)num(&c, k, "group"), .a = count(&c, k, "a"),
                    .n = count(&c, k, "n")};
        struct stats_robust rb = {(enum stats_robust_type)type_of(col(&t, r, "type")),
                                  (int)num(&t, r, "twoway"),
                                  STATS_DF_SATTERTHWAITE};
        struct stats_riskdiff o;
        enum stats_status st = stats_riskdiff_robust(cells, n, &rb, num(&t, r, "conf"), &o);
        char d[200];
        snprintf(d, sizeof d, "robust risk difference %s %s %s-way vs R lm + "
                 "clubSandwich/sandwich (1e-8)", id, col(&t, r, "type"),
                 rb.twoway ? "two" : "one");
        CHECK(st == STATS_OK &&
                  field_ok(id, "df", o.df, num(&t, r, "df"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "diff", o.diff, num(&t, r, "diff"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "se", o.se, num(&t, r, "se"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "lo", o.lo, num(&t, r, "lo"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "hi", o.hi, num(&t, r, "hi"), 0, 0, 0, 0, EST_FLOOR) &&
                  field_ok(id, "p", o.p, num(&t, r, "p"), 0, 0, 0, 0, P_FLOOR),
              d);
    }
    printf("# robust risk difference vs R: largest relative difference %.2g\n", worst_rel);
    worst_rel = fmax(w0, worst_rel);
    rel_tol = save;
    free(cells);
    table_free(&t);
    table_free(&c);
}

static void test_glm_reference(const char *root)
{
    struct table t, c;
    if (table_load(&t, root, "glm.csv") != 0 ||
        table_load(&c, root, "glm_rows.csv") != 0) {
        CHECK(0, "glm.csv and glm_rows.csv load");
        return;
    }
    double save = rel_tol, w0 = worst_rel;
    rel_tol = 1e-8;
    worst_rel = 0;
    enum { P = 6 }; /* 1, cohort, pgy2, pgy3, evf, cohort:evf */
    size_t cap = c.nrows;
    double *x = malloc(cap * P * sizeof *x), *y = malloc(cap * sizeof *y),
           *tt = malloc(cap * sizeof *tt), *mu = malloc(cap * sizeof *mu),
           *w = malloc(cap * sizeof *w), *res = malloc(cap * sizeof *res);
    uint64_t *c1 = malloc(cap * sizeof *c1), *c2 = malloc(cap * sizeof *c2);
    for (size_t r = 1; r < t.nrows;) {
        const char *id = col(&t, r, "id");
        size_t n = 0;
        for (size_t k = 1; k < c.nrows; k++) {
            if (strcmp(col(&c, k, "id"), id) != 0)
                continue;
            double coh = num(&c, k, "cohort"), evf = num(&c, k, "evf");
            double row[P] = {1, coh, num(&c, k, "pgy2"), num(&c, k, "pgy3"),
                             evf, coh * evf};
            memcpy(x + n * P, row, sizeof row);
            y[n] = num(&c, k, "y");
            tt[n] = num(&c, k, "t");
            c1[n] = count(&c, k, "cluster");
            c2[n] = count(&c, k, "cluster2");
            n++;
        }
        double beta[P], M[P * P], V[P * P];
        enum stats_status st = stats_glm_poisson(x, y, tt, n, P, beta, mu, M);
        for (size_t i = 0; i < n; i++) {
            w[i] = mu[i];
            res[i] = y[i] - mu[i];
        }
        /* the block of rows of this id: (type, twoway) x P coefficients */
        for (; r < t.nrows && strcmp(col(&t, r, "id"), id) == 0; r += P) {
            struct stats_rows d = {.n = n, .p = P, .x = x, .w = w, .r = res,
                                   .cl1 = c1,
                                   .cl2 = num(&t, r, "twoway") ? c2 : NULL};
            size_t G1, G2;
            enum stats_status vs = stats_robust_vcov(
                &d, M, (enum stats_robust_type)type_of(col(&t, r, "type")), V, &G1, &G2);
            int ok = st == STATS_OK && vs == STATS_OK;
            for (size_t k = 0; k < P; k++) {
                ok &= field_ok(id, "beta", beta[k], num(&t, r + k, "beta"), 0, 0, 0, 0, EST_FLOOR);
                ok &= field_ok(id, "se", sqrt(V[k * P + k]), num(&t, r + k, "se"), 0, 0, 0, 0, EST_FLOOR);
            }
            char dsc[200];
            snprintf(dsc, sizeof dsc, "Poisson GLM (IRLS) %s: 6 coefficients and %s "
                     "%s-way SEs vs R glm + sandwich/by hand (1e-8)", id,
                     col(&t, r, "type"), num(&t, r, "twoway") ? "two" : "one");
            CHECK(ok, dsc);
        }
    }
    printf("# Poisson GLM vs R: largest relative difference %.2g\n", worst_rel);
    worst_rel = fmax(w0, worst_rel);
    rel_tol = save;
    free(x);
    free(y);
    free(tt);
    free(mu);
    free(w);
    free(res);
    free(c1);
    free(c2);
    table_free(&t);
    table_free(&c);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : ".";
    test_poisson_reference(root);
    test_prevalence_reference(root);
    test_cluster_reference(root);
    test_bh_reference(root);
    test_dist_reference(root);
    test_robust_reference(root);
    test_riskdiff_reference(root);
    test_glm_reference(root);
    printf("# largest relative difference from R: %.2g\n", worst_rel);
    test_published();
    test_edges();
    test_simulation();
    return check_done();
}
