/* sentence.c - the sentence around a hit (see sentence.h).
 *
 * sentence_bounds works on the ORIGINAL text, where case is still
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
 *
 * The index (struct sentences) is described at its code below.
 */
#include "sentence.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

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

/* =============================== The scans =============================== */

/* In strcmp order: abbrev_before searches it by halves. */
static const char *const ABBREVS[] = {
    "al", "approx", "apr", "aug", "cf", "dec", "dept", "dr", "dx", "e.g",
    "etc", "feb", "fig", "hx", "i.e", "jan", "jr", "jul", "jun", "mar",
    "mr", "mrs", "ms", "mx", "no", "nov", "oct", "prof", "pt", "pts", "rx",
    "sep", "sept", "sr", "st", "tx", "vs",
};

#define ABBREV_MAX 6     /* the longest of ABBREVS ("approx") */

/* strcmp's order for the few bytes of a word (inline: every sentence end
 * that is a lone '.' is looked up). */
static int short_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

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
    if (wl > ABBREV_MAX)
        return 0;
    size_t lo = 0, hi = sizeof ABBREVS / sizeof *ABBREVS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = short_cmp(w, ABBREVS[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Does the terminator run t[r..e) end a sentence? On yes, *after is the
 * offset past the run and its closers. White space after it is skipped at
 * most up to lim. When the answer is no because of a lower-case letter,
 * *lower (if not NULL) is that letter's offset, else it is SIZE_MAX: the
 * only part of the answer that depends on lim (the index needs to know). */
static int ends_sentence(const unsigned char *t, size_t len, size_t r,
                         size_t e, size_t lim, size_t *after, size_t *lower)
{
    size_t p = e, n;
    if (lower)
        *lower = SIZE_MAX;
    while (p < len && (n = closer_at(t, len, p)))
        p += n;
    if (p < len && !space_at(t, len, p))
        return 0;                     /* "3.5", "fine...bossy", "e.g" */
    size_t q = p;
    while (q < len && q < lim && (n = space_at(t, len, q)))
        q += n;
    if (q < len && q < lim) {
        int32_t c;
        if ((t[q] >= 'a' && t[q] <= 'z') ||
            (t[q] >= 0x80 &&
             utf8proc_iterate(t + q, (utf8proc_ssize_t)(len - q), &c) > 0 &&
             utf8proc_category(c) == UTF8PROC_CATEGORY_LL)) {
            if (lower)
                *lower = q;
            return 0;
        }
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
        if (ends_sentence(t, len, r, e, lim, &after, NULL))
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
            if (ends_sentence(t, len, r, e, hi, &after, NULL))
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

/* The hit clamped to the text, and the forward scan limit. */
static void clamp(size_t len, size_t *start, size_t *end, size_t max_scan,
                  size_t *hi)
{
    if (*start > len)
        *start = len;
    if (*end < *start)
        *end = *start;
    if (*end > len)
        *end = len;
    *hi = len - *end > max_scan ? *end + max_scan : len;
}

/* The sentence [ss, se) found for the hit [start, end), widened to hold the
 * hit and trimmed of white space. */
static void trim(const unsigned char *t, size_t len, size_t start,
                 size_t end, size_t ss, size_t se, size_t *s_start,
                 size_t *s_end)
{
    size_t n;
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

void sentence_bounds(const char *text, size_t len, size_t start, size_t end,
                     size_t max_scan, size_t *s_start, size_t *s_end)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t hi;

    clamp(len, &start, &end, max_scan, &hi);
    size_t ss = scan_back(t, len, start, max_scan, hi);
    /* From the hit's last byte, so a hit that ends in '.' can end here. */
    size_t se = scan_fwd(t, len, end > start ? end - 1 : start, end, hi);
    trim(t, len, start, end, ss, se, s_start, s_end);
}

/* =============================== The index =============================== *
 *
 * scan_back and scan_fwd stop at two kinds of places only: a line break,
 * and a run of terminators. The index lists them for the field, in order,
 * each with what the scans would decide there, computed once with no scan
 * limit. A query then walks the list from the hit instead of the bytes.
 *
 * The limits are what make a scan's answer differ from the index's, and a
 * walk checks them as the scan would meet them: the backward scan reads no
 * byte below lo (a blank line must have both line breaks at or above lo, a
 * run's last code point must start at or above it), the forward scan stops
 * before hi (a blank line's second line break must lie below it), and
 * ends_sentence looks for a lower-case letter only below hi: a run that is
 * no end because of a letter at or past hi would be an end for the scan.
 * Whenever a check fails, or the walk runs out of the list before the scan
 * would have stopped, the query runs the scan itself.
 *
 * Order. scan_fwd from `from` visits every byte up to the first end, and
 * jumps a run whole; scan_back from `start` visits the code points below
 * it and jumps a run whole. Both meet the same runs as a pass over the
 * whole field does (term_run finds the same run from any of its bytes:
 * each mark checks that), unless the scan starts strictly inside a run or
 * a code point; those starts take the scan. */

/* What the scans see at a line break or a run of terminators. */
struct sent_mark {
    size_t at;           /* the line break, or the run's first byte */
    size_t e;            /* past the run (at + 1 for a line break) */
    size_t bneed;        /* back scan: run: start of its last code point;
                            blank line: the line break before this one */
    size_t fneed;        /* forward scan: blank line: the next line break */
    size_t lower;        /* run: the lower-case letter that makes it no end,
                            or SIZE_MAX */
    size_t after;        /* run that ends a sentence: offset past it and its
                            closers */
    unsigned char lf;    /* a line break (else a run) */
    unsigned char back;  /* line break: a blank line ends before it */
    unsigned char fwd;   /* line break: a blank line starts at it */
    unsigned char hidden; /* line break followed by a stray continuation
                            byte: scan_back steps onto it as that byte's
                            code point start and does not see a line break
                            (text that is not UTF-8) */
    unsigned char known; /* run: ends, odd, lower and after are set */
    unsigned char ends;  /* run: it ends a sentence */
    unsigned char odd;   /* run: term_run disagrees with itself */
};

/* The bytes where a mark can be: a line break and the terminators (0xE2
 * leads U+2026). Each is found with memchr; next[] keeps the next offset
 * of each, so the text is read once per byte value. */
static const unsigned char SEEK[5] = {'\n', '.', '!', '?', 0xE2};

void sentences_init(struct sentences *x)
{
    memset(x, 0, sizeof *x);
}

void sentences_fini(struct sentences *x)
{
    free(x->v);
    sentences_init(x);
}

void sentences_reset(struct sentences *x, const char *text, size_t len)
{
    x->t = (const unsigned char *)text;
    x->len = len;
    x->n = 0;
    x->done = 0;
    x->started = 0;
}

static size_t seek(const struct sentences *x, unsigned char c, size_t from)
{
    const unsigned char *p = memchr(x->t + from, c, x->len - from);
    return p ? (size_t)(p - x->t) : x->len;
}

/* The first offset >= from holding one of SEEK's bytes, or len. */
static size_t next_stop(struct sentences *x, size_t from)
{
    size_t best = x->len;
    for (size_t c = 0; c < sizeof SEEK; c++) {
        if (!x->started || x->next[c] < from)
            x->next[c] = seek(x, SEEK[c], from);
        if (x->next[c] < best)
            best = x->next[c];
    }
    x->started = 1;
    return best;
}

static struct sent_mark *add_mark(struct sentences *x)
{
    if (x->n == x->cap)
        grow(&x->v, &x->cap, x->n + 1, sizeof *x->v);
    struct sent_mark *m = &x->v[x->n++];
    memset(m, 0, sizeof *m);
    m->lower = SIZE_MAX;
    return m;
}

/* Index the next mark after x->done. Returns 0 when the text has none. */
static int extend(struct sentences *x)
{
    const unsigned char *t = x->t;
    size_t len = x->len;
    while (x->done < len) {
        size_t k = next_stop(x, x->done);
        if (k >= len) {
            x->done = len;
            return 0;
        }
        if (t[k] == '\n') {
            struct sent_mark *m = add_mark(x);
            m->lf = 1;
            m->at = k;
            m->e = k + 1;
            m->hidden = k + 1 < len && (t[k + 1] & 0xC0) == 0x80;
            size_t j = k;             /* as scan_back, with lo = 0 */
            while (j > 0 && (t[j - 1] == ' ' || t[j - 1] == '\t' ||
                             t[j - 1] == '\r'))
                j--;
            if (j > 0 && t[j - 1] == '\n') {
                m->back = 1;
                m->bneed = j - 1;
            }
            j = k + 1;                /* as scan_fwd, with hi = len */
            while (j < len && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r'))
                j++;
            if (j < len && t[j] == '\n') {
                m->fwd = 1;
                m->fneed = j;
            }
            x->done = k + 1;
            return 1;
        }
        if (!term_at(t, len, k)) {    /* a 0xE2 that is no U+2026 */
            x->done = k + 1;
            continue;
        }
        size_t r, e;
        term_run(t, len, k, &r, &e);
        struct sent_mark *m = add_mark(x);
        m->at = r;
        m->e = e;
        m->odd = r != k;
        x->done = e;
        return 1;
    }
    return 0;
}

/* What the scans decide at run m: evaluated when a query first walks to
 * it, since most runs lie between hits and are never asked about. */
static struct sent_mark *run_known(struct sentences *x, struct sent_mark *m)
{
    if (!m->known) {
        size_t r2, e2;
        m->bneed = cp_start(x->t, m->e - 1);
        term_run(x->t, x->len, m->bneed, &r2, &e2);
        m->odd |= r2 != m->at || e2 != m->e;
        m->ends = ends_sentence(x->t, x->len, m->at, m->e, x->len, &m->after,
                                &m->lower);
        m->known = 1;
    }
    return m;
}

/* The number of marks with at < pos (all of them indexed). */
static size_t marks_below(struct sentences *x, size_t pos)
{
    while (x->done < pos && extend(x))
        ;
    size_t a = 0, b = x->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (x->v[mid].at < pos)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* scan_back(t, len, start, max_scan, hi) from the index, lo its lower
 * limit. Returns 0 when the scan itself must answer. */
static int index_back(struct sentences *x, size_t start, size_t lo,
                      size_t hi, size_t *ss)
{
    if (start < x->len) {
        unsigned char c = x->t[start];
        /* inside a code point, or maybe inside a run */
        if ((c & 0xC0) == 0x80 || c == '.' || c == '!' || c == '?' ||
            c == 0xE2)
            return 0;
    }
    size_t i = marks_below(x, start);
    while (i > 0) {
        struct sent_mark *m = &x->v[--i];
        if (m->lf) {
            if (m->at < lo || (m->hidden && m->at + 1 < start))
                return 0;
            if (m->back) {
                if (m->bneed < lo)
                    return 0;
                *ss = m->at + 1;
                return 1;
            }
            continue;
        }
        run_known(x, m);
        if (m->odd || m->e > start || m->bneed < lo ||
            (m->lower != SIZE_MAX && m->lower >= hi))
            return 0;
        if (m->ends) {
            *ss = m->after;
            return 1;
        }
    }
    if (lo > 0)
        return 0;
    *ss = 0;
    return 1;
}

/* scan_fwd(t, len, from, end, hi) from the index. Returns 0 when the scan
 * itself must answer. */
static int index_fwd(struct sentences *x, size_t from, size_t hi,
                     size_t *se)
{
    size_t i = marks_below(x, from);
    if (i > 0 && !x->v[i - 1].lf && x->v[i - 1].e > from)
        return 0;                     /* from is inside a run */
    for (;; i++) {
        if (i == x->n && !extend(x)) {
            if (hi < x->len)
                return 0;
            *se = x->len;
            return 1;
        }
        struct sent_mark *m = &x->v[i];
        if (m->at >= hi)
            return 0;
        if (m->lf) {
            if (m->fwd && m->fneed < hi) {
                *se = m->at;
                return 1;
            }
            continue;
        }
        run_known(x, m);
        if (m->odd || (m->lower != SIZE_MAX && m->lower >= hi))
            return 0;
        if (m->ends) {
            *se = m->after;
            return 1;
        }
    }
}

void sentences_bounds(struct sentences *x, size_t start, size_t end,
                      size_t max_scan, size_t *s_start, size_t *s_end)
{
    const unsigned char *t = x->t;
    size_t len = x->len, hi, ss, se;

    clamp(len, &start, &end, max_scan, &hi);
    size_t lo = start > max_scan ? start - max_scan : 0;
    if (!index_back(x, start, lo, hi, &ss))
        ss = scan_back(t, len, start, max_scan, hi);
    size_t from = end > start ? end - 1 : start;
    if (!index_fwd(x, from, hi, &se))
        se = scan_fwd(t, len, from, end, hi);
    trim(t, len, start, end, ss, se, s_start, s_end);
}
