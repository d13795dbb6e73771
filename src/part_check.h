/* part_check.h - merge's guard against counting a part twice.
 *
 * Tallies are additive, so `merge pA pA` (or pA and a copy of it) would
 * double every count and still look right. Each part records the SHA-256 of
 * its own bytes (tally_part.sha256) and of every input it read; two parts
 * with the same tally hash, or sharing an input hash, are the same data
 * counted twice and are refused, naming both. Parts and inputs with no data
 * rows are exempt (two empty shards are not a double). Inputs recorded
 * without a hash (older parts that read stdin: "(stdin)") cannot be
 * compared and are not.
 *
 * Pointer arguments are borrowed; the checker copies what it keeps. */
#ifndef EVALBIAS_PART_CHECK_H
#define EVALBIAS_PART_CHECK_H

#include "diag.h"
#include "hashmap.h"
#include "tally_file.h"
#include "util.h"

struct part_check {
    struct strmap by_hash;   /* tally or input SHA-256 -> index into names */
    struct strvec names;     /* "part N (PATH)" or "part N (PATH, input NAME)" */
    size_t nparts;           /* parts added so far */
};

void part_check_init(struct part_check *pc);
void part_check_fini(struct part_check *pc);

/* Record part p. Returns 0, or -1 with err filled ("cannot merge: PART
 * and EARLIER ...") when p repeats an earlier part's tally or input. */
int part_check_add(struct part_check *pc, const struct tally_part *p,
                   struct diag *err);

#endif
