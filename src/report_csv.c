/* report_csv.c - rates.csv and excerpts.csv (see report.h). */
#include "report.h"

#include <string.h>

void report_cell(FILE *f, const char *s, size_t n)
{
    int guard = n && strchr("=+-@", s[0]) != NULL;
    int quote = guard || memchr(s, ',', n) || memchr(s, '"', n) ||
                memchr(s, '\n', n) || memchr(s, '\r', n);
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    if (guard)
        fputc('\'', f);
    /* Runs between double quotes in one fwrite each; a quote is doubled by
     * starting the next run at it. */
    const char *p = s, *end = s + n, *q;
    while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
        fwrite(p, 1, (size_t)(q - p) + 1, f);
        p = q;                        /* written again: "" */
        fwrite(p, 1, 1, f);
        p++;
    }
    fwrite(p, 1, (size_t)(end - p), f);
    fputc('"', f);
}

void report_cell_str(FILE *f, const char *s)
{
    report_cell(f, s, strlen(s));
}

void report_excerpts_begin(FILE *f)
{
    fputs("evaluation_id,resident,column,lexicon,category,term,matched_text,"
          "negated,start,end,excerpt\r\n", f);
}

void report_excerpts_row(FILE *f, const struct excerpt_row *r)
{
    report_cell_str(f, r->evaluation_id);
    fputc(',', f);
    report_cell_str(f, r->resident);
    fputc(',', f);
    report_cell_str(f, r->column);
    fputc(',', f);
    report_cell_str(f, r->lexicon);
    fputc(',', f);
    report_cell_str(f, r->category);
    fputc(',', f);
    report_cell_str(f, r->term);
    fputc(',', f);
    report_cell(f, r->matched_text, r->matched_len);
    fprintf(f, ",%s,%zu,%zu,", r->negated ? "true" : "false", r->start,
            r->end);
    report_cell_str(f, r->excerpt);
    fputs("\r\n", f);
}

static void rates_row(FILE *f, const char *col, const char *cohort,
                      const char *lexicon, const char *category,
                      const char *term, const struct cohort_totals *ct,
                      struct item_counts ic)
{
    report_cell_str(f, col);
    fputc(',', f);
    report_cell_str(f, cohort);
    fputc(',', f);
    report_cell_str(f, lexicon);
    fputc(',', f);
    report_cell_str(f, category);
    fputc(',', f);
    report_cell_str(f, term);
    fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,",
            (unsigned long long)ct->evaluations,
            (unsigned long long)ct->residents, (unsigned long long)ct->words,
            (unsigned long long)ic.hits, (unsigned long long)ic.negated,
            (unsigned long long)ic.evals_with_hit);
    /* A cohort with no words has no rate: the cell stays empty rather than
     * showing a division by zero. */
    if (ct->words)
        fprintf(f, "%.4f", 1000.0 * (double)ic.hits / (double)ct->words);
    fputs("\r\n", f);
}

void report_rates_write(FILE *f, const tally *t,
                        const struct lexicon_set *set,
                        const struct strvec *cohort_cols,
                        const struct comparisons *cmp)
{
    fputs("cohort_column,cohort,lexicon,category,term,evaluations,residents,"
          "words,hits,negated_hits,evaluations_with_hit,rate_per_1000_words\r\n",
          f);
    for (size_t c = 0; c < tally_ncohort_cols(t); c++) {
        for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
            if (!compare_cohort_shown(cmp, c, k))
                continue;
            struct cohort_totals ct;
            tally_cohort_totals(t, c, k, &ct);
            const char *cohort = tally_cohort_name(t, c, k);
            for (size_t g = 0; g < set->ncategories; g++) {
                const struct lex_category *cat = &set->categories[g];
                const char *lex = set->lexicons[cat->lexicon].name;
                rates_row(f, cohort_cols->v[c], cohort, lex, cat->name, "*",
                          &ct, tally_item(t, c, k, set->nentries + g));
                for (size_t e = 0; e < set->nentries; e++)
                    if (set->entries[e].category == g)
                        rates_row(f, cohort_cols->v[c], cohort, lex,
                                  cat->name, set->entries[e].term, &ct,
                                  tally_item(t, c, k, e));
            }
        }
    }
}
