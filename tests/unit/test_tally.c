/* test_tally.c - counts per cohort, resident and item. */
#include "check.h"
#include "tally.h"
#include "hashmap.h"

#include <stdio.h>
#include <stdlib.h>

/* Entries 0,1 are in category 0; entry 2 in category 1. */
static const uint32_t cats[] = {0, 0, 1};

static void add(tally *t, const char *cohort, const char *resident,
                uint64_t words, const struct tally_hit *h, size_t n)
{
    const char *cohorts[] = {cohort};
    struct tally_eval ev = {cohorts, resident, words, h, n, NULL, NULL};
    tally_add(t, &ev);
}

static void test_counts(void)
{
    tally *t = tally_new(1, 3, cats, 2);
    struct tally_hit h1[] = {{0, 0}, {0, 0}, {1, 1}, {2, 0}};
    struct tally_hit h2[] = {{1, 0}};
    add(t, "Female", "ann", 100, h1, 4);
    add(t, " female ", "ann", 50, h2, 1);
    add(t, "FEMALE", "bea", 10, NULL, 0);
    add(t, "Male", "carl", 70, h2, 1);
    add(t, "", "dan", 5, NULL, 0);
    tally_finish(t);
    CHECK_INT(tally_nitems(t), 5, "items = entries + categories");
    CHECK_INT(tally_ncohorts(t, 0), 3, "Female variants grouped, blank apart");
    CHECK_STR(tally_cohort_name(t, 0, 0), "Female", "first spelling shown, trimmed");
    CHECK_STR(tally_cohort_name(t, 0, 1), "Male", "sorted by name");
    CHECK_STR(tally_cohort_name(t, 0, 2), TALLY_BLANK, "(blank) sorts last");
    struct cohort_totals ct;
    tally_cohort_totals(t, 0, 0, &ct);
    CHECK_INT(ct.evaluations, 3, "female evaluations");
    CHECK_INT(ct.words, 160, "female words");
    CHECK_INT(ct.residents, 2, "female residents (distinct)");
    struct item_counts ic = tally_item(t, 0, 0, 0);
    CHECK_INT(ic.hits, 2, "entry 0 hits");
    CHECK_INT(ic.evals_with_hit, 1, "entry 0 counted once per evaluation");
    ic = tally_item(t, 0, 0, 1);
    CHECK_INT(ic.hits, 1, "entry 1 hits exclude negated");
    CHECK_INT(ic.negated, 1, "entry 1 negated counted apart");
    CHECK_INT(ic.evals_with_hit, 1, "negated hit does not make an evaluation 'with hit'");
    ic = tally_item(t, 0, 0, 3 + 0);
    CHECK_INT(ic.hits, 3, "category 0 total hits");
    CHECK_INT(ic.negated, 1, "category 0 total negated");
    CHECK_INT(ic.evals_with_hit, 2, "category 0: both of ann's evaluations");
    ic = tally_item(t, 0, 0, 3 + 1);
    CHECK_INT(ic.hits, 1, "category 1 total");
    /* resident-level cells */
    CHECK_INT(tally_ncells(t, 0, 0), 2, "two female residents");
    CHECK_STR(tally_cell_resident(t, 0, 0, 0), "ann", "cells sorted by resident");
    uint64_t ev, w;
    tally_cell_totals(t, 0, 0, 0, &ev, &w);
    CHECK_INT(ev, 2, "ann's evaluations");
    CHECK_INT(w, 150, "ann's words");
    CHECK_INT(tally_cell_item(t, 0, 0, 0, 3).hits, 3, "ann's category 0 hits");
    CHECK_INT(tally_cell_item(t, 0, 0, 1, 3).hits, 0, "bea has none");
    tally_cohort_totals(t, 0, 2, &ct);
    CHECK_INT(ct.evaluations, 1, "blank cohort kept, not dropped");
    tally_free(t);
}

static void test_two_columns(void)
{
    tally *t = tally_new(2, 3, cats, 2);
    struct tally_hit h[] = {{2, 0}};
    const char *c1[] = {"F", "M"};
    const char *c2[] = {"F", "F"};
    struct tally_eval e1 = {c1, "r1", 10, h, 1}, e2 = {c2, "r1", 20, h, 1};
    tally_add(t, &e1);
    tally_add(t, &e2);
    tally_finish(t);
    CHECK_INT(tally_ncohorts(t, 0), 1, "column 1: one cohort");
    CHECK_INT(tally_ncohorts(t, 1), 2, "column 2: two cohorts");
    CHECK_INT(tally_item(t, 0, 0, 2).evals_with_hit, 2,
              "each column counts evaluations on its own");
    CHECK_INT(tally_ncells(t, 1, 0) + tally_ncells(t, 1, 1), 2,
              "a resident with evaluations in two cohorts has two cells");
    tally_free(t);
}

static void test_hashmap(void)
{
    struct u64map m;
    u64map_init(&m);
    int added;
    for (uint64_t k = 0; k < 10000; k++)
        u64map_put(&m, k * 7919, (size_t)k, &added);
    size_t *v = u64map_get(&m, 500 * 7919);
    CHECK(v && *v == 500, "u64map survives rehashing");
    CHECK(u64map_get(&m, 3) == NULL, "u64map miss");
    u64map_fini(&m);
    struct strmap s;
    strmap_init(&s);
    strmap_put(&s, "a\0b", 3, 1, &added);
    CHECK(added && strmap_get(&s, "a\0b", 3) && !strmap_get(&s, "a", 1),
          "strmap keys are byte strings, NUL included");
    strmap_put(&s, "a\0b", 3, 2, &added);
    CHECK(!added && *strmap_get(&s, "a\0b", 3) == 1, "strmap put keeps first value");
    strmap_fini(&s);
}

/* u64map against a plain list, on keys of the shapes the modules use
 * (packed pairs, owner * n + item, hashes, 0 and ~0), past several
 * doublings; and strmap on keys that differ in one byte, at every
 * length around its word-at-a-time hash and compare. */
static void test_hashmap_random(void)
{
    enum { N = 20000 };
    static uint64_t keys[N];
    static size_t vals[N];
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (i % 4) {
        case 0: keys[i] = x; break;
        case 1: keys[i] = (x % 50) << 32 | (x >> 40) % 1000; break;
        case 2: keys[i] = (x % 300) * 407 + (x >> 32) % 407; break;
        default: keys[i] = i & 1 ? UINT64_MAX - i : i; break;
        }
    }
    struct u64map m;
    u64map_init(&m);
    int ok = 1;
    size_t distinct = 0;
    for (size_t i = 0; i < N; i++) {
        size_t first = i; /* the first index with this key */
        for (size_t j = 0; j < i; j++)
            if (keys[j] == keys[i]) {
                first = j;
                break;
            }
        int added;
        size_t *v = u64map_put(&m, keys[i], i, &added);
        if (added != (first == i) || *v != first)
            ok = 0;
        distinct += first == i;
        vals[i] = first;
    }
    CHECK(ok, "u64map_put: added once per key, first value kept");
    CHECK_INT(m.n, distinct, "u64map counts its keys");
    ok = 1;
    for (size_t i = 0; i < N; i++) {
        size_t *v = u64map_get(&m, keys[i]);
        if (!v || *v != vals[i])
            ok = 0;
        /* a neighbour of a key is another key, or absent */
        v = u64map_get(&m, keys[i] + 1);
        size_t j = 0;
        while (j < N && keys[j] != keys[i] + 1)
            j++;
        if (j < N ? !v || *v != vals[j] : v != NULL)
            ok = 0;
    }
    CHECK(ok, "u64map_get finds every key, and no key it was not given");
    u64map_fini(&m);

    struct strmap s;
    strmap_init(&s);
    char key[48];
    int added;
    ok = 1;
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at < (len ? len : 1); at++) {
            memset(key, 'a', len);
            if (len)
                key[at] = 'b';
            size_t *v = strmap_put(&s, key, len, len * 100 + at, &added);
            /* len 0 has one key; the rest differ in the byte at `at` */
            if (!added || *v != len * 100 + at)
                ok = 0;
        }
    CHECK(ok, "strmap: keys one byte apart are distinct");
    ok = 1;
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at < (len ? len : 1); at++) {
            memset(key, 'a', len);
            if (len)
                key[at] = 'b';
            size_t *v = strmap_get(&s, key, len);
            if (!v || *v != len * 100 + at)
                ok = 0;
            if (len) {
                key[at] = 'c';
                if (strmap_get(&s, key, len))
                    ok = 0;
            }
        }
    memset(key, 'a', 41);
    CHECK(ok && !strmap_get(&s, key, 41), "strmap_get: each found, near misses not");
    strmap_fini(&s);
}

/* add_eval's unchecked adds stop where a count could pass 2^64 - 1: the
 * count saturates and the tally says so, as with checked adds. */
static void test_overflow(void)
{
    const char *cohorts[] = {"F"};
    struct tally_hit h[] = {{0, 0, 0}};
    struct tally_eval e = {cohorts, "ann", UINT64_MAX - 5, h, 1, NULL, NULL};
    tally *t = tally_new(1, 3, cats, 2);
    tally_add(t, &e);
    CHECK(!tally_overflowed(t), "2^64 - 6 words: no overflow yet");
    e.words = 5;
    tally_add(t, &e);
    CHECK(!tally_overflowed(t), "2^64 - 1 words: still none");
    e.words = 1;
    tally_add(t, &e);
    tally_finish(t);
    struct cohort_totals ct;
    tally_cohort_totals(t, 0, 0, &ct);
    CHECK(tally_overflowed(t) && ct.words == UINT64_MAX,
          "one word more: saturated and flagged");
    CHECK_INT(ct.evaluations, 3, "the other counts are right");
    tally_free(t);
    /* Counts put from elsewhere (a tally file) are checked too. */
    t = tally_new(1, 3, cats, 2);
    size_t k = tally_put_cohort(t, 0, "F");
    tally_add_cohort(t, 0, k, UINT64_MAX, 0);
    e.words = 1;
    tally_add(t, &e);
    CHECK(tally_overflowed(t), "an evaluation more than 2^64 - 1: flagged");
    tally_free(t);
}

static void add_fine(tally *t, const char *c0, const char *c1,
                     const char *res, const char *ev, const char *st,
                     uint64_t words, const struct tally_hit *h, size_t n)
{
    const char *cohorts[] = {c0, c1};
    struct tally_eval e = {cohorts, res, words, h, n, ev, st};
    tally_add(t, &e);
}

/* Fine cells: per (cohort, resident, evaluator, stratum); they add up to
 * the cohort, follow tally_relabel, survive tally_merge, and count the
 * cohort's evaluators. */
static void test_fine(void)
{
    tally *t = tally_new(2, 3, cats, 2);
    tally_keep_fine(t);
    struct tally_hit h[] = {{0, 0}, {2, 0}};
    add_fine(t, "F", "F", "ann", "dr1", "PGY1", 100, h, 2);
    add_fine(t, "F", "F", "ann", "dr1", "PGY1", 50, h, 1);
    add_fine(t, "", "M", "ann", "dr2", "PGY2", 30, h, 1);
    add_fine(t, "M", "M", "bob", "dr2", "PGY1", 70, NULL, 0);
    add_fine(t, "M", "F", "bob", "dr3", "PGY1", 20, h + 1, 1);
    CHECK(tally_relabel(t, 0, "ann", "F") == 1, "ann's blank row relabelled");
    tally_finish(t);
    char msg[200];
    CHECK(tally_check(t, msg, sizeof msg) == 0, "fine cells add up");
    CHECK(tally_has_fine(t), "the tally keeps fine cells");
    CHECK_INT(tally_ncohorts(t, 0), 2, "relabelled: F and M only");
    CHECK_INT(tally_nfine(t, 0, 0), 2, "F: (ann, dr1, PGY1), (ann, dr2, PGY2)");
    struct tally_fine f;
    tally_fine_cell(t, 0, 0, 1, &f);
    CHECK_STR(f.evaluator, "dr2", "the moved fine cell keeps its evaluator");
    CHECK_STR(f.stratum, "PGY2", "... and its stratum");
    CHECK_INT(f.words, 30, "... and its words");
    CHECK_INT(tally_fine_item(t, 0, 0, 1, 0).hits, 1, "... and its hits");
    tally_fine_cell(t, 0, 0, 0, &f);
    CHECK_INT(f.evaluations, 2, "two evaluations in (ann, dr1, PGY1)");
    CHECK_INT(tally_fine_item(t, 0, 0, 0, 3).hits, 2,
              "category 0 in (ann, dr1, PGY1)");
    CHECK_INT(tally_cohort_evaluators(t, 1, 0), 2, "column 2, F: dr1, dr3");
    CHECK_INT(tally_cohort_evaluators(t, 1, 1), 1, "column 2, M: dr2");
    CHECK_INT(tally_find_cohort(t, 1, " m "), 1, "find a cohort as grouped");
    CHECK(tally_find_cohort(t, 1, "X") == SIZE_MAX, "no such cohort");
    /* Merge into an empty tally: the same fine cells. */
    tally *m = tally_new(2, 3, cats, 2);
    CHECK(tally_merge(m, t, NULL) == 0, "merged");
    tally_finish(m);
    CHECK(tally_has_fine(m) && tally_check(m, msg, sizeof msg) == 0,
          "merged fine cells add up");
    CHECK_INT(tally_nfine(m, 0, 1), 2, "M: (bob, dr2), (bob, dr3)");
    /* A part without fine cells: the merge has none usable. */
    tally *plain = tally_new(2, 3, cats, 2);
    add_fine(plain, "F", "F", "cy", "dr9", "", 10, NULL, 0);
    tally_finish(plain);
    CHECK(tally_merge(m, plain, NULL) == 0, "merged a part without them");
    tally_finish(m);
    CHECK(!tally_has_fine(m), "then no fine cells are used");
    CHECK(tally_check(m, msg, sizeof msg) == 0, "and the tally still checks");
    tally_free(plain);
    tally_free(m);
    tally_free(t);
}

/* Without residents (tally_no_residents): one anonymous cell per cohort
 * whatever the residents passed, residents unknown, cells put or merged
 * collapse too, and the counts are those of a tally with residents. */
static void test_no_residents(void)
{
    tally *t = tally_new(1, 3, cats, 2), *r = tally_new(1, 3, cats, 2);
    tally_no_residents(t);
    struct tally_hit h[] = {{0, 0}, {2, 0}};
    char id[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "e%d", i);
        add(t, i % 3 ? "F" : "M", id, 10, h, (size_t)(i % 3));
        add(r, i % 3 ? "F" : "M", id, 10, h, (size_t)(i % 3));
    }
    tally_finish(t);
    tally_finish(r);
    char msg[200];
    CHECK(!tally_residents_known(t) && tally_residents_known(r),
          "residents unknown only where asked");
    CHECK(tally_check(t, msg, sizeof msg) == 0, "one cell per cohort adds up");
    CHECK_INT(tally_ncells(t, 0, 0), 1, "F: one cell, not one per evaluation");
    CHECK_INT(tally_ncells(t, 0, 1), 1, "M: one cell");
    struct cohort_totals a, b;
    tally_cohort_totals(t, 0, 0, &a);
    tally_cohort_totals(r, 0, 0, &b);
    CHECK(a.residents_unknown && a.residents == 0 && !b.residents_unknown,
          "cohort residents: unknown (0), flagged");
    CHECK_INT(a.evaluations, b.evaluations, "same evaluations");
    CHECK_INT(a.words, b.words, "same words");
    for (size_t i = 0; i < tally_nitems(t); i++) {
        struct item_counts x = tally_item(t, 0, 0, i), y = tally_item(r, 0, 0, i);
        CHECK(x.hits == y.hits && x.evals_with_hit == y.evals_with_hit,
              "same item counts");
    }
    CHECK(tally_relabel(t, 0, "e1", "M") == 0, "no person to relabel");
    /* Merging a tally with residents into one without: collapsed. */
    tally *m = tally_new(1, 3, cats, 2);
    CHECK(tally_merge(m, t, "p1:") == 0, "merged the anonymous part");
    CHECK(tally_merge(m, r, "p2:") == 0, "merged a part with names");
    tally_finish(m);
    CHECK(!tally_residents_known(m), "the merge has no residents either");
    CHECK_INT(tally_ncells(m, 0, 0), 1, "merged: still one cell");
    CHECK(tally_check(m, msg, sizeof msg) == 0, "merged cells add up");
    tally_cohort_totals(m, 0, 0, &a);
    CHECK_INT(a.evaluations, 2 * b.evaluations, "merged evaluations");
    tally_free(m);
    tally_free(r);
    tally_free(t);
}

int main(void)
{
    test_counts();
    test_fine();
    test_no_residents();
    test_two_columns();
    test_hashmap();
    test_hashmap_random();
    test_overflow();
    return check_done();
}
