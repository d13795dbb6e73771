/* match_words.h - a table from words to what they do in the matcher's trie
 * (for match.c).
 *
 * Each word of a field is looked up once: the table gives every trie edge
 * the word follows, from any node (its exact edges, and the stem edges of
 * its prefixes), so walking a phrase costs a scan of a short list instead
 * of a hash probe per node and per stem length. match.c fills the table
 * with the trie's own answer the first time it meets a word (a pure
 * function of the word), so the hits are the same with or without it; it
 * also builds two of them once, from the trie's edges, to answer a miss.
 *
 * A bounded table is a cache: word_table_room() empties it when the words
 * of the next field might take it past WORDS_MAX_RECS words or
 * WORDS_MAX_BYTES bytes of words (never during a field, so the records of
 * a field's words stay valid while it is matched; one field larger than
 * that is let through whole). Memory stays flat. */
#ifndef EVALBIAS_MATCH_WORDS_H
#define EVALBIAS_MATCH_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define WORDS_MAX_RECS (1u << 16)
#define WORDS_MAX_BYTES (1u << 20)

/* One edge a word follows: from -> to; stem: the edge is a stem (prefix)
 * edge, len its length in bytes. */
struct wcont {
    uint32_t from, to;
    uint32_t len;
    uint8_t stem;
};

struct wrec {
    uint64_t h;
    uint32_t koff, klen;  /* the word, in keys */
    uint32_t coff, ncont; /* its edges, conts[coff .. coff + ncont) */
    uint32_t nroot;       /* the first nroot of them leave the root */
};

struct word_table {
    uint32_t *slots;      /* 1 + index into recs; 0: empty */
    size_t cap;           /* power of two, load <= 1/2 */
    struct wrec *recs;
    size_t nrecs, reccap;
    struct buf keys;
    struct wcont *conts;
    size_t nconts, contcap;
    int bounded;          /* a cache: emptied when full */
};

void word_table_init(struct word_table *t, int bounded);
void word_table_fini(struct word_table *t);

/* The record of word w[0..n) whose hash_bytes() is h, or NULL. */
const struct wrec *word_table_find(const struct word_table *t, const char *w,
                                   size_t n, uint64_t h);

/* Add word w[0..n) (hash h, not yet in t) with edges c[0..nc); returns its
 * record (valid until the next add). The record lists the edges out of
 * the root (from == 0) first, then the others, each group in the order
 * of c (so the edges out of any one node keep their order): a walk from
 * the root reads only the first group, and most words start nothing. */
const struct wrec *word_table_add(struct word_table *t, const char *w,
                                  size_t n, uint64_t h, const struct wcont *c,
                                  size_t nc);

/* A bounded table: make room for up to nwords words of nbytes bytes in
 * all, emptying the table when they might not fit. */
void word_table_room(struct word_table *t, size_t nwords, size_t nbytes);

#endif
