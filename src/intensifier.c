/* intensifier.c - the list of degree words phrase entries let through (see
 * intensifier.h). The list is short, so a linear scan guarded by the first
 * byte is enough: it only runs once a phrase's first word has matched. */
#include "intensifier.h"

#include <string.h>

/* Keep in step with intensifier.h and the README's "Text rules". A
 * two-word item is written with one space. */
static const char *const intensifiers[] = {
    "very",          "really",       "quite",      "extremely",
    "so",            "too",          "much",       "more",
    "somewhat",      "rather",       "even",       "fairly",
    "pretty",        "slightly",     "incredibly", "truly",
    "highly",        "exceptionally", "particularly", "especially",
    "a little",      "a bit",        "a lot",
};

/* Is token j the word w[0..n), as a whole word (not a hyphen part)? */
static int tok_is(const char *s, const struct tokens *tk, size_t j,
                  const char *w, size_t n)
{
    const struct token *t = &tk->v[j];
    return !(t->flags & TOK_HYPHEN) && t->end - t->start == n &&
           memcmp(s + t->start, w, n) == 0;
}

size_t intensifier_at(const char *s, const struct tokens *tk, size_t j)
{
    if (j >= tk->n || (tk->v[j].flags & TOK_HYPHEN))
        return 0;
    char c0 = s[tk->v[j].start];
    for (size_t i = 0; i < sizeof intensifiers / sizeof *intensifiers; i++) {
        const char *w = intensifiers[i];
        if (w[0] != c0)
            continue;
        const char *sp = strchr(w, ' ');
        if (!sp) {
            if (tok_is(s, tk, j, w, strlen(w)))
                return 1;
            continue;
        }
        if (j + 1 < tk->n && !(tk->v[j + 1].flags & TOK_BREAK_BEFORE) &&
            tok_is(s, tk, j, w, (size_t)(sp - w)) &&
            tok_is(s, tk, j + 1, sp + 1, strlen(sp + 1)))
            return 2;
    }
    return 0;
}
