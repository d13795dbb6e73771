/* report_term.c - the terminal summary printed at the end of an audit:
 * rows, words, hits, and for each cohort compared with its reference the
 * categories that are findings by compare_significant (at --confidence),
 * strongest evidence first. It prints the same computed comparisons as
 * comparisons.csv; it points to the files, it does not replace them. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NAME_W 32

/* The first line of *s that fits in w columns, broken at a space (a word
 * longer than w is broken inside); *s moves past it and the spaces after
 * it. Returns the line's length in bytes. Columns count UTF-8 code points. */
static size_t wrap_line(const char **s, int w)
{
    const char *p = *s, *brk = NULL;
    int cols = 0;
    while (*p && cols < w) {
        if (*p == ' ')
            brk = p;
        p++;
        while (((unsigned char)*p & 0xC0) == 0x80)
            p++;
        cols++;
    }
    if (*p && *p != ' ' && brk && brk > *s)
        p = brk;
    size_t n = (size_t)(p - *s);
    while (*p == ' ')
        p++;
    *s = p;
    return n;
}

/* Smallest q first; then the larger |log rate ratio|; then item order. */
static int cmp_evidence(const void *x, const void *y)
{
    const struct comparison *a = *(const struct comparison *const *)x;
    const struct comparison *b = *(const struct comparison *const *)y;
    if (a->q != b->q)
        return a->q < b->q ? -1 : 1;
    double la = fabs(a->cluster.log_rr), lb = fabs(b->cluster.log_rr);
    if (la != lb)
        return la > lb ? -1 : 1;
    return a->item < b->item ? -1 : a->item > b->item;
}

/* The family's categories that are findings (compare_significant), all of
 * them, strongest evidence first: the rows report.html's headline
 * findings show, and those comparisons.csv marks finding=true. */
static void print_power(FILE *f, const struct lexicon_set *set,
                        const struct comparisons *cmp,
                        const struct comparison *fam);

static size_t print_family(FILE *f, const tally *t,
                           const struct lexicon_set *set,
                           const struct comparisons *cmp, const char *colname,
                           const struct comparison *fam)
{
    const char *na = tally_cohort_name(t, fam->col, fam->cohort);
    const char *nb = tally_cohort_name(t, fam->col, fam->reference);
    const struct comparison **order =
        xmalloc((set->ncategories ? set->ncategories : 1) * sizeof *order);
    size_t n = 0;
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct comparison *c = &fam[set->nentries + g];
        if (compare_significant(cmp, c))
            order[n++] = c;
    }
    qsort(order, n, sizeof *order, cmp_evidence);
    fprintf(f, "\n%s: %s vs %s (reference), hits per 1,000 words\n", colname,
            na, nb);
    if (n) {
        char ci_head[32];
        snprintf(ci_head, sizeof ci_head, "%g%% CI (robust)",
                 100 * cmp->opt.conf);
        fprintf(f, "  %-32s %8.8s %8.8s %6s  %-15s %7s\n", "category", na, nb,
                "ratio", ci_head, "q");
    }
    for (size_t i = 0; i < n; i++) {
        const struct comparison *c = order[i];
        const struct lex_category *cat = &set->categories[c->item - set->nentries];
        char name[512], ci[32];
        /* The label when there is one: rates.csv carries the ids. */
        if (*cat->label)
            snprintf(name, sizeof name, "%s", cat->label);
        else
            snprintf(name, sizeof name, "%s/%s",
                     set->lexicons[cat->lexicon].name, cat->name);
        snprintf(ci, sizeof ci, "%.2f-%.2f", c->cluster.lo, c->cluster.hi);
        /* The whole name, wrapped in its column: never cut. */
        const char *rest = name;
        size_t len = wrap_line(&rest, NAME_W);
        fprintf(f, "  %-*.*s %8.3f %8.3f %6.2f  %-15s %7.3g\n", NAME_W,
                (int)len, name, c->a.rate_per_1000, c->b.rate_per_1000,
                c->cluster.rr, ci, c->q);
        while (*rest) {
            const char *line = rest;
            len = wrap_line(&rest, NAME_W);
            fprintf(f, "    %.*s\n", (int)len, line);
        }
    }
    if (!n)
        fputs("  (no category differs by this standard)\n", f);
    free(order);
    print_power(f, set, cmp, fam);
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Power stated (issue 17, item 7): so that "no finding" reads as "none of
 * this size", the rate ratio each category's robust test detects with 80%
 * power (compare_mdrr), as the median and range over the categories, and
 * the clusters the variance rests on. */
static void print_power(FILE *f, const struct lexicon_set *set,
                        const struct comparisons *cmp,
                        const struct comparison *fam)
{
    double *v = xmalloc((set->ncategories ? set->ncategories : 1) * sizeof *v);
    size_t m = 0, g_max = 0, g2_max = 0, nsig = 0;
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct comparison *c = &fam[set->nentries + g];
        nsig += compare_significant(cmp, c) != 0;
        double d = compare_mdrr(cmp, c);
        if (d > 1 && !compare_significant(cmp, c)) /* as report.html */
            v[m++] = d;
        if (c->cluster.clusters > g_max)
            g_max = c->cluster.clusters;
        if (c->cluster.clusters2 > g2_max)
            g2_max = c->cluster.clusters2;
    }
    enum compare_unit u = cmp->unit[fam->col];
    char clusters[96];
    if (u == COMPARE_UNIT_BOTH)
        snprintf(clusters, sizeof clusters, "%zu residents and %zu evaluators",
                 g_max, g2_max);
    else
        snprintf(clusters, sizeof clusters, "%zu %s", g_max,
                 u == COMPARE_UNIT_EVALUATOR ? "evaluators" : "residents");
    struct buf s;
    buf_init(&s);
    if (m) {
        qsort(v, m, sizeof *v, cmp_double);
        double med = m % 2 ? v[m / 2] : sqrt(v[m / 2 - 1] * v[m / 2]);
        buf_printf(&s, "Power: %so difference larger than a rate ratio of "
                   "about %.2f (or below %.2f) could have gone undetected "
                   "(80%% power",
                   nsig ? "in the other categories, n" : "N", med, 1 / med);
        if (m > 1)
            buf_printf(&s, "; median over %zu categories", m);
        if (m > 1)
            buf_printf(&s, ", range %.2f to %.2f", v[0], v[m - 1]);
        buf_printf(&s, "; clustered by %s).", clusters);
    } else {
        buf_printf(&s, "Power: not estimable (clustered by %s).", clusters);
    }
    const char *rest = buf_cstr(&s);
    while (*rest) {
        const char *line = rest;
        size_t len = wrap_line(&rest, 76);
        fprintf(f, "  %.*s\n", (int)len, line);
    }
    buf_fini(&s);
    free(v);
}

void report_summary(FILE *f, const struct run_info *ri, const tally *t,
                    const struct lexicon_set *set,
                    const struct strvec *cohort_cols,
                    const struct comparisons *cmp,
                    const struct strvec *files)
{
    fprintf(f, "evalbias: %lu rows read, %lu analysed, %lu skipped",
            ri->rows_read, ri->rows_analysed, ri->rows_skipped);
    for (size_t k = 0; k < ri->skip_reasons.n; k++)
        fprintf(f, "%s%lu %s", k ? ", " : " (", ri->skip_reason_counts[k],
                ri->skip_reasons.v[k]);
    fprintf(f, "%s\n", ri->skip_reasons.n ? ")" : "");
    fprintf(f, "          %llu words, %llu hits (+%llu negated) from %zu "
               "entries in %zu categories\n",
            (unsigned long long)ri->words, (unsigned long long)ri->hits,
            (unsigned long long)ri->negated, set->nentries,
            set->ncategories);
    if (cmp->suppressed)
        fprintf(f, "          %zu cohort%s with fewer than %u residents "
                   "suppressed from every output\n", cmp->suppressed,
                cmp->suppressed == 1 ? "" : "s", cmp->opt.min_residents);

    size_t nfam = compare_nfamilies(cmp), nfind = 0;
    if (nfam)
        fprintf(f, "\nFindings: categories whose resident-level "
                   "cluster-robust %g%% interval of the\nrate ratio excludes "
                   "1 with Benjamini-Hochberg q < %g (over the comparison's\n"
                   "terms and categories); every estimate is in "
                   "comparisons.csv and report.html.\n",
                100 * cmp->opt.conf, compare_alpha(cmp));
    for (size_t i = 0; i < nfam; i++) {
        const struct comparison *fam = compare_family(cmp, i);
        nfind += print_family(f, t, set, cmp, cohort_cols->v[fam->col], fam);
    }
    /* The answer in one plain sentence, and where to read on. */
    int html = 0;
    for (size_t i = 0; i < files->n; i++)
        html |= strcmp(files->v[i], "report.html") == 0;
    if (nfam && !nfind)
        fputs("\nNo category differed between cohorts at this level.\n", f);
    else if (nfind)
        fprintf(f, "\n%zu finding%s; see %s.\n", nfind, nfind == 1 ? "" : "s",
                html ? "report.html" : "comparisons.csv");
    fprintf(f, "\nOutputs in %s/:", ri->out_dir);
    for (size_t i = 0; i < files->n; i++)
        fprintf(f, "%s %s", i ? "," : "", files->v[i]);
    fputc('\n', f);
}
