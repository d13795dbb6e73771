/* report_term.c - the terminal summary printed at the end of an audit:
 * rows, words, hits, and for each cohort compared with its reference the
 * categories with the strongest evidence of a difference (smallest q-value
 * of the cluster-robust test). It prints the same computed comparisons as
 * comparisons.csv; it points to the files, it does not replace them. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_TOP 5

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

static void print_family(FILE *f, const tally *t,
                         const struct lexicon_set *set, const char *colname,
                         const struct comparison *fam)
{
    const char *na = tally_cohort_name(t, fam->col, fam->cohort);
    const char *nb = tally_cohort_name(t, fam->col, fam->reference);
    const struct comparison **order =
        xmalloc((set->ncategories ? set->ncategories : 1) * sizeof *order);
    size_t n = 0;
    for (size_t g = 0; g < set->ncategories; g++) {
        const struct comparison *c = &fam[set->nentries + g];
        /* Only ratios with an interval: zero-hit cells are in the file. */
        if (!(c->cluster.flags & (STATS_NA_CI | STATS_NA_EST | STATS_INF_EST)))
            order[n++] = c;
    }
    qsort(order, n, sizeof *order, cmp_evidence);
    fprintf(f, "\n%s: %s vs %s (reference), hits per 1,000 words\n", colname,
            na, nb);
    fprintf(f, "  %-32s %8.8s %8.8s %6s  %-15s %7s\n", "category", na, nb,
            "ratio", "95% CI (robust)", "q");
    for (size_t i = 0; i < n && i < SUMMARY_TOP; i++) {
        const struct comparison *c = order[i];
        const struct lex_category *cat = &set->categories[c->item - set->nentries];
        char name[128], ci[32];
        /* The label when there is one: rates.csv carries the ids. */
        if (*cat->label)
            snprintf(name, sizeof name, "%s", cat->label);
        else
            snprintf(name, sizeof name, "%s/%s",
                     set->lexicons[cat->lexicon].name, cat->name);
        snprintf(ci, sizeof ci, "%.2f-%.2f", c->cluster.lo, c->cluster.hi);
        fprintf(f, "  %-32.32s %8.3f %8.3f %6.2f  %-15s %7.3g%s\n", name,
                c->a.rate_per_1000, c->b.rate_per_1000, c->cluster.rr, ci,
                c->q, c->q < 0.05 ? " *" : "");
    }
    if (!n)
        fputs("  (no category with hits in both cohorts)\n", f);
    free(order);
}

void report_summary(FILE *f, const struct run_info *ri, const tally *t,
                    const struct lexicon_set *set,
                    const struct strvec *cohort_cols,
                    const struct comparisons *cmp)
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

    size_t nitems = tally_nitems(t);
    for (size_t base = 0; nitems && base + nitems <= cmp->n; base += nitems)
        print_family(f, t, set, cohort_cols->v[cmp->v[base].col],
                     cmp->v + base);
    if (cmp->n)
        fputs("  (* q < 0.05: Benjamini-Hochberg over the comparison's "
              "terms and categories)\n", f);
    fprintf(f, "\nOutputs in %s/: rates.csv, comparisons.csv, excerpts.csv, "
               "manifest.json\n", ri->out_dir);
}
