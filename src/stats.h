/* stats.h - rates, rate ratios, intervals, tests and FDR (sixth stage).
 *
 * The tally hands this module plain counts (hits, words, evaluations, per
 * cohort and per resident); the reports print what it returns. It knows
 * nothing of CSV, lexicons or output formats, does no I/O and keeps no
 * state: every function is pure, and thread-safe.
 *
 * What it computes, and after whom (tests/stats/METHODS.md has the details):
 *   - stats_poisson_exact: rate ratio of two cohorts with the exact
 *     conditional (binomial) test and Clopper-Pearson/Garwood interval,
 *     exactly as R's poisson.test(c(x1, x2), c(t1, t2)).
 *   - stats_cluster_rr: the same ratio from a Poisson GLM with a log-words
 *     offset, with a cluster-robust (resident-level) sandwich variance, CR1
 *     small-sample factor G/(G-1) and a Wald interval on t(G-1)
 *     (Cameron & Miller 2015).
 *   - stats_prevalence_diff: difference of two proportions (evaluations with
 *     at least one hit) with Newcombe's (1998) hybrid score interval and
 *     Fisher's exact test, as R's fisher.test.
 *   - stats_bh: Benjamini-Hochberg (1995) q-values, as R's p.adjust("BH").
 *   - the distribution functions they rest on (normal, t, beta, binomial,
 *     hypergeometric), exported so they can be tested against R.
 *
 * Finite outputs. No NaN or infinity ever leaves this module. When a
 * quantity is not estimable (zero events, a cohort without words, a single
 * cluster) the field holds a placeholder (0 for estimates and bounds, 1 for
 * a p-value), a STATS_* bit in `flags` says which fields are placeholders,
 * and the returned status says why (stats_strerror gives the text).
 *
 * Ownership: pointer arguments are borrowed and never kept; results are
 * written into caller-provided structs or arrays; nothing returned needs
 * freeing. */
#ifndef EVALBIAS_STATS_H
#define EVALBIAS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Why a result is partial. Ordered by precedence: when several apply, the
 * lowest non-zero one is returned. */
enum stats_status {
    STATS_OK = 0,
    STATS_BAD_INPUT,      /* negative/non-finite exposure, x > n, conf out of (0,1) */
    STATS_NO_EXPOSURE,    /* a cohort has no words (t = 0) */
    STATS_EMPTY,          /* a cohort has no evaluations (n = 0) */
    STATS_NO_EVENTS,      /* zero events in both cohorts */
    STATS_ZERO_REF,       /* reference cohort has no events: ratio unbounded */
    STATS_ZERO_COHORT,    /* cohort has no events: ratio 0 */
    STATS_FEW_CLUSTERS,   /* fewer than 2 clusters: no robust variance */
    STATS_ZERO_VARIANCE   /* the cluster-robust variance is 0 */
};

/* One line of text per status, for notes in reports ("ok" for STATS_OK). */
const char *stats_strerror(enum stats_status s);

/* Bits of `flags`: which fields of a result hold a placeholder. */
enum {
    STATS_NA_EST = 1u << 0,  /* estimate not estimable (0/0); stored as 0 */
    STATS_INF_EST = 1u << 1, /* estimate is +infinity; stored as 0 */
    STATS_NA_CI = 1u << 2,   /* no interval; lo = hi = 0 */
    STATS_INF_HI = 1u << 3,  /* upper bound is +infinity; stored as 0 */
    STATS_NA_P = 1u << 4     /* no test possible; p stored as 1 */
};

/* ===================== Rate ratios ===================================== */

/* Exact Poisson rate ratio of a cohort (x1 events in t1 words) against a
 * reference (x2 in t2), conditional on x1 + x2 (Przyborowski & Wilenski
 * 1940): x1 | x1+x2 ~ Binomial(x1+x2, pi), pi = t1 RR / (t1 RR + t2).
 * rr = (x1/t1)/(x2/t2); [lo, hi] is the Clopper-Pearson (1934) interval for
 * pi mapped by pi/(1-pi) * t2/t1 (for one sample: Garwood 1936); p is the
 * two-sided binomial p-value for RR = 1 by R's binom.test rule (sum of
 * probabilities <= d(x1) * (1 + 1e-7)). Matches R's
 * poisson.test(c(x1, x2), c(t1, t2), conf.level = conf) to ~1e-9.
 *
 * conf is the two-sided level, e.g. 0.95. Counts of 1e7 and more are exact
 * (saddle-point pmf, Loader 2000). Partial results:
 *   x1 = x2 = 0     STATS_NO_EVENTS    est, CI and p not available
 *   x2 = 0          STATS_ZERO_REF     rr and hi are +inf; lo and p valid
 *   x1 = 0          STATS_ZERO_COHORT  rr = 0, lo = 0; hi and p valid
 *   t1 or t2 = 0    STATS_NO_EXPOSURE  nothing available
 * Returns out->status. */
struct stats_poisson {
    double rate1, rate2; /* x/t, events per word (0 when t = 0) */
    double rr;           /* rate ratio rate1/rate2 */
    double lo, hi;       /* exact CI for rr at level conf */
    double p;            /* two-sided exact conditional p-value */
    unsigned flags;      /* STATS_NA_* / STATS_INF_* */
    enum stats_status status;
};
enum stats_status stats_poisson_exact(uint64_t x1, double t1, uint64_t x2,
                                      double t2, double conf,
                                      struct stats_poisson *out);

/* One row of clustered data: the events y and words t of one resident
 * (cluster) in one cohort (group 1) or the reference (group 0). Several
 * rows may share a cluster id (a resident seen in both cohorts, or one row
 * per evaluation): the scores are summed within the cluster. */
struct stats_cell {
    uint64_t cluster; /* resident id; any value, equal = same cluster */
    uint64_t y;       /* events (hits) */
    double t;         /* exposure (words) */
    int group;        /* 1 = cohort, 0 = reference */
};

/* Cluster-robust rate ratio. Fits the Poisson GLM
 *     log E[y_i] = log t_i + b0 + b1 group_i
 * by maximum likelihood (closed form with one binary covariate:
 * exp(b1) = (Y1/T1)/(Y0/T0), the ratio of the totals) and estimates
 * Var(b1) with the cluster-robust sandwich (Liang & Zeger 1986), clustering
 * by resident, times the CR1 small-sample factor G/(G-1) (G = clusters with
 * words), the factor Cameron & Miller (2015) give for likelihood models
 * and Stata's vce(cluster) applies after poisson:
 *     Var(b1) = G/(G-1) * sum_g (e1_g/Y1 - e0_g/Y0)^2,
 *     e{k}_g = sum over cluster g's rows in group k of (y - t Y_k/T_k).
 * (statsmodels' default multiplies further by (N-1)/(N-K); not used.)
 * The Wald interval exp(b1 -/+ q se) and the two-sided p use the t
 * distribution with G-1 degrees of freedom, the few-clusters critical
 * values Cameron & Miller (2015) recommend; with many residents it equals
 * the normal one. Rows with t = 0 and y = 0 are
 * ignored; t = 0 with y > 0 is STATS_BAD_INPUT.
 * Partial results: STATS_NO_EXPOSURE, STATS_NO_EVENTS, STATS_ZERO_REF
 * (rr +inf), STATS_ZERO_COHORT (rr 0) leave CI and p unset;
 * STATS_FEW_CLUSTERS (G < 2) and STATS_ZERO_VARIANCE give rr only.
 * Allocates scratch (through xmalloc) for n rows; returns out->status. */
struct stats_cluster {
    double y1, t1, y0, t0; /* totals of events and words per group */
    double rr;             /* exp(b1) = (y1/t1)/(y0/t0) */
    double lo, hi;         /* Wald CI on t(G-1) at level conf */
    double p;              /* two-sided Wald p-value on t(G-1) */
    double log_rr, se;     /* b1 and its CR1 cluster-robust SE */
    size_t clusters;       /* G */
    unsigned flags;
    enum stats_status status;
};
enum stats_status stats_cluster_rr(const struct stats_cell *cells, size_t n,
                                   double conf, struct stats_cluster *out);

/* ===================== Proportions ===================================== */

/* Difference of two proportions p1 - p2, p1 = a1/n1 (cohort), p2 = a2/n2
 * (reference): e.g. the share of evaluations with at least one hit.
 * [lo, hi] is Newcombe's (1998) hybrid score interval (his method 10),
 * built from the two Wilson (1927) intervals; p is Fisher's (1935) exact
 * test of the 2x2 table {a1, n1-a1; a2, n2-a2}, two-sided by R's
 * fisher.test rule. STATS_EMPTY when n1 or n2 is 0 (nothing available);
 * STATS_BAD_INPUT when a > n or conf is out of range. */
struct stats_prevalence {
    double p1, p2;   /* a1/n1, a2/n2 */
    double diff;     /* p1 - p2 */
    double lo, hi;   /* Newcombe hybrid score CI at level conf */
    double p;        /* Fisher exact two-sided p-value */
    unsigned flags;
    enum stats_status status;
};
enum stats_status stats_prevalence_diff(uint64_t a1, uint64_t n1,
                                        uint64_t a2, uint64_t n2,
                                        double conf,
                                        struct stats_prevalence *out);

/* Wilson (1927) score interval for x/n at level conf, without continuity
 * correction. n = 0 gives [0, 1]. */
void stats_wilson(uint64_t x, uint64_t n, double conf, double *lo,
                  double *hi);

/* ===================== Multiplicity ==================================== */

/* Benjamini-Hochberg (1995) step-up adjusted p-values (q-values), as R's
 * p.adjust(p, "BH"): q_(i) = min over j >= i of min(1, m p_(j) / j),
 * monotone in p. A NaN p is "not tested" (R's NA): it is left out of m and
 * its q is 1. p-values are clamped to [0, 1]. q may alias p. Allocates
 * scratch through xmalloc. */
void stats_bh(const double *p, size_t n, double *q);

/* ===================== Exact tests ===================================== */

/* Two-sided exact binomial test of x successes in n trials for success
 * probability p (q = 1 - p, passed apart so that it keeps its precision):
 * R's binom.test(x, n, p)$p.value. 1 when n = 0. */
double stats_binom_test(uint64_t x, uint64_t n, double p, double q);

/* Two-sided Fisher exact test of the 2x2 table {a, b; c, d}:
 * R's fisher.test(matrix(c(a, c, b, d), 2))$p.value. */
double stats_fisher_exact(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

/* ===================== Distributions =================================== */

/* Standard normal quantile, Wichura (1988) AS 241 (PPND16), ~1e-16
 * relative. p is clamped to [1e-300, 1 - 2^-53], so the result is finite. */
double stats_norm_quantile(double p);

/* Standard normal CDF Phi(z) (via erfc; accurate in the lower tail). */
double stats_norm_cdf(double z);

/* Student t CDF P(T <= t) with df > 0 degrees of freedom (via the
 * incomplete beta). */
double stats_t_cdf(double t, double df);

/* Student t quantile: the t with P(T <= t) = p, df > 0; p is clamped as in
 * stats_norm_quantile. */
double stats_t_quantile(double p, double df);

/* Regularized incomplete beta I_x(a, b) (*lower) and 1 - I_x(a, b)
 * (*upper), each to near full relative precision, for a, b > 0 and
 * 0 <= x <= 1, y = 1 - x passed apart. Continued fraction (Lentz's
 * method) with a saddle-point prefactor; valid for a, b up to ~1e9. */
void stats_beta_inc(double x, double y, double a, double b, double *lower,
                    double *upper);

/* Beta quantile: the x with I_x(a, b) = p (R's qbeta(p, a, b)). */
double stats_beta_quantile(double p, double a, double b);

/* Binomial probability P(X = k), X ~ Bin(n, p), q = 1 - p, in log space
 * (Loader 2000 saddle-point form, as R's dbinom): exact for huge n.
 * Returns a large negative number (-DBL_MAX), not -inf, for probability 0. */
double stats_binom_logpmf(double k, double n, double p, double q);

/* Hypergeometric P(X = x) in log space: x white balls drawn in k draws
 * from m white and n black (R's dhyper(x, m, n, k, log = TRUE)), -DBL_MAX
 * outside the support. */
double stats_hyper_logpmf(double x, double m, double n, double k);

#endif
