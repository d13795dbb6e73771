/* confirmed.h - rates counting only the hits a committee confirmed
 * (`evalbias review import --audit DIR`, issue 20 item 5).
 *
 * The audit's tally file (DIR/tally.evalbias, per-person labels applied as
 * merge applies them) is copied into a second tally with the same cohorts,
 * residents, evaluations and words, from which every counted hit the
 * committee did not judge "biased" (not_biased or unsure) is taken out: of
 * its term, of its category total, of its cohort and of its resident's
 * cell; an evaluation no longer "has a hit" of an item when none of its
 * hits of that item was confirmed. compare_run then gives the rates and
 * comparisons of that tally, written with the audit's own writers
 * (suppression as usual) to OUT/confirmed/rates.csv and comparisons.csv.
 *
 * This is exact only when the key lists every counted hit of the audit:
 * the key's counted hits (not negated, not about someone else, not quoted)
 * of each term must equal the tally's. A packet capped at
 * REVIEW_MAX_EXCERPTS, a key of another audit or an excerpt never judged
 * means no confirmed/ is written, and why is said (the caller points to
 * the precision-weighted rates instead).
 *
 * Evaluator-level comparisons need each hit's evaluator, which the key
 * does not hold: the confirmed tally keeps resident cells only, so such a
 * column's rates are written and its comparisons are not (compare.h).
 *
 * Library code: never prints. */
#ifndef EVALBIAS_CONFIRMED_H
#define EVALBIAS_CONFIRMED_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

/* One key row: one hit of one lexicon entry in one span, once. */
struct confirmed_hit {
    const char *evaluation, *resident;
    const char *lexicon, *category, *term;
    const char *const *cohorts;  /* one per name in cohort_names */
    int counted;                 /* not negated, not an aside */
    int confirmed;               /* its item's verdict is "biased" */
};

/* Write out_dir/confirmed/{rates,comparisons}.csv from the audit folder
 * audit_dir and the key's hits (cohort_names: the key's cohort:NAME
 * columns, NAME only). The comparisons' warnings (the reference chosen, a
 * column not compared) go to warn. Returns 0 when written; 1 when not, with why
 * (size nwhy) saying why; -1 with err on a read or write error. */
int confirmed_write(const char *audit_dir, const char *out_dir,
                    const struct confirmed_hit *hits, size_t nhits,
                    const struct strvec *cohort_names, char *why,
                    size_t nwhy, struct diags *warn, struct diag *err);

#endif
