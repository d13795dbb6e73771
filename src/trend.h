/* trend.h - audits of several cycles side by side (`evalbias trend`): the
 * rates of each cycle, and whether the gap between cohorts changed from
 * the first cycle to the last.
 *
 *   tally files (one per cycle, argument order) -> common lexicon items and
 *   cohort columns -> per cycle: compare_run (the cycle's suppression), a
 *   common reference cohort, rates and robust rate ratios -> the test of
 *   change (trend_ratio_of_ratios), BH over categories -> trend.csv,
 *   trend-changes.csv, trend.html (trend_html.c)
 *
 * The test of change. For a cohort A against the reference R and one
 * category, the ratio of rate ratios RRR = (rA_L / rR_L) / (rA_F / rR_F),
 * last cycle L against first cycle F, from the saturated Poisson model of
 * the four groups with a log-words offset; its variance is the
 * cluster-robust sandwich clustered by resident across cycles (a resident
 * seen in both cycles is one cluster: pseudonymized ids line up under one
 * --id-key), of the type comparisons.csv uses (compare_options.robust):
 * by default CR2 with Bell-McCaffrey (Satterthwaite) degrees of freedom
 * when there are at least 2 hits per cluster, else t(G-2), as
 * stats_cluster_rr does for one cycle, so that a change and a cycle's
 * difference are judged by one rule (CR1 overstated significance with few
 * residents: tests/stats/METHODS.md); CR1 and t(G-1) with --robust cr1.
 * Benjamini-Hochberg q-values are taken over the categories of one
 * (column, cohort); a change is a finding when its interval excludes 1 and
 * q < 1 - confidence (compare.h's rule). "(blank)" is tested only with
 * compare_blank, as in comparisons.csv.
 *
 * Lexicons. Cycles audited with different lexicon versions are compared
 * only on the entries present in every cycle (matched by lexicon,
 * category and term); a category whose entries differ between cycles is
 * totalled over its common entries only (`partial`), so its rates can
 * differ from that cycle's rates.csv. With the same lexicons every rate
 * equals the cycle's rates.csv.
 *
 * Suppression. Each cycle suppresses as its own audit would (compare_run,
 * --min-residents): a cohort suppressed in a cycle has no row for that
 * cycle, and is tested only when shown in the first and the last cycle.
 * The combination of a cycle's hidden cohorts, which rates.csv publishes
 * ("(suppressed cohorts, combined)"), has no trend row: its members can
 * differ from cycle to cycle, so it is not one group over time.
 *
 * Rows. trend.csv has a row per cycle for every cohort shown in some
 * cycle and every category (term rows with --terms, for terms the cycle's
 * rates.csv writes in some cycle: a term without a hit in any cycle has
 * none). Its counts and rates equal the cycle's rates.csv, its rate ratio
 * and interval the cycle's comparisons.csv against the same reference.
 *
 * Ownership: trend_load fills a struct trend the caller releases with
 * trend_fini; everything in it belongs to it. Library code: no printing. */
#ifndef EVALBIAS_TREND_H
#define EVALBIAS_TREND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compare.h"
#include "diag.h"
#include "tally_file.h"

/* ------------------------------------------------- the test of change */

/* One resident's events and words in one of the four groups:
 * 0 reference first cycle, 1 cohort first, 2 reference last, 3 cohort last. */
struct trend_cell {
    uint64_t cluster;
    uint64_t y;
    double t;
    int group;
};

struct trend_change {
    double rrr, lo, hi, p;      /* ratio of rate ratios, t(df) interval */
    double log_rrr, se;         /* cluster-robust SE of log RRR */
    double df;                  /* Bell-McCaffrey, or G-2 (CR2), G-1 (CR1) */
    size_t clusters;            /* G: clusters with words */
    int satterthwaite;          /* 1 when df are Bell-McCaffrey's */
    enum stats_robust_type type;
    unsigned flags;             /* STATS_NA_* (stats.h) */
    enum stats_status status;
};

/* RRR from cells (several may share a cluster), at level conf, with the
 * variance of rb (NULL: CR2, Bell-McCaffrey df; rb->twoway is ignored).
 * Partial results as stats_cluster_rr: a group without words or without
 * events leaves everything unset (STATS_NO_EXPOSURE, STATS_NO_EVENTS);
 * fewer than 2 clusters or a zero variance leave the CI and p unset, with
 * the flags saying which. Returns out->status. */
enum stats_status trend_ratio_of_ratios(const struct trend_cell *cells,
                                        size_t n, const struct stats_robust *rb,
                                        double conf, struct trend_change *out);

/* --------------------------------------------------------------- cycles */

struct trend_cycle {
    char *label;                /* --period, else the folder's name */
    struct tally_part part;
    struct comparisons cmp;     /* the cycle's own (for suppression) */
};

/* A lexicon item present in every cycle. */
struct trend_item {
    const char *lexicon, *category, *term;  /* term "*": the category */
    size_t cat;                 /* index into trend.cats (terms: their own) */
    size_t **items;             /* per cycle: tally items summed ... */
    size_t *nitems;             /* ... and how many */
    int partial;                /* a category over its common entries only */
};

struct trend_column {
    const char *name;
    size_t *col;                /* per cycle: tally column index */
    const char *reference;      /* common reference cohort, or NULL */
    struct strvec cohorts;      /* every cohort shown in some cycle */
};

struct trend_test {
    size_t col, cat;            /* trend.cols, trend.cats */
    const char *cohort;
    struct trend_change ch;
    double q;
    char note[120];
};

struct trend {
    struct trend_cycle *cycles;
    size_t ncycles;
    struct trend_item *cats, *terms;
    size_t ncats, nterms;
    size_t cats_dropped, terms_dropped; /* items not in every cycle */
    int lexicons_differ;        /* some cycle's lexicon SHA-256 differs */
    int clusters_shared;        /* residents line up across cycles */
    struct trend_column *cols;
    size_t ncols;
    struct trend_test *tests;   /* families of ncats, one per (col, cohort) */
    size_t ntests;
    struct compare_options opt;
};

/* Read each path (an audit folder holding its tally file, a tally folder
 * or a tally file) and compute everything. Returns 0, or -1 with err
 * filled: a file that cannot be read, two cycles with one label, no
 * category or cohort column common to every cycle. */
int trend_load(struct trend *tr, const char *const *paths, size_t n,
               const struct compare_options *opt, struct diag *err);
void trend_fini(struct trend *tr);

/* The counts and rate ratio of one cohort, item and cycle; 0 when the
 * cohort is not shown in that cycle (absent or suppressed). */
struct trend_point {
    uint64_t evaluations, residents, words, hits;
    double rate;                /* per 1,000 words; valid when words > 0 */
    int is_reference, has_rr;
    struct stats_cluster rr;    /* against the column's reference */
};
int trend_point_get(const struct trend *tr, size_t cycle, size_t col,
                    const char *cohort, const struct trend_item *it,
                    struct trend_point *pt);

int trend_test_significant(const struct trend *tr, const struct trend_test *t);

/* trend.csv (the header in the issue; term "*" for category totals, term
 * rows only with terms != 0), and trend-changes.csv (the tests). */
void trend_write_csv(FILE *f, const struct trend *tr, int terms);
void trend_write_changes(FILE *f, const struct trend *tr);
/* trend.html (trend_html.c): self-contained, one small-multiple chart per
 * category and cohort column over the cycles. */
void trend_write_html(FILE *f, const struct trend *tr, const char *version);

#endif
