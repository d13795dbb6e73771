/* match_prefix.h - the literal strings a PCRE2 pattern's matches start with.
 *
 * The matcher runs a regex entry only where one of these strings occurs in
 * the field (anchored there), instead of letting PCRE2 try every position:
 * "\b(?:needs? to|must|tr(?:y|ies) to)\s+be" can only match where "need",
 * "must", "try to" or "tries to" begins. The hits are the same because the
 * set is a necessary condition: every match of the pattern, at any position
 * of a normalized (case-folded, NFKC) text, begins with one of the strings.
 *
 * The reading is conservative. Zero-width items (\b, ^, lookarounds) are
 * skipped; literal characters extend the strings; groups multiply them by
 * their alternatives; anything it does not fully understand ends the
 * strings there (a class, \s, a quantified item) or gives up altogether
 * (inline options, \K, \G, \Q, backtracking verbs, non-ASCII letters
 * folded caselessly ...). It gives up, too, when a string would be shorter
 * than 2 bytes or there would be more than RX_PREFIX_MAX of them. */
#ifndef EVALBIAS_MATCH_PREFIX_H
#define EVALBIAS_MATCH_PREFIX_H

#include <stddef.h>

#include "util.h"

#define RX_PREFIX_MAX 128 /* strings per pattern */
#define RX_PREFIX_LEN 48  /* longest string kept (longer ones are cut) */

/* Fill out (appending; lower-case ASCII, none a prefix of another, each
 * 2..RX_PREFIX_LEN bytes) and return how many strings were added, or 0
 * when the pattern's starts are not known (out is then unchanged).
 * *word_start is set to 1 when a \b comes before anything the pattern
 * consumes: a match then starts at a word boundary. *after_nonword is set
 * to 1 when a match can only start where the character before is not an
 * ASCII letter, digit or '_' (or at the text's start): after such a \b
 * when every string starts with one of those, or after a lookbehind whose
 * every alternative ends with another ASCII character ("(?<=\bher )"). */
size_t rx_start_literals(const char *pattern, struct strvec *out,
                         int *word_start, int *after_nonword);

/* The index just past the class "[...]" that opens at p[i] (PCRE2's rules:
 * a ']' first is literal, escapes, [:posix:] names), or 0 when it is not
 * closed. */
size_t regex_class_end(const char *p, size_t i);

#endif
