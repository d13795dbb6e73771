/* senses.c - shared clinical senses (see senses.h). */
#include "senses.h"

#include <stdlib.h>
#include <string.h>

void senses_key(struct buf *b, const struct wordseq *seq)
{
    buf_clear(b);
    for (size_t i = 0; i < seq->n; i++)
        buf_puts(b, seq->words[i]);
}

static int pooled(const struct lex_entry *e)
{
    return (e->kind == ENTRY_WORD || e->kind == ENTRY_PHRASE) &&
           e->seq.n > 0 && (e->nguard_before || e->nguard_after);
}

void senses_build(struct senses *s, const struct lexicon_set *set)
{
    memset(s, 0, sizeof *s);
    strmap_init(&s->map);
    size_t *pool = xcalloc(set->nentries + 1, sizeof *pool);
    size_t *count = NULL, cap = 0;
    struct buf key;
    buf_init(&key);
    /* Pass 1: a pool per spelling, and its size. */
    for (size_t i = 0; i < set->nentries; i++) {
        const struct lex_entry *e = &set->entries[i];
        if (!pooled(e))
            continue;
        senses_key(&key, &e->seq);
        int added;
        size_t *v = strmap_put(&s->map, key.p, key.len, s->npools, &added);
        if (added) {
            grow(&count, &cap, s->npools + 1, sizeof *count);
            count[s->npools++] = 0;
        }
        pool[i] = *v;
        count[*v]++;
    }
    /* Pass 2: entries by pool. */
    s->off = xcalloc(s->npools + 1, sizeof *s->off);
    for (size_t p = 0; p < s->npools; p++)
        s->off[p + 1] = s->off[p] + count[p];
    s->ent = xcalloc(s->off[s->npools] + 1, sizeof *s->ent);
    for (size_t p = 0; p < s->npools; p++)
        count[p] = 0;
    for (size_t i = 0; i < set->nentries; i++)
        if (pooled(&set->entries[i]))
            s->ent[s->off[pool[i]] + count[pool[i]]++] = (uint32_t)i;
    buf_fini(&key);
    free(count);
    free(pool);
}

void senses_fini(struct senses *s)
{
    strmap_fini(&s->map);
    free(s->off);
    free(s->ent);
    memset(s, 0, sizeof *s);
}

const uint32_t *senses_of(const struct senses *s, const char *key,
                          size_t len, size_t *n)
{
    size_t *p = s->npools ? strmap_get(&s->map, key, len) : NULL;
    if (!p) {
        *n = 0;
        return NULL;
    }
    *n = s->off[*p + 1] - s->off[*p];
    return s->ent + s->off[*p];
}

static int seq_eq(const struct wordseq *a, const struct wordseq *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->is_stem[i] != b->is_stem[i] ||
            strcmp(a->words[i], b->words[i]) != 0)
            return 0;
    return 1;
}

/* Is every shared (not own) sequence of x[0..nx) among y's shared ones? */
static int subset(const struct wordseq *x, size_t nx, const struct wordseq *y,
                  size_t ny)
{
    for (size_t i = 0; i < nx; i++) {
        if (x[i].own)
            continue;
        size_t j = 0;
        while (j < ny && (y[j].own || !seq_eq(&x[i], &y[j])))
            j++;
        if (j == ny)
            return 0;
    }
    return 1;
}

int senses_differ(const struct lex_entry *a, const struct lex_entry *b)
{
    return !subset(a->guard_before, a->nguard_before, b->guard_before,
                   b->nguard_before) ||
           !subset(b->guard_before, b->nguard_before, a->guard_before,
                   a->nguard_before) ||
           !subset(a->guard_after, a->nguard_after, b->guard_after,
                   b->nguard_after) ||
           !subset(b->guard_after, b->nguard_after, a->guard_after,
                   a->nguard_after);
}
