/* util.c - see util.h. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "evalbias: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void grow(void *pp, size_t *cap, size_t need, size_t elem)
{
    void **p = pp;
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *p = xrealloc(*p, c * elem);
    *cap = c;
}

void buf_init(struct buf *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
}

void buf_fini(struct buf *b)
{
    free(b->p);
    buf_init(b);
}

void buf_clear(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void buf_reserve(struct buf *b, size_t extra)
{
    grow(&b->p, &b->cap, b->len + extra + 1, 1);
}

void buf_append(struct buf *b, const void *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

size_t dec_u64(char out[DEC_U64_MAX], uint64_t v)
{
    /* Two digits a step from a table, written from the end of a scratch
     * array, then copied: the usual itoa (fmt's, folly's). */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char d[DEC_U64_MAX];
    size_t i = DEC_U64_MAX;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        d[--i] = pairs[2 * r + 1];
        d[--i] = pairs[2 * r];
    }
    if (v >= 10) {
        d[--i] = pairs[2 * v + 1];
        d[--i] = pairs[2 * v];
    } else {
        d[--i] = (char)('0' + v);
    }
    memcpy(out, d + i, DEC_U64_MAX - i);
    return DEC_U64_MAX - i;
}

void buf_put_u64(struct buf *b, uint64_t v)
{
    buf_reserve(b, DEC_U64_MAX);
    b->len += dec_u64(b->p + b->len, v);
    b->p[b->len] = '\0';
}

const char *buf_cstr(struct buf *b)
{
    buf_reserve(b, 0);
    b->p[b->len] = '\0';
    return b->p;
}

void strvec_push(struct strvec *sv, const char *s)
{
    grow(&sv->v, &sv->cap, sv->n + 1, sizeof *sv->v);
    sv->v[sv->n++] = xstrdup(s);
}

void strvec_fini(struct strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

const char *path_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return path;
    if (s[1])
        return s + 1;
    /* "dir/": the name before the trailing slashes is not worth a copy;
     * the whole argument is then shown only when it has no other name. */
    while (s > path && *s == '/')
        s--;
    const char *b = s;
    while (b > path && b[-1] != '/')
        b--;
    return b < s ? b : path;
}

uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

size_t utf8_count(const char *s, size_t n)
{
    /* Bytes less continuation bytes (10xxxxxx), eight at a time: a
     * continuation byte has bit 7 set and bit 6 clear. */
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t b = w & ~(w << 1) & 0x8080808080808080ULL;
        if (b) {
            b = (b >> 7) * 0x0101010101010101ULL; /* sum of the flags */
            cont += (size_t)(b >> 56);
        }
    }
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n - cont;
}

void buf_put_utf8(struct buf *out, unsigned cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp, k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
    }
    buf_append(out, u, k);
}
