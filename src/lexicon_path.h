/* lexicon_path.h - where the shipped lexicons are when --lexicon is not given.
 *
 * An installed evalbias must find its lexicons from any directory, a
 * DESTDIR or relocated install included, and a binary built in the source
 * tree must find the tree's own. The places, in order:
 *
 *   1. $EVALBIAS_LEXICONS (when set and non-empty: it alone is used);
 *   2. ../share/evalbias/lexicons relative to the running binary
 *      (PREFIX/bin/evalbias -> PREFIX/share/evalbias/lexicons);
 *   3. lexicons/ beside the binary (the source tree, where make builds it).
 *
 * Library module: fills a struct diag, never prints. */
#ifndef EVALBIAS_LEXICON_PATH_H
#define EVALBIAS_LEXICON_PATH_H

#include "diag.h"

#include <stddef.h>

/* Write the first existing directory of the list above to out (capacity
 * cap) and return 0. When none exists, return -1 with d naming every place
 * looked at and how to point evalbias at a lexicon. self is the path of the
 * running binary (NULL: read /proc/self/exe). */
int lexicon_default_dir(const char *self, char *out, size_t cap,
                        struct diag *d);

#endif
