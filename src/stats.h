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
 *     offset, with a cluster-robust sandwich variance (CR2 and Bell-McCaffrey df by
 *     default, CR1 and t(G-1) on request; one- or two-way clustering), a
 *     robust score test for zero cells and the 80%-power detectable ratio;
 *   - stats_riskdiff_robust: the prevalence difference with the same
 *     cluster-robust variance;
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

/* Cluster-robust variance type (stats_glm.h has the formulas): CR2, the
 * bias-reduced estimator of Bell & McCaffrey (2002) with Satterthwaite or G-2 degrees
 * of freedom, is the default; CR1 (G/(G-1) factor, t on G-1) is kept for
 * comparison with published work (--robust cr1). */
enum stats_robust_type { STATS_CR2 = 0, STATS_CR1 = 1 };

/* How to cluster: type, and whether to use two-way clustering by
 * `cluster` and `cluster2` (Cameron, Gelbach & Miller 2011; degrees of
 * freedom from min(G1, G2)), and the degrees of freedom of the t
 * reference. The default (all zero, or a NULL pointer) is CR2, one-way,
 * with Bell & McCaffrey's (2002) Satterthwaite degrees of freedom
 * (stats_cr2_df; clubSandwich's "Satterthwaite" test), which held the
 * test's level with 5-10 clusters where t(G-2) did not (METHODS.md);
 * for the rate ratio only when the comparison has at least 2 hits per
 * cluster (below that they are too conservative and t(G-2) holds). */
enum stats_df_rule {
    STATS_DF_SATTERTHWAITE = 0, /* CR2 one-way: Bell-McCaffrey df */
    STATS_DF_CLUSTERS = 1       /* G - 2 (CR2) or G - 1 (CR1) */
};
struct stats_robust {
    enum stats_robust_type type;
    int twoway;
    enum stats_df_rule df; /* CR1 and two-way always use the cluster count */
};

/* One row of clustered data: the events y and words t of one resident
 * (cluster) in one cohort (group 1) or the reference (group 0). Several
 * rows may share a cluster id (a resident seen in both cohorts, or one row
 * per evaluation): the scores are summed within the cluster. cluster2 is
 * the second clustering (the evaluator), read only when two-way; rows are
 * then per (resident, evaluator, group). */
struct stats_cell {
    uint64_t cluster; /* resident id; any value, equal = same cluster */
    uint64_t y;       /* events (hits) */
    double t;         /* exposure (words) */
    int group;        /* 1 = cohort, 0 = reference */
    uint64_t cluster2; /* evaluator id (two-way clustering only) */
};

/* Cluster-robust rate ratio. Fits the Poisson GLM
 *     log E[y_i] = log t_i + b0 + b1 group_i
 * by maximum likelihood (closed form with one binary covariate:
 * exp(b1) = (Y1/T1)/(Y0/T0), the ratio of the totals) and estimates
 * Var(b1) with the cluster-robust sandwich (Liang & Zeger 1986) of type
 * rb->type (stats_glm.h): CR2 by default, whose Wald interval
 * exp(b1 -/+ q se) and two-sided p use t on Bell-McCaffrey df (>= 2 hits per cluster) or G-2; CR1
 * (factor G/(G-1), Stata's vce(cluster) after poisson) uses t on G-1, as
 * Cameron & Miller (2015). Two-way: V = V_res + V_eval - V_both, df from
 * min(G_res, G_eval); a non-positive two-way variance is
 * STATS_ZERO_VARIANCE. For CR1 one-way:
 *     Var(b1) = G/(G-1) * sum_g (e1_g/Y1 - e0_g/Y0)^2,
 *     e{k}_g = sum over cluster g's rows in group k of (y - t Y_k/T_k).
 * Zero cells: when a group has no events (STATS_ZERO_COHORT, rr = 0, or
 * STATS_ZERO_REF, rr = +inf) there is no Wald test; p is then the robust
 * score test of b1 = 0 (stats_glm_score, same type and df) and `score`
 * is 1, so 0 vs 20 can be a finding; the interval stays unavailable.
 * se0 is the null (score) standard error of b1 and mdrr the rate ratio
 * the test detects with 80% power (stats_mdrr), both computed whenever
 * the score test is (any comparison with events, >= 3 clusters for CR2).
 * Rows with t = 0 and y = 0 are ignored; t = 0 with y > 0 is
 * STATS_BAD_INPUT. Partial results: STATS_NO_EXPOSURE, STATS_NO_EVENTS
 * leave everything unset; STATS_FEW_CLUSTERS (G < 2, or df <= 0) and
 * STATS_ZERO_VARIANCE give rr only. Allocates scratch (through xmalloc)
 * for n rows; returns out->status. */
struct stats_cluster {
    double y1, t1, y0, t0; /* totals of events and words per group */
    double rr;             /* exp(b1) = (y1/t1)/(y0/t0) */
    double lo, hi;         /* Wald CI on t(df) at level conf */
    double p;              /* two-sided p-value on t(df): Wald, or score */
    double log_rr, se;     /* b1 and its cluster-robust SE */
    double df;             /* degrees of freedom of the t reference */
    double se0;            /* null SE of b1 from the score test, or 0 */
    double mdrr;           /* 80%-power detectable RR (> 1), or 0 */
    size_t clusters;       /* G (residents) */
    size_t clusters2;      /* G of the second clustering, or 0 */
    int score;             /* 1 when p is the robust score test's */
    int satterthwaite;     /* 1 when df are Bell-McCaffrey's */
    enum stats_robust_type type;
    unsigned flags;
    enum stats_status status;
};
enum stats_status stats_cluster_rr(const struct stats_cell *cells, size_t n,
                                   const struct stats_robust *rb,
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

/* Cluster-robust risk difference: the linear probability model
 * P(hit) = b0 + b1 group fitted by least squares on evaluations, so
 * b1 = p1 - p0 (the two proportions of evaluations with a hit), with the
 * cluster-robust variance of rb (CR2 + Bell-McCaffrey df by default; stats_glm.h)
 * and a Wald interval diff -/+ q se on t(df), clipped to [-1, 1]. One
 * row per (resident[, evaluator], group): a evaluations with a hit out of
 * n. Unlike the Newcombe interval and Fisher's test of
 * stats_prevalence_diff, which treat evaluations as independent, this
 * holds its level when a resident's evaluations resemble each other.
 * STATS_EMPTY when a group has no evaluations; STATS_FEW_CLUSTERS;
 * STATS_ZERO_VARIANCE (e.g. no evaluation with a hit, or all with one). */
struct stats_pcell {
    uint64_t cluster, cluster2;
    uint64_t a, n;   /* evaluations with a hit, evaluations */
    int group;
};
struct stats_riskdiff {
    double p1, p0, diff, se, df, lo, hi, p;
    size_t clusters, clusters2;
    unsigned flags;
    enum stats_status status;
};
enum stats_status stats_riskdiff_robust(const struct stats_pcell *cells,
                                        size_t n,
                                        const struct stats_robust *rb,
                                        double conf,
                                        struct stats_riskdiff *out);

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
