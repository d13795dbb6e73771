/* wordtab.c - see wordtab.h. */
#include "wordtab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

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
        wordtab_key_slow(words[i], l, &k0, &k1);
        for (uint32_t j = wordtab_slot_of(&b, k0, k1, l);;
             j = (j + 1) & b.mask) {
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
