/* negation.c - the extended negation scope (see negation.h). */
#include "negation.h"

#include <string.h>

#include "match.h"

/* Words a negation passes through on its way to the hit. */
static const char *const transparent[] = {
    /* auxiliaries, modals, copulas */
    "be", "been", "being", "is", "was", "were", "are", "am", "do", "does",
    "did", "have", "has", "had", "would", "could", "should", "will", "can",
    "may", "might", "must", "to",
    /* describing, calling, considering */
    "call", "called", "calling", "describe", "described", "describing",
    "consider", "considered", "regard", "regarded", "label", "labeled",
    "labelled", "characterize", "characterized", "characterise",
    "characterised", "term", "termed", "view", "viewed", "think", "thought",
    "say", "said",
    /* seeming and perceiving */
    "seem", "seems", "seemed", "appear", "appears", "appeared", "see",
    "seen", "saw", "sees", "find", "found", "finds", "observe", "observed",
    "witness", "witnessed", "notice", "noticed", "hear", "heard", "know",
    "known", "knew", "perceive", "perceived", "strike", "struck", "come",
    "came", "comes", "across", "look", "looked", "looks", "sound",
    "sounded", "act", "acted", "behave", "behaved", "become", "became",
    "get", "got", "show", "shown", "showed", "display", "displayed",
    "demonstrate", "demonstrated", "exhibit", "exhibited", "experience",
    "experienced",
    /* pronouns and the resident */
    "her", "him", "she", "he", "they", "them", "i", "we", "one", "anyone",
    "resident", "dr", "you",
    /* determiners, particles, degree words */
    "the", "a", "an", "as", "of", "at", "all", "in", "any", "way", "ever",
    "even", "once", "remotely", "particularly", "slightest", "least", "bit",
    "like", "very", "overly", "too", "so", "really", "quite", "more",
    "sign", "signs", "evidence", "hint", "trace", "indication", "moment",
    "time", "single", "instance", "point", "or", "nor",
};

/* "or" and "nor" are not among them: "never flustered or emotional"
 * negates both. */
static const char *const stops[] = {
    "and", "but", "yet", "although", "though", "while", "whereas",
    "however", "only",
};

static int in(const char *const *list, size_t n, const char *w, size_t l)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == w[0] && strlen(list[i]) == l &&
            memcmp(list[i], w, l) == 0)
            return 1;
    return 0;
}

static int word(const char *s, const struct tokens *tk, size_t i,
                const char *w)
{
    size_t l = tk->v[i].end - tk->v[i].start;
    return l == strlen(w) && memcmp(s + tk->v[i].start, w, l) == 0;
}

/* A comma or dash in the gap before token i? */
static int comma_before(const char *s, const struct tokens *tk, size_t i)
{
    for (size_t p = tk->v[i - 1].end; p < tk->v[i].start; p++)
        if (s[p] == ',' || s[p] == '(' || s[p] == ')')
            return 1;
    return 0;
}

static int pseudo(const char *s, const struct tokens *tk, size_t k)
{
    if (k + 1 >= tk->n || (tk->v[k + 1].flags & TOK_BREAK_BEFORE))
        return 0;
    return (word(s, tk, k, "not") &&
            (word(s, tk, k + 1, "only") || word(s, tk, k + 1, "just") ||
             word(s, tk, k + 1, "merely"))) ||
           ((word(s, tk, k, "no") || word(s, tk, k, "without")) &&
            (word(s, tk, k + 1, "doubt") || word(s, tk, k + 1, "question"))) ||
           (word(s, tk, k, "nothing") &&
            (word(s, tk, k + 1, "but") || word(s, tk, k + 1, "short") ||
             word(s, tk, k + 1, "less")));
}

/* "not once", "never once", "at no point", "at no time" start at k? */
static int strong(const char *s, const struct tokens *tk, size_t k)
{
    if (k + 1 >= tk->n || (tk->v[k + 1].flags & TOK_BREAK_BEFORE))
        return 0;
    if ((word(s, tk, k, "not") || word(s, tk, k, "never")) &&
        word(s, tk, k + 1, "once"))
        return 1;
    return word(s, tk, k, "no") && k > 0 && word(s, tk, k - 1, "at") &&
           (word(s, tk, k + 1, "point") || word(s, tk, k + 1, "time"));
}

int negation_reaches(const char *s, const struct tokens *tk, size_t first)
{
    int opaque = 0;
    for (size_t d = 1; d <= NEGATION_REACH && d <= first; d++) {
        size_t k = first - d;
        if (tk->v[k + 1].flags & TOK_BREAK_BEFORE)
            return 0;
        if (comma_before(s, tk, k + 1) && !opaque)
            opaque = 1; /* only a strong marker reaches across a comma */
        const char *w = s + tk->v[k].start;
        size_t l = tk->v[k].end - tk->v[k].start;
        if (in(stops, sizeof stops / sizeof stops[0], w, l))
            return 0;
        if (strong(s, tk, k))
            return 1;
        if (match_is_negator(w, l)) {
            if (pseudo(s, tk, k))
                return 0;
            if (!opaque)
                return 1;
            continue;
        }
        if (!in(transparent, sizeof transparent / sizeof transparent[0], w,
                l))
            opaque = 1;
    }
    return 0;
}
