/* intensifier.c - the list of degree words phrase entries let through (see
 * intensifier.h). The words are looked up in a wordtab (one hash probe per
 * call): the walk asks about most tokens that follow a phrase's first
 * word, so a scan of the list was a measurable cost. */
#include "intensifier.h"

#include <pthread.h>
#include <string.h>

#include "wordtab.h"

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
#define NINT (sizeof intensifiers / sizeof *intensifiers)

/* Values in the table: a one-word intensifier, the first word of a
 * two-word one (its second words are then tried), or both. */
enum { I_ONE = 1, I_FIRST = 2 };

static pthread_once_t tab_once = PTHREAD_ONCE_INIT;
static struct wordtab tab;
/* The two-word items split at their space, in list order. */
static struct two {
    const char *a, *b;
    size_t na, nb;
} twos[NINT];
static size_t ntwos;

static void build_tab(void)
{
    char first[NINT][WORDTAB_MAXLEN + 1];
    const char *w[NINT];
    uint32_t v[NINT];
    for (size_t i = 0; i < NINT; i++) {
        const char *sp = strchr(intensifiers[i], ' ');
        if (!sp) {
            w[i] = intensifiers[i];
            v[i] = I_ONE;
            continue;
        }
        size_t l = (size_t)(sp - intensifiers[i]);
        twos[ntwos++] = (struct two){intensifiers[i], sp + 1, l,
                                     strlen(sp + 1)};
        memcpy(first[i], intensifiers[i], l);
        first[i][l] = 0;
        w[i] = first[i];
        v[i] = I_FIRST;
    }
    (void)wordtab_build(&tab, w, v, NINT);
}

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
    pthread_once(&tab_once, build_tab);
    const struct token *t = &tk->v[j];
    /* avail 0: the table may not read past the token (the text's length
     * is not known here); words are short, so the byte loop is cheap. */
    uint32_t v = wordtab_get(&tab, s + t->start, t->end - t->start, 0);
    if (v & I_ONE)
        return 1;
    if (!v || j + 1 >= tk->n || (tk->v[j + 1].flags & TOK_BREAK_BEFORE))
        return 0;
    size_t n = t->end - t->start;
    for (size_t i = 0; i < ntwos; i++)
        if (twos[i].na == n && memcmp(s + t->start, twos[i].a, n) == 0 &&
            tok_is(s, tk, j + 1, twos[i].b, twos[i].nb))
            return 2;
    return 0;
}

int intensifier_may_start(const char *w, size_t n)
{
    pthread_once(&tab_once, build_tab);
    return wordtab_get(&tab, w, n, n) != 0;
}
