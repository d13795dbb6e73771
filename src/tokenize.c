/* tokenize.c - words over normalized text, sentences over original text (see
 * tokenize.h for the contracts).
 *
 * Words. One left-to-right pass. ASCII bytes are classified with a few
 * comparisons (normalized text is lower case, but upper case is accepted so
 * lexicon code may tokenize anything); a non-ASCII code point is decoded and
 * classified by utf8proc_category: L*, M*, N* are word characters. A single
 * ASCII ' joins two runs of word characters into one token; a single ASCII
 * - joins them into one word of several tokens (TOK_JOINED). normalize()
 * has already folded the curly and modifier apostrophes and the hyphens to
 * ASCII and the other dashes to a space, so nothing else needs to join. The gap between two words is watched for
 * the break characters . ! ? ; : (and U+3002 IDEOGRAPHIC FULL STOP, which
 * NFKC keeps) and for a blank line; U+2026 ELLIPSIS arrives as "..." after
 * NFKC. Offsets are uint32_t: text beyond 4 GiB is not tokenized (a field
 * that large is rejected long before this stage).
 *
 * Sentences. sentence_bounds works on the ORIGINAL text, where case is still
 * there to tell "bossy. Next" (a boundary) from "approx. five" (none). It
 * scans backward from the hit for the end of the previous sentence and
 * forward for the end of this one, each at most max_scan bytes, so a field
 * with no punctuation at all costs O(max_scan) per hit.
 *
 * A sentence ends after a run of terminators (. ! ? and U+2026, so "?!" and
 * "..." are one end), optionally followed by closing quotes or brackets
 * (" ' ) ] } U+2019 U+201D U+00BB), when what follows is white space or the
 * end of the text, and the next non-space character is not a lower-case
 * letter (any Unicode Ll, not only ASCII). A lone '.' does not end a
 * sentence after
 *   - a word made of single letters and dots: initials and Latin
 *     abbreviations ("J. Smith", "e.g.", "i.e.", "U.S.", "a.m.");
 *   - an abbreviation from ABBREVS below (case-insensitive). The list is
 *     titles (dr mr mrs ms mx prof sr jr st), Latin and citation forms (vs
 *     etc al cf fig), clinical shorthand common in evaluations (approx dept
 *     no pt pts hx dx tx rx) and month abbreviations (jan .. dec, sept;
 *     "may" is a word and is left out). Units (hr, min) are left out on
 *     purpose: "stayed 2 hrs. Then" ends a sentence more often than not.
 * A word with a digit is never an abbreviation ("scored 5. Then" ends), and
 * a period between digits ("3.5") is not followed by white space anyway.
 * A blank line (LF, optional spaces/tabs/CR, LF) also ends a sentence;
 * a single line break does not.
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

static int ascii_word(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10;
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

/* The same walk as tokenize() with ASCII bytes only: the word loops test
 * one table entry per byte, and the NUL after the text stops them (it is
 * not a word byte), so they need no bounds test; a NUL inside the text is
 * told from the end by its offset. */
void tokenize_ascii(struct tokens *t, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *w = ascii_is_word;
    struct token *v = t->v;
    size_t n = 0, cap = t->cap, nwords = 0, i = 0;
    int brk = 0, nl = 0;

    if (len > UINT32_MAX) {   /* (see tokenize: the cut needs bounds) */
        tokenize(t, text, len);
        return;
    }
    for (;;) {
        /* The gap before a word. */
        unsigned char c = s[i];
        while (!w[c]) {
            switch (gap_class[c]) {
            case G_SPACE:
                break;
            case G_BREAK:
                brk = 1;
                nl = 0;
                break;
            case G_LF:
                if (nl)
                    brk = 1;
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
            c = s[++i];
        }

        /* A word at s[i]: its parts split at single inner hyphens. */
        uint32_t start = (uint32_t)i, flags = brk ? TOK_BREAK_BEFORE : 0;
        for (;;) {
            do
                i++;
            while (w[s[i]]);
            c = s[i];
            if (c == '\'' && w[s[i + 1]]) {
                i++;          /* one apostrophe between: "resident's" */
                continue;
            }
            int hyphen = c == '-' && w[s[i + 1]];
            if (n == cap) {
                grow(&t->v, &t->cap, n + 1, sizeof *t->v);
                v = t->v;
                cap = t->cap;
            }
            v[n++] = (struct token){start, (uint32_t)i,
                                    flags | (hyphen ? TOK_HYPHEN : 0)};
            if (!hyphen)
                break;
            i++;              /* "over-emotional" goes on */
            start = (uint32_t)i;
            flags = TOK_HYPHEN | TOK_JOINED;
        }
        nwords++;
        brk = nl = 0;
    }
done:
    t->n = n;
    t->nwords = nwords;
}

/* ============================== Sentences ================================ */

static const char *const ABBREVS[] = {
    "dr", "mr", "mrs", "ms", "mx", "prof", "sr", "jr", "st",
    "vs", "etc", "al", "cf", "fig", "e.g", "i.e",
    "approx", "dept", "no", "pt", "pts", "hx", "dx", "tx", "rx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec",
};

/* Length of the White_Space character at t[p], or 0. */
static size_t space_at(const unsigned char *t, size_t len, size_t p)
{
    unsigned char c = t[p];
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xC2 && p + 1 < len && (t[p + 1] == 0xA0 || t[p + 1] == 0x85))
        return 2;                                     /* NBSP, NEL */
    if (p + 2 >= len)
        return 0;
    if (c == 0xE2 && t[p + 1] == 0x80 &&
        (t[p + 2] <= 0x8A || t[p + 2] == 0xA8 || t[p + 2] == 0xA9 ||
         t[p + 2] == 0xAF))
        return 3;                     /* U+2000..200A, LS, PS, U+202F */
    if ((c == 0xE2 && t[p + 1] == 0x81 && t[p + 2] == 0x9F) ||  /* U+205F */
        (c == 0xE3 && t[p + 1] == 0x80 && t[p + 2] == 0x80) ||  /* U+3000 */
        (c == 0xE1 && t[p + 1] == 0x9A && t[p + 2] == 0x80))    /* U+1680 */
        return 3;
    return 0;
}

/* Length of the White_Space character that ends just before t[p], or 0. */
static size_t space_before(const unsigned char *t, size_t len, size_t p)
{
    for (size_t k = 1; k <= 3 && k <= p; k++)
        if (space_at(t, len, p - k) == k)
            return k;
    return 0;
}

/* Length of a sentence terminator at t[p] (. ! ? or U+2026), or 0. */
static size_t term_at(const unsigned char *t, size_t len, size_t p)
{
    if (t[p] == '.' || t[p] == '!' || t[p] == '?')
        return 1;
    if (t[p] == 0xE2 && p + 2 < len && t[p + 1] == 0x80 && t[p + 2] == 0xA6)
        return 3;
    return 0;
}

/* Length of a closing quote or bracket at t[p], or 0. */
static size_t closer_at(const unsigned char *t, size_t len, size_t p)
{
    unsigned char c = t[p];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')
        return 1;
    if (c == 0xC2 && p + 1 < len && t[p + 1] == 0xBB)
        return 2;                                     /* U+00BB */
    if (c == 0xE2 && p + 2 < len && t[p + 1] == 0x80 &&
        (t[p + 2] == 0x99 || t[p + 2] == 0x9D))
        return 3;                                     /* U+2019, U+201D */
    return 0;
}

/* Start of the code point whose bytes include t[p]. */
static size_t cp_start(const unsigned char *t, size_t p)
{
    while (p > 0 && (t[p] & 0xC0) == 0x80)
        p--;
    return p;
}

/* Is the word that ends at t[r] (just before a lone '.') an abbreviation or
 * an initial? See the file comment for the rules. */
static int abbrev_before(const unsigned char *t, size_t len, size_t r)
{
    size_t j = r;
    while (j > 0 && (ascii_word(t[j - 1]) || t[j - 1] == '.') && r - j < 16)
        j--;
    if (j > 0 && t[j - 1] >= 0x80) {
        /* "café." - the word goes on in non-ASCII letters: no abbreviation */
        size_t k = cp_start(t, j - 1);
        int32_t c;
        if (utf8proc_iterate(t + k, (utf8proc_ssize_t)(len - k), &c) > 0 &&
            cat_is_word(c))
            return 0;
    }
    while (j < r && t[j] == '.')
        j++;
    size_t wl = r - j;
    if (wl == 0 || wl > 8)
        return 0;

    char w[9];
    int single = 1;           /* every dot-separated part is one letter */
    for (size_t k = 0; k < wl; k++) {
        unsigned char c = t[j + k];
        if (c >= '0' && c <= '9')
            return 0;         /* "5." "1st." are not abbreviations */
        if (c == '.') {
            if (k == 0 || t[j + k - 1] == '.')
                single = 0;
        } else if (k > 0 && t[j + k - 1] != '.') {
            single = 0;
        }
        w[k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    w[wl] = '\0';
    if (single)
        return 1;
    for (size_t k = 0; k < sizeof ABBREVS / sizeof *ABBREVS; k++)
        if (strcmp(w, ABBREVS[k]) == 0)
            return 1;
    return 0;
}

/* Does the terminator run t[r..e) end a sentence? On yes, *after is the
 * offset past the run and its closers. White space after it is skipped at
 * most up to lim. */
static int ends_sentence(const unsigned char *t, size_t len, size_t r,
                         size_t e, size_t lim, size_t *after)
{
    size_t p = e, n;
    while (p < len && (n = closer_at(t, len, p)))
        p += n;
    if (p < len && !space_at(t, len, p))
        return 0;                     /* "3.5", "fine...bossy", "e.g" */
    size_t q = p;
    while (q < len && q < lim && (n = space_at(t, len, q)))
        q += n;
    if (q < len && q < lim) {
        int32_t c;
        if (t[q] >= 'a' && t[q] <= 'z')
            return 0;
        if (t[q] >= 0x80 &&
            utf8proc_iterate(t + q, (utf8proc_ssize_t)(len - q), &c) > 0 &&
            utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
            return 0;
    }
    if (e - r == 1 && t[r] == '.' && abbrev_before(t, len, r))
        return 0;
    *after = p;
    return 1;
}

/* Extend a terminator found at t[k] to its whole run [*r, *e). */
static void term_run(const unsigned char *t, size_t len, size_t k, size_t *r,
                     size_t *e)
{
    size_t a = k, b = k + term_at(t, len, k), n;
    for (;;) {
        if (a >= 1 && term_at(t, len, a - 1) == 1)
            a--;
        else if (a >= 3 && term_at(t, len, a - 3) == 3)
            a -= 3;
        else
            break;
    }
    while (b < len && (n = term_at(t, len, b)))
        b += n;
    *r = a;
    *e = b;
}

/* Backward: where does the sentence holding t[start] begin? */
static size_t scan_back(const unsigned char *t, size_t len, size_t start,
                        size_t max_scan, size_t lim)
{
    size_t lo = start > max_scan ? start - max_scan : 0;
    size_t k = start, r, e, after;

    while (k > lo) {
        k--;
        if (t[k] == '\n') {
            size_t j = k;
            while (j > lo && (t[j - 1] == ' ' || t[j - 1] == '\t' ||
                              t[j - 1] == '\r'))
                j--;
            if (j > lo && t[j - 1] == '\n')
                return k + 1;                         /* blank line */
            continue;
        }
        /* Step onto the lead byte so U+2026 is recognised from its end. */
        size_t c = cp_start(t, k);
        if (c < lo)
            break;
        k = c;
        if (!term_at(t, len, k))
            continue;
        term_run(t, len, k, &r, &e);
        if (ends_sentence(t, len, r, e, lim, &after))
            return after;
        k = r;
    }
    if (lo == 0)
        return 0;
    /* Scan limit reached: start at the first white space after lo, so no
     * word (or UTF-8 sequence) is cut; failing that, at a code point. */
    for (size_t j = lo; j < start; j++)
        if (space_at(t, len, j))
            return j;
    while (lo < start && (t[lo] & 0xC0) == 0x80)
        lo++;
    return lo;
}

/* Forward: where does the sentence holding t[from] end? */
static size_t scan_fwd(const unsigned char *t, size_t len, size_t from,
                       size_t end, size_t hi)
{
    size_t k = from, r, e, after, n;

    while (k < hi) {
        if (t[k] == '\n') {
            size_t j = k + 1;
            while (j < hi && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r'))
                j++;
            if (j < hi && t[j] == '\n')
                return k;                             /* blank line */
            k++;
            continue;
        }
        if ((n = term_at(t, len, k)) != 0) {
            term_run(t, len, k, &r, &e);
            if (ends_sentence(t, len, r, e, hi, &after))
                return after;
            k = e;
            continue;
        }
        k++;
    }
    if (hi >= len)
        return len;
    /* Scan limit reached: end at the last ASCII white space before hi, or
     * else at a code point boundary. */
    for (size_t j = hi; j > end; j--)
        if (t[j - 1] == ' ' || (t[j - 1] >= '\t' && t[j - 1] <= '\r'))
            return j - 1;
    while (hi > end && (t[hi] & 0xC0) == 0x80)
        hi--;
    return hi;
}

void sentence_bounds(const char *text, size_t len, size_t start, size_t end,
                     size_t max_scan, size_t *s_start, size_t *s_end)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t n;

    if (start > len)
        start = len;
    if (end < start)
        end = start;
    if (end > len)
        end = len;
    size_t hi = len - end > max_scan ? end + max_scan : len;

    size_t ss = scan_back(t, len, start, max_scan, hi);
    /* From the hit's last byte, so a hit that ends in '.' can end here. */
    size_t se = scan_fwd(t, len, end > start ? end - 1 : start, end, hi);

    if (ss > start)
        ss = start;
    if (se < end)
        se = end;
    while (ss < start && (n = space_at(t, len, ss)) && ss + n <= start)
        ss += n;
    while (se > end && (n = space_before(t, len, se)) && se - n >= end)
        se -= n;
    *s_start = ss;
    *s_end = se;
}
