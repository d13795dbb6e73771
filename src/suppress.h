/* suppress.h - which cohorts of a cohort column may be published, so that
 * no suppressed cohort can be recovered by subtraction (issue 17, item 1).
 *
 * Primary suppression: a cohort with fewer than min_residents residents.
 * Complementary suppression: when a column has exactly one suppressed
 * cohort, the published totals (manifest.json, another cohort column, the
 * category total, the report's excerpt counts) minus the shown cohorts
 * would give it exactly. So a second cohort is hidden with it: "(blank)"
 * when the column has one that is not the reference, otherwise the
 * smallest other non-reference cohort (fewest residents, then words, then
 * the last in tally order); when the reference is the only other cohort,
 * the whole column is hidden. The hidden cohorts are then published only
 * as their combination (rates.csv, cohort SUPPRESS_COMBINED), which the
 * totals give anyway.
 *
 * Evaluator-level columns (by_evaluators, when the tally has evaluator
 * ids: tally_cohort_evaluators) are suppressed by distinct evaluators too
 * (--min-evaluators): a cohort needs both thresholds. Without evaluator
 * ids they are suppressed by residents only (and not compared:
 * compare.h).
 *
 * Without a resident column residents are unknown (tally_no_residents):
 * a cohort's residents cannot be counted, so the threshold is applied to
 * its evaluations instead (suppress_units) - never fewer than its
 * residents, so this suppresses no less than counting residents could;
 * the caller warns that it did.
 *
 * Pure functions over a finished tally; no I/O. */
#ifndef EVALBIAS_SUPPRESS_H
#define EVALBIAS_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "tally.h"

#define SUPPRESS_COMBINED "(suppressed cohorts, combined)"

struct suppress_options {
    unsigned min_residents;  /* default 5 */
    unsigned min_evaluators; /* default 5 */
    int by_evaluators;       /* the column is evaluator-level */
};

/* What the threshold counts: the cohort's residents, or its evaluations
 * when residents are unknown. */
uint64_t suppress_units(const struct cohort_totals *ct);

/* shown[k] = 1 for the cohorts of column c that pass the thresholds.
 * Returns the number suppressed. */
size_t suppress_primary(const tally *t, size_t c,
                        const struct suppress_options *o, uint8_t *shown);

/* After the reference ref (SIZE_MAX: none) is chosen among the shown
 * cohorts: hide a complement when exactly one cohort is hidden. Returns
 * the number of cohorts it hid (0, 1, or all the rest); *ref becomes
 * SIZE_MAX when the reference had to be hidden. */
size_t suppress_complement(const tally *t, size_t c, uint8_t *shown,
                           size_t *ref);

/* Sum of the hidden cohorts of column c (0 when none is hidden). */
void suppress_combined_totals(const tally *t, size_t c, const uint8_t *shown,
                              struct cohort_totals *ct);
struct item_counts suppress_combined_item(const tally *t, size_t c,
                                          const uint8_t *shown, size_t item);

#endif
