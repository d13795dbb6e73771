/* report_term.c - the terminal summary printed at the end of an audit:
 * rows, words, hits, and for each cohort column the categories whose rates
 * differ most between its two largest cohorts. It reads the same tally as
 * rates.csv; it is a pointer to the files, not a replacement for them. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_TOP 5

struct diff {
    size_t category;
    double rate_a, rate_b, log_ratio;
};

static int cmp_diff(const void *a, const void *b)
{
    const struct diff *x = a, *y = b;
    double dx = fabs(x->log_ratio), dy = fabs(y->log_ratio);
    if (dx != dy)
        return dx < dy ? 1 : -1;
    return x->category < y->category ? -1 : x->category > y->category;
}

/* The two largest cohorts of column c by evaluations, "(blank)" excluded. */
static int two_largest(const tally *t, size_t c, size_t *a, size_t *b)
{
    uint64_t ea = 0, eb = 0;
    int found = 0;
    for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
        if (strcmp(tally_cohort_name(t, c, k), TALLY_BLANK) == 0)
            continue;
        struct cohort_totals ct;
        tally_cohort_totals(t, c, k, &ct);
        if (!ct.words)
            continue;
        if (found == 0 || ct.evaluations > ea) {
            *b = *a;
            eb = ea;
            *a = k;
            ea = ct.evaluations;
        } else if (found == 1 || ct.evaluations > eb) {
            *b = k;
            eb = ct.evaluations;
        }
        found++;
    }
    return found >= 2;
}

void report_summary(FILE *f, const struct run_info *ri, const tally *t,
                    const struct lexicon_set *set)
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

    struct diff *d = xmalloc((set->ncategories ? set->ncategories : 1) * sizeof *d);
    for (size_t c = 0; c < tally_ncohort_cols(t); c++) {
        size_t a = 0, b = 0;
        if (!two_largest(t, c, &a, &b))
            continue;
        struct cohort_totals ta, tb;
        tally_cohort_totals(t, c, a, &ta);
        tally_cohort_totals(t, c, b, &tb);
        size_t n = 0;
        for (size_t g = 0; g < set->ncategories; g++) {
            struct item_counts ia = tally_item(t, c, a, set->nentries + g);
            struct item_counts ib = tally_item(t, c, b, set->nentries + g);
            /* A ratio with a zero on either side says nothing useful here;
             * comparisons with intervals belong in the files. */
            if (!ia.hits || !ib.hits)
                continue;
            double ra = 1000.0 * (double)ia.hits / (double)ta.words;
            double rb = 1000.0 * (double)ib.hits / (double)tb.words;
            d[n++] = (struct diff){g, ra, rb, log(ra / rb)};
        }
        qsort(d, n, sizeof *d, cmp_diff);
        const char *na = tally_cohort_name(t, c, a);
        const char *nb = tally_cohort_name(t, c, b);
        fprintf(f, "\n%s: largest differences, hits per 1,000 words "
                   "(%s vs %s)\n", ri->cohort_cols.v[c], na, nb);
        fprintf(f, "  %-34s %10.10s %10.10s %7s\n", "category", na, nb, "ratio");
        for (size_t i = 0; i < n && i < SUMMARY_TOP; i++) {
            const struct lex_category *cat = &set->categories[d[i].category];
            char name[128];
            snprintf(name, sizeof name, "%s/%s",
                     set->lexicons[cat->lexicon].name, cat->name);
            fprintf(f, "  %-34.34s %10.3f %10.3f %7.2f\n", name, d[i].rate_a,
                    d[i].rate_b, d[i].rate_a / d[i].rate_b);
        }
        if (!n)
            fputs("  (no category with hits in both cohorts)\n", f);
    }
    free(d);
    fprintf(f, "\nOutputs in %s/: rates.csv, excerpts.csv, manifest.json\n",
            ri->out_dir);
}
