/* report_adjusted.c - adjusted.csv: the adjusted comparisons (adjust.h),
 * one row per compared (column, cohort, item) with the crude and the
 * adjusted rate ratio, and the resident x evaluator interaction rows.
 * Columns (README.md, Outputs):
 *   cohort_column, cohort, reference, lexicon, category, term  as in
 *       comparisons.csv;
 *   kind               adjusted | interaction;
 *   adjusted_for       the --adjust columns in the model ("; "-separated;
 *                      the compared column itself is never one);
 *   by_column, by_cohort, by_reference   interaction rows: the
 *                      evaluator-level column, and the ratio's two
 *                      evaluator cohorts;
 *   crude_rate_ratio   comparisons.csv's rate_ratio (adjusted rows);
 *   estimate           adjusted rows: the adjusted rate ratio exp(b_cohort);
 *                      interaction rows: the ratio of rate ratios, the
 *                      cohort's ratio among by_cohort's evaluations over
 *                      the same among by_reference's;
 *   ci_low, ci_high, p  the cluster-robust Wald interval and test on
 *                      t(df);
 *   log_se, df         SE of log(estimate) and the t degrees of freedom;
 *   cluster_unit, clusters, evaluator_clusters, robust_variance  as in
 *                      comparisons.csv;
 *   parameters         coefficients in the model;
 *   note               why a value is empty.
 * Empty cells are values not estimable, never NaN or infinity. */
#include "report.h"
#include "adjust.h"

#include <math.h>
#include <string.h>

static void num(FILE *f, double v, int missing)
{
    fputc(',', f);
    if (!missing)
        fprintf(f, "%.10g", v);
}

void report_adjusted_write(FILE *f, const tally *t,
                           const struct lexicon_set *set,
                           const struct strvec *cohort_cols,
                           const struct comparisons *cmp,
                           const struct adjusted *adj)
{
    fputs("cohort_column,cohort,reference,lexicon,category,term,kind,"
          "adjusted_for,by_column,by_cohort,by_reference,crude_rate_ratio,"
          "estimate,ci_low,ci_high,p,log_se,df,cluster_unit,clusters,"
          "evaluator_clusters,robust_variance,parameters,note\r\n", f);
    for (size_t i = 0; i < adj->n; i++) {
        const struct adjusted_row *r = &adj->v[i];
        int inter = r->kind == ADJUST_INTERACTION;
        size_t g = r->item >= set->nentries
                       ? r->item - set->nentries
                       : set->entries[r->item].category;
        const struct lex_category *cat = &set->categories[g];
        report_cell_str(f, cohort_cols->v[r->col]);
        fputc(',', f);
        report_cell_str(f, tally_cohort_name(t, r->col, r->cohort));
        fputc(',', f);
        report_cell_str(f, tally_cohort_name(t, r->col, r->reference));
        fputc(',', f);
        report_cell_str(f, set->lexicons[cat->lexicon].name);
        fputc(',', f);
        report_cell_str(f, cat->name);
        fputc(',', f);
        report_cell_str(f, r->item >= set->nentries
                               ? "*" : set->entries[r->item].term);
        fputs(inter ? ",interaction," : ",adjusted,", f);
        struct buf cov;
        buf_init(&cov);
        for (size_t c = 0; c < adj->covariates.n; c++)
            if (strcmp(adj->covariates.v[c], cohort_cols->v[r->col]) != 0)
                buf_printf(&cov, "%s%s", cov.len ? "; " : "",
                           adj->covariates.v[c]);
        report_cell_str(f, buf_cstr(&cov));
        buf_fini(&cov);
        fputc(',', f);
        if (inter) {
            report_cell_str(f, cohort_cols->v[r->by_col]);
            fputc(',', f);
            report_cell_str(f, tally_cohort_name(t, r->by_col, r->by_cohort));
            fputc(',', f);
            report_cell_str(f, tally_cohort_name(t, r->by_col,
                                                 r->by_reference));
        } else {
            fputs(",,", f);
        }
        num(f, r->crude_rr, inter || r->crude_na);
        const struct stats_wald *w = &r->w;
        int na_est = (w->flags & STATS_NA_EST) != 0;
        num(f, exp(w->est), na_est);
        num(f, w->lo, (w->flags & STATS_NA_CI) != 0);
        num(f, w->hi, (w->flags & (STATS_NA_CI | STATS_INF_HI)) != 0);
        num(f, w->p, (w->flags & STATS_NA_P) != 0);
        num(f, w->se, (w->flags & STATS_NA_P) != 0);
        num(f, w->df, (w->flags & STATS_NA_P) != 0);
        fprintf(f, ",%s,", compare_unit_name(r->unit));
        if (r->clusters)
            fprintf(f, "%zu", r->clusters);
        fputc(',', f);
        if (r->unit == COMPARE_UNIT_BOTH && r->clusters2)
            fprintf(f, "%zu", r->clusters2);
        fprintf(f, ",%s,%zu,", r->type == STATS_CR1 ? "CR1" : "CR2",
                r->nparams);
        report_cell_str(f, r->note);
        fputs("\r\n", f);
    }
    (void)cmp;
}
