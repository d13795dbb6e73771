/* negation.c - the extended negation scope (see negation.h). */
#include "negation.h"

#include <pthread.h>
#include <string.h>

#include "match.h"
#include "wordtab.h"

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

/* Words the rules below name one by one. */
enum {
    ID_NONE, ID_NOT, ID_NO, ID_NEVER, ID_WITHOUT, ID_NOTHING, ID_ONLY,
    ID_JUST, ID_MERELY, ID_DOUBT, ID_QUESTION, ID_BUT, ID_SHORT, ID_LESS,
    ID_ONCE, ID_AT, ID_POINT, ID_TIME,
};
static const char *const named[] = {
    "", "not", "no", "never", "without", "nothing", "only", "just",
    "merely", "doubt", "question", "but", "short", "less", "once", "at",
    "point", "time",
};

/* A word's value in the table: its ID_* in the low bits, and flags. */
enum {
    N_ID = 0x1f,
    N_TRANSP = 1 << 8, /* in transparent[] */
    N_STOP = 1 << 9,   /* in stops[] */
    N_NEG = 1 << 10,   /* match_is_negator() holds */
    N_KNOWN = 1 << 11, /* in the table: N_NEG is known */
};

#define NT (sizeof transparent / sizeof transparent[0])
#define NS (sizeof stops / sizeof stops[0])
#define NN (sizeof named / sizeof named[0])

static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static struct wordtab table;

/* Every word the walk decides on is in one table, so a word costs one
 * probe; a word not in it is opaque, and match_is_negator() is asked about
 * it only while the walk is not yet opaque. */
static void build_table(void)
{
    static const char *w[NT + NS + NN - 1];
    static uint32_t v[NT + NS + NN - 1];
    size_t n = 0;
    for (size_t i = 0; i < NT; i++, n++) {
        w[n] = transparent[i];
        v[n] = N_TRANSP;
    }
    for (size_t i = 0; i < NS; i++, n++) {
        w[n] = stops[i];
        v[n] = N_STOP;
    }
    for (size_t i = 1; i < NN; i++, n++) {
        w[n] = named[i];
        v[n] = (uint32_t)i;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] |= N_KNOWN;
        if (match_is_negator(w[i], strlen(w[i])))
            v[i] |= N_NEG;
    }
    /* all words are 1..16 bytes: cannot fail */
    (void)wordtab_build(&table, w, v, n);
}

/* The table value of token i; lim: the end of the last token, so the
 * bytes up to it may be read. */
static uint32_t val(const char *s, const struct tokens *tk, size_t i,
                    size_t lim)
{
    const struct token *t = &tk->v[i];
    return wordtab_get(&table, s + t->start, t->end - t->start,
                       lim - t->start);
}

static unsigned id(const char *s, const struct tokens *tk, size_t i,
                   size_t lim)
{
    return val(s, tk, i, lim) & N_ID;
}

/* A comma or dash in the gap before token i? */
static int comma_before(const char *s, const struct tokens *tk, size_t i)
{
    for (size_t p = tk->v[i - 1].end; p < tk->v[i].start; p++)
        if (s[p] == ',' || s[p] == '(' || s[p] == ')')
            return 1;
    return 0;
}

/* "not only", "no doubt", "nothing but" ... at k (whose id is w)? */
static int pseudo(const char *s, const struct tokens *tk, size_t k,
                  unsigned w, size_t lim)
{
    if (k + 1 >= tk->n || (tk->v[k + 1].flags & TOK_BREAK_BEFORE))
        return 0;
    if (w != ID_NOT && w != ID_NO && w != ID_WITHOUT && w != ID_NOTHING)
        return 0;
    unsigned x = id(s, tk, k + 1, lim);
    return (w == ID_NOT &&
            (x == ID_ONLY || x == ID_JUST || x == ID_MERELY)) ||
           ((w == ID_NO || w == ID_WITHOUT) &&
            (x == ID_DOUBT || x == ID_QUESTION)) ||
           (w == ID_NOTHING &&
            (x == ID_BUT || x == ID_SHORT || x == ID_LESS));
}

/* "not once", "never once", "at no point", "at no time" start at k (whose
 * id is w)? */
static int strong(const char *s, const struct tokens *tk, size_t k,
                  unsigned w, size_t lim)
{
    if (w != ID_NOT && w != ID_NEVER && w != ID_NO)
        return 0;
    if (k + 1 >= tk->n || (tk->v[k + 1].flags & TOK_BREAK_BEFORE))
        return 0;
    unsigned x = id(s, tk, k + 1, lim);
    if (w != ID_NO)
        return x == ID_ONCE;
    return k > 0 && id(s, tk, k - 1, lim) == ID_AT &&
           (x == ID_POINT || x == ID_TIME);
}

int negation_reaches(const char *s, const struct tokens *tk, size_t first)
{
    if (first == 0)
        return 0;
    pthread_once(&table_once, build_table);
    size_t lim = tk->v[tk->n - 1].end;
    int opaque = 0;
    for (size_t d = 1; d <= NEGATION_REACH && d <= first; d++) {
        size_t k = first - d;
        if (tk->v[k + 1].flags & TOK_BREAK_BEFORE)
            return 0;
        if (!opaque && comma_before(s, tk, k + 1))
            opaque = 1; /* only a strong marker reaches across a comma */
        uint32_t v = val(s, tk, k, lim);
        if (v & N_STOP)
            return 0;
        if (strong(s, tk, k, v & N_ID, lim))
            return 1;
        if (!(v & N_KNOWN)) {
            /* not transparent; a pseudo-negation is in the table */
            const char *w = s + tk->v[k].start;
            if (!opaque && match_is_negator(w, tk->v[k].end - tk->v[k].start))
                return 1;
            opaque = 1;
            continue;
        }
        if (v & N_NEG) {
            if (pseudo(s, tk, k, v & N_ID, lim))
                return 0;
            if (!opaque)
                return 1;
            continue;
        }
        if (!(v & N_TRANSP))
            opaque = 1;
    }
    return 0;
}
