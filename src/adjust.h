/* adjust.h - adjusted comparisons (issue 17, item 6): for every compared
 * (column, cohort, item), a Poisson GLM of hits with a log-words offset,
 * the cohort indicator and the --adjust covariates, fitted by IRLS
 * (stats_glm_poisson) on the tally's fine cells, with the comparison's
 * cluster-robust variance (same unit, type and degrees-of-freedom rule as
 * compare.h); and, when a resident-level and an evaluator-level column
 * are both cohort columns, the resident x evaluator interaction: the
 * ratio of the cohort's rate ratio among one evaluator cohort's
 * evaluations to the same among the evaluator reference's.
 *
 * Covariates. A fine cell's stratum (tally.h) holds the labels of the
 * tally columns run_info.strata_cols names, joined by ADJUST_SEP; a
 * resident-level covariate is read instead from the resident's cohort in
 * its column (one label per resident). Each covariate enters as
 * indicators of its levels (the first in the tally's order is the
 * baseline; levels without words are left out). A covariate that is the
 * compared column itself is left out.
 *
 * Pure computation over a finished tally and its comparisons; no I/O.
 * Ownership: adjust_run fills a struct adjusted released by
 * adjusted_fini; pointers into the tally are borrowed. */
#ifndef EVALBIAS_ADJUST_H
#define EVALBIAS_ADJUST_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "stats_glm.h"
#include "tally.h"
#include "util.h"

#define ADJUST_SEP "\x1f"

enum adjust_kind { ADJUST_RATIO, ADJUST_INTERACTION };

struct adjusted_row {
    enum adjust_kind kind;
    size_t col, cohort, reference, item;
    /* interaction: the evaluator-level column and its cohort compared
     * with its reference */
    size_t by_col, by_cohort, by_reference;
    double crude_rr;            /* the comparison's rate ratio */
    int crude_na;               /* no crude ratio (zero hits) */
    struct stats_wald w;        /* est = log ratio; lo/hi on ratio scale */
    size_t clusters, clusters2, nparams;
    int satterthwaite;
    enum compare_unit unit;
    enum stats_robust_type type;
    char note[160];
};

struct adjusted {
    struct adjusted_row *v;
    size_t n, cap;
    struct strvec covariates;   /* names, for the output */
};

/* What the run adjusts for: run_info's adjust_cols and strata_cols, the
 * tally column names (cols) and levels (compare_options.levels). */
struct adjust_spec {
    const struct strvec *cols;
    const struct strvec *adjust_cols, *strata_cols;
    const char *const *levels;
};

/* Every written item (compare_item_written) of every compared family; the
 * interaction rows for category totals only. Returns 0 (a model that
 * cannot be fitted is a row with its status and note). */
int adjust_run(const tally *t, const struct lexicon_set *set,
               const struct comparisons *cmp, const struct adjust_spec *spec,
               struct adjusted *out);
void adjusted_fini(struct adjusted *a);

/* adjusted.csv (report_adjusted.c documents its columns). */
void report_adjusted_write(FILE *f, const tally *t,
                           const struct lexicon_set *set,
                           const struct strvec *cohort_cols,
                           const struct comparisons *cmp,
                           const struct adjusted *adj);

#endif
