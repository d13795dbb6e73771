/* excerpt.c - see excerpt.h. */
#include "excerpt.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* How far sentence_bounds may look either side of a hit, in bytes: enough
 * for EXCERPT_MAX code points of any script. */
#define SCAN_BYTES (EXCERPT_MAX * 4)

void excerpt_init(struct excerpt *x)
{
    memset(x, 0, sizeof *x);
    buf_init(&x->matched);
    buf_init(&x->text);
}

void excerpt_fini(struct excerpt *x)
{
    buf_fini(&x->matched);
    buf_fini(&x->text);
}

void excerpt_cursor_reset(struct excerpt_cursor *c)
{
    c->byte = c->cp = 0;
    c->last = NULL;
    c->sent = NULL;
}

/* Code points in s[0..n): bytes that are not UTF-8 continuation bytes
 * (10xxxxxx), counted eight at a time. The same count as utf8_count. */
static size_t count_cps(const char *s, size_t n)
{
    const uint64_t hi = 0x8080808080808080u, ones = 0x0101010101010101u;
    size_t c = n, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        /* bit 7 of each byte: set for a continuation byte (bit 7 set,
         * bit 6 clear); then the eight 0/1 bytes summed by a multiply */
        uint64_t cont = (v & ~(v << 1) & hi) >> 7;
        c -= (size_t)((cont * ones) >> 56);
    }
    for (; i < n; i++)
        c -= ((unsigned char)s[i] & 0xC0) == 0x80;
    return c;
}

static size_t cp_at(struct excerpt_cursor *c, const char *s, size_t byte)
{
    /* Hits are ordered by start, but several can share a span (the same
     * word in two lexicons), so the next start may lie before the last
     * end: step back from the cursor rather than recount from the start
     * of the field, which made a long field with many hits quadratic
     * (issue 6: a 10 MB comment took minutes). */
    if (byte < c->byte)
        c->cp -= count_cps(s + byte, c->byte - byte);
    else
        c->cp += count_cps(s + c->byte, byte - c->byte);
    c->byte = byte;
    return c->cp;
}

static int is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

/* Move a byte offset back/forward by up to n code points, not past lo/hi.
 * Every code point is at least one byte, so when lo/hi is at most n bytes
 * away it is the answer, without walking there. */
static size_t back_cps(const char *s, size_t from, size_t lo, size_t n)
{
    if (from - lo <= n) /* (unsigned: false if from < lo) */
        return lo;
    while (from > lo && n) {
        from--;
        while (from > lo && is_cont((unsigned char)s[from]))
            from--;
        n--;
    }
    return from;
}

static size_t fwd_cps(const char *s, size_t from, size_t hi, size_t n)
{
    if (hi - from <= n)
        return hi;
    while (from < hi && n) {
        from++;
        while (from < hi && is_cont((unsigned char)s[from]))
            from++;
        n--;
    }
    return from;
}

/* ASCII white space: space, \t \n \v \f \r. */
static const unsigned char ws[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
};

/* The end of the run of text that starts at t[i] (i < b): the first white
 * space byte that is not a single ' ' after text of the run and before more
 * text, or b. Sixteen bytes at a time where SSE2 is there (every x86-64):
 * excerpts are mostly words and single spaces, so a block rarely stops. */
static size_t run_end(const unsigned char *t, size_t i, size_t b)
{
    size_t j = i;
    for (;;) {
#ifdef __SSE2__
        if (j > i) {
            const __m128i c8 = _mm_set1_epi8(8), c14 = _mm_set1_epi8(14),
                          sp = _mm_set1_epi8(' ');
            /* t[j + 16] is read as the byte after the block's last one */
            for (; j + 17 <= b; j += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)
                                            (t + j));
                __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)
                                             (t + j + 1));
                __m128i ctl = _mm_and_si128(_mm_cmpgt_epi8(v, c8),
                                            _mm_cmplt_epi8(v, c14));
                __m128i ws1 = _mm_or_si128(
                    _mm_cmpeq_epi8(v1, sp),
                    _mm_and_si128(_mm_cmpgt_epi8(v1, c8),
                                  _mm_cmplt_epi8(v1, c14)));
                int m = _mm_movemask_epi8(_mm_or_si128(
                    ctl, _mm_and_si128(_mm_cmpeq_epi8(v, sp), ws1)));
                if (m) {
                    j += (size_t)__builtin_ctz((unsigned)m);
                    break;    /* the byte loop below stops right there */
                }
            }
        }
#endif
        while (j < b && !ws[t[j]])
            j++;
        /* One ' ' after text of this run and before more text. */
        if (j > i && j + 1 < b && t[j] == ' ' && !ws[t[j + 1]]) {
            j++;
            continue;
        }
        return j;
    }
}

/* Append s[a..b) to out with runs of ASCII white space shown as one space
 * (none if out already ends in one). Text is appended a run at a time, and
 * a run goes on over single spaces between words, which stay as they are:
 * most excerpts need one append per segment, not one per word. */
static void append_folded(struct buf *out, const char *s, size_t a, size_t b)
{
    const unsigned char *t = (const unsigned char *)s;
    size_t i = a;
    while (i < b) {
        size_t j = run_end(t, i, b);
        buf_append(out, s + i, j - i);
        if (j >= b)
            break;
        if (!(out->len && out->p[out->len - 1] == ' '))
            buf_append(out, " ", 1);
        while (j < b && ws[t[j]])
            j++;
        i = j;
    }
}

void excerpt_make(struct excerpt *x, struct excerpt_cursor *cur,
                  const char *orig, size_t len, const struct normtext *nt,
                  size_t nstart, size_t nend)
{
    size_t bs = nt->map[nstart], be = nt->map[nend];
    if (cur->last == x && cur->orig == orig && cur->len == len &&
        cur->bs == bs && cur->be == be)
        return; /* x holds this excerpt; the cursor stays at be */
    cur->last = x;
    cur->orig = orig;
    cur->len = len;
    cur->bs = bs;
    cur->be = be;
    x->byte_start = bs;
    x->byte_end = be;
    x->start = cp_at(cur, orig, bs);
    x->end = cp_at(cur, orig, be);
    buf_clear(&x->matched);
    buf_append(&x->matched, orig + bs, be - bs);

    size_t ss, se;
    if (cur->sent)
        sentences_bounds(cur->sent, bs, be, SCAN_BYTES, &ss, &se);
    else
        sentence_bounds(orig, len, bs, be, SCAN_BYTES, &ss, &se);
    if (ss > bs)
        ss = bs;
    if (se < be)
        se = be;
    /* Cut to EXCERPT_MAX code points, split evenly around the match. */
    size_t match_cps = x->end - x->start;
    size_t room = match_cps < EXCERPT_MAX ? (EXCERPT_MAX - match_cps) / 2 : 0;
    size_t cs = back_cps(orig, bs, ss, room);
    size_t ce = fwd_cps(orig, be, se, room);
    buf_clear(&x->text);
    if (cs > ss)
        buf_puts(&x->text, "...");
    append_folded(&x->text, orig, cs, bs);
    x->mark_start = x->text.len;
    append_folded(&x->text, orig, bs, be);
    x->mark_end = x->text.len;
    append_folded(&x->text, orig, be, ce);
    if (ce < se)
        buf_puts(&x->text, "...");
    buf_cstr(&x->text);
}
