/* match_guard.h - is a candidate hit guarded? (the guards of lexicon.h,
 * for match.c)
 *
 * A guard_before sequence may END at most W words before the hit's first
 * word, a guard_after sequence may START at most W words after its last
 * word (W = set->guard_window; 0: directly adjacent); neither reaches
 * across a sentence/clause break, and the window counts words, not tokens
 * (a hyphenated word between the guard and the hit is one).
 *
 * The places a guard may be are the same for every guard of an entry, so
 * the check walks those places once and, at each, tries only the guards
 * whose word there (the last word of a guard_before, the first of a
 * guard_after) starts with the token's first byte: an entry such as
 * "sensitive", with 65 guards, costs a few comparisons per place instead of
 * 65. The answer is the same as trying every guard at every place.
 *
 * Ownership: the index borrows set, which must outlive it. */
#ifndef EVALBIAS_MATCH_GUARD_H
#define EVALBIAS_MATCH_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"
#include "tokenize.h"

struct guard_index {
    const struct lexicon_set *set;
    /* per entry, per side (0 before, 1 after): its guards sorted by the
     * first byte of their key word, as refs[off .. off + n) */
    struct guard_side {
        uint32_t off, n;
        uint64_t mask; /* bit (byte & 63) for every key byte present */
        int wild;      /* a key word is empty: try every guard */
    } (*side)[2];
    uint8_t *keys;   /* key byte of refs[i] */
    uint32_t *refs;  /* index into the entry's guard_before/guard_after */
    /* more of refs[i]'s key word, so that most guards are ruled out at a
     * place without comparing strings: its length (capped), its second
     * byte (0 when shorter), whether it is a stem */
    struct guard_key { uint16_t len; uint8_t b1, stem; } *kinfo;
};

void guard_index_build(struct guard_index *gi, const struct lexicon_set *set);
void guard_index_fini(struct guard_index *gi);

/* Is the candidate of entry `entry` covering tokens [tfirst, tend) of the
 * normalized text s guarded by one of the entry's guards (shared_only:
 * only those not marked own)? */
int guard_index_hit(const struct guard_index *gi, uint32_t entry,
                    const char *s, const struct tokens *tk, size_t tfirst,
                    size_t tend, int shared_only);

#endif
