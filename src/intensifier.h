/* intensifier.h - the degree words a phrase entry lets through between its
 * words (used by match.c; the README's "Text rules" copies the list).
 *
 * A phrase entry matches with up to INTENSIFIER_GAPS intensifiers between
 * any two of its words, so the lexicon line "works independently" also
 * matches "works really independently", and "needs to be more assertive"
 * matches "needs to be a little more assertive" ("a little" and "more" are
 * two intensifiers). The gap is in the matcher, not in the lexicon: entries
 * are not expanded, and an intensifier is never skipped before the first or
 * after the last word of an entry, nor across a sentence/clause break.
 *
 * The list (in intensifier.c), one intensifier per item, multi-word ones
 * counting as one:
 *   very, really, quite, extremely, so, too, much, more, somewhat, rather,
 *   even, fairly, pretty, slightly, incredibly, truly, highly,
 *   exceptionally, particularly, especially, a little, a bit, a lot.
 * "less" and "not" are not intensifiers: they reverse the phrase.
 *
 * Only whole words count: a part of a hyphenated word ("much" in
 * "much-needed") is never skipped. */
#ifndef EVALBIAS_INTENSIFIER_H
#define EVALBIAS_INTENSIFIER_H

#include <stddef.h>

#include "tokenize.h"

#define INTENSIFIER_GAPS 2

/* The number of tokens (1 or 2) of the intensifier that starts at token j
 * of tk over normalized text s, or 0 when none does. Token j itself may
 * carry a break (the caller decides); a two-word intensifier never spans
 * one. */
size_t intensifier_at(const char *s, const struct tokens *tk, size_t j);

/* May a token spelling w[0..n) start an intensifier (it is a one-word
 * one, or the first word of a two-word one)? When not, intensifier_at
 * gives 0 there: a pure function of the word, for a caller that keeps it
 * per word (match.c's word cache). */
int intensifier_may_start(const char *w, size_t n);

#endif
