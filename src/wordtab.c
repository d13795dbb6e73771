/* wordtab.c - see wordtab.h. */
#include "wordtab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The key of w[0..n) (n <= 16): its bytes, zero-padded, as two integers
 * in the machine's byte order. */
static void key_slow(const char *w, size_t n, uint64_t *k0, uint64_t *k1)
{
    unsigned char b[16] = {0};
    memcpy(b, w, n);
    memcpy(k0, b, 8);
    memcpy(k1, b + 8, 8);
}

static void key_of(const char *w, size_t n, size_t avail, uint64_t *k0,
                   uint64_t *k1)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 16) {
        /* Two unaligned loads; the bytes past the word are masked off
         * (on a little-endian machine the first bytes are the low ones). */
        uint64_t a, b;
        memcpy(&a, w, 8);
        memcpy(&b, w + 8, 8);
        if (n < 8) {
            a &= ((uint64_t)1 << (8 * n)) - 1;
            b = 0;
        } else if (n < 16) {
            b &= ((uint64_t)1 << (8 * (n - 8))) - 1;
        }
        *k0 = a;
        *k1 = b;
        return;
    }
#else
    (void)avail;
#endif
    key_slow(w, n, k0, k1);
}

static uint32_t slot_of(const struct wordtab *t, uint64_t k0, uint64_t k1,
                        size_t n)
{
    uint64_t h = (k0 ^ (k1 * 0xc4ceb9fe1a85ec53ULL) ^ n) *
                 0x9e3779b97f4a7c15ULL;
    return (uint32_t)(h >> t->shift);
}

void wordtab_fini(struct wordtab *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

int wordtab_build(struct wordtab *t, const char *const *words,
                  const uint32_t *vals, size_t n)
{
    memset(t, 0, sizeof *t);
    /* load factor <= 1/4: short probe runs */
    uint32_t bits = 4;
    while (((size_t)1 << bits) < 4 * n)
        bits++;
    size_t cap = (size_t)1 << bits;
    struct wordtab_slot *slot = xcalloc(cap, sizeof *slot);
    struct wordtab b = {slot, (uint32_t)(cap - 1), 64 - bits};
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(words[i]);
        if (l == 0 || l > WORDTAB_MAXLEN) {
            free(slot);
            return -1;
        }
        uint64_t k0, k1;
        key_slow(words[i], l, &k0, &k1);
        for (uint32_t j = slot_of(&b, k0, k1, l);; j = (j + 1) & b.mask) {
            struct wordtab_slot *s = &slot[j];
            if (!s->len) {
                *s = (struct wordtab_slot){k0, k1, (uint32_t)l, vals[i]};
                break;
            }
            if (s->len == l && s->k0 == k0 && s->k1 == k1) {
                s->val |= vals[i];
                break;
            }
        }
    }
    *t = b;
    return 0;
}

uint32_t wordtab_get(const struct wordtab *t, const char *w, size_t n,
                     size_t avail)
{
    if (n == 0 || n > WORDTAB_MAXLEN || !t->slot)
        return 0;
    uint64_t k0, k1;
    key_of(w, n, avail, &k0, &k1);
    for (uint32_t j = slot_of(t, k0, k1, n);; j = (j + 1) & t->mask) {
        const struct wordtab_slot *s = &t->slot[j];
        if (s->len == n && s->k0 == k0 && s->k1 == k1)
            return s->val;
        if (!s->len)
            return 0;
    }
}
