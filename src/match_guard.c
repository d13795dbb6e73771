/* match_guard.c - is a candidate hit guarded? (see match_guard.h) */
#include "match_guard.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct keyed {
    uint8_t key;
    uint32_t ref;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->ref < y->ref ? -1 : x->ref > y->ref;
}

void guard_index_build(struct guard_index *gi, const struct lexicon_set *set)
{
    gi->set = set;
    gi->side = xcalloc(set->nentries ? set->nentries : 1, sizeof *gi->side);
    size_t total = 0;
    for (size_t e = 0; e < set->nentries; e++)
        total += set->entries[e].nguard_before +
                 set->entries[e].nguard_after;
    gi->keys = xmalloc(total ? total : 1);
    gi->refs = xmalloc((total ? total : 1) * sizeof *gi->refs);
    gi->kinfo = xmalloc((total ? total : 1) * sizeof *gi->kinfo);
    struct keyed *tmp = NULL;
    size_t tcap = 0, at = 0;
    for (size_t e = 0; e < set->nentries; e++) {
        const struct lex_entry *en = &set->entries[e];
        for (int side = 0; side < 2; side++) {
            const struct wordseq *g = side ? en->guard_after : en->guard_before;
            size_t ng = side ? en->nguard_after : en->nguard_before, n = 0;
            grow(&tmp, &tcap, ng ? ng : 1, sizeof *tmp);
            for (size_t k = 0; k < ng; k++) {
                if (g[k].n == 0)
                    continue;  /* an empty sequence never occurs */
                const char *w = g[k].words[side ? 0 : g[k].n - 1];
                tmp[n++] = (struct keyed){(uint8_t)w[0], (uint32_t)k};
            }
            qsort(tmp, n, sizeof *tmp, cmp_keyed);
            struct guard_side *gs = &gi->side[e][side];
            gs->off = (uint32_t)at;
            gs->n = (uint32_t)n;
            gs->mask = 0;
            gs->wild = n && tmp[0].key == 0;
            for (size_t k = 0; k < n; k++) {
                const struct wordseq *q = &g[tmp[k].ref];
                size_t kw = side ? 0 : q->n - 1;
                const char *w = q->words[kw];
                size_t wl = strlen(w);
                gi->kinfo[at] = (struct guard_key){
                    (uint16_t)(wl < UINT16_MAX ? wl : UINT16_MAX),
                    (uint8_t)(wl >= 2 ? w[1] : 0), q->is_stem[kw]};
                gi->keys[at] = tmp[k].key;
                gi->refs[at++] = tmp[k].ref;
                gs->mask |= 1ULL << (tmp[k].key & 63);
            }
        }
    }
    free(tmp);
}

void guard_index_fini(struct guard_index *gi)
{
    free(gi->side);
    free(gi->keys);
    free(gi->refs);
    free(gi->kinfo);
    memset(gi, 0, sizeof *gi);
}

static int brk(const struct tokens *tk, size_t i)
{
    return i < tk->n && (tk->v[i].flags & TOK_BREAK_BEFORE);
}

/* Is token t the word w (a prefix of it when stem)? */
static int word_is(const char *s, const struct token *t, const char *w,
                   int stem)
{
    if (w[0] && s[t->start] != w[0])
        return 0;
    size_t n = t->end - t->start, wl = strlen(w);
    if (stem ? n < wl : n != wl)
        return 0;
    return memcmp(s + t->start, w, wl) == 0;
}

/* Do tokens t0.. spell g, inside one clause? */
static int seq_at(const char *s, const struct tokens *tk,
                  const struct wordseq *g, size_t t0)
{
    if (g->n == 0 || t0 + g->n > tk->n)
        return 0;
    for (size_t k = 0; k < g->n; k++) {
        if (k && brk(tk, t0 + k))
            return 0;
        if (!word_is(s, &tk->v[t0 + k], g->words[k], g->is_stem[k]))
            return 0;
    }
    return 1;
}

/* Does a guard of side gs (sequences g) whose key word is at token t
 * occur there? before: the sequence ends at t; after: it starts at t. */
static int guards_at(const struct guard_index *gi, const struct guard_side *gs,
                     const struct wordseq *g, int before, const char *s,
                     const struct tokens *tk, size_t t, int shared_only)
{
    unsigned char b = (unsigned char)s[tk->v[t].start];
    const uint8_t *keys = gi->keys + gs->off;
    size_t lo = 0, hi = gs->n;
    if (gs->wild)
        b = 0, hi = 0;  /* every guard, from the first */
    else if (!((gs->mask >> (b & 63)) & 1))
        return 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct guard_key *ki = gi->kinfo + gs->off;
    size_t n = tk->v[t].end - tk->v[t].start;
    for (; lo < gs->n && (gs->wild || keys[lo] == b); lo++) {
        /* word_is() of the key word, on its length and second byte; a
         * length past the cap is left to seq_at */
        const struct guard_key *k = &ki[lo];
        if (k->len < UINT16_MAX &&
            ((k->stem ? n < k->len : n != k->len) ||
             (k->len >= 2 && s[tk->v[t].start + 1] != (char)k->b1)))
            continue;
        const struct wordseq *q = &g[gi->refs[gs->off + lo]];
        if (shared_only && q->own)
            continue;
        if (before ? t + 1 >= q->n && seq_at(s, tk, q, t + 1 - q->n)
                   : seq_at(s, tk, q, t))
            return 1;
    }
    return 0;
}

int guard_index_hit(const struct guard_index *gi, uint32_t entry,
                    const char *s, const struct tokens *tk, size_t tfirst,
                    size_t tend, int shared_only)
{
    const struct lex_entry *e = &gi->set->entries[entry];
    const struct guard_side *sb = &gi->side[entry][0];
    const struct guard_side *sa = &gi->side[entry][1];
    size_t W = gi->set->guard_window;
    if (sb->n) {
        size_t w = 0;
        for (size_t gend = tfirst; gend-- > 0;) { /* guard's last word */
            if (brk(tk, gend + 1))
                break;
            if (guards_at(gi, sb, e->guard_before, 1, s, tk, gend,
                          shared_only))
                return 1;
            if (!(tk->v[gend].flags & TOK_JOINED) && ++w > W)
                break;
        }
    }
    if (sa->n) {
        size_t w = 0;
        for (size_t p = tend; p < tk->n; p++) {
            if (brk(tk, p))
                break;
            if (guards_at(gi, sa, e->guard_after, 0, s, tk, p, shared_only))
                return 1;
            if (p + 1 < tk->n && !(tk->v[p + 1].flags & TOK_JOINED) &&
                ++w > W)
                break;
        }
    }
    return 0;
}
