/* senses.h - shared clinical senses: one guard set per word, inherited by
 * every entry of that word in every lexicon (part of the matching stage).
 *
 * A clinical use of a word ("aggressive diuresis", "emotional support",
 * "warm compresses", "right-hand dominant") is the same whichever lexicon
 * lists the word. So the guards of a word are pooled: the guard set of a
 * spelling is the union of the guard_before and guard_after rows of every
 * word or phrase entry with that spelling, in any lexicon of the set. A hit
 * whose matched words spell a pooled word is cancelled when any guard of
 * the pool fires - whichever entry found it, a word entry of another
 * lexicon or a stem ("aggress*" matching "aggressive" inherits the guards
 * of the entries "aggressive").
 *
 * Spellings are hyphen-aware: the key is the entry's normalized words
 * joined without separators, and the matched text's tokens joined the same
 * way, so "soft-spoken", "soft spoken" and "softspoken" share one pool,
 * and guards (which match tokens) see inside hyphenated words ("right-hand
 * dominant").
 *
 * `lexicon lint` warns when two lexicons give one spelling different
 * guards (senses_differ): the pool makes them act alike, but each file
 * should say what it guards.
 *
 * Cost: built once per matcher (one hash insert per guarded entry); a
 * lookup per hit candidate, never per token. */
#ifndef EVALBIAS_SENSES_H
#define EVALBIAS_SENSES_H

#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"
#include "lexicon.h"
#include "util.h"

struct senses {
    struct strmap map;  /* spelling -> pool index */
    size_t *off;        /* pool p: entries ent[off[p] .. off[p + 1]) */
    uint32_t *ent;      /* guarded word and phrase entries, by pool */
    size_t npools;
};

/* Pool the guards of set's word and phrase entries by spelling. */
void senses_build(struct senses *s, const struct lexicon_set *set);
void senses_fini(struct senses *s);

/* The spelling key of an entry's word sequence into b (cleared first). */
void senses_key(struct buf *b, const struct wordseq *seq);

/* The entries whose guards pool under key[0..len): *n of them, or NULL. */
const uint32_t *senses_of(const struct senses *s, const char *key,
                          size_t len, size_t *n);

/* Do entries a and b (same spelling) have different guard sets? */
int senses_differ(const struct lex_entry *a, const struct lex_entry *b);

#endif
