/* report_term.c - the terminal summary printed at the end of an audit:
 * rows, words, hits (and those set aside), and for each cohort compared
 * with its reference the categories that are findings by
 * compare_significant (at --confidence), strongest evidence first, and the
 * rate ratio it would have found with 80% power (compare_family_power), so
 * that "no finding" reads as "no finding at this size". It prints the same computed comparisons as
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
    struct compare_power pw;
    compare_family_power(cmp, set, fam, &pw);
    if (pw.n) {
        char line[400];
        int k = snprintf(line, sizeof line, "%s at this size: a rate ratio "
                         "of about %.2f (or %.2f) would have been found with "
                         "80%% power (median over %zu categories",
                         n ? "Otherwise no finding" : "No finding", pw.median,
                         1 / pw.median, pw.n);
        if (pw.n > 1 && k > 0 && (size_t)k < sizeof line)
            snprintf(line + k, sizeof line - (size_t)k, ", range %.2f-%.2f",
                     pw.min, pw.max);
        const char *rest = line;
        fputs("  ", f);
        for (int first = 1; *rest; first = 0) {
            const char *l = rest;
            size_t len = wrap_line(&rest, 76);
            fprintf(f, "%s%.*s%s", first ? "" : "  ", (int)len, l,
                    *rest ? "\n" : ").\n");
        }
    }
    free(order);
    return n;
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
    if (ri->other_referent || ri->quoted)
        fprintf(f, "          %llu hits about someone else and %llu quoted "
                   "set aside, not counted\n",
                (unsigned long long)ri->other_referent,
                (unsigned long long)ri->quoted);
    int known = tally_residents_known(t);
    if (!known)
        fputs("          residents unknown (no --resident column)\n", f);
    if (cmp->suppressed)
        fprintf(f, "          %zu cohort%s with fewer than %u %s "
                   "suppressed from every output\n", cmp->suppressed,
                cmp->suppressed == 1 ? "" : "s", cmp->opt.min_residents,
                known ? "residents" : "evaluations");

    size_t nfam = compare_nfamilies(cmp), nfind = 0;
    if (nfam)
        fprintf(f, "\nFindings: categories whose resident-level "
                   "cluster-robust %g%% interval of the\nrate ratio excludes "
                   "1 with Benjamini-Hochberg q < %g (over the comparison's\n"
                   "categories); every estimate is in "
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
        fprintf(f, "\nNo category differed between cohorts at this level: "
                   "no finding at this size,\nnot evidence of no difference "
                   "(see the detectable ratios above); see %s.\n",
                html ? "report.html" : "comparisons.csv");
    else if (nfind)
        fprintf(f, "\n%zu finding%s; see %s.\n", nfind, nfind == 1 ? "" : "s",
                html ? "report.html" : "comparisons.csv");
    fprintf(f, "\nOutputs in %s/:", ri->out_dir);
    for (size_t i = 0; i < files->n; i++)
        fprintf(f, "%s %s", i ? "," : "", files->v[i]);
    fputc('\n', f);
}
