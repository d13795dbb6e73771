/* labels.h - one cohort label per person (resident- or evaluator-level
 * cohort columns).
 *
 * A person's rows may disagree: some blank ("" - the export left the cell
 * empty), or, rarely, a real conflict (F on some rows, M on others). The
 * engine notes each evaluation's label per person (labels_note) and, at the
 * end, asks for the person's one label (labels_choose), with this rule:
 *   - no non-blank label: blank;
 *   - one non-blank label (grouped as the tally groups labels: trimmed,
 *     ASCII case-insensitive): that label, blanks filled;
 *   - several: the most frequent (by evaluations); a tie is LABELS_CONFLICT.
 * A roster wins over all of this by giving every row the roster's label
 * before it is noted (roster.h). The counts are additive, so parts noted
 * apart and added (labels_merge, the tally file) choose as one run would.
 *
 * Memory: persons x distinct labels per person. Ownership: strings are
 * copied; labels_free releases everything. No I/O. */
#ifndef EVALBIAS_LABELS_H
#define EVALBIAS_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "tally.h"

#define LABELS_CONFLICT "(conflict)"

typedef struct labels labels;

labels *labels_new(size_t ncols);
void labels_free(labels *l);

/* person's evaluation(s) in column c carried label (NULL or blank: "") n
 * times. */
void labels_note(labels *l, size_t c, const char *person, const char *label,
                 uint64_t n);

size_t labels_npersons(const labels *l, size_t c);
const char *labels_person(const labels *l, size_t c, size_t j);
/* The labels person j was seen with (first spelling of each group, "" for
 * blank) and how many evaluations carried each. */
size_t labels_nlabels(const labels *l, size_t c, size_t j);
const char *labels_label(const labels *l, size_t c, size_t j, size_t i,
                         uint64_t *n);

enum label_how {
    LABEL_SAME,       /* every evaluation carried it (or every one blank) */
    LABEL_FILLED,     /* blanks filled from the person's other evaluations */
    LABEL_MAJORITY,   /* a real conflict, the most frequent label won */
    LABEL_TIE,        /* a real conflict without a winner: LABELS_CONFLICT */
};

/* Person j's one label by the rule above ("" for blank), and how it was
 * chosen. The pointer is valid until the next labels_note. */
const char *labels_choose(const labels *l, size_t c, size_t j,
                          enum label_how *how);

/* Give every person noted in column c one label in t (the same column
 * index): tally_relabel to labels_choose's label. Per column, counts the
 * persons whose blanks were filled (filled[c]), conflicts won by the
 * most frequent label (majority[c]) and ties (tie[c]); arrays of ncols,
 * added to. Call after the last tally_add, before tally_finish. */
void labels_apply(const labels *l, tally *t, unsigned long *filled,
                  unsigned long *majority, unsigned long *tie);

/* Add src's counts into dst (same number of columns), each person's name
 * after prefix (NULL: none; merge keeps row-number persons of different
 * parts apart this way, as tally_merge does their clusters). */
void labels_merge(labels *dst, const labels *src, const char *prefix);

#endif
