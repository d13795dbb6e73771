/* calibrate.c - calibration of the cluster-robust rate ratio by simulation
 * (issue 17, item 8). Seeded; prints TAP lines, a table, and
 * "N passed, N failed".
 *
 * Data: evaluations of residents by evaluators. Each resident has a gamma
 * frailty (shape 3, CV 0.58), each evaluator one (shape 4, CV 0.5); an
 * evaluation has 50-300 words and Poisson hits at
 *     rate * frailty_res * frailty_eval * RR^cohort * words.
 * Scenarios (method x cohort level x size):
 *   resident-level cohort: residents are in one cohort, clustered by
 *     resident; 5-10 or 20-80 residents per cohort, 3-40 evaluations each,
 *     evaluators drawn from a shared pool (evaluator effects cross cohorts);
 *   evaluator-level cohort: evaluators are in one cohort, clustered by
 *     evaluator; 5-10 or 20-80 evaluators per cohort, residents shared.
 * Rows are the (cluster, cohort) cells the tally keeps. Checks, for the
 * default (CR2, Bell-McCaffrey df with >= 2 hits per cluster, t(G-2)
 * below), in all 8 scenarios (common term 2/1000 words, rare 0.3, and 0.6):
 *   - type I error of the two-sided 5% test in [3.5%, 6.5%] (4000
 *     replicates: binomial SE 0.34 points);
 *   - coverage of the 95% interval >= 0.93;
 *   - power at planted RR 1.5 and 2 within 5 points of the formula of
 *     stats_power on the test's own df (robust Wald SE; the null score SE
 *     when a cohort has no hits), averaged over the replicates (1000 each).
 * CR2 with t(G-2) (--robust cr2-g2) and CR1 with t(G-1) are printed for the
 * table, not checked. Usage: calibrate [replicates-scale] (default 1). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_glm.h"

/* xoshiro256** seeded by splitmix64 */
static uint64_t rs[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void)
{
    uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0];
    rs[3] ^= rs[1];
    rs[1] ^= rs[2];
    rs[0] ^= rs[3];
    rs[2] ^= t;
    rs[3] = rotl(rs[3], 45);
    return r;
}
static void seed(uint64_t s)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        rs[i] = z ^ (z >> 31);
    }
}
static double unif(void) { return ((double)(next() >> 11) + 0.5) / 9007199254740992.0; }
static long irange(long a, long b) { return a + (long)(unif() * (double)(b - a + 1)); }
static double normal(void)
{
    return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif());
}
static double gamma_rv(double k) /* Marsaglia-Tsang, mean k */
{
    if (k < 1)
        return gamma_rv(k + 1) * pow(unif(), 1 / k);
    double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = normal(), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = unif();
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}
static uint64_t poisson_rv(double lam)
{
    if (lam < 30) {
        double l = exp(-lam), p = 1;
        uint64_t k = 0;
        do {
            k++;
            p *= unif();
        } while (p > l);
        return k - 1;
    }
    /* normal approximation is not good enough; sum of smaller draws */
    uint64_t s = 0;
    while (lam > 25) {
        s += poisson_rv(25);
        lam -= 25;
    }
    return s + poisson_rv(lam);
}

enum level { RESIDENT, EVALUATOR };

struct scenario {
    const char *name;
    enum level level;
    int gmin, gmax;      /* clusters per cohort */
    double rate;         /* hits per word */
};

/* One dataset: cells (cluster, cohort) with summed hits and words. */
static size_t simulate(const struct scenario *sc, double rr,
                       struct stats_cell *cells, size_t cap)
{
    int g1 = (int)irange(sc->gmin, sc->gmax), g0 = (int)irange(sc->gmin, sc->gmax);
    size_t n = 0;
    if (sc->level == RESIDENT) {
        /* residents in cohorts; evaluators from a pool shared by both */
        int ne = g1 + g0 < 12 ? 12 : g1 + g0;
        double ev[400];
        for (int e = 0; e < ne; e++)
            ev[e] = gamma_rv(4) / 4;
        for (int r = 0; r < g1 + g0 && n < cap; r++) {
            int grp = r < g1;
            double fr = gamma_rv(3) / 3, y = 0, t = 0;
            long nev = irange(3, 40);
            for (long k = 0; k < nev; k++) {
                double w = (double)irange(50, 300);
                double lam = sc->rate * fr * ev[irange(0, ne - 1)] *
                             (grp ? rr : 1) * w;
                y += (double)poisson_rv(lam);
                t += w;
            }
            cells[n++] = (struct stats_cell){.cluster = (uint64_t)r,
                                             .y = (uint64_t)y, .t = t,
                                             .group = grp};
        }
    } else {
        /* evaluators in cohorts; residents shared; each evaluator writes
         * 3-40 evaluations of random residents */
        int nr = g1 + g0 < 12 ? 12 : g1 + g0;
        double res[400];
        for (int r = 0; r < nr; r++)
            res[r] = gamma_rv(3) / 3;
        for (int e = 0; e < g1 + g0 && n < cap; e++) {
            int grp = e < g1;
            double fe = gamma_rv(4) / 4, y = 0, t = 0;
            long nev = irange(3, 40);
            for (long k = 0; k < nev; k++) {
                double w = (double)irange(50, 300);
                double lam = sc->rate * fe * res[irange(0, nr - 1)] *
                             (grp ? rr : 1) * w;
                y += (double)poisson_rv(lam);
                t += w;
            }
            cells[n++] = (struct stats_cell){.cluster = (uint64_t)e,
                                             .y = (uint64_t)y, .t = t,
                                             .group = grp};
        }
    }
    return n;
}

struct result {
    int runs, rejected, covered, estimable;
    double predicted; /* mean formula power */
};

static struct result run(const struct scenario *sc, double rr, int runs,
                         const struct stats_robust *rbp, uint64_t s)
{
    static struct stats_cell cells[400];
    struct result res = {0};
    struct stats_robust rb = *rbp;
    seed(s);
    for (int i = 0; i < runs; i++) {
        size_t n = simulate(sc, rr, cells, 400);
        struct stats_cluster o;
        stats_cluster_rr(cells, n, &rb, 0.95, &o);
        res.runs++;
        /* a dataset without a p (no hits at all) counts as not rejected
         * and not covered: conservative for coverage */
        if (!(o.flags & STATS_NA_P))
            res.rejected += o.p < 0.05;
        if (o.status == STATS_OK) {
            res.estimable++;
            res.covered += o.lo <= rr && rr <= o.hi;
        } else if (rr == 1 && o.status == STATS_ZERO_VARIANCE) {
            res.covered++;
        }
        double se = o.status == STATS_OK ? o.se : o.se0;
        if (se > 0)
            res.predicted += stats_power(rr, se, o.df, 0.95);
    }
    res.predicted /= res.runs;
    return res;
}

/* One TAP line. Its format is a literal the compiler checks: formats built
 * at run time once handed a double to "%.0s", which ASan's printf
 * interceptor read as a pointer and crashed on. */
static int npass, nfail, ntest;
static void check(int ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("%s %d - %s\n", ok ? "ok" : "not ok", ++ntest, msg);
    ok ? npass++ : nfail++;
}

int main(int argc, char **argv)
{
    double scale = argc > 1 ? atof(argv[1]) : 1;
    int nnull = (int)(4000 * scale), npow = (int)(1000 * scale);
    const struct scenario sc[] = {
        {"resident cohort, 5-10 residents", RESIDENT, 5, 10, 2e-3},
        {"resident cohort, 20-80 residents", RESIDENT, 20, 80, 2e-3},
        {"evaluator cohort, 5-10 evaluators", EVALUATOR, 5, 10, 2e-3},
        {"evaluator cohort, 20-80 evaluators", EVALUATOR, 20, 80, 2e-3},
        {"resident cohort, 5-10, rare term", RESIDENT, 5, 10, 3e-4},
        {"resident cohort, 20-80, rare term", RESIDENT, 20, 80, 3e-4},
        {"evaluator cohort, 5-10, rare term", EVALUATOR, 5, 10, 3e-4},
        {"resident cohort, 5-10, term at 0.6/1000", RESIDENT, 5, 10, 6e-4},
    };
    size_t nsc = sizeof sc / sizeof *sc;
    printf("# method | scenario | type I error | coverage | power 1.5x "
           "(formula) | power 2x (formula)\n");
    const struct {
        const char *name;
        struct stats_robust rb;
    } methods[] = {
        {"CR2 Satterthwaite", {STATS_CR2, 0, STATS_DF_SATTERTHWAITE}},
        {"CR2 t(G-2)", {STATS_CR2, 0, STATS_DF_CLUSTERS}},
        {"CR1 t(G-1)", {STATS_CR1, 0, STATS_DF_CLUSTERS}},
    };
    for (int m = 0; m < 3; m++) {
        const struct stats_robust *type = &methods[m].rb;
        const char *mn = methods[m].name;
        for (size_t k = 0; k < nsc; k++) {
            uint64_t s = 1000 * (k + 1);
            struct result n0 = run(&sc[k], 1, nnull, type, s + 1);
            struct result p15 = run(&sc[k], 1.5, npow, type, s + 2);
            struct result p20 = run(&sc[k], 2, npow, type, s + 3);
            double t1 = (double)n0.rejected / n0.runs;
            double cov = (double)n0.covered / n0.runs;
            double o15 = (double)p15.rejected / p15.runs;
            double o20 = (double)p20.rejected / p20.runs;
            printf("# %s | %s | %.2f%% | %.3f | %.1f%% (%.1f%%) | %.1f%% (%.1f%%)\n",
                   mn, sc[k].name, 100 * t1, cov, 100 * o15,
                   100 * p15.predicted, 100 * o20, 100 * p20.predicted);
            if (m != 0)
                continue;
            check(t1 >= 0.035 && t1 <= 0.065,
                  "%s %s: type I error %.2f%% (want 3.5-6.5%%)", mn,
                  sc[k].name, 100 * t1);
            check(cov >= 0.93, "%s %s: coverage %.3f (want >= 0.93)", mn,
                  sc[k].name, cov);
            check(fabs(o15 - p15.predicted) <= 0.05,
                  "%s %s: power at 1.5x %.1f%%, formula %.1f%% "
                  "(want within 5 points)", mn, sc[k].name, 100 * o15,
                  100 * p15.predicted);
            check(fabs(o20 - p20.predicted) <= 0.05,
                  "%s %s: power at 2x %.1f%%, formula %.1f%% "
                  "(want within 5 points)", mn, sc[k].name, 100 * o20,
                  100 * p20.predicted);
        }
    }
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail != 0;
}
