/* columns.c - see columns.h. */
#include "columns.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Case-insensitive (ASCII) substring search. */
static int icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] &&
               tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int iequals(const char *a, const char *b)
{
    while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

static int any(const char *name, const char *const *words)
{
    for (; *words; words++)
        if (icontains(name, *words))
            return 1;
    return 0;
}

int columns_guess(const char *name, enum column_role role)
{
    static const char *const text[] = {"comment", "narrative", "strength",
        "improvement", "feedback", "areas for", "remarks", NULL};
    static const char *const cohort[] = {"gender", "sex", NULL};
    static const char *const id[] = {"evaluation id", "eval id",
        "response id", "evaluation number", NULL};
    static const char *const person[] = {"resident", "trainee", "learner",
        NULL};
    static const char *const not_person[] = {"gender", "sex", "pgy", "level",
        "year", " id", "program", NULL};
    switch (role) {
    case ROLE_TEXT: return any(name, text);
    case ROLE_COHORT: return any(name, cohort);
    case ROLE_ID: return iequals(name, "id") || any(name, id);
    case ROLE_RESIDENT: return any(name, person) && !any(name, not_person);
    }
    return 0;
}

/* Levenshtein distance, case-insensitive, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) ==
                       tolower((unsigned char)b[j - 1]);
            size_t best = diag + !same;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

long columns_find(const char *const *names, size_t n, const char *want,
                  const char *what, const char *file, struct diag *err)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], want) == 0)
            return (long)i;
    struct buf msg;
    buf_init(&msg);
    buf_printf(&msg, "%s: no column \"%s\"", what, want);
    size_t best = (size_t)-1, best_i = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(names[i], want);
        if (d < best) {
            best = d;
            best_i = i;
        }
    }
    /* Suggest only what is plausibly a typo or a case/space difference. */
    if (n && best <= 2 + strlen(want) / 4)
        buf_printf(&msg, "; did you mean \"%s\"?", names[best_i]);
    buf_puts(&msg, " The header has:");
    for (size_t i = 0; i < n; i++)
        buf_printf(&msg, "%s \"%s\"", i ? "," : "", names[i]);
    diag_set(err, DIAG_ERROR, file, 1, 0, "%s", buf_cstr(&msg));
    buf_fini(&msg);
    return -1;
}

void columns_split(struct strvec *sv, const char *list)
{
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *name = xstrndup(p, len);
        if (len)
            strvec_push(sv, name);
        free(name);
        if (!comma)
            break;
        p = comma + 1;
    }
}

/* --------------------------------------------------- role resolution */

static long find(const char *const *header, size_t n, const char *name,
                 const char *what, const struct column_request *rq,
                 struct diag *err)
{
    return columns_find(header, n, name, what, rq->file, err);
}

static int resolve_text(const char *const *header, size_t n,
                        const struct column_request *rq,
                        struct column_map *m, struct diag *err)
{
    struct strvec names = {0};
    for (size_t i = 0; i < rq->ntext; i++) {
        const char *v = rq->text[i];
        int whole = 0;
        for (size_t j = 0; j < n; j++)
            whole |= strcmp(header[j], v) == 0;
        if (whole)
            strvec_push(&names, v);
        else
            columns_split(&names, v);
    }
    if (rq->ntext == 0) {
        m->text_guessed = 1;
        for (size_t j = 0; j < n; j++)
            if (columns_guess(header[j], ROLE_TEXT))
                strvec_push(&names, header[j]);
        if (names.n == 0) {
            diag_set(err, DIAG_ERROR, rq->file, 1, 0,
                     "no --text given and no comment-like column in the "
                     "header; run 'evalbias columns %s' and name the comment "
                     "columns with --text", rq->file);
            return -1;
        }
    }
    m->text = xmalloc((names.n ? names.n : 1) * sizeof *m->text);
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        long c = find(header, n, names.v[i], "--text", rq, err);
        if (c < 0)
            rc = -1;
        else {
            m->text[m->ntext++] = c;
            strvec_push(&m->text_names, names.v[i]);
        }
    }
    strvec_fini(&names);
    return rc;
}

static int resolve_cohorts(const char *const *header, size_t n,
                           const struct column_request *rq,
                           struct column_map *m, struct diag *err)
{
    struct strvec guessed = {0};
    const char *const *names = rq->cohort;
    size_t nnames = rq->ncohort;
    if (nnames == 0 && rq->guess_cohort) {
        m->cohort_guessed = 1;
        for (size_t j = 0; j < n; j++)
            if (columns_guess(header[j], ROLE_COHORT))
                strvec_push(&guessed, header[j]);
        names = (const char *const *)guessed.v;
        nnames = guessed.n;
    }
    m->cohort = xmalloc((nnames ? nnames : 1) * sizeof *m->cohort);
    int rc = 0;
    for (size_t i = 0; i < nnames && rc == 0; i++) {
        long c = find(header, n, names[i], "--cohort", rq, err);
        if (c < 0)
            rc = -1;
        else {
            m->cohort[m->ncohort++] = c;
            strvec_push(&m->cohort_names, names[i]);
        }
    }
    strvec_fini(&guessed);
    return rc;
}

int columns_resolve(const char *const *header, size_t n,
                    const struct column_request *rq, struct column_map *m,
                    struct diag *err)
{
    memset(m, 0, sizeof *m);
    m->id = m->resident = m->evaluator = m->question = -1;
    if (rq->question) {
        /* A long export: the answer column is the one text column; the
         * question names it, row by row. */
        if (!rq->answer || !rq->id) {
            diag_set(err, DIAG_ERROR, rq->file, 1, 0, "a long export needs "
                     "--question, --answer and --id (rows with the same id "
                     "are one evaluation)");
            return -1;
        }
        long q = find(header, n, rq->question, "--question", rq, err);
        long a = q < 0 ? -1 : find(header, n, rq->answer, "--answer", rq, err);
        if (a < 0)
            return -1;
        m->question = q;
        m->question_name = rq->question;
        m->text = xmalloc(sizeof *m->text);
        m->text[m->ntext++] = a;
        strvec_push(&m->text_names, rq->answer);
    } else if (resolve_text(header, n, rq, m, err) < 0) {
        return -1;
    }
    if (resolve_cohorts(header, n, rq, m, err) < 0)
        return -1;
    const char *id = rq->id, *res = rq->resident;
    for (size_t j = 0; j < n; j++) {
        if (!id && columns_guess(header[j], ROLE_ID)) {
            id = header[j];
            m->id_guessed = 1;
        }
        if (!res && columns_guess(header[j], ROLE_RESIDENT)) {
            res = header[j];
            m->resident_guessed = 1;
        }
    }
    if (id && (m->id = find(header, n, id, "--id", rq, err)) < 0)
        return -1;
    if (res && (m->resident = find(header, n, res, "--resident", rq, err)) < 0)
        return -1;
    m->id_name = id;
    m->resident_name = res;
    if (!rq->want_evaluator)
        return 0;
    static const char *const ev_names[] = {"evaluator", "evaluator name",
                                           "faculty", "faculty name",
                                           "attending", NULL};
    const char *ev = rq->evaluator;
    for (size_t j = 0; !ev && j < n; j++)
        for (size_t i = 0; ev_names[i]; i++)
            if (iequals(header[j], ev_names[i]))
                ev = header[j];
    if (ev && (m->evaluator = find(header, n, ev, "--evaluator", rq, err)) < 0)
        return -1;
    return 0;
}

void column_map_fini(struct column_map *m)
{
    free(m->text);
    free(m->cohort);
    strvec_fini(&m->text_names);
    strvec_fini(&m->cohort_names);
    memset(m, 0, sizeof *m);
    m->id = m->resident = m->evaluator = m->question = -1;
}

int columns_blank(const struct span *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (!strchr(" \t\r\n", f->p[i]))
            return 0;
    return 1;
}

enum record_kind columns_record_kind(const struct column_map *m,
                                     const struct span *fl)
{
    if (m->question >= 0 && columns_blank(&fl[m->id]))
        return RECORD_BLANK_ID;
    if (m->resident >= 0 && columns_blank(&fl[m->resident]))
        return RECORD_BLANK_RESIDENT;
    for (size_t i = 0; i < m->ntext; i++)
        if (!columns_blank(&fl[m->text[i]]))
            return RECORD_ANALYSE;
    return RECORD_NO_TEXT;
}
