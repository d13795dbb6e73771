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
