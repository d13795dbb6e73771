/* sentence.h - the sentence around a hit, over the ORIGINAL text of a field
 * (excerpts show it).
 *
 * sentence_bounds finds it by scanning from the hit, at most max_scan bytes
 * either side. struct sentences gives the same answer for the hits of one
 * field without rescanning the text per hit: on the first query it starts
 * an index of the field's sentence ends (line breaks and runs of . ! ?
 * with their verdicts), built forward only as far as the queries reach,
 * and each hit looks its sentence up there. Where the index cannot show
 * that the answer equals sentence_bounds' (a hit within max_scan of no
 * sentence end, text that starts inside a run of terminators, ...), the
 * query runs sentence_bounds' own scan, so the results are always equal.
 *
 * Ownership: struct sentences is embedded by the caller (sentences_init /
 * sentences_fini) and reused across fields; sentences_reset points it at a
 * field, which must stay valid and unchanged while it is queried. */
#ifndef EVALBIAS_SENTENCE_H
#define EVALBIAS_SENTENCE_H

#include <stddef.h>

/* Find the sentence of the ORIGINAL text holding bytes [start, end): on
 * return [*s_start, *s_end) is that sentence, trimmed of surrounding white
 * space. A sentence ends at . ! ? (followed by space or end of text, and
 * then not by a lower-case letter) unless the word before the period is a
 * known abbreviation (Dr, Mr, Mrs, Ms, Prof, vs, etc, e.g, i.e, approx, ...)
 * or a single letter (an initial, "J. Smith"); a blank line also ends a
 * sentence. The search looks at most `max_scan` bytes either side, so a
 * field with no punctuation costs O(max_scan) per hit, not O(field). */
void sentence_bounds(const char *text, size_t len, size_t start, size_t end,
                     size_t max_scan, size_t *s_start, size_t *s_end);

struct sent_mark;             /* (sentence.c) */

struct sentences {
    const unsigned char *t;   /* the field */
    size_t len;
    struct sent_mark *v;      /* the index: marks in order of offset */
    size_t n, cap;
    size_t done;              /* the index covers t[0..done) */
    size_t next[5];           /* next offset of each byte searched for */
    int started;              /* next[] is valid */
};

void sentences_init(struct sentences *x);
void sentences_fini(struct sentences *x);

/* Start on a new field text[0..len) (nothing is read until a query). */
void sentences_reset(struct sentences *x, const char *text, size_t len);

/* sentence_bounds(text, len, start, end, max_scan, ...) for the field of
 * the last sentences_reset, with the same result. */
void sentences_bounds(struct sentences *x, size_t start, size_t end,
                      size_t max_scan, size_t *s_start, size_t *s_end);

#endif
