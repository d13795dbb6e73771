/* normalize.h - original field text -> normalized text for matching, with an
 * offset map back to the original (second stage of the pipeline).
 *
 * Normalization (documented in README "Text rules"):
 *   - Unicode NFKC (utf8proc), then full case folding;
 *   - default-ignorable code points (soft hyphen, zero-width joiners ...) are
 *     removed, except U+200B (below);
 *   - curly and modifier apostrophes/quotes fold to ASCII ' and ";
 *   - hyphens (U+2010, U+2011, U+FE63, U+FF0D) fold to ASCII '-';
 *   - dashes (U+2012..U+2015, U+2212, U+FE58, U+2E3A, U+2E3B) and U+200B
 *     ZERO WIDTH SPACE fold to ' ': they separate words like a space;
 *   - every white-space code point folds to ' ' (line breaks to '\n', so the
 *     tokenizer still sees paragraph breaks).
 * Matching happens on the normalized text; excerpts and offsets refer to the
 * original, through the map.
 *
 * Normalization works segment by segment: a segment is a code point that
 * starts a grapheme plus any combining marks after it, so composition never
 * crosses a segment. Every byte of the normalized output maps to the original
 * byte offset where its segment starts. ASCII text takes a fast path with no
 * utf8proc call; a field that is all ASCII with no CR (most English
 * evaluations) is folded eight bytes at a time and its map, the identity,
 * is a shared array that is not rewritten per field (nt->ascii is set).
 *
 * Ownership: a struct normtext is embedded by the caller (normtext_init /
 * normtext_fini) and reused across calls, so there is no allocation per field
 * once the buffers are large enough. */
#ifndef EVALBIAS_NORMALIZE_H
#define EVALBIAS_NORMALIZE_H

#include <stddef.h>

struct normtext {
    char *s;      /* normalized UTF-8, NUL-terminated */
    size_t len;   /* bytes in s */
    const size_t *map; /* map[i], i in 0..len: original byte offset of s[i]'s
                     segment; map[len] == original length. Read only: it may
                     point at the identity array below. */
    int ascii;    /* the fast path ran: s is ASCII, len is the original
                     length and map[i] == i */
    /* internal */
    size_t cap;   /* capacity of s and mbuf */
    size_t *mbuf; /* the map of the general path */
    size_t *ident, icap; /* ident[i] == i for i < icap */
};

void normtext_init(struct normtext *nt);
void normtext_fini(struct normtext *nt);

/* Normalize orig[0..len) (valid UTF-8) into nt, replacing its content. */
void normalize(struct normtext *nt, const char *orig, size_t len);

/* normalize() without the whole-field ASCII path (nt->ascii stays 0): the
 * same s, len and map values. Tests compare the two. */
void normalize_general(struct normtext *nt, const char *orig, size_t len);

/* Normalize a short string (a lexicon entry, a guard) into a new
 * NUL-terminated string the caller frees. */
char *normalize_dup(const char *s, size_t len);

#endif
