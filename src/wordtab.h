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
 * frees its slots. */
#ifndef EVALBIAS_WORDTAB_H
#define EVALBIAS_WORDTAB_H

#include <stddef.h>
#include <stdint.h>

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
 * loaded without a byte loop. */
uint32_t wordtab_get(const struct wordtab *t, const char *w, size_t n,
                     size_t avail);

#endif
