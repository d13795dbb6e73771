/* compare.h - per-cohort comparisons computed from a finished tally (the
 * statistics stage between tally and reports).
 *
 * For every cohort column, each reported cohort is compared with that
 * column's reference cohort (--reference VALUE, by default the cohort with
 * the most residents, "(blank)" never), per lexicon item: every entry and
 * every category total. Each comparison carries the exact Poisson rate ratio,
 * the cluster-robust rate ratio, clustered by the column's unit (enum
 * compare_unit: resident, evaluator, or both; CR2, Bell-McCaffrey df; a robust
 * score test when a cohort has no hits), the prevalence difference with
 * Fisher's test (per evaluation) and with a cluster-robust variance, and
 * hierarchical Benjamini-Hochberg q-values (categories, then terms within
 * significant categories) within one (column, cohort) comparison.
 *
 * Suppression (suppress.h): a cohort with fewer than min_residents
 * residents is not reported anywhere: it is not compared, has no
 * comparison rows, and may not be the reference; when it is the only one
 * of its column, a complement ("(blank)", or the smallest other
 * non-reference cohort) is hidden with it, and the hidden cohorts are
 * published only as their combination (rates.csv). `suppressed` counts
 * all hidden cohorts. Reports must take cohort lists from here
 * (compare_cohort_shown), never from the tally, so a suppressed cohort
 * cannot leak into a chart axis or a filter.
 *
 * "(blank)" is tallied and shown in rates.csv but not compared (it is not
 * a group) unless compare_blank; it is never the default reference. With
 * no reference named, the column's reference is the shown non-blank cohort
 * with the most residents, and a warning (opt->warn) names it.
 *
 * Ownership: compare_run fills a struct comparisons the caller releases with
 * comparisons_fini. Pointers into the tally and set are borrowed. */
#ifndef EVALBIAS_COMPARE_H
#define EVALBIAS_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lexicon.h"
#include "stats.h"
#include "tally.h"

/* The clustering unit of a column's comparisons (issue 17): a
 * resident-level or evaluation-level column clusters by resident, an
 * evaluator-level column by evaluator; --cluster both clusters every
 * column two-way by resident and evaluator. */
enum compare_unit {
    COMPARE_UNIT_RESIDENT,
    COMPARE_UNIT_EVALUATOR,
    COMPARE_UNIT_BOTH
};
const char *compare_unit_name(enum compare_unit u);

struct compare_options {
    double conf;                /* confidence level, default 0.95 */
    unsigned min_residents;     /* suppression threshold, default 5 */
    const char *reference;      /* cohort label (after mapping), or NULL */
    const char *const *column_names; /* per tally column, for messages */
    struct stats_robust robust; /* CR2 one-way by default (--robust cr1) */
    unsigned min_evaluators;    /* --min-evaluators (suppress.h: a hook) */
    int compare_blank;          /* --compare-blank: compare "(blank)" too */
    struct diags *warn;         /* borrowed: warnings (the reference chosen
                                 * when none was named), or NULL */
    /* Per tally column, its level ("resident", "evaluator",
     * "evaluation"; run_info.cohort_levels), or NULL: all resident. */
    const char *const *levels;
    /* The tally's cells are residents (a resident column; default 1).
     * Without it, and without evaluator ids (tally_has_fine) for
     * evaluator-level columns or --cluster both, a column is not compared
     * (its rates still are) and a warning names the option. */
    int have_resident;
    /* The tally's fine cells carry evaluator ids (an evaluator column;
     * default 0). */
    int have_evaluator;
};

/* One side of a comparison: a cohort's counts of one item. */
struct compare_side {
    uint64_t hits, negated, words, evaluations, evals_with_hit, residents;
    uint8_t residents_unknown;  /* no resident column: residents is 0 */
    double rate_per_1000;       /* 0 when words == 0 (see note) */
};

struct comparison {
    size_t col;                 /* cohort column */
    size_t cohort, reference;   /* cohort indexes in tally order */
    size_t item;                /* entry, or nentries + category */
    struct compare_side a, b;   /* a = cohort, b = reference */
    struct stats_poisson exact;
    struct stats_cluster cluster;
    struct stats_prevalence prevalence;     /* per evaluation: ignores
                                             * clustering (labelled so) */
    struct stats_riskdiff prevalence_robust; /* cluster-robust */
    /* Hierarchical FDR (Yekutieli 2008): category totals are the primary
     * family of one (column, cohort) comparison, BH across categories;
     * a category's terms are tested only when its q <= alpha (1 - conf),
     * BH within the category. q is what decides a finding: the category
     * q for a category row, term_q for a tested term, 1 for an untested
     * term (term_tested 0). */
    double q;
    double term_q;              /* BH within the category; 1 if untested */
    int term_tested;
    char note[160];             /* "" or e.g. "zero hits in both cohorts" */
};

struct comparisons {
    struct comparison *v;       /* families of nitems rows: one family per
                                   compared (column, cohort), in item order */
    size_t n, cap;
    size_t nitems;              /* items per family (tally_nitems) */
    /* per cohort column (tally order): which cohorts are shown */
    size_t ncols;
    uint8_t **shown;            /* shown[col][cohort] */
    size_t *reference;          /* reference cohort per column, or SIZE_MAX */
    size_t suppressed;          /* cohorts hidden by min_residents */
    enum compare_unit *unit;    /* per column: how its rows are clustered */
    const char **missing;       /* per column: NULL, or the option naming
                                   the id column it lacks (not compared) */
    struct compare_options opt;
};

void compare_options_default(struct compare_options *o);

/* --min-residents and --confidence, shared by audit and merge: set o from
 * the option's text; NULL, or the usage message when v is not valid. */
/* Set the statistics option `name` (a long option name without "--":
 * reference, compare-blank, min-residents, min-evaluators, confidence,
 * robust, cluster) from v (NULL for compare-blank), the one parser audit,
 * merge and trend share. Returns NULL, or a usage message. */
const char *compare_set_option(struct compare_options *o, const char *name,
                               const char *v);
const char *compare_set_min_residents(struct compare_options *o, const char *v);
const char *compare_set_confidence(struct compare_options *o, const char *v);
/* --robust cr2|cr1 (variance type) and --cluster resident|both (two-way
 * needs an evaluator id per observation: struct stats_cell.cluster2). */
const char *compare_set_robust(struct compare_options *o, const char *v);
/* --cluster unit|both and --min-evaluators N. */
const char *compare_set_cluster(struct compare_options *o, const char *v);
const char *compare_set_min_evaluators(struct compare_options *o,
                                       const char *v);

/* Returns 0, or -1 with err filled (e.g. --reference names no cohort). */
int compare_run(const tally *t, const struct lexicon_set *set,
                const struct compare_options *opt, struct comparisons *out,
                struct diag *err);

int compare_cohort_shown(const struct comparisons *c, size_t col,
                         size_t cohort);

/* The one significance rule every output follows. A comparison is a
 * finding when its resident-level cluster-robust interval (at the run's
 * confidence level) excludes 1 and its Benjamini-Hochberg q-value is below
 * alpha = 1 - confidence. comparisons.csv's `finding` column, the terminal
 * summary and report.html all call this, so they flag the same rows. */
int compare_significant(const struct comparisons *cmp,
                        const struct comparison *c);
double compare_alpha(const struct comparisons *cmp);

/* Minimum detectable rate ratio: the rate ratio (> 1; its inverse below
 * 1) the resident-level robust test at the run's alpha detects with 80%
 * power, exp((t_{1-alpha/2} + t_{0.8}) * se) on G-1 degrees of freedom,
 * from the comparison's cluster-robust SE of log RR. 0 when there is no
 * SE (no hits in a cohort, fewer than two residents). It is what a "no
 * difference" can be read against: "no difference larger than RR X could
 * have been missed (80% power)". */
double compare_mdrr(const struct comparisons *cmp, const struct comparison *c);

/* The detectable ratios of a family's category totals that are not
 * findings (and have one): how many, their median (the geometric mean of
 * the middle two when even) and range. What the report's paragraph and the
 * terminal summary state per comparison: "no finding at this size". */
struct compare_power {
    size_t n;
    double median, min, max;
};
void compare_family_power(const struct comparisons *cmp,
                          const struct lexicon_set *set,
                          const struct comparison *fam,
                          struct compare_power *out);

/* The families: compare_nfamilies of them, each nitems rows (entries, then
 * category totals: item nentries + g), one per compared (column, cohort). */
size_t compare_nfamilies(const struct comparisons *cmp);
const struct comparison *compare_family(const struct comparisons *cmp,
                                        size_t i);
/* Item of the family comparing cohort with its reference in column col,
 * or NULL when that cohort is not compared. */
const struct comparison *compare_find(const struct comparisons *cmp,
                                      size_t col, size_t cohort, size_t item);
/* Whether the term row of item i of column c is written (rates.csv,
 * comparisons.csv): when any cohort of the column, shown or not, has a hit
 * of it (counted, negated or set aside). Category totals are always
 * written. */
int compare_item_written(const tally *t, const struct lexicon_set *set,
                         size_t c, size_t i);

void comparisons_fini(struct comparisons *c);

#endif
