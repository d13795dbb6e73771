/* excerpt.c - see excerpt.h. */
#include "excerpt.h"
#include "tokenize.h"

#include <string.h>

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
}

static size_t cp_at(struct excerpt_cursor *c, const char *s, size_t byte)
{
    /* Hits are ordered by start, but several can share a span (the same
     * word in two lexicons), so the next start may lie before the last
     * end: step back from the cursor rather than recount from the start
     * of the field, which made a long field with many hits quadratic
     * (issue 6: a 10 MB comment took minutes). */
    if (byte < c->byte)
        c->cp -= utf8_count(s + byte, c->byte - byte);
    else
        c->cp += utf8_count(s + c->byte, byte - c->byte);
    c->byte = byte;
    return c->cp;
}

static int is_cont(unsigned char b) { return (b & 0xC0) == 0x80; }

/* Move a byte offset back/forward by up to n code points. */
static size_t back_cps(const char *s, size_t from, size_t lo, size_t n)
{
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
    while (from < hi && n) {
        from++;
        while (from < hi && is_cont((unsigned char)s[from]))
            from++;
        n--;
    }
    return from;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Append s[a..b) to out with runs of ASCII white space shown as one space.
 * Text between white space is appended a run at a time, not byte by byte. */
static void append_folded(struct buf *out, const char *s, size_t a, size_t b)
{
    size_t i = a;
    while (i < b) {
        size_t j = i;
        while (j < b && !is_space((unsigned char)s[j]))
            j++;
        buf_append(out, s + i, j - i);
        if (j >= b)
            break;
        if (!(out->len && out->p[out->len - 1] == ' '))
            buf_append(out, " ", 1);
        i = j + 1;
    }
}

void excerpt_make(struct excerpt *x, struct excerpt_cursor *cur,
                  const char *orig, size_t len, const struct normtext *nt,
                  size_t nstart, size_t nend)
{
    size_t bs = nt->map[nstart], be = nt->map[nend];
    x->byte_start = bs;
    x->byte_end = be;
    x->start = cp_at(cur, orig, bs);
    x->end = cp_at(cur, orig, be);
    buf_clear(&x->matched);
    buf_append(&x->matched, orig + bs, be - bs);

    size_t ss, se;
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
