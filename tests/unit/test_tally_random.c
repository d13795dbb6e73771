/* test_tally_random.c - tally_add and tally_add_part against a reference
 * written here the plain way, on random evaluations.
 *
 * The tally finds an evaluation's cohorts, cells and counts through
 * shortcuts (labels remembered as given, short labels kept as numbers, a
 * triple's fine cell per column, a fine cell's cell and its slots' cell
 * slots, an evaluation's hits summed per item, adds left unchecked while
 * their bound holds). The reference has none: it keeps every evaluation
 * (labels, persons, words, hits) and sums them per cohort, cell and fine
 * cell when asked, after relabelling by rewriting the labels of the
 * evaluations moved. Every count the outputs read is compared, over many
 * random runs: with and without fine cells, residents, parts and
 * relabelling, with labels past the shortcuts' limits. */
#include "check.h"
#include "tally.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 2
#define NENTRIES 400        /* past 256 items in a cell: the qsort path */
#define NCATS 7
#define NITEMS (NENTRIES + NCATS)
#define MAXHITS 12

static uint32_t cats[NENTRIES];

/* xorshift64*: a fixed sequence per seed, so a failure can be rerun. */
static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}
static size_t pick(size_t n) { return (size_t)(rnd() % n); }

/* Spellings: case and space variants, more than 8 short labels, long
 * ones, blanks and NULL. */
static const char *labels[] = {
    "F", "f", " F ", "Female", "FEMALE", "female\t", "M", "male", "MALE ",
    "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "12345678",
    "123456789", "Internal Medicine Residency", "internal medicine residency",
    "", "   ", NULL, "(blank)"};
#define NLABELS (sizeof labels / sizeof labels[0])
static const char *names[] = {"ann", "bob", "Carla Long-Name Resident",
                              "dee", "", NULL, "eve"};
#define NNAMES (sizeof names / sizeof names[0])
static const char *strata[] = {"", "PGY1", "PGY2\x1fsite A", NULL};
#define NSTRATA (sizeof strata / sizeof strata[0])

/* One call of tally_add / tally_add_part, as the reference keeps it. */
struct rec {
    const char *lab[NCOLS];
    const char *res, *ev, *st;
    uint64_t words;
    struct tally_hit hits[MAXHITS];
    size_t nhits;
    int first;
    long evno;              /* evaluation number (parts), -1 whole */
    size_t k[NCOLS];        /* its cohorts (ref_cohort), set when compared */
    unsigned char ewh[NITEMS]; /* 1: this call counts the evaluation as
                                  one with a hit of the item */
};

static struct rec *recs;
static size_t nrecs;

/* ------------------------------------------------------ the reference */

/* tally.h's grouping: trimmed, blank -> "(blank)", ASCII lower case. */
static void fold(const char *label, char *key, char *shown)
{
    const char *p = label ? label : "";
    size_t n = strlen(p);
    while (n && isspace((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (!n) {
        p = TALLY_BLANK;
        n = strlen(p);
    }
    memcpy(shown, p, n);
    shown[n] = '\0';
    for (size_t i = 0; i <= n; i++)
        key[i] = (char)tolower((unsigned char)shown[i]);
}

/* Cohorts in the order first seen (adds, and relabels of known
 * residents), with the spelling first seen. */
static char ckey[NCOLS][64][64], cshown[NCOLS][64][64];
static size_t ncoh[NCOLS];

static size_t ref_cohort(size_t c, const char *label)
{
    char key[64], shown[64];
    fold(label, key, shown);
    for (size_t k = 0; k < ncoh[c]; k++)
        if (strcmp(ckey[c][k], key) == 0)
            return k;
    strcpy(ckey[c][ncoh[c]], key);
    strcpy(cshown[c][ncoh[c]], shown);
    return ncoh[c]++;
}

static const char *nz(const char *s) { return s ? s : ""; }

static void count_hits(const struct rec *r, struct item_counts *items)
{
    for (size_t h = 0; h < r->nhits; h++) {
        const struct tally_hit *x = &r->hits[h];
        size_t it[2] = {x->entry, NENTRIES + cats[x->entry]};
        for (int j = 0; j < 2; j++) {
            struct item_counts *n = &items[it[j]];
            if (x->aside == 1)
                n->other_referent++;
            else if (x->aside)
                n->quoted++;
            else if (x->negated)
                n->negated++;
            else
                n->hits++;
        }
    }
    for (size_t i = 0; i < NITEMS; i++)
        items[i].evals_with_hit += r->ewh[i];
}

/* Which of the reference's records fall in a group: cohort k of column
 * c, and (when not NULL) cluster res, evaluator ev, stratum st. */
static int in_group(const struct rec *r, size_t c, size_t k, int anon,
                    const char *res, const char *ev, const char *st)
{
    if (r->k[c] != k)
        return 0;
    if (res && strcmp(anon ? "" : nz(r->res), res) != 0)
        return 0;
    if (ev && strcmp(nz(r->ev), ev) != 0)
        return 0;
    return !st || strcmp(nz(r->st), st) == 0;
}

static void ref_sum(size_t c, size_t k, int anon, const char *res,
                    const char *ev, const char *st, uint64_t *evals,
                    uint64_t *words, struct item_counts *items)
{
    *evals = *words = 0;
    memset(items, 0, NITEMS * sizeof *items);
    for (size_t i = 0; i < nrecs; i++)
        if (in_group(&recs[i], c, k, anon, res, ev, st)) {
            *evals += (uint64_t)recs[i].first;
            *words += recs[i].words;
            count_hits(&recs[i], items);
        }
}

/* ------------------------------------------------------- comparison */

static int same_counts(const struct item_counts *a, const struct item_counts *b)
{
    return a->hits == b->hits && a->negated == b->negated &&
           a->evals_with_hit == b->evals_with_hit &&
           a->other_referent == b->other_referent && a->quoted == b->quoted;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct values of one field among the records of a group, sorted. */
static size_t distinct(size_t c, size_t k, int anon, const char *res,
                       const char *ev, int field, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < nrecs; i++) {
        if (!in_group(&recs[i], c, k, anon, res, ev, NULL))
            continue;
        const char *v = field == 0 ? (anon ? "" : nz(recs[i].res))
                      : field == 1 ? nz(recs[i].ev) : nz(recs[i].st);
        size_t j = 0;
        while (j < n && strcmp(out[j], v) != 0)
            j++;
        if (j == n)
            out[n++] = v;
    }
    qsort(out, n, sizeof *out, cmp_str);
    return n;
}

/* The items listed for a cell (with counts) against the reference: the
 * listed ones ascending and equal to the lookups, every other zero. */
static int same_items(size_t m, const size_t *items,
                      const struct item_counts *counts,
                      const struct item_counts *want,
                      const struct item_counts *looked_up)
{
    unsigned char listed[NITEMS] = {0};
    for (size_t x = 0; x < m; x++) {
        if ((x && items[x] <= items[x - 1]) || items[x] >= NITEMS ||
            !same_counts(&counts[x], &want[items[x]]))
            return 0;
        listed[items[x]] = 1;
    }
    static const struct item_counts zero;
    for (size_t i = 0; i < NITEMS; i++)
        if ((!listed[i] && !same_counts(&want[i], &zero)) ||
            !same_counts(&looked_up[i], &want[i]))
            return 0;
    return 1;
}

/* 1 when every count of t equals the reference's. */
static int same_as_reference(const tally *t, int anon, int fine)
{
    struct item_counts want[NITEMS], got[NITEMS], counts[NITEMS];
    size_t items[NITEMS];
    char msg[200];
    for (size_t i = 0; i < nrecs; i++)
        for (size_t c = 0; c < NCOLS; c++)
            recs[i].k[c] = ref_cohort(c, recs[i].lab[c]);
    if (tally_check(t, msg, sizeof msg) != 0) {
        printf("# tally_check: %s\n", msg);
        return 0;
    }
    for (size_t c = 0; c < NCOLS; c++) {
        /* The cohorts with evaluations, by display name, blank last. */
        const char *shown[64];
        size_t ks[64], n = 0;
        for (size_t k = 0; k < ncoh[c]; k++)
            for (size_t i = 0; i < nrecs; i++)
                if (in_group(&recs[i], c, k, anon, NULL, NULL, NULL)) {
                    ks[n] = k;
                    shown[n++] = cshown[c][k];
                    break;
                }
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0; j--) {
                int bj = strcmp(shown[j], TALLY_BLANK) == 0;
                int bp = strcmp(shown[j - 1], TALLY_BLANK) == 0;
                if (bp < bj || (bp == bj && strcmp(shown[j - 1], shown[j]) <= 0))
                    break;
                const char *s = shown[j];
                shown[j] = shown[j - 1];
                shown[j - 1] = s;
                size_t x = ks[j];
                ks[j] = ks[j - 1];
                ks[j - 1] = x;
            }
        if (tally_ncohorts(t, c) != n)
            return 0;
        for (size_t q = 0; q < n; q++) {
            size_t k = ks[q];
            if (strcmp(tally_cohort_name(t, c, q), shown[q]) != 0)
                return 0;
            uint64_t ev, w;
            ref_sum(c, k, anon, NULL, NULL, NULL, &ev, &w, want);
            struct cohort_totals ct;
            tally_cohort_totals(t, c, q, &ct);
            const char *res[NNAMES + 1];
            size_t nres = distinct(c, k, anon, NULL, NULL, 0, res);
            if (ct.evaluations != ev || ct.words != w ||
                ct.residents != (anon ? 0 : nres) ||
                ct.residents_unknown != anon)
                return 0;
            for (size_t i = 0; i < NITEMS; i++) {
                struct item_counts x = tally_item(t, c, q, i);
                if (!same_counts(&x, &want[i]))
                    return 0;
            }
            /* Cells, by resident. */
            if (tally_ncells(t, c, q) != nres)
                return 0;
            for (size_t j = 0; j < nres; j++) {
                if (strcmp(tally_cell_resident(t, c, q, j), res[j]) != 0)
                    return 0;
                ref_sum(c, k, anon, res[j], NULL, NULL, &ev, &w, want);
                uint64_t e2, w2;
                tally_cell_totals(t, c, q, j, &e2, &w2);
                if (e2 != ev || w2 != w)
                    return 0;
                for (size_t i = 0; i < NITEMS; i++)
                    got[i] = tally_cell_item(t, c, q, j, i);
                size_t m = tally_cell_items(t, c, q, j, items, counts);
                if (!same_items(m, items, counts, want, got))
                    return 0;
            }
            if (!fine) {
                if (tally_nfine(t, c, q) != 0)
                    return 0;
                continue;
            }
            /* Fine cells, by resident, evaluator, stratum. */
            size_t f = 0;
            for (size_t j = 0; j < nres; j++) {
                const char *evs[NNAMES + 1];
                size_t nev = distinct(c, k, anon, res[j], NULL, 1, evs);
                for (size_t e = 0; e < nev; e++) {
                    const char *sts[NSTRATA + 1];
                    size_t nst = distinct(c, k, anon, res[j], evs[e], 2, sts);
                    for (size_t s = 0; s < nst; s++, f++) {
                        if (f >= tally_nfine(t, c, q))
                            return 0;
                        struct tally_fine fc;
                        tally_fine_cell(t, c, q, f, &fc);
                        ref_sum(c, k, anon, res[j], evs[e], sts[s], &ev, &w,
                                want);
                        if (strcmp(fc.resident, res[j]) ||
                            strcmp(fc.evaluator, evs[e]) ||
                            strcmp(fc.stratum, sts[s]) ||
                            fc.evaluations != ev || fc.words != w)
                            return 0;
                        for (size_t i = 0; i < NITEMS; i++)
                            got[i] = tally_fine_item(t, c, q, f, i);
                        size_t m = tally_fine_items(t, c, q, f, items, counts);
                        if (!same_items(m, items, counts, want, got))
                            return 0;
                    }
                }
            }
            if (f != tally_nfine(t, c, q))
                return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------- runs */

/* Items hit by the evaluation numbered evno in earlier calls (parts). */
static unsigned char part_hit[NITEMS];
static long part_evno = -1;

static void random_hits(struct rec *r, size_t dense)
{
    r->nhits = pick(MAXHITS + 1);
    for (size_t h = 0; h < r->nhits; h++) {
        /* dense: a few entries, so cells gather them; else all 400. */
        r->hits[h].entry = (uint32_t)(dense ? pick(dense) : pick(NENTRIES));
        size_t kind = pick(10);
        r->hits[h].negated = kind == 7 || kind == 9;
        r->hits[h].aside = kind == 8 ? 1 : kind == 9 ? 2 : 0;
    }
}

/* One random run: n calls; fine cells, residents known, parts, and
 * relabelling as asked. Returns 1 when the tally equals the reference. */
static int run(uint64_t seed, size_t n, int fine, int anon, int parts,
               int relabel)
{
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    tally *t = tally_new(NCOLS, NENTRIES, cats, NCATS);
    if (fine)
        tally_keep_fine(t);
    if (anon)
        tally_no_residents(t);
    recs = calloc(n, sizeof *recs);
    nrecs = 0;
    memset(ncoh, 0, sizeof ncoh);
    part_evno = -1;
    long evno = 0;
    size_t dense = pick(2) ? 30 : 0;
    while (nrecs < n) {
        /* A person keeps mostly one label per column, as in exports. */
        struct rec *r = &recs[nrecs];
        size_t who = pick(NNAMES);
        r->res = names[who];
        r->ev = names[pick(NNAMES)];
        r->st = strata[pick(NSTRATA)];
        for (size_t c = 0; c < NCOLS; c++)
            r->lab[c] = labels[pick(5) ? (who * 3 + c * 5) % NLABELS
                                       : pick(NLABELS)];
        r->words = pick(4) ? pick(300) : 0;
        size_t nparts = parts ? 1 + pick(3) : 1;
        for (size_t p = 0; p < nparts && nrecs < n; p++) {
            r = &recs[nrecs];
            *r = recs[nrecs - p]; /* a part: the same labels and persons */
            r->words = pick(200);
            random_hits(r, dense);
            r->first = p == 0;
            r->evno = parts ? evno : -1;
            if (!parts || p == 0) {
                memset(part_hit, 0, sizeof part_hit);
                part_evno = evno;
            }
            memset(r->ewh, 0, sizeof r->ewh);
            for (size_t h = 0; h < r->nhits; h++) {
                if (r->hits[h].negated || r->hits[h].aside)
                    continue;
                size_t it[2] = {r->hits[h].entry,
                                NENTRIES + cats[r->hits[h].entry]};
                for (int j = 0; j < 2; j++)
                    if (!part_hit[it[j]])
                        r->ewh[it[j]] = part_hit[it[j]] = 1;
            }
            for (size_t c = 0; c < NCOLS; c++)
                ref_cohort(c, r->lab[c]);
            struct tally_eval e = {r->lab, r->res, r->words, r->hits,
                                   r->nhits, r->ev, r->st};
            if (parts)
                tally_add_part(t, &e, (uint64_t)evno, r->first);
            else
                tally_add(t, &e);
            nrecs++;
        }
        evno++;
        if (relabel && pick(40) == 0) {
            /* Move a resident's evaluations of one column to a label. */
            size_t c = pick(NCOLS);
            const char *res = names[pick(NNAMES)];
            const char *label = labels[pick(NLABELS)];
            /* The tally knows a name it has seen as a resident, and with
             * fine cells as an evaluator or stratum too (one table). */
            int known = 0;
            for (size_t i = 0; i < nrecs; i++)
                known |= strcmp(nz(recs[i].res), nz(res)) == 0 ||
                         (fine && (strcmp(nz(recs[i].ev), nz(res)) == 0 ||
                                   strcmp(nz(recs[i].st), nz(res)) == 0));
            int moved = tally_relabel(t, c, nz(res), label);
            if (known && !anon) {
                size_t k2 = ref_cohort(c, label);
                int want_moved = 0;
                for (size_t i = 0; i < nrecs; i++)
                    if (strcmp(nz(recs[i].res), nz(res)) == 0 &&
                        ref_cohort(c, recs[i].lab[c]) != k2) {
                        recs[i].lab[c] = label;
                        want_moved = 1;
                    }
                if (moved != want_moved) {
                    printf("# relabel returned %d, want %d\n", moved,
                           want_moved);
                    free(recs);
                    tally_free(t);
                    return 0;
                }
            } else if (moved) {
                free(recs);
                tally_free(t);
                return 0;
            }
        }
    }
    tally_finish(t);
    int ok = same_as_reference(t, anon, fine);
    /* Counts from elsewhere (merge) turn add_eval's shortcut off: adding
     * the same evaluations again after a merge still counts right. */
    if (ok && !relabel && !parts) {
        tally *m = tally_new(NCOLS, NENTRIES, cats, NCATS);
        if (fine)
            tally_keep_fine(m);
        if (anon)
            tally_no_residents(m);
        int rc = tally_merge(m, t, NULL);
        for (size_t i = 0; i < nrecs; i++) {
            struct tally_eval e = {recs[i].lab, recs[i].res, recs[i].words,
                                   recs[i].hits, recs[i].nhits, recs[i].ev,
                                   recs[i].st};
            tally_add(m, &e);
        }
        tally_finish(m);
        /* The reference of the doubled list: each record twice. */
        struct rec *twice = calloc(2 * nrecs, sizeof *twice);
        memcpy(twice, recs, nrecs * sizeof *recs);
        memcpy(twice + nrecs, recs, nrecs * sizeof *recs);
        free(recs);
        recs = twice;
        nrecs *= 2;
        ok = rc == 0 && same_as_reference(m, anon, fine);
        tally_free(m);
    }
    free(recs);
    tally_free(t);
    return ok;
}

static void test_random(void)
{
    for (size_t e = 0; e < NENTRIES; e++)
        cats[e] = (uint32_t)((e * 7 + e / 3) % NCATS);
    int fails = 0, runs = 0;
    for (uint64_t seed = 1; seed <= 16; seed++)
        for (int mode = 0; mode < 16; mode++) {
            int fine = mode & 1, anon = (mode >> 1) & 1;
            int parts = (mode >> 2) & 1, relabel = (mode >> 3) & 1;
            size_t n = seed % 8 == 0 ? 2500 : 40 + (size_t)(seed * 13 % 200);
            runs++;
            if (!run(seed, n, fine, anon, parts, relabel)) {
                if (fails++ < 5)
                    printf("# differs: seed %llu, fine %d, anonymous %d, "
                           "parts %d, relabel %d, %zu calls\n",
                           (unsigned long long)seed, fine, anon, parts,
                           relabel, n);
            }
        }
    char d[120];
    snprintf(d, sizeof d, "tally_add equals the reference in %d random runs "
             "(fine cells, residents, parts, relabelling)", runs);
    CHECK(fails == 0, d);
}

/* The reference itself can fail: a count off by one is caught. */
static void test_reference_catches(void)
{
    for (size_t e = 0; e < NENTRIES; e++)
        cats[e] = (uint32_t)((e * 7 + e / 3) % NCATS);
    tally *t = tally_new(NCOLS, NENTRIES, cats, NCATS);
    static struct rec r;
    r = (struct rec){.lab = {"F", "M"}, .res = "ann", .ev = "dr", .st = "",
                     .words = 10, .hits = {{3, 0, 0}}, .nhits = 1,
                     .first = 1, .evno = -1};
    r.ewh[3] = r.ewh[NENTRIES + cats[3]] = 1;
    recs = &r;
    nrecs = 1;
    memset(ncoh, 0, sizeof ncoh);
    ref_cohort(0, "F");
    ref_cohort(1, "M");
    struct tally_eval e = {r.lab, r.res, r.words, r.hits, r.nhits, NULL, NULL};
    tally_add(t, &e);
    tally_finish(t);
    CHECK(same_as_reference(t, 0, 0), "one evaluation equals the reference");
    r.words = 11;
    CHECK(!same_as_reference(t, 0, 0), "a word more in the reference is seen");
    r.words = 10;
    r.hits[0].negated = 1;
    CHECK(!same_as_reference(t, 0, 0), "a hit counted as negated is seen");
    tally_free(t);
    recs = NULL;
    nrecs = 0;
}

int main(void)
{
    test_reference_catches();
    test_random();
    return check_done();
}
