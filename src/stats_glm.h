/* stats_glm.h - Poisson regression by IRLS and cluster-robust variances
 * (CR1, CR2; one-way or two-way clustering), the engine behind the
 * robust rate ratio, the robust risk difference, the zero-cell score test
 * and the adjusted comparisons.
 *
 * Like stats.h: pure functions, no I/O, no state; matrices are dense,
 * row-major, caller-owned; scratch comes from xmalloc and is freed before
 * return. Sizes are small (a few dozen parameters at most); the number of
 * rows and clusters is unbounded.
 *
 * The robust variance (tests/stats/METHODS.md has the derivation):
 *   rows i = 1..n of an estimating equation sum_i x_i r_i = 0 with working
 *   weights w_i (Poisson with log link: w = mu, r = y - mu; a linear
 *   probability model: w = number of evaluations the row sums, r = the sum
 *   of its residuals). Rows may be aggregates: a row may stand for several
 *   observations of one cluster with the same covariates (their w and r
 *   summed); CR1 and CR2 are both invariant to that aggregation.
 *   bread M = (sum_i w_i x_i x_i')^-1.
 *   CR1: V = G/(G-1) M (sum_g u_g u_g') M, u_g = sum_{i in g} x_i r_i
 *        (Liang & Zeger 1986; the Stata factor for likelihood models).
 *   CR2: u_g = X*_g' (I - H_gg)^-1/2 e*_g with X*_i = sqrt(w_i) x_i,
 *        e*_i = r_i / sqrt(w_i), H_gg = X*_g M X*_g' (Bell & McCaffrey 2002,
 *        with working weights as Pustejovsky & Tipton 2018 and R's
 *        clubSandwich::vcovCR(type = "CR2")); no G/(G-1) factor. An
 *        eigenvalue of I - H_gg below 1e-12 (a cluster that alone
 *        identifies a parameter) is dropped (Moore-Penrose, as
 *        clubSandwich).
 *   Two-way (Cameron, Gelbach & Miller 2011): V = V_1 + V_2 - V_12, each
 *   term the one-way estimator above for clusters cl1, cl2 and their
 *   intersection (CR1: each with its own G/(G-1), as sandwich::vcovCL). */
#ifndef EVALBIAS_STATS_GLM_H
#define EVALBIAS_STATS_GLM_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

/* Rows of a fitted estimating equation, for stats_robust_vcov. */
struct stats_rows {
    size_t n, p;
    const double *x;      /* n x p, row-major */
    const double *w;      /* working weight per row, >= 0 */
    const double *r;      /* score residual per row */
    const uint64_t *cl1;  /* cluster of each row (resident) */
    const uint64_t *cl2;  /* second clustering (evaluator), or NULL */
};

/* V (p x p) from the rows and the bread M (p x p, symmetric). G1 and G2
 * get the numbers of distinct clusters of cl1 and cl2 (G2 = 0 when cl2 is
 * NULL) among rows with w > 0 or r != 0; rows with both 0 are left out.
 * Returns STATS_OK, STATS_FEW_CLUSTERS (G1 < 2, or G2 < 2 when two-way;
 * V is then zero) or STATS_BAD_INPUT (negative or non-finite w, r or x).
 * V may have a non-positive diagonal in the two-way case: callers check
 * the element they use. */
enum stats_status stats_robust_vcov(const struct stats_rows *d,
                                    const double *bread,
                                    enum stats_robust_type type, double *V,
                                    size_t *G1, size_t *G2);

/* Poisson GLM log E[y_i] = log t_i + x_i' b by iteratively reweighted
 * least squares (start mu = y + 0.1, as R's glm; step halving when the
 * deviance rises; converged when the relative deviance change is below
 * 1e-14 or after 100 iterations). Rows with t_i = 0 must have y_i = 0 and
 * are ignored (mu = 0). Outputs (caller-allocated): beta (p), mu (n),
 * bread (p x p, the inverse Fisher information (X'WX)^-1 at beta).
 * Returns STATS_OK; STATS_BAD_INPUT (negative t or y, y > 0 with t = 0,
 * non-finite x); STATS_NO_EVENTS (all y = 0); STATS_ZERO_VARIANCE when
 * X'WX is singular (a covariate constant zero, collinear columns, or a
 * cell with no events pushing a coefficient to -infinity: the fit then
 * did not converge and beta is not an estimate). */
enum stats_status stats_glm_poisson(const double *x, const double *y,
                                    const double *t, size_t n, size_t p,
                                    double *beta, double *mu, double *bread);

/* Symmetric positive definite inverse by Cholesky, in place, p x p.
 * Returns -1 (a left unspecified) when a is not positive definite to
 * working precision (a pivot below 1e-13 times the largest diagonal). */
int stats_spd_inverse(double *a, size_t p);

/* One coefficient's cluster-robust Wald test and interval: b = beta[j],
 * se = sqrt(V[j][j]), t on df, lo/hi = exp(b -/+ q se) (rate-ratio scale,
 * or b -/+ q se when ratio_scale is 0). df: G - 1 for CR1, G - 2 for CR2;
 * two-way: min(G1, G2) - 1 or - 2. */
struct stats_wald {
    double est, se, df, lo, hi, p;
    unsigned flags;              /* STATS_NA_* / STATS_INF_HI */
    enum stats_status status;    /* STATS_ZERO_VARIANCE when V[j][j] <= 0 */
};
double stats_robust_df(enum stats_robust_type type, size_t G1, size_t G2);

/* Bell-McCaffrey (2002) Satterthwaite degrees of freedom of the one-way
 * (cl1) CR2 variance of the contrast lc' b (lc = M c for a coefficient
 * contrast c; lc = e_j picks coordinate j of the meat when the bread is
 * only the hat's), under the working model (independent rows with
 * variance 1/w on the score scale): with p_g = A_g z*_g,
 * z*_i = sqrt(w_i) x_i' lc, and g_g = (I - H*)_{.g} p_g,
 *     df = (sum_g g_g'g_g)^2 / sum_{g,h} (g_g'g_h)^2,
 * as clubSandwich's coef_test(test = "Satterthwaite") (Pustejovsky &
 * Tipton 2018). O(n m + G p^2) for clusters of m rows. 0 when not
 * estimable (fewer than 2 clusters, a zero variance). */
double stats_cr2_df(const struct stats_rows *d, const double *bread,
                    const double *lc);
void stats_wald(double b, double var, double df, double conf,
                int ratio_scale, struct stats_wald *out);

/* Robust score test of beta[j] = 0 in the Poisson GLM above (Boos 1992;
 * for a cell with no events, where the Wald test does not exist): fit the
 * model without column j, take the efficient score for beta[j],
 * S = sum_g s_g, s_g = c' u_g with c = e_j - (I_nn^-1 I_nj) on the
 * nuisance coordinates and u_g the cluster's (CR1 or CR2, with the
 * restricted model's hat matrix) score, and refer S / sqrt(sum_g s_g^2
 * [x G/(G-1) for CR1]) to t on df (two-way: var_1 + var_2 - var_12).
 * Also gives se0 = sqrt(var) / I_eff, I_eff = I_jj - I_jn I_nn^-1 I_nj,
 * the null standard error of beta[j] that the power formula uses.
 * Columns other than j must keep the restricted fit estimable. */
struct stats_score {
    double stat, df, p, se0;
    double df_bm;      /* Bell-McCaffrey df of the score (CR2, one-way), or 0 */
    size_t clusters, clusters2;
    enum stats_status status;
};
enum stats_status stats_glm_score(const double *x, const double *y,
                                  const double *t, const uint64_t *cl1,
                                  const uint64_t *cl2, size_t n, size_t p,
                                  size_t j, enum stats_robust_type type,
                                  struct stats_score *out);

/* Minimum detectable rate ratio: the RR > 1 a two-sided level-(1-conf)
 * t test on df detects with probability `power`, given the standard error
 * se of log RR: exp((q_{1-(1-conf)/2} + q_power) se), t quantiles on df.
 * Its reciprocal is the detectable decrease. 0 when se <= 0 or df <= 0. */
double stats_mdrr(double se, double df, double conf, double power);

/* Power of that test at rate ratio rr (the formula stats_mdrr inverts):
 * P(T > q - |log rr|/se) + P(T < -q - |log rr|/se), T ~ t(df). */
double stats_power(double rr, double se, double df, double conf);

#endif
