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

#include <string.h>

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
    uint64_t k0, k1;      /* the word's first 16 bytes, zero-padded */
    uint32_t koff, klen;  /* the word, in keys */
    uint32_t coff, ncont; /* its edges, conts[coff .. coff + ncont) */
    uint32_t nroot;       /* the first nroot of them leave the root */
    uint32_t val;         /* facts the caller keeps per word (match.c: */
    uint8_t flag;         /* referent class, may start an intensifier);
                             0 when added */
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

/* The cache's key of a word (word_key): its first 16 bytes, zero-padded,
 * as two integers in the machine's byte order, and a hash of them and of
 * the length. A word longer than 16 bytes is told apart by its bytes. */
struct wkey {
    uint64_t k0, k1, h;
};

/* The key of w[0..n); avail: how many bytes may be read at w (at least
 * n). With 16 or more the word is loaded in two reads, without a byte
 * loop: the matcher keys every token of a field this way. */
static inline void word_key(const char *w, size_t n, size_t avail,
                            struct wkey *k);

/* The record of word w[0..n) of key k in a table whose words were added
 * with hash k->h (the words cache), or NULL: integers are compared, not
 * bytes, for a word of up to 16 bytes. */
static inline const struct wrec *word_table_find_key(
    const struct word_table *t, const char *w, size_t n,
    const struct wkey *k);

/* Add word w[0..n) (hash h, not yet in t) with edges c[0..nc); returns its
 * record (valid until the next add). The record lists the edges out of
 * the root (from == 0) first, then the others, each group in the order
 * of c (so the edges out of any one node keep their order): a walk from
 * the root reads only the first group, and most words start nothing. */
struct wrec *word_table_add(struct word_table *t, const char *w, size_t n,
                            uint64_t h, const struct wcont *c, size_t nc);

/* A bounded table: make room for up to nwords words of nbytes bytes in
 * all, emptying the table when they might not fit. */
void word_table_room(struct word_table *t, size_t nwords, size_t nbytes);

/* ---- implementation (inline) ---- */

static inline void word_key(const char *w, size_t n, size_t avail,
                            struct wkey *k)
{
    uint64_t k0 = 0, k1 = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 16) {
        /* the bytes past the word are masked off (they are the high ones) */
        memcpy(&k0, w, 8);
        memcpy(&k1, w + 8, 8);
        if (n < 8) {
            k0 &= n ? ~(uint64_t)0 >> (64 - 8 * n) : 0;
            k1 = 0;
        } else if (n < 16) {
            k1 &= n > 8 ? ~(uint64_t)0 >> (64 - 8 * (n - 8)) : 0;
        }
    } else
#endif
    {
        unsigned char b[16] = {0};
        memcpy(b, w, n < 16 ? n : 16);
        memcpy(&k0, b, 8);
        memcpy(&k1, b + 8, 8);
    }
    (void)avail;
    uint64_t h = (k0 * 0x9e3779b97f4a7c15ULL) ^ (k1 * 0xc4ceb9fe1a85ec53ULL) ^
                 (uint64_t)n;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    k->k0 = k0;
    k->k1 = k1;
    k->h = h;
}

static inline const struct wrec *word_table_find_key(
    const struct word_table *t, const char *w, size_t n,
    const struct wkey *k)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)k->h & mask;; i = (i + 1) & mask) {
        uint32_t s = t->slots[i];
        if (!s)
            return NULL;
        const struct wrec *r = &t->recs[s - 1];
        if (r->k0 != k->k0 || r->k1 != k->k1 || r->klen != n)
            continue;
        if (n <= 16 || memcmp(t->keys.p + r->koff + 16, w + 16, n - 16) == 0)
            return r;
    }
}

#endif
