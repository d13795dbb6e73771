/* test_compare.c - comparisons from a hand-built tally: suppression,
 * reference choice, values equal to the stats functions, BH families, and
 * no NaN or infinity for zero counts, no words and a single resident. */
#include "check.h"
#include "compare.h"
#include "diag.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Entries 0, 1 in category 0. Items: 0, 1 entries; 2 the category. */
static const uint32_t cats[] = {0, 0};
#define NITEMS 3

static void add(tally *t, const char *cohort, const char *resident,
                uint64_t words, uint32_t entry, size_t nhits)
{
    struct tally_hit h[16];
    for (size_t i = 0; i < nhits; i++)
        h[i] = (struct tally_hit){entry, 0};
    const char *cohorts[] = {cohort};
    struct tally_eval ev = {cohorts, resident, words, h, nhits};
    tally_add(t, &ev);
}

/* Women: 6 residents; Men: 8 residents; Other: 2 residents (suppressed). */
static tally *sample(void)
{
    tally *t = tally_new(1, 2, cats, 1);
    char name[16];
    for (int r = 0; r < 6; r++) {
        snprintf(name, sizeof name, "w%d", r);
        add(t, "Woman", name, 200, 0, (size_t)(r % 3 + 1));
        add(t, "woman ", name, 100, 1, 1);
    }
    for (int r = 0; r < 8; r++) {
        snprintf(name, sizeof name, "m%d", r);
        add(t, "Man", name, 300, 0, (size_t)(r % 2));
    }
    add(t, "Other", "o1", 100, 0, 3);
    add(t, "Other", "o2", 100, 0, 0);
    /* Five residents without a label: the complement suppressed with
     * "Other", so that Other cannot be had by subtraction (suppress.h). */
    for (int r = 0; r < 5; r++) {
        snprintf(name, sizeof name, "b%d", r);
        add(t, "", name, 100, 0, 1);
    }
    tally_finish(t);
    return t;
}

static int all_finite(const struct comparison *c)
{
    const double v[] = {
        c->a.rate_per_1000, c->b.rate_per_1000, c->exact.rr, c->exact.lo,
        c->exact.hi, c->exact.p, c->cluster.rr, c->cluster.lo, c->cluster.hi,
        c->cluster.p, c->cluster.se, c->prevalence.diff, c->prevalence.lo,
        c->prevalence.hi, c->prevalence.p, c->q};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void test_suppression_and_reference(void)
{
    tally *t = sample();
    struct compare_options o;
    compare_options_default(&o);
    struct comparisons c;
    struct diag err = {0};
    CHECK(compare_run(t, NULL, &o, &c, &err) == 0, "compare runs");
    /* cohorts sorted: Man, Other, Woman */
    CHECK_STR(tally_cohort_name(t, 0, 1), "Other", "cohort order");
    CHECK(!compare_cohort_shown(&c, 0, 1), "2 residents < 5: suppressed");
    CHECK(compare_cohort_shown(&c, 0, 0) && compare_cohort_shown(&c, 0, 2),
          "6 and 8 residents shown");
    CHECK_INT(c.suppressed, 2, "Other and its complement (blank) counted as suppressed");
    CHECK_INT(c.reference[0], 0, "default reference: most residents (Man)");
    CHECK_INT(c.n, NITEMS, "one family: Woman vs Man, every item");
    for (size_t i = 0; i < c.n; i++)
        CHECK(c.v[i].cohort == 2 && c.v[i].reference == 0,
              "no comparison involves the suppressed cohort");
    comparisons_fini(&c);

    o.reference = " WOMAN";
    CHECK(compare_run(t, NULL, &o, &c, &err) == 0, "named reference");
    CHECK_INT(c.reference[0], 2, "reference matched trimmed, any case");
    comparisons_fini(&c);

    o.reference = "Other";
    CHECK(compare_run(t, NULL, &o, &c, &err) < 0,
          "a suppressed cohort cannot be the reference");
    CHECK(strstr(err.msg, "too few residents") != NULL, "says why");
    comparisons_fini(&c);

    o.reference = "Nobody";
    const char *names[] = {"Resident Gender"};
    o.column_names = names;
    CHECK(compare_run(t, NULL, &o, &c, &err) < 0, "unknown reference");
    CHECK(strstr(err.msg, "\"Resident Gender\"") &&
          strstr(err.msg, "\"Man\", \"Woman\"") && !strstr(err.msg, "Other"),
          "names the column and the shown cohorts, never a suppressed one");
    comparisons_fini(&c);

    o.reference = NULL;
    o.min_residents = 1;
    CHECK(compare_run(t, NULL, &o, &c, &err) == 0, "min_residents 1");
    CHECK_INT(c.suppressed, 0, "nothing suppressed");
    CHECK_INT(c.n, 2 * NITEMS, "two families");
    comparisons_fini(&c);
    tally_free(t);
}

static void test_values(void)
{
    tally *t = sample();
    struct compare_options o;
    compare_options_default(&o);
    struct comparisons c;
    struct diag err = {0};
    CHECK(compare_run(t, NULL, &o, &c, &err) == 0 && c.n > 0, "compare_run");
    const struct comparison *e0 = &c.v[0];
    /* Woman: entry 0 hits 1+2+3+1+2+3 = 12 in 1800 words; 6 evaluations
     * with a hit out of 12. Man: 4 hits in 2400 words, 4 of 8. */
    CHECK_INT(e0->a.hits, 12, "cohort hits");
    CHECK_INT(e0->a.words, 1800, "cohort words");
    CHECK_INT(e0->b.hits, 4, "reference hits");
    struct stats_poisson ex;
    stats_poisson_exact(12, 1800, 4, 2400, 0.95, &ex);
    CHECK(e0->exact.rr == ex.rr && e0->exact.lo == ex.lo &&
          e0->exact.p == ex.p, "exact ratio is stats_poisson_exact's");
    struct stats_prevalence pv;
    stats_prevalence_diff(6, 12, 4, 8, 0.95, &pv);
    CHECK(e0->prevalence.diff == pv.diff && e0->prevalence.p == pv.p,
          "prevalence is stats_prevalence_diff's");
    CHECK_INT(e0->cluster.clusters, 14, "clusters = residents of both cohorts");
    CHECK(fabs(e0->cluster.rr - ex.rr) < 1e-12, "robust ratio = exact ratio");
    double p[NITEMS], q[NITEMS];
    for (size_t i = 0; i < NITEMS; i++)
        p[i] = (c.v[i].cluster.flags & STATS_NA_P) ? NAN : c.v[i].cluster.p;
    stats_bh(p, NITEMS, q);
    for (size_t i = 0; i < NITEMS; i++)
        CHECK(c.v[i].q == q[i], "q-values: BH over the family");
    /* Entry 1: Man has no hits: ratio unbounded, noted, finite storage. */
    CHECK(c.v[1].exact.status == STATS_ZERO_REF, "zero reference status");
    CHECK(strstr(c.v[1].note, "reference cohort has no events") != NULL,
          "note says the reference has no hits");
    for (size_t i = 0; i < c.n; i++)
        CHECK(all_finite(&c.v[i]), "every value finite");
    comparisons_fini(&c);
    tally_free(t);
}

/* A cohort with no words and a cohort of one resident. */
static void test_degenerate(void)
{
    tally *t = tally_new(1, 2, cats, 1);
    add(t, "A", "a1", 0, 0, 0);
    add(t, "A", "a2", 0, 0, 0);
    add(t, "B", "b1", 50, 0, 2);
    add(t, "B", "b1", 50, 1, 1);
    tally_finish(t);
    struct compare_options o;
    compare_options_default(&o);
    o.min_residents = 1;
    o.reference = "B";
    struct comparisons c;
    struct diag err = {0};
    CHECK(compare_run(t, NULL, &o, &c, &err) == 0, "degenerate run");
    CHECK_INT(c.n, NITEMS, "A vs B compared");
    for (size_t i = 0; i < c.n; i++) {
        CHECK(all_finite(&c.v[i]), "no NaN or inf with no words");
        CHECK(c.v[i].note[0] != '\0', "each degenerate value has a note");
    }
    CHECK(strstr(c.v[0].note, "no words") != NULL, "note: no words");
    comparisons_fini(&c);
    tally_free(t);
}

int main(void)
{
    test_suppression_and_reference();
    test_values();
    test_degenerate();
    return check_done();
}
