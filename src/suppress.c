/* suppress.c - primary and complementary cell suppression (suppress.h). */
#include "suppress.h"

#include <string.h>

uint64_t suppress_units(const struct cohort_totals *ct)
{
    return ct->residents_unknown ? ct->evaluations : ct->residents;
}

size_t suppress_primary(const tally *t, size_t c,
                        const struct suppress_options *o, uint8_t *shown)
{
    size_t n = tally_ncohorts(t, c), hidden = 0;
    for (size_t k = 0; k < n; k++) {
        struct cohort_totals ct;
        tally_cohort_totals(t, c, k, &ct);
        /* An evaluator-level column (a label that belongs to the
         * evaluator) is suppressed by its distinct evaluators as well:
         * one evaluator's cohort would show that evaluator's comments. */
        shown[k] = suppress_units(&ct) >= o->min_residents &&
                   (!o->by_evaluators ||
                    tally_cohort_evaluators(t, c, k) >= o->min_evaluators);
        hidden += !shown[k];
    }
    return hidden;
}

size_t suppress_complement(const tally *t, size_t c, uint8_t *shown,
                           size_t *ref)
{
    size_t n = tally_ncohorts(t, c), hidden = 0, pick = SIZE_MAX;
    for (size_t k = 0; k < n; k++)
        hidden += !shown[k];
    if (hidden != 1)
        return 0; /* none hidden, or already a combination of several */
    struct cohort_totals best = {0};
    for (size_t k = 0; k < n; k++) {
        if (!shown[k] || k == *ref)
            continue;
        if (strcmp(tally_cohort_name(t, c, k), TALLY_BLANK) == 0) {
            pick = k; /* "(blank)" first: it is not a group anyway */
            break;
        }
        struct cohort_totals ct;
        tally_cohort_totals(t, c, k, &ct);
        uint64_t u = suppress_units(&ct), bu = suppress_units(&best);
        if (pick == SIZE_MAX || u < bu || (u == bu && ct.words <= best.words)) {
            pick = k;
            best = ct;
        }
    }
    if (pick != SIZE_MAX) {
        shown[pick] = 0;
        return 1;
    }
    /* Only the reference is left: it alone would give the hidden cohort
     * as total minus reference. Hide the column. */
    size_t more = 0;
    for (size_t k = 0; k < n; k++)
        if (shown[k]) {
            shown[k] = 0;
            more++;
        }
    *ref = SIZE_MAX;
    return more;
}

void suppress_combined_totals(const tally *t, size_t c, const uint8_t *shown,
                              struct cohort_totals *ct)
{
    memset(ct, 0, sizeof *ct);
    for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
        if (shown[k])
            continue;
        struct cohort_totals x;
        tally_cohort_totals(t, c, k, &x);
        ct->evaluations += x.evaluations;
        ct->words += x.words;
        ct->residents += x.residents;
        ct->residents_unknown |= x.residents_unknown;
    }
}

struct item_counts suppress_combined_item(const tally *t, size_t c,
                                          const uint8_t *shown, size_t item)
{
    struct item_counts s = {0};
    for (size_t k = 0; k < tally_ncohorts(t, c); k++) {
        if (shown[k])
            continue;
        struct item_counts x = tally_item(t, c, k, item);
        s.hits += x.hits;
        s.negated += x.negated;
        s.evals_with_hit += x.evals_with_hit;
        s.other_referent += x.other_referent;
        s.quoted += x.quoted;
    }
    return s;
}
