/* textsafe.h - input text shown safely outside an HTML page: on a terminal
 * and in error messages.
 *
 * Text from an input or a lexicon may hold control characters: ESC
 * sequences that move the cursor, clear the screen or set a terminal's
 * title, a CR that hides what came before it, and Unicode bidirectional
 * controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C) that
 * reorder the rest of a line. These helpers write such characters escaped
 * (\e, \r, \x1B, \u{202E}) and bytes that are not UTF-8 as \xHH; all other
 * text (printable ASCII and valid UTF-8) is written as it is. Every message
 * that evalbias prints and every header `columns` shows goes through them.
 * (HTML outputs isolate text with <bdi> instead: html.h.)
 *
 * Pointer arguments are borrowed. */
#ifndef EVALBIAS_TEXTSAFE_H
#define EVALBIAS_TEXTSAFE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* Append s[0..n) to b, escaped. max_chars > 0 keeps at most that many
 * characters of s and then appends "..." (an excerpt); 0 keeps all. A
 * newline is escaped unless keep_newline. */
void text_escape(struct buf *b, const char *s, size_t n, size_t max_chars,
                 int keep_newline);

/* A short escaped excerpt of s[0..n) in out (at most TEXT_EXCERPT_CHARS
 * characters of s, then "..."), for quoting a bad line or field in an error
 * message without echoing a whole line of someone else's file. Returns
 * out. */
#define TEXT_EXCERPT_CHARS 40
#define TEXT_EXCERPT_SIZE (TEXT_EXCERPT_CHARS * 10 + 8)
const char *text_excerpt(char out[TEXT_EXCERPT_SIZE], const char *s,
                         size_t n);

/* Write the C string s to f escaped (newlines kept when keep_newline). */
void text_put(FILE *f, const char *s, int keep_newline);

#endif
