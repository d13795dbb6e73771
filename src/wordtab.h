/* wordtab.h - a fixed set of short words, looked up in one hash probe
 * (referent.c's word classes, negation.c's transparent and stop words).
 *
 * The words are built once (wordtab_build) and only read afterwards, so a
 * table may be shared by threads once built (build it under pthread_once).
 * A word of up to WORDTAB_MAXLEN bytes is its key, zero-padded to 16
 * bytes: a lookup loads the word as two 64-bit integers and compares
 * integers, with no string comparison and no byte loop when the caller
 * says that 16 bytes can be read at the word (`avail`). Longer words are
 * never in a table and cost one comparison.
 *
 * Ownership: struct wordtab is embedded (usually static); wordtab_fini
 * frees its slots. A zeroed table holds no words (every lookup gives 0). */
#ifndef EVALBIAS_WORDTAB_H
#define EVALBIAS_WORDTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WORDTAB_MAXLEN 16

struct wordtab_slot {
    uint64_t k0, k1; /* the word's bytes, zero-padded */
    uint32_t len;    /* 0: an empty slot */
    uint32_t val;
};

struct wordtab {
    struct wordtab_slot *slot;
    uint32_t mask;  /* capacity - 1 (a power of two) */
    uint32_t shift; /* 64 - log2(capacity): the hash's top bits index */
};

/* Build t from words[0..n) with values vals[0..n): each word 1 to
 * WORDTAB_MAXLEN bytes, NUL-terminated; a word listed twice keeps the
 * bitwise OR of its values. Returns 0, or -1 when a word is empty or too
 * long (t is then empty: every lookup gives 0). Aborts when out of memory
 * (util.h). */
int wordtab_build(struct wordtab *t, const char *const *words,
                  const uint32_t *vals, size_t n);

void wordtab_fini(struct wordtab *t);

/* The value of w[0..n), or 0 when it is not in t. `avail` is how many
 * bytes may be read from w (at least n): with 16 or more, the word is
 * loaded without a byte loop. Inline: it runs once a token. */
static inline uint32_t wordtab_get(const struct wordtab *t, const char *w,
                                   size_t n, size_t avail);

/* ---- implementation (inline) ---- */

/* The key of w[0..n) (n <= 16): its bytes, zero-padded, as two integers
 * in the machine's byte order. */
static inline void wordtab_key_slow(const char *w, size_t n, uint64_t *k0,
                                    uint64_t *k1)
{
    unsigned char b[16] = {0};
    memcpy(b, w, n);
    memcpy(k0, b, 8);
    memcpy(k1, b + 8, 8);
}

static inline uint32_t wordtab_slot_of(const struct wordtab *t, uint64_t k0,
                                       uint64_t k1, size_t n)
{
    uint64_t h = (k0 ^ (k1 * 0xc4ceb9fe1a85ec53ULL) ^ n) *
                 0x9e3779b97f4a7c15ULL;
    return (uint32_t)(h >> t->shift);
}

static inline uint32_t wordtab_get(const struct wordtab *t, const char *w,
                                   size_t n, size_t avail)
{
    if (n - 1 >= WORDTAB_MAXLEN || !t->slot) /* n == 0 wraps */
        return 0;
    uint64_t k0, k1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 16) {
        /* Two unaligned loads; the bytes past the word are masked off
         * (on a little-endian machine the first bytes are the low ones). */
        memcpy(&k0, w, 8);
        memcpy(&k1, w + 8, 8);
        if (n < 8) {
            k0 &= ((uint64_t)1 << (8 * n)) - 1;
            k1 = 0;
        } else if (n < 16) {
            k1 &= ((uint64_t)1 << (8 * (n - 8))) - 1;
        }
    } else
#endif
        wordtab_key_slow(w, n, &k0, &k1);
    (void)avail;
    for (uint32_t j = wordtab_slot_of(t, k0, k1, n);; j = (j + 1) & t->mask) {
        const struct wordtab_slot *s = &t->slot[j];
        if (s->len == n && s->k0 == k0 && s->k1 == k1)
            return s->val;
        if (!s->len)
            return 0;
    }
}

#endif
