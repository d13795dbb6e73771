/* stats_glm.c - IRLS Poisson fit and cluster-robust variances. See
 * stats_glm.h; tests/stats/make_reference.R computes the same quantities
 * with R's glm, clubSandwich and sandwich for tests/unit/test_stats.c. */
#include "stats_glm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EIG_TOL 1e-12 /* eigenvalues of I - H_gg treated as zero */

int stats_spd_inverse(double *a, size_t p)
{
    /* Cholesky a = L L' (L in the lower triangle), then a^-1 = L'^-1 L^-1
     * by inverting L in place and multiplying. */
    double dmax = 0;
    for (size_t i = 0; i < p; i++)
        dmax = fmax(dmax, fabs(a[i * p + i]));
    if (!(dmax > 0) || !isfinite(dmax))
        return -1;
    for (size_t j = 0; j < p; j++) {
        double s = a[j * p + j];
        for (size_t k = 0; k < j; k++)
            s -= a[j * p + k] * a[j * p + k];
        if (!(s > 1e-13 * dmax))
            return -1;
        double l = sqrt(s);
        a[j * p + j] = l;
        for (size_t i = j + 1; i < p; i++) {
            double v = a[i * p + j];
            for (size_t k = 0; k < j; k++)
                v -= a[i * p + k] * a[j * p + k];
            a[i * p + j] = v / l;
        }
    }
    for (size_t j = 0; j < p; j++) { /* L^-1, lower triangle */
        a[j * p + j] = 1 / a[j * p + j];
        for (size_t i = j + 1; i < p; i++) {
            double v = 0;
            for (size_t k = j; k < i; k++)
                v -= a[i * p + k] * a[k * p + j];
            a[i * p + j] = v / a[i * p + i];
        }
    }
    double *inv = xmalloc(p * p * sizeof *inv);
    for (size_t i = 0; i < p; i++) /* (L^-1)' L^-1 */
        for (size_t j = 0; j <= i; j++) {
            double v = 0;
            for (size_t k = i; k < p; k++)
                v += a[k * p + i] * a[k * p + j];
            inv[i * p + j] = inv[j * p + i] = v;
        }
    memcpy(a, inv, p * p * sizeof *inv);
    free(inv);
    return 0;
}

/* Eigen-decomposition of the symmetric m x m matrix a (destroyed) by
 * cyclic Jacobi rotations: eigenvalues in ev, eigenvectors in the columns
 * of q. Cluster blocks are small (rows of one resident), so O(m^3) per
 * sweep is fine. */
static void jacobi_eigen(double *a, size_t m, double *ev, double *q)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            q[i * m + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0, tot = 0;
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < m; j++) {
                tot += a[i * m + j] * a[i * m + j];
                if (i != j)
                    off += a[i * m + j] * a[i * m + j];
            }
        if (off <= 1e-30 * tot || off == 0)
            break;
        for (size_t p = 0; p < m; p++)
            for (size_t r = p + 1; r < m; r++) {
                double apr = a[p * m + r];
                if (apr == 0)
                    continue;
                double th = (a[r * m + r] - a[p * m + p]) / (2 * apr);
                double t = (th >= 0 ? 1 : -1) /
                           (fabs(th) + sqrt(th * th + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (size_t k = 0; k < m; k++) { /* columns p, r */
                    double akp = a[k * m + p], akr = a[k * m + r];
                    a[k * m + p] = c * akp - s * akr;
                    a[k * m + r] = s * akp + c * akr;
                }
                for (size_t k = 0; k < m; k++) { /* rows p, r */
                    double apk = a[p * m + k], ark = a[r * m + k];
                    a[p * m + k] = c * apk - s * ark;
                    a[r * m + k] = s * apk + c * ark;
                }
                for (size_t k = 0; k < m; k++) {
                    double qkp = q[k * m + p], qkr = q[k * m + r];
                    q[k * m + p] = c * qkp - s * qkr;
                    q[k * m + r] = s * qkp + c * qkr;
                }
            }
    }
    for (size_t i = 0; i < m; i++)
        ev[i] = a[i * m + i];
}

/* Rows grouped by cluster key: key1 only (which = 1), key2 only (2), or
 * the pair (3). */
struct keyed {
    uint64_t k1, k2;
    size_t i;
};

static int cmp_keyed(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2 ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Sums for the Bell-McCaffrey degrees of freedom (stats_cr2_df): per
 * cluster p_g = A_g z*_g, d_g = |p_g|^2, a_g = X*_g' p_g, m_g = a_g' M a_g;
 * S = sum_g a_g a_g' (p x p). */
struct bm_acc {
    const double *lc; /* contrast on the coefficient scale: z_i = x_i' lc */
    double sd, sd2, sdm, sm;
    double *S;
};

/* One-way meat sum_g u_g u_g' (p x p, added into meat) over the clusters
 * of `which`; returns G. The CR2 adjustment uses the bread M. With bm
 * (CR2 only), also the sums of struct bm_acc. */
static size_t meat_oneway(const struct stats_rows *d, const double *M,
                          enum stats_robust_type type, int which,
                          const size_t *use, size_t nuse, double *meat,
                          struct bm_acc *bm)
{
    size_t p = d->p;
    struct keyed *ks = xmalloc((nuse ? nuse : 1) * sizeof *ks);
    for (size_t u = 0; u < nuse; u++) {
        size_t i = use[u];
        ks[u].k1 = which & 1 ? d->cl1[i] : 0;
        ks[u].k2 = which & 2 ? d->cl2[i] : 0;
        ks[u].i = i;
    }
    qsort(ks, nuse, sizeof *ks, cmp_keyed);
    double *ug = xmalloc(p * sizeof *ug);
    double *H = NULL, *Q = NULL, *ev = NULL, *es = NULL, *tmp = NULL;
    double *zs = NULL, *pg = NULL, *ag = xmalloc(2 * p * sizeof *ag);
    size_t capm = 0, G = 0;
    for (size_t a = 0; a < nuse;) {
        size_t b = a;
        while (b < nuse && ks[b].k1 == ks[a].k1 && ks[b].k2 == ks[a].k2)
            b++;
        size_t m = b - a;
        memset(ug, 0, p * sizeof *ug);
        if (type == STATS_CR1) {
            for (size_t u = a; u < b; u++) {
                size_t i = ks[u].i;
                for (size_t k = 0; k < p; k++)
                    ug[k] += d->x[i * p + k] * d->r[i];
            }
        } else {
            if (m > capm) {
                capm = m;
                H = xrealloc(H, m * m * sizeof *H);
                Q = xrealloc(Q, m * m * sizeof *Q);
                ev = xrealloc(ev, m * sizeof *ev);
                es = xrealloc(es, m * sizeof *es);
                tmp = xrealloc(tmp, m * sizeof *tmp);
                zs = xrealloc(zs, m * sizeof *zs);
                pg = xrealloc(pg, m * sizeof *pg);
            }
            /* H = X* M X*', X*_i = sqrt(w_i) x_i. */
            for (size_t s = 0; s < m; s++) {
                size_t i = ks[a + s].i;
                double *xi = (double *)d->x + i * p;
                for (size_t v = 0; v <= s; v++) {
                    size_t j = ks[a + v].i;
                    const double *xj = d->x + j * p;
                    double h = 0;
                    for (size_t k = 0; k < p; k++) {
                        double mk = 0;
                        for (size_t l = 0; l < p; l++)
                            mk += M[k * p + l] * xj[l];
                        h += xi[k] * mk;
                    }
                    h *= sqrt(d->w[i] * d->w[j]);
                    H[s * m + v] = H[v * m + s] = h;
                }
                es[s] = d->w[i] > 0 ? d->r[i] / sqrt(d->w[i]) : 0;
                if (bm) {
                    double z = 0;
                    for (size_t k = 0; k < p; k++)
                        z += xi[k] * bm->lc[k];
                    zs[s] = sqrt(d->w[i]) * z;
                }
            }
            jacobi_eigen(H, m, ev, Q);
            if (bm) {
                /* p_g = A_g z*_g, then d_g, a_g = X*_g' p_g, a_g' M a_g. */
                for (size_t k = 0; k < m; k++) {
                    double v = 0;
                    for (size_t s = 0; s < m; s++)
                        v += Q[s * m + k] * zs[s];
                    double l = 1 - ev[k];
                    tmp[k] = l > EIG_TOL ? v / sqrt(l) : 0;
                }
                double dg = 0;
                memset(ag, 0, p * sizeof *ag);
                for (size_t s = 0; s < m; s++) {
                    double v = 0;
                    for (size_t k = 0; k < m; k++)
                        v += Q[s * m + k] * tmp[k];
                    pg[s] = v;
                    dg += v * v;
                    size_t i = ks[a + s].i;
                    double sw = sqrt(d->w[i]);
                    for (size_t k = 0; k < p; k++)
                        ag[k] += sw * d->x[i * p + k] * v;
                }
                double mg = 0;
                for (size_t k = 0; k < p; k++) {
                    double v = 0;
                    for (size_t l = 0; l < p; l++)
                        v += M[k * p + l] * ag[l];
                    mg += ag[k] * v;
                    for (size_t l = 0; l < p; l++)
                        bm->S[k * p + l] += ag[k] * ag[l];
                }
                bm->sd += dg;
                bm->sd2 += dg * dg;
                bm->sdm += dg * mg;
                bm->sm += mg;
            }
            /* A e* = Q diag((1 - ev)^-1/2) Q' e*. */
            for (size_t k = 0; k < m; k++) {
                double v = 0;
                for (size_t s = 0; s < m; s++)
                    v += Q[s * m + k] * es[s];
                double l = 1 - ev[k];
                tmp[k] = l > EIG_TOL ? v / sqrt(l) : 0;
            }
            for (size_t s = 0; s < m; s++) {
                double v = 0;
                for (size_t k = 0; k < m; k++)
                    v += Q[s * m + k] * tmp[k];
                size_t i = ks[a + s].i;
                double sw = sqrt(d->w[i]);
                for (size_t k = 0; k < p; k++)
                    ug[k] += sw * d->x[i * p + k] * v;
            }
        }
        for (size_t k = 0; k < p; k++)
            for (size_t l = 0; l < p; l++)
                meat[k * p + l] += ug[k] * ug[l];
        G++;
        a = b;
    }
    free(ks);
    free(ug);
    free(H);
    free(Q);
    free(ev);
    free(es);
    free(tmp);
    free(zs);
    free(pg);
    free(ag);
    return G;
}

/* V += sign * factor * M meat M. */
static void sandwich_add(const double *M, const double *meat, size_t p,
                         double factor, double *V)
{
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = 0;
            for (size_t k = 0; k < p; k++) {
                double mk = 0;
                for (size_t l = 0; l < p; l++)
                    mk += meat[k * p + l] * M[l * p + j];
                v += M[i * p + k] * mk;
            }
            V[i * p + j] += factor * v;
        }
}

enum stats_status stats_robust_vcov(const struct stats_rows *d,
                                    const double *bread,
                                    enum stats_robust_type type, double *V,
                                    size_t *G1, size_t *G2)
{
    size_t n = d->n, p = d->p;
    memset(V, 0, p * p * sizeof *V);
    *G1 = *G2 = 0;
    size_t *use = xmalloc((n ? n : 1) * sizeof *use), nuse = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = d->w[i] >= 0 && isfinite(d->w[i]) && isfinite(d->r[i]);
        for (size_t k = 0; k < p; k++)
            ok = ok && isfinite(d->x[i * p + k]);
        if (!ok) {
            free(use);
            return STATS_BAD_INPUT;
        }
        if (d->w[i] > 0 || d->r[i] != 0)
            use[nuse++] = i;
    }
    double *meat = xcalloc(p ? p * p : 1, sizeof *meat);
    int nway = d->cl2 ? 3 : 1;
    enum stats_status st = STATS_OK;
    for (int which = 1; which <= nway; which++) {
        memset(meat, 0, p * p * sizeof *meat);
        size_t G = meat_oneway(d, bread, type, which, use, nuse, meat, NULL);
        if (which == 1)
            *G1 = G;
        else if (which == 2)
            *G2 = G;
        if (which < 3 && G < 2)
            st = STATS_FEW_CLUSTERS;
        double f = which == 3 ? -1 : 1;
        if (type == STATS_CR1 && G >= 2)
            f *= (double)G / (double)(G - 1);
        sandwich_add(bread, meat, p, f, V);
    }
    free(meat);
    free(use);
    if (st != STATS_OK)
        memset(V, 0, p * p * sizeof *V);
    return st;
}

/* df = (tr K)^2 / sum_gh K_gh^2 with K_gh = g_g' g_h, g_g = (I - H*)_.g p_g
 * the vector with c'V c = sum_g (g_g' y*)^2; since X*'X* = M^-1,
 * K_gh = [g = h] d_g - a_g' M a_h, so sum_gh K_gh^2 =
 * sum_g d_g^2 - 2 sum_g d_g m_g + tr(M S M S). */
static double bm_finish(const struct bm_acc *bm, const double *M, size_t p)
{
    double *MS = xmalloc(p * p * sizeof *MS), tr = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = 0;
            for (size_t k = 0; k < p; k++)
                v += M[i * p + k] * bm->S[k * p + j];
            MS[i * p + j] = v;
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            tr += MS[i * p + j] * MS[j * p + i];
    free(MS);
    double num = bm->sd - bm->sm, den = bm->sd2 - 2 * bm->sdm + tr;
    if (!(num > 0) || !(den > 0) || !isfinite(num) || !isfinite(den))
        return 0;
    return num * num / den;
}

double stats_cr2_df(const struct stats_rows *d, const double *bread,
                    const double *lc)
{
    size_t n = d->n, p = d->p;
    size_t *use = xmalloc((n ? n : 1) * sizeof *use), nuse = 0;
    for (size_t i = 0; i < n; i++)
        if (d->w[i] > 0 || d->r[i] != 0)
            use[nuse++] = i;
    double *meat = xcalloc(p * p, sizeof *meat);
    struct bm_acc bm = {.lc = lc, .S = xcalloc(p * p, sizeof *bm.S)};
    size_t G = meat_oneway(d, bread, STATS_CR2, 1, use, nuse, meat, &bm);
    double df = G >= 2 ? bm_finish(&bm, bread, p) : 0;
    free(bm.S);
    free(meat);
    free(use);
    return df;
}

double stats_robust_df(enum stats_robust_type type, size_t G1, size_t G2)
{
    size_t G = G2 && G2 < G1 ? G2 : G1;
    double k = type == STATS_CR1 ? 1 : 2;
    return (double)G > k ? (double)G - k : 0;
}

/* ======================= Poisson IRLS ================================== */

static double poisson_dev(const double *y, const double *mu, size_t n)
{
    double dev = 0;
    for (size_t i = 0; i < n; i++) {
        if (mu[i] == 0 && y[i] == 0)
            continue;
        dev += 2 * ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) -
                    (y[i] - mu[i]));
    }
    return dev;
}

/* X'WX (p x p) at weights mu. */
static void info_matrix(const double *x, const double *mu, size_t n,
                        size_t p, double *I)
{
    memset(I, 0, p * p * sizeof *I);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p; k++)
            for (size_t l = 0; l <= k; l++)
                I[k * p + l] += mu[i] * x[i * p + k] * x[i * p + l];
    for (size_t k = 0; k < p; k++)
        for (size_t l = 0; l < k; l++)
            I[l * p + k] = I[k * p + l];
}

enum stats_status stats_glm_poisson(const double *x, const double *y,
                                    const double *t, size_t n, size_t p,
                                    double *beta, double *mu, double *bread)
{
    double ysum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(y[i] >= 0) || !(t[i] >= 0) || !isfinite(t[i]) ||
            !isfinite(y[i]) || (t[i] == 0 && y[i] > 0))
            return STATS_BAD_INPUT;
        for (size_t k = 0; k < p; k++)
            if (!isfinite(x[i * p + k]))
                return STATS_BAD_INPUT;
        if (t[i] > 0)
            ysum += y[i];
    }
    memset(beta, 0, p * sizeof *beta);
    if (ysum == 0)
        return STATS_NO_EVENTS;
    double *eta = xmalloc((n ? n : 1) * sizeof *eta);
    double *z = xmalloc((n ? n : 1) * sizeof *z);
    double *rhs = xmalloc(p * sizeof *rhs), *nb = xmalloc(p * sizeof *nb);
    double *old = xmalloc(p * sizeof *old);
    enum stats_status st = STATS_OK;
    for (size_t i = 0; i < n; i++) { /* R: mustart = y + 0.1 */
        mu[i] = t[i] > 0 ? y[i] + 0.1 : 0;
        eta[i] = t[i] > 0 ? log(mu[i]) : 0;
    }
    double dev = poisson_dev(y, mu, n);
    int first = 1, converged = 0, polish = 0;
    for (int it = 0; it < 100; it++) {
        /* Weighted least squares on z = eta - offset + (y - mu)/mu. */
        info_matrix(x, mu, n, p, bread);
        memset(rhs, 0, p * sizeof *rhs);
        for (size_t i = 0; i < n; i++) {
            if (t[i] == 0)
                continue;
            z[i] = eta[i] - log(t[i]) + (y[i] - mu[i]) / mu[i];
            for (size_t k = 0; k < p; k++)
                rhs[k] += mu[i] * x[i * p + k] * z[i];
        }
        if (stats_spd_inverse(bread, p) != 0) {
            st = STATS_ZERO_VARIANCE;
            break;
        }
        for (size_t k = 0; k < p; k++) {
            nb[k] = 0;
            for (size_t l = 0; l < p; l++)
                nb[k] += bread[k * p + l] * rhs[l];
        }
        memcpy(old, beta, p * sizeof *beta);
        double ndev = 0;
        for (int half = 0; half < 60; half++) {
            for (size_t i = 0; i < n; i++) {
                if (t[i] == 0)
                    continue;
                double e = log(t[i]);
                for (size_t k = 0; k < p; k++)
                    e += x[i * p + k] * nb[k];
                eta[i] = e;
                mu[i] = exp(fmin(e, 700));
            }
            ndev = poisson_dev(y, mu, n);
            if (first || (isfinite(ndev) && ndev <= dev * (1 + 1e-15) + 1e-300))
                break;
            for (size_t k = 0; k < p; k++) /* step halving */
                nb[k] = 0.5 * (nb[k] + old[k]);
        }
        memcpy(beta, nb, p * sizeof *beta);
        double change = fabs(ndev - dev) / (fabs(ndev) + 0.1);
        dev = ndev;
        /* The deviance is flat near the MLE: a change below 1e-14 still
         * leaves ~1e-9 in the coefficients, so two more Newton steps
         * polish them to working precision (R's glm stops at the first;
         * tests/adjust refines its reference the same way). */
        if (!first && change < 1e-14 && ++polish >= 3) {
            converged = 1;
            break;
        }
        first = 0;
    }
    if (st == STATS_OK) {
        info_matrix(x, mu, n, p, bread);
        if (stats_spd_inverse(bread, p) != 0 || !converged)
            st = STATS_ZERO_VARIANCE;
    }
    free(eta);
    free(z);
    free(rhs);
    free(nb);
    free(old);
    return st;
}

/* ======================= Wald, score, power ============================ */

void stats_wald(double b, double var, double df, double conf,
                int ratio_scale, struct stats_wald *out)
{
    *out = (struct stats_wald){.est = b, .df = df, .p = 1,
                               .flags = STATS_NA_CI | STATS_NA_P};
    if (!(df > 0)) {
        out->status = STATS_FEW_CLUSTERS;
        return;
    }
    if (!(var > 0) || !isfinite(var)) {
        out->status = STATS_ZERO_VARIANCE;
        return;
    }
    out->se = sqrt(var);
    double q = stats_t_quantile(1 - (1 - conf) / 2, df);
    double z = b / out->se;
    out->p = 2 * stats_t_cdf(-fabs(z), df);
    if (out->p > 1)
        out->p = 1;
    out->flags = 0;
    if (ratio_scale) {
        out->lo = exp(fmax(b - q * out->se, -800.0));
        double lh = b + q * out->se;
        if (lh > 709) {
            out->hi = 0;
            out->flags |= STATS_INF_HI;
        } else {
            out->hi = exp(lh);
        }
    } else {
        out->lo = b - q * out->se;
        out->hi = b + q * out->se;
    }
    out->status = STATS_OK;
}

enum stats_status stats_glm_score(const double *x, const double *y,
                                  const double *t, const uint64_t *cl1,
                                  const uint64_t *cl2, size_t n, size_t p,
                                  size_t j, enum stats_robust_type type,
                                  struct stats_score *out)
{
    memset(out, 0, sizeof *out);
    out->p = 1;
    if (p < 2 || j >= p)
        return out->status = STATS_BAD_INPUT;
    size_t q = p - 1;
    double *x0 = xmalloc((n ? n : 1) * q * sizeof *x0);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0, c = 0; k < p; k++)
            if (k != j)
                x0[i * q + c++] = x[i * p + k];
    double *b0 = xmalloc(q * sizeof *b0), *mu = xmalloc((n ? n : 1) * sizeof *mu);
    double *M0 = xmalloc(q * q * sizeof *M0);
    enum stats_status st = stats_glm_poisson(x0, y, t, n, q, b0, mu, M0);
    double *w = NULL, *r = NULL, *V = NULL, *I = NULL, *cvec = NULL;
    if (st != STATS_OK)
        goto done;
    /* c = e_j - (I_nn^-1 I_nj) on the nuisance coordinates; S = c' U. */
    I = xmalloc(p * p * sizeof *I);
    info_matrix(x, mu, n, p, I);
    cvec = xcalloc(p, sizeof *cvec);
    cvec[j] = 1;
    double ieff = I[j * p + j];
    for (size_t k = 0, a = 0; k < p; k++) {
        if (k == j)
            continue;
        double v = 0;
        for (size_t l = 0, b = 0; l < p; l++) {
            if (l == j)
                continue;
            v += M0[a * q + b] * I[l * p + j];
            b++;
        }
        cvec[k] = -v;
        ieff -= I[j * p + k] * v;
        a++;
    }
    /* The restricted rows with the full design: residuals y - mu0; the
     * CR2 hat matrix must be the restricted model's, so the meat is taken
     * on the restricted design and mapped to the efficient score through
     * the full-design scores. Do it directly: u_g (full p) with the
     * restricted model's adjustment. */
    w = xmalloc((n ? n : 1) * sizeof *w);
    r = xmalloc((n ? n : 1) * sizeof *r);
    double S = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = mu[i];
        r[i] = y[i] - mu[i];
        double ci = 0;
        for (size_t k = 0; k < p; k++)
            ci += cvec[k] * x[i * p + k];
        S += ci * r[i];
    }
    /* Project each row's covariates on c: the efficient score row is
     * (c'x_i) r_i. The CR2 adjustment needs the restricted hat, so
     * build a (q+1)-column design [x0 | c'x] with a bread whose leading
     * q x q block is M0 and whose last row and column are 0: then H_gg is
     * the restricted hat and u_g's last coordinate is s_g. */
    size_t pp = q + 1;
    double *xa = xmalloc((n ? n : 1) * pp * sizeof *xa);
    double *Ma = xcalloc(pp * pp, sizeof *Ma);
    for (size_t i = 0; i < n; i++) {
        memcpy(xa + i * pp, x0 + i * q, q * sizeof *xa);
        double ci = 0;
        for (size_t k = 0; k < p; k++)
            ci += cvec[k] * x[i * p + k];
        xa[i * pp + q] = ci;
    }
    for (size_t a = 0; a < q; a++)
        memcpy(Ma + a * pp, M0 + a * q, q * sizeof *Ma);
    /* meat only (bread = identity picks it out): V = E meat E with E the
     * identity is the meat itself; use a unit bread for the sandwich but
     * the restricted bread for the hat. */
    struct stats_rows d = {.n = n, .p = pp, .x = xa, .w = w, .r = r,
                           .cl1 = cl1, .cl2 = cl2};
    V = xcalloc(pp * pp, sizeof *V);
    double var = 0;
    {
        /* stats_robust_vcov uses one matrix for hat and bread; do the
         * pieces here with meat_oneway directly. */
        size_t *use = xmalloc((n ? n : 1) * sizeof *use), nuse = 0;
        for (size_t i = 0; i < n; i++)
            if (w[i] > 0 || r[i] != 0)
                use[nuse++] = i;
        int nway = cl2 ? 3 : 1;
        /* Bell-McCaffrey df of the score (CR2, one-way): the contrast is
         * the last coordinate of the augmented design. */
        struct bm_acc bm = {.lc = NULL, .S = NULL}, *bmp = NULL;
        double *lc = NULL;
        if (type == STATS_CR2 && !cl2) {
            lc = xcalloc(pp, sizeof *lc);
            lc[q] = 1;
            bm.lc = lc;
            bm.S = xcalloc(pp * pp, sizeof *bm.S);
            bmp = &bm;
        }
        for (int which = 1; which <= nway; which++) {
            memset(V, 0, pp * pp * sizeof *V);
            size_t G = meat_oneway(&d, Ma, type, which, use, nuse, V,
                                   bmp && which == 1 ? bmp : NULL);
            if (which == 1)
                out->clusters = G;
            else if (which == 2)
                out->clusters2 = G;
            double f = which == 3 ? -1 : 1;
            if (type == STATS_CR1 && G >= 2)
                f *= (double)G / (double)(G - 1);
            var += f * V[q * pp + q];
        }
        if (bmp && out->clusters >= 2)
            out->df_bm = bm_finish(&bm, Ma, pp);
        free(bm.S);
        free(lc);
        free(use);
    }
    free(xa);
    free(Ma);
    out->df = stats_robust_df(type, out->clusters, cl2 ? out->clusters2 : 0);
    if (out->clusters < 2 || (cl2 && out->clusters2 < 2)) {
        st = STATS_FEW_CLUSTERS;
        goto done;
    }
    if (!(var > 0) || !(ieff > 0) || !(out->df > 0)) {
        st = STATS_ZERO_VARIANCE;
        goto done;
    }
    out->stat = S / sqrt(var);
    out->p = fmin(1, 2 * stats_t_cdf(-fabs(out->stat), out->df));
    out->se0 = sqrt(var) / ieff;
done:
    free(x0);
    free(b0);
    free(mu);
    free(M0);
    free(w);
    free(r);
    free(V);
    free(I);
    free(cvec);
    return out->status = st;
}

double stats_mdrr(double se, double df, double conf, double power)
{
    if (!(se > 0) || !(df > 0) || !(power > 0 && power < 1))
        return 0;
    double k = stats_t_quantile(1 - (1 - conf) / 2, df) +
               stats_t_quantile(power, df);
    return exp(fmin(k * se, 700));
}

double stats_power(double rr, double se, double df, double conf)
{
    if (!(se > 0) || !(df > 0) || !(rr > 0))
        return 0;
    double q = stats_t_quantile(1 - (1 - conf) / 2, df);
    double d = fabs(log(rr)) / se;
    return stats_t_cdf(d - q, df) + stats_t_cdf(-q - d, df);
}
