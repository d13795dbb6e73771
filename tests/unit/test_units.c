/* test_units.c - the units of an audit: evaluations in parts
 * (tally_add_part), one label per person (labels.h, tally_relabel), the
 * comment-question guess (questions.h), roster keys (roster.h). Expected
 * values are counted by hand from the inputs written here. */
#include "check.h"
#include "labels.h"
#include "questions.h"
#include "roster.h"
#include "tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint32_t cats[] = {0, 0};

static void part(tally *t, const char *cohort, const char *res, uint64_t w,
                 const struct tally_hit *h, size_t n, uint64_t ev, int first)
{
    const char *cohorts[] = {cohort};
    struct tally_eval e = {cohorts, res, w, h, n};
    tally_add_part(t, &e, ev, first);
}

static void test_parts(void)
{
    tally *t = tally_new(1, 2, cats, 1);
    struct tally_hit a[] = {{0, 0}}, b[] = {{0, 0}, {1, 0}}, neg[] = {{1, 1}};
    /* evaluation 0 in three parts, evaluation 1 in between */
    part(t, "F", "ann", 10, a, 1, 0, 1);
    part(t, "F", "ann", 5, b, 2, 1, 1);
    part(t, "F", "ann", 7, a, 1, 0, 0);
    part(t, "F", "ann", 3, neg, 1, 0, 0);
    tally_finish(t);
    struct cohort_totals ct;
    tally_cohort_totals(t, 0, 0, &ct);
    CHECK_INT(ct.evaluations, 2, "parts of one evaluation count it once");
    CHECK_INT(ct.words, 25, "every part adds its words");
    struct item_counts e0 = tally_item(t, 0, 0, 0);
    CHECK_INT(e0.hits, 3, "entry 0: three hits over two evaluations");
    CHECK_INT(e0.evals_with_hit, 2, "entry 0: an evaluation's parts once");
    struct item_counts e1 = tally_item(t, 0, 0, 1);
    CHECK_INT(e1.hits, 1, "entry 1: one non-negated hit");
    CHECK_INT(e1.negated, 1, "entry 1: one negated hit");
    CHECK_INT(e1.evals_with_hit, 1, "a negated hit is no evaluation with a hit");
    struct item_counts cat = tally_item(t, 0, 0, 2);
    CHECK_INT(cat.evals_with_hit, 2, "category: each evaluation once");
    char msg[200];
    CHECK(tally_check(t, msg, sizeof msg) == 0, "cells add up");
    tally_free(t);
}

static void add(tally *t, const char *cohort, const char *res, uint64_t w,
                const struct tally_hit *h, size_t n)
{
    const char *cohorts[] = {cohort};
    struct tally_eval e = {cohorts, res, w, h, n};
    tally_add(t, &e);
}

static void test_labels(void)
{
    labels *l = labels_new(1);
    labels_note(l, 0, "ann", "F", 3);
    labels_note(l, 0, "ann", " ", 1);
    labels_note(l, 0, "bo", "M", 2);
    labels_note(l, 0, "bo", "f", 1);
    labels_note(l, 0, "cy", "M", 1);
    labels_note(l, 0, "cy", "F", 1);
    labels_note(l, 0, "di", "", 2);
    labels_note(l, 0, "ed", "female", 1);
    labels_note(l, 0, "ed", "Female ", 1);
    enum label_how how;
    CHECK_STR(labels_choose(l, 0, 0, &how), "F", "blanks filled");
    CHECK_INT(how, LABEL_FILLED, "... as filled");
    CHECK_STR(labels_choose(l, 0, 1, &how), "M", "a conflict: the most frequent");
    CHECK_INT(how, LABEL_MAJORITY, "... as majority");
    CHECK_STR(labels_choose(l, 0, 2, &how), LABELS_CONFLICT, "a tie: (conflict)");
    CHECK_INT(how, LABEL_TIE, "... as tie");
    CHECK_STR(labels_choose(l, 0, 3, &how), "", "never labelled: blank");
    CHECK_STR(labels_choose(l, 0, 4, &how), "female", "spellings grouped");
    CHECK_INT(how, LABEL_SAME, "... no relabelling");

    /* The tally of those rows, relabelled, equals the tally of the rows
     * labelled right in the first place. */
    struct tally_hit h[] = {{0, 0}};
    tally *t = tally_new(1, 2, cats, 1), *want = tally_new(1, 2, cats, 1);
    add(t, "F", "ann", 10, h, 1);
    add(t, "", "ann", 4, h, 1);
    add(t, "", "zed", 3, NULL, 0);
    add(want, "F", "ann", 10, h, 1);
    add(want, "F", "ann", 4, h, 1);
    add(want, "", "zed", 3, NULL, 0);
    labels *l2 = labels_new(1);
    labels_note(l2, 0, "ann", "F", 1);
    labels_note(l2, 0, "ann", "", 1);
    labels_note(l2, 0, "zed", "", 1);
    unsigned long filled = 0, maj = 0, tie = 0;
    labels_apply(l2, t, &filled, &maj, &tie);
    CHECK_INT(filled, 1, "one resident relabelled");
    tally_finish(t);
    tally_finish(want);
    CHECK_INT(tally_ncohorts(t, 0), 2, "F and (blank) of zed");
    for (size_t k = 0; k < 2; k++) {
        struct cohort_totals a, b;
        tally_cohort_totals(t, 0, k, &a);
        tally_cohort_totals(want, 0, k, &b);
        CHECK(a.evaluations == b.evaluations && a.words == b.words &&
              a.residents == b.residents, "cohort totals as if labelled");
        struct item_counts x = tally_item(t, 0, k, 0), y = tally_item(want, 0, k, 0);
        CHECK(x.hits == y.hits && x.evals_with_hit == y.evals_with_hit,
              "item counts as if labelled");
    }
    char msg[200];
    CHECK(tally_check(t, msg, sizeof msg) == 0, "relabelled cells add up");
    /* A relabelled cell's old cohort can take new evaluations again. */
    add(t, "", "ann", 1, NULL, 0);
    tally_finish(t);
    CHECK(tally_check(t, msg, sizeof msg) == 0, "a moved cell comes back");
    tally_free(t);
    tally_free(want);
    labels_free(l);
    labels_free(l2);
}

static void test_questions(void)
{
    size_t w;
    CHECK(questions_is_rating("3", 1, &w), "a number is a rating");
    CHECK(questions_is_rating("4 - Proficient", 14, &w), "a numbered label");
    CHECK(questions_is_rating("(2) Developing", 14, &w), "a numbered label");
    CHECK(questions_is_rating(" Meets expectations ", 20, &w), "a short phrase");
    CHECK(!questions_is_rating("Great with patients, calm.", 26, &w), "text");
    struct questions q;
    questions_init(&q);
    static const char *const scale[] = {"Meets expectations",
                                        "Exceeds expectations",
                                        "Below expectations"};
    char buf[80];
    for (int i = 0; i < 30; i++) {
        questions_observe(&q, "Professionalism", 15, scale[i % 3],
                          strlen(scale[i % 3]));
        questions_observe(&q, "Rating", 6, i % 2 ? "4" : "5", 1);
        snprintf(buf, sizeof buf, "Strong work on night %d, kept the team calm.", i);
        questions_observe(&q, "Comments", 8, buf, strlen(buf));
        snprintf(buf, sizeof buf, "Great job %d!", i);
        questions_observe(&q, "Kudos", 5, buf, strlen(buf));
        questions_observe(&q, "Other", 5, "", 0);
    }
    questions_decide(&q);
    CHECK(!questions_is_comment(&q, "Professionalism", 15), "scale labels");
    CHECK(!questions_is_comment(&q, "Rating", 6), "numbers");
    CHECK(questions_is_comment(&q, "Comments", 8), "free text");
    CHECK(questions_is_comment(&q, "Kudos", 5), "short, distinct free text");
    CHECK(!questions_is_comment(&q, "Other", 5), "never answered");
    CHECK_INT(q.chosen.n, 2, "two comment questions");
    questions_fini(&q);

    struct diag err;
    questions_init(&q);
    CHECK(questions_add(&q, "Strengths,Areas\\, weaknesses,/^over/", &err) == 0,
          "names, an escaped comma, a regex");
    CHECK(questions_is_comment(&q, "Areas, weaknesses", 17), "escaped comma");
    CHECK(questions_is_comment(&q, "Overall Comments", 16), "regex, caseless");
    CHECK(!questions_is_comment(&q, "Areas", 5), "not a prefix match");
    CHECK(questions_add(&q, "a,,b", &err) < 0, "an empty name is an error");
    questions_fini(&q);
}

static void test_roster(void)
{
    char path[] = "/tmp/evalbias-roster-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("Name,Gender\n  Jessica   Mensah ,F\n\"Hartley, Zoë\",W\n,M\n", f);
    fclose(f);
    const char *co[] = {"Gender=Resident Gender"};
    struct roster_options o = {.path = path, .key = "Name", .cohort = co,
                               .ncohort = 1};
    struct diag err;
    roster *r = roster_load(&o, &err);
    CHECK(r != NULL, "roster loads");
    if (r) {
        CHECK_STR(roster_cohort_name(r, 0), "Resident Gender", "=NAME");
        CHECK_INT(roster_nrows(r), 2, "a blank key is no resident");
        long k = roster_find(r, "Mensah, Jessica", 15);
        CHECK(k >= 0 && strcmp(roster_value(r, k, 0), "F") == 0,
              "\"Last, First\" matches \"First Last\", spaces collapsed");
        k = roster_find(r, "zoë hartley", strlen("zoë hartley"));
        CHECK(k >= 0 && strcmp(roster_value(r, k, 0), "W") == 0,
              "case-insensitive");
        CHECK(roster_find(r, "Nobody", 6) < 0, "unknown resident");
        CHECK_INT(roster_nunseen(r), 0, "every roster resident seen");
        roster_free(r);
    }
    unlink(path);
}

int main(void)
{
    test_parts();
    test_labels();
    test_questions();
    test_roster();
    return check_done();
}
