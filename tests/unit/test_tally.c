/* test_tally.c - counts per cohort, resident and item. */
#include "check.h"
#include "tally.h"
#include "hashmap.h"

#include <stdlib.h>

/* Entries 0,1 are in category 0; entry 2 in category 1. */
static const uint32_t cats[] = {0, 0, 1};

static void add(tally *t, const char *cohort, const char *resident,
                uint64_t words, const struct tally_hit *h, size_t n)
{
    const char *cohorts[] = {cohort};
    struct tally_eval ev = {cohorts, resident, words, h, n};
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

int main(void)
{
    test_counts();
    test_two_columns();
    test_hashmap();
    return check_done();
}
