/* audit_units.c - the units of an audit (audit.h): which rows make an
 * evaluation, where each cohort column's labels come from, and one label
 * per person.
 *
 * Long exports. With --question and --answer, every row is one answer;
 * rows with the same --id value are one evaluation, adjacent or not. The
 * first analysed part of an evaluation fixes its cohort labels and
 * resident (kept per evaluation, interned); later parts reuse them, and
 * the tally counts the evaluation once (tally_add_part). Memory grows with
 * the number of evaluations - their ids, ncols label numbers and the items
 * each has hit - never with the number of rows. Only comment questions are
 * scanned (questions.h); rating questions and blank answers are analysed
 * rows that add no words.
 *
 * One label per person. A cohort column is evaluation-level (PGY,
 * rotation, academic year: they change over time), resident-level
 * (gender/sex columns and roster columns) or evaluator-level (a header
 * naming an evaluator, faculty, attending, rater or preceptor);
 * --cohort-level COL=LEVEL overrides. A resident-level column gets one
 * label per resident without a second pass: rows are tallied under their
 * own labels (the tally keeps per-resident cells for the clustered
 * statistics), each evaluation's label is noted per resident (labels.h),
 * and at the end every resident's cells move to the resident's one label
 * (tally_relabel) - exact, as a cohort is the sum of its cells. Memory:
 * residents x labels. The rule (labels.h): blanks are filled from the
 * resident's other evaluations; a real conflict goes to the most frequent
 * label, a tie to "(conflict)"; a roster, when it lists the resident, has
 * given every row its label already, so it wins.
 *
 * Evaluator-level columns are recorded as such (the statistics issue
 * chooses clusters by level) but keep each evaluation's label: the tally's
 * cells are per resident, so an evaluator's evaluations cannot be moved
 * as a block. */
#include "audit_private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const level_names[] = {"evaluation", "resident",
                                          "evaluator"};

static int contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return 1;
    return 0;
}

/* The default level of a cohort column, from its header. */
static enum cohort_level default_level(const char *name, int from_roster)
{
    static const char *const ev[] = {"evaluator", "faculty", "attending",
                                     "rater", "preceptor", NULL};
    for (size_t i = 0; ev[i]; i++)
        if (contains_ci(name, ev[i]))
            return LEVEL_EVALUATOR;
    if (from_roster || contains_ci(name, "gender") || contains_ci(name, "sex"))
        return LEVEL_RESIDENT;
    return LEVEL_EVALUATION;
}

/* --cohort-level COL=LEVEL values: the level for column name, or -1. */
static int given_level(const struct audit *a, const char *name,
                       struct diag *err, int *bad)
{
    for (size_t i = 0; i < a->cfg.ncohort_level; i++) {
        const char *v = a->cfg.cohort_level[i], *eq = strrchr(v, '=');
        if (!eq) {
            diag_set(err, DIAG_ERROR, NULL, 0, 0, "--cohort-level \"%s\": "
                     "give COL=resident, COL=evaluator or COL=evaluation", v);
            *bad = 1;
            return -1;
        }
        if ((size_t)(eq - v) != strlen(name) ||
            strncmp(v, name, (size_t)(eq - v)) != 0)
            continue;
        for (int l = 0; l < 3; l++)
            if (strcmp(eq + 1, level_names[l]) == 0)
                return l;
        diag_set(err, DIAG_ERROR, NULL, 0, 0, "--cohort-level \"%s\": the "
                 "level is resident, evaluator or evaluation", v);
        *bad = 1;
        return -1;
    }
    return -1;
}

/* --adjust: each name a tally column; the stratum of a fine cell is the
 * labels of the adjusted columns that are not resident-level (a
 * resident-level covariate is read from the resident's cohort, after
 * the one-label rule) and of the evaluator-level columns (for the
 * resident x evaluator interaction), in column order. */
static int adjust_setup(struct audit *a)
{
    struct run_info *ri = &a->ri;
    uint8_t *in = xcalloc(a->ncols + 1, 1);
    for (size_t i = 0; i < a->cfg.nadjust; i++) {
        const char *v = a->cfg.adjust[i];
        while (*v) {
            size_t n = strcspn(v, ",");
            size_t c;
            for (c = 0; c < a->ncols; c++)
                if (strlen(ri->cohort_cols.v[c]) == n &&
                    strncmp(ri->cohort_cols.v[c], v, n) == 0)
                    break;
            if (n && c == a->ncols) {
                diag_set(&a->err, DIAG_ERROR, a->cfg.inputs[0], 1, 0,
                         "--adjust \"%.*s\" is not a cohort column; add it "
                         "with --cohort (an export column) or "
                         "--roster-cohort (a roster column)", (int)n, v);
                free(in);
                return -1;
            }
            if (n && !in[c]) {
                in[c] = 1;
                strvec_push(&ri->adjust_cols, ri->cohort_cols.v[c]);
            }
            v += n + (v[n] == ',');
        }
    }
    a->strata = xcalloc(a->ncols + 1, sizeof *a->strata);
    for (size_t c = 0; ri->adjust_cols.n && c < a->ncols; c++)
        if ((in[c] && a->csrc[c].level != LEVEL_RESIDENT) ||
            a->csrc[c].level == LEVEL_EVALUATOR) {
            a->strata[a->nstrata++] = c;
            strvec_push(&ri->strata_cols, ri->cohort_cols.v[c]);
        }
    free(in);
    return 0;
}

/* The first pass of a long export without --questions: each question's
 * first QUESTIONS_SAMPLE answers, over every input. */
static int choose_questions(struct audit *a)
{
    for (size_t i = 0; i < a->cfg.ninputs; i++)
        if (strcmp(a->cfg.inputs[i], "-") == 0) {
            diag_set(&a->err, DIAG_ERROR, "-", 0, 0, "a long export read "
                     "from stdin needs --questions (the comment questions "
                     "are chosen from a first pass over a file)");
            return -1;
        }
    long qc = a->map.question, ac = a->map.text[0];
    for (size_t i = 0; i < a->cfg.ninputs; i++) {
        reader *r = reader_open(a->cfg.inputs[i], &a->cfg.ropt, &a->err);
        if (!r)
            return -1;
        const struct record *rec;
        int st;
        if ((size_t)qc >= reader_ncolumns(r) || (size_t)ac >= reader_ncolumns(r))
            st = READER_EOF; /* audit_same_header will say why */
        else
            while ((st = reader_next(r, &rec, &a->err, NULL)) == READER_OK)
                questions_observe(&a->q, rec->fields[qc].p, rec->fields[qc].len,
                                  rec->fields[ac].p, rec->fields[ac].len);
        reader_free(r);
        if (st == READER_ERROR)
            return -1;
    }
    questions_decide(&a->q);
    if (a->q.chosen.n == 0) {
        diag_set(&a->err, DIAG_ERROR, a->cfg.inputs[0], 1, 0,
                 "no question of column \"%s\" has free-text answers; name "
                 "the comment questions with --questions", a->map.question_name);
        return -1;
    }
    return 0;
}

int units_setup(struct audit *a)
{
    struct run_info *ri = &a->ri;
    if (a->roster && a->map.resident < 0) {
        diag_set(&a->err, DIAG_ERROR, a->cfg.inputs[0], 1, 0, "--roster "
                 "joins on the resident column: give --resident COL");
        return -1;
    }
    /* Export cohort columns, then roster columns; a roster column named
     * like an export column overrides it (in its place). */
    size_t nr = a->roster ? roster_ncohorts(a->roster) : 0;
    a->csrc = xcalloc(a->map.ncohort + nr + 1, sizeof *a->csrc);
    for (size_t c = 0; c < a->map.ncohort; c++) {
        a->csrc[a->ncols] = (struct cohort_src){a->map.cohort[c], -1, 0};
        strvec_push(&ri->cohort_cols, a->map.cohort_names.v[c]);
        a->ncols++;
    }
    for (size_t i = 0; i < nr; i++) {
        const char *name = roster_cohort_name(a->roster, i);
        size_t c;
        for (c = 0; c < a->ncols; c++)
            if (strcmp(ri->cohort_cols.v[c], name) == 0)
                break;
        if (c == a->ncols) {
            long col = -1; /* an export column of that name, not a cohort */
            for (size_t j = 0; j < a->header.n; j++)
                if (strcmp(a->header.v[j], name) == 0)
                    col = (long)j;
            a->csrc[a->ncols] = (struct cohort_src){col, -1, 0};
            strvec_push(&ri->cohort_cols, name);
            a->ncols++;
        }
        a->csrc[c].roster = (long)i;
    }
    int bad = 0;
    ri->relabel_filled = xcalloc(a->ncols + 1, sizeof *ri->relabel_filled);
    ri->relabel_majority = xcalloc(a->ncols + 1, sizeof *ri->relabel_majority);
    ri->relabel_tie = xcalloc(a->ncols + 1, sizeof *ri->relabel_tie);
    for (size_t c = 0; c < a->ncols; c++) {
        int l = given_level(a, ri->cohort_cols.v[c], &a->err, &bad);
        if (bad)
            return -1;
        a->csrc[c].level = l >= 0 ? (enum cohort_level)l
                         : default_level(ri->cohort_cols.v[c],
                                         a->csrc[c].roster >= 0);
        strvec_push(&ri->cohort_levels, level_names[a->csrc[c].level]);
    }
    for (size_t i = 0; i < a->cfg.ncohort_level; i++) {
        const char *v = a->cfg.cohort_level[i], *eq = strrchr(v, '=');
        size_t c;
        for (c = 0; c < a->ncols; c++)
            if (strlen(ri->cohort_cols.v[c]) == (size_t)(eq - v) &&
                strncmp(ri->cohort_cols.v[c], v, (size_t)(eq - v)) == 0)
                break;
        if (c == a->ncols) {
            diag_set(&a->err, DIAG_ERROR, NULL, 0, 0, "--cohort-level \"%s\": "
                     "\"%.*s\" is not a cohort column", v, (int)(eq - v), v);
            return -1;
        }
    }
    if (adjust_setup(a) < 0)
        return -1;
    a->pl = labels_new(a->ncols);
    if (a->roster) {
        ri->roster = a->cfg.roster;
        ri->roster_key = a->cfg.roster_key;
        memcpy(ri->roster_sha256, roster_sha256(a->roster),
               sizeof ri->roster_sha256);
        ri->roster_residents = roster_nrows(a->roster);
    }
    if (a->map.question < 0)
        return 0;
    ri->question_col = a->map.question_name;
    ri->answer_col = a->map.text_names.v[0];
    if (!a->q.given && choose_questions(a) < 0)
        return -1;
    if (a->q.given)
        for (size_t i = 0; i < a->q.names.n; i++)
            strvec_push(&a->q.chosen, a->q.names.v[i]);
    for (size_t i = 0; i < a->q.chosen.n; i++)
        strvec_push(&ri->questions, a->q.chosen.v[i]);
    if (a->q.given)
        for (size_t i = 0; i < a->q.pattern_src.n; i++)
            strvec_push(&ri->questions, a->q.pattern_src.v[i]);
    ri->questions_given = a->q.given;
    if (a->cfg.cb.questions)
        a->cfg.cb.questions(a->cfg.cb.ctx, &ri->questions, a->q.given);
    return 0;
}

enum record_kind audit_record_kind(const struct audit *a,
                                   const struct span *fl)
{
    enum record_kind k = columns_record_kind(&a->map, fl);
    if (a->map.question < 0)
        return k;
    const struct span *q = &fl[a->map.question];
    if ((k == RECORD_ANALYSE || k == RECORD_NO_TEXT) &&
        (k == RECORD_NO_TEXT || !questions_is_comment(&a->q, q->p, q->len)))
        return RECORD_NOT_COMMENT;
    return k;
}

static uint32_t intern(struct evals *e, const char *s)
{
    int added;
    size_t *slot = strmap_put(&e->strs_by, s, strlen(s), e->strs.n, &added);
    if (added)
        strvec_push(&e->strs, s);
    return (uint32_t)*slot;
}

/* An analysed record's evaluation, after record_cohorts: a long export's
 * later parts take their evaluation's labels and resident; a first part
 * (every wide record) notes its resident-level labels. */
void record_eval(struct audit *a, const char *id, const char *resident)
{
    a->cur_first = 1;
    a->cur_resident = NULL;
    if (a->map.question >= 0) {
        struct evals *e = &a->ev;
        int added;
        size_t *slot = strmap_put(&e->by_id, id, strlen(id), e->n, &added);
        size_t k = *slot;
        if (added) {
            size_t cap = e->cap;
            grow(&e->resident, &e->cap, e->n + 1, sizeof *e->resident);
            e->labels = xrealloc(e->labels, e->cap * (a->ncols ? a->ncols : 1)
                                                * sizeof *e->labels);
            (void)cap;
            for (size_t c = 0; c < a->ncols; c++)
                e->labels[k * a->ncols + c] = intern(e, a->cohort_vals[c]);
            e->resident[k] = resident ? intern(e, resident) : UINT32_MAX;
            e->n++;
        } else {
            a->cur_first = 0;
            for (size_t c = 0; c < a->ncols; c++)
                a->cohort_vals[c] = e->strs.v[e->labels[k * a->ncols + c]];
        }
        if (e->resident[k] != UINT32_MAX)
            a->cur_resident = e->strs.v[e->resident[k]];
        a->cur_eval = k;
    }
    if (!a->cur_first)
        return;
    a->ri.evaluations++;
    const char *person = a->cur_resident ? a->cur_resident : resident;
    if (!person || a->map.resident < 0)
        return;
    for (size_t c = 0; c < a->ncols; c++)
        if (a->csrc[c].level == LEVEL_RESIDENT)
            labels_note(a->pl, c, person, a->cohort_vals[c], 1);
}

/* One label per resident (resident-level columns), noted as the records
 * came; and the roster's checks. */
int units_finish(struct audit *a)
{
    struct run_info *ri = &a->ri;
    if (a->roster) {
        ri->roster_unseen = roster_nunseen(a->roster);
        ri->roster_matched = ri->roster_residents - ri->roster_unseen;
        if (ri->roster_matched == 0 && ri->roster_missing) {
            diag_set(&a->err, DIAG_ERROR, a->cfg.roster, 0, 0,
                     "--roster-key \"%s\" matches no resident of the export "
                     "(its column \"%s\" has \"%s\", for one); is it the "
                     "column with the residents' names?", a->cfg.roster_key,
                     ri->resident_col, ri->roster_missing_names.v[0]);
            return -1;
        }
        if (ri->roster_missing && a->cfg.cb.roster_missing)
            a->cfg.cb.roster_missing(a->cfg.cb.ctx, a->cfg.roster,
                                     ri->roster_missing,
                                     &ri->roster_missing_names);
    }
    labels_apply(a->pl, a->t, ri->relabel_filled, ri->relabel_majority,
                 ri->relabel_tie);
    return 0;
}

void units_free(struct audit *a)
{
    free(a->csrc);
    free(a->strata);
    buf_fini(&a->fine_st);
    questions_fini(&a->q);
    roster_free(a->roster);
    labels_free(a->pl);
    strmap_fini(&a->ev.by_id);
    strmap_fini(&a->ev.strs_by);
    strvec_fini(&a->ev.strs);
    free(a->ev.labels);
    free(a->ev.resident);
    strmap_fini(&a->missing);
}
