/* verdicts.h - a committee's verdicts read back (`evalbias review import`):
 * the review key (review.h) joined with the verdict files the packets'
 * pages download (verdicts-PACKETID-RN.csv:
 * packet_id,reviewer,item_id,verdict,comment; a filled-in review.csv reads
 * the same), and what they tell:
 *
 *   term-precision.csv   per lexicon, category and term (an item counts for
 *                        every term of its span): items, judged, biased,
 *                        not_biased, unsure, precision = biased / (biased +
 *                        not_biased) with a 95% Wilson interval; "unsure"
 *                        stays out of precision. %.10g.
 *   agreement.csv        Cohen's kappa for each reviewer pair over the items
 *                        both judged, Fleiss' kappa over the items every
 *                        reviewer judged (the overlap); three categories,
 *                        unsure included; with counts. %.12g.
 *   items.csv            each item's verdict, its judgement counts and the
 *                        reviewers' comments (the only place comments go)
 *   lexicon-candidates.csv  per lexicon, category and term, the masked
 *                        sentences of items judged not biased and their
 *                        count: material for guards and nomatch examples
 *                        (evaluation text: not for a lexicon repository)
 *   weighted-rates.csv   with an audit folder: its rates.csv with each
 *                        term's hits and rate times the term's precision
 *                        (and its interval), labelled precision-weighted;
 *                        category rows sum the judged terms
 *   confirmed/rates.csv, confirmed/comparisons.csv  with an audit folder,
 *                        when every excerpt has a verdict and the key
 *                        lists every counted hit of the audit: its rates
 *                        and comparisons counting only hits judged
 *                        "biased" (confirmed.h)
 *
 * An item's verdict is the most common non-empty judgement; a tie goes to
 * the judgement from the earliest file. A reviewer is a packet (its
 * reviewer slot, R1 ...): a second judgement of one item by one packet is
 * reported (duplicate when equal, conflicting when not) and the later file
 * wins. A file whose packet id the key does not know is an error. No
 * output names a resident or an evaluator: only item ids, lexicon terms
 * and the masked sentences of the key.
 *
 * Ownership: verdicts_new / verdicts_free. Library code: never prints;
 * warnings go to a struct diags. */
#ifndef EVALBIAS_VERDICTS_H
#define EVALBIAS_VERDICTS_H

#include <stddef.h>

#include "diag.h"

typedef struct verdicts verdicts;

enum verdict { V_NONE = -1, V_BIASED = 0, V_NOT_BIASED = 1, V_UNSURE = 2 };

verdicts *verdicts_new(void);
void verdicts_free(verdicts *v);

/* Read the review key (review.h's columns). Returns 0, or -1 with err. */
int verdicts_load_key(verdicts *v, const char *path, struct diag *err);

/* Add one verdict file, in the order given (the order breaks ties).
 * Returns 0, or -1 with err filled (unknown packet id, unknown item, a
 * verdict that is not biased / not_biased / unsure / empty; file, row and
 * column named). Duplicates and conflicts go to warn. */
int verdicts_add_file(verdicts *v, const char *path, struct diags *warn,
                      struct diag *err);

/* Write the outputs above into out_dir (through outfile, mode 0600);
 * audit_dir, when not NULL, is an audit's output folder (its rates.csv,
 * its tally file); confirmed/'s comparison warnings go to warn.
 * Returns 0, or -1 with err. */
int verdicts_write(verdicts *v, const char *out_dir, const char *audit_dir,
                   struct diags *warn, struct diag *err);

/* After verdicts_write with an audit folder: NULL when confirmed/ was
 * written, else why not (a sentence without a final period). */
const char *verdicts_confirmed_note(const verdicts *v);

/* Counts for the command's summary. */
size_t verdicts_items(const verdicts *v);
size_t verdicts_judged(const verdicts *v);
size_t verdicts_reviewers(const verdicts *v);

/* ----------------------------------------------- statistics, for tests */

/* Cohen's kappa of two raters over n items, categories 0..k-1 (k <= 8);
 * po and pe (observed and chance agreement) when not NULL. NaN when pe ==
 * 1. */
double verdicts_cohen_kappa(const int *a, const int *b, size_t n, int k,
                            double *po, double *pe);
/* Fleiss' kappa: counts[i*k + j] raters putting item i in category j,
 * every item rated by the same number m >= 2 of raters. */
double verdicts_fleiss_kappa(const int *counts, size_t n, int k, double *po,
                             double *pe);
/* The Wilson score interval for x successes in n at z (1.959963984540054
 * for 95%). */
void verdicts_wilson(double x, double n, double z, double *lo, double *hi);

/* The HTML "Committee review" section of report.html from an import's
 * output folder (term-precision.csv, agreement.csv), to f. Returns 0, or
 * -1 with err (a missing or malformed file). */
#include <stdio.h>
int verdicts_report_section(FILE *f, const char *dir, struct diag *err);
/* 0 when dir holds an import's term-precision.csv and agreement.csv; -1
 * with err otherwise (checked before an audit starts). */
int verdicts_check_dir(const char *dir, struct diag *err);

#endif
