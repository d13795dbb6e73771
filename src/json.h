/* json.h - JSON string literals, the one writer every JSON output uses
 * (manifest.json, the lexicon commands' --format json).
 *
 * Paths, arguments and cells may hold bytes that are not UTF-8: each such
 * byte is written as U+FFFD so the document stays valid JSON; control
 * characters are escaped. */
#ifndef EVALBIAS_JSON_H
#define EVALBIAS_JSON_H

#include <stddef.h>
#include <stdio.h>

/* s[0..n) as a quoted JSON string. */
void json_strn(FILE *f, const char *s, size_t n);

/* s as a quoted JSON string, or null when s is NULL. */
void json_str(FILE *f, const char *s);

#endif
