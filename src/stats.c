/* stats.c - rates, rate ratios, intervals, tests and FDR. See stats.h.
 *
 * Everything here is arithmetic on counts. The special functions follow the
 * published algorithms R's nmath uses, so that results can be checked
 * against R to many digits (tests/stats/reference.csv):
 *   - binomial pmf: Loader (2000), "Fast and accurate computation of
 *     binomial probabilities" (stirlerr + bd0 saddle-point form), which
 *     keeps full relative precision for counts of 1e7 and more, where
 *     lgamma differences lose 8 digits;
 *   - regularized incomplete beta: the classical continued fraction
 *     (Numerical Recipes 6.4) evaluated by the modified Lentz method, with
 *     its prefactor x^a (1-x)^b / (a B(a,b)) written as a Loader binomial
 *     term; always evaluated on the side where it converges, so that both
 *     tails keep their relative precision;
 *   - quantiles: bisection on the log-odds scale, so that a bound near 1
 *     (a huge rate ratio) keeps the precision of 1 - p;
 *   - normal quantile: Wichura (1988) AS 241.
 *
 * Internally -INFINITY stands for log(0); it never reaches an output. */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "stats_glm.h"
#include "util.h"

#define LN_2PI 1.837877066409345483560659472811
#define LN_SQRT_2PI 0.918938533204672741780329736406
#define REL_ERR 1e-7 /* R's relErr in binom.test and fisher.test */
#define EXP_MAX 709.0  /* exp() overflows beyond ~709.78 */

const char *stats_strerror(enum stats_status s)
{
    switch (s) {
    case STATS_OK:
        return "ok";
    case STATS_BAD_INPUT:
        return "invalid input";
    case STATS_NO_EXPOSURE:
        return "a cohort has no words";
    case STATS_EMPTY:
        return "a cohort has no evaluations";
    case STATS_NO_EVENTS:
        return "zero events in both cohorts";
    case STATS_ZERO_REF:
        return "reference cohort has no events";
    case STATS_ZERO_COHORT:
        return "cohort has no events";
    case STATS_FEW_CLUSTERS:
        return "fewer than 2 clusters";
    case STATS_ZERO_VARIANCE:
        return "cluster-robust variance is zero";
    }
    return "unknown status";
}

/* ======================= Binomial and hypergeometric pmf ================ */

/* stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n), Loader (2000). For
 * n > 15 the Stirling series; below, lgamma directly (absolute error
 * ~1e-15, enough here). n > 0. */
static double stirlerr(double n)
{
    const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260,
                 s3 = 1.0 / 1680, s4 = 1.0 / 1188;
    if (n <= 15.0)
        return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
    double nn = n * n;
    if (n > 500)
        return (s0 - s1 / nn) / n;
    if (n > 80)
        return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35)
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* bd0(x, np) = x log(x/np) + np - x, the deviance term, computed without
 * cancellation when x ~ np (Loader 2000). */
static double bd0(double x, double np)
{
    if (fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np);
        double s = (x - np) * v;
        if (fabs(s) < DBL_MIN)
            return s;
        double ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
    }
    return x * log(x / np) + np - x;
}

/* log of the binomial term C(n, x) p^x q^n-x for real x, n (R's
 * dbinom_raw); -INFINITY for 0. */
static double binom_raw_log(double x, double n, double p, double q)
{
    if (p == 0)
        return x == 0 ? 0 : -INFINITY;
    if (q == 0)
        return x == n ? 0 : -INFINITY;
    if (x == 0) {
        if (n == 0)
            return 0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n)
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    if (x < 0 || x > n)
        return -INFINITY;
    double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) -
                bd0(n - x, n * q);
    double lf = LN_2PI + log(x) + log1p(-x / n);
    return lc - 0.5 * lf;
}

double stats_binom_logpmf(double k, double n, double p, double q)
{
    if (!(n >= 0) || !(p >= 0) || !(q >= 0) || k != floor(k) ||
        n != floor(n))
        return -DBL_MAX;
    double r = binom_raw_log(k, n, p, q);
    return r == -INFINITY ? -DBL_MAX : r;
}

/* log dhyper(x; m white, n black, k drawn), as R: the product of two
 * binomial terms over a third, all at p = k/(m+n), which keeps each term
 * near its mode and so accurate. */
static double hyper_log(double x, double m, double n, double k)
{
    if (x < 0 || x > k || x > m || k - x > n)
        return -INFINITY;
    if (k == 0 || k == m + n)
        return 0;
    double p = k / (m + n), q = (m + n - k) / (m + n);
    return binom_raw_log(x, m, p, q) + binom_raw_log(k - x, n, p, q) -
           binom_raw_log(k, m + n, p, q);
}

double stats_hyper_logpmf(double x, double m, double n, double k)
{
    if (!(m >= 0) || !(n >= 0) || !(k >= 0) || k > m + n)
        return -DBL_MAX;
    double r = hyper_log(x, m, n, k);
    return r == -INFINITY ? -DBL_MAX : r;
}

/* ======================= Incomplete beta and quantiles ================= */

/* Continued fraction for I_x(a, b) (Numerical Recipes eq. 6.4.5), modified
 * Lentz. Converges for x < (a+1)/(a+b+2) in O(sqrt(max(a, b))) steps. */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 2 * DBL_EPSILON;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (long m = 1; m <= 1000000; m++) {
        double m2 = 2.0 * (double)m, md = (double)m;
        double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps)
            break;
    }
    return h;
}

/* I_x(a, b) on its convergent side: prefactor x^a y^b / (a B(a, b)),
 * which equals b/(a+b) times the binomial term C(a+b, a) x^a y^b. */
static double beta_tail(double x, double y, double a, double b)
{
    double lpre = binom_raw_log(a, a + b, x, y) + log(b / (a + b));
    if (lpre == -INFINITY)
        return 0;
    return exp(lpre) * beta_cf(a, b, x);
}

void stats_beta_inc(double x, double y, double a, double b, double *lower,
                    double *upper)
{
    if (!(a > 0) || !(b > 0) || !(x > 0) || !(y > 0)) {
        /* degenerate: all mass at one end */
        int at_one = !(y > 0);
        *lower = at_one ? 1 : 0;
        *upper = at_one ? 0 : 1;
        return;
    }
    if (x <= (a + 1) / (a + b + 2)) {
        double w = beta_tail(x, y, a, b);
        if (w > 1)
            w = 1;
        *lower = w;
        *upper = 1 - w;
    } else {
        double w = beta_tail(y, x, b, a);
        if (w > 1)
            w = 1;
        *lower = 1 - w;
        *upper = w;
    }
}

/* x = logistic(th), y = 1 - x, both to full relative precision. */
static void logistic2(double th, double *x, double *y)
{
    if (th >= 0) {
        double e = exp(-th);
        *x = 1 / (1 + e);
        *y = e / (1 + e);
    } else {
        double e = exp(th);
        *x = e / (1 + e);
        *y = 1 / (1 + e);
    }
}

/* The log-odds th = log(x/(1-x)) of the Beta(a, b) quantile: the lower
 * tail I_x(a, b) equals p (upper == 0), or the upper tail 1 - I_x(a, b)
 * equals p (upper == 1). Bisection on a bracket grown around the normal
 * guess log(a/b); the tail is monotone in th, so this cannot fail, and 1-x
 * keeps its precision when x is near 1 (a huge rate ratio bound). */
static double beta_qlogit(double p, int upper, double a, double b)
{
    const double lim = 740; /* logistic(+-740) is 1 or ~1e-322 */
    double th0 = log(a / b), s = sqrt(1 / a + 1 / b);
#define G(th, out)                                                          \
    do {                                                                    \
        double x_, y_, lw_, up_;                                            \
        logistic2((th), &x_, &y_);                                          \
        stats_beta_inc(x_, y_, a, b, &lw_, &up_);                           \
        (out) = upper ? p - up_ : lw_ - p; /* increasing in th */           \
    } while (0)
    double lo = th0 - s, hi = th0 + s, g, step = s;
    if (lo < -lim)
        lo = -lim;
    if (hi > lim)
        hi = lim;
    for (;;) {
        G(lo, g);
        if (g <= 0 || lo <= -lim)
            break;
        hi = lo;
        step *= 2;
        lo = lo - step < -lim ? -lim : lo - step;
    }
    for (;;) {
        G(hi, g);
        if (g >= 0 || hi >= lim)
            break;
        lo = hi;
        step *= 2;
        hi = hi + step > lim ? lim : hi + step;
    }
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (hi - lo <= 1e-15 * fmax(1.0, fabs(mid)) || mid == lo ||
            mid == hi)
            break;
        G(mid, g);
        if (g < 0)
            lo = mid;
        else
            hi = mid;
    }
#undef G
    return 0.5 * (lo + hi);
}

double stats_beta_quantile(double p, double a, double b)
{
    if (!(p > 0) || !(a > 0) || !(b > 0))
        return 0;
    if (p >= 1)
        return 1;
    double x, y;
    logistic2(beta_qlogit(p, 0, a, b), &x, &y);
    return x;
}

/* ======================= Normal and t ================================== */

double stats_norm_quantile(double p)
{
    /* Wichura (1988), Algorithm AS 241, PPND16. */
    static const double a[8] = {
        3.3871328727963666080e+00, 1.3314166789178437745e+02,
        1.9715909503065514427e+03, 1.3731693765509461125e+04,
        4.5921953931549871457e+04, 6.7265770927008700853e+04,
        3.3430575583588128105e+04, 2.5090809287301226727e+03};
    static const double b[8] = {
        1.0,                       4.2313330701600911252e+01,
        6.8718700749205790830e+02, 5.3941960214247511077e+03,
        2.1213794301586595867e+04, 3.9307895800092710610e+04,
        2.8729085735721942674e+04, 5.2264952788528545610e+03};
    static const double c[8] = {
        1.42343711074968357734e+00, 4.63033784615654529590e+00,
        5.76949722146069140550e+00, 3.64784832476320460504e+00,
        1.27045825245236838258e+00, 2.41780725177450611770e-01,
        2.27238449892691845833e-02, 7.74545014278341407640e-04};
    static const double d[8] = {
        1.0,                        2.05319162663775882187e+00,
        1.67638483018380384940e+00, 6.89767334985100004550e-01,
        1.48103976427480074590e-01, 1.51986665636164571966e-02,
        5.47593808499534494600e-04, 1.05075007164441684324e-09};
    static const double e[8] = {
        6.65790464350110377720e+00, 5.46378491116411436990e+00,
        1.78482653991729133580e+00, 2.96560571828504891230e-01,
        2.65321895265761230930e-02, 1.24266094738807843860e-03,
        2.71155556874348757815e-05, 2.01033439929228813265e-07};
    static const double f[8] = {
        1.0,                        5.99832206555887937690e-01,
        1.36929880922735805310e-01, 1.48753612908506148525e-02,
        7.86869131145613259100e-04, 1.84631831751005468180e-05,
        1.42151175831644588870e-07, 2.04426310338993978564e-15};
    if (!(p >= 1e-300))
        p = 1e-300;
    if (p > 1 - DBL_EPSILON / 2)
        p = 1 - DBL_EPSILON / 2;
    double q = p - 0.5, r, num, den;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        num = den = 0;
        for (int i = 7; i >= 0; i--) {
            num = num * r + a[i];
            den = den * r + b[i];
        }
        return q * num / den;
    }
    r = sqrt(-log(q < 0 ? p : 1 - p));
    const double *nc = c, *dc = d;
    if (r <= 5) {
        r -= 1.6;
    } else {
        r -= 5;
        nc = e;
        dc = f;
    }
    num = den = 0;
    for (int i = 7; i >= 0; i--) {
        num = num * r + nc[i];
        den = den * r + dc[i];
    }
    return q < 0 ? -num / den : num / den;
}

double stats_norm_cdf(double z)
{
    if (isnan(z))
        return 0.5;
    return 0.5 * erfc(-z * 0.70710678118654752440); /* 1/sqrt(2) */
}

/* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2), without cancellation. */
static double t_two_tail(double t, double df)
{
    double t2 = t * t, x, y, lw, up;
    if (t2 == 0)
        return 1;
    if (t2 > df) {
        double r = df / t2;
        x = r / (1 + r);
        y = 1 / (1 + r);
    } else {
        double r = t2 / df;
        x = 1 / (1 + r);
        y = r / (1 + r);
    }
    stats_beta_inc(x, y, df / 2, 0.5, &lw, &up);
    return lw;
}

double stats_t_cdf(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return 0.5;
    if (isinf(t))
        return t > 0 ? 1 : 0;
    double tail = 0.5 * t_two_tail(t, df);
    return t > 0 ? 1 - tail : tail;
}

/* The t > 0 with P(T > t) = tail, 0 < tail <= 1/2. */
static double t_upper_quantile(double tail, double df)
{
    if (tail >= 0.5)
        return 0;
    /* I_x(df/2, 1/2) = 2 tail, x = df/(df+t^2): t^2 = df (1-x)/x. */
    double th = beta_qlogit(2 * tail, 0, df / 2, 0.5);
    double lt2 = log(df) - th;
    if (lt2 > 2 * EXP_MAX)
        lt2 = 2 * EXP_MAX;
    return exp(0.5 * lt2);
}

double stats_t_quantile(double p, double df)
{
    if (!(df > 0))
        return 0;
    if (!(p >= 1e-300))
        p = 1e-300;
    if (p > 1 - DBL_EPSILON / 2)
        p = 1 - DBL_EPSILON / 2;
    if (p == 0.5)
        return 0;
    return p < 0.5 ? -t_upper_quantile(p, df)
                   : t_upper_quantile(1 - p, df);
}

/* ======================= Exact tests =================================== */

/* P(X <= k) and P(X >= k), X ~ Bin(n, p), through the incomplete beta
 * (P(X >= k) = I_p(k, n-k+1)), each to full relative precision. */
static double pbinom_le(double k, double n, double p, double q)
{
    if (k < 0)
        return 0;
    if (k >= n)
        return 1;
    double lw, up;
    stats_beta_inc(q, p, n - k, k + 1, &lw, &up);
    return lw;
}

static double pbinom_ge(double k, double n, double p, double q)
{
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    double lw, up;
    stats_beta_inc(p, q, k, n - k + 1, &lw, &up);
    return lw;
}

double stats_binom_test(uint64_t xi, uint64_t ni, double p, double q)
{
    if (ni == 0 || xi > ni || !(p >= 0) || !(q >= 0))
        return 1;
    double x = (double)xi, n = (double)ni, m = n * p;
    if (p == 0)
        return x == 0 ? 1 : 0;
    if (q == 0)
        return x == n ? 1 : 0;
    if (x == m)
        return 1;
    /* R: the other side's points whose probability is <= d(x)(1+1e-7).
     * The pmf is monotone on [ceil(m), n] (decreasing) and on
     * [0, floor(m)] (increasing), so that set is a tail found by
     * bisection instead of R's enumeration. */
    double thr = binom_raw_log(x, n, p, q) + log1p(REL_ERR), pv;
    if (x < m) {
        double lo = ceil(m), hi = n; /* find the first i with pmf <= thr */
        double tail = 0;
        if (binom_raw_log(n, n, p, q) <= thr) {
            if (binom_raw_log(lo, n, p, q) <= thr) {
                hi = lo;
            } else {
                while (hi - lo > 1) { /* pred(lo) false, pred(hi) true */
                    double mid = floor(0.5 * (lo + hi));
                    if (binom_raw_log(mid, n, p, q) <= thr)
                        hi = mid;
                    else
                        lo = mid;
                }
            }
            tail = pbinom_ge(hi, n, p, q);
        }
        pv = pbinom_le(x, n, p, q) + tail;
    } else {
        double lo = 0, hi = floor(m); /* find the last i with pmf <= thr */
        double tail = 0;
        if (binom_raw_log(0, n, p, q) <= thr) {
            if (binom_raw_log(hi, n, p, q) <= thr) {
                lo = hi;
            } else {
                while (hi - lo > 1) { /* pred(lo) true, pred(hi) false */
                    double mid = floor(0.5 * (lo + hi));
                    if (binom_raw_log(mid, n, p, q) <= thr)
                        lo = mid;
                    else
                        hi = mid;
                }
            }
            tail = pbinom_le(lo, n, p, q);
        }
        pv = tail + pbinom_ge(x, n, p, q);
    }
    return pv > 1 ? 1 : pv;
}

/* Sum of the hypergeometric pmf from i0 outward (dir = -1 down to lo,
 * dir = +1 up to hi), where the terms decrease: log of the sum. The terms
 * follow the pmf ratio P(i+1)/P(i) = (m-i)(k-i) / ((i+1)(n-k+i+1)), scaled
 * by P(i0), and the walk stops once they no longer change the sum. */
static double hyper_tail_log(double i0, int dir, double lo, double hi,
                             double m, double n, double k)
{
    double sum = 1, term = 1;
    for (double i = i0;;) {
        if (dir < 0) {
            if (i <= lo)
                break;
            term *= i * (n - k + i) / ((m - i + 1) * (k - i + 1));
            i -= 1;
        } else {
            if (i >= hi)
                break;
            term *= (m - i) * (k - i) / ((i + 1) * (n - k + i + 1));
            i += 1;
        }
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return hyper_log(i0, m, n, k) + log(sum);
}

double stats_fisher_exact(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    /* R: m = a + c (first column), n = b + d, k = a + b (first row),
     * x = a; support max(0, k-n) .. min(k, m). */
    double m = (double)a + (double)c, n = (double)b + (double)d,
           k = (double)a + (double)b, x = (double)a;
    double lo = fmax(0, k - n), hi = fmin(k, m);
    if (lo >= hi)
        return 1;
    double thr = hyper_log(x, m, n, k) + log1p(REL_ERR);
    /* The pmf rises to the mode and falls after it (unimodal), so the
     * points with pmf <= thr are a lower tail [lo, jl] and an upper tail
     * [jr, hi], each found by bisection. */
    double mode = floor((k + 1) * (m + 1) / (m + n + 2));
    mode = fmin(fmax(mode, lo), hi);
    if (hyper_log(mode, m, n, k) <= thr)
        return 1;
    double lsum = -INFINITY, rsum = -INFINITY;
    if (hyper_log(lo, m, n, k) <= thr) {
        double l = lo, h = mode; /* pred(l) true, pred(h) false */
        while (h - l > 1) {
            double mid = floor(0.5 * (l + h));
            if (hyper_log(mid, m, n, k) <= thr)
                l = mid;
            else
                h = mid;
        }
        lsum = hyper_tail_log(l, -1, lo, hi, m, n, k);
    }
    if (hyper_log(hi, m, n, k) <= thr) {
        double l = mode, h = hi; /* pred(l) false, pred(h) true */
        while (h - l > 1) {
            double mid = floor(0.5 * (l + h));
            if (hyper_log(mid, m, n, k) <= thr)
                h = mid;
            else
                l = mid;
        }
        rsum = hyper_tail_log(h, +1, lo, hi, m, n, k);
    }
    double pv = (lsum == -INFINITY ? 0 : exp(lsum)) +
                (rsum == -INFINITY ? 0 : exp(rsum));
    return pv > 1 ? 1 : pv;
}

/* ======================= Rate ratios =================================== */

/* exp(l), or 0 with *overflow set when it would be infinite. */
static double exp_checked(double l, int *overflow)
{
    if (l > EXP_MAX) {
        *overflow = 1;
        return 0;
    }
    *overflow = 0;
    return exp(l);
}

static int conf_ok(double conf)
{
    return conf > 0 && conf < 1;
}

enum stats_status stats_poisson_exact(uint64_t x1, double t1, uint64_t x2,
                                      double t2, double conf,
                                      struct stats_poisson *out)
{
    *out = (struct stats_poisson){.p = 1,
                                  .flags = STATS_NA_EST | STATS_NA_CI |
                                           STATS_NA_P};
    if (!conf_ok(conf) || !(t1 >= 0) || !(t2 >= 0) || !isfinite(t1) ||
        !isfinite(t2))
        return out->status = STATS_BAD_INPUT;
    double r1 = t1 > 0 ? (double)x1 / t1 : 0, r2 = t2 > 0 ? (double)x2 / t2 : 0;
    if (!isfinite(r1) || !isfinite(r2)) /* subnormal exposures */
        return out->status = STATS_BAD_INPUT;
    out->rate1 = r1;
    out->rate2 = r2;
    if (t1 == 0 || t2 == 0)
        return out->status = STATS_NO_EXPOSURE;
    if (x1 == 0 && x2 == 0)
        return out->status = STATS_NO_EVENTS;

    /* Conditional on n = x1 + x2, x1 ~ Bin(n, pi) with
     * pi = t1 RR / (t1 RR + t2); under RR = 1, pi = t1/(t1+t2). */
    double x = (double)x1, n = (double)x1 + (double)x2;
    double pi = 1 / (1 + t2 / t1), qi = 1 / (1 + t1 / t2); /* no overflow */
    double lscale = log(t2) - log(t1); /* RR = pi/(1-pi) * t2/t1 */
    double alpha = (1 - conf) / 2;
    int ovf;
    out->flags = 0;
    out->p = stats_binom_test(x1, x1 + x2, pi, qi);

    /* Clopper-Pearson: lower pi solves P(X >= x) = alpha, i.e. the lower
     * Beta(x, n-x+1) tail; upper solves P(X <= x) = alpha, the upper
     * Beta(x+1, n-x) tail. Computed as log-odds (see beta_qlogit). */
    if (x1 > 0) {
        out->lo = exp_checked(beta_qlogit(alpha, 0, x, n - x + 1) + lscale,
                              &ovf);
        if (ovf) /* only with exposures ~1e300 apart */
            out->flags |= STATS_NA_CI;
    }
    if (x2 == 0) {
        out->hi = 0;
        out->flags |= STATS_INF_HI;
    } else {
        out->hi = exp_checked(beta_qlogit(alpha, 1, x + 1, n - x) + lscale,
                              &ovf);
        if (ovf)
            out->flags |= STATS_INF_HI;
    }

    if (out->flags & STATS_NA_CI)
        out->lo = out->hi = 0;
    if (x2 == 0) {
        out->flags |= STATS_INF_EST;
        return out->status = STATS_ZERO_REF;
    }
    out->rr = exp_checked(log(out->rate1) - log(out->rate2), &ovf);
    if (x1 == 0) {
        out->rr = 0;
        return out->status = STATS_ZERO_COHORT;
    }
    if (ovf) {
        out->flags |= STATS_INF_EST;
        out->rr = 0;
    }
    return out->status = STATS_OK;
}

/* Rows of the two-group Poisson model for stats_glm's robust variance:
 * x = (1, group), w = mu = t Y_k/T_k, r = y - mu. */
static const struct stats_robust default_robust = {STATS_CR2, 0,
                                                   STATS_DF_SATTERTHWAITE};

/* Satterthwaite df apply to CR2, one-way (two-way: min(G1, G2) - 2). */
static int use_bm(const struct stats_robust *rb)
{
    return rb->type == STATS_CR2 && !rb->twoway &&
           rb->df == STATS_DF_SATTERTHWAITE;
}

/* Below this many hits per cluster the rate ratio's Wald and score tests
 * are already conservative on t(G-2), and Bell-McCaffrey df make them
 * more so (calibration: 2.9-3.4% at 1.1 hits per cluster against
 * 4.1-4.5% at 2.3 and 5.0-5.3% at 7.5), so t(G-2) is kept there. */
#define BM_MIN_HITS_PER_CLUSTER 2.0

enum stats_status stats_cluster_rr(const struct stats_cell *cells, size_t n,
                                   const struct stats_robust *rb,
                                   double conf, struct stats_cluster *out)
{
    if (!rb)
        rb = &default_robust;
    *out = (struct stats_cluster){.p = 1, .type = rb->type,
                                  .flags = STATS_NA_EST | STATS_NA_CI |
                                           STATS_NA_P};
    if (!conf_ok(conf))
        return out->status = STATS_BAD_INPUT;

    double y[2] = {0, 0}, t[2] = {0, 0};
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        const struct stats_cell *c = &cells[i];
        if (!(c->t >= 0) || !isfinite(c->t) || (c->t == 0 && c->y > 0))
            return out->status = STATS_BAD_INPUT;
        if (c->t == 0)
            continue; /* no words, no hits: contributes nothing */
        int g = c->group != 0;
        y[g] += (double)c->y;
        t[g] += c->t;
        nr++;
    }
    if (!isfinite(t[0]) || !isfinite(t[1]))
        return out->status = STATS_BAD_INPUT;
    out->y1 = y[1];
    out->t1 = t[1];
    out->y0 = y[0];
    out->t0 = t[0];
    double r1 = t[1] > 0 ? y[1] / t[1] : 0, r0 = t[0] > 0 ? y[0] / t[0] : 0;
    if (!isfinite(r1) || !isfinite(r0)) /* subnormal exposures */
        return out->status = STATS_BAD_INPUT;

    /* The rows with words, in the layout stats_glm wants. */
    size_t m = nr ? nr : 1;
    double *x = xmalloc(2 * m * sizeof *x), *w = xmalloc(m * sizeof *w),
           *r = xmalloc(m * sizeof *r), *yy = xmalloc(m * sizeof *yy),
           *tt = xmalloc(m * sizeof *tt);
    uint64_t *c1 = xmalloc(m * sizeof *c1), *c2 = xmalloc(m * sizeof *c2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct stats_cell *c = &cells[i];
        if (c->t == 0)
            continue;
        int g = c->group != 0;
        x[2 * k] = 1;
        x[2 * k + 1] = g;
        w[k] = c->t * (g ? r1 : r0);
        r[k] = (double)c->y - w[k];
        yy[k] = (double)c->y;
        tt[k] = c->t;
        c1[k] = c->cluster;
        c2[k] = c->cluster2;
        k++;
    }
    const uint64_t *cl2 = rb->twoway ? c2 : NULL;
    enum stats_status st = STATS_OK;
    int ovf;

    if (t[1] == 0 || t[0] == 0) {
        st = STATS_NO_EXPOSURE;
    } else if (y[1] == 0 && y[0] == 0) {
        st = STATS_NO_EVENTS;
    } else {
        /* The null (score) test: always, for the power figure; its p
         * stands in for the Wald p when a group has no events. */
        struct stats_score sc;
        stats_glm_score(x, yy, tt, c1, cl2, nr, 2, 1, rb->type, &sc);
        out->clusters = sc.clusters;
        out->clusters2 = sc.clusters2;
        out->df = sc.df;
        int bm = use_bm(rb) && sc.clusters > 0 &&
                 (y[0] + y[1]) / (double)sc.clusters >=
                     BM_MIN_HITS_PER_CLUSTER;
        out->satterthwaite = bm;
        if (sc.status == STATS_OK && bm && sc.df_bm > 0) {
            out->df = sc.df = sc.df_bm;
            sc.p = fmin(1, 2 * stats_t_cdf(-fabs(sc.stat), sc.df));
        }
        if (sc.status == STATS_OK) {
            out->se0 = sc.se0;
            out->mdrr = stats_mdrr(sc.se0, sc.df, conf, 0.8);
        }
        if (y[0] == 0 || y[1] == 0) {
            st = y[0] == 0 ? STATS_ZERO_REF : STATS_ZERO_COHORT;
            out->flags = STATS_NA_CI | STATS_NA_P |
                         (y[0] == 0 ? STATS_INF_EST : 0);
            if (sc.status == STATS_OK) {
                out->p = sc.p;
                out->score = 1;
                out->flags &= ~(unsigned)STATS_NA_P;
            }
        } else {
            out->log_rr = log(r1) - log(r0);
            out->rr = exp_checked(out->log_rr, &ovf);
            out->flags = ovf ? STATS_INF_EST | STATS_NA_CI | STATS_NA_P
                             : STATS_NA_CI | STATS_NA_P;
            /* Inverse information of (b0, b1) at the MLE, closed form. */
            double M[4] = {1 / y[0], -1 / y[0], -1 / y[0],
                           1 / y[0] + 1 / y[1]};
            double V[4];
            struct stats_rows d = {.n = nr, .p = 2, .x = x, .w = w, .r = r,
                                   .cl1 = c1, .cl2 = cl2};
            st = stats_robust_vcov(&d, M, rb->type, V, &out->clusters,
                                   &out->clusters2);
            out->df = stats_robust_df(rb->type, out->clusters,
                                      out->clusters2);
            if (st == STATS_OK && out->satterthwaite) {
                double lc[2] = {M[1], M[3]}; /* M c, c = (0, 1) */
                double df = stats_cr2_df(&d, M, lc);
                if (df > 0)
                    out->df = df;
            }
            if (st == STATS_OK && !(out->df > 0))
                st = STATS_FEW_CLUSTERS;
            /* Exactly proportional clusters leave only rounding noise;
             * anything 1e8 times smaller than the Poisson SE is taken as
             * zero (and a two-way variance may be negative). */
            if (st == STATS_OK && V[3] <= 1e-16 * (1 / y[1] + 1 / y[0]))
                st = STATS_ZERO_VARIANCE;
            if (st == STATS_OK) {
                struct stats_wald wd;
                stats_wald(out->log_rr, V[3], out->df, conf, 1, &wd);
                out->se = wd.se;
                out->p = wd.p;
                out->lo = wd.lo;
                out->hi = wd.hi;
                out->flags &= ~(unsigned)(STATS_NA_CI | STATS_NA_P);
                out->flags |= wd.flags & STATS_INF_HI;
                if (ovf)
                    out->flags |= STATS_INF_HI;
            }
        }
    }
    if (st == STATS_NO_EXPOSURE || st == STATS_NO_EVENTS) {
        /* still count the clusters, for the report */
        struct stats_rows d = {.n = nr, .p = 2, .x = x, .w = w, .r = r,
                               .cl1 = c1, .cl2 = cl2};
        double M[4] = {0, 0, 0, 0}, V[4];
        for (size_t i = 0; i < nr; i++)
            w[i] = 1; /* any positive weight: only the counts matter */
        stats_robust_vcov(&d, M, STATS_CR1, V, &out->clusters,
                          &out->clusters2);
    }
    free(x);
    free(w);
    free(r);
    free(yy);
    free(tt);
    free(c1);
    free(c2);
    return out->status = st;
}

/* ======================= Proportions =================================== */

void stats_wilson(uint64_t x, uint64_t n, double conf, double *lo,
                  double *hi)
{
    if (n == 0 || x > n || !conf_ok(conf)) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double z = stats_norm_quantile(1 - (1 - conf) / 2), z2 = z * z;
    double nn = (double)n, p = (double)x / nn, q = (double)(n - x) / nn;
    double den = 1 + z2 / nn;
    double center = (p + z2 / (2 * nn)) / den;
    double half = z * sqrt(p * q / nn + z2 / (4 * nn * nn)) / den;
    *lo = x == 0 ? 0 : fmax(0, center - half);
    *hi = x == n ? 1 : fmin(1, center + half);
}

enum stats_status stats_prevalence_diff(uint64_t a1, uint64_t n1,
                                        uint64_t a2, uint64_t n2,
                                        double conf,
                                        struct stats_prevalence *out)
{
    *out = (struct stats_prevalence){.p = 1,
                                     .flags = STATS_NA_EST | STATS_NA_CI |
                                              STATS_NA_P};
    if (a1 > n1 || a2 > n2 || !conf_ok(conf))
        return out->status = STATS_BAD_INPUT;
    if (n1 > 0)
        out->p1 = (double)a1 / (double)n1;
    if (n2 > 0)
        out->p2 = (double)a2 / (double)n2;
    if (n1 == 0 || n2 == 0)
        return out->status = STATS_EMPTY;
    out->flags = 0;
    out->diff = out->p1 - out->p2;
    /* Newcombe (1998) method 10: combine the Wilson limits l_i, u_i,
     *   L = D - sqrt((p1-l1)^2 + (u2-p2)^2),
     *   U = D + sqrt((u1-p1)^2 + (p2-l2)^2). */
    double l1, u1, l2, u2;
    stats_wilson(a1, n1, conf, &l1, &u1);
    stats_wilson(a2, n2, conf, &l2, &u2);
    out->lo = out->diff - hypot(out->p1 - l1, u2 - out->p2);
    out->hi = out->diff + hypot(u1 - out->p1, out->p2 - l2);
    out->lo = fmax(out->lo, -1.0);
    out->hi = fmin(out->hi, 1.0);
    out->p = stats_fisher_exact(a1, n1 - a1, a2, n2 - a2);
    return out->status = STATS_OK;
}

enum stats_status stats_riskdiff_robust(const struct stats_pcell *cells,
                                        size_t n,
                                        const struct stats_robust *rb,
                                        double conf,
                                        struct stats_riskdiff *out)
{
    if (!rb)
        rb = &default_robust;
    *out = (struct stats_riskdiff){.p = 1, .flags = STATS_NA_EST |
                                                  STATS_NA_CI | STATS_NA_P};
    if (!conf_ok(conf))
        return out->status = STATS_BAD_INPUT;
    double a[2] = {0, 0}, N[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (cells[i].a > cells[i].n)
            return out->status = STATS_BAD_INPUT;
        int g = cells[i].group != 0;
        a[g] += (double)cells[i].a;
        N[g] += (double)cells[i].n;
    }
    if (N[0] == 0 || N[1] == 0)
        return out->status = STATS_EMPTY;
    out->p1 = a[1] / N[1];
    out->p0 = a[0] / N[0];
    out->diff = out->p1 - out->p0;
    out->flags = STATS_NA_CI | STATS_NA_P;
    /* Least squares on evaluations, aggregated per row: weight n (the
     * evaluations), residual sum a - n p_g; bread (X'X)^-1 in closed
     * form. */
    size_t m = n ? n : 1;
    double *x = xmalloc(2 * m * sizeof *x), *w = xmalloc(m * sizeof *w),
           *r = xmalloc(m * sizeof *r);
    uint64_t *c1 = xmalloc(m * sizeof *c1), *c2 = xmalloc(m * sizeof *c2);
    for (size_t i = 0; i < n; i++) {
        int g = cells[i].group != 0;
        x[2 * i] = 1;
        x[2 * i + 1] = g;
        w[i] = (double)cells[i].n;
        r[i] = (double)cells[i].a - w[i] * (g ? out->p1 : out->p0);
        c1[i] = cells[i].cluster;
        c2[i] = cells[i].cluster2;
    }
    double M[4] = {1 / N[0], -1 / N[0], -1 / N[0], 1 / N[0] + 1 / N[1]};
    double V[4];
    struct stats_rows d = {.n = n, .p = 2, .x = x, .w = w, .r = r,
                           .cl1 = c1, .cl2 = rb->twoway ? c2 : NULL};
    enum stats_status st = stats_robust_vcov(&d, M, rb->type, V,
                                             &out->clusters,
                                             &out->clusters2);
    out->df = stats_robust_df(rb->type, out->clusters, out->clusters2);
    if (st == STATS_OK && use_bm(rb)) {
        double lc[2] = {M[1], M[3]};
        double df = stats_cr2_df(&d, M, lc);
        if (df > 0)
            out->df = df;
    }
    free(x);
    free(w);
    free(r);
    free(c1);
    free(c2);
    if (st == STATS_OK && !(out->df > 0))
        st = STATS_FEW_CLUSTERS;
    /* Relative to the binomial variance scale 1/N: rounding noise is 0. */
    if (st == STATS_OK && V[3] <= 1e-16 * (1 / N[0] + 1 / N[1]))
        st = STATS_ZERO_VARIANCE;
    if (st != STATS_OK)
        return out->status = st;
    struct stats_wald wd;
    stats_wald(out->diff, V[3], out->df, conf, 0, &wd);
    out->se = wd.se;
    out->p = wd.p;
    out->lo = fmax(-1.0, wd.lo);
    out->hi = fmin(1.0, wd.hi);
    out->flags = 0;
    return out->status = STATS_OK;
}

/* ======================= Multiplicity ================================== */

struct bh_item {
    double p;
    size_t i;
};

/* Decreasing p; ties by index, so the order (not the result) is fixed. */
static int cmp_bh_desc(const void *pa, const void *pb)
{
    const struct bh_item *a = pa, *b = pb;
    if (a->p != b->p)
        return a->p < b->p ? 1 : -1;
    return (a->i > b->i) - (a->i < b->i);
}

void stats_bh(const double *p, size_t n, double *q)
{
    struct bh_item *it = xmalloc((n ? n : 1) * sizeof *it);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue; /* not tested: left out of m, as R's NA */
        it[m].p = fmin(1, fmax(0, p[i]));
        it[m].i = i;
        m++;
    }
    qsort(it, m, sizeof *it, cmp_bh_desc);
    for (size_t i = 0; i < n; i++)
        q[i] = 1; /* p is read only through it[] from here, so q may alias */
    /* q_(i) = min over j >= i of m p_(j) / j: walk from the largest p. */
    double run = 1;
    for (size_t r = 0; r < m; r++) {
        double rank = (double)(m - r); /* 1-based rank in increasing p */
        double adj = (double)m / rank * it[r].p;
        if (adj < run)
            run = adj;
        q[it[r].i] = run;
    }
    free(it);
}
