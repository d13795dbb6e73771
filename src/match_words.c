/* match_words.c - a table from words to the trie edges they follow (see
 * match_words.h). Open addressing over record indices; records, words and
 * edges in flat arrays, so emptying the table is three length resets. */
#include "match_words.h"

#include <stdlib.h>
#include <string.h>

void word_table_init(struct word_table *t, int bounded)
{
    memset(t, 0, sizeof *t);
    t->cap = 64;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
    buf_init(&t->keys);
    t->bounded = bounded;
}

void word_table_fini(struct word_table *t)
{
    free(t->slots);
    free(t->recs);
    buf_fini(&t->keys);
    free(t->conts);
    memset(t, 0, sizeof *t);
}

const struct wrec *word_table_find(const struct word_table *t, const char *w,
                                   size_t n, uint64_t h)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint32_t s = t->slots[i];
        if (!s)
            return NULL;
        const struct wrec *r = &t->recs[s - 1];
        if (r->h != h || r->klen != n)
            continue;
        /* Words are short: compare inline rather than call memcmp. */
        const char *k = t->keys.p + r->koff;
        size_t q = 0;
        while (q < n && k[q] == w[q])
            q++;
        if (q == n)
            return r;
    }
}

static void rehash(struct word_table *t, size_t cap)
{
    free(t->slots);
    t->cap = cap;
    t->slots = xcalloc(cap, sizeof *t->slots);
    for (size_t k = 0; k < t->nrecs; k++) {
        size_t i = (size_t)t->recs[k].h & (cap - 1);
        while (t->slots[i])
            i = (i + 1) & (cap - 1);
        t->slots[i] = (uint32_t)(k + 1);
    }
}

struct wrec *word_table_add(struct word_table *t, const char *w, size_t n,
                            uint64_t h, const struct wcont *c, size_t nc)
{
    if ((t->nrecs + 1) * 2 > t->cap)
        rehash(t, t->cap * 2);
    grow(&t->recs, &t->reccap, t->nrecs + 1, sizeof *t->recs);
    grow(&t->conts, &t->contcap, t->nconts + nc + 1, sizeof *t->conts);
    struct wrec *r = &t->recs[t->nrecs];
    r->h = h;
    r->val = 0;
    r->flag = 0;
    struct wkey wk;
    word_key(w, n, n, &wk);
    r->k0 = wk.k0;
    r->k1 = wk.k1;
    r->koff = (uint32_t)t->keys.len;
    r->klen = (uint32_t)n;
    r->coff = (uint32_t)t->nconts;
    r->ncont = (uint32_t)nc;
    buf_append(&t->keys, w, n);
    size_t k = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].from == 0)
            t->conts[t->nconts + k++] = c[i];
    r->nroot = (uint32_t)k;
    for (size_t i = 0; i < nc; i++)
        if (c[i].from != 0)
            t->conts[t->nconts + k++] = c[i];
    t->nconts += nc;
    size_t i = (size_t)h & (t->cap - 1);
    while (t->slots[i])
        i = (i + 1) & (t->cap - 1);
    t->slots[i] = (uint32_t)(++t->nrecs);
    return r;
}

void word_table_room(struct word_table *t, size_t nwords, size_t nbytes)
{
    if (!t->bounded || (t->nrecs + nwords <= WORDS_MAX_RECS &&
                        t->keys.len + nbytes <= WORDS_MAX_BYTES))
        return;
    /* Full: start again (the records are answers recomputed on the next
     * miss, never state). */
    t->nrecs = 0;
    t->nconts = 0;
    buf_clear(&t->keys);
    memset(t->slots, 0, t->cap * sizeof *t->slots);
}
