/* normalize.c - original field text -> normalized text + offset map (see
 * normalize.h for the rules).
 *
 * Approach. The input is cut into segments: a starter code point plus the
 * combining code points that follow it (canonical combining class != 0,
 * categories Mn/Mc/Me, and the Hangul V/T jamo that compose with a preceding
 * syllable). Canonical composition never crosses a segment boundary, so each
 * segment can be normalized on its own, and every output byte can be mapped
 * to the byte where its segment started in the original.
 *
 *   - ASCII fast path: an ASCII byte that is not followed by a non-ASCII byte
 *     cannot combine with anything, so it is written through a 128-entry
 *     table (lower case, white-space folding) with no utf8proc call. This is
 *     the inner loop for English evaluations and must stay tight: the buffer
 *     capacity is guaranteed before the run starts, so there is no per-byte
 *     growth check.
 *   - Whole-field ASCII path: a field that is all ASCII with no CR (no
 *     CR LF to merge) keeps its length, so its map is the identity. It is
 *     folded a 64-bit word at a time, and nt->map points at an identity
 *     array kept across fields instead of being written per byte. A field
 *     that turns out not to qualify is redone by the general loop from its
 *     start (the general loop gives the same result on ASCII bytes).
 *   - Other segments: each code point is first folded by our own table
 *     (quotes, dashes, white space; this must happen before NFKC, because
 *     NFKC turns U+2033 DOUBLE PRIME into two U+2032 and we want one '"'),
 *     otherwise expanded with utf8proc_decompose_char (compatibility
 *     decomposition + case folding + ignorable removal) into a stack buffer;
 *     then the marks are put in canonical order, utf8proc_normalize_utf32
 *     recomposes (NFKC), the fold table runs again over the result (NFKC
 *     can produce U+2014 from U+FE31, for instance), and
 *     utf8proc_encode_char writes UTF-8. No allocation happens per segment.
 *
 * Choices worth knowing:
 *   - Line breaks: LF, CR, NEL, U+2028, U+2029 -> '\n'. CR LF becomes ONE
 *     '\n' (mapped to the CR), so Windows exports do not look like blank
 *     lines to the tokenizer. Every other White_Space code point -> ' '.
 *     Other control characters are passed through unchanged.
 *   - A segment is capped at SEG_MAX_CP code points; a longer run of
 *     combining marks (only seen in "Zalgo" text) is split, and the marks
 *     past the cap start a new segment with their own map offset.
 *   - Invalid UTF-8 (the reader should have repaired it) is not trusted:
 *     each bad byte becomes U+FFFD, so the output is always valid UTF-8.
 *   - Case folding is full folding ("ß" -> "ss"). utf8proc applies it
 *     together with the compatibility decomposition, recursively, so the
 *     result of one feeds the other (U+2160 ROMAN NUMERAL ONE -> "I" -> "i");
 *     composition comes last. This is utf8proc's approximation of
 *     NFKC_Casefold, and normalizing normalized text leaves it unchanged.
 */
#include "normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util.h"

/* Longest expansion of one code point under our options is 18 (U+FDFA,
 * measured over all of Unicode with utf8proc 2.8); keep a margin. */
#define DECOMP_MAX 24
#define SEG_MAX_CP 32
#define SEGBUF (SEG_MAX_CP * DECOMP_MAX)

#define NORM_OPTS                                                          \
    (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* ASCII byte -> normalized byte: lower case, tab/VT/FF -> ' ', CR -> '\n'. */
static const unsigned char ascii_fold[128] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, ' ',  '\n', ' ',  ' ',  '\n', 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    ' ',  '!',  '"',  '#',  '$',  '%',  '&',  '\'',
    '(',  ')',  '*',  '+',  ',',  '-',  '.',  '/',
    '0',  '1',  '2',  '3',  '4',  '5',  '6',  '7',
    '8',  '9',  ':',  ';',  '<',  '=',  '>',  '?',
    '@',  'a',  'b',  'c',  'd',  'e',  'f',  'g',
    'h',  'i',  'j',  'k',  'l',  'm',  'n',  'o',
    'p',  'q',  'r',  's',  't',  'u',  'v',  'w',
    'x',  'y',  'z',  '[',  '\\', ']',  '^',  '_',
    '`',  'a',  'b',  'c',  'd',  'e',  'f',  'g',
    'h',  'i',  'j',  'k',  'l',  'm',  'n',  'o',
    'p',  'q',  'r',  's',  't',  'u',  'v',  'w',
    'x',  'y',  'z',  '{',  '|',  '}',  '~',  0x7f,
};

/* Our folding of non-ASCII code points, or -1 when utf8proc should decide.
 * Quotes and hyphens fold to ASCII so that a lexicon written with "don't"
 * matches text typed in Word ("don’t"); white space folds so that phrases
 * match across NBSP and friends. Dashes (figure, en, em, bar, two- and
 * three-em, minus) fold to a space: they separate words ("block—by" is two
 * words) where a hyphen joins them. U+200B ZERO WIDTH SPACE is a space too,
 * although it is default-ignorable: deleting it would join two words. */
static int32_t fold_special(int32_t c)
{
    switch (c) {
    case 0x0085: case 0x2028: case 0x2029:          /* NEL, LS, PS */
        return '\n';
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return ' ';
    case 0x2018: case 0x2019: case 0x201A: case 0x201B:
    case 0x2032: case 0x02BC: case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x2033: case 0xFF02:
        return '"';
    case 0x2010: case 0x2011: case 0xFE63: case 0xFF0D: /* hyphens */
        return '-';
    case 0x2212: case 0xFE58: case 0x2E3A: case 0x2E3B:  /* minus, dashes */
        return ' ';
    default:
        if (c >= 0x2012 && c <= 0x2015)              /* figure dash .. bar */
            return ' ';
        if (c >= 0x2000 && c <= 0x200B)              /* en quad .. ZWSP */
            return ' ';
        return -1;
    }
}

/* Code points that belong to the segment of the code point before them. */
static int is_continuation(int32_t c)
{
    if (c < 0x300)
        return 0;                     /* nothing below U+0300 combines */
    if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2))
        return 1;                     /* Hangul V/T jamo: ccc 0, yet compose */
    const utf8proc_property_t *p = utf8proc_get_property(c);
    if (p->combining_class != 0)
        return 1;
    return p->category == UTF8PROC_CATEGORY_MN ||
           p->category == UTF8PROC_CATEGORY_MC ||
           p->category == UTF8PROC_CATEGORY_ME;
}

void normtext_init(struct normtext *nt)
{
    nt->s = NULL;
    nt->len = 0;
    nt->map = NULL;
    nt->ascii = 0;
    nt->cap = 0;
    nt->mbuf = NULL;
    nt->ident = NULL;
    nt->icap = 0;
}

void normtext_fini(struct normtext *nt)
{
    free(nt->s);
    free(nt->mbuf);
    free(nt->ident);
    normtext_init(nt);
}

/* Make room for `need` bytes in s and `need` entries in mbuf (s and mbuf
 * share one capacity; callers count the NUL / map[len] slot in `need`). */
static void reserve(struct normtext *nt, size_t need)
{
    if (need <= nt->cap && nt->s)
        return;
    size_t c = nt->cap ? nt->cap : 64;
    while (c < need)
        c *= 2;
    nt->s = xrealloc(nt->s, c);
    nt->mbuf = xrealloc(nt->mbuf, c * sizeof *nt->mbuf);
    nt->cap = c;
}

/* The identity map for `need` entries: filled once as it grows, then shared
 * by every all-ASCII field, so such a field writes no map at all. */
static void reserve_ident(struct normtext *nt, size_t need)
{
    if (need <= nt->icap)
        return;
    size_t c = nt->icap ? nt->icap : 64;
    while (c < need)
        c *= 2;
    nt->ident = xrealloc(nt->ident, c * sizeof *nt->ident);
    for (size_t i = nt->icap; i < c; i++)
        nt->ident[i] = i;
    nt->icap = c;
}

/* Decode one code point at in[i]; bad bytes decode as U+FFFD, length 1. */
static size_t decode(const unsigned char *in, size_t len, size_t i,
                     int32_t *cp)
{
    utf8proc_ssize_t n = utf8proc_iterate(in + i, (utf8proc_ssize_t)(len - i),
                                          cp);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)n;
}

/* Append code point c of the segment to buf (our fold first, else utf8proc's
 * decomposition). Returns the new count, or -1 if it would not fit. */
static utf8proc_ssize_t seg_add(utf8proc_int32_t *buf, utf8proc_ssize_t n,
                                int32_t c)
{
    if (c < 0x80) {
        buf[n] = ascii_fold[c];
        return n + 1;
    }
    int32_t f = fold_special(c);
    if (f >= 0) {
        buf[n] = f;
        return n + 1;
    }
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t k = utf8proc_decompose_char(c, buf + n, SEGBUF - n,
                                                 NORM_OPTS, &boundclass);
    if (k < 0) {                      /* not a code point: cannot happen */
        buf[n] = 0xFFFD;
        return n + 1;
    }
    if (k > SEGBUF - n)
        return -1;
    return n + k;
}

/* Canonical ordering: a stable sort of each run of marks by combining
 * class. utf8proc_decompose_custom does this itself, but we decompose code
 * point by code point and utf8proc_normalize_utf32 only composes, so it is
 * ours to do. Runs are a few marks long, so insertion sort. */
static void reorder_marks(utf8proc_int32_t *buf, utf8proc_ssize_t n)
{
    for (utf8proc_ssize_t i = 1; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        int cc = utf8proc_get_property(c)->combining_class;
        if (cc == 0)
            continue;
        utf8proc_ssize_t j = i;
        while (j > 0) {
            int pc = utf8proc_get_property(buf[j - 1])->combining_class;
            if (pc <= cc)             /* starters (0) stop the sort too */
                break;
            buf[j] = buf[j - 1];
            j--;
        }
        buf[j] = c;
    }
}

/* Normalize the segment starting at in[i] and append it at nt->s + *o.
 * Returns the input offset after the segment. */
static size_t do_segment(struct normtext *nt, const unsigned char *in,
                         size_t len, size_t i, size_t *o)
{
    utf8proc_int32_t buf[SEGBUF];
    int32_t c;
    size_t j = i + decode(in, len, i, &c);
    utf8proc_ssize_t n = seg_add(buf, 0, c);   /* one code point always fits */
    int ncp = 1;

    while (j < len && in[j] >= 0x80 && ncp < SEG_MAX_CP) {
        size_t k = decode(in, len, j, &c);
        if (!is_continuation(c))
            break;
        utf8proc_ssize_t m = seg_add(buf, n, c);
        if (m < 0)
            break;                    /* buffer full: mark starts a segment */
        n = m;
        j += k;
        ncp++;
    }

    if (n > 1) {
        reorder_marks(buf, n);
        n = utf8proc_normalize_utf32(buf, n, NORM_OPTS);   /* recompose */
    }

    /* Room for this segment at 4 bytes per code point, plus the rest of the
     * input at one byte per byte so the ASCII path needs no checks. */
    reserve(nt, *o + 4 * (size_t)(n > 0 ? n : 0) + (len - j) + 1);
    unsigned char *out = (unsigned char *)nt->s;
    for (utf8proc_ssize_t q = 0; q < n; q++) {
        int32_t cp = buf[q];
        if (cp >= 0x80) {
            int32_t f = fold_special(cp);
            if (f >= 0)
                cp = f;
        }
        utf8proc_ssize_t w = utf8proc_encode_char(cp, out + *o);
        for (utf8proc_ssize_t b = 0; b < w; b++)
            nt->mbuf[(*o)++] = i;
    }
    return j;
}

/* ASCII folding eight bytes at a time (SWAR): fold s[0..) from in[0..len)
 * while every byte is ASCII and none is a control character, and return
 * where that stopped (a multiple of 8, or len). Such a byte needs only the
 * upper-case letters lowered: each byte of v is below 0x80, so adding a
 * constant to v cannot carry from one byte into the next, and bit 7 of
 * (v + 0x3f) & ~(v + 0x25) is set exactly for the bytes 'A'..'Z'. */
static size_t fold_ascii_words(char *s, const unsigned char *in, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
    size_t i = 0;
#ifdef __SSE2__
    /* The same test and folding sixteen bytes at a time where SSE2 is
     * there (every x86-64); the words after the last block below. As
     * signed bytes, "below ' '" covers the non-ASCII bytes (negative). */
    const __m128i sp = _mm_set1_epi8(' '), a = _mm_set1_epi8('A' - 1),
                  z = _mm_set1_epi8('Z' + 1), bit = _mm_set1_epi8(0x20);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        if (_mm_movemask_epi8(_mm_cmplt_epi8(v, sp)))
            break;
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, a), _mm_cmplt_epi8(v, z));
        v = _mm_or_si128(v, _mm_and_si128(up, bit));
        _mm_storeu_si128((__m128i *)(void *)(s + i), v);
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, in + i, 8);
        /* bit 7 of v: not ASCII; bit 7 clear in v + 0x60: below ' ' */
        if ((v | ~(v + ones * 0x60)) & high)
            break;
        uint64_t up = (v + ones * 0x3f) & ~(v + ones * 0x25) & high;
        v |= up >> 2;                 /* 0x80 >> 2 == 0x20: lower case */
        memcpy(s + i, &v, 8);
    }
    return i;
}

/* The fast path: the field is ASCII with no CR, so normalization is
 * ascii_fold byte for byte and the map is the identity. Returns 0, with
 * nothing of nt to trust, when the field does not qualify. */
static int normalize_ascii(struct normtext *nt, const unsigned char *in,
                           size_t len)
{
    char *s = nt->s;
    size_t i = 0;
    while (i < len) {
        i += fold_ascii_words(s + i, in + i, len - i);
        /* A word with a control character (a line break, a tab) or a
         * non-ASCII byte, or the tail: byte by byte up to the next word. */
        size_t stop = i + 8 < len ? i + 8 : len;
        for (; i < stop; i++) {
            unsigned char c = in[i];
            if (c >= 0x80 || c == '\r')
                return 0;
            s[i] = (char)ascii_fold[c];
        }
    }
    reserve_ident(nt, len + 1);
    s[len] = '\0';
    nt->len = len;
    nt->map = nt->ident;
    nt->ascii = 1;
    return 1;
}

void normalize(struct normtext *nt, const char *orig, size_t len)
{
    reserve(nt, len + 1);
    if (!normalize_ascii(nt, (const unsigned char *)orig, len))
        normalize_general(nt, orig, len);
}

void normalize_general(struct normtext *nt, const char *orig, size_t len)
{
    const unsigned char *in = (const unsigned char *)orig;
    size_t i = 0, o = 0;

    reserve(nt, len + 1);
    nt->ascii = 0;
    while (i < len) {
        /* The ASCII run [i, j). Its last byte joins the slow path when a
         * non-ASCII byte follows it, since that may be a combining mark. */
        size_t j = i;
        while (j < len && in[j] < 0x80)
            j++;
        size_t stop = (j < len && j > i) ? j - 1 : j;
        char *s = nt->s;
        size_t *map = nt->mbuf;
        while (i < stop) {
            unsigned char c = in[i];
            if (c == '\r' && i + 1 < j && in[i + 1] == '\n') {
                s[o] = '\n';          /* CR LF -> one '\n' */
                map[o++] = i;
                i += 2;
                continue;
            }
            s[o] = (char)ascii_fold[c];
            map[o++] = i++;
        }
        if (i < len)
            i = do_segment(nt, in, len, i, &o);
    }
    nt->len = o;
    nt->s[o] = '\0';
    nt->mbuf[o] = len;
    nt->map = nt->mbuf;
}

char *normalize_dup(const char *s, size_t len)
{
    struct normtext nt;
    normtext_init(&nt);
    normalize(&nt, s, len);
    char *r = nt.s;
    nt.s = NULL;
    normtext_fini(&nt);
    return r;                      /* NUL-terminated, owned by caller */
}
