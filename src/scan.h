/* scan.h - the text pipeline, once: normalize -> tokenize -> match ->
 * excerpt spans, over one field of text.
 *
 * `audit`, `lexicon test` and `lexicon diff` all scan text here, so a
 * sentence is matched the same way whichever command reads it. A struct
 * scan holds the work buffers, reused from one field to the next (no
 * allocation per field once they have grown); one per thread, since a
 * matcher and these buffers are not shared.
 *
 *   scan_text     normalize and tokenize a field (the original text must
 *                 stay valid until the next scan_text)
 *   scan_match    match the scanned text with a matcher, hits in order of
 *                 start; several matchers may match one scanned text
 *                 (lexicon diff: OLD and NEW)
 *   scan_excerpt  the excerpt of one hit (sentence, offsets in code points
 *                 of the original, marked span); call it for the hits of
 *                 one field in order of start (the cursor walks forward)
 *
 * scan_field is scan_text then scan_match into s->hits. */
#ifndef EVALBIAS_SCAN_H
#define EVALBIAS_SCAN_H

#include <stddef.h>

#include "diag.h"
#include "excerpt.h"
#include "match.h"
#include "normalize.h"
#include "tokenize.h"

struct scan {
    struct normtext nt;        /* the normalized field and its offset map */
    struct tokens tok;         /* its words */
    struct hits hits;          /* scan_field's hits */
    struct excerpt ex;         /* scan_excerpt's result */
    struct excerpt_cursor cur;
    struct sentences sent;     /* the field's sentence index, for cur */
    const char *orig;          /* the field scan_text was given */
    size_t orig_len;
};

void scan_init(struct scan *s);
void scan_fini(struct scan *s);

/* Normalize and tokenize text[0..len); returns its number of words. */
size_t scan_text(struct scan *s, const char *text, size_t len);

/* The scanned text's hits with m, into out. Returns 0, or -1 with err
 * filled (a PCRE2 limit, ...). */
int scan_match(struct scan *s, matcher *m, struct hits *out,
               struct diag *err);

/* scan_text, then scan_match into s->hits. Returns the number of words
 * through *words (may be NULL); 0, or -1 with err filled. */
int scan_field(struct scan *s, matcher *m, const char *text, size_t len,
               size_t *words, struct diag *err);

/* The excerpt of hit h of the scanned text (s->ex, valid until the next
 * scan_excerpt or scan_text). */
const struct excerpt *scan_excerpt(struct scan *s, const struct hit *h);

#endif
