/* report_comparisons.c - comparisons.csv: each reported cohort against its
 * column's reference, per lexicon item, with every statistic compare.c
 * computed. A value that is not estimable (a ratio with zero hits in the
 * reference, an interval from a single resident) is an empty cell, never
 * NaN or infinity, and the note column says why. Columns are documented
 * in README.md (Outputs) and tests/stats/METHODS.md: robust_* use the
 * --robust variance (CR2 + t(robust_df) by default), robust_test says
 * whether robust_p is the Wald or (zero cells) the score test,
 * cluster_unit what the clusters are (resident, evaluator, or
 * resident+evaluator for --cluster both, with evaluator_clusters the
 * number of evaluators), mdrr_80 is
 * the rate ratio detectable with 80% power, prevalence_ci_* and fisher_p
 * treat evaluations as independent while robust_prevalence_* cluster
 * them, q_value is the category family's BH q (category rows) and
 * term_q_value the BH q within a significant category (term rows).
 * `finding` is true where compare_significant holds: the rows the summary
 * and report.html flag. */
#include "report.h"

#include <string.h>

static void sep(FILE *f) { fputc(',', f); }

static void num(FILE *f, double v, int missing)
{
    sep(f);
    if (!missing)
        fprintf(f, "%.10g", v); /* >= 10 significant digits: checkable */
}

static void count(FILE *f, uint64_t v)
{
    fprintf(f, ",%llu", (unsigned long long)v);
}

static void side(FILE *f, const struct compare_side *s)
{
    count(f, s->hits);
    count(f, s->words);
    sep(f);
    if (s->words)
        fprintf(f, "%.4f", s->rate_per_1000);
    count(f, s->evaluations);
    count(f, s->evals_with_hit);
    if (s->residents_unknown)
        sep(f); /* unknown without a resident column: empty, not 0 */
    else
        count(f, s->residents);
}

static void row(FILE *f, const tally *t, const struct comparisons *cmp,
                const char *col, const char *lexicon, const char *category,
                const char *term, const struct comparison *c)
{
    int is_term = strcmp(term, "*") != 0;
    report_cell_str(f, col);
    sep(f);
    report_cell_str(f, tally_cohort_name(t, c->col, c->cohort));
    sep(f);
    report_cell_str(f, tally_cohort_name(t, c->col, c->reference));
    sep(f);
    report_cell_str(f, lexicon);
    sep(f);
    report_cell_str(f, category);
    sep(f);
    report_cell_str(f, term);
    side(f, &c->a);
    side(f, &c->b);

    const struct stats_poisson *e = &c->exact;
    num(f, e->rr, e->flags & (STATS_NA_EST | STATS_INF_EST));
    num(f, e->lo, e->flags & STATS_NA_CI);
    num(f, e->hi, e->flags & (STATS_NA_CI | STATS_INF_HI));
    num(f, e->p, e->flags & STATS_NA_P);

    const struct stats_cluster *r = &c->cluster;
    num(f, r->lo, r->flags & STATS_NA_CI);
    num(f, r->hi, r->flags & (STATS_NA_CI | STATS_INF_HI));
    num(f, r->p, r->flags & STATS_NA_P);
    /* The clustering unit and its number of clusters (two-way: residents
     * in clusters, evaluators in evaluator_clusters). */
    fprintf(f, ",%zu,%s,", r->clusters,
            compare_unit_name(cmp->unit[c->col]));
    if (cmp->unit[c->col] == COMPARE_UNIT_BOTH)
        fprintf(f, "%zu", r->clusters2);
    fprintf(f, ",%s,", r->type == STATS_CR1 ? "CR1" : "CR2");
    if (r->df > 0)
        fprintf(f, "%.10g", r->df);
    fprintf(f, ",%s", (r->flags & STATS_NA_P) ? "" : r->score ? "score" : "wald");
    num(f, r->mdrr, !(r->mdrr > 0));

    const struct stats_prevalence *p = &c->prevalence;
    int empty = p->status == STATS_EMPTY || p->status == STATS_BAD_INPUT;
    num(f, p->p1, empty);
    num(f, p->p2, empty);
    num(f, p->diff, empty);
    num(f, p->lo, p->flags & STATS_NA_CI);
    num(f, p->hi, p->flags & STATS_NA_CI);
    num(f, p->p, p->flags & STATS_NA_P);
    const struct stats_riskdiff *rd = &c->prevalence_robust;
    num(f, rd->lo, rd->flags & STATS_NA_CI);
    num(f, rd->hi, rd->flags & STATS_NA_CI);
    num(f, rd->p, rd->flags & STATS_NA_P);

    num(f, c->q, is_term || (r->flags & STATS_NA_P));
    num(f, c->term_q, !is_term || !c->term_tested);
    fputs(compare_significant(cmp, c) ? ",true," : ",false,", f);
    report_cell_str(f, c->note);
    fputs("\r\n", f);
}

void report_comparisons_write(FILE *f, const tally *t,
                              const struct lexicon_set *set,
                              const struct strvec *cohort_cols,
                              const struct comparisons *cmp)
{
    fputs("cohort_column,cohort,reference,lexicon,category,term,"
          "hits,words,rate_per_1000_words,evaluations,evaluations_with_hit,"
          "residents,ref_hits,ref_words,ref_rate_per_1000_words,"
          "ref_evaluations,ref_evaluations_with_hit,ref_residents,"
          "rate_ratio,exact_ci_low,exact_ci_high,exact_p,"
          "robust_ci_low,robust_ci_high,robust_p,clusters,cluster_unit,"
          "evaluator_clusters,robust_variance,"
          "robust_df,robust_test,mdrr_80,"
          "prevalence,ref_prevalence,prevalence_diff,prevalence_ci_low,"
          "prevalence_ci_high,fisher_p,robust_prevalence_ci_low,"
          "robust_prevalence_ci_high,robust_prevalence_p,q_value,"
          "term_q_value,finding,note\r\n", f);
    /* Each (column, cohort) family's rows in rates.csv's order: per
     * category, its total, then its entries. */
    for (size_t i = 0; i < compare_nfamilies(cmp); i++) {
        const struct comparison *fam = compare_family(cmp, i);
        const char *col = cohort_cols->v[fam->col];
        for (size_t g = 0; g < set->ncategories; g++) {
            const struct lex_category *cat = &set->categories[g];
            const char *lex = set->lexicons[cat->lexicon].name;
            row(f, t, cmp, col, lex, cat->name, "*", &fam[set->nentries + g]);
            for (size_t e = 0; e < set->nentries; e++)
                if (set->entries[e].category == g &&
                    compare_item_written(t, set, fam->col, e))
                    row(f, t, cmp, col, lex, cat->name, set->entries[e].term,
                        &fam[e]);
        }
    }
}
