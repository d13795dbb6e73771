/* suggest.h - "did you mean ...?" for a mistyped name.
 *
 * Used for commands, subcommands, long options and column names: the
 * candidate closest to the typed word by edit distance (Damerau-Levenshtein,
 * adjacent transpositions counting one, ASCII case ignored), when it is close
 * enough to be a plausible typo. */
#ifndef EVALBIAS_SUGGEST_H
#define EVALBIAS_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b (case-insensitive for ASCII); strings
 * longer than 255 bytes are compared on their first 255. */
size_t suggest_distance(const char *a, const char *b);

/* The candidate closest to word, or NULL when none is within
 * max(1, strlen(word) / 3) edits (a prefix of length >= 3 also counts as
 * close: "aud" -> "audit"). cands holds n strings (NULL entries skipped);
 * ties go to the earlier candidate. */
const char *suggest_closest(const char *word, const char *const *cands,
                            size_t n);

#endif
