/* tally.h - counts per cohort x resident x lexicon item (fifth stage).
 *
 * An "item" is either a lexicon entry (0 .. nentries-1) or a category total
 * (nentries + category index). For every cohort column the tally keeps:
 *   - per cohort value: evaluations, words, distinct residents, and for each
 *     item hits, negated hits and evaluations with at least one (non-negated)
 *     hit;
 *   - per (cohort value, resident) cell: evaluations, words and the item
 *     counts, sparse - the resident-level data the cluster-robust statistics
 *     need.
 * Memory grows with cohorts x items and with residents x items that have
 * hits, never with the number of rows. Cohort labels are trimmed and grouped
 * case-insensitively; the first spelling seen is the one shown; a blank value
 * is the cohort "(blank)".
 *
 * The tally does no I/O. Ownership: tally_new returns a tally the caller
 * frees with tally_free; strings passed in are copied. */
#ifndef EVALBIAS_TALLY_H
#define EVALBIAS_TALLY_H

#include <stddef.h>
#include <stdint.h>

#define TALLY_BLANK "(blank)"

struct item_counts {
    uint64_t hits;            /* counted hits: about the resident, not
                                 negated */
    uint64_t negated;         /* negated hits about the resident */
    uint64_t evals_with_hit;  /* evaluations with >= 1 counted hit */
    uint64_t other_referent;  /* hits describing someone else (referent.h) */
    uint64_t quoted;          /* hits in quotation or reported speech */
};

/* One analysed evaluation: its cohort labels, resident, words, and hits.
 * A hit is counted in exactly one of hits, negated, other_referent, quoted:
 * aside (enum referent_kind) first, then negated. */
struct tally_hit {
    uint32_t entry;
    uint8_t negated;
    uint8_t aside;            /* 0 counted or negated; 1 other; 2 quoted */
};

struct tally_eval {
    const char *const *cohorts; /* one label per cohort column (raw) */
    const char *resident;       /* the cluster id */
    uint64_t words;
    const struct tally_hit *hits;
    size_t nhits;
    const char *evaluator;      /* the evaluator id (fine cells only) */
    const char *stratum;        /* covariate stratum (fine cells only) */
};

typedef struct tally tally;

/* entry_category[e] is the category of entry e. Both arrays are copied. */
tally *tally_new(size_t ncohort_cols, size_t nentries,
                 const uint32_t *entry_category, size_t ncategories);
void tally_free(tally *t);

void tally_add(tally *t, const struct tally_eval *ev);

/* Without a resident column (issues 17, 18) residents are unknown: call
 * before the first tally_add, and tally_eval.resident is ignored - each
 * cohort keeps one anonymous cell (resident "") holding all its
 * evaluations, so memory stays flat in rows, and cohort_totals.residents is
 * 0 with residents_unknown set. Cells put or merged into such a tally
 * collapse the same way; merging one into a fresh tally makes it one too. */
void tally_no_residents(tally *t);
int tally_residents_known(const tally *t);

/* One part of an evaluation that arrives in parts (a long export: one row
 * per answer), adjacent to its other parts or not. eval numbers the
 * evaluation (the caller's, 0, 1, ...); first is set for its first part,
 * which alone counts the evaluation; every part adds its words and hits,
 * and "evaluations with a hit" counts the evaluation once per item across
 * its parts. Every part must carry the same cohorts and resident. The
 * tally remembers, per evaluation, the items it has hit: memory grows with
 * evaluations, never with rows. */
void tally_add_part(tally *t, const struct tally_eval *ev, uint64_t eval,
                    int first);

/* One label per person: move every cell of resident in cohort column c
 * into the cohort of label (grouped as tally_add groups labels), with its
 * evaluations, words and counts; the cohorts' totals follow. Exact, since
 * a cohort's counts are the sum of its cells'. A cohort left with no cell
 * drops out of the sorted cohorts at tally_finish. Returns 1 when a cell
 * moved, 0 when the resident was already all there (or is unknown). */
int tally_relabel(tally *t, size_t c, const char *resident, const char *label);

/* Sort cohorts and cells for output. Call once after the last tally_add;
 * the accessors below are valid only after it. */
void tally_finish(tally *t);

size_t tally_nitems(const tally *t);          /* nentries + ncategories */
size_t tally_ncohort_cols(const tally *t);

/* Cohorts of column c, in sorted order of their display names (byte order,
 * "(blank)" last), so outputs are deterministic whatever the input order. */
size_t tally_ncohorts(const tally *t, size_t c);
const char *tally_cohort_name(const tally *t, size_t c, size_t k);

struct cohort_totals {
    uint64_t evaluations, words, residents;
    uint8_t residents_unknown;  /* tally_no_residents: residents is 0 */
};
void tally_cohort_totals(const tally *t, size_t c, size_t k,
                         struct cohort_totals *out);
/* Counts of item i in cohort k of column c (zeros if none). */
struct item_counts tally_item(const tally *t, size_t c, size_t k, size_t i);

/* Resident-level cells of cohort k of column c (sorted by resident name). */
size_t tally_ncells(const tally *t, size_t c, size_t k);
const char *tally_cell_resident(const tally *t, size_t c, size_t k,
                                size_t j);
void tally_cell_totals(const tally *t, size_t c, size_t k, size_t j,
                       uint64_t *evaluations, uint64_t *words);
struct item_counts tally_cell_item(const tally *t, size_t c, size_t k,
                                   size_t j, size_t i);
/* The items cell j has counts stored for (some may be all zero, after
 * tally_relabel), ascending, into out (room for tally_nitems); returns
 * how many. Every other item of the cell is zero. A non-NULL counts (room
 * for tally_nitems) gets counts[x] = tally_cell_item(..., out[x]), found
 * without a lookup each. */
size_t tally_cell_items(const tally *t, size_t c, size_t k, size_t j,
                        size_t *out, struct item_counts *counts);

/* ------------------------------------------------------------ fine cells
 *
 * Evaluator-level cohorts are clustered by evaluator, two-way clustering
 * needs both ids of every observation, and adjusted comparisons need each
 * observation's covariates (issue 17). Resident cells have none of these,
 * so a tally may also keep fine cells: per (cohort, resident, evaluator,
 * stratum), the evaluations, words and item counts, where the stratum is
 * an opaque key of the evaluation's covariate labels (compare.c decodes
 * it). They are kept beside the resident cells (each resident cell is the
 * sum of its fine cells), follow tally_relabel, merge and tally_check, and
 * cost memory only with the distinct (resident, evaluator, stratum)
 * triples, never with rows. */

/* Keep fine cells (before the first tally_add); tally_eval.evaluator and
 * .stratum are then read (NULL is ""). */
void tally_keep_fine(tally *t);
/* 1 when every evaluation of t is in a fine cell: kept from the start,
 * and every merged part had them. */
int tally_has_fine(const tally *t);

size_t tally_nfine(const tally *t, size_t c, size_t k);
/* Fine cell j of cohort k of column c (sorted by resident, evaluator,
 * stratum). */
struct tally_fine {
    const char *resident, *evaluator, *stratum;
    uint64_t evaluations, words;
};
void tally_fine_cell(const tally *t, size_t c, size_t k, size_t j,
                     struct tally_fine *out);
struct item_counts tally_fine_item(const tally *t, size_t c, size_t k,
                                   size_t j, size_t i);
/* As tally_cell_items, for fine cell j. */
size_t tally_fine_items(const tally *t, size_t c, size_t k, size_t j,
                        size_t *out, struct item_counts *counts);
/* Distinct evaluators of cohort k of column c (from its fine cells; 0
 * without them). */
size_t tally_cohort_evaluators(const tally *t, size_t c, size_t k);
/* The sorted index of the cohort of column c that label belongs to
 * (grouped as tally_add groups), or SIZE_MAX. After tally_finish. */
size_t tally_find_cohort(const tally *t, size_t c, const char *label);

/* Building fine cells from counts (tally files): the cell, created when
 * new (and marks the tally as keeping fine cells). */
size_t tally_put_fine(tally *t, size_t c, size_t k, const char *resident,
                      const char *evaluator, const char *stratum);
void tally_add_fine(tally *t, size_t fine, uint64_t evaluations,
                    uint64_t words);
void tally_add_fine_item(tally *t, size_t fine, size_t item,
                         const struct item_counts *n);

/* ------------------------------------------------ merging (tally_file.h)
 *
 * Tallies are additive: every count is a sum over evaluations, and each
 * evaluation is in exactly one tally, so adding two tallies cell by cell
 * gives exactly the tally of both inputs. These build a tally from counts
 * (a tally file) and add one tally into another (shards, threads). They
 * may be called before or after tally_finish; call tally_finish again
 * before reading the result. */

/* The cohort of column c for label, grouped as tally_add groups it
 * (trimmed, ASCII case-insensitive, blank -> "(blank)"). A new cohort takes
 * this spelling; an existing one keeps the first spelling it was given, so
 * adding parts in input order shows the same spelling as one run. Returns
 * an index for the two functions below (insertion order, not sorted). */
size_t tally_put_cohort(tally *t, size_t c, const char *label);
void tally_add_cohort(tally *t, size_t c, size_t k, uint64_t evaluations,
                      uint64_t words);
void tally_add_cohort_item(tally *t, size_t c, size_t k, size_t item,
                           const struct item_counts *n);

/* The (cohort, resident) cell, created when new. Returns a cell index for
 * the two functions below. */
size_t tally_put_cell(tally *t, size_t c, size_t k, const char *resident);
void tally_add_cell(tally *t, size_t cell, uint64_t evaluations,
                    uint64_t words);
void tally_add_cell_item(tally *t, size_t cell, size_t item,
                         const struct item_counts *n);

/* 1 when an addition into t did not fit in 64 bits: t's counts are then
 * wrong (saturated) and must not be written. No count wraps: every add is
 * checked, except tally_add's while the sum of words + hits + 1 over the
 * evaluations it has counted fits in 64 bits and no count came from
 * elsewhere (then no count can reach 2^64). */
int tally_overflowed(const tally *t);

/* Add every count of src into dst. Both must have the same cohort columns
 * and items (returns -1 and changes nothing otherwise; 0 on success; -2
 * when a sum did not fit in 64 bits: dst is then unusable).
 * Cohorts of src are visited in the order src first saw them, so merging
 * parts in input order keeps each label's first spelling. A non-NULL
 * cluster_prefix is put before src's resident names (for parts whose
 * clusters are row numbers, which would collide across parts). */
int tally_merge(tally *dst, const tally *src, const char *cluster_prefix);

/* Check that t is a tally tally_add could have made: per cohort, the
 * residents' cells add up to the cohort's evaluations, words and item
 * counts, and no item has more evaluations with a hit than evaluations or
 * hits. Returns 0, or -1 with a message in msg (size n). */
int tally_check(const tally *t, char *msg, size_t n);

#endif
