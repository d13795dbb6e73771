/* excerpt.h - a hit in normalized text -> the reviewer's view of it in the
 * original field: code-point offsets, the matched original text, and the
 * sentence around it (cut to at most EXCERPT_MAX code points around the
 * match, white space runs shown as one space).
 *
 * Offsets: start/end are Unicode code-point offsets into the ORIGINAL field,
 * so the field's characters start..end are exactly matched_text. Hits arrive
 * in increasing order within a field; excerpt_cursor turns byte offsets into
 * code-point offsets incrementally, so a field with many hits is still read
 * once (no quadratic counting on long fields).
 *
 * Ownership: struct excerpt points into its own buffers, valid until the next
 * excerpt_make with the same struct; embed with excerpt_init/excerpt_fini. */
#ifndef EVALBIAS_EXCERPT_H
#define EVALBIAS_EXCERPT_H

#include <stddef.h>

#include "normalize.h"
#include "sentence.h"
#include "util.h"

#define EXCERPT_MAX 300   /* code points in an excerpt, at most (plus "...") */

struct excerpt_cursor {
    size_t byte, cp;      /* a known (byte offset, code-point offset) pair */
    /* The last excerpt made in this field: a hit on the same bytes (the
     * same word in two lexicons) has the same excerpt, already in *last. */
    const struct excerpt *last;
    const char *orig;
    size_t len, bs, be;
    /* The field's sentence index (sentence.h), reset on the same text as
     * excerpt_make is given; NULL (what excerpt_cursor_reset sets) scans
     * for each hit's sentence instead. Same excerpts either way. */
    struct sentences *sent;
};

struct excerpt {
    size_t start, end;        /* code-point offsets in the original field */
    size_t byte_start, byte_end; /* byte offsets in the original field */
    struct buf matched;       /* original text of the match */
    struct buf text;          /* the sentence, cut and white-space folded */
    size_t mark_start, mark_end; /* the match's bytes inside text */
};

void excerpt_init(struct excerpt *x);
void excerpt_fini(struct excerpt *x);

/* Reset the cursor at the start of a new field. */
void excerpt_cursor_reset(struct excerpt_cursor *c);

/* Fill x for the hit at normalized bytes [nstart, nend) of nt, whose
 * original text is orig[0..len). When the previous call with this cursor
 * (since its reset) filled the same x for the same original bytes, x is
 * left as it is: it already holds this excerpt. */
void excerpt_make(struct excerpt *x, struct excerpt_cursor *cur,
                  const char *orig, size_t len, const struct normtext *nt,
                  size_t nstart, size_t nend);

#endif
