/* results.h - the end of a run: from a finished tally to every output
 * (rates.csv, comparisons.csv, report.html, manifest.json) and the terminal
 * summary (to a stream the command gives; nothing is printed here). `audit`
 * and `merge` both end here, so one run and a merge of shards write the
 * same files from the same computed values.
 *
 * Data flows one way: the tally is finished, compare_run computes the
 * comparisons (and decides which cohorts are suppressed), and every writer
 * reads those same values. excerpts.csv is written during the run; the
 * HTML report and the review packet read back from out_dir the rows the
 * run's excerpt index kept (a bounded selection). */
#ifndef EVALBIAS_RESULTS_H
#define EVALBIAS_RESULTS_H

#include "compare.h"
#include "diag.h"
#include "lexicon.h"
#include "outset.h"
#include "report.h"
#include "review.h"
#include "tally.h"
#include "util.h"

struct results {
    struct run_info *ri;               /* elapsed time is filled in here */
    const tally *t;                    /* finished (tally_finish) */
    const struct lexicon_set *set;
    const struct strvec *cohort_cols;  /* tally column names ("(all)" if none) */
    struct compare_options copt;
    const char *out_dir;
    FILE *summary;                     /* the terminal summary goes here, or
                                          NULL: none */
    double t0;                         /* CLOCK_MONOTONIC start, seconds */
    int excerpts;                      /* this run wrote out_dir/excerpts.csv (audit, not merge) */
    struct excerpt_index *xi;          /* the excerpts report.html and the review
                                          packet show (excerpt_file.h), or NULL */
    const struct review_options *review; /* --review-packet, or NULL */
    const char *const *written;        /* files the caller wrote in out_dir
                                          before (excerpts.csv, the tally
                                          file), named in the summary */
    size_t nwritten;
    const struct outset *os;           /* out_dir is its staging folder: the
                                          manifest lists the set's files */
    /* When set, called once every other output is written and before the
     * manifest lists the set's files: a file the caller writes meanwhile
     * (audit's tally file, on a thread of its own) is put in place here.
     * Returns 0, or -1 with err filled: then nothing more is written. */
    int (*before_manifest)(void *ctx, struct diag *err);
    void *ctx;
};

/* Writes every end-of-run output into out_dir through outfile (temporary
 * file, renamed into place). Returns 0, or -1 with err filled. */
int results_write(const struct results *r, struct diag *err);

#endif
