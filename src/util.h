/* util.h - allocation, growable buffers and small string helpers shared by
 * every module.
 *
 * All allocation goes through xmalloc/xcalloc/xrealloc/xstrdup: on failure
 * they print one message and abort, so callers never test for NULL. This is
 * the single out-of-memory path of the program (jq's jv_mem_*, ag's
 * ag_malloc). Functions named x_new or x_dup return memory the caller frees. */
#ifndef EVALBIAS_UTIL_H
#define EVALBIAS_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *p (an array of elem-size items with capacity *cap) so that it holds
 * at least need items. Doubles, so appends are amortised O(1). */
void grow(void *pp, size_t *cap, size_t need, size_t elem);

/* A growable byte string, always NUL-terminated when len > 0 or after
 * buf_cstr(). Embed it (buf_init/buf_fini); it is not opaque. */
struct buf {
    char *p;
    size_t len, cap;
};

void buf_init(struct buf *b);
void buf_fini(struct buf *b);
void buf_clear(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);

/* v in decimal, exactly as printf's "%llu" writes it, into out (no NUL):
 * returns the number of digits (1..20). No printf: the tally file writes
 * millions of counts. */
#define DEC_U64_MAX 20
size_t dec_u64(char out[DEC_U64_MAX], uint64_t v);

/* Append v in decimal (dec_u64) to b. */
void buf_put_u64(struct buf *b, uint64_t v);

/* A vector of owned C strings. */
struct strvec {
    char **v;
    size_t n, cap;
};

void strvec_push(struct strvec *sv, const char *s); /* copies s */
void strvec_fini(struct strvec *sv);

/* a += b for unsigned counters; evaluates to 1 (true) when the sum does not
 * fit, leaving a wrapped: callers treat that as an error, never a count.
 * Every addition of counts that come from files (tally parts) or grow with
 * the input goes through it, so a total can never silently wrap. */
#define ADD_OVERFLOWS(a, b) __builtin_add_overflow((a), (b), &(a))

/* The file name of path (after its last '/'; "-" stays "-"). Manifests,
 * tally files and reports record inputs, lexicons and cohort maps by this
 * name and their SHA-256, never by the path as typed: an absolute path
 * carries user and folder names to every site a tally is sent to. */
const char *path_basename(const char *path);

/* 64-bit FNV-1a over n bytes: the hash every table in evalbias uses. */
uint64_t hash_bytes(const void *p, size_t n);

/* Number of UTF-8 code points in s[0..n) (counts non-continuation bytes;
 * s must be valid UTF-8). */
size_t utf8_count(const char *s, size_t n);

/* Append code point cp (< 0x110000, not a surrogate) to out as UTF-8. */
void buf_put_utf8(struct buf *out, unsigned cp);

#endif
