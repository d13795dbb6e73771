/* tokenize.c - words over normalized text (see tokenize.h for the
 * contracts; sentences are in sentence.c).
 *
 * Words. One left-to-right pass. ASCII bytes are classified with a few
 * comparisons (normalized text is lower case, but upper case is accepted so
 * lexicon code may tokenize anything); a non-ASCII code point is decoded and
 * classified by utf8proc_category: L*, M*, N* are word characters. A single
 * ASCII ' joins two runs of word characters into one token; a single ASCII
 * - joins them into one word of several tokens (TOK_JOINED). normalize()
 * has already folded the curly and modifier apostrophes and the hyphens to
 * ASCII and the other dashes to a space, so nothing else needs to join.
 * The gap between two words is watched for the break characters . ! ? ; :
 * (and U+3002 IDEOGRAPHIC FULL STOP, which NFKC keeps) and for a blank line;
 * U+2026 ELLIPSIS arrives as "..." after NFKC. Offsets are uint32_t: text
 * beyond 4 GiB is not tokenized (a field that large is rejected long before
 * this stage).
 *
 * tokenize_ascii is the same walk for ASCII text (the normalized form of
 * most fields): one table lookup per byte inside a word, the text's closing
 * NUL as the stop, no decoding. tests/unit/test_tokenize.c checks it against
 * tokenize() on generated text.
 */
#include "tokenize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

/* ================================ Words ================================== */

void tokens_init(struct tokens *t)
{
    t->v = NULL;
    t->n = t->cap = 0;
    t->nwords = 0;
}

void tokens_fini(struct tokens *t)
{
    free(t->v);
    tokens_init(t);
}

static int cat_is_word(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* ASCII bytes that are word characters (letters and digits); the hot
 * loops of tokenize() test this table and leave non-ASCII to word_char. */
static const unsigned char ascii_is_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

/* The character at s[i]: its length in *n, and whether it is a word char.
 * A byte that does not decode is a one-byte non-word character. */
static inline int word_char(const unsigned char *s, size_t len, size_t i,
                            size_t *n)
{
    if (s[i] < 0x80) {
        *n = 1;
        return ascii_is_word[s[i]];
    }
    int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i),
                                          &c);
    if (k <= 0) {
        *n = 1;
        return 0;
    }
    *n = (size_t)k;
    return cat_is_word(c);
}

void tokenize(struct tokens *t, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, n;
    int brk = 0;       /* break punctuation or blank line seen in this gap */
    int nl = 0;        /* saw '\n' and only blanks since: next '\n' = blank line */

    if (len > UINT32_MAX)
        len = UINT32_MAX;
    t->n = 0;
    t->nwords = 0;
    while (i < len) {
        /* Spaces between words: the common gap, skipped without the
         * general classification below. */
        if (s[i] == ' ') {
            i++;
            continue;
        }
        if (!word_char(s, len, i, &n)) {
            switch (s[i]) {
            case '.': case '!': case '?': case ';': case ':':
                brk = 1;
                nl = 0;
                break;
            case '\n':
                if (nl)
                    brk = 1;
                nl = 1;
                break;
            case ' ': case '\t': case '\r':
                break;
            default:
                /* U+3002 IDEOGRAPHIC FULL STOP, E3 80 82 */
                if (n == 3 && s[i] == 0xE3 && s[i + 1] == 0x80 &&
                    s[i + 2] == 0x82)
                    brk = 1;
                nl = 0;
            }
            i += n;
            continue;
        }

        /* One word: its parts (split at single inner hyphens) are tokens
         * of their own, the later ones marked TOK_JOINED. */
        uint32_t start = (uint32_t)i, flags = brk ? TOK_BREAK_BEFORE : 0;
        i += n;
        for (;;) {
            int hyphen = 0;
            while (i < len) {
                /* ASCII letters and digits: the common case, one test */
                while (i < len && s[i] < 0x80 && ascii_is_word[s[i]])
                    i++;
                if (i >= len)
                    break;
                if (word_char(s, len, i, &n)) {
                    i += n;
                } else if (s[i] == '\'' && i + 1 < len &&
                           word_char(s, len, i + 1, &n)) {
                    i += 1 + n;   /* one apostrophe between: "resident's" */
                } else {
                    hyphen = s[i] == '-' && i + 1 < len &&
                             word_char(s, len, i + 1, &n);
                    break;
                }
            }
            if (t->n == t->cap)
                grow(&t->v, &t->cap, t->n + 1, sizeof *t->v);
            t->v[t->n++] = (struct token){start, (uint32_t)i, flags};
            if (!hyphen)
                break;
            /* one hyphen between word chars: "over-emotional" goes on */
            t->v[t->n - 1].flags |= TOK_HYPHEN;
            i++;
            start = (uint32_t)i;
            flags = TOK_HYPHEN | TOK_JOINED;
            i += n;
        }
        t->nwords++;
        brk = nl = 0;
    }
}

/* What tokenize_ascii does with a byte between words (values of gap_class):
 * skip it (a space: a blank line may go on), note a break, note a line
 * break, or end the blank line run (anything else, NUL included). */
enum { G_OTHER, G_SPACE, G_BREAK, G_LF, G_NUL };
static const unsigned char gap_class[128] = {
    [' '] = G_SPACE, ['\t'] = G_SPACE, ['\r'] = G_SPACE,
    ['.'] = G_BREAK, ['!'] = G_BREAK, ['?'] = G_BREAK, [';'] = G_BREAK,
    [':'] = G_BREAK, ['\n'] = G_LF, ['\0'] = G_NUL,
};

/* The first byte after s[i] that is no word byte (s[i] is one), two bytes
 * a step: a load, a test and a branch per byte. */
static inline size_t word_end(const unsigned char *s, size_t i,
                              const unsigned char *w)
{
    const unsigned char *p = s + i;
    for (;;) {
        if (!w[p[1]])
            return (size_t)(p + 1 - s);
        if (!w[p[2]])
            return (size_t)(p + 2 - s);
        p += 2;
    }
}

/* The same walk as tokenize() with ASCII bytes only: the word loops test
 * one table entry per byte, and the NUL after the text stops them (it is
 * not a word byte), so they need no bounds test; a NUL inside the text is
 * told from the end by its offset. The common gap, one space between two
 * words, goes straight from one word to the next. */
void tokenize_ascii(struct tokens *t, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *w = ascii_is_word;
    if (!t->cap)              /* (no pointer arithmetic on NULL below) */
        grow(&t->v, &t->cap, 16, sizeof *t->v);
    struct token *tp = t->v, *tend = t->v + t->cap;
    size_t nwords = 0, i = 0;
    uint32_t flags = 0;       /* TOK_BREAK_BEFORE once the gap has a break */
    int nl = 0;               /* as in tokenize() */
    unsigned char c;

    if (len > UINT32_MAX) {   /* (see tokenize: the cut needs bounds) */
        tokenize(t, text, len);
        return;
    }
gap:
    for (c = s[i]; !w[c]; c = s[++i]) {
        switch (gap_class[c]) {
        case G_SPACE:
            break;
        case G_BREAK:
            flags = TOK_BREAK_BEFORE;
            nl = 0;
            break;
        case G_LF:
            if (nl)
                flags = TOK_BREAK_BEFORE;
            nl = 1;
            break;
        case G_NUL:
            if (i >= len)
                goto done;
            nl = 0;
            break;
        default:
            nl = 0;
        }
    }
word:
    /* A word at s[i]: its parts, split at single inner hyphens. */
    for (uint32_t start = (uint32_t)i;;) {
        for (;;) {
            i = word_end(s, i, w);
            /* Read again (volatile): taken from the loop's load instead,
             * the byte was copied on every step of it. */
            c = *(const volatile unsigned char *)(s + i);
            if (c != '\'' || !w[s[i + 1]])
                break;
            i++;              /* one apostrophe between: "resident's" */
        }
        if (tp == tend) {
            size_t n = (size_t)(tp - t->v);
            grow(&t->v, &t->cap, n + 1, sizeof *t->v);
            tp = t->v + n;
            tend = t->v + t->cap;
        }
        if (c == '-' && w[s[i + 1]]) {
            /* one hyphen between word bytes: "over-emotional" goes on */
            *tp++ = (struct token){start, (uint32_t)i, flags | TOK_HYPHEN};
            start = (uint32_t)++i;
            flags = TOK_HYPHEN | TOK_JOINED;
            continue;
        }
        *tp++ = (struct token){start, (uint32_t)i, flags};
        break;
    }
    nwords++;
    flags = 0;
    nl = 0;
    if (c == ' ' && w[s[i + 1]]) {
        i++;
        goto word;
    }
    goto gap;
done:
    t->n = (size_t)(tp - t->v);
    t->nwords = nwords;
}
