/* tally.c - see tally.h.
 *
 * Layout: each cohort column has an array of cohorts; each cohort a dense
 * array of item counts (cohorts x items is small) and a list of cells. Cell
 * item counts are sparse: one u64map keyed by cell * nitems + item holds an
 * index into one growing array of counts.
 *
 * tally_add runs once per evaluation, so it avoids lookups where it can
 * (issue 21): an evaluation's hits are summed per item first; a column
 * remembers its labels as given; per (resident, evaluator, stratum) the
 * fine cell of each column last used, per fine cell its cell, and per fine
 * cell's counts slot the cell's slot of the same item are kept; and its
 * adds go unchecked while no count can reach 2^64 (add_eval). */
#include "tally.h"
#include "hashmap.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cell {
    uint32_t resident;      /* index into t->resident_names */
    uint8_t moved;          /* relabelled away: out of its cohort's list */
    uint64_t evaluations, words;
    size_t items;           /* its first counts slot (slot_next list),
                               SIZE_MAX when none */
};

/* A fine cell (tally.h): names index t->resident_names (residents,
 * evaluators and strata share that table). */
struct fine {
    uint32_t resident, evaluator, stratum;
    uint32_t col, cohort;   /* raw cohort index */
    uint8_t moved;
    uint64_t evaluations, words;
    size_t next;            /* the next fine cell of this (column,
                               resident), SIZE_MAX at the end */
    size_t items;           /* as in struct cell */
    size_t cell;            /* its (column, cohort, resident) cell, once
                               add_eval has needed it; else SIZE_MAX */
};

struct cohort {
    char *name;             /* first spelling seen, trimmed */
    uint64_t evaluations, words;
    struct item_counts *items;   /* nitems */
    size_t *cells;          /* indexes into t->cells */
    size_t ncells, cells_cap;
    size_t *fines;          /* indexes into t->fines */
    size_t nfines, fines_cap;
};

/* One item's counts from one evaluation: add_eval sums an evaluation's hits
 * per item first, so each level (cohort, cell, fine cell) finds the item's
 * counts once per evaluation, not once per hit. */
struct delta {
    size_t item;
    int rare;               /* negated, other_referent or quoted > 0 */
    struct item_counts n;
};

/* Spellings a column remembers as given (cohort_index): a cohort column
 * holds a few labels, each spelt a few ways; past this many, the rest are
 * folded each time, so memory stays bounded whatever the column holds. */
#define RAW_LABELS 1024
/* The first labels of at most 8 bytes (most cohort labels: "F", "Male",
 * "PGY-2") are also kept as numbers, found by a scan of a few compares. */
#define SHORT_LABELS 8

struct column {
    struct strmap by_key;   /* folded label -> cohort index */
    struct strmap by_raw;   /* label as given -> cohort index: by_key's
                               grouping remembered, up to RAW_LABELS */
    uint64_t short_label[SHORT_LABELS];  /* short_key of a label as given */
    size_t short_cohort[SHORT_LABELS];   /* -> its cohort index */
    size_t nshort;
    struct cohort *cohorts;
    size_t n, cap;
    size_t *order;          /* sorted cohort indexes, after tally_finish */
    size_t norder;          /* cohorts left empty by tally_relabel are out */
};

struct tally {
    size_t ncols, nentries, ncategories, nitems;
    uint32_t *entry_category;
    struct column *cols;
    struct strmap resident_ids;
    char **resident_names;
    size_t nresidents, residents_cap;
    size_t empty_id;                /* the id of "" + 1; 0 before it */
    struct cell *cells;
    size_t ncells, cells_cap;
    struct u64map cell_of;          /* (cohort uid << 32 | resident) -> cell */
    struct u64map cell_item_of;     /* cell * nitems + item -> counts index */
    struct item_counts *cell_counts;
    size_t ncell_counts;
    /* Per counts slot: the next slot of the same cell or fine cell, and its
     * item; so a cell's items are found without probing every item. */
    size_t *slot_next;
    uint32_t *slot_item;
    /* Per fine cell's slot: the slot of the same item in the cell the fine
     * cell is part of (the same cohort and resident: a link that never
     * changes), so an evaluation whose fine cell has the item already
     * finds the cell's counts without a lookup; SIZE_MAX until add_eval
     * first needs it. */
    size_t *slot_cell;
    size_t slots_cap;               /* of the four slot arrays */
    uint64_t *seen;                 /* per item: last evaluation that hit it */
    size_t *dpos;                   /* per item: its delta in that one */
    uint64_t eval_no;
    struct u64map part_seen;        /* tally_add_part: eval * nitems + item
                                       of items an evaluation has hit */
    struct delta *deltas;           /* add_eval's scratch */
    size_t deltas_cap;
    struct buf key;                 /* scratch for folded labels */
    int overflow;                   /* a count would have passed 2^64-1 */
    /* add_eval's shortcut (see there): the sum, over the evaluations it
     * has counted, of words + hits + 1, and whether counts must be
     * checked anyway (they came from elsewhere, or that sum overflowed). */
    uint64_t bound;
    int checked;
    int anonymous;                  /* tally_no_residents: one cell per
                                       cohort, residents unknown */
    /* fine cells (tally_keep_fine) */
    int fine, fine_missing;         /* kept; a merged part had none */
    struct fine *fines;
    size_t nfines, fines_cap;
    struct u64map pair_of;          /* resident << 32 | evaluator -> pair */
    struct u64map triple_of;        /* pair << 32 | stratum -> triple */
    size_t *triple_fines;           /* triple * ncols + column -> the fine
                                       cell add_eval last used, SIZE_MAX */
    size_t ntriple_fines;
    struct u64map fine_of;          /* cohort uid << 32 | triple -> fine */
    struct u64map fine_head;        /* column << 32 | resident -> first */
    struct u64map fine_item_of;     /* fine * nitems + item -> counts */
};

/* Every count is added here: a sum that does not fit sets the sticky
 * overflow flag (and saturates) instead of wrapping. */
static void add(tally *t, uint64_t *a, uint64_t b)
{
    if (ADD_OVERFLOWS(*a, b)) {
        *a = UINT64_MAX;
        t->overflow = 1;
    }
}

int tally_overflowed(const tally *t)
{
    return t->overflow;
}

tally *tally_new(size_t ncohort_cols, size_t nentries,
                 const uint32_t *entry_category, size_t ncategories)
{
    tally *t = xcalloc(1, sizeof *t);
    t->ncols = ncohort_cols;
    t->nentries = nentries;
    t->ncategories = ncategories;
    t->nitems = nentries + ncategories;
    t->entry_category = xmalloc((nentries ? nentries : 1) * sizeof *t->entry_category);
    if (nentries)
        memcpy(t->entry_category, entry_category, nentries * sizeof *t->entry_category);
    t->cols = xcalloc(ncohort_cols ? ncohort_cols : 1, sizeof *t->cols);
    for (size_t c = 0; c < ncohort_cols; c++) {
        strmap_init(&t->cols[c].by_key);
        strmap_init(&t->cols[c].by_raw);
    }
    strmap_init(&t->resident_ids);
    u64map_init(&t->cell_of);
    u64map_init(&t->cell_item_of);
    u64map_init(&t->part_seen);
    u64map_init(&t->pair_of);
    u64map_init(&t->triple_of);
    u64map_init(&t->fine_of);
    u64map_init(&t->fine_head);
    u64map_init(&t->fine_item_of);
    t->seen = xcalloc(t->nitems ? t->nitems : 1, sizeof *t->seen);
    t->dpos = xcalloc(t->nitems ? t->nitems : 1, sizeof *t->dpos);
    buf_init(&t->key);
    return t;
}

void tally_free(tally *t)
{
    if (!t)
        return;
    for (size_t c = 0; c < t->ncols; c++) {
        struct column *col = &t->cols[c];
        for (size_t k = 0; k < col->n; k++) {
            free(col->cohorts[k].name);
            free(col->cohorts[k].items);
            free(col->cohorts[k].cells);
            free(col->cohorts[k].fines);
        }
        free(col->cohorts);
        free(col->order);
        strmap_fini(&col->by_key);
        strmap_fini(&col->by_raw);
    }
    free(t->cols);
    for (size_t r = 0; r < t->nresidents; r++)
        free(t->resident_names[r]);
    free(t->resident_names);
    strmap_fini(&t->resident_ids);
    free(t->cells);
    u64map_fini(&t->cell_of);
    u64map_fini(&t->cell_item_of);
    u64map_fini(&t->part_seen);
    u64map_fini(&t->pair_of);
    u64map_fini(&t->triple_of);
    u64map_fini(&t->fine_of);
    u64map_fini(&t->fine_head);
    u64map_fini(&t->fine_item_of);
    free(t->fines);
    free(t->triple_fines);
    free(t->deltas);
    free(t->dpos);
    free(t->cell_counts);
    free(t->slot_next);
    free(t->slot_item);
    free(t->slot_cell);
    free(t->seen);
    free(t->entry_category);
    buf_fini(&t->key);
    free(t);
}

/* Trim ASCII white space; the result is [*p, *p + *n). */
static void trim(const char **p, size_t *n)
{
    while (*n && isspace((unsigned char)**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

/* The grouping key of label: trimmed, blank -> "(blank)", ASCII lower
 * case (the C locale's tolower), into key[0 .. n); its display spelling is
 * [*p, *p + *n). key has room for strlen(label) or strlen(TALLY_BLANK). */
static void fold_label(const char *label, const char **p, size_t *n, char *key)
{
    *p = label ? label : "";
    *n = strlen(*p);
    trim(p, n);
    if (*n == 0) {
        *p = TALLY_BLANK;
        *n = strlen(TALLY_BLANK);
    }
    for (size_t i = 0; i < *n; i++) {
        unsigned char ch = (unsigned char)(*p)[i];
        key[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
    }
}

/* A label of at most 8 bytes as one number: its bytes, zero-padded (a C
 * string has no zero byte, so no two labels share one). 0 when longer;
 * then *is_short is 0. */
static uint64_t short_key(const char *s, int *is_short)
{
    uint64_t k = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (!s[i]) {
            *is_short = 1;
            return k;
        }
        k |= (uint64_t)(unsigned char)s[i] << (8 * i);
    }
    *is_short = !s[8];
    return *is_short ? k : 0;
}

static size_t cohort_index(tally *t, size_t c, const char *label)
{
    struct column *col = &t->cols[c];
    const char *raw = label ? label : "";
    int is_short;
    uint64_t sk = short_key(raw, &is_short);
    for (size_t i = 0; is_short && i < col->nshort; i++)
        if (col->short_label[i] == sk)
            return col->short_cohort[i];
    size_t rawlen = strlen(raw);
    size_t *known = strmap_get(&col->by_raw, raw, rawlen);
    if (known)
        return *known;
    /* Group case-insensitively (ASCII): "Female", "female " and "FEMALE"
     * are one cohort. Merging "F" with "Female" is the --cohort-map's job,
     * never a guess. */
    const char *p;
    size_t n;
    buf_clear(&t->key);
    buf_reserve(&t->key, rawlen + sizeof TALLY_BLANK);
    fold_label(label, &p, &n, t->key.p);
    int added;
    size_t *slot = strmap_put(&col->by_key, t->key.p, n, col->n, &added);
    if (added) {
        grow(&col->cohorts, &col->cap, col->n + 1, sizeof *col->cohorts);
        struct cohort *k = &col->cohorts[col->n++];
        memset(k, 0, sizeof *k);
        k->name = xstrndup(p, n);
        k->items = xcalloc(t->nitems ? t->nitems : 1, sizeof *k->items);
    }
    size_t k = *slot;
    if (is_short && col->nshort < SHORT_LABELS) {
        col->short_label[col->nshort] = sk;
        col->short_cohort[col->nshort++] = k;
    } else if (col->by_raw.n < RAW_LABELS) {
        strmap_put(&col->by_raw, raw, rawlen, k, &added);
    }
    return k;
}

/* The cluster a cell is kept under: under tally_no_residents, every
 * evaluation is in its cohort's one anonymous cell. */
static const char *cluster_name(const tally *t, const char *name)
{
    return t->anonymous || !name ? "" : name;
}

static uint32_t resident_id(tally *t, const char *name)
{
    /* "" is every evaluation's stratum without --adjust. */
    if (!*name && t->empty_id)
        return (uint32_t)(t->empty_id - 1);
    int added;
    size_t *slot = strmap_put(&t->resident_ids, name, strlen(name),
                              t->nresidents, &added);
    if (added) {
        grow(&t->resident_names, &t->residents_cap, t->nresidents + 1,
             sizeof *t->resident_names);
        t->resident_names[t->nresidents++] = xstrdup(name);
    }
    if (!*name)
        t->empty_id = *slot + 1;
    return (uint32_t)*slot;
}

static size_t cell_index(tally *t, size_t c, size_t k, uint32_t resident)
{
    /* A cohort's uid packs column and cohort index; both are small. */
    uint64_t uid = ((uint64_t)c << 20) | k;
    int added;
    size_t *slot = u64map_put(&t->cell_of, (uid << 32) | resident, t->ncells,
                              &added);
    if (added)
        grow(&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells);
    size_t cell = *slot;
    if (added || t->cells[cell].moved) {
        /* A cell tally_relabel moved away comes back into its cohort. */
        if (added)
            t->cells[t->ncells++] = (struct cell){.resident = resident,
                                                  .items = SIZE_MAX};
        t->cells[cell].moved = 0;
        struct cohort *co = &t->cols[c].cohorts[k];
        grow(&co->cells, &co->cells_cap, co->ncells + 1, sizeof *co->cells);
        co->cells[co->ncells++] = cell;
    }
    return cell;
}

/* Double the four slot arrays (out of counts_slot's way). */
static __attribute__((noinline)) void grow_slots(tally *t)
{
    t->slots_cap = t->slots_cap ? 2 * t->slots_cap : 64;
    t->cell_counts = xrealloc(t->cell_counts,
                              t->slots_cap * sizeof *t->cell_counts);
    t->slot_next = xrealloc(t->slot_next, t->slots_cap * sizeof *t->slot_next);
    t->slot_item = xrealloc(t->slot_item, t->slots_cap * sizeof *t->slot_item);
    t->slot_cell = xrealloc(t->slot_cell, t->slots_cap * sizeof *t->slot_cell);
}

/* The slot of the counts of item stored for one cell or fine cell (map
 * keyed by its index * nitems + item; *head its slot list), made zero on
 * first use; both kinds share the cell_counts array, which a new slot may
 * move. */
static inline size_t counts_slot(tally *t, struct u64map *map,
                                 uint64_t owner, size_t *head, size_t item)
{
    int added;
    size_t *slot = u64map_put(map, owner * t->nitems + item, t->ncell_counts,
                              &added);
    if (added) {
        size_t n = t->ncell_counts;
        if (n == t->slots_cap)
            grow_slots(t);
        t->cell_counts[n] = (struct item_counts){0};
        t->slot_next[n] = *head;
        t->slot_item[n] = (uint32_t)item;
        t->slot_cell[n] = SIZE_MAX;
        *head = n;
        t->ncell_counts++;
    }
    return *slot;
}

static struct item_counts *counts_at(tally *t, struct u64map *map,
                                     uint64_t owner, size_t *head,
                                     size_t item)
{
    /* The slot first: a new one may move cell_counts. */
    size_t slot = counts_slot(t, map, owner, head, item);
    return &t->cell_counts[slot];
}

static struct item_counts *cell_item(tally *t, size_t cell, size_t item)
{
    return counts_at(t, &t->cell_item_of, cell, &t->cells[cell].items, item);
}

/* The (resident, evaluator, stratum) triple's number: the same for every
 * cohort column, so an evaluation finds it once. */
static size_t triple_index(tally *t, uint32_t res, uint32_t ev, uint32_t st)
{
    int added;
    size_t pair = *u64map_put(&t->pair_of, ((uint64_t)res << 32) | ev,
                              t->pair_of.n, &added);
    return *u64map_put(&t->triple_of, ((uint64_t)pair << 32) | st,
                       t->triple_of.n, &added);
}

/* The fine cell (column c, raw cohort k, triple of res, ev, st). */
static size_t fine_cell(tally *t, size_t c, size_t k, size_t triple,
                        uint32_t res, uint32_t ev, uint32_t st)
{
    uint64_t uid = ((uint64_t)c << 20) | k;
    int is_new, added;
    size_t f = *u64map_put(&t->fine_of, (uid << 32) | triple, t->nfines,
                           &is_new);
    if (is_new) {
        grow(&t->fines, &t->fines_cap, t->nfines + 1, sizeof *t->fines);
        size_t *head = u64map_put(&t->fine_head, ((uint64_t)c << 32) | res,
                                  SIZE_MAX, &added);
        t->fines[t->nfines] = (struct fine){
            .resident = res, .evaluator = ev, .stratum = st,
            .col = (uint32_t)c, .cohort = (uint32_t)k, .next = *head,
            .items = SIZE_MAX, .cell = SIZE_MAX};
        *head = t->nfines++;
    }
    if (is_new || t->fines[f].moved) {
        t->fines[f].moved = 0;
        struct cohort *co = &t->cols[c].cohorts[k];
        grow(&co->fines, &co->fines_cap, co->nfines + 1, sizeof *co->fines);
        co->fines[co->nfines++] = f;
    }
    return f;
}

/* The fine cell (column c, raw cohort k, resident, evaluator, stratum). */
static size_t fine_index(tally *t, size_t c, size_t k, uint32_t res,
                         uint32_t ev, uint32_t st)
{
    return fine_cell(t, c, k, triple_index(t, res, ev, st), res, ev, st);
}

static struct item_counts *fine_item(tally *t, size_t f, size_t item)
{
    return counts_at(t, &t->fine_item_of, f, &t->fines[f].items, item);
}

static inline void add_counts(tally *t, struct item_counts *a,
                              const struct item_counts *b)
{
    add(t, &a->hits, b->hits);
    add(t, &a->negated, b->negated);
    add(t, &a->evals_with_hit, b->evals_with_hit);
    add(t, &a->other_referent, b->other_referent);
    add(t, &a->quoted, b->quoted);
}

/* *a += b, checked (add) unless fast: add_eval's bound holds. */
static inline void bump(tally *t, uint64_t *a, uint64_t b, int fast)
{
    if (fast)
        *a += b;
    else
        add(t, a, b);
}

/* add_counts of an evaluation's delta: most have only counted hits. */
static inline void add_delta(tally *t, struct item_counts *a,
                             const struct delta *d, int fast)
{
    bump(t, &a->hits, d->n.hits, fast);
    bump(t, &a->evals_with_hit, d->n.evals_with_hit, fast);
    if (d->rare) {
        bump(t, &a->negated, d->n.negated, fast);
        bump(t, &a->other_referent, d->n.other_referent, fast);
        bump(t, &a->quoted, d->n.quoted, fast);
    }
}

/* Sum ev's hits per item (entry, then its category) into t->deltas;
 * returns how many items. A hit is counted in exactly one of hits,
 * negated, other_referent, quoted (tally.h). evals_with_hit is 1 for an
 * item with a counted hit - once per evaluation: seen[] stamps the
 * evaluation number per item, so no array is cleared per evaluation; an
 * evaluation in parts (part_eval, else UINT64_MAX) also keeps the items it
 * has hit in part_seen (memory: evaluations x items they hit), and counts
 * an item only in the first part that hits it. */
static size_t sum_hits(tally *t, const struct tally_eval *ev,
                       uint64_t part_eval)
{
    if (2 * ev->nhits > t->deltas_cap)
        grow(&t->deltas, &t->deltas_cap, 2 * ev->nhits, sizeof *t->deltas);
    size_t nd = 0;
    t->eval_no++;
    for (size_t h = 0; h < ev->nhits; h++) {
        const struct tally_hit *hit = &ev->hits[h];
        size_t items[2] = {hit->entry,
                           t->nentries + t->entry_category[hit->entry]};
        for (int j = 0; j < 2; j++) {
            size_t i = items[j];
            if (t->seen[i] != t->eval_no) {
                t->seen[i] = t->eval_no;
                t->dpos[i] = nd;
                t->deltas[nd++] = (struct delta){.item = i};
            }
            struct item_counts *n = &t->deltas[t->dpos[i]].n;
            if (hit->aside)
                (*(hit->aside == 1 ? &n->other_referent : &n->quoted))++;
            else if (hit->negated)
                n->negated++;
            else
                n->hits++;
        }
    }
    for (size_t d = 0; d < nd; d++) {
        struct delta *dl = &t->deltas[d];
        int fresh = dl->n.hits != 0;
        if (fresh && part_eval != UINT64_MAX)
            u64map_put(&t->part_seen, part_eval * t->nitems + dl->item, 0,
                       &fresh);
        dl->n.evals_with_hit = (uint64_t)fresh;
        dl->rare = dl->n.negated || dl->n.other_referent || dl->n.quoted;
    }
    return nd;
}

/* Count ev into its cohort k of column c, its cell and fine cell (if
 * kept): nd deltas; fast: add_eval's bound holds (always inlined, so each
 * kind of add is a loop of its own). */
static inline __attribute__((always_inline)) void
count_column(tally *t, const struct tally_eval *ev, size_t c, size_t k,
             size_t cell, size_t fine, int first, size_t nd, int fast)
{
    struct cohort *co = &t->cols[c].cohorts[k];
    bump(t, &co->evaluations, (uint64_t)first, fast);
    bump(t, &co->words, ev->words, fast);
    bump(t, &t->cells[cell].evaluations, (uint64_t)first, fast);
    bump(t, &t->cells[cell].words, ev->words, fast);
    if (fine != SIZE_MAX) {
        bump(t, &t->fines[fine].evaluations, (uint64_t)first, fast);
        bump(t, &t->fines[fine].words, ev->words, fast);
    }
    for (size_t d = 0; d < nd; d++) {
        const struct delta *dl = &t->deltas[d];
        add_delta(t, &co->items[dl->item], dl, fast);
        if (fine == SIZE_MAX) {
            add_delta(t, cell_item(t, cell, dl->item), dl, fast);
            continue;
        }
        size_t fs = counts_slot(t, &t->fine_item_of, fine,
                                &t->fines[fine].items, dl->item);
        if (t->slot_cell[fs] == SIZE_MAX) {
            size_t cs = counts_slot(t, &t->cell_item_of, cell,
                                    &t->cells[cell].items, dl->item);
            t->slot_cell[fs] = cs;
        }
        add_delta(t, &t->cell_counts[fs], dl, fast);
        add_delta(t, &t->cell_counts[t->slot_cell[fs]], dl, fast);
    }
}

/* Count ev; part_eval is UINT64_MAX for a whole evaluation, else the
 * evaluation this part belongs to (first: its first part). */
static void add_eval(tally *t, const struct tally_eval *ev, uint64_t part_eval,
                     int first)
{
    uint32_t res = resident_id(t, cluster_name(t, ev->resident));
    uint32_t evr = 0, st = 0;
    size_t triple = 0;
    if (t->fine) {
        evr = resident_id(t, ev->evaluator ? ev->evaluator : "");
        st = resident_id(t, ev->stratum ? ev->stratum : "");
        triple = triple_index(t, res, evr, st);
        if (t->triple_of.n * t->ncols > t->ntriple_fines) {
            size_t n = t->ntriple_fines, cap = n;
            grow(&t->triple_fines, &cap, t->triple_of.n * t->ncols,
                 sizeof *t->triple_fines);
            for (; n < cap; n++)
                t->triple_fines[n] = SIZE_MAX;
            t->ntriple_fines = cap;
        }
    }
    size_t nd = sum_hits(t, ev, part_eval);
    /* Every count add_eval makes is a sum of some evaluations' words,
     * hits or ones, so none exceeds t->bound, the sum of words + hits + 1
     * over the evaluations counted: while that fits in 64 bits (and no
     * count came from elsewhere: tally files, merge), no add can overflow
     * and none needs the check. */
    uint64_t inc = 1;
    int fast = !t->checked && !ADD_OVERFLOWS(inc, ev->words) &&
               !ADD_OVERFLOWS(inc, (uint64_t)ev->nhits) &&
               !ADD_OVERFLOWS(t->bound, inc);
    if (!fast)
        t->checked = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        size_t k = cohort_index(t, c, ev->cohorts[c]);
        size_t fine = SIZE_MAX, cell;
        if (t->fine) {
            /* The triple's fine cell of this column last time, if its
             * cohort is the same (a person's label seldom changes); and
             * the cell that fine cell is part of. */
            size_t *tf = &t->triple_fines[triple * t->ncols + c];
            fine = *tf;
            if (fine == SIZE_MAX || t->fines[fine].cohort != k ||
                t->fines[fine].moved) {
                fine = fine_cell(t, c, k, triple, res, evr, st);
                *tf = fine;
            }
            cell = t->fines[fine].cell;
            if (cell == SIZE_MAX || t->cells[cell].moved) {
                cell = cell_index(t, c, k, res);
                t->fines[fine].cell = cell;
            }
        } else {
            cell = cell_index(t, c, k, res);
        }
        if (fast)
            count_column(t, ev, c, k, cell, fine, first, nd, 1);
        else
            count_column(t, ev, c, k, cell, fine, first, nd, 0);
    }
}

void tally_add(tally *t, const struct tally_eval *ev)
{
    add_eval(t, ev, UINT64_MAX, 1);
}

void tally_add_part(tally *t, const struct tally_eval *ev, uint64_t eval,
                    int first)
{
    add_eval(t, ev, eval, first != 0);
}

/* ---------------------------------------------------------------- output */

static const tally *sort_ctx;
static size_t sort_col;

static int cmp_cohort(const void *a, const void *b)
{
    const struct column *col = &sort_ctx->cols[sort_col];
    const char *x = col->cohorts[*(const size_t *)a].name;
    const char *y = col->cohorts[*(const size_t *)b].name;
    int xb = strcmp(x, TALLY_BLANK) == 0, yb = strcmp(y, TALLY_BLANK) == 0;
    if (xb != yb)
        return xb - yb;
    return strcmp(x, y);
}

static int cmp_cell(const void *a, const void *b)
{
    const struct cell *x = &sort_ctx->cells[*(const size_t *)a];
    const struct cell *y = &sort_ctx->cells[*(const size_t *)b];
    return strcmp(sort_ctx->resident_names[x->resident],
                  sort_ctx->resident_names[y->resident]);
}

static const char *name_of(const tally *t, uint32_t i)
{
    return t->resident_names[i];
}

static int cmp_fine(const void *a, const void *b)
{
    const struct fine *x = &sort_ctx->fines[*(const size_t *)a];
    const struct fine *y = &sort_ctx->fines[*(const size_t *)b];
    int r = strcmp(name_of(sort_ctx, x->resident), name_of(sort_ctx, y->resident));
    if (!r)
        r = strcmp(name_of(sort_ctx, x->evaluator), name_of(sort_ctx, y->evaluator));
    if (!r)
        r = strcmp(name_of(sort_ctx, x->stratum), name_of(sort_ctx, y->stratum));
    return r;
}

void tally_finish(tally *t)
{
    sort_ctx = t;
    for (size_t c = 0; c < t->ncols; c++) {
        struct column *col = &t->cols[c];
        free(col->order);
        col->order = xmalloc((col->n ? col->n : 1) * sizeof *col->order);
        col->norder = 0;
        for (size_t k = 0; k < col->n; k++) {
            const struct cohort *co = &col->cohorts[k];
            if (co->ncells || co->evaluations || co->words)
                col->order[col->norder++] = k;
        }
        sort_col = c;
        qsort(col->order, col->norder, sizeof *col->order, cmp_cohort);
        for (size_t k = 0; k < col->n; k++) {
            if (col->cohorts[k].ncells)
                qsort(col->cohorts[k].cells, col->cohorts[k].ncells,
                      sizeof(size_t), cmp_cell);
            if (col->cohorts[k].nfines)
                qsort(col->cohorts[k].fines, col->cohorts[k].nfines,
                      sizeof(size_t), cmp_fine);
        }
    }
    sort_ctx = NULL;
}

size_t tally_nitems(const tally *t) { return t->nitems; }
size_t tally_ncohort_cols(const tally *t) { return t->ncols; }
size_t tally_ncohorts(const tally *t, size_t c) { return t->cols[c].norder; }

static const struct cohort *cohort_at(const tally *t, size_t c, size_t k)
{
    return &t->cols[c].cohorts[t->cols[c].order[k]];
}

const char *tally_cohort_name(const tally *t, size_t c, size_t k)
{
    return cohort_at(t, c, k)->name;
}

void tally_cohort_totals(const tally *t, size_t c, size_t k,
                         struct cohort_totals *out)
{
    const struct cohort *co = cohort_at(t, c, k);
    memset(out, 0, sizeof *out); /* padding too: callers may compare bytes */
    out->evaluations = co->evaluations;
    out->words = co->words;
    out->residents = t->anonymous ? 0 : co->ncells;
    out->residents_unknown = (uint8_t)t->anonymous;
}

struct item_counts tally_item(const tally *t, size_t c, size_t k, size_t i)
{
    return cohort_at(t, c, k)->items[i];
}

size_t tally_ncells(const tally *t, size_t c, size_t k)
{
    return cohort_at(t, c, k)->ncells;
}

static size_t cell_at(const tally *t, size_t c, size_t k, size_t j)
{
    return cohort_at(t, c, k)->cells[j];
}

const char *tally_cell_resident(const tally *t, size_t c, size_t k, size_t j)
{
    return t->resident_names[t->cells[cell_at(t, c, k, j)].resident];
}

void tally_cell_totals(const tally *t, size_t c, size_t k, size_t j,
                       uint64_t *evaluations, uint64_t *words)
{
    const struct cell *cl = &t->cells[cell_at(t, c, k, j)];
    *evaluations = cl->evaluations;
    *words = cl->words;
}

struct item_counts tally_cell_item(const tally *t, size_t c, size_t k,
                                   size_t j, size_t i)
{
    size_t *slot = u64map_get(&t->cell_item_of,
                              (uint64_t)cell_at(t, c, k, j) * t->nitems + i);
    return slot ? t->cell_counts[*slot] : (struct item_counts){0};
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The items of a slot list, ascending, into out (room for nitems), and
 * their counts into counts (if not NULL). */
static size_t list_items(const tally *t, size_t head, size_t *out,
                         struct item_counts *counts)
{
    size_t n = 0;
    if (SIZE_MAX >> 32 >= UINT32_MAX && t->ncell_counts <= UINT32_MAX) {
        /* Each slot as one number, its item above it (items are
         * uint32_t; a 64-bit size_t holds both), sorted as numbers in out:
         * insertion sort for the few items of most cells (it beats
         * qsort's calls up to a few hundred), qsort past that. */
        for (size_t s = head; s != SIZE_MAX; s = t->slot_next[s])
            out[n++] = (size_t)t->slot_item[s] << 16 << 16 | s;
        if (n > 256)
            qsort(out, n, sizeof *out, cmp_size);
        for (size_t i = 1; n <= 256 && i < n; i++) {
            size_t key = out[i], j = i;
            for (; j > 0 && out[j - 1] > key; j--)
                out[j] = out[j - 1];
            out[j] = key;
        }
        for (size_t x = 0; x < n; x++) {
            if (counts)
                counts[x] = t->cell_counts[out[x] & UINT32_MAX];
            out[x] = out[x] >> 16 >> 16;
        }
        return n;
    }
    /* More slots than 32 bits: slots sorted by their items. */
    for (size_t s = head; s != SIZE_MAX; s = t->slot_next[s]) {
        uint32_t item = t->slot_item[s];
        size_t j = n++;
        while (j > 0 && t->slot_item[out[j - 1]] > item) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = s;
    }
    for (size_t x = 0; x < n; x++) {
        if (counts)
            counts[x] = t->cell_counts[out[x]];
        out[x] = t->slot_item[out[x]];
    }
    return n;
}

size_t tally_cell_items(const tally *t, size_t c, size_t k, size_t j,
                        size_t *out, struct item_counts *counts)
{
    return list_items(t, t->cells[cell_at(t, c, k, j)].items, out, counts);
}

/* ---------------------------------------------------------- fine cells */

void tally_no_residents(tally *t)
{
    t->anonymous = 1;
}

int tally_residents_known(const tally *t)
{
    return !t->anonymous;
}

void tally_keep_fine(tally *t)
{
    t->fine = 1;
}

int tally_has_fine(const tally *t)
{
    return t->fine && !t->fine_missing;
}

size_t tally_nfine(const tally *t, size_t c, size_t k)
{
    return tally_has_fine(t) ? cohort_at(t, c, k)->nfines : 0;
}

static size_t fine_at(const tally *t, size_t c, size_t k, size_t j)
{
    return cohort_at(t, c, k)->fines[j];
}

void tally_fine_cell(const tally *t, size_t c, size_t k, size_t j,
                     struct tally_fine *out)
{
    const struct fine *f = &t->fines[fine_at(t, c, k, j)];
    out->resident = name_of(t, f->resident);
    out->evaluator = name_of(t, f->evaluator);
    out->stratum = name_of(t, f->stratum);
    out->evaluations = f->evaluations;
    out->words = f->words;
}

struct item_counts tally_fine_item(const tally *t, size_t c, size_t k,
                                   size_t j, size_t i)
{
    size_t *slot = u64map_get(&t->fine_item_of,
                              (uint64_t)fine_at(t, c, k, j) * t->nitems + i);
    return slot ? t->cell_counts[*slot] : (struct item_counts){0};
}

size_t tally_fine_items(const tally *t, size_t c, size_t k, size_t j,
                        size_t *out, struct item_counts *counts)
{
    return list_items(t, t->fines[fine_at(t, c, k, j)].items, out, counts);
}

size_t tally_cohort_evaluators(const tally *t, size_t c, size_t k)
{
    if (!tally_has_fine(t))
        return 0;
    const struct cohort *co = cohort_at(t, c, k);
    struct u64map seen;
    u64map_init(&seen);
    for (size_t j = 0; j < co->nfines; j++) {
        int added;
        u64map_put(&seen, t->fines[co->fines[j]].evaluator, 0, &added);
    }
    size_t n = seen.n;
    u64map_fini(&seen);
    return n;
}

size_t tally_find_cohort(const tally *t, size_t c, const char *label)
{
    /* cohort_index's grouping, without adding: fold into a local key. */
    const char *p;
    size_t n;
    char *key = xmalloc((label ? strlen(label) : 0) + sizeof TALLY_BLANK);
    fold_label(label, &p, &n, key);
    size_t *slot = strmap_get(&t->cols[c].by_key, key, n);
    free(key);
    if (!slot)
        return SIZE_MAX;
    for (size_t k = 0; k < t->cols[c].norder; k++)
        if (t->cols[c].order[k] == *slot)
            return k;
    return SIZE_MAX;
}

size_t tally_put_fine(tally *t, size_t c, size_t k, const char *resident,
                      const char *evaluator, const char *stratum)
{
    t->fine = 1;
    return fine_index(t, c, k, resident_id(t, cluster_name(t, resident)),
                      resident_id(t, evaluator), resident_id(t, stratum));
}

void tally_add_fine(tally *t, size_t fine, uint64_t evaluations,
                    uint64_t words)
{
    t->checked = 1; /* counts from elsewhere: add_eval's bound is off */
    add(t, &t->fines[fine].evaluations, evaluations);
    add(t, &t->fines[fine].words, words);
}

void tally_add_fine_item(tally *t, size_t fine, size_t item,
                         const struct item_counts *n)
{
    t->checked = 1;
    struct item_counts v = *n; /* n may point into cell_counts */
    add_counts(t, fine_item(t, fine, item), &v);
}

/* ------------------------------------------------------------- merging */

size_t tally_put_cohort(tally *t, size_t c, const char *label)
{
    return cohort_index(t, c, label);
}

void tally_add_cohort(tally *t, size_t c, size_t k, uint64_t evaluations,
                      uint64_t words)
{
    t->checked = 1; /* counts from elsewhere: add_eval's bound is off */
    struct cohort *co = &t->cols[c].cohorts[k];
    add(t, &co->evaluations, evaluations);
    add(t, &co->words, words);
}

void tally_add_cohort_item(tally *t, size_t c, size_t k, size_t item,
                           const struct item_counts *n)
{
    t->checked = 1;
    add_counts(t, &t->cols[c].cohorts[k].items[item], n);
}

size_t tally_put_cell(tally *t, size_t c, size_t k, const char *resident)
{
    return cell_index(t, c, k, resident_id(t, cluster_name(t, resident)));
}

void tally_add_cell(tally *t, size_t cell, uint64_t evaluations,
                    uint64_t words)
{
    t->checked = 1; /* counts from elsewhere: add_eval's bound is off */
    add(t, &t->cells[cell].evaluations, evaluations);
    add(t, &t->cells[cell].words, words);
}

void tally_add_cell_item(tally *t, size_t cell, size_t item,
                         const struct item_counts *n)
{
    t->checked = 1;
    add_counts(t, cell_item(t, cell, item), n);
}

int tally_merge(tally *dst, const tally *src, const char *cluster_prefix)
{
    if (dst->ncols != src->ncols || dst->nentries != src->nentries ||
        dst->ncategories != src->ncategories)
        return -1;
    for (size_t e = 0; e < src->nentries; e++)
        if (dst->entry_category[e] != src->entry_category[e])
            return -1;
    /* Without residents (a part audited without a resident column), the
     * sum has none either: src's clusters collapse into one per cohort. */
    if (src->anonymous)
        dst->anonymous = 1;
    struct buf name;
    buf_init(&name);
    for (size_t c = 0; c < src->ncols; c++) {
        const struct column *col = &src->cols[c];
        /* Insertion order = the order src first saw its cohorts. */
        for (size_t k = 0; k < col->n; k++) {
            const struct cohort *co = &col->cohorts[k];
            size_t k2 = cohort_index(dst, c, co->name);
            tally_add_cohort(dst, c, k2, co->evaluations, co->words);
            for (size_t i = 0; i < src->nitems; i++)
                tally_add_cohort_item(dst, c, k2, i, &co->items[i]);
            for (size_t j = 0; j < co->ncells; j++) {
                size_t sc = co->cells[j];
                const struct cell *cl = &src->cells[sc];
                buf_clear(&name);
                if (cluster_prefix)
                    buf_puts(&name, cluster_prefix);
                buf_puts(&name, src->resident_names[cl->resident]);
                size_t dc = tally_put_cell(dst, c, k2, buf_cstr(&name));
                tally_add_cell(dst, dc, cl->evaluations, cl->words);
                for (size_t i = 0; i < src->nitems; i++) {
                    size_t *slot = u64map_get(&src->cell_item_of,
                                              (uint64_t)sc * src->nitems + i);
                    if (slot)
                        tally_add_cell_item(dst, dc, i,
                                            &src->cell_counts[*slot]);
                }
            }
            for (size_t j = 0; tally_has_fine(src) && j < co->nfines; j++) {
                size_t sf = co->fines[j];
                const struct fine *fl = &src->fines[sf];
                buf_clear(&name);
                if (cluster_prefix)
                    buf_puts(&name, cluster_prefix);
                buf_puts(&name, name_of(src, fl->resident));
                size_t df = tally_put_fine(dst, c, k2, buf_cstr(&name),
                                           name_of(src, fl->evaluator),
                                           name_of(src, fl->stratum));
                tally_add_fine(dst, df, fl->evaluations, fl->words);
                for (size_t i = 0; i < src->nitems; i++) {
                    size_t *slot = u64map_get(&src->fine_item_of,
                                              (uint64_t)sf * src->nitems + i);
                    if (slot)
                        tally_add_fine_item(dst, df, i,
                                            &src->cell_counts[*slot]);
                }
            }
        }
    }
    if (!tally_has_fine(src))
        dst->fine_missing = 1; /* its evaluations are in no fine cell */
    buf_fini(&name);
    return dst->overflow || src->overflow ? -2 : 0;
}

/* ------------------------------------------------------------ relabelling */

static void sub_counts(struct item_counts *a, const struct item_counts *b)
{
    a->hits -= b->hits;
    a->negated -= b->negated;
    a->evals_with_hit -= b->evals_with_hit;
    a->other_referent -= b->other_referent;
    a->quoted -= b->quoted;
}

/* tally_relabel's move of the resident's fine cells of column c into raw
 * cohort k2 (the cohorts' totals have moved already). */
static void relabel_fine(tally *t, size_t c, uint32_t res, size_t k2)
{
    size_t *head = u64map_get(&t->fine_head, ((uint64_t)c << 32) | res);
    /* fine_index prepends new cells: walking from the old head sees only
     * the cells that were there. */
    for (size_t f = head ? *head : SIZE_MAX; f != SIZE_MAX; f = t->fines[f].next) {
        if (t->fines[f].moved || t->fines[f].cohort == k2)
            continue;
        struct cohort *src = &t->cols[c].cohorts[t->fines[f].cohort];
        for (size_t j = 0; j < src->nfines; j++)
            if (src->fines[j] == f) {
                src->fines[j] = src->fines[--src->nfines];
                break;
            }
        size_t to = fine_index(t, c, k2, res, t->fines[f].evaluator,
                               t->fines[f].stratum);
        add(t, &t->fines[to].evaluations, t->fines[f].evaluations);
        add(t, &t->fines[to].words, t->fines[f].words);
        t->fines[f].evaluations = t->fines[f].words = 0;
        t->fines[f].moved = 1;
        for (size_t i = 0; i < t->nitems; i++) {
            size_t *slot = u64map_get(&t->fine_item_of,
                                      (uint64_t)f * t->nitems + i);
            if (!slot)
                continue;
            size_t from = *slot;
            struct item_counts n = t->cell_counts[from];
            add_counts(t, fine_item(t, to, i), &n);
            t->cell_counts[from] = (struct item_counts){0};
        }
    }
}

int tally_relabel(tally *t, size_t c, const char *resident, const char *label)
{
    if (t->anonymous)
        return 0; /* no persons to label */
    size_t *rs = strmap_get(&t->resident_ids, resident, strlen(resident));
    if (!rs)
        return 0;
    uint32_t res = (uint32_t)*rs;
    size_t k2 = cohort_index(t, c, label);
    struct column *col = &t->cols[c];
    int moved = 0;
    for (size_t k = 0; k < col->n; k++) {
        if (k == k2)
            continue;
        uint64_t uid = ((uint64_t)c << 20) | k;
        size_t *cs = u64map_get(&t->cell_of, (uid << 32) | res);
        if (!cs || t->cells[*cs].moved)
            continue;
        size_t from = *cs;
        struct cohort *src = &col->cohorts[k];
        /* Out of its cohort's list (order does not matter: finish sorts). */
        for (size_t j = 0; j < src->ncells; j++)
            if (src->cells[j] == from) {
                src->cells[j] = src->cells[--src->ncells];
                break;
            }
        size_t to = cell_index(t, c, k2, res);
        src = &col->cohorts[k]; /* cohort_index may have moved the array */
        struct cohort *dst = &col->cohorts[k2];
        struct cell *fc = &t->cells[from];
        add(t, &t->cells[to].evaluations, fc->evaluations);
        add(t, &t->cells[to].words, fc->words);
        add(t, &dst->evaluations, fc->evaluations);
        add(t, &dst->words, fc->words);
        src->evaluations -= fc->evaluations;
        src->words -= fc->words;
        fc->evaluations = fc->words = 0;
        fc->moved = 1;
        for (size_t i = 0; i < t->nitems; i++) {
            size_t *slot = u64map_get(&t->cell_item_of,
                                      (uint64_t)from * t->nitems + i);
            if (!slot)
                continue;
            struct item_counts n = t->cell_counts[*slot];
            add_counts(t, cell_item(t, to, i), &n);
            add_counts(t, &dst->items[i], &n);
            sub_counts(&src->items[i], &n);
            t->cell_counts[*u64map_get(&t->cell_item_of,
                                       (uint64_t)from * t->nitems + i)] =
                (struct item_counts){0};
        }
        moved = 1;
    }
    if (moved && t->fine)
        relabel_fine(t, c, res, k2);
    return moved;
}

/* 0 when the fine cells of co add up to its evaluations, words and item
 * counts (sum is scratch of nitems). */
static int fine_sums(const tally *t, const struct cohort *co,
                     struct item_counts *sum)
{
    uint64_t ev = 0, w = 0;
    memset(sum, 0, (t->nitems ? t->nitems : 1) * sizeof *sum);
    for (size_t j = 0; j < co->nfines; j++) {
        const struct fine *f = &t->fines[co->fines[j]];
        if (ADD_OVERFLOWS(ev, f->evaluations) || ADD_OVERFLOWS(w, f->words))
            return -1;
        for (size_t i = 0; i < t->nitems; i++) {
            size_t *slot = u64map_get(&t->fine_item_of,
                                      (uint64_t)co->fines[j] * t->nitems + i);
            if (!slot)
                continue;
            const struct item_counts *b = &t->cell_counts[*slot];
            if (ADD_OVERFLOWS(sum[i].hits, b->hits) ||
                ADD_OVERFLOWS(sum[i].negated, b->negated) ||
                ADD_OVERFLOWS(sum[i].other_referent, b->other_referent) ||
                ADD_OVERFLOWS(sum[i].quoted, b->quoted) ||
                ADD_OVERFLOWS(sum[i].evals_with_hit, b->evals_with_hit))
                return -1;
        }
    }
    if (ev != co->evaluations || w != co->words)
        return -1;
    for (size_t i = 0; i < t->nitems; i++)
        if (memcmp(&sum[i], &co->items[i], sizeof sum[i]) != 0)
            return -1;
    return 0;
}

int tally_check(const tally *t, char *msg, size_t n)
{
    struct item_counts *sum = xcalloc(t->nitems ? t->nitems : 1, sizeof *sum);
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < t->ncols; c++)
        for (size_t k = 0; rc == 0 && k < t->cols[c].n; k++) {
            const struct cohort *co = &t->cols[c].cohorts[k];
            uint64_t ev = 0, w = 0;
            int wrapped = 0;
            memset(sum, 0, (t->nitems ? t->nitems : 1) * sizeof *sum);
            for (size_t j = 0; j < co->ncells; j++) {
                const struct cell *cl = &t->cells[co->cells[j]];
                wrapped |= ADD_OVERFLOWS(ev, cl->evaluations);
                wrapped |= ADD_OVERFLOWS(w, cl->words);
                for (size_t i = 0; i < t->nitems; i++) {
                    size_t *slot = u64map_get(&t->cell_item_of,
                                              (uint64_t)co->cells[j] * t->nitems + i);
                    if (slot) {
                        const struct item_counts *b = &t->cell_counts[*slot];
                        wrapped |= ADD_OVERFLOWS(sum[i].hits, b->hits);
                        wrapped |= ADD_OVERFLOWS(sum[i].negated, b->negated);
                        wrapped |= ADD_OVERFLOWS(sum[i].other_referent,
                                                 b->other_referent);
                        wrapped |= ADD_OVERFLOWS(sum[i].quoted, b->quoted);
                        wrapped |= ADD_OVERFLOWS(sum[i].evals_with_hit,
                                                 b->evals_with_hit);
                    }
                }
            }
            const char *what = NULL;
            if (wrapped || t->overflow)
                what = "a count is larger than 2^64-1";
            else if (ev != co->evaluations || w != co->words)
                what = "its residents' evaluations or words do not add up to its own";
            for (size_t i = 0; !what && i < t->nitems; i++)
                if (memcmp(&sum[i], &co->items[i], sizeof sum[i]) != 0)
                    what = "its residents' counts do not add up to its own";
                else if (co->items[i].evals_with_hit > co->evaluations ||
                         co->items[i].evals_with_hit > co->items[i].hits)
                    what = "more evaluations with a hit than evaluations or hits";
            if (!what && tally_has_fine(t) && fine_sums(t, co, sum) != 0)
                what = "its fine cells (resident, evaluator, stratum) do not "
                       "add up to its own";
            if (what) {
                snprintf(msg, n, "cohort \"%s\" of column %zu: %s", co->name,
                         c + 1, what);
                rc = -1;
            }
        }
    free(sum);
    return rc;
}
